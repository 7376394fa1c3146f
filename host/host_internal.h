/*
 * host_internal.h - state shared by the host library's source files.
 * Nothing here is public: every non-static name is falco__host_*.
 */
#ifndef FALCO_HOST_INTERNAL_H
#define FALCO_HOST_INTERNAL_H

#include <stdarg.h>
#include <stdatomic.h>

#include <falco/host.h>
#include <falco/json.h>

#define FALCO__HOST_ERRLEN 2048

/* A list of owned strings that reads as a falco_string_list. */
typedef struct falco__host_strlist {
    const char **items; /* each malloc'd */
    size_t count;
} falco__host_strlist;

/* Resolved event codes of the extract or parse capability. */
typedef struct falco__host_codes {
    uint16_t *codes;
    size_t count;
    bool all;
} falco__host_codes;

typedef struct falco__host_async {
    falco_host_async_fn fn;
    void *userdata;
} falco__host_async;

typedef struct falco__host_routine {
    falco_abi_routine_fn fn;
    falco_abi_routine_state_t *state;
    bool active;
} falco__host_routine;

struct falco_host_extractor {
    falco_host_plugin *plugin;
    struct falco_host_extractor *next, *prev; /* plugin's list, freed with it */
    const falco_host_field *field;
    bool arg_present;
    uint64_t arg_index;
    char *arg_key; /* NULL unless the field takes a key */
};

struct falco_host_instance {
    falco_host_plugin *plugin;
    falco_abi_instance_t *handle;
    falco_abi_event **batch;
    uint32_t batch_count, batch_pos;
    falco_abi_rc batch_rc;  /* the code that came with the current batch */
    bool failed;
    bool eof;
    uint64_t evtnum;
};

struct falco_host_plugin {
    char *path; /* or label */
    void *dl;
    falco_abi_plugin_api api;
    bool loaded;      /* every load-time rule passed */
    bool symbols_ok;  /* required symbols present: getters may be called */
    unsigned api_major, api_minor, api_patch; /* declared required API version */

    char *name, *version, *description, *contact, *required_api;
    unsigned caps;
    uint32_t id;
    char *event_source;
    falco__host_strlist extract_sources, parse_sources, async_sources, async_events;
    char *init_schema;
    falco_abi_schema_type schema_type;

    falco_host_field *fields;
    size_t field_count;

    falco__host_strlist findings;
    char err[FALCO__HOST_ERRLEN];
    char owner_err[FALCO__HOST_ERRLEN]; /* get_owner_last_error */

    falco_host_log_fn log;
    void *log_userdata;

    falco_abi_plugin_t *state;
    bool inited;
    char *config;
    falco__host_codes extract_codes, parse_codes;
    falco__host_strlist added_tables;

    falco_host_open_param *open_params;
    size_t open_param_count;
    falco_json_doc *open_params_doc;

    falco_host_instance *instance;
    falco_host_extractor *extractors;
    char *text; /* event_to_string result */

    _Atomic(falco__host_async *) async;
    atomic_ullong async_rejected;
    falco__host_async dump; /* set only during falco_host_dump_state */

    falco__host_routine *routines;
    size_t routine_count;
};

/* Label of p in messages: its name once known, else its path. */
const char *falco__host_label(const falco_host_plugin *p);

/* Writes "plugin '<label>': <call>: <message>" into p->err and returns rc. */
falco_rc falco__host_err(falco_host_plugin *p, falco_rc rc, const char *call, const char *fmt, ...)
    FALCO_PRINTF(4, 5);

/* As falco__host_err, then appends ": <plugin's get_last_error>" when the
 * plugin has a state and a non-empty message. */
falco_rc falco__host_err_plugin(falco_host_plugin *p, falco_rc rc, const char *call, const char *fmt, ...)
    FALCO_PRINTF(4, 5);

/* As falco__host_err, and records the message as a finding. */
falco_rc falco__host_finding(falco_host_plugin *p, falco_rc rc, const char *call, const char *fmt, ...)
    FALCO_PRINTF(4, 5);

/* Sends a host log line through p's sink. */
void falco__host_log(falco_host_plugin *p, falco_abi_log_severity sev, const char *fmt, ...) FALCO_PRINTF(3, 4);

/* strdup that maps NULL to "" ; returns NULL only when out of memory. */
char *falco__host_strdup(const char *s);

falco_rc falco__host_strlist_add(falco__host_strlist *l, const char *s);
void falco__host_strlist_free(falco__host_strlist *l);
bool falco__host_strlist_has(const falco__host_strlist *l, const char *s);
falco_string_list falco__host_strlist_view(const falco__host_strlist *l);

/* Parses "x.y.z[-pre][+build]" into its numbers. */
bool falco__host_semver_parse(const char *s, unsigned *major, unsigned *minor, unsigned *patch);

/* Parses and validates get_fields JSON into p->fields (loader calls it). */
falco_rc falco__host_fields_load(falco_host_plugin *p);
void falco__host_fields_free(falco_host_plugin *p);

/* Validates config (NUL-terminated) against schema JSON text. On failure
 * writes "<json path>: <why>" into err and returns FALCO_EINVAL (schema
 * config mismatch) or FALCO_EPARSE (config is not JSON). */
falco_rc falco__host_schema_validate(const falco_json_value *schema, const falco_json_value *config, char *err,
                                     size_t errlen);

/* Validates an event whose buffer size is only known from its own len. */
falco_rc falco__host_event_check(const falco_abi_event *evt, char *err, size_t errlen);

/* True when source list l (empty = every source) accepts src. */
bool falco__host_source_compatible(const falco__host_strlist *l, const char *src);

/* True when codes contain code. */
bool falco__host_codes_have(const falco__host_codes *c, uint16_t code);

/* Frees the async handler state, instances, extractors, routines. */
void falco__host_async_free(falco_host_plugin *p);
void falco__host_extractors_free(falco_host_plugin *p);

/* Owner-side callbacks shared by init, extract, parse and listen inputs. */
const char *falco__host_owner_last_error(falco_abi_owner_t *o);
void falco__host_fill_reader(falco_abi_table_reader_vtable *r, falco_abi_table_reader_vtable_ext *rx);
void falco__host_fill_writer(falco_abi_table_writer_vtable *w, falco_abi_table_writer_vtable_ext *wx);

#endif /* FALCO_HOST_INTERNAL_H */
