/*
 * generator - a source + extract plugin written with plugin-sdk-c, in the
 * spirit of Falco's `dummy` plugin: each capture produces a sequence of
 * increasing numbers with a pseudo-random step.
 *
 *   init config  {"start": 1, "jitter": 10, "label": "gen"}   (all optional)
 *   open params  {"count": 20, "batch": 512} (both optional), or a plain
 *                number: the count of events ("" = 20 events)
 *   fields       gen.value, gen.strvalue, gen.divisible[N], gen.label, gen.step
 *
 * A capture that would count past 2^64-1 (start + (count-1) * jitter) is
 * refused at open, so values never wrap.
 *   metrics      gen.events_produced, gen.open_captures
 */
#include <stdlib.h>
#include <string.h>

#include <falco/plugin.h>

typedef struct {
    uint64_t start;  /* first value */
    uint64_t jitter; /* largest step */
    char *label;     /* copied into every event's gen.label */
} gen_config;

typedef struct {
    uint64_t produced; /* events produced by every capture of this state */
    uint32_t open_captures;
} gen_state;

typedef struct {
    uint64_t count; /* events to produce */
    uint32_t batch; /* most events per batch */
} gen_params;

typedef struct {
    uint64_t next, left, total, rng;
    uint32_t batch;
} gen_instance;

/* The event payload: what a capture file stores for each event. */
typedef struct {
    uint64_t value;
    uint64_t step; /* value minus the previous value (0 for the first) */
} gen_payload;

static const falco_config_option gen_options[] = {
    FALCO_CONFIG_U64(gen_config, start, "start", .def = 1, .desc = "first value of every capture"),
    FALCO_CONFIG_U64(gen_config, jitter, "jitter", .def = 10, .min = 1, .max = 1000,
                     .desc = "largest step between two values"),
    FALCO_CONFIG_STRING(gen_config, label, "label", .def_str = "gen", .desc = "text of the gen.label field"),
};

static const falco_config_option gen_open_options[] = {
    FALCO_CONFIG_U64(gen_params, count, "count", .def = 20, .min = 1, .max = 1e300,
                     .desc = "number of events to produce"),
    FALCO_CONFIG_U32(gen_params, batch, "batch", .def = 512, .min = 1, .max = 512,
                     .desc = "most events per batch"),
};

static const falco_open_param gen_open_params[] = {
    {.value = "10", .desc = "ten events"},
    {.value = "1000", .desc = "a thousand events"},
    {.value = "{\"count\": 100, \"batch\": 10}", .desc = "a hundred events, ten per batch"},
};

static falco_rc gen_open(falco_plugin *p, const char *params, void **instance) {
    (void)params; /* decoded by the SDK: falco_source_params */
    gen_instance *in = *instance;
    const gen_config *cfg = falco_plugin_config(p);
    const gen_params *op = falco_source_params(p);
    /* The last value is at most start + (count - 1) * jitter. */
    uint64_t steps = (UINT64_MAX - cfg->start) / cfg->jitter; /* most steps that fit */
    if (op->count - 1 > steps) /* count >= 1: the option's minimum */
        return falco_error(p, FALCO_ERANGE,
                           "open params.count: %llu events from start %llu with steps up to %llu would count "
                           "past 2^64-1 (at most %llu events)",
                           (unsigned long long)op->count, (unsigned long long)cfg->start,
                           (unsigned long long)cfg->jitter, (unsigned long long)steps + 1);
    in->next = cfg->start;
    in->left = in->total = op->count;
    in->batch = op->batch;
    in->rng = 0x9E3779B97F4A7C15ull ^ op->count;
    ((gen_state *)falco_plugin_state(p))->open_captures++;
    return FALCO_OK;
}

static void gen_close(falco_plugin *p, void *instance) {
    (void)instance;
    ((gen_state *)falco_plugin_state(p))->open_captures--;
}

static uint64_t next_random(gen_instance *in) {
    in->rng ^= in->rng << 13;
    in->rng ^= in->rng >> 7;
    in->rng ^= in->rng << 17;
    return in->rng;
}

static falco_rc gen_next_batch(falco_plugin *p, void *instance, falco_batch *b) {
    gen_instance *in = instance;
    const gen_config *cfg = falco_plugin_config(p);
    gen_state *st = falco_plugin_state(p);
    for (uint32_t n = 0; in->left && n < in->batch && falco_batch_room(b); n++) {
        uint64_t step = in->left == in->total ? 0 : 1 + next_random(in) % cfg->jitter;
        if (step > UINT64_MAX - in->next) /* open refuses such counts: never reached */
            return falco_error(p, FALCO_ERANGE, "value %llu + step %llu would pass 2^64-1",
                               (unsigned long long)in->next, (unsigned long long)step);
        in->next += step;
        gen_payload ev = {.value = in->next, .step = step};
        FALCO_TRY(falco_batch_add_plugin_event(b, &ev, sizeof ev));
        in->left--;
        st->produced++;
    }
    return in->left ? FALCO_OK : FALCO_EOF;
}

static falco_rc gen_progress(falco_plugin *p, void *instance, double *percent, falco_strbuf *detail) {
    (void)p;
    gen_instance *in = instance;
    *percent = 100.0 * (double)(in->total - in->left) / (double)in->total;
    return falco_strbuf_printf(detail, "%llu of %llu events", (unsigned long long)(in->total - in->left),
                               (unsigned long long)in->total);
}

static falco_rc read_payload(const falco_event *ev, gen_payload *out) {
    const void *data;
    uint32_t len;
    FALCO_TRY(falco_event_plugin_data(ev, &data, &len, NULL));
    if (len != sizeof *out)
        return FALCO_ETRUNCATED;
    memcpy(out, data, sizeof *out);
    return FALCO_OK;
}

static falco_rc gen_event_to_string(falco_plugin *p, const falco_event *ev, falco_strbuf *out) {
    gen_payload pl;
    if (read_payload(ev, &pl) != FALCO_OK)
        return falco_error(p, FALCO_EPARSE, "not a generator event");
    return falco_strbuf_printf(out, "value=%llu step=%llu", (unsigned long long)pl.value,
                               (unsigned long long)pl.step);
}

static falco_rc gen_value(falco_extract *x, const falco_event *ev) {
    gen_payload pl;
    FALCO_TRY(read_payload(ev, &pl));
    return falco_extract_u64(x, pl.value);
}

static falco_rc gen_step(falco_extract *x, const falco_event *ev) {
    gen_payload pl;
    FALCO_TRY(read_payload(ev, &pl));
    return falco_extract_u64(x, pl.step);
}

static falco_rc gen_strvalue(falco_extract *x, const falco_event *ev) {
    gen_payload pl;
    FALCO_TRY(read_payload(ev, &pl));
    char *text = falco_extract_alloc(x, 24);
    if (!text)
        return FALCO_ENOMEM;
    /* Digits backwards: cheaper than snprintf on the hot path. */
    char *c = text + 23;
    *c = '\0';
    do {
        *--c = (char)('0' + pl.value % 10);
        pl.value /= 10;
    } while (pl.value);
    return falco_extract_str_ref(x, c);
}

static falco_rc gen_divisible(falco_extract *x, const falco_event *ev) {
    gen_payload pl;
    FALCO_TRY(read_payload(ev, &pl));
    uint64_t n = falco_extract_arg_index(x);
    if (n == 0)
        return falco_extract_error(x, FALCO_EINVAL, "divisor must not be 0");
    return falco_extract_bool(x, pl.value % n == 0);
}

static falco_rc gen_label(falco_extract *x, const falco_event *ev) {
    (void)ev;
    const gen_config *cfg = falco_plugin_config(falco_extract_plugin(x));
    return falco_extract_str_ref(x, cfg->label);
}

static const falco_field gen_fields[] = {
    {.name = "gen.value", .type = FALCO_FIELD_U64, .desc = "the generated value", .extract = gen_value},
    {.name = "gen.step", .type = FALCO_FIELD_U64, .desc = "difference from the previous value (0 for the first event)",
     .extract = gen_step},
    {.name = "gen.strvalue", .type = FALCO_FIELD_STRING, .display = "Value as text",
     .desc = "the generated value as a decimal string", .extract = gen_strvalue},
    {.name = "gen.divisible", .type = FALCO_FIELD_BOOL, .arg = FALCO_ARG_INDEX, .arg_required = true,
     .desc = "whether the value is divisible by the argument, e.g. gen.divisible[3]", .extract = gen_divisible},
    {.name = "gen.label", .type = FALCO_FIELD_STRING, .desc = "the configured label", .extract = gen_label},
};

static void gen_metrics(falco_plugin *p, void *state, falco_metrics *m) {
    (void)p;
    gen_state *st = state;
    falco_metrics_u64(m, "events_produced", FALCO_METRIC_MONOTONIC, st->produced);
    falco_metrics_u32(m, "open_captures", FALCO_METRIC_NON_MONOTONIC, st->open_captures);
}

FALCO_PLUGIN(generator, .name = "generator", .version = "0.1.0", .contact = "https://github.com/falcosecurity",
             .description = "Generates increasing numbers; an example of plugin-sdk-c",
             .state_size = sizeof(gen_state), .config = FALCO_LIST(gen_options), .config_size = sizeof(gen_config),
             .metrics = gen_metrics);

FALCO_SOURCE(generator, .id = 999, .event_source = "generator", .instance_size = sizeof(gen_instance),
             .open = gen_open, .close = gen_close, .next_batch = gen_next_batch,
             .open_params = FALCO_LIST(gen_open_params), .progress = gen_progress,
             .event_to_string = gen_event_to_string, .open_options = FALCO_LIST(gen_open_options),
             .open_options_size = sizeof(gen_params), .open_plain = "count");

FALCO_EXTRACT(generator, .fields = FALCO_LIST(gen_fields));
