/* jsonsource - a source of fixed JSON payloads, for running the json
 * example (an extract-only plugin) in libsinsp and Falco, which need a
 * source plugin whose events carry JSON.
 *
 *   open params  "" or "good": the documents the json example's own tests
 *                use; "bad": a payload that is not JSON, then one that is
 */
#include <string.h>

#include <falco/plugin.h>

static const char *const good_docs[] = {
    ("{\"user\":{\"name\":\"alice\",\"id\":42,\"groups\":[\"a\",\"b\",\"c\"]},\"ok\":true,"
     "\"path\":{\"a/b\":\"slash\"}}"),
    "{\"n\":1,\"s\":\"x1\"}",
    "{\"n\":2,\"s\":\"x2\"}",
    "{\"n\":3,\"s\":\"x3\"}",
};

static const char *const bad_docs[] = {
    "{\"a\": tru}",
    "{\"a\": 1}",
};

typedef struct {
    const char *const *docs;
    size_t count, next;
} jsrc_instance;

static const falco_open_param jsrc_open_params[] = {
    {.value = "good", .desc = "four JSON documents (the default)"},
    {.value = "bad", .desc = "a payload that is not JSON, then a JSON one"},
};

static falco_rc jsrc_open(falco_plugin *p, const char *params, void **instance) {
    jsrc_instance *in = *instance;
    if (!*params || strcmp(params, "good") == 0) {
        in->docs = good_docs;
        in->count = sizeof good_docs / sizeof good_docs[0];
    } else if (strcmp(params, "bad") == 0) {
        in->docs = bad_docs;
        in->count = sizeof bad_docs / sizeof bad_docs[0];
    } else {
        return falco_error(p, FALCO_EINVAL, "open params \"%s\": expected \"good\" or \"bad\"", params);
    }
    return FALCO_OK;
}

static falco_rc jsrc_next_batch(falco_plugin *p, void *instance, falco_batch *b) {
    (void)p;
    jsrc_instance *in = instance;
    while (in->next < in->count && falco_batch_room(b) > 0) {
        const char *doc = in->docs[in->next++];
        FALCO_TRY(falco_batch_add_plugin_event(b, doc, (uint32_t)strlen(doc)));
    }
    return in->next < in->count ? FALCO_OK : FALCO_EOF;
}

FALCO_PLUGIN(jsonsource, .name = "jsonsource", .version = "0.1.0", .contact = "tests@example.com",
             .description = "fixed JSON payloads for the json example");
FALCO_SOURCE(jsonsource, .id = 997, .event_source = "jsonsource", .instance_size = sizeof(jsrc_instance),
             .open = jsrc_open, .next_batch = jsrc_next_batch, .open_params = FALCO_LIST(jsrc_open_params));
