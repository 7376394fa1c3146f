/* Only FALCO_PARSE: exports the base symbols plus exactly the parse ones. */
#include <falco/plugin.h>

static falco_rc cp_parse(falco_parse *ps, void *state, const falco_event *ev) {
    (void)ps, (void)state, (void)ev;
    return FALCO_OK;
}
FALCO_PLUGIN(capparse, .name = "capparse", .version = "0.1.0", .contact = "t@example.com",
             .description = "parse only");
FALCO_PARSE(capparse, .parse = cp_parse);
