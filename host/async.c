/*
 * async.c - parse_event, async events (handler callable from any thread),
 * dump_state, capture listening and the routines a listener subscribes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_internal.h"

static bool event_matches(falco_host_plugin *p, const char *call, const falco_abi_event_input *evt,
                          const falco__host_strlist *sources, const falco__host_codes *codes, falco_rc *rc)
{
    char why[512];
    uint16_t type;
    if (!evt || !evt->evt) {
        *rc = falco__host_err(p, FALCO_EINVAL, call, "NULL event");
        return false;
    }
    memcpy(&type, (const uint8_t *)evt->evt + 20, 2);
    if (falco__host_event_check(evt->evt, why, sizeof why) != FALCO_OK) {
        *rc = falco__host_err(p, FALCO_EPARSE, call, "%s", why);
        return false;
    }
    const char *src = evt->evtsrc ? evt->evtsrc : (p->event_source[0] ? p->event_source : NULL);
    if (!falco__host_source_compatible(sources, src)) {
        *rc = falco__host_err(p, FALCO_NOT_SUPPORTED, call, "plugin does not take events of source '%s'",
                              src ? src : "(none)");
        return false;
    }
    if (!falco__host_codes_have(codes, type)) {
        *rc = falco__host_err(p, FALCO_NOT_SUPPORTED, call, "plugin does not take events of type %u", type);
        return false;
    }
    return true;
}

falco_rc falco_host_parse(falco_host_plugin *p, const falco_abi_event_input *evt)
{
    falco_rc rc = FALCO_OK;
    if (!p->inited || !(p->caps & FALCO_HOST_CAP_PARSE))
        return falco__host_err(p, FALCO_EMISUSE, "parse_event",
                               p->inited ? "plugin has no event parsing capability" : "plugin capability used before init");
    if (!event_matches(p, "parse_event", evt, &p->parse_sources, &p->parse_codes, &rc))
        return rc;
    falco_abi_event_parse_input in;
    memset(&in, 0, sizeof in);
    in.owner = p;
    in.get_owner_last_error = falco__host_owner_last_error;
    /* p's own vtables, valid as long as p: plugins may keep the pointers */
    in.table_reader_ext = falco__host_reader_for(p, &in.table_reader);
    in.table_writer_ext = falco__host_writer_for(p, &in.table_writer);
    falco_abi_event_input ev = *evt;
    if (!ev.evtsrc)
        ev.evtsrc = p->event_source;
    falco_abi_rc prc = p->api.parse_event(p->state, &ev, &in);
    falco__host_tables_phase_end(); /* the write window closes with the call */
    if (prc != FALCO_ABI_RC_SUCCESS) {
        /* libsinsp ignores it; we say it, and let the caller see it. */
        falco__host_err_plugin(p, FALCO_ERROR, "parse_event", "failed on event %llu with %s",
                               (unsigned long long)evt->evtnum, falco__host_rc_str(prc).s);
        falco__host_log(p, FALCO_ABI_LOG_ERROR, "%s", p->err);
        return FALCO_ERROR;
    }
    return FALCO_OK;
}

/* Checks an event a plugin hands to an async/dump handler; NULL when good. */
static const char *check_async_event(falco_host_plugin *p, const falco_abi_event *e, char *why, size_t size)
{
    if (!e) {
        snprintf(why, size, "NULL async event produced by plugin: %s", falco__host_label(p));
        return why;
    }
    uint16_t type;
    uint32_t nparams;
    memcpy(&type, (const uint8_t *)e + 20, 2);
    memcpy(&nparams, (const uint8_t *)e + 22, 4);
    if (type != FALCO_ABI_EVENT_ASYNC || nparams != 3) {
        snprintf(why, size, "malformed async event produced by plugin: %s (type %u, %u params)",
                 falco__host_label(p), type, nparams);
        return why;
    }
    char detail[400];
    if (falco__host_event_check(e, detail, sizeof detail) != FALCO_OK) {
        snprintf(why, size, "malformed async event produced by plugin: %s: %s", falco__host_label(p), detail);
        return why;
    }
    const char *name = (const char *)e + sizeof(falco_abi_event) + 16;
    if (!falco__host_strlist_has(&p->async_events, name)) {
        snprintf(why, size, "incompatible async event '%s' produced by plugin: %s", name, falco__host_label(p));
        return why;
    }
    return NULL;
}

static falco_abi_rc reject(falco_host_plugin *p, const char *why, char *err)
{
    atomic_fetch_add(&p->async_rejected, 1);
    if (err)
        snprintf(err, FALCO_ABI_MAX_ERRLEN, "%s", why);
    falco__host_log(p, FALCO_ABI_LOG_ERROR, "%s", why);
    return FALCO_ABI_RC_FAILURE;
}

/* May run on any plugin thread: reads only what is constant after load and
 * the atomic handler pointer. */
static falco_abi_rc async_cb(falco_abi_owner_t *o, const falco_abi_event *e, char *err)
{
    falco_host_plugin *p = o;
    char why[FALCO_ABI_MAX_ERRLEN];
    if (!p)
        return FALCO_ABI_RC_FAILURE;
    if (!(p->caps & FALCO_HOST_CAP_ASYNC))
        return reject(p, "plugin without async events cap used as async handler", err);
    falco__host_async *h = atomic_load(&p->async);
    if (!h) {
        snprintf(why, sizeof why, "async event sent with NULL handler: %s", falco__host_label(p));
        return reject(p, why, err);
    }
    if (check_async_event(p, e, why, sizeof why))
        return reject(p, why, err);
    if (h->accept && h->accept(h->userdata, p, e, why, sizeof why))
        return reject(p, why, err);
    if (h->fn)
        h->fn(h->userdata, p, e);
    return FALCO_ABI_RC_SUCCESS;
}

falco_rc falco_host_set_async_handler(falco_host_plugin *p, falco_host_async_fn fn, void *userdata)
{
    return falco__host_install_async(p, fn, NULL, userdata);
}

falco_rc falco__host_install_async(falco_host_plugin *p, falco_host_async_fn fn, falco__host_async_accept_fn accept,
                                   void *userdata)
{
    bool set = fn || accept;
    if (!p->inited)
        return falco__host_err(p, FALCO_EMISUSE, "set_async_event_handler", "plugin capability used before init");
    if (!(p->caps & FALCO_HOST_CAP_ASYNC))
        return falco__host_err(p, FALCO_EMISUSE, "set_async_event_handler", "plugin has no async events capability");
    falco__host_async *cur = atomic_load(&p->async);
    falco__host_async *next = NULL;
    if (set) {
        if (cur)
            return falco__host_err(p, FALCO_EMISUSE, "set_async_event_handler",
                                   "must reset the async event handler before setting a new one");
        if (!(next = malloc(sizeof *next)))
            return falco__host_err(p, FALCO_ENOMEM, "set_async_event_handler", "out of memory");
        next->fn = fn;
        next->accept = accept;
        next->userdata = userdata;
        /* Visible before the plugin can start threads that send events. */
        atomic_store(&p->async, next);
    }
    falco_abi_rc rc = p->api.set_async_event_handler(p->state, p, set ? async_cb : NULL);
    if (rc != FALCO_ABI_RC_SUCCESS) {
        if (next) {
            atomic_store(&p->async, cur);
            free(next);
        }
        return falco__host_err_plugin(p, FALCO_ERROR, "set_async_event_handler", "failed with %s",
                                      falco__host_rc_str(rc).s);
    }
    if (!set && cur) {
        /* The plugin stopped its senders before returning. */
        atomic_store(&p->async, NULL);
        free(cur);
    }
    return FALCO_OK;
}

uint64_t falco_host_async_rejected(const falco_host_plugin *p)
{
    return atomic_load(&((falco_host_plugin *)p)->async_rejected);
}

void falco__host_async_free(falco_host_plugin *p)
{
    free(atomic_load(&p->async));
    atomic_store(&p->async, NULL);
}

static falco_abi_rc dump_cb(falco_abi_owner_t *o, const falco_abi_event *e, char *err)
{
    falco_host_plugin *p = o;
    char why[FALCO_ABI_MAX_ERRLEN];
    if (!p || !p->dump.fn)
        return FALCO_ABI_RC_FAILURE;
    if (check_async_event(p, e, why, sizeof why))
        return reject(p, why, err);
    p->dump.fn(p->dump.userdata, p, e);
    return FALCO_ABI_RC_SUCCESS;
}

falco_rc falco_host_dump_state(falco_host_plugin *p, falco_host_async_fn fn, void *userdata)
{
    if (!p->inited)
        return falco__host_err(p, FALCO_EMISUSE, "dump_state", "plugin capability used before init");
    if (!p->api.dump_state)
        return falco__host_err(p, FALCO_NOT_SUPPORTED, "dump_state", "plugin does not implement dump_state");
    if (!fn)
        return falco__host_err(p, FALCO_EINVAL, "dump_state", "NULL handler");
    p->dump.fn = fn;
    p->dump.userdata = userdata;
    falco_abi_rc rc = p->api.dump_state(p->state, p, dump_cb);
    p->dump.fn = NULL;
    if (rc != FALCO_ABI_RC_SUCCESS)
        return falco__host_err_plugin(p, FALCO_ERROR, "dump_state", "failed with %s, dump aborted",
                                      falco__host_rc_str(rc).s);
    return FALCO_OK;
}

/* ---- capture listening ---- */

static falco_abi_routine_t *subscribe(falco_abi_owner_t *o, falco_abi_routine_fn fn, falco_abi_routine_state_t *s)
{
    falco_host_plugin *p = o;
    if (!p || !fn) {
        if (p)
            snprintf(p->owner_err, sizeof p->owner_err, "subscribe: NULL routine function");
        return NULL;
    }
    if (p->session)
        return falco__host_session_subscribe(p, fn, s);
    falco__host_routine *r = realloc(p->routines, (p->routine_count + 1) * sizeof *r);
    if (!r) {
        snprintf(p->owner_err, sizeof p->owner_err, "subscribe: out of memory");
        return NULL;
    }
    p->routines = r;
    r[p->routine_count].fn = fn;
    r[p->routine_count].state = s;
    r[p->routine_count].active = true;
    p->routine_count++;
    /* Handles are index + 1: never NULL, stable across reallocs. */
    return (falco_abi_routine_t *)(uintptr_t)p->routine_count;
}

static falco_abi_rc unsubscribe(falco_abi_owner_t *o, falco_abi_routine_t *h)
{
    falco_host_plugin *p = o;
    uintptr_t i = (uintptr_t)h;
    if (p && p->session)
        return falco__host_session_unsubscribe(p, h);
    if (!p || i == 0 || i > p->routine_count || !p->routines[i - 1].active) {
        if (p)
            snprintf(p->owner_err, sizeof p->owner_err, "unsubscribe: unknown routine handle");
        return FALCO_ABI_RC_FAILURE;
    }
    p->routines[i - 1].active = false;
    return FALCO_ABI_RC_SUCCESS;
}

static falco_rc listen_call(falco_host_plugin *p, bool open)
{
    const char *call = open ? "capture_open" : "capture_close";
    if (!p->inited)
        return falco__host_err(p, FALCO_EMISUSE, call, "plugin capability used before init");
    if (!(p->caps & FALCO_HOST_CAP_LISTEN))
        return falco__host_err(p, FALCO_NOT_SUPPORTED, call, "plugin has no capture listening capability");
    if (!p->vt.routines_ready) { /* once: a routine may keep the vtable as long as p lives */
        p->vt.routines = (falco_abi_routine_vtable){ subscribe, unsubscribe };
        p->vt.routines_ready = true;
    }
    falco_abi_capture_listen_input in = { p, &p->vt.routines, falco__host_reader_for(p, NULL),
                                          falco__host_writer_for(p, NULL), falco__host_owner_last_error };
    falco_abi_rc rc = open ? p->api.capture_open(p->state, &in) : p->api.capture_close(p->state, &in);
    falco__host_tables_phase_end(); /* the window closes with the call */
    if (rc != FALCO_ABI_RC_SUCCESS)
        return falco__host_err_plugin(p, FALCO_ERROR, call, "failed with %s", falco__host_rc_str(rc).s);
    return FALCO_OK;
}

falco_rc falco_host_capture_open(falco_host_plugin *p)
{
    return listen_call(p, true);
}

falco_rc falco_host_capture_close(falco_host_plugin *p)
{
    return listen_call(p, false);
}

size_t falco_host_run_routines(falco_host_plugin *p)
{
    size_t left = 0;
    /* By index: a routine may subscribe another one (realloc). */
    for (size_t i = 0; i < p->routine_count; i++) {
        if (!p->routines[i].active)
            continue;
        falco__host_routine r = p->routines[i];
        if (!r.fn(p->state, r.state))
            p->routines[i].active = false;
        else
            left++;
    }
    return left;
}
