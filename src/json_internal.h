/*
 * json_internal.h - layout of parsed JSON values, shared by src/json*.c only.
 */
#ifndef FALCO_JSON_INTERNAL_H
#define FALCO_JSON_INTERNAL_H

#include <falco/json.h>

/* flags of a value */
enum {
    FALCO__JSON_HAS_KEY = 1u << 0,    /* an object member: key/key_len are set */
    FALCO__JSON_TRUE = 1u << 1,       /* BOOL: the value */
    FALCO__JSON_INTEGER = 1u << 2,    /* NUMBER: no fraction/exponent, magnitude fits uint64 */
    FALCO__JSON_NEGATIVE = 1u << 3,   /* NUMBER: starts with '-' */
};

/* While parsing, positions are offsets into the doc's arrays (which may move
 * when they grow); once the parse succeeds one pass turns them into pointers. */
struct falco_json_value {
    uint8_t type;           /* falco_json_type */
    uint8_t flags;
    size_t key_len;
    size_t len;             /* STRING: bytes; NUMBER: text bytes; ARRAY/OBJECT: children */
    union {
        size_t off;
        const char *ptr;
    } key;
    union {
        size_t off;                   /* into the arena, or index of first child */
        const char *str;              /* STRING bytes or NUMBER text */
        const falco_json_value *kids; /* ARRAY/OBJECT: len contiguous children */
    } data;
    uint64_t magnitude;     /* NUMBER with FALCO__JSON_INTEGER: |value| */
};

/* Converts a JSON number's text (NUL-terminated, already validated) into the
 * nearest double, whatever the C locale. */
double falco__json_text_to_double(const char *text, size_t len);

/* The finished text of w as a malloc'd string the caller frees (NULL when w
 * failed, is unbalanced or memory ran out); frees w in every case. */
char *falco__json_writer_take(falco_json_writer *w);

/* Length of the valid UTF-8 sequence at s (lead byte >= 0x80, s < end), or 0
 * when invalid: overlong, surrogate, above U+10FFFF or truncated. */
size_t falco__json_utf8_seq_len(const unsigned char *s, const unsigned char *end);

/* Writes the shortest text that reads back as v into buf (at least 32 bytes),
 * '.' as decimal point whatever the locale; returns its length, or 0 when v
 * is NaN or infinite. */
size_t falco__json_format_double(double v, char *buf);

#endif /* FALCO_JSON_INTERNAL_H */
