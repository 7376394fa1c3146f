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

/* Decides on an async event the host's own checks accepted: NULL takes it,
 * a reason (written into why) rejects it. Runs on the plugin's threads. */
typedef const char *(*falco__host_async_accept_fn)(void *userdata, falco_host_plugin *p, const falco_abi_event *e,
                                                   char *why, size_t size);

typedef struct falco__host_async {
    falco_host_async_fn fn;
    falco__host_async_accept_fn accept; /* NULL: fn takes every checked event */
    void *userdata;
} falco__host_async;

typedef struct falco__host_routine {
    falco_abi_routine_fn fn;
    falco_abi_routine_state_t *state;
    bool active;
} falco__host_routine;

/* The vtables the host hands to one plugin. Plugins may keep these pointers
 * for the plugin's lifetime (libsinsp's stay valid that long, and SDKs keep
 * them from init), so they live in the plugin, are filled once on the owner
 * thread before the first call that hands them over, and never change. */
typedef struct falco__host_vtables {
    bool tables_ready, routines_ready;
    falco_abi_init_tables_input init;
    falco_abi_table_reader_vtable_ext rx;
    falco_abi_table_writer_vtable_ext wx;
    falco_abi_table_fields_vtable_ext fx;
    falco_abi_routine_vtable routines;
} falco__host_vtables;

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
    size_t field_name_probes; /* hash slots visited by the duplicate check (tests assert it is linear) */

    falco__host_strlist findings;
    char err[FALCO__HOST_ERRLEN];
    char owner_err[FALCO__HOST_ERRLEN]; /* get_owner_last_error */

    falco_host_log_fn log;
    void *log_userdata;

    falco_abi_plugin_t *state;
    bool init_called; /* plugin_init ran, whatever it returned */
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
    falco__host_vtables vt;

    /* The session p was added to (NULL when none): its routines then run on
     * the session's pool. Set and cleared by the session's owner thread
     * while no plugin thread can read it. */
    falco_host_session *session;
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

/* An ABI return code by its name ("FAILURE"), or "unknown code N": never a
 * number alone, which would read as a falco_rc. Use as falco__host_rc_str(rc).s
 * within one expression. */
typedef struct falco__host_rcstr {
    char s[32];
} falco__host_rcstr;
falco__host_rcstr falco__host_rc_str(falco_abi_rc rc);

/* Hands one line to p's sink (or stderr), serialized with every other sink call. */
void falco__host_log_sink(falco_host_plugin *p, const char *component, const char *msg, falco_abi_log_severity sev);

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

/* As falco_host_set_async_handler, with an accept hook (NULL: none). */
falco_rc falco__host_install_async(falco_host_plugin *p, falco_host_async_fn fn, falco__host_async_accept_fn accept,
                                   void *userdata);

/* The session's side of the routine vtable (session.c); thread-safe. */
falco_abi_routine_t *falco__host_session_subscribe(falco_host_plugin *p, falco_abi_routine_fn fn,
                                                   falco_abi_routine_state_t *state);
falco_abi_rc falco__host_session_unsubscribe(falco_host_plugin *p, falco_abi_routine_t *h);

/* Frees the async handler state, instances, extractors, routines. */
void falco__host_async_free(falco_host_plugin *p);
void falco__host_extractors_free(falco_host_plugin *p);

/* ---- state tables (tables.c, table_mem.c, table_threads.c) ----
 *
 * A session owns a registry of tables (falco__host_tables): the host's own
 * in-memory tables (falco__host_table of kind MEM, e.g. "threads") and the
 * tables plugins add (kind PLUGIN: calls forwarded to the plugin's vtables).
 * Plugins never hold a falco__host_table: get_table hands out a per-plugin
 * reference (falco__host_tref) so that every vtable call knows whose
 * owner error to set. */
typedef struct falco__host_tables falco__host_tables;
typedef struct falco__host_table falco__host_table;
typedef struct falco__host_schema falco__host_schema;
typedef struct falco__host_field falco__host_field;
typedef struct falco__host_entry falco__host_entry;

/* Creates a registry holding the host's "threads" table; NULL when out of memory. */
falco__host_tables *falco__host_tables_new(void);
/* Frees the registry, its tables, their entries (held or not) and references. */
void falco__host_tables_free(falco__host_tables *r);
/* Drops the tables plugin p added (its init failed: they would dangle). */
void falco__host_tables_drop_owner(falco__host_tables *r, const falco_host_plugin *p);
/* The session's registry. */
falco__host_tables *falco__host_session_tables(falco_host_session *s);
/* Registers a host table over schema s (owned from now on); NULL when out of memory. */
falco__host_table *falco__host_tables_add_mem(falco__host_tables *r, falco__host_schema *s);
/* Entries of r's host tables handed to plugins and not released yet. */
uint64_t falco__host_tables_held(const falco__host_tables *r);
/* Table i: its name (NULL past the end), key type and size (UINT64_MAX for
 * a plugin's table, which the host does not call to count). */
size_t falco__host_tables_count(const falco__host_tables *r);
const char *falco__host_tables_info(const falco__host_tables *r, size_t i, falco_abi_state_type *key_type,
                                    uint64_t *size);

/* Table i's fields, and its first max entries as JSON objects (see
 * falco_host_session_table_fields and _entries); err gets the reason. */
const falco_abi_table_fieldinfo *falco__host_tables_fields(falco__host_tables *r, size_t i, uint32_t *n,
                                                           char *err);
falco_rc falco__host_tables_entries(falco__host_tables *r, size_t i, uint64_t max, uint64_t *size,
                                    falco_host_table_entry_fn fn, void *userdata, char *err);

/* The `threads` table (table_threads.c). */
struct falco__host_threads;
struct falco__host_threads **falco__host_tables_threads(falco__host_tables *r);
falco_rc falco__host_threads_setup(falco__host_tables *r);
void falco__host_threads_free(struct falco__host_threads *th);
falco_rc falco__host_threads_add(falco__host_tables *r, const falco_host_thread *t);
falco_rc falco__host_threads_add_fd(falco__host_tables *r, int64_t tid, const falco_host_fd *fd);
/* Updates the threads table from one syscall event (session.c calls it
 * before the parse plugins see the event, as libsinsp's parsers run first). */
void falco__host_threads_event(falco__host_tables *r, const falco_abi_event *evt);

/* Closes the window the last call's vtables opened on this thread: table
 * calls are refused until the next call into a plugin hands vtables over.
 * init.c, extract.c and async.c call it right after each plugin call that
 * opened one (init, extract_fields, parse_event, capture open/close), so
 * that a plugin driven directly gets no window between calls either; a
 * plugin's own threads never have a window. */
void falco__host_tables_phase_end(void);

/* The type's name as libsinsp spells it ("int64", "string", "table"), or "unknown". */
const char *falco__host_state_type_name(falco_abi_state_type t);

/* ---- in-memory tables (table_mem.c) ---- */
falco__host_schema *falco__host_schema_new(const char *name, falco_abi_state_type key_type);
/* Adds a field (sub: the nested tables' schema for a TABLE field, owned by
 * the field from now on). NULL when out of memory. */
falco__host_field *falco__host_schema_add(falco__host_schema *s, const char *name, falco_abi_state_type type,
                                          bool read_only, bool dynamic, falco__host_schema *sub);
void falco__host_schema_free(falco__host_schema *s);
/* Makes reads of TABLE field f return fn's table when fn returns one (the
 * entry's own otherwise): libsinsp's threads share their process's fds. */
typedef falco__host_table *(*falco__host_alias_fn)(falco__host_entry *e, const falco__host_field *f, void *userdata);
void falco__host_field_set_alias(falco__host_field *f, falco__host_alias_fn fn, void *userdata);
const char *falco__host_schema_name(const falco__host_schema *s);
falco_abi_state_type falco__host_schema_key_type(const falco__host_schema *s);
/* The field named name, or NULL. */
falco__host_field *falco__host_schema_field(const falco__host_schema *s, const char *name);

/* A table over schema s (borrowed: it must outlive the table). *held counts
 * the entries handed out and not released, shared by a registry's tables. */
falco__host_table *falco__host_mem_new(falco__host_schema *s, uint64_t *held);
void falco__host_mem_free(falco__host_table *t);

/* Host-side access (the owner thread, no phase rules): the entry with key,
 * created and added when missing; NULL when out of memory. Not counted. */
falco__host_entry *falco__host_mem_upsert(falco__host_table *t, const falco_abi_state_data *key);
falco_rc falco__host_mem_set(falco__host_entry *e, const falco__host_field *f, const falco_abi_state_data *v);
/* The nested table of a TABLE field of e. */
falco__host_table *falco__host_mem_sub(falco__host_entry *e, const falco__host_field *f);
uint64_t falco__host_mem_size(const falco__host_table *t);
/* The entry with key or NULL (not counted); an integer field's value (0 for others). */
falco__host_entry *falco__host_mem_find(falco__host_table *t, const falco_abi_state_data *key);
uint64_t falco__host_mem_int(falco__host_entry *e, const falco__host_field *f);

/* Owner-side callbacks shared by init, extract, parse and listen inputs. */
const char *falco__host_owner_last_error(falco_abi_owner_t *o);
/* Open the window of a call into p on this thread (until
 * falco__host_tables_phase_end) and return p's vtables (p->vt, filled on
 * first use): the reader alone for extraction, the writer too for parse
 * and capture open/close, the init tables input for init. A deprecated
 * vtable embedded in an input (NULL: none) gets a copy. */
falco_abi_table_reader_vtable_ext *falco__host_reader_for(falco_host_plugin *p, falco_abi_table_reader_vtable *r);
falco_abi_table_writer_vtable_ext *falco__host_writer_for(falco_host_plugin *p, falco_abi_table_writer_vtable *w);
falco_abi_init_tables_input *falco__host_init_tables_for(falco_host_plugin *p);

#endif /* FALCO_HOST_INTERNAL_H */
