/*
 * cmd_bench.c - falcoplug bench: measures a plugin's hot paths the way
 * libsinsp drives them.
 *
 *   falcoplug bench PLUGIN [--config JSON] [--open PARAMS] [--field NAME]...
 *                          [--iterations N] [--sample-calls N]
 *                          [--only extract|next_batch] [--rotate]
 *   falcoplug bench --pair A.so B.so [the same options] [--samples]
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
 * Each sample times SAMPLE_CALLS calls (--sample-calls) with
 * clock_gettime(CLOCK_MONOTONIC) (well above the clock's resolution); percentiles are over the samples' ns
 * per operation, the mean is total time over total operations. Output, one
 * line per path (stable: scripts parse it; lines starting with '#' are notes):
 *
 *   bench extract:gen.value ns/op mean=4.12 p50=4.05 p90=4.31 p99=5.20 n=200000
 *   bench next_batch ns/call mean=... n=...
 *   bench next_batch ns/event mean=... n=...
 *
 * --pair: a paired comparison, which holds on a loaded machine where two
 * separate runs do not. Both plugins are loaded in this process (each in its
 * own session), get the same options, and each path's samples alternate
 * A B, B A, A B... so that both sides of a pair see the same machine; the
 * result is the distribution of the per-pair ratios B/A (B's sample over
 * the adjacent A sample), one line per path:
 *
 *   pair extract:gen.value ns/op a_p50=4.05 b_p50=4.31 ratio=1.0640 p25=1.0210 p75=1.1030 pairs=200
 *
 * ratio is the median of the pair ratios, p25/p75 their quartiles (the
 * noise), a_p50/b_p50 each side's own p50 (information). Extraction reads,
 * for both, the events A's source produced when the two sources produced the
 * same events (a note says whether they did). --samples also prints every
 * sample in the order taken (before the pair line; ns is the sample's time,
 * ops its calls):
 *
 *   sample <path> <unit> <pair> <a|b> <ns> <ops>
 *
 * The plugins' init and open are reached through small trampolines (one set
 * per side) that record the state and instance handles the host receives
 * (the host library does not hand them out).
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

#include "bench_stats.h"
#include "falcoplug.h"

#define SAMPLE_CALLS 1000u        /* calls per sample, by default */
#define MAX_SAMPLE_CALLS 100000000u
#define DEFAULT_ITERATIONS 200000u
#define MAX_EVENTS 64u            /* distinct events cycled over by extraction */
#define MAX_EVENT_LEN (64u << 20) /* larger events from a plugin are refused */
#define MAX_FIELDS 64u
#define PREFETCH_TRIES 1000u      /* next_batch calls allowed to return no event */
#define MAX_SIDES 2u              /* plugins in one process: A and, with --pair, B */

/* ---- reaching the plugins' states and instances ----------------------------- */

typedef struct recorded {
    falco_abi_plugin_t *(*init)(const falco_abi_init_input *in, falco_abi_rc *rc);
    falco_abi_instance_t *(*open)(falco_abi_plugin_t *s, const char *params, falco_abi_rc *rc);
    falco_abi_plugin_t *state;
    falco_abi_instance_t *instance;
} recorded;

/* One per side: the trampolines below cannot take an argument. */
static recorded real[MAX_SIDES];

static falco_abi_plugin_t *record_init_a(const falco_abi_init_input *in, falco_abi_rc *rc) {
    return real[0].state = real[0].init(in, rc);
}
static falco_abi_plugin_t *record_init_b(const falco_abi_init_input *in, falco_abi_rc *rc) {
    return real[1].state = real[1].init(in, rc);
}
static falco_abi_instance_t *record_open_a(falco_abi_plugin_t *s, const char *params, falco_abi_rc *rc) {
    return real[0].instance = real[0].open(s, params, rc);
}
static falco_abi_instance_t *record_open_b(falco_abi_plugin_t *s, const char *params, falco_abi_rc *rc) {
    return real[1].instance = real[1].open(s, params, rc);
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
    const char *plugins[MAX_SIDES];
    size_t nplugins;
    const char *config;
    const char *open;
    const char *fields[MAX_FIELDS];
    size_t nfields;
    uint64_t iterations, sample_calls;
    bool extract, next_batch;
    bool pair, print_samples;
    bool rotate; /* --rotate: the fields in turn on each event, one path */
} bench_options;

static int usage(FILE *out) {
    fprintf(out, "usage: falcoplug bench PLUGIN [--config JSON] [--open PARAMS] [--field NAME]...\n"
                 "                       [--iterations N] [--sample-calls N] [--only extract|next_batch]\n"
                 "                       [--rotate]\n"
                 "       falcoplug bench --pair A.so B.so [the same options] [--samples]\n"
                 "Measures extract_fields (one field per call, as libsinsp) and next_batch in ns per\n"
                 "operation: mean and p50/p90/p99 over samples of %u calls (--sample-calls). Defaults:\n"
                 "every field that needs no argument, %u iterations per path.\n"
                 "--pair loads both plugins in this process and alternates their samples (A B, B A,\n"
                 "...): per path, the median and quartiles of the per-pair ratios B/A, and each\n"
                 "side's p50. --samples prints every sample: \"sample PATH UNIT PAIR a|b NS OPS\".\n"
                 "--rotate measures the --field fields as one path, \"extract:F1+F2+...\": each event\n"
                 "is asked every field in turn, as libsinsp asks a rule's fields (ns per call).\n",
            SAMPLE_CALLS, DEFAULT_ITERATIONS);
    return out == stdout ? 0 : 2;
}

/* Returns 0 to run, -1 to stop with success (help), 2 on a usage error. */
static int parse_options(int argc, char **argv, bench_options *o) {
    *o = (bench_options){.config = "", .open = "", .iterations = DEFAULT_ITERATIONS,
                         .sample_calls = SAMPLE_CALLS, .extract = true, .next_batch = true};
    if (falcoplug_wants_help(argc, argv))
        return usage(stdout) - 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--pair") == 0) {
            o->pair = true;
            continue;
        }
        if (strcmp(a, "--samples") == 0) {
            o->print_samples = true;
            continue;
        }
        if (strcmp(a, "--rotate") == 0) {
            o->rotate = true;
            continue;
        }
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
        } else if (strcmp(a, "--sample-calls") == 0) {
            if (falcoplug_parse_u64("bench", "--sample-calls", v, 1, MAX_SAMPLE_CALLS, &o->sample_calls) != 0)
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
        } else if (a[0] == '-' || o->nplugins == MAX_SIDES) {
            fprintf(stderr, "falcoplug bench: unexpected argument \"%s\"%s\n", a,
                    a[0] == '-' ? "" : " (one plugin, or two with --pair)");
            return usage(stderr);
        } else {
            o->plugins[o->nplugins++] = a;
        }
    }
    if (o->nplugins != (o->pair ? 2u : 1u)) {
        fprintf(stderr, "falcoplug bench: %s\n",
                o->pair ? "--pair needs two plugins, A (the baseline) and B"
                        : o->nplugins ? "two plugins need --pair" : "no plugin given");
        return usage(stderr);
    }
    if (o->rotate && o->nfields < 2) {
        fprintf(stderr, "falcoplug bench: --rotate needs two or more --field options\n");
        return usage(stderr);
    }
    if (o->print_samples && !o->pair) {
        fprintf(stderr, "falcoplug bench: --samples goes with --pair\n");
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

/* Samples of one measured path, in the order taken: each one's time and
 * operations. */
typedef struct samples {
    uint64_t *ns, *ops;
    size_t count, cap;
    uint64_t total_ns, total_ops;
} samples;

/* Keeps a sample; false when out of memory. A sample of no operation is
 * kept too (its ns per op counts as 0), so that pairs stay aligned. */
static bool samples_add(samples *s, uint64_t elapsed, uint64_t ops) {
    if (s->count == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        uint64_t *ns = realloc(s->ns, cap * sizeof *ns);
        if (ns)
            s->ns = ns;
        uint64_t *o = ns ? realloc(s->ops, cap * sizeof *o) : NULL;
        if (!o)
            return false;
        s->ops = o;
        s->cap = cap;
    }
    s->ns[s->count] = elapsed;
    s->ops[s->count++] = ops;
    s->total_ns += elapsed;
    s->total_ops += ops;
    return true;
}

static double per_op(const samples *s, size_t i) {
    return s->ops[i] ? (double)s->ns[i] / (double)s->ops[i] : 0.0;
}

/* The samples' ns per op, sorted; NULL (message printed) when out of memory. */
static double *sorted_per_op(const samples *s) {
    double *v = malloc((s->count ? s->count : 1) * sizeof *v);
    if (!v) {
        fprintf(stderr, "falcoplug bench: out of memory\n");
        return NULL;
    }
    size_t n = 0;
    for (size_t i = 0; i < s->count; i++)
        if (s->ops[i])
            v[n++] = per_op(s, i);
    qsort(v, n, sizeof *v, bench_cmp_double);
    return v;
}

static int samples_print(const samples *s, const char *path, const char *unit) {
    if (!s->total_ops) {
        printf("# %s: nothing measured\n", path);
        return 0;
    }
    size_t n = 0;
    for (size_t i = 0; i < s->count; i++)
        n += s->ops[i] != 0;
    double *v = sorted_per_op(s);
    if (!v)
        return 1;
    printf("bench %s %s mean=%.2f p50=%.2f p90=%.2f p99=%.2f n=%" PRIu64 "\n", path, unit,
           (double)s->total_ns / (double)s->total_ops, bench_percentile(v, n, 50), bench_percentile(v, n, 90),
           bench_percentile(v, n, 99), s->total_ops);
    fflush(stdout);
    free(v);
    return 0;
}

/* The pair line of a path: pairs i of A's and B's samples (taken next to
 * each other), the ratio B/A of their ns per op. Pairs where a side did no
 * operation are left out. */
static int pair_print(const samples *a, const samples *b, const char *path, const char *unit) {
    size_t n = 0, count = a->count < b->count ? a->count : b->count;
    double *ratios = malloc((count ? count : 1) * sizeof *ratios);
    double *va = sorted_per_op(a), *vb = sorted_per_op(b);
    int ret = 0;
    if (!ratios || !va || !vb) {
        if (!ratios)
            fprintf(stderr, "falcoplug bench: out of memory\n");
        ret = 1;
        goto out;
    }
    for (size_t i = 0; i < count; i++)
        if (a->ops[i] && b->ops[i] && a->ns[i])
            ratios[n++] = per_op(b, i) / per_op(a, i);
    if (!n) {
        printf("# %s: nothing measured\n", path);
        goto out;
    }
    size_t na = 0, nb = 0;
    for (size_t i = 0; i < a->count; i++)
        na += a->ops[i] != 0;
    for (size_t i = 0; i < b->count; i++)
        nb += b->ops[i] != 0;
    bench_pair_line(path, unit, bench_percentile(va, na, 50), bench_percentile(vb, nb, 50), ratios, n);
out:
    free(ratios);
    free(va);
    free(vb);
    return ret;
}

static void samples_free(samples *s) {
    free(s->ns);
    free(s->ops);
    *s = (samples){0};
}

/* Calls per sample and number of samples for a path of o->iterations calls. */
static void plan(const bench_options *o, uint64_t *per_sample, uint64_t *nsamples) {
    *per_sample = o->iterations < o->sample_calls ? o->iterations : o->sample_calls;
    *nsamples = o->iterations / *per_sample;
}

/* The side (0 = A, 1 = B) whose sample comes at `turn` (0 or 1) of pair
 * `pair`: A B, B A, A B... so that each side follows either side equally
 * often. */
static size_t side_of(uint64_t pair, size_t turn, size_t nsides) {
    return nsides == 1 ? 0 : (size_t)((pair & 1u) ^ turn);
}

/* The order the samples were taken in, for --samples. */
typedef struct taken {
    unsigned char *side;
    size_t count, cap;
} taken;

static bool taken_add(taken *t, size_t side) {
    if (t->count == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 512;
        unsigned char *grown = realloc(t->side, cap);
        if (!grown)
            return false;
        t->side = grown;
        t->cap = cap;
    }
    t->side[t->count++] = (unsigned char)side;
    return true;
}

/* Prints the samples of both sides in the order they were taken. */
static void taken_print(const taken *t, const samples s[MAX_SIDES], const char *path, const char *unit) {
    size_t next[MAX_SIDES] = {0};
    for (size_t i = 0; i < t->count; i++) {
        size_t k = t->side[i], j = next[k]++;
        printf("sample %s %s %zu %c %" PRIu64 " %" PRIu64 "\n", path, unit, j, "ab"[k], s[k].ns[j], s[k].ops[j]);
    }
}

/* ---- the run ------------------------------------------------------------------ */

typedef struct bench_run {
    const bench_options *o;
    const char *plugin; /* the PLUGIN argument */
    recorded *rec;      /* its state and instance */
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
    fprintf(stderr, "falcoplug bench: %s%s%s: %s\n", r->o->pair ? r->plugin : "", r->o->pair ? ": " : "", what,
            falco_host_errmsg(r->hp));
    return 1;
}

static int fail_plugin(bench_run *r, const char *call, falco_abi_rc rc) {
    const char *err = r->api.get_last_error ? r->api.get_last_error(r->rec->state) : NULL;
    fprintf(stderr, "falcoplug bench: plugin '%s': %s returned %d: %s\n", falco_host_plugin_name(r->hp), call,
            (int)rc, err && *err ? err : "(no message)");
    return 1;
}

static int out_of_memory(void) {
    fprintf(stderr, "falcoplug bench: out of memory\n");
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
        falco_abi_rc rc = r->api.next_batch(r->rec->state, r->rec->instance, &n, &evts);
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

/* Runs `calls` extractions of the nrefs fields at refs, in turn, each event
 * asked every field before the next event (nrefs 1: one field, a new event
 * every call); returns 0 or the failing rc. */
static falco_abi_rc extract_calls(bench_run *r, const field_ref *refs, size_t nrefs, uint64_t calls,
                                  uint64_t *evtnum) {
    uint64_t sink = 0;
    /* owner and table reader as the host's extraction fills them */
    falco_abi_field_extract_input base = {0};
    (void)falco_host_extract_window_open(r->hp, &base);
    falco_abi_rc rc = FALCO_ABI_RC_SUCCESS;
    size_t next = 0;
    for (uint64_t i = 0; i < calls; i++) {
        const field_ref *ref = &refs[next];
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
        if (++next == nrefs) {
            next = 0;
            ++*evtnum; /* every field asked: the next event */
        }
        if ((rc = r->api.extract_fields(r->rec->state, &ev, &in)) != FALCO_ABI_RC_SUCCESS)
            break;
        sink += consume(&f);
    }
    falco_host_extract_window_close();
    r->sink += sink;
    return rc;
}

/* Extractions of the nexprs fields exprs (one: a field; more: in turn on
 * each event, --rotate), on every side: a checked extraction of each first
 * (the host validates the result), a warm-up, then the samples, alternating
 * sides. */
static int bench_fields(bench_run *runs, size_t nsides, const char *const *exprs, size_t nexprs) {
    const bench_options *o = runs[0].o;
    field_ref refs[MAX_SIDES][MAX_FIELDS] = {{{0}}};
    samples s[MAX_SIDES] = {{0}};
    uint64_t evtnum[MAX_SIDES] = {1, 1};
    taken order = {0};
    int ret = 0;
    for (size_t k = 0; k < nsides && !ret; k++) {
        bench_run *r = &runs[k];
        falco_abi_event_input ev = {.evt = (const falco_abi_event *)r->events[0], .evtnum = 1, .evtsrc = r->evtsrc};
        for (size_t j = 0; j < nexprs && !ret; j++) {
            falco_host_values vals;
            falco_host_extractor *x = NULL;
            if (field_ref_parse(r, exprs[j], &refs[k][j]) != 0)
                ret = 1;
            else if (falco_host_extractor_new(r->hp, exprs[j], &x) != FALCO_OK ||
                     falco_host_extract(x, &ev, false, &vals) != FALCO_OK)
                ret = fail(r, exprs[j]);
            falco_host_extractor_free(x);
        }
    }
    uint64_t per, nsamples;
    plan(o, &per, &nsamples);
    if (per % nexprs) /* whole events in every sample */
        per += nexprs - per % nexprs;
    falco_abi_rc rc = FALCO_ABI_RC_SUCCESS;
    size_t k = 0; /* the side called last: the one that failed */
    for (size_t w = 0; !ret && w < nsides && rc == FALCO_ABI_RC_SUCCESS; w++) /* warm-up */
        rc = extract_calls(&runs[k = w], refs[w], nexprs, (nsamples / 10 + 1) * per, &evtnum[w]);
    for (uint64_t i = 0; !ret && rc == FALCO_ABI_RC_SUCCESS && i < nsamples; i++)
        for (size_t turn = 0; !ret && rc == FALCO_ABI_RC_SUCCESS && turn < nsides; turn++) {
            k = side_of(i, turn, nsides);
            uint64_t t0 = now_ns();
            rc = extract_calls(&runs[k], refs[k], nexprs, per, &evtnum[k]);
            uint64_t t1 = now_ns();
            if (!samples_add(&s[k], t1 - t0, per) || (o->print_samples && !taken_add(&order, k)))
                ret = out_of_memory();
        }
    if (!ret && rc != FALCO_ABI_RC_SUCCESS) {
        ret = fail_plugin(&runs[k], "extract_fields", rc);
    } else if (!ret) {
        char path[300];
        size_t used = (size_t)snprintf(path, sizeof path, "extract:%s", exprs[0]);
        for (size_t j = 1; j < nexprs && used < sizeof path; j++)
            used += (size_t)snprintf(path + used, sizeof path - used, "+%s", exprs[j]);
        if (nsides == 1) {
            ret = samples_print(&s[0], path, "ns/op");
        } else {
            taken_print(&order, s, path, "ns/op");
            ret = pair_print(&s[0], &s[1], path, "ns/op");
        }
    }
    for (k = 0; k < nsides; k++) {
        samples_free(&s[k]);
        for (size_t j = 0; j < nexprs; j++)
            free(refs[k][j].arg_key);
    }
    free(order.side);
    return ret;
}

static int bench_field(bench_run *runs, size_t nsides, const char *expr) {
    return bench_fields(runs, nsides, &expr, 1);
}

static int bench_extract(bench_run *runs, size_t nsides) {
    const bench_options *o = runs[0].o;
    if (o->rotate)
        return bench_fields(runs, nsides, o->fields, o->nfields);
    if (o->nfields) {
        for (size_t i = 0; i < o->nfields; i++)
            if (bench_field(runs, nsides, o->fields[i]) != 0)
                return 1;
        return 0;
    }
    /* A's fields; with --pair, B must have each of them */
    for (size_t i = 0; i < falco_host_field_count(runs[0].hp); i++) {
        const falco_host_field *f = falco_host_field_at(runs[0].hp, i);
        if (f->arg_required) {
            printf("# %s: skipped, it needs an argument (use --field '%s[...]')\n", f->name, f->name);
            continue;
        }
        if (bench_field(runs, nsides, f->name) != 0)
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
            rc = r->api.next_batch(r->rec->state, r->rec->instance, &n, &evts);
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

static int bench_next_batch(bench_run *runs, size_t nsides) {
    const bench_options *o = runs[0].o;
    uint64_t per, nsamples;
    plan(o, &per, &nsamples);
    samples calls[MAX_SIDES] = {{0}}, evs[MAX_SIDES] = {{0}};
    batch_totals all[MAX_SIDES] = {{0}};
    taken order = {0};
    int ret = 0;
    for (size_t k = 0; !ret && k < nsides; k++) { /* warm-up */
        batch_totals warm = {0};
        ret = batch_calls(&runs[k], per * nsamples / 10 + per, &warm);
    }
    for (uint64_t i = 0; !ret && i < nsamples; i++)
        for (size_t turn = 0; !ret && turn < nsides; turn++) {
            size_t k = side_of(i, turn, nsides);
            batch_totals t = {0};
            ret = batch_calls(&runs[k], per, &t);
            if (!ret && (!samples_add(&calls[k], t.ns, t.calls) || !samples_add(&evs[k], t.ns, t.events) ||
                         (o->print_samples && !taken_add(&order, k))))
                ret = out_of_memory();
            all[k].calls += t.calls;
            all[k].events += t.events;
            all[k].eofs += t.eofs;
        }
    for (size_t k = 0; !ret && k < nsides; k++)
        printf("# next_batch%s events/call=%.2f eof_reopens=%" PRIu64 "\n", nsides == 1 ? "" : k ? " b:" : " a:",
               all[k].calls ? (double)all[k].events / (double)all[k].calls : 0.0, all[k].eofs);
    if (!ret && nsides == 1) {
        ret = samples_print(&calls[0], "next_batch", "ns/call");
        if (!ret)
            ret = samples_print(&evs[0], "next_batch", "ns/event");
    } else if (!ret) {
        taken_print(&order, calls, "next_batch", "ns/call");
        ret = pair_print(&calls[0], &calls[1], "next_batch", "ns/call");
        if (!ret)
            ret = pair_print(&evs[0], &evs[1], "next_batch", "ns/event");
    }
    for (size_t k = 0; k < nsides; k++) {
        samples_free(&calls[k]);
        samples_free(&evs[k]);
    }
    free(order.side);
    return ret;
}

/* Loads the plugin of side `side` through its trampolines and initializes it. */
static int load(bench_run *r, size_t side, void **dl) {
    char *path = falcoplug_plugin_path(r->plugin);
    if (!path)
        return 1;
    *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    free(path);
    if (!*dl) {
        fprintf(stderr, "falcoplug bench: cannot load %s: %s\n", r->plugin, dlerror());
        return 1;
    }
    resolve_api(*dl, &r->api);
    falco_abi_plugin_api wrapped = r->api;
    r->rec->init = r->api.init;
    r->rec->open = r->api.open;
    wrapped.init = r->api.init ? side ? record_init_b : record_init_a : NULL;
    wrapped.open = r->api.open ? side ? record_open_b : record_open_a : NULL;
    if (falco_host_plugin_load_api(&wrapped, r->plugin, &r->hp) != FALCO_OK)
        return fail(r, "load");
    if (falco_host_session_new(0, &r->s) != FALCO_OK)
        return out_of_memory();
    if (falco_host_session_init(r->s, r->hp, r->o->config) != FALCO_OK) {
        fprintf(stderr, "falcoplug bench: %s%sinit: %s\n", r->o->pair ? r->plugin : "", r->o->pair ? ": " : "",
                falco_host_session_errmsg(r->s));
        return 1;
    }
    r->own_id = falco_host_plugin_id(r->hp);
    return 0;
}

/* With --pair: when both sides hold the same events (all but the time,
 * which the host stamped at prefetch), gives B A's times too, so both
 * extract from the very same bytes; a note says which it is. */
static void share_events(bench_run *runs) {
    bench_run *a = &runs[0], *b = &runs[1];
    size_t same = a->nevents == b->nevents ? a->nevents : 0, i = 0;
    for (; i < same; i++) {
        uint32_t la, lb;
        memcpy(&la, a->events[i] + 16, sizeof la);
        memcpy(&lb, b->events[i] + 16, sizeof lb);
        if (la != lb || memcmp(a->events[i] + 8, b->events[i] + 8, la - 8) != 0)
            break;
    }
    if (same && i == same) {
        for (i = 0; i < same; i++)
            memcpy(b->events[i], a->events[i], 8);
        printf("# inputs: a and b extract from the same %zu events\n", same);
    } else {
        printf("# inputs: a and b extract from their own events (%zu and %zu events, %s)\n", a->nevents,
               b->nevents, a->nevents == b->nevents ? "they differ" : "counts differ");
    }
}

int falcoplug_bench_main(int argc, char **argv) {
    bench_options o;
    int ret = parse_options(argc, argv, &o);
    if (ret != 0)
        return ret < 0 ? 0 : ret;
    size_t nsides = o.nplugins;
    bench_run runs[MAX_SIDES];
    void *dl[MAX_SIDES] = {0};
    unsigned caps[MAX_SIDES] = {0};
    for (size_t k = 0; k < MAX_SIDES; k++) {
        runs[k] = (bench_run){.o = &o, .plugin = o.plugins[k], .rec = &real[k]};
        real[k] = (recorded){0};
    }
    for (size_t k = 0; !ret && k < nsides; k++) {
        ret = load(&runs[k], k, &dl[k]);
        caps[k] = runs[k].hp ? falco_host_plugin_caps(runs[k].hp) : 0;
    }
    const unsigned measured = FALCO_HOST_CAP_SOURCE | FALCO_HOST_CAP_EXTRACT;
    bool source = caps[0] & FALCO_HOST_CAP_SOURCE, extract = o.extract && (caps[0] & FALCO_HOST_CAP_EXTRACT);
    if (!ret && nsides == 1) {
        printf("# plugin %s %s (api %s) path=%s open=\"%s\" iterations=%" PRIu64 " sample=%" PRIu64 " calls\n",
               falco_host_plugin_name(runs[0].hp), falco_host_plugin_version(runs[0].hp),
               falco_host_plugin_required_api_version(runs[0].hp), o.plugins[0], o.open, o.iterations,
               o.iterations < o.sample_calls ? o.iterations : o.sample_calls);
    } else if (!ret) {
        printf("# pair a=%s %s path=%s b=%s %s path=%s open=\"%s\" iterations=%" PRIu64 " sample=%" PRIu64 " calls\n",
               falco_host_plugin_name(runs[0].hp), falco_host_plugin_version(runs[0].hp), o.plugins[0],
               falco_host_plugin_name(runs[1].hp), falco_host_plugin_version(runs[1].hp), o.plugins[1], o.open,
               o.iterations, o.iterations < o.sample_calls ? o.iterations : o.sample_calls);
        if ((caps[0] & measured) != (caps[1] & measured)) {
            fprintf(stderr,
                    "falcoplug bench: --pair: '%s' (%s) and '%s' (%s) differ in what they do (event source, "
                    "field extraction): nothing to pair\n",
                    falco_host_plugin_name(runs[0].hp), o.plugins[0], falco_host_plugin_name(runs[1].hp),
                    o.plugins[1]);
            ret = 1;
        }
    }
    if (!ret) {
        if (o.nfields && !(caps[0] & FALCO_HOST_CAP_EXTRACT)) {
            fprintf(stderr, "falcoplug bench: plugin '%s' does not extract fields\n",
                    falco_host_plugin_name(runs[0].hp));
            ret = 1;
        } else if (!extract && !(o.next_batch && source)) {
            fprintf(stderr, "falcoplug bench: plugin '%s' has nothing to measure here\n",
                    falco_host_plugin_name(runs[0].hp));
            ret = 1;
        }
    }
    for (size_t k = 0; !ret && source && k < nsides; k++)
        if (falco_host_open(runs[k].hp, o.open, &runs[k].inst) != FALCO_OK)
            ret = fail(&runs[k], "open");
    if (!ret && extract) {
        for (size_t k = 0; !ret && k < nsides; k++) {
            bench_run *r = &runs[k];
            falco_string_list srcs = falco_host_plugin_extract_sources(r->hp);
            r->evtsrc = source ? falco_host_plugin_event_source(r->hp) : srcs.count ? srcs.items[0] : "syscall";
            ret = source ? prefetch_events(r) : synthetic_event(r);
        }
        if (!ret && nsides == 2)
            share_events(runs);
        if (!ret)
            ret = bench_extract(runs, nsides);
    }
    if (!ret && o.next_batch && source)
        ret = bench_next_batch(runs, nsides);
    for (size_t k = 0; k < nsides; k++) {
        bench_run *r = &runs[k];
        for (size_t i = 0; i < r->nevents; i++)
            free(r->events[i]);
        falco_host_close(r->inst);
        falco_host_session_free(r->s); /* before the plugin it borrows */
        falco_host_plugin_free(r->hp);
        if (dl[k])
            dlclose(dl[k]);
    }
    return ret;
}
