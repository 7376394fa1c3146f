/*
 * host_test.h - helpers shared by the host tests: plugin paths, a log sink
 * that keeps lines for assertions, loading + init in one call.
 */
#ifndef HOST_TEST_H
#define HOST_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
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

/* Loads variant name, asserting the load succeeds. */
static inline falco_host_plugin *load_ok(const char *name)
{
    falco_host_plugin *p = NULL;
    falco_rc rc = falco_host_plugin_load(plugin_path(name), &p);
    if (rc != FALCO_OK)
        print_error("load %s: %s\n", name, falco_host_errmsg(p));
    assert_int_equal(rc, FALCO_OK);
    return p;
}

/* Loads and inits variant name with config, asserting both succeed. */
static inline falco_host_plugin *init_ok(const char *name, const char *config, log_capture *log)
{
    falco_host_plugin *p = load_ok(name);
    if (log)
        falco_host_set_log(p, capture_log, log);
    falco_rc rc = falco_host_plugin_init(p, config);
    if (rc != FALCO_OK)
        print_error("init %s: %s\n", name, falco_host_errmsg(p));
    assert_int_equal(rc, FALCO_OK);
    return p;
}

#endif
