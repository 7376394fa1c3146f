/*
 * make_seeds.c - writes the seed corpus of fuzz_capture from the reference
 * captures: a plain copy, plain and gzip'd prefixes, a capture with comments,
 * and small files in the current format written by falco_capture_writer.
 *   capture_make_seeds <repo>/tests/data <out dir>
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include <falco/capture.h>

static unsigned char *slurp(const char *path, int gunzip, size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = malloc(cap);
    gzFile g = gunzip ? gzopen(path, "rb") : NULL;
    FILE *f = gunzip ? NULL : fopen(path, "rb");
    if (!g && !f)
        return NULL;
    for (;;) {
        if (n == cap)
            buf = realloc(buf, cap *= 2);
        long got = g ? gzread(g, buf + n, (unsigned)(cap - n)) : (long)fread(buf + n, 1, cap - n, f);
        if (got <= 0)
            break;
        n += (size_t)got;
    }
    if (g)
        gzclose(g);
    if (f)
        fclose(f);
    *len = n;
    return buf;
}

static int put(const char *dir, const char *name, const void *d, size_t n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(d, 1, n, f) != n) {
        fprintf(stderr, "%s: cannot write\n", path);
        return 1;
    }
    return fclose(f) != 0;
}

/* A small current-format capture: a few processes/fds/users, 40 events, some
 * with flags, and a plugin event (large payload). */
static int write_v2(const char *src, const char *out, int gzip)
{
    falco_capture_error err;
    falco_capture_reader *r = falco_capture_open(src, &err);
    if (!r) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    falco_capture_metadata m = *falco_capture_get_metadata(r);
    m.process_count = m.process_count > 3 ? 3 : m.process_count;
    m.fd_count = m.fd_count > 6 ? 6 : m.fd_count;
    m.user_count = m.user_count > 2 ? 2 : m.user_count;
    m.group_count = m.group_count > 2 ? 2 : m.group_count;
    falco_capture_writer_options o = { .gzip = gzip != 0, .metadata = &m };
    falco_capture_writer *w = falco_capture_writer_open(out, &o, &err);
    if (!w) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    const void *ev;
    size_t len;
    falco_capture_block_info bi;
    for (int i = 0; i < 40 && falco_capture_next(r, &ev, &len, &bi) == FALCO_OK; i++)
        falco_capture_writer_write_event(w, ev, len, bi.cpu, (i % 3 == 0) ? 1u : 0u);
    /* plugin event 322: [hdr][u32 4][u32 5][u32 plugin id 7][5 bytes] */
    unsigned char pe[26 + 8 + 4 + 5] = { 0 };
    uint32_t l = sizeof pe, np = 2, four = 4, five = 5, id = 7;
    uint16_t type = 322;
    memcpy(pe + 16, &l, 4);
    memcpy(pe + 20, &type, 2);
    memcpy(pe + 22, &np, 4);
    memcpy(pe + 26, &four, 4);
    memcpy(pe + 30, &five, 4);
    memcpy(pe + 34, &id, 4);
    memcpy(pe + 38, "hello", 5);
    falco_capture_writer_write_event(w, pe, sizeof pe, 0, 0);
    falco_capture_close(r);
    return falco_capture_writer_close(w, &err) != FALCO_OK;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s <captures dir> <out dir>\n", argv[0]);
        return 2;
    }
    char a[4096], b[4096], out[4096];
    snprintf(a, sizeof a, "%s/curl_google.scap", argv[1]);
    snprintf(b, sizeof b, "%s/curl_google_comments.scap", argv[1]);
    size_t plen, glen, clen;
    unsigned char *plain = slurp(a, 1, &plen), *gz = slurp(a, 0, &glen), *com = slurp(b, 1, &clen);
    if (!plain || !gz || !com || plen < 60000 || glen < 8192 || clen < 4096) {
        fprintf(stderr, "cannot read the captures in %s\n", argv[1]);
        return 1;
    }
    int bad = put(argv[2], "plain_full.scap", plain, plen);
    bad |= put(argv[2], "plain_head_4k.scap", plain, 4096);
    bad |= put(argv[2], "plain_head_56k.scap", plain, 56 * 1024);
    bad |= put(argv[2], "gzip_head_8k.scap", gz, 8192);
    bad |= put(argv[2], "comments_head_4k.scap", com, 4096);
    snprintf(out, sizeof out, "%s/v2_small.scap", argv[2]);
    bad |= write_v2(a, out, 0);
    snprintf(out, sizeof out, "%s/v2_small_gz.scap", argv[2]);
    bad |= write_v2(a, out, 1);
    free(plain);
    free(gz);
    free(com);
    return bad;
}
