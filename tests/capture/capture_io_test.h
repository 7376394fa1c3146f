/*
 * capture_io_test.h - writing a capture of events a test makes up, and
 * reading a capture back as libsinsp receives it (through the converter),
 * each step failing the test with what went wrong. For cmocka tests linked
 * with falco::capture; include after <cmocka.h>.
 */
#ifndef CAPTURE_IO_TEST_H
#define CAPTURE_IO_TEST_H

#include <stdint.h>

#include <falco/capture.h>
#include <falco/event.h>

/* A writer on a new capture at path; fails the test with the writer's error. */
static inline falco_capture_writer *capture_test_writer_open(const char *path)
{
    falco_capture_error err;
    falco_capture_writer *w = falco_capture_writer_open(path, NULL, &err);
    if (!w)
        fail_msg("%s", err.msg);
    return w;
}

/* Encodes the event type with the nparams values vals, at ts on thread tid,
 * and appends it to w (cpu 0, no flags). On error fails the test: the
 * encoder's message after what (the event, as the test names it), or the
 * writer's after "capture". */
static inline void capture_test_write(falco_capture_writer *w, uint16_t type, uint64_t ts, uint64_t tid,
                                      const falco_evt_value *vals, uint32_t nparams, const char *what)
{
    static uint8_t buf[1 << 16];
    size_t len;
    char err[256];
    if (falco_evt_encode(buf, sizeof buf, &len, type, ts, tid, vals, nparams, err, sizeof err) != FALCO_OK)
        fail_msg("%s: %s", what, err);
    if (falco_capture_writer_write_event(w, buf, len, 0, 0) != FALCO_OK)
        fail_msg("capture: %s", falco_capture_writer_errmsg(w));
}

/* Closes w, asserting the capture is complete. */
static inline void capture_test_writer_close(falco_capture_writer *w)
{
    falco_capture_error err;
    assert_int_equal(falco_capture_writer_close(w, &err), FALCO_OK);
}

/* The capture at path open for reading, and in *conv a new converter for
 * its events; fails the test with the reader's error. The caller frees both. */
static inline falco_capture_reader *capture_test_open_converted(const char *path, falco_capture_converter **conv)
{
    falco_capture_error err;
    falco_capture_reader *r = falco_capture_open(path, &err);
    if (!r)
        fail_msg("%s", err.msg);
    *conv = falco_capture_converter_new(&err);
    assert_non_null(*conv);
    return r;
}

#endif
