/* The options siglab host and siglab diff share. */
#include <errno.h>
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
	if (!strcmp(arg, "--timeout")) {
		const char *v;
		char *end;
		long ms;

		if (cli_option_value(cmd, argc, argv, i, "a number of milliseconds", &v) < 0)
			return -1;
		errno = 0;
		ms = strtol(v, &end, 10);
		if (errno || end == v || *end || ms <= 0 || ms > 600000) {
			fprintf(stderr, "siglab %s: --timeout takes 1..600000 ms, not '%s'\n", cmd, v);
			return -1;
		}
		o->step_timeout_ms = (int)ms;
		return 1;
	}
	return 0;
}
