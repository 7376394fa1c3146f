/* The source capability through the host: batches, the result-code rules,
 * timestamps, errors, add_event validation, progress, open params and
 * event_to_string (plugins/srcplug.c, plugins/srcmin.c); declarative open
 * parameters and the instance rules (plugins/srcparams.c, srcnoinst.c). */
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
    expect_next_error("fail", "plugin 'srcplug': next_batch: failed with FAILURE: disk on fire at block 42");
    /* no falco_error(): the SDK names the call and the code */
    expect_next_error("failplain",
                      "plugin 'srcplug': next_batch: failed with FAILURE: next_batch failed: value out of range");
    expect_next_error("nosuch", "plugin 'srcplug': next_batch: failed with FAILURE: unknown scenario 'nosuch'");
}

/* 4-byte payloads: the first event of the first batch takes the add's
 * out-of-line path (no memory yet), the others the inline one; each batch
 * holds 4. */
static void test_u32_payloads(void **state) {
    (void)state;
    falco_host_plugin *p = load_src();
    falco_host_instance *in = open_ok(p, "u32:10");
    const falco_abi_event *e;
    for (uint32_t i = 1; i <= 10; i++) {
        assert_int_equal(falco_host_next(in, &e), FALCO_OK);
        assert_int_equal(e->len, FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET + 4);
        uint32_t v;
        memcpy(&v, (const unsigned char *)e + FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET, 4);
        assert_int_equal(v, i);
        assert_int_equal(event_plugin_id(e), 4242);
    }
    assert_int_equal(falco_host_next(in, &e), FALCO_EOF);
    falco_host_close(in);
    falco_host_plugin_free(p);
}

static void test_batch_full_is_erange(void **state) {
    (void)state;
    expect_next_error("full",
                      "plugin 'srcplug': next_batch: failed with FAILURE: next_batch: the batch is full (4 events)");
    expect_next_error("full4",
                      "plugin 'srcplug': next_batch: failed with FAILURE: next_batch: the batch is full (4 events)");
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
                      "plugin 'srcplug': next_batch: failed with FAILURE: next_batch: source with plugin id "
                      "4242 may only add plugin events (type 322, 2 params), got type 3 with 2 params");
    expect_next_error("addevent:2", "plugin 'srcplug': next_batch: failed with FAILURE: next_batch: plugin "
                                    "event carries plugin id 999, not ours (4242)");
    expect_next_error("addevent:3", "plugin 'srcplug': next_batch: failed with FAILURE: next_batch: event "
                                    "header says 50 bytes, 46 given");
    expect_next_error("addevent:4", "plugin 'srcplug': next_batch: failed with FAILURE: next_batch: an event "
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

/* srcparams: the path event, then the numbers, and EOF. */
static void expect_capture(falco_host_plugin *p, const char *params, const char *path, uint64_t lo, uint64_t hi) {
    falco_host_instance *in = open_ok(p, params);
    const falco_abi_event *e;
    assert_int_equal(falco_host_next(in, &e), FALCO_OK);
    size_t len = e->len - FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET;
    assert_int_equal(len, strlen(path));
    assert_memory_equal((const char *)e + FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET, path, len);
    for (uint64_t v = lo; v <= hi; v++) {
        assert_int_equal(falco_host_next(in, &e), FALCO_OK);
        assert_int_equal(payload_u64(e), v);
    }
    assert_int_equal(falco_host_next(in, &e), FALCO_EOF);
    falco_host_close(in);
}

static void test_open_params_decoded(void **state) {
    (void)state;
    falco_host_plugin *p = sdkt_load_init("SDKT_SRCPARAMS", "");
    expect_capture(p, "", "/dev/null", 1, 3);                 /* defaults */
    expect_capture(p, "  ", "/dev/null", 1, 3);
    expect_capture(p, "{}", "/dev/null", 1, 3);
    expect_capture(p, "/var/log/x y", "/var/log/x y", 1, 3);  /* plain form: the value of "path" */
    expect_capture(p, " ab\xff\"c\\ \n", "ab\xff\"c\\", 1, 3);  /* byte for byte, blanks around cut */
    expect_capture(p, "[1", "[1", 1, 3);                        /* not JSON: only '{' starts JSON */
    expect_capture(p, "{\"path\": \"/a\", \"batch\": 1, \"range\": {\"lo\": 7, \"hi\": 9}}", "/a", 7, 9);
    expect_capture(p, "{\"range\": {\"hi\": 5.0}}", "/dev/null", 1, 5); /* whole numbers are integers */
    assert_int_equal(sdkt_metric_u64(p, "opens"), 8);
    assert_int_equal(sdkt_metric_u64(p, "closes"), 8);
    assert_int_equal(sdkt_metric_u64(p, "params_outside_open"), 0); /* falco_source_params: .open only */
    assert_int_equal(sdkt_metric_u64(p, "wrong_batch_params"), 0);  /* falco_batch_params: the instance's */
    falco_host_plugin_free(p);
}

static void test_open_params_errors(void **state) {
    (void)state;
    falco_host_plugin *p = sdkt_load_init("SDKT_SRCPARAMS", "");
    static const struct {
        const char *params, *why;
    } bad[] = {
        {"{\"batch\": 0}", "open params.batch: expected integer in 1..512, got 0"},
        {"{\"bach\": 1}", "open params: unknown key 'bach' (known: path, batch, verbose, range)"},
        {"{\"range\": {\"lo\": \"x\"}}", "open params.range.lo: expected integer in 0..18446744073709551615, got \"x\""},
        {"{\"range\": 3}", "open params.range: expected object, got 3"},
        {"{\"verbose\": 1}", "open params.verbose: expected boolean, got 1"},
        {"{\"path\": 1", "open params: invalid JSON at line 1 column 11: expected ',' or '}' after object member, "
                          "got end of input"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        falco_host_instance *in = NULL;
        char want[512];
        assert_int_equal(falco_host_open(p, bad[i].params, &in), FALCO_ERROR);
        assert_null(in);
        snprintf(want, sizeof want, "plugin 'srcparams': open: failed with FAILURE (params '%s'): %s", bad[i].params,
                 bad[i].why);
        assert_string_equal(falco_host_errmsg(p), want);
    }
    assert_int_equal(sdkt_metric_u64(p, "opens"), 0); /* .open never ran */
    falco_host_plugin_free(p);
}

static void test_instance_by_open_must_set_instance(void **state) {
    (void)state;
    falco_host_plugin *p = sdkt_load_init("SDKT_SRCPARAMS", "");
    falco_host_instance *in = NULL;
    assert_int_equal(falco_host_open(p, "noinst", &in), FALCO_ERROR);
    assert_string_equal(falco_host_errmsg(p),
                        "plugin 'srcparams': open: failed with FAILURE (params 'noinst'): open returned FALCO_OK "
                        "without setting *instance: with .instance_size = FALCO_INSTANCE_BY_OPEN, .open must set "
                        "*instance to its allocation");
    expect_capture(p, "ok", "ok", 1, 3); /* the next open works */
    falco_host_plugin_free(p);
}

static void test_open_params_suggestions(void **state) {
    (void)state;
    falco_host_plugin *p = sdkt_load_init("SDKT_SRCPARAMS", "");
    const falco_host_open_param *op;
    size_t n = 0;
    assert_int_equal(falco_host_list_open_params(p, &op, &n), FALCO_OK);
    assert_int_equal(n, 2);
    assert_string_equal(op[0].value, "/var/log/app.log");
    assert_string_equal(op[1].value, "{\"batch\": 2, \"range\": {\"lo\": 10, \"hi\": 12}}");
    expect_capture(p, op[1].value, "/dev/null", 10, 12); /* each suggestion opens */
    falco_host_plugin_free(p);
}

/* Open strings a host may pass, malformed or not: each opens or fails with a
 * message, never crashes (ASan and valgrind stages run this too). */
static void test_open_params_garbage(void **state) {
    (void)state;
    falco_host_plugin *p = sdkt_load_init("SDKT_SRCPARAMS", "");
    static const char alphabet[] = "{}[]\":,0123456789-+.eE \\utrfalsenul/pathbatchrange\x01\xc3\xa9\xff";
    uint64_t rng = 0x2545F4914F6CDD1Dull;
    char params[64];
    for (int i = 0; i < 3000; i++) {
        size_t len = 0;
        params[len++] = (i & 1) ? '{' : 'x'; /* half JSON, half plain */
        rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
        size_t n = rng % (sizeof params - 2);
        for (size_t k = 0; k < n; k++) {
            rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
            params[len++] = alphabet[rng % (sizeof alphabet - 1)];
        }
        params[len] = '\0';
        falco_host_instance *in = NULL;
        falco_rc rc = falco_host_open(p, params, &in);
        if (rc == FALCO_OK) {
            falco_host_close(in);
        } else {
            assert_non_null(strstr(falco_host_errmsg(p), "open params"));
            assert_null(in);
        }
    }
    falco_host_plugin_free(p);
}

/* Declarations init refuses, with the fix in the message. */
static void expect_init_error(const char *var, const char *msg) {
    falco_host_plugin *p = sdkt_load(var);
    assert_int_not_equal(falco_host_plugin_init(p, ""), FALCO_OK);
    if (!strstr(falco_host_errmsg(p), msg))
        fail_msg("init error \"%s\" does not contain \"%s\"", falco_host_errmsg(p), msg);
    falco_host_plugin_free(p);
}

static void test_declaration_errors(void **state) {
    (void)state;
    expect_init_error("SDKT_SRCNOINST", "source 'srcnoinst': .instance_size is 0: set .instance_size = sizeof(your "
                                        "instance struct), or FALCO_INSTANCE_BY_OPEN if .open allocates *instance "
                                        "itself");
    expect_init_error("SDKT_SRCSTALE", "plugin 'srcnoinst': open_params[1] \"500\" does not decode: open "
                                       "params.count: expected integer in 1..100, got 500");
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
        cmocka_unit_test(test_u32_payloads),
        cmocka_unit_test(test_add_event_valid),
        cmocka_unit_test(test_add_event_validation),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_progress),
        cmocka_unit_test(test_progress_absent),
        cmocka_unit_test(test_list_open_params),
        cmocka_unit_test(test_event_to_string_custom),
        cmocka_unit_test(test_event_to_string_default),
        cmocka_unit_test(test_instance_memory),
        cmocka_unit_test(test_open_params_decoded),
        cmocka_unit_test(test_open_params_errors),
        cmocka_unit_test(test_instance_by_open_must_set_instance),
        cmocka_unit_test(test_open_params_suggestions),
        cmocka_unit_test(test_open_params_garbage),
        cmocka_unit_test(test_declaration_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
