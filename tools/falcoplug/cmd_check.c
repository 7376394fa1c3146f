/*
 * cmd_check.c - `falcoplug check PLUGIN [--config JSON]`: every load-time and
 * init-time rule libsinsp applies, one line per step ("ok   step" or
 * "FAIL step: reason"), exit 0 when clean and 1 otherwise.
 */
#include <stdlib.h>
#include <string.h>

#include "falcoplug.h"

static int failures;

static void ok(const char *step, const char *detail)
{
    printf("ok   %s%s%s\n", step, detail[0] ? " " : "", detail);
}

/* why quotes the plugin: one line, no terminal controls. */
static void fail(const char *step, const char *why)
{
    printf("FAIL %s: ", step);
    falcoplug_put_str(stdout, why);
    fputc('\n', stdout);
    failures++;
}

/* "ok   <step> (<codes>)": all, or the codes (cut at 64 characters). */
static void check_types(const char *step, const uint16_t *(*get)(const falco_host_plugin *, size_t *, bool *),
                        falco_host_plugin *p)
{
    char detail[64];
    size_t n;
    bool all;
    const uint16_t *codes = get(p, &n, &all);
    size_t used = (size_t)snprintf(detail, sizeof detail, "(%s", all ? "all" : "");
    for (size_t i = 0; i < n && used < sizeof detail; i++)
        used += (size_t)snprintf(detail + used, sizeof detail - used, "%s%u", i ? " " : "", codes[i]);
    if (used < sizeof detail - 1)
        strcat(detail, ")");
    ok(step, detail);
}

static void count_event(void *userdata, falco_host_plugin *p, const falco_abi_event *evt)
{
    (void)p, (void)evt;
    (*(size_t *)userdata)++;
}

/* The async handler as libsinsp installs it at open and removes it at close:
 * the plugin starts and stops its senders; the events sent meanwhile are
 * checked (name, layout) and counted. Fails when the plugin refuses either
 * call. */
static void check_async(falco_host_plugin *p)
{
    char detail[64];
    size_t got = 0;
    if (falco_host_set_async_handler(p, count_event, &got) != FALCO_OK) {
        fail("async handler", falco_host_errmsg(p));
        return;
    }
    if (falco_host_set_async_handler(p, NULL, NULL) != FALCO_OK) {
        fail("async handler removal", falco_host_errmsg(p));
        return;
    }
    /* rejected events are the plugin's run-time errors (logged above), not
     * a load or init rule: libsinsp refuses them one by one as they come */
    uint64_t rejected = falco_host_async_rejected(p);
    snprintf(detail, sizeof detail, "(%zu event%s accepted, %llu rejected)", got, got == 1 ? "" : "s",
             (unsigned long long)rejected);
    ok("async handler", detail);
}

static void check_after_init(falco_host_plugin *p)
{
    unsigned caps = falco_host_plugin_caps(p);
    char detail[64];
    if (caps & FALCO_HOST_CAP_SOURCE) {
        const falco_host_open_param *op;
        size_t n;
        if (falco_host_list_open_params(p, &op, &n) != FALCO_OK) {
            fail("open params", falco_host_errmsg(p));
        } else {
            snprintf(detail, sizeof detail, "(%zu)", n);
            ok("open params", detail);
        }
    }
    if (caps & FALCO_HOST_CAP_EXTRACT)
        check_types("extract event types", falco_host_plugin_extract_types, p);
    if (caps & FALCO_HOST_CAP_PARSE)
        check_types("parse event types", falco_host_plugin_parse_types, p);
    if (caps & FALCO_HOST_CAP_ASYNC)
        check_async(p);
    if (caps & FALCO_HOST_CAP_LISTEN) {
        if (falco_host_capture_open(p) != FALCO_OK) {
            fail("capture open", falco_host_errmsg(p));
        } else {
            ok("capture open", "");
            if (falco_host_capture_close(p) != FALCO_OK)
                fail("capture close", falco_host_errmsg(p));
            else
                ok("capture close", "");
        }
    }
    size_t dumped = 0;
    falco_rc rc = falco_host_dump_state(p, count_event, &dumped);
    if (rc == FALCO_OK) {
        snprintf(detail, sizeof detail, "(%zu event%s)", dumped, dumped == 1 ? "" : "s");
        ok("dump state", detail);
    } else if (rc != FALCO_NOT_SUPPORTED) {
        fail("dump state", falco_host_errmsg(p));
    }
    const falco_abi_metric *m;
    uint32_t nm;
    if (falco_host_plugin_metrics(p, &m, &nm) != FALCO_OK) {
        fail("metrics", falco_host_errmsg(p));
    } else {
        snprintf(detail, sizeof detail, "(%u)", nm);
        ok("metrics", detail);
    }
}

int falcoplug_check_main(int argc, char **argv)
{
    const char *path = NULL, *config = NULL;
    if (falcoplug_wants_help(argc, argv)) {
        printf("usage: falcoplug check PLUGIN [--config JSON]\n\n"
               "Loads PLUGIN the way Falco does and reports every rule it breaks: API version,\n"
               "required symbols, version strings, capability symbol sets (a partial set, such\n"
               "as capture_open without capture_close, is a broken plugin), id/source, fields\n"
               "JSON, source and async event lists, init schema and config, init itself; then\n"
               "open params, extract/parse event types, the async handler installed and\n"
               "removed, capture open/close, dump state and metrics.\n"
               "Exit status: 0 clean, 1 a rule failed, 2 usage error.\n");
        return 0;
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
            config = argv[++i];
        } else if (argv[i][0] != '-' && !path) {
            path = argv[i];
        } else {
            fprintf(stderr, "falcoplug check: unexpected argument '%s' (see --help)\n", argv[i]);
            return 2;
        }
    }
    if (!path) {
        fprintf(stderr, "falcoplug check: missing PLUGIN (see --help)\n");
        return 2;
    }
    failures = 0;
    falco_host_plugin *p = NULL;
    falco_host_session *s = NULL;
    char *dl_path = falcoplug_plugin_path(path);
    falco_rc rc = dl_path ? falco_host_plugin_load(dl_path, &p) : FALCO_ENOMEM;
    free(dl_path);
    if (rc != FALCO_OK) {
        size_t n = falco_host_finding_count(p);
        if (!n)
            fail("load", falco_host_errmsg(p));
        for (size_t i = 0; i < n; i++)
            fail("load", falco_host_finding(p, i));
    } else {
        falcoplug_set_log(p);
        ok("load", "");
        char detail[64];
        if (falco_host_plugin_caps(p) & FALCO_HOST_CAP_EXTRACT) {
            snprintf(detail, sizeof detail, "(%zu)", falco_host_field_count(p));
            ok("fields", detail);
        }
        /* initialized in a session, as in Falco: it may get the host's
         * `threads` table, and a table it adds is checked as libsinsp does */
        if (falco_host_session_new(0, &s) != FALCO_OK) {
            fail("init", "out of memory");
        } else if (falco_host_session_init(s, p, config) != FALCO_OK) {
            fail("init", falco_host_errmsg(p));
        } else {
            ok("init", "");
            check_after_init(p);
        }
    }
    if (failures)
        printf("%d problem%s: %s\n", failures, failures > 1 ? "s" : "", path);
    else {
        fputs("clean: ", stdout);
        falcoplug_put_str(stdout, falco_host_plugin_name(p));
        fputc(' ', stdout);
        falcoplug_put_str(stdout, falco_host_plugin_version(p));
        fputc('\n', stdout);
    }
    falco_host_session_free(s); /* before the plugin it borrows */
    falco_host_plugin_free(p);
    return failures ? 1 : 0;
}
