/* Models ptrace: kernel/ptrace.c (ptrace_traceme, ptrace_attach and
 * ptrace_set_stopped, ptrace_check_attach, ptrace_request, ptrace_resume,
 * ptrace_detach, __ptrace_unlink, __ptrace_detach, exit_ptrace), the
 * ptrace half of kernel/signal.c (ptrace_stop, ptrace_do_notify,
 * ptrace_notify, ptrace_signal, do_jobctl_trap, ptrace_trap_notify,
 * do_notify_parent_cldstop for the tracer), include/linux/ptrace.h
 * (ptrace_event) and kernel/entry/syscall-common.c
 * (ptrace_report_syscall_entry / _exit) (Linux 6.x).
 *
 * A tracer is a thread, as in Linux: the tracee reports to that thread
 * (the kernel's task->parent), its real parent keeps its own reports.
 *
 * UNMODELED(vfork and PTRACE_O_TRACEVFORK/_TRACEVFORKDONE; no PEEK/POKE,
 * GETREGS, SINGLESTEP or seccomp stops).
 * UNMODELED(a traced thread other than its process's leader is released
 * when it exits instead of staying a zombie for its tracer's wait, and a
 * traced leader whose threads outlive it tells its tracer of its death
 * only when the whole process is dead, not at its own exit). */
#include "engine/internal.h"

static const char RULE_ATTACH[] =
	"PTRACE_ATTACH sends SIGSTOP to the tracee (kernel/ptrace.c "
	"ptrace_set_stopped): it will stop in a signal-delivery-stop";
static const char RULE_SIGNAL_STOP[] =
	"signal-delivery-stop: a traced task shows every signal but SIGKILL to "
	"its tracer before acting on it, and waits for the tracer's verdict "
	"(kernel/signal.c get_signal, ptrace_signal)";
static const char RULE_JOBCTL_STOP[] =
	"group-stop under ptrace: a traced task takes part in the group stop "
	"in a ptrace stop (TASK_TRACED), which its tracer sees (kernel/signal.c "
	"do_signal_stop, do_jobctl_trap)";
static const char RULE_SYSCALL_STOP[] =
	"syscall-stop: PTRACE_SYSCALL stops the tracee at the entry and exit of "
	"each system call with SIGTRAP (| 0x80 with PTRACE_O_TRACESYSGOOD) "
	"(kernel/entry/syscall-common.c ptrace_report_syscall_entry/exit)";
static const char RULE_EVENT_STOP[] =
	"event stop: an option (PTRACE_O_TRACEEXEC, _TRACEEXIT, _TRACEFORK, "
	"_TRACECLONE) asked for a stop at this event: SIGTRAP | event << 8 "
	"(include/linux/ptrace.h ptrace_event, kernel/fork.c kernel_clone)";
static const char RULE_EXEC_SIGTRAP[] =
	"a tracee attached with PTRACE_ATTACH or TRACEME and without "
	"PTRACE_O_TRACEEXEC gets a SIGTRAP after a successful execve "
	"(include/linux/ptrace.h ptrace_event, legacy exec report)";
static const char RULE_SUPPRESSED[] =
	"the tracer resumed the tracee with signal 0: the signal is suppressed "
	"(kernel/signal.c ptrace_signal)";
static const char RULE_CHANGED[] =
	"the tracer resumed the tracee with another signal: it replaces the "
	"one that stopped it, with a new SI_USER siginfo from the tracer "
	"(kernel/signal.c ptrace_signal)";
static const char RULE_REQUEUED[] =
	"the signal the tracee resumes with is blocked now, or SIGKILL is "
	"pending: it is queued again instead of acted on (kernel/signal.c "
	"ptrace_signal)";
static const char RULE_UNTRACED[] =
	"untraced: the tracer detached or exited; a task in a ptrace stop runs "
	"again with the signal it stopped for unless the tracer changed it "
	"(kernel/ptrace.c __ptrace_unlink, exit_ptrace)";
static const char RULE_EXITKILL[] =
	"PTRACE_O_EXITKILL: the tracer exited, so the tracee gets SIGKILL "
	"(kernel/ptrace.c exit_ptrace)";
static const char RULE_INJECT[] =
	"the tracer resumed a syscall-stop with a signal: it is sent to the "
	"tracee as from the kernel (kernel/entry/syscall-common.c "
	"ptrace_report_syscall, send_sig)";

/* ---- links ---------------------------------------------------------------- */

/* ptrace_link: the tracee goes at the head of the tracer's list. */
int ptrace_get(sl_kernel *k, struct task *t)
{
	struct ptrace_state *p;

	if (t->pt != &k->pt_none)
		return 0;
	p = kalloc(k, sizeof *p);
	if (!p)
		return -SL_ENOMEM;
	t->pt = p;
	return 0;
}

void ptrace_put(sl_kernel *k, struct task *t)
{
	if (t->pt != &k->pt_none)
		kfree(k, t->pt, sizeof *t->pt);
	t->pt = &k->pt_none;
}

int ptrace_fork_get(sl_kernel *k, struct task *child, const struct task *cur)
{
	return cur->ptrace ? ptrace_get(k, child) : 0;
}

/* Both ends have a ptrace_state of their own (ptrace_get). */
static void ptrace_link(struct task *child, struct task *tracer, unsigned flags)
{
	child->ptrace = flags;
	child->pt->tracer = tracer;
	child->pt->prev = NULL;
	child->pt->next = tracer->pt->tracees;
	if (tracer->pt->tracees)
		tracer->pt->tracees->pt->prev = child;
	tracer->pt->tracees = child;
}

static void ptrace_unlink_list(struct task *child)
{
	struct task *tracer = child->pt->tracer;

	if (child->pt->prev)
		child->pt->prev->pt->next = child->pt->next;
	else if (tracer)
		tracer->pt->tracees = child->pt->next;
	if (child->pt->next)
		child->pt->next->pt->prev = child->pt->prev;
	child->pt->next = child->pt->prev = NULL;
	child->pt->tracer = NULL;
	child->ptrace = 0;
	child->pt->options = 0;
	child->pt->syscall_trace = false;
}

/* ptrace_reparented: the tracer is not of the real parent's process. */
bool ptrace_reparented(const struct task *t)
{
	const struct task *rp = t->group->parent;

	return t->ptrace && (!rp || rp->group != t->pt->tracer->group);
}

/* Leaves TASK_TRACED (wake_up_state(__TASK_TRACED)); the task has a
 * stop's continuation to run on its way back to user mode. */
static void ptrace_wake(sl_kernel *k, struct task *t)
{
	if (t->state != TASK_TRACED)
		return;
	t->state = TASK_RUNNING;
	t->jobctl &= ~(JOBCTL_TRACED | JOBCTL_LISTENING);
	t->sigpending = true;
	work_mark(k, t);
}

/* __ptrace_unlink: back to the real parent; traps are forgotten, a group
 * stop in effect is to be taken again, and a task in a ptrace stop is
 * woken to go on (or into that group stop). */
static void ptrace_unlink(sl_kernel *k, struct task *child)
{
	struct signal_group *g = child->group;

	ptrace_unlink_list(child);
	task_clear_jobctl_pending(child, JOBCTL_TRAP_MASK);
	if (!(child->flags & PF_EXITING) &&
	    ((g->flags & SIGNAL_STOP_STOPPED) || g->group_stop_count)) {
		child->jobctl |= JOBCTL_STOP_PENDING;
		/* A thread its traced creator made while the group stopped
		 * may name no stop signal yet: it stops for SIGSTOP. */
		if (!(child->jobctl & JOBCTL_STOP_SIGMASK))
			child->jobctl |= (unsigned)SL_SIGSTOP;
	}
	if ((child->jobctl & JOBCTL_STOP_PENDING) || child->state == TASK_TRACED) {
		ptrace_wake(k, child);
		child->sigpending = true;
		work_mark(k, child);
	}
}

void ptrace_release(sl_kernel *k, struct task *t)
{
	if (t->ptrace)
		ptrace_unlink(k, t);
}

/* ---- stops ------------------------------------------------------------- */

/* do_notify_parent_cldstop(tsk, true, why): the tracer hears of every
 * stop of its tracee. */
static void notify_tracer(sl_kernel *k, struct task *t, int why)
{
	struct task *tracer = t->pt->tracer;
	struct sl_siginfo info = { .signo = SL_SIGCHLD, .code = why };
	const struct sl_sigaction *ka;

	if (!tracer || tracer->released || tracer->state == TASK_DEAD)
		return;
	info.pid = task_visible_in(t, tracer->group->ns) ? t->tid : 0;
	info.uid = t->cred->uid;
	if (why == SL_CLD_CONTINUED)
		info.status = SL_SIGCONT;
	else if (why == SL_CLD_STOPPED)
		info.status = t->group->group_exit_code & 0x7f;
	else
		info.status = t->pt->code & 0x7f;
	ka = &tracer->sighand->action[SL_SIGCHLD - 1];
	if (ka->handler != SL_SIG_IGN && !(ka->flags & SL_SA_NOCLDSTOP))
		send_signal_locked(k, t, SL_SIGCHLD, INFO_REAL, &info, tracer, PIDTYPE_TGID);
	wake_up_parent(k, tracer);
}

/* ptrace_stop: the tracee enters TASK_TRACED with exit_code for its
 * tracer's wait, unless it is no longer traced or SIGKILL is pending.
 * A trap taken for a group stop consumes the task's part of it; the
 * tracer is told, and the real parent too when this completes a group
 * stop and the tracer is someone else. */
static bool ptrace_stop(sl_kernel *k, struct task *t, int exit_code, int why,
			const struct sl_siginfo *info, enum ptrace_stop_kind kind,
			const char *rule)
{
	bool gstop_done = false;
	struct sl_event ev = { .kind = SL_EV_PTRACE_STOP, .tid = t->tid, .target = t->tid,
			       .sig = exit_code & 0x7f, .code = exit_code, .rule = rule };

	if (!t->ptrace || fatal_signal_pending(t)) {
		task_clear_jobctl_pending(t, JOBCTL_TRAP_MASK);
		return false;
	}
	t->state = TASK_TRACED;
	t->jobctl |= JOBCTL_TRACED;
	t->pt->code = exit_code;
	t->pt->kind = kind;
	t->pt->has_siginfo = info != NULL;
	if (info)
		t->pt->siginfo = *info;
	if (why == SL_CLD_STOPPED && (t->jobctl & JOBCTL_STOP_PENDING))
		gstop_done = task_participate_group_stop(t);
	task_clear_jobctl_pending(t, JOBCTL_TRAP_STOP);
	if (info && (info->code >> 8) == SL_PTRACE_EVENT_STOP)
		task_clear_jobctl_pending(t, JOBCTL_TRAP_NOTIFY);
	notify_tracer(k, t, why);
	if (gstop_done && ptrace_reparented(t))
		do_notify_parent_cldstop(k, t, SL_CLD_STOPPED);
	/* the stop itself: schedule() in TASK_TRACED */
	emit(k, &ev);
	return true;
}

/* ptrace_do_notify: a stop that carries a made-up siginfo (si_code =
 * the exit code, si_pid = the tracee). */
static bool ptrace_do_notify(sl_kernel *k, struct task *t, int signr, int exit_code,
			     int why, enum ptrace_stop_kind kind, const char *rule)
{
	struct sl_siginfo info = { .signo = signr, .code = exit_code, .pid = t->tid,
				   .uid = t->cred->uid };

	return ptrace_stop(k, t, exit_code, why, &info, kind, rule);
}

/* ptrace_signal, first half: the dequeued signal stops the tracee.
 * Returns true when it stopped; otherwise (SIGKILL pending) the signal
 * is queued again and *sig is 0, and get_signal's next pass takes the
 * group exit the SIGKILL began.
 * DEVIATION(under the what-if CONFIG_KILL_STOP_HANDLING a pending
 * SIGKILL may be blocked or caught and so begin no group exit; it still
 * refuses the tracee's stop, and Linux would queue the signal again and
 * dequeue it again forever; the model delivers the signal untraced).
 * Then *sig is kept and the result is false. */
bool ptrace_signal(sl_kernel *k, struct task *t, int *sig, struct sl_siginfo *info,
		   enum pid_type type)
{
	t->jobctl |= JOBCTL_STOP_DEQUEUED;
	t->pt->from_shared = type != PIDTYPE_PID;
	if (ptrace_stop(k, t, *sig, SL_CLD_TRAPPED, info, PT_STOP_SIGNAL, RULE_SIGNAL_STOP))
		return true;
	if (t->ptrace && !(t->group->flags & SIGNAL_GROUP_EXIT))
		return false;
	send_signal_locked(k, t, *sig, INFO_REAL, info, t, type);
	*sig = 0;
	return false;
}

/* ptrace_signal, second half: the tracer's verdict.  0 suppresses; a new
 * signal gets a fresh SI_USER siginfo from the tracer (the real parent
 * once untraced); one that is blocked now, or any when SIGKILL came, is
 * queued again, on the queue it came from. */
static int signal_verdict(sl_kernel *k, struct task *t, struct sl_siginfo *info)
{
	int signr = t->pt->code;

	if (t->pt->has_siginfo)
		*info = t->pt->siginfo;
	if (signr == 0) {
		emit_note(k, t->tid, 0, RULE_SUPPRESSED);
		return 0;
	}
	if (signr != info->signo) {
		struct task *from = t->ptrace ? t->pt->tracer : t->group->parent;

		emit_note(k, t->tid, signr, RULE_CHANGED);
		*info = (struct sl_siginfo){ .signo = signr, .code = SL_SI_USER };
		if (from) {
			info->pid = task_visible_in(from, t->group->ns) ? from->group->leader->tid : 0;
			info->uid = from->cred->uid;
		}
	}
	if ((t->blocked & sl_sigmask(signr)) || fatal_signal_pending(t)) {
		emit_note(k, t->tid, signr, RULE_REQUEUED);
		send_signal_locked(k, t, signr, INFO_REAL, info, t,
				   t->pt->from_shared ? PIDTYPE_TGID : PIDTYPE_PID);
		return 0;
	}
	return signr;
}

/* send_sig(signr, current, 1) after a syscall-stop. */
static void inject_signal(sl_kernel *k, struct task *t, int signr)
{
	if (signr <= 0 || signr > SL_NSIG)
		return;
	emit_note(k, t->tid, signr, RULE_INJECT);
	send_signal_locked(k, t, signr, INFO_PRIV, NULL, t, PIDTYPE_PID);
}

static bool syscall_exit_stop(sl_kernel *k, struct task *t)
{
	int code = SL_SIGTRAP | (t->pt->options & SL_PTRACE_O_TRACESYSGOOD ? 0x80 : 0);

	if (!t->ptrace || !t->pt->syscall_trace)
		return false;
	return ptrace_do_notify(k, t, SL_SIGTRAP, code, SL_CLD_TRAPPED, PT_STOP_SYSCALL_EXIT,
				RULE_SYSCALL_STOP);
}

/* What a tracee resumed from a ptrace stop does first, in get_signal:
 * the signal of a signal-delivery-stop (> 0), nothing (0), or a new stop
 * (-1: a syscall-exit-stop owed by an event stop inside the call). */
int ptrace_signal_resumed(sl_kernel *k, struct task *t, struct sl_siginfo *info)
{
	enum ptrace_stop_kind kind = t->pt->kind;
	int code = t->pt->code;

	if (kind == PT_STOP_NONE || kind == PT_STOP_SYSCALL_ENTER || t->state == TASK_TRACED)
		return 0;
	t->pt->kind = PT_STOP_NONE;
	t->pt->code = 0;
	switch (kind) {
	case PT_STOP_SIGNAL:
		t->pt->code = code;
		code = signal_verdict(k, t, info);
		t->pt->code = 0;
		t->pt->has_siginfo = false;
		return code;
	case PT_STOP_SYSCALL_EXIT:
		inject_signal(k, t, code);
		return 0;
	case PT_STOP_EVENT:
		if (t->pt->exit_stopped) {
			/* back from PTRACE_EVENT_EXIT: the exit goes on */
			do_exit(k, t, t->pt->exit_kind, t->pt->exit_code);
			return PTRACE_RESUMED_EXITED;
		}
		if (t->pt->exit_owed) {
			t->pt->exit_owed = false;
			if (syscall_exit_stop(k, t))
				return PTRACE_RESUMED_STOPPED;
		}
		return 0;
	default:
		return 0;
	}
}

/* do_jobctl_trap: a pending STOP or NOTIFY trap.  A seized tracee reports
 * PTRACE_EVENT_STOP with the stop signal while a group stop is in effect,
 * else SIGTRAP; a PTRACE_ATTACHed one reports the stop signal.  Returns
 * true when the task stopped. */
bool do_jobctl_trap(sl_kernel *k, struct task *t)
{
	struct signal_group *g = t->group;
	int signr = (int)(t->jobctl & JOBCTL_STOP_SIGMASK);

	if (!t->ptrace) {
		task_clear_jobctl_pending(t, JOBCTL_TRAP_MASK);
		return false;
	}
	if (t->ptrace & PT_SEIZED) {
		if (!g->group_stop_count && !(g->flags & SIGNAL_STOP_STOPPED))
			signr = SL_SIGTRAP;
		return ptrace_do_notify(k, t, signr, signr | (SL_PTRACE_EVENT_STOP << 8),
					SL_CLD_STOPPED, PT_STOP_JOBCTL, RULE_JOBCTL_STOP);
	}
	return ptrace_stop(k, t, signr, SL_CLD_STOPPED, NULL, PT_STOP_JOBCTL, RULE_JOBCTL_STOP);
}

/* ptrace_trap_notify: a seized tracee is told of a job-control change
 * (SIGCONT, a group stop): a listening one wakes to trap again. */
void ptrace_trap_notify(sl_kernel *k, struct task *t)
{
	t->jobctl |= JOBCTL_TRAP_NOTIFY;
	t->sigpending = true;
	work_mark(k, t);
	if (t->jobctl & JOBCTL_LISTENING)
		ptrace_wake(k, t);
}

/* get_signal's CLD_CONTINUED / CLD_STOPPED report: a tracer other than
 * the real parent hears of it too, from the group leader. */
void ptrace_report_continue(sl_kernel *k, struct task *t, int why)
{
	struct task *leader = t->group->leader;

	if (leader->ptrace && ptrace_reparented(leader))
		notify_tracer(k, leader, why);
}

/* ptrace_event(PTRACE_EVENT_EXEC) at the end of a successful execve. */
void ptrace_event_exec(sl_kernel *k, struct task *t)
{
	if (!t->ptrace)
		return;
	if (t->pt->options & SL_PTRACE_O_TRACEEXEC) {
		t->pt->message = (unsigned long)t->tid;
		ptrace_do_notify(k, t, SL_SIGTRAP, SL_SIGTRAP | (SL_PTRACE_EVENT_EXEC << 8),
				 SL_CLD_TRAPPED, PT_STOP_EVENT, RULE_EVENT_STOP);
	} else if ((t->ptrace & (PT_PTRACED | PT_SEIZED)) == PT_PTRACED) {
		emit_note(k, t->tid, SL_SIGTRAP, RULE_EXEC_SIGTRAP);
		send_signal_locked(k, t, SL_SIGTRAP, INFO_NOINFO, NULL, t, PIDTYPE_PID);
	}
}

/* kernel_clone: which event a tracee's fork or clone reports, if its
 * tracer asked for it: CLONE for a thread or an exit signal other than
 * SIGCHLD, FORK otherwise (vfork is not modelled). */
int ptrace_clone_event(const struct task *cur, unsigned clone_flags, int exit_signal)
{
	int event;
	unsigned opt;

	if (!cur->ptrace)
		return 0;
	if ((clone_flags & SL_CLONE_THREAD) || exit_signal != SL_SIGCHLD) {
		event = SL_PTRACE_EVENT_CLONE;
		opt = SL_PTRACE_O_TRACECLONE;
	} else {
		event = SL_PTRACE_EVENT_FORK;
		opt = SL_PTRACE_O_TRACEFORK;
	}
	return (cur->pt->options & opt) ? event : 0;
}

/* ptrace_init_task: the new task is traced by its creator's tracer, with
 * the same options, and stops at once: SIGSTOP (a bare pending bit, no
 * siginfo, no tracepoint) for an attached tracer, a STOP trap for a
 * seizing one. */
void ptrace_init_task(struct task *child, struct task *cur)
{
	if (!cur->ptrace || child->ptrace)
		return;
	ptrace_link(child, cur->pt->tracer, cur->ptrace);
	child->pt->options = cur->pt->options;
	if (child->ptrace & PT_SEIZED)
		child->jobctl |= JOBCTL_TRAP_STOP;
	else
		child->pending.signal |= sl_sigmask(SL_SIGSTOP);
	child->sigpending = true;
}

/* ptrace_event_pid: the creator stops at the event, GETEVENTMSG giving
 * the new task's pid. */
void ptrace_event_pid(sl_kernel *k, struct task *cur, int event, int pid)
{
	if (!cur->ptrace)
		return;
	k->caller = cur->tid;
	cur->pt->message = (unsigned long)pid;
	ptrace_do_notify(k, cur, SL_SIGTRAP, SL_SIGTRAP | (event << 8), SL_CLD_TRAPPED,
			 PT_STOP_EVENT, RULE_EVENT_STOP);
	k->caller = 0;
}

/* ---- the tracee's exit and the tracer's --------------------------------- */

/* ptrace_event(PTRACE_EVENT_EXIT) at the start of do_exit: a tracee with
 * PTRACE_O_TRACEEXIT stops before it exits (GETEVENTMSG: the exit status),
 * and exits when resumed, whatever the tracer says.  Returns true when it
 * stopped. */
bool ptrace_event_exit(sl_kernel *k, struct task *t, enum sl_exit_kind kind, int code)
{
	if (!t->ptrace || !(t->pt->options & SL_PTRACE_O_TRACEEXIT) || t->pt->exit_stopped)
		return false;
	t->pt->exit_stopped = true;
	t->pt->exit_kind = kind;
	t->pt->exit_code = code;
	t->pt->message = kind == SL_EXIT_CODE ? (unsigned long)(code & 0xff) << 8
					     : (unsigned long)(code & 0x7f);
	return ptrace_do_notify(k, t, SL_SIGTRAP, SL_SIGTRAP | (SL_PTRACE_EVENT_EXIT << 8),
				SL_CLD_TRAPPED, PT_STOP_EVENT, RULE_EVENT_STOP);
}

/* exit_notify for a traced leader: the tracer hears first, with the exit
 * signal when it is the real parent's process and SIGCHLD otherwise; a
 * traced child is never auto-reaped. */
bool ptrace_exit_notify(sl_kernel *k, struct task *cur, struct task *leader)
{
	int sig = ptrace_reparented(leader) ? SL_SIGCHLD : leader->group->exit_signal;

	if (!leader->ptrace)
		return false;
	do_notify_parent_to(k, cur, leader, sig, leader->pt->tracer);
	return true;
}

/* ignoring_children: the tracer's process reaps its children itself. */
static bool ignoring_children(const struct task *t)
{
	const struct sl_sigaction *ka = &t->sighand->action[SL_SIGCHLD - 1];

	return ka->handler == SL_SIG_IGN || (ka->flags & SL_SA_NOCLDWAIT);
}

/* exit_ptrace / __ptrace_detach: a dying tracer lets go of every tracee
 * (killing those with PTRACE_O_EXITKILL); a zombie tracee goes back to
 * its real parent, which now hears of its death, or is reaped at once. */
void exit_ptrace(sl_kernel *k, struct task *tracer)
{
	struct task *p;

	while ((p = tracer->pt->tracees) != NULL) {
		struct signal_group *g = p->group;
		bool dead = false;

		if (p->pt->options & SL_PTRACE_O_EXITKILL) {
			emit_note(k, p->tid, SL_SIGKILL, RULE_EXITKILL);
			send_signal_locked(k, tracer, SL_SIGKILL, INFO_PRIV, NULL, p, PIDTYPE_PID);
		}
		if (p->state == TASK_TRACED)
			emit_note(k, p->tid, 0, RULE_UNTRACED);
		ptrace_unlink(k, p);
		if (p->state != TASK_DEAD || p != g->leader || p->released || g->live)
			continue;
		if (!g->parent || g->parent->group != tracer->group)
			dead = do_notify_parent(k, tracer, p, g->exit_signal);
		else if (ignoring_children(tracer)) {
			wake_up_parent(k, tracer);
			dead = true;
		}
		if (dead)
			release_task(k, p);
	}
}

/* ---- the syscall ---------------------------------------------------------- */

/* __ptrace_may_access: the tracer's real uid is all three of the
 * tracee's (PTRACE_MODE_REALCREDS), or the tracer has CAP_SYS_PTRACE.  An init
 * is no exception (sys_ptrace's "pid == 1" EPERM is gone since 2.6.26;
 * tests/scenarios/ptrace-init.scn agrees with the kernel).
 * UNMODELED(Yama's ptrace_scope, dumpability and LSMs: a root tracer or
 * one of the tracee's uid is always allowed). */
static bool ptrace_may_access(const struct task *tracer, const struct task *t)
{
	return cred_capable(tracer) ||
	       (tracer->cred->uid == t->cred->uid && tracer->cred->uid == t->cred->euid && tracer->cred->uid == t->cred->suid);
}

/* ptrace_attach (ATTACH and SEIZE). */
static long ptrace_attach(sl_kernel *k, struct task *cur, struct task *t, bool seize,
			  uint64_t addr, uint64_t data)
{
	unsigned flags = PT_PTRACED;

	if (seize) {
		if (addr != 0 || (data & ~(uint64_t)SL_PTRACE_O_MASK))
			return -SL_EIO;
		flags |= PT_SEIZED;
	}
	if ((t->flags & PF_KTHREAD) || t->group == cur->group)
		return -SL_EPERM;
	if (!ptrace_may_access(cur, t))
		return -SL_EPERM;
	if (t->state == TASK_DEAD || t->group->exit_state || t->ptrace)
		return -SL_EPERM;
	/* DEVIATION(the model allocates the ptrace state of both ends on
	 * first use, so an embedder's failing allocator makes ATTACH/SEIZE
	 * fail with ENOMEM; Linux's state is part of task_struct). */
	if (ptrace_get(k, t) < 0 || ptrace_get(k, cur) < 0)
		return -SL_ENOMEM;
	ptrace_link(t, cur, flags);
	if (seize)
		t->pt->options = (unsigned)data;
	/* ptrace_set_stopped */
	if (!seize) {
		emit_note(k, t->tid, SL_SIGSTOP, RULE_ATTACH);
		send_signal_locked(k, cur, SL_SIGSTOP, INFO_PRIV, NULL, t, PIDTYPE_PID);
	}
	if (t->state == TASK_STOPPED && !(t->flags & PF_EXITING) &&
	    !fatal_signal_pending(t)) {
		t->jobctl |= JOBCTL_TRAP_STOP;
		t->jobctl &= ~JOBCTL_STOPPED;
		t->state = TASK_RUNNING;
		t->sigpending = true;
		work_mark(k, t);
	}
	return 0;
}

/* ptrace_traceme: the real parent becomes the tracer. */
static long ptrace_traceme(sl_kernel *k, struct task *cur)
{
	struct task *parent = cur->group->parent;

	if (cur->ptrace || !parent || parent->released || (parent->flags & PF_EXITING))
		return -SL_EPERM;
	if (ptrace_get(k, cur) < 0 || ptrace_get(k, parent) < 0)
		return -SL_ENOMEM;
	ptrace_link(cur, parent, PT_PTRACED);
	return 0;
}

/* ptrace_check_attach: the task must be traced by the caller (the very
 * thread), and, unless the request ignores the state, in a ptrace stop
 * that is not LISTENING, without SIGKILL pending. */
static long ptrace_check_attach(const struct task *cur, const struct task *t, bool ignore_state)
{
	if (!t->ptrace || t->pt->tracer != cur)
		return -SL_ESRCH;
	if (ignore_state)
		return 0;
	if (t->state != TASK_TRACED || (t->jobctl & JOBCTL_LISTENING) || fatal_signal_pending(t))
		return -SL_ESRCH;
	return 0;
}

/* ptrace_resume (CONT, SYSCALL): the stop's exit code becomes the signal
 * to resume with. */
static long ptrace_resume(sl_kernel *k, struct task *t, long request, uint64_t data)
{
	if (data > SL_NSIG)
		return -SL_EIO;
	t->pt->syscall_trace = request == SL_PTRACE_SYSCALL;
	t->pt->code = (int)data;
	ptrace_wake(k, t);
	return 0;
}

/* ptrace_detach: the signal to resume with, then __ptrace_detach. */
static long ptrace_detach(sl_kernel *k, struct task *t, uint64_t data)
{
	if (data > SL_NSIG)
		return -SL_EIO;
	t->pt->code = (int)data;
	ptrace_unlink(k, t);
	return 0;
}

static long ptrace_setoptions(struct task *t, uint64_t data)
{
	if (data & ~(uint64_t)SL_PTRACE_O_MASK)
		return -SL_EINVAL;
	t->pt->options = (unsigned)data;
	return 0;
}

/* task_set_jobctl_pending's refusal: a dying task takes no new trap. */
static bool can_trap(const struct task *t)
{
	return !fatal_signal_pending(t) && !(t->flags & PF_EXITING);
}

/* The off-th entry of a pending list in the order it was queued (the
 * kernel's one list; the model's FIFOs per signal carry the order in
 * their sequence stamps).  Signals pending without a siginfo (SIGKILL, a
 * queue overflow) have no entry. */
static const struct sigqueue *nth_queued(const struct sigpending *p, uint64_t off)
{
	uint64_t after = 0;
	bool first = true;

	if (!p->lists)
		return NULL;
	for (;;) {
		const struct sigqueue *best = NULL;

		for (int i = 0; i < SL_NSIG; i++)
			for (const struct sigqueue *q = p->lists->head[i]; q; q = q->next)
				if ((first || q->seq > after) && (!best || q->seq < best->seq))
					best = q;
		if (!best || off-- == 0)
			return best;
		after = best->seq;
		first = false;
	}
}

/* ptrace_peek_siginfo: unknown flags or a negative count are EINVAL. */
static long ptrace_peek_siginfo(struct task *t, uint64_t addr, uint64_t data)
{
	const struct sl_peeksiginfo_args *arg = (const void *)(uintptr_t)addr;
	struct sl_siginfo *out = (struct sl_siginfo *)(uintptr_t)data;
	const struct sigpending *p;
	int i;

	if (!arg)
		return -SL_EFAULT;
	if (arg->flags & ~SL_PTRACE_PEEKSIGINFO_SHARED)
		return -SL_EINVAL;
	if (arg->nr < 0)
		return -SL_EINVAL;
	p = (arg->flags & SL_PTRACE_PEEKSIGINFO_SHARED) ? &t->group->shared_pending : &t->pending;
	for (i = 0; i < arg->nr; i++) {
		const struct sigqueue *q = nth_queued(p, arg->off + (uint64_t)i);

		if (!q)
			break;
		if (!out)
			return i ? i : -SL_EFAULT;
		copy_siginfo(&out[i], &q->info);
	}
	return i;
}

/* PTRACE_GETSIGMASK shows the mask the tracee goes back to: the one
 * sigsuspend saved, while it is to be restored (TIF_RESTORE_SIGMASK).
 * PTRACE_SETSIGMASK replaces the mask (never with SIGKILL or SIGSTOP) and
 * cancels that restore, so the new mask outlives the sigsuspend. */
static long ptrace_sigmask(sl_kernel *k, struct task *t, long request, uint64_t addr,
			   uint64_t data)
{
	sl_sigset *set = (sl_sigset *)(uintptr_t)data;

	if (addr != sizeof(sl_sigset))
		return -SL_EINVAL;
	if (!set)
		return -SL_EFAULT;
	if (request == SL_PTRACE_GETSIGMASK) {
		*set = t->restore_sigmask ? t->sys->saved_sigmask : t->blocked;
		return 0;
	}
	t->blocked = *set & ~(sl_sigmask(SL_SIGKILL) | sl_sigmask(SL_SIGSTOP));
	t->restore_sigmask = false;
	recalc_sigpending(k, t);
	return 0;
}

/* ptrace_request: what the engine models of it. */
static long ptrace_request(sl_kernel *k, struct task *cur, struct task *t, long request,
			   uint64_t addr, uint64_t data)
{
	struct sl_siginfo *uinfo = (struct sl_siginfo *)(uintptr_t)data;
	bool seized = t->ptrace & PT_SEIZED;

	switch (request) {
	case SL_PTRACE_SETOPTIONS:
		return ptrace_setoptions(t, data);
	case SL_PTRACE_GETEVENTMSG:
		if (!data)
			return -SL_EFAULT;
		*(unsigned long *)(uintptr_t)data = t->pt->message;
		return 0;
	case SL_PTRACE_GETSIGINFO:
		if (!t->pt->has_siginfo)
			return -SL_EINVAL;
		if (!uinfo)
			return -SL_EFAULT;
		*uinfo = t->pt->siginfo;
		return 0;
	case SL_PTRACE_SETSIGINFO:
		if (!t->pt->has_siginfo)
			return -SL_EINVAL;
		if (!uinfo)
			return -SL_EFAULT;
		t->pt->siginfo = *uinfo;
		return 0;
	case SL_PTRACE_INTERRUPT:
		if (!seized)
			return -SL_EIO;
		/* ptrace_signal_wake_up: TIF_SIGPENDING, which wakes a tracee
		 * asleep in an interruptible call (its call fails or is to
		 * restart, and the trap is taken on the way out); a LISTENing
		 * tracee is also let out of its stop to trap again. */
		if (can_trap(t)) {
			t->jobctl |= JOBCTL_TRAP_STOP;
			signal_wake_up(k, t, false);
			if (t->jobctl & JOBCTL_LISTENING)
				ptrace_wake(k, t);
		}
		return 0;
	case SL_PTRACE_LISTEN:
		if (!seized || !t->pt->has_siginfo ||
		    (t->pt->siginfo.code >> 8) != SL_PTRACE_EVENT_STOP)
			return -SL_EIO;
		t->jobctl |= JOBCTL_LISTENING;
		if (t->jobctl & JOBCTL_TRAP_NOTIFY)
			ptrace_wake(k, t);
		return 0;
	case SL_PTRACE_DETACH:
		return ptrace_detach(k, t, data);
	case SL_PTRACE_CONT:
	case SL_PTRACE_SYSCALL:
		return ptrace_resume(k, t, request, data);
	case SL_PTRACE_KILL:
		send_signal_locked(k, cur, SL_SIGKILL, INFO_NOINFO, NULL, t, PIDTYPE_PID);
		return 0;
	case SL_PTRACE_PEEKSIGINFO:
		return ptrace_peek_siginfo(t, addr, data);
	case SL_PTRACE_GETSIGMASK:
	case SL_PTRACE_SETSIGMASK:
		return ptrace_sigmask(k, t, request, addr, data);
	default:
		return -SL_EIO;
	}
}

long sl_sys_ptrace(sl_kernel *k, int caller, long request, int pid, uint64_t addr,
		   uint64_t data)
{
	struct task *cur = syscall_caller(k, caller);
	struct task *t;
	long ret;

	if (!cur)
		return -SL_ESRCH;
	if (request == SL_PTRACE_TRACEME)
		return ptrace_traceme(k, cur);
	t = find_task_visible(k, cur, pid);
	if (!t)
		return -SL_ESRCH;
	k->caller = caller;
	if (request == SL_PTRACE_ATTACH || request == SL_PTRACE_SEIZE) {
		ret = ptrace_attach(k, cur, t, request == SL_PTRACE_SEIZE, addr, data);
	} else {
		ret = ptrace_check_attach(cur, t, request == SL_PTRACE_KILL ||
						  request == SL_PTRACE_INTERRUPT);
		if (!ret)
			ret = ptrace_request(k, cur, t, request, addr, data);
	}
	k->caller = 0;
	return ret;
}

/* ---- syscall-stops --------------------------------------------------------- */

static struct task *running_task(sl_kernel *k, int tid)
{
	struct task *t = find_task(k, tid);

	return t && t->state == TASK_RUNNING ? t : NULL;
}

int sl_syscall_enter(sl_kernel *k, int tid)
{
	struct task *t = running_task(k, tid);
	int code;
	bool stopped;

	if (!t)
		return 0;
	k->caller = tid;
	if (t->pt->kind == PT_STOP_SYSCALL_ENTER) {
		/* back from the syscall-enter-stop (resumed, detached, its
		 * tracer gone, or SIGKILL): the stop's exit code is sent as a
		 * signal — the tracer's, or the SIGTRAP of a stop nobody
		 * collected — and a fatal signal skips the call */
		t->pt->kind = PT_STOP_NONE;
		inject_signal(k, t, t->pt->code);
		t->pt->code = 0;
		k->caller = 0;
		return fatal_signal_pending(t) ? -1 : 0;
	}
	stopped = false;
	if (t->ptrace && t->pt->syscall_trace) {
		code = SL_SIGTRAP | (t->pt->options & SL_PTRACE_O_TRACESYSGOOD ? 0x80 : 0);
		stopped = ptrace_do_notify(k, t, SL_SIGTRAP, code, SL_CLD_TRAPPED,
					   PT_STOP_SYSCALL_ENTER, RULE_SYSCALL_STOP);
	}
	k->caller = 0;
	if (stopped)
		return 1;
	return fatal_signal_pending(t) ? -1 : 0;
}

int sl_syscall_exit(sl_kernel *k, int tid)
{
	struct task *t = find_task(k, tid);
	bool stopped;

	if (!t || t->state == TASK_DEAD || !t->ptrace || !t->pt->syscall_trace)
		return 0;
	if (t->state == TASK_TRACED) {
		/* an event stop inside the call comes first */
		t->pt->exit_owed = true;
		return 1;
	}
	if (t->state != TASK_RUNNING)
		return 0;
	k->caller = tid;
	stopped = syscall_exit_stop(k, t);
	k->caller = 0;
	return stopped ? 1 : 0;
}

/* ---- invariants ------------------------------------------------------------ */

const char *check_ptrace(const struct task *t)
{
	if (t->state == TASK_TRACED && !t->ptrace)
		return "a task in TASK_TRACED has no tracer";
	if (t->state == TASK_TRACED && !(t->jobctl & JOBCTL_TRACED))
		return "a traced stop without JOBCTL_TRACED";
	if (t->ptrace && !t->pt->tracer)
		return "a tracee without a tracer";
	if (!t->ptrace && t->pt->tracer)
		return "an untraced task keeps a tracer";
	if (t->ptrace) {
		const struct task *p = t->pt->tracer->pt->tracees;

		while (p && p != t)
			p = p->pt->next;
		if (!p)
			return "a tracee is not on its tracer's list";
		if (t->pt->tracer->released)
			return "a tracee's tracer is released";
	}
	for (const struct task *p = t->pt->tracees; p; p = p->pt->next)
		if (p->pt->tracer != t)
			return "a tracer's list holds another tracer's tracee";
	return NULL;
}
