/*
 * convert.c - events of a capture as libscap's savefile reader hands them to
 * libsinsp: old layouts upgraded, enter events merged into their exits, and
 * libsinsp's event numbers (see falco/capture.h for the contract).
 *
 * Each fed event runs through the rule table (convert_rules.c, generated
 * from tools/event_table/conversions.tsv) until it matches the current event
 * table, the way libscap loops over its converter: a step either delivers the
 * event, keeps it as the thread's pending enter event, or builds the next
 * layout from the event, the pending enter event and default/empty values.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <falco/capture.h>
#include <falco/event.h>

#include "capture_internal.h"
#include "convert_internal.h"

/* libscap gives up after this many conversion steps of one event. */
#define MAX_STEPS 16
#define NBUCKETS 1024u

typedef struct pending {
    struct pending *next;
    uint64_t tid;
    size_t len;
    uint8_t data[]; /* the enter event */
} pending;

struct falco_capture_converter {
    pending *buckets[NBUCKETS];
    size_t npending;
    uint8_t *work[2]; /* the event being converted and the next layout */
    size_t work_cap[2];
    const uint8_t *out; /* the event of the last feed still to hand out, or NULL */
    size_t out_len;
    falco_capture_converted_info out_info;
    uint64_t evtnum;  /* libsinsp's count so far */
    uint64_t fed;     /* events fed without block info */
    char err[FALCO__ERRLEN];
};

/* Where the event in progress came from, for error messages. */
typedef struct origin {
    uint64_t index, offset;
} origin;

static falco_rc fail(falco_capture_converter *c, const origin *o, falco_rc rc, const char *fmt, ...)
    FALCO_PRINTF(4, 5);
static falco_rc fail(falco_capture_converter *c, const origin *o, falco_rc rc, const char *fmt, ...)
{
    int n = snprintf(c->err, sizeof c->err, "event %" PRIu64 " (block at offset %" PRIu64 "): ", o->index + 1,
                     o->offset);
    if (n < 0 || (size_t)n >= sizeof c->err)
        return rc;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err + n, sizeof c->err - (size_t)n, fmt, ap);
    va_end(ap);
    return rc;
}

/* ---- pending enter events, one per thread ---- */

static size_t bucket_of(uint64_t tid)
{
    return (size_t)((tid * 0x9E3779B97F4A7C15ull) >> 54) & (NBUCKETS - 1);
}

static pending **find_slot(falco_capture_converter *c, uint64_t tid)
{
    pending **pp = &c->buckets[bucket_of(tid)];
    while (*pp && (*pp)->tid != tid)
        pp = &(*pp)->next;
    return pp;
}

static const pending *pending_get(falco_capture_converter *c, uint64_t tid)
{
    return *find_slot(c, tid);
}

static void pending_drop(falco_capture_converter *c, uint64_t tid)
{
    pending **pp = find_slot(c, tid);
    if (*pp) {
        pending *p = *pp;
        *pp = p->next;
        free(p);
        c->npending--;
    }
}

/* Keeps a copy of ev as tid's pending enter event, replacing the previous
 * one: a thread entering a syscall has finished the one before. */
static falco_rc pending_store(falco_capture_converter *c, const origin *o, uint64_t tid, const uint8_t *ev,
                              size_t len)
{
    pending **pp = find_slot(c, tid);
    if (!*pp && c->npending >= FALCO_CAPTURE_CONVERTER_MAX_PENDING)
        return fail(c, o, FALCO_ENOMEM, "pending enter events for %u threads already: limit reached",
                    FALCO_CAPTURE_CONVERTER_MAX_PENDING);
    pending *p = malloc(sizeof *p + len);
    if (!p)
        return fail(c, o, FALCO_ENOMEM, "out of memory keeping an enter event of %zu bytes", len);
    p->tid = tid;
    p->len = len;
    memcpy(p->data, ev, len);
    if (*pp) {
        p->next = (*pp)->next;
        free(*pp);
    } else {
        p->next = NULL;
        c->npending++;
    }
    *pp = p;
    return FALCO_OK;
}

/* ---- the rule table ---- */

static const falco__conv_rule *find_rule(uint16_t code, uint32_t nparams)
{
    size_t lo = 0, hi = falco__conv_rule_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const falco__conv_rule *r = &falco__conv_rules[mid];
        if (r->code < code || (r->code == code && r->nparams < nparams))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < falco__conv_rule_count && falco__conv_rules[lo].code == code &&
        falco__conv_rules[lo].nparams == nparams)
        return &falco__conv_rules[lo];
    return NULL;
}

typedef enum { STEP_DELIVER, STEP_CONVERT, STEP_DROP } step_kind;

/* What libscap does with an event of this type and parameter count. */
static step_kind classify(const falco_evt_info *info, uint32_t nparams)
{
    bool enter = (info->code & 1u) == 0;
    if (!(info->flags & FALCO_EF_CONVERTER_MANAGED)) {
        if (!(info->flags & FALCO_EF_OLD_VERSION))
            return STEP_DELIVER;
        /* old layouts the converter does not manage: enters are dropped, and
         * the table flags every old exit as managed */
        return enter ? STEP_DROP : STEP_CONVERT;
    }
    if (enter)
        return STEP_CONVERT;
    return (info->flags & FALCO_EF_OLD_VERSION) || nparams != info->nparams ? STEP_CONVERT : STEP_DELIVER;
}

/* ---- building the next layout ---- */

typedef struct param {
    const uint8_t *ptr;
    uint32_t len;
} param;

static falco_rc grow(falco_capture_converter *c, const origin *o, int which, size_t need)
{
    if (c->work_cap[which] >= need)
        return FALCO_OK;
    size_t cap = need < 4096 ? 4096 : need;
    uint8_t *b = realloc(c->work[which], cap);
    if (!b)
        return fail(c, o, FALCO_ENOMEM, "out of memory for a converted event of %zu bytes", need);
    c->work[which] = b;
    c->work_cap[which] = cap;
    return FALCO_OK;
}

/* The default value of a parameter type, as libscap fills one in: zero bytes
 * of the fixed size, all ones for uid/gid, one AF_UNSPEC byte for a socket
 * address, nothing for other variable-size types. */
static uint32_t default_value(falco_evt_param_type t, uint8_t buf[16])
{
    memset(buf, 0, 16);
    if (t == FALCO_PT_SOCKADDR)
        return 1; /* FALCO_AF_UNSPEC */
    if (t == FALCO_PT_UID || t == FALCO_PT_GID)
        memset(buf, 0xff, 4);
    return (uint32_t)falco_evt_param_type_size(t);
}

/* The old container event's fields as the JSON libscap writes for them. */
static falco_rc container_json(falco_capture_converter *c, const origin *o, falco_evt_view *old, char *buf,
                               size_t cap, uint32_t *len)
{
    const char *id = "", *name = "", *image = "";
    size_t n;
    uint64_t type = 0;
    if (falco_evt_param_str(old, 0, &id, &n) != FALCO_OK || falco_evt_param_u64(old, 1, &type) != FALCO_OK ||
        falco_evt_param_str(old, 2, &name, &n) != FALCO_OK || falco_evt_param_str(old, 3, &image, &n) != FALCO_OK)
        return fail(c, o, FALCO_EPARSE, "container event: %s", falco_evt_view_error(old));
    int w = snprintf(buf, cap, "{\"id\":\"%s\",\"type\":%" PRIu64 ",\"name\":\"%s\",\"image\":\"%s\"}", id, type,
                     name, image);
    if (w < 0 || (size_t)w >= cap)
        return fail(c, o, FALCO_EPARSE, "container event: fields too long for one parameter");
    *len = (uint32_t)w + 1; /* with its NUL */
    return FALCO_OK;
}

/* Applies an add or change rule r to the event in work[0] (checked in v):
 * writes the next layout into work[1] and drops the thread's pending enter
 * event when it was used. Returns FALCO_OK or the failure (message in c). */
static falco_rc apply(falco_capture_converter *c, const origin *o, const falco__conv_rule *r, falco_evt_view *v)
{
    const falco_evt_info *out_info = falco_evt_table_get(r->target);
    uint32_t keep = r->action == FALCO__CONV_ADD ? v->nparams : 0;
    uint32_t n = keep + r->ninstr;
    if (!out_info || n > out_info->nparams) /* the generator rules this out; stay safe anyway */
        return fail(c, o, FALCO_EPARSE, "conversion rule of '%s' (type %u) does not fit the event table",
                    v->info->name, v->type);
    param ps[FALCO_EVT_MAX_PARAMS];
    uint8_t defaults[FALCO_EVT_MAX_PARAMS][16];
    char json[1024];
    falco_evt_view enter;
    bool have_enter = false, used_enter = false;
    const pending *pe = pending_get(c, v->tid);
    if (pe && falco_evt_view_init(&enter, pe->data, pe->len) == FALCO_OK)
        have_enter = true;
    for (uint32_t i = 0; i < keep; i++)
        ps[i] = (param){v->data + v->param_off[i], v->param_len[i]};
    for (uint32_t k = 0; k < r->ninstr; k++) {
        const falco__conv_instr *in = &falco__conv_instrs[r->first + k];
        uint32_t i = keep + k;
        falco_evt_param_type t = out_info->params[i].type;
        bool missing = false;
        switch (in->from) {
        case FALCO__CONV_FROM_OLD:
            if (in->param >= v->nparams)
                return fail(c, o, FALCO_EPARSE, "'%s' (type %u) with %u params has no param %u to convert",
                            v->info->name, v->type, v->nparams, in->param);
            ps[i] = (param){v->data + v->param_off[in->param], v->param_len[in->param]};
            break;
        case FALCO__CONV_FROM_ENTER:
            if (!have_enter) {
                missing = true;
                break;
            }
            if (enter.type + 1u != v->type)
                return fail(c, o, FALCO_EPARSE,
                            "'%s' exit (type %u) of thread %" PRIu64 " follows a '%s' enter event (type %u), not its own",
                            v->info->name, v->type, v->tid, enter.info->name, enter.type);
            if (in->param >= enter.nparams)
                return fail(c, o, FALCO_EPARSE,
                            "'%s' exit (type %u) needs param %u of its enter event, which has %u params",
                            v->info->name, v->type, in->param, enter.nparams);
            ps[i] = (param){enter.data + enter.param_off[in->param], enter.param_len[in->param]};
            used_enter = true;
            break;
        case FALCO__CONV_FROM_DEFAULT:
            ps[i] = (param){defaults[i], default_value(t, defaults[i])};
            break;
        case FALCO__CONV_FROM_EMPTY:
            ps[i] = (param){NULL, 0};
            break;
        case FALCO__CONV_FROM_CALLBACK: {
            uint32_t jl = 0;
            FALCO_TRY(container_json(c, o, v, json, sizeof json, &jl));
            ps[i] = (param){(const uint8_t *)json, jl};
            break;
        }
        default:
            return fail(c, o, FALCO_EPARSE, "conversion rule of '%s' has an unknown instruction %u",
                        v->info->name, in->from);
        }
        if (missing)
            ps[i] = in->fallback_empty ? (param){NULL, 0} : (param){defaults[i], default_value(t, defaults[i])};
        /* a fixed-size type takes at most its size (a wider old type is cut) */
        size_t fixed = falco_evt_param_type_size(t);
        if (fixed && ps[i].len > fixed)
            ps[i].len = (uint32_t)fixed;
    }
    uint32_t width = falco_evt_info_is_large(out_info) ? 4 : 2;
    size_t total = FALCO_EVT_HEADER_SIZE + (size_t)n * width;
    for (uint32_t i = 0; i < n; i++) {
        if (width == 2 && ps[i].len > UINT16_MAX)
            ps[i].len = UINT16_MAX;
        total += ps[i].len;
    }
    if (total > UINT32_MAX)
        return fail(c, o, FALCO_EPARSE, "converted '%s' would exceed 4 GiB", out_info->name);
    FALCO_TRY(grow(c, o, 1, total));
    uint8_t *d = c->work[1];
    memcpy(d, v->data, 16); /* ts, tid */
    falco__st32(d + 16, (uint32_t)total);
    falco__st16(d + 20, r->target);
    falco__st32(d + 22, n);
    size_t off = FALCO_EVT_HEADER_SIZE + (size_t)n * width;
    for (uint32_t i = 0; i < n; i++) {
        if (width == 4)
            falco__st32(d + FALCO_EVT_HEADER_SIZE + 4u * i, ps[i].len);
        else
            falco__st16(d + FALCO_EVT_HEADER_SIZE + 2u * i, (uint16_t)ps[i].len);
        if (ps[i].len)
            memcpy(d + off, ps[i].ptr, ps[i].len);
        off += ps[i].len;
    }
    if (used_enter)
        pending_drop(c, v->tid);
    return FALCO_OK;
}

/* ---- the public calls ---- */

falco_capture_converter *falco_capture_converter_new(falco_capture_error *err)
{
    falco_capture_converter *c = calloc(1, sizeof *c);
    if (!c && err) {
        err->rc = FALCO_ENOMEM;
        snprintf(err->msg, sizeof err->msg, "out of memory creating a capture converter");
    }
    return c;
}

/* Is this delivered event one libsinsp numbers (and gives plugin parsers) but
 * does not return? The enter event of a syscall whose exit exists: libsinsp
 * works from exits only. */
static bool numbered_only(const falco_evt_info *info)
{
    if (info->code & 1u)
        return false;
    const falco_evt_info *exit = falco_evt_table_get((uint16_t)(info->code + 1));
    return exit && !(exit->flags & FALCO_EF_UNUSED);
}

falco_rc falco_capture_converter_feed(falco_capture_converter *c, const void *event, size_t len,
                                      const falco_capture_block_info *info)
{
    if (!c)
        return FALCO_EINVAL;
    c->err[0] = '\0';
    c->out = NULL;
    origin o = {info ? info->index : c->fed, info ? info->offset : 0};
    c->fed++;
    if (!event || len < FALCO_EVT_HEADER_SIZE)
        return fail(c, &o, FALCO_ETRUNCATED, "%zu bytes, shorter than the %u-byte event header", len,
                    FALCO_EVT_HEADER_SIZE);
    uint16_t type0 = falco__ld16((const uint8_t *)event + 20);
    if (type0 >= FALCO_EVT_COUNT)
        return FALCO_OK; /* a type newer than our table: libscap skips it */
    FALCO_TRY(grow(c, &o, 0, len));
    memcpy(c->work[0], event, len);
    size_t cur_len = len;
    bool changed = false;
    for (int step = 0;; step++) {
        falco_evt_view v;
        falco_rc rc = falco_evt_view_init(&v, c->work[0], cur_len);
        if (rc != FALCO_OK)
            return fail(c, &o, rc, "%s", falco_evt_view_error(&v));
        step_kind k = classify(v.info, v.nparams);
        if (k == STEP_DROP)
            return FALCO_OK;
        bool deliver = k == STEP_DELIVER;
        if (!deliver) {
            if (step >= MAX_STEPS)
                return fail(c, &o, FALCO_EPARSE, "'%s' (type %u) still not current after %d conversions",
                            v.info->name, v.type, MAX_STEPS);
            const falco__conv_rule *r = find_rule(v.type, v.nparams);
            if (!r)
                return fail(c, &o, FALCO_EPARSE,
                            "'%s' (type %u) with %u params: no conversion rule for this layout (schema %s)",
                            v.info->name, v.type, v.nparams, FALCO_EVT_SCHEMA_VERSION);
            switch (r->action) {
            case FALCO__CONV_PASS:
                deliver = true;
                break;
            case FALCO__CONV_STORE:
                return pending_store(c, &o, v.tid, v.data, v.len);
            case FALCO__CONV_STORE_PASS:
                FALCO_TRY(pending_store(c, &o, v.tid, v.data, v.len));
                deliver = true;
                break;
            default: {
                FALCO_TRY(apply(c, &o, r, &v));
                uint8_t *t = c->work[0];
                size_t tc = c->work_cap[0];
                c->work[0] = c->work[1];
                c->work_cap[0] = c->work_cap[1];
                c->work[1] = t;
                c->work_cap[1] = tc;
                cur_len = falco__ld32(c->work[0] + 16);
                changed = true;
                continue;
            }
            }
        }
        c->evtnum++;
        c->out = c->work[0];
        c->out_len = v.len;
        c->out_info = (falco_capture_converted_info){c->evtnum, o.index, o.offset, type0, changed,
                                                     !numbered_only(v.info)};
        return FALCO_OK;
    }
}

falco_rc falco_capture_converter_next(falco_capture_converter *c, const void **event, size_t *len,
                                      falco_capture_converted_info *info)
{
    if (!c || !event || !len)
        return FALCO_EINVAL;
    if (!c->out)
        return FALCO_EOF;
    *event = c->out;
    *len = c->out_len;
    if (info)
        *info = c->out_info;
    c->out = NULL;
    return FALCO_OK;
}

const char *falco_capture_converter_errmsg(const falco_capture_converter *c)
{
    return c ? c->err : "";
}

size_t falco_capture_converter_pending(const falco_capture_converter *c)
{
    return c ? c->npending : 0;
}

void falco_capture_converter_free(falco_capture_converter *c)
{
    if (!c)
        return;
    for (size_t b = 0; b < NBUCKETS; b++) {
        pending *p = c->buckets[b];
        while (p) {
            pending *nx = p->next;
            free(p);
            p = nx;
        }
    }
    free(c->work[0]);
    free(c->work[1]);
    free(c);
}
