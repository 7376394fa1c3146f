/* A session over a real capture file read with libfalcocapture behind a
 * falco_host_stream: syscall events numbered from 1 and parsed by the
 * plugins that take them; async events dropped as libsinsp does offline. */
#include <falco/capture.h>

#include "host_test.h"

static falco_rc cap_next(void *r, const falco_abi_event **evt, char *err, size_t n)
{
    const void *e;
    size_t len;
    falco_rc rc = falco_capture_next(r, &e, &len, NULL);
    if (rc == FALCO_OK)
        *evt = e;
    else if (rc != FALCO_EOF)
        snprintf(err, n, "%s", falco_capture_errmsg(r));
    return rc;
}

static int g_closed;
static void cap_close(void *r)
{
    g_closed++;
    falco_capture_close(r);
}

static void test_capture_stream(void **state)
{
    /* every event of the capture, counted by a plain reader first */
    falco_capture_error cerr;
    falco_capture_reader *r = falco_capture_open(FALCO_TEST_CAPTURE, &cerr);
    if (!r)
        fail_msg("%s", cerr.msg);
    const void *e;
    size_t len;
    uint64_t total = 0;
    while (falco_capture_next(r, &e, &len, NULL) == FALCO_OK)
        total++;
    falco_capture_close(r);
    assert_true(total > 100);

    falco_host_plugin *c = sess_init_ok("c", "typesall async8", NULL); /* every source, every type */
    falco_host_plugin *a = sess_init_ok("a", "", NULL);                /* "sess" only */
    falco_host_session *s;
    assert_int_equal(falco_host_session_new(0, &s), FALCO_OK);
    assert_int_equal(falco_host_session_add(s, c), FALCO_OK);
    assert_int_equal(falco_host_session_add(s, a), FALCO_OK);
    r = falco_capture_open(FALCO_TEST_CAPTURE, &cerr);
    assert_non_null(r);
    falco_host_stream st = { .next = cap_next, .close = cap_close, .userdata = r, .source = NULL, .live = false };
    assert_int_equal(falco_host_session_open_stream(s, &st), FALCO_OK);
    /* the async events c sent at open were accepted and dropped: a capture */
    assert_int_equal(falco_host_session_async_dropped(s), 8 * 25);
    assert_int_equal(falco_host_session_async_queued(s), 0);
    const falco_host_session_event *ev;
    falco_rc rc;
    uint64_t n = 0;
    while ((rc = falco_host_session_next(s, &ev)) == FALCO_OK) {
        n++;
        assert_int_equal(ev->input.evtnum, n);
        assert_string_equal(ev->input.evtsrc, "syscall");
        assert_null(ev->async_from);
    }
    assert_int_equal(rc, FALCO_EOF);
    assert_int_equal(n, total);
    assert_int_equal(sess_parsed(c), total);
    assert_int_equal(sess_parsed(a), 0);
    assert_int_equal(falco_host_session_close(s), FALCO_OK);
    assert_int_equal(g_closed, 1);
    falco_host_session_free(s);
    falco_host_plugin_free(c);
    falco_host_plugin_free(a);
}

/* A stream that hands out a broken event: the session says where. */
static falco_rc bad_next(void *u, const falco_abi_event **evt, char *err, size_t n)
{
    static uint8_t buf[26] = { 0 };
    uint32_t len = 10; /* shorter than a header */
    memcpy(buf + 16, &len, 4);
    *evt = (const falco_abi_event *)buf;
    return FALCO_OK;
}

static void test_bad_stream_event(void **state)
{
    falco_host_plugin *c = sess_init_ok("c", "typesall", NULL);
    falco_host_session *s;
    assert_int_equal(falco_host_session_new(0, &s), FALCO_OK);
    assert_int_equal(falco_host_session_add(s, c), FALCO_OK);
    falco_host_stream st = { .next = bad_next, .source = "syscall", .live = true };
    assert_int_equal(falco_host_session_open_stream(s, &st), FALCO_OK);
    const falco_host_session_event *ev;
    assert_int_equal(falco_host_session_next(s, &ev), FALCO_EPARSE);
    assert_non_null(strstr(falco_host_session_errmsg(s), "session: stream: event after #0: "));
    falco_host_session_free(s);
    falco_host_plugin_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_capture_stream),
        cmocka_unit_test(test_bad_stream_event),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
