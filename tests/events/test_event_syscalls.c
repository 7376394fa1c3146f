/*
 * test_event_syscalls.c - syscall names of generic syscall events: the code
 * and x86_64 lookups (known and unknown numbers), the type name libsinsp
 * shows for an event, the ID param's rendering, and that tools/gen_syscalls.py
 * reproduces the committed table and refuses tables that do not fit.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <falco/event.h>
#include "generator_test.h"

static void test_code_names(void **state)
{
    (void)state;
    assert_int_equal(falco_evt_syscall_count(), 454); /* PPM_SC_MAX of libs 48dfd53 */
    assert_string_equal(falco_evt_syscall_name(0), "unknown");
    assert_string_equal(falco_evt_syscall_name(1), "restart_syscall");
    assert_string_equal(falco_evt_syscall_name(75), "mprotect");
    assert_string_equal(falco_evt_syscall_name(176), "clock_gettime");
    assert_string_equal(falco_evt_syscall_name(283), "_newselect");
    assert_string_equal(falco_evt_syscall_name(296), "arch_prctl");
    assert_string_equal(falco_evt_syscall_name(453), "rseq_slice_yield");
    assert_string_equal(falco_evt_syscall_name(382), ""); /* a code libs leaves unnamed */
    assert_null(falco_evt_syscall_name(454));
    assert_null(falco_evt_syscall_name(65535));
    assert_null(falco_evt_syscall_name(UINT64_MAX));
    /* one code per name */
    for (size_t a = 0; a < falco_evt_syscall_count(); a++)
        for (size_t b = a + 1; *falco_evt_syscall_name(a) && b < falco_evt_syscall_count(); b++)
            if (strcmp(falco_evt_syscall_name(a), falco_evt_syscall_name(b)) == 0)
                fail_msg("codes %zu and %zu are both %s", a, b, falco_evt_syscall_name(a));
}

static void test_x86_64_numbers(void **state)
{
    (void)state;
    static const struct {
        uint64_t native;
        const char *name;
    } known[] = {
        {0, "read"}, {10, "mprotect"}, {13, "rt_sigaction"}, {59, "execve"}, {60, "exit"},
        {158, "arch_prctl"}, {219, "restart_syscall"}, {228, "clock_gettime"}, {231, "exit_group"},
        {273, "set_robust_list"}, {435, "clone3"}, {462, "mseal"}, {471, "rseq_slice_yield"},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        uint16_t sc = falco_evt_syscall_from_x86_64(known[i].native);
        if (strcmp(falco_evt_syscall_name(sc), known[i].name) != 0)
            fail_msg("x86_64 %lu: code %u (%s), expected %s", (unsigned long)known[i].native, sc,
                     falco_evt_syscall_name(sc), known[i].name);
    }
    /* natives libscap maps to no code, and numbers past the table */
    assert_int_equal(falco_evt_syscall_from_x86_64(134), 0); /* uselib */
    assert_int_equal(falco_evt_syscall_from_x86_64(156), 0); /* _sysctl */
    assert_int_equal(falco_evt_syscall_from_x86_64(236), 0); /* vserver */
    assert_int_equal(falco_evt_syscall_from_x86_64(400), 0);
    assert_int_equal(falco_evt_syscall_from_x86_64(472), 0);
    assert_int_equal(falco_evt_syscall_from_x86_64(65535), 0);
    assert_int_equal(falco_evt_syscall_from_x86_64(UINT64_MAX), 0);
}

/* A generic event of type with the given params (nparams 1 or 2; id_len or
 * native_len 0 for an empty param). */
static size_t generic(uint8_t *buf, size_t cap, uint16_t type, uint32_t nparams, uint64_t id, int id_len,
                      uint64_t native, int native_len)
{
    falco_evt_value v[2];
    memset(v, 0, sizeof v);
    v[0].type = id_len ? FALCO_PT_SYSCALLID : FALCO_PT_NONE;
    v[0].v.u64 = id;
    v[1].type = native_len ? FALCO_PT_UINT16 : FALCO_PT_NONE;
    v[1].v.u64 = native;
    size_t len = 0;
    char err[256];
    if (falco_evt_encode(buf, cap, &len, type, 1, 2, v, nparams, err, sizeof err) != FALCO_OK)
        fail_msg("encode: %s", err);
    return len;
}

static const char *type_name_of(uint16_t type, uint32_t nparams, uint64_t id, int id_len, uint64_t native,
                                int native_len)
{
    static uint8_t buf[256];
    static falco_evt_view v;
    size_t len = generic(buf, sizeof buf, type, nparams, id, id_len, native, native_len);
    assert_int_equal(falco_evt_view_init(&v, buf, len), FALCO_OK);
    return falco_evt_type_name(&v);
}

static void test_type_name(void **state)
{
    (void)state;
    /* the ID's code, on exits and enters alike */
    assert_string_equal(type_name_of(FALCO_PPME_GENERIC_X, 2, 75, 2, 10, 2), "mprotect");
    assert_string_equal(type_name_of(FALCO_PPME_GENERIC_E, 2, 75, 2, 10, 2), "mprotect");
    assert_string_equal(type_name_of(FALCO_PPME_GENERIC_X, 2, 75, 2, 59, 2), "mprotect"); /* ID wins */
    /* ID 0: the nativeID's, when there is one */
    assert_string_equal(type_name_of(FALCO_PPME_GENERIC_X, 2, 0, 2, 10, 2), "mprotect");
    assert_string_equal(type_name_of(FALCO_PPME_GENERIC_X, 2, 0, 2, 0, 2), "read");
    assert_string_equal(type_name_of(FALCO_PPME_GENERIC_X, 2, 0, 2, 65535, 2), "unknown");
    assert_string_equal(type_name_of(FALCO_PPME_GENERIC_X, 2, 0, 2, 0, 0), "unknown"); /* empty nativeID */
    assert_string_equal(type_name_of(FALCO_PPME_GENERIC_X, 1, 0, 2, 0, 0), "unknown"); /* old 1-param exit */
    assert_string_equal(type_name_of(FALCO_PPME_GENERIC_X, 1, 296, 2, 0, 0), "arch_prctl");
    /* where libs has no name: the table's */
    assert_string_equal(type_name_of(FALCO_PPME_GENERIC_X, 2, 382, 2, 0, 2), "syscall");
    assert_string_equal(type_name_of(FALCO_PPME_GENERIC_X, 2, 454, 2, 0, 2), "syscall");
    assert_string_equal(type_name_of(FALCO_PPME_GENERIC_X, 2, 65535, 2, 10, 2), "syscall");
    assert_string_equal(type_name_of(FALCO_PPME_GENERIC_X, 2, 0, 0, 10, 2), "syscall"); /* empty ID */
    /* every other event: its table name */
    uint8_t buf[256];
    falco_evt_value fd = {.type = FALCO_PT_FD, .v.i64 = 3};
    size_t len = 0;
    assert_int_equal(falco_evt_encode(buf, sizeof buf, &len, FALCO_PPME_SYSCALL_CLOSE_E, 1, 2, &fd, 1, NULL, 0),
                     FALCO_OK);
    falco_evt_view v;
    assert_int_equal(falco_evt_view_init(&v, buf, len), FALCO_OK);
    assert_string_equal(falco_evt_type_name(&v), "close");
    assert_null(falco_evt_type_name(NULL));
}

static const char *format(uint16_t type, uint32_t nparams, uint64_t id, uint64_t native)
{
    static uint8_t buf[256];
    static char line[512];
    size_t len = generic(buf, sizeof buf, type, nparams, id, 2, native, 2);
    falco_evt_view v;
    assert_int_equal(falco_evt_view_init(&v, buf, len), FALCO_OK);
    assert_int_equal(falco_evt_format(&v, 0, line, sizeof line, NULL), FALCO_OK);
    return line;
}

static void test_format(void **state)
{
    (void)state;
    assert_string_equal(format(FALCO_PPME_GENERIC_X, 2, 75, 10), "< mprotect ID=75(mprotect) nativeID=10");
    assert_string_equal(format(FALCO_PPME_GENERIC_E, 2, 176, 228),
                        "> clock_gettime ID=176(clock_gettime) nativeID=228");
    assert_string_equal(format(FALCO_PPME_GENERIC_X, 1, 296, 0), "< arch_prctl ID=296(arch_prctl)");
    assert_string_equal(format(FALCO_PPME_GENERIC_X, 2, 0, 59), "< execve ID=0(unknown) nativeID=59");
    /* unnamed or unknown codes: the number alone */
    assert_string_equal(format(FALCO_PPME_GENERIC_X, 2, 382, 0), "< syscall ID=382 nativeID=0");
    assert_string_equal(format(FALCO_PPME_GENERIC_X, 2, 60000, 0), "< syscall ID=60000 nativeID=0");
    char one[64];
    uint8_t buf[256];
    size_t len = generic(buf, sizeof buf, FALCO_PPME_GENERIC_X, 2, 1, 2, 0, 2);
    falco_evt_view v;
    assert_int_equal(falco_evt_view_init(&v, buf, len), FALCO_OK);
    assert_int_equal(falco_evt_format_param(&v, 0, one, sizeof one, NULL), FALCO_OK);
    assert_string_equal(one, "1(restart_syscall)");
}

/* ---- the generator ---- */

static void test_generator_reproduces_committed_file(void **state)
{
    (void)state;
    /* no --tsv: the default must be the repo's tools/event_table/syscalls.tsv */
    static const char *const files[] = {"src/events/syscall_table_data.c"};
    generator_check_committed("gen_syscalls.py", "gen_syscalls_check", files, 1);
}

/* Runs the generator on a table of the given rows; returns its exit status
 * and leaves its stderr in err. */
static int generate(const char *rows, char *err, size_t errlen)
{
    char table[4096];
    snprintf(table, sizeof table, "# code\tname\tx86_64\n%s", rows);
    return generator_run_on("gen_syscalls.py", "gen_syscalls_bad", table, err, errlen);
}

static void test_generator_rejects_bad_tables(void **state)
{
    (void)state;
    if (!generator_python()) {
        skip();
        return;
    }
    static const struct {
        const char *rows, *msg;
    } bad[] = {
        {"0\tunknown\t-\n2\tread\t0\n", "code 2 out of order: expected 1"},
        {"0\tunknown\t-\n1\tread\t0\n1\twrite\t1\n", "code 1 out of order: expected 2"},
        {"0\tunknown\t-\n1\tread\t0\n2\tread\t1\n", "name read already has code 1"},
        {"0\tunknown\t-\n1\tread\t0\n2\twrite\t0\n", "x86_64 number 0 already maps to code 1"},
        {"0\tunknown\t-\n1\tRead\t0\n", "name 'Read' is not a lower-case identifier"},
        {"0\tunknown\t-\n1\t-\t7\n", "code 1 has no name but an x86_64 number"},
        {"0\tunknown\t-\n1\tread\t70000\n", "x86_64 number '70000' is not a number in 0..65535"},
        {"0\tunknown\n", "expected 3 tab-separated columns"},
        {"0\tread\t0\n", "code 0 must be 'unknown'"},
    };
    char err[4096];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (generate(bad[i].rows, err, sizeof err) == 0)
            fail_msg("generator accepted '%s'", bad[i].rows);
        if (!strstr(err, bad[i].msg))
            fail_msg("table '%s': expected '%s' in: %s", bad[i].rows, bad[i].msg, err);
        if (!strstr(err, "gen_syscalls_bad.tsv:"))
            fail_msg("table '%s': the message does not name the file: %s", bad[i].rows, err);
    }
    assert_int_equal(generate("0\tunknown\t-\n1\tread\t0\n2\t-\t-\n", err, sizeof err), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_code_names),
        cmocka_unit_test(test_x86_64_numbers),
        cmocka_unit_test(test_type_name),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_generator_reproduces_committed_file),
        cmocka_unit_test(test_generator_rejects_bad_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
