/* The source capability: instances, batches, open params, progress and
 * event_to_string, with the host's batch rules applied at the boundary. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_internal.h"
#include "internal.h"

#define DEFAULT_MAX_BATCH 512u
#define PLUGIN_EVENT_HDR 26u
#define FALCO__ALIGN16(n) (((size_t)(n) + 15u) & ~(size_t)15u)

struct falco_batch {
    falco__batch_head head; /* first: the inline fast path in falco/source.h reads it */
    /* The cursor's real limit (see clamp_end). head.limit is the same for a
     * source with a plugin ID and 0 without one (FALCO_SYSCALL_SOURCE): its
     * plugin events would carry ID 0, which the host refuses, so the inline
     * add always takes the slow path, which says so. No cost per event. */
    uintptr_t space_limit;
    falco_plugin *p;
    uint32_t cap;
    falco_abi_event **events;
    falco__arena arena;
    void *params; /* decoded open parameters, or NULL */
};

static uint32_t batch_count(const falco_batch *b) {
    return (uint32_t)(b->head.next - b->events);
}

/* The inline fast path checks only the cursor's space, not the free event
 * slots: every event takes at least FALCO__BATCH_MIN_EVENT bytes of it, and
 * the space's end is never more than that many bytes per free slot past
 * `pos`. Stored as the head's `limit` (see falco__batch_head). */
static void clamp_end(falco_batch *b, unsigned char *chunk_end, size_t slots) {
    falco__batch_head *h = &b->head;
    size_t max = slots * FALCO__BATCH_MIN_EVENT;
    unsigned char *end = (size_t)(chunk_end - h->pos) > max ? h->pos + max : chunk_end;
    b->space_limit = (uintptr_t)end - (FALCO__BATCH_MIN_EVENT - 1); /* heap addresses: no wrap */
    h->limit = h->plugin_id ? b->space_limit : 0;
}

/* Whether need bytes (at least FALCO__BATCH_MIN_EVENT) fit at the cursor. */
static bool cursor_fits(const falco_batch *b, size_t need) {
    return (uintptr_t)b->head.pos + (need - FALCO__BATCH_MIN_EVENT) < b->space_limit;
}

typedef struct falco__instance {
    void *user;
    void *sdk_block; /* the instance_size block, freed by the SDK */
    struct falco_batch batch;
} falco__instance;

struct falco_open_params {
    falco_plugin *p;
    falco_json_writer *w;
};

static const falco_source_decl *source_of(const falco_plugin *p) {
    return p->decl->falco__source;
}

/* The instance being opened, for falco_source_params: the host calls a
 * plugin state from one thread at a time, and .open runs on that thread. */
static _Thread_local struct {
    const falco_plugin *p;
    const void *params;
} opening;

const void *falco_source_params(const falco_plugin *p) {
    return p && opening.p == p ? opening.params : NULL;
}

const void *falco_batch_params(const falco_batch *b) {
    return b->params;
}

bool falco__source_validate(const falco_plugin_decl *d, char *err, size_t errlen) {
    const falco_source_decl *s = d->falco__source;
    char why[400];
    if (!s->instance_size) {
        snprintf(err, errlen,
                 "source '%s': .instance_size is 0: set .instance_size = sizeof(your instance struct), or "
                 "FALCO_INSTANCE_BY_OPEN if .open allocates *instance itself",
                 s->event_source ? s->event_source : d->name);
        return false;
    }
    if (s->open_options.count && !s->open_options_size) {
        snprintf(err, errlen, "plugin '%s': .open_options has options but .open_options_size is 0", d->name);
        return false;
    }
    if (!s->open_options.count && (s->open_options_size || s->open_plain)) {
        snprintf(err, errlen, "plugin '%s': .open_options_size and .open_plain need .open_options", d->name);
        return false;
    }
    if (!s->open_options.count)
        return true;
    if (falco__config_validate_as(s->open_options, s->open_options_size, "open params", why, sizeof why) !=
        FALCO_OK) {
        snprintf(err, errlen, "plugin '%s': %s", d->name, why);
        return false;
    }
    if (s->open_plain) {
        const falco_config_option *o = NULL;
        for (size_t i = 0; i < s->open_options.count && !o; i++)
            if (strcmp(s->open_options.items[i].name, s->open_plain) == 0)
                o = &s->open_options.items[i];
        if (!o || o->type == FALCO_CONFIG_TYPE_OBJECT || o->type == FALCO_CONFIG_TYPE_STRING_LIST) {
            snprintf(err, errlen, "plugin '%s': .open_plain \"%s\" is not a top-level scalar open option", d->name,
                     s->open_plain);
            return false;
        }
    }
    /* Suggestions that the decoder would refuse are stale. */
    void *tmp = calloc(1, s->open_options_size);
    if (!tmp) {
        snprintf(err, errlen, "plugin '%s': out of memory", d->name);
        return false;
    }
    bool ok = true;
    for (size_t i = 0; ok && i < s->open_params.count; i++) {
        const char *v = s->open_params.items[i].value;
        if (!v || s->open_params.items[i].separator)
            continue; /* several params in one: each is decoded at open */
        ok = falco__config_decode_as(s->open_options, "open params", s->open_plain, v, strlen(v), tmp, why,
                                     sizeof why) == FALCO_OK;
        if (!ok)
            snprintf(err, errlen, "plugin '%s': open_params[%zu] \"%s\" does not decode: %s", d->name, i, v, why);
        falco_config_release(s->open_options, tmp);
    }
    free(tmp);
    return ok;
}

static void free_params(const falco_source_decl *src, void *params) {
    if (params) {
        if (src)
            falco_config_release(src->open_options, params);
        free(params);
    }
}

uint32_t falco__source_get_id(const falco_plugin_decl *d) {
    return d->falco__source->id;
}

const char *falco__source_get_event_source(const falco_plugin_decl *d) {
    return d->falco__source->event_source ? d->falco__source->event_source : "";
}

falco_abi_instance_t *falco__source_open(falco_abi_plugin_t *s, const char *params, falco_abi_rc *rc) {
    falco_plugin *p = s;
    const falco_source_decl *src = source_of(p);
    falco__begin_call(p, &p->misc_arena);
    falco__instance *inst = calloc(1, sizeof *inst);
    uint32_t cap = src->max_batch_events ? src->max_batch_events : DEFAULT_MAX_BATCH;
    bool own_block = src->instance_size && src->instance_size != FALCO_INSTANCE_BY_OPEN;
    if (inst) {
        inst->batch.events = malloc(cap * sizeof *inst->batch.events);
        if (own_block)
            inst->sdk_block = calloc(1, src->instance_size);
        if (src->open_options.count)
            inst->batch.params = calloc(1, src->open_options_size);
    }
    if (!inst || !inst->batch.events || (own_block && !inst->sdk_block) ||
        (src->open_options.count && !inst->batch.params)) {
        if (inst) {
            free(inst->batch.events);
            free(inst->sdk_block);
            free(inst->batch.params);
        }
        free(inst);
        falco_error(p, FALCO_ENOMEM, "open: out of memory");
        *rc = FALCO_ABI_RC_FAILURE;
        return NULL;
    }
    inst->batch.p = p;
    inst->batch.cap = cap;
    inst->batch.head.plugin_id = src->id;
    inst->user = inst->sdk_block;
    if (!params)
        params = "";
    falco_rc r = FALCO_OK;
    if (src->open_options.count) {
        char err[FALCO__ERRLEN];
        r = falco__config_decode_as(src->open_options, "open params", src->open_plain, params, strlen(params),
                                    inst->batch.params, err, sizeof err);
        if (r != FALCO_OK) {
            falco_error(p, r, "%s", err);
            free(inst->batch.params); /* the decoder released what it stored */
            inst->batch.params = NULL;
        }
    }
    if (r == FALCO_OK) {
        opening.p = p;
        opening.params = inst->batch.params;
        r = src->open(p, params, &inst->user);
        opening.p = NULL;
        opening.params = NULL;
        if (r == FALCO_OK && !inst->user) {
            /* next_batch would get NULL; .close is not called (no instance). */
            r = falco_error(p, FALCO_EINVAL,
                            "open returned FALCO_OK without setting *instance: with .instance_size = "
                            "FALCO_INSTANCE_BY_OPEN, .open must set *instance to its allocation");
        }
    }
    if (r != FALCO_OK) {
        falco__default_error(p, r, "open", NULL);
        free_params(src, inst->batch.params);
        free(inst->batch.events);
        free(inst->sdk_block);
        free(inst);
        *rc = falco__to_abi_rc(r == FALCO_EOF || r == FALCO_TIMEOUT ? FALCO_ERROR : r);
        return NULL;
    }
    *rc = FALCO_ABI_RC_SUCCESS;
    return inst;
}

void falco__source_close(falco_abi_plugin_t *s, falco_abi_instance_t *h) {
    falco_plugin *p = s;
    falco__instance *inst = h;
    if (!inst)
        return;
    if (p) {
        falco__begin_call(p, &p->misc_arena);
        if (source_of(p)->close)
            source_of(p)->close(p, inst->user);
    }
    falco__arena_free(&inst->batch.arena);
    free_params(p ? source_of(p) : NULL, inst->batch.params);
    free(inst->batch.events);
    free(inst->sdk_block);
    free(inst);
}

falco_abi_rc falco__source_next_batch(falco_abi_plugin_t *s, falco_abi_instance_t *h, uint32_t *n,
                                      falco_abi_event ***evts) {
    falco_plugin *p = s;
    falco__instance *inst = h;
    falco_batch *b = &inst->batch;
    p->error_set = false;
    p->current = &b->arena;
    p->extract.ev = NULL; /* no extraction in progress (falco_plugin_scratch) */
    /* Events of the previous batch are released: the cursor restarts at the
     * beginning of the arena's (largest) chunk. */
    falco__arena_reset(&b->arena);
    falco__arena_chunk *c = b->arena.head;
    b->head.next = b->events;
    b->head.last = b->events + b->cap;
    b->head.pos = c ? c->data : NULL;
    b->head.limit = b->space_limit = 0; /* no space until a chunk is there */
    if (c)
        clamp_end(b, c->data + c->size, b->cap);
    falco_rc r = source_of(p)->next_batch(p, inst->user, b);
    *n = batch_count(b);
    *evts = b->events;
    switch (r) {
    case FALCO_OK:
        /* The host rejects SUCCESS with no events: that means "nothing yet". */
        return *n ? FALCO_ABI_RC_SUCCESS : FALCO_ABI_RC_TIMEOUT;
    case FALCO_EOF:
    case FALCO_TIMEOUT:
        return falco__to_abi_rc(r);
    default:
        *n = 0;
        falco__default_error(p, r, "next_batch", NULL);
        return falco__to_abi_rc(r == FALCO_NOT_SUPPORTED ? FALCO_ERROR : r);
    }
}

uint32_t falco_batch_count(const falco_batch *b) {
    return batch_count(b);
}

falco_plugin *falco_batch_plugin(const falco_batch *b) {
    return b->p;
}

/* Memory for one event: from the cursor's free space, else from a new arena
 * chunk (the cursor then moves to that chunk). */
/* Memory for nslots events, whose slots the caller has checked and fills
 * next: need bytes (a multiple of 16, at least FALCO__BATCH_MIN_EVENT per
 * slot, so clamp_end's promise still holds), from the cursor's free space,
 * else from a new arena chunk (the cursor then moves to that chunk). */
static unsigned char *batch_alloc_n(falco_batch *b, size_t need, uint32_t nslots) {
    falco__batch_head *h = &b->head;
    falco__arena_chunk *c = b->arena.head;
    if (cursor_fits(b, need)) {
        unsigned char *e = h->pos;
        h->pos += need;
        return e;
    }
    if (c)
        c->used = (size_t)(h->pos - c->data); /* what the cursor handed out */
    unsigned char *e = falco__arena_alloc(&b->arena, need);
    if (!e)
        return NULL;
    c = b->arena.head;
    h->pos = c->data + c->used;
    clamp_end(b, c->data + c->size, (size_t)(h->last - h->next) - nslots);
    return e;
}

/* Memory for one event of total bytes. */
static unsigned char *batch_alloc(falco_batch *b, size_t total) {
    size_t need = FALCO__ALIGN16(total);
    if (need < FALCO__BATCH_MIN_EVENT)
        need = FALCO__BATCH_MIN_EVENT;
    return batch_alloc_n(b, need, 1);
}

/* The refusal of plugin events by a source without a plugin ID. */
static falco_rc no_plugin_id(falco_batch *b, const char *fn) {
    return falco_error(b->p, FALCO_EINVAL,
                       "next_batch: %s: a source without a plugin ID (FALCO_SYSCALL_SOURCE) cannot add plugin events "
                       "(the host refuses them)",
                       fn);
}

static void *reserve_plugin_event(falco_batch *b, uint32_t len, uint64_t ts) {
    falco__batch_head *h = &b->head;
    if (h->next == h->last || len > UINT32_MAX - FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET)
        return NULL;
    uint32_t total = FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET + len;
    unsigned char *e = batch_alloc(b, total);
    if (!e)
        return NULL;
    falco_abi_event hdr = {.ts = ts, .tid = UINT64_MAX, .len = total, .type = FALCO_ABI_EVENT_PLUGIN, .nparams = 2};
    uint32_t lens[3] = {4, len, h->plugin_id};
    memcpy(e, &hdr, PLUGIN_EVENT_HDR);
    memcpy(e + PLUGIN_EVENT_HDR, lens, sizeof lens);
    *h->next++ = (falco_abi_event *)e;
    return e + FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET;
}

void *falco_batch_reserve_plugin_event(falco_batch *b, uint32_t len, uint64_t ts) {
    if (!b->head.plugin_id) {
        no_plugin_id(b, "reserve_plugin_event");
        return NULL;
    }
    void *payload = reserve_plugin_event(b, len, ts);
    if (!payload && b->head.next == b->head.last)
        falco_error(b->p, FALCO_ERANGE, "next_batch: reserve_plugin_event: the batch is full (%u events)", b->cap);
    else if (!payload)
        falco_error(b->p, FALCO_ENOMEM, "next_batch: reserve_plugin_event: no memory for a %u-byte payload", len);
    return payload;
}

static falco__batch_reservation reserve_failed(falco_rc rc) {
    falco__batch_reservation r = {NULL, 0, rc};
    return r;
}

/* Why a reservation is refused (the hot path tests the same with fewer
 * branches). */
__attribute__((noinline, cold)) static falco__batch_reservation reserve_refused(falco_batch *b, uint32_t n,
                                                                                  uint32_t len) {
    const falco__batch_head *h = &b->head;
    uint32_t room = (uint32_t)(h->last - h->next);
    if (!h->plugin_id)
        return reserve_failed(no_plugin_id(b, "reserve_plugin_events"));
    if (n == 0)
        return reserve_failed(
            falco_error(b->p, FALCO_EINVAL, "next_batch: reserve_plugin_events: n is 0 (reserve 1 or more events)"));
    if (len == 0)
        return reserve_failed(falco_error(b->p, FALCO_EINVAL,
                                          "next_batch: reserve_plugin_events: payload length 0 (nothing to write in "
                                          "place: falco_batch_add_plugin_event(b, NULL, 0) adds an empty event)"));
    if (len > FALCO_BATCH_MAX_PAYLOAD)
        return reserve_failed(falco_error(b->p, FALCO_EINVAL,
                                          "next_batch: reserve_plugin_events: payload of %u bytes, more than an event "
                                          "holds (FALCO_BATCH_MAX_PAYLOAD, %u)",
                                          len, (unsigned)FALCO_BATCH_MAX_PAYLOAD));
    if (n > room)
        return reserve_failed(falco_error(b->p, FALCO_ERANGE,
                                          "next_batch: reserve_plugin_events: %u events asked, %u fit in the batch "
                                          "(falco_batch_room; .max_batch_events %u)",
                                          n, room, b->cap));
    return reserve_failed(falco_error(b->p, FALCO_ENOMEM,
                                      "next_batch: reserve_plugin_events: out of memory for %u events of %u bytes", n,
                                      FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET + len));
}

/* A 48-byte event as machine words, kept in registers by the loop below. */
#if defined(__GNUC__)
typedef unsigned char event_word __attribute__((vector_size(16)));
#else
typedef uint64_t event_word;
#endif
#define EVENT_WORDS (FALCO__BATCH_MIN_EVENT / sizeof(event_word))

_Static_assert(sizeof(falco__plugin_event_head) == FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET,
               "a plugin event's fixed part is 38 bytes");

/* A reservation off the fast path: events of more than 48 bytes, a cursor
 * out of space (new arena chunk), or refused. Each event is the header, then
 * the payload's zeroes. */
__attribute__((noinline)) static falco__batch_reservation reserve_slow(falco_batch *b, uint32_t n, uint32_t len,
                                                                        uint64_t ts) {
    falco__batch_head *h = &b->head;
    uint32_t total = FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET + len;
    uint32_t stride = (total + 15u) & ~15u; /* no wrap: len <= FALCO_BATCH_MAX_PAYLOAD */
    /* More than half the address space cannot be had (and pos + need, in
     * cursor_fits, must not wrap): out of memory. */
    uint64_t need = (uint64_t)stride * n; /* u32 * u32: no overflow */
    unsigned char *e = need <= PTRDIFF_MAX / 2 ? batch_alloc_n(b, (size_t)need, n) : NULL;
    if (!e)
        return reserve_refused(b, n, len);
    falco__plugin_event_head tmpl = {
        .hdr = {.ts = ts, .tid = UINT64_MAX, .len = total, .type = FALCO_ABI_EVENT_PLUGIN, .nparams = 2},
        .id_len = 4,
        .data_len = len,
        .plugin_id = h->plugin_id};
    falco_abi_event **slot = h->next;
    h->next = slot + n;
    falco__batch_reservation r = {e + sizeof tmpl, stride, FALCO_OK};
    for (uint32_t i = 0; i < n; i++, e += stride) {
        memcpy(e, &tmpl, sizeof tmpl);
        memset(e + sizeof tmpl, 0, len);
        slot[i] = (falco_abi_event *)(void *)e;
    }
    return r;
}

/* The fast path makes no call but tail calls, so it saves no register:
 * events of up to 48 bytes (payloads of up to 10) in the cursor's space. */
falco__batch_reservation falco__batch_reserve_plugin_events(falco_batch *b, uint32_t n, uint32_t len, uint64_t ts) {
    falco__batch_head *h = &b->head;
    /* n in 1..room, len in 1..FALCO_BATCH_MAX_PAYLOAD, a plugin ID: else
     * reserve_refused says which. */
    if (__builtin_expect(n - 1u >= (uint32_t)(h->last - h->next) || len - 1u >= FALCO_BATCH_MAX_PAYLOAD ||
                             !h->plugin_id,
                         0))
        return reserve_refused(b, n, len);
    size_t need = (size_t)FALCO__BATCH_MIN_EVENT * n;
    if (__builtin_expect(len > FALCO__BATCH_MIN_EVENT - FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET || !cursor_fits(b, need),
                         0))
        return reserve_slow(b, n, len, ts);
    unsigned char *e = h->pos;
    h->pos = e + need;
    falco_abi_event **slot = h->next;
    h->next = slot + n;
    falco__plugin_event_head tmpl = {
        .hdr = {.ts = ts,
                .tid = UINT64_MAX,
                .len = FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET + len,
                .type = FALCO_ABI_EVENT_PLUGIN,
                .nparams = 2},
        .id_len = 4,
        .data_len = len,
        .plugin_id = h->plugin_id};
    falco__batch_reservation r = {e + sizeof tmpl, FALCO__BATCH_MIN_EVENT, FALCO_OK};
    /* Every event is the same 48 bytes (the header, then zeroes), stored
     * from registers. */
    unsigned char whole[FALCO__BATCH_MIN_EVENT] = {0};
    event_word w[EVENT_WORDS];
    memcpy(whole, &tmpl, sizeof tmpl);
#if defined(__GNUC__)
    /* Whole words: clang would otherwise store the header field by field
     * (9 stores an event instead of 3). */
    __asm__ __volatile__("" : : "r"(whole) : "memory");
#endif
    memcpy(w, whole, sizeof w);
    for (uint32_t i = 0; i < n; i++, e += FALCO__BATCH_MIN_EVENT) {
        for (size_t k = 0; k < EVENT_WORDS; k++)
            memcpy(e + k * sizeof(event_word), &w[k], sizeof(event_word));
        slot[i] = (falco_abi_event *)(void *)e;
    }
    return r;
}

/* Everything the inline fast path in falco/source.h leaves out: a full
 * batch, a cursor out of space (new arena chunk), errors. */
falco_rc falco__batch_add_plugin_event_slow(falco_batch *b, const void *data, uint32_t len, uint64_t ts) {
    if (!b->head.plugin_id)
        return no_plugin_id(b, "add_plugin_event");
    if (b->head.next == b->head.last)
        return falco_error(b->p, FALCO_ERANGE, "next_batch: the batch is full (%u events)", b->cap);
    void *payload = reserve_plugin_event(b, len, ts);
    if (!payload)
        return falco_error(b->p, FALCO_ENOMEM, "next_batch: out of memory for a %u-byte event", len);
    if (len)
        memcpy(payload, data, len);
    return FALCO_OK;
}

falco_rc falco__batch_add_plugin_bytes_slow(falco_batch *b, uint64_t bytes, uint32_t len, uint64_t ts) {
    return falco__batch_add_plugin_event_slow(b, &bytes, len, ts); /* len <= 8: within bytes */
}

falco_rc falco_batch_add_event(falco_batch *b, const void *event, size_t len) {
    falco__batch_head *h = &b->head;
    if (h->next == h->last)
        return falco_error(b->p, FALCO_ERANGE, "next_batch: the batch is full (%u events)", b->cap);
    if (len < PLUGIN_EVENT_HDR || len > UINT32_MAX)
        return falco_error(b->p, FALCO_EINVAL, "next_batch: an event of %zu bytes is not a scap event", len);
    falco_abi_event hdr;
    memcpy(&hdr, event, PLUGIN_EVENT_HDR);
    if (hdr.len != len)
        return falco_error(b->p, FALCO_EINVAL, "next_batch: event header says %u bytes, %zu given", hdr.len, len);
    if (h->plugin_id) {
        uint32_t plen[2], id;
        if (hdr.type != FALCO_ABI_EVENT_PLUGIN || hdr.nparams != 2 || len < FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET)
            return falco_error(b->p, FALCO_EINVAL,
                               "next_batch: source with plugin id %u may only add plugin events (type 322, "
                               "2 params), got type %u with %u params",
                               h->plugin_id, hdr.type, hdr.nparams);
        memcpy(plen, (const unsigned char *)event + PLUGIN_EVENT_HDR, sizeof plen);
        memcpy(&id, (const unsigned char *)event + PLUGIN_EVENT_HDR + 8, sizeof id);
        if (plen[0] != 4 || plen[1] != len - FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET)
            return falco_error(b->p, FALCO_EINVAL,
                               "next_batch: plugin event param lengths %u and %u do not match its %zu bytes",
                               plen[0], plen[1], len);
        if (id != 0 && id != h->plugin_id)
            return falco_error(b->p, FALCO_EINVAL, "next_batch: plugin event carries plugin id %u, not ours (%u)",
                               id, h->plugin_id);
    }
    unsigned char *copy = batch_alloc(b, len);
    if (!copy)
        return falco_error(b->p, FALCO_ENOMEM, "next_batch: out of memory for a %zu-byte event", len);
    memcpy(copy, event, len);
    *h->next++ = (falco_abi_event *)copy;
    return FALCO_OK;
}

falco_rc falco_open_params_add(falco_open_params *out, const char *value, const char *desc, const char *separator) {
    if (!value || !*value)
        return falco_error(out->p, FALCO_EINVAL, "list_open_params: an open parameter has an empty value");
    falco_json_object_begin(out->w);
    falco_json_key(out->w, "value");
    falco_json_string_value(out->w, value);
    if (desc) {
        falco_json_key(out->w, "desc");
        falco_json_string_value(out->w, desc);
    }
    if (separator) {
        falco_json_key(out->w, "separator");
        falco_json_string_value(out->w, separator);
    }
    falco_json_object_end(out->w);
    return falco_json_writer_failed(out->w) ? FALCO_ENOMEM : FALCO_OK;
}

const char *falco__source_list_open_params(falco_abi_plugin_t *s, falco_abi_rc *rc) {
    falco_plugin *p = s;
    const falco_source_decl *src = source_of(p);
    falco__begin_call(p, &p->params_arena);
    falco__arena_reset(&p->params_arena);
    falco_open_params out = {p, falco_json_writer_new()};
    falco_rc r = out.w ? FALCO_OK : FALCO_ENOMEM;
    if (r == FALCO_OK) {
        falco_json_array_begin(out.w);
        for (size_t i = 0; r == FALCO_OK && i < src->open_params.count; i++) {
            const falco_open_param *op = &src->open_params.items[i];
            r = falco_open_params_add(&out, op->value, op->desc, op->separator);
        }
        if (r == FALCO_OK && src->list_open_params)
            r = src->list_open_params(p, &out);
        falco_json_array_end(out.w);
    }
    const char *json = NULL;
    if (r == FALCO_OK) {
        size_t len;
        const char *text = falco_json_writer_str(out.w, &len);
        json = text ? falco__arena_strdup(&p->params_arena, text) : NULL;
        if (!json)
            r = FALCO_ENOMEM;
    }
    falco_json_writer_free(out.w);
    if (r != FALCO_OK) {
        falco__default_error(p, r, "list_open_params", NULL);
        *rc = FALCO_ABI_RC_FAILURE;
        return NULL;
    }
    *rc = FALCO_ABI_RC_SUCCESS;
    return json;
}

const char *falco__source_get_progress(falco_abi_plugin_t *s, falco_abi_instance_t *h, uint32_t *pct) {
    falco_plugin *p = s;
    falco__instance *inst = h;
    const falco_source_decl *src = source_of(p);
    falco__begin_call(p, &p->misc_arena);
    falco__strbuf_reset(&p->progress_text);
    *pct = 0;
    if (!src->progress || !inst)
        return "";
    double percent = 0;
    if (src->progress(p, inst->user, &percent, &p->progress_text) != FALCO_OK)
        return "";
    if (!(percent >= 0)) /* also NaN */
        percent = 0;
    if (percent > 100)
        percent = 100;
    *pct = (uint32_t)(percent * 100.0 + 0.5);
    return falco_strbuf_str(&p->progress_text);
}

/* Default rendering of a plugin event: the payload itself when it is
 * printable text, else its bytes in hex. */
static void default_event_text(falco_plugin *p, const falco_event *ev, falco_strbuf *out) {
    const void *data;
    uint32_t len;
    if (falco_event_plugin_data(ev, &data, &len, NULL) != FALCO_OK) {
        falco_strbuf_printf(out, "<event type %u, %u bytes>", (unsigned)falco_event_type(ev),
                            (unsigned)falco_event_len(ev));
        return;
    }
    const unsigned char *c = data;
    bool printable = len > 0;
    for (uint32_t i = 0; i < len && printable; i++)
        printable = (c[i] >= 0x20 && c[i] < 0x7f) || c[i] == '\t' || (c[i] >= 0x80);
    if (printable) {
        falco_strbuf_append(out, data, len);
        return;
    }
    for (uint32_t i = 0; i < len; i++)
        falco_strbuf_printf(out, "%02x", c[i]);
    (void)p;
}

const char *falco__source_event_to_string(falco_abi_plugin_t *s, const falco_abi_event_input *evt) {
    falco_plugin *p = s;
    const falco_source_decl *src = source_of(p);
    falco__begin_call(p, &p->misc_arena);
    falco__strbuf_reset(&p->event_text);
    if (src->event_to_string) {
        if (src->event_to_string(p, evt, &p->event_text) != FALCO_OK) {
            falco__strbuf_reset(&p->event_text);
            falco_strbuf_printf(&p->event_text, "<event_to_string failed: %s>", p->last_error);
        }
    } else {
        default_event_text(p, evt, &p->event_text);
    }
    return falco_strbuf_str(&p->event_text);
}
