/*
 * capture_threads.c - see capture_threads.h.
 *
 * libsinsp keeps a socket's addresses in one packed union (IPv4 tuple, IPv6
 * tuple, IPv4 and IPv6 server address, unix pair) and its file_descriptors
 * table exposes every member of every variant as a field, so each field
 * reads whatever bytes the socket's own variant put at its offset
 * (falco_host_fd_set_socket fills the fields so). As libsinsp does with a
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
    falco_host_socket sock = { .sip = c->sip, .dip = c->dip, .sport = c->sport, .dport = c->dport,
                               .l4proto = c->l4proto, .unix_src = c->unix_source, .unix_dest = c->unix_dest };
    char a[96], b[96];
    int type = c->type;
    if (type == FD_IPV6_SOCK && ipv4_mapped(c->sip) && ipv4_mapped(c->dip)) {
        type = FD_IPV4_SOCK;
        sock.sip = c->sip + 12, sock.dip = c->dip + 12;
        fd->type = FD_IPV4_SOCK;
    }
    switch (type) {
    case FD_IPV4_SOCK:
        if (has_port(servers, sock.sport)) { /* accepted by a local server: the host is its server */
            const uint8_t *t = sock.sip;
            sock.sip = sock.dip, sock.dip = t;
            sock.sport = c->dport, sock.dport = c->sport;
            fd->flags |= ROLE_SERVER;
        } else {
            fd->flags |= ROLE_CLIENT;
        }
        ipv4_str(a, sizeof a, sock.sip, sock.sport);
        ipv4_str(b, sizeof b, sock.dip, sock.dport);
        snprintf(name, size, "%s->%s", a, b);
        break;
    case FD_IPV4_SERVSOCK:
        ipv4_str(name, size, sock.sip, sock.sport);
        break;
    case FD_IPV6_SOCK:
        ipv6_str(a, sizeof a, sock.sip, sock.sport);
        ipv6_str(b, sizeof b, sock.dip, sock.dport);
        snprintf(name, size, "%s->%s", a, b);
        if (!a[0] || !b[0])
            name[0] = '\0';
        break;
    case FD_IPV6_SERVSOCK:
        ipv6_str(name, size, sock.sip, sock.sport);
        break;
    case FD_UNIX_SOCK:
        fd->flags |= c->name[0] ? ROLE_SERVER : ROLE_CLIENT;
        break;
    default:
        return;
    }
    if ((type == FD_IPV4_SOCK || type == FD_IPV6_SOCK) && c->l4proto == L4_TCP)
        fd->flags |= SOCKET_CONNECTED;
    if (type != FD_UNIX_SOCK)
        fd->name = name; /* a unix socket's is the capture's path */
    (void)falco_host_fd_set_socket(fd, &sock); /* fd->type is one of the socket types here */
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
