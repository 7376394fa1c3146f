/*
 * json_parse.c - the JSON parser: text to a tree of falco_json_value in a
 * reusable falco_json_doc.
 *
 * Recursive descent bounded by FALCO_JSON_MAX_DEPTH. Finished values are
 * pushed on a scratch stack; when a container closes, its children move to
 * the node array as one contiguous run, so indexing a container is O(1).
 * Decoded strings and number texts go to one arena sized once per parse
 * (output never exceeds input + 1 byte), so no string write needs a check.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_internal.h"

struct falco_json_doc {
    falco_json_value *nodes; /* finished values; the root is last */
    size_t nnodes, cap_nodes;
    falco_json_value *stack; /* values whose container is still open */
    size_t nstack, cap_stack;
    char *arena;             /* decoded strings and number texts, each NUL-terminated */
    size_t narena, cap_arena;
};

typedef struct parser {
    falco_json_doc *doc;
    const unsigned char *start, *p, *end;
    falco_json_error *err;
} parser;

falco_json_doc *falco_json_doc_new(void)
{
    return calloc(1, sizeof(falco_json_doc));
}

void falco_json_doc_free(falco_json_doc *doc)
{
    if (!doc)
        return;
    free(doc->nodes);
    free(doc->stack);
    free(doc->arena);
    free(doc);
}

FALCO_PRINTF(3, 4)
static bool fail_at(parser *ps, const unsigned char *at, const char *fmt, ...)
{
    falco_json_error *err = ps->err;
    if (!err)
        return false;
    size_t offset = (size_t)(at - ps->start);
    unsigned line = 1;
    size_t line_start = 0;
    for (size_t i = 0; i < offset; i++) {
        if (ps->start[i] == '\n') {
            if (line < 0xffffffffu)
                line++;
            line_start = i + 1;
        }
    }
    size_t column = offset - line_start + 1;
    err->offset = offset;
    err->line = line;
    err->column = column > 0xffffffffu ? 0xffffffffu : (unsigned)column;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return false;
}

/* Describes the byte at p for messages: "'x'", "byte 0x01" or "end of input". */
static const char *describe(parser *ps, const unsigned char *p, char buf[16])
{
    if (p >= ps->end)
        return "end of input";
    if (*p >= 0x20 && *p < 0x7f)
        snprintf(buf, 16, "'%c'", *p);
    else
        snprintf(buf, 16, "byte 0x%02x", *p);
    return buf;
}

/* Grows *arr (elements of size elem) so that it holds at least need. */
static bool reserve(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            return false;
        ncap *= 2;
    }
    if (ncap > SIZE_MAX / elem)
        return false;
    void *n = realloc(*arr, ncap * elem);
    if (!n)
        return false;
    *arr = n;
    *cap = ncap;
    return true;
}

static falco_json_value *push(parser *ps)
{
    falco_json_doc *d = ps->doc;
    if (d->nstack == d->cap_stack &&
        !reserve((void **)&d->stack, &d->cap_stack, d->nstack + 1, sizeof *d->stack)) {
        fail_at(ps, ps->p, "out of memory");
        return NULL;
    }
    falco_json_value *v = &d->stack[d->nstack++];
    memset(v, 0, sizeof *v);
    return v;
}

static void skip_ws(parser *ps)
{
    const unsigned char *p = ps->p, *end = ps->end;
    while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
        p++;
    ps->p = p;
}

/* Length of the valid UTF-8 sequence (2..4 bytes) at s whose lead byte is
 * >= 0x80, or 0 if invalid (overlong, surrogate, > U+10FFFF, truncated).
 * Shared with the writer, which replaces what this rejects. */
size_t falco__json_utf8_seq_len(const unsigned char *s, const unsigned char *end)
{
    unsigned char c = s[0];
    size_t n;
    unsigned char lo = 0x80, hi = 0xbf; /* allowed range of the second byte */
    if (c >= 0xc2 && c <= 0xdf)
        n = 2;
    else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        if (c == 0xe0)
            lo = 0xa0;      /* overlong */
        else if (c == 0xed)
            hi = 0x9f;      /* UTF-16 surrogates */
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        if (c == 0xf0)
            lo = 0x90;      /* overlong */
        else if (c == 0xf4)
            hi = 0x8f;      /* above U+10FFFF */
    } else
        return 0;
    if ((size_t)(end - s) < n || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    return n;
}

static int hex4(const unsigned char *s)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned char c = s[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= c - '0';
        else if (c >= 'a' && c <= 'f')
            v |= c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            v |= c - 'A' + 10;
        else
            return -1;
    }
    return v;
}

static char *put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) {
        *o++ = (char)cp;
    } else if (cp < 0x800) {
        *o++ = (char)(0xc0 | (cp >> 6));
        *o++ = (char)(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        *o++ = (char)(0xe0 | (cp >> 12));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
        *o++ = (char)(0x80 | (cp & 0x3f));
    } else {
        *o++ = (char)(0xf0 | (cp >> 18));
        *o++ = (char)(0x80 | ((cp >> 12) & 0x3f));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
        *o++ = (char)(0x80 | (cp & 0x3f));
    }
    return o;
}

/* Decodes the \u escape at s (pointing at the backslash) into *cp, combining
 * a surrogate pair; returns the bytes consumed or 0 after reporting. */
static size_t parse_u_escape(parser *ps, const unsigned char *s, unsigned *cp)
{
    if (ps->end - s < 6)
        return fail_at(ps, s, "truncated \\u escape"), 0;
    int hi = hex4(s + 2);
    if (hi < 0)
        return fail_at(ps, s, "\\u must be followed by 4 hex digits"), 0;
    if (hi >= 0xdc00 && hi <= 0xdfff)
        return fail_at(ps, s, "unpaired low surrogate \\u%04x", (unsigned)hi), 0;
    if (hi < 0xd800 || hi > 0xdbff) {
        *cp = (unsigned)hi;
        return 6;
    }
    if (ps->end - s < 12 || s[6] != '\\' || s[7] != 'u')
        return fail_at(ps, s, "unpaired high surrogate \\u%04x", (unsigned)hi), 0;
    int lo = hex4(s + 8);
    if (lo < 0xdc00 || lo > 0xdfff)
        return fail_at(ps, s, "high surrogate \\u%04x not followed by a low surrogate", (unsigned)hi), 0;
    *cp = 0x10000u + (((unsigned)hi - 0xd800u) << 10) + ((unsigned)lo - 0xdc00u);
    return 12;
}

/* Parses the string at ps->p (at its opening quote) into the arena. */
static bool parse_string(parser *ps, size_t *off, size_t *len)
{
    falco_json_doc *d = ps->doc;
    const unsigned char *open = ps->p, *s = ps->p + 1, *end = ps->end;
    char *const begin = d->arena + d->narena;
    char *o = begin;
    for (;;) {
        /* copy a run of plain ASCII in one go */
        const unsigned char *run = s;
        while (s < end && *s >= 0x20 && *s < 0x80 && *s != '"' && *s != '\\')
            s++;
        memcpy(o, run, (size_t)(s - run));
        o += s - run;
        if (s == end)
            return fail_at(ps, open, "unterminated string");
        unsigned char c = *s;
        if (c == '"')
            break;
        if (c < 0x20)
            return fail_at(ps, s, "control character 0x%02x in string must be escaped", c);
        if (c >= 0x80) {
            size_t n = falco__json_utf8_seq_len(s, end);
            if (!n)
                return fail_at(ps, s, "invalid UTF-8 byte 0x%02x in string", c);
            memcpy(o, s, n);
            o += n;
            s += n;
            continue;
        }
        /* backslash */
        if (end - s < 2)
            return fail_at(ps, open, "unterminated string");
        switch (s[1]) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '/': *o++ = '/'; break;
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case 'u': {
            unsigned cp;
            size_t n = parse_u_escape(ps, s, &cp);
            if (!n)
                return false;
            o = put_utf8(o, cp);
            s += n;
            continue;
        }
        default: {
            char buf[16];
            return fail_at(ps, s, "invalid escape: backslash followed by %s", describe(ps, s + 1, buf));
        }
        }
        s += 2;
    }
    *o++ = '\0';
    *off = d->narena;
    *len = (size_t)(o - begin) - 1;
    d->narena += (size_t)(o - begin);
    ps->p = s + 1;
    return true;
}

static bool is_digit(const unsigned char *p, const unsigned char *end)
{
    return p < end && *p >= '0' && *p <= '9';
}

static bool parse_number(parser *ps, falco_json_value *v)
{
    const unsigned char *s = ps->p, *p = s, *end = ps->end;
    bool integer = true, neg = false;
    uint64_t mag = 0;
    if (*p == '-') {
        neg = true;
        p++;
    }
    if (!is_digit(p, end)) {
        char buf[16];
        return fail_at(ps, p, "invalid number: expected a digit, got %s", describe(ps, p, buf));
    }
    if (*p == '0') {
        p++;
        if (is_digit(p, end))
            return fail_at(ps, s, "invalid number: leading zero");
    } else {
        for (; is_digit(p, end); p++) {
            unsigned digit = (unsigned)(*p - '0');
            if (mag > (UINT64_MAX - digit) / 10)
                integer = false; /* out of uint64 range: read as double */
            else
                mag = mag * 10 + digit;
        }
    }
    if (p < end && *p == '.') {
        integer = false;
        p++;
        if (!is_digit(p, end))
            return fail_at(ps, p, "invalid number: expected a digit after '.'");
        while (is_digit(p, end))
            p++;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        integer = false;
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (!is_digit(p, end))
            return fail_at(ps, p, "invalid number: expected a digit in the exponent");
        while (is_digit(p, end))
            p++;
    }
    falco_json_doc *d = ps->doc;
    size_t n = (size_t)(p - s);
    memcpy(d->arena + d->narena, s, n);
    d->arena[d->narena + n] = '\0';
    v->type = FALCO_JSON_NUMBER;
    v->flags = (uint8_t)((integer ? FALCO__JSON_INTEGER : 0) | (neg ? FALCO__JSON_NEGATIVE : 0));
    v->magnitude = integer ? mag : 0;
    v->data.off = d->narena;
    v->len = n;
    d->narena += n + 1;
    ps->p = p;
    return true;
}

static bool parse_literal(parser *ps, falco_json_value *v)
{
    static const struct {
        const char *text;
        size_t len;
        uint8_t type, flags;
    } lits[] = {
        { "true", 4, FALCO_JSON_BOOL, FALCO__JSON_TRUE },
        { "false", 5, FALCO_JSON_BOOL, 0 },
        { "null", 4, FALCO_JSON_NULL, 0 },
    };
    size_t avail = (size_t)(ps->end - ps->p);
    for (size_t i = 0; i < FALCO_COUNT(lits); i++) {
        if (ps->p[0] == (unsigned char)lits[i].text[0]) {
            if (avail < lits[i].len || memcmp(ps->p, lits[i].text, lits[i].len) != 0)
                return fail_at(ps, ps->p, "invalid literal, expected '%s'", lits[i].text);
            v->type = lits[i].type;
            v->flags = lits[i].flags;
            ps->p += lits[i].len;
            return true;
        }
    }
    char buf[16];
    return fail_at(ps, ps->p, "expected a JSON value, got %s", describe(ps, ps->p, buf));
}

/* Moves the children on the stack above base to the node array and replaces
 * them by their container. */
static bool close_container(parser *ps, size_t base, falco_json_type type)
{
    falco_json_doc *d = ps->doc;
    size_t count = d->nstack - base;
    if (!reserve((void **)&d->nodes, &d->cap_nodes, d->nnodes + count + 1, sizeof *d->nodes))
        return fail_at(ps, ps->p, "out of memory");
    if (count) /* the stack is still NULL before the first value */
        memcpy(d->nodes + d->nnodes, d->stack + base, count * sizeof *d->nodes);
    size_t first = d->nnodes;
    d->nnodes += count;
    d->nstack = base;
    falco_json_value *v = push(ps);
    if (!v)
        return false;
    v->type = (uint8_t)type;
    v->len = count;
    v->data.off = first;
    return true;
}

static bool parse_value(parser *ps, unsigned depth);

static bool parse_array(parser *ps, unsigned depth)
{
    size_t base = ps->doc->nstack;
    ps->p++;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == ']') {
        ps->p++;
        return close_container(ps, base, FALCO_JSON_ARRAY);
    }
    for (;;) {
        if (!parse_value(ps, depth + 1))
            return false;
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
            continue;
        }
        if (ps->p < ps->end && *ps->p == ']') {
            ps->p++;
            return close_container(ps, base, FALCO_JSON_ARRAY);
        }
        char buf[16];
        return fail_at(ps, ps->p, "expected ',' or ']' after array item, got %s", describe(ps, ps->p, buf));
    }
}

static bool parse_object(parser *ps, unsigned depth)
{
    size_t base = ps->doc->nstack;
    char buf[16];
    ps->p++;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == '}') {
        ps->p++;
        return close_container(ps, base, FALCO_JSON_OBJECT);
    }
    for (;;) {
        if (ps->p >= ps->end || *ps->p != '"')
            return fail_at(ps, ps->p, "expected a string key, got %s", describe(ps, ps->p, buf));
        size_t key_off, key_len;
        if (!parse_string(ps, &key_off, &key_len))
            return false;
        skip_ws(ps);
        if (ps->p >= ps->end || *ps->p != ':')
            return fail_at(ps, ps->p, "expected ':' after object key, got %s", describe(ps, ps->p, buf));
        ps->p++;
        if (!parse_value(ps, depth + 1))
            return false;
        falco_json_value *member = &ps->doc->stack[ps->doc->nstack - 1];
        member->flags |= FALCO__JSON_HAS_KEY;
        member->key.off = key_off;
        member->key_len = key_len;
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
            skip_ws(ps);
            continue;
        }
        if (ps->p < ps->end && *ps->p == '}') {
            ps->p++;
            return close_container(ps, base, FALCO_JSON_OBJECT);
        }
        return fail_at(ps, ps->p, "expected ',' or '}' after object member, got %s", describe(ps, ps->p, buf));
    }
}

/* Parses one value (depth = containers around it) and pushes it. */
static bool parse_value(parser *ps, unsigned depth)
{
    skip_ws(ps);
    if (ps->p >= ps->end)
        return fail_at(ps, ps->p, "unexpected end of input, expected a JSON value");
    unsigned char c = *ps->p;
    if (c == '[' || c == '{') {
        if (depth >= FALCO_JSON_MAX_DEPTH)
            return fail_at(ps, ps->p, "nesting deeper than %d", FALCO_JSON_MAX_DEPTH);
        return c == '[' ? parse_array(ps, depth) : parse_object(ps, depth);
    }
    falco_json_value *v = push(ps);
    if (!v)
        return false;
    if (c == '"') {
        size_t off, len;
        if (!parse_string(ps, &off, &len))
            return false;
        v = &ps->doc->stack[ps->doc->nstack - 1];
        v->type = FALCO_JSON_STRING;
        v->data.off = off;
        v->len = len;
        return true;
    }
    if (c == '-' || (c >= '0' && c <= '9'))
        return parse_number(ps, v);
    return parse_literal(ps, v);
}

/* Turns the offsets of every finished value into pointers. */
static void resolve(falco_json_doc *d)
{
    for (size_t i = 0; i < d->nnodes; i++) {
        falco_json_value *v = &d->nodes[i];
        if (v->flags & FALCO__JSON_HAS_KEY)
            v->key.ptr = d->arena + v->key.off;
        else
            v->key.ptr = NULL;
        switch (v->type) {
        case FALCO_JSON_STRING:
        case FALCO_JSON_NUMBER:
            v->data.str = d->arena + v->data.off;
            break;
        case FALCO_JSON_ARRAY:
        case FALCO_JSON_OBJECT:
            v->data.kids = d->nodes + v->data.off;
            break;
        default:
            break;
        }
    }
}

const falco_json_value *falco_json_parse(falco_json_doc *doc, const char *text, size_t len,
                                         falco_json_error *err)
{
    static const char empty[1] = "";
    if (!text)
        text = empty, len = 0;
    parser ps = { doc, (const unsigned char *)text, (const unsigned char *)text,
                  (const unsigned char *)text + len, err };
    if (err)
        memset(err, 0, sizeof *err);
    if (!doc)
        return fail_at(&ps, ps.p, "no document to parse into"), NULL;
    doc->nnodes = doc->nstack = doc->narena = 0;
    if (len == SIZE_MAX ||
        !reserve((void **)&doc->arena, &doc->cap_arena, len + 1, 1))
        return fail_at(&ps, ps.p, "out of memory"), NULL;
    skip_ws(&ps);
    if (ps.p == ps.end)
        return fail_at(&ps, ps.p, "empty input, expected a JSON value"), NULL;
    if (!parse_value(&ps, 0))
        return NULL;
    skip_ws(&ps);
    if (ps.p != ps.end) {
        char buf[16];
        return fail_at(&ps, ps.p, "unexpected %s after the JSON value", describe(&ps, ps.p, buf)), NULL;
    }
    /* the root: last in the node array */
    if (!reserve((void **)&doc->nodes, &doc->cap_nodes, doc->nnodes + 1, sizeof *doc->nodes))
        return fail_at(&ps, ps.p, "out of memory"), NULL;
    doc->nodes[doc->nnodes++] = doc->stack[--doc->nstack];
    resolve(doc);
    return &doc->nodes[doc->nnodes - 1];
}
