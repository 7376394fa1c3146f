/*
 * A probe plugin for test_convert_cli: it parses and extracts from every
 * syscall event type and reports, at each event it extracts from, how many
 * events it has parsed so far, the number and type of the last one and how
 * many of them were enter events. libsinsp's answers for the test captures
 * are in tests/data/golden/<capture>.parse_probe.txt; falcoplug run --capture
 * must give the same, so a plugin parses exactly the events it parses in
 * Falco (the enter events libsinsp numbers but does not return included).
 */
#include <falco/plugin.h>

/* Every used event code of the compiled table (schema 4.5.1; the EF_UNUSED
 * ones left out, the SDK refuses them), as read off event_table.tsv. */
static const uint16_t all_types[] = {
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 19, 20, 21, 22, 23, 24, 25, 26,
    27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50,
    51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74,
    75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98,
    99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117,
    118, 119, 120, 121, 122, 123, 124, 125, 126, 127, 128, 129, 130, 131, 132, 133, 134, 135, 136,
    137, 138, 139, 140, 141, 142, 143, 144, 145, 146, 148, 149, 150, 151, 152, 154, 155, 156, 157,
    158, 159, 160, 161, 162, 163, 164, 165, 166, 167, 168, 169, 170, 171, 172, 173, 174, 175, 176,
    177, 178, 179, 180, 181, 182, 183, 184, 185, 186, 188, 189, 190, 191, 192, 193, 194, 195, 196,
    198, 199, 200, 201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 211, 212, 213, 214, 215, 216,
    217, 218, 219, 220, 221, 222, 223, 224, 225, 226, 227, 228, 230, 231, 232, 234, 236, 237, 238,
    239, 240, 241, 242, 243, 244, 246, 247, 248, 249, 250, 251, 252, 253, 254, 255, 256, 257, 258,
    259, 260, 262, 263, 264, 265, 266, 267, 268, 270, 272, 274, 275, 276, 277, 278, 279, 280, 282,
    283, 284, 285, 286, 288, 289, 290, 292, 293, 294, 295, 296, 297, 298, 299, 300, 301, 302, 303,
    304, 305, 306, 307, 308, 309, 310, 311, 312, 313, 314, 315, 316, 317, 318, 319, 320, 321, 322,
    324, 326, 327, 328, 329, 330, 331, 332, 333, 334, 335, 336, 337, 338, 339, 340, 341, 342, 343,
    344, 345, 346, 347, 348, 349, 350, 351, 352, 353, 354, 356, 358, 360, 362, 363, 364, 365, 366,
    367, 368, 369, 370, 371, 372, 373, 374, 375, 376, 377, 378, 379, 380, 381, 382, 383, 384, 385,
    386, 387, 388, 389, 390, 391, 392, 393, 394, 395, 396, 397, 398, 399, 400, 401, 402, 404, 405,
    406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 419, 420, 421, 422, 423, 424,
    425, 426, 427, 428, 429, 430, 432, 434, 436, 438, 440, 442, 444, 446, 448, 451, 453,
};

typedef struct probe {
    uint64_t count, last, type, enters;
} probe;

static falco_rc probe_parse(falco_parse *ps, void *state, const falco_event *ev)
{
    (void)ps;
    probe *p = state;
    p->count++;
    p->last = ev->evtnum;
    p->type = ev->evt->type;
    p->enters += (ev->evt->type & 1u) == 0;
    return FALCO_OK;
}

static falco_rc f_count(falco_extract *x, const falco_event *ev)
{
    (void)ev;
    return falco_extract_u64(x, ((probe *)falco_extract_state(x))->count);
}
static falco_rc f_last(falco_extract *x, const falco_event *ev)
{
    (void)ev;
    return falco_extract_u64(x, ((probe *)falco_extract_state(x))->last);
}
static falco_rc f_type(falco_extract *x, const falco_event *ev)
{
    (void)ev;
    return falco_extract_u64(x, ((probe *)falco_extract_state(x))->type);
}
static falco_rc f_enters(falco_extract *x, const falco_event *ev)
{
    (void)ev;
    return falco_extract_u64(x, ((probe *)falco_extract_state(x))->enters);
}

static const falco_field probe_fields[] = {
    {.name = "probe.count", .type = FALCO_FIELD_U64, .desc = "events parsed so far", .extract = f_count},
    {.name = "probe.last", .type = FALCO_FIELD_U64, .desc = "evt.num of the last parsed event", .extract = f_last},
    {.name = "probe.type", .type = FALCO_FIELD_U64, .desc = "type of the last parsed event", .extract = f_type},
    {.name = "probe.enters", .type = FALCO_FIELD_U64, .desc = "enter events parsed so far", .extract = f_enters},
};

FALCO_PLUGIN(probe, .name = "convert_probe", .version = "0.1.0", .contact = "tests@example.com",
             .description = "counts the events it parses", .state_size = sizeof(probe));
FALCO_PARSE(probe, .parse = probe_parse, .event_types = FALCO_LIST(all_types), .sources = FALCO_SOURCES("syscall"));
FALCO_EXTRACT(probe, .fields = FALCO_LIST(probe_fields), .event_types = FALCO_LIST(all_types),
              .sources = FALCO_SOURCES("syscall"));
