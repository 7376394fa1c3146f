/* Parse, async and listen declarations: the derived plugin API and event
 * schema versions, the getters, and invalid declarations failing init with
 * a message naming the entry. Plugins compiled into this binary
 * (FALCO_PLUGIN_STATIC). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "static_test.h"

static falco_rc p_ok(falco_parse *ps, void *state, const falco_event *ev) {
    (void)ps, (void)state, (void)ev;
    return FALCO_OK;
}
static falco_rc a_task(falco_plugin *p, void *state, falco_async *a) {
    (void)p, (void)state, (void)a;
    return FALCO_OK;
}
static falco_rc a_dump(falco_plugin *p, void *state, falco_async *a) {
    (void)p, (void)state, (void)a;
    return FALCO_OK;
}
static falco_rc a_start(falco_plugin *p, void *state, falco_async *a) {
    (void)p, (void)state, (void)a;
    return FALCO_OK;
}
static falco_rc l_hook(falco_listen *l, void *state) {
    (void)l, (void)state;
    return FALCO_OK;
}
static const falco_field one_field[] = {{.name = "t.one", .type = FALCO_FIELD_U64, .desc = "one", .extract = sdkt_one}};
static const uint16_t open_codes[] = {FALCO_PPME_SYSCALL_OPENAT_2_X, FALCO_PPME_SYSCALL_OPEN_X};

#define META(n) .name = n, .version = "1.0.0", .contact = "t@example.com", .description = "capability test"

/* ---- valid declarations and their versions ---- */
FALCO_PLUGIN(v_parse, META("v_parse"));
FALCO_PARSE(v_parse, .parse = p_ok);

FALCO_PLUGIN(v_parse_sys, META("v_parse_sys"));
FALCO_PARSE(v_parse_sys, .parse = p_ok, .event_types = FALCO_LIST(open_codes), .sources = FALCO_SOURCES("syscall"));

FALCO_PLUGIN(v_parse_all, META("v_parse_all"));
FALCO_PARSE(v_parse_all, .parse = p_ok, .all_event_types = true);

FALCO_PLUGIN(v_parse_all_own, META("v_parse_all_own"));
FALCO_PARSE(v_parse_all_own, .parse = p_ok, .all_event_types = true, .sources = FALCO_SOURCES("k8s"));

FALCO_PLUGIN(v_async, META("v_async"));
FALCO_ASYNC(v_async, .events = FALCO_STRINGS("a", "b"), .task = a_task, .task_interval_ms = 10);

FALCO_PLUGIN(v_dump, META("v_dump"));
FALCO_ASYNC(v_dump, .events = FALCO_STRINGS("a"), .dump_state = a_dump, .sources = FALCO_SOURCES("syscall", "k8s"));

FALCO_PLUGIN(v_listen, META("v_listen"));
FALCO_LISTEN(v_listen, .capture_open = l_hook, .capture_close = l_hook);

FALCO_PLUGIN(v_all, META("v_all"));
FALCO_PARSE(v_all, .parse = p_ok);
FALCO_EXTRACT(v_all, .fields = FALCO_LIST(one_field));
FALCO_ASYNC(v_all, .events = FALCO_STRINGS("a"), .dump_state = a_dump);
FALCO_LISTEN(v_all, .capture_open = l_hook, .capture_close = l_hook);

FALCO_PLUGIN(v_listen_low, META("v_listen_low"), .required_api_version = "3.6.0");
FALCO_LISTEN(v_listen_low, .capture_open = l_hook, .capture_close = l_hook);

FALCO_PLUGIN(v_dump_low, META("v_dump_low"), .required_api_version = "3.9.0");
FALCO_ASYNC(v_dump_low, .events = FALCO_STRINGS("a"), .dump_state = a_dump);

/* ---- invalid declarations, one defect each ---- */
FALCO_PLUGIN(e_parse_nofn, META("e_parse_nofn"));
FALCO_PARSE(e_parse_nofn, .event_types = FALCO_EVENT_TYPES(322));

FALCO_PLUGIN(e_parse_badcode, META("e_parse_badcode"));
FALCO_PARSE(e_parse_badcode, .parse = p_ok, .event_types = FALCO_EVENT_TYPES(322, 9999));

FALCO_PLUGIN(e_parse_unused, META("e_parse_unused"));
FALCO_PARSE(e_parse_unused, .parse = p_ok, .event_types = FALCO_EVENT_TYPES(403));

FALCO_PLUGIN(e_parse_dupcode, META("e_parse_dupcode"));
FALCO_PARSE(e_parse_dupcode, .parse = p_ok, .event_types = FALCO_EVENT_TYPES(322, 402, 322));

FALCO_PLUGIN(e_parse_both, META("e_parse_both"));
FALCO_PARSE(e_parse_both, .parse = p_ok, .event_types = FALCO_EVENT_TYPES(322), .all_event_types = true);

FALCO_PLUGIN(e_parse_emptysrc, META("e_parse_emptysrc"));
FALCO_PARSE(e_parse_emptysrc, .parse = p_ok, .sources = FALCO_SOURCES("k8s", ""));

static falco_event_type_list p_choose(falco_plugin *p, void *state) {
    (void)p, (void)state;
    return (falco_event_type_list){NULL, 0};
}
FALCO_PLUGIN(e_parse_choose_both, META("e_parse_choose_both"));
FALCO_PARSE(e_parse_choose_both, .parse = p_ok, .choose_event_types = p_choose, .all_event_types = true);

FALCO_PLUGIN(e_async_noevents, META("e_async_noevents"));
FALCO_ASYNC(e_async_noevents, .task = a_task, .task_interval_ms = 1);

FALCO_PLUGIN(e_async_emptyname, META("e_async_emptyname"));
FALCO_ASYNC(e_async_emptyname, .events = FALCO_STRINGS("a", ""));

FALCO_PLUGIN(e_async_dup, META("e_async_dup"));
FALCO_ASYNC(e_async_dup, .events = FALCO_STRINGS("a", "b", "a"));

FALCO_PLUGIN(e_async_nostop, META("e_async_nostop"));
FALCO_ASYNC(e_async_nostop, .events = FALCO_STRINGS("a"), .start = a_start);

FALCO_PLUGIN(e_async_nointerval, META("e_async_nointerval"));
FALCO_ASYNC(e_async_nointerval, .events = FALCO_STRINGS("a"), .task = a_task);

FALCO_PLUGIN(e_async_notask, META("e_async_notask"));
FALCO_ASYNC(e_async_notask, .events = FALCO_STRINGS("a"), .task_interval_ms = 5);

FALCO_PLUGIN(e_listen_noclose, META("e_listen_noclose"));
FALCO_LISTEN(e_listen_noclose, .capture_open = l_hook);

FALCO_PLUGIN(e_listen_none, META("e_listen_none"));
FALCO_LISTEN(e_listen_none, .capture_open = NULL);

static void test_versions(void **state) {
    (void)state;
    sdkt_expect_version(falco_plugin_api_v_parse, "v_parse", "3.0.0", NULL);
    sdkt_expect_version(falco_plugin_api_v_parse_sys, "v_parse_sys", "3.12.0", "4.5.1");
    sdkt_expect_version(falco_plugin_api_v_parse_all, "v_parse_all", "3.12.0", "4.5.1");
    /* every type of a non-syscall source means plugin events only */
    sdkt_expect_version(falco_plugin_api_v_parse_all_own, "v_parse_all_own", "3.0.0", NULL);
    sdkt_expect_version(falco_plugin_api_v_async, "v_async", "3.0.0", NULL);
    sdkt_expect_version(falco_plugin_api_v_dump, "v_dump", "3.10.0", NULL);
    sdkt_expect_version(falco_plugin_api_v_listen, "v_listen", "3.7.0", NULL);
    sdkt_expect_version(falco_plugin_api_v_all, "v_all", "3.10.0", NULL);
}

static void test_getters(void **state) {
    (void)state;
    falco_abi_plugin_api api;
    falco_plugin_api_v_parse_sys(&api);
    uint32_t n = 0;
    uint16_t *t = api.get_parse_event_types(&n, NULL);
    assert_int_equal(n, 2);
    assert_int_equal(t[0], FALCO_PPME_SYSCALL_OPENAT_2_X);
    assert_int_equal(t[1], FALCO_PPME_SYSCALL_OPEN_X);
    assert_string_equal(api.get_parse_event_sources(), "[\"syscall\"]");

    falco_plugin_api_v_parse_all(&api);
    n = 7;
    assert_null(api.get_parse_event_types(&n, NULL));
    assert_int_equal(n, 0);
    falco_host_plugin *p = sdkt_load_api(falco_plugin_api_v_parse_all, "v_parse_all");
    assert_int_equal(falco_host_plugin_init(p, ""), FALCO_OK);
    size_t hn;
    bool all = false;
    falco_host_plugin_parse_types(p, &hn, &all);
    assert_true(all);
    falco_host_plugin_free(p);

    falco_plugin_api_v_dump(&api);
    assert_string_equal(api.get_async_events(), "[\"a\"]");
    assert_string_equal(api.get_async_event_sources(), "[\"syscall\",\"k8s\"]");
    assert_non_null(api.dump_state);
    falco_plugin_api_v_async(&api);
    assert_string_equal(api.get_async_events(), "[\"a\",\"b\"]");
    assert_null(api.get_async_event_sources());
    assert_null(api.dump_state); /* a static plugin's struct gets it only with .dump_state (3.10) */

    /* each macro fills exactly its capability's members */
    falco_plugin_api_v_listen(&api);
    assert_non_null(api.capture_open);
    assert_non_null(api.capture_close);
    assert_null(api.parse_event);
    assert_null(api.get_async_events);
    assert_null(api.set_async_event_handler);
    assert_null(api.get_fields);
    assert_null(api.next_batch);
    falco_plugin_api_v_parse(&api);
    assert_null(api.capture_open);
    assert_null(api.get_async_events);
    assert_null(api.extract_fields);
}

static void expect_init_error(void (*get)(falco_abi_plugin_api *), const char *msg) {
    char buf[1024];
    falco_abi_rc rc;
    assert_string_equal(sdkt_raw_init(get, "", &rc, buf, sizeof buf), msg);
    assert_int_equal(rc, FALCO_ABI_RC_FAILURE);
}

static void test_override_below_needs(void **state) {
    (void)state;
    expect_init_error(falco_plugin_api_v_listen_low,
                      "plugin 'v_listen_low': .required_api_version 3.6.0 is below 3.7.0, which capture listening "
                      "(FALCO_LISTEN) needs");
    expect_init_error(falco_plugin_api_v_dump_low,
                      "plugin 'v_dump_low': .required_api_version 3.9.0 is below 3.10.0, which dump_state "
                      "(FALCO_ASYNC .dump_state) needs");
}

static void test_declaration_errors(void **state) {
    (void)state;
    expect_init_error(falco_plugin_api_e_parse_nofn, "plugin 'e_parse_nofn': FALCO_PARSE needs a .parse function");
    expect_init_error(falco_plugin_api_e_parse_badcode,
                      "plugin 'e_parse_badcode': FALCO_PARSE .event_types[1] = 9999: not an event code of event "
                      "schema 4.5.1");
    expect_init_error(falco_plugin_api_e_parse_unused,
                      "plugin 'e_parse_unused': FALCO_PARSE .event_types[0] = 403: an unused event code");
    expect_init_error(falco_plugin_api_e_parse_dupcode,
                      "plugin 'e_parse_dupcode': FALCO_PARSE .event_types[2] = 322 duplicates [0]");
    expect_init_error(falco_plugin_api_e_parse_both,
                      "plugin 'e_parse_both': FALCO_PARSE sets both .event_types and .all_event_types");
    expect_init_error(falco_plugin_api_e_parse_emptysrc, "plugin 'e_parse_emptysrc': FALCO_PARSE .sources[1] is empty");
    expect_init_error(falco_plugin_api_e_parse_choose_both,
                      "plugin 'e_parse_choose_both': FALCO_PARSE sets .choose_event_types and .all_event_types");
    expect_init_error(falco_plugin_api_e_async_noevents,
                      "plugin 'e_async_noevents': FALCO_ASYNC needs at least one name in .events");
    expect_init_error(falco_plugin_api_e_async_emptyname, "plugin 'e_async_emptyname': FALCO_ASYNC .events[1] is empty");
    expect_init_error(falco_plugin_api_e_async_dup,
                      "plugin 'e_async_dup': FALCO_ASYNC .events[2] \"a\" duplicates .events[0]");
    expect_init_error(falco_plugin_api_e_async_nostop,
                      "plugin 'e_async_nostop': FALCO_ASYNC .start needs a .stop that ends what it started");
    expect_init_error(falco_plugin_api_e_async_nointerval,
                      "plugin 'e_async_nointerval': FALCO_ASYNC .task needs .task_interval_ms (1 or more)");
    expect_init_error(falco_plugin_api_e_async_notask,
                      "plugin 'e_async_notask': FALCO_ASYNC .task_interval_ms is set without a .task");
    expect_init_error(falco_plugin_api_e_listen_noclose,
                      "plugin 'e_listen_noclose': FALCO_LISTEN needs both .capture_open and .capture_close "
                      "(.capture_close is missing)");
    expect_init_error(falco_plugin_api_e_listen_none,
                      "plugin 'e_listen_none': FALCO_LISTEN needs both .capture_open and .capture_close");
    /* an invalid async declaration still loads (get_async_events answers "[]") and init says why */
    falco_host_plugin *p = sdkt_load_api(falco_plugin_api_e_async_dup, "e_async_dup");
    assert_int_equal(falco_host_plugin_init(p, ""), FALCO_ERROR);
    assert_non_null(strstr(falco_host_errmsg(p), "FALCO_ASYNC .events[2] \"a\" duplicates .events[0]"));
    falco_host_plugin_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_versions),
        cmocka_unit_test(test_getters),
        cmocka_unit_test(test_override_below_needs),
        cmocka_unit_test(test_declaration_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
