/* tabx: an SDK plugin exporting sdk_counts (u64 event type -> count, name,
 * read-only "many", a private member), filled while parsing syscall events.
 * Run by real libsinsp in tests/sdk/table_realhost.sh. */
#include <stdio.h>
#include <falco/plugin.h>
typedef struct { uint64_t count; char *name; bool flag; int32_t secret; } cnt;
typedef struct { falco_table *t; } st_t;
static const falco_table_column cols[] = {
    FALCO_TABLE_COLUMN(cnt, count, "count", FALCO_TABLE_U64),
    FALCO_TABLE_COLUMN(cnt, name, "name", FALCO_TABLE_STRING),
    FALCO_TABLE_COLUMN(cnt, flag, "many", FALCO_TABLE_BOOL, .access = FALCO_TABLE_READONLY),
    FALCO_TABLE_COLUMN(cnt, secret, "secret", FALCO_TABLE_I32, .access = FALCO_TABLE_PRIVATE),
};
static const falco_table_export ex[] = { FALCO_TABLE_EXPORT(st_t, t, "sdk_counts", FALCO_TABLE_U64, cnt, cols) };
static falco_rc px(falco_parse *ps, void *state, const falco_event *ev) {
    (void)ps; st_t *st = state;
    cnt *c = falco_table_emplace(st->t, FALCO_TABLE_KEY_U64(ev->evt->type));
    if (!c) return FALCO_ENOMEM;
    if (!c->count++) { char b[32]; snprintf(b, sizeof b, "type%u", (unsigned)ev->evt->type); falco_table_set_str(&c->name, b); }
    c->flag = c->count > 10;
    return FALCO_OK;
}
FALCO_PLUGIN(tx, .name = "tx", .version = "1.0.0", .contact = "x", .description = "x", .state_size = sizeof(st_t), .tables_export = FALCO_TABLE_EXPORTS(ex));
FALCO_PARSE(tx, .parse = px, .all_event_types = true, .sources = FALCO_SOURCES("syscall"));
