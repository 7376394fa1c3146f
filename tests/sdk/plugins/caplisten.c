/* Only FALCO_LISTEN: exports the base symbols plus exactly the listen ones. */
#include <falco/plugin.h>

static falco_rc cl_hook(falco_listen *l, void *state) {
    (void)l, (void)state;
    return FALCO_OK;
}
FALCO_PLUGIN(caplisten, .name = "caplisten", .version = "0.1.0", .contact = "t@example.com",
             .description = "listen only");
FALCO_LISTEN(caplisten, .capture_open = cl_hook, .capture_close = cl_hook);
