/* siglab host: a scenario on the real kernel of this machine, with the
 * trace of docs/trace-format.md (docs/host-oracle.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "host/host.h"

static void usage(FILE *to)
{
	fprintf(to, "usage: siglab host [--keep-going] [--no-trace] [--timeout MS] [--verbose] "
		    "[--] FILE...\n"
		    "  runs each scenario FILE (- reads standard input) on the real kernel\n"
		    "  --keep-going  go on with the next file after a failure\n"
		    "  --no-trace    do not record the kernel's tracepoints (tracefs)\n"
		    "  --timeout MS  how long a step may take to settle (default 2000)\n"
		    "  --verbose     host-only details (timing, tracing) on stderr\n"
		    "A scenario the host cannot run prints \"skipped: REASON\" and counts as ok.\n"
		    "exit status: 0 ran (or skipped), 1 runtime failure or timeout,\n"
		    "             2 usage or scenario error, 130 interrupted\n");
}

/* Runs one file; returns its exit status. */
static int host_file(const char *file, const struct host_options *o)
{
	struct scenario *s = NULL;
	struct host_result r;
	int status = 0;

	if (cli_load_scenario("host", file, &s) < 0)
		return 2;
	switch (host_run(s, o, &r)) {
	case HOST_SKIPPED:
		printf("skipped: %s\n", r.skip);
		break;
	case HOST_OK:
		fputs(r.trace, stdout);
		break;
	case HOST_ERROR:
		fputs(r.trace, stdout);
		fprintf(stderr, "%s:%d:%d: %s\n", file, r.diag.pos.line, r.diag.pos.col,
			r.diag.message);
		status = 2;
		break;
	case HOST_FAILED:
		fputs(r.trace, stdout);
		fprintf(stderr, "siglab host: %s: %s\n", file, r.failure);
		status = host_interrupted() ? 130 : 1;
		break;
	}
	fflush(stdout);
	if (o->verbose && r.status != HOST_SKIPPED)
		fprintf(stderr, "siglab host: %s: %.3f s, %s\n", file, r.seconds,
			r.traced ? "tracepoints recorded" : "agent reports only");
	host_result_free(&r);
	sc_free(s);
	return status;
}

int cmd_host(int argc, char **argv)
{
	struct host_options o = { .command = "siglab host" };
	bool keep_going = false;
	bool options = true;
	int nfiles = 0, worst = 0;

	/* The files are gathered at argv[1..nfiles], in their order. */
	for (int i = 1; i < argc; i++) {
		int shared = options ? cli_host_option("host", argc, argv, &i, &o) : 0;

		if (shared < 0)
			return 2;
		if (shared > 0)
			continue;
		if (options && !strcmp(argv[i], "--")) {
			options = false;
		} else if (options && !strcmp(argv[i], "--keep-going")) {
			keep_going = true;
		} else {
			enum cli_arg a = options ? cli_plain_arg("host", argv[i], usage) : CLI_ARG_FILE;

			if (a != CLI_ARG_FILE)
				return a == CLI_ARG_HELP ? 0 : 2;
			argv[++nfiles] = argv[i];
		}
	}
	if (!nfiles)
		return cli_usage_error("host", usage, "no scenario FILE");
	host_install_interrupt_handlers();
	/* An interrupt (host_install_interrupt_handlers) stops the run,
	 * between files too, with 130 once the run in progress has been
	 * cleaned up. */
	for (int i = 1; i <= nfiles && !host_interrupted(); i++) {
		int st = host_file(argv[i], &o);

		if (st == 130)
			return 130;
		if (host_interrupted())
			break;
		if (st > worst || (worst == 1 && st == 2))
			worst = st;
		if (st && !keep_going)
			return st;
	}
	if (host_interrupted()) {
		/* between two runs: nothing was left to clean up */
		fprintf(stderr, "siglab host: %s\n", host_interrupt_message());
		return 130;
	}
	return worst;
}
