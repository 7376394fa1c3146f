/* The source capability: instances, batches, open params, progress and
 * event_to_string, with the host's batch rules applied at the boundary. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define DEFAULT_MAX_BATCH 512u
#define PLUGIN_EVENT_HDR 26u
#define FALCO__ALIGN16(n) (((size_t)(n) + 15u) & ~(size_t)15u)

struct falco_batch {
    falco_plugin *p;
    uint32_t plugin_id; /* 0 for syscall-format sources */
    uint32_t count;
    uint32_t cap;
    falco_abi_event **events;
    falco__arena arena;
};

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
    if (inst) {
        inst->batch.events = malloc(cap * sizeof *inst->batch.events);
        if (src->instance_size)
            inst->sdk_block = calloc(1, src->instance_size);
    }
    if (!inst || !inst->batch.events || (src->instance_size && !inst->sdk_block)) {
        if (inst) {
            free(inst->batch.events);
            free(inst->sdk_block);
        }
        free(inst);
        falco_error(p, FALCO_ENOMEM, "open: out of memory");
        *rc = FALCO_ABI_RC_FAILURE;
        return NULL;
    }
    inst->batch.p = p;
    inst->batch.cap = cap;
    inst->batch.plugin_id = src->id;
    inst->user = inst->sdk_block;
    falco_rc r = src->open(p, params ? params : "", &inst->user);
    if (r != FALCO_OK) {
        falco__default_error(p, r, "open");
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
    free(inst->batch.events);
    free(inst->sdk_block);
    free(inst);
}

falco_abi_rc falco__source_next_batch(falco_abi_plugin_t *s, falco_abi_instance_t *h, uint32_t *n,
                                      falco_abi_event ***evts) {
    falco_plugin *p = s;
    falco__instance *inst = h;
    falco_batch *b = &inst->batch;
    falco__begin_call(p, &b->arena);
    falco__arena_reset(&b->arena);
    b->count = 0;
    falco_rc r = source_of(p)->next_batch(p, inst->user, b);
    *n = b->count;
    *evts = b->events;
    switch (r) {
    case FALCO_OK:
        /* The host rejects SUCCESS with no events: that means "nothing yet". */
        return b->count ? FALCO_ABI_RC_SUCCESS : FALCO_ABI_RC_TIMEOUT;
    case FALCO_EOF:
    case FALCO_TIMEOUT:
        return falco__to_abi_rc(r);
    default:
        *n = 0;
        falco__default_error(p, r, "next_batch");
        return falco__to_abi_rc(r == FALCO_NOT_SUPPORTED ? FALCO_ERROR : r);
    }
}

uint32_t falco_batch_room(const falco_batch *b) {
    return b->cap - b->count;
}

uint32_t falco_batch_count(const falco_batch *b) {
    return b->count;
}

falco_plugin *falco_batch_plugin(const falco_batch *b) {
    return b->p;
}

/* The per-event path of every source: everything below is inlined into the
 * two public entry points so that adding an event costs one call. */

/* Bump allocation from the batch arena's current chunk; the arena handles
 * the rare case of a full chunk. */
static inline unsigned char *batch_alloc(falco_batch *b, uint32_t total) {
    falco__arena_chunk *c = b->arena.head;
    size_t need = FALCO__ALIGN16(total);
    if (c && c->size - c->used >= need) {
        unsigned char *e = c->data + c->used;
        c->used += need;
        return e;
    }
    return falco__arena_alloc(&b->arena, total);
}

/* memcpy for the small payloads sources usually add, without a libc call. */
static inline void copy_payload(unsigned char *dst, const void *src, uint32_t len) {
    const unsigned char *s = src;
    if (len >= 8 && len <= 16) {
        memcpy(dst, s, 8);
        memcpy(dst + len - 8, s + len - 8, 8);
    } else if (len >= 4 && len < 8) {
        memcpy(dst, s, 4);
        memcpy(dst + len - 4, s + len - 4, 4);
    } else if (len) {
        memcpy(dst, s, len);
    }
}

static inline void *reserve_plugin_event(falco_batch *b, uint32_t len, uint64_t ts) {
    if (b->count == b->cap || len > UINT32_MAX - FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET)
        return NULL;
    uint32_t total = FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET + len;
    unsigned char *e = batch_alloc(b, total);
    if (!e)
        return NULL;
    falco_abi_event hdr = {.ts = ts, .tid = UINT64_MAX, .len = total, .type = FALCO_ABI_EVENT_PLUGIN, .nparams = 2};
    uint32_t lens[3] = {4, len, b->plugin_id};
    memcpy(e, &hdr, PLUGIN_EVENT_HDR);
    memcpy(e + PLUGIN_EVENT_HDR, lens, sizeof lens);
    b->events[b->count++] = (falco_abi_event *)e;
    return e + FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET;
}

/* Everything but the common case, out of line so the fast path needs no
 * stack frame: a full batch, a large payload, a new arena chunk, errors. */
static __attribute__((noinline)) falco_rc add_plugin_event_slow(falco_batch *b, const void *data, uint32_t len,
                                                                uint64_t ts) {
    void *payload = reserve_plugin_event(b, len, ts);
    if (!payload) {
        if (b->count == b->cap)
            return falco_error(b->p, FALCO_ERANGE, "next_batch: the batch is full (%u events)", b->cap);
        return falco_error(b->p, FALCO_ENOMEM, "next_batch: out of memory for a %u-byte event", len);
    }
    if (len)
        memcpy(payload, data, len);
    return FALCO_OK;
}

#define SMALL_PAYLOAD 16u

static inline falco_rc add_plugin_event(falco_batch *b, const void *data, uint32_t len, uint64_t ts) {
    falco__arena_chunk *c = b->arena.head;
    const size_t need = FALCO__ALIGN16(FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET + SMALL_PAYLOAD);
    if (b->count == b->cap || len > SMALL_PAYLOAD || !c || c->size - c->used < need)
        return add_plugin_event_slow(b, data, len, ts);
    unsigned char *e = c->data + c->used;
    c->used += FALCO__ALIGN16(FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET + len);
    falco_abi_event hdr = {.ts = ts,
                           .tid = UINT64_MAX,
                           .len = FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET + len,
                           .type = FALCO_ABI_EVENT_PLUGIN,
                           .nparams = 2};
    uint32_t lens[3] = {4, len, b->plugin_id};
    memcpy(e, &hdr, PLUGIN_EVENT_HDR);
    memcpy(e + PLUGIN_EVENT_HDR, lens, sizeof lens);
    copy_payload(e + FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET, data, len);
    b->events[b->count++] = (falco_abi_event *)e;
    return FALCO_OK;
}

void *falco_batch_reserve_plugin_event(falco_batch *b, uint32_t len, uint64_t ts) {
    return reserve_plugin_event(b, len, ts);
}

falco_rc falco_batch_add_plugin_event_ts(falco_batch *b, const void *data, uint32_t len, uint64_t ts) {
    return add_plugin_event(b, data, len, ts);
}

falco_rc falco_batch_add_plugin_event(falco_batch *b, const void *data, uint32_t len) {
    return add_plugin_event(b, data, len, UINT64_MAX);
}

falco_rc falco_batch_add_event(falco_batch *b, const void *event, size_t len) {
    if (b->count == b->cap)
        return falco_error(b->p, FALCO_ERANGE, "next_batch: the batch is full (%u events)", b->cap);
    if (len < PLUGIN_EVENT_HDR || len > UINT32_MAX)
        return falco_error(b->p, FALCO_EINVAL, "next_batch: an event of %zu bytes is not a scap event", len);
    falco_abi_event hdr;
    memcpy(&hdr, event, PLUGIN_EVENT_HDR);
    if (hdr.len != len)
        return falco_error(b->p, FALCO_EINVAL, "next_batch: event header says %u bytes, %zu given", hdr.len, len);
    if (b->plugin_id) {
        uint32_t plen[2], id;
        if (hdr.type != FALCO_ABI_EVENT_PLUGIN || hdr.nparams != 2 || len < FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET)
            return falco_error(b->p, FALCO_EINVAL,
                               "next_batch: source with plugin id %u may only add plugin events (type 322, "
                               "2 params), got type %u with %u params",
                               b->plugin_id, hdr.type, hdr.nparams);
        memcpy(plen, (const unsigned char *)event + PLUGIN_EVENT_HDR, sizeof plen);
        memcpy(&id, (const unsigned char *)event + PLUGIN_EVENT_HDR + 8, sizeof id);
        if (plen[0] != 4 || plen[1] != len - FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET)
            return falco_error(b->p, FALCO_EINVAL,
                               "next_batch: plugin event param lengths %u and %u do not match its %zu bytes",
                               plen[0], plen[1], len);
        if (id != 0 && id != b->plugin_id)
            return falco_error(b->p, FALCO_EINVAL, "next_batch: plugin event carries plugin id %u, not ours (%u)",
                               id, b->plugin_id);
    }
    void *copy = falco__arena_alloc(&b->arena, len);
    if (!copy)
        return falco_error(b->p, FALCO_ENOMEM, "next_batch: out of memory for a %zu-byte event", len);
    memcpy(copy, event, len);
    b->events[b->count++] = copy;
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
        falco__default_error(p, r, "list_open_params");
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
