/*
 * table_bench - what reading a state table costs a plugin written with the
 * SDK, against a plugin written on the raw ABI (the physical limit), both
 * loaded through the host library in one session (as libsinsp loads them):
 *   table_read        get-entry + read-field + release through the host's
 *                     table API, of bench_tab (exported by table_raw.c with
 *                     hand-written vtables): tabsdk.api vs tabraw.api
 *   table_read_owner  the owner reading its own exported table directly:
 *                     tabsdk.own (falco_table_lookup) vs tabraw.own (its
 *                     own hash table)
 * Each read is one extract_fields call (one field, a freshly filled field
 * request, as libsinsp asks) on a plugin event whose payload is the key,
 * cycling over every entry. The plugins are loaded through the host library
 * (from their own symbols, so the driver can call extract_fields directly,
 * as falcoplug bench does: the host library's own checks stay out of the
 * timing); before timing, every reader's value for every key is checked
 * through falco_host_extract.
 *
 * usage: table_bench TABLE_RAW.so TABLE_SDK.so [--rounds R] [--iterations N] [--samples]
 *                    [--only table_read|table_read_owner]
 * --only checks and times that path alone (bench/callgrind counts each
 * path's instructions that way). Paired samples, as `falcoplug bench --pair` takes them: per round and
 * path, a warm-up of both, then 101 pairs of samples of N/101 calls, the
 * two readers alternating raw sdk, sdk raw... so that both sides of a pair
 * see the same machine. Per path, over every round, one line:
 *   pair <path> ns/call a_p50=<raw> b_p50=<sdk> ratio=<median sdk/raw>
 *        p25=<quartile> p75=<quartile> pairs=<count>
 * (a is raw, b is sdk; ratio is the median of the per-pair ratios, p25/p75
 * show their spread). --samples also prints every sample in the order
 * taken: sample <path> ns/call <pair> <a|b> <ns> <calls>
 */
#include <dlfcn.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <falco/host.h>

#include "bench_stats.h" /* tools/falcoplug: the pair line falcoplug bench prints */
#include "table_bench.h"

#define SAMPLES 101
#define EVENT_LEN 46u /* header 26, two u32 lengths, plugin id, u64 key */

/* A loaded plugin: its functions, and its state (recorded by init_hook). */
typedef struct {
    falco_abi_plugin_api api;
    falco_abi_plugin_t *state;
    falco_host_plugin *p;
} plugin;

typedef struct {
    plugin *pl;
    falco_host_extractor *x;
    const char *label, *path;
} reader;

/* init is called through these, one per plugin, to record the state. */
static plugin plugins[2];
static falco_abi_plugin_t *init_hook0(const falco_abi_init_input *in, falco_abi_rc *rc) {
    return plugins[0].state = plugins[0].api.init(in, rc);
}
static falco_abi_plugin_t *init_hook1(const falco_abi_init_input *in, falco_abi_rc *rc) {
    return plugins[1].state = plugins[1].api.init(in, rc);
}

/* Every function of the plugin API, by symbol name. */
#define API_FN(m) {"plugin_" #m, offsetof(falco_abi_plugin_api, m)}
static const struct {
    const char *name;
    size_t at;
} api_fns[] = {
    API_FN(get_required_api_version), API_FN(get_init_schema), API_FN(init), API_FN(destroy),
    API_FN(get_last_error), API_FN(get_name), API_FN(get_description), API_FN(get_contact),
    API_FN(get_version), API_FN(get_id), API_FN(get_event_source), API_FN(open), API_FN(close),
    API_FN(list_open_params), API_FN(get_progress), API_FN(event_to_string), API_FN(next_batch),
    API_FN(get_extract_event_types), API_FN(get_extract_event_sources), API_FN(get_fields),
    API_FN(extract_fields), API_FN(get_parse_event_types), API_FN(get_parse_event_sources),
    API_FN(parse_event), API_FN(get_async_event_sources), API_FN(get_async_events),
    API_FN(set_async_event_handler), API_FN(dump_state), API_FN(set_config), API_FN(get_metrics),
    API_FN(capture_open), API_FN(capture_close), API_FN(get_required_event_schema_version),
};

static unsigned char event_buf[64] __attribute__((aligned(8)));

static void set_key(uint64_t key) {
    memcpy(event_buf + 38, &key, sizeof key);
}

static void make_event(void) {
    uint64_t ts = 1, tid = UINT64_MAX;
    uint32_t len = EVENT_LEN, nparams = 2, lens[2] = {4, 8}, plugin_id = 0;
    uint16_t type = 322;
    memcpy(event_buf, &ts, 8);
    memcpy(event_buf + 8, &tid, 8);
    memcpy(event_buf + 16, &len, 4);
    memcpy(event_buf + 20, &type, 2);
    memcpy(event_buf + 22, &nparams, 4);
    memcpy(event_buf + 26, lens, sizeof lens);
    memcpy(event_buf + 34, &plugin_id, 4);
}

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* One extraction of key; returns its value, or exits naming the problem. */
static uint64_t read_one(const reader *r, falco_abi_event_input *in, uint64_t key) {
    falco_host_values v;
    uint64_t out;
    set_key(key);
    if (falco_host_extract(r->x, in, false, &v) != FALCO_OK || v.count != 1 ||
        falco_host_value_u64(&v, 0, &out) != FALCO_OK) {
        fprintf(stderr, "table_bench: %s %s: key %llu: no value (%s)\n", r->label, r->path, (unsigned long long)key,
                falco_host_errmsg(r->pl->p));
        exit(1);
    }
    return out;
}

/* `calls` extractions cycling over the keys from *key; returns the number
 * of values the plugin gave. */
static uint64_t extract_calls(const reader *r, const falco_abi_field_extract_input *base, uint64_t calls,
                              uint64_t *key) {
    const falco_host_field *fd = falco_host_extractor_field(r->x);
    uint64_t got = 0;
    for (uint64_t i = 0; i < calls; i++) {
        falco_abi_extract_field f = {.field_id = fd->id, .field = fd->name, .ftype = (uint32_t)fd->type};
        falco_abi_event_input ev = {.evt = (const falco_abi_event *)(void *)event_buf, .evtnum = i + 1,
                                    .evtsrc = TABLE_BENCH_SOURCE};
        falco_abi_field_extract_input in = *base;
        in.num_fields = 1;
        in.fields = &f;
        set_key(*key);
        *key = (*key + 1) & (TABLE_BENCH_ENTRIES - 1);
        if (r->pl->api.extract_fields(r->pl->state, &ev, &in) == FALCO_ABI_RC_SUCCESS && f.res_len == 1 &&
            f.res.u64[0] != 0)
            got++;
    }
    return got;
}

/* The samples of one reader, in the order taken, and where it is in the
 * keys. */
typedef struct {
    uint64_t *ns; /* each sample's time, for `calls` reads */
    size_t count;
    uint64_t key, got;
} series;

/* One timed sample of `calls` reads by r, added to *s (the window is
 * opened and closed outside the timing, as one host call would). */
static void sample(const reader *r, series *s, uint64_t calls) {
    falco_abi_field_extract_input base = {0};
    falco_host_extract_window_open(r->pl->p, &base); /* owner and table reader, as the host fills them */
    uint64_t t0 = now_ns();
    s->got += extract_calls(r, &base, calls, &s->key);
    s->ns[s->count++] = now_ns() - t0;
    falco_host_extract_window_close();
}

static void warm_up(const reader *r, series *s, uint64_t calls) {
    falco_abi_field_extract_input base = {0};
    falco_host_extract_window_open(r->pl->p, &base);
    extract_calls(r, &base, calls, &s->key);
    falco_host_extract_window_close();
}

/* The pair line of one path: sample i of raw (a) and of sdk (b) were taken
 * next to each other; their ratio sdk/raw. */
static void pair_print(const char *path, const series *a, const series *b, uint64_t calls) {
    size_t n = a->count < b->count ? a->count : b->count;
    double *v = malloc(3 * (n ? n : 1) * sizeof *v), *va = v + n, *vb = v + 2 * n;
    if (!v) {
        fprintf(stderr, "table_bench: out of memory\n");
        exit(1);
    }
    for (size_t i = 0; i < n; i++) {
        va[i] = (double)a->ns[i] / (double)calls;
        vb[i] = (double)b->ns[i] / (double)calls;
        v[i] = a->ns[i] ? vb[i] / va[i] : 0.0;
    }
    qsort(va, n, sizeof *va, bench_cmp_double);
    qsort(vb, n, sizeof *vb, bench_cmp_double);
    bench_pair_line(path, "ns/call", bench_percentile(va, n, 50), bench_percentile(vb, n, 50), v, n);
    free(v);
}

static void load(falco_host_session *s, const char *path, int i) {
    plugin *pl = &plugins[i];
    void *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!dl) {
        fprintf(stderr, "table_bench: %s\n", dlerror());
        exit(1);
    }
    for (size_t k = 0; k < sizeof api_fns / sizeof api_fns[0]; k++) {
        void *sym = dlsym(dl, api_fns[k].name);
        memcpy((char *)&pl->api + api_fns[k].at, &sym, sizeof sym); /* POSIX: same representation */
    }
    falco_abi_plugin_api hooked = pl->api;
    hooked.init = i == 0 ? init_hook0 : init_hook1;
    if (falco_host_plugin_load_api(&hooked, path, &pl->p) != FALCO_OK) {
        fprintf(stderr, "table_bench: %s: %s\n", path, falco_host_errmsg(pl->p));
        exit(1);
    }
    if (falco_host_session_init(s, pl->p, "{}") != FALCO_OK) {
        fprintf(stderr, "table_bench: %s: %s\n", path, falco_host_session_errmsg(s));
        exit(1);
    }
}

static falco_host_extractor *extractor(falco_host_plugin *p, const char *field) {
    falco_host_extractor *x;
    if (falco_host_extractor_new(p, field, &x) != FALCO_OK) {
        fprintf(stderr, "table_bench: %s: %s\n", field, falco_host_errmsg(p));
        exit(1);
    }
    return x;
}

int main(int argc, char **argv) {
    unsigned long rounds = 7, iterations = 200000;
    bool print_samples = false;
    if (argc < 3) {
        fprintf(stderr, "usage: table_bench TABLE_RAW.so TABLE_SDK.so [--rounds R] [--iterations N] [--samples] "
                        "[--only table_read|table_read_owner]\n");
        return 2;
    }
    const char *only = NULL;
    for (int i = 3; i < argc; i++) {
        if (strcmp(argv[i], "--samples") == 0) {
            print_samples = true;
            continue;
        }
        if (strcmp(argv[i], "--only") == 0) {
            if (i + 1 == argc || (strcmp(argv[i + 1], "table_read") && strcmp(argv[i + 1], "table_read_owner"))) {
                fprintf(stderr, "table_bench: --only takes table_read or table_read_owner%s%s\n",
                        i + 1 < argc ? ", not " : "", i + 1 < argc ? argv[i + 1] : "");
                return 2;
            }
            only = argv[++i];
            continue;
        }
        char *end = NULL;
        unsigned long n = i + 1 < argc ? strtoul(argv[i + 1], &end, 10) : 0;
        if (i + 1 == argc || *end || n == 0 || n > 1000000000ul ||
            (strcmp(argv[i], "--rounds") && strcmp(argv[i], "--iterations"))) {
            fprintf(stderr,
                    "table_bench: bad option %s%s%s (expected --rounds R, --iterations N: 1 to 1e9, "
                    "--samples or --only PATH)\n",
                    argv[i], i + 1 < argc ? " " : "", i + 1 < argc ? argv[i + 1] : "");
            return 2;
        }
        *(strcmp(argv[i], "--rounds") == 0 ? &rounds : &iterations) = n;
        i++;
    }
    falco_host_session *s;
    if (falco_host_session_new(0, &s) != FALCO_OK)
        return 1;
    load(s, argv[1], 0); /* table_raw exports bench_tab: first */
    load(s, argv[2], 1);
    plugin *raw = &plugins[0], *sdk = &plugins[1];
    reader readers[2][2] = {
        {{raw, extractor(raw->p, "tabraw.api"), "raw", "table_read"},
         {raw, extractor(raw->p, "tabraw.own"), "raw", "table_read_owner"}},
        {{sdk, extractor(sdk->p, "tabsdk.api"), "sdk", "table_read"},
         {sdk, extractor(sdk->p, "tabsdk.own"), "sdk", "table_read_owner"}},
    };
    make_event();
    falco_abi_event_input in = {.evt = (const falco_abi_event *)(void *)event_buf, .evtnum = 1,
                                .evtsrc = TABLE_BENCH_SOURCE};
    /* the paths asked for (--only: one) */
    bool run[2];
    for (int r = 0; r < 2; r++)
        run[r] = !only || strcmp(only, readers[0][r].path) == 0;
    /* every reader reads what the table holds, for every key */
    for (int p = 0; p < 2; p++)
        for (int r = 0; r < 2; r++)
            for (uint64_t k = 0; run[r] && k < TABLE_BENCH_ENTRIES; k++)
                if (read_one(&readers[p][r], &in, k) != TABLE_BENCH_VALUE(k)) {
                    fprintf(stderr, "table_bench: %s %s: wrong value for key %llu\n", readers[p][r].label,
                            readers[p][r].path, (unsigned long long)k);
                    return 1;
                }
    uint64_t calls = iterations / SAMPLES ? iterations / SAMPLES : 1;
    size_t total = (size_t)rounds * SAMPLES;
    series ser[2][2] = {{{0}}}; /* [path][raw, sdk] */
    for (int r = 0; r < 2; r++)
        for (int p = 0; p < 2; p++)
            if (!(ser[r][p].ns = malloc(total * sizeof *ser[r][p].ns))) {
                fprintf(stderr, "table_bench: out of memory\n");
                return 1;
            }
    for (unsigned long round = 0; round < rounds; round++)
        for (int r = 0; r < 2; r++) {
            if (!run[r])
                continue;
            for (int p = 0; p < 2; p++)
                warm_up(&readers[p][r], &ser[r][p], calls * 10);
            for (size_t i = round * SAMPLES; i < (round + 1) * SAMPLES; i++)
                for (int turn = 0; turn < 2; turn++) {
                    int p = (int)(i & 1u) ^ turn; /* raw sdk, sdk raw, ... */
                    series *se = &ser[r][p];
                    sample(&readers[p][r], se, calls);
                    if (print_samples)
                        printf("sample %s ns/call %zu %c %llu %llu\n", readers[p][r].path, i, "ab"[p],
                               (unsigned long long)se->ns[se->count - 1], (unsigned long long)calls);
                }
        }
    for (int r = 0; r < 2; r++) {
        if (!run[r]) {
            free(ser[r][0].ns);
            free(ser[r][1].ns);
            continue;
        }
        for (int p = 0; p < 2; p++)
            if (ser[r][p].got != (uint64_t)total * calls) {
                fprintf(stderr, "table_bench: %s %s: some reads gave no value\n", readers[p][r].label,
                        readers[p][r].path);
                return 1;
            }
        pair_print(readers[0][r].path, &ser[r][0], &ser[r][1], calls);
        free(ser[r][0].ns);
        free(ser[r][1].ns);
    }
    for (int p = 0; p < 2; p++)
        for (int r = 0; r < 2; r++)
            falco_host_extractor_free(readers[p][r].x);
    falco_host_session_free(s);
    falco_host_plugin_free(sdk->p);
    falco_host_plugin_free(raw->p); /* the libraries stay loaded until exit */
    return 0;
}
