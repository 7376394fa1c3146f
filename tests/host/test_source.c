/* Sourcing: open, batches, per-event rules, EOF, progress, open params. */
#include <stdint.h>
#include <stdlib.h>

#include "host_test.h"

static uint64_t payload(const falco_abi_event *e)
{
    uint64_t v;
    memcpy(&v, (const uint8_t *)e + 38, 8);
    return v;
}

static void test_events_until_eof(void **state)
{
    falco_host_plugin *p = init_ok("good", "{\"count\":5}", NULL);
    falco_host_instance *in;
    assert_int_equal(falco_host_open(p, "a", &in), FALCO_OK);
    assert_ptr_equal(falco_host_instance_plugin(in), p);
    falco_host_instance *second;
    assert_int_equal(falco_host_open(p, "a", &second), FALCO_EMISUSE);
    assert_string_equal(falco_host_errmsg(p), "plugin 'rawtest': open: an instance is already open: close it first");
    const falco_abi_event *ev;
    for (uint64_t i = 1; i <= 5; i++) {
        assert_int_equal(falco_host_next(in, &ev), FALCO_OK);
        assert_int_equal(falco_host_instance_evtnum(in), i);
        assert_int_equal(ev->type, 322);
        assert_int_equal(ev->nparams, 2);
        assert_int_equal(ev->tid, UINT64_MAX); /* -1 written by the host */
        uint32_t id;
        memcpy(&id, (const uint8_t *)ev + 34, 4);
        assert_int_equal(id, 999); /* 0 filled in by the host */
        assert_int_equal(payload(ev), i);
        if (i % 2)
            assert_true(ev->ts != UINT64_MAX && ev->ts > 1000000000000000000ULL); /* now, in ns */
        else
            assert_int_equal(ev->ts, 1000 + i);
        falco_abi_event_input ei = { ev, i, "rawtest" };
        const char *text;
        assert_int_equal(falco_host_event_to_string(p, &ei, &text), FALCO_OK);
        char want[32];
        snprintf(want, sizeof want, "value=%llu", (unsigned long long)i);
        assert_string_equal(text, want);
    }
    /* the last batch came with EOF: its events first, then EOF, and EOF stays */
    assert_int_equal(falco_host_next(in, &ev), FALCO_EOF);
    assert_null(ev);
    assert_int_equal(falco_host_next(in, &ev), FALCO_EOF);
    uint32_t pct;
    const char *s;
    assert_int_equal(falco_host_progress(in, &pct, &s), FALCO_OK);
    assert_int_equal(pct, 10000);
    assert_string_equal(s, "progress");
    falco_host_close(in);
    /* after close a new instance may open */
    assert_int_equal(falco_host_open(p, NULL, &in), FALCO_OK);
    falco_host_close(in);
    falco_host_plugin_free(p);
}

static void test_open_params(void **state)
{
    falco_host_plugin *p = init_ok("good", NULL, NULL);
    const falco_host_open_param *op;
    size_t n;
    assert_int_equal(falco_host_list_open_params(p, &op, &n), FALCO_OK);
    assert_int_equal(n, 2);
    assert_string_equal(op[0].value, "a");
    assert_string_equal(op[0].desc, "first stream");
    assert_string_equal(op[0].separator, "");
    assert_string_equal(op[1].value, "b");
    assert_string_equal(op[1].separator, ";");
    falco_host_plugin_free(p);
}

static void test_zero_events_is_an_error(void **state)
{
    falco_host_plugin *p = init_ok("zero_events", NULL, NULL);
    falco_host_instance *in;
    const falco_abi_event *ev;
    assert_int_equal(falco_host_open(p, NULL, &in), FALCO_OK);
    assert_int_equal(falco_host_next(in, &ev), FALCO_ERROR);
    assert_string_equal(falco_host_errmsg(p), "plugin 'rawtest': next_batch: returned SUCCESS with 0 events");
    assert_int_equal(falco_host_next(in, &ev), FALCO_EMISUSE);
    falco_host_close(in);
    falco_host_plugin_free(p);
}

static void test_wrong_event_type(void **state)
{
    falco_host_plugin *p = init_ok("wrong_type", NULL, NULL);
    falco_host_instance *in;
    const falco_abi_event *ev;
    assert_int_equal(falco_host_open(p, NULL, &in), FALCO_OK);
    assert_int_equal(falco_host_next(in, &ev), FALCO_EPARSE);
    assert_string_equal(falco_host_errmsg(p),
                        "plugin 'rawtest': next_batch: malformed plugin event #0: type 1 with 2 params, a plugin with "
                        "an id may only produce type 322 events with 2 params");
    falco_host_close(in);
    falco_host_plugin_free(p);
}

static void test_open_failure(void **state)
{
    falco_host_plugin *p = init_ok("open_fail", NULL, NULL);
    falco_host_instance *in;
    assert_int_equal(falco_host_open(p, "x", &in), FALCO_ERROR);
    assert_null(in);
    assert_string_equal(falco_host_errmsg(p),
                        "plugin 'rawtest': open: failed with FAILURE (params 'x'): cannot open 'x': no such stream");
    falco_host_plugin_free(p);
}

/* builds [hdr][lens][data] */
static size_t build(uint8_t *buf, uint16_t type, uint32_t nparams, const uint32_t *lens, bool large, uint32_t len)
{
    falco_abi_event h = { 1, 2, len, type, nparams };
    memcpy(buf, &h, 26);
    size_t pos = 26;
    for (uint32_t i = 0; i < nparams; i++) {
        if (large) {
            memcpy(buf + pos, &lens[i], 4);
            pos += 4;
        } else {
            uint16_t l = (uint16_t)lens[i];
            memcpy(buf + pos, &l, 2);
            pos += 2;
        }
    }
    return pos;
}

static void assert_invalid(const uint8_t *buf, size_t size, const char *reason)
{
    char err[256] = "";
    assert_int_equal(falco_host_event_validate((const falco_abi_event *)buf, size, err, sizeof err), FALCO_EPARSE);
    if (!strstr(err, reason))
        print_error("got '%s', wanted '%s'\n", err, reason);
    assert_non_null(strstr(err, reason));
}

static void test_event_validate(void **state)
{
    uint8_t buf[128];
    memset(buf, 0, sizeof buf);
    uint32_t l322[2] = { 4, 8 };
    build(buf, 322, 2, l322, true, 46);
    assert_int_equal(falco_host_event_validate((const falco_abi_event *)buf, 46, NULL, 0), FALCO_OK);
    assert_invalid(buf, 20, "buffer of 20 bytes is shorter than the 26-byte event header");
    assert_invalid(buf, 45, "event type 322: len 46 at offset 16 exceeds the 45 bytes available");
    build(buf, 322, 2, l322, true, 20);
    assert_invalid(buf, 128, "event type 322: len 20 at offset 16 is less than the 26-byte header");
    build(buf, 322, 2, l322, true, 30);
    assert_invalid(buf, 128, "event type 322: 2 params need a 8-byte length table at offset 26, past len 30");
    uint32_t big[2] = { 4, 100 };
    build(buf, 322, 2, big, true, 46);
    assert_invalid(buf, 128, "event type 322: param 1 of 100 bytes at offset 38 runs past len 46");
    uint32_t l3[3] = { 4, 4, 0 };
    build(buf, 322, 3, l3, true, 26 + 12 + 8);
    assert_invalid(buf, 128, "plugin event (322): expected 2 params, got 3");
    uint32_t la[3] = { 4, 3, 0 };
    size_t at = build(buf, 402, 3, la, true, 26 + 12 + 4 + 3);
    memcpy(buf + at + 4, "abc", 3);
    assert_invalid(buf, 128, "async event (402): name param at offset 42 is not NUL-terminated");
    uint32_t ls[2] = { 8, 4 };
    build(buf, 3, 2, ls, false, 26 + 4 + 12);
    assert_int_equal(falco_host_event_validate((const falco_abi_event *)buf, 128, NULL, 0), FALCO_OK);
    uint32_t lb[2] = { 8, 40 };
    build(buf, 3, 2, lb, false, 26 + 4 + 12);
    assert_invalid(buf, 128, "event type 3: param 1 of 40 bytes at offset 38 runs past len 42");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_events_until_eof),  cmocka_unit_test(test_open_params),
        cmocka_unit_test(test_zero_events_is_an_error), cmocka_unit_test(test_wrong_event_type),
        cmocka_unit_test(test_open_failure),      cmocka_unit_test(test_event_validate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
