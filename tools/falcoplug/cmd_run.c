/*
 * cmd_run.c - `falcoplug run PLUGIN [--config JSON] [--open PARAMS] [-n N]
 * [-o TEMPLATE]`: opens the plugin's source and prints one line per event:
 * "<evtnum> ts=<ts> <event_to_string>", or "<evtnum> <template>" where each
 * %field.name or %field.name[arg] is replaced by its extracted value
 * (lists as (a,b), no value as <NA>). Stops at EOF or after N events.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "falcoplug.h"

typedef struct piece {
    char *text;               /* literal text before the field, owned */
    falco_host_extractor *x;  /* NULL for the trailing literal */
} piece;

typedef struct template {
    piece *pieces;
    size_t count;
} template;

static void template_free(template *t)
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

/* Splits fmt into literal + field pieces and compiles each field. */
static int template_parse(falco_host_plugin *p, const char *fmt, template *t)
{
    const char *s = fmt;
    while (1) {
        const char *pct = strchr(s, '%');
        while (pct && !name_char(pct[1]))
            pct = strchr(pct + 1, '%');
        piece *np = realloc(t->pieces, (t->count + 1) * sizeof *np);
        if (!np)
            return -1;
        t->pieces = np;
        piece *pc = &t->pieces[t->count++];
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

/* Prints the template for one event; returns -1 on an extraction error. */
static int template_print(falco_host_plugin *p, template *t, const falco_abi_event_input *ei)
{
    char buf[4096];
    for (size_t i = 0; i < t->count; i++) {
        fputs(t->pieces[i].text, stdout);
        if (!t->pieces[i].x)
            continue;
        falco_host_values v;
        falco_rc rc = falco_host_extract(t->pieces[i].x, ei, false, &v);
        if (rc == FALCO_NOT_SUPPORTED || (rc == FALCO_OK && v.count == 0)) {
            fputs("<NA>", stdout);
            continue;
        }
        if (rc != FALCO_OK) {
            fflush(stdout);
            fprintf(stderr, "\nfalcoplug run: %s\n", falco_host_errmsg(p));
            return -1;
        }
        if (v.is_list)
            fputc('(', stdout);
        for (uint64_t k = 0; k < v.count; k++) {
            falco_host_value_format(&v, k, buf, sizeof buf); /* truncation keeps a prefix */
            printf("%s%s", k ? "," : "", buf);
        }
        if (v.is_list)
            fputc(')', stdout);
    }
    fputc('\n', stdout);
    return 0;
}

static void usage(FILE *out)
{
    fprintf(out, "usage: falcoplug run PLUGIN [--config JSON] [--open PARAMS] [-n N] [-o TEMPLATE]\n\n"
                 "Opens PLUGIN's event source and prints one line per event:\n"
                 "  <evtnum> ts=<ts> <event_to_string>      by default\n"
                 "  <evtnum> <TEMPLATE>                      with -o, where %%name or %%name[arg]\n"
                 "                                          is replaced by the extracted value\n"
                 "                                          (lists as (a,b), no value as <NA>)\n"
                 "Stops at EOF (\"EOF after N events\") or after -n N events (\"stopped after N events\").\n"
                 "Exit status: 0 success, 1 any failure (load, init, open, batch, extraction), 2 usage.\n");
}

static int run(falco_host_plugin *p, const char *params, unsigned long long limit, template *t)
{
    falco_host_instance *in;
    if (falco_host_open(p, params, &in) != FALCO_OK) {
        fprintf(stderr, "falcoplug run: %s\n", falco_host_errmsg(p));
        return 1;
    }
    int status = 0;
    unsigned long long n = 0;
    const falco_abi_event *ev;
    while (!limit || n < limit) {
        falco_rc rc = falco_host_next(in, &ev);
        if (rc == FALCO_TIMEOUT) {
            struct timespec ts = { 0, 1000000 };
            nanosleep(&ts, NULL);
            continue;
        }
        if (rc == FALCO_EOF) {
            printf("EOF after %llu events\n", n);
            break;
        }
        if (rc != FALCO_OK) {
            fprintf(stderr, "falcoplug run: %s\n", falco_host_errmsg(p));
            status = 1;
            break;
        }
        n++;
        falco_abi_event_input ei = { ev, falco_host_instance_evtnum(in), NULL };
        if (t->count) {
            printf("%llu ", (unsigned long long)ei.evtnum);
            if (template_print(p, t, &ei) != 0) {
                status = 1;
                break;
            }
        } else {
            const char *text;
            if (falco_host_event_to_string(p, &ei, &text) != FALCO_OK)
                text = falco_host_errmsg(p);
            printf("%llu ts=%llu %s\n", (unsigned long long)ei.evtnum, (unsigned long long)ev->ts, text);
        }
    }
    if (limit && n == limit)
        printf("stopped after %llu events\n", n);
    falco_host_close(in);
    return status;
}

int falcoplug_run_main(int argc, char **argv)
{
    const char *path = NULL, *config = NULL, *params = "", *fmt = NULL;
    unsigned long long limit = 0;
    if (falcoplug_wants_help(argc, argv)) {
        usage(stdout);
        return 0;
    }
    for (int i = 1; i < argc; i++) {
        bool has_value = i + 1 < argc;
        if (strcmp(argv[i], "--config") == 0 && has_value) {
            config = argv[++i];
        } else if (strcmp(argv[i], "--open") == 0 && has_value) {
            params = argv[++i];
        } else if (strcmp(argv[i], "-o") == 0 && has_value) {
            fmt = argv[++i];
        } else if (strcmp(argv[i], "-n") == 0 && has_value) {
            char *end;
            limit = strtoull(argv[++i], &end, 10);
            if (*end || !limit || argv[i][0] == '-') {
                fprintf(stderr, "falcoplug run: -n wants a positive number, got '%s'\n", argv[i]);
                return 2;
            }
        } else if (argv[i][0] != '-' && !path) {
            path = argv[i];
        } else {
            fprintf(stderr, "falcoplug run: unexpected argument '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    if (!path) {
        fprintf(stderr, "falcoplug run: missing PLUGIN\n");
        usage(stderr);
        return 2;
    }
    falco_host_plugin *p;
    template t = { NULL, 0 };
    int status = 1;
    falco_rc rc = falco_host_plugin_load(path, &p);
    if (rc == FALCO_OK) {
        falcoplug_set_log(p);
        rc = falco_host_plugin_init(p, config);
    }
    if (rc != FALCO_OK) {
        fprintf(stderr, "falcoplug run: %s\n", falco_host_errmsg(p));
    } else if (!(falco_host_plugin_caps(p) & FALCO_HOST_CAP_SOURCE)) {
        fprintf(stderr, "falcoplug run: plugin '%s' has no event sourcing capability\n", falco_host_plugin_name(p));
    } else if (fmt && template_parse(p, fmt, &t) != 0) {
        fprintf(stderr, "falcoplug run: %s\n", falco_host_errmsg(p));
    } else {
        status = run(p, params, limit, &t);
    }
    template_free(&t);
    falco_host_plugin_free(p);
    return status;
}
