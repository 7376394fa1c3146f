/* The parse capability: parse_event reaches the callback with the plugin's
 * state, fields read what parsing stored, failures reach get_last_error,
 * and the getters answer from the declaration. Plugins compiled into this
 * binary (FALCO_PLUGIN_STATIC), driven through the host library. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sdk_test.h"
#include "static_test.h"

typedef struct {
    uint64_t sum, count, last_evtnum;
} pp_state;

static falco_rc pp_parse(falco_parse *ps, void *state, const falco_event *ev) {
    pp_state *st = state;
    uint64_t v;
    assert_ptr_equal(falco_parse_state(ps), state);
    FALCO_TRY(falco_event_payload_u64(ev, &v));
    if (v == 13)
        return falco_parse_error(ps, FALCO_EINVAL, "unlucky value %llu in event %llu", (unsigned long long)v,
                                 (unsigned long long)ev->evtnum);
    st->sum += v;
    st->count++;
    st->last_evtnum = ev->evtnum;
    return FALCO_OK;
}

static falco_rc pp_sum(falco_extract *x, const falco_event *ev) {
    (void)ev;
    return falco_extract_u64(x, ((pp_state *)falco_extract_state(x))->sum);
}
static falco_rc pp_count(falco_extract *x, const falco_event *ev) {
    (void)ev;
    return falco_extract_u64(x, ((pp_state *)falco_extract_state(x))->count);
}
static falco_rc pp_last(falco_extract *x, const falco_event *ev) {
    (void)ev;
    return falco_extract_u64(x, ((pp_state *)falco_extract_state(x))->last_evtnum);
}

static const falco_field pp_fields[] = {
    {.name = "pp.sum", .type = FALCO_FIELD_U64, .desc = "sum of parsed payloads", .extract = pp_sum},
    {.name = "pp.count", .type = FALCO_FIELD_U64, .desc = "events parsed", .extract = pp_count},
    {.name = "pp.last", .type = FALCO_FIELD_U64, .desc = "number of the last parsed event", .extract = pp_last},
};

#define META(n) .name = n, .version = "1.0.0", .contact = "t@example.com", .description = "parse test"

/* No .init: .destroy still runs once (what parsing allocated is freed there). */
static int g_destroyed;
static void pp_destroy(falco_plugin *p, void *state) {
    (void)p;
    assert_non_null(state);
    g_destroyed++;
}

FALCO_PLUGIN(pp, META("pp"), .state_size = sizeof(pp_state), .destroy = pp_destroy);
FALCO_PARSE(pp, .parse = pp_parse);
FALCO_EXTRACT(pp, .fields = FALCO_LIST(pp_fields));

/* Event types chosen from the config: "opens", "bad" (an unknown code), or all. */
static const uint16_t open_types[] = {FALCO_PPME_SYSCALL_OPEN_X, FALCO_PPME_SYSCALL_OPENAT_2_X};
static const uint16_t bad_types[] = {322, 9999};
static falco_event_type_list pc_choose(falco_plugin *p, void *state) {
    (void)state;
    const char *cfg = falco_plugin_config_string(p);
    if (strcmp(cfg, "opens") == 0)
        return (falco_event_type_list)FALCO_LIST(open_types);
    if (strcmp(cfg, "bad") == 0)
        return (falco_event_type_list)FALCO_LIST(bad_types);
    return (falco_event_type_list){NULL, 0};
}
FALCO_PLUGIN(pc, META("pc"));
FALCO_PARSE(pc, .parse = pp_parse, .choose_event_types = pc_choose);

FALCO_PLUGIN(pck8s, META("pck8s"));
FALCO_PARSE(pck8s, .parse = pp_parse, .choose_event_types = pc_choose, .sources = FALCO_SOURCES("k8s"));

static void test_chosen_event_types(void **state) {
    (void)state;
    falco_abi_plugin_api api;
    falco_plugin_api_pc(&api);
    /* may be syscall events: 3.12 and the schema; k8s only: 3.2 for the getter's state */
    assert_string_equal(api.get_required_api_version(), "3.12.0");
    falco_abi_plugin_api k8s;
    falco_plugin_api_pck8s(&k8s);
    assert_string_equal(k8s.get_required_api_version(), "3.2.0");

    falco_abi_init_input in = {.config = "opens"};
    falco_abi_rc rc;
    falco_abi_plugin_t *s = api.init(&in, &rc);
    assert_int_equal(rc, FALCO_ABI_RC_SUCCESS);
    uint32_t n = 0;
    uint16_t *t = api.get_parse_event_types(&n, s);
    assert_int_equal(n, 2);
    assert_int_equal(t[0], FALCO_PPME_SYSCALL_OPEN_X);
    assert_int_equal(t[1], FALCO_PPME_SYSCALL_OPENAT_2_X);
    assert_string_equal(api.get_required_event_schema_version(s), "4.5.1");
    api.destroy(s);

    char buf[1024];
    assert_string_equal(sdkt_raw_init(falco_plugin_api_pc, "bad", &rc, buf, sizeof buf),
                        "plugin 'pc': FALCO_PARSE .choose_event_types returned [1] = 9999: not an event code of "
                        "event schema 4.5.1");
    assert_int_equal(rc, FALCO_ABI_RC_FAILURE);

    /* through the host: the types resolved after init with the state */
    falco_host_plugin *p = sdkt_load_api(falco_plugin_api_pc, "pc");
    assert_int_equal(falco_host_plugin_init(p, "opens"), FALCO_OK);
    size_t hn;
    bool all = true;
    const uint16_t *codes = falco_host_plugin_parse_types(p, &hn, &all);
    assert_false(all);
    assert_int_equal(hn, 2);
    assert_int_equal(codes[1], FALCO_PPME_SYSCALL_OPENAT_2_X);
    falco_host_plugin_free(p);
    p = sdkt_load_api(falco_plugin_api_pc, "pc");
    assert_int_equal(falco_host_plugin_init(p, ""), FALCO_OK);
    falco_host_plugin_parse_types(p, &hn, &all);
    assert_true(all); /* none chosen: every type */
    falco_host_plugin_free(p);
}

static void test_parse_feeds_fields(void **state) {
    (void)state;
    falco_host_plugin *p = sdkt_load_api(falco_plugin_api_pp, "pp");
    assert_true(falco_host_plugin_caps(p) & FALCO_HOST_CAP_PARSE);
    assert_int_equal(falco_host_plugin_init(p, ""), FALCO_OK);
    sdkt_event e;
    for (uint64_t v = 1; v <= 5; v++) {
        sdkt_u64_event(&e, v * 10, 100 + v, "anysource");
        if (falco_host_parse(p, &e.in) != FALCO_OK)
            fail_msg("parse: %s", falco_host_errmsg(p));
    }
    /* a field reads what parsing stored: 10+20+30+40+50, 5 events, the last numbered 105 */
    assert_int_equal(sdkt_extract_u64(p, "pp.sum", &e.in), 150);
    assert_int_equal(sdkt_extract_u64(p, "pp.count", &e.in), 5);
    assert_int_equal(sdkt_extract_u64(p, "pp.last", &e.in), 105);
    g_destroyed = 0;
    falco_host_plugin_free(p);
    assert_int_equal(g_destroyed, 1);
}

static void test_parse_failure_message(void **state) {
    (void)state;
    falco_host_plugin *p = sdkt_load_api(falco_plugin_api_pp, "pp");
    falco_host_set_log(p, NULL, NULL);
    assert_int_equal(falco_host_plugin_init(p, ""), FALCO_OK);
    sdkt_event e;
    sdkt_u64_event(&e, 13, 7, "x");
    assert_int_equal(falco_host_parse(p, &e.in), FALCO_ERROR);
    assert_non_null(strstr(falco_host_errmsg(p), "parse: unlucky value 13 in event 7"));
    assert_string_equal(falco_host_plugin_last_error(p), "parse: unlucky value 13 in event 7");
    /* a malformed plugin event: the accessor's detail reaches the message */
    unsigned char bad[64];
    uint32_t len = sdkt_plugin_event(bad, sizeof bad, 0, "abc", 3);
    (void)len;
    falco_abi_event_input in = {.evt = (const falco_abi_event *)bad, .evtnum = 8, .evtsrc = "x"};
    assert_int_equal(falco_host_parse(p, &in), FALCO_ERROR);
    assert_non_null(strstr(falco_host_plugin_last_error(p), "parse_event failed"));
    assert_non_null(strstr(falco_host_plugin_last_error(p), "payload is 3 bytes, expected 8"));
    /* the failed events changed nothing */
    sdkt_u64_event(&e, 1, 9, "x");
    assert_int_equal(sdkt_extract_u64(p, "pp.count", &e.in), 0);
    falco_host_plugin_free(p);
}

static void test_parse_getters(void **state) {
    (void)state;
    falco_abi_plugin_api api;
    falco_plugin_api_pp(&api);
    assert_non_null(api.parse_event);
    assert_non_null(api.get_parse_event_types);
    uint32_t n = 99;
    uint16_t *types = api.get_parse_event_types(&n, NULL);
    assert_int_equal(n, 1);
    assert_int_equal(types[0], 322);
    assert_null(api.get_parse_event_sources()); /* no own source: every source */
    /* what the host resolved */
    falco_host_plugin *p = sdkt_load_api(falco_plugin_api_pp, "pp");
    assert_int_equal(falco_host_plugin_init(p, ""), FALCO_OK);
    size_t hn;
    bool all;
    const uint16_t *codes = falco_host_plugin_parse_types(p, &hn, &all);
    assert_false(all);
    assert_int_equal(hn, 1);
    assert_int_equal(codes[0], 322);
    assert_int_equal(falco_host_plugin_parse_sources(p).count, 0);
    falco_host_plugin_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_feeds_fields),
        cmocka_unit_test(test_parse_failure_message),
        cmocka_unit_test(test_parse_getters),
        cmocka_unit_test(test_chosen_event_types),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
