/*
 * table_mem.c - the host's generic in-memory state table: a schema of typed
 * static fields plus dynamic fields added at run time, entries in a hash map
 * kept in insertion order, nested tables as fields, and entries handed out to
 * plugins counted until released.
 *
 * Entries erased or cleared while a plugin still holds them stay alive,
 * detached, until released (libsinsp keeps them alive through shared
 * pointers); so do entries whose nested tables hold such entries, so that
 * removing a thread cannot free an fd entry a plugin holds. Values of entries created before a dynamic field existed read
 * as the type's zero value until written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_internal.h"
#include "table_mem.h"

#define FIELD_MAGIC 0x66446c44u
#define ENTRY_MAGIC 0x456e5472u
#define TABLE_MAGIC 0x54614d6du

typedef union slot {
    uint64_t u;
    int64_t i;
    char *s;
    falco__host_table *t;
} slot;

struct falco__host_field {
    uint32_t magic;
    const falco__host_schema *schema;
    char *name;
    falco_abi_state_type type;
    bool read_only, dynamic;
    size_t index;
    falco__host_schema *sub; /* TABLE fields: the nested tables' schema (owned) */
    falco__host_alias_fn alias; /* TABLE fields: another entry's table to read instead */
    void *alias_ud;
};

struct falco__host_schema {
    char *name;
    falco_abi_state_type key_type;
    falco__host_field **fields;
    size_t nfields;
    falco_abi_table_fieldinfo *infos; /* list_table_fields' answer, rebuilt when fields change */
    size_t ninfos;
};

struct falco__host_entry {
    uint32_t magic;
    falco__host_table *table;
    bool in_table;
    uint32_t refs; /* handles held by plugins */
    uint32_t pins; /* its nested tables with held entries */
    slot key;
    slot *vals;
    size_t nvals;
    falco__host_entry *hnext;      /* bucket chain */
    falco__host_entry *prev, *next; /* insertion order */
    bool in_limbo;
    falco__host_entry *lprev, *lnext; /* out of the table, still held or never added */
};

struct falco__host_table {
    uint32_t magic;
    falco__host_schema *schema;
    uint64_t *held;
    falco__host_entry **buckets;
    size_t nbuckets, count;
    falco__host_entry *head, *tail;
    falco__host_entry *limbo; /* entries not in the table, alive until released */
    unsigned iterating;
    void *refs; /* per-plugin references, owned by tables.c */
    falco__host_entry *parent; /* a nested table's entry, which it dies with */
    uint64_t holds; /* handles on its entries plus their pins: while not 0, parent is pinned */
};

/* ---- types ---- */

const char *falco__host_state_type_name(falco_abi_state_type t)
{
    switch (t) {
    case FALCO_ABI_ST_INT8: return "int8";
    case FALCO_ABI_ST_INT16: return "int16";
    case FALCO_ABI_ST_INT32: return "int32";
    case FALCO_ABI_ST_INT64: return "int64";
    case FALCO_ABI_ST_UINT8: return "uint8";
    case FALCO_ABI_ST_UINT16: return "uint16";
    case FALCO_ABI_ST_UINT32: return "uint32";
    case FALCO_ABI_ST_UINT64: return "uint64";
    case FALCO_ABI_ST_STRING: return "string";
    case FALCO_ABI_ST_TABLE: return "table";
    case FALCO_ABI_ST_BOOL: return "bool";
    }
    return "unknown";
}

bool falco__host_state_type_valid(falco_abi_state_type t)
{
    return strcmp(falco__host_state_type_name(t), "unknown") != 0;
}

/* Integers live in a slot as 64 bits, sign- or zero-extended by type, so
 * keys compare by value whatever member the plugin filled. */
static uint64_t int_in(falco_abi_state_type t, const falco_abi_state_data *d)
{
    switch (t) {
    case FALCO_ABI_ST_INT8: return (uint64_t)(int64_t)d->s8;
    case FALCO_ABI_ST_INT16: return (uint64_t)(int64_t)d->s16;
    case FALCO_ABI_ST_INT32: return (uint64_t)(int64_t)d->s32;
    case FALCO_ABI_ST_INT64: return (uint64_t)d->s64;
    case FALCO_ABI_ST_UINT8: return d->u8;
    case FALCO_ABI_ST_UINT16: return d->u16;
    case FALCO_ABI_ST_UINT32: return d->u32;
    case FALCO_ABI_ST_UINT64: return d->u64;
    case FALCO_ABI_ST_BOOL: return d->b != 0;
    default: return 0;
    }
}

static void int_out(falco_abi_state_type t, uint64_t v, falco_abi_state_data *d)
{
    memset(d, 0, sizeof *d);
    switch (t) {
    case FALCO_ABI_ST_INT8: d->s8 = (int8_t)v; break;
    case FALCO_ABI_ST_INT16: d->s16 = (int16_t)v; break;
    case FALCO_ABI_ST_INT32: d->s32 = (int32_t)v; break;
    case FALCO_ABI_ST_INT64: d->s64 = (int64_t)v; break;
    case FALCO_ABI_ST_UINT8: d->u8 = (uint8_t)v; break;
    case FALCO_ABI_ST_UINT16: d->u16 = (uint16_t)v; break;
    case FALCO_ABI_ST_UINT32: d->u32 = (uint32_t)v; break;
    case FALCO_ABI_ST_BOOL: d->b = v != 0; break;
    default: d->u64 = v; break;
    }
}

/* ---- schemas ---- */

falco__host_schema *falco__host_schema_new(const char *name, falco_abi_state_type key_type)
{
    falco__host_schema *s = calloc(1, sizeof *s);
    if (!s || !(s->name = falco__host_strdup(name))) {
        free(s);
        return NULL;
    }
    s->key_type = key_type;
    return s;
}

falco__host_field *falco__host_schema_add(falco__host_schema *s, const char *name, falco_abi_state_type type,
                                          bool read_only, bool dynamic, falco__host_schema *sub)
{
    falco__host_field *f = calloc(1, sizeof *f);
    falco__host_field **list = realloc(s->fields, (s->nfields + 1) * sizeof *list);
    if (list)
        s->fields = list;
    if (!f || !list || !(f->name = falco__host_strdup(name))) {
        free(f);
        falco__host_schema_free(sub);
        return NULL;
    }
    f->magic = FIELD_MAGIC;
    f->schema = s;
    f->type = type;
    f->read_only = read_only;
    f->dynamic = dynamic;
    f->index = s->nfields;
    f->sub = sub;
    s->fields[s->nfields++] = f;
    return f;
}

void falco__host_schema_free(falco__host_schema *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nfields; i++) {
        falco__host_schema_free(s->fields[i]->sub);
        free(s->fields[i]->name);
        free(s->fields[i]);
    }
    free(s->fields);
    free(s->infos);
    free(s->name);
    free(s);
}

void falco__host_field_set_alias(falco__host_field *f, falco__host_alias_fn fn, void *userdata)
{
    f->alias = fn;
    f->alias_ud = userdata;
}

const char *falco__host_schema_name(const falco__host_schema *s)
{
    return s->name;
}

falco_abi_state_type falco__host_schema_key_type(const falco__host_schema *s)
{
    return s->key_type;
}

falco__host_field *falco__host_schema_field(const falco__host_schema *s, const char *name)
{
    for (size_t i = 0; i < s->nfields; i++)
        if (strcmp(s->fields[i]->name, name) == 0)
            return s->fields[i];
    return NULL;
}

/* ---- tables and entries ---- */

falco__host_table *falco__host_mem_new(falco__host_schema *s, uint64_t *held)
{
    falco__host_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->magic = TABLE_MAGIC;
    t->schema = s;
    t->held = held;
    return t;
}

static void entry_free(falco__host_entry *e);

static void limbo_add(falco__host_table *t, falco__host_entry *e)
{
    e->in_limbo = true;
    e->lprev = NULL;
    e->lnext = t->limbo;
    if (t->limbo)
        t->limbo->lprev = e;
    t->limbo = e;
}

static void limbo_del(falco__host_table *t, falco__host_entry *e)
{
    if (!e->in_limbo)
        return;
    if (e->lprev)
        e->lprev->lnext = e->lnext;
    else
        t->limbo = e->lnext;
    if (e->lnext)
        e->lnext->lprev = e->lprev;
    e->lprev = e->lnext = NULL;
    e->in_limbo = false;
}

/* An entry out of the table: freed, or kept in limbo while a plugin holds it
 * or an entry of its nested tables. */
static void detached(falco__host_table *t, falco__host_entry *e)
{
    if (e->refs == 0 && e->pins == 0)
        entry_free(e);
    else
        limbo_add(t, e);
}

/* A handle (or a pin) taken on an entry of t: the first pins t's parent
 * entry, recursively up to the top-level table. */
static void table_hold(falco__host_table *t)
{
    while (t->holds++ == 0 && t->parent) {
        falco__host_entry *pe = t->parent;
        pe->pins++;
        t = pe->table;
    }
}

/* The reverse: the last one unpins the parent entry, freed when it left its
 * table meanwhile (its nested tables, t among them, with it). */
static void table_unhold(falco__host_table *t)
{
    while (--t->holds == 0 && t->parent) {
        falco__host_entry *pe = t->parent;
        falco__host_table *up = pe->table;
        if (--pe->pins == 0 && pe->refs == 0 && !pe->in_table)
            entry_free(pe); /* frees t */
        t = up; /* pe's pin counted in its table's holds */
    }
}

static void mem_clear(falco__host_table *t)
{
    falco__host_entry *e = t->head;
    while (e) {
        falco__host_entry *n = e->next;
        e->in_table = false;
        e->prev = e->next = e->hnext = NULL;
        detached(t, e);
        e = n;
    }
    t->head = t->tail = NULL;
    t->count = 0;
    if (t->buckets)
        memset(t->buckets, 0, t->nbuckets * sizeof *t->buckets);
}

void falco__host_mem_free(falco__host_table *t)
{
    if (!t)
        return;
    /* entries still held die with the table: the registry is going away */
    for (falco__host_entry *e = t->head; e; e = e->next)
        e->refs = 0;
    mem_clear(t);
    while (t->limbo)
        entry_free(t->limbo);
    falco__host_tref_free_all(t->refs);
    free(t->buckets);
    t->magic = 0;
    free(t);
}

static bool key_is_str(const falco__host_table *t)
{
    return t->schema->key_type == FALCO_ABI_ST_STRING;
}

static uint64_t key_hash(const falco__host_table *t, const slot *k)
{
    uint64_t h = 1469598103934665603ULL;
    if (key_is_str(t)) {
        for (const unsigned char *c = (const unsigned char *)k->s; *c; c++)
            h = (h ^ *c) * 1099511628211ULL;
        return h;
    }
    h = k->u * 0x9E3779B97F4A7C15ULL;
    return h ^ (h >> 29);
}

static bool key_eq(const falco__host_table *t, const slot *a, const slot *b)
{
    return key_is_str(t) ? strcmp(a->s, b->s) == 0 : a->u == b->u;
}

static falco_rc key_from(const falco__host_table *t, const falco_abi_state_data *k, slot *out, char *err)
{
    if (key_is_str(t)) {
        if (!k->str) {
            snprintf(err, FALCO__HOST_ERRLEN, "table '%s': NULL string key", t->schema->name);
            return FALCO_EINVAL;
        }
        out->s = (char *)k->str; /* borrowed for lookups; copied when stored */
        return FALCO_OK;
    }
    out->u = int_in(t->schema->key_type, k);
    return FALCO_OK;
}

static falco__host_entry *find(const falco__host_table *t, const slot *k)
{
    if (!t->nbuckets)
        return NULL;
    for (falco__host_entry *e = t->buckets[key_hash(t, k) % t->nbuckets]; e; e = e->hnext)
        if (key_eq(t, &e->key, k))
            return e;
    return NULL;
}

static bool grow(falco__host_table *t)
{
    if (t->count < t->nbuckets)
        return true;
    size_t n = t->nbuckets ? t->nbuckets * 2 : 16;
    falco__host_entry **b = calloc(n, sizeof *b);
    if (!b)
        return false;
    for (falco__host_entry *e = t->head; e; e = e->next) {
        size_t i = key_hash(t, &e->key) % n;
        e->hnext = b[i];
        b[i] = e;
    }
    free(t->buckets);
    t->buckets = b;
    t->nbuckets = n;
    return true;
}

static void unlink_entry(falco__host_table *t, falco__host_entry *e)
{
    falco__host_entry **at = &t->buckets[key_hash(t, &e->key) % t->nbuckets];
    while (*at != e)
        at = &(*at)->hnext;
    *at = e->hnext;
    if (e->prev)
        e->prev->next = e->next;
    else
        t->head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        t->tail = e->prev;
    e->prev = e->next = e->hnext = NULL;
    e->in_table = false;
    t->count--;
}

static void entry_free(falco__host_entry *e)
{
    limbo_del(e->table, e);
    const falco__host_schema *s = e->table->schema;
    for (size_t i = 0; i < e->nvals && i < s->nfields; i++) {
        if (s->fields[i]->type == FALCO_ABI_ST_STRING)
            free(e->vals[i].s);
        else if (s->fields[i]->type == FALCO_ABI_ST_TABLE)
            falco__host_mem_free(e->vals[i].t);
    }
    if (key_is_str(e->table))
        free(e->key.s);
    free(e->vals);
    e->magic = 0;
    free(e);
}

/* Makes room for every field of the schema (dynamic ones may have come
 * after e was created); nested tables are made here too. */
static bool entry_fit(falco__host_entry *e)
{
    const falco__host_schema *s = e->table->schema;
    if (e->nvals >= s->nfields)
        return true;
    slot *v = realloc(e->vals, s->nfields * sizeof *v);
    if (!v)
        return false;
    e->vals = v;
    for (size_t i = e->nvals; i < s->nfields; i++) {
        memset(&v[i], 0, sizeof v[i]);
        if (s->fields[i]->type == FALCO_ABI_ST_TABLE) {
            if (!(v[i].t = falco__host_mem_new(s->fields[i]->sub, e->table->held))) {
                e->nvals = i;
                return false;
            }
            v[i].t->parent = e;
        }
    }
    e->nvals = s->nfields;
    return true;
}

static falco__host_entry *entry_new(falco__host_table *t)
{
    falco__host_entry *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->magic = ENTRY_MAGIC;
    e->table = t;
    if (key_is_str(t) && !(e->key.s = falco__host_strdup(""))) {
        free(e);
        return NULL;
    }
    if (!entry_fit(e)) {
        entry_free(e);
        return NULL;
    }
    limbo_add(t, e);
    return e;
}

/* Inserts detached e under key k, replacing (detaching) an entry already there. */
static falco_rc insert(falco__host_table *t, falco__host_entry *e, const slot *k)
{
    if (!grow(t))
        return FALCO_ENOMEM;
    if (key_is_str(t)) {
        char *c = falco__host_strdup(k->s);
        if (!c)
            return FALCO_ENOMEM;
        free(e->key.s);
        e->key.s = c;
    } else {
        e->key = *k;
    }
    falco__host_entry *old = find(t, k);
    if (old) {
        unlink_entry(t, old);
        detached(t, old);
    }
    limbo_del(t, e);
    size_t i = key_hash(t, &e->key) % t->nbuckets;
    e->hnext = t->buckets[i];
    t->buckets[i] = e;
    e->prev = t->tail;
    e->next = NULL;
    if (t->tail)
        t->tail->next = e;
    else
        t->head = e;
    t->tail = e;
    e->in_table = true;
    t->count++;
    return FALCO_OK;
}

uint64_t falco__host_mem_size(const falco__host_table *t)
{
    return t->count;
}

falco__host_entry *falco__host_mem_upsert(falco__host_table *t, const falco_abi_state_data *key)
{
    slot k;
    char err[FALCO__HOST_ERRLEN];
    if (key_from(t, key, &k, err) != FALCO_OK)
        return NULL;
    falco__host_entry *e = find(t, &k);
    if (e)
        return e;
    if (!(e = entry_new(t)))
        return NULL;
    if (insert(t, e, &k) != FALCO_OK) {
        entry_free(e);
        return NULL;
    }
    return e;
}

static falco_rc set_value(falco__host_entry *e, const falco__host_field *f, const falco_abi_state_data *v)
{
    if (!entry_fit(e))
        return FALCO_ENOMEM;
    slot *s = &e->vals[f->index];
    if (f->type == FALCO_ABI_ST_STRING) {
        char *c = falco__host_strdup(v->str ? v->str : "");
        if (!c)
            return FALCO_ENOMEM;
        free(s->s);
        s->s = c;
    } else {
        s->u = int_in(f->type, v);
    }
    return FALCO_OK;
}

falco_rc falco__host_mem_set(falco__host_entry *e, const falco__host_field *f, const falco_abi_state_data *v)
{
    return set_value(e, f, v);
}

falco__host_entry *falco__host_mem_find(falco__host_table *t, const falco_abi_state_data *key)
{
    slot k;
    char err[FALCO__HOST_ERRLEN];
    return key_from(t, key, &k, err) == FALCO_OK ? find(t, &k) : NULL;
}

uint64_t falco__host_mem_int(falco__host_entry *e, const falco__host_field *f)
{
    return f->index < e->nvals && f->type != FALCO_ABI_ST_STRING && f->type != FALCO_ABI_ST_TABLE
               ? e->vals[f->index].u
               : 0;
}

falco__host_table *falco__host_mem_sub(falco__host_entry *e, const falco__host_field *f)
{
    if (f->type != FALCO_ABI_ST_TABLE || !entry_fit(e))
        return NULL;
    return e->vals[f->index].t;
}

/* ---- the ABI-level operations (tables.c checks phases and handles) ---- */

const falco__host_schema *falco__host_mem_schema(const falco__host_table *t)
{
    return t->schema;
}

void **falco__host_mem_refs(falco__host_table *t)
{
    return &t->refs;
}

const falco_abi_table_fieldinfo *falco__host_mem_list_fields(falco__host_table *t, uint32_t *n, char *err)
{
    falco__host_schema *s = t->schema;
    if (s->ninfos != s->nfields || !s->infos) {
        falco_abi_table_fieldinfo *in = realloc(s->infos, (s->nfields ? s->nfields : 1) * sizeof *in);
        if (!in) {
            snprintf(err, FALCO__HOST_ERRLEN, "table '%s': list_table_fields: out of memory", s->name);
            return NULL;
        }
        s->infos = in;
        for (size_t i = 0; i < s->nfields; i++) {
            in[i].name = s->fields[i]->name;
            in[i].field_type = s->fields[i]->type;
            in[i].read_only = s->fields[i]->read_only;
        }
        s->ninfos = s->nfields;
    }
    *n = (uint32_t)s->nfields;
    return s->infos;
}

falco__host_field *falco__host_mem_get_field(falco__host_table *t, const char *name, falco_abi_state_type type,
                                             char *err)
{
    if (!name) {
        snprintf(err, FALCO__HOST_ERRLEN, "table '%s': get_table_field: NULL field name", t->schema->name);
        return NULL;
    }
    falco__host_field *f = falco__host_schema_field(t->schema, name);
    if (!f) {
        snprintf(err, FALCO__HOST_ERRLEN, "table '%s': get_table_field: no field named '%s'", t->schema->name,
                 name);
        return NULL;
    }
    if (f->type != type) {
        snprintf(err, FALCO__HOST_ERRLEN,
                 "table '%s': get_table_field: field '%s' has type %s, requested %s", t->schema->name, name,
                 falco__host_state_type_name(f->type), falco__host_state_type_name(type));
        return NULL;
    }
    return f;
}

falco__host_field *falco__host_mem_add_field(falco__host_table *t, const char *name, falco_abi_state_type type,
                                             char *err)
{
    falco__host_schema *s = t->schema;
    if (!name || !name[0]) {
        snprintf(err, FALCO__HOST_ERRLEN, "table '%s': add_table_field: empty field name", s->name);
        return NULL;
    }
    if (!falco__host_state_type_valid(type)) {
        snprintf(err, FALCO__HOST_ERRLEN, "table '%s': add_table_field '%s': unknown type %d", s->name, name,
                 (int)type);
        return NULL;
    }
    falco__host_field *f = falco__host_schema_field(s, name);
    if (f && !f->dynamic) {
        snprintf(err, FALCO__HOST_ERRLEN,
                 "table '%s': add_table_field: can't add dynamic field '%s' already defined as static", s->name,
                 name);
        return NULL;
    }
    if (f && f->type != type) {
        snprintf(err, FALCO__HOST_ERRLEN,
                 "table '%s': add_table_field: dynamic field '%s' already has type %s, requested %s", s->name,
                 name, falco__host_state_type_name(f->type), falco__host_state_type_name(type));
        return NULL;
    }
    if (f)
        return f;
    if (type == FALCO_ABI_ST_TABLE) {
        snprintf(err, FALCO__HOST_ERRLEN,
                 "table '%s': add_table_field '%s': dynamic fields of type table are not supported", s->name, name);
        return NULL;
    }
    if (!(f = falco__host_schema_add(s, name, type, false, true, NULL)))
        snprintf(err, FALCO__HOST_ERRLEN, "table '%s': add_table_field '%s': out of memory", s->name, name);
    return f;
}

/* Checks a handle a plugin passed back: NULL when good, else why. */
const char *falco__host_mem_check_entry(const falco__host_table *t, const falco__host_entry *e)
{
    if (!e)
        return "NULL entry";
    if (e->magic != ENTRY_MAGIC)
        return "not an entry handle (released, destroyed, or never handed out)";
    if (e->table != t)
        return "the entry belongs to another table";
    return NULL;
}

const char *falco__host_mem_check_field(const falco__host_table *t, const falco__host_field *f)
{
    if (!f)
        return "NULL field";
    if (f->magic != FIELD_MAGIC)
        return "not a field handle";
    if (f->schema != t->schema)
        return "the field belongs to another table";
    return NULL;
}

const char *falco__host_field_name(const falco__host_field *f)
{
    return f->name;
}

falco__host_entry *falco__host_mem_get(falco__host_table *t, const falco_abi_state_data *key, char *err)
{
    slot k;
    if (!key) {
        snprintf(err, FALCO__HOST_ERRLEN, "table '%s': get_table_entry: NULL key", t->schema->name);
        return NULL;
    }
    if (key_from(t, key, &k, err) != FALCO_OK)
        return NULL;
    falco__host_entry *e = find(t, &k);
    if (!e) {
        if (key_is_str(t))
            snprintf(err, FALCO__HOST_ERRLEN, "table '%s': get_table_entry: no entry with key '%s'",
                     t->schema->name, k.s);
        else
            snprintf(err, FALCO__HOST_ERRLEN, "table '%s': get_table_entry: no entry with key %lld",
                     t->schema->name, (long long)k.i);
        return NULL;
    }
    e->refs++;
    (*t->held)++;
    table_hold(t);
    return e;
}

void falco__host_mem_release(falco__host_table *t, falco__host_entry *e)
{
    if (e->refs == 0)
        return; /* released more often than handed out: ignore */
    e->refs--;
    (*t->held)--;
    if (e->refs == 0 && e->pins == 0 && !e->in_table)
        entry_free(e); /* out of limbo */
    table_unhold(t); /* may free t */
}

falco_abi_rc falco__host_mem_read(falco__host_table *t, falco__host_entry *e, const falco__host_field *f,
                                  falco_abi_state_data *out, falco__host_table **sub, char *err)
{
    *sub = NULL;
    memset(out, 0, sizeof *out);
    if (f->index >= e->nvals && !entry_fit(e)) {
        snprintf(err, FALCO__HOST_ERRLEN, "table '%s': read_entry_field '%s': out of memory", t->schema->name,
                 f->name);
        return FALCO_ABI_RC_FAILURE;
    }
    const slot *s = &e->vals[f->index];
    if (f->type == FALCO_ABI_ST_STRING)
        out->str = s->s ? s->s : "";
    else if (f->type == FALCO_ABI_ST_TABLE)
    {
        *sub = f->alias ? f->alias(e, f, f->alias_ud) : NULL;
        if (!*sub)
            *sub = s->t;
    }
    else
        int_out(f->type, s->u, out);
    return FALCO_ABI_RC_SUCCESS;
}

falco_abi_rc falco__host_mem_write(falco__host_table *t, falco__host_entry *e, const falco__host_field *f,
                                   const falco_abi_state_data *in, char *err)
{
    if (!in) {
        snprintf(err, FALCO__HOST_ERRLEN, "table '%s': write_entry_field '%s': NULL value", t->schema->name,
                 f->name);
        return FALCO_ABI_RC_FAILURE;
    }
    if (f->read_only || f->type == FALCO_ABI_ST_TABLE) {
        snprintf(err, FALCO__HOST_ERRLEN, "table '%s': write_entry_field: field '%s' is read-only",
                 t->schema->name, f->name);
        return FALCO_ABI_RC_FAILURE;
    }
    if (set_value(e, f, in) != FALCO_OK) {
        snprintf(err, FALCO__HOST_ERRLEN, "table '%s': write_entry_field '%s': out of memory", t->schema->name,
                 f->name);
        return FALCO_ABI_RC_FAILURE;
    }
    return FALCO_ABI_RC_SUCCESS;
}

bool falco__host_mem_iterate(falco__host_table *t, falco_abi_table_iterator_func_t fn,
                             falco_abi_table_iterator_state_t *st)
{
    bool all = true;
    t->iterating++;
    for (falco__host_entry *e = t->head; e; e = e->next) {
        if (!fn(st, e)) {
            all = false;
            break;
        }
    }
    t->iterating--;
    return all;
}

/* Refuses changes to the entry set while an iteration walks it. */
static bool busy(const falco__host_table *t, const char *call, char *err)
{
    if (!t->iterating)
        return false;
    snprintf(err, FALCO__HOST_ERRLEN, "table '%s': %s: not allowed while the table is being iterated",
             t->schema->name, call);
    return true;
}

falco_abi_rc falco__host_mem_clear(falco__host_table *t, char *err)
{
    if (busy(t, "clear_table", err))
        return FALCO_ABI_RC_FAILURE;
    mem_clear(t);
    return FALCO_ABI_RC_SUCCESS;
}

falco_abi_rc falco__host_mem_erase(falco__host_table *t, const falco_abi_state_data *key, char *err)
{
    slot k;
    if (busy(t, "erase_table_entry", err))
        return FALCO_ABI_RC_FAILURE;
    if (!key) {
        snprintf(err, FALCO__HOST_ERRLEN, "table '%s': erase_table_entry: NULL key", t->schema->name);
        return FALCO_ABI_RC_FAILURE;
    }
    if (key_from(t, key, &k, err) != FALCO_OK)
        return FALCO_ABI_RC_FAILURE;
    falco__host_entry *e = find(t, &k);
    if (!e) {
        snprintf(err, FALCO__HOST_ERRLEN, "table '%s': erase_table_entry: table entry not found", t->schema->name);
        return FALCO_ABI_RC_FAILURE;
    }
    unlink_entry(t, e);
    detached(t, e);
    return FALCO_ABI_RC_SUCCESS;
}

falco__host_entry *falco__host_mem_create(falco__host_table *t, char *err)
{
    falco__host_entry *e = entry_new(t);
    if (!e) {
        snprintf(err, FALCO__HOST_ERRLEN, "table '%s': create_table_entry: out of memory", t->schema->name);
        return NULL;
    }
    e->refs = 1;
    (*t->held)++;
    table_hold(t);
    return e;
}

falco_abi_rc falco__host_mem_destroy(falco__host_table *t, falco__host_entry *e, char *err)
{
    if (e->in_table) {
        snprintf(err, FALCO__HOST_ERRLEN,
                 "table '%s': destroy_table_entry: the entry was added to the table (release it instead)",
                 t->schema->name);
        return FALCO_ABI_RC_FAILURE;
    }
    falco__host_mem_release(t, e);
    return FALCO_ABI_RC_SUCCESS;
}

falco__host_entry *falco__host_mem_add(falco__host_table *t, const falco_abi_state_data *key, falco__host_entry *e,
                                       char *err)
{
    slot k;
    if (busy(t, "add_table_entry", err))
        return NULL;
    if (!key) {
        snprintf(err, FALCO__HOST_ERRLEN, "table '%s': add_table_entry: NULL key", t->schema->name);
        return NULL;
    }
    if (e->in_table) {
        snprintf(err, FALCO__HOST_ERRLEN, "table '%s': add_table_entry: the entry is already in the table",
                 t->schema->name);
        return NULL;
    }
    if (key_from(t, key, &k, err) != FALCO_OK)
        return NULL;
    if (insert(t, e, &k) != FALCO_OK) {
        snprintf(err, FALCO__HOST_ERRLEN, "table '%s': add_table_entry: out of memory", t->schema->name);
        return NULL;
    }
    return e; /* the handle from create_table_entry carries over: release it once */
}
