/* static_b - an extract-only plugin compiled into the same test binary as
 * static_a: doubles static_a's payloads and counts its extractions. */
#include <falco/plugin.h>

typedef struct {
    uint64_t extractions;
} b_state;

static falco_rc b_double(falco_extract *x, const falco_event *ev) {
    uint64_t v;
    FALCO_TRY(falco_event_payload_u64(ev, &v));
    ((b_state *)falco_extract_state(x))->extractions++;
    return falco_extract_u64(x, v * 2);
}

static const falco_field b_fields[] = {
    {.name = "b.double", .type = FALCO_FIELD_U64, .desc = "twice the payload", .extract = b_double},
};

static void b_metrics(falco_plugin *p, void *state, falco_metrics *m) {
    (void)p;
    falco_metrics_u64(m, "extractions", FALCO_METRIC_MONOTONIC, ((b_state *)state)->extractions);
}

FALCO_PLUGIN(static_b, .name = "static_b", .version = "2.0.0", .contact = "t@example.com",
             .description = "static extractor", .state_size = sizeof(b_state), .metrics = b_metrics);
FALCO_EXTRACT(static_b, .fields = FALCO_LIST(b_fields), .sources = FALCO_SOURCES("stat_a"));
