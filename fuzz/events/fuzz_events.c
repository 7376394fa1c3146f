/*
 * fuzz_events.c - libFuzzer target over the event view, every typed accessor,
 * the formatter and the encoder (re-encoding what was decoded).
 * The input is one event. Seeds: corpus/ (events cut out of the captures).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <falco/event.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void touch_param(falco_evt_view *v, uint32_t i, falco_evt_value *val)
{
    uint64_t u;
    int64_t s;
    double d;
    const char *str;
    const uint8_t *bytes;
    size_t len;
    falco_evt_relpath rel;
    falco_evt_sockaddr sa;
    falco_evt_socktuple st;
    falco_evt_fdlist fl;
    falco_evt_strarray arr;
    falco_evt_ip ip;
    char text[64];

    falco_evt_param_raw(v, i, &bytes, &len);
    falco_evt_param_get(v, i, val);
    falco_evt_param_u64(v, i, &u);
    falco_evt_param_i64(v, i, &s);
    falco_evt_param_double(v, i, &d);
    if (falco_evt_param_str(v, i, &str, &len) == FALCO_OK && len)
        (void)(volatile char)str[len]; /* the NUL must be inside the event */
    falco_evt_param_bytes(v, i, &bytes, &len);
    falco_evt_param_relpath(v, i, &rel);
    falco_evt_param_sockaddr(v, i, &sa);
    falco_evt_param_socktuple(v, i, &st);
    if (falco_evt_param_fdlist(v, i, &fl) == FALCO_OK) {
        falco_evt_fdlist_entry e;
        for (uint32_t k = 0; k < fl.count; k++)
            falco_evt_fdlist_get(&fl, k, &e);
    }
    if (falco_evt_param_strarray(v, i, &arr) == FALCO_OK) {
        uint32_t pos = 0;
        while (falco_evt_strarray_next(&arr, &pos, &str, &len))
            ;
    }
    falco_evt_param_ip(v, i, &ip);
    falco_evt_format_param(v, i, text, sizeof text, &len);
    if (v->info->params[i].name)
        falco_evt_param_u64_by_name(v, v->info->params[i].name, &u);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    falco_evt_view v;
    if (falco_evt_view_init(&v, data, size) != FALCO_OK)
        return 0;
    falco_evt_value vals[FALCO_EVT_MAX_PARAMS];
    int all_ok = 1;
    for (uint32_t i = 0; i < v.nparams; i++) {
        touch_param(&v, i, &vals[i]);
        all_ok &= falco_evt_param_get(&v, i, &vals[i]) == FALCO_OK;
    }
    falco_evt_param_get(&v, v.nparams, &vals[0]);
    falco_evt_param_index(&v, "fd");

    char small[16], big[4096];
    size_t needed = 0, needed2 = 0;
    falco_evt_format(&v, 0, small, sizeof small, &needed);
    falco_evt_format(&v, FALCO_EVT_FORMAT_HEADER, big, sizeof big, &needed2);
    falco_evt_format(&v, 0, NULL, 0, &needed2);
    if (needed != needed2)
        abort(); /* the length must not depend on the buffer */

    if (all_ok) {
        /* What decodes must encode again into an event that decodes. */
        size_t need = 0;
        char err[128];
        if (falco_evt_encode(NULL, 0, &need, v.type, v.ts, v.tid, vals, v.nparams, err, sizeof err) == FALCO_ERANGE &&
            need <= 1u << 20) {
            uint8_t *out = malloc(need);
            if (out && falco_evt_encode(out, need, &need, v.type, v.ts, v.tid, vals, v.nparams, err, sizeof err) ==
                           FALCO_OK) {
                falco_evt_view v2;
                if (falco_evt_view_init(&v2, out, need) != FALCO_OK)
                    abort();
            }
            free(out);
        }
    }
    return 0;
}
