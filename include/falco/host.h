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
 * A plugin's ABI return codes appear by name (SUCCESS, FAILURE, TIMEOUT,
 * EOF, NOT_SUPPORTED, or "unknown code N"), never as a bare number that
 * would read as a falco_rc:
 *   plugin 'dummy': extract_fields: failed with FAILURE: field 'dummy.div': divisor is 0
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

/* Several plugins run together over one event stream, like libsinsp's
 * inspector (see "sessions" below). */
typedef struct falco_host_session falco_host_session;

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

/* Returns the message of the last failure on p ("" when none); after a failed
 * load, the first finding (the rule libsinsp, which stops at the first
 * failure, would report). For a NULL p
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
 * "[severity] component: msg"). Call before init to catch init's lines.
 * The sink runs on whatever thread logs (plugin threads sending async
 * events, routine threads), but sink calls are serialized across all
 * plugins, so a sink shared by several plugins needs no lock of its own. */
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
 * Retrying follows libsinsp's rule: plugin_init runs at most once per load,
 * whatever it returned (libsinsp marks the plugin initialized as soon as it
 * called init), so after FALCO_ERROR, or a failure of the checks after
 * plugin_init, init is refused as "initialized twice": free the plugin and
 * load it again. A config refused before plugin_init (FALCO_EINVAL from the
 * schema) leaves the plugin untouched, and init may be called again.
 * Returns FALCO_OK, FALCO_EINVAL (config rejected by the schema, bad schema),
 * FALCO_ERROR (the plugin failed; errmsg includes its last error),
 * FALCO_EMISUSE (not loaded, or plugin_init already ran). */
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
 * (those of a plugin initialized with falco_host_session_init are served to
 * the session's other plugins; outside a session they are checked and
 * recorded only). Names owned by p. */
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

/* For callers that call p's extract_fields themselves (falcoplug bench,
 * timing the plugin as libsinsp drives it): fills in's owner,
 * get_owner_last_error, table_reader and table_reader_ext as
 * falco_host_extract does (the vtables live as long as p) and opens the
 * extraction window on the calling thread, so that p may read its session's
 * tables (never write) until falco_host_extract_window_close. A host call
 * into any plugin on this thread closes it too. Returns FALCO_OK, or
 * FALCO_EINVAL (p or in NULL). On the thread that then calls the plugin. */
falco_rc falco_host_extract_window_open(falco_host_plugin *p, falco_abi_field_extract_input *in);
/* Closes the window falco_host_extract_window_open opened on this thread. */
void falco_host_extract_window_close(void);

/* Typed reads of value i of v: FALCO_OK, FALCO_ETYPE (v holds another type),
 * FALCO_ERANGE (i >= count). Strings and buffers point into plugin memory
 * (see falco_host_values). falco_host_value_u64 reads UINT64/RELTIME/ABSTIME. */
falco_rc falco_host_value_str(const falco_host_values *v, uint64_t i, const char **out);
falco_rc falco_host_value_u64(const falco_host_values *v, uint64_t i, uint64_t *out);
falco_rc falco_host_value_bool(const falco_host_values *v, uint64_t i, bool *out);
falco_rc falco_host_value_buf(const falco_host_values *v, uint64_t i, const void **ptr, uint32_t *len);

/* Formats value i of v as text into buf (size bytes, NUL-terminated), as
 * libsinsp prints it: strings as is, integers in decimal, bools
 * "true"/"false", a 4-byte ipaddr dotted, a 16-byte one as IPv6, ipnet as
 * "<IPNET>" whatever its bytes (libsinsp prints no ipnet value). Returns
 * FALCO_OK, FALCO_ERANGE (i >= count), FALCO_EINVAL for an ipaddr of any
 * other size (libsinsp stops on it: "IP address of incorrect size"; buf
 * is ""), or FALCO_ETRUNCATED when buf was too small (still
 * NUL-terminated). */
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

/* ---- sessions: several plugins over one event stream ------------------------
 *
 * A session is what libsinsp's inspector does with the plugins loaded into
 * it, for plugin authors' tests that run their plugin beside others:
 *
 *   falco_host_session *s;
 *   falco_host_session_new(0, &s);               // 0: the default pool of 2 threads
 *   falco_host_session_add(s, source_plugin);    // loaded and initialized, order kept
 *   falco_host_session_add(s, my_parser);
 *   falco_host_extractor *x;
 *   falco_host_extractor_new(my_parser, "my.field", &x);
 *   if (falco_host_session_open(s, source_plugin, "params") != FALCO_OK)
 *       die(falco_host_session_errmsg(s));
 *   const falco_host_session_event *ev;
 *   falco_rc rc;
 *   while ((rc = falco_host_session_next(s, &ev)) == FALCO_OK || rc == FALCO_TIMEOUT) {
 *       if (rc == FALCO_TIMEOUT) continue;
 *       falco_host_values v;                     // parse plugins already saw ev
 *       if (falco_host_extract(x, &ev->input, false, &v) == FALCO_OK) ...
 *   }
 *   falco_host_session_close(s);                 // capture_close, routines stopped
 *   falco_host_session_free(s);                  // then free the plugins
 *
 * What it does, in libsinsp's order:
 * - open: opens the stream (the source plugin's open, or the caller's
 *   falco_host_stream); installs an async handler in every plugin with the
 *   async capability; calls capture_open on every plugin with the listen
 *   capability, whose routines then run on the session's thread pool.
 *   On a capture stream (falco_host_stream.live false) open first reads the
 *   file's starting state, as libsinsp's inspector does when it opens a
 *   capture: the leading events for which falco_host_initial_state_event is
 *   true (users, groups, containers, async events such as the dump_state
 *   ones) are numbered and go to the parse plugins, but next never returns
 *   them; it starts with the first other event. A stream failure met there
 *   is returned by the first next.
 * - next: delivers the next event, numbered from 1 like evt.num (async
 *   events included). Each event first goes to every parse plugin, in the
 *   order they were added, whose parse sources accept the stream's source
 *   and whose parse types include the event's type; a failing parse_event
 *   is logged at error severity (libsinsp ignores the result) and counted.
 *   Then it is returned for extraction (falco_host_extract with any plugin
 *   that extracts from the source).
 * - async events: any thread of any async plugin may send them. Besides the
 *   checks of falco_host_set_async_handler (type 402, 3 params, declared
 *   name), the plugin's async sources must accept the open source, and with
 *   a source plugin that has an id the event's tid must be -1; rejected
 *   events return FAILURE to the plugin with the reason in its err buffer.
 *   Accepted events are copied, stamped with the open source plugin's id (0
 *   for syscall streams), and queued ordered by timestamp (UINT64_MAX
 *   first). An event queued with a timestamp <= the next regular event's (or
 *   UINT64_MAX) is delivered before it; a stream timeout delivers one queued
 *   event. UINT64_MAX becomes the last delivered event's timestamp (the
 *   current time before the first). A timestamp over 10 s in the future is
 *   dropped with a warning. On a capture stream (falco_host_stream.live
 *   false) async events are accepted and dropped, as libsinsp does with
 *   offline captures (the capture already holds them). Events left queued at
 *   EOF are not delivered (libsinsp stops at EOF too).
 * - routines: subscribe and unsubscribe are thread-safe (a routine may
 *   unsubscribe itself or others); a routine runs on one pool thread at a
 *   time, again and again until it returns false or is unsubscribed (a
 *   running one finishes its current run).
 * - close: capture_close on every listen plugin, then the pool stops:
 *   routines still subscribed are unsubscribed and close waits for the
 *   running ones to return; then async handlers are removed (the plugin
 *   stops its threads in set_async_event_handler(NULL)) and the stream is
 *   closed.
 *
 * Plugins are borrowed: they must outlive the session, and a plugin belongs
 * to one session at a time. The session's functions are called by one
 * thread (its owner); only the plugin-facing callbacks (async handler,
 * routine vtable) run on other threads. */

/* An event stream the caller drives, such as a capture file read with
 * libfalcocapture (libfalcohost itself does not read capture files, so it
 * does not depend on zlib). To see the capture as libsinsp does, read it
 * through libfalcocapture's converter: it hands out what libscap hands
 * libsinsp (old layouts upgraded, enter events merged into their exits),
 * and the session then numbers events as libsinsp does (evt.num):
 *
 *   typedef struct { falco_capture_reader *r; falco_capture_converter *c;
 *                    falco_capture_converted_info last; } capstream;
 *   static falco_rc cap_next(void *u, const falco_abi_event **evt, char *err, size_t n) {
 *       capstream *cs = u;
 *       const void *e; size_t len;
 *       while (falco_capture_converter_next(cs->c, &e, &len, &cs->last) != FALCO_OK) {
 *           falco_capture_block_info info;        // the last feed is drained: read on
 *           falco_rc rc = falco_capture_next(cs->r, &e, &len, &info);
 *           if (rc == FALCO_OK) rc = falco_capture_converter_feed(cs->c, e, len, &info);
 *           else if (rc != FALCO_EOF) snprintf(err, n, "%s", falco_capture_errmsg(cs->r));
 *           if (rc == FALCO_EOF) return rc;
 *           if (rc != FALCO_OK) { snprintf(err, n, "%s", falco_capture_converter_errmsg(cs->c)); return rc; }
 *       }
 *       *evt = e;
 *       return FALCO_OK;
 *   }
 *   capstream cs = { reader, falco_capture_converter_new(NULL) };
 *   falco_host_stream st = { .next = cap_next, .userdata = &cs, .source = "syscall" };
 *
 * libsinsp numbers and parses, but never returns, the few enter events
 * libscap passes through: after falco_host_session_next, cs.last.shown is
 * false for those, and a caller that mimics libsinsp extracts nothing from
 * them (curl_google.scap: 991 events, 939 shown). Read without the
 * converter (falco_capture_next alone), the session gets the file's events
 * as written. Since the session reads events with memcpy, unaligned events
 * are fine. */
typedef struct falco_host_stream {
    /* Next event: FALCO_OK with *evt (valid until the next call; the session
     * checks its header), FALCO_EOF, FALCO_TIMEOUT (nothing now), or any
     * other code with a message in err (errlen bytes). Called by the
     * session's owner thread only. */
    falco_rc (*next)(void *userdata, const falco_abi_event **evt, char *err, size_t errlen);
    /* Called once by falco_host_session_close; may be NULL. */
    void (*close)(void *userdata);
    void *userdata;
    /* The events' source name (NULL: "syscall"); copied. */
    const char *source;
    /* true: a live stream (async events are delivered, stamped with plugin
     * id 0); false: a capture file (async events are dropped). */
    bool live;
} falco_host_stream;

/* One delivered event. */
typedef struct falco_host_session_event {
    /* evt (valid until the next falco_host_session_next), evtnum (from 1),
     * evtsrc (the stream's source, owned by the session). */
    falco_abi_event_input input;
    /* The plugin that sent it when it is an async event; NULL otherwise. */
    falco_host_plugin *async_from;
} falco_host_session_event;

/* Creates an empty session whose routine pool has `threads` threads (0: 2).
 * The threads start at open when a plugin listens. Returns FALCO_OK,
 * FALCO_ENOMEM (*out NULL). Free with falco_host_session_free. */
falco_rc falco_host_session_new(unsigned threads, falco_host_session **out);

/* Adds p (loaded and initialized) after the plugins already added. Refused,
 * as libsinsp's plugin manager does, when another plugin has the same name,
 * or is a source plugin with the same id or event source; also when p is in
 * another session or the session is open. Returns FALCO_OK, FALCO_EMISUSE,
 * FALCO_EINVAL (the conflicts), FALCO_ENOMEM; message in
 * falco_host_session_errmsg. */
falco_rc falco_host_session_add(falco_host_session *s, falco_host_plugin *p);

/* Opens the stream of src, an added source plugin, with params (NULL as
 * ""), then async handlers and capture_open (see above); on a failure every
 * step done is undone. Returns FALCO_OK, FALCO_EMISUSE (already open, src
 * not added or not a source), FALCO_ERROR (a plugin failed: its message is
 * in errmsg). */
falco_rc falco_host_session_open(falco_host_session *s, falco_host_plugin *src, const char *params);

/* As falco_host_session_open over a caller's stream (copied; its userdata
 * must live until close). With live false the stream's leading starting-state
 * events are read here (see above). */
falco_rc falco_host_session_open_stream(falco_host_session *s, const falco_host_stream *stream);

/* libsinsp's rule (is_initialstate_event, libs 48dfd53) for the events a
 * capture file's starting state is made of: container (228, 272, 324),
 * user and group added/deleted (354, 356, 358, 360) and async (402) events.
 * Returns true for an event of those types, false otherwise or for NULL.
 * Reads the header only; any thread. */
bool falco_host_initial_state_event(const falco_abi_event *evt);

/* Delivers the next event (see above). Returns FALCO_OK with *out (owned by
 * s, valid until the next call), FALCO_TIMEOUT, FALCO_EOF, FALCO_EMISUSE
 * (not open), or the stream's error (FALCO_ERROR, FALCO_EPARSE...) with the
 * message in errmsg; after an error only close is useful. */
falco_rc falco_host_session_next(falco_host_session *s, const falco_host_session_event **out);

/* Calls dump_state on every added plugin that has it, in order, forwarding
 * each checked event to fn synchronously. Returns FALCO_OK, or the first
 * failure (FALCO_ERROR: that plugin's dump was aborted) with the message in
 * errmsg. Any time after add. */
falco_rc falco_host_session_dump_state(falco_host_session *s, falco_host_async_fn fn, void *userdata);

/* Ends the stream (see above). Returns FALCO_OK, or FALCO_ERROR when a
 * capture_close failed (the rest is still done). No-op when not open. */
falco_rc falco_host_session_close(falco_host_session *s);

/* Closes s if open, releases its plugins (they can be freed or added to
 * another session) and frees it. NULL is a no-op. */
void falco_host_session_free(falco_host_session *s);

/* The message of the last failure on s ("" when none). Owned by s, valid
 * until the next call on s. */
const char *falco_host_session_errmsg(const falco_host_session *s);

/* Counters since the session was created. parse_failures: parse_event calls
 * that failed. async_queued: async events accepted into the queue;
 * async_dropped: accepted but not delivered (capture stream, timestamp too
 * far ahead). Owner thread; exact once the senders stopped. */
uint64_t falco_host_session_parse_failures(const falco_host_session *s);
uint64_t falco_host_session_async_queued(const falco_host_session *s);
uint64_t falco_host_session_async_dropped(const falco_host_session *s);

/* Number of routines subscribed now (not yet finished or unsubscribed). */
size_t falco_host_session_routine_count(falco_host_session *s);

/* ---- state tables -------------------------------------------------------------
 *
 * A session holds a registry of state tables, as libsinsp's inspector does:
 * the host's own `threads` table (libsinsp's key, int64 tid, and its field
 * names and types, with the nested args, env, cgroups and file_descriptors
 * tables) and every table its plugins add with add_table. Plugins see it
 * through the init tables input (list_tables, get_table, add_table, fields
 * vtable), given only to plugins that parse or extract, so a plugin that
 * wants the session's tables is initialized by the session:
 *
 *   falco_host_session_init(s, exporter, "{}");   // adds its table at init
 *   falco_host_session_init(s, importer, "{}");   // may get_table it now
 *
 * What each call hands over decides what plugins may do with tables during
 * that call: init everything (fields included), parse_event and
 * capture_open/close read and write, extract_fields read only; between calls
 * (and in calls that hand over no vtables, such as set_config or
 * get_metrics) nothing, whether the session or the caller drives the plugin.
 * The vtables themselves (the init tables input and its _ext vtables, the
 * reader and writer of the other inputs, the routine vtable) live as long as
 * the plugin, as libsinsp's do, so plugins may keep the pointers. A writer
 * function kept from an earlier call and used while extracting fails with an
 * owner error; calls from a plugin's own threads and routines (outside any
 * host call) fail without touching shared state. get_table checks the
 * key type (a mismatch names both types in the owner error), add_table makes
 * libsinsp's checks (all three _ext vtables; every deprecated reader, writer
 * and fields function non-NULL and equal to its _ext twin; a name not
 * taken). Entries plugins get (get_table_entry, create_table_entry) are
 * counted until released: falco_host_session_entries_held. An entry a
 * plugin holds in a nested table keeps the entry owning that table alive
 * (out of its table once removed) until released, so removing a thread
 * never frees an fd entry a plugin still holds.
 *
 * Reading a TABLE field of a plugin's table yields, as in libsinsp, a
 * handle to that nested table of the reading plugin's own (valid as long as
 * the owner keeps the nested table), routed through the table input the
 * owner returned: the input gets add_table's checks first, and a read whose
 * input fails them fails with an owner error naming the table and why.
 *
 * The threads table starts with what the caller stores (a capture's process
 * and fd lists, see falco_host_threads_add); on a "syscall" stream the
 * session then keeps it up to date from each event before the parse plugins
 * see it, as libsinsp's parsers do: a tid the table lacks gets a made-up
 * thread (ids -1, names "<NA>"); execve and clone/fork/vfork/clone3 exits
 * create or refill threads; open/openat/openat2/creat, socket, socketpair,
 * pipe, accept, dup, fcntl F_DUPFD, eventfd, signalfd, timerfd, inotify,
 * epoll_create, bpf, userfaultfd, io_uring_setup and memfd_create add fds;
 * connect, bind and send/recv fill socket addresses; chdir/fchdir, the
 * rlimit calls, setuid/setgid and their variants, setsid and chroot set
 * the cwd, fd limit, uid/gid, sid and root; a successful close or a
 * procexit removes the fd or thread when the next event comes. Threads of a
 * process share its file_descriptors table.
 *
 * A plugin's table handles belong to its session: after
 * falco_host_session_free, table calls (from plugin_destroy, say) are
 * refused until the next call into a plugin; the plugin must not use them
 * again. */

/* One thread of a capture's process list, with the values libscap reads
 * (falco_capture_process holds them; see the example below). The host
 * applies libsinsp's rules when it stores them: flags gain
 * PPM_CL_NAME_CHANGED | PPM_CL_ACTIVE, the cwd ends in '/', and threads
 * other than a process's main one (tid != pid) keep no cwd nor environment.
 * args, env and cgroups are NUL-separated strings (cgroups "subsys=path"),
 * of *_len bytes; NULL strings are "". */
typedef struct falco_host_thread {
    int64_t tid, pid, ptid, reaper_tid, sid, vtid, vpid, vpgid, pgid, fd_limit;
    const char *comm, *exe, *exe_path, *cwd, *root;
    const char *args, *env, *cgroups;
    size_t args_len, env_len, cgroups_len;
    uint32_t flags, uid, gid, loginuid, tty;
    uint64_t exe_ino, exe_ino_ctime, exe_ino_mtime, pidns_init_start_ts;
    bool exe_writable, exe_upper_layer, exe_lower_layer, exe_from_memfd;
} falco_host_thread;

/* One fd of a thread, as the file_descriptors table's fields (type is the
 * scap fd type; flags gain libsinsp's FLAGS_FROM_PROC). NULL strings are "". */
typedef struct falco_host_fd {
    int64_t fd, pid;
    uint8_t type;
    uint32_t open_flags, flags, dev, mount_id;
    uint64_t ino;
    const char *name, *name_raw, *old_name;
    uint32_t socket_ipv4_src_ip, socket_ipv4_dest_dip, socket_ipv4_server_ip;
    uint16_t socket_ipv4_src_port, socket_ipv4_dst_port, socket_ipv4_server_port;
    uint8_t socket_ipv4_l4_proto, socket_ipv4_server_l4_proto;
    uint64_t socket_ipv6_src_ip_low, socket_ipv6_src_ip_high, socket_ipv6_dest_ip_low, socket_ipv6_dest_ip_high;
    uint64_t socket_ipv6_server_ip_low, socket_ipv6_server_ip_high;
    uint16_t socket_ipv6_src_port, socket_ipv6_dst_port, socket_ipv6_server_port;
    uint8_t socket_ipv6_l4_proto, socket_ipv6_server_l4_proto;
    uint64_t socket_unix_src, socket_unix_dest;
} falco_host_fd;

/* Adds p (loaded, not yet initialized) to s and initializes it with config
 * (see falco_host_plugin_init) with the session's tables in its init input:
 * tables added by plugins initialized before it can be got, and the tables
 * it adds are served to the plugins after it. The conflicts of
 * falco_host_session_add apply. When init fails the plugin is not added and
 * the tables it added are dropped. Returns falco_host_session_add's codes
 * and falco_host_plugin_init's (message in falco_host_session_errmsg). */
falco_rc falco_host_session_init(falco_host_session *s, falco_host_plugin *p, const char *config);

/* Stores t in the session's `threads` table (replacing the thread with its
 * tid, nested tables included), as libsinsp does with a capture's process
 * list before the first event:
 *
 *   const falco_capture_metadata *m = falco_capture_get_metadata(reader);
 *   for (size_t i = 0; i < m->process_count; i++) {
 *       const falco_capture_process *c = &m->processes[i];
 *       falco_host_thread t = { .tid = (int64_t)c->tid, .pid = (int64_t)c->pid, .comm = c->comm,
 *                               .args = c->args.data, .args_len = c->args.len, ... };
 *       falco_host_threads_add(s, &t);
 *   }
 *
 * Strings are copied. Any time, on the session's owner thread (entries a
 * plugin still holds stay readable until released). Returns FALCO_OK,
 * FALCO_EINVAL (t NULL) or FALCO_ENOMEM; message in
 * falco_host_session_errmsg. */
falco_rc falco_host_threads_add(falco_host_session *s, const falco_host_thread *t);

/* Stores fd in the file_descriptors table of thread tid (created empty when
 * missing). Returns as falco_host_threads_add. */
falco_rc falco_host_threads_add_fd(falco_host_session *s, int64_t tid, const falco_host_fd *fd);

/* A socket's ends as a process list or a capture gives them, for
 * falco_host_fd_set_socket: addresses in network order, 4 bytes for IPv4
 * and 16 for IPv6 (dip for connected sockets only), ports in host order;
 * unix_src and unix_dest a unix socket's kernel pointers. */
typedef struct falco_host_socket {
    const uint8_t *sip, *dip;
    uint16_t sport, dport;
    uint8_t l4proto;
    uint64_t unix_src, unix_dest;
} falco_host_socket;

/* Sets every socket_* member of fd as libsinsp's file_descriptors table
 * reads them for a socket of type fd->type (scap's 3 IPv4, 4 IPv6, 5 IPv4
 * server, 6 IPv6 server, 8 unix) with the ends in sock: libsinsp keeps one
 * union of those variants and every member reads the bytes at its offset,
 * so the members of the other variants read what this one put there. The
 * other members of fd are left as they are; nothing is kept. Returns
 * FALCO_OK, or FALCO_EINVAL (fd unchanged) when fd or sock is NULL,
 * fd->type is none of those types, or an address the type needs is NULL.
 * Any thread. */
falco_rc falco_host_fd_set_socket(falco_host_fd *fd, const falco_host_socket *sock);

/* Updates the session's `threads` table from one syscall event, as
 * falco_host_session_next does before the parse plugins see each event
 * (libsinsp's own parsers run first). For a caller that reads the events
 * itself and drives the session's plugins directly (falco_host_parse,
 * falco_host_extract), e.g. over a capture holding events of several
 * sources: call it for the events of source "syscall", in order, before
 * parsing them. evt (its own len long) is read during the call only. On the
 * session's owner thread. Returns FALCO_OK, or FALCO_EINVAL (NULL) or
 * FALCO_EPARSE (malformed) with the message in falco_host_session_errmsg. */
falco_rc falco_host_threads_event(falco_host_session *s, const falco_abi_event *evt);

/* The session's tables: their number, and table i's name (NULL past the
 * end; owned by s, valid until a plugin adds a table or s is freed), key
 * type and size (UINT64_MAX for a plugin's table). key_type and size may be
 * NULL. */
size_t falco_host_session_table_count(const falco_host_session *s);
const char *falco_host_session_table(const falco_host_session *s, size_t i, falco_abi_state_type *key_type,
                                     uint64_t *size);

/* Table i's fields as its owner lists them (the host's tables: every field,
 * those plugins added included; a plugin's table: its list_table_fields),
 * *n their count. NULL past the end or when the owner plugin fails (message
 * in falco_host_session_errmsg). The array belongs to the table's owner:
 * valid until the next call on the table. On the session's owner thread,
 * outside plugin calls. */
const falco_abi_table_fieldinfo *falco_host_session_table_fields(falco_host_session *s, size_t i, uint32_t *n);

/* Receives one entry of falco_host_session_table_entries: a JSON object of
 * len bytes (NUL-terminated), valid during the call only. */
typedef void (*falco_host_table_entry_fn)(void *userdata, const char *json, size_t len);

/* Reads table i the way libsinsp's table dumps do (plughost -T list): *size
 * (may be NULL) gets its size as its owner counts it (plugin tables
 * included, UINT64_MAX when that fails), then fn gets each of its first max
 * entries, in the table's own order, as a JSON object of field name to
 * value, fields sorted by name: integers, strings, booleans, a nested table
 * as {"name", "key_type", "size", "entries": [up to max entries]} (a
 * plugin's nested table read through the table input its owner returns,
 * as libsinsp does), a field that cannot be read as "<error: why>". max 0 only counts. On the
 * session's owner thread, outside plugin calls (the host reads with the
 * rights of an extraction: nothing changes). Returns FALCO_OK, FALCO_EINVAL
 * (i past the end, or fn NULL with max > 0), FALCO_ENOMEM or FALCO_ERROR
 * (the owner plugin failed); message in falco_host_session_errmsg. */
falco_rc falco_host_session_table_entries(falco_host_session *s, size_t i, uint64_t max, uint64_t *size,
                                          falco_host_table_entry_fn fn, void *userdata);

/* Entries of the host's tables handed to plugins (get_table_entry,
 * create_table_entry) and not released yet: 0 after a well-behaved run. */
uint64_t falco_host_session_entries_held(const falco_host_session *s);

/* A state type's name as libsinsp spells it ("int64", "string", "table"...),
 * or "unknown". Static. */
const char *falco_host_state_type_name(falco_abi_state_type t);

#ifdef __cplusplus
}
#endif
#endif /* FALCO_HOST_H */
