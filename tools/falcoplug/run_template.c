/*
 * run_template.c - what `falcoplug run` prints for an event: the -o template
 * (%field and %field[arg] replaced by extracted values, field transformers
 * such as %tolower(field) applied as libsinsp applies them), the default list
 * of field values, and the --type selection of event codes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <falco/event.h>

#include "falcoplug.h"
#include "run.h"

struct xf_node;

struct run_piece {
    char *text;               /* literal text before the field, owned */
    falco_host_extractor *x;  /* NULL for the trailing literal and for a transformer */
    falco_host_plugin *p;     /* the plugin x extracts with */
    struct xf_node *expr;     /* a field transformer (%tolower(f)...), owned; NULL otherwise */
    int width;                /* %<N>field: the value padded or cut to N bytes; 0 as is */
};

static void xf_free(struct xf_node *nd);

void run_template_free(run_template *t)
{
    for (size_t i = 0; i < t->count; i++) {
        free(t->pieces[i].text);
        falco_host_extractor_free(t->pieces[i].x);
        xf_free(t->pieces[i].expr);
    }
    free(t->pieces);
    t->pieces = NULL;
    t->count = 0;
}

/* What one try to compile a reference gave. */
enum { TRY_OK = 0, TRY_NO_FIELD = 1, TRY_REFUSED = -1, TRY_NOMEM = -2 };

/* Compiles expr ("name" or "name[arg]") into pc->x and pc->p: TRY_OK;
 * TRY_NO_FIELD when no plugin declares the name; TRY_REFUSED when the one
 * that declares it refuses the reference (why in err); TRY_NOMEM. */
typedef int (*resolve_fn)(void *ctx, const char *expr, struct run_piece *pc, char *err, size_t errlen);

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_word(char c)
{
    return is_alpha(c) || (c >= '0' && c <= '9') || c == '_';
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* Length of the longest field name at s, as libsinsp's filter lexer reads
 * one: word segments joined by '.', each starting with a letter, at least
 * two of them. 0 when there is none. */
static size_t lex_field_name(const char *s)
{
    if (!is_alpha(s[0]))
        return 0;
    size_t i = 1;
    while (is_word(s[i]))
        i++;
    size_t end = 0;
    while (s[i] == '.' && is_alpha(s[i + 1])) {
        i += 2;
        while (is_word(s[i]))
            i++;
        end = i;
    }
    return end;
}

/* Whether the first len bytes of a lexed name (lex_field_name > len) are a
 * whole name too: a shorter candidate when the longer one is no field. */
static bool name_prefix_complete(const char *s, size_t len)
{
    const char *dot = memchr(s, '.', len);
    return dot && (size_t)(dot - s) + 2 <= len && s[len - 1] != '.';
}

/* The quoted string at s (s[0] is ' or "), as libsinsp's filter parser
 * reads one: it ends at the first quote of its kind not after a backslash,
 * and its escapes are decoded into out (room for strlen(s) + 1 bytes,
 * NUL-terminated, *outlen bytes). Returns the bytes read, or 0 with the
 * reason in err. */
static size_t lex_quoted(const char *s, char *out, size_t *outlen, char *err, size_t errlen)
{
    char q = s[0], prev = q;
    size_t i = 1, n = 0;
    while (s[i] && !(s[i] == q && prev != '\\')) {
        prev = s[i];
        i++;
    }
    if (!s[i]) {
        snprintf(err, errlen, "unterminated quoted argument");
        return 0;
    }
    for (size_t k = 1; k < i; k++) {
        if (s[k] != '\\') {
            out[n++] = s[k];
            continue;
        }
        /* libsinsp's escapes; "\ " reads as a backslash, as there */
        char e = s[++k], d;
        switch (e) {
        case 'b': d = '\b'; break;
        case 'f': d = '\f'; break;
        case 'n': d = '\n'; break;
        case 'r': d = '\r'; break;
        case 't': d = '\t'; break;
        case ' ':
        case '\\': d = '\\'; break;
        case '/': d = '/'; break;
        case '"':
        case '\'':
            if (e != q) {
                snprintf(err, errlen, "invalid \\%c escape in a %c-quoted argument", e, q);
                return 0;
            }
            d = e;
            break;
        default:
            snprintf(err, errlen, "unsupported escape sequence in the argument: \\%c", e);
            return 0;
        }
        out[n++] = d;
    }
    out[n] = '\0';
    *outlen = n;
    return i + 1;
}

/* The argument in brackets at s (s[0] == '['), as libsinsp's filter parser
 * reads it: a quoted string (lex_quoted) or a bare one (no brackets, quotes
 * or blanks), then ']'. Returns the bytes read with the argument in *arg
 * (malloc'd), or 0 with the reason in err (*arg NULL when out of memory). */
static size_t lex_field_arg(const char *s, char **arg, char *err, size_t errlen)
{
    size_t i = 1;
    *arg = NULL;
    char *out = malloc(strlen(s) + 1);
    if (!out)
        return 0;
    size_t n = 0;
    if (s[i] == '"' || s[i] == '\'') {
        size_t used = lex_quoted(s + i, out, &n, err, errlen);
        if (!used)
            goto fail;
        i += used;
    } else {
        while (s[i] && s[i] != '[' && s[i] != ']' && s[i] != '"' && s[i] != '\'' && !is_blank(s[i]))
            out[n++] = s[i++];
        if (n == 0) {
            snprintf(err, errlen, "expected an argument (a quoted or bare string) after '['");
            goto fail;
        }
    }
    if (s[i] != ']') {
        snprintf(err, errlen, "unbalanced argument brackets: no ']' right after the argument");
        goto fail;
    }
    out[n] = '\0';
    *arg = out;
    return i + 1;
fail:
    free(out);
    *arg = (char *)""; /* not out of memory: the reason is in err */
    return 0;
}

/* Tries name (len bytes) with arg (NULL: none): resolve's answer. */
static int try_ref(resolve_fn resolve, void *ctx, const char *name, size_t len, const char *arg,
                   struct run_piece *pc, char *err, size_t errlen)
{
    size_t alen = arg ? strlen(arg) : 0;
    /* libsinsp reads the argument again from "name[arg]", which ends at the
     * first space there: such an argument is no argument */
    if (arg && (strchr(arg, ' ') || !alen)) {
        snprintf(err, errlen, "field '%.*s': %s", (int)len, name,
                 alen ? "an argument with a space is not one libsinsp can read" : "empty argument");
        return TRY_REFUSED;
    }
    char *expr = malloc(len + alen + 3);
    if (!expr)
        return TRY_NOMEM;
    memcpy(expr, name, len);
    if (arg) {
        expr[len] = '[';
        memcpy(expr + len + 1, arg, alen);
        memcpy(expr + len + 1 + alen, "]", 2);
    } else {
        expr[len] = '\0';
    }
    int rc = resolve(ctx, expr, pc, err, errlen);
    free(expr);
    return rc;
}

static int extract_one(falco_host_plugin *p, falco_host_extractor *x, const falco_abi_event_input *ei,
                       falco_host_values *v);

/* ---- field transformers ----------------------------------------------------
 * %tolower(f), %len(f), %join(",", f), ... as libsinsp's output formatter
 * reads and applies them (falcosecurity/libs filter parser and
 * sinsp_filter_transformer*): an expression tree compiled once, evaluated
 * per event into strings. */

typedef enum {
    XF_FIELD, XF_CONST, XF_LIST, /* leaves and transformer lists */
    XF_TOLOWER, XF_TOUPPER, XF_B64, XF_BASENAME, XF_LEN, XF_JOIN, XF_CONCAT, XF_GETOPT
} xf_kind;

static const struct {
    const char *name;
    xf_kind kind;
} xf_names[] = {
    { "tolower", XF_TOLOWER }, { "toupper", XF_TOUPPER }, { "b64", XF_B64 },       { "basename", XF_BASENAME },
    { "len", XF_LEN },         { "join", XF_JOIN },       { "concat", XF_CONCAT }, { "getopt", XF_GETOPT },
};
#define XF_NAMES "tolower, toupper, b64, basename, len, join, concat, getopt"
/* libsinsp's parser refuses an expression whose recursion reaches 100
 * levels: a transformer call, each of its arguments, and a field name each
 * take one (so 48 transformers around a field, 49 around a constant). */
#define XF_MAX_DEPTH 100

struct xf_node {
    xf_kind kind;
    bool is_list;            /* gives a list (printed "(a,b)") */
    bool is_str;             /* gives strings (else numbers: len(), or a non-string field) */
    bool from_field;         /* a plugin field through single-value transformers: len() has a value only then */
    char *text;              /* XF_CONST: the value; XF_FIELD: the reference as written */
    falco_host_extractor *x; /* XF_FIELD */
    falco_host_plugin *p;
    struct xf_node **kids;
    size_t nkids;
    char sel; /* XF_GETOPT: the option of getopt(...)[c]; 0 for the whole list */
};

static void xf_free(struct xf_node *nd)
{
    if (!nd)
        return;
    for (size_t i = 0; i < nd->nkids; i++)
        xf_free(nd->kids[i]);
    free(nd->kids);
    free(nd->text);
    falco_host_extractor_free(nd->x);
    free(nd);
}

static const char *xf_name(xf_kind k)
{
    for (size_t i = 0; i < sizeof xf_names / sizeof xf_names[0]; i++)
        if (xf_names[i].kind == k)
            return xf_names[i].name;
    return k == XF_LIST ? "a transformer list" : "a constant";
}

/* What an argument is, for messages: "field 'f' (uint64)", "len()", ... */
static void xf_describe(const struct xf_node *nd, char *buf, size_t size)
{
    if (nd->kind == XF_FIELD)
        snprintf(buf, size, "field '%.200s' (%s%s)", nd->text,
                 falco_host_field_type_name(falco_host_extractor_field(nd->x)->type), nd->is_list ? " list" : "");
    else if (nd->kind == XF_CONST)
        snprintf(buf, size, "the constant \"%.200s\"", nd->text);
    else if (nd->kind == XF_LIST)
        snprintf(buf, size, "a list");
    else
        snprintf(buf, size, "%s() (a %s%s)", xf_name(nd->kind), nd->is_str ? "string" : "number",
                 nd->is_list ? " list" : "");
}

typedef struct {
    resolve_fn resolve;
    void *ctx;
    char *err;
    size_t errlen;
    bool nomem;
} xf_parser;

/* Whether one more level of recursion (depth) is one too many. */
static bool xf_too_deep(xf_parser *ps, int depth)
{
    if (depth < XF_MAX_DEPTH)
        return false;
    snprintf(ps->err, ps->errlen, "transformers nested too deep (libsinsp's parser stops at %d levels of "
                                  "recursion: about 48 transformers)", XF_MAX_DEPTH);
    return true;
}

static size_t lex_blanks(const char *s)
{
    size_t i = 0; /* the blanks of libsinsp's parser: no \v or \f */
    while (s[i] == ' ' || s[i] == '\t' || s[i] == '\b' || s[i] == '\r' || s[i] == '\n')
        i++;
    return i;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* A number as libsinsp's parser lexes one: 0x1F, or [+-]digits[.digits][e+N]. */
static size_t lex_number(const char *s)
{
    size_t i = 0;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        i = 2;
        while (is_digit(s[i]) || (s[i] >= 'a' && s[i] <= 'f') || (s[i] >= 'A' && s[i] <= 'F'))
            i++;
        if (i > 2)
            return i;
        i = 0;
    }
    if (s[i] == '+' || s[i] == '-')
        i++;
    if (!is_digit(s[i]))
        return 0;
    while (is_digit(s[i]))
        i++;
    if (s[i] == '.')
        i++;
    while (is_digit(s[i]))
        i++;
    if ((s[i] == 'e' || s[i] == 'E') && (s[i + 1] == '+' || s[i + 1] == '-') && is_digit(s[i + 2])) {
        i += 3;
        while (is_digit(s[i]))
            i++;
    }
    return i;
}

/* The transformer whose name and '(' start s (its length in *len), or -1. */
static int lex_transformer(const char *s, size_t *len)
{
    for (size_t i = 0; i < sizeof xf_names / sizeof xf_names[0]; i++) {
        size_t n = strlen(xf_names[i].name);
        if (strncmp(s, xf_names[i].name, n) == 0 && s[n] == '(') {
            *len = n + 1;
            return (int)i;
        }
    }
    return -1;
}

/* Whether the len bytes at s name a transformer. */
static bool is_transformer_name(const char *s, size_t len)
{
    for (size_t i = 0; i < sizeof xf_names / sizeof xf_names[0]; i++)
        if (strlen(xf_names[i].name) == len && strncmp(s, xf_names[i].name, len) == 0)
            return true;
    return false;
}

static struct xf_node *xf_new(xf_parser *ps, xf_kind kind)
{
    struct xf_node *nd = calloc(1, sizeof *nd);
    if (!nd)
        ps->nomem = true;
    else
        nd->kind = kind;
    return nd;
}

static bool xf_add_kid(xf_parser *ps, struct xf_node *nd, struct xf_node *kid)
{
    struct xf_node **k = realloc(nd->kids, (nd->nkids + 1) * sizeof *k);
    if (!k) {
        ps->nomem = true;
        xf_free(kid);
        return false;
    }
    nd->kids = k;
    nd->kids[nd->nkids++] = kid;
    return true;
}

static struct xf_node *xf_parse_call(xf_parser *ps, int which, const char *s, size_t *used, int depth);

/* A field inside a transformer: its whole name (no shorter one is tried, as
 * libsinsp's parser reads it), then [arg] when there is one. */
static struct xf_node *xf_parse_field(xf_parser *ps, const char *s, size_t n, size_t *used, int depth)
{
    char *arg = NULL, tmp[1024];
    size_t alen = 0;
    if (xf_too_deep(ps, depth))
        return NULL;
    if (s[n] == '[') {
        alen = lex_field_arg(s + n, &arg, tmp, sizeof tmp);
        if (!arg) {
            ps->nomem = true;
            return NULL;
        }
        if (!alen) {
            snprintf(ps->err, ps->errlen, "field '%.*s': %s", (int)(n < 200 ? n : 200), s, tmp);
            return NULL;
        }
    }
    struct run_piece pc = { 0 };
    int rc = try_ref(ps->resolve, ps->ctx, s, n, arg, &pc, ps->err, ps->errlen);
    if (arg)
        free(arg);
    if (rc == TRY_NOMEM)
        ps->nomem = true;
    if (rc != TRY_OK)
        return NULL;
    struct xf_node *nd = xf_new(ps, XF_FIELD);
    if (nd)
        nd->text = malloc(n + alen + 1);
    if (!nd || !nd->text) {
        ps->nomem = true;
        falco_host_extractor_free(pc.x);
        xf_free(nd);
        return NULL;
    }
    memcpy(nd->text, s, n + alen);
    nd->text[n + alen] = '\0';
    nd->x = pc.x;
    nd->p = pc.p;
    const falco_host_field *f = falco_host_extractor_field(pc.x);
    nd->is_list = f->is_list;
    nd->is_str = f->type == FALCO_ABI_FT_STRING;
    nd->from_field = true;
    *used = n + alen;
    return nd;
}

static struct xf_node *xf_parse_const(xf_parser *ps, const char *s, size_t *used)
{
    struct xf_node *nd = xf_new(ps, XF_CONST);
    if (nd)
        nd->text = malloc(strlen(s) + 1);
    if (!nd || !nd->text) {
        ps->nomem = true;
        xf_free(nd);
        return NULL;
    }
    nd->is_str = true;
    size_t n = lex_number(s), len;
    if (n) {
        memcpy(nd->text, s, n);
        nd->text[n] = '\0';
        *used = n;
        return nd;
    }
    if ((n = lex_quoted(s, nd->text, &len, ps->err, ps->errlen)) != 0) {
        *used = n;
        return nd;
    }
    xf_free(nd);
    return NULL;
}

/* A transformer list, s just after its '(': fields, transformers, quoted
 * strings or numbers (no list in a list), each a string, as libsinsp takes
 * them (it would use the raw bytes of other types as text). */
static struct xf_node *xf_parse_list(xf_parser *ps, const char *s, size_t *used, int depth)
{
    struct xf_node *nd = xf_new(ps, XF_LIST);
    if (!nd)
        return NULL;
    nd->is_list = nd->is_str = true;
    size_t i = lex_blanks(s);
    if (s[i] != ')') {
        for (;;) {
            size_t n = 0, tl;
            struct xf_node *kid = NULL;
            int which;
            if ((n = lex_field_name(s + i)) != 0)
                kid = xf_parse_field(ps, s + i, n, &n, depth + 1);
            else if ((which = lex_transformer(s + i, &tl)) >= 0)
                kid = xf_parse_call(ps, which, s + i + tl, &n, depth + 1), n += tl;
            else if (s[i] == '"' || s[i] == '\'' || lex_number(s + i))
                kid = xf_parse_const(ps, s + i, &n);
            else
                snprintf(ps->err, ps->errlen, "a transformer list takes fields, transformers, quoted strings or "
                                              "numbers (no list in a list), got '%.20s'", s + i);
            if (!kid || !xf_add_kid(ps, nd, kid))
                goto fail;
            if (!kid->is_str) {
                char d[300];
                xf_describe(kid, d, sizeof d);
                snprintf(ps->err, ps->errlen, "a transformer list takes strings, not %s (libsinsp would use its raw "
                         "bytes as text)", d);
                goto fail;
            }
            i += n;
            i += lex_blanks(s + i);
            if (s[i] != ',')
                break;
            i++;
            i += lex_blanks(s + i);
        }
    }
    if (s[i] != ')') {
        if (!ps->err[0])
            snprintf(ps->err, ps->errlen, "expected ',' or ')' in a transformer list, got '%.20s'", s + i);
        goto fail;
    }
    *used = i + 1;
    return nd;
fail:
    xf_free(nd);
    return NULL;
}

/* One argument of a transformer: a number, a quoted string, a list, a
 * transformer or a field, tried in libsinsp's order. */
static struct xf_node *xf_parse_arg(xf_parser *ps, const char *s, size_t *used, int depth)
{
    size_t n, tl;
    int which;
    if (xf_too_deep(ps, depth))
        return NULL;
    if (lex_number(s) || s[0] == '"' || s[0] == '\'')
        return xf_parse_const(ps, s, used);
    if (s[0] == '(') {
        struct xf_node *nd = xf_parse_list(ps, s + 1, used, depth);
        *used += 1;
        return nd;
    }
    if ((which = lex_transformer(s, &tl)) >= 0) {
        struct xf_node *nd = xf_parse_call(ps, which, s + tl, used, depth + 1);
        *used += tl;
        return nd;
    }
    if ((n = lex_field_name(s)) != 0)
        return xf_parse_field(ps, s, n, used, depth + 1);
    if (strncmp(s, "val(", 4) == 0)
        snprintf(ps->err, ps->errlen, "val() takes a field only on the right of a filter condition, not in an "
                                      "output format");
    else
        snprintf(ps->err, ps->errlen, "expected a field, a transformer (" XF_NAMES "), a quoted string, a number "
                 "or a list, got '%.20s'", s);
    return NULL;
}

/* Checks the arguments of nd (a transformer) as libsinsp does when it
 * compiles one, and sets what nd gives. False with the reason in err. */
static bool xf_check(xf_parser *ps, struct xf_node *nd)
{
    const char *name = xf_name(nd->kind);
    char d[300];
    switch (nd->kind) {
    case XF_TOLOWER:
    case XF_TOUPPER:
    case XF_B64:
    case XF_BASENAME:
    case XF_LEN: {
        if (nd->nkids != 1) {
            snprintf(ps->err, ps->errlen, "%s() takes one argument, got %zu", name, nd->nkids);
            return false;
        }
        struct xf_node *k = nd->kids[0];
        if (!k->is_str && !(nd->kind == XF_LEN && k->is_list)) {
            xf_describe(k, d, sizeof d);
            snprintf(ps->err, ps->errlen, "%s() takes %s, not %s", name,
                     nd->kind == XF_LEN ? "a string or a list" : "strings", d);
            return false;
        }
        nd->is_list = nd->kind != XF_LEN && k->is_list;
        nd->is_str = nd->kind != XF_LEN;
        nd->from_field = nd->kind != XF_LEN && k->from_field;
        return true;
    }
    case XF_JOIN:
        if (nd->nkids != 2 || nd->kids[0]->is_list || !nd->kids[1]->is_list) {
            snprintf(ps->err, ps->errlen, "join() takes two arguments, a separator then a list, got %zu%s", nd->nkids,
                     nd->nkids == 2 ? (nd->kids[0]->is_list ? " with a list as separator" : " with no list to join")
                                    : "");
            return false;
        }
        for (size_t i = 0; i < 2; i++)
            if (!nd->kids[i]->is_str) {
                xf_describe(nd->kids[i], d, sizeof d);
                snprintf(ps->err, ps->errlen, "join() takes strings, not %s (libsinsp would join its raw bytes)", d);
                return false;
            }
        nd->is_str = true;
        return true;
    case XF_CONCAT:
        if (nd->nkids < 2) {
            snprintf(ps->err, ps->errlen, "concat() takes at least two arguments, got %zu", nd->nkids);
            return false;
        }
        for (size_t i = 0; i < nd->nkids; i++)
            if (!nd->kids[i]->is_str || nd->kids[i]->is_list) {
                xf_describe(nd->kids[i], d, sizeof d);
                snprintf(ps->err, ps->errlen, "concat() takes single strings, not %s", d);
                return false;
            }
        nd->is_str = true;
        return true;
    case XF_GETOPT:
        if (nd->nkids != 2 || !nd->kids[0]->is_list || nd->kids[1]->is_list || !nd->kids[0]->is_str ||
            !nd->kids[1]->is_str) {
            snprintf(ps->err, ps->errlen, "getopt() takes two string arguments, a list of arguments then an "
                                          "optstring (\"ab:\")");
            return false;
        }
        nd->is_str = nd->is_list = true;
        return true;
    default:
        return true;
    }
}

/* A transformer call, s just after its '(': arguments separated by ',',
 * then ')'; getopt(...) then takes [c], one option character. */
static struct xf_node *xf_parse_call(xf_parser *ps, int which, const char *s, size_t *used, int depth)
{
    if (xf_too_deep(ps, depth))
        return NULL;
    struct xf_node *nd = xf_new(ps, xf_names[which].kind);
    if (!nd)
        return NULL;
    size_t i = 0;
    do {
        i += lex_blanks(s + i);
        size_t n = 0;
        struct xf_node *kid = xf_parse_arg(ps, s + i, &n, depth + 1);
        if (!kid || !xf_add_kid(ps, nd, kid))
            goto fail;
        i += n;
        i += lex_blanks(s + i);
    } while (s[i] == ',' && ++i);
    if (s[i] != ')') {
        snprintf(ps->err, ps->errlen, "expected ',' or ')' closing %s(, got %s%.20s%s", xf_names[which].name,
                 s[i] ? "'" : "the end of the format", s + i, s[i] ? "'" : "");
        goto fail;
    }
    i++;
    if (!xf_check(ps, nd))
        goto fail;
    if (nd->kind == XF_GETOPT && s[i] == '[') {
        /* anything but one character is no selector: the text after the
         * transformer, as libsinsp prints it */
        char *arg, tmp[256];
        size_t n = lex_field_arg(s + i, &arg, tmp, sizeof tmp);
        if (!arg) {
            ps->nomem = true;
            goto fail;
        }
        if (n && strlen(arg) == 1) {
            nd->sel = arg[0];
            nd->is_list = false;
            i += n;
        }
        if (n)
            free(arg);
    }
    *used = i;
    return nd;
fail:
    xf_free(nd);
    return NULL;
}

/* ---- evaluation ---- */

/* The values of a node for one event: strings (bytes, NUL-terminated, len
 * without trailing NULs) or, for a non-string field, count only (NULL). */
typedef struct {
    char **s;
    size_t *len;
    size_t n;
    bool list;
} xf_vals;

static void xf_vals_free(xf_vals *v)
{
    for (size_t i = 0; i < v->n; i++)
        free(v->s[i]);
    free(v->s);
    free(v->len);
    memset(v, 0, sizeof *v);
}

/* Appends len bytes of s (NULL: a value without text); -1 out of memory. */
static int xf_push(xf_vals *v, const char *s, size_t len)
{
    char **ns = realloc(v->s, (v->n + 1) * sizeof *ns);
    if (!ns)
        return -1;
    v->s = ns;
    size_t *nl = realloc(v->len, (v->n + 1) * sizeof *nl);
    if (!nl)
        return -1;
    v->len = nl;
    char *copy = NULL;
    if (s) {
        if (!(copy = malloc(len + 1)))
            return -1;
        memcpy(copy, s, len);
        copy[len] = '\0';
        while (len > 0 && copy[len - 1] == '\0')
            len--; /* as libsinsp's string transformers read a value */
    }
    v->s[v->n] = copy;
    v->len[v->n++] = len;
    return 0;
}

static int b64_digit(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (is_digit((char)c))
        return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Base64 decoding as libsinsp's b64(): up to two '=' at the end are
 * dropped, every other character must be of the standard alphabet, a
 * single trailing character is refused, and so are bits left over in the
 * last one. Decodes in place; false when s is not base64. */
static bool b64_decode(char *s, size_t *len)
{
    size_t n = *len, out = 0;
    if (n == 0)
        return true;
    if (s[n - 1] == '=' && --n > 0 && s[n - 1] == '=')
        n--;
    if (n == 0 || n % 4 == 1)
        return false;
    unsigned acc = 0;
    for (size_t i = 0; i < n; i++) {
        int d = b64_digit((unsigned char)s[i]);
        if (d < 0)
            return false;
        acc = (acc << 6) | (unsigned)d;
        if (i % 4 != 0)
            s[out++] = (char)((acc >> (6 - 2 * (i % 4))) & 0xff);
    }
    /* the bits the last character leaves over must be zero */
    if ((n % 4 == 2 && (acc & 0xf)) || (n % 4 == 3 && (acc & 0x3)))
        return false;
    s[out] = '\0';
    *len = out;
    return true;
}

static int xf_eval(const struct xf_node *nd, const falco_abi_event_input *ei, xf_vals *out);

/* Appends s (up to its first NUL, as libsinsp's join and concat read a
 * value) to *buf; -1 out of memory. */
static int xf_append(char **buf, size_t *len, const char *s)
{
    size_t add = strlen(s);
    char *nb = realloc(*buf, *len + add + 1);
    if (!nb)
        return -1;
    memcpy(nb + *len, s, add + 1);
    *buf = nb;
    *len += add;
    return 0;
}

/* getopt(args, optstring)[sel], as libsinsp's getopt() transformer: scans
 * args like getopt(3) ("--" ends, "--long" is skipped, the first
 * non-option ends), an unknown option gives "?", an option with an argument
 * gives itself then its argument (the rest of the word or the next one; ""
 * when there is none); with sel, the last value of that option alone, no
 * value when it is absent. 1, 0 (no value) or -1. */
static int xf_getopt(const xf_vals *args, const char *opts, size_t optlen, char sel, xf_vals *out)
{
    bool valid[256] = { false }, with_arg[256] = { false };
    size_t k = optlen && opts[0] == ':' ? 1 : 0;
    for (; k < optlen; k++) {
        unsigned char o = (unsigned char)opts[k];
        if (o == ':')
            continue;
        valid[o] = true;
        if (k + 1 < optlen && opts[k + 1] == ':') {
            with_arg[o] = true;
            k++;
        }
    }
    const char *picked = NULL;
    size_t pickedlen = 0;
    out->list = true;
    for (size_t a = 0; a < args->n; a++) {
        const char *w = args->s[a];
        size_t wl = args->len[a];
        if (wl == 2 && w[0] == '-' && w[1] == '-')
            break;
        if (wl > 2 && w[0] == '-' && w[1] == '-')
            continue;
        if (wl < 2 || w[0] != '-')
            break;
        for (size_t i = 1; i < wl; i++) {
            unsigned char o = (unsigned char)w[i];
            if (o == ':' || !valid[o]) {
                if (!sel && xf_push(out, "?", 1) != 0)
                    return -1;
                continue;
            }
            bool match = !sel || o == (unsigned char)sel;
            if (!with_arg[o]) {
                if (match && sel)
                    picked = w + i, pickedlen = 1;
                else if (match && xf_push(out, w + i, 1) != 0)
                    return -1;
                continue;
            }
            const char *val = NULL;
            size_t vl = 0;
            if (i + 1 < wl) {
                val = w + i + 1;
                vl = wl - i - 1;
            } else if (a + 1 < args->n) {
                a++;
                val = args->s[a];
                vl = args->len[a];
            }
            if (match) {
                if (sel)
                    picked = val ? val : "", pickedlen = val ? vl : 0;
                else if (xf_push(out, val ? w + i : "", val ? 1 : 0) != 0 || (val && xf_push(out, val, vl) != 0))
                    return -1;
            }
            break;
        }
    }
    if (!sel)
        return 1;
    out->list = false;
    if (!picked)
        return 0;
    return xf_push(out, picked, pickedlen) == 0 ? 1 : -1;
}

/* Evaluates nd for ei into *out (empty on entry): 1, 0 when there is no
 * value (<NA>), -1 out of memory. */
static int xf_eval(const struct xf_node *nd, const falco_abi_event_input *ei, xf_vals *out)
{
    xf_vals a = { 0 }, b = { 0 };
    int rc = 1;
    switch (nd->kind) {
    case XF_CONST:
        return xf_push(out, nd->text, strlen(nd->text)) == 0 ? 1 : -1;
    case XF_FIELD: {
        falco_host_values v;
        if (!extract_one(nd->p, nd->x, ei, &v))
            return 0;
        out->list = v.is_list;
        for (uint64_t k = 0; k < v.count; k++) {
            const char *str = NULL;
            if (nd->is_str && falco_host_value_str(&v, k, &str) != FALCO_OK)
                return 0;
            if (xf_push(out, str, str ? strlen(str) : 0) != 0)
                return -1;
        }
        return 1;
    }
    case XF_LIST:
        out->list = true;
        for (size_t i = 0; i < nd->nkids && rc == 1; i++) {
            if ((rc = xf_eval(nd->kids[i], ei, &a)) == 1)
                for (size_t k = 0; k < a.n && rc == 1; k++)
                    rc = xf_push(out, a.s[k], a.len[k]) == 0 ? 1 : -1;
            xf_vals_free(&a);
        }
        return rc;
    case XF_TOLOWER:
    case XF_TOUPPER:
    case XF_BASENAME:
    case XF_B64:
        if ((rc = xf_eval(nd->kids[0], ei, out)) != 1)
            return rc;
        for (size_t k = 0; k < out->n; k++) {
            char *s = out->s[k];
            size_t *len = &out->len[k];
            if (nd->kind == XF_B64) {
                if (!b64_decode(s, len))
                    return 0;
            } else if (nd->kind == XF_BASENAME) {
                size_t start = *len;
                while (start > 0 && s[start - 1] != '/')
                    start--;
                memmove(s, s + start, *len - start + 1);
                *len -= start;
            } else {
                for (size_t i = 0; i < *len; i++) /* ASCII only, as in the C locale */
                    if (nd->kind == XF_TOLOWER && s[i] >= 'A' && s[i] <= 'Z')
                        s[i] = (char)(s[i] - 'A' + 'a');
                    else if (nd->kind == XF_TOUPPER && s[i] >= 'a' && s[i] <= 'z')
                        s[i] = (char)(s[i] - 'a' + 'A');
            }
        }
        return 1;
    case XF_LEN: {
        /* libsinsp's len() has no value for constants, lists and join,
         * concat or getopt: only a plugin field (transformed or not) */
        if (!nd->kids[0]->from_field)
            return 0;
        if ((rc = xf_eval(nd->kids[0], ei, &a)) == 1) {
            char num[24];
            uint64_t n = a.list ? a.n : a.n ? strnlen(a.s[0], a.len[0]) : 0;
            snprintf(num, sizeof num, "%llu", (unsigned long long)n);
            rc = xf_push(out, num, strlen(num)) == 0 ? 1 : -1;
        }
        xf_vals_free(&a);
        return rc;
    }
    case XF_JOIN:
    case XF_CONCAT: {
        char *res = malloc(1);
        size_t len = 0;
        if (!res)
            return -1;
        res[0] = '\0';
        if (nd->kind == XF_JOIN) {
            if ((rc = xf_eval(nd->kids[0], ei, &a)) == 1 && (rc = xf_eval(nd->kids[1], ei, &b)) == 1)
                for (size_t k = 0; k < b.n && rc == 1; k++)
                    if (xf_append(&res, &len, b.s[k]) != 0 || (k + 1 < b.n && xf_append(&res, &len, a.s[0]) != 0))
                        rc = -1;
        } else {
            for (size_t i = 0; i < nd->nkids && rc == 1; i++) {
                if ((rc = xf_eval(nd->kids[i], ei, &a)) == 1 && xf_append(&res, &len, a.s[0]) != 0)
                    rc = -1;
                xf_vals_free(&a);
            }
        }
        if (rc == 1 && xf_push(out, res, len) != 0)
            rc = -1;
        free(res);
        xf_vals_free(&a);
        xf_vals_free(&b);
        return rc;
    }
    case XF_GETOPT:
        if ((rc = xf_eval(nd->kids[1], ei, &b)) == 1 && (rc = xf_eval(nd->kids[0], ei, &a)) == 1)
            rc = xf_getopt(&a, b.s[0], b.len[0], nd->sel, out);
        xf_vals_free(&a);
        xf_vals_free(&b);
        return rc;
    }
    return 0;
}

/* Parses the transformer expression at s (a transformer name and '('
 * start it) into pc->expr. Returns the bytes used, or 0 with the reason in
 * err (*nomem when out of memory). */
static size_t parse_transformer(const char *s, int which, size_t tl, resolve_fn resolve, void *ctx,
                                struct run_piece *pc, char *err, size_t errlen, bool *nomem)
{
    char why[1024] = "";
    xf_parser ps = { resolve, ctx, why, sizeof why, false };
    size_t used = 0;
    /* depth 1: libsinsp's parse of the reference; 2: the call */
    pc->expr = xf_parse_call(&ps, which, s + tl + lex_blanks(s + tl), &used, 2);
    if (pc->expr)
        return tl + lex_blanks(s + tl) + used;
    *nomem = ps.nomem;
    snprintf(err, errlen, "'%%%.40s%s': %s", s, strlen(s) > 40 ? "..." : "", why);
    return 0;
}

/* Compiles the reference at s (after '%' and its width): the longest text
 * there that libsinsp's output formatter takes for a field: name[arg] when
 * that compiles, else the longest name that does (a field that takes no
 * argument followed by "[1]" is that field, then the text "[1]"). Returns
 * the bytes used, or 0 after writing the reason into err (TRY_NOMEM in
 * *nomem). */
static size_t parse_ref(const char *s, resolve_fn resolve, void *ctx, struct run_piece *pc, char *err,
                        size_t errlen, bool *nomem)
{
    char why[1024] = "", tmp[1024];
    size_t n = lex_field_name(s);
    *nomem = false;
    if (!n) {
        size_t tl = 0, id = 0;
        int which = lex_transformer(s, &tl);
        if (which >= 0)
            return parse_transformer(s, which, tl, resolve, ctx, pc, err, errlen, nomem);
        while (is_word(s[id]))
            id++;
        int w = (int)(strlen(s) > 40 ? 40 : strlen(s));
        const char *more = strlen(s) > 40 ? "..." : "";
        if (id == 3 && strncmp(s, "val(", 4) == 0)
            snprintf(err, errlen, "'%%%.*s%s': val() is for the right of a filter condition, not an output format "
                                  "(libsinsp refuses it there too)", w, s, more);
        else if (id && s[id] != '(' && s[id + lex_blanks(s + id)] == '(' && is_transformer_name(s, id))
            snprintf(err, errlen, "'%%%.*s%s': no blank may come between a field transformer and its '('", w, s, more);
        else if (id && is_alpha(s[0]) && s[id] == '(')
            snprintf(err, errlen, "'%%%.*s%s': no field transformer is named '%.*s' (output formats take " XF_NAMES ")",
                     w, s, more, (int)(id < 40 ? id : 40), s);
        else
            snprintf(err, errlen, "'%%' must be followed by a field name (e.g. %%my.field) or a field transformer "
                                  "(e.g. %%tolower(my.field)), got '%.20s'", s);
        return 0;
    }
    if (s[n] == '[') {
        char *arg;
        size_t used = lex_field_arg(s + n, &arg, tmp, sizeof tmp);
        if (!arg) {
            *nomem = true;
            return 0;
        }
        if (used) {
            int rc = try_ref(resolve, ctx, s, n, arg, pc, why, sizeof why);
            free(arg);
            if (rc == TRY_OK)
                return n + used;
            if (rc == TRY_NOMEM) {
                *nomem = true;
                return 0;
            }
        } else {
            snprintf(why, sizeof why, "field '%.*s': %.900s", (int)(n < 100 ? n : 100), s, tmp);
        }
    }
    for (size_t len = n; len > 0; len--) {
        if (len < n && !name_prefix_complete(s, len))
            continue;
        int rc = try_ref(resolve, ctx, s, len, NULL, pc, tmp, sizeof tmp);
        if (rc == TRY_OK)
            return len;
        if (rc == TRY_NOMEM) {
            *nomem = true;
            return 0;
        }
        if (len == n && rc == TRY_REFUSED && !why[0])
            snprintf(why, sizeof why, "%s", tmp);
        if (len == n && rc == TRY_NO_FIELD)
            snprintf(why, sizeof why, "%s", tmp); /* the name itself is unknown: say that */
    }
    snprintf(err, errlen, "%s", why);
    return 0;
}

/* Splits fmt as libsinsp's output formatter does: literal text, and at each
 * '%' an optional width (digits) and a field reference (parse_ref). Prints
 * the reason of a failure on stderr. */
static int parse_template(const char *fmt, run_template *t, resolve_fn resolve, void *ctx)
{
    const char *s = fmt;
    char err[1100];
    while (1) {
        const char *pct = strchr(s, '%');
        struct run_piece *np = realloc(t->pieces, (t->count + 1) * sizeof *np);
        if (!np)
            goto nomem;
        t->pieces = np;
        struct run_piece *pc = &t->pieces[t->count++];
        size_t lit = pct ? (size_t)(pct - s) : strlen(s);
        pc->x = NULL;
        pc->p = NULL;
        pc->expr = NULL;
        pc->width = 0;
        pc->text = malloc(lit + 1);
        if (!pc->text)
            goto nomem;
        memcpy(pc->text, s, lit);
        pc->text[lit] = '\0';
        if (!pct)
            return 0;
        const char *ref = pct + 1;
        if (!*ref) {
            snprintf(err, sizeof err, "the format cannot end with a '%%'");
            goto bad;
        }
        long width = 0;
        while (*ref >= '0' && *ref <= '9') {
            if (width < 1000000)
                width = width * 10 + (*ref - '0');
            ref++;
        }
        if (!*ref) {
            snprintf(err, sizeof err, "the format cannot end with a number after '%%'");
            goto bad;
        }
        pc->width = (int)(width < 1000000 ? width : 1000000);
        bool nomem;
        size_t used = parse_ref(ref, resolve, ctx, pc, err, sizeof err, &nomem);
        if (nomem)
            goto nomem;
        if (!used)
            goto bad;
        s = ref + used;
    }
nomem:
    fputs("falcoplug run: -o: out of memory\n", stderr);
    return -1;
bad:
    fputs("falcoplug run: -o: ", stderr);
    falcoplug_put_str(stderr, err);
    fputc('\n', stderr);
    return -1;
}

static int resolve_one(void *ctx, const char *expr, struct run_piece *pc, char *err, size_t errlen)
{
    pc->p = ctx;
    falco_rc rc = falco_host_extractor_new(pc->p, expr, &pc->x);
    if (rc == FALCO_OK)
        return TRY_OK;
    if (rc == FALCO_ENOMEM)
        return TRY_NOMEM;
    snprintf(err, errlen, "%s", falco_host_errmsg(pc->p));
    return rc == FALCO_ENOTFOUND ? TRY_NO_FIELD : TRY_REFUSED;
}

int run_template_parse(falco_host_plugin *p, const char *fmt, run_template *t)
{
    return parse_template(fmt, t, resolve_one, p);
}

typedef struct multi_ctx {
    falco_host_plugin *const *ps;
    size_t n;
    const char *source;
} multi_ctx;

/* An empty extract source list takes every source. */
static bool extracts_from(falco_host_plugin *p, const char *source)
{
    falco_string_list l = falco_host_plugin_extract_sources(p);
    for (size_t i = 0; i < l.count; i++)
        if (strcmp(l.items[i], source) == 0)
            return true;
    return l.count == 0;
}

static int resolve_multi(void *ctx, const char *expr, struct run_piece *pc, char *err, size_t errlen)
{
    multi_ctx *m = ctx;
    /* two passes: the plugins that extract from the run's source, then any */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < m->n; i++) {
            falco_host_plugin *p = m->ps[i];
            if (!(falco_host_plugin_caps(p) & FALCO_HOST_CAP_EXTRACT) || extracts_from(p, m->source) == pass)
                continue;
            falco_rc rc = falco_host_extractor_new(p, expr, &pc->x);
            if (rc == FALCO_OK) {
                pc->p = p;
                return TRY_OK;
            }
            if (rc == FALCO_ENOMEM)
                return TRY_NOMEM;
            if (rc != FALCO_ENOTFOUND) { /* the field exists: its argument is wrong */
                snprintf(err, errlen, "%s", falco_host_errmsg(p));
                return TRY_REFUSED;
            }
        }
    }
    snprintf(err, errlen, "no loaded plugin has a field '%s'", expr);
    return TRY_NO_FIELD;
}

int run_template_parse_multi(falco_host_plugin *const *ps, size_t n, const char *source, const char *fmt,
                             run_template *t)
{
    multi_ctx m = { ps, n, source };
    return parse_template(fmt, t, resolve_multi, &m);
}

/* Extraction failures. libsinsp takes a failed extract_fields for no value
 * (<NA> in an output, false in a condition) and says nothing; falcoplug
 * prints <NA> too, and the plugin's message on stderr once per distinct
 * message (the first FAIL_SHOWN of them), then a count at the end. */
#define FAIL_SHOWN 10
static struct {
    char *msgs[FAIL_SHOWN];
    size_t shown;
    unsigned long long total;
    bool more; /* a distinct message beyond the first FAIL_SHOWN was not shown */
} fails;

static void extract_failed(falco_host_plugin *p)
{
    const char *msg = falco_host_errmsg(p);
    fails.total++;
    for (size_t i = 0; i < fails.shown; i++)
        if (strcmp(fails.msgs[i], msg) == 0)
            return;
    char *copy = fails.shown < FAIL_SHOWN ? strdup(msg) : NULL;
    if (!copy) {
        fails.more = true;
        return;
    }
    fails.msgs[fails.shown++] = copy;
    fputs("falcoplug run: ", stderr);
    falcoplug_put_str(stderr, msg);
    fputs(" (printed as no value, <NA>, as libsinsp does)\n", stderr);
}

void run_extract_report(void)
{
    if (fails.total)
        fprintf(stderr,
                "falcoplug run: %llu field extraction%s failed and printed no value (%zu distinct message%s "
                "shown above%s)\n",
                fails.total, fails.total == 1 ? "" : "s", fails.shown, fails.shown == 1 ? "" : "s",
                fails.more ? "; others not shown" : "");
    for (size_t i = 0; i < fails.shown; i++)
        free(fails.msgs[i]);
    memset(&fails, 0, sizeof fails);
}

/* Extracts x from ei: 1 with values in *v, 0 when there is none (no value,
 * an event the plugin does not extract from, or a failure: reported by
 * extract_failed). */
static int extract_one(falco_host_plugin *p, falco_host_extractor *x, const falco_abi_event_input *ei,
                       falco_host_values *v)
{
    falco_rc rc = falco_host_extract(x, ei, false, v);
    if (rc == FALCO_NOT_SUPPORTED || (rc == FALCO_OK && v->count == 0))
        return 0;
    if (rc != FALCO_OK) {
        extract_failed(p);
        return 0;
    }
    return 1;
}

/* Value k of v as text into *buf (grown from the caller's stack buffer as
 * needed). -1 when out of memory, -2 for a value libsinsp refuses to print
 * (an ipaddr of a size other than 4 or 16). */
static int format_value(const falco_host_values *v, uint64_t k, char **buf, size_t *cap, char *stack)
{
    falco_rc rc;
    while ((rc = falco_host_value_format(v, k, *buf, *cap)) == FALCO_ETRUNCATED) {
        char *grown = malloc(2 * *cap);
        if (!grown)
            return -1;
        if (*buf != stack)
            free(*buf);
        *buf = grown;
        *cap *= 2;
    }
    return rc == FALCO_EINVAL ? -2 : 0; /* any other failure left "" in *buf */
}

/* Values of field `name` on event evtnum as text on out, whole and on one
 * line (falcoplug_put_text): one as is, a list as (a,b). Returns -1 when
 * out of memory or on a value libsinsp would stop on (message on stderr:
 * the run stops too). */
static int put_values(FILE *out, const falco_host_values *v, const char *name, uint64_t evtnum)
{
    char stack[64], *buf = stack;
    size_t cap = sizeof stack;
    int ret = 0;
    uint64_t k = 0;
    if (v->is_list)
        fputc('(', out);
    for (; k < v->count; k++) {
        if (k)
            fputc(',', out);
        const char *str;
        if (falco_host_value_str(v, k, &str) == FALCO_OK)
            falcoplug_put_str(out, str);
        else if ((ret = format_value(v, k, &buf, &cap, stack)) == 0)
            falcoplug_put_str(out, buf);
        else
            break;
    }
    if (v->is_list && ret == 0)
        fputc(')', out);
    if (buf != stack)
        free(buf);
    if (ret == -2) {
        const void *ptr;
        uint32_t len = 0;
        (void)falco_host_value_buf(v, k, &ptr, &len);
        fflush(stdout);
        fputs("\nfalcoplug run: field '", stderr);
        falcoplug_put_str(stderr, name);
        fprintf(stderr,
                "' on event #%llu: an ipaddr value of %u bytes, which libsinsp refuses to print (it stops the run: "
                "\"IP address of incorrect size\"); an address is 4 (IPv4) or 16 (IPv6) bytes\n",
                (unsigned long long)evtnum, len);
        return -1;
    }
    if (ret != 0) {
        fflush(stdout);
        fprintf(stderr, "\nfalcoplug run: out of memory formatting a value\n");
    }
    return ret;
}

/* A transformer's values on out as libsinsp prints them: each string up to
 * its first NUL, a list as (a,b) (an empty one "()"), no value as <NA>.
 * -1 out of memory (message on stderr). */
static int put_expr(FILE *out, const struct xf_node *nd, const falco_abi_event_input *ei)
{
    xf_vals v = { 0 };
    int rc = xf_eval(nd, ei, &v);
    if (rc == 1) {
        if (v.list)
            fputc('(', out);
        for (size_t k = 0; k < v.n; k++) {
            if (k)
                fputc(',', out);
            falcoplug_put_str(out, v.s[k]);
        }
        if (v.list)
            fputc(')', out);
    } else if (rc == 0) {
        fputs("<NA>", out);
    } else {
        fflush(stdout);
        fprintf(stderr, "\nfalcoplug run: out of memory applying a field transformer\n");
    }
    xf_vals_free(&v);
    return rc < 0 ? -1 : 0;
}

/* One field of a template: its values, or <NA>, on out. -1 out of memory. */
static int put_piece(FILE *out, const struct run_piece *pc, const falco_abi_event_input *ei)
{
    if (pc->expr)
        return put_expr(out, pc->expr, ei);
    falco_host_values v;
    if (extract_one(pc->p, pc->x, ei, &v))
        return put_values(out, &v, falco_host_extractor_field(pc->x)->name, ei->evtnum);
    fputs("<NA>", out);
    return 0;
}

/* A field with a width (%<N>field): its text padded with spaces or cut to
 * N bytes, as libsinsp does (a multi-byte character cut in two prints its
 * remaining bytes as '.'). -1 out of memory. */
static int put_piece_width(FILE *out, const struct run_piece *pc, const falco_abi_event_input *ei)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    int ret = m ? put_piece(m, pc, ei) : -1;
    bool no_memory = !m; /* put_piece says why it failed */
    if (m && fclose(m) != 0) {
        ret = -1;
        no_memory = true;
    }
    if (ret == 0) {
        size_t w = (size_t)pc->width;
        falcoplug_put_text(out, text, len < w ? len : w);
        for (size_t i = len; i < w; i++)
            fputc(' ', out);
    } else if (no_memory) {
        fprintf(stderr, "\nfalcoplug run: out of memory formatting a value\n");
    }
    free(text);
    return ret;
}

/* The line is made whole before it is printed: a value the run stops on
 * (see put_values) leaves no half line, as in libsinsp. */
int run_template_print(falco_host_plugin *p, const run_template *t, const falco_abi_event_input *ei)
{
    (void)p;
    char *line = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&line, &len);
    if (!m) {
        fprintf(stderr, "falcoplug run: out of memory formatting a line\n");
        return -1;
    }
    int ret = fprintf(m, "%llu ", (unsigned long long)ei->evtnum) < 0 ? -1 : 0;
    for (size_t i = 0; i < t->count && ret == 0; i++) {
        const struct run_piece *pc = &t->pieces[i];
        fputs(pc->text, m);
        if (pc->x || pc->expr)
            ret = pc->width ? put_piece_width(m, pc, ei) : put_piece(m, pc, ei);
    }
    if (fclose(m) != 0 && ret == 0) {
        fprintf(stderr, "falcoplug run: out of memory formatting a line\n");
        ret = -1;
    }
    if (ret == 0) {
        fwrite(line, 1, len, stdout);
        fputc('\n', stdout);
    }
    free(line);
    return ret;
}

int run_print_field_values(falco_host_plugin *p, const falco_abi_event_input *ei)
{
    if (!(falco_host_plugin_caps(p) & FALCO_HOST_CAP_EXTRACT))
        return 0;
    const char *sep = " | ";
    for (size_t i = 0; i < falco_host_field_count(p); i++) {
        const falco_host_field *f = falco_host_field_at(p, i);
        falco_host_extractor *x;
        if (f->is_list || f->arg_required || falco_host_extractor_new(p, f->name, &x) != FALCO_OK)
            continue;
        falco_host_values v;
        int got = extract_one(p, x, ei, &v);
        if (got > 0) {
            fputs(sep, stdout);
            falcoplug_put_str(stdout, f->name);
            fputc('=', stdout);
            if (put_values(stdout, &v, f->name, ei->evtnum) != 0)
                got = -1;
            sep = " ";
        }
        falco_host_extractor_free(x);
        if (got < 0)
            return -1;
    }
    return 0;
}
