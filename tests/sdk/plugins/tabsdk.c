/* tabsdk: an SDK plugin importing the host's `threads` table (see
 * tests/sdk/test_table_threads.c): while parsing it reads comm and pid of
 * each event's thread, bumps a dynamic field it adds, reads the nested
 * file_descriptors table; ti.comm reads the table while extracting, ti.bump
 * tries a write there (refused), ti.summary reports what parsing saw. */
#include <stdio.h>
#include <string.h>

#include <falco/plugin.h>

#define META(n) .name = n, .version = "1.0.0", .contact = "t@example.com", .description = "table import test"
#define CHECK_EQ(a, b) do { if ((a) != (b)) return falco_error(p, FALCO_ERROR, "check failed: %s", #a); } while (0)


/* ---- the importer ---- */
typedef struct {
    falco_table *threads;
    falco_table_field *comm, *pid, *fds, *fdname, *seen, *nope;
    int64_t tids[64];
    char comms[64][32];
    int64_t pids[64];
    int ntids;
    char fd5[128], fd7[128];
    uint64_t events, size;
    int iter_visits;
    bool iter_complete;
    char errors[1024];
} ti_state;

static const falco_table_field_import ti_fd_fields[] = {
    FALCO_TABLE_FIELD(ti_state, fdname, "name", FALCO_TABLE_STRING),
};
static const falco_table_field_import ti_thread_fields[] = {
    FALCO_TABLE_FIELD(ti_state, comm, "comm", FALCO_TABLE_STRING),
    FALCO_TABLE_FIELD(ti_state, pid, "pid", FALCO_TABLE_I64),
    FALCO_TABLE_NESTED(ti_state, fds, "file_descriptors", FALCO_TABLE_I64, ti_fd_fields),
    FALCO_TABLE_FIELD(ti_state, seen, "ti.seen", FALCO_TABLE_U64, .add = true),
    FALCO_TABLE_FIELD(ti_state, nope, "no_such_field", FALCO_TABLE_U64, .optional = true),
};
static const falco_table_import ti_imports[] = {
    FALCO_TABLE_IMPORT(ti_state, threads, "threads", FALCO_TABLE_I64, ti_thread_fields),
};

static bool count_two(falco_table_entry *e, void *userdata) {
    (void)e;
    int *n = userdata;
    return ++*n < 2;
}

static void note(ti_state *st, falco_plugin *p) {
    size_t len = strlen(st->errors);
    snprintf(st->errors + len, sizeof st->errors - len, "%s|", falco_plugin_last_error(p));
}

static void read_fd(falco_plugin *p, ti_state *st, falco_table *fds, int64_t fd, char *out, size_t n) {
    falco_table_entry *fe;
    if (falco_table_get_entry(p, fds, FALCO_TABLE_KEY_I64(fd), &fe) != FALCO_OK)
        return;
    const char *name;
    if (falco_table_read_str(p, fds, fe, st->fdname, &name) == FALCO_OK)
        snprintf(out, n, "%s", name);
    falco_table_release(p, fds, fe);
}

static falco_rc ti_parse(falco_parse *ps, void *state, const falco_event *ev) {
    ti_state *st = state;
    falco_plugin *p = falco_parse_plugin(ps);
    st->events++;
    if (st->events == 1) {
        CHECK_EQ(falco_table_size(p, st->threads, &st->size), FALCO_OK);
        CHECK_EQ(falco_table_iterate(p, st->threads, count_two, &st->iter_visits, &st->iter_complete),
                         FALCO_OK);
        /* a key of the wrong type, a field of another table: refused */
        falco_table_entry *bad;
        CHECK_EQ(falco_table_get_entry(p, st->threads, FALCO_TABLE_KEY_U64(1), &bad), FALCO_ETYPE);
        note(st, p);
    }
    int64_t tid = (int64_t)ev->evt->tid;
    falco_table_entry *e;
    falco_rc rc = falco_table_get_entry(p, st->threads, FALCO_TABLE_KEY_I64(tid), &e);
    if (rc == FALCO_ENOTFOUND)
        return FALCO_OK;
    FALCO_TRY(rc);
    const char *comm = NULL;
    int64_t pid = 0;
    uint64_t seen = 0;
    if ((rc = falco_table_read_str(p, st->threads, e, st->comm, &comm)) == FALCO_OK &&
        (rc = falco_table_read_i64(p, st->threads, e, st->pid, &pid)) == FALCO_OK &&
        (rc = falco_table_read_u64(p, st->threads, e, st->seen, &seen)) == FALCO_OK)
        rc = falco_table_write_u64(p, st->threads, e, st->seen, seen + 1);
    if (rc == FALCO_OK) {
        int i = 0;
        while (i < st->ntids && st->tids[i] != tid)
            i++;
        if (i == st->ntids && i < 64) {
            st->tids[i] = tid;
            st->ntids++;
        }
        if (i < 64) {
            snprintf(st->comms[i], sizeof st->comms[i], "%s", comm);
            st->pids[i] = pid;
        }
        if (tid == 17496) {
            falco_table *fds;
            if ((rc = falco_table_read_table(p, st->threads, e, st->fds, &fds)) == FALCO_OK) {
                read_fd(p, st, fds, 5, st->fd5, sizeof st->fd5);
                read_fd(p, st, fds, 7, st->fd7, sizeof st->fd7);
                /* the nested table's field on the parent table: refused */
                const char *x;
                if (st->events < 1000 && falco_table_read_str(p, st->threads, e, st->fdname, &x) == FALCO_EMISUSE &&
                    !strstr(st->errors, "belongs"))
                    note(st, p);
            }
        }
    }
    falco_table_release(p, st->threads, e);
    return rc;
}

/* ti.comm: the event thread's comm, read while extracting; ti.bump tries a
 * write there (refused). */
static falco_rc ti_comm(falco_extract *x, const falco_event *ev) {
    ti_state *st = falco_extract_state(x);
    falco_plugin *p = falco_extract_plugin(x);
    falco_table_entry *e;
    if (falco_table_get_entry(p, st->threads, FALCO_TABLE_KEY_I64((int64_t)ev->evt->tid), &e) != FALCO_OK)
        return FALCO_OK; /* no value */
    const char *comm;
    falco_rc rc = falco_table_read_str(p, st->threads, e, st->comm, &comm);
    if (rc == FALCO_OK)
        rc = falco_extract_str(x, comm);
    falco_table_release(p, st->threads, e);
    return rc;
}
static falco_rc ti_bump(falco_extract *x, const falco_event *ev) {
    ti_state *st = falco_extract_state(x);
    falco_plugin *p = falco_extract_plugin(x);
    if (!falco_extract_table_reader(x))
        return falco_error(p, FALCO_ERROR, "no reader while extracting");
    falco_table_entry *e;
    FALCO_TRY(falco_table_get_entry(p, st->threads, FALCO_TABLE_KEY_I64((int64_t)ev->evt->tid), &e));
    falco_rc rc = falco_table_write_u64(p, st->threads, e, st->seen, 0);
    falco_table_release(p, st->threads, e);
    return rc;
}

static falco_rc ti_summary(falco_extract *x, const falco_event *ev) {
    (void)ev;
    ti_state *st = falco_extract_state(x);
    char buf[4096];
    int n = snprintf(buf, sizeof buf, "events=%llu size=%llu visits=%d complete=%d fd5=%s fd7=%s tids=",
                     (unsigned long long)st->events, (unsigned long long)st->size, st->iter_visits,
                     (int)st->iter_complete, st->fd5, st->fd7);
    for (int i = 0; i < st->ntids && n < (int)sizeof buf; i++)
        n += snprintf(buf + n, sizeof buf - (size_t)n, "%lld:%s:%lld,", (long long)st->tids[i], st->comms[i],
                      (long long)st->pids[i]);
    if (n < (int)sizeof buf)
        snprintf(buf + n, sizeof buf - (size_t)n, " errors=%s held=%llu", st->errors,
                 (unsigned long long)falco_table_entries_held(falco_extract_plugin(x)));
    return falco_extract_str(x, buf);
}
static const falco_field ti_fields2[] = {
    {.name = "ti.comm", .type = FALCO_FIELD_STRING, .desc = "thread comm", .extract = ti_comm},
    {.name = "ti.bump", .type = FALCO_FIELD_U64, .desc = "tries a write", .extract = ti_bump},
    {.name = "ti.summary", .type = FALCO_FIELD_STRING, .desc = "what parsing saw", .extract = ti_summary},
};

FALCO_PLUGIN(ti, META("ti"), .state_size = sizeof(ti_state), .tables_import = FALCO_TABLE_IMPORTS(ti_imports));
FALCO_PARSE(ti, .parse = ti_parse, .all_event_types = true, .sources = FALCO_SOURCES("syscall"));
FALCO_EXTRACT(ti, .fields = FALCO_LIST(ti_fields2), .sources = FALCO_SOURCES("syscall"),
              .event_types = FALCO_EVENT_TYPES(FALCO_PPME_SYSCALL_CLOSE_X, FALCO_PPME_SYSCALL_READ_X,
                                               FALCO_PPME_SYSCALL_WRITE_X, FALCO_PPME_SYSCALL_OPENAT_2_X,
                                               FALCO_PPME_SYSCALL_MMAP_X));

