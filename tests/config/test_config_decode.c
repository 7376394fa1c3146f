/* falco_config_decode / falco_config_release: defaults, every type, nested
 * objects, lists, and every error path with its exact message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <falco/config.h>

typedef struct {
    uint32_t retries;
} inner_config;

typedef struct {
    char *ca;
    bool verify;
    inner_config inner;
} tls_config;

typedef struct {
    bool verbose;
    int32_t offset;
    int64_t big;
    uint32_t port;
    uint64_t start;
    double ratio;
    double any;
    char *host;
    char *label; /* no default: NULL when absent */
    int mode;
    falco_string_list tags;
    falco_string_list empty;
    tls_config tls;
} test_config;

typedef struct {
    uint32_t port;
    char *host;
} required_config;

static const char *const modes[] = { "fast", "safe", NULL };
static const char *const default_tags[] = { "a", "bb", NULL };

static const falco_config_option inner_options[] = {
    FALCO_CONFIG_U32(inner_config, retries, "retries", .def = 3, .max = 10),
};

static const falco_config_option tls_options[] = {
    FALCO_CONFIG_STRING(tls_config, ca, "ca", .def_str = "/etc/ca.pem", .desc = "CA bundle"),
    FALCO_CONFIG_BOOL(tls_config, verify, "verify", .def = 1),
    FALCO_CONFIG_OBJECT(tls_config, inner, "inner", inner_options),
};

static const falco_config_option options[] = {
    FALCO_CONFIG_BOOL(test_config, verbose, "verbose"),
    FALCO_CONFIG_I32(test_config, offset, "offset", .def = -5, .min = -100, .max = 100),
    FALCO_CONFIG_I64(test_config, big, "big", .def = -1),
    FALCO_CONFIG_U32(test_config, port, "port", .def = 8080, .min = 1, .max = 65535),
    FALCO_CONFIG_U64(test_config, start, "start", .def = 1),
    FALCO_CONFIG_DOUBLE(test_config, ratio, "ratio", .def = 0.5, .min = 0, .max = 1),
    FALCO_CONFIG_DOUBLE(test_config, any, "any", .def = 2.5),
    FALCO_CONFIG_STRING(test_config, host, "host", .def_str = "localhost"),
    FALCO_CONFIG_STRING(test_config, label, "label"),
    FALCO_CONFIG_ENUM(test_config, mode, "mode", modes, .def_str = "safe"),
    FALCO_CONFIG_STRING_LIST(test_config, tags, "tags", .def_list = default_tags),
    FALCO_CONFIG_STRING_LIST(test_config, empty, "empty"),
    FALCO_CONFIG_OBJECT(test_config, tls, "tls", tls_options),
};

static const falco_config_option required_options[] = {
    FALCO_CONFIG_U32(required_config, port, "port", .def = 1, .min = 1, .max = 65535),
    FALCO_CONFIG_STRING(required_config, host, "host", .required = true),
};

static const falco_config_option_list opts = FALCO_LIST(options);
static char err[256];

static void assert_no_allocations(const test_config *c)
{
    assert_null(c->host);
    assert_null(c->label);
    assert_null(c->tags.items);
    assert_int_equal(c->tags.count, 0);
    assert_null(c->empty.items);
    assert_null(c->tls.ca);
}

/* Decodes json into a fresh struct and returns the code; *c holds the result. */
static falco_rc decode(const char *json, test_config *c)
{
    memset(c, 0xab, sizeof *c); /* garbage: decode must not read it */
    return falco_config_decode(opts, json, json ? strlen(json) : 0, c, err, sizeof err);
}

static void assert_fails(const char *json, falco_rc rc, const char *message)
{
    test_config c;
    assert_int_equal(decode(json, &c), rc);
    assert_string_equal(err, message);
    assert_no_allocations(&c);
}

static void assert_defaults(const test_config *c)
{
    assert_false(c->verbose);
    assert_int_equal(c->offset, -5);
    assert_int_equal(c->big, -1);
    assert_int_equal(c->port, 8080);
    assert_int_equal(c->start, 1);
    assert_true(c->ratio == 0.5);
    assert_true(c->any == 2.5);
    assert_string_equal(c->host, "localhost");
    assert_null(c->label);
    assert_int_equal(c->mode, 1);
    assert_int_equal(c->tags.count, 2);
    assert_string_equal(c->tags.items[0], "a");
    assert_string_equal(c->tags.items[1], "bb");
    assert_int_equal(c->empty.count, 0);
    assert_string_equal(c->tls.ca, "/etc/ca.pem");
    assert_true(c->tls.verify);
    assert_int_equal(c->tls.inner.retries, 3);
}

static void test_defaults(void **state)
{
    (void)state;
    static const char *const empties[] = { NULL, "", "  \n\t ", "{}", " { } " };
    for (size_t i = 0; i < sizeof empties / sizeof empties[0]; i++) {
        test_config c;
        assert_int_equal(decode(empties[i], &c), FALCO_OK);
        assert_string_equal(err, "");
        assert_defaults(&c);
        falco_config_release(opts, &c);
        assert_no_allocations(&c);
    }
}

static void test_every_type(void **state)
{
    (void)state;
    test_config c;
    const char *json =
        "{\"verbose\":true,\"offset\":-100,\"big\":-9223372036854775808,\"port\":65535,"
        "\"start\":18446744073709551615,\"ratio\":1,\"any\":-1.5e300,\"host\":\"example.com\","
        "\"label\":\"\xc3\xa9t\xc3\xa9\",\"mode\":\"fast\",\"tags\":[\"x\",\"\",\"z\\n\"],\"empty\":[],"
        "\"tls\":{\"ca\":\"/ca\",\"verify\":false,\"inner\":{\"retries\":0}}}";
    assert_int_equal(decode(json, &c), FALCO_OK);
    assert_true(c.verbose);
    assert_int_equal(c.offset, -100);
    assert_true(c.big == INT64_MIN);
    assert_int_equal(c.port, 65535);
    assert_true(c.start == UINT64_MAX);
    assert_true(c.ratio == 1.0);
    assert_true(c.any == -1.5e300);
    assert_string_equal(c.host, "example.com");
    assert_string_equal(c.label, "\xc3\xa9t\xc3\xa9");
    assert_int_equal(c.mode, 0);
    assert_int_equal(c.tags.count, 3);
    assert_string_equal(c.tags.items[0], "x");
    assert_string_equal(c.tags.items[1], "");
    assert_string_equal(c.tags.items[2], "z\n");
    assert_int_equal(c.empty.count, 0);
    assert_string_equal(c.tls.ca, "/ca");
    assert_false(c.tls.verify);
    assert_int_equal(c.tls.inner.retries, 0);
    falco_config_release(opts, &c);
    assert_no_allocations(&c);
    falco_config_release(opts, &c); /* twice is safe */
}

static void test_partial_object_keeps_defaults(void **state)
{
    (void)state;
    test_config c;
    assert_int_equal(decode("{\"tls\":{\"verify\":false},\"port\":1}", &c), FALCO_OK);
    assert_int_equal(c.port, 1);
    assert_string_equal(c.tls.ca, "/etc/ca.pem");
    assert_false(c.tls.verify);
    assert_int_equal(c.tls.inner.retries, 3);
    assert_string_equal(c.host, "localhost");
    falco_config_release(opts, &c);
}

static void test_duplicate_keys_last_wins(void **state)
{
    (void)state;
    test_config c;
    assert_int_equal(decode("{\"host\":\"a\",\"host\":\"b\"}", &c), FALCO_OK);
    assert_string_equal(c.host, "b");
    falco_config_release(opts, &c);
}

static void test_integer_errors(void **state)
{
    (void)state;
    assert_fails("{\"port\":\"abc\"}", FALCO_EINVAL, "config.port: expected integer in 1..65535, got \"abc\"");
    assert_fails("{\"port\":0}", FALCO_EINVAL, "config.port: expected integer in 1..65535, got 0");
    assert_fails("{\"port\":65536}", FALCO_EINVAL, "config.port: expected integer in 1..65535, got 65536");
    assert_fails("{\"port\":80.5}", FALCO_EINVAL, "config.port: expected integer in 1..65535, got 80.5");
    assert_fails("{\"port\":8.05e1}", FALCO_EINVAL, "config.port: expected integer in 1..65535, got 8.05e1");
    assert_fails("{\"port\":65536.0}", FALCO_EINVAL, "config.port: expected integer in 1..65535, got 65536.0");
    assert_fails("{\"port\":-1}", FALCO_EINVAL, "config.port: expected integer in 1..65535, got -1");
    assert_fails("{\"offset\":101}", FALCO_EINVAL, "config.offset: expected integer in -100..100, got 101");
    assert_fails("{\"big\":9223372036854775808}", FALCO_EINVAL,
                 "config.big: expected integer in -9223372036854775808..9223372036854775807, got "
                 "9223372036854775808");
    assert_fails("{\"start\":-1}", FALCO_EINVAL, "config.start: expected integer in 0..18446744073709551615, got -1");
    assert_fails("{\"start\":18446744073709551616}", FALCO_EINVAL,
                 "config.start: expected integer in 0..18446744073709551615, got 18446744073709551616");
    assert_fails("{\"start\":null}", FALCO_EINVAL, "config.start: expected integer in 0..18446744073709551615, got null");
    assert_fails("{\"tls\":{\"inner\":{\"retries\":11}}}", FALCO_EINVAL,
                 "config.tls.inner.retries: expected integer in 0..10, got 11");
}

/* Whole numbers written with a fraction or exponent are integers, as for
 * libsinsp's schema check (tests/config/test_int_agreement.c has the table). */
static void test_whole_numbers_are_integers(void **state)
{
    (void)state;
    test_config c;
    const char *json = "{\"port\": 8e1, \"offset\": -5.0e1, \"big\": -0.0, \"start\": 1e19}";
    assert_int_equal(falco_config_decode(opts, json, strlen(json), &c, NULL, 0), FALCO_OK);
    assert_int_equal(c.port, 80);
    assert_int_equal(c.offset, -50);
    assert_int_equal(c.big, 0);
    assert_true(c.start == 10000000000000000000u);
    falco_config_release(opts, &c);
}

static void test_type_errors(void **state)
{
    (void)state;
    assert_fails("{\"verbose\":1}", FALCO_EINVAL, "config.verbose: expected boolean, got 1");
    assert_fails("{\"tls\":{\"ca\":42}}", FALCO_EINVAL, "config.tls.ca: expected string, got 42");
    assert_fails("{\"host\":\"a\\u0000b\"}", FALCO_EINVAL,
                 "config.host: expected string without NUL characters, got \"a\\u0000b\"");
    assert_fails("{\"ratio\":1.5}", FALCO_EINVAL, "config.ratio: expected number in 0..1, got 1.5");
    assert_fails("{\"ratio\":\"x\"}", FALCO_EINVAL, "config.ratio: expected number in 0..1, got \"x\"");
    assert_fails("{\"any\":true}", FALCO_EINVAL, "config.any: expected number, got true");
    assert_fails("{\"any\":1e999}", FALCO_EINVAL, "config.any: expected finite number, got 1e999");
    assert_fails("{\"mode\":\"slow\"}", FALCO_EINVAL, "config.mode: expected one of \"fast\", \"safe\", got \"slow\"");
    assert_fails("{\"mode\":1}", FALCO_EINVAL, "config.mode: expected one of \"fast\", \"safe\", got 1");
    assert_fails("{\"tags\":\"x\"}", FALCO_EINVAL, "config.tags: expected array of strings, got \"x\"");
    assert_fails("{\"tags\":[\"x\",3]}", FALCO_EINVAL, "config.tags[1]: expected string, got 3");
    assert_fails("{\"tags\":[\"\\u0000\"]}", FALCO_EINVAL,
                 "config.tags[0]: expected string without NUL characters, got \"\\u0000\"");
    assert_fails("{\"tls\":[]}", FALCO_EINVAL, "config.tls: expected object, got []");
    assert_fails("[1,2]", FALCO_EINVAL, "config: expected object, got [1,2]");
    /* long offending values are cut */
    assert_fails("{\"host\":[\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"]}", FALCO_EINVAL,
                 "config.host: expected string, got [\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...");
}

static void test_unknown_keys(void **state)
{
    (void)state;
    assert_fails("{\"prot\":1}", FALCO_EINVAL,
                 "config: unknown key 'prot' (known: verbose, offset, big, port, start, ratio, any, host, label, "
                 "mode, tags, empty, tls)");
    assert_fails("{\"tls\":{\"verfy\":true}}", FALCO_EINVAL,
                 "config.tls: unknown key 'verfy' (known: ca, verify, inner)");
    assert_fails("{\"tls\":{\"inner\":{\"x\\u0001'\":1}}}", FALCO_EINVAL,
                 "config.tls.inner: unknown key 'x\\x01\\x27' (known: retries)");
    /* an unknown key is reported even after a valid one was stored */
    assert_fails("{\"host\":\"h\",\"zz\":1}", FALCO_EINVAL,
                 "config: unknown key 'zz' (known: verbose, offset, big, port, start, ratio, any, host, label, "
                 "mode, tags, empty, tls)");
}

static void test_required(void **state)
{
    (void)state;
    falco_config_option_list ropts = FALCO_LIST(required_options);
    required_config c;
    memset(&c, 0, sizeof c);
    assert_int_equal(falco_config_decode(ropts, "{\"port\":2}", 10, &c, err, sizeof err), FALCO_EINVAL);
    assert_string_equal(err, "config: missing required key 'host'");
    assert_null(c.host);
    assert_int_equal(falco_config_decode(ropts, "", 0, &c, err, sizeof err), FALCO_EINVAL);
    assert_string_equal(err, "config: missing required key 'host'");
    assert_int_equal(falco_config_decode(ropts, "{\"host\":\"h\"}", 12, &c, err, sizeof err), FALCO_OK);
    assert_string_equal(c.host, "h");
    assert_int_equal(c.port, 1);
    falco_config_release(ropts, &c);
    assert_null(c.host);
}

static void test_malformed_json(void **state)
{
    (void)state;
    assert_fails("{\"port\" 1}", FALCO_EPARSE,
                 "config: invalid JSON at line 1 column 9: expected ':' after object key, got '1'");
    assert_fails("{\n\"port\":1,\n}", FALCO_EPARSE,
                 "config: invalid JSON at line 3 column 1: expected a string key, got '}'");
    assert_fails("{} x", FALCO_EPARSE, "config: invalid JSON at line 1 column 4: unexpected 'x' after the JSON value");
}

static void test_error_buffer_handling(void **state)
{
    (void)state;
    test_config c;
    char small[16];
    memset(&c, 0, sizeof c);
    assert_int_equal(falco_config_decode(opts, "{\"port\":0}", 10, &c, small, sizeof small), FALCO_EINVAL);
    assert_string_equal(small, "config.port: ex"); /* truncated, still terminated */
    assert_int_equal(falco_config_decode(opts, "{\"port\":0}", 10, &c, NULL, 0), FALCO_EINVAL);
    assert_int_equal(falco_config_decode(opts, "{}", 2, NULL, err, sizeof err), FALCO_EINVAL);
    assert_string_equal(err, "config: no struct to decode into");
}

static void test_len_is_respected(void **state)
{
    (void)state;
    test_config c;
    memset(&c, 0, sizeof c);
    const char *json = "{\"port\":80}{garbage";
    assert_int_equal(falco_config_decode(opts, json, 11, &c, err, sizeof err), FALCO_OK);
    assert_int_equal(c.port, 80);
    falco_config_release(opts, &c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_every_type),
        cmocka_unit_test(test_partial_object_keeps_defaults),
        cmocka_unit_test(test_duplicate_keys_last_wins),
        cmocka_unit_test(test_integer_errors),
        cmocka_unit_test(test_whole_numbers_are_integers),
        cmocka_unit_test(test_type_errors),
        cmocka_unit_test(test_unknown_keys),
        cmocka_unit_test(test_required),
        cmocka_unit_test(test_malformed_json),
        cmocka_unit_test(test_error_buffer_handling),
        cmocka_unit_test(test_len_is_respected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
