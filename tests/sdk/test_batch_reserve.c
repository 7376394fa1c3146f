/* falco_batch_reserve_plugin_events: plugin events written in place, through
 * the host (headers, payloads, timestamps, order when mixed with the adds,
 * zeroes for payloads left unwritten, new arena chunks) and its misuse (more
 * than the room, zero or oversize lengths, a source without a plugin ID),
 * each refused whole with a message. Plugins compiled into this binary
 * (FALCO_PLUGIN_STATIC); what next_batch saw is recorded in `seen`. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "static_test.h"

#define RES_ID 4343u
#define RES_MAX 8u

/* What next_batch saw, for the tests to check. */
static struct {
    falco_rc rc[4];
    char msg[4][512];
    falco_batch_span span[4];
    uint32_t count[4], room[4];
} seen;

typedef struct {
    char scenario[32];
    uint32_t calls;
    uint64_t next;
} res_instance;

static falco_rc res_open(falco_plugin *p, const char *params, void **instance) {
    (void)p;
    res_instance *in = *instance;
    snprintf(in->scenario, sizeof in->scenario, "%s", params);
    return FALCO_OK;
}

/* Records the result of a reservation (step k) with the batch after it. */
static falco_rc record(falco_plugin *p, falco_batch *b, int k, falco_rc rc, const falco_batch_span *s) {
    seen.rc[k] = rc;
    snprintf(seen.msg[k], sizeof seen.msg[k], "%s", rc == FALCO_OK ? "" : falco_plugin_last_error(p));
    seen.span[k] = *s;
    seen.count[k] = falco_batch_count(b);
    seen.room[k] = falco_batch_room(b);
    return rc;
}

static void fill_u64(const falco_batch_span *s, uint64_t first) {
    for (uint32_t i = 0; i < s->count; i++) {
        uint64_t v = first + i;
        memcpy(falco_batch_span_payload(s, i), &v, sizeof v);
    }
}

static falco_rc res_next_batch(falco_plugin *p, void *instance, falco_batch *b) {
    res_instance *in = instance;
    const char *sc = in->scenario;
    falco_batch_span s;
    if (++in->calls > 2 && strcmp(sc, "grow") != 0)
        return FALCO_EOF;
    if (strcmp(sc, "basic") == 0) { /* 5 of 8 bytes; host time */
        if (in->calls > 1)
            return FALCO_EOF;
        FALCO_TRY(record(p, b, 0, falco_batch_reserve_plugin_events(b, 5, 8, UINT64_MAX, &s), &s));
        fill_u64(&s, 1);
        return FALCO_OK;
    }
    if (strcmp(sc, "ts") == 0) { /* 3 at 1000, the middle one at 2000 */
        if (in->calls > 1)
            return FALCO_EOF;
        FALCO_TRY(record(p, b, 0, falco_batch_reserve_plugin_events(b, 3, 8, 1000, &s), &s));
        falco_batch_span_set_ts(&s, 1, 2000);
        fill_u64(&s, 1);
        return FALCO_OK;
    }
    if (strcmp(sc, "wide") == 0) { /* 3 of 100 bytes: stride 144 */
        if (in->calls > 1)
            return FALCO_EOF;
        FALCO_TRY(record(p, b, 0, falco_batch_reserve_plugin_events(b, 3, 100, UINT64_MAX, &s), &s));
        for (uint32_t i = 0; i < s.count; i++)
            memset(falco_batch_span_payload(&s, i), 'a' + (int)i, 100);
        return FALCO_OK;
    }
    if (strcmp(sc, "unfilled") == 0 || strcmp(sc, "unfilledwide") == 0) {
        /* the first batch fills every byte with 0xff, the second writes nothing */
        uint32_t len = sc[8] ? 100 : 8;
        FALCO_TRY(record(p, b, (int)in->calls - 1, falco_batch_reserve_plugin_events(b, 4, len, 7, &s), &s));
        if (in->calls == 1)
            for (uint32_t i = 0; i < s.count; i++)
                memset(falco_batch_span_payload(&s, i), 0xff, len);
        return FALCO_OK;
    }
    if (strcmp(sc, "mix") == 0) { /* add 1, reserve 2..4, add 5, reserve 6..7 of 16 bytes */
        if (in->calls > 1)
            return FALCO_EOF;
        uint64_t v = 1;
        FALCO_TRY(falco_batch_add_plugin_event(b, &v, sizeof v));
        FALCO_TRY(record(p, b, 0, falco_batch_reserve_plugin_events(b, 3, 8, UINT64_MAX, &s), &s));
        fill_u64(&s, 2);
        v = 5;
        FALCO_TRY(falco_batch_add_plugin_event(b, &v, sizeof v));
        FALCO_TRY(record(p, b, 1, falco_batch_reserve_plugin_events(b, 2, 16, UINT64_MAX, &s), &s));
        for (uint32_t i = 0; i < s.count; i++) {
            uint64_t two[2] = {6 + i, 6 + i};
            memcpy(falco_batch_span_payload(&s, i), two, sizeof two);
        }
        return FALCO_OK;
    }
    if (strcmp(sc, "overroom") == 0) {
        /* 9 of 8 refused; 3 added, then 6 refused (5 fit); then 5 reserved */
        if (in->calls > 1)
            return FALCO_EOF;
        record(p, b, 0, falco_batch_reserve_plugin_events(b, RES_MAX + 1, 8, UINT64_MAX, &s), &s);
        for (uint64_t v = 1; v <= 3; v++)
            FALCO_TRY(falco_batch_add_plugin_event(b, &v, sizeof v));
        record(p, b, 1, falco_batch_reserve_plugin_events(b, 6, 8, UINT64_MAX, &s), &s);
        FALCO_TRY(record(p, b, 2, falco_batch_reserve_plugin_events(b, 5, 8, UINT64_MAX, &s), &s));
        fill_u64(&s, 4);
        record(p, b, 3, falco_batch_reserve_plugin_events(b, 1, 8, UINT64_MAX, &s), &s); /* full */
        return FALCO_OK;
    }
    if (strcmp(sc, "badlen") == 0) { /* n 0, len 0, len too large, len UINT32_MAX: refused, then fails */
        record(p, b, 0, falco_batch_reserve_plugin_events(b, 0, 8, UINT64_MAX, &s), &s);
        record(p, b, 1, falco_batch_reserve_plugin_events(b, 2, 0, UINT64_MAX, &s), &s);
        record(p, b, 2, falco_batch_reserve_plugin_events(b, 2, FALCO_BATCH_MAX_PAYLOAD + 1, UINT64_MAX, &s), &s);
        return record(p, b, 3, falco_batch_reserve_plugin_events(b, 1, UINT32_MAX, UINT64_MAX, &s), &s);
    }
    if (strcmp(sc, "grow") == 0) { /* batches of 300, 8 and 512 events: past the arena's first chunks */
        static const uint32_t sizes[] = {300, 8, 512};
        if (in->calls > 3)
            return FALCO_EOF;
        FALCO_TRY(falco_batch_reserve_plugin_events(b, sizes[in->calls - 1], 8, UINT64_MAX, &s));
        fill_u64(&s, in->next + 1);
        in->next += s.count;
        return FALCO_OK;
    }
    return falco_error(p, FALCO_EINVAL, "unknown scenario '%s'", sc);
}

#define META(n) .name = n, .version = "1.0.0", .contact = "t@example.com", .description = "reserve test"

FALCO_PLUGIN(res, META("res"));
FALCO_SOURCE(res, .id = RES_ID, .event_source = "res", .instance_size = sizeof(res_instance), .open = res_open,
             .next_batch = res_next_batch, .max_batch_events = RES_MAX);

FALCO_PLUGIN(resbig, META("resbig"));
FALCO_SOURCE(resbig, .id = RES_ID, .event_source = "resbig", .instance_size = sizeof(res_instance), .open = res_open,
             .next_batch = res_next_batch);

/* A syscall source: plugin events are refused by every way of adding them
 * (the inline add included: its fast path must not write plugin ID 0), while
 * whole scap events still go in ("adds"). */
static falco_rc sys_next_batch(falco_plugin *p, void *instance, falco_batch *b) {
    res_instance *in = instance;
    falco_batch_span s = {0};
    if (strcmp(in->scenario, "adds") != 0)
        return record(p, b, 0, falco_batch_reserve_plugin_events(b, 1, 8, UINT64_MAX, &s), &s);
    if (in->calls++)
        return FALCO_EOF;
    uint64_t v = 7;
    record(p, b, 0, falco_batch_add_plugin_event(b, &v, sizeof v), &s);
    uint32_t len = 3;
    record(p, b, 1, falco_batch_add_plugin_event(b, "abc", len), &s);
    void *where = falco_batch_reserve_plugin_event(b, 8, UINT64_MAX);
    record(p, b, 2, where ? FALCO_OK : FALCO_EINVAL, &s);
    /* a scap event of the header alone (26 bytes, no parameters) */
    unsigned char ev[26] = {0};
    falco_abi_event hdr = {.ts = 1, .tid = 1, .len = sizeof ev, .type = 3, .nparams = 0};
    memcpy(ev, &hdr, sizeof ev);
    return record(p, b, 3, falco_batch_add_event(b, ev, sizeof ev), &s);
}
FALCO_PLUGIN(ressys, META("ressys"));
FALCO_SYSCALL_SOURCE(ressys, .instance_size = sizeof(res_instance), .open = res_open, .next_batch = sys_next_batch);

/* ---- helpers ---- */

static falco_host_plugin *open_scenario(void (*get)(falco_abi_plugin_api *), const char *label, const char *sc,
                                        falco_host_instance **in) {
    memset(&seen, 0, sizeof seen);
    falco_host_plugin *p = sdkt_load_api(get, label);
    if (falco_host_plugin_init(p, "") != FALCO_OK)
        fail_msg("init %s: %s", label, falco_host_errmsg(p));
    if (falco_host_open(p, sc, in) != FALCO_OK)
        fail_msg("open %s: %s", sc, falco_host_errmsg(p));
    return p;
}

static void done(falco_host_plugin *p, falco_host_instance *in) {
    falco_host_close(in);
    falco_host_plugin_free(p);
}

static const unsigned char *payload_of(const falco_abi_event *e) {
    return (const unsigned char *)e + FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET;
}

/* Checks e is a plugin event of ours with len payload bytes. */
static void assert_plugin_event(const falco_abi_event *e, uint32_t len) {
    uint32_t lens[3];
    assert_int_equal(e->type, FALCO_ABI_EVENT_PLUGIN);
    assert_int_equal(e->nparams, 2);
    assert_int_equal(e->len, FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET + len);
    assert_int_equal(e->tid, UINT64_MAX);
    memcpy(lens, (const unsigned char *)e + 26, sizeof lens);
    assert_int_equal(lens[0], 4);
    assert_int_equal(lens[1], len);
    assert_int_equal(lens[2], RES_ID);
}

static uint64_t u64_of(const falco_abi_event *e) {
    uint64_t v;
    assert_plugin_event(e, 8);
    memcpy(&v, payload_of(e), sizeof v);
    return v;
}

/* ---- tests ---- */

static void test_reserve_writes_in_place(void **state) {
    (void)state;
    falco_host_instance *in;
    falco_host_plugin *p = open_scenario(falco_plugin_api_res, "res", "basic", &in);
    const falco_abi_event *e, *first = NULL;
    for (uint64_t i = 1; i <= 5; i++) {
        assert_int_equal(falco_host_next(in, &e), FALCO_OK);
        assert_int_equal(u64_of(e), i);
        assert_true(e->ts != UINT64_MAX); /* the host's time */
        if (i == 1)
            first = e;
    }
    assert_int_equal(falco_host_next(in, &e), FALCO_EOF);
    /* the span: the payloads where the host found them, 48 bytes apart */
    assert_int_equal(seen.rc[0], FALCO_OK);
    assert_ptr_equal(seen.span[0].payload, payload_of(first));
    assert_int_equal(seen.span[0].stride, 48);
    assert_int_equal(seen.span[0].count, 5);
    assert_int_equal(seen.count[0], 5);
    assert_int_equal(seen.room[0], RES_MAX - 5);
    done(p, in);
}

static void test_reserve_timestamps(void **state) {
    (void)state;
    falco_host_instance *in;
    falco_host_plugin *p = open_scenario(falco_plugin_api_res, "res", "ts", &in);
    const falco_abi_event *e;
    static const uint64_t ts[] = {1000, 2000, 1000};
    for (uint64_t i = 0; i < 3; i++) {
        assert_int_equal(falco_host_next(in, &e), FALCO_OK);
        assert_int_equal(u64_of(e), i + 1);
        assert_int_equal(e->ts, ts[i]);
    }
    assert_int_equal(falco_host_next(in, &e), FALCO_EOF);
    done(p, in);
}

static void test_reserve_wide_payloads(void **state) {
    (void)state;
    falco_host_instance *in;
    falco_host_plugin *p = open_scenario(falco_plugin_api_res, "res", "wide", &in);
    const falco_abi_event *e;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(falco_host_next(in, &e), FALCO_OK);
        assert_plugin_event(e, 100);
        for (int k = 0; k < 100; k++)
            assert_int_equal(payload_of(e)[k], 'a' + i);
    }
    assert_int_equal(falco_host_next(in, &e), FALCO_EOF);
    assert_int_equal(seen.span[0].stride, 144); /* 38 + 100 rounded up to 16 */
    done(p, in);
}

/* A payload reserved but not written reaches the host as zeros, not as the
 * bytes of the previous batch in the same memory. */
static void unfilled_case(const char *sc, uint32_t len) {
    falco_host_instance *in;
    falco_host_plugin *p = open_scenario(falco_plugin_api_res, "res", sc, &in);
    const falco_abi_event *e;
    for (int batch = 0; batch < 2; batch++) {
        for (int i = 0; i < 4; i++) {
            assert_int_equal(falco_host_next(in, &e), FALCO_OK);
            assert_plugin_event(e, len);
            assert_int_equal(e->ts, 7);
            for (uint32_t k = 0; k < len; k++)
                assert_int_equal(payload_of(e)[k], batch == 0 ? 0xff : 0);
        }
    }
    assert_int_equal(falco_host_next(in, &e), FALCO_EOF);
    /* the same memory, reused */
    assert_ptr_equal(seen.span[0].payload, seen.span[1].payload);
    done(p, in);
}

static void test_reserve_without_filling_gives_zeros(void **state) {
    (void)state;
    unfilled_case("unfilled", 8);
    unfilled_case("unfilledwide", 100);
}

static void test_reserve_mixed_with_adds(void **state) {
    (void)state;
    falco_host_instance *in;
    falco_host_plugin *p = open_scenario(falco_plugin_api_res, "res", "mix", &in);
    const falco_abi_event *e;
    for (uint64_t i = 1; i <= 5; i++) {
        assert_int_equal(falco_host_next(in, &e), FALCO_OK);
        assert_int_equal(u64_of(e), i);
    }
    for (uint64_t i = 6; i <= 7; i++) {
        uint64_t two[2];
        assert_int_equal(falco_host_next(in, &e), FALCO_OK);
        assert_plugin_event(e, 16);
        memcpy(two, payload_of(e), sizeof two);
        assert_int_equal(two[0], i);
        assert_int_equal(two[1], i);
    }
    assert_int_equal(falco_host_next(in, &e), FALCO_EOF);
    assert_int_equal(seen.count[0], 4);
    assert_int_equal(seen.count[1], 7);
    assert_int_equal(seen.span[1].stride, 64);
    done(p, in);
}

static void assert_refused(int k, falco_rc rc, const char *msg, uint32_t count) {
    assert_int_equal(seen.rc[k], rc);
    if (!strstr(seen.msg[k], msg))
        fail_msg("step %d: message '%s' does not contain '%s'", k, seen.msg[k], msg);
    assert_null(seen.span[k].payload);
    assert_int_equal(seen.span[k].stride, 0);
    assert_int_equal(seen.span[k].count, 0);
    assert_int_equal(seen.count[k], count); /* nothing reserved */
}

static void test_reserve_more_than_room(void **state) {
    (void)state;
    falco_host_instance *in;
    falco_host_plugin *p = open_scenario(falco_plugin_api_res, "res", "overroom", &in);
    const falco_abi_event *e;
    for (uint64_t i = 1; i <= RES_MAX; i++) {
        assert_int_equal(falco_host_next(in, &e), FALCO_OK);
        assert_int_equal(u64_of(e), i);
    }
    assert_int_equal(falco_host_next(in, &e), FALCO_EOF);
    assert_refused(0, FALCO_ERANGE, "reserve_plugin_events: 9 events asked, 8 fit in the batch", 0);
    assert_refused(1, FALCO_ERANGE, "6 events asked, 5 fit", 3);
    assert_int_equal(seen.rc[2], FALCO_OK);
    assert_int_equal(seen.room[2], 0);
    assert_refused(3, FALCO_ERANGE, "1 events asked, 0 fit", RES_MAX);
    done(p, in);
}

static void test_reserve_bad_lengths(void **state) {
    (void)state;
    falco_host_instance *in;
    falco_host_plugin *p = open_scenario(falco_plugin_api_res, "res", "badlen", &in);
    const falco_abi_event *e;
    /* the last refusal fails the batch, with its message */
    assert_int_not_equal(falco_host_next(in, &e), FALCO_OK);
    assert_non_null(strstr(falco_host_errmsg(p), "payload of 4294967295 bytes"));
    assert_refused(0, FALCO_EINVAL, "n is 0", 0);
    assert_refused(1, FALCO_EINVAL, "payload length 0", 0);
    char msg[128];
    snprintf(msg, sizeof msg, "payload of %u bytes, more than an event holds (FALCO_BATCH_MAX_PAYLOAD, %u)",
             FALCO_BATCH_MAX_PAYLOAD + 1, FALCO_BATCH_MAX_PAYLOAD);
    assert_refused(2, FALCO_EINVAL, msg, 0);
    assert_refused(3, FALCO_EINVAL, "FALCO_BATCH_MAX_PAYLOAD", 0);
    done(p, in);
}

static void test_reserve_needs_plugin_id(void **state) {
    (void)state;
    falco_host_instance *in;
    falco_host_plugin *p = open_scenario(falco_plugin_api_ressys, "ressys", "", &in);
    const falco_abi_event *e;
    assert_int_not_equal(falco_host_next(in, &e), FALCO_OK);
    assert_refused(0, FALCO_EINVAL, "a source without a plugin ID (FALCO_SYSCALL_SOURCE) cannot add plugin events", 0);
    done(p, in);
}

static void test_syscall_source_refuses_plugin_events(void **state) {
    (void)state;
    falco_host_instance *in;
    falco_host_plugin *p = open_scenario(falco_plugin_api_ressys, "ressys", "adds", &in);
    const falco_abi_event *e;
    int rc = falco_host_next(in, &e);
    assert_refused(0, FALCO_EINVAL, "add_plugin_event: a source without a plugin ID (FALCO_SYSCALL_SOURCE)", 0);
    assert_refused(1, FALCO_EINVAL, "add_plugin_event: a source without a plugin ID", 0);
    assert_refused(2, FALCO_EINVAL, "reserve_plugin_event: a source without a plugin ID", 0);
    /* the scap event went in, alone */
    assert_int_equal(seen.rc[3], FALCO_OK);
    assert_int_equal(seen.count[3], 1);
    assert_int_equal(rc, FALCO_OK);
    assert_int_equal(e->type, 3);
    assert_int_equal(e->len, 26);
    (void)p;
    done(p, in);
}

/* Reservations larger than the arena's chunk: the cursor moves to new chunks. */
static void test_reserve_grows_the_arena(void **state) {
    (void)state;
    falco_host_instance *in;
    falco_host_plugin *p = open_scenario(falco_plugin_api_resbig, "resbig", "grow", &in);
    const falco_abi_event *e;
    for (uint64_t i = 1; i <= 300 + 8 + 512; i++) {
        assert_int_equal(falco_host_next(in, &e), FALCO_OK);
        assert_int_equal(u64_of(e), i);
    }
    assert_int_equal(falco_host_next(in, &e), FALCO_EOF);
    done(p, in);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reserve_writes_in_place),
        cmocka_unit_test(test_reserve_timestamps),
        cmocka_unit_test(test_reserve_wide_payloads),
        cmocka_unit_test(test_reserve_without_filling_gives_zeros),
        cmocka_unit_test(test_reserve_mixed_with_adds),
        cmocka_unit_test(test_reserve_more_than_room),
        cmocka_unit_test(test_reserve_bad_lengths),
        cmocka_unit_test(test_reserve_needs_plugin_id),
        cmocka_unit_test(test_syscall_source_refuses_plugin_events),
        cmocka_unit_test(test_reserve_grows_the_arena),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
