/*
 * cmd_check.c - `falcoplug check PLUGIN [--config JSON]`: every load-time and
 * init-time rule libsinsp applies, one line per step ("ok   step" or
 * "FAIL step: reason"), exit 0 when clean and 1 otherwise.
 */
#include <string.h>

#include "falcoplug.h"

static int failures;

static void ok(const char *step, const char *detail)
{
    printf("ok   %s%s%s\n", step, detail[0] ? " " : "", detail);
}

static void fail(const char *step, const char *why)
{
    printf("FAIL %s: %s\n", step, why);
    failures++;
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
    if (caps & FALCO_HOST_CAP_EXTRACT) {
        size_t n;
        bool all;
        const uint16_t *codes = falco_host_plugin_extract_types(p, &n, &all);
        size_t used = (size_t)snprintf(detail, sizeof detail, "(%s", all ? "all" : "");
        for (size_t i = 0; i < n && used < sizeof detail; i++)
            used += (size_t)snprintf(detail + used, sizeof detail - used, "%s%u", i ? " " : "", codes[i]);
        if (used < sizeof detail - 1)
            strcat(detail, ")");
        ok("extract event types", detail);
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
               "required symbols, version strings, capability symbol sets, id/source, fields\n"
               "JSON, source lists, init schema and config, init itself, open params.\n"
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
    falco_host_plugin *p;
    falco_rc rc = falco_host_plugin_load(path, &p);
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
        if (falco_host_plugin_init(p, config) != FALCO_OK) {
            fail("init", falco_host_errmsg(p));
        } else {
            ok("init", "");
            check_after_init(p);
        }
    }
    if (failures)
        printf("%d problem%s: %s\n", failures, failures > 1 ? "s" : "", path);
    else
        printf("clean: %s %s\n", falco_host_plugin_name(p), falco_host_plugin_version(p));
    falco_host_plugin_free(p);
    return failures ? 1 : 0;
}
