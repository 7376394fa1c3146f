/*
 * run.h - the pieces of `falcoplug run` shared by its live mode (cmd_run.c)
 * and its capture mode (run_capture.c): the -o template and the per-event
 * output. Internal to falcoplug.
 */
#ifndef FALCOPLUG_RUN_H
#define FALCOPLUG_RUN_H

#include <stdbool.h>
#include <stdio.h>

#include <falco/event_codes.h>
#include <falco/host.h>

/* A parsed -o template: literal text and field references. */
typedef struct run_template {
    struct run_piece *pieces;
    size_t count;
} run_template;

/* What a run does with each event; filled from the command line. */
typedef struct run_opts {
    const char *params;      /* --open */
    const char *capture;     /* --capture FILE, or NULL for a live run */
    const char *write_path;  /* -w FILE, or NULL */
    unsigned long long limit; /* -n N (0: no limit) */
    bool filtered;            /* --type given: only the codes marked in keep */
    bool keep[FALCO_EVT_COUNT];
    run_template tmpl;        /* -o; count 0 without -o */
} run_opts;

/* Splits fmt into literal text and %field / %field[arg] references compiled
 * against p. Returns 0, or -1 with the reason in falco_host_errmsg(p) (or
 * out of memory). Free with run_template_free(). */
int run_template_parse(falco_host_plugin *p, const char *fmt, run_template *t);
void run_template_free(run_template *t);

/* Prints "<evtnum> <template>\n" for one event (lists as (a,b), no value or
 * an event the plugin does not extract from as <NA>). Returns -1 on an
 * extraction failure (message on stderr). */
int run_template_print(falco_host_plugin *p, const run_template *t, const falco_abi_event_input *ei);

/* Appends " | name=value ..." for every non-list field of p that has a value
 * for ei (nothing when p does not extract from it). Returns -1 on an
 * extraction failure (message on stderr). */
int run_print_field_values(falco_host_plugin *p, const falco_abi_event_input *ei);


/* Replays the events of opts->capture through p: parse, then the -o fields or
 * the default line. Returns the exit status (0, or 1 on a failure). */
int run_capture(falco_host_plugin *p, const run_opts *opts);

#endif
