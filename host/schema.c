/*
 * schema.c - the JSON schema subset plugin init schemas use: type,
 * properties, required, additionalProperties, enum, minimum, maximum, items.
 * Other keywords ($schema, title, description, default, ...) are
 * informational and ignored. Errors name the JSON path: config.a.b[2].
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "host_internal.h"

typedef struct ctx {
    char *err;
    size_t errlen;
    char path[512];
} ctx;

static falco_rc fail(ctx *c, const char *fmt, const char *a, const char *b)
{
    char msg[FALCO__HOST_ERRLEN];
    snprintf(msg, sizeof msg, fmt, a, b);
    snprintf(c->err, c->errlen, "%s: %s", c->path, msg);
    return FALCO_EINVAL;
}

/* The JSON schema type name of v. "integer" follows libsinsp (its schema
 * validator asks jsoncpp's isIntegral): a number written without fraction or
 * exponent that fits int64/uint64, or one whose double value is whole and
 * inside [-2^63, 2^64): 5.0, 1e3 and -0.0 are integers, 5.5 and 1e20 are not.
 * The SDK's config decoder (src/config_internal.h) applies the same rule. */
static const char *type_of(const falco_json_value *v)
{
    int64_t i;
    uint64_t u;
    double d;
    switch (falco_json_type_of(v)) {
    case FALCO_JSON_NULL: return "null";
    case FALCO_JSON_BOOL: return "boolean";
    case FALCO_JSON_STRING: return "string";
    case FALCO_JSON_ARRAY: return "array";
    case FALCO_JSON_OBJECT: return "object";
    case FALCO_JSON_NUMBER:
        if (falco_json_i64(v, &i) || falco_json_u64(v, &u))
            return "integer";
        if (falco_json_double(v, &d) && isfinite(d) && floor(d) == d && d >= -9223372036854775808.0 &&
            d < 18446744073709551616.0)
            return "integer";
        return "number";
    }
    return "unknown";
}

static bool type_matches(const char *want, const char *have)
{
    return strcmp(want, have) == 0 || (strcmp(want, "number") == 0 && strcmp(have, "integer") == 0);
}

static bool json_equal(const falco_json_value *a, const falco_json_value *b)
{
    falco_json_type t = falco_json_type_of(a);
    if (t != falco_json_type_of(b))
        return false;
    switch (t) {
    case FALCO_JSON_NULL: return true;
    case FALCO_JSON_BOOL: {
        bool x = false, y = false;
        falco_json_bool(a, &x);
        falco_json_bool(b, &y);
        return x == y;
    }
    case FALCO_JSON_NUMBER: {
        int64_t i, j;
        uint64_t u, v;
        double x = 0, y = 0;
        if (falco_json_i64(a, &i) && falco_json_i64(b, &j))
            return i == j;
        if (falco_json_u64(a, &u) && falco_json_u64(b, &v))
            return u == v;
        falco_json_double(a, &x);
        falco_json_double(b, &y);
        return x == y;
    }
    case FALCO_JSON_STRING: {
        size_t la, lb;
        const char *x = falco_json_string(a, &la), *y = falco_json_string(b, &lb);
        return la == lb && memcmp(x, y, la) == 0;
    }
    case FALCO_JSON_ARRAY:
        if (falco_json_size(a) != falco_json_size(b))
            return false;
        for (size_t i = 0; i < falco_json_size(a); i++)
            if (!json_equal(falco_json_at(a, i), falco_json_at(b, i)))
                return false;
        return true;
    case FALCO_JSON_OBJECT:
        if (falco_json_size(a) != falco_json_size(b))
            return false;
        for (size_t i = 0; i < falco_json_size(a); i++) {
            size_t klen;
            const char *k = falco_json_key_at(a, i, &klen);
            const falco_json_value *other = falco_json_member_len(b, k, klen);
            if (!other || !json_equal(falco_json_at(a, i), other))
                return false;
        }
        return true;
    }
    return false;
}

static falco_rc validate(ctx *c, const falco_json_value *schema, const falco_json_value *v);

static falco_rc check_type(ctx *c, const falco_json_value *schema, const falco_json_value *v)
{
    const falco_json_value *t = falco_json_member(schema, "type");
    if (!t)
        return FALCO_OK;
    const char *have = type_of(v);
    if (falco_json_type_of(t) == FALCO_JSON_STRING) {
        const char *want = falco_json_string(t, NULL);
        if (!type_matches(want, have))
            return fail(c, "expected %s, got %s", want, have);
        return FALCO_OK;
    }
    if (falco_json_type_of(t) == FALCO_JSON_ARRAY) {
        for (size_t i = 0; i < falco_json_size(t); i++) {
            const char *want = falco_json_string(falco_json_at(t, i), NULL);
            if (want && type_matches(want, have))
                return FALCO_OK;
        }
        return fail(c, "%s is not one of the allowed types%s", have, "");
    }
    return fail(c, "schema error: 'type' is neither a string nor an array%s%s", "", "");
}

static falco_rc check_bounds(ctx *c, const falco_json_value *schema, const falco_json_value *v)
{
    double d;
    if (falco_json_type_of(v) != FALCO_JSON_NUMBER || !falco_json_double(v, &d))
        return FALCO_OK;
    const falco_json_value *min = falco_json_member(schema, "minimum");
    const falco_json_value *max = falco_json_member(schema, "maximum");
    double lim;
    const char *text = falco_json_number_text(v, NULL);
    if (min && falco_json_double(min, &lim) && d < lim)
        return fail(c, "value %s is less than minimum %s", text, falco_json_number_text(min, NULL));
    if (max && falco_json_double(max, &lim) && d > lim)
        return fail(c, "value %s is greater than maximum %s", text, falco_json_number_text(max, NULL));
    return FALCO_OK;
}

static falco_rc check_object(ctx *c, const falco_json_value *schema, const falco_json_value *v)
{
    if (falco_json_type_of(v) != FALCO_JSON_OBJECT)
        return FALCO_OK;
    const falco_json_value *props = falco_json_member(schema, "properties");
    const falco_json_value *required = falco_json_member(schema, "required");
    const falco_json_value *additional = falco_json_member(schema, "additionalProperties");
    size_t saved = strlen(c->path);

    for (size_t i = 0; i < falco_json_size(required); i++) {
        const char *key = falco_json_string(falco_json_at(required, i), NULL);
        if (key && !falco_json_member(v, key))
            return fail(c, "missing required property '%s'%s", key, "");
    }
    for (size_t i = 0; i < falco_json_size(v); i++) {
        size_t klen;
        const char *key = falco_json_key_at(v, i, &klen);
        const falco_json_value *sub = falco_json_member_len(props, key, klen);
        snprintf(c->path + saved, sizeof c->path - saved, ".%s", key);
        if (sub) {
            FALCO_TRY(validate(c, sub, falco_json_at(v, i)));
        } else if (additional) {
            bool allowed = true;
            if (falco_json_bool(additional, &allowed)) {
                if (!allowed) {
                    c->path[saved] = '\0';
                    return fail(c, "unknown property '%s' (additionalProperties is false)%s", key, "");
                }
            } else if (falco_json_type_of(additional) == FALCO_JSON_OBJECT) {
                FALCO_TRY(validate(c, additional, falco_json_at(v, i)));
            }
        }
        c->path[saved] = '\0';
    }
    return FALCO_OK;
}

static falco_rc check_array(ctx *c, const falco_json_value *schema, const falco_json_value *v)
{
    const falco_json_value *items = falco_json_member(schema, "items");
    if (falco_json_type_of(v) != FALCO_JSON_ARRAY || falco_json_type_of(items) != FALCO_JSON_OBJECT)
        return FALCO_OK;
    size_t saved = strlen(c->path);
    for (size_t i = 0; i < falco_json_size(v); i++) {
        snprintf(c->path + saved, sizeof c->path - saved, "[%zu]", i);
        FALCO_TRY(validate(c, items, falco_json_at(v, i)));
    }
    c->path[saved] = '\0';
    return FALCO_OK;
}

static falco_rc validate(ctx *c, const falco_json_value *schema, const falco_json_value *v)
{
    if (falco_json_type_of(schema) == FALCO_JSON_BOOL) {
        bool ok = true;
        falco_json_bool(schema, &ok);
        return ok ? FALCO_OK : fail(c, "no value is allowed here%s%s", "", "");
    }
    if (falco_json_type_of(schema) != FALCO_JSON_OBJECT)
        return FALCO_OK;
    FALCO_TRY(check_type(c, schema, v));
    const falco_json_value *en = falco_json_member(schema, "enum");
    if (falco_json_type_of(en) == FALCO_JSON_ARRAY) {
        bool found = false;
        for (size_t i = 0; i < falco_json_size(en) && !found; i++)
            found = json_equal(falco_json_at(en, i), v);
        if (!found)
            return fail(c, "value is not one of the enum values%s%s", "", "");
    }
    FALCO_TRY(check_bounds(c, schema, v));
    FALCO_TRY(check_object(c, schema, v));
    return check_array(c, schema, v);
}

falco_rc falco__host_schema_validate(const falco_json_value *schema, const falco_json_value *config, char *err,
                                     size_t errlen)
{
    ctx c = { err, errlen, "config" };
    return validate(&c, schema, config);
}
