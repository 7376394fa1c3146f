/*
 * source.c - the event sourcing capability driven like libscap's source
 * plugin engine: open, batches from next_batch, per-event checks, close,
 * progress and list_open_params.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "host_internal.h"

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

falco_rc falco_host_open(falco_host_plugin *p, const char *params, falco_host_instance **out)
{
    *out = NULL;
    if (!p->inited)
        return falco__host_err(p, FALCO_EMISUSE, "open", "plugin capability used before init");
    if (!(p->caps & FALCO_HOST_CAP_SOURCE))
        return falco__host_err(p, FALCO_EMISUSE, "open", "plugin has no event sourcing capability");
    if (p->instance)
        return falco__host_err(p, FALCO_EMISUSE, "open", "an instance is already open: close it first");
    falco_host_instance *in = calloc(1, sizeof *in);
    if (!in)
        return falco__host_err(p, FALCO_ENOMEM, "open", "out of memory");
    falco_abi_rc rc = FALCO_ABI_RC_FAILURE; /* a plugin that sets no rc has failed */
    in->plugin = p;
    in->handle = p->api.open(p->state, params ? params : "", &rc);
    if (rc != FALCO_ABI_RC_SUCCESS) {
        free(in);
        return falco__host_err_plugin(p, FALCO_ERROR, "open", "failed with %s (params '%s')", falco__host_rc_str(rc).s,
                                      params ? params : "");
    }
    in->batch_rc = FALCO_ABI_RC_SUCCESS;
    p->instance = in;
    *out = in;
    return FALCO_OK;
}

void falco_host_close(falco_host_instance *in)
{
    if (!in)
        return;
    falco_host_plugin *p = in->plugin;
    p->api.close(p->state, in->handle);
    p->instance = NULL;
    free(in);
}

/* Turns a non-SUCCESS batch code into the host's result. */
static falco_rc batch_end(falco_host_instance *in, falco_abi_rc rc)
{
    falco_host_plugin *p = in->plugin;
    if (rc == FALCO_ABI_RC_TIMEOUT)
        return FALCO_TIMEOUT;
    if (rc == FALCO_ABI_RC_EOF) {
        in->eof = true;
        return FALCO_EOF;
    }
    in->failed = true;
    return falco__host_err_plugin(p, FALCO_ERROR, "next_batch", "failed with %s", falco__host_rc_str(rc).s);
}

static falco_rc fetch_batch(falco_host_instance *in)
{
    falco_host_plugin *p = in->plugin;
    /* Events that came with TIMEOUT/EOF/FAILURE were delivered: now the code. */
    if (in->batch_rc != FALCO_ABI_RC_SUCCESS) {
        falco_abi_rc rc = in->batch_rc;
        in->batch_rc = FALCO_ABI_RC_SUCCESS;
        return batch_end(in, rc);
    }
    uint32_t n = 0;
    falco_abi_event **evts = NULL;
    falco_abi_rc rc = p->api.next_batch(p->state, in->handle, &n, &evts);
    in->batch_count = 0;
    in->batch_pos = 0;
    if (n == 0) {
        if (rc == FALCO_ABI_RC_SUCCESS) {
            in->failed = true;
            return falco__host_err(p, FALCO_ERROR, "next_batch", "returned SUCCESS with 0 events");
        }
        return batch_end(in, rc);
    }
    if (!evts) {
        in->failed = true;
        return falco__host_err(p, FALCO_EPARSE, "next_batch", "returned %u events but a NULL event array", n);
    }
    in->batch = evts;
    in->batch_count = n;
    in->batch_rc = rc;
    return FALCO_OK;
}

/* libscap's per-event checks and the fields it writes into plugin memory. */
static falco_rc check_event(falco_host_instance *in, falco_abi_event *evt, uint32_t idx)
{
    falco_host_plugin *p = in->plugin;
    char why[512];
    if (!evt)
        return falco__host_err(p, FALCO_EPARSE, "next_batch", "event #%u of the batch is NULL", idx);
    uint32_t len;
    memcpy(&len, (uint8_t *)evt + 16, 4);
    if (falco_host_event_validate(evt, len < sizeof *evt ? sizeof *evt : len, why, sizeof why) != FALCO_OK)
        return falco__host_err(p, FALCO_EPARSE, "next_batch", "event #%u of the batch (evtnum %llu): %s", idx,
                               (unsigned long long)in->evtnum + 1, why);
    uint16_t type;
    uint32_t nparams;
    memcpy(&type, (uint8_t *)evt + 20, 2);
    memcpy(&nparams, (uint8_t *)evt + 22, 4);
    uint8_t *idp = (uint8_t *)evt + sizeof *evt + 8;
    if (p->id != 0) {
        if (type != FALCO_ABI_EVENT_PLUGIN || nparams != 2)
            return falco__host_err(p, FALCO_EPARSE, "next_batch",
                                   "malformed plugin event #%u: type %u with %u params, a plugin with an id may "
                                   "only produce type 322 events with 2 params",
                                   idx, type, nparams);
        uint32_t id;
        memcpy(&id, idp, 4);
        if (id == 0) {
            memcpy(idp, &p->id, 4);
        } else if (id != p->id) {
            return falco__host_err(p, FALCO_EPARSE, "next_batch",
                                   "unexpected plugin ID in plugin event #%u: expected_id=%u, actual_id=%u", idx,
                                   p->id, id);
        }
    }
    if (type == FALCO_ABI_EVENT_PLUGIN) {
        uint32_t id;
        memcpy(&id, idp, 4);
        if (id == 0)
            return falco__host_err(p, FALCO_EPARSE, "next_batch", "malformed plugin event #%u produced by plugin (no ID)",
                                   idx);
        uint64_t tid = (uint64_t)-1;
        memcpy((uint8_t *)evt + 8, &tid, 8);
    }
    uint64_t ts;
    memcpy(&ts, evt, 8);
    if (ts == UINT64_MAX) {
        ts = now_ns();
        memcpy(evt, &ts, 8);
    }
    return FALCO_OK;
}

falco_rc falco_host_next(falco_host_instance *in, const falco_abi_event **evt)
{
    *evt = NULL;
    falco_host_plugin *p = in->plugin;
    if (in->failed)
        return falco__host_err(p, FALCO_EMISUSE, "next_batch", "instance failed earlier: close it");
    if (in->eof)
        return FALCO_EOF;
    while (in->batch_pos >= in->batch_count)
        FALCO_TRY(fetch_batch(in));
    uint32_t idx = in->batch_pos++;
    falco_rc rc = check_event(in, in->batch[idx], idx);
    if (rc != FALCO_OK) {
        in->failed = true;
        return rc;
    }
    in->evtnum++;
    *evt = in->batch[idx];
    return FALCO_OK;
}

uint64_t falco_host_instance_evtnum(const falco_host_instance *in)
{
    return in ? in->evtnum : 0;
}

falco_host_plugin *falco_host_instance_plugin(const falco_host_instance *in)
{
    return in ? in->plugin : NULL;
}

falco_rc falco_host_progress(falco_host_instance *in, uint32_t *pct, const char **str)
{
    falco_host_plugin *p = in->plugin;
    *pct = 0;
    if (str)
        *str = "";
    if (!p->api.get_progress)
        return FALCO_NOT_SUPPORTED;
    uint32_t v = 0;
    const char *s = p->api.get_progress(p->state, in->handle, &v);
    if (v > 10000)
        return falco__host_err(p, FALCO_ERANGE, "get_progress", "progress %u is above 10000 (100.00%%)", v);
    *pct = v;
    if (str && s)
        *str = s;
    return FALCO_OK;
}

static falco_rc params_string(falco_host_plugin *p, const falco_json_value *item, const char *key, size_t i,
                              const char **out)
{
    const falco_json_value *v = falco_json_member(item, key);
    *out = "";
    if (!v || falco_json_type_of(v) == FALCO_JSON_NULL)
        return FALCO_OK;
    if (!(*out = falco_json_string(v, NULL)))
        return falco__host_err(p, FALCO_EPARSE, "list_open_params", "entry #%zu: %s is not a string", i, key);
    return FALCO_OK;
}

falco_rc falco_host_list_open_params(falco_host_plugin *p, const falco_host_open_param **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!p->inited)
        return falco__host_err(p, FALCO_EMISUSE, "list_open_params", "plugin capability used before init");
    if (!p->api.list_open_params)
        return FALCO_OK;
    falco_abi_rc rc = FALCO_ABI_RC_FAILURE;
    const char *text = p->api.list_open_params(p->state, &rc);
    if (rc != FALCO_ABI_RC_SUCCESS)
        return falco__host_err_plugin(p, FALCO_ERROR, "list_open_params", "failed with %s", falco__host_rc_str(rc).s);
    if (!text || !text[0])
        return FALCO_OK;
    free(p->open_params);
    p->open_params = NULL;
    p->open_param_count = 0;
    if (!p->open_params_doc && !(p->open_params_doc = falco_json_doc_new()))
        return falco__host_err(p, FALCO_ENOMEM, "list_open_params", "out of memory");
    falco_json_error jerr;
    const falco_json_value *root = falco_json_parse(p->open_params_doc, text, strlen(text), &jerr);
    if (!root)
        return falco__host_err(p, FALCO_EPARSE, "list_open_params", "returned invalid JSON: %s at offset %zu",
                               jerr.message, jerr.offset);
    if (falco_json_type_of(root) != FALCO_JSON_ARRAY)
        return falco__host_err(p, FALCO_EPARSE, "list_open_params", "returned a non-array JSON (%s)",
                               falco_json_type_name(falco_json_type_of(root)));
    size_t count = falco_json_size(root);
    if (!count)
        return FALCO_OK;
    falco_host_open_param *params = calloc(count, sizeof *params);
    if (!params)
        return falco__host_err(p, FALCO_ENOMEM, "list_open_params", "out of memory");
    for (size_t i = 0; i < count; i++) {
        const falco_json_value *item = falco_json_at(root, i);
        falco_rc r = FALCO_OK;
        if (falco_json_type_of(item) != FALCO_JSON_OBJECT)
            r = falco__host_err(p, FALCO_EPARSE, "list_open_params", "entry #%zu is not an object", i);
        if (r == FALCO_OK)
            r = params_string(p, item, "value", i, &params[i].value);
        if (r == FALCO_OK && !params[i].value[0])
            r = falco__host_err(p, FALCO_EPARSE, "list_open_params", "entry #%zu has no value", i);
        if (r == FALCO_OK)
            r = params_string(p, item, "desc", i, &params[i].desc);
        if (r == FALCO_OK)
            r = params_string(p, item, "separator", i, &params[i].separator);
        if (r != FALCO_OK) {
            free(params);
            return r;
        }
    }
    p->open_params = params;
    p->open_param_count = count;
    *out = params;
    *n = count;
    return FALCO_OK;
}
