/*
 * cmd_info.c - `falcoplug info PLUGIN`: everything the plugin declares.
 * Init is attempted with an empty config for what only exists after it
 * (event types, open params); its failure is reported, not fatal.
 */
#include <stdlib.h>
#include <string.h>

#include "falcoplug.h"

/* "label: value\n" with value from the plugin, on one line. */
static void print_str(const char *label, const char *value)
{
    printf("%s: ", label);
    falcoplug_put_str(stdout, value);
    fputc('\n', stdout);
}

/* s from the plugin, then spaces up to width columns (as printf's %-*s). */
static void put_padded(const char *s, int width)
{
    falcoplug_put_str(stdout, s);
    for (int n = (int)strlen(s); n < width; n++)
        fputc(' ', stdout);
}

static void print_list(const char *label, falco_string_list l, const char *empty)
{
    printf("%s: ", label);
    if (!l.count)
        printf("%s", empty);
    for (size_t i = 0; i < l.count; i++) {
        fputs(i ? ", " : "", stdout);
        falcoplug_put_str(stdout, l.items[i]);
    }
    printf("\n");
}

static void print_caps(unsigned caps)
{
    static const struct {
        unsigned cap;
        const char *name;
    } names[] = {
        { FALCO_HOST_CAP_SOURCE, "source" }, { FALCO_HOST_CAP_EXTRACT, "extract" }, { FALCO_HOST_CAP_PARSE, "parse" },
        { FALCO_HOST_CAP_ASYNC, "async" },   { FALCO_HOST_CAP_LISTEN, "listen" },
    };
    printf("capabilities:");
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (caps & names[i].cap)
            printf(" %s", names[i].name);
    printf("\n");
}

static void count_event(void *userdata, falco_host_plugin *p, const falco_abi_event *evt)
{
    (void)p, (void)evt;
    (*(size_t *)userdata)++;
}

/* What dump_state gives right after init: the plugin's state dump is
 * requested by the host (libsinsp: when a capture is written), any time. */
static void print_dump_state(falco_host_plugin *p)
{
    size_t n = 0;
    falco_rc rc = falco_host_dump_state(p, count_event, &n);
    if (rc == FALCO_NOT_SUPPORTED)
        printf("dump state: no\n");
    else if (rc != FALCO_OK)
        print_str("dump state: failed", falco_host_errmsg(p));
    else
        printf("dump state: yes (%zu event%s after init)\n", n, n == 1 ? "" : "s");
}

/* Capture listening: capture_open then capture_close, as a host does
 * around a capture; routines subscribed in between are not run. */
static void print_listen(falco_host_plugin *p)
{
    if (falco_host_capture_open(p) != FALCO_OK) {
        print_str("capture open: failed", falco_host_errmsg(p));
        return;
    }
    if (falco_host_capture_close(p) != FALCO_OK)
        print_str("capture close: failed", falco_host_errmsg(p));
    else
        printf("capture open/close: ok\n");
}

static void print_types(const char *label, const uint16_t *codes, size_t n, bool all)
{
    printf("%s: ", label);
    if (all)
        printf("all");
    for (size_t i = 0; i < n; i++)
        printf("%s%u", i ? ", " : "", codes[i]);
    printf("\n");
}

static void print_fields(const falco_host_plugin *p)
{
    size_t n = falco_host_field_count(p);
    printf("fields (%zu):\n", n);
    printf("  %-24s %-8s %-4s %-14s %-12s %s\n", "NAME", "TYPE", "LIST", "ARG", "DISPLAY", "DESCRIPTION");
    for (size_t i = 0; i < n; i++) {
        const falco_host_field *f = falco_host_field_at(p, i);
        char arg[32] = "-";
        if (f->arg_index || f->arg_key)
            snprintf(arg, sizeof arg, "%s%s%s", f->arg_index ? "index" : "", f->arg_index && f->arg_key ? "," : "",
                     f->arg_key ? "key" : "");
        if (f->arg_required)
            strncat(arg, ",required", sizeof arg - strlen(arg) - 1);
        fputs("  ", stdout);
        put_padded(f->name, 24);
        printf(" %-8s %-4s %-14s ", f->type_name, f->is_list ? "list" : "-", arg);
        put_padded(f->display[0] ? f->display : "-", 12);
        fputc(' ', stdout);
        falcoplug_put_str(stdout, f->desc);
        if (f->add_output)
            printf(" [addOutput]");
        for (size_t k = 0; k < f->properties.count; k++) {
            fputs(k ? "," : " {", stdout);
            falcoplug_put_str(stdout, f->properties.items[k]);
            fputs(k + 1 == f->properties.count ? "}" : "", stdout);
        }
        printf("\n");
    }
}

int falcoplug_info_main(int argc, char **argv)
{
    if (falcoplug_wants_help(argc, argv) || argc != 2) {
        fprintf(argc == 2 ? stdout : stderr,
                "usage: falcoplug info PLUGIN\n\n"
                "Prints what PLUGIN (a .so path) declares: name, version, description, contact,\n"
                "required API version, capabilities (source, extract, parse, async, listen, as\n"
                "libsinsp detects them from the exported symbols), id and source,\n"
                "extract/parse/async sources, async event names, fields, init schema; then,\n"
                "after init with an empty config: extract/parse event types, whether it\n"
                "implements dump_state (and how many events it dumps), capture open/close\n"
                "for listen plugins, and open params.\n");
        return argc == 2 ? 0 : 2;
    }
    falco_host_plugin *p = NULL;
    char *path = falcoplug_plugin_path(argv[1]);
    falco_rc rc = path ? falco_host_plugin_load(path, &p) : FALCO_ENOMEM;
    free(path);
    if (rc != FALCO_OK) {
        fputs("falcoplug info: ", stderr);
        falcoplug_put_str(stderr, falco_host_errmsg(p));
        fputc('\n', stderr);
        falco_host_plugin_free(p);
        return 1;
    }
    falcoplug_set_log(p);
    unsigned caps = falco_host_plugin_caps(p);
    print_str("name", falco_host_plugin_name(p));
    print_str("version", falco_host_plugin_version(p));
    print_str("description", falco_host_plugin_description(p));
    print_str("contact", falco_host_plugin_contact(p));
    print_str("required api version", falco_host_plugin_required_api_version(p));
    print_caps(caps);
    if (caps & FALCO_HOST_CAP_SOURCE) {
        printf("id: %u\n", falco_host_plugin_id(p));
        print_str("event source", falco_host_plugin_event_source(p)[0] ? falco_host_plugin_event_source(p) : "-");
    }
    if (caps & FALCO_HOST_CAP_EXTRACT)
        print_list("extract sources", falco_host_plugin_extract_sources(p), "all");
    if (caps & FALCO_HOST_CAP_PARSE)
        print_list("parse sources", falco_host_plugin_parse_sources(p), "all");
    if (caps & FALCO_HOST_CAP_ASYNC) {
        print_list("async sources", falco_host_plugin_async_sources(p), "all");
        print_list("async events", falco_host_plugin_async_events(p), "-");
    }
    if (caps & FALCO_HOST_CAP_EXTRACT)
        print_fields(p);
    const char *schema = falco_host_plugin_init_schema(p, NULL);
    if (schema) {
        printf("config schema:\n");
        falcoplug_print_json(stdout, schema, "  ");
    } else {
        printf("config schema: none\n");
    }

    /* What only exists after init. Plugin log lines go to stderr. In a
     * session, as in Falco: the plugin may get the host's `threads` table. */
    falco_host_session *s = NULL;
    if (falco_host_session_new(0, &s) != FALCO_OK) {
        print_str("init with an empty config failed", "out of memory");
    } else if (falco_host_session_init(s, p, NULL) != FALCO_OK) {
        print_str("init with an empty config failed", falco_host_errmsg(p));
    } else {
        size_t n;
        bool all;
        const uint16_t *codes;
        if (caps & FALCO_HOST_CAP_EXTRACT) {
            codes = falco_host_plugin_extract_types(p, &n, &all);
            print_types("extract event types", codes, n, all);
        }
        if (caps & FALCO_HOST_CAP_PARSE) {
            codes = falco_host_plugin_parse_types(p, &n, &all);
            print_types("parse event types", codes, n, all);
        }
        print_dump_state(p);
        if (caps & FALCO_HOST_CAP_LISTEN)
            print_listen(p);
        if (caps & FALCO_HOST_CAP_SOURCE) {
            const falco_host_open_param *op;
            if (falco_host_list_open_params(p, &op, &n) != FALCO_OK) {
                print_str("open params: error", falco_host_errmsg(p));
            } else {
                printf("open params (%zu):\n", n);
                for (size_t i = 0; i < n; i++) {
                    fputs("  ", stdout);
                    falcoplug_put_str(stdout, op[i].value);
                    fputs(op[i].desc[0] ? "  " : "", stdout);
                    falcoplug_put_str(stdout, op[i].desc);
                    fputs(op[i].separator[0] ? "  separator: " : "", stdout);
                    falcoplug_put_str(stdout, op[i].separator);
                    fputc('\n', stdout);
                }
            }
        }
    }
    falco_host_session_free(s); /* before the plugin it borrows */
    falco_host_plugin_free(p);
    return 0;
}
