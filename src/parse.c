/* The parse capability: the event-type and source getters answered from the
 * declaration, and parse_event dispatching to the author's callback with the
 * plugin's state and a per-call handle that carries the call's table
 * vtables (state tables, table_import.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <falco/event_table.h>

#include "internal.h"

struct falco_parse {
    falco_plugin *p;
    const falco_abi_event_parse_input *in; /* the host's input of the current call */
    bool chosen;                           /* .choose_event_types answered: types below */
    uint16_t *types;                       /* NULL with 0: every type */
    uint32_t ntypes;
};

falco_rc falco__parse_attach(falco_plugin *p) {
    p->parse = calloc(1, sizeof *p->parse);
    if (!p->parse)
        return falco_error(p, FALCO_ENOMEM, "plugin init: out of memory (parse)");
    p->parse->p = p;
    return FALCO_OK;
}

void falco__parse_detach(falco_plugin *p) {
    free(p->parse->types);
    free(p->parse);
    p->parse = NULL;
}

/* Why code cannot be declared, or NULL: it must be an event of the table
 * compiled into the SDK (the host's event schema), and a used one. */
const char *falco__event_code_problem(uint16_t code) {
    const falco_evt_info *info = falco_evt_table_get(code);
    if (!info)
        return "not an event code of event schema " FALCO_EVT_SCHEMA_VERSION;
    if (info->flags & FALCO_EF_UNUSED)
        return "an unused event code";
    return NULL;
}

/* After init: the types this state chose, checked like declared ones. */
falco_rc falco__parse_ready(falco_plugin *p) {
    const falco_parse_decl *pd = p->decl->falco__parse;
    if (!pd->choose_event_types)
        return FALCO_OK;
    falco_event_type_list l = pd->choose_event_types(p, p->state);
    if (l.count && !l.items)
        return falco_error(p, FALCO_EINVAL, "plugin '%s': FALCO_PARSE .choose_event_types returned a count but no items",
                           p->decl->name);
    if (l.count > UINT16_MAX)
        return falco_error(p, FALCO_EINVAL, "plugin '%s': FALCO_PARSE .choose_event_types returned %zu types",
                           p->decl->name, l.count);
    for (size_t i = 0; i < l.count; i++) {
        const char *why = falco__event_code_problem(l.items[i]);
        if (why)
            return falco_error(p, FALCO_EINVAL, "plugin '%s': FALCO_PARSE .choose_event_types returned [%zu] = %u: %s",
                               p->decl->name, i, (unsigned)l.items[i], why);
        for (size_t j = 0; j < i; j++)
            if (l.items[j] == l.items[i])
                return falco_error(p, FALCO_EINVAL,
                                   "plugin '%s': FALCO_PARSE .choose_event_types returned [%zu] = %u twice ([%zu])",
                                   p->decl->name, i, (unsigned)l.items[i], j);
    }
    falco_parse *ps = p->parse;
    if (l.count) {
        if (!(ps->types = malloc(l.count * sizeof *ps->types)))
            return falco_error(p, FALCO_ENOMEM, "plugin init: out of memory (parse event types)");
        memcpy(ps->types, l.items, l.count * sizeof *ps->types);
    }
    ps->ntypes = (uint32_t)l.count;
    ps->chosen = true;
    return FALCO_OK;
}

uint16_t *falco__parse_event_types(const falco_plugin_decl *d, falco_abi_plugin_t *s, uint32_t *n) {
    falco_plugin *p = s;
    if (p && p->parse && p->parse->chosen) {
        *n = p->parse->ntypes;
        return p->parse->types;
    }
    falco__runtime *rt = falco__runtime_get(d);
    if (!rt || !rt->parse_types) {
        *n = 0; /* all types (.all_event_types), or an invalid declaration init reports */
        return NULL;
    }
    *n = rt->num_parse_types;
    return rt->parse_types;
}

const char *falco__parse_event_sources(const falco_plugin_decl *d) {
    falco__runtime *rt = falco__runtime_get(d);
    return rt ? rt->parse_sources_json : NULL;
}

falco_abi_rc falco__parse_event(falco_abi_plugin_t *s, const falco_abi_event_input *evt,
                                const falco_abi_event_parse_input *in) {
    falco_plugin *p = s;
    if (!p || !p->parse)
        return FALCO_ABI_RC_FAILURE; /* init failed: nothing to parse with */
    falco__begin_call(p, &p->misc_arena);
    if (!evt || !evt->evt) {
        falco_error(p, FALCO_EINVAL, "parse_event: the host passed no event");
        return FALCO_ABI_RC_FAILURE;
    }
    falco_parse *ps = p->parse;
    ps->in = in;
    if (p->tables) /* state tables: read and write while parsing */
        falco__tables_enter(p, in ? in->table_reader_ext : NULL, in ? in->table_writer_ext : NULL, FALCO__TPHASE_RW);
    falco_rc rc = p->decl->falco__parse->parse(ps, p->state, evt);
    if (p->tables)
        falco__tables_leave(p);
    ps->in = NULL;
    if (rc == FALCO_OK)
        return FALCO_ABI_RC_SUCCESS;
    falco__default_error(p, rc, "parse_event", evt->evt);
    return falco__to_abi_rc(rc);
}

falco_plugin *falco_parse_plugin(const falco_parse *ps) {
    return ps->p;
}

void *falco_parse_state(const falco_parse *ps) {
    return ps->p->state;
}

falco_rc falco_parse_error(falco_parse *ps, falco_rc rc, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    falco__handle_verror(ps->p, rc, "parse: ", false, fmt, ap);
    va_end(ap);
    return rc;
}

const falco_abi_table_reader_vtable_ext *falco_parse_table_reader(const falco_parse *ps) {
    return ps->in ? ps->in->table_reader_ext : NULL;
}

const falco_abi_table_writer_vtable_ext *falco_parse_table_writer(const falco_parse *ps) {
    return ps->in ? ps->in->table_writer_ext : NULL;
}
