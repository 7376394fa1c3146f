/* The base capability: init failure keeps the state for get_last_error and
 * is followed by destroy, the zeroed state block, falco_plugin_set_state
 * misuse, metrics of every type, logging through the host's sink (API
 * >= 3.4.0 only) and the owner's last error. Plugins compiled in
 * (FALCO_PLUGIN_STATIC), observed through globals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "static_test.h"

#define META(n) .name = n, .version = "1.0.0", .contact = "t@example.com", .description = "base test"

static const falco_field one_field[] = {{.name = "b.one", .type = FALCO_FIELD_U64, .desc = "one", .extract = sdkt_one}};

/* What the plugins saw. */
static struct {
    int inits, destroys;
    void *init_state, *destroy_state;
    int state_zeroed;
    falco_rc set_state_rc;
    char set_state_msg[256];
    char owner_msg[1024];
} seen;

typedef struct {
    unsigned char bytes[256];
} big_state;

static falco_rc fail_init(falco_plugin *p, void *state) {
    seen.inits++;
    seen.init_state = state;
    big_state *st = state;
    seen.state_zeroed = 1;
    for (size_t i = 0; i < sizeof st->bytes; i++)
        if (st->bytes[i])
            seen.state_zeroed = 0;
    memset(st->bytes, 0xab, sizeof st->bytes); /* the block is ours to write */
    seen.set_state_rc = falco_plugin_set_state(p, NULL);
    snprintf(seen.set_state_msg, sizeof seen.set_state_msg, "%s", falco_plugin_last_error(p));
    return falco_error(p, FALCO_EINVAL, "cannot start: %s", "no disk");
}

static void count_destroy(falco_plugin *p, void *state) {
    (void)p;
    seen.destroys++;
    seen.destroy_state = state;
}

FALCO_PLUGIN(b_fail, META("b_fail"), .state_size = sizeof(big_state), .init = fail_init, .destroy = count_destroy);
FALCO_EXTRACT(b_fail, .fields = FALCO_LIST(one_field));

static falco_rc plain_fail_init(falco_plugin *p, void *state) {
    (void)p, (void)state;
    return FALCO_ENOMEM;
}
FALCO_PLUGIN(b_plainfail, META("b_plainfail"), .init = plain_fail_init, .destroy = count_destroy);
FALCO_EXTRACT(b_plainfail, .fields = FALCO_LIST(one_field));

/* An author-allocated state. */
static falco_rc own_init(falco_plugin *p, void *state) {
    assert_null(state);
    uint64_t *mine = malloc(sizeof *mine);
    *mine = 77;
    return falco_plugin_set_state(p, mine);
}
static void own_destroy(falco_plugin *p, void *state) {
    assert_ptr_equal(falco_plugin_state(p), state);
    seen.destroys++;
    free(state);
}
static falco_rc own_value(falco_extract *x, const falco_event *ev) {
    (void)ev;
    return falco_extract_u64(x, *(uint64_t *)falco_extract_state(x));
}
static const falco_field own_field[] = {{.name = "b.own", .type = FALCO_FIELD_U64, .desc = "own", .extract = own_value}};
FALCO_PLUGIN(b_own, META("b_own"), .init = own_init, .destroy = own_destroy);
FALCO_EXTRACT(b_own, .fields = FALCO_LIST(own_field), .sources = FALCO_SOURCES("bsrc"));

/* Metrics of every type. */
static void all_metrics(falco_plugin *p, void *state, falco_metrics *m) {
    (void)p, (void)state;
    falco_metrics_u32(m, "u32", FALCO_METRIC_MONOTONIC, 4000000000u);
    falco_metrics_s32(m, "s32", FALCO_METRIC_NON_MONOTONIC, -5);
    falco_metrics_u64(m, "u64", FALCO_METRIC_MONOTONIC, UINT64_MAX);
    falco_metrics_s64(m, "s64", FALCO_METRIC_NON_MONOTONIC, INT64_MIN);
    falco_metrics_double(m, "double", FALCO_METRIC_NON_MONOTONIC, 2.5);
    falco_metrics_float(m, "float", FALCO_METRIC_NON_MONOTONIC, 0.25f);
    falco_metrics_int(m, "int", FALCO_METRIC_MONOTONIC, -7);
    falco_metrics_u64(m, "", FALCO_METRIC_MONOTONIC, 1); /* skipped: no name */
}
FALCO_PLUGIN(b_metrics, META("b_metrics"), .metrics = all_metrics);
FALCO_EXTRACT(b_metrics, .fields = FALCO_LIST(one_field));

/* Logging from init, with and without a host logger. */
static falco_rc log_init(falco_plugin *p, void *state) {
    (void)state;
    falco_log(p, FALCO_LOG_INFO, "hello %d", 42);
    falco_log(p, FALCO_LOG_ERROR, "trouble");
    return FALCO_OK;
}
FALCO_PLUGIN(b_log34, META("b_log34"), .init = log_init, .required_api_version = "3.4.0");
FALCO_EXTRACT(b_log34, .fields = FALCO_LIST(one_field));
FALCO_PLUGIN(b_log30, META("b_log30"), .init = log_init, .required_api_version = "3.0.0");
FALCO_EXTRACT(b_log30, .fields = FALCO_LIST(one_field));
FALCO_PLUGIN(b_logauto, META("b_logauto"), .init = log_init);
FALCO_EXTRACT(b_logauto, .fields = FALCO_LIST(one_field));

/* The owner's last error appended to ours. */
static falco_rc owner_init(falco_plugin *p, void *state) {
    (void)state;
    falco_error_owner(p, FALCO_ERROR, "table '%s' lookup failed", "threads");
    snprintf(seen.owner_msg, sizeof seen.owner_msg, "%s", falco_plugin_last_error(p));
    return FALCO_ERROR;
}
FALCO_PLUGIN(b_owner, META("b_owner"), .init = owner_init);
FALCO_EXTRACT(b_owner, .fields = FALCO_LIST(one_field));

static void test_failed_init_keeps_state(void **state) {
    (void)state;
    memset(&seen, 0, sizeof seen);
    falco_host_plugin *p = sdkt_load_api(falco_plugin_api_b_fail, "b_fail");
    assert_int_equal(falco_host_plugin_init(p, ""), FALCO_ERROR);
    assert_string_equal(falco_host_errmsg(p),
                        "plugin 'b_fail': init: could not initialize plugin (FAILURE): cannot start: no disk");
    /* the host destroyed the kept state after reading its last error */
    assert_int_equal(seen.inits, 1);
    assert_int_equal(seen.destroys, 1);
    assert_non_null(seen.init_state);
    assert_ptr_equal(seen.destroy_state, seen.init_state);
    assert_true(seen.state_zeroed);
    falco_host_plugin_free(p);
    assert_int_equal(seen.destroys, 1); /* not twice */

    p = sdkt_load_api(falco_plugin_api_b_plainfail, "b_plainfail");
    assert_int_equal(falco_host_plugin_init(p, ""), FALCO_ERROR);
    assert_string_equal(falco_host_errmsg(p),
                        "plugin 'b_plainfail': init: could not initialize plugin (FAILURE): plugin init failed: out of "
                        "memory");
    assert_int_equal(seen.destroys, 2);
    falco_host_plugin_free(p);
}

static void test_state_zeroed_every_init(void **state) {
    (void)state;
    /* the first init scribbled over its block; a second one gets zeros again */
    for (int i = 0; i < 2; i++) {
        memset(&seen, 0, sizeof seen);
        char buf[1024];
        falco_abi_rc rc;
        sdkt_raw_init(falco_plugin_api_b_fail, "", &rc, buf, sizeof buf);
        assert_int_equal(rc, FALCO_ABI_RC_FAILURE);
        assert_true(seen.state_zeroed);
        assert_int_equal(seen.destroys, 1);
    }
}

static void test_set_state_misuse(void **state) {
    (void)state;
    memset(&seen, 0, sizeof seen);
    char buf[1024];
    falco_abi_rc rc;
    sdkt_raw_init(falco_plugin_api_b_fail, "", &rc, buf, sizeof buf);
    assert_int_equal(seen.set_state_rc, FALCO_EMISUSE);
    assert_string_equal(seen.set_state_msg, "falco_plugin_set_state: the SDK owns the state (.state_size is set)");

    /* allowed without .state_size: the author's pointer comes back everywhere */
    seen.destroys = 0;
    falco_host_plugin *p = sdkt_load_api(falco_plugin_api_b_own, "b_own");
    assert_int_equal(falco_host_plugin_init(p, ""), FALCO_OK);
    unsigned char ev[64];
    uint64_t v = 1;
    falco_abi_event h = {.ts = 1, .len = 46, .type = 322, .nparams = 2};
    uint32_t lens[3] = {4, 8, 0};
    memcpy(ev, &h, 26);
    memcpy(ev + 26, lens, 12);
    memcpy(ev + 38, &v, 8);
    falco_abi_event_input in = {.evt = (const falco_abi_event *)ev, .evtnum = 1, .evtsrc = "bsrc"};
    falco_host_extractor *x;
    falco_host_values vals;
    uint64_t got = 0;
    assert_int_equal(falco_host_extractor_new(p, "b.own", &x), FALCO_OK);
    assert_int_equal(falco_host_extract(x, &in, false, &vals), FALCO_OK);
    assert_int_equal(falco_host_value_u64(&vals, 0, &got), FALCO_OK);
    assert_int_equal(got, 77);
    falco_host_plugin_free(p);
    assert_int_equal(seen.destroys, 1);
}

static void test_metrics_every_type(void **state) {
    (void)state;
    falco_host_plugin *p = sdkt_load_api(falco_plugin_api_b_metrics, "b_metrics");
    assert_int_equal(falco_host_plugin_init(p, ""), FALCO_OK);
    for (int round = 0; round < 2; round++) { /* twice: same answer, memory reused */
        const falco_abi_metric *m;
        uint32_t n = 0;
        assert_int_equal(falco_host_plugin_metrics(p, &m, &n), FALCO_OK);
        assert_int_equal(n, 7);
        assert_string_equal(m[0].name, "u32");
        assert_int_equal(m[0].value_type, FALCO_ABI_METRIC_U32);
        assert_int_equal(m[0].type, FALCO_ABI_METRIC_MONOTONIC);
        assert_int_equal(m[0].value.u32, 4000000000u);
        assert_string_equal(m[1].name, "s32");
        assert_int_equal(m[1].value_type, FALCO_ABI_METRIC_S32);
        assert_int_equal(m[1].type, FALCO_ABI_METRIC_NON_MONOTONIC);
        assert_int_equal(m[1].value.s32, -5);
        assert_string_equal(m[2].name, "u64");
        assert_int_equal(m[2].value_type, FALCO_ABI_METRIC_U64);
        assert_true(m[2].value.u64 == UINT64_MAX);
        assert_string_equal(m[3].name, "s64");
        assert_int_equal(m[3].value_type, FALCO_ABI_METRIC_S64);
        assert_true(m[3].value.s64 == INT64_MIN);
        assert_string_equal(m[4].name, "double");
        assert_int_equal(m[4].value_type, FALCO_ABI_METRIC_D);
        assert_true(m[4].value.d == 2.5);
        assert_string_equal(m[5].name, "float");
        assert_int_equal(m[5].value_type, FALCO_ABI_METRIC_F);
        assert_true(m[5].value.f == 0.25f);
        assert_string_equal(m[6].name, "int");
        assert_int_equal(m[6].value_type, FALCO_ABI_METRIC_I);
        assert_int_equal(m[6].value.i, -7);
        assert_string_equal(falco_host_plugin_last_error(p), "metrics: a metric has an empty name");
    }
    falco_host_plugin_free(p);
}

typedef struct {
    int count;
    char component[64];
    char msg[256];
    falco_abi_log_severity sev[4];
} log_sink;

static void capture_log(void *userdata, const char *component, const char *msg, falco_abi_log_severity sev) {
    log_sink *s = userdata;
    if (s->count < 4)
        s->sev[s->count] = sev;
    if (s->count++ == 0) {
        snprintf(s->component, sizeof s->component, "%s", component);
        snprintf(s->msg, sizeof s->msg, "%s", msg);
    }
}

static void test_logging(void **state) {
    (void)state;
    log_sink sink = {0};
    falco_host_plugin *p = sdkt_load_api(falco_plugin_api_b_log34, "b_log34");
    falco_host_set_log(p, capture_log, &sink);
    assert_int_equal(falco_host_plugin_init(p, ""), FALCO_OK);
    assert_int_equal(sink.count, 2);
    assert_string_equal(sink.component, "b_log34");
    assert_string_equal(sink.msg, "hello 42");
    assert_int_equal(sink.sev[0], FALCO_ABI_LOG_INFO);
    assert_int_equal(sink.sev[1], FALCO_ABI_LOG_ERROR);
    falco_host_plugin_free(p);

    /* calling falco_log derives 3.4.0 without an override: the host logger */
    memset(&sink, 0, sizeof sink);
    p = sdkt_load_api(falco_plugin_api_b_logauto, "b_logauto");
    assert_string_equal(falco_host_plugin_required_api_version(p), "3.4.0");
    falco_host_set_log(p, capture_log, &sink);
    assert_int_equal(falco_host_plugin_init(p, ""), FALCO_OK);
    assert_int_equal(sink.count, 2);
    assert_string_equal(sink.msg, "hello 42");
    falco_host_plugin_free(p);

    /* declared 3.0.0 on purpose: hosts of that version pass no logger; the
     * SDK must not read it and falls back to stderr (no init error) */
    memset(&sink, 0, sizeof sink);
    p = sdkt_load_api(falco_plugin_api_b_log30, "b_log30");
    assert_string_equal(falco_host_plugin_required_api_version(p), "3.0.0");
    falco_host_set_log(p, capture_log, &sink);
    assert_int_equal(falco_host_plugin_init(p, ""), FALCO_OK);
    assert_int_equal(sink.count, 0);
    falco_host_plugin_free(p);
}

static const char *owner_error(falco_abi_owner_t *o) {
    return o;
}

static void test_owner_last_error(void **state) {
    (void)state;
    falco_abi_plugin_api api;
    falco_plugin_api_b_owner(&api);
    /* the owner has something to say: appended */
    falco_abi_init_input in = {.config = "", .owner = (void *)"no such table", .get_owner_last_error = owner_error};
    falco_abi_rc rc;
    falco_abi_plugin_t *s = api.init(&in, &rc);
    assert_int_equal(rc, FALCO_ABI_RC_FAILURE);
    assert_string_equal(seen.owner_msg, "table 'threads' lookup failed: no such table");
    assert_string_equal(api.get_last_error(s), "table 'threads' lookup failed: no such table");
    api.destroy(s);
    /* the owner has nothing (empty string): no suffix */
    in.owner = (void *)"";
    s = api.init(&in, &rc);
    assert_string_equal(api.get_last_error(s), "table 'threads' lookup failed");
    api.destroy(s);
    /* no getter at all */
    in.get_owner_last_error = NULL;
    s = api.init(&in, &rc);
    assert_string_equal(api.get_last_error(s), "table 'threads' lookup failed");
    api.destroy(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_failed_init_keeps_state),
        cmocka_unit_test(test_state_zeroed_every_init),
        cmocka_unit_test(test_set_state_misuse),
        cmocka_unit_test(test_metrics_every_type),
        cmocka_unit_test(test_logging),
        cmocka_unit_test(test_owner_last_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
