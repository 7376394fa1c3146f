/* `falcoplug run -o` against what real libsinsp prints for the same format
 * and events (each expected line below is plughost's output, see
 * tests/realhost): the format read as libsinsp's output formatter reads it,
 * and a failed extraction printed as no value, <NA>, with the plugin's
 * message on stderr once per distinct message and a count at the end, live,
 * over a capture, with --with and in the default field listing. */
#include "fp_test.h"

/* Runs `falcoplug ARGS` with the format in $FMT (so no quoting is needed:
 * ARGS say -o "$FMT"); stdout and stderr kept apart. */
static result run(const char *fmt, const char *args, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, args);
    int n = vsnprintf(cmd, sizeof cmd, args, ap);
    va_end(ap);
    assert_true(n > 0 && (size_t)n < sizeof cmd);
    assert_int_equal(setenv("FMT", fmt ? fmt : "", 1), 0);
    char full[4096 + 32];
    snprintf(full, sizeof full, "\"$FALCOPLUG\" %s", cmd);
    return run_split(full);
}

#define GEN "\"$GENERATOR_PLUGIN\""
#define FF "\"$FAILFIELDS_PLUGIN\""
#define HOSTILE "\"$HOSTILE_PLUGIN\""
/* values 1, 2, 3, ...: every other one odd */
#define COUNTING "--config '{\"start\":1,\"jitter\":1}'"

/* ---- 1: a failed extraction is no value ---------------------------------- */

static const char gen_divisible0[] = "1 <NA> 1\n2 <NA> 6\n3 <NA> 15\nEOF after 3 events\n";

static void test_failure_live(void **state)
{
    (void)state;
    result r = run("%gen.divisible[0] %gen.value", "run " GEN " --open 3 -o \"$FMT\"");
    assert_int_equal(r.code, 0);
    assert_string_equal(r.out, gen_divisible0);
    /* said once, then counted */
    assert_int_equal(count_of(r.err, "divisor must not be 0"), 1);
    assert_has(r.err, "falcoplug run: plugin 'generator': extract_fields: failed with FAILURE: field "
                      "'gen.divisible': divisor must not be 0");
    assert_has(r.err, "falcoplug run: 3 field extractions failed and printed no value (1 distinct message");
    result_free(&r);
}

static void test_failure_capture(void **state)
{
    (void)state;
    char path[1024];
    temp_path(path, sizeof path, "run_format", "scap");
    result r = run(NULL, "run " GEN " --open 3 -w '%s'", path);
    assert_int_equal(r.code, 0);
    result_free(&r);
    r = run("%gen.divisible[0] %gen.value", "run " GEN " --capture '%s' -o \"$FMT\"", path);
    assert_int_equal(r.code, 0);
    assert_string_equal(r.out, gen_divisible0);
    assert_int_equal(count_of(r.err, "divisor must not be 0"), 1);
    assert_has(r.err, "3 field extractions failed");
    result_free(&r);
    /* the session's capture path, with an extractor beside the source */
    r = run("%ff.fixed %gen.value", "run " GEN " --capture '%s' --with " FF " -o \"$FMT\"", path);
    assert_int_equal(r.code, 0);
    assert_string_equal(r.out, "1 <NA> 1\n2 <NA> 6\n3 <NA> 15\nEOF after 3 events\n");
    assert_int_equal(count_of(r.err, "this field always fails"), 1);
    result_free(&r);
    unlink(path);
}

static void test_failure_with(void **state)
{
    (void)state;
    result r = run("%ff.value %ff.half %ff.fixed|", "run " GEN " " COUNTING " --with " FF " --open 4 -o \"$FMT\"");
    assert_int_equal(r.code, 0);
    assert_string_equal(r.out, "1 1 <NA> <NA>|\n2 2 1 <NA>|\n3 3 <NA> <NA>|\n4 4 2 <NA>|\nEOF after 4 events\n");
    assert_int_equal(count_of(r.err, "this field always fails"), 1);
    assert_int_equal(count_of(r.err, "value 1 is odd"), 1);
    assert_int_equal(count_of(r.err, "value 3 is odd"), 1);
    assert_has(r.err, "6 field extractions failed and printed no value (3 distinct messages shown above)");
    result_free(&r);
}

/* Without -o: a field whose extraction failed is left out, like one that
 * has no value. */
static void test_failure_default_listing(void **state)
{
    (void)state;
    result r = run(NULL, "run " GEN " " COUNTING " --with " FF " --open 4");
    assert_int_equal(r.code, 0);
    assert_has(r.out, " | ff.value=1\n");
    assert_has(r.out, " | ff.value=2 ff.half=1\n");
    assert_has(r.out, " | ff.value=3\n");
    assert_has(r.out, " | ff.value=4 ff.half=2\n");
    assert_has(r.out, "EOF after 4 events\n");
    assert_int_equal(count_of(r.err, "this field always fails"), 1);
    assert_has(r.err, "6 field extractions failed");
    result_free(&r);
}

/* A message naming the value is distinct on every event: the first ten
 * are shown, the rest counted. */
static void test_failure_no_flood(void **state)
{
    (void)state;
    result r = run("%ff.half", "run " GEN " " COUNTING " --with " FF " --open 40 -o \"$FMT\"");
    assert_int_equal(r.code, 0);
    assert_has(r.out, "1 <NA>\n2 1\n3 <NA>\n4 2\n");
    assert_has(r.out, "EOF after 40 events\n");
    assert_int_equal(count_of(r.err, " is odd (printed as no value"), 10);
    assert_has(r.err, "20 field extractions failed and printed no value (10 distinct messages shown above; "
                      "others not shown)");
    result_free(&r);
}

/* ---- 2: the format, read as libsinsp reads it ------------------------------ */

static void test_format_text_after_field(void **state)
{
    (void)state;
    /* a field that takes no argument, then "[1]": the field, then the text */
    result r = run("%gen.value[1] %gen.step", "run " GEN " --open 3 -o \"$FMT\"");
    assert_int_equal(r.code, 0);
    assert_string_equal(r.out, "1 1[1] 0\n2 6[1] 5\n3 15[1] 9\nEOF after 3 events\n");
    assert_string_equal(r.err, "");
    result_free(&r);
    /* the longest field name, then text; one argument, then text */
    r = run("%gen.valuex|%gen.value.x|%gen.divisible[1][2]|%gen.divisible[1]]|%gen.value_1",
            "run " GEN " --open 3 -o \"$FMT\"");
    assert_int_equal(r.code, 0);
    assert_string_equal(r.out, "1 1x|1.x|true[2]|true]|1_1\n2 6x|6.x|true[2]|true]|6_1\n"
                               "3 15x|15.x|true[2]|true]|15_1\nEOF after 3 events\n");
    result_free(&r);
}

static void test_format_width(void **state)
{
    (void)state;
    result r = run("%5gen.value|%2gen.strvalue|%0gen.value|%1gen.divisible[0]|%6gen.divisible[0]|",
                   "run " GEN " --open 3 -o \"$FMT\"");
    assert_int_equal(r.code, 0);
    assert_string_equal(r.out, "1 1    |1 |1|<|<NA>  |\n2 6    |6 |6|<|<NA>  |\n3 15   |15|15|<|<NA>  |\n"
                               "EOF after 3 events\n");
    result_free(&r);
}

static void test_format_quoted_arguments(void **state)
{
    (void)state;
    result r = run("<%hostile.key[\"x\"]]><%hostile.key['it\\'s']><%3hostile.key[abcdef]><%hostile.key[\"a\\\"b\"]>"
                   "<%hostile.key[\"a[b\"]><%hostile.key[a/b:c]>",
                   "run " HOSTILE " --open 1 -o \"$FMT\"");
    assert_int_equal(r.code, 0);
    assert_string_equal(r.out, "1 <x]><it's><abc><a\"b><a[b><a/b:c>\nEOF after 1 events\n");
    result_free(&r);
}

/* Formats libsinsp refuses ("unknown filter" or "invalid formatting
 * syntax"): falcoplug refuses them too, saying why. */
static void test_format_refused(void **state)
{
    (void)state;
    static const struct {
        const char *fmt, *why;
    } bad[] = {
        { "%gen.value %", "the format cannot end with a '%'" },
        { "50% x", "'%' must be followed by a field name" },
        { "%%gen.value", "'%' must be followed by a field name" },
        { "%5", "the format cannot end with a number after '%'" },
        { "%gen.nope", "no field named 'gen.nope'" },
        { "%gen.divisible", "gen.divisible requires an argument" },
        { "%gen.divisible[1", "field 'gen.divisible': unbalanced argument brackets" },
        { "%gen.divisible[01]", "invalid index argument starting with 0: '01'" },
        { "%gen.divisible[]", "field 'gen.divisible': expected an argument" },
        { "%gen.divisible[\"\"]", "field 'gen.divisible': empty argument" },
        { "%gen.divisible[\"1]", "unterminated quoted argument" },
        { "%gen.divisible['\\\"1']", "invalid \\\" escape in a '-quoted argument" },
        { "%gen.divisible[\"\\q\"]", "unsupported escape sequence in the argument: \\q" },
        { "%tolower(gen.strvalue)", "field transformers are not supported" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        result r = run(bad[i].fmt, "run " GEN " --open 3 -o \"$FMT\"");
        if (r.code != 1 || r.out[0] || !strstr(r.err, bad[i].why))
            fail_msg("-o '%s': exit %d, want 1, no output and \"%s\"; stdout:\n%s\nstderr:\n%s", bad[i].fmt, r.code,
                     bad[i].why, r.out, r.err);
        result_free(&r);
    }
    result r = run("%hostile.key[\"a b\"]", "run " HOSTILE " --open 1 -o \"$FMT\"");
    assert_int_equal(r.code, 1);
    assert_has(r.err, "an argument with a space");
    result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_failure_live),
        cmocka_unit_test(test_failure_capture),
        cmocka_unit_test(test_failure_with),
        cmocka_unit_test(test_failure_default_listing),
        cmocka_unit_test(test_failure_no_flood),
        cmocka_unit_test(test_format_text_after_field),
        cmocka_unit_test(test_format_width),
        cmocka_unit_test(test_format_quoted_arguments),
        cmocka_unit_test(test_format_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
