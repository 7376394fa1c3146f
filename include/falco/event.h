/*
 * falco/event.h - read, render and write scap events of any type.
 *
 * A scap event is a packed 26-byte header (ts u64, tid u64, len u32, type u16,
 * nparams u32), then nparams parameter lengths (u16 each, u32 for the event
 * types flagged FALCO_EF_LARGE_PAYLOAD: 322, 324, 402), then the parameter
 * bytes. Multi-byte values are in host byte order, as libscap writes them.
 *
 * Reading: falco_evt_view_init() checks an event once (header, lengths, every
 * parameter inside the event) and records each parameter's offset, so every
 * accessor after it is O(1), bounds-checked and allocation-free. Values point
 * into the caller's buffer (zero-copy): they are valid as long as that buffer.
 *
 *   falco_evt_view v;
 *   if (falco_evt_view_init(&v, buf, len) != FALCO_OK)
 *       return log_error(falco_evt_view_error(&v));
 *   int64_t fd; const char *path; size_t n;
 *   FALCO_TRY(falco_evt_param_i64_by_name(&v, "fd", &fd));
 *   FALCO_TRY(falco_evt_param_str(&v, 1, &path, &n));
 *
 * Errors: every function returns a falco_rc. View functions store a message
 * naming what was wrong and where (event, parameter, byte offset) in the view,
 * read with falco_evt_view_error(); the encoders write theirs into a caller
 * buffer. A view is not thread-safe (accessors write its error message); use one
 * view per thread. Nothing here allocates.
 *
 * Since: 0.1.0
 */
#ifndef FALCO_EVENT_H
#define FALCO_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <falco/error.h>
#include <falco/event_codes.h>
#include <falco/event_table.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Size of the packed event header. */
#define FALCO_EVT_HEADER_SIZE 26u
/* Size of the error message buffer kept in a view. */
#define FALCO_EVT_ERRLEN 192u

/* Socket families as scap encodes them (PPM_AF_*). */
#define FALCO_AF_UNSPEC 0u
#define FALCO_AF_UNIX 1u
#define FALCO_AF_INET 2u
#define FALCO_AF_INET6 10u

/* A checked view of one event. Members are read-only for the caller; the
 * layout may grow in a minor release (always initialise with
 * falco_evt_view_init). About 450 bytes: fine on the stack. */
typedef struct falco_evt_view {
    const uint8_t *data;        /* the event's first byte (caller's memory) */
    uint32_t len;               /* the header's len: bytes of the whole event */
    uint64_t ts;                /* ns since the epoch */
    uint64_t tid;
    uint16_t type;              /* event code, below FALCO_EVT_COUNT */
    uint32_t nparams;           /* params present (may be fewer than the table's) */
    const falco_evt_info *info; /* table entry of type */
    uint32_t param_off[FALCO_EVT_MAX_PARAMS]; /* offset of each param's bytes in data */
    uint32_t param_len[FALCO_EVT_MAX_PARAMS]; /* length of each param */
    char err[FALCO_EVT_ERRLEN];
} falco_evt_view;

/* A socket address (FALCO_PT_SOCKADDR). */
typedef struct falco_evt_sockaddr {
    uint8_t family;         /* FALCO_AF_* */
    uint16_t port;          /* INET, INET6 */
    uint8_t addr[16];       /* INET: the first 4 bytes; network order */
    const char *path;       /* UNIX: the path, not NUL-terminated if path_len is the rest */
    uint32_t path_len;      /* UNIX: bytes before the NUL */
    const uint8_t *raw;     /* other families: the bytes after the family */
    uint32_t raw_len;
} falco_evt_sockaddr;

/* Both ends of a connection (FALCO_PT_SOCKTUPLE). */
typedef struct falco_evt_socktuple {
    uint8_t family;            /* FALCO_AF_* */
    uint8_t src_addr[16];      /* INET/INET6, network order */
    uint8_t dst_addr[16];
    uint16_t src_port, dst_port;
    uint64_t src_ptr, dst_ptr; /* UNIX: kernel socket addresses */
    const char *path;          /* UNIX */
    uint32_t path_len;
    const uint8_t *raw;        /* other families: the bytes after the family */
    uint32_t raw_len;
} falco_evt_socktuple;

/* One entry of a FALCO_PT_FDLIST. */
typedef struct falco_evt_fdlist_entry {
    int64_t fd;
    uint16_t flags;
} falco_evt_fdlist_entry;

/* A FALCO_PT_FDLIST. Decoding sets raw (count entries of 10 bytes each) and
 * leaves entries NULL; to encode, set either entries or raw. */
typedef struct falco_evt_fdlist {
    uint16_t count;
    const uint8_t *raw;
    const falco_evt_fdlist_entry *entries;
} falco_evt_fdlist;

/* A FALCO_PT_CHARBUFARRAY or FALCO_PT_CHARBUF_PAIR_ARRAY (pairs are
 * consecutive strings: key, value, key, value...). Decoding sets data/len
 * (consecutive NUL-terminated strings) and count, items NULL; to encode, set
 * either items (count strings) or data/len. */
typedef struct falco_evt_strarray {
    const char *data;
    uint32_t len;
    uint32_t count;
    const char *const *items;
} falco_evt_strarray;

/* An IP address (IPV4ADDR, IPV6ADDR, IPADDR) or network (IPV4NET, IPV6NET,
 * IPNET: addr + mask). */
typedef struct falco_evt_ip {
    uint8_t family;     /* FALCO_AF_INET or FALCO_AF_INET6 */
    uint8_t addr[16];   /* network order; INET uses the first 4 bytes */
    uint8_t mask[16];   /* networks only */
} falco_evt_ip;

/* A FALCO_PT_FSRELPATH with the value of the dirfd parameter it refers to. */
typedef struct falco_evt_relpath {
    const char *path;
    size_t len;
    int64_t dirfd;      /* valid when has_dirfd */
    bool has_dirfd;     /* false when the event lacks the dirfd param */
} falco_evt_relpath;

/* Any parameter value, tagged with its (dynamic-resolved) type. Produced by
 * falco_evt_param_get(), consumed by falco_evt_encode(). Pointers refer to the
 * event buffer (decoding) or the caller's memory (encoding). */
typedef struct falco_evt_value {
    falco_evt_param_type type; /* FALCO_PT_NONE: an empty (zero-length) param */
    uint32_t dyn_index;        /* DYN params: which variant of the table's list */
    union {
        uint64_t u64;          /* unsigned kinds, see falco_evt_param_u64 */
        int64_t i64;           /* signed kinds, see falco_evt_param_i64 */
        double f64;            /* DOUBLE */
        struct {
            const char *ptr;   /* NUL-terminated in the event */
            uint32_t len;      /* without the NUL */
        } str;                 /* CHARBUF, FSPATH, FSRELPATH */
        struct {
            const uint8_t *ptr;
            uint32_t len;
        } bytes;               /* BYTEBUF */
        falco_evt_sockaddr sockaddr;
        falco_evt_socktuple socktuple;
        falco_evt_fdlist fdlist;
        falco_evt_strarray strarray;
        falco_evt_ip ip;
    } v;
} falco_evt_value;

/* ---- the view ---------------------------------------------------------- */

/* Checks the event at buf (buflen bytes available; the event may be followed
 * by more bytes, which are ignored) and fills v. Returns FALCO_OK, or
 * FALCO_ETRUNCATED (buffer shorter than the header or than len, a length array
 * or a parameter running past len), FALCO_EPARSE (len smaller than the header,
 * unknown type, more params than the table lists, len larger than the
 * parameters), FALCO_EINVAL (NULL v). The message, readable with
 * falco_evt_view_error(v), names the event and the byte offset. v refers to
 * buf: keep buf alive while using v. */
falco_rc falco_evt_view_init(falco_evt_view *v, const void *buf, size_t buflen);

/* Returns the message of the last failure on v ("" when none). Valid until
 * the next call on v. */
const char *falco_evt_view_error(const falco_evt_view *v);

/* Returns true for an enter event ('>': even codes), false for exit ('<'). */
static inline bool falco_evt_view_is_enter(const falco_evt_view *v)
{
    return (v->type & 1u) == 0;
}

/* Finds the parameter called name in v's table entry. Returns its index, or
 * -1 with FALCO_ENOTFOUND's message in v. The param may still be absent from
 * this event (see FALCO_ENOTFOUND below). */
int falco_evt_param_index(falco_evt_view *v, const char *name);

/* The bytes of param idx, whatever its type: *data points into the event,
 * *len may be 0. FALCO_ENOTFOUND when idx is not below v->nparams. */
falco_rc falco_evt_param_raw(falco_evt_view *v, uint32_t idx, const uint8_t **data, size_t *len);

/* Returns true when the event carries param idx with at least one byte, false
 * when the param is absent (an older layout, or idx beyond the table) or empty
 * (zero-length: what libscap's converter adds for parameters an old capture
 * lacks, and what libsinsp shows as <NA>). Writes nothing, v may be NULL
 * (false). Since: 0.1.0 */
static inline bool falco_evt_param_has_value(const falco_evt_view *v, uint32_t idx)
{
    return v && v->info && idx < v->nparams && v->param_len[idx] > 0;
}

/* Decodes param idx into out, resolving DYN params to their variant. A
 * zero-length param gives out->type FALCO_PT_NONE. Returns FALCO_ENOTFOUND for
 * a param the table lists but this (older) event lacks, or an index beyond the
 * table; FALCO_EPARSE when the bytes do not fit the type (wrong fixed size,
 * missing NUL, bad DYN index, short address). */
falco_rc falco_evt_param_get(falco_evt_view *v, uint32_t idx, falco_evt_value *out);

/* Typed accessors. Each checks the table type of the param (for DYN: of the
 * variant present) and returns FALCO_ETYPE, with a message naming the event,
 * the param and both types, when it is not one the accessor reads. Numeric
 * accessors return FALCO_ENOTFOUND for a zero-length param.
 *   u64: UINT8/16/32/64, FLAGS8/16/32, ENUMFLAGS8/16/32, MODE, UID, GID,
 *        SIGSET, SIGTYPE, SYSCALLID, PORT, L4PROTO, SOCKFAMILY, BOOL,
 *        RELTIME, ABSTIME (zero-extended)
 *   i64: INT8/16/32/64, ERRNO, FD, PID, FD32, PID32 (sign-extended)
 *   str: CHARBUF, FSPATH, FSRELPATH ("" for a zero-length param); the string
 *        is NUL-terminated in the event
 *   bytes: BYTEBUF
 * Pointers refer to the event buffer. */
falco_rc falco_evt_param_u64(falco_evt_view *v, uint32_t idx, uint64_t *out);
falco_rc falco_evt_param_i64(falco_evt_view *v, uint32_t idx, int64_t *out);
falco_rc falco_evt_param_double(falco_evt_view *v, uint32_t idx, double *out);
falco_rc falco_evt_param_str(falco_evt_view *v, uint32_t idx, const char **str, size_t *len);
falco_rc falco_evt_param_bytes(falco_evt_view *v, uint32_t idx, const uint8_t **data, size_t *len);
/* FSRELPATH: the path and the value of its dirfd param. */
falco_rc falco_evt_param_relpath(falco_evt_view *v, uint32_t idx, falco_evt_relpath *out);
falco_rc falco_evt_param_sockaddr(falco_evt_view *v, uint32_t idx, falco_evt_sockaddr *out);
falco_rc falco_evt_param_socktuple(falco_evt_view *v, uint32_t idx, falco_evt_socktuple *out);
falco_rc falco_evt_param_fdlist(falco_evt_view *v, uint32_t idx, falco_evt_fdlist *out);
/* CHARBUFARRAY and CHARBUF_PAIR_ARRAY. */
falco_rc falco_evt_param_strarray(falco_evt_view *v, uint32_t idx, falco_evt_strarray *out);
/* IPV4ADDR, IPV6ADDR, IPADDR, IPV4NET, IPV6NET, IPNET. */
falco_rc falco_evt_param_ip(falco_evt_view *v, uint32_t idx, falco_evt_ip *out);

/* The same accessors by parameter name (FALCO_ENOTFOUND for an unknown name). */
falco_rc falco_evt_param_get_by_name(falco_evt_view *v, const char *name, falco_evt_value *out);
falco_rc falco_evt_param_u64_by_name(falco_evt_view *v, const char *name, uint64_t *out);
falco_rc falco_evt_param_i64_by_name(falco_evt_view *v, const char *name, int64_t *out);
falco_rc falco_evt_param_double_by_name(falco_evt_view *v, const char *name, double *out);
falco_rc falco_evt_param_str_by_name(falco_evt_view *v, const char *name, const char **str, size_t *len);
falco_rc falco_evt_param_bytes_by_name(falco_evt_view *v, const char *name, const uint8_t **data,
                                       size_t *len);
falco_rc falco_evt_param_relpath_by_name(falco_evt_view *v, const char *name, falco_evt_relpath *out);
falco_rc falco_evt_param_sockaddr_by_name(falco_evt_view *v, const char *name, falco_evt_sockaddr *out);
falco_rc falco_evt_param_socktuple_by_name(falco_evt_view *v, const char *name, falco_evt_socktuple *out);
falco_rc falco_evt_param_fdlist_by_name(falco_evt_view *v, const char *name, falco_evt_fdlist *out);
falco_rc falco_evt_param_strarray_by_name(falco_evt_view *v, const char *name, falco_evt_strarray *out);
falco_rc falco_evt_param_ip_by_name(falco_evt_view *v, const char *name, falco_evt_ip *out);

/* Entry i (below list->count) of an fdlist, from raw or entries. Returns
 * FALCO_ENOTFOUND past the end. */
falco_rc falco_evt_fdlist_get(const falco_evt_fdlist *list, uint32_t i, falco_evt_fdlist_entry *out);

/* Iterates the strings of a decoded string array: start with *pos = 0; each
 * call stores the next string (NUL-terminated, in the event) and its length
 * and returns true, or returns false at the end. */
bool falco_evt_strarray_next(const falco_evt_strarray *arr, uint32_t *pos, const char **str, size_t *len);

/* ---- names ------------------------------------------------------------- */

/* Returns the Linux name of errno number e ("ENOENT" for 2; e may be negative:
 * -2 gives "ENOENT" too), or NULL when unknown. Static string. */
const char *falco_evt_errno_name(int64_t e);

/* Returns the Linux name of signal number s ("SIGKILL" for 9), or NULL. */
const char *falco_evt_signal_name(uint64_t s);

/* Syscall codes: what the ID param (FALCO_PT_SYSCALLID) of generic syscall
 * events (FALCO_PPME_GENERIC_E/X) holds. They are libs' own numbering (enum
 * ppm_sc_code; 0 is "unknown"), the same on every architecture, as the libs
 * of FALCO_EVT_SCHEMA_VERSION have them (tools/event_table/syscalls.tsv).
 * Static data: every function here is thread-safe. Since: 0.1.0 */

/* Returns the number of syscall codes (codes are 0 .. count - 1). */
size_t falco_evt_syscall_count(void);

/* Returns libs' name of syscall code sc ("mprotect" for 75, "unknown" for 0),
 * "" for a code libs leaves unnamed, or NULL when sc is not below
 * falco_evt_syscall_count(). Static string. */
const char *falco_evt_syscall_name(uint64_t sc);

/* Returns the syscall code libscap gives the x86_64 native syscall number nr
 * (75 for 10, mprotect), or 0 when it gives none. Generic events carry the
 * native number in their nativeID param; libsinsp reads it (when ID is 0) as a
 * syscall of the machine it runs on, this SDK as x86_64 whatever the machine. */
uint16_t falco_evt_syscall_from_x86_64(uint64_t nr);

/* Returns the event's type name as libsinsp shows it (evt.type): the table's
 * name, except for generic syscall events, named after their syscall: the
 * name of the ID param's code or, when ID is 0 and the event has a nativeID,
 * of that native number's code (so "unknown" when neither gives one). Where
 * libs has no name (a code it leaves unnamed, where libsinsp prints "", or an
 * ID beyond its table, where libsinsp reads past it) the table's "syscall".
 * NULL when v is NULL or has no table entry. Static string; reads v only. */
const char *falco_evt_type_name(const falco_evt_view *v);

/* ---- text -------------------------------------------------------------- */

/* Options of falco_evt_format (bitwise or). */
#define FALCO_EVT_FORMAT_HEADER 1u /* prefix "<ts> <tid> " */

/* Renders the event as one line: "> open name=/etc/passwd flags=4097(O_RDONLY|
 * O_CLOEXEC) mode=0644": direction ('>' enter, '<' exit), type name
 * (falco_evt_type_name: "< mprotect ID=75(mprotect) nativeID=10" for a generic
 * syscall event), then each present param as name=value: flags and enum names
 * in parentheses, syscall names of syscall IDs (the number alone when libs
 * names none), errno names for negative results ("res=-2(ENOENT)"), signal
 * names, hex ("0x..") or octal ("0...") per the table's print format, strings
 * as they are (non-printable bytes as '.'), bytes as printable text or '.', zero-length
 * params as "<NA>". Malformed params render as "<malformed>" and make the
 * call return FALCO_EPARSE (message in v) after writing the whole line.
 * Writes at most buflen bytes, always NUL-terminated when buflen > 0, and
 * stores in *needed (if not NULL) the length of the full line without the NUL,
 * like snprintf: a larger buffer is needed when *needed >= buflen. buf may be
 * NULL when buflen is 0. */
falco_rc falco_evt_format(falco_evt_view *v, unsigned options, char *buf, size_t buflen, size_t *needed);

/* Renders the value of param idx alone, as falco_evt_format does after '='. */
falco_rc falco_evt_format_param(falco_evt_view *v, uint32_t idx, char *buf, size_t buflen, size_t *needed);

/* ---- writing ----------------------------------------------------------- */

/* Encodes an event of type with nparams values (at most the table's count;
 * fewer writes an older-style event). Each value's type must be the table's
 * type of that param (for DYN params: dyn_index selects the variant and type
 * must be that variant's type), or FALCO_PT_NONE for a zero-length param.
 * Integers must fit their width (FALCO_ERANGE otherwise). Lengths are u16, or
 * u32 for FALCO_EF_LARGE_PAYLOAD events. Stores the event's size in *needed
 * (if not NULL) and writes it into buf when buflen is large enough; otherwise
 * returns FALCO_ERANGE and writes nothing. buf may be NULL with buflen 0 to
 * size an event. On failure a message naming the param is written into err
 * (errlen bytes, NUL-terminated; err may be NULL). */
falco_rc falco_evt_encode(void *buf, size_t buflen, size_t *needed, uint16_t type, uint64_t ts, uint64_t tid,
                          const falco_evt_value *params, uint32_t nparams, char *err, size_t errlen);

/* Writes a plugin event (type 322): [hdr][u32 4][u32 datalen][u32 plugin_id]
 * [data], the data at offset 38. Same size rules as falco_evt_encode;
 * FALCO_EINVAL when data is NULL with datalen > 0. */
falco_rc falco_evt_encode_plugin(void *buf, size_t buflen, size_t *needed, uint64_t ts, uint64_t tid,
                                 uint32_t plugin_id, const void *data, size_t datalen);

/* Writes an async event (type 402): [hdr][u32 4][u32 strlen(name)+1]
 * [u32 datalen][u32 plugin_id][name NUL][data]. FALCO_EINVAL when name is
 * NULL or empty, or data is NULL with datalen > 0. */
falco_rc falco_evt_encode_async(void *buf, size_t buflen, size_t *needed, uint64_t ts, uint64_t tid,
                                uint32_t plugin_id, const char *name, const void *data, size_t datalen);

#ifdef __cplusplus
}
#endif
#endif /* FALCO_EVENT_H */
