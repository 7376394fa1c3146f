/* State tables through the host: the session's registry (list_tables,
 * get_table with its key type check, add_table with libsinsp's checks), the
 * host's in-memory threads table (fields, dynamic fields, nested tables,
 * iteration, every writer function), a plugin's table served to another
 * plugin, the phases (a write kept from parse refused while extracting,
 * nothing allowed between calls of a plugin driven directly), vtable
 * pointers kept past the call that handed them over, and args/env lists.
 * The plugins are tabexp and tabimp (plugins/tabplug.c, raw ABI). The
 * refusals' wording was checked against real libsinsp (plughost) running the
 * same plugins: the same cases fail there too (libsinsp's own words are in
 * the comments). */
#include "host_extract.h"
#include "host_test.h"

static falco_host_plugin *tab_load(const char *variant)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/libtab%s.so", FALCO_HOST_TEST_PLUGIN_DIR, variant);
    falco_host_plugin *p = NULL;
    if (falco_host_plugin_load(path, &p) != FALCO_OK)
        fail_msg("%s", falco_host_errmsg(p));
    return p;
}

static void must_contain(const char *text, const char *part)
{
    if (!strstr(text, part))
        fail_msg("'%s' does not contain '%s'", text, part);
}

/* A session whose init of variant with config fails; returns the message. */
static void init_fails(const char *variant, const char *config, const char *part)
{
    falco_host_session *s;
    assert_int_equal(falco_host_session_new(0, &s), FALCO_OK);
    falco_host_plugin *p = tab_load(variant);
    assert_int_equal(falco_host_session_init(s, p, config), FALCO_ERROR);
    must_contain(falco_host_session_errmsg(s), part);
    /* nothing of it stays in the registry */
    assert_int_equal(falco_host_session_table_count(s), 1);
    assert_int_equal(falco_host_session_entries_held(s), 0);
    falco_host_session_free(s);
    falco_host_plugin_free(p);
}

static void test_outside_session(void **state)
{
    /* a plugin initialized alone sees no tables, as before sessions had them */
    falco_host_plugin *imp = tab_load("imp");
    assert_int_equal(falco_host_plugin_init(imp, ""), FALCO_ERROR);
    must_contain(falco_host_errmsg(imp), "get_table threads: get_table: no table named 'threads' (tables are shared "
                                         "by a session: initialize the plugin with falco_host_session_init)");
    falco_host_plugin_free(imp);
    /* add_table is checked and recorded */
    falco_host_plugin *exp = tab_load("exp");
    assert_int_equal(falco_host_plugin_init(exp, ""), FALCO_OK);
    assert_int_equal(falco_host_added_table_count(exp), 1);
    assert_string_equal(falco_host_added_table_name(exp, 0), "tabexp_counts");
    falco_host_plugin_free(exp);
}

static void test_get_table_refusals(void **state)
{
    /* libsinsp: "table in registry accessed with wrong key type: table='threads',
     * requested='uint64', actual='int64'" */
    init_fails("imp", "wrong_key",
               "get_table threads: get_table: table 'threads' accessed with wrong key type: requested uint64, "
               "actual int64");
    /* libsinsp: "incompatible data types for static field: comm" */
    init_fails("imp", "wrong_type",
               "get_table_field comm: table 'threads': get_table_field: field 'comm' has type string, requested "
               "uint64");
    /* libsinsp: "multiple definitions of dynamic field with different types in
     * struct: tabimp_seen, prevtype=uint64, newtype=string" */
    init_fails("imp", "dyn_conflict",
               "add_table_field tabimp_seen again: table 'threads': add_table_field: dynamic field 'tabimp_seen' "
               "already has type uint64, requested string");
}

static void test_add_table_refusals(void **state)
{
    const char *pre = "add_table: failure in adding state table '%s' defined by plugin 'tabexp': ";
    char want[512];
    /* libsinsp: "broken or inconsistent reader vtables" for the first two */
    snprintf(want, sizeof want, pre, "tabexp_counts");
    strcat(want, "broken or inconsistent reader vtables");
    init_fails("exp", "bad_reader", want);
    init_fails("exp", "null_release", want);
    snprintf(want, sizeof want, pre, "tabexp_counts");
    strcat(want, "broken or inconsistent writer vtables");
    init_fails("exp", "bad_writer", want);
    snprintf(want, sizeof want, pre, "tabexp_counts");
    strcat(want, "broken or inconsistent fields vtables");
    init_fails("exp", "bad_fields", want);
    /* libsinsp: "extended vtables must all be defined" */
    snprintf(want, sizeof want, pre, "tabexp_counts");
    strcat(want, "extended vtables must all be defined");
    init_fails("exp", "no_ext", want);
    /* libsinsp: "table added to registry multiple times: threads" */
    snprintf(want, sizeof want, pre, "threads");
    strcat(want, "a table with this name already exists");
    init_fails("exp", "dup", want);
    /* iterate_entries has no deprecated twin: any non-NULL function is fine */
    falco_host_session *s;
    assert_int_equal(falco_host_session_new(0, &s), FALCO_OK);
    falco_host_plugin *p = tab_load("exp");
    assert_int_equal(falco_host_session_init(s, p, "other_iter"), FALCO_OK);
    assert_int_equal(falco_host_session_table_count(s), 2);
    falco_host_session_free(s);
    falco_host_plugin_free(p);
}

static void test_session_init_rules(void **state)
{
    falco_host_session *s;
    assert_int_equal(falco_host_session_new(0, &s), FALCO_OK);
    falco_host_plugin *a = tab_load("exp"), *b = tab_load("exp");
    assert_int_equal(falco_host_plugin_init(b, ""), FALCO_OK);
    assert_int_equal(falco_host_session_init(s, b, ""), FALCO_EMISUSE);
    must_contain(falco_host_session_errmsg(s), "is already initialized: add it instead");
    assert_int_equal(falco_host_session_init(s, a, ""), FALCO_OK);
    /* the same name twice: refused as libsinsp's plugin manager does */
    assert_int_equal(falco_host_session_add(s, b), FALCO_EINVAL);
    falco_host_session_free(s);
    falco_host_plugin_free(a);
    falco_host_plugin_free(b);
}

/* A live stream of bare syscall events: tids 100, 100, 200, 999, 100, 200. */
typedef struct evstream {
    int at;
    uint8_t buf[26];
} evstream;

static const int64_t stream_tids[] = { 100, 100, 200, 999, 100, 200 };
#define EVT_TYPE 3

static falco_rc ev_next(void *u, const falco_abi_event **evt, char *err, size_t n)
{
    evstream *st = u;
    if (st->at == (int)(sizeof stream_tids / sizeof stream_tids[0]))
        return FALCO_EOF;
    uint64_t ts = 1000 + (uint64_t)st->at, tid = (uint64_t)stream_tids[st->at++];
    uint32_t len = 26, np = 0;
    uint16_t type = EVT_TYPE;
    memcpy(st->buf, &ts, 8);
    memcpy(st->buf + 8, &tid, 8);
    memcpy(st->buf + 16, &len, 4);
    memcpy(st->buf + 20, &type, 2);
    memcpy(st->buf + 22, &np, 4);
    *evt = (const falco_abi_event *)st->buf;
    return FALCO_OK;
}

static void add_thread(falco_host_session *s, int64_t tid, const char *comm, const char *args, size_t args_len)
{
    falco_host_thread t = { .tid = tid, .pid = tid, .comm = comm, .cwd = "/tmp", .args = args, .args_len = args_len };
    assert_int_equal(falco_host_threads_add(s, &t), FALCO_OK);
    falco_host_fd fd = { .fd = 3, .type = 1, .name = "/etc/passwd" };
    assert_int_equal(falco_host_threads_add_fd(s, tid, &fd), FALCO_OK);
}

/* A session whose threads table has thread 100 ("hundred"), with tabimp
 * initialized in it with config; the caller frees *imp after the session. */
static falco_host_session *imp_session(const char *config, falco_host_plugin **imp)
{
    falco_host_session *s;
    assert_int_equal(falco_host_session_new(0, &s), FALCO_OK);
    add_thread(s, 100, "hundred", NULL, 0);
    *imp = tab_load("imp");
    if (falco_host_session_init(s, *imp, config) != FALCO_OK)
        fail_msg("%s", falco_host_session_errmsg(s));
    return s;
}

/* st's events (stream_tids) as s's live syscall stream. */
static void open_events(falco_host_session *s, evstream *st)
{
    falco_host_stream stream = { .next = ev_next, .userdata = st, .source = "syscall", .live = true };
    assert_int_equal(falco_host_session_open_stream(s, &stream), FALCO_OK);
}

static void test_export_import_run(void **state)
{
    falco_host_session *s;
    assert_int_equal(falco_host_session_new(0, &s), FALCO_OK);
    add_thread(s, 100, "hundred", "a\0bb\0ccc", 9);
    add_thread(s, 200, "two", NULL, 0);
    /* the thread added again is replaced, nested tables included */
    add_thread(s, 200, "twohundred", "x", 2);

    falco_host_plugin *exp = tab_load("exp"), *imp = tab_load("imp");
    /* the importer before the exporter: no such table yet */
    falco_host_plugin *early = tab_load("imp");
    assert_int_equal(falco_host_session_init(s, early, "imp_exp"), FALCO_ERROR);
    must_contain(falco_host_session_errmsg(s), "get_table tabexp_counts: get_table: no table named 'tabexp_counts'");
    falco_host_plugin_free(early);

    assert_int_equal(falco_host_session_init(s, exp, ""), FALCO_OK);
    if (falco_host_session_init(s, imp, "imp_exp exercise nested") != FALCO_OK)
        fail_msg("%s", falco_host_session_errmsg(s));
    falco_abi_state_type kt;
    uint64_t size;
    assert_int_equal(falco_host_session_table_count(s), 2);
    assert_string_equal(falco_host_session_table(s, 1, &kt, &size), "tabexp_counts");
    assert_int_equal(kt, FALCO_ABI_ST_UINT64);
    assert_int_equal(size, UINT64_MAX);
    assert_null(falco_host_session_table(s, 2, NULL, NULL));

    evstream st = { 0 };
    open_events(s, &st);
    const falco_host_session_event *ev;
    falco_rc rc;
    uint64_t n = 0;
    while ((rc = falco_host_session_next(s, &ev)) == FALCO_OK)
        n++;
    assert_int_equal(rc, FALCO_EOF);
    assert_int_equal(n, 6);
    if (falco_host_session_parse_failures(s) != 0)
        fail_msg("parse failed: %s", falco_host_errmsg(imp));

    char b[4096];
    falco_abi_event_input in = { .evt = (const falco_abi_event *)st.buf, .evtnum = 6, .evtsrc = "syscall" };
    /* every field of threads and of its nested tables, names, types (state
     * type numbers) and read-only flags, sorted by name: libsinsp's answer to
     * the same plugin, recorded with
     *   plughost -p libtabimp.so -s curl_google.scap -n 1 -o '%tabimp.schema' */
    assert_string_equal(
        extract(imp, &in, "tabimp.schema", b, sizeof b),
        "threads{args:10:ro,cgroups:10:ro,comm:9,cwd:9:ro,env:10:ro,exe:9,exe_from_memfd:25,exe_ino:8,exe_ino_cti"
        "me:8,exe_ino_mtime:8,exe_lower_layer:25,exe_path:9,exe_upper_layer:25,exe_writable:25,fd_limit:4,file_de"
        "scriptors:10:ro,flags:7,gid:7,loginuid:7,pgid:4,pid:4,pidns_init_start_ts:8,ptid:4,reaper_tid:4,root:9,s"
        "id:4,tabimp_seen:8,tid:4,tty:7,uid:7,vpgid:4,vpid:4,vtid:4} file_descriptors{dev:7,fd:4,flags:7,ino:8,mo"
        "unt_id:7,name:9,name_raw:9,old_name:9,open_flags:7,pid:4,socket_ipv4_dest_dip:7,socket_ipv4_dst_port:6,s"
        "ocket_ipv4_l4_proto:5,socket_ipv4_server_ip:7,socket_ipv4_server_l4_proto:5,socket_ipv4_server_port:6,so"
        "cket_ipv4_src_ip:7,socket_ipv4_src_port:6,socket_ipv6_dest_ip_high:8,socket_ipv6_dest_ip_low:8,socket_ip"
        "v6_dst_port:6,socket_ipv6_l4_proto:5,socket_ipv6_server_ip_high:8,socket_ipv6_server_ip_low:8,socket_ipv"
        "6_server_l4_proto:5,socket_ipv6_server_port:6,socket_ipv6_src_ip_high:8,socket_ipv6_src_ip_low:8,socket_"
        "ipv6_src_port:6,socket_unix_dest:8,socket_unix_src:8,type:5} args{value:9} env{value:9} cgroups{first:9,"
        "second:9} ");
    /* list_tables at the importer's init: both, with their key types */
    assert_string_equal(extract(imp, &in, "tabimp.tables", b, sizeof b), "threads:4,tabexp_counts:8");
    /* a dynamic field written while parsing, read while extracting */
    assert_string_equal(extract(imp, &in, "tabimp.seen[100]", b, sizeof b), "3");
    assert_string_equal(extract(imp, &in, "tabimp.seen[200]", b, sizeof b), "2");
    /* the exporter's table, read by the importer through the host */
    assert_string_equal(extract(imp, &in, "tabimp.expcount[3]", b, sizeof b), "6");
    assert_string_equal(extract(exp, &in, "tabexp.count[3]", b, sizeof b), "6");
    assert_string_equal(extract(imp, &in, "tabimp.expcount[4]", b, sizeof b), "0");
    /* static fields, nested tables (args iterated, fds by key) */
    assert_string_equal(extract(imp, &in, "tabimp.comm[200]", b, sizeof b), "twohundred");
    assert_string_equal(extract(imp, &in, "tabimp.args[100]", b, sizeof b), "a bb ccc");
    assert_string_equal(extract(imp, &in, "tabimp.args[200]", b, sizeof b), "x");
    assert_string_equal(extract(imp, &in, "tabimp.cwd[100]", b, sizeof b), "/tmp/");
    assert_string_equal(extract(imp, &in, "tabimp.nfds[200]", b, sizeof b), "1");
    assert_string_equal(extract(imp, &in, "tabimp.fdname[100:3]", b, sizeof b), "/etc/passwd");
    assert_string_equal(extract(imp, &in, "tabimp.fdtype[100:3]", b, sizeof b), "1");
    assert_string_equal(extract(imp, &in, "tabimp.fdname[100:4]", b, sizeof b), "<NA>");
    /* iteration stopped by the callback after 2 entries */
    assert_string_equal(extract(imp, &in, "tabimp.iter2", b, sizeof b), "visited=2 all=0");
    assert_string_equal(extract(imp, &in, "tabimp.nthreads", b, sizeof b), "3");
    /* get_table_name, list_table_fields (32 static fields, then the dynamic
     * one) at init; every writer function while parsing the first event.
     * libsinsp (plughost -p 'libtabimp.so|exercise' -s curl_google.scap -o
     * '%tabimp.exercise') answers: name=threads fields=33 last=tabimp_seen:8
     * same=1 create=1 write=0 add=1 read=0:made write_ro=1 [attempt to write to
     * read-only static struct field: cwd] size=55 erase=0 erase_again=1 [table
     * entry not found] get_missing=0 [get_entry found no element at given key] */
    assert_string_equal(extract(imp, &in, "tabimp.exercise", b, sizeof b),
                        "name=threads fields=33 last=tabimp_seen:8 same=1 "
                        "create=1 write=0 add=1 read=0:made write_ro=1 [table 'threads': write_entry_field: field "
                        "'cwd' is read-only] size=3 erase=0 erase_again=1 [table 'threads': erase_table_entry: "
                        "table entry not found] get_missing=0 [table 'threads': get_table_entry: no entry with key "
                        "4000000] args=2 clear=0 args=0 ");
    /* the writer kept from parse, used while extracting: refused, table intact
     * (libsinsp lets it through and empties the table) */
    assert_string_equal(extract(imp, &in, "tabimp.stale_write", b, sizeof b),
                        "rc=1 [table 'threads': clear_table: not allowed while extracting (tables are read-only in "
                        "this phase)] size=3");
    /* misused handles: a NULL entry, another table's field or entry, a
     * made-up field, a fields vtable kept from init (adding refused, getting
     * fine), an added entry destroyed (while parsing), and a table call from
     * a thread the host is not calling into (refused, UINT64_MAX) */
    assert_string_equal(extract(imp, &in, "tabimp.edges", b, sizeof b),
                        "destroy_added=[table 'threads': destroy_table_entry: the entry was added to the table "
                        "(release it instead)] null_entry=1 [table 'threads': read_entry_field: NULL entry] "
                        "foreign_field=1 [table 'threads': read_entry_field: the field belongs to another table] "
                        "bogus_field=1 [table 'threads': read_entry_field: not a field handle] foreign_entry=1 "
                        "[table 'file_descriptors': read_entry_field: the entry belongs to another table] "
                        "add_field=0 [table 'threads': add_table_field: not allowed while extracting (tables are "
                        "read-only in this phase)] get_field=1 other_thread_size=18446744073709551615");
    assert_int_equal(falco_host_session_entries_held(s), 0);
    assert_int_equal(falco_host_session_close(s), FALCO_OK);
    falco_host_session_free(s);
    falco_host_plugin_free(imp);
    falco_host_plugin_free(exp);
}

/* A plugin of API 3.0 had no _ext vtables: its table is served from the
 * deprecated ones, iteration visiting nothing (libsinsp's no-op). */
static void test_api_3_0_exporter(void **state)
{
    falco_host_session *s;
    assert_int_equal(falco_host_session_new(0, &s), FALCO_OK);
    add_thread(s, 100, "hundred", NULL, 0);
    falco_host_plugin *old = tab_load("old"), *imp = tab_load("imp");
    if (falco_host_session_init(s, old, "") != FALCO_OK)
        fail_msg("%s", falco_host_session_errmsg(s));
    assert_int_equal(falco_host_session_init(s, imp, "imp_exp"), FALCO_OK);
    evstream st = { 0 };
    open_events(s, &st);
    const falco_host_session_event *ev;
    while (falco_host_session_next(s, &ev) == FALCO_OK)
        ;
    char b[64];
    falco_abi_event_input in = { .evt = (const falco_abi_event *)st.buf, .evtnum = 6, .evtsrc = "syscall" };
    assert_string_equal(extract(imp, &in, "tabimp.expcount[3]", b, sizeof b), "6");
    falco_host_session_free(s);
    falco_host_plugin_free(imp);
    falco_host_plugin_free(old);
}

/* An entry a plugin never releases: counted, kept alive when its thread is
 * replaced, freed with the session (valgrind and ASan runs check that). */
static void test_entry_held_at_free(void **state)
{
    falco_host_plugin *imp;
    falco_host_session *s = imp_session("hold", &imp);
    evstream st = { 0 };
    open_events(s, &st);
    const falco_host_session_event *ev;
    assert_int_equal(falco_host_session_next(s, &ev), FALCO_OK);
    assert_int_equal(falco_host_session_entries_held(s), 1);
    /* the thread replaced under the plugin's feet: the held entry lives on */
    add_thread(s, 100, "again", NULL, 0);
    assert_int_equal(falco_host_session_next(s, &ev), FALCO_OK);
    char b[64];
    assert_string_equal(extract(imp, &ev->input, "tabimp.comm[100]", b, sizeof b), "again");
    assert_int_equal(falco_host_session_entries_held(s), 1);
    falco_host_session_free(s);
    falco_host_plugin_free(imp);
}

/* An entry of a nested table a plugin holds (fd 3 of thread 100, the
 * thread itself released) keeps its thread alive when the thread is
 * replaced, nested tables and the plugin's handle to its fds included; the
 * release frees them (ASan and valgrind runs check that). Without it the
 * read is a use after free, which the handle checks refuse at best. */
static void test_nested_entry_outlives_parent(void **state)
{
    falco_host_plugin *imp;
    falco_host_session *s = imp_session("hold_fd", &imp);
    evstream st = { 0 };
    open_events(s, &st);
    const falco_host_session_event *ev;
    assert_int_equal(falco_host_session_next(s, &ev), FALCO_OK);
    assert_int_equal(falco_host_session_entries_held(s), 1);
    /* thread 100 replaced: the old one leaves the table, its fd table with it */
    falco_host_thread t = { .tid = 100, .pid = 100, .comm = "again" };
    assert_int_equal(falco_host_threads_add(s, &t), FALCO_OK);
    assert_int_equal(falco_host_session_next(s, &ev), FALCO_OK);
    char b[64];
    assert_string_equal(extract(imp, &ev->input, "tabimp.comm[100]", b, sizeof b), "again");
    assert_string_equal(extract(imp, &ev->input, "tabimp.nfds[100]", b, sizeof b), "0");
    assert_string_equal(extract(imp, &ev->input, "tabimp.heldfd", b, sizeof b), "/etc/passwd");
    assert_int_equal(falco_host_session_entries_held(s), 0);
    assert_string_equal(extract(imp, &ev->input, "tabimp.heldfd", b, sizeof b), "none");
    falco_host_session_free(s);
    falco_host_plugin_free(imp);
}

/* A plugin keeps the vtable pointers the host hands over (the init tables
 * input's reader_ext and fields_ext, an extraction's table_reader_ext) and
 * uses them in later calls, as SDKs do: they must still be the host's
 * (libsinsp's live as long as the plugin). Run under ASan, pointers into
 * the host's dead stack frames fail as stack-use-after-return. The plugin is
 * driven directly, not through the session: each call's window closes with
 * the call, so set_config (which gets no vtables) cannot write through the
 * writer kept from parse, nor read through the reader kept from extraction. */
static void test_vtables_kept(void **state)
{
    falco_host_plugin *imp;
    falco_host_session *s = imp_session("keep", &imp);
    evstream st = { 0 };
    const falco_abi_event *e;
    assert_int_equal(ev_next(&st, &e, NULL, 0), FALCO_OK); /* tid 100 */
    falco_abi_event_input in = { .evt = e, .evtnum = 1, .evtsrc = "syscall" };
    char b[1024];
    assert_int_equal(falco_host_parse(imp, &in), FALCO_OK);
    assert_int_equal(falco_host_plugin_set_config(imp, "{}"), FALCO_OK);
    extract(imp, &in, "tabimp.kept", b, sizeof b);
    assert_int_equal(falco_host_plugin_set_config(imp, "{}"), FALCO_OK);
    assert_int_equal(falco_host_parse(imp, &in), FALCO_OK);
    assert_string_equal(extract(imp, &in, "tabimp.kept", b, sizeof b),
                        "parse:init_same=1 size=1 field=1; "
                        "set_config: clear=1; "
                        "extract:init_same=1 size=1 field=1; "
                        "set_config: clear=1 size=18446744073709551615; "
                        "parse:init_same=1 size=1 field=1 extract_same=1 size=1; "
                        "extract:init_same=1 size=1 field=1 extract_same=1 size=1; ");
    /* the refused clear left the thread there */
    assert_string_equal(extract(imp, &in, "tabimp.seen[100]", b, sizeof b), "2");
    assert_int_equal(falco_host_session_entries_held(s), 0);
    falco_host_session_free(s);
    falco_host_plugin_free(imp);
}

/* libsinsp drops one trailing NUL of args and env before splitting them: a
 * lone NUL is no string at all (sshd, tid 3111 of curl_google.scap, has
 * args "\0": plughost -T list shows its args table empty), two NULs are two
 * empty strings. */
static void test_list_nuls(void **state)
{
    falco_host_session *s;
    assert_int_equal(falco_host_session_new(0, &s), FALCO_OK);
    static const struct {
        int64_t tid;
        const char *env;
        size_t len;
        const char *want;
    } cases[] = { { 7, "", 1, "0" }, { 8, "\0", 2, "2" }, { 9, "a", 1, "1" }, { 10, "a\0", 2, "1" }, { 11, NULL, 0, "0" } };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        falco_host_thread t = { .tid = cases[i].tid, .pid = cases[i].tid, .comm = "x", .env = cases[i].env,
                                .env_len = cases[i].len, .args = cases[i].env, .args_len = cases[i].len };
        assert_int_equal(falco_host_threads_add(s, &t), FALCO_OK);
    }
    falco_host_plugin *imp = tab_load("imp");
    assert_int_equal(falco_host_session_init(s, imp, ""), FALCO_OK);
    evstream st = { 0 };
    const falco_abi_event *e;
    assert_int_equal(ev_next(&st, &e, NULL, 0), FALCO_OK);
    falco_abi_event_input in = { .evt = e, .evtnum = 1, .evtsrc = "syscall" };
    char b[64], expr[64];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(expr, sizeof expr, "tabimp.nenv[%lld]", (long long)cases[i].tid);
        assert_string_equal(extract(imp, &in, expr, b, sizeof b), cases[i].want);
    }
    falco_host_session_free(s);
    falco_host_plugin_free(imp);
}

static void collect(void *userdata, const char *json, size_t len)
{
    char *out = userdata;
    size_t used = strlen(out);
    assert_int_equal(strlen(json), len);
    snprintf(out + used, 4096 - used, "%s\n", json);
}

/* The host's own read of its tables (falcoplug run --tables): fields,
 * sizes (a plugin's table asked for its own), entries as JSON objects with
 * the fields sorted by name and nested tables inline; bad indexes refused. */
static void test_table_dump(void **state)
{
    falco_host_session *s;
    assert_int_equal(falco_host_session_new(0, &s), FALCO_OK);
    add_thread(s, 100, "hundred", "a\0b", 4);
    falco_host_plugin *exp = tab_load("exp");
    assert_int_equal(falco_host_session_init(s, exp, ""), FALCO_OK);
    uint32_t n = 7;
    assert_null(falco_host_session_table_fields(s, 2, &n));
    assert_int_equal(n, 0);
    must_contain(falco_host_session_errmsg(s), "no table #2");
    assert_int_equal(falco_host_session_table_entries(s, 2, 0, NULL, NULL, NULL), FALCO_EINVAL);
    assert_int_equal(falco_host_session_table_entries(s, 0, 1, NULL, NULL, NULL), FALCO_EINVAL);
    const falco_abi_table_fieldinfo *fi = falco_host_session_table_fields(s, 0, &n);
    assert_non_null(fi);
    assert_int_equal(n, 32); /* libsinsp's static fields, no dynamic one yet */
    assert_string_equal(fi[0].name, "tid");
    uint64_t size = 0;
    assert_int_equal(falco_host_session_table_entries(s, 0, 0, &size, NULL, NULL), FALCO_OK);
    assert_int_equal(size, 1);
    char out[4096] = "";
    assert_int_equal(falco_host_session_table_entries(s, 0, 5, &size, collect, out), FALCO_OK);
    must_contain(out, "{\"args\":{\"name\":\"args\",\"key_type\":\"uint64\",\"size\":2,\"entries\":[{\"value\":\"a\"},"
                      "{\"value\":\"b\"}]},\"cgroups\":");
    must_contain(out, "\"comm\":\"hundred\",\"cwd\":\"/tmp/\",");
    must_contain(out, "\"file_descriptors\":{\"name\":\"file_descriptors\",\"key_type\":\"int64\",\"size\":1,"
                      "\"entries\":[{\"dev\":0,\"fd\":3,\"flags\":1,");
    assert_non_null(strchr(out, '\n'));
    assert_null(strchr(strchr(out, '\n') + 1, '\n')); /* one entry, one line */
    /* the exporter's table: its own size (0 before any event), its field */
    assert_int_equal(falco_host_session_table_entries(s, 1, 0, &size, NULL, NULL), FALCO_OK);
    assert_int_equal(size, 0);
    fi = falco_host_session_table_fields(s, 1, &n);
    assert_int_equal(n, 1);
    assert_string_equal(fi[0].name, "count");
    assert_int_equal(falco_host_session_entries_held(s), 0);
    falco_host_session_free(s);
    falco_host_plugin_free(exp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_outside_session),
        cmocka_unit_test(test_get_table_refusals),
        cmocka_unit_test(test_add_table_refusals),
        cmocka_unit_test(test_session_init_rules),
        cmocka_unit_test(test_export_import_run),
        cmocka_unit_test(test_entry_held_at_free),
        cmocka_unit_test(test_nested_entry_outlives_parent),
        cmocka_unit_test(test_api_3_0_exporter),
        cmocka_unit_test(test_vtables_kept),
        cmocka_unit_test(test_list_nuls),
        cmocka_unit_test(test_table_dump),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
