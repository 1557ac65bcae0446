/*
 * The verdict of `siglab why`: a sender task in the mirror calls
 * sl_sys_kill on the target, every thread returns to user mode until none
 * has work, and the generation result, the rules the engine reports and
 * what sl_return_to_user did are the verdict.  The diagnosis follows the
 * same rules as the model, never rules of its own.
 */
#include <stdio.h>

#include "why/mirror.h"

const char *why_verdict_name(enum why_verdict v)
{
	static const char *const names[] = {
		[WHY_UNKNOWN] = "unknown", [WHY_EXISTS] = "exists",
		[WHY_EPERM] = "EPERM", [WHY_DROPPED] = "dropped",
		[WHY_ALREADY_PENDING] = "already pending", [WHY_PENDING] = "pending",
		[WHY_HANDLER] = "handler", [WHY_TERM] = "killed (Term)",
		[WHY_CORE] = "killed (Core)", [WHY_STOP] = "stopped",
		[WHY_CONTINUE] = "continued", [WHY_NOTHING] = "no effect",
		[WHY_FLUSHED] = "discarded",
		[WHY_KTHREAD_QUEUED] = "queued for a kernel thread",
		[WHY_WAITS] = "waits for SIGCONT", [WHY_ZOMBIE] = "no effect (zombie)",
		[WHY_TRACER] = "signal-delivery-stop",
	};

	return (unsigned)v < sizeof names / sizeof names[0] && names[v] ? names[v] : "?";
}

/* ---- running it ------------------------------------------------------------ */

static bool same_step(const struct why_step *a, const struct sl_event *ev)
{
	return a->kind == ev->kind && a->sig == ev->sig && a->rule == ev->rule;
}

/* The events of the run, each kind of decision once (a group exit shows
 * the same SIGKILL in every thread). */
static void collect_steps(const struct why_mirror *m, struct why_outcome *o)
{
	for (size_t i = 0; i < m->nlog && o->nsteps < WHY_MAX_STEPS; i++) {
		const struct sl_event *ev = &m->log[i];
		bool seen = false;

		/* What happens to others (SIGCHLD to the parent) is not asked. */
		if (ev->kind == SL_EV_SYSCALL_RETURN ||
		    !why_mirror_real_tid(m, ev->kind == SL_EV_GENERATE ? ev->target : ev->tid))
			continue;
		for (size_t j = 0; j < o->nsteps && !seen; j++)
			seen = same_step(&o->steps[j], ev);
		if (seen)
			continue;
		o->steps[o->nsteps++] = (struct why_step){
			.kind = ev->kind,
			.tid = ev->kind == SL_EV_GENERATE ? 0 : why_mirror_real_tid(m, ev->tid),
			.sig = ev->sig, .result = ev->result, .rule = ev->rule };
	}
}

static const struct sl_event *find_event(const struct why_mirror *m, enum sl_event_kind kind, int sig)
{
	for (size_t i = 0; i < m->nlog; i++)
		if (m->log[i].kind == kind && (sig == 0 || m->log[i].sig == sig))
			return &m->log[i];
	return NULL;
}

static enum why_verdict fatal_verdict(int sig)
{
	const struct sl_signal_desc *d = sig <= SL_SIGSYS ? sl_signal_describe(sig) : NULL;

	return d && d->action == SL_ACT_CORE ? WHY_CORE : WHY_TERM;
}

/* Thread i stopped for its tracer with sig: a signal-delivery-stop
 * (kernel/signal.c ptrace_signal, ptrace_stop; the tracer's wait sees
 * WSTOPSIG == sig). */
static bool in_delivery_stop(const struct why_mirror *m, size_t i, int sig)
{
	struct sl_task_info ti;

	return sl_task_info(m->k, m->tids[i], &ti) == 0 && ti.state == SL_TASK_TRACED &&
	       (ti.ptrace_code & 0xff) == sig;
}

/* Returns every thread that has work to user mode until none has, as the
 * model's run does; the first thread that acts on `sig` decides.  A
 * handler for another signal is assumed to return. */
static void run_to_quiescence(struct why_mirror *m, int sig, struct why_outcome *o)
{
	size_t n = m->p->nthreads;

	for (int round = 0; round < 8; round++) {
		bool any = false;

		for (size_t i = 0; i < n; i++) {
			struct sl_ksignal ks;
			enum sl_delivery d;

			if (!sl_task_has_work(m->k, m->tids[i]))
				continue;
			any = true;
			d = sl_return_to_user(m->k, m->tids[i], &ks);
			if (m->tracer && in_delivery_stop(m, i, sig)) {
				o->verdict = WHY_TRACER;
				o->taker = m->p->threads[i].tid;
				return;
			}
			if (d == SL_DELIVER_HANDLER && ks.sig != sig) {
				sl_sys_rt_sigreturn(m->k, m->tids[i]);
				continue;
			}
			if (d == SL_DELIVER_HANDLER || d == SL_DELIVER_EXITED ||
			    (d == SL_DELIVER_STOPPED && (sl_sigmask(sig) & WHY_STOP_SIGNALS))) {
				o->verdict = d == SL_DELIVER_HANDLER ? WHY_HANDLER
					     : d == SL_DELIVER_EXITED ? fatal_verdict(sig) : WHY_STOP;
				o->taker = m->p->threads[i].tid;
				return;
			}
		}
		if (!any)
			return;
	}
}

/* What happened when no thread acted on the signal. */
static void settle_verdict(const struct why_mirror *m, int sig, bool was_stopped,
			   enum why_kind kind, struct why_outcome *o)
{
	const struct sl_event *dl = find_event(m, SL_EV_DELIVER, sig);
	const struct proc_process *p = m->p;
	bool zombie = why_all_threads_dead(p);

	if (o->verdict != WHY_UNKNOWN)
		return;
	if (zombie) {
		o->verdict = WHY_ZOMBIE;
	} else if (was_stopped && !why_mirror_is_stopped(m)) {
		o->verdict = WHY_CONTINUE;
		o->rule = o->gen_rule;
	} else if (o->gen_result == SL_TRACE_IGNORED) {
		o->verdict = WHY_DROPPED;
	} else if (o->gen_result == SL_TRACE_ALREADY_PENDING) {
		o->verdict = WHY_ALREADY_PENDING;
	} else if (kind == WHY_KIND_KTHREAD) {
		o->verdict = WHY_KTHREAD_QUEUED;
	} else if (why_mirror_is_stopped(m)) {
		o->verdict = WHY_WAITS;
	} else if (dl && dl->rule) {
		o->verdict = WHY_NOTHING;
		o->rule = dl->rule;
	} else if (why_blocked_everywhere(p) & sl_sigmask(sig)) {
		o->verdict = WHY_PENDING;
	} else if (!why_mirror_has_pending(m, sig) && find_event(m, SL_EV_NOTE, 0)) {
		/* Discarded without delivery: SIGCONT flushes stop signals. */
		o->verdict = WHY_FLUSHED;
		o->rule = find_event(m, SL_EV_NOTE, 0)->rule;
	}
}

/* The rule that decided a verdict where a thread acted: the handler frame,
 * the fatal or stopping delivery. */
static void verdict_rule(const struct why_mirror *m, int sig, struct why_outcome *o)
{
	const struct sl_event *d = find_event(m, SL_EV_DELIVER, 0);
	const struct sl_event *h = find_event(m, SL_EV_HANDLER, sig);
	const struct sl_event *st = find_event(m, SL_EV_STOP, 0);

	switch (o->verdict) {
	case WHY_HANDLER:
		o->rule = h ? h->rule : o->rule;
		break;
	case WHY_TERM:
	case WHY_CORE:
		o->rule = d && d->rule ? d->rule : o->rule;
		break;
	case WHY_STOP:
		o->rule = st && st->rule ? st->rule : o->rule;
		break;
	case WHY_TRACER: {
		const struct sl_event *ps = find_event(m, SL_EV_PTRACE_STOP, 0);

		o->rule = ps && ps->rule ? ps->rule : o->rule;
		break;
	}
	default:
		break;
	}
}

/* The first D thread the model still has asleep after the run: the
 * signal did not end its wait (signal_wake_up wakes a TASK_KILLABLE
 * sleep only for a fatal signal, a TASK_UNINTERRUPTIBLE one never). */
static int first_sleeper(const struct why_mirror *m)
{
	for (size_t i = 0; i < m->p->nthreads; i++) {
		struct sl_task_info ti;

		if (why_model_sleep(&m->p->threads[i]) >= 0 &&
		    sl_task_info(m->k, m->tids[i], &ti) == 0 &&
		    ti.state == SL_TASK_SLEEPING)
			return (int)i;
	}
	return -1;
}

/* Runs the threads; when a D thread sleeps on, notes it, and when
 * nothing happened yet, ends the waits (the I/O completes) and runs
 * again: the verdict then holds once the sleep is over. */
static void run_past_waits(struct why_mirror *m, int sig, struct why_outcome *o)
{
	int i;

	run_to_quiescence(m, sig, o);
	i = first_sleeper(m);
	if (i < 0)
		return;
	o->after_wait = m->p->threads[i].tid;
	o->after_killable = why_model_sleep(&m->p->threads[i]) == SL_SLEEP_KILLABLE;
	o->after_state = m->p->threads[i].state;
	if (o->verdict != WHY_UNKNOWN)
		return;
	for (size_t j = 0; j < m->p->nthreads; j++)
		if (why_model_sleep(&m->p->threads[j]) >= 0)
			sl_wake_up(m->k, WHY_WAIT_CHANNEL(j));
	run_to_quiescence(m, sig, o);
}

void why_outcome_start(struct why_outcome *o)
{
	*o = (struct why_outcome){ .verdict = WHY_UNKNOWN, .gen_result = -1 };
}

static void send_and_run(struct why_mirror *m, int sig, enum why_kind kind, struct why_outcome *o)
{
	bool was_stopped = why_mirror_is_stopped(m);
	const struct sl_event *gen;

	why_outcome_start(o);
	m->nlog = 0;
	o->kill_ret = sl_sys_kill(m->k, m->sender, m->tgid, sig);
	if (o->kill_ret == -SL_EPERM) {
		o->verdict = WHY_EPERM;
		return;
	}
	if (o->kill_ret < 0)
		return;
	if (sig == 0) {
		o->verdict = WHY_EXISTS;
		return;
	}
	gen = find_event(m, SL_EV_GENERATE, sig);
	if (gen) {
		o->gen_result = gen->result;
		o->gen_rule = gen->rule;
		o->rule = gen->rule;
	}
	run_past_waits(m, sig, o);
	settle_verdict(m, sig, was_stopped, kind, o);
	verdict_rule(m, sig, o);
	collect_steps(m, o);
}

/* The second act: a stopped process continued, or a blocked signal
 * unblocked by the first thread that blocks it. */
static void project(struct why_mirror *m, int sig, enum why_kind kind, struct why_report *r)
{
	struct why_outcome *o = &r->then;

	if (r->now.verdict == WHY_TRACER) {
		size_t i = 0;

		/* The tracer passes the signal on: PTRACE_CONT with it
		 * (ptrace_resume sets exit_code; ptrace_signal then
		 * delivers it as if it had not been traced). */
		while (i < m->p->nthreads && m->p->threads[i].tid != r->now.taker)
			i++;
		snprintf(r->then_buf, sizeof r->then_buf, "if tracer %d passes it on",
			 m->p->status.tracer_pid);
		r->then_what = r->then_buf;
		why_outcome_start(o);
		m->nlog = 0;
		o->kill_ret = sl_sys_ptrace(m->k, m->tracer, SL_PTRACE_CONT, m->tids[i], 0,
					    (uint64_t)sig);
		run_past_waits(m, sig, o);
		settle_verdict(m, sig, false, kind, o);
		if (o->verdict == WHY_UNKNOWN && find_event(m, SL_EV_DELIVER, sig))
			o->verdict = WHY_NOTHING;
		collect_steps(m, o);
	} else if (r->now.verdict == WHY_WAITS) {
		r->then_what = "after SIGCONT";
		why_outcome_start(o);
		m->nlog = 0;
		o->kill_ret = sl_sys_kill(m->k, m->sender, m->tgid, SL_SIGCONT);
		run_to_quiescence(m, sig, o);
		settle_verdict(m, sig, false, kind, o);
		collect_steps(m, o);
	} else if ((r->now.verdict == WHY_PENDING ||
		    (r->now.verdict == WHY_ALREADY_PENDING &&
		     (why_blocked_everywhere(m->p) & sl_sigmask(sig)))) && r->nblockers) {
		/* A signal blocked in every thread, newly queued or merged
		 * with the pending one (legacy_queue), is delivered when a
		 * thread unblocks it: sigprocmask -> __set_task_blocked ->
		 * recalc_sigpending, then get_signal on the way out. */
		sl_sigset bit = sl_sigmask(sig);
		size_t i = 0;

		while (i < m->p->nthreads && m->p->threads[i].tid != r->blockers[0])
			i++;
		snprintf(r->then_buf, sizeof r->then_buf, "if thread %d unblocked it", r->blockers[0]);
		r->then_what = r->then_buf;
		why_outcome_start(o);
		m->nlog = 0;
		sl_sys_rt_sigprocmask(m->k, m->tids[i], SL_SIG_UNBLOCK, &bit, NULL);
		run_to_quiescence(m, sig, o);
		if (o->verdict == WHY_UNKNOWN) {
			const struct sl_event *dl = find_event(m, SL_EV_DELIVER, sig);

			o->verdict = dl ? WHY_NOTHING : WHY_PENDING;
			o->rule = dl ? dl->rule : NULL;
		}
		collect_steps(m, o);
	} else {
		return;
	}
	verdict_rule(m, sig, o);
	r->has_then = o->verdict != WHY_UNKNOWN;
}

void why_verdict(struct why_mirror *m, int sig, struct why_report *r)
{
	send_and_run(m, sig, r->kind, &r->now);
	if (sig)
		project(m, sig, r->kind, r);
}
