/* What is an integer in a config: the host's schema check (host/schema.c)
 * and the SDK's decoder (src/config_decode.c) must agree with each other and
 * with libsinsp, whose answers int_agreement.tsv records (recorded with
 *   plughost -p 'libgenerator.so|{"start":X}' --open-params 1 -o '%gen.value'
 * and rechecked by int_agreement_realhost.sh when the real host is there).
 * libsinsp's schema check (valijson over jsoncpp) takes 5.0, 1e3 and -0.0 as
 * integers. Each row runs through both sides with the schema the SDK
 * generates for the generator's options. */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <falco/config.h>
#include <falco/json.h>

#include "host_internal.h"

typedef struct {
    uint64_t start;
    uint64_t jitter;
} gen_config; /* the generator example's two integer options */

static const falco_config_option options[] = {
    FALCO_CONFIG_U64(gen_config, start, "start", .def = 1),
    FALCO_CONFIG_U64(gen_config, jitter, "jitter", .def = 10, .min = 1, .max = 1000),
};

#define OPTS ((falco_config_option_list)FALCO_LIST(options))

typedef struct {
    char key[16], number[64]; /* {"<key>": <number>} */
    int accepted;             /* by libsinsp */
    uint64_t value;           /* the decoded value when accepted */
} row;

static size_t read_rows(row *rows, size_t max) {
    const char *dir = getenv("FALCO_SOURCE_DIR");
    char path[1024], line[256];
    snprintf(path, sizeof path, "%s/tests/config/int_agreement.tsv", dir ? dir : ".");
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("cannot open %s", path);
    size_t n = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        assert_true(n < max);
        row *r = &rows[n++];
        if (sscanf(line, "%15[^\t]\t%63[^\t]\t%d\t%" SCNu64, r->key, r->number, &r->accepted, &r->value) != 4)
            fail_msg("%s: bad line: %s", path, line);
    }
    fclose(f);
    return n;
}

static void test_schema_and_decoder_agree_with_libsinsp(void **state) {
    (void)state;
    char *schema_text = falco_config_schema(OPTS);
    assert_non_null(schema_text);
    falco_json_doc *sdoc = falco_json_doc_new(), *cdoc = falco_json_doc_new();
    const falco_json_value *schema = falco_json_parse(sdoc, schema_text, strlen(schema_text), NULL);
    assert_non_null(schema);
    static row rows[128];
    size_t count = read_rows(rows, 128);
    assert_true(count >= 20);
    int failures = 0;
    for (size_t i = 0; i < count; i++) {
        const row *r = &rows[i];
        char json[sizeof rows[0].key + sizeof rows[0].number + 8], herr[512], derr[512];
        snprintf(json, sizeof json, "{\"%.15s\": %.63s}", r->key, r->number);
        const falco_json_value *conf = falco_json_parse(cdoc, json, strlen(json), NULL);
        assert_non_null(conf);
        bool host_ok = falco__host_schema_validate(schema, conf, herr, sizeof herr) == FALCO_OK;
        gen_config c = {0};
        bool sdk_ok = falco_config_decode(OPTS, json, strlen(json), &c, derr, sizeof derr) == FALCO_OK;
        uint64_t got = strcmp(r->key, "start") == 0 ? c.start : c.jitter;
        if (host_ok != (r->accepted != 0)) {
            print_error("%s: host schema check %s (libsinsp %s): %s\n", json, host_ok ? "accepts" : "refuses",
                        r->accepted ? "accepts" : "refuses", host_ok ? "" : herr);
            failures++;
        }
        if (sdk_ok != (r->accepted != 0) || (sdk_ok && got != r->value)) {
            print_error("%s: SDK decoder %s (value %llu; libsinsp %s %llu): %s\n", json,
                        sdk_ok ? "accepts" : "refuses", (unsigned long long)got,
                        r->accepted ? "accepts" : "refuses", (unsigned long long)r->value, sdk_ok ? "" : derr);
            failures++;
        }
    }
    falco_json_doc_free(sdoc);
    falco_json_doc_free(cdoc);
    free(schema_text);
    assert_int_equal(failures, 0);
}

/* The decoder's message for a number that is not an integer stays exact. */
static void test_non_integer_message(void **state) {
    (void)state;
    gen_config c;
    char err[256];
    const char *json = "{\"jitter\": 5.5}";
    assert_int_equal(falco_config_decode(OPTS, json, strlen(json), &c, err, sizeof err), FALCO_EINVAL);
    assert_string_equal(err, "config.jitter: expected integer in 1..1000, got 5.5");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schema_and_decoder_agree_with_libsinsp),
        cmocka_unit_test(test_non_integer_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
