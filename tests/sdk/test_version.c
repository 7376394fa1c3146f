/* The required plugin API version derived from the features a declaration
 * uses, its override, and the required event schema version. The plugins are
 * compiled into this binary (FALCO_PLUGIN_STATIC). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "static_test.h"

static const falco_field one_field[] = {{.name = "t.one", .type = FALCO_FIELD_U64, .desc = "one", .extract = sdkt_one}};
static const falco_field output_field[] = {
    {.name = "t.one", .type = FALCO_FIELD_U64, .desc = "one", .extract = sdkt_one, .add_output = true}};

static falco_rc stub_open(falco_plugin *p, const char *params, void **instance) {
    (void)p, (void)params, (void)instance;
    return FALCO_OK;
}
static falco_rc stub_next(falco_plugin *p, void *instance, falco_batch *b) {
    (void)p, (void)instance, (void)b;
    return FALCO_EOF;
}
static void stub_metrics(falco_plugin *p, void *state, falco_metrics *m) {
    (void)p, (void)state;
    falco_metrics_u64(m, "n", FALCO_METRIC_MONOTONIC, 1);
}

#define META(n) .name = n, .version = "1.0.0", .contact = "t@example.com", .description = "version test"

FALCO_PLUGIN(v_plain, META("v_plain"));
FALCO_SOURCE(v_plain, .id = 1001, .event_source = "vplain", .instance_size = sizeof(int), .open = stub_open,
             .next_batch = stub_next);
FALCO_EXTRACT(v_plain, .fields = FALCO_LIST(one_field));

FALCO_PLUGIN(v_metrics, META("v_metrics"), .metrics = stub_metrics);
FALCO_EXTRACT(v_metrics, .fields = FALCO_LIST(one_field));

FALCO_PLUGIN(v_output, META("v_output"), .metrics = stub_metrics);
FALCO_EXTRACT(v_output, .fields = FALCO_LIST(output_field));

FALCO_PLUGIN(v_offsets, META("v_offsets"));
FALCO_EXTRACT(v_offsets, .fields = FALCO_LIST(output_field), .value_offsets = true);

FALCO_PLUGIN(v_syscall, META("v_syscall"));
FALCO_EXTRACT(v_syscall, .fields = FALCO_LIST(one_field), .sources = FALCO_SOURCES("syscall"),
              .event_types = FALCO_EVENT_TYPES(3, 322));

FALCO_PLUGIN(v_async_only, META("v_async_only"));
FALCO_EXTRACT(v_async_only, .fields = FALCO_LIST(one_field), .event_types = FALCO_EVENT_TYPES(322, 402));

FALCO_PLUGIN(v_override, META("v_override"), .required_api_version = "3.4.0");
FALCO_EXTRACT(v_override, .fields = FALCO_LIST(one_field));

FALCO_PLUGIN(v_low, META("v_low"), .metrics = stub_metrics, .required_api_version = "3.5.0");
FALCO_EXTRACT(v_low, .fields = FALCO_LIST(one_field));

FALCO_PLUGIN(v_low_offsets, META("v_low_offsets"), .required_api_version = "3.10.9");
FALCO_EXTRACT(v_low_offsets, .fields = FALCO_LIST(one_field), .value_offsets = true);

FALCO_PLUGIN(v_high, META("v_high"), .required_api_version = "3.13.0");
FALCO_EXTRACT(v_high, .fields = FALCO_LIST(one_field));

FALCO_PLUGIN(v_garbage, META("v_garbage"), .required_api_version = "4.0.0");
FALCO_EXTRACT(v_garbage, .fields = FALCO_LIST(one_field));

/* Loads, inits, and checks the declared version and the schema version. */
static void test_derived_versions(void **state) {
    (void)state;
    sdkt_expect_version(falco_plugin_api_v_plain, "v_plain", "3.0.0", NULL);
    sdkt_expect_version(falco_plugin_api_v_metrics, "v_metrics", "3.6.0", NULL);
    sdkt_expect_version(falco_plugin_api_v_output, "v_output", "3.8.0", NULL);
    sdkt_expect_version(falco_plugin_api_v_offsets, "v_offsets", "3.11.0", NULL);
    sdkt_expect_version(falco_plugin_api_v_syscall, "v_syscall", "3.12.0", "4.5.1");
    /* plugin and async events are not syscall events */
    sdkt_expect_version(falco_plugin_api_v_async_only, "v_async_only", "3.0.0", NULL);
}

static void test_override(void **state) {
    (void)state;
    sdkt_expect_version(falco_plugin_api_v_override, "v_override", "3.4.0", NULL);
}

static void expect_init_error(void (*get)(falco_abi_plugin_api *), const char *msg) {
    char buf[1024];
    falco_abi_rc rc;
    assert_string_equal(sdkt_raw_init(get, "", &rc, buf, sizeof buf), msg);
    assert_int_equal(rc, FALCO_ABI_RC_FAILURE);
}

static void test_override_errors(void **state) {
    (void)state;
    expect_init_error(falco_plugin_api_v_low, "plugin 'v_low': .required_api_version 3.5.0 is below 3.6.0, which "
                                              "metrics needs");
    expect_init_error(falco_plugin_api_v_low_offsets, "plugin 'v_low_offsets': .required_api_version 3.10.9 is "
                                                      "below 3.11.0, which value offsets in extraction needs");
    expect_init_error(falco_plugin_api_v_high,
                      "plugin 'v_high': .required_api_version 3.13.0 is newer than this SDK's 3.12.0");
    expect_init_error(falco_plugin_api_v_garbage,
                      "plugin 'v_garbage': .required_api_version \"4.0.0\" is not a 3.x.y version");
    /* through the host: the plugin loads (3.0.0 is answered) and init fails with the message */
    falco_host_plugin *p = sdkt_load_api(falco_plugin_api_v_low, "v_low");
    assert_int_equal(falco_host_plugin_init(p, ""), FALCO_ERROR);
    assert_string_equal(falco_host_errmsg(p), "plugin 'v_low': init: could not initialize plugin (FAILURE): plugin "
                                              "'v_low': .required_api_version 3.5.0 is below 3.6.0, which metrics "
                                              "needs");
    falco_host_plugin_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_derived_versions),
        cmocka_unit_test(test_override),
        cmocka_unit_test(test_override_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
