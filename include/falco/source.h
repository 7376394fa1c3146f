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
     * frees after close; open may also set *instance itself. */
    size_t instance_size;
    /* Opens a capture. params is the host's open string ("" when none).
     * *instance is the zeroed block of instance_size bytes (or NULL); replace it
     * to use your own allocation. An error fails open with its message. */
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
} falco_source_decl;

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
    unsigned char *end;
    falco_abi_event **next; /* next free slot of the event array */
    falco_abi_event **last; /* one past the last slot */
    uint32_t plugin_id;     /* written into every plugin event */
} falco__batch_head;

falco_rc falco__batch_add_plugin_event_slow(falco_batch *b, const void *data, uint32_t len, uint64_t ts);

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

/* Appends a plugin event (type 322) carrying len bytes of data (copied) with
 * the given timestamp (nanoseconds since the epoch; UINT64_MAX lets the host
 * set the time it receives the event). FALCO_ERANGE when the batch is full,
 * FALCO_ENOMEM when out of memory, both with a message. */
static inline falco_rc falco_batch_add_plugin_event_ts(falco_batch *b, const void *data, uint32_t len,
                                                       uint64_t ts) {
    falco__batch_head *h = (falco__batch_head *)(void *)b;
    size_t need = ((size_t)FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET + len + 15u) & ~(size_t)15u;
    /* One check: the cursor's space also bounds the free event slots. */
    if ((size_t)(h->end - h->pos) < need)
        return falco__batch_add_plugin_event_slow(b, data, len, ts);
    unsigned char *e = h->pos;
    falco__plugin_event_head *ev = (falco__plugin_event_head *)(void *)e;
    h->pos = e + need;
    *h->next++ = &ev->hdr;
    ev->hdr.ts = ts;
    ev->hdr.tid = UINT64_MAX;
    ev->hdr.len = (uint32_t)FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET + len;
    ev->hdr.type = FALCO_ABI_EVENT_PLUGIN;
    ev->hdr.nparams = 2;
    ev->id_len = 4;
    ev->data_len = len;
    ev->plugin_id = h->plugin_id;
    if (len)
        memcpy(e + FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET, data, len);
    return FALCO_OK;
}

/* How many more events fit in this batch. */
static inline uint32_t falco_batch_room(const falco_batch *b) {
    const falco__batch_head *h = (const falco__batch_head *)(const void *)b;
    return (uint32_t)(h->last - h->next);
}

/* The same with the time set by the host. */
static inline falco_rc falco_batch_add_plugin_event(falco_batch *b, const void *data, uint32_t len) {
    return falco_batch_add_plugin_event_ts(b, data, len, UINT64_MAX);
}

/* Reserves a plugin event of len payload bytes and returns where to write the
 * payload (zero-copy), or NULL (full or out of memory; see falco_batch_room).
 * ts == UINT64_MAX lets the host set the time. */
void *falco_batch_reserve_plugin_event(falco_batch *b, uint32_t len, uint64_t ts);

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
