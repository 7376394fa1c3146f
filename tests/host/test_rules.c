/* Host rules fixed in issue 6: NULL owners to the tables input, errmsg after
 * a failed load, when init may be retried, ABI codes named in messages. The
 * plugins are raw plugin_api tables built here. */
#include <stdlib.h>

#include "host_test.h"

/* ---- a minimal raw extract plugin whose behaviour the tests steer ---- */
static const char *g_version = "1.0.0";
static falco_abi_rc g_init_rc = FALCO_ABI_RC_SUCCESS;
static falco_abi_rc g_extract_rc = FALCO_ABI_RC_FAILURE;
static const char *g_extract_err = "boom";
static bool g_null_owner_calls;
static falco_abi_table_t *g_get_table_result = (falco_abi_table_t *)1;
static falco_abi_rc g_add_table_result = FALCO_ABI_RC_SUCCESS;
static int g_init_calls;
static char g_err[128];

static const char *r_api(void) { return "3.0.0"; }
static const char *r_version(void) { return g_version; }
static const char *r_str(void) { return "rules"; }
static falco_abi_plugin_t *r_init(const falco_abi_init_input *in, falco_abi_rc *rc)
{
    g_init_calls++;
    if (g_null_owner_calls && in->tables) {
        falco_abi_table_input t;
        memset(&t, 0, sizeof t);
        t.name = "mine";
        g_get_table_result = in->tables->get_table(NULL, "threads", FALCO_ABI_ST_INT64);
        g_add_table_result = in->tables->add_table(NULL, &t);
    }
    snprintf(g_err, sizeof g_err, "%s", g_init_rc == FALCO_ABI_RC_SUCCESS ? "" : "no init today");
    *rc = g_init_rc;
    return g_err;
}
static void r_destroy(falco_abi_plugin_t *s) {}
static const char *r_last_error(falco_abi_plugin_t *s) { return g_err; }
static const char *r_fields(void) { return "[{\"name\":\"r.x\",\"type\":\"uint64\",\"desc\":\"x\"}]"; }
static falco_abi_rc r_extract(falco_abi_plugin_t *s, const falco_abi_event_input *e,
                              const falco_abi_field_extract_input *in)
{
    snprintf(g_err, sizeof g_err, "%s", g_extract_err);
    return g_extract_rc;
}

static falco_abi_instance_t *r_open(falco_abi_plugin_t *s, const char *params, falco_abi_rc *rc)
{
    *rc = FALCO_ABI_RC_FAILURE;
    return NULL;
}

static falco_abi_plugin_api rules_api(void)
{
    falco_abi_plugin_api a;
    memset(&a, 0, sizeof a);
    a.get_required_api_version = r_api;
    a.get_version = r_version;
    a.get_name = a.get_description = a.get_contact = r_str;
    a.init = r_init;
    a.destroy = r_destroy;
    a.get_last_error = r_last_error;
    a.get_fields = r_fields;
    a.extract_fields = r_extract;
    return a;
}

static int reset(void **state)
{
    g_version = "1.0.0";
    g_init_rc = FALCO_ABI_RC_SUCCESS;
    g_extract_rc = FALCO_ABI_RC_FAILURE;
    g_extract_err = "boom";
    g_null_owner_calls = false;
    g_get_table_result = (falco_abi_table_t *)1;
    g_add_table_result = FALCO_ABI_RC_SUCCESS;
    g_init_calls = 0;
    return 0;
}

static falco_host_plugin *load_rules(void)
{
    falco_abi_plugin_api a = rules_api();
    falco_host_plugin *p;
    assert_int_equal(falco_host_plugin_load_api(&a, NULL, &p), FALCO_OK);
    return p;
}

/* get_table and add_table with a NULL owner are refused, not a crash. */
static void test_tables_null_owner(void **state)
{
    g_null_owner_calls = true;
    falco_host_plugin *p = load_rules();
    assert_int_equal(falco_host_plugin_init(p, NULL), FALCO_OK);
    assert_null(g_get_table_result);
    assert_int_equal(g_add_table_result, FALCO_ABI_RC_FAILURE);
    assert_int_equal(falco_host_added_table_count(p), 0);
    falco_host_plugin_free(p);
}

/* errmsg after a failed load is the first finding, the rule libsinsp throws on. */
static void test_errmsg_is_first_finding(void **state)
{
    /* a bad version, then broken capabilities (open without close/next_batch) */
    falco_abi_plugin_api a = rules_api();
    g_version = "1.0";
    a.open = r_open; /* never called */
    falco_host_plugin *p;
    assert_int_equal(falco_host_plugin_load_api(&a, NULL, &p), FALCO_EINVAL);
    assert_int_equal(falco_host_finding_count(p), 2);
    assert_string_equal(falco_host_errmsg(p), falco_host_finding(p, 0));
    assert_string_equal(falco_host_errmsg(p), "plugin 'rules': get_version: invalid version string: '1.0' (expected "
                                              "x.y.z)");
    falco_host_plugin_free(p);

    /* two required symbols missing: libsinsp names the first in its order */
    a = rules_api();
    a.get_contact = NULL;
    a.get_last_error = NULL;
    assert_int_equal(falco_host_plugin_load_api(&a, "two missing", &p), FALCO_EINVAL);
    assert_int_equal(falco_host_finding_count(p), 2);
    assert_string_equal(falco_host_errmsg(p),
                        "plugin 'two missing': load: required symbol not implemented: 'plugin_get_contact'");
    falco_host_plugin_free(p);
}

/* libsinsp: plugin_init runs at most once, whatever it returned; a config
 * refused before it leaves the plugin uninitialized. */
static void test_init_retry_rule(void **state)
{
    falco_host_plugin *p = load_rules();
    g_init_rc = FALCO_ABI_RC_FAILURE;
    assert_int_equal(falco_host_plugin_init(p, NULL), FALCO_ERROR);
    assert_string_equal(falco_host_errmsg(p), "plugin 'rules': init: could not initialize plugin (FAILURE): no init "
                                              "today");
    g_init_rc = FALCO_ABI_RC_SUCCESS;
    assert_int_equal(falco_host_plugin_init(p, NULL), FALCO_EMISUSE);
    assert_string_equal(falco_host_errmsg(p), "plugin 'rules': init: plugin has been initialized twice");
    assert_int_equal(g_init_calls, 1);
    assert_false(falco_host_plugin_inited(p));
    falco_host_plugin_free(p);

    /* schema rejection: plugin_init never ran, so init may be retried */
    p = load_ok("good");
    assert_int_equal(falco_host_plugin_init(p, "{\"count\":0}"), FALCO_EINVAL);
    assert_int_equal(falco_host_plugin_init(p, "{\"count\":2}"), FALCO_OK);
    assert_true(falco_host_plugin_inited(p));
    falco_host_plugin_free(p);
}

/* ABI codes are named, never printed as numbers that read as falco_rc, and
 * the field is named once. */
static void test_abi_codes_named(void **state)
{
    falco_host_plugin *p = load_rules();
    assert_int_equal(falco_host_plugin_init(p, NULL), FALCO_OK);
    falco_host_extractor *x;
    assert_int_equal(falco_host_extractor_new(p, "r.x", &x), FALCO_OK);
    uint8_t buf[46] = { 0 };
    falco_abi_event h = { 1, 0, 46, FALCO_ABI_EVENT_PLUGIN, 2 };
    uint32_t lens[2] = { 4, 8 }, id = 5;
    memcpy(buf, &h, 26);
    memcpy(buf + 26, lens, 8);
    memcpy(buf + 34, &id, 4);
    falco_abi_event_input ei = { (falco_abi_event *)buf, 1, "src" };
    falco_host_values v;
    assert_int_equal(falco_host_extract(x, &ei, false, &v), FALCO_ERROR);
    assert_string_equal(falco_host_errmsg(p), "plugin 'rules': extract_fields: field 'r.x' failed with FAILURE: boom");
    g_extract_err = "field 'r.x': the divisor must not be 0";
    assert_int_equal(falco_host_extract(x, &ei, false, &v), FALCO_ERROR);
    assert_string_equal(falco_host_errmsg(p), "plugin 'rules': extract_fields: failed with FAILURE: field 'r.x': the "
                                              "divisor must not be 0");
    g_extract_rc = FALCO_ABI_RC_NOT_SUPPORTED;
    g_extract_err = "";
    assert_int_equal(falco_host_extract(x, &ei, false, &v), FALCO_ERROR);
    assert_string_equal(falco_host_errmsg(p), "plugin 'rules': extract_fields: field 'r.x' failed with NOT_SUPPORTED");
    g_extract_rc = (falco_abi_rc)42;
    assert_int_equal(falco_host_extract(x, &ei, false, &v), FALCO_ERROR);
    assert_string_equal(falco_host_errmsg(p), "plugin 'rules': extract_fields: field 'r.x' failed with unknown code 42");
    falco_host_plugin_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_tables_null_owner, reset),
        cmocka_unit_test_setup(test_errmsg_is_first_finding, reset),
        cmocka_unit_test_setup(test_init_retry_rule, reset),
        cmocka_unit_test_setup(test_abi_codes_named, reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
