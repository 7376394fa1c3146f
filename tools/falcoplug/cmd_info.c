/*
 * cmd_info.c - `falcoplug info PLUGIN`: everything the plugin declares.
 * Init is attempted with an empty config for what only exists after it
 * (event types, open params); its failure is reported, not fatal.
 */
#include <stdlib.h>
#include <string.h>

#include "falcoplug.h"

static void print_list(const char *label, falco_string_list l, const char *empty)
{
    printf("%s: ", label);
    if (!l.count)
        printf("%s", empty);
    for (size_t i = 0; i < l.count; i++)
        printf("%s%s", i ? ", " : "", l.items[i]);
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
        printf("  %-24s %-8s %-4s %-14s %-12s %s", f->name, f->type_name, f->is_list ? "list" : "-", arg,
               f->display[0] ? f->display : "-", f->desc);
        if (f->add_output)
            printf(" [addOutput]");
        for (size_t k = 0; k < f->properties.count; k++)
            printf("%s%s%s", k ? "," : " {", f->properties.items[k], k + 1 == f->properties.count ? "}" : "");
        printf("\n");
    }
}

int falcoplug_info_main(int argc, char **argv)
{
    if (falcoplug_wants_help(argc, argv) || argc != 2) {
        fprintf(argc == 2 ? stdout : stderr,
                "usage: falcoplug info PLUGIN\n\n"
                "Prints what PLUGIN (a .so path) declares: name, version, description, contact,\n"
                "required API version, capabilities, id and source, extract/parse/async sources,\n"
                "fields, init schema and open params.\n");
        return argc == 2 ? 0 : 2;
    }
    falco_host_plugin *p;
    if (falco_host_plugin_load(argv[1], &p) != FALCO_OK) {
        fprintf(stderr, "falcoplug info: %s\n", falco_host_errmsg(p));
        falco_host_plugin_free(p);
        return 1;
    }
    falcoplug_set_log(p);
    unsigned caps = falco_host_plugin_caps(p);
    printf("name: %s\n", falco_host_plugin_name(p));
    printf("version: %s\n", falco_host_plugin_version(p));
    printf("description: %s\n", falco_host_plugin_description(p));
    printf("contact: %s\n", falco_host_plugin_contact(p));
    printf("required api version: %s\n", falco_host_plugin_required_api_version(p));
    print_caps(caps);
    if (caps & FALCO_HOST_CAP_SOURCE) {
        printf("id: %u\n", falco_host_plugin_id(p));
        printf("event source: %s\n", falco_host_plugin_event_source(p)[0] ? falco_host_plugin_event_source(p) : "-");
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

    /* What only exists after init. Plugin log lines go to stderr. */
    if (falco_host_plugin_init(p, NULL) != FALCO_OK) {
        printf("init with an empty config failed: %s\n", falco_host_errmsg(p));
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
        if (caps & FALCO_HOST_CAP_SOURCE) {
            const falco_host_open_param *op;
            if (falco_host_list_open_params(p, &op, &n) != FALCO_OK) {
                printf("open params: error: %s\n", falco_host_errmsg(p));
            } else {
                printf("open params (%zu):\n", n);
                for (size_t i = 0; i < n; i++)
                    printf("  %s%s%s%s%s\n", op[i].value, op[i].desc[0] ? "  " : "", op[i].desc,
                           op[i].separator[0] ? "  separator: " : "", op[i].separator);
            }
        }
    }
    falco_host_plugin_free(p);
    return 0;
}
