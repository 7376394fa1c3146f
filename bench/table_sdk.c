/*
 * table_sdk - the table benchmark's plugin written with the SDK: the same
 * two reads as table_raw.c, for plugin events of the source "tabbench"
 * (payload: one uint64 key):
 *   tabsdk.api  the value of bench_tab (exported by table_raw with
 *               hand-written vtables) read through the table API:
 *               falco_table_get_entry + falco_table_read_u64 + release
 *   tabsdk.own  the value of its own exported table bench_tab_sdk, read
 *               directly by the owner (falco_table_lookup)
 * Load it after table_raw (bench/table_bench.c does).
 */
#include <falco/plugin.h>

#include "table_bench.h"

typedef struct {
    uint64_t value;
} sdk_entry;

typedef struct {
    falco_table *imported, *own;
    falco_table_field *value;
} sdk_state;

static const falco_table_field_import value_field[] = {
    FALCO_TABLE_FIELD(sdk_state, value, "value", FALCO_TABLE_U64),
};
static const falco_table_import imports[] = {
    FALCO_TABLE_IMPORT(sdk_state, imported, "bench_tab", FALCO_TABLE_U64, value_field),
};
static const falco_table_column columns[] = {
    FALCO_TABLE_COLUMN(sdk_entry, value, "value", FALCO_TABLE_U64, .access = FALCO_TABLE_READONLY),
};
static const falco_table_export exports[] = {
    FALCO_TABLE_EXPORT(sdk_state, own, "bench_tab_sdk", FALCO_TABLE_U64, sdk_entry, columns),
};

static falco_rc sdk_init(falco_plugin *p, void *state) {
    sdk_state *st = state;
    for (uint64_t k = 0; k < TABLE_BENCH_ENTRIES; k++) {
        sdk_entry *e = falco_table_emplace(st->own, FALCO_TABLE_KEY_U64(k));
        if (!e)
            return falco_error(p, FALCO_ENOMEM, "out of memory filling bench_tab_sdk");
        e->value = TABLE_BENCH_VALUE(k);
    }
    return FALCO_OK;
}

static falco_rc tab_api(falco_extract *x, const falco_event *ev) {
    sdk_state *st = falco_extract_state(x);
    falco_plugin *p = falco_extract_plugin(x);
    uint64_t key, v;
    FALCO_TRY(falco_event_payload_u64(ev, &key));
    falco_table_entry *e;
    falco_rc rc = falco_table_get_entry(p, st->imported, FALCO_TABLE_KEY_U64(key), &e);
    if (rc == FALCO_ENOTFOUND)
        return FALCO_OK; /* no value */
    FALCO_TRY(rc);
    rc = falco_table_read_u64(p, st->imported, e, st->value, &v);
    falco_table_release(p, st->imported, e);
    FALCO_TRY(rc);
    return falco_extract_u64(x, v);
}

static falco_rc tab_own(falco_extract *x, const falco_event *ev) {
    sdk_state *st = falco_extract_state(x);
    uint64_t key;
    FALCO_TRY(falco_event_payload_u64(ev, &key));
    const sdk_entry *e = falco_table_lookup(st->own, FALCO_TABLE_KEY_U64(key));
    return e ? falco_extract_u64(x, e->value) : FALCO_OK;
}

static const falco_field fields[] = {
    {.name = "tabsdk.api", .type = FALCO_FIELD_U64, .desc = "value read through the table API", .extract = tab_api},
    {.name = "tabsdk.own", .type = FALCO_FIELD_U64, .desc = "value read by the owner", .extract = tab_own},
};

FALCO_PLUGIN(table_sdk, .name = "table_sdk", .version = "0.1.0", .contact = "https://github.com/falcosecurity",
             .description = "Table benchmark plugin written with the SDK", .state_size = sizeof(sdk_state),
             .init = sdk_init, .tables_import = FALCO_TABLE_IMPORTS(imports),
             .tables_export = FALCO_TABLE_EXPORTS(exports));
FALCO_EXTRACT(table_sdk, .fields = FALCO_LIST(fields), .sources = FALCO_SOURCES(TABLE_BENCH_SOURCE));
