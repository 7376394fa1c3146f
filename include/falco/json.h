/*
 * falco/json.h - the SDK's own small JSON parser and writer.
 *
 * The SDK depends on nothing but libc, so it brings its own JSON code. Both
 * halves run inside Falco's process on untrusted input: the parser never
 * reads outside text[0..len), limits nesting to FALCO_JSON_MAX_DEPTH, keeps
 * strings as (pointer, length) so embedded NULs survive, rejects invalid
 * UTF-8, unpaired \u surrogates, control characters and trailing garbage, and
 * keeps integers exact (int64/uint64 never go through double).
 *
 * Parsing:
 *   falco_json_doc *doc = falco_json_doc_new();
 *   falco_json_error err;
 *   const falco_json_value *root = falco_json_parse(doc, text, len, &err);
 *   if (!root) printf("line %u column %u: %s\n", err.line, err.column, err.message);
 *   const falco_json_value *port = falco_json_pointer(root, "/server/port");
 *   uint64_t p;
 *   if (port && falco_json_u64(port, &p)) ...
 *   falco_json_doc_free(doc);
 *
 * Writing (compact output, a failure sticks until reset):
 *   falco_json_writer *w = falco_json_writer_new();
 *   falco_json_object_begin(w);
 *   falco_json_key(w, "port"); falco_json_u64_value(w, 8080);
 *   falco_json_object_end(w);
 *   const char *text = falco_json_writer_str(w, NULL);   // {"port":8080}
 *   falco_json_writer_free(w);
 *
 * Thread-safety: a doc or a writer is used by one thread at a time; distinct
 * docs and writers are independent. Parsed values are read-only and may be
 * read from several threads at once.
 *
 * Since: 0.1.0
 */
#ifndef FALCO_JSON_H
#define FALCO_JSON_H

#include <falco/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Deepest nesting of arrays/objects the parser accepts; deeper is an error. */
#define FALCO_JSON_MAX_DEPTH 128

typedef enum falco_json_type {
    FALCO_JSON_NULL,
    FALCO_JSON_BOOL,
    FALCO_JSON_NUMBER,
    FALCO_JSON_STRING,
    FALCO_JSON_ARRAY,
    FALCO_JSON_OBJECT
} falco_json_type;

/* One parsed value (opaque); owned by the falco_json_doc that parsed it. */
typedef struct falco_json_value falco_json_value;

/* Owns every value and string of the last parse made into it. */
typedef struct falco_json_doc falco_json_doc;

/* Where and why a parse failed. offset counts bytes from the start of the
 * text; line and column count from 1, column in bytes. message is
 * NUL-terminated, e.g. "expected ',' or '}' after object member". */
typedef struct falco_json_error {
    size_t offset;
    unsigned line, column;
    char message[160];
} falco_json_error;

/* ---- parsing ------------------------------------------------------------ */

/* Returns a new empty document, or NULL when out of memory. Free it with
 * falco_json_doc_free(). */
falco_json_doc *falco_json_doc_new(void);

/* Frees doc and every value parsed into it. NULL is a no-op. */
void falco_json_doc_free(falco_json_doc *doc);

/* Parses text[0..len) (one JSON value, surrounded by optional whitespace)
 * into doc, replacing what doc held; doc keeps its memory, so parsing one
 * event after another allocates nothing in the steady state. text needs no
 * NUL terminator and is not referenced after the call.
 * Returns the root value, or NULL with *err filled (err may be NULL) on
 * malformed input, nesting deeper than FALCO_JSON_MAX_DEPTH or out of memory.
 * The values live until the next parse into the same doc or its free. */
const falco_json_value *falco_json_parse(falco_json_doc *doc, const char *text, size_t len,
                                         falco_json_error *err);

/* ---- reading values (every accessor accepts NULL and then fails) ---------- */

/* Returns the type of v; FALCO_JSON_NULL for a NULL v. */
falco_json_type falco_json_type_of(const falco_json_value *v);

/* Returns the lowercase JSON name of t ("null", "boolean", "number",
 * "string", "array", "object"), or "unknown". Static string. */
const char *falco_json_type_name(falco_json_type t);

/* Stores the boolean in *out and returns true; false if v is not a bool. */
bool falco_json_bool(const falco_json_value *v, bool *out);

/* Stores the exact integer in *out and returns true; false if v is not a
 * number written without fraction or exponent, or does not fit int64_t. */
bool falco_json_i64(const falco_json_value *v, int64_t *out);

/* As falco_json_i64 for uint64_t (negative numbers fail; "-0" is 0). */
bool falco_json_u64(const falco_json_value *v, uint64_t *out);

/* Stores any number as the nearest double and returns true (huge exponents
 * give +-HUGE_VAL); false if v is not a number. */
bool falco_json_double(const falco_json_value *v, double *out);

/* Returns the decoded string (NUL-terminated, but it may hold embedded NULs:
 * use *len, which may be NULL) or NULL if v is not a string. Owned by the doc. */
const char *falco_json_string(const falco_json_value *v, size_t *len);

/* Returns the number exactly as written in the source (NUL-terminated, length
 * in *len, which may be NULL) or NULL if v is not a number. Owned by the doc. */
const char *falco_json_number_text(const falco_json_value *v, size_t *len);

/* Returns the number of items of an array or members of an object, else 0. */
size_t falco_json_size(const falco_json_value *v);

/* Returns item i of an array or the value of member i of an object (in source
 * order), or NULL when out of range or v is neither. O(1). */
const falco_json_value *falco_json_at(const falco_json_value *v, size_t i);

/* Returns the key of member i of an object (NUL-terminated, may hold embedded
 * NULs: length in *len, which may be NULL), or NULL. Owned by the doc. */
const char *falco_json_key_at(const falco_json_value *v, size_t i, size_t *len);

/* Returns the value of the member named key (compared up to its NUL) in obj,
 * or NULL if absent or obj is not an object. Duplicate keys are accepted by
 * the parser; this returns the LAST one, like most JSON readers. O(members). */
const falco_json_value *falco_json_member(const falco_json_value *obj, const char *key);

/* As falco_json_member with a key of key_len bytes (may hold NULs). */
const falco_json_value *falco_json_member_len(const falco_json_value *obj, const char *key, size_t key_len);

/* Resolves an RFC 6901 JSON pointer ("/a/b/0", "~0" is '~' and "~1" is '/',
 * "" is root itself). Returns NULL if a step is absent, an array index is not
 * a plain decimal (no sign, no leading zero), or the pointer is malformed
 * (does not start with '/', bad '~' escape). Duplicate keys: the last wins. */
const falco_json_value *falco_json_pointer(const falco_json_value *root, const char *pointer);

/* ---- writing ------------------------------------------------------------ */

/* Builds one compact JSON value into a growable buffer. The first failure
 * (out of memory, misuse such as a value where a key is expected, an end
 * without a matching begin, a second top-level value, NaN or infinity) sticks:
 * later calls do nothing and falco_json_writer_str() returns NULL until
 * falco_json_writer_reset(). */
typedef struct falco_json_writer falco_json_writer;

/* Returns a new empty writer, or NULL when out of memory. */
falco_json_writer *falco_json_writer_new(void);

/* Frees w and its buffer. NULL is a no-op. */
void falco_json_writer_free(falco_json_writer *w);

/* Empties w and clears its failure; keeps its memory for reuse. */
void falco_json_writer_reset(falco_json_writer *w);

/* Open and close a container. An object alternates falco_json_key() and a
 * value; object_end after a key without its value is misuse. */
void falco_json_object_begin(falco_json_writer *w);
void falco_json_object_end(falco_json_writer *w);
void falco_json_array_begin(falco_json_writer *w);
void falco_json_array_end(falco_json_writer *w);

/* Writes an object key (NUL-terminated; escaped like string values). Misuse
 * outside an object or where a value is expected; NULL is misuse. */
void falco_json_key(falco_json_writer *w, const char *key);

/* As falco_json_key with a key of len bytes. */
void falco_json_key_len(falco_json_writer *w, const char *key, size_t len);

/* Writes a string value from a NUL-terminated string (NULL is misuse).
 * Escapes '"', '\\' and control characters; bytes that are not valid UTF-8
 * are written as U+FFFD so the output is always valid JSON. */
void falco_json_string_value(falco_json_writer *w, const char *s);

/* As falco_json_string_value with len bytes, which may include NULs
 * (written as \u0000). */
void falco_json_string_len(falco_json_writer *w, const char *s, size_t len);

/* Write exact decimal integers. */
void falco_json_u64_value(falco_json_writer *w, uint64_t v);
void falco_json_i64_value(falco_json_writer *w, int64_t v);

/* Writes the shortest decimal text that reads back as exactly v (locale
 * independent). NaN and infinities have no JSON form: failure. */
void falco_json_double_value(falco_json_writer *w, double v);

void falco_json_bool_value(falco_json_writer *w, bool v);
void falco_json_null_value(falco_json_writer *w);

/* Writes a copy of the parsed subtree v (numbers keep their source text).
 * NULL is misuse. */
void falco_json_write_value(falco_json_writer *w, const falco_json_value *v);

/* Returns true once a failure happened (until reset). */
bool falco_json_writer_failed(const falco_json_writer *w);

/* Returns a static description of the failure ("value where an object key is
 * expected", "out of memory", ...), or NULL when there is none. */
const char *falco_json_writer_error(const falco_json_writer *w);

/* Returns the text written so far (NUL-terminated; length in *len, which may
 * be NULL), or NULL after a failure or while a container is open. Owned by w,
 * valid until the next call on w. */
const char *falco_json_writer_str(const falco_json_writer *w, size_t *len);

#ifdef __cplusplus
}
#endif
#endif /* FALCO_JSON_H */
