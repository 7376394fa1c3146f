/*
 * cmd_dump.c - `falcoplug dump FILE [--converted] [--type N|NAME ...]`: prints
 * the events of a capture file (plain or gzip'd), exactly one line per event
 * on stdout, in the SDK's text rendering (falco_evt_format with the ts/tid
 * header): the events as written, or with --converted the events libsinsp
 * sees (the capture converter's output), each led by its evt.num. Errors
 * and the summary go to stderr. Exit status: 0 when the whole file was read,
 * 1 when reading stopped on an error (every event before it was printed),
 * 2 on bad usage.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <falco/capture.h>
#include <falco/event.h>

#include "falcoplug.h"

static void dump_usage(FILE *out)
{
    fputs("usage: falcoplug dump FILE [--converted] [--type N|NAME]...\n"
          "  Prints every event of the capture FILE (plain or gzip'd), one line each:\n"
          "  <ts> <tid> <dir> <name> param=value...\n"
          "  --converted    the events as libsinsp sees them: old layouts upgraded, enter\n"
          "                 events merged into their exits, each line led by the evt.num\n"
          "                 libsinsp gives the event: <evt.num> <ts> <tid> <dir> ...\n"
          "  --type N|NAME  only events of this type: a code (e.g. 322), an event name\n"
          "                 (e.g. open: every code with that name, enter and exit) or an\n"
          "                 enum name (PPME_SYSCALL_OPEN_E or SYSCALL_OPEN_E); a syscall\n"
          "                 name (e.g. mprotect) also selects the generic syscall events\n"
          "                 named after it, as libsinsp names them; repeatable\n",
          out);
}

/* Formats one event into *buf (grown as needed); never fails to produce a line. */
static const char *dump_render(const void *ev, size_t len, char **buf, size_t *cap)
{
    falco_evt_view v;
    size_t needed = 0;
    if (falco_evt_view_init(&v, ev, len) != FALCO_OK) {
        uint64_t ts, tid;
        uint16_t type;
        memcpy(&ts, ev, 8);
        memcpy(&tid, (const char *)ev + 8, 8);
        memcpy(&type, (const char *)ev + 20, 2);
        int n = snprintf(*buf, *cap, "%llu %llu ? type=%u len=%zu <undecodable: %s>", (unsigned long long)ts,
                         (unsigned long long)tid, type, len, falco_evt_view_error(&v));
        needed = n > 0 ? (size_t)n : 0;
    } else {
        /* a malformed param still renders the whole line (as <malformed>) */
        (void)falco_evt_format(&v, FALCO_EVT_FORMAT_HEADER, *buf, *cap, &needed);
        if (needed >= *cap) {
            char *bigger = realloc(*buf, needed + 1);
            if (bigger) {
                *buf = bigger;
                *cap = needed + 1;
                (void)falco_evt_format(&v, FALCO_EVT_FORMAT_HEADER, *buf, *cap, &needed);
            }
        }
    }
    /* one line per event, no terminal controls, whatever the strings held */
    return falcoplug_clean_text(*buf);
}

int falcoplug_dump_main(int argc, char **argv)
{
    const char *path = NULL;
    bool *keep = calloc(FALCOPLUG_TYPE_SLOTS, sizeof *keep);
    bool filtered = false, converted = false;
    if (!keep) {
        fprintf(stderr, "falcoplug dump: out of memory\n");
        return 1;
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            dump_usage(stdout);
            free(keep);
            return 0;
        } else if (strcmp(argv[i], "--converted") == 0) {
            converted = true;
        } else if (strcmp(argv[i], "--type") == 0 || strcmp(argv[i], "-t") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "falcoplug dump: --type needs a value\n");
                free(keep);
                return 2;
            }
            if (!falcoplug_select_event_type(argv[++i], keep)) {
                fprintf(stderr, "falcoplug dump: --type %s: no such event type\n", argv[i]);
                free(keep);
                return 2;
            }
            filtered = true;
        } else if (strncmp(argv[i], "--type=", 7) == 0) {
            if (!falcoplug_select_event_type(argv[i] + 7, keep)) {
                fprintf(stderr, "falcoplug dump: %s: no such event type\n", argv[i]);
                free(keep);
                return 2;
            }
            filtered = true;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "falcoplug dump: unknown option %s\n", argv[i]);
            dump_usage(stderr);
            free(keep);
            return 2;
        } else if (!path) {
            path = argv[i];
        } else {
            fprintf(stderr, "falcoplug dump: one capture file only (got %s and %s)\n", path, argv[i]);
            free(keep);
            return 2;
        }
    }
    if (!path) {
        dump_usage(stderr);
        free(keep);
        return 2;
    }
    falco_capture_error err;
    falco_capture_reader *r = falco_capture_open(path, &err);
    if (!r) {
        fprintf(stderr, "falcoplug dump: %s\n", err.msg);
        free(keep);
        return 1;
    }
    size_t cap = 4096;
    char *line = malloc(cap);
    const void *ev;
    size_t len;
    unsigned long long read = 0, shown = 0, delivered = 0;
    falco_rc rc = FALCO_ENOMEM;
    falco_capture_block_info bi;
    falco_capture_converter *conv = converted ? falco_capture_converter_new(NULL) : NULL;
    const char *conv_err = NULL;
    while (line && (!converted || conv) && (rc = falco_capture_next(r, &ev, &len, &bi)) == FALCO_OK) {
        read++;
        falco_capture_converted_info ci = {.evtnum = 0};
        if (converted) {
            if ((rc = falco_capture_converter_feed(conv, ev, len, &bi)) != FALCO_OK) {
                conv_err = falco_capture_converter_errmsg(conv);
                break; /* libscap fails the capture here too */
            }
            if (falco_capture_converter_next(conv, &ev, &len, &ci) != FALCO_OK || !ci.shown)
                continue; /* kept as a pending enter, dropped, or numbered only */
            delivered++;
        }
        if (filtered && !falcoplug_event_selected(keep, ev, len))
            continue;
        line[0] = '\0';
        if (converted)
            printf("%llu ", (unsigned long long)ci.evtnum);
        puts(dump_render(ev, len, &line, &cap));
        shown++;
    }
    int status = 0;
    if (rc == FALCO_EOF && converted) {
        fprintf(stderr, "falcoplug dump: %s: %llu events, %llu as libsinsp sees them, %llu shown\n", path, read,
                delivered, shown);
    } else if (rc == FALCO_EOF) {
        fprintf(stderr, "falcoplug dump: %s: %llu events, %llu shown\n", path, read, shown);
    } else {
        fprintf(stderr, "falcoplug dump: %s: stopped after %llu events (%llu shown): %s\n", path, read, shown,
                conv_err ? conv_err : !line || (converted && !conv) ? "out of memory" : falco_capture_errmsg(r));
        status = 1;
    }
    free(line);
    free(keep);
    falco_capture_converter_free(conv);
    falco_capture_close(r);
    return status;
}
