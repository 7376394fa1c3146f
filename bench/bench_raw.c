/*
 * bench_raw - the baseline of the benchmarks: the bench plugin written by hand
 * against the raw plugin ABI (falco/abi.h only, no SDK), doing the least work
 * a correct plugin can do. bench_sdk.c is the same plugin written with the
 * SDK; `bench/run` reports the SDK's cost as a ratio against this one.
 *
 * Fair, not weakened: events are written into a buffer preallocated at open,
 * each header filled at every batch (the host writes tid and ts into them);
 * constant values are returned through static variables; field ids, open
 * params and plugin events are checked as a correct plugin must.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <falco/abi.h>

#include "bench_plugin.h"

#define RAW_EXPORT __attribute__((visibility("default")))

#define EVENT_LEN (FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET + BENCH_PAYLOAD_SIZE)
#define EVENT_STRIDE 48u /* EVENT_LEN rounded up: keeps every payload 8-byte aligned */
#define HEADER_SIZE 26u

typedef struct raw_state {
    char err[FALCO_ABI_MAX_ERRLEN];
    uint64_t payload; /* result storage of bench.payload */
    uint64_t arg;     /* result storage of bench.arg */
} raw_state;

typedef struct raw_instance {
    uint32_t batch;
    uint64_t next; /* payload of the next event */
    falco_abi_event *events[BENCH_MAX_BATCH];
    _Alignas(16) unsigned char buf[BENCH_MAX_BATCH * EVENT_STRIDE];
} raw_instance;

static uint64_t const_u64 = BENCH_U64_VALUE;
static const char *const_str = BENCH_STR_VALUE;

static const char fields_json[] =
    "[{\"name\":\"" BENCH_FIELD_U64 "\",\"type\":\"uint64\",\"desc\":\"a constant number\"},"
    "{\"name\":\"" BENCH_FIELD_STR "\",\"type\":\"string\",\"desc\":\"a constant short string\"},"
    "{\"name\":\"" BENCH_FIELD_PAYLOAD "\",\"type\":\"uint64\",\"desc\":\"the event's sequence number\"},"
    "{\"name\":\"" BENCH_FIELD_ARG "\",\"type\":\"uint64\",\"desc\":\"its index argument\","
    "\"arg\":{\"isRequired\":true,\"isIndex\":true}}]";

RAW_EXPORT const char *plugin_get_required_api_version(void) {
    return "3.0.0";
}

RAW_EXPORT const char *plugin_get_version(void) {
    return "0.1.0";
}

RAW_EXPORT const char *plugin_get_name(void) {
    return "bench_raw";
}

RAW_EXPORT const char *plugin_get_description(void) {
    return "Benchmark baseline written against the raw plugin ABI";
}

RAW_EXPORT const char *plugin_get_contact(void) {
    return "https://github.com/falcosecurity";
}

RAW_EXPORT falco_abi_plugin_t *plugin_init(const falco_abi_init_input *in, falco_abi_rc *rc) {
    (void)in;
    raw_state *s = calloc(1, sizeof *s);
    *rc = s ? FALCO_ABI_RC_SUCCESS : FALCO_ABI_RC_FAILURE;
    return s;
}

RAW_EXPORT void plugin_destroy(falco_abi_plugin_t *s) {
    free(s);
}

RAW_EXPORT const char *plugin_get_last_error(falco_abi_plugin_t *s) {
    return ((raw_state *)s)->err;
}

RAW_EXPORT uint32_t plugin_get_id(void) {
    return BENCH_PLUGIN_ID;
}

RAW_EXPORT const char *plugin_get_event_source(void) {
    return BENCH_EVENT_SOURCE;
}

RAW_EXPORT falco_abi_instance_t *plugin_open(falco_abi_plugin_t *s, const char *params, falco_abi_rc *rc) {
    raw_state *st = s;
    uint32_t batch;
    if (bench_parse_open_params(params, &batch, st->err, sizeof st->err) != 0) {
        *rc = FALCO_ABI_RC_FAILURE;
        return NULL;
    }
    raw_instance *in = malloc(sizeof *in);
    if (!in) {
        snprintf(st->err, sizeof st->err, "open: out of memory");
        *rc = FALCO_ABI_RC_FAILURE;
        return NULL;
    }
    in->batch = batch;
    in->next = 0;
    for (uint32_t i = 0; i < BENCH_MAX_BATCH; i++)
        in->events[i] = (falco_abi_event *)(in->buf + i * EVENT_STRIDE);
    *rc = FALCO_ABI_RC_SUCCESS;
    return in;
}

RAW_EXPORT void plugin_close(falco_abi_plugin_t *s, falco_abi_instance_t *h) {
    (void)s;
    free(h);
}

RAW_EXPORT falco_abi_rc plugin_next_batch(falco_abi_plugin_t *s, falco_abi_instance_t *h, uint32_t *nevts,
                                          falco_abi_event ***evts) {
    (void)s;
    raw_instance *in = h;
    const falco_abi_event hdr = {
        .ts = UINT64_MAX, .tid = UINT64_MAX, .len = EVENT_LEN, .type = FALCO_ABI_EVENT_PLUGIN, .nparams = 2};
    const uint32_t lens_and_id[3] = {4, BENCH_PAYLOAD_SIZE, BENCH_PLUGIN_ID};
    for (uint32_t i = 0; i < in->batch; i++) {
        unsigned char *e = in->buf + i * EVENT_STRIDE;
        uint64_t payload = in->next++;
        memcpy(e, &hdr, HEADER_SIZE);
        memcpy(e + HEADER_SIZE, lens_and_id, sizeof lens_and_id);
        memcpy(e + FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET, &payload, sizeof payload);
    }
    *nevts = in->batch;
    *evts = in->events;
    return FALCO_ABI_RC_SUCCESS;
}

RAW_EXPORT const char *plugin_get_fields(void) {
    return fields_json;
}

/* Reads the payload of a bench event, checking it is one (type, lengths). */
static int read_payload(const falco_abi_event_input *evt, uint64_t *out) {
    const unsigned char *e = (const unsigned char *)evt->evt;
    uint32_t lens[2];
    if (evt->evt->type != FALCO_ABI_EVENT_PLUGIN || evt->evt->len != EVENT_LEN)
        return -1;
    memcpy(lens, e + HEADER_SIZE, sizeof lens);
    if (lens[0] != 4 || lens[1] != BENCH_PAYLOAD_SIZE)
        return -1;
    memcpy(out, e + FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET, sizeof *out);
    return 0;
}

RAW_EXPORT falco_abi_rc plugin_extract_fields(falco_abi_plugin_t *s, const falco_abi_event_input *evt,
                                              const falco_abi_field_extract_input *in) {
    raw_state *st = s;
    for (uint32_t i = 0; i < in->num_fields; i++) {
        falco_abi_extract_field *f = &in->fields[i];
        switch (f->field_id) {
        case 0:
            f->res.u64 = &const_u64;
            break;
        case 1:
            f->res.str = &const_str;
            break;
        case 2:
            if (read_payload(evt, &st->payload) != 0) {
                snprintf(st->err, sizeof st->err, "field '%s': event #%llu is not a bench event", f->field,
                         (unsigned long long)evt->evtnum);
                return FALCO_ABI_RC_FAILURE;
            }
            f->res.u64 = &st->payload;
            break;
        case 3:
            /* An index argument comes with no key (a key means a string was given). */
            if (!f->arg_present || f->arg_key) {
                snprintf(st->err, sizeof st->err, "field '%s': needs an index argument, e.g. %s[0]", f->field,
                         BENCH_FIELD_ARG);
                return FALCO_ABI_RC_FAILURE;
            }
            st->arg = f->arg_index;
            f->res.u64 = &st->arg;
            break;
        default:
            snprintf(st->err, sizeof st->err, "field id %u is out of range", f->field_id);
            return FALCO_ABI_RC_FAILURE;
        }
        f->res_len = 1;
    }
    return FALCO_ABI_RC_SUCCESS;
}
