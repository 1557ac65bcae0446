/* siglab diff: each scenario on the model and on the real kernel, traces
 * compared line by line (docs/host-oracle.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "host/host.h"
#include "sim/sim.h"

struct lines {
	char **v;
	size_t n;
};

static void usage(FILE *to)
{
	fprintf(to, "usage: siglab diff [--quiet] [--no-trace] [--timeout MS] [--verbose] FILE...\n"
		    "  --quiet       print only divergences, errors and the summary\n"
		    "  --no-trace    do not record the kernel's tracepoints (tracefs)\n"
		    "  --timeout MS  how long a host step may take to settle (default 2000)\n"
		    "  --verbose     host-only details on stderr\n"
		    "Prints FILE: agree, FILE: skipped (REASON) or FILE: DIVERGE with the first\n"
		    "divergent lines side by side (model | host), then a summary line.\n"
		    "exit status: 0 all agree or skipped, 1 a divergence or a host failure,\n"
		    "             2 usage or scenario error, 130 interrupted\n");
}

/* Whether the host can have printed this model line: without tracefs the
 * kernel's tracepoint lines are not compared. */
static bool comparable(const char *line, bool traced)
{
	if (traced)
		return true;
	return !strstr(line, " signal_generate ") && !strstr(line, " signal_deliver ");
}

/* Splits a trace into lines (in place). */
static int split(char *text, bool traced, struct lines *out)
{
	size_t cap = 64;

	out->n = 0;
	out->v = malloc(cap * sizeof *out->v);
	if (!out->v)
		return -1;
	for (char *p = text; p && *p;) {
		char *nl = strchr(p, '\n');

		if (nl)
			*nl = '\0';
		if (comparable(p, traced)) {
			if (out->n == cap) {
				char **v = realloc(out->v, (cap *= 2) * sizeof *v);

				if (!v)
					return -1;
				out->v = v;
			}
			out->v[out->n++] = p;
		}
		p = nl ? nl + 1 : NULL;
	}
	return 0;
}

/* The declaration index of an event line's task column: -1 for lines
 * that are not event lines (step lines, "final"). */
static int column_task(const struct scenario *s, const char *line)
{
	const char *p = line + 4;
	size_t n = 0;

	if (strncmp(line, "    ", 4) || line[4] == ' ')
		return -1;
	while (p[n] && p[n] != ' ')
		n++;
	for (size_t i = 0; i < s->ntasks; i++)
		if (strlen(s->tasks[i].name) == n && !strncmp(s->tasks[i].name, p, n))
			return (int)i;
	return (int)s->ntasks;
}

/* The text after an event line's task column. */
static const char *event_text(const char *line)
{
	const char *p = line + 4;

	while (*p && *p != ' ')
		p++;
	while (*p == ' ')
		p++;
	return p;
}

/*
 * A parent's notification of a child process's exit, stop or continue
 * (do_notify_parent, do_notify_parent_cldstop: si_code CLD_EXITED,
 * CLD_KILLED, CLD_DUMPED, CLD_STOPPED, CLD_CONTINUED) is sent by whichever
 * thread of the child ends the group exit or stop last, or comes out of
 * the stop first: on the real kernel a matter of scheduling, not of a
 * kernel rule.  Such a line belongs to its process (the leader's index),
 * and any thread of the process may stand in its column.  Returns the
 * leader's index, or -1 for any other line.
 */
static int notify_process(const struct scenario *s, const char *line)
{
	const char *text, *code;
	int t = column_task(s, line);

	if (t < 0 || (size_t)t >= s->ntasks)
		return -1;
	text = event_text(line);
	if (strncmp(text, "signal_generate ", 16))
		return -1;
	code = strstr(text, " code=");
	if (!code || !strchr("12356", code[6]) || code[7] != ' ')
		return -1;
	return s->tasks[t].kind == SC_THREAD ? s->tasks[t].leader : t;
}

/* The index lines are grouped by: the task column's, or for a parent's
 * notification, its process's. */
static int line_task(const struct scenario *s, const char *line)
{
	int p = notify_process(s, line);

	return p >= 0 ? p : column_task(s, line);
}

/* Two lines agree when equal, or when both are the same notification
 * sent by threads of the same process. */
static bool same_line(const struct scenario *s, const char *a, const char *b)
{
	int pa;

	if (!strcmp(a, b))
		return true;
	pa = notify_process(s, a);
	return pa >= 0 && pa == notify_process(s, b) && !strcmp(event_text(a), event_text(b));
}

/*
 * Within a step, tasks run concurrently on the real kernel: what one task
 * does is ordered, but how its lines interleave with another task's depends
 * on the CPUs, not on a kernel rule.  Both traces are therefore compared
 * with each step's event lines grouped by task (in declaration order), the
 * order of each task's own lines kept.
 */
static void group_by_task(const struct scenario *s, struct lines *l)
{
	size_t start = 0;

	while (start < l->n) {
		size_t end = start;

		while (end < l->n && line_task(s, l->v[end]) >= 0)
			end++;
		/* stable insertion sort of [start, end) by task index */
		for (size_t i = start + 1; i < end; i++) {
			char *x = l->v[i];
			int k = line_task(s, x);
			size_t j = i;

			while (j > start && line_task(s, l->v[j - 1]) > k) {
				l->v[j] = l->v[j - 1];
				j--;
			}
			l->v[j] = x;
		}
		start = end + 1;
	}
}

static const char *at(const struct lines *l, size_t i)
{
	return i < l->n ? l->v[i] : "(end)";
}

/* The first divergence with a little context, side by side. */
static void show_divergence(const struct scenario *s, const struct lines *m,
			    const struct lines *h, size_t first)
{
	size_t from = first >= 2 ? first - 2 : 0;
	size_t to = first + 4;

	printf("    %-52s | %s\n", "model", "host");
	for (size_t i = from; i < to && (i < m->n || i < h->n); i++) {
		const char *a = at(m, i), *b = at(h, i);

		printf("  %c %-52s | %s\n", same_line(s, a, b) ? ' ' : '>', a, b);
	}
}

enum outcome { AGREE, SKIPPED, DIVERGE, FAILED, ERROR };

static enum outcome diff_file(const char *file, const struct host_options *o, bool quiet)
{
	struct scenario *s = NULL;
	struct sim_options so = { 0 };
	struct sim_result mr;
	struct host_result hr;
	struct lines ml = { 0 }, hl = { 0 };
	enum outcome out = AGREE;
	char why[160];
	int mret;

	if (cli_load_scenario(file, &s) < 0)
		return ERROR;
	if (host_skip_reason(s, why, sizeof why)) {
		if (!quiet)
			printf("%s: skipped (%s)\n", file, why);
		sc_free(s);
		return SKIPPED;
	}
	mret = sim_run(s, &so, &mr);
	host_run(s, o, &hr);
	if (hr.status == HOST_SKIPPED) {
		if (!quiet)
			printf("%s: skipped (%s)\n", file, hr.skip);
		out = SKIPPED;
	} else if (hr.status == HOST_FAILED) {
		printf("%s: host failed: %s\n", file, hr.failure);
		out = FAILED;
	} else if (mret < 0 || hr.status == HOST_ERROR) {
		if (mret < 0 && mr.error && hr.status == HOST_ERROR &&
		    mr.diag.pos.line == hr.diag.pos.line) {
			if (!quiet)
				printf("%s: agree (scenario error at line %d in both)\n", file,
				       mr.diag.pos.line);
		} else {
			printf("%s: ERROR\n", file);
			if (mret < 0)
				printf("    model: %s:%d:%d: %s\n", file, mr.diag.pos.line,
				       mr.diag.pos.col, mr.error ? mr.diag.message : "out of memory");
			if (hr.status == HOST_ERROR)
				printf("    host:  %s:%d:%d: %s\n", file, hr.diag.pos.line,
				       hr.diag.pos.col, hr.diag.message);
			out = hr.status == HOST_ERROR && mret == 0 ? DIVERGE : ERROR;
		}
	} else if (split(mr.trace, hr.traced, &ml) < 0 || split(hr.trace, true, &hl) < 0) {
		printf("%s: out of memory\n", file);
		out = FAILED;
	} else {
		size_t i = 0;

		group_by_task(s, &ml);
		group_by_task(s, &hl);
		while (i < ml.n && i < hl.n && same_line(s, ml.v[i], hl.v[i]))
			i++;
		if (i == ml.n && i == hl.n) {
			if (!quiet)
				printf("%s: agree%s\n", file, hr.traced ? "" : " (without tracepoints)");
		} else {
			printf("%s: DIVERGE at trace line %zu\n", file, i + 1);
			show_divergence(s, &ml, &hl, i);
			out = DIVERGE;
		}
	}
	fflush(stdout);
	free(ml.v);
	free(hl.v);
	sim_result_free(&mr);
	host_result_free(&hr);
	sc_free(s);
	return out;
}

int cmd_diff(int argc, char **argv)
{
	struct host_options o = { 0, false, false };
	bool quiet = false;
	int nfiles = 0;
	int count[ERROR + 1] = { 0 };

	for (int i = 1; i < argc; i++) {
		int shared = cli_host_option("diff", argc, argv, &i, &o);

		if (shared < 0)
			return 2;
		if (shared > 0)
			continue;
		if (!strcmp(argv[i], "--quiet") || !strcmp(argv[i], "-q")) {
			quiet = true;
		} else {
			enum cli_arg a = cli_plain_arg("diff", argv[i], usage);

			if (a != CLI_ARG_FILE)
				return a == CLI_ARG_HELP ? 0 : 2;
			nfiles++;
		}
	}
	if (!nfiles) {
		usage(stderr);
		return 2;
	}
	host_install_interrupt_handlers();
	for (int i = cli_host_next_file(argc, argv, 0); i < argc && !host_interrupted();
	     i = cli_host_next_file(argc, argv, i))
		count[diff_file(argv[i], &o, quiet)]++;
	printf("diff: %d agree, %d skipped, %d diverge, %d host failures, %d errors\n",
	       count[AGREE], count[SKIPPED], count[DIVERGE], count[FAILED], count[ERROR]);
	if (host_interrupted()) {
		fprintf(stderr, "siglab diff: %s\n", host_interrupt_message());
		return 130;
	}
	if (count[ERROR])
		return 2;
	return count[DIVERGE] || count[FAILED] ? 1 : 0;
}
