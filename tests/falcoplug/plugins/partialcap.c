/*
 * partialcap.c - raw-ABI plugins (no SDK) for the falcoplug info/check tests
 * of the parse, async and listen capabilities, built in variants
 * (PARTIAL_VARIANT):
 *   1 "halflisten": parse_event and capture_open without capture_close
 *   2 "halfasync":  parse_event and set_async_event_handler without
 *                   get_async_events
 *   3 "snapper":    parse_event (types 3 and 5, source "syscall"), async
 *                   (event "snap": two sent when the handler is installed)
 *                   and a dump_state that sends two more: nothing broken
 * libsinsp refuses 1 and 2 as broken plugins and loads 3.
 */
#include <stdlib.h>
#include <string.h>

#include <falco/abi.h>

#define EXPORT __attribute__((visibility("default")))

#if PARTIAL_VARIANT == 1
#define NAME "halflisten"
#elif PARTIAL_VARIANT == 2
#define NAME "halfasync"
#else
#define NAME "snapper"
#endif

typedef struct pstate {
    char err[64];
} pstate;

EXPORT const char *plugin_get_required_api_version(void) { return "3.0.0"; }
EXPORT const char *plugin_get_version(void) { return "0.1.0"; }
EXPORT const char *plugin_get_name(void) { return NAME; }
EXPORT const char *plugin_get_description(void) { return "partial capability sets for falcoplug tests"; }
EXPORT const char *plugin_get_contact(void) { return "tests@example.com"; }

EXPORT falco_abi_plugin_t *plugin_init(const falco_abi_init_input *in, falco_abi_rc *rc) {
    (void)in;
    pstate *s = calloc(1, sizeof *s);
    *rc = s ? FALCO_ABI_RC_SUCCESS : FALCO_ABI_RC_FAILURE;
    return s;
}
EXPORT void plugin_destroy(falco_abi_plugin_t *s) { free(s); }
EXPORT const char *plugin_get_last_error(falco_abi_plugin_t *s) { return ((pstate *)s)->err; }

static uint16_t parse_types[] = { 3, 5 };
EXPORT uint16_t *plugin_get_parse_event_types(uint32_t *n, falco_abi_plugin_t *s) {
    (void)s;
    *n = 2;
    return parse_types;
}
EXPORT const char *plugin_get_parse_event_sources(void) { return "[\"syscall\"]"; }
EXPORT falco_abi_rc plugin_parse_event(falco_abi_plugin_t *s, const falco_abi_event_input *evt,
                                       const falco_abi_event_parse_input *in) {
    (void)s, (void)evt, (void)in;
    return FALCO_ABI_RC_SUCCESS;
}

#if PARTIAL_VARIANT == 1
EXPORT falco_abi_rc plugin_capture_open(falco_abi_plugin_t *s, const falco_abi_capture_listen_input *in) {
    (void)s, (void)in;
    return FALCO_ABI_RC_SUCCESS;
}
#elif PARTIAL_VARIANT == 2
EXPORT falco_abi_rc plugin_set_async_event_handler(falco_abi_plugin_t *s, falco_abi_owner_t *o,
                                                   const falco_abi_async_event_handler h) {
    (void)s, (void)o, (void)h;
    return FALCO_ABI_RC_SUCCESS;
}
#else
/* A 402 event: header, three u32 lengths, plugin id 0, name, payload. */
static falco_abi_rc send(falco_abi_owner_t *o, falco_abi_async_event_handler h, const char *name,
                         const char *data) {
    unsigned char buf[512];
    uint32_t l[3] = { 4, (uint32_t)strlen(name) + 1, (uint32_t)strlen(data) };
    uint32_t len = (uint32_t)sizeof(falco_abi_event) + 12 + l[0] + l[1] + l[2];
    falco_abi_event hdr = { .ts = UINT64_MAX, .tid = UINT64_MAX, .len = len, .type = 402, .nparams = 3 };
    uint32_t id = 0;
    unsigned char *p = buf;
    memcpy(p, &hdr, sizeof hdr), p += sizeof hdr;
    memcpy(p, l, 12), p += 12;
    memcpy(p, &id, 4), p += 4;
    memcpy(p, name, l[1]), p += l[1];
    memcpy(p, data, l[2]);
    char err[256];
    return h(o, (const falco_abi_event *)(void *)buf, err);
}
EXPORT const char *plugin_get_async_events(void) { return "[\"snap\"]"; }
/* Sends, from the installing thread, one short "snap" and one whose 206-byte
 * payload starts with a terminal escape. */
EXPORT falco_abi_rc plugin_set_async_event_handler(falco_abi_plugin_t *s, falco_abi_owner_t *o,
                                                   const falco_abi_async_event_handler h) {
    (void)s;
    if (!h)
        return FALCO_ABI_RC_SUCCESS;
    char big[207] = "\x1b[2J";
    memset(big + 4, 'x', 202);
    big[206] = '\0';
    if (send(o, h, "snap", "hello") != FALCO_ABI_RC_SUCCESS || send(o, h, "snap", big) != FALCO_ABI_RC_SUCCESS)
        return FALCO_ABI_RC_FAILURE;
    return FALCO_ABI_RC_SUCCESS;
}
EXPORT falco_abi_rc plugin_dump_state(falco_abi_plugin_t *s, falco_abi_owner_t *o, const falco_abi_async_event_handler h) {
    (void)s;
    if (send(o, h, "snap", "first") != FALCO_ABI_RC_SUCCESS || send(o, h, "snap", "second\nline") != FALCO_ABI_RC_SUCCESS)
        return FALCO_ABI_RC_FAILURE;
    return FALCO_ABI_RC_SUCCESS;
}
#endif
