/* A parser of every syscall-source event, for checking which events a host
 * parses when it replays a capture (the starting state libsinsp consumes at
 * open included) and with which evt.num: its fields read the counts parsing
 * stored, so a host that parses other events prints other numbers. */
#include <falco/plugin.h>

typedef struct {
    uint64_t parsed, state, async, last_num;
} statecount;

static falco_rc sc_parse(falco_parse *ps, void *state, const falco_event *ev) {
    (void)ps;
    statecount *sc = state;
    uint16_t type = ev->evt->type;
    sc->parsed++;
    sc->async += type == FALCO_PPME_ASYNCEVENT_E;
    sc->state += type == FALCO_PPME_USER_ADDED_E || type == FALCO_PPME_USER_DELETED_E ||
                 type == FALCO_PPME_GROUP_ADDED_E || type == FALCO_PPME_GROUP_DELETED_E;
    sc->last_num = ev->evtnum;
    return FALCO_OK;
}

static statecount *of(falco_extract *x) {
    return falco_extract_state(x);
}

static falco_rc sc_parsed(falco_extract *x, const falco_event *ev) {
    (void)ev;
    return falco_extract_u64(x, of(x)->parsed);
}

static falco_rc sc_state(falco_extract *x, const falco_event *ev) {
    (void)ev;
    return falco_extract_u64(x, of(x)->state);
}

static falco_rc sc_async(falco_extract *x, const falco_event *ev) {
    (void)ev;
    return falco_extract_u64(x, of(x)->async);
}

static falco_rc sc_lastnum(falco_extract *x, const falco_event *ev) {
    (void)ev;
    return falco_extract_u64(x, of(x)->last_num);
}

static const falco_field sc_fields[] = {
    {.name = "sc.parsed", .type = FALCO_FIELD_U64, .desc = "events parsed so far", .extract = sc_parsed},
    {.name = "sc.state", .type = FALCO_FIELD_U64, .desc = "user and group events parsed so far",
     .extract = sc_state},
    {.name = "sc.async", .type = FALCO_FIELD_U64, .desc = "async events parsed so far", .extract = sc_async},
    {.name = "sc.lastnum", .type = FALCO_FIELD_U64, .desc = "evt.num of the last event parsed",
     .extract = sc_lastnum},
};

/* what a Falco-written capture of the heartbeat example holds (libsinsp's
 * default without a list would be plugin events only) */
static const uint16_t sc_types[] = {FALCO_PPME_USER_ADDED_E,  FALCO_PPME_USER_DELETED_E,   FALCO_PPME_GROUP_ADDED_E,
                                    FALCO_PPME_GROUP_DELETED_E, FALCO_PPME_ASYNCEVENT_E,   FALCO_PPME_SCAPEVENT_E,
                                    FALCO_PPME_SYSCALL_OPEN_X,  FALCO_PPME_SYSCALL_OPENAT_2_X};

FALCO_PLUGIN(statecount, .name = "statecount", .version = "0.1.0", .contact = "tests@example.com",
             .description = "counts the syscall-source events it parses", .state_size = sizeof(statecount));
FALCO_PARSE(statecount, .parse = sc_parse, .event_types = FALCO_LIST(sc_types), .sources = FALCO_SOURCES("syscall"));
FALCO_EXTRACT(statecount, .fields = FALCO_LIST(sc_fields), .event_types = FALCO_LIST(sc_types),
              .sources = FALCO_SOURCES("syscall"));
