/*
 * static_test.h - helpers for tests whose plugins are compiled into the test
 * binary (FALCO_PLUGIN_STATIC): load through falco_host_plugin_load_api, or
 * call the filled plugin_api directly. Include after <cmocka.h>.
 */
#ifndef FALCO_TESTS_SDK_STATIC_TEST_H
#define FALCO_TESTS_SDK_STATIC_TEST_H

#include <falco/host.h>
#include <falco/plugin.h>

/* Loads a static plugin's api; fails the test when it does not load. */
static inline falco_host_plugin *sdkt_load_api(void (*get)(falco_abi_plugin_api *), const char *label) {
    falco_abi_plugin_api api;
    get(&api);
    falco_host_plugin *p = NULL;
    if (falco_host_plugin_load_api(&api, label, &p) != FALCO_OK)
        fail_msg("load %s: %s", label, falco_host_errmsg(p));
    return p;
}

/* Checks the version a static plugin declares (its getter and what the host
 * reads), initializes it through the host and directly, and checks its
 * required event schema version (NULL: none returned). */
static inline void sdkt_expect_version(void (*get)(falco_abi_plugin_api *), const char *label, const char *version,
                                       const char *schema) {
    falco_abi_plugin_api api;
    get(&api);
    assert_string_equal(api.get_required_api_version(), version);
    falco_host_plugin *p = sdkt_load_api(get, label);
    assert_string_equal(falco_host_plugin_required_api_version(p), version);
    if (falco_host_plugin_init(p, "") != FALCO_OK)
        fail_msg("init %s: %s", label, falco_host_errmsg(p));
    falco_abi_init_input in = {.config = ""};
    falco_abi_rc rc;
    falco_abi_plugin_t *s = api.init(&in, &rc);
    assert_int_equal(rc, FALCO_ABI_RC_SUCCESS);
    const char *got = api.get_required_event_schema_version(s);
    if (schema)
        assert_string_equal(got, schema);
    else
        assert_null(got);
    api.destroy(s);
    falco_host_plugin_free(p);
}

/* Calls the api's init directly with config and returns its last error
 * (copied into buf), the rc in *rc; destroys the state. */
static inline const char *sdkt_raw_init(void (*get)(falco_abi_plugin_api *), const char *config, falco_abi_rc *rc,
                                        char *buf, size_t size) {
    falco_abi_plugin_api api;
    get(&api);
    falco_abi_init_input in = {.config = config};
    *rc = FALCO_ABI_RC_SUCCESS;
    falco_abi_plugin_t *s = api.init(&in, rc);
    assert_non_null(s);
    snprintf(buf, size, "%s", api.get_last_error(s));
    api.destroy(s);
    return buf;
}

/* One extractor serving every test field: the constant 1. */
static inline falco_rc sdkt_one(falco_extract *x, const falco_event *ev) {
    (void)ev;
    return falco_extract_u64(x, 1);
}

#endif /* FALCO_TESTS_SDK_STATIC_TEST_H */
