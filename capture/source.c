/*
 * source.c - the reader's byte stream: a file or a memory buffer, plain or
 * gzip'd (detected by the 1f 8b magic), inflated in a streaming fashion so a
 * capture of any size needs only a small fixed input buffer.
 */
#include <errno.h>
#include <stdlib.h>

#include "capture_internal.h"

#define SOURCE_INBUF_SIZE (64u * 1024u)
/* zlib counts in uInt: feed memory input in slices it can express. */
#define SOURCE_MAX_SLICE (1u << 30)

static bool source_refill(falco__source *s, char *err, size_t errlen)
{
    if (s->in_len > 0 || s->in_eof)
        return true;
    if (!s->file) {
        s->in_eof = true;
        return true;
    }
    size_t n = fread(s->inbuf, 1, s->inbuf_cap, s->file);
    if (n == 0) {
        if (ferror(s->file)) {
            snprintf(err, errlen, "read error after %llu input bytes: %s", (unsigned long long)s->raw_consumed,
                     strerror(errno));
            return false;
        }
        s->in_eof = true;
    }
    s->in = s->inbuf;
    s->in_len = n;
    return true;
}

/* Looks at the first bytes to choose between plain and gzip input. */
static falco_rc source_detect(falco__source *s, char *err, size_t errlen)
{
    if (!source_refill(s, err, errlen))
        return FALCO_ERROR;
    /* A file read may return a single byte first; make sure two are seen. */
    if (s->file && s->in_len == 1) {
        int c = fgetc(s->file);
        if (c != EOF) {
            s->inbuf[1] = (uint8_t)c;
            s->in_len = 2;
        }
    }
    s->gzip = s->in_len >= 2 && s->in[0] == 0x1f && s->in[1] == 0x8b;
    if (s->gzip) {
        memset(&s->zs, 0, sizeof s->zs);
        /* 15 + 16: gzip wrapper only, the magic told us so. */
        if (inflateInit2(&s->zs, 15 + 16) != Z_OK) {
            snprintf(err, errlen, "cannot initialise zlib");
            return FALCO_ENOMEM;
        }
        s->zs_ready = true;
    }
    return FALCO_OK;
}

falco_rc falco__source_open_file(falco__source *s, const char *path, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    s->file = fopen(path, "rb");
    if (!s->file) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return FALCO_ENOTFOUND;
    }
    s->inbuf_cap = SOURCE_INBUF_SIZE;
    s->inbuf = malloc(s->inbuf_cap);
    if (!s->inbuf) {
        snprintf(err, errlen, "%s: out of memory", path);
        return FALCO_ENOMEM;
    }
    return source_detect(s, err, errlen);
}

falco_rc falco__source_open_memory(falco__source *s, const void *data, size_t len, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    s->in = data;
    s->in_len = data ? len : 0;
    s->in_eof = true; /* everything is already in `in` */
    return source_detect(s, err, errlen);
}

static size_t source_read_plain(falco__source *s, uint8_t *dst, size_t n, char *err, size_t errlen, bool *ok)
{
    size_t done = 0;
    *ok = true;
    while (done < n) {
        if (s->in_len == 0) {
            if (!source_refill(s, err, errlen)) {
                *ok = false;
                break;
            }
            if (s->in_len == 0)
                break;
        }
        size_t take = s->in_len < n - done ? s->in_len : n - done;
        memcpy(dst + done, s->in, take);
        s->in += take;
        s->in_len -= take;
        s->raw_consumed += take;
        done += take;
    }
    return done;
}

static size_t source_read_gzip(falco__source *s, uint8_t *dst, size_t n, char *err, size_t errlen, bool *ok)
{
    size_t done = 0;
    *ok = true;
    while (done < n && !s->gzip_done) {
        if (s->in_len == 0) {
            if (!source_refill(s, err, errlen)) {
                *ok = false;
                break;
            }
            if (s->in_len == 0) {
                /* Input ended inside a member: the file was cut. */
                s->gzip_truncated = true;
                break;
            }
        }
        size_t out_room = n - done;
        uInt in_slice = (uInt)(s->in_len < SOURCE_MAX_SLICE ? s->in_len : SOURCE_MAX_SLICE);
        uInt out_slice = (uInt)(out_room < SOURCE_MAX_SLICE ? out_room : SOURCE_MAX_SLICE);
        s->zs.next_in = (Bytef *)(uintptr_t)s->in;
        s->zs.avail_in = in_slice;
        s->zs.next_out = dst + done;
        s->zs.avail_out = out_slice;
        int zrc = inflate(&s->zs, Z_NO_FLUSH);
        size_t used = in_slice - s->zs.avail_in;
        size_t made = out_slice - s->zs.avail_out;
        s->in += used;
        s->in_len -= used;
        s->raw_consumed += used;
        done += made;
        if (zrc == Z_STREAM_END) {
            /* Concatenated gzip members form one stream; anything else after
             * the last member is ignored, like gzread does. */
            if (!source_refill(s, err, errlen)) {
                *ok = false;
                break;
            }
            if (s->in_len >= 2 && s->in[0] == 0x1f && s->in[1] == 0x8b)
                inflateReset(&s->zs);
            else
                s->gzip_done = true;
        } else if (zrc == Z_DATA_ERROR || zrc == Z_NEED_DICT || zrc == Z_STREAM_ERROR) {
            snprintf(err, errlen, "corrupt gzip data at compressed offset %llu: %s",
                     (unsigned long long)s->raw_consumed, s->zs.msg ? s->zs.msg : "invalid stream");
            s->fail = FALCO_EPARSE;
            *ok = false;
            break;
        } else if (zrc == Z_MEM_ERROR) {
            snprintf(err, errlen, "out of memory while inflating");
            s->fail = FALCO_ENOMEM;
            *ok = false;
            break;
        } else if (zrc == Z_BUF_ERROR && made == 0 && used == 0) {
            /* No progress possible with the input at hand: it ended. */
            s->gzip_truncated = s->in_eof;
            if (s->in_eof)
                break;
        }
    }
    return done;
}

falco_rc falco__source_read(falco__source *s, void *dst, size_t n, size_t *got, char *err, size_t errlen)
{
    bool ok = true;
    size_t done = s->gzip ? source_read_gzip(s, dst, n, err, errlen, &ok) : source_read_plain(s, dst, n, err, errlen, &ok);
    s->offset += done;
    *got = done;
    return ok ? FALCO_OK : (s->fail != FALCO_OK ? s->fail : FALCO_ERROR);
}

void falco__source_close(falco__source *s)
{
    if (s->zs_ready)
        inflateEnd(&s->zs);
    if (s->file)
        fclose(s->file);
    free(s->inbuf);
    memset(s, 0, sizeof *s);
}
