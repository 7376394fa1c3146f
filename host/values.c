/*
 * values.c - typed reads and text rendering of extracted values.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "host_internal.h"

static falco_rc check(const falco_host_values *v, uint64_t i, bool type_ok)
{
    if (!type_ok)
        return FALCO_ETYPE;
    return i < v->count ? FALCO_OK : FALCO_ERANGE;
}

static bool is_u64(falco_abi_field_type t)
{
    return t == FALCO_ABI_FT_UINT64 || t == FALCO_ABI_FT_RELTIME || t == FALCO_ABI_FT_ABSTIME;
}

static bool is_buf(falco_abi_field_type t)
{
    return t == FALCO_ABI_FT_IPADDR || t == FALCO_ABI_FT_IPNET;
}

falco_rc falco_host_value_str(const falco_host_values *v, uint64_t i, const char **out)
{
    FALCO_TRY(check(v, i, v->type == FALCO_ABI_FT_STRING));
    *out = v->v.str[i];
    return FALCO_OK;
}

falco_rc falco_host_value_u64(const falco_host_values *v, uint64_t i, uint64_t *out)
{
    FALCO_TRY(check(v, i, is_u64(v->type)));
    *out = v->v.u64[i];
    return FALCO_OK;
}

falco_rc falco_host_value_bool(const falco_host_values *v, uint64_t i, bool *out)
{
    FALCO_TRY(check(v, i, v->type == FALCO_ABI_FT_BOOL));
    *out = v->v.boolean[i] != 0;
    return FALCO_OK;
}

falco_rc falco_host_value_buf(const falco_host_values *v, uint64_t i, const void **ptr, uint32_t *len)
{
    FALCO_TRY(check(v, i, is_buf(v->type)));
    *ptr = v->v.buf[i].ptr;
    *len = v->v.buf[i].len;
    return FALCO_OK;
}

static falco_rc put(size_t size, int n)
{
    return n < 0 || (size_t)n >= size ? FALCO_ETRUNCATED : FALCO_OK;
}

/* An ipaddr value: a 4- or 16-byte address as libsinsp prints it, other
 * sizes (on which libsinsp throws) in hex. */
/* An ipaddr as libsinsp prints it (rawval_to_string): 4 bytes dotted, 16 as
 * IPv6; libsinsp stops on any other size ("IP address of incorrect size"),
 * so it is refused here rather than printed some other way. */
static falco_rc format_addr(const uint8_t *b, uint32_t len, char *buf, size_t size)
{
    char addr[INET6_ADDRSTRLEN];
    buf[0] = '\0';
    if ((len != 4 && len != 16) || !inet_ntop(len == 4 ? AF_INET : AF_INET6, b, addr, sizeof addr))
        return FALCO_EINVAL;
    return put(size, snprintf(buf, size, "%s", addr));
}

falco_rc falco_host_value_format(const falco_host_values *v, uint64_t i, char *buf, size_t size)
{
    if (!size)
        return FALCO_ETRUNCATED;
    buf[0] = '\0';
    if (i >= v->count)
        return FALCO_ERANGE;
    switch (v->type) {
    case FALCO_ABI_FT_STRING: return put(size, snprintf(buf, size, "%s", v->v.str[i]));
    case FALCO_ABI_FT_UINT64:
    case FALCO_ABI_FT_RELTIME:
    case FALCO_ABI_FT_ABSTIME: return put(size, snprintf(buf, size, "%" PRIu64, v->v.u64[i]));
    case FALCO_ABI_FT_BOOL: return put(size, snprintf(buf, size, "%s", v->v.boolean[i] ? "true" : "false"));
    case FALCO_ABI_FT_IPADDR: return format_addr(v->v.buf[i].ptr, v->v.buf[i].len, buf, size);
    /* libsinsp prints no ipnet value, whatever its size (rawval_to_string) */
    case FALCO_ABI_FT_IPNET: return put(size, snprintf(buf, size, "<IPNET>"));
    }
    return FALCO_ETYPE;
}
