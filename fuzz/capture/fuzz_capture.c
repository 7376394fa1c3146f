/*
 * fuzz_capture.c - libFuzzer target for the capture reader: opens the input
 * with falco_capture_open_memory (plain or gzip'd), touches every decoded
 * metadata string, and iterates all events, checking each event's length
 * field against what the reader reported. Every event also goes through the
 * converter (libscap's savefile conversions): a refused event must say why,
 * and every converted event must be a whole event whose header length is
 * what the converter reported.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <falco/capture.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t touch(const char *s) { return s ? strlen(s) : 0; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    falco_capture_error err;
    falco_capture_reader *r = falco_capture_open_memory(data, size, &err);
    if (!r) {
        if (err.msg[0] == '\0')
            abort(); /* a failure must say why */
        return 0;
    }
    const falco_capture_metadata *m = falco_capture_get_metadata(r);
    size_t sum = 0;
    if (m->machine)
        sum += touch(m->machine->hostname);
    for (size_t i = 0; i < m->process_count; i++) {
        const falco_capture_process *p = &m->processes[i];
        sum += touch(p->comm) + touch(p->exe) + touch(p->exepath) + touch(p->cwd) + touch(p->root);
        if (p->args.len && p->args.data[p->args.len] != '\0')
            abort();
        size_t n;
        if (falco_capture_find_process(r, p->tid) == NULL)
            abort();
        (void)falco_capture_fds_of(r, p->tid, &n);
    }
    for (size_t i = 0; i < m->fd_count; i++)
        sum += touch(m->fds[i].name);
    for (size_t i = 0; i < m->user_count; i++)
        sum += touch(m->users[i].name) + touch(m->users[i].homedir) + touch(m->users[i].shell);
    for (size_t i = 0; i < m->group_count; i++)
        sum += touch(m->groups[i].name);
    for (size_t i = 0; i < m->interface_count; i++)
        sum += touch(m->interfaces[i].name);
    const void *ev;
    size_t len;
    falco_capture_block_info bi;
    falco_rc rc;
    falco_capture_converter *conv = falco_capture_converter_new(NULL);
    if (!conv)
        abort();
    uint64_t last_evtnum = 0;
    while ((rc = falco_capture_next(r, &ev, &len, &bi)) == FALCO_OK) {
        if (falco_capture_converter_feed(conv, ev, len, &bi) == FALCO_OK) {
            const void *out;
            size_t outlen;
            falco_capture_converted_info ci;
            while (falco_capture_converter_next(conv, &out, &outlen, &ci) == FALCO_OK) {
                uint32_t olen;
                if (outlen < FALCO_CAPTURE_EVENT_HEADER_LEN)
                    abort();
                memcpy(&olen, (const uint8_t *)out + 16, 4);
                if (olen != outlen || ci.evtnum <= last_evtnum)
                    abort(); /* whole events, numbered upwards */
                last_evtnum = ci.evtnum;
                sum += ((const uint8_t *)out)[outlen - 1];
            }
        } else if (falco_capture_converter_errmsg(conv)[0] == '\0') {
            abort(); /* a refusal must say why */
        }
        uint32_t hlen;
        if (len < FALCO_CAPTURE_EVENT_HEADER_LEN)
            abort();
        memcpy(&hlen, (const uint8_t *)ev + 16, 4);
        if (hlen != len)
            abort();
        if (bi.comment)
            sum += bi.comment[0] + bi.comment[bi.comment_len - 1];
        sum += ((const uint8_t *)ev)[len - 1];
    }
    if (rc != FALCO_EOF && falco_capture_errmsg(r)[0] == '\0')
        abort();
    falco_capture_converter_free(conv);
    falco_capture_close(r);
    return (int)(sum & 0);
}
