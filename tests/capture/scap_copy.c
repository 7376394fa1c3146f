/* scap_copy IN OUT: reads a capture with the reader and writes every event
 * and the metadata with the writer (used to check that another scap reader,
 * e.g. libscap through sysdig, reads our files like the originals). */
#include <stdio.h>

#include <falco/capture.h>

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: scap_copy IN OUT\n");
        return 2;
    }
    falco_capture_error err;
    falco_capture_reader *r = falco_capture_open(argv[1], &err);
    if (!r) {
        fprintf(stderr, "scap_copy: %s\n", err.msg);
        return 1;
    }
    falco_capture_writer_options opts = {.metadata = falco_capture_get_metadata(r)};
    falco_capture_writer *w = falco_capture_writer_open(argv[2], &opts, &err);
    if (!w) {
        fprintf(stderr, "scap_copy: %s\n", err.msg);
        falco_capture_close(r);
        return 1;
    }
    const void *ev;
    size_t len;
    falco_capture_block_info info;
    falco_rc rc;
    unsigned long n = 0;
    while ((rc = falco_capture_next(r, &ev, &len, &info)) == FALCO_OK) {
        if (falco_capture_writer_write_event(w, ev, len, info.cpu, info.flags) != FALCO_OK) {
            fprintf(stderr, "scap_copy: %s\n", falco_capture_writer_errmsg(w));
            rc = FALCO_ERROR;
            break;
        }
        n++;
    }
    int status = rc == FALCO_EOF ? 0 : 1;
    if (rc != FALCO_EOF && rc != FALCO_ERROR)
        fprintf(stderr, "scap_copy: %s\n", falco_capture_errmsg(r));
    if (falco_capture_writer_close(w, &err) != FALCO_OK) {
        fprintf(stderr, "scap_copy: %s\n", err.msg);
        status = 1;
    }
    falco_capture_close(r);
    fprintf(stderr, "scap_copy: %lu events\n", n);
    return status;
}
