/*
 * cmd_run.c - `falcoplug run PLUGIN [--config JSON] [--open PARAMS] [-n N]
 * [-o TEMPLATE] [--type N|NAME]... [-w OUT.scap | --capture FILE]
 * [--metrics] [--progress | --progress-every N] [--with PATH[|CONFIG]]...
 * [--nodriver] [--dump-state] [--timeout-ms MS] [--tables] [--table-entries N]
 * [--table NAME]...`.
 *
 * Live (default): opens the plugin's source and prints one line per event,
 * "<evtnum> ts=<ts> <event_to_string>", or "<evtnum> <template>" with -o
 * (%field.name / %field.name[arg] replaced by the extracted value, lists as
 * (a,b), no value as <NA>); the plugin parses each event first when it can.
 * With -w every event the source produced is also written, as delivered
 * (host-filled ts and tid), into a capture file.
 *
 * --capture: feeds the events of a scap file to the plugin instead, the way
 * libsinsp replays one (see run_capture.c).
 *
 * --with PATH[|CONFIG], --nodriver, --dump-state, --timeout-ms: several
 * plugins in a libfalcohost session (see run_session.c).
 *
 * Every plugin is initialized in a session (falco_host_session_init), so it
 * sees the state tables a plugin sees in Falco: the host's `threads` (filled
 * from a --capture file's process list and kept current from its syscall
 * events) and the tables of the plugins loaded before it. --tables prints
 * them after the run (run_tables.c).
 *
 * Plugin strings go through falcoplug_put_text (one event, one line, no
 * terminal controls). --metrics prints get_metrics after the last event
 * (before close: gauges of the open instance still count); --progress
 * prints get_progress on stderr, at most once a second or every N events,
 * and at the end.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <falco/capture.h>

#include "falcoplug.h"
#include "run.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: falcoplug run PLUGIN [--config JSON] [--open PARAMS] [-n N] [-o TEMPLATE]\n"
            "                            [--type N|NAME]... [-w OUT.scap | --capture FILE]\n"
            "                            [--metrics] [--progress | --progress-every N]\n"
            "                            [--tables] [--table-entries N] [--table NAME]...\n"
            "       falcoplug run PLUGIN [--with PATH[|CONFIG]]... [--nodriver] [--dump-state]\n"
            "                            [--timeout-ms MS] [the options above but --progress]\n\n"
            "Opens PLUGIN's event source (PLUGIN is a file path: a bare name is taken in the\n"
            "current directory) and prints one line per event:\n"
            "  <evtnum> ts=<ts> <event_to_string>      by default\n"
            "  <evtnum> <TEMPLATE>                      with -o, where %%name or %%name[arg]\n"
            "                                          is replaced by the extracted value\n"
            "                                          (lists as (a,b), no value as <NA>);\n"
            "                                          read as libsinsp reads an output:\n"
            "                                          %%Nname pads or cuts to N bytes, a '[' a\n"
            "                                          field does not take is text\n"
            "                                          %%tolower(name), %%len(name), %%join(\",\", name)...:\n"
            "                                          libsinsp's field transformers (tolower, toupper,\n"
            "                                          b64, basename, len, join, concat, getopt)\n"
            "A plugin that parses events gets each one (parse_event) before extraction.\n"
            "Strings from the plugin are printed whole, on one line: control characters and\n"
            "invalid UTF-8 as '.'.\n"
            "  -w OUT.scap       also record every event the source produced into OUT.scap\n"
            "                    (read it back with `falcoplug dump` or --capture)\n"
            "  --capture FILE    read the events of a scap capture (plain or gzip'd) instead\n"
            "                    of opening the source, and feed them to the plugin as libsinsp\n"
            "                    would: events of type 322 carrying the plugin's id belong to its\n"
            "                    source, other 322 events are skipped, every other event has the\n"
            "                    source \"syscall\" (async events of plugin id 0 too). The leading\n"
            "                    events that make the file's starting state (users, groups,\n"
            "                    containers, async events such as dump_state's) are parsed and\n"
            "                    numbered but not printed: libsinsp consumes them as it opens\n"
            "                    the file. Fields of events the plugin does not extract\n"
            "                    from print <NA>. Without -o a line is\n"
            "                    <evtnum> ts=<ts> <event text>[ | field=value...]\n"
            "                    with the values of the plugin's fields that have one.\n"
            "  --type N|NAME     only events of this type: a code (322), an event name (open:\n"
            "                    enter and exit), an enum name (SYSCALL_OPEN_X), or a syscall\n"
            "                    name (mprotect: the generic events libsinsp names so); repeatable\n"
            "  -n N              stop after N events printed\n"
            "  --metrics         at the end, print the plugin's metrics (get_metrics), one a\n"
            "                    line: metric <name> <monotonic|non_monotonic> <type> <value>\n"
            "  --progress        print the source's progress (get_progress) on stderr once a\n"
            "                    second and at the end:\n"
            "                    falcoplug run: progress <pct>%% after <N> events[: <detail>]\n"
            "  --progress-every N  the same every N events instead (not with --capture)\n"
            "  --tables          at the end, list the state tables plugins see (the host's\n"
            "                    `threads`, filled from a --capture file's process list and\n"
            "                    kept current from its syscall events, and the tables plugins\n"
            "                    added), as `plughost -T brief` does:\n"
            "                    tables at end: <count>\n"
            "                    table <name> key=<type> size=<size> fields=<count>\n"
            "                      field <name> <type>[ read-only]\n"
            "  --table-entries N also print up to N entries of each table (and of each\n"
            "                    nested table), as `plughost -T list --max-entries N`, one\n"
            "                    JSON object a line: entry {\"<field>\":<value>,...}\n"
            "  --table NAME      only this table (repeatable; implies --tables)\n"
            "Ends with \"EOF after N events\" or \"stopped after N events\".\n"
            "\nSeveral plugins (a session, as libsinsp's inspector runs them):\n"
            "  --with PATH[|CONFIG]  load another plugin beside PLUGIN (repeatable; its init\n"
            "                    config after the first '|', as plughost -p): parsers get\n"
            "                    each event first, in load order; -o fields may come from\n"
            "                    any plugin (the first in load order that declares the field\n"
            "                    and extracts from the stream's source); without -o the\n"
            "                    other plugins' values follow the line as \" | field=value\"\n"
            "  --nodriver        no source: only async events flow (PLUGIN may then be\n"
            "                    omitted); stops at -n, --timeout-ms or ^C\n"
            "  --dump-state      at the end, ask every plugin with dump_state for its state\n"
            "                    and print each event: dump <plugin> <event> <payload>, then\n"
            "                    \"dump_state: N events\"\n"
            "  --timeout-ms MS   stop after MS milliseconds of wall time\n"
            "Async events print as their own lines when they arrive:\n"
            "  <evtnum> async <plugin> <event> <payload>   (payload cut after 120 bytes)\n"
            "and count as events for -n and --type (402). A live run stops at the source's\n"
            "EOF (async events still queued are not printed, as in libsinsp), after -n\n"
            "events, after --timeout-ms, or on SIGINT/SIGTERM: \"EOF|stopped|timeout|\n"
            "interrupted after N events\"; then --dump-state, --metrics (names prefixed by\n"
            "\"<plugin>/\" with several plugins), close. With --capture the session streams\n"
            "the events of one source: PLUGIN's own when it is a source plugin with an id,\n"
            "else the syscall events (the others are skipped; live async events are\n"
            "dropped, as libsinsp does with captures). Any of these\n"
            "four options runs PLUGIN in a session even alone; without them PLUGIN runs\n"
            "alone as described above.\n"
            "A field whose extraction fails prints <NA>, as in libsinsp (the plugin's message\n"
            "goes to stderr once per distinct message, and a count at the end).\n"
            "Exit status: 0 success, 1 any failure (load, init, open, batch, capture file),\n"
            "2 usage.\n");
}

/* "falcoplug run: <msg>" on stderr, msg (which quotes the plugin) on one line. */
static void run_error(const char *msg)
{
    fputs("falcoplug run: ", stderr);
    falcoplug_put_str(stderr, msg);
    fputc('\n', stderr);
}

/* Prints the line of one event; -1 on an extraction failure. */
static int print_live_event(falco_host_plugin *p, const run_opts *o, const falco_abi_event_input *ei)
{
    if (o->tmpl.count)
        return run_template_print(p, &o->tmpl, ei);
    const char *text;
    if (falco_host_event_to_string(p, ei, &text) != FALCO_OK)
        text = falco_host_errmsg(p);
    printf("%llu ts=%llu ", (unsigned long long)ei->evtnum, (unsigned long long)ei->evt->ts);
    falcoplug_put_str(stdout, text); /* one event, one line */
    fputc('\n', stdout);
    return 0;
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Prints the progress of in on stderr; false once there is none to report
 * (the plugin has no get_progress, or it failed: said once). */
static bool print_progress(falco_host_instance *in, unsigned long long n)
{
    falco_host_plugin *p = falco_host_instance_plugin(in);
    uint32_t pct;
    const char *detail;
    falco_rc rc = falco_host_progress(in, &pct, &detail);
    if (rc == FALCO_NOT_SUPPORTED) {
        fputs("falcoplug run: --progress: plugin '", stderr);
        falcoplug_put_str(stderr, falco_host_plugin_name(p));
        fputs("' does not report progress (no get_progress)\n", stderr);
        return false;
    }
    if (rc != FALCO_OK) {
        fputs("falcoplug run: --progress: ", stderr);
        falcoplug_put_str(stderr, falco_host_errmsg(p));
        fputc('\n', stderr);
        return false;
    }
    fprintf(stderr, "falcoplug run: progress %u.%02u%% after %llu events", pct / 100, pct % 100, n);
    if (*detail) {
        fputs(": ", stderr);
        falcoplug_put_str(stderr, detail);
    }
    fputc('\n', stderr);
    return true;
}

/* Prints p's metrics on stdout, one a line; -1 when get_metrics failed. */
static int print_metrics(falco_host_plugin *p)
{
    const falco_abi_metric *m;
    uint32_t count;
    if (falco_host_plugin_metrics(p, &m, &count) != FALCO_OK) {
        fputs("falcoplug run: --metrics: ", stderr);
        falcoplug_put_str(stderr, falco_host_errmsg(p));
        fputc('\n', stderr);
        return -1;
    }
    for (uint32_t i = 0; i < count; i++) {
        fputs("metric ", stdout);
        falcoplug_put_str(stdout, m[i].name);
        printf(" %s ", m[i].type == FALCO_ABI_METRIC_MONOTONIC ? "monotonic" : "non_monotonic");
        switch (m[i].value_type) {
        case FALCO_ABI_METRIC_U32: printf("u32 %" PRIu32, m[i].value.u32); break;
        case FALCO_ABI_METRIC_S32: printf("s32 %" PRId32, m[i].value.s32); break;
        case FALCO_ABI_METRIC_U64: printf("u64 %" PRIu64, m[i].value.u64); break;
        case FALCO_ABI_METRIC_S64: printf("s64 %" PRId64, m[i].value.s64); break;
        /* shortest forms that keep every digit a counter or a ratio shows */
        case FALCO_ABI_METRIC_D: printf("double %.15g", m[i].value.d); break;
        case FALCO_ABI_METRIC_F: printf("float %.7g", (double)m[i].value.f); break;
        case FALCO_ABI_METRIC_I: printf("int %d", m[i].value.i); break;
        default: printf("unknown(%u) 0x%016" PRIx64, (unsigned)m[i].value_type, m[i].value.u64); break;
        }
        fputc('\n', stdout);
    }
    return 0;
}

static int run_live(falco_host_plugin *p, const run_opts *o)
{
    falco_host_instance *in;
    if (falco_host_open(p, o->params, &in) != FALCO_OK) {
        run_error(falco_host_errmsg(p));
        return 1;
    }
    falco_capture_writer *w = NULL;
    falco_capture_error cerr;
    if (o->write_path && !(w = falco_capture_writer_open(o->write_path, NULL, &cerr))) {
        fprintf(stderr, "falcoplug run: -w: %s\n", cerr.msg);
        falco_host_close(in);
        return 1;
    }
    int status = 0;
    unsigned long long n = 0;
    bool parses = falco_host_plugin_caps(p) & FALCO_HOST_CAP_PARSE;
    bool progress = o->progress;
    uint64_t last_progress = progress ? now_ms() : 0;
    const falco_abi_event *ev;
    while (!o->limit || n < o->limit) {
        if (progress && !o->progress_every && now_ms() - last_progress >= 1000) {
            progress = print_progress(in, n);
            last_progress = now_ms();
        }
        falco_rc rc = falco_host_next(in, &ev);
        if (rc == FALCO_TIMEOUT) {
            struct timespec ts = { 0, 1000000 };
            nanosleep(&ts, NULL);
            continue;
        }
        if (rc == FALCO_EOF) {
            printf("EOF after %llu events\n", n);
            break;
        }
        if (rc != FALCO_OK) {
            run_error(falco_host_errmsg(p));
            status = 1;
            break;
        }
        /* record what the source produced, filtered or not */
        if (w && falco_capture_writer_write_event(w, ev, ev->len, 0, 0) != FALCO_OK) {
            fprintf(stderr, "falcoplug run: -w %s: %s\n", o->write_path, falco_capture_writer_errmsg(w));
            status = 1;
            break;
        }
        falco_abi_event_input ei = { ev, falco_host_instance_evtnum(in), NULL };
        if (parses)
            (void)falco_host_parse(p, &ei); /* failures are logged; libsinsp ignores them */
        if (o->filtered && !falcoplug_event_selected(o->keep, ev, ev->len))
            continue;
        n++;
        if (print_live_event(p, o, &ei) != 0 || !falcoplug_stdout_ok()) {
            status = 1; /* on a stdout failure nobody reads what follows: main says why */
            break;
        }
        if (progress && o->progress_every && n % o->progress_every == 0) {
            (void)falcoplug_flush_stdout(); /* keeps the two streams in order on a terminal */
            progress = print_progress(in, n);
        }
    }
    if (o->limit && n == o->limit)
        printf("stopped after %llu events\n", n);
    (void)falcoplug_flush_stdout();
    if (progress)
        (void)print_progress(in, n);
    if (o->metrics && print_metrics(p) != 0) /* before close: what the run measured */
        status = 1;
    if (w && falco_capture_writer_close(w, &cerr) != FALCO_OK) {
        fprintf(stderr, "falcoplug run: -w: %s\n", cerr.msg);
        status = 1;
    }
    falco_host_close(in);
    return status;
}

/* PLUGIN (may be NULL with --nodriver) and every --with PATH[|CONFIG], in
 * that order, run in one session. */
static int run_several(const char *path, const char *config, const char *fmt, run_opts *o)
{
    size_t n = 0, cap = o->nwith + 1;
    falco_host_plugin **ps = calloc(cap, sizeof *ps);
    falco_host_session *s = NULL;
    int status = 1;
    if (!ps || falco_host_session_new(0, &s) != FALCO_OK) {
        fprintf(stderr, "falcoplug run: out of memory\n");
        free(ps);
        return 1;
    }
    bool ok = true;
    const char *why;
    if (path) {
        ok = !run_load_plugin(path, config, s, &ps[n], &why);
        if (!ok)
            run_error(why);
        n++;
    }
    for (size_t i = 0; ok && i < o->nwith; i++) {
        const char *spec = o->with[i], *wconfig;
        char *wpath = run_with_path(spec, &wconfig);
        if (!wpath || !*wpath) {
            fprintf(stderr, "falcoplug run: --with \"%s\": %s\n", spec, wpath ? "no plugin path" : "out of memory");
            free(wpath);
            ok = false;
            break;
        }
        ok = !run_load_plugin(wpath, wconfig, s, &ps[n], &why);
        if (!ok) {
            fputs("falcoplug run: --with ", stderr);
            falcoplug_put_str(stderr, wpath);
            fputs(": ", stderr);
            falcoplug_put_str(stderr, why);
            fputc('\n', stderr);
        }
        free(wpath);
        n++;
    }
    if (ok) {
        if (!o->capture && !o->nodriver && !(falco_host_plugin_caps(ps[0]) & FALCO_HOST_CAP_SOURCE)) {
            fputs("falcoplug run: plugin '", stderr);
            falcoplug_put_str(stderr, falco_host_plugin_name(ps[0]));
            fputs("' has no event sourcing capability (use --capture FILE or --nodriver)\n", stderr);
        } else {
            status = run_session(s, ps, n, o, fmt);
        }
    }
    run_template_free(&o->tmpl);
    falco_host_session_free(s); /* before the plugins it borrows */
    for (size_t i = 0; i < n; i++)
        falco_host_plugin_free(ps[i]);
    free(ps);
    return status;
}

/* Fills o from argv; returns 0, or 2 after printing a usage error. */
static int parse_args(int argc, char **argv, const char **path, const char **config, const char **fmt,
                      run_opts *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_value = i + 1 < argc;
        if (strcmp(a, "--config") == 0 && has_value) {
            *config = argv[++i];
        } else if (strcmp(a, "--open") == 0 && has_value) {
            o->params = argv[++i];
        } else if (strcmp(a, "-o") == 0 && has_value) {
            *fmt = argv[++i];
        } else if (strcmp(a, "--capture") == 0 && has_value) {
            o->capture = argv[++i];
        } else if (strcmp(a, "-w") == 0 && has_value) {
            o->write_path = argv[++i];
        } else if ((strcmp(a, "--type") == 0 || strcmp(a, "-t") == 0) && has_value) {
            if (!falcoplug_select_event_type(argv[++i], o->keep)) {
                fprintf(stderr, "falcoplug run: --type %s: no such event type\n", argv[i]);
                return 2;
            }
            o->filtered = true;
        } else if (strcmp(a, "-n") == 0 && has_value) {
            uint64_t v;
            if (falcoplug_parse_u64("run", "-n", argv[++i], 1, UINT64_MAX, &v) != 0)
                return 2;
            o->limit = v;
        } else if (strcmp(a, "--metrics") == 0) {
            o->metrics = true;
        } else if (strcmp(a, "--progress") == 0) {
            o->progress = true;
        } else if (strcmp(a, "--progress-every") == 0 && has_value) {
            uint64_t v;
            if (falcoplug_parse_u64("run", "--progress-every", argv[++i], 1, UINT64_MAX, &v) != 0)
                return 2;
            o->progress = true;
            o->progress_every = v;
        } else if (strcmp(a, "--with") == 0 && has_value) {
            const char **w = realloc(o->with, (o->nwith + 1) * sizeof *w);
            if (!w) {
                fprintf(stderr, "falcoplug run: out of memory\n");
                return 2;
            }
            o->with = w;
            o->with[o->nwith++] = argv[++i];
        } else if (strcmp(a, "--tables") == 0) {
            o->tables = true;
        } else if (strcmp(a, "--table-entries") == 0 && has_value) {
            uint64_t v;
            if (falcoplug_parse_u64("run", "--table-entries", argv[++i], 1, UINT64_MAX, &v) != 0)
                return 2;
            o->tables = true;
            o->table_entries = v;
        } else if (strcmp(a, "--table") == 0 && has_value) {
            const char **t = realloc(o->only_tables, (o->nonly + 1) * sizeof *t);
            if (!t) {
                fprintf(stderr, "falcoplug run: out of memory\n");
                return 2;
            }
            o->only_tables = t;
            o->only_tables[o->nonly++] = argv[++i];
            o->tables = true;
        } else if (strcmp(a, "--nodriver") == 0) {
            o->nodriver = true;
        } else if (strcmp(a, "--dump-state") == 0) {
            o->dump_state = true;
        } else if (strcmp(a, "--timeout-ms") == 0 && has_value) {
            uint64_t v;
            if (falcoplug_parse_u64("run", "--timeout-ms", argv[++i], 1, UINT64_MAX / 2, &v) != 0)
                return 2;
            o->timeout_ms = v;
        } else if (a[0] != '-' && !*path) {
            *path = a;
        } else {
            fprintf(stderr, "falcoplug run: unexpected argument '%s'%s\n", a,
                    has_value || a[0] != '-' ? "" : " (missing its value?)");
            usage(stderr);
            return 2;
        }
    }
    if (!*path && !(o->nodriver && o->nwith)) {
        fprintf(stderr, "falcoplug run: missing PLUGIN\n");
        usage(stderr);
        return 2;
    }
    if (o->capture && o->write_path) {
        fprintf(stderr, "falcoplug run: -w records a live source; it does not go with --capture\n");
        return 2;
    }
    if (o->capture && o->progress) {
        fprintf(stderr, "falcoplug run: --progress reports the source's progress; it does not go with --capture\n");
        return 2;
    }
    if (o->capture && strcmp(o->params, "") != 0) {
        fprintf(stderr, "falcoplug run: --open opens the plugin's source; it does not go with --capture\n");
        return 2;
    }
    if (o->nodriver && (o->capture || o->write_path || strcmp(o->params, "") != 0)) {
        fprintf(stderr, "falcoplug run: --nodriver opens no source; it does not go with --capture, -w or --open\n");
        return 2;
    }
    if (o->progress && (o->nwith || o->nodriver || o->dump_state || o->timeout_ms)) {
        fprintf(stderr, "falcoplug run: --progress is for a single plugin's source; it does not go with "
                        "--with, --nodriver, --dump-state or --timeout-ms\n");
        return 2;
    }
    return 0;
}

int falcoplug_run_main(int argc, char **argv)
{
    const char *path = NULL, *config = NULL, *fmt = NULL;
    if (falcoplug_wants_help(argc, argv)) {
        usage(stdout);
        return 0;
    }
    run_opts *o = calloc(1, sizeof *o);
    if (!o) {
        fprintf(stderr, "falcoplug run: out of memory\n");
        return 1;
    }
    o->params = "";
    int status = parse_args(argc, argv, &path, &config, &fmt, o);
    if (status != 0) {
        free(o->with);
        free(o->only_tables);
        free(o);
        return status;
    }
    if (o->nwith || o->nodriver || o->dump_state || o->timeout_ms) {
        status = run_several(path, config, fmt, o);
        run_extract_report();
        free(o->with);
        free(o->only_tables);
        free(o);
        return status;
    }
    /* one plugin, driven directly, still in a session: the state tables
     * live there (the host's `threads`, and the plugin's own) */
    falco_host_session *s = NULL;
    if (falco_host_session_new(0, &s) != FALCO_OK) {
        fprintf(stderr, "falcoplug run: out of memory\n");
        free(o->with);
        free(o->only_tables);
        free(o);
        return 1;
    }
    falco_host_plugin *p = NULL;
    status = 1;
    const char *why;
    if (run_load_plugin(path, config, s, &p, &why)) {
        run_error(why);
    } else if (!o->capture && !(falco_host_plugin_caps(p) & FALCO_HOST_CAP_SOURCE)) {
        fprintf(stderr, "falcoplug run: plugin '%s' has no event sourcing capability (use --capture FILE)\n",
                falco_host_plugin_name(p));
    } else if (fmt && run_template_parse(p, fmt, &o->tmpl) != 0) {
        /* the reason is on stderr */
    } else {
        status = o->capture ? run_capture(p, s, o) : run_live(p, o);
        if (o->capture && o->metrics && print_metrics(p) != 0)
            status = 1;
        if (o->tables && run_print_tables(s, o) != 0)
            status = 1;
        run_extract_report();
    }
    run_template_free(&o->tmpl);
    free(o->with);
    free(o->only_tables);
    free(o);
    falco_host_session_free(s); /* before the plugin it borrows */
    falco_host_plugin_free(p);
    return status;
}
