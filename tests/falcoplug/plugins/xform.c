/* xform - a source and extractor whose fields exercise the field
 * transformers of an output format (%tolower(x.f), %len(x.list), ...): every
 * field type a plugin can declare, lists, strings with paths, base64 and
 * case, and values that are missing on some events.
 *
 *   open params  the number of events ("" = 6); event N carries N (u64),
 *                and the string fields read row (N-1) % 6 of `rows`
 */
#include <stdlib.h>
#include <string.h>

#include <falco/plugin.h>

typedef struct {
    uint64_t next, last;
} xf_instance;

/* the string of each row, its words ('/'-separated, empty ones dropped) */
static const char *const rows[] = {
    "Hello/World", "/usr/BIN/Bash.SH", "aGVsbG8gd29ybGQ=", "", "trail/", "QQBC",
};
#define NROWS (sizeof rows / sizeof rows[0])

static falco_rc xf_open(falco_plugin *p, const char *params, void **instance) {
    (void)p;
    xf_instance *in = *instance;
    in->last = *params ? strtoull(params, NULL, 10) : 6;
    return FALCO_OK;
}

static falco_rc xf_next_batch(falco_plugin *p, void *instance, falco_batch *b) {
    (void)p;
    xf_instance *in = instance;
    while (in->next < in->last && falco_batch_room(b) > 0) {
        in->next++;
        FALCO_TRY(falco_batch_add_plugin_event(b, &in->next, sizeof in->next));
    }
    return in->next < in->last ? FALCO_OK : FALCO_EOF;
}

static falco_rc xf_num(falco_extract *x, const falco_event *ev) {
    uint64_t v;
    FALCO_TRY(falco_event_payload_u64(ev, &v));
    return falco_extract_u64(x, v);
}

static const char *row_of(const falco_event *ev, uint64_t *n) {
    uint64_t v = 1;
    falco_event_payload_u64(ev, &v);
    if (n)
        *n = v;
    return rows[(v - 1) % NROWS];
}

static falco_rc xf_str(falco_extract *x, const falco_event *ev) {
    return falco_extract_str(x, row_of(ev, NULL));
}

/* a value on odd events only */
static falco_rc xf_odd(falco_extract *x, const falco_event *ev) {
    uint64_t n;
    const char *s = row_of(ev, &n);
    return n % 2 ? falco_extract_str(x, s) : FALCO_OK;
}

static falco_rc xf_words(falco_extract *x, const falco_event *ev) {
    const char *s = row_of(ev, NULL);
    const char *w[8];
    char *copy = falco_extract_alloc(x, strlen(s) + 1);
    if (!copy)
        return FALCO_ENOMEM;
    memcpy(copy, s, strlen(s) + 1);
    size_t n = 0;
    for (char *t = copy; *t && n < 8;) {
        char *end = strchr(t, '/');
        if (end)
            *end = '\0';
        if (*t)
            w[n++] = t;
        if (!end)
            break;
        t = end + 1;
    }
    return falco_extract_str_array(x, w, n);
}

static falco_rc xf_nums(falco_extract *x, const falco_event *ev) {
    uint64_t n, v[4] = {10, 20, 30, 40};
    row_of(ev, &n);
    return falco_extract_u64_array(x, v, (size_t)(n % 4));
}

static falco_rc xf_bool(falco_extract *x, const falco_event *ev) {
    uint64_t n;
    row_of(ev, &n);
    return falco_extract_bool(x, n % 2 == 1);
}

static falco_rc xf_ip(falco_extract *x, const falco_event *ev) {
    (void)ev;
    static const unsigned char a[4] = {10, 0, 0, 7};
    return falco_extract_ip(x, a, 4);
}

/* the argument itself, as the value */
static falco_rc xf_key(falco_extract *x, const falco_event *ev) {
    (void)ev;
    return falco_extract_str(x, falco_extract_arg_key(x));
}

static falco_rc xf_fail(falco_extract *x, const falco_event *ev) {
    (void)ev;
    return falco_extract_error(x, FALCO_EPARSE, "xf.fail always fails");
}

static const falco_field xf_fields[] = {
    {.name = "xf.num", .type = FALCO_FIELD_U64, .desc = "the event's number", .extract = xf_num},
    {.name = "xf.str", .type = FALCO_FIELD_STRING, .desc = "the event's row", .extract = xf_str},
    {.name = "xf.odd", .type = FALCO_FIELD_STRING, .desc = "the row, on odd events only", .extract = xf_odd},
    {.name = "xf.words", .type = FALCO_FIELD_STRING, .is_list = true, .desc = "the row's words", .extract = xf_words},
    {.name = "xf.nums", .type = FALCO_FIELD_U64, .is_list = true, .desc = "N % 4 numbers", .extract = xf_nums},
    {.name = "xf.bool", .type = FALCO_FIELD_BOOL, .desc = "N is odd", .extract = xf_bool},
    {.name = "xf.rel", .type = FALCO_FIELD_RELTIME, .desc = "N as a duration", .extract = xf_num},
    {.name = "xf.abs", .type = FALCO_FIELD_ABSTIME, .desc = "N as a time", .extract = xf_num},
    {.name = "xf.ip", .type = FALCO_FIELD_IPADDR, .desc = "an address", .extract = xf_ip},
    {.name = "xf.net", .type = FALCO_FIELD_IPNET, .desc = "a network", .extract = xf_ip},
    {.name = "xf.key", .type = FALCO_FIELD_STRING, .arg = FALCO_ARG_KEY, .arg_required = true,
     .desc = "the argument", .extract = xf_key},
    {.name = "xf.fail", .type = FALCO_FIELD_STRING, .desc = "fails on every event", .extract = xf_fail},
};

FALCO_PLUGIN(xform, .name = "xform", .version = "0.1.0", .contact = "tests@example.com",
             .description = "fields of every type for output-format transformers");
FALCO_SOURCE(xform, .id = 996, .event_source = "xform", .instance_size = sizeof(xf_instance), .open = xf_open,
             .next_batch = xf_next_batch);
FALCO_EXTRACT(xform, .fields = FALCO_LIST(xf_fields));
