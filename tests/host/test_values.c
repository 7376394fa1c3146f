/* falco_host_value_format on ipaddr and ipnet values, as libsinsp's
 * rawval_to_string prints them: an ipaddr as its address (refused at a
 * size libsinsp stops on), an ipnet as <IPNET> whatever its bytes (libsinsp
 * prints no ipnet value: it only matches them against networks in filters). */
#include "host_test.h"

/* One buffer value of type t: formatted into a size-byte buffer. */
static falco_rc format_one(falco_abi_field_type t, const void *bytes, uint32_t len, char *buf, size_t size)
{
    falco_abi_byte_buffer b = { .len = len, .ptr = bytes };
    falco_host_values v;
    memset(&v, 0, sizeof v);
    v.type = t;
    v.count = 1;
    v.v.buf = &b;
    return falco_host_value_format(&v, 0, buf, size);
}

static void expect_text(falco_abi_field_type t, const void *bytes, uint32_t len, const char *want)
{
    char buf[128];
    assert_int_equal(format_one(t, bytes, len, buf, sizeof buf), FALCO_OK);
    assert_string_equal(buf, want);
}

static const unsigned char v4[4] = { 10, 1, 2, 3 };
static const unsigned char v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
/* what an earlier host took for "10.0.0.0/8": an address and a prefix byte */
static const unsigned char v4_prefix[5] = { 10, 0, 0, 0, 8 };
/* libsinsp's own ipv4net layout: {ip, netmask} */
static const unsigned char v4_mask[8] = { 10, 0, 0, 0, 255, 0, 0, 0 };
static const unsigned char v6_prefix[17] = { 0x20, 0x01, 0x0d, 0xb8, [16] = 32 };

static void test_ipnet_prints_as_libsinsp(void **state)
{
    (void)state;
    expect_text(FALCO_ABI_FT_IPNET, v4, 4, "<IPNET>");
    expect_text(FALCO_ABI_FT_IPNET, v6, 16, "<IPNET>");
    /* sizes libsinsp aborts a filter on are still printed <IPNET> by it */
    expect_text(FALCO_ABI_FT_IPNET, v4_prefix, 5, "<IPNET>");
    expect_text(FALCO_ABI_FT_IPNET, v4_mask, 8, "<IPNET>");
    expect_text(FALCO_ABI_FT_IPNET, v6_prefix, 17, "<IPNET>");
    expect_text(FALCO_ABI_FT_IPNET, v4, 0, "<IPNET>");
}

static void test_ipaddr_prints_its_address(void **state)
{
    (void)state;
    expect_text(FALCO_ABI_FT_IPADDR, v4, 4, "10.1.2.3");
    expect_text(FALCO_ABI_FT_IPADDR, v6, 16, "2001:db8::1");
}

/* libsinsp stops on an ipaddr of another size ("rawval_to_string called
 * with IP address of incorrect size"): refused, with an empty text. */
static void test_ipaddr_other_sizes_refused(void **state)
{
    (void)state;
    static const unsigned char big[3000] = { 1 };
    const struct {
        const void *bytes;
        uint32_t len;
    } bad[] = { { v4_prefix, 5 }, { v4_mask, 8 }, { v6_prefix, 17 }, { v4, 0 }, { v4, 3 }, { big, 3000 } };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char buf[64] = "unchanged";
        assert_int_equal(format_one(FALCO_ABI_FT_IPADDR, bad[i].bytes, bad[i].len, buf, sizeof buf), FALCO_EINVAL);
        assert_string_equal(buf, "");
    }
}

static void test_ipnet_truncated(void **state)
{
    (void)state;
    char buf[8];
    /* "<IPNET>" needs 8 bytes with its NUL */
    assert_int_equal(format_one(FALCO_ABI_FT_IPNET, v4, 4, buf, 8), FALCO_OK);
    assert_string_equal(buf, "<IPNET>");
    assert_int_equal(format_one(FALCO_ABI_FT_IPNET, v4, 4, buf, 7), FALCO_ETRUNCATED);
    assert_int_equal(buf[6], '\0');
    assert_int_equal(format_one(FALCO_ABI_FT_IPNET, v4, 4, buf, 0), FALCO_ETRUNCATED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ipnet_prints_as_libsinsp),
        cmocka_unit_test(test_ipaddr_prints_its_address),
        cmocka_unit_test(test_ipaddr_other_sizes_refused),
        cmocka_unit_test(test_ipnet_truncated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
