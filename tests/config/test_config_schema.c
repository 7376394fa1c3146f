/* falco_config_schema: the output parsed back and checked key by key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <falco/config.h>
#include <falco/json.h>

typedef struct {
    char *ca;
    bool verify;
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
    char *label;
    int mode;
    falco_string_list tags;
    tls_config tls;
} schema_config;

static const char *const modes[] = { "fast", "safe", NULL };
static const char *const default_tags[] = { "a", "b\"", NULL };

static const falco_config_option tls_options[] = {
    FALCO_CONFIG_STRING(tls_config, ca, "ca", .required = true, .desc = "CA bundle"),
    FALCO_CONFIG_BOOL(tls_config, verify, "verify", .def = 1),
};

static const falco_config_option options[] = {
    FALCO_CONFIG_BOOL(schema_config, verbose, "verbose", .desc = "say more"),
    FALCO_CONFIG_I32(schema_config, offset, "offset", .def = -5, .min = -100, .max = 100),
    FALCO_CONFIG_I64(schema_config, big, "big", .def = -1),
    FALCO_CONFIG_U32(schema_config, port, "port", .def = 8080, .min = 1, .max = 65535, .required = true),
    FALCO_CONFIG_U64(schema_config, start, "start", .def = 1),
    FALCO_CONFIG_DOUBLE(schema_config, ratio, "ratio", .def = 0.5, .min = 0, .max = 1),
    FALCO_CONFIG_DOUBLE(schema_config, any, "any", .def = 2.5),
    FALCO_CONFIG_STRING(schema_config, host, "host", .def_str = "local\"host"),
    FALCO_CONFIG_STRING(schema_config, label, "label"),
    FALCO_CONFIG_ENUM(schema_config, mode, "mode", modes, .def_str = "safe"),
    FALCO_CONFIG_STRING_LIST(schema_config, tags, "tags", .def_list = default_tags),
    FALCO_CONFIG_OBJECT(schema_config, tls, "tls", tls_options, .desc = "TLS settings"),
};

static const falco_config_option_list opts = FALCO_LIST(options);
static falco_json_doc *doc;
static char *schema;
static const falco_json_value *root;

static int setup(void **state)
{
    (void)state;
    char err[256];
    if (falco_config_validate(opts, sizeof(schema_config), err, sizeof err) != FALCO_OK)
        return -1;
    schema = falco_config_schema(opts);
    doc = falco_json_doc_new();
    if (!schema || !doc)
        return -1;
    root = falco_json_parse(doc, schema, strlen(schema), NULL);
    return root ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(schema);
    falco_json_doc_free(doc);
    return 0;
}

static const falco_json_value *at(const char *pointer)
{
    const falco_json_value *v = falco_json_pointer(root, pointer);
    if (!v)
        fail_msg("schema has no %s: %s", pointer, schema);
    return v;
}

static void assert_str(const char *pointer, const char *want)
{
    const char *got = falco_json_string(at(pointer), NULL);
    assert_non_null(got);
    assert_string_equal(got, want);
}

static void assert_num(const char *pointer, const char *want)
{
    const char *got = falco_json_number_text(at(pointer), NULL);
    assert_non_null(got);
    assert_string_equal(got, want);
}

static void assert_bool(const char *pointer, bool want)
{
    bool got;
    assert_true(falco_json_bool(at(pointer), &got));
    assert_int_equal(got, want);
}

static void assert_keys(const char *pointer, const char *const *keys)
{
    const falco_json_value *v = at(pointer);
    size_t n = 0;
    while (keys[n])
        n++;
    assert_int_equal(falco_json_size(v), n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(falco_json_key_at(v, i, NULL), keys[i]);
}

static void test_root(void **state)
{
    (void)state;
    static const char *const keys[] = { "$schema", "type", "properties", "required", "additionalProperties", NULL };
    assert_keys("", keys);
    assert_str("/$schema", "http://json-schema.org/draft-07/schema#");
    assert_str("/type", "object");
    assert_bool("/additionalProperties", false);
    assert_int_equal(falco_json_size(at("/required")), 1);
    assert_str("/required/0", "port");
    static const char *const props[] = { "verbose", "offset", "big", "port", "start", "ratio", "any",
                                         "host", "label", "mode", "tags", "tls", NULL };
    assert_keys("/properties", props);
}

static void test_scalars(void **state)
{
    (void)state;
    static const char *const bool_keys[] = { "type", "description", "default", NULL };
    assert_keys("/properties/verbose", bool_keys);
    assert_str("/properties/verbose/type", "boolean");
    assert_str("/properties/verbose/description", "say more");
    assert_bool("/properties/verbose/default", false);

    assert_str("/properties/host/type", "string");
    assert_str("/properties/host/default", "local\"host");
    static const char *const label_keys[] = { "type", NULL };
    assert_keys("/properties/label", label_keys); /* no default: none in the schema */
}

static void test_integers(void **state)
{
    (void)state;
    static const char *const keys[] = { "type", "default", "minimum", "maximum", NULL };
    assert_keys("/properties/offset", keys);
    assert_str("/properties/offset/type", "integer");
    assert_num("/properties/offset/default", "-5");
    assert_num("/properties/offset/minimum", "-100");
    assert_num("/properties/offset/maximum", "100");
    /* without bounds: the C type's own range, exactly */
    assert_num("/properties/big/minimum", "-9223372036854775808");
    assert_num("/properties/big/maximum", "9223372036854775807");
    assert_num("/properties/start/minimum", "0");
    assert_num("/properties/start/maximum", "18446744073709551615");
    assert_num("/properties/start/default", "1");
    /* required: no default */
    static const char *const port_keys[] = { "type", "minimum", "maximum", NULL };
    assert_keys("/properties/port", port_keys);
    assert_num("/properties/port/minimum", "1");
    assert_num("/properties/port/maximum", "65535");
}

static void test_doubles(void **state)
{
    (void)state;
    assert_str("/properties/ratio/type", "number");
    assert_num("/properties/ratio/default", "0.5");
    assert_num("/properties/ratio/minimum", "0");
    assert_num("/properties/ratio/maximum", "1");
    static const char *const keys[] = { "type", "default", NULL };
    assert_keys("/properties/any", keys); /* no bounds: none in the schema */
    assert_num("/properties/any/default", "2.5");
}

static void test_enum_and_list(void **state)
{
    (void)state;
    assert_str("/properties/mode/type", "string");
    assert_int_equal(falco_json_size(at("/properties/mode/enum")), 2);
    assert_str("/properties/mode/enum/0", "fast");
    assert_str("/properties/mode/enum/1", "safe");
    assert_str("/properties/mode/default", "safe");

    assert_str("/properties/tags/type", "array");
    assert_str("/properties/tags/items/type", "string");
    assert_int_equal(falco_json_size(at("/properties/tags/default")), 2);
    assert_str("/properties/tags/default/0", "a");
    assert_str("/properties/tags/default/1", "b\"");
}

static void test_nested_object(void **state)
{
    (void)state;
    static const char *const keys[] = { "type", "description", "properties", "required", "additionalProperties",
                                        NULL };
    assert_keys("/properties/tls", keys);
    assert_str("/properties/tls/type", "object");
    assert_str("/properties/tls/description", "TLS settings");
    assert_bool("/properties/tls/additionalProperties", false);
    assert_str("/properties/tls/required/0", "ca");
    assert_str("/properties/tls/properties/ca/description", "CA bundle");
    assert_bool("/properties/tls/properties/verify/default", true);
}

static void test_no_required(void **state)
{
    (void)state;
    static const falco_config_option one[] = { FALCO_CONFIG_BOOL(schema_config, verbose, "v") };
    char *s = falco_config_schema((falco_config_option_list)FALCO_LIST(one));
    assert_non_null(s);
    assert_string_equal(s, "{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"type\":\"object\","
                           "\"properties\":{\"v\":{\"type\":\"boolean\",\"default\":false}},"
                           "\"additionalProperties\":false}");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_root),
        cmocka_unit_test(test_scalars),
        cmocka_unit_test(test_integers),
        cmocka_unit_test(test_doubles),
        cmocka_unit_test(test_enum_and_list),
        cmocka_unit_test(test_nested_object),
        cmocka_unit_test(test_no_required),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
