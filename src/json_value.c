/*
 * json_value.c - reading parsed JSON values: typed accessors, member lookup,
 * RFC 6901 pointers, and locale-independent number <-> double conversion.
 */
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_internal.h"

falco_json_type falco_json_type_of(const falco_json_value *v)
{
    return v ? (falco_json_type)v->type : FALCO_JSON_NULL;
}

const char *falco_json_type_name(falco_json_type t)
{
    switch (t) {
    case FALCO_JSON_NULL: return "null";
    case FALCO_JSON_BOOL: return "boolean";
    case FALCO_JSON_NUMBER: return "number";
    case FALCO_JSON_STRING: return "string";
    case FALCO_JSON_ARRAY: return "array";
    case FALCO_JSON_OBJECT: return "object";
    }
    return "unknown";
}

bool falco_json_bool(const falco_json_value *v, bool *out)
{
    if (!v || v->type != FALCO_JSON_BOOL)
        return false;
    if (out)
        *out = (v->flags & FALCO__JSON_TRUE) != 0;
    return true;
}

static bool is_integer(const falco_json_value *v)
{
    return v && v->type == FALCO_JSON_NUMBER && (v->flags & FALCO__JSON_INTEGER);
}

bool falco_json_i64(const falco_json_value *v, int64_t *out)
{
    if (!is_integer(v))
        return false;
    int64_t r;
    if (v->flags & FALCO__JSON_NEGATIVE) {
        if (v->magnitude > (uint64_t)INT64_MAX + 1)
            return false;
        /* -(2^63) cannot be negated in int64: go through ~ */
        r = v->magnitude == 0 ? 0 : -(int64_t)(v->magnitude - 1) - 1;
    } else {
        if (v->magnitude > (uint64_t)INT64_MAX)
            return false;
        r = (int64_t)v->magnitude;
    }
    if (out)
        *out = r;
    return true;
}

bool falco_json_u64(const falco_json_value *v, uint64_t *out)
{
    if (!is_integer(v) || ((v->flags & FALCO__JSON_NEGATIVE) && v->magnitude != 0))
        return false;
    if (out)
        *out = v->magnitude;
    return true;
}

bool falco_json_double(const falco_json_value *v, double *out)
{
    if (!v || v->type != FALCO_JSON_NUMBER)
        return false;
    double d;
    if ((v->flags & FALCO__JSON_INTEGER) && v->magnitude <= (UINT64_C(1) << 53)) {
        d = (double)v->magnitude; /* exact */
        if (v->flags & FALCO__JSON_NEGATIVE)
            d = -d;
    } else {
        d = falco__json_text_to_double(v->data.str, v->len);
    }
    if (out)
        *out = d;
    return true;
}

const char *falco_json_string(const falco_json_value *v, size_t *len)
{
    if (!v || v->type != FALCO_JSON_STRING)
        return NULL;
    if (len)
        *len = v->len;
    return v->data.str;
}

const char *falco_json_number_text(const falco_json_value *v, size_t *len)
{
    if (!v || v->type != FALCO_JSON_NUMBER)
        return NULL;
    if (len)
        *len = v->len;
    return v->data.str;
}

size_t falco_json_size(const falco_json_value *v)
{
    if (!v || (v->type != FALCO_JSON_ARRAY && v->type != FALCO_JSON_OBJECT))
        return 0;
    return v->len;
}

const falco_json_value *falco_json_at(const falco_json_value *v, size_t i)
{
    if (i >= falco_json_size(v))
        return NULL;
    return &v->data.kids[i];
}

const char *falco_json_key_at(const falco_json_value *v, size_t i, size_t *len)
{
    if (!v || v->type != FALCO_JSON_OBJECT || i >= v->len)
        return NULL;
    const falco_json_value *m = &v->data.kids[i];
    if (len)
        *len = m->key_len;
    return m->key.ptr;
}

const falco_json_value *falco_json_member_len(const falco_json_value *obj, const char *key, size_t key_len)
{
    if (!obj || obj->type != FALCO_JSON_OBJECT || !key)
        return NULL;
    for (size_t i = obj->len; i-- > 0;) { /* backwards: the last duplicate wins */
        const falco_json_value *m = &obj->data.kids[i];
        if (m->key_len == key_len && memcmp(m->key.ptr, key, key_len) == 0)
            return m;
    }
    return NULL;
}

const falco_json_value *falco_json_member(const falco_json_value *obj, const char *key)
{
    return key ? falco_json_member_len(obj, key, strlen(key)) : NULL;
}

/* Compares a pointer reference token (with ~0/~1 escapes, already checked)
 * against a raw key. */
static bool token_equals(const char *tok, size_t tok_len, const char *key, size_t key_len)
{
    size_t k = 0;
    for (size_t t = 0; t < tok_len; t++, k++) {
        char c = tok[t];
        if (c == '~')
            c = tok[++t] == '0' ? '~' : '/';
        if (k >= key_len || key[k] != c)
            return false;
    }
    return k == key_len;
}

/* Array index token: "0" or [1-9][0-9]*, fitting size_t. */
static bool token_index(const char *tok, size_t len, size_t *out)
{
    if (len == 0 || (len > 1 && tok[0] == '0'))
        return false;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (tok[i] < '0' || tok[i] > '9')
            return false;
        size_t d = (size_t)(tok[i] - '0');
        if (n > (SIZE_MAX - d) / 10)
            return false;
        n = n * 10 + d;
    }
    *out = n;
    return true;
}

const falco_json_value *falco_json_pointer(const falco_json_value *root, const char *pointer)
{
    if (!root || !pointer)
        return NULL;
    const falco_json_value *cur = root;
    const char *p = pointer;
    while (*p) {
        if (*p != '/')
            return NULL;
        const char *tok = ++p;
        while (*p && *p != '/') {
            if (*p == '~' && p[1] != '0' && p[1] != '1')
                return NULL;
            p += *p == '~' ? 2 : 1;
        }
        size_t tok_len = (size_t)(p - tok);
        if (cur->type == FALCO_JSON_OBJECT) {
            const falco_json_value *found = NULL;
            for (size_t i = cur->len; i-- > 0 && !found;)
                if (token_equals(tok, tok_len, cur->data.kids[i].key.ptr, cur->data.kids[i].key_len))
                    found = &cur->data.kids[i];
            cur = found;
        } else if (cur->type == FALCO_JSON_ARRAY) {
            size_t idx;
            cur = token_index(tok, tok_len, &idx) ? falco_json_at(cur, idx) : NULL;
        } else {
            cur = NULL;
        }
        if (!cur)
            return NULL;
    }
    return cur;
}

/* ---- numbers ------------------------------------------------------------- */

static const double exact_pow10[] = { 1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                      1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };

/* Exact when the digits fit 2^53 and the power of ten is exact (Clinger's
 * fast path); returns false when the slow path is needed. */
static bool fast_text_to_double(const char *s, double *out)
{
    bool neg = *s == '-';
    s += neg;
    uint64_t sig = 0;
    int digits = 0, exp10 = 0;
    for (; (*s >= '0' && *s <= '9') || *s == '.'; s++) {
        if (*s == '.') {
            for (s++; *s >= '0' && *s <= '9'; s++) {
                if (sig == 0 && *s == '0') {
                    exp10--;
                    continue;
                }
                if (++digits > 15)
                    return false;
                sig = sig * 10 + (uint64_t)(*s - '0');
                exp10--;
            }
            break;
        }
        if (sig == 0 && *s == '0')
            continue;
        if (++digits > 15)
            return false;
        sig = sig * 10 + (uint64_t)(*s - '0');
    }
    if (*s == 'e' || *s == 'E') {
        s++;
        bool eneg = *s == '-';
        s += (*s == '-' || *s == '+');
        int e = 0;
        for (; *s >= '0' && *s <= '9'; s++) {
            if (e > 1000)
                return false;
            e = e * 10 + (*s - '0');
        }
        exp10 += eneg ? -e : e;
    }
    double d = (double)sig;
    if (sig == 0)
        d = 0.0;
    else if (exp10 >= 0 && exp10 <= 22)
        d *= exact_pow10[exp10];
    else if (exp10 < 0 && exp10 >= -22)
        d /= exact_pow10[-exp10];
    else
        return false;
    *out = neg ? -d : d;
    return true;
}

double falco__json_text_to_double(const char *text, size_t len)
{
    double d;
    if (fast_text_to_double(text, &d))
        return d;
    const char *radix = localeconv()->decimal_point;
    if (!radix || strcmp(radix, ".") == 0)
        return strtod(text, NULL);
    /* a locale with another decimal point: strtod needs its spelling */
    size_t rlen = strlen(radix), need = len + rlen + 1;
    char small[128];
    char *buf = need <= sizeof small ? small : malloc(need);
    if (!buf)
        return strtod(text, NULL); /* out of memory: the integer part at least */
    char *o = buf;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '.') {
            memcpy(o, radix, rlen);
            o += rlen;
        } else {
            *o++ = text[i];
        }
    }
    *o = '\0';
    d = strtod(buf, NULL);
    if (buf != small)
        free(buf);
    return d;
}

/* Rewrites the locale's decimal point in buf (len bytes) as '.'. */
static size_t fix_radix(char *buf, size_t len)
{
    const char *radix = localeconv()->decimal_point;
    if (!radix || strcmp(radix, ".") == 0)
        return len;
    char *at = strstr(buf, radix);
    if (!at)
        return len;
    size_t rlen = strlen(radix);
    *at = '.';
    memmove(at + 1, at + rlen, len - (size_t)(at - buf) - rlen + 1);
    return len - rlen + 1;
}

size_t falco__json_format_double(double v, char *buf)
{
    if (!isfinite(v))
        return 0;
    /* For normal numbers %.15g is the shortest form whenever it round-trips
     * (%g drops trailing zeros); 17 digits always do. Subnormals have fewer
     * digits of precision, so search them from 1. */
    int n = 0;
    for (int prec = (v < 0 ? -v : v) < DBL_MIN ? 1 : 15; prec <= 17; prec++) {
        n = snprintf(buf, 32, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    size_t len = fix_radix(buf, (size_t)n);
    /* "1e+300" -> "1e300", "1e-05" -> "1e-5" */
    char *e = memchr(buf, 'e', len);
    if (e) {
        char *digits = e + 1 + (e[1] == '-' || e[1] == '+'), *o = e + 1;
        if (e[1] == '-')
            *o++ = '-';
        while (*digits == '0' && digits[1])
            digits++;
        memmove(o, digits, strlen(digits) + 1);
        len = strlen(buf);
    }
    return len;
}
