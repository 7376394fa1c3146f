/* An extract-only plugin for the generator example's source: the value and
 * step each event carries, read independently of the generator, so that
 * `falcoplug run generator --with genecho` can be checked against the
 * generator's own gen.value. */
#include <string.h>

#include <falco/plugin.h>

/* The generator's payload: two u64, value then step. */
static falco_rc payload_u64(falco_extract *x, const falco_event *ev, size_t at) {
    const void *data;
    uint32_t len;
    uint64_t v;
    FALCO_TRY(falco_event_plugin_data(ev, &data, &len, NULL));
    if (len != 16)
        return falco_extract_error(x, FALCO_EPARSE, "payload of %u bytes, expected 16", (unsigned)len);
    memcpy(&v, (const char *)data + at, 8);
    return falco_extract_u64(x, v);
}

static falco_rc echo_value(falco_extract *x, const falco_event *ev) { return payload_u64(x, ev, 0); }
static falco_rc echo_step(falco_extract *x, const falco_event *ev) { return payload_u64(x, ev, 8); }

static const falco_field echo_fields[] = {
    {.name = "genecho.value", .type = FALCO_FIELD_U64, .desc = "the generator's value", .extract = echo_value},
    {.name = "genecho.step", .type = FALCO_FIELD_U64, .desc = "the generator's step", .extract = echo_step},
};

FALCO_PLUGIN(genecho, .name = "genecho", .version = "0.1.0", .contact = "tests@example.com",
             .description = "value and step of the generator's events");
FALCO_EXTRACT(genecho, .fields = FALCO_LIST(echo_fields), .sources = FALCO_SOURCES("generator"));
