/*
 * capture_threads.h - a scap capture's process and fd lists into a
 * libfalcohost session's `threads` table, as libsinsp fills its thread
 * table when it opens a capture. Used by `falcoplug run --capture` and by the
 * host's table tests (tests/host/test_tables_capture.c), which compare what
 * a plugin reads from it with real libsinsp.
 */
#ifndef FALCOPLUG_CAPTURE_THREADS_H
#define FALCOPLUG_CAPTURE_THREADS_H

#include <falco/capture.h>
#include <falco/host.h>

/* Adds every process of m (falco_capture_get_metadata) to s's threads
 * table, then every fd to its thread's file_descriptors. Strings are
 * copied: m may go after the call. On the session's owner thread. Returns
 * FALCO_OK, or falco_host_threads_add's codes with the message in
 * falco_host_session_errmsg. */
falco_rc capture_threads_fill(falco_host_session *s, const falco_capture_metadata *m);

#endif
