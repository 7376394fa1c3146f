/*
 * fuzz_field_args - field references ("name", "name[arg]") as a rule would
 * write them, parsed by the host like libsinsp and extracted from an SDK
 * plugin: covers the host's argument parser and the SDK's argument checks,
 * dispatch and setters with arbitrary names, indexes and keys.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <falco/host.h>
#include <falco/plugin.h>

static falco_rc fx_index(falco_extract *x, const falco_event *ev) {
    (void)ev;
    return falco_extract_u64(x, falco_extract_arg_index(x) * 2);
}

static falco_rc fx_key(falco_extract *x, const falco_event *ev) {
    (void)ev;
    const char *key = falco_extract_arg_key(x);
    return key ? falco_extract_str(x, key) : FALCO_OK;
}

static falco_rc fx_list(falco_extract *x, const falco_event *ev) {
    (void)ev;
    uint64_t n = falco_extract_has_arg(x) ? falco_extract_arg_index(x) % 64 : 3;
    for (uint64_t i = 0; i < n; i++)
        FALCO_TRY(falco_extract_u64(x, i));
    return FALCO_OK;
}

static falco_rc fx_payload(falco_extract *x, const falco_event *ev) {
    const void *data;
    uint32_t len;
    FALCO_TRY(falco_event_plugin_data(ev, &data, &len, NULL));
    return falco_extract_strn(x, data, len);
}

static const falco_field fx_fields[] = {
    {.name = "fz.index", .type = FALCO_FIELD_U64, .arg = FALCO_ARG_INDEX, .arg_required = true,
     .desc = "index argument", .extract = fx_index},
    {.name = "fz.key", .type = FALCO_FIELD_STRING, .arg = FALCO_ARG_KEY, .desc = "optional key", .extract = fx_key},
    {.name = "fz.list", .type = FALCO_FIELD_U64, .is_list = true, .arg = FALCO_ARG_INDEX, .desc = "a list",
     .extract = fx_list},
    {.name = "fz.payload", .type = FALCO_FIELD_STRING, .desc = "the payload", .extract = fx_payload},
};

FALCO_PLUGIN(fz, .name = "fz", .version = "0.1.0", .contact = "fuzz", .description = "field argument fuzzing");
FALCO_EXTRACT(fz, .fields = FALCO_LIST(fx_fields));

static falco_host_plugin *plugin;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!plugin) {
        falco_abi_plugin_api api;
        falco_plugin_api_fz(&api);
        if (falco_host_plugin_load_api(&api, "fz", &plugin) != FALCO_OK ||
            falco_host_plugin_init(plugin, "") != FALCO_OK)
            abort();
    }
    /* first byte: payload length for the event; rest: the field reference */
    if (size < 1)
        return 0;
    size_t plen = data[0] % 32;
    if (plen > size - 1)
        plen = size - 1;
    char *expr = malloc(size - 1 - plen + 1);
    if (!expr)
        return 0;
    memcpy(expr, data + 1 + plen, size - 1 - plen);
    expr[size - 1 - plen] = '\0';

    unsigned char ev[FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET + 32] = {0};
    uint32_t total = FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET + (uint32_t)plen;
    falco_abi_event hdr = {.ts = 1, .tid = 1, .len = total, .type = FALCO_ABI_EVENT_PLUGIN, .nparams = 2};
    uint32_t lens[3] = {4, (uint32_t)plen, 0};
    memcpy(ev, &hdr, sizeof hdr);
    memcpy(ev + sizeof hdr, lens, sizeof lens);
    memcpy(ev + FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET, data + 1, plen);
    falco_abi_event_input in = {.evt = (const falco_abi_event *)ev, .evtnum = 1, .evtsrc = "any"};

    falco_host_extractor *x = NULL;
    if (falco_host_extractor_new(plugin, expr, &x) == FALCO_OK) {
        falco_host_values v;
        if (falco_host_extract(x, &in, true, &v) == FALCO_OK) {
            char buf[128];
            for (uint64_t i = 0; i < v.count; i++)
                falco_host_value_format(&v, i, buf, sizeof buf);
        }
        falco_host_extractor_free(x);
    }
    free(expr);
    return 0;
}
