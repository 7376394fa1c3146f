/*
 * test_event_encode.c - plugin (322) and async (402) builders byte by byte,
 * sizing, and the encoder's refusals with their messages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <falco/event.h>

static uint32_t u32_at(const uint8_t *p, size_t off)
{
    uint32_t x;
    memcpy(&x, p + off, 4);
    return x;
}

static void test_plugin_event_layout(void **state)
{
    (void)state;
    uint8_t buf[64];
    size_t n = 0;
    assert_int_equal(falco_evt_encode_plugin(NULL, 0, &n, UINT64_MAX, 0, 999, "hello", 5), FALCO_ERANGE);
    assert_int_equal(n, 43);
    assert_int_equal(falco_evt_encode_plugin(buf, sizeof buf, &n, UINT64_MAX, 0, 999, "hello", 5), FALCO_OK);
    assert_int_equal(n, 26 + 8 + 4 + 5);
    assert_int_equal(u32_at(buf, 16), 43);
    assert_int_equal(buf[20] | buf[21] << 8, 322);
    assert_int_equal(u32_at(buf, 22), 2);
    assert_int_equal(u32_at(buf, 26), 4);
    assert_int_equal(u32_at(buf, 30), 5);
    assert_int_equal(u32_at(buf, 34), 999);
    assert_memory_equal(buf + 38, "hello", 5);
    falco_evt_view v;
    assert_int_equal(falco_evt_view_init(&v, buf, n), FALCO_OK);
    assert_int_equal(v.ts, UINT64_MAX);
    assert_int_equal(falco_evt_encode_plugin(buf, sizeof buf, &n, 1, 0, 1, NULL, 3), FALCO_EINVAL);
}

static void test_async_event_layout(void **state)
{
    (void)state;
    uint8_t buf[64];
    size_t n = 0;
    assert_int_equal(falco_evt_encode_async(buf, sizeof buf, &n, 5, 6, 7, "ev", "xyz", 3), FALCO_OK);
    assert_int_equal(n, 26 + 12 + 4 + 3 + 3);
    assert_int_equal(buf[20] | buf[21] << 8, 402);
    assert_int_equal(u32_at(buf, 22), 3);
    assert_int_equal(u32_at(buf, 26), 4);
    assert_int_equal(u32_at(buf, 30), 3); /* name length includes the NUL */
    assert_int_equal(u32_at(buf, 34), 3);
    assert_int_equal(u32_at(buf, 38), 7);
    assert_memory_equal(buf + 42, "ev", 3);
    assert_memory_equal(buf + 45, "xyz", 3);
    falco_evt_view v;
    assert_int_equal(falco_evt_view_init(&v, buf, n), FALCO_OK);
    const char *name;
    assert_int_equal(falco_evt_param_str_by_name(&v, "name", &name, NULL), FALCO_OK);
    assert_string_equal(name, "ev");
    assert_int_equal(falco_evt_encode_async(buf, sizeof buf, &n, 5, 6, 7, "", NULL, 0), FALCO_EINVAL);
    assert_int_equal(falco_evt_encode_async(buf, sizeof buf, &n, 5, 6, 7, NULL, NULL, 0), FALCO_EINVAL);
}

static void test_small_buffer_writes_nothing(void **state)
{
    (void)state;
    uint8_t buf[64];
    memset(buf, 0xaa, sizeof buf);
    size_t n = 0;
    char err[128];
    falco_evt_value p[2] = {{.type = FALCO_PT_ERRNO, .v.i64 = 0}, {.type = FALCO_PT_FD, .v.i64 = 1}};
    assert_int_equal(falco_evt_encode(buf, 45, &n, FALCO_PPME_SYSCALL_CLOSE_X, 0, 0, p, 2, err, sizeof err),
                     FALCO_ERANGE);
    assert_int_equal(n, 46);
    assert_string_equal(err, "buffer of 45 bytes too small: event 'close' (type 5) needs 46");
    for (size_t i = 0; i < sizeof buf; i++)
        assert_int_equal(buf[i], 0xaa);
}

static void test_refusals(void **state)
{
    (void)state;
    uint8_t buf[128];
    size_t n;
    char err[160];
    falco_evt_value p[3] = {{.type = FALCO_PT_CHARBUF, .v.str = {"x", 1}}, {.type = FALCO_PT_FD, .v.i64 = 1}};
    assert_int_equal(falco_evt_encode(buf, sizeof buf, &n, FALCO_PPME_SYSCALL_CLOSE_X, 0, 0, p, 2, err, sizeof err),
                     FALCO_ETYPE);
    assert_string_equal(err, "event 'close' (type 5): param 0 'res' is PT_ERRNO, value given as PT_CHARBUF");
    assert_int_equal(falco_evt_encode(buf, sizeof buf, &n, FALCO_PPME_SYSCALL_CLOSE_X, 0, 0, p, 3, err, sizeof err),
                     FALCO_EINVAL);
    assert_string_equal(err, "event 'close' (type 5): 3 params given, the table lists 2");
    assert_int_equal(falco_evt_encode(buf, sizeof buf, &n, 454, 0, 0, NULL, 0, err, sizeof err), FALCO_EINVAL);
    assert_string_equal(err, "unknown event type 454 (the table has 454)");
    /* kill_E sig is a u8 */
    falco_evt_value k[2] = {{.type = FALCO_PT_PID, .v.i64 = 1}, {.type = FALCO_PT_SIGTYPE, .v.u64 = 256}};
    assert_int_equal(falco_evt_encode(buf, sizeof buf, &n, FALCO_PPME_SYSCALL_KILL_E, 0, 0, k, 2, err, sizeof err),
                     FALCO_ERANGE);
    assert_string_equal(err, "event 'kill' (type 128): param 1 'sig' (PT_SIGTYPE): value does not fit the type's width");
    /* a u16 length cannot hold 70000 bytes */
    static uint8_t big[70000];
    falco_evt_value w[2] = {{.type = FALCO_PT_ERRNO}, {.type = FALCO_PT_BYTEBUF, .v.bytes = {big, sizeof big}}};
    assert_int_equal(falco_evt_encode(NULL, 0, &n, FALCO_PPME_SYSCALL_WRITE_X, 0, 0, w, 2, err, sizeof err),
                     FALCO_ERANGE);
    assert_string_equal(err, "event 'write' (type 9): param 1 'data' of 70000 bytes exceeds its u16 length");
    /* ...but a plugin event's u32 length can */
    assert_int_equal(falco_evt_encode_plugin(NULL, 0, &n, 0, 0, 1, big, sizeof big), FALCO_ERANGE);
    assert_int_equal(n, 38 + sizeof big);
    /* DYN: the variant index must exist and match the value's type */
    falco_evt_value d[1] = {{.type = FALCO_PT_ERRNO, .dyn_index = 0, .v.i64 = -1}};
    assert_int_equal(falco_evt_encode(buf, sizeof buf, &n, FALCO_PPME_SYSCALL_BPF_X, 0, 0, d, 1, err, sizeof err),
                     FALCO_ETYPE);
    assert_string_equal(err, "event 'bpf' (type 297): param 0 'res_or_fd' is PT_FD, value given as PT_ERRNO");
    d[0].dyn_index = 1;
    assert_int_equal(falco_evt_encode(buf, sizeof buf, &n, FALCO_PPME_SYSCALL_BPF_X, 0, 0, d, 1, err, sizeof err),
                     FALCO_OK);
    assert_int_equal(n, 26 + 2 + 9);
    assert_int_equal(buf[28], 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plugin_event_layout),
        cmocka_unit_test(test_async_event_layout),
        cmocka_unit_test(test_small_buffer_writes_nothing),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
