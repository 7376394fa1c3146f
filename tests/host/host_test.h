/*
 * host_test.h - helpers shared by the host tests: plugin paths, a log sink
 * that keeps lines for assertions, loading + init in one call.
 */
#ifndef HOST_TEST_H
#define HOST_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <falco/host.h>

/* Path of the rawtest variant `name` ("good", "init_fail", ...). */
static inline const char *plugin_path(const char *name)
{
    static char buf[1024];
    snprintf(buf, sizeof buf, "%s/librawtest_%s.so", FALCO_HOST_TEST_PLUGIN_DIR, name);
    return buf;
}

/* Every log line, "severity|component|msg\n", appended. */
typedef struct log_capture {
    char text[8192];
} log_capture;

static inline void capture_log(void *userdata, const char *component, const char *msg, falco_abi_log_severity sev)
{
    log_capture *c = userdata;
    size_t used = strlen(c->text);
    snprintf(c->text + used, sizeof c->text - used, "%s|%s|%s\n", falco_host_severity_name(sev), component, msg);
}

/* Loads the plugin at path, asserting the load succeeds; name labels the error. */
static inline falco_host_plugin *load_path_ok(const char *path, const char *name)
{
    falco_host_plugin *p = NULL;
    falco_rc rc = falco_host_plugin_load(path, &p);
    if (rc != FALCO_OK)
        print_error("load %s: %s\n", name, falco_host_errmsg(p));
    assert_int_equal(rc, FALCO_OK);
    return p;
}

/* Loads the plugin at path and inits it with config, its log lines going to
 * log when not NULL, asserting both succeed; name labels the errors. */
static inline falco_host_plugin *init_path_ok(const char *path, const char *name, const char *config,
                                              log_capture *log)
{
    falco_host_plugin *p = load_path_ok(path, name);
    if (log)
        falco_host_set_log(p, capture_log, log);
    falco_rc rc = falco_host_plugin_init(p, config);
    if (rc != FALCO_OK)
        print_error("init %s: %s\n", name, falco_host_errmsg(p));
    assert_int_equal(rc, FALCO_OK);
    return p;
}

/* Loads rawtest variant name, asserting the load succeeds. */
static inline falco_host_plugin *load_ok(const char *name)
{
    return load_path_ok(plugin_path(name), name);
}

/* Loads and inits rawtest variant name with config, asserting both succeed. */
static inline falco_host_plugin *init_ok(const char *name, const char *config, log_capture *log)
{
    return init_path_ok(plugin_path(name), name, config, log);
}

/* Loads and inits sessplug variant name ("src", "a", "b", "c") with config,
 * asserting both succeed. */
static inline falco_host_plugin *sess_init_ok(const char *name, const char *config, log_capture *log)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/libsessplug_%s.so", FALCO_HOST_TEST_PLUGIN_DIR, name);
    return init_path_ok(path, name, config, log);
}

/* A sessplug's count of the events it parsed: its first metric, asserted to
 * be "parsed". */
static inline uint64_t sess_parsed(falco_host_plugin *p)
{
    const falco_abi_metric *m;
    uint32_t n;
    assert_int_equal(falco_host_plugin_metrics(p, &m, &n), FALCO_OK);
    assert_string_equal(m[0].name, "parsed");
    return m[0].value.u64;
}

#endif
