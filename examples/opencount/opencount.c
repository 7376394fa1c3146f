/* opencount: event parsing feeding field extraction.
 *
 * The parser sees every open/openat exit event of the syscall source and
 * counts successful opens per file and per thread; the fields read those
 * counts (parsing runs before extraction for each event, so an event's
 * own open is counted). Parse and extract share the plugin state: both run
 * on the host's event thread, no lock needed. */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include <stdlib.h>
#include <string.h>

#include <falco/event.h>
#include <falco/plugin.h>

/* A small open-addressing map: string or u64 key -> count. */
typedef struct {
    char *name; /* NULL for u64 keys */
    uint64_t key, count;
    bool used;
} slot;
typedef struct {
    slot *slots;
    size_t cap, len;
} countmap;

static uint64_t hash_str(const char *s) {
    uint64_t h = 1469598103934665603ULL;
    while (*s)
        h = (h ^ (uint8_t)*s++) * 1099511628211ULL;
    return h;
}

static uint64_t hash_u64(uint64_t k) {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    return k ^ (k >> 33);
}

static slot *map_find(countmap *m, const char *name, uint64_t key) {
    if (!m->cap)
        return NULL;
    size_t i = (size_t)(name ? hash_str(name) : hash_u64(key)) & (m->cap - 1);
    for (;; i = (i + 1) & (m->cap - 1)) {
        slot *s = &m->slots[i];
        if (!s->used || (name ? strcmp(s->name, name) == 0 : s->key == key))
            return s;
    }
}

static falco_rc map_grow(countmap *m) {
    countmap bigger = {calloc(m->cap ? m->cap * 2 : 64, sizeof(slot)), m->cap ? m->cap * 2 : 64, m->len};
    if (!bigger.slots)
        return FALCO_ENOMEM;
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].used)
            *map_find(&bigger, m->slots[i].name, m->slots[i].key) = m->slots[i];
    free(m->slots);
    *m = bigger;
    return FALCO_OK;
}

/* Adds one to the count of name (or key); returns the new count, 0 when out of memory. */
static uint64_t map_add(countmap *m, const char *name, uint64_t key) {
    if ((m->len + 1) * 2 > m->cap && map_grow(m) != FALCO_OK)
        return 0;
    slot *s = map_find(m, name, key);
    if (!s->used) {
        char *copy = name ? strdup(name) : NULL;
        if (name && !copy)
            return 0;
        *s = (slot){copy, key, 0, true};
        m->len++;
    }
    return ++s->count;
}

static uint64_t map_get(countmap *m, const char *name, uint64_t key) {
    slot *s = map_find(m, name, key);
    return s && s->used ? s->count : 0;
}

static void map_free(countmap *m) {
    for (size_t i = 0; i < m->cap; i++)
        free(m->slots[i].name);
    free(m->slots);
}

typedef struct {
    countmap files, threads;
    uint64_t total, failed;
} opencount;

static const uint16_t open_exits[] = {FALCO_PPME_SYSCALL_OPEN_X, FALCO_PPME_SYSCALL_OPENAT_X,
                                      FALCO_PPME_SYSCALL_OPENAT_2_X, FALCO_PPME_SYSCALL_OPENAT2_X};

/* The path and fd of an open exit event. */
static falco_rc read_open(const falco_event *ev, falco_evt_view *v, const char **name, int64_t *fd) {
    size_t len;
    if (falco_evt_view_init(v, ev->evt, falco_event_len(ev)) != FALCO_OK)
        return FALCO_EPARSE;
    if (falco_evt_param_i64_by_name(v, "fd", fd) != FALCO_OK ||
        falco_evt_param_str_by_name(v, "name", name, &len) != FALCO_OK)
        return FALCO_EPARSE;
    return FALCO_OK;
}

static falco_rc oc_parse(falco_parse *ps, void *state, const falco_event *ev) {
    opencount *oc = state;
    falco_evt_view v;
    const char *name;
    int64_t fd;
    if (read_open(ev, &v, &name, &fd) != FALCO_OK)
        return falco_parse_error(ps, FALCO_EPARSE, "event %llu: %s", (unsigned long long)ev->evtnum,
                                 falco_evt_view_error(&v));
    if (fd < 0) {
        oc->failed++;
        return FALCO_OK;
    }
    oc->total++;
    if (!map_add(&oc->files, name, 0) || !map_add(&oc->threads, NULL, ev->evt->tid))
        return falco_parse_error(ps, FALCO_ENOMEM, "out of memory counting opens");
    return FALCO_OK;
}

static falco_rc oc_total(falco_extract *x, const falco_event *ev) {
    (void)ev;
    return falco_extract_u64(x, ((opencount *)falco_extract_state(x))->total);
}

static falco_rc oc_failed(falco_extract *x, const falco_event *ev) {
    (void)ev;
    return falco_extract_u64(x, ((opencount *)falco_extract_state(x))->failed);
}

static falco_rc oc_files(falco_extract *x, const falco_event *ev) {
    (void)ev;
    return falco_extract_u64(x, ((opencount *)falco_extract_state(x))->files.len);
}

static falco_rc oc_file(falco_extract *x, const falco_event *ev) {
    opencount *oc = falco_extract_state(x);
    falco_evt_view v;
    const char *name;
    int64_t fd;
    if (read_open(ev, &v, &name, &fd) != FALCO_OK || fd < 0)
        return FALCO_OK; /* no value */
    return falco_extract_u64(x, map_get(&oc->files, name, 0));
}

static falco_rc oc_thread(falco_extract *x, const falco_event *ev) {
    opencount *oc = falco_extract_state(x);
    return falco_extract_u64(x, map_get(&oc->threads, NULL, ev->evt->tid));
}

static const falco_field oc_fields[] = {
    {.name = "opencount.total", .type = FALCO_FIELD_U64, .desc = "successful opens so far", .extract = oc_total},
    {.name = "opencount.failed", .type = FALCO_FIELD_U64, .desc = "failed opens so far", .extract = oc_failed},
    {.name = "opencount.files", .type = FALCO_FIELD_U64, .desc = "distinct files opened so far",
     .extract = oc_files},
    {.name = "opencount.file", .type = FALCO_FIELD_U64, .desc = "successful opens of this event's file so far",
     .extract = oc_file},
    {.name = "opencount.thread", .type = FALCO_FIELD_U64, .desc = "successful opens by this event's thread so far",
     .extract = oc_thread},
};

static void oc_destroy(falco_plugin *p, void *state) {
    (void)p;
    opencount *oc = state;
    map_free(&oc->files);
    map_free(&oc->threads);
}

FALCO_PLUGIN(opencount, .name = "opencount", .version = "0.1.0", .contact = "you@example.com",
             .description = "counts opens per file and per thread", .state_size = sizeof(opencount),
             .destroy = oc_destroy);
FALCO_PARSE(opencount, .parse = oc_parse, .event_types = FALCO_LIST(open_exits), .sources = FALCO_SOURCES("syscall"));
FALCO_EXTRACT(opencount, .fields = FALCO_LIST(oc_fields), .event_types = FALCO_LIST(open_exits),
              .sources = FALCO_SOURCES("syscall"));
