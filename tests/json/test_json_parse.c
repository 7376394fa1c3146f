/* Parser: values, accessors, escapes, UTF-8, integers, depth, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <falco/json.h>

static falco_json_doc *doc;
static falco_json_error err;

static int setup(void **state)
{
    (void)state;
    doc = falco_json_doc_new();
    return doc ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    falco_json_doc_free(doc);
    return 0;
}

static const falco_json_value *parse(const char *text)
{
    return falco_json_parse(doc, text, strlen(text), &err);
}

/* Asserts text fails at line:column with exactly message. */
static void assert_error(const char *text, size_t len, unsigned line, unsigned column, const char *message)
{
    const falco_json_value *v = falco_json_parse(doc, text, len, &err);
    assert_null(v);
    assert_string_equal(err.message, message);
    assert_int_equal(err.line, line);
    assert_int_equal(err.column, column);
}

static void test_scalars(void **state)
{
    (void)state;
    bool b = false;
    assert_true(falco_json_bool(parse(" true "), &b));
    assert_true(b);
    assert_true(falco_json_bool(parse("false"), &b));
    assert_false(b);
    assert_int_equal(falco_json_type_of(parse("null")), FALCO_JSON_NULL);
    assert_non_null(parse("null"));
    const falco_json_value *s = parse("\"hi\"");
    size_t len = 0;
    assert_string_equal(falco_json_string(s, &len), "hi");
    assert_int_equal(len, 2);
    /* wrong-type accessors fail instead of guessing */
    assert_false(falco_json_bool(s, &b));
    assert_null(falco_json_number_text(s, NULL));
    int64_t i;
    assert_false(falco_json_i64(s, &i));
    assert_int_equal(falco_json_size(s), 0);
    assert_null(falco_json_at(s, 0));
}

static void test_type_names(void **state)
{
    (void)state;
    assert_string_equal(falco_json_type_name(FALCO_JSON_NULL), "null");
    assert_string_equal(falco_json_type_name(FALCO_JSON_BOOL), "boolean");
    assert_string_equal(falco_json_type_name(FALCO_JSON_NUMBER), "number");
    assert_string_equal(falco_json_type_name(FALCO_JSON_STRING), "string");
    assert_string_equal(falco_json_type_name(FALCO_JSON_ARRAY), "array");
    assert_string_equal(falco_json_type_name(FALCO_JSON_OBJECT), "object");
    assert_string_equal(falco_json_type_name((falco_json_type)99), "unknown");
}

static void test_containers(void **state)
{
    (void)state;
    const falco_json_value *r = parse("{\"a\":[1,[2,3],{}],\"b\":{\"c\":\"d\"},\"e\":[]}");
    assert_non_null(r);
    assert_int_equal(falco_json_type_of(r), FALCO_JSON_OBJECT);
    assert_int_equal(falco_json_size(r), 3);
    size_t len;
    assert_string_equal(falco_json_key_at(r, 0, &len), "a");
    assert_int_equal(len, 1);
    assert_string_equal(falco_json_key_at(r, 2, NULL), "e");
    assert_null(falco_json_key_at(r, 3, NULL));
    const falco_json_value *a = falco_json_member(r, "a");
    assert_int_equal(falco_json_size(a), 3);
    assert_int_equal(falco_json_size(falco_json_at(a, 1)), 2);
    uint64_t u;
    assert_true(falco_json_u64(falco_json_at(falco_json_at(a, 1), 1), &u));
    assert_int_equal(u, 3);
    assert_int_equal(falco_json_type_of(falco_json_at(a, 2)), FALCO_JSON_OBJECT);
    assert_int_equal(falco_json_size(falco_json_at(a, 2)), 0);
    assert_null(falco_json_at(a, 3));
    assert_string_equal(falco_json_string(falco_json_member(falco_json_member(r, "b"), "c"), NULL), "d");
    assert_int_equal(falco_json_size(falco_json_member(r, "e")), 0);
    assert_null(falco_json_member(r, "zz"));
    assert_null(falco_json_member(a, "a")); /* not an object */
    assert_null(falco_json_key_at(a, 0, NULL));
}

static void test_duplicate_keys_last_wins(void **state)
{
    (void)state;
    const falco_json_value *r = parse("{\"k\":1,\"x\":0,\"k\":2}");
    assert_non_null(r);
    assert_int_equal(falco_json_size(r), 3);
    uint64_t u;
    assert_true(falco_json_u64(falco_json_member(r, "k"), &u));
    assert_int_equal(u, 2);
    assert_true(falco_json_u64(falco_json_at(r, 0), &u));
    assert_int_equal(u, 1);
}

static void test_escapes(void **state)
{
    (void)state;
    const falco_json_value *s = parse("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0041\\u00e9\\u20ac\\ud83d\\ude00\"");
    size_t len;
    const char *str = falco_json_string(s, &len);
    static const char want[] = "\" \\ / \b \f \n \r \t A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";
    assert_int_equal(len, sizeof want - 1);
    assert_memory_equal(str, want, len);
    /* upper-case hex too */
    assert_string_equal(falco_json_string(parse("\"\\u00E9\""), NULL), "\xc3\xa9");
}

static void test_embedded_nul(void **state)
{
    (void)state;
    const falco_json_value *s = parse("\"a\\u0000b\"");
    size_t len;
    const char *str = falco_json_string(s, &len);
    assert_int_equal(len, 3);
    assert_memory_equal(str, "a\0b", 4); /* includes the terminator */
    /* keys keep their NULs too, and lookups by length find them */
    const falco_json_value *o = parse("{\"k\\u0000x\":1,\"k\":2}");
    assert_string_equal(falco_json_key_at(o, 0, &len), "k");
    assert_int_equal(len, 3);
    uint64_t u;
    assert_true(falco_json_u64(falco_json_member_len(o, "k\0x", 3), &u));
    assert_int_equal(u, 1);
    assert_true(falco_json_u64(falco_json_member(o, "k"), &u));
    assert_int_equal(u, 2);
    /* a raw NUL byte in the text is a control character */
    assert_error("\"a\0b\"", 5, 1, 3, "control character 0x00 in string must be escaped");
}

static void test_utf8(void **state)
{
    (void)state;
    /* 2, 3, 4 byte sequences and the extremes are valid */
    const char *ok = "\"\xc2\x80 \xdf\xbf \xe0\xa0\x80 \xed\x9f\xbf \xee\x80\x80 \xf0\x90\x80\x80 \xf4\x8f\xbf\xbf\"";
    size_t len;
    const char *str = falco_json_string(parse(ok), &len);
    assert_non_null(str);
    assert_int_equal(len, strlen(ok) - 2);
    assert_memory_equal(str, ok + 1, len);
    assert_error("\"\xc0\xaf\"", 4, 1, 2, "invalid UTF-8 byte 0xc0 in string");          /* overlong */
    assert_error("\"\xe0\x80\xaf\"", 5, 1, 2, "invalid UTF-8 byte 0xe0 in string");      /* overlong */
    assert_error("\"\xed\xa0\x80\"", 5, 1, 2, "invalid UTF-8 byte 0xed in string");      /* surrogate */
    assert_error("\"\xf4\x90\x80\x80\"", 6, 1, 2, "invalid UTF-8 byte 0xf4 in string");  /* > U+10FFFF */
    assert_error("\"\xf5\x80\x80\x80\"", 6, 1, 2, "invalid UTF-8 byte 0xf5 in string");
    assert_error("\"ab\x80\"", 5, 1, 4, "invalid UTF-8 byte 0x80 in string");            /* lone continuation */
    assert_error("\"\xe2\x82\"", 4, 1, 2, "invalid UTF-8 byte 0xe2 in string");          /* truncated */
    assert_error("\"\xe2\x82", 3, 1, 2, "invalid UTF-8 byte 0xe2 in string");            /* truncated at end */
    assert_error("\"\xc3\x28\"", 4, 1, 2, "invalid UTF-8 byte 0xc3 in string");
}

static void test_bad_escapes(void **state)
{
    (void)state;
    assert_error("\"\\x\"", 4, 1, 2, "invalid escape: backslash followed by 'x'");
    assert_error("\"\\u12\"", 6, 1, 2, "truncated \\u escape");
    assert_error("\"\\u12g4\"", 8, 1, 2, "\\u must be followed by 4 hex digits");
    assert_error("\"\\ud800\"", 8, 1, 2, "unpaired high surrogate \\ud800");
    assert_error("\"\\ud800\\u0041\"", 14, 1, 2, "high surrogate \\ud800 not followed by a low surrogate");
    assert_error("\"\\udc00\"", 8, 1, 2, "unpaired low surrogate \\udc00");
    assert_error("\"abc\\", 5, 1, 1, "unterminated string");
    assert_error("\"abc", 4, 1, 1, "unterminated string");
    assert_error("\"a\tb\"", 5, 1, 3, "control character 0x09 in string must be escaped");
}

static void test_integers(void **state)
{
    (void)state;
    int64_t i;
    uint64_t u;
    double d;
    assert_true(falco_json_i64(parse("9223372036854775807"), &i));
    assert_true(i == INT64_MAX);
    assert_true(falco_json_i64(parse("-9223372036854775808"), &i));
    assert_true(i == INT64_MIN);
    assert_false(falco_json_i64(parse("9223372036854775808"), &i));
    assert_false(falco_json_i64(parse("-9223372036854775809"), &i));
    assert_true(falco_json_u64(parse("18446744073709551615"), &u));
    assert_true(u == UINT64_MAX);
    assert_true(falco_json_u64(parse("9223372036854775808"), &u));
    assert_true(u == UINT64_C(9223372036854775808));
    /* beyond uint64: only a double */
    const falco_json_value *big = parse("18446744073709551616");
    assert_false(falco_json_u64(big, &u));
    assert_false(falco_json_i64(big, &i));
    assert_true(falco_json_double(big, &d));
    assert_true(d == 18446744073709551616.0);
    assert_false(falco_json_u64(parse("-1"), &u));
    assert_true(falco_json_i64(parse("-1"), &i));
    assert_int_equal(i, -1);
    assert_true(falco_json_u64(parse("-0"), &u));
    assert_int_equal(u, 0);
    assert_true(falco_json_i64(parse("0"), &i));
    assert_int_equal(i, 0);
    /* 2^53 + 1 stays exact as an integer */
    assert_true(falco_json_u64(parse("9007199254740993"), &u));
    assert_true(u == UINT64_C(9007199254740993));
}

static void test_fractions_and_exponents(void **state)
{
    (void)state;
    int64_t i;
    double d;
    const falco_json_value *v = parse("1.0");
    assert_false(falco_json_i64(v, &i)); /* a fraction is not an integer, even .0 */
    assert_true(falco_json_double(v, &d));
    assert_true(d == 1.0);
    assert_false(falco_json_i64(parse("1e2"), &i));
    assert_true(falco_json_double(parse("1e2"), &d));
    assert_true(d == 100.0);
    assert_true(falco_json_double(parse("-12.5E-1"), &d));
    assert_true(d == -1.25);
    assert_true(falco_json_double(parse("0.1"), &d));
    assert_true(d == 0.1);
    assert_true(falco_json_double(parse("1.7976931348623157e308"), &d));
    assert_true(d == 1.7976931348623157e308);
    assert_true(falco_json_double(parse("5e-324"), &d));
    assert_true(d == 5e-324);
    assert_true(falco_json_double(parse("0.30000000000000004"), &d));
    assert_true(d == 0.30000000000000004);
    assert_true(falco_json_double(parse("123456789012345678901234567890"), &d));
    assert_true(d == 123456789012345678901234567890.0);
    assert_true(falco_json_double(parse("1e400"), &d));
    assert_true(d > 1.7976931348623157e308); /* overflow: HUGE_VAL */
    size_t len;
    assert_string_equal(falco_json_number_text(parse(" -0.50e+01 "), &len), "-0.50e+01");
    assert_int_equal(len, 9);
}

static void test_bad_numbers(void **state)
{
    (void)state;
    assert_error("01", 2, 1, 1, "invalid number: leading zero");
    assert_error("-", 1, 1, 2, "invalid number: expected a digit, got end of input");
    assert_error("-a", 2, 1, 2, "invalid number: expected a digit, got 'a'");
    assert_error("1.", 2, 1, 3, "invalid number: expected a digit after '.'");
    assert_error("1.e5", 4, 1, 3, "invalid number: expected a digit after '.'");
    assert_error("1e", 2, 1, 3, "invalid number: expected a digit in the exponent");
    assert_error("1e+", 3, 1, 4, "invalid number: expected a digit in the exponent");
    assert_error("+1", 2, 1, 1, "expected a JSON value, got '+'");
    assert_error(".5", 2, 1, 1, "expected a JSON value, got '.'");
    assert_error("[1 2]", 5, 1, 4, "expected ',' or ']' after array item, got '2'");
}

static void test_structure_errors(void **state)
{
    (void)state;
    assert_error("", 0, 1, 1, "empty input, expected a JSON value");
    assert_error(" \n\t ", 4, 2, 3, "empty input, expected a JSON value");
    assert_error("{\"a\":1 \"b\":2}", 13, 1, 8, "expected ',' or '}' after object member, got '\"'");
    assert_error("{\n  \"a\" 1}", 10, 2, 7, "expected ':' after object key, got '1'");
    assert_error("{\"a\":1,}", 8, 1, 8, "expected a string key, got '}'");
    assert_error("{1:2}", 5, 1, 2, "expected a string key, got '1'");
    assert_error("[1,]", 4, 1, 4, "expected a JSON value, got ']'");
    assert_error("[", 1, 1, 2, "unexpected end of input, expected a JSON value");
    assert_error("[1", 2, 1, 3, "expected ',' or ']' after array item, got end of input");
    assert_error("{\"a\":", 5, 1, 6, "unexpected end of input, expected a JSON value");
    assert_error("{", 1, 1, 2, "expected a string key, got end of input");
    assert_error("tru", 3, 1, 1, "invalid literal, expected 'true'");
    assert_error("nul", 3, 1, 1, "invalid literal, expected 'null'");
    assert_error("fals", 4, 1, 1, "invalid literal, expected 'false'");
    assert_error("xyz", 3, 1, 1, "expected a JSON value, got 'x'");
    assert_error("\x01", 1, 1, 1, "expected a JSON value, got byte 0x01");
    assert_error("truex", 5, 1, 5, "unexpected 'x' after the JSON value");
    assert_error("{} {}", 5, 1, 4, "unexpected '{' after the JSON value");
    assert_error("1\n\n  2", 6, 3, 3, "unexpected '2' after the JSON value");
    assert_int_equal(err.offset, 5);
}

static void test_length_bounds_respected(void **state)
{
    (void)state;
    /* the text is not NUL-terminated where len says it ends */
    const char text[] = "[1,2]garbage";
    const falco_json_value *v = falco_json_parse(doc, text, 5, &err);
    assert_non_null(v);
    assert_int_equal(falco_json_size(v), 2);
    assert_null(falco_json_parse(doc, text, 4, &err));
    /* NULL text is empty input, NULL err is allowed */
    assert_null(falco_json_parse(doc, NULL, 0, NULL));
    assert_null(falco_json_parse(NULL, "1", 1, &err));
    assert_string_equal(err.message, "no document to parse into");
}

static char *nested(size_t depth, char open, char close)
{
    char *s = malloc(depth * 2 + 1);
    memset(s, open, depth);
    memset(s + depth, close, depth);
    s[depth * 2] = '\0';
    return s;
}

static void test_depth_limit(void **state)
{
    (void)state;
    char *ok = nested(FALCO_JSON_MAX_DEPTH, '[', ']');
    const falco_json_value *v = parse(ok);
    assert_non_null(v);
    for (int i = 0; i < FALCO_JSON_MAX_DEPTH - 1; i++)
        v = falco_json_at(v, 0);
    assert_int_equal(falco_json_type_of(v), FALCO_JSON_ARRAY);
    assert_int_equal(falco_json_size(v), 0);
    char *deep = nested(FALCO_JSON_MAX_DEPTH + 1, '[', ']');
    assert_error(deep, strlen(deep), 1, FALCO_JSON_MAX_DEPTH + 1, "nesting deeper than 128");
    /* a very deep input fails fast without exhausting the C stack */
    char *huge = nested(100000, '[', ']');
    assert_null(parse(huge));
    assert_string_equal(err.message, "nesting deeper than 128");
    free(ok);
    free(deep);
    free(huge);
    char objs[2 * 129 * 5 + 1] = "";
    for (int i = 0; i < 129; i++)
        strcat(objs, "{\"a\":");
    assert_null(parse(objs));
    assert_string_equal(err.message, "nesting deeper than 128");
}

static void test_doc_reuse(void **state)
{
    (void)state;
    /* a value from a later parse does not depend on the earlier text */
    char text[64];
    for (int round = 0; round < 100; round++) {
        int n = snprintf(text, sizeof text, "{\"n\":%d,\"s\":\"v%d\",\"a\":[%d]}", round, round, round);
        const falco_json_value *v = falco_json_parse(doc, text, (size_t)n, &err);
        assert_non_null(v);
        memset(text, 'x', sizeof text); /* the doc holds its own copies */
        int64_t i;
        assert_true(falco_json_i64(falco_json_member(v, "n"), &i));
        assert_int_equal(i, round);
        char want[16];
        snprintf(want, sizeof want, "v%d", round);
        assert_string_equal(falco_json_string(falco_json_member(v, "s"), NULL), want);
        assert_true(falco_json_i64(falco_json_at(falco_json_member(v, "a"), 0), &i));
        assert_int_equal(i, round);
    }
    /* a failed parse after a good one leaves a usable doc */
    assert_null(parse("[1,"));
    assert_non_null(parse("[1]"));
}

static void test_null_safety(void **state)
{
    (void)state;
    assert_int_equal(falco_json_type_of(NULL), FALCO_JSON_NULL);
    assert_false(falco_json_bool(NULL, NULL));
    assert_false(falco_json_double(NULL, NULL));
    assert_null(falco_json_string(NULL, NULL));
    assert_int_equal(falco_json_size(NULL), 0);
    assert_null(falco_json_member(NULL, "a"));
    assert_null(falco_json_member(parse("{}"), NULL));
    falco_json_doc_free(NULL);
}

static void test_many_values(void **state)
{
    (void)state;
    /* growth of every internal array, and children in order */
    size_t n = 20000;
    char *text = malloc(n * 8 + 3);
    size_t o = 0;
    text[o++] = '[';
    for (size_t i = 0; i < n; i++)
        o += (size_t)sprintf(text + o, "%s[%zu]", i ? "," : "", i);
    text[o++] = ']';
    const falco_json_value *v = falco_json_parse(doc, text, o, &err);
    assert_non_null(v);
    assert_int_equal(falco_json_size(v), n);
    for (size_t i = 0; i < n; i += 997) {
        uint64_t u;
        assert_true(falco_json_u64(falco_json_at(falco_json_at(v, i), 0), &u));
        assert_int_equal(u, i);
    }
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scalars),
        cmocka_unit_test(test_type_names),
        cmocka_unit_test(test_containers),
        cmocka_unit_test(test_duplicate_keys_last_wins),
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_embedded_nul),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_bad_escapes),
        cmocka_unit_test(test_integers),
        cmocka_unit_test(test_fractions_and_exponents),
        cmocka_unit_test(test_bad_numbers),
        cmocka_unit_test(test_structure_errors),
        cmocka_unit_test(test_length_bounds_respected),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_doc_reuse),
        cmocka_unit_test(test_null_safety),
        cmocka_unit_test(test_many_values),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
