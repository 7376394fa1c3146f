/* static_a - a source + extract plugin compiled into a test binary with
 * FALCO_PLUGIN_STATIC: events carrying 10, 20, 30, then EOF. */
#include <falco/plugin.h>

typedef struct {
    uint64_t next;
} a_instance;

static falco_rc a_open(falco_plugin *p, const char *params, void **instance) {
    (void)p, (void)params;
    ((a_instance *)*instance)->next = 10;
    return FALCO_OK;
}

static falco_rc a_next(falco_plugin *p, void *instance, falco_batch *b) {
    (void)p;
    a_instance *in = instance;
    while (in->next <= 30 && falco_batch_room(b)) {
        FALCO_TRY(falco_batch_add_plugin_event(b, &in->next, sizeof in->next));
        in->next += 10;
    }
    return in->next <= 30 ? FALCO_OK : FALCO_EOF;
}

static falco_rc a_value(falco_extract *x, const falco_event *ev) {
    uint64_t v;
    FALCO_TRY(falco_event_payload_u64(ev, &v));
    return falco_extract_u64(x, v);
}

static const falco_field a_fields[] = {
    {.name = "a.value", .type = FALCO_FIELD_U64, .desc = "the payload", .extract = a_value},
};

FALCO_PLUGIN(static_a, .name = "static_a", .version = "1.0.0", .contact = "t@example.com",
             .description = "static source");
FALCO_SOURCE(static_a, .id = 5001, .event_source = "stat_a", .instance_size = sizeof(a_instance), .open = a_open,
             .next_batch = a_next, .max_batch_events = 2);
FALCO_EXTRACT(static_a, .fields = FALCO_LIST(a_fields));
