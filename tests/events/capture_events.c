/* capture_events.c - see capture_events.h. Test-only code. */
#include "capture_events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

static uint32_t rd32(const uint8_t *p)
{
    uint32_t x;
    memcpy(&x, p, 4);
    return x;
}

static uint16_t rd16(const uint8_t *p)
{
    uint16_t x;
    memcpy(&x, p, 2);
    return x;
}

int cap_open(cap_walker *w, const char *name)
{
    memset(w, 0, sizeof *w);
    char path[4096];
    const char *dir = getenv("FALCO_TEST_DATA_DIR");
    if (!dir || !*dir) {
        snprintf(w->err, sizeof w->err, "FALCO_TEST_DATA_DIR is not set (run the test through ctest)");
        return -1;
    }
    snprintf(path, sizeof path, "%s/%s", dir, name);
    gzFile f = gzopen(path, "rb");
    if (!f) {
        snprintf(w->err, sizeof w->err, "%s: cannot open", path);
        return -1;
    }
    size_t cap = 1 << 16;
    w->data = malloc(cap);
    for (;;) {
        if (!w->data)
            break;
        int n = gzread(f, w->data + w->len, (unsigned)(cap - w->len));
        if (n <= 0)
            break;
        w->len += (size_t)n;
        if (w->len == cap) {
            uint8_t *nb = realloc(w->data, cap * 2);
            if (!nb) {
                free(w->data);
                w->data = NULL;
                break;
            }
            w->data = nb;
            cap *= 2;
        }
    }
    gzclose(f);
    if (!w->data) {
        snprintf(w->err, sizeof w->err, "%s: out of memory", path);
        return -1;
    }
    return 0;
}

/* Rebuilds a format-1.0 event (22-byte header) with its nparams. */
static int convert_old(cap_walker *w, const uint8_t *ev, size_t avail, const uint8_t **out, size_t *outlen)
{
    if (avail < 22) {
        snprintf(w->err, sizeof w->err, "old event header truncated at %zu", w->off);
        return -1;
    }
    uint32_t len = rd32(ev + 16);
    if (len < 22 || len > avail) {
        snprintf(w->err, sizeof w->err, "old event len %u bad at %zu", len, w->off);
        return -1;
    }
    uint32_t found = UINT32_MAX;
    for (uint32_t n = 0; 22 + 2 * n <= len; n++) {
        uint64_t sum = 22 + 2 * n;
        for (uint32_t i = 0; i < n; i++)
            sum += rd16(ev + 22 + 2 * i);
        if (sum == len) {
            found = n;
            break;
        }
    }
    if (found == UINT32_MAX) {
        snprintf(w->err, sizeof w->err, "old event at %zu: no param count fits len %u", w->off, len);
        return -1;
    }
    if (w->conv_cap < (size_t)len + 4) {
        free(w->conv);
        w->conv_cap = (size_t)len + 4;
        w->conv = malloc(w->conv_cap);
        if (!w->conv)
            return -1;
    }
    memcpy(w->conv, ev, 22);
    uint32_t newlen = len + 4;
    memcpy(w->conv + 16, &newlen, 4);
    memcpy(w->conv + 22, &found, 4);
    memcpy(w->conv + 26, ev + 22, len - 22);
    *out = w->conv;
    *outlen = newlen;
    return 1;
}

int cap_next(cap_walker *w, const uint8_t **ev, size_t *len)
{
    while (w->off + 12 <= w->len) {
        uint32_t type = rd32(w->data + w->off), total = rd32(w->data + w->off + 4);
        if (total < 12 || total > w->len - w->off) {
            snprintf(w->err, sizeof w->err, "block at %zu: bad total length %u", w->off, total);
            return -1;
        }
        const uint8_t *body = w->data + w->off + 8;
        size_t blen = total - 12;
        size_t at = w->off;
        w->off += total;
        size_t skip;
        switch (type) {
        case 0x0A0D0D0A:
            if (blen < 8) {
                snprintf(w->err, sizeof w->err, "section header at %zu truncated", at);
                return -1;
            }
            w->old_header = rd16(body + 4) == 1 && rd16(body + 6) == 0;
            continue;
        case 0x204: case 0x216: case 0x221: skip = 2; break;
        case 0x208: case 0x217: case 0x222: skip = 6; break;
        default: continue;
        }
        if (blen < skip) {
            snprintf(w->err, sizeof w->err, "event block at %zu truncated", at);
            return -1;
        }
        if (w->old_header) {
            size_t save = w->off;
            w->off = at;
            int rc = convert_old(w, body + skip, blen - skip, ev, len);
            w->off = save;
            return rc;
        }
        *ev = body + skip;
        *len = blen - skip;
        return 1;
    }
    return 0;
}

void cap_close(cap_walker *w)
{
    free(w->data);
    free(w->conv);
    memset(w, 0, sizeof *w);
}
