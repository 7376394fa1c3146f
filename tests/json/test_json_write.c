/* Writer: output, escapes, numbers, misuse, and parse/write round trips. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <falco/json.h>

static falco_json_writer *w;

static int setup(void **state)
{
    (void)state;
    w = falco_json_writer_new();
    return w ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    falco_json_writer_free(w);
    return 0;
}

static int reset(void **state)
{
    (void)state;
    falco_json_writer_reset(w);
    return 0;
}

static void assert_output(const char *want)
{
    size_t len = 0;
    const char *got = falco_json_writer_str(w, &len);
    if (!got)
        fail_msg("writer failed: %s", falco_json_writer_error(w));
    assert_string_equal(got, want);
    assert_int_equal(len, strlen(want));
}

static void assert_misuse(const char *why)
{
    assert_true(falco_json_writer_failed(w));
    assert_null(falco_json_writer_str(w, NULL));
    assert_string_equal(falco_json_writer_error(w), why);
}

static void test_document(void **state)
{
    (void)state;
    falco_json_object_begin(w);
    falco_json_key(w, "s");
    falco_json_string_value(w, "x");
    falco_json_key(w, "n");
    falco_json_u64_value(w, 18446744073709551615u);
    falco_json_key(w, "i");
    falco_json_i64_value(w, INT64_MIN);
    falco_json_key(w, "z");
    falco_json_i64_value(w, 0);
    falco_json_key(w, "a");
    falco_json_array_begin(w);
    falco_json_bool_value(w, true);
    falco_json_bool_value(w, false);
    falco_json_null_value(w);
    falco_json_array_begin(w);
    falco_json_array_end(w);
    falco_json_object_begin(w);
    falco_json_object_end(w);
    falco_json_array_end(w);
    falco_json_object_end(w);
    assert_false(falco_json_writer_failed(w));
    assert_null(falco_json_writer_error(w));
    assert_output("{\"s\":\"x\",\"n\":18446744073709551615,\"i\":-9223372036854775808,\"z\":0,"
                  "\"a\":[true,false,null,[],{}]}");
}

static void test_scalar_top_level(void **state)
{
    (void)state;
    assert_output(""); /* nothing written yet */
    falco_json_string_value(w, "only");
    assert_output("\"only\"");
}

static void test_escapes(void **state)
{
    (void)state;
    falco_json_array_begin(w);
    falco_json_string_value(w, "q\" b\\ \b\f\n\r\t \x01\x1f \x7f /");
    falco_json_string_len(w, "a\0b", 3);
    falco_json_string_value(w, "\xc3\xa9\xf0\x9f\x98\x80");   /* valid UTF-8 is kept */
    falco_json_string_value(w, "bad\xff\xc3(");                /* invalid bytes become U+FFFD */
    falco_json_array_end(w);
    assert_output("[\"q\\\" b\\\\ \\b\\f\\n\\r\\t \\u0001\\u001f \x7f /\",\"a\\u0000b\","
                  "\"\xc3\xa9\xf0\x9f\x98\x80\",\"bad\xef\xbf\xbd\xef\xbf\xbd(\"]");
}

static void test_long_string(void **state)
{
    (void)state;
    /* exercises the exact-size path for long strings */
    size_t n = 100000;
    char *s = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        s[i] = "a\"\n\xff"[i % 4];
    s[n] = '\0';
    falco_json_string_value(w, s);
    size_t len;
    const char *out = falco_json_writer_str(w, &len);
    assert_non_null(out);
    assert_int_equal(len, 2 + n / 4 * (1 + 2 + 2 + 3));
    falco_json_doc *doc = falco_json_doc_new();
    assert_non_null(falco_json_parse(doc, out, len, NULL));
    falco_json_doc_free(doc);
    free(s);
}

static void test_doubles(void **state)
{
    (void)state;
    static const struct {
        double v;
        const char *text;
    } cases[] = {
        { 0.1, "0.1" },
        { 1.5, "1.5" },
        { -2.0, "-2" },
        { 0.0, "0" },
        { -0.0, "-0" },
        { 1e300, "1e300" },
        { 1e-7, "1e-7" },
        { 123456.789, "123456.789" },
        { 1.0 / 3.0, "0.3333333333333333" },
        { 0.30000000000000004, "0.30000000000000004" },
        { 5e-324, "5e-324" },
        { 1.7976931348623157e308, "1.7976931348623157e308" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        falco_json_writer_reset(w);
        falco_json_double_value(w, cases[i].v);
        assert_output(cases[i].text);
    }
}

static void test_doubles_round_trip(void **state)
{
    (void)state;
    falco_json_doc *doc = falco_json_doc_new();
    uint64_t x = 0x9e3779b97f4a7c15u;
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift: arbitrary bit patterns */
        double v;
        memcpy(&v, &x, sizeof v);
        if (v != v || v - v != 0)
            continue; /* NaN, infinities */
        falco_json_writer_reset(w);
        falco_json_double_value(w, v);
        size_t len;
        const char *text = falco_json_writer_str(w, &len);
        assert_non_null(text);
        double back;
        assert_true(falco_json_double(falco_json_parse(doc, text, len, NULL), &back));
        if (memcmp(&back, &v, sizeof v) != 0)
            fail_msg("%s did not read back as the same double", text);
    }
    falco_json_doc_free(doc);
}

static void test_nan_inf_fail(void **state)
{
    (void)state;
    falco_json_array_begin(w);
    falco_json_double_value(w, 1.0 / 0.0 - 1.0 / 0.0);
    assert_misuse("NaN or infinity has no JSON form");
    falco_json_writer_reset(w);
    falco_json_double_value(w, -1.0 / 0.0);
    assert_misuse("NaN or infinity has no JSON form");
}

static void test_locale_independent(void **state)
{
    (void)state;
    /* a locale with ',' as decimal point must change neither output nor input */
    if (!setlocale(LC_NUMERIC, "de_DE.UTF-8") && !setlocale(LC_NUMERIC, "fr_FR.UTF-8"))
        skip();
    falco_json_double_value(w, 1.5);
    assert_output("1.5");
    falco_json_doc *doc = falco_json_doc_new();
    double d;
    assert_true(falco_json_double(falco_json_parse(doc, "0.30000000000000004", 19, NULL), &d));
    assert_true(d == 0.30000000000000004);
    falco_json_doc_free(doc);
    setlocale(LC_NUMERIC, "C");
}

static void test_misuse(void **state)
{
    (void)state;
    falco_json_object_begin(w);
    falco_json_u64_value(w, 1);
    assert_misuse("value where an object key is expected");
    /* the failure sticks: later valid calls change nothing */
    falco_json_object_end(w);
    assert_misuse("value where an object key is expected");

    falco_json_writer_reset(w);
    falco_json_key(w, "k");
    assert_misuse("key outside an object");

    falco_json_writer_reset(w);
    falco_json_array_begin(w);
    falco_json_key(w, "k");
    assert_misuse("key outside an object");

    falco_json_writer_reset(w);
    falco_json_object_begin(w);
    falco_json_key(w, "k");
    falco_json_key(w, "k2");
    assert_misuse("key where a value is expected");

    falco_json_writer_reset(w);
    falco_json_object_begin(w);
    falco_json_key(w, "k");
    falco_json_object_end(w);
    assert_misuse("object end after a key without its value");

    falco_json_writer_reset(w);
    falco_json_array_end(w);
    assert_misuse("array end without a matching begin");

    falco_json_writer_reset(w);
    falco_json_object_end(w);
    assert_misuse("object end without a matching begin");

    falco_json_writer_reset(w);
    falco_json_array_begin(w);
    falco_json_object_end(w);
    assert_misuse("object end inside an array");

    falco_json_writer_reset(w);
    falco_json_object_begin(w);
    falco_json_array_end(w);
    assert_misuse("array end inside an object");

    falco_json_writer_reset(w);
    falco_json_u64_value(w, 1);
    falco_json_u64_value(w, 2);
    assert_misuse("a second top-level value");

    falco_json_writer_reset(w);
    falco_json_string_value(w, NULL);
    assert_misuse("NULL string");

    falco_json_writer_reset(w);
    falco_json_object_begin(w);
    falco_json_key(w, NULL);
    assert_misuse("NULL key");

    falco_json_writer_reset(w);
    falco_json_write_value(w, NULL);
    assert_misuse("NULL value");
}

static void test_open_container_has_no_text(void **state)
{
    (void)state;
    falco_json_array_begin(w);
    falco_json_u64_value(w, 1);
    assert_false(falco_json_writer_failed(w));
    assert_null(falco_json_writer_str(w, NULL)); /* not a complete value yet */
    falco_json_array_end(w);
    assert_output("[1]");
}

static void test_reset_reuses(void **state)
{
    (void)state;
    falco_json_u64_value(w, 1);
    falco_json_u64_value(w, 2);
    assert_true(falco_json_writer_failed(w));
    falco_json_writer_reset(w);
    assert_false(falco_json_writer_failed(w));
    falco_json_bool_value(w, true);
    assert_output("true");
}

static void test_round_trip(void **state)
{
    (void)state;
    static const char *const docs[] = {
        ("{\"a\":[1,-2,3.50e+2,18446744073709551616,true,false,null],\"b\":{\"c\":\"\\u0000\\n\xc3\xa9\"},"
         "\"a\":{}}"),
        "[]",
        "\"s\"",
        "-0.0",
        "[[[[[[[[[[{\"k\":[]}]]]]]]]]]]",
    };
    falco_json_doc *doc = falco_json_doc_new(), *doc2 = falco_json_doc_new();
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        const falco_json_value *v = falco_json_parse(doc, docs[i], strlen(docs[i]), NULL);
        assert_non_null(v);
        falco_json_writer_reset(w);
        falco_json_write_value(w, v);
        size_t len;
        const char *text = falco_json_writer_str(w, &len);
        assert_non_null(text);
        /* compact input is reproduced byte for byte (numbers keep their text) */
        assert_string_equal(text, docs[i]);
        /* and writing the re-parsed text gives the same text again */
        char *copy = malloc(len + 1);
        memcpy(copy, text, len + 1);
        const falco_json_value *v2 = falco_json_parse(doc2, copy, len, NULL);
        assert_non_null(v2);
        falco_json_writer_reset(w);
        falco_json_write_value(w, v2);
        assert_output(copy);
        free(copy);
    }
    /* whitespace is dropped */
    const falco_json_value *v = falco_json_parse(doc, " { \"a\" : [ 1 , 2 ] } ", 21, NULL);
    falco_json_writer_reset(w);
    falco_json_write_value(w, v);
    assert_output("{\"a\":[1,2]}");
    /* a subtree inside a document being written */
    falco_json_writer_reset(w);
    falco_json_object_begin(w);
    falco_json_key(w, "copy");
    falco_json_write_value(w, falco_json_member(v, "a"));
    falco_json_object_end(w);
    assert_output("{\"copy\":[1,2]}");
    falco_json_doc_free(doc);
    falco_json_doc_free(doc2);
}

static void test_null_writer(void **state)
{
    (void)state;
    falco_json_object_begin(NULL);
    falco_json_key(NULL, "k");
    falco_json_u64_value(NULL, 1);
    falco_json_double_value(NULL, 1.0);
    falco_json_writer_reset(NULL);
    assert_true(falco_json_writer_failed(NULL));
    assert_null(falco_json_writer_str(NULL, NULL));
    falco_json_writer_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_document, reset),
        cmocka_unit_test_setup(test_scalar_top_level, reset),
        cmocka_unit_test_setup(test_escapes, reset),
        cmocka_unit_test_setup(test_long_string, reset),
        cmocka_unit_test_setup(test_doubles, reset),
        cmocka_unit_test_setup(test_doubles_round_trip, reset),
        cmocka_unit_test_setup(test_nan_inf_fail, reset),
        cmocka_unit_test_setup(test_locale_independent, reset),
        cmocka_unit_test_setup(test_misuse, reset),
        cmocka_unit_test_setup(test_open_container_has_no_text, reset),
        cmocka_unit_test_setup(test_reset_reuses, reset),
        cmocka_unit_test_setup(test_round_trip, reset),
        cmocka_unit_test_setup(test_null_writer, reset),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
