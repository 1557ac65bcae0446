/* The siglab subcommands: one file each, each a main()-shaped entry point
 * that returns the process exit status (0 ok, 1 a failed expectation or a
 * divergence, 2 a usage or scenario error). */
#ifndef SIGLAB_CLI_COMMANDS_H
#define SIGLAB_CLI_COMMANDS_H

#include <stdio.h>

int cmd_run(int argc, char **argv);
int cmd_explore(int argc, char **argv);
int cmd_host(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_table(int argc, char **argv);
int cmd_why(int argc, char **argv);
int cmd_ps(int argc, char **argv);
int cmd_exec(int argc, char **argv);
int cmd_fuzz(int argc, char **argv);

/* The distributed search's communicator for cmd_explore: NULL, but in
 * siglab-mpi (src/mpi/main.c), which sets it before calling cmd_explore. */
#include <stdbool.h>
struct ex_comm;
extern const struct ex_comm *cli_explore_comm;
/* Show explore's progress line even when stderr is not a terminal
 * (siglab-mpi's rank 0 under mpirun, whose stderr is a pipe, when
 * SIGLAB_MPI_PROGRESS is set). */
extern bool cli_explore_progress;

/* Command-line arguments of why and ps: a pid (1..INT_MAX) or -1; a signal
 * name in any case, with or without SIG, or a number 0..64, or -1. */
int cli_parse_pid(const char *s);
int cli_parse_signal(const char *s);

struct scenario;
struct host_options;

/* The options host and diff share (--no-trace, --verbose, --timeout MS):
 * 1 when argv[*i] was one (and *i moved past its value), 0 when not, -1
 * on a bad value (reported). */
int cli_host_option(const char *cmd, int argc, char **argv, int *i, struct host_options *o);

/* The arguments that run and explore read alike, after their own options:
 * -h/--help, an unknown option, and the one scenario FILE. */
enum cli_arg { CLI_ARG_FILE, CLI_ARG_HELP, CLI_ARG_BAD };
/* Handles -h/--help (usage to stdout) and an unknown option (a message and
 * usage to stderr); CLI_ARG_FILE for anything else.  The caller exits 0 on
 * CLI_ARG_HELP and 2 on CLI_ARG_BAD. */
/* The value of option argv[*i] ("--svg OUT"): *out, and *i moves past
 * it; 0, or -1 after saying on stderr that the value is missing. */
int cli_option_value(const char *cmd, int argc, char **argv, int *i, const char *what,
		     const char **out);
enum cli_arg cli_plain_arg(const char *cmd, const char *arg, void (*usage)(FILE *));
/* The same, and takes argv[i] as the one file (*file). */
enum cli_arg cli_file_arg(const char *cmd, const char *arg, const char **file,
			  void (*usage)(FILE *));

/* Reads and parses a scenario file.  On error prints "file:line:col:
 * message" (or "siglab CMD: file: reason") to stderr and returns -1; the
 * caller then exits with status 2. */
int cli_load_scenario(const char *cmd, const char *path, struct scenario **out);
/* The same for the FILE of cli_file_arg: no FILE is a usage error. */
int cli_load_file_arg(const char *cmd, const char *file, void (*usage)(FILE *),
		      struct scenario **out);
/* A usage error: "siglab CMD: MESSAGE" and the usage on stderr; returns 2,
 * the exit status of every usage error. */
int cli_usage_error(const char *cmd, void (*usage)(FILE *), const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
