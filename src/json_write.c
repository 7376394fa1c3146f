/*
 * json_write.c - the JSON writer: compact text into a growable buffer, with
 * a stack of open containers that catches misuse. The first failure sticks
 * so callers can write a whole document and check once at the end.
 */
#include <stdlib.h>
#include <string.h>

#include "json_internal.h"

/* What the innermost open container expects next. */
enum {
    LEVEL_ARRAY_FIRST,   /* an item or ']' */
    LEVEL_ARRAY_NEXT,    /* ',' then an item, or ']' */
    LEVEL_OBJECT_FIRST,  /* a key or '}' */
    LEVEL_OBJECT_NEXT,   /* ',' then a key, or '}' */
    LEVEL_OBJECT_VALUE,  /* the value of the key just written */
};

struct falco_json_writer {
    char *buf;
    size_t len, cap;
    uint8_t *levels;
    size_t depth, cap_levels;
    bool done;           /* a complete top-level value was written */
    const char *error;   /* the sticking failure, or NULL */
};

falco_json_writer *falco_json_writer_new(void)
{
    falco_json_writer *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->buf = malloc(64);
    if (!w->buf) {
        free(w);
        return NULL;
    }
    w->cap = 64;
    w->buf[0] = '\0';
    return w;
}

void falco_json_writer_free(falco_json_writer *w)
{
    if (!w)
        return;
    free(w->buf);
    free(w->levels);
    free(w);
}

char *falco__json_writer_take(falco_json_writer *w)
{
    size_t len = 0;
    const char *text = w ? falco_json_writer_str(w, &len) : NULL;
    char *out = text ? malloc(len + 1) : NULL;
    if (out)
        memcpy(out, text, len + 1);
    falco_json_writer_free(w);
    return out;
}

void falco_json_writer_reset(falco_json_writer *w)
{
    if (!w)
        return;
    w->len = 0;
    w->buf[0] = '\0';
    w->depth = 0;
    w->done = false;
    w->error = NULL;
}

static void fail(falco_json_writer *w, const char *why)
{
    if (!w->error)
        w->error = why;
}

/* Makes room for n more bytes plus the NUL. */
static bool room(falco_json_writer *w, size_t n)
{
    if (w->error)
        return false;
    if (n < w->cap - w->len)
        return true;
    if (n > SIZE_MAX / 2 - w->len - 1) {
        fail(w, "out of memory");
        return false;
    }
    size_t ncap = w->cap * 2;
    while (ncap <= w->len + n)
        ncap *= 2;
    char *nb = realloc(w->buf, ncap);
    if (!nb) {
        fail(w, "out of memory");
        return false;
    }
    w->buf = nb;
    w->cap = ncap;
    return true;
}

static void put(falco_json_writer *w, const char *s, size_t n)
{
    if (!room(w, n))
        return;
    memcpy(w->buf + w->len, s, n);
    w->len += n;
    w->buf[w->len] = '\0';
}

/* Checks a value may come now and writes the separator before it. */
static bool before_value(falco_json_writer *w)
{
    if (w->error)
        return false;
    if (w->depth == 0) {
        if (w->done) {
            fail(w, "a second top-level value");
            return false;
        }
        return true;
    }
    uint8_t *lvl = &w->levels[w->depth - 1];
    switch (*lvl) {
    case LEVEL_ARRAY_FIRST:
        *lvl = LEVEL_ARRAY_NEXT;
        return true;
    case LEVEL_ARRAY_NEXT:
        put(w, ",", 1);
        return !w->error;
    case LEVEL_OBJECT_VALUE:
        *lvl = LEVEL_OBJECT_NEXT;
        return true;
    default:
        fail(w, "value where an object key is expected");
        return false;
    }
}

/* Marks the end of a value: at top level, the document is complete. */
static void after_value(falco_json_writer *w)
{
    if (w->depth == 0)
        w->done = true;
}

static void begin(falco_json_writer *w, char open, uint8_t level)
{
    if (!w || !before_value(w))
        return;
    if (w->depth == w->cap_levels) {
        size_t ncap = w->cap_levels ? w->cap_levels * 2 : 16;
        uint8_t *nl = realloc(w->levels, ncap);
        if (!nl) {
            fail(w, "out of memory");
            return;
        }
        w->levels = nl;
        w->cap_levels = ncap;
    }
    put(w, &open, 1);
    w->levels[w->depth++] = level;
}

static void end(falco_json_writer *w, char close, bool object)
{
    if (!w || w->error)
        return;
    if (w->depth == 0) {
        fail(w, object ? "object end without a matching begin" : "array end without a matching begin");
        return;
    }
    uint8_t lvl = w->levels[w->depth - 1];
    bool is_object = lvl >= LEVEL_OBJECT_FIRST;
    if (is_object != object) {
        fail(w, object ? "object end inside an array" : "array end inside an object");
        return;
    }
    if (lvl == LEVEL_OBJECT_VALUE) {
        fail(w, "object end after a key without its value");
        return;
    }
    put(w, &close, 1);
    w->depth--;
    after_value(w);
}

void falco_json_object_begin(falco_json_writer *w) { begin(w, '{', LEVEL_OBJECT_FIRST); }
void falco_json_object_end(falco_json_writer *w) { end(w, '}', true); }
void falco_json_array_begin(falco_json_writer *w) { begin(w, '[', LEVEL_ARRAY_FIRST); }
void falco_json_array_end(falco_json_writer *w) { end(w, ']', false); }

static void put_escaped(falco_json_writer *w, const char *str, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)str, *end = s + len;
    /* short strings: reserve the worst case, 6 bytes per input byte (\u00XX);
     * long ones: count exactly rather than over-allocate */
    size_t need = len * 6 + 2;
    if (len > 1024) {
        need = 2;
        for (const unsigned char *q = s; q < end; q++)
            need += *q < 0x20 ? 6 : *q == '"' || *q == '\\' ? 2 : *q >= 0x80 ? 3 : 1;
    }
    if (!room(w, need))
        return;
    char *o = w->buf + w->len;
    *o++ = '"';
    while (s < end) {
        unsigned char c = *s;
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            *o++ = (char)c;
            s++;
        } else if (c >= 0x80) {
            size_t n = falco__json_utf8_seq_len(s, end);
            if (n) {
                memcpy(o, s, n);
                o += n;
                s += n;
            } else {
                memcpy(o, "\xef\xbf\xbd", 3); /* U+FFFD for a byte that is not UTF-8 */
                o += 3;
                s++;
            }
        } else {
            *o++ = '\\';
            switch (c) {
            case '"': *o++ = '"'; break;
            case '\\': *o++ = '\\'; break;
            case '\b': *o++ = 'b'; break;
            case '\f': *o++ = 'f'; break;
            case '\n': *o++ = 'n'; break;
            case '\r': *o++ = 'r'; break;
            case '\t': *o++ = 't'; break;
            default:
                *o++ = 'u';
                *o++ = '0';
                *o++ = '0';
                *o++ = hex[c >> 4];
                *o++ = hex[c & 15];
            }
            s++;
        }
    }
    *o++ = '"';
    *o = '\0';
    w->len = (size_t)(o - w->buf);
}

void falco_json_key_len(falco_json_writer *w, const char *key, size_t len)
{
    if (!w || w->error)
        return;
    if (!key) {
        fail(w, "NULL key");
        return;
    }
    uint8_t *lvl = w->depth ? &w->levels[w->depth - 1] : NULL;
    if (!lvl || (*lvl != LEVEL_OBJECT_FIRST && *lvl != LEVEL_OBJECT_NEXT)) {
        fail(w, lvl && *lvl == LEVEL_OBJECT_VALUE ? "key where a value is expected" : "key outside an object");
        return;
    }
    if (*lvl == LEVEL_OBJECT_NEXT)
        put(w, ",", 1);
    put_escaped(w, key, len);
    put(w, ":", 1);
    *lvl = LEVEL_OBJECT_VALUE;
}

void falco_json_key(falco_json_writer *w, const char *key)
{
    falco_json_key_len(w, key, key ? strlen(key) : 0);
}

void falco_json_string_len(falco_json_writer *w, const char *s, size_t len)
{
    if (!w)
        return;
    if (!s) {
        fail(w, "NULL string");
        return;
    }
    if (!before_value(w))
        return;
    put_escaped(w, s, len);
    after_value(w);
}

void falco_json_string_value(falco_json_writer *w, const char *s)
{
    falco_json_string_len(w, s, s ? strlen(s) : 0);
}

/* Writes raw, already valid value text. */
static void put_scalar(falco_json_writer *w, const char *text, size_t len)
{
    if (!w || !before_value(w))
        return;
    put(w, text, len);
    after_value(w);
}

static size_t u64_text(uint64_t v, char *end)
{
    char *p = end;
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return (size_t)(end - p);
}

void falco_json_u64_value(falco_json_writer *w, uint64_t v)
{
    char buf[24];
    size_t n = u64_text(v, buf + sizeof buf);
    put_scalar(w, buf + sizeof buf - n, n);
}

void falco_json_i64_value(falco_json_writer *w, int64_t v)
{
    char buf[24];
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    size_t n = u64_text(mag, buf + sizeof buf);
    if (v < 0)
        buf[sizeof buf - ++n] = '-';
    put_scalar(w, buf + sizeof buf - n, n);
}

void falco_json_double_value(falco_json_writer *w, double v)
{
    char buf[32];
    size_t n = falco__json_format_double(v, buf);
    if (!w)
        return;
    if (!n) {
        fail(w, "NaN or infinity has no JSON form");
        return;
    }
    put_scalar(w, buf, n);
}

void falco_json_bool_value(falco_json_writer *w, bool v)
{
    put_scalar(w, v ? "true" : "false", v ? 4 : 5);
}

void falco_json_null_value(falco_json_writer *w)
{
    put_scalar(w, "null", 4);
}

void falco_json_write_value(falco_json_writer *w, const falco_json_value *v)
{
    if (!w)
        return;
    if (!v) {
        fail(w, "NULL value");
        return;
    }
    size_t len;
    const char *s;
    switch ((falco_json_type)v->type) {
    case FALCO_JSON_NULL: falco_json_null_value(w); break;
    case FALCO_JSON_BOOL: falco_json_bool_value(w, (v->flags & FALCO__JSON_TRUE) != 0); break;
    case FALCO_JSON_NUMBER:
        s = falco_json_number_text(v, &len);
        put_scalar(w, s, len);
        break;
    case FALCO_JSON_STRING:
        s = falco_json_string(v, &len);
        falco_json_string_len(w, s, len);
        break;
    case FALCO_JSON_ARRAY:
        falco_json_array_begin(w);
        for (size_t i = 0; i < v->len && !w->error; i++)
            falco_json_write_value(w, falco_json_at(v, i));
        falco_json_array_end(w);
        break;
    case FALCO_JSON_OBJECT:
        falco_json_object_begin(w);
        for (size_t i = 0; i < v->len && !w->error; i++) {
            s = falco_json_key_at(v, i, &len);
            falco_json_key_len(w, s, len);
            falco_json_write_value(w, falco_json_at(v, i));
        }
        falco_json_object_end(w);
        break;
    }
}

bool falco_json_writer_failed(const falco_json_writer *w)
{
    return !w || w->error != NULL;
}

const char *falco_json_writer_error(const falco_json_writer *w)
{
    return w ? w->error : "NULL writer";
}

const char *falco_json_writer_str(const falco_json_writer *w, size_t *len)
{
    if (!w || w->error || w->depth)
        return NULL;
    if (len)
        *len = w->len;
    return w->buf;
}
