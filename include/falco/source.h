/*
 * falco/source.h - the event sourcing capability.
 *
 *   static falco_rc gen_next_batch(falco_plugin *p, void *inst, falco_batch *b) {
 *       gen_instance *in = inst;
 *       while (in->left && falco_batch_room(b)) {
 *           FALCO_TRY(falco_batch_add_plugin_event(b, &in->next, sizeof in->next));
 *           in->next++, in->left--;
 *       }
 *       return in->left ? FALCO_OK : FALCO_EOF;
 *   }
 *   FALCO_SOURCE(gen, .id = 999, .event_source = "gen", .instance_size = sizeof(gen_instance),
 *                .open = gen_open, .next_batch = gen_next_batch);
 *
 * Events sharing one payload size can be reserved a batch at a time and
 * written in place (falco_batch_reserve_plugin_events): for many events a
 * call, the fastest way.
 *
 * The SDK turns the callback's result into what the host expects: FALCO_OK
 * with no event becomes a TIMEOUT (the host treats SUCCESS with zero events as
 * an error), events added before FALCO_EOF or FALCO_TIMEOUT are delivered
 * first, and any error fails the batch with the message set by falco_error().
 *
 * Since: 0.1.0
 */
#ifndef FALCO_SOURCE_H
#define FALCO_SOURCE_H

#include <string.h>

#include <falco/base.h>
#include <falco/strbuf.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The batch being filled by a next_batch callback (opaque). */
typedef struct falco_batch falco_batch;

/* One suggested open parameter (list_open_params). */
typedef struct falco_open_param {
    const char *value;     /* a string usable as open() params */
    const char *desc;      /* optional */
    const char *separator; /* optional: value holds several params joined by it */
} falco_open_param;

typedef struct falco_open_param_list {
    const falco_open_param *items;
    size_t count;
} falco_open_param_list;

/* Collects open parameters computed at run time (.list_open_params). */
typedef struct falco_open_params falco_open_params;

/* Adds one suggestion; the strings are copied. */
falco_rc falco_open_params_add(falco_open_params *out, const char *value, const char *desc,
                               const char *separator);

/* Internal: generated functions of the source capability. */
typedef struct falco__source_fns {
    uint32_t (*get_id)(void);
    const char *(*get_event_source)(void);
    falco_abi_instance_t *(*open)(falco_abi_plugin_t *s, const char *params, falco_abi_rc *rc);
    void (*close)(falco_abi_plugin_t *s, falco_abi_instance_t *h);
    const char *(*list_open_params)(falco_abi_plugin_t *s, falco_abi_rc *rc);
    const char *(*get_progress)(falco_abi_plugin_t *s, falco_abi_instance_t *h, uint32_t *pct);
    const char *(*event_to_string)(falco_abi_plugin_t *s, const falco_abi_event_input *evt);
    falco_abi_rc (*next_batch)(falco_abi_plugin_t *s, falco_abi_instance_t *h, uint32_t *n,
                               falco_abi_event ***evts);
} falco__source_fns;

/* What FALCO_SOURCE's arguments initialize. Append-only. */
typedef struct falco_source_decl {
    int falco__present; /* set by FALCO_SOURCE */
    /* Plugin ID (registered with the Falco project) and event source name, or
     * both zero/NULL for a source of syscall-format events. A source with an
     * ID emits only plugin events (type 322). "syscall" is reserved. */
    uint32_t id;
    const char *event_source;

    /* Size of the zeroed per-instance block the SDK allocates before open and
     * frees after close: sizeof(your instance struct). Required: 0 fails init
     * with a message naming the fix. An .open that allocates the instance
     * itself says so with FALCO_INSTANCE_BY_OPEN; it must then set *instance
     * (an open returning FALCO_OK with *instance NULL fails). */
    size_t instance_size;
    /* Opens a capture. params is the host's open string ("" when none); with
     * .open_options, the decoded struct is falco_source_params(p).
     * *instance is the zeroed block of instance_size bytes (NULL with
     * FALCO_INSTANCE_BY_OPEN); replace it to use your own allocation, which
     * .close frees. An error fails open with its message. */
    falco_rc (*open)(falco_plugin *p, const char *params, void **instance);
    /* Closes a capture; free what open allocated (not the instance_size block). */
    void (*close)(falco_plugin *p, void *instance);
    /* Fills b with events; see the file comment for the result mapping. Required. */
    falco_rc (*next_batch)(falco_plugin *p, void *instance, falco_batch *b);
    /* Most events one batch may hold (default 512). */
    uint32_t max_batch_events;

    /* Suggested open parameters: a static list, and/or a callback. */
    falco_open_param_list open_params;
    falco_rc (*list_open_params)(falco_plugin *p, falco_open_params *out);

    /* Progress of a capture: *percent in [0, 100]; detail is optional text.
     * Without it, the host is told progress 0 with no detail. */
    falco_rc (*progress)(falco_plugin *p, void *instance, double *percent, falco_strbuf *detail);

    /* Text for one of this source's events. Without it the SDK renders
     * plugin events as their payload when printable, else as hex. */
    falco_rc (*event_to_string)(falco_plugin *p, const falco_event *ev, falco_strbuf *out);

    falco__source_fns falco__fns; /* set by FALCO_SOURCE */

    /* Declarative open parameters: options like the config's
     * (falco/config.h, same FALCO_CONFIG_* macros) mapping the keys of a JSON
     * object onto the struct of open_options_size bytes. The SDK decodes the
     * open string before .open runs (defaults first; "" means "{}") and fails
     * the open with a message naming the parameter:
     *   open params.batch: expected integer in 1..512, got 0
     *   open params: unknown key 'bach' (known: count, batch)
     * open_plain names the option a plain (non-JSON) open string sets: with
     * open_plain = "count", "100" is {"count": 100}; a string whose first
     * non-blank character is '{' is always JSON. Each .open_params suggestion
     * must decode (checked at init). */
    falco_config_option_list open_options;
    size_t open_options_size;
    const char *open_plain;
} falco_source_decl;

/* .instance_size for a source whose .open allocates *instance itself. */
#define FALCO_INSTANCE_BY_OPEN ((size_t)-1)

/* The decoded open parameters (.open_options) of the instance being opened,
 * from .open only (NULL elsewhere, or without .open_options). Owned by the
 * SDK; valid until that instance's close, so .open may keep the pointer.
 * Thread: the thread running .open. */
const void *falco_source_params(const falco_plugin *p);

/* The decoded open parameters of the instance a batch belongs to, from
 * next_batch (NULL without .open_options). Owned by the SDK; valid until the
 * instance's close. Thread: the thread running next_batch. */
const void *falco_batch_params(const falco_batch *b);

/* ---------------------------------------------------------------------------
 * Filling a batch (from next_batch only). Event memory belongs to the
 * instance and stays valid until its next next_batch or close.
 * ------------------------------------------------------------------------- */


/* How many events the batch holds. */
uint32_t falco_batch_count(const falco_batch *b);

/* Internal: the first members of every falco_batch, read and advanced by the
 * inline fast path below (adding an event is the innermost loop of a source).
 * Not part of the API: use the functions. */
typedef struct falco__batch_head {
    unsigned char *pos;     /* free space for events in the current arena chunk */
    /* The end of that space minus FALCO__BATCH_MIN_EVENT - 1 (0 without
     * space): an event of `need` bytes (at least the minimum) fits when
     * pos + (need - minimum) < limit, for 8-byte payloads one compare
     * against memory. */
    uintptr_t limit;
    falco_abi_event **next; /* next free slot of the event array */
    falco_abi_event **last; /* one past the last slot */
    uint32_t plugin_id;     /* written into every plugin event */
} falco__batch_head;

falco_rc falco__batch_add_plugin_event_slow(falco_batch *b, const void *data, uint32_t len, uint64_t ts);
/* The same for a payload of len <= 8 bytes held in the first len bytes of
 * `bytes` (as memcpy puts them there). */
falco_rc falco__batch_add_plugin_bytes_slow(falco_batch *b, uint64_t bytes, uint32_t len, uint64_t ts);

/* Every event takes at least this much of the batch's memory (a plugin
 * event is 38 bytes plus payload, rounded to 16). */
#define FALCO__BATCH_MIN_EVENT 48u

/* Internal: the fixed part of a plugin event, written with typed stores. */
#pragma pack(push, 1)
typedef struct falco__plugin_event_head {
    falco_abi_event hdr;
    uint32_t id_len;    /* 4 */
    uint32_t data_len;  /* payload bytes */
    uint32_t plugin_id;
} falco__plugin_event_head;
#pragma pack(pop)

/* Internal: typed views for the inline add's stores. A store through
 * memcpy or a char pointer may alias anything, so gcc would reload the
 * batch head (cursor, limit, slot, plugin id) after every event; stores
 * through these struct types cannot alias the head's members. */
typedef struct falco__batch_slot {
    falco_abi_event *ev;
} falco__batch_slot;
#pragma pack(push, 1)
typedef struct falco__payload_u64 {
    uint64_t v;
} falco__payload_u64;
typedef struct falco__payload_u32 {
    uint32_t v;
} falco__payload_u32;
#pragma pack(pop)

/* Appends a plugin event (type 322) carrying len bytes of data (copied) with
 * the given timestamp (nanoseconds since the epoch; UINT64_MAX lets the host
 * set the time it receives the event). FALCO_ERANGE when the batch is full,
 * FALCO_ENOMEM when out of memory, FALCO_EINVAL for a source without a
 * plugin ID (FALCO_SYSCALL_SOURCE: the host refuses such events), each with
 * a message. Inline: the
 * innermost loop of a source; a payload of 4 or 8 bytes (a constant len) is
 * copied with one typed store. Thread: next_batch's. */
static inline falco_rc falco_batch_add_plugin_event_ts(falco_batch *b, const void *data, uint32_t len,
                                                       uint64_t ts) {
    falco__batch_head *h = (falco__batch_head *)(void *)b;
    size_t need = ((size_t)FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET + len + 15u) & ~(size_t)15u;
    unsigned char *e = h->pos;
    falco_abi_event **slot = h->next;
    uint32_t plugin_id = h->plugin_id;
    /* One check: the cursor's space also bounds the free event slots. */
    if ((uintptr_t)e + (need - FALCO__BATCH_MIN_EVENT) >= h->limit) {
        if (__builtin_constant_p(len) && len && len <= sizeof(uint64_t)) {
            /* By value: the author's payload variable need not be stored to
             * memory on every event for the sake of this rare call. */
            uint64_t bytes = 0;
            memcpy(&bytes, data, len);
            return falco__batch_add_plugin_bytes_slow(b, bytes, len, ts);
        }
        return falco__batch_add_plugin_event_slow(b, data, len, ts);
    }
    /* The head first, then the event's stores: typed (falco__batch_slot,
     * falco__payload_*), none of them may alias the head, so a compiler
     * need not reload it because of them. */
    h->pos = e + need;
    h->next = slot + 1;
    falco__plugin_event_head *ev = (falco__plugin_event_head *)(void *)e;
    ev->hdr.ts = ts;
    ev->hdr.tid = UINT64_MAX;
    ev->hdr.len = (uint32_t)FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET + len;
    ev->hdr.type = FALCO_ABI_EVENT_PLUGIN;
    ev->hdr.nparams = 2;
    ev->id_len = 4;
    ev->data_len = len;
    ev->plugin_id = plugin_id;
    unsigned char *payload = e + FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET;
    if (__builtin_constant_p(len) && len == sizeof(uint64_t)) {
        uint64_t v;
        memcpy(&v, data, sizeof v);
        ((falco__payload_u64 *)(void *)payload)->v = v;
    } else if (__builtin_constant_p(len) && len == sizeof(uint32_t)) {
        uint32_t v;
        memcpy(&v, data, sizeof v);
        ((falco__payload_u32 *)(void *)payload)->v = v;
    } else if (len) {
        memcpy(payload, data, len);
    }
    ((falco__batch_slot *)(void *)slot)->ev = &ev->hdr;
    return FALCO_OK;
}

/* How many more events fit in this batch. */
static inline uint32_t falco_batch_room(const falco_batch *b) {
    const falco__batch_head *h = (const falco__batch_head *)(const void *)b;
    /* Written so that `while (... && falco_batch_room(b))` compiles to one
     * compare of the two slot pointers: a batch holds at most UINT32_MAX
     * events, so the count is never truncated. */
    if (h->next == h->last)
        return 0;
    size_t n = (size_t)(h->last - h->next);
#if defined(__GNUC__) || defined(__clang__)
    if (n == 0 || n > UINT32_MAX)
        __builtin_unreachable();
#endif
    return (uint32_t)n;
}

/* The same with the time set by the host. */
static inline falco_rc falco_batch_add_plugin_event(falco_batch *b, const void *data, uint32_t len) {
    return falco_batch_add_plugin_event_ts(b, data, len, UINT64_MAX);
}

/* Reserves a plugin event of len payload bytes and returns where to write the
 * payload (zero-copy), or NULL when the batch is full (falco_batch_room),
 * out of memory, or the source has no plugin ID (FALCO_SYSCALL_SOURCE);
 * falco_plugin_last_error then says which. ts == UINT64_MAX lets the host set
 * the time. Memory and thread: as falco_batch_reserve_plugin_events. */
void *falco_batch_reserve_plugin_event(falco_batch *b, uint32_t len, uint64_t ts);

/* Largest payload of one plugin event reserved in place: the event's length
 * (payload, plus 38 bytes of header and parameter lengths, rounded up to
 * 16) stays a u32. */
#define FALCO_BATCH_MAX_PAYLOAD ((uint32_t)(0xfffffff0u - FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET))

/* Plugin events reserved in place by falco_batch_reserve_plugin_events: the
 * payload of event i (0 <= i < count) is the `len` bytes at
 * payload + i * stride (falco_batch_span_payload). Payloads are not aligned:
 * write them with memcpy. Append-only. */
typedef struct falco_batch_span {
    unsigned char *payload; /* the first event's payload; NULL when nothing was reserved */
    size_t stride;          /* bytes from one event's payload to the next's */
    uint32_t count;         /* events reserved: the n asked for, or 0 */
} falco_batch_span;

/* Internal: what the out-of-line part returns, in two registers. */
typedef struct falco__batch_reservation {
    unsigned char *payload;
    uint32_t stride;
    falco_rc rc;
} falco__batch_reservation;
falco__batch_reservation falco__batch_reserve_plugin_events(falco_batch *b, uint32_t n, uint32_t len, uint64_t ts);

/* Reserves n plugin events (type 322) of len payload bytes each, in the
 * batch, in order after the events already added, and sets *span to where
 * their payloads are: write each payload in place, nothing is copied
 * afterwards. The SDK lays every event's header (timestamp ts, UINT64_MAX
 * letting the host set the time, falco_batch_span_set_ts changing one
 * event's; this source's plugin ID) and zeroes the payloads, so a payload
 * left unwritten reaches the host as zeros, never as an earlier batch's
 * bytes. The events count at once (falco_batch_count, falco_batch_room) and
 * mix with falco_batch_add_* and further reservations in any order.
 *
 * All or nothing: on error nothing is reserved, *span is {NULL, 0, 0}, and
 * the message (falco_error) names the problem: FALCO_EINVAL for n == 0,
 * len == 0 (falco_batch_add_plugin_event(b, NULL, 0) adds an empty event),
 * len over FALCO_BATCH_MAX_PAYLOAD, or a source without a plugin ID
 * (FALCO_SYSCALL_SOURCE: the host refuses plugin events without one);
 * FALCO_ERANGE when n is more than falco_batch_room(b); FALCO_ENOMEM.
 *
 * Memory: the batch's, owned by the instance: write the payloads before
 * next_batch returns; the host reads them until this instance's next
 * next_batch or close. Thread: next_batch's. Inline (a call into the SDK
 * for the n events, the span kept in registers): the per-event work is the
 * SDK's header loop and the caller's payload stores. */
static inline falco_rc falco_batch_reserve_plugin_events(falco_batch *b, uint32_t n, uint32_t len, uint64_t ts,
                                                         falco_batch_span *span) {
    falco__batch_reservation r = falco__batch_reserve_plugin_events(b, n, len, ts);
    span->payload = r.payload;
    span->stride = r.stride;
    span->count = r.rc == FALCO_OK ? n : 0;
    return r.rc;
}

/* Where event i of a span puts its payload (i < span->count; not checked). */
static inline void *falco_batch_span_payload(const falco_batch_span *span, uint32_t i) {
    return span->payload + (size_t)i * span->stride;
}

/* Sets the timestamp of event i of a span (i < span->count; not checked),
 * for events whose times differ: nanoseconds since the epoch, or UINT64_MAX
 * for the time the host receives it. */
static inline void falco_batch_span_set_ts(const falco_batch_span *span, uint32_t i, uint64_t ts) {
    memcpy(span->payload + (size_t)i * span->stride - FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET, &ts, sizeof ts);
}

/* Appends a complete, already encoded scap event of len bytes (copied). Its
 * header is checked: len matches the header's len, at least 26 bytes, and a
 * source with a plugin ID may only add plugin events carrying its own ID (or
 * 0, which the host fills). FALCO_EINVAL with a message otherwise. */
falco_rc falco_batch_add_event(falco_batch *b, const void *event, size_t len);

/* The plugin state of the batch, for falco_error() in helpers. */
falco_plugin *falco_batch_plugin(const falco_batch *b);

/* ---------------------------------------------------------------------------
 * Declaration macro
 * ------------------------------------------------------------------------- */
/* Internal: checks the source declaration's instance and open-parameter
 * members; on failure writes "plugin 'x': ..." into err and returns false. */
bool falco__source_validate(const falco_plugin_decl *d, char *err, size_t errlen);
uint32_t falco__source_get_id(const falco_plugin_decl *d);
const char *falco__source_get_event_source(const falco_plugin_decl *d);
falco_abi_instance_t *falco__source_open(falco_abi_plugin_t *s, const char *params, falco_abi_rc *rc);
void falco__source_close(falco_abi_plugin_t *s, falco_abi_instance_t *h);
const char *falco__source_list_open_params(falco_abi_plugin_t *s, falco_abi_rc *rc);
const char *falco__source_get_progress(falco_abi_plugin_t *s, falco_abi_instance_t *h, uint32_t *pct);
const char *falco__source_event_to_string(falco_abi_plugin_t *s, const falco_abi_event_input *evt);
falco_abi_rc falco__source_next_batch(falco_abi_plugin_t *s, falco_abi_instance_t *h, uint32_t *n,
                                      falco_abi_event ***evts);

#define FALCO__SOURCE_ID_LIST(X, id)                                                                 \
    X(id, uint32_t, get_id, (void), return falco__source_get_id(FALCO__DECL(id)))                    \
    X(id, const char *, get_event_source, (void), return falco__source_get_event_source(FALCO__DECL(id)))

#define FALCO__SOURCE_LIST(X, id)                                                                    \
    X(id, falco_abi_instance_t *, open, (falco_abi_plugin_t * s, const char *params, falco_abi_rc *rc), \
      return falco__source_open(s, params, rc))                                                      \
    X(id, void, close, (falco_abi_plugin_t * s, falco_abi_instance_t * h), falco__source_close(s, h)) \
    X(id, const char *, list_open_params, (falco_abi_plugin_t * s, falco_abi_rc * rc),               \
      return falco__source_list_open_params(s, rc))                                                  \
    X(id, const char *, get_progress, (falco_abi_plugin_t * s, falco_abi_instance_t * h, uint32_t * pct), \
      return falco__source_get_progress(s, h, pct))                                                  \
    X(id, const char *, event_to_string, (falco_abi_plugin_t * s, const falco_abi_event_input *evt), \
      return falco__source_event_to_string(s, evt))                                                  \
    X(id, falco_abi_rc, next_batch,                                                                  \
      (falco_abi_plugin_t * s, falco_abi_instance_t * h, uint32_t * n, falco_abi_event * **evts),    \
      return falco__source_next_batch(s, h, n, evts))

#define FALCO__SOURCE_FNS(id, get_id_fn, get_source_fn)                                            \
    {get_id_fn, get_source_fn, FALCO__FN_NAME(id, open), FALCO__FN_NAME(id, close),                 \
     FALCO__FN_NAME(id, list_open_params), FALCO__FN_NAME(id, get_progress),                        \
     FALCO__FN_NAME(id, event_to_string), FALCO__FN_NAME(id, next_batch)}

/* Declares the source capability of plugin `id` (after FALCO_PLUGIN(id, ...)),
 * for a source with a plugin ID and event source name (.id, .event_source:
 * init fails without them). The arguments are designated initializers of
 * falco_source_decl. */
#define FALCO_SOURCE(id, ...)                                                                       \
    FALCO__SOURCE_ID_LIST(FALCO__PROTO, id)                                                         \
    FALCO__SOURCE_LIST(FALCO__PROTO, id)                                                            \
    static struct falco_source_decl id##__falco_source = {                                          \
        .falco__present = 1,                                                                        \
        .falco__fns = FALCO__SOURCE_FNS(id, FALCO__FN_NAME(id, get_id),                             \
                                        FALCO__FN_NAME(id, get_event_source)),                      \
        __VA_ARGS__};                                                                               \
    FALCO__SOURCE_ID_LIST(FALCO__DEFINE, id)                                                        \
    FALCO__SOURCE_LIST(FALCO__DEFINE, id)                                                           \
    struct falco__source_##id##_declared_once

/* Declares a source of syscall-format events: no plugin ID, no event source
 * name (get_id and get_event_source are not exported), any event type. */
#define FALCO_SYSCALL_SOURCE(id, ...)                                                               \
    FALCO__SOURCE_LIST(FALCO__PROTO, id)                                                            \
    static struct falco_source_decl id##__falco_source = {                                          \
        .falco__present = 2,                                                                        \
        .falco__fns = FALCO__SOURCE_FNS(id, NULL, NULL),                                            \
        __VA_ARGS__};                                                                               \
    FALCO__SOURCE_LIST(FALCO__DEFINE, id)                                                           \
    struct falco__source_##id##_declared_once

#ifdef __cplusplus
}
#endif
#endif /* FALCO_SOURCE_H */
