/* siglab diff: each scenario on the model and on the real kernel, traces
 * compared line by line (docs/host-oracle.md; the comparison: diffcore.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/diffcore.h"

static void usage(FILE *to)
{
	fprintf(to, "usage: siglab diff [--quiet] [--no-trace] [--timeout MS] [--verbose] [--] FILE...\n"
		    "  runs each scenario FILE (- reads standard input) on the model and the real kernel\n"
		    "  --quiet       print only divergences, errors and the summary\n"
		    "  --no-trace    do not record the kernel's tracepoints (tracefs)\n"
		    "  --timeout MS  how long a host step may take to settle (default 2000)\n"
		    "  --verbose     host-only details on stderr\n"
		    "Prints FILE: agree, FILE: skipped (REASON) or FILE: DIVERGE with the first\n"
		    "divergent lines side by side (model | host), then a summary line.\n"
		    "exit status: 0 all agree or skipped, 1 a divergence or a host failure,\n"
		    "             2 usage or scenario error, 130 interrupted\n");
}

static enum diff_outcome diff_file(const char *file, const struct host_options *o, bool quiet)
{
	struct scenario *s = NULL;
	enum diff_outcome res;

	if (cli_load_scenario("diff", file, &s) < 0)
		return DIFF_ERROR;
	res = diff_scenario(file, s, o, quiet, stdout);
	sc_free(s);
	return res;
}

int cmd_diff(int argc, char **argv)
{
	struct host_options o = { .command = "siglab diff" };
	bool quiet = false, options = true;
	int nfiles = 0;
	int count[DIFF_ERROR + 1] = { 0 };

	/* The files are gathered at argv[1..nfiles], in their order. */
	for (int i = 1; i < argc; i++) {
		int shared = options ? cli_host_option("diff", argc, argv, &i, &o) : 0;

		if (shared < 0)
			return 2;
		if (shared > 0)
			continue;
		if (options && !strcmp(argv[i], "--")) {
			options = false;
		} else if (options && (!strcmp(argv[i], "--quiet") || !strcmp(argv[i], "-q"))) {
			quiet = true;
		} else {
			enum cli_arg a = options ? cli_plain_arg("diff", argv[i], usage) : CLI_ARG_FILE;

			if (a != CLI_ARG_FILE)
				return a == CLI_ARG_HELP ? 0 : 2;
			argv[++nfiles] = argv[i];
		}
	}
	if (!nfiles)
		return cli_usage_error("diff", usage, "no scenario FILE");
	host_install_interrupt_handlers();
	for (int i = 1; i <= nfiles && !host_interrupted(); i++)
		count[diff_file(argv[i], &o, quiet)]++;
	printf("diff: %d agree, %d skipped, %d diverge, %d host failures, %d errors\n",
	       count[DIFF_AGREE], count[DIFF_SKIPPED], count[DIFF_DIVERGE], count[DIFF_FAILED],
	       count[DIFF_ERROR]);
	if (host_interrupted()) {
		fprintf(stderr, "siglab diff: %s\n", host_interrupt_message());
		return 130;
	}
	if (count[DIFF_ERROR])
		return 2;
	return count[DIFF_DIVERGE] || count[DIFF_FAILED] ? 1 : 0;
}
