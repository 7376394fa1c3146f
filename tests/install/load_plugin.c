/*
 * load_plugin.c - an out-of-tree test program built against the installed
 * host library only (find_package + falco::host, or pkg-config falcohost):
 *   load_plugin <plugin.so> <open params> <field>
 * loads the plugin, opens its source with the params, and prints one line
 * "<evtnum> <field value>" per event, then "events: N". Exit 1 on any error,
 * with the host's message.
 */
#include <stdio.h>

#include <falco/host.h>

static int fail(const char *what, falco_host_plugin *p)
{
    fprintf(stderr, "load_plugin: %s: %s\n", what, falco_host_errmsg(p));
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s <plugin.so> <open params> <field>\n", argv[0]);
        return 2;
    }
    falco_host_plugin *p = NULL;
    falco_host_instance *in = NULL;
    falco_host_extractor *x = NULL;
    int status = 0;
    if (falco_host_plugin_load(argv[1], &p) != FALCO_OK) {
        status = fail("load", p);
        goto out;
    }
    if (falco_host_plugin_init(p, NULL) != FALCO_OK) {
        status = fail("init", p);
        goto out;
    }
    if (falco_host_extractor_new(p, argv[3], &x) != FALCO_OK) {
        status = fail(argv[3], p);
        goto out;
    }
    if (falco_host_open(p, argv[2], &in) != FALCO_OK) {
        status = fail("open", p);
        goto out;
    }
    unsigned long n = 0;
    for (;;) {
        const falco_abi_event *evt;
        falco_rc rc = falco_host_next(in, &evt);
        if (rc == FALCO_TIMEOUT)
            continue;
        if (rc == FALCO_EOF)
            break;
        if (rc != FALCO_OK) {
            status = fail("next", p);
            goto out;
        }
        falco_abi_event_input ei = { evt, falco_host_instance_evtnum(in), NULL };
        falco_host_values v;
        char buf[256] = "<none>";
        if (falco_host_extract(x, &ei, false, &v) != FALCO_OK) {
            status = fail("extract", p);
            goto out;
        }
        if (v.count)
            falco_host_value_format(&v, 0, buf, sizeof buf);
        printf("%llu %s\n", (unsigned long long)ei.evtnum, buf);
        n++;
    }
    printf("events: %lu\n", n);
out:
    if (in)
        falco_host_close(in);
    falco_host_extractor_free(x);
    falco_host_plugin_free(p);
    return status;
}
