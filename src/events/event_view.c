/*
 * event_view.c - checking an event once and locating its parameters.
 *
 * falco_evt_view_init() validates the whole layout up front so that every
 * accessor afterwards is a bounds-safe O(1) lookup in param_off/param_len.
 */
#include <stdio.h>

#include "events/event_internal.h"

falco_rc falco__evt_fail(falco_evt_view *v, falco_rc rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->err, sizeof v->err, fmt, ap);
    va_end(ap);
    return rc;
}

const char *falco_evt_view_error(const falco_evt_view *v)
{
    return v ? v->err : "";
}

falco_rc falco_evt_view_init(falco_evt_view *v, const void *buf, size_t buflen)
{
    if (!v)
        return FALCO_EINVAL;
    memset(v, 0, sizeof *v);
    if (!buf && buflen)
        return falco__evt_fail(v, FALCO_EINVAL, "event buffer is NULL");
    if (buflen < FALCO_EVT_HEADER_SIZE)
        return falco__evt_fail(v, FALCO_ETRUNCATED,
                               "event header truncated: %zu bytes available, the header needs %u", buflen,
                               FALCO_EVT_HEADER_SIZE);
    const uint8_t *p = buf;
    uint32_t len = falco__rd32(p + 16);
    uint16_t type = falco__rd16(p + 20);
    uint32_t nparams = falco__rd32(p + 22);
    if (len < FALCO_EVT_HEADER_SIZE)
        return falco__evt_fail(v, FALCO_EPARSE,
                               "event len %u (offset 16) is smaller than the header (%u bytes)", len,
                               FALCO_EVT_HEADER_SIZE);
    if (len > buflen)
        return falco__evt_fail(v, FALCO_ETRUNCATED,
                               "event truncated: len %u (offset 16) but only %zu bytes available", len, buflen);
    if (type >= FALCO_EVT_COUNT)
        return falco__evt_fail(v, FALCO_EPARSE,
                               "unknown event type %u (offset 20): the table (schema %s) has %u types", type,
                               FALCO_EVT_SCHEMA_VERSION, (unsigned)FALCO_EVT_COUNT);
    const falco_evt_info *info = &falco__evt_table[type];
    if (nparams > info->nparams)
        return falco__evt_fail(v, FALCO_EPARSE,
                               "event '%s' (type %u): %u params (offset 22) but the table lists %u", info->name,
                               type, nparams, info->nparams);
    uint32_t width = falco_evt_info_is_large(info) ? 4 : 2;
    /* nparams <= FALCO_EVT_MAX_PARAMS here, so this cannot overflow. */
    uint32_t off = FALCO_EVT_HEADER_SIZE + nparams * width;
    if (off > len)
        return falco__evt_fail(v, FALCO_ETRUNCATED,
                               "event '%s' (type %u): %u param lengths of %u bytes end at offset %u, past len %u",
                               info->name, type, nparams, width, off, len);
    for (uint32_t i = 0; i < nparams; i++) {
        const uint8_t *lp = p + FALCO_EVT_HEADER_SIZE + i * width;
        uint32_t plen = width == 4 ? falco__rd32(lp) : falco__rd16(lp);
        if (plen > len - off)
            return falco__evt_fail(v, FALCO_ETRUNCATED,
                                   "event '%s' (type %u): param %u '%s' of %u bytes at offset %u overruns len %u",
                                   info->name, type, i, info->params[i].name, plen, off, len);
        v->param_off[i] = off;
        v->param_len[i] = plen;
        off += plen;
    }
    if (off != len)
        return falco__evt_fail(v, FALCO_EPARSE,
                               "event '%s' (type %u): len %u but header and params end at offset %u",
                               info->name, type, len, off);
    v->data = p;
    v->len = len;
    v->ts = falco__rd64(p);
    v->tid = falco__rd64(p + 8);
    v->type = type;
    v->nparams = nparams;
    v->info = info;
    return FALCO_OK;
}

int falco_evt_param_index(falco_evt_view *v, const char *name)
{
    if (!v || !v->info)
        return -1;
    int idx = falco_evt_info_param_index(v->info, name);
    if (idx < 0)
        falco__evt_fail(v, FALCO_ENOTFOUND, "event '%s' (type %u) has no param named '%s'", v->info->name,
                        v->type, name ? name : "(null)");
    return idx;
}

falco_rc falco_evt_param_raw(falco_evt_view *v, uint32_t idx, const uint8_t **data, size_t *len)
{
    if (!v || !v->info)
        return FALCO_EINVAL;
    if (idx >= v->nparams) {
        if (idx < v->info->nparams)
            return falco__evt_fail(v, FALCO_ENOTFOUND,
                                   "event '%s' (type %u): param %u '%s' is absent (the event has %u of %u params)",
                                   v->info->name, v->type, idx, v->info->params[idx].name, v->nparams,
                                   v->info->nparams);
        return falco__evt_fail(v, FALCO_ENOTFOUND, "event '%s' (type %u) has no param %u (the table lists %u)",
                               v->info->name, v->type, idx, v->info->nparams);
    }
    if (data)
        *data = v->data + v->param_off[idx];
    if (len)
        *len = v->param_len[idx];
    return FALCO_OK;
}
