/*
 * src/internal.h - SDK internals shared by the source files. Not installed.
 */
#ifndef FALCO_SRC_INTERNAL_H
#define FALCO_SRC_INTERNAL_H

#include <stdalign.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <falco/plugin.h>

#define FALCO__ERRLEN FALCO_ABI_MAX_ERRLEN

/* ---- arena: bump allocation in chunks, reset keeps the largest chunk ---- */
typedef struct falco__arena_chunk {
    struct falco__arena_chunk *next;
    size_t size;
    size_t used;
    alignas(16) unsigned char data[];
} falco__arena_chunk;
typedef struct falco__arena {
    falco__arena_chunk *head;
    bool dirty; /* something was allocated since the last reset */
} falco__arena;

void *falco__arena_alloc(falco__arena *a, size_t size);
void falco__arena_reset_slow(falco__arena *a);
/* Inline because hot paths reset an arena they usually did not use. */
static inline void falco__arena_reset(falco__arena *a) {
    if (a->dirty)
        falco__arena_reset_slow(a);
}
void falco__arena_free(falco__arena *a);
char *falco__arena_strdup(falco__arena *a, const char *s);

/* ---- string builder (falco_strbuf) ---- */
struct falco_strbuf {
    char *buf;
    size_t len;
    size_t cap;
};
void falco__strbuf_reset(falco_strbuf *sb);
void falco__strbuf_free(falco_strbuf *sb);

/* ---- per-declaration runtime, computed once per process ---- */
typedef struct falco__runtime {
    char api_version[24];      /* declared plugin API version */
    unsigned api_minor;        /* its minor, for feature gates */
    char decl_error[512];      /* non-empty: the declaration is invalid */
    char *fields_json;         /* get_fields */
    char *schema_json;         /* get_init_schema (declarative config) */
    char *sources_json;        /* get_extract_event_sources, NULL = all */
    uint16_t *event_types;     /* get_extract_event_types */
    uint32_t num_event_types;
    bool syscall_events;       /* parses/extracts codes other than plugin events */
    struct falco__field_rt *fields_rt; /* per field: what the extraction hot path needs */
    uint16_t *parse_types;     /* get_parse_event_types (NULL with 0: all types) */
    uint32_t num_parse_types;
    char *parse_sources_json;  /* get_parse_event_sources, NULL = all */
    char *async_events_json;   /* get_async_events */
    char *async_sources_json;  /* get_async_event_sources, NULL = all */
    struct falco__runtime *next_runtime;
    struct falco__runtime **slot; /* the declaration's pointer to this */
} falco__runtime;

/* The runtime of d, computed on first use (thread-safe). NULL only when out
 * of memory. */
falco__runtime *falco__runtime_get(const falco_plugin_decl *d);

/* Per field, what the extraction hot path reads, packed in 16 bytes: the
 * extractor and the head state a single-field call starts from, whose spare
 * bytes hold the field's value class and whether its request needs checks. */
typedef struct falco__field_rt {
    falco_extract_fn extract;
    falco__extract_state start;
} falco__field_rt;
#define FALCO__RT_KIND(rf) ((rf)->start.v.spare[0])   /* FALCO__KIND_* */
#define FALCO__RT_CHECKS(rf) ((rf)->start.v.spare[1]) /* argument or offsets to check */
/* In the plugin state's own copy of the table (falco__extract_ready) the
 * CHECKS byte says which requests of a field with an argument may still take
 * the fast path; 0 still means "no checks", and 1 (the shared table's
 * "checks", also kept when the copy could not be made) means "always the
 * general path". */
#define FALCO__RT_GENERAL 0x01u /* the general path, always */
#define FALCO__RT_NOARG 0x02u   /* fast without an argument */
#define FALCO__RT_INDEX 0x04u   /* fast with an index argument (no key) */
#define FALCO__RT_KEY 0x08u     /* fast with a non-empty key */
#define FALCO__RT_OFFSETS 0x10u /* general when the host asks for value offsets */
#define FALCO__RT_INDEX_QUICK 0x20u /* INDEX without OFFSETS: one test on the fast path */
/* The plugin imports state tables: the call's reader is granted around the
 * extractor (extract_checked), still on the fast path. Never with
 * INDEX_QUICK, so that every request of such a field comes that way. */
#define FALCO__RT_TABLES 0x40u
/* Only in the head's copy of the CHECKS byte: a message was recorded for
 * the field being extracted (falco__error_mark). */
#define FALCO__RT_ERROR 0x80u

/* ---- extraction state, embedded in the plugin state ---- */
#define FALCO__EXTRACT_STRBUF 256
struct falco_extract {
    falco__extract_head head; /* first: the inline setters in falco/extract.h use it */
    uint32_t cap;             /* capacity of the values array (head.req->res) */
    falco_plugin *p;
    const falco_extract_decl *xd;
    const falco_field *fields; /* the declaration's table */
    const falco__field_rt *fields_rt;
    falco__field_rt *fields_rt_own; /* this state's copy, when it could be made */
    uint32_t nfields;
    uint32_t fast_nfields;     /* nfields while the call arena is clean, else 0 (the fast path's one test) */
    uint32_t fast_limit;       /* what fast_nfields returns to: nfields, 0 when the fast path must not be used */
    bool offsets_enabled;      /* .value_offsets and a host that knows them */
    const falco_abi_event_input *ev;
    bool offset_set;
    uint32_t offset_start, offset_length;
    falco__arena call_arena;  /* reset at every extract_fields call */
    /* per-event context */
    uint64_t ctx_evtnum;
    const void *ctx_evt;
    int ctx_state;            /* 0 none, 1 prepared, 2 failed */
    falco_rc ctx_rc;
    void *ctx;
    char *ctx_error;
    falco__arena event_arena; /* reset when the event changes */
    /* The first string value of a single-field call, copied by
     * falco_extract_str/strn when it fits (valid until the next call). */
    char strbuf[FALCO__EXTRACT_STRBUF];
};

/* ---- the plugin state handed to the host as ss_plugin_t ---- */
struct falco_plugin {
    /* First, so that the extraction hot path's falco_extract is the plugin
     * state's own address (one register for both across the extractor call). */
    struct falco_extract extract;
    const falco_plugin_decl *decl;
    falco__runtime *rt;
    void *state;
    bool state_from_sdk;
    bool init_called;
    void *config;      /* decoded config struct, or NULL for raw configs */
    char *config_str;  /* config as given */
    falco_abi_owner_t *owner;
    const char *(*get_owner_last_error)(falco_abi_owner_t *o);
    falco_abi_log_fn log_fn;
    /* errors */
    char last_error[FALCO__ERRLEN];
    bool error_set;        /* a message was recorded during the current call */
    falco__arena *current; /* arena of the current host call (falco_plugin_scratch) */
    /* per-function memory returned to the host */
    falco__arena misc_arena;   /* set_config, init */
    falco__arena params_arena; /* list_open_params */
    char *open_params_json;
    falco_strbuf progress_text;
    falco_strbuf event_text;
    falco__arena metrics_arena;
    falco_abi_metric *metrics;
    uint32_t num_metrics, cap_metrics;
    /* parse, async and capture listening (parse.c, async.c, listen.c) */
    struct falco_parse *parse;   /* the parse call's handle, NULL without FALCO_PARSE */
    struct falco_async *async;   /* the plugin's async destination, NULL without FALCO_ASYNC */
    struct falco__listen *listen; /* routines, NULL without FALCO_LISTEN */
    /* state tables (table_import.c, table_export.c), NULL without table declarations */
    struct falco__tables *tables;
};

/* Capability setup and teardown the base calls through the declaration's
 * hooks (so that a plugin links only the capabilities it declares). */
falco_rc falco__parse_attach(falco_plugin *p);
void falco__parse_detach(falco_plugin *p);
falco_rc falco__async_attach(falco_plugin *p);
void falco__async_detach(falco_plugin *p);
falco_rc falco__listen_attach(falco_plugin *p);
void falco__listen_detach(falco_plugin *p);

/* ---- state tables: what a host call grants (table_import.c) ----
 * The table state starts with this record, so the capability entry points
 * set it inline without linking the tables code. */
/* falco__table_call: include/falco/table.h (its inline reads look at it). */
#define FALCO__TPHASE_NONE 0 /* outside any host call */
#define FALCO__TPHASE_INIT 1 /* init: everything */
#define FALCO__TPHASE_RW 2   /* parse, capture_open/close: read and write */
#define FALCO__TPHASE_RO 3   /* extract: read only */

static inline const struct falco__tables_hooks *falco__tables_hooks_of(const falco_plugin_decl *d) {
    return d->tables_import.falco__hooks ? d->tables_import.falco__hooks : d->tables_export.falco__hooks;
}
/* Call only when p->tables is set. */
static inline void falco__tables_enter(falco_plugin *p, const falco_abi_table_reader_vtable_ext *r,
                                       const falco_abi_table_writer_vtable_ext *w, int phase) {
    falco__table_call *c = (falco__table_call *)(void *)p->tables;
    c->reader = r;
    c->writer = w;
    c->phase = phase;
}
/* The end of a host call's access: end_call only warns of entries still
 * held, in debug builds. */
static inline void falco__tables_check_held(falco_plugin *p) {
#ifndef NDEBUG
    if (((falco__table_call *)(void *)p->tables)->held)
        falco__tables_hooks_of(p->decl)->end_call(p);
#else
    (void)p;
#endif
}
/* An extraction's read-only grant and its end: the reader and the phase
 * only (writes are refused in the read-only phase before the writer is
 * looked at, and outside host calls before anything is). */
static inline void falco__tables_enter_ro(falco_plugin *p, const falco_abi_table_reader_vtable_ext *r) {
    falco__table_call *c = (falco__table_call *)(void *)p->tables;
    c->reader = r;
    c->phase = FALCO__TPHASE_RO;
}
static inline void falco__tables_leave_ro(falco_plugin *p) {
    falco__table_call *c = (falco__table_call *)(void *)p->tables;
    c->reader = NULL;
    c->phase = FALCO__TPHASE_NONE;
    falco__tables_check_held(p);
}
/* Ends the call's access (and checks for unreleased entries); only when
 * p->tables is set. A reader of NULL is what tells table calls that no host
 * call grants access (their one compare, table_import.c). */
static inline void falco__tables_leave(falco_plugin *p) {
    falco__tables_enter(p, NULL, NULL, FALCO__TPHASE_NONE);
    falco__tables_check_held(p);
}

/* Error helpers. */
void falco__begin_call(falco_plugin *p, falco__arena *arena);
/* Notes that a message was recorded during the current call (error.c). */
void falco__error_mark(falco_plugin *p);
/* Writes "<what> failed: <rc message>" (+ the thread-local detail recorded
 * about detail_key, an event, if any) unless a message was recorded during
 * the call; returns rc. */
falco_rc falco__default_error(falco_plugin *p, falco_rc rc, const char *what, const void *detail_key);
falco_abi_rc falco__to_abi_rc(falco_rc rc);
void falco__set_error(falco_plugin *p, const char *fmt, ...) FALCO_PRINTF(2, 3);
/* The error of a capability call's handle (falco_parse_error,
 * falco_listen_error; plugin.c): fmt's message after prefix as p's last
 * error, the host's own last error appended when with_owner; returns rc. */
falco_rc falco__handle_verror(falco_plugin *p, falco_rc rc, const char *prefix, bool with_owner, const char *fmt,
                              va_list ap) FALCO_PRINTF(5, 0);

/* Thread-local detail for functions that have no plugin handle (event
 * accessors): the default error message appends it. */
void falco__set_detail(const void *key, const char *fmt, ...) FALCO_PRINTF(2, 3);
const char *falco__take_detail(const void *key);

/* Version strings "x.y.z". */
bool falco__parse_semver(const char *s, unsigned *major, unsigned *minor, unsigned *patch);

/* Extraction state lifecycle. */
void falco__extract_init(falco_plugin *p);
void falco__extract_ready(falco_plugin *p);
void falco__extract_free(falco_plugin *p);

/* Defined in log.c; weakly referenced by the runtime: non-NULL when the
 * plugin calls falco_log/falco_vlog (log.o is then linked in). */
extern const char falco__log_linked __attribute__((weak));

/* Event schema version of the compiled event table. */
const char *falco__event_schema_version(void);

#endif /* FALCO_SRC_INTERNAL_H */
