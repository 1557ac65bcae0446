/* siglab: the command-line front end.  Dispatches to one file per
 * subcommand. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "siglab.h"

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
	fprintf(to, "usage: siglab COMMAND [ARGS]\n"
		    "       siglab help [COMMAND] | --help | --version\n\ncommands:\n");
	for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
		fprintf(to, "  %-8s %s\n", subcommands[i].name, subcommands[i].summary);
	fprintf(to, "\nsiglab help COMMAND (or siglab COMMAND --help) for a command's options.\n"
		    "exit status: 0 ok, 1 a failed expectation or a divergence, 2 a usage or\n"
		    "scenario error, 130 interrupted (host, diff)\n");
}

static void version(void)
{
	/* The program's version is the library's it was built with. */
	printf("siglab %d.%d.%d (libsiglab %s)\n", SL_VERSION_MAJOR, SL_VERSION_MINOR,
	       SL_VERSION_PATCH, sl_version_string());
}

static const struct subcommand *find(const char *name)
{
	for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
		if (!strcmp(name, subcommands[i].name))
			return &subcommands[i];
	return NULL;
}

int main(int argc, char **argv)
{
	const struct subcommand *c;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V") ||
	    (argc > 2 && find(argv[1]) && !strcmp(argv[2], "--version"))) {
		version();
		return 0;
	}
	if (!strcmp(argv[1], "help") && argc > 2) {
		char help[] = "--help";
		char *args[] = { argv[2], help, NULL };

		c = find(argv[2]);
		if (!c) {
			fprintf(stderr, "siglab: unknown command '%s'\n", argv[2]);
			usage(stderr);
			return 2;
		}
		return c->run(2, args);
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	c = find(argv[1]);
	if (c)
		return c->run(argc - 1, argv + 1);
	fprintf(stderr, "siglab: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
