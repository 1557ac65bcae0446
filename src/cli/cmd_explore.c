/* siglab explore: every interleaving of a scenario's par steps and settle
 * orders, its distinct outcomes and the verdicts of its exists/forall
 * conditions (docs/explore.md). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "explore/explore.h"

static void usage(FILE *to)
{
	fprintf(to, "usage: siglab explore [--json] [--max-states N] [--no-prune] FILE\n"
		    "  --json          one JSON object per line: the summary, each outcome,\n"
		    "                  each condition\n"
		    "  --max-states N  stop after N distinct states (default %lu)\n"
		    "  --no-prune      explore every interleaving in full (no state reuse;\n"
		    "                  for checking the pruning, slow)\n"
		    "exit status: 0 every exists/forall holds, 1 one fails, 2 scenario or\n"
		    "usage error, 3 the search hit its bound (the answer is incomplete),\n"
		    "130 interrupted (what was found so far is printed)\n",
		EX_DEFAULT_MAX_STATES);
}

/* An interrupt stops the search, which then reports what it found. */
static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig)
{
	interrupted = sig;
}

static void catch_interrupts(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_interrupt;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static int parse_bound(const char *v, unsigned long *out)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno || end == v || *end || n == 0 || v[0] == '-') {
		fprintf(stderr, "siglab explore: --max-states takes a number from 1 up, not '%s'\n", v);
		return -1;
	}
	*out = n;
	return 0;
}

int cmd_explore(int argc, char **argv)
{
	struct ex_options opt = { 0 };
	struct scenario *s = NULL;
	struct ex_result r;
	struct strbuf out = { 0 };
	const char *file = NULL;
	bool json = false;
	size_t failed;
	int status;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (!strcmp(argv[i], "--no-prune")) {
			opt.no_prune = true;
		} else if (!strcmp(argv[i], "--max-states")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "siglab explore: --max-states needs a number\n");
				return 2;
			}
			if (parse_bound(argv[++i], &opt.max_states) < 0)
				return 2;
		} else {
			enum cli_arg a = cli_file_arg("explore", argv[i], &file, usage);

			if (a != CLI_ARG_FILE)
				return a == CLI_ARG_HELP ? 0 : 2;
		}
	}
	if (cli_load_file_arg(file, usage, &s) < 0)
		return 2;
	opt.stop = &interrupted;
	catch_interrupts();
	if (ex_explore(s, &opt, &r) < 0) {
		if (r.error)
			fprintf(stderr, "%s:%d:%d: %s\n  in the interleaving: %s\n", file,
				r.diag.pos.line, r.diag.pos.col, r.diag.message,
				r.error_witness ? r.error_witness : "?");
		else
			fprintf(stderr, "siglab explore: out of memory\n");
		ex_result_free(&r, s);
		sc_free(s);
		return 2;
	}
	failed = ex_report(&out, s, &r, json);
	if (out.oom) {
		fprintf(stderr, "siglab explore: out of memory\n");
		status = 2;
	} else {
		fputs(sb_str(&out), stdout);
		status = r.interrupted ? 130 : r.bound_hit ? 3 : failed ? 1 : 0;
	}
	fflush(stdout);
	if (r.interrupted)
		fprintf(stderr, "siglab explore: %s: interrupted by %s after %lu states; the "
			"outcomes and verdicts are incomplete\n", file,
			sl_signal_name((int)interrupted) ? sl_signal_name((int)interrupted) : "a signal",
			r.states);
	else if (r.bound_hit)
		fprintf(stderr, "siglab explore: %s: search bound of %lu states hit; the outcomes "
			"and verdicts are incomplete (raise it with --max-states N)\n",
			file, r.states);
	sb_free(&out);
	ex_result_free(&r, s);
	sc_free(s);
	return status;
}
