/*
 * cfgplug - an extract-only test plugin with a declarative config and a
 * reconfigure hook; its fields show the config currently in force.
 */
#include <string.h>

#include <falco/plugin.h>

typedef struct {
    uint32_t max;
} cfg_limits;

typedef struct {
    uint64_t port;
    char *host;
    int mode;
    bool verbose;
    cfg_limits limits;
    falco_string_list tags;
} cfg_config;

typedef struct {
    uint64_t reconfigs;
    uint64_t seen_old_port; /* what falco_plugin_config said during the hook */
    uint64_t seen_new_port; /* what the hook was given */
} cfg_state;

static const char *const cfg_modes[] = {"fast", "safe", NULL};
static const char *const cfg_default_tags[] = {"a", "b", NULL};

static const falco_config_option cfg_limit_options[] = {
    FALCO_CONFIG_U32(cfg_limits, max, "max", .def = 10, .max = 100, .desc = "upper limit"),
};

static const falco_config_option cfg_options[] = {
    FALCO_CONFIG_U64(cfg_config, port, "port", .def = 8080, .min = 1, .max = 65535, .desc = "TCP port"),
    FALCO_CONFIG_STRING(cfg_config, host, "host", .def_str = "localhost", .desc = "host name"),
    FALCO_CONFIG_ENUM(cfg_config, mode, "mode", cfg_modes, .def_str = "safe", .desc = "mode"),
    FALCO_CONFIG_BOOL(cfg_config, verbose, "verbose", .desc = "chatty"),
    FALCO_CONFIG_OBJECT(cfg_config, limits, "limits", cfg_limit_options, .desc = "limits"),
    FALCO_CONFIG_STRING_LIST(cfg_config, tags, "tags", .def_list = cfg_default_tags, .desc = "tags"),
};

static falco_rc cfg_reconfigure(falco_plugin *p, void *state, const void *new_config) {
    cfg_state *st = state;
    const cfg_config *old = falco_plugin_config(p);
    const cfg_config *cfg = new_config;
    st->seen_old_port = old->port;
    st->seen_new_port = cfg->port;
    if (cfg->port == 666)
        return falco_error(p, FALCO_EINVAL, "port %llu is cursed", (unsigned long long)cfg->port);
    if (cfg->port == 667)
        return FALCO_ERANGE; /* no message: the SDK writes one */
    st->reconfigs++;
    return FALCO_OK;
}

static const cfg_config *config_of(falco_extract *x) {
    return falco_plugin_config(falco_extract_plugin(x));
}

static falco_rc cfg_port(falco_extract *x, const falco_event *ev) {
    (void)ev;
    return falco_extract_u64(x, config_of(x)->port);
}

static falco_rc cfg_host(falco_extract *x, const falco_event *ev) {
    (void)ev;
    return falco_extract_str_ref(x, config_of(x)->host);
}

static falco_rc cfg_mode(falco_extract *x, const falco_event *ev) {
    (void)ev;
    return falco_extract_str_ref(x, cfg_modes[config_of(x)->mode]);
}

static falco_rc cfg_verbose(falco_extract *x, const falco_event *ev) {
    (void)ev;
    return falco_extract_bool(x, config_of(x)->verbose);
}

static falco_rc cfg_max(falco_extract *x, const falco_event *ev) {
    (void)ev;
    return falco_extract_u64(x, config_of(x)->limits.max);
}

static falco_rc cfg_tags(falco_extract *x, const falco_event *ev) {
    (void)ev;
    const falco_string_list *t = &config_of(x)->tags;
    return falco_extract_str_array(x, t->items, t->count);
}

static falco_rc cfg_raw(falco_extract *x, const falco_event *ev) {
    (void)ev;
    return falco_extract_str_ref(x, falco_plugin_config_string(falco_extract_plugin(x)));
}

static falco_rc cfg_reconfigs(falco_extract *x, const falco_event *ev) {
    (void)ev;
    const cfg_state *st = falco_extract_state(x);
    /* reconfigs, then the old and new ports seen by the last hook call */
    FALCO_TRY(falco_extract_u64(x, st->reconfigs));
    FALCO_TRY(falco_extract_u64(x, st->seen_old_port));
    return falco_extract_u64(x, st->seen_new_port);
}

static const falco_field cfg_fields[] = {
    {.name = "cfg.port", .type = FALCO_FIELD_U64, .desc = "port", .extract = cfg_port},
    {.name = "cfg.host", .type = FALCO_FIELD_STRING, .desc = "host", .extract = cfg_host},
    {.name = "cfg.mode", .type = FALCO_FIELD_STRING, .desc = "mode", .extract = cfg_mode},
    {.name = "cfg.verbose", .type = FALCO_FIELD_BOOL, .desc = "verbose", .extract = cfg_verbose},
    {.name = "cfg.max", .type = FALCO_FIELD_U64, .desc = "limits.max", .extract = cfg_max},
    {.name = "cfg.tags", .type = FALCO_FIELD_STRING, .is_list = true, .desc = "tags", .extract = cfg_tags},
    {.name = "cfg.raw", .type = FALCO_FIELD_STRING, .desc = "config string", .extract = cfg_raw},
    {.name = "cfg.reconfigs", .type = FALCO_FIELD_U64, .is_list = true, .desc = "hook calls and ports seen",
     .extract = cfg_reconfigs},
};

FALCO_PLUGIN(cfgplug, .name = "cfgplug", .version = "0.1.0", .contact = "tests@example.com",
             .description = "declarative config", .state_size = sizeof(cfg_state),
             .config = FALCO_LIST(cfg_options), .config_size = sizeof(cfg_config), .reconfigure = cfg_reconfigure);

FALCO_EXTRACT(cfgplug, .fields = FALCO_LIST(cfg_fields), .sources = FALCO_SOURCES("cfgsrc"));
