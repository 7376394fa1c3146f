/*
 * jsonfields - an extract-only plugin over other plugins' events whose
 * payloads are JSON documents, in the spirit of Falco's `json` plugin.
 *
 *   json.value[/a/b]   the value at a JSON pointer (strings as text, other
 *                      values as compact JSON; a string holding a NUL
 *                      character, which a C string cannot carry, as its JSON
 *                      form: "x\u0000y" with the quotes)
 *   json.type[/a/b]    its type: object, array, string, number, boolean, null
 *   json.size[/a/b]    members of an object / items of an array
 *   json.exists[/a/b]  whether the pointer resolves
 *   json.obj           the whole document, compact
 *
 * The payload is parsed once per event, whatever the number of fields
 * extracted from it (the SDK's per-event context), into a document whose
 * memory is reused from one event to the next.
 *
 * The argument is a JSON pointer (RFC 6901). libsinsp refuses an empty
 * argument ("json.value[]") when it parses the filter, and the SDK refuses
 * it too, so the pointer "" (the whole document) is json.obj's job.
 */
#include <string.h>

#include <falco/plugin.h>

typedef struct {
    falco_json_doc *doc;
    falco_json_writer *out;
    uint64_t parses; /* payloads parsed (metric) */
} json_state;

typedef struct {
    const falco_json_value *root;
} json_event;

static falco_rc json_init(falco_plugin *p, void *state) {
    json_state *st = state;
    st->doc = falco_json_doc_new();
    st->out = falco_json_writer_new();
    if (!st->doc || !st->out)
        return falco_error(p, FALCO_ENOMEM, "out of memory");
    return FALCO_OK;
}

static void json_destroy(falco_plugin *p, void *state) {
    (void)p;
    json_state *st = state;
    falco_json_doc_free(st->doc);
    falco_json_writer_free(st->out);
}

/* Runs once per event, before the first field that needs the document. */
static falco_rc json_prepare(falco_extract *x, const falco_event *ev, void *ctx) {
    json_state *st = falco_extract_state(x);
    json_event *je = ctx;
    const void *data;
    uint32_t len;
    FALCO_TRY(falco_event_plugin_data(ev, &data, &len, NULL));
    falco_json_error err;
    st->parses++;
    je->root = falco_json_parse(st->doc, data, len, &err);
    if (!je->root)
        return falco_error(falco_extract_plugin(x), FALCO_EPARSE,
                           "event #%llu: payload is not JSON: %s at line %u column %u",
                           (unsigned long long)falco_event_num(ev), err.message, err.line, err.column);
    return FALCO_OK;
}

/* The value the field's pointer argument designates, or NULL (no value). */
static falco_rc lookup(falco_extract *x, const falco_json_value **out) {
    json_event *je;
    FALCO_TRY(falco_extract_event_context(x, (void **)&je));
    const char *ptr = falco_extract_arg_key(x);
    *out = falco_json_pointer(je->root, ptr ? ptr : "");
    return FALCO_OK;
}

static falco_rc extract_compact(falco_extract *x, const falco_json_value *v) {
    json_state *st = falco_extract_state(x);
    falco_json_writer_reset(st->out);
    falco_json_write_value(st->out, v);
    size_t len;
    const char *text = falco_json_writer_str(st->out, &len);
    if (!text)
        return falco_extract_error(x, FALCO_ENOMEM, "cannot serialize the value");
    return falco_extract_strn(x, text, len);
}

static falco_rc json_value(falco_extract *x, const falco_event *ev) {
    (void)ev;
    const falco_json_value *v;
    FALCO_TRY(lookup(x, &v));
    if (!v)
        return FALCO_OK; /* no such member: no value */
    size_t len;
    const char *s = falco_json_string(v, &len);
    if (s && !memchr(s, '\0', len))
        return falco_extract_strn(x, s, len);
    return extract_compact(x, v); /* not a string, or one with a NUL: its JSON form */
}

static falco_rc json_type(falco_extract *x, const falco_event *ev) {
    (void)ev;
    const falco_json_value *v;
    FALCO_TRY(lookup(x, &v));
    return v ? falco_extract_str_ref(x, falco_json_type_name(falco_json_type_of(v))) : FALCO_OK;
}

static falco_rc json_size(falco_extract *x, const falco_event *ev) {
    (void)ev;
    const falco_json_value *v;
    FALCO_TRY(lookup(x, &v));
    if (!v)
        return FALCO_OK;
    falco_json_type t = falco_json_type_of(v);
    return (t == FALCO_JSON_ARRAY || t == FALCO_JSON_OBJECT) ? falco_extract_u64(x, falco_json_size(v)) : FALCO_OK;
}

static falco_rc json_exists(falco_extract *x, const falco_event *ev) {
    (void)ev;
    const falco_json_value *v;
    FALCO_TRY(lookup(x, &v));
    return falco_extract_bool(x, v != NULL);
}

static falco_rc json_obj(falco_extract *x, const falco_event *ev) {
    (void)ev;
    const falco_json_value *v;
    FALCO_TRY(lookup(x, &v));
    return extract_compact(x, v);
}

static const falco_field json_fields[] = {
    {.name = "json.value", .type = FALCO_FIELD_STRING, .arg = FALCO_ARG_KEY, .arg_required = true,
     .display = "JSON value",
     .desc = "the value at a JSON pointer, e.g. json.value[/user/name]: strings as text (as JSON when they hold a "
             "NUL), other values as compact JSON",
     .extract = json_value},
    {.name = "json.type", .type = FALCO_FIELD_STRING, .arg = FALCO_ARG_KEY, .arg_required = true,
     .desc = "the JSON type of the value at a JSON pointer", .extract = json_type},
    {.name = "json.size", .type = FALCO_FIELD_U64, .arg = FALCO_ARG_KEY, .arg_required = true,
     .desc = "the number of members or items of the object or array at a JSON pointer", .extract = json_size},
    {.name = "json.exists", .type = FALCO_FIELD_BOOL, .arg = FALCO_ARG_KEY, .arg_required = true,
     .desc = "whether a JSON pointer resolves in the payload", .extract = json_exists},
    {.name = "json.obj", .type = FALCO_FIELD_STRING, .desc = "the whole payload as compact JSON", .extract = json_obj},
};

static void json_metrics(falco_plugin *p, void *state, falco_metrics *m) {
    (void)p;
    falco_metrics_u64(m, "payloads_parsed", FALCO_METRIC_MONOTONIC, ((json_state *)state)->parses);
}

FALCO_PLUGIN(jsonfields, .name = "jsonfields", .version = "0.1.0", .contact = "https://github.com/falcosecurity",
             .description = "Extracts values from JSON payloads of plugin events by JSON pointer",
             .state_size = sizeof(json_state), .init = json_init, .destroy = json_destroy, .metrics = json_metrics);

FALCO_EXTRACT(jsonfields, .fields = FALCO_LIST(json_fields), .event_context_size = sizeof(json_event),
              .prepare_event = json_prepare);
