/*
 * config_decode.c - JSON -> the plugin's config struct.
 *
 * Decoding zeroes every pointer member, stores every default, then applies
 * the given keys; on any failure it releases what it stored, so the caller
 * never has to clean up after an error. Each STRING is one malloc'd block;
 * each STRING_LIST is one block holding the pointer array and the strings,
 * so releasing is one free() per member.
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

/* ---- decoding ------------------------------------------------------------ */

typedef struct decoder {
    char *err;
    size_t errlen;
    path path;               /* "config.tls.ca" */
    falco_json_writer *w;    /* renders offending values, made on first error */
    char got[64];
} decoder;

static falco_rc fail(decoder *d, falco_rc rc, const char *fmt, ...) FALCO_PRINTF(3, 4);
static falco_rc fail(decoder *d, falco_rc rc, const char *fmt, ...)
{
    char why[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    errf(d->err, d->errlen, "%s: %s", d->path.buf, why);
    return rc;
}

/* The offending value as compact JSON, cut to about 48 bytes. */
static const char *got(decoder *d, const falco_json_value *v)
{
    if (!d->w)
        d->w = falco_json_writer_new();
    falco_json_writer_reset(d->w);
    falco_json_write_value(d->w, v);
    size_t len;
    const char *text = falco_json_writer_str(d->w, &len);
    if (!text)
        return falco_json_type_name(falco_json_type_of(v));
    if (len < sizeof d->got) {
        memcpy(d->got, text, len + 1);
    } else {
        size_t cut = 48;
        while (cut > 0 && ((unsigned char)text[cut] & 0xc0) == 0x80)
            cut--; /* do not split a UTF-8 sequence */
        memcpy(d->got, text, cut);
        memcpy(d->got + cut, "...", 4);
    }
    return d->got;
}

/* A key for messages: printable ASCII kept, other bytes as \xNN, cut at 64. */
static const char *printable_key(const char *key, size_t len, char out[300])
{
    size_t o = 0;
    for (size_t i = 0; i < len && o < 64 * 4; i++) {
        unsigned char c = (unsigned char)key[i];
        if (c >= 0x20 && c < 0x7f && c != '\'')
            out[o++] = (char)c;
        else
            o += (size_t)snprintf(out + o, 5, "\\x%02x", c);
    }
    if (len > 64 * 4)
        o += (size_t)snprintf(out + o, 4, "...");
    out[o] = '\0';
    return out;
}

/* Sets every pointer member to NULL so a release after a failure is safe. */
static void zero_pointers(falco_config_option_list opts, void *base)
{
    for (size_t i = 0; i < opts.count; i++) {
        const falco_config_option *o = &opts.items[i];
        void *m = member_at(base, o);
        if (o->type == FALCO_CONFIG_TYPE_STRING)
            *(char **)m = NULL;
        else if (o->type == FALCO_CONFIG_TYPE_STRING_LIST)
            memset(m, 0, sizeof(falco_string_list));
        else if (o->type == FALCO_CONFIG_TYPE_OBJECT)
            zero_pointers(o->children, m);
    }
}

static falco_rc set_string(decoder *d, char **slot, const char *s, size_t len)
{
    char *copy = malloc(len + 1);
    if (!copy)
        return fail(d, FALCO_ENOMEM, "out of memory");
    memcpy(copy, s, len);
    copy[len] = '\0';
    free(*slot);
    *slot = copy;
    return FALCO_OK;
}

/* Builds a list in one block: count pointers, then the strings, each given
 * as (pointer, length) by get(src, i). An empty list has NULL items. */
typedef const char *(*item_fn)(const void *src, size_t i, size_t *len);

static falco_rc set_list(decoder *d, falco_string_list *slot, const void *src, size_t count, item_fn get)
{
    size_t bytes = count * sizeof(char *);
    for (size_t i = 0; i < count; i++) {
        size_t len;
        get(src, i, &len);
        if (len >= SIZE_MAX - bytes)
            return fail(d, FALCO_ENOMEM, "out of memory");
        bytes += len + 1;
    }
    char *block = NULL;
    if (count) {
        block = malloc(bytes);
        if (!block)
            return fail(d, FALCO_ENOMEM, "out of memory");
    }
    const char **items = (const char **)(void *)block;
    char *strs = block ? block + count * sizeof(char *) : NULL;
    for (size_t i = 0; i < count; i++) {
        size_t len;
        const char *s = get(src, i, &len);
        memcpy(strs, s, len);
        strs[len] = '\0';
        items[i] = strs;
        strs += len + 1;
    }
    free((void *)slot->items);
    slot->items = items;
    slot->count = count;
    return FALCO_OK;
}

static const char *def_list_item(const void *src, size_t i, size_t *len)
{
    const char *s = ((const char *const *)src)[i];
    *len = strlen(s);
    return s;
}

static const char *json_list_item(const void *src, size_t i, size_t *len)
{
    return falco_json_string(falco_json_at(src, i), len);
}

static void store_int(const falco_config_option *o, void *m, int64_t s, uint64_t u)
{
    switch (o->type) {
    case FALCO_CONFIG_TYPE_I32: *(int32_t *)m = (int32_t)s; break;
    case FALCO_CONFIG_TYPE_I64: *(int64_t *)m = s; break;
    case FALCO_CONFIG_TYPE_U32: *(uint32_t *)m = (uint32_t)u; break;
    case FALCO_CONFIG_TYPE_U64: *(uint64_t *)m = u; break;
    default: break;
    }
}

static falco_rc apply_defaults(decoder *d, falco_config_option_list opts, void *base)
{
    for (size_t i = 0; i < opts.count; i++) {
        const falco_config_option *o = &opts.items[i];
        void *m = member_at(base, o);
        switch (o->type) {
        case FALCO_CONFIG_TYPE_BOOL: *(bool *)m = o->def != 0; break;
        case FALCO_CONFIG_TYPE_I32:
        case FALCO_CONFIG_TYPE_I64:
        case FALCO_CONFIG_TYPE_U32:
        case FALCO_CONFIG_TYPE_U64:
            store_int(o, m, clamp_i64(o->def, INT64_MIN, INT64_MAX), clamp_u64(o->def, 0, UINT64_MAX));
            break;
        case FALCO_CONFIG_TYPE_DOUBLE: *(double *)m = o->def; break;
        case FALCO_CONFIG_TYPE_STRING:
            if (o->def_str)
                FALCO_TRY(set_string(d, m, o->def_str, strlen(o->def_str)));
            break;
        case FALCO_CONFIG_TYPE_ENUM: {
            int idx = 0;
            for (int k = 0; o->def_str && o->choices && o->choices[k]; k++)
                if (strcmp(o->choices[k], o->def_str) == 0)
                    idx = k;
            *(int *)m = idx;
            break;
        }
        case FALCO_CONFIG_TYPE_STRING_LIST: {
            size_t n = 0;
            while (o->def_list && o->def_list[n])
                n++;
            FALCO_TRY(set_list(d, m, o->def_list, n, def_list_item));
            break;
        }
        case FALCO_CONFIG_TYPE_OBJECT: FALCO_TRY(apply_defaults(d, o->children, m)); break;
        default: return fail(d, FALCO_EINVAL, "option '%s' has an unknown type %d", o->name, (int)o->type);
        }
    }
    return FALCO_OK;
}

static falco_rc decode_object(decoder *d, falco_config_option_list opts, const falco_json_value *obj,
                              void *base);

static falco_rc decode_integer(decoder *d, const falco_config_option *o, const falco_json_value *v, void *m)
{
    int_range r = integer_range(o);
    int64_t s;
    uint64_t u;
    if (is_signed_type(o->type)) {
        if (json_integer_i64(v, &s) && s >= r.slo && s <= r.shi) {
            store_int(o, m, s, 0);
            return FALCO_OK;
        }
        return fail(d, FALCO_EINVAL, "expected integer in %" PRId64 "..%" PRId64 ", got %s", r.slo, r.shi,
                    got(d, v));
    }
    if (json_integer_u64(v, &u) && u >= r.ulo && u <= r.uhi) {
        store_int(o, m, 0, u);
        return FALCO_OK;
    }
    return fail(d, FALCO_EINVAL, "expected integer in %" PRIu64 "..%" PRIu64 ", got %s", r.ulo, r.uhi,
                got(d, v));
}

static falco_rc decode_double(decoder *d, const falco_config_option *o, const falco_json_value *v, void *m)
{
    double x;
    bool ok = falco_json_double(v, &x) && isfinite(x);
    if (ok && bounds_apply(o))
        ok = x >= o->min && x <= o->max;
    if (ok) {
        *(double *)m = x;
        return FALCO_OK;
    }
    if (bounds_apply(o)) {
        char a[32], b[32];
        return fail(d, FALCO_EINVAL, "expected number in %s..%s, got %s", dbl(o->min, a), dbl(o->max, b),
                    got(d, v));
    }
    return fail(d, FALCO_EINVAL, "expected %snumber, got %s",
                falco_json_type_of(v) == FALCO_JSON_NUMBER ? "finite " : "", got(d, v));
}

static falco_rc decode_enum(decoder *d, const falco_config_option *o, const falco_json_value *v, void *m)
{
    size_t len;
    const char *s = falco_json_string(v, &len);
    for (int k = 0; s && o->choices && o->choices[k]; k++) {
        if (strlen(o->choices[k]) == len && memcmp(o->choices[k], s, len) == 0) {
            *(int *)m = k;
            return FALCO_OK;
        }
    }
    char list[256];
    size_t n = 0;
    list[0] = '\0';
    for (size_t k = 0; o->choices && o->choices[k] && n < sizeof list; k++)
        n += (size_t)snprintf(list + n, sizeof list - n, "%s\"%s\"", k ? ", " : "", o->choices[k]);
    return fail(d, FALCO_EINVAL, "expected one of %s, got %s", list, got(d, v));
}

static falco_rc decode_list(decoder *d, const falco_config_option *o, const falco_json_value *v, void *m)
{
    (void)o;
    if (falco_json_type_of(v) != FALCO_JSON_ARRAY)
        return fail(d, FALCO_EINVAL, "expected array of strings, got %s", got(d, v));
    for (size_t i = 0; i < falco_json_size(v); i++) {
        const falco_json_value *item = falco_json_at(v, i);
        size_t len;
        const char *s = falco_json_string(item, &len);
        if (!s || memchr(s, '\0', len)) {
            path_push(&d->path, "[%zu]", i);
            return fail(d, FALCO_EINVAL, "expected string%s, got %s", s ? " without NUL characters" : "",
                        got(d, item));
        }
    }
    return set_list(d, m, v, falco_json_size(v), json_list_item);
}

static falco_rc decode_option(decoder *d, const falco_config_option *o, const falco_json_value *v, void *m)
{
    size_t len;
    const char *s;
    bool b;
    switch (o->type) {
    case FALCO_CONFIG_TYPE_BOOL:
        if (!falco_json_bool(v, &b))
            return fail(d, FALCO_EINVAL, "expected boolean, got %s", got(d, v));
        *(bool *)m = b;
        return FALCO_OK;
    case FALCO_CONFIG_TYPE_I32:
    case FALCO_CONFIG_TYPE_I64:
    case FALCO_CONFIG_TYPE_U32:
    case FALCO_CONFIG_TYPE_U64: return decode_integer(d, o, v, m);
    case FALCO_CONFIG_TYPE_DOUBLE: return decode_double(d, o, v, m);
    case FALCO_CONFIG_TYPE_STRING:
        s = falco_json_string(v, &len);
        if (!s)
            return fail(d, FALCO_EINVAL, "expected string, got %s", got(d, v));
        if (memchr(s, '\0', len))
            return fail(d, FALCO_EINVAL, "expected string without NUL characters, got %s", got(d, v));
        return set_string(d, m, s, len);
    case FALCO_CONFIG_TYPE_ENUM: return decode_enum(d, o, v, m);
    case FALCO_CONFIG_TYPE_STRING_LIST: return decode_list(d, o, v, m);
    case FALCO_CONFIG_TYPE_OBJECT:
        if (falco_json_type_of(v) != FALCO_JSON_OBJECT)
            return fail(d, FALCO_EINVAL, "expected object, got %s", got(d, v));
        return decode_object(d, o->children, v, m);
    }
    return fail(d, FALCO_EINVAL, "unknown option type %d", (int)o->type);
}

static falco_rc decode_object(decoder *d, falco_config_option_list opts, const falco_json_value *obj,
                              void *base)
{
    /* unknown keys first: a typo explains later "missing" errors */
    for (size_t i = 0; i < falco_json_size(obj); i++) {
        size_t len;
        const char *key = falco_json_key_at(obj, i, &len);
        bool known = false;
        for (size_t k = 0; k < opts.count && !known; k++)
            known = opts.items[k].name && strlen(opts.items[k].name) == len && memcmp(opts.items[k].name, key, len) == 0;
        if (known)
            continue;
        char known_list[256], kbuf[300];
        size_t n = 0;
        known_list[0] = '\0';
        for (size_t k = 0; k < opts.count && n < sizeof known_list; k++)
            n += (size_t)snprintf(known_list + n, sizeof known_list - n, "%s%s", k ? ", " : "",
                                  opts.items[k].name ? opts.items[k].name : "?");
        return fail(d, FALCO_EINVAL, "unknown key '%s' (known: %s)", printable_key(key, len, kbuf), known_list);
    }
    for (size_t k = 0; k < opts.count; k++) {
        const falco_config_option *o = &opts.items[k];
        const falco_json_value *v = falco_json_member(obj, o->name);
        if (!v) {
            if (o->required)
                return fail(d, FALCO_EINVAL, "missing required key '%s'", o->name);
            continue;
        }
        size_t mark = path_push(&d->path, ".%s", o->name);
        FALCO_TRY(decode_option(d, o, v, member_at(base, o)));
        path_pop(&d->path, mark);
    }
    return FALCO_OK;
}

static bool all_whitespace(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
            return false;
    return true;
}

/* The plain (non-JSON) form: text is the value of option plain_key: a
 * STRING takes its bytes as they are, an ENUM the choice they name, other
 * types the JSON value they parse as (else they are refused, shown quoted). */
static falco_rc decode_plain(decoder *d, falco_config_option_list opts, const char *plain_key, const char *text,
                             size_t len, falco_json_doc *doc, void *out)
{
    const falco_config_option *o = NULL;
    for (size_t k = 0; k < opts.count; k++) {
        if (strcmp(opts.items[k].name, plain_key) == 0)
            o = &opts.items[k];
        else if (opts.items[k].required)
            return fail(d, FALCO_EINVAL, "missing required key '%s' (a plain value sets '%s' only)",
                        opts.items[k].name, plain_key);
    }
    if (!o)
        return fail(d, FALCO_EINVAL, "no option '%s' for a plain value", plain_key);
    while (len && (text[len - 1] == ' ' || text[len - 1] == '\t' || text[len - 1] == '\n' || text[len - 1] == '\r'))
        len--;
    size_t mark;
    if (o->type == FALCO_CONFIG_TYPE_STRING) { /* byte for byte: a path need not be UTF-8 */
        mark = path_push(&d->path, ".%s", o->name);
        if (memchr(text, '\0', len))
            return fail(d, FALCO_EINVAL, "expected a string without NUL characters");
        FALCO_TRY(set_string(d, member_at(out, o), text, len));
        path_pop(&d->path, mark);
        return FALCO_OK;
    }
    const falco_json_value *v = NULL;
    falco_json_error jerr;
    if (o->type != FALCO_CONFIG_TYPE_ENUM)
        v = falco_json_parse(doc, text, len, &jerr); /* a number, a boolean... or not JSON */
    if (!v) {
        if (!d->w)
            d->w = falco_json_writer_new();
        if (!d->w)
            return fail(d, FALCO_ENOMEM, "out of memory");
        falco_json_writer_reset(d->w);
        falco_json_string_len(d->w, text, len);
        size_t slen;
        const char *quoted = falco_json_writer_str(d->w, &slen);
        v = quoted ? falco_json_parse(doc, quoted, slen, &jerr) : NULL;
        if (!v)
            return fail(d, FALCO_ENOMEM, "out of memory");
    }
    mark = path_push(&d->path, ".%s", o->name);
    FALCO_TRY(decode_option(d, o, v, member_at(out, o)));
    path_pop(&d->path, mark);
    return FALCO_OK;
}

falco_rc falco__config_decode_as(falco_config_option_list opts, const char *what, const char *plain_key,
                                 const char *json, size_t len, void *out, char *err, size_t errlen)
{
    decoder d = { err, errlen, { "", 0 }, NULL, "" };
    path_push(&d.path, "%s", what);
    if (!out)
        return fail(&d, FALCO_EINVAL, "no struct to decode into");
    if (!json)
        len = 0;
    zero_pointers(opts, out);
    falco_rc rc = apply_defaults(&d, opts, out);
    falco_json_doc *doc = NULL;
    if (all_whitespace(json, len))
        json = "{}", len = 2; /* required keys are still required */
    size_t skip = 0;
    while (skip < len && (json[skip] == ' ' || json[skip] == '\t' || json[skip] == '\n' || json[skip] == '\r'))
        skip++;
    bool plain = plain_key && json[skip] != '{';
    if (rc == FALCO_OK) {
        doc = falco_json_doc_new();
        falco_json_error jerr;
        const falco_json_value *root = NULL;
        if (doc && plain)
            rc = decode_plain(&d, opts, plain_key, json + skip, len - skip, doc, out);
        else if (doc)
            root = falco_json_parse(doc, json, len, &jerr);
        if (!doc)
            rc = fail(&d, FALCO_ENOMEM, "out of memory");
        else if (plain)
            ; /* decoded above */
        else if (!root && strcmp(jerr.message, "out of memory") == 0)
            rc = fail(&d, FALCO_ENOMEM, "out of memory");
        else if (!root)
            rc = fail(&d, FALCO_EPARSE, "invalid JSON at line %u column %u: %s", jerr.line, jerr.column,
                      jerr.message);
        else if (falco_json_type_of(root) != FALCO_JSON_OBJECT)
            rc = fail(&d, FALCO_EINVAL, "expected object, got %s", got(&d, root));
        else
            rc = decode_object(&d, opts, root, out);
    }
    falco_json_doc_free(doc);
    falco_json_writer_free(d.w);
    if (rc != FALCO_OK)
        falco_config_release(opts, out);
    else
        errf(err, errlen, "%s", "");
    return rc;
}

falco_rc falco_config_decode(falco_config_option_list opts, const char *json, size_t len, void *out,
                             char *err, size_t errlen)
{
    return falco__config_decode_as(opts, "config", NULL, json, len, out, err, errlen);
}
