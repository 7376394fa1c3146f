/* A capture file as the event stream of a libfalcohost session, read as
 * libsinsp reads it: through libfalcocapture's converter (host.h's stream
 * example), the info of the event handed out last kept for the caller
 * (libsinsp's evt.num, and whether libsinsp returns the event). For tests
 * linked with falco::host and falco::capture. */
#ifndef FALCO_TEST_CAPTURE_STREAM_H
#define FALCO_TEST_CAPTURE_STREAM_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include <falco/capture.h>
#include <falco/host.h>

typedef struct capstream {
    falco_capture_reader *r;
    falco_capture_converter *c;
    falco_capture_converted_info last; /* of the event handed out last */
} capstream;

static inline falco_rc capstream_next(void *u, const falco_abi_event **evt, char *err, size_t n)
{
    capstream *cs = u;
    const void *e;
    size_t len;
    while (falco_capture_converter_next(cs->c, &e, &len, &cs->last) != FALCO_OK) {
        falco_capture_block_info info;
        falco_rc rc = falco_capture_next(cs->r, &e, &len, &info);
        if (rc == FALCO_OK)
            rc = falco_capture_converter_feed(cs->c, e, len, &info);
        else if (rc != FALCO_EOF)
            snprintf(err, n, "%s", falco_capture_errmsg(cs->r));
        if (rc == FALCO_EOF)
            return rc;
        if (rc != FALCO_OK) {
            snprintf(err, n, "%s", falco_capture_converter_errmsg(cs->c));
            return rc;
        }
    }
    *evt = e;
    return FALCO_OK;
}

static inline void capstream_close(void *u)
{
    capstream *cs = u;
    falco_capture_converter_free(cs->c);
    falco_capture_close(cs->r);
}

/* The capture file at path, opened; fails the test naming what was wrong. */
static inline falco_capture_reader *capstream_reader(const char *path)
{
    falco_capture_error cerr;
    falco_capture_reader *r = falco_capture_open(path, &cerr);
    if (!r)
        fail_msg("%s: %s", path, cerr.msg);
    return r;
}

/* Opens r (which cs then owns: the session's close frees it) as s's event
 * stream, a capture of syscall events. cs must outlive the session's use of
 * the stream. */
static inline void capstream_open(falco_host_session *s, capstream *cs, falco_capture_reader *r)
{
    *cs = (capstream){ .r = r, .c = falco_capture_converter_new(NULL) };
    assert_non_null(cs->c);
    falco_host_stream st = { .next = capstream_next, .close = capstream_close, .userdata = cs,
                             .source = "syscall", .live = false };
    if (falco_host_session_open_stream(s, &st) != FALCO_OK)
        fail_msg("open stream: %s", falco_host_session_errmsg(s));
}

#endif
