/* Result codes, the per-state last error, and the mapping to ABI codes. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

const char *falco_rc_name(falco_rc rc) {
    switch (rc) {
#define FALCO__RC_NAME(name, value, msg) \
    case name:                           \
        return #name;
        FALCO_RC_LIST(FALCO__RC_NAME)
#undef FALCO__RC_NAME
    }
    return "FALCO_UNKNOWN_RC";
}

const char *falco_rc_message(falco_rc rc) {
    switch (rc) {
#define FALCO__RC_MSG(name, value, msg) \
    case name:                          \
        return msg;
        FALCO_RC_LIST(FALCO__RC_MSG)
#undef FALCO__RC_MSG
    }
    return "unknown result code";
}

falco_abi_rc falco__to_abi_rc(falco_rc rc) {
    switch (rc) {
    case FALCO_OK:
        return FALCO_ABI_RC_SUCCESS;
    case FALCO_EOF:
        return FALCO_ABI_RC_EOF;
    case FALCO_TIMEOUT:
        return FALCO_ABI_RC_TIMEOUT;
    case FALCO_NOT_SUPPORTED:
        return FALCO_ABI_RC_NOT_SUPPORTED;
    default:
        return FALCO_ABI_RC_FAILURE;
    }
}

/* The detail is keyed by the event it is about, so an accessor failure the
 * author handled cannot decorate a later, unrelated error; read once. */
static _Thread_local char falco__detail[256];
static _Thread_local const void *falco__detail_key;

void falco__set_detail(const void *key, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(falco__detail, sizeof falco__detail, fmt, ap);
    va_end(ap);
    falco__detail_key = key;
}

const char *falco__take_detail(const void *key) {
    if (!falco__detail[0] || falco__detail_key != key)
        return "";
    falco__detail_key = NULL; /* consumed: the text stays valid for the caller */
    return falco__detail;
}

void falco__begin_call(falco_plugin *p, falco__arena *arena) {
    p->error_set = false;
    p->current = arena;
    /* No extraction in progress: falco_plugin_scratch uses `current`. (The
     * extraction fast path sets only its event, never `current`.) */
    p->extract.ev = NULL;
    /* Calls that return no memory to the host share one scratch arena. */
    if (arena == &p->misc_arena)
        falco__arena_reset(arena);
}

/* Two records, so that the extraction fast path clears none: error_set for
 * the calls that begin with falco__begin_call (it clears it), and a bit of
 * the extraction head's state, which the start of every extracted field
 * rewrites. The field's next values then take the setters' general path,
 * which keeps that bit. Host thread only, like every error. */
void falco__error_mark(falco_plugin *p) {
    p->error_set = true;
    p->extract.head.st.v.spare[1] |= FALCO__RT_ERROR;
    p->extract.head.st.v.fast = 0;
}

falco_rc falco_verror(falco_plugin *p, falco_rc rc, const char *fmt, va_list ap) {
    if (!p)
        return rc;
    vsnprintf(p->last_error, sizeof p->last_error, fmt, ap);
    falco__error_mark(p);
    return rc;
}

falco_rc falco_error(falco_plugin *p, falco_rc rc, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    falco_verror(p, rc, fmt, ap);
    va_end(ap);
    return rc;
}

void falco__set_error(falco_plugin *p, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    falco_verror(p, FALCO_ERROR, fmt, ap);
    va_end(ap);
}

const char *falco_plugin_owner_last_error(const falco_plugin *p) {
    if (!p || !p->get_owner_last_error || !p->owner)
        return NULL;
    const char *e = p->get_owner_last_error(p->owner);
    return (e && *e) ? e : NULL;
}

falco_rc falco_error_owner(falco_plugin *p, falco_rc rc, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    falco_verror(p, rc, fmt, ap);
    va_end(ap);
    const char *owner = falco_plugin_owner_last_error(p);
    if (p && owner) {
        size_t len = strlen(p->last_error);
        snprintf(p->last_error + len, sizeof p->last_error - len, ": %s", owner);
    }
    return rc;
}

falco_rc falco__default_error(falco_plugin *p, falco_rc rc, const char *what, const void *detail_key) {
    if (p->error_set)
        return rc;
    const char *detail = falco__take_detail(detail_key);
    snprintf(p->last_error, sizeof p->last_error, "%s failed: %s%s%s", what, falco_rc_message(rc),
             *detail ? ": " : "", detail);
    falco__error_mark(p);
    return rc;
}

const char *falco_plugin_last_error(const falco_plugin *p) {
    return p ? p->last_error : "";
}

const char *falco__base_last_error(falco_abi_plugin_t *s) {
    falco_plugin *p = s;
    return p ? p->last_error : "no plugin state (init returned NULL)";
}
