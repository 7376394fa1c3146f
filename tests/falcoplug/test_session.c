/* `falcoplug run` with several plugins in one session (--with), async events,
 * --nodriver, --dump-state, and info/check of the parse, async and listen
 * capabilities, partial symbol sets included. */
#include "fp_test.h"

/* A source plus an extract-only plugin given with --with: the values the
 * second reads from the source's events are the source's own, line for line
 * with the same event numbers. */
static void test_with_extractor_same_values(void **state)
{
    (void)state;
    char args[4096];
    int code;
    snprintf(args, sizeof args, "run '%s' --open 7 -o 'v=%%gen.value s=%%gen.step'", env("GENERATOR_PLUGIN"));
    char *single = falcoplug(args, false, &code);
    assert_int_equal(code, 0);
    snprintf(args, sizeof args, "run '%s' --open 7 --with '%s' -o 'v=%%genecho.value s=%%genecho.step'",
             env("GENERATOR_PLUGIN"), env("GENECHO_PLUGIN"));
    char *multi = falcoplug(args, false, &code);
    assert_int_equal(code, 0);
    assert_string_equal(single, multi);
    assert_has(multi, "EOF after 7 events\n");
    /* fields of both plugins in one template, resolved in load order */
    snprintf(args, sizeof args, "run '%s' --open 4 --with '%s' -o '%%gen.value=%%genecho.value'",
             env("GENERATOR_PLUGIN"), env("GENECHO_PLUGIN"));
    char *both = falcoplug(args, false, &code);
    assert_int_equal(code, 0);
    unsigned long long num, a, b;
    int lines = 0;
    for (char *l = both; sscanf(l, "%llu %llu=%llu", &num, &a, &b) == 3; l = strchr(l, '\n') + 1) {
        assert_int_equal(num, (unsigned long long)++lines);
        assert_int_equal(a, b);
    }
    assert_int_equal(lines, 4);
    free(single);
    free(multi);
    free(both);
}

/* A source plugin's events recorded with -w and replayed with --capture:
 * the --with extractor reads them as the source itself does. */
static void test_capture_plugin_source_with_extractor(void **state)
{
    (void)state;
    char args[4096], path[1024];
    int code;
    temp_path(path, sizeof path, "session", "scap");
    snprintf(args, sizeof args, "run '%s' --open 6 -w '%s'", env("GENERATOR_PLUGIN"), path);
    char *out = falcoplug(args, false, &code);
    assert_int_equal(code, 0);
    free(out);
    snprintf(args, sizeof args, "run '%s' --capture '%s' -o 'v=%%gen.value s=%%gen.step'", env("GENERATOR_PLUGIN"),
             path);
    char *single = falcoplug(args, false, &code);
    assert_int_equal(code, 0);
    assert_has(single, "\n6 v=");
    snprintf(args, sizeof args, "run '%s' --capture '%s' --with '%s' -o 'v=%%genecho.value s=%%genecho.step'",
             env("GENERATOR_PLUGIN"), path, env("GENECHO_PLUGIN"));
    char *multi = falcoplug(args, false, &code);
    assert_int_equal(code, 0);
    assert_string_equal(single, multi);
    free(single);
    free(multi);
    unlink(path);
}

/* A parse plugin over a syscall capture with an extractor beside it: the
 * extractor's values are those of its single-plugin run, and the parser's
 * counts are libsinsp's (plughost -p opencount -s curl_google.scap prints
 * "216 /etc/ld.so.cache 1 1" for evt.num fd.name opencount.total/file). */
static void test_capture_parser_and_extractor(void **state)
{
    (void)state;
    char args[4096];
    int code;
    snprintf(args, sizeof args, "run '%s' --capture '%s/curl_google.scap' -o 'fd=%%sys.fd name=%%sys.name'",
             env("SYSFIELDS_PLUGIN"), env("FALCO_TEST_DATA_DIR"));
    char *single = falcoplug(args, false, &code);
    assert_int_equal(code, 0);
    snprintf(args, sizeof args, "run '%s' --capture '%s/curl_google.scap' --with '%s' -o 'fd=%%sys.fd name=%%sys.name'",
             env("OPENCOUNT_PLUGIN"), env("FALCO_TEST_DATA_DIR"), env("SYSFIELDS_PLUGIN"));
    char *multi = falcoplug(args, false, &code);
    assert_int_equal(code, 0);
    assert_string_equal(single, multi);
    snprintf(args, sizeof args,
             "run '%s' --capture '%s/curl_google.scap' --with '%s' --type open -n 2 "
             "-o 'name=%%sys.name total=%%opencount.total file=%%opencount.file'",
             env("OPENCOUNT_PLUGIN"), env("FALCO_TEST_DATA_DIR"), env("SYSFIELDS_PLUGIN"));
    char *counts = falcoplug(args, false, &code);
    assert_int_equal(code, 0);
    assert_string_equal(counts, "216 name=/etc/ld.so.cache total=1 file=1\n"
                                "222 name=/usr/lib/x86_64-linux-gnu/libcurl-gnutls.so.4 total=2 file=1\n"
                                "stopped after 2 events\n");
    free(single);
    free(multi);
    free(counts);
}

/* Async events sent when the handler is installed (timestamp "now") go
 * before the source's first event, as their own lines, payload escaped and
 * cut; the source's events follow, numbered after them. */
static void test_async_lines_with_source(void **state)
{
    (void)state;
    char args[4096];
    int code;
    snprintf(args, sizeof args, "run '%s' --open 2 --with '%s' -o 'v=%%gen.value'", env("GENERATOR_PLUGIN"),
             env("SNAPPER_PLUGIN"));
    char *out = falcoplug(args, false, &code);
    assert_int_equal(code, 0);
    char expected[1024];
    snprintf(expected, sizeof expected,
             "1 async snapper snap hello\n"
             "2 async snapper snap .[2J%.116s... (206 bytes)\n"
             "3 v=1\n"
             "4 v=",
             "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
             "xxxxxxxxxxxxxxxxxxxx");
    assert_true(strncmp(out, expected, strlen(expected)) == 0);
    assert_has(out, "\nEOF after 4 events\n");
    assert_int_equal(count_of(out, "\n"), 5);
    free(out);
}

/* --nodriver: no source, the heartbeat's async events flow until -n; then
 * --dump-state asks for its state and prints what comes back. */
static void test_nodriver_heartbeat_dump_state(void **state)
{
    (void)state;
    char args[4096];
    int code;
    snprintf(args, sizeof args, "run --nodriver --with '%s' -n 2 --dump-state --metrics", env("HEARTBEAT_PLUGIN"));
    char *out = falcoplug(args, false, &code);
    assert_int_equal(code, 0);
    assert_true(strncmp(out, "1 async heartbeat heartbeat {\"beat\":1,", 38) == 0);
    assert_has(out, "\n2 async heartbeat heartbeat {\"beat\":2,");
    assert_has(out, "\nstopped after 2 events\ndump heartbeat heartbeat_state {\"beats\":");
    assert_has(out, "\ndump_state: 1 events\n");
    assert_has(out, "\nmetric beats monotonic u64 ");
    /* its routine ran on the session's pool (capture_open at open, every 100 ms) */
    const char *runs = strstr(out, "\nmetric routine_runs monotonic u64 ");
    assert_non_null(runs);
    assert_true(strtoull(runs + strlen("\nmetric routine_runs monotonic u64 "), NULL, 10) > 0);
    free(out);

    /* wall time ends an async-only run; dump_state payloads stay on one line */
    snprintf(args, sizeof args, "run --nodriver --with '%s' --timeout-ms 200 --dump-state", env("SNAPPER_PLUGIN"));
    out = falcoplug(args, false, &code);
    assert_int_equal(code, 0);
    assert_has(out, "1 async snapper snap hello\n");
    assert_has(out, "timeout after 2 events\n"
                    "dump snapper snap first\n"
                    "dump snapper snap second.line\n"
                    "dump_state: 2 events\n");
    free(out);
}

/* Mistakes are named: a field no plugin has, two plugins of one name, an
 * empty --with, --nodriver with a source option. */
static void test_session_errors(void **state)
{
    (void)state;
    char args[4096];
    snprintf(args, sizeof args, "run '%s' --with '%s' -o '%%nope.x'", env("GENERATOR_PLUGIN"), env("GENECHO_PLUGIN"));
    expect_falcoplug(args, true, 1, "no loaded plugin has a field 'nope.x'");
    snprintf(args, sizeof args, "run '%s' --with '%s'", env("GENERATOR_PLUGIN"), env("GENERATOR_PLUGIN"));
    expect_falcoplug(args, true, 1, "found another plugin with name 'generator'");
    snprintf(args, sizeof args, "run '%s' --with '|{}'", env("GENERATOR_PLUGIN"));
    expect_falcoplug(args, true, 1, "--with \"|{}\": no plugin path");
    snprintf(args, sizeof args, "run '%s' --with '%s' --progress", env("GENERATOR_PLUGIN"), env("GENECHO_PLUGIN"));
    expect_falcoplug(args, true, 2, "--progress is for a single plugin's source");
    snprintf(args, sizeof args, "run --nodriver --with '%s' --capture x.scap", env("HEARTBEAT_PLUGIN"));
    expect_falcoplug(args, true, 2, "--nodriver opens no source");
    /* a plugin's config after '|' reaches its init */
    snprintf(args, sizeof args, "run '%s' --nodriver --with '%s|{\"jitter\": 0}' -n 1", env("HEARTBEAT_PLUGIN"),
             env("GENERATOR_PLUGIN"));
    expect_falcoplug(args, true, 1, "plugin 'generator': init: init config rejected by the schema: config.jitter");
}

/* info and check of each capability, as libsinsp detects them. */
static void test_info_check_capabilities(void **state)
{
    (void)state;
    char args[4096];
    int code;
    snprintf(args, sizeof args, "info '%s'", env("HEARTBEAT_PLUGIN"));
    char *out = falcoplug(args, false, &code);
    assert_int_equal(code, 0);
    assert_has(out, "capabilities: async listen\n");
    assert_has(out, "async events: heartbeat, heartbeat_state\n");
    assert_has(out, "dump state: yes (1 event after init)\n");
    assert_has(out, "capture open/close: ok\n");
    free(out);
    snprintf(args, sizeof args, "check '%s'", env("HEARTBEAT_PLUGIN"));
    out = falcoplug(args, false, &code);
    assert_int_equal(code, 0);
    assert_has(out, "ok   async handler (");
    assert_has(out, "ok   capture open\nok   capture close\nok   dump state (1 event)\n");
    free(out);

    snprintf(args, sizeof args, "info '%s'", env("OPENCOUNT_PLUGIN"));
    out = falcoplug(args, false, &code);
    assert_int_equal(code, 0);
    assert_has(out, "capabilities: extract parse\n");
    assert_has(out, "parse sources: syscall\n");
    assert_has(out, "parse event types: 3, 103, 307, 327\n");
    assert_has(out, "dump state: no\n");
    free(out);
    snprintf(args, sizeof args, "check '%s'", env("OPENCOUNT_PLUGIN"));
    out = falcoplug(args, false, &code);
    assert_int_equal(code, 0);
    assert_has(out, "ok   parse event types (3 103 307 327)\n");
    assert_int_equal(count_of(out, "dump state"), 0);
    free(out);

    snprintf(args, sizeof args, "check '%s'", env("SNAPPER_PLUGIN"));
    out = falcoplug(args, false, &code);
    assert_int_equal(code, 0);
    assert_has(out, "ok   parse event types (3 5)\n");
    assert_has(out, "ok   async handler (2 events accepted, 0 rejected)\n");
    assert_has(out, "ok   dump state (2 events)\n");
    free(out);
}

/* A partial symbol set is a broken plugin: refused at load by info, check
 * and run, with libsinsp's reason. */
static void test_partial_capability_broken(void **state)
{
    (void)state;
    static const struct {
        const char *env, *why;
    } cases[] = {
        { "HALFLISTEN_PLUGIN", "broken plugin capabilities: must implement both 'plugin_capture_open' and "
                               "'plugin_capture_close' (capture listening)" },
        { "HALFASYNC_PLUGIN", "broken plugin capabilities: must implement both 'plugin_get_async_events' and "
                              "'plugin_set_async_event_handler' (async events)" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char args[4096];
        int code;
        snprintf(args, sizeof args, "check '%s'", env(cases[i].env));
        char *out = falcoplug(args, false, &code);
        assert_int_equal(code, 1);
        assert_has(out, "FAIL load: ");
        assert_has(out, cases[i].why);
        free(out);
        snprintf(args, sizeof args, "info '%s'", env(cases[i].env));
        expect_falcoplug(args, true, 1, cases[i].why);
        snprintf(args, sizeof args, "run --nodriver --with '%s' -n 1", env(cases[i].env));
        expect_falcoplug(args, true, 1, cases[i].why);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_with_extractor_same_values),
        cmocka_unit_test(test_capture_plugin_source_with_extractor),
        cmocka_unit_test(test_capture_parser_and_extractor),
        cmocka_unit_test(test_async_lines_with_source),
        cmocka_unit_test(test_nodriver_heartbeat_dump_state),
        cmocka_unit_test(test_session_errors),
        cmocka_unit_test(test_info_check_capabilities),
        cmocka_unit_test(test_partial_capability_broken),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
