/*
 * bench/bench_plugin.h - what the two benchmark plugins share, so that one
 * driver runs both and they do the same work: the plugin ID and event source,
 * the field names, the event payload and the open parameters.
 *
 * Plain C on purpose: bench_raw.c includes it without the SDK.
 */
#ifndef FALCO_BENCH_PLUGIN_H
#define FALCO_BENCH_PLUGIN_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BENCH_PLUGIN_ID 999
#define BENCH_EVENT_SOURCE "bench"

/* Fields, in get_fields order (the field_id the host passes). */
#define BENCH_FIELD_U64 "bench.u64"         /* uint64: the constant BENCH_U64_VALUE */
#define BENCH_FIELD_STR "bench.str"         /* string: the constant BENCH_STR_VALUE */
#define BENCH_FIELD_PAYLOAD "bench.payload" /* uint64: the event's payload (its sequence number) */
#define BENCH_FIELD_ARG "bench.arg"         /* uint64 with a required index argument: the index */
#define BENCH_U64_VALUE 42u
#define BENCH_STR_VALUE "bench"

/* Every event is a plugin event (322) whose payload is one little-endian
 * uint64: 0, 1, 2... from open on. */
#define BENCH_PAYLOAD_SIZE 8u

/* Open params "batch=N": every next_batch returns exactly N events. */
#define BENCH_MAX_BATCH 512u
#define BENCH_DEFAULT_BATCH 64u

/* Parses open params ("" means the default batch). Returns 0 and sets *batch,
 * or -1 with a message in err (errlen bytes, NUL-terminated). */
static inline int bench_parse_open_params(const char *params, uint32_t *batch, char *err, size_t errlen) {
    if (!params || !*params) {
        *batch = BENCH_DEFAULT_BATCH;
        return 0;
    }
    const char *digits = strncmp(params, "batch=", 6) == 0 ? params + 6 : NULL;
    char *end = NULL;
    unsigned long n = digits && *digits >= '0' && *digits <= '9' ? strtoul(digits, &end, 10) : 0;
    if (!digits || !end || *end != '\0' || n == 0 || n > BENCH_MAX_BATCH) {
        snprintf(err, errlen, "open params \"%s\": expected \"batch=N\" with N from 1 to %u", params,
                 BENCH_MAX_BATCH);
        return -1;
    }
    *batch = (uint32_t)n;
    return 0;
}

#endif /* FALCO_BENCH_PLUGIN_H */
