/*
 * run_tables.c - `falcoplug run --tables [--table-entries N] [--table NAME]`:
 * the session's state tables after the run, as libsinsp's table dumps show
 * them (plughost -T brief / -T list --max-entries N):
 *
 *   tables at end: <count>
 *   table <name> key=<key type> size=<size> fields=<count>
 *     field <name> <type>[ read-only]           in the table's own order
 *     entry {"<field>":<value>,...}             up to N, fields sorted by name
 *
 * An entry is one JSON object (nested tables as {"name","key_type","size",
 * "entries":[...]}), the shape of plughost's JSON, so the two compare.
 */
#include <string.h>

#include "falcoplug.h"
#include "run.h"

static void put_entry(void *userdata, const char *json, size_t len)
{
    (void)userdata;
    fputs("  entry ", stdout);
    fwrite(json, 1, len, stdout); /* JSON: escaped, one line */
    fputc('\n', stdout);
}

static bool wanted(const run_opts *o, const char *name)
{
    if (!o->nonly)
        return true;
    for (size_t i = 0; i < o->nonly; i++)
        if (strcmp(o->only_tables[i], name) == 0)
            return true;
    return false;
}

int run_print_tables(falco_host_session *s, const run_opts *o)
{
    int status = 0;
    size_t count = falco_host_session_table_count(s);
    printf("tables at end: %zu\n", count);
    for (size_t i = 0; i < count; i++) {
        falco_abi_state_type kt;
        const char *name = falco_host_session_table(s, i, &kt, NULL);
        if (!wanted(o, name))
            continue;
        uint32_t nf = 0;
        uint64_t size;
        const falco_abi_table_fieldinfo *fi = falco_host_session_table_fields(s, i, &nf);
        falco_rc rc = fi ? falco_host_session_table_entries(s, i, 0, &size, NULL, NULL) : FALCO_ERROR;
        fputs("table ", stdout);
        falcoplug_put_str(stdout, name);
        printf(" key=%s", falco_host_state_type_name(kt));
        if (rc != FALCO_OK) {
            fputs(" <error: ", stdout);
            falcoplug_put_str(stdout, falco_host_session_errmsg(s));
            fputs(">\n", stdout);
            status = 1;
            continue;
        }
        printf(" size=%llu fields=%u\n", (unsigned long long)size, (unsigned)nf);
        for (uint32_t k = 0; k < nf; k++) {
            fputs("  field ", stdout);
            falcoplug_put_str(stdout, fi[k].name);
            printf(" %s%s\n", falco_host_state_type_name(fi[k].field_type), fi[k].read_only ? " read-only" : "");
        }
        if (o->table_entries &&
            falco_host_session_table_entries(s, i, o->table_entries, NULL, put_entry, NULL) != FALCO_OK) {
            fputs("falcoplug run: --table-entries: ", stderr);
            falcoplug_put_str(stderr, falco_host_session_errmsg(s));
            fputc('\n', stderr);
            status = 1;
        }
    }
    for (size_t k = 0; k < o->nonly; k++) {
        bool found = false;
        for (size_t i = 0; i < count && !found; i++)
            found = strcmp(falco_host_session_table(s, i, NULL, NULL), o->only_tables[k]) == 0;
        if (!found) {
            fputs("falcoplug run: --table ", stderr);
            falcoplug_put_str(stderr, o->only_tables[k]);
            fputs(": no such table\n", stderr);
            status = 1;
        }
    }
    return status;
}
