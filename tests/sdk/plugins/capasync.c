/* Only FALCO_ASYNC: exports the base symbols plus exactly the async ones. */
#include <falco/plugin.h>

FALCO_PLUGIN(capasync, .name = "capasync", .version = "0.1.0", .contact = "t@example.com",
             .description = "async only");
FALCO_ASYNC(capasync, .events = FALCO_STRINGS("a"));
