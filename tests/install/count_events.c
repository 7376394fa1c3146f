/*
 * count_events.c - an out-of-tree program built against the installed
 * capture library alone (falco::capture, or pkg-config falcocapture):
 *   count_events <capture.scap>
 * prints "events: N" after reading every event; exit 1 with the reader's
 * message on any error.
 */
#include <stdio.h>

#include <falco/capture.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s <capture.scap>\n", argv[0]);
        return 2;
    }
    falco_capture_error err;
    falco_capture_reader *r = falco_capture_open(argv[1], &err);
    if (!r) {
        fprintf(stderr, "count_events: %s: cannot open: %s\n", argv[1], err.msg);
        return 1;
    }
    unsigned long n = 0;
    const void *ev;
    size_t len;
    falco_rc rc;
    while ((rc = falco_capture_next(r, &ev, &len, NULL)) == FALCO_OK)
        n++;
    int status = 0;
    if (rc != FALCO_EOF) {
        fprintf(stderr, "count_events: %s: %s\n", argv[1], falco_capture_errmsg(r));
        status = 1;
    }
    printf("events: %lu\n", n);
    falco_capture_close(r);
    return status;
}
