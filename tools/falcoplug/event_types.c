/* Event type selection shared by `run --type` and `dump --type`. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <falco/event.h>

#include "falcoplug.h"

bool falcoplug_select_event_type(const char *arg, bool *keep)
{
    /* A code is decimal digits only ("010" is 10, not octal 8); event names
     * never start with a digit. Too large a code selects nothing. */
    if (*arg >= '0' && *arg <= '9') {
        unsigned long code = 0;
        for (const char *s = arg; *s; s++) {
            if (*s < '0' || *s > '9')
                return false;
            code = code * 10 + (unsigned long)(*s - '0');
            if (code >= FALCO_EVT_COUNT)
                return false;
        }
        keep[code] = true;
        return true;
    }
    bool found = false;
    for (uint16_t c = 0; c < FALCO_EVT_COUNT; c++) {
        const falco_evt_info *info = falco_evt_table_get(c);
        if (!info)
            continue;
        bool by_name = info->name && strcmp(info->name, "NA") != 0 && strcmp(info->name, arg) == 0;
        bool by_enum = info->enum_name && (strcasecmp(info->enum_name, arg) == 0 ||
                                           (strncmp(info->enum_name, "PPME_", 5) == 0 &&
                                            strcasecmp(info->enum_name + 5, arg) == 0));
        if (by_name || by_enum)
            found = keep[c] = true;
    }
    size_t nsc = falco_evt_syscall_count();
    for (size_t sc = 0; sc < nsc && sc < FALCOPLUG_SYSCALL_SLOTS; sc++)
        if (strcmp(falco_evt_syscall_name(sc), arg) == 0)
            found = keep[FALCO_EVT_COUNT + sc] = true;
    return found;
}

bool falcoplug_event_selected(const bool *keep, const void *ev, size_t len)
{
    uint16_t type;
    if (len < 22)
        return false;
    memcpy(&type, (const char *)ev + 20, sizeof type);
    if (type < FALCO_EVT_COUNT && keep[type])
        return true;
    if (type != FALCO_PPME_GENERIC_E && type != FALCO_PPME_GENERIC_X)
        return false;
    /* a generic event: selected by the syscall libsinsp names it after */
    falco_evt_view v;
    if (falco_evt_view_init(&v, ev, len) != FALCO_OK)
        return false;
    const char *name = falco_evt_type_name(&v);
    size_t nsc = falco_evt_syscall_count();
    for (size_t sc = 0; sc < nsc && sc < FALCOPLUG_SYSCALL_SLOTS; sc++)
        if (keep[FALCO_EVT_COUNT + sc] && strcmp(falco_evt_syscall_name(sc), name) == 0)
            return true;
    return false;
}
