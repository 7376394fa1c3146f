/*
 * bench_stats.h - the statistics of falcoplug bench's samples and the
 * "pair" line of a paired comparison, shared by `falcoplug bench --pair`
 * (cmd_bench.c) and the table benchmark driver (bench/table_bench.c), so
 * that both print what bench/run and the tests parse in one format.
 */
#ifndef FALCOPLUG_BENCH_STATS_H
#define FALCOPLUG_BENCH_STATS_H

#include <stdio.h>
#include <stdlib.h>

/* qsort comparison of doubles, ascending. */
static inline int bench_cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile pct of n sorted values (n > 0). */
static inline double bench_percentile(const double *sorted, size_t n, unsigned pct) {
    size_t rank = ((size_t)pct * n + 99) / 100;
    return sorted[rank ? rank - 1 : 0];
}

/* Prints, for path and unit, each side's p50 and the median and quartiles
 * of the n per-pair ratios B/A (sorted here, in place; n > 0):
 *   pair PATH UNIT a_p50=.. b_p50=.. ratio=.. p25=.. p75=.. pairs=N */
static inline void bench_pair_line(const char *path, const char *unit, double a_p50, double b_p50, double *ratios,
                                   size_t n) {
    qsort(ratios, n, sizeof *ratios, bench_cmp_double);
    printf("pair %s %s a_p50=%.2f b_p50=%.2f ratio=%.4f p25=%.4f p75=%.4f pairs=%zu\n", path, unit, a_p50, b_p50,
           bench_percentile(ratios, n, 50), bench_percentile(ratios, n, 25), bench_percentile(ratios, n, 75), n);
    fflush(stdout);
}

#endif
