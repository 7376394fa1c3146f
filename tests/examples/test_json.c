/* examples/json (jsonfields) driven through the host like libsinsp would:
 * JSON payloads of another plugin's events, several fields per event, the
 * payload parsed once per event, errors for payloads that are not JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sdk_test.h"

typedef struct {
    uint64_t storage[64];
    falco_abi_event_input in;
} json_event;

static void make_event(json_event *e, const char *json, uint64_t evtnum) {
    sdkt_plugin_event(e->storage, sizeof e->storage, 999, json, (uint32_t)strlen(json));
    e->in.evt = (const falco_abi_event *)e->storage;
    e->in.evtnum = evtnum;
    e->in.evtsrc = "generator";
}

static void test_declaration(void **state) {
    (void)state;
    falco_host_plugin *p = sdkt_load_init("JSON_PLUGIN", "");
    assert_string_equal(falco_host_plugin_name(p), "jsonfields");
    assert_int_equal(falco_host_plugin_caps(p), FALCO_HOST_CAP_EXTRACT);
    assert_true(falco_host_field_find(p, "json.value")->arg_key);
    assert_true(falco_host_field_find(p, "json.value")->arg_required);
    /* no own source: every source's plugin events */
    assert_int_equal(falco_host_plugin_extract_sources(p).count, 0);
    falco_host_plugin_free(p);
}

static void test_pointer_fields(void **state) {
    (void)state;
    falco_host_plugin *p = sdkt_load_init("JSON_PLUGIN", "");
    json_event e;
    make_event(&e, "{\"user\":{\"name\":\"alice\",\"id\":42,\"groups\":[\"a\",\"b\",\"c\"]},\"ok\":true,"
                   "\"path\":{\"a/b\":\"slash\"}}",
               1);
    assert_string_equal(sdkt_extract_str(p, "json.value[/user/name]", &e.in), "alice");
    assert_string_equal(sdkt_extract_str(p, "json.value[/user/id]", &e.in), "42");
    assert_string_equal(sdkt_extract_str(p, "json.value[/user/groups]", &e.in), "[\"a\",\"b\",\"c\"]");
    assert_string_equal(sdkt_extract_str(p, "json.value[/user/groups/1]", &e.in), "b");
    assert_string_equal(sdkt_extract_str(p, "json.value[/path/a~1b]", &e.in), "slash");
    assert_string_equal(sdkt_extract_str(p, "json.type[/ok]", &e.in), "boolean");
    assert_string_equal(sdkt_extract_str(p, "json.type[/user]", &e.in), "object");
    assert_int_equal(sdkt_extract_u64(p, "json.size[/user/groups]", &e.in), 3);
    assert_int_equal(sdkt_extract_u64(p, "json.size[/user]", &e.in), 3);
    falco_host_values v;
    bool b = false;
    assert_int_equal(sdkt_extract(p, "json.exists[/user/id]", &e.in, false, &v), FALCO_OK);
    assert_int_equal(falco_host_value_bool(&v, 0, &b), FALCO_OK);
    assert_true(b);
    assert_int_equal(sdkt_extract(p, "json.exists[/nope]", &e.in, false, &v), FALCO_OK);
    assert_int_equal(falco_host_value_bool(&v, 0, &b), FALCO_OK);
    assert_false(b);
    /* a pointer that resolves to nothing: no value, not an error */
    assert_int_equal(sdkt_extract(p, "json.value[/user/missing]", &e.in, false, &v), FALCO_OK);
    assert_int_equal(v.count, 0);
    assert_string_equal(sdkt_extract_str(p, "json.obj", &e.in),
                        "{\"user\":{\"name\":\"alice\",\"id\":42,\"groups\":[\"a\",\"b\",\"c\"]},\"ok\":true,"
                        "\"path\":{\"a/b\":\"slash\"}}");
    falco_host_plugin_free(p);
}

/* The per-event context: however many fields are extracted from an event,
 * its payload is parsed once (the plugin counts parses in a metric). */
static void test_parsed_once_per_event(void **state) {
    (void)state;
    falco_host_plugin *p = sdkt_load_init("JSON_PLUGIN", "");
    json_event e;
    for (uint64_t n = 1; n <= 10; n++) {
        char json[64];
        snprintf(json, sizeof json, "{\"n\":%llu,\"s\":\"x%llu\"}", (unsigned long long)n, (unsigned long long)n);
        make_event(&e, json, n);
        char want[16];
        snprintf(want, sizeof want, "%llu", (unsigned long long)n);
        for (int repeat = 0; repeat < 3; repeat++) {
            assert_string_equal(sdkt_extract_str(p, "json.value[/n]", &e.in), want);
            assert_string_equal(sdkt_extract_str(p, "json.type[/s]", &e.in), "string");
        }
        assert_int_equal(sdkt_metric_u64(p, "payloads_parsed"), n);
    }
    falco_host_plugin_free(p);
}

static void test_not_json(void **state) {
    (void)state;
    falco_host_plugin *p = sdkt_load_init("JSON_PLUGIN", "");
    json_event e;
    make_event(&e, "{\"a\": tru}", 7);
    falco_host_values v;
    assert_int_equal(sdkt_extract(p, "json.value[/a]", &e.in, false, &v), FALCO_ERROR);
    assert_non_null(strstr(falco_host_errmsg(p), "event #7: payload is not JSON"));
    assert_non_null(strstr(falco_host_errmsg(p), "line 1 column"));
    /* the failure is remembered for the event: same message, no second parse */
    assert_int_equal(sdkt_extract(p, "json.type[/a]", &e.in, false, &v), FALCO_ERROR);
    assert_non_null(strstr(falco_host_errmsg(p), "payload is not JSON"));
    assert_int_equal(sdkt_metric_u64(p, "payloads_parsed"), 1);
    /* the next event is parsed again */
    make_event(&e, "{\"a\": 1}", 8);
    assert_string_equal(sdkt_extract_str(p, "json.value[/a]", &e.in), "1");
    falco_host_plugin_free(p);
}

/* A string holding a NUL is a value (its JSON form), not a failure that a
 * payload could use to hide a field while json.obj still works. */
static void test_string_with_nul(void **state) {
    (void)state;
    falco_host_plugin *p = sdkt_load_init("JSON_PLUGIN", "");
    json_event e;
    make_event(&e, "{\"a\":\"x\\u0000y\",\"b\":\"plain\",\"c\":[\"\\u0000\"]}", 1);
    assert_string_equal(sdkt_extract_str(p, "json.value[/a]", &e.in), "\"x\\u0000y\"");
    assert_string_equal(sdkt_extract_str(p, "json.value[/b]", &e.in), "plain");
    assert_string_equal(sdkt_extract_str(p, "json.value[/c]", &e.in), "[\"\\u0000\"]");
    assert_string_equal(sdkt_extract_str(p, "json.value[/c/0]", &e.in), "\"\\u0000\"");
    assert_string_equal(sdkt_extract_str(p, "json.type[/a]", &e.in), "string");
    falco_host_plugin_free(p);
}

/* libsinsp refuses "json.exists[]" when it parses the filter ("unexpected
 * token after '"); the host does the same, before any event. */
static void test_empty_key_argument_refused(void **state) {
    (void)state;
    falco_host_plugin *p = sdkt_load_init("JSON_PLUGIN", "");
    static const char *const exprs[] = {"json.exists[]", "json.value[]", "json.type[]", "json.size[]"};
    for (size_t i = 0; i < sizeof exprs / sizeof exprs[0]; i++) {
        falco_host_extractor *x = NULL;
        if (falco_host_extractor_new(p, exprs[i], &x) == FALCO_OK)
            fail_msg("%s: accepted, then fails on every event", exprs[i]);
        assert_null(x);
    }
    falco_host_plugin_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_declaration),
        cmocka_unit_test(test_pointer_fields),
        cmocka_unit_test(test_parsed_once_per_event),
        cmocka_unit_test(test_not_json),
        cmocka_unit_test(test_string_with_nul),
        cmocka_unit_test(test_empty_key_argument_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
