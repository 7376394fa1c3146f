/*
 * The capture converter on hand-made events: enter events merged into their
 * exits per thread, old layouts upgraded with empty or default params, libsinsp
 * numbering (including the enter events it numbers but does not show), drops,
 * skips, errors naming the event and offset, and the bound on pending enters.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <falco/capture.h>
#include <falco/event.h>

typedef struct evbuf {
    uint8_t data[4096];
    size_t len;
} evbuf;

static falco_evt_value u(falco_evt_param_type t, uint64_t v)
{
    falco_evt_value x = {.type = t};
    x.v.u64 = v;
    return x;
}

static falco_evt_value s(falco_evt_param_type t, int64_t v)
{
    falco_evt_value x = {.type = t};
    x.v.i64 = v;
    return x;
}

static falco_evt_value str(falco_evt_param_type t, const char *p)
{
    falco_evt_value x = {.type = t};
    x.v.str.ptr = p;
    x.v.str.len = (uint32_t)strlen(p);
    return x;
}

static falco_evt_value bytes(const char *p)
{
    falco_evt_value x = {.type = FALCO_PT_BYTEBUF};
    x.v.bytes.ptr = (const uint8_t *)p;
    x.v.bytes.len = (uint32_t)strlen(p);
    return x;
}

static void enc(evbuf *b, uint16_t type, uint64_t tid, const falco_evt_value *p, uint32_t n)
{
    char err[256];
    if (falco_evt_encode(b->data, sizeof b->data, &b->len, type, 1000 + tid, tid, p, n, err, sizeof err) != FALCO_OK)
        fail_msg("encode %u: %s", type, err);
}

/* Feeds b as event number idx (0-based) at a made-up offset. */
static falco_rc feed(falco_capture_converter *c, const evbuf *b, uint64_t idx)
{
    falco_capture_block_info bi = {.offset = 1000 + 100 * idx, .index = idx};
    return falco_capture_converter_feed(c, b->data, b->len, &bi);
}

/* The single converted event of the last feed, checked, in v. */
static void take(falco_capture_converter *c, falco_evt_view *v, falco_capture_converted_info *ci)
{
    const void *ev;
    size_t len;
    assert_int_equal(falco_capture_converter_next(c, &ev, &len, ci), FALCO_OK);
    if (falco_evt_view_init(v, ev, len) != FALCO_OK)
        fail_msg("converted event does not parse: %s", falco_evt_view_error(v));
    assert_int_equal(falco_capture_converter_next(c, &ev, &len, NULL), FALCO_EOF);
}

static void nothing(falco_capture_converter *c)
{
    const void *ev;
    size_t len;
    assert_int_equal(falco_capture_converter_next(c, &ev, &len, NULL), FALCO_EOF);
}

static void test_read_enter_merged_into_exit(void **state)
{
    (void)state;
    falco_capture_converter *c = falco_capture_converter_new(NULL);
    evbuf e, x;
    falco_evt_value ep[] = {s(FALCO_PT_FD, 3), u(FALCO_PT_UINT32, 832)};
    enc(&e, FALCO_PPME_SYSCALL_READ_E, 7, ep, 2);
    falco_evt_value xp[] = {s(FALCO_PT_ERRNO, 5), bytes("hello")};
    enc(&x, FALCO_PPME_SYSCALL_READ_X, 7, xp, 2); /* the old 2-param exit */
    assert_int_equal(feed(c, &e, 0), FALCO_OK);
    nothing(c); /* the enter is kept, not delivered, not numbered */
    assert_int_equal(falco_capture_converter_pending(c), 1);
    assert_int_equal(feed(c, &x, 1), FALCO_OK);
    falco_evt_view v;
    falco_capture_converted_info ci;
    take(c, &v, &ci);
    assert_int_equal(ci.evtnum, 1);
    assert_int_equal(ci.index, 1);
    assert_int_equal(ci.offset, 1100);
    assert_true(ci.converted);
    assert_int_equal(ci.original_type, FALCO_PPME_SYSCALL_READ_X);
    assert_int_equal(v.type, FALCO_PPME_SYSCALL_READ_X);
    assert_int_equal(v.nparams, 4);
    assert_int_equal(v.ts, 1007);
    int64_t fd, res;
    uint64_t size;
    const uint8_t *data;
    size_t dlen;
    assert_int_equal(falco_evt_param_i64_by_name(&v, "res", &res), FALCO_OK);
    assert_int_equal(res, 5);
    assert_int_equal(falco_evt_param_bytes_by_name(&v, "data", &data, &dlen), FALCO_OK);
    assert_int_equal(dlen, 5);
    assert_memory_equal(data, "hello", 5);
    assert_int_equal(falco_evt_param_i64_by_name(&v, "fd", &fd), FALCO_OK);
    assert_int_equal(fd, 3);
    assert_int_equal(falco_evt_param_u64_by_name(&v, "size", &size), FALCO_OK);
    assert_int_equal(size, 832);
    assert_int_equal(falco_capture_converter_pending(c), 0); /* used up */
    falco_capture_converter_free(c);
}

static void test_threads_keep_their_own_enter(void **state)
{
    (void)state;
    falco_capture_converter *c = falco_capture_converter_new(NULL);
    evbuf e1, e2, x1, x2;
    falco_evt_value ep1[] = {s(FALCO_PT_FD, 11), u(FALCO_PT_UINT32, 1)};
    falco_evt_value ep2[] = {s(FALCO_PT_FD, 22), u(FALCO_PT_UINT32, 2)};
    falco_evt_value xp[] = {s(FALCO_PT_ERRNO, 0), bytes("")};
    enc(&e1, FALCO_PPME_SYSCALL_READ_E, 1, ep1, 2);
    enc(&e2, FALCO_PPME_SYSCALL_READ_E, 2, ep2, 2);
    enc(&x1, FALCO_PPME_SYSCALL_READ_X, 1, xp, 2);
    enc(&x2, FALCO_PPME_SYSCALL_READ_X, 2, xp, 2);
    assert_int_equal(feed(c, &e1, 0), FALCO_OK);
    assert_int_equal(feed(c, &e2, 1), FALCO_OK);
    assert_int_equal(falco_capture_converter_pending(c), 2);
    falco_evt_view v;
    falco_capture_converted_info ci;
    int64_t fd;
    assert_int_equal(feed(c, &x2, 2), FALCO_OK);
    take(c, &v, &ci);
    assert_int_equal(falco_evt_param_i64_by_name(&v, "fd", &fd), FALCO_OK);
    assert_int_equal(fd, 22);
    assert_int_equal(ci.evtnum, 1);
    assert_int_equal(feed(c, &x1, 3), FALCO_OK);
    take(c, &v, &ci);
    assert_int_equal(falco_evt_param_i64_by_name(&v, "fd", &fd), FALCO_OK);
    assert_int_equal(fd, 11);
    assert_int_equal(ci.evtnum, 2);
    /* a second enter of a thread replaces its first */
    assert_int_equal(feed(c, &e1, 4), FALCO_OK);
    falco_evt_value ep3[] = {s(FALCO_PT_FD, 33), u(FALCO_PT_UINT32, 3)};
    enc(&e1, FALCO_PPME_SYSCALL_READ_E, 1, ep3, 2);
    assert_int_equal(feed(c, &e1, 5), FALCO_OK);
    assert_int_equal(falco_capture_converter_pending(c), 1);
    assert_int_equal(feed(c, &x1, 6), FALCO_OK);
    take(c, &v, &ci);
    assert_int_equal(falco_evt_param_i64_by_name(&v, "fd", &fd), FALCO_OK);
    assert_int_equal(fd, 33);
    falco_capture_converter_free(c);
}

/* Without its enter event an exit gets the type's default where the rule says
 * so (close's fd: 0) and an empty param where it says empty (brk's addr). */
static void test_missing_enter_default_or_empty(void **state)
{
    (void)state;
    falco_capture_converter *c = falco_capture_converter_new(NULL);
    evbuf x;
    falco_evt_value cp[] = {s(FALCO_PT_ERRNO, 0)};
    enc(&x, FALCO_PPME_SYSCALL_CLOSE_X, 9, cp, 1);
    assert_int_equal(feed(c, &x, 0), FALCO_OK);
    falco_evt_view v;
    falco_capture_converted_info ci;
    take(c, &v, &ci);
    assert_int_equal(v.nparams, 2);
    const uint8_t *raw;
    size_t rlen;
    assert_int_equal(falco_evt_param_raw(&v, 1, &raw, &rlen), FALCO_OK);
    assert_int_equal(rlen, 8);
    int64_t fd = -1;
    assert_int_equal(falco_evt_param_i64(&v, 1, &fd), FALCO_OK);
    assert_int_equal(fd, 0);

    falco_evt_value bp[] = {u(FALCO_PT_UINT64, 0x1000), u(FALCO_PT_UINT32, 1), u(FALCO_PT_UINT32, 2),
                            u(FALCO_PT_UINT32, 3)};
    enc(&x, FALCO_PPME_SYSCALL_BRK_4_X, 9, bp, 4);
    assert_int_equal(feed(c, &x, 1), FALCO_OK);
    take(c, &v, &ci);
    assert_int_equal(v.nparams, 5);
    assert_int_equal(falco_evt_param_raw(&v, 4, &raw, &rlen), FALCO_OK);
    assert_int_equal(rlen, 0);
    uint64_t addr;
    assert_int_equal(falco_evt_param_u64_by_name(&v, "addr", &addr), FALCO_ENOTFOUND);
    assert_non_null(strstr(falco_evt_view_error(&v), "'addr' is empty"));
    char line[256];
    assert_int_equal(falco_evt_format(&v, 0, line, sizeof line, NULL), FALCO_OK);
    assert_string_equal(line, "< brk res=0x1000 vm_size=1 vm_rss=2 vm_swap=3 addr=<NA>");
    falco_capture_converter_free(c);
}

/* open's old enter (no params) reaches libsinsp, which numbers it and hands
 * it to parsers but shows only the exit; the 4-param exit gains empty dev and
 * ino. */
static void test_open_numbers_and_empty_params(void **state)
{
    (void)state;
    falco_capture_converter *c = falco_capture_converter_new(NULL);
    evbuf e, x;
    enc(&e, FALCO_PPME_SYSCALL_OPEN_E, 4, NULL, 0);
    falco_evt_value xp[] = {s(FALCO_PT_FD, 3), str(FALCO_PT_FSPATH, "/etc/ld.so.cache"), u(FALCO_PT_FLAGS32, 4097),
                            u(FALCO_PT_UINT32, 0)};
    enc(&x, FALCO_PPME_SYSCALL_OPEN_X, 4, xp, 4);
    assert_int_equal(feed(c, &e, 0), FALCO_OK);
    falco_evt_view v;
    falco_capture_converted_info ci;
    take(c, &v, &ci);
    assert_false(ci.shown);
    assert_int_equal(ci.evtnum, 1);
    assert_true(ci.converted);
    assert_int_equal(v.type, FALCO_PPME_SYSCALL_OPEN_E);
    assert_int_equal(v.nparams, 3); /* upgraded: name, flags, mode, all empty */
    for (uint32_t i = 0; i < 3; i++)
        assert_false(falco_evt_param_has_value(&v, i));
    assert_int_equal(falco_capture_converter_pending(c), 0); /* passed, not kept */
    assert_int_equal(feed(c, &x, 1), FALCO_OK);
    take(c, &v, &ci);
    assert_true(ci.shown);
    assert_int_equal(ci.evtnum, 2); /* the enter took number 1 */
    assert_int_equal(v.nparams, 6);
    char line[256];
    assert_int_equal(falco_evt_format(&v, 0, line, sizeof line, NULL), FALCO_OK);
    assert_string_equal(line, "< open fd=3 name=/etc/ld.so.cache flags=4097(O_RDONLY|O_CLOEXEC) mode=0 dev=<NA> ino=<NA>");
    falco_capture_converter_free(c);
}

static void test_current_events_pass_unchanged(void **state)
{
    (void)state;
    falco_capture_converter *c = falco_capture_converter_new(NULL);
    evbuf p;
    falco_evt_value pp[] = {u(FALCO_PT_UINT64, 96), u(FALCO_PT_UINT64, 215)};
    enc(&p, FALCO_PPME_PROCINFO_E, 3, pp, 2);
    assert_int_equal(falco_capture_converter_feed(c, p.data, p.len, NULL), FALCO_OK);
    const void *ev;
    size_t len;
    falco_capture_converted_info ci;
    assert_int_equal(falco_capture_converter_next(c, &ev, &len, &ci), FALCO_OK);
    assert_int_equal(len, p.len);
    assert_memory_equal(ev, p.data, p.len);
    assert_false(ci.converted);
    assert_true(ci.shown);
    assert_int_equal(ci.evtnum, 1);
    assert_int_equal(ci.index, 0); /* counted from 0 without block info */
    falco_capture_converter_free(c);
}

/* Unknown types are skipped and old enters nobody converts are dropped:
 * neither takes a number. */
static void test_skips_and_drops_take_no_number(void **state)
{
    (void)state;
    falco_capture_converter *c = falco_capture_converter_new(NULL);
    evbuf p, unk, old;
    falco_evt_value pp[] = {u(FALCO_PT_UINT64, 1), u(FALCO_PT_UINT64, 2)};
    enc(&p, FALCO_PPME_PROCINFO_E, 3, pp, 2);
    memcpy(&unk, &p, sizeof p);
    uint16_t big = FALCO_EVT_COUNT + 5;
    memcpy(unk.data + 20, &big, 2);
    enc(&old, FALCO_PPME_SYSCALL_CLONE_11_E, 3, NULL, 0);
    assert_int_equal(feed(c, &unk, 0), FALCO_OK);
    nothing(c);
    assert_int_equal(feed(c, &old, 1), FALCO_OK);
    nothing(c);
    assert_int_equal(feed(c, &p, 2), FALCO_OK);
    falco_evt_view v;
    falco_capture_converted_info ci;
    take(c, &v, &ci);
    assert_int_equal(ci.evtnum, 1);
    falco_capture_converter_free(c);
}

static void test_exit_after_other_enter_is_an_error(void **state)
{
    (void)state;
    falco_capture_converter *c = falco_capture_converter_new(NULL);
    evbuf e, x;
    falco_evt_value mp[] = {u(FALCO_PT_UINT64, 0), u(FALCO_PT_UINT64, 4096), u(FALCO_PT_FLAGS32, 1),
                            u(FALCO_PT_FLAGS32, 2), s(FALCO_PT_FD, 3), u(FALCO_PT_UINT64, 0)};
    enc(&e, FALCO_PPME_SYSCALL_MMAP_E, 5, mp, 6);
    falco_evt_value cp[] = {s(FALCO_PT_ERRNO, 0)};
    enc(&x, FALCO_PPME_SYSCALL_CLOSE_X, 5, cp, 1);
    assert_int_equal(feed(c, &e, 0), FALCO_OK);
    assert_int_equal(feed(c, &x, 1), FALCO_EPARSE);
    const char *msg = falco_capture_converter_errmsg(c);
    assert_non_null(strstr(msg, "event 2 (block at offset 1100)"));
    assert_non_null(strstr(msg, "'close' exit"));
    assert_non_null(strstr(msg, "'mmap' enter"));
    nothing(c);
    /* the converter goes on with the next event */
    evbuf p;
    falco_evt_value pp[] = {u(FALCO_PT_UINT64, 1), u(FALCO_PT_UINT64, 2)};
    enc(&p, FALCO_PPME_PROCINFO_E, 3, pp, 2);
    assert_int_equal(feed(c, &p, 2), FALCO_OK);
    assert_string_equal(falco_capture_converter_errmsg(c), "");
    falco_capture_converter_free(c);
}

static void test_malformed_events(void **state)
{
    (void)state;
    falco_capture_converter *c = falco_capture_converter_new(NULL);
    evbuf x;
    falco_evt_value xp[] = {s(FALCO_PT_ERRNO, 5), bytes("hello")};
    enc(&x, FALCO_PPME_SYSCALL_READ_X, 7, xp, 2);
    /* shorter than a header */
    assert_int_equal(falco_capture_converter_feed(c, x.data, 10, NULL), FALCO_ETRUNCATED);
    assert_non_null(strstr(falco_capture_converter_errmsg(c), "event 1 (block at offset 0)"));
    /* a param length running past the event */
    evbuf bad = x;
    uint16_t huge = 4000;
    memcpy(bad.data + 26 + 2, &huge, 2);
    assert_int_equal(feed(c, &bad, 41), FALCO_ETRUNCATED);
    assert_non_null(strstr(falco_capture_converter_errmsg(c), "event 42 (block at offset 5100)"));
    assert_non_null(strstr(falco_capture_converter_errmsg(c), "'data'"));
    /* a layout no rule converts: read exit with 3 of its 4 params */
    falco_evt_value x3[] = {s(FALCO_PT_ERRNO, 5), bytes("hello"), s(FALCO_PT_FD, 3)};
    enc(&x, FALCO_PPME_SYSCALL_READ_X, 7, x3, 3);
    assert_int_equal(feed(c, &x, 2), FALCO_EPARSE);
    assert_non_null(strstr(falco_capture_converter_errmsg(c), "'read' (type 7) with 3 params: no conversion rule"));
    assert_int_equal(falco_capture_converter_feed(NULL, x.data, x.len, NULL), FALCO_EINVAL);
    falco_capture_converter_free(c);
    falco_capture_converter_free(NULL);
}

static void test_pending_enters_are_bounded(void **state)
{
    (void)state;
    falco_capture_converter *c = falco_capture_converter_new(NULL);
    evbuf e;
    falco_evt_value ep[] = {s(FALCO_PT_FD, 3), u(FALCO_PT_UINT32, 1)};
    for (uint64_t tid = 0; tid < FALCO_CAPTURE_CONVERTER_MAX_PENDING; tid++) {
        enc(&e, FALCO_PPME_SYSCALL_READ_E, tid, ep, 2);
        if (feed(c, &e, tid) != FALCO_OK)
            fail_msg("tid %" PRIu64 ": %s", tid, falco_capture_converter_errmsg(c));
    }
    assert_int_equal(falco_capture_converter_pending(c), FALCO_CAPTURE_CONVERTER_MAX_PENDING);
    enc(&e, FALCO_PPME_SYSCALL_READ_E, 1u << 30, ep, 2);
    assert_int_equal(feed(c, &e, 99), FALCO_ENOMEM);
    assert_non_null(strstr(falco_capture_converter_errmsg(c), "limit reached"));
    /* a thread that already has one may replace it */
    enc(&e, FALCO_PPME_SYSCALL_READ_E, 5, ep, 2);
    assert_int_equal(feed(c, &e, 100), FALCO_OK);
    assert_int_equal(falco_capture_converter_pending(c), FALCO_CAPTURE_CONVERTER_MAX_PENDING);
    falco_capture_converter_free(c);
}

/* The old container event becomes the JSON one, a large-payload event (u32
 * lengths), in two steps. */
static void test_container_json(void **state)
{
    (void)state;
    falco_capture_converter *c = falco_capture_converter_new(NULL);
    evbuf e;
    falco_evt_value cp[] = {str(FALCO_PT_CHARBUF, "abc123"), u(FALCO_PT_UINT32, 1), str(FALCO_PT_CHARBUF, "web"),
                            str(FALCO_PT_CHARBUF, "nginx:1")};
    enc(&e, FALCO_PPME_CONTAINER_E, 0, cp, 4);
    assert_int_equal(feed(c, &e, 0), FALCO_OK);
    falco_evt_view v;
    falco_capture_converted_info ci;
    take(c, &v, &ci);
    assert_int_equal(v.type, FALCO_PPME_CONTAINER_JSON_2_E);
    const char *json;
    size_t n;
    assert_int_equal(falco_evt_param_str(&v, 0, &json, &n), FALCO_OK);
    assert_string_equal(json, "{\"id\":\"abc123\",\"type\":1,\"name\":\"web\",\"image\":\"nginx:1\"}");
    falco_capture_converter_free(c);
}

/* Every event of a real capture, corrupted in a few bytes (fixed seed), fed
 * through one converter: each feed succeeds or fails with a message naming
 * the event; nothing crashes (the sanitizer and valgrind stages watch). */
static void test_corrupted_capture_events(void **state)
{
    (void)state;
    char path[4096];
    const char *dir = getenv("FALCO_TEST_DATA_DIR");
    assert_non_null(dir);
    snprintf(path, sizeof path, "%s/curl_google.scap", dir);
    falco_capture_error err;
    falco_capture_reader *r = falco_capture_open(path, &err);
    if (!r)
        fail_msg("%s", err.msg);
    falco_capture_converter *c = falco_capture_converter_new(NULL);
    uint64_t seed = 0x1234567887654321ull;
    const void *ev;
    size_t len;
    falco_capture_block_info bi;
    unsigned long failed = 0, delivered = 0;
    static uint8_t copy[1 << 16];
    for (int round = 0; round < 4; round++) {
        while (falco_capture_next(r, &ev, &len, &bi) == FALCO_OK) {
            assert_true(len <= sizeof copy);
            memcpy(copy, ev, len);
            for (int k = 0; k < 3; k++) {
                seed = seed * 6364136223846793005ull + 1442695040888963407ull;
                size_t at = (size_t)(seed >> 33) % len;
                if (round == 0 && at < 16)
                    continue; /* round 0 keeps ts/tid/len so the lengths are what breaks */
                copy[at] ^= (uint8_t)(seed >> 20);
            }
            char want[64];
            snprintf(want, sizeof want, "event %" PRIu64 " (block at offset %" PRIu64 ")", bi.index + 1, bi.offset);
            if (falco_capture_converter_feed(c, copy, len, &bi) != FALCO_OK) {
                failed++;
                if (!strstr(falco_capture_converter_errmsg(c), want))
                    fail_msg("message does not name the event (%s): %s", want, falco_capture_converter_errmsg(c));
                continue;
            }
            const void *out;
            size_t olen;
            while (falco_capture_converter_next(c, &out, &olen, NULL) == FALCO_OK) {
                falco_evt_view v;
                assert_int_equal(falco_evt_view_init(&v, out, olen), FALCO_OK);
                char line[1 << 12];
                (void)falco_evt_format(&v, 0, line, sizeof line, NULL);
                delivered++;
            }
        }
        falco_capture_close(r);
        r = falco_capture_open(path, &err);
        assert_non_null(r);
    }
    assert_true(failed > 100);
    assert_true(delivered > 100);
    falco_capture_close(r);
    falco_capture_converter_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_enter_merged_into_exit),
        cmocka_unit_test(test_threads_keep_their_own_enter),
        cmocka_unit_test(test_missing_enter_default_or_empty),
        cmocka_unit_test(test_open_numbers_and_empty_params),
        cmocka_unit_test(test_current_events_pass_unchanged),
        cmocka_unit_test(test_skips_and_drops_take_no_number),
        cmocka_unit_test(test_exit_after_other_enter_is_an_error),
        cmocka_unit_test(test_malformed_events),
        cmocka_unit_test(test_pending_enters_are_bounded),
        cmocka_unit_test(test_container_json),
        cmocka_unit_test(test_corrupted_capture_events),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
