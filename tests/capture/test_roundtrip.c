/* read -> write -> read: metadata and events survive byte for byte, plain and
 * gzip'd; the writer picks the block type libscap expects for each event. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <falco/capture.h>

#include "capture_test_util.h"

static void assert_bytes_equal(falco_capture_bytes a, falco_capture_bytes b)
{
    assert_int_equal(a.len, b.len);
    if (a.len)
        assert_memory_equal(a.data, b.data, a.len);
}

static void assert_process_equal(const falco_capture_process *a, const falco_capture_process *b)
{
    assert_int_equal(a->tid, b->tid);
    assert_int_equal(a->pid, b->pid);
    assert_int_equal(a->ptid, b->ptid);
    assert_int_equal(a->sid, b->sid);
    assert_int_equal(a->vpgid, b->vpgid);
    assert_string_equal(a->comm, b->comm);
    assert_string_equal(a->exe, b->exe);
    assert_string_equal(a->exepath, b->exepath);
    assert_string_equal(a->cwd, b->cwd);
    assert_string_equal(a->root, b->root);
    assert_bytes_equal(a->args, b->args);
    assert_bytes_equal(a->env, b->env);
    assert_bytes_equal(a->cgroups, b->cgroups);
    assert_int_equal(a->fdlimit, b->fdlimit);
    assert_int_equal(a->flags, b->flags);
    assert_int_equal(a->uid, b->uid);
    assert_int_equal(a->gid, b->gid);
    assert_int_equal(a->vmsize_kb, b->vmsize_kb);
    assert_int_equal(a->vmrss_kb, b->vmrss_kb);
    assert_int_equal(a->vmswap_kb, b->vmswap_kb);
    assert_int_equal(a->pfmajor, b->pfmajor);
    assert_int_equal(a->pfminor, b->pfminor);
    assert_int_equal(a->vtid, b->vtid);
    assert_int_equal(a->vpid, b->vpid);
    assert_int_equal(a->loginuid, b->loginuid);
    assert_int_equal(a->cap_effective, b->cap_effective);
    assert_int_equal(a->exe_ino, b->exe_ino);
}

static void assert_metadata_equal(const falco_capture_metadata *a, const falco_capture_metadata *b)
{
    assert_non_null(a->machine);
    assert_non_null(b->machine);
    assert_string_equal(a->machine->hostname, b->machine->hostname);
    assert_int_equal(a->machine->num_cpus, b->machine->num_cpus);
    assert_int_equal(a->machine->memory_size_bytes, b->machine->memory_size_bytes);
    assert_int_equal(a->process_count, b->process_count);
    for (size_t i = 0; i < a->process_count; i++)
        assert_process_equal(&a->processes[i], &b->processes[i]);
    assert_int_equal(a->fd_count, b->fd_count);
    for (size_t i = 0; i < a->fd_count; i++) {
        const falco_capture_fd *x = &a->fds[i], *y = &b->fds[i];
        assert_int_equal(x->tid, y->tid);
        assert_int_equal(x->fd, y->fd);
        assert_int_equal(x->ino, y->ino);
        assert_int_equal(x->type, y->type);
        assert_memory_equal(x->sip, y->sip, 16);
        assert_memory_equal(x->dip, y->dip, 16);
        assert_int_equal(x->sport, y->sport);
        assert_int_equal(x->dport, y->dport);
        assert_int_equal(x->l4proto, y->l4proto);
        assert_int_equal(x->unix_source, y->unix_source);
        assert_int_equal(x->unix_dest, y->unix_dest);
        assert_string_equal(x->name, y->name);
    }
    assert_int_equal(a->user_count, b->user_count);
    for (size_t i = 0; i < a->user_count; i++) {
        assert_int_equal(a->users[i].uid, b->users[i].uid);
        assert_int_equal(a->users[i].gid, b->users[i].gid);
        assert_string_equal(a->users[i].name, b->users[i].name);
        assert_string_equal(a->users[i].homedir, b->users[i].homedir);
        assert_string_equal(a->users[i].shell, b->users[i].shell);
    }
    assert_int_equal(a->group_count, b->group_count);
    for (size_t i = 0; i < a->group_count; i++) {
        assert_int_equal(a->groups[i].gid, b->groups[i].gid);
        assert_string_equal(a->groups[i].name, b->groups[i].name);
    }
    assert_int_equal(a->interface_count, b->interface_count);
    for (size_t i = 0; i < a->interface_count; i++) {
        assert_int_equal(a->interfaces[i].type, b->interfaces[i].type);
        assert_memory_equal(a->interfaces[i].addr, b->interfaces[i].addr, 16);
        assert_memory_equal(a->interfaces[i].netmask, b->interfaces[i].netmask, 16);
        assert_int_equal(a->interfaces[i].linkspeed, b->interfaces[i].linkspeed);
        assert_string_equal(a->interfaces[i].name, b->interfaces[i].name);
    }
}

static void roundtrip(bool gzip)
{
    const char *src = capture_path("curl_google_comments.scap");
    char out[4096];
    snprintf(out, sizeof out, "%s", capture_tmp_path(gzip ? "rt_gz" : "rt_plain"));
    falco_capture_reader *in = falco_capture_open(src, NULL);
    assert_non_null(in);
    falco_capture_writer_options opts = { .gzip = gzip, .gzip_level = 6, .metadata = falco_capture_get_metadata(in) };
    falco_capture_error err;
    falco_capture_writer *w = falco_capture_writer_open(out, &opts, &err);
    if (!w)
        fail_msg("%s", err.msg);
    const void *ev;
    size_t len;
    falco_capture_block_info bi;
    unsigned long n = 0;
    while (falco_capture_next(in, &ev, &len, &bi) == FALCO_OK) {
        /* every other event with flags, to exercise EVF_V2 */
        assert_int_equal(falco_capture_writer_write_event(w, ev, len, bi.cpu, (n % 2) ? 0x5u : 0u), FALCO_OK);
        n++;
    }
    assert_int_equal(n, 1536);
    assert_int_equal(falco_capture_writer_close(w, &err), FALCO_OK);

    /* the raw file starts with a section header 1.2, or gzip magic */
    size_t raw_len = 0;
    uint8_t *raw = capture_load_raw(out, &raw_len);
    assert_non_null(raw);
    if (gzip)
        assert_true(raw[0] == 0x1f && raw[1] == 0x8b);
    else
        assert_int_equal(capture_ld32(raw), FALCO_CAPTURE_BLOCK_SECTION);
    free(raw);

    falco_capture_reader *a = falco_capture_open(src, NULL);
    falco_capture_reader *b = falco_capture_open(out, &err);
    if (!b)
        fail_msg("%s", err.msg);
    uint16_t major, minor;
    falco_capture_version(b, &major, &minor);
    assert_int_equal(major, 1);
    assert_int_equal(minor, 2);
    assert_metadata_equal(falco_capture_get_metadata(a), falco_capture_get_metadata(b));
    const void *ea, *eb;
    size_t la, lb;
    falco_capture_block_info ia, ib;
    n = 0;
    falco_rc ra, rb;
    while ((ra = falco_capture_next(a, &ea, &la, &ia)) == FALCO_OK) {
        rb = falco_capture_next(b, &eb, &lb, &ib);
        assert_int_equal(rb, FALCO_OK);
        assert_int_equal(la, lb);
        assert_memory_equal(ea, eb, la);
        assert_int_equal(ia.cpu, ib.cpu);
        assert_false(ib.converted);
        assert_int_equal(ib.flags, (n % 2) ? 0x5u : 0u);
        assert_int_equal(ib.block_type, (n % 2) ? FALCO_CAPTURE_BLOCK_EVF_V2 : FALCO_CAPTURE_BLOCK_EV_V2);
        n++;
    }
    assert_int_equal(ra, FALCO_EOF);
    assert_int_equal(falco_capture_next(b, &eb, &lb, NULL), FALCO_EOF);
    falco_capture_close(a);
    falco_capture_close(b);
    falco_capture_close(in);
    remove(out);
}

static void test_roundtrip_plain(void **state)
{
    (void)state;
    roundtrip(false);
}

static void test_roundtrip_gzip(void **state)
{
    (void)state;
    roundtrip(true);
}

/* Builds an event by hand: header + u16/u32 lengths + params. */
static size_t make_event(uint8_t *buf, uint16_t type, uint32_t nparams, const uint32_t *lens, bool large, uint8_t fill)
{
    size_t w = large ? 4 : 2, len = 26 + w * nparams;
    for (uint32_t i = 0; i < nparams; i++)
        len += lens[i];
    uint64_t ts = 1000 + type, tid = 42;
    uint32_t l32 = (uint32_t)len;
    memcpy(buf, &ts, 8);
    memcpy(buf + 8, &tid, 8);
    memcpy(buf + 16, &l32, 4);
    memcpy(buf + 20, &type, 2);
    memcpy(buf + 22, &nparams, 4);
    size_t pos = 26;
    for (uint32_t i = 0; i < nparams; i++) {
        if (large) {
            memcpy(buf + pos, &lens[i], 4);
        } else {
            uint16_t l16 = (uint16_t)lens[i];
            memcpy(buf + pos, &l16, 2);
        }
        pos += w;
    }
    memset(buf + pos, fill, len - pos);
    return len;
}

static void test_block_types_for_large_events(void **state)
{
    (void)state;
    const char *out = capture_tmp_path("large");
    falco_capture_error err;
    falco_capture_writer *w = falco_capture_writer_open(out, NULL, &err);
    assert_non_null(w);
    static uint8_t big[200000];
    uint32_t plugin_lens[2] = { 4, 100 };
    size_t l1 = make_event(big, 322, 2, plugin_lens, true, 0xab); /* plugin event: large payload */
    assert_int_equal(falco_capture_writer_write_event(w, big, l1, 3, 0), FALCO_OK);
    uint32_t fat_lens[2] = { 40000, 40000 };
    size_t l2 = make_event(big, 3, 2, fat_lens, false, 0xcd); /* > 64 KiB block */
    assert_int_equal(falco_capture_writer_write_event(w, big, l2, 1, 7), FALCO_OK);
    uint32_t small_lens[1] = { 8 };
    size_t l3 = make_event(big, 2, 1, small_lens, false, 0x11);
    assert_int_equal(falco_capture_writer_write_event(w, big, l3, 0, 0), FALCO_OK);
    /* invalid events are refused with a message, the file stays usable */
    assert_int_equal(falco_capture_writer_write_event(w, big, 10, 0, 0), FALCO_EINVAL);
    assert_non_null(strstr(falco_capture_writer_errmsg(w), "shorter than the 26-byte header"));
    assert_int_equal(falco_capture_writer_write_event(w, big, l3 - 1, 0, 0), FALCO_EINVAL);
    assert_non_null(strstr(falco_capture_writer_errmsg(w), "differs"));
    assert_int_equal(falco_capture_writer_close(w, &err), FALCO_OK);

    falco_capture_reader *r = falco_capture_open(out, &err);
    if (!r)
        fail_msg("%s", err.msg);
    const falco_capture_metadata *m = falco_capture_get_metadata(r);
    assert_non_null(m->machine); /* a default machine info block is always written */
    assert_int_equal(m->machine->num_cpus, 1);
    assert_int_equal(m->process_count, 0);
    const void *ev;
    size_t len;
    falco_capture_block_info bi;
    assert_int_equal(falco_capture_next(r, &ev, &len, &bi), FALCO_OK);
    assert_int_equal(bi.block_type, FALCO_CAPTURE_BLOCK_EV_V2_LARGE);
    assert_int_equal(len, l1);
    assert_int_equal(bi.cpu, 3);
    assert_int_equal(falco_capture_next(r, &ev, &len, &bi), FALCO_OK);
    assert_int_equal(bi.block_type, FALCO_CAPTURE_BLOCK_EVF_V2_LARGE);
    assert_int_equal(bi.flags, 7);
    assert_int_equal(len, l2);
    assert_int_equal(((const uint8_t *)ev)[l2 - 1], 0xcd);
    assert_int_equal(falco_capture_next(r, &ev, &len, &bi), FALCO_OK);
    assert_int_equal(bi.block_type, FALCO_CAPTURE_BLOCK_EV_V2);
    assert_int_equal(bi.block_len, 8 + 40 + 4); /* cpu + 36-byte event, padded to 40 */
    assert_int_equal(falco_capture_next(r, &ev, &len, &bi), FALCO_EOF);
    falco_capture_close(r);
    remove(out);
}

static void test_writer_open_errors(void **state)
{
    (void)state;
    falco_capture_error err;
    assert_null(falco_capture_writer_open("/nonexistent/dir/out.scap", NULL, &err));
    assert_int_equal(err.rc, FALCO_ERROR);
    assert_non_null(strstr(err.msg, "/nonexistent/dir/out.scap"));
    falco_capture_writer_options bad = { .gzip = true, .gzip_level = 12 };
    assert_null(falco_capture_writer_open(capture_tmp_path("bad"), &bad, &err));
    assert_int_equal(err.rc, FALCO_EINVAL);
    remove(capture_tmp_path("bad"));
    assert_int_equal(falco_capture_writer_close(NULL, NULL), FALCO_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip_plain),
        cmocka_unit_test(test_roundtrip_gzip),
        cmocka_unit_test(test_block_types_for_large_events),
        cmocka_unit_test(test_writer_open_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
