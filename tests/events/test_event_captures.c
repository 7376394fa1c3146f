/*
 * test_event_captures.c - every event of the reference captures decodes and
 * renders; per-type counts; golden text; typed access on real events.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <falco/event.h>

#include "capture_events.h"

static const char *const captures[] = {"curl_google.scap", "curl_google_comments.scap"};

/* Finds the n-th (0-based) event of type in a capture; copies it into out. */
static size_t find_event(const char *name, uint16_t type, int nth, uint8_t *out, size_t cap)
{
    cap_walker w;
    const uint8_t *ev;
    size_t len;
    assert_int_equal(cap_open(&w, name), 0);
    while (cap_next(&w, &ev, &len) == 1) {
        falco_evt_view v;
        assert_int_equal(falco_evt_view_init(&v, ev, len), FALCO_OK);
        if (v.type == type && nth-- == 0) {
            assert_true(v.len <= cap);
            memcpy(out, ev, v.len);
            cap_close(&w);
            return v.len;
        }
    }
    cap_close(&w);
    fail_msg("no event of type %u", type);
    return 0;
}

static void test_all_events_decode_and_format(void **state)
{
    (void)state;
    for (size_t c = 0; c < sizeof captures / sizeof captures[0]; c++) {
        cap_walker w;
        const uint8_t *ev;
        size_t len;
        unsigned counts[FALCO_EVT_COUNT] = {0}, total = 0;
        assert_int_equal(cap_open(&w, captures[c]), 0);
        int rc;
        while ((rc = cap_next(&w, &ev, &len)) == 1) {
            falco_evt_view v;
            if (falco_evt_view_init(&v, ev, len) != FALCO_OK)
                fail_msg("%s event %u: %s", captures[c], total, falco_evt_view_error(&v));
            counts[v.type]++;
            total++;
            for (uint32_t i = 0; i < v.nparams; i++) {
                falco_evt_value val;
                if (falco_evt_param_get(&v, i, &val) != FALCO_OK)
                    fail_msg("%s event %u: %s", captures[c], total, falco_evt_view_error(&v));
            }
            char line[512];
            size_t needed;
            if (falco_evt_format(&v, FALCO_EVT_FORMAT_HEADER, line, sizeof line, &needed) != FALCO_OK)
                fail_msg("%s event %u: %s", captures[c], total, falco_evt_view_error(&v));
            assert_true(needed > 0);
            if (getenv("FALCO_EVT_DUMP"))
                printf("%s\n", line);
        }
        assert_int_equal(rc, 0);
        cap_close(&w);
        /* Counts taken from an independent walk of the files. */
        assert_int_equal(total, 1536);
        assert_int_equal(counts[FALCO_PPME_GENERIC_E], 185);
        assert_int_equal(counts[FALCO_PPME_GENERIC_X], 183);
        assert_int_equal(counts[FALCO_PPME_SYSCALL_OPEN_E], 48);
        assert_int_equal(counts[FALCO_PPME_SYSCALL_OPEN_X], 48);
        assert_int_equal(counts[FALCO_PPME_SYSCALL_CLOSE_X], 54);
        assert_int_equal(counts[FALCO_PPME_SYSCALL_MMAP_E], 110);
        assert_int_equal(counts[FALCO_PPME_PROCINFO_E], 315);
        assert_int_equal(counts[FALCO_PPME_SCHEDSWITCH_6_E], 25);
        assert_int_equal(counts[FALCO_PPME_SOCKET_CONNECT_X], 4);
        assert_int_equal(counts[FALCO_PPME_SYSCALL_EXECVE_16_X], 1);
    }
}

/* Renders the first event of type in curl_google.scap. */
static void expect_golden(uint16_t type, unsigned opts, const char *want)
{
    static uint8_t ev[65536];
    size_t n = find_event("curl_google.scap", type, 0, ev, sizeof ev);
    falco_evt_view v;
    assert_int_equal(falco_evt_view_init(&v, ev, n), FALCO_OK);
    char line[1024];
    assert_int_equal(falco_evt_format(&v, opts, line, sizeof line, NULL), FALCO_OK);
    assert_string_equal(line, want);
}

static void test_golden_text(void **state)
{
    (void)state;
    expect_golden(FALCO_PPME_SYSCALL_OPEN_X, FALCO_EVT_FORMAT_HEADER,
                  "1534527348514682170 17497 < open fd=3 name=/etc/ld.so.cache flags=4097(O_RDONLY|O_CLOEXEC) mode=0");
    expect_golden(FALCO_PPME_SOCKET_CONNECT_X, 0,
                  "< connect res=-2(ENOENT) tuple=0x0->0xffff88003c420800 /var/run/nscd/socket");
    expect_golden(FALCO_PPME_SOCKET_RECVFROM_X, 0,
                  "< recvfrom res=60 data=.............www.google.com..............+..&...@......... . "
                  "tuple=[2001:4860:4860::8888]:53->[2600:1f18:262c:6542:9aa6:df7a:9a47:d29e]:40251");
    expect_golden(FALCO_PPME_SYSCALL_GETRLIMIT_X, 0, "< getrlimit res=0 cur=8388608 max=-1");
    expect_golden(FALCO_PPME_SYSCALL_FUTEX_E, 0,
                  "> futex addr=0x7fa6955af740 op=129(FUTEX_PRIVATE_FLAG|FUTEX_WAKE) val=2147483647");
    expect_golden(FALCO_PPME_SYSCALL_FCNTL_E, 0, "> fcntl fd=3 cmd=2(F_GETFD)");
    expect_golden(FALCO_PPME_SYSCALL_MMAP_E, 0,
                  "> mmap addr=0x0 length=24778 prot=1(PROT_READ) flags=2(MAP_PRIVATE) fd=3 offset=0");
}

static void test_typed_access_on_real_events(void **state)
{
    (void)state;
    static uint8_t ev[65536];
    size_t n = find_event("curl_google.scap", FALCO_PPME_SOCKET_RECVFROM_X, 0, ev, sizeof ev);
    falco_evt_view v;
    assert_int_equal(falco_evt_view_init(&v, ev, n), FALCO_OK);
    int64_t res;
    assert_int_equal(falco_evt_param_i64_by_name(&v, "res", &res), FALCO_OK);
    assert_int_equal(res, 60);
    const uint8_t *data;
    size_t dlen;
    assert_int_equal(falco_evt_param_bytes(&v, 1, &data, &dlen), FALCO_OK);
    assert_int_equal(dlen, 60);
    falco_evt_socktuple st;
    assert_int_equal(falco_evt_param_socktuple_by_name(&v, "tuple", &st), FALCO_OK);
    assert_int_equal(st.family, FALCO_AF_INET6);
    assert_int_equal(st.src_port, 53);
    assert_int_equal(st.dst_port, 40251);
    assert_int_equal(st.src_addr[0], 0x20);
    assert_int_equal(st.src_addr[15], 0x88);
    /* this old event has 3 of the 5 params the table lists */
    assert_int_equal(v.nparams, 3);
    int64_t fd;
    assert_int_equal(falco_evt_param_i64_by_name(&v, "fd", &fd), FALCO_ENOTFOUND);

    n = find_event("curl_google.scap", FALCO_PPME_SYSCALL_OPEN_X, 1, ev, sizeof ev);
    assert_int_equal(falco_evt_view_init(&v, ev, n), FALCO_OK);
    const char *name;
    uint64_t flags;
    assert_int_equal(falco_evt_param_str_by_name(&v, "name", &name, NULL), FALCO_OK);
    assert_string_equal(name, "/usr/lib/x86_64-linux-gnu/libcurl-gnutls.so.4");
    assert_int_equal(falco_evt_param_u64_by_name(&v, "flags", &flags), FALCO_OK);
    assert_int_equal(flags, 0x1001);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_events_decode_and_format),
        cmocka_unit_test(test_golden_text),
        cmocka_unit_test(test_typed_access_on_real_events),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
