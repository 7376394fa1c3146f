/*
 * event_format.c - one-line text rendering of events, for logs and golden tests.
 *
 * The output is stable: it depends only on the event bytes and the compiled
 * table (no host state, no locale). Writes into a caller buffer snprintf-style.
 */
#include <inttypes.h>
#include <stdio.h>

#include "events/event_internal.h"

typedef struct text {
    char *buf;
    size_t cap;
    size_t n; /* length of the full text so far, even past cap */
} text;

static void put(text *t, const char *s, size_t len)
{
    if (t->n < t->cap) {
        size_t room = t->cap - t->n;
        memcpy(t->buf + t->n, s, len < room ? len : room);
    }
    t->n += len;
}

static void puts_(text *t, const char *s) { put(t, s, strlen(s)); }

static void putf(text *t, const char *fmt, ...) FALCO_PRINTF(2, 3);
static void putf(text *t, const char *fmt, ...)
{
    char tmp[64];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0)
        put(t, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* Bytes as text: printable ASCII as is, anything else as '.'. */
static void put_printable(text *t, const void *p, size_t len)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < len; i++) {
        char c = (s[i] >= 0x20 && s[i] < 0x7f) ? (char)s[i] : '.';
        put(t, &c, 1);
    }
}

static void put_ipv4(text *t, const uint8_t *a)
{
    putf(t, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
}

/* RFC 5952 form: lowercase, longest run (>= 2) of zero groups as "::". */
static void put_ipv6(text *t, const uint8_t *a)
{
    unsigned g[8];
    int best = -1, best_len = 0;
    for (int i = 0; i < 8; i++)
        g[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
    for (int i = 0; i < 8;) {
        int j = i;
        while (j < 8 && g[j] == 0)
            j++;
        if (j - i > best_len && j - i >= 2) {
            best = i;
            best_len = j - i;
        }
        i = j > i ? j : i + 1;
    }
    for (int i = 0; i < 8; i++) {
        if (i == best) {
            puts_(t, "::");
            i += best_len - 1;
            continue;
        }
        if (i > 0 && i != best + best_len)
            puts_(t, ":");
        putf(t, "%x", g[i]);
    }
}

static void put_addr_port(text *t, uint8_t family, const uint8_t *addr, uint16_t port)
{
    if (family == FALCO_AF_INET) {
        put_ipv4(t, addr);
    } else {
        puts_(t, "[");
        put_ipv6(t, addr);
        puts_(t, "]");
    }
    putf(t, ":%u", port);
}

/*
 * Named values of flags, enum-flags and mode params, rendered the way libsinsp
 * resolves them (sinsp_evt::get_param_as_str), so our text matches Falco's:
 * - FLAGS: walk the table in order; a 0 entry matches only a value of 0; any
 *   other entry matches when all its bits are still unclaimed, and claims
 *   them (so O_RDWR=3 does not also print O_WRONLY and O_RDONLY); stop after
 *   an entry equal to the whole value.
 * - ENUMFLAGS: every entry equal to the value (aliases such as AF_LOCAL and
 *   AF_UNIX both print).
 * - MODE: as FLAGS, but the walk stops at the first entry equal to the whole
 *   value, and that entry is printed last.
 * Names are joined with '|' inside parentheses; nothing when none matched.
 */
static void put_flag_name(text *t, const char *name, int *any)
{
    puts_(t, *any ? "|" : "(");
    puts_(t, name);
    *any = 1;
}

/* True when table entry f claims bits of left (what earlier entries left of val). */
static int flag_matches(uint64_t f, uint64_t val, uint64_t left)
{
    return f == 0 ? val == 0 : left != 0 && (left & f) == f;
}

static void put_flag_names(text *t, const falco_evt_param_info *pi, falco_evt_param_type type, uint64_t val)
{
    int any = 0;
    uint64_t left = val;
    for (uint32_t i = 0; i < pi->nflags; i++) {
        uint64_t f = pi->flags[i].value;
        if (type == FALCO_PT_ENUMFLAGS8 || type == FALCO_PT_ENUMFLAGS16 || type == FALCO_PT_ENUMFLAGS32) {
            if (f == val)
                put_flag_name(t, pi->flags[i].name, &any);
            continue;
        }
        if (type == FALCO_PT_MODE && f == val) {
            put_flag_name(t, pi->flags[i].name, &any);
            break;
        }
        if (!flag_matches(f, val, left))
            continue;
        put_flag_name(t, pi->flags[i].name, &any);
        left &= ~f;
        if (f == val)
            break;
    }
    if (any)
        puts_(t, ")");
}

static int is_named_type(falco_evt_param_type type)
{
    switch (type) {
    case FALCO_PT_FLAGS8:
    case FALCO_PT_FLAGS16:
    case FALCO_PT_FLAGS32:
    case FALCO_PT_ENUMFLAGS8:
    case FALCO_PT_ENUMFLAGS16:
    case FALCO_PT_ENUMFLAGS32:
    case FALCO_PT_MODE:
        return 1;
    default:
        return 0;
    }
}

/* The number before the names: libsinsp prints flags and enum flags in
 * decimal whatever the table's format, and modes by format (octal "0644",
 * hex without prefix, decimal otherwise). */
static void put_named_number(text *t, falco_evt_print_format fmt, falco_evt_param_type type, uint64_t u)
{
    if (type != FALCO_PT_MODE)
        putf(t, "%" PRIu64, u);
    else if (fmt == FALCO_PF_OCT)
        putf(t, u ? "0%" PRIo64 : "%" PRIo64, u);
    else if (fmt == FALCO_PF_HEX)
        putf(t, "%" PRIX64, u);
    else
        putf(t, "%" PRIu64, u);
}

static void put_unsigned(text *t, falco_evt_print_format fmt, uint64_t u)
{
    if (fmt == FALCO_PF_HEX)
        putf(t, "0x%" PRIx64, u);
    else if (fmt == FALCO_PF_OCT)
        putf(t, u ? "0%" PRIo64 : "%" PRIo64, u);
    else
        putf(t, "%" PRIu64, u);
}

static void put_strarray(text *t, const falco_evt_strarray *a, int pairs)
{
    uint32_t pos = 0, k = 0;
    const char *s;
    size_t len;
    puts_(t, "[");
    while (falco_evt_strarray_next(a, &pos, &s, &len)) {
        if (k)
            puts_(t, pairs && (k & 1) ? "=" : ", ");
        put_printable(t, s, len);
        k++;
    }
    puts_(t, "]");
}

static void put_value(text *t, const falco_evt_param_info *pi, const falco_evt_value *val)
{
    falco_evt_param_type type = val->type;
    falco_evt_print_format fmt = pi->format;
    if (type == FALCO_PT_NONE) {
        puts_(t, "<NA>");
        return;
    }
    if (falco__evt_type_is_unsigned(type)) {
        if (is_named_type(type)) {
            put_named_number(t, fmt, type, val->v.u64);
            if (pi->flags && pi->type == type)
                put_flag_names(t, pi, type, val->v.u64);
            return;
        }
        put_unsigned(t, fmt, val->v.u64);
        if (type == FALCO_PT_SIGTYPE && falco_evt_signal_name(val->v.u64))
            putf(t, "(%s)", falco_evt_signal_name(val->v.u64));
        /* libsinsp: "75(mprotect)"; the number alone where libs names none */
        const char *sc = type == FALCO_PT_SYSCALLID ? falco_evt_syscall_name(val->v.u64) : NULL;
        if (sc && *sc)
            putf(t, "(%s)", sc);
        return;
    }
    if (falco__evt_type_is_signed(type)) {
        int64_t i = val->v.i64;
        if (fmt == FALCO_PF_HEX)
            putf(t, "0x%" PRIx64, (uint64_t)i);
        else
            putf(t, "%" PRId64, i);
        if (type == FALCO_PT_ERRNO && i < 0 && falco_evt_errno_name(i))
            putf(t, "(%s)", falco_evt_errno_name(i));
        else if ((type == FALCO_PT_FD || type == FALCO_PT_FD32) && i == -100)
            puts_(t, "(AT_FDCWD)");
        return;
    }
    if (falco__evt_type_is_string(type)) {
        put_printable(t, val->v.str.ptr, val->v.str.len);
        return;
    }
    switch (type) {
    case FALCO_PT_DOUBLE:
        putf(t, "%g", val->v.f64);
        break;
    case FALCO_PT_BYTEBUF:
        put_printable(t, val->v.bytes.ptr, val->v.bytes.len);
        break;
    case FALCO_PT_SOCKADDR: {
        const falco_evt_sockaddr *sa = &val->v.sockaddr;
        if (sa->family == FALCO_AF_INET || sa->family == FALCO_AF_INET6)
            put_addr_port(t, sa->family, sa->addr, sa->port);
        else if (sa->family == FALCO_AF_UNIX)
            put_printable(t, sa->path, sa->path_len);
        else
            putf(t, "family(%u)", sa->family);
        break;
    }
    case FALCO_PT_SOCKTUPLE: {
        const falco_evt_socktuple *st = &val->v.socktuple;
        if (st->family == FALCO_AF_INET || st->family == FALCO_AF_INET6) {
            put_addr_port(t, st->family, st->src_addr, st->src_port);
            puts_(t, "->");
            put_addr_port(t, st->family, st->dst_addr, st->dst_port);
        } else if (st->family == FALCO_AF_UNIX) {
            putf(t, "0x%" PRIx64 "->0x%" PRIx64 " ", st->src_ptr, st->dst_ptr);
            put_printable(t, st->path, st->path_len);
        } else {
            putf(t, "family(%u)", st->family);
        }
        break;
    }
    case FALCO_PT_FDLIST:
        for (uint32_t i = 0; i < val->v.fdlist.count; i++) {
            falco_evt_fdlist_entry e;
            falco_evt_fdlist_get(&val->v.fdlist, i, &e);
            putf(t, "%s%" PRId64 ":%u", i ? " " : "", e.fd, e.flags);
        }
        break;
    case FALCO_PT_CHARBUFARRAY:
        put_strarray(t, &val->v.strarray, 0);
        break;
    case FALCO_PT_CHARBUF_PAIR_ARRAY:
        put_strarray(t, &val->v.strarray, 1);
        break;
    default: { /* the IP kinds */
        const falco_evt_ip *ip = &val->v.ip;
        int net = type == FALCO_PT_IPV4NET || type == FALCO_PT_IPV6NET || type == FALCO_PT_IPNET;
        (ip->family == FALCO_AF_INET ? put_ipv4 : put_ipv6)(t, ip->addr);
        if (net) {
            puts_(t, "/");
            (ip->family == FALCO_AF_INET ? put_ipv4 : put_ipv6)(t, ip->mask);
        }
        break;
    }
    }
}

/* Renders param idx into t; returns the accessor's failure, if any. */
static falco_rc put_param(text *t, falco_evt_view *v, uint32_t idx)
{
    falco_evt_value val;
    falco_rc rc = falco_evt_param_get(v, idx, &val);
    if (rc != FALCO_OK) {
        puts_(t, "<malformed>");
        return rc;
    }
    put_value(t, &v->info->params[idx], &val);
    return FALCO_OK;
}

static falco_rc finish(text *t, char *buf, size_t buflen, size_t *needed)
{
    if (buflen > 0)
        buf[t->n < buflen ? t->n : buflen - 1] = '\0';
    if (needed)
        *needed = t->n;
    return FALCO_OK;
}

falco_rc falco_evt_format_param(falco_evt_view *v, uint32_t idx, char *buf, size_t buflen, size_t *needed)
{
    if (!v || !v->info || (!buf && buflen))
        return FALCO_EINVAL;
    text t = {buf, buflen, 0};
    falco_rc rc = put_param(&t, v, idx);
    finish(&t, buf, buflen, needed);
    return rc;
}

falco_rc falco_evt_format(falco_evt_view *v, unsigned options, char *buf, size_t buflen, size_t *needed)
{
    if (!v || !v->info || (!buf && buflen))
        return FALCO_EINVAL;
    text t = {buf, buflen, 0};
    falco_rc first = FALCO_OK;
    char first_err[FALCO_EVT_ERRLEN] = "";
    if (options & FALCO_EVT_FORMAT_HEADER)
        putf(&t, "%" PRIu64 " %" PRId64 " ", v->ts, (int64_t)v->tid);
    puts_(&t, falco_evt_view_is_enter(v) ? "> " : "< ");
    puts_(&t, falco_evt_type_name(v));
    for (uint32_t i = 0; i < v->nparams; i++) {
        puts_(&t, " ");
        puts_(&t, v->info->params[i].name);
        puts_(&t, "=");
        falco_rc rc = put_param(&t, v, i);
        if (rc != FALCO_OK && first == FALCO_OK) {
            first = rc;
            memcpy(first_err, v->err, sizeof first_err);
        }
    }
    finish(&t, buf, buflen, needed);
    if (first != FALCO_OK)
        memcpy(v->err, first_err, sizeof first_err);
    return first;
}
