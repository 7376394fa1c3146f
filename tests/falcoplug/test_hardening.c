/* The falcoplug commands against hostile input: plugin strings that would
 * forge output lines or drive the terminal, huge values and field
 * references, stdout that cannot be written, bare plugin names, numbers in
 * other bases or too large; and the metrics and progress of `run`. */
#include "fp_test.h"

/* Runs the shell command line made of fmt (falcoplug is "$FALCOPLUG" in it);
 * stdout and stderr are kept apart. */
static result run(const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    assert_true(n > 0 && (size_t)n < sizeof cmd);
    return run_split(cmd);
}

#define FP "\"$FALCOPLUG\""
#define HOSTILE "\"$HOSTILE_PLUGIN\""
#define GENERATOR "\"$GENERATOR_PLUGIN\""

/* ---- 1: plugin strings stay on their line and out of the terminal -------- */

static void test_event_to_string_escaped(void **state)
{
    (void)state;
    result r = run(FP " run " HOSTILE " --open 2");
    assert_int_equal(r.code, 0);
    assert_string_equal(r.out, "1 ts=1000 evt 1.999 forged.]0;title.\n"
                               "2 ts=1001 evt 2.999 forged.]0;title.\n"
                               "EOF after 2 events\n");
    result_free(&r);
}

static void test_template_values_escaped(void **state)
{
    (void)state;
    /* valid UTF-8 stays; C0, ESC, CR, DEL and the C1 CSI (U+009B) become '.' */
    result r = run(FP " run " HOSTILE " --open 1 -o '%%hostile.str|%%hostile.key[\xc3\xa9t\xc3\xa9]'");
    assert_int_equal(r.code, 0);
    assert_string_equal(r.out, "1 first.forged line.[31mred....end|\xc3\xa9t\xc3\xa9\nEOF after 1 events\n");
    result_free(&r);
}

static void test_default_fields_escaped_and_whole(void **state)
{
    (void)state;
    /* the default listing of a capture: " | hostile.str=... hostile.big=..." */
    result r = run(FP " run " HOSTILE " --capture '%s/curl_google.scap' -n 3", env("FALCO_TEST_DATA_DIR"));
    assert_int_equal(r.code, 0);
    assert_no_controls(r.out, r.out_len);
    assert_int_equal(count_lines(r.out), 4);
    char big[10000 + 64];
    memcpy(big, " hostile.big=", 13);
    memset(big + 13, 'x', 9997);
    memcpy(big + 13 + 9997, "END\n", 5);
    const char *line = r.out;
    for (int i = 1; i <= 3; i++) {
        char prefix[16];
        snprintf(prefix, sizeof prefix, "%d ts=", i);
        assert_memory_equal(line, prefix, strlen(prefix));
        const char *fields = strstr(line, " | hostile.str=first.forged line.[31mred....end hostile.big=");
        assert_non_null(fields);
        assert_memory_equal(strstr(fields, " hostile.big="), big, strlen(big));
        line = strchr(line, '\n') + 1;
    }
    assert_string_equal(line, "stopped after 3 events\n");
    result_free(&r);
}

/* The real capture with "/etc/ld.so.cache" turned into a path holding a
 * newline and an escape sequence (same length, so the file stays valid):
 * every event still prints as one line, with the path made harmless. */
static void test_capture_path_with_newline(void **state)
{
    (void)state;
    char path[1024];
    temp_path(path, sizeof path, "hardening", "scap");
    write_hostile_capture(path);

    static const char *const formats[] = {" -o 'name=%%sys.name'", ""};
    for (size_t i = 0; i < 2; i++) {
        char fmt[256];
        snprintf(fmt, sizeof fmt, FP " run \"$SYSFIELDS_PLUGIN\" --capture '%%s' --type open%s", formats[i]);
        result r = run(fmt, path);
        assert_int_equal(r.code, 0);
        assert_no_controls(r.out, r.out_len);
        assert_non_null(strstr(r.out, "name=/etc/ld..[31m.ca"));
        /* every line is an event ("<evtnum> ...") but the last, the summary */
        size_t events = 0;
        const char *line = r.out;
        for (const char *nl; (nl = strchr(line, '\n')) != NULL && nl[1]; line = nl + 1, events++)
            if (line[0] < '1' || line[0] > '9')
                fail_msg("line %zu is not an event: %.*s", events + 1, (int)(nl - line), line);
        char summary[64];
        snprintf(summary, sizeof summary, "EOF after %zu events\n", events);
        assert_string_equal(line, summary);
        result_free(&r);
    }
    unlink(path);
}

static void test_info_and_check_escaped(void **state)
{
    (void)state;
    result r = run(FP " info " HOSTILE);
    assert_int_equal(r.code, 0);
    assert_no_controls(r.out, r.out_len);
    assert_non_null(strstr(r.out, "\ndescription: hostile strings..[2Jfor falcoplug tests\n"));
    assert_non_null(strstr(r.out, "\n  hostile.str              string   -    -              -            "
                                  "control.characters.[0m\n"));
    result_free(&r);
    r = run(FP " check " HOSTILE);
    assert_int_equal(r.code, 0);
    assert_no_controls(r.out, r.out_len);
    assert_non_null(strstr(r.out, "\nclean: hostile 0.1.0\n"));
    result_free(&r);
}

/* ---- 3 and 7: whole values, long field references ------------------------ */

static void test_long_value_whole(void **state)
{
    (void)state;
    result r = run(FP " run " HOSTILE " --open 1 -o '<%%hostile.big>'");
    assert_int_equal(r.code, 0);
    assert_int_equal(r.out_len, strlen("1 <>\nEOF after 1 events\n") + 10000);
    assert_memory_equal(r.out + 3 + 9997, "END>\n", 5);
    result_free(&r);
}

/* An ipaddr of 3000 bytes: libsinsp stops on it ("IP address of incorrect
 * size"), so falcoplug stops too, naming the field, the event and the size,
 * and prints no half line. */
static void test_bad_ipaddr_stops_the_run(void **state)
{
    (void)state;
    result r = run(FP " run " HOSTILE " --open 1 -o 'a=%%hostile.addrs'");
    assert_int_equal(r.code, 1);
    assert_int_equal(r.out_len, 0);
    assert_non_null(strstr(r.err, "falcoplug run: field 'hostile.addrs' on event #1: an ipaddr value of 3000 bytes, "
                                  "which libsinsp refuses to print"));
    result_free(&r);
    /* the same inside a width (%20field) */
    r = run(FP " run " HOSTILE " --open 1 -o '%%20hostile.addrs'");
    assert_int_equal(r.code, 1);
    assert_non_null(strstr(r.err, "an ipaddr value of 3000 bytes"));
    assert_null(strstr(r.err, "out of memory"));
    result_free(&r);
}

static void test_long_field_reference(void **state)
{
    (void)state;
    char key[1201];
    memset(key, 'k', sizeof key - 1);
    key[sizeof key - 1] = '\0';
    result r = run(FP " run " HOSTILE " --open 1 -o '%%hostile.key[%s]'", key);
    assert_int_equal(r.code, 0);
    char want[1300];
    snprintf(want, sizeof want, "1 %s\nEOF after 1 events\n", key);
    assert_string_equal(r.out, want);
    result_free(&r);
    /* an unclosed bracket is still reported as one */
    r = run(FP " run " HOSTILE " --open 1 -o '%%hostile.key[%s'", key);
    assert_int_equal(r.code, 1);
    assert_non_null(strstr(r.err, "bracket"));
    result_free(&r);
}

/* ---- 2: stdout that cannot be written ------------------------------------ */

static void test_stdout_full(void **state)
{
    (void)state;
    static const char *const cmds[] = {
        FP " run " HOSTILE " --open 3 >/dev/full",
        FP " info " HOSTILE " >/dev/full",
        FP " check " HOSTILE " >/dev/full",
        FP " run " HOSTILE " --open 3 >&-",
        FP " info " HOSTILE " >&-",
        FP " check " HOSTILE " >&-",
        FP " --version >/dev/full",
    };
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        result r = run("%s", cmds[i]);
        if (r.code != 1 || (!strstr(r.err, "writing stdout failed") && !strstr(r.err, "stdout is closed")))
            fail_msg("%s: exit %d, stderr:\n%s", cmds[i], r.code, r.err);
        result_free(&r);
    }
    /* a long run to a full disk stops instead of running on */
    result r = run(FP " run " HOSTILE " --open 1000000 >/dev/full");
    assert_int_equal(r.code, 1);
    assert_non_null(strstr(r.err, "falcoplug run: writing stdout failed: No space left on device"));
    result_free(&r);
}

/* ---- 4: a plugin argument is a file path --------------------------------- */

static void test_bare_plugin_name(void **state)
{
    (void)state;
    /* the plugin's own folder, by bare name */
    result r = run("cd \"$(dirname \"$HOSTILE_PLUGIN\")\" && " FP " info \"$(basename \"$HOSTILE_PLUGIN\")\"");
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "name: hostile\n"));
    result_free(&r);
    r = run("cd \"$(dirname \"$HOSTILE_PLUGIN\")\" && " FP " run \"$(basename \"$HOSTILE_PLUGIN\")\" --open 1"
            " -o x");
    assert_int_equal(r.code, 0);
    assert_string_equal(r.out, "1 x\nEOF after 1 events\n");
    result_free(&r);
    r = run("cd \"$(dirname \"$HOSTILE_PLUGIN\")\" && " FP " bench \"$(basename \"$HOSTILE_PLUGIN\")\""
            " --only extract --field hostile.str --iterations 10");
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "bench extract:hostile.str ns/op "));
    result_free(&r);
    /* a system library's name is not looked up in the library path */
    static const char *const cmds[] = {"info", "check", "run", "bench"};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        r = run("cd \"$FALCO_BUILD_DIR\" && " FP " %s libz.so.1", cmds[i]);
        if (r.code != 1 || !strstr(r.out[0] ? r.out : r.err, "./libz.so.1") ||
            !strstr(r.out[0] ? r.out : r.err, "No such file"))
            fail_msg("%s libz.so.1: exit %d, stdout:\n%s\nstderr:\n%s", cmds[i], r.code, r.out, r.err);
        result_free(&r);
    }
}

/* ---- 6: numbers ------------------------------------------------------------- */

static void test_numbers_decimal_only(void **state)
{
    (void)state;
    result r = run(FP " run " HOSTILE " --open 20 -n 010 -o x");
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "\nstopped after 10 events\n"));
    result_free(&r);
    /* 0322 is 322 (not octal 210): every event is a plugin event */
    r = run(FP " run " HOSTILE " --open 2 --type 0322 -o x");
    assert_int_equal(r.code, 0);
    assert_string_equal(r.out, "1 x\n2 x\nEOF after 2 events\n");
    result_free(&r);
    static const struct {
        const char *args, *err;
    } bad[] = {
        {" run " HOSTILE " -n 0x8", "falcoplug run: -n \"0x8\": expected a decimal number"},
        {" run " HOSTILE " -n +8", "falcoplug run: -n \"+8\": expected a decimal number"},
        {" run " HOSTILE " -n ' 8'", "falcoplug run: -n \" 8\": expected a decimal number"},
        {" run " HOSTILE " -n -1", "falcoplug run: -n \"-1\": expected a decimal number"},
        {" run " HOSTILE " -n 0", "falcoplug run: -n \"0\": out of range"},
        {" run " HOSTILE " -n 99999999999999999999999", "falcoplug run: -n \"99999999999999999999999\": out of range"},
        {" run " HOSTILE " -n 18446744073709551616", "out of range"},
        {" run " HOSTILE " --type 0x142", "falcoplug run: --type 0x142: no such event type"},
        {" run " HOSTILE " --type +322", "falcoplug run: --type +322: no such event type"},
        {" run " HOSTILE " --type 99999999999999999999999", "--type 99999999999999999999999: no such event type"},
        {" run " HOSTILE " --progress-every 0x2", "falcoplug run: --progress-every \"0x2\": expected a decimal"},
        {" bench " HOSTILE " --iterations 0x10", "falcoplug bench: --iterations \"0x10\": expected a decimal"},
        {" bench " HOSTILE " --iterations 99999999999999999999999", "--iterations \"99999999999999999999999\": out of range"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        r = run(FP "%s", bad[i].args);
        if (r.code != 2 || !strstr(r.err, bad[i].err))
            fail_msg("%s: exit %d, want 2 and \"%s\" in stderr:\n%s", bad[i].args, r.code, bad[i].err, r.err);
        result_free(&r);
    }
    /* the largest -n is accepted */
    r = run(FP " run " HOSTILE " --open 2 -n 18446744073709551615 -o x");
    assert_int_equal(r.code, 0);
    result_free(&r);
}

/* ---- 8: metrics and progress ----------------------------------------------- */

static void test_metrics(void **state)
{
    (void)state;
    result r = run(FP " run " HOSTILE " --open 3 -o x --metrics");
    assert_int_equal(r.code, 0);
    assert_string_equal(r.out, "1 x\n2 x\n3 x\nEOF after 3 events\n"
                               "metric hostile.events monotonic u64 3\n"
                               "metric hostile.ratio non_monotonic double 0.5\n"
                               "metric hostile.bad.name non_monotonic s32 -7\n");
    result_free(&r);
    /* an SDK plugin, stopped early: its counters as they are at the end */
    r = run(FP " run " GENERATOR " --open 10 -n 4 -o x --metrics");
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "stopped after 4 events\nmetric events_produced monotonic u64 "));
    assert_non_null(strstr(r.out, "\nmetric open_captures non_monotonic u32 1\n"));
    result_free(&r);
    /* without --metrics, none */
    r = run(FP " run " HOSTILE " --open 1 -o x");
    assert_null(strstr(r.out, "metric"));
    result_free(&r);
}

static void test_progress(void **state)
{
    (void)state;
    result r = run(FP " run " HOSTILE " --open 4 -o x --progress-every 2");
    assert_int_equal(r.code, 0);
    assert_string_equal(r.out, "1 x\n2 x\n3 x\n4 x\nEOF after 4 events\n");
    assert_string_equal(r.err, "falcoplug run: progress 50.00% after 2 events: at 2.of 4\n"
                               "falcoplug run: progress 100.00% after 4 events: at 4.of 4\n"
                               "falcoplug run: progress 100.00% after 4 events: at 4.of 4\n");
    result_free(&r);
    /* once a second: a short run reports at the end only */
    r = run(FP " run " HOSTILE " --open 3 -n 2 -o x --progress");
    assert_int_equal(r.code, 0);
    assert_string_equal(r.err, "falcoplug run: progress 66.66% after 2 events: at 2.of 3\n");
    result_free(&r);
    r = run(FP " run " HOSTILE " --capture /dev/null --progress");
    assert_int_equal(r.code, 2);
    assert_non_null(strstr(r.err, "--progress"));
    result_free(&r);
}

/* ---- 5: bench next_batch ------------------------------------------------- */

/* The n= of the line "bench <path> <unit> ... n=N" in out. */
static unsigned long long bench_n(const char *out, const char *path_unit)
{
    const char *line = strstr(out, path_unit);
    if (!line)
        fail_msg("no \"%s\" in:\n%s", path_unit, out);
    const char *n = strstr(line, " n=");
    assert_non_null(n);
    return strtoull(n + 3, NULL, 10);
}

static void test_bench_short_source(void **state)
{
    (void)state;
    /* 3 events a run, one a call: every sample still times the calls asked for */
    result r = run(FP " bench " HOSTILE " --open 3 --only next_batch --iterations 2000");
    assert_int_equal(r.code, 0);
    assert_int_equal(bench_n(r.out, "bench next_batch ns/call "), 2000);
    /* one EOF call after every 3 events */
    assert_int_equal(bench_n(r.out, "bench next_batch ns/event "), 1500);
    assert_non_null(strstr(r.out, "eof_reopens="));
    result_free(&r);
}

static void test_bench_bad_batches(void **state)
{
    (void)state;
    static const struct {
        const char *open, *err;
    } bad[] = {
        {"null", "next_batch returned 1 events and a NULL array"},
        {"nullevt", "next_batch returned a NULL event (#0 of 1)"},
        {"len0", "next_batch returned a bad event (#0 of 1): "},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        result r = run(FP " bench " HOSTILE " --open %s --only next_batch --iterations 100", bad[i].open);
        if (r.code != 1 || !strstr(r.err, bad[i].err) || strstr(r.out, "bench next_batch"))
            fail_msg("--open %s: exit %d, want 1 and \"%s\"; stdout:\n%s\nstderr:\n%s", bad[i].open, r.code,
                     bad[i].err, r.out, r.err);
        result_free(&r);
        /* run refuses the same batches */
        r = run(FP " run " HOSTILE " --open %s", bad[i].open);
        assert_int_equal(r.code, 1);
        result_free(&r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_event_to_string_escaped),
        cmocka_unit_test(test_template_values_escaped),
        cmocka_unit_test(test_default_fields_escaped_and_whole),
        cmocka_unit_test(test_capture_path_with_newline),
        cmocka_unit_test(test_info_and_check_escaped),
        cmocka_unit_test(test_long_value_whole),
        cmocka_unit_test(test_bad_ipaddr_stops_the_run),
        cmocka_unit_test(test_long_field_reference),
        cmocka_unit_test(test_stdout_full),
        cmocka_unit_test(test_bare_plugin_name),
        cmocka_unit_test(test_numbers_decimal_only),
        cmocka_unit_test(test_metrics),
        cmocka_unit_test(test_progress),
        cmocka_unit_test(test_bench_short_source),
        cmocka_unit_test(test_bench_bad_batches),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
