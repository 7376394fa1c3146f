/*
 * main.c - falcoplug: inspect, check and run any Falco plugin .so.
 * Dispatches the first argument through a table of commands.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <falco/version.h>

#include "falcoplug.h"

static const struct {
    const char *name;
    int (*main)(int argc, char **argv);
    const char *summary;
} commands[] = {
    { "info", falcoplug_info_main, "info PLUGIN                  what the plugin declares: metadata, fields, schema" },
    { "check", falcoplug_check_main,
      "check PLUGIN [options]       every load and init rule libsinsp applies (--with: partners first)" },
    { "run", falcoplug_run_main, "run PLUGIN [options]         open the source and print its events (--with: more plugins)" },
    { "bench", falcoplug_bench_main, "bench PLUGIN | --pair A B    measure next_batch and extraction" },
    { "dump", falcoplug_dump_main, "dump FILE [options]          print the events of a capture file" },
};

static void usage(FILE *out)
{
    fprintf(out, "usage: falcoplug <command> [args]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %s\n", commands[i].summary);
    fprintf(out, "\nPLUGIN is the path of a plugin .so file (a bare name is taken in the current\n"
                 "directory, never looked up in the library search path).\n"
                 "`falcoplug <command> --help` for the options of a command.\n"
                 "Exit status: 0 success, 1 the plugin or its input failed, 2 usage error.\n");
}

int falcoplug_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return 1;
    return 0;
}

/* Every command's output is checked here, once: status unless stdout could
 * not be written (a full disk, /dev/full, a closed pipe), then 1 with the
 * reason on stderr, so no output is lost silently. */
static int check_stdout(const char *cmd, int status)
{
    if (falcoplug_flush_stdout())
        return status;
    const char *why = falcoplug_stdout_error();
    fprintf(stderr, "falcoplug%s%s: writing stdout failed%s%s\n", cmd ? " " : "", cmd ? cmd : "", why ? ": " : "",
            why ? why : "");
    return status ? status : 1;
}

int main(int argc, char **argv)
{
    /* With descriptor 1 closed, the next file opened (a -w capture, say)
     * would get it and receive what is meant for stdout. */
    if (fcntl(STDOUT_FILENO, F_GETFD) == -1 && errno == EBADF) {
        fprintf(stderr, "falcoplug: stdout is closed: nowhere to write the output\n");
        return 1;
    }
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return check_stdout(NULL, 0);
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("falcoplug %s (plugin API %s)\n", FALCO_SDK_VERSION_STRING, FALCO_HOST_API_VERSION_STRING);
        return check_stdout(NULL, 0);
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return check_stdout(commands[i].name, commands[i].main(argc - 1, argv + 1));
    fprintf(stderr, "falcoplug: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
