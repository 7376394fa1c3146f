/*
 * dummy_raw - the dummy workload (dummy_author.h) written by hand against
 * the raw plugin ABI: the baseline of the libsinsp pipeline benchmark
 * (`bench/run`, ratio libsinsp_pipeline). dummy_sdk.c is the same plugin
 * with the SDK. Events go into a buffer preallocated at open; values are
 * returned through the plugin state; field ids, the index argument and the
 * event are checked as a correct plugin must.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <falco/abi.h>

#include "dummy_author.h"

#define RAW_EXPORT __attribute__((visibility("default")))

#define HEADER_SIZE 26u
#define EVENT_LEN (FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET + 8u)
#define EVENT_STRIDE 48u /* EVENT_LEN rounded up: keeps every payload 8-byte aligned */

typedef struct raw_state {
    char err[FALCO_ABI_MAX_ERRLEN];
    uint64_t u64;     /* result storage of the uint64 fields */
    char str[24];     /* result storage of dummy.strvalue */
    const char *strp; /* points to str */
} raw_state;

typedef struct raw_instance {
    dummy_gen gen;
    falco_abi_event *events[DUMMY_BATCH];
    _Alignas(16) unsigned char buf[DUMMY_BATCH * EVENT_STRIDE];
} raw_instance;

static const char fields_json[] =
    "[{\"name\":\"" DUMMY_FIELD_VALUE "\",\"type\":\"uint64\",\"desc\":\"the sample\"},"
    "{\"name\":\"" DUMMY_FIELD_STRVALUE "\",\"type\":\"string\",\"desc\":\"the sample in decimal\"},"
    "{\"name\":\"" DUMMY_FIELD_DIVISIBLE "\",\"type\":\"uint64\",\"desc\":\"1 when the sample is divisible by "
    "the argument\",\"arg\":{\"isRequired\":true,\"isIndex\":true}}]";

RAW_EXPORT const char *plugin_get_required_api_version(void) {
    return "3.0.0";
}
RAW_EXPORT const char *plugin_get_version(void) {
    return "0.1.0";
}
RAW_EXPORT const char *plugin_get_name(void) {
    return "dummy_raw";
}
RAW_EXPORT const char *plugin_get_description(void) {
    return "Dummy workload written against the raw plugin ABI";
}
RAW_EXPORT const char *plugin_get_contact(void) {
    return "https://github.com/falcosecurity";
}

RAW_EXPORT falco_abi_plugin_t *plugin_init(const falco_abi_init_input *in, falco_abi_rc *rc) {
    (void)in;
    raw_state *s = calloc(1, sizeof *s);
    if (s)
        s->strp = s->str;
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
    return DUMMY_PLUGIN_ID;
}

RAW_EXPORT const char *plugin_get_event_source(void) {
    return DUMMY_EVENT_SOURCE;
}

RAW_EXPORT falco_abi_instance_t *plugin_open(falco_abi_plugin_t *s, const char *params, falco_abi_rc *rc) {
    raw_state *st = s;
    raw_instance *in = malloc(sizeof *in);
    if (!in) {
        snprintf(st->err, sizeof st->err, "open: out of memory");
        *rc = FALCO_ABI_RC_FAILURE;
        return NULL;
    }
    if (dummy_gen_open(&in->gen, params, st->err, sizeof st->err) != 0) {
        free(in);
        *rc = FALCO_ABI_RC_FAILURE;
        return NULL;
    }
    for (uint32_t i = 0; i < DUMMY_BATCH; i++)
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
    const uint32_t lens_and_id[3] = {4, 8, DUMMY_PLUGIN_ID};
    uint32_t n = 0;
    for (; n < DUMMY_BATCH && in->gen.left; n++) {
        unsigned char *e = in->buf + n * EVENT_STRIDE;
        uint64_t v = dummy_gen_next(&in->gen);
        memcpy(e, &hdr, HEADER_SIZE);
        memcpy(e + HEADER_SIZE, lens_and_id, sizeof lens_and_id);
        memcpy(e + FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET, &v, sizeof v);
    }
    *nevts = n;
    *evts = in->events;
    return in->gen.left ? FALCO_ABI_RC_SUCCESS : FALCO_ABI_RC_EOF;
}

RAW_EXPORT const char *plugin_get_fields(void) {
    return fields_json;
}

/* Reads the sample of a dummy event, checking it is one (type, lengths). */
static int read_sample(const falco_abi_event_input *evt, uint64_t *out) {
    const unsigned char *e = (const unsigned char *)evt->evt;
    uint32_t lens[2];
    if (evt->evt->type != FALCO_ABI_EVENT_PLUGIN || evt->evt->len != EVENT_LEN)
        return -1;
    memcpy(lens, e + HEADER_SIZE, sizeof lens);
    if (lens[0] != 4 || lens[1] != 8)
        return -1;
    memcpy(out, e + FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET, sizeof *out);
    return 0;
}

RAW_EXPORT falco_abi_rc plugin_extract_fields(falco_abi_plugin_t *s, const falco_abi_event_input *evt,
                                              const falco_abi_field_extract_input *in) {
    raw_state *st = s;
    for (uint32_t i = 0; i < in->num_fields; i++) {
        falco_abi_extract_field *f = &in->fields[i];
        uint64_t v;
        if (f->field_id > 2) {
            snprintf(st->err, sizeof st->err, "field id %u is out of range", f->field_id);
            return FALCO_ABI_RC_FAILURE;
        }
        if (read_sample(evt, &v) != 0) {
            snprintf(st->err, sizeof st->err, "field '%s': event #%llu is not a dummy event", f->field,
                     (unsigned long long)evt->evtnum);
            return FALCO_ABI_RC_FAILURE;
        }
        switch (f->field_id) {
        case 0:
            st->u64 = v;
            f->res.u64 = &st->u64;
            break;
        case 1:
            dummy_format(v, st->str);
            f->res.str = &st->strp;
            break;
        default:
            if (!f->arg_present || f->arg_index == 0) {
                snprintf(st->err, sizeof st->err, "field '%s': needs a divisor argument above 0, e.g. %s[2]",
                         f->field, DUMMY_FIELD_DIVISIBLE);
                return FALCO_ABI_RC_FAILURE;
            }
            st->u64 = dummy_divisible(v, f->arg_index);
            f->res.u64 = &st->u64;
            break;
        }
        f->res_len = 1;
    }
    return FALCO_ABI_RC_SUCCESS;
}
