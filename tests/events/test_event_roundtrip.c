/*
 * test_event_roundtrip.c - for EVERY event code of the table: encode generated
 * values of each param's type, view and decode them back (same values), encode
 * the decoded values again (same bytes), render the event, and do the same
 * with one param fewer (an older-style event).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <falco/event.h>

static const char *const words[] = {"a", "bb", "ccc", "dddd"};
static const falco_evt_fdlist_entry fds[] = {{3, 1}, {-1, 0x20}};
static const uint8_t some_bytes[] = {'b', 0, 'y', 0x7f, 0xff};

/* A value of type t that depends on seed (covering families and widths). */
static falco_evt_value gen_value(falco_evt_param_type t, unsigned seed)
{
    falco_evt_value v;
    memset(&v, 0, sizeof v);
    v.type = t;
    size_t w = falco_evt_param_type_size(t);
    switch (t) {
    case FALCO_PT_CHARBUF:
    case FALCO_PT_FSPATH:
    case FALCO_PT_FSRELPATH:
        v.v.str.ptr = words[seed % 4];
        v.v.str.len = (uint32_t)strlen(words[seed % 4]);
        return v;
    case FALCO_PT_BYTEBUF:
        v.v.bytes.ptr = some_bytes;
        v.v.bytes.len = (uint32_t)(seed % sizeof some_bytes + 1);
        return v;
    case FALCO_PT_DOUBLE:
        v.v.f64 = 1.5 * seed;
        return v;
    case FALCO_PT_SOCKADDR: {
        falco_evt_sockaddr *sa = &v.v.sockaddr;
        static const uint8_t fams[] = {FALCO_AF_INET, FALCO_AF_INET6, FALCO_AF_UNIX, 16};
        sa->family = fams[seed % 4];
        for (int i = 0; i < 16; i++)
            sa->addr[i] = (uint8_t)(sa->family == FALCO_AF_INET && i >= 4 ? 0 : i * 17 + seed);
        if (sa->family == FALCO_AF_INET || sa->family == FALCO_AF_INET6)
            sa->port = (uint16_t)(8000 + seed);
        if (sa->family == FALCO_AF_UNIX) {
            sa->path = "/run/sock";
            sa->path_len = 9;
            memset(sa->addr, 0, sizeof sa->addr);
        }
        if (sa->family == 16) {
            sa->raw = some_bytes;
            sa->raw_len = 3;
            memset(sa->addr, 0, sizeof sa->addr);
        }
        return v;
    }
    case FALCO_PT_SOCKTUPLE: {
        falco_evt_socktuple *st = &v.v.socktuple;
        static const uint8_t fams[] = {FALCO_AF_INET, FALCO_AF_INET6, FALCO_AF_UNIX, 16};
        st->family = fams[seed % 4];
        if (st->family == FALCO_AF_INET || st->family == FALCO_AF_INET6) {
            size_t alen = st->family == FALCO_AF_INET ? 4 : 16;
            for (size_t i = 0; i < alen; i++) {
                st->src_addr[i] = (uint8_t)(i + 1);
                st->dst_addr[i] = (uint8_t)(200 - i);
            }
            st->src_port = 40000;
            st->dst_port = 443;
        } else if (st->family == FALCO_AF_UNIX) {
            st->src_ptr = 0xffff888000001000ull;
            st->dst_ptr = 0xffff888000002000ull;
            st->path = "/var/run/x";
            st->path_len = 10;
        } else {
            st->raw = some_bytes;
            st->raw_len = 4;
        }
        return v;
    }
    case FALCO_PT_FDLIST:
        v.v.fdlist.count = (uint16_t)(seed % 3);
        v.v.fdlist.entries = fds;
        if (v.v.fdlist.count > 2)
            v.v.fdlist.count = 2;
        return v;
    case FALCO_PT_CHARBUFARRAY:
    case FALCO_PT_CHARBUF_PAIR_ARRAY:
        v.v.strarray.items = words;
        v.v.strarray.count = seed % 2 ? 4 : 2;
        return v;
    case FALCO_PT_IPV4ADDR:
    case FALCO_PT_IPV4NET:
    case FALCO_PT_IPV6ADDR:
    case FALCO_PT_IPV6NET:
    case FALCO_PT_IPADDR:
    case FALCO_PT_IPNET: {
        int v6 = t == FALCO_PT_IPV6ADDR || t == FALCO_PT_IPV6NET ||
                 ((t == FALCO_PT_IPADDR || t == FALCO_PT_IPNET) && seed % 2);
        int net = t == FALCO_PT_IPV4NET || t == FALCO_PT_IPV6NET || t == FALCO_PT_IPNET;
        v.v.ip.family = v6 ? FALCO_AF_INET6 : FALCO_AF_INET;
        for (int i = 0; i < (v6 ? 16 : 4); i++) {
            v.v.ip.addr[i] = (uint8_t)(10 + i + seed);
            if (net)
                v.v.ip.mask[i] = 0xff;
        }
        return v;
    }
    default:
        break;
    }
    if (falco_evt_param_type_size(t) && w <= 8) {
        uint64_t mask = w == 8 ? UINT64_MAX : ((uint64_t)1 << (8 * w)) - 1;
        if (seed % 2) /* signed kinds get negatives, unsigned the top of their range */
            v.v.u64 = (uint64_t)-(int64_t)(seed + 1) & mask;
        else
            v.v.u64 = (0x8877665544332211ull + seed) & mask;
        if (v.v.u64 & ((uint64_t)1 << (8 * w - 1)) && w < 8 && t != FALCO_PT_UINT64) {
            /* sign-extend for the signed kinds: decoding gives the int64 value */
            int signed_kind = t == FALCO_PT_INT8 || t == FALCO_PT_INT16 || t == FALCO_PT_INT32 ||
                              t == FALCO_PT_FD32 || t == FALCO_PT_PID32;
            if (signed_kind)
                v.v.u64 |= ~mask;
        }
        return v;
    }
    fail_msg("no generator for %s", falco_evt_param_type_name(t));
    return v;
}

static falco_evt_value gen_param(const falco_evt_param_info *pi, unsigned seed)
{
    if (pi->type != FALCO_PT_DYN)
        return gen_value(pi->type, seed);
    uint32_t k = seed % pi->ndyn;
    falco_evt_value v = gen_value(pi->dyn_types[k], seed);
    v.dyn_index = k;
    return v;
}

static void assert_same_strings(const falco_evt_strarray *src, const falco_evt_strarray *got)
{
    uint32_t pos = 0, n = 0;
    const char *s;
    size_t len;
    while (falco_evt_strarray_next(got, &pos, &s, &len)) {
        assert_true(n < src->count);
        assert_int_equal(len, strlen(src->items[n]));
        assert_memory_equal(s, src->items[n], len);
        n++;
    }
    assert_int_equal(n, src->count);
    assert_int_equal(got->count, src->count);
}

static void assert_same_value(const falco_evt_value *a, const falco_evt_value *b)
{
    assert_int_equal(a->type, b->type);
    assert_int_equal(a->dyn_index, b->dyn_index);
    switch (a->type) {
    case FALCO_PT_CHARBUF:
    case FALCO_PT_FSPATH:
    case FALCO_PT_FSRELPATH:
        assert_int_equal(a->v.str.len, b->v.str.len);
        assert_memory_equal(a->v.str.ptr, b->v.str.ptr, a->v.str.len);
        assert_int_equal(b->v.str.ptr[b->v.str.len], '\0');
        break;
    case FALCO_PT_BYTEBUF:
        assert_int_equal(a->v.bytes.len, b->v.bytes.len);
        assert_memory_equal(a->v.bytes.ptr, b->v.bytes.ptr, a->v.bytes.len);
        break;
    case FALCO_PT_DOUBLE:
        assert_true(a->v.f64 == b->v.f64);
        break;
    case FALCO_PT_SOCKADDR:
        assert_int_equal(a->v.sockaddr.family, b->v.sockaddr.family);
        assert_int_equal(a->v.sockaddr.port, b->v.sockaddr.port);
        assert_memory_equal(a->v.sockaddr.addr, b->v.sockaddr.addr, 16);
        assert_int_equal(a->v.sockaddr.path_len, b->v.sockaddr.path_len);
        if (a->v.sockaddr.path_len)
            assert_memory_equal(a->v.sockaddr.path, b->v.sockaddr.path, a->v.sockaddr.path_len);
        assert_int_equal(a->v.sockaddr.raw_len, b->v.sockaddr.raw_len);
        if (a->v.sockaddr.raw_len)
            assert_memory_equal(a->v.sockaddr.raw, b->v.sockaddr.raw, a->v.sockaddr.raw_len);
        break;
    case FALCO_PT_SOCKTUPLE: {
        const falco_evt_socktuple *x = &a->v.socktuple, *y = &b->v.socktuple;
        assert_int_equal(x->family, y->family);
        assert_memory_equal(x->src_addr, y->src_addr, 16);
        assert_memory_equal(x->dst_addr, y->dst_addr, 16);
        assert_int_equal(x->src_port, y->src_port);
        assert_int_equal(x->dst_port, y->dst_port);
        assert_int_equal(x->src_ptr, y->src_ptr);
        assert_int_equal(x->dst_ptr, y->dst_ptr);
        assert_int_equal(x->path_len, y->path_len);
        if (x->path_len)
            assert_memory_equal(x->path, y->path, x->path_len);
        assert_int_equal(x->raw_len, y->raw_len);
        break;
    }
    case FALCO_PT_FDLIST:
        assert_int_equal(a->v.fdlist.count, b->v.fdlist.count);
        for (uint32_t i = 0; i < a->v.fdlist.count; i++) {
            falco_evt_fdlist_entry x, y;
            assert_int_equal(falco_evt_fdlist_get(&a->v.fdlist, i, &x), FALCO_OK);
            assert_int_equal(falco_evt_fdlist_get(&b->v.fdlist, i, &y), FALCO_OK);
            assert_int_equal(x.fd, y.fd);
            assert_int_equal(x.flags, y.flags);
        }
        break;
    case FALCO_PT_CHARBUFARRAY:
    case FALCO_PT_CHARBUF_PAIR_ARRAY:
        assert_same_strings(&a->v.strarray, &b->v.strarray);
        break;
    case FALCO_PT_IPV4ADDR:
    case FALCO_PT_IPV4NET:
    case FALCO_PT_IPV6ADDR:
    case FALCO_PT_IPV6NET:
    case FALCO_PT_IPADDR:
    case FALCO_PT_IPNET:
        assert_int_equal(a->v.ip.family, b->v.ip.family);
        assert_memory_equal(a->v.ip.addr, b->v.ip.addr, 16);
        assert_memory_equal(a->v.ip.mask, b->v.ip.mask, 16);
        break;
    default:
        assert_int_equal(a->v.u64, b->v.u64);
        break;
    }
}

/* Encodes nparams generated params of code, then checks everything. */
static void roundtrip(uint16_t code, uint32_t nparams, unsigned seed)
{
    const falco_evt_info *info = falco_evt_table_get(code);
    falco_evt_value in[FALCO_EVT_MAX_PARAMS], out[FALCO_EVT_MAX_PARAMS];
    for (uint32_t i = 0; i < nparams; i++)
        in[i] = gen_param(&info->params[i], seed + i);
    uint8_t buf[2048], again[2048];
    size_t n = 0, n2 = 0;
    char err[256];
    falco_rc rc = falco_evt_encode(buf, sizeof buf, &n, code, 100 + seed, 7, in, nparams, err, sizeof err);
    if (rc != FALCO_OK)
        fail_msg("encode %u: %s", code, err);
    falco_evt_view v;
    if (falco_evt_view_init(&v, buf, n) != FALCO_OK)
        fail_msg("view %u: %s", code, falco_evt_view_error(&v));
    assert_int_equal(v.type, code);
    assert_int_equal(v.nparams, nparams);
    assert_int_equal(v.ts, 100 + seed);
    for (uint32_t i = 0; i < nparams; i++) {
        if (falco_evt_param_get(&v, i, &out[i]) != FALCO_OK)
            fail_msg("get %u/%u: %s", code, i, falco_evt_view_error(&v));
        assert_same_value(&in[i], &out[i]);
        /* the by-name path finds the same bytes (first param of that name) */
        int idx = falco_evt_param_index(&v, info->params[i].name);
        assert_true(idx >= 0 && (uint32_t)idx <= i);
    }
    if (nparams < info->nparams) {
        falco_evt_value missing;
        assert_int_equal(falco_evt_param_get(&v, nparams, &missing), FALCO_ENOTFOUND);
    }
    rc = falco_evt_encode(again, sizeof again, &n2, code, 100 + seed, 7, out, nparams, err, sizeof err);
    if (rc != FALCO_OK)
        fail_msg("re-encode %u: %s", code, err);
    assert_int_equal(n2, n);
    assert_memory_equal(again, buf, n);
    char line[1024];
    size_t needed;
    if (falco_evt_format(&v, 0, line, sizeof line, &needed) != FALCO_OK)
        fail_msg("format %u: %s", code, falco_evt_view_error(&v));
    assert_true(needed < sizeof line);
    assert_int_equal(strncmp(line, code % 2 ? "< " : "> ", 2), 0);
}

static void test_every_event_code(void **state)
{
    (void)state;
    assert_int_equal(falco_evt_table_count(), FALCO_EVT_COUNT);
    unsigned checked = 0;
    for (uint16_t code = 0; code < FALCO_EVT_COUNT; code++) {
        const falco_evt_info *info = falco_evt_table_get(code);
        for (unsigned seed = 0; seed < 4; seed++) {
            roundtrip(code, info->nparams, seed);
            if (info->nparams)
                roundtrip(code, info->nparams - 1, seed);
        }
        checked++;
    }
    assert_int_equal(checked, 454);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_event_code),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
