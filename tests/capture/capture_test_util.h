/*
 * capture_test_util.h - helpers shared by the capture tests: locating the
 * reference captures, loading them (decompressed) into memory, and an
 * independent block walk (not using the reader) to cross-check it.
 */
#ifndef CAPTURE_TEST_UTIL_H
#define CAPTURE_TEST_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include <zlib.h>

static inline const char *capture_path(const char *name)
{
    static char buf[4096];
    const char *dir = getenv("FALCO_TEST_DATA_DIR"); /* tests/data, set by ctest */
    if (!dir) {
        fprintf(stderr, "FALCO_TEST_DATA_DIR is not set: run this test through ctest\n");
        exit(2);
    }
    snprintf(buf, sizeof buf, "%s/%s", dir, name);
    return buf;
}

/* Reads a whole file (gunzipping it when gzip'd) into a malloc'd buffer. */
static inline uint8_t *capture_load(const char *path, size_t *len)
{
    gzFile f = gzopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    for (;;) {
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
        int got = gzread(f, buf + n, (unsigned)(cap - n));
        if (got <= 0)
            break;
        n += (size_t)got;
    }
    gzclose(f);
    *len = n;
    return buf;
}

/* Reads a file's raw bytes (no decompression). */
static inline uint8_t *capture_load_raw(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    *len = 0;
    uint8_t *buf = malloc((size_t)n + 1);
    *len = fread(buf, 1, (size_t)n, f);
    fclose(f);
    return buf;
}

static inline uint32_t capture_ld32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

/* Block boundaries of a plain capture in memory, found by following the
 * header lengths. Returns the number of blocks (<= max). */
static inline size_t capture_walk(const uint8_t *d, size_t len, size_t *offs, uint32_t *types, size_t max)
{
    size_t off = 0, n = 0;
    while (off + 8 <= len && n < max) {
        uint32_t bl = capture_ld32(d + off + 4);
        offs[n] = off;
        types[n] = capture_ld32(d + off);
        n++;
        if (bl < 12)
            break;
        off += bl;
    }
    return n;
}

static inline char *capture_tmp_path(const char *tag)
{
    static char buf[4096];
    const char *dir = getenv("FALCO_BUILD_DIR");
    snprintf(buf, sizeof buf, "%s/capture_test_%s_%ld.scap", dir ? dir : "/tmp", tag, (long)getpid());
    return buf;
}


/* A real capture's decompressed bytes with the offset and type of each of
 * its blocks, for the tests that cut or corrupt it. */
#define CAPTURE_MAX_BLOCKS 4096
typedef struct capture_blocks {
    uint8_t *data;
    size_t len;
    size_t offs[CAPTURE_MAX_BLOCKS];
    uint32_t types[CAPTURE_MAX_BLOCKS];
    size_t n;
} capture_blocks;

/* Loads tests/data/<name> into b; -1 when it cannot be read. */
static inline int capture_blocks_load(capture_blocks *b, const char *name)
{
    b->data = capture_load(capture_path(name), &b->len);
    if (!b->data)
        return -1;
    b->n = capture_walk(b->data, b->len, b->offs, b->types, CAPTURE_MAX_BLOCKS);
    return 0;
}

static inline void capture_blocks_free(capture_blocks *b)
{
    free(b->data);
    b->data = NULL;
}

#endif
