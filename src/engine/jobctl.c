/* Models job control in kernel/signal.c and kernel/exit.c: group stop
 * (do_signal_stop, task_participate_group_stop), SIGCONT's resume
 * (prepare_signal), the parent's CLD_STOPPED / CLD_CONTINUED report
 * (do_notify_parent_cldstop) and orphaned process groups
 * (will_become_orphaned_pgrp) (Linux 6.x). */
#include "engine/internal.h"

static const char RULE_STOP[] =
	"stop: the default action of a stop signal stops every thread of the "
	"process (kernel/signal.c do_signal_stop)";

void task_clear_jobctl_pending(struct task *t, unsigned mask)
{
	if (mask & JOBCTL_STOP_PENDING)
		mask |= JOBCTL_STOP_CONSUME | JOBCTL_STOP_DEQUEUED;
	t->jobctl &= ~mask;
}

static void signal_set_stop_flags(struct signal_group *g, unsigned flags)
{
	g->flags = (g->flags & ~SIGNAL_STOP_MASK) | flags;
}

/* A thread that takes part in a group stop consumes one count; the last
 * one completes the stop and must report it.  A consuming thread was
 * counted when the stop began (do_signal_stop), so the count cannot be 0
 * here: the kernel WARNs if it is; the model asserts, and a release build
 * skips the decrement as the kernel does after its warning. */
bool task_participate_group_stop(struct task *t)
{
	struct signal_group *g = t->group;
	bool consume = t->jobctl & JOBCTL_STOP_CONSUME;

	task_clear_jobctl_pending(t, JOBCTL_STOP_PENDING);
	if (!consume)
		return false;
	SL_ASSERT(g->group_stop_count > 0);
	if (g->group_stop_count)
		g->group_stop_count--;
	if (!g->group_stop_count && !(g->flags & SIGNAL_STOP_STOPPED)) {
		signal_set_stop_flags(g, SIGNAL_STOP_STOPPED);
		return true;
	}
	return false;
}

/* SIGCONT's half of prepare_signal: cancel a group stop in progress, wake
 * every stopped thread, and owe the parent a report. */
void prepare_continue(sl_kernel *k, struct task *p)
{
	struct signal_group *g = p->group;
	struct task *t = g->leader;
	unsigned why = 0;

	do {
		/* Every thread may have work below: resumed, or a report
		 * owed to the parent (SIGNAL_CLD_MASK). */
		work_mark(k, t);
		task_clear_jobctl_pending(t, JOBCTL_STOP_PENDING);
		if (t->ptrace & PT_SEIZED)
			ptrace_trap_notify(k, t);	/* ptrace.c */
		else if (t->state == TASK_STOPPED) {
			t->jobctl &= ~JOBCTL_STOPPED;
			t->state = TASK_RUNNING;
			t->resumed = true;
		}
		t = t->thread_next;
	} while (t != g->leader);
	/* A stop still in progress is reported as completed and then
	 * continued; SIGCHLD does not queue, so only CLD_STOPPED shows. */
	if (g->flags & SIGNAL_STOP_STOPPED)
		why = SIGNAL_CLD_CONTINUED;
	else if (g->group_stop_count)
		why = SIGNAL_CLD_STOPPED;
	if (why) {
		signal_set_stop_flags(g, why | SIGNAL_STOP_CONTINUED);
		g->group_stop_count = 0;
		g->group_exit_code = 0;
	}
}

/* The parent hears of a stop or continue through SIGCHLD unless it
 * ignores SIGCHLD or asked for SA_NOCLDSTOP. */
void do_notify_parent_cldstop(sl_kernel *k, struct task *t, int why)
{
	struct task *leader = t->group->leader;
	struct task *parent = leader->group->parent;
	struct sl_siginfo info = { .signo = SL_SIGCHLD, .code = why };
	const struct sl_sigaction *ka;

	if (!parent || parent->released)
		return;
	info.pid = task_visible_in(leader, parent->group->ns) ? leader->tid : 0;
	info.uid = leader->cred->uid;
	info.status = why == SL_CLD_CONTINUED ? SL_SIGCONT : (t->group->group_exit_code & 0x7f);
	ka = &parent->sighand->action[SL_SIGCHLD - 1];
	if (ka->handler != SL_SIG_IGN && !(ka->flags & SL_SA_NOCLDSTOP))
		send_signal_locked(k, t, SL_SIGCHLD, INFO_REAL, &info, parent, PIDTYPE_TGID);
	wake_up_parent(k, parent);
}

/* do_signal_stop: the first thread to act on a stop signal starts the
 * group stop and asks every other thread to stop; each then stops in its
 * own get_signal.  Returns false when no stop happened (a SIGCONT or a
 * group exit got in first). */
bool do_signal_stop(sl_kernel *k, struct task *t, int signr)
{
	struct signal_group *g = t->group;
	bool notify;

	if (!(t->jobctl & JOBCTL_STOP_PENDING)) {
		unsigned gstop = JOBCTL_STOP_PENDING | JOBCTL_STOP_CONSUME;

		if (!(t->jobctl & JOBCTL_STOP_DEQUEUED) || (g->flags & SIGNAL_GROUP_EXIT))
			return false;
		if (!(g->flags & SIGNAL_STOP_STOPPED))
			g->group_exit_code = signr;
		g->group_stop_count = 0;
		t->jobctl = (t->jobctl & ~JOBCTL_STOP_SIGMASK) | (unsigned)signr | gstop;
		g->group_stop_count++;
		for (struct task *o = t->thread_next; o != t; o = o->thread_next) {
			if (o->state == TASK_STOPPED || o->state == TASK_DEAD ||
			    (o->flags & PF_EXITING))
				continue;
			o->jobctl = (o->jobctl & ~JOBCTL_STOP_SIGMASK) | (unsigned)signr | gstop;
			g->group_stop_count++;
			if (o->ptrace & PT_SEIZED)
				ptrace_trap_notify(k, o);
			else
				signal_wake_up(k, o, false);
		}
	}
	/* A traced task stops in a ptrace trap instead (do_jobctl_trap). */
	if (t->ptrace) {
		t->jobctl |= JOBCTL_TRAP_STOP;
		t->sigpending = true;
		work_mark(k, t);
		return false;
	}
	notify = task_participate_group_stop(t);
	t->jobctl |= JOBCTL_STOPPED;
	t->state = TASK_STOPPED;
	{
		struct sl_event ev = { .kind = SL_EV_STOP, .tid = t->tid,
				       .sig = g->group_exit_code, .rule = RULE_STOP };
		emit(k, &ev);
	}
	if (notify)
		do_notify_parent_cldstop(k, t, SL_CLD_STOPPED);
	return true;
}

/* will_become_orphaned_pgrp: a group is orphaned when no member has a
 * parent in another group of the same session; children of the global
 * init and dead processes do not count. */
bool is_pgrp_orphaned(const sl_kernel *k, const struct pgroup *pg)
{
	for (const struct task *p = pg->members; p; p = p->group->pgrp_next) {
		const struct task *parent = p->group->parent;

		if ((p->state == TASK_DEAD && thread_group_empty(p)) || !parent ||
		    (k->init && parent->group == k->init->group))
			continue;
		if (parent->group->pgrp != pg && parent->group->sid == p->group->sid)
			return false;
	}
	return true;
}
