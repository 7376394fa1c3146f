/*
 * table_mem.h - the in-memory table's ABI-level operations, for tables.c,
 * which checks phases and handles before calling them. Each writes its
 * reason into err (FALCO__HOST_ERRLEN bytes) when it fails.
 */
#ifndef FALCO_HOST_TABLE_MEM_H
#define FALCO_HOST_TABLE_MEM_H

#include "host_internal.h"

bool falco__host_state_type_valid(falco_abi_state_type t);

const falco__host_schema *falco__host_mem_schema(const falco__host_table *t);
/* The table's per-plugin reference list head, owned by tables.c. */
void **falco__host_mem_refs(falco__host_table *t);
/* Frees a reference list (tables.c); called when its table is freed. */
void falco__host_tref_free_all(void *refs);

const char *falco__host_mem_check_entry(const falco__host_table *t, const falco__host_entry *e);
const char *falco__host_mem_check_field(const falco__host_table *t, const falco__host_field *f);
const char *falco__host_field_name(const falco__host_field *f);

const falco_abi_table_fieldinfo *falco__host_mem_list_fields(falco__host_table *t, uint32_t *n, char *err);
falco__host_field *falco__host_mem_get_field(falco__host_table *t, const char *name, falco_abi_state_type type,
                                             char *err);
falco__host_field *falco__host_mem_add_field(falco__host_table *t, const char *name, falco_abi_state_type type,
                                             char *err);

/* Counted: every entry returned must be released (create's handle carries over to add). */
falco__host_entry *falco__host_mem_get(falco__host_table *t, const falco_abi_state_data *key, char *err);
void falco__host_mem_release(falco__host_table *t, falco__host_entry *e);
falco__host_entry *falco__host_mem_create(falco__host_table *t, char *err);
falco_abi_rc falco__host_mem_destroy(falco__host_table *t, falco__host_entry *e, char *err);
falco__host_entry *falco__host_mem_add(falco__host_table *t, const falco_abi_state_data *key, falco__host_entry *e,
                                       char *err);

/* *sub receives the nested table of a TABLE field (out is then zero). */
falco_abi_rc falco__host_mem_read(falco__host_table *t, falco__host_entry *e, const falco__host_field *f,
                                  falco_abi_state_data *out, falco__host_table **sub, char *err);
falco_abi_rc falco__host_mem_write(falco__host_table *t, falco__host_entry *e, const falco__host_field *f,
                                   const falco_abi_state_data *in, char *err);
/* Entries passed to fn are borrowed for the call (not counted). Returns
 * false when fn stopped the iteration. */
bool falco__host_mem_iterate(falco__host_table *t, falco_abi_table_iterator_func_t fn,
                             falco_abi_table_iterator_state_t *st);
falco_abi_rc falco__host_mem_clear(falco__host_table *t, char *err);
falco_abi_rc falco__host_mem_erase(falco__host_table *t, const falco_abi_state_data *key, char *err);

#endif /* FALCO_HOST_TABLE_MEM_H */
