/*
 * test_event_format.c - golden text for synthetic events covering each kind
 * of rendering, and the snprintf-like buffer contract.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <falco/event.h>

#define U(t, x) {.type = (t), .v.u64 = (x)}
#define I(t, x) {.type = (t), .v.i64 = (x)}
#define S(t, s) {.type = (t), .v.str = {(s), sizeof(s) - 1}}

/* Encodes, views and renders an event; compares the text with want. */
static void expect_text(uint16_t type, const falco_evt_value *p, uint32_t n, unsigned opts, const char *want)
{
    static uint8_t buf[1024];
    size_t len;
    char err[256];
    if (falco_evt_encode(buf, sizeof buf, &len, type, 1000, 42, p, n, err, sizeof err) != FALCO_OK)
        fail_msg("encode: %s", err);
    falco_evt_view v;
    assert_int_equal(falco_evt_view_init(&v, buf, len), FALCO_OK);
    char text[512];
    size_t needed;
    assert_int_equal(falco_evt_format(&v, opts, text, sizeof text, &needed), FALCO_OK);
    assert_string_equal(text, want);
    assert_int_equal(needed, strlen(want));
}

static void test_flags_octal_hex(void **state)
{
    (void)state;
    falco_evt_value p[] = {I(FALCO_PT_FD, 3),           S(FALCO_PT_FSPATH, "/etc/passwd"),
                           U(FALCO_PT_FLAGS32, 0x1001), U(FALCO_PT_UINT32, 0644),
                           U(FALCO_PT_UINT32, 0x803),   U(FALCO_PT_UINT64, 12)};
    expect_text(FALCO_PPME_SYSCALL_OPEN_X, p, 6, 0,
                "< open fd=3 name=/etc/passwd flags=4097(O_RDONLY|O_CLOEXEC) mode=0644 dev=0x803 ino=12");
}

/* Flags render like libsinsp: decimal number, each table entry claims its
 * bits, so O_RDWR (3) does not also list O_WRONLY (2) and O_RDONLY (1). */
static void test_flags_claim_their_bits(void **state)
{
    (void)state;
    falco_evt_value p[] = {S(FALCO_PT_FSPATH, "/f"), U(FALCO_PT_FLAGS32, 0x1003), U(FALCO_PT_UINT32, 0)};
    expect_text(FALCO_PPME_SYSCALL_OPEN_E, p, 3, 0, "> open name=/f flags=4099(O_RDWR|O_CLOEXEC) mode=0");
    p[1].v.u64 = 0x2; /* an entry equal to the whole value ends the walk */
    expect_text(FALCO_PPME_SYSCALL_OPEN_E, p, 3, 0, "> open name=/f flags=2(O_WRONLY) mode=0");
    p[1].v.u64 = 0; /* the 0 entry names only 0 */
    expect_text(FALCO_PPME_SYSCALL_OPEN_E, p, 3, 0, "> open name=/f flags=0(O_NONE) mode=0");
    p[1].v.u64 = 0x80000000; /* no name for these bits: the number alone */
    expect_text(FALCO_PPME_SYSCALL_OPEN_E, p, 3, 0, "> open name=/f flags=2147483648 mode=0");
    p[1].v.u64 = 0x80000101; /* unknown bits are dropped from the names */
    expect_text(FALCO_PPME_SYSCALL_OPEN_E, p, 3, 0, "> open name=/f flags=2147483905(O_TRUNC|O_RDONLY) mode=0");
}

/* Enum flags list every entry equal to the value (aliases included). */
static void test_enumflags_aliases(void **state)
{
    (void)state;
    falco_evt_value sock[] = {U(FALCO_PT_ENUMFLAGS32, 1), U(FALCO_PT_UINT32, 1), U(FALCO_PT_UINT32, 0)};
    expect_text(FALCO_PPME_SOCKET_SOCKET_E, sock, 3, 0, "> socket domain=1(AF_LOCAL|AF_UNIX) type=1 proto=0");
    sock[0].v.u64 = 16;
    expect_text(FALCO_PPME_SOCKET_SOCKET_E, sock, 3, 0, "> socket domain=16(AF_ROUTE|AF_NETLINK) type=1 proto=0");
    sock[0].v.u64 = 3; /* no bitwise matching for enums: 3 is not AF_UNIX|AF_INET */
    expect_text(FALCO_PPME_SOCKET_SOCKET_E, sock, 3, 0, "> socket domain=3(AF_AX25) type=1 proto=0");
    sock[0].v.u64 = 200;
    expect_text(FALCO_PPME_SOCKET_SOCKET_E, sock, 3, 0, "> socket domain=200 type=1 proto=0");
}

/* Modes: octal, bits claimed in table order, an exact entry ends the walk. */
static void test_mode_names(void **state)
{
    (void)state;
    falco_evt_value p[] = {I(FALCO_PT_ERRNO, 0), S(FALCO_PT_FSPATH, "/n"), U(FALCO_PT_MODE, 0100644),
                           U(FALCO_PT_UINT32, 0)};
    expect_text(FALCO_PPME_SYSCALL_MKNOD_X, p, 4, 0,
                "< mknod res=0 path=/n mode=0100644(S_IROTH|S_IRGRP|S_IWUSR|S_IRUSR|S_IFREG) dev=0");
    p[2].v.u64 = 0100000; /* exactly S_IFREG */
    expect_text(FALCO_PPME_SYSCALL_MKNOD_X, p, 4, 0, "< mknod res=0 path=/n mode=0100000(S_IFREG) dev=0");
    p[2].v.u64 = 060600; /* S_IFCHR comes first in the table and claims 020000: libsinsp's reading of S_IFBLK */
    expect_text(FALCO_PPME_SYSCALL_MKNOD_X, p, 4, 0,
                "< mknod res=0 path=/n mode=060600(S_IWUSR|S_IRUSR|S_IFCHR) dev=0");
    p[2].v.u64 = 0; /* no 0 entry in the mode table */
    expect_text(FALCO_PPME_SYSCALL_MKNOD_X, p, 4, 0, "< mknod res=0 path=/n mode=0 dev=0");
}

static void test_errno_and_missing(void **state)
{
    (void)state;
    falco_evt_value p[] = {I(FALCO_PT_ERRNO, -2), {.type = FALCO_PT_NONE}};
    expect_text(FALCO_PPME_SYSCALL_CLOSE_X, p, 2, 0, "< close res=-2(ENOENT) fd=<NA>");
    expect_text(FALCO_PPME_SYSCALL_CLOSE_X, p, 1, FALCO_EVT_FORMAT_HEADER, "1000 42 < close res=-2(ENOENT)");
}

static void test_enums_and_signals(void **state)
{
    (void)state;
    falco_evt_value sock[] = {U(FALCO_PT_ENUMFLAGS32, 2), U(FALCO_PT_UINT32, 1), U(FALCO_PT_UINT32, 0)};
    expect_text(FALCO_PPME_SOCKET_SOCKET_E, sock, 3, 0, "> socket domain=2(AF_INET) type=1 proto=0");
    falco_evt_value kill[] = {I(FALCO_PT_PID, 77), U(FALCO_PT_SIGTYPE, 9)};
    expect_text(FALCO_PPME_SYSCALL_KILL_E, kill, 2, 0, "> kill pid=77 sig=9(SIGKILL)");
}

static void test_sockets(void **state)
{
    (void)state;
    falco_evt_value p[4] = {I(FALCO_PT_ERRNO, 0)};
    p[1].type = FALCO_PT_SOCKTUPLE;
    p[1].v.socktuple = (falco_evt_socktuple){.family = FALCO_AF_INET, .src_addr = {10, 0, 0, 1}, .src_port = 40000,
                                             .dst_addr = {142, 250, 1, 2}, .dst_port = 443};
    p[2] = (falco_evt_value)I(FALCO_PT_FD, 4);
    p[3].type = FALCO_PT_SOCKADDR;
    p[3].v.sockaddr = (falco_evt_sockaddr){.family = FALCO_AF_INET6, .addr = {[15] = 1}, .port = 443};
    expect_text(FALCO_PPME_SOCKET_CONNECT_X, p, 4, 0,
                "< connect res=0 tuple=10.0.0.1:40000->142.250.1.2:443 fd=4 addr=[::1]:443");
    p[1].v.socktuple = (falco_evt_socktuple){.family = FALCO_AF_UNIX, .src_ptr = 0x10, .dst_ptr = 0x20,
                                             .path = "/run/s", .path_len = 6};
    p[3].v.sockaddr = (falco_evt_sockaddr){.family = FALCO_AF_INET6,
                                           .addr = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x2},
                                           .port = 53};
    expect_text(FALCO_PPME_SOCKET_CONNECT_X, p, 4, 0, "< connect res=0 tuple=0x10->0x20 /run/s fd=4 addr=[2001:db8::2]:53");
}

static void test_fdlist_and_bytes(void **state)
{
    (void)state;
    static const falco_evt_fdlist_entry e[] = {{3, 1}, {4, 5}};
    falco_evt_value poll[2] = {{.type = FALCO_PT_FDLIST, .v.fdlist = {.count = 2, .entries = e}},
                               I(FALCO_PT_INT64, 10)};
    expect_text(FALCO_PPME_SYSCALL_POLL_E, poll, 2, 0, "> poll fds=3:1 4:5 timeout=10");
    falco_evt_value w[4] = {I(FALCO_PT_ERRNO, 4),
                            {.type = FALCO_PT_BYTEBUF, .v.bytes = {(const uint8_t *)"hi\n\x01", 4}},
                            I(FALCO_PT_FD, 1), U(FALCO_PT_UINT32, 4)};
    expect_text(FALCO_PPME_SYSCALL_WRITE_X, w, 4, 0, "< write res=4 data=hi.. fd=1 size=4");
}

static void test_buffer_contract(void **state)
{
    (void)state;
    falco_evt_value p[] = {I(FALCO_PT_ERRNO, 0), I(FALCO_PT_FD, 5)};
    uint8_t buf[64];
    size_t len;
    assert_int_equal(falco_evt_encode(buf, sizeof buf, &len, FALCO_PPME_SYSCALL_CLOSE_X, 1, 2, p, 2, NULL, 0),
                     FALCO_OK);
    falco_evt_view v;
    assert_int_equal(falco_evt_view_init(&v, buf, len), FALCO_OK);
    char small[8];
    memset(small, 'x', sizeof small);
    size_t needed = 0;
    assert_int_equal(falco_evt_format(&v, 0, small, 5, &needed), FALCO_OK);
    assert_string_equal(small, "< cl");
    assert_int_equal(small[5], 'x'); /* nothing written past buflen */
    assert_int_equal(needed, strlen("< close res=0 fd=5"));
    assert_int_equal(falco_evt_format(&v, 0, NULL, 0, &needed), FALCO_OK);
    assert_int_equal(needed, strlen("< close res=0 fd=5"));
    char one[12];
    assert_int_equal(falco_evt_format_param(&v, 1, one, sizeof one, &needed), FALCO_OK);
    assert_string_equal(one, "5");
}

static void test_malformed_param_renders_and_reports(void **state)
{
    (void)state;
    /* close_X whose res has 4 bytes instead of 8 */
    uint8_t buf[64] = {0};
    uint32_t len = 26 + 4 + 4 + 8, two = 2;
    uint16_t type = FALCO_PPME_SYSCALL_CLOSE_X, l0 = 4, l1 = 8;
    memcpy(buf + 16, &len, 4);
    memcpy(buf + 20, &type, 2);
    memcpy(buf + 22, &two, 4);
    memcpy(buf + 26, &l0, 2);
    memcpy(buf + 28, &l1, 2);
    buf[34] = 9;
    falco_evt_view v;
    assert_int_equal(falco_evt_view_init(&v, buf, len), FALCO_OK);
    char text[128];
    size_t needed;
    assert_int_equal(falco_evt_format(&v, 0, text, sizeof text, &needed), FALCO_EPARSE);
    assert_string_equal(text, "< close res=<malformed> fd=9");
    assert_string_equal(falco_evt_view_error(&v),
                        "event 'close' (type 5): param 0 'res' (PT_ERRNO, 4 bytes at offset 30): wrong size for the type");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flags_octal_hex),
        cmocka_unit_test(test_flags_claim_their_bits),
        cmocka_unit_test(test_enumflags_aliases),
        cmocka_unit_test(test_mode_names),
        cmocka_unit_test(test_errno_and_missing),
        cmocka_unit_test(test_enums_and_signals),
        cmocka_unit_test(test_sockets),
        cmocka_unit_test(test_fdlist_and_bytes),
        cmocka_unit_test(test_buffer_contract),
        cmocka_unit_test(test_malformed_param_renders_and_reports),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
