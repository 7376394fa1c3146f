/*
 * src/table_internal.h - state tables, shared by table_import.c and
 * table_export.c. Not installed.
 */
#ifndef FALCO_SRC_TABLE_INTERNAL_H
#define FALCO_SRC_TABLE_INTERNAL_H

#include <pthread.h>

#include "internal.h"

enum { FALCO__TK_IMPORT = 1, FALCO__TK_NESTED, FALCO__TK_EXPORT };

/* struct falco_table and struct falco_table_field: include/falco/table.h
 * (the inline reads look at them). */

typedef struct falco__xtable falco__xtable;

/* Per plugin state. */
typedef struct falco__tables {
    falco__table_call call; /* first: set inline by the capability entry points */
    falco_table *imports;
    size_t nimports;
    falco_table_field *fields;
    size_t nfields;
    falco__xtable **exports;
    size_t nexports;
    struct falco__tstr *strs; /* names of nested tables, freed at destroy */
} falco__tables;

typedef struct falco__tstr {
    struct falco__tstr *next;
    char s[];
} falco__tstr;

/* table_export.c */
falco_rc falco__tables_export_validate(const falco_plugin_decl *d, char *err, size_t errlen);
bool falco__tables_export_nested(const falco_plugin_decl *d); /* a layout has nested tables */
falco_rc falco__tables_export_attach(falco_plugin *p, const falco_abi_init_tables_input *in);
void falco__tables_export_detach(falco_plugin *p);

/* A state type's name ("int64"...). */
const char *falco__table_type_name(int t);
bool falco__table_type_valid(int t, bool key);

#endif /* FALCO_SRC_TABLE_INTERNAL_H */
