/* The extraction fast paths give the same results and the same refusals as
 * the general path: index and key arguments (right kind, wrong kind,
 * missing), strings copied into the extraction's own buffer or the arena
 * on either side of its size, with a NUL inside, list values, several
 * fields in one call, and every transition between them (an arena used by
 * one call is reset before the next takes the fast path). fastplug.c is
 * driven through its ABI functions, one field per call as libsinsp does. */
#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <falco/abi.h>

enum { F_IDX, F_NEED, F_KEY, F_STR, F_STRN, F_LIST, F_OPT };
#define NUL_INSIDE (1ull << 63)

static struct {
    void *dl;
    falco_abi_plugin_t *s;
    falco_abi_rc (*extract)(falco_abi_plugin_t *, const falco_abi_event_input *,
                            const falco_abi_field_extract_input *);
    const char *(*last_error)(falco_abi_plugin_t *);
    void (*destroy)(falco_abi_plugin_t *);
} pl;

static unsigned char event[FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET + 8];
static uint64_t evtnum;

static int setup(void **state) {
    (void)state;
    pl.dl = dlopen(FASTPLUG, RTLD_NOW | RTLD_LOCAL);
    assert_non_null(pl.dl);
    falco_abi_plugin_t *(*init)(const falco_abi_init_input *, falco_abi_rc *);
    *(void **)&init = dlsym(pl.dl, "plugin_init");
    *(void **)&pl.extract = dlsym(pl.dl, "plugin_extract_fields");
    *(void **)&pl.last_error = dlsym(pl.dl, "plugin_get_last_error");
    *(void **)&pl.destroy = dlsym(pl.dl, "plugin_destroy");
    assert_true(init && pl.extract && pl.last_error && pl.destroy);
    falco_abi_init_input in = {.config = ""};
    falco_abi_rc rc = FALCO_ABI_RC_FAILURE;
    pl.s = init(&in, &rc);
    assert_int_equal(rc, FALCO_ABI_RC_SUCCESS);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    pl.destroy(pl.s);
    dlclose(pl.dl);
    return 0;
}

/* A new event whose payload is v. */
static const falco_abi_event_input *event_of(uint64_t v) {
    static falco_abi_event_input in;
    falco_abi_event hdr = {.ts = 1, .tid = UINT64_MAX, .len = sizeof event, .type = FALCO_ABI_EVENT_PLUGIN,
                           .nparams = 2};
    uint32_t lens[3] = {4, 8, 0};
    memcpy(event, &hdr, 26);
    memcpy(event + 26, lens, sizeof lens);
    memcpy(event + FALCO_ABI_PLUGIN_EVENT_PAYLOAD_OFFSET, &v, sizeof v);
    in = (falco_abi_event_input){.evt = (const falco_abi_event *)event, .evtnum = ++evtnum, .evtsrc = "fast"};
    return &in;
}

/* One field, as libsinsp fills it. */
static falco_abi_rc one(falco_abi_extract_field *f, uint32_t id, bool arg, uint64_t index, const char *key,
                        uint64_t payload) {
    static const char *const names[] = {"f.idx", "f.need", "f.key", "f.str", "f.strn", "f.list", "f.opt"};
    *f = (falco_abi_extract_field){.field_id = id, .field = names[id], .arg_present = arg, .arg_index = index,
                                   .arg_key = key, .res_len = 12345};
    falco_abi_field_extract_input in = {.num_fields = 1, .fields = f};
    return pl.extract(pl.s, event_of(payload), &in);
}

static uint64_t u64_of(uint32_t id, bool arg, uint64_t index) {
    falco_abi_extract_field f;
    if (one(&f, id, arg, index, NULL, 0) != FALCO_ABI_RC_SUCCESS)
        fail_msg("field %u: %s", id, pl.last_error(pl.s));
    assert_int_equal(f.res_len, 1);
    return f.res.u64[0];
}

static void expect_error(uint32_t id, bool arg, uint64_t index, const char *key, uint64_t payload,
                         const char *msg) {
    falco_abi_extract_field f;
    assert_int_equal(one(&f, id, arg, index, key, payload), FALCO_ABI_RC_FAILURE);
    assert_int_equal(f.res_len, 0);
    if (!strstr(pl.last_error(pl.s), msg))
        fail_msg("expected \"%s\" in \"%s\"", msg, pl.last_error(pl.s));
}

static void test_index_arguments(void **state) {
    (void)state;
    for (int round = 0; round < 3; round++) {
        assert_int_equal(u64_of(F_IDX, true, 5), 5);
        assert_int_equal(u64_of(F_IDX, false, 0), 999); /* optional */
        assert_int_equal(u64_of(F_NEED, true, 21), 42);
        assert_int_equal(u64_of(F_NEED, true, 0), 0);
        expect_error(F_NEED, false, 0, NULL, 0, "field 'f.need': needs an argument, e.g. f.need[0]");
        /* A key where an index is declared: a string was given. */
        expect_error(F_IDX, true, 0, "abc", 0, "field 'f.idx': needs a numeric index argument, e.g. f.idx[0], got [abc]");
        expect_error(F_NEED, true, 0, "x", 0, "needs a numeric index argument");
        assert_int_equal(u64_of(F_NEED, true, 4), 8); /* and the fast path again */
    }
}

static void test_key_arguments(void **state) {
    (void)state;
    falco_abi_extract_field f;
    for (int round = 0; round < 3; round++) {
        assert_int_equal(one(&f, F_KEY, true, 0, "name", 0), FALCO_ABI_RC_SUCCESS);
        assert_int_equal(f.res_len, 1);
        assert_string_equal(f.res.str[0], "name");
        expect_error(F_KEY, true, 0, "", 0, "field 'f.key': needs a key argument, e.g. f.key[name]");
        expect_error(F_KEY, true, 7, NULL, 0, "field 'f.key': needs a key argument");
        expect_error(F_KEY, false, 0, NULL, 0, "field 'f.key': needs an argument, e.g. f.key[name]");
        /* A u64 field given a key must not take the index fast path either. */
        expect_error(F_IDX, true, 0, "k", 0, "needs a numeric index argument");
    }
}

/* The value of f.str / f.strn for a length: the first len letters. */
static void check_string(uint32_t id, uint64_t len) {
    falco_abi_extract_field f;
    if (one(&f, id, false, 0, NULL, len) != FALCO_ABI_RC_SUCCESS)
        fail_msg("field %u, length %llu: %s", id, (unsigned long long)len, pl.last_error(pl.s));
    assert_int_equal(f.res_len, 1);
    const char *s = f.res.str[0];
    assert_int_equal(strlen(s), len);
    for (uint64_t i = 0; i < len; i++)
        if (s[i] != (char)('a' + i % 26))
            fail_msg("field %u, length %llu: byte %llu is '%c'", id, (unsigned long long)len,
                     (unsigned long long)i, s[i]);
}

static void test_copied_strings(void **state) {
    (void)state;
    static const uint64_t lengths[] = {0, 1, 3, 4, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 254, 255, 256, 257, 300,
                                       5000, 2, 255, 256, 0};
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        check_string(F_STR, lengths[i]);
        check_string(F_STRN, lengths[i]);
        assert_int_equal(u64_of(F_IDX, true, i), i); /* after a copy, short or long */
        check_string(F_STR, lengths[i]);
        assert_int_equal(u64_of(F_IDX, false, 0), 999);
    }
}

static void test_nul_inside(void **state) {
    (void)state;
    static const uint64_t lengths[] = {2, 8, 40, 255, 300};
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        expect_error(F_STRN, false, 0, NULL, lengths[i] | NUL_INSIDE,
                     "field 'f.strn': string value contains a NUL byte");
        check_string(F_STRN, lengths[i]);
    }
    /* falco_extract_str(x, NULL) is refused with a message naming the
     * field, and the next call takes the fast path again. */
    expect_error(F_STR, false, 0, NULL, NUL_INSIDE, "field 'f.str': a NULL string was set");
    check_string(F_STR, 5);
}

static void test_list_values(void **state) {
    (void)state;
    for (int round = 0; round < 3; round++) {
        falco_abi_extract_field f;
        assert_int_equal(one(&f, F_LIST, false, 0, NULL, 0), FALCO_ABI_RC_SUCCESS);
        assert_int_equal(f.res_len, 3);
        assert_string_equal(f.res.str[0], "a");
        assert_string_equal(f.res.str[1], "bb");
        assert_string_equal(f.res.str[2], "ccc");
        check_string(F_STR, 10);
    }
}

/* falco_extract_arg_index reads the request's index as it is: the SDK
 * zeroes it when no argument was given to a field that takes one, on the
 * single-field paths and the general one, whatever the host left there. */
static void test_index_without_argument(void **state) {
    (void)state;
    for (int round = 0; round < 3; round++) {
        assert_int_equal(u64_of(F_OPT, true, 5), 5);
        assert_int_equal(u64_of(F_OPT, false, 77), 0);
        assert_int_equal(u64_of(F_IDX, false, 77), 999);
        falco_abi_extract_field f[2] = {
            {.field_id = F_OPT, .field = "f.opt", .arg_index = 66},
            {.field_id = F_OPT, .field = "f.opt", .arg_present = 1, .arg_index = 4},
        };
        falco_abi_field_extract_input in = {.num_fields = 2, .fields = f};
        assert_int_equal(pl.extract(pl.s, event_of(1), &in), FALCO_ABI_RC_SUCCESS);
        assert_int_equal(f[0].res.u64[0], 0);
        assert_int_equal(f[1].res.u64[0], 4);
    }
}

/* Several fields in one call: every value stays valid until it returns, so
 * none may share the single-field buffer. */
static void test_several_fields(void **state) {
    (void)state;
    falco_abi_extract_field f[4] = {
        {.field_id = F_STR, .field = "f.str"},
        {.field_id = F_STRN, .field = "f.strn"},
        {.field_id = F_IDX, .field = "f.idx", .arg_present = 1, .arg_index = 9},
        {.field_id = F_KEY, .field = "f.key", .arg_present = 1, .arg_key = "kk"},
    };
    falco_abi_field_extract_input in = {.num_fields = 4, .fields = f};
    assert_int_equal(pl.extract(pl.s, event_of(12), &in), FALCO_ABI_RC_SUCCESS);
    assert_string_equal(f[0].res.str[0], "abcdefghijkl");
    assert_string_equal(f[1].res.str[0], "abcdefghijkl");
    assert_ptr_not_equal(f[0].res.str[0], f[1].res.str[0]);
    assert_int_equal(f[2].res.u64[0], 9);
    assert_string_equal(f[3].res.str[0], "kk");
    check_string(F_STR, 5);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_index_arguments), cmocka_unit_test(test_key_arguments),
        cmocka_unit_test(test_copied_strings),  cmocka_unit_test(test_nul_inside),
        cmocka_unit_test(test_list_values),     cmocka_unit_test(test_several_fields),
        cmocka_unit_test(test_index_without_argument),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
