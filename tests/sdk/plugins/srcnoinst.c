/*
 * srcnoinst - source declarations that init must refuse, one per build:
 * by default .instance_size is missing while .open uses *instance (a NULL
 * dereference without the check); with SRCNOINST_STALE_SUGGESTION a static
 * open-params suggestion that the declared open options refuse.
 */
#include <falco/plugin.h>

typedef struct {
    uint64_t left;
} ni_instance;

typedef struct {
    uint64_t count;
} ni_params;

static falco_rc ni_open(falco_plugin *p, const char *params, void **instance) {
    (void)p, (void)params;
    ni_instance *in = *instance;
    in->left = 3;
    return FALCO_OK;
}

static falco_rc ni_next_batch(falco_plugin *p, void *instance, falco_batch *b) {
    (void)p;
    ni_instance *in = instance;
    while (in->left && falco_batch_room(b)) {
        FALCO_TRY(falco_batch_add_plugin_event(b, &in->left, sizeof in->left));
        in->left--;
    }
    return in->left ? FALCO_OK : FALCO_EOF;
}

FALCO_PLUGIN(srcnoinst, .name = "srcnoinst", .version = "1.0.0", .contact = "tests@example.com",
             .description = "a source declaration init refuses");

#ifdef SRCNOINST_STALE_SUGGESTION
static const falco_config_option ni_options[] = {
    FALCO_CONFIG_U64(ni_params, count, "count", .def = 1, .min = 1, .max = 100),
};
static const falco_open_param ni_suggestions[] = {
    {.value = "5"},
    {.value = "500", .desc = "more than count allows"},
};
FALCO_SOURCE(srcnoinst, .id = 4545, .event_source = "srcnoinst", .instance_size = sizeof(ni_instance),
             .open = ni_open, .next_batch = ni_next_batch, .open_options = FALCO_LIST(ni_options),
             .open_options_size = sizeof(ni_params), .open_plain = "count", .open_params = FALCO_LIST(ni_suggestions));
#else
FALCO_SOURCE(srcnoinst, .id = 4545, .event_source = "srcnoinst", .open = ni_open, .next_batch = ni_next_batch);
#endif
