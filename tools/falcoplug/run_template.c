/*
 * run_template.c - what `falcoplug run` prints for an event: the -o template
 * (%field and %field[arg] replaced by extracted values), the default list of
 * field values, and the --type selection of event codes.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <falco/event.h>

#include "run.h"

struct run_piece {
    char *text;               /* literal text before the field, owned */
    falco_host_extractor *x;  /* NULL for the trailing literal */
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

static bool name_char(char c)
{
    return isalnum((unsigned char)c) || c == '.' || c == '_' || c == '-';
}

int run_template_parse(falco_host_plugin *p, const char *fmt, run_template *t)
{
    const char *s = fmt;
    while (1) {
        const char *pct = strchr(s, '%');
        while (pct && !name_char(pct[1]))
            pct = strchr(pct + 1, '%');
        struct run_piece *np = realloc(t->pieces, (t->count + 1) * sizeof *np);
        if (!np)
            return -1;
        t->pieces = np;
        struct run_piece *pc = &t->pieces[t->count++];
        size_t lit = pct ? (size_t)(pct - s) : strlen(s);
        pc->x = NULL;
        pc->text = malloc(lit + 1);
        if (!pc->text)
            return -1;
        memcpy(pc->text, s, lit);
        pc->text[lit] = '\0';
        if (!pct)
            return 0;
        const char *end = pct + 1;
        while (name_char(*end))
            end++;
        if (*end == '[') {
            const char *close = strchr(end, ']');
            end = close ? close + 1 : end + strlen(end);
        }
        char expr[512];
        snprintf(expr, sizeof expr, "%.*s", (int)(end - pct - 1), pct + 1);
        if (falco_host_extractor_new(p, expr, &pc->x) != FALCO_OK)
            return -1;
        s = end;
    }
}

/* Extracts x from ei: 1 with values in *v, 0 when there is none (no value,
 * or an event the plugin does not extract from), -1 on a failure (message
 * on stderr). */
static int extract_one(falco_host_plugin *p, falco_host_extractor *x, const falco_abi_event_input *ei,
                       falco_host_values *v)
{
    falco_rc rc = falco_host_extract(x, ei, false, v);
    if (rc == FALCO_NOT_SUPPORTED || (rc == FALCO_OK && v->count == 0))
        return 0;
    if (rc != FALCO_OK) {
        fflush(stdout);
        fprintf(stderr, "\nfalcoplug run: %s\n", falco_host_errmsg(p));
        return -1;
    }
    return 1;
}

/* Values as text: one as is, a list as (a,b). */
static void put_values(const falco_host_values *v)
{
    char buf[4096];
    if (v->is_list)
        fputc('(', stdout);
    for (uint64_t k = 0; k < v->count; k++) {
        falco_host_value_format(v, k, buf, sizeof buf); /* truncation keeps a prefix */
        printf("%s%s", k ? "," : "", buf);
    }
    if (v->is_list)
        fputc(')', stdout);
}

int run_template_print(falco_host_plugin *p, const run_template *t, const falco_abi_event_input *ei)
{
    printf("%llu ", (unsigned long long)ei->evtnum);
    for (size_t i = 0; i < t->count; i++) {
        fputs(t->pieces[i].text, stdout);
        if (!t->pieces[i].x)
            continue;
        falco_host_values v;
        int got = extract_one(p, t->pieces[i].x, ei, &v);
        if (got < 0)
            return -1;
        if (got)
            put_values(&v);
        else
            fputs("<NA>", stdout);
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
            printf("%s%s=", sep, f->name);
            put_values(&v);
            sep = " ";
        }
        falco_host_extractor_free(x);
        if (got < 0)
            return -1;
    }
    return 0;
}

