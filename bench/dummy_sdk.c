/*
 * dummy_sdk - the dummy workload (dummy_author.h) written with the SDK the
 * way a new user writes it from the guide: the author's code is the same as
 * dummy_raw.c's, the glue is the SDK's. `bench/run` runs both inside real
 * libsinsp and reports the CPU time ratio (libsinsp_pipeline).
 */
#include <falco/plugin.h>

#include "dummy_author.h"

static falco_rc dummy_open(falco_plugin *p, const char *params, void **instance) {
    char err[256];
    if (dummy_gen_open(*instance, params, err, sizeof err) != 0)
        return falco_error(p, FALCO_EINVAL, "%s", err);
    return FALCO_OK;
}

static falco_rc dummy_next_batch(falco_plugin *p, void *instance, falco_batch *b) {
    (void)p;
    dummy_gen *g = instance;
    while (g->left && falco_batch_room(b)) {
        uint64_t v = dummy_gen_next(g);
        FALCO_TRY(falco_batch_add_plugin_event(b, &v, sizeof v));
    }
    return g->left ? FALCO_OK : FALCO_EOF;
}

static falco_rc dummy_value(falco_extract *x, const falco_event *ev) {
    uint64_t v;
    FALCO_TRY(falco_event_payload_u64(ev, &v));
    return falco_extract_u64(x, v);
}

static falco_rc dummy_strvalue(falco_extract *x, const falco_event *ev) {
    uint64_t v;
    char buf[24];
    FALCO_TRY(falco_event_payload_u64(ev, &v));
    dummy_format(v, buf);
    return falco_extract_str(x, buf);
}

static falco_rc dummy_divisible_field(falco_extract *x, const falco_event *ev) {
    uint64_t v, divisor = falco_extract_arg_index(x);
    if (divisor == 0)
        return falco_extract_error(x, FALCO_EINVAL, "needs a divisor argument above 0, e.g. %s[2]",
                                   DUMMY_FIELD_DIVISIBLE);
    FALCO_TRY(falco_event_payload_u64(ev, &v));
    return falco_extract_u64(x, dummy_divisible(v, divisor));
}

static const falco_field dummy_fields[] = {
    {.name = DUMMY_FIELD_VALUE, .type = FALCO_FIELD_U64, .desc = "the sample", .extract = dummy_value},
    {.name = DUMMY_FIELD_STRVALUE, .type = FALCO_FIELD_STRING, .desc = "the sample in decimal",
     .extract = dummy_strvalue},
    {.name = DUMMY_FIELD_DIVISIBLE, .type = FALCO_FIELD_U64, .arg = FALCO_ARG_INDEX, .arg_required = true,
     .desc = "1 when the sample is divisible by the argument", .extract = dummy_divisible_field},
};

FALCO_PLUGIN(dummy_sdk, .name = "dummy_sdk", .version = "0.1.0", .contact = "https://github.com/falcosecurity",
             .description = "Dummy workload written with plugin-sdk-c");

FALCO_SOURCE(dummy_sdk, .id = DUMMY_PLUGIN_ID, .event_source = DUMMY_EVENT_SOURCE,
             .instance_size = sizeof(dummy_gen), .open = dummy_open, .next_batch = dummy_next_batch,
             .max_batch_events = DUMMY_BATCH);

FALCO_EXTRACT(dummy_sdk, .fields = FALCO_LIST(dummy_fields));
