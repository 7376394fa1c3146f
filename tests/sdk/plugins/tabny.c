/* tabny: an SDK plugin importing sdk_procs (tabnx.c) with its nested fds
 * table: adds the dynamic field ny.tag to the nested layout and writes it
 * while parsing; ny.info reads the nested entry of each read event. Run by
 * real libsinsp in tests/sdk/table_realhost.sh. */
#include <stdio.h>
#include <falco/plugin.h>
typedef struct { falco_table *t; falco_table_field *name, *fds, *path, *flags, *tag; } st_t;
static const falco_table_field_import fdf[] = {
    FALCO_TABLE_FIELD(st_t, path, "path", FALCO_TABLE_STRING),
    FALCO_TABLE_FIELD(st_t, flags, "flags", FALCO_TABLE_U32),
    FALCO_TABLE_FIELD(st_t, tag, "ny.tag", FALCO_TABLE_STRING, .add = true),
};
static const falco_table_field_import fi[] = {
    FALCO_TABLE_FIELD(st_t, name, "name", FALCO_TABLE_STRING),
    FALCO_TABLE_NESTED(st_t, fds, "fds", FALCO_TABLE_I64, fdf),
};
static const falco_table_import im[] = { FALCO_TABLE_IMPORT(st_t, t, "sdk_procs", FALCO_TABLE_I64, fi) };
static falco_rc py(falco_parse *ps, void *state, const falco_event *ev) {
    st_t *st = state; falco_plugin *p = falco_parse_plugin(ps); falco_table_entry *e, *fe;
    if (falco_table_get_entry(p, st->t, FALCO_TABLE_KEY_I64((int64_t)ev->evt->tid), &e) != FALCO_OK) return FALCO_OK;
    falco_table *fds; falco_rc rc = falco_table_read_table(p, st->t, e, st->fds, &fds);
    if (rc == FALCO_OK && falco_table_get_entry(p, fds, FALCO_TABLE_KEY_I64(ev->evt->type), &fe) == FALCO_OK) {
        rc = falco_table_write_str(p, fds, fe, st->tag, "ny");
        falco_table_release(p, fds, fe);
    }
    falco_table_release(p, st->t, e);
    return rc;
}
static falco_rc xc(falco_extract *x, const falco_event *ev) {
    st_t *st = falco_extract_state(x); falco_plugin *p = falco_extract_plugin(x); falco_table_entry *e, *fe;
    if (falco_table_get_entry(p, st->t, FALCO_TABLE_KEY_I64((int64_t)ev->evt->tid), &e) != FALCO_OK) return FALCO_OK;
    falco_table *fds; char buf[256] = "?"; uint64_t n = 0;
    if (falco_table_read_table(p, st->t, e, st->fds, &fds) == FALCO_OK && falco_table_size(p, fds, &n) == FALCO_OK &&
        falco_table_get_entry(p, fds, FALCO_TABLE_KEY_I64(ev->evt->type), &fe) == FALCO_OK) {
        const char *path, *tag; uint32_t fl;
        falco_table_read_str(p, fds, fe, st->path, &path); falco_table_read_u32(p, fds, fe, st->flags, &fl); falco_table_read_str(p, fds, fe, st->tag, &tag);
        snprintf(buf, sizeof buf, "n=%llu %s:%u:%s", (unsigned long long)n, path, fl, tag);
        falco_table_release(p, fds, fe);
    } else snprintf(buf, sizeof buf, "err=%s", falco_plugin_last_error(p));
    falco_table_release(p, st->t, e);
    return falco_extract_str(x, buf);
}
static const falco_field fl[] = {{.name = "ny.info", .type = FALCO_FIELD_STRING, .desc = "d", .extract = xc}};
FALCO_PLUGIN(ny, .name = "ny", .version = "1.0.0", .contact = "x", .description = "x", .state_size = sizeof(st_t), .tables_import = FALCO_TABLE_IMPORTS(im));
FALCO_PARSE(ny, .parse = py, .all_event_types = true, .sources = FALCO_SOURCES("syscall"));
FALCO_EXTRACT(ny, .fields = FALCO_LIST(fl), .sources = FALCO_SOURCES("syscall"), .event_types = FALCO_EVENT_TYPES(FALCO_PPME_SYSCALL_READ_X));
