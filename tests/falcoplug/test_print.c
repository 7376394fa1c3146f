/* falcoplug's escaper (tools/falcoplug/print.c) byte by byte: what reaches
 * the terminal of the plugin strings falcoplug prints. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "falcoplug.h"

/* falcoplug_put_text's output for len bytes of in, and the in-place form on
 * a copy; both must be want. */
static void check(const char *in, size_t len, const char *want)
{
    char out[256] = {0};
    FILE *f = fmemopen(out, sizeof out - 1, "w");
    assert_non_null(f);
    falcoplug_put_text(f, in, len);
    assert_int_equal(fclose(f), 0);
    assert_string_equal(out, want);
    char copy[256];
    memcpy(copy, in, len);
    copy[len] = '\0';
    if (strlen(copy) == len) /* the in-place form stops at a NUL */
        assert_string_equal(falcoplug_clean_text(copy), want);
}

#define CHECK(in, want) check(in, sizeof in - 1, want)

static void test_ascii(void **state)
{
    (void)state;
    CHECK("plain text ~!", "plain text ~!");
    CHECK("a\nb\rc\td\x1b[31me\x7f" "f\x01", "a.b.c.d.[31me.f.");
    check("nul\0here", 8, "nul.here");
    CHECK("", "");
}

static void test_utf8_kept(void **state)
{
    (void)state;
    CHECK("\xc3\xa9t\xc3\xa9", "\xc3\xa9t\xc3\xa9");             /* é */
    CHECK("\xc2\xa0nbsp", "\xc2\xa0nbsp");                       /* U+00A0, first after C1 */
    CHECK("\xe2\x82\xac", "\xe2\x82\xac");                       /* € */
    CHECK("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80");               /* U+1F600 */
    CHECK("\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf");               /* U+10FFFF */
}

static void test_utf8_refused(void **state)
{
    (void)state;
    CHECK("\xc2\x85\xc2\x9b", "....");         /* C1 controls NEL and CSI */
    CHECK("\x9b[2J", ".[2J");                   /* a raw 8-bit CSI */
    CHECK("\xc0\xaf\xc1\xbf", "....");         /* overlong 2-byte forms */
    CHECK("\xe0\x80\xaf", "...");              /* overlong 3-byte form */
    CHECK("\xed\xa0\x80", "...");              /* a surrogate */
    CHECK("\xf4\x90\x80\x80", "....");         /* above U+10FFFF */
    CHECK("\xf5\x80\x80\x80", "....");
    CHECK("\xe2\x82", "..");                   /* truncated at the end */
    CHECK("\xe2\x82x", "..x");                 /* cut by an ASCII byte */
    CHECK("\xe2x\x82\xac", ".x..");
    CHECK("\xff\xfe", "..");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ascii),
        cmocka_unit_test(test_utf8_kept),
        cmocka_unit_test(test_utf8_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
