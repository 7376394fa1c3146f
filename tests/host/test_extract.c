/* Extraction: name[arg] rules, one field per call, typed results, offsets,
 * source and type compatibility. */
#include "host_test.h"

typedef struct fixture {
    falco_host_plugin *p;
    falco_host_instance *in;
    const falco_abi_event *ev;
} fixture;

static int setup(void **state)
{
    static fixture f;
    f.p = init_ok("good", "{\"count\":2}", NULL);
    assert_int_equal(falco_host_open(f.p, NULL, &f.in), FALCO_OK);
    assert_int_equal(falco_host_next(f.in, &f.ev), FALCO_OK);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    falco_host_close(f->in);
    falco_host_plugin_free(f->p);
    return 0;
}

/* Extracts expr from the fixture's event 1 and formats value i. */
static falco_rc extract_text(fixture *f, const char *expr, uint64_t i, char *buf, size_t size, falco_host_values *v)
{
    falco_host_extractor *x;
    falco_rc rc = falco_host_extractor_new(f->p, expr, &x);
    if (rc != FALCO_OK)
        return rc;
    falco_abi_event_input ei = { f->ev, 1, NULL };
    rc = falco_host_extract(x, &ei, false, v);
    if (rc == FALCO_OK && v->count)
        rc = falco_host_value_format(v, i, buf, size);
    falco_host_extractor_free(x);
    return rc;
}

static void assert_value(fixture *f, const char *expr, uint64_t i, const char *want)
{
    char buf[128];
    falco_host_values v;
    falco_rc rc = extract_text(f, expr, i, buf, sizeof buf, &v);
    if (rc != FALCO_OK)
        print_error("%s: %s\n", expr, falco_host_errmsg(f->p));
    assert_int_equal(rc, FALCO_OK);
    assert_string_equal(buf, want);
}

static void test_values(void **state)
{
    fixture *f = *state;
    assert_value(f, "rawtest.value", 0, "1");
    assert_value(f, "rawtest.str", 0, "n1");
    assert_value(f, "rawtest.even", 0, "false");
    assert_value(f, "rawtest.list", 0, "1");
    assert_value(f, "rawtest.list", 1, "2");
    assert_value(f, "rawtest.key[abc]", 0, "key:abc");
    assert_value(f, "rawtest.key[0123 x]", 0, "key:0123 x");
    assert_value(f, "rawtest.idx[12]", 0, "12");
    assert_value(f, "rawtest.idx[0]", 0, "0");
    assert_value(f, "rawtest.idx", 0, "7777");
    assert_value(f, "rawtest.ip", 0, "127.0.0.1");
    assert_value(f, "rawtest.net", 0, "<IPNET>"); /* as libsinsp prints any ipnet value */
    assert_value(f, "rawtest.tables", 0, "true");

    char buf[16];
    falco_host_values v;
    assert_int_equal(extract_text(f, "rawtest.none", 0, buf, sizeof buf, &v), FALCO_OK);
    assert_int_equal(v.count, 0);
    assert_int_equal(extract_text(f, "rawtest.fail", 0, buf, sizeof buf, &v), FALCO_ERROR);
    assert_string_equal(falco_host_errmsg(f->p), "plugin 'rawtest': extract_fields: failed with FAILURE: "
                                                 "field rawtest.fail cannot be extracted");
}

static void test_typed_access(void **state)
{
    fixture *f = *state;
    falco_host_extractor *x;
    falco_host_values v;
    falco_abi_event_input ei = { f->ev, 1, "rawtest" };
    assert_int_equal(falco_host_extractor_new(f->p, "rawtest.list", &x), FALCO_OK);
    assert_string_equal(falco_host_extractor_field(x)->name, "rawtest.list");
    assert_int_equal(falco_host_extract(x, &ei, false, &v), FALCO_OK);
    assert_true(v.is_list);
    assert_int_equal(v.count, 2);
    uint64_t u;
    const char *s;
    assert_int_equal(falco_host_value_u64(&v, 1, &u), FALCO_OK);
    assert_int_equal(u, 2);
    assert_int_equal(falco_host_value_u64(&v, 2, &u), FALCO_ERANGE);
    assert_int_equal(falco_host_value_str(&v, 0, &s), FALCO_ETYPE);
    assert_false(v.has_offsets);
    /* offsets only when asked (the plugin requires 3.11) */
    assert_int_equal(falco_host_extract(x, &ei, true, &v), FALCO_OK);
    assert_true(v.has_offsets);
    assert_int_equal(v.offset_start[0], 38);
    assert_int_equal(v.offset_length[0], 8);
    falco_host_extractor_free(x);

    assert_int_equal(falco_host_extractor_new(f->p, "rawtest.even", &x), FALCO_OK);
    assert_int_equal(falco_host_extract(x, &ei, false, &v), FALCO_OK);
    bool b = true;
    assert_int_equal(falco_host_value_bool(&v, 0, &b), FALCO_OK);
    assert_false(b);
    /* left alive on purpose: freed with the plugin */
}

/* Value offsets are one entry per field, relative to the event's first byte:
 * a range past the event's end is the plugin's error, reported as such. */
static void test_offsets_outside_event(void **state)
{
    fixture *f = *state;
    /* a plugin event with a 4-byte payload (len 42); rawtest reports 38+8 */
    uint8_t buf[64] = { 0 };
    uint32_t len = 42, nparams = 2, l0 = 4, l1 = 4, id = 999;
    uint16_t type = 322;
    memcpy(buf + 16, &len, 4);
    memcpy(buf + 20, &type, 2);
    memcpy(buf + 22, &nparams, 4);
    memcpy(buf + 26, &l0, 4);
    memcpy(buf + 30, &l1, 4);
    memcpy(buf + 34, &id, 4);
    falco_abi_event_input ei = { (const falco_abi_event *)buf, 1, "rawtest" };
    falco_host_extractor *x;
    falco_host_values v;
    assert_int_equal(falco_host_extractor_new(f->p, "rawtest.value", &x), FALCO_OK);
    assert_int_equal(falco_host_extract(x, &ei, false, &v), FALCO_OK); /* not asked: not checked */
    assert_false(v.has_offsets);
    assert_int_equal(falco_host_extract(x, &ei, true, &v), FALCO_EPARSE);
    assert_non_null(strstr(falco_host_errmsg(f->p),
                           "field 'rawtest.value': value offset 38 length 8 lies outside the 42-byte event"));
    falco_host_extractor_free(x);
}

static void assert_bad_expr(fixture *f, const char *expr, falco_rc want, const char *reason)
{
    falco_host_extractor *x = (void *)1;
    falco_rc rc = falco_host_extractor_new(f->p, expr, &x);
    if (!strstr(falco_host_errmsg(f->p), reason))
        print_error("%s: got '%s', wanted '%s'\n", expr, falco_host_errmsg(f->p), reason);
    assert_int_equal(rc, want);
    assert_null(x);
    assert_non_null(strstr(falco_host_errmsg(f->p), reason));
}

static void test_field_expressions(void **state)
{
    fixture *f = *state;
    assert_bad_expr(f, "rawtest.nope", FALCO_ENOTFOUND, "plugin 'rawtest': extract: no field named 'rawtest.nope'");
    assert_bad_expr(f, "rawtest.valu", FALCO_ENOTFOUND, "no field named 'rawtest.valu'");
    assert_bad_expr(f, "rawtest.value[1]", FALCO_EINVAL,
                    "field 'rawtest.value[1]': rawtest.value does not allow nor require an argument but one is "
                    "provided: '1'");
    assert_bad_expr(f, "rawtest.key", FALCO_EINVAL,
                    "field 'rawtest.key': rawtest.key requires an argument but none provided");
    assert_bad_expr(f, "rawtest.idx[01]", FALCO_EINVAL, "invalid index argument starting with 0: '01'");
    assert_bad_expr(f, "rawtest.idx[]", FALCO_EINVAL, "invalid index argument starting with 0: ''");
    assert_bad_expr(f, "rawtest.idx[1a]", FALCO_EINVAL, "invalid index argument not composed only by digits: '1a'");
    assert_bad_expr(f, "rawtest.idx[18446744073709551616]", FALCO_EINVAL,
                    "invalid index argument not representable on 64 bit");
    assert_bad_expr(f, "rawtest.key[]", FALCO_EINVAL,
                    "field 'rawtest.key[]': expected a valid field argument, got empty brackets");
    assert_bad_expr(f, "rawtest.key[", FALCO_EINVAL, "terminates with incomplete argument brackets");
    assert_bad_expr(f, "rawtest.key[abc", FALCO_EINVAL, "has unbalanced argument brackets");
    assert_bad_expr(f, "rawtest.key[a]x", FALCO_EINVAL, "unexpected characters after ']'");
}

static void test_compatibility(void **state)
{
    fixture *f = *state;
    falco_host_extractor *x;
    falco_host_values v;
    assert_int_equal(falco_host_extractor_new(f->p, "rawtest.value", &x), FALCO_OK);
    falco_abi_event_input other = { f->ev, 1, "other" };
    assert_int_equal(falco_host_extract(x, &other, false, &v), FALCO_NOT_SUPPORTED);
    assert_string_equal(falco_host_errmsg(f->p), "plugin 'rawtest': extract_fields: field 'rawtest.value': plugin does "
                                                 "not extract from event source 'other'");
    /* a syscall-type event (code 3) of the right source is not one it extracts from */
    uint8_t buf[64];
    memset(buf, 0, sizeof buf);
    falco_abi_event h = { 1, 1, 26, 3, 0 };
    memcpy(buf, &h, 26);
    falco_abi_event_input sys = { (const falco_abi_event *)buf, 2, "rawtest" };
    assert_int_equal(falco_host_extract(x, &sys, false, &v), FALCO_NOT_SUPPORTED);
    assert_non_null(strstr(falco_host_errmsg(f->p), "plugin does not extract from event type 3"));
    /* a malformed event never reaches the plugin */
    h.len = 20;
    memcpy(buf, &h, 26);
    assert_int_equal(falco_host_extract(x, &sys, false, &v), FALCO_EPARSE);
    assert_non_null(strstr(falco_host_errmsg(f->p), "len 20 at offset 16 is less than the 26-byte header"));
    falco_host_extractor_free(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_typed_access, setup, teardown),
        cmocka_unit_test_setup_teardown(test_offsets_outside_event, setup, teardown),
        cmocka_unit_test_setup_teardown(test_field_expressions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_compatibility, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
