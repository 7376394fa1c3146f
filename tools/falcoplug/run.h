/*
 * run.h - the pieces of `falcoplug run` shared by its live mode (cmd_run.c),
 * its capture mode (run_capture.c) and its several-plugin mode
 * (run_session.c): the -o template and the per-event output. Internal to
 * falcoplug.
 */
#ifndef FALCOPLUG_RUN_H
#define FALCOPLUG_RUN_H

#include <stdbool.h>
#include <stdio.h>

#include <falco/event_codes.h>
#include <falco/host.h>

#include "falcoplug.h"

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
    bool keep[FALCOPLUG_TYPE_SLOTS]; /* falcoplug_select_event_type */
    run_template tmpl;        /* -o; count 0 without -o */
    bool metrics;             /* --metrics: print the plugin's metrics at the end */
    bool progress;            /* --progress: the source's progress on stderr */
    unsigned long long progress_every; /* --progress-every N events (0: once a second) */
    /* several plugins (run_session.c) */
    const char **with;        /* --with PATH[|CONFIG], in order */
    size_t nwith;
    bool nodriver;            /* --nodriver: no source, only async events */
    unsigned long long timeout_ms; /* --timeout-ms MS (0: none) */
    bool dump_state;          /* --dump-state: dump_state of every plugin at the end */
    /* state tables (run_tables.c) */
    bool tables;              /* --tables: list the session's tables at the end */
    unsigned long long table_entries; /* --table-entries N: and up to N entries of each */
    const char **only_tables; /* --table NAME, repeatable: only these */
    size_t nonly;
} run_opts;

/* Splits fmt into literal text and field references compiled against p,
 * as libsinsp's output formatter reads a format: at each '%' an optional
 * width (digits: the value padded or cut to that many bytes), then the
 * longest reference that compiles: name[arg] (arg bare or quoted), else the
 * longest field name (so "%f[1]" of a field f that takes no argument is f,
 * then the text "[1]"), or a field transformer expression (tolower, toupper,
 * b64, basename, len, join, concat, getopt; nested, over fields, quoted
 * strings, numbers and lists), type-checked as libsinsp checks it. A '%'
 * without a field or transformer after it is an error.
 * Returns 0, or -1 after printing the reason on stderr. Free with
 * run_template_free(). */
int run_template_parse(falco_host_plugin *p, const char *fmt, run_template *t);
void run_template_free(run_template *t);

/* As run_template_parse over the n plugins of a session: each reference is
 * resolved, as libsinsp does, against the plugins in load order, the first
 * one that extracts from `source` and declares the field winning (else the
 * first that declares it: its values print <NA>). Returns 0, or -1 after
 * printing the reason on stderr. */
int run_template_parse_multi(falco_host_plugin *const *ps, size_t n, const char *source, const char *fmt,
                             run_template *t);

/* Prints "<evtnum> <template>\n" for one event (each field extracted by
 * the plugin it was resolved against; p is unused): lists as (a,b); no
 * value, an event the plugin does not extract from, or a failed extraction
 * as <NA>, as libsinsp does (a failure's message goes to stderr, once per
 * distinct message: see run_extract_report). Returns -1 only when out of
 * memory (message on stderr). */
int run_template_print(falco_host_plugin *p, const run_template *t, const falco_abi_event_input *ei);

/* Appends " | name=value ..." for every non-list field of p that has a value
 * for ei (nothing when p does not extract from it; a failed extraction is
 * no value, reported as by run_template_print). Returns -1 only when out of
 * memory (message on stderr). */
int run_print_field_values(falco_host_plugin *p, const falco_abi_event_input *ei);

/* Prints on stderr how many extractions failed during the run (each
 * distinct message was printed when first seen), when any did, and forgets
 * them. Call once at the end of a run, on the main thread. */
void run_extract_report(void);

/* Replays the events of opts->capture through p (initialized in session s,
 * whose threads table gets the capture's processes and follows its syscall
 * events): parse, then the -o fields or the default line. Returns the exit
 * status (0, or 1 on a failure). */
int run_capture(falco_host_plugin *p, falco_host_session *s, const run_opts *opts);

/* Prints s's state tables (--tables, --table-entries, --table; format in
 * run_tables.c). Returns 0, or 1 when a table could not be read or a
 * --table names none (message on stderr). */
int run_print_tables(falco_host_session *s, const run_opts *o);

/* The text of a capture event: p's event_to_string for its own events, else
 * the SDK's rendering into *buf (grown as needed). Raw: print it with
 * falcoplug_put_str. */
const char *run_event_text(falco_host_plugin *p, const falco_abi_event_input *ei, size_t len, char **buf,
                           size_t *cap);

/* The plugin id (param 0) of a plugin event (322) or async event (402) of
 * len bytes, unaligned (run_capture.c): true with *id, or false with *id 0
 * when the event has no well-formed u32 param 0. */
bool run_event_plugin_id(const void *ev, size_t len, uint32_t *id);

/* Runs ps[0] (the PLUGIN argument) with the n - 1 --with plugins in session
 * s (run_session.c): a live source, --capture or --nodriver; async event
 * lines, --dump-state, --timeout-ms, --tables. The plugins are loaded and
 * initialized in s (falco_host_session_init), which the caller frees after
 * this returns, before the plugins; opts->tmpl is not parsed yet. Returns
 * the exit status. */
int run_session(falco_host_session *s, falco_host_plugin **ps, size_t n, run_opts *opts, const char *fmt);

/* Plugins into a session, for run and check (run_session.c; main thread). */

/* The PATH of spec, a --with PATH[|CONFIG] value, split at the first '|' as
 * plughost -p splits: a malloc'd string the caller frees ("" when spec
 * names no path; NULL when out of memory), and *config the text after the
 * '|' (inside spec), or NULL when spec has none. */
char *run_with_path(const char *spec, const char **config);

/* Initializes p (loaded) with config in s (falco_host_session_init): the
 * tables of the plugins initialized in s before it are its to get, its own
 * are theirs after it. On a failure *why is the plugin's own message when
 * its init failed, the session's when s refused it (a name already taken,
 * say); "" on success. *why is owned by s, valid until the next call on s. */
falco_rc run_session_init(falco_host_session *s, falco_host_plugin *p, const char *config, const char **why);

/* Loads the plugin at arg (a PLUGIN argument: see falcoplug_plugin_path),
 * routes its log (falcoplug_set_log) and initializes it with config in s
 * (run_session_init). Returns NULL when both worked, else the step that
 * failed, "load" or "init", with its reason in *why (owned by *p or s, valid
 * until the next call on them). *p is set in every case but out of memory
 * (NULL); the caller frees it with falco_host_plugin_free, after s. */
const char *run_load_plugin(const char *arg, const char *config, falco_host_session *s, falco_host_plugin **p,
                            const char **why);

#endif
