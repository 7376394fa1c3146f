/*
 * event_names.c - Linux errno and signal names, and syscall names, for
 * rendering events.
 *
 * Events carry Linux numbers whatever the platform reading them, so these
 * tables are fixed rather than taken from the local <errno.h>. Syscall names
 * are libs' (generated into syscall_table_data.c).
 */
#include "events/event_internal.h"

static const char *const errno_names[] = {
    [1] = "EPERM", [2] = "ENOENT", [3] = "ESRCH", [4] = "EINTR", [5] = "EIO", [6] = "ENXIO",
    [7] = "E2BIG", [8] = "ENOEXEC", [9] = "EBADF", [10] = "ECHILD", [11] = "EAGAIN", [12] = "ENOMEM",
    [13] = "EACCES", [14] = "EFAULT", [15] = "ENOTBLK", [16] = "EBUSY", [17] = "EEXIST", [18] = "EXDEV",
    [19] = "ENODEV", [20] = "ENOTDIR", [21] = "EISDIR", [22] = "EINVAL", [23] = "ENFILE", [24] = "EMFILE",
    [25] = "ENOTTY", [26] = "ETXTBSY", [27] = "EFBIG", [28] = "ENOSPC", [29] = "ESPIPE", [30] = "EROFS",
    [31] = "EMLINK", [32] = "EPIPE", [33] = "EDOM", [34] = "ERANGE", [35] = "EDEADLK",
    [36] = "ENAMETOOLONG", [37] = "ENOLCK", [38] = "ENOSYS", [39] = "ENOTEMPTY", [40] = "ELOOP",
    [42] = "ENOMSG", [43] = "EIDRM", [44] = "ECHRNG", [45] = "EL2NSYNC", [46] = "EL3HLT", [47] = "EL3RST",
    [48] = "ELNRNG", [49] = "EUNATCH", [50] = "ENOCSI", [51] = "EL2HLT", [52] = "EBADE", [53] = "EBADR",
    [54] = "EXFULL", [55] = "ENOANO", [56] = "EBADRQC", [57] = "EBADSLT", [59] = "EBFONT", [60] = "ENOSTR",
    [61] = "ENODATA", [62] = "ETIME", [63] = "ENOSR", [64] = "ENONET", [65] = "ENOPKG", [66] = "EREMOTE",
    [67] = "ENOLINK", [68] = "EADV", [69] = "ESRMNT", [70] = "ECOMM", [71] = "EPROTO", [72] = "EMULTIHOP",
    [73] = "EDOTDOT", [74] = "EBADMSG", [75] = "EOVERFLOW", [76] = "ENOTUNIQ", [77] = "EBADFD",
    [78] = "EREMCHG", [79] = "ELIBACC", [80] = "ELIBBAD", [81] = "ELIBSCN", [82] = "ELIBMAX",
    [83] = "ELIBEXEC", [84] = "EILSEQ", [85] = "ERESTART", [86] = "ESTRPIPE", [87] = "EUSERS",
    [88] = "ENOTSOCK", [89] = "EDESTADDRREQ", [90] = "EMSGSIZE", [91] = "EPROTOTYPE", [92] = "ENOPROTOOPT",
    [93] = "EPROTONOSUPPORT", [94] = "ESOCKTNOSUPPORT", [95] = "EOPNOTSUPP", [96] = "EPFNOSUPPORT",
    [97] = "EAFNOSUPPORT", [98] = "EADDRINUSE", [99] = "EADDRNOTAVAIL", [100] = "ENETDOWN",
    [101] = "ENETUNREACH", [102] = "ENETRESET", [103] = "ECONNABORTED", [104] = "ECONNRESET",
    [105] = "ENOBUFS", [106] = "EISCONN", [107] = "ENOTCONN", [108] = "ESHUTDOWN", [109] = "ETOOMANYREFS",
    [110] = "ETIMEDOUT", [111] = "ECONNREFUSED", [112] = "EHOSTDOWN", [113] = "EHOSTUNREACH",
    [114] = "EALREADY", [115] = "EINPROGRESS", [116] = "ESTALE", [117] = "EUCLEAN", [118] = "ENOTNAM",
    [119] = "ENAVAIL", [120] = "EISNAM", [121] = "EREMOTEIO", [122] = "EDQUOT", [123] = "ENOMEDIUM",
    [124] = "EMEDIUMTYPE", [125] = "ECANCELED", [126] = "ENOKEY", [127] = "EKEYEXPIRED",
    [128] = "EKEYREVOKED", [129] = "EKEYREJECTED", [130] = "EOWNERDEAD", [131] = "ENOTRECOVERABLE",
    [132] = "ERFKILL", [133] = "EHWPOISON",
};

/* Kernel-internal codes that leak into syscall results (interrupted calls). */
static const char *const errno_internal_names[] = {
    "ERESTARTSYS", "ERESTARTNOINTR", "ERESTARTNOHAND", "ENOIOCTLCMD", "ERESTART_RESTARTBLOCK",
    "EPROBE_DEFER",
};

static const char *const signal_names[] = {
    [1] = "SIGHUP", [2] = "SIGINT", [3] = "SIGQUIT", [4] = "SIGILL", [5] = "SIGTRAP", [6] = "SIGABRT",
    [7] = "SIGBUS", [8] = "SIGFPE", [9] = "SIGKILL", [10] = "SIGUSR1", [11] = "SIGSEGV", [12] = "SIGUSR2",
    [13] = "SIGPIPE", [14] = "SIGALRM", [15] = "SIGTERM", [16] = "SIGSTKFLT", [17] = "SIGCHLD",
    [18] = "SIGCONT", [19] = "SIGSTOP", [20] = "SIGTSTP", [21] = "SIGTTIN", [22] = "SIGTTOU", [23] = "SIGURG",
    [24] = "SIGXCPU", [25] = "SIGXFSZ", [26] = "SIGVTALRM", [27] = "SIGPROF", [28] = "SIGWINCH",
    [29] = "SIGIO", [30] = "SIGPWR", [31] = "SIGSYS",
};

const char *falco_evt_errno_name(int64_t e)
{
    if (e < 0) {
        if (e == INT64_MIN)
            return NULL;
        e = -e;
    }
    if ((uint64_t)e < FALCO_COUNT(errno_names))
        return errno_names[e];
    if (e >= 512 && (uint64_t)(e - 512) < FALCO_COUNT(errno_internal_names))
        return errno_internal_names[e - 512];
    return NULL;
}

const char *falco_evt_signal_name(uint64_t s)
{
    return s < FALCO_COUNT(signal_names) ? signal_names[s] : NULL;
}

size_t falco_evt_syscall_count(void)
{
    return falco__evt_syscall_count;
}

const char *falco_evt_syscall_name(uint64_t sc)
{
    return sc < falco__evt_syscall_count ? falco__evt_syscall_names[sc] : NULL;
}

uint16_t falco_evt_syscall_from_x86_64(uint64_t nr)
{
    return nr < falco__evt_syscall_x86_64_count ? falco__evt_syscall_x86_64[nr] : 0;
}

/* The u16 of param idx, when the event has it with its 2 bytes. */
static bool param_u16(const falco_evt_view *v, uint32_t idx, uint16_t *out)
{
    if (idx >= v->nparams || v->param_len[idx] != 2)
        return false;
    *out = falco__rd16(v->data + v->param_off[idx]);
    return true;
}

const char *falco_evt_type_name(const falco_evt_view *v)
{
    if (!v || !v->info)
        return NULL;
    if (v->type != FALCO_PPME_GENERIC_E && v->type != FALCO_PPME_GENERIC_X)
        return v->info->name;
    /* libsinsp: the ID's code; a capture's ID 0 is read through its nativeID
     * (a syscall libs numbered after the capture was written) */
    uint16_t sc, native;
    if (!param_u16(v, 0, &sc))
        return v->info->name;
    if (sc == 0 && param_u16(v, 1, &native))
        sc = falco_evt_syscall_from_x86_64(native);
    const char *name = falco_evt_syscall_name(sc);
    return name && *name ? name : v->info->name;
}
