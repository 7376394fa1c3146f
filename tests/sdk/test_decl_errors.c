/* Invalid declarations fail init with a message naming the entry; a plugin
 * with no capability is refused. The plugins are compiled into this binary
 * (FALCO_PLUGIN_STATIC), one defect each. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "static_test.h"

#define META(n) .name = n, .version = "1.0.0", .contact = "t@example.com", .description = "declaration test"

static const falco_field ok_field[] = {{.name = "d.ok", .type = FALCO_FIELD_U64, .desc = "ok", .extract = sdkt_one}};
static const falco_field dup_fields[] = {
    {.name = "d.a", .type = FALCO_FIELD_U64, .desc = "a", .extract = sdkt_one},
    {.name = "d.a", .type = FALCO_FIELD_U64, .desc = "a again", .extract = sdkt_one}};
static const falco_field badname_field[] = {
    {.name = "d.ok", .type = FALCO_FIELD_U64, .desc = "ok", .extract = sdkt_one},
    {.name = "1bad", .type = FALCO_FIELD_U64, .desc = "bad", .extract = sdkt_one}};
static const falco_field argreq_field[] = {
    {.name = "d.r", .type = FALCO_FIELD_U64, .arg_required = true, .desc = "r", .extract = sdkt_one}};
static const falco_field nodesc_field[] = {{.name = "d.n", .type = FALCO_FIELD_U64, .extract = sdkt_one}};
static const falco_field noextract_field[] = {{.name = "d.x", .type = FALCO_FIELD_U64, .desc = "x"}};
static const falco_field badtype_field[] = {
    {.name = "d.t", .type = (falco_field_type)7, .desc = "t", .extract = sdkt_one}};

typedef struct {
    uint64_t n;
} cfg_t;
static const falco_config_option cfg_opts[] = {FALCO_CONFIG_U64(cfg_t, n, "n", .def = 1)};

static falco_rc stub_open(falco_plugin *p, const char *params, void **instance) {
    (void)p, (void)params, (void)instance;
    return FALCO_OK;
}
static falco_rc stub_next(falco_plugin *p, void *instance, falco_batch *b) {
    (void)p, (void)instance, (void)b;
    return FALCO_EOF;
}

FALCO_PLUGIN(e_nocap, META("e_nocap"));

FALCO_PLUGIN(e_noname, META(""));
FALCO_EXTRACT(e_noname, .fields = FALCO_LIST(ok_field));

FALCO_PLUGIN(e_badver, .name = "e_badver", .version = "1.2", .contact = "c", .description = "d");
FALCO_EXTRACT(e_badver, .fields = FALCO_LIST(ok_field));

FALCO_PLUGIN(e_nocontact, .name = "e_nocontact", .version = "1.2.3", .description = "d");
FALCO_EXTRACT(e_nocontact, .fields = FALCO_LIST(ok_field));

FALCO_PLUGIN(e_dup, META("e_dup"));
FALCO_EXTRACT(e_dup, .fields = FALCO_LIST(dup_fields));

FALCO_PLUGIN(e_badname, META("e_badname"));
FALCO_EXTRACT(e_badname, .fields = FALCO_LIST(badname_field));

FALCO_PLUGIN(e_argreq, META("e_argreq"));
FALCO_EXTRACT(e_argreq, .fields = FALCO_LIST(argreq_field));

FALCO_PLUGIN(e_nodesc, META("e_nodesc"));
FALCO_EXTRACT(e_nodesc, .fields = FALCO_LIST(nodesc_field));

FALCO_PLUGIN(e_noextract, META("e_noextract"));
FALCO_EXTRACT(e_noextract, .fields = FALCO_LIST(noextract_field));

FALCO_PLUGIN(e_badtype, META("e_badtype"));
FALCO_EXTRACT(e_badtype, .fields = FALCO_LIST(badtype_field));

FALCO_PLUGIN(e_cfgsize, META("e_cfgsize"), .config = FALCO_LIST(cfg_opts));
/* source-only: an invalid extract declaration answers get_fields with "[]",
 * which the host refuses at load before init can tell why */
FALCO_SOURCE(e_cfgsize, .id = 6, .event_source = "cfgsize", .open = stub_open, .next_batch = stub_next);

FALCO_PLUGIN(e_srcid, META("e_srcid"));
FALCO_SOURCE(e_srcid, .event_source = "x", .open = stub_open, .next_batch = stub_next);

FALCO_PLUGIN(e_syscallname, META("e_syscallname"));
FALCO_SOURCE(e_syscallname, .id = 5, .event_source = "syscall", .open = stub_open, .next_batch = stub_next);

FALCO_PLUGIN(e_nonext, META("e_nonext"));
FALCO_SOURCE(e_nonext, .id = 5, .event_source = "x", .open = stub_open);

static void expect_init_error(void (*get)(falco_abi_plugin_api *), const char *msg) {
    char buf[1024];
    falco_abi_rc rc;
    assert_string_equal(sdkt_raw_init(get, "", &rc, buf, sizeof buf), msg);
    assert_int_equal(rc, FALCO_ABI_RC_FAILURE);
}

static void test_no_capability(void **state) {
    (void)state;
    expect_init_error(falco_plugin_api_e_nocap, "plugin 'e_nocap' declares no capability: add FALCO_SOURCE, "
                                                "FALCO_EXTRACT or another capability macro after FALCO_PLUGIN");
    /* the host refuses it at load already */
    falco_abi_plugin_api api;
    falco_plugin_api_e_nocap(&api);
    falco_host_plugin *p = NULL;
    assert_int_equal(falco_host_plugin_load_api(&api, "e_nocap", &p), FALCO_EINVAL);
    falco_host_plugin_free(p);
}

static void test_metadata_errors(void **state) {
    (void)state;
    expect_init_error(falco_plugin_api_e_noname, "plugin declaration: .name is empty");
    expect_init_error(falco_plugin_api_e_badver, "plugin 'e_badver': .version \"1.2\" is not a version like 1.2.3");
    expect_init_error(falco_plugin_api_e_nocontact, "plugin 'e_nocontact': .contact is empty");
}

static void test_field_errors(void **state) {
    (void)state;
    expect_init_error(falco_plugin_api_e_dup, "plugin 'e_dup': fields[1] \"d.a\" duplicates fields[0]");
    expect_init_error(falco_plugin_api_e_badname, "plugin 'e_badname': fields[1] name \"1bad\" is invalid (a "
                                                  "letter, then letters, digits, '_', '.', '-')");
    expect_init_error(falco_plugin_api_e_argreq,
                      "plugin 'e_argreq': field \"d.r\" sets .arg_required without .arg (index or key)");
    expect_init_error(falco_plugin_api_e_nodesc, "plugin 'e_nodesc': field \"d.n\" has no .desc");
    expect_init_error(falco_plugin_api_e_noextract, "plugin 'e_noextract': field \"d.x\" has no .extract function");
    expect_init_error(falco_plugin_api_e_badtype, "plugin 'e_badtype': field \"d.t\" has unknown type 7");
}

static void test_source_errors(void **state) {
    (void)state;
    expect_init_error(falco_plugin_api_e_srcid, "plugin 'e_srcid': FALCO_SOURCE needs a non-zero .id and an "
                                                ".event_source (use FALCO_SYSCALL_SOURCE for sources without an ID)");
    expect_init_error(falco_plugin_api_e_syscallname, "plugin 'e_syscallname': event source name \"syscall\" is "
                                                      "reserved");
    expect_init_error(falco_plugin_api_e_nonext, "plugin 'e_nonext': FALCO_SOURCE needs .open and .next_batch");
}

/* A declaration the host loads but whose init fails: the whole chain of messages. */
static void test_error_through_host(void **state) {
    (void)state;
    falco_host_plugin *p = sdkt_load_api(falco_plugin_api_e_cfgsize, "e_cfgsize");
    assert_int_equal(falco_host_plugin_init(p, ""), FALCO_ERROR);
    assert_string_equal(falco_host_errmsg(p), "plugin 'e_cfgsize': init: could not initialize plugin (FAILURE): plugin "
                                              "'e_cfgsize': .config has options but .config_size is 0");
    falco_host_plugin_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_capability),
        cmocka_unit_test(test_metadata_errors),
        cmocka_unit_test(test_field_errors),
        cmocka_unit_test(test_source_errors),
        cmocka_unit_test(test_error_through_host),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
