/* args.c - command-line values shared by the falcoplug commands: numbers and
 * plugin paths. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "falcoplug.h"

int falcoplug_parse_u64(const char *cmd, const char *opt, const char *text, uint64_t min, uint64_t max,
                        uint64_t *out)
{
    /* Decimal digits only: no sign, no 0x, no octal, no spaces (strtoull takes all of these). */
    uint64_t v = 0;
    bool overflow = false;
    const char *s = text;
    for (; *s >= '0' && *s <= '9'; s++) {
        unsigned d = (unsigned)(*s - '0');
        if (v > (UINT64_MAX - d) / 10)
            overflow = true;
        else
            v = v * 10 + d;
    }
    if (s == text || *s) {
        fprintf(stderr, "falcoplug %s: %s \"%s\": expected a decimal number from %llu to %llu\n", cmd, opt, text,
                (unsigned long long)min, (unsigned long long)max);
        return -1;
    }
    if (overflow || v < min || v > max) {
        fprintf(stderr, "falcoplug %s: %s \"%s\": out of range (%llu to %llu)\n", cmd, opt, text,
                (unsigned long long)min, (unsigned long long)max);
        return -1;
    }
    *out = v;
    return 0;
}

char *falcoplug_plugin_path(const char *arg)
{
    /* dlopen searches LD_LIBRARY_PATH, the cache and the system folders for
     * a name without '/': "libz.so.1" would load the system's libz. */
    bool bare = !strchr(arg, '/') && *arg;
    size_t len = strlen(arg);
    char *path = malloc(len + (bare ? 3 : 1));
    if (!path) {
        fprintf(stderr, "falcoplug: out of memory\n");
        return NULL;
    }
    if (bare)
        memcpy(path, "./", 2);
    memcpy(path + (bare ? 2 : 0), arg, len + 1);
    return path;
}
