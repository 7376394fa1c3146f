/*
 * falco/extract.h - the field extraction capability.
 *
 * Fields are a static const table (like Wireshark's hf_register_info):
 *
 *   static falco_rc gen_value(falco_extract *x, const falco_event *ev) {
 *       uint64_t v;
 *       FALCO_TRY(falco_event_payload_u64(ev, &v));
 *       return falco_extract_u64(x, v);
 *   }
 *   static const falco_field gen_fields[] = {
 *       { .name = "gen.value", .type = FALCO_FIELD_U64, .desc = "the value", .extract = gen_value },
 *   };
 *   FALCO_EXTRACT(gen, .fields = FALCO_LIST(gen_fields));
 *
 * The SDK generates get_fields' JSON from the table and validates the table at
 * init (names, duplicates, argument flags) with a message naming the entry.
 * The host asks one field per call; the SDK dispatches by index to the field's
 * extract function, checks the argument against the declaration before the
 * call, and checks every value's type against the field's type in the setter
 * (always on, release builds too). An extractor that sets no value reports
 * "no value for this event", which is not an error.
 *
 * Since: 0.1.0
 */
#ifndef FALCO_EXTRACT_H
#define FALCO_EXTRACT_H

#include <falco/base.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The extraction in progress (opaque): one field of one event. */
typedef struct falco_extract falco_extract;

/* Field value types; the values are the ABI's. */
typedef enum falco_field_type {
    FALCO_FIELD_U64 = 8,
    FALCO_FIELD_STRING = 9,
    FALCO_FIELD_RELTIME = 20, /* nanoseconds, u64 */
    FALCO_FIELD_ABSTIME = 21, /* nanoseconds since the epoch, u64 */
    FALCO_FIELD_BOOL = 25,
    FALCO_FIELD_IPADDR = 40, /* 4 or 16 bytes, network order */
    /* An address too (4 or 16 bytes, network order), not a network: filters
     * match it against networks (`f = 10.0.0.0/8`, `f in (...)`, and they
     * refuse a bare address); outputs print it as <IPNET>. */
    FALCO_FIELD_IPNET = 41
} falco_field_type;

/* What argument a field takes: `name[3]` (index) or `name[key]` (key). */
typedef enum falco_field_arg {
    FALCO_ARG_NONE = 0,
    FALCO_ARG_INDEX = 1,
    FALCO_ARG_KEY = 2
} falco_field_arg;

/* Field properties (bit flags). */
#define FALCO_FIELD_HIDDEN 0x1u       /* "hidden": not shown in field lists */
#define FALCO_FIELD_INFO 0x2u         /* "info" */
#define FALCO_FIELD_CONVERSATION 0x4u /* "conversation" */

typedef falco_rc (*falco_extract_fn)(falco_extract *x, const falco_event *ev);

/* One field. Append-only. */
typedef struct falco_field {
    const char *name;       /* "plugin.field": letters, digits, '_', '.', '-'; unique */
    falco_field_type type;
    bool is_list;           /* the extractor may set several values */
    falco_field_arg arg;    /* argument kind, FALCO_ARG_NONE by default */
    bool arg_required;      /* the argument must be given (needs arg != NONE) */
    const char *display;    /* optional display name */
    const char *desc;       /* required */
    unsigned properties;    /* FALCO_FIELD_HIDDEN | ... */
    bool add_output;        /* suggested in Falco's output (API 3.8+) */
    falco_extract_fn extract;
    const void *data;       /* handed back by falco_extract_field_data(): one
                               extractor can serve many fields */
} falco_field;

typedef struct falco_field_list {
    const falco_field *items;
    size_t count;
} falco_field_list;

typedef struct falco_event_type_list {
    const uint16_t *items;
    size_t count;
} falco_event_type_list;

/* .event_types = FALCO_EVENT_TYPES(322, 402) */
#define FALCO_EVENT_TYPES(...) \
    { (const uint16_t[]){__VA_ARGS__}, sizeof((const uint16_t[]){__VA_ARGS__}) / sizeof(uint16_t) }
/* .sources = FALCO_SOURCES("gen", "json") */
#define FALCO_SOURCES(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Called once per event before the first field that asks for the per-event
 * context (falco_extract_event_context): parse the event once into ctx (a
 * zeroed block of event_context_size bytes) and reuse it for every field of
 * the same event. Memory for the parse result comes from
 * falco_extract_event_alloc(). A failure is remembered for the event: every
 * field of it fails with the same message without calling this again. */
typedef falco_rc (*falco_extract_prepare_fn)(falco_extract *x, const falco_event *ev, void *ctx);

/* Internal: generated functions of the extract capability. */
typedef struct falco__extract_fns {
    uint16_t *(*get_extract_event_types)(uint32_t *numtypes, falco_abi_plugin_t *s);
    const char *(*get_extract_event_sources)(void);
    const char *(*get_fields)(void);
    falco_abi_rc (*extract_fields)(falco_abi_plugin_t *s, const falco_abi_event_input *evt,
                                   const falco_abi_field_extract_input *in);
} falco__extract_fns;

/* What FALCO_EXTRACT's arguments initialize. Append-only. */
typedef struct falco_extract_decl {
    int falco__present;
    falco_field_list fields; /* FALCO_LIST(fields); at least one */
    /* Event sources the fields apply to (NULL-terminated). Default: the
     * plugin's own event source if it has one, else every source. */
    const char *const *sources;
    /* Event types the fields apply to. Default: plugin events (322). */
    falco_event_type_list event_types;
    /* Per-event context (see falco_extract_prepare_fn). */
    size_t event_context_size;
    falco_extract_prepare_fn prepare_event;
    /* The extractors report value offsets (falco_extract_offset); declares
     * plugin API 3.11. */
    bool value_offsets;
    falco__extract_fns falco__fns;
} falco_extract_decl;

/* ---------------------------------------------------------------------------
 * Inside an extractor
 * ------------------------------------------------------------------------- */

/* The plugin state, and the author's state (falco_plugin_state): inline,
 * below (struct falco__extract_head). */
static inline falco_plugin *falco_extract_plugin(const falco_extract *x);
static inline void *falco_extract_state(const falco_extract *x);

/* The field being extracted, its index in the table and its .data. */
const falco_field *falco_extract_field(const falco_extract *x);
uint32_t falco_extract_field_index(const falco_extract *x);
const void *falco_extract_field_data(const falco_extract *x);

/* The argument: falco_extract_has_arg, falco_extract_arg_index and
 * falco_extract_arg_key are defined inline below, with the setters. */

/* The per-event context: *ctx points to the block prepared by
 * .prepare_event for this event (prepared now if it was not yet). Returns
 * the prepare function's result (remembered for the event). FALCO_EMISUSE
 * when the declaration has no event context. */
falco_rc falco_extract_event_context(falco_extract *x, void **ctx);

/* Memory that lives until the host moves to another event (for the parse
 * result behind the event context). 16-byte aligned; NULL when out of memory. */
void *falco_extract_event_alloc(falco_extract *x, size_t size);

/* Memory that lives until the next extract call on this plugin state
 * (e.g. to build a string value in place). NULL when out of memory. */
void *falco_extract_alloc(falco_extract *x, size_t size);

/* falco_error() for extractors: message for the host, then returns rc.
 * The SDK prefixes "field '<name>': ". */
falco_rc falco_extract_error(falco_extract *x, falco_rc rc, const char *fmt, ...) FALCO_PRINTF(3, 4);

/* ---------------------------------------------------------------------------
 * Setting values. Each call adds one value; a second value on a non-list
 * field, or a value of the wrong type, is FALCO_ETYPE/FALCO_EMISUSE with a
 * message naming the field. Values are copied unless the name says _ref.
 * ------------------------------------------------------------------------- */

/* Internal: the first members of every falco_extract, read by the inline
 * fast paths of the most common setters below (one value of a single-field
 * extraction, the way libsinsp asks). Not part of the API: use the functions. */
typedef union falco__extract_state {
    struct {
        uint32_t count; /* 0, unused: the request's res_len counts the values set */
        uint8_t single; /* one field in this call */
        /* The kind whose next value may go straight into `first` (first
         * value of a single-field call), else 0. One byte, checked alone by
         * the inline setters, so the check never waits on smaller stores. */
        uint8_t fast;
        uint8_t spare[2]; /* the SDK's per-field table keeps the field's kind and flags here */
    } v;
    uint64_t word;
} falco__extract_state;

typedef struct falco__extract_head {
    union {
        uint64_t u64;
        const char *str;
        falco_abi_bool boolean;
    } first;                      /* storage of the first value when `single` */
    falco_abi_extract_field *req; /* the host's request: res and res_len are written here */
    falco__extract_state st;      /* written whole (one store) at each field's start */
    void *state;                  /* the author's state (falco_extract_state) */
} falco__extract_head;
/* The extraction handle is the plugin state's first member (so its address
 * is the plugin state's), and starts with the head. */
static inline falco_plugin *falco_extract_plugin(const falco_extract *x) {
    return (falco_plugin *)(void *)x;
}
static inline void *falco_extract_state(const falco_extract *x) {
    return ((const falco__extract_head *)(const void *)x)->state;
}

#define FALCO__KIND_U64 1
#define FALCO__KIND_STR 2
#define FALCO__KIND_BOOL 3
#define FALCO__KIND_BUF 4

falco_rc falco__extract_u64_slow(falco_extract *x, uint64_t v);

/* The argument: whether one was given, and its value (0 without one). The
 * SDK has already checked that it matches the field's declaration (an index
 * for FALCO_ARG_INDEX, a non-empty key for FALCO_ARG_KEY, present when
 * required). The key is owned by the host and valid during the call; NULL
 * without an argument. Inline: read on every extraction of such a field.
 * falco_extract_arg_index reads the request's index as it is: for a field
 * that declares an argument the SDK zeroes it when none was given, so that
 * the common case (a required index) costs one load; a field declaring
 * FALCO_ARG_NONE gets what the host passed (0 from libsinsp). Thread: the
 * extractor's. */
static inline bool falco_extract_has_arg(const falco_extract *x) {
    return ((const falco__extract_head *)(const void *)x)->req->arg_present != 0;
}
static inline uint64_t falco_extract_arg_index(const falco_extract *x) {
    return ((const falco__extract_head *)(const void *)x)->req->arg_index;
}
static inline const char *falco_extract_arg_key(const falco_extract *x) {
    const falco_abi_extract_field *f = ((const falco__extract_head *)(const void *)x)->req;
    return f->arg_present ? f->arg_key : NULL;
}

falco_rc falco__extract_str_ref_slow(falco_extract *x, const char *s);
falco_rc falco__extract_bool_slow(falco_extract *x, bool v);

/* For U64, RELTIME and ABSTIME fields. */
static inline falco_rc falco_extract_u64(falco_extract *x, uint64_t v) {
    falco__extract_head *h = (falco__extract_head *)(void *)x;
    if (h->st.v.fast != FALCO__KIND_U64)
        return falco__extract_u64_slow(x, v);
    h->first.u64 = v;
    h->req->res.u64 = &h->first.u64;
    h->req->res_len = 1;
    h->st.v.fast = 0; /* the next value goes the checked way (res_len counts) */
    return FALCO_OK;
}

/* For STRING fields, without a copy: s must stay valid until the next extract
 * call on this plugin state (literals, plugin state, event-context memory). */
static inline falco_rc falco_extract_str_ref(falco_extract *x, const char *s) {
    falco__extract_head *h = (falco__extract_head *)(void *)x;
    if (h->st.v.fast != FALCO__KIND_STR || !s)
        return falco__extract_str_ref_slow(x, s);
    h->first.str = s;
    h->req->res.str = &h->first.str;
    h->req->res_len = 1;
    h->st.v.fast = 0; /* the next value goes the checked way (res_len counts) */
    return FALCO_OK;
}

/* For BOOL fields. */
static inline falco_rc falco_extract_bool(falco_extract *x, bool v) {
    falco__extract_head *h = (falco__extract_head *)(void *)x;
    if (h->st.v.fast != FALCO__KIND_BOOL)
        return falco__extract_bool_slow(x, v);
    h->first.boolean = v ? 1u : 0u;
    h->req->res.boolean = &h->first.boolean;
    h->req->res_len = 1;
    h->st.v.fast = 0; /* the next value goes the checked way (res_len counts) */
    return FALCO_OK;
}

/* For STRING fields: s (NUL-terminated) is copied into memory that lives
 * until the next extract call on this plugin state: the first value of a
 * field asked alone (the way libsinsp asks), up to 255 bytes, goes into the
 * extraction's own buffer (no arena, no allocation); others into the call
 * arena. For a string that already outlives the call, falco_extract_str_ref
 * saves the copy. */
falco_rc falco_extract_str(falco_extract *x, const char *s);
/* For STRING fields: the first len bytes of s are copied (like
 * falco_extract_str) and NUL-terminated; FALCO_EINVAL when they contain a
 * NUL byte (the host measures with strlen). */
falco_rc falco_extract_strn(falco_extract *x, const char *s, size_t len);
/* For IPADDR and IPNET fields: an address of len 4 (IPv4) or 16 (IPv6)
 * bytes in network order, copied into memory that lives until the next
 * extract call on this plugin state. An IPNET value is also an address:
 * libsinsp matches it against the networks a filter names (`f =
 * 10.0.0.0/8` holds for 10.1.2.3; `!=`, `in` and `intersects` likewise; a
 * v4 address is in no v6 network), refuses a filter value without a
 * prefix, prints the value as <IPNET>, and aborts a filter on a value of
 * any other size. FALCO_EINVAL for any other len (for IPNET, naming this
 * contract: no prefix or netmask) or a NULL addr; FALCO_ETYPE on a field of
 * another type. Extractor thread only. */
falco_rc falco_extract_ip(falco_extract *x, const void *addr, uint32_t len);
/* Several values at once for list fields. */
falco_rc falco_extract_u64_array(falco_extract *x, const uint64_t *v, size_t n);
falco_rc falco_extract_str_array(falco_extract *x, const char *const *s, size_t n);

/* Reports where in the event the value was read (start offset from the
 * event's first byte, length). Recorded only when the host asked for offsets
 * and the declaration sets .value_offsets; otherwise a no-op. */
void falco_extract_offset(falco_extract *x, uint32_t start, uint32_t length);

/* ---------------------------------------------------------------------------
 * Declaration macro
 * ------------------------------------------------------------------------- */
uint16_t *falco__extract_event_types(const falco_plugin_decl *d, uint32_t *n);
const char *falco__extract_event_sources(const falco_plugin_decl *d);
const char *falco__extract_get_fields(const falco_plugin_decl *d);
falco_abi_rc falco__extract_fields(falco_abi_plugin_t *s, const falco_abi_event_input *evt,
                                   const falco_abi_field_extract_input *in);

#define FALCO__EXTRACT_LIST(X, id)                                                                  \
    X(id, uint16_t *, get_extract_event_types, (uint32_t * n, falco_abi_plugin_t * s),              \
      (void)s; return falco__extract_event_types(FALCO__DECL(id), n))                               \
    X(id, const char *, get_extract_event_sources, (void),                                          \
      return falco__extract_event_sources(FALCO__DECL(id)))                                         \
    X(id, const char *, get_fields, (void), return falco__extract_get_fields(FALCO__DECL(id)))      \
    X(id, falco_abi_rc, extract_fields,                                                             \
      (falco_abi_plugin_t * s, const falco_abi_event_input *evt, const falco_abi_field_extract_input *in), \
      return falco__extract_fields(s, evt, in))

/* Declares the field extraction capability of plugin `id` (after
 * FALCO_PLUGIN(id, ...)). The arguments are designated initializers of
 * falco_extract_decl. */
#define FALCO_EXTRACT(id, ...)                                                                      \
    FALCO__EXTRACT_LIST(FALCO__PROTO, id)                                                           \
    static struct falco_extract_decl id##__falco_extract = {                                        \
        .falco__present = 1,                                                                        \
        .falco__fns = {FALCO__FN_NAME(id, get_extract_event_types),                                 \
                       FALCO__FN_NAME(id, get_extract_event_sources), FALCO__FN_NAME(id, get_fields), \
                       FALCO__FN_NAME(id, extract_fields)},                                         \
        __VA_ARGS__};                                                                               \
    FALCO__EXTRACT_LIST(FALCO__DEFINE, id)                                                          \
    struct falco__extract_##id##_declared_once

#ifdef __cplusplus
}
#endif
#endif /* FALCO_EXTRACT_H */
