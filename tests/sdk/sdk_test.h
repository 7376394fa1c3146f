/*
 * sdk_test.h - helpers shared by the SDK capability tests: loading the test
 * plugins through the host, building plugin events, reading metrics and
 * extracting one field. Include after <cmocka.h>.
 */
#ifndef FALCO_TESTS_SDK_TEST_H
#define FALCO_TESTS_SDK_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <falco/host.h>

#include "slurp.h"

/* The path in environment variable `var` (set by tests/sdk/CMakeLists.txt). */
static inline const char *sdkt_env(const char *var) {
    const char *v = getenv(var);
    if (!v || !*v)
        fail_msg("environment variable %s is not set", var);
    return v;
}

/* Loads the plugin whose path is in `var`; fails the test when it does not load. */
static inline falco_host_plugin *sdkt_load(const char *var) {
    falco_host_plugin *p = NULL;
    falco_rc rc = falco_host_plugin_load(sdkt_env(var), &p);
    if (rc != FALCO_OK)
        fail_msg("load %s: %s", sdkt_env(var), falco_host_errmsg(p));
    return p;
}

/* Loads and inits with config; fails the test on error. */
static inline falco_host_plugin *sdkt_load_init(const char *var, const char *config) {
    falco_host_plugin *p = sdkt_load(var);
    if (falco_host_plugin_init(p, config) != FALCO_OK)
        fail_msg("init: %s", falco_host_errmsg(p));
    return p;
}

/* A plugin event (type 322) in buf carrying payload; returns its length. */
static inline uint32_t sdkt_plugin_event(void *buf, size_t size, uint32_t plugin_id, const void *payload,
                                         uint32_t len) {
    uint32_t total = FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET + len;
    assert_true(total <= size);
    falco_abi_event h = {.ts = 1000, .tid = 1, .len = total, .type = FALCO_ABI_EVENT_PLUGIN, .nparams = 2};
    uint32_t lens[3] = {4, len, plugin_id};
    unsigned char *b = buf;
    memcpy(b, &h, 26);
    memcpy(b + 26, lens, sizeof lens);
    if (len)
        memcpy(b + FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET, payload, len);
    return total;
}

/* An event with a u64 payload, as an event input numbered evtnum from source src. */
typedef struct {
    uint64_t storage[8]; /* aligned room for the event */
    falco_abi_event_input in;
} sdkt_event;

static inline void sdkt_u64_event(sdkt_event *e, uint64_t value, uint64_t evtnum, const char *src) {
    sdkt_plugin_event(e->storage, sizeof e->storage, 0, &value, sizeof value);
    e->in.evt = (const falco_abi_event *)e->storage;
    e->in.evtnum = evtnum;
    e->in.evtsrc = src;
}

/* The u64 metric named name (with or without the plugin-name prefix);
 * fails the test when it is missing. */
static inline uint64_t sdkt_metric_u64(falco_host_plugin *p, const char *name) {
    const falco_abi_metric *m;
    uint32_t n;
    if (falco_host_plugin_metrics(p, &m, &n) != FALCO_OK)
        fail_msg("metrics: %s", falco_host_errmsg(p));
    for (uint32_t i = 0; i < n; i++)
        if (strcmp(m[i].name, name) == 0)
            return m[i].value_type == FALCO_ABI_METRIC_U32 ? m[i].value.u32 : m[i].value.u64;
    fail_msg("no metric named %s", name);
    return 0;
}

/* Extracts expr from e into *out; returns the host's rc. */
static inline falco_rc sdkt_extract(falco_host_plugin *p, const char *expr, const falco_abi_event_input *e,
                                    bool want_offsets, falco_host_values *out) {
    falco_host_extractor *x = NULL;
    falco_rc rc = falco_host_extractor_new(p, expr, &x);
    if (rc != FALCO_OK)
        return rc;
    rc = falco_host_extract(x, e, want_offsets, out);
    /* values live in plugin memory: keep the extractor alive with the plugin */
    return rc;
}

/* Extracts expr as one u64 value; fails the test otherwise. */
static inline uint64_t sdkt_extract_u64(falco_host_plugin *p, const char *expr, const falco_abi_event_input *e) {
    falco_host_values v;
    uint64_t out = 0;
    if (sdkt_extract(p, expr, e, false, &v) != FALCO_OK)
        fail_msg("extract %s: %s", expr, falco_host_errmsg(p));
    assert_int_equal(v.count, 1);
    assert_int_equal(falco_host_value_u64(&v, 0, &out), FALCO_OK);
    return out;
}

/* Extracts expr as one string value; fails the test otherwise. */
static inline const char *sdkt_extract_str(falco_host_plugin *p, const char *expr, const falco_abi_event_input *e) {
    falco_host_values v;
    const char *out = NULL;
    if (sdkt_extract(p, expr, e, false, &v) != FALCO_OK)
        fail_msg("extract %s: %s", expr, falco_host_errmsg(p));
    assert_int_equal(v.count, 1);
    assert_int_equal(falco_host_value_str(&v, 0, &out), FALCO_OK);
    return out;
}

/* Runs a shell command and returns its stdout (malloc'd) and exit status. */
static inline char *sdkt_run(const char *cmd, int *status) {
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    char *out = slurp(f, NULL);
    int st = pclose(f);
    if (status)
        *status = st;
    return out;
}

#endif /* FALCO_TESTS_SDK_TEST_H */
