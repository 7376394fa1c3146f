/*
 * event_encode.c - writing events of any type from typed values.
 *
 * Two passes over the same code: the first (out == NULL) checks every value
 * and sizes it, the second writes. Nothing is written unless the whole event
 * is valid and fits the caller's buffer.
 */
#include <stdio.h>

#include "events/event_internal.h"

static falco_rc fail(char *err, size_t errlen, falco_rc rc, const char *fmt, ...) FALCO_PRINTF(4, 5);
static falco_rc fail(char *err, size_t errlen, falco_rc rc, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return rc;
}

typedef struct sink {
    uint8_t *out; /* NULL while sizing */
    uint64_t n;
} sink;

static void emit(sink *s, const void *p, size_t len)
{
    if (s->out && len)
        memcpy(s->out + s->n, p, len);
    s->n += len;
}
static void emit8(sink *s, uint8_t x) { emit(s, &x, 1); }
static void emit16(sink *s, uint16_t x) { emit(s, &x, 2); }
static void emit64(sink *s, uint64_t x) { emit(s, &x, 8); }

static const char *emit_str(sink *s, const char *p, size_t len)
{
    if (!p && len)
        return "string pointer is NULL";
    emit(s, p, len);
    emit8(s, 0);
    return NULL;
}

static const char *emit_int(sink *s, falco_evt_param_type t, const falco_evt_value *val)
{
    size_t w = falco_evt_param_type_size(t);
    uint64_t u = val->v.u64;
    if (falco__evt_type_is_unsigned(t)) {
        if (w < 8 && (u >> (8 * w)) != 0)
            return "value does not fit the type's width";
    } else {
        int64_t i = val->v.i64;
        int64_t lim = w < 8 ? (int64_t)1 << (8 * w - 1) : 0;
        if (w < 8 && (i < -lim || i >= lim))
            return "value does not fit the type's width";
    }
    /* Little-endian hosts only, like the scap format itself: the low w bytes. */
    emit(s, &u, w);
    return NULL;
}

static const char *emit_strarray(sink *s, const falco_evt_strarray *a, int pairs)
{
    if (a->items) {
        if (pairs && (a->count & 1))
            return "pair array needs an even number of strings";
        for (uint32_t i = 0; i < a->count; i++) {
            if (!a->items[i])
                return "string array item is NULL";
            emit_str(s, a->items[i], strlen(a->items[i]));
        }
        return NULL;
    }
    if (a->len && (!a->data || a->data[a->len - 1] != '\0'))
        return "string array data must end with a NUL";
    emit(s, a->data, a->len);
    return NULL;
}

static const char *emit_ip(sink *s, falco_evt_param_type t, const falco_evt_ip *ip)
{
    int net = t == FALCO_PT_IPV4NET || t == FALCO_PT_IPV6NET || t == FALCO_PT_IPNET;
    size_t alen;
    if (t == FALCO_PT_IPV4ADDR || t == FALCO_PT_IPV4NET)
        alen = 4;
    else if (t == FALCO_PT_IPV6ADDR || t == FALCO_PT_IPV6NET)
        alen = 16;
    else if (ip->family == FALCO_AF_INET || ip->family == FALCO_AF_INET6)
        alen = ip->family == FALCO_AF_INET ? 4 : 16;
    else
        return "IP family must be FALCO_AF_INET or FALCO_AF_INET6";
    emit(s, ip->addr, alen);
    if (net)
        emit(s, ip->mask, alen);
    return NULL;
}

/* Checks and emits one value of (resolved) type t. */
static const char *emit_value(sink *s, falco_evt_param_type t, const falco_evt_value *val)
{
    if (falco__evt_type_is_unsigned(t) || falco__evt_type_is_signed(t))
        return emit_int(s, t, val);
    if (falco__evt_type_is_string(t))
        return emit_str(s, val->v.str.ptr, val->v.str.len);
    switch (t) {
    case FALCO_PT_DOUBLE:
        emit(s, &val->v.f64, 8);
        return NULL;
    case FALCO_PT_BYTEBUF:
        if (!val->v.bytes.ptr && val->v.bytes.len)
            return "byte buffer pointer is NULL";
        emit(s, val->v.bytes.ptr, val->v.bytes.len);
        return NULL;
    case FALCO_PT_SOCKADDR: {
        const falco_evt_sockaddr *sa = &val->v.sockaddr;
        emit8(s, sa->family);
        if (sa->family == FALCO_AF_INET || sa->family == FALCO_AF_INET6) {
            emit(s, sa->addr, sa->family == FALCO_AF_INET ? 4 : 16);
            emit16(s, sa->port);
            return NULL;
        }
        if (sa->family == FALCO_AF_UNIX)
            return emit_str(s, sa->path, sa->path_len);
        if (!sa->raw && sa->raw_len)
            return "raw address pointer is NULL";
        emit(s, sa->raw, sa->raw_len);
        return NULL;
    }
    case FALCO_PT_SOCKTUPLE: {
        const falco_evt_socktuple *st = &val->v.socktuple;
        emit8(s, st->family);
        if (st->family == FALCO_AF_INET || st->family == FALCO_AF_INET6) {
            size_t alen = st->family == FALCO_AF_INET ? 4 : 16;
            emit(s, st->src_addr, alen);
            emit16(s, st->src_port);
            emit(s, st->dst_addr, alen);
            emit16(s, st->dst_port);
            return NULL;
        }
        if (st->family == FALCO_AF_UNIX) {
            emit64(s, st->src_ptr);
            emit64(s, st->dst_ptr);
            return emit_str(s, st->path, st->path_len);
        }
        if (!st->raw && st->raw_len)
            return "raw tuple pointer is NULL";
        emit(s, st->raw, st->raw_len);
        return NULL;
    }
    case FALCO_PT_FDLIST: {
        const falco_evt_fdlist *l = &val->v.fdlist;
        emit16(s, l->count);
        if (l->entries) {
            for (uint32_t i = 0; i < l->count; i++) {
                emit64(s, (uint64_t)l->entries[i].fd);
                emit16(s, l->entries[i].flags);
            }
            return NULL;
        }
        if (!l->raw && l->count)
            return "fd list has neither entries nor raw bytes";
        emit(s, l->raw, 10u * l->count);
        return NULL;
    }
    case FALCO_PT_CHARBUFARRAY:
        return emit_strarray(s, &val->v.strarray, 0);
    case FALCO_PT_CHARBUF_PAIR_ARRAY:
        return emit_strarray(s, &val->v.strarray, 1);
    case FALCO_PT_IPV4ADDR:
    case FALCO_PT_IPV6ADDR:
    case FALCO_PT_IPADDR:
    case FALCO_PT_IPV4NET:
    case FALCO_PT_IPV6NET:
    case FALCO_PT_IPNET:
        return emit_ip(s, t, &val->v.ip);
    default:
        return "type cannot be encoded";
    }
}

/* Emits param i (with its DYN prefix) into s; returns its failure. */
static falco_rc emit_param(sink *s, const falco_evt_info *info, uint32_t i, const falco_evt_value *val, char *err,
                           size_t errlen)
{
    const falco_evt_param_info *pi = &info->params[i];
    falco_evt_param_type want = pi->type;
    if (val->type == FALCO_PT_NONE)
        return FALCO_OK;
    if (want == FALCO_PT_DYN) {
        if (val->dyn_index >= pi->ndyn)
            return fail(err, errlen, FALCO_EINVAL, "event '%s' (type %u): param %u '%s': dynamic variant %u not in "
                        "the table (%u variants)", info->name, info->code, i, pi->name, val->dyn_index, pi->ndyn);
        want = pi->dyn_types[val->dyn_index];
        emit8(s, (uint8_t)val->dyn_index);
    }
    if (val->type != want)
        return fail(err, errlen, FALCO_ETYPE, "event '%s' (type %u): param %u '%s' is %s, value given as %s",
                    info->name, info->code, i, pi->name, falco_evt_param_type_name(want),
                    falco_evt_param_type_name(val->type));
    const char *why = emit_value(s, want, val);
    if (why)
        return fail(err, errlen, strstr(why, "fit") ? FALCO_ERANGE : FALCO_EINVAL,
                    "event '%s' (type %u): param %u '%s' (%s): %s", info->name, info->code, i, pi->name,
                    falco_evt_param_type_name(want), why);
    return FALCO_OK;
}

falco_rc falco_evt_encode(void *buf, size_t buflen, size_t *needed, uint16_t type, uint64_t ts, uint64_t tid,
                          const falco_evt_value *params, uint32_t nparams, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!buf && buflen)
        return fail(err, errlen, FALCO_EINVAL, "output buffer is NULL");
    const falco_evt_info *info = falco_evt_table_get(type);
    if (!info)
        return fail(err, errlen, FALCO_EINVAL, "unknown event type %u (the table has %u)", type,
                    (unsigned)FALCO_EVT_COUNT);
    if (nparams > info->nparams)
        return fail(err, errlen, FALCO_EINVAL, "event '%s' (type %u): %u params given, the table lists %u",
                    info->name, type, nparams, info->nparams);
    if (nparams && !params)
        return fail(err, errlen, FALCO_EINVAL, "params is NULL");
    uint32_t width = falco_evt_info_is_large(info) ? 4 : 2;
    uint64_t sizes[FALCO_EVT_MAX_PARAMS];
    uint64_t total = FALCO_EVT_HEADER_SIZE + (uint64_t)width * nparams;
    for (uint32_t i = 0; i < nparams; i++) {
        sink s = {NULL, 0};
        FALCO_TRY(emit_param(&s, info, i, &params[i], err, errlen));
        if (s.n > (width == 2 ? UINT16_MAX : UINT32_MAX))
            return fail(err, errlen, FALCO_ERANGE, "event '%s' (type %u): param %u '%s' of %llu bytes exceeds its "
                        "u%u length", info->name, type, i, info->params[i].name, (unsigned long long)s.n,
                        width * 8);
        sizes[i] = s.n;
        total += s.n;
    }
    if (total > UINT32_MAX)
        return fail(err, errlen, FALCO_ERANGE, "event '%s' (type %u) of %llu bytes exceeds the u32 len",
                    info->name, type, (unsigned long long)total);
    if (needed)
        *needed = (size_t)total;
    if (total > buflen)
        return fail(err, errlen, FALCO_ERANGE, "buffer of %zu bytes too small: event '%s' (type %u) needs %llu",
                    buflen, info->name, type, (unsigned long long)total);
    uint8_t *p = buf;
    falco__wr64(p, ts);
    falco__wr64(p + 8, tid);
    falco__wr32(p + 16, (uint32_t)total);
    falco__wr16(p + 20, type);
    falco__wr32(p + 22, nparams);
    sink s = {p, FALCO_EVT_HEADER_SIZE};
    for (uint32_t i = 0; i < nparams; i++) {
        if (width == 4)
            falco__wr32(p + s.n, (uint32_t)sizes[i]);
        else
            falco__wr16(p + s.n, (uint16_t)sizes[i]);
        s.n += width;
    }
    for (uint32_t i = 0; i < nparams; i++)
        emit_param(&s, info, i, &params[i], NULL, 0);
    return FALCO_OK;
}

falco_rc falco_evt_encode_plugin(void *buf, size_t buflen, size_t *needed, uint64_t ts, uint64_t tid,
                                 uint32_t plugin_id, const void *data, size_t datalen)
{
    if (!data && datalen)
        return FALCO_EINVAL;
    if (datalen > UINT32_MAX)
        return FALCO_ERANGE;
    falco_evt_value p[2] = {{.type = FALCO_PT_UINT32, .v.u64 = plugin_id},
                            {.type = FALCO_PT_BYTEBUF, .v.bytes = {data, (uint32_t)datalen}}};
    return falco_evt_encode(buf, buflen, needed, FALCO_PPME_PLUGINEVENT_E, ts, tid, p, 2, NULL, 0);
}

falco_rc falco_evt_encode_async(void *buf, size_t buflen, size_t *needed, uint64_t ts, uint64_t tid,
                                uint32_t plugin_id, const char *name, const void *data, size_t datalen)
{
    if (!name || !*name || (!data && datalen))
        return FALCO_EINVAL;
    size_t nlen = strlen(name);
    if (datalen > UINT32_MAX || nlen >= UINT32_MAX)
        return FALCO_ERANGE;
    falco_evt_value p[3] = {{.type = FALCO_PT_UINT32, .v.u64 = plugin_id},
                            {.type = FALCO_PT_CHARBUF, .v.str = {name, (uint32_t)nlen}},
                            {.type = FALCO_PT_BYTEBUF, .v.bytes = {data, (uint32_t)datalen}}};
    return falco_evt_encode(buf, buflen, needed, FALCO_PPME_ASYNCEVENT_E, ts, tid, p, 3, NULL, 0);
}
