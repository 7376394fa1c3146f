/*
 * bench_decode.c - decoding cost of the reference captures, single core.
 *   baseline: the capture reader alone (block framing + event headers)
 *   decode:   the same + falco_evt_view_init + every param read with
 *             falco_evt_param_get + falco_evt_format of the whole event
 * The captures are decompressed into memory first, so inflate is not timed.
 * Prints events/s and bytes/s per core for both and their ratio.
 *   falco_bench_decode [min seconds per measurement, default 1] [capture...]
 * Without captures: the two of tests/data ($FALCO_TEST_DATA_DIR, else the
 * folder compiled in).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zlib.h>

#include <falco/capture.h>
#include <falco/event.h>

#ifndef FALCO_TEST_DATA_DIR
#error "build with -DFALCO_TEST_DATA_DIR=\"<repo>/tests/data\""
#endif

typedef struct input {
    unsigned char *data;
    size_t len;
} input;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int load(const char *path, input *in)
{
    gzFile g = gzopen(path, "rb");
    if (!g)
        return -1;
    size_t cap = 1 << 16;
    in->len = 0;
    in->data = malloc(cap);
    for (;;) {
        if (in->len == cap)
            in->data = realloc(in->data, cap *= 2);
        int got = gzread(g, in->data + in->len, (unsigned)(cap - in->len));
        if (got <= 0)
            break;
        in->len += (size_t)got;
    }
    gzclose(g);
    return 0;
}

static volatile uint64_t sink;

/* One pass over every input; returns events seen, adds event bytes to *bytes. */
static uint64_t pass(const input *ins, int n, int decode, uint64_t *bytes, uint64_t *errors)
{
    uint64_t events = 0;
    static char line[1 << 16];
    for (int i = 0; i < n; i++) {
        falco_capture_reader *r = falco_capture_open_memory(ins[i].data, ins[i].len, NULL);
        if (!r)
            continue;
        if (decode < 0) { /* open + metadata only */
            falco_capture_close(r);
            continue;
        }
        const void *ev;
        size_t len;
        while (falco_capture_next(r, &ev, &len, NULL) == FALCO_OK) {
            events++;
            *bytes += len;
            if (!decode) {
                sink += ((const unsigned char *)ev)[20];
                continue;
            }
            falco_evt_view v;
            if (falco_evt_view_init(&v, ev, len) != FALCO_OK) {
                (*errors)++;
                continue;
            }
            for (uint32_t p = 0; p < v.nparams; p++) {
                falco_evt_value val;
                if (falco_evt_param_get(&v, p, &val) == FALCO_OK)
                    sink += val.type;
                else
                    (*errors)++;
            }
            size_t needed;
            if (falco_evt_format(&v, FALCO_EVT_FORMAT_HEADER, line, sizeof line, &needed) != FALCO_OK)
                (*errors)++;
            sink += needed;
        }
        falco_capture_close(r);
    }
    return events;
}

typedef struct result {
    double secs;
    uint64_t passes, events, bytes, errors;
} result;

static result measure(const input *ins, int n, int decode, double min_secs)
{
    result res = { 0 };
    double t0 = now();
    do {
        res.events += pass(ins, n, decode, &res.bytes, &res.errors);
        res.passes++;
        res.secs = now() - t0;
    } while (res.secs < min_secs);
    return res;
}

/* Seconds spent on events alone: total minus the opens it did. */
static double event_secs(const result *r, double open_per_pass)
{
    double s = r->secs - open_per_pass * (double)r->passes;
    return s > 0 ? s : r->secs;
}

int main(int argc, char **argv)
{
    double min_secs = argc > 1 ? atof(argv[1]) : 1.0;
    if (min_secs <= 0)
        min_secs = 1.0;
    input ins[16];
    int n = 0;
    char path[4096];
    if (argc > 2) {
        for (int i = 2; i < argc && n < 16; i++)
            if (load(argv[i], &ins[n]) == 0)
                n++;
    } else {
        const char *dir = getenv("FALCO_TEST_DATA_DIR");
        static const char *names[] = { "curl_google.scap", "curl_google_comments.scap" };
        for (int i = 0; i < 2; i++) {
            snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : FALCO_TEST_DATA_DIR, names[i]);
            if (load(path, &ins[n]) != 0) {
                fprintf(stderr, "falco_bench_decode: cannot read %s\n", path);
                return 1;
            }
            n++;
        }
    }
    if (n == 0) {
        fprintf(stderr, "falco_bench_decode: no capture could be read\n");
        return 1;
    }
    pass(ins, n, 1, &(uint64_t){ 0 }, &(uint64_t){ 0 }); /* warm up */
    /* Opening parses the metadata blocks (a third of these files): time it
     * alone and take it out of both event rates. */
    result opens = measure(ins, n, -1, min_secs);
    result base = measure(ins, n, 0, min_secs);
    result full = measure(ins, n, 1, min_secs);
    double open_per_pass = opens.secs / (double)opens.passes;
    double bs = event_secs(&base, open_per_pass), fs = event_secs(&full, open_per_pass);
    printf("open + metadata of %d capture(s): %.1f us per pass (excluded below)\n", n, open_per_pass * 1e6);
    printf("%-34s %14s %14s\n", "per core", "events/s", "MB/s");
    printf("%-34s %14.0f %14.1f\n", "baseline: reader, headers only", (double)base.events / bs,
           (double)base.bytes / bs / 1e6);
    printf("%-34s %14.0f %14.1f\n", "decode: view + params + format", (double)full.events / fs,
           (double)full.bytes / fs / 1e6);
    double ratio = (fs / (double)full.events) / (bs / (double)base.events);
    printf("ratio decode/baseline (time per event): %.2fx; decode errors: %llu\n", ratio,
           (unsigned long long)full.errors);
    for (int i = 0; i < n; i++)
        free(ins[i].data);
    return 0;
}
