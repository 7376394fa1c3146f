/*
 * falco/config.h - declarative plugin configuration.
 *
 * A plugin describes its config as a static const array of falco_config_option
 * that maps JSON keys onto members of its own C struct. From that one table the
 * SDK generates the JSON schema returned by get_init_schema, decodes the init
 * and set_config JSON into the struct (defaults first, then the given keys),
 * and rejects bad input with an error naming the JSON path and what was
 * expected:  config.port: expected integer in 1..65535, got "abc"
 * Unknown keys are an error.
 *
 *   typedef struct { uint64_t start; char *host; int mode; } my_config;
 *   static const char *const my_modes[] = { "fast", "safe", NULL };
 *   static const falco_config_option my_options[] = {
 *       FALCO_CONFIG_U64(my_config, start, "start", .def = 1, .min = 1, .max = 100,
 *                        .desc = "first value"),
 *       FALCO_CONFIG_STRING(my_config, host, "host", .def_str = "localhost"),
 *       FALCO_CONFIG_ENUM(my_config, mode, "mode", my_modes, .def_str = "safe"),
 *   };
 *
 * Member types per option type (checked by size at validation):
 *   BOOL bool; I32 int32_t; I64 int64_t; U32 uint32_t; U64 uint64_t; DOUBLE double;
 *   STRING char * (NUL-terminated, owned by the SDK; NULL when the key is absent
 *   and there is no def_str; a JSON string holding a NUL is rejected);
 *   ENUM int (index into choices; without def_str the default is choices[0]);
 *   STRING_LIST falco_string_list (owned by the SDK; an empty list has NULL items);
 *   OBJECT a nested struct whose children's offsets are relative to it (declare the
 *   children with the nested struct's type). An absent OBJECT key leaves every child
 *   at its default; the children's `required` apply only when the object is given,
 *   as in the generated schema.
 * Duplicate keys in the JSON: the last one wins. Integer options take what
 * libsinsp's schema check takes as an integer: a number without fraction or
 * exponent, or one whose value is whole and inside [-2^63, 2^64) (5.0, 1e3
 * and -0.0 are 5, 1000 and 0; 5.5 and 1e20 are refused).
 * The same tables declare a source's open parameters (falco/source.h,
 * .open_options), whose messages start with "open params" instead of "config".
 *
 * Since: 0.1.0
 */
#ifndef FALCO_CONFIG_H
#define FALCO_CONFIG_H

#include <falco/common.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum falco_config_type {
    FALCO_CONFIG_TYPE_BOOL = 1,
    FALCO_CONFIG_TYPE_I32,
    FALCO_CONFIG_TYPE_I64,
    FALCO_CONFIG_TYPE_U32,
    FALCO_CONFIG_TYPE_U64,
    FALCO_CONFIG_TYPE_DOUBLE,
    FALCO_CONFIG_TYPE_STRING,
    FALCO_CONFIG_TYPE_ENUM,
    FALCO_CONFIG_TYPE_STRING_LIST,
    FALCO_CONFIG_TYPE_OBJECT
} falco_config_type;

typedef struct falco_config_option falco_config_option;

typedef struct falco_config_option_list {
    const falco_config_option *items;
    size_t count;
} falco_config_option_list;

struct falco_config_option {
    const char *name;       /* JSON key: non-empty, unique among siblings */
    falco_config_type type; /* set by the FALCO_CONFIG_* macro */
    size_t offset;          /* offset of the member in the enclosing struct */
    size_t size;            /* sizeof the member, checked against type */
    const char *desc;       /* shown in the schema and by `falcoplug info` */
    bool required;          /* an absent key is an error instead of taking the default */
    /* Numeric defaults and bounds (BOOL: def != 0 is true). Bounds apply when
     * min or max is non-zero, as the closed range [min, max] (so a lower bound
     * alone needs an explicit max too); integers are exact up to 2^53. Integer
     * options always stay inside their C type's range, and bounds beyond it
     * are clamped to it (.max = 1e300 means "no maximum"). */
    double def, min, max;
    const char *def_str;                /* STRING default, or ENUM default choice name */
    const char *const *def_list;        /* STRING_LIST default, NULL-terminated */
    const char *const *choices;         /* ENUM: allowed names, NULL-terminated */
    falco_config_option_list children;  /* OBJECT: nested options */
};

#define FALCO__CONFIG(st, member, key, t, ...) \
    { .name = (key), .type = (t), .offset = offsetof(st, member), \
      .size = sizeof(((st *)0)->member), __VA_ARGS__ }

#define FALCO_CONFIG_BOOL(st, member, key, ...)   FALCO__CONFIG(st, member, key, FALCO_CONFIG_TYPE_BOOL, __VA_ARGS__)
#define FALCO_CONFIG_I32(st, member, key, ...)    FALCO__CONFIG(st, member, key, FALCO_CONFIG_TYPE_I32, __VA_ARGS__)
#define FALCO_CONFIG_I64(st, member, key, ...)    FALCO__CONFIG(st, member, key, FALCO_CONFIG_TYPE_I64, __VA_ARGS__)
#define FALCO_CONFIG_U32(st, member, key, ...)    FALCO__CONFIG(st, member, key, FALCO_CONFIG_TYPE_U32, __VA_ARGS__)
#define FALCO_CONFIG_U64(st, member, key, ...)    FALCO__CONFIG(st, member, key, FALCO_CONFIG_TYPE_U64, __VA_ARGS__)
#define FALCO_CONFIG_DOUBLE(st, member, key, ...) FALCO__CONFIG(st, member, key, FALCO_CONFIG_TYPE_DOUBLE, __VA_ARGS__)
#define FALCO_CONFIG_STRING(st, member, key, ...) FALCO__CONFIG(st, member, key, FALCO_CONFIG_TYPE_STRING, __VA_ARGS__)
#define FALCO_CONFIG_STRING_LIST(st, member, key, ...) \
    FALCO__CONFIG(st, member, key, FALCO_CONFIG_TYPE_STRING_LIST, __VA_ARGS__)
#define FALCO_CONFIG_ENUM(st, member, key, choice_names, ...) \
    FALCO__CONFIG(st, member, key, FALCO_CONFIG_TYPE_ENUM, .choices = (choice_names), __VA_ARGS__)
#define FALCO_CONFIG_OBJECT(st, member, key, child_options, ...) \
    FALCO__CONFIG(st, member, key, FALCO_CONFIG_TYPE_OBJECT, .children = FALCO_LIST(child_options), __VA_ARGS__)

/* Checks an option table once: non-empty unique names, member sizes matching
 * types, members inside struct_size, finite numbers, integer defaults and
 * bounds that are integers, min <= max, defaults inside bounds and the C type,
 * ENUM choices non-empty and unique with the default among them, no field that
 * does not apply to the type (def_str on a U32...), nested tables valid (at
 * most 16 levels). On failure writes "config option 'a.b': <why>" into err
 * (errlen bytes, always NUL-terminated; err may be NULL) and returns
 * FALCO_EINVAL; on success err holds "". Thread-safe. */
falco_rc falco_config_validate(falco_config_option_list opts, size_t struct_size, char *err, size_t errlen);

/* Returns a JSON schema (draft-07 object, "additionalProperties": false) for the
 * table as a malloc'd NUL-terminated string the caller frees, or NULL when out
 * of memory. The table must have passed falco_config_validate. */
char *falco_config_schema(falco_config_option_list opts);

/* Decodes json (len bytes; NULL or empty or all-whitespace means "{}") into the
 * struct at out: every option takes its default, then the given keys override.
 * out must not hold decoded strings yet (zero it or falco_config_release it
 * first). On failure writes "config.path: expected ..., got ..." into err and
 * returns FALCO_EINVAL (FALCO_EPARSE for malformed JSON, FALCO_ENOMEM), and out
 * holds no allocations. Strings and lists in out are owned by the SDK until
 * falco_config_release(). Messages (err may be NULL; always NUL-terminated):
 *   config.port: expected integer in 1..65535, got "abc"
 *   config.tls.ca: expected string, got 42
 *   config.tags[1]: expected string, got 3
 *   config: unknown key 'prot' (known: port, host, tls)
 *   config.mode: expected one of "fast", "safe", got "slow"
 *   config: missing required key 'host'
 *   config: invalid JSON at line 1 column 7: <what the parser found>
 * Thread-safe for distinct out. */
falco_rc falco_config_decode(falco_config_option_list opts, const char *json, size_t len, void *out,
                             char *err, size_t errlen);

/* Frees every string and list that falco_config_decode stored in the struct at
 * out and zeroes those members. Safe on a zeroed struct and twice in a row. */
void falco_config_release(falco_config_option_list opts, void *out);

#ifdef __cplusplus
}
#endif
#endif /* FALCO_CONFIG_H */
