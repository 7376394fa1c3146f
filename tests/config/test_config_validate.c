/* falco_config_validate: every rule, each with its exact message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <falco/config.h>

typedef struct {
    uint32_t port;
    char *host;
} net_config;

typedef struct {
    bool b;
    int32_t i32;
    int64_t i64;
    uint32_t u32;
    uint64_t u64;
    double d;
    char *s;
    int e;
    falco_string_list l;
    net_config net;
} all_config;

static const char *const modes[] = { "a", "b", NULL };
static const char *const dup_modes[] = { "a", "a", NULL };
static const char *const empty_choice[] = { "a", "", NULL };
static const char *const no_modes[] = { NULL };

static const falco_config_option net_options[] = {
    FALCO_CONFIG_U32(net_config, port, "port", .def = 80, .min = 1, .max = 65535),
    FALCO_CONFIG_STRING(net_config, host, "host"),
};

static const falco_config_option good[] = {
    FALCO_CONFIG_BOOL(all_config, b, "b", .def = 1),
    FALCO_CONFIG_I32(all_config, i32, "i32", .def = -1, .min = -2, .max = 2),
    FALCO_CONFIG_I64(all_config, i64, "i64", .min = -1e30, .max = 1e30), /* clamped to the type */
    FALCO_CONFIG_U32(all_config, u32, "u32", .def = 4294967295.0),
    FALCO_CONFIG_U64(all_config, u64, "u64", .def = 9007199254740992.0),
    FALCO_CONFIG_DOUBLE(all_config, d, "d", .def = 0.5, .min = 0.25, .max = 0.75),
    FALCO_CONFIG_STRING(all_config, s, "s", .def_str = "x"),
    FALCO_CONFIG_ENUM(all_config, e, "e", modes, .def_str = "b"),
    FALCO_CONFIG_STRING_LIST(all_config, l, "l"),
    FALCO_CONFIG_OBJECT(all_config, net, "net", net_options),
};

static char err[256];

static falco_rc check(const falco_config_option *items, size_t count)
{
    falco_config_option_list list = { items, count };
    return falco_config_validate(list, sizeof(all_config), err, sizeof err);
}

/* Validates a one-option table and asserts the exact message. */
static void assert_bad(falco_config_option o, const char *message)
{
    assert_int_equal(check(&o, 1), FALCO_EINVAL);
    assert_string_equal(err, message);
}

static void test_good_table(void **state)
{
    (void)state;
    strcpy(err, "junk");
    assert_int_equal(check(good, FALCO_COUNT(good)), FALCO_OK);
    assert_string_equal(err, ""); /* cleared on success */
    assert_int_equal(falco_config_validate((falco_config_option_list){ NULL, 0 }, 0, NULL, 0), FALCO_OK);
}

static void test_names(void **state)
{
    (void)state;
    falco_config_option two[] = { good[0], good[0] };
    assert_int_equal(check(two, 2), FALCO_EINVAL);
    assert_string_equal(err, "config option 'b': duplicate name (options #0 and #1)");
    falco_config_option unnamed = good[1];
    unnamed.name = "";
    falco_config_option with_empty[] = { good[0], unnamed };
    assert_int_equal(check(with_empty, 2), FALCO_EINVAL);
    assert_string_equal(err, "config option '#1': option #1 has an empty name");
    unnamed.name = NULL;
    assert_bad(unnamed, "config option '#0': option #0 has an empty name");
    assert_int_equal(check(NULL, 3), FALCO_EINVAL);
    assert_string_equal(err, "config option '': 3 options but no items");
}

static void test_sizes_and_offsets(void **state)
{
    (void)state;
    falco_config_option o = FALCO_CONFIG_U64(all_config, u32, "u");
    assert_bad(o, "config option 'u': member is 4 bytes but a uint64_t option needs a uint64_t (8 bytes)");
    o = (falco_config_option)FALCO_CONFIG_BOOL(all_config, i64, "flag");
    assert_bad(o, "config option 'flag': member is 8 bytes but a bool option needs a bool (1 bytes)");
    o = (falco_config_option)FALCO_CONFIG_U64(all_config, u64, "u");
    o.offset = sizeof(all_config) - 4;
    char want[128];
    snprintf(want, sizeof want, "config option 'u': member at offset %zu (8 bytes) lies outside its struct (%zu bytes)",
             sizeof(all_config) - 4, sizeof(all_config));
    assert_bad(o, want);
    o.type = (falco_config_type)99;
    assert_bad(o, "config option 'u': unknown type 99");
}

static void test_numbers(void **state)
{
    (void)state;
    falco_config_option o = FALCO_CONFIG_U32(all_config, u32, "port", .def = 0, .min = 1, .max = 65535);
    assert_bad(o, "config option 'port': default 0 is outside 1..65535");
    o = (falco_config_option)FALCO_CONFIG_U32(all_config, u32, "port", .def = 5, .min = 1);
    assert_bad(o, "config option 'port': min 1 is greater than max 0 (bounds apply when either is non-zero: "
                  "set both)");
    o = (falco_config_option)FALCO_CONFIG_U32(all_config, u32, "port", .def = 1.5);
    assert_bad(o, "config option 'port': default 1.5 is not an integer that fits uint32_t");
    o = (falco_config_option)FALCO_CONFIG_U32(all_config, u32, "port", .def = -1);
    assert_bad(o, "config option 'port': default -1 is not an integer that fits uint32_t");
    o = (falco_config_option)FALCO_CONFIG_I32(all_config, i32, "n", .def = 2147483648.0);
    assert_bad(o, "config option 'n': default 2147483648 is not an integer that fits int32_t");
    o = (falco_config_option)FALCO_CONFIG_U64(all_config, u64, "n", .def = 18446744073709551616.0);
    assert_bad(o, "config option 'n': default 1.8446744073709552e19 is not an integer that fits uint64_t");
    o = (falco_config_option)FALCO_CONFIG_I64(all_config, i64, "n", .min = 0.5, .max = 2);
    assert_bad(o, "config option 'n': min and max of an integer option must be integers");
    o = (falco_config_option)FALCO_CONFIG_DOUBLE(all_config, d, "r", .def = 2, .min = 0, .max = 1);
    assert_bad(o, "config option 'r': default 2 is outside 0..1");
    o = (falco_config_option)FALCO_CONFIG_DOUBLE(all_config, d, "r", .def = 1.0 / 0.0);
    assert_bad(o, "config option 'r': def, min and max must be finite");
    o = (falco_config_option)FALCO_CONFIG_BOOL(all_config, b, "f", .max = 1);
    assert_bad(o, "config option 'f': min and max do not apply to a bool");
}

static void test_misplaced_fields(void **state)
{
    (void)state;
    falco_config_option o = FALCO_CONFIG_STRING(all_config, s, "s", .def = 1);
    assert_bad(o, "config option 's': def, min and max apply only to bool and number options");
    o = (falco_config_option)FALCO_CONFIG_U32(all_config, u32, "u", .def_str = "1");
    assert_bad(o, "config option 'u': def_str applies only to STRING and ENUM options");
    o = (falco_config_option)FALCO_CONFIG_STRING(all_config, s, "s", .def_list = modes);
    assert_bad(o, "config option 's': def_list applies only to STRING_LIST options");
    o = (falco_config_option)FALCO_CONFIG_STRING(all_config, s, "s", .choices = modes);
    assert_bad(o, "config option 's': choices apply only to ENUM options");
    o = (falco_config_option)FALCO_CONFIG_STRING(all_config, s, "s", .children = FALCO_LIST(net_options));
    assert_bad(o, "config option 's': children apply only to OBJECT options");
}

static void test_enums(void **state)
{
    (void)state;
    falco_config_option o = FALCO_CONFIG_ENUM(all_config, e, "mode", modes, .def_str = "c");
    assert_bad(o, "config option 'mode': default \"c\" is not one of the choices");
    o = (falco_config_option)FALCO_CONFIG_ENUM(all_config, e, "mode", dup_modes);
    assert_bad(o, "config option 'mode': duplicate choice \"a\"");
    o = (falco_config_option)FALCO_CONFIG_ENUM(all_config, e, "mode", empty_choice);
    assert_bad(o, "config option 'mode': choice #1 is empty");
    o = (falco_config_option)FALCO_CONFIG_ENUM(all_config, e, "mode", no_modes);
    assert_bad(o, "config option 'mode': an ENUM needs at least one choice (NULL-terminated choices)");
    o = (falco_config_option)FALCO_CONFIG_ENUM(all_config, e, "mode", NULL);
    assert_bad(o, "config option 'mode': an ENUM needs at least one choice (NULL-terminated choices)");
}

static void test_nested(void **state)
{
    (void)state;
    /* a bad child is named by its full path */
    static const falco_config_option bad_children[] = {
        FALCO_CONFIG_U32(net_config, port, "port", .def = 0, .min = 1, .max = 2),
    };
    falco_config_option o = FALCO_CONFIG_OBJECT(all_config, net, "net", bad_children);
    assert_bad(o, "config option 'net.port': default 0 is outside 1..2");
    /* children are checked against the nested struct's size */
    static const falco_config_option outside[] = {
        FALCO_CONFIG_U64(all_config, u64, "far"),
    };
    o = (falco_config_option)FALCO_CONFIG_OBJECT(all_config, net, "net", outside);
    char want[128];
    snprintf(want, sizeof want, "config option 'net.far': member at offset %zu (8 bytes) lies outside its struct "
             "(%zu bytes)", offsetof(all_config, u64), sizeof(net_config));
    assert_bad(o, want);
    o.children.count = 0;
    o.children.items = NULL;
    assert_bad(o, "config option 'net': an OBJECT option needs at least one child");
}

static void test_nested_depth_limit(void **state)
{
    (void)state;
    /* a table that contains itself would recurse forever */
    static falco_config_option self[1];
    self[0] = (falco_config_option)FALCO_CONFIG_OBJECT(all_config, net, "n", self);
    self[0].offset = 0;
    self[0].size = sizeof(all_config);
    assert_int_equal(check(self, 1), FALCO_EINVAL);
    assert_non_null(strstr(err, "OBJECT options nested deeper than 16"));
    assert_non_null(strstr(err, "'n.n.n.n"));
}

static void test_small_error_buffer(void **state)
{
    (void)state;
    falco_config_option two[] = { good[0], good[0] };
    char small[8];
    falco_config_option_list list = { two, 2 };
    assert_int_equal(falco_config_validate(list, sizeof(all_config), small, sizeof small), FALCO_EINVAL);
    assert_string_equal(small, "config ");
    assert_int_equal(falco_config_validate(list, sizeof(all_config), NULL, 0), FALCO_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_table),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_sizes_and_offsets),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_misplaced_fields),
        cmocka_unit_test(test_enums),
        cmocka_unit_test(test_nested),
        cmocka_unit_test(test_nested_depth_limit),
        cmocka_unit_test(test_small_error_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
