/*
 * falco/host.h - libfalcohost: a plugin host in C that behaves like libsinsp.
 *
 * Loads any Falco plugin (a .so written with any SDK, or a statically linked
 * falco_abi_plugin_api), validates it with the rules libsinsp applies at load
 * and init time, and drives it: sourcing, extraction, parsing, async events,
 * capture listening, config, metrics. The SDK's tests, `falcoplug` and plugin
 * authors' own tests use it to see their plugin the way Falco sees it.
 *
 *   falco_host_plugin *p;
 *   if (falco_host_plugin_load("./libdummy.so", &p) != FALCO_OK) {
 *       fprintf(stderr, "%s\n", falco_host_errmsg(p));
 *       falco_host_plugin_free(p);
 *       return 1;
 *   }
 *   falco_host_plugin_init(p, "{\"jitter\": 5}");
 *   falco_host_instance *in;
 *   falco_host_open(p, "", &in);
 *   const falco_abi_event *ev;
 *   while (falco_host_next(in, &ev) == FALCO_OK) { ... }
 *   falco_host_close(in);
 *   falco_host_plugin_free(p);
 *
 * Errors: every function returning falco_rc leaves a message readable with
 * falco_host_errmsg(plugin) that names the plugin, the call and what was
 * wrong, and ends with the plugin's own get_last_error where it has one:
 *   plugin 'dummy': next_batch: returned SUCCESS with 0 events
 * The message is overwritten by the next failing call on the same plugin.
 *
 * Thread-safety: a falco_host_plugin and its instances are used by one thread
 * at a time, like libsinsp's inspector. The async event handler the host
 * installs in the plugin may be called from any thread (see
 * falco_host_set_async_handler).
 *
 * Since: 0.1.0
 */
#ifndef FALCO_HOST_H
#define FALCO_HOST_H

#include <falco/abi.h>
#include <falco/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The plugin API version this host implements; plugins requiring more are rejected. */
#define FALCO_HOST_API_VERSION_STRING FALCO_ABI_VERSION_STRING

/* The event schema major version of the driver this host stands for: plugins
 * that parse or extract syscall events must require this major. */
#define FALCO_HOST_EVENT_SCHEMA_MAJOR 4

/* A loaded plugin: library handle, resolved API, load-time info, plugin state. */
typedef struct falco_host_plugin falco_host_plugin;

/* An open event stream of a source-capable plugin (plugin_open .. plugin_close). */
typedef struct falco_host_instance falco_host_instance;

/* A parsed field reference "name" or "name[arg]", ready to extract. */
typedef struct falco_host_extractor falco_host_extractor;

/* Capabilities, detected from the symbols the plugin exports. */
typedef enum falco_host_cap {
    FALCO_HOST_CAP_SOURCE = 1 << 0,  /* open + close + next_batch */
    FALCO_HOST_CAP_EXTRACT = 1 << 1, /* get_fields + extract_fields */
    FALCO_HOST_CAP_PARSE = 1 << 2,   /* parse_event */
    FALCO_HOST_CAP_ASYNC = 1 << 3,   /* get_async_events + set_async_event_handler */
    FALCO_HOST_CAP_LISTEN = 1 << 4   /* capture_open + capture_close */
} falco_host_cap;

/* ---- loading ------------------------------------------------------------ */

/* Loads the plugin at path with dlopen(RTLD_NOW | RTLD_LOCAL), resolves every
 * plugin_<member> symbol and applies libsinsp's load-time rules: API version
 * compatibility (3.12.0 host), required symbols, semver version strings,
 * capability symbol sets (partial set = broken, none = rejected),
 * get_id/get_event_source both-or-neither, the reserved "syscall" source,
 * get_fields JSON, extract/parse/async source lists, async event names.
 * Stores the handle in *out in every case but out of memory (then *out is
 * NULL and FALCO_ENOMEM returned), so that on failure falco_host_errmsg(*out)
 * tells why and every rule that failed is listed by the findings functions;
 * a handle that failed to load accepts nothing but errmsg, the findings, the
 * descriptive getters and falco_host_plugin_free().
 * Returns FALCO_OK, FALCO_ENOTFOUND (no such file / dlopen failed),
 * FALCO_EINVAL (a rule failed), FALCO_ENOMEM. Free *out with
 * falco_host_plugin_free(). */
falco_rc falco_host_plugin_load(const char *path, falco_host_plugin **out);

/* As falco_host_plugin_load for a statically linked plugin: api (copied; it
 * may be freed after the call) stands for the resolved symbols; label names
 * the plugin in messages until its name is known (NULL: "static plugin"). */
falco_rc falco_host_plugin_load_api(const falco_abi_plugin_api *api, const char *label,
                                    falco_host_plugin **out);

/* Destroys the plugin state (plugin_destroy), closes instances left open,
 * frees extractors left alive, unloads the library. NULL is a no-op. */
void falco_host_plugin_free(falco_host_plugin *p);

/* Returns the message of the last failure on p ("" when none). For a NULL p
 * (load ran out of memory) returns "out of memory". Owned by p, valid until
 * the next call on p. */
const char *falco_host_errmsg(const falco_host_plugin *p);

/* Every rule violation found while loading p, in the order found, as
 * messages like errmsg's. falco_host_errmsg() after a failed load is the
 * first of them. Strings owned by p, valid until it is freed. Later calls
 * (init, get_fields checks) append theirs too. */
size_t falco_host_finding_count(const falco_host_plugin *p);
const char *falco_host_finding(const falco_host_plugin *p, size_t i);

/* Returns true when host version `host` ("3.12.0") accepts a plugin requiring
 * `required`: same major and host minor > required minor, or equal minors and
 * host patch >= required patch. On false writes why into err (errlen bytes,
 * NUL-terminated; err may be NULL). Both strings must be semver x.y.z. */
bool falco_host_api_compatible(const char *host, const char *required, char *err, size_t errlen);

/* Returns true when s is a version "x.y.z" (decimal numbers, optionally
 * followed by a "-prerelease" and/or "+build" suffix). */
bool falco_host_semver_valid(const char *s);

/* ---- what the plugin declares (valid once loaded; strings owned by p) ---- */

/* The plugin's get_name/get_version/get_description/get_contact/
 * get_required_api_version strings, copied at load ("" when unavailable). */
const char *falco_host_plugin_name(const falco_host_plugin *p);
const char *falco_host_plugin_version(const falco_host_plugin *p);
const char *falco_host_plugin_description(const falco_host_plugin *p);
const char *falco_host_plugin_contact(const falco_host_plugin *p);
const char *falco_host_plugin_required_api_version(const falco_host_plugin *p);

/* The path given to falco_host_plugin_load, or the label of a static plugin. */
const char *falco_host_plugin_path(const falco_host_plugin *p);

/* Bitwise OR of falco_host_cap. */
unsigned falco_host_plugin_caps(const falco_host_plugin *p);

/* Source plugins: the event id (0 for a plugin without one) and source name
 * ("" without id). */
uint32_t falco_host_plugin_id(const falco_host_plugin *p);
const char *falco_host_plugin_event_source(const falco_host_plugin *p);

/* Source lists as the host resolved them: the JSON array the plugin returned
 * (empty strings dropped) plus, for a plugin with its own source, that source.
 * An empty extract/parse list means "compatible with every source". Items
 * owned by p. async_events are the names the plugin may send. */
falco_string_list falco_host_plugin_extract_sources(const falco_host_plugin *p);
falco_string_list falco_host_plugin_parse_sources(const falco_host_plugin *p);
falco_string_list falco_host_plugin_async_sources(const falco_host_plugin *p);
falco_string_list falco_host_plugin_async_events(const falco_host_plugin *p);

/* The init schema the plugin returns (NULL when it has none); *type (may be
 * NULL) receives its schema type. Owned by p. */
const char *falco_host_plugin_init_schema(const falco_host_plugin *p, falco_abi_schema_type *type);

/* ---- fields (extract plugins; valid once loaded) ------------------------- */

/* One field as declared by get_fields, validated like libsinsp does. */
typedef struct falco_host_field {
    uint32_t id;                /* index in get_fields: the field_id handed to extract_fields */
    const char *name;
    const char *display;        /* "" when absent */
    const char *desc;
    falco_abi_field_type type;
    const char *type_name;      /* "string", "uint64", ... as in the JSON */
    bool is_list;
    bool add_output;
    bool arg_required;
    bool arg_index;             /* the argument is a decimal index */
    bool arg_key;               /* the argument is any string */
    falco_string_list properties; /* e.g. "hidden", "info", "conversation" */
} falco_host_field;

/* Number of fields, and field i (NULL when out of range). Owned by p. */
size_t falco_host_field_count(const falco_host_plugin *p);
const falco_host_field *falco_host_field_at(const falco_host_plugin *p, size_t i);

/* The field named name (exact match, no argument), or NULL. */
const falco_host_field *falco_host_field_find(const falco_host_plugin *p, const char *name);

/* Returns the JSON name of an ABI field type ("uint64"), or "unknown". Static. */
const char *falco_host_field_type_name(falco_abi_field_type t);

/* ---- logging ------------------------------------------------------------- */

/* Receives every log line: the plugin's own (log_fn) and the host's (parse
 * failures, warnings). component is the plugin's component or its name. */
typedef void (*falco_host_log_fn)(void *userdata, const char *component, const char *msg,
                                  falco_abi_log_severity sev);

/* Replaces the log sink of p (NULL restores the default: one line on stderr,
 * "[severity] component: msg"). Call before init to catch init's lines. */
void falco_host_set_log(falco_host_plugin *p, falco_host_log_fn fn, void *userdata);

/* Returns "fatal", "critical", "error", "warning", "notice", "info", "debug",
 * "trace", or "unknown". Static string. */
const char *falco_host_severity_name(falco_abi_log_severity sev);

/* ---- init, config, metrics ---------------------------------------------- */

/* Calls plugin_init once. When the plugin returns an init schema of type JSON,
 * an empty (or NULL) config becomes "{}" and the config is validated against
 * it (JSON schema subset: type, properties, required, additionalProperties,
 * enum, minimum, maximum, items); without a schema the config is passed as
 * given (NULL as ""). The tables input is given only to plugins that parse or
 * extract; log_fn, owner and get_owner_last_error always. A state returned
 * with a failure code is kept for its get_last_error, then destroyed. After a
 * successful init the extract/parse event types are resolved and a plugin
 * that parses or extracts syscall events must require event schema major 4.
 * Returns FALCO_OK, FALCO_EINVAL (config rejected by the schema, bad schema),
 * FALCO_ERROR (the plugin failed; errmsg includes its last error),
 * FALCO_EMISUSE (not loaded, or already initialized). */
falco_rc falco_host_plugin_init(falco_host_plugin *p, const char *config);

/* True once falco_host_plugin_init succeeded. */
bool falco_host_plugin_inited(const falco_host_plugin *p);

/* The config string actually handed to plugin_init (after "{}" defaulting),
 * or NULL before init. Owned by p. */
const char *falco_host_plugin_config(const falco_host_plugin *p);

/* Validates config like init does and calls plugin_set_config. Returns
 * FALCO_NOT_SUPPORTED when the plugin has no set_config, FALCO_EINVAL,
 * FALCO_ERROR (plugin failure, with its last error), FALCO_EMISUSE. */
falco_rc falco_host_plugin_set_config(falco_host_plugin *p, const char *config);

/* The plugin's get_last_error now (NULL without a state or a message). Owned
 * by the plugin: valid until the next call into it. */
const char *falco_host_plugin_last_error(const falco_host_plugin *p);

/* The plugin's metrics: *out points into plugin memory valid until the next
 * call into the plugin; *n their count. Without get_metrics, 0 metrics and
 * FALCO_OK. FALCO_EMISUSE before init. */
falco_rc falco_host_plugin_metrics(falco_host_plugin *p, const falco_abi_metric **out, uint32_t *n);

/* The event codes the plugin extracts from (parse: parses), as resolved after
 * init: its get_*_event_types, or when it names none, every code for plugins
 * compatible with "syscall" (then *all is true and the list empty) and {322}
 * otherwise. Owned by p; n and all may not be NULL. */
const uint16_t *falco_host_plugin_extract_types(const falco_host_plugin *p, size_t *n, bool *all);
const uint16_t *falco_host_plugin_parse_types(const falco_host_plugin *p, size_t *n, bool *all);

/* Tables the plugin registered through the init tables input's add_table
 * (recorded, not served yet). Names owned by p. */
size_t falco_host_added_table_count(const falco_host_plugin *p);
const char *falco_host_added_table_name(const falco_host_plugin *p, size_t i);

/* ---- sourcing -------------------------------------------------------------- */

/* One entry of list_open_params. Strings owned by p. */
typedef struct falco_host_open_param {
    const char *value;
    const char *desc;      /* "" when absent */
    const char *separator; /* "" when absent */
} falco_host_open_param;

/* Calls list_open_params and parses its JSON array of {value, desc,
 * separator} (value non-empty). *out (owned by p, valid until the next call)
 * may be NULL when *n is 0; a plugin without the symbol gives 0 params.
 * Returns FALCO_OK, FALCO_ERROR (plugin failure), FALCO_EPARSE (bad JSON),
 * FALCO_EMISUSE (not a source plugin or not initialized). */
falco_rc falco_host_list_open_params(falco_host_plugin *p, const falco_host_open_param **out, size_t *n);

/* Opens a stream with params (NULL as ""). One instance at a time per plugin,
 * as in libsinsp. Returns FALCO_OK with *out set, FALCO_ERROR (plugin
 * failure, errmsg with its last error), FALCO_EMISUSE (not a source plugin,
 * not initialized, an instance already open). */
falco_rc falco_host_open(falco_host_plugin *p, const char *params, falco_host_instance **out);

/* Delivers the next event of in, fetching a batch when the current one is
 * used up, with libscap's rules: SUCCESS with 0 events is an error; events
 * returned along with TIMEOUT or EOF are delivered first, then the code;
 * each event header is validated (len >= 26, lengths inside len); a plugin
 * with an id may emit only type 322 with 2 params and its own id (0 is
 * replaced with it); every 322 event gets tid -1; ts UINT64_MAX becomes the
 * current time (both written into the plugin's memory, as libscap does).
 * Returns FALCO_OK with *evt (plugin memory, valid until the next
 * falco_host_next on in), FALCO_TIMEOUT (try again), FALCO_EOF, FALCO_ERROR
 * (plugin failure), FALCO_EPARSE (bad event from the plugin). After an error
 * the instance only accepts falco_host_close(). */
falco_rc falco_host_next(falco_host_instance *in, const falco_abi_event **evt);

/* Number of events delivered by in so far: the evtnum of the last event (from 1). */
uint64_t falco_host_instance_evtnum(const falco_host_instance *in);

/* The plugin in belongs to. */
falco_host_plugin *falco_host_instance_plugin(const falco_host_instance *in);

/* Calls get_progress: *pct (0..10000, hundredths of a percent) and *str
 * (plugin memory, valid until the next call into the plugin; "" when NULL;
 * str may be NULL). Without the symbol: FALCO_NOT_SUPPORTED, *pct 0. */
falco_rc falco_host_progress(falco_host_instance *in, uint32_t *pct, const char **str);

/* Calls plugin_close and frees in. NULL is a no-op. */
void falco_host_close(falco_host_instance *in);

/* Renders a plugin event of p's own source like libsinsp: the plugin's
 * event_to_string, or when it has none or returns "", "datalen=N data=..."
 * (up to 50 printable bytes, "<binary>" otherwise). *out owned by p, valid
 * until the next call on p. Returns FALCO_EINVAL for an event that is not a
 * 322 event carrying p's id, FALCO_EPARSE for a malformed one. */
falco_rc falco_host_event_to_string(falco_host_plugin *p, const falco_abi_event_input *evt, const char **out);

/* Checks an event header and its parameter lengths against bufsize (bytes
 * readable at evt): bufsize >= 26, 26 <= len <= bufsize, the length table
 * (u16 each, u32 for 322/324/402) and the sum of parameter lengths inside
 * len. For 322 and 402 also the parameter count (2 and 3) and their sizes.
 * Returns FALCO_OK or FALCO_EPARSE with the reason and byte offset in err
 * (errlen bytes, NUL-terminated, may be NULL). Thread-safe. */
falco_rc falco_host_event_validate(const falco_abi_event *evt, size_t bufsize, char *err, size_t errlen);

/* ---- extraction ------------------------------------------------------------ */

/* Values extracted for one field. Pointers are plugin memory valid until the
 * next extraction on the same plugin. count is res_len (0 = no value). */
typedef struct falco_host_values {
    falco_abi_field_type type;
    bool is_list;
    uint64_t count;
    union {
        const char *const *str;             /* STRING */
        const uint64_t *u64;                /* UINT64, RELTIME, ABSTIME */
        const falco_abi_bool *boolean;      /* BOOL: 4 bytes each */
        const falco_abi_byte_buffer *buf;   /* IPADDR, IPNET */
    } v;
    /* Value offsets (plugin API 3.11), when requested and provided: the
     * plugin's start/length arrays hold one entry per field of the
     * extract_fields call (not per value), and the host asks for one field,
     * so only [0] exists: the bytes [start, start + length) of the event
     * (counted from its first header byte; a plugin event's data begins at
     * 38) the field's value was read from. start 0 and length 0 mean the
     * value came from no particular bytes (computed). Plugin memory, valid
     * like the values. */
    bool has_offsets;
    const uint32_t *offset_start;
    const uint32_t *offset_length;
} falco_host_values;

/* Parses expr ("name" or "name[arg]") against p's fields with libsinsp's
 * rules: the name must match a field exactly; an argument is refused unless
 * the field declares isIndex or isKey; index arguments are decimal without
 * leading zero and fit 64 bits; a required argument must be present.
 * Returns FALCO_OK with *out (free with falco_host_extractor_free, or it is
 * freed with p), FALCO_ENOTFOUND (no such field), FALCO_EINVAL (bad argument),
 * FALCO_EMISUSE (p does not extract). Message in falco_host_errmsg(p). */
falco_rc falco_host_extractor_new(falco_host_plugin *p, const char *expr, falco_host_extractor **out);

/* Frees x. NULL is a no-op. */
void falco_host_extractor_free(falco_host_extractor *x);

/* The field x extracts. Owned by its plugin. */
const falco_host_field *falco_host_extractor_field(const falco_host_extractor *x);

/* Extracts x's field from evt with one extract_fields call (num_fields = 1,
 * field_id, field, arg_*, ftype, flist filled; value offsets requested only
 * when want_offsets and the plugin requires API >= 3.11). Returns FALCO_OK
 * with *out (count 0 when the plugin gave no value), FALCO_NOT_SUPPORTED when
 * the event's source or type is not one the plugin extracts from (nothing is
 * called), FALCO_ERROR (plugin failure, with its last error), FALCO_EPARSE
 * (malformed event or result: NULL pointers, too many values, a value
 * offset range outside the event),
 * FALCO_EMISUSE (not initialized). evt->evtsrc NULL means p's own source. */
falco_rc falco_host_extract(falco_host_extractor *x, const falco_abi_event_input *evt, bool want_offsets,
                            falco_host_values *out);

/* Typed reads of value i of v: FALCO_OK, FALCO_ETYPE (v holds another type),
 * FALCO_ERANGE (i >= count). Strings and buffers point into plugin memory
 * (see falco_host_values). falco_host_value_u64 reads UINT64/RELTIME/ABSTIME. */
falco_rc falco_host_value_str(const falco_host_values *v, uint64_t i, const char **out);
falco_rc falco_host_value_u64(const falco_host_values *v, uint64_t i, uint64_t *out);
falco_rc falco_host_value_bool(const falco_host_values *v, uint64_t i, bool *out);
falco_rc falco_host_value_buf(const falco_host_values *v, uint64_t i, const void **ptr, uint32_t *len);

/* Formats value i of v as text into buf (size bytes, NUL-terminated):
 * strings as is, integers in decimal, bools "true"/"false", 4-byte ipaddr
 * dotted, 16-byte ipaddr as IPv6, ipnet "addr/prefix" when 5 or 17 bytes,
 * other buffers in hex. Returns FALCO_OK, FALCO_ERANGE (i >= count), or
 * FALCO_ETRUNCATED when buf was too small (still NUL-terminated). */
falco_rc falco_host_value_format(const falco_host_values *v, uint64_t i, char *buf, size_t size);

/* ---- parsing, async, capture listening ------------------------------------- */

/* Calls parse_event when evt's source and type are among p's parse sources
 * and types (else FALCO_NOT_SUPPORTED, nothing called). libsinsp ignores the
 * result; the host logs a failure at error severity and returns FALCO_ERROR
 * with the plugin's last error, for tests to assert on. FALCO_EMISUSE when p
 * does not parse or is not initialized. */
falco_rc falco_host_parse(falco_host_plugin *p, const falco_abi_event_input *evt);

/* Receives an async event the host accepted (type 402, 3 params, a name in
 * get_async_events, a valid header). evt is plugin memory valid only during
 * the call. May be called from any thread the plugin runs. */
typedef void (*falco_host_async_fn)(void *userdata, falco_host_plugin *p, const falco_abi_event *evt);

/* Installs fn (NULL removes it) as p's async handler through
 * set_async_event_handler. Setting a handler while one is set is
 * FALCO_EMISUSE (remove it first), as in libsinsp. Events the host rejects
 * return FAILURE to the plugin with a reason in its err buffer, and the
 * reason is logged. Returns FALCO_OK, FALCO_ERROR (plugin refused),
 * FALCO_EMISUSE. */
falco_rc falco_host_set_async_handler(falco_host_plugin *p, falco_host_async_fn fn, void *userdata);

/* Number of async events the handler rejected so far (atomic read). */
uint64_t falco_host_async_rejected(const falco_host_plugin *p);

/* Calls dump_state with a handler that validates like the async one and
 * forwards to fn synchronously. Returns FALCO_NOT_SUPPORTED without the
 * symbol, FALCO_ERROR when the plugin fails (the dump is aborted). */
falco_rc falco_host_dump_state(falco_host_plugin *p, falco_host_async_fn fn, void *userdata);

/* Calls capture_open / capture_close with an owner, a routine vtable and
 * table vtables. FALCO_NOT_SUPPORTED without the listen capability. */
falco_rc falco_host_capture_open(falco_host_plugin *p);
falco_rc falco_host_capture_close(falco_host_plugin *p);

/* Runs every routine the plugin subscribed once, on the calling thread; a
 * routine returning false is unsubscribed. Returns how many are left. */
size_t falco_host_run_routines(falco_host_plugin *p);

#ifdef __cplusplus
}
#endif
#endif /* FALCO_HOST_H */
