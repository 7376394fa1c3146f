/*
 * convert_internal.h - the rule table of the capture converter (convert.c),
 * generated into convert_rules.c by tools/gen_conversions.py from
 * tools/event_table/conversions.tsv. Not installed; names are falco__*.
 */
#ifndef FALCO_CONVERT_INTERNAL_H
#define FALCO_CONVERT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/* What a rule does with the event it matches (see conversions.tsv). */
typedef enum falco__conv_action {
    FALCO__CONV_PASS = 1,   /* deliver as is */
    FALCO__CONV_STORE,      /* keep as the thread's pending enter event, deliver nothing */
    FALCO__CONV_STORE_PASS, /* keep as the pending enter event and deliver it */
    FALCO__CONV_ADD,        /* append one param per instruction */
    FALCO__CONV_CHANGE      /* rebuild as the target type, one param per instruction */
} falco__conv_action;

/* Where one new parameter comes from. */
typedef enum falco__conv_from {
    FALCO__CONV_FROM_OLD = 1, /* param `param` of the event being converted */
    FALCO__CONV_FROM_ENTER,   /* param `param` of the thread's pending enter event */
    FALCO__CONV_FROM_DEFAULT, /* the type's default value */
    FALCO__CONV_FROM_EMPTY,   /* a zero-length param */
    FALCO__CONV_FROM_CALLBACK /* computed from the old event by `callback` */
} falco__conv_from;

typedef enum falco__conv_callback {
    FALCO__CONV_CB_NONE = 0,
    FALCO__CONV_CB_CONTAINER_JSON /* old container event (id, type, name, image) -> JSON */
} falco__conv_callback;

typedef struct falco__conv_instr {
    uint8_t from;           /* falco__conv_from */
    uint8_t param;          /* OLD/ENTER: the source param index */
    uint8_t fallback_empty; /* ENTER/CALLBACK: empty instead of default when unavailable */
    uint8_t callback;       /* falco__conv_callback */
} falco__conv_instr;

typedef struct falco__conv_rule {
    uint16_t code;    /* event type matched */
    uint8_t nparams;  /* with this many params */
    uint8_t action;   /* falco__conv_action */
    uint16_t target;  /* CHANGE: the new type; else code */
    uint16_t first;   /* first instruction in falco__conv_instrs */
    uint8_t ninstr;
} falco__conv_rule;

extern const falco__conv_rule falco__conv_rules[];
extern const size_t falco__conv_rule_count;
extern const falco__conv_instr *const falco__conv_instrs;

#endif /* FALCO_CONVERT_INTERNAL_H */
