/*
 * test_event_table.c - the compiled table: dimensions, a few known entries,
 * the schema version, and that the generator reproduces the committed files.
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

static void test_dimensions_and_version(void **state)
{
    (void)state;
    assert_int_equal(FALCO_EVT_COUNT, 454);
    assert_int_equal(falco_evt_table_count(), 454);
    assert_string_equal(FALCO_EVT_SCHEMA_VERSION, "4.5.1");
    assert_string_equal(falco_evt_schema_version(), "4.5.1");
    assert_int_equal(FALCO_EVT_SCHEMA_VERSION_MAJOR, 4);
    assert_null(falco_evt_table_get(454));
    assert_null(falco_evt_table_get(UINT16_MAX));
    unsigned maxp = 0;
    for (uint16_t c = 0; c < FALCO_EVT_COUNT; c++) {
        const falco_evt_info *e = falco_evt_table_get(c);
        assert_int_equal(e->code, c);
        if (e->nparams > maxp)
            maxp = e->nparams;
        for (uint32_t i = 0; i < e->nparams; i++) {
            const falco_evt_param_info *p = &e->params[i];
            assert_true(p->type > FALCO_PT_NONE && p->type < FALCO_PT_COUNT);
            assert_true((p->type == FALCO_PT_DYN) == (p->dyn_types != NULL));
            assert_true((p->type == FALCO_PT_FSRELPATH) == (p->dirfd_param >= 0));
        }
    }
    assert_int_equal(maxp, FALCO_EVT_MAX_PARAMS);
}

static void test_known_entries(void **state)
{
    (void)state;
    assert_int_equal(FALCO_PPME_SYSCALL_OPEN_E, 2);
    assert_int_equal(FALCO_PPME_PLUGINEVENT_E, 322);
    assert_int_equal(FALCO_PPME_ASYNCEVENT_E, 402);
    assert_int_equal(FALCO_PPME_SYSCALL_KEYCTL_X, 453);

    const falco_evt_info *open_x = falco_evt_table_get(FALCO_PPME_SYSCALL_OPEN_X);
    assert_string_equal(open_x->name, "open");
    assert_string_equal(open_x->enum_name, "PPME_SYSCALL_OPEN_X");
    assert_int_equal(open_x->nparams, 6);
    assert_int_equal(open_x->category, FALCO_EC_FILE | FALCO_EC_SYSCALL);
    assert_true(open_x->flags & FALCO_EF_CREATES_FD);
    assert_string_equal(open_x->params[2].name, "flags");
    assert_int_equal(open_x->params[2].type, FALCO_PT_FLAGS32);
    assert_int_equal(open_x->params[2].format, FALCO_PF_HEX);
    assert_int_equal(open_x->params[2].nflags, 19);
    assert_string_equal(open_x->params[2].flags[0].name, "O_LARGEFILE");
    assert_int_equal(open_x->params[2].flags[0].value, 0x800);
    assert_int_equal(open_x->params[3].format, FALCO_PF_OCT);
    assert_int_equal(falco_evt_info_param_index(open_x, "ino"), 5);
    assert_int_equal(falco_evt_info_param_index(open_x, "nope"), -1);

    const falco_evt_info *openat2 = falco_evt_table_get(FALCO_PPME_SYSCALL_OPENAT2_X);
    assert_int_equal(openat2->params[2].type, FALCO_PT_FSRELPATH);
    assert_int_equal(openat2->params[2].dirfd_param, 1);

    const falco_evt_info *setsockopt = falco_evt_table_get(FALCO_PPME_SOCKET_SETSOCKOPT_X);
    assert_int_equal(setsockopt->params[4].type, FALCO_PT_DYN);
    assert_int_equal(setsockopt->params[4].ndyn, 5);
    assert_int_equal(setsockopt->params[4].dyn_types[4], FALCO_PT_RELTIME);

    /* exactly 322, 324 and 402 carry u32 lengths */
    unsigned large = 0;
    for (uint16_t c = 0; c < FALCO_EVT_COUNT; c++)
        large += falco_evt_info_is_large(falco_evt_table_get(c)) != 0;
    assert_int_equal(large, 3);
    assert_true(falco_evt_info_is_large(falco_evt_table_get(324)));

    assert_string_equal(falco_evt_param_type_name(FALCO_PT_CHARBUF), "PT_CHARBUF");
    assert_string_equal(falco_evt_param_type_name((falco_evt_param_type)200), "PT_UNKNOWN");
    assert_int_equal(falco_evt_param_type_size(FALCO_PT_FD32), 4);
    assert_int_equal(falco_evt_param_type_size(FALCO_PT_SYSCALLID), 2);
    assert_int_equal(falco_evt_param_type_size(FALCO_PT_CHARBUF), 0);
    assert_string_equal(falco_evt_errno_name(-2), "ENOENT");
    assert_string_equal(falco_evt_errno_name(512), "ERESTARTSYS");
    assert_null(falco_evt_errno_name(41));
    assert_string_equal(falco_evt_signal_name(9), "SIGKILL");
    assert_null(falco_evt_signal_name(64));
}

static void test_generator_reproduces_committed_files(void **state)
{
    (void)state;
    if (!generator_python()) {
        skip(); /* no python3: the committed files stand as they are */
        return;
    }
    char tsv[2048];
    /* the repo's own copy of the table is the source of the generated files */
    snprintf(tsv, sizeof tsv, "%s/tools/event_table/event_table.tsv", getenv("FALCO_SOURCE_DIR"));
    if (access(tsv, R_OK) != 0)
        fail_msg("%s is missing: the generated event table files have no source", tsv);
    /* no --tsv: the generator's default must be that repo copy */
    static const char *const files[] = {"include/falco/event_codes.h", "src/events/event_table_data.c"};
    generator_check_committed("gen_event_table.py", "gen_event_table_check", files, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dimensions_and_version),
        cmocka_unit_test(test_known_entries),
        cmocka_unit_test(test_generator_reproduces_committed_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
