/*
 * loader.c - loading a plugin and the load-time rules libsinsp applies:
 * API version, required symbols, version strings, capability symbol sets,
 * id/source pairing, source lists and async event names.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_internal.h"

#define MEMBER(m) { "plugin_" #m, offsetof(falco_abi_plugin_api, m) }

/* Every member of the API, resolved as plugin_<member> whatever the version. */
static const struct {
    const char *symbol;
    size_t offset;
} api_members[] = {
    MEMBER(get_required_api_version), MEMBER(get_init_schema), MEMBER(init), MEMBER(destroy),
    MEMBER(get_last_error), MEMBER(get_name), MEMBER(get_description), MEMBER(get_contact),
    MEMBER(get_version), MEMBER(get_id), MEMBER(get_event_source), MEMBER(open), MEMBER(close),
    MEMBER(list_open_params), MEMBER(get_progress), MEMBER(event_to_string), MEMBER(next_batch),
    MEMBER(get_extract_event_types), MEMBER(get_extract_event_sources), MEMBER(get_fields),
    MEMBER(extract_fields), MEMBER(get_parse_event_types), MEMBER(get_parse_event_sources),
    MEMBER(parse_event), MEMBER(get_async_event_sources), MEMBER(get_async_events),
    MEMBER(set_async_event_handler), MEMBER(dump_state), MEMBER(set_config), MEMBER(get_metrics),
    MEMBER(capture_open), MEMBER(capture_close), MEMBER(get_required_event_schema_version),
};

static bool has_member(const falco_abi_plugin_api *api, size_t offset)
{
    void *fn;
    memcpy(&fn, (const char *)api + offset, sizeof fn);
    return fn != NULL;
}

/* Required by every plugin, checked in this order (libsinsp's). */
static const char *const required_members[] = {
    "plugin_get_required_api_version", "plugin_get_version", "plugin_get_name", "plugin_get_description",
    "plugin_get_contact", "plugin_init", "plugin_destroy", "plugin_get_last_error",
};

static size_t member_offset(const char *symbol)
{
    for (size_t i = 0; i < FALCO_COUNT(api_members); i++)
        if (strcmp(api_members[i].symbol, symbol) == 0)
            return api_members[i].offset;
    return 0;
}

static bool check_required(falco_host_plugin *p)
{
    bool ok = true;
    for (size_t i = 0; i < FALCO_COUNT(required_members); i++) {
        if (!has_member(&p->api, member_offset(required_members[i]))) {
            falco__host_finding(p, FALCO_EINVAL, "load", "required symbol not implemented: '%s'",
                                required_members[i]);
            ok = false;
        }
    }
    return ok;
}

static bool copy_string(falco_host_plugin *p, char **dst, const char *(*getter)(void))
{
    *dst = falco__host_strdup(getter ? getter() : NULL);
    if (!*dst) {
        falco__host_finding(p, FALCO_ENOMEM, "load", "out of memory");
        return false;
    }
    return true;
}

/* Appends one reason to the broken-capabilities list, ", " separated. */
static void add_reason(char *buf, size_t size, const char *reason)
{
    size_t used = strlen(buf);
    snprintf(buf + used, size - used, "%s%s", used ? ", " : "", reason);
}

/* libsinsp's capability rules, including which partial sets are broken. */
static bool check_capabilities(falco_host_plugin *p)
{
    const falco_abi_plugin_api *a = &p->api;
    char why[1024] = "";
    bool broken = false;
    p->caps = 0;
    if (a->open && a->close && a->next_batch) {
        bool has_id = a->get_id && a->get_id() != 0;
        const char *src = a->get_event_source ? a->get_event_source() : NULL;
        bool has_source = src && src[0];
        if (has_id == has_source) {
            p->caps |= FALCO_HOST_CAP_SOURCE;
        } else {
            broken = true;
            add_reason(why, sizeof why,
                       "must implement both 'plugin_get_id' and 'plugin_get_event_source' or neither "
                       "(event sourcing)");
        }
    } else if (a->open || a->close || a->next_batch) {
        broken = true;
        add_reason(why, sizeof why,
                   "must implement all of 'plugin_open', 'plugin_close', and 'plugin_next_batch' (event sourcing)");
    }
    if (a->get_fields && a->extract_fields) {
        p->caps |= FALCO_HOST_CAP_EXTRACT;
    } else if (a->extract_fields) {
        broken = true;
        add_reason(why, sizeof why,
                   "must implement both 'plugin_get_fields' and 'plugin_extract_fields' (field extraction)");
    }
    if (a->parse_event)
        p->caps |= FALCO_HOST_CAP_PARSE;
    if (a->get_async_events && a->set_async_event_handler) {
        p->caps |= FALCO_HOST_CAP_ASYNC;
    } else if (a->set_async_event_handler) {
        broken = true;
        add_reason(why, sizeof why,
                   "must implement both 'plugin_get_async_events' and 'plugin_set_async_event_handler' "
                   "(async events)");
    }
    if (a->capture_open && a->capture_close) {
        p->caps |= FALCO_HOST_CAP_LISTEN;
    } else if (a->capture_open || a->capture_close) {
        broken = true;
        add_reason(why, sizeof why,
                   "must implement both 'plugin_capture_open' and 'plugin_capture_close' (capture listening)");
    }
    if (broken) {
        falco__host_finding(p, FALCO_EINVAL, "load", "broken plugin capabilities: %s", why);
        return false;
    }
    if (p->caps == 0) {
        falco__host_finding(p, FALCO_EINVAL, "load", "plugin does not implement any capability");
        return false;
    }
    return true;
}

/* Parses a JSON array of strings returned by `symbol` into out, dropping
 * empty strings. NULL or "" is an empty list when allow_empty. */
static bool load_strlist(falco_host_plugin *p, const char *symbol, const char *(*getter)(void),
                         bool allow_empty, falco__host_strlist *out)
{
    if (!getter)
        return true;
    const char *text = getter();
    if (!text || !text[0]) {
        if (allow_empty)
            return true;
        falco__host_finding(p, FALCO_EINVAL, symbol, "did not return a json array but it should");
        return false;
    }
    falco_json_doc *doc = falco_json_doc_new();
    if (!doc) {
        falco__host_finding(p, FALCO_ENOMEM, symbol, "out of memory");
        return false;
    }
    bool ok = true;
    falco_json_error jerr;
    const falco_json_value *root = falco_json_parse(doc, text, strlen(text), &jerr);
    if (!root) {
        falco__host_finding(p, FALCO_EINVAL, symbol, "did not return a json array: %s at offset %zu",
                            jerr.message, jerr.offset);
        ok = false;
    } else if (falco_json_type_of(root) != FALCO_JSON_ARRAY) {
        falco__host_finding(p, FALCO_EINVAL, symbol, "did not return a json array (got %s)",
                            falco_json_type_name(falco_json_type_of(root)));
        ok = false;
    } else {
        for (size_t i = 0; ok && i < falco_json_size(root); i++) {
            const char *s = falco_json_string(falco_json_at(root, i), NULL);
            if (!s) {
                falco__host_finding(p, FALCO_EINVAL, symbol, "item %zu is not a string", i);
                ok = false;
            } else if (s[0] && !falco__host_strlist_has(out, s) &&
                       falco__host_strlist_add(out, s) != FALCO_OK) {
                falco__host_finding(p, FALCO_ENOMEM, symbol, "out of memory");
                ok = false;
            }
        }
    }
    falco_json_doc_free(doc);
    return ok;
}

/* A plugin with its own source extracts/parses from it too. */
static bool add_own_source(falco_host_plugin *p, falco__host_strlist *l)
{
    if ((p->caps & FALCO_HOST_CAP_SOURCE) && p->event_source[0] && !falco__host_strlist_has(l, p->event_source) &&
        falco__host_strlist_add(l, p->event_source) != FALCO_OK) {
        falco__host_finding(p, FALCO_ENOMEM, "load", "out of memory");
        return false;
    }
    return true;
}

static falco_rc check_rules(falco_host_plugin *p)
{
    const falco_abi_plugin_api *a = &p->api;
    bool ok = true;

    /* The version first: a plugin for another major may not even have the
     * other symbols with the signatures we expect. */
    if (a->get_required_api_version) {
        if (!copy_string(p, &p->required_api, a->get_required_api_version))
            return FALCO_ENOMEM;
        char why[512];
        if (!falco__host_semver_parse(p->required_api, &p->api_major, &p->api_minor, &p->api_patch)) {
            falco__host_finding(p, FALCO_EINVAL, "load", "invalid required API version string: '%s'",
                                p->required_api);
            return FALCO_EINVAL;
        }
        if (!falco_host_api_compatible(FALCO_HOST_API_VERSION_STRING, p->required_api, why, sizeof why)) {
            falco__host_finding(p, FALCO_EINVAL, "load", "%s", why);
            return FALCO_EINVAL;
        }
    }
    if (!check_required(p))
        return FALCO_EINVAL;
    p->symbols_ok = true;
    if (!copy_string(p, &p->name, a->get_name) || !copy_string(p, &p->version, a->get_version) ||
        !copy_string(p, &p->description, a->get_description) || !copy_string(p, &p->contact, a->get_contact))
        return FALCO_ENOMEM;
    if (!falco_host_semver_valid(p->version)) {
        falco__host_finding(p, FALCO_EINVAL, "get_version", "invalid version string: '%s' (expected x.y.z)",
                            p->version);
        ok = false;
    }
    if (!check_capabilities(p))
        return FALCO_EINVAL;

    p->event_source = NULL;
    if ((p->caps & FALCO_HOST_CAP_SOURCE) && a->get_id && a->get_event_source && a->get_id() != 0) {
        p->id = a->get_id();
        if (!copy_string(p, &p->event_source, a->get_event_source))
            return FALCO_ENOMEM;
        if (strcmp(p->event_source, "syscall") == 0) {
            falco__host_finding(p, FALCO_EINVAL, "get_event_source",
                                "plugin can't implement the reserved event source 'syscall'");
            ok = false;
        }
    }
    if (!p->event_source && !(p->event_source = falco__host_strdup("")))
        return FALCO_ENOMEM;

    if (p->caps & FALCO_HOST_CAP_EXTRACT) {
        if (falco__host_fields_load(p) != FALCO_OK)
            ok = false;
        ok = load_strlist(p, "get_extract_event_sources", a->get_extract_event_sources, true,
                          &p->extract_sources) && ok;
        ok = add_own_source(p, &p->extract_sources) && ok;
    }
    if (p->caps & FALCO_HOST_CAP_PARSE) {
        ok = load_strlist(p, "get_parse_event_sources", a->get_parse_event_sources, true, &p->parse_sources) && ok;
        ok = add_own_source(p, &p->parse_sources) && ok;
    }
    if (p->caps & FALCO_HOST_CAP_ASYNC) {
        ok = load_strlist(p, "get_async_event_sources", a->get_async_event_sources, true, &p->async_sources) && ok;
        ok = add_own_source(p, &p->async_sources) && ok;
        ok = load_strlist(p, "get_async_events", a->get_async_events, false, &p->async_events) && ok;
    }
    if (a->get_init_schema) {
        falco_abi_schema_type type = FALCO_ABI_SCHEMA_NONE;
        const char *schema = a->get_init_schema(&type);
        if (schema && schema[0] && type != FALCO_ABI_SCHEMA_NONE) {
            p->schema_type = type;
            if (!(p->init_schema = falco__host_strdup(schema)))
                return FALCO_ENOMEM;
        }
    }
    if (!ok)
        return FALCO_EINVAL;
    p->loaded = true;
    p->err[0] = '\0';
    return FALCO_OK;
}

/* Applies every load rule. On failure errmsg is the first finding: libsinsp
 * stops at the first rule that fails and reports that one, and some rules
 * (required symbols, capabilities) record several findings or return early. */
static falco_rc validate(falco_host_plugin *p)
{
    falco_rc rc = check_rules(p);
    if (rc != FALCO_OK && p->findings.count)
        snprintf(p->err, sizeof p->err, "%s", p->findings.items[0]);
    return rc;
}

static falco_host_plugin *plugin_new(const char *path)
{
    falco_host_plugin *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->path = falco__host_strdup(path);
    if (!p->path) {
        free(p);
        return NULL;
    }
    atomic_init(&p->async, NULL);
    atomic_init(&p->async_rejected, 0);
    return p;
}

falco_rc falco_host_plugin_load(const char *path, falco_host_plugin **out)
{
    *out = NULL;
    falco_host_plugin *p = plugin_new(path);
    if (!p)
        return FALCO_ENOMEM;
    *out = p;
    if (!path || !path[0])
        return falco__host_finding(p, FALCO_EINVAL, "load", "empty plugin path");
    p->dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!p->dl) {
        const char *why = dlerror();
        return falco__host_finding(p, FALCO_ENOTFOUND, "load", "can't load plugin dynamic library: %s",
                                   why ? why : "unknown dlopen error");
    }
    for (size_t i = 0; i < FALCO_COUNT(api_members); i++) {
        void *sym = dlsym(p->dl, api_members[i].symbol);
        memcpy((char *)&p->api + api_members[i].offset, &sym, sizeof sym);
    }
    return validate(p);
}

falco_rc falco_host_plugin_load_api(const falco_abi_plugin_api *api, const char *label, falco_host_plugin **out)
{
    *out = NULL;
    falco_host_plugin *p = plugin_new(label ? label : "static plugin");
    if (!p)
        return FALCO_ENOMEM;
    *out = p;
    if (!api)
        return falco__host_finding(p, FALCO_EINVAL, "load", "NULL plugin API table");
    p->api = *api;
    return validate(p);
}

void falco_host_plugin_free(falco_host_plugin *p)
{
    if (!p)
        return;
    if (p->instance)
        falco_host_close(p->instance);
    falco__host_extractors_free(p);
    if (p->state && p->api.destroy)
        p->api.destroy(p->state);
    p->state = NULL;
    falco__host_async_free(p);
    if (p->dl)
        dlclose(p->dl);
    falco__host_fields_free(p);
    falco__host_strlist_free(&p->extract_sources);
    falco__host_strlist_free(&p->parse_sources);
    falco__host_strlist_free(&p->async_sources);
    falco__host_strlist_free(&p->async_events);
    falco__host_strlist_free(&p->findings);
    falco__host_strlist_free(&p->added_tables);
    free(p->extract_codes.codes);
    free(p->parse_codes.codes);
    free(p->open_params);
    falco_json_doc_free(p->open_params_doc);
    free(p->routines);
    free(p->text);
    free(p->config);
    free(p->init_schema);
    free(p->name);
    free(p->version);
    free(p->description);
    free(p->contact);
    free(p->required_api);
    free(p->event_source);
    free(p->path);
    free(p);
}

/* ---- getters ---- */

#define STR_GETTER(fn, member) \
    const char *fn(const falco_host_plugin *p) { return p && p->member ? p->member : ""; }
STR_GETTER(falco_host_plugin_name, name)
STR_GETTER(falco_host_plugin_version, version)
STR_GETTER(falco_host_plugin_description, description)
STR_GETTER(falco_host_plugin_contact, contact)
STR_GETTER(falco_host_plugin_required_api_version, required_api)
STR_GETTER(falco_host_plugin_path, path)
STR_GETTER(falco_host_plugin_event_source, event_source)

unsigned falco_host_plugin_caps(const falco_host_plugin *p) { return p ? p->caps : 0; }
uint32_t falco_host_plugin_id(const falco_host_plugin *p) { return p ? p->id : 0; }

falco_string_list falco_host_plugin_extract_sources(const falco_host_plugin *p)
{
    return falco__host_strlist_view(&p->extract_sources);
}
falco_string_list falco_host_plugin_parse_sources(const falco_host_plugin *p)
{
    return falco__host_strlist_view(&p->parse_sources);
}
falco_string_list falco_host_plugin_async_sources(const falco_host_plugin *p)
{
    return falco__host_strlist_view(&p->async_sources);
}
falco_string_list falco_host_plugin_async_events(const falco_host_plugin *p)
{
    return falco__host_strlist_view(&p->async_events);
}

const char *falco_host_plugin_init_schema(const falco_host_plugin *p, falco_abi_schema_type *type)
{
    if (type)
        *type = p->init_schema ? p->schema_type : FALCO_ABI_SCHEMA_NONE;
    return p->init_schema;
}
