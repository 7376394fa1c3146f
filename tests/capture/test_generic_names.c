/*
 * Generic syscall events named as libsinsp names them, over every syscall
 * code and every x86_64 native number: the test writes a capture of generic
 * events (generic_names.scap in the build tree) and checks, event by event,
 * what the SDK makes of its converted events against what libsinsp printed
 * for the same file (tests/data/golden/generic_names.evt_type.txt, recorded
 * with plughost, see the README there): the event's type name, the ID as
 * %evt.arg.ID shows it (the syscall's name, or the number where libs names
 * none) and the nativeID.
 *
 * The capture, on one thread per part:
 * 1. an exit per syscall code, 0 .. falco_evt_syscall_count() - 1, with
 *    nativeID 65535 (which names nothing: code 0 stays "unknown");
 * 2. an exit per x86_64 native number 0 .. 519 with ID 0 (libsinsp then
 *    names the event after the native number);
 * 3. old 1-param exits: after an enter with a nativeID (the converter adds
 *    it), and with no enter at all; an exit whose ID and nativeID disagree.
 * IDs beyond libs' table are left out: libsinsp reads past its table for them
 * (unit-tested in tests/events/test_event_syscalls.c instead).
 *
 * One deliberate difference: for a code libs leaves unnamed (382) libsinsp
 * prints an empty evt.type, the SDK the table's name "syscall" (a line must
 * keep its type word); the golden side's "" is accepted for exactly those.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <falco/capture.h>
#include <falco/event.h>

#include "capture_io_test.h"

#define NATIVE_SPAN 520u

static uint64_t ts = 1534527348514000000ull;

static void emit(falco_capture_writer *w, uint16_t type, uint64_t tid, uint32_t nparams, uint64_t id, uint64_t native)
{
    falco_evt_value v[2];
    memset(v, 0, sizeof v);
    v[0].type = FALCO_PT_SYSCALLID;
    v[0].v.u64 = id;
    v[1].type = FALCO_PT_UINT16;
    v[1].v.u64 = native;
    capture_test_write(w, type, ts++, tid, v, nparams, "generic event");
}

static void make_capture(const char *path)
{
    falco_capture_writer *w = capture_test_writer_open(path);
    for (uint64_t sc = 0; sc < falco_evt_syscall_count(); sc++)
        emit(w, FALCO_PPME_GENERIC_X, 100, 2, sc, 65535);
    for (uint64_t n = 0; n < NATIVE_SPAN; n++)
        emit(w, FALCO_PPME_GENERIC_X, 101, 2, 0, n);
    emit(w, FALCO_PPME_GENERIC_E, 102, 2, 75, 10); /* stored: its nativeID joins the exit */
    emit(w, FALCO_PPME_GENERIC_X, 102, 1, 0, 0);
    emit(w, FALCO_PPME_GENERIC_E, 102, 2, 0, 59);
    emit(w, FALCO_PPME_GENERIC_X, 102, 1, 0, 0);
    emit(w, FALCO_PPME_GENERIC_X, 103, 1, 0, 0);   /* no enter: an empty nativeID */
    emit(w, FALCO_PPME_GENERIC_X, 103, 1, 296, 0); /* no enter, the ID names it */
    emit(w, FALCO_PPME_GENERIC_X, 104, 2, 75, 59); /* the ID wins */
    capture_test_writer_close(w);
}

/* The golden file's lines: "<evt.num> <evt.type> <evt.arg.ID> <evt.arg.nativeID>". */
static char **load_golden(const char *path, size_t *count)
{
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("cannot open %s", path);
    size_t n = 0, cap = 1024;
    char **lines = malloc(cap * sizeof *lines);
    char buf[512];
    while (lines && fgets(buf, sizeof buf, f)) {
        buf[strcspn(buf, "\n")] = '\0';
        if (n == cap && !(lines = realloc(lines, (cap *= 2) * sizeof *lines)))
            break;
        lines[n++] = strdup(buf);
    }
    fclose(f);
    assert_non_null(lines);
    *count = n;
    return lines;
}

/* What %evt.arg.X prints: the resolved name when there is one, the value
 * otherwise ("75(mprotect)" -> "mprotect", "382" -> "382"). */
static void arg_text(falco_evt_view *v, uint32_t idx, char *out, size_t outlen)
{
    char full[128];
    assert_int_equal(falco_evt_format_param(v, idx, full, sizeof full, NULL), FALCO_OK);
    const char *open = strchr(full, '(');
    size_t len = strlen(full);
    if (open && len > 0 && full[len - 1] == ')')
        snprintf(out, outlen, "%.*s", (int)(len - 2 - (size_t)(open - full)), open + 1);
    else
        snprintf(out, outlen, "%s", full);
}

static void test_against_libsinsp(void **state)
{
    (void)state;
    const char *bin = getenv("FALCO_BUILD_DIR"), *data = getenv("FALCO_TEST_DATA_DIR");
    assert_non_null(data);
    char path[4096], gpath[4096];
    snprintf(path, sizeof path, "%s/tests/capture/generic_names.scap", bin ? bin : ".");
    snprintf(gpath, sizeof gpath, "%s/golden/generic_names.evt_type.txt", data);
    make_capture(path);
    size_t gcount;
    char **golden = load_golden(gpath, &gcount);
    assert_int_equal(gcount, falco_evt_syscall_count() + NATIVE_SPAN + 5);

    falco_capture_converter *c;
    falco_capture_reader *r = capture_test_open_converted(path, &c);
    const void *ev, *out;
    size_t len, olen, k = 0, unnamed = 0;
    falco_capture_block_info bi;
    falco_capture_converted_info ci;
    falco_rc rc;
    while ((rc = falco_capture_next(r, &ev, &len, &bi)) == FALCO_OK) {
        if (falco_capture_converter_feed(c, ev, len, &bi) != FALCO_OK)
            fail_msg("%s", falco_capture_converter_errmsg(c));
        while (falco_capture_converter_next(c, &out, &olen, &ci) == FALCO_OK) {
            if (!ci.shown)
                continue;
            if (k >= gcount)
                fail_msg("more events than libsinsp's %zu (evt.num %" PRIu64 ")", gcount, ci.evtnum);
            falco_evt_view v;
            assert_int_equal(falco_evt_view_init(&v, out, olen), FALCO_OK);
            assert_int_equal(v.type, FALCO_PPME_GENERIC_X);
            assert_int_equal(v.nparams, 2);
            char id[128], native[128], ours[512];
            arg_text(&v, 0, id, sizeof id);
            arg_text(&v, 1, native, sizeof native);
            const char *type = falco_evt_type_name(&v);
            snprintf(ours, sizeof ours, "%" PRIu64 " %s %s %s", ci.evtnum, type, id, native);
            const char *want = golden[k];
            char alt[512];
            uint64_t sc;
            assert_int_equal(falco_evt_param_u64(&v, 0, &sc), FALCO_OK);
            if (strcmp(ours, want) != 0 && falco_evt_syscall_name(sc) && !*falco_evt_syscall_name(sc)) {
                /* libsinsp's empty evt.type for an unnamed code, "syscall" here */
                snprintf(alt, sizeof alt, "%" PRIu64 "  %s %s", ci.evtnum, id, native);
                if (strcmp(alt, want) == 0 && strcmp(type, "syscall") == 0) {
                    unnamed++;
                    k++;
                    continue;
                }
            }
            if (strcmp(ours, want) != 0)
                fail_msg("event %zu: libsinsp '%s', ours '%s'", k + 1, want, ours);
            /* falcoplug's line (falco_evt_format) leads with the same name */
            char line[512], lead[256];
            assert_int_equal(falco_evt_format(&v, 0, line, sizeof line, NULL), FALCO_OK);
            snprintf(lead, sizeof lead, "< %s ID=", type);
            if (strncmp(line, lead, strlen(lead)) != 0)
                fail_msg("event %zu: falco_evt_format gives '%s', expected it to start '%s'", k + 1, line, lead);
            k++;
        }
    }
    assert_int_equal(rc, FALCO_EOF);
    assert_int_equal(k, gcount);
    assert_int_equal(unnamed, 1); /* code 382 */
    for (size_t i = 0; i < gcount; i++)
        free(golden[i]);
    free(golden);
    falco_capture_converter_free(c);
    falco_capture_close(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_libsinsp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
