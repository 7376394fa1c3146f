/* RFC 6901 JSON pointers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <falco/json.h>

static falco_json_doc *doc;
static const falco_json_value *root;

/* The example document of RFC 6901 section 5, plus nesting. */
static const char text[] =
    "{\"foo\":[\"bar\",\"baz\"],\"\":0,\"a/b\":1,\"c%d\":2,\"e^f\":3,\"g|h\":4,\"i\\\\j\":5,"
    "\"k\\\"l\":6,\" \":7,\"m~n\":8,\"deep\":{\"list\":[10,{\"x\":[11,12]}]},\"dup\":1,\"dup\":2,"
    "\"01\":\"key01\"}";

static int setup(void **state)
{
    (void)state;
    doc = falco_json_doc_new();
    root = falco_json_parse(doc, text, strlen(text), NULL);
    return root ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    falco_json_doc_free(doc);
    return 0;
}

static int64_t int_at(const char *pointer)
{
    int64_t v = -1;
    const falco_json_value *found = falco_json_pointer(root, pointer);
    assert_non_null(found);
    assert_true(falco_json_i64(found, &v));
    return v;
}

static void test_rfc6901_examples(void **state)
{
    (void)state;
    assert_ptr_equal(falco_json_pointer(root, ""), root);
    assert_int_equal(falco_json_size(falco_json_pointer(root, "/foo")), 2);
    assert_string_equal(falco_json_string(falco_json_pointer(root, "/foo/0"), NULL), "bar");
    assert_int_equal(int_at("/"), 0);
    assert_int_equal(int_at("/a~1b"), 1);
    assert_int_equal(int_at("/c%d"), 2);
    assert_int_equal(int_at("/e^f"), 3);
    assert_int_equal(int_at("/g|h"), 4);
    assert_int_equal(int_at("/i\\j"), 5);
    assert_int_equal(int_at("/k\"l"), 6);
    assert_int_equal(int_at("/ "), 7);
    assert_int_equal(int_at("/m~0n"), 8);
}

static void test_nested_and_duplicates(void **state)
{
    (void)state;
    assert_int_equal(int_at("/deep/list/0"), 10);
    assert_int_equal(int_at("/deep/list/1/x/1"), 12);
    assert_int_equal(int_at("/dup"), 2); /* the last duplicate wins */
    /* on an object, "01" is a key, not an index */
    assert_string_equal(falco_json_string(falco_json_pointer(root, "/01"), NULL), "key01");
}

static void test_absent_and_malformed(void **state)
{
    (void)state;
    assert_null(falco_json_pointer(root, "foo"));          /* no leading '/' */
    assert_null(falco_json_pointer(root, "/nope"));
    assert_null(falco_json_pointer(root, "/foo/2"));        /* past the end */
    assert_null(falco_json_pointer(root, "/foo/-"));        /* "-" names no existing item */
    assert_null(falco_json_pointer(root, "/foo/01"));       /* leading zero */
    assert_null(falco_json_pointer(root, "/foo/+1"));
    assert_null(falco_json_pointer(root, "/foo/1x"));
    assert_null(falco_json_pointer(root, "/foo/"));         /* empty index */
    assert_null(falco_json_pointer(root, "/foo/99999999999999999999999"));
    assert_null(falco_json_pointer(root, "/foo/0/x"));      /* into a string */
    assert_null(falco_json_pointer(root, "/m~2n"));         /* bad escape */
    assert_null(falco_json_pointer(root, "/m~"));           /* truncated escape */
    assert_null(falco_json_pointer(root, "/a/b"));          /* '/' splits: not "a/b" */
    assert_null(falco_json_pointer(NULL, ""));
    assert_null(falco_json_pointer(root, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc6901_examples),
        cmocka_unit_test(test_nested_and_duplicates),
        cmocka_unit_test(test_absent_and_malformed),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
