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

#include <string.h>

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

/* Internal: the failure paths of the inline accessors below (they record
 * the detail the SDK appends to the error message). */
falco_rc falco__event_plugin_data_error(const falco_event *ev);
falco_rc falco__event_payload_size_error(const falco_event *ev, uint32_t len, uint32_t want);

/* Internal: tells the compiler that a failure path's code is not FALCO_OK,
 * so that an extractor's FALCO_TRY returns at once after the call and
 * nothing the extractor holds must outlive it: its fast path then needs no
 * saved register (no push and pop on every call). */
#if defined(__GNUC__) || defined(__clang__)
#define FALCO__NOT_OK(rc)                                                                                  \
    do {                                                                                                   \
        if ((rc) == FALCO_OK)                                                                              \
            __builtin_unreachable();                                                                       \
    } while (0)
#else
#define FALCO__NOT_OK(rc) ((void)0)
#endif

/* For a plugin event (type 322): sets *data and *len to its payload and *plugin_id
 * (may be NULL) to its plugin id. Points into the event: valid as long as the
 * event. FALCO_ETYPE for another event type, FALCO_EPARSE with a message when
 * the event is malformed (lengths beyond the event). Inline: extractors call
 * it for every field. */
static inline falco_rc falco_event_plugin_data(const falco_event *ev, const void **data, uint32_t *len,
                                               uint32_t *plugin_id) {
    const falco_abi_event *e = ev->evt;
    const unsigned char *b = (const unsigned char *)(const void *)e;
    uint32_t lens[3]; /* id length, payload length, plugin id */
    if (e->type == FALCO_ABI_EVENT_PLUGIN && e->nparams == 2 && e->len >= FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET) {
        memcpy(lens, b + sizeof(falco_abi_event), sizeof lens);
        if (lens[0] == 4 && lens[1] <= e->len - FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET) {
            if (plugin_id)
                *plugin_id = lens[2];
            *data = b + FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET;
            *len = lens[1];
            return FALCO_OK;
        }
    }
    *data = NULL; /* defined outputs on failure, for the caller's compiler too */
    *len = 0;
    falco_rc rc = falco__event_plugin_data_error(ev);
    FALCO__NOT_OK(rc);
    return rc;
}

/* Internal: copies a payload of exactly `size` bytes (at most 8) into out
 * (zeroed on failure). The fast test is the common, well-formed event: type
 * 322 with 2 params, whose length is exactly the 38-byte head plus `size`,
 * and whose two parameter lengths (read as one 8-byte word) are 4 and
 * `size`; it implies every bound the general test checks. Anything else
 * takes falco_event_plugin_data (bytes after the payload are allowed),
 * inline too: only a failure makes a call, which says why. */
static inline falco_rc falco__event_payload_exact(const falco_event *ev, void *out, uint32_t size) {
    const falco_abi_event *e = ev->evt;
    const unsigned char *b = (const unsigned char *)(const void *)e;
    if (__builtin_expect(e->len == (uint32_t)FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET + size &&
                             e->type == FALCO_ABI_EVENT_PLUGIN && e->nparams == 2,
                         1)) {
        const uint32_t want_lens[2] = {4, size};
        uint64_t lens, want;
        memcpy(&lens, b + sizeof(falco_abi_event), sizeof lens); /* within the 38 bytes checked above */
        memcpy(&want, want_lens, sizeof want);
        if (__builtin_expect(lens == want, 1)) {
            memcpy(out, b + FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET, size);
            return FALCO_OK;
        }
    }
#if defined(__GNUC__) || defined(__clang__)
    /* The event is read again by the general test: keeps the compiler from
     * holding the fast test's fields in registers for it (the fast test
     * then compares memory directly). */
    __asm__("" : "+r"(ev));
#endif
    const void *data;
    uint32_t len;
    falco_rc rc = falco_event_plugin_data(ev, &data, &len, NULL);
    if (rc == FALCO_OK) {
        if (len == size) {
            memcpy(out, data, size);
            return FALCO_OK;
        }
        rc = falco__event_payload_size_error(ev, len, size);
        FALCO__NOT_OK(rc);
    }
    memset(out, 0, size);
    return rc;
}

/* Reads a payload made of exactly one native-endian integer of the given
 * width (the common case of counter-style sources). FALCO_ETYPE when the
 * event is not a plugin event, FALCO_ETRUNCATED when the payload size differs;
 * *out is 0 on failure. */
static inline falco_rc falco_event_payload_u64(const falco_event *ev, uint64_t *out) {
    return falco__event_payload_exact(ev, out, sizeof *out);
}

static inline falco_rc falco_event_payload_u32(const falco_event *ev, uint32_t *out) {
    return falco__event_payload_exact(ev, out, sizeof *out);
}

#ifdef __cplusplus
}
#endif
#endif /* FALCO_PLUGIN_EVENT_H */
