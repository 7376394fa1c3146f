/*
 * bench/table_bench.h - what the table benchmark's plugins (table_raw.c,
 * table_sdk.c) and driver (table_bench.c) share. Plain C: table_raw.c
 * includes it without the SDK.
 */
#ifndef FALCO_TABLE_BENCH_H
#define FALCO_TABLE_BENCH_H

/* Event source of the benchmark's plugin events (payload: one uint64 key). */
#define TABLE_BENCH_SOURCE "tabbench"
/* Entries of each table: keys 0 .. TABLE_BENCH_ENTRIES-1 (a power of two). */
#define TABLE_BENCH_ENTRIES 1024u
/* The value stored under key k. */
#define TABLE_BENCH_VALUE(k) ((k) * 3u + 1u)

#endif /* FALCO_TABLE_BENCH_H */
