/*
 * falco/table.h - state tables: import the host's tables (libsinsp's
 * `threads`, another plugin's), and export the plugin's own.
 *
 * Import: declare what the plugin reads as a static table; the SDK resolves
 * it at init (the host gives tables to plugins that parse or extract only),
 * checking the key type and every field's type, and stores the handles in
 * the author's state (offsetof, like config options):
 *
 *   typedef struct { falco_table *threads; falco_table_field *comm, *pid, *seen; } my_state;
 *   static const falco_table_field_import thread_fields[] = {
 *       FALCO_TABLE_FIELD(my_state, comm, "comm", FALCO_TABLE_STRING),
 *       FALCO_TABLE_FIELD(my_state, pid, "pid", FALCO_TABLE_I64),
 *       FALCO_TABLE_FIELD(my_state, seen, "my.seen", FALCO_TABLE_U64, .add = true),
 *   };
 *   static const falco_table_import my_imports[] = {
 *       FALCO_TABLE_IMPORT(my_state, threads, "threads", FALCO_TABLE_I64, thread_fields),
 *   };
 *   FALCO_PLUGIN(my, ..., .state_size = sizeof(my_state),
 *                .tables_import = FALCO_TABLE_IMPORTS(my_imports));
 *
 * A missing table or field, or one of another type, fails init naming it:
 *   table 'threads': field 'comm' is string here, the plugin expects uint64
 * Then, from a callback, typed access that checks types and phases:
 *
 *   falco_table_entry *e;
 *   if (falco_table_get_entry(p, st->threads, FALCO_TABLE_KEY_I64(tid), &e) == FALCO_OK) {
 *       const char *comm;
 *       falco_table_read_str(p, st->threads, e, st->comm, &comm);
 *       falco_table_release(p, st->threads, e);
 *   }
 *
 * What the host grants decides what works: everything during init; read and
 * write while parsing and in capture_open/close; read only while extracting.
 * A write in a read-only phase returns FALCO_EMISUSE with a message naming
 * the table and field; outside any host call every access returns
 * FALCO_EMISUSE. Entries are counted until released, per plugin state;
 * leaks, and releases of more entries than were got, are logged at destroy
 * (and at the end of each call in SDK builds without NDEBUG).
 *
 * Export: declare a table whose entries are the author's own struct; the
 * SDK builds every vtable the host checks and registers it with add_table at
 * init; the owner reads and writes entries directly (falco_table_lookup).
 * An exported entry may hold nested tables (FALCO_TABLE_COLUMN_NESTED), each
 * entry its own, with fields shared by all of them (plugin API 3.5).
 *
 * Threading: imported tables are used from the host's call thread only.
 * An exported table declared .thread_safe takes a rwlock in every vtable
 * function, so the owner may update it from its own threads between
 * falco_table_wrlock/falco_table_unlock; strings the host reads from it are
 * per-thread copies (valid for the next 7 string reads on that thread), as
 * the owner may replace a member as soon as the lock is released.
 *
 * Since: 0.1.0
 */
#ifndef FALCO_TABLE_H
#define FALCO_TABLE_H

#include <falco/base.h>
#include <falco/extract.h>
#include <falco/listen.h>
#include <falco/parse.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Key and field types: libsinsp's state types. */
typedef enum falco_table_type {
    FALCO_TABLE_I8 = FALCO_ABI_ST_INT8,
    FALCO_TABLE_I16 = FALCO_ABI_ST_INT16,
    FALCO_TABLE_I32 = FALCO_ABI_ST_INT32,
    FALCO_TABLE_I64 = FALCO_ABI_ST_INT64,
    FALCO_TABLE_U8 = FALCO_ABI_ST_UINT8,
    FALCO_TABLE_U16 = FALCO_ABI_ST_UINT16,
    FALCO_TABLE_U32 = FALCO_ABI_ST_UINT32,
    FALCO_TABLE_U64 = FALCO_ABI_ST_UINT64,
    FALCO_TABLE_STRING = FALCO_ABI_ST_STRING,
    FALCO_TABLE_TABLE = FALCO_ABI_ST_TABLE, /* a nested table (field type only) */
    FALCO_TABLE_BOOL = FALCO_ABI_ST_BOOL
} falco_table_type;

/* A type's name as libsinsp spells it ("int64", "string", "table"...), or
 * "unknown". Static string. Thread-safe. */
const char *falco_table_type_name(falco_table_type t);

/* A table (imported, nested or exported) and a field of an imported table
 * (their members, below, are SDK internals: use the functions). Imported
 * handles are owned by the SDK and valid until destroy; a nested table read
 * from an entry is valid until the end of the call. */
typedef struct falco_table falco_table;
typedef struct falco_table_field falco_table_field;
/* An entry of an imported table, as the host handed it (opaque). */
typedef void falco_table_entry;

/* A key with its type, checked against the table's key type. */
typedef struct falco_table_key {
    falco_table_type type;
    falco_abi_state_data v;
} falco_table_key;
#define FALCO_TABLE_KEY_I8(x) ((falco_table_key){FALCO_TABLE_I8, {.s8 = (x)}})
#define FALCO_TABLE_KEY_I16(x) ((falco_table_key){FALCO_TABLE_I16, {.s16 = (x)}})
#define FALCO_TABLE_KEY_I32(x) ((falco_table_key){FALCO_TABLE_I32, {.s32 = (x)}})
#define FALCO_TABLE_KEY_I64(x) ((falco_table_key){FALCO_TABLE_I64, {.s64 = (x)}})
#define FALCO_TABLE_KEY_U8(x) ((falco_table_key){FALCO_TABLE_U8, {.u8 = (x)}})
#define FALCO_TABLE_KEY_U16(x) ((falco_table_key){FALCO_TABLE_U16, {.u16 = (x)}})
#define FALCO_TABLE_KEY_U32(x) ((falco_table_key){FALCO_TABLE_U32, {.u32 = (x)}})
#define FALCO_TABLE_KEY_U64(x) ((falco_table_key){FALCO_TABLE_U64, {.u64 = (x)}})
#define FALCO_TABLE_KEY_BOOL(x) ((falco_table_key){FALCO_TABLE_BOOL, {.b = (x) ? 1u : 0u}})
#define FALCO_TABLE_KEY_STR(x) ((falco_table_key){FALCO_TABLE_STRING, {.str = (x)}})

/* ---------------------------------------------------------------------------
 * Import declarations
 * ------------------------------------------------------------------------- */
typedef struct falco_table_field_import falco_table_field_import;
typedef struct falco_table_field_import_list {
    const falco_table_field_import *items;
    size_t count;
} falco_table_field_import_list;

struct falco_table_field_import {
    const char *name;      /* the field's name in the table */
    falco_table_type type; /* its type; checked at init */
    size_t slot;           /* offset of a falco_table_field * in the author's state */
    bool optional;         /* missing: the slot stays NULL instead of failing init */
    bool add;              /* define it (add_table_field) when the table lacks it */
    /* TABLE fields: the nested table's fields, resolved through an entry made
     * for the purpose (declares plugin API 3.5). */
    falco_table_field_import_list fields;
    /* TABLE fields: the nested table's key type (the host does not say it;
     * keys given for it are checked against this). */
    falco_table_type key_type;
};

typedef struct falco_table_import {
    const char *name;          /* the table's name in the host's registry */
    falco_table_type key_type; /* checked by the host's get_table */
    size_t slot;               /* offset of a falco_table * in the author's state */
    bool optional;             /* missing: the slot and its fields' slots stay NULL */
    falco_table_field_import_list fields;
} falco_table_import;

#define FALCO_TABLE_FIELD(st, member, fname, ftype, ...) \
    { .name = (fname), .type = (ftype), .slot = offsetof(st, member), __VA_ARGS__ }
#define FALCO_TABLE_NESTED(st, member, fname, ktype, nested_fields, ...)                           \
    { .name = (fname), .type = FALCO_TABLE_TABLE, .slot = offsetof(st, member),                   \
      .fields = FALCO_LIST(nested_fields), .key_type = (ktype), __VA_ARGS__ }
#define FALCO_TABLE_IMPORT(st, member, tname, ktype, field_imports, ...)                            \
    { .name = (tname), .key_type = (ktype), .slot = offsetof(st, member),                         \
      .fields = FALCO_LIST(field_imports), __VA_ARGS__ }

/* ---------------------------------------------------------------------------
 * Export declarations
 * ------------------------------------------------------------------------- */
typedef enum falco_table_access {
    FALCO_TABLE_RW = 0,      /* read and written through the host's API */
    FALCO_TABLE_READONLY = 1, /* listed read-only; writes through the API are refused */
    FALCO_TABLE_PRIVATE = 2  /* the owner's alone: not listed, not reachable */
} falco_table_access;

/* One field of an exported entry: a member of the author's entry struct.
 * Member types: I8..U64 the matching <stdint.h> type, BOOL bool, STRING
 * char * (NULL reads as ""; malloc'd and owned by the table: the SDK frees
 * it with the entry and when the host writes the field; the owner sets it
 * with falco_table_set_str), TABLE falco_table * (set by the SDK; read-only
 * through the API). */
struct falco_table_export;
typedef struct falco_table_column {
    const char *name;
    falco_table_type type;
    size_t offset; /* in the entry struct */
    size_t size;   /* sizeof the member, checked against type */
    falco_table_access access;
    /* TABLE columns (FALCO_TABLE_COLUMN_NESTED): the nested table's layout
     * (its .key_type, .entry_size, .columns; .name and .slot unused). The
     * member is a falco_table * the SDK sets when the entry is made: the
     * entry's own nested table, freed with the entry. */
    const struct falco_table_export *nested;
} falco_table_column;
typedef struct falco_table_column_list {
    const falco_table_column *items;
    size_t count;
} falco_table_column_list;

#define FALCO_TABLE_COLUMN(st, member, cname, ctype, ...)                                           \
    { .name = (cname), .type = (ctype), .offset = offsetof(st, member),                           \
      .size = sizeof(((st *)0)->member), __VA_ARGS__ }
#define FALCO_TABLE_COLUMN_NESTED(st, member, cname, nested_export, ...)                            \
    { .name = (cname), .type = FALCO_TABLE_TABLE, .offset = offsetof(st, member),                 \
      .size = sizeof(((st *)0)->member), .access = FALCO_TABLE_READONLY, .nested = (nested_export), \
      __VA_ARGS__ }

typedef struct falco_table_export {
    const char *name;          /* unique in the host's registry */
    falco_table_type key_type; /* an integer type, BOOL or STRING */
    size_t entry_size;         /* sizeof the author's entry struct */
    falco_table_column_list columns;
    size_t slot;      /* offset of a falco_table * in the author's state */
    bool thread_safe; /* a rwlock around every access (see the top of this file) */
} falco_table_export;

#define FALCO_TABLE_EXPORT(st, member, tname, ktype, entry_type, cols, ...)                         \
    { .name = (tname), .key_type = (ktype), .entry_size = sizeof(entry_type),                     \
      .columns = FALCO_LIST(cols), .slot = offsetof(st, member), __VA_ARGS__ }

/* Internal: what the SDK's table code plugs into the base (so a plugin
 * links it only when it declares tables). */
struct falco__tables_hooks {
    falco_rc (*validate)(const falco_plugin_decl *d, char *err, size_t errlen);
    unsigned (*min_api_minor)(const falco_plugin_decl *d, const char **why);
    falco_rc (*attach)(falco_plugin *p, const falco_abi_init_tables_input *in);
    void (*end_call)(falco_plugin *p);
    void (*detach)(falco_plugin *p);
    void (*extract_ready)(falco_plugin *p);
};
extern const struct falco__tables_hooks falco__tables_hooks;

/* The initializers of .tables_import and .tables_export (FALCO_LIST is
 * refused for them, since it does not link the tables code). */
#define FALCO_TABLE_IMPORTS(array) { (array), FALCO_COUNT(array), &falco__tables_hooks }
#define FALCO_TABLE_EXPORTS(array) { (array), FALCO_COUNT(array), &falco__tables_hooks }

/* ---------------------------------------------------------------------------
 * Access to imported (and nested) tables, from callbacks
 *
 * Every function takes the plugin state of the callback (falco_parse_plugin,
 * falco_extract_plugin, falco_listen_plugin, or init's p) and returns
 * FALCO_OK, or an error with the message in the plugin's last error:
 * FALCO_ENOTFOUND (no such entry), FALCO_ETYPE (the key or value type is not
 * the table's or field's), FALCO_EMISUSE (not allowed in this phase, a field
 * of another table, outside a host call), FALCO_ERROR (the host refused;
 * its own message appended). Call from the thread of the host call only.
 * ------------------------------------------------------------------------- */

/* The table's name and key type (owned by the SDK or host; valid as t). */
const char *falco_table_name(const falco_table *t);
falco_table_type falco_table_key_type(const falco_table *t);

/* Internal, not API (members may change with any SDK version; plugins are
 * compiled with their SDK): what the inline fast paths of get_entry,
 * release and the scalar reads below look at, so that a read costs a few
 * compares and the host's call (docs/guide.md, "Writing fast plugins").
 * Everything they do not accept (and every refusal, with its message) goes
 * to the falco__table_* functions, which check it all. */
typedef struct falco__table_call { /* a plugin state's grant of the current host call */
    const falco_abi_table_reader_vtable_ext *reader; /* NULL outside host calls */
    const falco_abi_table_writer_vtable_ext *writer;
    int phase;                                       /* the SDK's FALCO__TPHASE_* */
    /* Entries got minus entries released: one add or subtract on the fast
     * paths; below 0 when the plugin released more than it got (reported
     * at destroy, as a leak is). */
    int64_t held;
    /* The last reader found whole (never NULL): reader == valid_reader is
     * "inside a host call whose reader was checked". */
    const falco_abi_table_reader_vtable_ext *valid_reader;
    const falco_abi_table_writer_vtable_ext *valid_writer;
} falco__table_call;
/* An exported table's entry, as the owner's inline lookup walks it: the
 * bucket chain, the key's hash (integer keys: the key's bits times
 * FALCO__TABLE_HASH_MUL, a bijection), and FALCO__TABLE_NODE_SIZE bytes
 * from its start the author's entry struct. */
typedef struct falco__table_node {
    struct falco__table_node *next;
    uint64_t hash;
} falco__table_node;
#define FALCO__TABLE_NODE_SIZE 64
#define FALCO__TABLE_HASH_MUL 0x9e3779b97f4a7c15ull
struct falco_table {
    int kind;                  /* the SDK's FALCO__TK_* */
    const char *name;          /* for messages */
    falco_table_type key_type; /* 0: not known (a nested table declared without it) */
    falco_abi_table_t *abi;    /* the host's handle (imported, nested) */
    const void *def;           /* identity its fields carry: the declaration entry */
    falco__table_call *call;   /* the owner's grant (imported, nested); exported: falco__table_no_grant */
    const falco_plugin *owner; /* the plugin state it was imported for */
    /* The buckets of an exported table, a power of two of them; a hash's
     * bucket is its top bits (hash >> shift). Other handles have
     * falco__table_no_buckets (two empty chains, shift 63): a lookup there
     * finds nothing without a test of its own. */
    falco__table_node **buckets;
    unsigned shift;
};
extern falco__table_node *falco__table_no_buckets[2];
struct falco_table_field {
    const falco_table_field_import *decl;
    const void *table_def; /* the def of the table it belongs to */
    const char *table_name;
    falco_abi_table_field_t *abi;
    int type; /* decl->type */
};
/* The grant of tables that are never read through the host (exported
 * ones): its reader is never its valid_reader. */
extern falco__table_call falco__table_no_grant;
/* Whether p may read t now without a check of its own: t is imported for
 * p, and p is in a host call whose reader was found whole. */
static inline falco__table_call *falco__table_readable(const falco_plugin *p, const falco_table *t) {
    if (__builtin_expect(t == 0, 0))
        return (falco__table_call *)0;
    falco__table_call *c = t->call;
    if (__builtin_expect(t->owner == p && c->reader == c->valid_reader, 1))
        return c;
    return (falco__table_call *)0;
}
/* The checked, out-of-line halves of the inline functions below (thread
 * and ownership rules as theirs). get_entry_slow does it all and returns
 * the code and the entry (NULL unless FALCO_OK); no_entry records "no
 * entry", takes back the count the inline get_entry made before asking the
 * host, and returns FALCO_ENOTFOUND; release_slow does it all; read_slow
 * returns the code and, when FALCO_OK, the value, after every check;
 * read_failed records the host's failure. The results come back in
 * registers (two words), so that the caller's out variables never have
 * their address taken and stay in registers. */
typedef struct falco__table_got {
    falco_rc rc;
    falco_table_entry *e;
} falco__table_got;
typedef struct falco__table_value {
    falco_rc rc;
    falco_abi_state_data v;
} falco__table_value;
falco__table_got falco__table_get_entry_slow(falco_plugin *p, falco_table *t, falco_table_key key);
falco_rc falco__table_no_entry(falco_plugin *p, const falco_table *t);
void falco__table_release_slow(falco_plugin *p, falco_table *t, falco_table_entry *e);
falco__table_value falco__table_read_slow(falco_plugin *p, falco_table *t, falco_table_entry *e,
                                          const falco_table_field *f, falco_table_type type);
falco_rc falco__table_read_failed(falco_plugin *p, const falco_table *t, const falco_table_field *f);

/* Looks up key; on FALCO_OK *out is an entry the caller must release with
 * falco_table_release before the call returns (else *out is NULL).
 * Inline: the checked call of a key of the table's type costs a few
 * compares beside the host's get_table_entry. */
static inline falco_rc falco_table_get_entry(falco_plugin *p, falco_table *t, falco_table_key key,
                                             falco_table_entry **out) {
    falco__table_call *c = falco__table_readable(p, t);
    if (__builtin_expect(c == 0 || key.type != t->key_type || (key.type == FALCO_TABLE_STRING && !key.v.str), 0)) {
        falco__table_got g = falco__table_get_entry_slow(p, t, key);
        *out = g.e;
        return g.rc;
    }
    falco_abi_state_data k = key.v; /* the value alone goes to memory, for the host's pointer */
    c->held++; /* before the call, so that c is not kept across it; no_entry takes it back */
    falco_table_entry *e = c->reader->get_table_entry(t->abi, &k);
    *out = e;
    if (__builtin_expect(e == 0, 0))
        return falco__table_no_entry(p, t);
    return FALCO_OK;
}
/* Releases an entry got from falco_table_get_entry/falco_table_add_entry
 * (NULL: nothing). Inline, like falco_table_get_entry. */
static inline void falco_table_release(falco_plugin *p, falco_table *t, falco_table_entry *e) {
    falco__table_call *c = falco__table_readable(p, t);
    if (__builtin_expect(c == 0 || e == 0, 0)) {
        falco__table_release_slow(p, t, e);
        return;
    }
    c->held--; /* before the call, so that c is not kept across it */
    c->reader->release_table_entry(t->abi, e);
}
/* Entries of this plugin state not released yet (all its tables); 0 also
 * when it released more than it got (destroy reports that). */
uint64_t falco_table_entries_held(const falco_plugin *p);

/* Reads field f of entry e (the scalar reads set *out to 0 when they
 * fail). Strings stay owned by the table: valid until the entry is
 * released or written. A TABLE field yields the nested table of that entry
 * (its fields are the nested imports' handles), valid until the end of the
 * call. */
#define FALCO__TABLE_SCALARS(X)                      \
    X(i8, int8_t, FALCO_TABLE_I8, s8)                \
    X(i16, int16_t, FALCO_TABLE_I16, s16)            \
    X(i32, int32_t, FALCO_TABLE_I32, s32)            \
    X(i64, int64_t, FALCO_TABLE_I64, s64)            \
    X(u8, uint8_t, FALCO_TABLE_U8, u8)               \
    X(u16, uint16_t, FALCO_TABLE_U16, u16)           \
    X(u32, uint32_t, FALCO_TABLE_U32, u32)           \
    X(u64, uint64_t, FALCO_TABLE_U64, u64)
/* The scalar reads are inline, like falco_table_get_entry: a field of the
 * type read, of table t, costs a few compares beside the host's read. */
#define FALCO__TABLE_RW_DECL(sfx, ctype, ttype, member)                                                         \
    static inline falco_rc falco_table_read_##sfx(falco_plugin *p, falco_table *t, falco_table_entry *e,      \
                                                  const falco_table_field *f, ctype *out) {                   \
        falco__table_call *c = falco__table_readable(p, t);                                                   \
        if (__builtin_expect(c == 0 || f == 0 || e == 0 || f->type != (int)(ttype) || f->table_def != t->def, \
                             0)) {                                                                            \
            falco__table_value r = falco__table_read_slow(p, t, e, f, ttype);                                 \
            *out = r.v.member; /* 0 unless FALCO_OK */                                                        \
            return r.rc;                                                                                      \
        }                                                                                                     \
        falco_abi_state_data v;                                                                               \
        if (__builtin_expect(c->reader->read_entry_field(t->abi, e, f->abi, &v) != FALCO_ABI_RC_SUCCESS, 0)) { \
            *out = 0;                                                                                         \
            return falco__table_read_failed(p, t, f);                                                         \
        }                                                                                                     \
        *out = v.member;                                                                                      \
        return FALCO_OK;                                                                                      \
    }                                                                                                         \
    falco_rc falco_table_write_##sfx(falco_plugin *p, falco_table *t, falco_table_entry *e,                   \
                                     const falco_table_field *f, ctype v);
FALCO__TABLE_SCALARS(FALCO__TABLE_RW_DECL)
falco_rc falco_table_read_bool(falco_plugin *p, falco_table *t, falco_table_entry *e, const falco_table_field *f,
                               bool *out);
falco_rc falco_table_write_bool(falco_plugin *p, falco_table *t, falco_table_entry *e, const falco_table_field *f,
                                bool v);
falco_rc falco_table_read_str(falco_plugin *p, falco_table *t, falco_table_entry *e, const falco_table_field *f,
                              const char **out);
/* The host copies v. */
falco_rc falco_table_write_str(falco_plugin *p, falco_table *t, falco_table_entry *e, const falco_table_field *f,
                               const char *v);
falco_rc falco_table_read_table(falco_plugin *p, falco_table *t, falco_table_entry *e, const falco_table_field *f,
                                falco_table **out);

/* Number of entries: FALCO_OK and *n, or FALCO_ERROR with the host's owner
 * error when the host fails (it answers UINT64_MAX). */
falco_rc falco_table_size(falco_plugin *p, falco_table *t, uint64_t *n);

/* Calls fn(e, userdata) for each entry until fn returns false. Entries are
 * valid during fn only (not counted, not to be released). *complete (may be
 * NULL) is false when fn stopped the iteration. */
typedef bool (*falco_table_iter_fn)(falco_table_entry *e, void *userdata);
falco_rc falco_table_iterate(falco_plugin *p, falco_table *t, falco_table_iter_fn fn, void *userdata,
                             bool *complete);

/* Writers (not while extracting). create_entry makes a detached entry to
 * fill, then add_entry inserts it under key (replacing an entry of that
 * key) and returns the inserted one in *out (release it), or
 * destroy_entry drops it. */
falco_rc falco_table_create_entry(falco_plugin *p, falco_table *t, falco_table_entry **out);
void falco_table_destroy_entry(falco_plugin *p, falco_table *t, falco_table_entry *e);
falco_rc falco_table_add_entry(falco_plugin *p, falco_table *t, falco_table_key key, falco_table_entry *e,
                               falco_table_entry **out);
falco_rc falco_table_erase(falco_plugin *p, falco_table *t, falco_table_key key);
falco_rc falco_table_clear(falco_plugin *p, falco_table *t);

/* The host's table reader of the current extract call (owned by the host,
 * valid during the call), or NULL: kept only for plugins that import
 * tables (those extract off the fast path). */
const falco_abi_table_reader_vtable_ext *falco_extract_table_reader(const falco_extract *x);

/* ---------------------------------------------------------------------------
 * The owner's side of an exported table (any thread for a .thread_safe
 * table between falco_table_wrlock/rdlock and falco_table_unlock; else the
 * host call's thread)
 * ------------------------------------------------------------------------- */

/* The exported table named name of p, or NULL. Valid until destroy. */
falco_table *falco_table_find(falco_plugin *p, const char *name);

/* The author's entry struct under key, or NULL (no entry, a key of
 * another type, or t not an exported table). Valid until the entry is
 * removed. Inline for 64-bit integer keys: a few compares and the walk of
 * one bucket's chain. */
void *falco__table_lookup_slow(falco_table *t, falco_table_key key);
static inline void *falco_table_lookup(falco_table *t, falco_table_key key) {
    if (__builtin_expect(t == 0 || key.type != t->key_type ||
                             (key.type != FALCO_TABLE_I64 && key.type != FALCO_TABLE_U64),
                         0))
        return falco__table_lookup_slow(t, key);
    uint64_t h = key.v.u64 * FALCO__TABLE_HASH_MUL;
    for (falco__table_node *n = t->buckets[h >> t->shift]; n; n = n->next)
        if (n->hash == h)
            return (char *)n + FALCO__TABLE_NODE_SIZE;
    return 0;
}
/* The entry under key, created zeroed when missing; NULL when out of
 * memory or key has another type. */
void *falco_table_emplace(falco_table *t, falco_table_key key);
/* Removes the entry under key (freed once the host released it and every
 * entry of its nested tables). Returns
 * FALCO_OK, FALCO_ENOTFOUND, FALCO_ETYPE. */
falco_rc falco_table_remove(falco_table *t, falco_table_key key);
/* Number of entries. */
uint64_t falco_table_count(falco_table *t);
/* Replaces a STRING member of an entry with a copy of s (NULL clears it).
 * FALCO_OK or FALCO_ENOMEM. */
falco_rc falco_table_set_str(char **member, const char *s);
/* Entry handles the host holds (got and not released, created and not
 * added or destroyed). */
uint64_t falco_table_host_held(falco_table *t);
/* For .thread_safe tables (no-ops otherwise). */
void falco_table_rdlock(falco_table *t);
void falco_table_wrlock(falco_table *t);
void falco_table_unlock(falco_table *t);

/* The ABI table input the SDK registered for t (the vtables libsinsp sees;
 * for tests and raw-ABI callers). Owned by t. */
const falco_abi_table_input *falco_table_abi_input(falco_table *t);

#ifdef __cplusplus
}
#endif
#endif /* FALCO_TABLE_H */
