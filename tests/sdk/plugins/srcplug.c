/*
 * srcplug - a source + extract test plugin. The open params pick a scenario
 * ("count:5", "zero", "fail", ...) so one plugin exercises every rule of the
 * SDK's batch glue; counters are reported as metrics for the tests to read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <falco/plugin.h>

typedef struct {
    uint64_t opens, closes, own_frees;
} src_state;

typedef struct {
    char scenario[32];
    uint64_t arg;  /* the number after ':' */
    uint64_t done; /* events produced so far */
    uint64_t calls; /* next_batch calls so far */
    int own;       /* allocated by open itself */
} src_instance;

static const falco_open_param src_static_params[] = {
    {.value = "count:5", .desc = "five events"},
    {.value = "zero"},
};

static falco_rc src_list_params(falco_plugin *p, falco_open_params *out) {
    (void)p;
    FALCO_TRY(falco_open_params_add(out, "ts:3", "three timed events", NULL));
    return falco_open_params_add(out, "count:1|count:2", "two captures", "|");
}

static falco_rc src_open(falco_plugin *p, const char *params, void **instance) {
    src_state *st = falco_plugin_state(p);
    if (strcmp(params, "openfail") == 0)
        return falco_error(p, FALCO_ENOTFOUND, "no capture named '%s' here", params);
    if (strcmp(params, "openplain") == 0)
        return FALCO_ENOTFOUND;
    src_instance *in = *instance;
    if (strncmp(params, "own:", 4) == 0) {
        in = calloc(1, sizeof *in);
        if (!in)
            return FALCO_ENOMEM;
        in->own = 1;
        *instance = in;
        params += 4;
    }
    const char *colon = strchr(params, ':');
    size_t n = colon ? (size_t)(colon - params) : strlen(params);
    if (n >= sizeof in->scenario) {
        if (in->own)
            free(in);
        return falco_error(p, FALCO_EINVAL, "scenario name too long");
    }
    memcpy(in->scenario, params, n);
    in->scenario[n] = '\0';
    in->arg = colon ? strtoull(colon + 1, NULL, 10) : 0;
    st->opens++;
    return FALCO_OK;
}

static void src_close(falco_plugin *p, void *instance) {
    src_state *st = falco_plugin_state(p);
    src_instance *in = instance;
    st->closes++;
    if (in->own) {
        free(in);
        st->own_frees++;
    }
}

/* A complete plugin event: [26-byte header][4][8][id][u64 payload]. */
static size_t build_event(unsigned char *buf, uint16_t type, uint32_t nparams, uint32_t id, uint64_t payload,
                          uint32_t hdr_len) {
    falco_abi_event h = {.ts = 77, .tid = 0, .len = hdr_len, .type = type, .nparams = nparams};
    uint32_t lens[2] = {4, 8};
    memcpy(buf, &h, 26);
    memcpy(buf + 26, lens, 8);
    memcpy(buf + 34, &id, 4);
    memcpy(buf + 38, &payload, 8);
    return 46;
}

static falco_rc add_event_case(falco_plugin *p, src_instance *in, falco_batch *b) {
    unsigned char ev[64] = {0};
    uint64_t k = in->arg;
    if (k == 0) { /* valid, id 0: the host fills our id */
        FALCO_TRY(falco_batch_add_event(b, ev, build_event(ev, 322, 2, 0, 41, 46)));
        FALCO_TRY(falco_batch_add_event(b, ev, build_event(ev, 322, 2, 4242, 42, 46)));
        return FALCO_EOF;
    }
    if (k == 1) /* wrong event type from a source with an ID */
        return falco_batch_add_event(b, ev, build_event(ev, 3, 2, 0, 1, 46));
    if (k == 2) /* another plugin's id */
        return falco_batch_add_event(b, ev, build_event(ev, 322, 2, 999, 1, 46));
    if (k == 3) { /* header length disagrees with the given length */
        build_event(ev, 322, 2, 0, 1, 50);
        return falco_batch_add_event(b, ev, 46);
    }
    if (k == 4) /* shorter than a header */
        return falco_batch_add_event(b, ev, 20);
    (void)p;
    return FALCO_EINVAL;
}

static falco_rc src_next_batch(falco_plugin *p, void *instance, falco_batch *b) {
    src_instance *in = instance;
    in->calls++;
    const char *s = in->scenario;
    if (strcmp(s, "count") == 0 || strcmp(s, "ts") == 0) {
        while (in->done < in->arg && falco_batch_room(b)) {
            uint64_t v = in->done + 1;
            if (s[0] == 't')
                FALCO_TRY(falco_batch_add_plugin_event_ts(b, &v, sizeof v, 1000 + v));
            else
                FALCO_TRY(falco_batch_add_plugin_event(b, &v, sizeof v));
            in->done++;
        }
        return in->done < in->arg ? FALCO_OK : FALCO_EOF;
    }
    if (strcmp(s, "zero") == 0) { /* nothing on the first call, then one event, then EOF */
        if (in->calls == 1)
            return FALCO_OK;
        if (in->calls == 2) {
            uint64_t v = 7;
            return falco_batch_add_plugin_event(b, &v, sizeof v);
        }
        return FALCO_EOF;
    }
    if (strcmp(s, "eofwith") == 0 || strcmp(s, "timeoutwith") == 0) {
        if (in->calls > 1)
            return FALCO_EOF;
        for (uint64_t i = 1; i <= in->arg; i++)
            FALCO_TRY(falco_batch_add_plugin_event(b, &i, sizeof i));
        return s[0] == 'e' ? FALCO_EOF : FALCO_TIMEOUT;
    }
    if (strcmp(s, "fail") == 0)
        return falco_error(p, FALCO_EINVAL, "disk on fire at block %d", 42);
    if (strcmp(s, "failplain") == 0)
        return FALCO_ERANGE;
    if (strcmp(s, "full") == 0) { /* one more event than the batch holds */
        uint32_t room = falco_batch_room(b);
        for (uint32_t i = 0; i <= room; i++) {
            uint64_t v = i;
            FALCO_TRY(falco_batch_add_plugin_event(b, &v, sizeof v));
        }
        return FALCO_OK;
    }
    if (strcmp(s, "u32") == 0) { /* arg events of 4-byte payloads 1, 2, ... */
        while (in->done < in->arg && falco_batch_room(b)) {
            uint32_t v = (uint32_t)in->done + 1;
            FALCO_TRY(falco_batch_add_plugin_event(b, &v, sizeof v));
            in->done++;
        }
        return in->done < in->arg ? FALCO_OK : FALCO_EOF;
    }
    if (strcmp(s, "full4") == 0) { /* the same with 4-byte payloads */
        uint32_t room = falco_batch_room(b);
        for (uint32_t i = 0; i <= room; i++) {
            uint32_t v = i;
            FALCO_TRY(falco_batch_add_plugin_event(b, &v, sizeof v));
        }
        return FALCO_OK;
    }
    if (strcmp(s, "reserve") == 0) {
        if (in->calls > 1)
            return FALCO_EOF;
        for (uint64_t i = 1; i <= 2; i++) {
            void *at = falco_batch_reserve_plugin_event(b, sizeof i, 5000 + i);
            if (!at)
                return FALCO_ENOMEM;
            memcpy(at, &i, sizeof i);
        }
        return FALCO_OK;
    }
    if (strcmp(s, "addevent") == 0)
        return add_event_case(p, in, b);
    if (strcmp(s, "text") == 0) { /* one printable payload for the default rendering */
        return in->calls > 1 ? FALCO_EOF : falco_batch_add_plugin_event(b, "hello", 5);
    }
    return falco_error(p, FALCO_EINVAL, "unknown scenario '%s'", s);
}

static falco_rc src_progress(falco_plugin *p, void *instance, double *percent, falco_strbuf *detail) {
    (void)p;
    src_instance *in = instance;
    if (in->arg == 0)
        return FALCO_ERROR;
    *percent = 100.0 * (double)in->done / (double)in->arg;
    return falco_strbuf_printf(detail, "%llu/%llu", (unsigned long long)in->done, (unsigned long long)in->arg);
}

static falco_rc src_event_to_string(falco_plugin *p, const falco_event *ev, falco_strbuf *out) {
    uint64_t v;
    if (falco_event_payload_u64(ev, &v) != FALCO_OK)
        return falco_error(p, FALCO_EPARSE, "not an srcplug event");
    return falco_strbuf_printf(out, "srcplug value=%llu", (unsigned long long)v);
}

static falco_rc src_value(falco_extract *x, const falco_event *ev) {
    uint64_t v;
    FALCO_TRY(falco_event_payload_u64(ev, &v));
    return falco_extract_u64(x, v);
}

static falco_rc src_config(falco_extract *x, const falco_event *ev) {
    (void)ev;
    return falco_extract_str_ref(x, falco_plugin_config_string(falco_extract_plugin(x)));
}

static const falco_field src_fields[] = {
    {.name = "src.value", .type = FALCO_FIELD_U64, .desc = "the payload", .extract = src_value},
    {.name = "src.config", .type = FALCO_FIELD_STRING, .desc = "the init config as given", .extract = src_config},
};

static void src_metrics(falco_plugin *p, void *state, falco_metrics *m) {
    (void)p;
    src_state *st = state;
    falco_metrics_u64(m, "opens", FALCO_METRIC_MONOTONIC, st->opens);
    falco_metrics_u64(m, "closes", FALCO_METRIC_MONOTONIC, st->closes);
    falco_metrics_u64(m, "own_frees", FALCO_METRIC_MONOTONIC, st->own_frees);
}

FALCO_PLUGIN(srcplug, .name = "srcplug", .version = "1.2.3", .contact = "tests@example.com",
             .description = "source scenarios for the SDK tests", .state_size = sizeof(src_state),
             .metrics = src_metrics);

FALCO_SOURCE(srcplug, .id = 4242, .event_source = "srcplug", .instance_size = sizeof(src_instance),
             .open = src_open, .close = src_close, .next_batch = src_next_batch, .max_batch_events = 4,
             .open_params = FALCO_LIST(src_static_params), .list_open_params = src_list_params,
             .progress = src_progress, .event_to_string = src_event_to_string);

FALCO_EXTRACT(srcplug, .fields = FALCO_LIST(src_fields));
