/*
 * sessplug.c - raw-ABI plugins for the session tests, one source built in
 * variants (SESS_* defines):
 *   the source (variant 1): "sess" with id 1001, events carrying 1..count
 *   (ts 1000 + n); source capability only.
 *   the others: a parse + extract + async + listen plugin named SESS_NAME
 *   with parse/extract/async sources SESS_SOURCES. It logs what it parses; its
 *   config (words, not JSON) steers it:
 *     "count=N"   (source) make N events (default 5)
 *     "types402"  parse only async events (default: 322 and 402)
 *     "typesall"  name no parse types: every code, syscall events included
 *     "async8"    set_async_event_handler starts 8 threads that each send
 *                 ASYNC_PER_THREAD "ping" events and one "bogus" (rejected)
 *                 at once, and waits for them
 *     "routines"  capture_open subscribes r1 (returns false on its 3rd run),
 *                 r2 (runs until parse of event 3 unsubscribes it) and r3
 *                 (runs until the session closes)
 *     "tid"       async events carry tid 7 instead of -1
 *     "rasync"    capture_open subscribes a routine that sends one "ping"
 *                 with ts 1003 from the pool thread; "rfuture": ts an hour
 *                 ahead
 * Metrics report the counters; fields expose the parse log.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <falco/abi.h>

#define EXPORT __attribute__((visibility("default")))
#define ASYNC_PER_THREAD 25
#define NTHREADS 8

/* SESS_VARIANT: 1 the source, 2 "parsea" on "sess", 3 "parseb" on "other",
 * 4 "parsec" on every source. */
#if SESS_VARIANT == 1
#define SESS_SOURCE 1
#define SESS_NAME "sesssrc"
#elif SESS_VARIANT == 2
#define SESS_NAME "parsea"
#define SESS_SOURCES "[\"sess\"]"
#elif SESS_VARIANT == 3
#define SESS_NAME "parseb"
#define SESS_SOURCES "[\"other\"]"
#else
#define SESS_NAME "parsec"
#define SESS_SOURCES "[]"
#endif

enum { M_PARSED, M_R1, M_R2, M_R2_AT_UNSUB, M_R3, M_RUNNING, M_MAX_RUNNING, M_OPENS, M_CLOSES, M_ASYNC_OK,
       M_ASYNC_FAIL, M_COUNT };
static const char *const metric_names[M_COUNT] = { "parsed", "r1", "r2", "r2_at_unsub", "r3", "running",
                                                   "max_running", "capture_open", "capture_close", "async_ok",
                                                   "async_fail" };

typedef struct sess_state {
    char err[256];
    char config[128];
    uint64_t count;
    uint16_t parse_types[2];
    uint32_t nparse_types;
    char log[4096]; /* "evtnum:type:payload;" per parsed event, "open;" / "close;" */
    atomic_ullong m[M_COUNT];
    falco_abi_metric metrics[M_COUNT];
    falco_abi_owner_t *owner;
    falco_abi_async_event_handler async;
    const falco_abi_routine_vtable *routine_vt; /* valid during capture_open only: kept as a copy */
    falco_abi_routine_vtable vt;
    falco_abi_routine_t *r2;
    uint64_t u64;
    const char *strs[1];
    uint64_t types_ext[2];
} sess_state;

EXPORT const char *plugin_get_required_api_version(void) { return "3.10.0"; }
EXPORT const char *plugin_get_version(void) { return "0.1.0"; }
EXPORT const char *plugin_get_name(void) { return SESS_NAME; }
EXPORT const char *plugin_get_description(void) { return "session test plugin"; }
EXPORT const char *plugin_get_contact(void) { return "tests@example.com"; }

EXPORT falco_abi_plugin_t *plugin_init(const falco_abi_init_input *in, falco_abi_rc *rc)
{
    sess_state *s = calloc(1, sizeof *s);
    if (!s) {
        *rc = FALCO_ABI_RC_FAILURE;
        return NULL;
    }
    snprintf(s->config, sizeof s->config, "%s", in->config ? in->config : "");
    s->count = 5;
    const char *c = strstr(s->config, "count=");
    if (c)
        s->count = strtoull(c + 6, NULL, 10);
    if (strstr(s->config, "typesall")) {
        s->nparse_types = 0; /* none named: every code for a syscall-compatible plugin */
    } else if (strstr(s->config, "types402")) {
        s->parse_types[0] = FALCO_ABI_EVENT_ASYNC;
        s->nparse_types = 1;
    } else {
        s->parse_types[0] = FALCO_ABI_EVENT_PLUGIN;
        s->parse_types[1] = FALCO_ABI_EVENT_ASYNC;
        s->nparse_types = 2;
    }
    for (int i = 0; i < M_COUNT; i++)
        atomic_init(&s->m[i], 0);
    *rc = FALCO_ABI_RC_SUCCESS;
    return s;
}

EXPORT void plugin_destroy(falco_abi_plugin_t *p) { free(p); }
EXPORT const char *plugin_get_last_error(falco_abi_plugin_t *p) { return ((sess_state *)p)->err; }

EXPORT falco_abi_metric *plugin_get_metrics(falco_abi_plugin_t *p, uint32_t *n)
{
    sess_state *s = p;
    for (int i = 0; i < M_COUNT; i++) {
        s->metrics[i].name = metric_names[i];
        s->metrics[i].type = FALCO_ABI_METRIC_MONOTONIC;
        s->metrics[i].value_type = FALCO_ABI_METRIC_U64;
        s->metrics[i].value.u64 = atomic_load(&s->m[i]);
    }
    *n = M_COUNT;
    return s->metrics;
}

#ifdef SESS_SOURCE
/* ---- source ---- */
typedef struct sess_inst {
    uint64_t next, left;
    uint8_t ev[46];
    falco_abi_event *ptr;
} sess_inst;

EXPORT uint32_t plugin_get_id(void) { return 1001; }
EXPORT const char *plugin_get_event_source(void) { return "sess"; }

EXPORT falco_abi_instance_t *plugin_open(falco_abi_plugin_t *p, const char *params, falco_abi_rc *rc)
{
    sess_state *s = p;
    (void)params;
    sess_inst *in = calloc(1, sizeof *in);
    if (!in) {
        *rc = FALCO_ABI_RC_FAILURE;
        return NULL;
    }
    in->left = s->count;
    *rc = FALCO_ABI_RC_SUCCESS;
    return in;
}

EXPORT void plugin_close(falco_abi_plugin_t *p, falco_abi_instance_t *h)
{
    (void)p;
    free(h);
}

/* One event per batch: the session's merge decisions happen per event. */
EXPORT falco_abi_rc plugin_next_batch(falco_abi_plugin_t *p, falco_abi_instance_t *h, uint32_t *nevts,
                                      falco_abi_event ***evts)
{
    (void)p;
    sess_inst *in = h;
    *nevts = 0;
    if (!in->left)
        return FALCO_ABI_RC_EOF;
    in->next++;
    in->left--;
    falco_abi_event hd = { 1000 + in->next, 0, 46, FALCO_ABI_EVENT_PLUGIN, 2 };
    uint32_t lens[2] = { 4, 8 }, id = 0;
    memcpy(in->ev, &hd, 26);
    memcpy(in->ev + 26, lens, 8);
    memcpy(in->ev + 34, &id, 4);
    memcpy(in->ev + 38, &in->next, 8);
    in->ptr = (falco_abi_event *)in->ev;
    *evts = &in->ptr;
    *nevts = 1;
    return FALCO_ABI_RC_SUCCESS;
}
#else
static uint64_t payload(const falco_abi_event *e)
{
    uint64_t v = 0;
    uint32_t len;
    memcpy(&len, (const uint8_t *)e + 16, 4);
    if (len >= 46)
        memcpy(&v, (const uint8_t *)e + 38, 8);
    return v;
}

/* ---- parsing ---- */
EXPORT const char *plugin_get_parse_event_sources(void) { return SESS_SOURCES; }
EXPORT uint16_t *plugin_get_parse_event_types(uint32_t *n, falco_abi_plugin_t *p)
{
    sess_state *s = p;
    *n = s->nparse_types;
    return s->parse_types;
}

static void logf_(sess_state *s, const char *fmt, uint64_t a, uint64_t b, uint64_t c)
{
    size_t used = strlen(s->log);
    snprintf(s->log + used, sizeof s->log - used, fmt, (unsigned long long)a, (unsigned long long)b,
             (unsigned long long)c);
}

EXPORT falco_abi_rc plugin_parse_event(falco_abi_plugin_t *p, const falco_abi_event_input *evt,
                                       const falco_abi_event_parse_input *in)
{
    sess_state *s = p;
    (void)in;
    uint16_t type;
    memcpy(&type, (const uint8_t *)evt->evt + 20, 2);
    uint64_t v = type == FALCO_ABI_EVENT_PLUGIN ? payload(evt->evt) : 0;
    atomic_fetch_add(&s->m[M_PARSED], 1);
    if (type == FALCO_ABI_EVENT_ASYNC) {
        /* async events are summarized: one letter each */
        size_t used = strlen(s->log);
        if (used + 1 < sizeof s->log) {
            s->log[used] = 'a';
            s->log[used + 1] = '\0';
        }
    } else {
        logf_(s, "%llu:%llu:%llu;", evt->evtnum, type, v);
    }
    if (evt->evtnum == 3 && s->r2 && type == FALCO_ABI_EVENT_PLUGIN) {
        atomic_store(&s->m[M_R2_AT_UNSUB], atomic_load(&s->m[M_R2]));
        if (s->vt.unsubscribe(s->owner, s->r2) != FALCO_ABI_RC_SUCCESS) {
            snprintf(s->err, sizeof s->err, "unsubscribe r2 failed");
            return FALCO_ABI_RC_FAILURE;
        }
        s->r2 = NULL;
    }
    if (v == 4) {
        snprintf(s->err, sizeof s->err, "%s cannot parse 4", SESS_NAME);
        return FALCO_ABI_RC_FAILURE;
    }
    return FALCO_ABI_RC_SUCCESS;
}

/* ---- extraction: the parse log, the event number, the async plugin id ---- */
EXPORT const char *plugin_get_extract_event_sources(void) { return SESS_SOURCES; }
EXPORT uint16_t *plugin_get_extract_event_types(uint32_t *n, falco_abi_plugin_t *p)
{
    static uint16_t types[2] = { FALCO_ABI_EVENT_PLUGIN, FALCO_ABI_EVENT_ASYNC };
    (void)p;
    *n = 2;
    return types;
}

EXPORT const char *plugin_get_fields(void)
{
    return "[{\"name\":\"" SESS_NAME ".log\",\"type\":\"string\",\"desc\":\"what was parsed so far\"},"
           "{\"name\":\"" SESS_NAME ".plugin_id\",\"type\":\"uint64\",\"desc\":\"param 0 of the event\"},"
           "{\"name\":\"" SESS_NAME ".ts\",\"type\":\"uint64\",\"desc\":\"the event timestamp\"}]";
}

EXPORT falco_abi_rc plugin_extract_fields(falco_abi_plugin_t *p, const falco_abi_event_input *evt,
                                          const falco_abi_field_extract_input *in)
{
    sess_state *s = p;
    for (uint32_t i = 0; i < in->num_fields; i++) {
        falco_abi_extract_field *f = &in->fields[i];
        f->res_len = 1;
        if (f->field_id == 0) {
            s->strs[0] = s->log;
            f->res.str = s->strs;
        } else if (f->field_id == 1) {
            uint16_t type;
            uint32_t id;
            memcpy(&type, (const uint8_t *)evt->evt + 20, 2);
            /* param 0 follows the length table: 2 u32 lengths for 322, 3 for 402 */
            memcpy(&id, (const uint8_t *)evt->evt + (type == FALCO_ABI_EVENT_ASYNC ? 38 : 34), 4);
            s->u64 = id;
            f->res.u64 = &s->u64;
        } else {
            memcpy(&s->u64, evt->evt, 8);
            f->res.u64 = &s->u64;
        }
    }
    return FALCO_ABI_RC_SUCCESS;
}

/* ---- async ---- */
EXPORT const char *plugin_get_async_event_sources(void) { return SESS_SOURCES; }
EXPORT const char *plugin_get_async_events(void) { return "[\"ping\"]"; }

static size_t make_async_ts(uint8_t *buf, const char *name, uint64_t tid, uint64_t ts)
{
    uint32_t nlen = (uint32_t)strlen(name) + 1, dlen = 4, id = 0;
    uint32_t lens[3] = { 4, nlen, dlen };
    falco_abi_event h = { ts, tid, 26 + 12 + 4 + nlen + dlen, FALCO_ABI_EVENT_ASYNC, 3 };
    memcpy(buf, &h, 26);
    memcpy(buf + 26, lens, 12);
    memcpy(buf + 38, &id, 4);
    memcpy(buf + 42, name, nlen);
    memcpy(buf + 42 + nlen, "data", dlen);
    return h.len;
}

static size_t make_async(uint8_t *buf, const char *name, uint64_t tid)
{
    return make_async_ts(buf, name, tid, UINT64_MAX);
}

static void send_async(sess_state *s, const char *name)
{
    uint8_t buf[128];
    char err[FALCO_ABI_MAX_ERRLEN];
    make_async(buf, name, strstr(s->config, "tid") ? 7 : UINT64_MAX);
    falco_abi_rc rc = s->async(s->owner, (falco_abi_event *)buf, err);
    atomic_fetch_add(&s->m[rc == FALCO_ABI_RC_SUCCESS ? M_ASYNC_OK : M_ASYNC_FAIL], 1);
}

static void *async_thread(void *arg)
{
    sess_state *s = arg;
    for (int i = 0; i < ASYNC_PER_THREAD; i++)
        send_async(s, "ping");
    send_async(s, "bogus");
    return NULL;
}

EXPORT falco_abi_rc plugin_set_async_event_handler(falco_abi_plugin_t *p, falco_abi_owner_t *owner,
                                                   const falco_abi_async_event_handler handler)
{
    sess_state *s = p;
    s->owner = owner;
    s->async = handler;
    if (!handler || !strstr(s->config, "async8"))
        return FALCO_ABI_RC_SUCCESS;
    pthread_t t[NTHREADS];
    int started = 0;
    for (; started < NTHREADS; started++)
        if (pthread_create(&t[started], NULL, async_thread, s) != 0)
            break;
    for (int i = 0; i < started; i++)
        pthread_join(t[i], NULL);
    return started == NTHREADS ? FALCO_ABI_RC_SUCCESS : FALCO_ABI_RC_FAILURE;
}

EXPORT falco_abi_rc plugin_dump_state(falco_abi_plugin_t *p, falco_abi_owner_t *owner,
                                      const falco_abi_async_event_handler handler)
{
    (void)p;
    uint8_t buf[128];
    char err[FALCO_ABI_MAX_ERRLEN];
    make_async(buf, "ping", UINT64_MAX);
    return handler(owner, (falco_abi_event *)buf, err);
}

/* ---- capture listening and routines ---- */
static void run_enter(sess_state *s)
{
    unsigned long long now = atomic_fetch_add(&s->m[M_RUNNING], 1) + 1;
    unsigned long long max = atomic_load(&s->m[M_MAX_RUNNING]);
    while (now > max && !atomic_compare_exchange_weak(&s->m[M_MAX_RUNNING], &max, now)) {
    }
}

static falco_abi_bool r1(falco_abi_plugin_t *p, falco_abi_routine_state_t *st)
{
    sess_state *s = p;
    (void)st;
    run_enter(s);
    uint64_t n = atomic_fetch_add(&s->m[M_R1], 1) + 1;
    atomic_fetch_sub(&s->m[M_RUNNING], 1);
    return n < 3;
}

static falco_abi_bool r_forever(falco_abi_plugin_t *p, falco_abi_routine_state_t *st)
{
    sess_state *s = p;
    run_enter(s);
    atomic_fetch_add(&s->m[(int)(intptr_t)st], 1);
    atomic_fetch_sub(&s->m[M_RUNNING], 1);
    return 1;
}

/* Sends one async event from a pool thread: ts 1003 ("rasync", between the
 * source's events 2 and 3) or an hour ahead ("rfuture"), then stops. */
static falco_abi_bool r_async(falco_abi_plugin_t *p, falco_abi_routine_state_t *st)
{
    sess_state *s = p;
    uint8_t buf[128];
    char err[FALCO_ABI_MAX_ERRLEN];
    uint64_t ts = 1003;
    if (st) {
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        ts = (uint64_t)now.tv_sec * 1000000000ULL + 3600ULL * 1000000000ULL;
    }
    make_async_ts(buf, "ping", UINT64_MAX, ts);
    falco_abi_rc rc = s->async(s->owner, (falco_abi_event *)buf, err);
    atomic_fetch_add(&s->m[rc == FALCO_ABI_RC_SUCCESS ? M_ASYNC_OK : M_ASYNC_FAIL], 1);
    return 0;
}

EXPORT falco_abi_rc plugin_capture_open(falco_abi_plugin_t *p, const falco_abi_capture_listen_input *in)
{
    sess_state *s = p;
    logf_(s, "open;", 0, 0, 0);
    atomic_fetch_add(&s->m[M_OPENS], 1);
    s->owner = in->owner;
    s->vt = *in->routine;
    if ((strstr(s->config, "rasync") || strstr(s->config, "rfuture")) &&
        !s->vt.subscribe(in->owner, r_async, strstr(s->config, "rfuture") ? (falco_abi_routine_state_t *)s : NULL)) {
        snprintf(s->err, sizeof s->err, "subscribe failed");
        return FALCO_ABI_RC_FAILURE;
    }
    if (!strstr(s->config, "routines"))
        return FALCO_ABI_RC_SUCCESS;
    if (!s->vt.subscribe(in->owner, r1, NULL) ||
        !(s->r2 = s->vt.subscribe(in->owner, r_forever, (falco_abi_routine_state_t *)(intptr_t)M_R2)) ||
        !s->vt.subscribe(in->owner, r_forever, (falco_abi_routine_state_t *)(intptr_t)M_R3)) {
        snprintf(s->err, sizeof s->err, "subscribe failed");
        return FALCO_ABI_RC_FAILURE;
    }
    return FALCO_ABI_RC_SUCCESS;
}

EXPORT falco_abi_rc plugin_capture_close(falco_abi_plugin_t *p, const falco_abi_capture_listen_input *in)
{
    sess_state *s = p;
    (void)in;
    logf_(s, "close;", 0, 0, 0);
    atomic_fetch_add(&s->m[M_CLOSES], 1);
    return FALCO_ABI_RC_SUCCESS;
}
#endif
