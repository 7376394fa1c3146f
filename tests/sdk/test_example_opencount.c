/* The opencount example through `falcoplug run --capture` over the real
 * captures: the counts its fields print are the ones this test computes
 * itself, event by event, from the same capture file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <falco/capture.h>
#include <falco/event.h>

#include "sdk_test.h"

#define MAX_FILES 512

/* Expected field values per open exit event, in file order. */
typedef struct {
    char names[MAX_FILES][256];
    uint64_t counts[MAX_FILES];
    size_t nfiles;
    uint64_t tids[MAX_FILES], tid_counts[MAX_FILES];
    size_t ntids;
    uint64_t total, failed;
} expect;

static uint64_t bump(expect *e, const char *name) {
    for (size_t i = 0; i < e->nfiles; i++)
        if (strcmp(e->names[i], name) == 0)
            return ++e->counts[i];
    assert_true(e->nfiles < MAX_FILES);
    snprintf(e->names[e->nfiles], sizeof e->names[0], "%s", name);
    e->counts[e->nfiles] = 1;
    return e->counts[e->nfiles++];
}

static uint64_t bump_tid(expect *e, uint64_t tid, bool add) {
    for (size_t i = 0; i < e->ntids; i++)
        if (e->tids[i] == tid)
            return add ? ++e->tid_counts[i] : e->tid_counts[i];
    if (!add)
        return 0;
    assert_true(e->ntids < MAX_FILES);
    e->tids[e->ntids] = tid;
    e->tid_counts[e->ntids] = 1;
    return e->tid_counts[e->ntids++];
}

/* The lines falcoplug should print for open exits, one per event. */
static char *expected_lines(const char *capture, uint64_t *total) {
    static expect e;
    memset(&e, 0, sizeof e);
    falco_capture_error cerr;
    falco_capture_reader *r = falco_capture_open(capture, &cerr);
    assert_non_null(r);
    size_t cap = 1 << 16, len = 0;
    char *out = calloc(1, cap);
    const void *ev;
    size_t evlen;
    while (falco_capture_next(r, &ev, &evlen, NULL) == FALCO_OK) {
        falco_evt_view v;
        assert_int_equal(falco_evt_view_init(&v, ev, evlen), FALCO_OK);
        uint16_t type = ((const falco_abi_event *)ev)->type;
        if (type != FALCO_PPME_SYSCALL_OPEN_X && type != FALCO_PPME_SYSCALL_OPENAT_X &&
            type != FALCO_PPME_SYSCALL_OPENAT_2_X && type != FALCO_PPME_SYSCALL_OPENAT2_X)
            continue;
        int64_t fd;
        const char *name;
        size_t nlen;
        assert_int_equal(falco_evt_param_i64_by_name(&v, "fd", &fd), FALCO_OK);
        assert_int_equal(falco_evt_param_str_by_name(&v, "name", &name, &nlen), FALCO_OK);
        uint64_t tid = ((const falco_abi_event *)ev)->tid;
        char line[512];
        if (fd < 0) {
            e.failed++;
            snprintf(line, sizeof line, "total=%llu failed=%llu file=<NA> thread=%llu\n",
                     (unsigned long long)e.total, (unsigned long long)e.failed,
                     (unsigned long long)bump_tid(&e, tid, false));
        } else {
            e.total++;
            uint64_t f = bump(&e, name);
            snprintf(line, sizeof line, "total=%llu failed=%llu file=%llu thread=%llu\n", (unsigned long long)e.total,
                     (unsigned long long)e.failed, (unsigned long long)f, (unsigned long long)bump_tid(&e, tid, true));
        }
        assert_true(len + strlen(line) < cap);
        memcpy(out + len, line, strlen(line) + 1);
        len += strlen(line);
    }
    falco_capture_close(r);
    *total = e.total;
    return out;
}

/* falcoplug's lines for events with values, without the event number. */
static char *falcoplug_lines(const char *capture) {
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "'%s' run '%s' --capture '%s' -o 'total=%%opencount.total failed=%%opencount.failed "
             "file=%%opencount.file thread=%%opencount.thread' 2>&1",
             sdkt_env("FALCOPLUG"), sdkt_env("OPENCOUNT_PLUGIN"), capture);
    int status;
    char *out = sdkt_run(cmd, &status);
    assert_int_equal(status, 0);
    char *kept = calloc(1, strlen(out) + 1);
    size_t k = 0;
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
        char *t = strstr(line, "total=");
        if (!t || strncmp(t, "total=<NA>", 10) == 0)
            continue;
        k += (size_t)sprintf(kept + k, "%s\n", t);
    }
    free(out);
    return kept;
}

static void check_capture(const char *file, uint64_t min_total) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", sdkt_env("FALCO_TEST_DATA_DIR"), file);
    uint64_t total;
    char *want = expected_lines(path, &total);
    char *got = falcoplug_lines(path);
    assert_true(total >= min_total); /* the capture has opens to count */
    assert_true(strlen(got) > 100);
    assert_string_equal(got, want);
    free(want);
    free(got);
}

static void test_curl_google(void **state) {
    (void)state;
    check_capture("curl_google.scap", 10);
}

static void test_curl_google_comments(void **state) {
    (void)state;
    check_capture("curl_google_comments.scap", 10);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_curl_google),
        cmocka_unit_test(test_curl_google_comments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
