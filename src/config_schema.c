/*
 * config_schema.c - the JSON schema (draft-07) of an option table, written
 * with the SDK's JSON writer: one property per option, integer bounds from
 * the option's bounds and its C type's range, "additionalProperties": false
 * at every object level.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <falco/config.h>
#include <falco/json.h>

#include "config_internal.h"

/* ---- schema -------------------------------------------------------------- */

static void schema_object(falco_json_writer *w, falco_config_option_list opts, const char *desc, bool root);

static void schema_option(falco_json_writer *w, const falco_config_option *o)
{
    if (o->type == FALCO_CONFIG_TYPE_OBJECT) {
        schema_object(w, o->children, o->desc, false);
        return;
    }
    falco_json_object_begin(w);
    static const char *const json_types[] = {
        [FALCO_CONFIG_TYPE_BOOL] = "boolean",  [FALCO_CONFIG_TYPE_I32] = "integer",
        [FALCO_CONFIG_TYPE_I64] = "integer",   [FALCO_CONFIG_TYPE_U32] = "integer",
        [FALCO_CONFIG_TYPE_U64] = "integer",   [FALCO_CONFIG_TYPE_DOUBLE] = "number",
        [FALCO_CONFIG_TYPE_STRING] = "string", [FALCO_CONFIG_TYPE_ENUM] = "string",
        [FALCO_CONFIG_TYPE_STRING_LIST] = "array",
    };
    falco_json_key(w, "type");
    falco_json_string_value(w, (size_t)o->type < FALCO_COUNT(json_types) && json_types[o->type]
                                   ? json_types[o->type] : "null");
    if (o->desc) {
        falco_json_key(w, "description");
        falco_json_string_value(w, o->desc);
    }
    bool def = !o->required;
    if (is_integer_type(o->type)) {
        int_range r = integer_range(o);
        bool sgn = is_signed_type(o->type);
        if (def) {
            falco_json_key(w, "default");
            if (sgn)
                falco_json_i64_value(w, clamp_i64(o->def, INT64_MIN, INT64_MAX));
            else
                falco_json_u64_value(w, clamp_u64(o->def, 0, UINT64_MAX));
        }
        falco_json_key(w, "minimum");
        sgn ? falco_json_i64_value(w, r.slo) : falco_json_u64_value(w, r.ulo);
        falco_json_key(w, "maximum");
        sgn ? falco_json_i64_value(w, r.shi) : falco_json_u64_value(w, r.uhi);
    } else if (o->type == FALCO_CONFIG_TYPE_DOUBLE) {
        if (def) {
            falco_json_key(w, "default");
            falco_json_double_value(w, o->def);
        }
        if (bounds_apply(o)) {
            falco_json_key(w, "minimum");
            falco_json_double_value(w, o->min);
            falco_json_key(w, "maximum");
            falco_json_double_value(w, o->max);
        }
    } else if (o->type == FALCO_CONFIG_TYPE_BOOL) {
        if (def) {
            falco_json_key(w, "default");
            falco_json_bool_value(w, o->def != 0);
        }
    } else if (o->type == FALCO_CONFIG_TYPE_STRING) {
        if (def && o->def_str) {
            falco_json_key(w, "default");
            falco_json_string_value(w, o->def_str);
        }
    } else if (o->type == FALCO_CONFIG_TYPE_ENUM && o->choices) {
        falco_json_key(w, "enum");
        falco_json_array_begin(w);
        for (size_t i = 0; o->choices[i]; i++)
            falco_json_string_value(w, o->choices[i]);
        falco_json_array_end(w);
        if (def && o->choices[0]) {
            falco_json_key(w, "default");
            falco_json_string_value(w, o->def_str ? o->def_str : o->choices[0]);
        }
    } else if (o->type == FALCO_CONFIG_TYPE_STRING_LIST) {
        falco_json_key(w, "items");
        falco_json_object_begin(w);
        falco_json_key(w, "type");
        falco_json_string_value(w, "string");
        falco_json_object_end(w);
        if (def) {
            falco_json_key(w, "default");
            falco_json_array_begin(w);
            for (size_t i = 0; o->def_list && o->def_list[i]; i++)
                falco_json_string_value(w, o->def_list[i]);
            falco_json_array_end(w);
        }
    }
    falco_json_object_end(w);
}

static void schema_object(falco_json_writer *w, falco_config_option_list opts, const char *desc, bool root)
{
    falco_json_object_begin(w);
    if (root) {
        falco_json_key(w, "$schema");
        falco_json_string_value(w, "http://json-schema.org/draft-07/schema#");
    }
    falco_json_key(w, "type");
    falco_json_string_value(w, "object");
    if (desc) {
        falco_json_key(w, "description");
        falco_json_string_value(w, desc);
    }
    falco_json_key(w, "properties");
    falco_json_object_begin(w);
    for (size_t i = 0; i < opts.count; i++) {
        falco_json_key(w, opts.items[i].name);
        schema_option(w, &opts.items[i]);
    }
    falco_json_object_end(w);
    bool any_required = false;
    for (size_t i = 0; i < opts.count; i++) {
        if (!opts.items[i].required)
            continue;
        if (!any_required) {
            falco_json_key(w, "required");
            falco_json_array_begin(w);
            any_required = true;
        }
        falco_json_string_value(w, opts.items[i].name);
    }
    if (any_required)
        falco_json_array_end(w);
    falco_json_key(w, "additionalProperties");
    falco_json_bool_value(w, false);
    falco_json_object_end(w);
}

char *falco_config_schema(falco_config_option_list opts)
{
    falco_json_writer *w = falco_json_writer_new();
    if (!w)
        return NULL;
    schema_object(w, opts, NULL, true);
    return falco__json_writer_take(w);
}
