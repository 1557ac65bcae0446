/* Models the signal side of kernel/exit.c: do_exit, do_group_exit,
 * zap_other_threads (kernel/signal.c), exit_signals, exit_notify and
 * do_notify_parent's SIGCHLD with CLD_EXITED / CLD_KILLED / CLD_DUMPED,
 * and the auto-reap of SIG_IGN / SA_NOCLDWAIT parents (Linux 6.x). */
#include "engine/internal.h"

static const char RULE_AUTOREAP[] =
	"auto-reaped: the parent ignores SIGCHLD or set SA_NOCLDWAIT, so the "
	"child never becomes a zombie (kernel/signal.c do_notify_parent)";

int zap_other_threads(sl_kernel *k, struct task *p)
{
	int count = 0;

	p->group->group_stop_count = 0;
	for (struct task *t = p->thread_next; t != p; t = t->thread_next) {
		task_clear_jobctl_pending(t, JOBCTL_PENDING_MASK);
		count++;
		if (t->state == TASK_DEAD)
			continue;
		t->pending.signal |= sl_sigmask(SL_SIGKILL);
		signal_wake_up(k, t, true);
	}
	return count;
}

/* The wait status word of a process that ended this way: WCOREDUMP
 * (0x80) when its Core action wrote a core (coredump.c). */
static int exit_status_word(enum sl_exit_kind kind, int code, bool core)
{
	if (kind == SL_EXIT_CODE)
		return (code & 0xff) << 8;
	return (code & 0x7f) | (core ? 0x80 : 0);
}

/* The status a dead process reports to its parent: the group's exit
 * code, the one wait reports too.  A leader that exited before its
 * threads (delay_group_leader) is announced only when the last thread is
 * released, and since Linux 6.17 release_task first gives it the group's
 * code (exit: fix the usage of delay_group_leader->exit_code), so its
 * SIGCHLD says CLD_KILLED when a fatal signal ended the threads, or the
 * last thread's exit code. */
static int notify_status(const struct task *leader)
{
	const struct signal_group *g = leader->group;
	int gc = g->group_exit_code;

	if (leader->exit_kind == SL_EXIT_OOPS || !(g->flags & SIGNAL_GROUP_EXIT))
		return exit_status_word(leader->exit_kind, leader->exit_code, g->core_dumped);
	return exit_status_word(gc & 0x10000 ? SL_EXIT_CODE : SL_EXIT_SIGNAL, gc & 0xffff,
				g->core_dumped);
}

/* do_notify_parent: the exit signal (SIGCHLD unless clone said otherwise)
 * to the parent, with the child's status; returns true when the parent
 * does not care and the child is reaped at once.  `cur` is the thread in
 * whose context it happens (the last to exit, or the one reparenting). */
bool do_notify_parent(sl_kernel *k, struct task *cur, struct task *leader, int sig)
{
	return do_notify_parent_to(k, cur, leader, sig, leader->group->parent);
}

/* do_notify_parent to `parent`: the real parent, or the tracer of a
 * traced child (ptrace.c), which is never auto-reaped. */
bool do_notify_parent_to(sl_kernel *k, struct task *cur, struct task *leader, int sig,
			 struct task *parent)
{
	struct signal_group *g = leader->group;
	struct sl_siginfo info = { .signo = SL_SIGCHLD };
	const struct sl_sigaction *ka;
	int status = notify_status(leader);
	bool autoreap = false;

	if (g->kthread)
		return true;
	if (!parent || parent->released)
		return false;
	/* DEVIATION(the kernel's dying pid-namespace init waits in
	 * zap_pid_ns_processes until it has reaped every process of its
	 * namespace; here it is gone first, and the processes it had
	 * SIGKILLed are reaped as they die, as its SIG_IGN for SIGCHLD
	 * would have them). */
	if (parent->state == TASK_DEAD)
		return true;
	/* A parent that has exec'd since the fork gets SIGCHLD whatever
	 * clone asked for (do_notify_parent, parent_exec_id). */
	if (sig != SL_SIGCHLD && g->parent_exec_id != parent->group->self_exec_id)
		sig = SL_SIGCHLD;
	info.signo = sig;
	info.pid = task_visible_in(leader, parent->group->ns) ? leader->tid : 0;
	info.uid = leader->cred->uid;
	info.status = status & 0x7f;
	if (status & 0x80)
		info.code = SL_CLD_DUMPED;
	else if (status & 0x7f)
		info.code = SL_CLD_KILLED;
	else {
		info.code = SL_CLD_EXITED;
		info.status = status >> 8;
	}
	ka = &parent->sighand->action[SL_SIGCHLD - 1];
	if (!leader->ptrace && sig == SL_SIGCHLD &&
	    (ka->handler == SL_SIG_IGN || (ka->flags & SL_SA_NOCLDWAIT))) {
		autoreap = true;
		/* With SA_NOCLDWAIT the signal is still sent; with SIG_IGN not. */
		if (ka->handler == SL_SIG_IGN)
			sig = 0;
		emit_note(k, leader->tid, SL_SIGCHLD, RULE_AUTOREAP);
	}
	if (sig > 0 && valid_signal(sig))
		send_signal_locked(k, cur, sig, INFO_REAL, &info, parent, PIDTYPE_TGID);
	wake_up_parent(k, parent);
	return autoreap;
}

void release_task(sl_kernel *k, struct task *t)
{
	struct signal_group *g = t->group;

	SL_ASSERT(t->state == TASK_DEAD && !t->released);
	t->released = true;
	ptrace_release(k, t);
	flush_sigqueue(k, &t->pending);
	/* __exit_signal / __unhash_process: a released thread leaves the
	 * thread list, and complete_signal's search moves past it. */
	if (t != g->leader && t->thread_next != t) {
		if (g->curr_target == t)
			g->curr_target = t->thread_next;
		t->thread_prev->thread_next = t->thread_next;
		t->thread_next->thread_prev = t->thread_prev;
		t->thread_next = t->thread_prev = t;
	}
	if (t == g->leader) {
		unlink_child(t);
		flush_sigqueue(k, &g->shared_pending);
		pgroup_remove(k, t);
		SL_ASSERT(k->procs[g->proc_index] == t && k->nr_processes > 0);
		k->procs[g->proc_index] = NULL;
		k->nr_processes--;
	}
}

/* exit_notify: the thread's children go to a new parent first, and a
 * process group this exit orphans gets SIGHUP (its stopped members) and
 * SIGCONT (all) if it has a stopped member; then a non-leader thread is
 * released at once, and the leader becomes a zombie when the last thread
 * is gone, and its parent hears. */
static void exit_notify(sl_kernel *k, struct task *t, bool group_dead)
{
	struct signal_group *g = t->group;
	struct task *leader = g->leader;

	if (t->pt->tracees)
		exit_ptrace(k, t);
	forget_original_parent(k, t);
	if (group_dead && !g->kthread)
		kill_orphaned_pgrp(k, t, leader, NULL);
	if (t != leader)
		release_task(k, t);
	if (group_dead && leader->state == TASK_DEAD && !leader->released) {
		g->exit_state = 1;
		if (ptrace_exit_notify(k, t, leader))
			return;	/* the tracer hears first (ptrace.c) */
		if (do_notify_parent(k, t, leader, g->exit_signal))
			release_task(k, leader);
	}
}

/* synchronize_group_exit: the last thread to start exiting marks the
 * process as exiting with its own code, so that a signal sent to the
 * zombie is ignored (prepare_signal) and wait reports that code. */
static void synchronize_group_exit(struct task *t, enum sl_exit_kind kind, int code)
{
	struct signal_group *g = t->group;

	if (g->live != 1 || (g->flags & SIGNAL_GROUP_EXIT))
		return;
	g->flags = SIGNAL_GROUP_EXIT | (g->flags & SIGNAL_UNKILLABLE);
	g->group_exit_code = code | (kind == SL_EXIT_CODE ? 0x10000 : 0);
	g->group_stop_count = 0;
}

/* exit_signals: a thread that leaves hands the process's pending signals
 * to the others and takes its part in a group stop. */
static void exit_signals(sl_kernel *k, struct task *t)
{
	struct signal_group *g = t->group;

	if (thread_group_empty(t) || (g->flags & SIGNAL_GROUP_EXIT)) {
		t->flags |= PF_EXITING;
		return;
	}
	t->flags |= PF_EXITING;
	set_task_blocked_locked(k, t, 0);
	if ((t->jobctl & JOBCTL_STOP_PENDING) && task_participate_group_stop(t))
		do_notify_parent_cldstop(k, t, SL_CLD_STOPPED);
}

void do_exit(sl_kernel *k, struct task *t, enum sl_exit_kind kind, int code)
{
	struct signal_group *g = t->group;
	bool group_dead;
	struct sl_event ev = { .kind = SL_EV_EXIT, .tid = t->tid };

	if (t->state == TASK_DEAD)
		return;
	/* PTRACE_O_TRACEEXIT: the tracee stops first (ptrace.c) */
	if (ptrace_event_exit(k, t, kind, code))
		return;
	synchronize_group_exit(t, kind, code);
	exit_signals(k, t);
	t->exit_kind = (uint8_t)kind;
	t->exit_code = code;
	t->state = TASK_DEAD;
	t->sigpending = false;
	SL_ASSERT(g->live > 0);
	group_dead = --g->live == 0;
	if (group_dead) {
		if (g->flags & SIGNAL_GROUP_EXIT) {
			g->exit_kind = g->group_exit_code & 0x10000 ? SL_EXIT_CODE
								    : SL_EXIT_SIGNAL;
			g->exit_code = g->group_exit_code & 0xffff;
		} else {
			g->exit_kind = g->leader->exit_kind;
			g->exit_code = g->leader->exit_code;
		}
		if (kind == SL_EXIT_OOPS)
			g->exit_kind = SL_EXIT_OOPS;
		/* exit_files, before exit_notify: the last thread lets the
		 * process's pipe ends go (readers see EOF, writers EPIPE). */
		pipe_fds_exit(k, t);
	}
	ev.exit_kind = group_dead ? g->exit_kind : kind;
	ev.code = group_dead ? g->exit_code : code;
	/* every thread of a process that dumped core reports it, as the
	 * status it exits with is the group's (coredump_finish) */
	ev.core_dumped = g->core_dumped;
	emit(k, &ev);
	/* The session leader's terminal goes before exit_notify's orphan
	 * check (do_exit: disassociate_ctty(1) when the group is dead). */
	if (group_dead && !g->kthread)
		disassociate_ctty(k, t, true);
	/* do_exit: a dead group's POSIX timers go (exit_itimers) */
	if (group_dead)
		exit_itimers(k, g);
	exit_notify(k, t, group_dead);
}

/* do_group_exit: the first thread to exit the group sets the code every
 * thread will report and sends the others SIGKILL; later ones use it.
 * `code` is an exit code (SL_EXIT_CODE) or a signal (SL_EXIT_SIGNAL);
 * group_exit_code keeps which with bit 16. */
void do_group_exit(sl_kernel *k, struct task *t, enum sl_exit_kind kind, int code)
{
	struct signal_group *g = t->group;

	if (!(g->flags & SIGNAL_GROUP_EXIT)) {
		g->group_exit_code = code | (kind == SL_EXIT_CODE ? 0x10000 : 0);
		g->flags = SIGNAL_GROUP_EXIT | (g->flags & SIGNAL_UNKILLABLE);
		zap_other_threads(k, t);
	} else if (kind != SL_EXIT_OOPS) {
		kind = g->group_exit_code & 0x10000 ? SL_EXIT_CODE : SL_EXIT_SIGNAL;
		code = g->group_exit_code & 0xffff;
	}
	do_exit(k, t, kind, code);
}

long sl_sys_exit(sl_kernel *k, int caller, int code)
{
	struct task *t = syscall_caller(k, caller);

	if (!t)
		return -SL_ESRCH;
	do_exit(k, t, SL_EXIT_CODE, code & 0xff);
	return 0;
}

long sl_sys_exit_group(sl_kernel *k, int caller, int code)
{
	struct task *t = syscall_caller(k, caller);

	if (!t)
		return -SL_ESRCH;
	do_group_exit(k, t, SL_EXIT_CODE, code & 0xff);
	return 0;
}
