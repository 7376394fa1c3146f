/* Logging through the host's log_fn, or stderr when the host gives none. */
#include <stdio.h>

#include "internal.h"

/* Defined here so that its presence tells the runtime whether the plugin
 * calls falco_log at all: the linker takes this file from the static SDK
 * only when something references it (see derive_api_version). */
const char falco__log_linked = 1;

static const char *severity_name(falco_log_severity sev) {
    static const char *const names[] = {"?",      "fatal",  "critical", "error", "warning",
                                        "notice", "info",   "debug",    "trace"};
    return (sev >= FALCO_LOG_FATAL && sev <= FALCO_LOG_TRACE) ? names[sev] : names[0];
}

void falco_vlog(falco_plugin *p, falco_log_severity sev, const char *fmt, va_list ap) {
    char msg[4096];
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (p && p->log_fn) {
        p->log_fn(p->owner, p->decl->name, msg, (falco_abi_log_severity)sev);
        return;
    }
    fprintf(stderr, "[%s] %s: %s\n", p ? p->decl->name : "falco-plugin", severity_name(sev), msg);
}

void falco_log(falco_plugin *p, falco_log_severity sev, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    falco_vlog(p, sev, fmt, ap);
    va_end(ap);
}
