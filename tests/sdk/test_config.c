/* Config through init and set_config: the declarative options of
 * plugins/cfgplug.c (defaults, values, errors with JSON paths, the schema the
 * host validates with, the reconfigure hook) and the raw config string of
 * plugins/srcplug.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <dlfcn.h>

#include "sdk_test.h"

static sdkt_event ev; /* any cfgsrc event: the fields read the config only */

static falco_host_plugin *load_cfg(const char *config) {
    sdkt_u64_event(&ev, 1, 1, "cfgsrc");
    return sdkt_load_init("SDKT_CFGPLUG", config);
}

static void expect_str_list(falco_host_plugin *p, const char *expr, const char *const *want, size_t n) {
    falco_host_values v;
    const char *s;
    assert_int_equal(sdkt_extract(p, expr, &ev.in, false, &v), FALCO_OK);
    assert_int_equal(v.count, n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(falco_host_value_str(&v, i, &s), FALCO_OK);
        assert_string_equal(s, want[i]);
    }
}

static void expect_reconfigs(falco_host_plugin *p, uint64_t calls, uint64_t old_port, uint64_t new_port) {
    falco_host_values v;
    uint64_t u[3];
    assert_int_equal(sdkt_extract(p, "cfg.reconfigs", &ev.in, false, &v), FALCO_OK);
    assert_int_equal(v.count, 3);
    for (int i = 0; i < 3; i++)
        assert_int_equal(falco_host_value_u64(&v, (uint64_t)i, &u[i]), FALCO_OK);
    assert_int_equal(u[0], calls);
    assert_int_equal(u[1], old_port);
    assert_int_equal(u[2], new_port);
}

static void expect_bool(falco_host_plugin *p, const char *expr, bool want) {
    falco_host_values v;
    bool b;
    assert_int_equal(sdkt_extract(p, expr, &ev.in, false, &v), FALCO_OK);
    assert_int_equal(falco_host_value_bool(&v, 0, &b), FALCO_OK);
    assert_int_equal(b, want);
}

static void test_defaults(void **state) {
    (void)state;
    static const char *const configs[] = {"", "{}"};
    for (size_t i = 0; i < 2; i++) {
        falco_host_plugin *p = load_cfg(configs[i]);
        assert_string_equal(falco_host_plugin_config(p), "{}");
        assert_string_equal(sdkt_extract_str(p, "cfg.raw", &ev.in), "{}");
        assert_int_equal(sdkt_extract_u64(p, "cfg.port", &ev.in), 8080);
        assert_string_equal(sdkt_extract_str(p, "cfg.host", &ev.in), "localhost");
        assert_string_equal(sdkt_extract_str(p, "cfg.mode", &ev.in), "safe");
        expect_bool(p, "cfg.verbose", false);
        assert_int_equal(sdkt_extract_u64(p, "cfg.max", &ev.in), 10);
        expect_str_list(p, "cfg.tags", (const char *const[]){"a", "b"}, 2);
        falco_host_plugin_free(p);
    }
}

static void test_given_values(void **state) {
    (void)state;
    const char *cfg = "{\"port\": 9000, \"host\": \"example.org\", \"mode\": \"fast\", \"verbose\": true, "
                      "\"limits\": {\"max\": 50}, \"tags\": [\"x\", \"y\", \"z\"]}";
    falco_host_plugin *p = load_cfg(cfg);
    assert_string_equal(sdkt_extract_str(p, "cfg.raw", &ev.in), cfg);
    assert_int_equal(sdkt_extract_u64(p, "cfg.port", &ev.in), 9000);
    assert_string_equal(sdkt_extract_str(p, "cfg.host", &ev.in), "example.org");
    assert_string_equal(sdkt_extract_str(p, "cfg.mode", &ev.in), "fast");
    expect_bool(p, "cfg.verbose", true);
    assert_int_equal(sdkt_extract_u64(p, "cfg.max", &ev.in), 50);
    expect_str_list(p, "cfg.tags", (const char *const[]){"x", "y", "z"}, 3);
    falco_host_plugin_free(p);
}

static void test_schema_given_to_host(void **state) {
    (void)state;
    falco_host_plugin *p = sdkt_load("SDKT_CFGPLUG");
    falco_abi_schema_type t = FALCO_ABI_SCHEMA_NONE;
    const char *schema = falco_host_plugin_init_schema(p, &t);
    assert_non_null(schema);
    assert_int_equal(t, FALCO_ABI_SCHEMA_JSON);
    assert_non_null(strstr(schema, "\"port\""));
    assert_non_null(strstr(schema, "\"limits\""));
    assert_non_null(strstr(schema, "\"additionalProperties\""));
    falco_host_plugin_free(p);
    /* the host validates with it: out-of-range values and unknown keys never reach init */
    static const char *const bad[] = {"{\"port\": 70000}", "{\"bogus\": 1}", "{\"mode\": \"slow\"}",
                                      "{\"limits\": {\"max\": \"ten\"}}"};
    for (size_t i = 0; i < 4; i++) {
        p = sdkt_load("SDKT_CFGPLUG");
        assert_int_equal(falco_host_plugin_init(p, bad[i]), FALCO_EINVAL);
        assert_non_null(strstr(falco_host_errmsg(p), "plugin 'cfgplug': init: init config rejected by the schema"));
        falco_host_plugin_free(p);
    }
}

/* The SDK's own checks (a host that does not validate, or validates less):
 * plugin_init called directly, messages read from get_last_error. */
static void expect_raw_init_error(const char *config, const char *msg) {
    void *dl = dlopen(sdkt_env("SDKT_CFGPLUG"), RTLD_NOW | RTLD_LOCAL);
    assert_non_null(dl);
    falco_abi_plugin_t *(*init)(const falco_abi_init_input *, falco_abi_rc *);
    const char *(*last_error)(falco_abi_plugin_t *);
    void (*destroy)(falco_abi_plugin_t *);
    *(void **)&init = dlsym(dl, "plugin_init");
    *(void **)&last_error = dlsym(dl, "plugin_get_last_error");
    *(void **)&destroy = dlsym(dl, "plugin_destroy");
    falco_abi_init_input in = {.config = config};
    falco_abi_rc rc = FALCO_ABI_RC_SUCCESS;
    falco_abi_plugin_t *s = init(&in, &rc);
    assert_int_equal(rc, FALCO_ABI_RC_FAILURE);
    assert_non_null(s); /* kept for get_last_error */
    assert_string_equal(last_error(s), msg);
    destroy(s);
    dlclose(dl);
}

static void test_errors_name_the_path(void **state) {
    (void)state;
    expect_raw_init_error("{\"port\": 70000}", "config.port: expected integer in 1..65535, got 70000");
    expect_raw_init_error("{\"port\": \"abc\"}", "config.port: expected integer in 1..65535, got \"abc\"");
    expect_raw_init_error("{\"limits\": {\"max\": 500}}", "config.limits.max: expected integer in 0..100, got 500");
    expect_raw_init_error("{\"bogus\": 1}", "config: unknown key 'bogus' (known: port, host, mode, verbose, limits, tags)");
    expect_raw_init_error("{\"mode\": \"slow\"}", "config.mode: expected one of \"fast\", \"safe\", got \"slow\"");
    expect_raw_init_error("{\"tags\": [\"a\", 3]}", "config.tags[1]: expected string, got 3");
    expect_raw_init_error("[1, 2]", "config: expected object, got [1,2]");
    expect_raw_init_error("{\"port\": ", "config: invalid JSON at line 1 column 10: unexpected end of input, expected a JSON value");
}

static void test_raw_config_as_is(void **state) {
    (void)state;
    const char *raw = "  not json at all {";
    falco_host_plugin *p = sdkt_load_init("SDKT_SRCPLUG", raw);
    assert_null(falco_host_plugin_init_schema(p, NULL));
    assert_string_equal(falco_host_plugin_config(p), raw);
    sdkt_event e;
    sdkt_u64_event(&e, 1, 1, "srcplug");
    assert_string_equal(sdkt_extract_str(p, "src.config", &e.in), raw);
    falco_host_plugin_free(p);
    /* an empty raw config stays empty */
    p = sdkt_load_init("SDKT_SRCPLUG", "");
    assert_string_equal(sdkt_extract_str(p, "src.config", &e.in), "");
    falco_host_plugin_free(p);
}

static void test_set_config_accepted(void **state) {
    (void)state;
    falco_host_plugin *p = load_cfg("{\"host\": \"first\"}");
    expect_reconfigs(p, 0, 0, 0);
    assert_int_equal(falco_host_plugin_set_config(p, "{\"port\": 1234, \"tags\": [\"n\"]}"), FALCO_OK);
    /* the hook saw the old config in force and the new one */
    expect_reconfigs(p, 1, 8080, 1234);
    assert_int_equal(sdkt_extract_u64(p, "cfg.port", &ev.in), 1234);
    assert_string_equal(sdkt_extract_str(p, "cfg.raw", &ev.in), "{\"port\": 1234, \"tags\": [\"n\"]}");
    expect_str_list(p, "cfg.tags", (const char *const[]){"n"}, 1);
    /* a new config starts from the defaults, not from the previous one */
    assert_string_equal(sdkt_extract_str(p, "cfg.host", &ev.in), "localhost");
    assert_int_equal(falco_host_plugin_set_config(p, ""), FALCO_OK);
    expect_reconfigs(p, 2, 1234, 8080);
    assert_string_equal(sdkt_extract_str(p, "cfg.raw", &ev.in), "{}");
    falco_host_plugin_free(p);
}

static void test_set_config_refused(void **state) {
    (void)state;
    falco_host_plugin *p = load_cfg("{\"port\": 1000, \"host\": \"kept\"}");
    assert_int_equal(falco_host_plugin_set_config(p, "{\"port\": 666}"), FALCO_ERROR);
    assert_string_equal(falco_host_errmsg(p), "plugin 'cfgplug': set_config: failed with FAILURE: port 666 is cursed");
    assert_int_equal(falco_host_plugin_set_config(p, "{\"port\": 667}"), FALCO_ERROR);
    assert_string_equal(falco_host_errmsg(p),
                        "plugin 'cfgplug': set_config: failed with FAILURE: set_config failed: value out of range");
    expect_reconfigs(p, 0, 1000, 667);
    /* the old config is still in force */
    assert_int_equal(sdkt_extract_u64(p, "cfg.port", &ev.in), 1000);
    assert_string_equal(sdkt_extract_str(p, "cfg.host", &ev.in), "kept");
    assert_string_equal(sdkt_extract_str(p, "cfg.raw", &ev.in), "{\"port\": 1000, \"host\": \"kept\"}");
    falco_host_plugin_free(p);
}

static void test_set_config_without_hook(void **state) {
    (void)state;
    falco_host_plugin *p = sdkt_load_init("SDKT_SRCPLUG", "before");
    assert_int_equal(falco_host_plugin_set_config(p, "after"), FALCO_ERROR);
    /* rc 3 is NOT_SUPPORTED */
    assert_string_equal(falco_host_errmsg(p), "plugin 'srcplug': set_config: failed with NOT_SUPPORTED: plugin 'srcplug' does "
                                              "not support changing its config after init");
    sdkt_event e;
    sdkt_u64_event(&e, 1, 1, "srcplug");
    assert_string_equal(sdkt_extract_str(p, "src.config", &e.in), "before");
    falco_host_plugin_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_given_values),
        cmocka_unit_test(test_schema_given_to_host),
        cmocka_unit_test(test_errors_name_the_path),
        cmocka_unit_test(test_raw_config_as_is),
        cmocka_unit_test(test_set_config_accepted),
        cmocka_unit_test(test_set_config_refused),
        cmocka_unit_test(test_set_config_without_hook),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
