/*
 * sysplug - a source of syscall-format events (FALCO_SYSCALL_SOURCE): no
 * plugin ID, no event source name. Emits one header-only event of type 1
 * and EOF. Used for the symbol set of such plugins.
 */
#include <string.h>

#include <falco/plugin.h>

typedef struct {
    int calls;
} sys_instance;

static falco_rc sys_open(falco_plugin *p, const char *params, void **instance) {
    (void)p;
    (void)params;
    (void)instance;
    return FALCO_OK;
}

static falco_rc sys_next_batch(falco_plugin *p, void *instance, falco_batch *b) {
    (void)p;
    sys_instance *in = instance;
    if (in->calls++)
        return FALCO_EOF;
    /* A header-only event of type 1 (syscall-format sources may emit any type). */
    falco_abi_event h = {.ts = 123456789, .tid = 42, .len = 26, .type = 1, .nparams = 0};
    unsigned char buf[26];
    memcpy(buf, &h, sizeof buf);
    return falco_batch_add_event(b, buf, sizeof buf);
}

FALCO_PLUGIN(sysplug, .name = "sysplug", .version = "0.0.1", .contact = "tests@example.com",
             .description = "syscall-format source");

FALCO_SYSCALL_SOURCE(sysplug, .instance_size = sizeof(sys_instance), .open = sys_open,
                     .next_batch = sys_next_batch);
