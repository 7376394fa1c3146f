/*
 * falco/parse.h - the event parsing capability (plugin API 3.0).
 *
 * A parser sees every event of the types and sources it declares, before
 * any field is extracted from it, and keeps what it learns in the plugin's
 * own state; the plugin's fields then read that state:
 *
 *   static falco_rc oc_parse(falco_parse *ps, void *state, const falco_event *ev) {
 *       opencount *oc = state;
 *       oc->opens++;
 *       return FALCO_OK;
 *   }
 *   FALCO_PARSE(oc, .event_types = FALCO_EVENT_TYPES(FALCO_PPME_SYSCALL_OPENAT_2_X),
 *               .sources = FALCO_SOURCES("syscall"), .parse = oc_parse);
 *
 * The SDK answers get_parse_event_types / get_parse_event_sources from the
 * declaration, checks the codes at init (each must be an event of the
 * compiled table), and returns the required event schema version when the
 * parser takes syscall events. libsinsp ignores parse_event's result; a
 * failure still reaches get_last_error (and the host library's log).
 *
 * Threading: the host calls parse_event on one thread at a time, the same
 * one that extracts, so parse and extract share the plugin state without
 * locks. Routines and async workers that touch the same state must lock.
 *
 * Since: 0.1.0
 */
#ifndef FALCO_PARSE_H
#define FALCO_PARSE_H

#include <falco/base.h>
#include <falco/event_codes.h> /* FALCO_PPME_* codes for .event_types */
#include <falco/extract.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The parse call in progress (opaque). Valid during the callback only. It
 * carries the host's table reader and writer of this call: the tables of
 * falco/table.h are read and written through them (falco_parse_plugin(ps)
 * is the handle the falco_table_* functions take). */
typedef struct falco_parse falco_parse;

/* Parses one event. state is falco_plugin_state(); ev is the host's event,
 * valid during the call. Return FALCO_OK, or an error with
 * falco_parse_error() (the message reaches get_last_error). */
typedef falco_rc (*falco_parse_fn)(falco_parse *ps, void *state, const falco_event *ev);

/* Internal: generated functions of the parse capability. */
typedef struct falco__parse_fns {
    uint16_t *(*get_parse_event_types)(uint32_t *numtypes, falco_abi_plugin_t *s);
    const char *(*get_parse_event_sources)(void);
    falco_abi_rc (*parse_event)(falco_abi_plugin_t *s, const falco_abi_event_input *evt,
                                const falco_abi_event_parse_input *in);
    /* SDK hooks: per-state setup/teardown, and the event-code check. */
    falco_rc (*attach)(falco_plugin *p);
    void (*detach)(falco_plugin *p);
    const char *(*code_problem)(uint16_t code);
    falco_rc (*ready)(falco_plugin *p);
} falco__parse_fns;

/* What FALCO_PARSE's arguments initialize. Append-only. */
typedef struct falco_parse_decl {
    int falco__present;
    /* The callback. Required. */
    falco_parse_fn parse;
    /* Event types to parse: FALCO_EVENT_TYPES(...) or FALCO_LIST(array).
     * Default (empty and .all_event_types false): plugin events (322). */
    falco_event_type_list event_types;
    /* Parse every event type the host has (the getter returns none, which
     * libsinsp reads as "all" for plugins compatible with "syscall"). */
    bool all_event_types;
    /* Event sources to parse (NULL-terminated, FALCO_SOURCES(...)). Default:
     * the plugin's own event source if it has one, else every source. */
    const char *const *sources;
    /* Event types chosen per plugin state, e.g. from the config: called
     * once after .init; return the list (its memory must live until
     * destroy: a static array or the state), count 0 for every type. The
     * codes are checked like .event_types (a bad one fails init). Instead
     * of .event_types / .all_event_types. Declares plugin API 3.2 (the
     * host passes the state to the getter from 3.2 on), and 3.12 with the
     * event schema version when the sources may be "syscall". */
    falco_event_type_list (*choose_event_types)(falco_plugin *p, void *state);
    falco__parse_fns falco__fns; /* set by FALCO_PARSE */
} falco_parse_decl;

/* The plugin state, and the author's state (falco_plugin_state). */
falco_plugin *falco_parse_plugin(const falco_parse *ps);
void *falco_parse_state(const falco_parse *ps);

/* falco_error() for parsers: records "parse: <message>" and returns rc. */
falco_rc falco_parse_error(falco_parse *ps, falco_rc rc, const char *fmt, ...) FALCO_PRINTF(3, 4);

/* The host's table reader and writer of this parse call (ABI vtables, owned
 * by the host, valid during the call; NULL when the host gave none), for
 * raw-ABI use; falco/table.h wraps them with typed, checked access. */
const falco_abi_table_reader_vtable_ext *falco_parse_table_reader(const falco_parse *ps);
const falco_abi_table_writer_vtable_ext *falco_parse_table_writer(const falco_parse *ps);

/* ---------------------------------------------------------------------------
 * Declaration macro
 * ------------------------------------------------------------------------- */
uint16_t *falco__parse_event_types(const falco_plugin_decl *d, falco_abi_plugin_t *s, uint32_t *n);
falco_rc falco__parse_ready(falco_plugin *p);
falco_rc falco__parse_attach(falco_plugin *p);
void falco__parse_detach(falco_plugin *p);
const char *falco__event_code_problem(uint16_t code);
const char *falco__parse_event_sources(const falco_plugin_decl *d);
falco_abi_rc falco__parse_event(falco_abi_plugin_t *s, const falco_abi_event_input *evt,
                                const falco_abi_event_parse_input *in);

#define FALCO__PARSE_LIST(X, id)                                                                    \
    X(id, uint16_t *, get_parse_event_types, (uint32_t * n, falco_abi_plugin_t * s),                \
      return falco__parse_event_types(FALCO__DECL(id), s, n))                                       \
    X(id, const char *, get_parse_event_sources, (void),                                            \
      return falco__parse_event_sources(FALCO__DECL(id)))                                           \
    X(id, falco_abi_rc, parse_event,                                                                \
      (falco_abi_plugin_t * s, const falco_abi_event_input *evt, const falco_abi_event_parse_input *in), \
      return falco__parse_event(s, evt, in))

/* Declares the event parsing capability of plugin `id` (after
 * FALCO_PLUGIN(id, ...)): exports plugin_get_parse_event_types,
 * plugin_get_parse_event_sources and plugin_parse_event. The arguments are
 * designated initializers of falco_parse_decl. */
#define FALCO_PARSE(id, ...)                                                                        \
    FALCO__PARSE_LIST(FALCO__PROTO, id)                                                             \
    static struct falco_parse_decl id##__falco_parse = {                                            \
        .falco__present = 1,                                                                        \
        .falco__fns = {FALCO__FN_NAME(id, get_parse_event_types),                                   \
                       FALCO__FN_NAME(id, get_parse_event_sources), FALCO__FN_NAME(id, parse_event), \
                       falco__parse_attach, falco__parse_detach, falco__event_code_problem,         \
                       falco__parse_ready},                                                         \
        __VA_ARGS__};                                                                               \
    FALCO__PARSE_LIST(FALCO__DEFINE, id)                                                            \
    struct falco__parse_##id##_declared_once

#ifdef __cplusplus
}
#endif
#endif /* FALCO_PARSE_H */
