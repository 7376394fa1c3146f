/*
 * srcmin - a source-only test plugin with no optional callbacks: two events
 * (printable text, then binary bytes) and EOF. Used for the symbol set of a
 * source-only plugin and the SDK's default event_to_string.
 */
#include <falco/plugin.h>

typedef struct {
    int calls;
} min_instance;

static falco_rc min_open(falco_plugin *p, const char *params, void **instance) {
    (void)p;
    (void)params;
    (void)instance;
    return FALCO_OK;
}

static falco_rc min_next_batch(falco_plugin *p, void *instance, falco_batch *b) {
    (void)p;
    min_instance *in = instance;
    if (in->calls++)
        return FALCO_EOF;
    static const unsigned char binary[] = {0x01, 0xab, 0x00, 0xff};
    FALCO_TRY(falco_batch_add_plugin_event(b, "hello plugin", 12));
    FALCO_TRY(falco_batch_add_plugin_event(b, binary, sizeof binary));
    return FALCO_OK;
}

FALCO_PLUGIN(srcmin, .name = "srcmin", .version = "0.0.1", .contact = "tests@example.com",
             .description = "minimal source");

FALCO_SOURCE(srcmin, .id = 4343, .event_source = "srcmin", .instance_size = sizeof(min_instance),
             .open = min_open, .next_batch = min_next_batch);
