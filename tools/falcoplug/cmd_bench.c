/*
 * cmd_bench.c - falcoplug bench: measures a plugin's hot paths the way
 * libsinsp drives them.
 *
 *   falcoplug bench PLUGIN [--config JSON] [--open PARAMS] [--field NAME]...
 *                          [--iterations N] [--only extract|next_batch]
 *
 * The host library loads, validates and initializes the plugin (in a
 * session, as run, check and info do: it may import the host's `threads`
 * table, and a table it adds is checked as libsinsp does) and parses the
 * field names; the measured calls then go straight through the plugin's ABI
 * function pointers, with no host validation in between, as libsinsp does:
 *  - extract: one extract_fields call per operation, num_fields = 1, with a
 *    freshly filled falco_abi_extract_field (like libsinsp's plugin
 *    filtercheck), a new event number every call, cycling over up to 64 real
 *    events of the plugin's own source; the input carries the host's table
 *    reader (extraction's read-only window is open while timing);
 *  - next_batch: calls in a tight loop on an instance opened with PARAMS; the
 *    plugin decides how many events a call returns; reported per call and
 *    per event. Every batch is checked as `run` checks it (an array, no NULL
 *    event, falco_host_event_validate, the plugin id rules; the host does
 *    this work on every batch, so it is timed with the call) and a bad one
 *    fails the bench. At end of stream the clock stops, the instance is
 *    reopened and the calls go on: a sample always times the calls asked for.
 * Each sample times SAMPLE_CALLS calls with clock_gettime(CLOCK_MONOTONIC)
 * (well above the clock's resolution); percentiles are over the samples' ns
 * per operation, the mean is total time over total operations. Output, one
 * line per path (stable: scripts parse it; lines starting with '#' are notes):
 *
 *   bench extract:gen.value ns/op mean=4.12 p50=4.05 p90=4.31 p99=5.20 n=200000
 *   bench next_batch ns/call mean=... n=...
 *   bench next_batch ns/event mean=... n=...
 *
 * The plugin's init and open are reached through small trampolines that
 * record the state and instance handles the host receives (the host library
 * does not hand them out), so one plugin is benchmarked per process.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <dlfcn.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <falco/host.h>

#include "falcoplug.h"

#define SAMPLE_CALLS 1000u
#define DEFAULT_ITERATIONS 200000u
#define MAX_EVENTS 64u            /* distinct events cycled over by extraction */
#define MAX_EVENT_LEN (64u << 20) /* larger events from a plugin are refused */
#define MAX_FIELDS 64u
#define PREFETCH_TRIES 1000u      /* next_batch calls allowed to return no event */

/* ---- reaching the plugin's state and instance ----------------------------- */

static struct {
    falco_abi_plugin_t *(*init)(const falco_abi_init_input *in, falco_abi_rc *rc);
    falco_abi_instance_t *(*open)(falco_abi_plugin_t *s, const char *params, falco_abi_rc *rc);
    falco_abi_plugin_t *state;
    falco_abi_instance_t *instance;
} real;

static falco_abi_plugin_t *record_init(const falco_abi_init_input *in, falco_abi_rc *rc) {
    real.state = real.init(in, rc);
    return real.state;
}

static falco_abi_instance_t *record_open(falco_abi_plugin_t *s, const char *params, falco_abi_rc *rc) {
    real.instance = real.open(s, params, rc);
    return real.instance;
}

#define MEMBER(m) {"plugin_" #m, offsetof(falco_abi_plugin_api, m)}
static const struct {
    const char *symbol;
    size_t offset;
} api_members[] = {
    MEMBER(get_required_api_version), MEMBER(get_init_schema), MEMBER(init), MEMBER(destroy),
    MEMBER(get_last_error), MEMBER(get_name), MEMBER(get_description), MEMBER(get_contact), MEMBER(get_version),
    MEMBER(get_id), MEMBER(get_event_source), MEMBER(open), MEMBER(close), MEMBER(list_open_params),
    MEMBER(get_progress), MEMBER(event_to_string), MEMBER(next_batch), MEMBER(get_extract_event_types),
    MEMBER(get_extract_event_sources), MEMBER(get_fields), MEMBER(extract_fields), MEMBER(get_parse_event_types),
    MEMBER(get_parse_event_sources), MEMBER(parse_event), MEMBER(get_async_event_sources),
    MEMBER(get_async_events), MEMBER(set_async_event_handler), MEMBER(dump_state), MEMBER(set_config),
    MEMBER(get_metrics), MEMBER(capture_open), MEMBER(capture_close), MEMBER(get_required_event_schema_version),
};
#undef MEMBER

/* Fills api from the library's plugin_* symbols (absent ones stay NULL). */
static void resolve_api(void *dl, falco_abi_plugin_api *api) {
    memset(api, 0, sizeof *api);
    for (size_t i = 0; i < FALCO_COUNT(api_members); i++) {
        void *sym = dlsym(dl, api_members[i].symbol);
        /* Object to function pointer: POSIX guarantees the representation. */
        memcpy((char *)api + api_members[i].offset, &sym, sizeof sym);
    }
}

/* ---- options ---------------------------------------------------------------- */

typedef struct bench_options {
    const char *plugin;
    const char *config;
    const char *open;
    const char *fields[MAX_FIELDS];
    size_t nfields;
    uint64_t iterations;
    bool extract, next_batch;
} bench_options;

static int usage(FILE *out) {
    fprintf(out, "usage: falcoplug bench PLUGIN [--config JSON] [--open PARAMS] [--field NAME]...\n"
                 "                       [--iterations N] [--only extract|next_batch]\n"
                 "Measures extract_fields (one field per call, as libsinsp) and next_batch in ns per\n"
                 "operation: mean and p50/p90/p99 over samples of %u calls. Defaults: every field\n"
                 "that needs no argument, %u iterations per path.\n",
            SAMPLE_CALLS, DEFAULT_ITERATIONS);
    return out == stdout ? 0 : 2;
}

/* Returns 0 to run, -1 to stop with success (help), 2 on a usage error. */
static int parse_options(int argc, char **argv, bench_options *o) {
    *o = (bench_options){.config = "", .open = "", .iterations = DEFAULT_ITERATIONS, .extract = true,
                         .next_batch = true};
    if (falcoplug_wants_help(argc, argv))
        return usage(stdout) - 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (a[0] == '-' && a[1] == '-' && !v) {
            fprintf(stderr, "falcoplug bench: %s needs a value\n", a);
            return 2;
        }
        if (strcmp(a, "--config") == 0) {
            o->config = argv[++i];
        } else if (strcmp(a, "--open") == 0) {
            o->open = argv[++i];
        } else if (strcmp(a, "--field") == 0) {
            if (o->nfields == MAX_FIELDS) {
                fprintf(stderr, "falcoplug bench: at most %u --field options\n", MAX_FIELDS);
                return 2;
            }
            o->fields[o->nfields++] = argv[++i];
        } else if (strcmp(a, "--iterations") == 0) {
            if (falcoplug_parse_u64("bench", "--iterations", v, 1, UINT64_MAX, &o->iterations) != 0)
                return 2;
            i++;
        } else if (strcmp(a, "--only") == 0) {
            o->extract = strcmp(v, "extract") == 0;
            o->next_batch = strcmp(v, "next_batch") == 0;
            if (!o->extract && !o->next_batch) {
                fprintf(stderr, "falcoplug bench: --only \"%s\": expected extract or next_batch\n", v);
                return 2;
            }
            i++;
        } else if (a[0] == '-' || o->plugin) {
            fprintf(stderr, "falcoplug bench: unexpected argument \"%s\"\n", a);
            return usage(stderr);
        } else {
            o->plugin = a;
        }
    }
    if (!o->plugin) {
        fprintf(stderr, "falcoplug bench: no plugin given\n");
        return usage(stderr);
    }
    return 0;
}

/* ---- timing and statistics -------------------------------------------------- */

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Samples of one measured path: ns per operation of each sample. */
typedef struct samples {
    double *ns;
    size_t count, cap;
    uint64_t total_ns, total_ops;
} samples;

static bool samples_add(samples *s, uint64_t elapsed, uint64_t ops) {
    if (ops == 0)
        return true;
    if (s->count == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        double *grown = realloc(s->ns, cap * sizeof *grown);
        if (!grown)
            return false;
        s->ns = grown;
        s->cap = cap;
    }
    s->ns[s->count++] = (double)elapsed / (double)ops;
    s->total_ns += elapsed;
    s->total_ops += ops;
    return true;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile of n sorted values. */
static double percentile(const double *sorted, size_t n, unsigned pct) {
    size_t rank = ((size_t)pct * n + 99) / 100;
    return sorted[rank ? rank - 1 : 0];
}

static void samples_print(samples *s, const char *path, const char *unit) {
    if (!s->count) {
        printf("# %s: nothing measured\n", path);
        return;
    }
    qsort(s->ns, s->count, sizeof *s->ns, cmp_double);
    printf("bench %s %s mean=%.2f p50=%.2f p90=%.2f p99=%.2f n=%" PRIu64 "\n", path, unit,
           (double)s->total_ns / (double)s->total_ops, percentile(s->ns, s->count, 50),
           percentile(s->ns, s->count, 90), percentile(s->ns, s->count, 99), s->total_ops);
    fflush(stdout);
}

static void samples_free(samples *s) {
    free(s->ns);
    *s = (samples){0};
}

/* Calls per sample and number of samples for a path of `iterations` calls. */
static void plan(uint64_t iterations, uint64_t *per_sample, uint64_t *nsamples) {
    *per_sample = iterations < SAMPLE_CALLS ? iterations : SAMPLE_CALLS;
    *nsamples = iterations / *per_sample;
}

/* ---- the run ------------------------------------------------------------------ */

typedef struct bench_run {
    const bench_options *o;
    falco_host_session *s; /* the plugin's tables; freed before hp */
    falco_host_plugin *hp;
    falco_abi_plugin_api api;  /* the plugin's real functions */
    falco_host_instance *inst; /* the open capture (source plugins) */
    const char *evtsrc;
    uint32_t own_id; /* the plugin's id, 0 without one */
    unsigned char *events[MAX_EVENTS];
    size_t nevents;
    volatile uint64_t sink; /* consumes results so no call looks useless */
} bench_run;

static int fail(bench_run *r, const char *what) {
    fprintf(stderr, "falcoplug bench: %s: %s\n", what, falco_host_errmsg(r->hp));
    return 1;
}

static int fail_plugin(bench_run *r, const char *call, falco_abi_rc rc) {
    const char *err = r->api.get_last_error ? r->api.get_last_error(real.state) : NULL;
    fprintf(stderr, "falcoplug bench: plugin '%s': %s returned %d: %s\n", falco_host_plugin_name(r->hp), call,
            (int)rc, err && *err ? err : "(no message)");
    return 1;
}

/* The full check of one event, as `run` (falco_host_next, after libscap)
 * makes it: header and parameter lengths (falco_host_event_validate), and
 * for a plugin with an id only 322 events with 2 params carrying that id
 * (or 0). Returns 0, or 1 after printing the reason. */
static int check_event(bench_run *r, const falco_abi_event *ev, uint32_t i, uint32_t n) {
    const char *name = falco_host_plugin_name(r->hp);
    char why[512];
    if (!ev) {
        fprintf(stderr, "falcoplug bench: plugin '%s': next_batch returned a NULL event (#%u of %u)\n", name, i, n);
        return 1;
    }
    uint32_t len;
    memcpy(&len, (const unsigned char *)ev + 16, sizeof len);
    if (falco_host_event_validate(ev, len < 26 ? 26 : len, why, sizeof why) != FALCO_OK) {
        fprintf(stderr, "falcoplug bench: plugin '%s': next_batch returned a bad event (#%u of %u): %s\n", name, i,
                n, why);
        return 1;
    }
    uint32_t own = falco_host_plugin_id(r->hp);
    if (!own)
        return 0;
    uint16_t type;
    uint32_t nparams, id = 0;
    memcpy(&type, (const unsigned char *)ev + 20, sizeof type);
    memcpy(&nparams, (const unsigned char *)ev + 22, sizeof nparams);
    if (type == FALCO_ABI_EVENT_PLUGIN && nparams == 2) /* validated: the id param is there */
        memcpy(&id, (const unsigned char *)ev + 34, sizeof id);
    if (type != FALCO_ABI_EVENT_PLUGIN || nparams != 2 || (id != 0 && id != own)) {
        fprintf(stderr,
                "falcoplug bench: plugin '%s': next_batch returned a bad event (#%u of %u): type %u with %u params "
                "and plugin id %u, expected type 322 with 2 params and id %u\n",
                name, i, n, type, nparams, id, own);
        return 1;
    }
    return 0;
}

/* The same rules for the common case, a well-formed plugin event, in a few
 * loads: true when ev passes check_event. (The checks run inside the timed
 * loop, where the host makes them too; this keeps their cost small next to
 * a plugin's.) */
static inline bool plugin_event_ok(const falco_abi_event *ev, uint32_t own) {
    falco_abi_event h;
    uint32_t lens[3]; /* plugin id param length, payload length, plugin id */
    memcpy(&h, ev, sizeof h);
    if (h.type != FALCO_ABI_EVENT_PLUGIN || h.nparams != 2 || h.len < FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET)
        return false;
    memcpy(lens, (const unsigned char *)ev + sizeof h, sizeof lens);
    return lens[0] == 4 && lens[1] <= h.len - FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET &&
           (!own || lens[2] == 0 || lens[2] == own);
}

/* Checks a batch the way `run` does before delivering it: an array when
 * there are events, then check_event for each. Returns 0, or 1 after
 * printing the reason. */
static inline int check_batch(bench_run *r, uint32_t n, falco_abi_event **evts) {
    if (!evts) {
        fprintf(stderr, "falcoplug bench: plugin '%s': next_batch returned %u events and a NULL array\n",
                falco_host_plugin_name(r->hp), n);
        return 1;
    }
    for (uint32_t i = 0; i < n; i++)
        if (!(evts[i] && plugin_event_ok(evts[i], r->own_id)) && check_event(r, evts[i], i, n) != 0)
            return 1;
    return 0;
}

/* Keeps a copy of ev for extraction, with what the host writes into events
 * it receives (tid -1 and the plugin id of 322 events, the time when
 * asked). */
static int keep_event(bench_run *r, const falco_abi_event *ev) {
    char why[256];
    uint32_t len = ev->len;
    if (len > MAX_EVENT_LEN || falco_host_event_validate(ev, len, why, sizeof why) != FALCO_OK) {
        fprintf(stderr, "falcoplug bench: plugin '%s': next_batch returned a bad event: %s\n",
                falco_host_plugin_name(r->hp), len > MAX_EVENT_LEN ? "larger than 64 MiB" : why);
        return 1;
    }
    unsigned char *copy = malloc(len);
    if (!copy) {
        fprintf(stderr, "falcoplug bench: out of memory\n");
        return 1;
    }
    memcpy(copy, ev, len);
    falco_abi_event hdr;
    memcpy(&hdr, copy, sizeof hdr);
    if (hdr.type == FALCO_ABI_EVENT_PLUGIN) {
        uint32_t id, own = falco_host_plugin_id(r->hp);
        memcpy(&id, copy + sizeof hdr + 8, sizeof id);
        if (id == 0 && own)
            memcpy(copy + sizeof hdr + 8, &own, sizeof own);
        hdr.tid = UINT64_MAX;
    }
    if (hdr.ts == UINT64_MAX)
        hdr.ts = now_ns();
    memcpy(copy, &hdr, sizeof hdr);
    r->events[r->nevents++] = copy;
    return 0;
}

/* Closes and reopens the capture (after EOF; never in timed code). */
static int reopen(bench_run *r) {
    falco_host_close(r->inst);
    r->inst = NULL;
    if (falco_host_open(r->hp, r->o->open, &r->inst) != FALCO_OK)
        return fail(r, "open");
    return 0;
}

/* Takes up to MAX_EVENTS events from the plugin's own source. */
static int prefetch_events(bench_run *r) {
    for (unsigned tries = 0; r->nevents < MAX_EVENTS && tries < PREFETCH_TRIES; tries++) {
        uint32_t n = 0;
        falco_abi_event **evts = NULL;
        falco_abi_rc rc = r->api.next_batch(real.state, real.instance, &n, &evts);
        if (rc != FALCO_ABI_RC_SUCCESS && rc != FALCO_ABI_RC_TIMEOUT && rc != FALCO_ABI_RC_EOF)
            return fail_plugin(r, "next_batch", rc);
        if (n && check_batch(r, n, evts) != 0)
            return 1;
        for (uint32_t i = 0; i < n && r->nevents < MAX_EVENTS; i++)
            if (keep_event(r, evts[i]) != 0)
                return 1;
        if (rc == FALCO_ABI_RC_EOF && (r->nevents || reopen(r) != 0))
            break;
    }
    if (!r->nevents) {
        fprintf(stderr, "falcoplug bench: plugin '%s' produced no event to extract from (open params \"%s\")\n",
                falco_host_plugin_name(r->hp), r->o->open);
        return 1;
    }
    return reopen(r); /* extraction must not disturb the next_batch measurement */
}

/* A plugin without a source extracts from a synthetic plugin event with an
 * empty payload: say so, the plugin may well reject it. */
static int synthetic_event(bench_run *r) {
    unsigned char *e = calloc(1, FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET);
    if (!e) {
        fprintf(stderr, "falcoplug bench: out of memory\n");
        return 1;
    }
    falco_abi_event hdr = {.ts = now_ns(), .tid = UINT64_MAX, .len = FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET,
                           .type = FALCO_ABI_EVENT_PLUGIN, .nparams = 2};
    uint32_t lens[2] = {4, 0};
    memcpy(e, &hdr, sizeof hdr);
    memcpy(e + sizeof hdr, lens, sizeof lens);
    r->events[r->nevents++] = e;
    printf("# no source: extracting from a synthetic empty plugin event of source \"%s\"\n", r->evtsrc);
    return 0;
}

/* What libsinsp fills for one field reference, parsed from "name[arg]". */
typedef struct field_ref {
    const falco_host_field *field;
    char *arg_key; /* owned; NULL without a key */
    uint64_t arg_index;
    bool arg_present;
} field_ref;

static int field_ref_parse(bench_run *r, const char *expr, field_ref *ref) {
    falco_host_extractor *x = NULL;
    *ref = (field_ref){0};
    if (falco_host_extractor_new(r->hp, expr, &x) != FALCO_OK)
        return fail(r, expr);
    ref->field = falco_host_extractor_field(x);
    falco_host_extractor_free(x);
    const char *open = strchr(expr, '[');
    if (!open)
        return 0;
    /* The host accepted the expression: it ends with ']'. */
    size_t len = strlen(open + 1) - 1;
    ref->arg_present = true;
    if (ref->field->arg_index) {
        ref->arg_index = strtoull(open + 1, NULL, 10);
    } else if ((ref->arg_key = malloc(len + 1)) != NULL) {
        memcpy(ref->arg_key, open + 1, len);
        ref->arg_key[len] = '\0';
    } else {
        fprintf(stderr, "falcoplug bench: out of memory\n");
        return 1;
    }
    return 0;
}

/* Reads the first value like libsinsp would use it. */
static uint64_t consume(const falco_abi_extract_field *f) {
    if (!f->res_len || !f->res.u64)
        return 0;
    switch (f->ftype) {
    case FALCO_ABI_FT_STRING:
        return (uint64_t)(unsigned char)f->res.str[0][0];
    case FALCO_ABI_FT_BOOL:
        return f->res.boolean[0];
    case FALCO_ABI_FT_IPADDR:
    case FALCO_ABI_FT_IPNET:
        return f->res.buf[0].len;
    default:
        return f->res.u64[0];
    }
}

/* Runs `calls` extractions of ref; returns 0 or the failing rc. */
static falco_abi_rc extract_calls(bench_run *r, const field_ref *ref, uint64_t calls, uint64_t *evtnum) {
    uint64_t sink = 0;
    /* owner and table reader as the host's extraction fills them */
    falco_abi_field_extract_input base = {0};
    (void)falco_host_extract_window_open(r->hp, &base);
    falco_abi_rc rc = FALCO_ABI_RC_SUCCESS;
    for (uint64_t i = 0; i < calls; i++) {
        /* Filled for every call, as libsinsp's plugin filtercheck does. */
        falco_abi_extract_field f = {.field_id = ref->field->id, .field = ref->field->name,
                                     .arg_key = ref->arg_key, .arg_index = ref->arg_index,
                                     .arg_present = ref->arg_present, .ftype = (uint32_t)ref->field->type,
                                     .flist = ref->field->is_list};
        falco_abi_event_input ev = {.evt = (const falco_abi_event *)r->events[*evtnum % r->nevents],
                                    .evtnum = *evtnum + 1, .evtsrc = r->evtsrc};
        falco_abi_field_extract_input in = base;
        in.num_fields = 1;
        in.fields = &f;
        ++*evtnum;
        if ((rc = r->api.extract_fields(real.state, &ev, &in)) != FALCO_ABI_RC_SUCCESS)
            break;
        sink += consume(&f);
    }
    falco_host_extract_window_close();
    r->sink += sink;
    return rc;
}

static int bench_field(bench_run *r, const char *expr) {
    field_ref ref;
    if (field_ref_parse(r, expr, &ref) != 0)
        return 1;
    /* One checked extraction first: the host validates the result. */
    falco_host_extractor *x = NULL;
    falco_host_values vals;
    falco_abi_event_input ev = {.evt = (const falco_abi_event *)r->events[0], .evtnum = 1, .evtsrc = r->evtsrc};
    int ret = 0;
    if (falco_host_extractor_new(r->hp, expr, &x) != FALCO_OK ||
        falco_host_extract(x, &ev, false, &vals) != FALCO_OK) {
        ret = fail(r, expr);
        goto out;
    }
    uint64_t per, nsamples, evtnum = 1;
    plan(r->o->iterations, &per, &nsamples);
    samples s = {0};
    falco_abi_rc rc = extract_calls(r, &ref, per * nsamples / 10 + per, &evtnum); /* warm-up */
    for (uint64_t i = 0; rc == FALCO_ABI_RC_SUCCESS && i < nsamples; i++) {
        uint64_t t0 = now_ns();
        rc = extract_calls(r, &ref, per, &evtnum);
        uint64_t t1 = now_ns();
        if (!samples_add(&s, t1 - t0, per)) {
            fprintf(stderr, "falcoplug bench: out of memory\n");
            ret = 1;
            break;
        }
    }
    if (rc != FALCO_ABI_RC_SUCCESS) {
        ret = fail_plugin(r, "extract_fields", rc);
    } else if (!ret) {
        char path[300];
        snprintf(path, sizeof path, "extract:%s", expr);
        samples_print(&s, path, "ns/op");
    }
    samples_free(&s);
out:
    falco_host_extractor_free(x);
    free(ref.arg_key);
    return ret;
}

static int bench_extract(bench_run *r) {
    if (r->o->nfields) {
        for (size_t i = 0; i < r->o->nfields; i++)
            if (bench_field(r, r->o->fields[i]) != 0)
                return 1;
        return 0;
    }
    for (size_t i = 0; i < falco_host_field_count(r->hp); i++) {
        const falco_host_field *f = falco_host_field_at(r->hp, i);
        if (f->arg_required) {
            printf("# %s: skipped, it needs an argument (use --field '%s[...]')\n", f->name, f->name);
            continue;
        }
        if (bench_field(r, f->name) != 0)
            return 1;
    }
    return 0;
}

/* Totals of a run of next_batch calls. */
typedef struct batch_totals {
    uint64_t ns, calls, events, eofs;
} batch_totals;

/* Makes `calls` next_batch calls and adds them to *t: ns counts the calls
 * and the checks of their batches; at EOF the clock stops while the
 * instance is reopened, then the calls go on, so a short source is measured
 * over every call asked for. Returns 0, or 1 after printing why. */
static int batch_calls(bench_run *r, uint64_t calls, batch_totals *t) {
    uint64_t done = 0;
    while (done < calls) {
        uint32_t n = 0;
        falco_abi_rc rc = FALCO_ABI_RC_SUCCESS;
        int bad = 0;
        uint64_t events = 0, first = done, t0 = now_ns();
        while (done < calls) {
            falco_abi_event **evts = NULL;
            n = 0;
            rc = r->api.next_batch(real.state, real.instance, &n, &evts);
            done++;
            events += n;
            if (n && (bad = check_batch(r, n, evts)) != 0)
                break;
            if (rc != FALCO_ABI_RC_SUCCESS && rc != FALCO_ABI_RC_TIMEOUT)
                break;
            if (rc == FALCO_ABI_RC_SUCCESS && n == 0)
                break;
        }
        t->ns += now_ns() - t0;
        t->calls += done - first;
        t->events += events;
        if (bad)
            return 1;
        if (rc == FALCO_ABI_RC_SUCCESS && n == 0) {
            fprintf(stderr, "falcoplug bench: plugin '%s': next_batch returned SUCCESS with 0 events\n",
                    falco_host_plugin_name(r->hp));
            return 1;
        }
        if (rc == FALCO_ABI_RC_EOF) {
            t->eofs++;
            if (reopen(r) != 0)
                return 1;
        } else if (rc != FALCO_ABI_RC_SUCCESS && rc != FALCO_ABI_RC_TIMEOUT) {
            return fail_plugin(r, "next_batch", rc);
        }
    }
    return 0;
}

static int bench_next_batch(bench_run *r) {
    uint64_t per, nsamples;
    plan(r->o->iterations, &per, &nsamples);
    samples calls = {0}, evs = {0};
    batch_totals warm = {0}, all = {0};
    int ret = batch_calls(r, per * nsamples / 10 + per, &warm);
    for (uint64_t i = 0; !ret && i < nsamples; i++) {
        batch_totals t = {0};
        ret = batch_calls(r, per, &t);
        if (!ret && (!samples_add(&calls, t.ns, t.calls) || !samples_add(&evs, t.ns, t.events))) {
            fprintf(stderr, "falcoplug bench: out of memory\n");
            ret = 1;
        }
        all.calls += t.calls;
        all.events += t.events;
        all.eofs += t.eofs;
    }
    if (!ret) {
        printf("# next_batch events/call=%.2f eof_reopens=%" PRIu64 "\n",
               all.calls ? (double)all.events / (double)all.calls : 0.0, all.eofs);
        samples_print(&calls, "next_batch", "ns/call");
        samples_print(&evs, "next_batch", "ns/event");
    }
    samples_free(&calls);
    samples_free(&evs);
    return ret;
}

/* Loads PLUGIN through the trampolines and initializes it. */
static int load(bench_run *r, void **dl) {
    char *path = falcoplug_plugin_path(r->o->plugin);
    if (!path)
        return 1;
    *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    free(path);
    if (!*dl) {
        fprintf(stderr, "falcoplug bench: cannot load %s: %s\n", r->o->plugin, dlerror());
        return 1;
    }
    resolve_api(*dl, &r->api);
    falco_abi_plugin_api wrapped = r->api;
    real.init = r->api.init;
    real.open = r->api.open;
    wrapped.init = r->api.init ? record_init : NULL;
    wrapped.open = r->api.open ? record_open : NULL;
    if (falco_host_plugin_load_api(&wrapped, r->o->plugin, &r->hp) != FALCO_OK)
        return fail(r, "load");
    if (falco_host_session_new(0, &r->s) != FALCO_OK) {
        fprintf(stderr, "falcoplug bench: init: out of memory\n");
        return 1;
    }
    if (falco_host_session_init(r->s, r->hp, r->o->config) != FALCO_OK) {
        fprintf(stderr, "falcoplug bench: init: %s\n", falco_host_session_errmsg(r->s));
        return 1;
    }
    r->own_id = falco_host_plugin_id(r->hp);
    return 0;
}

int falcoplug_bench_main(int argc, char **argv) {
    bench_options o;
    int ret = parse_options(argc, argv, &o);
    if (ret != 0)
        return ret < 0 ? 0 : ret;
    bench_run r = {.o = &o};
    void *dl = NULL;
    real.state = NULL;
    real.instance = NULL;
    ret = load(&r, &dl);
    unsigned caps = r.hp ? falco_host_plugin_caps(r.hp) : 0;
    bool source = caps & FALCO_HOST_CAP_SOURCE, extract = o.extract && (caps & FALCO_HOST_CAP_EXTRACT);
    if (!ret) {
        printf("# plugin %s %s (api %s) path=%s open=\"%s\" iterations=%" PRIu64 " sample=%u calls\n",
               falco_host_plugin_name(r.hp), falco_host_plugin_version(r.hp),
               falco_host_plugin_required_api_version(r.hp), o.plugin, o.open, o.iterations,
               o.iterations < SAMPLE_CALLS ? (unsigned)o.iterations : SAMPLE_CALLS);
        if (o.nfields && !(caps & FALCO_HOST_CAP_EXTRACT)) {
            fprintf(stderr, "falcoplug bench: plugin '%s' does not extract fields\n", falco_host_plugin_name(r.hp));
            ret = 1;
        } else if (!extract && !(o.next_batch && source)) {
            fprintf(stderr, "falcoplug bench: plugin '%s' has nothing to measure here\n",
                    falco_host_plugin_name(r.hp));
            ret = 1;
        }
    }
    if (!ret && source && falco_host_open(r.hp, o.open, &r.inst) != FALCO_OK)
        ret = fail(&r, "open");
    if (!ret && extract) {
        falco_string_list srcs = falco_host_plugin_extract_sources(r.hp);
        r.evtsrc = source ? falco_host_plugin_event_source(r.hp) : srcs.count ? srcs.items[0] : "syscall";
        ret = source ? prefetch_events(&r) : synthetic_event(&r);
        if (!ret)
            ret = bench_extract(&r);
    }
    if (!ret && o.next_batch && source)
        ret = bench_next_batch(&r);
    for (size_t i = 0; i < r.nevents; i++)
        free(r.events[i]);
    falco_host_close(r.inst);
    falco_host_session_free(r.s); /* before the plugin it borrows */
    falco_host_plugin_free(r.hp);
    if (dl)
        dlclose(dl);
    return ret;
}
