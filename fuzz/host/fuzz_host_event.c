/* libFuzzer target: falco_host_event_validate on arbitrary bytes must never
 * read outside them, and whatever it accepts must be walkable. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <falco/host.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* an exact-size heap copy so ASan sees any overread */
    uint8_t *buf = malloc(size ? size : 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    char err[256];
    if (falco_host_event_validate((const falco_abi_event *)buf, size, err, sizeof err) == FALCO_OK) {
        uint32_t len;
        memcpy(&len, buf + 16, 4);
        if (len < 26 || len > size)
            abort(); /* accepted an event that does not fit */
    }
    free(buf);
    return 0;
}
