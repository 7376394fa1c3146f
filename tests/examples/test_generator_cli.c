/* `falcoplug info/check/run` on examples/generator: exit codes and output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sys/wait.h>

#include "sdk_test.h"

/* Runs `falcoplug <args>` (stderr to stdout); returns output, *code the exit code. */
static char *falcoplug(const char *args, int *code) {
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "'%s' %s 2>&1", sdkt_env("FALCOPLUG"), args);
    int status;
    char *out = sdkt_run(cmd, &status);
    *code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return out;
}

static void test_info(void **state) {
    (void)state;
    char args[1024];
    snprintf(args, sizeof args, "info '%s'", sdkt_env("GENERATOR_PLUGIN"));
    int code;
    char *out = falcoplug(args, &code);
    assert_int_equal(code, 0);
    assert_non_null(strstr(out, "name: generator\n"));
    assert_non_null(strstr(out, "version: 0.1.0\n"));
    assert_non_null(strstr(out, "required api version: 3.6.0\n"));
    assert_non_null(strstr(out, "capabilities: source extract\n"));
    assert_non_null(strstr(out, "id: 999\n"));
    assert_non_null(strstr(out, "fields (5):"));
    assert_non_null(strstr(out, "gen.divisible"));
    assert_non_null(strstr(out, "\"jitter\""));
    free(out);
}

static void test_check(void **state) {
    (void)state;
    char args[1024];
    snprintf(args, sizeof args, "check '%s'", sdkt_env("GENERATOR_PLUGIN"));
    int code;
    char *out = falcoplug(args, &code);
    assert_int_equal(code, 0);
    assert_non_null(strstr(out, "clean: generator 0.1.0"));
    assert_null(strstr(out, "FAIL"));
    free(out);
    snprintf(args, sizeof args, "check '%s' --config '{\"jitter\": 0}'", sdkt_env("GENERATOR_PLUGIN"));
    out = falcoplug(args, &code);
    assert_int_equal(code, 1);
    assert_non_null(strstr(out, "FAIL init: plugin 'generator': init: init config rejected by the schema: "
                                "config.jitter"));
    free(out);
}

static void test_run(void **state) {
    (void)state;
    char args[1024];
    snprintf(args, sizeof args,
             "run '%s' --config '{\"jitter\":1,\"start\":10}' --open 3 "
             "-o '%%gen.value %%gen.strvalue %%gen.divisible[2] %%gen.label'",
             sdkt_env("GENERATOR_PLUGIN"));
    int code;
    char *out = falcoplug(args, &code);
    assert_int_equal(code, 0);
    assert_string_equal(out, "1 10 10 true gen\n2 11 11 false gen\n3 12 12 true gen\nEOF after 3 events\n");
    free(out);
    snprintf(args, sizeof args, "run '%s' --open abc", sdkt_env("GENERATOR_PLUGIN"));
    out = falcoplug(args, &code);
    assert_int_equal(code, 1);
    assert_non_null(strstr(out, "open params.count: expected integer in 1..18446744073709551615, got \"abc\""));
    free(out);
    snprintf(args, sizeof args, "run '%s' --open '{\"count\": 2, \"batch\": 999}'", sdkt_env("GENERATOR_PLUGIN"));
    out = falcoplug(args, &code);
    assert_int_equal(code, 1);
    assert_non_null(strstr(out, "open params.batch: expected integer in 1..512, got 999"));
    free(out);
}

/* --metrics and --progress on an SDK plugin: its declared metrics (no name
 * prefix) and its progress callback, as Falco would read them. */
static void test_run_metrics_progress(void **state) {
    (void)state;
    char args[1024];
    snprintf(args, sizeof args,
             "run '%s' --config '{\"jitter\":1,\"start\":10}' --open 4 -o '%%gen.value' --metrics "
             "--progress-every 2",
             sdkt_env("GENERATOR_PLUGIN"));
    int code;
    char *out = falcoplug(args, &code);
    assert_int_equal(code, 0);
    /* the plugin produced the whole run in one batch: 100% after 2 delivered */
    assert_string_equal(out, "1 10\n2 11\n"
                             "falcoplug run: progress 100.00% after 2 events: 4 of 4 events\n"
                             "3 12\n4 13\n"
                             "falcoplug run: progress 100.00% after 4 events: 4 of 4 events\n"
                             "EOF after 4 events\n"
                             "falcoplug run: progress 100.00% after 4 events: 4 of 4 events\n"
                             "metric events_produced monotonic u64 4\n"
                             "metric open_captures non_monotonic u32 1\n");
    free(out);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_info),
        cmocka_unit_test(test_check),
        cmocka_unit_test(test_run),
        cmocka_unit_test(test_run_metrics_progress),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
