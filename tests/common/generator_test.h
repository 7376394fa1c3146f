/*
 * generator_test.h - running a tools/gen_*.py generator from a cmocka test:
 * on the repo's own tables (its output must match the committed files byte
 * for byte), and on a table the test writes (to check what it refuses and
 * what it says). ctest sets FALCO_PYTHON3, FALCO_SOURCE_DIR, FALCO_BUILD_DIR.
 * Include after <cmocka.h>.
 */
#ifndef FALCO_TESTS_GENERATOR_TEST_H
#define FALCO_TESTS_GENERATOR_TEST_H

#include <stdio.h>
#include <stdlib.h>

#include <unistd.h>

#include "files_equal.h"

/* The python3 to run the generators with, or NULL when there is none (or the
 * directories are not set): the committed files then stand as they are. */
static inline const char *generator_python(void)
{
    const char *py = getenv("FALCO_PYTHON3");
    return py && *py && access(py, X_OK) == 0 && getenv("FALCO_SOURCE_DIR") && getenv("FALCO_BUILD_DIR") ? py : NULL;
}

/* Runs tools/<script> with its default tables into <build>/<out_name> and
 * fails the test unless each of the n files (paths relative to the repo)
 * came out byte for byte as committed; skips the test without python3. */
static inline void generator_check_committed(const char *script, const char *out_name, const char *const *files,
                                             size_t n)
{
    const char *py = generator_python();
    if (!py) {
        skip(); /* no python3: the committed files stand as they are */
        return;
    }
    const char *src = getenv("FALCO_SOURCE_DIR"), *bin = getenv("FALCO_BUILD_DIR");
    char out[2048], cmd[8192], a[4200], b[4200];
    snprintf(out, sizeof out, "%s/%s", bin, out_name);
    snprintf(cmd, sizeof cmd, "'%s' '%s/tools/%s' --out-dir '%s' >/dev/null", py, src, script, out);
    assert_int_equal(system(cmd), 0);
    for (size_t i = 0; i < n; i++) {
        snprintf(a, sizeof a, "%s/%s", src, files[i]);
        snprintf(b, sizeof b, "%s/%s", out, files[i]);
        if (!files_equal(a, b))
            fail_msg("%s differs from the generator's output %s: re-run tools/%s", a, b, script);
    }
}

/* Writes table (the whole file's text) to <build>/<name>.tsv, runs
 * tools/<script> --tsv on it into <build>/<name>, and returns the exit status
 * with the generator's stderr in err (errlen bytes, NUL-terminated). Call only
 * when generator_python() is not NULL. */
static inline int generator_run_on(const char *script, const char *name, const char *table, char *err,
                                   size_t errlen)
{
    const char *py = generator_python(), *src = getenv("FALCO_SOURCE_DIR"), *bin = getenv("FALCO_BUILD_DIR");
    char tsv[2048], log[2048], cmd[8192];
    snprintf(tsv, sizeof tsv, "%s/%s.tsv", bin, name);
    snprintf(log, sizeof log, "%s/%s.log", bin, name);
    FILE *f = fopen(tsv, "w");
    assert_non_null(f);
    fputs(table, f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "'%s' '%s/tools/%s' --tsv '%s' --out-dir '%s/%s' 2>'%s' >/dev/null", py, src, script,
             tsv, bin, name, log);
    int rc = system(cmd);
    f = fopen(log, "r");
    assert_non_null(f);
    size_t got = fread(err, 1, errlen - 1, f);
    err[got] = '\0';
    fclose(f);
    return rc;
}

#endif
