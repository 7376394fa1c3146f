/*
 * `falcoplug check PLUGIN --with PATH[|CONFIG]...`: the --with plugins are
 * loaded and initialized first, in order, in one session with PLUGIN, so a
 * plugin that imports a partner's table (procgroupfields needs procgroups'
 * `procgroups`) checks clean with it and fails alone, as in libsinsp. A
 * partner that fails is named with the step that failed; usage errors exit 2.
 */
#include "fp_test.h"

#define TABLE_MISSING "table 'procgroups': the host has no such table (it has: threads)"

/* Runs `falcoplug check <args>`, stdout and stderr apart. */
static result check(const char *fmt, ...)
{
    char args[4096], cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    assert_true(n > 0 && (size_t)n < sizeof args);
    n = snprintf(cmd, sizeof cmd, "'%s' check %s", env("FALCOPLUG"), args);
    assert_true(n > 0 && (size_t)n < sizeof cmd);
    return run_split(cmd);
}

static void expect_code(const result *r, int want)
{
    if (r->code != want)
        fail_msg("exit %d, want %d; stdout:\n%s\nstderr:\n%s", r->code, want, r->out, r->err);
}

/* Line i (from 0) of s into line (cut to size); false past the last. */
static bool line_at(const char *s, size_t i, char *line, size_t size)
{
    for (; i > 0; i--) {
        s = strchr(s, '\n');
        if (!s)
            return false;
        s++;
    }
    if (!*s)
        return false;
    size_t len = strcspn(s, "\n");
    snprintf(line, size, "%.*s", (int)len, s);
    return true;
}

/* The importer alone: init fails on the missing table, as libsinsp's does. */
static void test_alone_fails_on_table(void **state)
{
    (void)state;
    result r = check("'%s'", env("PROCGROUPFIELDS_PLUGIN"));
    expect_code(&r, 1);
    assert_has(r.out, "ok   load\n");
    assert_has(r.out, "FAIL init: ");
    assert_has(r.out, TABLE_MISSING "\n");
    assert_has(r.out, "1 problem: ");
    assert_null(strstr(r.out, "with "));
    result_free(&r);
}

/* With its exporter first: clean, and every check after init ran on the
 * importer (its extract event types), the partner's line first. */
static void test_with_exporter_is_clean(void **state)
{
    (void)state;
    const char *pg = env("PROCGROUPS_PLUGIN");
    result r = check("'%s' --with '%s'", env("PROCGROUPFIELDS_PLUGIN"), pg);
    expect_code(&r, 0);
    char want[2048], line[2048];
    snprintf(want, sizeof want, "ok   with %s (procgroups 0.1.0)", pg);
    assert_true(line_at(r.out, 0, line, sizeof line));
    assert_string_equal(line, want);
    static const char *const rest[] = { "ok   load", "ok   fields (7)", "ok   init" };
    for (size_t i = 0; i < sizeof rest / sizeof rest[0]; i++) {
        assert_true(line_at(r.out, i + 1, line, sizeof line));
        assert_string_equal(line, rest[i]);
    }
    assert_has(r.out, "\nok   extract event types (");
    assert_has(r.out, "\nok   metrics (0)\n");
    assert_has(r.out, "\nclean: procgroupfields 0.1.0\n");
    assert_null(strstr(r.out, "FAIL"));
    assert_int_equal(count_of(r.out, "ok   with "), 1);
    result_free(&r);
}

/* The order given is the order of init: the importer as the partner of the
 * exporter fails, named as the partner, and the checked plugin is not
 * checked. */
static void test_partner_init_failure(void **state)
{
    (void)state;
    const char *pgf = env("PROCGROUPFIELDS_PLUGIN");
    result r = check("'%s' --with '%s'", env("PROCGROUPS_PLUGIN"), pgf);
    expect_code(&r, 1);
    char want[2048];
    snprintf(want, sizeof want, "FAIL with %s: init: ", pgf);
    assert_has(r.out, want);
    assert_has(r.out, TABLE_MISSING "\n");
    assert_has(r.out, "1 problem in the --with plugins: ");
    assert_has(r.out, " not checked\n");
    assert_null(strstr(r.out, "ok   load")); /* PLUGIN was not checked */
    assert_null(strstr(r.out, "clean"));
    result_free(&r);
}

/* A partner's init config after the '|': rejected by its schema, the
 * failure names the partner and the option; accepted, the check goes on. */
static void test_partner_config(void **state)
{
    (void)state;
    const char *gen = env("GENERATOR_PLUGIN");
    result r = check("'%s' --with '%s|{\"jitter\": 0}' --with '%s'", env("PROCGROUPFIELDS_PLUGIN"), gen,
                     env("PROCGROUPS_PLUGIN"));
    expect_code(&r, 1);
    char want[2048];
    snprintf(want, sizeof want, "FAIL with %s: init: ", gen);
    assert_has(r.out, want);
    assert_has(r.out, "config.jitter: value 0 is less than minimum 1");
    assert_null(strstr(r.out, "(procgroups ")); /* stopped at the first partner */
    result_free(&r);

    r = check("'%s' --with '%s|{\"jitter\": 5}' --with '%s'", env("PROCGROUPFIELDS_PLUGIN"), gen,
              env("PROCGROUPS_PLUGIN"));
    expect_code(&r, 0);
    assert_has(r.out, "(generator 0.1.0)\nok   with ");
    assert_has(r.out, "clean: procgroupfields 0.1.0\n");
    result_free(&r);
}

/* --with twice, each partner in order: the second needs the first's table. */
static void test_with_twice(void **state)
{
    (void)state;
    const char *pg = env("PROCGROUPS_PLUGIN"), *pgf = env("PROCGROUPFIELDS_PLUGIN");
    result r = check("'%s' --with '%s' --with '%s'", env("GENERATOR_PLUGIN"), pg, pgf);
    expect_code(&r, 0);
    char want[4096];
    snprintf(want, sizeof want, "ok   with %s (procgroups 0.1.0)\nok   with %s (procgroupfields 0.1.0)\nok   load\n",
             pg, pgf);
    if (strncmp(r.out, want, strlen(want)) != 0)
        fail_msg("expected the output to start with:\n%s\ngot:\n%s", want, r.out);
    assert_has(r.out, "clean: generator 0.1.0\n");
    result_free(&r);

    /* the other order: the first partner fails, the second is not loaded */
    r = check("'%s' --with '%s' --with '%s'", env("GENERATOR_PLUGIN"), pgf, pg);
    expect_code(&r, 1);
    snprintf(want, sizeof want, "FAIL with %s: init: ", pgf);
    assert_has(r.out, want);
    assert_null(strstr(r.out, "(procgroups "));
    result_free(&r);
}

/* Two plugins of one name are refused, as libsinsp's plugin manager does:
 * a partner given twice, or the checked plugin as its own partner. */
static void test_same_name_refused(void **state)
{
    (void)state;
    const char *pg = env("PROCGROUPS_PLUGIN");
    result r = check("'%s' --with '%s' --with '%s'", env("PROCGROUPFIELDS_PLUGIN"), pg, pg);
    expect_code(&r, 1);
    char want[2048];
    snprintf(want, sizeof want, "FAIL with %s: init: session: add: found another plugin with name 'procgroups'\n", pg);
    assert_has(r.out, want);
    result_free(&r);

    r = check("'%s' --with '%s'", pg, pg);
    expect_code(&r, 1);
    assert_has(r.out, "ok   load\nFAIL init: session: add: found another plugin with name 'procgroups'\n");
    assert_has(r.out, "1 problem: ");
    result_free(&r);
}

/* A partner that does not load: no such file, not a plugin, a broken
 * capability set (every rule it broke, each named as the partner's); a
 * path with control characters stays on one line. */
static void test_partner_load_failure(void **state)
{
    (void)state;
    const char *pgf = env("PROCGROUPFIELDS_PLUGIN");
    char missing[1024];
    temp_path(missing, sizeof missing, "nosuch", "so");
    result r = check("'%s' --with '%s'", pgf, missing);
    expect_code(&r, 1);
    char want[2048];
    snprintf(want, sizeof want, "FAIL with %s: load: ", missing);
    assert_has(r.out, want);
    assert_has(r.out, "No such file or directory\n");
    assert_has(r.out, " not checked\n");
    result_free(&r);

    /* a file that is no shared object (this test's source) */
    char src[1024];
    snprintf(src, sizeof src, "%s/tests/falcoplug/test_check_with.c", env("FALCO_SOURCE_DIR"));
    r = check("'%s' --with '%s'", pgf, src);
    expect_code(&r, 1);
    snprintf(want, sizeof want, "FAIL with %s: load: ", src);
    assert_has(r.out, want);
    result_free(&r);

    r = check("'%s' --with '%s'", pgf, env("HALFASYNC_PLUGIN"));
    expect_code(&r, 1);
    snprintf(want, sizeof want, "FAIL with %s: load: plugin 'halfasync': load: broken plugin capabilities",
             env("HALFASYNC_PLUGIN"));
    assert_has(r.out, want);
    result_free(&r);

    r = check("'%s' --with \"$(printf '/nonexistent/a\\nFAIL forged\\033[31m.so')\"", pgf);
    expect_code(&r, 1);
    assert_no_controls(r.out, r.out_len);
    assert_has(r.out, "FAIL with /nonexistent/a.FAIL forged.[31m.so: load: ");
    assert_int_equal(count_lines(r.out), 2); /* the FAIL, the summary */
    result_free(&r);
}

/* Usage errors: exit 2 and a message naming the argument. */
static void test_usage(void **state)
{
    (void)state;
    const char *pgf = env("PROCGROUPFIELDS_PLUGIN");
    result r = check("'%s' --with", pgf);
    expect_code(&r, 2);
    assert_has(r.err, "falcoplug check: missing the value of '--with'");
    result_free(&r);

    static const char *const empty[] = { "", "|{}" };
    for (size_t i = 0; i < 2; i++) {
        r = check("'%s' --with '%s'", pgf, empty[i]);
        expect_code(&r, 2);
        char want[256];
        snprintf(want, sizeof want, "--with \"%s\": no plugin path (expected PATH[|CONFIG])", empty[i]);
        assert_has(r.err, want);
        assert_string_equal(r.out, "");
        result_free(&r);
    }

    r = check("--with '%s'", env("PROCGROUPS_PLUGIN"));
    expect_code(&r, 2);
    assert_has(r.err, "missing PLUGIN");
    result_free(&r);

    r = check("--help");
    expect_code(&r, 0);
    assert_has(r.out, "[--with PATH[|CONFIG]]...");
    result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alone_fails_on_table),
        cmocka_unit_test(test_with_exporter_is_clean),
        cmocka_unit_test(test_partner_init_failure),
        cmocka_unit_test(test_partner_config),
        cmocka_unit_test(test_with_twice),
        cmocka_unit_test(test_same_name_refused),
        cmocka_unit_test(test_partner_load_failure),
        cmocka_unit_test(test_usage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
