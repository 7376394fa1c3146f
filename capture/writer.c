/*
 * writer.c - writes capture files in the layout current libscap writes:
 * section header 1.2, machine info, IL_V2, UL_V2, PL_V9, FDL_V2 (one block
 * per thread), then EV_V2/EVF_V2 event blocks (_LARGE for large payloads).
 * Each block is assembled in memory, then written whole.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>

#include "capture_internal.h"

/* Non-LARGE event blocks must fit libscap's 64 KiB read buffer (block minus
 * its 8-byte header). */
#define WRITER_SMALL_BLOCK_MAX (64u * 1024u)

struct falco_capture_writer {
    FILE *file;
    gzFile gz;
    char *path;
    uint8_t *buf; /* block being assembled */
    size_t len, cap;
    bool oom;
    falco_rc failed; /* first write failure, reported again at close */
    char err[FALCO__ERRLEN];
};

static falco_rc writer_fail(falco_capture_writer *w, falco_rc rc, const char *fmt, ...) FALCO_PRINTF(3, 4);
static falco_rc writer_fail(falco_capture_writer *w, falco_rc rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->err, sizeof w->err, fmt, ap);
    va_end(ap);
    return rc;
}

/* ---- block assembly ---- */

static uint8_t *put(falco_capture_writer *w, size_t n)
{
    if (w->oom)
        return NULL;
    if (w->len + n > w->cap) {
        size_t ncap = w->cap ? w->cap : 4096;
        while (ncap < w->len + n)
            ncap *= 2;
        uint8_t *b = realloc(w->buf, ncap);
        if (!b) {
            w->oom = true;
            return NULL;
        }
        w->buf = b;
        w->cap = ncap;
    }
    uint8_t *p = w->buf + w->len;
    w->len += n;
    return p;
}
static void put_u8(falco_capture_writer *w, uint8_t v)
{
    uint8_t *p = put(w, 1);
    if (p)
        *p = v;
}
static void put_u16(falco_capture_writer *w, uint16_t v)
{
    uint8_t *p = put(w, 2);
    if (p)
        falco__st16(p, v);
}
static void put_u32(falco_capture_writer *w, uint32_t v)
{
    uint8_t *p = put(w, 4);
    if (p)
        falco__st32(p, v);
}
static void put_u64(falco_capture_writer *w, uint64_t v)
{
    uint8_t *p = put(w, 8);
    if (p)
        falco__st64(p, v);
}
static void put_bytes(falco_capture_writer *w, const void *d, size_t n)
{
    uint8_t *p = put(w, n);
    if (p && n)
        memcpy(p, d, n);
}
/* A u16-length-prefixed string; longer than 65535 bytes is a caller error. */
static bool put_str16(falco_capture_writer *w, const char *s, size_t n)
{
    if (n > UINT16_MAX)
        return false;
    put_u16(w, (uint16_t)n);
    put_bytes(w, s ? s : "", n);
    return true;
}
static bool put_cstr(falco_capture_writer *w, const char *s) { return put_str16(w, s, s ? strlen(s) : 0); }

static void block_begin(falco_capture_writer *w, uint32_t type)
{
    w->len = 0;
    w->oom = false;
    put_u32(w, type);
    put_u32(w, 0); /* patched by block_end */
}

static falco_rc sink_write(falco_capture_writer *w, const void *data, size_t n)
{
    if (w->failed != FALCO_OK)
        return w->failed;
    bool ok;
    if (w->gz) {
        ok = true;
        const uint8_t *p = data;
        while (n > 0 && ok) {
            unsigned chunk = n > (1u << 30) ? (1u << 30) : (unsigned)n;
            ok = gzwrite(w->gz, p, chunk) == (int)chunk;
            p += chunk;
            n -= chunk;
        }
    } else {
        ok = fwrite(data, 1, n, w->file) == n;
    }
    if (!ok) {
        w->failed = FALCO_ERROR;
        return writer_fail(w, FALCO_ERROR, "%s: write failed: %s", w->path, strerror(errno));
    }
    return FALCO_OK;
}

/* Pads the body to 4 bytes, appends the trailer, patches the length, writes. */
static falco_rc block_end(falco_capture_writer *w, const char *what)
{
    size_t body = w->len;
    put(w, falco__pad4(body) - body);
    if (!w->oom)
        memset(w->buf + body, 0, w->len - body);
    put_u32(w, 0);
    if (w->oom)
        return writer_fail(w, FALCO_ENOMEM, "%s: out of memory assembling the %s block", w->path, what);
    if (w->len > UINT32_MAX)
        return writer_fail(w, FALCO_ERANGE, "%s: %s block of %zu bytes exceeds 4 GiB", w->path, what, w->len);
    falco__st32(w->buf + 4, (uint32_t)w->len);
    falco__st32(w->buf + w->len - 4, (uint32_t)w->len);
    return sink_write(w, w->buf, w->len);
}

/* ---- metadata blocks ---- */

static falco_rc write_section(falco_capture_writer *w)
{
    block_begin(w, FALCO_CAPTURE_BLOCK_SECTION);
    put_u32(w, 0x1A2B3C4Du);
    put_u16(w, 1);
    put_u16(w, 2);
    put_u64(w, UINT64_MAX); /* section length unknown */
    return block_end(w, "section header");
}

static falco_rc write_machine(falco_capture_writer *w, const falco_capture_machine_info *mi)
{
    falco_capture_machine_info def = { .num_cpus = 1 };
    char host[128] = { 0 };
    if (!mi)
        mi = &def;
    memcpy(host, mi->hostname, strnlen(mi->hostname, sizeof host));
    block_begin(w, FALCO_CAPTURE_BLOCK_MACHINE);
    put_u32(w, mi->num_cpus);
    put_u64(w, mi->memory_size_bytes);
    put_u64(w, mi->max_pid);
    put_bytes(w, host, sizeof host);
    put_u64(w, mi->boot_ts_epoch);
    put_u64(w, mi->flags);
    put_u64(w, 0);
    put_u64(w, 0);
    return block_end(w, "machine info");
}

static falco_rc write_iflist(falco_capture_writer *w, const falco_capture_metadata *m)
{
    if (!m->interface_count)
        return FALCO_OK;
    block_begin(w, FALCO_CAPTURE_BLOCK_IFLIST_V2);
    for (size_t i = 0; i < m->interface_count; i++) {
        const falco_capture_interface *f = &m->interfaces[i];
        bool v6 = f->type == FALCO_CAPTURE_IF_IPV6 || f->type == FALCO_CAPTURE_IF_IPV6_NOLINKSPEED;
        size_t alen = v6 ? 16 : 4, nlen = f->name ? strlen(f->name) : 0;
        if (nlen > UINT16_MAX)
            return writer_fail(w, FALCO_EINVAL, "interface %zu: name longer than 65535 bytes", i);
        put_u32(w, (uint32_t)(2 + 2 + 3 * alen + 8 + nlen)); /* does not count itself */
        put_u16(w, v6 ? FALCO_CAPTURE_IF_IPV6 : FALCO_CAPTURE_IF_IPV4);
        put_u16(w, (uint16_t)nlen);
        put_bytes(w, f->addr, alen);
        put_bytes(w, f->netmask, alen);
        put_bytes(w, f->bcast, alen);
        put_u64(w, f->linkspeed);
        put_bytes(w, f->name, nlen);
    }
    return block_end(w, "interface list");
}

static falco_rc write_userlist(falco_capture_writer *w, const falco_capture_metadata *m)
{
    if (!m->user_count && !m->group_count)
        return FALCO_OK;
    block_begin(w, FALCO_CAPTURE_BLOCK_USERLIST_V2);
    for (size_t i = 0; i < m->user_count; i++) {
        const falco_capture_user *u = &m->users[i];
        size_t start = w->len;
        put_u32(w, 0);
        put_u8(w, 0);
        put_u32(w, u->uid);
        put_u32(w, u->gid);
        if (!put_cstr(w, u->name) || !put_cstr(w, u->homedir) || !put_cstr(w, u->shell))
            return writer_fail(w, FALCO_EINVAL, "user %zu: a string is longer than 65535 bytes", i);
        if (!w->oom)
            falco__st32(w->buf + start, (uint32_t)(w->len - start)); /* counts itself */
    }
    for (size_t i = 0; i < m->group_count; i++) {
        const falco_capture_group *g = &m->groups[i];
        size_t start = w->len;
        put_u32(w, 0);
        put_u8(w, 1);
        put_u32(w, g->gid);
        if (!put_cstr(w, g->name))
            return writer_fail(w, FALCO_EINVAL, "group %zu: name longer than 65535 bytes", i);
        if (!w->oom)
            falco__st32(w->buf + start, (uint32_t)(w->len - start));
    }
    return block_end(w, "user list");
}

static bool put_proc(falco_capture_writer *w, const falco_capture_process *t)
{
    size_t start = w->len;
    put_u32(w, 0);
    put_u64(w, t->tid);
    put_u64(w, t->pid);
    put_u64(w, t->ptid);
    put_u64(w, (uint64_t)t->sid);
    put_u64(w, (uint64_t)t->vpgid);
    if (!put_cstr(w, t->comm) || !put_cstr(w, t->exe) || !put_cstr(w, t->exepath) ||
        !put_str16(w, t->args.data, t->args.len) || !put_cstr(w, t->cwd))
        return false;
    put_u64(w, t->fdlimit);
    put_u32(w, t->flags);
    put_u32(w, t->uid);
    put_u32(w, t->gid);
    put_u32(w, t->vmsize_kb);
    put_u32(w, t->vmrss_kb);
    put_u32(w, t->vmswap_kb);
    put_u64(w, t->pfmajor);
    put_u64(w, t->pfminor);
    if (!put_str16(w, t->env.data, t->env.len))
        return false;
    put_u64(w, (uint64_t)t->vtid);
    put_u64(w, (uint64_t)t->vpid);
    if (!put_str16(w, t->cgroups.data, t->cgroups.len) || !put_cstr(w, t->root))
        return false;
    put_u64(w, t->pidns_init_start_ts);
    put_u32(w, t->tty);
    put_u32(w, t->loginuid);
    put_u8(w, t->exe_writable);
    put_u64(w, t->cap_inheritable);
    put_u64(w, t->cap_permitted);
    put_u64(w, t->cap_effective);
    put_u8(w, t->exe_upper_layer);
    put_u64(w, t->exe_ino);
    put_u64(w, t->exe_ino_ctime);
    put_u64(w, t->exe_ino_mtime);
    put_u8(w, t->exe_from_memfd);
    if (!w->oom)
        falco__st32(w->buf + start, (uint32_t)(w->len - start)); /* counts itself */
    return true;
}

static falco_rc write_proclist(falco_capture_writer *w, const falco_capture_metadata *m)
{
    if (!m->process_count)
        return FALCO_OK;
    block_begin(w, FALCO_CAPTURE_BLOCK_PROCLIST_V9);
    for (size_t i = 0; i < m->process_count; i++)
        if (!put_proc(w, &m->processes[i]))
            return writer_fail(w, FALCO_EINVAL, "process %zu (tid %llu): a string is longer than 65535 bytes", i,
                               (unsigned long long)m->processes[i].tid);
    return block_end(w, "process list");
}

static bool put_fd(falco_capture_writer *w, const falco_capture_fd *f)
{
    size_t start = w->len;
    put_u32(w, 0);
    put_u64(w, (uint64_t)f->fd);
    put_u64(w, f->ino);
    put_u8(w, f->type);
    switch (f->type) {
    case FALCO_CAPTURE_FD_IPV4_SOCK:
    case FALCO_CAPTURE_FD_IPV6_SOCK: {
        size_t alen = f->type == FALCO_CAPTURE_FD_IPV4_SOCK ? 4 : 16;
        put_bytes(w, f->sip, alen);
        put_bytes(w, f->dip, alen);
        put_u16(w, f->sport);
        put_u16(w, f->dport);
        put_u8(w, f->l4proto);
        break;
    }
    case FALCO_CAPTURE_FD_IPV4_SERVSOCK:
    case FALCO_CAPTURE_FD_IPV6_SERVSOCK:
        put_bytes(w, f->sip, f->type == FALCO_CAPTURE_FD_IPV4_SERVSOCK ? 4 : 16);
        put_u16(w, f->sport);
        put_u8(w, f->l4proto);
        break;
    case FALCO_CAPTURE_FD_UNIX_SOCK:
        put_u64(w, f->unix_source);
        put_u64(w, f->unix_dest);
        if (!put_cstr(w, f->name))
            return false;
        break;
    case FALCO_CAPTURE_FD_FILE_V2:
        put_u32(w, f->open_flags);
        if (!put_cstr(w, f->name))
            return false;
        put_u32(w, f->dev);
        break;
    default: /* every other known type carries just a name */
        if (!put_cstr(w, f->name))
            return false;
        break;
    }
    if (!w->oom)
        falco__st32(w->buf + start, (uint32_t)(w->len - start));
    return true;
}

static bool fd_type_writable(uint8_t t) { return t >= FALCO_CAPTURE_FD_FILE && t <= FALCO_CAPTURE_FD_PIDFD; }

static falco_rc write_fdlists(falco_capture_writer *w, const falco_capture_metadata *m)
{
    for (size_t i = 0; i < m->fd_count;) {
        uint64_t tid = m->fds[i].tid;
        block_begin(w, FALCO_CAPTURE_BLOCK_FDLIST_V2);
        put_u64(w, tid);
        for (; i < m->fd_count && m->fds[i].tid == tid; i++) {
            if (!fd_type_writable(m->fds[i].type))
                return writer_fail(w, FALCO_EINVAL, "fd %zu (tid %llu, fd %lld): type %u cannot be written", i,
                                   (unsigned long long)tid, (long long)m->fds[i].fd, m->fds[i].type);
            if (!put_fd(w, &m->fds[i]))
                return writer_fail(w, FALCO_EINVAL, "fd %zu (tid %llu): name longer than 65535 bytes", i,
                                   (unsigned long long)tid);
        }
        FALCO_TRY(block_end(w, "fd list"));
    }
    return FALCO_OK;
}

/* ---- public ---- */

static falco_capture_writer *open_fail(falco_capture_writer *w, falco_rc rc, falco_capture_error *err)
{
    if (err) {
        err->rc = rc;
        snprintf(err->msg, sizeof err->msg, "%s", w->err);
    }
    w->failed = rc;
    falco_capture_writer_close(w, NULL);
    return NULL;
}

falco_capture_writer *falco_capture_writer_open(const char *path, const falco_capture_writer_options *options,
                                                falco_capture_error *err)
{
    falco_capture_writer_options defaults = { 0 };
    falco_capture_metadata no_meta = { 0 };
    if (!options)
        options = &defaults;
    falco_capture_writer *w = calloc(1, sizeof *w);
    if (!w || !path || !(w->path = strdup(path))) {
        if (err) {
            err->rc = path ? FALCO_ENOMEM : FALCO_EINVAL;
            snprintf(err->msg, sizeof err->msg, "%s", path ? "out of memory" : "capture path is NULL");
        }
        free(w);
        return NULL;
    }
    if (options->gzip) {
        char mode[8];
        int level = options->gzip_level;
        if (level < 0 || level > 9) {
            writer_fail(w, FALCO_EINVAL, "%s: gzip_level %d outside 0..9", path, level);
            return open_fail(w, FALCO_EINVAL, err);
        }
        snprintf(mode, sizeof mode, level ? "wb%d" : "wb", level);
        w->gz = gzopen(path, mode);
    } else {
        w->file = fopen(path, "wb");
    }
    if (!w->gz && !w->file) {
        writer_fail(w, FALCO_ERROR, "%s: cannot create: %s", path, strerror(errno));
        return open_fail(w, FALCO_ERROR, err);
    }
    const falco_capture_metadata *m = options->metadata ? options->metadata : &no_meta;
    falco_rc rc = write_section(w);
    if (rc == FALCO_OK)
        rc = write_machine(w, m->machine);
    if (rc == FALCO_OK)
        rc = write_iflist(w, m);
    if (rc == FALCO_OK)
        rc = write_userlist(w, m);
    if (rc == FALCO_OK)
        rc = write_proclist(w, m);
    if (rc == FALCO_OK)
        rc = write_fdlists(w, m);
    if (rc != FALCO_OK)
        return open_fail(w, rc, err);
    return w;
}

falco_rc falco_capture_writer_write_event(falco_capture_writer *w, const void *event, size_t len, uint16_t cpu,
                                          uint32_t flags)
{
    if (!w || (!event && len))
        return FALCO_EINVAL;
    w->err[0] = '\0';
    const uint8_t *ev = event;
    if (len < FALCO_CAPTURE_EVENT_HEADER_LEN)
        return writer_fail(w, FALCO_EINVAL, "event of %zu bytes is shorter than the 26-byte header", len);
    uint32_t hlen = falco__ld32(ev + 16);
    uint16_t type = falco__ld16(ev + 20);
    uint32_t np = falco__ld32(ev + 22);
    if (hlen != len)
        return writer_fail(w, FALCO_EINVAL, "event type %u: header length %u differs from the %zu bytes given", type,
                           hlen, len);
    uint64_t width = falco_capture_is_large_payload(type) ? 4 : 2;
    uint64_t need = FALCO_CAPTURE_EVENT_HEADER_LEN + width * np;
    if (need > len)
        return writer_fail(w, FALCO_EINVAL, "event type %u: %u parameter lengths do not fit in %zu bytes", type, np, len);
    for (uint32_t i = 0; i < np && need <= len; i++)
        need += width == 4 ? falco__ld32(ev + 26 + 4 * (size_t)i) : falco__ld16(ev + 26 + 2 * (size_t)i);
    if (need > len)
        return writer_fail(w, FALCO_EINVAL, "event type %u: parameters need more than the event's %zu bytes", type, len);
    size_t total = falco__pad4(8 + 2 + (flags ? 4 : 0) + len) + 4;
    bool large = width == 4 || total - 8 > WRITER_SMALL_BLOCK_MAX;
    uint32_t bt = flags ? (large ? FALCO_CAPTURE_BLOCK_EVF_V2_LARGE : FALCO_CAPTURE_BLOCK_EVF_V2)
                        : (large ? FALCO_CAPTURE_BLOCK_EV_V2_LARGE : FALCO_CAPTURE_BLOCK_EV_V2);
    block_begin(w, bt);
    put_u16(w, cpu);
    if (flags)
        put_u32(w, flags);
    put_bytes(w, ev, len);
    return block_end(w, "event");
}

const char *falco_capture_writer_errmsg(const falco_capture_writer *w)
{
    return w ? w->err : "capture writer is NULL";
}

falco_rc falco_capture_writer_close(falco_capture_writer *w, falco_capture_error *err)
{
    if (!w)
        return FALCO_OK;
    falco_rc rc = w->failed;
    if (w->gz) {
        int zrc = gzclose(w->gz);
        if (zrc != Z_OK && rc == FALCO_OK) {
            rc = FALCO_ERROR;
            writer_fail(w, rc, "%s: closing the gzip stream failed (zlib error %d)", w->path, zrc);
        }
    }
    if (w->file && fclose(w->file) != 0 && rc == FALCO_OK) {
        rc = FALCO_ERROR;
        writer_fail(w, rc, "%s: close failed: %s", w->path, strerror(errno));
    }
    if (err) {
        err->rc = rc;
        snprintf(err->msg, sizeof err->msg, "%s", rc == FALCO_OK ? "" : w->err);
    }
    free(w->path);
    free(w->buf);
    free(w);
    return rc;
}
