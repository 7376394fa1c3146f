/* Two plugins built with FALCO_PLUGIN_STATIC into one binary
 * (plugins/static_a.c, plugins/static_b.c): each api obtained with
 * falco_plugin_api_<id>() and loaded with falco_host_plugin_load_api; they
 * work together and independently. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "sdk_test.h"
#include "static_test.h"

void falco_plugin_api_static_a(falco_abi_plugin_api *out);
void falco_plugin_api_static_b(falco_abi_plugin_api *out);

static void test_two_static_plugins(void **state) {
    (void)state;
    falco_abi_plugin_api api_a, api_b;
    falco_plugin_api_static_a(&api_a);
    falco_plugin_api_static_b(&api_b);
    assert_string_equal(api_a.get_name(), "static_a");
    assert_string_equal(api_b.get_name(), "static_b");
    assert_non_null(api_a.next_batch);
    assert_null(api_b.next_batch); /* b declares no source */

    falco_host_plugin *a = sdkt_load_api(falco_plugin_api_static_a, "static_a");
    falco_host_plugin *b = sdkt_load_api(falco_plugin_api_static_b, "static_b");
    assert_int_equal(falco_host_plugin_caps(a), FALCO_HOST_CAP_SOURCE | FALCO_HOST_CAP_EXTRACT);
    assert_int_equal(falco_host_plugin_caps(b), FALCO_HOST_CAP_EXTRACT);
    assert_string_equal(falco_host_plugin_version(b), "2.0.0");
    assert_int_equal(falco_host_plugin_init(a, ""), FALCO_OK);
    assert_int_equal(falco_host_plugin_init(b, ""), FALCO_OK);

    falco_host_instance *in;
    assert_int_equal(falco_host_open(a, "", &in), FALCO_OK);
    const falco_abi_event *e;
    uint64_t want = 10;
    while (falco_host_next(in, &e) == FALCO_OK) {
        falco_abi_event_input ei = {.evt = e, .evtnum = falco_host_instance_evtnum(in), .evtsrc = "stat_a"};
        assert_int_equal(sdkt_extract_u64(a, "a.value", &ei), want);
        assert_int_equal(sdkt_extract_u64(b, "b.double", &ei), want * 2);
        want += 10;
    }
    assert_int_equal(want, 40);
    assert_int_equal(falco_host_instance_evtnum(in), 3);
    falco_host_close(in);
    assert_int_equal(sdkt_metric_u64(b, "extractions"), 3);
    /* a has no metrics of its own */
    const falco_abi_metric *m;
    uint32_t n = 1;
    assert_int_equal(falco_host_plugin_metrics(a, &m, &n), FALCO_OK);
    assert_int_equal(n, 0);
    falco_host_plugin_free(a);
    falco_host_plugin_free(b);
}

/* Two states of the same static plugin do not share anything. */
static void test_two_states_of_one_plugin(void **state) {
    (void)state;
    falco_host_plugin *b1 = sdkt_load_api(falco_plugin_api_static_b, "b1");
    falco_host_plugin *b2 = sdkt_load_api(falco_plugin_api_static_b, "b2");
    assert_int_equal(falco_host_plugin_init(b1, ""), FALCO_OK);
    assert_int_equal(falco_host_plugin_init(b2, ""), FALCO_OK);
    sdkt_event e;
    sdkt_u64_event(&e, 4, 1, "stat_a");
    assert_int_equal(sdkt_extract_u64(b1, "b.double", &e.in), 8);
    assert_int_equal(sdkt_extract_u64(b1, "b.double", &e.in), 8);
    assert_int_equal(sdkt_extract_u64(b2, "b.double", &e.in), 8);
    assert_int_equal(sdkt_metric_u64(b1, "extractions"), 2);
    assert_int_equal(sdkt_metric_u64(b2, "extractions"), 1);
    falco_host_plugin_free(b1);
    falco_host_plugin_free(b2);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_static_plugins),
        cmocka_unit_test(test_two_states_of_one_plugin),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
