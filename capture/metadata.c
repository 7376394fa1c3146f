/*
 * metadata.c - decodes the metadata blocks of a capture: machine info, process
 * lists (V1..V9), fd lists (V1, V2), interface lists (V1, V2) and user/group
 * lists (V1, V2). Every read is bounds-checked against the block; a short or
 * inconsistent entry fails with the block offset, entry number and field name.
 */
#include <stdarg.h>
#include <stdlib.h>

#include "capture_internal.h"

/* ---- arena ---- */

struct falco__arena_chunk {
    falco__arena_chunk *next;
    size_t used, cap;
    char data[];
};

#define ARENA_CHUNK_SIZE (16u * 1024u)

char *falco__arena_strdup(falco__arena *a, const void *data, size_t len)
{
    falco__arena_chunk *c = a->head;
    if (!c || c->cap - c->used < len + 1) {
        size_t cap = len + 1 > ARENA_CHUNK_SIZE ? len + 1 : ARENA_CHUNK_SIZE;
        c = malloc(sizeof *c + cap);
        if (!c)
            return NULL;
        c->next = a->head;
        c->used = 0;
        c->cap = cap;
        a->head = c;
    }
    char *out = c->data + c->used;
    if (len)
        memcpy(out, data, len);
    out[len] = '\0';
    c->used += len + 1;
    return out;
}

void falco__arena_free(falco__arena *a)
{
    while (a->head) {
        falco__arena_chunk *next = a->head->next;
        free(a->head);
        a->head = next;
    }
}

/* ---- bounded cursor over one block body ---- */

typedef struct cursor {
    const uint8_t *p;
    size_t len, pos;
    falco__meta *m;
    /* for messages */
    const char *block;
    uint64_t block_off;
    size_t entry;
    char *err;
    size_t errlen;
    falco_rc rc;
} cursor;

static bool cur_fail(cursor *c, falco_rc rc, const char *fmt, ...) FALCO_PRINTF(3, 4);
static bool cur_fail(cursor *c, falco_rc rc, const char *fmt, ...)
{
    if (c->rc != FALCO_OK)
        return false;
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    snprintf(c->err, c->errlen, "%s block at offset %llu: entry %zu: %s", c->block, (unsigned long long)c->block_off,
             c->entry, what);
    c->rc = rc;
    return false;
}

static bool cur_need(cursor *c, size_t n, const char *field)
{
    if (c->len - c->pos < n)
        return cur_fail(c, FALCO_EPARSE, "field '%s' (%zu bytes at body byte %zu) runs past the end of the block (%zu bytes)",
                        field, n, c->pos, c->len);
    return true;
}

static bool cur_u8(cursor *c, uint8_t *v, const char *field)
{
    if (!cur_need(c, 1, field))
        return false;
    *v = c->p[c->pos++];
    return true;
}
static bool cur_u16(cursor *c, uint16_t *v, const char *field)
{
    if (!cur_need(c, 2, field))
        return false;
    *v = falco__ld16(c->p + c->pos);
    c->pos += 2;
    return true;
}
static bool cur_u32(cursor *c, uint32_t *v, const char *field)
{
    if (!cur_need(c, 4, field))
        return false;
    *v = falco__ld32(c->p + c->pos);
    c->pos += 4;
    return true;
}
static bool cur_u64(cursor *c, uint64_t *v, const char *field)
{
    if (!cur_need(c, 8, field))
        return false;
    *v = falco__ld64(c->p + c->pos);
    c->pos += 8;
    return true;
}
static bool cur_i64(cursor *c, int64_t *v, const char *field)
{
    uint64_t u;
    if (!cur_u64(c, &u, field))
        return false;
    memcpy(v, &u, sizeof u);
    return true;
}
static bool cur_raw(cursor *c, void *dst, size_t n, const char *field)
{
    if (!cur_need(c, n, field))
        return false;
    memcpy(dst, c->p + c->pos, n);
    c->pos += n;
    return true;
}

/* A u16-length-prefixed string, copied into the arena with a NUL. */
static bool cur_str(cursor *c, falco_capture_bytes *out, const char *field)
{
    uint16_t n;
    if (!cur_u16(c, &n, field) || !cur_need(c, n, field))
        return false;
    char *s = falco__arena_strdup(&c->m->arena, c->p + c->pos, n);
    if (!s)
        return cur_fail(c, FALCO_ENOMEM, "out of memory copying '%s'", field);
    c->pos += n;
    out->data = s;
    out->len = n;
    return true;
}
static bool cur_cstr(cursor *c, const char **out, const char *field)
{
    falco_capture_bytes b;
    if (!cur_str(c, &b, field))
        return false;
    *out = b.data;
    return true;
}

/* Grows an array of elem-sized items so one more fits; NULL when out of memory. */
static void *grow(void *arr, size_t count, size_t *cap, size_t elem)
{
    if (count < *cap)
        return arr;
    size_t ncap = *cap ? *cap * 2 : 16;
    void *n = realloc(arr, ncap * elem);
    if (n)
        *cap = ncap;
    return n;
}
#define GROW(c, arr, count, cap)                                                     \
    do {                                                                             \
        void *grown__ = grow((arr), (count), &(cap), sizeof *(arr));                 \
        if (!grown__)                                                                \
            return cur_fail((c), FALCO_ENOMEM, "out of memory");                     \
        (arr) = grown__;                                                             \
    } while (0)

/* With a per-entry length (the V2+ layouts), skips what this reader does not
 * know and checks the entry did not overrun its own length. */
static bool cur_end_entry(cursor *c, size_t start, uint32_t sub_len)
{
    if (!sub_len)
        return true;
    size_t used = c->pos - start;
    if (used > sub_len)
        return cur_fail(c, FALCO_EPARSE, "entry length %u is shorter than its fields (%zu bytes)", sub_len, used);
    if (!cur_need(c, sub_len - used, "entry padding"))
        return false;
    c->pos = start + sub_len;
    return true;
}

/* ---- machine info ---- */

#define MACHINE_INFO_SIZE 180u /* 4 + 8 + 8 + 128 + 8 * 4, packed */

static bool parse_machine(cursor *c)
{
    falco_capture_machine_info *mi = &c->m->machine;
    uint64_t reserved;
    char host[128];
    if (c->len < MACHINE_INFO_SIZE)
        return cur_fail(c, FALCO_EPARSE, "machine info needs %u bytes, block has %zu", MACHINE_INFO_SIZE, c->len);
    memset(mi, 0, sizeof *mi);
    cur_u32(c, &mi->num_cpus, "num_cpus");
    cur_u64(c, &mi->memory_size_bytes, "memory_size_bytes");
    cur_u64(c, &mi->max_pid, "max_pid");
    cur_raw(c, host, sizeof host, "hostname");
    memcpy(mi->hostname, host, sizeof host);
    mi->hostname[128] = '\0';
    cur_u64(c, &mi->boot_ts_epoch, "boot_ts_epoch");
    cur_u64(c, &mi->flags, "flags");
    cur_u64(c, &reserved, "reserved3");
    cur_u64(c, &reserved, "reserved4");
    c->m->pub.machine = mi;
    return true;
}

/* ---- process list ---- */

static int proclist_version(uint32_t bt)
{
    switch (bt) {
    case FALCO_CAPTURE_BLOCK_PROCLIST_V1: case FALCO_CAPTURE_BLOCK_PROCLIST_V1_INT: return 1;
    case FALCO_CAPTURE_BLOCK_PROCLIST_V2: case FALCO_CAPTURE_BLOCK_PROCLIST_V2_INT: return 2;
    case FALCO_CAPTURE_BLOCK_PROCLIST_V3: case FALCO_CAPTURE_BLOCK_PROCLIST_V3_INT: return 3;
    case FALCO_CAPTURE_BLOCK_PROCLIST_V4: return 4;
    case FALCO_CAPTURE_BLOCK_PROCLIST_V5: return 5;
    case FALCO_CAPTURE_BLOCK_PROCLIST_V6: return 6;
    case FALCO_CAPTURE_BLOCK_PROCLIST_V7: return 7;
    case FALCO_CAPTURE_BLOCK_PROCLIST_V8: return 8;
    case FALCO_CAPTURE_BLOCK_PROCLIST_V9: return 9;
    default: return 0;
    }
}

/* The optional tail fields of V9 entries: each present only if the entry
 * length leaves room for it (fields are only ever appended). */
#define HAS_ROOM(n) (sub_len && (c->pos - start) + (n) <= sub_len)

static bool parse_proc_entry(cursor *c, int ver, falco_capture_process *t)
{
    size_t start = c->pos;
    uint32_t sub_len = 0;
    memset(t, 0, sizeof *t);
    t->sid = t->vpgid = t->vtid = t->vpid = -1;
    t->loginuid = UINT32_MAX;
    t->exepath = t->root = "";
    if (ver >= 9 && !cur_u32(c, &sub_len, "entry length"))
        return false;
    if (!cur_u64(c, &t->tid, "tid") || !cur_u64(c, &t->pid, "pid") || !cur_u64(c, &t->ptid, "ptid"))
        return false;
    if (ver >= 6 && !cur_i64(c, &t->sid, "sid"))
        return false;
    if (ver >= 8 && !cur_i64(c, &t->vpgid, "vpgid"))
        return false;
    if (!cur_cstr(c, &t->comm, "comm") || !cur_cstr(c, &t->exe, "exe"))
        return false;
    if (ver >= 7 && !cur_cstr(c, &t->exepath, "exepath"))
        return false;
    if (!cur_str(c, &t->args, "args") || !cur_cstr(c, &t->cwd, "cwd") || !cur_u64(c, &t->fdlimit, "fdlimit") ||
        !cur_u32(c, &t->flags, "flags") || !cur_u32(c, &t->uid, "uid") || !cur_u32(c, &t->gid, "gid"))
        return false;
    if (ver >= 2) {
        if (!cur_u32(c, &t->vmsize_kb, "vmsize_kb") || !cur_u32(c, &t->vmrss_kb, "vmrss_kb") ||
            !cur_u32(c, &t->vmswap_kb, "vmswap_kb") || !cur_u64(c, &t->pfmajor, "pfmajor") ||
            !cur_u64(c, &t->pfminor, "pfminor"))
            return false;
        if (ver >= 3 && !cur_str(c, &t->env, "env"))
            return false;
        if (ver >= 4) {
            if (!cur_i64(c, &t->vtid, "vtid") || !cur_i64(c, &t->vpid, "vpid") || !cur_str(c, &t->cgroups, "cgroups"))
                return false;
            if (ver >= 5 && !cur_cstr(c, &t->root, "root"))
                return false;
        }
    }
    if (!t->env.data)
        t->env.data = "";
    if (!t->cgroups.data)
        t->cgroups.data = "";
    /* libs 0.10 inserted pidns_init_start_ts and tty before loginuid; older
     * writers' entries have at most the 29 bytes of loginuid..cap_effective left. */
    bool pre_0_10 = sub_len && sub_len - (c->pos - start) <= 29;
    uint8_t b;
    if (sub_len && !pre_0_10) {
        if (HAS_ROOM(8) && !cur_u64(c, &t->pidns_init_start_ts, "pidns_init_start_ts"))
            return false;
        if (HAS_ROOM(4) && !cur_u32(c, &t->tty, "tty"))
            return false;
    }
    if (HAS_ROOM(4) && !cur_u32(c, &t->loginuid, "loginuid"))
        return false;
    if (HAS_ROOM(1)) {
        if (!cur_u8(c, &b, "exe_writable"))
            return false;
        t->exe_writable = b != 0;
    }
    if (HAS_ROOM(8) && !cur_u64(c, &t->cap_inheritable, "cap_inheritable"))
        return false;
    if (HAS_ROOM(8) && !cur_u64(c, &t->cap_permitted, "cap_permitted"))
        return false;
    if (HAS_ROOM(8) && !cur_u64(c, &t->cap_effective, "cap_effective"))
        return false;
    if (HAS_ROOM(1)) {
        if (!cur_u8(c, &b, "exe_upper_layer"))
            return false;
        t->exe_upper_layer = b != 0;
    }
    if (HAS_ROOM(8) && !cur_u64(c, &t->exe_ino, "exe_ino"))
        return false;
    if (HAS_ROOM(8) && !cur_u64(c, &t->exe_ino_ctime, "exe_ino_ctime"))
        return false;
    if (HAS_ROOM(8) && !cur_u64(c, &t->exe_ino_mtime, "exe_ino_mtime"))
        return false;
    if (HAS_ROOM(1)) {
        if (!cur_u8(c, &b, "exe_from_memfd"))
            return false;
        t->exe_from_memfd = b != 0;
    }
    return cur_end_entry(c, start, sub_len);
}

static bool parse_proclist(cursor *c, int ver)
{
    falco__meta *m = c->m;
    while (c->len - c->pos >= 4) {
        GROW(c, m->procs, m->pub.process_count, m->proc_cap);
        if (!parse_proc_entry(c, ver, &m->procs[m->pub.process_count]))
            return false;
        m->pub.process_count++;
        c->entry++;
    }
    return true;
}

/* ---- fd list ---- */

static bool parse_fd_entry(cursor *c, bool v2, uint64_t tid, falco_capture_fd *f)
{
    size_t start = c->pos;
    uint32_t sub_len = 0;
    memset(f, 0, sizeof *f);
    f->tid = tid;
    f->name = "";
    if (v2 && !cur_u32(c, &sub_len, "entry length"))
        return false;
    if (!cur_i64(c, &f->fd, "fd") || !cur_u64(c, &f->ino, "ino") || !cur_u8(c, &f->type, "type"))
        return false;
    switch (f->type) {
    case FALCO_CAPTURE_FD_IPV4_SOCK:
        return cur_raw(c, f->sip, 4, "sip") && cur_raw(c, f->dip, 4, "dip") && cur_u16(c, &f->sport, "sport") &&
               cur_u16(c, &f->dport, "dport") && cur_u8(c, &f->l4proto, "l4proto") && cur_end_entry(c, start, sub_len);
    case FALCO_CAPTURE_FD_IPV4_SERVSOCK:
        return cur_raw(c, f->sip, 4, "ip") && cur_u16(c, &f->sport, "port") && cur_u8(c, &f->l4proto, "l4proto") &&
               cur_end_entry(c, start, sub_len);
    case FALCO_CAPTURE_FD_IPV6_SOCK:
        return cur_raw(c, f->sip, 16, "sip") && cur_raw(c, f->dip, 16, "dip") && cur_u16(c, &f->sport, "sport") &&
               cur_u16(c, &f->dport, "dport") && cur_u8(c, &f->l4proto, "l4proto") && cur_end_entry(c, start, sub_len);
    case FALCO_CAPTURE_FD_IPV6_SERVSOCK:
        return cur_raw(c, f->sip, 16, "ip") && cur_u16(c, &f->sport, "port") && cur_u8(c, &f->l4proto, "l4proto") &&
               cur_end_entry(c, start, sub_len);
    case FALCO_CAPTURE_FD_UNIX_SOCK:
        return cur_u64(c, &f->unix_source, "source") && cur_u64(c, &f->unix_dest, "destination") &&
               cur_cstr(c, &f->name, "name") && cur_end_entry(c, start, sub_len);
    case FALCO_CAPTURE_FD_FILE_V2:
        if (!cur_u32(c, &f->open_flags, "open_flags") || !cur_cstr(c, &f->name, "name"))
            return false;
        if (HAS_ROOM(4) && !cur_u32(c, &f->dev, "dev"))
            return false;
        return cur_end_entry(c, start, sub_len);
    case FALCO_CAPTURE_FD_FIFO: case FALCO_CAPTURE_FD_FILE: case FALCO_CAPTURE_FD_DIRECTORY:
    case FALCO_CAPTURE_FD_UNSUPPORTED: case FALCO_CAPTURE_FD_EVENT: case FALCO_CAPTURE_FD_SIGNALFD:
    case FALCO_CAPTURE_FD_EVENTPOLL: case FALCO_CAPTURE_FD_INOTIFY: case FALCO_CAPTURE_FD_TIMERFD:
    case FALCO_CAPTURE_FD_NETLINK: case FALCO_CAPTURE_FD_BPF: case FALCO_CAPTURE_FD_USERFAULTFD:
    case FALCO_CAPTURE_FD_IOURING: case FALCO_CAPTURE_FD_MEMFD: case FALCO_CAPTURE_FD_PIDFD:
        return cur_cstr(c, &f->name, "name") && cur_end_entry(c, start, sub_len);
    default:
        /* A type from a newer writer: only an entry length lets us step over it. */
        if (!sub_len)
            return cur_fail(c, FALCO_EPARSE, "fd %lld has unknown type %u and no entry length to skip it",
                            (long long)f->fd, f->type);
        return cur_end_entry(c, start, sub_len);
    }
}

static bool parse_fdlist(cursor *c, bool v2)
{
    falco__meta *m = c->m;
    uint64_t tid;
    if (!cur_u64(c, &tid, "tid"))
        return false;
    while (c->len - c->pos >= 4) {
        GROW(c, m->fds, m->pub.fd_count, m->fd_cap);
        if (!parse_fd_entry(c, v2, tid, &m->fds[m->pub.fd_count]))
            return false;
        m->pub.fd_count++;
        c->entry++;
    }
    return true;
}

/* ---- interface list ---- */

static bool parse_if_entry(cursor *c, bool v2, falco_capture_interface *f)
{
    uint32_t entry_len = 0;
    uint16_t namelen;
    memset(f, 0, sizeof *f);
    f->name = "";
    if (v2 && !cur_u32(c, &entry_len, "entry length"))
        return false;
    size_t start = c->pos; /* the V2 entry length does not count itself */
    if (!cur_u16(c, &f->type, "type") || !cur_u16(c, &namelen, "ifnamelen"))
        return false;
    size_t addr_len;
    bool has_speed;
    switch (f->type) {
    case FALCO_CAPTURE_IF_IPV4: addr_len = 4; has_speed = true; break;
    case FALCO_CAPTURE_IF_IPV6: addr_len = 16; has_speed = true; break;
    case FALCO_CAPTURE_IF_IPV4_NOLINKSPEED: addr_len = 4; has_speed = false; break;
    case FALCO_CAPTURE_IF_IPV6_NOLINKSPEED: addr_len = 16; has_speed = false; break;
    default:
        return cur_fail(c, FALCO_EPARSE, "unknown interface type %u", f->type);
    }
    if (!cur_raw(c, f->addr, addr_len, "addr") || !cur_raw(c, f->netmask, addr_len, "netmask") ||
        !cur_raw(c, f->bcast, addr_len, "bcast"))
        return false;
    if (has_speed && !cur_u64(c, &f->linkspeed, "linkspeed"))
        return false;
    if (!cur_need(c, namelen, "ifname"))
        return false;
    f->name = falco__arena_strdup(&c->m->arena, c->p + c->pos, namelen);
    if (!f->name)
        return cur_fail(c, FALCO_ENOMEM, "out of memory");
    c->pos += namelen;
    f->type = addr_len == 4 ? FALCO_CAPTURE_IF_IPV4 : FALCO_CAPTURE_IF_IPV6;
    return cur_end_entry(c, start, entry_len);
}

static bool parse_iflist(cursor *c, bool v2)
{
    falco__meta *m = c->m;
    while (c->len - c->pos >= 4) {
        GROW(c, m->ifs, m->pub.interface_count, m->if_cap);
        if (!parse_if_entry(c, v2, &m->ifs[m->pub.interface_count]))
            return false;
        m->pub.interface_count++;
        c->entry++;
    }
    return true;
}

/* ---- user list ---- */

static bool parse_userlist(cursor *c, bool v2)
{
    falco__meta *m = c->m;
    while (c->len - c->pos >= 4) {
        size_t start = c->pos;
        uint32_t sub_len = 0;
        uint8_t type;
        if (v2 && !cur_u32(c, &sub_len, "entry length"))
            return false;
        if (!cur_u8(c, &type, "type"))
            return false;
        if (type == 0) { /* user; libscap reads any other value as a group */
            GROW(c, m->users, m->pub.user_count, m->user_cap);
            falco_capture_user *u = &m->users[m->pub.user_count];
            if (!cur_u32(c, &u->uid, "uid") || !cur_u32(c, &u->gid, "gid") || !cur_cstr(c, &u->name, "name") ||
                !cur_cstr(c, &u->homedir, "homedir") || !cur_cstr(c, &u->shell, "shell"))
                return false;
            m->pub.user_count++;
        } else {
            GROW(c, m->groups, m->pub.group_count, m->group_cap);
            falco_capture_group *g = &m->groups[m->pub.group_count];
            if (!cur_u32(c, &g->gid, "gid") || !cur_cstr(c, &g->name, "name"))
                return false;
            m->pub.group_count++;
        }
        if (!cur_end_entry(c, start, sub_len))
            return false;
        c->entry++;
    }
    return true;
}

/* ---- dispatch ---- */

bool falco__meta_is_known(uint32_t bt)
{
    switch (bt) {
    case FALCO_CAPTURE_BLOCK_MACHINE: case FALCO_CAPTURE_BLOCK_MACHINE_INT:
    case FALCO_CAPTURE_BLOCK_FDLIST: case FALCO_CAPTURE_BLOCK_FDLIST_INT: case FALCO_CAPTURE_BLOCK_FDLIST_V2:
    case FALCO_CAPTURE_BLOCK_IFLIST: case FALCO_CAPTURE_BLOCK_IFLIST_INT: case FALCO_CAPTURE_BLOCK_IFLIST_V2:
    case FALCO_CAPTURE_BLOCK_USERLIST: case FALCO_CAPTURE_BLOCK_USERLIST_INT: case FALCO_CAPTURE_BLOCK_USERLIST_V2:
        return true;
    default:
        return proclist_version(bt) != 0;
    }
}

falco_rc falco__meta_parse(falco__meta *m, uint32_t bt, const uint8_t *body, size_t len, uint64_t block_off,
                           char *err, size_t errlen)
{
    cursor c = { .p = body, .len = len, .m = m, .block = falco_capture_block_name(bt), .block_off = block_off,
                 .err = err, .errlen = errlen, .rc = FALCO_OK };
    int ver = proclist_version(bt);
    if (ver)
        parse_proclist(&c, ver);
    else if (bt == FALCO_CAPTURE_BLOCK_MACHINE || bt == FALCO_CAPTURE_BLOCK_MACHINE_INT)
        parse_machine(&c);
    else if (bt == FALCO_CAPTURE_BLOCK_FDLIST || bt == FALCO_CAPTURE_BLOCK_FDLIST_INT || bt == FALCO_CAPTURE_BLOCK_FDLIST_V2)
        parse_fdlist(&c, bt == FALCO_CAPTURE_BLOCK_FDLIST_V2);
    else if (bt == FALCO_CAPTURE_BLOCK_IFLIST || bt == FALCO_CAPTURE_BLOCK_IFLIST_INT || bt == FALCO_CAPTURE_BLOCK_IFLIST_V2)
        parse_iflist(&c, bt == FALCO_CAPTURE_BLOCK_IFLIST_V2);
    else
        parse_userlist(&c, bt == FALCO_CAPTURE_BLOCK_USERLIST_V2);
    /* Arrays may have moved: refresh the public view. */
    m->pub.processes = m->procs;
    m->pub.fds = m->fds;
    m->pub.users = m->users;
    m->pub.groups = m->groups;
    m->pub.interfaces = m->ifs;
    return c.rc;
}

void falco__meta_free(falco__meta *m)
{
    free(m->procs);
    free(m->fds);
    free(m->users);
    free(m->groups);
    free(m->ifs);
    falco__arena_free(&m->arena);
    memset(m, 0, sizeof *m);
}
