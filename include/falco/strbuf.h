/*
 * falco/strbuf.h - a string builder the SDK hands to callbacks that produce
 * text for the host (event_to_string, progress detail). Its memory belongs to
 * the plugin state and is reused across calls; the author never frees it.
 *
 * Since: 0.1.0
 */
#ifndef FALCO_STRBUF_H
#define FALCO_STRBUF_H

#include <stdarg.h>

#include <falco/common.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct falco_strbuf falco_strbuf;

/* Appends len bytes of s. Returns FALCO_ENOMEM when out of memory (the text
 * so far stays valid). */
falco_rc falco_strbuf_append(falco_strbuf *sb, const char *s, size_t len);

/* Appends a NUL-terminated string. */
falco_rc falco_strbuf_puts(falco_strbuf *sb, const char *s);

/* Appends printf-style formatted text. */
falco_rc falco_strbuf_printf(falco_strbuf *sb, const char *fmt, ...) FALCO_PRINTF(2, 3);
falco_rc falco_strbuf_vprintf(falco_strbuf *sb, const char *fmt, va_list ap);

/* The text so far, always NUL-terminated; valid until the next append. */
const char *falco_strbuf_str(const falco_strbuf *sb);
size_t falco_strbuf_len(const falco_strbuf *sb);

#ifdef __cplusplus
}
#endif
#endif /* FALCO_STRBUF_H */
