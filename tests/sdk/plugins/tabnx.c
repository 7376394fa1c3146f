/* tabnx: an SDK plugin exporting sdk_procs (tid -> name, n, and a nested
 * table "fds": event type -> path, flags), filled while parsing. Run by real
 * libsinsp in tests/sdk/table_realhost.sh. */
#include <stdio.h>
#include <falco/plugin.h>
typedef struct { char *path; uint32_t flags; } fd_e;
typedef struct { char *name; falco_table *fds; uint64_t n; } proc_e;
typedef struct { falco_table *procs; } st_t;
static const falco_table_column fd_cols[] = {
    FALCO_TABLE_COLUMN(fd_e, path, "path", FALCO_TABLE_STRING),
    FALCO_TABLE_COLUMN(fd_e, flags, "flags", FALCO_TABLE_U32),
};
static const falco_table_export fd_layout = { .key_type = FALCO_TABLE_I64, .entry_size = sizeof(fd_e), .columns = FALCO_LIST(fd_cols) };
static const falco_table_column proc_cols[] = {
    FALCO_TABLE_COLUMN(proc_e, name, "name", FALCO_TABLE_STRING),
    FALCO_TABLE_COLUMN_NESTED(proc_e, fds, "fds", &fd_layout),
    FALCO_TABLE_COLUMN(proc_e, n, "n", FALCO_TABLE_U64),
};
static const falco_table_export ex[] = { FALCO_TABLE_EXPORT(st_t, procs, "sdk_procs", FALCO_TABLE_I64, proc_e, proc_cols) };
static falco_rc px(falco_parse *ps, void *state, const falco_event *ev) {
    (void)ps; st_t *st = state;
    proc_e *p = falco_table_emplace(st->procs, FALCO_TABLE_KEY_I64((int64_t)ev->evt->tid));
    if (!p) return FALCO_ENOMEM;
    if (!p->n++) falco_table_set_str(&p->name, "t");
    fd_e *f = falco_table_emplace(p->fds, FALCO_TABLE_KEY_I64(ev->evt->type));
    if (!f) return FALCO_ENOMEM;
    f->flags++;
    if (!f->path) { char b[32]; snprintf(b, sizeof b, "type%u", (unsigned)ev->evt->type); falco_table_set_str(&f->path, b); }
    return FALCO_OK;
}
FALCO_PLUGIN(nx, .name = "nx", .version = "1.0.0", .contact = "x", .description = "x", .state_size = sizeof(st_t), .tables_export = FALCO_TABLE_EXPORTS(ex));
FALCO_PARSE(nx, .parse = px, .all_event_types = true, .sources = FALCO_SOURCES("syscall"));
