/* Reading the reference captures: every event, counts per type, block info,
 * old-format conversion, pcapng comments. Numbers were computed once with an
 * independent python struct walk of `zcat FILE` and are asserted literally. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <falco/capture.h>

#include "capture_test_util.h"

#define NTYPES 512

typedef struct counts {
    unsigned long events, converted, comments;
    unsigned long per_type[NTYPES];
    uint64_t first_ts, last_ts, bytes;
    falco_rc end;
} counts;

static void count_file(const char *path, counts *c)
{
    memset(c, 0, sizeof *c);
    falco_capture_error err;
    falco_capture_reader *r = falco_capture_open(path, &err);
    if (!r)
        fail_msg("open %s: %s", path, err.msg);
    const void *ev;
    size_t len;
    falco_capture_block_info bi;
    while ((c->end = falco_capture_next(r, &ev, &len, &bi)) == FALCO_OK) {
        uint16_t type;
        uint64_t ts;
        uint32_t hlen;
        memcpy(&ts, ev, 8);
        memcpy(&hlen, (const uint8_t *)ev + 16, 4);
        memcpy(&type, (const uint8_t *)ev + 20, 2);
        assert_int_equal(hlen, len);
        assert_int_equal(bi.index, c->events);
        assert_true(falco_capture_is_event_block(bi.block_type));
        if (!c->events)
            c->first_ts = ts;
        c->last_ts = ts;
        c->events++;
        c->converted += bi.converted;
        c->comments += bi.comment != NULL;
        c->bytes += len;
        assert_true(type < NTYPES);
        c->per_type[type]++;
    }
    if (c->end != FALCO_EOF)
        fail_msg("%s: %s", path, falco_capture_errmsg(r));
    assert_string_equal(falco_capture_errmsg(r), "");
    /* EOF is sticky */
    assert_int_equal(falco_capture_next(r, &ev, &len, NULL), FALCO_EOF);
    falco_capture_close(r);
}

static void check_curl_counts(const counts *c)
{
    assert_int_equal(c->events, 1536);
    assert_int_equal(c->converted, 1536); /* every block is the old EV type */
    assert_int_equal(c->first_ts, 1534527342999999999ull);
    assert_int_equal(c->last_ts, 1534527350999999999ull);
    /* v1 lengths sum 69396, +4 per event for nparams */
    assert_int_equal(c->bytes, 69396 + 4 * 1536);
    unsigned distinct = 0;
    for (int t = 0; t < NTYPES; t++)
        distinct += c->per_type[t] != 0;
    assert_int_equal(distinct, 56);
    static const struct { uint16_t type; unsigned long n; } expect[] = {
        { 0, 185 },  { 1, 183 },  { 2, 48 },   { 3, 48 },   { 4, 54 },   { 5, 54 },   { 6, 50 },   { 7, 50 },
        { 8, 5 },    { 9, 5 },    { 18, 5 },   { 19, 5 },   { 22, 4 },   { 23, 4 },   { 30, 2 },   { 31, 2 },
        { 34, 4 },   { 35, 4 },   { 38, 1 },   { 39, 1 },   { 40, 1 },   { 41, 1 },   { 44, 3 },   { 45, 3 },
        { 46, 1 },   { 47, 1 },   { 60, 1 },   { 61, 1 },   { 64, 2 },   { 65, 2 },   { 66, 1 },   { 67, 1 },
        { 70, 49 },  { 71, 49 },  { 80, 15 },  { 81, 15 },  { 140, 1 },  { 141, 1 },  { 150, 4 },  { 151, 4 },
        { 152, 25 }, { 158, 4 },  { 159, 4 },  { 160, 110 }, { 161, 110 }, { 164, 5 }, { 165, 5 },  { 170, 2 },
        { 171, 2 },  { 186, 2 },  { 222, 1 },  { 223, 2 },  { 231, 1 },  { 234, 315 }, { 264, 39 }, { 265, 39 },
    };
    unsigned long sum = 0;
    for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
        if (c->per_type[expect[i].type] != expect[i].n)
            fail_msg("type %u: %lu events, expected %lu", expect[i].type, c->per_type[expect[i].type], expect[i].n);
        sum += expect[i].n;
    }
    assert_int_equal(sum, 1536);
}

static void test_read_curl_google(void **state)
{
    (void)state;
    counts c;
    count_file(capture_path("curl_google.scap"), &c);
    check_curl_counts(&c);
    assert_int_equal(c.comments, 0);
}

static void test_read_with_comments(void **state)
{
    (void)state;
    counts c;
    count_file(capture_path("curl_google_comments.scap"), &c);
    check_curl_counts(&c); /* editcap only added comments */
    assert_int_equal(c.comments, 3);
}

/* The two files hold the same events: compare them byte for byte, and the
 * comments' text. */
static void test_same_events_in_both_files(void **state)
{
    (void)state;
    falco_capture_reader *a = falco_capture_open(capture_path("curl_google.scap"), NULL);
    falco_capture_reader *b = falco_capture_open(capture_path("curl_google_comments.scap"), NULL);
    assert_non_null(a);
    assert_non_null(b);
    const void *ea, *eb;
    size_t la, lb;
    falco_capture_block_info ia, ib;
    int commented = 0;
    for (;;) {
        falco_rc ra = falco_capture_next(a, &ea, &la, &ia);
        falco_rc rb = falco_capture_next(b, &eb, &lb, &ib);
        assert_int_equal(ra, rb);
        if (ra != FALCO_OK)
            break;
        assert_int_equal(la, lb);
        assert_memory_equal(ea, eb, la);
        assert_int_equal(ia.cpu, ib.cpu);
        if (ib.comment) {
            commented++;
            assert_true(ib.comment_len > 0);
            if (commented == 1)
                assert_true(ib.comment_len >= 8 && memcmp(ib.comment, "Internal", 8) == 0);
        }
    }
    assert_int_equal(commented, 3);
    falco_capture_close(a);
    falco_capture_close(b);
}

/* Plain (decompressed) memory input gives the same stream as the gzip file. */
static void test_plain_memory_equals_gzip_file(void **state)
{
    (void)state;
    size_t plain_len = 0, gz_len = 0;
    uint8_t *plain = capture_load(capture_path("curl_google.scap"), &plain_len);
    uint8_t *gz = capture_load_raw(capture_path("curl_google.scap"), &gz_len);
    assert_non_null(plain);
    assert_non_null(gz);
    assert_int_equal(plain_len, 146220);
    assert_true(gz[0] == 0x1f && gz[1] == 0x8b);
    falco_capture_reader *p = falco_capture_open_memory(plain, plain_len, NULL);
    falco_capture_reader *g = falco_capture_open_memory(gz, gz_len, NULL);
    assert_non_null(p);
    assert_non_null(g);
    const void *ep, *eg;
    size_t lp, lg;
    falco_capture_block_info ip, ig;
    unsigned long n = 0;
    falco_rc rp, rg;
    while ((rp = falco_capture_next(p, &ep, &lp, &ip)) == FALCO_OK) {
        rg = falco_capture_next(g, &eg, &lg, &ig);
        assert_int_equal(rg, FALCO_OK);
        assert_int_equal(lp, lg);
        assert_memory_equal(ep, eg, lp);
        assert_int_equal(ip.offset, ig.offset); /* offsets are in the uncompressed stream */
        if (n == 0) {
            assert_int_equal(ip.offset, 54588);
            assert_int_equal(ip.block_type, FALCO_CAPTURE_BLOCK_EV);
        }
        n++;
    }
    assert_int_equal(rp, FALCO_EOF);
    assert_int_equal(falco_capture_next(g, &eg, &lg, NULL), FALCO_EOF);
    assert_int_equal(n, 1536);
    falco_capture_close(p);
    falco_capture_close(g);
    free(plain);
    free(gz);
}

/* Converted events: nparams found, lengths add up (26 + 2n + sum == len). */
static void test_converted_events_are_consistent(void **state)
{
    (void)state;
    falco_capture_reader *r = falco_capture_open(capture_path("curl_google.scap"), NULL);
    assert_non_null(r);
    const void *ev;
    size_t len;
    unsigned long with_params = 0;
    while (falco_capture_next(r, &ev, &len, NULL) == FALCO_OK) {
        const uint8_t *e = ev;
        uint32_t np;
        memcpy(&np, e + 22, 4);
        size_t end = 26 + 2 * (size_t)np;
        for (uint32_t i = 0; i < np; i++) {
            uint16_t l;
            memcpy(&l, e + 26 + 2 * i, 2);
            end += l;
        }
        assert_int_equal(end, len);
        with_params += np > 0;
    }
    assert_true(with_params > 1000);
    falco_capture_close(r);
}

static void test_version_and_names(void **state)
{
    (void)state;
    falco_capture_reader *r = falco_capture_open(capture_path("curl_google.scap"), NULL);
    assert_non_null(r);
    uint16_t major = 0, minor = 0;
    falco_capture_version(r, &major, &minor);
    assert_int_equal(major, 1);
    assert_int_equal(minor, 0);
    falco_capture_close(r);
    assert_string_equal(falco_capture_block_name(FALCO_CAPTURE_BLOCK_EVF_V2_LARGE), "EVF_V2_LARGE");
    assert_string_equal(falco_capture_block_name(0x12345), "UNKNOWN");
    assert_true(falco_capture_is_large_payload(322));
    assert_false(falco_capture_is_large_payload(2));
}

static void test_open_missing_file(void **state)
{
    (void)state;
    falco_capture_error err;
    assert_null(falco_capture_open("/nonexistent/dir/x.scap", &err));
    assert_int_equal(err.rc, FALCO_ENOTFOUND);
    assert_non_null(strstr(err.msg, "/nonexistent/dir/x.scap"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_curl_google),
        cmocka_unit_test(test_read_with_comments),
        cmocka_unit_test(test_same_events_in_both_files),
        cmocka_unit_test(test_plain_memory_equals_gzip_file),
        cmocka_unit_test(test_converted_events_are_consistent),
        cmocka_unit_test(test_version_and_names),
        cmocka_unit_test(test_open_missing_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
