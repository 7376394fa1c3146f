/* heartbeat: async events and capture listening.
 *
 * - A "heartbeat" async event every 500 ms from the SDK's background task
 *   (started when the host installs its handler, stopped before the next).
 * - dump_state answers with a "heartbeat_state" event holding the counts.
 * - On capture open, a routine on the host's thread pool ticks every 100 ms;
 *   the SDK ends it at capture close. Its count shows in the heartbeat
 *   payload and in the metrics, and it logs when it starts and stops. A
 *   host that refuses routines (a Falco without a thread pool) gets a
 *   warning in its log, and the capture opens without the routine.
 *
 * The task and the routine run on other threads than the host's calls, so
 * the shared counters are atomics. */
#define _POSIX_C_SOURCE 200809L /* nanosleep */
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include <falco/plugin.h>

typedef struct {
    atomic_uint_fast64_t beats;
    atomic_uint_fast64_t routine_runs;
} heartbeat;

/* {"beat":N,"routine_runs":M} */
static falco_rc emit_counts(falco_async *a, const char *name, const char *key, uint64_t n, uint64_t runs) {
    falco_json_writer *w = falco_json_writer_new();
    if (!w)
        return FALCO_ENOMEM;
    falco_json_object_begin(w);
    falco_json_key(w, key);
    falco_json_u64_value(w, n);
    falco_json_key(w, "routine_runs");
    falco_json_u64_value(w, runs);
    falco_json_object_end(w);
    falco_rc rc = falco_async_emit_json(a, name, w);
    falco_json_writer_free(w);
    return rc;
}

/* The background task: one heartbeat per run. */
static falco_rc beat(falco_plugin *p, void *state, falco_async *a) {
    (void)p;
    heartbeat *hb = state;
    uint64_t n = atomic_fetch_add(&hb->beats, 1) + 1;
    return emit_counts(a, "heartbeat", "beat", n, atomic_load(&hb->routine_runs));
}

/* dump_state: through `dump`, the destination of this call only. */
static falco_rc dump(falco_plugin *p, void *state, falco_async *dump) {
    (void)p;
    heartbeat *hb = state;
    return emit_counts(dump, "heartbeat_state", "beats", atomic_load(&hb->beats), atomic_load(&hb->routine_runs));
}

/* ---- capture listening: a routine per capture ---- */
typedef struct {
    uint64_t runs; /* touched by the routine only */
} ticker;

static bool tick(falco_plugin *p, void *state) {
    ticker *t = state;
    heartbeat *hb = falco_plugin_state(p);
    if (t->runs++ == 0)
        falco_log(p, FALCO_LOG_NOTICE, "routine running");
    atomic_fetch_add(&hb->routine_runs, 1);
    /* One short step per call: the pool calls it again right away. */
    struct timespec pause = {0, 100 * 1000000L};
    nanosleep(&pause, NULL);
    return true;
}

static void ticker_free(falco_plugin *p, void *state) {
    ticker *t = state;
    if (t->runs) /* one that never ran (refused, or closed at once) has nothing to say */
        falco_log(p, FALCO_LOG_NOTICE, "routine stopped after %llu runs", (unsigned long long)t->runs);
    free(t);
}

static falco_rc capture_open(falco_listen *l, void *state) {
    (void)state;
    ticker *t = calloc(1, sizeof *t);
    if (!t)
        return falco_listen_error(l, FALCO_ENOMEM, "out of memory");
    /* The routine is a nicety: a host without a thread pool (Falco built
     * without one) refuses it, and the capture goes on without it. On
     * failure the SDK has freed t through ticker_free and set the message. */
    if (!falco_routine_subscribe(l, tick, t, ticker_free)) {
        falco_plugin *p = falco_listen_plugin(l);
        falco_log(p, FALCO_LOG_WARNING, "no capture routine (routine_runs stays 0): %s", falco_plugin_last_error(p));
    }
    return FALCO_OK;
}

static falco_rc capture_close(falco_listen *l, void *state) {
    (void)l, (void)state;
    return FALCO_OK; /* the SDK ends the routines still subscribed */
}

static void metrics(falco_plugin *p, void *state, falco_metrics *m) {
    (void)p;
    heartbeat *hb = state;
    falco_metrics_u64(m, "beats", FALCO_METRIC_MONOTONIC, atomic_load(&hb->beats));
    falco_metrics_u64(m, "routine_runs", FALCO_METRIC_MONOTONIC, atomic_load(&hb->routine_runs));
}

FALCO_PLUGIN(heartbeat, .name = "heartbeat", .version = "0.1.0", .contact = "you@example.com",
             .description = "a heartbeat async event every 500 ms, and a routine while a capture is open",
             .state_size = sizeof(heartbeat), .metrics = metrics);
FALCO_ASYNC(heartbeat, .events = FALCO_STRINGS("heartbeat", "heartbeat_state"), .task = beat,
            .task_interval_ms = 500, .dump_state = dump);
FALCO_LISTEN(heartbeat, .capture_open = capture_open, .capture_close = capture_close);
