/* The procgroups example pair (examples/procgroups) through `falcoplug run
 * libprocgroups.so --capture ... --with libprocgroupfields.so` over
 * curl_google.scap: every pg.* value it prints, and the procgroups table it
 * dumps, are the ones this test computes itself from the capture (the
 * process list, then each event as libsinsp numbers it: threads made by
 * clone, exes changed by execve). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <falco/capture.h>
#include <falco/event.h>

#include "sdk_test.h"

#define MAX_THREADS 1024
#define MAX_GROUPS 256

typedef struct {
    uint64_t tid;
    char exe[256], comm[64], group[256];
} thread;
typedef struct {
    char exe[256], comm[64];
    uint64_t id, threads, opens, execs, first_ts;
} group;
typedef struct {
    thread threads[MAX_THREADS];
    size_t nthreads;
    group groups[MAX_GROUPS];
    size_t ngroups;
} model;


/* Copies src into dst (size bytes, cut and NUL-terminated). gcc -O3 warns that
 * snprintf's "%s" may overlap here (-Wrestrict), as both live in the model. */
static void copy_str(char *dst, size_t size, const char *src) {
    size_t n = strnlen(src, size - 1);
    memmove(dst, src, n);
    dst[n] = '\0';
}

static thread *find_thread(model *m, uint64_t tid, bool add) {
    for (size_t i = 0; i < m->nthreads; i++)
        if (m->threads[i].tid == tid)
            return &m->threads[i];
    if (!add)
        return NULL;
    assert_true(m->nthreads < MAX_THREADS);
    thread *t = &m->threads[m->nthreads++];
    memset(t, 0, sizeof *t);
    t->tid = tid;
    return t;
}

static group *find_group(model *m, const char *exe) {
    for (size_t i = 0; i < m->ngroups; i++)
        if (strcmp(m->groups[i].exe, exe) == 0)
            return &m->groups[i];
    return NULL;
}

static bool type_in(uint16_t t, const uint16_t *types, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (types[i] == t)
            return true;
    return false;
}

static const uint16_t opens[] = {FALCO_PPME_SYSCALL_OPEN_X, FALCO_PPME_SYSCALL_OPENAT_X, FALCO_PPME_SYSCALL_OPENAT_2_X,
                                 FALCO_PPME_SYSCALL_OPENAT2_X};
static const uint16_t execs[] = {FALCO_PPME_SYSCALL_EXECVE_19_X, FALCO_PPME_SYSCALL_EXECVEAT_X};
static const uint16_t clones[] = {FALCO_PPME_SYSCALL_CLONE_20_X, FALCO_PPME_SYSCALL_FORK_20_X,
                                  FALCO_PPME_SYSCALL_VFORK_20_X, FALCO_PPME_SYSCALL_CLONE3_X};
static const uint16_t connects[] = {FALCO_PPME_SOCKET_CONNECT_X, FALCO_PPME_PROCEXIT_1_E};

static void copy_param(falco_evt_view *v, const char *name, char *out, size_t n) {
    const char *s;
    size_t len;
    if (falco_evt_param_str_by_name(v, name, &s, &len) == FALCO_OK)
        snprintf(out, n, "%.*s", (int)strnlen(s, len), s);
}

/* libsinsp's state change for the event, before plugins parse it: a clone
 * makes the child (in the parent's and the child's exit), an execve
 * changes the exe and comm. */
static void apply_event(model *m, const falco_abi_event *ev, falco_evt_view *v) {
    int64_t res;
    if (falco_evt_param_i64(v, 0, &res) != FALCO_OK)
        return;
    if (type_in(ev->type, clones, 4) && res >= 0) {
        thread *t = find_thread(m, res == 0 ? ev->tid : (uint64_t)res, true);
        copy_param(v, "exe", t->exe, sizeof t->exe);
        copy_param(v, "comm", t->comm, sizeof t->comm);
    } else if (type_in(ev->type, execs, 2) && res == 0) {
        thread *t = find_thread(m, ev->tid, true);
        copy_param(v, "exe", t->exe, sizeof t->exe);
        copy_param(v, "comm", t->comm, sizeof t->comm);
    }
}

/* What libprocgroups does with the event (see procgroups.c's header). */
static void parse_event(model *m, const falco_abi_event *ev, falco_evt_view *v) {
    thread *t = find_thread(m, ev->tid, false);
    if (!t || !t->exe[0])
        return;
    group *g = find_group(m, t->exe);
    if (!g || strcmp(t->group, t->exe) != 0) {
        if (!g) {
            assert_true(m->ngroups < MAX_GROUPS);
            g = &m->groups[m->ngroups++];
            memset(g, 0, sizeof *g);
            copy_str(g->exe, sizeof g->exe, t->exe);
            g->id = m->ngroups;
            g->first_ts = ev->ts;
        }
        g->threads++;
        copy_str(t->group, sizeof t->group, t->exe);
    }
    int64_t res;
    if (falco_evt_param_i64(v, 0, &res) == FALCO_OK) {
        if (type_in(ev->type, opens, 4) && res >= 0)
            g->opens++;
        else if (type_in(ev->type, execs, 2) && res == 0)
            g->execs++;
    }
    copy_str(g->comm, sizeof g->comm, t->comm);
}

static void append(char **out, size_t *len, size_t *cap, const char *line) {
    size_t n = strlen(line);
    if (*len + n + 1 > *cap) {
        *cap = (*cap + n + 1) * 2;
        *out = realloc(*out, *cap);
        assert_non_null(*out);
    }
    memcpy(*out + *len, line, n + 1);
    *len += n;
}

#define FORMAT "%pg.id %pg.exe %pg.threads %pg.opens %pg.execs %pg.first_ts %pg.comm"

/* The lines falcoplug should print (one per event libsinsp shows), and the
 * model at the end. */
static char *expected_lines(const char *capture, model *m) {
    memset(m, 0, sizeof *m);
    falco_capture_error cerr;
    falco_capture_reader *r = falco_capture_open(capture, &cerr);
    assert_non_null(r);
    const falco_capture_metadata *md = falco_capture_get_metadata(r);
    for (size_t i = 0; i < md->process_count; i++) {
        thread *t = find_thread(m, md->processes[i].tid, true);
        copy_str(t->exe, sizeof t->exe, md->processes[i].exe);
        copy_str(t->comm, sizeof t->comm, md->processes[i].comm);
    }
    falco_capture_converter *c = falco_capture_converter_new(NULL);
    assert_non_null(c);
    char *out = NULL;
    size_t len = 0, cap = 0;
    const void *raw, *ev;
    size_t rawlen, evlen;
    falco_capture_block_info info;
    falco_capture_converted_info ci;
    while (falco_capture_next(r, &raw, &rawlen, &info) == FALCO_OK) {
        assert_int_equal(falco_capture_converter_feed(c, raw, rawlen, &info), FALCO_OK);
        while (falco_capture_converter_next(c, &ev, &evlen, &ci) == FALCO_OK) {
            falco_abi_event hdr;
            memcpy(&hdr, ev, sizeof hdr); /* unaligned in the converter */
            falco_evt_view v;
            assert_int_equal(falco_evt_view_init(&v, ev, evlen), FALCO_OK);
            apply_event(m, &hdr, &v);
            parse_event(m, &hdr, &v); /* plugins parse every numbered event */
            if (!ci.shown)
                continue;
            char line[1024];
            thread *t = find_thread(m, hdr.tid, false);
            group *g = t && t->exe[0] ? find_group(m, t->group) : NULL;
            bool extracts = type_in(hdr.type, opens, 4) || type_in(hdr.type, execs, 2) ||
                            type_in(hdr.type, clones, 4) || type_in(hdr.type, connects, 2);
            if (g && extracts)
                snprintf(line, sizeof line, "%llu %llu %s %llu %llu %llu %llu %s\n", (unsigned long long)ci.evtnum,
                         (unsigned long long)g->id, g->exe, (unsigned long long)g->threads,
                         (unsigned long long)g->opens, (unsigned long long)g->execs,
                         (unsigned long long)g->first_ts, g->comm);
            else
                snprintf(line, sizeof line, "%llu <NA> <NA> <NA> <NA> <NA> <NA> <NA>\n",
                         (unsigned long long)ci.evtnum);
            append(&out, &len, &cap, line);
        }
    }
    falco_capture_converter_free(c);
    falco_capture_close(r);
    return out;
}

static char *run_falcoplug(const char *capture, const char *extra, int *status) {
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "'%s' run '%s' --capture '%s' --with '%s' -o '%s' %s 2>&1", sdkt_env("FALCOPLUG"),
             sdkt_env("PROCGROUPS_PLUGIN"), capture, sdkt_env("PROCGROUPFIELDS_PLUGIN"), FORMAT, extra);
    return sdkt_run(cmd, status);
}

static const char *data_path(const char *name) {
    static char path[1024];
    snprintf(path, sizeof path, "%s/%s", sdkt_env("FALCO_TEST_DATA_DIR"), name);
    return path;
}

static const char *capture_path(void) {
    return data_path("curl_google.scap");
}

/* Every event's pg.* values, line by line with its evt.num. */
static void check_fields(const char *capture) {
    static model m;
    char *want = expected_lines(capture, &m);
    int status;
    char *out = run_falcoplug(capture, "", &status);
    assert_int_equal(status, 0);
    char *end = strstr(out, "EOF after ");
    assert_non_null(end);
    *end = '\0';
    assert_string_equal(out, want);
    /* the capture exercises what the pair is for: a group of several
     * threads, counted opens, an exec */
    bool several = false, opened = false, execd = false;
    for (size_t i = 0; i < m.ngroups; i++) {
        several |= m.groups[i].threads > 1 && m.groups[i].opens > 0;
        opened |= m.groups[i].opens > 10;
        execd |= m.groups[i].execs > 0;
    }
    assert_true(several && opened && execd);
    assert_true(m.ngroups > 5);
    free(want);
    free(out);
}

static void test_fields(void **state) {
    (void)state;
    check_fields(capture_path());
}

/* Another recording of curl, with pcapng block comments. */
static void test_fields_comments(void **state) {
    (void)state;
    check_fields(data_path("curl_google_comments.scap"));
}

/* The exported table at the end: one entry per group, with its counters. */
static void test_table(void **state) {
    (void)state;
    static model m;
    free(expected_lines(capture_path(), &m));
    int status;
    char *out = run_falcoplug(capture_path(), "--table procgroups --table-entries 1000", &status);
    assert_int_equal(status, 0);
    char head[128];
    snprintf(head, sizeof head, "table procgroups key=string size=%zu fields=7\n", m.ngroups);
    assert_non_null(strstr(out, head));
    size_t entries = 0;
    for (char *l = strstr(out, "  entry "); l; l = strstr(l + 1, "  entry "))
        entries++;
    assert_int_equal(entries, m.ngroups);
    for (size_t i = 0; i < m.ngroups; i++) {
        group *g = &m.groups[i];
        char entry[1024];
        snprintf(entry, sizeof entry,
                 "  entry {\"comm\":\"%s\",\"exe\":\"%s\",\"execs\":%llu,\"first_ts\":%llu,\"id\":%llu,\"opens\":%llu,"
                 "\"threads\":%llu}\n",
                 g->comm, g->exe, (unsigned long long)g->execs, (unsigned long long)g->first_ts,
                 (unsigned long long)g->id, (unsigned long long)g->opens, (unsigned long long)g->threads);
        if (!strstr(out, entry))
            fail_msg("no line %s in:\n%s", entry, out);
    }
    free(out);
}

/* The fields plugin alone: init fails naming the table it needs. */
static void test_needs_procgroups(void **state) {
    (void)state;
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "'%s' run '%s' --capture '%s' -o '%%pg.id' 2>&1", sdkt_env("FALCOPLUG"),
             sdkt_env("PROCGROUPFIELDS_PLUGIN"), capture_path());
    int status;
    char *out = sdkt_run(cmd, &status);
    assert_int_not_equal(status, 0);
    if (!strstr(out, "table 'procgroups': the host has no such table"))
        fail_msg("unexpected output: %s", out);
    free(out);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_fields_comments),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_needs_procgroups),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
