/* `falcoplug bench` and `bench/run` on tiny iteration counts: they run,
 * print one well-formed line per path and refuse bad input with a message.
 * Nothing here looks at how fast anything is. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>

#define OUT_SIZE 16384

/* Runs cmd through the shell with stderr merged into out; returns its exit status. */
static int run(const char *cmd, char *out) {
    char full[2048];
    snprintf(full, sizeof full, "%s 2>&1", cmd);
    FILE *f = popen(full, "r");
    assert_non_null(f);
    size_t n = fread(out, 1, OUT_SIZE - 1, f);
    out[n] = '\0';
    int status = pclose(f);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

/* The line "bench <path> <unit> mean=.. p50=.. p90=.. p99=.. n=N" of out,
 * checked for form and order of its statistics; returns its n. */
static unsigned long long bench_line(const char *out, const char *path, const char *unit) {
    char prefix[256];
    snprintf(prefix, sizeof prefix, "bench %s %s ", path, unit);
    const char *line = strstr(out, prefix);
    if (!line || (line != out && line[-1] != '\n'))
        fail_msg("no line \"%s...\" in:\n%s", prefix, out);
    double mean, p50, p90, p99;
    unsigned long long n;
    int end = 0;
    int got = sscanf(line + strlen(prefix), "mean=%lf p50=%lf p90=%lf p99=%lf n=%llu%n", &mean, &p50, &p90, &p99,
                     &n, &end);
    assert_int_equal(got, 5);
    assert_int_equal(line[strlen(prefix) + (size_t)end], '\n');
    assert_true(mean >= 0 && p50 >= 0);
    assert_true(p50 <= p90 && p90 <= p99);
    return n;
}

static size_t count_lines(const char *out, const char *prefix) {
    size_t n = 0;
    for (const char *l = out; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
        n += strncmp(l, prefix, strlen(prefix)) == 0;
    return n;
}

static void test_every_path(void **state) {
    (void)state;
    static const char *const plugins[] = {BENCH_RAW_PLUGIN, BENCH_SDK_PLUGIN};
    static char out[OUT_SIZE];
    char cmd[1024];
    for (int i = 0; i < 2; i++) {
        snprintf(cmd, sizeof cmd, "%s bench %s --open batch=16 --iterations 50", BENCH_FALCOPLUG, plugins[i]);
        assert_int_equal(run(cmd, out), 0);
        assert_int_equal(bench_line(out, "extract:bench.u64", "ns/op"), 50);
        assert_int_equal(bench_line(out, "extract:bench.str", "ns/op"), 50);
        assert_int_equal(bench_line(out, "extract:bench.payload", "ns/op"), 50);
        assert_int_equal(bench_line(out, "next_batch", "ns/call"), 50);
        assert_int_equal(bench_line(out, "next_batch", "ns/event"), 50 * 16);
        assert_non_null(strstr(out, "\n# next_batch events/call=16.00 eof_reopens=0\n"));
        assert_int_equal(count_lines(out, "bench "), 5);
        /* The field with a required argument needs --field NAME[ARG]. */
        assert_non_null(strstr(out, "\n# bench.arg: skipped, it needs an argument"));
    }
    /* ... which measures it with its argument. */
    snprintf(cmd, sizeof cmd, "%s bench %s --only extract --field 'bench.arg[3]' --iterations 50", BENCH_FALCOPLUG,
             BENCH_SDK_PLUGIN);
    assert_int_equal(run(cmd, out), 0);
    assert_int_equal(bench_line(out, "extract:bench.arg[3]", "ns/op"), 50);
}

static void test_one_field_whole_samples(void **state) {
    (void)state;
    static char out[OUT_SIZE];
    /* 2500 iterations: two whole samples of 1000 calls. */
    assert_int_equal(run(BENCH_FALCOPLUG " bench " BENCH_SDK_PLUGIN " --only extract --field bench.str"
                                         " --iterations 2500",
                         out),
                     0);
    assert_int_equal(bench_line(out, "extract:bench.str", "ns/op"), 2000);
    assert_int_equal(count_lines(out, "bench "), 1);
}

static void test_refusals(void **state) {
    (void)state;
    static char out[OUT_SIZE];
    assert_int_equal(run(BENCH_FALCOPLUG " bench /nonexistent/libnothing.so", out), 1);
    assert_non_null(strstr(out, "cannot load /nonexistent/libnothing.so"));
    assert_int_equal(run(BENCH_FALCOPLUG " bench " BENCH_RAW_PLUGIN " --iterations 0", out), 2);
    assert_non_null(strstr(out, "--iterations \"0\""));
    assert_int_equal(run(BENCH_FALCOPLUG " bench " BENCH_RAW_PLUGIN " --only everything", out), 2);
    assert_int_equal(run(BENCH_FALCOPLUG " bench " BENCH_RAW_PLUGIN " --open", out), 2);
    assert_int_equal(run(BENCH_FALCOPLUG " bench", out), 2);
    assert_int_equal(run(BENCH_FALCOPLUG " bench " BENCH_SDK_PLUGIN " --open batch=0", out), 1);
    assert_non_null(strstr(out, "expected \"batch=N\""));
    assert_int_equal(run(BENCH_FALCOPLUG " bench " BENCH_SDK_PLUGIN " --field bench.nosuch", out), 1);
    assert_non_null(strstr(out, "bench.nosuch"));
    assert_int_equal(count_lines(out, "bench "), 0);
}

static void test_run_script(void **state) {
    (void)state;
    static char out[OUT_SIZE];
    /* Without the real host the libsinsp pipeline is skipped, and it says so. */
    assert_int_equal(run("BENCH_NO_BUILD=1 BENCH_ROUNDS=2 BENCH_ITERATIONS=1000 BENCH_EVENTS=2000 "
                         "FALCO_PLUGHOST=/nonexistent/plughost sh " BENCH_RUN_SCRIPT " " BENCH_BUILD_DIR,
                         out),
                     0);
    assert_non_null(strstr(out, "\n# libsinsp_pipeline: skipped, the real host /nonexistent/plughost"));
    /* It ends with one ratio line per path, in this order. */
    static const char *const paths[] = {"extract_u64",   "extract_str",   "extract_arg",
                                        "extract_payload", "extract_rotation", "next_batch_1", "next_batch_16",
                                        "next_batch_64", "next_batch_512", "table_read",
                                        "table_read_owner"};
    const char *line = strstr(out, "\nratio ");
    assert_non_null(line);
    line++;
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        char name[64];
        double ratio;
        int end = 0;
        assert_int_equal(sscanf(line, "ratio %63s %lf%n", name, &ratio, &end), 2);
        assert_string_equal(name, paths[i]);
        assert_true(ratio > 0);
        assert_int_equal(line[end], '\n');
        line += end + 1;
    }
    assert_int_equal(*line, '\0');
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_path),
        cmocka_unit_test(test_one_field_whole_samples),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_run_script),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
