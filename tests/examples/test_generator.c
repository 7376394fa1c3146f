/* examples/generator driven through the host like libsinsp would: config,
 * events, every field, metrics, open params errors, progress. */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sdk_test.h"

typedef struct {
    uint64_t value, step;
} gen_payload;

static falco_host_plugin *load_gen(const char *config) {
    return sdkt_load_init("GENERATOR_PLUGIN", config);
}

static gen_payload payload_of(const falco_abi_event *e) {
    gen_payload pl;
    assert_int_equal(e->len, FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET + sizeof pl);
    memcpy(&pl, (const unsigned char *)e + FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET, sizeof pl);
    return pl;
}

static void test_declaration(void **state) {
    (void)state;
    falco_host_plugin *p = sdkt_load("GENERATOR_PLUGIN");
    assert_string_equal(falco_host_plugin_name(p), "generator");
    assert_string_equal(falco_host_plugin_required_api_version(p), "3.6.0"); /* metrics */
    assert_int_equal(falco_host_plugin_id(p), 999);
    assert_string_equal(falco_host_plugin_event_source(p), "generator");
    assert_int_equal(falco_host_field_count(p), 5);
    assert_true(falco_host_field_find(p, "gen.divisible")->arg_required);
    falco_host_plugin_free(p);
}

static void test_five_events_then_eof(void **state) {
    (void)state;
    falco_host_plugin *p = load_gen("");
    falco_host_instance *in;
    assert_int_equal(falco_host_open(p, "5", &in), FALCO_OK);
    const falco_abi_event *e;
    uint64_t prev = 0;
    char buf[64];
    for (uint64_t n = 1; n <= 5; n++) {
        assert_int_equal(falco_host_next(in, &e), FALCO_OK);
        gen_payload pl = payload_of(e);
        if (n == 1) {
            assert_int_equal(pl.value, 1); /* default start */
            assert_int_equal(pl.step, 0);  /* no previous value */
        } else {
            assert_true(pl.value > prev);
            assert_int_equal(pl.step, pl.value - prev); /* gen.step: difference from the previous value */
            assert_true(pl.step >= 1 && pl.step <= 10); /* default jitter */
        }
        falco_abi_event_input ei = {.evt = e, .evtnum = n, .evtsrc = "generator"};
        assert_int_equal(sdkt_extract_u64(p, "gen.value", &ei), pl.value);
        assert_int_equal(sdkt_extract_u64(p, "gen.step", &ei), pl.step);
        snprintf(buf, sizeof buf, "%" PRIu64, pl.value);
        assert_string_equal(sdkt_extract_str(p, "gen.strvalue", &ei), buf);
        assert_string_equal(sdkt_extract_str(p, "gen.label", &ei), "gen");
        for (uint64_t d = 1; d <= 7; d++) {
            char expr[32];
            snprintf(expr, sizeof expr, "gen.divisible[%" PRIu64 "]", d);
            falco_host_values v;
            bool b;
            assert_int_equal(sdkt_extract(p, expr, &ei, false, &v), FALCO_OK);
            assert_int_equal(falco_host_value_bool(&v, 0, &b), FALCO_OK);
            assert_int_equal(b, pl.value % d == 0);
        }
        const char *text;
        assert_int_equal(falco_host_event_to_string(p, &ei, &text), FALCO_OK);
        snprintf(buf, sizeof buf, "value=%" PRIu64 " step=%" PRIu64, pl.value, pl.step);
        assert_string_equal(text, buf);
        prev = pl.value;
    }
    assert_int_equal(falco_host_next(in, &e), FALCO_EOF);
    assert_int_equal(sdkt_metric_u64(p, "events_produced"), 5);
    assert_int_equal(sdkt_metric_u64(p, "open_captures"), 1);
    falco_host_close(in);
    assert_int_equal(sdkt_metric_u64(p, "open_captures"), 0);
    falco_host_plugin_free(p);
}

static void test_config_applies(void **state) {
    (void)state;
    falco_host_plugin *p = load_gen("{\"start\": 100, \"jitter\": 1, \"label\": \"mine\"}");
    falco_host_instance *in;
    assert_int_equal(falco_host_open(p, "3", &in), FALCO_OK);
    const falco_abi_event *e;
    for (uint64_t n = 0; n < 3; n++) {
        assert_int_equal(falco_host_next(in, &e), FALCO_OK);
        falco_abi_event_input ei = {.evt = e, .evtnum = n + 1, .evtsrc = "generator"};
        assert_int_equal(sdkt_extract_u64(p, "gen.value", &ei), 100 + n); /* jitter 1: step 1 */
        assert_string_equal(sdkt_extract_str(p, "gen.label", &ei), "mine");
    }
    assert_int_equal(falco_host_next(in, &e), FALCO_EOF);
    falco_host_close(in);
    /* a second capture starts over from the configured start */
    assert_int_equal(falco_host_open(p, "1", &in), FALCO_OK);
    assert_int_equal(falco_host_next(in, &e), FALCO_OK);
    assert_int_equal(payload_of(e).value, 100);
    falco_host_close(in);
    assert_int_equal(sdkt_metric_u64(p, "events_produced"), 4);
    falco_host_plugin_free(p);

    p = sdkt_load("GENERATOR_PLUGIN");
    assert_int_equal(falco_host_plugin_init(p, "{\"jitter\": 0}"), FALCO_EINVAL);
    assert_non_null(strstr(falco_host_errmsg(p), "jitter"));
    falco_host_plugin_free(p);
}

static void test_bad_open_params(void **state) {
    (void)state;
    falco_host_plugin *p = load_gen("");
    falco_host_instance *in = NULL;
    static const struct {
        const char *params, *why;
    } bad[] = {
        {"abc", "open params.count: expected integer in 1..18446744073709551615, got \"abc\""},
        {"0", "open params.count: expected integer in 1..18446744073709551615, got 0"},
        {"-1", "open params.count: expected integer in 1..18446744073709551615, got -1"},
        {"18446744073709551616", "open params.count: expected integer in 1..18446744073709551615, got "
                                 "18446744073709551616"},
        {"5x", "open params.count: expected integer in 1..18446744073709551615, got \"5x\""},
        /* fits the type, but would count past 2^64-1 with start 1 and jitter 10 */
        {"18446744073709551615", "open params.count: 18446744073709551615 events from start 1 with steps up to 10 "
                                 "would count past 2^64-1 (at most 1844674407370955162 events)"},
        {"{\"batch\": 0}", "open params.batch: expected integer in 1..512, got 0"},
        {"{\"bach\": 3}", "open params: unknown key 'bach' (known: count, batch)"},
        {"{\"count\": -1}", "open params.count: expected integer in 1..18446744073709551615, got -1"},
        {"{\"count\": 3", "open params: invalid JSON at line 1 column 12: expected ',' or '}' after object member, got end of input"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char want[512];
        assert_int_equal(falco_host_open(p, bad[i].params, &in), FALCO_ERROR);
        snprintf(want, sizeof want, "plugin 'generator': open: failed with FAILURE (params '%s'): %s", bad[i].params,
                 bad[i].why);
        assert_string_equal(falco_host_errmsg(p), want);
    }
    assert_int_equal(sdkt_metric_u64(p, "open_captures"), 0);
    /* "" is the default of 20 events */
    assert_int_equal(falco_host_open(p, "", &in), FALCO_OK);
    const falco_abi_event *e;
    int n = 0;
    while (falco_host_next(in, &e) == FALCO_OK)
        n++;
    assert_int_equal(n, 20);
    falco_host_close(in);
    falco_host_plugin_free(p);
}

static int count_events(falco_host_plugin *p, const char *params, uint64_t *last) {
    falco_host_instance *in;
    assert_int_equal(falco_host_open(p, params, &in), FALCO_OK);
    const falco_abi_event *e;
    int n = 0;
    uint64_t prev = 0;
    while (falco_host_next(in, &e) == FALCO_OK) {
        gen_payload pl = payload_of(e);
        assert_true(n == 0 || pl.value > prev); /* never wraps */
        prev = pl.value;
        n++;
    }
    *last = prev;
    falco_host_close(in);
    return n;
}

static void test_open_params_json_and_plain(void **state) {
    (void)state;
    falco_host_plugin *p = load_gen("");
    uint64_t last;
    assert_int_equal(count_events(p, "7", &last), 7);
    assert_int_equal(count_events(p, " 7\n", &last), 7);
    assert_int_equal(count_events(p, "{\"count\": 25, \"batch\": 10}", &last), 25);
    falco_host_instance *in;
    const falco_abi_event *e;
    uint32_t pct;
    const char *text;
    assert_int_equal(falco_host_open(p, "{\"count\": 25, \"batch\": 10}", &in), FALCO_OK);
    assert_int_equal(falco_host_next(in, &e), FALCO_OK);
    assert_int_equal(falco_host_progress(in, &pct, &text), FALCO_OK);
    assert_string_equal(text, "10 of 25 events"); /* one batch of 10 */
    falco_host_close(in);
    assert_int_equal(count_events(p, "{}", &last), 20);
    assert_int_equal(count_events(p, "1e1", &last), 10); /* a whole number, as in JSON configs */
    falco_host_plugin_free(p);
}

/* Values stop at 2^64-1: a start near it leaves room for few events. */
static void test_no_wrap_near_the_top(void **state) {
    (void)state;
    falco_host_plugin *p = load_gen("{\"start\": 18446744073709551610, \"jitter\": 5}");
    uint64_t last;
    assert_int_equal(count_events(p, "2", &last), 2);
    assert_true(last >= 18446744073709551611u);
    falco_host_instance *in;
    assert_int_equal(falco_host_open(p, "3", &in), FALCO_ERROR);
    assert_non_null(strstr(falco_host_errmsg(p), "open params.count: 3 events from start 18446744073709551610 with "
                                                 "steps up to 5 would count past 2^64-1 (at most 2 events)"));
    falco_host_plugin_free(p);
    p = load_gen("{\"start\": 18446744073709551615}");
    assert_int_equal(count_events(p, "1", &last), 1);
    assert_true(last == UINT64_MAX);
    falco_host_plugin_free(p);
}

static void test_divisible_by_zero(void **state) {
    (void)state;
    falco_host_plugin *p = load_gen("");
    falco_host_instance *in;
    assert_int_equal(falco_host_open(p, "1", &in), FALCO_OK);
    const falco_abi_event *e;
    assert_int_equal(falco_host_next(in, &e), FALCO_OK);
    falco_abi_event_input ei = {.evt = e, .evtnum = 1, .evtsrc = "generator"};
    falco_host_values v;
    assert_int_equal(sdkt_extract(p, "gen.divisible[0]", &ei, false, &v), FALCO_ERROR);
    assert_string_equal(falco_host_errmsg(p), "plugin 'generator': extract_fields: failed with FAILURE: field "
                                              "'gen.divisible': divisor must not be 0");
    /* the argument is required */
    falco_host_extractor *x = NULL;
    assert_int_equal(falco_host_extractor_new(p, "gen.divisible", &x), FALCO_EINVAL);
    falco_host_close(in);
    falco_host_plugin_free(p);
}

static void test_progress_and_params(void **state) {
    (void)state;
    falco_host_plugin *p = load_gen("");
    const falco_host_open_param *op;
    size_t n;
    assert_int_equal(falco_host_list_open_params(p, &op, &n), FALCO_OK);
    assert_int_equal(n, 3);
    assert_string_equal(op[0].value, "10");
    assert_string_equal(op[0].desc, "ten events");
    assert_string_equal(op[1].value, "1000");
    assert_string_equal(op[2].value, "{\"count\": 100, \"batch\": 10}");
    falco_host_instance *in;
    assert_int_equal(falco_host_open(p, "600", &in), FALCO_OK); /* more than one 512-event batch */
    uint32_t pct;
    const char *text;
    assert_int_equal(falco_host_progress(in, &pct, &text), FALCO_OK);
    assert_int_equal(pct, 0);
    assert_string_equal(text, "0 of 600 events");
    const falco_abi_event *e;
    assert_int_equal(falco_host_next(in, &e), FALCO_OK);
    assert_int_equal(falco_host_progress(in, &pct, &text), FALCO_OK);
    assert_int_equal(pct, 8533); /* 512 / 600 = 85.33% */
    assert_string_equal(text, "512 of 600 events");
    while (falco_host_next(in, &e) == FALCO_OK)
        ;
    assert_int_equal(falco_host_progress(in, &pct, &text), FALCO_OK);
    assert_int_equal(pct, 10000);
    assert_string_equal(text, "600 of 600 events");
    falco_host_close(in);
    falco_host_plugin_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_declaration),
        cmocka_unit_test(test_five_events_then_eof),
        cmocka_unit_test(test_config_applies),
        cmocka_unit_test(test_bad_open_params),
        cmocka_unit_test(test_open_params_json_and_plain),
        cmocka_unit_test(test_no_wrap_near_the_top),
        cmocka_unit_test(test_divisible_by_zero),
        cmocka_unit_test(test_progress_and_params),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
