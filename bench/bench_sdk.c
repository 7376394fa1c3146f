/*
 * bench_sdk - the bench plugin written with the SDK the way an author would:
 * same fields, same events, same open params as bench_raw.c, so that
 * `falcoplug bench` drives both and `bench/run` reports the SDK's overhead.
 */
#include <falco/plugin.h>

#include "bench_plugin.h"

typedef struct {
    uint32_t batch;
    uint64_t next; /* payload of the next event */
} bench_instance;

static falco_rc bench_open(falco_plugin *p, const char *params, void **instance) {
    bench_instance *in = *instance;
    char err[256];
    if (bench_parse_open_params(params, &in->batch, err, sizeof err) != 0)
        return falco_error(p, FALCO_EINVAL, "%s", err);
    return FALCO_OK;
}

/* All the batch's events have the same payload size: reserved at once (the
 * SDK lays the headers), each payload written in place. */
static falco_rc bench_next_batch(falco_plugin *p, void *instance, falco_batch *b) {
    (void)p;
    bench_instance *in = instance;
    falco_batch_span span;
    FALCO_TRY(falco_batch_reserve_plugin_events(b, in->batch, sizeof(uint64_t), UINT64_MAX, &span));
    for (uint32_t i = 0; i < span.count; i++) {
        uint64_t payload = in->next++;
        memcpy(falco_batch_span_payload(&span, i), &payload, sizeof payload);
    }
    return FALCO_OK;
}

static falco_rc bench_u64(falco_extract *x, const falco_event *ev) {
    (void)ev;
    return falco_extract_u64(x, BENCH_U64_VALUE);
}

static falco_rc bench_str(falco_extract *x, const falco_event *ev) {
    (void)ev;
    return falco_extract_str_ref(x, BENCH_STR_VALUE);
}

static falco_rc bench_payload(falco_extract *x, const falco_event *ev) {
    uint64_t v;
    FALCO_TRY(falco_event_payload_u64(ev, &v));
    return falco_extract_u64(x, v);
}

static falco_rc bench_arg(falco_extract *x, const falco_event *ev) {
    (void)ev;
    return falco_extract_u64(x, falco_extract_arg_index(x));
}

static const falco_field bench_fields[] = {
    {.name = BENCH_FIELD_U64, .type = FALCO_FIELD_U64, .desc = "a constant number", .extract = bench_u64},
    {.name = BENCH_FIELD_STR, .type = FALCO_FIELD_STRING, .desc = "a constant short string", .extract = bench_str},
    {.name = BENCH_FIELD_PAYLOAD, .type = FALCO_FIELD_U64, .desc = "the event's sequence number",
     .extract = bench_payload},
    {.name = BENCH_FIELD_ARG, .type = FALCO_FIELD_U64, .arg = FALCO_ARG_INDEX, .arg_required = true,
     .desc = "its index argument", .extract = bench_arg},
};

FALCO_PLUGIN(bench_sdk, .name = "bench_sdk", .version = "0.1.0", .contact = "https://github.com/falcosecurity",
             .description = "Benchmark plugin written with plugin-sdk-c");

FALCO_SOURCE(bench_sdk, .id = BENCH_PLUGIN_ID, .event_source = BENCH_EVENT_SOURCE,
             .instance_size = sizeof(bench_instance), .open = bench_open, .next_batch = bench_next_batch,
             .max_batch_events = BENCH_MAX_BATCH);

FALCO_EXTRACT(bench_sdk, .fields = FALCO_LIST(bench_fields));
