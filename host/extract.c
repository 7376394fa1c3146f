/*
 * extract.c - field extraction as libsinsp's plugin filtercheck does it:
 * "name[arg]" parsing with the plugin's argument rules, one field per
 * extract_fields call, source/type compatibility, results checked and typed.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_internal.h"

static void link_extractor(falco_host_plugin *p, falco_host_extractor *x)
{
    x->next = p->extractors;
    if (p->extractors)
        p->extractors->prev = x;
    p->extractors = x;
}

void falco_host_extractor_free(falco_host_extractor *x)
{
    if (!x)
        return;
    if (x->prev)
        x->prev->next = x->next;
    else
        x->plugin->extractors = x->next;
    if (x->next)
        x->next->prev = x->prev;
    free(x->arg_key);
    free(x);
}

void falco__host_extractors_free(falco_host_plugin *p)
{
    while (p->extractors)
        falco_host_extractor_free(p->extractors);
}

/* libsinsp's index rule: digits only, no leading zero, fits 64 bits. */
static falco_rc parse_index(falco_host_plugin *p, const char *expr, const char *arg, uint64_t *out)
{
    size_t len = strlen(arg);
    if (len == 0 || (len > 1 && arg[0] == '0'))
        return falco__host_err(p, FALCO_EINVAL, "extract", "field '%s': invalid index argument starting with 0: '%s'",
                               expr, arg);
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (arg[i] < '0' || arg[i] > '9')
            return falco__host_err(p, FALCO_EINVAL, "extract",
                                   "field '%s': invalid index argument not composed only by digits: '%s'", expr, arg);
        unsigned d = (unsigned)(arg[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return falco__host_err(p, FALCO_EINVAL, "extract",
                                   "field '%s': invalid index argument not representable on 64 bit: '%s'", expr, arg);
        v = v * 10 + d;
    }
    *out = v;
    return FALCO_OK;
}

static falco_rc parse_expr(falco_host_plugin *p, const char *expr, falco_host_extractor *x)
{
    const char *open = strchr(expr, '[');
    size_t nlen = open ? (size_t)(open - expr) : strlen(expr);
    for (size_t i = 0; i < p->field_count && !x->field; i++)
        if (strlen(p->fields[i].name) == nlen && memcmp(p->fields[i].name, expr, nlen) == 0)
            x->field = &p->fields[i];
    if (!x->field)
        return falco__host_err(p, FALCO_ENOTFOUND, "extract", "no field named '%.*s'", (int)nlen, expr);
    const falco_host_field *f = x->field;
    if (open) {
        const char *close = strchr(open + 1, ']');
        if (open[1] == '\0')
            return falco__host_err(p, FALCO_EINVAL, "extract", "field '%s': terminates with incomplete argument brackets",
                                   expr);
        if (!close)
            return falco__host_err(p, FALCO_EINVAL, "extract", "field '%s': has unbalanced argument brackets", expr);
        if (close[1] != '\0')
            return falco__host_err(p, FALCO_EINVAL, "extract", "field '%s': unexpected characters after ']'", expr);
        size_t alen = (size_t)(close - open - 1);
        char *arg = malloc(alen + 1);
        if (!arg)
            return falco__host_err(p, FALCO_ENOMEM, "extract", "out of memory");
        memcpy(arg, open + 1, alen);
        arg[alen] = '\0';
        x->arg_present = true;
        falco_rc rc = FALCO_OK;
        if (!f->arg_index && !f->arg_key && !f->arg_required)
            rc = falco__host_err(p, FALCO_EINVAL, "extract",
                                 "field '%s': %s does not allow nor require an argument but one is provided: '%s'", expr,
                                 f->name, arg);
        if (rc == FALCO_OK && f->arg_index)
            rc = parse_index(p, expr, arg, &x->arg_index);
        /* libsinsp's filter parser wants a quoted or bare string in brackets */
        if (rc == FALCO_OK && alen == 0)
            rc = falco__host_err(p, FALCO_EINVAL, "extract",
                                 "field '%s': expected a valid field argument, got empty brackets", expr);
        if (rc != FALCO_OK || !f->arg_key) {
            free(arg);
            return rc;
        }
        x->arg_key = arg;
    } else if (f->arg_required) {
        return falco__host_err(p, FALCO_EINVAL, "extract", "field '%s': %s requires an argument but none provided",
                               expr, f->name);
    }
    return FALCO_OK;
}

falco_rc falco_host_extractor_new(falco_host_plugin *p, const char *expr, falco_host_extractor **out)
{
    *out = NULL;
    if (!p->loaded || !(p->caps & FALCO_HOST_CAP_EXTRACT))
        return falco__host_err(p, FALCO_EMISUSE, "extract", "plugin has no field extraction capability");
    if (!expr)
        return falco__host_err(p, FALCO_EINVAL, "extract", "NULL field name");
    falco_host_extractor *x = calloc(1, sizeof *x);
    if (!x)
        return falco__host_err(p, FALCO_ENOMEM, "extract", "out of memory");
    x->plugin = p;
    falco_rc rc = parse_expr(p, expr, x);
    if (rc != FALCO_OK) {
        free(x->arg_key);
        free(x);
        return rc;
    }
    link_extractor(p, x);
    *out = x;
    return FALCO_OK;
}

const falco_host_field *falco_host_extractor_field(const falco_host_extractor *x)
{
    return x ? x->field : NULL;
}

/* Checks the plugin's result array before anyone reads it. */
static falco_rc check_result(falco_host_plugin *p, const falco_host_field *f, const falco_abi_extract_field *ef)
{
    if (!ef->res_len)
        return FALCO_OK;
    if (!f->is_list && ef->res_len > 1)
        return falco__host_err(p, FALCO_EPARSE, "extract_fields", "field '%s' is not a list but got %" PRIu64 " values",
                               f->name, ef->res_len);
    if (!ef->res.u64)
        return falco__host_err(p, FALCO_EPARSE, "extract_fields", "field '%s': res_len %" PRIu64 " with a NULL result",
                               f->name, ef->res_len);
    for (uint64_t i = 0; i < ef->res_len; i++) {
        if (f->type == FALCO_ABI_FT_STRING && !ef->res.str[i])
            return falco__host_err(p, FALCO_EPARSE, "extract_fields", "field '%s': string value #%" PRIu64 " is NULL",
                                   f->name, i);
        if ((f->type == FALCO_ABI_FT_IPADDR || f->type == FALCO_ABI_FT_IPNET) && ef->res.buf[i].len &&
            !ef->res.buf[i].ptr)
            return falco__host_err(p, FALCO_EPARSE, "extract_fields", "field '%s': buffer value #%" PRIu64 " is NULL",
                                   f->name, i);
    }
    return FALCO_OK;
}

falco_rc falco_host_extract(falco_host_extractor *x, const falco_abi_event_input *evt, bool want_offsets,
                            falco_host_values *out)
{
    falco_host_plugin *p = x->plugin;
    const falco_host_field *f = x->field;
    char why[512];
    memset(out, 0, sizeof *out);
    out->type = f->type;
    out->is_list = f->is_list;
    if (!p->inited)
        return falco__host_err(p, FALCO_EMISUSE, "extract_fields", "plugin capability used before init");
    if (!evt || !evt->evt)
        return falco__host_err(p, FALCO_EINVAL, "extract_fields", "NULL event");
    uint16_t type;
    memcpy(&type, (const uint8_t *)evt->evt + 20, 2);
    if (falco__host_event_check(evt->evt, why, sizeof why) != FALCO_OK)
        return falco__host_err(p, FALCO_EPARSE, "extract_fields", "field '%s': %s", f->name, why);
    const char *src = evt->evtsrc ? evt->evtsrc : (p->event_source[0] ? p->event_source : NULL);
    if (!falco__host_source_compatible(&p->extract_sources, src))
        return falco__host_err(p, FALCO_NOT_SUPPORTED, "extract_fields",
                               "field '%s': plugin does not extract from event source '%s'", f->name,
                               src ? src : "(none)");
    if (!falco__host_codes_have(&p->extract_codes, type))
        return falco__host_err(p, FALCO_NOT_SUPPORTED, "extract_fields",
                               "field '%s': plugin does not extract from event type %u", f->name, type);

    falco_abi_extract_field ef;
    memset(&ef, 0, sizeof ef);
    ef.field_id = f->id;
    ef.field = f->name;
    ef.arg_key = x->arg_key;
    ef.arg_index = x->arg_index;
    ef.arg_present = x->arg_present;
    ef.ftype = (uint32_t)f->type;
    ef.flist = f->is_list;

    falco_abi_extract_value_offsets offsets = { NULL, NULL };
    falco_abi_field_extract_input in;
    memset(&in, 0, sizeof in);
    in.owner = p;
    in.get_owner_last_error = falco__host_owner_last_error;
    in.num_fields = 1;
    in.fields = &ef;
    in.table_reader_ext = falco__host_reader_for(p, &in.table_reader); /* lives as long as p */
    bool offsets_ok = want_offsets && (p->api_major > 3 || (p->api_major == 3 && p->api_minor >= 11));
    in.value_offsets = offsets_ok ? &offsets : NULL;

    falco_abi_event_input ev = *evt;
    ev.evtsrc = src;
    falco_abi_rc rc = p->api.extract_fields(p->state, &ev, &in);
    falco__host_tables_phase_end(); /* the read window closes with the call */
    if (rc != FALCO_ABI_RC_SUCCESS) {
        /* Name the field once: the plugin's own message often does already. */
        const char *last = falco_host_plugin_last_error(p);
        if (last && strstr(last, f->name))
            return falco__host_err_plugin(p, FALCO_ERROR, "extract_fields", "failed with %s",
                                          falco__host_rc_str(rc).s);
        return falco__host_err_plugin(p, FALCO_ERROR, "extract_fields", "field '%s' failed with %s", f->name,
                                      falco__host_rc_str(rc).s);
    }
    FALCO_TRY(check_result(p, f, &ef));
    out->count = ef.res_len;
    out->v.u64 = ef.res.u64;
    if (offsets_ok && offsets.start && offsets.length && ef.res_len) {
        /* one entry per requested field (we ask one), relative to the event's first byte */
        uint32_t evlen = evt->evt->len;
        if (offsets.length[0] && (offsets.start[0] > evlen || offsets.length[0] > evlen - offsets.start[0]))
            return falco__host_err(p, FALCO_EPARSE, "extract_fields",
                                   "field '%s': value offset %" PRIu32 " length %" PRIu32
                                   " lies outside the %" PRIu32 "-byte event",
                                   f->name, offsets.start[0], offsets.length[0], evlen);
        out->has_offsets = true;
        out->offset_start = offsets.start;
        out->offset_length = offsets.length;
    }
    return FALCO_OK;
}
