/* Per-declaration facts computed once per process: the validated declaration,
 * the derived plugin API version, and the JSON texts the no-argument ABI
 * getters return (get_fields, get_init_schema, ...). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "json_internal.h"

static pthread_mutex_t runtime_lock = PTHREAD_MUTEX_INITIALIZER;
static falco__runtime *all_runtimes;

bool falco__parse_semver(const char *s, unsigned *major, unsigned *minor, unsigned *patch) {
    unsigned v[3] = {0, 0, 0};
    if (!s)
        return false;
    for (int i = 0; i < 3; i++) {
        if (*s < '0' || *s > '9')
            return false;
        unsigned long n = 0;
        while (*s >= '0' && *s <= '9') {
            n = n * 10 + (unsigned long)(*s++ - '0');
            if (n > 0xFFFFu)
                return false;
        }
        v[i] = (unsigned)n;
        if (i < 2 && *s++ != '.')
            return false;
    }
    if (*s != '\0')
        return false;
    *major = v[0];
    *minor = v[1];
    *patch = v[2];
    return true;
}

static bool valid_field_name(const char *name) {
    if (!name || !((*name >= 'a' && *name <= 'z') || (*name >= 'A' && *name <= 'Z')))
        return false;
    for (const char *c = name; *c; c++) {
        bool ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
                  *c == '_' || *c == '.' || *c == '-';
        if (!ok)
            return false;
    }
    return true;
}

static bool nonempty(const char *s) {
    return s && *s;
}

static uint8_t field_kind(falco_field_type t) {
    switch (t) {
    case FALCO_FIELD_U64:
    case FALCO_FIELD_RELTIME:
    case FALCO_FIELD_ABSTIME:
        return FALCO__KIND_U64;
    case FALCO_FIELD_STRING:
        return FALCO__KIND_STR;
    case FALCO_FIELD_BOOL:
        return FALCO__KIND_BOOL;
    case FALCO_FIELD_IPADDR:
    case FALCO_FIELD_IPNET:
        return FALCO__KIND_BUF;
    }
    return 0;
}

static const char *field_type_json(falco_field_type t) {
    switch (t) {
    case FALCO_FIELD_U64:
        return "uint64";
    case FALCO_FIELD_STRING:
        return "string";
    case FALCO_FIELD_RELTIME:
        return "reltime";
    case FALCO_FIELD_ABSTIME:
        return "abstime";
    case FALCO_FIELD_BOOL:
        return "bool";
    case FALCO_FIELD_IPADDR:
        return "ipaddr";
    case FALCO_FIELD_IPNET:
        return "ipnet";
    }
    return NULL;
}

/* Records why the declaration is invalid; evaluates to false. */
static bool decl_error(falco__runtime *rt, const char *fmt, ...) FALCO_PRINTF(2, 3);
static bool decl_error(falco__runtime *rt, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rt->decl_error, sizeof rt->decl_error, fmt, ap);
    va_end(ap);
    return false;
}
#define DECL_ERROR decl_error

static bool validate_metadata(falco__runtime *rt, const falco_plugin_decl *d) {
    unsigned a, b, c;
    if (!nonempty(d->name))
        return DECL_ERROR(rt, "plugin declaration: .name is empty");
    if (!nonempty(d->description))
        return DECL_ERROR(rt, "plugin '%s': .description is empty", d->name);
    if (!nonempty(d->contact))
        return DECL_ERROR(rt, "plugin '%s': .contact is empty", d->name);
    if (!falco__parse_semver(d->version, &a, &b, &c))
        return DECL_ERROR(rt, "plugin '%s': .version \"%s\" is not a version like 1.2.3", d->name,
                          d->version ? d->version : "(null)");
    if (!d->falco__source->falco__present && !d->falco__extract->falco__present)
        return DECL_ERROR(rt,
                          "plugin '%s' declares no capability: add FALCO_SOURCE, FALCO_EXTRACT or "
                          "another capability macro after FALCO_PLUGIN",
                          d->name);
    if (d->config.count && !d->config_size)
        return DECL_ERROR(rt, "plugin '%s': .config has options but .config_size is 0", d->name);
    if (d->config.count && d->config_schema)
        return DECL_ERROR(rt, "plugin '%s': set either .config (declarative) or .config_schema (raw), not both",
                          d->name);
    if (d->config.count) {
        char err[400];
        if (falco_config_validate(d->config, d->config_size, err, sizeof err) != FALCO_OK)
            return DECL_ERROR(rt, "plugin '%s': %s", d->name, err);
    }
    return true;
}

static bool validate_source(falco__runtime *rt, const falco_plugin_decl *d) {
    const falco_source_decl *s = d->falco__source;
    if (!s->falco__present)
        return true;
    if (!s->open || !s->next_batch)
        return DECL_ERROR(rt, "plugin '%s': FALCO_SOURCE needs .open and .next_batch", d->name);
    if (s->falco__present == 1) {
        if (s->id == 0 || !nonempty(s->event_source))
            return DECL_ERROR(rt,
                              "plugin '%s': FALCO_SOURCE needs a non-zero .id and an .event_source "
                              "(use FALCO_SYSCALL_SOURCE for sources without an ID)",
                              d->name);
        if (strcmp(s->event_source, "syscall") == 0)
            return DECL_ERROR(rt, "plugin '%s': event source name \"syscall\" is reserved", d->name);
    } else if (s->id != 0 || s->event_source) {
        return DECL_ERROR(rt, "plugin '%s': FALCO_SYSCALL_SOURCE takes no .id or .event_source", d->name);
    }
    for (size_t i = 0; i < s->open_params.count; i++)
        if (!nonempty(s->open_params.items[i].value))
            return DECL_ERROR(rt, "plugin '%s': open_params[%zu] has an empty .value", d->name, i);
    return true;
}

static bool validate_fields(falco__runtime *rt, const falco_plugin_decl *d) {
    const falco_extract_decl *x = d->falco__extract;
    if (!x->falco__present)
        return true;
    if (x->fields.count == 0 || !x->fields.items)
        return DECL_ERROR(rt, "plugin '%s': FALCO_EXTRACT needs at least one field in .fields", d->name);
    if (x->prepare_event && !x->event_context_size)
        return DECL_ERROR(rt, "plugin '%s': .prepare_event needs .event_context_size", d->name);
    for (size_t i = 0; i < x->fields.count; i++) {
        const falco_field *f = &x->fields.items[i];
        const char *n = f->name ? f->name : "(null)";
        if (!valid_field_name(f->name))
            return DECL_ERROR(rt,
                              "plugin '%s': fields[%zu] name \"%s\" is invalid (a letter, then letters, "
                              "digits, '_', '.', '-')",
                              d->name, i, n);
        for (size_t j = 0; j < i; j++)
            if (strcmp(x->fields.items[j].name, f->name) == 0)
                return DECL_ERROR(rt, "plugin '%s': fields[%zu] \"%s\" duplicates fields[%zu]", d->name, i, n, j);
        if (!field_kind(f->type))
            return DECL_ERROR(rt, "plugin '%s': field \"%s\" has unknown type %d", d->name, n, (int)f->type);
        if (!nonempty(f->desc))
            return DECL_ERROR(rt, "plugin '%s': field \"%s\" has no .desc", d->name, n);
        if (!f->extract)
            return DECL_ERROR(rt, "plugin '%s': field \"%s\" has no .extract function", d->name, n);
        if (f->arg != FALCO_ARG_NONE && f->arg != FALCO_ARG_INDEX && f->arg != FALCO_ARG_KEY)
            return DECL_ERROR(rt, "plugin '%s': field \"%s\" has unknown .arg %d", d->name, n, (int)f->arg);
        if (f->arg_required && f->arg == FALCO_ARG_NONE)
            return DECL_ERROR(rt, "plugin '%s': field \"%s\" sets .arg_required without .arg (index or key)",
                              d->name, n);
        if (f->properties & ~(FALCO_FIELD_HIDDEN | FALCO_FIELD_INFO | FALCO_FIELD_CONVERSATION))
            return DECL_ERROR(rt, "plugin '%s': field \"%s\" has unknown .properties bits 0x%x", d->name, n,
                              f->properties);
    }
    return true;
}

/* Derives the plugin API version from the features the declaration uses
 * (DESIGN invariant 6), and checks an explicit override against it. */
static bool derive_api_version(falco__runtime *rt, const falco_plugin_decl *d) {
    unsigned minor = 0;
    const char *why = "the base capability";
    const falco_extract_decl *x = d->falco__extract;
#define NEED(m, reason)     \
    do {                    \
        if ((m) > minor) {  \
            minor = (m);    \
            why = (reason); \
        }                   \
    } while (0)
    /* Logging degrades gracefully (stderr) on hosts without a logger, so it
     * raises the derived version but does not forbid a lower override. */
    unsigned soft_minor = &falco__log_linked ? 4 : 0; /* host log_fn: API 3.4 */
    if (d->metrics)
        NEED(6, "metrics");
    if (x->falco__present) {
        for (size_t i = 0; i < x->fields.count; i++)
            if (x->fields.items[i].add_output)
                NEED(8, "addOutput in fields");
        if (x->value_offsets)
            NEED(11, "value offsets in extraction");
        if (rt->syscall_events)
            NEED(12, "the required event schema version (syscall events)");
    }
#undef NEED
    if (d->required_api_version) {
        unsigned ma, mi, pa;
        if (!falco__parse_semver(d->required_api_version, &ma, &mi, &pa) || ma != FALCO_ABI_VERSION_MAJOR)
            return DECL_ERROR(rt, "plugin '%s': .required_api_version \"%s\" is not a 3.x.y version", d->name,
                              d->required_api_version);
        if (mi < minor)
            return DECL_ERROR(rt, "plugin '%s': .required_api_version %s is below 3.%u.0, which %s needs",
                              d->name, d->required_api_version, minor, why);
        if (mi > FALCO_ABI_VERSION_MINOR)
            return DECL_ERROR(rt, "plugin '%s': .required_api_version %s is newer than this SDK's %s", d->name,
                              d->required_api_version, FALCO_ABI_VERSION_STRING);
        snprintf(rt->api_version, sizeof rt->api_version, "%s", d->required_api_version);
        rt->api_minor = mi;
        return true;
    }
    if (soft_minor > minor)
        minor = soft_minor;
    snprintf(rt->api_version, sizeof rt->api_version, "%u.%u.0", (unsigned)FALCO_ABI_VERSION_MAJOR, minor);
    rt->api_minor = minor;
    return true;
}

static char *build_fields_json(const falco_extract_decl *x) {
    falco_json_writer *w = falco_json_writer_new();
    if (!w)
        return NULL;
    falco_json_array_begin(w);
    for (size_t i = 0; i < x->fields.count; i++) {
        const falco_field *f = &x->fields.items[i];
        falco_json_object_begin(w);
        const char *type = field_type_json(f->type);
        falco_json_key(w, "name");
        falco_json_string_value(w, f->name ? f->name : "");
        falco_json_key(w, "type");
        falco_json_string_value(w, type ? type : "");
        falco_json_key(w, "isList");
        falco_json_bool_value(w, f->is_list);
        if (f->arg != FALCO_ARG_NONE) {
            falco_json_key(w, "arg");
            falco_json_object_begin(w);
            falco_json_key(w, f->arg == FALCO_ARG_INDEX ? "isIndex" : "isKey");
            falco_json_bool_value(w, true);
            falco_json_key(w, "isRequired");
            falco_json_bool_value(w, f->arg_required);
            falco_json_object_end(w);
        }
        if (f->display) {
            falco_json_key(w, "display");
            falco_json_string_value(w, f->display);
        }
        falco_json_key(w, "desc");
        falco_json_string_value(w, f->desc ? f->desc : "");
        if (f->properties) {
            falco_json_key(w, "properties");
            falco_json_array_begin(w);
            if (f->properties & FALCO_FIELD_HIDDEN)
                falco_json_string_value(w, "hidden");
            if (f->properties & FALCO_FIELD_INFO)
                falco_json_string_value(w, "info");
            if (f->properties & FALCO_FIELD_CONVERSATION)
                falco_json_string_value(w, "conversation");
            falco_json_array_end(w);
        }
        if (f->add_output) {
            falco_json_key(w, "addOutput");
            falco_json_bool_value(w, true);
        }
        falco_json_object_end(w);
    }
    falco_json_array_end(w);
    return falco__json_writer_take(w);
}

static char *build_sources_json(const char *const *sources, const char *own) {
    falco_json_writer *w = falco_json_writer_new();
    if (!w)
        return NULL;
    falco_json_array_begin(w);
    if (sources) {
        for (size_t i = 0; sources[i]; i++)
            falco_json_string_value(w, sources[i]);
    } else {
        falco_json_string_value(w, own);
    }
    falco_json_array_end(w);
    return falco__json_writer_take(w);
}

static bool build_extract(falco__runtime *rt, const falco_plugin_decl *d) {
    const falco_extract_decl *x = d->falco__extract;
    if (!x->falco__present)
        return true;
    static const uint16_t plugin_event_only[] = {FALCO_ABI_EVENT_PLUGIN};
    const uint16_t *types = x->event_types.count ? x->event_types.items : plugin_event_only;
    size_t n = x->event_types.count ? x->event_types.count : 1;
    rt->event_types = malloc(n * sizeof *types);
    rt->fields_rt = calloc(x->fields.count, sizeof *rt->fields_rt);
    if (!rt->event_types || !rt->fields_rt)
        return DECL_ERROR(rt, "out of memory");
    memcpy(rt->event_types, types, n * sizeof *types);
    rt->num_event_types = (uint32_t)n;
    for (size_t i = 0; i < n; i++)
        if (types[i] != FALCO_ABI_EVENT_PLUGIN && types[i] != FALCO_ABI_EVENT_ASYNC)
            rt->syscall_events = true;
    for (size_t i = 0; i < x->fields.count; i++) {
        const falco_field *f = &x->fields.items[i];
        falco__field_rt *rf = &rt->fields_rt[i];
        rf->extract = f->extract;
        uint8_t kind = field_kind(f->type);
        rf->start.v.single = 1;
        rf->start.v.fast = kind == FALCO__KIND_BUF ? 0 : kind;
        FALCO__RT_KIND(rf) = kind;
        FALCO__RT_CHECKS(rf) = f->arg != FALCO_ARG_NONE || f->arg_required || x->value_offsets;
    }
    rt->fields_json = build_fields_json(x);
    if (!rt->fields_json)
        return DECL_ERROR(rt, "plugin '%s': cannot build the fields JSON (out of memory)", d->name);
    const falco_source_decl *s = d->falco__source;
    if (x->sources && !x->sources[0])
        return DECL_ERROR(rt, "plugin '%s': FALCO_EXTRACT .sources is empty", d->name);
    if (x->sources || (s->falco__present == 1 && s->event_source)) {
        rt->sources_json = build_sources_json(x->sources, s->event_source);
        if (!rt->sources_json)
            return DECL_ERROR(rt, "out of memory");
    }
    return true;
}

static falco__runtime *runtime_build(const falco_plugin_decl *d) {
    falco__runtime *rt = calloc(1, sizeof *rt);
    if (!rt)
        return NULL;
    if (validate_metadata(rt, d) && validate_source(rt, d) && validate_fields(rt, d) && build_extract(rt, d) &&
        derive_api_version(rt, d) && d->config.count) {
        rt->schema_json = falco_config_schema(d->config);
        if (!rt->schema_json)
            DECL_ERROR(rt, "plugin '%s': cannot build the config schema (out of memory)", d->name);
    }
    /* An invalid field table is still described as declared, so a host that
     * validates get_fields at load reports the bad entry itself instead of an
     * empty table; init reports our own message. */
    if (!rt->fields_json && d->falco__extract->falco__present && d->falco__extract->fields.items)
        rt->fields_json = build_fields_json(d->falco__extract);
    if (!rt->api_version[0]) /* declaration invalid: still answer with something parseable */
        snprintf(rt->api_version, sizeof rt->api_version, "%s", "3.0.0");
    return rt;
}

falco__runtime *falco__runtime_get(const falco_plugin_decl *d) {
    falco__runtime *rt = __atomic_load_n(d->falco__runtime, __ATOMIC_ACQUIRE);
    if (rt)
        return rt;
    pthread_mutex_lock(&runtime_lock);
    rt = *d->falco__runtime;
    if (!rt) {
        rt = runtime_build(d);
        if (rt) {
            rt->slot = d->falco__runtime;
            rt->next_runtime = all_runtimes;
            all_runtimes = rt;
            __atomic_store_n(d->falco__runtime, rt, __ATOMIC_RELEASE);
        }
    }
    pthread_mutex_unlock(&runtime_lock);
    return rt;
}

/* Frees the process-wide caches when the plugin is unloaded, so leak checkers
 * see a clean exit. */
__attribute__((destructor)) static void runtime_free_all(void) {
    pthread_mutex_lock(&runtime_lock);
    while (all_runtimes) {
        falco__runtime *rt = all_runtimes;
        all_runtimes = rt->next_runtime;
        __atomic_store_n(rt->slot, NULL, __ATOMIC_RELEASE);
        free(rt->fields_json);
        free(rt->schema_json);
        free(rt->sources_json);
        free(rt->event_types);
        free(rt->fields_rt);
        free(rt);
    }
    pthread_mutex_unlock(&runtime_lock);
}

const char *falco_plugin_required_api_version(const falco_plugin_decl *d) {
    falco__runtime *rt = falco__runtime_get(d);
    return rt ? rt->api_version : "3.0.0";
}

const char *falco__base_required_api_version(const falco_plugin_decl *d) {
    return falco_plugin_required_api_version(d);
}

const char *falco__base_init_schema(const falco_plugin_decl *d, falco_abi_schema_type *t) {
    falco__runtime *rt = falco__runtime_get(d);
    if (rt && rt->schema_json) {
        *t = FALCO_ABI_SCHEMA_JSON;
        return rt->schema_json;
    }
    if (d->config_schema) {
        *t = FALCO_ABI_SCHEMA_JSON;
        return d->config_schema;
    }
    *t = FALCO_ABI_SCHEMA_NONE;
    return "";
}
