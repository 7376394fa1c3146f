/* State tables, exporting side: a table whose entries are the author's own
 * struct, served to the host through the reader, writer and fields vtables
 * libsinsp checks (deprecated copies equal to the _ext ones), with entry
 * handles counted until released, dynamic fields stored per entry, and an
 * optional rwlock for owners that update from their own threads. */
#define _POSIX_C_SOURCE 200809L /* pthread_rwlock_t */
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table_internal.h"

typedef struct xdef xdef;

typedef struct xfield {
    xdef *def; /* the table layout it belongs to: fields from elsewhere are refused */
    const char *name;
    falco_table_type type;
    bool read_only;
    bool dyn;
    size_t at;   /* static: offset in the entry struct; dynamic: index */
    xdef *sub;   /* TABLE: the nested tables' layout */
} xfield;

/* A table layout: an exported table's, or a nested column's, shared by all
 * the nested tables of that column (fields, dynamic ones included, are
 * per layout, as libsinsp's are per table type). */
struct xdef {
    const char *name;
    falco_table_type key_type;
    size_t entry_size;
    falco_table_column_list columns;
    xfield *cols; /* visible columns */
    size_t ncols;
    xfield **dyn;
    size_t ndyn, capdyn;
    falco_abi_table_fieldinfo *info;
    xdef **subs; /* per declared column: the nested layout, or NULL */
};

typedef struct xentry {
    falco__table_node node; /* first: the bucket chain and the hash (falco/table.h's inline lookup) */
    falco__xtable *x;
    falco_abi_state_data key; /* str: owned copy */
    uint32_t refs;  /* host handles (atomic) */
    uint32_t pins;  /* its nested tables with entries the host holds (atomic) */
    bool in_table;
    falco_abi_state_data *dynv; /* dynamic field values (strings owned) */
    size_t ndynv;
    alignas(16) unsigned char data[];
} xentry;
_Static_assert(offsetof(xentry, data) == FALCO__TABLE_NODE_SIZE, "the inline lookup finds the entry struct here");

/* The entry a chain node (or NULL) is the head of. */
static inline xentry *entry_of(falco__table_node *n) {
    return (xentry *)(void *)n;
}

/* A table instance: the exported one, or one entry's nested table. The
 * lock, the counters and the vtables are the root's. */
struct falco__xtable {
    falco_table t; /* first: the public handle */
    xdef *def;
    falco__xtable *root;
    xentry *parent; /* a nested table's entry, which it dies with */
    /* Host handles on this table's entries plus its entries' pins (atomic):
     * while not 0, the parent entry is pinned, so that removing it (owner
     * or host) cannot free an entry the host still holds. */
    uint64_t held;
    falco_plugin *p;
    size_t nbuckets; /* a power of two; the buckets are t.buckets, t.shift */
    uint64_t count;
    /* What the host gets: add_table's input for the root, and for a nested
     * table what reading its field yields (libsinsp reads subtables of
     * plugin tables as table inputs). */
    falco_abi_table_input input;
    /* root only */
    bool locking;
    pthread_rwlock_t lock;
    uint64_t host_held; /* atomic */
    int iterating;
};

/* ---- declaration checks ---- */

static size_t member_size(falco_table_type t) {
    switch (t) {
    case FALCO_TABLE_I8: case FALCO_TABLE_U8: return 1;
    case FALCO_TABLE_I16: case FALCO_TABLE_U16: return 2;
    case FALCO_TABLE_I32: case FALCO_TABLE_U32: return 4;
    case FALCO_TABLE_I64: case FALCO_TABLE_U64: return 8;
    case FALCO_TABLE_BOOL: return sizeof(bool);
    case FALCO_TABLE_STRING: return sizeof(char *);
    case FALCO_TABLE_TABLE: return sizeof(falco_table *);
    default: return 0;
    }
}

#define XFAIL(...)                                                                    \
    do {                                                                              \
        int n_ = snprintf(err, errlen, "plugin '%s': table export ", d->name);        \
        snprintf(err + n_, errlen - (size_t)n_, __VA_ARGS__);                         \
        return FALCO_EINVAL;                                                          \
    } while (0)

/* The layout of t (named path): key, entry size, columns, nested ones. */
static falco_rc check_layout(const falco_plugin_decl *d, const falco_table_export *t, const char *path, unsigned depth,
                             char *err, size_t errlen) {
    if (!falco__table_type_valid(t->key_type, true))
        XFAIL("'%s': invalid key type %d", path, (int)t->key_type);
    if (!t->entry_size)
        XFAIL("'%s': .entry_size is 0", path);
    if (t->columns.count && !t->columns.items)
        XFAIL("'%s': columns have a count but no items", path);
    for (size_t c = 0; c < t->columns.count; c++) {
        const falco_table_column *col = &t->columns.items[c];
        if (!col->name || !*col->name)
            XFAIL("'%s': column [%zu] has no name", path, c);
        if (!falco__table_type_valid(col->type, false))
            XFAIL("'%s': column '%s': invalid type %d", path, col->name, (int)col->type);
        if (col->size != member_size(col->type))
            XFAIL("'%s': column '%s': the member is %zu bytes, a %s member is %zu", path, col->name, col->size,
                  falco__table_type_name(col->type), member_size(col->type));
        if (col->offset + col->size > t->entry_size)
            XFAIL("'%s': column '%s' lies outside .entry_size %zu", path, col->name, t->entry_size);
        if ((unsigned)col->access > FALCO_TABLE_PRIVATE)
            XFAIL("'%s': column '%s': invalid access %d", path, col->name, (int)col->access);
        for (size_t j = 0; j < c; j++)
            if (strcmp(t->columns.items[j].name, col->name) == 0)
                XFAIL("'%s': column '%s' is declared twice", path, col->name);
        if (col->type == FALCO_TABLE_TABLE) {
            if (!col->nested)
                XFAIL("'%s': column '%s': a nested table needs its layout (FALCO_TABLE_COLUMN_NESTED)", path,
                      col->name);
            if (depth >= 4)
                XFAIL("'%s': nested more than 4 levels", path);
            char sub[256];
            snprintf(sub, sizeof sub, "%s.%s", path, col->name);
            FALCO_TRY(check_layout(d, col->nested, sub, depth + 1, err, errlen));
        } else if (col->nested) {
            XFAIL("'%s': column '%s' of type %s has a nested layout", path, col->name,
                  falco__table_type_name(col->type));
        }
    }
    return FALCO_OK;
}

static bool layout_nests(const falco_table_export *t) {
    for (size_t c = 0; c < t->columns.count; c++)
        if (t->columns.items[c].type == FALCO_TABLE_TABLE)
            return true;
    return false;
}

bool falco__tables_export_nested(const falco_plugin_decl *d) {
    for (size_t i = 0; i < d->tables_export.count; i++)
        if (layout_nests(&d->tables_export.items[i]))
            return true;
    return false;
}

falco_rc falco__tables_export_validate(const falco_plugin_decl *d, char *err, size_t errlen) {
    const falco_table_export_list *ex = &d->tables_export;
    for (size_t i = 0; i < ex->count; i++) {
        const falco_table_export *t = &ex->items[i];
        if (!t->name || !*t->name)
            XFAIL("[%zu] has no name", i);
        if (t->slot + sizeof(void *) > d->state_size || t->slot % sizeof(void *))
            XFAIL("'%s': slot %zu is not a pointer inside the state (.state_size %zu)", t->name, t->slot,
                  d->state_size);
        for (size_t j = 0; j < i; j++)
            if (strcmp(ex->items[j].name, t->name) == 0)
                XFAIL("'%s' is declared twice", t->name);
        for (size_t j = 0; j < d->tables_import.count; j++)
            if (strcmp(d->tables_import.items[j].name, t->name) == 0)
                XFAIL("'%s' is also imported", t->name);
        FALCO_TRY(check_layout(d, t, t->name, 0, err, errlen));
    }
    return FALCO_OK;
}
#undef XFAIL

/* ---- locking ---- */

static void rd(falco__xtable *x) {
    if (x->root->locking)
        pthread_rwlock_rdlock(&x->root->lock);
}
static void wr(falco__xtable *x) {
    if (x->root->locking)
        pthread_rwlock_wrlock(&x->root->lock);
}
static void un(falco__xtable *x) {
    if (x->root->locking)
        pthread_rwlock_unlock(&x->root->lock);
}

/* ---- keys and the map ---- */

static inline uint64_t key_bits(falco_table_type type, const falco_abi_state_data *k) {
    switch (type) {
    case FALCO_TABLE_I8: return (uint64_t)(int64_t)k->s8;
    case FALCO_TABLE_I16: return (uint64_t)(int64_t)k->s16;
    case FALCO_TABLE_I32: return (uint64_t)(int64_t)k->s32;
    case FALCO_TABLE_I64: return (uint64_t)k->s64;
    case FALCO_TABLE_U8: return k->u8;
    case FALCO_TABLE_U16: return k->u16;
    case FALCO_TABLE_U32: return k->u32;
    case FALCO_TABLE_U64: return k->u64;
    case FALCO_TABLE_BOOL: return k->b != 0;
    default: return 0;
    }
}

/* An integer key's hash: its bits times an odd constant, a bijection (equal
 * hashes are equal keys). Buckets take the hash's top bits (Fibonacci
 * hashing), which depend on every bit of the key and spread consecutive
 * keys (thread ids, fds) evenly. */
static inline uint64_t int_hash(uint64_t bits) {
    return bits * FALCO__TABLE_HASH_MUL;
}

static inline size_t bucket_of(const falco__xtable *x, uint64_t h) {
    return (size_t)(h >> x->t.shift);
}

static uint64_t key_hash(falco__xtable *x, const falco_abi_state_data *k) {
    uint64_t h = 1469598103934665603ull;
    if (x->t.key_type == FALCO_TABLE_STRING) {
        for (const unsigned char *s = (const unsigned char *)k->str; *s; s++)
            h = (h ^ *s) * 1099511628211ull;
        return h;
    }
    return int_hash(key_bits(x->t.key_type, k));
}

static bool key_eq(falco__xtable *x, const xentry *e, const falco_abi_state_data *k, uint64_t h) {
    if (e->node.hash != h)
        return false;
    if (x->t.key_type == FALCO_TABLE_STRING)
        return strcmp(e->key.str, k->str) == 0;
    return key_bits(x->t.key_type, &e->key) == key_bits(x->t.key_type, k);
}

/* The link that points to k's entry (NULL at the end of its chain). */
static falco__table_node **find_slot(falco__xtable *x, const falco_abi_state_data *k, uint64_t h) {
    falco__table_node **pp = &x->t.buckets[bucket_of(x, h)];
    while (*pp && !key_eq(x, entry_of(*pp), k, h))
        pp = &(*pp)->next;
    return pp;
}

static void grow(falco__xtable *x) {
    size_t n = x->nbuckets * 2;
    falco__table_node **b = calloc(n, sizeof *b);
    if (!b)
        return; /* longer chains, still correct */
    unsigned shift = x->t.shift - 1;
    for (size_t i = 0; i < x->nbuckets; i++)
        for (falco__table_node *e = x->t.buckets[i], *next; e; e = next) {
            next = e->next;
            e->next = b[e->hash >> shift];
            b[e->hash >> shift] = e;
        }
    free(x->t.buckets);
    x->t.buckets = b;
    x->nbuckets = n;
    x->t.shift = shift;
}

static falco__xtable *inst_new(xdef *def, falco__xtable *root, falco_plugin *p);
static void inst_free(falco__xtable *x);

static void entry_free(xentry *e) {
    falco__xtable *x = e->x;
    xdef *def = x->def;
    const falco_table_column_list *cols = &def->columns;
    for (size_t i = 0; i < cols->count; i++) {
        void *m;
        memcpy(&m, e->data + cols->items[i].offset, sizeof m);
        if (cols->items[i].type == FALCO_TABLE_STRING)
            free(m);
        else if (cols->items[i].type == FALCO_TABLE_TABLE && m)
            inst_free(m);
    }
    for (size_t i = 0; i < e->ndynv && i < def->ndyn; i++)
        if (def->dyn[i]->type == FALCO_TABLE_STRING)
            free((char *)e->dynv[i].str);
    free(e->dynv);
    if (x->t.key_type == FALCO_TABLE_STRING)
        free((char *)e->key.str);
    free(e);
}

/* A zeroed entry, with its own nested tables. */
static xentry *entry_new(falco__xtable *x) {
    xdef *def = x->def;
    xentry *e = calloc(1, sizeof *e + def->entry_size);
    if (!e)
        return NULL;
    e->x = x;
    for (size_t i = 0; i < def->columns.count; i++) {
        if (!def->subs[i])
            continue;
        falco__xtable *sub = inst_new(def->subs[i], x->root, x->p);
        if (!sub) {
            entry_free(e);
            return NULL;
        }
        sub->parent = e;
        falco_table *h = &sub->t;
        memcpy(e->data + def->columns.items[i].offset, &h, sizeof h);
    }
    return e;
}

/* Whether nothing keeps a detached entry alive: no host handle on it, none
 * on an entry of its nested tables. */
static bool entry_unheld(xentry *e) {
    return __atomic_load_n(&e->refs, __ATOMIC_ACQUIRE) == 0 && __atomic_load_n(&e->pins, __ATOMIC_ACQUIRE) == 0;
}

/* Unlinks *pp; frees it unless the host still holds it or an entry of its
 * nested tables. */
static void unlink_entry(falco__table_node **pp) {
    xentry *e = entry_of(*pp);
    *pp = e->node.next;
    e->node.next = NULL;
    e->in_table = false;
    e->x->count--;
    if (entry_unheld(e))
        entry_free(e);
}

/* A host handle (or a pin) taken on an entry of x: the first pins x's
 * parent entry, recursively up to the root. Any lock (atomics). */
static void table_hold(falco__xtable *x) {
    while (__atomic_add_fetch(&x->held, 1, __ATOMIC_ACQ_REL) == 1 && x->parent) {
        xentry *pe = x->parent;
        __atomic_add_fetch(&pe->pins, 1, __ATOMIC_ACQ_REL);
        x = pe->x;
    }
}

/* The reverse, under the write lock: the last one unpins the parent entry,
 * which is freed when it was removed meanwhile, its nested tables (x among
 * them) with it. x may be freed on return. */
static void table_unhold(falco__xtable *x) {
    while (__atomic_sub_fetch(&x->held, 1, __ATOMIC_ACQ_REL) == 0 && x->parent) {
        xentry *pe = x->parent;
        falco__xtable *up = pe->x;
        bool last = __atomic_sub_fetch(&pe->pins, 1, __ATOMIC_ACQ_REL) == 0;
        if (last && !pe->in_table && __atomic_load_n(&pe->refs, __ATOMIC_ACQUIRE) == 0)
            entry_free(pe); /* frees x */
        x = up; /* pe's pin counted in its table's hold */
    }
}

/* Inserts detached e under k, replacing an entry of that key. */
static bool insert(falco__xtable *x, const falco_abi_state_data *k, xentry *e) {
    if (x->t.key_type == FALCO_TABLE_STRING) {
        size_t n = strlen(k->str) + 1;
        char *s = malloc(n);
        if (!s)
            return false;
        memcpy(s, k->str, n);
        e->key.str = s;
    } else {
        e->key = *k;
    }
    e->node.hash = key_hash(x, k);
    falco__table_node **pp = find_slot(x, k, e->node.hash);
    if (*pp)
        unlink_entry(pp);
    e->node.next = x->t.buckets[bucket_of(x, e->node.hash)];
    x->t.buckets[bucket_of(x, e->node.hash)] = &e->node;
    e->in_table = true;
    if (++x->count > x->nbuckets)
        grow(x);
    return true;
}

/* ---- errors: the owning plugin's last error, which the host reads ---- */

#define TERR(x, ...) falco_error((x)->p, FALCO_ERROR, __VA_ARGS__)

static bool entry_ok(falco__xtable *x, const xentry *e, const char *what) {
    if (!e || e->x != x) {
        TERR(x, "table '%s': %s: not an entry of this table", x->t.name, what);
        return false;
    }
    return true;
}

static bool field_ok(falco__xtable *x, const xfield *f, const char *what) {
    if (!f || f->def != x->def) {
        TERR(x, "table '%s': %s: not a field of this table", x->t.name, what);
        return false;
    }
    return true;
}

/* ---- reader ---- */

static const char *v_name(falco_abi_table_t *t) {
    return ((falco__xtable *)t)->t.name;
}

static uint64_t v_size(falco_abi_table_t *t) {
    falco__xtable *x = t;
    rd(x);
    uint64_t n = x->count;
    un(x);
    return n;
}

static falco_abi_table_entry_t *v_get(falco_abi_table_t *t, const falco_abi_state_data *key) {
    falco__xtable *x = t;
    if (!key || (x->t.key_type == FALCO_TABLE_STRING && !key->str)) {
        TERR(x, "table '%s': get_table_entry: no key", x->t.name);
        return NULL;
    }
    rd(x);
    xentry *e = entry_of(*find_slot(x, key, key_hash(x, key)));
    if (e) {
        __atomic_add_fetch(&e->refs, 1, __ATOMIC_ACQ_REL);
        __atomic_add_fetch(&x->root->host_held, 1, __ATOMIC_ACQ_REL);
        table_hold(x);
    }
    un(x);
    if (!e)
        TERR(x, "table '%s': get_table_entry: no entry for this key", x->t.name);
    return e;
}

static void v_release(falco_abi_table_t *t, falco_abi_table_entry_t *ep) {
    falco__xtable *x = t;
    xentry *e = ep;
    if (!entry_ok(x, e, "release_table_entry"))
        return;
    wr(x);
    if (e->refs == 0) {
        un(x);
        TERR(x, "table '%s': release_table_entry: the entry was not held", x->t.name);
        return;
    }
    bool last = __atomic_sub_fetch(&e->refs, 1, __ATOMIC_ACQ_REL) == 0;
    __atomic_sub_fetch(&x->root->host_held, 1, __ATOMIC_ACQ_REL);
    if (last && !e->in_table && __atomic_load_n(&e->pins, __ATOMIC_ACQUIRE) == 0)
        entry_free(e);
    falco__xtable *root = x->root;
    table_unhold(x); /* may free x */
    un(root);
}

/* Strings read from a .thread_safe table: the owner may replace the member
 * as soon as the lock is released, so the host gets a copy in one of a
 * ring of per-thread buffers (valid for the next 7 string reads on the
 * thread; hosts copy at once). Freed when the thread exits. */
#define STR_RING 8
typedef struct {
    char *buf[STR_RING];
    size_t cap[STR_RING];
    unsigned next;
} str_ring;
static pthread_key_t ring_key;
static pthread_once_t ring_once = PTHREAD_ONCE_INIT;
static void ring_free(void *v) {
    str_ring *r = v;
    for (unsigned i = 0; i < STR_RING; i++)
        free(r->buf[i]);
    free(r);
}
static void ring_init(void) {
    (void)pthread_key_create(&ring_key, ring_free);
}
static const char *str_copy(const char *s) {
    pthread_once(&ring_once, ring_init);
    str_ring *r = pthread_getspecific(ring_key);
    if (!r) {
        if (!(r = calloc(1, sizeof *r)) || pthread_setspecific(ring_key, r) != 0) {
            free(r);
            return NULL;
        }
    }
    size_t n = strlen(s) + 1;
    unsigned i = r->next++ % STR_RING;
    if (r->cap[i] < n) {
        char *b = realloc(r->buf[i], n);
        if (!b)
            return NULL;
        r->buf[i] = b;
        r->cap[i] = n;
    }
    memcpy(r->buf[i], s, n);
    return r->buf[i];
}

static falco_abi_rc read_value(falco__xtable *x, xentry *e, const xfield *f, falco_abi_state_data *out) {
    if (f->dyn) {
        if (f->at < e->ndynv)
            *out = e->dynv[f->at];
        else
            memset(out, 0, sizeof *out);
        if (f->type == FALCO_TABLE_STRING && !out->str)
            out->str = "";
        return FALCO_ABI_RC_SUCCESS;
    }
    const unsigned char *m = e->data + f->at;
    memset(out, 0, sizeof *out);
    switch (f->type) {
    case FALCO_TABLE_BOOL: {
        bool b;
        memcpy(&b, m, sizeof b);
        out->b = b ? 1u : 0u;
        break;
    }
    case FALCO_TABLE_STRING: {
        const char *s;
        memcpy(&s, m, sizeof s);
        out->str = s ? s : "";
        break;
    }
    case FALCO_TABLE_TABLE: {
        falco_table *t;
        memcpy(&t, m, sizeof t);
        out->table = t ? &((falco__xtable *)t)->input : NULL; /* this entry's own nested table */
        break;
    }
    default:
        memcpy(out, m, member_size(f->type)); /* the union's members start at its first byte */
    }
    (void)x;
    return FALCO_ABI_RC_SUCCESS;
}

static falco_abi_rc v_read(falco_abi_table_t *t, falco_abi_table_entry_t *ep, const falco_abi_table_field_t *fp,
                           falco_abi_state_data *out) {
    falco__xtable *x = t;
    const xfield *f = fp;
    if (!entry_ok(x, ep, "read_entry_field") || !field_ok(x, f, "read_entry_field"))
        return FALCO_ABI_RC_FAILURE;
    if (!out) {
        TERR(x, "table '%s': read_entry_field: no output", x->t.name);
        return FALCO_ABI_RC_FAILURE;
    }
    rd(x);
    falco_abi_rc rc = read_value(x, ep, f, out);
    if (rc == FALCO_ABI_RC_SUCCESS && f->type == FALCO_TABLE_STRING && x->root->locking &&
        !(out->str = str_copy(out->str))) {
        TERR(x, "table '%s': read_entry_field '%s': out of memory", x->t.name, f->name);
        rc = FALCO_ABI_RC_FAILURE;
    }
    un(x);
    return rc;
}

static falco_abi_bool v_iterate(falco_abi_table_t *t, falco_abi_table_iterator_func_t it,
                                falco_abi_table_iterator_state_t *s) {
    falco__xtable *x = t;
    if (!it) {
        TERR(x, "table '%s': iterate_entries: no function", x->t.name);
        return 0;
    }
    rd(x);
    __atomic_add_fetch(&x->root->iterating, 1, __ATOMIC_ACQ_REL);
    falco_abi_bool all = 1;
    for (size_t i = 0; i < x->nbuckets && all; i++)
        for (falco__table_node *e = x->t.buckets[i]; e; e = e->next)
            if (!it(s, entry_of(e))) {
                all = 0;
                break;
            }
    __atomic_sub_fetch(&x->root->iterating, 1, __ATOMIC_ACQ_REL);
    un(x);
    return all;
}

/* ---- writer ---- */

static bool not_iterating(falco__xtable *x, const char *what) {
    if (__atomic_load_n(&x->root->iterating, __ATOMIC_ACQUIRE)) {
        TERR(x, "table '%s': %s during iterate_entries", x->t.name, what);
        return false;
    }
    return true;
}

static falco_abi_rc v_clear(falco_abi_table_t *t) {
    falco__xtable *x = t;
    if (!not_iterating(x, "clear_table"))
        return FALCO_ABI_RC_FAILURE;
    wr(x);
    for (size_t i = 0; i < x->nbuckets; i++)
        while (x->t.buckets[i])
            unlink_entry(&x->t.buckets[i]);
    un(x);
    return FALCO_ABI_RC_SUCCESS;
}

static falco_abi_rc v_erase(falco_abi_table_t *t, const falco_abi_state_data *key) {
    falco__xtable *x = t;
    if (!key || (x->t.key_type == FALCO_TABLE_STRING && !key->str)) {
        TERR(x, "table '%s': erase_table_entry: no key", x->t.name);
        return FALCO_ABI_RC_FAILURE;
    }
    if (!not_iterating(x, "erase_table_entry"))
        return FALCO_ABI_RC_FAILURE;
    wr(x);
    falco__table_node **pp = find_slot(x, key, key_hash(x, key));
    bool found = *pp != NULL;
    if (found)
        unlink_entry(pp);
    un(x);
    if (!found) {
        TERR(x, "table '%s': erase_table_entry: no entry for this key", x->t.name);
        return FALCO_ABI_RC_FAILURE;
    }
    return FALCO_ABI_RC_SUCCESS;
}

static falco_abi_table_entry_t *v_create(falco_abi_table_t *t) {
    falco__xtable *x = t;
    xentry *e = entry_new(x);
    if (!e) {
        TERR(x, "table '%s': create_table_entry: out of memory", x->t.name);
        return NULL;
    }
    e->refs = 1; /* the creator's handle, until add or destroy */
    __atomic_add_fetch(&x->root->host_held, 1, __ATOMIC_ACQ_REL);
    rd(x);
    table_hold(x);
    un(x);
    return e;
}

static void v_destroy(falco_abi_table_t *t, falco_abi_table_entry_t *ep) {
    falco__xtable *x = t;
    xentry *e = ep;
    if (!entry_ok(x, e, "destroy_table_entry"))
        return;
    if (e->in_table) {
        TERR(x, "table '%s': destroy_table_entry: the entry is in the table (erase it instead)", x->t.name);
        return;
    }
    falco__xtable *root = x->root;
    wr(x);
    if (__atomic_load_n(&e->refs, __ATOMIC_ACQUIRE) == 0) {
        un(x);
        TERR(x, "table '%s': destroy_table_entry: the entry was already destroyed", x->t.name);
        return;
    }
    __atomic_sub_fetch(&e->refs, 1, __ATOMIC_ACQ_REL);
    __atomic_sub_fetch(&x->root->host_held, 1, __ATOMIC_ACQ_REL);
    /* kept while the host holds entries of its nested tables: the last
     * release frees it */
    if (__atomic_load_n(&e->pins, __ATOMIC_ACQUIRE) == 0)
        entry_free(e);
    table_unhold(x); /* may free x */
    un(root);
}

static falco_abi_table_entry_t *v_add(falco_abi_table_t *t, const falco_abi_state_data *key,
                                      falco_abi_table_entry_t *ep) {
    falco__xtable *x = t;
    xentry *e = ep;
    if (!entry_ok(x, e, "add_table_entry"))
        return NULL;
    if (!key || (x->t.key_type == FALCO_TABLE_STRING && !key->str)) {
        TERR(x, "table '%s': add_table_entry: no key", x->t.name);
        return NULL;
    }
    if (e->in_table) {
        TERR(x, "table '%s': add_table_entry: the entry was already added", x->t.name);
        return NULL;
    }
    if (!not_iterating(x, "add_table_entry"))
        return NULL;
    wr(x);
    bool ok = insert(x, key, e);
    un(x);
    if (!ok) {
        TERR(x, "table '%s': add_table_entry: out of memory", x->t.name);
        return NULL;
    }
    return e; /* the creator's handle becomes the returned one: release it */
}

static falco_abi_rc write_value(falco__xtable *x, xentry *e, const xfield *f, const falco_abi_state_data *in) {
    if (f->type == FALCO_TABLE_STRING && !in->str) {
        TERR(x, "table '%s': write_entry_field '%s': a NULL string", x->t.name, f->name);
        return FALCO_ABI_RC_FAILURE;
    }
    if (f->dyn) {
        if (f->at >= e->ndynv) {
            falco_abi_state_data *v = realloc(e->dynv, x->def->ndyn * sizeof *v);
            if (!v) {
                TERR(x, "table '%s': write_entry_field '%s': out of memory", x->t.name, f->name);
                return FALCO_ABI_RC_FAILURE;
            }
            memset(v + e->ndynv, 0, (x->def->ndyn - e->ndynv) * sizeof *v);
            e->dynv = v;
            e->ndynv = x->def->ndyn;
        }
        if (f->type == FALCO_TABLE_STRING) {
            char *s = (char *)e->dynv[f->at].str;
            if (falco_table_set_str(&s, in->str) != FALCO_OK) {
                TERR(x, "table '%s': write_entry_field '%s': out of memory", x->t.name, f->name);
                return FALCO_ABI_RC_FAILURE;
            }
            e->dynv[f->at].str = s;
        } else {
            e->dynv[f->at] = *in;
        }
        return FALCO_ABI_RC_SUCCESS;
    }
    unsigned char *m = e->data + f->at;
    switch (f->type) {
    case FALCO_TABLE_BOOL: {
        bool b = in->b != 0;
        memcpy(m, &b, sizeof b);
        break;
    }
    case FALCO_TABLE_STRING: {
        char *old;
        memcpy(&old, m, sizeof old);
        if (falco_table_set_str(&old, in->str) != FALCO_OK) {
            TERR(x, "table '%s': write_entry_field '%s': out of memory", x->t.name, f->name);
            return FALCO_ABI_RC_FAILURE;
        }
        memcpy(m, &old, sizeof old);
        break;
    }
    default:
        memcpy(m, in, member_size(f->type));
    }
    return FALCO_ABI_RC_SUCCESS;
}

static falco_abi_rc v_write(falco_abi_table_t *t, falco_abi_table_entry_t *ep, const falco_abi_table_field_t *fp,
                            const falco_abi_state_data *in) {
    falco__xtable *x = t;
    const xfield *f = fp;
    if (!entry_ok(x, ep, "write_entry_field") || !field_ok(x, f, "write_entry_field"))
        return FALCO_ABI_RC_FAILURE;
    if (f->read_only) {
        TERR(x, "table '%s': write_entry_field: field '%s' is read-only", x->t.name, f->name);
        return FALCO_ABI_RC_FAILURE;
    }
    if (!in) {
        TERR(x, "table '%s': write_entry_field '%s': no value", x->t.name, f->name);
        return FALCO_ABI_RC_FAILURE;
    }
    wr(x);
    falco_abi_rc rc = write_value(x, ep, f, in);
    un(x);
    return rc;
}

/* ---- fields ---- */

static xfield *field_named(xdef *d, const char *name) {
    for (size_t i = 0; i < d->ncols; i++)
        if (strcmp(d->cols[i].name, name) == 0)
            return &d->cols[i];
    for (size_t i = 0; i < d->ndyn; i++)
        if (strcmp(d->dyn[i]->name, name) == 0)
            return d->dyn[i];
    return NULL;
}

static const falco_abi_table_fieldinfo *v_list(falco_abi_table_t *t, uint32_t *n) {
    falco__xtable *x = t;
    wr(x);
    xdef *d = x->def;
    size_t total = d->ncols + d->ndyn;
    falco_abi_table_fieldinfo *info = realloc(d->info, (total ? total : 1) * sizeof *info);
    if (!info) {
        un(x);
        TERR(x, "table '%s': list_table_fields: out of memory", x->t.name);
        *n = 0;
        return NULL;
    }
    d->info = info;
    for (size_t i = 0; i < total; i++) {
        const xfield *f = i < d->ncols ? &d->cols[i] : d->dyn[i - d->ncols];
        info[i] = (falco_abi_table_fieldinfo){f->name, (falco_abi_state_type)f->type, f->read_only};
    }
    un(x);
    *n = (uint32_t)total;
    return info;
}

static falco_abi_table_field_t *v_get_field(falco_abi_table_t *t, const char *name, falco_abi_state_type type) {
    falco__xtable *x = t;
    if (!name) {
        TERR(x, "table '%s': get_table_field: no name", x->t.name);
        return NULL;
    }
    rd(x);
    xfield *f = field_named(x->def, name);
    un(x);
    if (!f) {
        TERR(x, "table '%s': get_table_field: no field '%s'", x->t.name, name);
        return NULL;
    }
    if ((int)f->type != (int)type) {
        TERR(x, "table '%s': get_table_field: field '%s' has type %s, requested %s", x->t.name, name,
             falco__table_type_name(f->type), falco__table_type_name(type));
        return NULL;
    }
    return f;
}

static falco_abi_table_field_t *v_add_field(falco_abi_table_t *t, const char *name, falco_abi_state_type type) {
    falco__xtable *x = t;
    if (!name || !*name) {
        TERR(x, "table '%s': add_table_field: no name", x->t.name);
        return NULL;
    }
    if (!falco__table_type_valid(type, true)) {
        TERR(x, "table '%s': add_table_field '%s': type %s cannot be a dynamic field here", x->t.name, name,
             falco__table_type_name(type));
        return NULL;
    }
    wr(x);
    xdef *d = x->def;
    xfield *f = field_named(d, name);
    if (f) {
        un(x);
        if ((int)f->type != (int)type) {
            TERR(x, "table '%s': add_table_field: field '%s' already has type %s, requested %s", x->t.name, name,
                 falco__table_type_name(f->type), falco__table_type_name(type));
            return NULL;
        }
        return f; /* the same name and type: the same field */
    }
    if (d->ndyn == d->capdyn) {
        size_t cap = d->capdyn ? d->capdyn * 2 : 4;
        xfield **nd = realloc(d->dyn, cap * sizeof *nd);
        if (!nd) {
            un(x);
            TERR(x, "table '%s': add_table_field '%s': out of memory", x->t.name, name);
            return NULL;
        }
        d->dyn = nd;
        d->capdyn = cap;
    }
    size_t len = strlen(name) + 1;
    f = calloc(1, sizeof *f + len);
    if (!f) {
        un(x);
        TERR(x, "table '%s': add_table_field '%s': out of memory", x->t.name, name);
        return NULL;
    }
    char *copy = (char *)(f + 1);
    memcpy(copy, name, len);
    *f = (xfield){.def = d, .name = copy, .type = (falco_table_type)type, .dyn = true, .at = d->ndyn};
    d->dyn[d->ndyn++] = f;
    un(x);
    return f;
}

/* ---- layouts, instances, registration ---- */

/* The vtables of every exported table (never written: the host may read
 * them from any thread). */
static falco_abi_table_reader_vtable_ext vt_reader = {v_name, v_size, v_get, v_read, v_release, v_iterate};
static falco_abi_table_writer_vtable_ext vt_writer = {v_clear, v_erase, v_create, v_destroy, v_add, v_write};
static falco_abi_table_fields_vtable_ext vt_fields = {v_list, v_get_field, v_add_field};

static void def_free(xdef *d) {
    if (!d)
        return;
    for (size_t i = 0; d->subs && i < d->columns.count; i++)
        def_free(d->subs[i]);
    for (size_t i = 0; i < d->ndyn; i++)
        free(d->dyn[i]);
    free(d->dyn);
    free(d->cols);
    free(d->info);
    free(d->subs);
    free(d);
}

static xdef *def_new(const falco_table_export *decl, const char *name) {
    xdef *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    size_t n = decl->columns.count;
    d->name = name;
    d->key_type = decl->key_type;
    d->entry_size = decl->entry_size;
    d->columns = decl->columns;
    d->cols = calloc(n ? n : 1, sizeof *d->cols);
    d->subs = calloc(n ? n : 1, sizeof *d->subs);
    if (!d->cols || !d->subs) {
        def_free(d);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        const falco_table_column *c = &decl->columns.items[i];
        if (c->type == FALCO_TABLE_TABLE && !(d->subs[i] = def_new(c->nested, c->name))) {
            def_free(d);
            return NULL;
        }
        if (c->access == FALCO_TABLE_PRIVATE)
            continue;
        d->cols[d->ncols++] = (xfield){.def = d, .name = c->name, .type = c->type,
                                       .read_only = c->access == FALCO_TABLE_READONLY || c->type == FALCO_TABLE_TABLE,
                                       .at = c->offset, .sub = d->subs[i]};
    }
    return d;
}

static void inst_free(falco__xtable *x) {
    if (!x)
        return;
    if (x->t.buckets) {
        for (size_t i = 0; i < x->nbuckets; i++)
            while (x->t.buckets[i]) {
                xentry *e = entry_of(x->t.buckets[i]);
                x->t.buckets[i] = e->node.next;
                entry_free(e); /* handles the host still holds die with the plugin */
            }
    }
    free(x->t.buckets);
    free(x);
}

/* An empty table of layout def; root NULL makes it its own root. */
static falco__xtable *inst_new(xdef *def, falco__xtable *root, falco_plugin *p) {
    falco__xtable *x = calloc(1, sizeof *x);
    if (!x)
        return NULL;
    x->t = (falco_table){.kind = FALCO__TK_EXPORT, .name = def->name, .key_type = def->key_type, .def = def,
                         .call = &falco__table_no_grant};
    x->t.abi = x;
    x->def = def;
    x->root = root ? root : x;
    x->p = p;
    x->nbuckets = 16;
    x->t.shift = 64 - 4; /* log2(16) */
    if (!(x->t.buckets = calloc(x->nbuckets, sizeof *x->t.buckets))) {
        free(x);
        return NULL;
    }
    falco_abi_table_input *in = &x->input;
    in->name = def->name;
    in->key_type = (falco_abi_state_type)def->key_type;
    in->table = x;
    /* the deprecated copies equal the _ext ones, as libsinsp checks */
    memcpy(&in->reader, &vt_reader, sizeof in->reader);
    in->writer = vt_writer;
    in->fields = vt_fields;
    in->reader_ext = &vt_reader;
    in->writer_ext = &vt_writer;
    in->fields_ext = &vt_fields;
    return x;
}

static void xtable_free(falco__xtable *x) {
    if (!x)
        return;
    xdef *def = x->def;
    if (x->locking)
        pthread_rwlock_destroy(&x->lock);
    inst_free(x);
    def_free(def);
}

static falco__xtable *xtable_new(falco_plugin *p, const falco_table_export *d) {
    xdef *def = def_new(d, d->name);
    if (!def)
        return NULL;
    falco__xtable *x = inst_new(def, NULL, p);
    if (!x) {
        def_free(def);
        return NULL;
    }
    if (d->thread_safe) {
        if (pthread_rwlock_init(&x->lock, NULL) != 0) {
            xtable_free(x);
            return NULL;
        }
        x->locking = true;
    }
    return x;
}

falco_rc falco__tables_export_attach(falco_plugin *p, const falco_abi_init_tables_input *in) {
    const falco_table_export_list *ex = &p->decl->tables_export;
    falco__tables *ts = p->tables;
    if (!ex->count)
        return FALCO_OK;
    if (!(ts->exports = calloc(ex->count, sizeof *ts->exports)))
        return falco_error(p, FALCO_ENOMEM, "tables: out of memory");
    for (size_t i = 0; i < ex->count; i++) {
        falco__xtable *x = xtable_new(p, &ex->items[i]);
        if (!x)
            return falco_error(p, FALCO_ENOMEM, "table '%s': out of memory", ex->items[i].name);
        ts->exports[ts->nexports++] = x;
        memcpy((char *)p->state + ex->items[i].slot, &(falco_table *){&x->t}, sizeof(falco_table *));
        if (in->add_table(p->owner, &x->input) != FALCO_ABI_RC_SUCCESS)
            return falco_error_owner(p, FALCO_ERROR, "table '%s': add_table failed", x->t.name);
    }
    return FALCO_OK;
}

void falco__tables_export_detach(falco_plugin *p) {
    falco__tables *ts = p->tables;
    for (size_t i = 0; i < ts->nexports; i++)
        xtable_free(ts->exports[i]);
    free(ts->exports);
    ts->exports = NULL;
    ts->nexports = 0;
}

/* ---- the owner's side ---- */

static falco__xtable *owned(falco_table *t) {
    return t && t->kind == FALCO__TK_EXPORT ? (falco__xtable *)t : NULL;
}

falco_table *falco_table_find(falco_plugin *p, const char *name) {
    if (!p || !p->tables || !name)
        return NULL;
    for (size_t i = 0; i < p->tables->nexports; i++)
        if (strcmp(p->tables->exports[i]->t.name, name) == 0)
            return &p->tables->exports[i]->t;
    return NULL;
}

static bool owner_key_ok(falco__xtable *x, falco_table_key key) {
    return x && key.type == x->t.key_type && (key.type != FALCO_TABLE_STRING || key.v.str);
}

/* falco_table_lookup (inline in falco/table.h) for what its fast path does
 * not take: another table, key type, or a key not of 64 bits. */
void *falco__table_lookup_slow(falco_table *t, falco_table_key key) {
    falco__xtable *x = owned(t);
    if (!owner_key_ok(x, key))
        return NULL;
    xentry *e = entry_of(*find_slot(x, &key.v, key_hash(x, &key.v)));
    return e ? e->data : NULL;
}

void *falco_table_emplace(falco_table *t, falco_table_key key) {
    falco__xtable *x = owned(t);
    if (!owner_key_ok(x, key))
        return NULL;
    xentry *e = entry_of(*find_slot(x, &key.v, key_hash(x, &key.v)));
    if (e)
        return e->data;
    if (!(e = entry_new(x)))
        return NULL;
    if (!insert(x, &key.v, e)) {
        entry_free(e);
        return NULL;
    }
    return e->data;
}

falco_rc falco_table_remove(falco_table *t, falco_table_key key) {
    falco__xtable *x = owned(t);
    if (!owner_key_ok(x, key))
        return FALCO_ETYPE;
    falco__table_node **pp = find_slot(x, &key.v, key_hash(x, &key.v));
    if (!*pp)
        return FALCO_ENOTFOUND;
    unlink_entry(pp);
    return FALCO_OK;
}

uint64_t falco_table_count(falco_table *t) {
    falco__xtable *x = owned(t);
    return x ? x->count : 0;
}

falco_rc falco_table_set_str(char **member, const char *s) {
    char *copy = NULL;
    if (s) {
        size_t n = strlen(s) + 1;
        if (!(copy = malloc(n)))
            return FALCO_ENOMEM;
        memcpy(copy, s, n);
    }
    free(*member);
    *member = copy;
    return FALCO_OK;
}

uint64_t falco_table_host_held(falco_table *t) {
    falco__xtable *x = owned(t);
    return x ? __atomic_load_n(&x->root->host_held, __ATOMIC_ACQUIRE) : 0;
}

void falco_table_rdlock(falco_table *t) {
    falco__xtable *x = owned(t);
    if (x)
        rd(x);
}

void falco_table_wrlock(falco_table *t) {
    falco__xtable *x = owned(t);
    if (x)
        wr(x);
}

void falco_table_unlock(falco_table *t) {
    falco__xtable *x = owned(t);
    if (x)
        un(x);
}

const falco_abi_table_input *falco_table_abi_input(falco_table *t) {
    falco__xtable *x = owned(t);
    return x ? &x->input : NULL;
}
