/*
 * cputime - the CPU time of one command, to the microsecond.
 *
 * usage: cputime OUT COMMAND [ARG]...
 * Runs COMMAND (searched in PATH) with this process's stdin, stdout and
 * stderr, waits for it with wait4 and writes to the file OUT one line:
 *   cpu_us <user+sys> user_us <user> sys_us <sys>
 * the CPU time of the command and every thread it ran (not its own
 * children's), in microseconds. GNU time reports the same rusage in 10 ms
 * steps, too coarse for bench/run's ratios of runs of under a second. The
 * exit status is the command's: 128 + the signal when a signal ended it, 127
 * when it could not be run, 2 on a usage error (OUT is not written then).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static long long usec(struct timeval t) {
    return (long long)t.tv_sec * 1000000 + t.tv_usec;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: cputime OUT COMMAND [ARG]...\n");
        return 2;
    }
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "cputime: fork: %s\n", strerror(errno));
        return 127;
    }
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        fprintf(stderr, "cputime: cannot run %s: %s\n", argv[2], strerror(errno));
        _exit(127);
    }
    int status;
    struct rusage ru;
    pid_t got;
    while ((got = wait4(pid, &status, 0, &ru)) < 0 && errno == EINTR)
        ;
    if (got < 0) {
        fprintf(stderr, "cputime: wait4: %s\n", strerror(errno));
        return 127;
    }
    FILE *out = fopen(argv[1], "w");
    if (!out || fprintf(out, "cpu_us %lld user_us %lld sys_us %lld\n", usec(ru.ru_utime) + usec(ru.ru_stime),
                        usec(ru.ru_utime), usec(ru.ru_stime)) < 0 ||
        fclose(out) != 0) {
        fprintf(stderr, "cputime: cannot write %s: %s\n", argv[1], strerror(errno));
        return 127;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 127;
}
