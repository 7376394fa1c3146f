/*
 * test_event_view.c - the view's checks (one test per error path, with the
 * exact message) and the typed accessors' type, presence and size checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <falco/event.h>

#include "event_test_util.h"

/* close_X (type 5): res PT_ERRNO, fd PT_FD. */
static size_t close_x(uint8_t *buf, int64_t res, int64_t fd)
{
    uint8_t payload[16];
    uint16_t lens[2] = {8, 8};
    memcpy(payload, &res, 8);
    memcpy(payload + 8, &fd, 8);
    return raw_event(buf, 26 + 4 + 16, FALCO_PPME_SYSCALL_CLOSE_X, 2, lens, payload, 16);
}

/* open_X (type 3) with only fd and name: an "old" event with 2 of 6 params. */
static size_t open_x_short(uint8_t *buf)
{
    uint8_t payload[8 + 5];
    uint16_t lens[2] = {8, 5};
    int64_t fd = 3;
    memcpy(payload, &fd, 8);
    memcpy(payload + 8, "/etc", 5);
    return raw_event(buf, 26 + 4 + 13, FALCO_PPME_SYSCALL_OPEN_X, 2, lens, payload, 13);
}

static void expect_fail(const uint8_t *buf, size_t len, falco_rc rc, const char *msg)
{
    falco_evt_view v;
    assert_int_equal(falco_evt_view_init(&v, buf, len), rc);
    assert_string_equal(falco_evt_view_error(&v), msg);
}

static void test_header_fields(void **state)
{
    (void)state;
    uint8_t buf[128];
    size_t n = close_x(buf, -9, 7);
    falco_evt_view v;
    assert_int_equal(falco_evt_view_init(&v, buf, n), FALCO_OK);
    assert_int_equal(v.ts, 1000);
    assert_int_equal(v.tid, 42);
    assert_int_equal(v.len, 46);
    assert_int_equal(v.type, FALCO_PPME_SYSCALL_CLOSE_X);
    assert_int_equal(v.nparams, 2);
    assert_string_equal(v.info->name, "close");
    assert_false(falco_evt_view_is_enter(&v));
    assert_int_equal(v.param_off[0], 30);
    assert_int_equal(v.param_len[1], 8);
    /* Trailing bytes after len belong to the next event: ignored. */
    assert_int_equal(falco_evt_view_init(&v, buf, sizeof buf), FALCO_OK);
    assert_int_equal(v.len, 46);
}

static void test_truncated_header(void **state)
{
    (void)state;
    uint8_t buf[64];
    close_x(buf, 0, 1);
    expect_fail(buf, 10, FALCO_ETRUNCATED, "event header truncated: 10 bytes available, the header needs 26");
    expect_fail(NULL, 0, FALCO_ETRUNCATED, "event header truncated: 0 bytes available, the header needs 26");
}

static void test_len_smaller_than_header(void **state)
{
    (void)state;
    uint8_t buf[64];
    raw_event(buf, 20, FALCO_PPME_SYSCALL_CLOSE_X, 0, NULL, NULL, 0);
    expect_fail(buf, 26, FALCO_EPARSE, "event len 20 (offset 16) is smaller than the header (26 bytes)");
}

static void test_len_past_buffer(void **state)
{
    (void)state;
    uint8_t buf[64];
    close_x(buf, 0, 1);
    expect_fail(buf, 40, FALCO_ETRUNCATED, "event truncated: len 46 (offset 16) but only 40 bytes available");
}

static void test_unknown_type(void **state)
{
    (void)state;
    uint8_t buf[64];
    raw_event(buf, 26, 999, 0, NULL, NULL, 0);
    expect_fail(buf, 26, FALCO_EPARSE, "unknown event type 999 (offset 20): the table (schema 4.5.1) has 454 types");
}

static void test_too_many_params(void **state)
{
    (void)state;
    uint8_t buf[64];
    uint16_t lens[3] = {0, 0, 0};
    raw_event(buf, 32, FALCO_PPME_SYSCALL_CLOSE_X, 3, lens, NULL, 0);
    expect_fail(buf, 32, FALCO_EPARSE, "event 'close' (type 5): 3 params (offset 22) but the table lists 2");
}

static void test_length_array_past_len(void **state)
{
    (void)state;
    uint8_t buf[64] = {0};
    raw_event(buf, 30, FALCO_PPME_SYSCALL_OPEN_X, 6, (const uint16_t[6]){0}, NULL, 0);
    expect_fail(buf, 64, FALCO_ETRUNCATED,
                "event 'open' (type 3): 6 param lengths of 2 bytes end at offset 38, past len 30");
}

static void test_param_overruns_event(void **state)
{
    (void)state;
    uint8_t buf[64];
    close_x(buf, 0, 1);
    uint16_t big = 9; /* fd claims 9 bytes, only 8 remain */
    memcpy(buf + 28, &big, 2);
    expect_fail(buf, 64, FALCO_ETRUNCATED, "event 'close' (type 5): param 1 'fd' of 9 bytes at offset 38 overruns len 46");
}

static void test_len_larger_than_params(void **state)
{
    (void)state;
    uint8_t buf[64] = {0};
    close_x(buf, 0, 1);
    uint32_t len = 48;
    memcpy(buf + 16, &len, 4);
    expect_fail(buf, 64, FALCO_EPARSE, "event 'close' (type 5): len 48 but header and params end at offset 46");
}

static void test_large_payload_uses_u32_lengths(void **state)
{
    (void)state;
    /* 322 by hand: [hdr][4][3][u32 plugin id 7]["abc"] */
    uint8_t buf[64];
    uint32_t len = 26 + 8 + 4 + 3, l0 = 4, l1 = 3, id = 7;
    raw_event(buf, len, FALCO_PPME_PLUGINEVENT_E, 0, NULL, NULL, 0);
    uint32_t two = 2;
    memcpy(buf + 22, &two, 4);
    memcpy(buf + 26, &l0, 4);
    memcpy(buf + 30, &l1, 4);
    memcpy(buf + 34, &id, 4);
    memcpy(buf + 38, "abc", 3);
    falco_evt_view v;
    assert_int_equal(falco_evt_view_init(&v, buf, len), FALCO_OK);
    uint64_t pid;
    const uint8_t *data;
    size_t dlen;
    assert_int_equal(falco_evt_param_u64(&v, 0, &pid), FALCO_OK);
    assert_int_equal(pid, 7);
    assert_int_equal(falco_evt_param_bytes_by_name(&v, "event_data", &data, &dlen), FALCO_OK);
    assert_int_equal(dlen, 3);
    assert_ptr_equal(data, buf + 38);
    /* Read with u16 widths this would be garbage: a u32 length of 2^16 must overrun. */
    uint32_t huge = 65536;
    memcpy(buf + 30, &huge, 4);
    expect_fail(buf, len, FALCO_ETRUNCATED,
                "event 'pluginevent' (type 322): param 1 'event_data' of 65536 bytes at offset 38 overruns len 41");
}

static void test_typed_accessors(void **state)
{
    (void)state;
    uint8_t buf[64];
    size_t n = close_x(buf, -2, 5);
    falco_evt_view v;
    assert_int_equal(falco_evt_view_init(&v, buf, n), FALCO_OK);
    int64_t res, fd;
    assert_int_equal(falco_evt_param_i64(&v, 0, &res), FALCO_OK);
    assert_int_equal(res, -2);
    assert_int_equal(falco_evt_param_i64_by_name(&v, "fd", &fd), FALCO_OK);
    assert_int_equal(fd, 5);
    uint64_t u;
    assert_int_equal(falco_evt_param_u64(&v, 1, &u), FALCO_ETYPE);
    assert_string_equal(falco_evt_view_error(&v),
                        "event 'close' (type 5): param 1 'fd' is PT_FD, asked as u64 (an unsigned integer type)");
    assert_int_equal(falco_evt_param_index(&v, "nope"), -1);
    assert_string_equal(falco_evt_view_error(&v), "event 'close' (type 5) has no param named 'nope'");
    assert_int_equal(falco_evt_param_u64_by_name(&v, "nope", &u), FALCO_ENOTFOUND);
}

static void test_string_asked_as_u64(void **state)
{
    (void)state;
    uint8_t buf[64];
    size_t n = open_x_short(buf);
    falco_evt_view v;
    assert_int_equal(falco_evt_view_init(&v, buf, n), FALCO_OK);
    uint64_t u;
    assert_int_equal(falco_evt_param_u64(&v, 1, &u), FALCO_ETYPE);
    assert_string_equal(falco_evt_view_error(&v),
                        "event 'open' (type 3): param 1 'name' is PT_FSPATH, asked as u64 (an unsigned integer type)");
    const char *s;
    size_t len;
    assert_int_equal(falco_evt_param_str(&v, 1, &s, &len), FALCO_OK);
    assert_string_equal(s, "/etc");
    assert_int_equal(len, 4);
}

static void test_missing_params_are_not_found(void **state)
{
    (void)state;
    uint8_t buf[64];
    size_t n = open_x_short(buf);
    falco_evt_view v;
    assert_int_equal(falco_evt_view_init(&v, buf, n), FALCO_OK);
    uint64_t u;
    assert_int_equal(falco_evt_param_u64(&v, 5, &u), FALCO_ENOTFOUND);
    assert_string_equal(falco_evt_view_error(&v),
                        "event 'open' (type 3): param 5 'ino' is absent (the event has 2 of 6 params)");
    assert_int_equal(falco_evt_param_u64_by_name(&v, "ino", &u), FALCO_ENOTFOUND);
    assert_int_equal(falco_evt_param_u64(&v, 9, &u), FALCO_ENOTFOUND);
    assert_string_equal(falco_evt_view_error(&v), "event 'open' (type 3) has no param 9 (the table lists 6)");
}

static void test_wrong_fixed_size(void **state)
{
    (void)state;
    uint8_t buf[64];
    uint16_t lens[2] = {4, 8};
    uint8_t payload[12] = {0};
    raw_event(buf, 26 + 4 + 12, FALCO_PPME_SYSCALL_CLOSE_X, 2, lens, payload, 12);
    falco_evt_view v;
    assert_int_equal(falco_evt_view_init(&v, buf, 42), FALCO_OK);
    int64_t x;
    assert_int_equal(falco_evt_param_i64(&v, 0, &x), FALCO_EPARSE);
    assert_string_equal(falco_evt_view_error(&v),
                        "event 'close' (type 5): param 0 'res' (PT_ERRNO, 4 bytes at offset 30): wrong size for the type");
}

static void test_string_without_nul(void **state)
{
    (void)state;
    uint8_t buf[64];
    uint16_t lens[2] = {8, 4};
    uint8_t payload[12] = {0};
    memcpy(payload + 8, "/etc", 4);
    raw_event(buf, 26 + 4 + 12, FALCO_PPME_SYSCALL_OPEN_X, 2, lens, payload, 12);
    falco_evt_view v;
    assert_int_equal(falco_evt_view_init(&v, buf, 42), FALCO_OK);
    const char *s;
    assert_int_equal(falco_evt_param_str(&v, 1, &s, NULL), FALCO_EPARSE);
    assert_string_equal(falco_evt_view_error(&v),
                        "event 'open' (type 3): param 1 'name' (PT_FSPATH, 4 bytes at offset 38): string not NUL-terminated");
}

static void test_empty_params(void **state)
{
    (void)state;
    uint8_t buf[64];
    uint16_t lens[2] = {0, 0};
    raw_event(buf, 30, FALCO_PPME_SYSCALL_OPEN_X, 2, lens, NULL, 0);
    falco_evt_view v;
    assert_int_equal(falco_evt_view_init(&v, buf, 30), FALCO_OK);
    int64_t fd;
    assert_int_equal(falco_evt_param_i64(&v, 0, &fd), FALCO_ENOTFOUND);
    assert_string_equal(falco_evt_view_error(&v), "event 'open' (type 3): param 0 'fd' is empty");
    const char *s = NULL;
    size_t len = 9;
    assert_int_equal(falco_evt_param_str(&v, 1, &s, &len), FALCO_OK);
    assert_string_equal(s, "");
    assert_int_equal(len, 0);
    falco_evt_value val;
    assert_int_equal(falco_evt_param_get(&v, 1, &val), FALCO_OK);
    assert_int_equal(val.type, FALCO_PT_NONE);
    /* the declared type is still checked on an empty param */
    uint64_t u;
    assert_int_equal(falco_evt_param_u64(&v, 1, &u), FALCO_ETYPE);
}

static void test_dynamic_params(void **state)
{
    (void)state;
    /* bpf_X (type 297): res_or_fd PT_DYN {0: PT_FD, 1: PT_ERRNO} */
    uint8_t buf[64], payload[9] = {1};
    int64_t e = -1;
    memcpy(payload + 1, &e, 8);
    uint16_t lens[1] = {9};
    raw_event(buf, 26 + 2 + 9, FALCO_PPME_SYSCALL_BPF_X, 1, lens, payload, 9);
    falco_evt_view v;
    assert_int_equal(falco_evt_view_init(&v, buf, 37), FALCO_OK);
    falco_evt_value val;
    assert_int_equal(falco_evt_param_get(&v, 0, &val), FALCO_OK);
    assert_int_equal(val.type, FALCO_PT_ERRNO);
    assert_int_equal(val.dyn_index, 1);
    assert_int_equal(val.v.i64, -1);
    int64_t x;
    assert_int_equal(falco_evt_param_i64(&v, 0, &x), FALCO_OK);
    assert_int_equal(x, -1);
    const char *s;
    assert_int_equal(falco_evt_param_str(&v, 0, &s, NULL), FALCO_ETYPE);
    assert_string_equal(falco_evt_view_error(&v), "event 'bpf' (type 297): param 0 'res_or_fd' is PT_ERRNO, asked as "
                                                  "string (PT_CHARBUF/FSPATH/FSRELPATH)");
    buf[28] = 7; /* variant index out of range */
    assert_int_equal(falco_evt_view_init(&v, buf, 37), FALCO_OK);
    assert_int_equal(falco_evt_param_get(&v, 0, &val), FALCO_EPARSE);
    assert_string_equal(falco_evt_view_error(&v),
                        "event 'bpf' (type 297): param 0 'res_or_fd' at offset 28: dynamic variant 7 not in the table (2 "
                        "variants)");
}

static void test_relpath_reads_its_dirfd(void **state)
{
    (void)state;
    /* openat2_X (327): fd, dirfd, name (FSRELPATH, dirfd=1) */
    falco_evt_value p[3] = {{.type = FALCO_PT_FD, .v.i64 = 4},
                            {.type = FALCO_PT_FD, .v.i64 = -100},
                            {.type = FALCO_PT_FSRELPATH, .v.str = {"a/b", 3}}};
    uint8_t buf[128];
    size_t n;
    assert_int_equal(falco_evt_encode(buf, sizeof buf, &n, FALCO_PPME_SYSCALL_OPENAT2_X, 1, 2, p, 3, NULL, 0),
                     FALCO_OK);
    falco_evt_view v;
    assert_int_equal(falco_evt_view_init(&v, buf, n), FALCO_OK);
    falco_evt_relpath r;
    assert_int_equal(falco_evt_param_relpath_by_name(&v, "name", &r), FALCO_OK);
    assert_string_equal(r.path, "a/b");
    assert_true(r.has_dirfd);
    assert_int_equal(r.dirfd, -100);
    assert_int_equal(falco_evt_param_relpath(&v, 0, &r), FALCO_ETYPE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_fields),
        cmocka_unit_test(test_truncated_header),
        cmocka_unit_test(test_len_smaller_than_header),
        cmocka_unit_test(test_len_past_buffer),
        cmocka_unit_test(test_unknown_type),
        cmocka_unit_test(test_too_many_params),
        cmocka_unit_test(test_length_array_past_len),
        cmocka_unit_test(test_param_overruns_event),
        cmocka_unit_test(test_len_larger_than_params),
        cmocka_unit_test(test_large_payload_uses_u32_lengths),
        cmocka_unit_test(test_typed_accessors),
        cmocka_unit_test(test_string_asked_as_u64),
        cmocka_unit_test(test_missing_params_are_not_found),
        cmocka_unit_test(test_wrong_fixed_size),
        cmocka_unit_test(test_string_without_nul),
        cmocka_unit_test(test_empty_params),
        cmocka_unit_test(test_dynamic_params),
        cmocka_unit_test(test_relpath_reads_its_dirfd),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
