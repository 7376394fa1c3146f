/* The extract capability through the host (and, for the checks the host
 * makes first, through the raw ABI): every setter type, lists, misuse,
 * arguments, error messages, the per-event context and value offsets
 * (plugins/xplug.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <dlfcn.h>

#include "sdk_test.h"

static falco_host_plugin *load_x(void) {
    return sdkt_load_init("SDKT_XPLUG", "");
}

/* Extraction expected to fail: checks the host's whole message. */
static void expect_fail(falco_host_plugin *p, const char *expr, const falco_abi_event_input *e, const char *msg) {
    falco_host_values v;
    assert_int_equal(sdkt_extract(p, expr, e, false, &v), FALCO_ERROR);
    assert_string_equal(falco_host_errmsg(p), msg);
}

static void test_declared_fields(void **state) {
    (void)state;
    falco_host_plugin *p = sdkt_load("SDKT_XPLUG");
    assert_string_equal(falco_host_plugin_required_api_version(p), "3.11.0");
    assert_int_equal(falco_host_field_count(p), 25);
    const falco_host_field *f = falco_host_field_find(p, "x.reltime");
    assert_non_null(f);
    assert_string_equal(f->type_name, "reltime");
    assert_string_equal(falco_host_field_find(p, "x.abstime")->type_name, "abstime");
    assert_string_equal(falco_host_field_find(p, "x.net")->type_name, "ipnet");
    assert_string_equal(falco_host_field_find(p, "x.ip4")->type_name, "ipaddr");
    assert_string_equal(falco_host_field_find(p, "x.bool")->type_name, "bool");
    assert_true(falco_host_field_find(p, "x.list")->is_list);
    assert_false(falco_host_field_find(p, "x.u64")->is_list);
    f = falco_host_field_find(p, "x.idx");
    assert_true(f->arg_index);
    assert_false(f->arg_key);
    assert_false(f->arg_required);
    f = falco_host_field_find(p, "x.key");
    assert_true(f->arg_key);
    assert_true(f->arg_required);
    f = falco_host_field_find(p, "x.evtnum");
    assert_string_equal(f->display, "Event number");
    assert_string_equal(f->desc, "the event number");
    assert_true(f->add_output);
    assert_int_equal(f->properties.count, 2);
    assert_string_equal(f->properties.items[0], "hidden");
    assert_string_equal(f->properties.items[1], "info");
    assert_int_equal(falco_host_field_find(p, "x.u64")->properties.count, 0);
    assert_false(falco_host_field_find(p, "x.u64")->add_output);
    falco_string_list srcs = falco_host_plugin_extract_sources(p);
    assert_int_equal(srcs.count, 1);
    assert_string_equal(srcs.items[0], "xsrc");
    falco_host_plugin_free(p);
}

static void test_setters_every_type(void **state) {
    (void)state;
    falco_host_plugin *p = load_x();
    sdkt_event e;
    sdkt_u64_event(&e, 7, 1, "xsrc");
    assert_int_equal(sdkt_extract_u64(p, "x.u64", &e.in), 7);
    assert_int_equal(sdkt_extract_u64(p, "x.reltime", &e.in), 1500);
    assert_int_equal(sdkt_extract_u64(p, "x.abstime", &e.in), 1700000000000000000ull);
    assert_string_equal(sdkt_extract_str(p, "x.str", &e.in), "value-7");
    assert_string_equal(sdkt_extract_str(p, "x.strref", &e.in), "a static string");
    assert_string_equal(sdkt_extract_str(p, "x.strn", &e.in), "hello");

    falco_host_values v;
    bool b = false;
    assert_int_equal(sdkt_extract(p, "x.bool", &e.in, false, &v), FALCO_OK);
    assert_int_equal(v.count, 1);
    assert_int_equal(falco_host_value_bool(&v, 0, &b), FALCO_OK);
    assert_true(b);
    assert_int_equal(v.v.boolean[0], 1); /* 4-byte bools */
    sdkt_event even;
    sdkt_u64_event(&even, 8, 2, "xsrc");
    assert_int_equal(sdkt_extract(p, "x.bool", &even.in, false, &v), FALCO_OK);
    assert_int_equal(falco_host_value_bool(&v, 0, &b), FALCO_OK);
    assert_false(b);

    const void *ptr;
    uint32_t len;
    char text[64];
    assert_int_equal(sdkt_extract(p, "x.ip4", &e.in, false, &v), FALCO_OK);
    assert_int_equal(falco_host_value_buf(&v, 0, &ptr, &len), FALCO_OK);
    assert_int_equal(len, 4);
    assert_memory_equal(ptr, ((const unsigned char[]){192, 168, 1, 2}), 4);
    assert_int_equal(falco_host_value_format(&v, 0, text, sizeof text), FALCO_OK);
    assert_string_equal(text, "192.168.1.2");
    assert_int_equal(sdkt_extract(p, "x.ip6", &e.in, false, &v), FALCO_OK);
    assert_int_equal(falco_host_value_buf(&v, 0, &ptr, &len), FALCO_OK);
    assert_int_equal(len, 16);
    assert_int_equal(((const unsigned char *)ptr)[0], 0x20);
    assert_int_equal(((const unsigned char *)ptr)[15], 1);
    assert_int_equal(sdkt_extract(p, "x.net", &e.in, false, &v), FALCO_OK);
    assert_int_equal(v.type, FALCO_ABI_FT_IPNET);
    assert_int_equal(falco_host_value_buf(&v, 0, &ptr, &len), FALCO_OK);
    assert_int_equal(len, 4);
    falco_host_plugin_free(p);
}

static void test_list_fields(void **state) {
    (void)state;
    falco_host_plugin *p = load_x();
    sdkt_event e;
    sdkt_u64_event(&e, 5, 1, "xsrc");
    falco_host_values v;
    uint64_t u;
    const char *s;
    assert_int_equal(sdkt_extract(p, "x.list", &e.in, false, &v), FALCO_OK);
    assert_int_equal(v.count, 3);
    assert_int_equal(falco_host_value_u64(&v, 0, &u), FALCO_OK);
    assert_int_equal(u, 5);
    assert_int_equal(falco_host_value_u64(&v, 1, &u), FALCO_OK);
    assert_int_equal(u, 100);
    assert_int_equal(falco_host_value_u64(&v, 2, &u), FALCO_OK);
    assert_int_equal(u, 200);
    /* five strings: more than the SDK's first growth step of 4 */
    assert_int_equal(sdkt_extract(p, "x.strlist", &e.in, false, &v), FALCO_OK);
    assert_int_equal(v.count, 5);
    static const char *const words[] = {"alpha", "beta", "gamma", "delta", "epsilon"};
    for (uint64_t i = 0; i < 5; i++) {
        assert_int_equal(falco_host_value_str(&v, i, &s), FALCO_OK);
        assert_string_equal(s, words[i]);
    }
    falco_host_plugin_free(p);
}

static void test_setter_misuse(void **state) {
    (void)state;
    falco_host_plugin *p = load_x();
    sdkt_event e;
    sdkt_u64_event(&e, 5, 1, "xsrc");
    expect_fail(p, "x.twice", &e.in,
                "plugin 'xplug': extract_fields: failed with FAILURE: field 'x.twice': a second value "
                "was set on a field that is not a list");
    uint64_t rc = sdkt_metric_u64(p, "setter_rc");
    assert_true(rc == FALCO_EMISUSE || rc == FALCO_ETYPE); /* documented as either */
    expect_fail(p, "x.wrongtype", &e.in,
                "plugin 'xplug': extract_fields: failed with FAILURE: field 'x.wrongtype': a string "
                "value was set on a field of type u64");
    assert_int_equal(sdkt_metric_u64(p, "setter_rc"), FALCO_ETYPE);
    expect_fail(p, "x.wrongbool", &e.in,
                "plugin 'xplug': extract_fields: failed with FAILURE: field 'x.wrongbool': a bool "
                "value was set on a field of type string");
    assert_int_equal(sdkt_metric_u64(p, "setter_rc"), FALCO_ETYPE);
    expect_fail(p, "x.ipbad", &e.in,
                "plugin 'xplug': extract_fields: failed with FAILURE: field 'x.ipbad': an IP address is 4 "
                "or 16 bytes, not 5");
    falco_host_plugin_free(p);
}

static void test_no_value_is_success(void **state) {
    (void)state;
    falco_host_plugin *p = load_x();
    sdkt_event e;
    sdkt_u64_event(&e, 5, 1, "xsrc");
    falco_host_values v;
    v.count = 99;
    assert_int_equal(sdkt_extract(p, "x.none", &e.in, false, &v), FALCO_OK);
    assert_int_equal(v.count, 0);
    falco_host_plugin_free(p);
}

static void test_arguments(void **state) {
    (void)state;
    falco_host_plugin *p = load_x();
    sdkt_event e;
    sdkt_u64_event(&e, 5, 1, "xsrc");
    assert_int_equal(sdkt_extract_u64(p, "x.idx", &e.in), 999);
    assert_int_equal(sdkt_extract_u64(p, "x.idx[7]", &e.in), 7);
    assert_int_equal(sdkt_extract_u64(p, "x.idx[18446744073709551615]", &e.in), UINT64_MAX);
    assert_string_equal(sdkt_extract_str(p, "x.key[some.key]", &e.in), "some.key");
    falco_host_plugin_free(p);
}

static void test_extractor_errors(void **state) {
    (void)state;
    falco_host_plugin *p = load_x();
    sdkt_event e;
    sdkt_u64_event(&e, 5, 7, "xsrc");
    /* default message: the field, the event number and the code */
    expect_fail(p, "x.fail", &e.in,
                "plugin 'xplug': extract_fields: failed with FAILURE: field 'x.fail' on event #7: invalid "
                "argument");
    /* the author's message, prefixed with the field */
    expect_fail(p, "x.failmsg", &e.in,
                "plugin 'xplug': extract_fields: failed with FAILURE: field 'x.failmsg': value 5 is too "
                "big");
    /* an accessor's detail: a 4-byte payload read as u64 */
    unsigned char buf[64];
    uint32_t four = 4;
    sdkt_plugin_event(buf, sizeof buf, 0, &four, 4);
    falco_abi_event_input small = {.evt = (const falco_abi_event *)buf, .evtnum = 5, .evtsrc = "xsrc"};
    expect_fail(p, "x.u64", &small,
                "plugin 'xplug': extract_fields: failed with FAILURE: field 'x.u64' on event #5: truncated "
                "input: event #5 payload is 4 bytes, expected 8");
    /* a good extraction after failures works and the plugin is still usable */
    assert_int_equal(sdkt_extract_u64(p, "x.u64", &e.in), 5);
    falco_host_plugin_free(p);
}

static void test_event_context_parsed_once(void **state) {
    (void)state;
    falco_host_plugin *p = load_x();
    sdkt_event a, b, c;
    sdkt_u64_event(&a, 5, 1, "xsrc");
    sdkt_u64_event(&b, 6, 2, "xsrc");
    sdkt_u64_event(&c, 13, 3, "xsrc");
    assert_int_equal(sdkt_metric_u64(p, "prepares"), 0);
    assert_int_equal(sdkt_extract_u64(p, "x.ctx1", &a.in), 5);
    assert_int_equal(sdkt_extract_u64(p, "x.ctx10", &a.in), 50);
    assert_int_equal(sdkt_extract_u64(p, "x.u64", &a.in), 5); /* a field without context in between */
    assert_int_equal(sdkt_extract_u64(p, "x.ctx1", &a.in), 5);
    assert_int_equal(sdkt_metric_u64(p, "prepares"), 1);
    assert_int_equal(sdkt_extract_u64(p, "x.ctx10", &b.in), 60);
    assert_int_equal(sdkt_extract_u64(p, "x.ctx1", &b.in), 6);
    assert_int_equal(sdkt_metric_u64(p, "prepares"), 2);
    /* a failing prepare is remembered for the event: same message, no new call */
    expect_fail(p, "x.ctx1", &c.in, "plugin 'xplug': extract_fields: field 'x.ctx1' failed with FAILURE: unlucky event 3");
    expect_fail(p, "x.ctx10", &c.in, "plugin 'xplug': extract_fields: field 'x.ctx10' failed with FAILURE: unlucky event 3");
    assert_int_equal(sdkt_metric_u64(p, "prepares"), 3);
    /* fields that do not need the context still work on that event */
    assert_int_equal(sdkt_extract_u64(p, "x.u64", &c.in), 13);
    /* the next event is prepared afresh */
    sdkt_u64_event(&a, 9, 4, "xsrc");
    assert_int_equal(sdkt_extract_u64(p, "x.ctx10", &a.in), 90);
    assert_int_equal(sdkt_metric_u64(p, "prepares"), 4);
    falco_host_plugin_free(p);
}

static void test_value_offsets(void **state) {
    (void)state;
    falco_host_plugin *p = load_x();
    sdkt_event e;
    sdkt_u64_event(&e, 5, 1, "xsrc");
    falco_host_values v;
    assert_int_equal(sdkt_extract(p, "x.off", &e.in, true, &v), FALCO_OK);
    assert_int_equal(v.count, 1);
    assert_true(v.has_offsets);
    assert_int_equal(v.offset_start[0], FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET);
    assert_int_equal(v.offset_length[0], 8);
    /* not requested: not reported */
    assert_int_equal(sdkt_extract(p, "x.off", &e.in, false, &v), FALCO_OK);
    assert_false(v.has_offsets);
    /* requested, but no field of the call reports one: no arrays at all, so
     * the host can tell "no offsets" from "offset 0" */
    assert_int_equal(sdkt_extract(p, "x.u64", &e.in, true, &v), FALCO_OK);
    assert_int_equal(v.count, 1);
    assert_false(v.has_offsets);
    falco_host_plugin_free(p);
}

/* 100k extractions of allocating fields: the per-call memory is reused
 * (ASan/LeakSanitizer builds catch any leak) and values stay right. */
static void test_memory_reused(void **state) {
    (void)state;
    falco_host_plugin *p = load_x();
    falco_host_extractor *xs, *xl, *xw;
    assert_int_equal(falco_host_extractor_new(p, "x.str", &xs), FALCO_OK);
    assert_int_equal(falco_host_extractor_new(p, "x.strlist", &xl), FALCO_OK);
    assert_int_equal(falco_host_extractor_new(p, "x.ctx10", &xw), FALCO_OK);
    sdkt_event e;
    falco_host_values v;
    uint64_t u;
    const char *s;
    for (uint64_t i = 0; i < 100000; i++) {
        sdkt_u64_event(&e, i, i + 1, "xsrc");
        falco_host_extractor *x = i % 3 == 0 ? xs : i % 3 == 1 ? xl : xw;
        assert_int_equal(falco_host_extract(x, &e.in, false, &v), FALCO_OK);
        if (x == xs) {
            assert_int_equal(falco_host_value_str(&v, 0, &s), FALCO_OK);
            assert_int_equal(s[6], (char)('0' + i % 10));
        } else if (x == xl) {
            assert_int_equal(v.count, 5);
        } else if (i != 13) {
            assert_int_equal(falco_host_value_u64(&v, 0, &u), FALCO_OK);
            assert_int_equal(u, i * 10);
        }
    }
    falco_host_plugin_free(p);
}

/* ---- raw ABI: the checks the host makes before the SDK sees the call ---- */

typedef struct {
    void *dl;
    falco_abi_plugin_t *s;
    falco_abi_rc (*extract)(falco_abi_plugin_t *, const falco_abi_event_input *, const falco_abi_field_extract_input *);
    const char *(*last_error)(falco_abi_plugin_t *);
    void (*destroy)(falco_abi_plugin_t *);
} raw_plugin;

static void raw_open(raw_plugin *r) {
    r->dl = dlopen(sdkt_env("SDKT_XPLUG"), RTLD_NOW | RTLD_LOCAL);
    assert_non_null(r->dl);
    falco_abi_plugin_t *(*init)(const falco_abi_init_input *, falco_abi_rc *);
    *(void **)&init = dlsym(r->dl, "plugin_init");
    *(void **)&r->extract = dlsym(r->dl, "plugin_extract_fields");
    *(void **)&r->last_error = dlsym(r->dl, "plugin_get_last_error");
    *(void **)&r->destroy = dlsym(r->dl, "plugin_destroy");
    assert_non_null(init);
    assert_non_null(r->extract);
    falco_abi_init_input in = {.config = ""};
    falco_abi_rc rc = FALCO_ABI_RC_FAILURE;
    r->s = init(&in, &rc);
    assert_int_equal(rc, FALCO_ABI_RC_SUCCESS);
}

static void raw_close(raw_plugin *r) {
    r->destroy(r->s);
    dlclose(r->dl);
}

static falco_abi_rc raw_extract(raw_plugin *r, falco_abi_extract_field *f, uint32_t n, const falco_abi_event_input *e) {
    falco_abi_field_extract_input in = {.num_fields = n, .fields = f};
    return r->extract(r->s, e, &in);
}

static void test_raw_argument_checks(void **state) {
    (void)state;
    raw_plugin r;
    raw_open(&r);
    sdkt_event e;
    sdkt_u64_event(&e, 5, 1, "xsrc");
    falco_abi_extract_field f = {.field_id = 0, .field = "x.u64", .arg_present = 1, .arg_index = 3};
    assert_int_equal(raw_extract(&r, &f, 1, &e.in), FALCO_ABI_RC_FAILURE);
    assert_string_equal(r.last_error(r.s), "field 'x.u64': takes no argument");
    f = (falco_abi_extract_field){.field_id = 18, .field = "x.key"};
    assert_int_equal(raw_extract(&r, &f, 1, &e.in), FALCO_ABI_RC_FAILURE);
    assert_string_equal(r.last_error(r.s), "field 'x.key': needs an argument, e.g. x.key[name]");
    f = (falco_abi_extract_field){.field_id = 18, .field = "x.key", .arg_present = 1, .arg_key = ""};
    assert_int_equal(raw_extract(&r, &f, 1, &e.in), FALCO_ABI_RC_FAILURE);
    assert_string_equal(r.last_error(r.s), "field 'x.key': needs a key argument, e.g. x.key[name]");
    f = (falco_abi_extract_field){.field_id = 999, .field = "x.nope"};
    assert_int_equal(raw_extract(&r, &f, 1, &e.in), FALCO_ABI_RC_FAILURE);
    assert_string_equal(r.last_error(r.s), "extract: field id 999 is out of range (the plugin has 25 fields)");
    raw_close(&r);
}

/* Several fields in one call (libsinsp asks one, but the ABI allows more):
 * every result stays valid until the call returns. */
static void test_raw_several_fields(void **state) {
    (void)state;
    raw_plugin r;
    raw_open(&r);
    sdkt_event e;
    sdkt_u64_event(&e, 4, 1, "xsrc");
    falco_abi_extract_field f[3] = {
        {.field_id = 0, .field = "x.u64"}, {.field_id = 3, .field = "x.str"}, {.field_id = 11, .field = "x.list"}};
    assert_int_equal(raw_extract(&r, f, 3, &e.in), FALCO_ABI_RC_SUCCESS);
    assert_int_equal(f[0].res_len, 1);
    assert_int_equal(f[0].res.u64[0], 4);
    assert_int_equal(f[1].res_len, 1);
    assert_string_equal(f[1].res.str[0], "value-4");
    assert_int_equal(f[2].res_len, 3);
    assert_int_equal(f[2].res.u64[0], 4);
    assert_int_equal(f[2].res.u64[2], 200);
    raw_close(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_declared_fields),
        cmocka_unit_test(test_setters_every_type),
        cmocka_unit_test(test_list_fields),
        cmocka_unit_test(test_setter_misuse),
        cmocka_unit_test(test_no_value_is_success),
        cmocka_unit_test(test_arguments),
        cmocka_unit_test(test_extractor_errors),
        cmocka_unit_test(test_event_context_parsed_once),
        cmocka_unit_test(test_value_offsets),
        cmocka_unit_test(test_memory_reused),
        cmocka_unit_test(test_raw_argument_checks),
        cmocka_unit_test(test_raw_several_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
