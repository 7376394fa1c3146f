/*
 * event_test_util.h - building raw events byte by byte for the event tests.
 */
#ifndef EVENT_TEST_UTIL_H
#define EVENT_TEST_UTIL_H

#include <stdint.h>
#include <string.h>

/* Writes a header (ts 1000, tid 42) with the given len, type and nparams,
 * then nparams u16 lengths, then payload. Returns the bytes written. */
static inline size_t raw_event(uint8_t *buf, uint32_t len, uint16_t type, uint32_t nparams, const uint16_t *lens,
                               const void *payload, size_t plen)
{
    uint64_t ts = 1000, tid = 42;
    memcpy(buf, &ts, 8);
    memcpy(buf + 8, &tid, 8);
    memcpy(buf + 16, &len, 4);
    memcpy(buf + 20, &type, 2);
    memcpy(buf + 22, &nparams, 4);
    size_t off = 26;
    for (uint32_t i = 0; i < nparams; i++, off += 2)
        memcpy(buf + off, &lens[i], 2);
    if (plen)
        memcpy(buf + off, payload, plen);
    return off + plen;
}

#endif
