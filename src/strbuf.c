/* falco_strbuf: growable text buffer owned by the plugin state. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static falco_rc strbuf_reserve(falco_strbuf *sb, size_t extra) {
    if (sb->len + extra + 1 <= sb->cap)
        return FALCO_OK;
    size_t cap = sb->cap ? sb->cap : 256;
    while (cap < sb->len + extra + 1) {
        if (cap > SIZE_MAX / 2)
            return FALCO_ENOMEM;
        cap *= 2;
    }
    char *buf = realloc(sb->buf, cap);
    if (!buf)
        return FALCO_ENOMEM;
    sb->buf = buf;
    sb->cap = cap;
    return FALCO_OK;
}

falco_rc falco_strbuf_append(falco_strbuf *sb, const char *s, size_t len) {
    FALCO_TRY(strbuf_reserve(sb, len));
    memcpy(sb->buf + sb->len, s, len);
    sb->len += len;
    sb->buf[sb->len] = '\0';
    return FALCO_OK;
}

falco_rc falco_strbuf_puts(falco_strbuf *sb, const char *s) {
    return falco_strbuf_append(sb, s, strlen(s));
}

falco_rc falco_strbuf_vprintf(falco_strbuf *sb, const char *fmt, va_list ap) {
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return FALCO_EINVAL;
    FALCO_TRY(strbuf_reserve(sb, (size_t)n));
    vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
    return FALCO_OK;
}

falco_rc falco_strbuf_printf(falco_strbuf *sb, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    falco_rc rc = falco_strbuf_vprintf(sb, fmt, ap);
    va_end(ap);
    return rc;
}

const char *falco_strbuf_str(const falco_strbuf *sb) {
    return sb->buf ? sb->buf : "";
}

size_t falco_strbuf_len(const falco_strbuf *sb) {
    return sb->len;
}

void falco__strbuf_reset(falco_strbuf *sb) {
    sb->len = 0;
    if (sb->buf)
        sb->buf[0] = '\0';
}

void falco__strbuf_free(falco_strbuf *sb) {
    free(sb->buf);
    sb->buf = NULL;
    sb->len = sb->cap = 0;
}
