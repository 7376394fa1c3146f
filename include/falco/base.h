/*
 * falco/base.h - the base capability: plugin declaration, state, errors, logging, metrics.
 *
 * A plugin is plain data plus one macro per capability:
 *
 *   FALCO_PLUGIN(gen, .name = "gen", .version = "0.1.0", .contact = "you@example.com",
 *                .description = "counts upwards", .state_size = sizeof(gen_state),
 *                .config = FALCO_LIST(gen_options), .config_size = sizeof(gen_config));
 *   FALCO_SOURCE(gen, ...);      -- falco/source.h
 *   FALCO_EXTRACT(gen, ...);     -- falco/extract.h
 *   FALCO_PARSE(gen, ...);       -- falco/parse.h
 *   FALCO_ASYNC(gen, ...);       -- falco/async.h
 *   FALCO_LISTEN(gen, ...);      -- falco/listen.h
 *
 * FALCO_PLUGIN must come first in the translation unit; each capability macro
 * emits exactly that capability's plugin_* symbols. A plugin that declares no
 * capability fails init with a message saying so (and `falcoplug check`
 * reports it). The declaration macros are C-only (they rely on C tentative
 * definitions); the function declarations also compile as C++.
 *
 * Threading: the host calls one plugin state from one thread at a time (except
 * where a capability says otherwise); every falco_plugin function is safe to
 * call from the callback that received the handle.
 *
 * Since: 0.1.0
 */
#ifndef FALCO_BASE_H
#define FALCO_BASE_H

#include <stdarg.h>

#include <falco/abi.h>
#include <falco/common.h>
#include <falco/config.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The SDK's plugin state handed to every callback (opaque). It owns the
 * author's state, the decoded config, the last-error buffer and the per-call
 * memory returned to the host. */
typedef struct falco_plugin falco_plugin;

/* The event handed to parse/extract/event_to_string callbacks: the host's own
 * event input, passed through without a copy (see falco/plugin_event.h). */
typedef falco_abi_event_input falco_event;

/* Handle for adding metrics from the .metrics callback. */
typedef struct falco_metrics falco_metrics;

typedef enum falco_log_severity {
    FALCO_LOG_FATAL = 1,
    FALCO_LOG_CRITICAL = 2,
    FALCO_LOG_ERROR = 3,
    FALCO_LOG_WARNING = 4,
    FALCO_LOG_NOTICE = 5,
    FALCO_LOG_INFO = 6,
    FALCO_LOG_DEBUG = 7,
    FALCO_LOG_TRACE = 8
} falco_log_severity;

typedef enum falco_metric_kind {
    FALCO_METRIC_MONOTONIC = 0,
    FALCO_METRIC_NON_MONOTONIC = 1
} falco_metric_kind;

struct falco__runtime;
struct falco_source_decl;
struct falco_extract_decl;
struct falco_parse_decl;
struct falco_async_decl;
struct falco_listen_decl;
struct falco_table_import;
struct falco_table_export;
struct falco__tables_hooks;

/* State table declarations (falco/table.h): FALCO_TABLE_IMPORTS(array),
 * FALCO_TABLE_EXPORTS(array). */
typedef struct falco_table_import_list {
    const struct falco_table_import *items;
    size_t count;
    const struct falco__tables_hooks *falco__hooks;
} falco_table_import_list;
typedef struct falco_table_export_list {
    const struct falco_table_export *items;
    size_t count;
    const struct falco__tables_hooks *falco__hooks;
} falco_table_export_list;

/* Function pointers the capability macros generate (internal). */
typedef struct falco__base_fns {
    const char *(*get_required_api_version)(void);
    const char *(*get_init_schema)(falco_abi_schema_type *schema_type);
    falco_abi_plugin_t *(*init)(const falco_abi_init_input *in, falco_abi_rc *rc);
    void (*destroy)(falco_abi_plugin_t *s);
    const char *(*get_last_error)(falco_abi_plugin_t *s);
    const char *(*get_name)(void);
    const char *(*get_description)(void);
    const char *(*get_contact)(void);
    const char *(*get_version)(void);
    falco_abi_rc (*set_config)(falco_abi_plugin_t *s, const falco_abi_set_config_input *in);
    falco_abi_metric *(*get_metrics)(falco_abi_plugin_t *s, uint32_t *num_metrics);
    const char *(*get_required_event_schema_version)(falco_abi_plugin_t *s);
} falco__base_fns;

/* What FALCO_PLUGIN's arguments initialize. Append-only across minor releases. */
typedef struct falco_plugin_decl {
    /* ---- metadata (required, non-empty; version is semver x.y.z) ---- */
    const char *name;
    const char *version;
    const char *description;
    const char *contact;
    /* Plugin API version to declare. NULL (the default) derives the lowest
     * version whose hosts support every feature the declaration uses. */
    const char *required_api_version;

    /* ---- state ---- */
    /* When non-zero the SDK allocates this many zeroed bytes as the author's
     * state before init and frees them after destroy. */
    size_t state_size;
    /* Called once after the config was decoded. state is the zeroed block of
     * state_size bytes (or NULL); an author who allocates their own state
     * calls falco_plugin_set_state(). Return an error code with falco_error()
     * to fail init: the message reaches the host's get_last_error. */
    falco_rc (*init)(falco_plugin *p, void *state);
    /* Called once before the SDK frees everything (also after a failed init). */
    void (*destroy)(falco_plugin *p, void *state);

    /* ---- config: declarative (preferred) ---- */
    falco_config_option_list config; /* FALCO_LIST(options) */
    size_t config_size;              /* sizeof the struct the options map into */
    /* ---- config: raw. Without options the config string is handed over as is
     * (falco_plugin_config_string); config_schema, if set, is returned to the
     * host as the JSON schema it validates the string against. */
    const char *config_schema;
    /* set_config support: called with the newly decoded config (or NULL for raw
     * configs: read falco_plugin_config_string). Return FALCO_OK to accept: the
     * SDK then swaps it in and releases the old one. Without this hook,
     * set_config fails with a message saying the plugin does not support it. */
    falco_rc (*reconfigure)(falco_plugin *p, void *state, const void *new_config);

    /* ---- metrics: called by get_metrics; add values with falco_metrics_*() ---- */
    void (*metrics)(falco_plugin *p, void *state, falco_metrics *m);

    /* ---- filled by the macros: do not set ---- */
    struct falco_source_decl *falco__source;
    struct falco_extract_decl *falco__extract;
    struct falco__runtime **falco__runtime;
    falco__base_fns falco__fns;
    struct falco_parse_decl *falco__parse;
    struct falco_async_decl *falco__async;
    struct falco_listen_decl *falco__listen;

    /* ---- state tables (falco/table.h): resolved / registered at init; need
     * FALCO_PARSE or FALCO_EXTRACT (the host gives tables to those only) ---- */
    falco_table_import_list tables_import; /* FALCO_TABLE_IMPORTS(array) */
    falco_table_export_list tables_export; /* FALCO_TABLE_EXPORTS(array) */
} falco_plugin_decl;

/* ---------------------------------------------------------------------------
 * State and config access
 * ------------------------------------------------------------------------- */

/* The author's state: the block of .state_size bytes, or what was passed to
 * falco_plugin_set_state(). Valid until destroy. */
void *falco_plugin_state(const falco_plugin *p);

/* Replaces the author's state pointer (for authors who allocate their own in
 * init; they free it in destroy). Not allowed when .state_size is set. */
falco_rc falco_plugin_set_state(falco_plugin *p, void *state);

/* The decoded config struct (declarative config), or NULL for raw configs.
 * Owned by the SDK; valid until destroy or until a set_config is accepted. */
const void *falco_plugin_config(const falco_plugin *p);

/* The config string as the host gave it ("{}" for an empty one with a
 * declarative config). Owned by the SDK; same lifetime as falco_plugin_config. */
const char *falco_plugin_config_string(const falco_plugin *p);

/* The declaration this state was created from. */
const falco_plugin_decl *falco_plugin_declaration(const falco_plugin *p);

/* The plugin API version this plugin declares (derived or overridden), e.g.
 * "3.6.0". Static string. */
const char *falco_plugin_required_api_version(const falco_plugin_decl *decl);

/* ---------------------------------------------------------------------------
 * Errors
 * ------------------------------------------------------------------------- */

/* Records a printf-style message as the plugin's last error and returns rc, so
 * a callback can `return falco_error(p, FALCO_EINVAL, "bad port %d", port);`.
 * The message is what the host's get_last_error returns after the failing
 * call (truncated to 1023 bytes). If a callback fails without calling this,
 * the SDK writes "<call> failed: <rc description>" instead. */
falco_rc falco_error(falco_plugin *p, falco_rc rc, const char *fmt, ...) FALCO_PRINTF(3, 4);
falco_rc falco_verror(falco_plugin *p, falco_rc rc, const char *fmt, va_list ap);

/* Like falco_error, and appends ": <owner's last error>" when the host
 * reports one; for failures of calls into the host (tables, async handler). */
falco_rc falco_error_owner(falco_plugin *p, falco_rc rc, const char *fmt, ...) FALCO_PRINTF(3, 4);

/* The current last error (empty string when none). Owned by p; valid until the
 * next failing call on p. */
const char *falco_plugin_last_error(const falco_plugin *p);

/* The host's last error, or NULL when the host has none or does not say. */
const char *falco_plugin_owner_last_error(const falco_plugin *p);

/* ---------------------------------------------------------------------------
 * Logging
 * ------------------------------------------------------------------------- */

/* Sends a printf-style message to the host's logger with the given severity
 * (component: the plugin name). A plugin that calls it declares plugin API
 * 3.4.0 or newer (derived automatically: hosts pass a logger from 3.4 on).
 * Falls back to stderr ("[name] level: msg") when the host gives no logger,
 * or when .required_api_version is set below 3.4.0 on purpose, to load on
 * older hosts. Messages are cut at 4095 bytes. Safe from any thread. */
void falco_log(falco_plugin *p, falco_log_severity sev, const char *fmt, ...) FALCO_PRINTF(3, 4);
void falco_vlog(falco_plugin *p, falco_log_severity sev, const char *fmt, va_list ap);

/* ---------------------------------------------------------------------------
 * Metrics (from the .metrics callback only)
 * ------------------------------------------------------------------------- */

/* Each adds one metric. name is copied; the host sees it as "<name>" and
 * prefixes the plugin name itself. Failures (out of memory, empty name) are
 * reported through get_last_error and the metric is skipped. */
void falco_metrics_u32(falco_metrics *m, const char *name, falco_metric_kind kind, uint32_t v);
void falco_metrics_s32(falco_metrics *m, const char *name, falco_metric_kind kind, int32_t v);
void falco_metrics_u64(falco_metrics *m, const char *name, falco_metric_kind kind, uint64_t v);
void falco_metrics_s64(falco_metrics *m, const char *name, falco_metric_kind kind, int64_t v);
void falco_metrics_double(falco_metrics *m, const char *name, falco_metric_kind kind, double v);
void falco_metrics_float(falco_metrics *m, const char *name, falco_metric_kind kind, float v);
void falco_metrics_int(falco_metrics *m, const char *name, falco_metric_kind kind, int v);

/* ---------------------------------------------------------------------------
 * Memory
 * ------------------------------------------------------------------------- */

/* Scratch memory for the current callback, 16-byte aligned, freed by the SDK
 * at the next host call of the same kind on the same state (for calls that
 * return memory to the host, e.g. list_open_params, it lives as long as what
 * they return). NULL when out of memory. */
void *falco_plugin_scratch(falco_plugin *p, size_t size);

/* ---------------------------------------------------------------------------
 * Declaration macros
 * ------------------------------------------------------------------------- */

/* Static builds (several plugins in one binary): define FALCO_PLUGIN_STATIC
 * (falco_add_plugin(... STATIC) does) and each FALCO_PLUGIN(id, ...) defines
 * `void falco_plugin_api_<id>(falco_abi_plugin_api *out)` instead of exported
 * plugin_* symbols. */
#ifdef FALCO_PLUGIN_STATIC
#define FALCO__FN_ATTR static
#define FALCO__FN_NAME(id, name) id##__abi_##name
#else
#define FALCO__FN_ATTR FALCO_EXPORT
#define FALCO__FN_NAME(id, name) plugin_##name
#endif
#define FALCO__DECL(id) (&id##__falco_plugin)

/* Internal entry points the generated functions call. */
const char *falco__base_required_api_version(const falco_plugin_decl *d);
const char *falco__base_init_schema(const falco_plugin_decl *d, falco_abi_schema_type *t);
falco_abi_plugin_t *falco__base_init(const falco_plugin_decl *d, const falco_abi_init_input *in, falco_abi_rc *rc);
void falco__base_destroy(const falco_plugin_decl *d, falco_abi_plugin_t *s);
const char *falco__base_last_error(falco_abi_plugin_t *s);
falco_abi_rc falco__base_set_config(falco_abi_plugin_t *s, const falco_abi_set_config_input *in);
falco_abi_metric *falco__base_metrics(falco_abi_plugin_t *s, uint32_t *n);
const char *falco__base_event_schema_version(falco_abi_plugin_t *s);
void falco__fill_api(const falco_plugin_decl *d, falco_abi_plugin_api *out);

/* Each ABI function a macro generates: (id, return type, member name, parameters, body). */
#define FALCO__PROTO(id, ret, name, params, body) FALCO__FN_ATTR ret FALCO__FN_NAME(id, name) params;
#define FALCO__DEFINE(id, ret, name, params, body) \
    FALCO__FN_ATTR ret FALCO__FN_NAME(id, name) params { body; }

#define FALCO__BASE_LIST(X, id)                                                                       \
    X(id, const char *, get_required_api_version, (void),                                            \
      return falco__base_required_api_version(FALCO__DECL(id)))                                      \
    X(id, const char *, get_init_schema, (falco_abi_schema_type * t),                                \
      return falco__base_init_schema(FALCO__DECL(id), t))                                            \
    X(id, falco_abi_plugin_t *, init, (const falco_abi_init_input *in, falco_abi_rc *rc),            \
      return falco__base_init(FALCO__DECL(id), in, rc))                                              \
    X(id, void, destroy, (falco_abi_plugin_t * s), falco__base_destroy(FALCO__DECL(id), s))          \
    X(id, const char *, get_last_error, (falco_abi_plugin_t * s), return falco__base_last_error(s))  \
    X(id, const char *, get_name, (void), return FALCO__DECL(id)->name)                               \
    X(id, const char *, get_description, (void), return FALCO__DECL(id)->description)                 \
    X(id, const char *, get_contact, (void), return FALCO__DECL(id)->contact)                         \
    X(id, const char *, get_version, (void), return FALCO__DECL(id)->version)                         \
    X(id, falco_abi_rc, set_config, (falco_abi_plugin_t * s, const falco_abi_set_config_input *in),  \
      return falco__base_set_config(s, in))                                                          \
    X(id, falco_abi_metric *, get_metrics, (falco_abi_plugin_t * s, uint32_t * n),                   \
      return falco__base_metrics(s, n))                                                              \
    X(id, const char *, get_required_event_schema_version, (falco_abi_plugin_t * s),                 \
      return falco__base_event_schema_version(s))

#define FALCO__BASE_FN_TABLE(id)                                                                  \
    {                                                                                             \
        FALCO__FN_NAME(id, get_required_api_version), FALCO__FN_NAME(id, get_init_schema),        \
            FALCO__FN_NAME(id, init), FALCO__FN_NAME(id, destroy),                                \
            FALCO__FN_NAME(id, get_last_error), FALCO__FN_NAME(id, get_name),                     \
            FALCO__FN_NAME(id, get_description), FALCO__FN_NAME(id, get_contact),                 \
            FALCO__FN_NAME(id, get_version), FALCO__FN_NAME(id, set_config),                      \
            FALCO__FN_NAME(id, get_metrics), FALCO__FN_NAME(id, get_required_event_schema_version) \
    }

#ifdef FALCO_PLUGIN_STATIC
#define FALCO__STATIC_API(id)                                              \
    void falco_plugin_api_##id(falco_abi_plugin_api *out);                 \
    void falco_plugin_api_##id(falco_abi_plugin_api *out) { falco__fill_api(FALCO__DECL(id), out); }
#else
#define FALCO__STATIC_API(id)
#endif

/* Declares plugin `id` (a C identifier used only to tie the macros together).
 * The arguments are designated initializers of falco_plugin_decl. */
#define FALCO_PLUGIN(id, ...)                                                   \
    static struct falco_source_decl id##__falco_source;                         \
    static struct falco_extract_decl id##__falco_extract;                       \
    static struct falco_parse_decl id##__falco_parse;                           \
    static struct falco_async_decl id##__falco_async;                           \
    static struct falco_listen_decl id##__falco_listen;                         \
    static struct falco__runtime *id##__falco_runtime;                          \
    FALCO__BASE_LIST(FALCO__PROTO, id)                                          \
    static const falco_plugin_decl id##__falco_plugin = {                       \
        .falco__source = &id##__falco_source,                                   \
        .falco__extract = &id##__falco_extract,                                 \
        .falco__runtime = &id##__falco_runtime,                                 \
        .falco__fns = FALCO__BASE_FN_TABLE(id),                                 \
        .falco__parse = &id##__falco_parse,                                     \
        .falco__async = &id##__falco_async,                                     \
        .falco__listen = &id##__falco_listen,                                   \
        __VA_ARGS__};                                                           \
    FALCO__BASE_LIST(FALCO__DEFINE, id)                                         \
    FALCO__STATIC_API(id)                                                       \
    struct falco__plugin_##id##_declared_once

#ifdef __cplusplus
}
#endif
#endif /* FALCO_BASE_H */
