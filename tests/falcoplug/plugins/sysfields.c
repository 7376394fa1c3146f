/* A plugin that extracts from syscall events only: the fd and path of
 * open/openat exit events, for `falcoplug run --capture` on real captures. */
#include <falco/event.h>
#include <falco/plugin.h>

/* The exit event of ev viewed, or a failure naming what was wrong. */
static falco_rc view_of(falco_extract *x, const falco_event *ev, falco_evt_view *v) {
    if (falco_evt_view_init(v, ev->evt, falco_event_len(ev)) != FALCO_OK)
        return falco_extract_error(x, FALCO_EPARSE, "%s", falco_evt_view_error(v));
    return FALCO_OK;
}

static falco_rc sys_fd(falco_extract *x, const falco_event *ev) {
    falco_evt_view v;
    int64_t fd;
    FALCO_TRY(view_of(x, ev, &v));
    if (falco_evt_param_i64_by_name(&v, "fd", &fd) != FALCO_OK || fd < 0)
        return FALCO_OK; /* no value: a failed open has no fd */
    return falco_extract_u64(x, (uint64_t)fd);
}

static falco_rc sys_name(falco_extract *x, const falco_event *ev) {
    falco_evt_view v;
    const char *name;
    size_t len;
    FALCO_TRY(view_of(x, ev, &v));
    if (falco_evt_param_str_by_name(&v, "name", &name, &len) != FALCO_OK)
        return FALCO_OK;
    return falco_extract_str(x, name);
}

static const falco_field sys_fields[] = {
    {.name = "sys.fd", .type = FALCO_FIELD_U64, .desc = "fd returned by open/openat", .extract = sys_fd},
    {.name = "sys.name", .type = FALCO_FIELD_STRING, .desc = "path opened by open/openat", .extract = sys_name},
};

FALCO_PLUGIN(sysfields, .name = "sysfields", .version = "0.1.0", .contact = "tests@example.com",
             .description = "fd and path of open exit events");
FALCO_EXTRACT(sysfields, .fields = FALCO_LIST(sys_fields), .sources = FALCO_SOURCES("syscall"),
              .event_types = FALCO_EVENT_TYPES(FALCO_PPME_SYSCALL_OPEN_X, FALCO_PPME_SYSCALL_OPENAT_2_X));
