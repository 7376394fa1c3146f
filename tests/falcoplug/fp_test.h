/* What the falcoplug tests share: running the falcoplug command (through
 * the shell, paths from the environment ctest sets), reading its output, and
 * the checks made on that output. Static inline, so that a test using only
 * part of it compiles without unused-function warnings. */
#ifndef FP_TEST_H
#define FP_TEST_H

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

#include "slurp.h"

/* The variable ctest sets (plugin and tool paths, data and build folders);
 * fails the test when it is unset. */
static inline const char *env(const char *name)
{
    const char *v = getenv(name);
    if (!v || !*v)
        fail_msg("environment variable %s is not set (run through ctest)", name);
    return v;
}

/* A fresh path in the build tree: <build>/falcoplug_<tag>_<pid>.<ext>, no
 * file there. */
static inline void temp_path(char *path, size_t size, const char *tag, const char *ext)
{
    snprintf(path, size, "%s/falcoplug_%s_%ld.%s", env("FALCO_BUILD_DIR"), tag, (long)getpid(), ext);
    unlink(path);
}

/* Runs the shell command cmd; returns its stdout (NUL-terminated, *len
 * bytes when len is not NULL) and the exit code in *code, -1 when killed.
 * The caller frees. */
static inline char *run_stdout(const char *cmd, size_t *len, int *code)
{
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    char *out = slurp(f, len);
    int status = pclose(f);
    *code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return out;
}

/* Runs `falcoplug <args>`; returns its stdout (stderr too when merge), and
 * the exit code in *code. The caller frees. */
static inline char *falcoplug(const char *args, bool merge, int *code)
{
    char cmd[4096];
    int n = snprintf(cmd, sizeof cmd, "'%s' %s %s", env("FALCOPLUG"), args, merge ? "2>&1" : "2>/dev/null");
    assert_true(n > 0 && (size_t)n < sizeof cmd);
    return run_stdout(cmd, NULL, code);
}

/* Runs `falcoplug <args>` (stderr merged when merge) and asserts that it
 * exits with want and that its output holds needle. */
static inline void expect_falcoplug(const char *args, bool merge, int want, const char *needle)
{
    int code;
    char *out = falcoplug(args, merge, &code);
    if (code != want)
        fail_msg("falcoplug %s: exit %d, want %d; output:\n%s", args, code, want, out);
    if (!strstr(out, needle))
        fail_msg("falcoplug %s: expected \"%s\" in:\n%s", args, needle, out);
    free(out);
}

typedef struct result {
    char *out, *err; /* stdout and stderr, NUL-terminated */
    size_t out_len;
    int code;        /* exit status, -1 when killed */
} result;

/* Runs the shell command line cmd (a subshell: compound lines and
 * redirections of their own work) with stdout and stderr kept apart. */
static inline result run_split(const char *cmd)
{
    char full[16384], errpath[1024];
    temp_path(errpath, sizeof errpath, "run", "err");
    int n = snprintf(full, sizeof full, "(%s) 2>'%s'", cmd, errpath);
    assert_true(n > 0 && (size_t)n < sizeof full);
    result r;
    r.out = run_stdout(full, &r.out_len, &r.code);
    FILE *e = fopen(errpath, "r");
    assert_non_null(e);
    r.err = slurp(e, NULL);
    fclose(e);
    unlink(errpath);
    return r;
}

static inline void result_free(result *r)
{
    free(r->out);
    free(r->err);
}

static inline size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* How many times needle starts in s (overlaps counted). */
static inline size_t count_of(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

/* Asserts that s holds needle, printing s when it does not. */
static inline void assert_has(const char *s, const char *needle)
{
    if (!strstr(s, needle))
        fail_msg("expected \"%s\" in:\n%s", needle, s);
}

/* No byte of s below 0x20 but newlines, no DEL, no C1 control in UTF-8. */
static inline void assert_no_controls(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\n') || c == 0x7f || (c == 0xc2 && i + 1 < len && (unsigned char)s[i + 1] < 0xa0))
            fail_msg("control byte 0x%02x at offset %zu in:\n%s", c, i, s);
    }
}

/* Writes at path the real curl capture with every "/etc/ld.so.cache" turned
 * into a path holding a newline and an escape sequence, "/etc/ld\n\e[31m.ca"
 * (same length, so the file stays valid). */
static inline void write_hostile_capture(const char *path)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "gzip -dc '%s/curl_google.scap'", env("FALCO_TEST_DATA_DIR"));
    size_t len;
    int code;
    char *scap = run_stdout(cmd, &len, &code);
    assert_int_equal(code, 0);
    static const char from[] = "/etc/ld.so.cache", to[] = "/etc/ld\n\x1b[31m.ca";
    assert_int_equal(sizeof from, sizeof to);
    size_t patched = 0;
    for (size_t at = 0; at + sizeof from - 1 <= len; at++) {
        if (memcmp(scap + at, from, sizeof from - 1) == 0) {
            memcpy(scap + at, to, sizeof to - 1);
            patched++;
        }
    }
    assert_true(patched > 0);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(scap, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    free(scap);
}

#endif
