/*
 * run_template.c - what `falcoplug run` prints for an event: the -o template
 * (%field and %field[arg] replaced by extracted values), the default list of
 * field values, and the --type selection of event codes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <falco/event.h>

#include "falcoplug.h"
#include "run.h"

struct run_piece {
    char *text;               /* literal text before the field, owned */
    falco_host_extractor *x;  /* NULL for the trailing literal */
    falco_host_plugin *p;     /* the plugin x extracts with */
    int width;                /* %<N>field: the value padded or cut to N bytes; 0 as is */
};

void run_template_free(run_template *t)
{
    for (size_t i = 0; i < t->count; i++) {
        free(t->pieces[i].text);
        falco_host_extractor_free(t->pieces[i].x);
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

/* The argument in brackets at s (s[0] == '['), as libsinsp's filter parser
 * reads it: a quoted string ('...' or "...", ending at a quote not after a
 * backslash, with its escapes decoded) or a bare one (no brackets, quotes
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
        char q = s[i], prev = q;
        size_t start = ++i;
        while (s[i] && !(s[i] == q && prev != '\\')) {
            prev = s[i];
            i++;
        }
        if (!s[i]) {
            snprintf(err, errlen, "unterminated quoted argument");
            goto fail;
        }
        for (size_t k = start; k < i; k++) {
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
                    goto fail;
                }
                d = e;
                break;
            default:
                snprintf(err, errlen, "unsupported escape sequence in the argument: \\%c", e);
                goto fail;
            }
            out[n++] = d;
        }
        i++;
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

static const char *const transformers[] = { "tolower(", "toupper(", "b64(", "basename(", "len(", "join(" };

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
        for (size_t i = 0; i < sizeof transformers / sizeof transformers[0]; i++)
            if (strncmp(s, transformers[i], strlen(transformers[i])) == 0) {
                snprintf(err, errlen, "'%%%.*s...': field transformers are not supported", (int)strlen(transformers[i]),
                         s);
                return 0;
            }
        snprintf(err, errlen, "'%%' must be followed by a field name (e.g. %%my.field), got '%.20s'", s);
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
 * needed: hex buffers grow with the value). -1 when out of memory. */
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
    return 0; /* any other failure left "" in *buf */
}

/* Values as text on out, whole and on one line (falcoplug_put_text): one as
 * is, a list as (a,b). Returns -1 when out of memory (message on stderr). */
static int put_values(FILE *out, const falco_host_values *v)
{
    char stack[64], *buf = stack;
    size_t cap = sizeof stack;
    int ret = 0;
    if (v->is_list)
        fputc('(', out);
    for (uint64_t k = 0; k < v->count && ret == 0; k++) {
        if (k)
            fputc(',', out);
        const char *str;
        if (falco_host_value_str(v, k, &str) == FALCO_OK)
            falcoplug_put_str(out, str);
        else if ((ret = format_value(v, k, &buf, &cap, stack)) == 0)
            falcoplug_put_str(out, buf);
    }
    if (v->is_list)
        fputc(')', out);
    if (buf != stack)
        free(buf);
    if (ret != 0) {
        fflush(stdout);
        fprintf(stderr, "\nfalcoplug run: out of memory formatting a value\n");
    }
    return ret;
}

/* One field of a template: its values, or <NA>, on out. -1 out of memory. */
static int put_piece(FILE *out, const struct run_piece *pc, const falco_abi_event_input *ei)
{
    falco_host_values v;
    if (extract_one(pc->p, pc->x, ei, &v))
        return put_values(out, &v);
    fputs("<NA>", out);
    return 0;
}

/* A field with a width (%<N>field): its text padded with spaces or cut to
 * N bytes, as libsinsp does (a multi-byte character cut in two prints its
 * remaining bytes as '.'). -1 out of memory. */
static int put_piece_width(const struct run_piece *pc, const falco_abi_event_input *ei)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    int ret = m ? put_piece(m, pc, ei) : -1;
    if (m && fclose(m) != 0)
        ret = -1;
    if (ret == 0) {
        size_t w = (size_t)pc->width;
        falcoplug_put_text(stdout, text, len < w ? len : w);
        for (size_t i = len; i < w; i++)
            fputc(' ', stdout);
    } else {
        fprintf(stderr, "\nfalcoplug run: out of memory formatting a value\n");
    }
    free(text);
    return ret;
}

int run_template_print(falco_host_plugin *p, const run_template *t, const falco_abi_event_input *ei)
{
    (void)p;
    printf("%llu ", (unsigned long long)ei->evtnum);
    for (size_t i = 0; i < t->count; i++) {
        const struct run_piece *pc = &t->pieces[i];
        fputs(pc->text, stdout);
        if (pc->x && (pc->width ? put_piece_width(pc, ei) : put_piece(stdout, pc, ei)) != 0)
            return -1;
    }
    fputc('\n', stdout);
    return 0;
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
            if (put_values(stdout, &v) != 0)
                got = -1;
            sep = " ";
        }
        falco_host_extractor_free(x);
        if (got < 0)
            return -1;
    }
    return 0;
}
