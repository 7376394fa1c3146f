/*
 * init.c - plugin_init and what surrounds it in libsinsp: config validation
 * against the init schema, the init input (owner, log_fn, tables only for
 * parse/extract plugins), failure with a kept state, event codes resolved
 * after init, the required event schema version; set_config and metrics.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_internal.h"

/* Reserved for libsinsp's tables input; defined in tables.c. */

const char *falco__host_owner_last_error(falco_abi_owner_t *o)
{
    falco_host_plugin *p = o;
    return p && p->owner_err[0] ? p->owner_err : NULL;
}

static void owner_log(falco_abi_owner_t *o, const char *component, const char *msg, falco_abi_log_severity sev)
{
    falco_host_plugin *p = o;
    if (!p)
        return;
    falco__host_log_sink(p, component ? component : falco__host_label(p), msg ? msg : "", sev);
}

const char *falco_host_plugin_last_error(const falco_host_plugin *p)
{
    if (!p || !p->state || !p->api.get_last_error)
        return NULL;
    return p->api.get_last_error(p->state);
}

/* Applies the init schema to config (may be NULL). On success *out is the
 * config to hand over (malloc'd): "{}" for an empty one when there is a
 * schema, config as given otherwise. */
static falco_rc prepare_config(falco_host_plugin *p, const char *call, const char *config, char **out)
{
    const char *cfg = config ? config : "";
    *out = NULL;
    if (p->init_schema && p->schema_type != FALCO_ABI_SCHEMA_JSON)
        return falco__host_err(p, FALCO_EINVAL, call, "get_init_schema returned an unknown schema type %d",
                               (int)p->schema_type);
    if (p->init_schema) {
        if (!cfg[0])
            cfg = "{}";
        falco_json_doc *sdoc = falco_json_doc_new(), *cdoc = falco_json_doc_new();
        falco_rc rc = FALCO_OK;
        falco_json_error jerr;
        const falco_json_value *schema = NULL, *conf = NULL;
        if (!sdoc || !cdoc) {
            rc = falco__host_err(p, FALCO_ENOMEM, call, "out of memory");
        } else if (!(schema = falco_json_parse(sdoc, p->init_schema, strlen(p->init_schema), &jerr)) ||
                   falco_json_type_of(schema) != FALCO_JSON_OBJECT) {
            rc = falco__host_err(p, FALCO_EINVAL, call, "get_init_schema did not return a json object%s%s",
                                 schema ? "" : ": ", schema ? "" : jerr.message);
        } else if (!(conf = falco_json_parse(cdoc, cfg, strlen(cfg), &jerr))) {
            rc = falco__host_err(p, FALCO_EINVAL, call, "init config is not a valid json: %s at offset %zu",
                                 jerr.message, jerr.offset);
        } else {
            char why[1024];
            if (falco__host_schema_validate(schema, conf, why, sizeof why) != FALCO_OK)
                rc = falco__host_err(p, FALCO_EINVAL, call, "init config rejected by the schema: %s", why);
        }
        falco_json_doc_free(sdoc);
        falco_json_doc_free(cdoc);
        if (rc != FALCO_OK)
            return rc;
    }
    if (!(*out = falco__host_strdup(cfg)))
        return falco__host_err(p, FALCO_ENOMEM, call, "out of memory");
    return FALCO_OK;
}

static falco_rc resolve_codes(falco_host_plugin *p, uint16_t *(*getter)(uint32_t *, falco_abi_plugin_t *),
                              const falco__host_strlist *sources, falco__host_codes *out)
{
    uint32_t n = 0;
    uint16_t *codes = getter ? getter(&n, p->state) : NULL;
    free(out->codes);
    out->codes = NULL;
    out->count = 0;
    out->all = false;
    if (codes && n) {
        out->codes = malloc(n * sizeof *out->codes);
        if (!out->codes)
            return falco__host_err(p, FALCO_ENOMEM, "init", "out of memory");
        for (uint32_t i = 0; i < n; i++)
            if (!falco__host_codes_have(out, codes[i]))
                out->codes[out->count++] = codes[i];
        return FALCO_OK;
    }
    if (falco__host_source_compatible(sources, "syscall")) {
        out->all = true;
        return FALCO_OK;
    }
    out->codes = malloc(sizeof *out->codes);
    if (!out->codes)
        return falco__host_err(p, FALCO_ENOMEM, "init", "out of memory");
    out->codes[0] = FALCO_ABI_EVENT_PLUGIN;
    out->count = 1;
    return FALCO_OK;
}

/* True when the codes reach syscall events (anything but plugin/async events). */
static bool touches_syscalls(const falco__host_codes *c, const falco__host_strlist *sources)
{
    if (!falco__host_source_compatible(sources, "syscall"))
        return false;
    if (c->all)
        return true;
    for (size_t i = 0; i < c->count; i++)
        if (c->codes[i] != FALCO_ABI_EVENT_PLUGIN && c->codes[i] != FALCO_ABI_EVENT_ASYNC)
            return true;
    return false;
}

static falco_rc check_schema_version(falco_host_plugin *p)
{
    bool syscalls = ((p->caps & FALCO_HOST_CAP_EXTRACT) && touches_syscalls(&p->extract_codes, &p->extract_sources)) ||
                    ((p->caps & FALCO_HOST_CAP_PARSE) && touches_syscalls(&p->parse_codes, &p->parse_sources));
    if (!syscalls || !p->api.get_required_event_schema_version)
        return FALCO_OK;
    const char *v = p->api.get_required_event_schema_version(p->state);
    unsigned major, minor, patch;
    if (!v || !v[0])
        return FALCO_OK; /* "no requirement" */
    if (!falco__host_semver_parse(v, &major, &minor, &patch))
        return falco__host_finding(p, FALCO_EINVAL, "get_required_event_schema_version",
                                   "invalid event schema version string: '%s'", v);
    if (major != FALCO_HOST_EVENT_SCHEMA_MAJOR)
        return falco__host_finding(p, FALCO_EINVAL, "get_required_event_schema_version",
                                   "required event schema version '%s' not compatible with the host's major %d",
                                   v, FALCO_HOST_EVENT_SCHEMA_MAJOR);
    return FALCO_OK;
}

static void drop_state(falco_host_plugin *p)
{
    if (p->state && p->api.destroy)
        p->api.destroy(p->state);
    p->state = NULL;
}

falco_rc falco_host_plugin_init(falco_host_plugin *p, const char *config)
{
    if (!p)
        return FALCO_EMISUSE;
    if (!p->loaded)
        return falco__host_err(p, FALCO_EMISUSE, "init", "plugin did not load");
    /* libsinsp's rule: plugin_init runs at most once, whatever it returned;
     * a config refused before it (schema) leaves the plugin uninitialized. */
    if (p->init_called)
        return falco__host_err(p, FALCO_EMISUSE, "init", "plugin has been initialized twice");
    char *cfg;
    falco_rc rc = prepare_config(p, "init", config, &cfg);
    if (rc != FALCO_OK) {
        (void)falco__host_strlist_add(&p->findings, p->err);
        return rc;
    }
    p->config = cfg;

    falco_abi_init_input in;
    memset(&in, 0, sizeof in);
    in.config = cfg;
    in.owner = p;
    in.get_owner_last_error = falco__host_owner_last_error;
    in.log_fn = owner_log;
    if (p->caps & (FALCO_HOST_CAP_PARSE | FALCO_HOST_CAP_EXTRACT))
        in.tables = falco__host_init_tables_for(p); /* lives as long as p: plugins keep it */
    falco_abi_rc prc = FALCO_ABI_RC_FAILURE; /* a plugin that sets no rc has failed */
    p->init_called = true;
    falco_abi_plugin_t *state = p->api.init(&in, &prc);
    falco__host_tables_phase_end(); /* the init window closes with the call */
    p->state = state;
    if (prc != FALCO_ABI_RC_SUCCESS) {
        falco__host_err_plugin(p, FALCO_ERROR, "init", "could not initialize plugin (%s)",
                               falco__host_rc_str(prc).s);
        (void)falco__host_strlist_add(&p->findings, p->err);
        drop_state(p);
        return FALCO_ERROR;
    }
    if (p->caps & FALCO_HOST_CAP_EXTRACT)
        rc = resolve_codes(p, p->api.get_extract_event_types, &p->extract_sources, &p->extract_codes);
    if (rc == FALCO_OK && (p->caps & FALCO_HOST_CAP_PARSE))
        rc = resolve_codes(p, p->api.get_parse_event_types, &p->parse_sources, &p->parse_codes);
    if (rc == FALCO_OK)
        rc = check_schema_version(p);
    if (rc != FALCO_OK) {
        drop_state(p);
        return rc;
    }
    p->inited = true;
    return FALCO_OK;
}

bool falco_host_plugin_inited(const falco_host_plugin *p)
{
    return p && p->inited;
}

const char *falco_host_plugin_config(const falco_host_plugin *p)
{
    return p ? p->config : NULL;
}

falco_rc falco_host_plugin_set_config(falco_host_plugin *p, const char *config)
{
    if (!p || !p->inited)
        return p ? falco__host_err(p, FALCO_EMISUSE, "set_config", "plugin capability used before init")
                 : FALCO_EMISUSE;
    char *cfg;
    FALCO_TRY(prepare_config(p, "set_config", config, &cfg));
    if (!p->api.set_config) {
        free(cfg);
        return falco__host_err(p, FALCO_NOT_SUPPORTED, "set_config", "plugin does not implement set_config");
    }
    falco_abi_set_config_input in = { cfg };
    falco_abi_rc prc = p->api.set_config(p->state, &in);
    free(cfg);
    if (prc != FALCO_ABI_RC_SUCCESS)
        return falco__host_err_plugin(p, FALCO_ERROR, "set_config", "failed with %s",
                                      falco__host_rc_str(prc).s);
    return FALCO_OK;
}

falco_rc falco_host_plugin_metrics(falco_host_plugin *p, const falco_abi_metric **out, uint32_t *n)
{
    *out = NULL;
    *n = 0;
    if (!p->inited)
        return falco__host_err(p, FALCO_EMISUSE, "get_metrics", "plugin capability used before init");
    if (!p->api.get_metrics)
        return FALCO_OK;
    uint32_t count = 0;
    falco_abi_metric *m = p->api.get_metrics(p->state, &count);
    if (count && !m)
        return falco__host_err(p, FALCO_EPARSE, "get_metrics", "returned NULL with %u metrics", count);
    for (uint32_t i = 0; i < count; i++)
        if (!m[i].name)
            return falco__host_err(p, FALCO_EPARSE, "get_metrics", "metric #%u has a NULL name", i);
    *out = m;
    *n = count;
    return FALCO_OK;
}

static const uint16_t *codes_view(const falco__host_codes *c, size_t *n, bool *all)
{
    *n = c->count;
    *all = c->all;
    return c->codes;
}

const uint16_t *falco_host_plugin_extract_types(const falco_host_plugin *p, size_t *n, bool *all)
{
    return codes_view(&p->extract_codes, n, all);
}

const uint16_t *falco_host_plugin_parse_types(const falco_host_plugin *p, size_t *n, bool *all)
{
    return codes_view(&p->parse_codes, n, all);
}
