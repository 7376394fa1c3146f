/*
 * falco/abi.h - the Falco plugin API ABI (plugin_api.h 3.12), declared in our own words.
 *
 * Every struct here matches the layout of the real header byte for byte; the
 * _Static_asserts at the bottom check each size and offset listed in the
 * reference layout (x86_64 / LP64). Names differ from the real header on
 * purpose: `ss_plugin_foo` is `falco_abi_foo` here, `SS_PLUGIN_FOO` is
 * `FALCO_ABI_FOO`. A plugin written with the SDK rarely needs this header
 * directly; the host library and raw-ABI plugins (bench/) use it.
 *
 * Since: 0.1.0
 */
#ifndef FALCO_ABI_H
#define FALCO_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The plugin API version this header describes. */
#define FALCO_ABI_VERSION_MAJOR 3
#define FALCO_ABI_VERSION_MINOR 12
#define FALCO_ABI_VERSION_PATCH 0
#define FALCO_ABI_VERSION_STRING "3.12.0"

/* Size of every error buffer the host or the plugin hands over (NUL included). */
#define FALCO_ABI_MAX_ERRLEN 1024

/* Offset of the payload in a plugin event (type 322): header + 2 u32 lengths + plugin id. */
#define FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET 38

/* Event codes the plugin API itself relies on. */
#define FALCO_ABI_EVENT_PLUGIN 322
#define FALCO_ABI_EVENT_ASYNC 402

/* ---- opaque handles ---- */
typedef void falco_abi_plugin_t;
typedef void falco_abi_instance_t;
typedef void falco_abi_owner_t;
typedef void falco_abi_table_t;
typedef void falco_abi_table_entry_t;
typedef void falco_abi_table_field_t;
typedef void falco_abi_table_iterator_state_t;
typedef void falco_abi_routine_t;
typedef void falco_abi_routine_state_t;

typedef uint32_t falco_abi_bool;

/* ---- enums (int-sized C enums in every struct) ---- */
typedef enum falco_abi_rc {
    FALCO_ABI_RC_SUCCESS = 0,
    FALCO_ABI_RC_FAILURE = 1,
    FALCO_ABI_RC_TIMEOUT = -1,
    FALCO_ABI_RC_EOF = 2,
    FALCO_ABI_RC_NOT_SUPPORTED = 3
} falco_abi_rc;

typedef enum falco_abi_schema_type {
    FALCO_ABI_SCHEMA_NONE = 0,
    FALCO_ABI_SCHEMA_JSON = 1
} falco_abi_schema_type;

typedef enum falco_abi_field_type {
    FALCO_ABI_FT_UINT64 = 8,
    FALCO_ABI_FT_STRING = 9,
    FALCO_ABI_FT_RELTIME = 20,
    FALCO_ABI_FT_ABSTIME = 21,
    FALCO_ABI_FT_BOOL = 25, /* 4-byte falco_abi_bool values */
    FALCO_ABI_FT_IPADDR = 40,
    FALCO_ABI_FT_IPNET = 41
} falco_abi_field_type;

typedef enum falco_abi_state_type {
    FALCO_ABI_ST_INT8 = 1,
    FALCO_ABI_ST_INT16 = 2,
    FALCO_ABI_ST_INT32 = 3,
    FALCO_ABI_ST_INT64 = 4,
    FALCO_ABI_ST_UINT8 = 5,
    FALCO_ABI_ST_UINT16 = 6,
    FALCO_ABI_ST_UINT32 = 7,
    FALCO_ABI_ST_UINT64 = 8,
    FALCO_ABI_ST_STRING = 9,
    FALCO_ABI_ST_TABLE = 10,
    FALCO_ABI_ST_BOOL = 25
} falco_abi_state_type;

typedef enum falco_abi_log_severity {
    FALCO_ABI_LOG_FATAL = 1,
    FALCO_ABI_LOG_CRITICAL = 2,
    FALCO_ABI_LOG_ERROR = 3,
    FALCO_ABI_LOG_WARNING = 4,
    FALCO_ABI_LOG_NOTICE = 5,
    FALCO_ABI_LOG_INFO = 6,
    FALCO_ABI_LOG_DEBUG = 7,
    FALCO_ABI_LOG_TRACE = 8
} falco_abi_log_severity;

typedef enum falco_abi_metric_value_type {
    FALCO_ABI_METRIC_U32 = 0,
    FALCO_ABI_METRIC_S32 = 1,
    FALCO_ABI_METRIC_U64 = 2,
    FALCO_ABI_METRIC_S64 = 3,
    FALCO_ABI_METRIC_D = 4,
    FALCO_ABI_METRIC_F = 5,
    FALCO_ABI_METRIC_I = 6
} falco_abi_metric_value_type;

typedef enum falco_abi_metric_type {
    FALCO_ABI_METRIC_MONOTONIC = 0,
    FALCO_ABI_METRIC_NON_MONOTONIC = 1
} falco_abi_metric_type;

/* ---- events ---- */

/* The 26-byte packed scap event header; params follow it. */
#pragma pack(push, 1)
typedef struct falco_abi_event {
    uint64_t ts;      /* nanoseconds since epoch; UINT64_MAX asks the host to fill it */
    uint64_t tid;     /* thread id; the host writes -1 for plugin events */
    uint32_t len;     /* whole event, header included */
    uint16_t type;    /* event code */
    uint32_t nparams; /* number of parameters */
} falco_abi_event;
#pragma pack(pop)

typedef struct falco_abi_event_input {
    const falco_abi_event *evt;
    uint64_t evtnum;
    const char *evtsrc;
} falco_abi_event_input;

/* ---- extraction ---- */
typedef struct falco_abi_byte_buffer {
    uint32_t len;
    const void *ptr;
} falco_abi_byte_buffer;

typedef struct falco_abi_extract_value_offsets {
    uint32_t *start;
    uint32_t *length;
} falco_abi_extract_value_offsets;

typedef struct falco_abi_extract_field {
    union {
        const char **str;
        uint64_t *u64;
        uint32_t *u32;
        falco_abi_bool *boolean;
        falco_abi_byte_buffer *buf;
    } res;
    uint64_t res_len;
    uint32_t field_id;
    const char *field;
    const char *arg_key;
    uint64_t arg_index;
    falco_abi_bool arg_present;
    uint32_t ftype;
    falco_abi_bool flist;
} falco_abi_extract_field;

/* ---- state tables ---- */
typedef union falco_abi_state_data {
    int8_t s8;
    int16_t s16;
    int32_t s32;
    int64_t s64;
    uint8_t u8;
    uint16_t u16;
    uint32_t u32;
    uint64_t u64;
    const char *str;
    falco_abi_bool b;
    falco_abi_table_t *table;
} falco_abi_state_data;

typedef struct falco_abi_table_info {
    const char *name;
    falco_abi_state_type key_type;
} falco_abi_table_info;

typedef struct falco_abi_table_fieldinfo {
    const char *name;
    falco_abi_state_type field_type;
    falco_abi_bool read_only;
} falco_abi_table_fieldinfo;

typedef falco_abi_bool (*falco_abi_table_iterator_func_t)(falco_abi_table_iterator_state_t *s,
                                                          falco_abi_table_entry_t *e);

typedef struct falco_abi_table_fields_vtable {
    const falco_abi_table_fieldinfo *(*list_table_fields)(falco_abi_table_t *t, uint32_t *nfields);
    falco_abi_table_field_t *(*get_table_field)(falco_abi_table_t *t, const char *name,
                                                falco_abi_state_type data_type);
    falco_abi_table_field_t *(*add_table_field)(falco_abi_table_t *t, const char *name,
                                                falco_abi_state_type data_type);
} falco_abi_table_fields_vtable;

/* Since 3.1 the `_ext` vtables are passed by pointer; same layout as the plain one. */
typedef falco_abi_table_fields_vtable falco_abi_table_fields_vtable_ext;

typedef struct falco_abi_table_reader_vtable {
    const char *(*get_table_name)(falco_abi_table_t *t);
    uint64_t (*get_table_size)(falco_abi_table_t *t);
    falco_abi_table_entry_t *(*get_table_entry)(falco_abi_table_t *t, const falco_abi_state_data *key);
    falco_abi_rc (*read_entry_field)(falco_abi_table_t *t, falco_abi_table_entry_t *e,
                                     const falco_abi_table_field_t *f, falco_abi_state_data *out);
} falco_abi_table_reader_vtable;

typedef struct falco_abi_table_reader_vtable_ext {
    const char *(*get_table_name)(falco_abi_table_t *t);
    uint64_t (*get_table_size)(falco_abi_table_t *t);
    falco_abi_table_entry_t *(*get_table_entry)(falco_abi_table_t *t, const falco_abi_state_data *key);
    falco_abi_rc (*read_entry_field)(falco_abi_table_t *t, falco_abi_table_entry_t *e,
                                     const falco_abi_table_field_t *f, falco_abi_state_data *out);
    void (*release_table_entry)(falco_abi_table_t *t, falco_abi_table_entry_t *e);
    falco_abi_bool (*iterate_entries)(falco_abi_table_t *t, falco_abi_table_iterator_func_t it,
                                      falco_abi_table_iterator_state_t *s);
} falco_abi_table_reader_vtable_ext;

typedef struct falco_abi_table_writer_vtable {
    falco_abi_rc (*clear_table)(falco_abi_table_t *t);
    falco_abi_rc (*erase_table_entry)(falco_abi_table_t *t, const falco_abi_state_data *key);
    falco_abi_table_entry_t *(*create_table_entry)(falco_abi_table_t *t);
    void (*destroy_table_entry)(falco_abi_table_t *t, falco_abi_table_entry_t *e);
    falco_abi_table_entry_t *(*add_table_entry)(falco_abi_table_t *t, const falco_abi_state_data *key,
                                                falco_abi_table_entry_t *e);
    falco_abi_rc (*write_entry_field)(falco_abi_table_t *t, falco_abi_table_entry_t *e,
                                      const falco_abi_table_field_t *f, const falco_abi_state_data *in);
} falco_abi_table_writer_vtable;

typedef falco_abi_table_writer_vtable falco_abi_table_writer_vtable_ext;

typedef struct falco_abi_table_input {
    const char *name;
    falco_abi_state_type key_type;
    falco_abi_table_t *table;
    falco_abi_table_reader_vtable reader;  /* deprecated, must equal *reader_ext */
    falco_abi_table_writer_vtable writer;  /* deprecated, must equal *writer_ext */
    falco_abi_table_fields_vtable fields;  /* deprecated, must equal *fields_ext */
    falco_abi_table_reader_vtable_ext *reader_ext;
    falco_abi_table_writer_vtable_ext *writer_ext;
    falco_abi_table_fields_vtable_ext *fields_ext;
} falco_abi_table_input;

typedef struct falco_abi_init_tables_input {
    falco_abi_table_info *(*list_tables)(falco_abi_owner_t *o, uint32_t *ntables);
    falco_abi_table_t *(*get_table)(falco_abi_owner_t *o, const char *name, falco_abi_state_type key_type);
    falco_abi_rc (*add_table)(falco_abi_owner_t *o, const falco_abi_table_input *in);
    falco_abi_table_fields_vtable fields; /* deprecated */
    falco_abi_table_fields_vtable_ext *fields_ext;
    falco_abi_table_reader_vtable_ext *reader_ext;
    falco_abi_table_writer_vtable_ext *writer_ext;
} falco_abi_init_tables_input;

/* ---- base ---- */
typedef void (*falco_abi_log_fn)(falco_abi_owner_t *o, const char *component, const char *msg,
                                 falco_abi_log_severity sev);

typedef struct falco_abi_init_input {
    const char *config;
    falco_abi_owner_t *owner;
    const char *(*get_owner_last_error)(falco_abi_owner_t *o);
    const falco_abi_init_tables_input *tables; /* NULL unless the plugin parses or extracts */
    falco_abi_log_fn log_fn;                   /* since 3.4 (we read it only when declared) */
} falco_abi_init_input;

typedef struct falco_abi_field_extract_input {
    falco_abi_owner_t *owner;
    const char *(*get_owner_last_error)(falco_abi_owner_t *o);
    uint32_t num_fields;
    falco_abi_extract_field *fields;
    falco_abi_table_reader_vtable table_reader; /* deprecated */
    falco_abi_table_reader_vtable_ext *table_reader_ext;
    falco_abi_extract_value_offsets *value_offsets; /* since 3.11; NULL when not requested */
} falco_abi_field_extract_input;

typedef struct falco_abi_event_parse_input {
    falco_abi_owner_t *owner;
    const char *(*get_owner_last_error)(falco_abi_owner_t *o);
    falco_abi_table_reader_vtable table_reader; /* deprecated */
    falco_abi_table_writer_vtable table_writer; /* deprecated */
    falco_abi_table_reader_vtable_ext *table_reader_ext;
    falco_abi_table_writer_vtable_ext *table_writer_ext;
} falco_abi_event_parse_input;

typedef struct falco_abi_set_config_input {
    const char *config;
} falco_abi_set_config_input;

/* ---- async, routines, capture listening ---- */
typedef falco_abi_rc (*falco_abi_async_event_handler)(falco_abi_owner_t *o, const falco_abi_event *evt,
                                                      char *err);

typedef falco_abi_bool (*falco_abi_routine_fn)(falco_abi_plugin_t *s, falco_abi_routine_state_t *i);

typedef struct falco_abi_routine_vtable {
    falco_abi_routine_t *(*subscribe)(falco_abi_owner_t *o, falco_abi_routine_fn f,
                                      falco_abi_routine_state_t *i);
    falco_abi_rc (*unsubscribe)(falco_abi_owner_t *o, falco_abi_routine_t *r);
} falco_abi_routine_vtable;

typedef struct falco_abi_capture_listen_input {
    falco_abi_owner_t *owner;
    falco_abi_routine_vtable *routine;
    falco_abi_table_reader_vtable_ext *table_reader_ext;
    falco_abi_table_writer_vtable_ext *table_writer_ext;
    const char *(*get_owner_last_error)(falco_abi_owner_t *o); /* since 3.9 */
} falco_abi_capture_listen_input;

/* ---- metrics ---- */
typedef union falco_abi_metric_value {
    uint32_t u32;
    int32_t s32;
    uint64_t u64;
    int64_t s64;
    double d;
    float f;
    int i;
} falco_abi_metric_value;

typedef struct falco_abi_metric {
    const char *name;
    falco_abi_metric_type type;
    falco_abi_metric_value value;
    falco_abi_metric_value_type value_type;
} falco_abi_metric;

/* ---- the vtable a statically linked plugin hands to its host ----
 * A dynamically loaded plugin exports each member as `plugin_<member>` instead.
 * The no-argument getters are declared with (void): calling them through the
 * real header's `()` type is the same call. */
typedef struct falco_abi_plugin_api {
    const char *(*get_required_api_version)(void);
    const char *(*get_init_schema)(falco_abi_schema_type *schema_type);
    falco_abi_plugin_t *(*init)(const falco_abi_init_input *in, falco_abi_rc *rc);
    void (*destroy)(falco_abi_plugin_t *s);
    const char *(*get_last_error)(falco_abi_plugin_t *s);
    const char *(*get_name)(void);
    const char *(*get_description)(void);
    const char *(*get_contact)(void);
    const char *(*get_version)(void);
    /* source capability */
    uint32_t (*get_id)(void);
    const char *(*get_event_source)(void);
    falco_abi_instance_t *(*open)(falco_abi_plugin_t *s, const char *params, falco_abi_rc *rc);
    void (*close)(falco_abi_plugin_t *s, falco_abi_instance_t *h);
    const char *(*list_open_params)(falco_abi_plugin_t *s, falco_abi_rc *rc);
    const char *(*get_progress)(falco_abi_plugin_t *s, falco_abi_instance_t *h, uint32_t *progress_pct);
    const char *(*event_to_string)(falco_abi_plugin_t *s, const falco_abi_event_input *evt);
    falco_abi_rc (*next_batch)(falco_abi_plugin_t *s, falco_abi_instance_t *h, uint32_t *nevts,
                               falco_abi_event ***evts);
    /* extract capability */
    uint16_t *(*get_extract_event_types)(uint32_t *numtypes, falco_abi_plugin_t *s);
    const char *(*get_extract_event_sources)(void);
    const char *(*get_fields)(void);
    falco_abi_rc (*extract_fields)(falco_abi_plugin_t *s, const falco_abi_event_input *evt,
                                   const falco_abi_field_extract_input *in);
    /* parse capability */
    uint16_t *(*get_parse_event_types)(uint32_t *numtypes, falco_abi_plugin_t *s);
    const char *(*get_parse_event_sources)(void);
    falco_abi_rc (*parse_event)(falco_abi_plugin_t *s, const falco_abi_event_input *evt,
                                const falco_abi_event_parse_input *in);
    /* async capability */
    const char *(*get_async_event_sources)(void);
    const char *(*get_async_events)(void);
    falco_abi_rc (*set_async_event_handler)(falco_abi_plugin_t *s, falco_abi_owner_t *owner,
                                            const falco_abi_async_event_handler handler);
    falco_abi_rc (*dump_state)(falco_abi_plugin_t *s, falco_abi_owner_t *owner,
                               const falco_abi_async_event_handler handler);
    /* set_config and metrics */
    falco_abi_rc (*set_config)(falco_abi_plugin_t *s, const falco_abi_set_config_input *in);
    falco_abi_metric *(*get_metrics)(falco_abi_plugin_t *s, uint32_t *num_metrics);
    /* capture listen capability */
    falco_abi_rc (*capture_open)(falco_abi_plugin_t *s, const falco_abi_capture_listen_input *in);
    falco_abi_rc (*capture_close)(falco_abi_plugin_t *s, const falco_abi_capture_listen_input *in);
    /* since 3.12 */
    const char *(*get_required_event_schema_version)(falco_abi_plugin_t *s);
} falco_abi_plugin_api;

/* ---- layout checks against the real header (LP64) ---- */
#if (defined(__x86_64__) || defined(__aarch64__)) && !defined(FALCO_ABI_NO_LAYOUT_CHECKS)
#ifdef __cplusplus
#define FALCO_ABI__ASSERT(c, m) static_assert(c, m)
#else
#define FALCO_ABI__ASSERT(c, m) _Static_assert(c, m)
#endif
#define FALCO_ABI__SIZE(t, n) FALCO_ABI__ASSERT(sizeof(t) == (n), "sizeof " #t)
#define FALCO_ABI__AT(t, m, o) FALCO_ABI__ASSERT(offsetof(t, m) == (o), #t "." #m)

FALCO_ABI__SIZE(falco_abi_event, 26);
FALCO_ABI__AT(falco_abi_event, ts, 0);
FALCO_ABI__AT(falco_abi_event, tid, 8);
FALCO_ABI__AT(falco_abi_event, len, 16);
FALCO_ABI__AT(falco_abi_event, type, 20);
FALCO_ABI__AT(falco_abi_event, nparams, 22);

FALCO_ABI__SIZE(falco_abi_event_input, 24);
FALCO_ABI__AT(falco_abi_event_input, evt, 0);
FALCO_ABI__AT(falco_abi_event_input, evtnum, 8);
FALCO_ABI__AT(falco_abi_event_input, evtsrc, 16);

FALCO_ABI__SIZE(falco_abi_byte_buffer, 16);
FALCO_ABI__AT(falco_abi_byte_buffer, len, 0);
FALCO_ABI__AT(falco_abi_byte_buffer, ptr, 8);

FALCO_ABI__SIZE(falco_abi_extract_value_offsets, 16);
FALCO_ABI__AT(falco_abi_extract_value_offsets, start, 0);
FALCO_ABI__AT(falco_abi_extract_value_offsets, length, 8);

FALCO_ABI__SIZE(falco_abi_extract_field, 64);
FALCO_ABI__AT(falco_abi_extract_field, res, 0);
FALCO_ABI__AT(falco_abi_extract_field, res_len, 8);
FALCO_ABI__AT(falco_abi_extract_field, field_id, 16);
FALCO_ABI__AT(falco_abi_extract_field, field, 24);
FALCO_ABI__AT(falco_abi_extract_field, arg_key, 32);
FALCO_ABI__AT(falco_abi_extract_field, arg_index, 40);
FALCO_ABI__AT(falco_abi_extract_field, arg_present, 48);
FALCO_ABI__AT(falco_abi_extract_field, ftype, 52);
FALCO_ABI__AT(falco_abi_extract_field, flist, 56);

FALCO_ABI__SIZE(falco_abi_state_data, 8);
FALCO_ABI__SIZE(falco_abi_table_info, 16);
FALCO_ABI__AT(falco_abi_table_info, key_type, 8);
FALCO_ABI__SIZE(falco_abi_table_fieldinfo, 16);
FALCO_ABI__AT(falco_abi_table_fieldinfo, field_type, 8);
FALCO_ABI__AT(falco_abi_table_fieldinfo, read_only, 12);

FALCO_ABI__SIZE(falco_abi_table_fields_vtable, 24);
FALCO_ABI__AT(falco_abi_table_fields_vtable, get_table_field, 8);
FALCO_ABI__AT(falco_abi_table_fields_vtable, add_table_field, 16);
FALCO_ABI__SIZE(falco_abi_table_reader_vtable, 32);
FALCO_ABI__AT(falco_abi_table_reader_vtable, get_table_size, 8);
FALCO_ABI__AT(falco_abi_table_reader_vtable, get_table_entry, 16);
FALCO_ABI__AT(falco_abi_table_reader_vtable, read_entry_field, 24);
FALCO_ABI__SIZE(falco_abi_table_reader_vtable_ext, 48);
FALCO_ABI__AT(falco_abi_table_reader_vtable_ext, release_table_entry, 32);
FALCO_ABI__AT(falco_abi_table_reader_vtable_ext, iterate_entries, 40);
FALCO_ABI__SIZE(falco_abi_table_writer_vtable, 48);
FALCO_ABI__AT(falco_abi_table_writer_vtable, erase_table_entry, 8);
FALCO_ABI__AT(falco_abi_table_writer_vtable, create_table_entry, 16);
FALCO_ABI__AT(falco_abi_table_writer_vtable, destroy_table_entry, 24);
FALCO_ABI__AT(falco_abi_table_writer_vtable, add_table_entry, 32);
FALCO_ABI__AT(falco_abi_table_writer_vtable, write_entry_field, 40);

FALCO_ABI__SIZE(falco_abi_table_input, 152);
FALCO_ABI__AT(falco_abi_table_input, key_type, 8);
FALCO_ABI__AT(falco_abi_table_input, table, 16);
FALCO_ABI__AT(falco_abi_table_input, reader, 24);
FALCO_ABI__AT(falco_abi_table_input, writer, 56);
FALCO_ABI__AT(falco_abi_table_input, fields, 104);
FALCO_ABI__AT(falco_abi_table_input, reader_ext, 128);
FALCO_ABI__AT(falco_abi_table_input, writer_ext, 136);
FALCO_ABI__AT(falco_abi_table_input, fields_ext, 144);

FALCO_ABI__SIZE(falco_abi_init_tables_input, 72);
FALCO_ABI__AT(falco_abi_init_tables_input, get_table, 8);
FALCO_ABI__AT(falco_abi_init_tables_input, add_table, 16);
FALCO_ABI__AT(falco_abi_init_tables_input, fields, 24);
FALCO_ABI__AT(falco_abi_init_tables_input, fields_ext, 48);
FALCO_ABI__AT(falco_abi_init_tables_input, reader_ext, 56);
FALCO_ABI__AT(falco_abi_init_tables_input, writer_ext, 64);

FALCO_ABI__SIZE(falco_abi_init_input, 40);
FALCO_ABI__AT(falco_abi_init_input, owner, 8);
FALCO_ABI__AT(falco_abi_init_input, get_owner_last_error, 16);
FALCO_ABI__AT(falco_abi_init_input, tables, 24);
FALCO_ABI__AT(falco_abi_init_input, log_fn, 32);

FALCO_ABI__SIZE(falco_abi_field_extract_input, 80);
FALCO_ABI__AT(falco_abi_field_extract_input, get_owner_last_error, 8);
FALCO_ABI__AT(falco_abi_field_extract_input, num_fields, 16);
FALCO_ABI__AT(falco_abi_field_extract_input, fields, 24);
FALCO_ABI__AT(falco_abi_field_extract_input, table_reader, 32);
FALCO_ABI__AT(falco_abi_field_extract_input, table_reader_ext, 64);
FALCO_ABI__AT(falco_abi_field_extract_input, value_offsets, 72);

FALCO_ABI__SIZE(falco_abi_event_parse_input, 112);
FALCO_ABI__AT(falco_abi_event_parse_input, table_reader, 16);
FALCO_ABI__AT(falco_abi_event_parse_input, table_writer, 48);
FALCO_ABI__AT(falco_abi_event_parse_input, table_reader_ext, 96);
FALCO_ABI__AT(falco_abi_event_parse_input, table_writer_ext, 104);

FALCO_ABI__SIZE(falco_abi_set_config_input, 8);
FALCO_ABI__SIZE(falco_abi_routine_vtable, 16);
FALCO_ABI__AT(falco_abi_routine_vtable, unsubscribe, 8);

FALCO_ABI__SIZE(falco_abi_capture_listen_input, 40);
FALCO_ABI__AT(falco_abi_capture_listen_input, routine, 8);
FALCO_ABI__AT(falco_abi_capture_listen_input, table_reader_ext, 16);
FALCO_ABI__AT(falco_abi_capture_listen_input, table_writer_ext, 24);
FALCO_ABI__AT(falco_abi_capture_listen_input, get_owner_last_error, 32);

FALCO_ABI__SIZE(falco_abi_metric_value, 8);
FALCO_ABI__SIZE(falco_abi_metric, 32);
FALCO_ABI__AT(falco_abi_metric, type, 8);
FALCO_ABI__AT(falco_abi_metric, value, 16);
FALCO_ABI__AT(falco_abi_metric, value_type, 24);

FALCO_ABI__AT(falco_abi_plugin_api, get_required_api_version, 0);
FALCO_ABI__AT(falco_abi_plugin_api, get_init_schema, 8);
FALCO_ABI__AT(falco_abi_plugin_api, init, 16);
FALCO_ABI__AT(falco_abi_plugin_api, destroy, 24);
FALCO_ABI__AT(falco_abi_plugin_api, get_last_error, 32);
FALCO_ABI__AT(falco_abi_plugin_api, get_name, 40);
FALCO_ABI__AT(falco_abi_plugin_api, get_description, 48);
FALCO_ABI__AT(falco_abi_plugin_api, get_contact, 56);
FALCO_ABI__AT(falco_abi_plugin_api, get_version, 64);
FALCO_ABI__AT(falco_abi_plugin_api, get_id, 72);
FALCO_ABI__AT(falco_abi_plugin_api, get_event_source, 80);
FALCO_ABI__AT(falco_abi_plugin_api, open, 88);
FALCO_ABI__AT(falco_abi_plugin_api, close, 96);
FALCO_ABI__AT(falco_abi_plugin_api, list_open_params, 104);
FALCO_ABI__AT(falco_abi_plugin_api, get_progress, 112);
FALCO_ABI__AT(falco_abi_plugin_api, event_to_string, 120);
FALCO_ABI__AT(falco_abi_plugin_api, next_batch, 128);
FALCO_ABI__AT(falco_abi_plugin_api, get_extract_event_types, 136);
FALCO_ABI__AT(falco_abi_plugin_api, get_extract_event_sources, 144);
FALCO_ABI__AT(falco_abi_plugin_api, get_fields, 152);
FALCO_ABI__AT(falco_abi_plugin_api, extract_fields, 160);
FALCO_ABI__AT(falco_abi_plugin_api, get_parse_event_types, 168);
FALCO_ABI__AT(falco_abi_plugin_api, get_parse_event_sources, 176);
FALCO_ABI__AT(falco_abi_plugin_api, parse_event, 184);
FALCO_ABI__AT(falco_abi_plugin_api, get_async_event_sources, 192);
FALCO_ABI__AT(falco_abi_plugin_api, get_async_events, 200);
FALCO_ABI__AT(falco_abi_plugin_api, set_async_event_handler, 208);
FALCO_ABI__AT(falco_abi_plugin_api, dump_state, 216);
FALCO_ABI__AT(falco_abi_plugin_api, set_config, 224);
FALCO_ABI__AT(falco_abi_plugin_api, get_metrics, 232);
FALCO_ABI__AT(falco_abi_plugin_api, capture_open, 240);
FALCO_ABI__AT(falco_abi_plugin_api, capture_close, 248);
FALCO_ABI__AT(falco_abi_plugin_api, get_required_event_schema_version, 256);
FALCO_ABI__SIZE(falco_abi_plugin_api, 264);

#undef FALCO_ABI__AT
#undef FALCO_ABI__SIZE
#undef FALCO_ABI__ASSERT
#endif /* LP64 layout checks */

#ifdef __cplusplus
}
#endif
#endif /* FALCO_ABI_H */
