/* The options siglab host and siglab diff share. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "host/host.h"

int cli_host_option(const char *cmd, int argc, char **argv, int *i, struct host_options *o)
{
	const char *arg = argv[*i];

	if (!strcmp(arg, "--no-trace")) {
		o->no_trace = true;
		return 1;
	}
	if (!strcmp(arg, "--verbose") || !strcmp(arg, "-v")) {
		o->verbose = true;
		return 1;
	}
	if (!strcmp(arg, "--timeout") && *i + 1 < argc) {
		o->step_timeout_ms = atoi(argv[++*i]);
		if (o->step_timeout_ms <= 0 || o->step_timeout_ms > 600000) {
			fprintf(stderr, "siglab %s: --timeout takes 1..600000 ms\n", cmd);
			return -1;
		}
		return 1;
	}
	return 0;
}

int cli_host_next_file(int argc, char **argv, int i)
{
	while (++i < argc) {
		if (argv[i][0] != '-' || !argv[i][1])
			return i;
		if (!strcmp(argv[i], "--timeout"))
			i++;
	}
	return argc;
}
