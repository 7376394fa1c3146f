/* The heartbeat example through the host library: heartbeats from the
 * background task while a handler is installed and none after it is
 * removed, dump_state answering with the counts, and the capture routine
 * running while a capture is open and ended at its close. Then through the
 * raw ABI, a host that refuses routines (a Falco built without a thread
 * pool): the capture still opens, with a warning in the host's log. */
#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "sdk_test.h"

typedef struct {
    atomic_int beats, states;
    char last[256]; /* payload of the last state event (dump: the calling thread) */
} sink;

static void on_event(void *userdata, falco_host_plugin *p, const falco_abi_event *e) {
    (void)p;
    sink *k = userdata;
    const unsigned char *b = (const unsigned char *)e;
    uint32_t lens[3];
    memcpy(lens, b + 26, sizeof lens);
    const char *name = (const char *)b + 42;
    if (strcmp(name, "heartbeat") == 0)
        atomic_fetch_add(&k->beats, 1);
    if (strcmp(name, "heartbeat_state") == 0) {
        atomic_fetch_add(&k->states, 1);
        snprintf(k->last, sizeof k->last, "%.*s", (int)lens[2], (const char *)b + 42 + lens[1]);
    }
}

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void test_heartbeat(void **state) {
    (void)state;
    static sink k;
    falco_host_plugin *p = sdkt_load_init("HEARTBEAT_PLUGIN", "");
    assert_string_equal(falco_host_plugin_required_api_version(p), "3.10.0");
    assert_int_equal(falco_host_set_async_handler(p, on_event, &k), FALCO_OK);
    for (int i = 0; i < 3000 && atomic_load(&k.beats) < 2; i++)
        sleep_ms(1);
    assert_true(atomic_load(&k.beats) >= 2); /* one right away, the next 500 ms later */
    assert_int_equal(falco_host_set_async_handler(p, NULL, NULL), FALCO_OK);
    int beats = atomic_load(&k.beats);
    assert_int_equal(sdkt_metric_u64(p, "beats"), (uint64_t)beats);

    /* the routine runs while a capture is open, and ends at its close */
    assert_int_equal(falco_host_capture_open(p), FALCO_OK);
    assert_int_equal(falco_host_run_routines(p), 1);
    assert_int_equal(falco_host_run_routines(p), 1);
    assert_int_equal(sdkt_metric_u64(p, "routine_runs"), 2);
    assert_int_equal(falco_host_capture_close(p), FALCO_OK);
    assert_int_equal(falco_host_run_routines(p), 0);
    assert_int_equal(sdkt_metric_u64(p, "routine_runs"), 2);

    /* dump_state: the counts, on the dump's own handler */
    assert_int_equal(falco_host_dump_state(p, on_event, &k), FALCO_OK);
    assert_int_equal(atomic_load(&k.states), 1);
    char want[128];
    snprintf(want, sizeof want, "{\"beats\":%d,\"routine_runs\":2}", beats);
    assert_string_equal(k.last, want);
    sleep_ms(600); /* no heartbeat after the handler was removed */
    assert_int_equal(atomic_load(&k.beats), beats);
    assert_int_equal(falco_host_async_rejected(p), 0);
    falco_host_plugin_free(p);
}

/* ---- a host that refuses routines ---------------------------------------- */

static char refused_log[2048];
static int subscribe_calls;

static void raw_log(falco_abi_owner_t *o, const char *component, const char *msg, falco_abi_log_severity sev) {
    (void)o;
    size_t n = strlen(refused_log);
    snprintf(refused_log + n, sizeof refused_log - n, "[%d] %s: %s\n", (int)sev, component ? component : "",
             msg);
}

static const char *raw_owner_error(falco_abi_owner_t *o) {
    (void)o;
    return "no thread pool in this host";
}

static falco_abi_routine_t *refuse_subscribe(falco_abi_owner_t *o, falco_abi_routine_fn f,
                                             falco_abi_routine_state_t *i) {
    (void)o, (void)f, (void)i;
    subscribe_calls++;
    return NULL;
}

static falco_abi_rc refuse_unsubscribe(falco_abi_owner_t *o, falco_abi_routine_t *r) {
    (void)o, (void)r;
    return FALCO_ABI_RC_FAILURE;
}

static void test_routine_refused(void **state) {
    (void)state;
    void *dl = dlopen(sdkt_env("HEARTBEAT_PLUGIN"), RTLD_NOW | RTLD_LOCAL);
    assert_non_null(dl);
    falco_abi_plugin_t *(*init)(const falco_abi_init_input *, falco_abi_rc *);
    void (*destroy)(falco_abi_plugin_t *);
    const char *(*last_error)(falco_abi_plugin_t *);
    falco_abi_rc (*open)(falco_abi_plugin_t *, const falco_abi_capture_listen_input *);
    falco_abi_rc (*close)(falco_abi_plugin_t *, const falco_abi_capture_listen_input *);
    *(void **)&init = dlsym(dl, "plugin_init");
    *(void **)&destroy = dlsym(dl, "plugin_destroy");
    *(void **)&last_error = dlsym(dl, "plugin_get_last_error");
    *(void **)&open = dlsym(dl, "plugin_capture_open");
    *(void **)&close = dlsym(dl, "plugin_capture_close");
    assert_true(init && destroy && last_error && open && close);

    int owner;
    falco_abi_init_input in = {.config = "", .owner = (falco_abi_owner_t *)&owner,
                               .get_owner_last_error = raw_owner_error, .log_fn = raw_log};
    falco_abi_rc rc = FALCO_ABI_RC_FAILURE;
    falco_abi_plugin_t *s = init(&in, &rc);
    assert_int_equal(rc, FALCO_ABI_RC_SUCCESS);
    assert_non_null(s);

    falco_abi_routine_vtable vt = {.subscribe = refuse_subscribe, .unsubscribe = refuse_unsubscribe};
    falco_abi_capture_listen_input li = {.owner = (falco_abi_owner_t *)&owner, .routine = &vt,
                                         .get_owner_last_error = raw_owner_error};
    refused_log[0] = '\0';
    /* the capture opens: the routine was asked for once and refused */
    if (open(s, &li) != FALCO_ABI_RC_SUCCESS)
        fail_msg("capture_open failed: %s", last_error(s));
    assert_int_equal(subscribe_calls, 1);
    if (!strstr(refused_log, "[4] heartbeat: no capture routine (routine_runs stays 0): falco_routine_subscribe: "
                             "the host refused the routine: no thread pool in this host\n"))
        fail_msg("no warning about the refused routine in the log:\n%s", refused_log);
    assert_int_equal(close(s, &li), FALCO_ABI_RC_SUCCESS);
    /* and again: each capture asks, each refusal is a warning, not an error */
    assert_int_equal(open(s, &li), FALCO_ABI_RC_SUCCESS);
    assert_int_equal(subscribe_calls, 2);
    assert_int_equal(close(s, &li), FALCO_ABI_RC_SUCCESS);
    destroy(s);
    dlclose(dl);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_heartbeat),
        cmocka_unit_test(test_routine_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
