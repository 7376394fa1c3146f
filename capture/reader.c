/*
 * reader.c - the capture reader: block framing, the section header, the
 * metadata phase up to the first event, and event blocks of every variant
 * (EV/EVF, their _V2 and _V2_LARGE forms, the pre-release EV_INT). Old-format
 * events (no nparams in the header) are rewritten in place to the current
 * header, as libscap does.
 */
#include <stdarg.h>
#include <stdlib.h>

#include "capture_internal.h"

/* A corrupt length must not make us allocate gigabytes; libscap's largest
 * blocks (process lists of big hosts, large-payload events) stay far below. */
#define READER_MAX_BLOCK (256u * 1024u * 1024u)
/* Grow the block buffer in steps as data arrives, so a huge claimed length in
 * a short file fails on truncation before allocating much. */
#define READER_READ_STEP (1024u * 1024u)

/* Event types whose old-format length was 3 bytes too long (libscap fixes
 * them the same way): PPME_NOTIFICATION_E, PPME_INFRASTRUCTURE_EVENT_E. */
#define EVENT_NOTIFICATION_E 280
#define EVENT_INFRASTRUCTURE_EVENT_E 286

struct falco_capture_reader {
    falco__source src;
    falco__meta meta;
    uint8_t *buf; /* the current block */
    size_t cap;
    uint16_t major, minor;
    bool have_pending;      /* buf holds an event block read during open */
    uint64_t pending_off;
    uint32_t pending_type, pending_len;
    uint64_t events;        /* events delivered */
    falco_rc sticky;        /* EOF or the error that ended the stream */
    char err[FALCO__ERRLEN];
};

static falco_rc reader_fail(falco_capture_reader *r, falco_rc rc, const char *fmt, ...) FALCO_PRINTF(3, 4);
static falco_rc reader_fail(falco_capture_reader *r, falco_rc rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err, sizeof r->err, fmt, ap);
    va_end(ap);
    r->sticky = rc;
    return rc;
}

bool falco_capture_is_event_block(uint32_t bt)
{
    switch (bt) {
    case FALCO_CAPTURE_BLOCK_EV: case FALCO_CAPTURE_BLOCK_EV_INT: case FALCO_CAPTURE_BLOCK_EVF:
    case FALCO_CAPTURE_BLOCK_EV_V2: case FALCO_CAPTURE_BLOCK_EVF_V2:
    case FALCO_CAPTURE_BLOCK_EV_V2_LARGE: case FALCO_CAPTURE_BLOCK_EVF_V2_LARGE:
        return true;
    default:
        return false;
    }
}

bool falco_capture_is_large_payload(uint16_t type)
{
    return type == 322 || type == 324 || type == 402;
}

const char *falco_capture_block_name(uint32_t bt)
{
    switch (bt) {
    case FALCO_CAPTURE_BLOCK_SECTION: return "SECTION_HEADER";
    case FALCO_CAPTURE_BLOCK_MACHINE: return "MACHINE_INFO";
    case FALCO_CAPTURE_BLOCK_MACHINE_INT: return "MACHINE_INFO_INT";
    case FALCO_CAPTURE_BLOCK_PROCLIST_V1: return "PROCLIST_V1";
    case FALCO_CAPTURE_BLOCK_PROCLIST_V1_INT: return "PROCLIST_V1_INT";
    case FALCO_CAPTURE_BLOCK_PROCLIST_V2: return "PROCLIST_V2";
    case FALCO_CAPTURE_BLOCK_PROCLIST_V2_INT: return "PROCLIST_V2_INT";
    case FALCO_CAPTURE_BLOCK_PROCLIST_V3: return "PROCLIST_V3";
    case FALCO_CAPTURE_BLOCK_PROCLIST_V3_INT: return "PROCLIST_V3_INT";
    case FALCO_CAPTURE_BLOCK_PROCLIST_V4: return "PROCLIST_V4";
    case FALCO_CAPTURE_BLOCK_PROCLIST_V5: return "PROCLIST_V5";
    case FALCO_CAPTURE_BLOCK_PROCLIST_V6: return "PROCLIST_V6";
    case FALCO_CAPTURE_BLOCK_PROCLIST_V7: return "PROCLIST_V7";
    case FALCO_CAPTURE_BLOCK_PROCLIST_V8: return "PROCLIST_V8";
    case FALCO_CAPTURE_BLOCK_PROCLIST_V9: return "PROCLIST_V9";
    case FALCO_CAPTURE_BLOCK_FDLIST: return "FDLIST";
    case FALCO_CAPTURE_BLOCK_FDLIST_INT: return "FDLIST_INT";
    case FALCO_CAPTURE_BLOCK_FDLIST_V2: return "FDLIST_V2";
    case FALCO_CAPTURE_BLOCK_EV: return "EV";
    case FALCO_CAPTURE_BLOCK_EV_INT: return "EV_INT";
    case FALCO_CAPTURE_BLOCK_EVF: return "EVF";
    case FALCO_CAPTURE_BLOCK_EV_V2: return "EV_V2";
    case FALCO_CAPTURE_BLOCK_EVF_V2: return "EVF_V2";
    case FALCO_CAPTURE_BLOCK_EV_V2_LARGE: return "EV_V2_LARGE";
    case FALCO_CAPTURE_BLOCK_EVF_V2_LARGE: return "EVF_V2_LARGE";
    case FALCO_CAPTURE_BLOCK_IFLIST: return "IFLIST";
    case FALCO_CAPTURE_BLOCK_IFLIST_INT: return "IFLIST_INT";
    case FALCO_CAPTURE_BLOCK_IFLIST_V2: return "IFLIST_V2";
    case FALCO_CAPTURE_BLOCK_USERLIST: return "USERLIST";
    case FALCO_CAPTURE_BLOCK_USERLIST_INT: return "USERLIST_INT";
    case FALCO_CAPTURE_BLOCK_USERLIST_V2: return "USERLIST_V2";
    default: return "UNKNOWN";
    }
}

static bool reserve(falco_capture_reader *r, size_t need)
{
    if (need <= r->cap)
        return true;
    size_t ncap = r->cap ? r->cap : 4096;
    while (ncap < need)
        ncap *= 2;
    uint8_t *n = realloc(r->buf, ncap);
    if (!n)
        return false;
    r->buf = n;
    r->cap = ncap;
    return true;
}

/* Reads one whole block into r->buf and checks its framing. Returns FALCO_EOF
 * when the data ends exactly on a block boundary. */
static falco_rc read_block(falco_capture_reader *r, uint64_t *off, uint32_t *type, uint32_t *total)
{
    size_t got;
    char serr[FALCO__ERRLEN];
    *off = r->src.offset;
    *type = 0; /* unknown until the header is read */
    if (!reserve(r, 4096))
        return reader_fail(r, FALCO_ENOMEM, "block at offset %llu: out of memory", (unsigned long long)*off);
    falco_rc rc = falco__source_read(&r->src, r->buf, 8, &got, serr, sizeof serr);
    if (rc != FALCO_OK)
        return reader_fail(r, rc, "block at offset %llu: %s", (unsigned long long)*off, serr);
    if (got == 0)
        return r->src.gzip_truncated
                   ? reader_fail(r, FALCO_ETRUNCATED, "offset %llu: the gzip stream is truncated before the next block",
                                 (unsigned long long)*off)
                   : FALCO_EOF;
    if (got < 8)
        return reader_fail(r, FALCO_ETRUNCATED, "block at offset %llu: file ends inside the block header (%zu of 8 bytes)",
                           (unsigned long long)*off, got);
    *type = falco__ld32(r->buf);
    *total = falco__ld32(r->buf + 4);
    if (*off == 0 && *type != FALCO_CAPTURE_BLOCK_SECTION)
        return reader_fail(r, FALCO_EPARSE, "offset 0: not a capture file (first block type 0x%08x, expected 0x0a0d0d0a)",
                           *type);
    const char *name = falco_capture_block_name(*type);
    if (*total < 12)
        return reader_fail(r, FALCO_EPARSE, "%s block (type 0x%x) at offset %llu: length %u is below the 12-byte minimum",
                           name, *type, (unsigned long long)*off, *total);
    if (*total > READER_MAX_BLOCK)
        return reader_fail(r, FALCO_EPARSE, "%s block (type 0x%x) at offset %llu: length %u exceeds the %u-byte limit",
                           name, *type, (unsigned long long)*off, *total, READER_MAX_BLOCK);
    size_t have = 8;
    while (have < *total) {
        size_t step = *total - have < READER_READ_STEP ? *total - have : READER_READ_STEP;
        /* +4: room to rewrite an old-format event in place */
        if (!reserve(r, have + step + 4))
            return reader_fail(r, FALCO_ENOMEM, "%s block at offset %llu: out of memory for %u bytes", name,
                               (unsigned long long)*off, *total);
        rc = falco__source_read(&r->src, r->buf + have, step, &got, serr, sizeof serr);
        if (rc != FALCO_OK)
            return reader_fail(r, rc, "%s block at offset %llu: %s", name, (unsigned long long)*off, serr);
        have += got;
        if (got < step)
            return reader_fail(r, FALCO_ETRUNCATED,
                               "%s block at offset %llu: file ends after %zu of its %u bytes%s", name,
                               (unsigned long long)*off, have, *total,
                               r->src.gzip_truncated ? " (gzip stream truncated)" : "");
    }
    uint32_t trailer = falco__ld32(r->buf + *total - 4);
    if (trailer != *total)
        return reader_fail(r, FALCO_EPARSE, "%s block at offset %llu: trailer length %u differs from header length %u",
                           name, (unsigned long long)*off, trailer, *total);
    return FALCO_OK;
}

static falco_rc parse_section(falco_capture_reader *r, uint64_t off, uint32_t total)
{
    if (total < 8 + 16 + 4)
        return reader_fail(r, FALCO_EPARSE, "section header at offset %llu: length %u is below the 28-byte minimum",
                           (unsigned long long)off, total);
    uint32_t magic = falco__ld32(r->buf + 8);
    if (magic == 0x4D3C2B1Au)
        return reader_fail(r, FALCO_EPARSE, "section header at offset %llu: big-endian captures are not supported",
                           (unsigned long long)off);
    if (magic != 0x1A2B3C4Du)
        return reader_fail(r, FALCO_EPARSE, "section header at offset %llu: bad byte-order magic 0x%08x",
                           (unsigned long long)off, magic);
    r->major = falco__ld16(r->buf + 12);
    r->minor = falco__ld16(r->buf + 14);
    if (r->major != 1)
        return reader_fail(r, FALCO_EPARSE, "section header at offset %llu: format version %u.%u is not 1.x",
                           (unsigned long long)off, r->major, r->minor);
    return FALCO_OK;
}

/* Section header, then metadata until the first event block (kept pending). */
static falco_rc read_headers(falco_capture_reader *r)
{
    uint64_t off;
    uint32_t type, total;
    falco_rc rc = read_block(r, &off, &type, &total);
    if (rc == FALCO_EOF)
        return reader_fail(r, FALCO_ETRUNCATED, "offset 0: empty file, no section header");
    if (rc != FALCO_OK)
        return rc;
    FALCO_TRY(parse_section(r, off, total));
    for (;;) {
        rc = read_block(r, &off, &type, &total);
        if (rc == FALCO_EOF) {
            r->sticky = FALCO_EOF; /* a capture with no events is valid for us */
            return FALCO_OK;
        }
        if (rc != FALCO_OK) {
            /* A bad first event block (or a cut before its type is known) is
             * reported by falco_capture_next(), like any later event: the
             * metadata read so far is good. */
            if (type == 0 || falco_capture_is_event_block(type))
                return FALCO_OK;
            return rc;
        }
        if (falco_capture_is_event_block(type)) {
            r->have_pending = true;
            r->pending_off = off;
            r->pending_type = type;
            r->pending_len = total;
            return FALCO_OK;
        }
        if (type == FALCO_CAPTURE_BLOCK_SECTION) {
            FALCO_TRY(parse_section(r, off, total));
        } else if (falco__meta_is_known(type)) {
            rc = falco__meta_parse(&r->meta, type, r->buf + 8, total - 12, off, r->err, sizeof r->err);
            if (rc != FALCO_OK) {
                r->sticky = rc;
                return rc;
            }
        }
        /* unknown block types are skipped, as libscap does */
    }
}

static falco_capture_reader *open_common(falco_capture_reader *r, falco_rc rc, falco_capture_error *err)
{
    if (rc == FALCO_OK)
        rc = read_headers(r);
    if (rc == FALCO_OK) {
        if (r->sticky == FALCO_OK)
            r->err[0] = '\0';
        return r;
    }
    if (err) {
        err->rc = rc;
        snprintf(err->msg, sizeof err->msg, "%s", r->err);
    }
    falco_capture_close(r);
    return NULL;
}

falco_capture_reader *falco_capture_open(const char *path, falco_capture_error *err)
{
    falco_capture_reader *r = calloc(1, sizeof *r);
    if (!r) {
        if (err) {
            err->rc = FALCO_ENOMEM;
            snprintf(err->msg, sizeof err->msg, "%s: out of memory", path ? path : "(null)");
        }
        return NULL;
    }
    if (!path) {
        snprintf(r->err, sizeof r->err, "capture path is NULL");
        return open_common(r, FALCO_EINVAL, err);
    }
    falco_rc rc = falco__source_open_file(&r->src, path, r->err, sizeof r->err);
    falco_capture_reader *out = open_common(r, rc, err);
    if (!out && err) {
        /* Prefix the path so the message says which file. */
        char tmp[sizeof err->msg];
        memcpy(tmp, err->msg, sizeof tmp);
        if (strncmp(tmp, path, strlen(path)) != 0) {
            size_t plen = strnlen(path, sizeof err->msg / 2);
            snprintf(err->msg, sizeof err->msg, "%.*s: %.*s", (int)plen, path, (int)(sizeof err->msg - plen - 3), tmp);
        }
    }
    return out;
}

falco_capture_reader *falco_capture_open_memory(const void *data, size_t len, falco_capture_error *err)
{
    falco_capture_reader *r = calloc(1, sizeof *r);
    if (!r) {
        if (err) {
            err->rc = FALCO_ENOMEM;
            snprintf(err->msg, sizeof err->msg, "out of memory");
        }
        return NULL;
    }
    falco_rc rc = falco__source_open_memory(&r->src, data, len, r->err, sizeof r->err);
    return open_common(r, rc, err);
}

/* Finds the pcapng comment option (code 1) after the event, if any. */
static void find_comment(const uint8_t *buf, size_t from, size_t end, falco_capture_block_info *info)
{
    size_t pos = falco__pad4(from);
    while (pos + 4 <= end) {
        uint16_t code = falco__ld16(buf + pos), len = falco__ld16(buf + pos + 2);
        if (code == 0 || len > end - pos - 4)
            return;
        if (code == 1) {
            info->comment = (const char *)buf + pos + 4;
            info->comment_len = len;
            return;
        }
        pos += 4 + falco__pad4(len);
    }
}

/* Old events lack nparams: the parameter count is the one n for which the
 * 2-byte lengths and the values exactly fill the event (the end offset grows
 * strictly with n, so at most one n fits). */
static bool old_event_nparams(const uint8_t *ev, uint32_t len, uint32_t *nparams)
{
    uint64_t end = FALCO_CAPTURE_EVENT_HEADER_LEN; /* 26 + 2n + sum of the first n lengths */
    for (uint32_t n = 0;; n++) {
        if (end == len) {
            *nparams = n;
            return true;
        }
        uint64_t len_at = FALCO_CAPTURE_EVENT_HEADER_LEN + 2ull * n;
        if (end > len || len_at + 2 > len)
            return false;
        end += 2 + falco__ld16(ev + len_at);
    }
}

static falco_rc parse_event(falco_capture_reader *r, uint64_t off, uint32_t type, uint32_t total, const void **event,
                            size_t *len, falco_capture_block_info *info)
{
    const char *name = falco_capture_block_name(type);
    bool has_flags = type == FALCO_CAPTURE_BLOCK_EVF || type == FALCO_CAPTURE_BLOCK_EVF_V2 ||
                     type == FALCO_CAPTURE_BLOCK_EVF_V2_LARGE;
    bool old = type == FALCO_CAPTURE_BLOCK_EV || type == FALCO_CAPTURE_BLOCK_EVF || type == FALCO_CAPTURE_BLOCK_EV_INT;
    size_t ev_off = 8 + 2 + (has_flags ? 4 : 0);
    size_t hdr = old ? 22 : FALCO_CAPTURE_EVENT_HEADER_LEN;
    size_t body_end = total - 4;
    unsigned long long o = (unsigned long long)off;
    if (body_end < ev_off + hdr)
        return reader_fail(r, FALCO_EPARSE, "%s block at offset %llu: length %u cannot hold an event header", name, o, total);
    falco_capture_block_info bi = { .offset = off, .block_type = type, .block_len = total,
                                    .cpu = falco__ld16(r->buf + 8), .flags = has_flags ? falco__ld32(r->buf + 10) : 0,
                                    .index = r->events, .converted = old };
    uint8_t *ev = r->buf + ev_off;
    uint32_t evlen = falco__ld32(ev + 16);
    uint16_t evtype = falco__ld16(ev + 20);
    if (evlen < hdr || evlen > body_end - ev_off)
        return reader_fail(r, FALCO_EPARSE,
                           "%s block at offset %llu: event %llu (type %u) length %u outside [%zu, %zu] (block room)", name,
                           o, (unsigned long long)r->events, evtype, evlen, hdr, body_end - ev_off);
    find_comment(r->buf, ev_off + evlen, body_end, &bi);
    if (old) {
        /* Slide the 22-byte header 4 bytes left over cpu/flags (already read)
         * and put nparams in the gap: parameters stay where they are. */
        ev -= 4;
        memmove(ev, ev + 4, 22);
        evlen += 4;
        if ((evtype == EVENT_NOTIFICATION_E || evtype == EVENT_INFRASTRUCTURE_EVENT_E) &&
            evlen >= FALCO_CAPTURE_EVENT_HEADER_LEN + 3)
            evlen -= 3;
        uint32_t np;
        if (!old_event_nparams(ev, evlen, &np))
            return reader_fail(r, FALCO_EPARSE,
                               "%s block at offset %llu: event %llu (type %u): parameter lengths do not add up to the "
                               "event length %u",
                               name, o, (unsigned long long)r->events, evtype, evlen - 4);
        falco__st32(ev + 16, evlen);
        falco__st32(ev + 22, np);
    } else {
        uint32_t np = falco__ld32(ev + 22);
        uint64_t width = falco_capture_is_large_payload(evtype) ? 4 : 2;
        uint64_t lens_end = FALCO_CAPTURE_EVENT_HEADER_LEN + width * np;
        if (lens_end > evlen)
            return reader_fail(r, FALCO_EPARSE,
                               "%s block at offset %llu: event %llu (type %u): %u parameter lengths do not fit in length %u",
                               name, o, (unsigned long long)r->events, evtype, np, evlen);
        uint64_t sum = 0;
        for (uint32_t i = 0; i < np; i++)
            sum += width == 4 ? falco__ld32(ev + 26 + 4 * (size_t)i) : falco__ld16(ev + 26 + 2 * (size_t)i);
        if (lens_end + sum > evlen)
            return reader_fail(r, FALCO_EPARSE,
                               "%s block at offset %llu: event %llu (type %u): parameters need %llu bytes, event length is %u",
                               name, o, (unsigned long long)r->events, evtype, (unsigned long long)(lens_end + sum), evlen);
    }
    *event = ev;
    *len = evlen;
    if (info)
        *info = bi;
    r->events++;
    return FALCO_OK;
}

falco_rc falco_capture_next(falco_capture_reader *r, const void **event, size_t *len, falco_capture_block_info *info)
{
    if (!r || !event || !len)
        return FALCO_EINVAL;
    *event = NULL;
    *len = 0;
    if (r->sticky != FALCO_OK)
        return r->sticky;
    uint64_t off;
    uint32_t type, total;
    if (r->have_pending) {
        r->have_pending = false;
        off = r->pending_off;
        type = r->pending_type;
        total = r->pending_len;
    } else {
        for (;;) {
            falco_rc rc = read_block(r, &off, &type, &total);
            if (rc == FALCO_EOF)
                return r->sticky = FALCO_EOF;
            if (rc != FALCO_OK)
                return rc;
            if (falco_capture_is_event_block(type))
                break;
            if (type == FALCO_CAPTURE_BLOCK_SECTION)
                FALCO_TRY(parse_section(r, off, total));
            /* other blocks after the first event: framing checked, skipped */
        }
    }
    return parse_event(r, off, type, total, event, len, info);
}

const char *falco_capture_errmsg(const falco_capture_reader *r)
{
    return r ? r->err : "capture reader is NULL";
}

const falco_capture_metadata *falco_capture_get_metadata(const falco_capture_reader *r)
{
    return &r->meta.pub;
}

void falco_capture_version(const falco_capture_reader *r, uint16_t *major, uint16_t *minor)
{
    if (major)
        *major = r->major;
    if (minor)
        *minor = r->minor;
}

const falco_capture_fd *falco_capture_fds_of(const falco_capture_reader *r, uint64_t tid, size_t *count)
{
    const falco_capture_metadata *m = &r->meta.pub;
    *count = 0;
    for (size_t i = 0; i < m->fd_count; i++) {
        if (m->fds[i].tid != tid)
            continue;
        size_t n = 0;
        while (i + n < m->fd_count && m->fds[i + n].tid == tid)
            n++;
        *count = n;
        return &m->fds[i];
    }
    return NULL;
}

const falco_capture_process *falco_capture_find_process(const falco_capture_reader *r, uint64_t tid)
{
    const falco_capture_metadata *m = &r->meta.pub;
    for (size_t i = 0; i < m->process_count; i++)
        if (m->processes[i].tid == tid)
            return &m->processes[i];
    return NULL;
}

void falco_capture_close(falco_capture_reader *r)
{
    if (!r)
        return;
    falco__source_close(&r->src);
    falco__meta_free(&r->meta);
    free(r->buf);
    free(r);
}
