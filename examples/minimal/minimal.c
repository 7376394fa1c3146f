/* A complete Falco plugin: a source of counting events and a field to read them. */
#include <stdlib.h>

#include <falco/plugin.h>

typedef struct {
    uint64_t next, last;
} counter;

static falco_rc counter_open(falco_plugin *p, const char *params, void **instance) {
    (void)p;
    counter *c = *instance; /* zeroed block of .instance_size bytes */
    c->last = *params ? strtoull(params, NULL, 10) : 10;
    return FALCO_OK;
}

static falco_rc counter_next_batch(falco_plugin *p, void *instance, falco_batch *b) {
    (void)p;
    counter *c = instance;
    while (c->next < c->last && falco_batch_room(b) > 0) {
        c->next++;
        FALCO_TRY(falco_batch_add_plugin_event(b, &c->next, sizeof c->next));
    }
    return c->next < c->last ? FALCO_OK : FALCO_EOF;
}

static falco_rc counter_value(falco_extract *x, const falco_event *ev) {
    uint64_t v;
    FALCO_TRY(falco_event_payload_u64(ev, &v)); /* checks the event and its size */
    return falco_extract_u64(x, v);
}

static const falco_field counter_fields[] = {
    {.name = "counter.value", .type = FALCO_FIELD_U64, .desc = "the counter's value",
     .extract = counter_value},
};

FALCO_PLUGIN(counter, .name = "counter", .version = "0.1.0", .contact = "you@example.com",
             .description = "counts from 1 to N (open params: N)");
FALCO_SOURCE(counter, .id = 999, .event_source = "counter", .instance_size = sizeof(counter),
             .open = counter_open, .next_batch = counter_next_batch);
FALCO_EXTRACT(counter, .fields = FALCO_LIST(counter_fields));
