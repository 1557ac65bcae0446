/* Models delivery on the return to user mode: get_signal and
 * dequeue_signal (kernel/signal.c), handle_signal / signal_delivered and
 * rt_sigreturn (arch/x86/kernel/signal.c), force_sig_fault and
 * force_sig_info_to_task for synchronous faults, and die() for a fault in
 * a kernel thread (arch/x86/kernel/traps.c do_trap_no_signal) (Linux 6.x). */
#include "engine/internal.h"

static const char RULE_DELIVER_GROUP_EXIT[] =
	"the process is exiting (SIGNAL_GROUP_EXIT): every thread takes SIGKILL "
	"on its way out, so the tracepoint shows sig=9 (kernel/signal.c get_signal)";
static const char RULE_DELIVER_IGN[] =
	"dropped at delivery: the handler is SIG_IGN now (kernel/signal.c get_signal)";
static const char RULE_DELIVER_DFL_IGN[] =
	"dropped at delivery: the default action is to ignore "
	"(kernel/signal.c get_signal, sig_kernel_ignore)";
static const char RULE_DELIVER_UNKILLABLE[] =
	"dropped at delivery: an init takes no default action it did not ask "
	"for (SIGNAL_UNKILLABLE, kernel/signal.c get_signal)";
static const char RULE_DELIVER_ORPHANED[] =
	"dropped: job-control stop signals do nothing in an orphaned process "
	"group (kernel/signal.c get_signal, is_current_pgrp_orphaned)";
static const char RULE_HANDLER[] =
	"handler: a frame is built; the handler runs with sa_mask plus the "
	"signal itself unless SA_NODEFER (arch/x86/kernel/signal.c "
	"handle_signal, kernel/signal.c signal_delivered)";
static const char RULE_ONESHOT[] =
	"SA_RESETHAND (SA_ONESHOT): the action is reset to SIG_DFL before the "
	"handler runs (kernel/signal.c get_signal)";
static const char RULE_FATAL[] =
	"fatal: the default action terminates the process "
	"(kernel/signal.c get_signal, do_group_exit)";
static const char RULE_FATAL_CORE[] =
	"fatal: the default action terminates the process with a core dump "
	"(kernel/signal.c get_signal, vfs_coredump: a core is written when the "
	"process is dumpable and RLIMIT_CORE allows it)";
static const char RULE_FORCE_FAULT[] =
	"a fault signal that is blocked or ignored is unblocked and reset to "
	"SIG_DFL, so the fault kills (kernel/signal.c force_sig_info_to_task)";
static const char RULE_OOPS[] =
	"oops: a fault in kernel mode with no fixup is fatal to the kernel "
	"thread: die() (arch/x86/kernel/traps.c do_trap_no_signal)";
static const char RULE_BADFRAME[] =
	"rt_sigreturn without a signal frame: badframe, SIGSEGV "
	"(arch/x86/kernel/signal_64.c rt_sigreturn)";
static const char RULE_SIGSEGV_FRAME[] =
	"the signal frame could not be written: force_sigsegv "
	"(kernel/signal.c signal_setup_done)";

static void trace_deliver_event(sl_kernel *k, struct task *t, int sig,
				const struct sl_siginfo *info, const struct sl_sigaction *ka,
				const char *rule)
{
	struct sl_event ev = { .kind = SL_EV_DELIVER, .tid = t->tid, .target = t->tid,
			       .sig = sig, .ka = *ka, .rule = rule };

	ev.info = *info;
	emit(k, &ev);
}

/* The signal_deliver tracepoint: nothing to build when nobody listens. */
static inline void trace_deliver(sl_kernel *k, struct task *t, int sig,
				 const struct sl_siginfo *info, const struct sl_sigaction *ka,
				 const char *rule)
{
	if (k->cfg.event)
		trace_deliver_event(k, t, sig, info, ka, rule);
}

/* dequeue_signal: the thread's own queue first, then the process's; a
 * dequeued stop signal is remembered for do_signal_stop. */
static ALWAYS_INLINE int dequeue_signal(sl_kernel *k, struct task *t, struct sl_siginfo *info)
{
	int sig;

again:
	sig = dequeue_from(k, &t->pending, t->blocked, info);
	if (!sig)
		sig = dequeue_from(k, &t->group->shared_pending, t->blocked, info);
	recalc_sigpending_current(t);
	if (sig && sig_kernel_stop(sig))
		t->jobctl |= JOBCTL_STOP_DEQUEUED;
	/* Only a timer's signal (or any SIGALRM) concerns the timers; a
	 * stale timer signal is dropped and the next one taken. */
	if (sig && (sig == SL_SIGALRM || info->code == SL_SI_TIMER) &&
	    !timer_on_dequeue(k, t, sig, info))
		goto again;
	return sig;
}

static ALWAYS_INLINE bool push_frame(sl_kernel *k, struct task *t, int sig, sl_sigset saved,
		       bool holds_call, uint64_t frame_sp)
{
	struct frame *f;

	if (t->nframes == t->frames_cap) {
		size_t ncap = t->frames_cap ? t->frames_cap * 2 : 4;
		struct frame *nf = krealloc(k, t->frames, t->frames_cap * sizeof *nf,
					    ncap * sizeof *nf);

		if (!nf)
			return false;
		t->frames = nf;
		t->frames_cap = (uint32_t)ncap;
	}
	SL_ASSERT(t->nframes < t->frames_cap);
	f = &t->frames[t->nframes++];
	f->sig = sig;
	f->saved_mask = saved;
	f->uc_mask = saved;
	f->sp = task_user_sp(t);
	f->saved_ss = t->sas;
	f->holds_call = holds_call;
	f->on_altstack = t->sas.size && frame_sp > t->sas.sp &&
			 frame_sp - t->sas.sp <= t->sas.size;
	return true;
}

static void force_sig(sl_kernel *k, struct task *t, int sig, int code)
{
	struct sl_siginfo info = { .signo = sig, .code = code };
	struct sl_sigaction *ka = &t->sighand->action[sig - 1];

	/* force_sig_info_to_task with HANDLER_SIG_DFL semantics for a
	 * blocked or ignored signal. */
	if (ka->handler == SL_SIG_IGN || (t->blocked & sl_sigmask(sig))) {
		ka->handler = SL_SIG_DFL;
		t->blocked &= ~sl_sigmask(sig);
	}
	if (ka->handler == SL_SIG_DFL)
		t->group->flags &= ~SIGNAL_UNKILLABLE;
	send_signal_locked(k, t, sig, INFO_REAL, &info, t, PIDTYPE_PID);
	recalc_sigpending(k, t);
}

/* signal_setup_done's failure: no frame, the task gets SIGSEGV
 * (force_sigsegv), which kills it when it came from SIGSEGV's own handler
 * setup. */
static bool frame_failed(sl_kernel *k, struct task *t, const struct sl_ksignal *ks,
			 bool holds_call)
{
	if (holds_call) {
		t->sys->phase = SYS_EXITING;
		work_mark(k, t);
	}
	emit_note(k, t->tid, ks->sig, RULE_SIGSEGV_FRAME);
	if (ks->sig == SL_SIGSEGV)
		t->sighand->action[SL_SIGSEGV - 1].handler = SL_SIG_DFL;
	force_sig(k, t, SL_SIGSEGV, SL_SI_KERNEL);
	return false;
}

static __attribute__((noinline, cold)) void trace_handler(sl_kernel *k, const struct task *t,
							  const struct sl_ksignal *ks)
{
	struct sl_event ev = { .kind = SL_EV_HANDLER, .tid = t->tid, .target = t->tid,
			       .sig = ks->sig, .info = ks->info, .ka = ks->ka,
			       .rule = RULE_HANDLER };

	emit(k, &ev);
}

/* handle_signal + signal_delivered: build the frame (it saves the current
 * mask), then block sa_mask and, unless SA_NODEFER, the signal itself. */
static ALWAYS_INLINE bool handle_signal(sl_kernel *k, struct task *t, struct sl_ksignal *ks)
{
	sl_sigset blocked;
	uint64_t frame_sp, fpstate;
	bool holds_call;

	/* From a system call: the restart switch decides what the frame
	 * saves (sleep.c); the frame saves the mask sigsuspend
	 * replaced, if any (sigmask_to_save). */
	holds_call = false;
	ks->sys_nr = 0;
	ks->sys_ret = 0;
	if (t->in_call) {
		sys_handler_frame(k, t, &ks->ka, &holds_call);
		if (t->sys->phase == SYS_IN_FRAME) {
			ks->sys_nr = t->sys->nr;
			ks->sys_ret = t->sys->ret;
			if (!holds_call)
				sys_done(k, t, 0);
		}
	}
	ks->saved_mask = sigmask_to_save(t);
	if (!get_sigframe(k, t, &ks->ka, &frame_sp, &fpstate))
		return frame_failed(k, t, ks, holds_call);
	/* DEVIATION(the frame lives in the model's memory, not on a user
	 * stack: when the embedder's allocator fails, the frame cannot be
	 * written and the task gets SIGSEGV as for an unwritable stack —
	 * Linux has no such failure for a stack that is mapped). */
	if (!push_frame(k, t, ks->sig, ks->saved_mask, holds_call, frame_sp))
		return frame_failed(k, t, ks, holds_call);
	ks->frame_sp = frame_sp;
	ks->fpstate = fpstate;
	ks->uc_stack_sp = t->sas.sp;
	ks->uc_stack_size = t->sas.size;
	ks->uc_stack_flags = sas_ss_flags(t, t->sp) | (t->sas.flags & SL_SS_AUTODISARM);
	t->sp = frame_sp;
	altstack_after_frame(t);
	t->restore_sigmask = false;
	blocked = t->blocked | ks->ka.mask;
	if (!(ks->ka.flags & SL_SA_NODEFER))
		blocked |= sl_sigmask(ks->sig);
	block_more_signals(k, t, blocked);
	if (k->cfg.event)
		trace_handler(k, t, ks);
	return true;
}

static enum sl_delivery fatal(sl_kernel *k, struct task *t, int sig)
{
	t->flags |= PF_SIGNALED;
	if (sig_kernel_coredump(sig))
		do_coredump(k, t, sig);	/* coredump.c */
	do_group_exit(k, t, SL_EXIT_SIGNAL, sig);
	return SL_DELIVER_EXITED;
}

/* Reports owed to the parent by a SIGCONT (SIGNAL_CLD_MASK) are sent by
 * the first thread that runs again. */
static ALWAYS_INLINE void report_continue(sl_kernel *k, struct task *t)
{
	struct signal_group *g = t->group;
	int why;

	if (!(g->flags & SIGNAL_CLD_MASK))
		return;
	why = (g->flags & SIGNAL_CLD_CONTINUED) ? SL_CLD_CONTINUED : SL_CLD_STOPPED;
	g->flags &= ~SIGNAL_CLD_MASK;
	do_notify_parent_cldstop(k, t, why);
	ptrace_report_continue(k, t, why);	/* ptrace.c */
}

/* The default action of a stop signal; false when it was dropped. */
static bool default_stop(sl_kernel *k, struct task *t, int sig)
{
	bool sigstop_exempt = !(k->cfg.what_if & SL_CONFIG_KILL_STOP_HANDLING);

	/* SIGSTOP always works; the job-control signals do nothing in an
	 * orphaned process group (seed 002's patch drops the exemption). */
	if ((sig != SL_SIGSTOP || !sigstop_exempt) && t->group->pgrp &&
	    is_pgrp_orphaned(k, t->group->pgrp)) {
		emit_note(k, t->tid, sig, RULE_DELIVER_ORPHANED);
		return false;
	}
	return do_signal_stop(k, t, sig);
}

/* A thread of an exiting process takes SIGKILL on its way to user mode,
 * whatever else is pending. */
static enum sl_delivery group_exit_on_delivery(sl_kernel *k, struct task *t)
{
	struct sl_siginfo none = { .signo = SL_SIGKILL };

	t->pending.signal &= ~sl_sigmask(SL_SIGKILL);
	trace_deliver(k, t, SL_SIGKILL, &none, &t->sighand->action[SL_SIGKILL - 1],
		      RULE_DELIVER_GROUP_EXIT);
	recalc_sigpending_current(t);
	return fatal(k, t, SL_SIGKILL);
}

static ALWAYS_INLINE enum sl_delivery get_signal(sl_kernel *k, struct task *t, struct sl_ksignal *ks)
{
	struct signal_group *g = t->group;
	/* ptrace (ptrace.c): a tracee back from a ptrace stop first finishes
	 * it: the signal its tracer let through, or a new stop. */
	int sig = t->pt->kind ? ptrace_signal_resumed(k, t, &ks->info) : 0;
	enum pid_type type = PIDTYPE_PID;

	if (sig < 0)
		return sig == PTRACE_RESUMED_EXITED ? SL_DELIVER_EXITED : SL_DELIVER_STOPPED;
	for (;; sig = 0) {
		struct sl_siginfo *info = &ks->info;
		struct sl_sigaction *ka;

		if (sig)
			goto act;	/* ptrace: the tracer's verdict */
		/* The rare cases cost one test each: a report owed to the
		 * parent or a group exit; a group stop or a ptrace trap. */
		if (g->flags & (SIGNAL_CLD_MASK | SIGNAL_GROUP_EXIT)) {
			report_continue(k, t);
			if (g->flags & SIGNAL_GROUP_EXIT)
				return group_exit_on_delivery(k, t);
		}
		if (t->jobctl & (JOBCTL_STOP_PENDING | JOBCTL_TRAP_MASK)) {
			if ((t->jobctl & JOBCTL_STOP_PENDING) && do_signal_stop(k, t, 0))
				return SL_DELIVER_STOPPED;
			/* ptrace (ptrace.c): a trap to take */
			if (t->jobctl & JOBCTL_TRAP_MASK) {
				if (do_jobctl_trap(k, t))
					return SL_DELIVER_STOPPED;
				continue;
			}
		}
		/* ptrace: which queue the signal comes from, for a requeue */
		if (t->ptrace)
			type = (t->pending.signal & ~t->blocked) ? PIDTYPE_PID : PIDTYPE_TGID;
		sig = dequeue_synchronous_signal(k, t, info);
		if (!sig)
			sig = dequeue_signal(k, t, info);
		if (!sig)
			break;
		/* ptrace (ptrace.c): a tracee shows the signal to its tracer */
		if (t->ptrace && sig != SL_SIGKILL) {
			if (ptrace_signal(k, t, &sig, info, type))
				return SL_DELIVER_STOPPED;
			if (!sig)
				continue;
		}
act:
		ka = &t->sighand->action[sig - 1];
		if (ka->handler == SL_SIG_IGN) {
			trace_deliver(k, t, sig, info, ka, RULE_DELIVER_IGN);
			continue;
		}
		if (ka->handler != SL_SIG_DFL) {
			/* trace_deliver, with the rule chosen only for a
			 * listener */
			if (k->cfg.event)
				trace_deliver_event(k, t, sig, info, ka,
						    ka->flags & SL_SA_ONESHOT ? RULE_ONESHOT : NULL);
			ks->sig = sig;
			ks->ka = *ka;
			if (ka->flags & SL_SA_ONESHOT)
				ka->handler = SL_SIG_DFL;
			if (handle_signal(k, t, ks))
				return SL_DELIVER_HANDLER;
			continue;
		}
		if (sig_kernel_ignore(sig)) {
			trace_deliver(k, t, sig, info, ka, RULE_DELIVER_DFL_IGN);
			continue;
		}
		if ((g->flags & SIGNAL_UNKILLABLE) && !sig_kernel_only(k, sig)) {
			trace_deliver(k, t, sig, info, ka, RULE_DELIVER_UNKILLABLE);
			continue;
		}
		if (sig_kernel_stop(sig)) {
			trace_deliver(k, t, sig, info, ka, NULL);
			if (default_stop(k, t, sig))
				return SL_DELIVER_STOPPED;
			continue;
		}
		trace_deliver(k, t, sig, info, ka,
			      sig_kernel_coredump(sig) ? RULE_FATAL_CORE : RULE_FATAL);
		return fatal(k, t, sig);
	}
	recalc_sigpending_current(t);
	return SL_DELIVER_NONE;
}

/* A thread woken from a group stop says so once, on its way out. */
static __attribute__((noinline, cold)) void report_resumed(sl_kernel *k, struct task *t)
{
	struct sl_event ev = { .kind = SL_EV_CONTINUE, .tid = t->tid, .sig = SL_SIGCONT };

	t->resumed = false;
	emit(k, &ev);
}

enum sl_delivery sl_return_to_user(sl_kernel *k, int tid, struct sl_ksignal *out)
{
	struct task *t = find_task(k, tid);
	struct sl_ksignal local;
	enum sl_delivery d;

	if (!t)
		return SL_DELIVER_EXITED;
	if (t->state != TASK_RUNNING || (t->flags & PF_KTHREAD)) {
		if (t->state == TASK_DEAD)
			return SL_DELIVER_EXITED;
		if (t->state == TASK_STOPPED || t->state == TASK_TRACED)
			return SL_DELIVER_STOPPED;
		return SL_DELIVER_NONE;
	}
	k->caller = tid;
	if (t->resumed)
		report_resumed(k, t);
	/* A woken call finishes first, in the task's own context. */
	sys_before_signal(k, t);
	if (t->state == TASK_SLEEPING) {
		k->caller = 0;
		return SL_DELIVER_NONE;
	}
	d = get_signal(k, t, out ? out : &local);
	if (d == SL_DELIVER_NONE)
		sys_no_handler(k, t);
	else if (d == SL_DELIVER_EXITED)
		sys_done(k, t, 0);
	k->caller = 0;
	if (t->sigpending)
		work_mark(k, t);	/* recalc_sigpending_current's mark */
	return d;
}

static __attribute__((noinline, cold)) void trace_sigreturn(sl_kernel *k, int tid, int sig)
{
	struct sl_event ev = { .kind = SL_EV_SIGRETURN, .tid = tid, .sig = sig };

	emit(k, &ev);
}

long sl_sys_rt_sigreturn(sl_kernel *k, int caller)
{
	struct task *t = syscall_caller(k, caller);
	const struct frame *f;

	if (!t)
		return -SL_ESRCH;
	if (!t->nframes) {
		emit_note(k, caller, SL_SIGSEGV, RULE_BADFRAME);
		force_sig(k, t, SL_SIGSEGV, SL_SI_KERNEL);
		return -SL_EFAULT;
	}
	/* The popped frame stays readable: nothing below pushes frames. */
	f = &t->frames[--t->nframes];
	if (k->cfg.event)
		trace_sigreturn(k, caller, f->sig);
	set_current_blocked(k, t, f->uc_mask);
	/* restore_altstack: uc_stack comes back unless the task is still on
	 * the alternate stack (do_sigaltstack's EPERM, squashed). */
	if (!t->sas.size || !on_sig_stack(t, task_user_sp(t)))
		t->sas = f->saved_ss;
	t->sp = f->sp;
	if (f->holds_call)
		sys_frame_return(k, t);
	return 0;
}

/* The handler writes the mask of its context (uc_sigmask of its
 * ucontext): rt_sigreturn restores whatever is there, as any mask from
 * user space (restore_sigcontext, set_current_blocked: SIGKILL and SIGSTOP
 * dropped). */
long sl_user_set_frame_mask(sl_kernel *k, int caller, sl_sigset mask)
{
	struct task *t = syscall_caller(k, caller);

	if (!t)
		return -SL_ESRCH;
	if (!t->nframes)
		return -SL_EINVAL;
	t->frames[t->nframes - 1].uc_mask = mask;
	return 0;
}

int sl_user_longjmp(sl_kernel *k, int caller, bool restore_mask)
{
	struct task *t = syscall_caller(k, caller);
	struct frame f;
	struct sl_event ev = { .kind = SL_EV_LONGJMP, .tid = caller };

	if (!t)
		return -SL_ESRCH;
	if (!t->nframes)
		return -SL_EINVAL;
	f = t->frames[--t->nframes];
	t->sp = f.sp;
	/* The interrupted call's result was in the frame: it is lost. */
	if (f.holds_call)
		sys_done(k, t, 0);
	ev.sig = f.sig;
	ev.code = restore_mask;
	emit(k, &ev);
	if (restore_mask)
		set_current_blocked(k, t, f.saved_mask);
	return 0;
}

/* rt_sigreturn from a frame in user memory (restore_sigcontext,
 * set_current_blocked, restore_altstack): what the handler left in the
 * frame is what comes back. */
long sl_sys_rt_sigreturn_user(sl_kernel *k, int caller, const struct sl_ucontext *uc)
{
	struct task *t = syscall_caller(k, caller);
	bool holds_call = false;

	if (!t)
		return -SL_ESRCH;
	if (!uc)
		return -SL_EFAULT;
	if (t->nframes) {
		const struct frame *f = &t->frames[--t->nframes];

		holds_call = f->holds_call;
		if (k->cfg.event)
			trace_sigreturn(k, caller, f->sig);
	} else if (k->cfg.event) {
		trace_sigreturn(k, caller, 0);
	}
	set_current_blocked(k, t, uc->sigmask);
	t->sp = uc->sp;
	if (uc->stack) {
		struct altstack ss = { .sp = uc->stack->sp, .size = uc->stack->size,
				       .flags = uc->stack->flags };

		restore_altstack(t, &ss, t->sp);
	}
	if (holds_call)
		sys_frame_return(k, t);
	return 0;
}

int sl_task_set_user_sp(sl_kernel *k, int tid, uint64_t sp)
{
	struct task *t = find_task(k, tid);
	int n = 0;

	if (!t || t->state == TASK_DEAD)
		return -SL_ESRCH;
	t->sp = sp;
	while (t->nframes && frame_left(&t->frames[t->nframes - 1], sp)) {
		struct sl_event ev = { .kind = SL_EV_LONGJMP, .tid = tid };
		const struct frame *f = &t->frames[--t->nframes];

		if (f->holds_call)
			sys_done(k, t, 0);
		ev.sig = f->sig;
		emit(k, &ev);
		n++;
	}
	return n;
}

int sl_signal_frame_failed(sl_kernel *k, int tid)
{
	struct task *t = find_task(k, tid);
	struct frame f;

	if (!t || t->state != TASK_RUNNING)
		return -SL_ESRCH;
	if (!t->nframes)
		return -SL_EINVAL;
	f = t->frames[--t->nframes];
	set_current_blocked(k, t, f.saved_mask);
	t->sp = f.sp;
	t->sas = f.saved_ss;
	if (f.holds_call)
		sys_done(k, t, 0);
	emit_note(k, tid, f.sig, RULE_SIGSEGV_FRAME);
	if (f.sig == SL_SIGSEGV)
		t->sighand->action[SL_SIGSEGV - 1].handler = SL_SIG_DFL;
	force_sig(k, t, SL_SIGSEGV, SL_SI_KERNEL);
	return 0;
}

/* force_sig_fault: the instruction the task just ran raised sig. */
long sl_fault(sl_kernel *k, int caller, int sig, int code, uint64_t addr)
{
	struct task *t = syscall_caller(k, caller);
	struct sl_sigaction *ka;
	struct sl_siginfo info = { .signo = sig, .code = code, .addr = addr };

	if (!t)
		return -SL_ESRCH;
	if (!valid_signal(sig) || sig < 1)
		return -SL_EINVAL;
	if (t->flags & PF_KTHREAD) {
		struct sl_event ev = { .kind = SL_EV_OOPS, .tid = caller, .sig = sig,
				       .rule = RULE_OOPS };

		emit(k, &ev);
		do_exit(k, t, SL_EXIT_OOPS, sig);
		return 0;
	}
	k->caller = caller;
	ka = &t->sighand->action[sig - 1];
	if (ka->handler == SL_SIG_IGN || (t->blocked & sl_sigmask(sig))) {
		emit_note(k, caller, sig, RULE_FORCE_FAULT);
		ka->handler = SL_SIG_DFL;
		t->blocked &= ~sl_sigmask(sig);
	}
	if (ka->handler == SL_SIG_DFL)
		t->group->flags &= ~SIGNAL_UNKILLABLE;
	send_signal_locked(k, t, sig, INFO_REAL, &info, t, PIDTYPE_PID);
	if (!t->sigpending)
		signal_wake_up(k, t, false);
	k->caller = 0;
	return 0;
}
