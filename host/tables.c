/*
 * tables.c - the owner side of the state tables API: a session's registry
 * (list_tables, get_table, add_table with libsinsp's checks), and the
 * reader/writer/fields vtables the host hands to plugins, which dispatch to
 * the host's in-memory tables (table_mem.c) or forward to the vtables of the
 * plugin that added the table.
 *
 * Phases: the vtables a call hands over decide what may be done during
 * that call, on the thread the host called from: init (everything), parse
 * and capture open/close (read and write), extraction (read only); between
 * calls nothing. The vtables themselves live as long as the plugin (p->vt),
 * since plugins may keep the pointers, as libsinsp allows. A writer
 * function kept from an earlier phase and called while extracting fails
 * with an owner error; a call from a thread the host is not calling into
 * (a plugin's own thread) fails without touching any shared state.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_internal.h"
#include "table_mem.h"

#define TREF_MAGIC 0x54526546u

enum phase { PH_NONE = 0, PH_READ, PH_WRITE, PH_INIT };

/* What the vtables handed over last on this thread allow. */
static _Thread_local enum phase tl_phase;

/* A table in a registry, or a nested table of a plugin's table. */
typedef struct reg_table {
    char *name;
    falco_abi_state_type key_type;
    falco__host_table *mem;      /* the host's own table, or NULL */
    falco__host_schema *schema;  /* mem's schema (owned) */
    falco_host_plugin *owner;    /* the plugin that added it, or NULL */
    falco_abi_table_t *ptable;   /* the plugin's handle */
    falco_abi_table_reader_vtable_ext rx;
    falco_abi_table_writer_vtable_ext wx;
    falco_abi_table_fields_vtable_ext fx;
    struct tref *prefs;          /* references to a plugin table */
    /* A plugin's nested table: what reading a TABLE field of one of its
     * tables yields is a falco_abi_table_input (libsinsp wraps it as a
     * table of its own); the reader gets references to one of these,
     * which route through that input's vtables. */
    struct reg_table *root;           /* the registry table it was read from (nested only) */
    const falco_abi_table_input *in;  /* the input it was made from (nested only) */
    bool dead;                        /* that input failed the checks when last read */
    const struct reg_table *name_parent; /* what name was made from (nested only) */
    const char *name_src;
    /* Registry plugin tables only: the TABLE field handles the owner gave
     * (of the table or its nested ones), and the nested tables read so far,
     * by input (open addressing; kept until the table goes, as the host
     * cannot see the owner free them: the owner's allocator reuses the
     * addresses, which bounds the map by the most nested tables alive). */
    falco_abi_table_field_t **tfields;
    size_t ntfields;
    struct reg_table **nested;
    size_t nnested, capnested;
} reg_table;

/* What a plugin holds as falco_abi_table_t: one per (table, plugin). */
typedef struct tref {
    uint32_t magic;
    falco_host_plugin *user;
    falco__host_table *mem; /* host table (top-level or nested) */
    reg_table *ptab;        /* or a plugin's table */
    struct tref *next;
} tref;

struct falco__host_tables {
    reg_table **tables;
    size_t count;
    falco_abi_table_info *infos; /* list_tables' answer */
    uint64_t held;               /* entries handed out, not released */
    struct falco__host_threads *threads;
};

/* ---- references ---- */

void falco__host_tref_free_all(void *refs)
{
    tref *r = refs;
    while (r) {
        tref *n = r->next;
        r->magic = 0;
        free(r);
        r = n;
    }
}

static tref *ref_get(tref **list, falco_host_plugin *user, falco__host_table *mem, reg_table *ptab)
{
    for (tref *r = *list; r; r = r->next)
        if (r->user == user)
            return r;
    tref *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->magic = TREF_MAGIC;
    r->user = user;
    r->mem = mem;
    r->ptab = ptab;
    r->next = *list;
    *list = r;
    return r;
}

static tref *mem_ref(falco__host_table *t, falco_host_plugin *user)
{
    return ref_get((tref **)falco__host_mem_refs(t), user, t, NULL);
}

static const char *ref_name(const tref *r)
{
    return r->mem ? falco__host_schema_name(falco__host_mem_schema(r->mem)) : r->ptab->name;
}

/* Where the reason of a refused call goes when there is no plugin to tell
 * (the host's own reads, falco_host_session_table_entries) or the call came
 * from outside a host call (its message would race with the owner thread). */
static _Thread_local char scratch_err[FALCO__HOST_ERRLEN];

/* The user's owner error, when this thread is inside a host call. */
static char *uerr(const tref *r)
{
    return tl_phase != PH_NONE && r->user ? r->user->owner_err : scratch_err;
}

/* Resolves a table handle and checks the phase allows the call. */
static tref *enter(falco_abi_table_t *t, enum phase need, const char *call)
{
    tref *r = t;
    if (tl_phase == PH_NONE)
        return NULL; /* not inside a host call on this thread: the handle is not even read */
    if (!r || r->magic != TREF_MAGIC)
        return NULL; /* no plugin to tell: refused */
    if (tl_phase < need) {
        snprintf(uerr(r), FALCO__HOST_ERRLEN,
                 "table '%s': %s: not allowed while extracting (tables are read-only in this phase)", ref_name(r),
                 call);
        return NULL;
    }
    if (r->ptab && r->ptab->dead) {
        snprintf(uerr(r), FALCO__HOST_ERRLEN,
                 "table '%s': %s: the owner's last input for this nested table failed the host's checks",
                 ref_name(r), call);
        return NULL;
    }
    return r;
}

/* Records a plugin table's failure in the user's owner error. */
static void forward_err(const tref *r, const char *call)
{
    const char *why = falco_host_plugin_last_error(r->ptab->owner);
    snprintf(uerr(r), FALCO__HOST_ERRLEN, "table '%s' of plugin '%s': %s failed%s%s", r->ptab->name,
             falco__host_label(r->ptab->owner), call, why && why[0] ? ": " : "", why ? why : "");
}

static bool entry_ok(const tref *r, const falco_abi_table_entry_t *e, const char *call)
{
    const char *why = falco__host_mem_check_entry(r->mem, e);
    if (why)
        snprintf(uerr(r), FALCO__HOST_ERRLEN, "table '%s': %s: %s", ref_name(r), call, why);
    return !why;
}

static bool field_ok(const tref *r, const falco_abi_table_field_t *f, const char *call)
{
    const char *why = falco__host_mem_check_field(r->mem, f);
    if (why)
        snprintf(uerr(r), FALCO__HOST_ERRLEN, "table '%s': %s: %s", ref_name(r), call, why);
    return !why;
}

/* ---- nested tables of plugin tables ---- */

static const char *check_table_input(const falco_host_plugin *p, const falco_abi_table_input *in, reg_table *out);

static reg_table *root_of(reg_table *t)
{
    return t->root ? t->root : t;
}

static bool is_table_field(const reg_table *root, const falco_abi_table_field_t *f)
{
    for (size_t i = 0; i < root->ntfields; i++)
        if (root->tfields[i] == f)
            return true;
    return false;
}

/* Records a TABLE field handle the owner gave; false when out of memory. */
static bool note_table_field(reg_table *root, falco_abi_table_field_t *f)
{
    if (is_table_field(root, f))
        return true;
    falco_abi_table_field_t **l = realloc(root->tfields, (root->ntfields + 1) * sizeof *l);
    if (!l)
        return false;
    root->tfields = l;
    l[root->ntfields++] = f;
    return true;
}

static reg_table **nested_slot(reg_table *root, const falco_abi_table_input *in)
{
    size_t mask = root->capnested - 1;
    uint64_t h = (uint64_t)(uintptr_t)in * 0x9E3779B97F4A7C15ULL;
    for (size_t i = (size_t)(h >> 32) & mask;; i = (i + 1) & mask)
        if (!root->nested[i] || root->nested[i]->in == in)
            return &root->nested[i];
}

/* Room for one more nested table (at most half full); false when out of memory. */
static bool nested_room(reg_table *root)
{
    if ((root->nnested + 1) * 2 <= root->capnested)
        return true;
    size_t oldcap = root->capnested, cap = oldcap ? oldcap * 2 : 16;
    reg_table **old = root->nested, **n = calloc(cap, sizeof *n);
    if (!n)
        return false;
    root->nested = n;
    root->capnested = cap;
    for (size_t i = 0; i < oldcap; i++)
        if (old[i])
            *nested_slot(root, old[i]->in) = old[i];
    free(old);
    return true;
}

/* Names nt "<parent's name>.<input's name>" for messages; false when out of memory. */
static bool nested_name(reg_table *nt, const reg_table *parent, const falco_abi_table_input *in)
{
    if (nt->name && nt->name_parent == parent && nt->name_src == in->name)
        return true;
    size_t len = strlen(parent->name) + strlen(in->name) + 2;
    char *n = malloc(len);
    if (!n)
        return false;
    snprintf(n, len, "%s.%s", parent->name, in->name);
    free(nt->name);
    nt->name = n;
    nt->name_parent = parent;
    nt->name_src = in->name;
    return true;
}

/* The reference r's user gets for the nested table whose input r's table's
 * owner returned for a TABLE field: the input passes add_table's checks
 * (all vtables present, each deprecated one equal to its _ext twin) and
 * the reference routes through its vtables, as libsinsp's adapter does.
 * NULL with the user's owner error set. */
static tref *nested_ref(const tref *r, const falco_abi_table_input *in)
{
    reg_table *parent = r->ptab, *root = root_of(parent);
    reg_table chk;
    memset(&chk, 0, sizeof chk);
    const char *why = check_table_input(root->owner, in, &chk);
    reg_table **slot = root->capnested ? nested_slot(root, in) : NULL;
    reg_table *nt = slot ? *slot : NULL;
    if (why) {
        if (nt)
            nt->dead = true; /* references kept from earlier reads must not call the bad vtables */
    } else if (!nt) {
        if (!nested_room(root) || !(nt = calloc(1, sizeof *nt))) {
            why = "out of memory";
        } else {
            nt->root = root;
            nt->in = in;
            nt->owner = root->owner;
            *nested_slot(root, in) = nt;
            root->nnested++;
        }
    }
    if (!why && !nested_name(nt, parent, in))
        why = "out of memory";
    tref *res = NULL;
    if (!why) {
        nt->key_type = in->key_type;
        nt->ptable = in->table;
        nt->rx = chk.rx;
        nt->wx = chk.wx;
        nt->fx = chk.fx;
        nt->dead = false;
        if (!(res = ref_get(&nt->prefs, r->user, NULL, nt)))
            why = "out of memory";
    }
    if (why)
        snprintf(uerr(r), FALCO__HOST_ERRLEN, "table '%s': read_entry_field: nested table '%s' of plugin '%s': %s",
                 ref_name(r), in->name ? in->name : "(null)", falco__host_label(root->owner), why);
    return res;
}

/* ---- the reader vtable ---- */

static const char *v_get_table_name(falco_abi_table_t *t)
{
    tref *r = enter(t, PH_READ, "get_table_name");
    if (!r)
        return NULL;
    if (r->ptab)
        return r->ptab->rx.get_table_name(r->ptab->ptable);
    return ref_name(r);
}

static uint64_t v_get_table_size(falco_abi_table_t *t)
{
    tref *r = enter(t, PH_READ, "get_table_size");
    if (!r)
        return UINT64_MAX;
    if (r->ptab) {
        uint64_t n = r->ptab->rx.get_table_size(r->ptab->ptable);
        if (n == UINT64_MAX)
            forward_err(r, "get_table_size");
        return n;
    }
    return falco__host_mem_size(r->mem);
}

static falco_abi_table_entry_t *v_get_table_entry(falco_abi_table_t *t, const falco_abi_state_data *key)
{
    tref *r = enter(t, PH_READ, "get_table_entry");
    if (!r)
        return NULL;
    if (r->ptab) {
        falco_abi_table_entry_t *e = r->ptab->rx.get_table_entry(r->ptab->ptable, key);
        if (!e)
            forward_err(r, "get_table_entry");
        return e;
    }
    return falco__host_mem_get(r->mem, key, uerr(r));
}

static falco_abi_rc v_read_entry_field(falco_abi_table_t *t, falco_abi_table_entry_t *e,
                                       const falco_abi_table_field_t *f, falco_abi_state_data *out)
{
    tref *r = enter(t, PH_READ, "read_entry_field");
    if (!r)
        return FALCO_ABI_RC_FAILURE;
    if (r->ptab) {
        falco_abi_rc rc = r->ptab->rx.read_entry_field(r->ptab->ptable, e, f, out);
        if (rc != FALCO_ABI_RC_SUCCESS) {
            forward_err(r, "read_entry_field");
            return rc;
        }
        if (out && out->table && is_table_field(root_of(r->ptab), f)) {
            tref *sr = nested_ref(r, out->table);
            out->table = sr;
            if (!sr)
                return FALCO_ABI_RC_FAILURE;
        }
        return rc;
    }
    if (!out) {
        snprintf(uerr(r), FALCO__HOST_ERRLEN, "table '%s': read_entry_field: NULL output", ref_name(r));
        return FALCO_ABI_RC_FAILURE;
    }
    if (!entry_ok(r, e, "read_entry_field") || !field_ok(r, f, "read_entry_field"))
        return FALCO_ABI_RC_FAILURE;
    falco__host_table *sub = NULL;
    falco_abi_rc rc = falco__host_mem_read(r->mem, (falco__host_entry *)e, f, out, &sub, uerr(r));
    if (rc == FALCO_ABI_RC_SUCCESS && sub) {
        tref *sr = mem_ref(sub, r->user);
        if (!sr) {
            snprintf(uerr(r), FALCO__HOST_ERRLEN, "table '%s': read_entry_field: out of memory", ref_name(r));
            return FALCO_ABI_RC_FAILURE;
        }
        out->table = sr;
    }
    return rc;
}

static void v_release_table_entry(falco_abi_table_t *t, falco_abi_table_entry_t *e)
{
    tref *r = enter(t, PH_READ, "release_table_entry");
    if (!r)
        return;
    if (r->ptab) {
        r->ptab->rx.release_table_entry(r->ptab->ptable, e);
        return;
    }
    if (entry_ok(r, e, "release_table_entry"))
        falco__host_mem_release(r->mem, (falco__host_entry *)e);
}

static falco_abi_bool v_iterate_entries(falco_abi_table_t *t, falco_abi_table_iterator_func_t it,
                                        falco_abi_table_iterator_state_t *s)
{
    tref *r = enter(t, PH_READ, "iterate_entries");
    if (!r)
        return 0;
    if (!it) {
        snprintf(uerr(r), FALCO__HOST_ERRLEN, "table '%s': iterate_entries: NULL iterator", ref_name(r));
        return 0;
    }
    if (r->ptab)
        return r->ptab->rx.iterate_entries(r->ptab->ptable, it, s);
    return falco__host_mem_iterate(r->mem, it, s);
}

/* ---- the writer vtable ---- */

static falco_abi_rc v_clear_table(falco_abi_table_t *t)
{
    tref *r = enter(t, PH_WRITE, "clear_table");
    if (!r)
        return FALCO_ABI_RC_FAILURE;
    if (r->ptab) {
        falco_abi_rc rc = r->ptab->wx.clear_table(r->ptab->ptable);
        if (rc != FALCO_ABI_RC_SUCCESS)
            forward_err(r, "clear_table");
        return rc;
    }
    return falco__host_mem_clear(r->mem, uerr(r));
}

static falco_abi_rc v_erase_table_entry(falco_abi_table_t *t, const falco_abi_state_data *key)
{
    tref *r = enter(t, PH_WRITE, "erase_table_entry");
    if (!r)
        return FALCO_ABI_RC_FAILURE;
    if (r->ptab) {
        falco_abi_rc rc = r->ptab->wx.erase_table_entry(r->ptab->ptable, key);
        if (rc != FALCO_ABI_RC_SUCCESS)
            forward_err(r, "erase_table_entry");
        return rc;
    }
    return falco__host_mem_erase(r->mem, key, uerr(r));
}

static falco_abi_table_entry_t *v_create_table_entry(falco_abi_table_t *t)
{
    tref *r = enter(t, PH_WRITE, "create_table_entry");
    if (!r)
        return NULL;
    if (r->ptab) {
        falco_abi_table_entry_t *e = r->ptab->wx.create_table_entry(r->ptab->ptable);
        if (!e)
            forward_err(r, "create_table_entry");
        return e;
    }
    return falco__host_mem_create(r->mem, uerr(r));
}

static void v_destroy_table_entry(falco_abi_table_t *t, falco_abi_table_entry_t *e)
{
    tref *r = enter(t, PH_WRITE, "destroy_table_entry");
    if (!r)
        return;
    if (r->ptab) {
        r->ptab->wx.destroy_table_entry(r->ptab->ptable, e);
        return;
    }
    if (entry_ok(r, e, "destroy_table_entry"))
        (void)falco__host_mem_destroy(r->mem, (falco__host_entry *)e, uerr(r));
}

static falco_abi_table_entry_t *v_add_table_entry(falco_abi_table_t *t, const falco_abi_state_data *key,
                                                  falco_abi_table_entry_t *e)
{
    tref *r = enter(t, PH_WRITE, "add_table_entry");
    if (!r)
        return NULL;
    if (r->ptab) {
        falco_abi_table_entry_t *res = r->ptab->wx.add_table_entry(r->ptab->ptable, key, e);
        if (!res)
            forward_err(r, "add_table_entry");
        return res;
    }
    if (!entry_ok(r, e, "add_table_entry"))
        return NULL;
    return falco__host_mem_add(r->mem, key, (falco__host_entry *)e, uerr(r));
}

static falco_abi_rc v_write_entry_field(falco_abi_table_t *t, falco_abi_table_entry_t *e,
                                        const falco_abi_table_field_t *f, const falco_abi_state_data *in)
{
    tref *r = enter(t, PH_WRITE, "write_entry_field");
    if (!r)
        return FALCO_ABI_RC_FAILURE;
    if (r->ptab) {
        falco_abi_rc rc = r->ptab->wx.write_entry_field(r->ptab->ptable, e, f, in);
        if (rc != FALCO_ABI_RC_SUCCESS)
            forward_err(r, "write_entry_field");
        return rc;
    }
    if (!entry_ok(r, e, "write_entry_field") || !field_ok(r, f, "write_entry_field"))
        return FALCO_ABI_RC_FAILURE;
    return falco__host_mem_write(r->mem, (falco__host_entry *)e, f, in, uerr(r));
}

/* ---- the fields vtable ---- */

static const falco_abi_table_fieldinfo *v_list_table_fields(falco_abi_table_t *t, uint32_t *n)
{
    tref *r = enter(t, PH_READ, "list_table_fields");
    if (!r || !n) {
        if (r)
            snprintf(uerr(r), FALCO__HOST_ERRLEN, "table '%s': list_table_fields: NULL count", ref_name(r));
        return NULL;
    }
    if (r->ptab) {
        const falco_abi_table_fieldinfo *res = r->ptab->fx.list_table_fields(r->ptab->ptable, n);
        if (!res)
            forward_err(r, "list_table_fields");
        return res;
    }
    return falco__host_mem_list_fields(r->mem, n, uerr(r));
}

static falco_abi_table_field_t *v_get_table_field(falco_abi_table_t *t, const char *name, falco_abi_state_type type)
{
    tref *r = enter(t, PH_READ, "get_table_field");
    if (!r)
        return NULL;
    if (r->ptab) {
        falco_abi_table_field_t *f = r->ptab->fx.get_table_field(r->ptab->ptable, name, type);
        if (!f)
            forward_err(r, "get_table_field");
        else if (type == FALCO_ABI_ST_TABLE && !note_table_field(root_of(r->ptab), f)) {
            snprintf(uerr(r), FALCO__HOST_ERRLEN, "table '%s': get_table_field: out of memory", ref_name(r));
            return NULL;
        }
        return f;
    }
    return falco__host_mem_get_field(r->mem, name, type, uerr(r));
}

static falco_abi_table_field_t *v_add_table_field(falco_abi_table_t *t, const char *name, falco_abi_state_type type)
{
    tref *r = enter(t, PH_WRITE, "add_table_field");
    if (!r)
        return NULL;
    if (r->ptab) {
        falco_abi_table_field_t *f = r->ptab->fx.add_table_field(r->ptab->ptable, name, type);
        if (!f)
            forward_err(r, "add_table_field");
        else if (type == FALCO_ABI_ST_TABLE && !note_table_field(root_of(r->ptab), f)) {
            snprintf(uerr(r), FALCO__HOST_ERRLEN, "table '%s': add_table_field: out of memory", ref_name(r));
            return NULL;
        }
        return f;
    }
    return falco__host_mem_add_field(r->mem, name, type, uerr(r));
}

static const falco_abi_table_reader_vtable_ext host_reader = {
    v_get_table_name, v_get_table_size, v_get_table_entry, v_read_entry_field, v_release_table_entry,
    v_iterate_entries,
};
static const falco_abi_table_writer_vtable_ext host_writer = {
    v_clear_table, v_erase_table_entry, v_create_table_entry, v_destroy_table_entry, v_add_table_entry,
    v_write_entry_field,
};
static const falco_abi_table_fields_vtable_ext host_fields = {
    v_list_table_fields, v_get_table_field, v_add_table_field,
};

/* Fills p's vtables once: never written again, as a plugin may read them
 * from its own threads. */
static void vtables_ready(falco_host_plugin *p)
{
    if (p->vt.tables_ready)
        return;
    p->vt.rx = host_reader;
    p->vt.wx = host_writer;
    p->vt.fx = host_fields;
    p->vt.tables_ready = true;
}

falco_abi_table_reader_vtable_ext *falco__host_reader_for(falco_host_plugin *p, falco_abi_table_reader_vtable *r)
{
    vtables_ready(p);
    /* extraction hands over the reader alone; parse and listen add the writer next */
    tl_phase = PH_READ;
    if (r) {
        r->get_table_name = host_reader.get_table_name;
        r->get_table_size = host_reader.get_table_size;
        r->get_table_entry = host_reader.get_table_entry;
        r->read_entry_field = host_reader.read_entry_field;
    }
    return &p->vt.rx;
}

falco_abi_table_writer_vtable_ext *falco__host_writer_for(falco_host_plugin *p, falco_abi_table_writer_vtable *w)
{
    vtables_ready(p);
    tl_phase = PH_WRITE;
    if (w)
        *w = host_writer;
    return &p->vt.wx;
}

void falco__host_tables_phase_end(void)
{
    tl_phase = PH_NONE;
}

falco_rc falco_host_extract_window_open(falco_host_plugin *p, falco_abi_field_extract_input *in)
{
    if (!p || !in)
        return FALCO_EINVAL;
    in->owner = p;
    in->get_owner_last_error = falco__host_owner_last_error;
    in->table_reader_ext = falco__host_reader_for(p, &in->table_reader);
    return FALCO_OK;
}

void falco_host_extract_window_close(void)
{
    tl_phase = PH_NONE;
}

/* ---- the registry ---- */

static void reg_table_free(reg_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->capnested; i++)
        reg_table_free(t->nested[i]);
    free(t->nested);
    free(t->tfields);
    falco__host_mem_free(t->mem);
    falco__host_schema_free(t->schema);
    falco__host_tref_free_all(t->prefs);
    free(t->name);
    free(t);
}

static falco_rc reg_append(falco__host_tables *reg, reg_table *t)
{
    reg_table **l = realloc(reg->tables, (reg->count + 1) * sizeof *l);
    if (!l)
        return FALCO_ENOMEM;
    reg->tables = l;
    reg->tables[reg->count++] = t;
    return FALCO_OK;
}

static reg_table *reg_find(const falco__host_tables *reg, const char *name)
{
    for (size_t i = 0; reg && i < reg->count; i++)
        if (strcmp(reg->tables[i]->name, name) == 0)
            return reg->tables[i];
    return NULL;
}

/* Registers a host table over schema s (owned from now on); NULL when out of memory. */
falco__host_table *falco__host_tables_add_mem(falco__host_tables *reg, falco__host_schema *s)
{
    reg_table *t = calloc(1, sizeof *t);
    if (!t || !(t->name = falco__host_strdup(falco__host_schema_name(s)))) {
        free(t);
        falco__host_schema_free(s);
        return NULL;
    }
    t->schema = s;
    t->key_type = falco__host_schema_key_type(s);
    if (!(t->mem = falco__host_mem_new(s, &reg->held)) || reg_append(reg, t) != FALCO_OK) {
        reg_table_free(t);
        return NULL;
    }
    return t->mem;
}

falco__host_tables *falco__host_tables_new(void)
{
    falco__host_tables *reg = calloc(1, sizeof *reg);
    if (!reg)
        return NULL;
    if (falco__host_threads_setup(reg) != FALCO_OK) {
        falco__host_tables_free(reg);
        return NULL;
    }
    return reg;
}

void falco__host_tables_free(falco__host_tables *reg)
{
    if (!reg)
        return;
    /* the handles plugins hold die here: calls made before the next host
     * call (a plugin's destroy releasing entries) are refused unread */
    tl_phase = PH_NONE;
    for (size_t i = 0; i < reg->count; i++)
        reg_table_free(reg->tables[i]);
    free(reg->tables);
    free(reg->infos);
    falco__host_threads_free(reg->threads);
    free(reg);
}

void falco__host_tables_drop_owner(falco__host_tables *reg, const falco_host_plugin *p)
{
    size_t k = 0;
    for (size_t i = 0; i < reg->count; i++) {
        if (reg->tables[i]->owner == p)
            reg_table_free(reg->tables[i]);
        else
            reg->tables[k++] = reg->tables[i];
    }
    reg->count = k;
}

struct falco__host_threads **falco__host_tables_threads(falco__host_tables *reg)
{
    return &reg->threads;
}

uint64_t falco__host_tables_held(const falco__host_tables *reg)
{
    return reg->held;
}

size_t falco__host_tables_count(const falco__host_tables *reg)
{
    return reg->count;
}

const char *falco__host_tables_info(const falco__host_tables *reg, size_t i, falco_abi_state_type *key_type,
                                    uint64_t *size)
{
    if (i >= reg->count)
        return NULL;
    const reg_table *t = reg->tables[i];
    if (key_type)
        *key_type = t->key_type;
    if (size)
        *size = t->mem ? falco__host_mem_size(t->mem) : UINT64_MAX;
    return t->name;
}

static falco__host_tables *registry_of(falco_host_plugin *p)
{
    return p->session ? falco__host_session_tables(p->session) : NULL;
}

static falco_abi_table_info *list_tables(falco_abi_owner_t *o, uint32_t *ntables)
{
    static falco_abi_table_info none[1];
    falco_host_plugin *p = o;
    falco__host_tables *reg = p ? registry_of(p) : NULL;
    if (!ntables) {
        if (p)
            snprintf(p->owner_err, sizeof p->owner_err, "list_tables: NULL count");
        return NULL;
    }
    *ntables = 0;
    if (!reg)
        return none;
    falco_abi_table_info *in = realloc(reg->infos, (reg->count ? reg->count : 1) * sizeof *in);
    if (!in) {
        snprintf(p->owner_err, sizeof p->owner_err, "list_tables: out of memory");
        return NULL;
    }
    reg->infos = in;
    for (size_t i = 0; i < reg->count; i++) {
        in[i].name = reg->tables[i]->name;
        in[i].key_type = reg->tables[i]->key_type;
    }
    *ntables = (uint32_t)reg->count;
    return in;
}

static falco_abi_table_t *get_table(falco_abi_owner_t *o, const char *name, falco_abi_state_type key_type)
{
    falco_host_plugin *p = o;
    if (!p)
        return NULL; /* no owner to hold the reason */
    const char *n = name ? name : "(null)";
    falco__host_tables *reg = registry_of(p);
    reg_table *t = name ? reg_find(reg, name) : NULL;
    if (!t) {
        snprintf(p->owner_err, sizeof p->owner_err, "get_table: no table named '%s'%s", n,
                 reg ? "" : " (tables are shared by a session: initialize the plugin with falco_host_session_init)");
        return NULL;
    }
    if (t->key_type != key_type) {
        snprintf(p->owner_err, sizeof p->owner_err,
                 "get_table: table '%s' accessed with wrong key type: requested %s, actual %s", n,
                 falco__host_state_type_name(key_type), falco__host_state_type_name(t->key_type));
        return NULL;
    }
    tref *r = t->mem ? mem_ref(t->mem, p) : ref_get(&t->prefs, p, NULL, t);
    if (!r)
        snprintf(p->owner_err, sizeof p->owner_err, "get_table '%s': out of memory", n);
    return r;
}

/* libsinsp's checks on a table a plugin adds; NULL when good. Plugins
 * requiring API < 3.1 had no _ext vtables: they are built from the old ones
 * with no-op release and iterate, as libsinsp does. */
static void noop_release(falco_abi_table_t *t, falco_abi_table_entry_t *e)
{
    (void)t, (void)e;
}

static falco_abi_bool noop_iterate(falco_abi_table_t *t, falco_abi_table_iterator_func_t it,
                                   falco_abi_table_iterator_state_t *s)
{
    (void)t, (void)it, (void)s;
    return 0;
}

static const char *check_table_input(const falco_host_plugin *p, const falco_abi_table_input *in, reg_table *out)
{
    if (!in->name || !in->name[0])
        return "table has no name";
    if (!in->table)
        return "table handle is NULL";
    if (!falco__host_state_type_valid(in->key_type) || in->key_type == FALCO_ABI_ST_TABLE)
        return "unsupported key type";
    if (p->api_major == 3 && p->api_minor < 1) {
        const falco_abi_table_reader_vtable *r = &in->reader;
        falco_abi_table_reader_vtable_ext x = { r->get_table_name, r->get_table_size, r->get_table_entry,
                                                r->read_entry_field, noop_release, noop_iterate };
        out->rx = x;
        out->wx = in->writer;
        out->fx = in->fields;
    } else {
        if (!in->reader_ext || !in->writer_ext || !in->fields_ext)
            return "extended vtables must all be defined (reader_ext, writer_ext, fields_ext)";
        out->rx = *in->reader_ext;
        out->wx = *in->writer_ext;
        out->fx = *in->fields_ext;
    }
    const falco_abi_table_reader_vtable_ext *r = &out->rx;
    const falco_abi_table_writer_vtable_ext *w = &out->wx;
    const falco_abi_table_fields_vtable_ext *f = &out->fx;
    if (!r->get_table_name || r->get_table_name != in->reader.get_table_name || !r->get_table_size ||
        r->get_table_size != in->reader.get_table_size || !r->get_table_entry ||
        r->get_table_entry != in->reader.get_table_entry || !r->read_entry_field ||
        r->read_entry_field != in->reader.read_entry_field || !r->release_table_entry || !r->iterate_entries)
        return "broken or inconsistent reader vtables (a NULL function, or the deprecated reader differs from "
               "reader_ext)";
    if (!w->clear_table || w->clear_table != in->writer.clear_table || !w->erase_table_entry ||
        w->erase_table_entry != in->writer.erase_table_entry || !w->create_table_entry ||
        w->create_table_entry != in->writer.create_table_entry || !w->destroy_table_entry ||
        w->destroy_table_entry != in->writer.destroy_table_entry || !w->add_table_entry ||
        w->add_table_entry != in->writer.add_table_entry || !w->write_entry_field ||
        w->write_entry_field != in->writer.write_entry_field)
        return "broken or inconsistent writer vtables (a NULL function, or the deprecated writer differs from "
               "writer_ext)";
    if (!f->list_table_fields || f->list_table_fields != in->fields.list_table_fields || !f->get_table_field ||
        f->get_table_field != in->fields.get_table_field || !f->add_table_field ||
        f->add_table_field != in->fields.add_table_field)
        return "broken or inconsistent fields vtables (a NULL function, or the deprecated fields vtable differs "
               "from fields_ext)";
    return NULL;
}

static falco_abi_rc add_table(falco_abi_owner_t *o, const falco_abi_table_input *in)
{
    falco_host_plugin *p = o;
    if (!p)
        return FALCO_ABI_RC_FAILURE; /* as get_table */
    falco__host_tables *reg = registry_of(p);
    reg_table *t = calloc(1, sizeof *t);
    const char *why = !t ? "out of memory" : in ? check_table_input(p, in, t) : "NULL table input";
    if (!why && (reg_find(reg, in->name) || falco__host_strlist_has(&p->added_tables, in->name)))
        why = "a table with this name already exists";
    if (!why && !(t->name = falco__host_strdup(in->name)))
        why = "out of memory";
    if (!why && falco__host_strlist_add(&p->added_tables, in->name) != FALCO_OK)
        why = "out of memory";
    if (!why && reg) {
        t->key_type = in->key_type;
        t->owner = p;
        t->ptable = in->table;
        if (reg_append(reg, t) != FALCO_OK)
            why = "out of memory";
        else
            t = NULL; /* the registry has it */
    }
    reg_table_free(t); /* outside a session the table is recorded, not served */
    if (why) {
        snprintf(p->owner_err, sizeof p->owner_err, "failure in adding state table '%s' defined by plugin '%s': %s",
                 in && in->name ? in->name : "(null)", falco__host_label(p), why);
        return FALCO_ABI_RC_FAILURE;
    }
    return FALCO_ABI_RC_SUCCESS;
}

falco_abi_init_tables_input *falco__host_init_tables_for(falco_host_plugin *p)
{
    vtables_ready(p);
    falco_abi_init_tables_input *in = &p->vt.init;
    if (!in->list_tables) { /* once, before it is first handed over */
        in->list_tables = list_tables;
        in->get_table = get_table;
        in->add_table = add_table;
        in->fields = host_fields;
        in->fields_ext = &p->vt.fx;
        in->reader_ext = &p->vt.rx;
        in->writer_ext = &p->vt.wx;
    }
    tl_phase = PH_INIT;
    return in;
}

size_t falco_host_added_table_count(const falco_host_plugin *p)
{
    return p ? p->added_tables.count : 0;
}

const char *falco_host_added_table_name(const falco_host_plugin *p, size_t i)
{
    return p && i < p->added_tables.count ? p->added_tables.items[i] : NULL;
}

/* ---- the host's own view: falco_host_session_table_fields/_entries ---- */

/* How to read one table, a registry's or a nested one: the host's vtables
 * over a reference of no plugin (mem tables), or the owner plugin's. */
typedef struct dump_ctx {
    const falco_abi_table_reader_vtable_ext *rx;
    const falco_abi_table_fields_vtable_ext *fx;
    const reg_table *ptab; /* the plugin's table, or NULL */
    uint64_t max;
    falco_json_writer *w;
    falco_host_table_entry_fn fn; /* top level only */
    void *userdata;
    falco_rc rc;
} dump_ctx;

typedef struct dump_table {
    dump_ctx *c;
    falco_abi_table_t *t;
    const falco_abi_table_fieldinfo *fi;
    uint32_t *order; /* field indices sorted by name, as libsinsp's dumps print them */
    falco_abi_table_field_t **acc;
    uint32_t nf;
    uint64_t seen;
    bool top;
} dump_table;

static const char *dump_why(const dump_ctx *c)
{
    const char *e = c->ptab ? falco_host_plugin_last_error(c->ptab->owner) : scratch_err;
    return e && e[0] ? e : "failed";
}

static void dump_error(dump_ctx *c)
{
    char msg[FALCO__HOST_ERRLEN + 16];
    snprintf(msg, sizeof msg, "<error: %.2047s>", dump_why(c));
    falco_json_string_value(c->w, msg);
}

static _Thread_local const dump_table *sort_base;
static int by_field_name(const void *a, const void *b)
{
    return strcmp(sort_base->fi[*(const uint32_t *)a].name, sort_base->fi[*(const uint32_t *)b].name);
}

static bool dump_open(dump_ctx *c, falco_abi_table_t *t, dump_table *d)
{
    memset(d, 0, sizeof *d);
    d->c = c;
    d->t = t;
    if (!(d->fi = c->fx->list_table_fields(t, &d->nf)))
        return false;
    d->order = malloc((d->nf ? d->nf : 1) * sizeof *d->order);
    d->acc = calloc(d->nf ? d->nf : 1, sizeof *d->acc);
    if (!d->order || !d->acc) {
        c->rc = FALCO_ENOMEM;
        return false;
    }
    for (uint32_t i = 0; i < d->nf; i++) {
        d->order[i] = i;
        d->acc[i] = c->fx->get_table_field(t, d->fi[i].name, d->fi[i].field_type); /* NULL: read as an error */
    }
    sort_base = d; /* the owner thread only: see falco_host_session_table_entries */
    qsort(d->order, d->nf, sizeof *d->order, by_field_name);
    return true;
}

static void dump_close(dump_table *d)
{
    free(d->order);
    free(d->acc);
}

static void dump_nested(dump_ctx *c, falco_abi_table_t *t, const char *key_type);
static void dump_plugin_nested(dump_ctx *c, const falco_abi_table_input *in);

static falco_abi_bool dump_entry(falco_abi_table_iterator_state_t *st, falco_abi_table_entry_t *e)
{
    dump_table *d = st;
    dump_ctx *c = d->c;
    if (d->top)
        falco_json_writer_reset(c->w);
    falco_json_object_begin(c->w);
    for (uint32_t k = 0; k < d->nf; k++) {
        uint32_t i = d->order[k];
        falco_abi_state_data v;
        memset(&v, 0, sizeof v);
        falco_json_key(c->w, d->fi[i].name);
        if (!d->acc[i] || c->rx->read_entry_field(d->t, e, d->acc[i], &v) != FALCO_ABI_RC_SUCCESS) {
            dump_error(c);
            continue;
        }
        switch (d->fi[i].field_type) {
        case FALCO_ABI_ST_INT8: falco_json_i64_value(c->w, v.s8); break;
        case FALCO_ABI_ST_INT16: falco_json_i64_value(c->w, v.s16); break;
        case FALCO_ABI_ST_INT32: falco_json_i64_value(c->w, v.s32); break;
        case FALCO_ABI_ST_INT64: falco_json_i64_value(c->w, v.s64); break;
        case FALCO_ABI_ST_UINT8: falco_json_u64_value(c->w, v.u8); break;
        case FALCO_ABI_ST_UINT16: falco_json_u64_value(c->w, v.u16); break;
        case FALCO_ABI_ST_UINT32: falco_json_u64_value(c->w, v.u32); break;
        case FALCO_ABI_ST_UINT64: falco_json_u64_value(c->w, v.u64); break;
        case FALCO_ABI_ST_STRING: falco_json_string_value(c->w, v.str ? v.str : ""); break;
        case FALCO_ABI_ST_BOOL: falco_json_bool_value(c->w, v.b != 0); break;
        case FALCO_ABI_ST_TABLE:
            if (!v.table)
                falco_json_string_value(c->w, "<null table>");
            else if (c->ptab)
                dump_plugin_nested(c, v.table); /* the owner's input, not a handle */
            else
                dump_nested(c, v.table, falco__host_state_type_name(falco__host_schema_key_type(
                                            falco__host_mem_schema(((const tref *)v.table)->mem))));
            break;
        default: falco_json_string_value(c->w, "<unsupported type>"); break;
        }
    }
    falco_json_object_end(c->w);
    d->seen++;
    if (d->top) {
        size_t len;
        const char *json = falco_json_writer_str(c->w, &len);
        if (!json) {
            c->rc = FALCO_ENOMEM;
            return 0;
        }
        c->fn(c->userdata, json, len);
    }
    return d->seen < c->max;
}

/* A nested table as libsinsp's dumps show one: name, key type, size and
 * its first max entries. */
static void dump_nested(dump_ctx *c, falco_abi_table_t *t, const char *key_type)
{
    const char *name = c->rx->get_table_name(t);
    falco_json_object_begin(c->w);
    falco_json_key(c->w, "name");
    falco_json_string_value(c->w, name ? name : "");
    falco_json_key(c->w, "key_type");
    falco_json_string_value(c->w, key_type);
    falco_json_key(c->w, "size");
    falco_json_u64_value(c->w, c->rx->get_table_size(t));
    falco_json_key(c->w, "entries");
    falco_json_array_begin(c->w);
    dump_table d;
    if (c->max && dump_open(c, t, &d))
        c->rx->iterate_entries(t, dump_entry, &d);
    if (c->max)
        dump_close(&d);
    falco_json_array_end(c->w);
    falco_json_object_end(c->w);
}

/* A plugin's nested table: read through its input's vtables once they pass
 * add_table's checks (an error string in its place otherwise). */
static void dump_plugin_nested(dump_ctx *c, const falco_abi_table_input *in)
{
    reg_table chk;
    memset(&chk, 0, sizeof chk);
    const char *why = check_table_input(c->ptab->owner, in, &chk);
    if (why) {
        char msg[FALCO__HOST_ERRLEN];
        snprintf(msg, sizeof msg, "<error: nested table '%s': %s>", in->name ? in->name : "(null)", why);
        falco_json_string_value(c->w, msg);
        return;
    }
    dump_ctx sub = *c;
    sub.rx = &chk.rx;
    sub.fx = &chk.fx;
    dump_nested(&sub, in->table, falco__host_state_type_name(in->key_type));
    c->rc = sub.rc;
}

/* Sets up c to read registry table i; returns its handle, or NULL. */
static falco_abi_table_t *dump_begin(falco__host_tables *reg, size_t i, dump_ctx *c)
{
    reg_table *t = reg->tables[i];
    if (t->mem) {
        c->rx = &host_reader;
        c->fx = &host_fields;
        tref *r = mem_ref(t->mem, NULL);
        if (!r)
            c->rc = FALCO_ENOMEM;
        return r;
    }
    c->rx = &t->rx;
    c->fx = &t->fx;
    c->ptab = t;
    return t->ptable;
}

const falco_abi_table_fieldinfo *falco__host_tables_fields(falco__host_tables *reg, size_t i, uint32_t *n,
                                                           char *err)
{
    *n = 0;
    if (i >= reg->count) {
        snprintf(err, FALCO__HOST_ERRLEN, "no table #%zu", i);
        return NULL;
    }
    dump_ctx c = { 0 };
    enum phase saved = tl_phase;
    tl_phase = PH_READ; /* the host reads as a plugin extracting would */
    falco_abi_table_t *t = dump_begin(reg, i, &c);
    const falco_abi_table_fieldinfo *fi = t ? c.fx->list_table_fields(t, n) : NULL;
    tl_phase = saved;
    if (!fi)
        snprintf(err, FALCO__HOST_ERRLEN, "table '%s': list_table_fields: %.1024s", reg->tables[i]->name,
                 t ? dump_why(&c) : "out of memory");
    return fi;
}

falco_rc falco__host_tables_entries(falco__host_tables *reg, size_t i, uint64_t max, uint64_t *size,
                                    falco_host_table_entry_fn fn, void *userdata, char *err)
{
    if (size)
        *size = UINT64_MAX;
    if (i >= reg->count) {
        snprintf(err, FALCO__HOST_ERRLEN, "no table #%zu", i);
        return FALCO_EINVAL;
    }
    dump_ctx c = { 0 };
    c.max = max;
    c.fn = fn;
    c.userdata = userdata;
    enum phase saved = tl_phase;
    tl_phase = PH_READ;
    falco_abi_table_t *t = dump_begin(reg, i, &c);
    uint64_t n = t ? c.rx->get_table_size(t) : UINT64_MAX;
    if (size)
        *size = n;
    dump_table d;
    bool opened = false;
    if (t && n == UINT64_MAX) {
        c.rc = FALCO_ERROR;
    } else if (t && max) {
        if (!(c.w = falco_json_writer_new()))
            c.rc = FALCO_ENOMEM;
        else if (!(opened = dump_open(&c, t, &d)) && c.rc == FALCO_OK)
            c.rc = FALCO_ERROR;
        if (opened) {
            d.top = true;
            c.rx->iterate_entries(t, dump_entry, &d);
        }
    }
    tl_phase = saved;
    if (opened)
        dump_close(&d);
    falco_json_writer_free(c.w);
    if (c.rc != FALCO_OK)
        snprintf(err, FALCO__HOST_ERRLEN, "table '%s': %.1024s", reg->tables[i]->name,
                 c.rc == FALCO_ENOMEM ? "out of memory" : dump_why(&c));
    return c.rc;
}
