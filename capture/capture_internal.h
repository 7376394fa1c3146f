/*
 * capture_internal.h - pieces shared by the capture reader, metadata decoder
 * and writer. Not installed; names are falco__*.
 */
#ifndef FALCO_CAPTURE_INTERNAL_H
#define FALCO_CAPTURE_INTERNAL_H

#include <stdio.h>
#include <string.h>

#include <zlib.h>

#include <falco/capture.h>

#define FALCO__ERRLEN 512

/* Little-endian loads/stores from possibly unaligned bytes (captures are
 * written little-endian by every libscap we know of). */
static inline uint16_t falco__ld16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static inline uint32_t falco__ld32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static inline uint64_t falco__ld64(const uint8_t *p) { return falco__ld32(p) | ((uint64_t)falco__ld32(p + 4) << 32); }
static inline void falco__st16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static inline void falco__st32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}
static inline void falco__st64(uint8_t *p, uint64_t v)
{
    falco__st32(p, (uint32_t)v);
    falco__st32(p + 4, (uint32_t)(v >> 32));
}
static inline size_t falco__pad4(size_t n) { return (n + 3u) & ~(size_t)3u; }

/* ---- byte source: a file or a memory buffer, gzip'd or not ---- */

typedef struct falco__source {
    FILE *file;               /* NULL for memory input */
    const uint8_t *in;        /* compressed or plain input not consumed yet */
    size_t in_len;
    uint8_t *inbuf;           /* file input staging */
    size_t inbuf_cap;
    bool in_eof;              /* no more raw input can arrive */
    bool gzip;
    bool gzip_done;           /* inflate reached the end of the last member */
    bool gzip_truncated;      /* the compressed stream ended early */
    z_stream zs;
    bool zs_ready;
    uint64_t raw_consumed;    /* compressed bytes handed to inflate */
    uint64_t offset;          /* uncompressed bytes delivered so far */
    falco_rc fail;            /* code of the last read failure */
} falco__source;

falco_rc falco__source_open_file(falco__source *s, const char *path, char *err, size_t errlen);
falco_rc falco__source_open_memory(falco__source *s, const void *data, size_t len, char *err, size_t errlen);
/* Reads up to n bytes into dst; *got < n only at the end of the data. */
falco_rc falco__source_read(falco__source *s, void *dst, size_t n, size_t *got, char *err, size_t errlen);
void falco__source_close(falco__source *s);

/* ---- string arena: stable copies that live until the reader is closed ---- */

typedef struct falco__arena_chunk falco__arena_chunk;
typedef struct falco__arena {
    falco__arena_chunk *head;
} falco__arena;

/* Copies len bytes plus a NUL; NULL when out of memory. */
char *falco__arena_strdup(falco__arena *a, const void *data, size_t len);
void falco__arena_free(falco__arena *a);

/* ---- metadata decoding ---- */

typedef struct falco__meta {
    falco_capture_metadata pub;
    falco_capture_machine_info machine;
    falco_capture_process *procs;
    size_t proc_cap;
    falco_capture_fd *fds;
    size_t fd_cap;
    falco_capture_user *users;
    size_t user_cap;
    falco_capture_group *groups;
    size_t group_cap;
    falco_capture_interface *ifs;
    size_t if_cap;
    falco__arena arena;
} falco__meta;

/* True when block_type is a metadata block falco__meta_parse understands. */
bool falco__meta_is_known(uint32_t block_type);
/* Decodes one metadata block body (between header and trailer) at file offset
 * block_off. On failure writes "<BLOCK> block at offset N: ..." into err. */
falco_rc falco__meta_parse(falco__meta *m, uint32_t block_type, const uint8_t *body, size_t len, uint64_t block_off,
                           char *err, size_t errlen);
void falco__meta_free(falco__meta *m);

#endif /* FALCO_CAPTURE_INTERNAL_H */
