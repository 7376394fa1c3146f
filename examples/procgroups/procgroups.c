/* procgroups: state shared through tables, in the spirit of Falco's
 * container plugin (a parser that owns a table of containers and tags each
 * thread with its container id, read by others).
 *
 * Threads are grouped by the program they run (the `exe` of libsinsp's
 * `threads` table). While parsing every syscall event this plugin
 *   - tags the event's thread with its group: a string field `procgroup`
 *     it adds to `threads` (the key of the group), rewritten when the thread
 *     execs another program;
 *   - keeps one entry per group in the table it exports, `procgroups`
 *     (key: the exe): an id in order of appearance, the threads that joined,
 *     the successful opens and execs of its threads, the time of its first
 *     event and the comm of its latest one.
 * It declares no field: libprocgroupfields.so imports both tables and
 * exposes them as pg.* fields. Load this plugin first: a plugin's tables
 * exist for the plugins initialized after it.
 *
 * Threads without an exe (kernel threads) join no group. libsinsp has
 * already applied an event to `threads` when plugins parse it, so an execve
 * exit shows the new exe here. */
#include <string.h>

#include <falco/event.h>
#include <falco/plugin.h>

/* One group: an entry of the exported table, owned by the SDK. */
typedef struct {
    uint64_t id;       /* 1, 2, ... in the order the groups appear */
    uint64_t threads;  /* threads that joined (a thread rejoins after an exec) */
    uint64_t opens;    /* successful open/openat/openat2 of its threads */
    uint64_t execs;    /* successful execve/execveat that started this exe */
    uint64_t first_ts; /* timestamp of the group's first event */
    char *exe;         /* the key again: hosts list entries by their fields only */
    char *comm;        /* comm of the thread of the group's latest event */
} procgroup;

typedef struct {
    falco_table *threads;                    /* libsinsp's */
    falco_table_field *exe, *comm, *group;   /* threads' exe, comm, and our procgroup */
    falco_table *groups;                     /* ours */
    uint64_t next_id;
} pg_state;

static const falco_table_field_import thread_fields[] = {
    FALCO_TABLE_FIELD(pg_state, exe, "exe", FALCO_TABLE_STRING),
    FALCO_TABLE_FIELD(pg_state, comm, "comm", FALCO_TABLE_STRING),
    FALCO_TABLE_FIELD(pg_state, group, "procgroup", FALCO_TABLE_STRING, .add = true),
};
static const falco_table_import imports[] = {
    FALCO_TABLE_IMPORT(pg_state, threads, "threads", FALCO_TABLE_I64, thread_fields),
};

/* Read-only for other plugins: only the owner counts. */
static const falco_table_column group_columns[] = {
    FALCO_TABLE_COLUMN(procgroup, id, "id", FALCO_TABLE_U64, .access = FALCO_TABLE_READONLY),
    FALCO_TABLE_COLUMN(procgroup, threads, "threads", FALCO_TABLE_U64, .access = FALCO_TABLE_READONLY),
    FALCO_TABLE_COLUMN(procgroup, opens, "opens", FALCO_TABLE_U64, .access = FALCO_TABLE_READONLY),
    FALCO_TABLE_COLUMN(procgroup, execs, "execs", FALCO_TABLE_U64, .access = FALCO_TABLE_READONLY),
    FALCO_TABLE_COLUMN(procgroup, first_ts, "first_ts", FALCO_TABLE_U64, .access = FALCO_TABLE_READONLY),
    FALCO_TABLE_COLUMN(procgroup, exe, "exe", FALCO_TABLE_STRING, .access = FALCO_TABLE_READONLY),
    FALCO_TABLE_COLUMN(procgroup, comm, "comm", FALCO_TABLE_STRING, .access = FALCO_TABLE_READONLY),
};
static const falco_table_export exports[] = {
    FALCO_TABLE_EXPORT(pg_state, groups, "procgroups", FALCO_TABLE_STRING, procgroup, group_columns),
};

/* A successful open (fd >= 0) or exec (res == 0): what the counters count. */
static bool is_open(uint16_t type) {
    return type == FALCO_PPME_SYSCALL_OPEN_X || type == FALCO_PPME_SYSCALL_OPENAT_X ||
           type == FALCO_PPME_SYSCALL_OPENAT_2_X || type == FALCO_PPME_SYSCALL_OPENAT2_X;
}
static bool is_exec(uint16_t type) {
    return type == FALCO_PPME_SYSCALL_EXECVE_19_X || type == FALCO_PPME_SYSCALL_EXECVEAT_X;
}

/* The event's first parameter (fd or res), or -1 when it has none. */
static int64_t result_of(const falco_event *ev) {
    falco_evt_view v;
    int64_t res;
    if (falco_evt_view_init(&v, ev->evt, falco_event_len(ev)) != FALCO_OK ||
        falco_evt_param_i64(&v, 0, &res) != FALCO_OK)
        return -1;
    return res;
}

/* Puts the thread into the group of exe, made when new, in *out. */
static falco_rc join(falco_parse *ps, pg_state *st, falco_table_entry *thread, const char *exe, uint64_t ts,
                     procgroup **out) {
    procgroup *g = falco_table_emplace(st->groups, FALCO_TABLE_KEY_STR(exe));
    if (!g)
        return falco_parse_error(ps, FALCO_ENOMEM, "out of memory adding group '%s'", exe);
    if (!g->id) { /* emplace made it, zeroed */
        if (falco_table_set_str(&g->exe, exe) != FALCO_OK) {
            falco_table_remove(st->groups, FALCO_TABLE_KEY_STR(exe));
            return falco_parse_error(ps, FALCO_ENOMEM, "out of memory adding group '%s'", exe);
        }
        g->id = ++st->next_id;
        g->first_ts = ts;
    }
    g->threads++;
    *out = g;
    /* the host copies the string */
    return falco_table_write_str(falco_parse_plugin(ps), st->threads, thread, st->group, exe);
}

static falco_rc pg_parse(falco_parse *ps, void *state, const falco_event *ev) {
    pg_state *st = state;
    falco_plugin *p = falco_parse_plugin(ps);
    falco_table_entry *thread;
    falco_rc rc = falco_table_get_entry(p, st->threads, FALCO_TABLE_KEY_I64((int64_t)ev->evt->tid), &thread);
    if (rc == FALCO_ENOTFOUND)
        return FALCO_OK; /* a thread libsinsp does not know */
    FALCO_TRY(rc);

    const char *exe, *group, *comm;
    procgroup *g = NULL;
    if ((rc = falco_table_read_str(p, st->threads, thread, st->exe, &exe)) != FALCO_OK ||
        (rc = falco_table_read_str(p, st->threads, thread, st->group, &group)) != FALCO_OK)
        goto out;
    if (!*exe)
        goto out; /* a kernel thread */
    if (strcmp(group, exe) == 0)
        g = falco_table_lookup(st->groups, FALCO_TABLE_KEY_STR(exe));
    /* a new thread, or one that exec'd another program */
    if (!g && (rc = join(ps, st, thread, exe, ev->evt->ts, &g)) != FALCO_OK)
        goto out;
    uint16_t type = ev->evt->type;
    if (is_open(type) && result_of(ev) >= 0)
        g->opens++;
    else if (is_exec(type) && result_of(ev) == 0)
        g->execs++;
    if ((rc = falco_table_read_str(p, st->threads, thread, st->comm, &comm)) == FALCO_OK &&
        (!g->comm || strcmp(g->comm, comm) != 0) && falco_table_set_str(&g->comm, comm) != FALCO_OK)
        rc = falco_parse_error(ps, FALCO_ENOMEM, "out of memory copying comm '%s'", comm);
out:
    falco_table_release(p, st->threads, thread); /* every entry got is released */
    return rc;
}

FALCO_PLUGIN(procgroups, .name = "procgroups", .version = "0.1.0", .contact = "you@example.com",
             .description = "groups threads by program, shared as the procgroups table and a threads field",
             .state_size = sizeof(pg_state), .tables_import = FALCO_TABLE_IMPORTS(imports),
             .tables_export = FALCO_TABLE_EXPORTS(exports));
FALCO_PARSE(procgroups, .parse = pg_parse, .all_event_types = true, .sources = FALCO_SOURCES("syscall"));
