/*
 * session.c - several plugins over one event stream, as libsinsp's inspector
 * runs them: parse plugins before extraction, async events queued from any
 * thread and merged into the stream by timestamp, capture listening with a
 * pool of routine threads.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <falco/event_codes.h>

#include "host_internal.h"

#define ASYNC_MAX_AHEAD_NS (10ULL * 1000000000ULL) /* libsinsp drops async events further ahead */

/* A queued async event: an owned copy, ordered by timestamp. */
typedef struct queued {
    struct queued *next;
    falco_host_plugin *from;
    uint64_t ts;
    falco_abi_event *evt;
} queued;

typedef struct session_routine {
    falco_host_plugin *plugin;
    falco_abi_routine_fn fn;
    falco_abi_routine_state_t *state;
    bool active;  /* subscribed: runs again when a thread is free */
    bool running; /* on a pool thread now */
} session_routine;

struct falco_host_session {
    falco_host_plugin **plugins;
    size_t count;
    bool open;
    falco__host_tables *tables; /* the state tables its plugins share */
    char err[FALCO__HOST_ERRLEN];

    /* the stream */
    falco_host_plugin *src;          /* source plugin, or NULL with a caller stream */
    falco_host_instance *instance;
    falco_host_stream stream;
    char *source;                    /* the stream's event source */
    uint32_t source_id;              /* the source plugin's id: stamped into async events */
    bool live;
    uint64_t evtnum, last_ts;
    const falco_abi_event *delayed;  /* a regular event held back while async events go first */
    falco_rc held_rc;                /* a capture stream's failure while its starting state was read */
    falco_host_session_event cur;
    falco_abi_event *cur_copy;       /* the delivered async event, freed at the next call */
    uint64_t parse_failures;

    /* async queue: written by plugin threads */
    pthread_mutex_t qlock;
    queued *head;
    uint64_t queued_total, dropped;

    /* routine pool */
    pthread_mutex_t rlock;
    pthread_cond_t rcond;
    session_routine *routines;
    size_t nroutines, next_pick;
    pthread_t *threads;
    unsigned nthreads, started;
    bool stopping;
};

static falco_rc serr(falco_host_session *s, falco_rc rc, const char *fmt, ...) FALCO_PRINTF(3, 4);
static falco_rc serr(falco_host_session *s, falco_rc rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->err, sizeof s->err, fmt, ap);
    va_end(ap);
    return rc;
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static uint64_t evt_ts(const falco_abi_event *e)
{
    uint64_t ts;
    memcpy(&ts, e, 8);
    return ts;
}

static uint16_t evt_type(const falco_abi_event *e)
{
    uint16_t t;
    memcpy(&t, (const uint8_t *)e + 20, 2);
    return t;
}

/* libsinsp's timestamp order: UINT64_MAX means "as early as possible". */
static bool comes_first(uint64_t left, uint64_t right)
{
    return left == UINT64_MAX || left <= right;
}

falco_rc falco_host_session_new(unsigned threads, falco_host_session **out)
{
    falco_host_session *s = calloc(1, sizeof *s);
    *out = NULL;
    if (!s)
        return FALCO_ENOMEM;
    s->nthreads = threads ? threads : 2;
    if (pthread_mutex_init(&s->qlock, NULL) != 0) {
        free(s);
        return FALCO_ENOMEM;
    }
    if (pthread_mutex_init(&s->rlock, NULL) != 0) {
        pthread_mutex_destroy(&s->qlock);
        free(s);
        return FALCO_ENOMEM;
    }
    if (pthread_cond_init(&s->rcond, NULL) != 0) {
        pthread_mutex_destroy(&s->rlock);
        pthread_mutex_destroy(&s->qlock);
        free(s);
        return FALCO_ENOMEM;
    }
    if (!(s->tables = falco__host_tables_new())) {
        pthread_cond_destroy(&s->rcond);
        pthread_mutex_destroy(&s->rlock);
        pthread_mutex_destroy(&s->qlock);
        free(s);
        return FALCO_ENOMEM;
    }
    *out = s;
    return FALCO_OK;
}

/* The rules of adding p, initialized or not (falco_host_session_init). */
static falco_rc add_check(falco_host_session *s, falco_host_plugin *p)
{
    if (!p)
        return serr(s, FALCO_EINVAL, "session: add: NULL plugin");
    if (s->open)
        return serr(s, FALCO_EMISUSE, "session: add: plugin '%s' added while the session is open",
                    falco__host_label(p));
    if (p->session)
        return serr(s, FALCO_EMISUSE, "session: add: plugin '%s' already belongs to a session",
                    falco__host_label(p));
    for (size_t i = 0; i < s->count; i++) {
        const falco_host_plugin *o = s->plugins[i];
        if (strcmp(o->name, p->name) == 0)
            return serr(s, FALCO_EINVAL, "session: add: found another plugin with name '%s'", p->name);
        bool both_src = (o->caps & FALCO_HOST_CAP_SOURCE) && (p->caps & FALCO_HOST_CAP_SOURCE);
        if (both_src && p->id != 0 && o->id == p->id)
            return serr(s, FALCO_EINVAL, "session: add: plugin '%s' has the event ID %u of plugin '%s'", p->name,
                        p->id, o->name);
        if (both_src && p->event_source[0] && strcmp(o->event_source, p->event_source) == 0)
            return serr(s, FALCO_EINVAL, "session: add: plugin '%s' has the event source '%s' of plugin '%s'",
                        p->name, p->event_source, o->name);
    }
    return FALCO_OK;
}

static falco_rc append(falco_host_session *s, falco_host_plugin *p)
{
    falco_host_plugin **list = realloc(s->plugins, (s->count + 1) * sizeof *list);
    if (!list)
        return serr(s, FALCO_ENOMEM, "session: add: out of memory");
    s->plugins = list;
    s->plugins[s->count++] = p;
    p->session = s;
    return FALCO_OK;
}

falco_rc falco_host_session_add(falco_host_session *s, falco_host_plugin *p)
{
    falco_rc rc = add_check(s, p);
    if (rc != FALCO_OK)
        return rc;
    if (!p->inited)
        return serr(s, FALCO_EMISUSE, "session: add: plugin '%s' is not initialized", falco__host_label(p));
    return append(s, p);
}

falco_rc falco_host_session_init(falco_host_session *s, falco_host_plugin *p, const char *config)
{
    falco_rc rc = add_check(s, p);
    if (rc != FALCO_OK)
        return rc;
    if (!p->loaded)
        return serr(s, FALCO_EMISUSE, "session: init: plugin '%s' did not load", falco__host_label(p));
    if (p->inited || p->init_called)
        return serr(s, FALCO_EMISUSE, "session: init: plugin '%s' is already initialized: add it instead",
                    falco__host_label(p));
    /* the init input's owner callbacks find the registry through p->session */
    p->session = s;
    rc = falco_host_plugin_init(p, config);
    falco__host_tables_phase_end();
    p->session = NULL;
    if (rc == FALCO_OK)
        rc = append(s, p);
    else
        serr(s, rc, "session: init: %s", p->err);
    if (rc != FALCO_OK)
        falco__host_tables_drop_owner(s->tables, p);
    return rc;
}

falco__host_tables *falco__host_session_tables(falco_host_session *s)
{
    return s->tables;
}

falco_rc falco_host_threads_add(falco_host_session *s, const falco_host_thread *t)
{
    if (!t)
        return serr(s, FALCO_EINVAL, "session: threads_add: NULL thread");
    falco_rc rc = falco__host_threads_add(s->tables, t);
    if (rc != FALCO_OK)
        serr(s, rc, "session: threads_add: tid %lld: out of memory", (long long)t->tid);
    return rc;
}

falco_rc falco_host_threads_add_fd(falco_host_session *s, int64_t tid, const falco_host_fd *fd)
{
    if (!fd)
        return serr(s, FALCO_EINVAL, "session: threads_add_fd: NULL fd");
    falco_rc rc = falco__host_threads_add_fd(s->tables, tid, fd);
    if (rc != FALCO_OK)
        serr(s, rc, "session: threads_add_fd: tid %lld fd %lld: out of memory", (long long)tid, (long long)fd->fd);
    return rc;
}

falco_rc falco_host_threads_event(falco_host_session *s, const falco_abi_event *evt)
{
    char why[512];
    if (!evt)
        return serr(s, FALCO_EINVAL, "session: threads_event: NULL event");
    if (falco__host_event_check(evt, why, sizeof why) != FALCO_OK)
        return serr(s, FALCO_EPARSE, "session: threads_event: %s", why);
    falco__host_threads_event(s->tables, evt);
    return FALCO_OK;
}

size_t falco_host_session_table_count(const falco_host_session *s)
{
    return falco__host_tables_count(s->tables);
}

const char *falco_host_session_table(const falco_host_session *s, size_t i, falco_abi_state_type *key_type,
                                     uint64_t *size)
{
    return falco__host_tables_info(s->tables, i, key_type, size);
}

const falco_abi_table_fieldinfo *falco_host_session_table_fields(falco_host_session *s, size_t i, uint32_t *n)
{
    uint32_t dummy;
    return falco__host_tables_fields(s->tables, i, n ? n : &dummy, s->err);
}

falco_rc falco_host_session_table_entries(falco_host_session *s, size_t i, uint64_t max, uint64_t *size,
                                          falco_host_table_entry_fn fn, void *userdata)
{
    if (max && !fn)
        return serr(s, FALCO_EINVAL, "session: table_entries: NULL callback");
    return falco__host_tables_entries(s->tables, i, max, size, fn, userdata, s->err);
}

uint64_t falco_host_session_entries_held(const falco_host_session *s)
{
    return falco__host_tables_held(s->tables);
}

const char *falco_host_state_type_name(falco_abi_state_type t)
{
    return falco__host_state_type_name(t);
}

/* ---- routines ---- */

static void *pool_thread(void *arg)
{
    falco_host_session *s = arg;
    pthread_mutex_lock(&s->rlock);
    while (!s->stopping) {
        size_t n = s->nroutines, pick = SIZE_MAX;
        for (size_t k = 0; k < n; k++) {
            size_t i = (s->next_pick + k) % n;
            if (s->routines[i].active && !s->routines[i].running) {
                pick = i;
                break;
            }
        }
        if (pick == SIZE_MAX) {
            pthread_cond_wait(&s->rcond, &s->rlock);
            continue;
        }
        session_routine r = s->routines[pick];
        s->routines[pick].running = true;
        s->next_pick = pick + 1;
        pthread_mutex_unlock(&s->rlock);
        bool again = r.fn(r.plugin->state, r.state) != 0;
        pthread_mutex_lock(&s->rlock);
        s->routines[pick].running = false;
        if (!again)
            s->routines[pick].active = false; /* libsinsp: false unsubscribes */
        pthread_cond_broadcast(&s->rcond);
        if (again) {
            /* let the owner and the other routines have the lock */
            pthread_mutex_unlock(&s->rlock);
            sched_yield();
            pthread_mutex_lock(&s->rlock);
        }
    }
    pthread_mutex_unlock(&s->rlock);
    return NULL;
}

falco_abi_routine_t *falco__host_session_subscribe(falco_host_plugin *p, falco_abi_routine_fn fn,
                                                   falco_abi_routine_state_t *state)
{
    falco_host_session *s = p->session;
    falco_abi_routine_t *h = NULL;
    pthread_mutex_lock(&s->rlock);
    if (s->stopping) {
        snprintf(p->owner_err, sizeof p->owner_err, "subscribe: the session is closing");
    } else {
        session_routine *r = realloc(s->routines, (s->nroutines + 1) * sizeof *r);
        if (!r) {
            snprintf(p->owner_err, sizeof p->owner_err, "subscribe: out of memory");
        } else {
            s->routines = r;
            r[s->nroutines] = (session_routine){ p, fn, state, true, false };
            s->nroutines++;
            /* handles are index + 1: never NULL, stable across reallocs */
            h = (falco_abi_routine_t *)(uintptr_t)s->nroutines;
            pthread_cond_broadcast(&s->rcond);
        }
    }
    pthread_mutex_unlock(&s->rlock);
    return h;
}

falco_abi_rc falco__host_session_unsubscribe(falco_host_plugin *p, falco_abi_routine_t *h)
{
    falco_host_session *s = p->session;
    uintptr_t i = (uintptr_t)h;
    falco_abi_rc rc = FALCO_ABI_RC_SUCCESS;
    pthread_mutex_lock(&s->rlock);
    if (i == 0 || i > s->nroutines || s->routines[i - 1].plugin != p || !s->routines[i - 1].active) {
        snprintf(p->owner_err, sizeof p->owner_err, "unsubscribe: unknown routine handle");
        rc = FALCO_ABI_RC_FAILURE;
    } else {
        s->routines[i - 1].active = false; /* a running one finishes its run */
    }
    pthread_mutex_unlock(&s->rlock);
    return rc;
}

size_t falco_host_session_routine_count(falco_host_session *s)
{
    size_t n = 0;
    pthread_mutex_lock(&s->rlock);
    for (size_t i = 0; i < s->nroutines; i++)
        n += s->routines[i].active;
    pthread_mutex_unlock(&s->rlock);
    return n;
}

static falco_rc pool_start(falco_host_session *s)
{
    s->stopping = false;
    if (!(s->threads = calloc(s->nthreads, sizeof *s->threads)))
        return serr(s, FALCO_ENOMEM, "session: open: out of memory");
    for (s->started = 0; s->started < s->nthreads; s->started++)
        if (pthread_create(&s->threads[s->started], NULL, pool_thread, s) != 0)
            return serr(s, FALCO_ENOMEM, "session: open: cannot start routine thread #%u", s->started);
    return FALCO_OK;
}

/* Unsubscribes every routine and waits for the running ones. */
static void pool_stop(falco_host_session *s)
{
    pthread_mutex_lock(&s->rlock);
    s->stopping = true;
    for (size_t i = 0; i < s->nroutines; i++)
        s->routines[i].active = false;
    pthread_cond_broadcast(&s->rcond);
    pthread_mutex_unlock(&s->rlock);
    for (unsigned i = 0; i < s->started; i++)
        pthread_join(s->threads[i], NULL);
    free(s->threads);
    s->threads = NULL;
    s->started = 0;
    free(s->routines);
    s->routines = NULL;
    s->nroutines = 0;
    s->next_pick = 0;
}

/* ---- async events ---- */

/* Runs on plugin threads: reads only what open fixed before installing it. */
static const char *async_accept(void *userdata, falco_host_plugin *p, const falco_abi_event *e, char *why,
                                size_t size)
{
    falco_host_session *s = userdata;
    if (!falco__host_source_compatible(&p->async_sources, s->source)) {
        snprintf(why, size, "async events of plugin '%s' are not compatible with open event source '%s'",
                 falco__host_label(p), s->source);
        return why;
    }
    uint64_t tid;
    memcpy(&tid, (const uint8_t *)e + 8, 8);
    if (s->source_id != 0 && tid != UINT64_MAX) {
        snprintf(why, size, "async events of plugin '%s' can have no thread associated with open event source '%s'",
                 falco__host_label(p), s->source);
        return why;
    }
    uint64_t ts = evt_ts(e);
    bool drop = !s->live || (ts != UINT64_MAX && ts > now_ns() + ASYNC_MAX_AHEAD_NS);
    if (!s->live) {
        /* an offline capture already holds its async events */
    } else if (drop) {
        falco__host_log(p, FALCO_ABI_LOG_WARNING, "async event ts too far in future");
    }
    uint32_t len;
    memcpy(&len, (const uint8_t *)e + 16, 4);
    queued *q = drop ? NULL : malloc(sizeof *q);
    falco_abi_event *copy = drop ? NULL : malloc(len);
    if (!drop && (!q || !copy)) {
        free(q);
        free(copy);
        snprintf(why, size, "async event of plugin '%s' not queued: out of memory", falco__host_label(p));
        return why;
    }
    pthread_mutex_lock(&s->qlock);
    if (drop) {
        s->dropped++;
        pthread_mutex_unlock(&s->qlock);
        return NULL;
    }
    memcpy(copy, e, len);
    /* param 0 (u32 plugin id) sits after the header and the three u32 lengths */
    memcpy((uint8_t *)copy + sizeof(falco_abi_event) + 12, &s->source_id, 4);
    q->from = p;
    q->ts = ts;
    q->evt = copy;
    /* ordered by timestamp, FIFO among equals; UINT64_MAX first */
    queued **at = &s->head;
    while (*at && (ts == UINT64_MAX ? (*at)->ts == UINT64_MAX : comes_first((*at)->ts, ts)))
        at = &(*at)->next;
    q->next = *at;
    *at = q;
    s->queued_total++;
    pthread_mutex_unlock(&s->qlock);
    return NULL;
}

/* Pops the queue head when it goes before an event of timestamp ts (any
 * head when ts is NULL). */
static queued *async_pop(falco_host_session *s, const uint64_t *ts)
{
    pthread_mutex_lock(&s->qlock);
    queued *q = s->head;
    if (q && (!ts || comes_first(q->ts, *ts)))
        s->head = q->next;
    else
        q = NULL;
    pthread_mutex_unlock(&s->qlock);
    return q;
}

static void async_clear(falco_host_session *s)
{
    pthread_mutex_lock(&s->qlock);
    queued *q = s->head;
    s->head = NULL;
    pthread_mutex_unlock(&s->qlock);
    while (q) {
        queued *n = q->next;
        free(q->evt);
        free(q);
        q = n;
    }
}

/* ---- open, next, close ---- */

static void undo_open(falco_host_session *s, size_t async_set, size_t listening)
{
    for (size_t i = 0; i < listening; i++)
        if (s->plugins[i]->caps & FALCO_HOST_CAP_LISTEN)
            (void)falco_host_capture_close(s->plugins[i]);
    pool_stop(s);
    for (size_t i = 0; i < async_set; i++)
        if (s->plugins[i]->caps & FALCO_HOST_CAP_ASYNC)
            (void)falco_host_set_async_handler(s->plugins[i], NULL, NULL);
    async_clear(s);
    if (s->instance)
        falco_host_close(s->instance);
    s->instance = NULL;
    if (!s->src && s->stream.close)
        s->stream.close(s->stream.userdata);
    free(s->source);
    s->source = NULL;
}

static void consume_initial_state(falco_host_session *s);

static void open_reset(falco_host_session *s)
{
    s->evtnum = 0;
    s->last_ts = 0;
    s->delayed = NULL;
    s->held_rc = FALCO_OK;
    s->cur_copy = NULL;
}

/* The steps after the stream is open: async handlers, routine pool,
 * capture_open, in libsinsp's order. */
static falco_rc open_rest(falco_host_session *s)
{
    size_t i;
    for (i = 0; i < s->count; i++) {
        falco_host_plugin *p = s->plugins[i];
        if ((p->caps & FALCO_HOST_CAP_ASYNC) && falco__host_install_async(p, NULL, async_accept, s) != FALCO_OK) {
            serr(s, FALCO_ERROR, "session: open: %s", p->err);
            undo_open(s, i, 0);
            return FALCO_ERROR;
        }
    }
    bool listens = false;
    for (i = 0; i < s->count; i++)
        listens = listens || (s->plugins[i]->caps & FALCO_HOST_CAP_LISTEN);
    if (listens && pool_start(s) != FALCO_OK) {
        undo_open(s, s->count, 0);
        return FALCO_ENOMEM;
    }
    for (i = 0; i < s->count; i++) {
        falco_host_plugin *p = s->plugins[i];
        falco_rc rc = (p->caps & FALCO_HOST_CAP_LISTEN) ? falco_host_capture_open(p) : FALCO_OK;
        falco__host_tables_phase_end();
        if (rc != FALCO_OK) {
            serr(s, FALCO_ERROR, "session: open: %s", p->err);
            undo_open(s, s->count, i);
            return FALCO_ERROR;
        }
    }
    s->open = true;
    return FALCO_OK;
}

falco_rc falco_host_session_open(falco_host_session *s, falco_host_plugin *src, const char *params)
{
    if (s->open)
        return serr(s, FALCO_EMISUSE, "session: open: already open");
    bool added = false;
    for (size_t i = 0; src && i < s->count; i++)
        added = added || s->plugins[i] == src;
    if (!added)
        return serr(s, FALCO_EMISUSE, "session: open: the source plugin was not added to the session");
    if (!(src->caps & FALCO_HOST_CAP_SOURCE))
        return serr(s, FALCO_EMISUSE, "session: open: plugin '%s' has no event sourcing capability",
                    falco__host_label(src));
    s->source = falco__host_strdup(src->event_source[0] ? src->event_source : "syscall");
    if (!s->source)
        return serr(s, FALCO_ENOMEM, "session: open: out of memory");
    if (falco_host_open(src, params, &s->instance) != FALCO_OK) {
        free(s->source);
        s->source = NULL;
        return serr(s, FALCO_ERROR, "session: open: %s", src->err);
    }
    s->src = src;
    s->source_id = src->id;
    s->live = true;
    open_reset(s);
    return open_rest(s);
}

falco_rc falco_host_session_open_stream(falco_host_session *s, const falco_host_stream *stream)
{
    if (s->open)
        return serr(s, FALCO_EMISUSE, "session: open: already open");
    if (!stream || !stream->next)
        return serr(s, FALCO_EINVAL, "session: open: the stream has no next function");
    s->source = falco__host_strdup(stream->source ? stream->source : "syscall");
    if (!s->source)
        return serr(s, FALCO_ENOMEM, "session: open: out of memory");
    s->stream = *stream;
    s->src = NULL;
    s->source_id = 0;
    s->live = stream->live;
    open_reset(s);
    if (!s->live)
        consume_initial_state(s); /* libsinsp's init(), before capture_open */
    return open_rest(s);
}

static falco_rc stream_next(falco_host_session *s, const falco_abi_event **evt)
{
    if (s->src) {
        falco_rc rc = falco_host_next(s->instance, evt);
        if (rc != FALCO_OK && rc != FALCO_TIMEOUT && rc != FALCO_EOF)
            serr(s, rc, "session: %s", s->src->err);
        return rc;
    }
    char why[512] = "";
    *evt = NULL;
    falco_rc rc = s->stream.next(s->stream.userdata, evt, why, sizeof why);
    if (rc == FALCO_OK) {
        if (!*evt)
            return serr(s, FALCO_EPARSE, "session: stream: returned FALCO_OK with a NULL event");
        if (falco__host_event_check(*evt, why, sizeof why) != FALCO_OK)
            return serr(s, FALCO_EPARSE, "session: stream: event after #%llu: %s", (unsigned long long)s->evtnum,
                        why);
    } else if (rc != FALCO_TIMEOUT && rc != FALCO_EOF) {
        serr(s, rc, "session: stream: %s", why[0] ? why : "failed");
    }
    return rc;
}

/* Numbers evt, hands it to the parse plugins that take it, and exposes it. */
static void deliver(falco_host_session *s, const falco_abi_event *evt, falco_host_plugin *from)
{
    s->evtnum++;
    s->last_ts = evt_ts(evt);
    s->cur.input.evt = evt;
    s->cur.input.evtnum = s->evtnum;
    s->cur.input.evtsrc = s->source;
    s->cur.async_from = from;
    uint16_t type = evt_type(evt);
    if (!from && strcmp(s->source, "syscall") == 0)
        falco__host_threads_event(s->tables, evt); /* libsinsp's own parsers go first */
    for (size_t i = 0; i < s->count; i++) {
        falco_host_plugin *p = s->plugins[i];
        if (!(p->caps & FALCO_HOST_CAP_PARSE) || !falco__host_source_compatible(&p->parse_sources, s->source) ||
            !falco__host_codes_have(&p->parse_codes, type))
            continue;
        /* logged at error severity by falco_host_parse; libsinsp goes on */
        if (falco_host_parse(p, &s->cur.input) != FALCO_OK)
            s->parse_failures++;
    }
    falco__host_tables_phase_end();
}

bool falco_host_initial_state_event(const falco_abi_event *evt)
{
    switch (evt ? evt_type(evt) : 0) {
    case FALCO_PPME_CONTAINER_E:
    case FALCO_PPME_CONTAINER_JSON_E:
    case FALCO_PPME_CONTAINER_JSON_2_E:
    case FALCO_PPME_USER_ADDED_E:
    case FALCO_PPME_USER_DELETED_E:
    case FALCO_PPME_GROUP_ADDED_E:
    case FALCO_PPME_GROUP_DELETED_E:
    case FALCO_PPME_ASYNCEVENT_E:
        return true;
    default:
        return false;
    }
}

/* libsinsp's inspector, opening a capture file, takes the events the file
 * starts with as its starting state: each leading event of those types is
 * numbered and parsed like any other, but not returned; the first other one
 * is held for the first next. A stream failure here is returned by that next,
 * as libsinsp's loop stops quietly and its next call fails. */
static void consume_initial_state(falco_host_session *s)
{
    for (;;) {
        const falco_abi_event *e;
        falco_rc rc = stream_next(s, &e);
        if (rc == FALCO_TIMEOUT)
            return;
        if (rc != FALCO_OK) {
            s->held_rc = rc; /* EOF included: an empty or all-state file */
            return;
        }
        if (!falco_host_initial_state_event(e)) {
            s->delayed = e;
            return;
        }
        deliver(s, e, NULL);
    }
}

static void deliver_async(falco_host_session *s, queued *q)
{
    if (q->ts == UINT64_MAX) {
        uint64_t ts = s->last_ts ? s->last_ts : now_ns(); /* libsinsp's get_new_ts */
        memcpy(q->evt, &ts, 8);
    }
    s->cur_copy = q->evt;
    falco_host_plugin *from = q->from;
    free(q);
    deliver(s, s->cur_copy, from);
}

falco_rc falco_host_session_next(falco_host_session *s, const falco_host_session_event **out)
{
    *out = NULL;
    if (!s->open)
        return serr(s, FALCO_EMISUSE, "session: next: the session is not open");
    free(s->cur_copy);
    s->cur_copy = NULL;
    if (s->held_rc != FALCO_OK)
        return s->held_rc; /* from the starting state; the message is in s->err */
    if (!s->delayed) {
        const falco_abi_event *e;
        falco_rc rc = stream_next(s, &e);
        if (rc == FALCO_TIMEOUT) {
            queued *q = async_pop(s, NULL);
            if (!q)
                return FALCO_TIMEOUT;
            deliver_async(s, q);
            *out = &s->cur;
            return FALCO_OK;
        }
        if (rc != FALCO_OK)
            return rc;
        s->delayed = e;
    }
    uint64_t ts = evt_ts(s->delayed);
    queued *q = async_pop(s, &ts);
    if (q) {
        deliver_async(s, q);
    } else {
        deliver(s, s->delayed, NULL);
        s->delayed = NULL;
    }
    *out = &s->cur;
    return FALCO_OK;
}

falco_rc falco_host_session_close(falco_host_session *s)
{
    if (!s->open)
        return FALCO_OK;
    falco_rc rc = FALCO_OK;
    for (size_t i = 0; i < s->count; i++) {
        falco_host_plugin *p = s->plugins[i];
        if ((p->caps & FALCO_HOST_CAP_LISTEN) && falco_host_capture_close(p) != FALCO_OK && rc == FALCO_OK)
            rc = serr(s, FALCO_ERROR, "session: close: %s", p->err);
        falco__host_tables_phase_end();
    }
    free(s->cur_copy);
    s->cur_copy = NULL;
    s->open = false;
    undo_open(s, s->count, 0); /* capture_close already done above */
    return rc;
}

void falco_host_session_free(falco_host_session *s)
{
    if (!s)
        return;
    (void)falco_host_session_close(s);
    /* routines subscribed by a listener driven directly (falco_host_capture_open
     * on a plugin of a session never opened): the pool never started */
    free(s->routines);
    for (size_t i = 0; i < s->count; i++)
        s->plugins[i]->session = NULL;
    free(s->plugins);
    falco__host_tables_free(s->tables);
    pthread_cond_destroy(&s->rcond);
    pthread_mutex_destroy(&s->rlock);
    pthread_mutex_destroy(&s->qlock);
    free(s);
}

falco_rc falco_host_session_dump_state(falco_host_session *s, falco_host_async_fn fn, void *userdata)
{
    for (size_t i = 0; i < s->count; i++) {
        falco_host_plugin *p = s->plugins[i];
        if (!p->api.dump_state)
            continue;
        falco_rc rc = falco_host_dump_state(p, fn, userdata);
        if (rc != FALCO_OK)
            return serr(s, rc, "session: %s", p->err);
    }
    return FALCO_OK;
}

const char *falco_host_session_errmsg(const falco_host_session *s)
{
    return s ? s->err : "out of memory";
}

uint64_t falco_host_session_parse_failures(const falco_host_session *s)
{
    return s->parse_failures;
}

uint64_t falco_host_session_async_queued(const falco_host_session *s)
{
    falco_host_session *m = (falco_host_session *)s;
    pthread_mutex_lock(&m->qlock);
    uint64_t n = m->queued_total;
    pthread_mutex_unlock(&m->qlock);
    return n;
}

uint64_t falco_host_session_async_dropped(const falco_host_session *s)
{
    falco_host_session *m = (falco_host_session *)s;
    pthread_mutex_lock(&m->qlock);
    uint64_t n = m->dropped;
    pthread_mutex_unlock(&m->qlock);
    return n;
}
