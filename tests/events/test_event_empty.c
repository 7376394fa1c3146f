/*
 * Empty (zero-length) and absent parameters, as events converted from old
 * captures carry them: libscap's converter appends empty params for what an
 * old layout lacks (open's dev and ino), which libsinsp shows as <NA>. The view
 * accepts them, the accessors tell empty from absent from present, and the
 * text shows <NA>.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <falco/event.h>

static uint8_t buf[512];

/* open exit as the converter makes it from a 4-param capture event:
 * fd, name, flags, mode present, dev and ino empty. */
static void open_exit(falco_evt_view *v, uint32_t nparams)
{
    falco_evt_value p[6] = {
        {.type = FALCO_PT_FD, .v.i64 = 3},
        {.type = FALCO_PT_FSPATH, .v.str = {"/etc/ld.so.cache", 16}},
        {.type = FALCO_PT_FLAGS32, .v.u64 = 4097},
        {.type = FALCO_PT_UINT32, .v.u64 = 0},
        {.type = FALCO_PT_NONE},
        {.type = FALCO_PT_NONE},
    };
    size_t len;
    char err[128];
    assert_int_equal(falco_evt_encode(buf, sizeof buf, &len, FALCO_PPME_SYSCALL_OPEN_X, 1, 2, p, nparams, err,
                                      sizeof err),
                     FALCO_OK);
    assert_int_equal(falco_evt_view_init(v, buf, len), FALCO_OK);
}

static void test_trailing_empty_params(void **state)
{
    (void)state;
    falco_evt_view v;
    open_exit(&v, 6);
    assert_int_equal(v.nparams, 6);
    for (uint32_t i = 0; i < 4; i++)
        assert_true(falco_evt_param_has_value(&v, i));
    assert_false(falco_evt_param_has_value(&v, 4));
    assert_false(falco_evt_param_has_value(&v, 5));
    assert_false(falco_evt_param_has_value(&v, 6));
    assert_false(falco_evt_param_has_value(NULL, 0));

    /* the raw bytes: there, zero of them */
    const uint8_t *data;
    size_t len = 99;
    assert_int_equal(falco_evt_param_raw(&v, 4, &data, &len), FALCO_OK);
    assert_int_equal(len, 0);

    /* decoded: type NONE */
    falco_evt_value val;
    assert_int_equal(falco_evt_param_get(&v, 5, &val), FALCO_OK);
    assert_int_equal(val.type, FALCO_PT_NONE);

    /* numeric accessors: not found, the message says empty and names the param */
    uint64_t dev = 7;
    assert_int_equal(falco_evt_param_u64_by_name(&v, "dev", &dev), FALCO_ENOTFOUND);
    assert_int_equal(dev, 7);
    assert_non_null(strstr(falco_evt_view_error(&v), "param 4 'dev' is empty"));
    assert_int_equal(falco_evt_param_u64(&v, 5, &dev), FALCO_ENOTFOUND);
    assert_non_null(strstr(falco_evt_view_error(&v), "'ino' is empty"));
    /* and still a type check first: an empty u64 asked as i64 is a type error */
    int64_t i;
    assert_int_equal(falco_evt_param_i64(&v, 5, &i), FALCO_ETYPE);

    /* the present ones read as usual */
    int64_t fd;
    assert_int_equal(falco_evt_param_i64_by_name(&v, "fd", &fd), FALCO_OK);
    assert_int_equal(fd, 3);

    /* text: <NA> for each empty param, as libsinsp prints them */
    char line[256];
    assert_int_equal(falco_evt_format(&v, 0, line, sizeof line, NULL), FALCO_OK);
    assert_string_equal(line, "< open fd=3 name=/etc/ld.so.cache flags=4097(O_RDONLY|O_CLOEXEC) mode=0 dev=<NA> ino=<NA>");
    assert_int_equal(falco_evt_format_param(&v, 4, line, sizeof line, NULL), FALCO_OK);
    assert_string_equal(line, "<NA>");
}

/* An older layout lacks the params altogether: absent, not empty. */
static void test_absent_params(void **state)
{
    (void)state;
    falco_evt_view v;
    open_exit(&v, 4);
    assert_int_equal(v.nparams, 4);
    assert_false(falco_evt_param_has_value(&v, 4));
    uint64_t dev;
    assert_int_equal(falco_evt_param_u64_by_name(&v, "dev", &dev), FALCO_ENOTFOUND);
    assert_non_null(strstr(falco_evt_view_error(&v), "'dev' is absent (the event has 4 of 6 params)"));
    char line[256];
    assert_int_equal(falco_evt_format(&v, 0, line, sizeof line, NULL), FALCO_OK);
    assert_string_equal(line, "< open fd=3 name=/etc/ld.so.cache flags=4097(O_RDONLY|O_CLOEXEC) mode=0");
}

/* Empty params of the other kinds: strings read as "", buffers as 0 bytes,
 * socket addresses as not found. */
static void test_empty_strings_buffers_addresses(void **state)
{
    (void)state;
    /* connect exit: res, tuple, fd, addr with tuple and addr empty */
    falco_evt_value p[4] = {
        {.type = FALCO_PT_ERRNO, .v.i64 = 0},
        {.type = FALCO_PT_NONE},
        {.type = FALCO_PT_FD, .v.i64 = 4},
        {.type = FALCO_PT_NONE},
    };
    size_t len;
    char err[128];
    assert_int_equal(falco_evt_encode(buf, sizeof buf, &len, FALCO_PPME_SOCKET_CONNECT_X, 1, 2, p, 4, err, sizeof err),
                     FALCO_OK);
    falco_evt_view v;
    assert_int_equal(falco_evt_view_init(&v, buf, len), FALCO_OK);
    falco_evt_socktuple st;
    assert_int_equal(falco_evt_param_socktuple_by_name(&v, "tuple", &st), FALCO_ENOTFOUND);
    assert_non_null(strstr(falco_evt_view_error(&v), "'tuple' is empty"));
    falco_evt_sockaddr sa;
    assert_int_equal(falco_evt_param_sockaddr_by_name(&v, "addr", &sa), FALCO_ENOTFOUND);

    /* read exit: res, data (empty), fd, size */
    falco_evt_value r[4] = {
        {.type = FALCO_PT_ERRNO, .v.i64 = -11},
        {.type = FALCO_PT_NONE},
        {.type = FALCO_PT_FD, .v.i64 = 4},
        {.type = FALCO_PT_UINT32, .v.u64 = 16},
    };
    assert_int_equal(falco_evt_encode(buf, sizeof buf, &len, FALCO_PPME_SYSCALL_READ_X, 1, 2, r, 4, err, sizeof err),
                     FALCO_OK);
    assert_int_equal(falco_evt_view_init(&v, buf, len), FALCO_OK);
    const uint8_t *data = NULL;
    size_t dlen = 99;
    assert_int_equal(falco_evt_param_bytes_by_name(&v, "data", &data, &dlen), FALCO_OK);
    assert_int_equal(dlen, 0);
    assert_non_null(data);

    /* execve's filename (FSPATH), empty when converted from an old capture */
    int fi = falco_evt_info_param_index(falco_evt_table_get(FALCO_PPME_SYSCALL_EXECVE_19_X), "filename");
    assert_true(fi > 0);
    falco_evt_value e[FALCO_EVT_MAX_PARAMS];
    memset(e, 0, sizeof e); /* all empty */
    assert_int_equal(falco_evt_encode(buf, sizeof buf, &len, FALCO_PPME_SYSCALL_EXECVE_19_X, 1, 2, e,
                                      (uint32_t)fi + 1, err, sizeof err),
                     FALCO_OK);
    assert_int_equal(falco_evt_view_init(&v, buf, len), FALCO_OK);
    const char *s = NULL;
    size_t sl = 99;
    assert_int_equal(falco_evt_param_str(&v, (uint32_t)fi, &s, &sl), FALCO_OK);
    assert_string_equal(s, "");
    assert_int_equal(sl, 0);
    assert_false(falco_evt_param_has_value(&v, (uint32_t)fi));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trailing_empty_params),
        cmocka_unit_test(test_absent_params),
        cmocka_unit_test(test_empty_strings_buffers_addresses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
