/*
 * hostile - a plugin written on the raw ABI (no SDK, so it can break the
 * rules the SDK enforces) whose strings are hostile to a terminal and to
 * line-based output, for the falcoplug hardening tests:
 *   description, a field's description: a newline and escape sequences
 *   event_to_string  "evt <n>" then a newline, a forged line and escapes
 *   hostile.str      a value with a newline, ESC, CR, DEL and a C1 control
 *   hostile.big      a 10000-byte value ending in "END"
 *   hostile.key[k]   the key itself (required)
 *   hostile.addrs    a list of one 3000-byte ipaddr (libsinsp stops on it)
 *                    (fields extracted from its own events and syscall ones)
 *   metrics          hostile.events (u64), hostile.ratio (double) and a
 *                    name with a newline in it
 *   progress         events delivered / total, with a detail string
 * Open params: "" or "N" (1..1000000): N events of one u64 payload, then
 * EOF (default 3); "null": next_batch returns one event and a NULL array;
 * "nullevt": an array holding a NULL event; "len0": an event of length 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <falco/abi.h>

#define EXPORT __attribute__((visibility("default")))
#define HOSTILE_ID 1999u
#define HEADER_SIZE 26u
#define EVENT_LEN (FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET + 8u)
#define BIG_LEN 10000u

typedef struct hstate {
    char err[FALCO_ABI_MAX_ERRLEN];
    char text[128];
    char big[BIG_LEN + 1];
    const char *strs[1];
    unsigned char addr[3000];
    falco_abi_byte_buffer bufs[1];
    uint64_t delivered;
    falco_abi_metric metrics[3];
    char progress[64];
} hstate;

typedef enum { MODE_COUNT, MODE_NULL_ARRAY, MODE_NULL_EVENT, MODE_LEN0 } hmode;

typedef struct hinstance {
    hmode mode;
    uint64_t total, next;
    falco_abi_event *events[1];
    _Alignas(8) unsigned char buf[EVENT_LEN];
} hinstance;

static const char fields_json[] =
    "[{\"name\":\"hostile.str\",\"type\":\"string\",\"desc\":\"control\\ncharacters\\u001b[0m\"},"
    "{\"name\":\"hostile.big\",\"type\":\"string\",\"desc\":\"a 10000-byte value\"},"
    "{\"name\":\"hostile.key\",\"type\":\"string\",\"desc\":\"the key\","
    "\"arg\":{\"isKey\":true,\"isRequired\":true}},"
    "{\"name\":\"hostile.addrs\",\"type\":\"ipaddr\",\"isList\":true,\"desc\":\"one 3000-byte address\"}]";

static const char *hostile_value = "first\nforged line\x1b[31mred\r\x7f\xc2\x9b" "end";

EXPORT const char *plugin_get_required_api_version(void) { return "3.0.0"; }
EXPORT const char *plugin_get_version(void) { return "0.1.0"; }
EXPORT const char *plugin_get_name(void) { return "hostile"; }
EXPORT const char *plugin_get_description(void) { return "hostile strings\n\x1b[2Jfor falcoplug tests"; }
EXPORT const char *plugin_get_contact(void) { return "tests@example.com"; }
EXPORT uint32_t plugin_get_id(void) { return HOSTILE_ID; }
EXPORT const char *plugin_get_event_source(void) { return "hostile"; }
EXPORT const char *plugin_get_fields(void) { return fields_json; }
/* syscall events too: the default field listing of `run --capture` */
EXPORT const char *plugin_get_extract_event_sources(void) { return "[\"syscall\"]"; }

EXPORT falco_abi_plugin_t *plugin_init(const falco_abi_init_input *in, falco_abi_rc *rc) {
    (void)in;
    hstate *s = calloc(1, sizeof *s);
    *rc = s ? FALCO_ABI_RC_SUCCESS : FALCO_ABI_RC_FAILURE;
    if (s) {
        memset(s->big, 'x', BIG_LEN - 3);
        memcpy(s->big + BIG_LEN - 3, "END", 4);
        memset(s->addr, 0xab, sizeof s->addr);
    }
    return s;
}

EXPORT void plugin_destroy(falco_abi_plugin_t *s) { free(s); }

EXPORT const char *plugin_get_last_error(falco_abi_plugin_t *s) { return ((hstate *)s)->err; }

EXPORT falco_abi_instance_t *plugin_open(falco_abi_plugin_t *s, const char *params, falco_abi_rc *rc) {
    hstate *st = s;
    hinstance *in = calloc(1, sizeof *in);
    *rc = FALCO_ABI_RC_FAILURE;
    if (!in) {
        snprintf(st->err, sizeof st->err, "out of memory");
        return NULL;
    }
    in->total = 3;
    if (strcmp(params, "null") == 0) {
        in->mode = MODE_NULL_ARRAY;
    } else if (strcmp(params, "nullevt") == 0) {
        in->mode = MODE_NULL_EVENT;
    } else if (strcmp(params, "len0") == 0) {
        in->mode = MODE_LEN0;
    } else if (*params) {
        char *end;
        unsigned long long n = strtoull(params, &end, 10);
        if (*end || n < 1 || n > 1000000) {
            snprintf(st->err, sizeof st->err, "open params \"%s\": expected 1..1000000", params);
            free(in);
            return NULL;
        }
        in->total = n;
    }
    in->events[0] = (falco_abi_event *)in->buf;
    st->delivered = 0;
    *rc = FALCO_ABI_RC_SUCCESS;
    return in;
}

EXPORT void plugin_close(falco_abi_plugin_t *s, falco_abi_instance_t *h) {
    (void)s;
    free(h);
}

EXPORT falco_abi_rc plugin_next_batch(falco_abi_plugin_t *s, falco_abi_instance_t *h, uint32_t *nevts,
                                      falco_abi_event ***evts) {
    hstate *st = s;
    hinstance *in = h;
    *nevts = 0;
    *evts = in->events;
    if (in->mode == MODE_COUNT && in->next >= in->total)
        return FALCO_ABI_RC_EOF;
    falco_abi_event hdr = {.ts = 1000 + in->next, .tid = 0, .len = EVENT_LEN, .type = FALCO_ABI_EVENT_PLUGIN,
                           .nparams = 2};
    if (in->mode == MODE_LEN0)
        hdr.len = 0;
    const uint32_t lens_and_id[3] = {4, 8, HOSTILE_ID};
    uint64_t payload = ++in->next;
    memcpy(in->buf, &hdr, HEADER_SIZE);
    memcpy(in->buf + HEADER_SIZE, lens_and_id, sizeof lens_and_id);
    memcpy(in->buf + FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET, &payload, sizeof payload);
    in->events[0] = in->mode == MODE_NULL_EVENT ? NULL : (falco_abi_event *)in->buf;
    if (in->mode == MODE_NULL_ARRAY)
        *evts = NULL;
    *nevts = 1;
    st->delivered = in->next;
    return FALCO_ABI_RC_SUCCESS;
}

EXPORT const char *plugin_get_progress(falco_abi_plugin_t *s, falco_abi_instance_t *h, uint32_t *pct) {
    hstate *st = s;
    hinstance *in = h;
    *pct = (uint32_t)(in->next * 10000 / (in->total ? in->total : 1));
    snprintf(st->progress, sizeof st->progress, "at %llu\nof %llu", (unsigned long long)in->next,
             (unsigned long long)in->total);
    return st->progress;
}

EXPORT const char *plugin_event_to_string(falco_abi_plugin_t *s, const falco_abi_event_input *evt) {
    hstate *st = s;
    snprintf(st->text, sizeof st->text, "evt %llu\n999 forged\x1b]0;title\x07", (unsigned long long)evt->evtnum);
    return st->text;
}

EXPORT falco_abi_rc plugin_extract_fields(falco_abi_plugin_t *s, const falco_abi_event_input *evt,
                                          const falco_abi_field_extract_input *in) {
    (void)evt;
    hstate *st = s;
    for (uint32_t i = 0; i < in->num_fields; i++) {
        falco_abi_extract_field *f = &in->fields[i];
        switch (f->field_id) {
        case 0: st->strs[0] = hostile_value; break;
        case 1: st->strs[0] = st->big; break;
        case 2: st->strs[0] = f->arg_key ? f->arg_key : ""; break;
        case 3:
            st->bufs[0] = (falco_abi_byte_buffer){.len = sizeof st->addr, .ptr = st->addr};
            f->res.buf = st->bufs;
            f->res_len = 1;
            continue;
        default:
            snprintf(st->err, sizeof st->err, "field id %u is out of range", f->field_id);
            return FALCO_ABI_RC_FAILURE;
        }
        f->res.str = st->strs;
        f->res_len = 1;
    }
    return FALCO_ABI_RC_SUCCESS;
}

EXPORT falco_abi_metric *plugin_get_metrics(falco_abi_plugin_t *s, uint32_t *n) {
    hstate *st = s;
    st->metrics[0] = (falco_abi_metric){.name = "hostile.events", .type = FALCO_ABI_METRIC_MONOTONIC,
                                        .value.u64 = st->delivered, .value_type = FALCO_ABI_METRIC_U64};
    st->metrics[1] = (falco_abi_metric){.name = "hostile.ratio", .type = FALCO_ABI_METRIC_NON_MONOTONIC,
                                        .value.d = 0.5, .value_type = FALCO_ABI_METRIC_D};
    st->metrics[2] = (falco_abi_metric){.name = "hostile.bad\nname", .type = FALCO_ABI_METRIC_NON_MONOTONIC,
                                        .value.s32 = -7, .value_type = FALCO_ABI_METRIC_S32};
    *n = 3;
    return st->metrics;
}
