/* The source capability through the host: batches, the result-code rules,
 * timestamps, errors, add_event validation, progress, open params and
 * event_to_string (plugins/srcplug.c, plugins/srcmin.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sdk_test.h"

static falco_host_plugin *load_src(void) {
    return sdkt_load_init("SDKT_SRCPLUG", "");
}

static falco_host_instance *open_ok(falco_host_plugin *p, const char *params) {
    falco_host_instance *in = NULL;
    if (falco_host_open(p, params, &in) != FALCO_OK)
        fail_msg("open %s: %s", params, falco_host_errmsg(p));
    return in;
}

static uint64_t payload_u64(const falco_abi_event *e) {
    uint64_t v;
    assert_int_equal(e->len, FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET + 8);
    memcpy(&v, (const unsigned char *)e + FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET, 8);
    return v;
}

static uint32_t event_plugin_id(const falco_abi_event *e) {
    uint32_t id;
    memcpy(&id, (const unsigned char *)e + 34, 4);
    return id;
}

static void test_events_across_batches(void **state) {
    (void)state;
    falco_host_plugin *p = load_src();
    assert_int_equal(falco_host_plugin_id(p), 4242);
    assert_string_equal(falco_host_plugin_event_source(p), "srcplug");
    falco_host_instance *in = open_ok(p, "count:9"); /* batches of 4: 4 + 4 + 1 */
    const falco_abi_event *e;
    for (uint64_t i = 1; i <= 9; i++) {
        assert_int_equal(falco_host_next(in, &e), FALCO_OK);
        assert_int_equal(e->type, FALCO_ABI_EVENT_PLUGIN);
        assert_int_equal(e->nparams, 2);
        assert_int_equal(payload_u64(e), i);
        assert_int_equal(event_plugin_id(e), 4242);
        assert_int_equal(e->tid, UINT64_MAX); /* -1 written by the host */
        /* UINT64_MAX asked the host for the time: it wrote a real one (after 2020) */
        assert_true(e->ts != UINT64_MAX);
        assert_true(e->ts > 1577836800ull * 1000000000ull);
    }
    assert_int_equal(falco_host_instance_evtnum(in), 9);
    assert_int_equal(falco_host_next(in, &e), FALCO_EOF);
    assert_int_equal(falco_host_next(in, &e), FALCO_EOF);
    falco_host_close(in);
    assert_int_equal(sdkt_metric_u64(p, "opens"), 1);
    assert_int_equal(sdkt_metric_u64(p, "closes"), 1);
    falco_host_plugin_free(p);
}

static void test_explicit_timestamps_kept(void **state) {
    (void)state;
    falco_host_plugin *p = load_src();
    falco_host_instance *in = open_ok(p, "ts:3");
    const falco_abi_event *e;
    for (uint64_t i = 1; i <= 3; i++) {
        assert_int_equal(falco_host_next(in, &e), FALCO_OK);
        assert_int_equal(e->ts, 1000 + i);
        assert_int_equal(payload_u64(e), i);
    }
    assert_int_equal(falco_host_next(in, &e), FALCO_EOF);
    falco_host_close(in);
    falco_host_plugin_free(p);
}

static void test_reserve_zero_copy(void **state) {
    (void)state;
    falco_host_plugin *p = load_src();
    falco_host_instance *in = open_ok(p, "reserve");
    const falco_abi_event *e;
    for (uint64_t i = 1; i <= 2; i++) {
        assert_int_equal(falco_host_next(in, &e), FALCO_OK);
        assert_int_equal(e->ts, 5000 + i);
        assert_int_equal(payload_u64(e), i);
        assert_int_equal(event_plugin_id(e), 4242);
    }
    assert_int_equal(falco_host_next(in, &e), FALCO_EOF);
    falco_host_close(in);
    falco_host_plugin_free(p);
}

/* FALCO_OK with no event must reach the host as TIMEOUT, never SUCCESS with 0. */
static void test_ok_with_zero_events_is_timeout(void **state) {
    (void)state;
    falco_host_plugin *p = load_src();
    falco_host_instance *in = open_ok(p, "zero");
    const falco_abi_event *e;
    assert_int_equal(falco_host_next(in, &e), FALCO_TIMEOUT);
    assert_null(e);
    assert_int_equal(falco_host_next(in, &e), FALCO_OK);
    assert_int_equal(payload_u64(e), 7);
    assert_int_equal(falco_host_next(in, &e), FALCO_EOF);
    falco_host_close(in);
    falco_host_plugin_free(p);
}

static void test_eof_with_events_delivers_them_first(void **state) {
    (void)state;
    falco_host_plugin *p = load_src();
    falco_host_instance *in = open_ok(p, "eofwith:3");
    const falco_abi_event *e;
    for (uint64_t i = 1; i <= 3; i++) {
        assert_int_equal(falco_host_next(in, &e), FALCO_OK);
        assert_int_equal(payload_u64(e), i);
    }
    assert_int_equal(falco_host_next(in, &e), FALCO_EOF);
    falco_host_close(in);
    falco_host_plugin_free(p);
}

static void test_timeout_with_events_delivers_them_first(void **state) {
    (void)state;
    falco_host_plugin *p = load_src();
    falco_host_instance *in = open_ok(p, "timeoutwith:2");
    const falco_abi_event *e;
    assert_int_equal(falco_host_next(in, &e), FALCO_OK);
    assert_int_equal(payload_u64(e), 1);
    assert_int_equal(falco_host_next(in, &e), FALCO_OK);
    assert_int_equal(payload_u64(e), 2);
    assert_int_equal(falco_host_next(in, &e), FALCO_TIMEOUT);
    assert_int_equal(falco_host_next(in, &e), FALCO_EOF);
    falco_host_close(in);
    falco_host_plugin_free(p);
}

/* Runs scenario params until the first non-OK next and checks the host's message. */
static void expect_next_error(const char *params, const char *msg) {
    falco_host_plugin *p = load_src();
    falco_host_instance *in = open_ok(p, params);
    const falco_abi_event *e;
    assert_int_equal(falco_host_next(in, &e), FALCO_ERROR);
    assert_string_equal(falco_host_errmsg(p), msg);
    falco_host_close(in);
    falco_host_plugin_free(p);
}

static void test_next_batch_errors(void **state) {
    (void)state;
    expect_next_error("fail", "plugin 'srcplug': next_batch: failed with FAILURE (rc 1): disk on fire at block 42");
    /* no falco_error(): the SDK names the call and the code */
    expect_next_error("failplain",
                      "plugin 'srcplug': next_batch: failed with FAILURE (rc 1): next_batch failed: value out of range");
    expect_next_error("nosuch", "plugin 'srcplug': next_batch: failed with FAILURE (rc 1): unknown scenario 'nosuch'");
}

static void test_batch_full_is_erange(void **state) {
    (void)state;
    expect_next_error("full",
                      "plugin 'srcplug': next_batch: failed with FAILURE (rc 1): next_batch: the batch is full (4 events)");
}

static void test_add_event_valid(void **state) {
    (void)state;
    falco_host_plugin *p = load_src();
    falco_host_instance *in = open_ok(p, "addevent:0");
    const falco_abi_event *e;
    assert_int_equal(falco_host_next(in, &e), FALCO_OK);
    assert_int_equal(payload_u64(e), 41);
    assert_int_equal(event_plugin_id(e), 4242); /* 0 filled by the host */
    assert_int_equal(e->ts, 77);
    assert_int_equal(falco_host_next(in, &e), FALCO_OK);
    assert_int_equal(payload_u64(e), 42);
    assert_int_equal(falco_host_next(in, &e), FALCO_EOF);
    falco_host_close(in);
    falco_host_plugin_free(p);
}

static void test_add_event_validation(void **state) {
    (void)state;
    expect_next_error("addevent:1",
                      "plugin 'srcplug': next_batch: failed with FAILURE (rc 1): next_batch: source with plugin id "
                      "4242 may only add plugin events (type 322, 2 params), got type 3 with 2 params");
    expect_next_error("addevent:2", "plugin 'srcplug': next_batch: failed with FAILURE (rc 1): next_batch: plugin "
                                    "event carries plugin id 999, not ours (4242)");
    expect_next_error("addevent:3", "plugin 'srcplug': next_batch: failed with FAILURE (rc 1): next_batch: event "
                                    "header says 50 bytes, 46 given");
    expect_next_error("addevent:4", "plugin 'srcplug': next_batch: failed with FAILURE (rc 1): next_batch: an event "
                                    "of 20 bytes is not a scap event");
}

static void test_open_errors(void **state) {
    (void)state;
    falco_host_plugin *p = load_src();
    falco_host_instance *in = NULL;
    assert_int_equal(falco_host_open(p, "openfail", &in), FALCO_ERROR);
    assert_null(in);
    assert_string_equal(falco_host_errmsg(p),
                        "plugin 'srcplug': open: failed with FAILURE (params 'openfail'): no capture named "
                        "'openfail' here");
    assert_int_equal(falco_host_open(p, "openplain", &in), FALCO_ERROR);
    assert_string_equal(falco_host_errmsg(p),
                        "plugin 'srcplug': open: failed with FAILURE (params 'openplain'): open failed: not found");
    /* a failed open leaves nothing open: the next open works */
    in = open_ok(p, "count:1");
    falco_host_close(in);
    assert_int_equal(sdkt_metric_u64(p, "opens"), 1);
    assert_int_equal(sdkt_metric_u64(p, "closes"), 1);
    falco_host_plugin_free(p);
}

static void test_progress(void **state) {
    (void)state;
    falco_host_plugin *p = load_src();
    falco_host_instance *in = open_ok(p, "count:10");
    uint32_t pct = 1;
    const char *text = NULL;
    assert_int_equal(falco_host_progress(in, &pct, &text), FALCO_OK);
    assert_int_equal(pct, 0);
    assert_string_equal(text, "0/10");
    const falco_abi_event *e;
    assert_int_equal(falco_host_next(in, &e), FALCO_OK); /* one batch of 4 produced */
    assert_int_equal(falco_host_progress(in, &pct, &text), FALCO_OK);
    assert_int_equal(pct, 4000); /* 40.00% */
    assert_string_equal(text, "4/10");
    while (falco_host_next(in, &e) == FALCO_OK)
        ;
    assert_int_equal(falco_host_progress(in, &pct, &text), FALCO_OK);
    assert_int_equal(pct, 10000);
    assert_string_equal(text, "10/10");
    falco_host_close(in);
    /* a failing progress callback: 0 and no text */
    in = open_ok(p, "zero");
    assert_int_equal(falco_host_progress(in, &pct, &text), FALCO_OK);
    assert_int_equal(pct, 0);
    assert_string_equal(text, "");
    falco_host_close(in);
    falco_host_plugin_free(p);
}

static void test_progress_absent(void **state) {
    (void)state;
    falco_host_plugin *p = sdkt_load_init("SDKT_SRCMIN", "");
    falco_host_instance *in = open_ok(p, "");
    uint32_t pct = 99;
    const char *text = NULL;
    /* the SDK exports get_progress anyway and answers 0 with no detail */
    assert_int_equal(falco_host_progress(in, &pct, &text), FALCO_OK);
    assert_int_equal(pct, 0);
    assert_string_equal(text, "");
    falco_host_close(in);
    falco_host_plugin_free(p);
}

static void test_list_open_params(void **state) {
    (void)state;
    falco_host_plugin *p = load_src();
    const falco_host_open_param *op;
    size_t n = 0;
    assert_int_equal(falco_host_list_open_params(p, &op, &n), FALCO_OK);
    assert_int_equal(n, 4);
    assert_string_equal(op[0].value, "count:5");
    assert_string_equal(op[0].desc, "five events");
    assert_string_equal(op[0].separator, "");
    assert_string_equal(op[1].value, "zero");
    assert_string_equal(op[1].desc, "");
    assert_string_equal(op[2].value, "ts:3");
    assert_string_equal(op[2].desc, "three timed events");
    assert_string_equal(op[3].value, "count:1|count:2");
    assert_string_equal(op[3].separator, "|");
    /* twice in a row: the same answer (memory reused, not leaked) */
    assert_int_equal(falco_host_list_open_params(p, &op, &n), FALCO_OK);
    assert_int_equal(n, 4);
    assert_string_equal(op[3].desc, "two captures");
    falco_host_plugin_free(p);

    p = sdkt_load_init("SDKT_SRCMIN", "");
    assert_int_equal(falco_host_list_open_params(p, &op, &n), FALCO_OK);
    assert_int_equal(n, 0);
    falco_host_plugin_free(p);
}

static void test_event_to_string_custom(void **state) {
    (void)state;
    falco_host_plugin *p = load_src();
    sdkt_event e;
    sdkt_u64_event(&e, 9, 1, NULL);
    memcpy((unsigned char *)e.storage + 34, &(uint32_t){4242}, 4);
    const char *text = NULL;
    assert_int_equal(falco_host_event_to_string(p, &e.in, &text), FALCO_OK);
    assert_string_equal(text, "srcplug value=9");
    /* the plugin's callback fails on a 4-byte payload: the SDK says so */
    unsigned char buf[64];
    uint32_t four = 4;
    sdkt_plugin_event(buf, sizeof buf, 4242, &four, 4);
    falco_abi_event_input in = {.evt = (const falco_abi_event *)buf, .evtnum = 2, .evtsrc = "srcplug"};
    assert_int_equal(falco_host_event_to_string(p, &in, &text), FALCO_OK);
    assert_string_equal(text, "<event_to_string failed: not an srcplug event>");
    falco_host_plugin_free(p);
}

static void test_event_to_string_default(void **state) {
    (void)state;
    falco_host_plugin *p = sdkt_load_init("SDKT_SRCMIN", "");
    falco_host_instance *in = open_ok(p, "");
    const falco_abi_event *e;
    const char *text = NULL;
    assert_int_equal(falco_host_next(in, &e), FALCO_OK);
    falco_abi_event_input ei = {.evt = e, .evtnum = 1, .evtsrc = "srcmin"};
    assert_int_equal(falco_host_event_to_string(p, &ei, &text), FALCO_OK);
    assert_string_equal(text, "hello plugin");
    assert_int_equal(falco_host_next(in, &e), FALCO_OK);
    ei.evt = e;
    assert_int_equal(falco_host_event_to_string(p, &ei, &text), FALCO_OK);
    assert_string_equal(text, "01ab00ff");
    assert_int_equal(falco_host_next(in, &e), FALCO_EOF);
    falco_host_close(in);
    falco_host_plugin_free(p);
}

/* Many open/close cycles, with SDK-allocated and author-allocated instances:
 * every close reaches the plugin and (under ASan) nothing leaks. */
static void test_instance_memory(void **state) {
    (void)state;
    falco_host_plugin *p = load_src();
    for (int i = 0; i < 50; i++) {
        falco_host_instance *in = open_ok(p, i % 2 ? "own:count:3" : "count:3");
        const falco_abi_event *e;
        int n = 0;
        while (falco_host_next(in, &e) == FALCO_OK)
            n++;
        assert_int_equal(n, 3);
        falco_host_close(in);
    }
    assert_int_equal(sdkt_metric_u64(p, "opens"), 50);
    assert_int_equal(sdkt_metric_u64(p, "closes"), 50);
    assert_int_equal(sdkt_metric_u64(p, "own_frees"), 25);
    /* an instance left open is closed when the plugin is freed */
    falco_host_instance *in = open_ok(p, "own:count:3");
    (void)in;
    falco_host_plugin_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_events_across_batches),
        cmocka_unit_test(test_explicit_timestamps_kept),
        cmocka_unit_test(test_reserve_zero_copy),
        cmocka_unit_test(test_ok_with_zero_events_is_timeout),
        cmocka_unit_test(test_eof_with_events_delivers_them_first),
        cmocka_unit_test(test_timeout_with_events_delivers_them_first),
        cmocka_unit_test(test_next_batch_errors),
        cmocka_unit_test(test_batch_full_is_erange),
        cmocka_unit_test(test_add_event_valid),
        cmocka_unit_test(test_add_event_validation),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_progress),
        cmocka_unit_test(test_progress_absent),
        cmocka_unit_test(test_list_open_params),
        cmocka_unit_test(test_event_to_string_custom),
        cmocka_unit_test(test_event_to_string_default),
        cmocka_unit_test(test_instance_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
