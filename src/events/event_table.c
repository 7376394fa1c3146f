/*
 * event_table.c - lookups over the generated event table and type metadata.
 */
#include <string.h>

#include <falco/event_table.h>

#include "events/event_internal.h"

const falco_evt_info *falco_evt_table_get(uint16_t code)
{
    return code < FALCO_EVT_COUNT ? &falco__evt_table[code] : NULL;
}

size_t falco_evt_table_count(void)
{
    return FALCO_EVT_COUNT;
}

const char *falco_evt_schema_version(void)
{
    return FALCO_EVT_SCHEMA_VERSION;
}

int falco_evt_info_param_index(const falco_evt_info *info, const char *name)
{
    if (!info || !name)
        return -1;
    for (uint32_t i = 0; i < info->nparams; i++)
        if (strcmp(info->params[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* X-macro: type, table name, fixed size (0: variable), class
 * (U unsigned, S signed, T string, O other). */
#define FALCO__PT_LIST(X)                       \
    X(FALCO_PT_NONE, "PT_NONE", 0, O)           \
    X(FALCO_PT_INT8, "PT_INT8", 1, S)           \
    X(FALCO_PT_INT16, "PT_INT16", 2, S)         \
    X(FALCO_PT_INT32, "PT_INT32", 4, S)         \
    X(FALCO_PT_INT64, "PT_INT64", 8, S)         \
    X(FALCO_PT_UINT8, "PT_UINT8", 1, U)         \
    X(FALCO_PT_UINT16, "PT_UINT16", 2, U)       \
    X(FALCO_PT_UINT32, "PT_UINT32", 4, U)       \
    X(FALCO_PT_UINT64, "PT_UINT64", 8, U)       \
    X(FALCO_PT_CHARBUF, "PT_CHARBUF", 0, T)     \
    X(FALCO_PT_BYTEBUF, "PT_BYTEBUF", 0, O)     \
    X(FALCO_PT_ERRNO, "PT_ERRNO", 8, S)         \
    X(FALCO_PT_SOCKADDR, "PT_SOCKADDR", 0, O)   \
    X(FALCO_PT_SOCKTUPLE, "PT_SOCKTUPLE", 0, O) \
    X(FALCO_PT_FD, "PT_FD", 8, S)               \
    X(FALCO_PT_PID, "PT_PID", 8, S)             \
    X(FALCO_PT_FDLIST, "PT_FDLIST", 0, O)       \
    X(FALCO_PT_FSPATH, "PT_FSPATH", 0, T)       \
    X(FALCO_PT_SYSCALLID, "PT_SYSCALLID", 2, U) \
    X(FALCO_PT_SIGTYPE, "PT_SIGTYPE", 1, U)     \
    X(FALCO_PT_RELTIME, "PT_RELTIME", 8, U)     \
    X(FALCO_PT_ABSTIME, "PT_ABSTIME", 8, U)     \
    X(FALCO_PT_PORT, "PT_PORT", 2, U)           \
    X(FALCO_PT_L4PROTO, "PT_L4PROTO", 1, U)     \
    X(FALCO_PT_SOCKFAMILY, "PT_SOCKFAMILY", 1, U) \
    X(FALCO_PT_BOOL, "PT_BOOL", 4, U)           \
    X(FALCO_PT_IPV4ADDR, "PT_IPV4ADDR", 4, O)   \
    X(FALCO_PT_DYN, "PT_DYN", 0, O)             \
    X(FALCO_PT_FLAGS8, "PT_FLAGS8", 1, U)       \
    X(FALCO_PT_FLAGS16, "PT_FLAGS16", 2, U)     \
    X(FALCO_PT_FLAGS32, "PT_FLAGS32", 4, U)     \
    X(FALCO_PT_UID, "PT_UID", 4, U)             \
    X(FALCO_PT_GID, "PT_GID", 4, U)             \
    X(FALCO_PT_DOUBLE, "PT_DOUBLE", 8, O)       \
    X(FALCO_PT_SIGSET, "PT_SIGSET", 4, U)       \
    X(FALCO_PT_CHARBUFARRAY, "PT_CHARBUFARRAY", 0, O) \
    X(FALCO_PT_CHARBUF_PAIR_ARRAY, "PT_CHARBUF_PAIR_ARRAY", 0, O) \
    X(FALCO_PT_IPV4NET, "PT_IPV4NET", 8, O)     \
    X(FALCO_PT_IPV6ADDR, "PT_IPV6ADDR", 16, O)  \
    X(FALCO_PT_IPV6NET, "PT_IPV6NET", 32, O)    \
    X(FALCO_PT_IPADDR, "PT_IPADDR", 0, O)       \
    X(FALCO_PT_IPNET, "PT_IPNET", 0, O)         \
    X(FALCO_PT_MODE, "PT_MODE", 4, U)           \
    X(FALCO_PT_FSRELPATH, "PT_FSRELPATH", 0, T) \
    X(FALCO_PT_ENUMFLAGS8, "PT_ENUMFLAGS8", 1, U) \
    X(FALCO_PT_ENUMFLAGS16, "PT_ENUMFLAGS16", 2, U) \
    X(FALCO_PT_ENUMFLAGS32, "PT_ENUMFLAGS32", 4, U) \
    X(FALCO_PT_FD32, "PT_FD32", 4, S)           \
    X(FALCO_PT_PID32, "PT_PID32", 4, S)

enum { FALCO__CLASS_U = 1, FALCO__CLASS_S, FALCO__CLASS_T, FALCO__CLASS_O };

static const struct {
    const char *name;
    unsigned char size;
    unsigned char cls;
} type_meta[FALCO_PT_COUNT] = {
#define FALCO__PT_META(t, n, sz, c) [t] = {n, sz, FALCO__CLASS_##c},
    FALCO__PT_LIST(FALCO__PT_META)
#undef FALCO__PT_META
};

const char *falco_evt_param_type_name(falco_evt_param_type type)
{
    if ((unsigned)type >= FALCO_PT_COUNT)
        return "PT_UNKNOWN";
    return type_meta[type].name;
}

size_t falco_evt_param_type_size(falco_evt_param_type type)
{
    return (unsigned)type < FALCO_PT_COUNT ? type_meta[type].size : 0;
}

int falco__evt_type_is_unsigned(falco_evt_param_type t)
{
    return (unsigned)t < FALCO_PT_COUNT && type_meta[t].cls == FALCO__CLASS_U;
}

int falco__evt_type_is_signed(falco_evt_param_type t)
{
    return (unsigned)t < FALCO_PT_COUNT && type_meta[t].cls == FALCO__CLASS_S;
}

int falco__evt_type_is_string(falco_evt_param_type t)
{
    return (unsigned)t < FALCO_PT_COUNT && type_meta[t].cls == FALCO__CLASS_T;
}
