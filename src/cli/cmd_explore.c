/* siglab explore: every interleaving of a scenario's par steps and settle
 * orders, its distinct outcomes and the verdicts of its exists/forall
 * conditions (docs/explore.md). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/commands.h"
#include "explore/explore.h"

const struct ex_comm *cli_explore_comm;
bool cli_explore_progress;

static void usage(FILE *to)
{
	fprintf(to, "usage: siglab explore [--json] [--max-states N] [--no-prune] [--no-por]\n"
		    "                      [--stats] [--check-hash] [-j N] [--] FILE\n"
		    "  --json          one JSON object per line: the summary, each outcome,\n"
		    "                  each condition\n"
		    "  --max-states N  stop after N distinct states (default %lu)\n"
		    "  --no-prune      explore every interleaving in full (no state reuse;\n"
		    "                  for checking the pruning, slow)\n"
		    "  --no-por        run every order of steps that commute (no partial-order\n"
		    "                  reduction; the same answer, for checking it)\n"
		    "  --stats         the model runs made and the moves the reduction\n"
		    "                  skipped, on stderr\n"
		    "  --check-hash    hash every state from scratch too, and fail (exit 2)\n"
		    "                  if the incremental hash ever differs\n"
		    "  -j, --jobs N    search with N threads (the same answer as one)\n"
		    "a progress line goes to stderr when it is a terminal; Ctrl-C stops the\n"
		    "search and prints what it found so far\n"
		    "exit status: 0 every exists/forall holds, 1 one fails, 2 scenario or\n"
		    "usage error, 3 the search hit its bound (the answer is incomplete),\n"
		    "130 interrupted\n",
		EX_DEFAULT_MAX_STATES);
}

static int parse_bound(const char *opt, const char *v, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno || end == v || *end || n == 0 || v[0] == '-' || n > max) {
		fprintf(stderr, "siglab explore: %s takes a number from 1 to %lu, not '%s'\n", opt,
			max, v);
		return -1;
	}
	*out = n;
	return 0;
}

/* An interrupt (SIGINT, SIGTERM, SIGHUP): the search stops where it is
 * and the partial answer is printed; `interrupted` holds the signal. */
static volatile sig_atomic_t interrupted;
static const int interrupt_signals[] = { SIGINT, SIGTERM, SIGHUP };
static struct sigaction old_actions[3];

static void on_interrupt(int sig)
{
	interrupted = sig;
}

static void catch_interrupts(bool on)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_interrupt;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < 3; i++)
		sigaction(interrupt_signals[i], on ? &sa : &old_actions[i],
			  on ? &old_actions[i] : NULL);
}

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The progress line on a terminal: at most a few times a second. */
struct progress {
	double start, last;
	bool shown;
};

static void show_progress(void *ud, const struct ex_progress *p)
{
	struct progress *pr = ud;
	double now = seconds();

	if (now - pr->last < 0.25)
		return;
	pr->last = now;
	pr->shown = true;
	fprintf(stderr,
		"\r# explore: %lu states, %lu visited, %.0f visited/s, frontier %lu, %.1f MiB of states\033[K",
		p->states, p->visits, (double)p->visits / (now - pr->start), p->frontier,
		(double)p->memos_bytes / (1024.0 * 1024.0));
}

int cmd_explore(int argc, char **argv)
{
	struct ex_options opt = { 0 };
	struct progress pr = { 0 };
	unsigned long jobs = 1;
	struct scenario *s = NULL;
	struct ex_result r;
	struct strbuf out = { 0 };
	const char *file = NULL;
	bool json = false, stats = false, options = true;
	size_t failed;
	int status;

	for (int i = 1; i < argc; i++) {
		if (!options) {
			if (file)
				return cli_usage_error("explore", NULL, "one scenario at a time");
			file = argv[i];
		} else if (!strcmp(argv[i], "--")) {
			options = false;
		} else if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (!strcmp(argv[i], "--no-prune")) {
			opt.no_prune = true;
		} else if (!strcmp(argv[i], "--no-por")) {
			opt.no_por = true;
		} else if (!strcmp(argv[i], "--check-hash")) {
			opt.check_hash = true;
		} else if (!strcmp(argv[i], "--stats")) {
			stats = true;
		} else if (!strcmp(argv[i], "--max-states")) {
			if (i + 1 >= argc)
				return cli_usage_error("explore", NULL, "--max-states needs a number");
			if (parse_bound("--max-states", argv[++i], 1000000000000ul,
					&opt.max_states) < 0)
				return 2;
		} else if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--jobs")) {
			if (i + 1 >= argc)
				return cli_usage_error("explore", NULL, "%s needs a number", argv[i]);
			if (parse_bound(argv[i], argv[i + 1], 256, &jobs) < 0)
				return 2;
			i++;
			opt.jobs = (unsigned)jobs;
		} else {
			enum cli_arg a = cli_file_arg("explore", argv[i], &file, usage);

			if (a != CLI_ARG_FILE)
				return a == CLI_ARG_HELP ? 0 : 2;
		}
	}
	if (cli_load_file_arg("explore", file, usage, &s) < 0)
		return 2;
	interrupted = 0;
	opt.interrupt = &interrupted;
	opt.comm = cli_explore_comm;
	catch_interrupts(true);
	if (isatty(STDERR_FILENO) || cli_explore_progress) {
		pr.start = pr.last = seconds();
		opt.progress = show_progress;
		opt.progress_ud = &pr;
	}
	if (ex_explore(s, &opt, &r) < 0) {
		catch_interrupts(false);
		if (pr.shown)
			fprintf(stderr, "\r\033[K");
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
	catch_interrupts(false);
	if (pr.shown)
		fprintf(stderr, "\r\033[K");
	failed = ex_report(&out, s, &r, json);
	if (r.hash_mismatches) {
		fprintf(stderr, "siglab explore: %s: internal: %lu states' incremental hashes "
			"differ from their full hashes\n", file, r.hash_mismatches);
		status = 2;
	} else if (out.oom) {
		fprintf(stderr, "siglab explore: out of memory\n");
		status = 2;
	} else {
		fputs(sb_str(&out), stdout);
		status = r.interrupted ? 130 : r.bound_hit ? 3 : failed ? 1 : 0;
	}
	fflush(stdout);
	if (stats)
		fprintf(stderr, "siglab explore: %s: %lu model runs, %lu moves skipped by the "
			"partial-order reduction\n", file, r.runs, r.por_skipped);
	if (r.interrupted)
		fprintf(stderr, "siglab explore: %s: interrupted by %s after %lu states; the "
			"outcomes and verdicts are incomplete\n", file,
			sl_signal_name((int)interrupted) ? sl_signal_name((int)interrupted)
							 : "a signal", r.states);
	else if (r.bound_hit)
		fprintf(stderr, "siglab explore: %s: search bound of %lu states hit; the outcomes "
			"and verdicts are incomplete (raise it with --max-states N)\n",
			file, r.states);
	sb_free(&out);
	ex_result_free(&r, s);
	sc_free(s);
	return status;
}
