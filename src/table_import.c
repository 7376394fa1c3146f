/* State tables, importing side: the declarative import resolved at init
 * with every type checked, then typed, phase-checked access through the
 * vtables the host grants each call. Also the hooks the base calls. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table_internal.h"

/* ---- types ---- */

const char *falco__table_type_name(int t) {
    switch (t) {
    case FALCO_TABLE_I8: return "int8";
    case FALCO_TABLE_I16: return "int16";
    case FALCO_TABLE_I32: return "int32";
    case FALCO_TABLE_I64: return "int64";
    case FALCO_TABLE_U8: return "uint8";
    case FALCO_TABLE_U16: return "uint16";
    case FALCO_TABLE_U32: return "uint32";
    case FALCO_TABLE_U64: return "uint64";
    case FALCO_TABLE_STRING: return "string";
    case FALCO_TABLE_TABLE: return "table";
    case FALCO_TABLE_BOOL: return "bool";
    default: return "unknown";
    }
}

const char *falco_table_type_name(falco_table_type t) {
    return falco__table_type_name(t);
}

bool falco__table_type_valid(int t, bool key) {
    if ((t >= FALCO_TABLE_I8 && t <= FALCO_TABLE_STRING) || t == FALCO_TABLE_BOOL)
        return true;
    return !key && t == FALCO_TABLE_TABLE;
}

/* ---- declaration checks (once per process, from the runtime) ---- */

static falco_rc check_fields(const falco_plugin_decl *d, const char *path, falco_table_field_import_list l,
                             unsigned depth, char *err, size_t errlen) {
    if (l.count && !l.items) {
        snprintf(err, errlen, "plugin '%s': table import '%s': fields has a count but no items", d->name, path);
        return FALCO_EINVAL;
    }
    for (size_t i = 0; i < l.count; i++) {
        const falco_table_field_import *f = &l.items[i];
        if (!f->name || !*f->name) {
            snprintf(err, errlen, "plugin '%s': table import '%s': field [%zu] has no name", d->name, path, i);
            return FALCO_EINVAL;
        }
        if (!falco__table_type_valid(f->type, false)) {
            snprintf(err, errlen, "plugin '%s': table import '%s': field '%s' has an invalid type %d", d->name, path,
                     f->name, (int)f->type);
            return FALCO_EINVAL;
        }
        if (f->slot + sizeof(void *) > d->state_size || f->slot % sizeof(void *)) {
            snprintf(err, errlen,
                     "plugin '%s': table import '%s': field '%s': slot %zu is not a pointer inside the state "
                     "(.state_size %zu)",
                     d->name, path, f->name, f->slot, d->state_size);
            return FALCO_EINVAL;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(l.items[j].name, f->name) == 0) {
                snprintf(err, errlen, "plugin '%s': table import '%s': field '%s' is declared twice", d->name, path,
                         f->name);
                return FALCO_EINVAL;
            }
        if (f->type == FALCO_TABLE_TABLE) {
            if (f->add) {
                snprintf(err, errlen, "plugin '%s': table import '%s': field '%s': a nested table cannot be added",
                         d->name, path, f->name);
                return FALCO_EINVAL;
            }
            if (f->fields.count && !falco__table_type_valid(f->key_type, true)) {
                snprintf(err, errlen, "plugin '%s': table import '%s': nested table '%s' needs its .key_type",
                         d->name, path, f->name);
                return FALCO_EINVAL;
            }
            if (depth >= 4) {
                snprintf(err, errlen, "plugin '%s': table import '%s': nested more than 4 levels", d->name, path);
                return FALCO_EINVAL;
            }
            char sub[256];
            snprintf(sub, sizeof sub, "%s.%s", path, f->name);
            FALCO_TRY(check_fields(d, sub, f->fields, depth + 1, err, errlen));
        } else if (f->fields.count) {
            snprintf(err, errlen, "plugin '%s': table import '%s': field '%s' of type %s has nested fields", d->name,
                     path, f->name, falco__table_type_name(f->type));
            return FALCO_EINVAL;
        }
    }
    return FALCO_OK;
}

static bool has_nested(falco_table_field_import_list l) {
    for (size_t i = 0; i < l.count; i++)
        if (l.items[i].type == FALCO_TABLE_TABLE && l.items[i].fields.count)
            return true;
    return false;
}

static falco_rc tables_validate(const falco_plugin_decl *d, char *err, size_t errlen) {
    const falco_table_import_list *im = &d->tables_import;
    const falco_table_export_list *ex = &d->tables_export;
    if ((im->count && !im->falco__hooks) || (ex->count && !ex->falco__hooks)) {
        snprintf(err, errlen, "plugin '%s': declare tables with FALCO_TABLE_IMPORTS()/FALCO_TABLE_EXPORTS(), not "
                              "FALCO_LIST()", d->name);
        return FALCO_EINVAL;
    }
    if ((im->count || ex->count) && !d->falco__parse->falco__present && !d->falco__extract->falco__present) {
        snprintf(err, errlen,
                 "plugin '%s': state tables need FALCO_PARSE or FALCO_EXTRACT (the host gives tables to plugins "
                 "that parse or extract only)",
                 d->name);
        return FALCO_EINVAL;
    }
    if ((im->count && !im->items) || (ex->count && !ex->items)) {
        snprintf(err, errlen, "plugin '%s': table declarations have a count but no items", d->name);
        return FALCO_EINVAL;
    }
    for (size_t i = 0; i < im->count; i++) {
        const falco_table_import *t = &im->items[i];
        if (!t->name || !*t->name) {
            snprintf(err, errlen, "plugin '%s': table import [%zu] has no name", d->name, i);
            return FALCO_EINVAL;
        }
        if (!falco__table_type_valid(t->key_type, true)) {
            snprintf(err, errlen, "plugin '%s': table import '%s': invalid key type %d", d->name, t->name,
                     (int)t->key_type);
            return FALCO_EINVAL;
        }
        if (t->slot + sizeof(void *) > d->state_size || t->slot % sizeof(void *)) {
            snprintf(err, errlen,
                     "plugin '%s': table import '%s': slot %zu is not a pointer inside the state (.state_size %zu)",
                     d->name, t->name, t->slot, d->state_size);
            return FALCO_EINVAL;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(im->items[j].name, t->name) == 0) {
                snprintf(err, errlen, "plugin '%s': table '%s' is imported twice", d->name, t->name);
                return FALCO_EINVAL;
            }
        FALCO_TRY(check_fields(d, t->name, t->fields, 0, err, errlen));
    }
    return falco__tables_export_validate(d, err, errlen);
}

/* Tables exist from 3.0, but the SDK relies on the _ext vtables of 3.1
 * both ways: importers read through them (release, iterate), and hosts
 * below 3.1 never release nor iterate an exported table's entries (they
 * read the deprecated vtables). Nested tables' fields: 3.5. */
static unsigned tables_min_api_minor(const falco_plugin_decl *d, const char **why) {
    const falco_table_import_list *im = &d->tables_import;
    for (size_t i = 0; i < im->count; i++)
        if (has_nested(im->items[i].fields)) {
            *why = "nested state tables (subtable fields)";
            return 5;
        }
    if (falco__tables_export_nested(d)) {
        *why = "exported nested state tables (subtables)";
        return 5;
    }
    *why = im->count ? "imported state tables (the _ext table vtables: release, iterate)"
                     : "exported state tables (hosts release and iterate entries from 3.1 on)";
    return 1;
}

/* ---- init: resolve the imports ---- */

static falco_rc owner_fail(falco_plugin *p, const char *fmt, const char *a, const char *b) {
    char msg[512];
    snprintf(msg, sizeof msg, fmt, a, b);
    return falco_error_owner(p, FALCO_ERROR, "%s", msg);
}

static bool fields_vtable_ok(const falco_abi_table_fields_vtable_ext *f) {
    return f && f->list_table_fields && f->get_table_field && f->add_table_field;
}
static bool reader_ok(const falco_abi_table_reader_vtable_ext *r) {
    return r && r->get_table_name && r->get_table_size && r->get_table_entry && r->read_entry_field &&
           r->release_table_entry && r->iterate_entries;
}
static bool writer_ok(const falco_abi_table_writer_vtable_ext *w) {
    return w && w->clear_table && w->erase_table_entry && w->create_table_entry && w->destroy_table_entry &&
           w->add_table_entry && w->write_entry_field;
}

static size_t count_fields(falco_table_field_import_list l) {
    size_t n = l.count;
    for (size_t i = 0; i < l.count; i++)
        n += count_fields(l.items[i].fields);
    return n;
}

static void set_slot(falco_plugin *p, size_t slot, void *v) {
    memcpy((char *)p->state + slot, &v, sizeof v);
}

/* Resolves the fields of l on host table t (whose def is def, named path). */
static falco_rc resolve_fields(falco_plugin *p, const falco_abi_init_tables_input *in, falco_abi_table_t *t,
                               const void *def, const char *path, falco_table_field_import_list l) {
    falco__tables *ts = p->tables;
    const falco_abi_table_fields_vtable_ext *fx = in->fields_ext;
    uint32_t n = 0;
    const falco_abi_table_fieldinfo *info = fx->list_table_fields(t, &n);
    if (!info)
        n = 0;
    for (size_t i = 0; i < l.count; i++) {
        const falco_table_field_import *fi = &l.items[i];
        const falco_abi_table_fieldinfo *have = NULL;
        for (uint32_t j = 0; j < n; j++)
            if (info[j].name && strcmp(info[j].name, fi->name) == 0)
                have = &info[j];
        if (have && (int)have->field_type != (int)fi->type)
            return falco_error(p, FALCO_ETYPE, "table '%s': field '%s' is %s here, the plugin expects %s", path,
                               fi->name, falco__table_type_name(have->field_type), falco__table_type_name(fi->type));
        falco_abi_table_field_t *af = NULL;
        if (have) {
            if (!(af = fx->get_table_field(t, fi->name, (falco_abi_state_type)fi->type)))
                return owner_fail(p, "table '%s': get_table_field '%s' failed", path, fi->name);
        } else if (fi->add) {
            if (!(af = fx->add_table_field(t, fi->name, (falco_abi_state_type)fi->type)))
                return owner_fail(p, "table '%s': add_table_field '%s' failed", path, fi->name);
        } else if (fi->optional) {
            continue;
        } else {
            char names[400] = "";
            for (uint32_t j = 0; j < n; j++) {
                size_t len = strlen(names);
                snprintf(names + len, sizeof names - len, "%s%s", j ? ", " : "", info[j].name ? info[j].name : "?");
            }
            return falco_error(p, FALCO_ENOTFOUND, "table '%s': no field '%s' (it has: %s)", path, fi->name, names);
        }
        falco_table_field *h = &ts->fields[ts->nfields++];
        h->decl = fi;
        h->table_def = def;
        h->table_name = path;
        h->abi = af;
        h->type = fi->type;
        set_slot(p, fi->slot, h);
        if (fi->type == FALCO_TABLE_TABLE && fi->fields.count) {
            /* A nested table's fields are reached through one of its
             * instances: an entry made for the purpose, never added. */
            falco_abi_table_entry_t *e = in->writer_ext->create_table_entry(t);
            if (!e)
                return owner_fail(p, "table '%s': create_table_entry (to reach nested table '%s') failed", path,
                                  fi->name);
            falco_abi_state_data v = {0};
            falco_abi_rc rc = in->reader_ext->read_entry_field(t, e, af, &v);
            falco_rc r = FALCO_OK;
            if (rc != FALCO_ABI_RC_SUCCESS || !v.table) {
                r = owner_fail(p, "table '%s': reading nested table '%s' failed", path, fi->name);
            } else {
                /* the nested table's path, for messages: kept until destroy */
                size_t len = strlen(path) + strlen(fi->name) + 2;
                falco__tstr *sub = malloc(sizeof *sub + len);
                if (!sub)
                    r = falco_error(p, FALCO_ENOMEM, "table '%s': out of memory", path);
                else {
                    snprintf(sub->s, len, "%s.%s", path, fi->name);
                    sub->next = ts->strs;
                    ts->strs = sub;
                    r = resolve_fields(p, in, v.table, fi, sub->s, fi->fields);
                }
            }
            in->writer_ext->destroy_table_entry(t, e);
            FALCO_TRY(r);
        }
    }
    return FALCO_OK;
}

static falco_rc resolve_imports(falco_plugin *p, const falco_abi_init_tables_input *in) {
    const falco_table_import_list *im = &p->decl->tables_import;
    falco__tables *ts = p->tables;
    size_t nf = 0;
    for (size_t i = 0; i < im->count; i++)
        nf += count_fields(im->items[i].fields);
    ts->imports = calloc(im->count ? im->count : 1, sizeof *ts->imports);
    ts->fields = calloc(nf ? nf : 1, sizeof *ts->fields);
    if (!ts->imports || !ts->fields)
        return falco_error(p, FALCO_ENOMEM, "tables: out of memory");
    uint32_t nt = 0;
    const falco_abi_table_info *list = in->list_tables ? in->list_tables(p->owner, &nt) : NULL;
    if (!list)
        nt = 0;
    for (size_t i = 0; i < im->count; i++) {
        const falco_table_import *ti = &im->items[i];
        const falco_abi_table_info *have = NULL;
        for (uint32_t j = 0; j < nt; j++)
            if (list[j].name && strcmp(list[j].name, ti->name) == 0)
                have = &list[j];
        if (list && !have) {
            if (ti->optional)
                continue;
            char names[400] = "";
            for (uint32_t j = 0; j < nt; j++) {
                size_t len = strlen(names);
                snprintf(names + len, sizeof names - len, "%s%s", j ? ", " : "", list[j].name ? list[j].name : "?");
            }
            return falco_error(p, FALCO_ENOTFOUND, "table '%s': the host has no such table (it has: %s)", ti->name,
                               names);
        }
        if (have && (int)have->key_type != (int)ti->key_type)
            return falco_error(p, FALCO_ETYPE, "table '%s': key is %s here, the plugin expects %s", ti->name,
                               falco__table_type_name(have->key_type), falco__table_type_name(ti->key_type));
        falco_abi_table_t *t = in->get_table(p->owner, ti->name, (falco_abi_state_type)ti->key_type);
        if (!t) {
            if (ti->optional && !list)
                continue;
            return owner_fail(p, "table '%s': get_table failed%s", ti->name, "");
        }
        falco_table *h = &ts->imports[ts->nimports++];
        h->kind = FALCO__TK_IMPORT;
        h->name = ti->name;
        h->key_type = ti->key_type;
        h->abi = t;
        h->def = ti;
        h->call = &ts->call;
        h->owner = p;
        h->buckets = falco__table_no_buckets;
        h->shift = 63;
        set_slot(p, ti->slot, h);
        FALCO_TRY(resolve_fields(p, in, t, ti, ti->name, ti->fields));
    }
    return FALCO_OK;
}

static falco_rc tables_attach(falco_plugin *p, const falco_abi_init_tables_input *in) {
    const falco_plugin_decl *d = p->decl;
    if (!(p->tables = calloc(1, sizeof *p->tables)))
        return falco_error(p, FALCO_ENOMEM, "tables: out of memory");
    if (!in)
        return falco_error(p, FALCO_EINVAL,
                           "table '%s': the host passed no tables input to init (it gives them to plugins that "
                           "parse or extract)",
                           d->tables_import.count ? d->tables_import.items[0].name : d->tables_export.items[0].name);
    if (!in->get_table || !in->add_table || !fields_vtable_ok(in->fields_ext) || !reader_ok(in->reader_ext) ||
        !writer_ok(in->writer_ext))
        return falco_error(p, FALCO_EINVAL,
                           "tables: the host's init tables input lacks a function (get_table, add_table or one of "
                           "the fields/reader/writer _ext vtables)");
    p->tables->call.valid_reader = in->reader_ext;
    p->tables->call.valid_writer = in->writer_ext;
    falco__tables_enter(p, in->reader_ext, in->writer_ext, FALCO__TPHASE_INIT);
    FALCO_TRY(falco__tables_export_attach(p, in));
    return resolve_imports(p, in);
}

/* Entries still held, or released more than once (held below 0: the fast
 * paths count without a test). */
static void leak_note(falco_plugin *p, const char *when, bool to_host) {
    char msg[256];
    int64_t held = p->tables->call.held;
    if (held > 0)
        snprintf(msg, sizeof msg, "tables: %lld table entries not released %s", (long long)held, when);
    else
        snprintf(msg, sizeof msg, "tables: %lld more table entries released than got %s", -(long long)held, when);
    if (to_host && p->log_fn)
        p->log_fn(p->owner, p->decl->name, msg, FALCO_ABI_LOG_WARNING);
    else
        fprintf(stderr, "[%s] warning: %s\n", p->decl->name, msg);
}

static void tables_end_call(falco_plugin *p) {
#ifndef NDEBUG
    if (p->tables->call.held)
        leak_note(p, "at the end of the call", true);
#else
    (void)p;
#endif
}

static void tables_detach(falco_plugin *p) {
    falco__tables *ts = p->tables;
    if (!ts)
        return;
    if (ts->call.held)
        leak_note(p, "at destroy", false);
    falco__tables_export_detach(p);
    while (ts->strs) {
        falco__tstr *n = ts->strs;
        ts->strs = n->next;
        free(n);
    }
    free(ts->imports);
    free(ts->fields);
    free(ts);
    p->tables = NULL;
}

/* Plugins that import tables keep the single-field fast path: the TABLES
 * bit sends every request to extract_checked, which grants the call's
 * reader around the extractor (the argument-free path never looks at the
 * host's input). Without the state's own copy of the field table, the
 * general path always (it grants the reader too). */
static void tables_extract_ready(falco_plugin *p) {
    falco_extract *x = &p->extract;
    if (!p->decl->tables_import.count)
        return;
    if (!x->fields_rt_own) {
        x->fast_nfields = x->fast_limit = 0;
        return;
    }
    for (uint32_t i = 0; i < x->nfields; i++) {
        unsigned m = FALCO__RT_CHECKS(&x->fields_rt_own[i]);
        m = m ? m : FALCO__RT_NOARG; /* 0 stood for "no argument, no checks" */
        FALCO__RT_CHECKS(&x->fields_rt_own[i]) = (uint8_t)((m & ~FALCO__RT_INDEX_QUICK) | FALCO__RT_TABLES);
    }
}

const struct falco__tables_hooks falco__tables_hooks = {
    .validate = tables_validate,
    .min_api_minor = tables_min_api_minor,
    .attach = tables_attach,
    .end_call = tables_end_call,
    .detach = tables_detach,
    .extract_ready = tables_extract_ready,
};

/* ---- access ---- */

static const char *phase_name(int phase) {
    switch (phase) {
    case FALCO__TPHASE_INIT: return "init";
    case FALCO__TPHASE_RW: return "parsing";
    case FALCO__TPHASE_RO: return "extraction";
    default: return "no host call";
    }
}

/* Checks that this call may read (or write) t through f (NULL: no field)
 * and that the host's vtables are whole; returns the call record or NULL
 * with the error recorded in *rc. */
static const falco__table_call *access_check(falco_plugin *p, const falco_table *t, const falco_table_field *f,
                                             bool write, const char *what, falco_rc *rc) {
    falco__tables *ts = p ? p->tables : NULL;
    const char *tname = t ? t->name : "(null)";
    const char *fname = f ? f->decl->name : NULL;
#define ACCESS_FAIL(code, ...)                                              \
    do {                                                                    \
        *rc = p ? falco_error(p, code, __VA_ARGS__) : code;                 \
        return NULL;                                                        \
    } while (0)
    if (!ts)
        ACCESS_FAIL(FALCO_EMISUSE, "table '%s': %s: the plugin declares no state tables", tname, what);
    if (!t)
        ACCESS_FAIL(FALCO_EINVAL, "tables: %s: no table (an optional import the host lacks?)", what);
    if (t->kind == FALCO__TK_EXPORT)
        ACCESS_FAIL(FALCO_EMISUSE, "table '%s': %s: the plugin's own table: use falco_table_lookup", tname, what);
    if (ts->call.phase == FALCO__TPHASE_NONE)
        ACCESS_FAIL(FALCO_EMISUSE, "table '%s': %s outside a host call (the host grants tables during its calls only)",
                    tname, what);
    if (write && ts->call.phase == FALCO__TPHASE_RO) {
        if (fname)
            ACCESS_FAIL(FALCO_EMISUSE, "table '%s': %s of field '%s' during extraction (the host grants read-only access there)",
                        tname, what, fname);
        ACCESS_FAIL(FALCO_EMISUSE, "table '%s': %s during extraction (the host grants read-only access there)", tname,
                    what);
    }
    if (ts->call.reader != ts->call.valid_reader) {
        if (!reader_ok(ts->call.reader))
            ACCESS_FAIL(FALCO_ERROR, "table '%s': %s: the host gave no complete table reader in this call (%s)", tname,
                        what, phase_name(ts->call.phase));
        ts->call.valid_reader = ts->call.reader;
    }
    if (write && ts->call.writer != ts->call.valid_writer) {
        if (!writer_ok(ts->call.writer))
            ACCESS_FAIL(FALCO_ERROR, "table '%s': %s: the host gave no complete table writer in this call (%s)", tname,
                        what, phase_name(ts->call.phase));
        ts->call.valid_writer = ts->call.writer;
    }
    if (f && f->table_def != t->def)
        ACCESS_FAIL(FALCO_EMISUSE, "table '%s': %s: field '%s' belongs to table '%s'", tname, what, fname,
                    f->table_name);
#undef ACCESS_FAIL
    return &ts->call;
}

static falco_rc key_check(falco_plugin *p, const falco_table *t, falco_table_key key, const char *what) {
    if (t->key_type && key.type != t->key_type)
        return falco_error(p, FALCO_ETYPE, "table '%s': %s with a %s key, the table's key is %s", t->name, what,
                           falco__table_type_name(key.type), falco__table_type_name(t->key_type));
    if (key.type == FALCO_TABLE_STRING && !key.v.str)
        return falco_error(p, FALCO_EINVAL, "table '%s': %s with a NULL string key", t->name, what);
    return FALCO_OK;
}

const char *falco_table_name(const falco_table *t) {
    return t ? t->name : NULL;
}

falco_table_type falco_table_key_type(const falco_table *t) {
    return t ? t->key_type : (falco_table_type)0;
}

/* The inline fast paths in falco/table.h (falco__table_readable) accept a
 * read when t->call is set (imported and nested tables, for t->owner) and
 * its reader is valid_reader: valid_reader is never NULL and the reader is
 * NULL outside host calls (falco__tables_leave), so that one compare says
 * "inside a host call whose reader was checked whole". Everything else, and
 * every refusal, comes here: access_check says what is wrong. */

/* Never written: the inline paths stop at reader != valid_reader. */
static const falco_abi_table_reader_vtable_ext no_grant_reader;
falco__table_call falco__table_no_grant = {.valid_reader = &no_grant_reader};
/* Never written: the owner's inline lookup on a handle that is not an
 * exported table walks one of these empty chains. */
falco__table_node *falco__table_no_buckets[2];

falco_rc falco__table_no_entry(falco_plugin *p, const falco_table *t) {
    p->tables->call.held--; /* counted before the host's answer */
    return falco_error(p, FALCO_ENOTFOUND, "table '%s': no entry for this key", t->name);
}

falco__table_got falco__table_get_entry_slow(falco_plugin *p, falco_table *t, falco_table_key key) {
    falco__table_got g = {FALCO_OK, NULL};
    const falco__table_call *c = access_check(p, t, NULL, false, "get_entry", &g.rc);
    if (!c || (g.rc = key_check(p, t, key, "get_entry")) != FALCO_OK)
        return g;
    p->tables->call.held++;
    if (!(g.e = c->reader->get_table_entry(t->abi, &key.v)))
        g.rc = falco__table_no_entry(p, t);
    return g;
}

void falco__table_release_slow(falco_plugin *p, falco_table *t, falco_table_entry *e) {
    falco_rc rc;
    const falco__table_call *c = access_check(p, t, NULL, false, "release", &rc);
    if (!c || !e)
        return;
    c->reader->release_table_entry(t->abi, e);
    p->tables->call.held--;
}

uint64_t falco_table_entries_held(const falco_plugin *p) {
    return p && p->tables && p->tables->call.held > 0 ? (uint64_t)p->tables->call.held : 0;
}

falco_rc falco__table_read_failed(falco_plugin *p, const falco_table *t, const falco_table_field *f) {
    return falco_error_owner(p, FALCO_ERROR, "table '%s': reading field '%s' failed", t->name, f->decl->name);
}

/* Reads f of e as the union, after every check. */
static falco_rc read_raw(falco_plugin *p, falco_table *t, falco_table_entry *e, const falco_table_field *f,
                         falco_table_type type, falco_abi_state_data *out) {
    falco_rc rc = FALCO_OK;
    const falco__table_call *c = access_check(p, t, f, false, "read", &rc);
    if (!c)
        return rc;
    if (!f || !e)
        return falco_error(p, FALCO_EINVAL, "table '%s': read with no %s", t->name, f ? "entry" : "field");
    if ((int)f->decl->type != (int)type)
        return falco_error(p, FALCO_ETYPE, "table '%s': field '%s' is %s, read as %s", t->name, f->decl->name,
                           falco__table_type_name(f->decl->type), falco__table_type_name(type));
    if (c->reader->read_entry_field(t->abi, e, f->abi, out) != FALCO_ABI_RC_SUCCESS)
        return falco__table_read_failed(p, t, f);
    return FALCO_OK;
}

/* The scalar reads' slow path. */
falco__table_value falco__table_read_slow(falco_plugin *p, falco_table *t, falco_table_entry *e,
                                          const falco_table_field *f, falco_table_type type) {
    falco__table_value r = {FALCO_OK, {0}};
    r.rc = read_raw(p, t, e, f, type, &r.v);
    return r;
}

static falco_rc write_raw(falco_plugin *p, falco_table *t, falco_table_entry *e, const falco_table_field *f,
                          falco_table_type type, const falco_abi_state_data *in) {
    falco_rc rc = FALCO_OK;
    const falco__table_call *c = access_check(p, t, f, true, "write", &rc);
    if (!c)
        return rc;
    if (!f || !e)
        return falco_error(p, FALCO_EINVAL, "table '%s': write with no %s", t->name, f ? "entry" : "field");
    if ((int)f->decl->type != (int)type)
        return falco_error(p, FALCO_ETYPE, "table '%s': field '%s' is %s, written as %s", t->name, f->decl->name,
                           falco__table_type_name(f->decl->type), falco__table_type_name(type));
    if (c->writer->write_entry_field(t->abi, e, f->abi, in) != FALCO_ABI_RC_SUCCESS)
        return falco_error_owner(p, FALCO_ERROR, "table '%s': writing field '%s' failed", t->name, f->decl->name);
    return FALCO_OK;
}

/* The reads are inline in falco/table.h. */
#define FALCO__TABLE_RW_DEF(sfx, ctype, ttype, member)                                                          \
    falco_rc falco_table_write_##sfx(falco_plugin *p, falco_table *t, falco_table_entry *e,                   \
                                     const falco_table_field *f, ctype x) {                                   \
        falco_abi_state_data v = {0};                                                                         \
        v.member = x;                                                                                         \
        return write_raw(p, t, e, f, ttype, &v);                                                              \
    }
FALCO__TABLE_SCALARS(FALCO__TABLE_RW_DEF)

falco_rc falco_table_read_bool(falco_plugin *p, falco_table *t, falco_table_entry *e, const falco_table_field *f,
                               bool *out) {
    falco_abi_state_data v = {0};
    falco_rc rc = read_raw(p, t, e, f, FALCO_TABLE_BOOL, &v);
    if (rc == FALCO_OK)
        *out = v.b != 0;
    return rc;
}

falco_rc falco_table_write_bool(falco_plugin *p, falco_table *t, falco_table_entry *e, const falco_table_field *f,
                                bool x) {
    falco_abi_state_data v = {.b = x ? 1u : 0u};
    return write_raw(p, t, e, f, FALCO_TABLE_BOOL, &v);
}

falco_rc falco_table_read_str(falco_plugin *p, falco_table *t, falco_table_entry *e, const falco_table_field *f,
                              const char **out) {
    falco_abi_state_data v = {0};
    falco_rc rc = read_raw(p, t, e, f, FALCO_TABLE_STRING, &v);
    if (rc == FALCO_OK)
        *out = v.str ? v.str : "";
    return rc;
}

falco_rc falco_table_write_str(falco_plugin *p, falco_table *t, falco_table_entry *e, const falco_table_field *f,
                               const char *x) {
    if (!x && p)
        return falco_error(p, FALCO_EINVAL, "table '%s': write of a NULL string", t ? t->name : "(null)");
    falco_abi_state_data v = {.str = x};
    return write_raw(p, t, e, f, FALCO_TABLE_STRING, &v);
}

falco_rc falco_table_read_table(falco_plugin *p, falco_table *t, falco_table_entry *e, const falco_table_field *f,
                                falco_table **out) {
    falco_abi_state_data v = {0};
    *out = NULL;
    FALCO_TRY(read_raw(p, t, e, f, FALCO_TABLE_TABLE, &v));
    if (!v.table)
        return falco_error(p, FALCO_ERROR, "table '%s': nested table '%s' read as NULL", t->name, f->decl->name);
    falco_table *n = falco_plugin_scratch(p, sizeof *n);
    if (!n)
        return falco_error(p, FALCO_ENOMEM, "table '%s': out of memory", t->name);
    *n = (falco_table){.kind = FALCO__TK_NESTED, .name = f->decl->name, .key_type = f->decl->key_type,
                       .abi = v.table, .def = f->decl, .call = &p->tables->call, .owner = p,
                       .buckets = falco__table_no_buckets, .shift = 63};
    *out = n;
    return FALCO_OK;
}

falco_rc falco_table_size(falco_plugin *p, falco_table *t, uint64_t *n) {
    falco_rc rc = FALCO_OK;
    const falco__table_call *c = access_check(p, t, NULL, false, "size", &rc);
    if (!c)
        return rc;
    *n = c->reader->get_table_size(t->abi);
    if (*n == UINT64_MAX) /* the ABI's failure value: the host's reason is its owner error */
        return owner_fail(p, "table '%s': get_table_size failed%s", t->name, "");
    return FALCO_OK;
}

typedef struct {
    falco_table_iter_fn fn;
    void *userdata;
} iter_ctx;

static falco_abi_bool iter_tramp(falco_abi_table_iterator_state_t *s, falco_abi_table_entry_t *e) {
    iter_ctx *ic = s;
    return ic->fn(e, ic->userdata) ? 1 : 0;
}

falco_rc falco_table_iterate(falco_plugin *p, falco_table *t, falco_table_iter_fn fn, void *userdata,
                             bool *complete) {
    falco_rc rc = FALCO_OK;
    const falco__table_call *c = access_check(p, t, NULL, false, "iterate", &rc);
    if (!c)
        return rc;
    if (!fn)
        return falco_error(p, FALCO_EINVAL, "table '%s': iterate with no function", t->name);
    iter_ctx ic = {fn, userdata};
    falco_abi_bool all = c->reader->iterate_entries(t->abi, iter_tramp, &ic);
    if (complete)
        *complete = all != 0;
    return FALCO_OK;
}

falco_rc falco_table_create_entry(falco_plugin *p, falco_table *t, falco_table_entry **out) {
    falco_rc rc = FALCO_OK;
    *out = NULL;
    const falco__table_call *c = access_check(p, t, NULL, true, "create_entry", &rc);
    if (!c)
        return rc;
    if (!(*out = c->writer->create_table_entry(t->abi)))
        return falco_error_owner(p, FALCO_ERROR, "table '%s': create_entry failed", t->name);
    p->tables->call.held++;
    return FALCO_OK;
}

void falco_table_destroy_entry(falco_plugin *p, falco_table *t, falco_table_entry *e) {
    falco_rc rc;
    const falco__table_call *c = access_check(p, t, NULL, true, "destroy_entry", &rc);
    if (!c || !e)
        return;
    c->writer->destroy_table_entry(t->abi, e);
    p->tables->call.held--;
}

falco_rc falco_table_add_entry(falco_plugin *p, falco_table *t, falco_table_key key, falco_table_entry *e,
                               falco_table_entry **out) {
    falco_rc rc = FALCO_OK;
    *out = NULL;
    const falco__table_call *c = access_check(p, t, NULL, true, "add_entry", &rc);
    if (!c)
        return rc;
    FALCO_TRY(key_check(p, t, key, "add_entry"));
    if (!e)
        return falco_error(p, FALCO_EINVAL, "table '%s': add_entry with no entry", t->name);
    /* the created entry is the host's now, whatever the outcome */
    p->tables->call.held--;
    if (!(*out = c->writer->add_table_entry(t->abi, &key.v, e)))
        return falco_error_owner(p, FALCO_ERROR, "table '%s': add_entry failed", t->name);
    p->tables->call.held++;
    return FALCO_OK;
}

falco_rc falco_table_erase(falco_plugin *p, falco_table *t, falco_table_key key) {
    falco_rc rc = FALCO_OK;
    const falco__table_call *c = access_check(p, t, NULL, true, "erase", &rc);
    if (!c)
        return rc;
    FALCO_TRY(key_check(p, t, key, "erase"));
    if (c->writer->erase_table_entry(t->abi, &key.v) != FALCO_ABI_RC_SUCCESS)
        return falco_error_owner(p, FALCO_ENOTFOUND, "table '%s': erase failed", t->name);
    return FALCO_OK;
}

falco_rc falco_table_clear(falco_plugin *p, falco_table *t) {
    falco_rc rc = FALCO_OK;
    const falco__table_call *c = access_check(p, t, NULL, true, "clear", &rc);
    if (!c)
        return rc;
    if (c->writer->clear_table(t->abi) != FALCO_ABI_RC_SUCCESS)
        return falco_error_owner(p, FALCO_ERROR, "table '%s': clear failed", t->name);
    return FALCO_OK;
}

const falco_abi_table_reader_vtable_ext *falco_extract_table_reader(const falco_extract *x) {
    const falco_plugin *p = x->p;
    if (!p->tables || p->tables->call.phase != FALCO__TPHASE_RO)
        return NULL;
    return p->tables->call.reader;
}
