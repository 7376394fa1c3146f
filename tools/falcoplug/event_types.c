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
    return found;
}
