/*
 * util.c - the host's messages, log sink, string lists and version numbers.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_internal.h"

const char *falco__host_label(const falco_host_plugin *p)
{
    if (p->name && p->name[0])
        return p->name;
    return p->path ? p->path : "?";
}

static void format_err(falco_host_plugin *p, const char *call, const char *fmt, va_list ap)
{
    int n = snprintf(p->err, sizeof p->err, "plugin '%s': %s: ", falco__host_label(p), call);
    if (n < 0 || (size_t)n >= sizeof p->err)
        return;
    vsnprintf(p->err + n, sizeof p->err - (size_t)n, fmt, ap);
}

falco_rc falco__host_err(falco_host_plugin *p, falco_rc rc, const char *call, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    format_err(p, call, fmt, ap);
    va_end(ap);
    return rc;
}

falco_rc falco__host_err_plugin(falco_host_plugin *p, falco_rc rc, const char *call, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    format_err(p, call, fmt, ap);
    va_end(ap);
    const char *last = falco_host_plugin_last_error(p);
    if (last && last[0]) {
        size_t used = strlen(p->err);
        snprintf(p->err + used, sizeof p->err - used, ": %s", last);
    }
    return rc;
}

falco_rc falco__host_finding(falco_host_plugin *p, falco_rc rc, const char *call, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    format_err(p, call, fmt, ap);
    va_end(ap);
    /* Losing a finding to ENOMEM keeps the message in err: good enough. */
    (void)falco__host_strlist_add(&p->findings, p->err);
    return rc;
}

falco__host_rcstr falco__host_rc_str(falco_abi_rc rc)
{
    falco__host_rcstr r;
    const char *name = NULL;
    switch (rc) {
    case FALCO_ABI_RC_SUCCESS: name = "SUCCESS"; break;
    case FALCO_ABI_RC_FAILURE: name = "FAILURE"; break;
    case FALCO_ABI_RC_TIMEOUT: name = "TIMEOUT"; break;
    case FALCO_ABI_RC_EOF: name = "EOF"; break;
    case FALCO_ABI_RC_NOT_SUPPORTED: name = "NOT_SUPPORTED"; break;
    }
    if (name)
        snprintf(r.s, sizeof r.s, "%s", name);
    else
        snprintf(r.s, sizeof r.s, "unknown code %d", (int)rc);
    return r;
}

const char *falco_host_severity_name(falco_abi_log_severity sev)
{
    switch (sev) {
    case FALCO_ABI_LOG_FATAL: return "fatal";
    case FALCO_ABI_LOG_CRITICAL: return "critical";
    case FALCO_ABI_LOG_ERROR: return "error";
    case FALCO_ABI_LOG_WARNING: return "warning";
    case FALCO_ABI_LOG_NOTICE: return "notice";
    case FALCO_ABI_LOG_INFO: return "info";
    case FALCO_ABI_LOG_DEBUG: return "debug";
    case FALCO_ABI_LOG_TRACE: return "trace";
    }
    return "unknown";
}

/* Plugins log from their own threads (async senders, routines): sinks are
 * called one at a time, so a sink shared by several plugins needs no lock. */
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

void falco__host_log_sink(falco_host_plugin *p, const char *component, const char *msg, falco_abi_log_severity sev)
{
    pthread_mutex_lock(&log_lock);
    if (p->log)
        p->log(p->log_userdata, component, msg, sev);
    else
        fprintf(stderr, "[%s] %s: %s\n", falco_host_severity_name(sev), component, msg);
    pthread_mutex_unlock(&log_lock);
}

void falco__host_log(falco_host_plugin *p, falco_abi_log_severity sev, const char *fmt, ...)
{
    char msg[FALCO__HOST_ERRLEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    falco__host_log_sink(p, falco__host_label(p), msg, sev);
}

void falco_host_set_log(falco_host_plugin *p, falco_host_log_fn fn, void *userdata)
{
    if (!p)
        return;
    p->log = fn;
    p->log_userdata = userdata;
}

const char *falco_host_errmsg(const falco_host_plugin *p)
{
    return p ? p->err : "out of memory";
}

size_t falco_host_finding_count(const falco_host_plugin *p)
{
    return p ? p->findings.count : 0;
}

const char *falco_host_finding(const falco_host_plugin *p, size_t i)
{
    return p && i < p->findings.count ? p->findings.items[i] : NULL;
}

char *falco__host_strdup(const char *s)
{
    if (!s)
        s = "";
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

falco_rc falco__host_strlist_add(falco__host_strlist *l, const char *s)
{
    const char **items = realloc(l->items, (l->count + 1) * sizeof *items);
    if (!items)
        return FALCO_ENOMEM;
    l->items = items;
    char *copy = falco__host_strdup(s);
    if (!copy)
        return FALCO_ENOMEM;
    l->items[l->count++] = copy;
    return FALCO_OK;
}

void falco__host_strlist_free(falco__host_strlist *l)
{
    for (size_t i = 0; i < l->count; i++)
        free((void *)l->items[i]);
    free(l->items);
    l->items = NULL;
    l->count = 0;
}

bool falco__host_strlist_has(const falco__host_strlist *l, const char *s)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i], s) == 0)
            return true;
    return false;
}

falco_string_list falco__host_strlist_view(const falco__host_strlist *l)
{
    falco_string_list v = { l->items, l->count };
    return v;
}

bool falco__host_source_compatible(const falco__host_strlist *l, const char *src)
{
    return l->count == 0 || (src && falco__host_strlist_has(l, src));
}

bool falco__host_codes_have(const falco__host_codes *c, uint16_t code)
{
    if (c->all)
        return true;
    for (size_t i = 0; i < c->count; i++)
        if (c->codes[i] == code)
            return true;
    return false;
}

/* Reads one decimal number without sign that fits unsigned; advances *s. */
static bool read_number(const char **s, unsigned *out)
{
    const char *c = *s;
    unsigned long v = 0;
    if (*c < '0' || *c > '9')
        return false;
    while (*c >= '0' && *c <= '9') {
        v = v * 10 + (unsigned long)(*c - '0');
        if (v > 0xffffffffUL)
            return false;
        c++;
    }
    *out = (unsigned)v;
    *s = c;
    return true;
}

/* A prerelease/build identifier list: [0-9A-Za-z-.]+, not empty. */
static bool read_ident(const char **s)
{
    const char *c = *s;
    while ((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || *c == '-' ||
           *c == '.')
        c++;
    if (c == *s)
        return false;
    *s = c;
    return true;
}

bool falco__host_semver_parse(const char *s, unsigned *major, unsigned *minor, unsigned *patch)
{
    if (!s)
        return false;
    if (!read_number(&s, major) || *s++ != '.' || !read_number(&s, minor) || *s++ != '.' ||
        !read_number(&s, patch))
        return false;
    if (*s == '-') {
        s++;
        if (!read_ident(&s))
            return false;
    }
    if (*s == '+') {
        s++;
        if (!read_ident(&s))
            return false;
    }
    return *s == '\0';
}

bool falco_host_semver_valid(const char *s)
{
    unsigned a, b, c;
    return falco__host_semver_parse(s, &a, &b, &c);
}

bool falco_host_api_compatible(const char *host, const char *required, char *err, size_t errlen)
{
    unsigned hM, hm, hp, rM, rm, rp;
    const char *why = NULL;
    if (!falco__host_semver_parse(host, &hM, &hm, &hp))
        why = "host version is not x.y.z";
    else if (!falco__host_semver_parse(required, &rM, &rm, &rp))
        why = "required version is not x.y.z";
    else if (hM != rM)
        why = "major versions disagree";
    else if (hm < rm)
        why = "host minor is less than the required one";
    else if (hm == rm && hp < rp)
        why = "host patch is less than the required one";
    if (why && err && errlen)
        snprintf(err, errlen, "required API version '%s' not compatible with the host's API version '%s': %s",
                 required ? required : "(null)", host ? host : "(null)", why);
    return why == NULL;
}
