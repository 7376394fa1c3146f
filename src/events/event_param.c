/*
 * event_param.c - typed parameter accessors, by index and by name.
 *
 * Each accessor decodes with falco_evt_param_get() and then checks that the
 * decoded type (the DYN variant for dynamic params) belongs to the class the
 * accessor reads, so a wrong guess is FALCO_ETYPE with both types named.
 */
#include "events/event_internal.h"

typedef int (*type_pred)(falco_evt_param_type t);

static int is_double(falco_evt_param_type t) { return t == FALCO_PT_DOUBLE; }
static int is_bytes(falco_evt_param_type t) { return t == FALCO_PT_BYTEBUF; }
static int is_relpath(falco_evt_param_type t) { return t == FALCO_PT_FSRELPATH; }
static int is_sockaddr(falco_evt_param_type t) { return t == FALCO_PT_SOCKADDR; }
static int is_socktuple(falco_evt_param_type t) { return t == FALCO_PT_SOCKTUPLE; }
static int is_fdlist(falco_evt_param_type t) { return t == FALCO_PT_FDLIST; }
static int is_strarray(falco_evt_param_type t)
{
    return t == FALCO_PT_CHARBUFARRAY || t == FALCO_PT_CHARBUF_PAIR_ARRAY;
}
static int is_ip(falco_evt_param_type t)
{
    return t == FALCO_PT_IPV4ADDR || t == FALCO_PT_IPV6ADDR || t == FALCO_PT_IPADDR || t == FALCO_PT_IPV4NET ||
           t == FALCO_PT_IPV6NET || t == FALCO_PT_IPNET;
}

/* Decodes param idx and checks its type with ok. An empty param passes when
 * empty_ok (the caller then sees type NONE), else is FALCO_ENOTFOUND. */
static falco_rc get_checked(falco_evt_view *v, uint32_t idx, falco_evt_value *out, type_pred ok, const char *asked,
                            int empty_ok)
{
    FALCO_TRY(falco_evt_param_get(v, idx, out));
    const falco_evt_param_info *pi = &v->info->params[idx];
    falco_evt_param_type t = out->type == FALCO_PT_NONE ? pi->type : out->type;
    if (t != FALCO_PT_DYN && !ok(t))
        return falco__evt_fail(v, FALCO_ETYPE, "event '%s' (type %u): param %u '%s' is %s, asked as %s",
                               v->info->name, v->type, idx, pi->name, falco_evt_param_type_name(t), asked);
    if (out->type == FALCO_PT_NONE && !empty_ok)
        return falco__evt_fail(v, FALCO_ENOTFOUND, "event '%s' (type %u): param %u '%s' is empty", v->info->name,
                               v->type, idx, pi->name);
    return FALCO_OK;
}

falco_rc falco_evt_param_u64(falco_evt_view *v, uint32_t idx, uint64_t *out)
{
    falco_evt_value val;
    FALCO_TRY(get_checked(v, idx, &val, falco__evt_type_is_unsigned, "u64 (an unsigned integer type)", 0));
    if (out)
        *out = val.v.u64;
    return FALCO_OK;
}

falco_rc falco_evt_param_i64(falco_evt_view *v, uint32_t idx, int64_t *out)
{
    falco_evt_value val;
    FALCO_TRY(get_checked(v, idx, &val, falco__evt_type_is_signed, "i64 (a signed integer type)", 0));
    if (out)
        *out = val.v.i64;
    return FALCO_OK;
}

falco_rc falco_evt_param_double(falco_evt_view *v, uint32_t idx, double *out)
{
    falco_evt_value val;
    FALCO_TRY(get_checked(v, idx, &val, is_double, "double (PT_DOUBLE)", 0));
    if (out)
        *out = val.v.f64;
    return FALCO_OK;
}

falco_rc falco_evt_param_str(falco_evt_view *v, uint32_t idx, const char **str, size_t *len)
{
    falco_evt_value val;
    FALCO_TRY(get_checked(v, idx, &val, falco__evt_type_is_string, "string (PT_CHARBUF/FSPATH/FSRELPATH)", 1));
    if (str)
        *str = val.type == FALCO_PT_NONE ? "" : val.v.str.ptr;
    if (len)
        *len = val.type == FALCO_PT_NONE ? 0 : val.v.str.len;
    return FALCO_OK;
}

falco_rc falco_evt_param_bytes(falco_evt_view *v, uint32_t idx, const uint8_t **data, size_t *len)
{
    falco_evt_value val;
    FALCO_TRY(get_checked(v, idx, &val, is_bytes, "bytes (PT_BYTEBUF)", 1));
    if (data)
        *data = val.type == FALCO_PT_NONE ? v->data + v->param_off[idx] : val.v.bytes.ptr;
    if (len)
        *len = val.type == FALCO_PT_NONE ? 0 : val.v.bytes.len;
    return FALCO_OK;
}

falco_rc falco_evt_param_relpath(falco_evt_view *v, uint32_t idx, falco_evt_relpath *out)
{
    falco_evt_value val;
    FALCO_TRY(get_checked(v, idx, &val, is_relpath, "relpath (PT_FSRELPATH)", 1));
    falco_evt_relpath r = {val.type == FALCO_PT_NONE ? "" : val.v.str.ptr,
                           val.type == FALCO_PT_NONE ? 0 : val.v.str.len, 0, false};
    int32_t d = v->info->params[idx].dirfd_param;
    if (d >= 0 && (uint32_t)d < v->nparams) {
        falco_evt_value dv;
        FALCO_TRY(falco_evt_param_get(v, (uint32_t)d, &dv));
        if (falco__evt_type_is_signed(dv.type)) {
            r.dirfd = dv.v.i64;
            r.has_dirfd = true;
        }
    }
    if (out)
        *out = r;
    return FALCO_OK;
}

#define FALCO__STRUCT_ACCESSOR(fn, ctype, member, pred, asked, empty_ok)                  \
    falco_rc fn(falco_evt_view *v, uint32_t idx, ctype *out)                              \
    {                                                                                     \
        falco_evt_value val;                                                              \
        FALCO_TRY(get_checked(v, idx, &val, pred, asked, empty_ok));                      \
        if (out) {                                                                        \
            if (val.type == FALCO_PT_NONE)                                                \
                memset(out, 0, sizeof *out);                                              \
            else                                                                          \
                *out = val.v.member;                                                      \
        }                                                                                 \
        return FALCO_OK;                                                                  \
    }

FALCO__STRUCT_ACCESSOR(falco_evt_param_sockaddr, falco_evt_sockaddr, sockaddr, is_sockaddr,
                       "sockaddr (PT_SOCKADDR)", 0)
FALCO__STRUCT_ACCESSOR(falco_evt_param_socktuple, falco_evt_socktuple, socktuple, is_socktuple,
                       "socktuple (PT_SOCKTUPLE)", 0)
FALCO__STRUCT_ACCESSOR(falco_evt_param_fdlist, falco_evt_fdlist, fdlist, is_fdlist, "fdlist (PT_FDLIST)", 1)
FALCO__STRUCT_ACCESSOR(falco_evt_param_strarray, falco_evt_strarray, strarray, is_strarray,
                       "string array (PT_CHARBUFARRAY/PT_CHARBUF_PAIR_ARRAY)", 1)
FALCO__STRUCT_ACCESSOR(falco_evt_param_ip, falco_evt_ip, ip, is_ip, "IP address or network", 0)

/* By-name twins: resolve the index once, then the index accessor. */
#define FALCO__BY_NAME(fn, ...)                                                           \
    {                                                                                     \
        int idx = falco_evt_param_index(v, name);                                         \
        if (idx < 0)                                                                      \
            return v && v->info ? FALCO_ENOTFOUND : FALCO_EINVAL;                         \
        return fn(v, (uint32_t)idx, __VA_ARGS__);                                         \
    }

falco_rc falco_evt_param_get_by_name(falco_evt_view *v, const char *name, falco_evt_value *out)
    FALCO__BY_NAME(falco_evt_param_get, out)
falco_rc falco_evt_param_u64_by_name(falco_evt_view *v, const char *name, uint64_t *out)
    FALCO__BY_NAME(falco_evt_param_u64, out)
falco_rc falco_evt_param_i64_by_name(falco_evt_view *v, const char *name, int64_t *out)
    FALCO__BY_NAME(falco_evt_param_i64, out)
falco_rc falco_evt_param_double_by_name(falco_evt_view *v, const char *name, double *out)
    FALCO__BY_NAME(falco_evt_param_double, out)
falco_rc falco_evt_param_str_by_name(falco_evt_view *v, const char *name, const char **str, size_t *len)
    FALCO__BY_NAME(falco_evt_param_str, str, len)
falco_rc falco_evt_param_bytes_by_name(falco_evt_view *v, const char *name, const uint8_t **data, size_t *len)
    FALCO__BY_NAME(falco_evt_param_bytes, data, len)
falco_rc falco_evt_param_relpath_by_name(falco_evt_view *v, const char *name, falco_evt_relpath *out)
    FALCO__BY_NAME(falco_evt_param_relpath, out)
falco_rc falco_evt_param_sockaddr_by_name(falco_evt_view *v, const char *name, falco_evt_sockaddr *out)
    FALCO__BY_NAME(falco_evt_param_sockaddr, out)
falco_rc falco_evt_param_socktuple_by_name(falco_evt_view *v, const char *name, falco_evt_socktuple *out)
    FALCO__BY_NAME(falco_evt_param_socktuple, out)
falco_rc falco_evt_param_fdlist_by_name(falco_evt_view *v, const char *name, falco_evt_fdlist *out)
    FALCO__BY_NAME(falco_evt_param_fdlist, out)
falco_rc falco_evt_param_strarray_by_name(falco_evt_view *v, const char *name, falco_evt_strarray *out)
    FALCO__BY_NAME(falco_evt_param_strarray, out)
falco_rc falco_evt_param_ip_by_name(falco_evt_view *v, const char *name, falco_evt_ip *out)
    FALCO__BY_NAME(falco_evt_param_ip, out)

falco_rc falco_evt_fdlist_get(const falco_evt_fdlist *list, uint32_t i, falco_evt_fdlist_entry *out)
{
    if (!list || !out)
        return FALCO_EINVAL;
    if (i >= list->count)
        return FALCO_ENOTFOUND;
    if (list->entries) {
        *out = list->entries[i];
        return FALCO_OK;
    }
    if (!list->raw)
        return FALCO_EINVAL;
    out->fd = (int64_t)falco__rd64(list->raw + 10u * i);
    out->flags = falco__rd16(list->raw + 10u * i + 8);
    return FALCO_OK;
}

bool falco_evt_strarray_next(const falco_evt_strarray *arr, uint32_t *pos, const char **str, size_t *len)
{
    if (!arr || !pos || !arr->data || *pos >= arr->len)
        return false;
    const char *s = arr->data + *pos;
    const char *nul = memchr(s, 0, arr->len - *pos);
    size_t n = nul ? (size_t)(nul - s) : arr->len - *pos;
    if (str)
        *str = s;
    if (len)
        *len = n;
    *pos += (uint32_t)n + 1;
    return true;
}
