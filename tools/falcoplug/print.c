/* print.c - output helpers shared by the falcoplug commands. */
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
        else if (c < 0x20)
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
        fputs(text, out);
    fputc('\n', out);
    falco_json_doc_free(doc);
}

/* Plugin log lines on stderr; debug and trace only with FALCOPLUG_DEBUG set. */
static void cli_log(void *userdata, const char *component, const char *msg, falco_abi_log_severity sev)
{
    (void)userdata;
    if (sev > FALCO_ABI_LOG_INFO && !getenv("FALCOPLUG_DEBUG"))
        return;
    fprintf(stderr, "[%s] %s: %s\n", falco_host_severity_name(sev), component, msg);
}

void falcoplug_set_log(falco_host_plugin *p)
{
    falco_host_set_log(p, cli_log, NULL);
}
