/*
 * falco/capture.h - read and write scap capture files (.scap), plain or gzip'd.
 *
 * A capture file is a pcapng-like sequence of blocks: a section header, then
 * metadata blocks (machine info, process list, fd lists, user/group list,
 * interface list), then one event block per event. The reader streams: it
 * never needs the whole file in memory, only the current block.
 *
 *   falco_capture_error err;
 *   falco_capture_reader *r = falco_capture_open("trace.scap", &err);
 *   if (!r) { fprintf(stderr, "%s\n", err.msg); return 1; }
 *   const void *evt; size_t len; falco_capture_block_info info;
 *   falco_rc rc;
 *   while ((rc = falco_capture_next(r, &evt, &len, &info)) == FALCO_OK)
 *       use(evt, len);               // valid until the next call on r
 *   if (rc != FALCO_EOF) fprintf(stderr, "%s\n", falco_capture_errmsg(r));
 *   falco_capture_close(r);
 *
 * Events are handed out in the current format (26-byte header with nparams):
 * events of the old block types (EV/EVF, 22-byte header) are converted on the
 * fly, as libscap does. Event memory may be unaligned: read fields with memcpy.
 *
 * This is tool/host-side code (links zlib); plugins never need it.
 * Thread-safety: a reader or writer is used by one thread at a time; distinct
 * readers/writers are independent.
 *
 * Since: 0.1.0
 */
#ifndef FALCO_CAPTURE_H
#define FALCO_CAPTURE_H

#include <falco/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- block types (scap_savefile.h numbering) ---- */
#define FALCO_CAPTURE_BLOCK_SECTION 0x0A0D0D0Au
#define FALCO_CAPTURE_BLOCK_MACHINE 0x201u
#define FALCO_CAPTURE_BLOCK_PROCLIST_V1 0x202u
#define FALCO_CAPTURE_BLOCK_FDLIST 0x203u
#define FALCO_CAPTURE_BLOCK_EV 0x204u
#define FALCO_CAPTURE_BLOCK_IFLIST 0x205u
#define FALCO_CAPTURE_BLOCK_USERLIST 0x206u
#define FALCO_CAPTURE_BLOCK_PROCLIST_V2 0x207u
#define FALCO_CAPTURE_BLOCK_EVF 0x208u
#define FALCO_CAPTURE_BLOCK_PROCLIST_V3 0x209u
#define FALCO_CAPTURE_BLOCK_PROCLIST_V4 0x210u
#define FALCO_CAPTURE_BLOCK_PROCLIST_V5 0x211u
#define FALCO_CAPTURE_BLOCK_PROCLIST_V6 0x212u
#define FALCO_CAPTURE_BLOCK_PROCLIST_V7 0x213u
#define FALCO_CAPTURE_BLOCK_PROCLIST_V8 0x214u
#define FALCO_CAPTURE_BLOCK_PROCLIST_V9 0x215u
#define FALCO_CAPTURE_BLOCK_EV_V2 0x216u
#define FALCO_CAPTURE_BLOCK_EVF_V2 0x217u
#define FALCO_CAPTURE_BLOCK_FDLIST_V2 0x218u
#define FALCO_CAPTURE_BLOCK_IFLIST_V2 0x219u
#define FALCO_CAPTURE_BLOCK_USERLIST_V2 0x220u
#define FALCO_CAPTURE_BLOCK_EV_V2_LARGE 0x221u
#define FALCO_CAPTURE_BLOCK_EVF_V2_LARGE 0x222u
/* Pre-release numbers libscap still reads. */
#define FALCO_CAPTURE_BLOCK_MACHINE_INT 0x8002ABCDu
#define FALCO_CAPTURE_BLOCK_PROCLIST_V1_INT 0x8000ABCDu
#define FALCO_CAPTURE_BLOCK_PROCLIST_V2_INT 0x8013ABCDu
#define FALCO_CAPTURE_BLOCK_PROCLIST_V3_INT 0x8014ABCDu
#define FALCO_CAPTURE_BLOCK_FDLIST_INT 0x8001ABCDu
#define FALCO_CAPTURE_BLOCK_EV_INT 0x8010ABCDu
#define FALCO_CAPTURE_BLOCK_IFLIST_INT 0x8011ABCDu
#define FALCO_CAPTURE_BLOCK_USERLIST_INT 0x8012ABCDu

/* Size of the current event header (ts, tid, len, type, nparams). */
#define FALCO_CAPTURE_EVENT_HEADER_LEN 26u

/* ---- errors ---- */

/* Filled by the calls that have no handle to keep a message in (open). */
typedef struct falco_capture_error {
    falco_rc rc;
    char msg[512]; /* NUL-terminated; names the path/offset and the problem */
} falco_capture_error;

/* ---- metadata ---- */

typedef struct falco_capture_machine_info {
    uint32_t num_cpus;
    uint64_t memory_size_bytes;
    uint64_t max_pid;
    char hostname[129]; /* NUL-terminated (128 bytes on disk) */
    uint64_t boot_ts_epoch; /* ns since the epoch; 0 when the writer did not know */
    uint64_t flags;
} falco_capture_machine_info;

/* A byte string that may hold NULs (args, env, cgroups are NUL-separated lists). */
typedef struct falco_capture_bytes {
    const char *data; /* NUL-terminated after len bytes, so plain strings print as is */
    size_t len;
} falco_capture_bytes;

/* One entry of the process list (a thread, really: tid is the key). Fields a
 * block version does not carry hold libscap's defaults (-1 for sid/vpgid/vtid/
 * vpid, UINT32_MAX for loginuid, 0 elsewhere). */
typedef struct falco_capture_process {
    uint64_t tid, pid, ptid;
    int64_t sid, vpgid;
    const char *comm, *exe, *exepath, *cwd, *root; /* never NULL, maybe "" */
    falco_capture_bytes args, env, cgroups;
    uint64_t fdlimit;
    uint32_t flags, uid, gid;
    uint32_t vmsize_kb, vmrss_kb, vmswap_kb;
    uint64_t pfmajor, pfminor;
    int64_t vtid, vpid;
    uint64_t pidns_init_start_ts;
    uint32_t tty, loginuid;
    bool exe_writable, exe_upper_layer, exe_from_memfd;
    uint64_t cap_inheritable, cap_permitted, cap_effective;
    uint64_t exe_ino, exe_ino_ctime, exe_ino_mtime;
} falco_capture_process;

/* scap fd types as stored on disk. */
typedef enum falco_capture_fd_type {
    FALCO_CAPTURE_FD_UNKNOWN = 0,
    FALCO_CAPTURE_FD_FILE = 1,
    FALCO_CAPTURE_FD_DIRECTORY = 2,
    FALCO_CAPTURE_FD_IPV4_SOCK = 3,
    FALCO_CAPTURE_FD_IPV6_SOCK = 4,
    FALCO_CAPTURE_FD_IPV4_SERVSOCK = 5,
    FALCO_CAPTURE_FD_IPV6_SERVSOCK = 6,
    FALCO_CAPTURE_FD_FIFO = 7,
    FALCO_CAPTURE_FD_UNIX_SOCK = 8,
    FALCO_CAPTURE_FD_EVENT = 9,
    FALCO_CAPTURE_FD_UNSUPPORTED = 10,
    FALCO_CAPTURE_FD_SIGNALFD = 11,
    FALCO_CAPTURE_FD_EVENTPOLL = 12,
    FALCO_CAPTURE_FD_INOTIFY = 13,
    FALCO_CAPTURE_FD_TIMERFD = 14,
    FALCO_CAPTURE_FD_NETLINK = 15,
    FALCO_CAPTURE_FD_FILE_V2 = 16,
    FALCO_CAPTURE_FD_BPF = 17,
    FALCO_CAPTURE_FD_USERFAULTFD = 18,
    FALCO_CAPTURE_FD_IOURING = 19,
    FALCO_CAPTURE_FD_MEMFD = 20,
    FALCO_CAPTURE_FD_PIDFD = 21
} falco_capture_fd_type;

/* One open fd of a thread. Addresses are in network byte order as on disk;
 * an IPv4 address uses the first 4 bytes of sip/dip. Only the members of the
 * fd's type are meaningful; the rest are zero. */
typedef struct falco_capture_fd {
    uint64_t tid; /* the thread (process list tid) owning the fd */
    int64_t fd;
    uint64_t ino;
    uint8_t type; /* falco_capture_fd_type; an unknown value is kept as is */
    uint8_t sip[16], dip[16];      /* sockets; server sockets use sip */
    uint16_t sport, dport;         /* server sockets use sport */
    uint8_t l4proto;
    uint64_t unix_source, unix_dest;
    uint32_t open_flags, dev;      /* FILE_V2 */
    const char *name;              /* path or socket name; never NULL, maybe "" */
} falco_capture_fd;

typedef struct falco_capture_user {
    uint32_t uid, gid;
    const char *name, *homedir, *shell;
} falco_capture_user;

typedef struct falco_capture_group {
    uint32_t gid;
    const char *name;
} falco_capture_group;

/* Interface entry types (scap_ifinfo type). */
#define FALCO_CAPTURE_IF_IPV4 1
#define FALCO_CAPTURE_IF_IPV6 2
#define FALCO_CAPTURE_IF_IPV4_NOLINKSPEED 3
#define FALCO_CAPTURE_IF_IPV6_NOLINKSPEED 4

typedef struct falco_capture_interface {
    uint16_t type;  /* FALCO_CAPTURE_IF_*; the NOLINKSPEED ones read back as IPV4/IPV6 */
    uint8_t addr[16], netmask[16], bcast[16]; /* IPv4 uses the first 4 bytes */
    uint64_t linkspeed;
    const char *name;
} falco_capture_interface;

/* Everything the metadata blocks said. Arrays are in file order. */
typedef struct falco_capture_metadata {
    const falco_capture_machine_info *machine; /* NULL: no machine info block */
    const falco_capture_process *processes;
    size_t process_count;
    const falco_capture_fd *fds; /* grouped by tid in file order */
    size_t fd_count;
    const falco_capture_user *users;
    size_t user_count;
    const falco_capture_group *groups;
    size_t group_count;
    const falco_capture_interface *interfaces;
    size_t interface_count;
} falco_capture_metadata;

/* ---- reader ---- */

typedef struct falco_capture_reader falco_capture_reader;

/* Where an event came from. */
typedef struct falco_capture_block_info {
    uint64_t offset;     /* offset of the block in the uncompressed stream */
    uint32_t block_type; /* FALCO_CAPTURE_BLOCK_EV* */
    uint32_t block_len;  /* total block length, header and trailer included */
    uint16_t cpu;
    uint32_t flags;      /* EVF blocks; 0 for EV blocks */
    uint64_t index;      /* 0-based number of the event in the file */
    bool converted;      /* an old-format event rewritten to the current header */
    /* The pcapng comment option of the block (editcap adds them), not
     * NUL-terminated; NULL when absent. Valid like the event. */
    const char *comment;
    size_t comment_len;
} falco_capture_block_info;

/* Opens a capture file, plain or gzip'd (detected by magic), and reads the
 * section header and the metadata blocks up to the first event. Returns a
 * reader the caller frees with falco_capture_close(), or NULL with err filled
 * (err may be NULL). Since: 0.1.0 */
falco_capture_reader *falco_capture_open(const char *path, falco_capture_error *err);

/* Same as falco_capture_open over len bytes at data (plain or gzip'd). The
 * reader does not copy data: it must stay valid until falco_capture_close(). */
falco_capture_reader *falco_capture_open_memory(const void *data, size_t len, falco_capture_error *err);

/* Reads the next event. On FALCO_OK, *event and *len give the whole event
 * (header included) inside the reader's buffer, valid until the next call of
 * falco_capture_next() or falco_capture_close() on this reader; info (may be
 * NULL) tells where it came from. Returns FALCO_EOF at a clean end of file
 * (the file ends on a block boundary), or an error code (FALCO_ETRUNCATED,
 * FALCO_EPARSE, FALCO_ENOMEM, FALCO_ERROR for I/O) with falco_capture_errmsg()
 * naming the block offset and the problem; every event before a bad block has
 * been delivered. After EOF or an error, further calls return the same code.
 * Blocks of unknown type are skipped; metadata blocks after the first event are
 * checked for framing and skipped (falco_capture_metadata() does not change). */
falco_rc falco_capture_next(falco_capture_reader *r, const void **event, size_t *len,
                            falco_capture_block_info *info);

/* The message of the last failure on r ("" when none). Owned by r, valid until
 * the next call on r. */
const char *falco_capture_errmsg(const falco_capture_reader *r);

/* The decoded metadata blocks. Owned by r, valid (and unchanged) until
 * falco_capture_close(r). */
const falco_capture_metadata *falco_capture_get_metadata(const falco_capture_reader *r);

/* The section header's format version (1.2 for current writers). */
void falco_capture_version(const falco_capture_reader *r, uint16_t *major, uint16_t *minor);

/* The processes' fds: a pointer into falco_capture_get_metadata()->fds at the
 * first fd of tid and their number in *count; NULL and 0 when tid has none. */
const falco_capture_fd *falco_capture_fds_of(const falco_capture_reader *r, uint64_t tid, size_t *count);

/* The process with this tid, or NULL. Owned by r until close. */
const falco_capture_process *falco_capture_find_process(const falco_capture_reader *r, uint64_t tid);

/* Frees r and everything it handed out. NULL is allowed. */
void falco_capture_close(falco_capture_reader *r);

/* ---- converter: events as libsinsp sees them ---- */

/*
 * libscap's savefile reader does not hand events to libsinsp as they are
 * written: it upgrades old layouts to the current event table and merges each
 * enter event into its exit event. The converter does the same, with the rules
 * of libs 48dfd53 (event schema FALCO_EVT_SCHEMA_VERSION):
 * - an enter event of a converted syscall is kept per thread (tid) as the
 *   pending enter, and usually not delivered; its exit gets the parameters
 *   the current table moved from the enter to the exit;
 * - an old exit layout is rebuilt as the current type, parameters the old
 *   layout lacks added empty (zero-length: libsinsp shows <NA>) or with the
 *   type's default value, as libscap does for each;
 * - old enter events that no rule converts are dropped; events of unknown
 *   types are skipped, as libscap skips them.
 * Delivered events are numbered the way libsinsp numbers them (evt.num, from
 * 1). libsinsp also numbers, and hands to plugin parsers, but does not return
 * (no output, no extraction) the few enter events libscap passes through
 * (open's, connect's...): those come out with info.shown false.
 *
 *   falco_capture_converter *c = falco_capture_converter_new(NULL);
 *   while (falco_capture_next(r, &ev, &len, &info) == FALCO_OK) {
 *       if (falco_capture_converter_feed(c, ev, len, &info) != FALCO_OK) break; // errmsg(c)
 *       while (falco_capture_converter_next(c, &out, &outlen, &cinfo) == FALCO_OK)
 *           use(out, outlen, cinfo.evtnum, cinfo.shown);
 *   }
 *   falco_capture_converter_free(c);
 *
 * Memory is bounded: one working event, plus one copy per thread with a
 * pending enter event, at most FALCO_CAPTURE_CONVERTER_MAX_PENDING threads
 * (feeding past that fails with FALCO_ENOMEM). A converter is used by one
 * thread at a time. Since: 0.1.0
 */
typedef struct falco_capture_converter falco_capture_converter;

/* Threads that may have a pending enter event at once. */
#define FALCO_CAPTURE_CONVERTER_MAX_PENDING 65536u

/* About one converted event. */
typedef struct falco_capture_converted_info {
    uint64_t evtnum;       /* libsinsp's evt.num of this event */
    uint64_t index;        /* 0-based number in the file of the event it came from */
    uint64_t offset;       /* block offset of that event (0 when fed without info) */
    uint16_t original_type; /* its type as written */
    bool converted;        /* the bytes differ from the event as written */
    bool shown;            /* libsinsp returns it; false: parsed and numbered only */
} falco_capture_converted_info;

/* Returns a new converter the caller frees with falco_capture_converter_free(),
 * or NULL with err filled (err may be NULL) when out of memory. */
falco_capture_converter *falco_capture_converter_new(falco_capture_error *err);

/* Feeds the next event of the file (len bytes, current 26-byte header layout,
 * as falco_capture_next() hands them out; info may be NULL, then events are
 * counted from 0 and offsets are 0). The converter copies what it keeps.
 * Returns FALCO_OK (then call falco_capture_converter_next() until it returns
 * FALCO_EOF), or FALCO_EPARSE / FALCO_ETRUNCATED for a malformed event (bad
 * header or lengths, an exit whose pending enter event is of another syscall,
 * a layout no rule converts), FALCO_ENOMEM; the message, from
 * falco_capture_converter_errmsg(), names the event number and block offset.
 * A failed event is dropped; feeding may go on with the next one. FALCO_EINVAL
 * for a NULL c. */
falco_rc falco_capture_converter_feed(falco_capture_converter *c, const void *event, size_t len,
                                      const falco_capture_block_info *info);

/* Hands out the next converted event of the last feed: FALCO_OK with *event
 * and *len (the whole event, inside the converter: valid until the next feed,
 * next or free call on c; unaligned) and info (may be NULL) filled, or
 * FALCO_EOF when the last feed has nothing more. */
falco_rc falco_capture_converter_next(falco_capture_converter *c, const void **event, size_t *len,
                                      falco_capture_converted_info *info);

/* The message of the last failure on c ("" when none); owned by c, valid until
 * the next call on c. */
const char *falco_capture_converter_errmsg(const falco_capture_converter *c);

/* The number of threads with a pending enter event right now. */
size_t falco_capture_converter_pending(const falco_capture_converter *c);

/* Frees c and everything it kept (NULL allowed). */
void falco_capture_converter_free(falco_capture_converter *c);

/* ---- writer ---- */

typedef struct falco_capture_writer falco_capture_writer;

typedef struct falco_capture_writer_options {
    bool gzip;       /* compress the file (the reader detects it either way) */
    int gzip_level;  /* 1..9, 0 for zlib's default */
    /* Metadata to write after the section header (NULL: a machine info block
     * with num_cpus = 1 and nothing else). The writer copies what it needs
     * during open; the caller keeps ownership. */
    const falco_capture_metadata *metadata;
} falco_capture_writer_options;

/* Creates (truncates) path and writes the section header and the metadata
 * blocks in the layout current libscap writes (machine info, IL_V2, UL_V2,
 * PL_V9, FDL_V2). options may be NULL (plain file, default metadata). Returns
 * a writer the caller must pass to falco_capture_writer_close(), or NULL with
 * err filled (err may be NULL). Since: 0.1.0 */
falco_capture_writer *falco_capture_writer_open(const char *path, const falco_capture_writer_options *options,
                                                falco_capture_error *err);

/* Appends one event (len bytes at event, header included, current 26-byte
 * header format) as an EV_V2 block, EVF_V2 when flags != 0, and their _LARGE
 * variants for large-payload events (322, 324, 402) or blocks beyond 64 KiB.
 * The header is checked first (len field equal to len, parameter lengths inside
 * the event); returns FALCO_EINVAL naming the problem, FALCO_ERROR on a write
 * failure (see falco_capture_writer_errmsg), FALCO_OK otherwise. The writer
 * does not keep event. */
falco_rc falco_capture_writer_write_event(falco_capture_writer *w, const void *event, size_t len, uint16_t cpu,
                                          uint32_t flags);

/* The message of the last failure on w ("" when none); owned by w. */
const char *falco_capture_writer_errmsg(const falco_capture_writer *w);

/* Flushes and closes the file, frees w (NULL allowed). Returns FALCO_OK, or
 * FALCO_ERROR with err filled when anything failed to reach the file (a write
 * error earlier included). */
falco_rc falco_capture_writer_close(falco_capture_writer *w, falco_capture_error *err);

/* ---- helpers ---- */

/* True for the block types that carry one event. */
bool falco_capture_is_event_block(uint32_t block_type);

/* A short static name of a block type ("EVF_V2", "PROCLIST_V9"), or "UNKNOWN". */
const char *falco_capture_block_name(uint32_t block_type);

/* True for the event types whose parameter lengths are 32-bit (322, 324, 402). */
bool falco_capture_is_large_payload(uint16_t event_type);

#ifdef __cplusplus
}
#endif
#endif /* FALCO_CAPTURE_H */
