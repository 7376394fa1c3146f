/*
 * capture_events.h - a test-only walk over the reference .scap captures, just
 * enough to get at the event bytes (the real reader lives in capture/).
 *
 * A capture is a gzip'd pcapng-like file: blocks of u32 type, u32 total_len,
 * body, u32 total_len. Event blocks: EV 0x204 and EV_V2 0x216 (body: u16 cpu +
 * event), EVF 0x208 and EVF_V2 0x217 (u16 cpu + u32 flags + event), and their
 * large variants 0x221 / 0x222. Files of format 1.0 (section header version
 * 1.0, as the reference captures) store a 22-byte event header without
 * nparams; the walker rebuilds the 26-byte header, taking nparams as the only
 * count whose lengths add up to len.
 */
#ifndef CAPTURE_EVENTS_H
#define CAPTURE_EVENTS_H

#include <stddef.h>
#include <stdint.h>

typedef struct cap_walker {
    uint8_t *data; /* the whole decompressed file */
    size_t len;
    size_t off;
    int old_header; /* format 1.0: 22-byte event headers */
    uint8_t *conv;  /* converted event (old_header) */
    size_t conv_cap;
    char err[4200];
} cap_walker;

/* Loads NAME from $FALCO_TEST_DATA_DIR (tests/data). Returns 0, or -1 (w->err). */
int cap_open(cap_walker *w, const char *name);

/* Next event: 1 with *ev and *len set (valid until the next call), 0 at the end,
 * -1 on a malformed file (w->err). */
int cap_next(cap_walker *w, const uint8_t **ev, size_t *len);

void cap_close(cap_walker *w);

#endif
