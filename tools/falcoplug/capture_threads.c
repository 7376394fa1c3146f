/*
 * capture_threads.c - see capture_threads.h.
 *
 * libsinsp keeps a socket's addresses in one packed union (IPv4 tuple, IPv6
 * tuple, IPv4 and IPv6 server address, unix pair) and its file_descriptors
 * table exposes every member of every variant as a field, so each field
 * reads whatever bytes the socket's own variant put at its offset. A socket
 * is filled here the same way: its variant written into an image of the
 * union, then every field read from the image. As libsinsp does with a
 * process list, IPv4-mapped IPv6 connections become IPv4 ones, TCP ones are
 * flagged connected, an IPv4 connection whose source port is a port some
 * process listens on is turned around (the host is its server), and a unix
 * socket with a path is a server's, one without a client's.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* inet_ntop */
#endif
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture_threads.h"

/* scap fd types and l4 protocol (scap.h) */
enum { FD_IPV4_SOCK = 3, FD_IPV6_SOCK = 4, FD_IPV4_SERVSOCK = 5, FD_IPV6_SERVSOCK = 6, FD_UNIX_SOCK = 8 };
enum { L4_TCP = 2 };
/* libsinsp's fd flags (sinsp_fdinfo); FLAGS_FROM_PROC is the host's to add */
enum { ROLE_CLIENT = 1u << 2, ROLE_SERVER = 1u << 3, SOCKET_CONNECTED = 1u << 13 };

#define SOCK_UNION 40 /* the largest variant (IPv6 tuple) is 37 bytes */

typedef struct ports {
    uint16_t *v;
    size_t n;
} ports;

static bool has_port(const ports *p, uint16_t port)
{
    for (size_t i = 0; i < p->n; i++)
        if (p->v[i] == port)
            return true;
    return false;
}

static void put(uint8_t *u, size_t at, const void *v, size_t n)
{
    memcpy(u + at, v, n);
}

static uint64_t get64(const uint8_t *u, size_t at)
{
    uint64_t v;
    memcpy(&v, u + at, 8);
    return v;
}

static uint32_t get32(const uint8_t *u, size_t at)
{
    uint32_t v;
    memcpy(&v, u + at, 4);
    return v;
}

static uint16_t get16(const uint8_t *u, size_t at)
{
    uint16_t v;
    memcpy(&v, u + at, 2);
    return v;
}

static bool ipv4_mapped(const uint8_t a[16])
{
    static const uint8_t prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
    return memcmp(a, prefix, 12) == 0;
}

/* "a.b.c.d:port" of an address in network order (its bytes as they sit) */
static int ipv4_str(char *out, size_t size, const uint8_t a[4], uint16_t port)
{
    return snprintf(out, size, "%u.%u.%u.%u:%u", a[0], a[1], a[2], a[3], port);
}

static void ipv6_str(char *out, size_t size, const uint8_t a[16], uint16_t port)
{
    char addr[INET6_ADDRSTRLEN] = "";
    if (!inet_ntop(AF_INET6, a, addr, sizeof addr)) {
        out[0] = '\0'; /* libsinsp's name is empty too */
        return;
    }
    snprintf(out, size, "%s:%u", addr, port);
}

/* Fills fd's socket fields and name (into name, size bytes) from c. */
static void socket_fields(falco_host_fd *fd, const falco_capture_fd *c, const ports *servers, char *name,
                          size_t size)
{
    uint8_t u[SOCK_UNION] = { 0 };
    char a[96], b[96];
    int type = c->type;
    const uint8_t *sip = c->sip, *dip = c->dip;
    if (type == FD_IPV6_SOCK && ipv4_mapped(c->sip) && ipv4_mapped(c->dip)) {
        type = FD_IPV4_SOCK;
        sip = c->sip + 12;
        dip = c->dip + 12;
        fd->type = FD_IPV4_SOCK;
    }
    switch (type) {
    case FD_IPV4_SOCK: {
        uint16_t sport = c->sport, dport = c->dport;
        if (has_port(servers, sport)) { /* accepted by a local server: the host is its server */
            const uint8_t *t = sip;
            sip = dip, dip = t;
            sport = c->dport, dport = c->sport;
            fd->flags |= ROLE_SERVER;
        } else {
            fd->flags |= ROLE_CLIENT;
        }
        put(u, 0, sip, 4), put(u, 4, dip, 4), put(u, 8, &sport, 2), put(u, 10, &dport, 2), put(u, 12, &c->l4proto, 1);
        ipv4_str(a, sizeof a, sip, sport);
        ipv4_str(b, sizeof b, dip, dport);
        snprintf(name, size, "%s->%s", a, b);
        break;
    }
    case FD_IPV4_SERVSOCK:
        put(u, 0, sip, 4), put(u, 4, &c->sport, 2), put(u, 6, &c->l4proto, 1);
        ipv4_str(name, size, sip, c->sport);
        break;
    case FD_IPV6_SOCK:
        put(u, 0, sip, 16), put(u, 16, dip, 16), put(u, 32, &c->sport, 2), put(u, 34, &c->dport, 2);
        put(u, 36, &c->l4proto, 1);
        ipv6_str(a, sizeof a, sip, c->sport);
        ipv6_str(b, sizeof b, dip, c->dport);
        snprintf(name, size, "%s->%s", a, b);
        if (!a[0] || !b[0])
            name[0] = '\0';
        break;
    case FD_IPV6_SERVSOCK:
        put(u, 0, sip, 16), put(u, 16, &c->sport, 2), put(u, 18, &c->l4proto, 1);
        ipv6_str(name, size, sip, c->sport);
        break;
    case FD_UNIX_SOCK:
        put(u, 0, &c->unix_source, 8), put(u, 8, &c->unix_dest, 8);
        fd->flags |= c->name[0] ? ROLE_SERVER : ROLE_CLIENT;
        break;
    default:
        return;
    }
    if ((type == FD_IPV4_SOCK || type == FD_IPV6_SOCK) && c->l4proto == L4_TCP)
        fd->flags |= SOCKET_CONNECTED;
    if (type != FD_UNIX_SOCK)
        fd->name = name; /* a unix socket's is the capture's path */
    fd->socket_ipv4_src_ip = get32(u, 0), fd->socket_ipv4_dest_dip = get32(u, 4);
    fd->socket_ipv4_src_port = get16(u, 8), fd->socket_ipv4_dst_port = get16(u, 10);
    fd->socket_ipv4_l4_proto = u[12];
    fd->socket_ipv4_server_ip = get32(u, 0), fd->socket_ipv4_server_port = get16(u, 4);
    fd->socket_ipv4_server_l4_proto = u[6];
    fd->socket_ipv6_src_ip_low = get64(u, 0), fd->socket_ipv6_src_ip_high = get64(u, 8);
    fd->socket_ipv6_dest_ip_low = get64(u, 16), fd->socket_ipv6_dest_ip_high = get64(u, 24);
    fd->socket_ipv6_src_port = get16(u, 32), fd->socket_ipv6_dst_port = get16(u, 34);
    fd->socket_ipv6_l4_proto = u[36];
    fd->socket_ipv6_server_ip_low = get64(u, 0), fd->socket_ipv6_server_ip_high = get64(u, 8);
    fd->socket_ipv6_server_port = get16(u, 16), fd->socket_ipv6_server_l4_proto = u[18];
    fd->socket_unix_src = get64(u, 0), fd->socket_unix_dest = get64(u, 8);
}

falco_rc capture_threads_fill(falco_host_session *s, const falco_capture_metadata *m)
{
    for (size_t i = 0; i < m->process_count; i++) {
        const falco_capture_process *c = &m->processes[i];
        /* reaper_tid and pgid are not in the capture: libsinsp leaves them -1 */
        falco_host_thread t = {
            .tid = (int64_t)c->tid, .pid = (int64_t)c->pid, .ptid = (int64_t)c->ptid, .reaper_tid = -1,
            .sid = c->sid, .vtid = c->vtid, .vpid = c->vpid, .vpgid = c->vpgid, .pgid = -1,
            .fd_limit = (int64_t)c->fdlimit, .comm = c->comm, .exe = c->exe, .exe_path = c->exepath,
            .cwd = c->cwd, .root = c->root, .args = c->args.data, .args_len = c->args.len, .env = c->env.data,
            .env_len = c->env.len, .cgroups = c->cgroups.data, .cgroups_len = c->cgroups.len, .flags = c->flags,
            .uid = c->uid, .gid = c->gid, .loginuid = c->loginuid, .tty = c->tty, .exe_ino = c->exe_ino,
            .exe_ino_ctime = c->exe_ino_ctime, .exe_ino_mtime = c->exe_ino_mtime,
            .pidns_init_start_ts = c->pidns_init_start_ts, .exe_writable = c->exe_writable,
            .exe_upper_layer = c->exe_upper_layer, .exe_from_memfd = c->exe_from_memfd,
        };
        falco_rc rc = falco_host_threads_add(s, &t);
        if (rc != FALCO_OK)
            return rc;
    }
    /* the ports the host's servers listen on, before any connection is read */
    ports servers = { NULL, 0 };
    if (m->fd_count && !(servers.v = malloc(m->fd_count * sizeof *servers.v)))
        return FALCO_ENOMEM;
    for (size_t i = 0; i < m->fd_count; i++)
        if (m->fds[i].type == FD_IPV4_SERVSOCK || m->fds[i].type == FD_IPV6_SERVSOCK)
            servers.v[servers.n++] = m->fds[i].sport;
    falco_rc rc = FALCO_OK;
    for (size_t i = 0; rc == FALCO_OK && i < m->fd_count; i++) {
        const falco_capture_fd *c = &m->fds[i];
        char name[256];
        falco_host_fd fd = { .fd = c->fd, .type = c->type, .ino = c->ino, .name = c->name,
                             .open_flags = c->open_flags, .dev = c->dev };
        socket_fields(&fd, c, &servers, name, sizeof name);
        rc = falco_host_threads_add_fd(s, (int64_t)c->tid, &fd);
    }
    free(servers.v);
    return rc;
}
