/* procgroupfields: the pg.* fields, read from the tables of procgroups.c.
 *
 * For the event's thread: its group (the `procgroup` field procgroups adds
 * to libsinsp's `threads`), then that group's entry in the `procgroups`
 * table. Extraction has read-only access to tables, which is all this
 * plugin needs; it keeps no state of its own. Load it after libprocgroups:
 * both tables must exist when it initializes (init fails naming the missing
 * one otherwise). */
#include <falco/event.h>
#include <falco/plugin.h>

typedef struct {
    falco_table *threads, *groups;
    falco_table_field *group; /* threads' procgroup */
    falco_table_field *id, *nthreads, *opens, *execs, *first_ts, *comm; /* procgroups' columns */
} pgf_state;

static const falco_table_field_import thread_fields[] = {
    FALCO_TABLE_FIELD(pgf_state, group, "procgroup", FALCO_TABLE_STRING),
};
static const falco_table_field_import group_fields[] = {
    FALCO_TABLE_FIELD(pgf_state, id, "id", FALCO_TABLE_U64),
    FALCO_TABLE_FIELD(pgf_state, nthreads, "threads", FALCO_TABLE_U64),
    FALCO_TABLE_FIELD(pgf_state, opens, "opens", FALCO_TABLE_U64),
    FALCO_TABLE_FIELD(pgf_state, execs, "execs", FALCO_TABLE_U64),
    FALCO_TABLE_FIELD(pgf_state, first_ts, "first_ts", FALCO_TABLE_U64),
    FALCO_TABLE_FIELD(pgf_state, comm, "comm", FALCO_TABLE_STRING),
};
static const falco_table_import imports[] = {
    /* procgroups first, so a missing procgroups plugin is what init names */
    FALCO_TABLE_IMPORT(pgf_state, groups, "procgroups", FALCO_TABLE_STRING, group_fields),
    FALCO_TABLE_IMPORT(pgf_state, threads, "threads", FALCO_TABLE_I64, thread_fields),
};

/* The group of the event's thread: a group entry and its key, both valid
 * until put_group. False (nothing to release) when the thread is unknown or
 * in no group (a kernel thread): the field has no value. */
typedef struct {
    falco_table_entry *thread, *group;
    const char *key;
} group_ref;

static bool get_group(falco_extract *x, const falco_event *ev, group_ref *g) {
    pgf_state *st = falco_extract_state(x);
    falco_plugin *p = falco_extract_plugin(x);
    if (falco_table_get_entry(p, st->threads, FALCO_TABLE_KEY_I64((int64_t)ev->evt->tid), &g->thread) != FALCO_OK)
        return false;
    if (falco_table_read_str(p, st->threads, g->thread, st->group, &g->key) == FALCO_OK && *g->key &&
        falco_table_get_entry(p, st->groups, FALCO_TABLE_KEY_STR(g->key), &g->group) == FALCO_OK)
        return true;
    falco_table_release(p, st->threads, g->thread);
    return false;
}

static void put_group(falco_extract *x, group_ref *g) {
    pgf_state *st = falco_extract_state(x);
    falco_plugin *p = falco_extract_plugin(x);
    falco_table_release(p, st->groups, g->group);
    falco_table_release(p, st->threads, g->thread);
}

/* A u64 column of the group. */
static falco_rc group_u64(falco_extract *x, const falco_event *ev, const falco_table_field *column) {
    group_ref g;
    if (!get_group(x, ev, &g))
        return FALCO_OK;
    uint64_t v;
    falco_rc rc = falco_table_read_u64(falco_extract_plugin(x), ((pgf_state *)falco_extract_state(x))->groups,
                                       g.group, column, &v);
    if (rc == FALCO_OK)
        rc = falco_extract_u64(x, v);
    put_group(x, &g);
    return rc;
}

#define STATE(x) ((pgf_state *)falco_extract_state(x))
static falco_rc pg_id(falco_extract *x, const falco_event *ev) { return group_u64(x, ev, STATE(x)->id); }
static falco_rc pg_threads(falco_extract *x, const falco_event *ev) { return group_u64(x, ev, STATE(x)->nthreads); }
static falco_rc pg_opens(falco_extract *x, const falco_event *ev) { return group_u64(x, ev, STATE(x)->opens); }
static falco_rc pg_execs(falco_extract *x, const falco_event *ev) { return group_u64(x, ev, STATE(x)->execs); }
static falco_rc pg_first_ts(falco_extract *x, const falco_event *ev) { return group_u64(x, ev, STATE(x)->first_ts); }

static falco_rc pg_exe(falco_extract *x, const falco_event *ev) {
    group_ref g;
    if (!get_group(x, ev, &g))
        return FALCO_OK;
    falco_rc rc = falco_extract_str(x, g.key); /* copied: the key lives with the entry */
    put_group(x, &g);
    return rc;
}

static falco_rc pg_comm(falco_extract *x, const falco_event *ev) {
    group_ref g;
    if (!get_group(x, ev, &g))
        return FALCO_OK;
    const char *comm;
    falco_rc rc = falco_table_read_str(falco_extract_plugin(x), STATE(x)->groups, g.group, STATE(x)->comm, &comm);
    if (rc == FALCO_OK)
        rc = falco_extract_str(x, comm);
    put_group(x, &g);
    return rc;
}

static const falco_field pg_fields[] = {
    {.name = "pg.id", .type = FALCO_FIELD_U64, .desc = "id of the thread's group (1, 2, ... in order of appearance)",
     .extract = pg_id},
    {.name = "pg.exe", .type = FALCO_FIELD_STRING, .desc = "the program (exe) of the thread's group",
     .extract = pg_exe},
    {.name = "pg.threads", .type = FALCO_FIELD_U64, .desc = "threads that joined the group so far",
     .extract = pg_threads},
    {.name = "pg.opens", .type = FALCO_FIELD_U64, .desc = "successful opens by the group's threads so far",
     .extract = pg_opens},
    {.name = "pg.execs", .type = FALCO_FIELD_U64, .desc = "successful execs that started the group's program so far",
     .extract = pg_execs},
    {.name = "pg.first_ts", .type = FALCO_FIELD_ABSTIME, .desc = "time of the group's first event",
     .extract = pg_first_ts},
    {.name = "pg.comm", .type = FALCO_FIELD_STRING, .desc = "comm of the thread of the group's latest event",
     .extract = pg_comm},
};

/* The events rules about programs look at: opens, execs, new threads and
 * processes, connects, exits. */
static const uint16_t pg_event_types[] = {
    FALCO_PPME_SYSCALL_OPEN_X,      FALCO_PPME_SYSCALL_OPENAT_X,  FALCO_PPME_SYSCALL_OPENAT_2_X,
    FALCO_PPME_SYSCALL_OPENAT2_X,   FALCO_PPME_SYSCALL_EXECVE_19_X, FALCO_PPME_SYSCALL_EXECVEAT_X,
    FALCO_PPME_SYSCALL_CLONE_20_X,  FALCO_PPME_SYSCALL_FORK_20_X, FALCO_PPME_SYSCALL_VFORK_20_X,
    FALCO_PPME_SYSCALL_CLONE3_X,    FALCO_PPME_SOCKET_CONNECT_X,  FALCO_PPME_PROCEXIT_1_E,
};

FALCO_PLUGIN(procgroupfields, .name = "procgroupfields", .version = "0.1.0", .contact = "you@example.com",
             .description = "pg.* fields: the program group of the event's thread (needs procgroups)",
             .state_size = sizeof(pgf_state), .tables_import = FALCO_TABLE_IMPORTS(imports));
FALCO_EXTRACT(procgroupfields, .fields = FALCO_LIST(pg_fields), .event_types = FALCO_LIST(pg_event_types),
              .sources = FALCO_SOURCES("syscall"));
