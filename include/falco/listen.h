/*
 * falco/listen.h - the capture listening capability (plugin API 3.7) and
 * the host's thread pool routines.
 *
 * The host tells the plugin when a capture opens and closes; on open the
 * plugin may subscribe routines, functions the host's thread pool calls
 * again and again until they return false:
 *
 *   static bool refresh(falco_plugin *p, void *state) {   // on a pool thread
 *       refresh_cache(state);
 *       return true;                                       // run me again
 *   }
 *   static falco_rc on_open(falco_listen *l, void *state) {
 *       return falco_routine_subscribe(l, refresh, state, NULL) ? FALCO_OK : FALCO_ERROR;
 *   }
 *   FALCO_LISTEN(cache, .capture_open = on_open, .capture_close = on_close);
 *
 * Routine state ownership: the state given to falco_routine_subscribe is
 * the author's; when a free_state callback is given, the SDK calls it
 * exactly once, after the routine can no longer run: when the routine
 * returns false, on falco_routine_unsubscribe (after a call in progress on
 * another thread has returned), at capture close for routines still
 * subscribed, at destroy, and right away when subscribing fails. After
 * any of these the routine's function is never called again.
 *
 * Capture close with routines still subscribed: the SDK runs .capture_close
 * first (which may unsubscribe its routines itself), then unsubscribes every
 * routine left, with the host and locally, waiting for calls in progress
 * to return, and frees their states. No routine outlives its capture.
 *
 * Threading: routines run on the host's pool threads, concurrently with
 * each other and with parse/extract; share state with atomics or a lock.
 * Inside a routine, report problems with falco_log() (thread-safe), not
 * falco_error() (the last error belongs to the host's thread).
 *
 * Since: 0.1.0
 */
#ifndef FALCO_LISTEN_H
#define FALCO_LISTEN_H

#include <falco/base.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A capture_open or capture_close call in progress (opaque); valid during
 * the callback only. It carries the host's table reader and writer of the
 * call: the tables of falco/table.h are read and written through them. */
typedef struct falco_listen falco_listen;

/* A subscribed routine (opaque). The handle stays valid (never reused)
 * until destroy, so unsubscribing an ended routine is safe. */
typedef struct falco_routine falco_routine;

/* One run of a routine, on a host pool thread. Return true to be called
 * again, false to end (the SDK then frees the state). */
typedef bool (*falco_routine_fn)(falco_plugin *p, void *state);
/* Frees a routine's state; called exactly once (see the file comment), on
 * whichever thread ended the routine. */
typedef void (*falco_routine_free_fn)(falco_plugin *p, void *state);

/* Internal: generated functions of the listen capability, and SDK hooks. */
typedef struct falco__listen_fns {
    falco_abi_rc (*capture_open)(falco_abi_plugin_t *s, const falco_abi_capture_listen_input *in);
    falco_abi_rc (*capture_close)(falco_abi_plugin_t *s, const falco_abi_capture_listen_input *in);
    falco_rc (*attach)(falco_plugin *p);
    void (*detach)(falco_plugin *p);
} falco__listen_fns;

/* What FALCO_LISTEN's arguments initialize. Append-only. */
typedef struct falco_listen_decl {
    int falco__present;
    /* A capture opened / is closing. Both required. An error fails the call
     * with its message (falco_listen_error). */
    falco_rc (*capture_open)(falco_listen *l, void *state);
    falco_rc (*capture_close)(falco_listen *l, void *state);
    falco__listen_fns falco__fns; /* set by FALCO_LISTEN */
} falco_listen_decl;

/* The plugin state, and the author's state (falco_plugin_state). */
falco_plugin *falco_listen_plugin(const falco_listen *l);
void *falco_listen_state(const falco_listen *l);

/* falco_error() for the hooks: records the message and returns rc; with
 * the host's own last error appended when it reports one. */
falco_rc falco_listen_error(falco_listen *l, falco_rc rc, const char *fmt, ...) FALCO_PRINTF(3, 4);

/* The host's table reader and writer of this call (ABI vtables owned by the
 * host, valid during the call), for raw-ABI use; falco/table.h wraps them
 * with typed, checked access. */
const falco_abi_table_reader_vtable_ext *falco_listen_table_reader(const falco_listen *l);
const falco_abi_table_writer_vtable_ext *falco_listen_table_writer(const falco_listen *l);

/* Subscribes fn(p, state) to the host's thread pool; from .capture_open or
 * .capture_close only (the host's routine vtable is valid there). Returns
 * the routine, or NULL with the reason in the last error (the host's own
 * when it refused); on NULL, free_state (if any) has already been called.
 * free_state may be NULL: the state is then the author's to manage. */
falco_routine *falco_routine_subscribe(falco_listen *l, falco_routine_fn fn, void *state,
                                       falco_routine_free_fn free_state);

/* Ends routine r: it is not called again. From any thread, including from
 * r itself. From another thread it waits for a call of r in progress to
 * return, then frees the state; from inside r it frees the state when r
 * returns. Ending an ended routine is a no-op (FALCO_OK). The host drops
 * the routine at its next run (r answers false), or at capture close.
 * Returns FALCO_OK, or FALCO_EINVAL for NULL. */
falco_rc falco_routine_unsubscribe(falco_routine *r);

/* True until r has ended (returned false, unsubscribed, capture closed). */
bool falco_routine_active(const falco_routine *r);

/* Number of routines of p still subscribed. Safe from any thread. */
size_t falco_routine_count(falco_plugin *p);

/* ---------------------------------------------------------------------------
 * Declaration macro
 * ------------------------------------------------------------------------- */
falco_abi_rc falco__listen_capture_open(falco_abi_plugin_t *s, const falco_abi_capture_listen_input *in);
falco_abi_rc falco__listen_capture_close(falco_abi_plugin_t *s, const falco_abi_capture_listen_input *in);
falco_rc falco__listen_attach(falco_plugin *p);
void falco__listen_detach(falco_plugin *p);

#define FALCO__LISTEN_LIST(X, id)                                                                   \
    X(id, falco_abi_rc, capture_open, (falco_abi_plugin_t * s, const falco_abi_capture_listen_input *in), \
      return falco__listen_capture_open(s, in))                                                     \
    X(id, falco_abi_rc, capture_close, (falco_abi_plugin_t * s, const falco_abi_capture_listen_input *in), \
      return falco__listen_capture_close(s, in))

/* Declares the capture listening capability of plugin `id` (after
 * FALCO_PLUGIN(id, ...)): exports plugin_capture_open and
 * plugin_capture_close; derives plugin API 3.7. The arguments are
 * designated initializers of falco_listen_decl. */
#define FALCO_LISTEN(id, ...)                                                                       \
    FALCO__LISTEN_LIST(FALCO__PROTO, id)                                                            \
    static struct falco_listen_decl id##__falco_listen = {                                          \
        .falco__present = 1,                                                                        \
        .falco__fns = {FALCO__FN_NAME(id, capture_open), FALCO__FN_NAME(id, capture_close),         \
                       falco__listen_attach, falco__listen_detach},                                 \
        __VA_ARGS__};                                                                               \
    FALCO__LISTEN_LIST(FALCO__DEFINE, id)                                                           \
    struct falco__listen_##id##_declared_once

#ifdef __cplusplus
}
#endif
#endif /* FALCO_LISTEN_H */
