/* falco_extract_ip through the host (plugins/ipplug.c): an IPADDR or IPNET
 * value is a 4- or 16-byte address, the only sizes libsinsp uses (it matches
 * an ipnet address against the filter's networks and aborts the filter on
 * any other size); other sizes and a NULL address are refused with a message
 * naming the field; the host prints an ipnet value <IPNET> as libsinsp does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sdk_test.h"

static falco_host_plugin *load_ip(void) {
    return sdkt_load_init("SDKT_IPPLUG", "");
}

/* Extracts expr from an event carrying n; asserts one value of len bytes
 * equal to want, formatted as text. */
static void expect_ip(falco_host_plugin *p, const char *expr, uint64_t n, const void *want, uint32_t len,
                         const char *text) {
    sdkt_event e;
    sdkt_u64_event(&e, n, n, "ipplug");
    falco_host_values v;
    if (sdkt_extract(p, expr, &e.in, false, &v) != FALCO_OK)
        fail_msg("%s on event %llu: %s", expr, (unsigned long long)n, falco_host_errmsg(p));
    assert_int_equal(v.count, 1);
    const void *ptr;
    uint32_t got;
    assert_int_equal(falco_host_value_buf(&v, 0, &ptr, &got), FALCO_OK);
    assert_int_equal(got, len);
    assert_memory_equal(ptr, want, len);
    char buf[64];
    assert_int_equal(falco_host_value_format(&v, 0, buf, sizeof buf), FALCO_OK);
    assert_string_equal(buf, text);
}

/* Extracts expr from an event carrying n; asserts the host's whole message. */
static void expect_refused(falco_host_plugin *p, const char *expr, uint64_t n, const char *msg) {
    sdkt_event e;
    sdkt_u64_event(&e, n, n, "ipplug");
    falco_host_values v;
    assert_int_equal(sdkt_extract(p, expr, &e.in, false, &v), FALCO_ERROR);
    assert_string_equal(falco_host_errmsg(p), msg);
}

static void test_ipnet_takes_addresses(void **state) {
    (void)state;
    falco_host_plugin *p = load_ip();
    static const unsigned char v4[4] = {10, 1, 2, 3};
    static const unsigned char v6[16] = {10, 1, 2, 3, 8};
    expect_ip(p, "ip.netlen", 4, v4, 4, "<IPNET>");
    expect_ip(p, "ip.netlen", 16, v6, 16, "<IPNET>");
    expect_ip(p, "ip.addrlen", 4, v4, 4, "10.1.2.3");
    expect_ip(p, "ip.addrlen", 16, v6, 16, "a01:203:800::");
    falco_host_plugin_free(p);
}

static void test_ipnet_refuses_other_sizes(void **state) {
    (void)state;
    falco_host_plugin *p = load_ip();
    /* a prefix byte (5, 17), libsinsp's ipv4net {ip, netmask} (8), an
     * address + mask (32), and others */
    static const uint64_t sizes[] = {0, 1, 3, 5, 8, 15, 17, 32, 64, 1000};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        char want[512];
        snprintf(want, sizeof want,
                 "plugin 'ipplug': extract_fields: failed with FAILURE: field 'ip.netlen': an ipnet value is an "
                 "address, 4 (IPv4) or 16 (IPv6) bytes, that filters match against networks (ip.netlen = "
                 "10.0.0.0/8), not %llu bytes",
                 (unsigned long long)sizes[i]);
        expect_refused(p, "ip.netlen", sizes[i], want);
        snprintf(want, sizeof want,
                 "plugin 'ipplug': extract_fields: failed with FAILURE: field 'ip.addrlen': an IP address is 4 "
                 "or 16 bytes, not %llu",
                 (unsigned long long)sizes[i]);
        expect_refused(p, "ip.addrlen", sizes[i], want);
    }
    falco_host_plugin_free(p);
}

static void test_null_address_refused(void **state) {
    (void)state;
    falco_host_plugin *p = load_ip();
    expect_refused(p, "ip.netnull", 1,
                   "plugin 'ipplug': extract_fields: failed with FAILURE: field 'ip.netnull': a NULL address "
                   "was set");
    falco_host_plugin_free(p);
}

/* Every row: the same bytes through an ipaddr and an ipnet field; only the
 * ipaddr one prints its address. */
static void test_rows(void **state) {
    (void)state;
    falco_host_plugin *p = load_ip();
    static const struct {
        uint32_t len;
        unsigned char b[16];
        const char *text;
    } rows[] = {
        {4, {10, 1, 2, 3}, "10.1.2.3"},
        {4, {192, 168, 7, 9}, "192.168.7.9"},
        {16, {0x20, 0x01, 0x0d, 0xb8, [15] = 1}, "2001:db8::1"},
        {4, {10, 200, 0, 1}, "10.200.0.1"},
        {16, {0xfe, 0x80, [15] = 1}, "fe80::1"},
        {4, {172, 16, 5, 4}, "172.16.5.4"},
        {16, {[10] = 0xff, [11] = 0xff, [12] = 10, [13] = 9, [14] = 8, [15] = 7}, "::ffff:10.9.8.7"},
    };
    for (uint64_t n = 1; n <= 8; n++) {
        size_t r = (size_t)((n - 1) % 7);
        expect_ip(p, "ip.addr", n, rows[r].b, rows[r].len, rows[r].text);
        expect_ip(p, "ip.net", n, rows[r].b, rows[r].len, "<IPNET>");
    }
    /* the list: the row's address, then 10.0.0.1, each <IPNET> */
    sdkt_event e;
    sdkt_u64_event(&e, 3, 3, "ipplug");
    falco_host_values v;
    assert_int_equal(sdkt_extract(p, "ip.nets", &e.in, false, &v), FALCO_OK);
    assert_true(v.is_list);
    assert_int_equal(v.count, 2);
    const void *ptr;
    uint32_t len;
    char buf[16];
    assert_int_equal(falco_host_value_buf(&v, 0, &ptr, &len), FALCO_OK);
    assert_int_equal(len, 16);
    assert_memory_equal(ptr, rows[2].b, 16);
    assert_int_equal(falco_host_value_buf(&v, 1, &ptr, &len), FALCO_OK);
    assert_int_equal(len, 4);
    assert_memory_equal(ptr, ((const unsigned char[]){10, 0, 0, 1}), 4);
    for (uint64_t i = 0; i < 2; i++) {
        assert_int_equal(falco_host_value_format(&v, i, buf, sizeof buf), FALCO_OK);
        assert_string_equal(buf, "<IPNET>");
    }
    falco_host_plugin_free(p);
}

/* The declared types, as the host reads them from the plugin's field list. */
static void test_declared_types(void **state) {
    (void)state;
    falco_host_plugin *p = sdkt_load("SDKT_IPPLUG");
    assert_string_equal(falco_host_field_find(p, "ip.net")->type_name, "ipnet");
    assert_true(falco_host_field_find(p, "ip.nets")->is_list);
    assert_string_equal(falco_host_field_find(p, "ip.addr")->type_name, "ipaddr");
    falco_host_plugin_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ipnet_takes_addresses),
        cmocka_unit_test(test_ipnet_refuses_other_sizes),
        cmocka_unit_test(test_null_address_refused),
        cmocka_unit_test(test_rows),
        cmocka_unit_test(test_declared_types),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
