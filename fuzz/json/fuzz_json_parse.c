/*
 * fuzz_json_parse.c - parser, accessors, pointer lookups and the writer on
 * arbitrary bytes. Checks that whatever parses writes back to text that
 * parses again and writes identically.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <falco/json.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Touches every accessor on every value. */
static void walk(const falco_json_value *v)
{
    bool b;
    int64_t i;
    uint64_t u;
    double d;
    size_t len;
    (void)falco_json_bool(v, &b);
    (void)falco_json_i64(v, &i);
    (void)falco_json_u64(v, &u);
    (void)falco_json_double(v, &d);
    (void)falco_json_string(v, &len);
    (void)falco_json_number_text(v, &len);
    (void)falco_json_type_name(falco_json_type_of(v));
    for (size_t k = 0; k < falco_json_size(v); k++) {
        const char *key = falco_json_key_at(v, k, &len);
        if (key && falco_json_member_len(v, key, len) == NULL)
            abort(); /* a key that exists must be found */
        walk(falco_json_at(v, k));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    falco_json_doc *doc = falco_json_doc_new();
    falco_json_writer *w = falco_json_writer_new();
    if (!doc || !w)
        goto out;
    falco_json_error err;
    const falco_json_value *root = falco_json_parse(doc, (const char *)data, size, &err);
    if (!root) {
        if (err.offset > size || err.message[0] == '\0')
            abort();
        goto out;
    }
    walk(root);
    /* the input also serves as a pointer, when it is a C string */
    char ptr[64];
    size_t n = size < sizeof ptr - 1 ? size : sizeof ptr - 1;
    memcpy(ptr, data, n);
    ptr[n] = '\0';
    (void)falco_json_pointer(root, ptr);
    (void)falco_json_pointer(root, "/0/a/1");

    falco_json_write_value(w, root);
    size_t len;
    const char *text = falco_json_writer_str(w, &len);
    if (!text)
        abort(); /* a parsed tree always writes */
    char *copy = malloc(len + 1);
    if (!copy)
        goto out;
    memcpy(copy, text, len + 1);
    falco_json_doc *doc2 = falco_json_doc_new();
    const falco_json_value *again = doc2 ? falco_json_parse(doc2, copy, len, &err) : NULL;
    if (doc2 && !again)
        abort(); /* writer output must parse */
    if (again) {
        falco_json_writer_reset(w);
        falco_json_write_value(w, again);
        const char *text2 = falco_json_writer_str(w, &len);
        if (!text2 || strcmp(text2, copy) != 0)
            abort(); /* and be a fixed point */
    }
    falco_json_doc_free(doc2);
    free(copy);
out:
    falco_json_writer_free(w);
    falco_json_doc_free(doc);
    return 0;
}
