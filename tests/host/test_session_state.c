/* A session over a capture stream reads the file's starting state at open,
 * as libsinsp's inspector does (sinsp::consume_initialstate_events): the
 * leading users, groups, containers and async events are numbered and
 * parsed, never returned. The capture is one Falco 0.44 wrote with the
 * heartbeat example (tests/data/heartbeat_falco.scap: 71 user and group
 * events, heartbeat_state, a heartbeat, then 45 events of which 7 are
 * heartbeats); libsinsp returns its events from evt.num 74 on
 * (tests/data/golden/heartbeat_falco.statecount.txt). */
#include <stdint.h>

#include <falco/capture.h>
#include <falco/event.h>

#include "host_test.h"

#define STATE_EVENTS 73u
#define ALL_EVENTS 118u

/* The file's events, read plain (nothing to convert in it); after `fail_at`
 * events (0: never) the stream fails, after `stop_at` (0: never) it ends. */
typedef struct capstream {
    falco_capture_reader *r;
    unsigned read, fail_at, stop_at;
} capstream;

static falco_rc cap_next(void *u, const falco_abi_event **evt, char *err, size_t n)
{
    capstream *cs = u;
    if (cs->fail_at && cs->read == cs->fail_at) {
        snprintf(err, n, "broken after %u events", cs->read);
        return FALCO_EPARSE;
    }
    if (cs->stop_at && cs->read == cs->stop_at)
        return FALCO_EOF;
    const void *e;
    size_t len;
    falco_rc rc = falco_capture_next(cs->r, &e, &len, NULL);
    if (rc == FALCO_OK) {
        cs->read++;
        *evt = e;
    } else if (rc != FALCO_EOF) {
        snprintf(err, n, "%s", falco_capture_errmsg(cs->r));
    }
    return rc;
}

static void cap_close(void *u)
{
    capstream *cs = u;
    falco_capture_close(cs->r);
    cs->r = NULL;
}

static falco_host_plugin *parser(void)
{
    return sess_init_ok("c", "typesall", NULL); /* parses every event */
}

static uint16_t type_of(const falco_abi_event *e)
{
    uint16_t t;
    memcpy(&t, (const uint8_t *)e + 20, 2);
    return t;
}

/* A session of the parser over cs, opened as a capture (live false) or not. */
static falco_host_session *open_on(falco_host_plugin *p, capstream *cs, bool live)
{
    falco_capture_error cerr;
    cs->r = falco_capture_open(FALCO_TEST_STATE_CAPTURE, &cerr);
    if (!cs->r)
        fail_msg("%s", cerr.msg);
    falco_host_session *s;
    assert_int_equal(falco_host_session_new(0, &s), FALCO_OK);
    assert_int_equal(falco_host_session_add(s, p), FALCO_OK);
    falco_host_stream st = { .next = cap_next, .close = cap_close, .userdata = cs, .live = live };
    assert_int_equal(falco_host_session_open_stream(s, &st), FALCO_OK);
    return s;
}

static void test_starting_state_consumed(void **state)
{
    (void)state;
    falco_host_plugin *p = parser();
    capstream cs = { 0 };
    falco_host_session *s = open_on(p, &cs, false);
    /* open read the state and the first other event, and parsed the state */
    assert_int_equal(cs.read, STATE_EVENTS + 1);
    assert_int_equal(sess_parsed(p), STATE_EVENTS);
    const falco_host_session_event *ev;
    falco_rc rc;
    uint64_t n = 0, async = 0;
    while ((rc = falco_host_session_next(s, &ev)) == FALCO_OK) {
        n++;
        assert_int_equal(ev->input.evtnum, STATE_EVENTS + n); /* libsinsp's evt.num: 74 first */
        assert_null(ev->async_from); /* the file's async events are stream events */
        uint16_t t = type_of(ev->input.evt);
        if (n == 1)
            assert_int_equal(t, FALCO_PPME_SCAPEVENT_E);
        async += t == FALCO_PPME_ASYNCEVENT_E;
        assert_int_not_equal(t, FALCO_PPME_USER_ADDED_E);
        assert_int_not_equal(t, FALCO_PPME_GROUP_ADDED_E);
    }
    assert_int_equal(rc, FALCO_EOF);
    assert_int_equal(n, ALL_EVENTS - STATE_EVENTS);
    assert_int_equal(async, 7); /* returned, as libsinsp returns them past the start */
    assert_int_equal(sess_parsed(p), ALL_EVENTS);
    falco_host_session_free(s);
    falco_host_plugin_free(p);
}

/* A live stream has no starting state: the same events all come out. */
static void test_live_stream_returns_all(void **state)
{
    (void)state;
    falco_host_plugin *p = parser();
    capstream cs = { 0 };
    falco_host_session *s = open_on(p, &cs, true);
    assert_int_equal(sess_parsed(p), 0);
    const falco_host_session_event *ev;
    assert_int_equal(falco_host_session_next(s, &ev), FALCO_OK);
    assert_int_equal(ev->input.evtnum, 1);
    assert_int_equal(type_of(ev->input.evt), FALCO_PPME_USER_ADDED_E);
    falco_host_session_free(s);
    falco_host_plugin_free(p);
}

/* A capture of nothing but state: parsed at open, then EOF. */
static void test_state_only(void **state)
{
    (void)state;
    falco_host_plugin *p = parser();
    capstream cs = { .stop_at = STATE_EVENTS };
    falco_host_session *s = open_on(p, &cs, false);
    assert_int_equal(sess_parsed(p), STATE_EVENTS);
    const falco_host_session_event *ev;
    assert_int_equal(falco_host_session_next(s, &ev), FALCO_EOF);
    assert_int_equal(falco_host_session_next(s, &ev), FALCO_EOF);
    falco_host_session_free(s);
    falco_host_plugin_free(p);
}

/* A stream failing inside the starting state: the open succeeds (libsinsp's
 * stops reading quietly), the first next returns the failure and says why. */
static void test_failure_in_state(void **state)
{
    (void)state;
    falco_host_plugin *p = parser();
    capstream cs = { .fail_at = 10 };
    falco_host_session *s = open_on(p, &cs, false);
    assert_int_equal(sess_parsed(p), 10);
    const falco_host_session_event *ev;
    assert_int_equal(falco_host_session_next(s, &ev), FALCO_EPARSE);
    assert_non_null(strstr(falco_host_session_errmsg(s), "broken after 10 events"));
    assert_null(ev);
    falco_host_session_free(s);
    falco_host_plugin_free(p);
}

/* Five synthetic events: a container event and an async event (starting
 * state), then a scapevent, another async event, a scapevent. Real libsinsp
 * (plughost -s on these events written to a file) returns 3, 4 (the async
 * event, named x) and 5. */
typedef struct synth {
    uint8_t buf[5][256];
    size_t next;
} synth;

static falco_rc synth_next(void *u, const falco_abi_event **evt, char *err, size_t n)
{
    synth *sy = u;
    (void)err, (void)n;
    if (sy->next == 5)
        return FALCO_EOF;
    *evt = (const falco_abi_event *)sy->buf[sy->next++];
    return FALCO_OK;
}

static void test_container_and_async_state(void **state)
{
    (void)state;
    synth sy = { .next = 0 };
    char err[256];
    size_t need;
    falco_evt_value js = { .type = FALCO_PT_CHARBUF };
    js.v.str.ptr = "{\"container\":{\"id\":\"abc\"}}";
    js.v.str.len = (uint32_t)strlen(js.v.str.ptr);
    falco_evt_value sp[2] = { { .type = FALCO_PT_UINT32 }, { .type = FALCO_PT_UINT64 } };
    assert_int_equal(falco_evt_encode(sy.buf[0], 256, &need, FALCO_PPME_CONTAINER_JSON_E, 1000, 1, &js, 1, err,
                                      sizeof err), FALCO_OK);
    assert_int_equal(falco_evt_encode_async(sy.buf[1], 256, &need, 1001, UINT64_MAX, 0, "x", "d", 2), FALCO_OK);
    assert_int_equal(falco_evt_encode(sy.buf[2], 256, &need, FALCO_PPME_SCAPEVENT_E, 1002, 1, sp, 2, err, sizeof err),
                     FALCO_OK);
    assert_int_equal(falco_evt_encode_async(sy.buf[3], 256, &need, 1003, UINT64_MAX, 0, "x", "d", 2), FALCO_OK);
    assert_int_equal(falco_evt_encode(sy.buf[4], 256, &need, FALCO_PPME_SCAPEVENT_E, 1004, 1, sp, 2, err, sizeof err),
                     FALCO_OK);
    falco_host_plugin *p = parser();
    falco_host_session *s;
    assert_int_equal(falco_host_session_new(0, &s), FALCO_OK);
    assert_int_equal(falco_host_session_add(s, p), FALCO_OK);
    falco_host_stream st = { .next = synth_next, .userdata = &sy, .live = false };
    assert_int_equal(falco_host_session_open_stream(s, &st), FALCO_OK);
    assert_int_equal(sess_parsed(p), 2);
    static const uint16_t want[] = { FALCO_PPME_SCAPEVENT_E, FALCO_PPME_ASYNCEVENT_E, FALCO_PPME_SCAPEVENT_E };
    const falco_host_session_event *ev;
    for (unsigned i = 0; i < 3; i++) {
        assert_int_equal(falco_host_session_next(s, &ev), FALCO_OK);
        assert_int_equal(ev->input.evtnum, 3 + i);
        assert_int_equal(type_of(ev->input.evt), want[i]);
    }
    assert_int_equal(falco_host_session_next(s, &ev), FALCO_EOF);
    assert_int_equal(sess_parsed(p), 5);
    falco_host_session_free(s);
    falco_host_plugin_free(p);
}

static void test_initial_state_types(void **state)
{
    (void)state;
    uint8_t e[26] = { 0 };
    static const uint16_t yes[] = { FALCO_PPME_CONTAINER_E,    FALCO_PPME_CONTAINER_JSON_E, FALCO_PPME_CONTAINER_JSON_2_E,
                                    FALCO_PPME_USER_ADDED_E,   FALCO_PPME_USER_DELETED_E,   FALCO_PPME_GROUP_ADDED_E,
                                    FALCO_PPME_GROUP_DELETED_E, FALCO_PPME_ASYNCEVENT_E };
    static const uint16_t no[] = { FALCO_PPME_SCAPEVENT_E,    FALCO_PPME_PLUGINEVENT_E, FALCO_PPME_SYSCALL_OPEN_X,
                                   FALCO_PPME_USER_ADDED_X,   FALCO_PPME_CONTAINER_JSON_X };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        memcpy(e + 20, &yes[i], 2);
        assert_true(falco_host_initial_state_event((const falco_abi_event *)e));
    }
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
        memcpy(e + 20, &no[i], 2);
        assert_false(falco_host_initial_state_event((const falco_abi_event *)e));
    }
    assert_false(falco_host_initial_state_event(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_starting_state_consumed), cmocka_unit_test(test_live_stream_returns_all),
        cmocka_unit_test(test_state_only),              cmocka_unit_test(test_failure_in_state),
        cmocka_unit_test(test_container_and_async_state), cmocka_unit_test(test_initial_state_types),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
