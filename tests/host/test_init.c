/* init: schema validation, "{}" defaulting, tables input, log, failures. */
#include "host_test.h"

static void test_init_defaults_and_log(void **state)
{
    log_capture log = { "" };
    falco_host_plugin *p = init_ok("good", NULL, &log);
    assert_true(falco_host_plugin_inited(p));
    assert_string_equal(falco_host_plugin_config(p), "{}");
    assert_non_null(strstr(log.text, "info|rawtest|initialized\n"));
    /* an extract plugin gets the tables input; outside a session get_table
     * answers NULL with an owner error */
    assert_non_null(strstr(log.text, "debug|rawtest-tables|get_table: no table named 'threads' (tables are shared by a "
                                     "session: initialize the plugin with falco_host_session_init)\n"));
    size_t n;
    bool all;
    const uint16_t *codes = falco_host_plugin_extract_types(p, &n, &all);
    assert_false(all);
    assert_int_equal(n, 1);
    assert_int_equal(codes[0], 322);
    assert_int_equal(falco_host_plugin_init(p, "{}"), FALCO_EMISUSE);
    assert_string_equal(falco_host_errmsg(p), "plugin 'rawtest': init: plugin has been initialized twice");
    falco_host_plugin_free(p);
}

static void assert_config_rejected(const char *config, const char *reason)
{
    falco_host_plugin *p = load_ok("good");
    falco_rc rc = falco_host_plugin_init(p, config);
    if (!strstr(falco_host_errmsg(p), reason))
        print_error("config %s: got '%s'\nwanted '%s'\n", config, falco_host_errmsg(p), reason);
    assert_int_equal(rc, FALCO_EINVAL);
    assert_non_null(strstr(falco_host_errmsg(p), reason));
    assert_false(falco_host_plugin_inited(p));
    falco_host_plugin_free(p);
}

static void test_init_schema(void **state)
{
    assert_config_rejected("{\"count\":5000}", "plugin 'rawtest': init: init config rejected by the schema: "
                                               "config.count: value 5000 is greater than maximum 1000");
    assert_config_rejected("{\"count\":0}", "config.count: value 0 is less than minimum 1");
    assert_config_rejected("{\"count\":\"x\"}", "config.count: expected integer, got string");
    assert_config_rejected("{\"count\":1.5}", "config.count: expected integer, got number");
    assert_config_rejected("{\"bogus\":1}", "config: unknown property 'bogus' (additionalProperties is false)");
    assert_config_rejected("{\"mode\":\"medium\"}", "config.mode: value is not one of the enum values");
    assert_config_rejected("{\"tags\":[\"a\",1]}", "config.tags[1]: expected string, got integer");
    assert_config_rejected("[]", "config: expected object, got array");
    assert_config_rejected("{", "init: init config is not a valid json");

    falco_host_plugin *p = init_ok("good", "{\"count\":3,\"mode\":\"slow\",\"tags\":[\"x\"]}", NULL);
    assert_string_equal(falco_host_plugin_config(p), "{\"count\":3,\"mode\":\"slow\",\"tags\":[\"x\"]}");
    falco_host_plugin_free(p);
}

static void test_init_failure_keeps_last_error(void **state)
{
    falco_host_plugin *p = load_ok("init_fail");
    assert_int_equal(falco_host_plugin_init(p, NULL), FALCO_ERROR);
    assert_string_equal(falco_host_errmsg(p),
                        "plugin 'rawtest': init: could not initialize plugin (FAILURE): init refused: bad mood");
    assert_false(falco_host_plugin_inited(p));
    assert_null(falco_host_plugin_last_error(p)); /* state destroyed after reading it */
    falco_host_instance *in;
    assert_int_equal(falco_host_open(p, NULL, &in), FALCO_EMISUSE);
    assert_string_equal(falco_host_errmsg(p), "plugin 'rawtest': open: plugin capability used before init");
    falco_host_plugin_free(p);
}

static void test_set_config_and_metrics(void **state)
{
    falco_host_plugin *p = init_ok("good", NULL, NULL);
    assert_int_equal(falco_host_plugin_set_config(p, "{\"count\":7}"), FALCO_OK);
    assert_int_equal(falco_host_plugin_set_config(p, "{\"count\":-1}"), FALCO_EINVAL);
    assert_non_null(strstr(falco_host_errmsg(p), "set_config: init config rejected by the schema: config.count"));
    const falco_abi_metric *m;
    uint32_t n;
    assert_int_equal(falco_host_plugin_metrics(p, &m, &n), FALCO_OK);
    assert_int_equal(n, 1);
    assert_string_equal(m[0].name, "parsed");
    assert_int_equal(m[0].value.u64, 0);
    falco_host_plugin_free(p);
}

/* ---- a static source-only plugin without schema: config passes as given ---- */
static char g_seen_config[64];
static bool g_seen_tables;
static const char *s_api(void) { return "3.0.0"; }
static const char *s_str(void) { return "nosch"; }
static const char *s_version(void) { return "1.0.0"; }
static falco_abi_plugin_t *s_init(const falco_abi_init_input *in, falco_abi_rc *rc)
{
    snprintf(g_seen_config, sizeof g_seen_config, "[%s]", in->config ? in->config : "NULL");
    g_seen_tables = in->tables != NULL;
    *rc = FALCO_ABI_RC_SUCCESS;
    return g_seen_config;
}
static void s_destroy(falco_abi_plugin_t *s) {}
static const char *s_last_error(falco_abi_plugin_t *s) { return ""; }
static falco_abi_instance_t *s_open(falco_abi_plugin_t *s, const char *p, falco_abi_rc *rc)
{
    *rc = FALCO_ABI_RC_SUCCESS;
    return s;
}
static void s_close(falco_abi_plugin_t *s, falco_abi_instance_t *h) {}
static falco_abi_rc s_next(falco_abi_plugin_t *s, falco_abi_instance_t *h, uint32_t *n, falco_abi_event ***e)
{
    *n = 0;
    return FALCO_ABI_RC_EOF;
}

static void test_no_schema_config_as_given(void **state)
{
    falco_abi_plugin_api a;
    memset(&a, 0, sizeof a);
    a.get_required_api_version = s_api;
    a.get_version = s_version;
    a.get_name = a.get_description = a.get_contact = s_str;
    a.init = s_init;
    a.destroy = s_destroy;
    a.get_last_error = s_last_error;
    a.open = s_open;
    a.close = s_close;
    a.next_batch = s_next;
    falco_host_plugin *p;
    assert_int_equal(falco_host_plugin_load_api(&a, NULL, &p), FALCO_OK);
    assert_int_equal(falco_host_plugin_caps(p), FALCO_HOST_CAP_SOURCE);
    assert_int_equal(falco_host_plugin_id(p), 0);
    assert_int_equal(falco_host_plugin_init(p, NULL), FALCO_OK);
    assert_string_equal(g_seen_config, "[]");
    assert_false(g_seen_tables); /* neither parse nor extract: no tables */
    falco_host_instance *in;
    const falco_abi_event *ev;
    assert_int_equal(falco_host_open(p, NULL, &in), FALCO_OK);
    assert_int_equal(falco_host_next(in, &ev), FALCO_EOF);
    assert_int_equal(falco_host_next(in, &ev), FALCO_EOF);
    falco_host_close(in);
    falco_host_plugin_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_defaults_and_log),
        cmocka_unit_test(test_init_schema),
        cmocka_unit_test(test_init_failure_keeps_last_error),
        cmocka_unit_test(test_set_config_and_metrics),
        cmocka_unit_test(test_no_schema_config_as_given),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
