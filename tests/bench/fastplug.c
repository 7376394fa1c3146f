/*
 * fastplug - an extract-only plugin whose fields take the SDK's fast paths
 * and their edges: index and key arguments (optional, required, of the
 * wrong kind), strings copied by falco_extract_str/strn around the size of
 * the extraction's own buffer, list values. Events are plugin events whose
 * payload is one u64: the length of the string fields' value (bit 63: put
 * a NUL inside the strn value, set a NULL string on f.str).
 */
#include <string.h>

#include <falco/plugin.h>

#define NUL_INSIDE (1ull << 63)
static char text[6000]; /* "abc...zabc..." (filled at init) */

static falco_rc f_idx(falco_extract *x, const falco_event *ev) {
    (void)ev;
    return falco_extract_u64(x, falco_extract_has_arg(x) ? falco_extract_arg_index(x) : 999);
}

static falco_rc f_need(falco_extract *x, const falco_event *ev) {
    (void)ev;
    return falco_extract_u64(x, falco_extract_arg_index(x) * 2);
}

/* The index as falco_extract_arg_index reads it, without has_arg: 0 when
 * none was given, whatever the host left in the request. */
static falco_rc f_opt(falco_extract *x, const falco_event *ev) {
    (void)ev;
    return falco_extract_u64(x, falco_extract_arg_index(x));
}

static falco_rc f_key(falco_extract *x, const falco_event *ev) {
    (void)ev;
    return falco_extract_str(x, falco_extract_arg_key(x));
}

static falco_rc length_of(const falco_event *ev, uint64_t *len, bool *nul) {
    uint64_t v;
    FALCO_TRY(falco_event_payload_u64(ev, &v));
    *nul = (v & NUL_INSIDE) != 0;
    *len = v & ~NUL_INSIDE;
    return *len < sizeof text ? FALCO_OK : FALCO_EINVAL;
}

static falco_rc f_str(falco_extract *x, const falco_event *ev) {
    uint64_t len;
    bool nul;
    char buf[sizeof text];
    FALCO_TRY(length_of(ev, &len, &nul));
    if (nul) /* the flag asks for a NULL string */
        return falco_extract_str(x, NULL);
    memcpy(buf, text, len);
    buf[len] = '\0';
    falco_rc rc = falco_extract_str(x, buf);
    memset(buf, 'X', len); /* the SDK must have copied it */
    return rc;
}

static falco_rc f_strn(falco_extract *x, const falco_event *ev) {
    uint64_t len;
    bool nul;
    char buf[sizeof text];
    FALCO_TRY(length_of(ev, &len, &nul));
    memcpy(buf, text, len);
    buf[len] = 'Z'; /* not part of the value */
    if (nul && len > 1)
        buf[1] = '\0';
    falco_rc rc = falco_extract_strn(x, buf, len);
    memset(buf, 'X', len + 1);
    return rc;
}

static falco_rc f_list(falco_extract *x, const falco_event *ev) {
    (void)ev;
    char buf[4] = "a";
    FALCO_TRY(falco_extract_str(x, buf));
    memcpy(buf, "bb", 3);
    FALCO_TRY(falco_extract_str(x, buf));
    memcpy(buf, "ccc", 4);
    return falco_extract_str(x, buf);
}

static const falco_field fast_fields[] = {
    {.name = "f.idx", .type = FALCO_FIELD_U64, .arg = FALCO_ARG_INDEX, .desc = "index or 999", .extract = f_idx},
    {.name = "f.need", .type = FALCO_FIELD_U64, .arg = FALCO_ARG_INDEX, .arg_required = true,
     .desc = "index * 2", .extract = f_need},
    {.name = "f.key", .type = FALCO_FIELD_STRING, .arg = FALCO_ARG_KEY, .arg_required = true, .desc = "the key",
     .extract = f_key},
    {.name = "f.str", .type = FALCO_FIELD_STRING, .desc = "copied string", .extract = f_str},
    {.name = "f.strn", .type = FALCO_FIELD_STRING, .desc = "copied counted string", .extract = f_strn},
    {.name = "f.list", .type = FALCO_FIELD_STRING, .is_list = true, .desc = "a, bb, ccc", .extract = f_list},
    {.name = "f.opt", .type = FALCO_FIELD_U64, .arg = FALCO_ARG_INDEX, .desc = "the index, 0 without one",
     .extract = f_opt},
};

static falco_rc fast_init(falco_plugin *p, void *state) {
    (void)p;
    (void)state;
    for (size_t i = 0; i < sizeof text; i++)
        text[i] = (char)('a' + i % 26);
    return FALCO_OK;
}

FALCO_PLUGIN(fastplug, .name = "fastplug", .version = "0.1.0", .contact = "https://github.com/falcosecurity",
             .description = "extraction fast paths", .init = fast_init);
FALCO_EXTRACT(fastplug, .fields = FALCO_LIST(fast_fields), .sources = FALCO_SOURCES("fast"));
