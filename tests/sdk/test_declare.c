/* What a plugin .so built with falco_add_plugin exports: exactly the
 * plugin_* symbols of the capabilities it declares (nm -D), nothing needed
 * at run time but libc (readelf -d), and the capabilities the host detects
 * from them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sdk_test.h"

#define BASE_SYMBOLS                                                                                          \
    "plugin_destroy", "plugin_get_contact", "plugin_get_description", "plugin_get_init_schema",              \
        "plugin_get_last_error", "plugin_get_metrics", "plugin_get_name", "plugin_get_required_api_version", \
        "plugin_get_required_event_schema_version", "plugin_get_version", "plugin_init", "plugin_set_config"
#define SOURCE_SYMBOLS                                                                                       \
    "plugin_close", "plugin_event_to_string", "plugin_get_progress", "plugin_list_open_params",             \
        "plugin_next_batch", "plugin_open"
#define SOURCE_ID_SYMBOLS "plugin_get_event_source", "plugin_get_id"
#define EXTRACT_SYMBOLS                                                                                      \
    "plugin_extract_fields", "plugin_get_extract_event_sources", "plugin_get_extract_event_types",          \
        "plugin_get_fields"

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Compares the sorted dynamic symbols defined by the .so in `var` with want. */
static void expect_exports(const char *var, const char **want, size_t n) {
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "nm -D --defined-only '%s' | awk '{print $NF}' | sort", sdkt_env(var));
    int status;
    char *out = sdkt_run(cmd, &status);
    assert_int_equal(status, 0);
    qsort(want, n, sizeof *want, cmp_str);
    char *expected = calloc(1, 4096);
    assert_non_null(expected);
    for (size_t i = 0; i < n; i++) {
        strcat(expected, want[i]);
        strcat(expected, "\n");
    }
    assert_string_equal(out, expected);
    free(expected);
    free(out);
}

static void test_source_extract_exports(void **state) {
    (void)state;
    const char *want[] = {BASE_SYMBOLS, SOURCE_SYMBOLS, SOURCE_ID_SYMBOLS, EXTRACT_SYMBOLS};
    expect_exports("SDKT_SRCPLUG", want, FALCO_COUNT(want));
}

static void test_extract_only_exports(void **state) {
    (void)state;
    const char *want[] = {BASE_SYMBOLS, EXTRACT_SYMBOLS};
    expect_exports("SDKT_XPLUG", want, FALCO_COUNT(want));
}

static void test_source_only_exports(void **state) {
    (void)state;
    const char *want[] = {BASE_SYMBOLS, SOURCE_SYMBOLS, SOURCE_ID_SYMBOLS};
    expect_exports("SDKT_SRCMIN", want, FALCO_COUNT(want));
}

static void test_syscall_source_exports(void **state) {
    (void)state;
    const char *want[] = {BASE_SYMBOLS, SOURCE_SYMBOLS}; /* no get_id, no get_event_source */
    expect_exports("SDKT_SYSPLUG", want, FALCO_COUNT(want));
}

static void test_needs_only_libc(void **state) {
    (void)state;
    static const char *const vars[] = {"SDKT_SRCPLUG", "SDKT_XPLUG", "SDKT_SRCMIN", "SDKT_SYSPLUG", "SDKT_CFGPLUG"};
    for (size_t i = 0; i < FALCO_COUNT(vars); i++) {
        char cmd[1024];
        snprintf(cmd, sizeof cmd, "readelf -d '%s' | grep NEEDED | sed 's/.*\\[\\(.*\\)\\]/\\1/' | sort",
                 sdkt_env(vars[i]));
        int status;
        char *out = sdkt_run(cmd, &status);
        assert_int_equal(status, 0);
        /* libc, and the dynamic loader on some toolchains; nothing else
         * (but the sanitizer runtimes in a FALCO_SANITIZE build) */
        const char *san = getenv("SDKT_SANITIZE");
        bool sanitized = san && *san;
        char *line = strtok(out, "\n");
        int count = 0;
        for (; line; line = strtok(NULL, "\n"), count++) {
            if (strncmp(line, "libc.so", 7) == 0 || strncmp(line, "ld-linux", 8) == 0)
                continue;
            if (sanitized && (strstr(line, "asan") || strstr(line, "ubsan") || strstr(line, "tsan") ||
                              strstr(line, "lsan") || strncmp(line, "libm.so", 7) == 0))
                continue;
            fail_msg("%s needs %s", vars[i], line);
        }
        assert_true(count >= 1);
        free(out);
    }
}

static void test_host_sees_capabilities(void **state) {
    (void)state;
    falco_host_plugin *p = sdkt_load("SDKT_SRCPLUG");
    assert_int_equal(falco_host_plugin_caps(p), FALCO_HOST_CAP_SOURCE | FALCO_HOST_CAP_EXTRACT);
    assert_string_equal(falco_host_plugin_name(p), "srcplug");
    assert_string_equal(falco_host_plugin_version(p), "1.2.3");
    assert_string_equal(falco_host_plugin_contact(p), "tests@example.com");
    assert_string_equal(falco_host_plugin_description(p), "source scenarios for the SDK tests");
    /* the extract sources default to the plugin's own source */
    falco_string_list srcs = falco_host_plugin_extract_sources(p);
    assert_int_equal(srcs.count, 1);
    assert_string_equal(srcs.items[0], "srcplug");
    assert_int_equal(falco_host_finding_count(p), 0);
    falco_host_plugin_free(p);

    p = sdkt_load("SDKT_XPLUG");
    assert_int_equal(falco_host_plugin_caps(p), FALCO_HOST_CAP_EXTRACT);
    assert_int_equal(falco_host_plugin_id(p), 0);
    falco_host_plugin_free(p);

    p = sdkt_load_init("SDKT_SYSPLUG", "");
    assert_int_equal(falco_host_plugin_caps(p), FALCO_HOST_CAP_SOURCE);
    assert_int_equal(falco_host_plugin_id(p), 0);
    assert_string_equal(falco_host_plugin_event_source(p), "");
    /* it may emit any event type: its header-only type-1 event goes through as is */
    falco_host_instance *in = NULL;
    assert_int_equal(falco_host_open(p, "", &in), FALCO_OK);
    const falco_abi_event *e;
    assert_int_equal(falco_host_next(in, &e), FALCO_OK);
    assert_int_equal(e->type, 1);
    assert_int_equal(e->tid, 42);
    assert_int_equal(e->ts, 123456789);
    assert_int_equal(falco_host_next(in, &e), FALCO_EOF);
    falco_host_close(in);
    falco_host_plugin_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_source_extract_exports),
        cmocka_unit_test(test_extract_only_exports),
        cmocka_unit_test(test_source_only_exports),
        cmocka_unit_test(test_syscall_source_exports),
        cmocka_unit_test(test_needs_only_libc),
        cmocka_unit_test(test_host_sees_capabilities),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
