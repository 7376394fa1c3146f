/* The raw-ABI and the SDK bench plugins must be the same plugin for the
 * benchmark to compare anything: same declarations, same events, same
 * values, same refusals. Driven through the host library. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <falco/host.h>

#include "bench_plugin.h"

#define NPLUGINS 2
static const char *const plugin_paths[NPLUGINS] = {BENCH_RAW_PLUGIN, BENCH_SDK_PLUGIN};

static falco_host_plugin *load(const char *path) {
    falco_host_plugin *p = NULL;
    if (falco_host_plugin_load(path, &p) != FALCO_OK)
        fail_msg("%s: %s", path, falco_host_errmsg(p));
    if (falco_host_plugin_init(p, NULL) != FALCO_OK)
        fail_msg("%s: %s", path, falco_host_errmsg(p));
    return p;
}

static void test_same_declarations(void **state) {
    (void)state;
    static const char *const names[] = {BENCH_FIELD_U64, BENCH_FIELD_STR, BENCH_FIELD_PAYLOAD, BENCH_FIELD_ARG};
    static const falco_abi_field_type types[] = {FALCO_ABI_FT_UINT64, FALCO_ABI_FT_STRING, FALCO_ABI_FT_UINT64,
                                                 FALCO_ABI_FT_UINT64};
    for (int i = 0; i < NPLUGINS; i++) {
        falco_host_plugin *p = load(plugin_paths[i]);
        assert_int_equal(falco_host_plugin_caps(p), FALCO_HOST_CAP_SOURCE | FALCO_HOST_CAP_EXTRACT);
        assert_int_equal(falco_host_plugin_id(p), BENCH_PLUGIN_ID);
        assert_string_equal(falco_host_plugin_event_source(p), BENCH_EVENT_SOURCE);
        assert_int_equal(falco_host_field_count(p), 4);
        for (size_t f = 0; f < 4; f++) {
            const falco_host_field *field = falco_host_field_at(p, f);
            assert_string_equal(field->name, names[f]);
            assert_int_equal(field->type, types[f]);
            assert_false(field->is_list);
            assert_false(field->arg_key);
            /* Only bench.arg takes (and requires) an index. */
            assert_int_equal(field->arg_index, f == 3);
            assert_int_equal(field->arg_required, f == 3);
        }
        falco_host_plugin_free(p);
    }
}

/* Extracts expr from ev and returns its single u64 value (or the first
 * character of its string value). */
static uint64_t extract_one(falco_host_plugin *p, const char *expr, const falco_abi_event_input *ev) {
    falco_host_extractor *x = NULL;
    falco_host_values v;
    assert_int_equal(falco_host_extractor_new(p, expr, &x), FALCO_OK);
    if (falco_host_extract(x, ev, false, &v) != FALCO_OK)
        fail_msg("%s: %s", expr, falco_host_errmsg(p));
    assert_int_equal(v.count, 1);
    uint64_t out = 0;
    const char *s = NULL;
    if (v.type == FALCO_ABI_FT_STRING) {
        assert_int_equal(falco_host_value_str(&v, 0, &s), FALCO_OK);
        assert_string_equal(s, BENCH_STR_VALUE);
        out = (unsigned char)s[0];
    } else {
        assert_int_equal(falco_host_value_u64(&v, 0, &out), FALCO_OK);
    }
    falco_host_extractor_free(x);
    return out;
}

static void test_same_events_and_values(void **state) {
    (void)state;
    falco_host_plugin *p[NPLUGINS];
    falco_host_instance *in[NPLUGINS];
    for (int i = 0; i < NPLUGINS; i++) {
        p[i] = load(plugin_paths[i]);
        assert_int_equal(falco_host_open(p[i], "batch=16", &in[i]), FALCO_OK);
    }
    /* 40 events: two and a half batches. */
    for (uint64_t n = 0; n < 40; n++) {
        unsigned char copy[NPLUGINS][64];
        for (int i = 0; i < NPLUGINS; i++) {
            const falco_abi_event *ev = NULL;
            if (falco_host_next(in[i], &ev) != FALCO_OK)
                fail_msg("%s: %s", plugin_paths[i], falco_host_errmsg(p[i]));
            assert_int_equal(ev->len, FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET + BENCH_PAYLOAD_SIZE);
            assert_int_equal(ev->type, FALCO_ABI_EVENT_PLUGIN);
            assert_int_equal(ev->nparams, 2);
            memcpy(copy[i], ev, ev->len);
            uint64_t payload;
            uint32_t id;
            memcpy(&payload, copy[i] + FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET, sizeof payload);
            memcpy(&id, copy[i] + 34, sizeof id);
            assert_int_equal(payload, n);
            assert_int_equal(id, BENCH_PLUGIN_ID);

            falco_abi_event_input input = {.evt = (const falco_abi_event *)copy[i], .evtnum = n + 1,
                                           .evtsrc = BENCH_EVENT_SOURCE};
            assert_int_equal(extract_one(p[i], BENCH_FIELD_U64, &input), BENCH_U64_VALUE);
            assert_int_equal(extract_one(p[i], BENCH_FIELD_STR, &input), 'b');
            assert_int_equal(extract_one(p[i], BENCH_FIELD_PAYLOAD, &input), n);
            char arg[40];
            snprintf(arg, sizeof arg, "%s[%llu]", BENCH_FIELD_ARG, (unsigned long long)n * 3);
            assert_int_equal(extract_one(p[i], arg, &input), n * 3);
        }
        /* Identical from tid on (ts is the host's clock). */
        assert_memory_equal(copy[0] + 8, copy[1] + 8, FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET + BENCH_PAYLOAD_SIZE - 8);
    }
    for (int i = 0; i < NPLUGINS; i++)
        falco_host_plugin_free(p[i]);
}

static void test_open_params(void **state) {
    (void)state;
    static const char *const bad[] = {"batch=0", "batch=513", "batch=", "batch=-1", "batch=4x", "size=4",
                                      "batch=99999999999999999999"};
    static const char *const good[] = {"", "batch=1", "batch=512"};
    for (int i = 0; i < NPLUGINS; i++) {
        falco_host_plugin *p = load(plugin_paths[i]);
        falco_host_instance *in = NULL;
        for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
            assert_int_equal(falco_host_open(p, bad[b], &in), FALCO_ERROR);
            assert_non_null(strstr(falco_host_errmsg(p), "expected \"batch=N\" with N from 1 to 512"));
            assert_non_null(strstr(falco_host_errmsg(p), bad[b]));
        }
        for (size_t g = 0; g < sizeof good / sizeof good[0]; g++) {
            assert_int_equal(falco_host_open(p, good[g], &in), FALCO_OK);
            falco_host_close(in);
        }
        falco_host_plugin_free(p);
    }
}

/* A plugin event that is not a bench event: its payload is 4 bytes. */
static void test_payload_of_foreign_event(void **state) {
    (void)state;
    unsigned char ev[FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET + 4] = {0};
    falco_abi_event hdr = {.ts = 1, .tid = UINT64_MAX, .len = sizeof ev, .type = FALCO_ABI_EVENT_PLUGIN,
                           .nparams = 2};
    uint32_t lens_and_id[3] = {4, 4, BENCH_PLUGIN_ID};
    memcpy(ev, &hdr, 26);
    memcpy(ev + 26, lens_and_id, sizeof lens_and_id);
    falco_abi_event_input input = {.evt = (const falco_abi_event *)ev, .evtnum = 7, .evtsrc = BENCH_EVENT_SOURCE};
    for (int i = 0; i < NPLUGINS; i++) {
        falco_host_plugin *p = load(plugin_paths[i]);
        falco_host_extractor *x = NULL;
        falco_host_values v;
        assert_int_equal(falco_host_extractor_new(p, BENCH_FIELD_PAYLOAD, &x), FALCO_OK);
        assert_int_equal(falco_host_extract(x, &input, false, &v), FALCO_ERROR);
        assert_non_null(strstr(falco_host_errmsg(p), BENCH_FIELD_PAYLOAD));
        /* The constants do not read the payload. */
        assert_int_equal(extract_one(p, BENCH_FIELD_U64, &input), BENCH_U64_VALUE);
        falco_host_plugin_free(p);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_declarations),
        cmocka_unit_test(test_same_events_and_values),
        cmocka_unit_test(test_open_params),
        cmocka_unit_test(test_payload_of_foreign_event),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
