/* ipplug - IPADDR and IPNET fields as libsinsp takes them: both hold an
 * address; an ipnet one is matched against the networks a filter names and
 * printed <IPNET>. Used by tests/sdk/test_extract_ip.c (through the host
 * library) and by scripts/realhost-test (in real libsinsp).
 *
 *   open params  the number of events ("" = 6); event N carries N (u64)
 *   ip.addr      row (N-1) % 7 of `rows`, an ipaddr
 *   ip.net       the same address, as an ipnet
 *   ip.nets      an ipnet list: the row's address, then 10.0.0.1
 *   ip.netlen    an ipnet value of N bytes (the setter refuses all but 4 and 16)
 *   ip.addrlen   an ipaddr value of N bytes (likewise)
 *   ip.netnull   an ipnet value with a NULL address (refused)
 */
#include <stdint.h>
#include <stdlib.h>

#include <falco/plugin.h>

typedef struct {
    uint64_t next, last;
} ip_instance;

/* IPv4 rows are 4 bytes, IPv6 ones 16 (::ffff:10.9.8.7 is IPv6: it is in
 * no IPv4 network for libsinsp). */
static const struct {
    uint32_t len;
    unsigned char b[16];
} rows[] = {
    {4, {10, 1, 2, 3}},
    {4, {192, 168, 7, 9}},
    {16, {0x20, 0x01, 0x0d, 0xb8, [15] = 1}},
    {4, {10, 200, 0, 1}},
    {16, {0xfe, 0x80, [15] = 1}},
    {4, {172, 16, 5, 4}},
    {16, {[10] = 0xff, [11] = 0xff, [12] = 10, [13] = 9, [14] = 8, [15] = 7}},
};
#define NROWS (sizeof rows / sizeof rows[0])

static falco_rc ip_open(falco_plugin *p, const char *params, void **instance) {
    ip_instance *in = *instance;
    in->last = 6;
    if (*params) {
        char *end;
        in->last = strtoull(params, &end, 10);
        if (*end)
            return falco_error(p, FALCO_EINVAL, "open params: expected a number of events, got \"%s\"", params);
    }
    return FALCO_OK;
}

static falco_rc ip_next_batch(falco_plugin *p, void *instance, falco_batch *b) {
    (void)p;
    ip_instance *in = instance;
    while (in->next < in->last && falco_batch_room(b) > 0) {
        in->next++;
        FALCO_TRY(falco_batch_add_plugin_event(b, &in->next, sizeof in->next));
    }
    return in->next < in->last ? FALCO_OK : FALCO_EOF;
}

static falco_rc ip_row(falco_extract *x, const falco_event *ev) {
    uint64_t n;
    FALCO_TRY(falco_event_payload_u64(ev, &n));
    size_t r = (size_t)((n - 1) % NROWS);
    return falco_extract_ip(x, rows[r].b, rows[r].len);
}

static falco_rc ip_rows(falco_extract *x, const falco_event *ev) {
    static const unsigned char ten[4] = {10, 0, 0, 1};
    FALCO_TRY(ip_row(x, ev));
    return falco_extract_ip(x, ten, sizeof ten);
}

/* N bytes of a 64-byte buffer: the setter refuses every N but 4 and 16
 * before it reads any. */
static falco_rc ip_len(falco_extract *x, const falco_event *ev) {
    static const unsigned char bytes[64] = {10, 1, 2, 3, 8};
    uint64_t n;
    FALCO_TRY(falco_event_payload_u64(ev, &n));
    return falco_extract_ip(x, bytes, n > UINT32_MAX ? UINT32_MAX : (uint32_t)n);
}

static falco_rc ip_null(falco_extract *x, const falco_event *ev) {
    (void)ev;
    return falco_extract_ip(x, NULL, 4);
}

static const falco_field ip_fields[] = {
    {.name = "ip.addr", .type = FALCO_FIELD_IPADDR, .desc = "the row's address", .extract = ip_row},
    {.name = "ip.net", .type = FALCO_FIELD_IPNET, .desc = "the row's address, matched against networks",
     .extract = ip_row},
    {.name = "ip.nets", .type = FALCO_FIELD_IPNET, .is_list = true, .desc = "the row's address and 10.0.0.1",
     .extract = ip_rows},
    {.name = "ip.netlen", .type = FALCO_FIELD_IPNET, .desc = "an N-byte ipnet value", .extract = ip_len},
    {.name = "ip.addrlen", .type = FALCO_FIELD_IPADDR, .desc = "an N-byte ipaddr value", .extract = ip_len},
    {.name = "ip.netnull", .type = FALCO_FIELD_IPNET, .desc = "a NULL address", .extract = ip_null},
};

FALCO_PLUGIN(ipplug, .name = "ipplug", .version = "0.1.0", .contact = "tests@example.com",
             .description = "ipaddr and ipnet fields as libsinsp takes them");
FALCO_SOURCE(ipplug, .id = 4646, .event_source = "ipplug", .instance_size = sizeof(ip_instance),
             .open = ip_open, .next_batch = ip_next_batch);
FALCO_EXTRACT(ipplug, .fields = FALCO_LIST(ip_fields));
