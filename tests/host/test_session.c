/* Sessions: several raw plugins over one plugin source, libsinsp's order of
 * parse before extract, async events from 8 threads, routines on the pool. */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "host_test.h"

#define PER_THREAD 25
#define THREADS 8

static uint64_t metric(falco_host_plugin *p, const char *name)
{
    const falco_abi_metric *m;
    uint32_t n;
    assert_int_equal(falco_host_plugin_metrics(p, &m, &n), FALCO_OK);
    for (uint32_t i = 0; i < n; i++)
        if (strcmp(m[i].name, name) == 0)
            return m[i].value.u64;
    fail_msg("no metric %s", name);
    return 0;
}

static falco_rc extract_str(falco_host_plugin *p, const char *field, const falco_abi_event_input *in, char *buf,
                            size_t size)
{
    falco_host_extractor *x;
    assert_int_equal(falco_host_extractor_new(p, field, &x), FALCO_OK);
    falco_host_values v;
    falco_rc rc = falco_host_extract(x, in, false, &v);
    buf[0] = '\0';
    if (rc == FALCO_OK && v.count)
        falco_host_value_format(&v, 0, buf, size);
    falco_host_extractor_free(x);
    return rc;
}

static void sleep_ms(long ms)
{
    struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&t, NULL);
}

/* Waits up to 10 s for metric name of p to reach at least want. */
static uint64_t wait_metric(falco_host_plugin *p, const char *name, uint64_t want)
{
    uint64_t v = 0;
    for (int i = 0; i < 1000 && (v = metric(p, name)) < want; i++)
        sleep_ms(10);
    return v;
}

/* A session with `threads` pool threads: src, then the plugins of with
 * (NULL-terminated), added in that order; src's source opened with params. */
static falco_host_session *sess_open(unsigned threads, const char *params, falco_host_plugin *src,
                                     falco_host_plugin *const *with)
{
    falco_host_session *s;
    assert_int_equal(falco_host_session_new(threads, &s), FALCO_OK);
    assert_int_equal(falco_host_session_add(s, src), FALCO_OK);
    for (; *with; with++)
        assert_int_equal(falco_host_session_add(s, *with), FALCO_OK);
    assert_int_equal(falco_host_session_open(s, src, params), FALCO_OK);
    return s;
}
#define SESS_OPEN(threads, params, src, ...) \
    sess_open(threads, params, src, (falco_host_plugin *const[]){ __VA_ARGS__, NULL })

/* parsea parses "sess"; parseb parses "other" (source filter); parsec
 * parses every source but only async events (type filter). */
static void test_parse_filter_and_order(void **state)
{
    log_capture log = { "" };
    falco_host_plugin *src = sess_init_ok("src", "count=5", NULL);
    falco_host_plugin *a = sess_init_ok("a", "", &log);
    falco_host_plugin *b = sess_init_ok("b", "", &log);
    falco_host_plugin *c = sess_init_ok("c", "types402", &log);
    falco_host_session *s = SESS_OPEN(0, "", src, a, b, c);

    const falco_host_session_event *ev;
    falco_rc rc;
    uint64_t n = 0;
    char text[256], want[64];
    while ((rc = falco_host_session_next(s, &ev)) == FALCO_OK) {
        n++;
        assert_int_equal(ev->input.evtnum, n);
        assert_string_equal(ev->input.evtsrc, "sess");
        assert_null(ev->async_from);
        /* extraction sees the parse of this very event: parse came first */
        assert_int_equal(extract_str(a, "parsea.log", &ev->input, text, sizeof text), FALCO_OK);
        snprintf(want, sizeof want, "%llu:322:%llu;", (unsigned long long)n, (unsigned long long)n);
        assert_non_null(strstr(text, want));
        assert_int_equal(strcmp(text + strlen(text) - strlen(want), want), 0);
        assert_int_equal(extract_str(a, "parsea.plugin_id", &ev->input, text, sizeof text), FALCO_OK);
        assert_string_equal(text, "1001");
        /* parseb does not extract from "sess" */
        assert_int_equal(extract_str(b, "parseb.log", &ev->input, text, sizeof text), FALCO_NOT_SUPPORTED);
    }
    assert_int_equal(rc, FALCO_EOF);
    assert_int_equal(n, 5);
    assert_int_equal(metric(a, "parsed"), 5);
    assert_int_equal(metric(b, "parsed"), 0); /* source filter */
    assert_int_equal(metric(c, "parsed"), 0); /* type filter: no async events */
    assert_int_equal(falco_host_session_parse_failures(s), 1);
    assert_non_null(strstr(log.text, "error|parsea|plugin 'parsea': parse_event: failed on event 4 with FAILURE: "
                                     "parsea cannot parse 4\n"));
    assert_int_equal(metric(a, "capture_close"), 0);
    assert_int_equal(falco_host_session_close(s), FALCO_OK);
    /* capture_open before the first event, capture_close at the end */
    for (falco_host_plugin **p = (falco_host_plugin *[]){ a, b, c, NULL }; *p; p++) {
        assert_int_equal(metric(*p, "capture_open"), 1);
        assert_int_equal(metric(*p, "capture_close"), 1);
    }
    falco_host_session_free(s);
    falco_host_plugin_free(src);
    falco_host_plugin_free(a);
    falco_host_plugin_free(b);
    falco_host_plugin_free(c);
}

/* The parse log through an extraction, to check "open;" came first. */
static void test_capture_open_before_first_event(void **state)
{
    falco_host_plugin *src = sess_init_ok("src", "count=1", NULL);
    falco_host_plugin *a = sess_init_ok("a", "", NULL);
    falco_host_session *s = SESS_OPEN(1, NULL, src, a);
    const falco_host_session_event *ev;
    assert_int_equal(falco_host_session_next(s, &ev), FALCO_OK);
    char text[256];
    assert_int_equal(extract_str(a, "parsea.log", &ev->input, text, sizeof text), FALCO_OK);
    assert_string_equal(text, "open;1:322:1;");
    assert_int_equal(falco_host_session_next(s, &ev), FALCO_EOF);
    falco_host_session_free(s); /* closes */
    assert_int_equal(metric(a, "capture_close"), 1);
    falco_host_plugin_free(src);
    falco_host_plugin_free(a);
}

/* 8 threads of parsea send 25 "ping" and one "bogus" each, at once; parseb's
 * async sources do not include "sess"; parsec parses only async events. */
static void test_async_from_8_threads(void **state)
{
    log_capture log = { "" };
    falco_host_plugin *src = sess_init_ok("src", "count=3", NULL);
    falco_host_plugin *a = sess_init_ok("a", "async8", &log);
    falco_host_plugin *b = sess_init_ok("b", "async8", &log);
    falco_host_plugin *c = sess_init_ok("c", "types402", NULL);
    falco_host_session *s = SESS_OPEN(0, "", src, a, b, c);
    assert_int_equal(metric(a, "async_ok"), THREADS * PER_THREAD);
    assert_int_equal(metric(a, "async_fail"), THREADS);
    assert_int_equal(falco_host_async_rejected(a), THREADS);
    assert_int_equal(metric(b, "async_ok"), 0);
    assert_int_equal(falco_host_async_rejected(b), THREADS * (PER_THREAD + 1));
    assert_int_equal(falco_host_session_async_queued(s), THREADS * PER_THREAD);
    assert_non_null(strstr(log.text, "error|parsea|incompatible async event 'bogus' produced by plugin: parsea\n"));
    assert_non_null(strstr(log.text, "error|parseb|async events of plugin 'parseb' are not compatible with open event "
                                     "source 'sess'\n"));

    const falco_host_session_event *ev;
    falco_rc rc;
    uint64_t n = 0, async = 0, regular = 0;
    char text[64];
    while ((rc = falco_host_session_next(s, &ev)) == FALCO_OK) {
        n++;
        assert_int_equal(ev->input.evtnum, n);
        uint16_t type;
        uint64_t ts;
        memcpy(&type, (const uint8_t *)ev->input.evt + 20, 2);
        memcpy(&ts, ev->input.evt, 8);
        if (ev->async_from) {
            /* queued with ts UINT64_MAX: before every regular event */
            assert_int_equal(regular, 0);
            assert_ptr_equal(ev->async_from, a);
            assert_int_equal(type, 402);
            assert_true(ts != UINT64_MAX && ts > 1000000000ULL); /* the current time: nothing delivered before */
            assert_int_equal(extract_str(a, "parsea.plugin_id", &ev->input, text, sizeof text), FALCO_OK);
            assert_string_equal(text, "1001"); /* the open source plugin's id */
            async++;
        } else {
            assert_int_equal(type, 322);
            assert_int_equal(ts, 1000 + regular + 1);
            regular++;
        }
    }
    assert_int_equal(rc, FALCO_EOF);
    assert_int_equal(async, THREADS * PER_THREAD);
    assert_int_equal(regular, 3);
    assert_int_equal(metric(a, "parsed"), async + regular);
    assert_int_equal(metric(c, "parsed"), async); /* 402 only */
    assert_int_equal(metric(b, "parsed"), 0);
    assert_int_equal(falco_host_session_async_dropped(s), 0);
    falco_host_session_free(s);
    falco_host_plugin_free(src);
    falco_host_plugin_free(a);
    falco_host_plugin_free(b);
    falco_host_plugin_free(c);
}

/* With a source plugin that has an id, async events must have tid -1. */
static void test_async_with_tid_rejected(void **state)
{
    log_capture log = { "" };
    falco_host_plugin *src = sess_init_ok("src", "count=1", NULL);
    falco_host_plugin *a = sess_init_ok("a", "async8 tid", &log);
    falco_host_session *s = SESS_OPEN(0, "", src, a);
    assert_int_equal(metric(a, "async_ok"), 0);
    assert_int_equal(falco_host_async_rejected(a), THREADS * (PER_THREAD + 1));
    assert_non_null(strstr(log.text, "error|parsea|async events of plugin 'parsea' can have no thread associated with "
                                     "open event source 'sess'\n"));
    const falco_host_session_event *ev;
    assert_int_equal(falco_host_session_next(s, &ev), FALCO_OK);
    assert_null(ev->async_from);
    assert_int_equal(falco_host_session_next(s, &ev), FALCO_EOF);
    falco_host_session_free(s);
    falco_host_plugin_free(src);
    falco_host_plugin_free(a);
}

/* r1 returns false on its 3rd run; r2 is unsubscribed by parse_event of
 * event 3 while the pool runs it; r3 runs until close, which must wait. */
static void test_routines(void **state)
{
    falco_host_plugin *src = sess_init_ok("src", "count=6", NULL);
    falco_host_plugin *a = sess_init_ok("a", "routines", NULL);
    falco_host_session *s = SESS_OPEN(2, "", src, a);
    assert_int_equal(wait_metric(a, "r1", 3), 3);
    /* r1 left by itself; r2 and r3 still subscribed */
    for (int i = 0; i < 1000 && falco_host_session_routine_count(s) != 2; i++)
        sleep_ms(10);
    assert_int_equal(falco_host_session_routine_count(s), 2);
    assert_true(wait_metric(a, "r2", 5) >= 5);

    const falco_host_session_event *ev;
    falco_rc rc;
    while ((rc = falco_host_session_next(s, &ev)) == FALCO_OK)
        ;
    assert_int_equal(rc, FALCO_EOF);
    assert_int_equal(falco_host_session_routine_count(s), 1); /* r3 */
    uint64_t at_unsub = metric(a, "r2_at_unsub");
    assert_true(at_unsub >= 5);
    uint64_t r3 = metric(a, "r3");
    assert_true(wait_metric(a, "r3", r3 + 10) >= r3 + 10); /* still running during the stream */
    /* a run in progress at the unsubscribe may finish; no new one starts */
    uint64_t r2 = metric(a, "r2");
    assert_true(r2 <= at_unsub + 2);
    sleep_ms(30);
    assert_int_equal(metric(a, "r2"), r2);

    assert_int_equal(falco_host_session_close(s), FALCO_OK);
    /* close waited: nothing runs, nothing is left, counts stay */
    assert_int_equal(metric(a, "running"), 0);
    assert_int_equal(falco_host_session_routine_count(s), 0);
    r3 = metric(a, "r3");
    sleep_ms(30);
    assert_int_equal(metric(a, "r3"), r3);
    assert_int_equal(metric(a, "r1"), 3);
    assert_true(metric(a, "max_running") <= 2); /* a pool of 2 threads */
    falco_host_session_free(s);
    falco_host_plugin_free(src);
    falco_host_plugin_free(a);
}

/* Close right after open, with every routine still pending. */
static void test_close_with_routines_pending(void **state)
{
    falco_host_plugin *src = sess_init_ok("src", "count=6", NULL);
    falco_host_plugin *a = sess_init_ok("a", "routines", NULL);
    falco_host_session *s = SESS_OPEN(3, "", src, a);
    assert_int_equal(falco_host_session_close(s), FALCO_OK);
    assert_int_equal(metric(a, "running"), 0);
    assert_int_equal(falco_host_session_routine_count(s), 0);
    uint64_t r3 = metric(a, "r3");
    sleep_ms(20);
    assert_int_equal(metric(a, "r3"), r3);
    assert_int_equal(metric(a, "capture_close"), 1);
    /* reopen: a new stream, capture_open again, numbering from 1 again */
    assert_int_equal(falco_host_session_open(s, src, ""), FALCO_OK);
    const falco_host_session_event *ev;
    assert_int_equal(falco_host_session_next(s, &ev), FALCO_OK);
    assert_int_equal(ev->input.evtnum, 1);
    assert_int_equal(metric(a, "capture_open"), 2);
    falco_host_session_free(s);
    assert_int_equal(metric(a, "running"), 0);
    falco_host_plugin_free(src);
    falco_host_plugin_free(a);
}

/* A listener of a session that is never opened, driven directly (as
 * `falcoplug check` does): its routines are the session's, never run, and
 * freed with it (the ASan and valgrind runs see a leak otherwise). */
static void test_listen_driven_directly(void **state)
{
    falco_host_plugin *a = sess_init_ok("a", "routines", NULL);
    falco_host_session *s;
    assert_int_equal(falco_host_session_new(0, &s), FALCO_OK);
    assert_int_equal(falco_host_session_add(s, a), FALCO_OK);
    assert_int_equal(falco_host_capture_open(a), FALCO_OK);
    assert_int_equal(falco_host_session_routine_count(s), 3);
    assert_int_equal(falco_host_capture_close(a), FALCO_OK);
    assert_int_equal(metric(a, "running"), 0);
    falco_host_session_free(s);
    falco_host_plugin_free(a);
}

/* An async event with a real timestamp, sent from a pool thread, goes
 * between the regular events by timestamp and keeps it. */
static void test_async_merged_by_timestamp(void **state)
{
    falco_host_plugin *src = sess_init_ok("src", "count=4", NULL);
    falco_host_plugin *a = sess_init_ok("a", "rasync", NULL);
    falco_host_session *s = SESS_OPEN(0, "", src, a);
    for (int i = 0; i < 1000 && falco_host_session_async_queued(s) < 1; i++)
        sleep_ms(10);
    assert_int_equal(falco_host_session_async_queued(s), 1);
    const falco_host_session_event *ev;
    char seq[128] = "";
    while (falco_host_session_next(s, &ev) == FALCO_OK) {
        uint64_t ts;
        memcpy(&ts, ev->input.evt, 8);
        size_t used = strlen(seq);
        snprintf(seq + used, sizeof seq - used, "%llu:%s%llu ", (unsigned long long)ev->input.evtnum,
                 ev->async_from ? "async@" : "", (unsigned long long)ts);
    }
    /* ts 1003 goes before the regular event of ts 1003, after 1002 */
    assert_string_equal(seq, "1:1001 2:1002 3:async@1003 4:1003 5:1004 ");
    falco_host_session_free(s);
    falco_host_plugin_free(src);
    falco_host_plugin_free(a);
}

/* libsinsp drops async events more than 10 s ahead, with a warning. */
static void test_async_too_far_ahead_dropped(void **state)
{
    log_capture log = { "" };
    falco_host_plugin *src = sess_init_ok("src", "count=2", NULL);
    falco_host_plugin *a = sess_init_ok("a", "rfuture", &log);
    falco_host_session *s = SESS_OPEN(0, "", src, a);
    for (int i = 0; i < 1000 && falco_host_session_async_dropped(s) < 1; i++)
        sleep_ms(10);
    assert_int_equal(falco_host_session_async_dropped(s), 1);
    assert_int_equal(metric(a, "async_ok"), 1); /* accepted, then dropped */
    const falco_host_session_event *ev;
    int n = 0;
    while (falco_host_session_next(s, &ev) == FALCO_OK) {
        assert_null(ev->async_from);
        n++;
    }
    assert_int_equal(n, 2);
    falco_host_session_free(s);
    assert_non_null(strstr(log.text, "warning|parsea|async event ts too far in future\n"));
    falco_host_plugin_free(src);
    falco_host_plugin_free(a);
}

static int g_dumped;
static void on_dump(void *userdata, falco_host_plugin *p, const falco_abi_event *evt)
{
    (void)userdata, (void)p, (void)evt;
    g_dumped++;
}

static void test_dump_state_and_add_rules(void **state)
{
    falco_host_plugin *src = sess_init_ok("src", "", NULL);
    falco_host_plugin *a = sess_init_ok("a", "", NULL);
    falco_host_plugin *a2 = sess_init_ok("a", "", NULL);
    falco_host_plugin *c = sess_init_ok("c", "", NULL);
    falco_host_plugin *raw = load_ok("good");
    falco_host_session *s, *s2;
    assert_int_equal(falco_host_session_new(0, &s), FALCO_OK);
    assert_int_equal(falco_host_session_new(0, &s2), FALCO_OK);
    assert_int_equal(falco_host_session_add(s, a), FALCO_OK);
    assert_int_equal(falco_host_session_add(s, a2), FALCO_EINVAL);
    assert_string_equal(falco_host_session_errmsg(s), "session: add: found another plugin with name 'parsea'");
    assert_int_equal(falco_host_session_add(s, raw), FALCO_EMISUSE);
    assert_string_equal(falco_host_session_errmsg(s), "session: add: plugin 'rawtest' is not initialized");
    assert_int_equal(falco_host_session_add(s2, a), FALCO_EMISUSE);
    assert_int_equal(falco_host_session_open(s, src, ""), FALCO_EMISUSE); /* src not added */
    assert_int_equal(falco_host_session_open(s, a, ""), FALCO_EMISUSE);   /* not a source */
    assert_int_equal(falco_host_session_add(s, c), FALCO_OK);
    g_dumped = 0;
    assert_int_equal(falco_host_session_dump_state(s, on_dump, NULL), FALCO_OK);
    assert_int_equal(g_dumped, 2);
    const falco_host_session_event *ev;
    assert_int_equal(falco_host_session_next(s, &ev), FALCO_EMISUSE);
    falco_host_session_free(s);
    /* released: a can join another session */
    assert_int_equal(falco_host_session_add(s2, a), FALCO_OK);
    falco_host_session_free(s2);
    falco_host_plugin_free(src);
    falco_host_plugin_free(a);
    falco_host_plugin_free(a2);
    falco_host_plugin_free(c);
    falco_host_plugin_free(raw);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_filter_and_order),
        cmocka_unit_test(test_capture_open_before_first_event),
        cmocka_unit_test(test_async_from_8_threads),
        cmocka_unit_test(test_async_with_tid_rejected),
        cmocka_unit_test(test_async_merged_by_timestamp),
        cmocka_unit_test(test_async_too_far_ahead_dropped),
        cmocka_unit_test(test_routines),
        cmocka_unit_test(test_close_with_routines_pending),
        cmocka_unit_test(test_listen_driven_directly),
        cmocka_unit_test(test_dump_state_and_add_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
