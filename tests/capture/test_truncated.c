/* Truncated captures: at every cut point all events before the cut are
 * delivered, then a clear error (or EOF exactly on a block boundary). Never a
 * crash; run under ASan in the sanitizer build. */
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

static size_t block_end(size_t i) { return cap.offs[i] + capture_ld32(cap.data + cap.offs[i] + 4); }

/* Events whose blocks end at or before cut; whether cut is a block boundary. */
static unsigned long events_before(size_t cut, bool *boundary)
{
    unsigned long n = 0;
    *boundary = cut == 0;
    for (size_t i = 0; i < cap.n; i++) {
        if (block_end(i) <= cut && falco_capture_is_event_block(cap.types[i]))
            n++;
        if (block_end(i) == cut)
            *boundary = true;
    }
    return n;
}

static size_t first_event_offset(void)
{
    for (size_t i = 0; i < cap.n; i++)
        if (falco_capture_is_event_block(cap.types[i]))
            return cap.offs[i];
    return 0;
}

static void check_cut(size_t cut)
{
    bool boundary;
    unsigned long expect = events_before(cut, &boundary);
    falco_capture_error err;
    uint8_t *copy = malloc(cut ? cut : 1); /* exact-size copy: ASan sees any overread */
    memcpy(copy, cap.data, cut);
    falco_capture_reader *r = falco_capture_open_memory(copy, cut, &err);
    if (!r) {
        /* only a cut inside the headers can fail the open */
        if (cut >= first_event_offset())
            fail_msg("cut %zu: open failed: %s", cut, err.msg);
        assert_int_equal(err.rc, FALCO_ETRUNCATED);
        assert_non_null(strstr(err.msg, "offset"));
        free(copy);
        return;
    }
    const void *ev;
    size_t len;
    unsigned long n = 0;
    falco_rc rc;
    while ((rc = falco_capture_next(r, &ev, &len, NULL)) == FALCO_OK)
        n++;
    if (n != expect)
        fail_msg("cut %zu: %lu events delivered, expected %lu (%s)", cut, n, expect, falco_capture_errmsg(r));
    if (boundary) {
        assert_int_equal(rc, FALCO_EOF);
    } else {
        if (rc != FALCO_ETRUNCATED)
            fail_msg("cut %zu: rc %d (%s)", cut, rc, falco_capture_errmsg(r));
        const char *msg = falco_capture_errmsg(r);
        assert_non_null(strstr(msg, "offset"));
        assert_non_null(strstr(msg, "file ends"));
        /* the error is sticky */
        assert_int_equal(falco_capture_next(r, &ev, &len, NULL), FALCO_ETRUNCATED);
    }
    falco_capture_close(r);
    free(copy);
}

static void test_cut_everywhere(void **state)
{
    (void)state;
    for (size_t cut = 0; cut < cap.len; cut += 173)
        check_cut(cut);
    check_cut(cap.len - 1);
    check_cut(cap.len);
}

static void test_cut_near_block_boundaries(void **state)
{
    (void)state;
    for (size_t i = 0; i < cap.n; i += (i < 64 ? 1 : 11)) {
        check_cut(cap.offs[i]);
        check_cut(cap.offs[i] + 1);
        check_cut(cap.offs[i] + 7);
        check_cut(cap.offs[i] + 8);
        check_cut(block_end(i) - 1);
    }
}

/* Cutting the compressed file: fewer events, never more, then an error. */
static void test_cut_gzip_stream(void **state)
{
    (void)state;
    size_t gz_len = 0;
    uint8_t *gz = capture_load_raw(capture_path("curl_google.scap"), &gz_len);
    assert_non_null(gz);
    unsigned long prev = 0;
    for (size_t cut = 64; cut < gz_len; cut += 257) {
        falco_capture_error err;
        uint8_t *copy = malloc(cut);
        memcpy(copy, gz, cut);
        falco_capture_reader *r = falco_capture_open_memory(copy, cut, &err);
        unsigned long n = 0;
        if (r) {
            const void *ev;
            size_t len;
            falco_rc rc;
            while ((rc = falco_capture_next(r, &ev, &len, NULL)) == FALCO_OK)
                n++;
            if (rc != FALCO_ETRUNCATED)
                fail_msg("gzip cut %zu: rc %d (%s)", cut, rc, falco_capture_errmsg(r));
            assert_non_null(strstr(falco_capture_errmsg(r), "offset"));
            falco_capture_close(r);
        } else {
            assert_int_equal(err.rc, FALCO_ETRUNCATED);
        }
        assert_true(n >= prev);
        assert_true(n < 1536);
        prev = n;
        free(copy);
    }
    assert_true(prev > 1000);
    /* only the 8-byte gzip trailer missing: every event, then the error */
    falco_capture_reader *r = falco_capture_open_memory(gz, gz_len - 8, NULL);
    assert_non_null(r);
    const void *ev;
    size_t len;
    unsigned long n = 0;
    falco_rc rc;
    while ((rc = falco_capture_next(r, &ev, &len, NULL)) == FALCO_OK)
        n++;
    assert_int_equal(n, 1536);
    assert_int_equal(rc, FALCO_ETRUNCATED);
    assert_non_null(strstr(falco_capture_errmsg(r), "gzip"));
    falco_capture_close(r);
    free(gz);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cut_everywhere),
        cmocka_unit_test(test_cut_near_block_boundaries),
        cmocka_unit_test(test_cut_gzip_stream),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
