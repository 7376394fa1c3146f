/* falco_host_fd_set_socket: each socket variant written into libsinsp's
 * address union, every socket_* member then read from the same bytes (so
 * members of the other variants read what this variant put at their
 * offsets), and bad input refused with fd left as it was. */
#include <stdint.h>

#include "host_test.h"

static const uint8_t ip4_a[4] = { 10, 0, 0, 1 }, ip4_b[4] = { 192, 168, 1, 2 };
static const uint8_t ip6_a[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
static const uint8_t ip6_b[16] = { 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 };

/* The n (2, 4 or 8) bytes at p as the host reads an integer of that size. */
static uint64_t ld(const uint8_t *p, size_t n)
{
    uint16_t v16;
    uint32_t v32;
    uint64_t v64;
    if (n == 2) {
        memcpy(&v16, p, 2);
        return v16;
    }
    if (n == 4) {
        memcpy(&v32, p, 4);
        return v32;
    }
    memcpy(&v64, p, 8);
    return v64;
}

/* The bytes of a port (2) and a protocol (1) as they follow each other in
 * the union, read as n bytes (from a zeroed image). */
static uint64_t port_proto(uint16_t port, uint8_t proto, size_t n)
{
    uint8_t b[8] = { 0 };
    memcpy(b, &port, 2);
    b[2] = proto;
    return ld(b, n);
}

static void test_ipv4_tuple(void **state)
{
    falco_host_fd fd = { .fd = 3, .type = 3, .name = "kept" };
    falco_host_socket s = { .sip = ip4_a, .dip = ip4_b, .sport = 40000, .dport = 443, .l4proto = 2 };
    assert_int_equal(falco_host_fd_set_socket(&fd, &s), FALCO_OK);
    assert_int_equal(fd.socket_ipv4_src_ip, ld(ip4_a, 4));
    assert_int_equal(fd.socket_ipv4_dest_dip, ld(ip4_b, 4));
    assert_int_equal(fd.socket_ipv4_src_port, 40000);
    assert_int_equal(fd.socket_ipv4_dst_port, 443);
    assert_int_equal(fd.socket_ipv4_l4_proto, 2);
    /* the server variant reads the tuple's bytes: ip = sip, port = dip's low half */
    assert_int_equal(fd.socket_ipv4_server_ip, ld(ip4_a, 4));
    assert_int_equal(fd.socket_ipv4_server_port, ld(ip4_b, 2));
    assert_int_equal(fd.socket_ipv4_server_l4_proto, ip4_b[2]);
    /* the IPv6 and unix variants: sip and dip as one 8-byte word */
    uint8_t both[8];
    memcpy(both, ip4_a, 4);
    memcpy(both + 4, ip4_b, 4);
    assert_int_equal(fd.socket_ipv6_src_ip_low, ld(both, 8));
    assert_int_equal(fd.socket_unix_src, ld(both, 8));
    uint8_t tail[8] = { 0 };
    uint16_t sp = 40000, dp = 443;
    memcpy(tail, &sp, 2);
    memcpy(tail + 2, &dp, 2);
    tail[4] = 2;
    assert_int_equal(fd.socket_ipv6_src_ip_high, ld(tail, 8));
    assert_int_equal(fd.socket_ipv6_dest_ip_low, 0);
    assert_int_equal(fd.socket_ipv6_l4_proto, 0);
    /* the members outside the union are left as they were */
    assert_int_equal(fd.fd, 3);
    assert_int_equal(fd.type, 3);
    assert_string_equal(fd.name, "kept");
}

static void test_ipv6_tuple_and_servers(void **state)
{
    falco_host_fd fd = { .type = 4 };
    falco_host_socket s = { .sip = ip6_a, .dip = ip6_b, .sport = 5353, .dport = 53, .l4proto = 3 };
    assert_int_equal(falco_host_fd_set_socket(&fd, &s), FALCO_OK);
    assert_int_equal(fd.socket_ipv6_src_ip_low, ld(ip6_a, 8));
    assert_int_equal(fd.socket_ipv6_src_ip_high, ld(ip6_a + 8, 8));
    assert_int_equal(fd.socket_ipv6_dest_ip_low, ld(ip6_b, 8));
    assert_int_equal(fd.socket_ipv6_dest_ip_high, ld(ip6_b + 8, 8));
    assert_int_equal(fd.socket_ipv6_src_port, 5353);
    assert_int_equal(fd.socket_ipv6_dst_port, 53);
    assert_int_equal(fd.socket_ipv6_l4_proto, 3);
    assert_int_equal(fd.socket_ipv6_server_port, ld(ip6_b, 2));
    assert_int_equal(fd.socket_ipv6_server_l4_proto, ip6_b[2]);
    assert_int_equal(fd.socket_ipv4_src_port, ld(ip6_a + 8, 2));
    assert_int_equal(fd.socket_ipv4_l4_proto, ip6_a[12]);

    falco_host_fd srv4 = { .type = 5 };
    falco_host_socket l4 = { .sip = ip4_b, .sport = 8080, .l4proto = 2 };
    assert_int_equal(falco_host_fd_set_socket(&srv4, &l4), FALCO_OK);
    assert_int_equal(srv4.socket_ipv4_server_ip, ld(ip4_b, 4));
    assert_int_equal(srv4.socket_ipv4_server_port, 8080);
    assert_int_equal(srv4.socket_ipv4_server_l4_proto, 2);
    assert_int_equal(srv4.socket_ipv4_dest_dip, port_proto(8080, 2, 4)); /* port and proto where the tuple's dip is */
    assert_int_equal(srv4.socket_ipv4_src_port, 0);

    falco_host_fd srv6 = { .type = 6 };
    falco_host_socket l6 = { .sip = ip6_b, .sport = 443, .l4proto = 2 };
    assert_int_equal(falco_host_fd_set_socket(&srv6, &l6), FALCO_OK);
    assert_int_equal(srv6.socket_ipv6_server_ip_low, ld(ip6_b, 8));
    assert_int_equal(srv6.socket_ipv6_server_ip_high, ld(ip6_b + 8, 8));
    assert_int_equal(srv6.socket_ipv6_server_port, 443);
    assert_int_equal(srv6.socket_ipv6_server_l4_proto, 2);
    assert_int_equal(srv6.socket_ipv6_dest_ip_low, port_proto(443, 2, 8));
}

static void test_unix(void **state)
{
    falco_host_fd fd = { .type = 8 };
    falco_host_socket s = { .unix_src = 0xffff8880aabbccddull, .unix_dest = 0x1122334455667788ull };
    assert_int_equal(falco_host_fd_set_socket(&fd, &s), FALCO_OK);
    assert_int_equal(fd.socket_unix_src, 0xffff8880aabbccddull);
    assert_int_equal(fd.socket_unix_dest, 0x1122334455667788ull);
    assert_int_equal(fd.socket_ipv6_src_ip_low, 0xffff8880aabbccddull);
    uint64_t src = 0xffff8880aabbccddull;
    assert_int_equal(fd.socket_ipv4_src_ip, ld((const uint8_t *)&src, 4));
    assert_int_equal(fd.socket_ipv6_dest_ip_low, 0);
}

static void test_bad_input(void **state)
{
    falco_host_fd fd = { .type = 3, .socket_ipv4_src_port = 7 };
    falco_host_socket s = { .sip = ip4_a, .sport = 1 };
    assert_int_equal(falco_host_fd_set_socket(NULL, &s), FALCO_EINVAL);
    assert_int_equal(falco_host_fd_set_socket(&fd, NULL), FALCO_EINVAL);
    assert_int_equal(falco_host_fd_set_socket(&fd, &s), FALCO_EINVAL); /* a tuple without dip */
    fd.type = 6;
    s.sip = NULL;
    assert_int_equal(falco_host_fd_set_socket(&fd, &s), FALCO_EINVAL);
    fd.type = 1; /* a file */
    s.sip = ip4_a;
    assert_int_equal(falco_host_fd_set_socket(&fd, &s), FALCO_EINVAL);
    assert_int_equal(fd.socket_ipv4_src_port, 7); /* unchanged */
    assert_int_equal(fd.socket_ipv4_src_ip, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ipv4_tuple),
        cmocka_unit_test(test_ipv6_tuple_and_servers),
        cmocka_unit_test(test_unix),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
