/* The base capability: init/destroy, config, set_config, metrics, and the
 * plugin_api struct of statically linked plugins. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

const char *falco_sdk_version(void) {
    return FALCO_SDK_VERSION_STRING;
}

void *falco_plugin_state(const falco_plugin *p) {
    return p->state;
}

/* One message buffer for the handles of every capability: the prefix names
 * the capability; the owner's message helps where the host's call failed. */
falco_rc falco__handle_verror(falco_plugin *p, falco_rc rc, const char *prefix, bool with_owner, const char *fmt,
                              va_list ap) {
    char msg[FALCO__ERRLEN];
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (with_owner)
        return falco_error_owner(p, rc, "%s%s", prefix, msg);
    return falco_error(p, rc, "%s%s", prefix, msg);
}

falco_rc falco_plugin_set_state(falco_plugin *p, void *state) {
    if (p->state_from_sdk)
        return falco_error(p, FALCO_EMISUSE,
                           "falco_plugin_set_state: the SDK owns the state (.state_size is set)");
    p->state = p->extract.head.state = state;
    return FALCO_OK;
}

const void *falco_plugin_config(const falco_plugin *p) {
    return p->config;
}

const char *falco_plugin_config_string(const falco_plugin *p) {
    return p->config_str ? p->config_str : "";
}

const falco_plugin_decl *falco_plugin_declaration(const falco_plugin *p) {
    return p->decl;
}

void *falco_plugin_scratch(falco_plugin *p, size_t size) {
    /* Inside an extraction (its event is set until another call begins):
     * the call arena, through the extraction, which notes its use. */
    if (p->extract.ev)
        return falco_extract_alloc(&p->extract, size);
    return falco__arena_alloc(p->current ? p->current : &p->misc_arena, size);
}

static char *dup_string(const char *s) {
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* Decodes config text into a fresh struct (declarative) or copies it (raw).
 * On success *cfg and *str own the results. */
static falco_rc decode_config(falco_plugin *p, const char *text, void **cfg, char **str) {
    const falco_plugin_decl *d = p->decl;
    if (!text)
        text = "";
    *cfg = NULL;
    *str = NULL;
    if (d->config.count) {
        bool blank = true;
        for (const char *c = text; *c; c++)
            if (*c != ' ' && *c != '\t' && *c != '\n' && *c != '\r')
                blank = false;
        *cfg = calloc(1, d->config_size);
        *str = dup_string(blank ? "{}" : text);
        if (!*cfg || !*str) {
            free(*cfg);
            free(*str);
            *cfg = NULL;
            *str = NULL;
            return falco_error(p, FALCO_ENOMEM, "config: out of memory");
        }
        char err[FALCO__ERRLEN];
        falco_rc rc = falco_config_decode(d->config, *str, strlen(*str), *cfg, err, sizeof err);
        if (rc != FALCO_OK) {
            free(*cfg);
            free(*str);
            *cfg = NULL;
            *str = NULL;
            return falco_error(p, rc, "%s", err);
        }
        return FALCO_OK;
    }
    *str = dup_string(text);
    if (!*str)
        return falco_error(p, FALCO_ENOMEM, "config: out of memory");
    return FALCO_OK;
}

static void release_config(const falco_plugin_decl *d, void *cfg, char *str) {
    if (cfg) {
        falco_config_release(d->config, cfg);
        free(cfg);
    }
    free(str);
}

/* Per-state setup of the capabilities beyond source and extract, through the
 * hooks their macros set (a plugin links only what it declares). */
static falco_rc attach_capabilities(falco_plugin *p) {
    const falco_plugin_decl *d = p->decl;
    if (d->falco__parse->falco__present)
        FALCO_TRY(d->falco__parse->falco__fns.attach(p));
    if (d->falco__async->falco__present)
        FALCO_TRY(d->falco__async->falco__fns.attach(p));
    if (d->falco__listen->falco__present)
        FALCO_TRY(d->falco__listen->falco__fns.attach(p));
    return FALCO_OK;
}

falco_abi_plugin_t *falco__base_init(const falco_plugin_decl *d, const falco_abi_init_input *in, falco_abi_rc *rc) {
    falco_plugin *p = calloc(1, sizeof *p);
    if (!p) {
        *rc = FALCO_ABI_RC_FAILURE;
        return NULL;
    }
    p->decl = d;
    falco__begin_call(p, &p->misc_arena);
    falco__extract_init(p);
    p->rt = falco__runtime_get(d);
    if (!p->rt) {
        falco_error(p, FALCO_ENOMEM, "plugin init: out of memory");
        *rc = FALCO_ABI_RC_FAILURE;
        return p;
    }
    if (p->rt->decl_error[0]) {
        falco_error(p, FALCO_EINVAL, "%s", p->rt->decl_error);
        *rc = FALCO_ABI_RC_FAILURE;
        return p;
    }
    if (!in) {
        falco_error(p, FALCO_EINVAL, "plugin init: the host passed no init input");
        *rc = FALCO_ABI_RC_FAILURE;
        return p;
    }
    falco__extract_ready(p);
    p->owner = in->owner;
    p->get_owner_last_error = in->get_owner_last_error;
    /* log_fn exists in the init input of hosts from API 3.4 on only. */
    if (p->rt->api_minor >= 4)
        p->log_fn = in->log_fn;
    falco_rc r = decode_config(p, in->config, &p->config, &p->config_str);
    if (r == FALCO_OK && d->state_size) {
        p->state = p->extract.head.state = calloc(1, d->state_size);
        p->state_from_sdk = true;
        if (!p->state)
            r = falco_error(p, FALCO_ENOMEM, "plugin init: out of memory for the state (%zu bytes)",
                            d->state_size);
    }
    if (r == FALCO_OK)
        r = attach_capabilities(p);
    /* State tables: exported ones registered, imports resolved, before the
     * author's init (which may use them: the init phase grants everything). */
    const struct falco__tables_hooks *th = falco__tables_hooks_of(d);
    if (r == FALCO_OK && th) {
        r = th->attach(p, in->tables);
        if (r == FALCO_OK && d->falco__extract->falco__present)
            th->extract_ready(p);
    }
    /* From here the author's state is live: .destroy is due, with or without .init. */
    p->init_called = r == FALCO_OK;
    if (r == FALCO_OK && d->init) {
        r = d->init(p, p->state);
        if (r != FALCO_OK)
            falco__default_error(p, r, "plugin init", NULL);
    }
    if (r == FALCO_OK && d->falco__parse->falco__present)
        r = d->falco__parse->falco__fns.ready(p); /* event types chosen by the state */
    if (p->tables)
        falco__tables_leave(p);
    *rc = r == FALCO_OK ? FALCO_ABI_RC_SUCCESS : FALCO_ABI_RC_FAILURE;
    return p;
}

void falco__base_destroy(const falco_plugin_decl *d, falco_abi_plugin_t *s) {
    falco_plugin *p = s;
    if (!p)
        return;
    /* Async workers and routines use the author's state: stop them first. */
    if (d->falco__async->falco__present && p->async)
        d->falco__async->falco__fns.detach(p);
    if (d->falco__listen->falco__present && p->listen)
        d->falco__listen->falco__fns.detach(p);
    if (p->init_called && d->destroy)
        d->destroy(p, p->state);
    if (d->falco__parse->falco__present && p->parse)
        d->falco__parse->falco__fns.detach(p);
    if (p->tables)
        falco__tables_hooks_of(d)->detach(p);
    if (p->state_from_sdk)
        free(p->state);
    release_config(d, p->config, p->config_str);
    falco__extract_free(p);
    falco__arena_free(&p->misc_arena);
    falco__arena_free(&p->params_arena);
    falco__arena_free(&p->metrics_arena);
    falco__strbuf_free(&p->progress_text);
    falco__strbuf_free(&p->event_text);
    free(p->metrics);
    free(p);
}

falco_abi_rc falco__base_set_config(falco_abi_plugin_t *s, const falco_abi_set_config_input *in) {
    falco_plugin *p = s;
    const falco_plugin_decl *d = p->decl;
    falco__begin_call(p, &p->misc_arena);
    if (!d->reconfigure) {
        falco_error(p, FALCO_NOT_SUPPORTED, "plugin '%s' does not support changing its config after init",
                    d->name);
        return FALCO_ABI_RC_NOT_SUPPORTED;
    }
    void *cfg;
    char *str;
    falco_rc r = decode_config(p, in ? in->config : NULL, &cfg, &str);
    if (r != FALCO_OK)
        return falco__to_abi_rc(r);
    r = d->reconfigure(p, p->state, cfg);
    if (r != FALCO_OK) {
        release_config(d, cfg, str);
        falco__default_error(p, r, "set_config", NULL);
        return falco__to_abi_rc(r);
    }
    release_config(d, p->config, p->config_str);
    p->config = cfg;
    p->config_str = str;
    return FALCO_ABI_RC_SUCCESS;
}

const char *falco__base_event_schema_version(falco_abi_plugin_t *s) {
    falco_plugin *p = s;
    if (!p || !p->rt || !p->rt->syscall_events)
        return NULL;
    return falco__event_schema_version();
}

void falco__fill_api(const falco_plugin_decl *d, falco_abi_plugin_api *out) {
    memset(out, 0, sizeof *out);
    const falco__base_fns *b = &d->falco__fns;
    out->get_required_api_version = b->get_required_api_version;
    out->get_init_schema = b->get_init_schema;
    out->init = b->init;
    out->destroy = b->destroy;
    out->get_last_error = b->get_last_error;
    out->get_name = b->get_name;
    out->get_description = b->get_description;
    out->get_contact = b->get_contact;
    out->get_version = b->get_version;
    out->set_config = b->set_config;
    out->get_metrics = b->get_metrics;
    out->get_required_event_schema_version = b->get_required_event_schema_version;
    if (d->falco__source->falco__present) {
        const falco__source_fns *f = &d->falco__source->falco__fns;
        out->get_id = f->get_id;
        out->get_event_source = f->get_event_source;
        out->open = f->open;
        out->close = f->close;
        out->list_open_params = f->list_open_params;
        out->get_progress = f->get_progress;
        out->event_to_string = f->event_to_string;
        out->next_batch = f->next_batch;
    }
    if (d->falco__extract->falco__present) {
        const falco__extract_fns *f = &d->falco__extract->falco__fns;
        out->get_extract_event_types = f->get_extract_event_types;
        out->get_extract_event_sources = f->get_extract_event_sources;
        out->get_fields = f->get_fields;
        out->extract_fields = f->extract_fields;
    }
    if (d->falco__parse->falco__present) {
        const falco__parse_fns *f = &d->falco__parse->falco__fns;
        out->get_parse_event_types = f->get_parse_event_types;
        out->get_parse_event_sources = f->get_parse_event_sources;
        out->parse_event = f->parse_event;
    }
    if (d->falco__async->falco__present) {
        const falco__async_fns *f = &d->falco__async->falco__fns;
        out->get_async_event_sources = f->get_async_event_sources;
        out->get_async_events = f->get_async_events;
        out->set_async_event_handler = f->set_async_event_handler;
        /* A static plugin's struct has this member from API 3.10 on only. */
        if (d->falco__async->dump_state)
            out->dump_state = f->dump_state;
    }
    if (d->falco__listen->falco__present) {
        const falco__listen_fns *f = &d->falco__listen->falco__fns;
        out->capture_open = f->capture_open;
        out->capture_close = f->capture_close;
    }
}
