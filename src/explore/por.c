/*
 * Partial-order reduction for explore: which par steps commute.
 *
 * Two steps of a par block are independent in a state when running them
 * in either order leads to the same state, and neither changes whether
 * the other can run.  The search (search.c) then need not run the second
 * order: its counts are those of the state the first order reached
 * (sleep sets, with the state found through the memos instead of being
 * run again).  The relation is conservative: a step that may reach
 * further than two processes, or whose reach the runner cannot bound
 * from the state, depends on every other step.
 *
 * Rules:
 *   - Only a scenario whose handlers only `log`, without timers, clock
 *     steps, repeat, clone, ptrace or trace-reading atoms, and whose
 *     signals cannot reach the per-user queue limit (RLIMIT_SIGPENDING,
 *     at most a generation per task per step), is reduced at all.
 *   - A step reaches its own process and, for `kill`, `tkill` or
 *     `sigqueue` of a named task, the target's process; it is eligible
 *     when every signal that may be taken in its move (the one it sends,
 *     and the ones pending in the process it acts on) is ignored or
 *     caught by a handler that stays installed (no SA_RESETHAND), so
 *     that nothing dies, stops or notifies a parent; when no thread of
 *     those processes is traced or stopped; and when the target exists
 *     (a step that forks it may come later).  Job-control signals
 *     (SIGSTOP, SIGCONT, SIGTSTP, SIGTTIN, SIGTTOU) and SIGKILL are never
 *     eligible.
 *   - Two eligible steps of processes that do not meet are independent.
 */
#include "explore/search.h"

static bool op_in(enum sc_op op, const enum sc_op *ops, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ops[i] == op)
			return true;
	return false;
}

static bool handlers_only_log(const struct scenario *s)
{
	for (size_t h = 0; h < s->nhandlers; h++)
		for (size_t i = 0; i < s->handlers[h].nbody; i++)
			if (s->handlers[h].body[i].op != SC_OP_LOG)
				return false;
	return true;
}

static bool reads_trace_atom(const struct sc_expect *e, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (e[i].kind == SC_EXP_TRACE || e[i].kind == SC_EXP_NO_TRACE)
			return true;
	return false;
}

static bool default_ignored(int sig);
static bool job_control(int sig);

/* The process of scenario task t (a thread's leader). */
static int proc_of(const struct scenario *s, int t)
{
	return s->tasks[t].kind == SC_THREAD && s->tasks[t].leader >= 0 ? s->tasks[t].leader : t;
}

/* The processes step i may reach, as ex_por_procs finds them in a state,
 * from the scenario alone (a task's process never changes: threads are
 * of their leader's); false when it can never be eligible. */
static bool static_reach(const struct scenario *s, size_t i, int proc[2])
{
	static const enum sc_op sends[] = { SC_OP_KILL, SC_OP_TKILL, SC_OP_SIGQUEUE };
	static const enum sc_op own[] = { SC_OP_SIGPROCMASK, SC_OP_SIGACTION, SC_OP_SIGNAL,
					  SC_OP_SIGPENDING };
	const struct sc_step *st = &s->steps[i];

	if (st->task < 0)
		return false;
	proc[0] = proc[1] = proc_of(s, st->task);
	if (op_in(st->stmt.op, sends, sizeof sends / sizeof *sends)) {
		if (st->stmt.target.kind != SC_TGT_TASK || st->stmt.target.task < 0 ||
		    job_control(st->stmt.sig))
			return false;
		proc[1] = proc_of(s, st->stmt.target.task);
		return true;
	}
	if (!op_in(st->stmt.op, own, sizeof own / sizeof *own))
		return false;
	return !((st->stmt.op == SC_OP_SIGACTION || st->stmt.op == SC_OP_SIGNAL) &&
		 st->stmt.handler == SC_HANDLER_DFL && !default_ignored(st->stmt.sig));
}

/* Whether some two steps of one par block may ever commute: two that can
 * be eligible and whose processes never meet.  Without such a pair the
 * reduction never skips a move (every step meets every other), and its
 * bookkeeping is only a cost: big-race2, where every step touches rx. */
static bool por_pairs(const struct scenario *s)
{
	for (size_t i = 0; i < s->nsteps; i++) {
		int a[2];

		if (!s->steps[i].par || !static_reach(s, i, a))
			continue;
		for (size_t j = i + 1; j < s->nsteps; j++) {
			int b[2];

			if (s->steps[j].par != s->steps[i].par || !static_reach(s, j, b))
				continue;
			if (a[0] != b[0] && a[0] != b[1] && a[1] != b[0] && a[1] != b[1])
				return true;
		}
	}
	return false;
}

bool ex_por_scenario(const struct scenario *s)
{
	static const enum sc_op banned[] = { SC_OP_ALARM, SC_OP_SETITIMER, SC_OP_TIMER_CREATE,
					     SC_OP_TIMER_SETTIME, SC_OP_ADVANCE, SC_OP_REPEAT,
					     SC_OP_CLONE, SC_OP_PTRACE, SC_OP_WAKE_UP };
	uint64_t limit = s->rlimit_sigpending ? s->rlimit_sigpending : SL_DEFAULT_RLIMIT_SIGPENDING;

	if (!handlers_only_log(s) || reads_trace_atom(s->atoms, s->natoms) ||
	    reads_trace_atom(s->expects, s->nexpects))
		return false;
	for (size_t i = 0; i < s->nsteps; i++)
		if (op_in(s->steps[i].stmt.op, banned, sizeof banned / sizeof *banned))
			return false;
	/* Every generation queues at most one entry per task. */
	return (uint64_t)s->nsteps * (s->ntasks + 2) < limit && por_pairs(s);
}

/* The default action of sig is to ignore it (sig_kernel_ignore). */
static bool default_ignored(int sig)
{
	return sig == SL_SIGCHLD || sig == SL_SIGURG || sig == SL_SIGWINCH;
}

static bool job_control(int sig)
{
	return sig == SL_SIGKILL || sig == SL_SIGSTOP || sig == SL_SIGCONT || sig == SL_SIGTSTP ||
	       sig == SL_SIGTTIN || sig == SL_SIGTTOU;
}

/* Whether taking each signal of `set` in process tgid ends quietly: its
 * threads all known, none traced or stopped, and each signal ignored or
 * caught by a handler that stays. */
static bool quiet_process(struct sim *sm, int tgid, sl_sigset set)
{
	struct sl_task_info ti;
	int runner = 0;

	for (size_t t = 0; t < sm->s->ntasks; t++) {
		int tid = sm->task_tid[t];

		if (!tid || sl_task_info(sm->k, tid, &ti) < 0 || ti.tgid != tgid)
			continue;
		if (ti.tracer || ti.state == SL_TASK_STOPPED || ti.state == SL_TASK_TRACED)
			return false;
		set |= ti.pending | ti.shared_pending;
		if (ti.state == SL_TASK_RUNNING && !runner)
			runner = tid;
	}
	if (!runner)
		return false;
	for (int sig = 1; sig <= SL_NSIG; sig++) {
		struct sl_sigaction old;

		if (!(set & sl_sigmask(sig)))
			continue;
		if (job_control(sig) || sl_sys_rt_sigaction(sm->k, runner, sig, NULL, &old) < 0)
			return false;
		if (old.handler == SL_SIG_IGN || (old.handler == SL_SIG_DFL && default_ignored(sig)))
			continue;
		if (old.handler == SL_SIG_DFL || (old.flags & SL_SA_RESETHAND))
			return false;
	}
	return true;
}

static void ex_por_procs(struct sim *sm, size_t step, struct reach *out)
{
	static const enum sc_op sends[] = { SC_OP_KILL, SC_OP_TKILL, SC_OP_SIGQUEUE };
	static const enum sc_op own[] = { SC_OP_SIGPROCMASK, SC_OP_SIGACTION, SC_OP_SIGNAL,
					  SC_OP_SIGPENDING };
	const struct sc_step *st = &sm->s->steps[step];
	struct sl_task_info me, to;
	sl_sigset sent = 0;

	out->ok = false;
	if (st->task < 0 || sm->rec[st->task].fork_step || !sm->task_tid[st->task] ||
	    sl_task_info(sm->k, sm->task_tid[st->task], &me) < 0)
		return;
	out->proc[0] = out->proc[1] = me.tgid;
	if (op_in(st->stmt.op, sends, sizeof sends / sizeof *sends)) {
		int tid = st->stmt.target.kind == SC_TGT_TASK ? sm->task_tid[st->stmt.target.task] : 0;

		if (!tid || sl_task_info(sm->k, tid, &to) < 0 || job_control(st->stmt.sig))
			return;
		out->proc[1] = to.tgid;
		if (st->stmt.sig > 0)
			sent = sl_sigmask(st->stmt.sig);
	} else if (!op_in(st->stmt.op, own, sizeof own / sizeof *own)) {
		return;
	} else if ((st->stmt.op == SC_OP_SIGACTION || st->stmt.op == SC_OP_SIGNAL) &&
		   st->stmt.handler == SC_HANDLER_DFL && !default_ignored(st->stmt.sig)) {
		return;		/* a default action now, for a later step to meet */
	}
	out->sent = sent;
	out->ok = true;
}

static void ex_por_quiet(struct sim *sm, struct reach *r)
{
	if (r->ok && (!quiet_process(sm, r->proc[1], r->sent) ||
		      (r->proc[0] != r->proc[1] && !quiet_process(sm, r->proc[0], 0))))
		r->ok = false;
}

static bool meet(const struct reach *a, const struct reach *b)
{
	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 2; j++)
			if (a->proc[i] == b->proc[j])
				return true;
	return false;
}

void ex_por_reach_all(struct sim *sm, const int *steps, struct reach *r, size_t n)
{
	for (size_t c = 0; c < n; c++)
		ex_por_procs(sm, (size_t)steps[c], &r[c]);
	/* The state is read only for steps that could commute with another
	 * (most blocks race on one process: nothing to read there). */
	for (size_t c = 0; c < n; c++) {
		bool partner = false;

		for (size_t d = 0; d < n && !partner && r[c].ok; d++)
			partner = d != c && r[d].ok && !meet(&r[c], &r[d]);
		if (!partner)
			r[c].ok = false;
	}
	for (size_t c = 0; c < n; c++)
		ex_por_quiet(sm, &r[c]);
}

bool ex_por_independent(const struct reach *a, const struct reach *b)
{
	return a->ok && b->ok && !meet(a, b);
}
