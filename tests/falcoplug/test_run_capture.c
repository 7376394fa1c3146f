/* `falcoplug run` with -w and --capture: a live run recorded and replayed
 * gives the same values; a syscall capture feeds a syscall-extracting plugin. */
#include "fp_test.h"

#define GEN_FMT "'v=%%gen.value s=%%gen.step t=%%gen.strvalue d=%%gen.divisible[3] l=%%gen.label'"

static void test_generator_round_trip(void **state)
{
    (void)state;
    char path[1024], args[4096];
    int code;
    temp_path(path, sizeof path, "rt", "scap");
    snprintf(args, sizeof args, "run '%s' --open 25 -o " GEN_FMT " -w '%s'", env("GENERATOR_PLUGIN"), path);
    char *live = falcoplug(args, false, &code);
    assert_int_equal(code, 0);
    assert_non_null(strstr(live, "\n25 v="));
    assert_non_null(strstr(live, "EOF after 25 events\n"));

    snprintf(args, sizeof args, "run '%s' --capture '%s' -o " GEN_FMT, env("GENERATOR_PLUGIN"), path);
    char *replay = falcoplug(args, false, &code);
    assert_int_equal(code, 0);
    assert_string_equal(replay, live);

    /* dump sees the 25 plugin events with the host-filled tid */
    snprintf(args, sizeof args, "dump '%s'", path);
    char *dump = falcoplug(args, false, &code);
    assert_int_equal(code, 0);
    assert_int_equal(count_lines(dump), 25);
    assert_non_null(strstr(dump, " -1 > pluginevent plugin_id=999 event_data="));
    free(dump);

    /* default lines: the live text, then the field values */
    snprintf(args, sizeof args, "run '%s' --capture '%s' -n 1", env("GENERATOR_PLUGIN"), path);
    char *def = falcoplug(args, false, &code);
    assert_int_equal(code, 0);
    snprintf(args, sizeof args, "run '%s' --open 25 -n 1", env("GENERATOR_PLUGIN"));
    char *live_def = falcoplug(args, false, &code);
    assert_int_equal(code, 0);
    char *nl = strchr(live_def, '\n');
    assert_non_null(nl);
    char *ts = strstr(live_def, " ts=");
    assert_non_null(ts);
    /* same event text after the timestamp (the live ts differs run to run) */
    char *text = strchr(ts + 1, ' ');
    *nl = '\0';
    assert_non_null(strstr(def, text));
    assert_non_null(strstr(def, " | gen.value=1 gen.step="));
    assert_non_null(strstr(def, "stopped after 1 events\n"));
    free(def);
    free(live_def);
    free(live);
    free(replay);
    unlink(path);
}

static void test_syscall_capture(void **state)
{
    (void)state;
    char args[4096];
    int code;
    snprintf(args, sizeof args, "run '%s' --capture '%s/curl_google.scap' -o 'fd=%%sys.fd name=%%sys.name'",
             env("SYSFIELDS_PLUGIN"), env("FALCO_TEST_DATA_DIR"));
    char *out = falcoplug(args, false, &code);
    assert_int_equal(code, 0);
    /* the events libsinsp sees, numbered as libsinsp numbers them; open exits have values */
    assert_true(strncmp(out, "1 fd=<NA> name=<NA>\n", 20) == 0);
    assert_non_null(strstr(out, "\n216 fd=3 name=/etc/ld.so.cache\n"));
    assert_non_null(strstr(out, "\n222 fd=3 name=/usr/lib/x86_64-linux-gnu/libcurl-gnutls.so.4\n"));
    assert_null(strstr(out, "\n215 ")); /* the open enter: numbered by libsinsp, not returned */
    assert_non_null(strstr(out, "EOF after 939 events\n"));
    assert_int_equal(count_lines(out), 940);
    free(out);

    /* --type keeps the numbering; default lines carry the event text and values */
    snprintf(args, sizeof args, "run '%s' --capture '%s/curl_google.scap' --type SYSCALL_OPEN_X",
             env("SYSFIELDS_PLUGIN"), env("FALCO_TEST_DATA_DIR"));
    out = falcoplug(args, false, &code);
    assert_int_equal(code, 0);
    assert_non_null(strstr(out, "216 ts=1534527348514682170 < open fd=3 name=/etc/ld.so.cache "
                                "flags=4097(O_RDONLY|O_CLOEXEC) mode=0 dev=<NA> ino=<NA> | sys.fd=3 sys.name=/etc/ld.so.cache\n"));
    assert_non_null(strstr(out, "EOF after 48 events\n"));
    assert_int_equal(count_lines(out), 49);
    free(out);

    /* a source plugin on a syscall capture: its fields have no value there */
    snprintf(args, sizeof args, "run '%s' --capture '%s/curl_google.scap' -n 2 -o 'v=%%gen.value'",
             env("GENERATOR_PLUGIN"), env("FALCO_TEST_DATA_DIR"));
    out = falcoplug(args, false, &code);
    assert_int_equal(code, 0);
    assert_string_equal(out, "1 v=<NA>\n2 v=<NA>\nstopped after 2 events\n");
    free(out);
}

static void test_foreign_plugin_events_skipped(void **state)
{
    (void)state;
    char path[1024], args[4096];
    int code;
    temp_path(path, sizeof path, "foreign", "scap");
    snprintf(args, sizeof args, "run '%s' --open 4 -w '%s' -n 4", env("GENERATOR_PLUGIN"), path);
    free(falcoplug(args, false, &code));
    assert_int_equal(code, 0);
    /* sysfields has no source: events of plugin 999 belong to a source it does not know */
    snprintf(args, sizeof args, "run '%s' --capture '%s'", env("SYSFIELDS_PLUGIN"), path);
    char *out = falcoplug(args, true, &code);
    assert_int_equal(code, 0);
    assert_non_null(strstr(out, "EOF after 0 events\n"));
    assert_non_null(strstr(out, "4 events of other plugins skipped"));
    free(out);
    unlink(path);
}

static void test_usage_and_input_errors(void **state)
{
    (void)state;
    char args[4096];
    int code;
    snprintf(args, sizeof args, "run '%s' --capture /nonexistent/x.scap", env("SYSFIELDS_PLUGIN"));
    expect_falcoplug(args, true, 1, "/nonexistent/x.scap");
    snprintf(args, sizeof args, "run '%s' --capture a.scap -w b.scap", env("GENERATOR_PLUGIN"));
    expect_falcoplug(args, true, 2, "does not go with --capture");
    snprintf(args, sizeof args, "run '%s' --type no_such_event", env("GENERATOR_PLUGIN"));
    expect_falcoplug(args, true, 2, "--type no_such_event: no such event type");
    /* no source and no --capture: nothing to run */
    snprintf(args, sizeof args, "run '%s'", env("SYSFIELDS_PLUGIN"));
    expect_falcoplug(args, true, 1, "has no event sourcing capability (use --capture FILE)");
    /* a file cut short: the events before the cut are printed, then the error */
    char path[1024], cut[1100];
    temp_path(path, sizeof path, "cut", "scap");
    snprintf(args, sizeof args, "run '%s' --open 3 -w '%s'", env("GENERATOR_PLUGIN"), path);
    free(falcoplug(args, false, &code));
    assert_int_equal(code, 0);
    snprintf(cut, sizeof cut, "%s.cut", path);
    FILE *in = fopen(path, "rb"), *o = fopen(cut, "wb");
    assert_non_null(in);
    assert_non_null(o);
    char buf[1 << 14];
    size_t n = fread(buf, 1, sizeof buf, in);
    assert_true(n > 10);
    fwrite(buf, 1, n - 10, o);
    fclose(in);
    fclose(o);
    snprintf(args, sizeof args, "run '%s' --capture '%s' -o v=%%gen.value", env("GENERATOR_PLUGIN"), cut);
    char *out = falcoplug(args, true, &code);
    assert_int_equal(code, 1);
    assert_non_null(strstr(out, "2 v="));
    assert_non_null(strstr(out, "stopped after 2 events"));
    free(out);
    unlink(path);
    unlink(cut);
}

static void test_help_mentions_capture(void **state)
{
    (void)state;
    int code;
    char *out = falcoplug("run --help", false, &code);
    assert_int_equal(code, 0);
    assert_non_null(strstr(out, "--capture FILE"));
    assert_non_null(strstr(out, "-w OUT.scap"));
    assert_non_null(strstr(out, "--type N|NAME"));
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generator_round_trip),
        cmocka_unit_test(test_syscall_capture),
        cmocka_unit_test(test_foreign_plugin_events_skipped),
        cmocka_unit_test(test_usage_and_input_errors),
        cmocka_unit_test(test_help_mentions_capture),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
