/*
 * falco/event_table.h - the scap event table compiled into the SDK.
 *
 * Every event code of the event schema this SDK was built against (see
 * FALCO_EVT_SCHEMA_VERSION in falco/event_codes.h) has one falco_evt_info entry:
 * its name, categories, flags and the name, type, print format and extra
 * information (flag names, dirfd reference, dynamic variants) of each parameter.
 * The data is generated from reference/event_table.tsv by
 * tools/gen_event_table.py and lives in read-only memory: every pointer
 * returned here is static and valid for the life of the process. Thread-safe.
 *
 * Since: 0.1.0
 */
#ifndef FALCO_EVENT_TABLE_H
#define FALCO_EVENT_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include <falco/error.h>
#include <falco/event_codes.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Parameter types. Values 0..46 are the ones of libs' enum ppm_param_type;
 * FD32 and PID32 (4-byte fd and pid) come after and are SDK numbering. */
typedef enum falco_evt_param_type {
    FALCO_PT_NONE = 0,
    FALCO_PT_INT8 = 1,
    FALCO_PT_INT16 = 2,
    FALCO_PT_INT32 = 3,
    FALCO_PT_INT64 = 4,
    FALCO_PT_UINT8 = 5,
    FALCO_PT_UINT16 = 6,
    FALCO_PT_UINT32 = 7,
    FALCO_PT_UINT64 = 8,
    FALCO_PT_CHARBUF = 9,     /* NUL-terminated string */
    FALCO_PT_BYTEBUF = 10,    /* raw bytes */
    FALCO_PT_ERRNO = 11,      /* int64: a syscall result, negative errno on failure */
    FALCO_PT_SOCKADDR = 12,   /* u8 family + address (see falco_evt_sockaddr) */
    FALCO_PT_SOCKTUPLE = 13,  /* u8 family + both ends (see falco_evt_socktuple) */
    FALCO_PT_FD = 14,         /* int64 */
    FALCO_PT_PID = 15,        /* int64 */
    FALCO_PT_FDLIST = 16,     /* u16 count + count * (u64 fd, u16 flags) */
    FALCO_PT_FSPATH = 17,     /* NUL-terminated path */
    FALCO_PT_SYSCALLID = 18,  /* u16 */
    FALCO_PT_SIGTYPE = 19,    /* u8 signal number */
    FALCO_PT_RELTIME = 20,    /* u64 ns */
    FALCO_PT_ABSTIME = 21,    /* u64 ns since the epoch */
    FALCO_PT_PORT = 22,       /* u16 */
    FALCO_PT_L4PROTO = 23,    /* u8 */
    FALCO_PT_SOCKFAMILY = 24, /* u8 */
    FALCO_PT_BOOL = 25,       /* u32 */
    FALCO_PT_IPV4ADDR = 26,   /* 4 bytes, network order */
    FALCO_PT_DYN = 27,        /* u8 variant index + the variant's encoding */
    FALCO_PT_FLAGS8 = 28,
    FALCO_PT_FLAGS16 = 29,
    FALCO_PT_FLAGS32 = 30,
    FALCO_PT_UID = 31,        /* u32 */
    FALCO_PT_GID = 32,        /* u32 */
    FALCO_PT_DOUBLE = 33,
    FALCO_PT_SIGSET = 34,     /* u32 */
    FALCO_PT_CHARBUFARRAY = 35,       /* consecutive NUL-terminated strings */
    FALCO_PT_CHARBUF_PAIR_ARRAY = 36, /* consecutive NUL-terminated strings, in pairs */
    FALCO_PT_IPV4NET = 37,    /* 4-byte address + 4-byte netmask, network order */
    FALCO_PT_IPV6ADDR = 38,   /* 16 bytes */
    FALCO_PT_IPV6NET = 39,    /* 16-byte address + 16-byte netmask */
    FALCO_PT_IPADDR = 40,     /* 4 or 16 bytes, the length tells */
    FALCO_PT_IPNET = 41,      /* 8 or 32 bytes, the length tells */
    FALCO_PT_MODE = 42,       /* u32 file mode bits */
    FALCO_PT_FSRELPATH = 43,  /* NUL-terminated path relative to a dirfd parameter */
    FALCO_PT_ENUMFLAGS8 = 44, /* u8, one of a set of values */
    FALCO_PT_ENUMFLAGS16 = 45,
    FALCO_PT_ENUMFLAGS32 = 46,
    FALCO_PT_FD32 = 47,       /* int32 */
    FALCO_PT_PID32 = 48,      /* int32 */
    FALCO_PT_COUNT
} falco_evt_param_type;

/* How a numeric parameter is rendered (libs' enum ppm_print_format). */
typedef enum falco_evt_print_format {
    FALCO_PF_NA = 0,
    FALCO_PF_DEC = 1,
    FALCO_PF_HEX = 2,
    FALCO_PF_10_PADDED_DEC = 3,
    FALCO_PF_ID = 4,
    FALCO_PF_DIR = 5,
    FALCO_PF_OCT = 6
} falco_evt_print_format;

/* Category bits: one bit per category name the table uses (EC_FILE is
 * FALCO_EC_FILE...). The bit values are the SDK's, not libs' numeric codes. */
#define FALCO_EC_UNKNOWN 0u
#define FALCO_EC_OTHER (1u << 0)
#define FALCO_EC_FILE (1u << 1)
#define FALCO_EC_IPC (1u << 2)
#define FALCO_EC_IO_BASE (1u << 3)
#define FALCO_EC_IO_READ (1u << 4)
#define FALCO_EC_WAIT (1u << 5)
#define FALCO_EC_SCHEDULER (1u << 6)
#define FALCO_EC_INTERNAL (1u << 7)
#define FALCO_EC_SYSCALL (1u << 8)
#define FALCO_EC_TRACEPOINT (1u << 9)
#define FALCO_EC_PLUGIN (1u << 10)
#define FALCO_EC_METAEVENT (1u << 11)
#define FALCO_EC_SYSTEM (1u << 12)
#define FALCO_EC_ITER (1u << 13)

/* Event flag bits (EF_* of the table). */
#define FALCO_EF_NONE 0u
#define FALCO_EF_CREATES_FD (1u << 0)
#define FALCO_EF_DESTROYS_FD (1u << 1)
#define FALCO_EF_USES_FD (1u << 2)
#define FALCO_EF_READS_FROM_FD (1u << 3)
#define FALCO_EF_WRITES_TO_FD (1u << 4)
#define FALCO_EF_MODIFIES_STATE (1u << 5)
#define FALCO_EF_UNUSED (1u << 6)
#define FALCO_EF_WAITS (1u << 7)
#define FALCO_EF_SKIPPARSERESET (1u << 8)
#define FALCO_EF_OLD_VERSION (1u << 9)
#define FALCO_EF_LARGE_PAYLOAD (1u << 10) /* parameter lengths are u32, not u16 */
#define FALCO_EF_CONVERTER_MANAGED (1u << 11)

/* One named value of a flags, enum-flags or mode parameter. */
typedef struct falco_evt_flag_name {
    const char *name;
    uint32_t value;
} falco_evt_flag_name;

/* Static description of one parameter. */
typedef struct falco_evt_param_info {
    const char *name;                   /* e.g. "fd" */
    falco_evt_param_type type;
    falco_evt_print_format format;
    const falco_evt_flag_name *flags;   /* flags/enumflags/mode names, else NULL */
    uint32_t nflags;
    int32_t dirfd_param;                /* FSRELPATH: index of its dirfd param, else -1 */
    const falco_evt_param_type *dyn_types; /* DYN: type of each variant index, else NULL */
    uint32_t ndyn;
} falco_evt_param_info;

/* Static description of one event code. */
typedef struct falco_evt_info {
    uint16_t code;                      /* the event type, e.g. FALCO_PPME_SYSCALL_OPEN_E */
    const char *name;                   /* e.g. "open"; "NA" for unused codes */
    const char *enum_name;              /* e.g. "PPME_SYSCALL_OPEN_E" */
    uint32_t category;                  /* FALCO_EC_* bits */
    uint32_t flags;                     /* FALCO_EF_* bits */
    uint32_t nparams;
    const falco_evt_param_info *params; /* nparams entries */
} falco_evt_info;

/* Returns the table entry of event type code, or NULL when code is not below
 * FALCO_EVT_COUNT. Static data. */
const falco_evt_info *falco_evt_table_get(uint16_t code);

/* Returns the number of event codes in the table (FALCO_EVT_COUNT). */
size_t falco_evt_table_count(void);

/* Returns the event schema version the compiled table corresponds to, as
 * "major.minor.patch" (FALCO_EVT_SCHEMA_VERSION). Static string. Plugins that
 * parse or extract syscall events report it as their required schema. */
const char *falco_evt_schema_version(void);

/* Returns the index of the parameter called name in info, or -1 when info is
 * NULL or has no such parameter. */
int falco_evt_info_param_index(const falco_evt_info *info, const char *name);

/* Returns true when parameter lengths of this event are u32 (EF_LARGE_PAYLOAD). */
static inline int falco_evt_info_is_large(const falco_evt_info *info)
{
    return info && (info->flags & FALCO_EF_LARGE_PAYLOAD) != 0;
}

/* Returns the table name of a parameter type ("PT_CHARBUF"), or "PT_UNKNOWN".
 * Static string. */
const char *falco_evt_param_type_name(falco_evt_param_type type);

/* Returns the encoded size in bytes of a fixed-size type (1, 2, 4, 8 or 16),
 * or 0 for variable-size types (strings, buffers, socket addresses, lists,
 * DYN, IPADDR/IPNET). */
size_t falco_evt_param_type_size(falco_evt_param_type type);

#ifdef __cplusplus
}
#endif
#endif /* FALCO_EVENT_TABLE_H */
