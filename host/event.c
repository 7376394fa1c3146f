/*
 * event.c - checking scap event headers from untrusted memory, and
 * event_to_string with libsinsp's fallback rendering.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_internal.h"

#define HDR_SIZE sizeof(falco_abi_event)

static bool large_payload(uint16_t type)
{
    return type == FALCO_ABI_EVENT_PLUGIN || type == 324 || type == FALCO_ABI_EVENT_ASYNC;
}

static falco_rc bad(char *err, size_t errlen, const char *fmt, ...) FALCO_PRINTF(3, 4);
static falco_rc bad(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return FALCO_EPARSE;
}

/* Length of param i, read from the (already bounds-checked) length table. */
static uint32_t param_len(const uint8_t *base, bool large, uint32_t i)
{
    if (large) {
        uint32_t l;
        memcpy(&l, base + HDR_SIZE + 4 * (size_t)i, 4);
        return l;
    }
    uint16_t l;
    memcpy(&l, base + HDR_SIZE + 2 * (size_t)i, 2);
    return l;
}

falco_rc falco_host_event_validate(const falco_abi_event *evt, size_t bufsize, char *err, size_t errlen)
{
    if (!evt)
        return bad(err, errlen, "NULL event");
    if (bufsize < HDR_SIZE)
        return bad(err, errlen, "buffer of %zu bytes is shorter than the %zu-byte event header", bufsize, HDR_SIZE);
    falco_abi_event h;
    memcpy(&h, evt, sizeof h);
    if (h.len < HDR_SIZE)
        return bad(err, errlen, "event type %u: len %u at offset 16 is less than the %zu-byte header", h.type, h.len,
                   HDR_SIZE);
    if (h.len > bufsize)
        return bad(err, errlen, "event type %u: len %u at offset 16 exceeds the %zu bytes available", h.type, h.len,
                   bufsize);
    bool large = large_payload(h.type);
    size_t lsize = large ? 4 : 2;
    if (h.nparams > (h.len - HDR_SIZE) / lsize)
        return bad(err, errlen, "event type %u: %u params need a %zu-byte length table at offset %zu, past len %u",
                   h.type, h.nparams, (size_t)h.nparams * lsize, HDR_SIZE, h.len);
    const uint8_t *base = (const uint8_t *)evt;
    size_t pos = HDR_SIZE + (size_t)h.nparams * lsize;
    for (uint32_t i = 0; i < h.nparams; i++) {
        uint32_t l = param_len(base, large, i);
        if (l > h.len - pos)
            return bad(err, errlen, "event type %u: param %u of %u bytes at offset %zu runs past len %u", h.type, i,
                       l, pos, h.len);
        pos += l;
    }
    if (h.type == FALCO_ABI_EVENT_PLUGIN) {
        if (h.nparams != 2)
            return bad(err, errlen, "plugin event (322): expected 2 params, got %u", h.nparams);
        if (param_len(base, true, 0) != 4)
            return bad(err, errlen, "plugin event (322): plugin_id param is %u bytes, expected 4",
                       param_len(base, true, 0));
    } else if (h.type == FALCO_ABI_EVENT_ASYNC) {
        if (h.nparams != 3)
            return bad(err, errlen, "async event (402): expected 3 params, got %u", h.nparams);
        if (param_len(base, true, 0) != 4)
            return bad(err, errlen, "async event (402): plugin_id param is %u bytes, expected 4",
                       param_len(base, true, 0));
        uint32_t nlen = param_len(base, true, 1);
        size_t name_at = HDR_SIZE + 12 + 4;
        if (nlen == 0 || base[name_at + nlen - 1] != '\0')
            return bad(err, errlen, "async event (402): name param at offset %zu is not NUL-terminated", name_at);
    }
    return FALCO_OK;
}

falco_rc falco__host_event_check(const falco_abi_event *evt, char *err, size_t errlen)
{
    uint32_t len;
    if (!evt)
        return falco_host_event_validate(evt, 0, err, errlen);
    memcpy(&len, (const uint8_t *)evt + 16, 4);
    /* a len below the header is reported as such, not as a short buffer */
    return falco_host_event_validate(evt, len < HDR_SIZE ? HDR_SIZE : len, err, errlen);
}

falco_rc falco_host_event_to_string(falco_host_plugin *p, const falco_abi_event_input *evt, const char **out)
{
    char why[512];
    *out = "";
    if (!p->inited)
        return falco__host_err(p, FALCO_EMISUSE, "event_to_string", "plugin capability used before init");
    if (!evt || !evt->evt)
        return falco__host_err(p, FALCO_EINVAL, "event_to_string", "NULL event");
    if (falco__host_event_check(evt->evt, why, sizeof why) != FALCO_OK)
        return falco__host_err(p, FALCO_EPARSE, "event_to_string", "%s", why);
    const uint8_t *base = (const uint8_t *)evt->evt;
    uint16_t type;
    uint32_t id, datalen;
    memcpy(&type, base + 20, 2);
    if (type != FALCO_ABI_EVENT_PLUGIN)
        return falco__host_err(p, FALCO_EINVAL, "event_to_string",
                               "can't format unknown non-plugin event to string (type %u)", type);
    memcpy(&datalen, base + HDR_SIZE + 4, 4);
    memcpy(&id, base + HDR_SIZE + 8, 4);
    if (id != p->id)
        return falco__host_err(p, FALCO_EINVAL, "event_to_string",
                               "can't format an event of plugin id %u (this plugin's id is %u)", id, p->id);
    const char *s = NULL;
    if (p->state && p->api.event_to_string) {
        falco_abi_event_input in = *evt;
        if (!in.evtsrc)
            in.evtsrc = p->event_source;
        s = p->api.event_to_string(p->state, &in);
    }
    free(p->text);
    p->text = NULL;
    if (s && s[0]) {
        p->text = falco__host_strdup(s);
    } else {
        /* libsinsp's fallback: up to 50 printable bytes of the payload. */
        const uint8_t *data = base + FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET;
        size_t shown = datalen < 50 ? datalen : 50;
        bool printable = true;
        for (size_t i = 0; i < shown && printable; i++)
            printable = isprint(data[i]) != 0;
        size_t cap = 64 + shown;
        if ((p->text = malloc(cap)) != NULL) {
            if (printable)
                snprintf(p->text, cap, "datalen=%u data=%.*s%s", datalen, (int)shown, (const char *)data,
                         datalen > 50 ? "..." : "");
            else
                snprintf(p->text, cap, "datalen=%u data=<binary>", datalen);
        }
    }
    if (!p->text)
        return falco__host_err(p, FALCO_ENOMEM, "event_to_string", "out of memory");
    *out = p->text;
    return FALCO_OK;
}
