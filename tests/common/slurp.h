/*
 * slurp.h - all of a stream in memory, for tests that read a command's
 * output (popen) or a file whole. cmocka asserts: include after <cmocka.h>.
 */
#ifndef FALCO_TESTS_SLURP_H
#define FALCO_TESTS_SLURP_H

#include <stdio.h>
#include <stdlib.h>

/* All of f, NUL-terminated; *len its size when len is not NULL. The caller
 * frees. */
static inline char *slurp(FILE *f, size_t *len)
{
    size_t cap = 1 << 16, n = 0, got;
    char *buf = malloc(cap);
    assert_non_null(buf);
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            buf = realloc(buf, cap *= 2);
            assert_non_null(buf);
        }
    }
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

#endif
