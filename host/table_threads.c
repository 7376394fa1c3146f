/*
 * table_threads.c - the host's `threads` table: libsinsp's key (int64 tid),
 * field names, types and read-only flags (as `plughost -T brief` lists them
 * for libsinsp at plugin API 3.12), the nested args, env, cgroups and
 * file_descriptors tables, and the rules libsinsp applies when it builds the
 * table from a capture's process and fd lists.
 */
#include <stddef.h>
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

/* What an enter event said, kept for its exit (close's fd, socket's domain). */
struct pending_enter {
    bool used, has_close, has_domain;
    int64_t tid, close_fd;
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
    size_t at = 0;
    /* libsinsp drops one trailing NUL of args and env, then splits what is
     * left: a lone NUL is no argument at all, not one empty one */
    if (!second && len == 1 && data[0] == '\0')
        return FALCO_OK;
    while (at < len) {
        const char *s = data + at;
        size_t n = strnlen(s, len - at);
        char *one = malloc(n + 1);
        if (!one)
            return FALCO_ENOMEM;
        memcpy(one, s, n);
        one[n] = '\0';
        falco_abi_state_data key = { .u64 = k++ };
        falco__host_entry *e = falco__host_mem_upsert(t, &key);
        falco_rc rc = e ? FALCO_OK : FALCO_ENOMEM;
        char *eq = second ? strchr(one, '=') : NULL;
        if (eq)
            *eq = '\0';
        if (rc == FALCO_OK)
            rc = set_str(e, value, one);
        if (rc == FALCO_OK && second)
            rc = set_str(e, second, eq ? eq + 1 : "");
        free(one);
        if (rc != FALCO_OK)
            return rc;
        at += n + 1;
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
 * A subset of what libsinsp's parsers do, checked against it on a real
 * capture: execve and clone/fork/vfork/clone3 exits create or update
 * threads; open/openat/openat2/creat and socket exits add fds to the
 * process's table; a successful close removes its fd, and procexit its
 * thread, when the next event comes (libsinsp defers both the same way). */

#define CLONE_THREAD_FLAG (1u << 13) /* PPM_CL_CLONE_THREAD */
#define FD_TYPE_FILE_V2 16
#define FD_TYPE_IPV4_SOCK 3
#define FD_TYPE_IPV6_SOCK 4
#define FD_TYPE_UNIX_SOCK 8

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

static void set_param_str(falco_evt_view *v, falco__host_entry *e, falco__host_field *f, const char *param)
{
    const char *s;
    size_t n;
    if (falco_evt_param_str_by_name(v, param, &s, &n) == FALCO_OK)
        (void)set_str(e, f, s);
}

static bool param_i64(falco_evt_view *v, const char *param, int64_t *out)
{
    return falco_evt_param_i64_by_name(v, param, out) == FALCO_OK;
}

static bool param_u64(falco_evt_view *v, const char *param, uint64_t *out)
{
    return falco_evt_param_u64_by_name(v, param, out) == FALCO_OK;
}

/* Refills a nested list table from a NUL-separated bytes param. */
static void set_param_list(struct falco__host_threads *th, falco_evt_view *v, falco__host_entry *e, const char *param,
                           const falco__host_field *value, const falco__host_field *second)
{
    const uint8_t *b;
    size_t n;
    if (falco_evt_param_bytes_by_name(v, param, &b, &n) != FALCO_OK)
        return;
    falco__host_table *t = falco__host_mem_sub(e, tfield(th, param));
    char why[FALCO__HOST_ERRLEN];
    if (!t || falco__host_mem_clear(t, why) != FALCO_ABI_RC_SUCCESS)
        return;
    (void)fill_list(t, (const char *)b, n, value, second);
}

/* A thread the table does not know yet, with libsinsp's defaults for what
 * no event said (uid/gid unknown, vtid/vpid as tid/pid). */
static falco__host_entry *thread_new(struct falco__host_threads *th, int64_t tid, int64_t pid)
{
    falco_abi_state_data key = { .s64 = tid };
    falco__host_entry *e = falco__host_mem_upsert(th->table, &key);
    if (!e)
        return NULL;
    set_i64(e, tfield(th, "tid"), tid);
    set_i64(e, tfield(th, "pid"), pid);
    set_i64(e, tfield(th, "vtid"), tid);
    set_i64(e, tfield(th, "vpid"), pid);
    set_u32(e, tfield(th, "uid"), UINT32_MAX);
    set_u32(e, tfield(th, "gid"), UINT32_MAX);
    set_u32(e, tfield(th, "loginuid"), UINT32_MAX);
    set_i64(e, tfield(th, "sid"), -1);
    set_i64(e, tfield(th, "vpgid"), -1);
    set_i64(e, tfield(th, "pgid"), -1);
    set_i64(e, tfield(th, "reaper_tid"), -1);
    (void)set_str(e, tfield(th, "root"), "/");
    return e;
}

static void on_execve(struct falco__host_threads *th, falco_evt_view *v)
{
    int64_t tid = (int64_t)v->tid, pid = tid, ptid;
    (void)param_i64(v, "pid", &pid);
    falco_abi_state_data key = { .s64 = tid };
    falco__host_entry *e = falco__host_mem_find(th->table, &key);
    if (!e && !(e = thread_new(th, tid, pid)))
        return;
    set_i64(e, tfield(th, "pid"), pid);
    if (param_i64(v, "ptid", &ptid))
        set_i64(e, tfield(th, "ptid"), ptid);
    set_param_str(v, e, tfield(th, "exe"), "exe");
    set_param_str(v, e, tfield(th, "comm"), "comm");
    int64_t i;
    uint64_t u;
    if (param_i64(v, "fdlimit", &i))
        set_i64(e, tfield(th, "fd_limit"), i);
    if (param_u64(v, "uid", &u))
        set_u32(e, tfield(th, "uid"), (uint32_t)u);
    if (param_u64(v, "gid", &u))
        set_u32(e, tfield(th, "gid"), (uint32_t)u);
    if (param_u64(v, "loginuid", &u))
        set_u32(e, tfield(th, "loginuid"), (uint32_t)u);
    if (param_i64(v, "vtid", &i))
        set_i64(e, tfield(th, "vtid"), i);
    if (param_i64(v, "vpid", &i))
        set_i64(e, tfield(th, "vpid"), i);
    set_param_list(th, v, e, "args", th->value_args, NULL);
    if (tid == pid)
        set_param_list(th, v, e, "env", th->value_env, NULL);
    set_param_list(th, v, e, "cgroups", th->cg_first, th->cg_second);
}

static void on_clone(struct falco__host_threads *th, falco_evt_view *v, int64_t res)
{
    int64_t tid = (int64_t)v->tid, pid = tid, ptid = 0, i;
    uint64_t flags = 0, u;
    (void)param_i64(v, "pid", &pid);
    (void)param_i64(v, "ptid", &ptid);
    (void)param_u64(v, "flags", &flags);
    bool thread = (flags & CLONE_THREAD_FLAG) != 0;
    int64_t child = res > 0 ? res : tid;
    falco_abi_state_data key = { .s64 = child };
    if (falco__host_mem_find(th->table, &key))
        return; /* made already from the other side of the clone */
    int64_t cpid, cptid;
    if (res > 0) { /* the parent's side: its params describe the parent */
        cpid = thread ? pid : child;
        cptid = thread ? ptid : tid;
    } else {
        cpid = pid;
        cptid = ptid;
    }
    falco__host_entry *e = thread_new(th, child, cpid);
    if (!e)
        return;
    set_i64(e, tfield(th, "ptid"), cptid);
    set_param_str(v, e, tfield(th, "exe"), "exe");
    set_param_str(v, e, tfield(th, "comm"), "comm");
    if (param_i64(v, "fdlimit", &i))
        set_i64(e, tfield(th, "fd_limit"), i);
    if (param_u64(v, "uid", &u))
        set_u32(e, tfield(th, "uid"), (uint32_t)u);
    if (param_u64(v, "gid", &u))
        set_u32(e, tfield(th, "gid"), (uint32_t)u);
    if (res == 0 && param_i64(v, "vtid", &i))
        set_i64(e, tfield(th, "vtid"), i);
    if (param_i64(v, "vpid", &i) && (res == 0 || thread))
        set_i64(e, tfield(th, "vpid"), i);
    set_u32(e, tfield(th, "flags"), (uint32_t)flags);
    if (cpid == child) {
        const char *cwd;
        size_t n;
        if (falco_evt_param_str_by_name(v, "cwd", &cwd, &n) == FALCO_OK) {
            char *c = malloc(n + 2);
            if (c) {
                memcpy(c, cwd, n);
                if (n && c[n - 1] != '/')
                    c[n++] = '/';
                c[n] = '\0';
                (void)set_str(e, tfield(th, "cwd"), c);
                free(c);
            }
        }
    }
    set_param_list(th, v, e, "args", th->value_args, NULL);
    set_param_list(th, v, e, "cgroups", th->cg_first, th->cg_second);
}

/* The fd table tid's fds go to: its process's (the main thread's when known). */
static falco__host_table *fds_of(struct falco__host_threads *th, int64_t tid)
{
    falco_abi_state_data key = { .s64 = tid };
    falco__host_entry *e = falco__host_mem_find(th->table, &key);
    if (!e)
        return NULL;
    falco__host_field *f = tfield(th, "file_descriptors");
    falco__host_table *t = process_fds(e, f, th);
    return t ? t : falco__host_mem_sub(e, f);
}

static void add_fd(struct falco__host_threads *th, int64_t tid, int64_t fd, uint8_t type, const char *name,
                   uint32_t open_flags)
{
    falco__host_table *fds = fds_of(th, tid);
    falco_abi_state_data key = { .s64 = fd };
    char why[FALCO__HOST_ERRLEN];
    if (!fds)
        return;
    (void)falco__host_mem_erase(fds, &key, why); /* a reused number is a new fd */
    falco__host_entry *e = falco__host_mem_upsert(fds, &key);
    if (!e)
        return;
    set_i64(e, ffield(th, "fd"), fd);
    falco_abi_state_data t = { .u8 = type };
    (void)falco__host_mem_set(e, ffield(th, "type"), &t);
    (void)set_str(e, ffield(th, "name"), name);
    set_u32(e, ffield(th, "open_flags"), open_flags);
}

/* What an enter event told that its exit needs. */
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
    if (!enter && v.nparams > 0 && falco_evt_param_i64(&v, 0, &res) != FALCO_OK)
        res = -1;
    if (enter) {
        if (strcmp(name, "close") == 0) {
            int64_t fd;
            struct pending_enter *p = param_i64(&v, "fd", &fd) ? enter_slot(th, tid, true) : NULL;
            if (p)
                p->close_fd = fd, p->has_close = true;
        } else if (strcmp(name, "socket") == 0) {
            uint64_t dom;
            struct pending_enter *p = param_u64(&v, "domain", &dom) ? enter_slot(th, tid, true) : NULL;
            if (p)
                p->domain = (uint32_t)dom, p->has_domain = true;
        } else if (strcmp(name, "procexit") == 0) {
            th->exit_pending = true;
            th->exit_tid = tid;
        }
        return;
    }
    if (strcmp(name, "execve") == 0 || strcmp(name, "execveat") == 0) {
        if (res == 0)
            on_execve(th, &v);
    } else if (strcmp(name, "clone") == 0 || strcmp(name, "fork") == 0 || strcmp(name, "vfork") == 0 ||
               strcmp(name, "clone3") == 0) {
        if (res >= 0)
            on_clone(th, &v, res);
    } else if (strcmp(name, "open") == 0 || strcmp(name, "openat") == 0 || strcmp(name, "openat2") == 0 ||
               strcmp(name, "creat") == 0) {
        const char *path = "";
        size_t n;
        uint64_t fl = 0;
        (void)falco_evt_param_str_by_name(&v, "name", &path, &n);
        (void)param_u64(&v, "flags", &fl);
        if (res >= 0)
            add_fd(th, tid, res, FD_TYPE_FILE_V2, path, (uint32_t)fl);
    } else if (strcmp(name, "socket") == 0) {
        /* the current schema's exit carries the domain (libscap moves it
         * there when converting old captures); older exits rely on the enter */
        struct pending_enter *p = enter_slot(th, tid, false);
        uint64_t dom = 0;
        bool have = param_u64(&v, "domain", &dom);
        if (!have && p && p->has_domain)
            dom = p->domain, have = true;
        uint8_t type = 0;
        if (have)
            type = dom == FALCO_AF_INET    ? FD_TYPE_IPV4_SOCK
                   : dom == FALCO_AF_INET6 ? FD_TYPE_IPV6_SOCK
                   : dom == FALCO_AF_UNIX  ? FD_TYPE_UNIX_SOCK
                                           : 0;
        if (p)
            p->has_domain = false;
        if (res >= 0)
            add_fd(th, tid, res, type, "", 0);
    } else if (strcmp(name, "close") == 0) {
        /* the fd: the exit's own (current schema), else its enter's */
        struct pending_enter *p = enter_slot(th, tid, false);
        int64_t fd = 0;
        bool have = param_i64(&v, "fd", &fd);
        if (!have && p && p->has_close)
            fd = p->close_fd, have = true;
        if (have && res == 0) {
            th->close_pending = true;
            th->close_tid = tid;
            th->close_fd = fd;
        }
        if (p)
            p->has_close = false;
    }
}
