/* State tables, importing side, over a real capture: the host's `threads`
 * table filled from curl_google.scap's process and fd lists (through
 * falcoplug's capture_threads_fill) and kept up to date by the session from
 * the capture's events, read by an SDK plugin
 * (plugins/tabsdk.c) while parsing and extracting, through the host
 * library's session.
 *
 * The expected values are real libsinsp's: the same libsdkt_tabsdk.so run by
 * plughost (/work/shared/realhost, libs 48dfd53, plugin API 3.12):
 *   plughost -p libsdkt_tabsdk.so -s curl_google.scap \
 *     -f 'evt.type in (close, read, write, mmap, openat)' -o '%evt.num %ti.summary'
 * (its last line) and
 *   plughost -p libsdkt_tabsdk.so -s curl_google.scap -f 'evt.type=read' -o '%thread.tid %ti.comm'
 * (17497's reads show "curl"), and the event count of
 *   plughost -p libsdkt_tabsdk.so -s curl_google.scap -q     (Events: 939)
 * The session reads the capture through libfalcocapture's converter, which
 * hands out the events libscap hands libsinsp (enter events merged into
 * their exits, old layouts upgraded), numbered as libsinsp numbers them:
 * 991, of which libsinsp returns 939 (Events: 939) and numbers and parses
 * the other 52 (enter events libscap passes through; evt.num skips them).
 * tests/host/test_tables_capture.c has the same threads' values from
 * plughost's view of a raw-ABI plugin. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "capture_stream.h"
#include "capture_threads.h"
#include "sdk_test.h"

static const char expected_summary[] =
    "size=54 visits=2 complete=0 fd5=/home/ubuntu/curl.scap fd7=/proc/17496/fd "
    "tids=1:systemd:1,361:systemd-journal:361,460:systemd-udevd:460,1182:dhclient:1182,1338:iscsid:1338,"
    "1339:iscsid:1339,1350:dbus-daemon:1350,1376:gmain:1357,1368:systemd-logind:1368,1495:agetty:1495,"
    "1496:agetty:1496,1901:snapd:1901,1910:snapd:1901,1912:snapd:1901,1927:snapd:1901,1928:snapd:1901,"
    "1967:snapd:1901,2145:amazon-ssm-agen:2145,2157:amazon-ssm-agen:2145,3199:sshd:3199,3200:bash:3200,"
    "17496:sysdig:17496,17497:curl:17497,17498:curl:17497, "
    "errors=table 'threads': get_entry with a uint64 key, the table's key is int64|"
    "table 'threads': read: field 'name' belongs to table 'threads.file_descriptors'| held=0";

static falco_host_plugin *g_plugin;
static const char *one(falco_host_extractor *x, const falco_abi_event_input *in, char *buf, size_t n) {
    falco_host_values v;
    if (falco_host_extract(x, in, false, &v) != FALCO_OK)
        fail_msg("extract: %s", falco_host_errmsg(g_plugin));
    assert_int_equal(v.count, 1);
    assert_int_equal(falco_host_value_format(&v, 0, buf, n), FALCO_OK);
    return buf;
}

static void must_contain(const char *text, const char *part) {
    if (!strstr(text, part))
        fail_msg("'%s' does not contain '%s'", text, part);
}

static void test_import_threads(void **state) {
    (void)state;
    falco_capture_reader *r = capstream_reader(FALCO_TEST_CAPTURE);
    falco_host_session *s;
    assert_int_equal(falco_host_session_new(0, &s), FALCO_OK);
    /* the process and fd lists, every field, as `falcoplug run --capture`
     * fills them (and libsinsp reads them) */
    const falco_capture_metadata *m = falco_capture_get_metadata(r);
    assert_int_equal(m->process_count, 54);
    if (capture_threads_fill(s, m) != FALCO_OK)
        fail_msg("%s", falco_host_session_errmsg(s));
    falco_host_plugin *p = g_plugin = sdkt_load("SDKT_TABSDK");
    if (falco_host_session_init(s, p, "") != FALCO_OK)
        fail_msg("%s", falco_host_session_errmsg(s));
    capstream cs;
    capstream_open(s, &cs, r);
    falco_host_extractor *xc, *xb, *xs;
    assert_int_equal(falco_host_extractor_new(p, "ti.comm", &xc), FALCO_OK);
    assert_int_equal(falco_host_extractor_new(p, "ti.bump", &xb), FALCO_OK);
    assert_int_equal(falco_host_extractor_new(p, "ti.summary", &xs), FALCO_OK);
    const falco_host_session_event *ev;
    falco_rc rc;
    int extracted = 0;
    uint64_t n = 0, shown = 0;
    char buf[4096];
    uint64_t last = 0;
    static char summary[4096];
    while ((rc = falco_host_session_next(s, &ev)) == FALCO_OK) {
        n++;
        assert_int_equal(ev->input.evtnum, cs.last.evtnum); /* libsinsp's evt.num */
        if (!cs.last.shown)
            continue; /* parsed, never returned by libsinsp */
        shown++;
        uint16_t type = ev->input.evt->type;
        bool typed = type == 5 || type == 7 || type == 9 || type == 307 || type == 161; /* ti's event types */
        if (ev->input.evt->tid == 17497 && type == 7 && !extracted) {
            assert_string_equal(one(xc, &ev->input, buf, sizeof buf), "curl");
            /* a write while extracting: a distinct error and a message, no crash */
            falco_host_values v;
            assert_int_not_equal(falco_host_extract(xb, &ev->input, false, &v), FALCO_OK);
            must_contain(falco_host_plugin_last_error(p), "table 'threads': write of field 'ti.seen' during "
                                                          "extraction (the host grants read-only access there)");
            extracted++;
        }
        if (!typed)
            continue;
        /* as plughost prints it at each such event; the last one is compared */
        one(xs, &ev->input, summary, sizeof summary);
        last = ev->input.evtnum;
    }
    assert_int_equal(rc, FALCO_EOF);
    assert_int_equal(n, 991);
    assert_int_equal(shown, 939); /* plughost: Events: 939 */
    assert_int_equal(extracted, 1);
    assert_int_equal(falco_host_session_parse_failures(s), 0);
    /* what parsing saw, read at the last event of ti's types: real
     * libsinsp's answer (see the top of this file), which had parsed 885
     * events there (evt.num 885) */
    assert_int_equal(last, 885);
    assert_true(strncmp(summary, "events=885 ", 11) == 0);
    assert_string_equal(summary + 11, expected_summary);
    falco_host_extractor_free(xc);
    falco_host_extractor_free(xb);
    falco_host_extractor_free(xs);
    assert_int_equal(falco_host_session_entries_held(s), 0);
    falco_host_session_close(s);
    falco_host_session_free(s);
    falco_host_plugin_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_import_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
