/*
 * fields.c - get_fields: the JSON array of field declarations, validated with
 * libsinsp's rules, turned into the host's field table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_internal.h"

static const struct {
    const char *name;
    falco_abi_field_type type;
} field_types[] = {
    { "string", FALCO_ABI_FT_STRING }, { "uint64", FALCO_ABI_FT_UINT64 }, { "reltime", FALCO_ABI_FT_RELTIME },
    { "abstime", FALCO_ABI_FT_ABSTIME }, { "bool", FALCO_ABI_FT_BOOL }, { "ipaddr", FALCO_ABI_FT_IPADDR },
    { "ipnet", FALCO_ABI_FT_IPNET },
};

const char *falco_host_field_type_name(falco_abi_field_type t)
{
    for (size_t i = 0; i < FALCO_COUNT(field_types); i++)
        if (field_types[i].type == t)
            return field_types[i].name;
    return "unknown";
}

static void field_free(falco_host_field *f)
{
    free((void *)f->name);
    free((void *)f->display);
    free((void *)f->desc);
    for (size_t i = 0; i < f->properties.count; i++)
        free((void *)f->properties.items[i]);
    free(f->properties.items);
}

void falco__host_fields_free(falco_host_plugin *p)
{
    for (size_t i = 0; i < p->field_count; i++)
        field_free(&p->fields[i]);
    free(p->fields);
    p->fields = NULL;
    p->field_count = 0;
}

/* Reads an optional boolean member: absent or null is false. */
static falco_rc opt_bool(falco_host_plugin *p, const falco_json_value *obj, const char *key, size_t idx,
                         const char *fname, bool *out)
{
    const falco_json_value *v = falco_json_member(obj, key);
    *out = false;
    if (!v || falco_json_type_of(v) == FALCO_JSON_NULL)
        return FALCO_OK;
    if (!falco_json_bool(v, out))
        return falco__host_finding(p, FALCO_EINVAL, "get_fields", "field #%zu '%s': %s property is not boolean",
                                   idx, fname, key);
    return FALCO_OK;
}

/* A required non-empty string member; absent, non-string or "" is an error. */
static falco_rc req_string(falco_host_plugin *p, const falco_json_value *obj, const char *key, size_t idx,
                           const char *fname, const char **out)
{
    const falco_json_value *v = falco_json_member(obj, key);
    size_t len = 0;
    const char *s = falco_json_string(v, &len);
    if (!s || !len)
        return falco__host_finding(p, FALCO_EINVAL, "get_fields", "field #%zu%s%s%s: field JSON entry has no %s",
                                   idx, fname ? " '" : "", fname ? fname : "", fname ? "'" : "", key);
    if (strlen(s) != len)
        return falco__host_finding(p, FALCO_EINVAL, "get_fields", "field #%zu: %s contains a NUL byte", idx, key);
    *out = s;
    return FALCO_OK;
}

static falco_rc parse_arg(falco_host_plugin *p, const falco_json_value *entry, size_t idx, falco_host_field *f)
{
    const falco_json_value *arg = falco_json_member(entry, "arg");
    if (!arg || falco_json_type_of(arg) == FALCO_JSON_NULL)
        return FALCO_OK;
    if (falco_json_type_of(arg) != FALCO_JSON_OBJECT)
        return falco__host_finding(p, FALCO_EINVAL, "get_fields", "field #%zu '%s': arg property is not an object",
                                   idx, f->name);
    FALCO_TRY(opt_bool(p, arg, "isRequired", idx, f->name, &f->arg_required));
    FALCO_TRY(opt_bool(p, arg, "isIndex", idx, f->name, &f->arg_index));
    FALCO_TRY(opt_bool(p, arg, "isKey", idx, f->name, &f->arg_key));
    if (f->arg_required && !f->arg_index && !f->arg_key)
        return falco__host_finding(p, FALCO_EINVAL, "get_fields",
                                   "field #%zu '%s': arg has isRequired true, but none of isKey nor isIndex is true",
                                   idx, f->name);
    return FALCO_OK;
}

static falco_rc parse_properties(falco_host_plugin *p, const falco_json_value *entry, size_t idx,
                                 falco_host_field *f)
{
    const falco_json_value *props = falco_json_member(entry, "properties");
    if (!props || falco_json_type_of(props) == FALCO_JSON_NULL)
        return FALCO_OK;
    if (falco_json_type_of(props) != FALCO_JSON_ARRAY)
        return falco__host_finding(p, FALCO_EINVAL, "get_fields",
                                   "field #%zu '%s': properties property is not an array", idx, f->name);
    size_t n = falco_json_size(props);
    f->properties.items = calloc(n ? n : 1, sizeof *f->properties.items);
    if (!f->properties.items)
        return falco__host_finding(p, FALCO_ENOMEM, "get_fields", "out of memory");
    for (size_t i = 0; i < n; i++) {
        const char *s = falco_json_string(falco_json_at(props, i), NULL);
        if (!s)
            return falco__host_finding(p, FALCO_EINVAL, "get_fields",
                                       "field #%zu '%s': properties value #%zu is not a string", idx, f->name, i);
        if (!(f->properties.items[f->properties.count] = falco__host_strdup(s)))
            return falco__host_finding(p, FALCO_ENOMEM, "get_fields", "out of memory");
        f->properties.count++;
    }
    return FALCO_OK;
}

static falco_rc parse_field(falco_host_plugin *p, const falco_json_value *entry, size_t idx, falco_host_field *f)
{
    const char *name, *type, *desc;
    f->id = (uint32_t)idx;
    if (falco_json_type_of(entry) != FALCO_JSON_OBJECT)
        return falco__host_finding(p, FALCO_EINVAL, "get_fields", "field #%zu is not a JSON object", idx);
    FALCO_TRY(req_string(p, entry, "type", idx, NULL, &type));
    FALCO_TRY(req_string(p, entry, "name", idx, NULL, &name));
    if (!(f->name = falco__host_strdup(name)))
        return falco__host_finding(p, FALCO_ENOMEM, "get_fields", "out of memory");
    FALCO_TRY(req_string(p, entry, "desc", idx, name, &desc));
    const falco_json_value *display = falco_json_member(entry, "display");
    const char *disp = "";
    if (display && falco_json_type_of(display) != FALCO_JSON_NULL && !(disp = falco_json_string(display, NULL)))
        return falco__host_finding(p, FALCO_EINVAL, "get_fields", "field #%zu '%s': display is not a string", idx,
                                   name);
    if (!(f->desc = falco__host_strdup(desc)) || !(f->display = falco__host_strdup(disp)))
        return falco__host_finding(p, FALCO_ENOMEM, "get_fields", "out of memory");
    f->type_name = NULL;
    for (size_t i = 0; i < FALCO_COUNT(field_types); i++) {
        if (strcmp(field_types[i].name, type) == 0) {
            f->type = field_types[i].type;
            f->type_name = field_types[i].name;
        }
    }
    if (!f->type_name)
        return falco__host_finding(p, FALCO_EINVAL, "get_fields",
                                   "field #%zu '%s': invalid field type '%s' (expected one of string, uint64, "
                                   "reltime, abstime, bool, ipaddr, ipnet)",
                                   idx, name, type);
    FALCO_TRY(opt_bool(p, entry, "isList", idx, name, &f->is_list));
    FALCO_TRY(opt_bool(p, entry, "addOutput", idx, name, &f->add_output));
    FALCO_TRY(parse_arg(p, entry, idx, f));
    return parse_properties(p, entry, idx, f);
}

/* Duplicate names are found with an open-addressing hash set of field
 * indexes: a plugin may declare tens of thousands of fields, and comparing
 * each with every earlier one is quadratic (60,000 fields took ~10 s). */
typedef struct name_set {
    uint32_t *slots; /* field index + 1; 0 = empty */
    uint64_t *hashes;
    size_t mask;
} name_set;

static uint64_t name_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 1099511628211ULL;
    return h;
}

static bool name_set_init(name_set *set, size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    set->slots = calloc(cap, sizeof *set->slots);
    set->hashes = calloc(cap, sizeof *set->hashes);
    set->mask = cap - 1;
    return set->slots && set->hashes;
}

static void name_set_free(name_set *set)
{
    free(set->slots);
    free(set->hashes);
}

/* Adds field i; returns the index of an earlier field with the same name, or
 * SIZE_MAX. Counts every slot visited in p->field_name_probes. */
static size_t name_set_add(falco_host_plugin *p, name_set *set, size_t i)
{
    const char *name = p->fields[i].name;
    uint64_t h = name_hash(name);
    for (size_t s = (size_t)h & set->mask;; s = (s + 1) & set->mask) {
        p->field_name_probes++;
        uint32_t at = set->slots[s];
        if (!at) {
            set->slots[s] = (uint32_t)i + 1;
            set->hashes[s] = h;
            return SIZE_MAX;
        }
        if (set->hashes[s] == h && strcmp(p->fields[at - 1].name, name) == 0)
            return at - 1;
    }
}

falco_rc falco__host_fields_load(falco_host_plugin *p)
{
    const char *text = p->api.get_fields();
    if (!text)
        return falco__host_finding(p, FALCO_EINVAL, "get_fields", "returned a null string");
    falco_json_doc *doc = falco_json_doc_new();
    if (!doc)
        return falco__host_finding(p, FALCO_ENOMEM, "get_fields", "out of memory");
    falco_json_error jerr;
    falco_rc rc = FALCO_OK;
    const falco_json_value *root = falco_json_parse(doc, text, strlen(text), &jerr);
    if (!root) {
        rc = falco__host_finding(p, FALCO_EINVAL, "get_fields", "returned an invalid JSON: %s at offset %zu",
                                 jerr.message, jerr.offset);
    } else if (falco_json_type_of(root) != FALCO_JSON_ARRAY) {
        rc = falco__host_finding(p, FALCO_EINVAL, "get_fields", "returned an invalid JSON: expected an array, got %s",
                                 falco_json_type_name(falco_json_type_of(root)));
    } else if (falco_json_size(root) == 0) {
        rc = falco__host_finding(p, FALCO_EINVAL, "get_fields", "returned an empty array: an extract plugin "
                                                                "needs at least one field");
    } else {
        size_t n = falco_json_size(root);
        name_set names = { NULL, NULL, 0 };
        p->fields = calloc(n, sizeof *p->fields);
        p->field_name_probes = 0;
        if (!p->fields || n > UINT32_MAX - 1 || !name_set_init(&names, n)) {
            rc = falco__host_finding(p, FALCO_ENOMEM, "get_fields", "out of memory");
        } else {
            for (size_t i = 0; i < n && rc == FALCO_OK; i++) {
                p->field_count = i + 1; /* so a half-filled entry is freed too */
                rc = parse_field(p, falco_json_at(root, i), i, &p->fields[i]);
                size_t j = rc == FALCO_OK ? name_set_add(p, &names, i) : SIZE_MAX;
                if (j != SIZE_MAX)
                    rc = falco__host_finding(p, FALCO_EINVAL, "get_fields",
                                             "field #%zu: duplicate field name '%s' (first at #%zu)", i,
                                             p->fields[i].name, j);
            }
        }
        name_set_free(&names);
    }
    falco_json_doc_free(doc);
    if (rc != FALCO_OK)
        falco__host_fields_free(p);
    return rc;
}

size_t falco_host_field_count(const falco_host_plugin *p)
{
    return p ? p->field_count : 0;
}

const falco_host_field *falco_host_field_at(const falco_host_plugin *p, size_t i)
{
    return p && i < p->field_count ? &p->fields[i] : NULL;
}

const falco_host_field *falco_host_field_find(const falco_host_plugin *p, const char *name)
{
    for (size_t i = 0; p && name && i < p->field_count; i++)
        if (strcmp(p->fields[i].name, name) == 0)
            return &p->fields[i];
    return NULL;
}
