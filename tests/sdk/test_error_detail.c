/* The detail an event accessor records for its failure decorates only the
 * error of that event, never a later unrelated one (a regression test: it
 * once leaked across extract calls). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sdk_test.h"

static void test_stale_detail_in_extract_error(void **state) {
    (void)state;
    falco_host_plugin *p = sdkt_load_init("SDKT_XPLUG", "");
    unsigned char buf[64];
    uint32_t four = 4;
    sdkt_plugin_event(buf, sizeof buf, 0, &four, 4);
    falco_abi_event_input small = {.evt = (const falco_abi_event *)buf, .evtnum = 5, .evtsrc = "xsrc"};
    falco_host_values v;
    assert_int_equal(sdkt_extract(p, "x.u64", &small, false, &v), FALCO_ERROR); /* sets the detail */
    sdkt_event e;
    sdkt_u64_event(&e, 5, 7, "xsrc");
    assert_int_equal(sdkt_extract(p, "x.fail", &e.in, false, &v), FALCO_ERROR);
    assert_string_equal(falco_host_errmsg(p), "plugin 'xplug': extract_fields: failed with FAILURE: field 'x.fail' on event #7: invalid argument");
    falco_host_plugin_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stale_detail_in_extract_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
