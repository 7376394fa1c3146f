/* get_metrics: the author adds typed values; the SDK keeps the array and the
 * copied names until the next get_metrics call on the same state. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct falco_metrics {
    falco_plugin *p;
};

static void metric_add(falco_metrics *m, const char *name, falco_metric_kind kind, falco_abi_metric_value_type vt,
                       falco_abi_metric_value v) {
    falco_plugin *p = m->p;
    if (!name || !*name) {
        falco_error(p, FALCO_EINVAL, "metrics: a metric has an empty name");
        return;
    }
    if (p->num_metrics == p->cap_metrics) {
        uint32_t cap = p->cap_metrics ? p->cap_metrics * 2 : 16;
        falco_abi_metric *grown = realloc(p->metrics, cap * sizeof *grown);
        if (!grown) {
            falco_error(p, FALCO_ENOMEM, "metrics: out of memory adding '%s'", name);
            return;
        }
        p->metrics = grown;
        p->cap_metrics = cap;
    }
    char *copy = falco__arena_strdup(&p->metrics_arena, name);
    if (!copy) {
        falco_error(p, FALCO_ENOMEM, "metrics: out of memory adding '%s'", name);
        return;
    }
    falco_abi_metric *out = &p->metrics[p->num_metrics++];
    out->name = copy;
    out->type = kind == FALCO_METRIC_MONOTONIC ? FALCO_ABI_METRIC_MONOTONIC : FALCO_ABI_METRIC_NON_MONOTONIC;
    out->value = v;
    out->value_type = vt;
}

#define METRIC_SETTER(fn, ctype, vt, member)                                                 \
    void fn(falco_metrics *m, const char *name, falco_metric_kind kind, ctype v) {           \
        falco_abi_metric_value value;                                                        \
        memset(&value, 0, sizeof value);                                                     \
        value.member = v;                                                                    \
        metric_add(m, name, kind, vt, value);                                                \
    }

METRIC_SETTER(falco_metrics_u32, uint32_t, FALCO_ABI_METRIC_U32, u32)
METRIC_SETTER(falco_metrics_s32, int32_t, FALCO_ABI_METRIC_S32, s32)
METRIC_SETTER(falco_metrics_u64, uint64_t, FALCO_ABI_METRIC_U64, u64)
METRIC_SETTER(falco_metrics_s64, int64_t, FALCO_ABI_METRIC_S64, s64)
METRIC_SETTER(falco_metrics_double, double, FALCO_ABI_METRIC_D, d)
METRIC_SETTER(falco_metrics_float, float, FALCO_ABI_METRIC_F, f)
METRIC_SETTER(falco_metrics_int, int, FALCO_ABI_METRIC_I, i)

falco_abi_metric *falco__base_metrics(falco_abi_plugin_t *s, uint32_t *n) {
    falco_plugin *p = s;
    falco__begin_call(p, &p->metrics_arena);
    falco__arena_reset(&p->metrics_arena);
    p->num_metrics = 0;
    *n = 0;
    if (!p->decl->metrics)
        return NULL;
    falco_metrics m = {p};
    p->decl->metrics(p, p->state, &m);
    *n = p->num_metrics;
    return p->metrics;
}
