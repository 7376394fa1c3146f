/*
 * Internal helpers shared by the event sources (src/events/).
 */
#ifndef FALCO_EVENTS_INTERNAL_H
#define FALCO_EVENTS_INTERNAL_H

#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include <falco/common.h>
#include <falco/event.h>

/* The generated table (event_table_data.c). */
extern const falco_evt_info falco__evt_table[FALCO_EVT_COUNT];

/* The generated syscall tables (syscall_table_data.c): names by libs' syscall
 * code, and the code of each x86_64 native number (0 where none). */
extern const size_t falco__evt_syscall_count;
extern const char *const falco__evt_syscall_names[];
extern const size_t falco__evt_syscall_x86_64_count;
extern const uint16_t falco__evt_syscall_x86_64[];

/* Stores a printf-style message in v->err and returns rc. */
falco_rc falco__evt_fail(falco_evt_view *v, falco_rc rc, const char *fmt, ...) FALCO_PRINTF(3, 4);

/* Unaligned host-order reads and writes (events are packed). */
static inline uint16_t falco__rd16(const uint8_t *p)
{
    uint16_t x;
    memcpy(&x, p, sizeof x);
    return x;
}
static inline uint32_t falco__rd32(const uint8_t *p)
{
    uint32_t x;
    memcpy(&x, p, sizeof x);
    return x;
}
static inline uint64_t falco__rd64(const uint8_t *p)
{
    uint64_t x;
    memcpy(&x, p, sizeof x);
    return x;
}
static inline void falco__wr16(uint8_t *p, uint16_t x) { memcpy(p, &x, sizeof x); }
static inline void falco__wr32(uint8_t *p, uint32_t x) { memcpy(p, &x, sizeof x); }
static inline void falco__wr64(uint8_t *p, uint64_t x) { memcpy(p, &x, sizeof x); }

/* Type classes read by the typed accessors and checked by the encoder. */
int falco__evt_type_is_unsigned(falco_evt_param_type t);
int falco__evt_type_is_signed(falco_evt_param_type t);
int falco__evt_type_is_string(falco_evt_param_type t);

/* Decodes the bytes p[0..len) of a param of type t (not DYN, not NONE) into
 * out. Returns NULL on success or a static description of what is wrong. */
const char *falco__evt_decode_value(falco_evt_param_type t, const uint8_t *p, uint32_t len,
                                    falco_evt_value *out);

#endif
