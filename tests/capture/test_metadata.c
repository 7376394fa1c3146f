/* Metadata blocks of the reference capture: machine info, process list (V5),
 * fd lists (V1), interface list (V1) and user/group list (V1). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <falco/capture.h>

#include "capture_test_util.h"

static falco_capture_reader *open_curl(void)
{
    falco_capture_error err;
    falco_capture_reader *r = falco_capture_open(capture_path("curl_google.scap"), &err);
    if (!r)
        fail_msg("%s", err.msg);
    return r;
}

static const falco_capture_process *find_comm(const falco_capture_metadata *m, const char *comm)
{
    for (size_t i = 0; i < m->process_count; i++)
        if (strcmp(m->processes[i].comm, comm) == 0)
            return &m->processes[i];
    return NULL;
}

static void test_machine_info(void **state)
{
    (void)state;
    falco_capture_reader *r = open_curl();
    const falco_capture_metadata *m = falco_capture_get_metadata(r);
    assert_non_null(m->machine);
    assert_string_equal(m->machine->hostname, "ip-10-0-0-79");
    assert_int_equal(m->machine->num_cpus, 1);
    assert_int_equal(m->machine->memory_size_bytes, 1038864384ull);
    falco_capture_close(r);
}

static void test_counts(void **state)
{
    (void)state;
    falco_capture_reader *r = open_curl();
    const falco_capture_metadata *m = falco_capture_get_metadata(r);
    assert_int_equal(m->process_count, 54);
    assert_int_equal(m->fd_count, 316);
    assert_int_equal(m->user_count, 31);
    assert_int_equal(m->group_count, 55);
    assert_int_equal(m->interface_count, 5);
    falco_capture_close(r);
}

static void test_processes(void **state)
{
    (void)state;
    falco_capture_reader *r = open_curl();
    const falco_capture_metadata *m = falco_capture_get_metadata(r);
    /* the capture was taken with `sudo sysdig -zw ...` from a bash shell;
     * curl itself only starts during the capture (clone/execve events) */
    const falco_capture_process *sysdig = find_comm(m, "sysdig");
    const falco_capture_process *sudo = find_comm(m, "sudo");
    const falco_capture_process *bash = find_comm(m, "bash");
    assert_non_null(sysdig);
    assert_non_null(sudo);
    assert_non_null(bash);
    assert_null(find_comm(m, "curl"));
    assert_int_equal(sysdig->tid, 17496);
    assert_int_equal(sysdig->pid, 17496);
    assert_int_equal(sysdig->ptid, sudo->tid);
    assert_int_equal(sudo->tid, 17495);
    assert_int_equal(sudo->ptid, bash->tid);
    assert_int_equal(bash->tid, 3200);
    assert_string_equal(bash->exe, "-bash");
    assert_string_equal(sysdig->cwd, "/home/ubuntu");
    assert_string_equal(sysdig->root, "/"); /* V5 carries root */
    assert_int_equal(sysdig->uid, 0);
    assert_int_equal(bash->uid, 1000);
    assert_int_equal(sysdig->vtid, 17496);
    assert_int_equal(sysdig->args.len, 29);
    assert_string_equal(sysdig->args.data, "-zw"); /* first of the NUL-separated args */
    assert_int_equal(sysdig->env.len, 1723);
    assert_int_equal(sysdig->cgroups.len, 189);
    /* V5 has no sid/vpgid/loginuid: libscap's defaults */
    assert_int_equal(sysdig->sid, -1);
    assert_int_equal(sysdig->loginuid, UINT32_MAX);
    assert_ptr_equal(falco_capture_find_process(r, 17496), sysdig);
    assert_null(falco_capture_find_process(r, 999999));
    falco_capture_close(r);
}

static void test_fds(void **state)
{
    (void)state;
    falco_capture_reader *r = open_curl();
    const falco_capture_metadata *m = falco_capture_get_metadata(r);
    size_t n;
    const falco_capture_fd *fds = falco_capture_fds_of(r, 17496, &n);
    assert_non_null(fds);
    assert_int_equal(n, 8);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(fds[i].tid, 17496);
    fds = falco_capture_fds_of(r, 1, &n);
    assert_non_null(fds);
    assert_int_equal(fds[0].fd, 0);
    assert_int_equal(fds[0].type, FALCO_CAPTURE_FD_FILE);
    assert_string_equal(fds[0].name, "/dev/null");
    assert_string_equal(fds[3].name, "/dev/kmsg");
    assert_null(falco_capture_fds_of(r, 999999, &n));
    assert_int_equal(n, 0);
    /* per-type counts over all fds */
    unsigned types[32] = { 0 };
    const falco_capture_fd *ssh = NULL;
    for (size_t i = 0; i < m->fd_count; i++) {
        assert_true(m->fds[i].type < 32);
        types[m->fds[i].type]++;
        if (m->fds[i].type == FALCO_CAPTURE_FD_IPV4_SOCK && !ssh)
            ssh = &m->fds[i];
    }
    assert_int_equal(types[FALCO_CAPTURE_FD_FILE], 111);
    assert_int_equal(types[FALCO_CAPTURE_FD_DIRECTORY], 15);
    assert_int_equal(types[FALCO_CAPTURE_FD_IPV4_SOCK], 2);
    assert_int_equal(types[FALCO_CAPTURE_FD_UNIX_SOCK], 113);
    assert_int_equal(types[FALCO_CAPTURE_FD_EVENTPOLL], 12);
    assert_non_null(ssh);
    static const uint8_t local[4] = { 10, 0, 0, 79 }, peer[4] = { 50, 207, 137, 246 };
    assert_memory_equal(ssh->sip, local, 4);
    assert_memory_equal(ssh->dip, peer, 4);
    assert_int_equal(ssh->sport, 22);
    assert_int_equal(ssh->dport, 63740);
    assert_int_equal(ssh->l4proto, 2); /* TCP */
    falco_capture_close(r);
}

static void test_users_and_interfaces(void **state)
{
    (void)state;
    falco_capture_reader *r = open_curl();
    const falco_capture_metadata *m = falco_capture_get_metadata(r);
    assert_string_equal(m->users[0].name, "root");
    assert_int_equal(m->users[0].uid, 0);
    assert_string_equal(m->users[0].homedir, "/root");
    assert_string_equal(m->users[0].shell, "/bin/bash");
    assert_string_equal(m->users[m->user_count - 1].name, "ubuntu");
    assert_string_equal(m->groups[0].name, "root");
    assert_string_equal(m->interfaces[0].name, "lo");
    assert_int_equal(m->interfaces[0].type, FALCO_CAPTURE_IF_IPV4);
    static const uint8_t lo[4] = { 127, 0, 0, 1 }, eth0[4] = { 10, 0, 0, 79 };
    assert_memory_equal(m->interfaces[0].addr, lo, 4);
    assert_string_equal(m->interfaces[1].name, "eth0");
    assert_memory_equal(m->interfaces[1].addr, eth0, 4);
    assert_int_equal(m->interfaces[2].type, FALCO_CAPTURE_IF_IPV6);
    falco_capture_close(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_machine_info), cmocka_unit_test(test_counts),
        cmocka_unit_test(test_processes),    cmocka_unit_test(test_fds),
        cmocka_unit_test(test_users_and_interfaces),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
