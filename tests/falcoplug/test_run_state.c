/* `falcoplug run --capture` on a capture Falco wrote (tests/data/
 * heartbeat_falco.scap: users, groups, heartbeat's dump_state event and a
 * heartbeat, then nodriver events and more heartbeats), replayed as libsinsp
 * replays it: the leading starting-state events are parsed and numbered but
 * not printed, the later async events are printed, and a parser sees what
 * libsinsp's parsers see, with the same evt.num. The expected output is real
 * libsinsp's (tests/data/golden/heartbeat_falco.statecount.txt, recorded with
 * plughost; see tests/data/golden/README.md). */
#include "fp_test.h"

#define SC_FMT "'%%sc.parsed %%sc.state %%sc.async %%sc.lastnum'"

/* The golden file, then falcoplug's final line for its event count. */
static char *golden_output(void)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/golden/heartbeat_falco.statecount.txt", env("FALCO_TEST_DATA_DIR"));
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("cannot open %s", path);
    size_t len;
    char *g = slurp(f, &len);
    fclose(f);
    size_t lines = count_lines(g);
    assert_int_equal(lines, 45);
    char *want = malloc(len + 64);
    assert_non_null(want);
    snprintf(want, len + 64, "%sEOF after %zu events\n", g, lines);
    free(g);
    return want;
}

/* One plugin driven directly, and the same in a session of two (--with):
 * libsinsp's lines, event numbers and parse counts, byte for byte. */
static void test_parse_counts_as_libsinsp(void **state)
{
    (void)state;
    char args[4096];
    int code;
    char *want = golden_output();
    snprintf(args, sizeof args, "run '%s' --capture '%s/heartbeat_falco.scap' -o " SC_FMT, env("STATECOUNT_PLUGIN"),
             env("FALCO_TEST_DATA_DIR"));
    char *one = falcoplug(args, false, &code);
    assert_int_equal(code, 0);
    assert_string_equal(one, want);
    snprintf(args, sizeof args, "run '%s' --with '%s' --capture '%s/heartbeat_falco.scap' -o " SC_FMT,
             env("STATECOUNT_PLUGIN"), env("SYSFIELDS_PLUGIN"), env("FALCO_TEST_DATA_DIR"));
    char *two = falcoplug(args, false, &code);
    assert_int_equal(code, 0);
    assert_string_equal(two, want);
    free(one);
    free(two);
    free(want);
}

/* The default lines: the first is the first event after the starting state
 * (evt.num 74), the syscall-source heartbeats later in the file are printed
 * (not skipped as another plugin's events), no user, group or dump_state
 * event is. */
static void test_default_lines(void **state)
{
    (void)state;
    char args[4096];
    int code;
    snprintf(args, sizeof args, "run '%s' --capture '%s/heartbeat_falco.scap'", env("SYSFIELDS_PLUGIN"),
             env("FALCO_TEST_DATA_DIR"));
    char *out = falcoplug(args, true, &code);
    assert_int_equal(code, 0);
    assert_true(strncmp(out, "74 ts=1795986011246476000 > scapevent ", 38) == 0);
    assert_has(out, "\n78 ts=1795986011550236000 > asyncevent plugin_id=0 name=heartbeat "
                    "data={\"beat\":2,\"routine_runs\":0}.\n"); /* sysfields: open exits only */
    assert_int_equal(count_of(out, " > asyncevent plugin_id=0 name=heartbeat "), 7);
    assert_null(strstr(out, "heartbeat_state"));
    assert_null(strstr(out, "useradded"));
    assert_null(strstr(out, "groupadded"));
    assert_null(strstr(out, "skipped"));
    assert_has(out, "EOF after 45 events\n");
    free(out);

    /* -n counts returned events only */
    snprintf(args, sizeof args, "run '%s' --capture '%s/heartbeat_falco.scap' -n 5 -o " SC_FMT,
             env("STATECOUNT_PLUGIN"), env("FALCO_TEST_DATA_DIR"));
    out = falcoplug(args, false, &code);
    assert_int_equal(code, 0);
    assert_string_equal(out, "74 74 71 2 74\n75 75 71 2 75\n76 76 71 2 76\n77 77 71 2 77\n78 78 71 3 78\n"
                             "stopped after 5 events\n");
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_counts_as_libsinsp),
        cmocka_unit_test(test_default_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
