/* The extract capability: dispatch by field index, argument checks, typed
 * value setters with the per-call arena, the per-event context and value
 * offsets. This is the hottest path of a plugin: libsinsp calls
 * extract_fields with one field per call for every event and rule field. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const size_t kind_size[] = {0, sizeof(uint64_t), sizeof(const char *), sizeof(falco_abi_bool),
                                   sizeof(falco_abi_byte_buffer)};
static const char *const kind_name[] = {"?", "u64", "string", "bool", "ip address"};

/* Value storage class of the field being extracted (off the hot path). */
static uint8_t cur_kind(const falco_extract *x) {
    return FALCO__RT_KIND(&x->fields_rt[x->head.req->field_id]);
}

void falco__extract_init(falco_plugin *p) {
    p->extract.p = p;
    p->extract.xd = p->decl->falco__extract;
}

/* Caches what the hot path needs from the validated declaration (called
 * once init knows the runtime is valid). */
void falco__extract_ready(falco_plugin *p) {
    falco_extract *x = &p->extract;
    const falco_extract_decl *xd = x->xd;
    if (!xd->falco__present)
        return;
    x->fields = xd->fields.items;
    x->nfields = (uint32_t)xd->fields.count;
    x->fields_rt = p->rt->fields_rt;
    x->fast_nfields = x->fast_limit = x->nfields; /* the call arena starts clean */
    /* value_offsets exists in the input of hosts from API 3.11 on only. */
    x->offsets_enabled = xd->value_offsets && p->rt->api_minor >= 11;
    /* Our own copy, whose CHECKS byte says which argument requests may take
     * the fast path. Without memory, the shared table sends every field with
     * an argument the general way: slower, same results. */
    falco__field_rt *own = x->nfields ? malloc(x->nfields * sizeof *own) : NULL;
    if (!own)
        return;
    for (uint32_t i = 0; i < x->nfields; i++) {
        const falco_field *f = &x->fields[i];
        unsigned m = f->arg_required ? 0 : FALCO__RT_NOARG;
        if (f->arg == FALCO_ARG_INDEX)
            m |= FALCO__RT_INDEX;
        else if (f->arg == FALCO_ARG_KEY)
            m |= FALCO__RT_KEY;
        if (x->offsets_enabled)
            m |= FALCO__RT_OFFSETS;
        else if (m & FALCO__RT_INDEX)
            m |= FALCO__RT_INDEX_QUICK;
        own[i] = x->fields_rt[i];
        /* 0 keeps the argument-free fast path's single test. */
        FALCO__RT_CHECKS(&own[i]) = (uint8_t)(m == FALCO__RT_NOARG ? 0 : m);
    }
    free(x->fields_rt_own);
    x->fields_rt_own = own;
    x->fields_rt = own;
}

void falco__extract_free(falco_plugin *p) {
    free(p->extract.fields_rt_own);
    p->extract.fields_rt_own = NULL;
    falco__arena_free(&p->extract.call_arena);
    falco__arena_free(&p->extract.event_arena);
}

uint16_t *falco__extract_event_types(const falco_plugin_decl *d, uint32_t *n) {
    falco__runtime *rt = falco__runtime_get(d);
    if (!rt || !rt->event_types) {
        *n = 0;
        return NULL;
    }
    *n = rt->num_event_types;
    return rt->event_types;
}

const char *falco__extract_event_sources(const falco_plugin_decl *d) {
    falco__runtime *rt = falco__runtime_get(d);
    return rt ? rt->sources_json : NULL;
}

const char *falco__extract_get_fields(const falco_plugin_decl *d) {
    falco__runtime *rt = falco__runtime_get(d);
    /* An invalid table still answers with valid JSON; init reports why. */
    return rt && rt->fields_json ? rt->fields_json : "[]";
}

const falco_field *falco_extract_field(const falco_extract *x) {
    return &x->fields[x->head.req->field_id];
}

uint32_t falco_extract_field_index(const falco_extract *x) {
    return x->head.req->field_id;
}

const void *falco_extract_field_data(const falco_extract *x) {
    return x->fields[x->head.req->field_id].data;
}

/* Every allocation from the call arena goes through here: it closes the
 * fast path's gate until the next call resets the arena (extract_general). */
static void *call_alloc(falco_extract *x, size_t size) {
    x->fast_nfields = 0;
    return falco__arena_alloc(&x->call_arena, size);
}

void *falco_extract_alloc(falco_extract *x, size_t size) {
    return call_alloc(x, size);
}

void *falco_extract_event_alloc(falco_extract *x, size_t size) {
    return falco__arena_alloc(&x->event_arena, size);
}

falco_rc falco_extract_error(falco_extract *x, falco_rc rc, const char *fmt, ...) {
    falco_plugin *p = x->p;
    int n = snprintf(p->last_error, sizeof p->last_error, "field '%s': ", x->fields[x->head.req->field_id].name);
    if (n < 0 || (size_t)n >= sizeof p->last_error)
        n = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->last_error + n, sizeof p->last_error - (size_t)n, fmt, ap);
    va_end(ap);
    falco__error_mark(p);
    return rc;
}

falco_rc falco_extract_event_context(falco_extract *x, void **ctx) {
    const falco_extract_decl *xd = x->xd;
    *ctx = NULL;
    if (!xd->event_context_size)
        return falco_extract_error(x, FALCO_EMISUSE,
                                   "falco_extract_event_context: the declaration has no .event_context_size");
    const falco_abi_event_input *ev = x->ev;
    if (x->ctx_state == 0 || x->ctx_evtnum != ev->evtnum || x->ctx_evt != (const void *)ev->evt) {
        falco__arena_reset(&x->event_arena);
        x->ctx_evtnum = ev->evtnum;
        x->ctx_evt = ev->evt;
        x->ctx_error = NULL;
        x->ctx = falco__arena_alloc(&x->event_arena, xd->event_context_size);
        if (!x->ctx) {
            x->ctx_state = 0;
            return falco_extract_error(x, FALCO_ENOMEM, "out of memory for the event context");
        }
        memset(x->ctx, 0, xd->event_context_size);
        falco_rc rc = FALCO_OK;
        if (xd->prepare_event) {
            bool had_error = x->p->error_set;
            x->p->error_set = false;
            rc = xd->prepare_event(x, ev, x->ctx);
            if (rc != FALCO_OK) {
                falco__default_error(x->p, rc, "prepare_event", x->ev->evt);
                x->ctx_error = falco__arena_strdup(&x->event_arena, x->p->last_error);
            }
            x->p->error_set = x->p->error_set || had_error;
        }
        x->ctx_rc = rc;
        x->ctx_state = rc == FALCO_OK ? 1 : 2;
    } else if (x->ctx_state == 2) {
        /* Same event, already failed: repeat its message without re-parsing. */
        falco_error(x->p, x->ctx_rc, "%s", x->ctx_error ? x->ctx_error : "prepare_event failed");
    }
    if (x->ctx_state == 1)
        *ctx = x->ctx;
    return x->ctx_rc;
}

/* ---- setters: the inline fast paths live in falco/extract.h ---- */

static falco_rc kind_error(falco_extract *x, uint8_t kind) {
    return falco_extract_error(x, FALCO_ETYPE, "a %s value was set on a field of type %s", kind_name[kind],
                               kind_name[cur_kind(x)]);
}

/* Finds where to store the next value of the current field, growing the
 * values array in the call arena: *slot, or an error code with a message. */
static falco_rc value_slot(falco_extract *x, uint8_t kind, void **slot) {
    falco__extract_head *h = &x->head;
    if (kind != cur_kind(x))
        return kind_error(x, kind);
    falco_abi_extract_field *req = h->req;
    /* The values set so far: res_len, 0 at the field's start and kept by
     * every setter (the inline ones write 1 and no count of their own). */
    uint32_t count = (uint32_t)req->res_len;
    if (count > 0 && !x->fields[req->field_id].is_list)
        return falco_extract_error(x, FALCO_EMISUSE, "a second value was set on a field that is not a list");
    size_t es = kind_size[kind];
    void *values = req->res.u64;
    if (count == 0) {
        bool inline_first = h->st.v.single && es <= sizeof h->first;
        values = inline_first ? (void *)&h->first : NULL;
        x->cap = inline_first ? 1 : 0;
    } else if (values == (void *)&h->first) {
        x->cap = 1; /* the first value went inline through a fast path */
    }
    if (count == x->cap) {
        uint32_t cap = x->cap ? x->cap * 2 : 4;
        void *grown = call_alloc(x, cap * es);
        if (!grown)
            return falco_extract_error(x, FALCO_ENOMEM, "out of memory for %u values", cap);
        if (count)
            memcpy(grown, values, count * es);
        values = grown;
        x->cap = cap;
    }
    *slot = (unsigned char *)values + es * count;
    h->st.v.fast = 0;
    req->res.u64 = values;
    req->res_len = count + 1;
    return FALCO_OK;
}

falco_rc falco__extract_u64_slow(falco_extract *x, uint64_t v) {
    void *slot = NULL; /* set on FALCO_OK; gcc -O3 cannot see through value_slot */
    FALCO_TRY(value_slot(x, FALCO__KIND_U64, &slot));
    memcpy(slot, &v, sizeof v);
    return FALCO_OK;
}

falco_rc falco__extract_bool_slow(falco_extract *x, bool v) {
    void *slot = NULL; /* set on FALCO_OK; gcc -O3 cannot see through value_slot */
    FALCO_TRY(value_slot(x, FALCO__KIND_BOOL, &slot));
    falco_abi_bool b = v ? 1 : 0;
    memcpy(slot, &b, sizeof b);
    return FALCO_OK;
}

falco_rc falco__extract_str_ref_slow(falco_extract *x, const char *s) {
    if (!s)
        return falco_extract_error(x, FALCO_EINVAL, "a NULL string was set");
    void *slot = NULL; /* set on FALCO_OK; gcc -O3 cannot see through value_slot */
    FALCO_TRY(value_slot(x, FALCO__KIND_STR, &slot));
    memcpy(slot, &s, sizeof s);
    return FALCO_OK;
}

/* The first value of a single-field call (the way libsinsp asks) is copied
 * into the extraction's own buffer when it fits: no arena, so the next call
 * keeps the fast path (an arena that was used must be reset first).
 *
 * Up to STR_BYTEWISE bytes are copied one at a time, read as an extractor
 * that has just formatted the value wrote them (digit by digit, or through
 * snprintf): a wide load of bytes stored one by one (strlen's, memchr's, an
 * 8-byte copy) cannot take their values from the store buffer and waits for
 * the stores to complete. That stall cost about 10 ns a call, more than the
 * rest of the extraction (dummy.strvalue: 28 ns against the raw plugin's 15,
 * 17 with the byte copy). Longer values use the library's wide scans. */
#define STR_BYTEWISE 32u
_Static_assert(STR_BYTEWISE % 4 == 0, "falco_extract_str copies four bytes a turn");

/* The value in the extraction's buffer is complete: hand it to the host. */
static inline falco_rc str_done(falco_extract *x) {
    falco__extract_head *h = &x->head;
    h->first.str = x->strbuf;
    h->req->res.str = &h->first.str;
    h->req->res_len = 1;
    h->st.v.fast = 0; /* a next value goes to value_slot, which counts from res_len */
    return FALCO_OK;
}

/* Every string but the first short one of a single-field call: checked,
 * copied into the call arena. Out of line, so that the callers' fast paths
 * keep small frames. */
__attribute__((noinline)) static falco_rc str_general(falco_extract *x, const char *s, size_t len) {
    if (cur_kind(x) != FALCO__KIND_STR)
        return kind_error(x, FALCO__KIND_STR);
    if (!s && len)
        return falco_extract_error(x, FALCO_EINVAL, "a NULL string was set");
    if (len && memchr(s, '\0', len))
        return falco_extract_error(x, FALCO_EINVAL, "string value contains a NUL byte");
    char *copy = call_alloc(x, len + 1);
    if (!copy)
        return falco_extract_error(x, FALCO_ENOMEM, "out of memory for a %zu-byte string", len);
    if (len)
        memcpy(copy, s, len);
    copy[len] = '\0';
    return falco_extract_str_ref(x, copy);
}

__attribute__((noinline)) static falco_rc str_has_nul(falco_extract *x) {
    return falco_extract_error(x, FALCO_EINVAL, "string value contains a NUL byte");
}
/* A first value of falco_extract_strn longer than STR_BYTEWISE that fits. */
__attribute__((noinline)) static falco_rc strn_long(falco_extract *x, const char *s, size_t len) {
    if (memchr(s, '\0', len))
        return str_has_nul(x);
    memcpy(x->strbuf, s, len);
    x->strbuf[len] = '\0';
    return str_done(x);
}

falco_rc falco_extract_strn(falco_extract *x, const char *s, size_t len) {
    if (__builtin_expect(x->head.st.v.fast != FALCO__KIND_STR || !s || len >= sizeof x->strbuf, 0))
        return str_general(x, s, len);
    if (len > STR_BYTEWISE)
        return strn_long(x, s, len);
    char *d = x->strbuf;
    for (size_t i = 0; i < len; i++)
        if (!(d[i] = s[i]))
            return str_has_nul(x);
    d[len] = '\0';
    return str_done(x);
}

/* falco_extract_str's cold paths, out of line so that its fast path (the
 * byte copy) makes no call and needs no stack frame: each is a tail call. */
__attribute__((noinline)) static falco_rc str_null(falco_extract *x) {
    return falco_extract_error(x, FALCO_EINVAL, "a NULL string was set");
}
__attribute__((noinline)) static falco_rc str_measured(falco_extract *x, const char *s) {
    return str_general(x, s, strlen(s));
}
/* A first value longer than STR_BYTEWISE, whose first bytes are copied:
 * the rest measured and copied whole (the NUL with it). */
__attribute__((noinline)) static falco_rc str_long(falco_extract *x, const char *s) {
    size_t len = STR_BYTEWISE + strlen(s + STR_BYTEWISE);
    if (len >= sizeof x->strbuf)
        return str_general(x, s, len); /* strlen found the only NUL: str_general's check passes */
    memcpy(x->strbuf + STR_BYTEWISE, s + STR_BYTEWISE, len - STR_BYTEWISE + 1);
    return str_done(x);
}

falco_rc falco_extract_str(falco_extract *x, const char *s) {
    if (__builtin_expect(!s, 0))
        return str_null(x);
    if (__builtin_expect(x->head.st.v.fast != FALCO__KIND_STR, 0))
        return str_measured(x, s);
    char *d = x->strbuf;
    for (size_t i = 0; i < STR_BYTEWISE; i += 4) { /* four bytes a turn: one loop test for four */
        if (!(d[i] = s[i]))
            return str_done(x);
        if (!(d[i + 1] = s[i + 1]))
            return str_done(x);
        if (!(d[i + 2] = s[i + 2]))
            return str_done(x);
        if (!(d[i + 3] = s[i + 3]))
            return str_done(x);
    }
    return str_long(x, s);
}

falco_rc falco_extract_ip(falco_extract *x, const void *addr, uint32_t len) {
    if (cur_kind(x) != FALCO__KIND_BUF)
        return kind_error(x, FALCO__KIND_BUF);
    if (len != 4 && len != 16) {
        const falco_field *fd = &x->fields[x->head.req->field_id];
        /* libsinsp takes an ipnet value as an address and matches it against
         * the filter's networks; it aborts the filter on any other size, so
         * a network (address + prefix or mask) is refused, saying so. */
        if (fd->type == FALCO_FIELD_IPNET)
            return falco_extract_error(x, FALCO_EINVAL,
                                       "an ipnet value is an address, 4 (IPv4) or 16 (IPv6) bytes, that filters "
                                       "match against networks (%s = 10.0.0.0/8), not %u bytes",
                                       fd->name, len);
        return falco_extract_error(x, FALCO_EINVAL, "an IP address is 4 or 16 bytes, not %u", len);
    }
    if (!addr)
        return falco_extract_error(x, FALCO_EINVAL, "a NULL address was set");
    void *copy = call_alloc(x, len);
    if (!copy)
        return falco_extract_error(x, FALCO_ENOMEM, "out of memory");
    memcpy(copy, addr, len);
    void *slot = NULL; /* set on FALCO_OK; gcc -O3 cannot see through value_slot */
    FALCO_TRY(value_slot(x, FALCO__KIND_BUF, &slot));
    falco_abi_byte_buffer buf = {.len = len, .ptr = copy};
    memcpy(slot, &buf, sizeof buf);
    return FALCO_OK;
}

falco_rc falco_extract_u64_array(falco_extract *x, const uint64_t *v, size_t n) {
    for (size_t i = 0; i < n; i++)
        FALCO_TRY(falco_extract_u64(x, v[i]));
    return FALCO_OK;
}

falco_rc falco_extract_str_array(falco_extract *x, const char *const *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        FALCO_TRY(falco_extract_str(x, s[i]));
    return FALCO_OK;
}

void falco_extract_offset(falco_extract *x, uint32_t start, uint32_t length) {
    x->offset_set = true;
    x->offset_start = start;
    x->offset_length = length;
}

/* ---- dispatch ---- */

static falco_rc check_request(falco_extract *x, const falco_abi_extract_field *f) {
    const falco_field *fd = &x->fields[x->head.req->field_id];
    if (f->arg_present) {
        if (fd->arg == FALCO_ARG_NONE)
            return falco_extract_error(x, FALCO_EINVAL, "takes no argument");
        if (fd->arg == FALCO_ARG_KEY && (!f->arg_key || !*f->arg_key))
            return falco_extract_error(x, FALCO_EINVAL, "needs a key argument, e.g. %s[name]", fd->name);
        /* Hosts pass index arguments with a NULL key; a key means a string was given. */
        if (fd->arg == FALCO_ARG_INDEX && f->arg_key)
            return falco_extract_error(x, FALCO_EINVAL, "needs a numeric index argument, e.g. %s[0], got [%s]",
                                       fd->name, f->arg_key);
    } else if (fd->arg_required) {
        return falco_extract_error(x, FALCO_EINVAL, "needs an argument, e.g. %s[%s]", fd->name,
                                   fd->arg == FALCO_ARG_INDEX ? "0" : "name");
    }
    return FALCO_OK;
}

/* Records the failure of the current field and returns FAILURE. */
/* Out of line, like every path but the fast one, so the fast path keeps a
 * small stack frame. */
__attribute__((noinline)) static falco_abi_rc field_failed(falco_plugin *p, falco_extract *x, falco_abi_extract_field *f, falco_rc rc) {
    /* A message recorded for this field (falco__error_mark) stays. */
    if (!(x->head.st.v.spare[1] & FALCO__RT_ERROR)) {
        const char *detail = falco__take_detail(x->ev->evt);
        snprintf(p->last_error, sizeof p->last_error, "field '%s' on event #%llu: %s%s%s",
                 x->fields[x->head.req->field_id].name, (unsigned long long)x->ev->evtnum, falco_rc_message(rc),
                 *detail ? ": " : "", detail);
    }
    f->res_len = 0;
    return FALCO_ABI_RC_FAILURE;
}

/* Any number of fields, arguments, value offsets: the general path. */
__attribute__((noinline)) static falco_abi_rc extract_general(falco_plugin *p, falco_extract *x, const falco_abi_event_input *evt,
                                    const falco_abi_field_extract_input *in) {
    x->fast_nfields = x->fast_limit; /* the caller has just reset the call arena */
    bool single = in->num_fields == 1;
    falco_abi_extract_value_offsets *offs = x->offsets_enabled ? in->value_offsets : NULL;
    if (offs) {
        offs->start = call_alloc(x, in->num_fields * sizeof(uint32_t));
        offs->length = call_alloc(x, in->num_fields * sizeof(uint32_t));
        if (!offs->start || !offs->length) {
            falco_error(p, FALCO_ENOMEM, "extract: out of memory");
            return FALCO_ABI_RC_FAILURE;
        }
    }
    bool any_offset = false;
    for (uint32_t i = 0; i < in->num_fields; i++) {
        falco_abi_extract_field *f = &in->fields[i];
        f->res_len = 0;
        if (!f->arg_present)
            f->arg_index = 0; /* falco_extract_arg_index reads it as it is */
        if (f->field_id >= x->nfields) {
            falco_error(p, FALCO_EINVAL, "extract: field id %u is out of range (the plugin has %u fields)",
                        f->field_id, x->nfields);
            return FALCO_ABI_RC_FAILURE;
        }
        x->head.req = f;
        x->head.st.word = 0;
        x->head.st.v.single = single;
        x->head.st.v.fast = single ? x->fields_rt[f->field_id].start.v.fast : 0;
        x->offset_set = false;
        falco_rc rc = check_request(x, f);
        if (rc == FALCO_OK)
            rc = x->fields_rt[f->field_id].extract(x, evt);
        if (rc != FALCO_OK)
            return field_failed(p, x, f, rc);
        if (offs) {
            /* 0/0: this value does not come from a byte range of the event. */
            offs->start[i] = x->offset_set ? x->offset_start : 0;
            offs->length[i] = x->offset_set ? x->offset_length : 0;
            any_offset |= x->offset_set;
        }
    }
    if (offs && !any_offset)
        offs->start = offs->length = NULL; /* no offsets at all, as other SDKs report it */
    return FALCO_ABI_RC_SUCCESS;
}

/* Everything but the fast path: arena reset, then the general path. */
__attribute__((noinline)) static falco_abi_rc extract_slow(falco_plugin *p, const falco_abi_event_input *evt,
                                                           const falco_abi_field_extract_input *in) {
    falco_extract *x = &p->extract;
    p->error_set = false;
    p->current = &x->call_arena;
    falco__arena_reset(&x->call_arena);
    x->ev = evt;
    if (__builtin_expect(p->tables == NULL, 1))
        return extract_general(p, x, evt, in);
    /* State tables (table_import.c): the call's reader, granted for the
     * call (single fields of importers: extract_checked). */
    falco__tables_enter_ro(p, in->table_reader_ext);
    falco_abi_rc rc = extract_general(p, x, evt, in);
    falco__tables_leave_ro(p);
    return rc;
}

/* Whether a single-field request whose field takes an argument (or whose
 * plugin reports value offsets) may still take the fast path, from the
 * field's CHECKS byte: the argument is the kind the field declares (an index
 * comes with no key, a key is not empty), a required one is there, no
 * offsets are asked for, and the arena is clean. Everything else goes the
 * general way, which says what is wrong. */
static inline bool fast_args_ok(const falco_extract *x, const falco_abi_extract_field *f,
                                const falco_abi_field_extract_input *in, unsigned m) {
    if ((m & FALCO__RT_GENERAL) || x->call_arena.dirty || ((m & FALCO__RT_OFFSETS) && in->value_offsets))
        return false;
    if (!f->arg_present)
        return m & FALCO__RT_NOARG;
    if (!f->arg_key)
        return m & FALCO__RT_INDEX;
    return (m & FALCO__RT_KEY) && *f->arg_key;
}

_Static_assert((int)FALCO_OK == (int)FALCO_ABI_RC_SUCCESS, "extract_one returns FALCO_OK as the ABI's success");

/* Hides a value's origin from the optimizer (no instruction): keeps gcc
 * from hoisting the argument path's loads into the fast path's, or from
 * rematerializing a constant it knows a register holds. */
#define FALCO__OPAQUE(v) __asm__("" : "+r"(v))

/* One field of a single-field call whose request passed the checks: the
 * extractor runs with the head prepared for the inline setters. */
static inline falco_abi_rc extract_one(falco_plugin *p, falco_extract *x, const falco_abi_event_input *evt,
                                       falco_abi_extract_field *f, const falco__field_rt *rf) {
    /* The per-call state, in four stores: the error record is the head
     * state's (falco__error_mark), the scratch arena follows from the event
     * (falco_plugin_scratch), the arena is known clean (fast_nfields). */
    x->ev = evt;
    x->head.req = f;
    x->head.st = rf->start; /* count 0, single, the inline kind: one store */
    f->res_len = 0; /* the setters write res and res_len */
    falco_rc rc = rf->extract(x, evt);
    if (__builtin_expect(rc != FALCO_OK, 0))
        return field_failed(p, x, x->head.req, rc);
    /* FALCO_OK is FALCO_ABI_RC_SUCCESS: returned from its register (else
     * gcc loads the constant again). */
    FALCO__OPAQUE(rc);
    return (falco_abi_rc)rc;
}

/* A single field with an argument other than a required index, or of a
 * plugin that reports offsets or imports tables: the fast path still, when
 * fast_args_ok (a used arena never comes here: the fast_nfields gate sends
 * it to extract_slow). Out of line so that the fast path keeps its small
 * frame. */
__attribute__((noinline)) static falco_abi_rc extract_checked(falco_plugin *p, const falco_abi_event_input *evt,
                                                              const falco_abi_field_extract_input *in) {
    falco_extract *x = &p->extract;
    falco_abi_extract_field *f = in->fields;
    const falco__field_rt *rf = &x->fields_rt[f->field_id];
    unsigned m = FALCO__RT_CHECKS(rf);
    if (!f->arg_present)
        f->arg_index = 0; /* falco_extract_arg_index reads it as it is */
    /* The usual request of an importer first: no argument, none allowed
     * either way, no offsets (the gate saw a clean arena). */
    if (__builtin_expect(m == (FALCO__RT_TABLES | FALCO__RT_NOARG) && !f->arg_present, 1)) {
        falco__tables_enter_ro(p, in->table_reader_ext);
        falco_abi_rc rc = extract_one(p, x, evt, f, rf);
        falco__tables_leave_ro(p);
        return rc;
    }
    if (!fast_args_ok(x, f, in, m))
        return extract_slow(p, evt, in);
    if (!(m & FALCO__RT_TABLES))
        return extract_one(p, x, evt, f, rf);
    /* The call's read-only grant around the extractor (as extract_slow). */
    falco__tables_enter_ro(p, in->table_reader_ext);
    falco_abi_rc rc = extract_one(p, x, evt, f, rf);
    falco__tables_leave_ro(p);
    return rc;
}

falco_abi_rc falco__extract_fields(falco_abi_plugin_t *s, const falco_abi_event_input *evt,
                                   const falco_abi_field_extract_input *in) {
    falco_plugin *p = s;
    falco_extract *x = &p->extract;
    /* The way libsinsp asks: one field, no argument, no offsets, nothing to
     * release from the previous call. Kept free of calls but the
     * extractor's, so it needs almost no stack frame. A field with its
     * index argument takes it too; other arguments extract_checked. */
    if (__builtin_expect(in->num_fields != 1, 0))
        return extract_slow(p, evt, in);
    falco_abi_extract_field *f = in->fields;
    uint32_t id = f->field_id;
    /* One test for a valid id and a clean call arena (0 when it was used). */
    if (__builtin_expect(id >= x->fast_nfields, 0))
        return extract_slow(p, evt, in);
    const falco__field_rt *rf = &x->fields_rt[id];
    if (__builtin_expect(f->arg_present | FALCO__RT_CHECKS(rf), 0)) {
        /* The common argument, still the fast path: the field takes an
         * index, the host gave one (no key), no offsets to report. Anything
         * else: extract_checked. */
        FALCO__OPAQUE(f); /* reloaded here: the test above stays two loads and an or */
        FALCO__OPAQUE(rf);
        if (__builtin_expect(!(FALCO__RT_CHECKS(rf) & FALCO__RT_INDEX_QUICK) || !f->arg_present || f->arg_key, 0))
            return extract_checked(p, evt, in);
    }
    return extract_one(p, x, evt, f, rf);
}
