/* State tables, exporting side: a table declared in C over the author's
 * entry struct, checked by calling the vtables the plugin registers the way
 * libsinsp calls them (every function, the refusals, dynamic fields,
 * iteration with early stop, the release discipline), and served through a
 * host session to a second SDK plugin that imports it; nested tables (each
 * entry its own, one shared layout). Also the thread-safe
 * mode (the owner's worker thread against host reads; run under TSan by
 * scripts/test) and the declaration checks. Plugins compiled into this
 * binary (FALCO_PLUGIN_STATIC). */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "static_test.h"

#define META(n) .name = n, .version = "1.0.0", .contact = "t@example.com", .description = "table export test"

typedef struct {
    uint64_t count;
    char *name;
    bool flag;
    int32_t secret;
    int8_t small;
} te_entry;

typedef struct {
    falco_table *counts, *names;
} te_state;

static const falco_table_column te_columns[] = {
    FALCO_TABLE_COLUMN(te_entry, count, "count", FALCO_TABLE_U64),
    FALCO_TABLE_COLUMN(te_entry, name, "name", FALCO_TABLE_STRING),
    FALCO_TABLE_COLUMN(te_entry, flag, "flag", FALCO_TABLE_BOOL, .access = FALCO_TABLE_READONLY),
    FALCO_TABLE_COLUMN(te_entry, secret, "secret", FALCO_TABLE_I32, .access = FALCO_TABLE_PRIVATE),
    FALCO_TABLE_COLUMN(te_entry, small, "small", FALCO_TABLE_I8),
};
typedef struct {
    int64_t n;
} tn_entry;
static const falco_table_column tn_columns[] = {
    FALCO_TABLE_COLUMN(tn_entry, n, "n", FALCO_TABLE_I64),
};
static const falco_table_export te_exports[] = {
    FALCO_TABLE_EXPORT(te_state, counts, "te_counts", FALCO_TABLE_U64, te_entry, te_columns),
    FALCO_TABLE_EXPORT(te_state, names, "te_names", FALCO_TABLE_STRING, tn_entry, tn_columns),
};

static te_state *g_te;
static falco_rc te_init(falco_plugin *p, void *state) {
    te_state *st = state;
    g_te = st;
    assert_ptr_equal(falco_table_find(p, "te_counts"), st->counts);
    for (uint64_t k = 1; k <= 3; k++) {
        te_entry *e = falco_table_emplace(st->counts, FALCO_TABLE_KEY_U64(k));
        assert_non_null(e);
        e->count = k * 10;
        e->flag = k == 2;
        e->secret = 42;
        char name[16];
        snprintf(name, sizeof name, "n%llu", (unsigned long long)k);
        assert_int_equal(falco_table_set_str(&e->name, name), FALCO_OK);
    }
    tn_entry *n = falco_table_emplace(st->names, FALCO_TABLE_KEY_STR("alpha"));
    n->n = -5;
    /* a key of another type: NULL, no crash */
    assert_null(falco_table_emplace(st->names, FALCO_TABLE_KEY_U64(1)));
    return FALCO_OK;
}
static falco_rc noop_parse(falco_parse *ps, void *state, const falco_event *ev) {
    (void)ps, (void)state, (void)ev;
    return FALCO_OK;
}
FALCO_PLUGIN(te, META("te"), .state_size = sizeof(te_state), .init = te_init,
             .tables_export = FALCO_TABLE_EXPORTS(te_exports));
FALCO_PARSE(te, .parse = noop_parse);

/* ---- calling the registered vtables as libsinsp does ---- */

static falco_abi_table_input g_added[4];
static int g_nadded;
static falco_abi_rc fake_add_table(falco_abi_owner_t *o, const falco_abi_table_input *in) {
    (void)o;
    g_added[g_nadded++] = *in;
    return FALCO_ABI_RC_SUCCESS;
}
static falco_abi_table_info *fake_list(falco_abi_owner_t *o, uint32_t *n) {
    (void)o;
    static falco_abi_table_info none[1];
    *n = 0;
    return none;
}
static falco_abi_table_t *fake_get(falco_abi_owner_t *o, const char *name, falco_abi_state_type k) {
    (void)o, (void)name, (void)k;
    return NULL;
}
/* The init input's vtables are only checked for completeness here (the
 * exporter imports nothing): any non-NULL functions do. */
static const falco_abi_table_fieldinfo *d_list(falco_abi_table_t *t, uint32_t *n) {
    (void)t;
    *n = 0;
    return NULL;
}
static falco_abi_table_field_t *d_field(falco_abi_table_t *t, const char *n, falco_abi_state_type k) {
    (void)t, (void)n, (void)k;
    return NULL;
}
static const char *d_name(falco_abi_table_t *t) {
    (void)t;
    return "";
}
static uint64_t d_size(falco_abi_table_t *t) {
    (void)t;
    return 0;
}
static falco_abi_table_entry_t *d_get(falco_abi_table_t *t, const falco_abi_state_data *k) {
    (void)t, (void)k;
    return NULL;
}
static falco_abi_rc d_read(falco_abi_table_t *t, falco_abi_table_entry_t *e, const falco_abi_table_field_t *f,
                           falco_abi_state_data *o) {
    (void)t, (void)e, (void)f, (void)o;
    return FALCO_ABI_RC_FAILURE;
}
static void d_rel(falco_abi_table_t *t, falco_abi_table_entry_t *e) {
    (void)t, (void)e;
}
static falco_abi_bool d_iter(falco_abi_table_t *t, falco_abi_table_iterator_func_t f,
                             falco_abi_table_iterator_state_t *s) {
    (void)t, (void)f, (void)s;
    return 1;
}
static falco_abi_rc d_clear(falco_abi_table_t *t) {
    (void)t;
    return FALCO_ABI_RC_FAILURE;
}
static falco_abi_rc d_erase(falco_abi_table_t *t, const falco_abi_state_data *k) {
    (void)t, (void)k;
    return FALCO_ABI_RC_FAILURE;
}
static falco_abi_table_entry_t *d_create(falco_abi_table_t *t) {
    (void)t;
    return NULL;
}
static falco_abi_table_entry_t *d_add(falco_abi_table_t *t, const falco_abi_state_data *k,
                                      falco_abi_table_entry_t *e) {
    (void)t, (void)k, (void)e;
    return NULL;
}
static falco_abi_rc d_write(falco_abi_table_t *t, falco_abi_table_entry_t *e, const falco_abi_table_field_t *f,
                            const falco_abi_state_data *i) {
    (void)t, (void)e, (void)f, (void)i;
    return FALCO_ABI_RC_FAILURE;
}
static falco_abi_table_fields_vtable_ext g_fx = {d_list, d_field, d_field};
static falco_abi_table_reader_vtable_ext g_rx = {d_name, d_size, d_get, d_read, d_rel, d_iter};
static falco_abi_table_writer_vtable_ext g_wx = {d_clear, d_erase, d_create, d_rel, d_add, d_write};
static const falco_abi_init_tables_input g_tin = {.list_tables = fake_list, .get_table = fake_get,
                                                  .add_table = fake_add_table, .fields_ext = &g_fx,
                                                  .reader_ext = &g_rx, .writer_ext = &g_wx};

static bool stop_after_two(falco_abi_table_iterator_state_t *s, falco_abi_table_entry_t *e) {
    (void)e;
    return ++*(int *)s < 2;
}
static falco_abi_bool stop_after_two_abi(falco_abi_table_iterator_state_t *s, falco_abi_table_entry_t *e) {
    return stop_after_two(s, e) ? 1 : 0;
}
static falco_abi_bool visit_all(falco_abi_table_iterator_state_t *s, falco_abi_table_entry_t *e) {
    (void)e;
    ++*(int *)s;
    return 1;
}

/* The plugin of get initialized with the host tables above (g_added from 0);
 * *api its functions. */
static falco_abi_plugin_t *init_with_tables(void (*get)(falco_abi_plugin_api *), falco_abi_plugin_api *api) {
    get(api);
    g_nadded = 0;
    falco_abi_init_input in = {.config = "", .tables = &g_tin};
    falco_abi_rc rc;
    falco_abi_plugin_t *s = api->init(&in, &rc);
    assert_int_equal(rc, FALCO_ABI_RC_SUCCESS);
    return s;
}

static void test_export_vtables(void **state) {
    (void)state;
    falco_abi_plugin_api api;
    falco_abi_plugin_t *s = init_with_tables(falco_plugin_api_te, &api);
    /* exported tables alone: plugin API 3.1 (hosts before it never release
     * nor iterate entries) */
    assert_string_equal(api.get_required_api_version(), "3.1.0");
    assert_int_equal(g_nadded, 2);
    const falco_abi_table_input *ti = &g_added[0];
    assert_string_equal(ti->name, "te_counts");
    assert_int_equal(ti->key_type, FALCO_ABI_ST_UINT64);
    assert_int_equal(g_added[1].key_type, FALCO_ABI_ST_STRING);
    /* every deprecated function equals its _ext twin, as libsinsp checks */
    assert_memory_equal(&ti->reader, ti->reader_ext, sizeof ti->reader);
    assert_memory_equal(&ti->writer, ti->writer_ext, sizeof ti->writer);
    assert_memory_equal(&ti->fields, ti->fields_ext, sizeof ti->fields);
    const falco_abi_table_reader_vtable_ext *r = ti->reader_ext;
    const falco_abi_table_writer_vtable_ext *w = ti->writer_ext;
    const falco_abi_table_fields_vtable_ext *f = ti->fields_ext;
    falco_abi_table_t *t = ti->table;

    assert_string_equal(r->get_table_name(t), "te_counts");
    assert_int_equal(r->get_table_size(t), 3);

    /* fields: the private one is not listed nor reachable */
    uint32_t nf = 0;
    const falco_abi_table_fieldinfo *info = f->list_table_fields(t, &nf);
    assert_int_equal(nf, 4);
    assert_string_equal(info[0].name, "count");
    assert_int_equal(info[0].field_type, FALCO_ABI_ST_UINT64);
    assert_string_equal(info[2].name, "flag");
    assert_true(info[2].read_only);
    assert_false(info[1].read_only);
    falco_abi_table_field_t *fcount = f->get_table_field(t, "count", FALCO_ABI_ST_UINT64);
    falco_abi_table_field_t *fname = f->get_table_field(t, "name", FALCO_ABI_ST_STRING);
    falco_abi_table_field_t *fflag = f->get_table_field(t, "flag", FALCO_ABI_ST_BOOL);
    falco_abi_table_field_t *fsmall = f->get_table_field(t, "small", FALCO_ABI_ST_INT8);
    assert_non_null(fcount);
    assert_non_null(fname);
    assert_non_null(fflag);
    assert_non_null(fsmall);
    assert_null(f->get_table_field(t, "secret", FALCO_ABI_ST_INT32));
    assert_string_equal(api.get_last_error(s), "table 'te_counts': get_table_field: no field 'secret'");
    assert_null(f->get_table_field(t, "count", FALCO_ABI_ST_STRING));
    assert_string_equal(api.get_last_error(s),
                        "table 'te_counts': get_table_field: field 'count' has type uint64, requested string");

    /* entries: get, read, write, release */
    falco_abi_state_data k = {.u64 = 2}, v = {0};
    falco_abi_table_entry_t *e = r->get_table_entry(t, &k);
    assert_non_null(e);
    assert_int_equal(r->read_entry_field(t, e, fcount, &v), FALCO_ABI_RC_SUCCESS);
    assert_int_equal(v.u64, 20);
    assert_int_equal(r->read_entry_field(t, e, fname, &v), FALCO_ABI_RC_SUCCESS);
    assert_string_equal(v.str, "n2");
    assert_int_equal(r->read_entry_field(t, e, fflag, &v), FALCO_ABI_RC_SUCCESS);
    assert_int_equal(v.b, 1);
    v.u64 = 99;
    assert_int_equal(w->write_entry_field(t, e, fcount, &v), FALCO_ABI_RC_SUCCESS);
    v.str = "renamed";
    assert_int_equal(w->write_entry_field(t, e, fname, &v), FALCO_ABI_RC_SUCCESS);
    v.s8 = -3;
    assert_int_equal(w->write_entry_field(t, e, fsmall, &v), FALCO_ABI_RC_SUCCESS);
    /* a write through a read-only field: refused, named */
    v.b = 0;
    assert_int_equal(w->write_entry_field(t, e, fflag, &v), FALCO_ABI_RC_FAILURE);
    assert_string_equal(api.get_last_error(s), "table 'te_counts': write_entry_field: field 'flag' is read-only");
    /* a field of another table: refused */
    falco_abi_table_field_t *other = g_added[1].fields_ext->get_table_field(g_added[1].table, "n", FALCO_ABI_ST_INT64);
    assert_non_null(other);
    assert_int_equal(r->read_entry_field(t, e, other, &v), FALCO_ABI_RC_FAILURE);
    assert_string_equal(api.get_last_error(s), "table 'te_counts': read_entry_field: not a field of this table");
    /* the owner sees the host's writes in its own struct */
    te_state *st = NULL;
    {
        /* the state of a static plugin: the SDK handle is s */
        st = falco_plugin_state(s);
        te_entry *own = falco_table_lookup(st->counts, FALCO_TABLE_KEY_U64(2));
        assert_non_null(own);
        assert_int_equal(own->count, 99);
        assert_string_equal(own->name, "renamed");
        assert_int_equal(own->small, -3);
        assert_int_equal(own->secret, 42);
        assert_true(own->flag);
    }
    assert_int_equal(falco_table_host_held(st->counts), 1);
    /* the input the SDK registered is the table's own */
    assert_ptr_equal(falco_table_abi_input(st->counts)->table, t);
    assert_ptr_equal(falco_table_abi_input(st->counts)->reader_ext, r);
    r->release_table_entry(t, e);
    assert_int_equal(falco_table_host_held(st->counts), 0);

    /* a missing entry */
    k.u64 = 77;
    assert_null(r->get_table_entry(t, &k));
    assert_string_equal(api.get_last_error(s), "table 'te_counts': get_table_entry: no entry for this key");
    assert_int_equal(w->erase_table_entry(t, &k), FALCO_ABI_RC_FAILURE);

    /* dynamic fields: typed, per entry; the same name and type is the same
     * field; another type is refused naming both; static names too */
    falco_abi_table_field_t *dyn = f->add_table_field(t, "other.seen", FALCO_ABI_ST_UINT32);
    assert_non_null(dyn);
    assert_ptr_equal(f->add_table_field(t, "other.seen", FALCO_ABI_ST_UINT32), dyn);
    assert_ptr_equal(f->get_table_field(t, "other.seen", FALCO_ABI_ST_UINT32), dyn);
    assert_null(f->add_table_field(t, "other.seen", FALCO_ABI_ST_STRING));
    assert_string_equal(api.get_last_error(s),
                        "table 'te_counts': add_table_field: field 'other.seen' already has type uint32, requested "
                        "string");
    assert_null(f->add_table_field(t, "count", FALCO_ABI_ST_INT64));
    falco_abi_table_field_t *dyns = f->add_table_field(t, "other.tag", FALCO_ABI_ST_STRING);
    assert_non_null(dyns);
    info = f->list_table_fields(t, &nf);
    assert_int_equal(nf, 6);
    assert_string_equal(info[4].name, "other.seen");
    k.u64 = 1;
    e = r->get_table_entry(t, &k);
    assert_int_equal(r->read_entry_field(t, e, dyn, &v), FALCO_ABI_RC_SUCCESS);
    assert_int_equal(v.u32, 0); /* never written: zero */
    assert_int_equal(r->read_entry_field(t, e, dyns, &v), FALCO_ABI_RC_SUCCESS);
    assert_string_equal(v.str, "");
    v.u32 = 7;
    assert_int_equal(w->write_entry_field(t, e, dyn, &v), FALCO_ABI_RC_SUCCESS);
    v.str = "tagged";
    assert_int_equal(w->write_entry_field(t, e, dyns, &v), FALCO_ABI_RC_SUCCESS);
    assert_int_equal(r->read_entry_field(t, e, dyn, &v), FALCO_ABI_RC_SUCCESS);
    assert_int_equal(v.u32, 7);
    assert_int_equal(r->read_entry_field(t, e, dyns, &v), FALCO_ABI_RC_SUCCESS);
    assert_string_equal(v.str, "tagged");
    r->release_table_entry(t, e);
    k.u64 = 3;
    e = r->get_table_entry(t, &k);
    assert_int_equal(r->read_entry_field(t, e, dyn, &v), FALCO_ABI_RC_SUCCESS);
    assert_int_equal(v.u32, 0); /* per entry */
    r->release_table_entry(t, e);

    /* create, add (replacing an existing key), destroy */
    falco_abi_table_entry_t *c = w->create_table_entry(t);
    assert_non_null(c);
    v.u64 = 5;
    assert_int_equal(w->write_entry_field(t, c, fcount, &v), FALCO_ABI_RC_SUCCESS);
    k.u64 = 50;
    falco_abi_table_entry_t *added = w->add_table_entry(t, &k, c);
    assert_ptr_equal(added, c);
    assert_null(w->add_table_entry(t, &k, c)); /* twice: refused */
    assert_int_equal(r->get_table_size(t), 4);
    r->release_table_entry(t, added);
    c = w->create_table_entry(t);
    w->destroy_table_entry(t, c);
    assert_int_equal(falco_table_host_held(st->counts), 0);
    te_entry *own50 = falco_table_lookup(st->counts, FALCO_TABLE_KEY_U64(50));
    assert_non_null(own50);
    assert_int_equal(own50->count, 5);

    /* iteration, with early stop and complete */
    int visits = 0;
    assert_int_equal(r->iterate_entries(t, stop_after_two_abi, &visits), 0);
    assert_int_equal(visits, 2);
    visits = 0;
    assert_int_equal(r->iterate_entries(t, visit_all, &visits), 1);
    assert_int_equal(visits, 4);

    /* erase an entry the host still holds: it stays readable until released */
    k.u64 = 50;
    e = r->get_table_entry(t, &k);
    assert_int_equal(w->erase_table_entry(t, &k), FALCO_ABI_RC_SUCCESS);
    assert_null(falco_table_lookup(st->counts, FALCO_TABLE_KEY_U64(50)));
    assert_int_equal(r->read_entry_field(t, e, fcount, &v), FALCO_ABI_RC_SUCCESS);
    assert_int_equal(v.u64, 5);
    r->release_table_entry(t, e);
    assert_int_equal(r->get_table_size(t), 3);

    /* the string-keyed table */
    const falco_abi_table_input *tn = &g_added[1];
    falco_abi_state_data sk = {.str = "alpha"};
    e = tn->reader_ext->get_table_entry(tn->table, &sk);
    assert_non_null(e);
    assert_int_equal(tn->reader_ext->read_entry_field(tn->table, e, other, &v), FALCO_ABI_RC_SUCCESS);
    assert_int_equal(v.s64, -5);
    tn->reader_ext->release_table_entry(tn->table, e);

    /* clear */
    assert_int_equal(w->clear_table(t), FALCO_ABI_RC_SUCCESS);
    assert_int_equal(r->get_table_size(t), 0);
    assert_int_equal(falco_table_count(st->counts), 0);
    assert_int_equal(falco_table_host_held(st->counts), 0);
    api.destroy(s);
}

/* ---- served through a session to an importing SDK plugin ---- */
typedef struct {
    falco_table *counts;
    falco_table_field *count, *name, *flag, *extra;
} tj_state;
static const falco_table_field_import tj_fields[] = {
    FALCO_TABLE_FIELD(tj_state, count, "count", FALCO_TABLE_U64),
    FALCO_TABLE_FIELD(tj_state, name, "name", FALCO_TABLE_STRING),
    FALCO_TABLE_FIELD(tj_state, flag, "flag", FALCO_TABLE_BOOL),
    FALCO_TABLE_FIELD(tj_state, extra, "tj.extra", FALCO_TABLE_U32, .add = true),
};
static const falco_table_import tj_imports[] = {
    FALCO_TABLE_IMPORT(tj_state, counts, "te_counts", FALCO_TABLE_U64, tj_fields),
};
static char g_tj_log[2048];
static falco_rc tj_init(falco_plugin *p, void *state) {
    tj_state *st = state;
    char *log = g_tj_log;
#define LOG(...) snprintf(log + strlen(log), sizeof g_tj_log - strlen(log), __VA_ARGS__)
    g_tj_log[0] = 0;
    uint64_t n = 0;
    FALCO_TRY(falco_table_size(p, st->counts, &n));
    LOG("size=%llu ", (unsigned long long)n);
    falco_table_entry *e;
    FALCO_TRY(falco_table_get_entry(p, st->counts, FALCO_TABLE_KEY_U64(3), &e));
    uint64_t c = 0;
    const char *name = NULL;
    bool flag = true;
    FALCO_TRY(falco_table_read_u64(p, st->counts, e, st->count, &c));
    FALCO_TRY(falco_table_read_str(p, st->counts, e, st->name, &name));
    FALCO_TRY(falco_table_read_bool(p, st->counts, e, st->flag, &flag));
    LOG("count=%llu name=%s flag=%d ", (unsigned long long)c, name, flag);
    FALCO_TRY(falco_table_write_u64(p, st->counts, e, st->count, c + 1));
    FALCO_TRY(falco_table_write_u32(p, st->counts, e, st->extra, 9));
    falco_rc rc = falco_table_write_bool(p, st->counts, e, st->flag, false);
    LOG("write_ro=%s [%s] ", falco_rc_name(rc), falco_plugin_last_error(p));
    rc = falco_table_read_str(p, st->counts, e, st->count, &name);
    LOG("wrong_type=%s [%s] ", falco_rc_name(rc), falco_plugin_last_error(p));
    falco_table_release(p, st->counts, e);
    rc = falco_table_get_entry(p, st->counts, FALCO_TABLE_KEY_U64(1000), &e);
    LOG("missing=%s [%s] ", falco_rc_name(rc), falco_plugin_last_error(p));
    /* the writer side through the SDK: create, fill, add, erase, clear */
    FALCO_TRY(falco_table_create_entry(p, st->counts, &e));
    FALCO_TRY(falco_table_write_str(p, st->counts, e, st->name, "made"));
    falco_table_entry *added;
    FALCO_TRY(falco_table_add_entry(p, st->counts, FALCO_TABLE_KEY_U64(9), e, &added));
    FALCO_TRY(falco_table_read_str(p, st->counts, added, st->name, &name));
    FALCO_TRY(falco_table_size(p, st->counts, &n));
    LOG("added=%s size=%llu ", name, (unsigned long long)n);
    falco_table_release(p, st->counts, added);
    FALCO_TRY(falco_table_erase(p, st->counts, FALCO_TABLE_KEY_U64(9)));
    rc = falco_table_erase(p, st->counts, FALCO_TABLE_KEY_U64(9));
    LOG("erase_again=%s ", falco_rc_name(rc));
    rc = falco_table_erase(p, st->counts, FALCO_TABLE_KEY_I64(1));
    LOG("erase_i64=%s ", falco_rc_name(rc));
    FALCO_TRY(falco_table_create_entry(p, st->counts, &e));
    falco_table_destroy_entry(p, st->counts, e);
    FALCO_TRY(falco_table_get_entry(p, st->counts, FALCO_TABLE_KEY_U64(3), &e));
    uint32_t extra = 0;
    FALCO_TRY(falco_table_read_u32(p, st->counts, e, st->extra, &extra));
    FALCO_TRY(falco_table_read_u64(p, st->counts, e, st->count, &c));
    LOG("extra=%u count=%llu ", extra, (unsigned long long)c);
    falco_table_release(p, st->counts, e);
    FALCO_TRY(falco_table_clear(p, st->counts));
    FALCO_TRY(falco_table_size(p, st->counts, &n));
    LOG("cleared=%llu ", (unsigned long long)n);
    LOG("held=%llu", (unsigned long long)falco_table_entries_held(p));
    /* every entry the host got from the exporter was released through it */
    LOG(" exporter_held=%llu", (unsigned long long)falco_table_host_held(g_te->counts));
    return FALCO_OK;
}
FALCO_PLUGIN(tj, META("tj"), .state_size = sizeof(tj_state), .init = tj_init,
             .tables_import = FALCO_TABLE_IMPORTS(tj_imports));
FALCO_PARSE(tj, .parse = noop_parse);

/* A session with the exporter of get_exp initialized in it and the importer
 * of get_imp loaded, not yet initialized (the caller does, to see it fail
 * or pass); the caller frees both after the session. */
static falco_host_session *exporter_session(void (*get_exp)(falco_abi_plugin_api *), const char *exp_label,
                                            void (*get_imp)(falco_abi_plugin_api *), const char *imp_label,
                                            falco_host_plugin **exp, falco_host_plugin **imp) {
    falco_host_session *s;
    assert_int_equal(falco_host_session_new(0, &s), FALCO_OK);
    *exp = sdkt_load_api(get_exp, exp_label);
    *imp = sdkt_load_api(get_imp, imp_label);
    if (falco_host_session_init(s, *exp, "") != FALCO_OK)
        fail_msg("%s", falco_host_session_errmsg(s));
    return s;
}

static void test_export_to_importer(void **state) {
    (void)state;
    falco_host_plugin *exp, *imp;
    falco_host_session *s = exporter_session(falco_plugin_api_te, "te", falco_plugin_api_tj, "tj", &exp, &imp);
    if (falco_host_session_init(s, imp, "") != FALCO_OK)
        fail_msg("%s", falco_host_session_errmsg(s));
    assert_string_equal(g_tj_log,
                        "size=3 count=30 name=n3 flag=0 "
                        "write_ro=FALCO_ERROR [table 'te_counts': writing field 'flag' failed: table 'te_counts' of "
                        "plugin 'te': write_entry_field failed: table 'te_counts': write_entry_field: field 'flag' "
                        "is read-only] "
                        "wrong_type=FALCO_ETYPE [table 'te_counts': field 'count' is uint64, read as string] "
                        "missing=FALCO_ENOTFOUND [table 'te_counts': no entry for this key] "
                        "added=made size=4 erase_again=FALCO_ENOTFOUND erase_i64=FALCO_ETYPE extra=9 count=31 "
                        "cleared=0 held=0 exporter_held=0");
    assert_int_equal(falco_host_session_entries_held(s), 0);
    /* the exporter's table is in the session's registry */
    falco_abi_state_type kt;
    uint64_t size;
    assert_string_equal(falco_host_session_table(s, 1, &kt, &size), "te_counts");
    assert_int_equal(kt, FALCO_ABI_ST_UINT64);
    falco_host_session_free(s);
    falco_host_plugin_free(imp);
    falco_host_plugin_free(exp);
}

/* ---- thread-safe mode: the owner's worker against host reads ---- */
typedef struct {
    uint64_t a, b; /* always equal under the lock */
    char *s;       /* replaced by the worker: the host reads copies */
} ts_entry;
typedef struct {
    falco_table *t;
} ts_state;
static const falco_table_column ts_columns[] = {
    FALCO_TABLE_COLUMN(ts_entry, a, "a", FALCO_TABLE_U64),
    FALCO_TABLE_COLUMN(ts_entry, b, "b", FALCO_TABLE_U64),
    FALCO_TABLE_COLUMN(ts_entry, s, "s", FALCO_TABLE_STRING),
};
static const falco_table_export ts_exports[] = {
    FALCO_TABLE_EXPORT(ts_state, t, "ts_table", FALCO_TABLE_I32, ts_entry, ts_columns, .thread_safe = true),
};
FALCO_PLUGIN(tts, META("tts"), .state_size = sizeof(ts_state), .tables_export = FALCO_TABLE_EXPORTS(ts_exports));
FALCO_PARSE(tts, .parse = noop_parse);

static void *ts_worker(void *arg) {
    falco_table *t = arg;
    for (int i = 0; i < 20000; i++) {
        falco_table_wrlock(t);
        ts_entry *e = falco_table_emplace(t, FALCO_TABLE_KEY_I32(i % 64));
        e->a++;
        e->b++;
        falco_table_set_str(&e->s, i % 2 ? "odd" : "even");
        if (i % 97 == 0) /* one key in 64 goes, and comes back at its next turn */
            falco_table_remove(t, FALCO_TABLE_KEY_I32((i / 97) % 64));
        falco_table_unlock(t);
    }
    return NULL;
}

static void test_export_thread_safe(void **state) {
    (void)state;
    falco_abi_plugin_api api;
    falco_abi_plugin_t *s = init_with_tables(falco_plugin_api_tts, &api);
    ts_state *st = falco_plugin_state(s);
    const falco_abi_table_input *ti = &g_added[0];
    falco_abi_table_field_t *fa = ti->fields_ext->get_table_field(ti->table, "a", FALCO_ABI_ST_UINT64);
    falco_abi_table_field_t *fb = ti->fields_ext->get_table_field(ti->table, "b", FALCO_ABI_ST_UINT64);
    falco_abi_table_field_t *fs = ti->fields_ext->get_table_field(ti->table, "s", FALCO_ABI_ST_STRING);
    for (int i = 0; i < 64; i++) /* present before the worker starts: reads find entries */
        assert_non_null(falco_table_emplace(st->t, FALCO_TABLE_KEY_I32(i)));
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, ts_worker, st->t), 0);
    uint64_t reads = 0, mismatches = 0;
    for (int i = 0; i < 20000; i++) {
        falco_abi_state_data k = {.s32 = i % 64}, va, vb;
        falco_abi_table_entry_t *e = ti->reader_ext->get_table_entry(ti->table, &k);
        (void)ti->reader_ext->get_table_size(ti->table);
        if (!e)
            continue;
        /* a and b are read under two separate read locks: the worker may
         * step between them, so only check that each read is whole */
        assert_int_equal(ti->reader_ext->read_entry_field(ti->table, e, fa, &va), FALCO_ABI_RC_SUCCESS);
        assert_int_equal(ti->reader_ext->read_entry_field(ti->table, e, fb, &vb), FALCO_ABI_RC_SUCCESS);
        mismatches += vb.u64 + 1 < va.u64;
        falco_abi_state_data vs;
        assert_int_equal(ti->reader_ext->read_entry_field(ti->table, e, fs, &vs), FALCO_ABI_RC_SUCCESS);
        mismatches += strcmp(vs.str, "odd") != 0 && strcmp(vs.str, "even") != 0 && vs.str[0] != 0;
        reads++;
        ti->reader_ext->release_table_entry(ti->table, e);
    }
    pthread_join(th, NULL);
    assert_true(reads > 10000); /* most keys are there at any time */
    assert_int_equal(mismatches, 0);
    assert_int_equal(falco_table_host_held(st->t), 0);
    api.destroy(s);
}

/* ---- nested tables: each entry has its own, with a shared layout ---- */
typedef struct {
    char *path;
    uint32_t flags;
} nfd;
typedef struct {
    char *name;
    falco_table *fds;
} nproc;
typedef struct {
    falco_table *procs;
} nest_state;
static const falco_table_column nfd_columns[] = {
    FALCO_TABLE_COLUMN(nfd, path, "path", FALCO_TABLE_STRING),
    FALCO_TABLE_COLUMN(nfd, flags, "flags", FALCO_TABLE_U32),
};
static const falco_table_export nfd_layout = {
    .key_type = FALCO_TABLE_I64, .entry_size = sizeof(nfd), .columns = FALCO_LIST(nfd_columns)};
static const falco_table_column nproc_columns[] = {
    FALCO_TABLE_COLUMN(nproc, name, "name", FALCO_TABLE_STRING),
    FALCO_TABLE_COLUMN_NESTED(nproc, fds, "fds", &nfd_layout),
};
static const falco_table_export nest_exports[] = {
    FALCO_TABLE_EXPORT(nest_state, procs, "nest_procs", FALCO_TABLE_I64, nproc, nproc_columns),
};
static falco_rc nest_init(falco_plugin *p, void *state) {
    (void)p;
    nest_state *st = state;
    for (int64_t tid = 1; tid <= 2; tid++) {
        nproc *pr = falco_table_emplace(st->procs, FALCO_TABLE_KEY_I64(tid));
        assert_non_null(pr);
        assert_non_null(pr->fds); /* made with the entry */
        assert_int_equal(falco_table_set_str(&pr->name, tid == 1 ? "init" : "two"), FALCO_OK);
        nfd *f = falco_table_emplace(pr->fds, FALCO_TABLE_KEY_I64(3));
        f->flags = (uint32_t)tid;
        assert_int_equal(falco_table_set_str(&f->path, tid == 1 ? "/dev/null" : "/tmp/x"), FALCO_OK);
    }
    return FALCO_OK;
}
FALCO_PLUGIN(tnest, META("tnest"), .state_size = sizeof(nest_state), .init = nest_init,
             .tables_export = FALCO_TABLE_EXPORTS(nest_exports));
FALCO_PARSE(tnest, .parse = noop_parse);

static void test_export_nested_vtables(void **state) {
    (void)state;
    falco_abi_plugin_api api;
    falco_abi_plugin_t *s = init_with_tables(falco_plugin_api_tnest, &api);
    assert_string_equal(api.get_required_api_version(), "3.5.0"); /* subtables */
    const falco_abi_table_input *ti = &g_added[0];
    const falco_abi_table_reader_vtable_ext *r = ti->reader_ext;
    const falco_abi_table_writer_vtable_ext *w = ti->writer_ext;
    const falco_abi_table_fields_vtable_ext *f = ti->fields_ext;
    uint32_t nf;
    const falco_abi_table_fieldinfo *info = f->list_table_fields(ti->table, &nf);
    assert_int_equal(nf, 2);
    assert_string_equal(info[1].name, "fds");
    assert_int_equal(info[1].field_type, FALCO_ABI_ST_TABLE);
    assert_true(info[1].read_only);
    falco_abi_table_field_t *ffds = f->get_table_field(ti->table, "fds", FALCO_ABI_ST_TABLE);
    assert_non_null(ffds);

    /* reading the field yields the entry's own nested table, as a table
     * input (what libsinsp reads subtables of plugin tables as) */
    falco_abi_state_data k = {.s64 = 1}, v;
    falco_abi_table_entry_t *e1 = r->get_table_entry(ti->table, &k);
    assert_int_equal(r->read_entry_field(ti->table, e1, ffds, &v), FALCO_ABI_RC_SUCCESS);
    const falco_abi_table_input *sub1 = v.table;
    assert_string_equal(sub1->name, "fds");
    assert_int_equal(sub1->key_type, FALCO_ABI_ST_INT64);
    assert_memory_equal(&sub1->reader, sub1->reader_ext, sizeof sub1->reader);
    k.s64 = 2;
    falco_abi_table_entry_t *e2 = r->get_table_entry(ti->table, &k);
    assert_int_equal(r->read_entry_field(ti->table, e2, ffds, &v), FALCO_ABI_RC_SUCCESS);
    const falco_abi_table_input *sub2 = v.table;
    assert_ptr_not_equal(sub1->table, sub2->table);
    /* the nested layout's fields are shared by all its tables */
    falco_abi_table_field_t *fpath = sub1->fields_ext->get_table_field(sub1->table, "path", FALCO_ABI_ST_STRING);
    assert_ptr_equal(sub2->fields_ext->get_table_field(sub2->table, "path", FALCO_ABI_ST_STRING), fpath);
    falco_abi_table_field_t *ftag = sub1->fields_ext->add_table_field(sub1->table, "x.tag", FALCO_ABI_ST_UINT16);
    assert_non_null(ftag);
    assert_ptr_equal(sub2->fields_ext->get_table_field(sub2->table, "x.tag", FALCO_ABI_ST_UINT16), ftag);
    /* a parent field on the nested table, and the other way: refused */
    falco_abi_state_data fk = {.s64 = 3};
    falco_abi_table_entry_t *fe = sub2->reader_ext->get_table_entry(sub2->table, &fk);
    assert_non_null(fe);
    assert_int_equal(sub2->reader_ext->read_entry_field(sub2->table, fe, ffds, &v), FALCO_ABI_RC_FAILURE);
    assert_string_equal(api.get_last_error(s), "table 'fds': read_entry_field: not a field of this table");
    assert_int_equal(r->read_entry_field(ti->table, e2, fpath, &v), FALCO_ABI_RC_FAILURE);
    assert_int_equal(sub2->reader_ext->read_entry_field(sub2->table, fe, fpath, &v), FALCO_ABI_RC_SUCCESS);
    assert_string_equal(v.str, "/tmp/x");
    /* an entry of another nested table: refused */
    assert_int_equal(sub1->reader_ext->read_entry_field(sub1->table, fe, fpath, &v), FALCO_ABI_RC_FAILURE);
    v.u16 = 7;
    assert_int_equal(sub2->writer_ext->write_entry_field(sub2->table, fe, ftag, &v), FALCO_ABI_RC_SUCCESS);
    sub2->reader_ext->release_table_entry(sub2->table, fe);
    /* the table field itself cannot be written */
    v.table = NULL;
    assert_int_equal(w->write_entry_field(ti->table, e1, ffds, &v), FALCO_ABI_RC_FAILURE);
    assert_string_equal(api.get_last_error(s), "table 'nest_procs': write_entry_field: field 'fds' is read-only");
    r->release_table_entry(ti->table, e1);
    r->release_table_entry(ti->table, e2);

    /* a created entry comes with its own empty nested table */
    falco_abi_table_entry_t *c = w->create_table_entry(ti->table);
    assert_int_equal(r->read_entry_field(ti->table, c, ffds, &v), FALCO_ABI_RC_SUCCESS);
    const falco_abi_table_input *sub3 = v.table;
    assert_int_equal(sub3->reader_ext->get_table_size(sub3->table), 0);
    falco_abi_table_entry_t *nc = sub3->writer_ext->create_table_entry(sub3->table);
    fk.s64 = 9;
    sub3->reader_ext->release_table_entry(sub3->table, sub3->writer_ext->add_table_entry(sub3->table, &fk, nc));
    assert_int_equal(sub3->reader_ext->get_table_size(sub3->table), 1);
    k.s64 = 5;
    r->release_table_entry(ti->table, w->add_table_entry(ti->table, &k, c));
    nest_state *st = falco_plugin_state(s);
    nproc *p5 = falco_table_lookup(st->procs, FALCO_TABLE_KEY_I64(5));
    assert_non_null(p5);
    assert_non_null(falco_table_lookup(p5->fds, FALCO_TABLE_KEY_I64(9)));
    assert_int_equal(falco_table_host_held(st->procs), 0);
    /* erasing a process frees its nested table with it */
    assert_int_equal(w->erase_table_entry(ti->table, &k), FALCO_ABI_RC_SUCCESS);
    api.destroy(s);
}

/* An entry of a nested table the host holds keeps the entry owning that
 * table alive when the owner or the host removes it, and the last release
 * frees it (ASan and valgrind check both). */
static void test_export_nested_held_parent(void **state) {
    (void)state;
    falco_abi_plugin_api api;
    falco_abi_plugin_t *s = init_with_tables(falco_plugin_api_tnest, &api);
    const falco_abi_table_input *ti = &g_added[0];
    const falco_abi_table_reader_vtable_ext *r = ti->reader_ext;
    const falco_abi_table_writer_vtable_ext *w = ti->writer_ext;
    falco_abi_table_field_t *ffds = ti->fields_ext->get_table_field(ti->table, "fds", FALCO_ABI_ST_TABLE);
    nest_state *st = falco_plugin_state(s);

    /* the owner removes process 2 while the host holds its fd 3 */
    falco_abi_state_data k = {.s64 = 2}, fk = {.s64 = 3}, v;
    falco_abi_table_entry_t *e2 = r->get_table_entry(ti->table, &k);
    assert_int_equal(r->read_entry_field(ti->table, e2, ffds, &v), FALCO_ABI_RC_SUCCESS);
    const falco_abi_table_input *sub = v.table;
    falco_abi_table_field_t *fpath = sub->fields_ext->get_table_field(sub->table, "path", FALCO_ABI_ST_STRING);
    falco_abi_table_entry_t *fe = sub->reader_ext->get_table_entry(sub->table, &fk);
    assert_non_null(fe);
    r->release_table_entry(ti->table, e2); /* only the nested entry is held now */
    assert_int_equal(falco_table_remove(st->procs, FALCO_TABLE_KEY_I64(2)), FALCO_OK);
    assert_null(falco_table_lookup(st->procs, FALCO_TABLE_KEY_I64(2)));
    assert_int_equal(falco_table_count(st->procs), 1);
    /* the held entry and its table still work */
    assert_int_equal(sub->reader_ext->read_entry_field(sub->table, fe, fpath, &v), FALCO_ABI_RC_SUCCESS);
    assert_string_equal(v.str, "/tmp/x");
    v.str = "/tmp/y";
    assert_int_equal(sub->writer_ext->write_entry_field(sub->table, fe, fpath, &v), FALCO_ABI_RC_SUCCESS);
    assert_int_equal(sub->reader_ext->get_table_size(sub->table), 1);
    assert_int_equal(falco_table_host_held(st->procs), 1);
    sub->reader_ext->release_table_entry(sub->table, fe); /* frees process 2, its fds with it */
    assert_int_equal(falco_table_host_held(st->procs), 0);

    /* the host erases process 1 while holding its fd 3 (the parent too, released first) */
    k.s64 = 1;
    falco_abi_table_entry_t *e1 = r->get_table_entry(ti->table, &k);
    assert_int_equal(r->read_entry_field(ti->table, e1, ffds, &v), FALCO_ABI_RC_SUCCESS);
    sub = v.table;
    fe = sub->reader_ext->get_table_entry(sub->table, &fk);
    assert_int_equal(w->erase_table_entry(ti->table, &k), FALCO_ABI_RC_SUCCESS);
    r->release_table_entry(ti->table, e1); /* still pinned by fe */
    assert_int_equal(sub->reader_ext->read_entry_field(sub->table, fe, fpath, &v), FALCO_ABI_RC_SUCCESS);
    assert_string_equal(v.str, "/dev/null");
    sub->reader_ext->release_table_entry(sub->table, fe);
    assert_int_equal(falco_table_count(st->procs), 0);

    /* two levels of holds on a created entry: destroying it waits for the
     * nested entries, created ones included */
    falco_abi_table_entry_t *c = w->create_table_entry(ti->table);
    assert_int_equal(r->read_entry_field(ti->table, c, ffds, &v), FALCO_ABI_RC_SUCCESS);
    sub = v.table;
    falco_abi_table_entry_t *nc = sub->writer_ext->create_table_entry(sub->table);
    falco_abi_table_entry_t *added = sub->writer_ext->add_table_entry(sub->table, &fk, nc);
    assert_ptr_equal(added, nc);
    falco_abi_table_entry_t *n2 = sub->writer_ext->create_table_entry(sub->table);
    w->destroy_table_entry(ti->table, c); /* kept: the host holds two entries of its fds */
    assert_int_equal(falco_table_host_held(st->procs), 2);
    assert_int_equal(sub->reader_ext->get_table_size(sub->table), 1);
    sub->writer_ext->destroy_table_entry(sub->table, n2);
    assert_int_equal(sub->reader_ext->read_entry_field(sub->table, added, fpath, &v), FALCO_ABI_RC_SUCCESS);
    assert_string_equal(v.str, "");
    sub->reader_ext->release_table_entry(sub->table, added); /* frees the created process */
    assert_int_equal(falco_table_host_held(st->procs), 0);
    api.destroy(s);
}

/* The same through a host session, imported with FALCO_TABLE_NESTED. */
typedef struct {
    falco_table *procs;
    falco_table_field *name, *fds, *path, *flags;
} nimp_state;
static const falco_table_field_import nimp_fd_fields[] = {
    FALCO_TABLE_FIELD(nimp_state, path, "path", FALCO_TABLE_STRING),
    FALCO_TABLE_FIELD(nimp_state, flags, "flags", FALCO_TABLE_U32),
};
static const falco_table_field_import nimp_fields[] = {
    FALCO_TABLE_FIELD(nimp_state, name, "name", FALCO_TABLE_STRING),
    FALCO_TABLE_NESTED(nimp_state, fds, "fds", FALCO_TABLE_I64, nimp_fd_fields),
};
static const falco_table_import nimp_imports[] = {
    FALCO_TABLE_IMPORT(nimp_state, procs, "nest_procs", FALCO_TABLE_I64, nimp_fields),
};
static char g_nimp_log[512];
static char g_dump[1024];
static size_t table_index(const falco_host_session *s, const char *name) {
    size_t i = 0;
    for (const char *n; (n = falco_host_session_table(s, i, NULL, NULL)) && strcmp(n, name); i++)
        ;
    return i;
}
static void dump_line(void *userdata, const char *json, size_t len) {
    (void)userdata;
    assert_int_equal(strlen(json), len);
    snprintf(g_dump + strlen(g_dump), sizeof g_dump - strlen(g_dump), "%s\n", json);
}
static falco_rc nimp_init(falco_plugin *p, void *state) {
    nimp_state *st = state;
    g_nimp_log[0] = 0;
    for (int64_t tid = 1; tid <= 2; tid++) {
        falco_table_entry *e, *fe;
        FALCO_TRY(falco_table_get_entry(p, st->procs, FALCO_TABLE_KEY_I64(tid), &e));
        const char *name, *path;
        uint32_t flags;
        falco_table *fds;
        FALCO_TRY(falco_table_read_str(p, st->procs, e, st->name, &name));
        FALCO_TRY(falco_table_read_table(p, st->procs, e, st->fds, &fds));
        FALCO_TRY(falco_table_get_entry(p, fds, FALCO_TABLE_KEY_I64(3), &fe));
        FALCO_TRY(falco_table_read_str(p, fds, fe, st->path, &path));
        FALCO_TRY(falco_table_read_u32(p, fds, fe, st->flags, &flags));
        snprintf(g_nimp_log + strlen(g_nimp_log), sizeof g_nimp_log - strlen(g_nimp_log), "%s:%s:%u ", name,
                 path, flags);
        falco_table_release(p, fds, fe);
        falco_table_release(p, st->procs, e);
    }
    return FALCO_OK;
}
/* tnimp.procs: nest_procs' size, read while extracting */
static falco_rc nimp_procs(falco_extract *x, const falco_event *ev) {
    (void)ev;
    nimp_state *st = falco_extract_state(x);
    uint64_t n;
    FALCO_TRY(falco_table_size(falco_extract_plugin(x), st->procs, &n));
    return falco_extract_u64(x, n);
}
static const falco_field nimp_xfields[] = {
    {.name = "tnimp.procs", .type = FALCO_FIELD_U64, .desc = "procs", .extract = nimp_procs},
};
FALCO_PLUGIN(tnimp, META("tnimp"), .state_size = sizeof(nimp_state), .init = nimp_init,
             .tables_import = FALCO_TABLE_IMPORTS(nimp_imports));
FALCO_PARSE(tnimp, .parse = noop_parse);
FALCO_EXTRACT(tnimp, .fields = FALCO_LIST(nimp_xfields));

static void test_export_nested_session(void **state) {
    (void)state;
    falco_host_plugin *exp, *imp;
    falco_host_session *s =
        exporter_session(falco_plugin_api_tnest, "tnest", falco_plugin_api_tnimp, "tnimp", &exp, &imp);
    /* the host wraps the exporter's nested table inputs as libsinsp does
     * (real libsinsp runs this case in table_realhost.sh) */
    if (falco_host_session_init(s, imp, "") != FALCO_OK)
        fail_msg("%s", falco_host_session_errmsg(s));
    assert_string_equal(g_nimp_log, "init:/dev/null:1 two:/tmp/x:2 ");
    assert_int_equal(falco_host_session_entries_held(s), 0);
    /* the host's dump reads the nested tables through their inputs, key
     * type included, as libsinsp's does */
    g_dump[0] = 0;
    uint64_t size = 0;
    assert_int_equal(falco_host_session_table_entries(s, table_index(s, "nest_procs"), 10, &size, dump_line, NULL),
                     FALCO_OK);
    assert_int_equal(size, 2);
    assert_string_equal(g_dump,
                        "{\"fds\":{\"name\":\"fds\",\"key_type\":\"int64\",\"size\":1,\"entries\":[{\"flags\":2,"
                        "\"path\":\"/tmp/x\"}]},\"name\":\"two\"}\n"
                        "{\"fds\":{\"name\":\"fds\",\"key_type\":\"int64\",\"size\":1,\"entries\":[{\"flags\":1,"
                        "\"path\":\"/dev/null\"}]},\"name\":\"init\"}\n");
    falco_host_session_free(s);
    falco_host_plugin_free(imp);
    falco_host_plugin_free(exp);
}

/* An exporter whose nested table inputs are broken (tnest's, altered on
 * the way out by a shim over its read_entry_field): the host refuses them
 * with add_table's checks, naming the table and the reason, and its dump
 * shows the reason in place of the table. */
static falco_abi_plugin_api g_bn_api;
static const falco_abi_init_tables_input *g_bn_host;
static falco_abi_init_tables_input g_bn_tin;
static falco_abi_table_input g_bn_top, g_bn_sub;
static falco_abi_table_reader_vtable_ext g_bn_rx;
static const falco_abi_table_reader_vtable_ext *g_bn_orig;
static int g_bn_mode;
static const void *g_bn_last_in; /* the exporter's own input, as read last */
static falco_abi_rc bn_read(falco_abi_table_t *t, falco_abi_table_entry_t *e, const falco_abi_table_field_t *f,
                            falco_abi_state_data *out) {
    falco_abi_rc rc = g_bn_orig->read_entry_field(t, e, f, out);
    if (rc != FALCO_ABI_RC_SUCCESS || f != g_bn_top.fields_ext->get_table_field(t, "fds", FALCO_ABI_ST_TABLE))
        return rc;
    g_bn_last_in = out->table;
    g_bn_sub = *(const falco_abi_table_input *)out->table;
    switch (g_bn_mode) {
    case 1: g_bn_sub.writer_ext = NULL; break;
    case 2: g_bn_sub.reader.get_table_entry = NULL; break;
    case 3: g_bn_sub.key_type = FALCO_ABI_ST_TABLE; break;
    }
    out->table = &g_bn_sub;
    return rc;
}
static falco_abi_rc bn_add_table(falco_abi_owner_t *o, const falco_abi_table_input *in) {
    g_bn_top = *in;
    g_bn_orig = in->reader_ext;
    g_bn_rx = *in->reader_ext;
    g_bn_rx.read_entry_field = bn_read;
    g_bn_top.reader.read_entry_field = bn_read;
    g_bn_top.reader_ext = &g_bn_rx;
    return g_bn_host->add_table(o, &g_bn_top);
}
static falco_abi_plugin_t *bn_init(const falco_abi_init_input *in, falco_abi_rc *rc) {
    falco_abi_init_input in2 = *in;
    g_bn_host = in->tables;
    g_bn_tin = *in->tables;
    g_bn_tin.add_table = bn_add_table;
    in2.tables = &g_bn_tin;
    return g_bn_api.init(&in2, rc);
}
static void bn_get(falco_abi_plugin_api *api) {
    falco_plugin_api_tnest(&g_bn_api);
    *api = g_bn_api;
    api->init = bn_init;
}

/* A raw importer (tnimp with its init wrapped) calling the host's vtables
 * itself: the nested table handle the host gives routes through the
 * owner's input; when a later read of the same input fails the checks, the
 * handle kept from before is refused too, and works again once a read
 * passes them. */
static falco_abi_plugin_api g_ri_api;
static char g_ri_log[1024];
static falco_abi_plugin_t *ri_init(const falco_abi_init_input *in, falco_abi_rc *rc) {
    const falco_abi_init_tables_input *t = in->tables;
    const falco_abi_table_reader_vtable_ext *r = t->reader_ext;
    char *log = g_ri_log;
    size_t cap = sizeof g_ri_log;
#define RI_LOG(...) snprintf(log + strlen(log), cap - strlen(log), __VA_ARGS__)
    log[0] = 0;
    falco_abi_table_t *procs = t->get_table(in->owner, "nest_procs", FALCO_ABI_ST_INT64);
    falco_abi_table_field_t *ffds = t->fields_ext->get_table_field(procs, "fds", FALCO_ABI_ST_TABLE);
    falco_abi_state_data k = {.s64 = 1}, v;
    falco_abi_table_entry_t *e = r->get_table_entry(procs, &k);
    g_bn_mode = 0;
    falco_abi_rc rr = r->read_entry_field(procs, e, ffds, &v);
    falco_abi_table_t *sub = v.table;
    RI_LOG("read=%d wrapped=%d size=%llu name=%s ", (int)rr, sub != g_bn_last_in && sub != (void *)&g_bn_sub,
           (unsigned long long)r->get_table_size(sub), r->get_table_name(sub));
    g_bn_mode = 2;
    rr = r->read_entry_field(procs, e, ffds, &v);
    RI_LOG("broken=%d [%s] ", (int)rr, in->get_owner_last_error(in->owner));
    RI_LOG("kept=%llu [%s] ", (unsigned long long)r->get_table_size(sub), in->get_owner_last_error(in->owner));
    g_bn_mode = 0;
    rr = r->read_entry_field(procs, e, ffds, &v);
    RI_LOG("again=%d same=%d size=%llu", (int)rr, v.table == sub, (unsigned long long)r->get_table_size(sub));
    r->release_table_entry(procs, e);
#undef RI_LOG
    return g_ri_api.init(in, rc);
}
static void ri_get(falco_abi_plugin_api *api) {
    falco_plugin_api_tnimp(&g_ri_api);
    *api = g_ri_api;
    api->init = ri_init;
}

static void test_export_nested_kept_handle(void **state) {
    (void)state;
    g_bn_mode = 0;
    falco_host_plugin *exp, *imp;
    falco_host_session *s = exporter_session(bn_get, "tbroken", ri_get, "rawimp", &exp, &imp);
    if (falco_host_session_init(s, imp, "") != FALCO_OK)
        fail_msg("%s", falco_host_session_errmsg(s));
    assert_string_equal(
        g_ri_log,
        "read=0 wrapped=1 size=1 name=fds "
        "broken=1 [table 'nest_procs': read_entry_field: nested table 'fds' of plugin 'tnest': broken or "
        "inconsistent reader vtables (a NULL function, or the deprecated reader differs from reader_ext)] "
        "kept=18446744073709551615 [table 'nest_procs.fds': get_table_size: the owner's last input for this nested "
        "table failed the host's checks] "
        "again=0 same=1 size=1");
    assert_string_equal(g_nimp_log, "init:/dev/null:1 two:/tmp/x:2 ");
    assert_int_equal(falco_host_session_entries_held(s), 0);
    falco_host_session_free(s);
    falco_host_plugin_free(imp);
    falco_host_plugin_free(exp);
}

/* falco_host_extract_window_open: a caller that calls extract_fields
 * itself (falcoplug bench) gets the host's reader and owner in the input
 * and the extraction window on its thread, until it closes it. */
static falco_abi_plugin_api g_xw_api;
static falco_abi_plugin_t *g_xw_state;
static falco_abi_plugin_t *xw_init(const falco_abi_init_input *in, falco_abi_rc *rc) {
    return g_xw_state = g_xw_api.init(in, rc);
}
static void xw_get(falco_abi_plugin_api *api) {
    falco_plugin_api_tnimp(&g_xw_api);
    *api = g_xw_api;
    api->init = xw_init;
}

static void test_extract_window(void **state) {
    (void)state;
    falco_host_plugin *exp, *imp;
    falco_host_session *s = exporter_session(falco_plugin_api_tnest, "tnest", xw_get, "tnimp", &exp, &imp);
    if (falco_host_session_init(s, imp, "") != FALCO_OK)
        fail_msg("%s", falco_host_session_errmsg(s));
    /* a plugin event with an empty payload, as bench makes when there is no source */
    uint8_t evbuf[FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET] = {0};
    falco_abi_event hdr = {.ts = 1, .tid = UINT64_MAX, .len = sizeof evbuf, .type = FALCO_ABI_EVENT_PLUGIN,
                           .nparams = 2};
    uint32_t lens[2] = {4, 0};
    memcpy(evbuf, &hdr, sizeof hdr);
    memcpy(evbuf + sizeof hdr, lens, sizeof lens);
    falco_abi_event_input ev = {.evt = (const falco_abi_event *)evbuf, .evtnum = 1, .evtsrc = "syscall"};
    falco_abi_extract_field f = {.field_id = 0, .field = "tnimp.procs", .ftype = FALCO_ABI_FT_UINT64};
    falco_abi_field_extract_input in = {0};
    assert_int_equal(falco_host_extract_window_open(NULL, &in), FALCO_EINVAL);
    assert_int_equal(falco_host_extract_window_open(imp, &in), FALCO_OK);
    assert_non_null(in.table_reader_ext);
    assert_non_null(in.get_owner_last_error);
    in.num_fields = 1;
    in.fields = &f;
    assert_int_equal(g_xw_api.extract_fields(g_xw_state, &ev, &in), FALCO_ABI_RC_SUCCESS);
    assert_int_equal(f.res_len, 1);
    assert_int_equal(f.res.u64[0], 2);
    /* closed: the host refuses the read (a size of UINT64_MAX, the ABI's
     * failure), and the SDK fails the field */
    falco_host_extract_window_close();
    f.res_len = 0;
    assert_int_equal(g_xw_api.extract_fields(g_xw_state, &ev, &in), FALCO_ABI_RC_FAILURE);
    if (!strstr(g_xw_api.get_last_error(g_xw_state), "table 'nest_procs': get_table_size failed"))
        fail_msg("%s", g_xw_api.get_last_error(g_xw_state));
    assert_int_equal(falco_host_session_entries_held(s), 0);
    falco_host_session_free(s);
    falco_host_plugin_free(imp);
    falco_host_plugin_free(exp);
}

static void test_export_nested_broken_input(void **state) {
    (void)state;
    static const char *const why[] = {
        "",
        "table 'nest_procs': read_entry_field: nested table 'fds' of plugin 'tnest': extended vtables must all be "
        "defined (reader_ext, writer_ext, fields_ext)",
        "table 'nest_procs': read_entry_field: nested table 'fds' of plugin 'tnest': broken or inconsistent reader "
        "vtables (a NULL function, or the deprecated reader differs from reader_ext)",
        "table 'nest_procs': read_entry_field: nested table 'fds' of plugin 'tnest': unsupported key type",
    };
    for (g_bn_mode = 1; g_bn_mode <= 3; g_bn_mode++) {
        falco_host_plugin *exp, *imp;
        falco_host_session *s = exporter_session(bn_get, "tbroken", falco_plugin_api_tnimp, "tnimp", &exp, &imp);
        assert_int_not_equal(falco_host_session_init(s, imp, ""), FALCO_OK);
        if (!strstr(falco_host_session_errmsg(s), why[g_bn_mode]))
            fail_msg("mode %d: %s", g_bn_mode, falco_host_session_errmsg(s));
        g_dump[0] = 0;
        assert_int_equal(falco_host_session_table_entries(s, table_index(s, "nest_procs"), 1, NULL, dump_line, NULL), FALCO_OK);
        if (!strstr(g_dump, "{\"fds\":\"<error: nested table 'fds': "))
            fail_msg("mode %d: %s", g_bn_mode, g_dump);
        assert_int_equal(falco_host_session_entries_held(s), 0);
        falco_host_session_free(s);
        falco_host_plugin_free(imp);
        falco_host_plugin_free(exp);
    }
}

/* ---- declaration checks ---- */
typedef struct {
    uint32_t count; /* declared U64 below: refused */
} bad_entry;
typedef struct {
    falco_table *t;
} bad_state;
static const falco_table_column bad_columns[] = {
    FALCO_TABLE_COLUMN(bad_entry, count, "count", FALCO_TABLE_U64),
};
static const falco_table_export bad_exports[] = {
    FALCO_TABLE_EXPORT(bad_state, t, "bad", FALCO_TABLE_U64, bad_entry, bad_columns),
};
FALCO_PLUGIN(tbad, META("tbad"), .state_size = sizeof(bad_state), .tables_export = FALCO_TABLE_EXPORTS(bad_exports));
FALCO_PARSE(tbad, .parse = noop_parse);
/* tables without parse or extract: the host would give no tables input */
static const falco_table_column ok_columns[] = {
    FALCO_TABLE_COLUMN(te_entry, count, "count", FALCO_TABLE_U64),
};
static const falco_table_export noparse_exports[] = {
    FALCO_TABLE_EXPORT(bad_state, t, "np", FALCO_TABLE_U64, te_entry, ok_columns),
};
FALCO_PLUGIN(tnoparse, META("tnoparse"), .state_size = sizeof(bad_state),
             .tables_export = FALCO_TABLE_EXPORTS(noparse_exports));
static falco_rc noop_listen(falco_listen *l, void *state) {
    (void)l, (void)state;
    return FALCO_OK;
}
FALCO_LISTEN(tnoparse, .capture_open = noop_listen, .capture_close = noop_listen);

/* an override below what tables need */
FALCO_PLUGIN(told, META("told"), .state_size = sizeof(bad_state), .required_api_version = "3.0.0",
             .tables_export = FALCO_TABLE_EXPORTS(noparse_exports));
FALCO_PARSE(told, .parse = noop_parse);

static void test_export_decl_errors(void **state) {
    (void)state;
    char buf[1024];
    falco_abi_rc rc;
    assert_string_equal(sdkt_raw_init(falco_plugin_api_tbad, "", &rc, buf, sizeof buf),
                        "plugin 'tbad': table export 'bad': column 'count': the member is 4 bytes, a uint64 member is 8");
    assert_int_equal(rc, FALCO_ABI_RC_FAILURE);
    assert_string_equal(sdkt_raw_init(falco_plugin_api_tnoparse, "", &rc, buf, sizeof buf),
                        "plugin 'tnoparse': state tables need FALCO_PARSE or FALCO_EXTRACT (the host gives tables to "
                        "plugins that parse or extract only)");
    assert_int_equal(rc, FALCO_ABI_RC_FAILURE);
    assert_string_equal(sdkt_raw_init(falco_plugin_api_told, "", &rc, buf, sizeof buf),
                        "plugin 'told': .required_api_version 3.0.0 is below 3.1.0, which exported state tables "
                        "(hosts release and iterate entries from 3.1 on) needs");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_export_vtables),
        cmocka_unit_test(test_export_to_importer),
        cmocka_unit_test(test_export_thread_safe),
        cmocka_unit_test(test_export_nested_vtables),
        cmocka_unit_test(test_export_nested_held_parent),
        cmocka_unit_test(test_export_nested_session),
        cmocka_unit_test(test_export_nested_broken_input),
        cmocka_unit_test(test_export_nested_kept_handle),
        cmocka_unit_test(test_extract_window),
        cmocka_unit_test(test_export_decl_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
