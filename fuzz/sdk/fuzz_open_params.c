/*
 * fuzz_open_params - open strings as a host would pass them (a C string,
 * JSON or plain) into an SDK source with declarative open parameters,
 * opened through the host library: covers the SDK's open-parameter decoding
 * (plain form, JSON, ranges, enums, nested objects) and the open/next/close
 * path around it. A refused open must leave nothing allocated; an accepted
 * one must deliver events within the declared bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <falco/host.h>
#include <falco/plugin.h>

typedef struct {
    char *path;
    bool follow;
} fo_file;

typedef struct {
    uint64_t count;
    uint32_t batch;
    int mode;
    char *label;
    falco_string_list tags;
    fo_file file;
} fo_params;

typedef struct {
    uint64_t left;
} fo_instance;

static const char *const fo_modes[] = {"fast", "safe", NULL};

static const falco_config_option fo_file_options[] = {
    FALCO_CONFIG_STRING(fo_file, path, "path", .required = true),
    FALCO_CONFIG_BOOL(fo_file, follow, "follow"),
};

static const falco_config_option fo_options[] = {
    FALCO_CONFIG_U64(fo_params, count, "count", .def = 3, .min = 1, .max = 64),
    FALCO_CONFIG_U32(fo_params, batch, "batch", .def = 4, .min = 1, .max = 16),
    FALCO_CONFIG_ENUM(fo_params, mode, "mode", fo_modes, .def_str = "safe"),
    FALCO_CONFIG_STRING(fo_params, label, "label", .def_str = "x"),
    FALCO_CONFIG_STRING_LIST(fo_params, tags, "tags"),
    FALCO_CONFIG_OBJECT(fo_params, file, "file", fo_file_options),
};

static falco_rc fo_open(falco_plugin *p, const char *params, void **instance) {
    (void)params;
    const fo_params *op = falco_source_params(p);
    if (!op || op->count < 1 || op->count > 64 || op->batch < 1 || op->batch > 16 || !op->label)
        abort(); /* the decoder promised these bounds */
    ((fo_instance *)*instance)->left = op->count;
    return FALCO_OK;
}

static falco_rc fo_next_batch(falco_plugin *p, void *instance, falco_batch *b) {
    (void)p;
    fo_instance *in = instance;
    const fo_params *op = falco_batch_params(b);
    for (uint32_t i = 0; i < op->batch && in->left && falco_batch_room(b) > 0; i++, in->left--)
        FALCO_TRY(falco_batch_add_plugin_event(b, &in->left, sizeof in->left));
    return in->left ? FALCO_OK : FALCO_EOF;
}

FALCO_PLUGIN(fo, .name = "fo", .version = "0.1.0", .contact = "fuzz", .description = "open params fuzzing");
FALCO_SOURCE(fo, .id = 4242, .event_source = "fo", .instance_size = sizeof(fo_instance), .open = fo_open,
             .next_batch = fo_next_batch, .open_options = FALCO_LIST(fo_options),
             .open_options_size = sizeof(fo_params), .open_plain = "count");

static falco_host_plugin *plugin;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!plugin) {
        falco_abi_plugin_api api;
        falco_plugin_api_fo(&api);
        if (falco_host_plugin_load_api(&api, "fo", &plugin) != FALCO_OK ||
            falco_host_plugin_init(plugin, "") != FALCO_OK)
            abort();
    }
    /* a host passes a C string: the input up to its first NUL */
    char *params = malloc(size + 1);
    if (!params)
        return 0;
    memcpy(params, data, size);
    params[size] = '\0';
    falco_host_instance *in = NULL;
    if (falco_host_open(plugin, params, &in) == FALCO_OK) {
        const falco_abi_event *ev;
        uint64_t n = 0;
        falco_rc rc;
        while ((rc = falco_host_next(in, &ev)) == FALCO_OK || rc == FALCO_TIMEOUT)
            if (rc == FALCO_OK && ++n > 64)
                abort(); /* more events than count allows */
        if (rc != FALCO_EOF || n == 0)
            abort();
        falco_host_close(in);
    }
    free(params);
    return 0;
}
