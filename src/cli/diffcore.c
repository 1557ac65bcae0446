/* The comparison behind `siglab diff` and `siglab fuzz`: one scenario on
 * the model and on the real kernel, traces compared line by line
 * (docs/host-oracle.md, "What is compared"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/diffcore.h"
#include "sim/sim.h"

struct lines {
	char **v;
	size_t n;
	char **own;		/* lines made by canon_taker, to free */
	size_t nown;
};

static void lines_free(struct lines *l)
{
	for (size_t i = 0; i < l->nown; i++)
		free(l->own[i]);
	free(l->own);
	free(l->v);
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
 * kernel rule; so is the thread that sends an orphaned process group's
 * SIGHUP and SIGCONT (kernel/exit.c kill_orphaned_pgrp, SI_KERNEL), the
 * last of the dying parent's threads to exit.  Such a line belongs to
 * its process (the leader's index), and any thread of the process may
 * stand in its column.  Returns the
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
	if (!code)
		return -1;
	/* an orphaned group's SIGHUP and SIGCONT (SI_KERNEL), which the
	 * last thread of the dying parent sends (kill_orphaned_pgrp) */
	if ((!strncmp(text + 16, "sig=1 ", 6) || !strncmp(text + 16, "sig=18 ", 7)) &&
	    !strncmp(code, " code=128 ", 10))
		return s->tasks[t].kind == SC_THREAD ? s->tasks[t].leader : t;
	if (!strchr("12356", code[6]) || code[7] != ' ')
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

/* Whether `line` is the death of the task named name (n bytes). */
static bool death_of(const struct scenario *s, const char *line, const char *name, size_t n)
{
	int t = column_task(s, line);
	const char *text;

	if (t < 0 || (size_t)t >= s->ntasks || strlen(s->tasks[t].name) != n ||
	    strncmp(s->tasks[t].name, name, n))
		return false;
	text = event_text(line);
	return !strncmp(text, "killed ", 7) || !strncmp(text, "exited ", 7);
}

/* Whether a step's line at [i] is a signal its target ignored (res=1)
 * because the target dies in the same step, between [from, to). */
static bool ignored_by_dying(const struct scenario *s, const struct lines *l, size_t i,
			     size_t from, size_t to)
{
	const char *text, *comm, *e;
	int t = column_task(s, l->v[i]);

	if (t < 0)
		return false;
	text = event_text(l->v[i]);
	if (strncmp(text, "signal_generate ", 16) || !strstr(text, " res=1"))
		return false;
	comm = strstr(text, " comm=");
	if (!comm)
		return false;
	comm += 6;
	e = strchr(comm, ' ');
	for (size_t j = from; j < to; j++)
		if (death_of(s, l->v[j], comm, e ? (size_t)(e - comm) : strlen(comm)))
			return true;
	return false;
}

/* A faulting instruction that runs again after its handler returned: the
 * model shows it as a line of its own under the step; on the host the
 * CPU, not the agent, runs it again, so no report says so.  Not compared
 * (the signal_generate of the new fault that follows is). */
static bool refault(const struct scenario *s, const char *line)
{
	return column_task(s, line) >= 0 && !strncmp(event_text(line), "fault(", 6);
}

/*
 * Signals to a process that dies in the same step and that it ignored
 * (res=1: it had begun to exit, SIGNAL_GROUP_EXIT, kernel/signal.c
 * prepare_signal) are not compared (dropped on both sides): how many
 * arrive after the exit began is the scheduler's choice on the real
 * kernel.  A child's exit notification goes to its dying parent when the
 * child exits first, and to init (which prints no lines) when the parent
 * exits first; a parent-death signal is sent once per thread of the
 * parent that the child is reparented to, which depends on the order the
 * parent's threads exit (kernel/exit.c forget_original_parent).  Such a
 * signal ignored on one side and taken on the other still diverges.
 */
static void drop_uncompared(const struct scenario *s, struct lines *l)
{
	bool *drop = calloc(l->n + 1, sizeof *drop);
	size_t start = 0, out = 0;

	if (!drop)
		return;
	while (start < l->n) {
		size_t end = start;

		while (end < l->n && column_task(s, l->v[end]) >= 0)
			end++;
		for (size_t i = start; i < end; i++)
			drop[i] = ignored_by_dying(s, l, i, start, end) || refault(s, l->v[i]);
		start = end + 1;
	}
	for (size_t i = 0; i < l->n; i++)
		if (!drop[i])
			l->v[out++] = l->v[i];
	l->n = out;
	free(drop);
}

/* Whether the process of thread `t` (its leader's index) is `leader`. */
static bool thread_of(const struct scenario *s, int t, int leader)
{
	return t >= 0 && (size_t)t < s->ntasks &&
	       (t == leader || (s->tasks[t].kind == SC_THREAD && s->tasks[t].leader == leader));
}

/* Whether task `t` has a "continued" line in [from, to). */
static bool continued_in(const struct scenario *s, const struct lines *l, int t, size_t from,
			 size_t to)
{
	for (size_t j = from; j < to; j++)
		if (column_task(s, l->v[j]) == t && !strcmp(event_text(l->v[j]), "continued"))
			return true;
	return false;
}

static const char group_kill[] = "signal_deliver sig=9 errno=0 code=0 sa_handler=0 sa_flags=0";

/* Swaps the event texts of lines i and j (each keeps its task column). */
static int swap_texts(struct lines *l, size_t i, size_t j)
{
	const char *a = l->v[i], *b = l->v[j];
	size_t pa = (size_t)(event_text(a) - a), pb = (size_t)(event_text(b) - b);
	char *na = malloc(pa + strlen(event_text(b)) + 1);
	char *nb = malloc(pb + strlen(event_text(a)) + 1);
	char **own = realloc(l->own, (l->nown + 2) * sizeof *own);

	if (!na || !nb || !own) {
		free(na);
		free(nb);
		if (own)
			l->own = own;
		return -1;
	}
	l->own = own;
	memcpy(na, a, pa);
	strcpy(na + pa, event_text(b));
	memcpy(nb, b, pb);
	strcpy(nb + pb, event_text(a));
	l->own[l->nown++] = na;
	l->own[l->nown++] = nb;
	l->v[i] = na;
	l->v[j] = nb;
	return 0;
}

/*
 * A SIGCONT wakes every stopped thread of a process at once (prepare_signal:
 * wake_up_state of each); each runs get_signal, and the first to take the
 * siglock dequeues a shared signal waiting for them.  When that signal
 * kills (its default action), that thread delivers it and the others
 * SIGKILL (the group exit): which thread is first is the scheduler's
 * choice.  In a step where every such thread of a process was continued,
 * the one line delivering another signal with its default action is put
 * in the column of the first of those threads (declaration order), on
 * both sides, before they are compared.
 */
static void canon_taker(const struct scenario *s, struct lines *l)
{
	size_t start = 0;

	while (start < l->n) {
		size_t end = start;

		while (end < l->n && column_task(s, l->v[end]) >= 0)
			end++;
		for (size_t p = 0; p < s->ntasks; p++) {
			size_t first = SIZE_MAX, taker = SIZE_MAX, ntaker = 0;
			int first_t = -1;
			bool ok = true;

			if (s->tasks[p].kind == SC_THREAD)
				continue;
			for (size_t j = start; j < end && ok; j++) {
				int t = column_task(s, l->v[j]);
				const char *x = event_text(l->v[j]);

				if (!thread_of(s, t, (int)p) || strncmp(x, "signal_deliver ", 15) ||
				    !strstr(x, " sa_handler=0 "))
					continue;
				ok = continued_in(s, l, t, start, end);
				if (strcmp(x, group_kill)) {
					taker = j;
					ntaker++;
				}
				if (first_t < 0 || t < first_t) {
					first_t = t;
					first = j;
				}
			}
			if (ok && ntaker == 1 && first != taker &&
			    !strcmp(event_text(l->v[first]), group_kill))
				(void)swap_texts(l, first, taker);
		}
		start = end + 1;
	}
}

static const char *at(const struct lines *l, size_t i)
{
	return i < l->n ? l->v[i] : "(end)";
}

/* The first divergence with a little context, side by side. */
static void show_divergence(FILE *out, const struct scenario *s, const struct lines *m,
			    const struct lines *h, size_t first)
{
	size_t from = first >= 2 ? first - 2 : 0;
	size_t to = first + 4;

	fprintf(out, "    %-52s | %s\n", "model", "host");
	for (size_t i = from; i < to && (i < m->n || i < h->n); i++) {
		const char *a = at(m, i), *b = at(h, i);

		fprintf(out, "  %c %-52s | %s\n", same_line(s, a, b) ? ' ' : '>', a, b);
	}
}

/* A scenario that advances the clock runs on the host at a tenth of its
 * time (host/timing.h), so a step that a loaded machine delays by a few
 * milliseconds can land on the other side of a timer's expiry.  Such a
 * scenario gets up to three host runs, each slower than the one before
 * while its clock fits in CLOCK_RETRY_REAL_BUDGET of real time; it
 * agrees if one of them does, and the verdict says which. */
#define CLOCK_HOST_ATTEMPTS 3
#define CLOCK_RETRY_REAL_BUDGET (20LL * 1000000000LL)

static const int64_t retry_real_ns_per_s[CLOCK_HOST_ATTEMPTS] = {
	0, 300000000LL, 1000000000LL,
};

/* The scenario time all `advance` steps of `s` add up to. */
static int64_t clock_advanced(const struct scenario *s)
{
	int64_t total = 0;

	for (size_t i = 0; i < s->nsteps; i++)
		if (s->steps[i].stmt.op == SC_OP_ADVANCE && s->steps[i].stmt.dur > 0)
			total += s->steps[i].stmt.dur;
	return total;
}

/* The host options of host run `attempt` (from 1). */
static struct host_options attempt_options(const struct host_options *o, int64_t advanced,
					   int attempt)
{
	struct host_options a = *o;
	int64_t scale = retry_real_ns_per_s[attempt - 1];

	if (scale && advanced / 1000000000LL * scale <= CLOCK_RETRY_REAL_BUDGET)
		a.real_ns_per_s = scale;
	return a;
}

/* The model's trace against one host run's: the index of the first
 * divergent line, or SIZE_MAX when they agree. */
static size_t first_divergence(const struct scenario *s, struct lines *ml, struct lines *hl)
{
	size_t i = 0;

	drop_uncompared(s, ml);
	drop_uncompared(s, hl);
	canon_taker(s, ml);
	canon_taker(s, hl);
	group_by_task(s, ml);
	group_by_task(s, hl);
	while (i < ml->n && i < hl->n && same_line(s, ml->v[i], hl->v[i]))
		i++;
	return i == ml->n && i == hl->n ? SIZE_MAX : i;
}

/* Whether a model trace agrees with a host trace (copies of both are
 * cut into lines). */
static bool texts_agree(const struct scenario *s, const char *mtext, const char *htext,
			bool traced)
{
	struct lines ml = { 0 }, hl = { 0 };
	char *m = strdup(mtext ? mtext : ""), *h = strdup(htext ? htext : "");
	bool agree = m && h && split(m, traced, &ml) == 0 && split(h, true, &hl) == 0 &&
		     first_divergence(s, &ml, &hl) == SIZE_MAX;

	free(m);
	free(h);
	lines_free(&ml);
	lines_free(&hl);
	return agree;
}

/* The settle orders tried, depth first: the choice made at each settle
 * choice point of the current run, and how many options it had. */
struct orders {
	int *choice;
	int *nopt;
	size_t len;		/* choices fixed for this run (a replayed prefix) */
	size_t depth;		/* choice points met so far in this run */
	size_t cap;
	bool oom;
};

static int order_pick(void *ud, const int *idx, size_t n)
{
	struct orders *o = ud;

	(void)idx;
	if (o->depth < o->len)
		return o->choice[o->depth++];
	if (o->depth == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 64;
		int *c = realloc(o->choice, cap * sizeof *c), *k;

		if (c)
			o->choice = c;
		k = c ? realloc(o->nopt, cap * sizeof *k) : NULL;
		if (!k) {
			o->oom = true;
			return 0;
		}
		o->nopt = k;
		o->cap = cap;
	}
	o->choice[o->depth] = 0;
	o->nopt[o->depth] = (int)n;
	o->len = ++o->depth;
	return 0;
}

/* The next order to try: the last choice point with an option left takes
 * it; false when every order was tried. */
static bool next_order(struct orders *o)
{
	while (o->len > 0 && o->choice[o->len - 1] + 1 >= o->nopt[o->len - 1])
		o->len--;
	if (o->len == 0)
		return false;
	o->choice[o->len - 1]++;
	return true;
}

/*
 * Within a step, tasks with work run on the real kernel as the scheduler
 * lets them, and the model settles them in declaration order; `explore`
 * makes the order a choice (its `settle` choices).  A host trace that
 * the model's run in declaration order does not match agrees when the
 * model's run in another settle order matches it: a tracee released by
 * its dying tracer that takes a pending stop signal before or after a
 * SIGCONT sent in the same step, two threads woken by one child's exit
 * (one reaps, the other gets ECHILD), the threads of a dying parent
 * exiting before or after a child takes a stop signal (a group orphaned
 * before or after it).  At most DIFF_ORDER_RUNS orders are tried, depth
 * first from the declaration-order-like one.  The number of the order
 * that agreed, 0 if none did.
 */
#define DIFF_ORDER_RUNS 400

static int other_order_agrees(const struct scenario *s, const char *htext, bool traced)
{
	struct orders o = { 0 };
	int found = 0;

	for (int run = 1; run <= DIFF_ORDER_RUNS && !o.oom; run++) {
		struct sim_options so = { 0 };
		struct sim_result r;
		int ret;

		so.settle_pick = order_pick;
		so.settle_ud = &o;
		o.depth = 0;
		ret = sim_run(s, &so, &r);
		if (ret == 0 && !o.oom && texts_agree(s, r.trace, htext, traced))
			found = run;
		sim_result_free(&r);
		if (found || !next_order(&o))
			break;
	}
	free(o.choice);
	free(o.nopt);
	return found;
}

static enum diff_outcome compare_runs(const char *file, const struct scenario *s,
				      struct sim_result *mr, int mret, struct host_result *hr,
				      bool quiet, bool last, int attempt, FILE *out)
{
	struct lines ml = { 0 }, hl = { 0 };
	enum diff_outcome res = DIFF_AGREE;
	char *model_trace = NULL, *host_trace = NULL;
	size_t first;
	int order;

	if (hr->status == HOST_SKIPPED) {
		if (!quiet)
			fprintf(out, "%s: skipped (%s)\n", file, hr->skip);
		return DIFF_SKIPPED;
	}
	if (hr->status == HOST_FAILED) {
		fprintf(out, "%s: host failed: %s\n", file, hr->failure);
		return DIFF_FAILED;
	}
	if (mret < 0 || hr->status == HOST_ERROR) {
		if (mret < 0 && mr->error && hr->status == HOST_ERROR &&
		    mr->diag.pos.line == hr->diag.pos.line) {
			if (!quiet)
				fprintf(out, "%s: agree (scenario error at line %d in both)\n", file,
					mr->diag.pos.line);
			return DIFF_AGREE;
		}
		if (!last && mret == 0)
			return DIFF_DIVERGE;
		fprintf(out, "%s: ERROR\n", file);
		if (mret < 0)
			fprintf(out, "    model: %s:%d:%d: %s\n", file, mr->diag.pos.line,
				mr->diag.pos.col, mr->error ? mr->diag.message : "out of memory");
		if (hr->status == HOST_ERROR)
			fprintf(out, "    host:  %s:%d:%d: %s\n", file, hr->diag.pos.line,
				hr->diag.pos.col, hr->diag.message);
		return hr->status == HOST_ERROR && mret == 0 ? DIFF_DIVERGE : DIFF_ERROR;
	}
	/* split() cuts its text in place: the model's trace is compared again
	 * with the next host run, the host's with other settle orders. */
	host_trace = strdup(hr->trace ? hr->trace : "");
	model_trace = strdup(mr->trace ? mr->trace : "");
	if (!host_trace) {
		fprintf(out, "%s: out of memory\n", file);
		res = DIFF_FAILED;
		goto out_free;
	}
	if (!model_trace || split(model_trace, hr->traced, &ml) < 0 ||
	    split(hr->trace, true, &hl) < 0) {
		fprintf(out, "%s: out of memory\n", file);
		res = DIFF_FAILED;
		goto out_free;
	}
	first = first_divergence(s, &ml, &hl);
	if (first != SIZE_MAX && (order = other_order_agrees(s, host_trace, hr->traced)) > 0) {
		if (!quiet)
			fprintf(out, "%s: agree (in settle order %d of the model: tasks with work "
				"ran in another order, as explore allows)\n", file, order);
	} else if (first == SIZE_MAX) {
		if (!quiet) {
			fprintf(out, "%s: agree%s", file, hr->traced ? "" : " (without tracepoints)");
			if (attempt > 1)
				fprintf(out, " (host run %d, on a slower clock: the earlier ones missed a timer's margin)",
					attempt);
			fputc('\n', out);
		}
	} else {
		res = DIFF_DIVERGE;
		if (last) {
			fprintf(out, "%s: DIVERGE at trace line %zu\n", file, first + 1);
			show_divergence(out, s, &ml, &hl, first);
		}
	}
out_free:
	free(host_trace);
	free(model_trace);
	lines_free(&ml);
	lines_free(&hl);
	return res;
}

enum diff_outcome diff_scenario(const char *file, struct scenario *s,
				const struct host_options *o, bool quiet, FILE *out)
{
	struct sim_options so = { 0 };
	struct sim_result mr;
	enum diff_outcome res = DIFF_AGREE;
	int64_t advanced = clock_advanced(s);
	int attempts = advanced > 0 && !o->real_ns_per_s ? CLOCK_HOST_ATTEMPTS : 1;
	char why[160];
	int mret;

	if (host_skip_reason(s, why, sizeof why)) {
		if (!quiet)
			fprintf(out, "%s: skipped (%s)\n", file, why);
		return DIFF_SKIPPED;
	}
	mret = sim_run(s, &so, &mr);
	for (int attempt = 1; attempt <= attempts; attempt++) {
		struct host_options ao = attempt_options(o, advanced, attempt);
		struct host_result hr;

		host_run(s, &ao, &hr);
		res = compare_runs(file, s, &mr, mret, &hr, quiet, attempt == attempts, attempt, out);
		host_result_free(&hr);
		if (res != DIFF_DIVERGE || host_interrupted())
			break;
	}
	fflush(out);
	sim_result_free(&mr);
	return res;
}
