/*
 * xplug - an extract-only test plugin with one field per behaviour of the
 * SDK's extraction glue: every setter type, lists, misuse, arguments, errors,
 * the per-event context and value offsets. Events are plugin events whose
 * payload is one little-endian u64 (built by the tests). Counters (prepare
 * calls, the last rc a setter returned) are reported as metrics.
 */
#include <string.h>

#include <falco/plugin.h>

typedef struct {
    uint64_t prepares;
    uint64_t setter_rc; /* rc of the setter misused by x.wrongtype / x.twice */
} x_state;

typedef struct {
    uint64_t value;
} x_ctx;

static x_state *state_of(falco_extract *x) {
    return falco_extract_state(x);
}

static falco_rc x_u64(falco_extract *x, const falco_event *ev) {
    uint64_t v;
    FALCO_TRY(falco_event_payload_u64(ev, &v));
    return falco_extract_u64(x, v);
}

static falco_rc x_time(falco_extract *x, const falco_event *ev) {
    (void)ev;
    return falco_extract_u64(x, *(const uint64_t *)falco_extract_field_data(x));
}

static falco_rc x_str(falco_extract *x, const falco_event *ev) {
    char text[32];
    uint64_t v;
    FALCO_TRY(falco_event_payload_u64(ev, &v));
    memset(text, 0, sizeof text);
    memcpy(text, "value-", 6);
    text[6] = (char)('0' + v % 10);
    falco_rc rc = falco_extract_str(x, text);
    memset(text, 'X', sizeof text - 1); /* the SDK must have copied it */
    return rc;
}

static falco_rc x_strref(falco_extract *x, const falco_event *ev) {
    (void)ev;
    return falco_extract_str_ref(x, "a static string");
}

static falco_rc x_strn(falco_extract *x, const falco_event *ev) {
    (void)ev;
    return falco_extract_strn(x, "hello world", 5);
}

static falco_rc x_bool(falco_extract *x, const falco_event *ev) {
    uint64_t v;
    FALCO_TRY(falco_event_payload_u64(ev, &v));
    return falco_extract_bool(x, v % 2 == 1);
}

static falco_rc x_ip4(falco_extract *x, const falco_event *ev) {
    (void)ev;
    static const unsigned char a[4] = {192, 168, 1, 2};
    return falco_extract_ip(x, a, 4);
}

static falco_rc x_ip6(falco_extract *x, const falco_event *ev) {
    (void)ev;
    static const unsigned char a[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
    return falco_extract_ip(x, a, 16);
}

static falco_rc x_ipbad(falco_extract *x, const falco_event *ev) {
    (void)ev;
    static const unsigned char a[5] = {1, 2, 3, 4, 5};
    return falco_extract_ip(x, a, 5);
}

static falco_rc x_list(falco_extract *x, const falco_event *ev) {
    uint64_t v;
    FALCO_TRY(falco_event_payload_u64(ev, &v));
    static const uint64_t more[] = {100, 200};
    FALCO_TRY(falco_extract_u64(x, v));
    return falco_extract_u64_array(x, more, 2);
}

static falco_rc x_strlist(falco_extract *x, const falco_event *ev) {
    (void)ev;
    static const char *const items[] = {"alpha", "beta", "gamma", "delta", "epsilon"};
    return falco_extract_str_array(x, items, 5);
}

static falco_rc x_twice(falco_extract *x, const falco_event *ev) {
    (void)ev;
    FALCO_TRY(falco_extract_u64(x, 1));
    falco_rc rc = falco_extract_u64(x, 2);
    state_of(x)->setter_rc = (uint64_t)rc;
    return rc;
}

static falco_rc x_wrongtype(falco_extract *x, const falco_event *ev) {
    (void)ev;
    falco_rc rc = falco_extract_str(x, "not a number");
    state_of(x)->setter_rc = (uint64_t)rc;
    return rc;
}

static falco_rc x_wrongbool(falco_extract *x, const falco_event *ev) {
    (void)ev;
    falco_rc rc = falco_extract_bool(x, true);
    state_of(x)->setter_rc = (uint64_t)rc;
    return rc;
}

static falco_rc x_none(falco_extract *x, const falco_event *ev) {
    (void)x;
    (void)ev;
    return FALCO_OK;
}

static falco_rc x_idx(falco_extract *x, const falco_event *ev) {
    (void)ev;
    return falco_extract_u64(x, falco_extract_has_arg(x) ? falco_extract_arg_index(x) : 999);
}

static falco_rc x_key(falco_extract *x, const falco_event *ev) {
    (void)ev;
    return falco_extract_str(x, falco_extract_arg_key(x));
}

static falco_rc x_fail(falco_extract *x, const falco_event *ev) {
    (void)x;
    (void)ev;
    return FALCO_EINVAL;
}

static falco_rc x_failmsg(falco_extract *x, const falco_event *ev) {
    (void)ev;
    return falco_extract_error(x, FALCO_ERANGE, "value %d is too big", 5);
}

/* Parses the event once: counts the calls, fails on the unlucky value 13. */
static falco_rc x_prepare(falco_extract *x, const falco_event *ev, void *ctx) {
    x_ctx *c = ctx;
    state_of(x)->prepares++;
    FALCO_TRY(falco_event_payload_u64(ev, &c->value));
    if (c->value == 13)
        return falco_error(falco_extract_plugin(x), FALCO_EPARSE, "unlucky event %llu",
                           (unsigned long long)falco_event_num(ev));
    return FALCO_OK;
}

static falco_rc x_ctx_field(falco_extract *x, const falco_event *ev) {
    (void)ev;
    void *ctx;
    FALCO_TRY(falco_extract_event_context(x, &ctx));
    uint64_t mul = *(const uint64_t *)falco_extract_field_data(x);
    return falco_extract_u64(x, ((x_ctx *)ctx)->value * mul);
}

static falco_rc x_off(falco_extract *x, const falco_event *ev) {
    uint64_t v;
    FALCO_TRY(falco_event_payload_u64(ev, &v));
    falco_extract_offset(x, FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET, 8);
    return falco_extract_u64(x, v);
}

static falco_rc x_evtnum(falco_extract *x, const falco_event *ev) {
    return falco_extract_u64(x, falco_event_num(ev));
}

static const uint64_t reltime_v = 1500, abstime_v = 1700000000000000000ull, mul1 = 1, mul10 = 10;

static const falco_field x_fields[] = {
    {.name = "x.u64", .type = FALCO_FIELD_U64, .desc = "payload", .extract = x_u64},
    {.name = "x.reltime", .type = FALCO_FIELD_RELTIME, .desc = "reltime", .extract = x_time, .data = &reltime_v},
    {.name = "x.abstime", .type = FALCO_FIELD_ABSTIME, .desc = "abstime", .extract = x_time, .data = &abstime_v},
    {.name = "x.str", .type = FALCO_FIELD_STRING, .desc = "copied string", .extract = x_str},
    {.name = "x.strref", .type = FALCO_FIELD_STRING, .desc = "referenced string", .extract = x_strref},
    {.name = "x.strn", .type = FALCO_FIELD_STRING, .desc = "prefix copy", .extract = x_strn},
    {.name = "x.bool", .type = FALCO_FIELD_BOOL, .desc = "payload is odd", .extract = x_bool},
    {.name = "x.ip4", .type = FALCO_FIELD_IPADDR, .desc = "an IPv4 address", .extract = x_ip4},
    {.name = "x.ip6", .type = FALCO_FIELD_IPADDR, .desc = "an IPv6 address", .extract = x_ip6},
    {.name = "x.net", .type = FALCO_FIELD_IPNET, .desc = "an IPv4 address, as an ipnet", .extract = x_ip4},
    {.name = "x.ipbad", .type = FALCO_FIELD_IPADDR, .desc = "a 5-byte address", .extract = x_ipbad},
    {.name = "x.list", .type = FALCO_FIELD_U64, .is_list = true, .desc = "three numbers", .extract = x_list},
    {.name = "x.strlist", .type = FALCO_FIELD_STRING, .is_list = true, .desc = "five words",
     .extract = x_strlist},
    {.name = "x.twice", .type = FALCO_FIELD_U64, .desc = "two values on a non-list", .extract = x_twice},
    {.name = "x.wrongtype", .type = FALCO_FIELD_U64, .desc = "a string on a u64", .extract = x_wrongtype},
    {.name = "x.wrongbool", .type = FALCO_FIELD_STRING, .desc = "a bool on a string", .extract = x_wrongbool},
    {.name = "x.none", .type = FALCO_FIELD_U64, .desc = "never a value", .extract = x_none},
    {.name = "x.idx", .type = FALCO_FIELD_U64, .arg = FALCO_ARG_INDEX, .desc = "the index argument",
     .extract = x_idx},
    {.name = "x.key", .type = FALCO_FIELD_STRING, .arg = FALCO_ARG_KEY, .arg_required = true,
     .desc = "the key argument", .extract = x_key},
    {.name = "x.fail", .type = FALCO_FIELD_U64, .desc = "fails silently", .extract = x_fail},
    {.name = "x.failmsg", .type = FALCO_FIELD_U64, .desc = "fails with a message", .extract = x_failmsg},
    {.name = "x.ctx1", .type = FALCO_FIELD_U64, .desc = "context value", .extract = x_ctx_field, .data = &mul1},
    {.name = "x.ctx10", .type = FALCO_FIELD_U64, .desc = "context value x10", .extract = x_ctx_field,
     .data = &mul10},
    {.name = "x.off", .type = FALCO_FIELD_U64, .desc = "payload with its offset", .extract = x_off},
    {.name = "x.evtnum", .type = FALCO_FIELD_U64, .desc = "the event number", .extract = x_evtnum,
     .display = "Event number", .properties = FALCO_FIELD_HIDDEN | FALCO_FIELD_INFO, .add_output = true},
};

static void x_metrics(falco_plugin *p, void *state, falco_metrics *m) {
    (void)p;
    x_state *st = state;
    falco_metrics_u64(m, "prepares", FALCO_METRIC_MONOTONIC, st->prepares);
    falco_metrics_u64(m, "setter_rc", FALCO_METRIC_NON_MONOTONIC, st->setter_rc);
}

FALCO_PLUGIN(xplug, .name = "xplug", .version = "0.3.0", .contact = "tests@example.com",
             .description = "extraction behaviours", .state_size = sizeof(x_state), .metrics = x_metrics);

FALCO_EXTRACT(xplug, .fields = FALCO_LIST(x_fields), .sources = FALCO_SOURCES("xsrc"),
              .event_context_size = sizeof(x_ctx), .prepare_event = x_prepare, .value_offsets = true);
