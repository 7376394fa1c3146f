/* The capture listening capability and the host's thread pool routines.
 *
 * Routines are wrapped: the host calls our trampoline with a record of ours,
 * which calls the author's function unless the routine has ended. So an
 * ended routine's function never runs again even when the host calls once
 * more (libsinsp's pool may run a task it had already queued), and its state
 * is freed exactly once, after the last call returned. Records stay until
 * destroy, so handles never dangle. Only the host's thread calls the host's
 * unsubscribe (libsinsp's routine list is not thread-safe); elsewhere an
 * ended routine answers false at its next run, which makes the host drop it. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct falco_listen {
    falco_plugin *p;
    const falco_abi_capture_listen_input *in; /* the host's input of the current call */
};

struct falco_routine {
    falco_routine *next; /* every routine of the plugin, freed at destroy */
    struct falco__listen *ls;
    falco_routine_fn fn;
    void *state;
    falco_routine_free_fn free_state;
    /* under ls->mu */
    falco_abi_routine_t *host; /* the host's handle */
    bool ended;                /* fn is never called again */
    bool freed;                /* free_state ran (or is running) */
    bool running;              /* fn is running on `runner` */
    pthread_t runner;
    unsigned waiters;          /* unsubscribers waiting for the running call */
    bool host_dropped;         /* the trampoline answered false: the host forgot it */
};

typedef struct falco__listen {
    falco_plugin *p;
    pthread_mutex_t mu;
    pthread_cond_t done; /* a routine call returned */
    falco_routine *all;
    size_t active;
    falco_listen call;
} falco__listen;

falco_rc falco__listen_attach(falco_plugin *p) {
    falco__listen *ls = calloc(1, sizeof *ls);
    if (!ls || pthread_mutex_init(&ls->mu, NULL) != 0) {
        free(ls);
        return falco_error(p, FALCO_ENOMEM, "plugin init: out of memory (capture listening)");
    }
    if (pthread_cond_init(&ls->done, NULL) != 0) {
        pthread_mutex_destroy(&ls->mu);
        free(ls);
        return falco_error(p, FALCO_ENOMEM, "plugin init: out of memory (capture listening)");
    }
    ls->p = p;
    ls->call.p = p;
    p->listen = ls;
    return FALCO_OK;
}

static void end_locked(falco_routine *r) {
    r->ended = true;
    r->ls->active--;
}

/* Ends r (if not yet), waits for a call in progress on another thread, and
 * frees its state once. From inside r itself it only ends it: the
 * trampoline frees the state when r returns. */
static void routine_end(falco_routine *r) {
    falco__listen *ls = r->ls;
    pthread_mutex_lock(&ls->mu);
    if (!r->ended)
        end_locked(r);
    if (r->running && pthread_equal(r->runner, pthread_self())) {
        pthread_mutex_unlock(&ls->mu);
        return;
    }
    r->waiters++;
    while (r->running)
        pthread_cond_wait(&ls->done, &ls->mu);
    r->waiters--;
    bool free_now = !r->freed;
    r->freed = true;
    pthread_mutex_unlock(&ls->mu);
    if (free_now && r->free_state)
        r->free_state(ls->p, r->state);
}

void falco__listen_detach(falco_plugin *p) {
    falco__listen *ls = p->listen;
    if (!ls)
        return;
    for (falco_routine *r = ls->all; r; r = r->next)
        routine_end(r);
    while (ls->all) {
        falco_routine *r = ls->all;
        ls->all = r->next;
        free(r);
    }
    pthread_cond_destroy(&ls->done);
    pthread_mutex_destroy(&ls->mu);
    free(ls);
    p->listen = NULL;
}

/* What the host's pool calls. */
static falco_abi_bool trampoline(falco_abi_plugin_t *s, falco_abi_routine_state_t *i) {
    (void)s;
    falco_routine *r = i;
    falco__listen *ls = r->ls;
    pthread_mutex_lock(&ls->mu);
    if (r->ended) {
        r->host_dropped = true;
        pthread_mutex_unlock(&ls->mu);
        return 0;
    }
    r->running = true;
    r->runner = pthread_self();
    pthread_mutex_unlock(&ls->mu);

    bool again = r->fn(ls->p, r->state);

    pthread_mutex_lock(&ls->mu);
    r->running = false;
    if (!again && !r->ended)
        end_locked(r);
    bool keep = !r->ended;
    bool free_now = false;
    if (!keep) {
        r->host_dropped = true;
        /* An unsubscriber waiting on another thread frees it on waking. */
        if (!r->waiters && !r->freed)
            free_now = r->freed = true;
    }
    pthread_cond_broadcast(&ls->done);
    pthread_mutex_unlock(&ls->mu);
    if (free_now && r->free_state)
        r->free_state(ls->p, r->state);
    return keep ? 1 : 0;
}

falco_routine *falco_routine_subscribe(falco_listen *l, falco_routine_fn fn, void *state,
                                       falco_routine_free_fn free_state) {
    if (!l) {
        if (free_state)
            free_state(NULL, state);
        return NULL;
    }
    falco_plugin *p = l->p;
    falco__listen *ls = p->listen;
    const char *why = !fn ? "NULL routine function"
                      : !l->in ? "called outside .capture_open/.capture_close"
                      : !l->in->routine || !l->in->routine->subscribe ? "the host passed no routine vtable"
                                                                       : NULL;
    if (why) {
        falco_error(p, fn ? FALCO_EMISUSE : FALCO_EINVAL, "falco_routine_subscribe: %s", why);
        if (free_state)
            free_state(p, state);
        return NULL;
    }
    falco_routine *r = calloc(1, sizeof *r);
    if (!r) {
        falco_error(p, FALCO_ENOMEM, "falco_routine_subscribe: out of memory");
        if (free_state)
            free_state(p, state);
        return NULL;
    }
    r->ls = ls;
    r->fn = fn;
    r->state = state;
    r->free_state = free_state;
    /* Listed before the host sees it: its pool may run it at once. */
    pthread_mutex_lock(&ls->mu);
    r->next = ls->all;
    ls->all = r;
    ls->active++;
    pthread_mutex_unlock(&ls->mu);
    falco_abi_routine_t *h = l->in->routine->subscribe(l->in->owner, trampoline, r);
    pthread_mutex_lock(&ls->mu);
    r->host = h;
    if (!h) {
        end_locked(r);
        r->host_dropped = true;
        r->freed = true;
    }
    pthread_mutex_unlock(&ls->mu);
    if (!h) {
        falco_error_owner(p, FALCO_ERROR, "falco_routine_subscribe: the host refused the routine");
        if (free_state)
            free_state(p, state);
        return NULL;
    }
    return r;
}

falco_rc falco_routine_unsubscribe(falco_routine *r) {
    if (!r)
        return FALCO_EINVAL;
    routine_end(r);
    return FALCO_OK;
}

bool falco_routine_active(const falco_routine *r) {
    if (!r)
        return false;
    pthread_mutex_lock(&r->ls->mu);
    bool active = !r->ended;
    pthread_mutex_unlock(&r->ls->mu);
    return active;
}

size_t falco_routine_count(falco_plugin *p) {
    falco__listen *ls = p ? p->listen : NULL;
    if (!ls)
        return 0;
    pthread_mutex_lock(&ls->mu);
    size_t n = ls->active;
    pthread_mutex_unlock(&ls->mu);
    return n;
}

static falco_abi_rc listen_call(falco_abi_plugin_t *s, const falco_abi_capture_listen_input *in, bool open) {
    falco_plugin *p = s;
    if (!p || !p->listen)
        return FALCO_ABI_RC_FAILURE; /* init failed */
    falco__begin_call(p, &p->misc_arena);
    const char *what = open ? "capture_open" : "capture_close";
    if (!in) {
        falco_error(p, FALCO_EINVAL, "%s: the host passed no input", what);
        return FALCO_ABI_RC_FAILURE;
    }
    falco__listen *ls = p->listen;
    const falco_listen_decl *ld = p->decl->falco__listen;
    ls->call.in = in;
    if (p->tables) /* state tables: read and write at capture open/close */
        falco__tables_enter(p, in->table_reader_ext, in->table_writer_ext, FALCO__TPHASE_RW);
    falco_rc rc = (open ? ld->capture_open : ld->capture_close)(&ls->call, p->state);
    if (p->tables)
        falco__tables_leave(p);
    if (!open) {
        /* No routine outlives its capture: end the ones left, with the host
         * (valid vtable at hand) and here. */
        for (falco_routine *r = ls->all; r; r = r->next) {
            pthread_mutex_lock(&ls->mu);
            bool tell_host = !r->host_dropped && r->host && !r->ended;
            falco_abi_routine_t *h = r->host;
            pthread_mutex_unlock(&ls->mu);
            if (tell_host && in->routine && in->routine->unsubscribe)
                (void)in->routine->unsubscribe(in->owner, h);
            routine_end(r);
        }
    }
    ls->call.in = NULL;
    if (rc != FALCO_OK) {
        falco__default_error(p, rc, what, NULL);
        return falco__to_abi_rc(rc);
    }
    return FALCO_ABI_RC_SUCCESS;
}

falco_abi_rc falco__listen_capture_open(falco_abi_plugin_t *s, const falco_abi_capture_listen_input *in) {
    return listen_call(s, in, true);
}

falco_abi_rc falco__listen_capture_close(falco_abi_plugin_t *s, const falco_abi_capture_listen_input *in) {
    return listen_call(s, in, false);
}

falco_plugin *falco_listen_plugin(const falco_listen *l) {
    return l->p;
}

void *falco_listen_state(const falco_listen *l) {
    return l->p->state;
}

/* The host's last error comes through the init input's getter (same owner,
 * every API version), not the listen input's, which hosts fill from 3.9 on
 * only: so listening alone keeps declaring 3.7. */
falco_rc falco_listen_error(falco_listen *l, falco_rc rc, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    falco__handle_verror(l->p, rc, "", true, fmt, ap);
    va_end(ap);
    return rc;
}

const falco_abi_table_reader_vtable_ext *falco_listen_table_reader(const falco_listen *l) {
    return l->in ? l->in->table_reader_ext : NULL;
}

const falco_abi_table_writer_vtable_ext *falco_listen_table_writer(const falco_listen *l) {
    return l->in ? l->in->table_writer_ext : NULL;
}
