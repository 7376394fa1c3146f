/*
 * run_capture.c - `falcoplug run PLUGIN --capture FILE`: replays the events of
 * a scap capture through a plugin the way libsinsp does when it reads a file.
 *
 * The events are those libsinsp sees, not the blocks of the file: the capture
 * converter (falco/capture.h) upgrades old layouts and merges enter events
 * into their exits as libscap does, and numbers them as libsinsp does, so the
 * plugin gets the events, parameters and numbers it gets in Falco (the enter
 * events libsinsp numbers but does not return are parsed, not printed).
 * Each event then gets a source: a plugin event (322) or async event (402)
 * carrying the plugin's id belongs to the plugin's own source; other plugin
 * events belong to sources this run does not know, and are skipped (libsinsp
 * would need the plugin that produced them); an async event with plugin id 0
 * (a syscall-source async event, the heartbeats of a Falco-written capture)
 * and every other event belong to "syscall". The plugin then parses the event
 * (when it parses, the host checks source and type) and its fields are
 * extracted (an event it does not extract from prints <NA>).
 * As libsinsp's inspector does when it opens a file, the leading events of
 * the starting state (falco_host_initial_state_event: users, groups,
 * containers, async events such as dump_state's) are numbered and parsed but
 * not printed; the output starts at the first other event.
 */
#include <stdlib.h>
#include <string.h>

#include <falco/capture.h>
#include <falco/event.h>

#include "capture_threads.h"
#include "falcoplug.h"
#include "run.h"

bool run_event_plugin_id(const void *ev, size_t len, uint32_t *id)
{
    /* the event layer knows each type's layout (2 params for 322, 3 for 402) */
    falco_evt_view v;
    uint64_t u = 0;
    bool ok = falco_evt_view_init(&v, ev, len) == FALCO_OK && falco_evt_param_u64(&v, 0, &u) == FALCO_OK &&
              u <= UINT32_MAX;
    *id = ok ? (uint32_t)u : 0;
    return ok;
}

/* The source of ev for p, or NULL when it belongs to an unknown plugin. */
static const char *event_source(falco_host_plugin *p, const falco_abi_event *ev, size_t len)
{
    if (ev->type != FALCO_PPME_PLUGINEVENT_E && ev->type != FALCO_PPME_ASYNCEVENT_E)
        return "syscall";
    uint32_t id = 0;
    (void)run_event_plugin_id(ev, len, &id);
    if (ev->type == FALCO_PPME_ASYNCEVENT_E && id == 0)
        return "syscall";
    if (id != 0 && id == falco_host_plugin_id(p))
        return falco_host_plugin_event_source(p);
    return NULL;
}

const char *run_event_text(falco_host_plugin *p, const falco_abi_event_input *ei, size_t len, char **buf,
                              size_t *cap)
{
    const char *text;
    if (ei->evt->type == FALCO_PPME_PLUGINEVENT_E && ei->evtsrc &&
        falco_host_event_to_string(p, ei, &text) == FALCO_OK)
        return text;
    falco_evt_view v;
    if (falco_evt_view_init(&v, ei->evt, len) != FALCO_OK) {
        snprintf(*buf, *cap, "<undecodable: %s>", falco_evt_view_error(&v));
        return *buf;
    }
    size_t needed = 0;
    (void)falco_evt_format(&v, 0, *buf, *cap, &needed); /* a malformed param renders as <malformed> */
    if (needed >= *cap) {
        char *bigger = realloc(*buf, needed + 1);
        if (bigger) {
            *buf = bigger;
            *cap = needed + 1;
            (void)falco_evt_format(&v, 0, *buf, *cap, &needed);
        }
    }
    return *buf;
}

/* Copies ev into *buf, grown as needed: capture memory may be unaligned,
 * and plugins read event headers through a struct pointer. */
static const falco_abi_event *aligned_copy(const void *ev, size_t len, void **buf, size_t *cap)
{
    if (len > *cap) {
        void *bigger = realloc(*buf, len);
        if (!bigger)
            return NULL;
        *buf = bigger;
        *cap = len;
    }
    memcpy(*buf, ev, len);
    return *buf;
}

int run_capture(falco_host_plugin *p, falco_host_session *s, const run_opts *o)
{
    falco_capture_error cerr;
    falco_capture_reader *r = falco_capture_open(o->capture, &cerr);
    if (!r) {
        fprintf(stderr, "falcoplug run: %s\n", cerr.msg);
        return 1;
    }
    /* libsinsp's thread table starts from the capture's process list */
    if (capture_threads_fill(s, falco_capture_get_metadata(r)) != FALCO_OK) {
        fprintf(stderr, "falcoplug run: %s: ", o->capture);
        falcoplug_put_str(stderr, falco_host_session_errmsg(s));
        fputc('\n', stderr);
        falco_capture_close(r);
        return 1;
    }
    size_t text_cap = 4096, ev_cap = 0;
    char *text_buf = malloc(text_cap);
    void *ev_buf = NULL;
    bool parses = falco_host_plugin_caps(p) & FALCO_HOST_CAP_PARSE;
    unsigned long long n = 0, skipped = 0;
    int status = 0;
    falco_rc rc = FALCO_ENOMEM;
    const void *raw;
    size_t len;
    falco_capture_block_info info;
    falco_capture_converted_info cinfo;
    falco_capture_converter *conv = falco_capture_converter_new(NULL);
    bool conv_failed = false;
    bool starting = true; /* still in the file's leading starting-state events */
    while (text_buf && conv && (!o->limit || n < o->limit)) {
        /* the next event libsinsp would see: drain the last feed, then read on */
        if (falco_capture_converter_next(conv, &raw, &len, &cinfo) != FALCO_OK) {
            if ((rc = falco_capture_next(r, &raw, &len, &info)) != FALCO_OK)
                break;
            if ((rc = falco_capture_converter_feed(conv, raw, len, &info)) != FALCO_OK) {
                conv_failed = true; /* libscap fails the capture here too */
                break;
            }
            continue;
        }
        const falco_abi_event *ev = aligned_copy(raw, len, &ev_buf, &ev_cap);
        if (!ev) {
            rc = FALCO_ENOMEM;
            break;
        }
        /* libsinsp's open reads on while the events are starting state */
        bool state = starting && falco_host_initial_state_event(ev);
        starting = state;
        falco_abi_event_input ei = { ev, cinfo.evtnum, event_source(p, ev, len) };
        if (!ei.evtsrc) {
            skipped++;
            continue;
        }
        /* libsinsp's own parsers first: the threads table follows the syscalls */
        if (strcmp(ei.evtsrc, "syscall") == 0)
            (void)falco_host_threads_event(s, ev); /* the converter's events are well-formed */
        if (parses)
            (void)falco_host_parse(p, &ei); /* failures are logged; libsinsp ignores them */
        if (!cinfo.shown)
            continue; /* numbered and parsed, but libsinsp does not return it */
        if (state)
            continue; /* consumed when libsinsp opens the file: parsed, never returned */
        if (o->filtered && !falcoplug_event_selected(o->keep, ev, ev->len))
            continue;
        n++;
        if (o->tmpl.count) {
            if (run_template_print(p, &o->tmpl, &ei) != 0) {
                status = 1;
                break;
            }
            continue;
        }
        printf("%llu ts=%llu ", (unsigned long long)ei.evtnum, (unsigned long long)ev->ts);
        /* the plugin's text and the SDK's alike: one line, no terminal controls */
        falcoplug_put_str(stdout, run_event_text(p, &ei, len, &text_buf, &text_cap));
        if (run_print_field_values(p, &ei) != 0) {
            status = 1;
            break;
        }
        fputc('\n', stdout);
    }
    if (status == 0) {
        if (o->limit && n == o->limit) {
            printf("stopped after %llu events\n", n);
        } else if (rc == FALCO_EOF) {
            printf("EOF after %llu events\n", n);
        } else {
            fprintf(stderr, "falcoplug run: %s: stopped after %llu events: %s\n", o->capture, n,
                    conv_failed ? falco_capture_converter_errmsg(conv)
                    : rc == FALCO_ENOMEM || !conv ? "out of memory" : falco_capture_errmsg(r));
            status = 1;
        }
    }
    if (skipped)
        fprintf(stderr, "falcoplug run: %s: %llu events of other plugins skipped\n", o->capture, skipped);
    free(text_buf);
    free(ev_buf);
    falco_capture_converter_free(conv);
    falco_capture_close(r);
    return status;
}
