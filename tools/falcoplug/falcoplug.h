/*
 * falcoplug.h - the commands of the falcoplug CLI and helpers they share.
 * Each command is `int falcoplug_<cmd>_main(int argc, char **argv)` with
 * argv[0] the command name; it returns the process exit code: 0 success,
 * 1 a failure of the plugin or its input, 2 a usage error.
 */
#ifndef FALCOPLUG_H
#define FALCOPLUG_H

#include <stdbool.h>
#include <stdio.h>

#include <falco/host.h>

int falcoplug_info_main(int argc, char **argv);
int falcoplug_check_main(int argc, char **argv);
int falcoplug_run_main(int argc, char **argv);
int falcoplug_bench_main(int argc, char **argv);
int falcoplug_dump_main(int argc, char **argv);

/* Marks in keep[] (FALCO_EVT_COUNT entries) the event codes that arg selects:
 * a code ("322"), an event name ("open": enter and exit) or an enum name
 * ("PPME_SYSCALL_OPEN_E" or "SYSCALL_OPEN_E"). False when it selects none. */
bool falcoplug_select_event_type(const char *arg, bool *keep);

/* True when argv holds -h or --help. */
int falcoplug_wants_help(int argc, char **argv);

/* Writes JSON text indented by two spaces per level, each line prefixed by
 * indent; falls back to the raw text when it does not parse. */
void falcoplug_print_json(FILE *out, const char *text, const char *indent);

/* Routes p's log lines to stderr (debug/trace only with FALCOPLUG_DEBUG set). */
void falcoplug_set_log(falco_host_plugin *p);

#endif
