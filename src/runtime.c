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
    if (!d->falco__source->falco__present && !d->falco__extract->falco__present &&
        !d->falco__parse->falco__present && !d->falco__async->falco__present &&
        !d->falco__listen->falco__present)
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
    return falco__source_validate(d, rt->decl_error, sizeof rt->decl_error); /* source.c */
}

/* Slots visited by the last field-name duplicate check, for the test that
 * keeps it linear (tests/host/test_fieldcount.c); not part of any API. */
extern size_t falco__field_dup_probes;
size_t falco__field_dup_probes;

/* Duplicate field names are found with an open-addressing set of indexes:
 * comparing each name with every earlier one is quadratic, and a generated
 * field table may have tens of thousands of entries. */
typedef struct field_name_set {
    uint32_t *slots; /* index + 1; 0 = empty */
    uint64_t *hashes;
    size_t mask, probes;
} field_name_set;

static uint64_t field_name_hash(const char *s) {
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 1099511628211ULL;
    return h;
}

/* Adds items[i]; returns the index of an earlier equal name, or SIZE_MAX. */
static size_t field_name_add(field_name_set *set, const falco_field *items, size_t i) {
    uint64_t h = field_name_hash(items[i].name);
    for (size_t s = (size_t)h & set->mask;; s = (s + 1) & set->mask) {
        set->probes++;
        uint32_t at = set->slots[s];
        if (!at) {
            set->slots[s] = (uint32_t)i + 1;
            set->hashes[s] = h;
            return SIZE_MAX;
        }
        if (set->hashes[s] == h && strcmp(items[at - 1].name, items[i].name) == 0)
            return at - 1;
    }
}

static bool validate_field_entries(falco__runtime *rt, const falco_plugin_decl *d, field_name_set *names);

static bool validate_fields(falco__runtime *rt, const falco_plugin_decl *d) {
    const falco_extract_decl *x = d->falco__extract;
    if (!x->falco__present)
        return true;
    if (x->fields.count == 0 || !x->fields.items)
        return DECL_ERROR(rt, "plugin '%s': FALCO_EXTRACT needs at least one field in .fields", d->name);
    if (x->prepare_event && !x->event_context_size)
        return DECL_ERROR(rt, "plugin '%s': .prepare_event needs .event_context_size", d->name);
    if (x->fields.count > UINT32_MAX - 1)
        return DECL_ERROR(rt, "plugin '%s': too many fields (%zu)", d->name, x->fields.count);
    size_t cap = 16;
    while (cap < 2 * x->fields.count)
        cap *= 2;
    field_name_set names = {calloc(cap, sizeof(uint32_t)), calloc(cap, sizeof(uint64_t)), cap - 1, 0};
    bool ok = names.slots && names.hashes ? validate_field_entries(rt, d, &names)
                                          : DECL_ERROR(rt, "plugin '%s': out of memory checking fields", d->name);
    free(names.slots);
    free(names.hashes);
    __atomic_store_n(&falco__field_dup_probes, names.probes, __ATOMIC_RELAXED);
    return ok;
}

static bool validate_field_entries(falco__runtime *rt, const falco_plugin_decl *d, field_name_set *names) {
    const falco_extract_decl *x = d->falco__extract;
    for (size_t i = 0; i < x->fields.count; i++) {
        const falco_field *f = &x->fields.items[i];
        const char *n = f->name ? f->name : "(null)";
        if (!valid_field_name(f->name))
            return DECL_ERROR(rt,
                              "plugin '%s': fields[%zu] name \"%s\" is invalid (a letter, then letters, "
                              "digits, '_', '.', '-')",
                              d->name, i, n);
        size_t j = field_name_add(names, x->fields.items, i);
        if (j != SIZE_MAX)
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
    if (d->falco__parse->falco__present && d->falco__parse->choose_event_types)
        NEED(2, "event types chosen per state (.choose_event_types)");
    if (d->falco__parse->falco__present && rt->syscall_events)
        NEED(12, "the required event schema version (syscall events)");
    if (d->falco__listen->falco__present)
        NEED(7, "capture listening (FALCO_LISTEN)");
    if (d->falco__async->falco__present && d->falco__async->dump_state)
        NEED(10, "dump_state (FALCO_ASYNC .dump_state)");
    if (falco__tables_hooks_of(d)) {
        const char *twhy = "state tables";
        unsigned tmin = falco__tables_hooks_of(d)->min_api_minor(d, &twhy);
        NEED(tmin, twhy);
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

/* A NULL-terminated source list: non-empty, no empty entry. */
static bool check_sources(falco__runtime *rt, const falco_plugin_decl *d, const char *macro,
                          const char *const *sources) {
    if (!sources)
        return true;
    if (!sources[0])
        return DECL_ERROR(rt, "plugin '%s': %s .sources is empty", d->name, macro);
    for (size_t i = 0; sources[i]; i++)
        if (!*sources[i])
            return DECL_ERROR(rt, "plugin '%s': %s .sources[%zu] is empty", d->name, macro, i);
    return true;
}

static bool has_source(const char *const *sources, const char *name) {
    for (size_t i = 0; sources && sources[i]; i++)
        if (strcmp(sources[i], name) == 0)
            return true;
    return false;
}

static bool build_parse(falco__runtime *rt, const falco_plugin_decl *d) {
    const falco_parse_decl *ps = d->falco__parse;
    if (!ps->falco__present)
        return true;
    if (!ps->parse)
        return DECL_ERROR(rt, "plugin '%s': FALCO_PARSE needs a .parse function", d->name);
    if (ps->all_event_types && ps->event_types.count)
        return DECL_ERROR(rt, "plugin '%s': FALCO_PARSE sets both .event_types and .all_event_types", d->name);
    if (ps->choose_event_types && (ps->all_event_types || ps->event_types.count))
        return DECL_ERROR(rt, "plugin '%s': FALCO_PARSE sets .choose_event_types and .%s", d->name,
                          ps->all_event_types ? "all_event_types" : "event_types");
    if (ps->event_types.count && !ps->event_types.items)
        return DECL_ERROR(rt, "plugin '%s': FALCO_PARSE .event_types has a count but no items", d->name);
    if (!check_sources(rt, d, "FALCO_PARSE", ps->sources))
        return false;
    const falco_source_decl *s = d->falco__source;
    const char *own = s->falco__present == 1 ? s->event_source : NULL;
    if (ps->choose_event_types) {
        /* Chosen after init: assume syscall events when the sources allow them. */
        rt->syscall_events = rt->syscall_events || (ps->sources ? has_source(ps->sources, "syscall") : !own);
    } else if (ps->all_event_types) {
        /* No codes: libsinsp then parses every code when the plugin takes
         * "syscall" events (no source list and no own source, or "syscall"
         * listed), and plugin events only otherwise. */
        rt->syscall_events = rt->syscall_events || (ps->sources ? has_source(ps->sources, "syscall") : !own);
    } else {
        static const uint16_t plugin_event_only[] = {FALCO_ABI_EVENT_PLUGIN};
        const uint16_t *types = ps->event_types.count ? ps->event_types.items : plugin_event_only;
        size_t n = ps->event_types.count ? ps->event_types.count : 1;
        for (size_t i = 0; i < n; i++) {
            const char *why = ps->falco__fns.code_problem(types[i]);
            if (why)
                return DECL_ERROR(rt, "plugin '%s': FALCO_PARSE .event_types[%zu] = %u: %s", d->name, i,
                                  (unsigned)types[i], why);
            for (size_t j = 0; j < i; j++)
                if (types[j] == types[i])
                    return DECL_ERROR(rt, "plugin '%s': FALCO_PARSE .event_types[%zu] = %u duplicates [%zu]",
                                      d->name, i, (unsigned)types[i], j);
            if (types[i] != FALCO_ABI_EVENT_PLUGIN && types[i] != FALCO_ABI_EVENT_ASYNC)
                rt->syscall_events = true;
        }
        rt->parse_types = malloc(n * sizeof *types);
        if (!rt->parse_types)
            return DECL_ERROR(rt, "out of memory");
        memcpy(rt->parse_types, types, n * sizeof *types);
        rt->num_parse_types = (uint32_t)n;
    }
    if (ps->sources || own) {
        rt->parse_sources_json = build_sources_json(ps->sources, own);
        if (!rt->parse_sources_json)
            return DECL_ERROR(rt, "out of memory");
    }
    return true;
}

static bool build_async(falco__runtime *rt, const falco_plugin_decl *d) {
    const falco_async_decl *a = d->falco__async;
    if (!a->falco__present)
        return true;
    if (!a->events || !a->events[0])
        return DECL_ERROR(rt, "plugin '%s': FALCO_ASYNC needs at least one name in .events", d->name);
    for (size_t i = 0; a->events[i]; i++) {
        if (!*a->events[i])
            return DECL_ERROR(rt, "plugin '%s': FALCO_ASYNC .events[%zu] is empty", d->name, i);
        for (size_t j = 0; j < i; j++)
            if (strcmp(a->events[j], a->events[i]) == 0)
                return DECL_ERROR(rt, "plugin '%s': FALCO_ASYNC .events[%zu] \"%s\" duplicates .events[%zu]",
                                  d->name, i, a->events[i], j);
    }
    if (a->start && !a->stop)
        return DECL_ERROR(rt, "plugin '%s': FALCO_ASYNC .start needs a .stop that ends what it started", d->name);
    if (a->task && !a->task_interval_ms)
        return DECL_ERROR(rt, "plugin '%s': FALCO_ASYNC .task needs .task_interval_ms (1 or more)", d->name);
    if (!a->task && a->task_interval_ms)
        return DECL_ERROR(rt, "plugin '%s': FALCO_ASYNC .task_interval_ms is set without a .task", d->name);
    if (!check_sources(rt, d, "FALCO_ASYNC", a->sources))
        return false;
    rt->async_events_json = build_sources_json(a->events, NULL);
    if (!rt->async_events_json)
        return DECL_ERROR(rt, "out of memory");
    if (a->sources) {
        rt->async_sources_json = build_sources_json(a->sources, NULL);
        if (!rt->async_sources_json)
            return DECL_ERROR(rt, "out of memory");
    }
    return true;
}

static bool validate_listen(falco__runtime *rt, const falco_plugin_decl *d) {
    const falco_listen_decl *l = d->falco__listen;
    if (l->falco__present && (!l->capture_open || !l->capture_close))
        return DECL_ERROR(rt, "plugin '%s': FALCO_LISTEN needs both .capture_open and .capture_close%s", d->name,
                          l->capture_open ? " (.capture_close is missing)"
                                          : l->capture_close ? " (.capture_open is missing)" : "");
    return true;
}

/* State tables: checked by the tables code (linked only when declared). A
 * list initialized with FALCO_LIST has no hooks: that is reported too. */
static bool validate_tables(falco__runtime *rt, const falco_plugin_decl *d) {
    const struct falco__tables_hooks *th = falco__tables_hooks_of(d);
    if (!th) {
        if (d->tables_import.count || d->tables_export.count)
            return DECL_ERROR(rt, "plugin '%s': declare tables with FALCO_TABLE_IMPORTS()/FALCO_TABLE_EXPORTS(), "
                                  "not FALCO_LIST()", d->name);
        return true;
    }
    char err[sizeof rt->decl_error];
    if (th->validate(d, err, sizeof err) != FALCO_OK)
        return DECL_ERROR(rt, "%s", err);
    return true;
}

static falco__runtime *runtime_build(const falco_plugin_decl *d) {
    falco__runtime *rt = calloc(1, sizeof *rt);
    if (!rt)
        return NULL;
    if (validate_metadata(rt, d) && validate_source(rt, d) && validate_fields(rt, d) && build_extract(rt, d) &&
        build_parse(rt, d) && build_async(rt, d) && validate_listen(rt, d) && validate_tables(rt, d) &&
        derive_api_version(rt, d) &&
        d->config.count) {
        rt->schema_json = falco_config_schema(d->config);
        if (!rt->schema_json)
            DECL_ERROR(rt, "plugin '%s': cannot build the config schema (out of memory)", d->name);
    }
    /* An invalid field table is still described as declared, so a host that
     * validates get_fields at load reports the bad entry itself instead of an
     * empty table; init reports our own message. */
    if (!rt->fields_json && d->falco__extract->falco__present && d->falco__extract->fields.items)
        rt->fields_json = build_fields_json(d->falco__extract);
    /* An invalid async declaration still lists "[]" (hosts refuse an empty
     * answer at load); init reports our own message. */
    if (!rt->async_events_json && d->falco__async->falco__present && (rt->async_events_json = malloc(3)))
        memcpy(rt->async_events_json, "[]", 3);
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
        free(rt->parse_types);
        free(rt->parse_sources_json);
        free(rt->async_events_json);
        free(rt->async_sources_json);
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
