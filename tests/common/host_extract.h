/* One field's value as text, extracted through libfalcohost: what the
 * tables tests compare with the values libsinsp prints. For tests linked
 * with falco::host. */
#ifndef FALCO_TEST_HOST_EXTRACT_H
#define FALCO_TEST_HOST_EXTRACT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include <falco/host.h>

/* expr (a field with its argument) of p on the event in, formatted into buf
 * (size bytes); "<NA>" when it has no value, as libsinsp prints it. Fails
 * the test, with p's message, when the field is refused or the extraction
 * fails. Returns buf. */
static inline const char *extract(falco_host_plugin *p, const falco_abi_event_input *in, const char *expr, char *buf,
                                  size_t size)
{
    falco_host_extractor *x;
    falco_host_values v;
    if (falco_host_extractor_new(p, expr, &x) != FALCO_OK)
        fail_msg("%s: %s", expr, falco_host_errmsg(p));
    if (falco_host_extract(x, in, false, &v) != FALCO_OK)
        fail_msg("%s: %s", expr, falco_host_errmsg(p));
    if (v.count == 0)
        snprintf(buf, size, "<NA>");
    else
        assert_int_equal(falco_host_value_format(&v, 0, buf, size), FALCO_OK);
    falco_host_extractor_free(x);
    return buf;
}

#endif
