/*
 * tabplug.c - raw-ABI plugins for the state tables tests, written by hand on
 * the ABI (no SDK), one source in two variants (TABPLUG_VARIANT):
 *
 *   1 "tabexp": exports the table "tabexp_counts" (uint64 key, one uint64
 *     field "count") implemented here with its own vtables; parse counts the
 *     events of each type into it; tabexp.count[type] reads it back. Its
 *     config (words) breaks add_table on purpose: "bad_reader" (deprecated
 *     reader differs from reader_ext), "bad_writer", "bad_fields",
 *     "null_release", "no_ext" (no reader_ext), "dup" (named "threads").
 *
 *   3 "tabold": the exporter requiring API 3.0.0, which had no _ext vtables:
 *     it passes NULL ones (the host builds them from the deprecated ones,
 *     with a release that does nothing and an iteration that visits none).
 *
 *   2 "tabimp": imports the host's `threads` table (and "tabexp_counts" with
 *     "imp_exp") and exposes what it reads as fields, keyed by tid:
 *     tabimp.comm[tid], .exe, .cwd, .pid, .ptid, .vtid, .vpid, .uid, .gid,
 *     .args (values joined by spaces), .nenv, .nfds, .fdname["tid:fd"],
 *     .fdtype["tid:fd"], .seen (a dynamic field parse increments), and
 *     .tables (list_tables at init), .iter2 (an iteration stopped after 2),
 *     .nthreads, .stale_write (a write through the writer kept from parse,
 *     tried while extracting), .exercise (every writer function, run on the
 *     first parsed event with "exercise"; "nested" adds a nested table's,
 *     which crashes libsinsp 3.12), .expcount[type], .edges (handles
 *     misused while extracting, and a table call from another thread),
 *     .schema (every field of threads and its nested tables, at init),
 *     .kept (with "keep": the init tables input's reader_ext and fields_ext
 *     pointers, and the last extraction's reader pointer, kept and used
 *     later, as SDKs do; set_config, which gets no vtables, logs what the
 *     kept writer and reader are allowed then). Config words
 *     "hold" keeps the first parsed event's thread entry, never released.
 *     "hold_fd" keeps fd 3 of the first parsed event's thread (an entry of
 *     its nested file_descriptors table; the thread entry is released):
 *     .heldfd reads its name and releases it ("none" once released).
 *     "wrong_key" / "wrong_type" / "dyn_conflict" make init fail on purpose
 *     with the host's owner error as last error.
 *
 * Every entry obtained is released.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <falco/abi.h>

#define EXPORT __attribute__((visibility("default")))

/* variant 3 is the exporter as a plugin of API 3.0 would be: no _ext vtables */
#if TABPLUG_VARIANT == 3
#define TABPLUG_EXPORTER 1
#define NAME "tabold"
#define API "3.0.0"
#elif TABPLUG_VARIANT == 1
#define TABPLUG_EXPORTER 1
#define NAME "tabexp"
#endif

#ifdef TABPLUG_EXPORTER
#define FIELDS                                                                                                    \
    "[{\"type\":\"uint64\",\"name\":\"tabexp.count\",\"desc\":\"events of a type\",\"arg\":{\"isIndex\":true,"  \
    "\"isRequired\":true}}]"
#else
#define NAME "tabimp"
#define IDX ",\"arg\":{\"isIndex\":true,\"isRequired\":true}}"
#define KEY ",\"arg\":{\"isKey\":true,\"isRequired\":true}}"
#define F(n, t, a) "{\"type\":\"" t "\",\"name\":\"tabimp." n "\",\"desc\":\"" n "\"" a
#define FIELDS                                                                                                  \
    "[" F("comm", "string", IDX) "," F("exe", "string", IDX) "," F("cwd", "string", IDX) ","                      \
    F("pid", "uint64", IDX) "," F("ptid", "uint64", IDX) "," F("vtid", "uint64", IDX) ","                         \
    F("vpid", "uint64", IDX) "," F("uid", "uint64", IDX) "," F("gid", "uint64", IDX) ","                          \
    F("args", "string", IDX) "," F("nenv", "uint64", IDX) "," F("nfds", "uint64", IDX) ","                        \
    F("fdname", "string", KEY) "," F("fdtype", "uint64", KEY) "," F("seen", "uint64", IDX) ","                    \
    F("tables", "string", "}") "," F("iter2", "string", "}") "," F("nthreads", "uint64", "}") ","                 \
    F("stale_write", "string", "}") "," F("exercise", "string", "}") "," F("expcount", "uint64", IDX) ","         \
    F("edges", "string", "}") "," F("schema", "string", "}") "," F("kept", "string", "}") ","                   \
    F("heldfd", "string", "}") "]"
#endif

typedef falco_abi_state_data sd;

/* Appends to the string log of cap bytes in scope. */
#define LOG(...) snprintf(log + strlen(log), cap - strlen(log), __VA_ARGS__)

#ifndef API
#define API "3.5.0"
#endif
EXPORT const char *plugin_get_required_api_version(void) { return API; }
EXPORT const char *plugin_get_version(void) { return "0.1.0"; }
EXPORT const char *plugin_get_name(void) { return NAME; }
EXPORT const char *plugin_get_description(void) { return "state tables test plugin"; }
EXPORT const char *plugin_get_contact(void) { return "tests@example.com"; }
EXPORT const char *plugin_get_fields(void) { return FIELDS; }
EXPORT const char *plugin_get_extract_event_sources(void) { return "[\"syscall\"]"; }
EXPORT const char *plugin_get_parse_event_sources(void) { return "[\"syscall\"]"; }
EXPORT const char *plugin_get_required_event_schema_version(void) { return "4.0.0"; }

#ifdef TABPLUG_EXPORTER
/* ---- the exporter: a fixed array of (key, count) ---- */
#define SLOTS 512

typedef struct slot {
    bool used, added;
    uint64_t key, count;
} slot;

typedef struct exp_state {
    char err[512];
    slot slots[SLOTS];
    uint64_t value;
    falco_abi_table_reader_vtable_ext rx;
    falco_abi_table_writer_vtable_ext wx;
    falco_abi_table_fields_vtable_ext fx;
} exp_state;

static int count_field; /* the one field's handle */
static const falco_abi_table_fieldinfo exp_infos[] = { { "count", FALCO_ABI_ST_UINT64, 0 } };

static slot *find(exp_state *s, uint64_t k)
{
    for (int i = 0; i < SLOTS; i++)
        if (s->slots[i].used && s->slots[i].added && s->slots[i].key == k)
            return &s->slots[i];
    return NULL;
}

static const char *t_name(falco_abi_table_t *t) { (void)t; return "tabexp_counts"; }
static uint64_t t_size(falco_abi_table_t *t)
{
    exp_state *s = t;
    uint64_t n = 0;
    for (int i = 0; i < SLOTS; i++)
        n += s->slots[i].used && s->slots[i].added;
    return n;
}
static falco_abi_table_entry_t *t_get(falco_abi_table_t *t, const sd *k)
{
    exp_state *s = t;
    slot *e = find(s, k->u64);
    if (!e)
        snprintf(s->err, sizeof s->err, "tabexp_counts: no key %" PRIu64, k->u64);
    return e;
}
static falco_abi_rc t_read(falco_abi_table_t *t, falco_abi_table_entry_t *e, const falco_abi_table_field_t *f, sd *out)
{
    exp_state *s = t;
    if (f != &count_field) {
        snprintf(s->err, sizeof s->err, "tabexp_counts: unknown field handle");
        return FALCO_ABI_RC_FAILURE;
    }
    out->u64 = ((slot *)e)->count;
    return FALCO_ABI_RC_SUCCESS;
}
static void t_release(falco_abi_table_t *t, falco_abi_table_entry_t *e) { (void)t, (void)e; }
static falco_abi_bool t_iter(falco_abi_table_t *t, falco_abi_table_iterator_func_t it,
                             falco_abi_table_iterator_state_t *st)
{
    exp_state *s = t;
    for (int i = 0; i < SLOTS; i++)
        if (s->slots[i].used && s->slots[i].added && !it(st, &s->slots[i]))
            return 0;
    return 1;
}
static falco_abi_bool t_iter_other(falco_abi_table_t *t, falco_abi_table_iterator_func_t it,
                                   falco_abi_table_iterator_state_t *st)
{
    return t_iter(t, it, st);
}
static falco_abi_rc t_clear(falco_abi_table_t *t)
{
    memset(((exp_state *)t)->slots, 0, sizeof((exp_state *)t)->slots);
    return FALCO_ABI_RC_SUCCESS;
}
static falco_abi_rc t_erase(falco_abi_table_t *t, const sd *k)
{
    slot *e = find(t, k->u64);
    if (!e) {
        snprintf(((exp_state *)t)->err, sizeof ((exp_state *)t)->err, "tabexp_counts: no key %" PRIu64, k->u64);
        return FALCO_ABI_RC_FAILURE;
    }
    e->used = false;
    return FALCO_ABI_RC_SUCCESS;
}
static falco_abi_table_entry_t *t_create(falco_abi_table_t *t)
{
    exp_state *s = t;
    for (int i = 0; i < SLOTS; i++)
        if (!s->slots[i].used) {
            s->slots[i] = (slot){ true, false, 0, 0 };
            return &s->slots[i];
        }
    snprintf(s->err, sizeof s->err, "tabexp_counts: full");
    return NULL;
}
static void t_destroy(falco_abi_table_t *t, falco_abi_table_entry_t *e) { (void)t; ((slot *)e)->used = false; }
static falco_abi_table_entry_t *t_add(falco_abi_table_t *t, const sd *k, falco_abi_table_entry_t *e)
{
    slot *old = find(t, k->u64);
    if (old)
        old->used = false;
    ((slot *)e)->key = k->u64;
    ((slot *)e)->added = true;
    return e;
}
static falco_abi_rc t_write(falco_abi_table_t *t, falco_abi_table_entry_t *e, const falco_abi_table_field_t *f,
                            const sd *in)
{
    (void)t, (void)f;
    ((slot *)e)->count = in->u64;
    return FALCO_ABI_RC_SUCCESS;
}
static const falco_abi_table_fieldinfo *t_list(falco_abi_table_t *t, uint32_t *n) { (void)t; *n = 1; return exp_infos; }
static falco_abi_table_field_t *t_field(falco_abi_table_t *t, const char *name, falco_abi_state_type type)
{
    exp_state *s = t;
    if (strcmp(name, "count") == 0 && type == FALCO_ABI_ST_UINT64)
        return &count_field;
    snprintf(s->err, sizeof s->err, "tabexp_counts: no field '%s' of type %d", name, (int)type);
    return NULL;
}
static falco_abi_table_field_t *t_add_field(falco_abi_table_t *t, const char *name, falco_abi_state_type type)
{
    (void)type;
    snprintf(((exp_state *)t)->err, sizeof ((exp_state *)t)->err, "tabexp_counts: fixed schema, no '%s'", name);
    return NULL;
}

EXPORT falco_abi_plugin_t *plugin_init(const falco_abi_init_input *in, falco_abi_rc *rc)
{
    exp_state *s = calloc(1, sizeof *s);
    *rc = FALCO_ABI_RC_FAILURE;
    if (!s)
        return NULL;
    const char *cfg = in->config ? in->config : "";
    if (!in->tables) {
        snprintf(s->err, sizeof s->err, "no tables input");
        return s;
    }
    s->rx = (falco_abi_table_reader_vtable_ext){ t_name, t_size, t_get, t_read, t_release, t_iter };
    s->wx = (falco_abi_table_writer_vtable_ext){ t_clear, t_erase, t_create, t_destroy, t_add, t_write };
    s->fx = (falco_abi_table_fields_vtable_ext){ t_list, t_field, t_add_field };
    falco_abi_table_input ti;
    memset(&ti, 0, sizeof ti);
    ti.name = strstr(cfg, "dup") ? "threads" : "tabexp_counts";
    ti.key_type = FALCO_ABI_ST_UINT64;
    ti.table = s;
    ti.reader = (falco_abi_table_reader_vtable){ t_name, t_size, t_get, t_read };
    ti.writer = s->wx;
    ti.fields = s->fx;
    ti.reader_ext = strstr(cfg, "no_ext") ? NULL : &s->rx;
#if TABPLUG_VARIANT == 3
    ti.reader_ext = NULL; /* 3.0 had none: the host builds them */
    ti.writer_ext = NULL;
    ti.fields_ext = NULL;
#endif
    ti.writer_ext = &s->wx;
    ti.fields_ext = &s->fx;
    if (strstr(cfg, "bad_reader"))
        ti.reader.get_table_entry = NULL;
    if (strstr(cfg, "bad_writer"))
        ti.writer.erase_table_entry = NULL;
    if (strstr(cfg, "bad_fields"))
        ti.fields.add_table_field = t_field;
    if (strstr(cfg, "null_release"))
        s->rx.release_table_entry = NULL;
    if (strstr(cfg, "other_iter"))
        s->rx.iterate_entries = t_iter_other; /* fine: iterate has no deprecated twin */
    if (in->tables->add_table(in->owner, &ti) != FALCO_ABI_RC_SUCCESS) {
        const char *e = in->get_owner_last_error(in->owner);
        snprintf(s->err, sizeof s->err, "add_table: %s", e ? e : "(no owner error)");
        return s;
    }
    *rc = FALCO_ABI_RC_SUCCESS;
    return s;
}

EXPORT falco_abi_rc plugin_parse_event(falco_abi_plugin_t *p, const falco_abi_event_input *ev,
                                       const falco_abi_event_parse_input *in)
{
    exp_state *s = p;
    (void)in;
    uint64_t k = ev->evt->type;
    slot *e = find(s, k);
    if (!e) {
        e = t_create(s);
        if (!e)
            return FALCO_ABI_RC_FAILURE;
        sd key = { .u64 = k };
        t_add(s, &key, e);
    }
    e->count++;
    return FALCO_ABI_RC_SUCCESS;
}

EXPORT falco_abi_rc plugin_extract_fields(falco_abi_plugin_t *p, const falco_abi_event_input *ev,
                                          const falco_abi_field_extract_input *in)
{
    exp_state *s = p;
    (void)ev;
    falco_abi_extract_field *f = &in->fields[0];
    slot *e = find(s, f->arg_index);
    s->value = e ? e->count : 0;
    f->res.u64 = &s->value;
    f->res_len = 1;
    return FALCO_ABI_RC_SUCCESS;
}

#else
/* ---- the importer ---- */

typedef struct imp_state {
    char err[1024];
    falco_abi_owner_t *owner;
    const char *(*owner_err)(falco_abi_owner_t *);
    falco_abi_table_t *threads, *exp;
    falco_abi_table_field_t *f_comm, *f_exe, *f_cwd, *f_pid, *f_ptid, *f_vtid, *f_vpid, *f_uid, *f_gid;
    falco_abi_table_field_t *f_args, *f_env, *f_fds, *f_seen, *f_argval, *f_fdname, *f_fdtype, *f_count;
    char tables[256];
    char schema[4096];
    falco_abi_table_writer_vtable_ext stale_w; /* a copy kept from parse */
    falco_abi_table_fields_vtable_ext init_fx; /* a copy kept from init */
    char parse_edges[512];
    bool have_stale;
    bool exercise, nested, hold, hold_fd;
    falco_abi_table_entry_t *held;
    falco_abi_table_t *held_fds; /* "hold_fd" */
    falco_abi_table_entry_t *held_fd;
    falco_abi_table_reader_vtable_ext parse_r; /* a copy kept from parse */
    char exercise_log[1024];
    /* "keep": the pointers themselves, and what they pointed to when kept */
    bool keep;
    const falco_abi_table_reader_vtable_ext *kept_init_r, *kept_extract_r;
    const falco_abi_table_fields_vtable_ext *kept_init_f;
    falco_abi_table_reader_vtable_ext kept_init_r_copy, kept_extract_r_copy;
    falco_abi_table_fields_vtable_ext kept_init_f_copy;
    char kept_log[1024];
    /* extraction results */
    uint64_t u64;
    char str[8192];
    const char *strp;
} imp_state;

static const char *oerr(imp_state *s)
{
    const char *e = s->owner_err(s->owner);
    return e ? e : "(no owner error)";
}

static falco_abi_plugin_t *fail(imp_state *s, falco_abi_rc *rc, const char *what)
{
    snprintf(s->err, sizeof s->err, "%s: %s", what, oerr(s));
    *rc = FALCO_ABI_RC_FAILURE;
    return s;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const falco_abi_table_fieldinfo *)a)->name, ((const falco_abi_table_fieldinfo *)b)->name);
}

/* Appends "table{name:type[:ro],...} " with the fields sorted by name. */
static void describe(char *log, size_t cap, const char *table, const falco_abi_table_fields_vtable_ext *fx,
                     falco_abi_table_t *t)
{
    uint32_t n = 0;
    const falco_abi_table_fieldinfo *fi = fx->list_table_fields(t, &n);
    falco_abi_table_fieldinfo sorted[128];
    if (!fi || n > 128) {
        LOG("%s{?} ", table);
        return;
    }
    memcpy(sorted, fi, n * sizeof *fi);
    qsort(sorted, n, sizeof *sorted, by_name);
    LOG("%s{", table);
    for (uint32_t i = 0; i < n; i++)
        LOG("%s%s:%d%s", i ? "," : "", sorted[i].name, (int)sorted[i].field_type, sorted[i].read_only ? ":ro" : "");
    LOG("} ");
}

EXPORT falco_abi_plugin_t *plugin_init(const falco_abi_init_input *in, falco_abi_rc *rc)
{
    imp_state *s = calloc(1, sizeof *s);
    *rc = FALCO_ABI_RC_FAILURE;
    if (!s)
        return NULL;
    const char *cfg = in->config ? in->config : "";
    s->owner = in->owner;
    s->owner_err = in->get_owner_last_error;
    s->exercise = strstr(cfg, "exercise") != NULL;
    s->nested = strstr(cfg, "nested") != NULL;
    s->hold = strstr(cfg, "hold") != NULL && !strstr(cfg, "hold_fd");
    s->hold_fd = strstr(cfg, "hold_fd") != NULL;
    s->keep = strstr(cfg, "keep") != NULL;
    const falco_abi_init_tables_input *t = in->tables;
    if (!t) {
        snprintf(s->err, sizeof s->err, "no tables input");
        return s;
    }
    uint32_t n = 0;
    const falco_abi_table_info *infos = t->list_tables(in->owner, &n);
    for (uint32_t i = 0; infos && i < n; i++) {
        size_t len = strlen(s->tables);
        snprintf(s->tables + len, sizeof s->tables - len, "%s%s:%d", i ? "," : "", infos[i].name,
                 (int)infos[i].key_type);
    }
    s->threads =
        t->get_table(in->owner, "threads", strstr(cfg, "wrong_key") ? FALCO_ABI_ST_UINT64 : FALCO_ABI_ST_INT64);
    if (!s->threads)
        return fail(s, rc, "get_table threads");
    const falco_abi_table_fields_vtable_ext *fx = t->fields_ext;
    s->init_fx = *fx;
    const falco_abi_table_reader_vtable_ext *rx = t->reader_ext;
    const falco_abi_table_writer_vtable_ext *wx = t->writer_ext;
    if (s->keep) {
        s->kept_init_r = rx;
        s->kept_init_f = fx;
        s->kept_init_r_copy = *rx;
        s->kept_init_f_copy = *fx;
    }
#define GETF(var, name, type)                                                                                     \
    if (!(s->var = fx->get_table_field(s->threads, name, FALCO_ABI_ST_##type)))                                   \
        return fail(s, rc, "get_table_field " name);
    if (strstr(cfg, "wrong_type")) {
        GETF(f_comm, "comm", UINT64);
    }
    GETF(f_comm, "comm", STRING);
    GETF(f_exe, "exe", STRING);
    GETF(f_cwd, "cwd", STRING);
    GETF(f_pid, "pid", INT64);
    GETF(f_ptid, "ptid", INT64);
    GETF(f_vtid, "vtid", INT64);
    GETF(f_vpid, "vpid", INT64);
    GETF(f_uid, "uid", UINT32);
    GETF(f_gid, "gid", UINT32);
    GETF(f_args, "args", TABLE);
    GETF(f_env, "env", TABLE);
    GETF(f_fds, "file_descriptors", TABLE);
    if (!(s->f_seen = fx->add_table_field(s->threads, "tabimp_seen", FALCO_ABI_ST_UINT64)))
        return fail(s, rc, "add_table_field tabimp_seen");
    if (s->exercise) {
        /* the same name and type again: the same field */
        falco_abi_table_field_t *again = fx->add_table_field(s->threads, "tabimp_seen", FALCO_ABI_ST_UINT64);
        uint32_t nf = 0;
        const falco_abi_table_fieldinfo *fi = fx->list_table_fields(s->threads, &nf);
        snprintf(s->exercise_log, sizeof s->exercise_log, "name=%s fields=%u last=%s:%d same=%d ",
                 t->reader_ext->get_table_name(s->threads), nf, fi && nf ? fi[nf - 1].name : "",
                 fi && nf ? (int)fi[nf - 1].field_type : 0, again == s->f_seen);
    }
    if (strstr(cfg, "dyn_conflict") && !fx->add_table_field(s->threads, "tabimp_seen", FALCO_ABI_ST_STRING))
        return fail(s, rc, "add_table_field tabimp_seen again");
    /* the nested tables' fields, through an entry made for the purpose */
    falco_abi_table_entry_t *e = wx->create_table_entry(s->threads);
    if (!e)
        return fail(s, rc, "create_table_entry");
    sd v;
    describe(s->schema, sizeof s->schema, "threads", fx, s->threads);
    static const char *const nested[] = { "file_descriptors", "args", "env", "cgroups" };
    for (size_t i = 0; i < sizeof nested / sizeof nested[0]; i++) {
        falco_abi_table_field_t *nf = fx->get_table_field(s->threads, nested[i], FALCO_ABI_ST_TABLE);
        if (!nf || rx->read_entry_field(s->threads, e, nf, &v) != FALCO_ABI_RC_SUCCESS)
            return fail(s, rc, nested[i]);
        describe(s->schema, sizeof s->schema, nested[i], fx, v.table);
    }
    if (rx->read_entry_field(s->threads, e, s->f_args, &v) != FALCO_ABI_RC_SUCCESS)
        return fail(s, rc, "read args");
    if (!(s->f_argval = fx->get_table_field(v.table, "value", FALCO_ABI_ST_STRING)))
        return fail(s, rc, "get_table_field args.value");
    if (rx->read_entry_field(s->threads, e, s->f_fds, &v) != FALCO_ABI_RC_SUCCESS)
        return fail(s, rc, "read file_descriptors");
    if (!(s->f_fdname = fx->get_table_field(v.table, "name", FALCO_ABI_ST_STRING)) ||
        !(s->f_fdtype = fx->get_table_field(v.table, "type", FALCO_ABI_ST_UINT8)))
        return fail(s, rc, "get_table_field file_descriptors");
    wx->destroy_table_entry(s->threads, e);
    if (strstr(cfg, "imp_exp")) {
        if (!(s->exp = t->get_table(in->owner, "tabexp_counts", FALCO_ABI_ST_UINT64)))
            return fail(s, rc, "get_table tabexp_counts");
        if (!(s->f_count = fx->get_table_field(s->exp, "count", FALCO_ABI_ST_UINT64)))
            return fail(s, rc, "get_table_field count");
    }
    *rc = FALCO_ABI_RC_SUCCESS;
    return s;
}

static void exercise(imp_state *s, const falco_abi_event_parse_input *in)
{
    const falco_abi_table_reader_vtable_ext *r = in->table_reader_ext;
    const falco_abi_table_writer_vtable_ext *w = in->table_writer_ext;
    char *log = s->exercise_log;
    size_t cap = sizeof s->exercise_log;
    sd key = { .s64 = 4000000 };
    falco_abi_table_entry_t *e = w->create_table_entry(s->threads);
    sd val = { .str = "made" };
    LOG("create=%d ", e != NULL);
    LOG("write=%d ", (int)w->write_entry_field(s->threads, e, s->f_comm, &val));
    falco_abi_table_entry_t *added = w->add_table_entry(s->threads, &key, e);
    LOG("add=%d ", added == e);
    r->release_table_entry(s->threads, added);
    falco_abi_table_entry_t *g = r->get_table_entry(s->threads, &key);
    sd out = { 0 };
    int rrc = g ? (int)r->read_entry_field(s->threads, g, s->f_comm, &out) : -1;
    LOG("read=%d:%s ", rrc, g && out.str ? out.str : "");
    /* cwd is read-only in libsinsp */
    LOG("write_ro=%d ", (int)w->write_entry_field(s->threads, g, s->f_cwd, &val));
    LOG("[%s] ", oerr(s));
    if (g)
        r->release_table_entry(s->threads, g);
    LOG("size=%" PRIu64 " ", r->get_table_size(s->threads));
    LOG("erase=%d ", (int)w->erase_table_entry(s->threads, &key));
    LOG("erase_again=%d [%s] ", (int)w->erase_table_entry(s->threads, &key), oerr(s));
    LOG("get_missing=%d [%s] ", r->get_table_entry(s->threads, &key) != NULL, oerr(s));
    s->exercise = false;
    if (!s->nested)
        return; /* libsinsp 3.12 crashes on what follows (write in a detached entry's nested table) */
    /* a nested table of a new thread: add two args, clear them */
    e = w->create_table_entry(s->threads);
    sd sub = { 0 };
    r->read_entry_field(s->threads, e, s->f_args, &sub);
    falco_abi_table_entry_t *a = w->create_table_entry(sub.table);
    sd k0 = { .u64 = 0 }, k1 = { .u64 = 1 }, av = { .str = "x" };
    w->write_entry_field(sub.table, a, s->f_argval, &av);
    r->release_table_entry(sub.table, w->add_table_entry(sub.table, &k0, a));
    a = w->create_table_entry(sub.table);
    r->release_table_entry(sub.table, w->add_table_entry(sub.table, &k1, a));
    LOG("args=%" PRIu64 " ", r->get_table_size(sub.table));
    LOG("clear=%d ", (int)w->clear_table(sub.table));
    LOG("args=%" PRIu64 " ", r->get_table_size(sub.table));
    w->destroy_table_entry(s->threads, e);
}

/* "keep": uses the vtables kept from init (and from the last extraction)
 * through the pointers the host handed over; they must still hold what they
 * held then (a pointer into a dead stack frame does not). */
static void use_kept(imp_state *s, const char *when)
{
    char *log = s->kept_log;
    size_t cap = sizeof s->kept_log;
    bool same = memcmp(s->kept_init_r, &s->kept_init_r_copy, sizeof s->kept_init_r_copy) == 0 &&
                memcmp(s->kept_init_f, &s->kept_init_f_copy, sizeof s->kept_init_f_copy) == 0;
    LOG("%s:init_same=%d", when, same);
    if (same)
        LOG(" size=%" PRIu64 " field=%d", s->kept_init_r->get_table_size(s->threads),
            s->kept_init_f->get_table_field(s->threads, "comm", FALCO_ABI_ST_STRING) == s->f_comm);
    if (s->kept_extract_r) {
        same = memcmp(s->kept_extract_r, &s->kept_extract_r_copy, sizeof s->kept_extract_r_copy) == 0;
        LOG(" extract_same=%d", same);
        if (same)
            LOG(" size=%" PRIu64, s->kept_extract_r->get_table_size(s->threads));
    }
    LOG("; ");
}

/* Gets no vtables: what was kept from parse and extraction is out of its
 * window now. */
EXPORT falco_abi_rc plugin_set_config(falco_abi_plugin_t *p, const falco_abi_set_config_input *in)
{
    imp_state *s = p;
    char *log = s->kept_log;
    size_t cap = sizeof s->kept_log;
    (void)in;
    LOG("set_config:");
    if (s->have_stale)
        LOG(" clear=%d", (int)s->stale_w.clear_table(s->threads));
    if (s->kept_extract_r)
        LOG(" size=%" PRIu64, s->kept_extract_r->get_table_size(s->threads));
    LOG("; ");
    return FALCO_ABI_RC_SUCCESS;
}

EXPORT falco_abi_rc plugin_parse_event(falco_abi_plugin_t *p, const falco_abi_event_input *ev,
                                       const falco_abi_event_parse_input *in)
{
    imp_state *s = p;
    if (s->keep)
        use_kept(s, "parse");
    if (!in->table_reader_ext || !in->table_writer_ext) {
        snprintf(s->err, sizeof s->err, "parse without reader/writer");
        return FALCO_ABI_RC_FAILURE;
    }
    s->stale_w = *in->table_writer_ext;
    s->parse_r = *in->table_reader_ext;
    s->have_stale = true;
    if (s->exercise) {
        /* destroying an entry that was added: refused (release it instead) */
        sd k = { .s64 = (int64_t)ev->evt->tid };
        falco_abi_table_entry_t *e = in->table_reader_ext->get_table_entry(s->threads, &k);
        if (e) {
            in->table_writer_ext->destroy_table_entry(s->threads, e);
            snprintf(s->parse_edges, sizeof s->parse_edges, "destroy_added=[%s] ", oerr(s));
            in->table_reader_ext->release_table_entry(s->threads, e);
        }
    }
    if (s->exercise)
        exercise(s, in);
    sd key = { .s64 = (int64_t)ev->evt->tid };
    if (s->hold && !s->held) /* kept, never released: the host counts it */
        s->held = in->table_reader_ext->get_table_entry(s->threads, &key);
    if (s->hold_fd && !s->held_fd) {
        const falco_abi_table_reader_vtable_ext *r = in->table_reader_ext;
        falco_abi_table_entry_t *te = r->get_table_entry(s->threads, &key);
        sd v, fk = { .s64 = 3 };
        if (te && r->read_entry_field(s->threads, te, s->f_fds, &v) == FALCO_ABI_RC_SUCCESS) {
            s->held_fds = v.table;
            s->held_fd = r->get_table_entry(s->held_fds, &fk);
        }
        if (te)
            r->release_table_entry(s->threads, te);
    }
    falco_abi_table_entry_t *e = in->table_reader_ext->get_table_entry(s->threads, &key);
    if (!e)
        return FALCO_ABI_RC_SUCCESS; /* a thread the table does not know */
    sd v;
    falco_abi_rc rc = in->table_reader_ext->read_entry_field(s->threads, e, s->f_seen, &v);
    if (rc == FALCO_ABI_RC_SUCCESS) {
        v.u64++;
        rc = in->table_writer_ext->write_entry_field(s->threads, e, s->f_seen, &v);
    }
    in->table_reader_ext->release_table_entry(s->threads, e);
    if (rc != FALCO_ABI_RC_SUCCESS)
        snprintf(s->err, sizeof s->err, "seen: %s", oerr(s));
    return rc;
}

typedef struct iter_state {
    int visited, stop_after;
} iter_state;

static falco_abi_bool count_some(falco_abi_table_iterator_state_t *st, falco_abi_table_entry_t *e)
{
    iter_state *i = st;
    (void)e;
    return ++i->visited < i->stop_after;
}

typedef struct join_state {
    imp_state *s;
    const falco_abi_table_reader_vtable_ext *r;
    falco_abi_table_t *t;
    bool ok;
} join_state;

static falco_abi_bool join_arg(falco_abi_table_iterator_state_t *st, falco_abi_table_entry_t *e)
{
    join_state *j = st;
    sd v;
    if (j->r->read_entry_field(j->t, e, j->s->f_argval, &v) != FALCO_ABI_RC_SUCCESS) {
        j->ok = false;
        return 0;
    }
    size_t len = strlen(j->s->str);
    snprintf(j->s->str + len, sizeof j->s->str - len, "%s%s", len ? " " : "", v.str);
    return 1;
}

static falco_abi_rc put_str(imp_state *s, falco_abi_extract_field *f, const char *v)
{
    if (v != s->str)
        snprintf(s->str, sizeof s->str, "%s", v);
    s->strp = s->str;
    f->res.str = &s->strp;
    f->res_len = 1;
    return FALCO_ABI_RC_SUCCESS;
}

static falco_abi_rc put_u64(imp_state *s, falco_abi_extract_field *f, uint64_t v)
{
    s->u64 = v;
    f->res.u64 = &s->u64;
    f->res_len = 1;
    return FALCO_ABI_RC_SUCCESS;
}

static falco_abi_rc ext_fail(imp_state *s, const char *what)
{
    snprintf(s->err, sizeof s->err, "%s: %s", what, oerr(s));
    return FALCO_ABI_RC_FAILURE;
}

typedef struct foreign {
    const falco_abi_table_reader_vtable_ext *r;
    falco_abi_table_t *t;
    uint64_t size;
} foreign;

static void *foreign_thread(void *arg)
{
    foreign *f = arg;
    f->size = f->r->get_table_size(f->t); /* outside any host call: refused */
    return NULL;
}

/* Handles misused while extracting; each refusal's owner error. */
static void edges(imp_state *s, const falco_abi_field_extract_input *in)
{
    const falco_abi_table_reader_vtable_ext *r = in->table_reader_ext;
    char *log = s->str;
    size_t cap = sizeof s->str;
    snprintf(log, cap, "%s", s->parse_edges);
    sd k = { .s64 = 100 }, v;
    falco_abi_table_entry_t *e = r->get_table_entry(s->threads, &k);
    if (!e) {
        LOG("no thread 100");
        return;
    }
    LOG("null_entry=%d [%s] ", (int)r->read_entry_field(s->threads, NULL, s->f_comm, &v), oerr(s));
    LOG("foreign_field=%d [%s] ", (int)r->read_entry_field(s->threads, e, s->f_fdname, &v), oerr(s));
    LOG("bogus_field=%d [%s] ", (int)r->read_entry_field(s->threads, e, (falco_abi_table_field_t *)s, &v), oerr(s));
    sd sub;
    r->read_entry_field(s->threads, e, s->f_fds, &sub);
    LOG("foreign_entry=%d [%s] ", (int)r->read_entry_field(sub.table, e, s->f_fdname, &v), oerr(s));
    LOG("add_field=%d [%s] ", s->init_fx.add_table_field(s->threads, "late", FALCO_ABI_ST_UINT64) != NULL, oerr(s));
    LOG("get_field=%d ", s->init_fx.get_table_field(s->threads, "comm", FALCO_ABI_ST_STRING) == s->f_comm);
    r->release_table_entry(s->threads, e);
    foreign f = { r, s->threads, 0 };
    pthread_t th;
    if (pthread_create(&th, NULL, foreign_thread, &f) == 0) {
        pthread_join(th, NULL);
        LOG("other_thread_size=%" PRIu64, f.size);
    }
}

EXPORT falco_abi_rc plugin_extract_fields(falco_abi_plugin_t *p, const falco_abi_event_input *ev,
                                          const falco_abi_field_extract_input *in)
{
    imp_state *s = p;
    (void)ev;
    const falco_abi_table_reader_vtable_ext *r = in->table_reader_ext;
    falco_abi_extract_field *f = &in->fields[0];
    const char *name = f->field + strlen("tabimp.");
    f->res_len = 0;
    s->str[0] = '\0';
    if (strcmp(name, "tables") == 0)
        return put_str(s, f, s->tables);
    if (strcmp(name, "nthreads") == 0)
        return put_u64(s, f, r->get_table_size(s->threads));
    if (strcmp(name, "exercise") == 0)
        return put_str(s, f, s->exercise_log);
    if (strcmp(name, "schema") == 0)
        return put_str(s, f, s->schema);
    if (strcmp(name, "heldfd") == 0) {
        if (!s->held_fd)
            return put_str(s, f, "none");
        sd v;
        falco_abi_rc rc = r->read_entry_field(s->held_fds, s->held_fd, s->f_fdname, &v);
        if (rc == FALCO_ABI_RC_SUCCESS)
            snprintf(s->str, sizeof s->str, "%s", v.str);
        r->release_table_entry(s->held_fds, s->held_fd);
        s->held_fd = NULL;
        return rc == FALCO_ABI_RC_SUCCESS ? put_str(s, f, s->str) : ext_fail(s, "heldfd");
    }
    if (strcmp(name, "kept") == 0) {
        if (!s->keep)
            return put_str(s, f, "no keep");
        use_kept(s, "extract");
        s->kept_extract_r = r;
        s->kept_extract_r_copy = *r;
        return put_str(s, f, s->kept_log);
    }
    if (strcmp(name, "edges") == 0) {
        edges(s, in);
        return put_str(s, f, s->str);
    }
    if (strcmp(name, "iter2") == 0) {
        iter_state it = { 0, 2 };
        falco_abi_bool all = r->iterate_entries(s->threads, count_some, &it);
        snprintf(s->str, sizeof s->str, "visited=%d all=%u", it.visited, (unsigned)all);
        return put_str(s, f, s->str);
    }
    if (strcmp(name, "stale_write") == 0) {
        if (!s->have_stale)
            return put_str(s, f, "no parse yet");
        falco_abi_rc rc = s->stale_w.clear_table(s->threads);
        snprintf(s->str, sizeof s->str, "rc=%d [%s] size=%" PRIu64, (int)rc, oerr(s), r->get_table_size(s->threads));
        return put_str(s, f, s->str);
    }
    if (strcmp(name, "expcount") == 0) {
        if (!s->exp)
            return put_str(s, f, "no exp");
        sd k = { .u64 = f->arg_index };
        falco_abi_table_entry_t *e = r->get_table_entry(s->exp, &k);
        if (!e)
            return put_u64(s, f, 0);
        sd v;
        falco_abi_rc rc = r->read_entry_field(s->exp, e, s->f_count, &v);
        r->release_table_entry(s->exp, e);
        return rc == FALCO_ABI_RC_SUCCESS ? put_u64(s, f, v.u64) : ext_fail(s, "expcount");
    }
    int64_t tid = (int64_t)f->arg_index, fd = 0;
    if (f->arg_key) {
        char *end;
        tid = strtoll(f->arg_key, &end, 10);
        fd = *end == ':' ? strtoll(end + 1, NULL, 10) : 0;
    }
    sd key = { .s64 = tid };
    falco_abi_table_entry_t *e = r->get_table_entry(s->threads, &key);
    if (!e)
        return FALCO_ABI_RC_SUCCESS; /* no such thread: no value */
    falco_abi_rc rc = FALCO_ABI_RC_SUCCESS;
    sd v;
#define READ(field) (rc = r->read_entry_field(s->threads, e, s->field, &v)) == FALCO_ABI_RC_SUCCESS
    if (strcmp(name, "comm") == 0 && READ(f_comm))
        put_str(s, f, v.str);
    else if (strcmp(name, "exe") == 0 && READ(f_exe))
        put_str(s, f, v.str);
    else if (strcmp(name, "cwd") == 0 && READ(f_cwd))
        put_str(s, f, v.str);
    else if (strcmp(name, "pid") == 0 && READ(f_pid))
        put_u64(s, f, (uint64_t)v.s64);
    else if (strcmp(name, "ptid") == 0 && READ(f_ptid))
        put_u64(s, f, (uint64_t)v.s64);
    else if (strcmp(name, "vtid") == 0 && READ(f_vtid))
        put_u64(s, f, (uint64_t)v.s64);
    else if (strcmp(name, "vpid") == 0 && READ(f_vpid))
        put_u64(s, f, (uint64_t)v.s64);
    else if (strcmp(name, "uid") == 0 && READ(f_uid))
        put_u64(s, f, v.u32);
    else if (strcmp(name, "gid") == 0 && READ(f_gid))
        put_u64(s, f, v.u32);
    else if (strcmp(name, "seen") == 0 && READ(f_seen))
        put_u64(s, f, v.u64);
    else if (strcmp(name, "nenv") == 0 && READ(f_env))
        put_u64(s, f, r->get_table_size(v.table));
    else if (strcmp(name, "nfds") == 0 && READ(f_fds))
        put_u64(s, f, r->get_table_size(v.table));
    else if (strcmp(name, "args") == 0 && READ(f_args)) {
        join_state j = { s, r, v.table, true };
        r->iterate_entries(v.table, join_arg, &j);
        if (!j.ok)
            rc = FALCO_ABI_RC_FAILURE;
        else
            put_str(s, f, s->str);
    } else if ((strcmp(name, "fdname") == 0 || strcmp(name, "fdtype") == 0) && READ(f_fds)) {
        falco_abi_table_t *fds = v.table;
        sd fk = { .s64 = fd };
        falco_abi_table_entry_t *fe = r->get_table_entry(fds, &fk);
        if (fe) {
            bool nm = name[2] == 'n';
            rc = r->read_entry_field(fds, fe, nm ? s->f_fdname : s->f_fdtype, &v);
            if (rc == FALCO_ABI_RC_SUCCESS) {
                if (nm)
                    put_str(s, f, v.str);
                else
                    put_u64(s, f, v.u8);
            }
            r->release_table_entry(fds, fe);
        }
    }
    r->release_table_entry(s->threads, e);
    return rc == FALCO_ABI_RC_SUCCESS ? rc : ext_fail(s, name);
}
EXPORT void plugin_destroy(falco_abi_plugin_t *p)
{
    imp_state *s = p;
    /* "hold": released only now, with the reader kept from parse: after its
     * session was freed the host must refuse the call without reading the
     * dead handle */
    if (s->held)
        s->parse_r.release_table_entry(s->threads, s->held);
    free(p);
}
#endif

#ifdef TABPLUG_EXPORTER
EXPORT void plugin_destroy(falco_abi_plugin_t *p) { free(p); }
#endif
EXPORT const char *plugin_get_last_error(falco_abi_plugin_t *p) { return (const char *)p; /* err is first */ }
