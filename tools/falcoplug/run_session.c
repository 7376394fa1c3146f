/*
 * run_session.c - `falcoplug run` with several plugins, or with one whose
 * async events or routines need more than a plugin instance: everything goes
 * through a libfalcohost session, as libsinsp's inspector runs the plugins
 * loaded into it.
 *
 * The stream is the source of the PLUGIN argument (live), a capture file's
 * events (--capture: PLUGIN's own when it is a source plugin with an id,
 * else the syscall events, async ones of plugin id 0 included; live async
 * events are dropped, as libsinsp does with offline captures; the session
 * parses the file's leading starting-state events at open and does not
 * return them, as libsinsp does) or nothing (--nodriver: only async events
 * flow, like libsinsp's nodriver engine). Each event goes to the parse plugins first
 * (the session does that), then it is printed: the -o template, whose fields
 * may come from any plugin, or the default line. Async events print as
 * "<evtnum> async <plugin> <event> <payload>". The run ends at the source's
 * EOF, after -n events, after --timeout-ms of wall time, or on SIGINT/SIGTERM;
 * then --dump-state asks every plugin with dump_state for its state.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <falco/capture.h>
#include <falco/event.h>

#include "capture_threads.h"
#include "falcoplug.h"
#include "run.h"

#define PAYLOAD_SHOWN 120 /* payload bytes printed before "... (N bytes)" */

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void session_error(falco_host_session *s)
{
    fputs("falcoplug run: ", stderr);
    falcoplug_put_str(stderr, falco_host_session_errmsg(s));
    fputc('\n', stderr);
}

/* ---- the streams that are not a plugin's ---- */

/* --nodriver: never an event; async events arrive on the session's timeouts. */
static falco_rc nodriver_next(void *userdata, const falco_abi_event **evt, char *err, size_t errlen)
{
    (void)userdata, (void)evt, (void)err, (void)errlen;
    return FALCO_TIMEOUT;
}

/* --capture: the events of one source in a scap file, converted and
 * numbered as libsinsp sees them (enter events it numbers but does not return included:
 * the parse plugins get them, they are not printed). */
typedef struct cap_stream {
    uint32_t id; /* the source plugin's id: its events are the stream; 0: syscall events */
    uint64_t evtnum; /* libsinsp's evt.num of the last event, skipped events counted */
    falco_capture_reader *r;
    falco_capture_converter *conv;
    void *buf; /* aligned copy: plugins read headers through a struct pointer */
    size_t cap, len;
    bool shown;
    unsigned long long skipped; /* events of plugin sources */
} cap_stream;

static falco_rc cap_next(void *userdata, const falco_abi_event **evt, char *err, size_t errlen)
{
    cap_stream *c = userdata;
    const void *raw;
    size_t len;
    falco_capture_converted_info ci;
    falco_capture_block_info bi;
    for (;;) {
        if (falco_capture_converter_next(c->conv, &raw, &len, &ci) != FALCO_OK) {
            falco_rc rc = falco_capture_next(c->r, &raw, &len, &bi);
            if (rc == FALCO_OK && (rc = falco_capture_converter_feed(c->conv, raw, len, &bi)) != FALCO_OK) {
                snprintf(err, errlen, "%s", falco_capture_converter_errmsg(c->conv));
                return rc;
            }
            if (rc == FALCO_EOF)
                return rc;
            if (rc != FALCO_OK) {
                snprintf(err, errlen, "%s", falco_capture_errmsg(c->r));
                return rc;
            }
            continue;
        }
        uint16_t type;
        uint32_t id = 0;
        memcpy(&type, (const char *)raw + 20, 2);
        if (type == FALCO_PPME_PLUGINEVENT_E || type == FALCO_PPME_ASYNCEVENT_E)
            (void)run_event_plugin_id(raw, len, &id);
        /* one stream, one source: the events of the others are skipped */
        bool plugin_evt = type == FALCO_PPME_PLUGINEVENT_E || (type == FALCO_PPME_ASYNCEVENT_E && id != 0);
        if (c->id ? !plugin_evt || id != c->id : plugin_evt) {
            c->skipped++;
            continue;
        }
        if (len > c->cap) {
            void *bigger = realloc(c->buf, len);
            if (!bigger) {
                snprintf(err, errlen, "out of memory");
                return FALCO_ENOMEM;
            }
            c->buf = bigger;
            c->cap = len;
        }
        memcpy(c->buf, raw, len);
        c->len = len;
        c->shown = ci.shown;
        c->evtnum = ci.evtnum;
        *evt = c->buf;
        return FALCO_OK;
    }
}

/* ---- output ---- */

/* An async (or dump_state) event's name and payload: param 1 and param 2 of
 * the 402 event the host checked. */
static void put_async(const falco_abi_event *e)
{
    const char *base = (const char *)e;
    uint32_t l[3];
    memcpy(l, base + sizeof(falco_abi_event), sizeof l);
    const char *name = base + sizeof(falco_abi_event) + sizeof l + l[0];
    const char *data = name + l[1];
    size_t namelen = l[1] && name[l[1] - 1] == '\0' ? l[1] - 1 : l[1];
    size_t datalen = l[2] && data[l[2] - 1] == '\0' ? l[2] - 1 : l[2];
    falcoplug_put_text(stdout, name, namelen);
    if (datalen) {
        fputc(' ', stdout);
        falcoplug_put_text(stdout, data, datalen < PAYLOAD_SHOWN ? datalen : PAYLOAD_SHOWN);
        if (datalen > PAYLOAD_SHOWN)
            printf("... (%u bytes)", l[2]);
    }
}

static void print_async(uint64_t evtnum, falco_host_plugin *from, const falco_abi_event *e)
{
    printf("%llu async ", (unsigned long long)evtnum);
    falcoplug_put_str(stdout, falco_host_plugin_name(from));
    fputc(' ', stdout);
    put_async(e);
    fputc('\n', stdout);
}

static void on_dump(void *userdata, falco_host_plugin *p, const falco_abi_event *evt)
{
    unsigned long long *count = userdata;
    (*count)++;
    fputs("dump ", stdout);
    falcoplug_put_str(stdout, falco_host_plugin_name(p));
    fputc(' ', stdout);
    put_async(evt);
    fputc('\n', stdout);
}

/* The default line of a regular event: "<evtnum> ts=<ts> <text>" (the
 * source's event_to_string, or the SDK's text of a capture event), then
 * " | field=value..." for each other plugin that extracts from it. */
static int print_default(falco_host_plugin **ps, size_t n, falco_host_plugin *src, const cap_stream *cs,
                         const falco_abi_event_input *ei, char **buf, size_t *cap)
{
    const char *text;
    if (src) {
        if (falco_host_event_to_string(src, ei, &text) != FALCO_OK)
            text = falco_host_errmsg(src);
    } else {
        text = run_event_text(ps[0], ei, cs ? cs->len : ei->evt->len, buf, cap);
    }
    printf("%llu ts=%llu ", (unsigned long long)ei->evtnum, (unsigned long long)ei->evt->ts);
    falcoplug_put_str(stdout, text);
    for (size_t i = 0; i < n; i++)
        if (ps[i] != src && run_print_field_values(ps[i], ei) != 0)
            return -1;
    fputc('\n', stdout);
    return 0;
}

/* Prints each plugin's metrics, as `run --metrics` does for one; with
 * several, each name is prefixed by "<plugin>/". */
static int print_all_metrics(falco_host_plugin **ps, size_t n)
{
    int status = 0;
    for (size_t i = 0; i < n; i++) {
        const falco_abi_metric *m;
        uint32_t count;
        if (falco_host_plugin_metrics(ps[i], &m, &count) != FALCO_OK) {
            fputs("falcoplug run: --metrics: ", stderr);
            falcoplug_put_str(stderr, falco_host_errmsg(ps[i]));
            fputc('\n', stderr);
            status = 1;
            continue;
        }
        for (uint32_t k = 0; k < count; k++) {
            fputs("metric ", stdout);
            if (n > 1) { /* whose metric it is */
                falcoplug_put_str(stdout, falco_host_plugin_name(ps[i]));
                fputc('/', stdout);
            }
            falcoplug_put_str(stdout, m[k].name);
            printf(" %s ", m[k].type == FALCO_ABI_METRIC_MONOTONIC ? "monotonic" : "non_monotonic");
            switch (m[k].value_type) {
            case FALCO_ABI_METRIC_U32: printf("u32 %u", (unsigned)m[k].value.u32); break;
            case FALCO_ABI_METRIC_S32: printf("s32 %d", (int)m[k].value.s32); break;
            case FALCO_ABI_METRIC_U64: printf("u64 %llu", (unsigned long long)m[k].value.u64); break;
            case FALCO_ABI_METRIC_S64: printf("s64 %lld", (long long)m[k].value.s64); break;
            case FALCO_ABI_METRIC_D: printf("double %.15g", m[k].value.d); break;
            case FALCO_ABI_METRIC_F: printf("float %.7g", (double)m[k].value.f); break;
            case FALCO_ABI_METRIC_I: printf("int %d", m[k].value.i); break;
            default: printf("unknown(%u)", (unsigned)m[k].value_type); break;
            }
            fputc('\n', stdout);
        }
    }
    return status;
}

/* ---- the run ---- */

/* Opens the stream of the run (p0: the PLUGIN argument, src: the live
 * source or NULL); returns 0 or 1 (message printed). */
static int open_stream(falco_host_session *s, falco_host_plugin *p0, falco_host_plugin *src, run_opts *o,
                       cap_stream *cs)
{
    falco_rc rc;
    if (o->capture) {
        falco_capture_error cerr;
        if (!(cs->r = falco_capture_open(o->capture, &cerr))) {
            fprintf(stderr, "falcoplug run: %s\n", cerr.msg);
            return 1;
        }
        if (!(cs->conv = falco_capture_converter_new(NULL))) {
            fprintf(stderr, "falcoplug run: out of memory\n");
            return 1;
        }
        /* libsinsp's thread table starts from the capture's process list */
        if (capture_threads_fill(s, falco_capture_get_metadata(cs->r)) != FALCO_OK) {
            session_error(s);
            return 1;
        }
        /* a source plugin with an id replays its own events, as `run --capture`
         * does for one plugin; otherwise the syscall events */
        cs->id = falco_host_plugin_id(p0);
        const char *source = cs->id ? falco_host_plugin_event_source(p0) : "syscall";
        falco_host_stream st = { .next = cap_next, .userdata = cs, .source = source, .live = false };
        rc = falco_host_session_open_stream(s, &st);
    } else if (o->nodriver) {
        falco_host_stream st = { .next = nodriver_next, .source = "syscall", .live = true };
        rc = falco_host_session_open_stream(s, &st);
    } else {
        rc = falco_host_session_open(s, src, o->params);
    }
    if (rc != FALCO_OK) {
        session_error(s);
        return 1;
    }
    return 0;
}

/* The event loop; returns the exit status. */
static int loop(falco_host_session *s, falco_host_plugin **ps, size_t n, falco_host_plugin *src, run_opts *o,
                cap_stream *cs, falco_capture_writer *w)
{
    uint64_t deadline = o->timeout_ms ? now_ms() + o->timeout_ms : 0;
    unsigned long long shown = 0;
    size_t text_cap = 256;
    char *text = malloc(text_cap);
    const char *why = NULL;
    int status = 0;
    if (!text) {
        fprintf(stderr, "falcoplug run: out of memory\n");
        return 1;
    }
    while (!why && status == 0) {
        if (o->limit && shown >= o->limit) {
            why = "stopped";
            break;
        }
        if (deadline && now_ms() >= deadline) {
            why = "timeout";
            break;
        }
        if (interrupted) {
            why = "interrupted";
            break;
        }
        const falco_host_session_event *ev;
        falco_rc rc = falco_host_session_next(s, &ev);
        if (rc == FALCO_TIMEOUT) {
            struct timespec ts = { 0, 1000000 };
            nanosleep(&ts, NULL);
            continue;
        }
        if (rc == FALCO_EOF) {
            why = "EOF";
            break;
        }
        if (rc != FALCO_OK) {
            session_error(s);
            status = 1;
            break;
        }
        falco_abi_event_input ecopy = ev->input;
        const falco_abi_event_input *ei = &ecopy;
        if (cs && !ev->async_from)
            ecopy.evtnum = cs->evtnum; /* libsinsp counts the events of every source */
        if (w && falco_capture_writer_write_event(w, ei->evt, ei->evt->len, 0, 0) != FALCO_OK) {
            fprintf(stderr, "falcoplug run: -w %s: %s\n", o->write_path, falco_capture_writer_errmsg(w));
            status = 1;
            break;
        }
        if (cs && !ev->async_from && !cs->shown)
            continue; /* numbered and parsed, but libsinsp does not return it */
        if (o->filtered && !falcoplug_event_selected(o->keep, ei->evt, ei->evt->len))
            continue;
        shown++;
        if (ev->async_from)
            print_async(ei->evtnum, ev->async_from, ei->evt);
        else if (o->tmpl.count)
            status = run_template_print(NULL, &o->tmpl, ei) != 0;
        else
            status = print_default(ps, n, src, cs, ei, &text, &text_cap) != 0;
        if (!falcoplug_stdout_ok())
            status = 1; /* nobody reads what follows: main says why */
    }
    free(text);
    if (why)
        printf("%s after %llu events\n", why, shown);
    return status;
}

int run_session(falco_host_session *s, falco_host_plugin **ps, size_t n, run_opts *o, const char *fmt)
{
    falco_host_plugin *src = o->capture || o->nodriver ? NULL : ps[0];
    /* the stream's source: a live source's, or with --capture the PLUGIN's
     * own when it has an id (see open_stream) */
    falco_host_plugin *named = o->nodriver ? NULL : ps[0];
    const char *source = named && falco_host_plugin_id(named) ? falco_host_plugin_event_source(named) : "syscall";
    if (fmt && n == 1 && run_template_parse(ps[0], fmt, &o->tmpl) != 0)
        return 1; /* the reason is on stderr */
    if (fmt && n > 1 && run_template_parse_multi(ps, n, source, fmt, &o->tmpl) != 0)
        return 1;
    int status = 1;
    cap_stream cs = { 0 };
    falco_capture_writer *w = NULL;
    falco_capture_error cerr;
    if (o->write_path && !(w = falco_capture_writer_open(o->write_path, NULL, &cerr))) {
        fprintf(stderr, "falcoplug run: -w: %s\n", cerr.msg);
    } else if (open_stream(s, ps[0], src, o, &cs) == 0) {
        /* stop cleanly on ^C: close the plugins, dump their state */
        struct sigaction sa = { .sa_handler = on_signal }, old_int, old_term;
        sigemptyset(&sa.sa_mask);
        interrupted = 0;
        sigaction(SIGINT, &sa, &old_int);
        sigaction(SIGTERM, &sa, &old_term);
        status = loop(s, ps, n, src, o, o->capture ? &cs : NULL, w);
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGTERM, &old_term, NULL);
        if (o->dump_state) {
            unsigned long long dumped = 0;
            if (falco_host_session_dump_state(s, on_dump, &dumped) != FALCO_OK) {
                session_error(s);
                status = 1;
            }
            printf("dump_state: %llu events\n", dumped);
        }
        if (o->metrics && print_all_metrics(ps, n) != 0) /* before close, as for one plugin */
            status = 1;
        if (o->tables && run_print_tables(s, o) != 0) /* at end, before close, as plughost */
            status = 1;
        (void)falcoplug_flush_stdout();
        if (falco_host_session_close(s) != FALCO_OK) {
            session_error(s);
            status = 1;
        }
        if (cs.skipped)
            fprintf(stderr, "falcoplug run: %s: %llu events of plugin sources skipped\n", o->capture, cs.skipped);
        if (falco_host_session_parse_failures(s))
            fprintf(stderr, "falcoplug run: %llu parse_event failures (logged above; libsinsp goes on)\n",
                    (unsigned long long)falco_host_session_parse_failures(s));
        for (size_t i = 0; i < n; i++)
            if (falco_host_async_rejected(ps[i])) {
                fprintf(stderr, "falcoplug run: %llu async events of plugin '",
                        (unsigned long long)falco_host_async_rejected(ps[i]));
                falcoplug_put_str(stderr, falco_host_plugin_name(ps[i]));
                fputs("' rejected (logged above)\n", stderr);
            }
    }
    if (w && falco_capture_writer_close(w, &cerr) != FALCO_OK) {
        fprintf(stderr, "falcoplug run: -w: %s\n", cerr.msg);
        status = 1;
    }
    (void)falco_host_session_close(s); /* the caller frees s: its stream must go first */
    if (cs.conv)
        falco_capture_converter_free(cs.conv);
    if (cs.r)
        falco_capture_close(cs.r);
    free(cs.buf);
    return status;
}

/* ---- plugins into a session (run, check) ---- */

char *run_with_path(const char *spec, const char **config)
{
    /* PATH|CONFIG split at the first '|', as plughost -p does */
    const char *bar = strchr(spec, '|');
    char *path = bar ? strndup(spec, (size_t)(bar - spec)) : strdup(spec);
    *config = bar ? bar + 1 : NULL;
    return path;
}

falco_rc run_session_init(falco_host_session *s, falco_host_plugin *p, const char *config, const char **why)
{
    falco_rc rc = falco_host_session_init(s, p, config);
    const char *m = falco_host_session_errmsg(s);
    /* the plugin's own message when its init failed, the session's when it
     * refused the plugin (a name already taken, say) */
    *why = rc == FALCO_OK ? "" : strncmp(m, "session: init: ", 15) == 0 ? m + 15 : m;
    return rc;
}

const char *run_load_plugin(const char *arg, const char *config, falco_host_session *s, falco_host_plugin **p,
                            const char **why)
{
    *p = NULL;
    char *dl_path = falcoplug_plugin_path(arg);
    falco_rc rc = dl_path ? falco_host_plugin_load(dl_path, p) : FALCO_ENOMEM;
    free(dl_path);
    if (rc != FALCO_OK) {
        *why = falco_host_errmsg(*p);
        return "load";
    }
    falcoplug_set_log(*p);
    return run_session_init(s, *p, config, why) == FALCO_OK ? NULL : "init";
}
