/* parse_event, async events from another thread, dump_state, listening. */
#include <stdatomic.h>

#include "host_test.h"

static void test_parse_failures_are_logged(void **state)
{
    log_capture log = { "" };
    falco_host_plugin *p = init_ok("good", "{\"count\":4}", &log);
    falco_host_instance *in;
    const falco_abi_event *ev;
    assert_int_equal(falco_host_open(p, NULL, &in), FALCO_OK);
    int failed = 0;
    while (falco_host_next(in, &ev) == FALCO_OK) {
        falco_abi_event_input ei = { ev, falco_host_instance_evtnum(in), NULL };
        if (falco_host_parse(p, &ei) != FALCO_OK)
            failed++;
    }
    assert_int_equal(failed, 1);
    assert_non_null(strstr(log.text, "error|rawtest|plugin 'rawtest': parse_event: failed on event 3 with FAILURE: cannot "
                                     "parse 3\n"));
    const falco_abi_metric *m;
    uint32_t n;
    assert_int_equal(falco_host_plugin_metrics(p, &m, &n), FALCO_OK);
    assert_int_equal(m[0].value.u64, 3);
    falco_host_close(in);
    falco_host_plugin_free(p);
}

static atomic_int g_received;

static void on_async(void *userdata, falco_host_plugin *p, const falco_abi_event *evt)
{
    const char *name = (const char *)evt + 26 + 16;
    if (strcmp(name, "tick") == 0 && userdata == (void *)&g_received)
        atomic_fetch_add(&g_received, 1);
}

static void test_async_events(void **state)
{
    log_capture log = { "" };
    falco_host_plugin *p = init_ok("good", NULL, &log);
    atomic_store(&g_received, 0);
    /* the plugin sends "tick" (accepted) and "tock" (rejected) from a thread */
    assert_int_equal(falco_host_set_async_handler(p, on_async, &g_received), FALCO_OK);
    assert_int_equal(atomic_load(&g_received), 1);
    assert_int_equal(falco_host_async_rejected(p), 1);
    assert_non_null(strstr(log.text, "error|rawtest|incompatible async event 'tock' produced by plugin: rawtest\n"));
    assert_int_equal(falco_host_set_async_handler(p, on_async, &g_received), FALCO_EMISUSE);
    assert_string_equal(falco_host_errmsg(p), "plugin 'rawtest': set_async_event_handler: must reset the async event "
                                              "handler before setting a new one");
    assert_int_equal(falco_host_set_async_handler(p, NULL, NULL), FALCO_OK);
    assert_int_equal(falco_host_set_async_handler(p, on_async, &g_received), FALCO_OK);
    assert_int_equal(atomic_load(&g_received), 2);

    assert_int_equal(falco_host_dump_state(p, on_async, &g_received), FALCO_OK);
    assert_int_equal(atomic_load(&g_received), 3);
    falco_host_plugin_free(p);
}

static void test_capture_listen(void **state)
{
    falco_host_plugin *p = init_ok("good", NULL, NULL);
    assert_int_equal(falco_host_run_routines(p), 0);
    assert_int_equal(falco_host_capture_open(p), FALCO_OK);
    assert_int_equal(falco_host_run_routines(p), 1); /* runs, asks for more */
    assert_int_equal(falco_host_run_routines(p), 0); /* returns false: unsubscribed */
    assert_int_equal(falco_host_run_routines(p), 0);
    assert_int_equal(falco_host_capture_close(p), FALCO_OK);
    falco_host_plugin_free(p);
}

static void test_misuse_before_init(void **state)
{
    falco_host_plugin *p = load_ok("good");
    assert_int_equal(falco_host_capture_open(p), FALCO_EMISUSE);
    assert_int_equal(falco_host_set_async_handler(p, on_async, NULL), FALCO_EMISUSE);
    assert_int_equal(falco_host_dump_state(p, on_async, NULL), FALCO_EMISUSE);
    const falco_abi_metric *m;
    uint32_t n;
    assert_int_equal(falco_host_plugin_metrics(p, &m, &n), FALCO_EMISUSE);
    assert_string_equal(falco_host_errmsg(p), "plugin 'rawtest': get_metrics: plugin capability used before init");
    falco_host_plugin_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_failures_are_logged),
        cmocka_unit_test(test_async_events),
        cmocka_unit_test(test_capture_listen),
        cmocka_unit_test(test_misuse_before_init),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
