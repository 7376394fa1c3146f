/*
 * rawtest.c - a plugin written against the raw ABI (no SDK), built several
 * times with one RAWTEST_* define each to get the broken variants the host
 * tests need. Without a define it is a good source + extract + parse +
 * async + listen plugin with id 999 and source "rawtest".
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <falco/abi.h>

#define EXPORT __attribute__((visibility("default")))

#define RAW_ID 999

typedef struct raw_state {
    char err[256];
    char config[256];
    uint64_t count;
    bool has_tables;
    uint64_t parsed;
    falco_abi_owner_t *owner;
    falco_abi_async_event_handler async;
    falco_abi_metric metric;
    /* extraction results live here until the next extract call */
    uint64_t u64[4];
    const char *strs[2];
    char strbuf[300];
    falco_abi_bool b;
    falco_abi_byte_buffer buf;
    uint8_t ip[5];
    uint32_t off_start[4], off_len[4];
    uint16_t types[1];
} raw_state;

typedef struct raw_instance {
    uint64_t next, left;
    uint8_t events[2][64];
    falco_abi_event *ptrs[2];
} raw_instance;

EXPORT const char *plugin_get_required_api_version(void)
{
#ifdef RAWTEST_BAD_API
    return "4.0.0";
#else
    return "3.11.0";
#endif
}

EXPORT const char *plugin_get_version(void)
{
#ifdef RAWTEST_BAD_VERSION
    return "1.0";
#else
    return "0.2.0";
#endif
}

EXPORT const char *plugin_get_name(void) { return "rawtest"; }
EXPORT const char *plugin_get_description(void) { return "raw ABI test plugin"; }
EXPORT const char *plugin_get_contact(void) { return "tests@example.com"; }

EXPORT const char *plugin_get_init_schema(falco_abi_schema_type *t)
{
    *t = FALCO_ABI_SCHEMA_JSON;
    return "{\"type\":\"object\",\"properties\":{"
           "\"count\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":1000,\"description\":\"events to make\"},"
           "\"mode\":{\"type\":\"string\",\"enum\":[\"fast\",\"slow\"]},"
           "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}},"
           "\"required\":[],\"additionalProperties\":false}";
}

EXPORT falco_abi_plugin_t *plugin_init(const falco_abi_init_input *in, falco_abi_rc *rc)
{
    raw_state *s = calloc(1, sizeof *s);
    if (!s) {
        *rc = FALCO_ABI_RC_FAILURE;
        return NULL;
    }
    snprintf(s->config, sizeof s->config, "%s", in->config ? in->config : "(null)");
    s->count = 5;
    const char *c = in->config ? strstr(in->config, "\"count\":") : NULL;
    if (c)
        s->count = strtoull(c + 8, NULL, 10);
    s->has_tables = in->tables != NULL;
    s->owner = in->owner;
    if (in->log_fn)
        in->log_fn(in->owner, NULL, "initialized", FALCO_ABI_LOG_INFO);
    if (in->tables && in->tables->get_table &&
        in->tables->get_table(in->owner, "threads", FALCO_ABI_ST_INT64) == NULL && in->log_fn) {
        const char *why = in->get_owner_last_error(in->owner);
        in->log_fn(in->owner, "rawtest-tables", why ? why : "no owner error", FALCO_ABI_LOG_DEBUG);
    }
#ifdef RAWTEST_INIT_FAIL
    snprintf(s->err, sizeof s->err, "init refused: bad mood");
    *rc = FALCO_ABI_RC_FAILURE;
    return s;
#endif
    *rc = FALCO_ABI_RC_SUCCESS;
    return s;
}

EXPORT void plugin_destroy(falco_abi_plugin_t *p) { free(p); }

#ifndef RAWTEST_NO_LAST_ERROR
EXPORT const char *plugin_get_last_error(falco_abi_plugin_t *p)
{
    return ((raw_state *)p)->err;
}
#endif

#ifndef RAWTEST_NO_CAPS
/* ---- sourcing ---- */
EXPORT uint32_t plugin_get_id(void) { return RAW_ID; }
EXPORT const char *plugin_get_event_source(void)
{
#ifdef RAWTEST_SYSCALL_SOURCE
    return "syscall";
#else
    return "rawtest";
#endif
}

EXPORT falco_abi_instance_t *plugin_open(falco_abi_plugin_t *p, const char *params, falco_abi_rc *rc)
{
    raw_state *s = p;
#ifdef RAWTEST_OPEN_FAIL
    snprintf(s->err, sizeof s->err, "cannot open '%s': no such stream", params);
    *rc = FALCO_ABI_RC_FAILURE;
    return NULL;
#endif
    (void)params;
    raw_instance *in = calloc(1, sizeof *in);
    if (!in) {
        *rc = FALCO_ABI_RC_FAILURE;
        return NULL;
    }
    in->left = s->count;
    *rc = FALCO_ABI_RC_SUCCESS;
    return in;
}

#ifndef RAWTEST_PARTIAL_SOURCE
EXPORT void plugin_close(falco_abi_plugin_t *p, falco_abi_instance_t *h)
{
    (void)p;
    free(h);
}
#endif

/* A 322 event with an 8-byte payload; plugin id left 0 for the host to fill. */
static void make_event(uint8_t *buf, uint64_t value, uint64_t ts)
{
    falco_abi_event h = { ts, 0, 26 + 8 + 4 + 8, FALCO_ABI_EVENT_PLUGIN, 2 };
#ifdef RAWTEST_WRONG_TYPE
    h.type = 1;
#endif
    uint32_t lens[2] = { 4, 8 }, id = 0;
    memcpy(buf, &h, 26);
    memcpy(buf + 26, lens, 8);
    memcpy(buf + 34, &id, 4);
    memcpy(buf + 38, &value, 8);
}

EXPORT falco_abi_rc plugin_next_batch(falco_abi_plugin_t *p, falco_abi_instance_t *h, uint32_t *nevts,
                                      falco_abi_event ***evts)
{
    (void)p;
    raw_instance *in = h;
#ifdef RAWTEST_ZERO_EVENTS
    *nevts = 0;
    return FALCO_ABI_RC_SUCCESS;
#endif
    uint32_t n = 0;
    while (in->left && n < 2) {
        in->next++;
        make_event(in->events[n], in->next, in->next % 2 ? UINT64_MAX : 1000 + in->next);
        in->ptrs[n] = (falco_abi_event *)in->events[n];
        n++;
        in->left--;
    }
    *nevts = n;
    *evts = in->ptrs;
    return in->left ? FALCO_ABI_RC_SUCCESS : FALCO_ABI_RC_EOF;
}

EXPORT const char *plugin_get_progress(falco_abi_plugin_t *p, falco_abi_instance_t *h, uint32_t *pct)
{
    raw_state *s = p;
    raw_instance *in = h;
    *pct = s->count ? (uint32_t)(in->next * 10000 / s->count) : 0;
    return "progress";
}

EXPORT const char *plugin_list_open_params(falco_abi_plugin_t *p, falco_abi_rc *rc)
{
    (void)p;
    *rc = FALCO_ABI_RC_SUCCESS;
    return "[{\"value\":\"a\",\"desc\":\"first stream\"},{\"value\":\"b\",\"desc\":\"second\",\"separator\":\";\"}]";
}

static uint64_t payload(const falco_abi_event *e)
{
    uint64_t v;
    memcpy(&v, (const uint8_t *)e + 38, 8);
    return v;
}

EXPORT const char *plugin_event_to_string(falco_abi_plugin_t *p, const falco_abi_event_input *evt)
{
    raw_state *s = p;
    snprintf(s->strbuf, sizeof s->strbuf, "value=%llu", (unsigned long long)payload(evt->evt));
    return s->strbuf;
}

/* ---- extraction ---- */
EXPORT const char *plugin_get_fields(void)
{
#ifdef RAWTEST_BAD_FIELDS
    return "[{\"name\":\"rawtest.value\",\"type\":\"uint64\",\"desc\":\"v\",\"arg\":{\"isRequired\":true}}]";
#else
    return "["
           "{\"name\":\"rawtest.value\",\"type\":\"uint64\",\"desc\":\"the counter\",\"display\":\"Value\"},"
           "{\"name\":\"rawtest.str\",\"type\":\"string\",\"desc\":\"counter as text\",\"addOutput\":true},"
           "{\"name\":\"rawtest.even\",\"type\":\"bool\",\"desc\":\"counter is even\"},"
           "{\"name\":\"rawtest.list\",\"type\":\"uint64\",\"isList\":true,\"desc\":\"counter and its double\"},"
           "{\"name\":\"rawtest.key\",\"type\":\"string\",\"desc\":\"echoes the key\","
           "\"arg\":{\"isKey\":true,\"isRequired\":true}},"
           "{\"name\":\"rawtest.idx\",\"type\":\"uint64\",\"desc\":\"echoes the index\",\"arg\":{\"isIndex\":true}},"
           "{\"name\":\"rawtest.ip\",\"type\":\"ipaddr\",\"desc\":\"loopback\"},"
           "{\"name\":\"rawtest.net\",\"type\":\"ipnet\",\"desc\":\"a network\",\"properties\":[\"hidden\"]},"
           "{\"name\":\"rawtest.tables\",\"type\":\"bool\",\"desc\":\"init got a tables input\"},"
           "{\"name\":\"rawtest.none\",\"type\":\"string\",\"desc\":\"never has a value\"},"
           "{\"name\":\"rawtest.fail\",\"type\":\"string\",\"desc\":\"always fails\"}"
           "]";
#endif
}

EXPORT falco_abi_rc plugin_extract_fields(falco_abi_plugin_t *p, const falco_abi_event_input *evt,
                                          const falco_abi_field_extract_input *in)
{
    raw_state *s = p;
    uint64_t v = payload(evt->evt);
    for (uint32_t i = 0; i < in->num_fields; i++) {
        falco_abi_extract_field *f = &in->fields[i];
        f->res_len = 1;
        switch (f->field_id) {
        case 0: s->u64[0] = v; f->res.u64 = s->u64; break;
        case 1:
            snprintf(s->strbuf, sizeof s->strbuf, "n%llu", (unsigned long long)v);
            s->strs[0] = s->strbuf;
            f->res.str = s->strs;
            break;
        case 2: s->b = v % 2 == 0; f->res.boolean = &s->b; break;
        case 3: s->u64[0] = v; s->u64[1] = 2 * v; f->res.u64 = s->u64; f->res_len = 2; break;
        case 4:
            snprintf(s->strbuf, sizeof s->strbuf, "key:%s", f->arg_present ? f->arg_key : "(none)");
            s->strs[0] = s->strbuf;
            f->res.str = s->strs;
            break;
        case 5: s->u64[0] = f->arg_present ? f->arg_index : 7777; f->res.u64 = s->u64; break;
        case 6:
            memcpy(s->ip, "\x7f\x00\x00\x01", 4);
            s->buf.ptr = s->ip;
            s->buf.len = 4;
            f->res.buf = &s->buf;
            break;
        case 7:
            memcpy(s->ip, "\x0a\x00\x00\x00\x08", 5);
            s->buf.ptr = s->ip;
            s->buf.len = 5;
            f->res.buf = &s->buf;
            break;
        case 8: s->b = s->has_tables; f->res.boolean = &s->b; break;
        case 9: f->res_len = 0; break;
        default:
            snprintf(s->err, sizeof s->err, "field %s cannot be extracted", f->field);
            return FALCO_ABI_RC_FAILURE;
        }
    }
    if (in->value_offsets) {
        s->off_start[0] = 38;
        s->off_len[0] = 8;
        in->value_offsets->start = s->off_start;
        in->value_offsets->length = s->off_len;
    }
    return FALCO_ABI_RC_SUCCESS;
}

/* ---- parsing ---- */
EXPORT falco_abi_rc plugin_parse_event(falco_abi_plugin_t *p, const falco_abi_event_input *evt,
                                       const falco_abi_event_parse_input *in)
{
    raw_state *s = p;
    (void)in;
    if (payload(evt->evt) == 3) {
        snprintf(s->err, sizeof s->err, "cannot parse 3");
        return FALCO_ABI_RC_FAILURE;
    }
    s->parsed++;
    return FALCO_ABI_RC_SUCCESS;
}

/* ---- async ---- */
EXPORT const char *plugin_get_async_events(void) { return "[\"tick\"]"; }

/* [hdr][4][namelen][datalen][u32 id][name\0][data] */
static size_t make_async(uint8_t *buf, const char *name, const char *data)
{
    uint32_t nlen = (uint32_t)strlen(name) + 1, dlen = (uint32_t)strlen(data), id = 0;
    uint32_t lens[3] = { 4, nlen, dlen };
    falco_abi_event h = { 0, 0, 26 + 12 + 4 + nlen + dlen, FALCO_ABI_EVENT_ASYNC, 3 };
    memcpy(buf, &h, 26);
    memcpy(buf + 26, lens, 12);
    memcpy(buf + 38, &id, 4);
    memcpy(buf + 42, name, nlen);
    memcpy(buf + 42 + nlen, data, dlen);
    return h.len;
}

typedef struct async_job {
    raw_state *s;
    falco_abi_rc rc_good, rc_bad;
    char err[FALCO_ABI_MAX_ERRLEN];
} async_job;

static void *async_thread(void *arg)
{
    async_job *j = arg;
    uint8_t buf[128];
    make_async(buf, "tick", "hello");
    j->rc_good = j->s->async(j->s->owner, (falco_abi_event *)buf, j->err);
    make_async(buf, "tock", "nope");
    j->rc_bad = j->s->async(j->s->owner, (falco_abi_event *)buf, j->err);
    return NULL;
}

/* Sends one good and one bad event from another thread, then returns. */
EXPORT falco_abi_rc plugin_set_async_event_handler(falco_abi_plugin_t *p, falco_abi_owner_t *owner,
                                                   const falco_abi_async_event_handler handler)
{
    raw_state *s = p;
    s->owner = owner;
    s->async = handler;
    if (!handler)
        return FALCO_ABI_RC_SUCCESS;
    async_job j = { s, FALCO_ABI_RC_FAILURE, FALCO_ABI_RC_SUCCESS, "" };
    pthread_t t;
    if (pthread_create(&t, NULL, async_thread, &j) != 0)
        return FALCO_ABI_RC_FAILURE;
    pthread_join(t, NULL);
    if (j.rc_good != FALCO_ABI_RC_SUCCESS || j.rc_bad != FALCO_ABI_RC_FAILURE || !strstr(j.err, "tock")) {
        snprintf(s->err, sizeof s->err, "async handler misbehaved: %.200s", j.err);
        return FALCO_ABI_RC_FAILURE;
    }
    return FALCO_ABI_RC_SUCCESS;
}

EXPORT falco_abi_rc plugin_dump_state(falco_abi_plugin_t *p, falco_abi_owner_t *owner,
                                      const falco_abi_async_event_handler handler)
{
    (void)p;
    uint8_t buf[128];
    char err[FALCO_ABI_MAX_ERRLEN];
    make_async(buf, "tick", "state");
    return handler(owner, (falco_abi_event *)buf, err);
}

/* ---- metrics, config ---- */
EXPORT falco_abi_metric *plugin_get_metrics(falco_abi_plugin_t *p, uint32_t *n)
{
    raw_state *s = p;
    s->metric.name = "parsed";
    s->metric.type = FALCO_ABI_METRIC_MONOTONIC;
    s->metric.value_type = FALCO_ABI_METRIC_U64;
    s->metric.value.u64 = s->parsed;
    *n = 1;
    return &s->metric;
}

EXPORT falco_abi_rc plugin_set_config(falco_abi_plugin_t *p, const falco_abi_set_config_input *in)
{
    raw_state *s = p;
    snprintf(s->config, sizeof s->config, "%s", in->config);
    return FALCO_ABI_RC_SUCCESS;
}

/* ---- capture listening: one routine that runs twice ---- */
static int routine_runs;

static falco_abi_bool routine(falco_abi_plugin_t *p, falco_abi_routine_state_t *st)
{
    (void)p;
    int *left = st;
    routine_runs++;
    return --*left > 0;
}

static int routine_left;

EXPORT falco_abi_rc plugin_capture_open(falco_abi_plugin_t *p, const falco_abi_capture_listen_input *in)
{
    (void)p;
    routine_left = 2;
    return in->routine->subscribe(in->owner, routine, &routine_left) ? FALCO_ABI_RC_SUCCESS : FALCO_ABI_RC_FAILURE;
}

EXPORT falco_abi_rc plugin_capture_close(falco_abi_plugin_t *p, const falco_abi_capture_listen_input *in)
{
    (void)p, (void)in;
    return FALCO_ABI_RC_SUCCESS;
}
#endif /* RAWTEST_NO_CAPS */
