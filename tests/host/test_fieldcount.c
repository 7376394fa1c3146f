/* 60,000 fields: the duplicate-name checks of the host (get_fields) and of
 * the SDK (declaration validation) visit a number of hash slots linear in the
 * field count, where the old pairwise check made ~1.8 billion comparisons.
 * The plugins are compiled into this binary (FALCO_PLUGIN_STATIC). */
#include <stdio.h>

#include <falco/plugin.h>

#include "host_internal.h" /* falco_host_plugin's field_name_probes */
#include "host_test.h"

#define NFIELDS 60000

extern size_t falco__field_dup_probes; /* src/runtime.c: slots visited by the last check */

static char names[2][NFIELDS][16];
static falco_field many[NFIELDS], many_dup[NFIELDS];

static falco_rc one(falco_extract *x, const falco_event *ev)
{
    (void)ev;
    return falco_extract_u64(x, 1);
}

static void fill(falco_field *f, char (*n)[16], bool dup_last)
{
    for (size_t i = 0; i < NFIELDS; i++) {
        snprintf(n[i], sizeof n[i], "m.f%zu", i);
        f[i] = (falco_field){ .name = n[i], .type = FALCO_FIELD_U64, .desc = "d", .extract = one };
    }
    if (dup_last)
        f[NFIELDS - 1].name = n[12345];
}

FALCO_PLUGIN(many, .name = "many", .version = "1.0.0", .contact = "t@example.com", .description = "many fields");
FALCO_EXTRACT(many, .fields = FALCO_LIST(many));
FALCO_PLUGIN(manydup, .name = "manydup", .version = "1.0.0", .contact = "t@example.com",
             .description = "many fields, the last one a duplicate");
FALCO_EXTRACT(manydup, .fields = FALCO_LIST(many_dup));

static void test_many_fields_linear(void **state)
{
    fill(many, names[0], false);
    falco_abi_plugin_api api;
    falco_plugin_api_many(&api);
    falco_host_plugin *p = NULL;
    falco__field_dup_probes = 0;
    falco_rc rc = falco_host_plugin_load_api(&api, "many", &p);
    if (rc != FALCO_OK)
        print_error("%s\n", falco_host_errmsg(p));
    assert_int_equal(rc, FALCO_OK);
    assert_int_equal(falco_host_field_count(p), NFIELDS);
    /* every field inserted once; linear probing at load factor <= 1/2 */
    print_message("host probes %zu, sdk probes %zu for %d fields\n", p->field_name_probes, falco__field_dup_probes,
                  NFIELDS);
    assert_true(p->field_name_probes >= NFIELDS);
    assert_true(p->field_name_probes <= 3 * (size_t)NFIELDS);
    assert_true(falco__field_dup_probes >= NFIELDS);
    assert_true(falco__field_dup_probes <= 3 * (size_t)NFIELDS);
    assert_int_equal(falco_host_plugin_init(p, NULL), FALCO_OK);
    assert_string_equal(falco_host_field_at(p, NFIELDS - 1)->name, "m.f59999");
    falco_host_plugin_free(p);
}

static void test_many_fields_duplicate_found(void **state)
{
    fill(many_dup, names[1], true);
    falco_abi_plugin_api api;
    falco_plugin_api_manydup(&api);
    falco_host_plugin *p = NULL;
    /* The SDK still describes an invalid table as declared, so the host's
     * own check finds the duplicate at load. */
    assert_int_equal(falco_host_plugin_load_api(&api, "manydup", &p), FALCO_EINVAL);
    assert_string_equal(falco_host_errmsg(p),
                        "plugin 'manydup': get_fields: field #59999: duplicate field name 'm.f12345' (first at #12345)");
    assert_true(p->field_name_probes <= 3 * (size_t)NFIELDS);
    assert_true(falco__field_dup_probes <= 3 * (size_t)NFIELDS);
    falco_host_plugin_free(p);

    /* and the SDK's own check, seen through init of the raw API */
    falco_abi_init_input in = { .config = "" };
    falco_abi_rc arc = FALCO_ABI_RC_SUCCESS;
    falco_abi_plugin_t *s = api.init(&in, &arc);
    assert_int_equal(arc, FALCO_ABI_RC_FAILURE);
    assert_non_null(s);
    assert_non_null(strstr(api.get_last_error(s), "fields[59999] \"m.f12345\" duplicates fields[12345]"));
    api.destroy(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_many_fields_linear),
        cmocka_unit_test(test_many_fields_duplicate_found),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
