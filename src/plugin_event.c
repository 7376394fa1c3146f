/* Reading the event handed to callbacks: header fields and plugin-event
 * payloads, bounds-checked against the event's own length. */
#include <string.h>

#include <falco/event_codes.h>

#include "internal.h"

#define PLUGIN_EVENT_HDR 26u

const char *falco__event_schema_version(void) {
    return FALCO_EVT_SCHEMA_VERSION;
}

uint16_t falco_event_type(const falco_event *ev) {
    return ev->evt->type;
}

uint64_t falco_event_ts(const falco_event *ev) {
    return ev->evt->ts;
}

uint64_t falco_event_tid(const falco_event *ev) {
    return ev->evt->tid;
}

uint32_t falco_event_len(const falco_event *ev) {
    return ev->evt->len;
}

uint64_t falco_event_num(const falco_event *ev) {
    return ev->evtnum;
}

const char *falco_event_source(const falco_event *ev) {
    return ev->evtsrc ? ev->evtsrc : "";
}

static uint32_t read_u32(const unsigned char *p) {
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

falco_rc falco_event_plugin_data(const falco_event *ev, const void **data, uint32_t *len, uint32_t *plugin_id) {
    const falco_abi_event *e = ev->evt;
    if (e->type != FALCO_ABI_EVENT_PLUGIN) {
        falco__set_detail(ev->evt, "event #%llu has type %u, not a plugin event (322)", (unsigned long long)ev->evtnum,
                          (unsigned)e->type);
        return FALCO_ETYPE;
    }
    const unsigned char *b = (const unsigned char *)e;
    if (e->len < FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET || e->nparams != 2) {
        falco__set_detail(ev->evt, "plugin event #%llu is malformed: len %u, %u params (need >= 38 bytes, 2 params)",
                          (unsigned long long)ev->evtnum, (unsigned)e->len, (unsigned)e->nparams);
        return FALCO_EPARSE;
    }
    uint32_t id_len = read_u32(b + PLUGIN_EVENT_HDR);
    uint32_t data_len = read_u32(b + PLUGIN_EVENT_HDR + 4);
    if (id_len != 4 || data_len > e->len - FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET) {
        falco__set_detail(ev->evt, "plugin event #%llu is malformed: param lengths %u and %u in a %u-byte event",
                          (unsigned long long)ev->evtnum, (unsigned)id_len, (unsigned)data_len, (unsigned)e->len);
        return FALCO_EPARSE;
    }
    if (plugin_id)
        *plugin_id = read_u32(b + PLUGIN_EVENT_HDR + 8);
    *data = b + FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET;
    *len = data_len;
    return FALCO_OK;
}

static falco_rc payload_exact(const falco_event *ev, void *out, uint32_t want) {
    const void *data;
    uint32_t len;
    FALCO_TRY(falco_event_plugin_data(ev, &data, &len, NULL));
    if (len != want) {
        falco__set_detail(ev->evt, "event #%llu payload is %u bytes, expected %u", (unsigned long long)ev->evtnum,
                          (unsigned)len, (unsigned)want);
        return FALCO_ETRUNCATED;
    }
    memcpy(out, data, want);
    return FALCO_OK;
}

falco_rc falco_event_payload_u64(const falco_event *ev, uint64_t *out) {
    return payload_exact(ev, out, sizeof *out);
}

falco_rc falco_event_payload_u32(const falco_event *ev, uint32_t *out) {
    return payload_exact(ev, out, sizeof *out);
}
