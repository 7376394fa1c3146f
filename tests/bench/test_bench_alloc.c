/* No allocation in the steady state of the hot paths: the bench and dummy
 * plugins (SDK and raw ABI) are driven through their ABI functions the way
 * libsinsp drives them (one field per extract_fields call, next_batch in a
 * loop), and after a warm-up every malloc, calloc, realloc and
 * aligned_alloc the process makes is counted: it must stay 0, for every
 * path. The counting allocator is this executable's own malloc family, which
 * the dlopen'ed plugin binds to; the test first checks that it does see the
 * plugin's allocations (init and open allocate), so it cannot pass blind. */
#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <falco/abi.h>

/* ---- the counting allocator (glibc's own entry points underneath) ---- */
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
extern void *__libc_memalign(size_t align, size_t n);
extern void __libc_free(void *p);

static volatile unsigned long allocations;

void *malloc(size_t n) {
    allocations++;
    return __libc_malloc(n);
}
void *calloc(size_t n, size_t size) {
    allocations++;
    return __libc_calloc(n, size);
}
void *realloc(void *p, size_t n) {
    allocations++;
    return __libc_realloc(p, n);
}
void *aligned_alloc(size_t align, size_t n) {
    allocations++;
    return __libc_memalign(align, n);
}
int posix_memalign(void **out, size_t align, size_t n) {
    allocations++;
    void *p = __libc_memalign(align, n);
    if (!p)
        return 12; /* ENOMEM */
    *out = p;
    return 0;
}
void free(void *p) {
    __libc_free(p);
}

/* ---- driving a plugin through its ABI ---- */
typedef struct plugin {
    void *dl;
    falco_abi_plugin_t *s;
    falco_abi_instance_t *inst;
    falco_abi_plugin_t *(*init)(const falco_abi_init_input *, falco_abi_rc *);
    void (*destroy)(falco_abi_plugin_t *);
    const char *(*last_error)(falco_abi_plugin_t *);
    falco_abi_instance_t *(*open)(falco_abi_plugin_t *, const char *, falco_abi_rc *);
    void (*close)(falco_abi_plugin_t *, falco_abi_instance_t *);
    falco_abi_rc (*next_batch)(falco_abi_plugin_t *, falco_abi_instance_t *, uint32_t *, falco_abi_event ***);
    falco_abi_rc (*extract)(falco_abi_plugin_t *, const falco_abi_event_input *,
                            const falco_abi_field_extract_input *);
    unsigned char events[64][64]; /* copies of real events, for extraction */
    uint32_t nevents;
} plugin;

#define SYM(pl, m, name) (*(void **)&(pl)->m = dlsym((pl)->dl, name), assert_non_null((pl)->m))

static void plugin_load(plugin *pl, const char *path, const char *open_params) {
    memset(pl, 0, sizeof *pl);
    pl->dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!pl->dl)
        fail_msg("%s: %s", path, dlerror());
    SYM(pl, init, "plugin_init");
    SYM(pl, destroy, "plugin_destroy");
    SYM(pl, last_error, "plugin_get_last_error");
    SYM(pl, open, "plugin_open");
    SYM(pl, close, "plugin_close");
    SYM(pl, next_batch, "plugin_next_batch");
    SYM(pl, extract, "plugin_extract_fields");
    falco_abi_init_input in = {.config = "{}"};
    falco_abi_rc rc = FALCO_ABI_RC_FAILURE;
    unsigned long before = allocations;
    pl->s = pl->init(&in, &rc);
    assert_int_equal(rc, FALCO_ABI_RC_SUCCESS);
    pl->inst = pl->open(pl->s, open_params, &rc);
    if (rc != FALCO_ABI_RC_SUCCESS)
        fail_msg("%s: open: %s", path, pl->last_error(pl->s));
    /* The counter sees the plugin's allocations (every plugin here
     * allocates its state or instance): the zero below means something. */
    assert_true(allocations > before);
    uint32_t n = 0;
    falco_abi_event **evts = NULL;
    rc = pl->next_batch(pl->s, pl->inst, &n, &evts);
    assert_int_equal(rc, FALCO_ABI_RC_SUCCESS);
    assert_true(n > 0);
    for (uint32_t i = 0; i < n && pl->nevents < 64; i++) {
        assert_true(evts[i]->len <= sizeof pl->events[0]);
        memcpy(pl->events[pl->nevents++], evts[i], evts[i]->len);
    }
}

static void plugin_unload(plugin *pl) {
    pl->close(pl->s, pl->inst);
    pl->destroy(pl->s);
    dlclose(pl->dl);
}

/* `calls` extractions of field `id` (with index argument `arg` when
 * has_arg), as libsinsp makes them; every one must succeed with a value. */
static void extract_calls(plugin *pl, uint32_t id, const char *name, bool has_arg, uint64_t arg, unsigned calls,
                          uint32_t ftype) {
    for (unsigned i = 0; i < calls; i++) {
        falco_abi_extract_field f = {.field_id = id, .field = name, .arg_index = arg, .arg_present = has_arg,
                                     .ftype = ftype};
        falco_abi_event_input ev = {.evt = (const falco_abi_event *)pl->events[i % pl->nevents],
                                    .evtnum = i + 1, .evtsrc = "x"};
        falco_abi_field_extract_input in = {.num_fields = 1, .fields = &f};
        falco_abi_rc rc = pl->extract(pl->s, &ev, &in);
        if (rc != FALCO_ABI_RC_SUCCESS)
            fail_msg("%s: %s", name, pl->last_error(pl->s));
        assert_int_equal(f.res_len, 1);
    }
}

/* Warm-up, then the same again counted: 0 allocations. */
static void no_alloc_extract(plugin *pl, uint32_t id, const char *name, bool has_arg, uint64_t arg, uint32_t ftype) {
    extract_calls(pl, id, name, has_arg, arg, 1000, ftype);
    unsigned long before = allocations;
    extract_calls(pl, id, name, has_arg, arg, 20000, ftype);
    if (allocations != before)
        fail_msg("extracting %s allocated %lu times in the steady state", name, allocations - before);
}

static void no_alloc_next_batch(const char *path, const char *params, uint32_t batch) {
    plugin pl;
    plugin_load(&pl, path, params);
    for (int pass = 0; pass < 2; pass++) {
        unsigned long before = allocations;
        for (unsigned i = 0; i < 2000; i++) {
            uint32_t n = 0;
            falco_abi_event **evts = NULL;
            falco_abi_rc rc = pl.next_batch(pl.s, pl.inst, &n, &evts);
            if (rc != FALCO_ABI_RC_SUCCESS)
                fail_msg("%s next_batch: rc %d: %s", path, (int)rc, pl.last_error(pl.s));
            assert_int_equal(n, batch);
        }
        /* pass 0 warms up; pass 1 counts */
        if (pass == 1 && allocations != before)
            fail_msg("%s: next_batch (%s) allocated %lu times in the steady state", path, params,
                     allocations - before);
    }
    plugin_unload(&pl);
}

static void test_bench_extract(void **state) {
    (void)state;
    static const char *const paths[] = {BENCH_SDK_PLUGIN, BENCH_RAW_PLUGIN};
    for (int i = 0; i < 2; i++) {
        plugin pl;
        plugin_load(&pl, paths[i], "batch=64");
        no_alloc_extract(&pl, 0, "bench.u64", false, 0, FALCO_ABI_FT_UINT64);
        no_alloc_extract(&pl, 1, "bench.str", false, 0, FALCO_ABI_FT_STRING);
        no_alloc_extract(&pl, 2, "bench.payload", false, 0, FALCO_ABI_FT_UINT64);
        no_alloc_extract(&pl, 3, "bench.arg", true, 3, FALCO_ABI_FT_UINT64);
        plugin_unload(&pl);
    }
}

/* The dummy workload: a copied string value, and fields taken in turn as a
 * filter of three fields does. */
static void test_dummy_extract(void **state) {
    (void)state;
    static const char *const paths[] = {DUMMY_SDK_PLUGIN, DUMMY_RAW_PLUGIN};
    for (int i = 0; i < 2; i++) {
        plugin pl;
        plugin_load(&pl, paths[i], "100000000");
        no_alloc_extract(&pl, 0, "dummy.value", false, 0, FALCO_ABI_FT_UINT64);
        no_alloc_extract(&pl, 1, "dummy.strvalue", false, 0, FALCO_ABI_FT_STRING);
        no_alloc_extract(&pl, 2, "dummy.divisible", true, 3, FALCO_ABI_FT_UINT64);
        unsigned long before = allocations;
        static const char *const names[] = {"dummy.value", "dummy.strvalue", "dummy.divisible"};
        for (unsigned k = 0; k < 3000; k++)
            extract_calls(&pl, k % 3, names[k % 3], k % 3 == 2, 3, 1,
                          k % 3 == 1 ? FALCO_ABI_FT_STRING : FALCO_ABI_FT_UINT64);
        assert_int_equal(allocations, before);
        plugin_unload(&pl);
    }
}

/* fastplug (tests/bench/fastplug.c): key arguments, a string too long for
 * the extraction's own buffer (call arena: reset, not freed, at each call),
 * a list of copied strings. */
static void fast_calls(plugin *pl, uint32_t id, const char *name, const char *key, uint64_t payload,
                       uint32_t want, unsigned calls) {
    for (unsigned i = 0; i < calls; i++) {
        falco_abi_extract_field f = {.field_id = id, .field = name, .arg_present = key != NULL, .arg_key = key,
                                     .ftype = FALCO_ABI_FT_STRING};
        falco_abi_event_input ev = {.evt = (const falco_abi_event *)pl->events[0], .evtnum = i + 1,
                                    .evtsrc = "fast"};
        memcpy(pl->events[0] + FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET, &payload, sizeof payload);
        falco_abi_field_extract_input in = {.num_fields = 1, .fields = &f};
        if (pl->extract(pl->s, &ev, &in) != FALCO_ABI_RC_SUCCESS)
            fail_msg("%s: %s", name, pl->last_error(pl->s));
        assert_int_equal(f.res_len, want);
    }
}

static void test_fastplug_extract(void **state) {
    (void)state;
    plugin pl;
    memset(&pl, 0, sizeof pl);
    pl.dl = dlopen(FASTPLUG, RTLD_NOW | RTLD_LOCAL);
    assert_non_null(pl.dl);
    SYM(&pl, init, "plugin_init");
    SYM(&pl, destroy, "plugin_destroy");
    SYM(&pl, last_error, "plugin_get_last_error");
    SYM(&pl, extract, "plugin_extract_fields");
    falco_abi_init_input in = {.config = ""};
    falco_abi_rc rc = FALCO_ABI_RC_FAILURE;
    pl.s = pl.init(&in, &rc);
    assert_int_equal(rc, FALCO_ABI_RC_SUCCESS);
    falco_abi_event hdr = {.ts = 1, .tid = UINT64_MAX, .len = FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET + 8,
                           .type = FALCO_ABI_EVENT_PLUGIN, .nparams = 2};
    uint32_t lens[3] = {4, 8, 0};
    memcpy(pl.events[0], &hdr, 26);
    memcpy(pl.events[0] + 26, lens, sizeof lens);
    static const struct {
        uint32_t id;
        const char *name, *key;
        uint64_t payload;
        uint32_t values;
    } paths[] = {
        {2, "f.key", "name", 0, 1},  /* key argument */
        {3, "f.str", NULL, 7, 1},    /* short copy: the extraction's buffer */
        {3, "f.str", NULL, 300, 1},  /* long copy: the call arena */
        {4, "f.strn", NULL, 4000, 1},
        {5, "f.list", NULL, 0, 3},   /* list of copies */
    };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        fast_calls(&pl, paths[i].id, paths[i].name, paths[i].key, paths[i].payload, paths[i].values, 100);
        unsigned long before = allocations;
        fast_calls(&pl, paths[i].id, paths[i].name, paths[i].key, paths[i].payload, paths[i].values, 5000);
        if (allocations != before)
            fail_msg("%s (payload %llu) allocated %lu times in the steady state", paths[i].name,
                     (unsigned long long)paths[i].payload, allocations - before);
    }
    pl.destroy(pl.s);
    dlclose(pl.dl);
}

static void test_next_batch(void **state) {
    (void)state;
    no_alloc_next_batch(BENCH_SDK_PLUGIN, "batch=64", 64);
    no_alloc_next_batch(BENCH_SDK_PLUGIN, "batch=512", 512);
    no_alloc_next_batch(BENCH_SDK_PLUGIN, "batch=1", 1);
    no_alloc_next_batch(BENCH_RAW_PLUGIN, "batch=64", 64);
    no_alloc_next_batch(DUMMY_SDK_PLUGIN, "100000000", 64);
    no_alloc_next_batch(DUMMY_RAW_PLUGIN, "100000000", 64);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bench_extract),
        cmocka_unit_test(test_dummy_extract),
        cmocka_unit_test(test_fastplug_extract),
        cmocka_unit_test(test_next_batch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
