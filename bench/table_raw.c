/*
 * table_raw - the baseline of the table benchmark (bench/table_bench.c): a
 * plugin written by hand against the raw ABI (falco/abi.h only) that
 * exports the table bench_tab (uint64 key -> uint64 "value", TABLE_BENCH_ENTRIES
 * entries filled at init) with hand-written vtables, and extracts two fields
 * from plugin events of the source "tabbench" (payload: one uint64 key):
 *   tabraw.api  the entry's value read through the host's table API, as any
 *               importer would (get_table_entry, read_entry_field,
 *               release_table_entry of the extraction's reader)
 *   tabraw.own  the same value read directly by the owner (its hash table)
 * table_sdk.c does the same with the SDK; the benchmark reports the ratios.
 * Writes through the API are refused (the table is the owner's to fill).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <falco/abi.h>

#include "table_bench.h"

#define RAW_EXPORT __attribute__((visibility("default")))
#define HEADER_SIZE 26u
#define NBUCKETS (TABLE_BENCH_ENTRIES * 2u) /* power of two, open addressing */

typedef struct {
    uint64_t key, value;
    int used;
} raw_entry;

typedef struct {
    char err[FALCO_ABI_MAX_ERRLEN];
    raw_entry slots[NBUCKETS];
    uint64_t count;
    /* as an importer: the table got back from the host, its field, and the
     * result storage of the two fields */
    falco_abi_table_t *api_table;
    falco_abi_table_field_t *api_field;
    uint64_t result;
} raw_state;

static const falco_abi_table_fieldinfo value_info = {"value", FALCO_ABI_ST_UINT64, 0};
static uint16_t event_types[] = {FALCO_ABI_EVENT_PLUGIN};

static uint64_t hash(uint64_t k) {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    return k ^ (k >> 33);
}

static raw_entry *lookup(raw_state *s, uint64_t key) {
    for (uint64_t i = hash(key) & (NBUCKETS - 1);; i = (i + 1) & (NBUCKETS - 1)) {
        raw_entry *e = &s->slots[i];
        if (!e->used)
            return NULL;
        if (e->key == key)
            return e;
    }
}

static void insert(raw_state *s, uint64_t key, uint64_t value) {
    uint64_t i = hash(key) & (NBUCKETS - 1);
    while (s->slots[i].used && s->slots[i].key != key)
        i = (i + 1) & (NBUCKETS - 1);
    if (!s->slots[i].used)
        s->count++;
    s->slots[i] = (raw_entry){key, value, 1};
}

/* ---- the vtables of the exported table (the table handle is the state) ---- */
static const falco_abi_table_fieldinfo *t_list_fields(falco_abi_table_t *t, uint32_t *n) {
    (void)t;
    *n = 1;
    return &value_info;
}
static falco_abi_table_field_t *t_get_field(falco_abi_table_t *t, const char *name, falco_abi_state_type type) {
    raw_state *s = t;
    if (strcmp(name, "value") == 0 && type == FALCO_ABI_ST_UINT64)
        return (falco_abi_table_field_t *)&value_info;
    snprintf(s->err, sizeof s->err, "table 'bench_tab': no field '%s' of type %d", name, (int)type);
    return NULL;
}
static falco_abi_table_field_t *t_add_field(falco_abi_table_t *t, const char *name, falco_abi_state_type type) {
    raw_state *s = t;
    if (strcmp(name, "value") == 0 && type == FALCO_ABI_ST_UINT64)
        return (falco_abi_table_field_t *)&value_info;
    snprintf(s->err, sizeof s->err, "table 'bench_tab': no dynamic fields ('%s')", name);
    return NULL;
}
static const char *t_name(falco_abi_table_t *t) {
    (void)t;
    return "bench_tab";
}
static uint64_t t_size(falco_abi_table_t *t) {
    return ((raw_state *)t)->count;
}
static falco_abi_table_entry_t *t_get_entry(falco_abi_table_t *t, const falco_abi_state_data *key) {
    return lookup(t, key->u64);
}
static falco_abi_rc t_read(falco_abi_table_t *t, falco_abi_table_entry_t *e, const falco_abi_table_field_t *f,
                           falco_abi_state_data *out) {
    (void)t;
    if (f != (const void *)&value_info)
        return FALCO_ABI_RC_FAILURE;
    out->u64 = ((raw_entry *)e)->value;
    return FALCO_ABI_RC_SUCCESS;
}
static void t_release(falco_abi_table_t *t, falco_abi_table_entry_t *e) {
    (void)t;
    (void)e; /* entries live as long as the table */
}
static falco_abi_bool t_iterate(falco_abi_table_t *t, falco_abi_table_iterator_func_t it,
                                falco_abi_table_iterator_state_t *st) {
    raw_state *s = t;
    for (uint64_t i = 0; i < NBUCKETS; i++)
        if (s->slots[i].used && !it(st, &s->slots[i]))
            return 0;
    return 1;
}
static falco_abi_rc t_refuse(raw_state *s) {
    snprintf(s->err, sizeof s->err, "table 'bench_tab' is read-only");
    return FALCO_ABI_RC_FAILURE;
}
static falco_abi_rc t_clear(falco_abi_table_t *t) {
    return t_refuse(t);
}
static falco_abi_rc t_erase(falco_abi_table_t *t, const falco_abi_state_data *key) {
    (void)key;
    return t_refuse(t);
}
static falco_abi_table_entry_t *t_create(falco_abi_table_t *t) {
    t_refuse(t);
    return NULL;
}
static void t_destroy(falco_abi_table_t *t, falco_abi_table_entry_t *e) {
    (void)t;
    (void)e;
}
static falco_abi_table_entry_t *t_add(falco_abi_table_t *t, const falco_abi_state_data *key,
                                      falco_abi_table_entry_t *e) {
    (void)key;
    (void)e;
    t_refuse(t);
    return NULL;
}
static falco_abi_rc t_write(falco_abi_table_t *t, falco_abi_table_entry_t *e, const falco_abi_table_field_t *f,
                            const falco_abi_state_data *in) {
    (void)e;
    (void)f;
    (void)in;
    return t_refuse(t);
}

static falco_abi_table_fields_vtable_ext fields_ext = {t_list_fields, t_get_field, t_add_field};
static falco_abi_table_reader_vtable_ext reader_ext = {t_name, t_size, t_get_entry, t_read, t_release, t_iterate};
static falco_abi_table_writer_vtable_ext writer_ext = {t_clear, t_erase, t_create, t_destroy, t_add, t_write};

RAW_EXPORT const char *plugin_get_required_api_version(void) {
    return "3.2.0"; /* _ext vtables (3.1), event-type getter with the state (3.2) */
}
RAW_EXPORT const char *plugin_get_version(void) {
    return "0.1.0";
}
RAW_EXPORT const char *plugin_get_name(void) {
    return "table_raw";
}
RAW_EXPORT const char *plugin_get_description(void) {
    return "Table benchmark baseline written against the raw plugin ABI";
}
RAW_EXPORT const char *plugin_get_contact(void) {
    return "https://github.com/falcosecurity";
}

RAW_EXPORT falco_abi_plugin_t *plugin_init(const falco_abi_init_input *in, falco_abi_rc *rc) {
    raw_state *s = calloc(1, sizeof *s);
    *rc = FALCO_ABI_RC_FAILURE;
    if (!s)
        return NULL;
    for (uint64_t k = 0; k < TABLE_BENCH_ENTRIES; k++)
        insert(s, k, TABLE_BENCH_VALUE(k));
    if (!in->tables) {
        snprintf(s->err, sizeof s->err, "the host gave no tables");
        return s;
    }
    falco_abi_table_input t = {
        .name = "bench_tab", .key_type = FALCO_ABI_ST_UINT64, .table = s,
        .reader = {t_name, t_size, t_get_entry, t_read},
        .writer = {t_clear, t_erase, t_create, t_destroy, t_add, t_write},
        .fields = {t_list_fields, t_get_field, t_add_field},
        .reader_ext = &reader_ext, .writer_ext = &writer_ext, .fields_ext = &fields_ext,
    };
    if (in->tables->add_table(in->owner, &t) != FALCO_ABI_RC_SUCCESS ||
        !(s->api_table = in->tables->get_table(in->owner, "bench_tab", FALCO_ABI_ST_UINT64)) ||
        !(s->api_field = in->tables->fields_ext->get_table_field(s->api_table, "value", FALCO_ABI_ST_UINT64))) {
        snprintf(s->err, sizeof s->err, "table 'bench_tab': %s", in->get_owner_last_error(in->owner));
        return s;
    }
    *rc = FALCO_ABI_RC_SUCCESS;
    return s;
}

RAW_EXPORT void plugin_destroy(falco_abi_plugin_t *s) {
    free(s);
}
RAW_EXPORT const char *plugin_get_last_error(falco_abi_plugin_t *s) {
    return ((raw_state *)s)->err;
}
RAW_EXPORT const char *plugin_get_fields(void) {
    return "[{\"name\":\"tabraw.api\",\"type\":\"uint64\",\"desc\":\"value read through the table API\"},"
           "{\"name\":\"tabraw.own\",\"type\":\"uint64\",\"desc\":\"value read by the owner\"}]";
}
RAW_EXPORT const char *plugin_get_extract_event_sources(void) {
    return "[\"" TABLE_BENCH_SOURCE "\"]";
}
RAW_EXPORT uint16_t *plugin_get_extract_event_types(uint32_t *n, falco_abi_plugin_t *s) {
    (void)s;
    *n = 1;
    return event_types;
}

RAW_EXPORT falco_abi_rc plugin_extract_fields(falco_abi_plugin_t *ps, const falco_abi_event_input *evt,
                                              const falco_abi_field_extract_input *in) {
    raw_state *s = ps;
    const unsigned char *e = (const unsigned char *)evt->evt;
    uint32_t lens[2];
    uint64_t key;
    if (evt->evt->len != FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET + 8u)
        goto bad;
    memcpy(lens, e + HEADER_SIZE, sizeof lens);
    if (lens[1] != 8u)
        goto bad;
    memcpy(&key, e + FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET, sizeof key);
    for (uint32_t i = 0; i < in->num_fields; i++) {
        falco_abi_extract_field *f = &in->fields[i];
        if (f->field_id == 0) {
            const falco_abi_table_reader_vtable_ext *r = in->table_reader_ext;
            falco_abi_state_data k = {.u64 = key}, v;
            falco_abi_table_entry_t *te = r->get_table_entry(s->api_table, &k);
            if (!te) {
                f->res_len = 0;
                continue;
            }
            falco_abi_rc rc = r->read_entry_field(s->api_table, te, s->api_field, &v);
            r->release_table_entry(s->api_table, te);
            if (rc != FALCO_ABI_RC_SUCCESS) {
                snprintf(s->err, sizeof s->err, "field '%s': %s", f->field, in->get_owner_last_error(in->owner));
                return FALCO_ABI_RC_FAILURE;
            }
            s->result = v.u64;
        } else {
            const raw_entry *re = lookup(s, key);
            if (!re) {
                f->res_len = 0;
                continue;
            }
            s->result = re->value;
        }
        f->res.u64 = &s->result;
        f->res_len = 1;
    }
    return FALCO_ABI_RC_SUCCESS;
bad:
    snprintf(s->err, sizeof s->err, "event #%llu is not a table bench event", (unsigned long long)evt->evtnum);
    return FALCO_ABI_RC_FAILURE;
}
