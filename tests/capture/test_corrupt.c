/* Corrupt captures: bad block lengths, bad event headers, bad metadata, not a
 * capture at all. Each fails with a message naming the offset and problem,
 * after delivering every event before the bad block. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <falco/capture.h>

#include "capture_test_util.h"

static capture_blocks cap;

static int setup(void **state)
{
    (void)state;
    return capture_blocks_load(&cap, "curl_google.scap");
}

static int teardown(void **state)
{
    (void)state;
    capture_blocks_free(&cap);
    return 0;
}

/* Index in cap.offs of the k-th event block. */
static size_t event_block(size_t k)
{
    for (size_t i = 0; i < cap.n; i++)
        if (falco_capture_is_event_block(cap.types[i]) && k-- == 0)
            return i;
    fail_msg("no event block %zu", k);
    return 0;
}

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

/* Reads data; expects `delivered` events then rc with msg containing both needles. */
static void expect_failure(const uint8_t *data, size_t len, unsigned long delivered, falco_rc rc, const char *needle1,
                           const char *needle2)
{
    falco_capture_error err;
    falco_capture_reader *r = falco_capture_open_memory(data, len, &err);
    assert_non_null(r);
    const void *ev;
    size_t evlen;
    unsigned long n = 0;
    falco_rc got;
    while ((got = falco_capture_next(r, &ev, &evlen, NULL)) == FALCO_OK)
        n++;
    const char *msg = falco_capture_errmsg(r);
    if (n != delivered || got != rc || !strstr(msg, needle1) || (needle2 && !strstr(msg, needle2)))
        fail_msg("delivered %lu (want %lu), rc %d (want %d), msg '%s' (want '%s', '%s')", n, delivered, got, rc, msg,
                 needle1, needle2 ? needle2 : "");
    falco_capture_close(r);
}

static void with_copy(void (*mutate)(uint8_t *, size_t), unsigned long delivered, falco_rc rc, const char *n1,
                      const char *n2)
{
    uint8_t *copy = malloc(cap.len);
    memcpy(copy, cap.data, cap.len);
    mutate(copy, event_block(100));
    expect_failure(copy, cap.len, delivered, rc, n1, n2);
    free(copy);
}

static size_t off_of(size_t bi) { return cap.offs[bi]; }
static void len_tiny(uint8_t *d, size_t bi) { put32(d + off_of(bi) + 4, 4); }
static void len_huge(uint8_t *d, size_t bi) { put32(d + off_of(bi) + 4, 0xFFFFFFF0u); }
static void len_plus4(uint8_t *d, size_t bi) { put32(d + off_of(bi) + 4, capture_ld32(d + off_of(bi) + 4) + 4); }
static void len_past_eof(uint8_t *d, size_t bi) { put32(d + off_of(bi) + 4, 200u * 1024u * 1024u); }
static void event_len_big(uint8_t *d, size_t bi) { put32(d + off_of(bi) + 10 + 16, 60000); }
static void event_len_small(uint8_t *d, size_t bi) { put32(d + off_of(bi) + 10 + 16, 3); }

static void test_block_length_below_minimum(void **state)
{
    (void)state;
    char where[64];
    snprintf(where, sizeof where, "offset %zu", cap.offs[event_block(100)]);
    with_copy(len_tiny, 100, FALCO_EPARSE, where, "below the 12-byte minimum");
}

static void test_block_length_huge(void **state)
{
    (void)state;
    with_copy(len_huge, 100, FALCO_EPARSE, "EV block", "exceeds");
}

static void test_block_trailer_mismatch(void **state)
{
    (void)state;
    with_copy(len_plus4, 100, FALCO_EPARSE, "trailer length", NULL);
}

static void test_block_length_past_eof(void **state)
{
    (void)state;
    with_copy(len_past_eof, 100, FALCO_ETRUNCATED, "file ends after", NULL);
}

static void test_event_length_outside_block(void **state)
{
    (void)state;
    with_copy(event_len_big, 100, FALCO_EPARSE, "event 100", "length 60000");
    with_copy(event_len_small, 100, FALCO_EPARSE, "event 100", "length 3");
}

/* Metadata: the first process entry's comm length runs past the block. */
static void test_corrupt_process_list(void **state)
{
    (void)state;
    size_t pl = 0;
    for (size_t i = 0; i < cap.n; i++)
        if (cap.types[i] == FALCO_CAPTURE_BLOCK_PROCLIST_V5)
            pl = cap.offs[i];
    assert_int_equal(pl, 2636);
    uint8_t *copy = malloc(cap.len);
    memcpy(copy, cap.data, cap.len);
    uint16_t huge = 0xFFFF;
    memcpy(copy + pl + 8 + 24, &huge, 2); /* tid, pid, ptid, then comm length */
    falco_capture_error err;
    assert_null(falco_capture_open_memory(copy, cap.len, &err));
    assert_int_equal(err.rc, FALCO_EPARSE);
    assert_non_null(strstr(err.msg, "PROCLIST_V5 block at offset 2636"));
    assert_non_null(strstr(err.msg, "entry 0"));
    assert_non_null(strstr(err.msg, "'comm'"));
    free(copy);
}

/* An unknown block type among the events is skipped. */
static void test_unknown_block_skipped(void **state)
{
    (void)state;
    uint8_t *copy = malloc(cap.len);
    memcpy(copy, cap.data, cap.len);
    put32(copy + cap.offs[event_block(5)], 0x7777u);
    falco_capture_reader *r = falco_capture_open_memory(copy, cap.len, NULL);
    assert_non_null(r);
    const void *ev;
    size_t len;
    unsigned long n = 0;
    falco_rc rc;
    while ((rc = falco_capture_next(r, &ev, &len, NULL)) == FALCO_OK)
        n++;
    assert_int_equal(rc, FALCO_EOF);
    assert_int_equal(n, 1535);
    falco_capture_close(r);
    free(copy);
}

static void test_not_a_capture(void **state)
{
    (void)state;
    falco_capture_error err;
    static const char text[] = "hello, this is not a capture file at all";
    assert_null(falco_capture_open_memory(text, sizeof text, &err));
    assert_int_equal(err.rc, FALCO_EPARSE);
    assert_non_null(strstr(err.msg, "not a capture file"));

    assert_null(falco_capture_open_memory(NULL, 0, &err));
    assert_int_equal(err.rc, FALCO_ETRUNCATED);
    assert_non_null(strstr(err.msg, "empty"));

    static const uint8_t bad_gzip[] = { 0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
    assert_null(falco_capture_open_memory(bad_gzip, sizeof bad_gzip, &err));
    assert_int_equal(err.rc, FALCO_EPARSE);
    assert_non_null(strstr(err.msg, "gzip"));

    uint8_t be[28];
    memcpy(be, cap.data, 28);
    put32(be + 8, 0x4D3C2B1Au);
    assert_null(falco_capture_open_memory(be, sizeof be, &err));
    assert_non_null(strstr(err.msg, "big-endian"));

    memcpy(be, cap.data, 28);
    be[12] = 2; /* major version 2 */
    assert_null(falco_capture_open_memory(be, sizeof be, &err));
    assert_non_null(strstr(err.msg, "version 2.0"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_block_length_below_minimum),
        cmocka_unit_test(test_block_length_huge),
        cmocka_unit_test(test_block_trailer_mismatch),
        cmocka_unit_test(test_block_length_past_eof),
        cmocka_unit_test(test_event_length_outside_block),
        cmocka_unit_test(test_corrupt_process_list),
        cmocka_unit_test(test_unknown_block_skipped),
        cmocka_unit_test(test_not_a_capture),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
