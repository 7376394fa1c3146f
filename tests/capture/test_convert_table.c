/*
 * The converter's rule table: the committed capture/convert_rules.c is what
 * tools/gen_conversions.py makes of tools/event_table/conversions.tsv (byte for
 * byte), the generator refuses rules that do not fit the event table, and the
 * compiled rules are sorted and in range.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include <cmocka.h>

#include <falco/event.h>

#include "convert_internal.h"
#include "generator_test.h"

static void test_generator_reproduces_committed_file(void **state)
{
    (void)state;
    /* no --tsv/--events: the defaults must be the repo's tools/event_table/ copies */
    static const char *const files[] = {"capture/convert_rules.c"};
    generator_check_committed("gen_conversions.py", "gen_conversions_check", files, 1);
}

/* Runs the generator on one rule line; returns its exit status and leaves its
 * stderr in err. */
static int generate(const char *rule, char *err, size_t errlen)
{
    char table[4096];
    snprintf(table, sizeof table, "# one rule\n%s\n", rule);
    return generator_run_on("gen_conversions.py", "gen_conversions_bad", table, err, errlen);
}

static void test_generator_rejects_rules_that_do_not_fit(void **state)
{
    (void)state;
    if (!generator_python()) {
        skip();
        return;
    }
    static const struct {
        const char *rule, *msg;
    } bad[] = {
        {"PPME_NO_SUCH_E\t0\tstore\t-", "unknown event PPME_NO_SUCH_E"},
        {"PPME_SYSCALL_READ_X\t2\tadd\t-\tenter:7\tenter:1", "enter:7 but PPME_SYSCALL_READ_E has 2 params"},
        {"PPME_SYSCALL_READ_X\t2\tadd\t-\told:2\tempty", "old:2 but the event has 2 params"},
        {"PPME_SYSCALL_READ_X\t2\tadd\t-\tempty\tempty\tempty", "5 params but PPME_SYSCALL_READ_X has 4"},
        {"PPME_SYSCALL_READ_X\t2\tadd\t-\tempty", "becomes PPME_SYSCALL_READ_X with 3 params"},
        {"PPME_SYSCALL_READ_X\t4\tadd\t-", "the rule never applies"},
        {"PPME_SYSCALL_READ_E\t2\tstore\t-\tempty", "store takes no instructions"},
        {"PPME_SYSCALL_OPEN_E\t0\tadd\t-\tenter:0\tempty\tempty", "enter:N on an enter event"},
        {"PPME_SYSCALL_READ_X\t2\tfrob\t-", "unknown action 'frob'"},
        {"PPME_PROCINFO_E\t2\tpass\t-", "is not EF_CONVERTER_MANAGED"},
    };
    char err[4096];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (generate(bad[i].rule, err, sizeof err) == 0)
            fail_msg("generator accepted '%s'", bad[i].rule);
        if (!strstr(err, bad[i].msg))
            fail_msg("rule '%s': expected '%s' in: %s", bad[i].rule, bad[i].msg, err);
    }
    assert_int_equal(generate("PPME_SYSCALL_READ_X\t2\tadd\t-\tenter:0\tenter:1", err, sizeof err), 0);
}

static void test_compiled_rules_in_range(void **state)
{
    (void)state;
    assert_true(falco__conv_rule_count > 200);
    for (size_t i = 0; i < falco__conv_rule_count; i++) {
        const falco__conv_rule *r = &falco__conv_rules[i];
        if (i > 0) {
            const falco__conv_rule *p = &falco__conv_rules[i - 1];
            assert_true(p->code < r->code || (p->code == r->code && p->nparams < r->nparams));
        }
        const falco_evt_info *in = falco_evt_table_get(r->code), *out = falco_evt_table_get(r->target);
        assert_non_null(in);
        assert_non_null(out);
        assert_true(in->flags & FALCO_EF_CONVERTER_MANAGED);
        assert_true(r->nparams <= in->nparams);
        uint32_t n = (r->action == FALCO__CONV_ADD ? r->nparams : 0) + r->ninstr;
        if (r->action == FALCO__CONV_ADD || r->action == FALCO__CONV_CHANGE)
            assert_true(n <= out->nparams);
        else
            assert_int_equal(r->ninstr, 0);
        for (uint32_t k = 0; k < r->ninstr; k++) {
            const falco__conv_instr *ins = &falco__conv_instrs[r->first + k];
            if (ins->from == FALCO__CONV_FROM_OLD)
                assert_true(ins->param < r->nparams);
            if (ins->from == FALCO__CONV_FROM_ENTER) {
                assert_true(r->code & 1u);
                assert_true(ins->param < falco_evt_table_get((uint16_t)(r->code - 1))->nparams);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generator_reproduces_committed_file),
        cmocka_unit_test(test_generator_rejects_rules_that_do_not_fit),
        cmocka_unit_test(test_compiled_rules_in_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
