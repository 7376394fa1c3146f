/*
 * bench/dummy_author.h - the author's code of the dummy workload, shared by
 * dummy_raw.c (raw ABI) and dummy_sdk.c (SDK) so that the two differ only in
 * the glue: a port of Falco's `dummy` plugin as a new user writes it.
 *
 * The source produces plugin events whose payload is one little-endian
 * uint64 sample: start, then each one larger by 1..jitter (a fixed
 * pseudo-random sequence). Fields, in get_fields order:
 *   dummy.value          uint64  the sample
 *   dummy.strvalue       string  the sample in decimal
 *   dummy.divisible[N]   uint64  1 when the sample is divisible by N, else 0
 *                                (index argument, required, N > 0)
 * Open params: the number of events before EOF (decimal, default
 * DUMMY_DEFAULT_EVENTS); every next_batch returns DUMMY_BATCH of them.
 *
 * Plain C on purpose: dummy_raw.c includes it without the SDK.
 */
#ifndef FALCO_BENCH_DUMMY_AUTHOR_H
#define FALCO_BENCH_DUMMY_AUTHOR_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DUMMY_PLUGIN_ID 998
#define DUMMY_EVENT_SOURCE "dummy"
#define DUMMY_BATCH 64u
#define DUMMY_DEFAULT_EVENTS 2000000u
#define DUMMY_START 1u
#define DUMMY_JITTER 10u

#define DUMMY_FIELD_VALUE "dummy.value"
#define DUMMY_FIELD_STRVALUE "dummy.strvalue"
#define DUMMY_FIELD_DIVISIBLE "dummy.divisible"

/* The generator of one open capture. */
typedef struct dummy_gen {
    uint64_t sample; /* the next event's payload */
    uint64_t left;   /* events before EOF */
    uint32_t rng;
} dummy_gen;

/* Parses open params into g; 0, or -1 with a message in err. */
static inline int dummy_gen_open(dummy_gen *g, const char *params, char *err, size_t errlen) {
    unsigned long long n = DUMMY_DEFAULT_EVENTS;
    if (params && *params) {
        char *end = NULL;
        n = *params >= '0' && *params <= '9' ? strtoull(params, &end, 10) : 0;
        if (!end || *end || n == 0) {
            snprintf(err, errlen, "open params \"%s\": expected a number of events (1 or more)", params);
            return -1;
        }
    }
    g->sample = DUMMY_START;
    g->left = n;
    g->rng = 2463534242u;
    return 0;
}

/* The next sample (and advances the generator). */
static inline uint64_t dummy_gen_next(dummy_gen *g) {
    uint64_t v = g->sample;
    g->rng ^= g->rng << 13;
    g->rng ^= g->rng >> 17;
    g->rng ^= g->rng << 5;
    g->sample += 1 + g->rng % DUMMY_JITTER;
    g->left--;
    return v;
}

/* Writes v in decimal into buf (at least 21 bytes); returns the length. */
static inline size_t dummy_format(uint64_t v, char *buf) {
    char tmp[20];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
    return n;
}

static inline uint64_t dummy_divisible(uint64_t v, uint64_t divisor) {
    return v % divisor == 0 ? 1 : 0;
}

#endif /* FALCO_BENCH_DUMMY_AUTHOR_H */
