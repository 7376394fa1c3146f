/* Capture listening and routines: a routine ending by returning false, one
 * unsubscribing itself, one unsubscribed from another thread while it runs,
 * capture close and destroy with routines pending, and subscribe failures;
 * each routine's state freed exactly once, after its last call. Plugins
 * compiled into this binary (FALCO_PLUGIN_STATIC); run under TSan by
 * scripts/test. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "static_test.h"

/* One routine's state, malloc'd by capture_open. */
typedef struct {
    int id;
    atomic_int runs;
    int stop_after;      /* return false on this run (0: never) */
    bool self_unsub;     /* unsubscribe itself on its 2nd run */
    bool block;          /* wait for g_release on each run */
    falco_routine *self;
} rstate;

#define MAX_R 4
static atomic_int g_freed[MAX_R];  /* free_state calls per routine id */
static atomic_int g_runs[MAX_R];   /* runs seen by the free callback (final) */
static atomic_int g_running;       /* a blocking routine is inside its run */
static atomic_int g_release;       /* lets a blocking routine return */
static falco_routine *g_routine[MAX_R];
static rstate *g_state[MAX_R];     /* states without a free callback, freed by the test */
static int g_scenario;
static falco_plugin *g_plugin;

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static bool routine_fn(falco_plugin *p, void *state) {
    (void)p;
    rstate *r = state;
    int n = atomic_fetch_add(&r->runs, 1) + 1;
    if (r->block) {
        atomic_store(&g_running, 1);
        while (!atomic_load(&g_release))
            sleep_ms(1);
        atomic_store(&g_running, 0);
    }
    if (r->self_unsub && n == 2) {
        falco_routine_unsubscribe(r->self);
        /* still ours until we return: the SDK frees it afterwards */
        return true;
    }
    return !(r->stop_after && n >= r->stop_after);
}

static void free_fn(falco_plugin *p, void *state) {
    assert_ptr_equal(p, g_plugin);
    rstate *r = state;
    atomic_fetch_add(&g_freed[r->id], 1);
    atomic_store(&g_runs[r->id], atomic_load(&r->runs));
    free(r);
}

static falco_routine *sub(falco_listen *l, int id, int stop_after, bool self_unsub, bool block, bool with_free) {
    rstate *r = calloc(1, sizeof *r);
    r->id = id;
    r->stop_after = stop_after;
    r->self_unsub = self_unsub;
    r->block = block;
    falco_routine *h = falco_routine_subscribe(l, routine_fn, r, with_free ? free_fn : NULL);
    r->self = h; /* the routine runs only when the host runs routines (this thread) */
    g_routine[id] = h;
    if (!with_free) {
        free(g_state[id]);
        g_state[id] = h ? r : NULL;
        if (!h)
            free(r);
    }
    return h;
}

static falco_rc on_open(falco_listen *l, void *state) {
    (void)state;
    g_plugin = falco_listen_plugin(l);
    assert_non_null(falco_listen_table_reader(l));
    switch (g_scenario) {
    case 1: /* ends by returning false on its 3rd run; another keeps going */
        if (!sub(l, 0, 3, false, false, true) || !sub(l, 1, 0, false, false, true))
            return FALCO_ERROR;
        return FALCO_OK;
    case 2: /* unsubscribes itself */
        return sub(l, 0, 0, true, false, true) ? FALCO_OK : FALCO_ERROR;
    case 3: /* blocks until released */
        return sub(l, 0, 0, false, true, true) ? FALCO_OK : FALCO_ERROR;
    case 4: /* pending at capture close: with and without a free callback */
        if (!sub(l, 0, 0, false, false, true) || !sub(l, 1, 0, false, false, false))
            return FALCO_ERROR;
        return FALCO_OK;
    case 5: /* a NULL function */
        if (falco_routine_subscribe(l, NULL, calloc(1, sizeof(rstate)), free_fn))
            return FALCO_OK;
        return FALCO_ERROR; /* the message is already recorded */
    }
    return FALCO_OK;
}

static falco_rc on_close(falco_listen *l, void *state) {
    (void)l, (void)state;
    return FALCO_OK;
}

static falco_rc lp_init(falco_plugin *p, void *state) {
    (void)state;
    g_plugin = p;
    return FALCO_OK;
}

#define META(n) .name = n, .version = "1.0.0", .contact = "t@example.com", .description = "listen test"
FALCO_PLUGIN(lp, META("lp"), .init = lp_init);
FALCO_LISTEN(lp, .capture_open = on_open, .capture_close = on_close);

static int reset(void **state) {
    (void)state;
    for (int i = 0; i < MAX_R; i++) {
        atomic_store(&g_freed[i], 0);
        atomic_store(&g_runs[i], 0);
        g_routine[i] = NULL;
    }
    atomic_store(&g_running, 0);
    atomic_store(&g_release, 0);
    return 0;
}

static falco_host_plugin *open_with(int scenario) {
    g_scenario = scenario;
    falco_host_plugin *p = sdkt_load_api(falco_plugin_api_lp, "lp");
    assert_true(falco_host_plugin_caps(p) & FALCO_HOST_CAP_LISTEN);
    assert_string_equal(falco_host_plugin_required_api_version(p), "3.7.0");
    assert_int_equal(falco_host_plugin_init(p, ""), FALCO_OK);
    if (falco_host_capture_open(p) != FALCO_OK)
        fail_msg("capture_open: %s", falco_host_errmsg(p));
    return p;
}

static void test_routine_returns_false(void **state) {
    (void)state;
    falco_host_plugin *p = open_with(1);
    assert_int_equal(falco_routine_count(g_plugin), 2);
    assert_int_equal(falco_host_run_routines(p), 2);
    assert_int_equal(falco_host_run_routines(p), 2);
    assert_int_equal(falco_host_run_routines(p), 1); /* routine 0 said false on its 3rd run */
    assert_int_equal(atomic_load(&g_freed[0]), 1);
    assert_int_equal(atomic_load(&g_runs[0]), 3);
    assert_false(falco_routine_active(g_routine[0]));
    assert_true(falco_routine_active(g_routine[1]));
    assert_int_equal(falco_routine_count(g_plugin), 1);
    assert_int_equal(falco_host_run_routines(p), 1);
    /* unsubscribing an ended routine is a no-op; the state is not freed twice */
    assert_int_equal(falco_routine_unsubscribe(g_routine[0]), FALCO_OK);
    assert_int_equal(atomic_load(&g_freed[0]), 1);
    /* the other one ends at capture close */
    assert_int_equal(falco_host_capture_close(p), FALCO_OK);
    assert_int_equal(atomic_load(&g_freed[1]), 1);
    assert_int_equal(atomic_load(&g_runs[1]), 4);
    assert_int_equal(falco_host_run_routines(p), 0);
    falco_host_plugin_free(p);
    assert_int_equal(atomic_load(&g_freed[0]), 1);
    assert_int_equal(atomic_load(&g_freed[1]), 1);
}

static void test_routine_unsubscribes_itself(void **state) {
    (void)state;
    falco_host_plugin *p = open_with(2);
    assert_int_equal(falco_host_run_routines(p), 1);
    assert_int_equal(atomic_load(&g_freed[0]), 0);
    /* 2nd run: unsubscribes itself and returns true; the SDK answers false */
    assert_int_equal(falco_host_run_routines(p), 0);
    assert_int_equal(atomic_load(&g_freed[0]), 1);
    assert_int_equal(atomic_load(&g_runs[0]), 2);
    assert_int_equal(falco_host_run_routines(p), 0);
    assert_int_equal(falco_host_capture_close(p), FALCO_OK);
    falco_host_plugin_free(p);
    assert_int_equal(atomic_load(&g_freed[0]), 1);
}

typedef struct {
    falco_host_plugin *p;
    size_t left;
} runner;

static void *run_once(void *arg) {
    runner *r = arg;
    r->left = falco_host_run_routines(r->p);
    return NULL;
}

static void *unsub_thread(void *arg) {
    falco_routine_unsubscribe(arg);
    return NULL;
}

static void test_unsubscribe_during_run(void **state) {
    (void)state;
    falco_host_plugin *p = open_with(3);
    runner rn = {p, 99};
    pthread_t t_run, t_unsub;
    assert_int_equal(pthread_create(&t_run, NULL, run_once, &rn), 0);
    for (int i = 0; i < 5000 && !atomic_load(&g_running); i++)
        sleep_ms(1);
    assert_int_equal(atomic_load(&g_running), 1);
    /* unsubscribe from another thread while the routine runs: it waits */
    assert_int_equal(pthread_create(&t_unsub, NULL, unsub_thread, g_routine[0]), 0);
    sleep_ms(20);
    assert_false(falco_routine_active(g_routine[0]));
    assert_int_equal(atomic_load(&g_freed[0]), 0); /* still in use by the running call */
    atomic_store(&g_release, 1);
    pthread_join(t_unsub, NULL);
    assert_int_equal(atomic_load(&g_freed[0]), 1); /* freed when unsubscribe returned */
    pthread_join(t_run, NULL);
    assert_int_equal(rn.left, 0); /* the run answered false: the host dropped it */
    assert_int_equal(atomic_load(&g_runs[0]), 1);
    assert_int_equal(falco_host_run_routines(p), 0);
    assert_int_equal(falco_host_capture_close(p), FALCO_OK);
    falco_host_plugin_free(p);
    assert_int_equal(atomic_load(&g_freed[0]), 1);
}

static void test_capture_close_with_pending(void **state) {
    (void)state;
    falco_host_plugin *p = open_with(4);
    assert_int_equal(falco_host_run_routines(p), 2);
    assert_int_equal(falco_host_capture_close(p), FALCO_OK);
    /* both ended, with the host too; the one with a free callback freed once */
    assert_int_equal(falco_host_run_routines(p), 0);
    assert_int_equal(falco_routine_count(g_plugin), 0);
    assert_int_equal(atomic_load(&g_freed[0]), 1);
    assert_int_equal(atomic_load(&g_runs[0]), 1);
    assert_int_equal(atomic_load(&g_freed[1]), 0); /* no free callback: the author's */
    assert_false(falco_routine_active(g_routine[1]));
    /* a new capture subscribes again */
    assert_int_equal(falco_host_capture_open(p), FALCO_OK);
    assert_int_equal(falco_host_run_routines(p), 2);
    /* destroy with routines pending: freed once */
    falco_host_plugin_free(p);
    assert_int_equal(atomic_load(&g_freed[0]), 2);
    free(g_state[1]);
    g_state[1] = NULL;
}

static void test_subscribe_failure(void **state) {
    (void)state;
    g_scenario = 5;
    falco_host_plugin *p = sdkt_load_api(falco_plugin_api_lp, "lp");
    assert_int_equal(falco_host_plugin_init(p, ""), FALCO_OK);
    assert_int_equal(falco_host_capture_open(p), FALCO_ERROR);
    assert_non_null(strstr(falco_host_errmsg(p), "falco_routine_subscribe: NULL routine function"));
    assert_int_equal(atomic_load(&g_freed[0]), 1); /* freed by the failed subscribe */
    assert_int_equal(falco_host_run_routines(p), 0);
    falco_host_plugin_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_routine_returns_false, reset),
        cmocka_unit_test_setup(test_routine_unsubscribes_itself, reset),
        cmocka_unit_test_setup(test_unsubscribe_during_run, reset),
        cmocka_unit_test_setup(test_capture_close_with_pending, reset),
        cmocka_unit_test_setup(test_subscribe_failure, reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
