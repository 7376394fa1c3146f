/*
 * config_internal.h - facts about option types shared by src/config*.c only:
 * C types and sizes, integer ranges narrowed by bounds, message helpers.
 */
#ifndef FALCO_CONFIG_INTERNAL_H
#define FALCO_CONFIG_INTERNAL_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <falco/config.h>

#include "json_internal.h"

#define MAX_TABLE_DEPTH 16 /* nested OBJECT options; deeper is surely a cycle */

typedef struct path {
    char buf[256];
    size_t len;
} path;

/* Appends ".name" (or "name" at the start) or "[i]"; returns the old length
 * to restore with path_pop. Truncates silently: it only feeds messages. */
static inline size_t path_push(path *p, const char *fmt, ...) FALCO_PRINTF(2, 3);
static inline size_t path_push(path *p, const char *fmt, ...)
{
    size_t old = p->len;
    if (p->len < sizeof p->buf - 1) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(p->buf + p->len, sizeof p->buf - p->len, fmt, ap);
        va_end(ap);
        if (n > 0)
            p->len += (size_t)n < sizeof p->buf - p->len ? (size_t)n : sizeof p->buf - 1 - p->len;
    }
    return old;
}

static inline void path_pop(path *p, size_t old)
{
    p->len = old;
    p->buf[old] = '\0';
}

static inline void errf(char *err, size_t errlen, const char *fmt, ...) FALCO_PRINTF(3, 4);
static inline void errf(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || !errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* ---- per-type facts ------------------------------------------------------ */

static inline bool is_integer_type(falco_config_type t)
{
    return t == FALCO_CONFIG_TYPE_I32 || t == FALCO_CONFIG_TYPE_I64 || t == FALCO_CONFIG_TYPE_U32 ||
           t == FALCO_CONFIG_TYPE_U64;
}

static inline bool is_signed_type(falco_config_type t)
{
    return t == FALCO_CONFIG_TYPE_I32 || t == FALCO_CONFIG_TYPE_I64;
}

/* The C type a member must have, and its size (0 for OBJECT: any). */
static inline const char *c_type_name(falco_config_type t, size_t *size)
{
    switch (t) {
    case FALCO_CONFIG_TYPE_BOOL: *size = sizeof(bool); return "bool";
    case FALCO_CONFIG_TYPE_I32: *size = sizeof(int32_t); return "int32_t";
    case FALCO_CONFIG_TYPE_I64: *size = sizeof(int64_t); return "int64_t";
    case FALCO_CONFIG_TYPE_U32: *size = sizeof(uint32_t); return "uint32_t";
    case FALCO_CONFIG_TYPE_U64: *size = sizeof(uint64_t); return "uint64_t";
    case FALCO_CONFIG_TYPE_DOUBLE: *size = sizeof(double); return "double";
    case FALCO_CONFIG_TYPE_STRING: *size = sizeof(char *); return "char *";
    case FALCO_CONFIG_TYPE_ENUM: *size = sizeof(int); return "int";
    case FALCO_CONFIG_TYPE_STRING_LIST: *size = sizeof(falco_string_list); return "falco_string_list";
    case FALCO_CONFIG_TYPE_OBJECT: *size = 0; return "struct";
    }
    *size = 0;
    return NULL;
}

/* Closed integer range of an option: its C type's, narrowed by the bounds
 * when they apply. Signed types use s*, unsigned ones u*. */
typedef struct int_range {
    int64_t slo, shi;
    uint64_t ulo, uhi;
} int_range;

static inline bool bounds_apply(const falco_config_option *o)
{
    return o->min != 0 || o->max != 0;
}

static inline int64_t clamp_i64(double d, int64_t lo, int64_t hi)
{
    if (d <= (double)lo)
        return lo;
    if (d >= (double)hi) /* (double)INT64_MAX rounds up to 2^63: compare before the cast */
        return hi;
    return (int64_t)d;
}

static inline uint64_t clamp_u64(double d, uint64_t lo, uint64_t hi)
{
    if (d <= (double)lo)
        return lo;
    if (d >= (double)hi)
        return hi;
    return (uint64_t)d;
}

static inline int_range integer_range(const falco_config_option *o)
{
    int_range r = { INT64_MIN, INT64_MAX, 0, UINT64_MAX };
    if (o->type == FALCO_CONFIG_TYPE_I32)
        r.slo = INT32_MIN, r.shi = INT32_MAX;
    else if (o->type == FALCO_CONFIG_TYPE_U32)
        r.uhi = UINT32_MAX;
    if (bounds_apply(o)) {
        int64_t slo = clamp_i64(o->min, r.slo, r.shi), shi = clamp_i64(o->max, r.slo, r.shi);
        uint64_t ulo = clamp_u64(o->min, r.ulo, r.uhi), uhi = clamp_u64(o->max, r.ulo, r.uhi);
        r.slo = slo, r.shi = shi, r.ulo = ulo, r.uhi = uhi;
    }
    return r;
}

/* Whether finite d has no fraction, without libm (the SDK links libc only):
 * from 2^53 up every double is an integer, below it the cast is exact. */
static inline bool is_integral(double d)
{
    double mag = d < 0 ? -d : d;
    return mag >= 9007199254740992.0 || (double)(int64_t)d == d;
}

/* Is the double d an integer inside the C type of o? */
static inline bool integer_fits_type(const falco_config_option *o, double d)
{
    if (!is_integral(d))
        return false;
    switch (o->type) {
    case FALCO_CONFIG_TYPE_I32: return d >= INT32_MIN && d <= INT32_MAX;
    case FALCO_CONFIG_TYPE_U32: return d >= 0 && d <= UINT32_MAX;
    case FALCO_CONFIG_TYPE_I64: return d >= -9223372036854775808.0 && d < 9223372036854775808.0;
    case FALCO_CONFIG_TYPE_U64: return d >= 0 && d < 18446744073709551616.0;
    default: return false;
    }
}

/* libsinsp's notion of a JSON integer, which decides what its schema check
 * lets through as "type": "integer" (jsoncpp's isIntegral): a number written
 * without fraction or exponent that fits int64_t or uint64_t, or any number
 * whose double value is whole and inside [-2^63, 2^64). So 5.0, 1e3 and -0.0
 * are integers (5, 1000, 0); 5.5 and 1e20 are not. The host's schema check
 * (host/schema.c) applies the same rule. */
static inline bool whole_double(double d)
{
    return d == d && d >= -9223372036854775808.0 && d < 18446744073709551616.0 && is_integral(d);
}

static inline bool json_integer_i64(const falco_json_value *v, int64_t *out)
{
    double d;
    uint64_t u;
    if (falco_json_i64(v, out))
        return true;
    if (falco_json_u64(v, &u) || !falco_json_double(v, &d) || !whole_double(d) || d >= 9223372036854775808.0)
        return false;
    *out = (int64_t)d;
    return true;
}

static inline bool json_integer_u64(const falco_json_value *v, uint64_t *out)
{
    double d;
    int64_t s;
    if (falco_json_u64(v, out))
        return true;
    if (falco_json_i64(v, &s) || !falco_json_double(v, &d) || !whole_double(d) || d < 0)
        return false; /* -0.0 is not < 0: it is 0 */
    *out = (uint64_t)d;
    return true;
}

static inline const char *dbl(double d, char buf[32])
{
    if (!falco__json_format_double(d, buf))
        snprintf(buf, 32, "%s", d != d ? "NaN" : d < 0 ? "-inf" : "inf");
    return buf;
}

/* The member of option o inside the struct at base. */
static inline void *member_at(void *base, const falco_config_option *o)
{
    return (char *)base + o->offset;
}

/* falco_config_validate and falco_config_decode with the name messages
 * start with: "config" for the init config, "open params" for a source's
 * declared open parameters ("open params.batch: expected ..."). Decoding
 * with plain_key set takes a text whose first non-blank character is not
 * '{' as the value of that top-level option (surrounding blanks ignored): a
 * STRING takes its bytes as they are, an ENUM the choice they name, other
 * types the JSON value they parse as (so "100" sets a number, "/tmp/x" a
 * string, and "abc" for a number is refused). */
falco_rc falco__config_validate_as(falco_config_option_list opts, size_t struct_size, const char *what,
                                   char *err, size_t errlen);
falco_rc falco__config_decode_as(falco_config_option_list opts, const char *what, const char *plain_key,
                                 const char *text, size_t len, void *out, char *err, size_t errlen);

#endif /* FALCO_CONFIG_INTERNAL_H */
