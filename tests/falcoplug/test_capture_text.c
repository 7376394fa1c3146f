/* Text read back from capture files reaches the terminal harmless: the
 * plugin's event_to_string in `run --capture` and the strings of syscall
 * events in `dump` are printed one event per line, control characters and
 * invalid UTF-8 as '.'. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sys/wait.h>

static const char *env(const char *name)
{
    const char *v = getenv(name);
    if (!v || !*v)
        fail_msg("environment variable %s is not set (run through ctest)", name);
    return v;
}

/* All of f, NUL-terminated; *len its size. */
static char *slurp(FILE *f, size_t *len)
{
    size_t cap = 1 << 16, n = 0, got;
    char *buf = malloc(cap);
    assert_non_null(buf);
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            buf = realloc(buf, cap *= 2);
            assert_non_null(buf);
        }
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Runs the shell command cmd; its stdout (NUL-terminated, *len bytes) and
 * exit code. */
static char *run(const char *cmd, size_t *len, int *code)
{
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    char *out = slurp(f, len);
    int status = pclose(f);
    *code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return out;
}

/* No byte of out is a C0 control other than '\n', nor DEL. */
static void assert_no_controls(const char *out, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)out[i];
        if ((c < 0x20 && c != '\n') || c == 0x7f)
            fail_msg("control byte 0x%02x at offset %zu of:\n%s", c, i, out);
    }
}

/* The hostile plugin's events recorded with -w and replayed with --capture:
 * its event_to_string ("evt N\n999 forged" and an OSC title sequence) is
 * printed on the event's line, made harmless. */
static void test_run_capture_plugin_text(void **state)
{
    (void)state;
    char path[1024], cmd[4096];
    snprintf(path, sizeof path, "%s/falcoplug_text_%ld.scap", env("FALCO_BUILD_DIR"), (long)getpid());
    unlink(path);
    int code;
    size_t len;
    snprintf(cmd, sizeof cmd, "'%s' run '%s' -n 2 -w '%s' 2>/dev/null", env("FALCOPLUG"), env("HOSTILE_PLUGIN"), path);
    char *out = run(cmd, &len, &code);
    assert_int_equal(code, 0);
    free(out);
    snprintf(cmd, sizeof cmd, "'%s' run '%s' --capture '%s' -o x 2>/dev/null", env("FALCOPLUG"),
             env("HOSTILE_PLUGIN"), path);
    /* with -o the text is not printed: the baseline of two events */
    out = run(cmd, &len, &code);
    assert_int_equal(code, 0);
    assert_string_equal(out, "1 x\n2 x\nEOF after 2 events\n");
    free(out);
    snprintf(cmd, sizeof cmd, "'%s' run '%s' --capture '%s' 2>/dev/null", env("FALCOPLUG"), env("HOSTILE_PLUGIN"),
             path);
    out = run(cmd, &len, &code);
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
    snprintf(cmd, sizeof cmd, "gzip -dc '%s/curl_google.scap'", env("FALCO_TEST_DATA_DIR"));
    size_t len;
    int code;
    char *scap = run(cmd, &len, &code);
    assert_int_equal(code, 0);
    static const char from[] = "/etc/ld.so.cache", to[] = "/etc/ld\n\x1b[31m.ca";
    assert_int_equal(sizeof from, sizeof to);
    size_t patched = 0;
    for (size_t at = 0; at + sizeof from - 1 <= len; at++)
        if (memcmp(scap + at, from, sizeof from - 1) == 0) {
            memcpy(scap + at, to, sizeof to - 1);
            patched++;
        }
    assert_true(patched > 0);
    snprintf(path, sizeof path, "%s/falcoplug_dumptext_%ld.scap", env("FALCO_BUILD_DIR"), (long)getpid());
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(scap, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    free(scap);
    static const char *const modes[] = { "", " --converted" };
    for (size_t i = 0; i < 2; i++) {
        snprintf(cmd, sizeof cmd, "'%s' dump '%s' --type open%s 2>/dev/null", env("FALCOPLUG"), path, modes[i]);
        char *out = run(cmd, &len, &code);
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
