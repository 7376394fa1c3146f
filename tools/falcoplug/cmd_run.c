/*
 * cmd_run.c - `falcoplug run PLUGIN [--config JSON] [--open PARAMS] [-n N]
 * [-o TEMPLATE] [--type N|NAME]... [-w OUT.scap | --capture FILE]`.
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
 */
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
            "                            [--type N|NAME]... [-w OUT.scap | --capture FILE]\n\n"
            "Opens PLUGIN's event source and prints one line per event:\n"
            "  <evtnum> ts=<ts> <event_to_string>      by default\n"
            "  <evtnum> <TEMPLATE>                      with -o, where %%name or %%name[arg]\n"
            "                                          is replaced by the extracted value\n"
            "                                          (lists as (a,b), no value as <NA>)\n"
            "A plugin that parses events gets each one (parse_event) before extraction.\n"
            "  -w OUT.scap       also record every event the source produced into OUT.scap\n"
            "                    (read it back with `falcoplug dump` or --capture)\n"
            "  --capture FILE    read the events of a scap capture (plain or gzip'd) instead\n"
            "                    of opening the source, and feed them to the plugin as libsinsp\n"
            "                    would: events of type 322 carrying the plugin's id belong to its\n"
            "                    source, other 322 events are skipped, every other event has the\n"
            "                    source \"syscall\". Fields of events the plugin does not extract\n"
            "                    from print <NA>. Without -o a line is\n"
            "                    <evtnum> ts=<ts> <event text>[ | field=value...]\n"
            "                    with the values of the plugin's fields that have one.\n"
            "  --type N|NAME     only events of this type: a code (322), an event name (open:\n"
            "                    enter and exit) or an enum name (SYSCALL_OPEN_X); repeatable\n"
            "  -n N              stop after N events printed\n"
            "Ends with \"EOF after N events\" or \"stopped after N events\".\n"
            "Exit status: 0 success, 1 any failure (load, init, open, batch, extraction,\n"
            "capture file), 2 usage.\n");
}

/* Prints the line of one event; -1 on an extraction failure. */
static int print_live_event(falco_host_plugin *p, const run_opts *o, const falco_abi_event_input *ei)
{
    if (o->tmpl.count)
        return run_template_print(p, &o->tmpl, ei);
    const char *text;
    if (falco_host_event_to_string(p, ei, &text) != FALCO_OK)
        text = falco_host_errmsg(p);
    printf("%llu ts=%llu %s\n", (unsigned long long)ei->evtnum, (unsigned long long)ei->evt->ts, text);
    return 0;
}

static int run_live(falco_host_plugin *p, const run_opts *o)
{
    falco_host_instance *in;
    if (falco_host_open(p, o->params, &in) != FALCO_OK) {
        fprintf(stderr, "falcoplug run: %s\n", falco_host_errmsg(p));
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
    const falco_abi_event *ev;
    while (!o->limit || n < o->limit) {
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
            fprintf(stderr, "falcoplug run: %s\n", falco_host_errmsg(p));
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
        if (o->filtered && (ev->type >= FALCO_EVT_COUNT || !o->keep[ev->type]))
            continue;
        n++;
        if (print_live_event(p, o, &ei) != 0) {
            status = 1;
            break;
        }
    }
    if (o->limit && n == o->limit)
        printf("stopped after %llu events\n", n);
    if (w && falco_capture_writer_close(w, &cerr) != FALCO_OK) {
        fprintf(stderr, "falcoplug run: -w: %s\n", cerr.msg);
        status = 1;
    }
    falco_host_close(in);
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
            char *end;
            o->limit = strtoull(argv[++i], &end, 10);
            if (*end || !o->limit || argv[i][0] == '-') {
                fprintf(stderr, "falcoplug run: -n wants a positive number, got '%s'\n", argv[i]);
                return 2;
            }
        } else if (a[0] != '-' && !*path) {
            *path = a;
        } else {
            fprintf(stderr, "falcoplug run: unexpected argument '%s'%s\n", a,
                    has_value || a[0] != '-' ? "" : " (missing its value?)");
            usage(stderr);
            return 2;
        }
    }
    if (!*path) {
        fprintf(stderr, "falcoplug run: missing PLUGIN\n");
        usage(stderr);
        return 2;
    }
    if (o->capture && o->write_path) {
        fprintf(stderr, "falcoplug run: -w records a live source; it does not go with --capture\n");
        return 2;
    }
    if (o->capture && strcmp(o->params, "") != 0) {
        fprintf(stderr, "falcoplug run: --open opens the plugin's source; it does not go with --capture\n");
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
        free(o);
        return status;
    }
    falco_host_plugin *p;
    status = 1;
    falco_rc rc = falco_host_plugin_load(path, &p);
    if (rc == FALCO_OK) {
        falcoplug_set_log(p);
        rc = falco_host_plugin_init(p, config);
    }
    if (rc != FALCO_OK) {
        fprintf(stderr, "falcoplug run: %s\n", falco_host_errmsg(p));
    } else if (!o->capture && !(falco_host_plugin_caps(p) & FALCO_HOST_CAP_SOURCE)) {
        fprintf(stderr, "falcoplug run: plugin '%s' has no event sourcing capability (use --capture FILE)\n",
                falco_host_plugin_name(p));
    } else if (fmt && run_template_parse(p, fmt, &o->tmpl) != 0) {
        fprintf(stderr, "falcoplug run: %s\n", falco_host_errmsg(p));
    } else {
        status = o->capture ? run_capture(p, o) : run_live(p, o);
    }
    run_template_free(&o->tmpl);
    free(o);
    falco_host_plugin_free(p);
    return status;
}
