/*
 * The controller's step loop: what the agents report and what the trace
 * records (collected as they come), one step at a time, and quiescence after
 * each step, read from /proc (docs/host-oracle.md, "Quiescence").
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "host/controller.h"

/* ---- records and lines -------------------------------------------------- */

static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
	size_t c;
	void *q;

	if (need <= *cap)
		return p;
	c = *cap ? *cap * 2 : 64;
	while (c < need)
		c *= 2;
	q = realloc(p, c * size);
	if (!q)
		return NULL;
	*cap = c;
	return q;
}

void hc_take_hello(struct htask *t, const struct report *hello)
{
	t->ns_pid = hello->ns_pid;
	t->ns_tid = hello->ns_tid;
	t->g_pid = hello->g_pid;
	t->g_tid = hello->g_tid;
	t->in_pid = hello->in_pid;
	t->in_tid = hello->in_tid;
	t->spawned = true;
}

/* A task born of a fork step said HELLO: it exists from now on.  Its
 * scenario parent is idle in a step of ours and reaps nothing before a
 * later step, so the pidfd names this child.  A thread born of a clone
 * step has no pidfd of its own: it dies with its process. */
static void take_forked(struct host *h, const struct report *rep)
{
	struct htask *t = &h->t[rep->task];

	hc_take_hello(t, rep);
	t->pidfd = h->s->tasks[rep->task].kind == SC_THREAD ? -1
		   : (int)syscall(SYS_pidfd_open, t->g_pid, 0);
	h->new_tasks = true;
}

/* Whether `st` is a step's own statement (else it is in a repeat or
 * handler body). */
static bool step_stmt(const struct scenario *s, const struct sc_stmt *st)
{
	uintptr_t p = (uintptr_t)st, lo = (uintptr_t)s->steps;

	return p >= lo && p < (uintptr_t)(s->steps + s->nsteps);
}

/* The run's work, counted as the model counts it (sim/step.c): every
 * statement of a repeat or handler body begun, every handler entered. */
static void count_work(struct host *h, const struct report *rep)
{
	int l = -1;

	if (rep->kind == REP_BEGIN && rep->stmt && !(rep->depth == 0 && step_stmt(h->s, rep->stmt))) {
		if (++h->step_stmts > SC_MAX_STEP_STMTS)
			l = SC_LIMIT_STEP_STMTS;
		else if (++h->run_stmts > SC_MAX_RUN_STMTS)
			l = SC_LIMIT_RUN_STMTS;
	} else if (rep->kind == REP_HANDLER && ++h->step_handler_runs > SC_MAX_STEP_HANDLER_RUNS) {
		l = SC_LIMIT_STEP_HANDLER_RUNS;
	}
	if (l >= 0 && !h->limit)
		h->limit = l + 1;
	if (rep->kind == REP_FAIL && h->cur_step >= 0 && !h->agent_fail)
		h->agent_fail = h->nrecs;
}

/* An agent that reported a failure in a step has exited (125) or cannot
 * go on: the run failed on the host, whatever the trace says after. */
static int agent_failed(struct host *h)
{
	const struct report *r = &h->recs[h->agent_fail - 1];

	if (r->err == E2BIG)
		return hc_fail(h, "task %s nested handlers more than %d deep, the host "
			       "agent's limit: it stopped there (exit 125)",
			       hc_task_name(h, r->task), HOST_MAX_DEPTH);
	return hc_fail(h, "task %s could not carry out its step: %s",
		       hc_task_name(h, r->task), strerror(r->err));
}

static void add_record(struct host *h, const struct report *in)
{
	struct report *v = grow(h->recs, &h->caprecs, h->nrecs + 1, sizeof *v);
	const struct report *rep;

	if (!v) {
		hc_fail(h, "out of memory");
		return;
	}
	h->recs = v;
	h->recs[h->nrecs] = *in;
	rep = &h->recs[h->nrecs++];
	/* The agent names its statement by number: ours is at this pointer. */
	h->recs[h->nrecs - 1].stmt = rep->kind == REP_BEGIN ? host_stmt_at(h->s, rep->stmt_id) : NULL;
	count_work(h, rep);
	if (rep->kind == REP_HELLO && rep->task >= 0 && (size_t)rep->task < h->s->ntasks)
		h->t[rep->task].img_delta = rep->img - (uint64_t)(uintptr_t)agent_handler_index;
	if (rep->task >= 0 && (size_t)rep->task < h->s->ntasks && rep->seq >= 0) {
		size_t t = (size_t)rep->task, q = (size_t)rep->seq;
		size_t *ix = grow(h->seqidx[t], &h->capseq[t], q + 1, sizeof *ix);

		if (!ix) {
			hc_fail(h, "out of memory");
			return;
		}
		h->seqidx[t] = ix;
		while (h->nseq[t] <= q)
			ix[h->nseq[t]++] = (size_t)-1;
		ix[q] = h->nrecs - 1;
	}
	if (rep->task >= 0 && (size_t)rep->task < h->s->ntasks)
		host_block_track(&h->t[rep->task].blk, rep,
				 rep->kind == REP_END ? hc_find_record(h, rep->task, rep->ref) : NULL);
	if (rep->kind == REP_HELLO && rep->task >= 0 && (size_t)rep->task < h->s->ntasks &&
	    h->s->tasks[rep->task].forked && !h->t[rep->task].spawned)
		take_forked(h, rep);
	if (rep->kind == REP_BEGIN && rep->task >= 0 && rep->stmt &&
	    rep->stmt->op == SC_OP_EXIT) {
		h->t[rep->task].self_exit = true;
		h->t[rep->task].self_code = rep->stmt->num;
	}
	if (rep->kind == REP_BEGIN && rep->step >= 0 && rep->depth == 0 &&
	    rep->stmt == &h->s->steps[rep->step].stmt && h->step_seq[rep->step] < 0)
		h->step_seq[rep->step] = rep->seq;
}

const struct report *hc_find_record(const struct host *h, int task, int seq)
{
	size_t t = (size_t)task, i;

	if (task < 0 || t >= h->s->ntasks || seq < 0 || (size_t)seq >= h->nseq[t])
		return NULL;
	i = h->seqidx[t][seq];
	return i == (size_t)-1 ? NULL : &h->recs[i];
}

/* The END of the statement whose BEGIN is `seq`: the task's next record of
 * its depth that is an END referring to it. */
const struct report *hc_find_end(const struct host *h, int task, int seq)
{
	const struct report *r;

	if (task < 0 || (size_t)task >= h->s->ntasks || seq < 0)
		return NULL;
	for (size_t q = (size_t)seq + 1; q < h->nseq[task]; q++) {
		r = hc_find_record(h, task, (int)q);
		if (r && r->kind == REP_END && r->ref == seq)
			return r;
	}
	return NULL;
}

struct line *hc_add_line(struct host *h, enum line_kind kind, int task, int depth)
{
	struct line *v;

	if (++h->step_lines > HOST_MAX_STEP_LINES) {
		h->dropped++;
		return NULL;
	}
	v = grow(h->lines, &h->caplines, h->nlines + 1, sizeof *v);

	if (!v) {
		hc_fail(h, "out of memory");
		return NULL;
	}
	h->lines = v;
	v = &h->lines[h->nlines++];
	memset(v, 0, sizeof *v);
	v->step = h->cur_step;
	v->kind = kind;
	v->task = task;
	v->depth = depth < 0 ? 0 : depth;
	return v;
}

bool hc_drain_reports(struct host *h)
{
	struct report rep;
	ssize_t n;

	for (unsigned got = 0; got < HOST_DRAIN_REPORTS;) {
		n = read(h->report_rd, &rep, sizeof rep);
		if (n < 0 && errno == EINTR)
			continue;
		if (n != (ssize_t)sizeof rep)
			return false;
		add_record(h, &rep);
		got++;
	}
	return true;
}

static void take_trace_line(void *ud, const char *line)
{
	struct host *h = ud;
	char **v = grow(h->tlines, &h->captlines, h->ntlines + 1, sizeof *v);
	char *copy = strdup(line);

	if (!v || !copy) {
		free(copy);
		hc_fail(h, "out of memory");
		return;
	}
	h->tlines = v;
	h->tlines[h->ntlines++] = copy;
}

bool hc_drain_trace(struct host *h)
{
	return h->traced && tracefs_drain(&h->tr, HOST_DRAIN_TRACE_BYTES, take_trace_line, h);
}

int hc_drain_all(struct host *h, uint64_t deadline)
{
	for (;;) {
		bool more = hc_drain_reports(h);

		if (hc_drain_trace(h))
			more = true;
		if (!more)
			return 0;
		if (hc_interrupted)
			return hc_fail_interrupted(h);
		if (hc_now_ms() > deadline)
			return hc_fail(h, "timeout: the reports and the trace do not end");
	}
}

/* A dead thread that is not its process's leader is settled once /proc
 * no longer has it (its pid detached by release_task), or after
 * THREAD_RELEASE_MS (a traced one stays a zombie for its tracer). Found
 * by siglab fuzz (seeds 400685, 800415: F_SETOWN of a thread that had
 * just died succeeded on the host, ESRCH in the model). */
#define THREAD_RELEASE_MS 200

static bool thread_release_pending(const struct htask *t)
{
	return !t->reaped_seen && hc_now_ms() - t->dead_seen_ms < THREAD_RELEASE_MS;
}

enum tstate hc_poll_task(struct host *h, int i, uint64_t *deliverable)
{
	struct htask *t = &h->t[i];
	struct proc_thread pt;

	*deliverable = 0;
	if (!t->spawned)
		return T_DEAD;
	/* A zombie reparented to the namespace's init (the helper), which
	 * is about to reap it, is not settled yet: the model's init reaps
	 * it within the step.  Also one that died in an earlier step and
	 * was orphaned in this one (found by siglab fuzz). */
	if (t->dead && (t->reaped_seen || (t->g_pid != t->g_tid && !thread_release_pending(t))))
		return T_DEAD;
	if (proc_read_thread(t->g_pid, t->g_tid, &pt) < 0)
		return t->dead ? T_DEAD : T_BUSY;
	if (t->dead && t->g_pid != t->g_tid) {
		t->reaped_seen = pt.gone;
		return pt.gone ? T_DEAD : T_BUSY;
	}
	if (pt.state == 'Z' && t->g_pid == t->g_tid && pt.ppid == h->helper_pid &&
	    pt.num_threads <= 1)
		return T_BUSY;
	if (t->dead) {
		t->reaped_seen = pt.gone;
		return T_DEAD;
	}
	if (pt.gone || pt.state == 'Z' || pt.state == 'X') {
		t->dead = true;
		t->dead_seen_ms = hc_now_ms();
		t->reaped_seen = pt.gone;
		/* a thread that is not its process's leader releases itself
		 * (exit_notify, release_task): until its pid is detached,
		 * find_vpid still finds it (an F_SETOWN of it succeeds) */
		return t->g_pid != t->g_tid && !pt.gone ? T_BUSY : T_DEAD;
	}
	if (pt.state == 'T' || pt.state == 't') {
		t->stopped = true;
		t->ptraced = pt.state == 't';
		t->pt_code = pt.state == 't' ? pt.exit_code : 0;
		return T_STOPPED;
	}
	t->stopped = false;
	t->ptraced = false;
	t->pt_code = 0;
	if (pt.state == 'S' && pt.syscall_nr == SYS_read && pt.arg0 == h->env.cmd_rd[i]) {
		*deliverable = (pt.sigpnd | pt.shdpnd) & ~pt.sigblk;
		return T_IDLE;
	}
	if (pt.state == 'S' && host_block_asleep(&t->blk, &h->time, pt.syscall_nr, pt.arg0)) {
		*deliverable = (pt.sigpnd | pt.shdpnd) & ~pt.sigblk;
		return T_ASLEEP;
	}
	return T_BUSY;
}

static bool have_done(const struct host *h, int task, int step)
{
	for (size_t i = h->nrecs; i-- > 0;)
		if (h->recs[i].kind == REP_DONE && h->recs[i].task == task &&
		    h->recs[i].step == step)
			return true;
	return false;
}

static void describe_states(struct host *h, char *buf, size_t n)
{
	size_t len = 0;
	struct proc_thread pt;

	for (size_t i = 0; i < h->s->ntasks && len < n; i++) {
		struct htask *t = &h->t[i];

		if (!t->spawned || proc_read_thread(t->g_pid, t->g_tid, &pt) < 0 || pt.gone) {
			len += (size_t)snprintf(buf + len, n - len, " %s=gone", h->s->tasks[i].name);
			continue;
		}
		len += (size_t)snprintf(buf + len, n - len, " %s=%c(syscall %ld, pending %llx, blocked %llx)",
					h->s->tasks[i].name, pt.state, pt.syscall_nr,
					(unsigned long long)(pt.sigpnd | pt.shdpnd),
					(unsigned long long)pt.sigblk);
	}
}

/* A step that cannot go on: an agent failed (a runtime failure, -1), or
 * the run passed a limit of ast.h (a scenario error as in the model, 1). */
static int step_stopped(struct host *h, int step)
{
	if (h->agent_fail)
		return agent_failed(h);
	hc_kill_all(h);
	h->r->diag.pos = h->s->steps[step].stmt.pos;
	sc_limit_message((enum sc_limit)(h->limit - 1), h->r->diag.message,
			 sizeof h->r->diag.message);
	return 1;
}

/* Waits until every task is idle in its command read with nothing it could
 * take pending, stopped, or dead, and the command `step` of `task` is done
 * (or the task stopped or died).  Bounded.  Returns 0, -1 on a failure,
 * 1 on a scenario error (a limit of ast.h passed: r->diag). */
static int settle(struct host *h, int task, int step)
{
	int timeout = h->o->step_timeout_ms > 0 ? h->o->step_timeout_ms : 2000;
	uint64_t deadline;
	int calm = 0;
	size_t seen = h->nrecs;
	struct timespec nap = { 0, 100000 };

	/* a spin burns real CPU time: on a loaded machine it takes several
	 * times as long */
	if (step >= 0 && h->s->steps[step].stmt.op == SC_OP_SPIN)
		timeout += (int)(h->s->steps[step].stmt.dur / 1000000 * 20);
	deadline = hc_now_ms() + (uint64_t)timeout;

	for (;;) {
		bool quiet = true;
		uint64_t dl;

		/* more than one drain takes: not quiet */
		if (hc_drain_reports(h))
			quiet = false;
		if (hc_drain_trace(h))
			quiet = false;
		if (hc_interrupted)
			return hc_fail_interrupted(h);
		if (h->agent_fail || h->limit)
			return step_stopped(h, step);
		for (size_t i = 0; i < h->s->ntasks && quiet; i++) {
			enum tstate st = hc_poll_task(h, (int)i, &dl);

			if (st == T_BUSY || ((st == T_IDLE || st == T_ASLEEP) && dl))
				quiet = false;
			if ((int)i == task && st == T_IDLE && step >= 0 && !have_done(h, task, step))
				quiet = false;
		}
		if (quiet && h->nrecs == seen) {
			if (++calm >= 2)
				break;
		} else {
			calm = 0;
			seen = h->nrecs;
		}
		if (h->nrecs - h->step_first_rec > HOST_MAX_STEP_REPORTS)
			return hc_fail(h, "step %d does not settle: its agents sent more than %u "
				    "reports (statements begun and ended, handlers entered and left)",
				    step + 1, HOST_MAX_STEP_REPORTS);
		if (hc_now_ms() > deadline) {
			char states[400];

			describe_states(h, states, sizeof states);
			return hc_fail(h, "timeout: step %d did not settle within %d ms;%s",
				    step + 1, timeout, states);
		}
		nanosleep(&nap, NULL);
		if (nap.tv_nsec < 2000000)
			nap.tv_nsec *= 2;
	}
	if (hc_drain_all(h, deadline) < 0)
		return -1;
	return h->agent_fail || h->limit ? step_stopped(h, step) : 0;
}

/* ---- steps -------------------------------------------------------------- */

/* The signal that stopped a child of ours, or 0 when it cannot be known
 * without the trace. */
static int stop_signal(struct host *h, int task)
{
	const struct sc_task *st = &h->s->tasks[task];
	struct htask *t = &h->t[st->kind == SC_THREAD ? st->leader : task];
	siginfo_t si;

	if (!t->direct || t->pidfd < 0)
		return 0;
	memset(&si, 0, sizeof si);
	if (waitid(P_PIDFD, (id_t)t->pidfd, &si, WSTOPPED | WNOHANG | WNOWAIT) < 0 ||
	    si.si_code != CLD_STOPPED)
		return 0;
	return si.si_status;
}

/* The scenario task that leads task's thread group. */
static int leader_of(const struct host *h, int task)
{
	const struct sc_task *st = &h->s->tasks[task];

	return st->kind == SC_THREAD ? st->leader : task;
}

/* A thread that joined its process's group stop took no stop signal of
 * its own: the group's is the one another of its threads stopped on in
 * this step (its "stopped SIG" line), 0 when none did. */
static int joined_stop_signal(const struct host *h, int task)
{
	for (size_t j = h->nlines; j-- > h->step_first_line;) {
		const struct line *l = &h->lines[j];

		if (l->kind == L_TEXT && l->task != task &&
		    leader_of(h, l->task) == leader_of(h, task) && !strncmp(l->text, "stopped ", 8))
			return sl_signal_from_name(l->text + 8);
	}
	return 0;
}

/* The thread that completes a group stop stops, then tells the parent
 * (kernel/signal.c do_signal_stop: TASK_STOPPED is set before
 * do_notify_parent_cldstop): its stop line, written last, goes before
 * its CLD_STOPPED SIGCHLD of this step. */
static void move_before_cldstop(struct host *h, int task)
{
	struct line l = h->lines[h->nlines - 1];

	for (size_t j = h->step_first_line; j + 1 < h->nlines; j++) {
		const struct line *g = &h->lines[j];

		if (g->task != task || g->kind != L_TEXT ||
		    strncmp(g->text, "signal_generate sig=17 ", 23) || !strstr(g->text, " code=5 "))
			continue;
		memmove(&h->lines[j + 1], &h->lines[j], (h->nlines - 1 - j) * sizeof l);
		h->lines[j] = l;
		return;
	}
}

/* Without the trace, a task continued by this step did so when the step's
 * call sent SIGCONT: before anything its handlers did. */
static void move_to_step_start(struct host *h)
{
	struct line l = h->lines[h->nlines - 1];

	memmove(&h->lines[h->step_first_line + 1], &h->lines[h->step_first_line],
		(h->nlines - 1 - h->step_first_line) * sizeof l);
	h->lines[h->step_first_line] = l;
}

/* A "stopped" line is written when a stop signal is delivered with its
 * default action, but the stop does not always follow: in an orphaned
 * process group SIGTSTP, SIGTTIN and SIGTTOU are discarded.  At the end of
 * the step /proc says what happened: a task that runs did not stop (a
 * stop and a continue within one step are not told apart), and a stopped
 * one stopped on the last of them. */
static bool task_line(const struct line *l, int task, const char *text, size_t n)
{
	return l->task == task && l->kind == L_TEXT && !strncmp(l->text, text, n);
}

/* Whether a "continued" line of `task` follows line `j` in this step. */
static bool continued_after(const struct host *h, int task, size_t j)
{
	while (++j < h->nlines)
		if (task_line(&h->lines[j], task, "continued", 10))
			return true;
	return false;
}

static void drop_stops_that_did_not_happen(struct host *h, int task, bool stopped)
{
	size_t keep = (size_t)-1, out = h->step_first_line;

	for (size_t j = h->step_first_line; j < h->nlines; j++)
		if (task_line(&h->lines[j], task, "stopped ", 8))
			keep = stopped ? j : (size_t)-1;
	for (size_t j = h->step_first_line; j < h->nlines; j++) {
		const struct line *l = &h->lines[j];

		/* a stop a SIGCONT ended in the same step did happen */
		if (task_line(l, task, "stopped ", 8) && j != keep && !continued_after(h, task, j))
			continue;
		h->lines[out++] = h->lines[j];
	}
	h->nlines = out;
}

/* Removes this step's lines of `task` that read `text`. */
static void drop_task_lines(struct host *h, int task, const char *text)
{
	size_t out = h->step_first_line;

	for (size_t j = h->step_first_line; j < h->nlines; j++)
		if (!task_line(&h->lines[j], task, text, strlen(text) + 1))
			h->lines[out++] = h->lines[j];
	h->nlines = out;
}

/* The ptrace stop of `task` that a wait (a tracer's wait4 or waitid, in
 * a step or a handler) took during this step: its code, or 0.  The wait
 * clears the stop's code in /proc (wait_task_stopped), so a stop waited
 * for in the step it began in is known only from the wait's result. */
static int stop_waited_in_step(struct host *h, int task)
{
	int code = 0;

	for (size_t j = h->step_first_rec; j < h->nrecs; j++) {
		const struct report *e = &h->recs[j], *b;

		if (e->kind != REP_END || e->task < 0)
			continue;
		b = hc_find_record(h, e->task, e->ref);
		if (!b || !b->stmt)
			continue;
		if (b->stmt->op == SC_OP_WAITID && e->result == 0 && e->code == CLD_TRAPPED &&
		    hc_task_seen(h, e->task, e->pid) == task)
			code = e->status;
		else if (b->stmt->op == SC_OP_WAIT4 && e->result > 0 && WIFSTOPPED(e->status) &&
			 hc_task_seen(h, e->task, (int)e->result) == task)
			code = (e->status >> 8) & 0xffff;
	}
	return code;
}

/* Lines the trace cannot give: stops and continues seen in /proc, and
 * deaths without a sched_process_exit event. */
static void place_state_changes(struct host *h)
{
	uint64_t dl;

	for (size_t i = 0; i < h->s->ntasks; i++) {
		struct htask *t = &h->t[i];
		enum tstate st = hc_poll_task(h, (int)i, &dl);
		struct line *l;

		if (!t->spawned)
			continue;
		/* a tracee in a group-stop trap is not continued by SIGCONT */
		if (t->cont_unsure && st == T_STOPPED && t->ptraced)
			drop_task_lines(h, (int)i, "continued");
		if (t->stop_line && st != T_DEAD)
			drop_stops_that_did_not_happen(h, (int)i, st == T_STOPPED && !t->ptraced);
		if (st == T_STOPPED && t->ptraced) {
			/* A ptrace stop: /proc's exit_code is the status the
			 * tracer's wait will get, 0 once it got it.  A new
			 * code since the step began is a new stop. */
			/* a stop that began in this step and was waited for in it */
			int c = t->pt_code ? t->pt_code
				: !t->was_ptraced ? stop_waited_in_step(h, (int)i) : 0;

			if (c && (!t->was_ptraced || c != t->pt_code_before)) {
				struct strbuf code = { 0 };

				sc_render_ptrace_code(&code, c);
				if (xlat_sig_is_stop(c & 0x7f))
					t->pt_last_stop = c & 0x7f;
				l = hc_add_line(h, L_TEXT, (int)i, hc_depth_of(h, (int)i));
				if (l)
					snprintf(l->text, sizeof l->text, "traced %s", sb_str(&code));
				sb_free(&code);
			}
			t->pt_code_before = t->pt_code;
			continue;
		}
		t->pt_code_before = 0;
		if (st == T_DEAD) {
			hc_place_death(h, (int)i);
		} else if (st == T_STOPPED && (!t->was_stopped || t->was_ptraced) && !t->stop_line) {
			int sig = stop_signal(h, (int)i);
			int joined = sig || t->was_ptraced ? 0 : joined_stop_signal(h, (int)i);

			/* Out of a ptrace stop into the group stop in effect
			 * (a detach): the stop signal the tracer last saw. */
			if (!sig && t->was_ptraced)
				sig = t->pt_last_stop;
			if (!sig)
				sig = joined;

			l = hc_add_line(h, L_TEXT, (int)i, hc_depth_of(h, (int)i));
			if (l)
				snprintf(l->text, sizeof l->text, "stopped%s%s", sig ? " " : "",
					 sig ? sl_signal_name(sig) : "");
			if (l && joined)
				move_before_cldstop(h, (int)i);
		} else if (st != T_STOPPED && t->was_stopped && !t->was_ptraced) {
			l = hc_add_line(h, L_TEXT, (int)i, hc_depth_of(h, (int)i));
			if (l) {
				snprintf(l->text, sizeof l->text, "continued");
				move_to_step_start(h);
			}
		}
	}
}

int hc_run_step(struct host *h, int step)
{
	const struct sc_step *sp = &h->s->steps[step];
	uint64_t dl;
	enum tstate st;
	int rc;

	h->cur_step = step;
	h->step_lines = h->dropped = 0;
	h->step_first_rec = h->nrecs;
	h->step_first_line = h->nlines;
	h->step_stmts = h->step_handler_runs = 0;
	for (size_t i = 0; i < h->s->ntasks; i++) {
		h->t[i].was_stopped = h->t[i].stopped;
		h->t[i].was_ptraced = h->t[i].stopped && h->t[i].ptraced;
		h->t[i].stop_line = false;
		h->t[i].stopped_in_step = false;
		h->t[i].cont_unsure = false;
		h->t[i].step_stop_sig = 0;
		h->t[i].group_stop_told = false;
	}
	/* advance: the clock's step sleeps, scaled; the terminal's steps
	 * act on its master (host_tty.c) */
	if (sp->task < 0 && sc_is_master_step(sp->stmt.op)) {
		int err = host_tty_master_step(&h->time, &sp->stmt);

		if (err < 0)
			return hc_fail(h, "%s: %s", sc_op_name(sp->stmt.op), strerror(-err));
	} else if (sp->task < 0 &&
		   host_time_advance(&h->time, sp->stmt.dur, &hc_interrupted) < 0) {
		return hc_fail_interrupted(h);
	}
	st = sp->task < 0 ? T_IDLE : hc_poll_task(h, sp->task, &dl);
	if (st == T_DEAD || st == T_STOPPED || st == T_ASLEEP) {
		h->r->diag.pos = sp->stmt.pos;
		snprintf(h->r->diag.message, sizeof h->r->diag.message,
			 "step for task '%s', which is %s", h->s->tasks[sp->task].name,
			 st == T_DEAD ? "dead" : st == T_STOPPED ? "stopped" : "sleeping");
		h->cur_step = step - 1;
		return 1;
	}
	if (sp->task >= 0 && hc_send_cmd(h, sp->task, CMD_STEP, step, 0) < 0)
		return -1;
	rc = settle(h, sp->task, step);
	if (rc != 0) {
		hc_place_step_events(h);
		if (h->dropped) {
			size_t dropped = h->dropped;
			struct line *l;

			h->step_lines = 0;
			l = hc_add_line(h, L_TEXT, sp->task, 0);
			if (l)
				snprintf(l->text, sizeof l->text, "... (%zu more lines not shown)", dropped);
		}
		return rc;
	}
	hc_place_step_events(h);
	place_state_changes(h);
	/* Tasks born in this step: the tracepoints follow them from now. */
	if (h->new_tasks && hc_start_trace(h) < 0)
		return -1;
	h->new_tasks = false;
	return 0;
}
