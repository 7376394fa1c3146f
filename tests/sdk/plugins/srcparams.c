/*
 * srcparams - a source with declarative open parameters and an .open that
 * allocates its instance itself (FALCO_INSTANCE_BY_OPEN). Each capture emits
 * one event carrying the "path" parameter as text, then the numbers
 * range.lo..range.hi, at most "batch" per batch. Open params "noinst" make
 * .open return FALCO_OK without an instance (a bug the SDK must catch).
 */
#include <stdlib.h>
#include <string.h>

#include <falco/plugin.h>

typedef struct {
    uint64_t lo, hi;
} sp_range;

typedef struct {
    char *path;
    uint32_t batch;
    bool verbose;
    sp_range range;
} sp_params;

typedef struct {
    uint64_t opens, closes, params_outside_open, wrong_batch_params;
} sp_state;

typedef struct {
    const sp_params *params; /* the SDK's, valid until close */
    uint64_t next;
    bool path_sent;
} sp_instance;

static const falco_config_option sp_range_options[] = {
    FALCO_CONFIG_U64(sp_range, lo, "lo", .def = 1),
    FALCO_CONFIG_U64(sp_range, hi, "hi", .def = 3),
};

static const falco_config_option sp_options[] = {
    FALCO_CONFIG_STRING(sp_params, path, "path", .def_str = "/dev/null", .desc = "text of the first event"),
    FALCO_CONFIG_U32(sp_params, batch, "batch", .def = 4, .min = 1, .max = 512, .desc = "events per batch"),
    FALCO_CONFIG_BOOL(sp_params, verbose, "verbose"),
    FALCO_CONFIG_OBJECT(sp_params, range, "range", sp_range_options),
};

static const falco_open_param sp_suggestions[] = {
    {.value = "/var/log/app.log", .desc = "a path (plain form)"},
    {.value = "{\"batch\": 2, \"range\": {\"lo\": 10, \"hi\": 12}}", .desc = "JSON form"},
};

static falco_rc sp_open(falco_plugin *p, const char *params, void **instance) {
    sp_state *st = falco_plugin_state(p);
    const sp_params *op = falco_source_params(p);
    if (!op)
        return falco_error(p, FALCO_EINVAL, "no decoded open params in open");
    if (*instance)
        return falco_error(p, FALCO_EINVAL, "FALCO_INSTANCE_BY_OPEN gave a block");
    if (strcmp(params, "noinst") == 0)
        return FALCO_OK; /* the bug: no *instance */
    sp_instance *in = calloc(1, sizeof *in);
    if (!in)
        return FALCO_ENOMEM;
    in->params = op;
    in->next = op->range.lo;
    *instance = in;
    st->opens++;
    return FALCO_OK;
}

static void sp_close(falco_plugin *p, void *instance) {
    ((sp_state *)falco_plugin_state(p))->closes++;
    free(instance);
}

static falco_rc sp_next_batch(falco_plugin *p, void *instance, falco_batch *b) {
    sp_state *st = falco_plugin_state(p);
    sp_instance *in = instance;
    if (falco_source_params(p))
        st->params_outside_open++;
    if (falco_batch_params(b) != in->params)
        st->wrong_batch_params++;
    for (uint32_t n = 0; n < in->params->batch && falco_batch_room(b); n++) {
        if (!in->path_sent) {
            FALCO_TRY(falco_batch_add_plugin_event(b, in->params->path, (uint32_t)strlen(in->params->path)));
            in->path_sent = true;
            continue;
        }
        if (in->next > in->params->range.hi)
            return FALCO_EOF;
        uint64_t v = in->next++;
        FALCO_TRY(falco_batch_add_plugin_event(b, &v, sizeof v));
    }
    return in->next > in->params->range.hi ? FALCO_EOF : FALCO_OK;
}

static void sp_metrics(falco_plugin *p, void *state, falco_metrics *m) {
    (void)p;
    sp_state *st = state;
    falco_metrics_u64(m, "opens", FALCO_METRIC_MONOTONIC, st->opens);
    falco_metrics_u64(m, "closes", FALCO_METRIC_MONOTONIC, st->closes);
    falco_metrics_u64(m, "params_outside_open", FALCO_METRIC_MONOTONIC, st->params_outside_open);
    falco_metrics_u64(m, "wrong_batch_params", FALCO_METRIC_MONOTONIC, st->wrong_batch_params);
}

FALCO_PLUGIN(srcparams, .name = "srcparams", .version = "1.0.0", .contact = "tests@example.com",
             .description = "declarative open params", .state_size = sizeof(sp_state), .metrics = sp_metrics);

FALCO_SOURCE(srcparams, .id = 4444, .event_source = "srcparams", .instance_size = FALCO_INSTANCE_BY_OPEN,
             .open = sp_open, .close = sp_close, .next_batch = sp_next_batch,
             .open_options = FALCO_LIST(sp_options), .open_options_size = sizeof(sp_params), .open_plain = "path",
             .open_params = FALCO_LIST(sp_suggestions));
