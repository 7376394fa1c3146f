/* taby: an SDK plugin importing sdk_counts (tabx.c): adds the dynamic field
 * ty.dyn and writes it while parsing (a write through read-only "many" must
 * fail); ty.info reads the entry of each read event while extracting, where
 * a write is refused. Run by real libsinsp in tests/sdk/table_realhost.sh. */
#include <stdio.h>
#include <falco/plugin.h>
typedef struct { falco_table *t; falco_table_field *count, *name, *many, *dyn; } st_t;
static const falco_table_field_import fi[] = {
    FALCO_TABLE_FIELD(st_t, count, "count", FALCO_TABLE_U64),
    FALCO_TABLE_FIELD(st_t, name, "name", FALCO_TABLE_STRING),
    FALCO_TABLE_FIELD(st_t, many, "many", FALCO_TABLE_BOOL),
    FALCO_TABLE_FIELD(st_t, dyn, "ty.dyn", FALCO_TABLE_STRING, .add = true),
};
static const falco_table_import im[] = { FALCO_TABLE_IMPORT(st_t, t, "sdk_counts", FALCO_TABLE_U64, fi) };
static falco_rc py(falco_parse *ps, void *state, const falco_event *ev) {
    st_t *st = state; falco_plugin *p = falco_parse_plugin(ps); falco_table_entry *e;
    if (falco_table_get_entry(p, st->t, FALCO_TABLE_KEY_U64(ev->evt->type), &e) != FALCO_OK) return FALCO_OK;
    falco_rc rc = falco_table_write_str(p, st->t, e, st->dyn, "seen-by-ty");
    falco_rc rc2 = falco_table_write_bool(p, st->t, e, st->many, false);
    falco_table_release(p, st->t, e);
    if (rc2 == FALCO_OK) return falco_error(p, FALCO_ERROR, "read-only write passed");
    return rc;
}
static falco_rc xc(falco_extract *x, const falco_event *ev) {
    st_t *st = falco_extract_state(x); falco_plugin *p = falco_extract_plugin(x); falco_table_entry *e;
    if (falco_table_get_entry(p, st->t, FALCO_TABLE_KEY_U64(ev->evt->type), &e) != FALCO_OK) return FALCO_OK;
    uint64_t c; const char *n, *d; char buf[256];
    falco_table_read_u64(p, st->t, e, st->count, &c); falco_table_read_str(p, st->t, e, st->name, &n);
    falco_table_read_str(p, st->t, e, st->dyn, &d);
    falco_rc w = falco_table_write_u64(p, st->t, e, st->count, 0);
    snprintf(buf, sizeof buf, "%s:%llu:%s:write=%s[%s]:held=%llu", n, (unsigned long long)c, d, falco_rc_name(w), falco_plugin_last_error(p), (unsigned long long)falco_table_entries_held(p));
    falco_table_release(p, st->t, e);
    return falco_extract_str(x, buf);
}
static const falco_field fl[] = {{.name = "ty.info", .type = FALCO_FIELD_STRING, .desc = "d", .extract = xc}};
FALCO_PLUGIN(ty, .name = "ty", .version = "1.0.0", .contact = "x", .description = "x", .state_size = sizeof(st_t), .tables_import = FALCO_TABLE_IMPORTS(im));
FALCO_PARSE(ty, .parse = py, .all_event_types = true, .sources = FALCO_SOURCES("syscall"));
FALCO_EXTRACT(ty, .fields = FALCO_LIST(fl), .sources = FALCO_SOURCES("syscall"), .event_types = FALCO_EVENT_TYPES(FALCO_PPME_SYSCALL_READ_X));
