/*
 * falco/plugin_event.h - reading the event handed to a callback.
 *
 * falco_event is the host's event input passed through without a copy. These
 * accessors are bounds-checked against the event's own length; for decoding
 * the parameters of any scap event, see falco/event.h.
 *
 * Since: 0.1.0
 */
#ifndef FALCO_PLUGIN_EVENT_H
#define FALCO_PLUGIN_EVENT_H

#include <falco/base.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Header fields of the event. */
uint16_t falco_event_type(const falco_event *ev);
uint64_t falco_event_ts(const falco_event *ev);
uint64_t falco_event_tid(const falco_event *ev);
uint32_t falco_event_len(const falco_event *ev);
/* The host's number for the event (increasing; the same for every field
 * extracted from one event). */
uint64_t falco_event_num(const falco_event *ev);
/* The event source name ("syscall", "gen", ...), or "" when the host does not say. */
const char *falco_event_source(const falco_event *ev);

/* For a plugin event (type 322): sets *data and *len to its payload and *plugin_id
 * (may be NULL) to its plugin id. Points into the event: valid as long as the
 * event. FALCO_ETYPE for another event type, FALCO_EPARSE with a message when
 * the event is malformed (lengths beyond the event). */
falco_rc falco_event_plugin_data(const falco_event *ev, const void **data, uint32_t *len,
                                 uint32_t *plugin_id);

/* Reads a payload made of exactly one little-endian integer of the given
 * width (the common case of counter-style sources). FALCO_ETYPE when the
 * event is not a plugin event, FALCO_ETRUNCATED when the payload size differs. */
falco_rc falco_event_payload_u64(const falco_event *ev, uint64_t *out);
falco_rc falco_event_payload_u32(const falco_event *ev, uint32_t *out);

#ifdef __cplusplus
}
#endif
#endif /* FALCO_PLUGIN_EVENT_H */
