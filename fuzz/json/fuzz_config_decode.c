/*
 * fuzz_config_decode.c - falco_config_decode on arbitrary bytes against a
 * table with every option type. A failure must leave nothing allocated; a
 * success must hold what the table promises.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <falco/config.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
    char *ca;
    bool verify;
} fz_tls;

typedef struct {
    bool flag;
    int32_t i32;
    int64_t i64;
    uint32_t u32;
    uint64_t u64;
    double ratio;
    char *host;
    int mode;
    falco_string_list tags;
    fz_tls tls;
} fz_config;

static const char *const fz_modes[] = { "fast", "safe", "slow", NULL };
static const char *const fz_tags[] = { "a", "b", NULL };

static const falco_config_option fz_tls_options[] = {
    FALCO_CONFIG_STRING(fz_tls, ca, "ca", .required = true),
    FALCO_CONFIG_BOOL(fz_tls, verify, "verify", .def = 1),
};

static const falco_config_option fz_options[] = {
    FALCO_CONFIG_BOOL(fz_config, flag, "flag"),
    FALCO_CONFIG_I32(fz_config, i32, "i32", .def = -5, .min = -10, .max = 10),
    FALCO_CONFIG_I64(fz_config, i64, "i64"),
    FALCO_CONFIG_U32(fz_config, u32, "u32", .def = 80, .min = 1, .max = 65535),
    FALCO_CONFIG_U64(fz_config, u64, "u64"),
    FALCO_CONFIG_DOUBLE(fz_config, ratio, "ratio", .def = 0.5, .min = 0, .max = 1),
    FALCO_CONFIG_STRING(fz_config, host, "host", .def_str = "localhost"),
    FALCO_CONFIG_ENUM(fz_config, mode, "mode", fz_modes, .def_str = "safe"),
    FALCO_CONFIG_STRING_LIST(fz_config, tags, "tags", .def_list = fz_tags),
    FALCO_CONFIG_OBJECT(fz_config, tls, "tls", fz_tls_options),
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const falco_config_option_list opts = FALCO_LIST(fz_options);
    fz_config cfg;
    memset(&cfg, 0, sizeof cfg);
    char err[256];
    falco_rc rc = falco_config_decode(opts, (const char *)data, size, &cfg, err, sizeof err);
    if (rc != FALCO_OK) {
        if (cfg.host || cfg.tags.items || cfg.tls.ca || strncmp(err, "config", 6) != 0)
            abort(); /* nothing may stay allocated, and the message names the path */
        return 0;
    }
    if (!cfg.host || cfg.i32 < -10 || cfg.i32 > 10 || cfg.u32 < 1 || cfg.u32 > 65535 || cfg.mode < 0 ||
        cfg.mode > 2 || !(cfg.ratio >= 0 && cfg.ratio <= 1))
        abort();
    for (size_t i = 0; i < cfg.tags.count; i++)
        if (!cfg.tags.items[i])
            abort();
    falco_config_release(opts, &cfg);
    falco_config_release(opts, &cfg); /* twice is safe */
    return 0;
}
