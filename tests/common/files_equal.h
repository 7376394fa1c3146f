/*
 * files_equal.h - byte comparison of two files, for the tests that re-run a
 * generator and require its output to match the committed file.
 */
#ifndef FALCO_TESTS_FILES_EQUAL_H
#define FALCO_TESTS_FILES_EQUAL_H

#include <stdio.h>

/* 1 when both files open and hold the same bytes, else 0. */
static inline int files_equal(const char *a, const char *b) {
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    int same = fa && fb;
    while (same) {
        int ca = fgetc(fa), cb = fgetc(fb);
        if (ca != cb)
            same = 0;
        if (ca == EOF || cb == EOF)
            break;
    }
    if (fa)
        fclose(fa);
    if (fb)
        fclose(fb);
    return same;
}

#endif
