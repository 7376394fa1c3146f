/*
 * table_threads.c - the host's `threads` table: libsinsp's key (int64 tid),
 * field names, types and read-only flags (as `plughost -T brief` lists them
 * for libsinsp at plugin API 3.12), the nested args, env, cgroups and
 * file_descriptors tables, and the rules libsinsp applies when it builds the
 * table from a capture's process and fd lists.
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <falco/event.h>

#include "host_internal.h"
#include "table_mem.h"

/* libsinsp's thread flags set on every thread read from a process list:
 * PPM_CL_NAME_CHANGED | PPM_CL_ACTIVE. */
#define PROC_LIST_THREAD_FLAGS ((1u << 17) | (1u << 19))
/* libsinsp's fd flag for fds read from a process list: FLAGS_FROM_PROC. */
#define PROC_LIST_FD_FLAGS 1u

typedef struct field_def {
    const char *name;
    falco_abi_state_type type;
    bool read_only;
    size_t offset; /* in falco_host_thread / falco_host_fd; SIZE_MAX: not set from it */
} field_def;

#define TH(name, type, ro, member) { name, FALCO_ABI_ST_##type, ro, offsetof(falco_host_thread, member) }
#define NONE SIZE_MAX

/* Order as libsinsp defines them does not matter to plugins; names, types
 * and read-only flags do. */
static const field_def thread_fields[] = {
    TH("tid", INT64, false, tid),
    TH("pid", INT64, false, pid),
    TH("ptid", INT64, false, ptid),
    TH("reaper_tid", INT64, false, reaper_tid),
    TH("sid", INT64, false, sid),
    TH("comm", STRING, false, comm),
    TH("exe", STRING, false, exe),
    TH("exe_path", STRING, false, exe_path),
    TH("exe_writable", BOOL, false, exe_writable),
    TH("exe_upper_layer", BOOL, false, exe_upper_layer),
    TH("exe_lower_layer", BOOL, false, exe_lower_layer),
    TH("exe_from_memfd", BOOL, false, exe_from_memfd),
    TH("exe_ino", UINT64, false, exe_ino),
    TH("exe_ino_ctime", UINT64, false, exe_ino_ctime),
    TH("exe_ino_mtime", UINT64, false, exe_ino_mtime),
    { "args", FALCO_ABI_ST_TABLE, true, NONE },
    { "env", FALCO_ABI_ST_TABLE, true, NONE },
    { "cgroups", FALCO_ABI_ST_TABLE, true, NONE },
    { "file_descriptors", FALCO_ABI_ST_TABLE, true, NONE },
    TH("cwd", STRING, true, cwd),
    TH("fd_limit", INT64, false, fd_limit),
    TH("flags", UINT32, false, flags),
    TH("uid", UINT32, false, uid),
    TH("gid", UINT32, false, gid),
    TH("loginuid", UINT32, false, loginuid),
    TH("tty", UINT32, false, tty),
    TH("vtid", INT64, false, vtid),
    TH("vpid", INT64, false, vpid),
    TH("vpgid", INT64, false, vpgid),
    TH("pgid", INT64, false, pgid),
    TH("pidns_init_start_ts", UINT64, false, pidns_init_start_ts),
    TH("root", STRING, false, root),
};

#define FD(name, type, member) { name, FALCO_ABI_ST_##type, false, offsetof(falco_host_fd, member) }

static const field_def fd_fields[] = {
    FD("type", UINT8, type),
    FD("open_flags", UINT32, open_flags),
    FD("name", STRING, name),
    FD("name_raw", STRING, name_raw),
    FD("old_name", STRING, old_name),
    FD("flags", UINT32, flags),
    FD("dev", UINT32, dev),
    FD("mount_id", UINT32, mount_id),
    FD("ino", UINT64, ino),
    FD("pid", INT64, pid),
    FD("fd", INT64, fd),
    FD("socket_ipv4_src_ip", UINT32, socket_ipv4_src_ip),
    FD("socket_ipv4_dest_dip", UINT32, socket_ipv4_dest_dip),
    FD("socket_ipv4_src_port", UINT16, socket_ipv4_src_port),
    FD("socket_ipv4_dst_port", UINT16, socket_ipv4_dst_port),
    FD("socket_ipv4_l4_proto", UINT8, socket_ipv4_l4_proto),
    FD("socket_ipv6_src_ip_low", UINT64, socket_ipv6_src_ip_low),
    FD("socket_ipv6_src_ip_high", UINT64, socket_ipv6_src_ip_high),
    FD("socket_ipv6_dest_ip_low", UINT64, socket_ipv6_dest_ip_low),
    FD("socket_ipv6_dest_ip_high", UINT64, socket_ipv6_dest_ip_high),
    FD("socket_ipv6_src_port", UINT16, socket_ipv6_src_port),
    FD("socket_ipv6_dst_port", UINT16, socket_ipv6_dst_port),
    FD("socket_ipv6_l4_proto", UINT8, socket_ipv6_l4_proto),
    FD("socket_ipv4_server_ip", UINT32, socket_ipv4_server_ip),
    FD("socket_ipv4_server_port", UINT16, socket_ipv4_server_port),
    FD("socket_ipv4_server_l4_proto", UINT8, socket_ipv4_server_l4_proto),
    FD("socket_ipv6_server_ip_low", UINT64, socket_ipv6_server_ip_low),
    FD("socket_ipv6_server_ip_high", UINT64, socket_ipv6_server_ip_high),
    FD("socket_ipv6_server_port", UINT16, socket_ipv6_server_port),
    FD("socket_ipv6_server_l4_proto", UINT8, socket_ipv6_server_l4_proto),
    FD("socket_unix_src", UINT64, socket_unix_src),
    FD("socket_unix_dest", UINT64, socket_unix_dest),
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* What a thread's last enter event said, kept for its exit: its type, the
 * fd it used (libsinsp's lastevent_fd) and a socket's domain. */
struct pending_enter {
    bool used, has_fd, has_domain;
    uint16_t type;
    int64_t tid, fd;
    uint32_t domain;
};

struct falco__host_threads {
    falco__host_table *table;
    falco__host_field *tf[COUNT(thread_fields)];
    falco__host_field *ff[COUNT(fd_fields)];
    falco__host_field *value_args, *value_env, *cg_first, *cg_second;
    struct pending_enter enters[32];
    size_t next_enter;
    bool close_pending, exit_pending;
    int64_t close_tid, close_fd, exit_tid;
};

static falco__host_schema *schema_of(const char *name, falco_abi_state_type key, const field_def *defs, size_t n,
                                     falco__host_field **out)
{
    falco__host_schema *s = falco__host_schema_new(name, key);
    for (size_t i = 0; s && i < n; i++)
        if (defs[i].type != FALCO_ABI_ST_TABLE &&
            !(out[i] = falco__host_schema_add(s, defs[i].name, defs[i].type, defs[i].read_only, false, NULL))) {
            falco__host_schema_free(s);
            s = NULL;
        }
    return s;
}

/* A nested table of single strings keyed by index (args, env). */
static falco__host_schema *list_schema(const char *name, falco__host_field **value)
{
    falco__host_schema *s = falco__host_schema_new(name, FALCO_ABI_ST_UINT64);
    if (s && !(*value = falco__host_schema_add(s, "value", FALCO_ABI_ST_STRING, false, false, NULL))) {
        falco__host_schema_free(s);
        s = NULL;
    }
    return s;
}

static size_t def_index(const char *name)
{
    for (size_t i = 0; i < COUNT(thread_fields); i++)
        if (strcmp(thread_fields[i].name, name) == 0)
            return i;
    return 0;
}

/* libsinsp's threads of a process share its fd table: a thread other than
 * the main one reads the main thread's file_descriptors (its own when the
 * main thread is not in the table). */
static falco__host_table *process_fds(falco__host_entry *e, const falco__host_field *f, void *userdata)
{
    struct falco__host_threads *th = userdata;
    int64_t tid = (int64_t)falco__host_mem_int(e, th->tf[def_index("tid")]);
    int64_t pid = (int64_t)falco__host_mem_int(e, th->tf[def_index("pid")]);
    if (tid == pid)
        return NULL;
    falco_abi_state_data key = { .s64 = pid };
    falco__host_entry *main_thread = falco__host_mem_find(th->table, &key);
    return main_thread ? falco__host_mem_sub(main_thread, f) : NULL;
}

falco_rc falco__host_threads_setup(falco__host_tables *reg)
{
    struct falco__host_threads *th = calloc(1, sizeof *th);
    if (!th)
        return FALCO_ENOMEM;
    *falco__host_tables_threads(reg) = th;
    falco__host_schema *s = schema_of("threads", FALCO_ABI_ST_INT64, thread_fields, COUNT(thread_fields), th->tf);
    if (!s)
        return FALCO_ENOMEM;
    /* the nested tables, in their places of thread_fields */
    for (size_t i = 0; i < COUNT(thread_fields); i++) {
        const field_def *d = &thread_fields[i];
        if (d->type != FALCO_ABI_ST_TABLE)
            continue;
        falco__host_schema *sub = NULL;
        if (strcmp(d->name, "args") == 0) {
            sub = list_schema("args", &th->value_args);
        } else if (strcmp(d->name, "env") == 0) {
            sub = list_schema("env", &th->value_env);
        } else if (strcmp(d->name, "cgroups") == 0) {
            sub = falco__host_schema_new("cgroups", FALCO_ABI_ST_UINT64);
            if (sub)
                th->cg_first = falco__host_schema_add(sub, "first", FALCO_ABI_ST_STRING, false, false, NULL);
            if (sub && th->cg_first)
                th->cg_second = falco__host_schema_add(sub, "second", FALCO_ABI_ST_STRING, false, false, NULL);
            if (sub && (!th->cg_first || !th->cg_second)) {
                falco__host_schema_free(sub);
                sub = NULL;
            }
        } else {
            sub = schema_of("file_descriptors", FALCO_ABI_ST_INT64, fd_fields, COUNT(fd_fields), th->ff);
        }
        if (!sub || !(th->tf[i] = falco__host_schema_add(s, d->name, FALCO_ABI_ST_TABLE, true, false, sub))) {
            falco__host_schema_free(s);
            return FALCO_ENOMEM;
        }
    }
    if (!(th->table = falco__host_tables_add_mem(reg, s)))
        return FALCO_ENOMEM;
    falco__host_field_set_alias(falco__host_schema_field(s, "file_descriptors"), process_fds, th);
    return FALCO_OK;
}

void falco__host_threads_free(struct falco__host_threads *th)
{
    free(th); /* the table belongs to the registry */
}

/* Reads the member at d->offset of base as state data of d->type. */
static falco_abi_state_data member(const void *base, const field_def *d)
{
    const char *p = (const char *)base + d->offset;
    falco_abi_state_data v;
    memset(&v, 0, sizeof v);
    switch (d->type) {
    case FALCO_ABI_ST_INT64: memcpy(&v.s64, p, 8); break;
    case FALCO_ABI_ST_UINT64: memcpy(&v.u64, p, 8); break;
    case FALCO_ABI_ST_UINT32: memcpy(&v.u32, p, 4); break;
    case FALCO_ABI_ST_UINT16: memcpy(&v.u16, p, 2); break;
    case FALCO_ABI_ST_UINT8: memcpy(&v.u8, p, 1); break;
    case FALCO_ABI_ST_BOOL: {
        bool b;
        memcpy(&b, p, sizeof b);
        v.b = b;
        break;
    }
    case FALCO_ABI_ST_STRING: {
        const char *s;
        memcpy(&s, p, sizeof s);
        v.str = s ? s : "";
        break;
    }
    default: break;
    }
    return v;
}

static falco_rc set_str(falco__host_entry *e, const falco__host_field *f, const char *s)
{
    falco_abi_state_data v = { .str = s };
    return falco__host_mem_set(e, f, &v);
}

/* Fills a nested table from NUL-separated strings: one entry per string,
 * keyed 0, 1, ...; with split, "a=b" fills first and second. */
static falco_rc fill_list(falco__host_table *t, const char *data, size_t len, const falco__host_field *value,
                          const falco__host_field *second)
{
    uint64_t k = 0;
    /* libsinsp drops one trailing NUL of args and env, then splits what is
     * left: a lone NUL is no argument at all, not one empty one */
    if (!second && len == 1 && data[0] == '\0')
        return FALCO_OK;
    for (size_t at = 0, n; at < len; at += n + 1) {
        const char *s = data + at;
        n = strnlen(s, len - at);
        const char *eq = second ? memchr(s, '=', n) : NULL;
        if (second && !eq)
            continue; /* libsinsp keeps "controller=path" cgroups only */
        size_t klen = eq ? (size_t)(eq - s) : n;
        char *one = malloc(n + 1);
        if (!one)
            return FALCO_ENOMEM;
        memcpy(one, s, n);
        one[n] = '\0';
        one[klen] = '\0';
        falco_abi_state_data key = { .u64 = k++ };
        falco__host_entry *e = falco__host_mem_upsert(t, &key);
        falco_rc rc = e ? FALCO_OK : FALCO_ENOMEM;
        /* libsinsp names cgroup v2's "io" controller by its v1 name */
        if (rc == FALCO_OK)
            rc = set_str(e, value, second && strcmp(one, "io") == 0 ? "blkio" : one);
        if (rc == FALCO_OK && second)
            rc = set_str(e, second, one + klen + 1);
        free(one);
        if (rc != FALCO_OK)
            return rc;
    }
    return FALCO_OK;
}

falco_rc falco__host_threads_add(falco__host_tables *reg, const falco_host_thread *t)
{
    struct falco__host_threads *th = *falco__host_tables_threads(reg);
    falco_abi_state_data key = { .s64 = t->tid };
    char why[FALCO__HOST_ERRLEN];
    /* a thread stored again starts afresh: no args or fds of the old one */
    (void)falco__host_mem_erase(th->table, &key, why);
    falco__host_entry *e = falco__host_mem_upsert(th->table, &key);
    if (!e)
        return FALCO_ENOMEM;
    bool main_thread = t->tid == t->pid;
    for (size_t i = 0; i < COUNT(thread_fields); i++) {
        const field_def *d = &thread_fields[i];
        if (d->offset == NONE)
            continue;
        falco_abi_state_data v = member(t, d);
        if (strcmp(d->name, "flags") == 0)
            v.u32 |= PROC_LIST_THREAD_FLAGS;
        char *cwd = NULL;
        if (strcmp(d->name, "cwd") == 0) {
            /* libsinsp keeps the cwd on the main thread, ending in '/' */
            size_t n = main_thread ? strlen(v.str) : 0;
            if (!(cwd = malloc(n + 2)))
                return FALCO_ENOMEM;
            memcpy(cwd, v.str, n);
            if (n && cwd[n - 1] != '/')
                cwd[n++] = '/';
            cwd[n] = '\0';
            v.str = cwd;
        }
        falco_rc rc = falco__host_mem_set(e, th->tf[i], &v);
        free(cwd);
        if (rc != FALCO_OK)
            return rc;
    }
    falco__host_table *args = falco__host_mem_sub(e, falco__host_schema_field(
                                                         falco__host_mem_schema(th->table), "args"));
    falco__host_table *env = falco__host_mem_sub(e, falco__host_schema_field(falco__host_mem_schema(th->table), "env"));
    falco__host_table *cg =
        falco__host_mem_sub(e, falco__host_schema_field(falco__host_mem_schema(th->table), "cgroups"));
    if (!args || !env || !cg)
        return FALCO_ENOMEM;
    falco_rc rc = fill_list(args, t->args, t->args ? t->args_len : 0, th->value_args, NULL);
    /* like the cwd, the environment lives on the main thread */
    if (rc == FALCO_OK && main_thread)
        rc = fill_list(env, t->env, t->env ? t->env_len : 0, th->value_env, NULL);
    if (rc == FALCO_OK)
        rc = fill_list(cg, t->cgroups, t->cgroups ? t->cgroups_len : 0, th->cg_first, th->cg_second);
    return rc;
}

falco_rc falco__host_threads_add_fd(falco__host_tables *reg, int64_t tid, const falco_host_fd *fd)
{
    struct falco__host_threads *th = *falco__host_tables_threads(reg);
    falco_abi_state_data key = { .s64 = tid };
    falco__host_entry *e = falco__host_mem_upsert(th->table, &key);
    if (!e)
        return FALCO_ENOMEM;
    falco__host_table *fds =
        falco__host_mem_sub(e, falco__host_schema_field(falco__host_mem_schema(th->table), "file_descriptors"));
    falco_abi_state_data fk = { .s64 = fd->fd };
    falco__host_entry *fe = fds ? falco__host_mem_upsert(fds, &fk) : NULL;
    if (!fe)
        return FALCO_ENOMEM;
    for (size_t i = 0; i < COUNT(fd_fields); i++) {
        falco_abi_state_data v = member(fd, &fd_fields[i]);
        if (strcmp(fd_fields[i].name, "flags") == 0)
            v.u32 |= PROC_LIST_FD_FLAGS;
        falco_rc rc = falco__host_mem_set(fe, th->ff[i], &v);
        if (rc != FALCO_OK)
            return rc;
    }
    return FALCO_OK;
}

/* ---- keeping the table up to date from a syscall stream ----
 *
 * What libsinsp's parsers do with the threads and fds of each event, checked
 * against real libsinsp (plughost) at every point of the test captures
 * (tests/host/test_tables_cli.sh):
 * - every event but clone/fork exits, procexit, context switches and the
 *   meta events makes its thread known (libsinsp adds an "invalid" thread,
 *   with -1 ids and <NA> names, for a tid it has not seen) and active;
 * - execve and clone/fork exits create or refill threads;
 * - open/openat/openat2/creat, socket, socketpair, pipe/pipe2, accept,
 *   dup/dup2/dup3, fcntl F_DUPFD, eventfd, signalfd, timerfd, inotify,
 *   epoll_create, bpf, userfaultfd, io_uring_setup and memfd_create add fds
 *   to the process's table; connect and bind fill a socket's addresses;
 *   reads and writes mark an IP socket connected;
 * - chdir/fchdir/getcwd set the process's cwd, get/set/prlimit its fd
 *   limit, setuid/setgid and friends the thread's uid/gid, setsid its sid,
 *   chroot its root;
 * - a successful close removes its fd, and procexit its thread, when the
 *   next event comes;
 * - an event that uses an fd sets its old_name to its name before the event. */

/* PPM_CL_* thread flags */
#define CL_CLONE_FILES 0x1u
#define CL_CLONE_THREAD 0x2000u
#define CL_CLONE_INVERTED 0x10000u
#define CL_NAME_CHANGED 0x20000u
#define CL_CLOSED 0x40000u
#define CL_ACTIVE 0x80000u
#define CL_PIPE_SRC 0x200000u
#define CL_PIPE_DST 0x400000u
#define CL_CLONE_VFORK 0x8000000u
/* scap fd types */
enum {
    FD_UNKNOWN = 0, FD_DIRECTORY = 2, FD_IPV4_SOCK = 3, FD_IPV6_SOCK = 4, FD_IPV4_SERVSOCK = 5,
    FD_IPV6_SERVSOCK = 6, FD_FIFO = 7, FD_UNIX_SOCK = 8, FD_EVENT = 9, FD_SIGNALFD = 11, FD_EVENTPOLL = 12,
    FD_INOTIFY = 13, FD_TIMERFD = 14, FD_NETLINK = 15, FD_FILE_V2 = 16, FD_BPF = 17, FD_USERFAULTFD = 18,
    FD_IOURING = 19, FD_MEMFD = 20,
};
/* scap l4 protocols, sinsp fd flags, PPM open flags and constants */
enum { L4_UNKNOWN = 0, L4_TCP = 2, L4_UDP = 3, L4_ICMP = 4, L4_RAW = 5 };
#define FDF_ROLE_CLIENT 0x4u
#define FDF_ROLE_SERVER 0x8u
#define FDF_CONNECTED 0x2000u
#define FDF_CLONED 0x4000u
#define FDF_OVERLAY_UPPER 0x20000u
#define FDF_OVERLAY_LOWER 0x40000u
#define O_PPM_DIRECTORY 0x400u
#define O_PPM_CLOEXEC 0x1000u
#define O_PPM_UPPER_LAYER 0x8000u
#define O_PPM_LOWER_LAYER 0x10000u
#define AT_PPM_FDCWD (-100)
#define RLIMIT_PPM_NOFILE 7
#define FCNTL_PPM_DUPFD 1
#define FCNTL_PPM_DUPFD_CLOEXEC 26
#define FCNTL_PPM_SETFD 3
#define ERR_EINPROGRESS 115
#define SOCK_UNION 40 /* libsinsp's socket address union: its largest variant is 37 bytes */

static falco__host_field *tfield(struct falco__host_threads *th, const char *name)
{
    return th->tf[def_index(name)];
}

static falco__host_field *ffield(struct falco__host_threads *th, const char *name)
{
    for (size_t i = 0; i < COUNT(fd_fields); i++)
        if (strcmp(fd_fields[i].name, name) == 0)
            return th->ff[i];
    return NULL;
}

static void set_i64(falco__host_entry *e, falco__host_field *f, int64_t v)
{
    falco_abi_state_data d = { .s64 = v };
    (void)falco__host_mem_set(e, f, &d);
}

static void set_u32(falco__host_entry *e, falco__host_field *f, uint32_t v)
{
    falco_abi_state_data d = { .u32 = v };
    (void)falco__host_mem_set(e, f, &d);
}

static void set_u64(falco__host_entry *e, falco__host_field *f, uint64_t v)
{
    falco_abi_state_data d = { .u64 = v };
    (void)falco__host_mem_set(e, f, &d);
}

static void set_u8(falco__host_entry *e, falco__host_field *f, uint8_t v)
{
    falco_abi_state_data d = { .u8 = v };
    (void)falco__host_mem_set(e, f, &d);
}

/* A field's value read from an entry of t (zeroes when it cannot be read). */
static falco_abi_state_data get(falco__host_table *t, falco__host_entry *e, falco__host_field *f)
{
    falco_abi_state_data v;
    falco__host_table *sub;
    char why[FALCO__HOST_ERRLEN];
    memset(&v, 0, sizeof v);
    if (falco__host_mem_read(t, e, f, &v, &sub, why) != FALCO_ABI_RC_SUCCESS)
        memset(&v, 0, sizeof v);
    return v;
}

/* The index of param name with a value (not absent, not empty), or -1. */
static int pidx(falco_evt_view *v, const char *name)
{
    int i = falco_evt_param_index(v, name);
    return i >= 0 && falco_evt_param_has_value(v, (uint32_t)i) ? i : -1;
}

/* A numeric param with a value, signed or not (as libsinsp's as<int64_t>). */
static bool num(falco_evt_view *v, const char *name, int64_t *out)
{
    int i = pidx(v, name);
    uint64_t u;
    if (i < 0)
        return false;
    if (falco_evt_param_i64(v, (uint32_t)i, out) == FALCO_OK)
        return true;
    if (falco_evt_param_u64(v, (uint32_t)i, &u) != FALCO_OK)
        return false;
    *out = (int64_t)u;
    return true;
}

static bool param_str(falco_evt_view *v, const char *name, const char **s)
{
    size_t n;
    int i = pidx(v, name);
    return i >= 0 && falco_evt_param_str(v, (uint32_t)i, s, &n) == FALCO_OK;
}

static void set_param_str(falco_evt_view *v, falco__host_entry *e, falco__host_field *f, const char *param)
{
    const char *s;
    if (param_str(v, param, &s))
        (void)set_str(e, f, s);
}

/* Refills a nested list table from a NUL-separated bytes param with a value. */
static void set_param_list(struct falco__host_threads *th, falco_evt_view *v, falco__host_entry *e, const char *param,
                           const falco__host_field *value, const falco__host_field *second)
{
    const uint8_t *b;
    size_t n;
    int i = pidx(v, param);
    if (i < 0 || falco_evt_param_bytes(v, (uint32_t)i, &b, &n) != FALCO_OK)
        return;
    falco__host_table *t = falco__host_mem_sub(e, tfield(th, param));
    char why[FALCO__HOST_ERRLEN];
    if (!t || falco__host_mem_clear(t, why) != FALCO_ABI_RC_SUCCESS)
        return;
    (void)fill_list(t, (const char *)b, n, value, second);
}

static falco__host_entry *thread_find(struct falco__host_threads *th, int64_t tid)
{
    falco_abi_state_data key = { .s64 = tid };
    return falco__host_mem_find(th->table, &key);
}

/* A thread the table does not know yet, as libsinsp makes it for a tid it
 * meets in an event: no ids (-1), no names ("<NA>"), unknown users. */
static falco__host_entry *thread_new(struct falco__host_threads *th, int64_t tid)
{
    falco_abi_state_data key = { .s64 = tid };
    falco__host_entry *e = falco__host_mem_upsert(th->table, &key);
    if (!e)
        return NULL;
    set_i64(e, tfield(th, "tid"), tid);
    static const char *const minus1[] = { "pid", "ptid", "vtid", "vpid", "sid", "vpgid", "pgid", "reaper_tid",
                                          "fd_limit" };
    for (size_t i = 0; i < COUNT(minus1); i++)
        set_i64(e, tfield(th, minus1[i]), -1);
    set_u32(e, tfield(th, "uid"), UINT32_MAX);
    set_u32(e, tfield(th, "gid"), UINT32_MAX);
    set_u32(e, tfield(th, "loginuid"), UINT32_MAX);
    set_u32(e, tfield(th, "flags"), CL_NAME_CHANGED);
    (void)set_str(e, tfield(th, "comm"), "<NA>");
    (void)set_str(e, tfield(th, "exe"), "<NA>");
    return e;
}

/* libsinsp's invalid threads: made up from a tid alone. */
static bool thread_invalid(struct falco__host_threads *th, falco__host_entry *e)
{
    return (int64_t)get(th->table, e, tfield(th, "pid")).s64 == -1;
}

static void add_flags(struct falco__host_threads *th, falco__host_entry *e, uint32_t flags)
{
    set_u32(e, tfield(th, "flags"), get(th->table, e, tfield(th, "flags")).u32 | flags);
}

/* The main thread of e's process (e itself when it is one or its main
 * thread is unknown): where libsinsp keeps the cwd, env and fd limit. */
static falco__host_entry *main_of(struct falco__host_threads *th, falco__host_entry *e)
{
    int64_t pid = get(th->table, e, tfield(th, "pid")).s64;
    falco__host_entry *m = pid > 0 ? thread_find(th, pid) : NULL;
    return m ? m : e;
}

/* dir ending in '/' (appended when missing; "" stays ""), then name. */
static char *join_path(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    char *p = malloc(a + b + 2);
    if (!p)
        return NULL;
    memcpy(p, dir, a);
    if (a && p[a - 1] != '/')
        p[a++] = '/';
    memcpy(p + a, name, b + 1);
    return p;
}

/* libsinsp's update_cwd: an absolute path replaces the cwd, a relative one
 * is appended; the cwd ends in '/'. Kept on the main thread. */
static void set_cwd(struct falco__host_threads *th, falco__host_entry *e, const char *path)
{
    falco__host_entry *m = main_of(th, e);
    const char *cur = get(th->table, m, tfield(th, "cwd")).str;
    char *c = path[0] == '/' ? join_path(path, "") : join_path(cur ? cur : "", path);
    if (!c)
        return;
    size_t n = strlen(c);
    char *d = n && c[n - 1] != '/' ? join_path(c, "") : NULL;
    (void)set_str(m, tfield(th, "cwd"), d ? d : c);
    free(d);
    free(c);
}

/* The fd table tid's fds go to: its process's (the main thread's when known). */
static falco__host_table *fds_of(struct falco__host_threads *th, int64_t tid)
{
    falco__host_entry *e = thread_find(th, tid);
    if (!e)
        return NULL;
    falco__host_field *f = tfield(th, "file_descriptors");
    falco__host_table *t = process_fds(e, f, th);
    return t ? t : falco__host_mem_sub(e, f);
}

static falco__host_entry *fd_find(struct falco__host_threads *th, int64_t tid, int64_t fd)
{
    falco__host_table *fds = fds_of(th, tid);
    falco_abi_state_data key = { .s64 = fd };
    return fds ? falco__host_mem_find(fds, &key) : NULL;
}

/* A new fd (replacing one with the same number): every field zero or empty
 * but the number, type, name and open flags. */
static falco__host_entry *fd_new(struct falco__host_threads *th, int64_t tid, int64_t fd, uint8_t type,
                                 const char *name, uint32_t open_flags)
{
    falco__host_table *fds = fds_of(th, tid);
    falco_abi_state_data key = { .s64 = fd };
    char why[FALCO__HOST_ERRLEN];
    if (!fds || fd < 0)
        return NULL;
    (void)falco__host_mem_erase(fds, &key, why); /* a reused number is a new fd */
    falco__host_entry *e = falco__host_mem_upsert(fds, &key);
    if (!e)
        return NULL;
    set_i64(e, ffield(th, "fd"), fd);
    set_u8(e, ffield(th, "type"), type);
    (void)set_str(e, ffield(th, "name"), name);
    set_u32(e, ffield(th, "open_flags"), open_flags);
    return e;
}

/* A copy of fd src of tid's table as fd number to (dup, fcntl F_DUPFD). */
static void fd_copy(struct falco__host_threads *th, int64_t tid, falco__host_entry *src, int64_t to)
{
    falco__host_table *fds = fds_of(th, tid);
    falco_abi_state_data v[COUNT(fd_fields)];
    char *strs[COUNT(fd_fields)] = { NULL };
    if (!fds || to < 0)
        return;
    for (size_t i = 0; i < COUNT(fd_fields); i++) {
        v[i] = get(fds, src, th->ff[i]);
        if (fd_fields[i].type == FALCO_ABI_ST_STRING && !(v[i].str = strs[i] = falco__host_strdup(v[i].str)))
            goto out;
    }
    falco__host_entry *e = fd_new(th, tid, to, v[0].u8, "", 0);
    for (size_t i = 0; e && i < COUNT(fd_fields); i++)
        if (strcmp(fd_fields[i].name, "fd") != 0)
            (void)falco__host_mem_set(e, th->ff[i], &v[i]);
out:
    for (size_t i = 0; i < COUNT(fd_fields); i++)
        free(strs[i]);
}

/* ---- sockets: libsinsp's address union, read and written whole ---- */

static void sock_get(struct falco__host_threads *th, falco__host_table *fds, falco__host_entry *e,
                     uint8_t u[SOCK_UNION])
{
    uint64_t q[4] = { get(fds, e, ffield(th, "socket_ipv6_src_ip_low")).u64,
                      get(fds, e, ffield(th, "socket_ipv6_src_ip_high")).u64,
                      get(fds, e, ffield(th, "socket_ipv6_dest_ip_low")).u64,
                      get(fds, e, ffield(th, "socket_ipv6_dest_ip_high")).u64 };
    uint16_t sp = get(fds, e, ffield(th, "socket_ipv6_src_port")).u16;
    uint16_t dp = get(fds, e, ffield(th, "socket_ipv6_dst_port")).u16;
    memset(u, 0, SOCK_UNION);
    memcpy(u, q, 32);
    memcpy(u + 32, &sp, 2);
    memcpy(u + 34, &dp, 2);
    u[36] = get(fds, e, ffield(th, "socket_ipv6_l4_proto")).u8;
}

static uint64_t at64(const uint8_t *u, size_t at)
{
    uint64_t v;
    memcpy(&v, u + at, 8);
    return v;
}

static uint32_t at32(const uint8_t *u, size_t at)
{
    uint32_t v;
    memcpy(&v, u + at, 4);
    return v;
}

static uint16_t at16(const uint8_t *u, size_t at)
{
    uint16_t v;
    memcpy(&v, u + at, 2);
    return v;
}

/* Every socket member of fd read from the union image u, as libsinsp's table
 * reads each member of every variant. */
static void sock_members(falco_host_fd *fd, const uint8_t u[SOCK_UNION])
{
    fd->socket_ipv4_src_ip = at32(u, 0), fd->socket_ipv4_dest_dip = at32(u, 4);
    fd->socket_ipv4_src_port = at16(u, 8), fd->socket_ipv4_dst_port = at16(u, 10);
    fd->socket_ipv4_l4_proto = u[12];
    fd->socket_ipv4_server_ip = at32(u, 0), fd->socket_ipv4_server_port = at16(u, 4);
    fd->socket_ipv4_server_l4_proto = u[6];
    fd->socket_ipv6_src_ip_low = at64(u, 0), fd->socket_ipv6_src_ip_high = at64(u, 8);
    fd->socket_ipv6_dest_ip_low = at64(u, 16), fd->socket_ipv6_dest_ip_high = at64(u, 24);
    fd->socket_ipv6_src_port = at16(u, 32), fd->socket_ipv6_dst_port = at16(u, 34);
    fd->socket_ipv6_l4_proto = u[36];
    fd->socket_ipv6_server_ip_low = at64(u, 0), fd->socket_ipv6_server_ip_high = at64(u, 8);
    fd->socket_ipv6_server_port = at16(u, 16), fd->socket_ipv6_server_l4_proto = u[18];
    fd->socket_unix_src = at64(u, 0), fd->socket_unix_dest = at64(u, 8);
}

/* Every socket field of e set from the union image u: the socket_* members
 * end falco_host_fd, so its fields from socket_ipv4_src_ip on. */
static void sock_put(struct falco__host_threads *th, falco__host_entry *e, const uint8_t u[SOCK_UNION])
{
    falco_host_fd fd;
    memset(&fd, 0, sizeof fd);
    sock_members(&fd, u);
    for (size_t i = 0; i < COUNT(fd_fields); i++) {
        if (fd_fields[i].offset < offsetof(falco_host_fd, socket_ipv4_src_ip))
            continue;
        falco_abi_state_data v = member(&fd, &fd_fields[i]);
        (void)falco__host_mem_set(e, th->ff[i], &v);
    }
}

falco_rc falco_host_fd_set_socket(falco_host_fd *fd, const falco_host_socket *sock)
{
    if (!fd || !sock)
        return FALCO_EINVAL;
    uint8_t u[SOCK_UNION] = { 0 };
    bool v6 = fd->type == FD_IPV6_SOCK || fd->type == FD_IPV6_SERVSOCK;
    size_t n = v6 ? 16 : 4;
    switch (fd->type) {
    case FD_IPV4_SOCK:
    case FD_IPV6_SOCK: /* sip, dip, sport, dport, l4proto */
        if (!sock->sip || !sock->dip)
            return FALCO_EINVAL;
        memcpy(u, sock->sip, n);
        memcpy(u + n, sock->dip, n);
        memcpy(u + 2 * n, &sock->sport, 2);
        memcpy(u + 2 * n + 2, &sock->dport, 2);
        u[2 * n + 4] = sock->l4proto;
        break;
    case FD_IPV4_SERVSOCK:
    case FD_IPV6_SERVSOCK: /* ip, port, l4proto */
        if (!sock->sip)
            return FALCO_EINVAL;
        memcpy(u, sock->sip, n);
        memcpy(u + n, &sock->sport, 2);
        u[n + 2] = sock->l4proto;
        break;
    case FD_UNIX_SOCK:
        memcpy(u, &sock->unix_src, 8);
        memcpy(u + 8, &sock->unix_dest, 8);
        break;
    default:
        return FALCO_EINVAL;
    }
    sock_members(fd, u);
    return FALCO_OK;
}

static bool mapped4(const uint8_t a[16])
{
    static const uint8_t prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
    return memcmp(a, prefix, 12) == 0;
}

/* "ip:port" as libsinsp names socket ends (no brackets for IPv6). */
static void end_str(char *out, size_t size, bool v6, const uint8_t *ip, uint16_t port)
{
    char a[INET6_ADDRSTRLEN] = "";
    if (v6)
        (void)inet_ntop(AF_INET6, ip, a, sizeof a);
    else
        snprintf(a, sizeof a, "%u.%u.%u.%u", ip[0], ip[1], ip[2], ip[3]);
    snprintf(out, size, "%s:%u", a, port);
}

/* The name libsinsp gives a connected IP socket of image u. */
static void tuple_name(char *out, size_t size, uint8_t type, const uint8_t u[SOCK_UNION])
{
    char a[64], b[64];
    bool v6 = type == FD_IPV6_SOCK;
    end_str(a, sizeof a, v6, u, v6 ? at16(u, 32) : at16(u, 8));
    end_str(b, sizeof b, v6, u + (v6 ? 16 : 4), v6 ? at16(u, 34) : at16(u, 10));
    snprintf(out, size, "%s->%s", a, b);
}

/* Writes a connection's ends into u (IPv4-mapped IPv6 ones as IPv4).
 * Returns the fd type and whether the image changed (libsinsp's
 * set_ipv{4,6}_addresses_and_ports, destination always overwritten). */
static uint8_t tuple_set(uint8_t u[SOCK_UNION], uint8_t cur_type, const falco_evt_socktuple *t, bool *changed)
{
    bool v6 = t->family == FALCO_AF_INET6 && !(mapped4(t->src_addr) && mapped4(t->dst_addr));
    const uint8_t *sip = t->src_addr, *dip = t->dst_addr;
    if (t->family == FALCO_AF_INET6 && !v6)
        sip += 12, dip += 12;
    size_t n = v6 ? 16 : 4, sp = v6 ? 32 : 8, dp = v6 ? 34 : 10;
    uint8_t type = v6 ? FD_IPV6_SOCK : FD_IPV4_SOCK;
    uint8_t nu[SOCK_UNION];
    memcpy(nu, u, SOCK_UNION);
    memcpy(nu, sip, n);
    memcpy(nu + n, dip, n);
    memcpy(nu + sp, &t->src_port, 2);
    memcpy(nu + dp, &t->dst_port, 2);
    /* the same connection, either way round: nothing changes */
    uint8_t rev[SOCK_UNION];
    memcpy(rev, u, SOCK_UNION);
    memcpy(rev, dip, n);
    memcpy(rev + n, sip, n);
    memcpy(rev + sp, &t->dst_port, 2);
    memcpy(rev + dp, &t->src_port, 2);
    size_t span = v6 ? 36 : 12;
    if (cur_type == type && (memcmp(nu, u, span) == 0 || memcmp(rev, u, span) == 0)) {
        *changed = false;
        return type;
    }
    *changed = memcmp(nu, u, span) != 0;
    memcpy(u, nu, SOCK_UNION);
    return type;
}

/* libsinsp's l4 protocol of socket(domain, type, protocol). */
static uint8_t l4_of(uint32_t type, uint32_t proto)
{
    enum { SK_STREAM = 1, SK_DGRAM = 2, SK_RAW = 3, P_IP = 0, P_ICMP = 1, P_TCP = 6, P_UDP = 17, P_RAW = 255 };
    switch (proto) {
    case P_TCP: return type == SK_RAW ? L4_RAW : L4_TCP;
    case P_UDP: return type == SK_RAW ? L4_RAW : L4_UDP;
    case P_ICMP: return type == SK_RAW ? L4_RAW : L4_ICMP;
    case P_RAW: return L4_RAW;
    case P_IP: return (type & 0xff) == SK_STREAM ? L4_TCP : (type & 0xff) == SK_DGRAM ? L4_UDP : L4_UNKNOWN;
    default: return L4_UNKNOWN;
    }
}

static falco__host_entry *add_socket(struct falco__host_threads *th, int64_t tid, int64_t fd, uint32_t domain,
                                     uint32_t type, uint32_t proto, uint32_t open_flags)
{
    uint8_t u[SOCK_UNION] = { 0 };
    uint8_t ftype = FD_UNKNOWN;
    if (domain == FALCO_AF_UNIX) {
        ftype = FD_UNIX_SOCK;
    } else if (domain == FALCO_AF_INET || domain == FALCO_AF_INET6) {
        ftype = domain == FALCO_AF_INET ? FD_IPV4_SOCK : FD_IPV6_SOCK;
        u[domain == FALCO_AF_INET ? 12 : 36] = l4_of(type, proto);
    } else if (domain == 16) { /* AF_NETLINK */
        ftype = FD_NETLINK;
    }
    falco__host_entry *e = fd_new(th, tid, fd, ftype, "", open_flags);
    if (e)
        sock_put(th, e, u);
    return e;
}

/* ---- the parsers ---- */

/* An enter event's record for its exit. */
static struct pending_enter *enter_slot(struct falco__host_threads *th, int64_t tid, bool make)
{
    for (size_t i = 0; i < COUNT(th->enters); i++)
        if (th->enters[i].used && th->enters[i].tid == tid)
            return &th->enters[i];
    if (!make)
        return NULL;
    struct pending_enter *p = &th->enters[th->next_enter++ % COUNT(th->enters)];
    memset(p, 0, sizeof *p);
    p->used = true;
    p->tid = tid;
    return p;
}

static void on_execve(struct falco__host_threads *th, falco_evt_view *v, falco__host_entry *e)
{
    int64_t tid = (int64_t)v->tid, i;
    const char *exe = "";
    bool invalid = thread_invalid(th, e);
    (void)param_str(v, "exe", &exe);
    (void)set_str(e, tfield(th, "exe"), exe);
    const char *comm;
    (void)set_str(e, tfield(th, "comm"), param_str(v, "comm", &comm) ? comm : exe);
    set_param_list(th, v, e, "args", th->value_args, NULL);
    if (num(v, "pid", &i))
        set_i64(e, tfield(th, "pid"), i);
    int64_t pid = get(th->table, e, tfield(th, "pid")).s64;
    uint32_t flags = get(th->table, e, tfield(th, "flags")).u32;
    if (invalid) { /* what the event tells of a made-up thread */
        if (num(v, "ptid", &i))
            set_i64(e, tfield(th, "ptid"), i);
        set_i64(e, tfield(th, "vtid"), tid);
        set_i64(e, tfield(th, "vpid"), pid);
    }
    if (num(v, "fdlimit", &i))
        set_i64(e, tfield(th, "fd_limit"), i);
    if (tid == pid)
        set_param_list(th, v, e, "env", th->value_env, NULL);
    set_param_list(th, v, e, "cgroups", th->cg_first, th->cg_second);
    if (num(v, "tty", &i))
        set_u32(e, tfield(th, "tty"), (uint32_t)i);
    const char *path;
    if (param_str(v, "trusted_exepath", &path)) {
        (void)set_str(e, tfield(th, "exe_path"), path);
    } else if (param_str(v, "filename", &path)) { /* as given: relative to the cwd */
        char *full = path[0] == '/' ? falco__host_strdup(path)
                                    : join_path(get(th->table, main_of(th, e), tfield(th, "cwd")).str, path);
        if (full)
            (void)set_str(e, tfield(th, "exe_path"), full);
        free(full);
    }
    if (num(v, "vpgid", &i))
        set_i64(e, tfield(th, "vpgid"), i);
    if (num(v, "loginuid", &i))
        set_u32(e, tfield(th, "loginuid"), (uint32_t)i);
    int64_t ef;
    if (num(v, "flags", &ef)) { /* PPM_EXE_WRITABLE, UPPER_LAYER, FROM_MEMFD, LOWER_LAYER */
        static const char *const exe_flags[] = { "exe_writable", "exe_upper_layer", "exe_from_memfd",
                                                 "exe_lower_layer" };
        for (size_t k = 0; k < COUNT(exe_flags); k++) {
            falco_abi_state_data b = { .b = (ef & (1 << k)) != 0 };
            (void)falco__host_mem_set(e, tfield(th, exe_flags[k]), &b);
        }
    }
    int64_t ino, ct, mt;
    if (num(v, "exe_ino", &ino) && num(v, "exe_ino_ctime", &ct) && num(v, "exe_ino_mtime", &mt)) {
        set_u64(e, tfield(th, "exe_ino"), (uint64_t)ino);
        set_u64(e, tfield(th, "exe_ino_ctime"), (uint64_t)ct);
        set_u64(e, tfield(th, "exe_ino_mtime"), (uint64_t)mt);
    }
    if (num(v, "uid", &i))
        set_u32(e, tfield(th, "uid"), (uint32_t)i);
    set_i64(e, tfield(th, "pgid"), num(v, "pgid", &i) ? i : -1);
    if (num(v, "gid", &i))
        set_u32(e, tfield(th, "gid"), (uint32_t)i);
    /* the flags start afresh, keeping the shell-pipe and inverted-clone ones */
    set_u32(e, tfield(th, "flags"),
            CL_ACTIVE | CL_NAME_CHANGED | (flags & (CL_PIPE_SRC | CL_PIPE_DST | CL_CLONE_INVERTED)));
}

/* One fd of a new process's parent copied into the child's table, marked
 * cloned as libsinsp marks it (no capture of the tests forks a process
 * whose parent has fds: this copy is not compared with libsinsp yet). */
struct fd_copy_state {
    struct falco__host_threads *th;
    falco__host_table *from, *to;
};

static falco_abi_bool copy_one_fd(falco_abi_table_iterator_state_t *s, falco_abi_table_entry_t *entry)
{
    struct fd_copy_state *st = s;
    falco__host_entry *src = (falco__host_entry *)entry;
    falco_abi_state_data key = get(st->from, src, ffield(st->th, "fd"));
    falco__host_entry *dst = falco__host_mem_upsert(st->to, &key);
    for (size_t i = 0; dst && i < COUNT(fd_fields); i++) {
        falco_abi_state_data d = get(st->from, src, st->th->ff[i]);
        char *str = NULL;
        if (fd_fields[i].type == FALCO_ABI_ST_STRING && !(d.str = str = falco__host_strdup(d.str)))
            return 0;
        if (strcmp(fd_fields[i].name, "flags") == 0)
            d.u32 |= FDF_CLONED;
        (void)falco__host_mem_set(dst, st->th->ff[i], &d);
        free(str);
    }
    return dst != NULL;
}

/* Copies the fields libsinsp's clone takes from the caller (or the thread it
 * looks up) into the child. */
static void clone_inherit(struct falco__host_threads *th, falco__host_entry *child, falco__host_entry *from,
                          bool leader)
{
    static const char *const same[] = { "exe_path", "exe_writable", "exe_upper_layer", "exe_lower_layer",
                                        "exe_from_memfd", "root", "sid", "vpgid", "pgid", "tty", "loginuid",
                                        "exe_ino", "exe_ino_ctime", "exe_ino_mtime" };
    for (size_t k = 0; k < COUNT(same); k++) {
        falco_abi_state_data d = get(th->table, from, tfield(th, same[k]));
        char *s = NULL;
        if (thread_fields[def_index(same[k])].type == FALCO_ABI_ST_STRING && !(d.str = s = falco__host_strdup(d.str)))
            return;
        (void)falco__host_mem_set(child, tfield(th, same[k]), &d);
        free(s);
    }
    if (!leader)
        return;
    /* a new process: the fds, cwd and environment are copied */
    falco__host_entry *m = main_of(th, from);
    const char *cwd = get(th->table, m, tfield(th, "cwd")).str;
    char *c = falco__host_strdup(cwd);
    if (c)
        (void)set_str(child, tfield(th, "cwd"), c);
    free(c);
    falco__host_table *env = falco__host_mem_sub(m, tfield(th, "env"));
    falco__host_table *cenv = falco__host_mem_sub(child, tfield(th, "env"));
    falco__host_table *fds = fds_of(th, (int64_t)get(th->table, from, tfield(th, "tid")).s64);
    falco__host_table *cfds = falco__host_mem_sub(child, tfield(th, "file_descriptors"));
    for (uint64_t k = 0; env && cenv && k < falco__host_mem_size(env); k++) {
        falco_abi_state_data key = { .u64 = k };
        falco__host_entry *src = falco__host_mem_find(env, &key), *dst = falco__host_mem_upsert(cenv, &key);
        char *s = src && dst ? falco__host_strdup(get(env, src, th->value_env).str) : NULL;
        if (s)
            (void)set_str(dst, th->value_env, s);
        free(s);
    }
    if (!fds || !cfds || fds == cfds)
        return;
    struct fd_copy_state st = { th, fds, cfds };
    (void)falco__host_mem_iterate(fds, copy_one_fd, &st);
}

/* The clone's params that describe the new thread whichever side reports it. */
static void clone_fill(struct falco__host_threads *th, falco_evt_view *v, falco__host_entry *child, uint32_t flags)
{
    int64_t i;
    const char *exe = "", *comm;
    (void)param_str(v, "exe", &exe);
    (void)set_str(child, tfield(th, "exe"), exe);
    (void)set_str(child, tfield(th, "comm"), param_str(v, "comm", &comm) ? comm : exe);
    set_param_list(th, v, child, "args", th->value_args, NULL);
    if (num(v, "fdlimit", &i))
        set_i64(child, tfield(th, "fd_limit"), i);
    if (num(v, "uid", &i))
        set_u32(child, tfield(th, "uid"), (uint32_t)i);
    if (num(v, "gid", &i))
        set_u32(child, tfield(th, "gid"), (uint32_t)i);
    set_param_list(th, v, child, "cgroups", th->cg_first, th->cg_second);
    set_u32(child, tfield(th, "flags"), flags);
}

static void on_clone(struct falco__host_threads *th, falco_evt_view *v, int64_t res)
{
    int64_t tid = (int64_t)v->tid, pid = -1, ptid = -1, f = 0;
    (void)num(v, "pid", &pid);
    (void)num(v, "ptid", &ptid);
    (void)num(v, "flags", &f);
    uint32_t flags = (uint32_t)f;
    bool leader = (flags & CL_CLONE_THREAD) == 0;
    if (res == 0) { /* the child's side: made here only when the caller's did not */
        falco__host_entry *have = thread_find(th, tid);
        if (have)
            return;
        falco__host_entry *child = thread_new(th, tid);
        if (!child)
            return;
        set_i64(child, tfield(th, "pid"), pid);
        set_i64(child, tfield(th, "ptid"), ptid);
        int64_t vt, vp;
        bool nsids = num(v, "vtid", &vt) && num(v, "vpid", &vp);
        set_i64(child, tfield(th, "vtid"), nsids ? vt : tid);
        set_i64(child, tfield(th, "vpid"), nsids ? vp : -1);
        flags |= CL_CLONE_INVERTED | (leader ? 0 : CL_CLONE_FILES);
        clone_fill(th, v, child, flags);
        falco__host_entry *from = thread_find(th, leader ? ptid : pid);
        if (from && !thread_invalid(th, from))
            clone_inherit(th, child, from, leader);
        return;
    }
    /* the caller's side */
    falco__host_entry *caller = thread_find(th, tid);
    if (!caller && !(caller = thread_new(th, tid)))
        return;
    bool valid = !thread_invalid(th, caller);
    if (!valid) {
        set_i64(caller, tfield(th, "pid"), pid);
        set_i64(caller, tfield(th, "ptid"), ptid);
        int64_t vt, vp;
        bool nsids = num(v, "vtid", &vt) && num(v, "vpid", &vp);
        set_i64(caller, tfield(th, "vtid"), nsids ? vt : tid);
        set_i64(caller, tfield(th, "vpid"), nsids ? vp : -1);
    }
    enum { CL_CHILD_IN_PIDNS = 0x20000000, CL_CLONE_NEWPID = 0x40, CL_CLONE_PARENT = 0x100 };
    if ((flags & (CL_CHILD_IN_PIDNS | CL_CLONE_NEWPID | CL_CLONE_PARENT)) ||
        get(th->table, caller, tfield(th, "vtid")).s64 != tid)
        return; /* in a container: the child's side makes it */
    if ((flags & CL_CLONE_VFORK) || strcmp(v->info->name, "vfork") == 0)
        return; /* the child may be gone already: its side makes it */
    falco__host_entry *have = thread_find(th, res);
    if (have && (get(th->table, have, tfield(th, "flags")).u32 & CL_CLONE_INVERTED))
        return; /* made already from the child's side */
    int64_t cpid = leader ? res : get(th->table, caller, tfield(th, "pid")).s64;
    int64_t cptid = leader ? tid : get(th->table, caller, tfield(th, "ptid")).s64;
    if (res == tid && leader)
        cptid = 0; /* the caller's entry is the one replaced: libsinsp reads its tid as 0 then */
    char why[FALCO__HOST_ERRLEN];
    falco_abi_state_data key = { .s64 = res };
    (void)falco__host_mem_erase(th->table, &key, why); /* a stale thread of the same tid */
    falco__host_entry *child = thread_new(th, res);
    caller = thread_find(th, tid); /* the table may have moved entries */
    if (!child || !caller)
        return;
    set_i64(child, tfield(th, "pid"), cpid);
    set_i64(child, tfield(th, "ptid"), cptid);
    set_i64(child, tfield(th, "vtid"), res);
    set_i64(child, tfield(th, "vpid"), cpid);
    clone_fill(th, v, child, flags | (leader ? 0 : CL_CLONE_FILES));
    if (valid) {
        clone_inherit(th, child, caller, leader);
    } else { /* what the event says fills the made-up caller too */
        const char *exe = "", *comm;
        (void)param_str(v, "exe", &exe);
        (void)set_str(caller, tfield(th, "exe"), exe);
        (void)set_str(caller, tfield(th, "comm"), param_str(v, "comm", &comm) ? comm : exe);
        set_param_list(th, v, caller, "args", th->value_args, NULL);
    }
}

static void on_open(struct falco__host_threads *th, falco_evt_view *v, falco__host_entry *e, int64_t fd)
{
    const char *name = "<NA>";
    int64_t fl = 0, dev = 0, ino = 0, dirfd = AT_PPM_FDCWD;
    bool creat = strcmp(v->info->name, "creat") == 0, at = strncmp(v->info->name, "openat", 6) == 0;
    (void)param_str(v, "name", &name);
    if (creat) {
        int64_t cf = 0;
        fl = 0;
        if (num(v, "creat_flags", &cf))
            fl = (cf & 1) ? O_PPM_UPPER_LAYER : (cf & 2) ? O_PPM_LOWER_LAYER : 0;
    } else {
        (void)num(v, "flags", &fl);
    }
    if (at ? num(v, "ino", &ino) && num(v, "dev", &dev) : num(v, "dev", &dev))
        (void)num(v, "ino", &ino);
    char *dir = NULL;
    if (name[0] == '/') {
        dir = falco__host_strdup("");
    } else if (!at || (num(v, "dirfd", &dirfd) && dirfd == AT_PPM_FDCWD)) {
        dir = falco__host_strdup(get(th->table, main_of(th, e), tfield(th, "cwd")).str);
    } else {
        falco__host_entry *d = at ? fd_find(th, (int64_t)v->tid, dirfd) : NULL;
        falco__host_table *fds = fds_of(th, (int64_t)v->tid);
        dir = d ? join_path(get(fds, d, ffield(th, "name")).str, "") : falco__host_strdup("<UNKNOWN>");
    }
    char *full = dir ? join_path(dir, name) : NULL;
    free(dir);
    if (fd >= 0 && full) {
        uint32_t flags = (uint32_t)fl;
        falco__host_entry *f =
            fd_new(th, (int64_t)v->tid, fd, (flags & O_PPM_DIRECTORY) ? FD_DIRECTORY : FD_FILE_V2, full, flags);
        if (f) {
            /* sinsp_fdinfo's overlay flags */
            set_u32(f, ffield(th, "flags"),
                    (flags & O_PPM_UPPER_LAYER)   ? FDF_OVERLAY_UPPER
                    : (flags & O_PPM_LOWER_LAYER) ? FDF_OVERLAY_LOWER
                                                  : 0);
            (void)set_str(f, ffield(th, "name_raw"), name);
            set_u32(f, ffield(th, "dev"), (uint32_t)dev);
            set_u64(f, ffield(th, "ino"), (uint64_t)ino);
        }
    }
    free(full);
}

/* connect: the socket is connected (or connecting) and gets the tuple. */
static void on_connect(struct falco__host_threads *th, falco_evt_view *v, int64_t res, int64_t fd)
{
    falco__host_table *fds = fds_of(th, (int64_t)v->tid);
    falco__host_entry *e = fd_find(th, (int64_t)v->tid, fd);
    if (!e || (res < 0 && res != -ERR_EINPROGRESS))
        return;
    uint32_t fl = get(fds, e, ffield(th, "flags")).u32 | FDF_CONNECTED;
    int ti = pidx(v, "tuple");
    falco_evt_socktuple t;
    if (ti < 0 || falco_evt_param_socktuple(v, (uint32_t)ti, &t) != FALCO_OK) {
        set_u32(e, ffield(th, "flags"), fl);
        return; /* libsinsp falls back on the enter's address, which converted captures lack */
    }
    uint8_t u[SOCK_UNION];
    uint8_t type = get(fds, e, ffield(th, "type")).u8;
    char name[512];
    sock_get(th, fds, e, u);
    if (t.family == FALCO_AF_INET || t.family == FALCO_AF_INET6) {
        bool changed;
        type = tuple_set(u, type, &t, &changed);
        tuple_name(name, sizeof name, type, u);
    } else if (type == FD_UNIX_SOCK) {
        memcpy(u, &t.src_ptr, 8);
        memcpy(u + 8, &t.dst_ptr, 8);
        snprintf(name, sizeof name, "%llx->%llx %.*s", (unsigned long long)t.src_ptr, (unsigned long long)t.dst_ptr,
                 (int)t.path_len, t.path ? t.path : "");
    } else {
        return;
    }
    if (!(fl & (FDF_ROLE_CLIENT | FDF_ROLE_SERVER)))
        fl |= FDF_ROLE_CLIENT;
    set_u8(e, ffield(th, "type"), type);
    sock_put(th, e, u);
    (void)set_str(e, ffield(th, "name"), name);
    set_u32(e, ffield(th, "flags"), fl);
}

static void on_accept(struct falco__host_threads *th, falco_evt_view *v, int64_t fd)
{
    int ti = pidx(v, "tuple");
    falco_evt_socktuple t;
    char name[512];
    if (fd < 0 || ti < 0 || falco_evt_param_socktuple(v, (uint32_t)ti, &t) != FALCO_OK)
        return;
    uint8_t u[SOCK_UNION] = { 0 }, type;
    if (t.family == FALCO_AF_INET || t.family == FALCO_AF_INET6) {
        bool changed;
        type = tuple_set(u, FD_UNKNOWN, &t, &changed);
        u[type == FD_IPV6_SOCK ? 36 : 12] = L4_TCP;
    } else if (t.family == FALCO_AF_UNIX) {
        type = FD_UNIX_SOCK;
        memcpy(u, &t.src_ptr, 8);
        memcpy(u + 8, &t.dst_ptr, 8);
    } else {
        return;
    }
    size_t n = 0;
    (void)falco_evt_format_param(v, (uint32_t)ti, name, sizeof name, &n);
    falco__host_entry *e = fd_new(th, (int64_t)v->tid, fd, type, name, 0);
    if (!e)
        return;
    sock_put(th, e, u);
    set_u32(e, ffield(th, "flags"), FDF_ROLE_SERVER | FDF_CONNECTED);
}

static void on_bind(struct falco__host_threads *th, falco_evt_view *v, int64_t res, int64_t fd)
{
    falco__host_table *fds = fds_of(th, (int64_t)v->tid);
    falco__host_entry *e = fd_find(th, (int64_t)v->tid, fd);
    int ai = pidx(v, "addr");
    falco_evt_sockaddr a;
    if (!e || res < 0 || ai < 0 || falco_evt_param_sockaddr(v, (uint32_t)ai, &a) != FALCO_OK)
        return;
    uint8_t u[SOCK_UNION];
    sock_get(th, fds, e, u);
    if ((a.family == FALCO_AF_INET || a.family == FALCO_AF_INET6) && a.port > 0) {
        bool v4 = a.family == FALCO_AF_INET || mapped4(a.addr);
        uint8_t l4 = v4 && a.family == FALCO_AF_INET ? u[12] : u[36];
        if (v4) {
            memcpy(u, a.family == FALCO_AF_INET ? a.addr : a.addr + 12, 4);
            memcpy(u + 4, &a.port, 2);
            u[6] = l4;
        } else {
            memcpy(u, a.addr, 16);
            memcpy(u + 16, &a.port, 2);
            u[18] = l4;
        }
        set_u8(e, ffield(th, "type"), v4 ? FD_IPV4_SERVSOCK : FD_IPV6_SERVSOCK);
        sock_put(th, e, u);
        set_u32(e, ffield(th, "flags"), get(fds, e, ffield(th, "flags")).u32 | FDF_ROLE_SERVER);
    }
    char name[512];
    size_t n = 0;
    if (falco_evt_format_param(v, (uint32_t)ai, name, sizeof name, &n) == FALCO_OK)
        (void)set_str(e, ffield(th, "name"), name);
}

/* An event that uses fd entry f: its old_name is its name as the event
 * finds it (libsinsp's fd.name_changed compares the two). */
static void keep_name(struct falco__host_threads *th, falco__host_table *fds, falco__host_entry *f)
{
    char *name = falco__host_strdup(get(fds, f, ffield(th, "name")).str);
    if (name)
        (void)set_str(f, ffield(th, "old_name"), name);
    free(name);
}

/* Reads and writes: an IP socket that transfers data is connected, and a
 * socket's tuple comes from send and recv calls when it has none yet (or is not
 * TCP); a send on an fd libsinsp has not seen makes a UDP socket. */
static void on_read_write(struct falco__host_threads *th, falco_evt_view *v, int64_t res, int64_t fd,
                          falco__host_entry *f)
{
    const char *name = v->info->name;
    bool write = (v->info->flags & FALCO_EF_WRITES_TO_FD) != 0;
    bool send = strcmp(name, "send") == 0 || strcmp(name, "sendto") == 0 || strcmp(name, "sendmsg") == 0;
    bool tupled = send || strcmp(name, "sendmmsg") == 0 || strcmp(name, "recv") == 0 ||
                  strcmp(name, "recvfrom") == 0 || strcmp(name, "recvmsg") == 0 || strcmp(name, "recvmmsg") == 0;
    int ti = tupled ? pidx(v, "tuple") : -1;
    falco_evt_socktuple t;
    bool have_tuple = ti >= 0 && falco_evt_param_socktuple(v, (uint32_t)ti, &t) == FALCO_OK;
    int64_t tid = (int64_t)v->tid;
    if (!f && send && res >= 0 && fd >= 0 && have_tuple && (t.family == FALCO_AF_INET || t.family == FALCO_AF_INET6))
        f = add_socket(th, tid, fd, t.family, 2 /* SOCK_DGRAM */, 17 /* IPPROTO_UDP */, 0);
    falco__host_table *fds = fds_of(th, tid);
    if (!f || res < 0)
        return;
    uint8_t type = get(fds, f, ffield(th, "type")).u8;
    uint32_t fl = get(fds, f, ffield(th, "flags")).u32;
    if (type == FD_IPV4_SOCK || type == FD_IPV6_SOCK)
        set_u32(f, ffield(th, "flags"), fl |= FDF_CONNECTED);
    if (!have_tuple || (t.family != FALCO_AF_INET && t.family != FALCO_AF_INET6))
        return;
    uint8_t u[SOCK_UNION];
    sock_get(th, fds, f, u);
    const char *cur = get(fds, f, ffield(th, "name")).str;
    bool tcp = (type == FD_IPV4_SOCK && u[12] == L4_TCP) || (type == FD_IPV6_SOCK && u[36] == L4_TCP);
    if (cur && cur[0] && tcp)
        return;
    if (type == FD_IPV4_SERVSOCK && t.family == FALCO_AF_INET)
        u[12] = u[6]; /* a server socket's protocol carries over */
    bool changed;
    uint8_t nt = tuple_set(u, type, &t, &changed);
    if (!changed)
        return;
    size_t l4 = nt == FD_IPV6_SOCK ? 36 : 12;
    if (u[l4] == L4_UNKNOWN)
        u[l4] = L4_UDP;
    if (!(fl & (FDF_ROLE_CLIENT | FDF_ROLE_SERVER)))
        fl |= FDF_ROLE_CLIENT; /* libsinsp guesses from the ports it knows; none here */
    if ((write && (fl & FDF_ROLE_SERVER)) || (!write && (fl & FDF_ROLE_CLIENT))) {
        bool v6 = nt == FD_IPV6_SOCK;
        size_t n = v6 ? 16 : 4, sp = v6 ? 32 : 8;
        uint8_t tmp[18];
        memcpy(tmp, u, n), memcpy(u, u + n, n), memcpy(u + n, tmp, n);
        memcpy(tmp, u + sp, 2), memcpy(u + sp, u + sp + 2, 2), memcpy(u + sp + 2, tmp, 2);
    }
    char tn[512];
    tuple_name(tn, sizeof tn, nt, u);
    set_u8(f, ffield(th, "type"), nt);
    sock_put(th, f, u);
    (void)set_str(f, ffield(th, "name"), tn);
    set_u32(f, ffield(th, "flags"), fl);
}

/* The fd an exit event refers to: its enter's when that was its own enter
 * and said one, else its own fd param (libsinsp's lastevent_fd). */
static bool exit_fd(struct falco__host_threads *th, falco_evt_view *v, int64_t *fd)
{
    struct pending_enter *p = enter_slot(th, (int64_t)v->tid, false);
    if (p && p->type + 1 == v->type && p->has_fd) {
        *fd = p->fd;
        return true;
    }
    return num(v, "fd", fd) || num(v, "oldfd", fd);
}

/* Removals libsinsp makes when the event after the close/procexit comes. */
static void apply_deferred(struct falco__host_threads *th)
{
    char why[FALCO__HOST_ERRLEN];
    if (th->close_pending) {
        falco__host_table *fds = fds_of(th, th->close_tid);
        falco_abi_state_data key = { .s64 = th->close_fd };
        if (fds)
            (void)falco__host_mem_erase(fds, &key, why);
        th->close_pending = false;
    }
    if (th->exit_pending) {
        falco_abi_state_data key = { .s64 = th->exit_tid };
        (void)falco__host_mem_erase(th->table, &key, why);
        th->exit_pending = false;
    }
}

/* Events whose thread libsinsp looks up without making one up. */
static bool lookup_only(const char *name, bool enter)
{
    return (!enter && (strcmp(name, "clone") == 0 || strcmp(name, "clone3") == 0 || strcmp(name, "fork") == 0 ||
                       strcmp(name, "vfork") == 0)) ||
           strcmp(name, "procexit") == 0 || strcmp(name, "switch") == 0;
}

static void on_enter(struct falco__host_threads *th, falco_evt_view *v, int64_t tid)
{
    struct pending_enter *p = enter_slot(th, tid, true);
    int64_t fd, dom;
    p->type = v->type;
    p->has_fd = (v->info->flags & FALCO_EF_USES_FD) && num(v, "fd", &fd);
    p->fd = p->has_fd ? fd : -1;
    p->has_domain = strcmp(v->info->name, "socket") == 0 && num(v, "domain", &dom);
    p->domain = p->has_domain ? (uint32_t)dom : 0;
    falco__host_entry *f = p->has_fd ? fd_find(th, tid, fd) : NULL;
    if (f)
        keep_name(th, fds_of(th, tid), f);
    falco__host_entry *t = strcmp(v->info->name, "procexit") == 0 ? thread_find(th, tid) : NULL;
    if (t) { /* dead now (PPM_CL_CLOSED), gone at the next event */
        add_flags(th, t, CL_CLOSED);
        th->exit_pending = true;
        th->exit_tid = tid;
    }
}

/* The one-fd creators: the fd type each makes, and the param of its open flags. */
static const struct {
    const char *name;
    uint8_t type;
    const char *flags;
} single_fd[] = {
    { "eventfd", FD_EVENT, NULL },         { "eventfd2", FD_EVENT, "flags" },
    { "signalfd", FD_SIGNALFD, NULL },     { "signalfd4", FD_SIGNALFD, "flags" },
    { "timerfd_create", FD_TIMERFD, "flags" }, { "inotify_init", FD_INOTIFY, NULL },
    { "inotify_init1", FD_INOTIFY, "flags" }, { "bpf", FD_BPF, NULL },
    { "userfaultfd", FD_USERFAULTFD, NULL }, { "io_uring_setup", FD_IOURING, NULL },
    { "epoll_create", FD_EVENTPOLL, NULL }, { "epoll_create1", FD_EVENTPOLL, NULL },
};

static void on_exit_event(struct falco__host_threads *th, falco_evt_view *v, falco__host_entry *t, int64_t res)
{
    const char *name = v->info->name;
    int64_t tid = (int64_t)v->tid, fd = -1, i;
    bool has_fd = (v->info->flags & FALCO_EF_USES_FD) && exit_fd(th, v, &fd);
    falco__host_table *fds = fds_of(th, tid);
    falco__host_entry *f = has_fd ? fd_find(th, tid, fd) : NULL;
    if (f)
        keep_name(th, fds, f);
    if (v->info->flags & (FALCO_EF_READS_FROM_FD | FALCO_EF_WRITES_TO_FD)) {
        on_read_write(th, v, res, has_fd ? fd : -1, f);
        return;
    }
    if (strcmp(name, "open") == 0 || strcmp(name, "openat") == 0 || strcmp(name, "openat2") == 0 ||
        strcmp(name, "creat") == 0) {
        on_open(th, v, t, res);
    } else if (strcmp(name, "socket") == 0) {
        /* the current schema's exit carries domain, type and protocol
         * (libscap moves them there when converting old captures) */
        struct pending_enter *p = enter_slot(th, tid, false);
        int64_t dom = 0, type = 0, proto = 0, fl = 0;
        if (!num(v, "domain", &dom) && p && p->has_domain)
            dom = p->domain;
        (void)num(v, "type", &type);
        (void)num(v, "proto", &proto);
        (void)num(v, "flags", &fl);
        if (res >= 0)
            (void)add_socket(th, tid, res, (uint32_t)dom, (uint32_t)type, (uint32_t)proto, (uint32_t)fl);
    } else if (strcmp(name, "socketpair") == 0) {
        int64_t fd1, fd2, src = 0, peer = 0;
        if (res < 0 || !num(v, "fd1", &fd1) || !num(v, "fd2", &fd2) || fd1 == fd2)
            return;
        (void)num(v, "source", &src);
        (void)num(v, "peer", &peer);
        uint8_t u[SOCK_UNION] = { 0 };
        memcpy(u, &src, 8);
        memcpy(u + 8, &peer, 8);
        falco__host_entry *a = fd_new(th, tid, fd1, FD_UNIX_SOCK, "", 0);
        if (a)
            sock_put(th, a, u);
        falco__host_entry *b = fd_new(th, tid, fd2, FD_UNIX_SOCK, "", 0);
        if (b)
            sock_put(th, b, u);
    } else if (strcmp(name, "pipe") == 0 || strcmp(name, "pipe2") == 0) {
        int64_t fd1, fd2, ino = 0, fl = 0;
        if (res < 0 || !num(v, "fd1", &fd1) || !num(v, "fd2", &fd2))
            return;
        (void)num(v, "ino", &ino);
        (void)num(v, "flags", &fl);
        int64_t both[2] = { fd1, fd2 };
        for (size_t k = 0; k < 2; k++) {
            falco__host_entry *p = fd_new(th, tid, both[k], FD_FIFO, "", (uint32_t)fl);
            if (p)
                set_u64(p, ffield(th, "ino"), (uint64_t)ino);
        }
    } else if (strcmp(name, "accept") == 0 || strcmp(name, "accept4") == 0) {
        on_accept(th, v, res);
    } else if (strcmp(name, "connect") == 0) {
        if (has_fd)
            on_connect(th, v, res, fd);
    } else if (strcmp(name, "bind") == 0) {
        if (has_fd)
            on_bind(th, v, res, fd);
    } else if (strcmp(name, "close") == 0) {
        if (f && res >= 0) {
            th->close_pending = true;
            th->close_tid = tid;
            th->close_fd = fd;
        }
    } else if (strcmp(name, "dup") == 0 || strcmp(name, "dup2") == 0 || strcmp(name, "dup3") == 0) {
        if (res < 0)
            return;
        if (res == 0 || res == 1)
            add_flags(th, t, res == 0 ? CL_PIPE_DST : CL_PIPE_SRC);
        if (!f)
            return;
        int64_t fl;
        if (strcmp(name, "dup3") == 0 && num(v, "flags", &fl)) {
            uint32_t of = get(fds, f, ffield(th, "open_flags")).u32;
            set_u32(f, ffield(th, "open_flags"), fl ? of | (uint32_t)fl : of & ~O_PPM_CLOEXEC);
        }
        fd_copy(th, tid, f, res);
    } else if (strcmp(name, "fcntl") == 0) {
        int64_t cmd, arg;
        if (res < 0 || !f || !num(v, "cmd", &cmd))
            return;
        if (cmd == FCNTL_PPM_DUPFD || cmd == FCNTL_PPM_DUPFD_CLOEXEC)
            fd_copy(th, tid, f, res);
        /* F_SETFD without FD_CLOEXEC: libsinsp clears bit 0 (FD_CLOEXEC's
         * value) of the open flags, seen on curl_google.scap's /dev/urandom
         * (O_RDONLY, 1, becomes 0); setting the flag is not in the captures */
        if (cmd == FCNTL_PPM_SETFD && num(v, "arg", &arg) && !(arg & 1))
            set_u32(f, ffield(th, "open_flags"), get(fds, f, ffield(th, "open_flags")).u32 & ~1u);
    } else if (strcmp(name, "memfd_create") == 0) {
        const char *mname = "";
        int64_t fl = 0;
        (void)param_str(v, "name", &mname);
        (void)num(v, "flags", &fl);
        (void)fd_new(th, tid, res, FD_MEMFD, mname, (uint32_t)fl);
    } else if (strcmp(name, "chdir") == 0 || strcmp(name, "getcwd") == 0) {
        const char *path;
        if (res >= 0 && param_str(v, "path", &path))
            set_cwd(th, t, path);
    } else if (strcmp(name, "fchdir") == 0) {
        if (res >= 0 && f) {
            char *n = falco__host_strdup(get(fds, f, ffield(th, "name")).str);
            if (n)
                set_cwd(th, t, n);
            free(n);
        }
    } else if (strcmp(name, "getrlimit") == 0 || strcmp(name, "setrlimit") == 0) {
        int64_t r, cur;
        if (res >= 0 && num(v, "resource", &r) && r == RLIMIT_PPM_NOFILE && num(v, "cur", &cur) && cur != -1)
            set_i64(main_of(th, t), tfield(th, "fd_limit"), cur);
    } else if (strcmp(name, "prlimit") == 0) {
        int64_t r, cur, pid;
        if (res != 0 || !num(v, "resource", &r) || r != RLIMIT_PPM_NOFILE || !num(v, "newcur", &cur) || cur == -1 ||
            !num(v, "pid", &pid))
            return;
        falco__host_entry *p = thread_find(th, pid ? pid : tid);
        if (p && !thread_invalid(th, p))
            set_i64(main_of(th, p), tfield(th, "fd_limit"), cur);
    } else if (strcmp(name, "setuid") == 0 || strcmp(name, "setresuid") == 0 || strcmp(name, "setreuid") == 0) {
        if (res == 0 && num(v, strcmp(name, "setuid") == 0 ? "uid" : "euid", &i))
            set_u32(t, tfield(th, "uid"), (uint32_t)i);
    } else if (strcmp(name, "setgid") == 0 || strcmp(name, "setresgid") == 0 || strcmp(name, "setregid") == 0) {
        if (res == 0 && num(v, strcmp(name, "setgid") == 0 ? "gid" : "egid", &i))
            set_u32(t, tfield(th, "gid"), (uint32_t)i);
    } else if (strcmp(name, "setsid") == 0) {
        if (res >= 0)
            set_i64(t, tfield(th, "sid"), res);
    } else if (strcmp(name, "chroot") == 0) {
        if (res == 0)
            set_param_str(v, t, tfield(th, "root"), "path");
    } else {
        for (size_t k = 0; k < COUNT(single_fd); k++) {
            if (strcmp(name, single_fd[k].name) != 0)
                continue;
            int64_t fl = 0;
            if (single_fd[k].flags)
                (void)num(v, single_fd[k].flags, &fl);
            else if (strcmp(name, "epoll_create1") == 0 && num(v, "flags", &fl))
                fl = (fl & 1) ? O_PPM_CLOEXEC : 0; /* EPOLL_CLOEXEC */
            if (res >= 0)
                (void)fd_new(th, tid, res, single_fd[k].type, "", (uint32_t)fl);
            break;
        }
    }
}

void falco__host_threads_event(falco__host_tables *reg, const falco_abi_event *evt)
{
    struct falco__host_threads *th = *falco__host_tables_threads(reg);
    apply_deferred(th);
    uint32_t len;
    memcpy(&len, (const uint8_t *)evt + 16, 4);
    falco_evt_view v;
    if (falco_evt_view_init(&v, evt, len) != FALCO_OK || !v.info)
        return;
    const char *name = v.info->name;
    bool enter = falco_evt_view_is_enter(&v);
    int64_t tid = (int64_t)v.tid, res = -1;
    /* meta events and those libsinsp skips have no thread */
    if ((v.info->flags & FALCO_EF_SKIPPARSERESET) || v.type == FALCO_PPME_PLUGINEVENT_E ||
        v.type == FALCO_PPME_ASYNCEVENT_E || v.type == FALCO_PPME_CONTAINER_JSON_2_E ||
        v.type == FALCO_PPME_USER_ADDED_E || v.type == FALCO_PPME_USER_DELETED_E ||
        v.type == FALCO_PPME_GROUP_ADDED_E || v.type == FALCO_PPME_GROUP_DELETED_E)
        return;
    falco__host_entry *t = thread_find(th, tid);
    if (!lookup_only(name, enter)) {
        if (!t && !(t = thread_new(th, tid)))
            return;
        add_flags(th, t, CL_ACTIVE);
    }
    if (enter) {
        if (t)
            on_enter(th, &v, tid);
        return;
    }
    if (v.nparams > 0 && falco_evt_param_i64(&v, 0, &res) != FALCO_OK)
        res = -1;
    if (strcmp(name, "clone") == 0 || strcmp(name, "fork") == 0 || strcmp(name, "vfork") == 0 ||
        strcmp(name, "clone3") == 0) {
        if (res >= 0)
            on_clone(th, &v, res);
    } else if (t && (strcmp(name, "execve") == 0 || strcmp(name, "execveat") == 0)) {
        if (res >= 0)
            on_execve(th, &v, t);
    } else if (t) {
        on_exit_event(th, &v, t, res);
    }
    struct pending_enter *p = enter_slot(th, tid, false);
    if (p)
        p->type = 0, p->has_fd = false, p->has_domain = false; /* consumed by its exit */
}
