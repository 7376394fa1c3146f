/* An extract-only plugin for the generator example's source whose fields
 * fail: ff.fixed always, with the same message; ff.half on odd values, with
 * a message naming the value (one distinct message per odd value); and
 * ff.value never. For checking that `falcoplug run` prints a failed
 * extraction as no value, as libsinsp does, and does not flood stderr. */
#include <string.h>

#include <falco/plugin.h>

/* The generator's payload: two u64, value then step. */
static falco_rc payload_value(falco_extract *x, const falco_event *ev, uint64_t *v)
{
    const void *data;
    uint32_t len;
    FALCO_TRY(falco_event_plugin_data(ev, &data, &len, NULL));
    if (len != 16)
        return falco_extract_error(x, FALCO_EPARSE, "payload of %u bytes, expected 16", (unsigned)len);
    memcpy(v, data, 8);
    return FALCO_OK;
}

static falco_rc ff_value(falco_extract *x, const falco_event *ev)
{
    uint64_t v = 0;
    FALCO_TRY(payload_value(x, ev, &v));
    return falco_extract_u64(x, v);
}

static falco_rc ff_half(falco_extract *x, const falco_event *ev)
{
    uint64_t v = 0;
    FALCO_TRY(payload_value(x, ev, &v));
    if (v % 2)
        return falco_extract_error(x, FALCO_EINVAL, "value %llu is odd", (unsigned long long)v);
    return falco_extract_u64(x, v / 2);
}

static falco_rc ff_fixed(falco_extract *x, const falco_event *ev)
{
    (void)ev;
    return falco_extract_error(x, FALCO_EINVAL, "this field always fails");
}

static const falco_field ff_fields[] = {
    {.name = "ff.value", .type = FALCO_FIELD_U64, .desc = "the generator's value", .extract = ff_value},
    {.name = "ff.half", .type = FALCO_FIELD_U64, .desc = "half the value; fails when it is odd", .extract = ff_half},
    {.name = "ff.fixed", .type = FALCO_FIELD_U64, .desc = "fails on every event", .extract = ff_fixed},
};

FALCO_PLUGIN(failfields, .name = "failfields", .version = "0.1.0", .contact = "tests@example.com",
             .description = "fields that fail, for the generator's events");
FALCO_EXTRACT(failfields, .fields = FALCO_LIST(ff_fields), .sources = FALCO_SOURCES("generator"));
