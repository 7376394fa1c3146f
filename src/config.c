/*
 * config.c - declarative plugin configuration: checking an option table once
 * (falco_config_validate) and releasing what decoding stored.
 * The schema is generated in config_schema.c, decoding is in config_decode.c;
 * facts about option types they share are in config_internal.h.
 */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <falco/config.h>
#include <falco/json.h>

#include "config_internal.h"

/* ---- validation ---------------------------------------------------------- */

typedef struct checker {
    char *err;
    size_t errlen;
    const char *what; /* "config", "open params" */
    path path;
} checker;

static falco_rc bad(checker *c, const char *fmt, ...) FALCO_PRINTF(2, 3);
static falco_rc bad(checker *c, const char *fmt, ...)
{
    char why[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    errf(c->err, c->errlen, "%s option '%s': %s", c->what, c->path.buf, why);
    return FALCO_EINVAL;
}

static falco_rc check_list(checker *c, falco_config_option_list opts, size_t struct_size, unsigned depth);

static falco_rc check_numbers(checker *c, const falco_config_option *o)
{
    char a[32], b[32], m[32];
    if (!isfinite(o->def) || !isfinite(o->min) || !isfinite(o->max))
        return bad(c, "def, min and max must be finite");
    if (o->type == FALCO_CONFIG_TYPE_BOOL) {
        if (bounds_apply(o))
            return bad(c, "min and max do not apply to a bool");
        return FALCO_OK;
    }
    if (bounds_apply(o) && o->min > o->max)
        return bad(c, "min %s is greater than max %s (bounds apply when either is non-zero: set both)",
                   dbl(o->min, a), dbl(o->max, b));
    if (o->type == FALCO_CONFIG_TYPE_DOUBLE) {
        if (bounds_apply(o) && (o->def < o->min || o->def > o->max))
            return bad(c, "default %s is outside %s..%s", dbl(o->def, a), dbl(o->min, b), dbl(o->max, m));
        return FALCO_OK;
    }
    size_t size;
    const char *tn = c_type_name(o->type, &size);
    if (!is_integral(o->min) || !is_integral(o->max))
        return bad(c, "min and max of an integer option must be integers");
    if (!integer_fits_type(o, o->def))
        return bad(c, "default %s is not an integer that fits %s", dbl(o->def, a), tn);
    int_range r = integer_range(o);
    bool inside = is_signed_type(o->type) ? (int64_t)o->def >= r.slo && (int64_t)o->def <= r.shi
                                          : (uint64_t)o->def >= r.ulo && (uint64_t)o->def <= r.uhi;
    if (!inside)
        return bad(c, "default %s is outside %s..%s", dbl(o->def, a), dbl(o->min, b), dbl(o->max, m));
    return FALCO_OK;
}

static falco_rc check_enum(checker *c, const falco_config_option *o)
{
    if (!o->choices || !o->choices[0])
        return bad(c, "an ENUM needs at least one choice (NULL-terminated choices)");
    bool def_found = o->def_str == NULL; /* no def_str: the first choice */
    for (size_t i = 0; o->choices[i]; i++) {
        if (!o->choices[i][0])
            return bad(c, "choice #%zu is empty", i);
        for (size_t j = 0; j < i; j++)
            if (strcmp(o->choices[i], o->choices[j]) == 0)
                return bad(c, "duplicate choice \"%s\"", o->choices[i]);
        if (o->def_str && strcmp(o->def_str, o->choices[i]) == 0)
            def_found = true;
    }
    if (!def_found)
        return bad(c, "default \"%s\" is not one of the choices", o->def_str);
    return FALCO_OK;
}

static falco_rc check_option(checker *c, const falco_config_option *o, size_t struct_size, unsigned depth)
{
    size_t want;
    const char *tn = c_type_name(o->type, &want);
    if (!tn)
        return bad(c, "unknown type %d", (int)o->type);
    if (o->type != FALCO_CONFIG_TYPE_OBJECT && o->size != want)
        return bad(c, "member is %zu bytes but a %s option needs a %s (%zu bytes)", o->size,
                   tn, tn, want);
    if (o->offset > struct_size || o->size > struct_size - o->offset)
        return bad(c, "member at offset %zu (%zu bytes) lies outside its struct (%zu bytes)", o->offset,
                   o->size, struct_size);
    bool numeric = is_integer_type(o->type) || o->type == FALCO_CONFIG_TYPE_DOUBLE ||
                   o->type == FALCO_CONFIG_TYPE_BOOL;
    if (!numeric && (o->def != 0 || bounds_apply(o)))
        return bad(c, "def, min and max apply only to bool and number options");
    if (o->def_str && o->type != FALCO_CONFIG_TYPE_STRING && o->type != FALCO_CONFIG_TYPE_ENUM)
        return bad(c, "def_str applies only to STRING and ENUM options");
    if (o->def_list && o->type != FALCO_CONFIG_TYPE_STRING_LIST)
        return bad(c, "def_list applies only to STRING_LIST options");
    if (o->choices && o->type != FALCO_CONFIG_TYPE_ENUM)
        return bad(c, "choices apply only to ENUM options");
    if ((o->children.items || o->children.count) && o->type != FALCO_CONFIG_TYPE_OBJECT)
        return bad(c, "children apply only to OBJECT options");
    if (numeric)
        return check_numbers(c, o);
    if (o->type == FALCO_CONFIG_TYPE_ENUM)
        return check_enum(c, o);
    if (o->type == FALCO_CONFIG_TYPE_OBJECT) {
        if (depth + 1 >= MAX_TABLE_DEPTH)
            return bad(c, "OBJECT options nested deeper than %d", MAX_TABLE_DEPTH);
        if (o->children.count == 0)
            return bad(c, "an OBJECT option needs at least one child");
        return check_list(c, o->children, o->size, depth + 1);
    }
    return FALCO_OK;
}

static falco_rc check_list(checker *c, falco_config_option_list opts, size_t struct_size, unsigned depth)
{
    if (!opts.items && opts.count)
        return bad(c, "%zu options but no items", opts.count);
    for (size_t i = 0; i < opts.count; i++) {
        const falco_config_option *o = &opts.items[i];
        const char *sep = c->path.len ? "." : "";
        size_t mark = o->name && o->name[0] ? path_push(&c->path, "%s%s", sep, o->name)
                                            : path_push(&c->path, "%s#%zu", sep, i);
        if (!o->name || !o->name[0])
            return bad(c, "option #%zu has an empty name", i);
        for (size_t j = 0; j < i; j++)
            if (opts.items[j].name && strcmp(opts.items[j].name, o->name) == 0)
                return bad(c, "duplicate name (options #%zu and #%zu)", j, i);
        FALCO_TRY(check_option(c, o, struct_size, depth));
        path_pop(&c->path, mark);
    }
    return FALCO_OK;
}

falco_rc falco__config_validate_as(falco_config_option_list opts, size_t struct_size, const char *what,
                                   char *err, size_t errlen)
{
    checker c = { err, errlen, what, { "", 0 } };
    falco_rc rc = check_list(&c, opts, struct_size, 0);
    if (rc == FALCO_OK)
        errf(err, errlen, "%s", "");
    return rc;
}

falco_rc falco_config_validate(falco_config_option_list opts, size_t struct_size, char *err, size_t errlen)
{
    return falco__config_validate_as(opts, struct_size, "config", err, errlen);
}

void falco_config_release(falco_config_option_list opts, void *out)
{
    if (!out)
        return;
    for (size_t i = 0; i < opts.count; i++) {
        const falco_config_option *o = &opts.items[i];
        void *m = member_at(out, o);
        if (o->type == FALCO_CONFIG_TYPE_STRING) {
            free(*(char **)m);
            *(char **)m = NULL;
        } else if (o->type == FALCO_CONFIG_TYPE_STRING_LIST) {
            falco_string_list *l = m;
            free((void *)l->items);
            l->items = NULL;
            l->count = 0;
        } else if (o->type == FALCO_CONFIG_TYPE_OBJECT) {
            falco_config_release(o->children, m);
        }
    }
}
