/*
 * falcoplug.h - the commands of the falcoplug CLI and helpers they share.
 * Each command is `int falcoplug_<cmd>_main(int argc, char **argv)` with
 * argv[0] the command name; it returns the process exit code: 0 success,
 * 1 a failure of the plugin or its input, 2 a usage error.
 */
#ifndef FALCOPLUG_H
#define FALCOPLUG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <falco/host.h>

int falcoplug_info_main(int argc, char **argv);
int falcoplug_check_main(int argc, char **argv);
int falcoplug_run_main(int argc, char **argv);
int falcoplug_bench_main(int argc, char **argv);
int falcoplug_dump_main(int argc, char **argv);

/* Entries of a --type selection: the event codes, then the syscall codes
 * whose generic events (PPME_GENERIC_E/X) are named after them. */
#define FALCOPLUG_SYSCALL_SLOTS 1024
#define FALCOPLUG_TYPE_SLOTS (FALCO_EVT_COUNT + FALCOPLUG_SYSCALL_SLOTS)

/* Marks in keep[] (FALCOPLUG_TYPE_SLOTS entries) what arg selects: a code
 * in decimal digits only ("322"; "0322" is 322, "0x142" and "+322" are no
 * code), an event name ("open": enter and exit), an enum name
 * ("PPME_SYSCALL_OPEN_E" or "SYSCALL_OPEN_E"), or a syscall name, which
 * also selects the generic events libsinsp names so ("mprotect"). False
 * when it selects none (a code too large included). */
bool falcoplug_select_event_type(const char *arg, bool *keep);

/* Whether the event of len bytes at ev is selected by keep[] (see above):
 * its code, or for a generic syscall event the syscall it is named after. */
bool falcoplug_event_selected(const bool *keep, const void *ev, size_t len);

/* True when argv holds -h or --help. */
int falcoplug_wants_help(int argc, char **argv);

/* Writes JSON text indented by two spaces per level, each line prefixed by
 * indent; falls back to the raw text when it does not parse. */
void falcoplug_print_json(FILE *out, const char *text, const char *indent);

/* Routes p's log lines to stderr (debug/trace only with FALCOPLUG_DEBUG set). */
void falcoplug_set_log(falco_host_plugin *p);

/* Writes len bytes of s (plugin-provided text) so that it stays on one line
 * and cannot drive the terminal: printable ASCII and valid UTF-8 as they are,
 * control characters (C0, DEL, C1), invalid and truncated UTF-8 as '.', one
 * per byte: `dump`'s '.' for what must not reach the terminal, with valid
 * UTF-8 kept. */
void falcoplug_put_text(FILE *out, const char *s, size_t len);

/* As falcoplug_put_text for a NUL-terminated s; NULL prints nothing. */
void falcoplug_put_str(FILE *out, const char *s);

/* stdout's state, checked for every command by main(): true while nothing
 * written to stdout has failed. falcoplug_stdout_ok() remembers the errno of
 * the failure, so call it right after writing; falcoplug_flush_stdout()
 * flushes first. falcoplug_stdout_error() is the reason of the first
 * failure (static string), or NULL when unknown. */
bool falcoplug_stdout_ok(void);
bool falcoplug_flush_stdout(void);
const char *falcoplug_stdout_error(void);

/* The same rule applied in place to the NUL-terminated s; returns s. */
char *falcoplug_clean_text(char *s);

/* Parses text, the value of option opt of command cmd, as a decimal number
 * (digits only: no sign, base prefix or spaces) from min to max. Returns 0
 * with *out, or -1 after printing on stderr a message naming cmd, opt and
 * text (not a number, overflow, out of range). */
int falcoplug_parse_u64(const char *cmd, const char *opt, const char *text, uint64_t min, uint64_t max,
                        uint64_t *out);

/* The path to dlopen for the PLUGIN argument arg: a file path always, so a
 * bare name ("libx.so") becomes "./libx.so" instead of going through the
 * dynamic linker's search path. Returns a malloc'd string the caller frees,
 * or NULL (message on stderr) when out of memory. */
char *falcoplug_plugin_path(const char *arg);

#endif
