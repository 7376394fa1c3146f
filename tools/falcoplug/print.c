/* print.c - output helpers shared by the falcoplug commands. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <falco/json.h>

#include "falcoplug.h"

static void print_string(FILE *out, const char *s, size_t len)
{
    fputc('"', out);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", out);
        else if (c < 0x20 || c == 0x7f)
            fprintf(out, "\\u%04x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

static void print_value(FILE *out, const falco_json_value *v, const char *indent, int depth)
{
    size_t n = falco_json_size(v), len;
    bool b;
    switch (falco_json_type_of(v)) {
    case FALCO_JSON_NULL: fputs("null", out); return;
    case FALCO_JSON_BOOL: falco_json_bool(v, &b); fputs(b ? "true" : "false", out); return;
    case FALCO_JSON_NUMBER: fputs(falco_json_number_text(v, NULL), out); return;
    case FALCO_JSON_STRING: {
        const char *s = falco_json_string(v, &len);
        print_string(out, s, len);
        return;
    }
    case FALCO_JSON_ARRAY:
    case FALCO_JSON_OBJECT: {
        bool obj = falco_json_type_of(v) == FALCO_JSON_OBJECT;
        if (!n) {
            fputs(obj ? "{}" : "[]", out);
            return;
        }
        fputs(obj ? "{\n" : "[\n", out);
        for (size_t i = 0; i < n; i++) {
            fprintf(out, "%s%*s", indent, 2 * (depth + 1), "");
            if (obj) {
                const char *k = falco_json_key_at(v, i, &len);
                print_string(out, k, len);
                fputs(": ", out);
            }
            print_value(out, falco_json_at(v, i), indent, depth + 1);
            fputs(i + 1 < n ? ",\n" : "\n", out);
        }
        fprintf(out, "%s%*s%s", indent, 2 * depth, "", obj ? "}" : "]");
        return;
    }
    }
}

void falcoplug_print_json(FILE *out, const char *text, const char *indent)
{
    falco_json_doc *doc = falco_json_doc_new();
    const falco_json_value *root = doc ? falco_json_parse(doc, text, strlen(text), NULL) : NULL;
    fputs(indent, out);
    if (root)
        print_value(out, root, indent, 0);
    else
        falcoplug_put_str(out, text);
    fputc('\n', out);
    falco_json_doc_free(doc);
}

/* Length of the one character at s (left bytes) when it is safe to show:
 * printable ASCII, or a well-formed UTF-8 sequence (no overlong form, no
 * surrogate, at most U+10FFFF) other than a C1 control (U+0080..U+009F,
 * which some terminals obey like ESC sequences). 0 when the byte is not. */
static size_t safe_char(const unsigned char *s, size_t left)
{
    unsigned c = s[0];
    if (c >= 0x20 && c < 0x7f)
        return 1;
    size_t n;
    unsigned lo = 0x80, hi = 0xbf; /* range of the second byte */
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
        if (c == 0xc2)
            lo = 0xa0; /* U+0080..U+009F are the C1 controls */
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        if (c == 0xe0)
            lo = 0xa0;
        else if (c == 0xed)
            hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        if (c == 0xf0)
            lo = 0x90;
        else if (c == 0xf4)
            hi = 0x8f;
    } else {
        return 0;
    }
    if (left < n || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if (s[i] < 0x80 || s[i] > 0xbf)
            return 0;
    return n;
}

void falcoplug_put_text(FILE *out, const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t run = 0; /* start of the safe bytes not written yet */
    for (size_t i = 0; i < len;) {
        size_t n = safe_char(u + i, len - i);
        if (n) {
            i += n;
            continue;
        }
        fwrite(s + run, 1, i - run, out);
        fputc('.', out);
        run = ++i;
    }
    fwrite(s + run, 1, len - run, out);
}

void falcoplug_put_str(FILE *out, const char *s)
{
    if (s)
        falcoplug_put_text(out, s, strlen(s));
}

char *falcoplug_clean_text(char *s)
{
    unsigned char *u = (unsigned char *)s;
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        size_t n = safe_char(u + i, len - i);
        if (!n) {
            u[i] = '.';
            n = 1;
        }
        i += n;
    }
    return s;
}

/* errno of the first failed write to stdout, 0 while none is known. */
static int stdout_errno;

bool falcoplug_stdout_ok(void)
{
    if (!ferror(stdout))
        return true;
    if (!stdout_errno)
        stdout_errno = errno; /* best effort: right after the failed call */
    return false;
}

bool falcoplug_flush_stdout(void)
{
    if (fflush(stdout) != 0 && !stdout_errno)
        stdout_errno = errno;
    return falcoplug_stdout_ok();
}

const char *falcoplug_stdout_error(void)
{
    return stdout_errno ? strerror(stdout_errno) : NULL;
}

/* Plugin log lines on stderr, one line each; debug and trace only with
 * FALCOPLUG_DEBUG set. */
static void cli_log(void *userdata, const char *component, const char *msg, falco_abi_log_severity sev)
{
    (void)userdata;
    if (sev > FALCO_ABI_LOG_INFO && !getenv("FALCOPLUG_DEBUG"))
        return;
    fprintf(stderr, "[%s] ", falco_host_severity_name(sev));
    falcoplug_put_str(stderr, component);
    fputs(": ", stderr);
    falcoplug_put_str(stderr, msg);
    fputc('\n', stderr);
}

void falcoplug_set_log(falco_host_plugin *p)
{
    falco_host_set_log(p, cli_log, NULL);
}
