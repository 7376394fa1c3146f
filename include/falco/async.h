/*
 * falco/async.h - the async events capability (plugin API 3.0; dump_state 3.10).
 *
 * A plugin injects events of its own (type 402, "asyncevent") into the
 * host's event stream, from any thread, under names it declares:
 *
 *   static falco_rc hb_tick(falco_plugin *p, void *state, falco_async *a) {
 *       hb_state *hb = state;
 *       uint64_t n = ++hb->beats;             // state shared with a worker: atomics or a lock
 *       return falco_async_emit(a, "heartbeat", &n, sizeof n);
 *   }
 *   FALCO_ASYNC(hb, .events = FALCO_STRINGS("heartbeat"), .task = hb_tick,
 *               .task_interval_ms = 1000, .dump_state = hb_dump);
 *
 * Lifecycle, as the host drives it: set_async_event_handler may come at any
 * time, again and again. Every call first stops what the previous handler
 * started: emits are refused from then on (FALCO_EMISUSE), emits in flight
 * are waited for, the background task (.task) is woken, stopped and
 * joined, and .stop runs. A NULL handler stops and stays stopped; a new one
 * starts again: .start, then the task. destroy stops too. So when
 * set_async_event_handler returns, the old handler is never called again.
 *
 * Checks: every emit checks the name against .events before the host sees
 * it (FALCO_ENOTFOUND), and a host refusal comes back as FALCO_ERROR with
 * the host's own message. Emit failures on threads other than the host's
 * are reported through falco_async_error() (thread-local), because the
 * plugin's last error belongs to the host's thread.
 *
 * Since: 0.1.0
 */
#ifndef FALCO_ASYNC_H
#define FALCO_ASYNC_H

#include <falco/base.h>
#include <falco/json.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Where async events go (opaque): the plugin's regular destination
 * (falco_plugin_async(), the one .start and .task receive), or the one-call
 * destination .dump_state receives. Safe to use from any thread. */
typedef struct falco_async falco_async;

/* .events = FALCO_STRINGS("a", "b"): a NULL-terminated list of names. */
#define FALCO_STRINGS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Internal: generated functions of the async capability, and SDK hooks. */
typedef struct falco__async_fns {
    const char *(*get_async_event_sources)(void);
    const char *(*get_async_events)(void);
    falco_abi_rc (*set_async_event_handler)(falco_abi_plugin_t *s, falco_abi_owner_t *owner,
                                            const falco_abi_async_event_handler handler);
    falco_abi_rc (*dump_state)(falco_abi_plugin_t *s, falco_abi_owner_t *owner,
                               const falco_abi_async_event_handler handler);
    falco_rc (*attach)(falco_plugin *p);
    void (*detach)(falco_plugin *p);
} falco__async_fns;

/* What FALCO_ASYNC's arguments initialize. Append-only. */
typedef struct falco_async_decl {
    int falco__present;
    /* Names of the events the plugin may emit (FALCO_STRINGS(...)): at
     * least one, non-empty, unique. Required. */
    const char *const *events;
    /* Event sources the events are injected into (FALCO_SOURCES(...)).
     * Default (NULL): every source. */
    const char *const *sources;
    /* Called on the host's thread once a handler is installed: start your
     * own producers here (emitting through a). An error refuses the
     * handler. Needs .stop, which must stop them (called on the next
     * set_async_event_handler, and at destroy). */
    falco_rc (*start)(falco_plugin *p, void *state, falco_async *a);
    void (*stop)(falco_plugin *p, void *state);
    /* The background task: the SDK runs it on its own thread right after a
     * handler is installed, then every task_interval_ms (or sooner, on
     * falco_async_wake()), until the handler goes. FALCO_EOF ends the task;
     * an error is logged and the task goes on. It runs concurrently with
     * the host's calls: share state with atomics or a lock. */
    falco_rc (*task)(falco_plugin *p, void *state, falco_async *a);
    uint32_t task_interval_ms; /* required with .task, at least 1 */
    /* dump_state (plugin API 3.10, derived): emit the plugin's state as
     * async events through dump, the destination of this call only (the
     * host's owner and handler for this dump). Called on the host's
     * thread. An error aborts the dump. Without it the plugin dumps
     * nothing and succeeds. */
    falco_rc (*dump_state)(falco_plugin *p, void *state, falco_async *dump);
    falco__async_fns falco__fns; /* set by FALCO_ASYNC */
} falco_async_decl;

/* ---------------------------------------------------------------------------
 * Emitting. Every function is safe from any thread; the event is built on
 * the caller's stack (or heap for large payloads) and handed to the host
 * synchronously, so data may be freed when the call returns.
 * ------------------------------------------------------------------------- */

/* Emits async event `name` carrying len bytes of data (copied; data may be
 * NULL when len is 0). Returns FALCO_OK; FALCO_EINVAL (NULL or empty name,
 * NULL data); FALCO_ENOTFOUND (name not in .events); FALCO_EMISUSE (no
 * handler: not installed yet, or stopped); FALCO_ERANGE (payload over 4 GiB);
 * FALCO_ENOMEM; FALCO_ERROR (the host refused it: its message). The message
 * of a failure is in falco_async_error(), and, when called on the host's
 * thread inside one of its calls (dump_state, start), also the last error. */
falco_rc falco_async_emit(falco_async *a, const char *name, const void *data, size_t len);

/* The same with a C string payload, its NUL included. */
falco_rc falco_async_emit_str(falco_async *a, const char *name, const char *s);

/* The same with the JSON text of w (NUL included) as payload. FALCO_EINVAL
 * when w failed or holds no complete document. w stays the caller's. */
falco_rc falco_async_emit_json(falco_async *a, const char *name, const falco_json_writer *w);

/* The message of the last failed emit on the calling thread ("" when none).
 * Thread-local; valid until the next emit on this thread. */
const char *falco_async_error(void);

/* True while a handler is installed and emits can reach it. For loops of
 * the author's own threads; a racing stop still makes the emit fail. */
bool falco_async_active(falco_async *a);

/* The plugin's regular destination, for emitting from anywhere (e.g. from
 * parse_event). NULL when the plugin declares no FALCO_ASYNC. Valid until
 * destroy. */
falco_async *falco_plugin_async(falco_plugin *p);

/* Runs the background task now instead of at its next interval (no-op
 * without a running task). Safe from any thread. */
void falco_async_wake(falco_plugin *p);

/* The plugin the destination belongs to. */
falco_plugin *falco_async_plugin(const falco_async *a);

/* ---------------------------------------------------------------------------
 * Declaration macro
 * ------------------------------------------------------------------------- */
const char *falco__async_event_sources(const falco_plugin_decl *d);
const char *falco__async_events(const falco_plugin_decl *d);
falco_abi_rc falco__async_set_handler(falco_abi_plugin_t *s, falco_abi_owner_t *owner,
                                      falco_abi_async_event_handler handler);
falco_abi_rc falco__async_dump_state(falco_abi_plugin_t *s, falco_abi_owner_t *owner,
                                     falco_abi_async_event_handler handler);
falco_rc falco__async_attach(falco_plugin *p);
void falco__async_detach(falco_plugin *p);

#define FALCO__ASYNC_LIST(X, id)                                                                    \
    X(id, const char *, get_async_event_sources, (void),                                            \
      return falco__async_event_sources(FALCO__DECL(id)))                                           \
    X(id, const char *, get_async_events, (void), return falco__async_events(FALCO__DECL(id)))      \
    X(id, falco_abi_rc, set_async_event_handler,                                                    \
      (falco_abi_plugin_t * s, falco_abi_owner_t * o, const falco_abi_async_event_handler h),       \
      return falco__async_set_handler(s, o, h))                                                     \
    X(id, falco_abi_rc, dump_state,                                                                 \
      (falco_abi_plugin_t * s, falco_abi_owner_t * o, const falco_abi_async_event_handler h),       \
      return falco__async_dump_state(s, o, h))

/* Declares the async events capability of plugin `id` (after
 * FALCO_PLUGIN(id, ...)): exports plugin_get_async_events,
 * plugin_get_async_event_sources, plugin_set_async_event_handler and
 * plugin_dump_state. The arguments are designated initializers of
 * falco_async_decl. */
#define FALCO_ASYNC(id, ...)                                                                        \
    FALCO__ASYNC_LIST(FALCO__PROTO, id)                                                             \
    static struct falco_async_decl id##__falco_async = {                                            \
        .falco__present = 1,                                                                        \
        .falco__fns = {FALCO__FN_NAME(id, get_async_event_sources),                                 \
                       FALCO__FN_NAME(id, get_async_events),                                        \
                       FALCO__FN_NAME(id, set_async_event_handler), FALCO__FN_NAME(id, dump_state), \
                       falco__async_attach, falco__async_detach},                                   \
        __VA_ARGS__};                                                                               \
    FALCO__ASYNC_LIST(FALCO__DEFINE, id)                                                            \
    struct falco__async_##id##_declared_once

#ifdef __cplusplus
}
#endif
#endif /* FALCO_ASYNC_H */
