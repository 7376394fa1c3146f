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

/* ---- 3: field transformers -------------------------------------------------
 * Each expected text is what plughost (real libsinsp) printed for
 * `-o '*%evt.num FORMAT'` over the xform test plugin's 6 events (rows
 * "Hello/World", "/usr/BIN/Bash.SH", "aGVsbG8gd29ybGQ=", "", "trail/",
 * "QQBC"; xf.odd on odd events only; xf.fail always fails):
 * scripts/realhost-test runs the same formats through both hosts. */

#define XFORM "\"$XFORM_PLUGIN\""

static const struct {
    const char *fmt, *want;
} xform_cases[] = {
        { "%toupper(xf.str)|%tolower(xf.str)|%basename(xf.str)|%b64(xf.str)|%len(xf.str)",
          "1 HELLO/WORLD|hello/world|World|<NA>|11\n2 /USR/BIN/BASH.SH|/usr/bin/bash.sh|Bash.SH|<NA>|16\n3 AGVSBG8GD29YBGQ=|agvsbg8gd29ybgq=|aGVsbG8gd29ybGQ=|hello world|16\n4 ||||0\n5 TRAIL/|trail/||<NA>|6\n6 QQBC|qqbc|QQBC|A|4\n" },
        { "%toupper(xf.words)|%basename(xf.words)|%b64(xf.words)|%len(xf.words)|%len(xf.nums)",
          "1 (HELLO,WORLD)|(Hello,World)|<NA>|2|1\n2 (USR,BIN,BASH.SH)|(usr,BIN,Bash.SH)|<NA>|3|2\n3 (AGVSBG8GD29YBGQ=)|(aGVsbG8gd29ybGQ=)|(hello world)|1|3\n4 <NA>|<NA>|<NA>|<NA>|<NA>\n5 (TRAIL)|(trail)|<NA>|1|1\n6 (QQBC)|(QQBC)|(A)|1|2\n" },
        { "%toupper(xf.odd)|%len(xf.odd)|%len(xf.fail)|%toupper(xf.fail)",
          "1 HELLO/WORLD|11|<NA>|<NA>\n2 <NA>|<NA>|<NA>|<NA>\n3 AGVSBG8GD29YBGQ=|16|<NA>|<NA>\n4 <NA>|<NA>|<NA>|<NA>\n5 TRAIL/|6|<NA>|<NA>\n6 <NA>|<NA>|<NA>|<NA>\n" },
        { "%len(toupper(xf.str))|%len(b64(xf.str))|%len(basename(xf.str))|%tolower(toupper(b64(xf.str)))",
          "1 11|<NA>|5|<NA>\n2 16|<NA>|7|<NA>\n3 16|11|16|hello world\n4 0|0|0|\n5 6|<NA>|0|<NA>\n6 4|1|4|a\n" },
        { "%toupper(xf.key[aBc])|%len(xf.key[\"a/b\"])|%basename(xf.key[a/b])",
          "1 ABC|3|b\n2 ABC|3|b\n3 ABC|3|b\n4 ABC|3|b\n5 ABC|3|b\n6 ABC|3|b\n" },
        { "%join(\",\",xf.words)|%concat(xf.str,\"-\",xf.odd)|%toupper(join(\"-\",xf.words))|%join(xf.str,(\"a\",\"b\"))",
          "1 Hello,World|Hello/World-Hello/World|HELLO-WORLD|aHello/Worldb\n2 usr,BIN,Bash.SH|<NA>|USR-BIN-BASH.SH|a/usr/BIN/Bash.SHb\n3 aGVsbG8gd29ybGQ=|aGVsbG8gd29ybGQ=-aGVsbG8gd29ybGQ=|AGVSBG8GD29YBGQ=|aaGVsbG8gd29ybGQ=b\n4 <NA>|<NA>|<NA>|ab\n5 trail|trail/-trail/|TRAIL|atrail/b\n6 QQBC|<NA>|QQBC|aQQBCb\n" },
        { "%len(toupper(\"abc\"))|%len((\"a\",xf.str))|%len(join(\",\",xf.words))|%len(getopt(xf.words,\"a\"))|%len(toupper(xf.words))",
          "1 <NA>|<NA>|<NA>|<NA>|2\n2 <NA>|<NA>|<NA>|<NA>|3\n3 <NA>|<NA>|<NA>|<NA>|1\n4 <NA>|<NA>|<NA>|<NA>|<NA>\n5 <NA>|<NA>|<NA>|<NA>|1\n6 <NA>|<NA>|<NA>|<NA>|1\n" },
        { "%toupper((\"a\",xf.words))|%toupper((xf.odd,\"b\"))|%toupper(())|%join(\"-\",())",
          "1 (A,HELLO,WORLD)|(HELLO/WORLD,B)|()|\n2 (A,USR,BIN,BASH.SH)|<NA>|()|\n3 (A,AGVSBG8GD29YBGQ=)|(AGVSBG8GD29YBGQ=,B)|()|\n4 <NA>|<NA>|()|\n5 (A,TRAIL)|(TRAIL/,B)|()|\n6 (A,QQBC)|<NA>|()|\n" },
        { "%getopt((\"-ab\",\"-c\",xf.str,\"x\"),\"ac:\")|%getopt((\"-c1\",\"-c2\"),\"c:\")[c]|%getopt((\"-c1\"),\"c:\")[d]|%getopt((\"-a\"),\"a\")[ab]|%getopt((\"-a\",\"-x\"),\"ax:\")|%getopt((\"--\",\"-a\"),\"a\")|%getopt((\"--long\",\"-a\",\"-q\"),\":a\")",
          "1 (a,?,c,Hello/World)|2|<NA>|(a)[ab]|(a,)|()|(a,?)\n2 (a,?,c,/usr/BIN/Bash.SH)|2|<NA>|(a)[ab]|(a,)|()|(a,?)\n3 (a,?,c,aGVsbG8gd29ybGQ=)|2|<NA>|(a)[ab]|(a,)|()|(a,?)\n4 (a,?,c,)|2|<NA>|(a)[ab]|(a,)|()|(a,?)\n5 (a,?,c,trail/)|2|<NA>|(a)[ab]|(a,)|()|(a,?)\n6 (a,?,c,QQBC)|2|<NA>|(a)[ab]|(a,)|()|(a,?)\n" },
        { "%b64(\"aGVsbG8=\")|%b64(\"aGVsbG8\")|%b64(\"aGVsbG\")|%b64(\"QQ==\")|%b64(\"QR\")|%b64(\"=\")|%b64(\"a=b=\")|%len(\"\")",
          "1 hello|hello|<NA>|A|<NA>|<NA>|<NA>|<NA>\n2 hello|hello|<NA>|A|<NA>|<NA>|<NA>|<NA>\n3 hello|hello|<NA>|A|<NA>|<NA>|<NA>|<NA>\n4 hello|hello|<NA>|A|<NA>|<NA>|<NA>|<NA>\n5 hello|hello|<NA>|A|<NA>|<NA>|<NA>|<NA>\n6 hello|hello|<NA>|A|<NA>|<NA>|<NA>|<NA>\n" },
        { "%toupper( xf.str )x|%toupper(1.5e+3)|%toupper(0X1f)|%concat(+12,\"a\")|%toupper(xf.str)[x]|%5toupper(xf.odd)|%3len(xf.words)|",
          "1 HELLO/WORLDx|1.5E+3|0X1F|+12a|HELLO/WORLD[x]|HELLO|2  |\n2 /USR/BIN/BASH.SHx|1.5E+3|0X1F|+12a|/USR/BIN/BASH.SH[x]|<NA> |3  |\n3 AGVSBG8GD29YBGQ=x|1.5E+3|0X1F|+12a|AGVSBG8GD29YBGQ=[x]|AGVSB|1  |\n4 x|1.5E+3|0X1F|+12a|[x]|<NA> |<NA|\n5 TRAIL/x|1.5E+3|0X1F|+12a|TRAIL/[x]|TRAIL|1  |\n6 QQBCx|1.5E+3|0X1F|+12a|QQBC[x]|<NA> |1  |\n" },
};

static void test_transformer_values(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof xform_cases / sizeof xform_cases[0]; i++) {
        result r = run(xform_cases[i].fmt, "run " XFORM " --open 6 -o \"$FMT\"");
        char want[4096];
        snprintf(want, sizeof want, "%sEOF after 6 events\n", xform_cases[i].want);
        if (r.code != 0 || strcmp(r.out, want) != 0)
            fail_msg("-o '%s': exit %d; want:\n%s\ngot:\n%s\nstderr:\n%s", xform_cases[i].fmt, r.code, want, r.out,
                     r.err);
        result_free(&r);
    }
}

/* The same transformers over a capture and with --with (the session's
 * resolution of fields across plugins). */
static void test_transformer_capture_and_with(void **state)
{
    (void)state;
    char path[1024];
    temp_path(path, sizeof path, "run_xform", "scap");
    result r = run(NULL, "run " XFORM " --open 3 -w '%s'", path);
    assert_int_equal(r.code, 0);
    result_free(&r);
    static const char want[] = "1 HELLO/WORLD|2|Hello,World\n2 /USR/BIN/BASH.SH|3|usr,BIN,Bash.SH\n"
                               "3 AGVSBG8GD29YBGQ=|1|aGVsbG8gd29ybGQ=\n";
    const char *fmt = "%toupper(xf.str)|%len(xf.words)|%join(\",\",xf.words)";
    r = run(fmt, "run " XFORM " --capture '%s' -o \"$FMT\"", path);
    assert_int_equal(r.code, 0);
    assert_has(r.out, want);
    result_free(&r);
    r = run(fmt, "run " XFORM " --open 3 --with " GEN " -o \"$FMT\"");
    assert_int_equal(r.code, 0);
    assert_has(r.out, want);
    result_free(&r);
    unlink(path);
}

/* A failed extraction under a transformer is no value too, said once. */
static void test_transformer_failure_reported(void **state)
{
    (void)state;
    result r = run("%toupper(xf.fail)|%len(xf.fail)", "run " XFORM " --open 2 -o \"$FMT\"");
    assert_int_equal(r.code, 0);
    assert_string_equal(r.out, "1 <NA>|<NA>\n2 <NA>|<NA>\nEOF after 2 events\n");
    assert_int_equal(count_of(r.err, "xf.fail always fails"), 1);
    assert_has(r.err, "4 field extractions failed");
    result_free(&r);
}

/* Transformer expressions libsinsp refuses in an output format (it says
 * "unknown filter: unexpected token after '" for all of them): falcoplug
 * refuses them too, naming the transformer and why. The last three
 * libsinsp accepts but prints the raw bytes of numbers as text. */
static void test_transformer_refused(void **state)
{
    (void)state;
    static const struct {
        const char *fmt, *why;
    } bad[] = {
        { "%toupper(xf.num)", "toupper() takes strings, not field 'xf.num' (uint64)" },
        { "%b64(xf.ip)", "b64() takes strings, not field 'xf.ip' (ipaddr)" },
        { "%basename(xf.net)", "basename() takes strings, not field 'xf.net' (ipnet)" },
        { "%tolower(xf.bool)", "tolower() takes strings, not field 'xf.bool' (bool)" },
        { "%len(xf.rel)", "len() takes a string or a list, not field 'xf.rel' (reltime)" },
        { "%len(len(xf.words))", "len() takes a string or a list, not len() (a number)" },
        { "%toupper(len(xf.str))", "toupper() takes strings, not len()" },
        { "%toupper(xf.str,xf.str)", "toupper() takes one argument, got 2" },
        { "%toupper()", "expected a field, a transformer" },
        { "%toupper(xf.str", "expected ',' or ')' closing toupper(, got the end of the format" },
        { "%toupper(-1e5)", "expected ',' or ')' closing toupper(, got 'e5)'" },
        { "%toupper(xf.nope)", "no field named 'xf.nope'" },
        { "%b64(xf.key)", "xf.key requires an argument" },
        { "%toupper(xf.key[\"a b\"])", "an argument with a space" },
        { "%toupper(\"a)", "unterminated quoted argument" },
        { "%toupper(((\"a\")))", "no list in a list" },
        { "%concat(\"a\")", "concat() takes at least two arguments, got 1" },
        { "%concat(xf.words,\"a\")", "concat() takes single strings, not field 'xf.words' (string list)" },
        { "%join(\",\",xf.str)", "join() takes two arguments, a separator then a list, got 2 with no list to join" },
        { "%join(\",\",xf.words,)", "expected a field, a transformer" },
        { "%getopt(xf.str,\"a\")", "getopt() takes two string arguments" },
        { "%val(xf.str)", "val() is for the right of a filter condition" },
        { "%toupper(val(xf.str))", "val() takes a field only on the right of a filter condition" },
        { "%storage(xf.str)", "no field transformer is named 'storage'" },
        { "%TOLOWER(xf.str)", "no field transformer is named 'TOLOWER'" },
        { "%tolower (xf.str)", "no blank may come between a field transformer and its '('" },
        { "%toupper((\"a\",xf.num))", "a transformer list takes strings, not field 'xf.num' (uint64)" },
        { "%join(xf.num,xf.words)", "join() takes strings, not field 'xf.num' (uint64)" },
        { "%join(\",\",xf.nums)", "join() takes strings, not field 'xf.nums' (uint64 list)" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        result r = run(bad[i].fmt, "run " XFORM " --open 3 -o \"$FMT\"");
        if (r.code != 1 || r.out[0] || !strstr(r.err, bad[i].why) || !strstr(r.err, bad[i].fmt))
            fail_msg("-o '%s': exit %d, want 1, no output and \"%s\" naming the format; stdout:\n%s\nstderr:\n%s",
                     bad[i].fmt, r.code, bad[i].why, r.out, r.err);
        result_free(&r);
    }
}

/* Nesting: libsinsp's parser takes 48 transformers around a field, 49
 * around a constant, and refuses one more. */
static void test_transformer_depth(void **state)
{
    (void)state;
    static const struct {
        int n;
        const char *leaf, *want;
    } cases[] = {
        { 48, "xf.str", "1 hello/world\nEOF after 1 events\n" },
        { 49, "\"A\"", "1 a\nEOF after 1 events\n" },
        { 49, "xf.str", NULL },
        { 50, "\"A\"", NULL },
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        char fmt[1024] = "%";
        for (int i = 0; i < cases[c].n; i++)
            strcat(fmt, "tolower(");
        strcat(fmt, cases[c].leaf);
        for (int i = 0; i < cases[c].n; i++)
            strcat(fmt, ")");
        result r = run(fmt, "run " XFORM " --open 1 -o \"$FMT\"");
        if (cases[c].want) {
            assert_int_equal(r.code, 0);
            assert_string_equal(r.out, cases[c].want);
        } else {
            assert_int_equal(r.code, 1);
            assert_string_equal(r.out, "");
            assert_has(r.err, "transformers nested too deep");
        }
        result_free(&r);
    }
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
        cmocka_unit_test(test_transformer_values),
        cmocka_unit_test(test_transformer_capture_and_with),
        cmocka_unit_test(test_transformer_failure_reported),
        cmocka_unit_test(test_transformer_refused),
        cmocka_unit_test(test_transformer_depth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
