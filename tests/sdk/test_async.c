/* The async events capability under the host's lifecycle: the background
 * task started by a handler and stopped (joined) before the next one, a
 * handler replaced while the task runs, emits after stop, of undeclared
 * names, from 8 threads at once, the host's error text, dump_state on the
 * owner and handler of that call, and destroy with the task running.
 * Plugins compiled into this binary (FALCO_PLUGIN_STATIC); run under TSan
 * by scripts/test. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "static_test.h"

typedef struct {
    atomic_uint_fast64_t ticks; /* the task's runs */
} hb_state;

static falco_plugin *g_plugin; /* the plugin state of the current test */
static atomic_int g_starts, g_stops;

static falco_rc hb_init(falco_plugin *p, void *state) {
    (void)state;
    g_plugin = p;
    return FALCO_OK;
}
static falco_rc hb_start(falco_plugin *p, void *state, falco_async *a) {
    (void)p, (void)state;
    assert_ptr_equal(a, falco_plugin_async(p));
    atomic_fetch_add(&g_starts, 1);
    return FALCO_OK;
}
static void hb_stop(falco_plugin *p, void *state) {
    (void)p, (void)state;
    atomic_fetch_add(&g_stops, 1);
}
static falco_rc hb_task(falco_plugin *p, void *state, falco_async *a) {
    (void)p;
    hb_state *hb = state;
    uint64_t n = atomic_fetch_add(&hb->ticks, 1) + 1;
    return falco_async_emit(a, "tick", &n, sizeof n);
}
static falco_rc hb_dump(falco_plugin *p, void *state, falco_async *dump) {
    (void)p;
    hb_state *hb = state;
    assert_ptr_not_equal(dump, falco_plugin_async(p));
    falco_json_writer *w = falco_json_writer_new();
    falco_json_object_begin(w);
    falco_json_key(w, "dumped");
    falco_json_bool_value(w, true);
    falco_json_object_end(w);
    falco_rc rc = falco_async_emit_json(dump, "state", w);
    falco_json_writer_free(w);
    FALCO_TRY(rc);
    uint64_t n = atomic_load(&hb->ticks);
    FALCO_TRY(falco_async_emit(dump, "state", &n, sizeof n));
    return falco_async_emit_str(dump, "state", "end");
}

#define META(n) .name = n, .version = "1.0.0", .contact = "t@example.com", .description = "async test"

FALCO_PLUGIN(hb, META("hb"), .state_size = sizeof(hb_state), .init = hb_init);
FALCO_ASYNC(hb, .events = FALCO_STRINGS("tick", "bulk", "state"), .sources = FALCO_SOURCES("syscall"),
            .start = hb_start, .stop = hb_stop, .task = hb_task, .task_interval_ms = 2, .dump_state = hb_dump);

/* A dump that emits a name it did not declare. */
static falco_rc bad_dump(falco_plugin *p, void *state, falco_async *dump) {
    (void)p, (void)state;
    return falco_async_emit(dump, "undeclared", NULL, 0);
}
FALCO_PLUGIN(baddump, META("baddump"), .init = hb_init);
FALCO_ASYNC(baddump, .events = FALCO_STRINGS("x"), .dump_state = bad_dump);

/* A task that fails (logged, goes on) and one that ends with FALCO_EOF. */
static atomic_int g_fail_runs, g_eof_runs;
static falco_rc fail_task(falco_plugin *p, void *state, falco_async *a) {
    (void)p, (void)state;
    atomic_fetch_add(&g_fail_runs, 1);
    return falco_async_emit(a, "zzz", NULL, 0);
}
static falco_rc eof_task(falco_plugin *p, void *state, falco_async *a) {
    (void)p, (void)state, (void)a;
    atomic_fetch_add(&g_eof_runs, 1);
    return FALCO_EOF;
}
FALCO_PLUGIN(failtask, META("failtask"), .required_api_version = "3.4.0");
FALCO_ASYNC(failtask, .events = FALCO_STRINGS("x"), .task = fail_task, .task_interval_ms = 1);
static atomic_int g_slow_runs;
static falco_rc slow_task(falco_plugin *p, void *state, falco_async *a) {
    (void)p, (void)state, (void)a;
    atomic_fetch_add(&g_slow_runs, 1);
    return FALCO_OK;
}
FALCO_PLUGIN(slowtask, META("slowtask"), .init = hb_init);
FALCO_ASYNC(slowtask, .events = FALCO_STRINGS("x"), .task = slow_task, .task_interval_ms = 3600000);
/* A .start that emits (on the host's thread: a failure is the last error) then refuses. */
static falco_rc refusing_start(falco_plugin *p, void *state, falco_async *a) {
    (void)state;
    if (falco_async_emit(a, "x", "hi", 2) != FALCO_OK)
        return FALCO_ERROR;
    FALCO_TRY(falco_async_emit(a, "not-x", NULL, 0)); /* recorded as the last error */
    return falco_error(p, FALCO_ERROR, "unreachable");
}
FALCO_PLUGIN(refuser, META("refuser"), .init = hb_init);
FALCO_ASYNC(refuser, .events = FALCO_STRINGS("x"), .start = refusing_start, .stop = hb_stop,
            .task = slow_task, .task_interval_ms = 1000);
FALCO_PLUGIN(eoftask, META("eoftask"), .init = hb_init);
FALCO_ASYNC(eoftask, .events = FALCO_STRINGS("x"), .task = eof_task, .task_interval_ms = 1);

/* ---- what the host (or a raw owner) received ---- */
typedef struct {
    atomic_uint_fast64_t ticks, bulk, state, other;
    atomic_uint_fast64_t last_tick; /* payload of the last tick */
    char first_state[64];           /* payload of the first state event (dump: one thread) */
    atomic_int refuse;              /* raw owner: answer FAILURE with a message */
} sink;

static void sink_event(sink *k, const falco_abi_event *e) {
    const unsigned char *b = (const unsigned char *)e;
    uint32_t lens[3];
    memcpy(lens, b + 26, sizeof lens);
    assert_int_equal(e->type, 402);
    assert_int_equal(e->nparams, 3);
    assert_int_equal(lens[0], 4);
    uint32_t plugin_id;
    memcpy(&plugin_id, b + 38, 4);
    assert_int_equal(plugin_id, 0); /* the host fills it */
    const char *name = (const char *)b + 42;
    const unsigned char *data = b + 42 + lens[1];
    assert_int_equal(strlen(name) + 1, lens[1]);
    if (strcmp(name, "tick") == 0) {
        uint64_t v;
        assert_int_equal(lens[2], 8);
        memcpy(&v, data, 8);
        atomic_store(&k->last_tick, v);
        atomic_fetch_add(&k->ticks, 1);
    } else if (strcmp(name, "bulk") == 0) {
        atomic_fetch_add(&k->bulk, 1);
    } else if (strcmp(name, "state") == 0) {
        if (atomic_fetch_add(&k->state, 1) == 0)
            snprintf(k->first_state, sizeof k->first_state, "%.*s", (int)lens[2], (const char *)data);
    } else {
        atomic_fetch_add(&k->other, 1);
    }
}

static void host_fn(void *userdata, falco_host_plugin *p, const falco_abi_event *e) {
    (void)p;
    sink_event(userdata, e);
}

/* A raw handler: the owner is a sink. */
static falco_abi_rc raw_handler(falco_abi_owner_t *o, const falco_abi_event *e, char *err) {
    sink *k = o;
    if (atomic_load(&k->refuse)) {
        snprintf(err, FALCO_ABI_MAX_ERRLEN, "queue full (test)");
        return FALCO_ABI_RC_FAILURE;
    }
    sink_event(k, e);
    return FALCO_ABI_RC_SUCCESS;
}

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Waits up to 5 s for *v >= want. */
static bool wait_for(atomic_uint_fast64_t *v, uint64_t want) {
    for (int i = 0; i < 5000 && atomic_load(v) < want; i++)
        sleep_ms(1);
    return atomic_load(v) >= want;
}

static int reset(void **state) {
    (void)state;
    g_plugin = NULL;
    atomic_store(&g_starts, 0);
    atomic_store(&g_stops, 0);
    return 0;
}

static void test_task_lifecycle(void **state) {
    (void)state;
    static sink k;
    memset(&k, 0, sizeof k);
    falco_host_plugin *p = sdkt_load_api(falco_plugin_api_hb, "hb");
    assert_int_equal(falco_host_plugin_async_events(p).count, 3);
    assert_string_equal(falco_host_plugin_async_sources(p).items[0], "syscall");
    assert_int_equal(falco_host_plugin_init(p, ""), FALCO_OK);
    /* no handler yet: emits are refused */
    uint64_t one = 1;
    assert_int_equal(falco_async_emit(falco_plugin_async(g_plugin), "tick", &one, 8), FALCO_EMISUSE);
    assert_non_null(strstr(falco_async_error(), "no async handler"));
    assert_false(falco_async_active(falco_plugin_async(g_plugin)));

    assert_int_equal(falco_host_set_async_handler(p, host_fn, &k), FALCO_OK);
    assert_true(falco_async_active(falco_plugin_async(g_plugin)));
    assert_true(wait_for(&k.ticks, 3));
    assert_int_equal(atomic_load(&g_starts), 1);
    assert_int_equal(falco_host_set_async_handler(p, NULL, NULL), FALCO_OK);
    /* stopped and joined when the call returned: nothing more arrives */
    uint64_t seen = atomic_load(&k.ticks);
    assert_int_equal(atomic_load(&g_stops), 1);
    sleep_ms(30);
    assert_int_equal(atomic_load(&k.ticks), seen);
    assert_int_equal(atomic_load(&k.last_tick), seen); /* every tick the task made arrived, in order */
    /* emit after stop: the distinct code and message */
    assert_int_equal(falco_async_emit(falco_plugin_async(g_plugin), "tick", &one, 8), FALCO_EMISUSE);
    assert_string_equal(falco_async_error(),
                        "async emit 'tick': no async handler (not installed yet, or stopped by the host)");
    assert_int_equal(falco_host_async_rejected(p), 0);
    /* a second handler starts it again */
    static sink k2;
    memset(&k2, 0, sizeof k2);
    assert_int_equal(falco_host_set_async_handler(p, host_fn, &k2), FALCO_OK);
    assert_true(wait_for(&k2.ticks, 2));
    assert_int_equal(atomic_load(&g_starts), 2);
    assert_int_equal(atomic_load(&k.ticks), seen);
    /* destroy with the task running: stopped and joined */
    falco_host_plugin_free(p);
    assert_int_equal(atomic_load(&g_stops), 2);
}

static void test_handler_replaced_while_running(void **state) {
    (void)state;
    falco_abi_plugin_api api;
    falco_plugin_api_hb(&api);
    falco_abi_init_input in = {.config = ""};
    falco_abi_rc rc;
    falco_abi_plugin_t *s = api.init(&in, &rc);
    assert_int_equal(rc, FALCO_ABI_RC_SUCCESS);
    static sink a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    assert_int_equal(api.set_async_event_handler(s, &a, raw_handler), FALCO_ABI_RC_SUCCESS);
    assert_true(wait_for(&a.ticks, 2));
    /* a new handler without a NULL first: the old worker stops before it returns */
    assert_int_equal(api.set_async_event_handler(s, &b, raw_handler), FALCO_ABI_RC_SUCCESS);
    uint64_t seen = atomic_load(&a.ticks);
    assert_int_equal(atomic_load(&g_stops), 1);
    assert_int_equal(atomic_load(&g_starts), 2);
    assert_true(wait_for(&b.ticks, 2));
    assert_int_equal(atomic_load(&a.ticks), seen);
    /* the tick counter lives in the plugin state: b continues where a stopped */
    assert_true(atomic_load(&b.last_tick) > seen);
    api.destroy(s); /* with b's worker running */
    assert_int_equal(atomic_load(&g_stops), 2);
}

typedef struct {
    falco_async *a;
    int failures;
} emitter;

/* The plugin of get loaded and initialized (empty config) in the host
 * library; the caller frees it. */
static falco_host_plugin *init_api(void (*get)(falco_abi_plugin_api *), const char *label) {
    falco_host_plugin *p = sdkt_load_api(get, label);
    assert_int_equal(falco_host_plugin_init(p, ""), FALCO_OK);
    return p;
}

/* hb initialized, its async handler delivering to k (emptied first). */
static falco_host_plugin *hb_with_handler(sink *k) {
    memset(k, 0, sizeof *k);
    falco_host_plugin *p = init_api(falco_plugin_api_hb, "hb");
    assert_int_equal(falco_host_set_async_handler(p, host_fn, k), FALCO_OK);
    return p;
}

/* n threads running fn, each with its emitter on the plugin's destination. */
static void start_emitters(pthread_t *t, emitter *em, int n, void *(*fn)(void *)) {
    for (int i = 0; i < n; i++) {
        em[i] = (emitter){falco_plugin_async(g_plugin), 0};
        assert_int_equal(pthread_create(&t[i], NULL, fn, &em[i]), 0);
    }
}

static void *emit_many(void *arg) {
    emitter *em = arg;
    for (int i = 0; i < 1000; i++)
        if (falco_async_emit(em->a, "bulk", &i, sizeof i) != FALCO_OK)
            em->failures++;
    return NULL;
}

static void test_emit_from_8_threads(void **state) {
    (void)state;
    static sink k;
    falco_host_plugin *p = hb_with_handler(&k);
    pthread_t t[8];
    emitter em[8];
    start_emitters(t, em, 8, emit_many);
    for (int i = 0; i < 8; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(em[i].failures, 0);
    }
    assert_int_equal(atomic_load(&k.bulk), 8000);
    assert_int_equal(falco_host_async_rejected(p), 0);
    /* undeclared and empty names never reach the host */
    assert_int_equal(falco_async_emit(falco_plugin_async(g_plugin), "nope", "x", 1), FALCO_ENOTFOUND);
    assert_string_equal(falco_async_error(), "async emit: event 'nope' is not declared in FALCO_ASYNC .events");
    assert_int_equal(falco_async_emit(falco_plugin_async(g_plugin), "", NULL, 0), FALCO_EINVAL);
    assert_int_equal(falco_async_emit(falco_plugin_async(g_plugin), "bulk", NULL, 3), FALCO_EINVAL);
    assert_int_equal(falco_host_async_rejected(p), 0);
    assert_int_equal(atomic_load(&k.other), 0);
    /* a large payload (heap-built event) */
    static char big[100000];
    memset(big, 'x', sizeof big);
    assert_int_equal(falco_async_emit(falco_plugin_async(g_plugin), "bulk", big, sizeof big), FALCO_OK);
    assert_int_equal(atomic_load(&k.bulk), 8001);
    falco_host_plugin_free(p);
}

/* Emitters racing a stop: every emit either reached the handler or was
 * refused with FALCO_EMISUSE; none after the stop returned. */
static void *emit_until_refused(void *arg) {
    emitter *em = arg;
    int i = 0;
    while (falco_async_emit(em->a, "bulk", &i, sizeof i) == FALCO_OK)
        i++;
    em->failures = i;
    return NULL;
}

static void test_stop_races_emitters(void **state) {
    (void)state;
    static sink k;
    falco_host_plugin *p = hb_with_handler(&k);
    pthread_t t[4];
    emitter em[4];
    start_emitters(t, em, 4, emit_until_refused);
    assert_true(wait_for(&k.bulk, 100));
    assert_int_equal(falco_host_set_async_handler(p, NULL, NULL), FALCO_OK);
    uint64_t at_stop = atomic_load(&k.bulk);
    uint64_t sent = 0;
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        sent += (uint64_t)em[i].failures;
    }
    assert_int_equal(atomic_load(&k.bulk), at_stop);
    assert_int_equal(sent, at_stop);
    falco_host_plugin_free(p);
}

static void test_host_error_text(void **state) {
    (void)state;
    falco_abi_plugin_api api;
    falco_plugin_api_hb(&api);
    falco_abi_init_input in = {.config = ""};
    falco_abi_rc rc;
    falco_abi_plugin_t *s = api.init(&in, &rc);
    static sink a;
    memset(&a, 0, sizeof a);
    atomic_store(&a.refuse, 1);
    assert_int_equal(api.set_async_event_handler(s, &a, raw_handler), FALCO_ABI_RC_SUCCESS);
    uint64_t v = 5;
    assert_int_equal(falco_async_emit(falco_plugin_async(g_plugin), "bulk", &v, 8), FALCO_ERROR);
    assert_string_equal(falco_async_error(), "async emit 'bulk': the host refused it: queue full (test)");
    assert_int_equal(api.set_async_event_handler(s, NULL, NULL), FALCO_ABI_RC_SUCCESS);
    api.destroy(s);
}

static void test_dump_state_own_owner(void **state) {
    (void)state;
    /* through the host library */
    static sink k;
    memset(&k, 0, sizeof k);
    falco_host_plugin *p = init_api(falco_plugin_api_hb, "hb");
    assert_int_equal(falco_host_dump_state(p, host_fn, &k), FALCO_OK);
    assert_int_equal(atomic_load(&k.state), 3);
    assert_string_equal(k.first_state, "{\"dumped\":true}"); /* JSON text with its NUL */
    falco_host_plugin_free(p);

    /* raw: the dump goes to the owner and handler of that call, not the regular one */
    falco_abi_plugin_api api;
    falco_plugin_api_hb(&api);
    falco_abi_init_input in = {.config = ""};
    falco_abi_rc rc;
    falco_abi_plugin_t *s = api.init(&in, &rc);
    static sink regular, dump;
    memset(&regular, 0, sizeof regular);
    memset(&dump, 0, sizeof dump);
    assert_int_equal(api.set_async_event_handler(s, &regular, raw_handler), FALCO_ABI_RC_SUCCESS);
    assert_true(wait_for(&regular.ticks, 1));
    assert_int_equal(api.dump_state(s, &dump, raw_handler), FALCO_ABI_RC_SUCCESS);
    assert_int_equal(atomic_load(&dump.state), 3);
    assert_int_equal(atomic_load(&dump.ticks), 0);
    assert_int_equal(atomic_load(&regular.state), 0);
    /* a refused dump event aborts the dump with the host's text */
    atomic_store(&dump.refuse, 1);
    assert_int_equal(api.dump_state(s, &dump, raw_handler), FALCO_ABI_RC_FAILURE);
    assert_string_equal(api.get_last_error(s), "async emit 'state': the host refused it: queue full (test)");
    api.destroy(s);
}

static void test_dump_state_failure(void **state) {
    (void)state;
    static sink k;
    memset(&k, 0, sizeof k);
    falco_host_plugin *p = init_api(falco_plugin_api_baddump, "baddump");
    assert_int_equal(falco_host_dump_state(p, host_fn, &k), FALCO_ERROR);
    assert_non_null(strstr(falco_host_errmsg(p), "async emit: event 'undeclared' is not declared in FALCO_ASYNC .events"));
    assert_int_equal(falco_host_async_rejected(p), 0);
    /* a plugin without a task: set/unset handlers work, emits from anywhere */
    assert_int_equal(falco_host_set_async_handler(p, host_fn, &k), FALCO_OK);
    assert_int_equal(falco_async_emit_str(falco_plugin_async(g_plugin), "x", "hello"), FALCO_OK);
    assert_int_equal(atomic_load(&k.other), 1);
    falco_host_plugin_free(p);
}

static atomic_int g_logged;
static char g_log_line[512];
static void log_sink(void *userdata, const char *component, const char *msg, falco_abi_log_severity sev) {
    (void)userdata;
    if (sev == FALCO_ABI_LOG_ERROR && strcmp(component, "failtask") == 0 && atomic_fetch_add(&g_logged, 1) == 0)
        snprintf(g_log_line, sizeof g_log_line, "%s", msg);
}

static void test_task_errors_and_eof(void **state) {
    (void)state;
    static sink k;
    memset(&k, 0, sizeof k);
    falco_host_plugin *p = sdkt_load_api(falco_plugin_api_failtask, "failtask");
    falco_host_set_log(p, log_sink, NULL);
    assert_int_equal(falco_host_plugin_init(p, ""), FALCO_OK);
    assert_int_equal(falco_host_set_async_handler(p, host_fn, &k), FALCO_OK);
    for (int i = 0; i < 5000 && atomic_load(&g_fail_runs) < 3; i++)
        sleep_ms(1);
    assert_int_equal(falco_host_set_async_handler(p, NULL, NULL), FALCO_OK);
    assert_true(atomic_load(&g_fail_runs) >= 3); /* an error does not end the task */
    assert_true(atomic_load(&g_logged) >= 2);
    assert_string_equal(g_log_line, "async task failed: not found: async emit: event 'zzz' is not declared in "
                                    "FALCO_ASYNC .events");
    falco_host_plugin_free(p);

    p = init_api(falco_plugin_api_eoftask, "eoftask");
    assert_int_equal(falco_host_set_async_handler(p, host_fn, &k), FALCO_OK);
    sleep_ms(30);
    assert_int_equal(atomic_load(&g_eof_runs), 1); /* FALCO_EOF ended it */
    falco_async_wake(g_plugin);
    sleep_ms(10);
    assert_int_equal(atomic_load(&g_eof_runs), 1);
    assert_true(falco_async_active(falco_plugin_async(g_plugin))); /* the handler stays */
    falco_host_plugin_free(p);

    /* an hour's interval: runs once, then at once when woken; stop does not wait the hour */
    p = init_api(falco_plugin_api_slowtask, "slowtask");
    assert_int_equal(falco_host_set_async_handler(p, host_fn, &k), FALCO_OK);
    for (int i = 0; i < 5000 && atomic_load(&g_slow_runs) < 1; i++)
        sleep_ms(1);
    sleep_ms(20);
    assert_int_equal(atomic_load(&g_slow_runs), 1);
    falco_async_wake(g_plugin);
    for (int i = 0; i < 5000 && atomic_load(&g_slow_runs) < 2; i++)
        sleep_ms(1);
    assert_int_equal(atomic_load(&g_slow_runs), 2);
    assert_int_equal(falco_host_set_async_handler(p, NULL, NULL), FALCO_OK);
    falco_host_plugin_free(p);
}

static void test_start_refuses(void **state) {
    (void)state;
    static sink k;
    memset(&k, 0, sizeof k);
    atomic_store(&g_slow_runs, 0);
    falco_host_plugin *p = init_api(falco_plugin_api_refuser, "refuser");
    assert_int_equal(falco_host_set_async_handler(p, host_fn, &k), FALCO_ERROR);
    assert_non_null(strstr(falco_host_errmsg(p), "async emit: event 'not-x' is not declared in FALCO_ASYNC .events"));
    assert_int_equal(atomic_load(&k.other), 1); /* the emit during start arrived */
    assert_int_equal(atomic_load(&g_stops), 0);  /* a refused start is not stopped */
    assert_false(falco_async_active(falco_plugin_async(g_plugin)));
    sleep_ms(20);
    assert_int_equal(atomic_load(&g_slow_runs), 0); /* the task never started */
    falco_host_plugin_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_task_lifecycle, reset),
        cmocka_unit_test_setup(test_handler_replaced_while_running, reset),
        cmocka_unit_test_setup(test_emit_from_8_threads, reset),
        cmocka_unit_test_setup(test_stop_races_emitters, reset),
        cmocka_unit_test_setup(test_host_error_text, reset),
        cmocka_unit_test_setup(test_dump_state_own_owner, reset),
        cmocka_unit_test_setup(test_dump_state_failure, reset),
        cmocka_unit_test_setup(test_task_errors_and_eof, reset),
        cmocka_unit_test_setup(test_start_refuses, reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
