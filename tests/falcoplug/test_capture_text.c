/* Text read back from capture files reaches the terminal harmless: the
 * plugin's event_to_string in `run --capture` and the strings of syscall
 * events in `dump` are printed one event per line, control characters and
 * invalid UTF-8 as '.'. */
#include "fp_test.h"

/* The hostile plugin's events recorded with -w and replayed with --capture:
 * its event_to_string ("evt N\n999 forged" and an OSC title sequence) is
 * printed on the event's line, made harmless. */
static void test_run_capture_plugin_text(void **state)
{
    (void)state;
    char path[1024], cmd[4096];
    temp_path(path, sizeof path, "text", "scap");
    int code;
    size_t len;
    snprintf(cmd, sizeof cmd, "'%s' run '%s' -n 2 -w '%s' 2>/dev/null", env("FALCOPLUG"), env("HOSTILE_PLUGIN"), path);
    char *out = run_stdout(cmd, &len, &code);
    assert_int_equal(code, 0);
    free(out);
    snprintf(cmd, sizeof cmd, "'%s' run '%s' --capture '%s' -o x 2>/dev/null", env("FALCOPLUG"),
             env("HOSTILE_PLUGIN"), path);
    /* with -o the text is not printed: the baseline of two events */
    out = run_stdout(cmd, &len, &code);
    assert_int_equal(code, 0);
    assert_string_equal(out, "1 x\n2 x\nEOF after 2 events\n");
    free(out);
    snprintf(cmd, sizeof cmd, "'%s' run '%s' --capture '%s' 2>/dev/null", env("FALCOPLUG"), env("HOSTILE_PLUGIN"),
             path);
    out = run_stdout(cmd, &len, &code);
    assert_int_equal(code, 0);
    assert_no_controls(out, len);
    assert_true(strncmp(out, "1 ts=1000 evt 1.999 forged.]0;title. | ", 39) == 0);
    char *second = strchr(out, '\n');
    assert_non_null(second);
    assert_true(strncmp(second + 1, "2 ts=1001 evt 2.999 forged.]0;title. | ", 39) == 0);
    assert_non_null(strstr(out, "\nEOF after 2 events\n"));
    free(out);
    unlink(path);
}

/* The real capture with "/etc/ld.so.cache" turned into a path holding a
 * newline and an escape sequence (same length, the file stays valid): dump
 * prints it as one harmless line. */
static void test_dump_clean_strings(void **state)
{
    (void)state;
    char cmd[4096], path[1024];
    size_t len;
    int code;
    temp_path(path, sizeof path, "dumptext", "scap");
    write_hostile_capture(path);
    static const char *const modes[] = { "", " --converted" };
    for (size_t i = 0; i < 2; i++) {
        snprintf(cmd, sizeof cmd, "'%s' dump '%s' --type open%s 2>/dev/null", env("FALCOPLUG"), path, modes[i]);
        char *out = run_stdout(cmd, &len, &code);
        assert_int_equal(code, 0);
        assert_no_controls(out, len);
        assert_non_null(strstr(out, " name=/etc/ld..[31m.ca "));
        free(out);
    }
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_capture_plugin_text),
        cmocka_unit_test(test_dump_clean_strings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
