/*
 * event_decode.c - the scap binary encoding of each parameter type, read side.
 *
 * Formats (host byte order for integers, network order for IP addresses):
 *   fixed-size integers: their width; strings: bytes + NUL; BYTEBUF: raw;
 *   SOCKADDR: u8 family, then INET ip4 + u16 port, INET6 ip6 + u16 port,
 *     UNIX path + NUL;
 *   SOCKTUPLE: u8 family, then INET sip4 sport dip4 dport, INET6 sip6 sport
 *     dip6 dport, UNIX u64 src, u64 dst, path + NUL;
 *   FDLIST: u16 count, count * (u64 fd, u16 flags);
 *   CHARBUFARRAY / CHARBUF_PAIR_ARRAY: consecutive NUL-terminated strings;
 *   DYN: u8 variant index, then the variant's encoding.
 */
#include "events/event_internal.h"

static const char *decode_unix_path(const uint8_t *p, uint32_t len, const char **path, uint32_t *path_len)
{
    const uint8_t *nul = memchr(p, 0, len);
    *path = (const char *)p;
    *path_len = nul ? (uint32_t)(nul - p) : len;
    return NULL;
}

static const char *decode_sockaddr(const uint8_t *p, uint32_t len, falco_evt_sockaddr *sa)
{
    memset(sa, 0, sizeof *sa);
    if (len < 1)
        return "empty socket address";
    sa->family = p[0];
    p++;
    len--;
    switch (sa->family) {
    case FALCO_AF_INET:
        if (len != 6)
            return "AF_INET socket address needs 7 bytes";
        memcpy(sa->addr, p, 4);
        sa->port = falco__rd16(p + 4);
        return NULL;
    case FALCO_AF_INET6:
        if (len != 18)
            return "AF_INET6 socket address needs 19 bytes";
        memcpy(sa->addr, p, 16);
        sa->port = falco__rd16(p + 16);
        return NULL;
    case FALCO_AF_UNIX:
        return decode_unix_path(p, len, &sa->path, &sa->path_len);
    default:
        sa->raw = p;
        sa->raw_len = len;
        return NULL;
    }
}

static const char *decode_socktuple(const uint8_t *p, uint32_t len, falco_evt_socktuple *st)
{
    memset(st, 0, sizeof *st);
    if (len < 1)
        return "empty socket tuple";
    st->family = p[0];
    p++;
    len--;
    switch (st->family) {
    case FALCO_AF_INET:
        if (len != 12)
            return "AF_INET socket tuple needs 13 bytes";
        memcpy(st->src_addr, p, 4);
        st->src_port = falco__rd16(p + 4);
        memcpy(st->dst_addr, p + 6, 4);
        st->dst_port = falco__rd16(p + 10);
        return NULL;
    case FALCO_AF_INET6:
        if (len != 36)
            return "AF_INET6 socket tuple needs 37 bytes";
        memcpy(st->src_addr, p, 16);
        st->src_port = falco__rd16(p + 16);
        memcpy(st->dst_addr, p + 18, 16);
        st->dst_port = falco__rd16(p + 34);
        return NULL;
    case FALCO_AF_UNIX:
        if (len < 16)
            return "AF_UNIX socket tuple needs at least 17 bytes";
        st->src_ptr = falco__rd64(p);
        st->dst_ptr = falco__rd64(p + 8);
        return decode_unix_path(p + 16, len - 16, &st->path, &st->path_len);
    default:
        st->raw = p;
        st->raw_len = len;
        return NULL;
    }
}

static const char *decode_strarray(const uint8_t *p, uint32_t len, int pairs, falco_evt_strarray *a)
{
    memset(a, 0, sizeof *a);
    if (len > 0 && p[len - 1] != 0)
        return "string array not NUL-terminated";
    for (uint32_t i = 0; i < len; i++)
        a->count += p[i] == 0;
    if (pairs && (a->count & 1))
        return "pair array has an odd number of strings";
    a->data = (const char *)p;
    a->len = len;
    return NULL;
}

static const char *decode_ip(falco_evt_param_type t, const uint8_t *p, uint32_t len, falco_evt_ip *ip)
{
    memset(ip, 0, sizeof *ip);
    int net = t == FALCO_PT_IPV4NET || t == FALCO_PT_IPV6NET || t == FALCO_PT_IPNET;
    uint32_t alen = net ? len / 2 : len;
    if ((t == FALCO_PT_IPV4ADDR || t == FALCO_PT_IPV4NET) && alen != 4)
        return "wrong size for an IPv4 address";
    if ((t == FALCO_PT_IPV6ADDR || t == FALCO_PT_IPV6NET) && alen != 16)
        return "wrong size for an IPv6 address";
    if (alen != 4 && alen != 16)
        return "IP address must have 4 or 16 bytes";
    if (net && len != 2 * alen)
        return "wrong size for an IP network";
    ip->family = alen == 4 ? FALCO_AF_INET : FALCO_AF_INET6;
    memcpy(ip->addr, p, alen);
    if (net)
        memcpy(ip->mask, p + alen, alen);
    return NULL;
}

const char *falco__evt_decode_value(falco_evt_param_type t, const uint8_t *p, uint32_t len, falco_evt_value *out)
{
    memset(out, 0, sizeof *out);
    out->type = t;
    size_t size = falco_evt_param_type_size(t);
    int is_u = falco__evt_type_is_unsigned(t), is_s = falco__evt_type_is_signed(t);
    if ((is_u || is_s || t == FALCO_PT_DOUBLE) && len != size)
        return "wrong size for the type";
    if (is_u || is_s) {
        uint64_t u = 0;
        switch (size) {
        case 1: u = p[0]; break;
        case 2: u = falco__rd16(p); break;
        case 4: u = falco__rd32(p); break;
        default: u = falco__rd64(p); break;
        }
        if (is_u) {
            out->v.u64 = u;
        } else {
            switch (size) {
            case 1: out->v.i64 = (int8_t)u; break;
            case 2: out->v.i64 = (int16_t)u; break;
            case 4: out->v.i64 = (int32_t)u; break;
            default: out->v.i64 = (int64_t)u; break;
            }
        }
        return NULL;
    }
    if (falco__evt_type_is_string(t)) {
        if (len == 0) {
            out->v.str.ptr = "";
            return NULL;
        }
        if (p[len - 1] != 0)
            return "string not NUL-terminated";
        out->v.str.ptr = (const char *)p;
        out->v.str.len = len - 1;
        return NULL;
    }
    switch (t) {
    case FALCO_PT_DOUBLE:
        memcpy(&out->v.f64, p, sizeof out->v.f64);
        return NULL;
    case FALCO_PT_BYTEBUF:
        out->v.bytes.ptr = p;
        out->v.bytes.len = len;
        return NULL;
    case FALCO_PT_SOCKADDR:
        return decode_sockaddr(p, len, &out->v.sockaddr);
    case FALCO_PT_SOCKTUPLE:
        return decode_socktuple(p, len, &out->v.socktuple);
    case FALCO_PT_FDLIST:
        if (len < 2)
            return "fd list shorter than its u16 count";
        out->v.fdlist.count = falco__rd16(p);
        if (len != 2u + 10u * out->v.fdlist.count)
            return "fd list size does not match its count";
        out->v.fdlist.raw = p + 2;
        return NULL;
    case FALCO_PT_CHARBUFARRAY:
        return decode_strarray(p, len, 0, &out->v.strarray);
    case FALCO_PT_CHARBUF_PAIR_ARRAY:
        return decode_strarray(p, len, 1, &out->v.strarray);
    case FALCO_PT_IPV4ADDR:
    case FALCO_PT_IPV6ADDR:
    case FALCO_PT_IPADDR:
    case FALCO_PT_IPV4NET:
    case FALCO_PT_IPV6NET:
    case FALCO_PT_IPNET:
        return decode_ip(t, p, len, &out->v.ip);
    default:
        return "type cannot be decoded";
    }
}

falco_rc falco_evt_param_get(falco_evt_view *v, uint32_t idx, falco_evt_value *out)
{
    const uint8_t *p;
    size_t len;
    if (!out)
        return FALCO_EINVAL;
    FALCO_TRY(falco_evt_param_raw(v, idx, &p, &len));
    const falco_evt_param_info *pi = &v->info->params[idx];
    falco_evt_param_type t = pi->type;
    uint32_t dyn_index = 0;
    memset(out, 0, sizeof *out);
    if (len == 0) {
        out->type = FALCO_PT_NONE;
        return FALCO_OK;
    }
    if (t == FALCO_PT_DYN) {
        dyn_index = p[0];
        if (dyn_index >= pi->ndyn || pi->dyn_types[dyn_index] == FALCO_PT_DYN)
            return falco__evt_fail(v, FALCO_EPARSE,
                                   "event '%s' (type %u): param %u '%s' at offset %u: dynamic variant %u not in "
                                   "the table (%u variants)",
                                   v->info->name, v->type, idx, pi->name, v->param_off[idx], dyn_index, pi->ndyn);
        t = pi->dyn_types[dyn_index];
        p++;
        len--;
    }
    const char *why = falco__evt_decode_value(t, p, (uint32_t)len, out);
    out->dyn_index = dyn_index;
    if (why)
        return falco__evt_fail(v, FALCO_EPARSE, "event '%s' (type %u): param %u '%s' (%s, %zu bytes at offset %u): %s",
                               v->info->name, v->type, idx, pi->name, falco_evt_param_type_name(t), len,
                               v->param_off[idx] + (pi->type == FALCO_PT_DYN), why);
    return FALCO_OK;
}
