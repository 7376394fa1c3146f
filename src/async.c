/* The async events capability: the handler lifecycle (replaced at any time,
 * NULL stops), emits that are safe from any thread and checked against the
 * declared names, the background-task worker (pthread + condvar, stopped
 * and joined before any new handler), and dump_state on the owner and
 * handler of that call. */
/* clock_gettime, pthread_condattr_setclock */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <falco/event.h>

#include "internal.h"

struct falco_async {
    falco_plugin *p;
    const falco_async_decl *ad;
    pthread_mutex_t mu;
    pthread_cond_t idle; /* signalled when inflight drops to 0 */
    pthread_cond_t wake; /* the worker: stop or wake requested */
    /* under mu */
    falco_abi_owner_t *owner;
    falco_abi_async_event_handler handler;
    bool open;          /* emits may reach handler */
    unsigned inflight;  /* emits calling handler now */
    bool host_call;     /* the host's thread is inside one of our calls (start, dump) */
    pthread_t host_thread;
    bool worker_started, stop_req, wake_req;
    pthread_t worker;
    /* host thread only */
    bool author_started; /* .start succeeded: .stop is due */
};

/* The message of the last failed emit on this thread. */
static _Thread_local char emit_error[FALCO__ERRLEN];

const char *falco_async_error(void) {
    return emit_error;
}

/* Records a failed emit: always thread-locally, and as the plugin's last
 * error when on the host's thread inside one of its calls. Returns rc. */
static falco_rc emit_fail(falco_async *a, falco_rc rc, const char *fmt, ...) FALCO_PRINTF(3, 4);
static falco_rc emit_fail(falco_async *a, falco_rc rc, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(emit_error, sizeof emit_error, fmt, ap);
    va_end(ap);
    if (a) {
        pthread_mutex_lock(&a->mu);
        bool host = a->host_call && pthread_equal(a->host_thread, pthread_self());
        pthread_mutex_unlock(&a->mu);
        if (host)
            falco_error(a->p, rc, "%s", emit_error);
    }
    return rc;
}

static bool declared(const falco_async_decl *ad, const char *name) {
    for (size_t i = 0; ad->events[i]; i++)
        if (strcmp(ad->events[i], name) == 0)
            return true;
    return false;
}

falco_rc falco_async_emit(falco_async *a, const char *name, const void *data, size_t len) {
    emit_error[0] = '\0';
    if (!a)
        return emit_fail(NULL, FALCO_EINVAL, "async emit: NULL destination");
    if (!name || !*name)
        return emit_fail(a, FALCO_EINVAL, "async emit: the event name is %s", name ? "empty" : "NULL");
    if (!data && len)
        return emit_fail(a, FALCO_EINVAL, "async emit '%s': NULL data with a length of %zu", name, len);
    if (!declared(a->ad, name))
        return emit_fail(a, FALCO_ENOTFOUND, "async emit: event '%s' is not declared in FALCO_ASYNC .events",
                         name);
    /* Built on the stack when small; the host copies what it keeps. */
    _Alignas(8) unsigned char small[512];
    unsigned char *buf = small;
    size_t need = 0;
    falco_rc rc = falco_evt_encode_async(small, sizeof small, &need, UINT64_MAX, UINT64_MAX, 0, name, data, len);
    if (rc == FALCO_ERANGE && need > sizeof small) {
        if (!(buf = malloc(need)))
            return emit_fail(a, FALCO_ENOMEM, "async emit '%s': out of memory for %zu bytes", name, need);
        rc = falco_evt_encode_async(buf, need, &need, UINT64_MAX, UINT64_MAX, 0, name, data, len);
    }
    if (rc != FALCO_OK) {
        if (buf != small)
            free(buf);
        return emit_fail(a, rc, "async emit '%s': cannot encode a %zu-byte payload: %s", name, len,
                         falco_rc_message(rc));
    }
    pthread_mutex_lock(&a->mu);
    if (!a->open) {
        pthread_mutex_unlock(&a->mu);
        if (buf != small)
            free(buf);
        return emit_fail(a, FALCO_EMISUSE,
                         "async emit '%s': no async handler (not installed yet, or stopped by the host)", name);
    }
    a->inflight++;
    falco_abi_owner_t *owner = a->owner;
    falco_abi_async_event_handler handler = a->handler;
    pthread_mutex_unlock(&a->mu);

    char err[FALCO_ABI_MAX_ERRLEN];
    err[0] = '\0';
    falco_abi_rc hrc = handler(owner, (const falco_abi_event *)(const void *)buf, err);
    err[sizeof err - 1] = '\0';

    pthread_mutex_lock(&a->mu);
    if (--a->inflight == 0)
        pthread_cond_broadcast(&a->idle);
    pthread_mutex_unlock(&a->mu);
    if (buf != small)
        free(buf);
    if (hrc != FALCO_ABI_RC_SUCCESS)
        return emit_fail(a, FALCO_ERROR, "async emit '%s': the host refused it: %s", name,
                         err[0] ? err : "(no message)");
    return FALCO_OK;
}

falco_rc falco_async_emit_str(falco_async *a, const char *name, const char *s) {
    if (!s)
        return emit_fail(a, FALCO_EINVAL, "async emit '%s': NULL string", name ? name : "(null)");
    return falco_async_emit(a, name, s, strlen(s) + 1);
}

falco_rc falco_async_emit_json(falco_async *a, const char *name, const falco_json_writer *w) {
    size_t len = 0;
    const char *text = w ? falco_json_writer_str(w, &len) : NULL;
    if (!text || !len) {
        const char *why = !w ? "NULL writer" : falco_json_writer_failed(w) ? falco_json_writer_error(w)
                                                                           : "no complete JSON document";
        return emit_fail(a, FALCO_EINVAL, "async emit '%s': %s", name ? name : "(null)", why ? why : "failed");
    }
    return falco_async_emit(a, name, text, len + 1);
}

bool falco_async_active(falco_async *a) {
    if (!a)
        return false;
    pthread_mutex_lock(&a->mu);
    bool open = a->open;
    pthread_mutex_unlock(&a->mu);
    return open;
}

falco_async *falco_plugin_async(falco_plugin *p) {
    return p ? p->async : NULL;
}

falco_plugin *falco_async_plugin(const falco_async *a) {
    return a->p;
}

void falco_async_wake(falco_plugin *p) {
    falco_async *a = p ? p->async : NULL;
    if (!a)
        return;
    pthread_mutex_lock(&a->mu);
    a->wake_req = true;
    pthread_cond_broadcast(&a->wake);
    pthread_mutex_unlock(&a->mu);
}

static falco_rc dest_init(falco_async *a, falco_plugin *p) {
    memset(a, 0, sizeof *a);
    a->p = p;
    a->ad = p->decl->falco__async;
    pthread_condattr_t ca;
    if (pthread_condattr_init(&ca) != 0)
        return FALCO_ENOMEM;
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC); /* intervals immune to clock changes */
    bool ok = pthread_mutex_init(&a->mu, NULL) == 0;
    ok = ok && pthread_cond_init(&a->idle, NULL) == 0;
    ok = ok && pthread_cond_init(&a->wake, &ca) == 0;
    pthread_condattr_destroy(&ca);
    return ok ? FALCO_OK : FALCO_ENOMEM;
}

/* Closes a to emits and waits for the ones calling the handler. */
static void dest_close(falco_async *a) {
    pthread_mutex_lock(&a->mu);
    a->open = false;
    while (a->inflight)
        pthread_cond_wait(&a->idle, &a->mu);
    a->handler = NULL;
    a->owner = NULL;
    pthread_mutex_unlock(&a->mu);
}

static void dest_destroy(falco_async *a) {
    pthread_cond_destroy(&a->wake);
    pthread_cond_destroy(&a->idle);
    pthread_mutex_destroy(&a->mu);
}

/* Reports a failed task run to the host's logger (stderr without one). Not
 * through falco_log, so that the task alone does not raise the derived API
 * version (log_fn is read from 3.4 hosts only, see falco__base_init). */
static void task_log(falco_plugin *p, falco_rc rc) {
    char msg[FALCO__ERRLEN + 64];
    snprintf(msg, sizeof msg, "async task failed: %s%s%s", falco_rc_message(rc), emit_error[0] ? ": " : "",
             emit_error);
    if (p->log_fn)
        p->log_fn(p->owner, p->decl->name, msg, FALCO_ABI_LOG_ERROR);
    else
        fprintf(stderr, "[%s] error: %s\n", p->decl->name, msg);
}

/* The background task: right away, then every interval, or when woken;
 * until stop is requested or the task returns FALCO_EOF. */
static void *worker_main(void *arg) {
    falco_async *a = arg;
    falco_plugin *p = a->p;
    const falco_async_decl *ad = a->ad;
    bool first = true;
    pthread_mutex_lock(&a->mu);
    for (;;) {
        if (!first) {
            struct timespec at;
            clock_gettime(CLOCK_MONOTONIC, &at);
            uint64_t ns = (uint64_t)at.tv_nsec + (uint64_t)(ad->task_interval_ms % 1000) * 1000000u;
            at.tv_sec += (time_t)(ad->task_interval_ms / 1000) + (time_t)(ns / 1000000000u);
            at.tv_nsec = (long)(ns % 1000000000u);
            while (!a->stop_req && !a->wake_req)
                if (pthread_cond_timedwait(&a->wake, &a->mu, &at) == ETIMEDOUT)
                    break;
        }
        first = false;
        if (a->stop_req)
            break;
        a->wake_req = false;
        pthread_mutex_unlock(&a->mu);
        falco_rc rc = ad->task(p, p->state, a);
        pthread_mutex_lock(&a->mu);
        if (rc == FALCO_EOF)
            break;
        /* A run cut short by a stop (its emit refused) is not worth a log line. */
        if (rc != FALCO_OK && a->open && !a->stop_req) {
            pthread_mutex_unlock(&a->mu);
            task_log(p, rc);
            pthread_mutex_lock(&a->mu);
        }
    }
    pthread_mutex_unlock(&a->mu);
    return NULL;
}

/* Stops everything the current handler started: emits (waiting for those in
 * flight), the task (joined), then the author's .stop. Host thread only. */
static void stop_all(falco_async *a) {
    dest_close(a);
    pthread_mutex_lock(&a->mu);
    bool join = a->worker_started;
    a->stop_req = true;
    pthread_cond_broadcast(&a->wake);
    pthread_mutex_unlock(&a->mu);
    if (join)
        pthread_join(a->worker, NULL);
    pthread_mutex_lock(&a->mu);
    a->worker_started = false;
    a->stop_req = false;
    a->wake_req = false;
    pthread_mutex_unlock(&a->mu);
    if (a->author_started) {
        a->author_started = false;
        a->ad->stop(a->p, a->p->state);
    }
}

falco_rc falco__async_attach(falco_plugin *p) {
    falco_async *a = malloc(sizeof *a);
    if (!a || dest_init(a, p) != FALCO_OK) {
        free(a);
        return falco_error(p, FALCO_ENOMEM, "plugin init: out of memory (async events)");
    }
    p->async = a;
    return FALCO_OK;
}

void falco__async_detach(falco_plugin *p) {
    falco_async *a = p->async;
    if (!a)
        return;
    stop_all(a);
    dest_destroy(a);
    free(a);
    p->async = NULL;
}

const char *falco__async_events(const falco_plugin_decl *d) {
    falco__runtime *rt = falco__runtime_get(d);
    return rt && rt->async_events_json ? rt->async_events_json : "[]";
}

const char *falco__async_event_sources(const falco_plugin_decl *d) {
    falco__runtime *rt = falco__runtime_get(d);
    return rt ? rt->async_sources_json : NULL;
}

static void set_host_call(falco_async *a, bool on) {
    pthread_mutex_lock(&a->mu);
    a->host_call = on;
    a->host_thread = pthread_self();
    pthread_mutex_unlock(&a->mu);
}

falco_abi_rc falco__async_set_handler(falco_abi_plugin_t *s, falco_abi_owner_t *owner,
                                      falco_abi_async_event_handler handler) {
    falco_plugin *p = s;
    if (!p || !p->async)
        return FALCO_ABI_RC_FAILURE; /* init failed */
    falco__begin_call(p, &p->misc_arena);
    falco_async *a = p->async;
    const falco_async_decl *ad = a->ad;
    stop_all(a); /* a new handler always replaces the previous one's workers */
    if (!handler)
        return FALCO_ABI_RC_SUCCESS;
    pthread_mutex_lock(&a->mu);
    a->owner = owner;
    a->handler = handler;
    a->open = true;
    pthread_mutex_unlock(&a->mu);
    falco_rc rc = FALCO_OK;
    if (ad->start) {
        set_host_call(a, true);
        rc = ad->start(p, p->state, a);
        set_host_call(a, false);
        if (rc == FALCO_OK)
            a->author_started = true;
        else
            falco__default_error(p, rc, "async start", NULL);
    }
    if (rc == FALCO_OK && ad->task) {
        pthread_mutex_lock(&a->mu);
        int err = pthread_create(&a->worker, NULL, worker_main, a);
        a->worker_started = err == 0;
        pthread_mutex_unlock(&a->mu);
        if (err)
            rc = falco_error(p, FALCO_ERROR, "async: cannot start the background task thread: %s", strerror(err));
    }
    if (rc != FALCO_OK) {
        stop_all(a);
        return falco__to_abi_rc(rc);
    }
    return FALCO_ABI_RC_SUCCESS;
}

falco_abi_rc falco__async_dump_state(falco_abi_plugin_t *s, falco_abi_owner_t *owner,
                                     falco_abi_async_event_handler handler) {
    falco_plugin *p = s;
    if (!p || !p->async)
        return FALCO_ABI_RC_FAILURE;
    falco__begin_call(p, &p->misc_arena);
    const falco_async_decl *ad = p->async->ad;
    if (!ad->dump_state)
        return FALCO_ABI_RC_SUCCESS; /* nothing to dump */
    if (!handler) {
        falco_error(p, FALCO_EINVAL, "dump_state: the host passed no handler");
        return FALCO_ABI_RC_FAILURE;
    }
    /* This call's own destination: the owner and handler the host passed
     * for this dump, never the regular handler. */
    falco_async d;
    if (dest_init(&d, p) != FALCO_OK) {
        falco_error(p, FALCO_ENOMEM, "dump_state: out of memory");
        return FALCO_ABI_RC_FAILURE;
    }
    d.owner = owner;
    d.handler = handler;
    d.open = true;
    d.host_call = true;
    d.host_thread = pthread_self();
    falco_rc rc = ad->dump_state(p, p->state, &d);
    dest_close(&d); /* emits from helper threads end with the call */
    dest_destroy(&d);
    if (rc != FALCO_OK) {
        falco__default_error(p, rc, "dump_state", NULL);
        return falco__to_abi_rc(rc);
    }
    return FALCO_ABI_RC_SUCCESS;
}
