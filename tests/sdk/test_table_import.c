/* State tables, importing side: init refusals naming the table and field
 * (through a host session holding a `threads` table), and the plugin API
 * version derived from the imports. Plugins compiled into this binary; the
 * import of a real capture's threads is tests/sdk/test_table_threads.c. */
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

#define META(n) .name = n, .version = "1.0.0", .contact = "t@example.com", .description = "table import test"

/* ---- plugins whose imports do not match the host's table ---- */
typedef struct {
    falco_table *t;
    falco_table_field *f;
} bad_state;
static falco_rc bad_parse(falco_parse *ps, void *state, const falco_event *ev) {
    (void)ps, (void)state, (void)ev;
    return FALCO_OK;
}
#define BAD_PLUGIN(id, tname, ktype, fname, ftype)                                                               \
    static const falco_table_field_import id##_fields[] = {FALCO_TABLE_FIELD(bad_state, f, fname, ftype)};      \
    static const falco_table_import id##_imports[] = {                                                          \
        FALCO_TABLE_IMPORT(bad_state, t, tname, ktype, id##_fields)};                                           \
    FALCO_PLUGIN(id, META(#id), .state_size = sizeof(bad_state),                                                \
                 .tables_import = FALCO_TABLE_IMPORTS(id##_imports));                                           \
    FALCO_PARSE(id, .parse = bad_parse)
BAD_PLUGIN(bad_ftype, "threads", FALCO_TABLE_I64, "comm", FALCO_TABLE_U64);
BAD_PLUGIN(bad_field, "threads", FALCO_TABLE_I64, "no_such_field", FALCO_TABLE_U64);
BAD_PLUGIN(bad_table, "no_such_table", FALCO_TABLE_I64, "comm", FALCO_TABLE_STRING);
BAD_PLUGIN(bad_key, "threads", FALCO_TABLE_U64, "comm", FALCO_TABLE_STRING);
BAD_PLUGIN(ok_plain, "threads", FALCO_TABLE_I64, "comm", FALCO_TABLE_STRING);

/* Nested import on plugin events only: the version comes from the tables. */
typedef struct {
    falco_table *t;
    falco_table_field *fds, *name;
} nest_state;
static const falco_table_field_import nest_fd[] = {FALCO_TABLE_FIELD(nest_state, name, "name", FALCO_TABLE_STRING)};
static const falco_table_field_import nest_fields[] = {
    FALCO_TABLE_NESTED(nest_state, fds, "file_descriptors", FALCO_TABLE_I64, nest_fd)};
static const falco_table_import nest_imports[] = {
    FALCO_TABLE_IMPORT(nest_state, t, "threads", FALCO_TABLE_I64, nest_fields)};
FALCO_PLUGIN(nest, META("nest"), .state_size = sizeof(nest_state),
             .tables_import = FALCO_TABLE_IMPORTS(nest_imports));
FALCO_PARSE(nest, .parse = bad_parse);

/* Declared as FALCO_LIST would (no hooks): refused, the tables code would
 * not be linked. */
FALCO_PLUGIN(bad_list, META("bad_list"), .state_size = sizeof(bad_state),
             .tables_import = {ok_plain_imports, 1, NULL});
FALCO_PARSE(bad_list, .parse = bad_parse);

/* Leaks an entry in init: the SDK reports it at destroy. */
static falco_rc leaky_init(falco_plugin *p, void *state) {
    bad_state *st = state;
    falco_table_entry *e;
    FALCO_TRY(falco_table_get_entry(p, st->t, FALCO_TABLE_KEY_I64(1), &e));
    assert_int_equal(falco_table_entries_held(p), 1);
    return FALCO_OK;
}
FALCO_PLUGIN(leaky, META("leaky"), .state_size = sizeof(bad_state), .init = leaky_init,
             .tables_import = FALCO_TABLE_IMPORTS(ok_plain_imports));
FALCO_PARSE(leaky, .parse = bad_parse);

static void init_fails(void (*get)(falco_abi_plugin_api *), const char *label, const char *want) {
    falco_host_session *s;
    assert_int_equal(falco_host_session_new(0, &s), FALCO_OK);
    falco_host_thread t = {.tid = 1, .pid = 1, .comm = "init"};
    assert_int_equal(falco_host_threads_add(s, &t), FALCO_OK);
    falco_host_plugin *p = sdkt_load_api(get, label);
    assert_int_equal(falco_host_session_init(s, p, ""), FALCO_ERROR);
    if (!strstr(falco_host_session_errmsg(s), want))
        fail_msg("'%s' does not contain '%s'", falco_host_session_errmsg(s), want);
    falco_host_session_free(s);
    falco_host_plugin_free(p);
}

static void test_import_refusals(void **state) {
    (void)state;
    init_fails(falco_plugin_api_bad_ftype, "bad_ftype",
               "table 'threads': field 'comm' is string here, the plugin expects uint64");
    init_fails(falco_plugin_api_bad_field, "bad_field", "table 'threads': no field 'no_such_field' (it has: ");
    init_fails(falco_plugin_api_bad_table, "bad_table",
               "table 'no_such_table': the host has no such table (it has: threads)");
    init_fails(falco_plugin_api_bad_key, "bad_key", "table 'threads': key is int64 here, the plugin expects uint64");
    init_fails(falco_plugin_api_bad_list, "bad_list",
               "plugin 'bad_list': declare tables with FALCO_TABLE_IMPORTS()/FALCO_TABLE_EXPORTS(), not FALCO_LIST()");
    /* alone (no session): the host gives no tables */
    falco_host_plugin *p = sdkt_load_api(falco_plugin_api_ok_plain, "ok_plain");
    assert_int_equal(falco_host_plugin_init(p, ""), FALCO_ERROR);
    falco_host_plugin_free(p);
}

static void test_import_leak_reported(void **state) {
    (void)state;
    falco_host_session *s;
    assert_int_equal(falco_host_session_new(0, &s), FALCO_OK);
    falco_host_thread t = {.tid = 1, .pid = 1, .comm = "init"};
    assert_int_equal(falco_host_threads_add(s, &t), FALCO_OK);
    falco_host_plugin *p = sdkt_load_api(falco_plugin_api_leaky, "leaky");
    if (falco_host_session_init(s, p, "") != FALCO_OK)
        fail_msg("%s", falco_host_session_errmsg(s));
    assert_int_equal(falco_host_session_entries_held(s), 1);
    falco_host_session_free(s); /* plugins outlive their session */
    /* destroy says so on stderr (the host's owner may be gone by then) */
    char path[] = "/tmp/falco_table_leak_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    fflush(stderr);
    int saved = dup(2);
    dup2(fd, 2);
    falco_host_plugin_free(p);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    char buf[512] = "";
    assert_true(lseek(fd, 0, SEEK_SET) == 0);
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    unlink(path);
    assert_true(n > 0);
    buf[n] = 0;
    if (!strstr(buf, "[leaky] warning: tables: 1 table entries not released at destroy"))
        fail_msg("stderr: %s", buf);
}

static void test_import_versions(void **state) {
    (void)state;
    falco_abi_plugin_api api;
    falco_plugin_api_ok_plain(&api);
    assert_string_equal(api.get_required_api_version(), "3.1.0"); /* the _ext vtables */
    falco_plugin_api_nest(&api);
    assert_string_equal(api.get_required_api_version(), "3.5.0"); /* nested table fields */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_import_refusals),
        cmocka_unit_test(test_import_leak_reported),
        cmocka_unit_test(test_import_versions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
