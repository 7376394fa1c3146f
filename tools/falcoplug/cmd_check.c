/*
 * cmd_check.c - `falcoplug check PLUGIN [--config JSON] [--with
 * PATH[|CONFIG]]...`: every load-time and init-time rule libsinsp applies,
 * one line per step ("ok   step" or "FAIL step: reason"), exit 0 when clean
 * and 1 otherwise. The --with plugins are loaded and initialized first, in
 * one session with PLUGIN, so that PLUGIN may import the tables they export.
 */
#include <stdlib.h>
#include <string.h>

#include "falcoplug.h"
#include "run.h"

static int failures;

static void ok(const char *step, const char *detail)
{
    printf("ok   %s%s%s\n", step, detail[0] ? " " : "", detail);
}

/* "FAIL [with <partner>: ]<step>: <why>"; why quotes the plugin and
 * partner is the user's: one line, no terminal controls. */
static void fail_in(const char *partner, const char *step, const char *why)
{
    fputs("FAIL ", stdout);
    if (partner) {
        fputs("with ", stdout);
        falcoplug_put_str(stdout, partner);
        fputs(": ", stdout);
    }
    printf("%s: ", step);
    falcoplug_put_str(stdout, why);
    fputc('\n', stdout);
    failures++;
}

static void fail(const char *step, const char *why)
{
    fail_in(NULL, step, why);
}

/* A failed load: every rule it broke (p may be NULL: out of memory). */
static void fail_load(const char *partner, const falco_host_plugin *p)
{
    size_t n = falco_host_finding_count(p);
    if (!n)
        fail_in(partner, "load", falco_host_errmsg(p));
    for (size_t i = 0; i < n; i++)
        fail_in(partner, "load", falco_host_finding(p, i));
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

/* Loads and initializes the --with plugins in s, in order, into ps[]
 * (*n of them to free); stops at the first that fails. Returns true when
 * all worked. */
static bool load_partners(falco_host_session *s, const char **with, size_t nwith, falco_host_plugin **ps, size_t *n)
{
    for (size_t i = 0; i < nwith; i++) {
        const char *config, *why;
        char *path = run_with_path(with[i], &config);
        if (!path) {
            fail_in(with[i], "load", "out of memory");
            return false;
        }
        const char *step = run_load_plugin(path, config, s, &ps[(*n)++], &why);
        falco_host_plugin *p = ps[*n - 1];
        if (step && strcmp(step, "load") == 0) {
            fail_load(path, p);
        } else if (step) {
            fail_in(path, step, why);
        } else {
            fputs("ok   with ", stdout);
            falcoplug_put_str(stdout, path);
            fputs(" (", stdout);
            falcoplug_put_str(stdout, falco_host_plugin_name(p));
            fputc(' ', stdout);
            falcoplug_put_str(stdout, falco_host_plugin_version(p));
            fputs(")\n", stdout);
        }
        free(path);
        if (step)
            return false;
    }
    return true;
}

static void usage(void)
{
    printf("usage: falcoplug check PLUGIN [--config JSON] [--with PATH[|CONFIG]]...\n\n"
           "Loads PLUGIN the way Falco does and reports every rule it breaks: API version,\n"
           "required symbols, version strings, capability symbol sets (a partial set, such\n"
           "as capture_open without capture_close, is a broken plugin), id/source, fields\n"
           "JSON, source and async event lists, init schema and config, init itself; then\n"
           "open params, extract/parse event types, the async handler installed and\n"
           "removed, capture open/close, dump state and metrics.\n"
           "  --config JSON         PLUGIN's init config\n"
           "  --with PATH[|CONFIG]  load and initialize another plugin first (repeatable;\n"
           "                        its init config after the first '|', as plughost -p),\n"
           "                        in the order given, then PLUGIN, all in one session as\n"
           "                        Falco's load_plugins list does: PLUGIN may import the\n"
           "                        tables they export (a plugin's tables exist for those\n"
           "                        initialized after it). Each prints\n"
           "                        \"ok   with PATH (<name> <version>)\", or\n"
           "                        \"FAIL with PATH: load|init: <reason>\" and PLUGIN is\n"
           "                        not checked. The checks above are PLUGIN's only.\n"
           "Exit status: 0 clean, 1 a rule failed (PLUGIN's or a --with plugin's load or\n"
           "init), 2 usage error.\n");
}

int falcoplug_check_main(int argc, char **argv)
{
    const char *path = NULL, *config = NULL;
    if (falcoplug_wants_help(argc, argv)) {
        usage();
        return 0;
    }
    const char **with = calloc((size_t)argc, sizeof *with); /* --with values, in order */
    size_t nwith = 0;
    if (!with) {
        fprintf(stderr, "falcoplug check: out of memory\n");
        return 1;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--config") == 0 && i + 1 < argc) {
            config = argv[++i];
        } else if (strcmp(a, "--with") == 0 && i + 1 < argc) {
            const char *spec = argv[++i];
            if (spec[0] == '\0' || spec[0] == '|') {
                fprintf(stderr, "falcoplug check: --with \"%s\": no plugin path (expected PATH[|CONFIG])\n", spec);
                free(with);
                return 2;
            }
            with[nwith++] = spec;
        } else if (a[0] != '-' && !path) {
            path = a;
        } else {
            bool valued = strcmp(a, "--config") == 0 || strcmp(a, "--with") == 0;
            fprintf(stderr, "falcoplug check: %s '%s' (see --help)\n",
                    valued ? "missing the value of" : "unexpected argument", a);
            free(with);
            return 2;
        }
    }
    if (!path) {
        fprintf(stderr, "falcoplug check: missing PLUGIN (see --help)\n");
        free(with);
        return 2;
    }
    failures = 0;
    falco_host_plugin *p = NULL;
    falco_host_plugin **partners = calloc(nwith + 1, sizeof *partners);
    size_t npartners = 0;
    falco_host_session *s = NULL;
    /* initialized in a session, as in Falco: it may get the host's
     * `threads` table and those of the --with plugins, and a table it adds
     * is checked as libsinsp does */
    if (!partners || falco_host_session_new(0, &s) != FALCO_OK) {
        fprintf(stderr, "falcoplug check: out of memory\n");
        free(partners);
        free(with);
        return 1;
    }
    bool checked = load_partners(s, with, nwith, partners, &npartners);
    const char *why = NULL, *step = NULL;
    if (checked)
        step = run_load_plugin(path, config, s, &p, &why);
    if (!checked) {
        /* not checked: Falco stops at the first plugin that fails, and
         * PLUGIN would fail for its partner's reason */
    } else if (step && strcmp(step, "load") == 0) {
        fail_load(NULL, p);
    } else {
        ok("load", "");
        char detail[64];
        if (falco_host_plugin_caps(p) & FALCO_HOST_CAP_EXTRACT) {
            snprintf(detail, sizeof detail, "(%zu)", falco_host_field_count(p));
            ok("fields", detail);
        }
        if (step) {
            fail("init", why);
        } else {
            ok("init", "");
            check_after_init(p);
        }
    }
    if (!checked)
        printf("%d problem%s in the --with plugins: %s not checked\n", failures, failures > 1 ? "s" : "", path);
    else if (failures)
        printf("%d problem%s: %s\n", failures, failures > 1 ? "s" : "", path);
    else {
        fputs("clean: ", stdout);
        falcoplug_put_str(stdout, falco_host_plugin_name(p));
        fputc(' ', stdout);
        falcoplug_put_str(stdout, falco_host_plugin_version(p));
        fputc('\n', stdout);
    }
    falco_host_session_free(s); /* before the plugins it borrows */
    falco_host_plugin_free(p);
    for (size_t i = 0; i < npartners; i++)
        falco_host_plugin_free(partners[i]);
    free(partners);
    free(with);
    return failures ? 1 : 0;
}
