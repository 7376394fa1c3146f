/*
 * falco/common.h - small building blocks shared by the SDK headers.
 *
 * Since: 0.1.0
 */
#ifndef FALCO_COMMON_H
#define FALCO_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <falco/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Initializer for a counted-array member from a real array (not a pointer):
 *   .fields = FALCO_LIST(my_fields)
 * expands to { my_fields, number of elements }. gcc and clang warn
 * (-Wsizeof-pointer-div) when a pointer is passed by mistake. */
#define FALCO_LIST(array) { (array), sizeof(array) / sizeof((array)[0]) }

/* Number of elements of a real array. */
#define FALCO_COUNT(array) (sizeof(array) / sizeof((array)[0]))

#if defined(__GNUC__) || defined(__clang__)
#define FALCO_PRINTF(fmt_idx, args_idx) __attribute__((format(printf, fmt_idx, args_idx)))
#define FALCO_EXPORT __attribute__((visibility("default")))
#define FALCO_UNUSED __attribute__((unused))
#define FALCO_WARN_UNUSED __attribute__((warn_unused_result))
#else
#define FALCO_PRINTF(fmt_idx, args_idx)
#define FALCO_EXPORT
#define FALCO_UNUSED
#define FALCO_WARN_UNUSED
#endif

/* A list of strings, as decoded from config or built by the author.
 * Who owns items depends on where the list comes from; see each use. */
typedef struct falco_string_list {
    const char **items;
    size_t count;
} falco_string_list;

#ifdef __cplusplus
}
#endif
#endif /* FALCO_COMMON_H */
