/*
 * The converted events of both reference captures against libsinsp's own view
 * of them (tests/data/golden/, recorded with the real host, see its README):
 * for every event libsinsp shows, the same evt.num, type, direction and every
 * parameter, in order, rendered the way libsinsp's %evt.args renders them.
 * A third, synthetic capture holds, for every rule of the converter's table,
 * an event in the layout the rule converts (with its enter or exit event), so
 * every rule is checked against libsinsp, not only those the captures need.
 *
 * Deliberate normalisations, where libsinsp's text carries more than the event
 * (each applies to the golden side only, and only in the shape stated):
 * - fd and pid parameters (PT_FD, PT_PID...): libsinsp appends what its fd and
 *   thread tables know, "3(<f>/etc/ld.so.cache)", "17497(curl)", and a
 *   negative fd as an errno name, "-1(EPERM)"; the number before '(' is
 *   compared.
 * - fd lists (PT_FDLIST): libsinsp writes "fd:<fd type char><flags in hex>"
 *   when the fd is in its table ("4:6204" is fd 4, an IPv6 socket, flags
 *   0x204); one character between ':' and the flags is allowed.
 * - uid and gid parameters: libsinsp appends the user or group name its user
 *   table has for them, "1000(name)", from the host it runs on; the number is
 *   compared.
 * - generic syscall events (PPME_GENERIC_X): libsinsp names the event after the
 *   syscall of its ID param (falco_evt_type_name must give the same name), and
 *   %evt.args shows no params for them; their nativeID is checked against the
 *   second golden file (%evt.rawarg.nativeID).
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <time.h>

#include <cmocka.h>

#include <falco/capture.h>
#include <falco/event.h>

#include "capture_io_test.h"
#include "convert_internal.h"

/* The renderer below (numbers, addresses, times, buffers) is this test's
 * own on purpose, though src/events/event_format.c renders the same
 * parameters: written apart from the SDK's, it checks it against libsinsp
 * instead of repeating its mistakes. Only what it leaves to the SDK (see the
 * end of render_param) is the SDK's rendering. */
typedef struct text {
    char buf[1 << 17];
    size_t n;
} text;

static void put(text *t, const char *s, size_t len)
{
    if (t->n >= sizeof t->buf - 1)
        return;
    size_t room = sizeof t->buf - 1 - t->n;
    if (len > room)
        len = room;
    for (size_t i = 0; i < len; i++) /* no memcpy: gcc -O3 misjudges the bound */
        t->buf[t->n + i] = s[i];
    t->n += len;
    t->buf[t->n] = '\0';
}

static void puts_(text *t, const char *s) { put(t, s, strlen(s)); }

static void putf(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(text *t, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0)
        put(t, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

static void put_printable(text *t, const void *p, size_t len)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < len; i++) {
        char c = (s[i] >= 0x20 && s[i] < 0x7f) ? (char)s[i] : '.';
        put(t, &c, 1);
    }
}

static void put_ip(text *t, uint8_t family, const uint8_t *a)
{
    char tmp[64];
    if (family == FALCO_AF_INET) {
        snprintf(tmp, sizeof tmp, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
        puts_(t, tmp);
        return;
    }
    /* RFC 5952, as libsinsp prints IPv6 */
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

/* One parameter the way libsinsp's %evt.args shows it (before its table-based
 * additions, see the normalisations above). */
static void render_param(text *t, falco_evt_view *v, uint32_t idx)
{
    const falco_evt_param_info *pi = &v->info->params[idx];
    falco_evt_value val;
    falco_rc rc = falco_evt_param_get(v, idx, &val);
    if (rc != FALCO_OK)
        fail_msg("event %s param %u: %s", v->info->name, idx, falco_evt_view_error(v));
    falco_evt_param_type ty = val.type;
    if (ty == FALCO_PT_NONE) {
        /* libsinsp: an empty buffer, tuple or dynamic param reads NULL, any other <NA> */
        puts_(t, pi->type == FALCO_PT_BYTEBUF || pi->type == FALCO_PT_SOCKTUPLE || pi->type == FALCO_PT_DYN
                     ? "NULL"
                     : "<NA>");
        return;
    }
    char tmp[1024];
    size_t needed;
    switch (ty) {
    case FALCO_PT_ERRNO:
    case FALCO_PT_FD:
    case FALCO_PT_PID:
    case FALCO_PT_FD32:
    case FALCO_PT_PID32:
    case FALCO_PT_INT8:
    case FALCO_PT_INT16:
    case FALCO_PT_INT32:
    case FALCO_PT_INT64:
        /* signed values print in decimal whatever the table's format */
        putf(t, "%" PRId64, val.v.i64);
        if (ty == FALCO_PT_ERRNO && val.v.i64 < 0 && falco_evt_errno_name(val.v.i64))
            putf(t, "(%s)", falco_evt_errno_name(val.v.i64));
        return;
    case FALCO_PT_RELTIME: /* ns, then seconds: "1000(1e-06s)" */
        putf(t, "%" PRIu64 "(%gs)", val.v.u64, (double)val.v.u64 / 1e9);
        return;
    case FALCO_PT_ABSTIME: { /* UTC date with ns */
        time_t secs = (time_t)(val.v.u64 / 1000000000u);
        struct tm tm;
        char date[64];
        gmtime_r(&secs, &tm);
        strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S", &tm);
        putf(t, "%s.%09" PRIu64, date, val.v.u64 % 1000000000u);
        return;
    }
    case FALCO_PT_SIGSET:
        if (val.v.u64 == 0) /* libsinsp lists the signals of the set: none */
            return;
        break;
    case FALCO_PT_UINT8:
    case FALCO_PT_UINT16:
    case FALCO_PT_UINT32:
    case FALCO_PT_UINT64:
    case FALCO_PT_UID:
    case FALCO_PT_GID:
    case FALCO_PT_SYSCALLID:
        if (pi->format == FALCO_PF_HEX)
            putf(t, "%" PRIX64, val.v.u64); /* libsinsp: upper case, no 0x */
        else if (pi->format == FALCO_PF_OCT)
            putf(t, val.v.u64 ? "0%" PRIo64 : "0", val.v.u64);
        else
            putf(t, "%" PRIu64, val.v.u64);
        return;
    case FALCO_PT_SOCKADDR:
        if (val.v.sockaddr.family == FALCO_AF_UNSPEC) {
            puts_(t, "<NA>");
            return;
        }
        break;
    case FALCO_PT_SOCKTUPLE: {
        const falco_evt_socktuple *st = &val.v.socktuple;
        if (st->family == FALCO_AF_INET || st->family == FALCO_AF_INET6) {
            put_ip(t, st->family, st->src_addr);
            putf(t, ":%u->", st->src_port);
            put_ip(t, st->family, st->dst_addr);
            putf(t, ":%u", st->dst_port);
        } else if (st->family == FALCO_AF_UNIX) {
            putf(t, "%" PRIx64 "->%" PRIx64 " ", st->src_ptr, st->dst_ptr);
            put_printable(t, st->path, st->path_len);
        } else {
            break;
        }
        return;
    }
    case FALCO_PT_BYTEBUF:
        put_printable(t, val.v.bytes.ptr, val.v.bytes.len);
        return;
    case FALCO_PT_FDLIST:
        /* libsinsp: "fd:flags", flags in hex, entries space-separated */
        for (uint32_t i = 0; i < val.v.fdlist.count; i++) {
            falco_evt_fdlist_entry e;
            assert_int_equal(falco_evt_fdlist_get(&val.v.fdlist, i, &e), FALCO_OK);
            putf(t, "%s%" PRId64 ":%x", i ? " " : "", e.fd, e.flags);
        }
        return;
    default:
        break;
    }
    /* the rest (strings, flags with their names, modes, fd lists) as the SDK renders them */
    falco_evt_format_param(v, idx, tmp, sizeof tmp, &needed);
    puts_(t, tmp);
}

static bool is_id_type(falco_evt_param_type ty)
{
    return ty == FALCO_PT_FD || ty == FALCO_PT_PID || ty == FALCO_PT_FD32 || ty == FALCO_PT_PID32 ||
           ty == FALCO_PT_UID || ty == FALCO_PT_GID;
}

/* Golden value g against ours o for a param of type ty, with the
 * normalisations of the header comment. */
static bool value_matches(falco_evt_param_type ty, const char *g, size_t glen, const char *o)
{
    size_t olen = strlen(o);
    if (glen == olen && memcmp(g, o, olen) == 0)
        return true;
    if (is_id_type(ty)) {
        const char *paren = memchr(g, '(', glen);
        return paren && (size_t)(paren - g) == olen && memcmp(g, o, olen) == 0 && g[glen - 1] == ')';
    }
    if (ty == FALCO_PT_FDLIST) {
        /* entry by entry: "fd:flags" vs "fd:Cflags" */
        const char *gp = g, *ge = g + glen, *op = o;
        while (gp < ge && *op) {
            const char *gsp = memchr(gp, ' ', (size_t)(ge - gp));
            const char *gend = gsp ? gsp : ge;
            const char *osp = strchr(op, ' ');
            size_t ol = osp ? (size_t)(osp - op) : strlen(op);
            const char *ocolon = memchr(op, ':', ol);
            if (!ocolon)
                return false;
            size_t head = (size_t)(ocolon - op) + 1;
            size_t gl = (size_t)(gend - gp);
            bool same = gl == ol && memcmp(gp, op, ol) == 0;
            bool typed = gl == ol + 1 && memcmp(gp, op, head) == 0 && memcmp(gp + head + 1, op + head, ol - head) == 0;
            if (!same && !typed)
                return false;
            gp = gsp ? gsp + 1 : ge;
            op = osp ? osp + 1 : op + ol;
        }
        return gp >= ge && !*op;
    }
    return false;
}

typedef struct golden {
    char **lines;
    size_t count;
} golden;

static void golden_load(const char *path, golden *g)
{
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("cannot open golden file %s", path);
    size_t cap = 1024;
    g->lines = malloc(cap * sizeof *g->lines);
    g->count = 0;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t n;
    while ((n = getline(&line, &lcap, f)) >= 0) {
        if (n > 0 && line[n - 1] == '\n')
            line[n - 1] = '\0';
        if (g->count == cap)
            g->lines = realloc(g->lines, (cap *= 2) * sizeof *g->lines);
        g->lines[g->count++] = strdup(line);
    }
    free(line);
    fclose(f);
}

static void golden_free(golden *g)
{
    for (size_t i = 0; i < g->count; i++)
        free(g->lines[i]);
    free(g->lines);
}

/* Checks the args part of a golden line (after "num type dir ") against the
 * params of v, in order, each "name=value" separated by one space. */
static void check_args(falco_evt_view *v, const char *gargs, uint64_t evtnum)
{
    const char *p = gargs;
    for (uint32_t i = 0; i < v->nparams; i++) {
        const falco_evt_param_info *pi = &v->info->params[i];
        size_t nl = strlen(pi->name);
        if (strncmp(p, pi->name, nl) != 0 || p[nl] != '=')
            fail_msg("evt.num %" PRIu64 " (%s): param %u: golden has '%.40s', expected '%s='", evtnum,
                     v->info->name, i, p, pi->name);
        p += nl + 1;
        /* the value runs to the next " <next name>=" (or the end for the last) */
        const char *end;
        if (i + 1 < v->nparams) {
            char key[80];
            snprintf(key, sizeof key, " %s=", v->info->params[i + 1].name);
            end = strstr(p, key);
            if (!end)
                fail_msg("evt.num %" PRIu64 " (%s): golden lacks param %u '%s'", evtnum, v->info->name, i + 1,
                         v->info->params[i + 1].name);
        } else {
            end = p + strlen(p);
            if (end > p && end[-1] == ' ')
                end--;
        }
        text t = {.n = 0};
        t.buf[0] = '\0';
        render_param(&t, v, i);
        falco_evt_param_type ty = pi->type;
        if (!value_matches(ty, p, (size_t)(end - p), t.buf))
            fail_msg("evt.num %" PRIu64 " (%s): param %u '%s': libsinsp '%.*s', ours '%s'", evtnum, v->info->name, i,
                     pi->name, (int)(end - p), p, t.buf);
        p = *end ? end + 1 : end;
    }
    if (*p)
        fail_msg("evt.num %" PRIu64 " (%s): golden has more params than ours: '%.60s'", evtnum, v->info->name, p);
}

/* Checks the capture at path against golden/<name>.evt_args.txt and
 * golden/<name>.native_id.txt. */
static void check_capture_at(const char *path, const char *name)
{
    const char *dir = getenv("FALCO_TEST_DATA_DIR");
    assert_non_null(dir);
    char gpath[4096], npath[4096];
    snprintf(gpath, sizeof gpath, "%s/golden/%s.evt_args.txt", dir, name);
    snprintf(npath, sizeof npath, "%s/golden/%s.native_id.txt", dir, name);
    golden g, nat;
    golden_load(gpath, &g);
    golden_load(npath, &nat);
    assert_int_equal(g.count, nat.count);

    falco_capture_converter *c;
    falco_capture_reader *r = capture_test_open_converted(path, &c);
    const void *ev;
    size_t len, k = 0;
    falco_capture_block_info bi;
    falco_rc rc;
    while ((rc = falco_capture_next(r, &ev, &len, &bi)) == FALCO_OK) {
        if (falco_capture_converter_feed(c, ev, len, &bi) != FALCO_OK)
            fail_msg("%s", falco_capture_converter_errmsg(c));
        const void *out;
        size_t olen;
        falco_capture_converted_info ci;
        while (falco_capture_converter_next(c, &out, &olen, &ci) == FALCO_OK) {
            if (!ci.shown)
                continue; /* numbered, not shown: its number is missing from the golden file */
            if (k >= g.count)
                fail_msg("%s: more events than libsinsp's %zu (evt.num %" PRIu64 ")", name, g.count, ci.evtnum);
            falco_evt_view v;
            if (falco_evt_view_init(&v, out, olen) != FALCO_OK)
                fail_msg("evt.num %" PRIu64 ": %s", ci.evtnum, falco_evt_view_error(&v));
            const char *line = g.lines[k];
            char *endnum;
            uint64_t gnum = strtoull(line, &endnum, 10);
            if (gnum != ci.evtnum)
                fail_msg("%s: event %zu: libsinsp evt.num %" PRIu64 ", ours %" PRIu64, name, k + 1, gnum, ci.evtnum);
            const char *gtype = endnum + 1;
            const char *sp = strchr(gtype, ' ');
            assert_non_null(sp);
            size_t tlen = (size_t)(sp - gtype);
            char dir_c = sp[1];
            assert_true(sp[2] == ' ' || sp[2] == '\0');
            if (dir_c != (falco_evt_view_is_enter(&v) ? '>' : '<'))
                fail_msg("evt.num %" PRIu64 ": direction %c, ours the other", gnum, dir_c);
            const char *gargs = sp[2] ? sp + 3 : sp + 2;
            const char *type = falco_evt_type_name(&v);
            if (strlen(type) != tlen || strncmp(type, gtype, tlen) != 0)
                fail_msg("evt.num %" PRIu64 ": libsinsp type %.*s, ours %s", gnum, (int)tlen, gtype, type);
            if (v.type == FALCO_PPME_GENERIC_X) {
                uint64_t native;
                assert_int_equal(falco_evt_param_u64(&v, 1, &native), FALCO_OK);
                assert_string_equal(gargs, ""); /* %evt.args shows nothing for them */
                char want[128];
                snprintf(want, sizeof want, "%" PRIu64 " %.*s %" PRIu64, gnum, (int)tlen, gtype, native);
                assert_string_equal(nat.lines[k], want);
            } else {
                check_args(&v, gargs, gnum);
            }
            k++;
        }
    }
    assert_int_equal(rc, FALCO_EOF);
    assert_int_equal(k, g.count);
    falco_capture_converter_free(c);
    falco_capture_close(r);
    golden_free(&g);
    golden_free(&nat);
}

static void check_capture(const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.scap", getenv("FALCO_TEST_DATA_DIR"), name);
    check_capture_at(path, name);
}

/* ---- the synthetic capture: one case per conversion rule ---- */

static const char *const two_items[] = {"a", "b"};

/* A plausible value of type t for param pi (the same every run). */
static void synth_value(falco_evt_param_type t, const falco_evt_param_info *pi, uint64_t tid, falco_evt_value *v)
{
    static const uint8_t ip[8] = {1, 2, 3, 4, 255, 255, 255, 0};
    memset(v, 0, sizeof *v);
    v->type = t;
    size_t width = falco_evt_param_type_size(t);
    switch (t) {
    case FALCO_PT_ERRNO:
        break; /* success */
    case FALCO_PT_FD:
    case FALCO_PT_FD32:
        v->v.i64 = 3;
        break;
    case FALCO_PT_PID:
    case FALCO_PT_PID32:
        v->v.i64 = (int64_t)tid;
        break;
    case FALCO_PT_FLAGS8:
    case FALCO_PT_FLAGS16:
    case FALCO_PT_FLAGS32:
    case FALCO_PT_ENUMFLAGS8:
    case FALCO_PT_ENUMFLAGS16:
    case FALCO_PT_ENUMFLAGS32:
        v->v.u64 = pi->nflags ? pi->flags[0].value : 1;
        if (width < 8 && v->v.u64 >> (8 * width))
            v->v.u64 = 1;
        break;
    case FALCO_PT_MODE:
        v->v.u64 = 0644;
        break;
    case FALCO_PT_UID:
    case FALCO_PT_GID:
        v->v.u64 = 1000;
        break;
    case FALCO_PT_SIGTYPE:
        v->v.u64 = 9;
        break;
    case FALCO_PT_RELTIME:
    case FALCO_PT_ABSTIME:
        v->v.u64 = 1000;
        break;
    case FALCO_PT_SIGSET:
        break;
    case FALCO_PT_DOUBLE:
        v->v.f64 = 1.5;
        break;
    case FALCO_PT_CHARBUF:
    case FALCO_PT_FSPATH:
    case FALCO_PT_FSRELPATH:
        v->v.str.ptr = "/tmp/f";
        v->v.str.len = 6;
        break;
    case FALCO_PT_BYTEBUF:
        v->v.bytes.ptr = (const uint8_t *)"abc";
        v->v.bytes.len = 3;
        break;
    case FALCO_PT_SOCKADDR:
        v->v.sockaddr.family = FALCO_AF_INET;
        memcpy(v->v.sockaddr.addr, ip, 4);
        v->v.sockaddr.port = 80;
        break;
    case FALCO_PT_SOCKTUPLE:
        v->v.socktuple.family = FALCO_AF_INET;
        memcpy(v->v.socktuple.src_addr, ip, 4);
        memcpy(v->v.socktuple.dst_addr, ip, 4);
        v->v.socktuple.src_port = 1234;
        v->v.socktuple.dst_port = 80;
        break;
    case FALCO_PT_FDLIST:
        v->v.fdlist.raw = (const uint8_t *)"";
        break;
    case FALCO_PT_CHARBUFARRAY:
    case FALCO_PT_CHARBUF_PAIR_ARRAY:
        v->v.strarray.items = two_items;
        v->v.strarray.count = 2;
        break;
    case FALCO_PT_IPV4ADDR:
    case FALCO_PT_IPV4NET:
    case FALCO_PT_IPADDR:
    case FALCO_PT_IPNET:
        v->v.ip.family = FALCO_AF_INET;
        memcpy(v->v.ip.addr, ip, 4);
        memcpy(v->v.ip.mask, ip + 4, 4);
        break;
    case FALCO_PT_IPV6ADDR:
    case FALCO_PT_IPV6NET:
        v->v.ip.family = FALCO_AF_INET6;
        v->v.ip.addr[15] = 1;
        break;
    default: /* the other integers */
        v->v.u64 = 1;
        break;
    }
}

static void synth_emit(falco_capture_writer *w, uint64_t *ts, uint16_t type, uint32_t nparams, uint64_t tid)
{
    const falco_evt_info *info = falco_evt_table_get(type);
    falco_evt_value vals[FALCO_EVT_MAX_PARAMS];
    for (uint32_t i = 0; i < nparams; i++) {
        const falco_evt_param_info *pi = &info->params[i];
        synth_value(pi->type == FALCO_PT_DYN ? pi->dyn_types[0] : pi->type, pi, tid, &vals[i]);
    }
    char what[128];
    snprintf(what, sizeof what, "synthetic %s with %u params", info->enum_name, nparams);
    capture_test_write(w, type, (*ts)++, tid, vals, nparams, what);
}

/* For every rule, in table order, on a thread of its own: an exit's rule gets
 * its enter event first (in the layout of that enter's first rule), an
 * enter's rule its exit after (current layout). */
static void make_synthetic(const char *path)
{
    falco_capture_writer *w = capture_test_writer_open(path);
    uint64_t ts = 1534527348514000000ull, tid = 100;
    for (size_t i = 0; i < falco__conv_rule_count; i++) {
        const falco__conv_rule *r = &falco__conv_rules[i];
        tid++;
        if (r->code & 1u) {
            const falco_evt_info *ei = falco_evt_table_get((uint16_t)(r->code - 1));
            uint32_t n = ei->nparams;
            for (size_t k = 0; k < falco__conv_rule_count; k++)
                if (falco__conv_rules[k].code == r->code - 1) {
                    n = falco__conv_rules[k].nparams;
                    break;
                }
            if (!(ei->flags & FALCO_EF_UNUSED))
                synth_emit(w, &ts, (uint16_t)(r->code - 1), n, tid);
            synth_emit(w, &ts, r->code, r->nparams, tid);
        } else {
            synth_emit(w, &ts, r->code, r->nparams, tid);
            const falco_evt_info *xi = falco_evt_table_get((uint16_t)(r->code + 1));
            if (!(xi->flags & FALCO_EF_UNUSED))
                synth_emit(w, &ts, (uint16_t)(r->code + 1), xi->nparams, tid);
        }
    }
    capture_test_writer_close(w);
}

static void test_every_rule(void **state)
{
    (void)state;
    const char *bin = getenv("FALCO_BUILD_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/capture/convert_synthetic.scap", bin ? bin : ".");
    make_synthetic(path);
    check_capture_at(path, "synthetic_rules");
}

static void test_curl_google(void **state)
{
    (void)state;
    check_capture("curl_google");
}

static void test_curl_google_comments(void **state)
{
    (void)state;
    check_capture("curl_google_comments");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_curl_google),
        cmocka_unit_test(test_curl_google_comments),
        cmocka_unit_test(test_every_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
