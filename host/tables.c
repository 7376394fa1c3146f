/*
 * tables.c - the owner side of the state tables API, minimal for now: the
 * host exposes no tables (list_tables gives none, get_table NULL with an
 * owner error) and records the tables a plugin adds after checking their
 * vtables the way libsinsp does. Every accessor of the reader/writer/fields
 * vtables fails with an owner error, since no table handle can be obtained.
 */
#include <stdio.h>
#include <string.h>

#include "host_internal.h"

void falco__host_fill_tables_input(falco_abi_init_tables_input *in, falco_abi_table_fields_vtable_ext *fx,
                                   falco_abi_table_reader_vtable_ext *rx, falco_abi_table_writer_vtable_ext *wx);

static falco_host_plugin *owner(falco_abi_owner_t *o)
{
    return o;
}

/* No table accessor can be reached without a table; these only guard
 * against plugins calling through with a handle they made up. */
static const char *no_table_name(falco_abi_table_t *t)
{
    (void)t;
    return "";
}
static uint64_t no_table_size(falco_abi_table_t *t)
{
    (void)t;
    return 0;
}
static falco_abi_table_entry_t *no_entry(falco_abi_table_t *t, const falco_abi_state_data *k)
{
    (void)t, (void)k;
    return NULL;
}
static falco_abi_rc no_read(falco_abi_table_t *t, falco_abi_table_entry_t *e, const falco_abi_table_field_t *f,
                            falco_abi_state_data *out)
{
    (void)t, (void)e, (void)f, (void)out;
    return FALCO_ABI_RC_FAILURE;
}
static void no_release(falco_abi_table_t *t, falco_abi_table_entry_t *e)
{
    (void)t, (void)e;
}
static falco_abi_bool no_iterate(falco_abi_table_t *t, falco_abi_table_iterator_func_t it,
                                 falco_abi_table_iterator_state_t *s)
{
    (void)t, (void)it, (void)s;
    return 0;
}
static falco_abi_rc no_clear(falco_abi_table_t *t)
{
    (void)t;
    return FALCO_ABI_RC_FAILURE;
}
static falco_abi_rc no_erase(falco_abi_table_t *t, const falco_abi_state_data *k)
{
    (void)t, (void)k;
    return FALCO_ABI_RC_FAILURE;
}
static falco_abi_table_entry_t *no_create(falco_abi_table_t *t)
{
    (void)t;
    return NULL;
}
static void no_destroy(falco_abi_table_t *t, falco_abi_table_entry_t *e)
{
    (void)t, (void)e;
}
static falco_abi_table_entry_t *no_add(falco_abi_table_t *t, const falco_abi_state_data *k,
                                       falco_abi_table_entry_t *e)
{
    (void)t, (void)k, (void)e;
    return NULL;
}
static falco_abi_rc no_write(falco_abi_table_t *t, falco_abi_table_entry_t *e, const falco_abi_table_field_t *f,
                             const falco_abi_state_data *in)
{
    (void)t, (void)e, (void)f, (void)in;
    return FALCO_ABI_RC_FAILURE;
}
static const falco_abi_table_fieldinfo *no_fields(falco_abi_table_t *t, uint32_t *n)
{
    (void)t;
    if (n)
        *n = 0;
    return NULL;
}
static falco_abi_table_field_t *no_field(falco_abi_table_t *t, const char *name, falco_abi_state_type type)
{
    (void)t, (void)name, (void)type;
    return NULL;
}

void falco__host_fill_reader(falco_abi_table_reader_vtable *r, falco_abi_table_reader_vtable_ext *rx)
{
    falco_abi_table_reader_vtable_ext x = { no_table_name, no_table_size, no_entry, no_read, no_release, no_iterate };
    *rx = x;
    if (r) {
        r->get_table_name = no_table_name;
        r->get_table_size = no_table_size;
        r->get_table_entry = no_entry;
        r->read_entry_field = no_read;
    }
}

void falco__host_fill_writer(falco_abi_table_writer_vtable *w, falco_abi_table_writer_vtable_ext *wx)
{
    falco_abi_table_writer_vtable_ext x = { no_clear, no_erase, no_create, no_destroy, no_add, no_write };
    *wx = x;
    if (w)
        *w = x;
}

static falco_abi_table_info *list_tables(falco_abi_owner_t *o, uint32_t *ntables)
{
    static falco_abi_table_info none[1];
    (void)o;
    if (ntables)
        *ntables = 0;
    return none;
}

static falco_abi_table_t *get_table(falco_abi_owner_t *o, const char *name, falco_abi_state_type key_type)
{
    falco_host_plugin *p = owner(o);
    snprintf(p->owner_err, sizeof p->owner_err, "table '%s' (key type %d) not found: this host exposes no tables",
             name ? name : "(null)", (int)key_type);
    return NULL;
}

/* Every deprecated vtable entry must be non-NULL and equal its _ext twin. */
static const char *check_table_input(const falco_abi_table_input *in)
{
    if (!in->name || !in->name[0])
        return "table has no name";
    if (!in->table)
        return "table handle is NULL";
    if (!in->reader_ext || !in->writer_ext || !in->fields_ext)
        return "reader_ext, writer_ext and fields_ext must all be set";
    const falco_abi_table_reader_vtable_ext *r = in->reader_ext;
    const falco_abi_table_writer_vtable_ext *w = in->writer_ext;
    const falco_abi_table_fields_vtable_ext *f = in->fields_ext;
    if (!r->get_table_name || !r->get_table_size || !r->get_table_entry || !r->read_entry_field ||
        !r->release_table_entry || !r->iterate_entries)
        return "reader_ext has a NULL function";
    if (!w->clear_table || !w->erase_table_entry || !w->create_table_entry || !w->destroy_table_entry ||
        !w->add_table_entry || !w->write_entry_field)
        return "writer_ext has a NULL function";
    if (!f->list_table_fields || !f->get_table_field || !f->add_table_field)
        return "fields_ext has a NULL function";
    if (in->reader.get_table_name != r->get_table_name || in->reader.get_table_size != r->get_table_size ||
        in->reader.get_table_entry != r->get_table_entry || in->reader.read_entry_field != r->read_entry_field)
        return "deprecated reader vtable differs from reader_ext";
    if (memcmp(&in->writer, w, sizeof *w) != 0)
        return "deprecated writer vtable differs from writer_ext";
    if (memcmp(&in->fields, f, sizeof *f) != 0)
        return "deprecated fields vtable differs from fields_ext";
    return NULL;
}

static falco_abi_rc add_table(falco_abi_owner_t *o, const falco_abi_table_input *in)
{
    falco_host_plugin *p = owner(o);
    const char *why = in ? check_table_input(in) : "NULL table input";
    if (!why && falco__host_strlist_has(&p->added_tables, in->name))
        why = "a table with this name already exists";
    if (why) {
        snprintf(p->owner_err, sizeof p->owner_err, "add_table '%s': %s", in && in->name ? in->name : "(null)",
                 why);
        return FALCO_ABI_RC_FAILURE;
    }
    if (falco__host_strlist_add(&p->added_tables, in->name) != FALCO_OK) {
        snprintf(p->owner_err, sizeof p->owner_err, "add_table '%s': out of memory", in->name);
        return FALCO_ABI_RC_FAILURE;
    }
    return FALCO_ABI_RC_SUCCESS;
}

void falco__host_fill_tables_input(falco_abi_init_tables_input *in, falco_abi_table_fields_vtable_ext *fx,
                                   falco_abi_table_reader_vtable_ext *rx, falco_abi_table_writer_vtable_ext *wx)
{
    memset(in, 0, sizeof *in);
    in->list_tables = list_tables;
    in->get_table = get_table;
    in->add_table = add_table;
    falco_abi_table_fields_vtable_ext f = { no_fields, no_field, no_field };
    *fx = f;
    in->fields = f;
    in->fields_ext = fx;
    falco__host_fill_reader(NULL, rx);
    falco__host_fill_writer(NULL, wx);
    in->reader_ext = rx;
    in->writer_ext = wx;
}

size_t falco_host_added_table_count(const falco_host_plugin *p)
{
    return p ? p->added_tables.count : 0;
}

const char *falco_host_added_table_name(const falco_host_plugin *p, size_t i)
{
    return p && i < p->added_tables.count ? p->added_tables.items[i] : NULL;
}
