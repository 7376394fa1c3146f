/* The host's `threads` table built from a real capture's process and fd
 * lists and kept up to date from its events, read by a plugin (tabimp, raw
 * ABI) the way it reads libsinsp's.
 *
 * The expected values are real libsinsp's: the same libtabimp.so run by
 * plughost over the same capture, printing its fields at the last event:
 *
 *   plughost -p libtabimp.so -s curl_google.scap -o "tid=$tid comm=%tabimp.comm[$tid]
 *     exe=%tabimp.exe[$tid] cwd=%tabimp.cwd[$tid] pid=%tabimp.pid[$tid] ptid=%tabimp.ptid[$tid]
 *     vtid=%tabimp.vtid[$tid] vpid=%tabimp.vpid[$tid] uid=%tabimp.uid[$tid] gid=%tabimp.gid[$tid]
 *     args=(%tabimp.args[$tid]) nenv=%tabimp.nenv[$tid] nfds=%tabimp.nfds[$tid] seen=%tabimp.seen[$tid]"
 *   plughost -p libtabimp.so -s curl_google.scap -o "%tabimp.fdname[17496:5] %tabimp.fdtype[17496:5]
 *     %tabimp.fdname[17496:7] %tabimp.fdtype[17496:7] %tabimp.fdname[1:70] %tabimp.fdtype[1:70] %tabimp.nthreads"
 *
 * (plughost of /work/shared/realhost: libs 48dfd53, plugin API 3.12.0.) The
 * table is the same right after open (-T list --tables-at open): this
 * capture's events change no thread of the process list.
 *
 * The session reads the capture through libfalcocapture's converter: the
 * events libscap hands libsinsp, numbered as libsinsp numbers them (991, of
 * which it returns 939: plughost -p libtabimp.so -s curl_google.scap -q
 * says Events: 939). */
#include <inttypes.h>
#include <stdlib.h>

#include <falco/json.h>

#include "capture_stream.h"
#include "capture_threads.h"
#include "host_extract.h"
#include "host_test.h"

static const char *const expected[] = {
    "tid=17496 comm=sysdig exe=sysdig cwd=/home/ubuntu/ pid=17496 ptid=17495 vtid=17496 vpid=17496 uid=0 gid=0 "
    "args=(-zw curl.scap proc.name=curl) nenv=14 nfds=8 seen=9",
    "tid=17495 comm=sudo exe=sudo cwd=/home/ubuntu/ pid=17495 ptid=3200 vtid=17495 vpid=17495 uid=0 gid=1000 "
    "args=(sysdig -zw curl.scap proc.name=curl) nenv=20 nfds=7 seen=0",
    "tid=8671 comm=gdbus exe=/usr/lib/policykit-1/polkitd cwd= pid=8667 ptid=1 vtid=8671 vpid=8667 uid=0 gid=0 "
    "args=(--no-debug) nenv=0 nfds=10 seen=0",
    "tid=3200 comm=bash exe=-bash cwd=/home/ubuntu/ pid=3200 ptid=3199 vtid=3200 vpid=3200 uid=1000 gid=1000 "
    "args=() nenv=13 nfds=4 seen=9",
    "tid=1 comm=systemd exe=/sbin/init cwd=/ pid=1 ptid=0 vtid=1 vpid=1 uid=0 gid=0 args=() nenv=9 nfds=53 seen=9",
};
static const char *const expected_fds = "/home/ubuntu/curl.scap 1 /proc/17496/fd 2 /run/systemd/initctl/fifo 7 54";

/* The capture's process and fd lists into the session's threads table,
 * through the helper `falcoplug run --capture` uses. */
static void fill_threads(falco_host_session *s, falco_capture_reader *r)
{
    const falco_capture_metadata *m = falco_capture_get_metadata(r);
    assert_int_equal(m->process_count, 54);
    if (capture_threads_fill(s, m) != FALCO_OK)
        fail_msg("%s", falco_host_session_errmsg(s));
}

/* tabimp (raw ABI) loaded and initialized in s; the caller frees it after s. */
static falco_host_plugin *add_tabimp(falco_host_session *s)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/libtabimp.so", FALCO_HOST_TEST_PLUGIN_DIR);
    falco_host_plugin *imp = NULL;
    assert_int_equal(falco_host_plugin_load(path, &imp), FALCO_OK);
    if (falco_host_session_init(s, imp, "") != FALCO_OK)
        fail_msg("%s", falco_host_session_errmsg(s));
    return imp;
}

/* A session over curl_google as libsinsp opens it: the capture's lists in
 * the threads table, tabimp added (in *imp), the events streamed through
 * cs. */
static falco_host_session *curl_session(capstream *cs, falco_host_plugin **imp)
{
    falco_capture_reader *r = capstream_reader(FALCO_TEST_CAPTURE);
    falco_host_session *s;
    assert_int_equal(falco_host_session_new(0, &s), FALCO_OK);
    fill_threads(s, r);
    *imp = add_tabimp(s);
    capstream_open(s, cs, r);
    return s;
}

/* Every entry the plugin got was released; s freed, then imp. */
static void end_session(falco_host_session *s, falco_host_plugin *imp)
{
    assert_int_equal(falco_host_session_entries_held(s), 0);
    falco_host_session_free(s);
    falco_host_plugin_free(imp);
}

static void test_threads_from_capture(void **state)
{
    falco_capture_reader *r = capstream_reader(FALCO_TEST_CAPTURE);
    falco_host_session *s;
    assert_int_equal(falco_host_session_new(0, &s), FALCO_OK);
    fill_threads(s, r);
    falco_abi_state_type kt;
    uint64_t size;
    assert_string_equal(falco_host_session_table(s, 0, &kt, &size), "threads");
    assert_int_equal(kt, FALCO_ABI_ST_INT64);
    assert_int_equal(size, 54);

    falco_host_plugin *imp = add_tabimp(s);

    capstream cs;
    capstream_open(s, &cs, r);
    const falco_host_session_event *ev;
    falco_rc rc;
    uint64_t n = 0, shown = 0;
    falco_abi_event_input last = { 0 };
    static uint8_t last_copy[65536];
    while ((rc = falco_host_session_next(s, &ev)) == FALCO_OK) {
        n++;
        assert_int_equal(ev->input.evtnum, cs.last.evtnum); /* libsinsp's evt.num */
        shown += cs.last.shown;
        uint32_t len;
        memcpy(&len, (const uint8_t *)ev->input.evt + 16, 4);
        assert_true(len <= sizeof last_copy);
        memcpy(last_copy, ev->input.evt, len);
        last = ev->input;
        last.evt = (const falco_abi_event *)last_copy;
    }
    assert_int_equal(rc, FALCO_EOF);
    assert_int_equal(falco_host_session_parse_failures(s), 0);
    assert_int_equal(n, 991);
    assert_int_equal(shown, 939); /* plughost: Events: 939 */

    /* what libsinsp shows for the same fields, at the last event */
    static const int64_t tids[] = { 17496, 17495, 8671, 3200, 1 };
    for (size_t i = 0; i < sizeof tids / sizeof tids[0]; i++) {
        char line[4096] = "", b[2048], expr[128];
        static const char *const names[] = { "comm", "exe", "cwd", "pid", "ptid", "vtid", "vpid",
                                             "uid", "gid", "args", "nenv", "nfds", "seen" };
        snprintf(line, sizeof line, "tid=%lld", (long long)tids[i]);
        for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
            snprintf(expr, sizeof expr, "tabimp.%s[%lld]", names[k], (long long)tids[i]);
            extract(imp, &last, expr, b, sizeof b);
            size_t used = strlen(line);
            if (strcmp(names[k], "args") == 0)
                snprintf(line + used, sizeof line - used, " args=(%s)", strcmp(b, "<NA>") ? b : "");
            else
                snprintf(line + used, sizeof line - used, " %s=%s", names[k], b);
        }
        assert_string_equal(line, expected[i]);
    }
    char fds[1024], b[512];
    snprintf(fds, sizeof fds, "%s", extract(imp, &last, "tabimp.fdname[17496:5]", b, sizeof b));
    static const char *const more[] = { "tabimp.fdtype[17496:5]", "tabimp.fdname[17496:7]", "tabimp.fdtype[17496:7]",
                                        "tabimp.fdname[1:70]", "tabimp.fdtype[1:70]", "tabimp.nthreads" };
    for (size_t k = 0; k < sizeof more / sizeof more[0]; k++) {
        size_t used = strlen(fds);
        snprintf(fds + used, sizeof fds - used, " %s", extract(imp, &last, more[k], b, sizeof b));
    }
    assert_string_equal(fds, expected_fds);
    /* sockets, named as libsinsp names them (plughost -T list --table threads
     * shows the same names, and types 3 ipv4, 5 ipv4 server, 6 ipv6 server):
     * sshd's connection turned around, port 22 being a local server's */
    static const char *const socks[][2] = {
        { "tabimp.fdname[3111:3]", "50.207.137.246:63740->10.0.0.79:22" }, { "tabimp.fdtype[3111:3]", "3" },
        { "tabimp.fdname[1397:3]", "0.0.0.0:22" },  { "tabimp.fdtype[1397:3]", "5" },
        { "tabimp.fdname[1397:4]", ":::22" },       { "tabimp.fdtype[1397:4]", "6" },
        { "tabimp.fdname[1182:5]", "fe80::ceb:feff:fe7d:6f7e:546" }, { "tabimp.fdname[980:6]", "0.0.0.0:68" },
    };
    for (size_t k = 0; k < sizeof socks / sizeof socks[0]; k++)
        assert_string_equal(extract(imp, &last, socks[k][0], b, sizeof b), socks[k][1]);
    /* a tid the table does not have: no value, no error */
    assert_string_equal(extract(imp, &last, "tabimp.comm[999999]", b, sizeof b), "<NA>");

    /* every entry the plugin got was released */
    assert_int_equal(falco_host_session_entries_held(s), 0);
    assert_int_equal(falco_host_session_close(s), FALCO_OK);
    falco_host_session_free(s);
    falco_host_plugin_free(imp);
}

/* The table kept up to date from the capture's events: curl (17497) execs,
 * opens and closes files and sockets, clones a thread (17498), and both
 * exit. libsinsp's values at 11 events (by timestamp), one plughost run per
 * field (plughost prints nothing after a field without value, so "" and no
 * value both read <NA> here):
 *
 *   plughost -p libtabimp.so -s curl_google.scap -o "%evt.rawtime %tabimp.comm[17497]"
 *   ... and so on for each expression of event_exprs */
static const char *const event_exprs[] = {
    "tabimp.comm[17497]", "tabimp.pid[17497]", "tabimp.ptid[17497]", "tabimp.vtid[17497]", "tabimp.uid[17497]",
    "tabimp.args[17497]", "tabimp.nenv[17497]", "tabimp.nfds[17497]", "tabimp.fdname[17497:3]",
    "tabimp.fdtype[17497:3]", "tabimp.fdtype[17497:4]", "tabimp.comm[17498]", "tabimp.pid[17498]",
    "tabimp.ptid[17498]", "tabimp.vtid[17498]", "tabimp.vpid[17498]", "tabimp.uid[17498]", "tabimp.gid[17498]",
    "tabimp.args[17498]", "tabimp.nenv[17498]", "tabimp.nfds[17498]", "tabimp.cwd[17498]", "tabimp.nthreads",
};

static const struct {
    uint64_t ts;
    const char *want;
} at_events[] = {
    { 1534527348514632619ULL,
      "comm[17497]=curl pid[17497]=17497 ptid[17497]=3200 vtid[17497]=17497 uid[17497]=4294967295 args[1749"
      "7]=-6 http://www.google.com nenv[17497]=20 nfds[17497]=0 fdname[17497:3]=<NA> fdtype[17497:3]=<NA> f"
      "dtype[17497:4]=<NA> comm[17498]=<NA> pid[17498]=<NA> ptid[17498]=<NA> vtid[17498]=<NA> vpid[17498]=<"
      "NA> uid[17498]=<NA> gid[17498]=<NA> args[17498]=<NA> nenv[17498]=<NA> nfds[17498]=<NA> cwd[17498]=<N"
      "A> nthreads=55" },
    { 1534527348514682170ULL,
      "comm[17497]=curl pid[17497]=17497 ptid[17497]=3200 vtid[17497]=17497 uid[17497]=4294967295 args[1749"
      "7]=-6 http://www.google.com nenv[17497]=20 nfds[17497]=1 fdname[17497:3]=/etc/ld.so.cache fdtype[174"
      "97:3]=16 fdtype[17497:4]=<NA> comm[17498]=<NA> pid[17498]=<NA> ptid[17498]=<NA> vtid[17498]=<NA> vpi"
      "d[17498]=<NA> uid[17498]=<NA> gid[17498]=<NA> args[17498]=<NA> nenv[17498]=<NA> nfds[17498]=<NA> cwd"
      "[17498]=<NA> nthreads=55" },
    { 1534527348514689590ULL,
      "comm[17497]=curl pid[17497]=17497 ptid[17497]=3200 vtid[17497]=17497 uid[17497]=4294967295 args[1749"
      "7]=-6 http://www.google.com nenv[17497]=20 nfds[17497]=1 fdname[17497:3]=/etc/ld.so.cache fdtype[174"
      "97:3]=16 fdtype[17497:4]=<NA> comm[17498]=<NA> pid[17498]=<NA> ptid[17498]=<NA> vtid[17498]=<NA> vpi"
      "d[17498]=<NA> uid[17498]=<NA> gid[17498]=<NA> args[17498]=<NA> nenv[17498]=<NA> nfds[17498]=<NA> cwd"
      "[17498]=<NA> nthreads=55" },
    { 1534527348514693293ULL,
      "comm[17497]=curl pid[17497]=17497 ptid[17497]=3200 vtid[17497]=17497 uid[17497]=4294967295 args[1749"
      "7]=-6 http://www.google.com nenv[17497]=20 nfds[17497]=0 fdname[17497:3]=<NA> fdtype[17497:3]=<NA> f"
      "dtype[17497:4]=<NA> comm[17498]=<NA> pid[17498]=<NA> ptid[17498]=<NA> vtid[17498]=<NA> vpid[17498]=<"
      "NA> uid[17498]=<NA> gid[17498]=<NA> args[17498]=<NA> nenv[17498]=<NA> nfds[17498]=<NA> cwd[17498]=<N"
      "A> nthreads=55" },
    { 1534527348518851051ULL,
      "comm[17497]=curl pid[17497]=17497 ptid[17497]=3200 vtid[17497]=17497 uid[17497]=4294967295 args[1749"
      "7]=-6 http://www.google.com nenv[17497]=20 nfds[17497]=2 fdname[17497:3]=/dev/urandom fdtype[17497:3"
      "]=16 fdtype[17497:4]=4 comm[17498]=<NA> pid[17498]=<NA> ptid[17498]=<NA> vtid[17498]=<NA> vpid[17498"
      "]=<NA> uid[17498]=<NA> gid[17498]=<NA> args[17498]=<NA> nenv[17498]=<NA> nfds[17498]=<NA> cwd[17498]"
      "=<NA> nthreads=55" },
    { 1534527348518862906ULL,
      "comm[17497]=curl pid[17497]=17497 ptid[17497]=3200 vtid[17497]=17497 uid[17497]=4294967295 args[1749"
      "7]=-6 http://www.google.com nenv[17497]=20 nfds[17497]=1 fdname[17497:3]=/dev/urandom fdtype[17497:3"
      "]=16 fdtype[17497:4]=<NA> comm[17498]=<NA> pid[17498]=<NA> ptid[17498]=<NA> vtid[17498]=<NA> vpid[17"
      "498]=<NA> uid[17498]=<NA> gid[17498]=<NA> args[17498]=<NA> nenv[17498]=<NA> nfds[17498]=<NA> cwd[174"
      "98]=<NA> nthreads=55" },
    { 1534527348518881735ULL,
      "comm[17497]=curl pid[17497]=17497 ptid[17497]=3200 vtid[17497]=17497 uid[17497]=4294967295 args[1749"
      "7]=-6 http://www.google.com nenv[17497]=20 nfds[17497]=1 fdname[17497:3]=/dev/urandom fdtype[17497:3"
      "]=16 fdtype[17497:4]=<NA> comm[17498]=curl pid[17498]=17497 ptid[17498]=3200 vtid[17498]=17498 vpid["
      "17498]=17497 uid[17498]=1000 gid[17498]=1000 args[17498]=-6 http://www.google.com nenv[17498]=0 nfds"
      "[17498]=1 cwd[17498]=<NA> nthreads=56" },
    { 1534527348518927478ULL,
      "comm[17497]=curl pid[17497]=17497 ptid[17497]=3200 vtid[17497]=17497 uid[17497]=4294967295 args[1749"
      "7]=-6 http://www.google.com nenv[17497]=20 nfds[17497]=2 fdname[17497:3]=/dev/urandom fdtype[17497:3"
      "]=16 fdtype[17497:4]=8 comm[17498]=curl pid[17498]=17497 ptid[17498]=3200 vtid[17498]=17498 vpid[174"
      "98]=17497 uid[17498]=1000 gid[17498]=1000 args[17498]=-6 http://www.google.com nenv[17498]=0 nfds[17"
      "498]=2 cwd[17498]=<NA> nthreads=56" },
    { 1534527348531225280ULL,
      "comm[17497]=curl pid[17497]=17497 ptid[17497]=3200 vtid[17497]=17497 uid[17497]=4294967295 args[1749"
      "7]=-6 http://www.google.com nenv[17497]=20 nfds[17497]=1 fdname[17497:3]=/dev/urandom fdtype[17497:3"
      "]=16 fdtype[17497:4]=<NA> comm[17498]=curl pid[17498]=17497 ptid[17498]=3200 vtid[17498]=17498 vpid["
      "17498]=17497 uid[17498]=1000 gid[17498]=1000 args[17498]=-6 http://www.google.com nenv[17498]=0 nfds"
      "[17498]=1 cwd[17498]=<NA> nthreads=56" },
    { 1534527348547327492ULL,
      "comm[17497]=curl pid[17497]=17497 ptid[17497]=3200 vtid[17497]=17497 uid[17497]=4294967295 args[1749"
      "7]=-6 http://www.google.com nenv[17497]=20 nfds[17497]=1 fdname[17497:3]=/dev/urandom fdtype[17497:3"
      "]=16 fdtype[17497:4]=<NA> comm[17498]=<NA> pid[17498]=<NA> ptid[17498]=<NA> vtid[17498]=<NA> vpid[17"
      "498]=<NA> uid[17498]=<NA> gid[17498]=<NA> args[17498]=<NA> nenv[17498]=<NA> nfds[17498]=<NA> cwd[174"
      "98]=<NA> nthreads=55" },
    { 1534527348588309095ULL,
      "comm[17497]=curl pid[17497]=17497 ptid[17497]=3200 vtid[17497]=17497 uid[17497]=4294967295 args[1749"
      "7]=-6 http://www.google.com nenv[17497]=20 nfds[17497]=0 fdname[17497:3]=<NA> fdtype[17497:3]=<NA> f"
      "dtype[17497:4]=<NA> comm[17498]=<NA> pid[17498]=<NA> ptid[17498]=<NA> vtid[17498]=<NA> vpid[17498]=<"
      "NA> uid[17498]=<NA> gid[17498]=<NA> args[17498]=<NA> nenv[17498]=<NA> nfds[17498]=<NA> cwd[17498]=<N"
      "A> nthreads=55" },
};

static void test_threads_follow_events(void **state)
{
    capstream cs;
    falco_host_plugin *imp;
    falco_host_session *s = curl_session(&cs, &imp);
    const falco_host_session_event *ev;
    falco_rc rc;
    size_t checked = 0;
    bool done[sizeof at_events / sizeof at_events[0]] = { false };
    while ((rc = falco_host_session_next(s, &ev)) == FALCO_OK) {
        uint64_t ts;
        memcpy(&ts, ev->input.evt, 8);
        for (size_t i = 0; i < sizeof at_events / sizeof at_events[0]; i++) {
            if (done[i] || at_events[i].ts != ts)
                continue;
            char line[4096] = "", b[1024];
            for (size_t k = 0; k < sizeof event_exprs / sizeof event_exprs[0]; k++) {
                extract(imp, &ev->input, event_exprs[k], b, sizeof b);
                size_t used = strlen(line);
                snprintf(line + used, sizeof line - used, "%s%s=%s", k ? " " : "", event_exprs[k] + 7,
                         b[0] ? b : "<NA>");
            }
            assert_string_equal(line, at_events[i].want);
            done[i] = true;
            checked++;
        }
    }
    assert_int_equal(rc, FALCO_EOF);
    assert_int_equal(checked, sizeof at_events / sizeof at_events[0]);
    /* both exited: the table is the process list again */
    falco_abi_state_type kt;
    uint64_t size;
    assert_string_equal(falco_host_session_table(s, 0, &kt, &size), "threads");
    assert_int_equal(size, 54);
    end_session(s, imp);
}

/* The fds curl (17497) opens, duplicates, connects and closes, the thread
 * fields execve sets, and its thread's procexit, read whole from the table (every field of every
 * fd, as falcoplug run --table-entries prints them) after the event of each
 * evt.num below. The expected lines are real libsinsp's, summarized the same
 * way from
 *   plughost -p libtabimp.so -s curl_google.scap -q -n N -T list --table threads --max-entries 100000
 * where N is how many events libsinsp returned up to that evt.num (plughost
 * counts those it returns; test_tables_cli.sh compares the whole table at
 * these points with plughost itself). Per fd: fd:type:flags:open_flags:
 * name:name_raw:old_name:socket_ipv4_l4_proto:socket_ipv6_l4_proto:ino. */
#define CURL_ENV "flags=655360 fd_limit=1024 uid=4294967295 exe_path= cg=cpuset,cpu,cpuacct,blkio,memory,devices," \
                 "freezer,net_cls,perf_event,net_prio,hugetlb,pids"
#define URANDOM(oflags, old) " | 3:16:0:" oflags ":/dev/urandom:/dev/urandom:" old ":0:0:0"
#define UDP_NAME "2600:1f18:262c:6542:9aa6:df7a:9a47:d29e:40251->2001:4860:4860::8888:53"
#define TCP_NAME "2600:1f18:262c:6542:9aa6:df7a:9a47:d29e:37140->2607:f8b0:4004:802::2004:80"
static const struct {
    uint64_t evtnum;
    int64_t tid; /* 0: curl's 17497 */
    const char *what, *want;
} fd_points[] = {
    { 211, 0, "execve", CURL_ENV },
    { 613, 0, "open", CURL_ENV URANDOM("1", "") },
    { 614, 0, "fcntl F_GETFD: old_name", CURL_ENV URANDOM("1", "/dev/urandom") },
    { 615, 0, "fcntl F_SETFD 0", CURL_ENV URANDOM("0", "/dev/urandom") },
    { 623, 0, "pipe", CURL_ENV URANDOM("0", "/dev/urandom") " | 4:7:0:0::::0:0:38688 | 5:7:0:0::::0:0:38688" },
    { 650, 0, "socket AF_INET6 UDP", CURL_ENV URANDOM("0", "/dev/urandom") " | 4:4:0:0::::0:3:0" },
    { 679, 0, "unix socket, connect failed", CURL_ENV URANDOM("0", "/dev/urandom") " | 4:8:0:0::::0:0:0" },
    { 752, 0, "connect", CURL_ENV URANDOM("0", "/dev/urandom") " | 4:4:8196:0:" UDP_NAME ":::154:3:0" },
    { 755, 0, "sendto", CURL_ENV URANDOM("0", "/dev/urandom") " | 4:4:8196:0:" UDP_NAME "::" UDP_NAME ":154:3:0" },
    /* its thread's procexit: dead (PPM_CL_CLOSED), removed at the next event;
     * a thread reads its process's fds */
    { 782, 17498, "procexit of a thread",
      "flags=834051 fd_limit=1024 uid=1000 exe_path= cg=cpuset,cpu,cpuacct,blkio,memory,devices,freezer,net_cls,"
      "perf_event,net_prio,hugetlb,pids" URANDOM("0", "/dev/urandom") },
    { 789, 0, "socket AF_INET6 TCP", CURL_ENV URANDOM("0", "/dev/urandom") " | 4:4:0:0::::0:2:0" },
    { 797, 0, "connect EINPROGRESS", CURL_ENV URANDOM("0", "/dev/urandom") " | 4:4:8196:0:" TCP_NAME ":::154:2:0" },
};

typedef struct fd_summary {
    falco_json_doc *doc;
    int64_t tid;
    char line[4096];
    bool found;
} fd_summary;

static const char *member_text(const falco_json_value *o, const char *key, char *buf, size_t n)
{
    const falco_json_value *m = falco_json_member(o, key);
    size_t len = 0;
    const char *t = falco_json_type_of(m) == FALCO_JSON_STRING ? falco_json_string(m, &len)
                                                                 : falco_json_number_text(m, &len);
    if (!t)
        fail_msg("no field %s", key);
    snprintf(buf, n, "%.*s", (int)len, t);
    return buf;
}

/* The line of fd_points for the thread of s->tid (entries in fd order). */
static void summarize(void *userdata, const char *json, size_t len)
{
    fd_summary *s = userdata;
    const falco_json_value *e = falco_json_parse(s->doc, json, len, NULL);
    int64_t tid = 0;
    if (!e || !falco_json_i64(falco_json_member(e, "tid"), &tid))
        fail_msg("entry is not a thread: %.*s", (int)len, json);
    if (tid != s->tid)
        return;
    char a[512], b[512], c[512], d[512];
    size_t at = (size_t)snprintf(s->line, sizeof s->line, "flags=%s fd_limit=%s uid=%s exe_path=%s cg=",
                                 member_text(e, "flags", a, sizeof a), member_text(e, "fd_limit", b, sizeof b),
                                 member_text(e, "uid", c, sizeof c), member_text(e, "exe_path", d, sizeof d));
    const falco_json_value *cg = falco_json_pointer(e, "/cgroups/entries");
    for (size_t i = 0; i < falco_json_size(cg); i++)
        at += (size_t)snprintf(s->line + at, sizeof s->line - at, "%s%s", i ? "," : "",
                               member_text(falco_json_at(cg, i), "first", a, sizeof a));
    const falco_json_value *fds = falco_json_pointer(e, "/file_descriptors/entries");
    for (int64_t want = 0; want < 64; want++) /* in fd order, as the expected lines list them */
        for (size_t i = 0; i < falco_json_size(fds); i++) {
            const falco_json_value *f = falco_json_at(fds, i);
            int64_t fd;
            if (!falco_json_i64(falco_json_member(f, "fd"), &fd) || fd != want)
                continue;
            static const char *const keys[] = { "fd", "type", "flags", "open_flags", "name", "name_raw", "old_name",
                                                "socket_ipv4_l4_proto", "socket_ipv6_l4_proto", "ino" };
            for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
                at += (size_t)snprintf(s->line + at, sizeof s->line - at, "%s%s", k ? ":" : " | ",
                                       member_text(f, keys[k], a, sizeof a));
        }
    s->found = true;
}

static void test_threads_fds_follow_events(void **state)
{
    capstream cs;
    falco_host_plugin *imp;
    falco_host_session *s = curl_session(&cs, &imp);
    fd_summary sum = { .doc = falco_json_doc_new() };
    assert_non_null(sum.doc);
    const falco_host_session_event *ev;
    falco_rc rc;
    size_t next = 0;
    while ((rc = falco_host_session_next(s, &ev)) == FALCO_OK) {
        if (next == sizeof fd_points / sizeof fd_points[0] || ev->input.evtnum != fd_points[next].evtnum)
            continue;
        sum.found = false;
        sum.tid = fd_points[next].tid ? fd_points[next].tid : 17497;
        if (falco_host_session_table_entries(s, 0, 100000, NULL, summarize, &sum) != FALCO_OK)
            fail_msg("%s", falco_host_session_errmsg(s));
        if (!sum.found)
            fail_msg("evt.num %" PRIu64 " (%s): no thread %" PRId64, ev->input.evtnum, fd_points[next].what, sum.tid);
        if (strcmp(sum.line, fd_points[next].want) != 0)
            fail_msg("evt.num %" PRIu64 " (%s):\n got  %s\n want %s", ev->input.evtnum, fd_points[next].what,
                     sum.line, fd_points[next].want);
        next++;
    }
    assert_int_equal(rc, FALCO_EOF);
    assert_int_equal(next, sizeof fd_points / sizeof fd_points[0]);
    falco_json_doc_free(sum.doc);
    end_session(s, imp);
}

/* tests/capture's synthetic capture (test_convert_golden writes it): an
 * event of every converted layout, each from its own tid, no process list.
 * The table at its end, thread by thread (NULL: not in the table), as real
 * libsinsp has it, summarized as above from
 *   plughost -p libtabimp.so -s convert_synthetic.scap -q -T list --table threads --max-entries 100000
 * libsinsp makes up a thread for each tid it meets (-1 ids, <NA> names),
 * and each fd-making syscall leaves its kind of fd. */
#define FAKE "pid=-1 ptid=-1 vtid=-1 vpid=-1 comm=<NA> exe=<NA> exe_path= uid=4294967295 gid=4294967295 " \
             "fd_limit=-1 flags=655360 sid=-1 cwd= root="
#define CHILD(t) "pid=" #t " ptid=0 vtid=" #t " vpid=" #t " comm=/tmp/f exe=/tmp/f exe_path= uid=1 gid=1 " \
                 "fd_limit=1 flags=1 sid=-1 cwd= root="
static const struct {
    int64_t tid;
    const char *what, *want;
} synthetic_threads[] = {
    { 101, "a generic syscall: a made-up thread", FAKE },
    { 103, "open", FAKE " | 3:16:0:2048:/tmp/f:/tmp/f::0:0:1" },
    { 115, "execve of a made-up thread", "pid=115 ptid=115 vtid=115 vpid=115 comm=/tmp/f exe=/tmp/f exe_path= "
                                        "uid=4294967295 gid=4294967295 fd_limit=1 flags=655360 sid=-1 cwd= root=" },
    { 117, "clone", CHILD(117) },
    { 118, "procexit", NULL },
    { 119, "socket AF_NFC", FAKE " | 3:0:0:2048::::0:0:0" },
    { 130, "accept", FAKE " | 3:3:8200:0:1.2.3.4:1234->1.2.3.4:80:::2:0:0" },
    { 131, "send on an unknown fd: UDP", FAKE " | 3:3:8196:0:1.2.3.4:1234->1.2.3.4:80:::3:0:0" },
    { 150, "accept4", FAKE " | 3:3:8200:0:1.2.3.4:1234->1.2.3.4:80:::2:0:0" },
    { 152, "creat on an overlay upper layer", FAKE " | 3:16:131072:32768:/tmp/f:/tmp/f::0:0:1" },
    { 157, "eventfd", FAKE " | 3:9:0:0::::0:0:0" },
    { 204, "signalfd", FAKE " | 3:11:0:0::::0:0:0" },
    { 214, "timerfd_create", FAKE " | 3:14:0:1::::0:0:0" },
    { 216, "inotify_init", FAKE " | 3:13:0:0::::0:0:0" },
    { 249, "vfork, the child's side", "pid=249 ptid=249 vtid=249 vpid=-1 comm=<NA> exe=<NA> exe_path= "
                                     "uid=4294967295 gid=4294967295 fd_limit=-1 flags=131072 sid=-1 cwd= root=" },
    { 254, "setresuid", "pid=-1 ptid=-1 vtid=-1 vpid=-1 comm=<NA> exe=<NA> exe_path= uid=1000 gid=4294967295 "
                        "fd_limit=-1 flags=655360 sid=-1 cwd= root=" },
    { 256, "setresgid", "pid=-1 ptid=-1 vtid=-1 vpid=-1 comm=<NA> exe=<NA> exe_path= uid=4294967295 gid=1000 "
                        "fd_limit=-1 flags=655360 sid=-1 cwd= root=" },
    { 303, "execve with a filename", "pid=303 ptid=303 vtid=303 vpid=303 comm=/tmp/f exe=/tmp/f exe_path=/tmp/f "
                                     "uid=4294967295 gid=4294967295 fd_limit=1 flags=655360 sid=-1 cwd= root=" },
    { 317, "bpf", FAKE " | 768:17:0:0::::0:0:0" },
    { 325, "openat: no ino, no dev", FAKE " | 3:16:0:2048:/tmp/f:/tmp/f::0:0:0" },
    { 331, "execveat", "pid=331 ptid=331 vtid=331 vpid=331 comm=/tmp/f exe=/tmp/f exe_path=/tmp/f uid=1000 "
                       "gid=1000 fd_limit=1 flags=655360 sid=-1 cwd= root=" },
    { 341, "clone3", CHILD(341) },
    { 344, "epoll_create1 EPOLL_CLOEXEC", FAKE " | 0:12:0:4096::::0:0:0" },
    { 350, "eventfd2", FAKE " | 3:9:0:2048::::0:0:0" },
    { 352, "signalfd4", FAKE " | 3:11:0:2048::::0:0:0" },
};

typedef struct thread_lines {
    falco_json_doc *doc;
    char lines[sizeof synthetic_threads / sizeof synthetic_threads[0]][1024];
    bool found[sizeof synthetic_threads / sizeof synthetic_threads[0]];
} thread_lines;

static void thread_line(void *userdata, const char *json, size_t len)
{
    thread_lines *tl = userdata;
    const falco_json_value *e = falco_json_parse(tl->doc, json, len, NULL);
    int64_t tid = 0;
    if (!e || !falco_json_i64(falco_json_member(e, "tid"), &tid))
        fail_msg("entry is not a thread: %.*s", (int)len, json);
    for (size_t i = 0; i < sizeof synthetic_threads / sizeof synthetic_threads[0]; i++) {
        if (synthetic_threads[i].tid != tid)
            continue;
        static const char *const keys[] = { "pid", "ptid", "vtid", "vpid", "comm", "exe", "exe_path", "uid",
                                            "gid", "fd_limit", "flags", "sid", "cwd", "root" };
        size_t at = 0;
        char b[512];
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
            at += (size_t)snprintf(tl->lines[i] + at, sizeof tl->lines[i] - at, "%s%s=%s", k ? " " : "", keys[k],
                                   member_text(e, keys[k], b, sizeof b));
        const falco_json_value *fds = falco_json_pointer(e, "/file_descriptors/entries");
        for (size_t j = 0; j < falco_json_size(fds); j++) { /* one fd each, at most */
            static const char *const fk[] = { "fd", "type", "flags", "open_flags", "name", "name_raw", "old_name",
                                              "socket_ipv4_l4_proto", "socket_ipv6_l4_proto", "ino" };
            for (size_t k = 0; k < sizeof fk / sizeof fk[0]; k++)
                at += (size_t)snprintf(tl->lines[i] + at, sizeof tl->lines[i] - at, "%s%s", k ? ":" : " | ",
                                       member_text(falco_json_at(fds, j), fk[k], b, sizeof b));
        }
        tl->found[i] = true;
    }
}

static void test_threads_synthetic(void **state)
{
    FILE *f = fopen(FALCO_TEST_SYNTHETIC, "rb");
    if (!f) {
        print_message("no %s (test_convert_golden writes it): skipped\n", FALCO_TEST_SYNTHETIC);
        skip();
    }
    fclose(f);
    falco_capture_reader *r = capstream_reader(FALCO_TEST_SYNTHETIC);
    falco_host_session *s;
    assert_int_equal(falco_host_session_new(0, &s), FALCO_OK);
    assert_int_equal(capture_threads_fill(s, falco_capture_get_metadata(r)), FALCO_OK);
    falco_host_plugin *imp = add_tabimp(s);
    capstream cs;
    capstream_open(s, &cs, r);
    const falco_host_session_event *ev;
    falco_rc rc;
    uint64_t shown = 0;
    while ((rc = falco_host_session_next(s, &ev)) == FALCO_OK)
        shown += cs.last.shown;
    assert_int_equal(rc, FALCO_EOF);
    assert_int_equal(shown, 253); /* plughost: Events: 253 */
    thread_lines *tl = calloc(1, sizeof *tl);
    assert_non_null(tl);
    assert_non_null(tl->doc = falco_json_doc_new());
    uint64_t size;
    if (falco_host_session_table_entries(s, 0, 100000, &size, thread_line, tl) != FALCO_OK)
        fail_msg("%s", falco_host_session_errmsg(s));
    assert_int_equal(size, 249); /* libsinsp's size at the end */
    for (size_t i = 0; i < sizeof synthetic_threads / sizeof synthetic_threads[0]; i++) {
        const char *want = synthetic_threads[i].want;
        if (!want != !tl->found[i] || (want && strcmp(tl->lines[i], want) != 0))
            fail_msg("tid %" PRId64 " (%s):\n got  %s\n want %s", synthetic_threads[i].tid, synthetic_threads[i].what,
                     tl->found[i] ? tl->lines[i] : "(none)", want ? want : "(none)");
    }
    falco_json_doc_free(tl->doc);
    free(tl);
    end_session(s, imp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads_from_capture),
        cmocka_unit_test(test_threads_follow_events),
        cmocka_unit_test(test_threads_fds_follow_events),
        cmocka_unit_test(test_threads_synthetic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
