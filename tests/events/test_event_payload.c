/*
 * test_event_payload.c - falco_event_payload_u64/u32, whose inline fast test
 * accepts only the common well-formed event and leaves everything else to
 * the general check: for every single-byte change of the header, the
 * parameter lengths and the plugin id, both give the same answer (result
 * code and value), and the answers are the right ones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <falco/plugin_event.h>

/* A plugin event of type 322 in buf (zeroed to its end): 26-byte header,
 * lengths {4, size}, plugin id 999, the payload's first size bytes of v,
 * then `extra` bytes after the payload (counted in the header's length). */
static void make_event(unsigned char *buf, size_t bufsize, uint32_t size, uint64_t v, uint32_t extra)
{
    memset(buf, 0, bufsize);
    falco_abi_event h = {.ts = 1, .tid = 2, .len = FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET + size + extra,
                         .type = FALCO_ABI_EVENT_PLUGIN, .nparams = 2};
    const uint32_t lens_and_id[3] = {4, size, 999};
    memcpy(buf, &h, sizeof h);
    memcpy(buf + sizeof h, lens_and_id, sizeof lens_and_id);
    memcpy(buf + FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET, &v, size);
}

/* The inline accessor of `size` bytes on the event in buf. */
static falco_rc read_inline(const unsigned char *buf, uint32_t size, uint64_t *out)
{
    falco_event ev = {.evt = (const falco_abi_event *)(const void *)buf, .evtnum = 7};
    if (size == 8)
        return falco_event_payload_u64(&ev, out);
    uint32_t v32 = 0;
    falco_rc rc = falco_event_payload_u32(&ev, &v32);
    *out = v32;
    return rc;
}

/* The general check on the same event (falco_event_plugin_data, then the
 * size): the payload's bytes or its code. */
static falco_rc read_general(const unsigned char *buf, uint32_t size, uint64_t *out)
{
    falco_event ev = {.evt = (const falco_abi_event *)(const void *)buf, .evtnum = 7};
    const void *data;
    uint32_t len;
    *out = 0;
    falco_rc rc = falco_event_plugin_data(&ev, &data, &len, NULL);
    if (rc != FALCO_OK)
        return rc;
    if (len != size)
        return FALCO_ETRUNCATED;
    memcpy(out, data, size);
    return FALCO_OK;
}

static void check_every_byte(uint32_t size, uint32_t extra)
{
    const uint64_t value = size == 8 ? 0x1122334455667788ull : 0x55667788u;
    unsigned char buf[128];
    uint64_t got, want;
    make_event(buf, sizeof buf, size, value, extra);
    assert_int_equal(read_inline(buf, size, &got), FALCO_OK);
    assert_int_equal(got, value);
    /* Each byte from the length field (offset 16) to the end of the plugin
     * id, changed three ways. The timestamp and thread id are not looked at. */
    static const unsigned char changes[] = {0x01, 0x80, 0xff};
    for (size_t off = 16; off < FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET; off++) {
        for (size_t c = 0; c < sizeof changes; c++) {
            make_event(buf, sizeof buf, size, value, extra);
            buf[off] ^= changes[c];
            falco_rc rc_inline = read_inline(buf, size, &got);
            falco_rc rc_general = read_general(buf, size, &want);
            if (rc_inline != rc_general || (rc_inline == FALCO_OK && got != want))
                fail_msg("payload of %u bytes (+%u), byte %zu ^ 0x%02x: inline %d/%llx, general %d/%llx", size, extra,
                         off, changes[c], rc_inline, (unsigned long long)got, rc_general, (unsigned long long)want);
            if (off >= 34) {
                /* the plugin id: not this accessor's business */
                assert_int_equal(rc_inline, FALCO_OK);
                assert_int_equal(got, value);
            } else if (off >= 20) {
                /* type, parameter count, parameter lengths: refused */
                if (rc_inline == FALCO_OK)
                    fail_msg("payload of %u bytes (+%u), byte %zu ^ 0x%02x: accepted", size, extra, off, changes[c]);
                assert_int_equal(got, 0); /* the output is zeroed on failure */
            }
            /* the length (16..19): longer, the bytes after the payload are
             * allowed; compared with the general check above */
        }
    }
    /* A length that cuts the payload, or the header, is refused. */
    const uint32_t short_by[] = {1, size, size + 1, FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET + size};
    for (size_t i = 0; i < sizeof short_by / sizeof short_by[0]; i++) {
        make_event(buf, sizeof buf, size, value, extra);
        uint32_t len = FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET + size - short_by[i]; /* ends before the payload does */
        memcpy(buf + 16, &len, sizeof len);
        assert_int_not_equal(read_inline(buf, size, &got), FALCO_OK);
        assert_int_equal(got, 0);
        assert_int_equal(read_general(buf, size, &want), read_inline(buf, size, &got));
    }
}

/* With no byte after the payload (the fast test's event) and with 5 (the
 * general test's). */
static void test_u64_every_byte(void **state)
{
    (void)state;
    check_every_byte(8, 0);
    check_every_byte(8, 5);
}

static void test_u32_every_byte(void **state)
{
    (void)state;
    check_every_byte(4, 0);
    check_every_byte(4, 5);
}

/* An event with bytes after the payload (its length says so) is valid: the
 * fast test refuses it and the general check reads it. A payload of the
 * other width is FALCO_ETRUNCATED. */
static void test_trailing_bytes_and_other_sizes(void **state)
{
    (void)state;
    static const struct {
        uint32_t size, extra, read_size; /* the event's payload, bytes after it, what is read */
        uint64_t value;
        falco_rc rc;
    } cases[] = {
        {8, 5, 8, 42, FALCO_OK},         {4, 3, 4, 43, FALCO_OK},
        {8, 0, 4, 44, FALCO_ETRUNCATED}, {4, 0, 8, 45, FALCO_ETRUNCATED},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned char buf[128];
        uint64_t v;
        make_event(buf, sizeof buf, cases[i].size, cases[i].value, cases[i].extra);
        assert_int_equal(read_inline(buf, cases[i].read_size, &v), cases[i].rc);
        assert_int_equal(v, cases[i].rc == FALCO_OK ? cases[i].value : 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_u64_every_byte),
        cmocka_unit_test(test_u32_every_byte),
        cmocka_unit_test(test_trailing_bytes_and_other_sizes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
