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

/* Why falco_event_plugin_data refused ev (the inline fast path failed). */
falco_rc falco__event_plugin_data_error(const falco_event *ev) {
    const falco_abi_event *e = ev->evt;
    const unsigned char *b = (const unsigned char *)e;
    if (e->type != FALCO_ABI_EVENT_PLUGIN) {
        falco__set_detail(ev->evt, "event #%llu has type %u, not a plugin event (322)",
                          (unsigned long long)ev->evtnum, (unsigned)e->type);
        return FALCO_ETYPE;
    }
    if (e->len < FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET || e->nparams != 2) {
        falco__set_detail(ev->evt, "plugin event #%llu is malformed: len %u, %u params (need >= 38 bytes, 2 params)",
                          (unsigned long long)ev->evtnum, (unsigned)e->len, (unsigned)e->nparams);
        return FALCO_EPARSE;
    }
    falco__set_detail(ev->evt, "plugin event #%llu is malformed: param lengths %u and %u in a %u-byte event",
                      (unsigned long long)ev->evtnum, (unsigned)read_u32(b + PLUGIN_EVENT_HDR),
                      (unsigned)read_u32(b + PLUGIN_EVENT_HDR + 4), (unsigned)e->len);
    return FALCO_EPARSE;
}

falco_rc falco__event_payload_size_error(const falco_event *ev, uint32_t len, uint32_t want) {
    falco__set_detail(ev->evt, "event #%llu payload is %u bytes, expected %u", (unsigned long long)ev->evtnum,
                      (unsigned)len, (unsigned)want);
    return FALCO_ETRUNCATED;
}
