/* siglab: the command-line front end.  Dispatches to one file per
 * subcommand. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"

struct subcommand {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct subcommand subcommands[] = {
	{ "run", cmd_run, "run a scenario on the model and print its trace" },
	{ "explore", cmd_explore, "every interleaving of a scenario's par steps: all outcomes" },
	{ "host", cmd_host, "run a scenario on the real kernel" },
	{ "diff", cmd_diff, "compare the model with the real kernel" },
	{ "table", cmd_table, "print signal(7)'s table for an architecture" },
	{ "why", cmd_why, "predict what a signal would do to a live process, and why" },
	{ "ps", cmd_ps, "list processes with their signal state from /proc" },
	{ "exec", cmd_exec, "run a program with its signals decided by the model" },
	{ "fuzz", cmd_fuzz, "random scenarios on the model and the real kernel; divergences shrunk" },
};

static void usage(FILE *to)
{
	fprintf(to, "usage: siglab COMMAND [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
		fprintf(to, "  %-8s %s\n", subcommands[i].name, subcommands[i].summary);
	fprintf(to, "\nsiglab COMMAND --help for a command's options.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
		if (!strcmp(argv[1], subcommands[i].name))
			return subcommands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "siglab: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
