/* State tables, the checked access paths: what the inline reads of
 * falco/table.h (get_entry, the scalar reads, release, the owner's lookup)
 * accept and what they send to the checked functions, which refuse with a
 * message: a read outside a host call, a key or value of another type, NULL
 * handles, a field of another table, a write while extracting; the entries
 * counted until released, a release of more entries than were got reported
 * at destroy as a leak is; the owner's lookup of every key type across table
 * growth, refusing handles that are not exported tables. Plugins compiled
 * into this binary (FALCO_PLUGIN_STATIC), driven through a host session. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "static_test.h"

#define META(n) .name = n, .version = "1.0.0", .contact = "t@example.com", .description = "table access test"
#define ACC_SOURCE "acc"
#define EVENT_LEN 46u /* header 26, two u32 lengths, plugin id, u64 payload */

/* ---- the importer: threads' pid, comm and fds' names, read while extracting ---- */
typedef struct {
    falco_table *threads;
    falco_table_field *pid, *comm, *fds, *fdname;
    falco_table *own; /* exported: the owner's lookup must refuse imported handles */
} acc_state;

static const falco_table_field_import acc_fd_fields[] = {
    FALCO_TABLE_FIELD(acc_state, fdname, "name", FALCO_TABLE_STRING),
};
static const falco_table_field_import acc_thread_fields[] = {
    FALCO_TABLE_FIELD(acc_state, pid, "pid", FALCO_TABLE_I64),
    FALCO_TABLE_FIELD(acc_state, comm, "comm", FALCO_TABLE_STRING),
    FALCO_TABLE_NESTED(acc_state, fds, "file_descriptors", FALCO_TABLE_I64, acc_fd_fields),
};
static const falco_table_import acc_imports[] = {
    FALCO_TABLE_IMPORT(acc_state, threads, "threads", FALCO_TABLE_I64, acc_thread_fields),
};
typedef struct {
    uint64_t v;
} acc_entry;
static const falco_table_column acc_columns[] = {
    FALCO_TABLE_COLUMN(acc_entry, v, "v", FALCO_TABLE_U64),
};
static const falco_table_export acc_exports[] = {
    FALCO_TABLE_EXPORT(acc_state, own, "acc_own", FALCO_TABLE_I64, acc_entry, acc_columns),
};

static falco_plugin *g_p;
static acc_state *g_st;

static falco_rc acc_init(falco_plugin *p, void *state) {
    g_p = p;
    g_st = state;
    acc_entry *e = falco_table_emplace(g_st->own, FALCO_TABLE_KEY_I64(1));
    if (!e)
        return falco_error(p, FALCO_ENOMEM, "out of memory");
    e->v = 7;
    return FALCO_OK;
}

/* acc.pid: the pid of thread <payload>, through the inline fast paths. */
static falco_rc acc_pid(falco_extract *x, const falco_event *ev) {
    acc_state *st = falco_extract_state(x);
    falco_plugin *p = falco_extract_plugin(x);
    uint64_t tid;
    int64_t pid;
    FALCO_TRY(falco_event_payload_u64(ev, &tid));
    falco_table_entry *e;
    falco_rc rc = falco_table_get_entry(p, st->threads, FALCO_TABLE_KEY_I64((int64_t)tid), &e);
    if (rc == FALCO_ENOTFOUND) {
        if (e != NULL || !strstr(falco_plugin_last_error(p), "table 'threads': no entry for this key"))
            return falco_error(p, FALCO_ERROR, "ENOTFOUND without its message or with an entry");
        return FALCO_OK; /* no value */
    }
    FALCO_TRY(rc);
    rc = falco_table_read_i64(p, st->threads, e, st->pid, &pid);
    falco_table_release(p, st->threads, e);
    FALCO_TRY(rc);
    return falco_extract_u64(x, (uint64_t)pid);
}

/* Appends "<what>=<rc name>[<last error>] " to out. */
static void note(char *out, size_t n, falco_plugin *p, const char *what, falco_rc rc) {
    size_t len = strlen(out);
    snprintf(out + len, n - len, "%s=%s[%s] ", what, falco_rc_name(rc),
             rc == FALCO_OK ? "" : falco_plugin_last_error(p));
}

/* acc.misuse: every refusal of the inline paths, on thread <payload>
 * (which has fd 3), with its message; then the entries still held. */
static falco_rc acc_misuse(falco_extract *x, const falco_event *ev) {
    acc_state *st = falco_extract_state(x);
    falco_plugin *p = falco_extract_plugin(x);
    static char out[4096];
    out[0] = 0;
    uint64_t tid, u;
    int64_t i;
    const char *s;
    FALCO_TRY(falco_event_payload_u64(ev, &tid));
    falco_table_entry *e = (falco_table_entry *)&u, *none = (falco_table_entry *)&u;
    note(out, sizeof out, p, "key_type", falco_table_get_entry(p, st->threads, FALCO_TABLE_KEY_U64(tid), &none));
    if (none)
        return falco_error(p, FALCO_ERROR, "a refused get_entry left its entry set");
    note(out, sizeof out, p, "null_table", falco_table_get_entry(p, NULL, FALCO_TABLE_KEY_I64(1), &none));
    FALCO_TRY(falco_table_get_entry(p, st->threads, FALCO_TABLE_KEY_I64((int64_t)tid), &e));
    note(out, sizeof out, p, "value_type", falco_table_read_u64(p, st->threads, e, st->pid, &u));
    note(out, sizeof out, p, "null_field", falco_table_read_i64(p, st->threads, e, NULL, &i));
    note(out, sizeof out, p, "null_entry", falco_table_read_i64(p, st->threads, NULL, st->pid, &i));
    note(out, sizeof out, p, "read_null_table", falco_table_read_i64(p, NULL, e, st->pid, &i));
    note(out, sizeof out, p, "other_field", falco_table_read_str(p, st->threads, e, st->fdname, &s));
    note(out, sizeof out, p, "own_table", falco_table_read_u64(p, st->own, e, st->pid, &u));
    note(out, sizeof out, p, "write", falco_table_write_i64(p, st->threads, e, st->pid, 1));
    falco_table *fds;
    FALCO_TRY(falco_table_read_table(p, st->threads, e, st->fds, &fds));
    /* handles that are not exported tables: the owner's lookup says no */
    if (falco_table_lookup(fds, FALCO_TABLE_KEY_I64(3)) || falco_table_lookup(st->threads, FALCO_TABLE_KEY_I64(1)))
        return falco_error(p, FALCO_ERROR, "lookup accepted an imported table");
    falco_table_entry *fe;
    FALCO_TRY(falco_table_get_entry(p, fds, FALCO_TABLE_KEY_I64(3), &fe));
    note(out, sizeof out, p, "nested_read", falco_table_read_str(p, fds, fe, st->fdname, &s));
    size_t len = strlen(out);
    snprintf(out + len, sizeof out - len, "fd3=%s held=%llu ", s, (unsigned long long)falco_table_entries_held(p));
    falco_table_release(p, fds, fe);
    falco_table_release(p, st->threads, NULL); /* nothing */
    falco_table_release(p, NULL, e);           /* nothing (no table) */
    falco_table_release(p, st->threads, e);
    len = strlen(out);
    snprintf(out + len, sizeof out - len, "held=%llu", (unsigned long long)falco_table_entries_held(p));
    return falco_extract_str(x, out);
}

/* acc.overrelease: thread <payload>'s entry got once, released twice. */
static falco_rc acc_overrelease(falco_extract *x, const falco_event *ev) {
    acc_state *st = falco_extract_state(x);
    falco_plugin *p = falco_extract_plugin(x);
    uint64_t tid;
    FALCO_TRY(falco_event_payload_u64(ev, &tid));
    falco_table_entry *e;
    FALCO_TRY(falco_table_get_entry(p, st->threads, FALCO_TABLE_KEY_I64((int64_t)tid), &e));
    falco_table_release(p, st->threads, e);
    falco_table_release(p, st->threads, e);
    return falco_extract_u64(x, falco_table_entries_held(p));
}

static const falco_field acc_fields[] = {
    {.name = "acc.pid", .type = FALCO_FIELD_U64, .desc = "pid of the thread", .extract = acc_pid},
    {.name = "acc.misuse", .type = FALCO_FIELD_STRING, .desc = "refusals", .extract = acc_misuse},
    {.name = "acc.overrelease", .type = FALCO_FIELD_U64, .desc = "a release too many", .extract = acc_overrelease},
};
FALCO_PLUGIN(acc, META("acc"), .state_size = sizeof(acc_state), .init = acc_init,
             .tables_import = FALCO_TABLE_IMPORTS(acc_imports), .tables_export = FALCO_TABLE_EXPORTS(acc_exports));
FALCO_EXTRACT(acc, .fields = FALCO_LIST(acc_fields), .sources = FALCO_SOURCES(ACC_SOURCE));

/* ---- a plugin event of source "acc" whose payload is one u64 ---- */
static unsigned char g_evt[64] __attribute__((aligned(8)));

static falco_abi_event_input acc_event(uint64_t payload) {
    uint64_t ts = 1, tid = UINT64_MAX;
    uint32_t len = EVENT_LEN, nparams = 2, lens[2] = {4, 8}, plugin_id = 0;
    uint16_t type = 322; /* PPME_PLUGINEVENT_E */
    memcpy(g_evt, &ts, 8);
    memcpy(g_evt + 8, &tid, 8);
    memcpy(g_evt + 16, &len, 4);
    memcpy(g_evt + 20, &type, 2);
    memcpy(g_evt + 22, &nparams, 4);
    memcpy(g_evt + 26, lens, sizeof lens);
    memcpy(g_evt + 34, &plugin_id, 4);
    memcpy(g_evt + 38, &payload, 8);
    return (falco_abi_event_input){.evt = (const falco_abi_event *)(void *)g_evt, .evtnum = 1, .evtsrc = ACC_SOURCE};
}

/* A session with threads 10 (pid 9, fd 3 "/etc/hosts") and 11, and acc
 * initialized in it. */
static falco_host_session *acc_session(falco_host_plugin **out) {
    falco_host_session *s;
    assert_int_equal(falco_host_session_new(0, &s), FALCO_OK);
    falco_host_thread t10 = {.tid = 10, .pid = 9, .comm = "ten"}, t11 = {.tid = 11, .pid = 11, .comm = "eleven"};
    assert_int_equal(falco_host_threads_add(s, &t10), FALCO_OK);
    assert_int_equal(falco_host_threads_add(s, &t11), FALCO_OK);
    falco_host_fd fd = {.fd = 3, .type = 1, .name = "/etc/hosts"};
    assert_int_equal(falco_host_threads_add_fd(s, 10, &fd), FALCO_OK);
    *out = sdkt_load_api(falco_plugin_api_acc, "acc");
    if (falco_host_session_init(s, *out, "") != FALCO_OK)
        fail_msg("%s", falco_host_session_errmsg(s));
    return s;
}

/* Extracts field on an event of payload; the value formatted in buf, "" for
 * none, or "error: <last error>". */
static const char *acc_extract(falco_host_plugin *p, const char *field, uint64_t payload, char *buf, size_t n) {
    falco_host_extractor *x;
    assert_int_equal(falco_host_extractor_new(p, field, &x), FALCO_OK);
    falco_abi_event_input in = acc_event(payload);
    falco_host_values v;
    buf[0] = 0;
    if (falco_host_extract(x, &in, false, &v) != FALCO_OK)
        snprintf(buf, n, "error: %s", falco_host_plugin_last_error(p));
    else if (v.count)
        assert_int_equal(falco_host_value_format(&v, 0, buf, n), FALCO_OK);
    falco_host_extractor_free(x);
    return buf;
}

/* What fn writes to stderr, as a string (static). */
static const char *stderr_of(void (*fn)(void *), void *arg) {
    static char buf[1024];
    char path[] = "/tmp/falco_table_access_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    fflush(stderr);
    int saved = dup(2);
    dup2(fd, 2);
    fn(arg);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    assert_true(lseek(fd, 0, SEEK_SET) == 0);
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    unlink(path);
    buf[n > 0 ? n : 0] = 0;
    return buf;
}

static void free_plugin(void *p) {
    falco_host_plugin_free(p);
}

static void test_access_reads(void **state) {
    (void)state;
    falco_host_plugin *p;
    falco_host_session *s = acc_session(&p);
    char b[4096];
    assert_string_equal(acc_extract(p, "acc.pid", 10, b, sizeof b), "9");
    assert_string_equal(acc_extract(p, "acc.pid", 11, b, sizeof b), "11");
    assert_string_equal(acc_extract(p, "acc.pid", 12, b, sizeof b), ""); /* no such thread */
    assert_int_equal(falco_table_entries_held(g_p), 0);
    falco_host_session_free(s);
    falco_host_plugin_free(p);
}

static void test_access_refusals(void **state) {
    (void)state;
    falco_host_plugin *p;
    falco_host_session *s = acc_session(&p);
    char b[4096];
    assert_string_equal(
        acc_extract(p, "acc.misuse", 10, b, sizeof b),
        "key_type=FALCO_ETYPE[table 'threads': get_entry with a uint64 key, the table's key is int64] "
        "null_table=FALCO_EINVAL[tables: get_entry: no table (an optional import the host lacks?)] "
        "value_type=FALCO_ETYPE[table 'threads': field 'pid' is int64, read as uint64] "
        "null_field=FALCO_EINVAL[table 'threads': read with no field] "
        "null_entry=FALCO_EINVAL[table 'threads': read with no entry] "
        "read_null_table=FALCO_EINVAL[tables: read: no table (an optional import the host lacks?)] "
        "other_field=FALCO_EMISUSE[table 'threads': read: field 'name' belongs to table 'threads.file_descriptors'] "
        "own_table=FALCO_EMISUSE[table 'acc_own': read: the plugin's own table: use falco_table_lookup] "
        "write=FALCO_EMISUSE[table 'threads': write of field 'pid' during extraction (the host grants read-only "
        "access there)] "
        "nested_read=FALCO_OK[] fd3=/etc/hosts held=2 held=0");
    assert_int_equal(falco_host_session_entries_held(s), 0);
    falco_host_session_free(s);
    falco_host_plugin_free(p);
}

/* Between host calls nothing is granted: every access is refused. */
static void test_access_outside_call(void **state) {
    (void)state;
    falco_host_plugin *p;
    falco_host_session *s = acc_session(&p);
    char b[64];
    assert_string_equal(acc_extract(p, "acc.pid", 10, b, sizeof b), "9"); /* a call granted, then ended */
    falco_table_entry *e = (falco_table_entry *)b;
    assert_int_equal(falco_table_get_entry(g_p, g_st->threads, FALCO_TABLE_KEY_I64(10), &e), FALCO_EMISUSE);
    assert_null(e);
    assert_string_equal(falco_plugin_last_error(g_p), "table 'threads': get_entry outside a host call (the host "
                                                      "grants tables during its calls only)");
    int64_t pid = 0;
    assert_int_equal(falco_table_read_i64(g_p, g_st->threads, (falco_table_entry *)b, g_st->pid, &pid),
                     FALCO_EMISUSE);
    assert_string_equal(falco_plugin_last_error(g_p), "table 'threads': read outside a host call (the host grants "
                                                      "tables during its calls only)");
    falco_table_release(g_p, g_st->threads, (falco_table_entry *)b); /* refused: nothing released, not counted */
    assert_int_equal(falco_table_entries_held(g_p), 0);
    /* the owner's own table needs no host call */
    acc_entry *own = falco_table_lookup(g_st->own, FALCO_TABLE_KEY_I64(1));
    assert_non_null(own);
    assert_int_equal(own->v, 7);
    falco_host_session_free(s);
    falco_host_plugin_free(p);
}

/* A release too many: entries_held stays 0, destroy says so. */
static void test_access_overrelease_reported(void **state) {
    (void)state;
    falco_host_plugin *p;
    falco_host_session *s = acc_session(&p);
    char b[64];
    assert_string_equal(acc_extract(p, "acc.overrelease", 10, b, sizeof b), "0");
    falco_host_session_free(s);
    const char *err = stderr_of(free_plugin, p);
    if (!strstr(err, "[acc] warning: tables: 1 more table entries released than got at destroy"))
        fail_msg("stderr: %s", err);
}

/* ---- the owner's lookup: every key type, across growth ---- */
typedef struct {
    int64_t k;
} key_entry;
typedef struct {
    falco_table *i8, *i16, *i32, *i64, *u8, *u16, *u32, *u64, *b, *str;
} keys_state;
static const falco_table_column key_columns[] = {
    FALCO_TABLE_COLUMN(key_entry, k, "k", FALCO_TABLE_I64),
};
static const falco_table_export key_exports[] = {
    FALCO_TABLE_EXPORT(keys_state, i8, "k_i8", FALCO_TABLE_I8, key_entry, key_columns),
    FALCO_TABLE_EXPORT(keys_state, i16, "k_i16", FALCO_TABLE_I16, key_entry, key_columns),
    FALCO_TABLE_EXPORT(keys_state, i32, "k_i32", FALCO_TABLE_I32, key_entry, key_columns),
    FALCO_TABLE_EXPORT(keys_state, i64, "k_i64", FALCO_TABLE_I64, key_entry, key_columns),
    FALCO_TABLE_EXPORT(keys_state, u8, "k_u8", FALCO_TABLE_U8, key_entry, key_columns),
    FALCO_TABLE_EXPORT(keys_state, u16, "k_u16", FALCO_TABLE_U16, key_entry, key_columns),
    FALCO_TABLE_EXPORT(keys_state, u32, "k_u32", FALCO_TABLE_U32, key_entry, key_columns),
    FALCO_TABLE_EXPORT(keys_state, u64, "k_u64", FALCO_TABLE_U64, key_entry, key_columns),
    FALCO_TABLE_EXPORT(keys_state, b, "k_bool", FALCO_TABLE_BOOL, key_entry, key_columns),
    FALCO_TABLE_EXPORT(keys_state, str, "k_str", FALCO_TABLE_STRING, key_entry, key_columns),
};

/* The i-th of n keys of a table: spread over the type's whole range,
 * negative ones included, and consecutive runs (the keys hashing nearby). */
static int64_t key_at(int64_t i, int64_t lo, int64_t span) {
    return lo + (i % 2 ? i / 2 : span - 1 - i / 2);
}

static bool count_visit(falco_table_entry *e, void *userdata) {
    (void)e;
    ++*(uint64_t *)userdata;
    return true;
}
static falco_abi_bool count_abi(falco_abi_table_iterator_state_t *s, falco_abi_table_entry_t *e) {
    return count_visit(e, s);
}

/* Emplaces n keys of kt in t (by mk), then checks that each is found, with
 * its entry, that the host's iteration visits each once, that keys of
 * other types are refused, and after removing every other key that exactly
 * the rest are found. */
#define CHECK_KEYS(t, mk, ctype, n, lo, span)                                                              \
    do {                                                                                                   \
        for (int64_t i_ = 0; i_ < (n); i_++) {                                                             \
            key_entry *e_ = falco_table_emplace((t), mk((ctype)key_at(i_, (lo), (span))));                 \
            assert_non_null(e_);                                                                           \
            e_->k = key_at(i_, (lo), (span));                                                              \
        }                                                                                                  \
        assert_int_equal(falco_table_count(t), (uint64_t)(n));                                             \
        for (int64_t i_ = 0; i_ < (n); i_++) {                                                             \
            key_entry *e_ = falco_table_lookup((t), mk((ctype)key_at(i_, (lo), (span))));                  \
            if (!e_ || e_->k != key_at(i_, (lo), (span)))                                                  \
                fail_msg("%s: key %lld: %s", #t, (long long)key_at(i_, (lo), (span)), e_ ? "wrong" : "missing"); \
        }                                                                                                  \
        uint64_t visits_ = 0;                                                                              \
        const falco_abi_table_input *in_ = falco_table_abi_input(t);                                       \
        assert_int_equal(in_->reader_ext->iterate_entries(in_->table, count_abi, &visits_), 1);            \
        assert_int_equal(visits_, (uint64_t)(n));                                                          \
        assert_null(falco_table_lookup((t), FALCO_TABLE_KEY_STR("x")));                                    \
        for (int64_t i_ = 0; i_ < (n); i_ += 2)                                                            \
            assert_int_equal(falco_table_remove((t), mk((ctype)key_at(i_, (lo), (span)))), FALCO_OK);      \
        for (int64_t i_ = 0; i_ < (n); i_++) {                                                             \
            key_entry *e_ = falco_table_lookup((t), mk((ctype)key_at(i_, (lo), (span))));                  \
            if ((e_ != NULL) != (i_ % 2 == 1))                                                             \
                fail_msg("%s: key %lld after removals: %s", #t, (long long)key_at(i_, (lo), (span)),       \
                         e_ ? "found" : "missing");                                                        \
        }                                                                                                  \
    } while (0)

static falco_rc keys_init(falco_plugin *p, void *state) {
    (void)p;
    keys_state *st = state;
    CHECK_KEYS(st->i8, FALCO_TABLE_KEY_I8, int8_t, 256, -128, 256);
    CHECK_KEYS(st->u8, FALCO_TABLE_KEY_U8, uint8_t, 256, 0, 256);
    CHECK_KEYS(st->i16, FALCO_TABLE_KEY_I16, int16_t, 3000, -32768, 65536);
    CHECK_KEYS(st->u16, FALCO_TABLE_KEY_U16, uint16_t, 3000, 0, 65536);
    CHECK_KEYS(st->i32, FALCO_TABLE_KEY_I32, int32_t, 3000, INT32_MIN, (int64_t)1 << 32);
    CHECK_KEYS(st->u32, FALCO_TABLE_KEY_U32, uint32_t, 3000, 0, (int64_t)1 << 32);
    CHECK_KEYS(st->i64, FALCO_TABLE_KEY_I64, int64_t, 5000, -2500, 5000);
    CHECK_KEYS(st->u64, FALCO_TABLE_KEY_U64, uint64_t, 5000, 0, 5000);
    CHECK_KEYS(st->b, FALCO_TABLE_KEY_BOOL, bool, 2, 0, 2);
    /* 64-bit keys far apart, multiples of a power of two (one bucket for a
     * hash that kept low bits), and the extremes */
    for (uint64_t i = 0; i < 600; i++) {
        key_entry *e = falco_table_emplace(st->u64, FALCO_TABLE_KEY_U64(i << 40));
        assert_non_null(e);
        e->k = (int64_t)i;
    }
    assert_non_null(falco_table_emplace(st->u64, FALCO_TABLE_KEY_U64(UINT64_MAX)));
    assert_non_null(falco_table_emplace(st->i64, FALCO_TABLE_KEY_I64(INT64_MIN)));
    for (uint64_t i = 1; i < 600; i++) {
        key_entry *e = falco_table_lookup(st->u64, FALCO_TABLE_KEY_U64(i << 40));
        if (!e || e->k != (int64_t)i)
            fail_msg("u64 key %llu << 40: %s", (unsigned long long)i, e ? "wrong" : "missing");
    }
    assert_non_null(falco_table_lookup(st->u64, FALCO_TABLE_KEY_U64(UINT64_MAX)));
    assert_non_null(falco_table_lookup(st->i64, FALCO_TABLE_KEY_I64(INT64_MIN)));
    assert_null(falco_table_lookup(st->i64, FALCO_TABLE_KEY_I64(INT64_MAX)));
    /* a key of another type of the same width: refused, not read as bits */
    assert_null(falco_table_lookup(st->i64, FALCO_TABLE_KEY_U64(1)));
    assert_null(falco_table_lookup(st->u64, FALCO_TABLE_KEY_I64(1)));
    assert_null(falco_table_lookup(NULL, FALCO_TABLE_KEY_U64(1)));
    /* strings */
    char k[32];
    for (int i = 0; i < 2000; i++) {
        snprintf(k, sizeof k, "key-%d", i);
        key_entry *e = falco_table_emplace(st->str, FALCO_TABLE_KEY_STR(k));
        assert_non_null(e);
        e->k = i;
    }
    for (int i = 0; i < 2000; i++) {
        snprintf(k, sizeof k, "key-%d", i);
        key_entry *e = falco_table_lookup(st->str, FALCO_TABLE_KEY_STR(k));
        if (!e || e->k != i)
            fail_msg("string key %s: %s", k, e ? "wrong" : "missing");
    }
    assert_null(falco_table_lookup(st->str, FALCO_TABLE_KEY_STR("key-2000")));
    assert_null(falco_table_lookup(st->str, FALCO_TABLE_KEY_STR(NULL)));
    assert_null(falco_table_lookup(st->str, FALCO_TABLE_KEY_U64(1)));
    return FALCO_OK;
}
FALCO_PLUGIN(keys, META("keys"), .state_size = sizeof(keys_state), .init = keys_init,
             .tables_export = FALCO_TABLE_EXPORTS(key_exports));
static const falco_field keys_fields[] = {
    {.name = "keys.one", .type = FALCO_FIELD_U64, .desc = "1", .extract = sdkt_one},
};
FALCO_EXTRACT(keys, .fields = FALCO_LIST(keys_fields), .sources = FALCO_SOURCES(ACC_SOURCE));

static void test_owner_lookup_keys(void **state) {
    (void)state;
    falco_host_plugin *p = sdkt_load_api(falco_plugin_api_keys, "keys");
    if (falco_host_plugin_init(p, "") != FALCO_OK)
        fail_msg("%s", falco_host_errmsg(p));
    falco_host_plugin_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_access_reads),
        cmocka_unit_test(test_access_refusals),
        cmocka_unit_test(test_access_outside_call),
        cmocka_unit_test(test_access_overrelease_reported),
        cmocka_unit_test(test_owner_lookup_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
