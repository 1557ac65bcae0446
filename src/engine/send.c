/* Models signal generation in kernel/signal.c: prepare_signal,
 * sig_ignored / sig_task_ignored, legacy_queue, send_signal_locked and
 * __send_signal_locked, complete_signal / wants_signal, signal_wake_up,
 * recalc_sigpending (Linux 6.x). */
#include "engine/internal.h"

static const char RULE_IGN_GLOBAL_INIT[] =
	"ignored: SIGKILL and SIGSTOP are never sent to the global init "
	"(kernel/signal.c sig_task_ignored)";
static const char RULE_IGN_UNKILLABLE[] =
	"ignored: an init (SIGNAL_UNKILLABLE) drops signals whose handler is "
	"SIG_DFL, unless SIGKILL/SIGSTOP come from an ancestor namespace "
	"(kernel/signal.c sig_task_ignored)";
static const char RULE_IGN_KTHREAD_KERNEL[] =
	"ignored: this kernel thread only takes kernel-generated signals "
	"(SIG_KTHREAD_KERNEL, kernel/signal.c sig_task_ignored)";
static const char RULE_IGN_KTHREAD[] =
	"ignored: kernel threads ignore signals they have not allowed — "
	"kthreadd set every action to SIG_IGN (kernel/signal.c "
	"ignore_signals, sig_task_ignored)";
static const char RULE_IGN_HANDLER[] =
	"ignored: the handler is SIG_IGN, and the signal is not blocked "
	"(kernel/signal.c sig_handler_ignored)";
static const char RULE_IGN_DEFAULT[] =
	"ignored: the default action of this signal is to ignore it, and it "
	"is not blocked (kernel/signal.c sig_handler_ignored)";
static const char RULE_IGN_EXITING[] =
	"ignored: the process is already exiting (SIGNAL_GROUP_EXIT) "
	"(kernel/signal.c prepare_signal)";
static const char RULE_IGN_EXITED_THREAD[] =
	"ignored: this thread has exited (a zombie leader whose threads live "
	"on): a signal for it alone is dropped as it is sent, as Linux 6.18 "
	"reports it (signal_generate res=1; kernel/signal.c "
	"__send_signal_locked)";
static const char RULE_ALREADY_PENDING[] =
	"already pending: a standard signal is queued at most once "
	"(kernel/signal.c legacy_queue)";
static const char RULE_OVERFLOW_FAIL[] =
	"overflow: RLIMIT_SIGPENDING reached; a real-time signal from "
	"sigqueue fails with EAGAIN (kernel/signal.c __send_signal_locked)";
static const char RULE_LOSE_INFO[] =
	"lose info: RLIMIT_SIGPENDING reached; the signal is still sent but "
	"its siginfo is lost (kernel/signal.c __send_signal_locked)";
static const char RULE_QUEUED_RT[] =
	"queued: real-time signals queue every instance, in order "
	"(kernel/signal.c __send_signal_locked)";
static const char RULE_QUEUED[] =
	"queued (kernel/signal.c __send_signal_locked); the blocked mask is "
	"not consulted: blocked signals stay pending";
static const char RULE_GROUP_EXIT[] =
	"fatal: the default action kills the process, so complete_signal "
	"starts a group exit now and queues SIGKILL to every thread "
	"(kernel/signal.c complete_signal)";
static const char RULE_CONT_FLUSH[] =
	"SIGCONT discards pending stop signals in every thread and resumes "
	"a stopped process (kernel/signal.c prepare_signal)";
static const char RULE_STOP_FLUSH[] =
	"a stop signal discards pending SIGCONT in every thread "
	"(kernel/signal.c prepare_signal)";

/* recalc_sigpending is inline in internal.h. */

/* signal_wake_up: mark the thread and wake it; a fatal wake-up also ends a
 * stop (TASK_WAKEKILL). */
ALWAYS_INLINE void signal_wake_up(sl_kernel *k, struct task *t, bool fatal)
{
	t->sigpending = true;
	work_mark(k, t);
	if (t->state == TASK_SLEEPING)
		sys_signal_wake(k, t, fatal);
	if (fatal && (t->state == TASK_STOPPED || t->state == TASK_TRACED)) {
		t->state = TASK_RUNNING;
		t->jobctl &= ~(JOBCTL_STOPPED | JOBCTL_TRACED);
	}
}

static ALWAYS_INLINE const char *sig_task_ignored(const sl_kernel *k, const struct task *t, int sig, bool force)
{
	uint64_t handler = t->sighand->action[sig - 1].handler;
	const struct signal_group *g = t->group;

	if (k->init && g == k->init->group && sig_kernel_only(k, sig))
		return RULE_IGN_GLOBAL_INIT;
	/* Only SIG_DFL, SIG_IGN and SIG_KTHREAD_KERNEL can make a signal
	 * ignored: a handler always takes it. */
	if (handler != SL_SIG_DFL && handler != SL_SIG_IGN && handler != SIG_KTHREAD_KERNEL)
		return NULL;
	if ((g->flags & SIGNAL_UNKILLABLE) && handler == SL_SIG_DFL &&
	    !(force && sig_kernel_only(k, sig)))
		return RULE_IGN_UNKILLABLE;
	if ((t->flags & PF_KTHREAD) && handler == SIG_KTHREAD_KERNEL && !force)
		return RULE_IGN_KTHREAD_KERNEL;
	if (handler == SL_SIG_IGN)
		return (t->flags & PF_KTHREAD) ? RULE_IGN_KTHREAD : RULE_IGN_HANDLER;
	if (handler == SL_SIG_DFL && sig_kernel_ignore(sig))
		return RULE_IGN_DEFAULT;
	return NULL;
}

/* sig_ignored: blocked signals are never ignored, since the handler may
 * change before they are unblocked. */
static ALWAYS_INLINE const char *sig_ignored(const sl_kernel *k, const struct task *t, int sig, bool force)
{
	if ((t->blocked | t->sys->real_blocked) & sl_sigmask(sig))
		return NULL;
	/* A tracer may want to see even an ignored signal (ptrace.c). */
	if (t->ptrace && sig != SL_SIGKILL)
		return NULL;
	return sig_task_ignored(k, t, sig, force);
}

static void flush_in_every_thread(sl_kernel *k, struct task *p, sl_sigset mask)
{
	struct task *t = p->group->leader;

	flush_sigqueue_mask(k, &p->group->shared_pending, mask);
	do {
		flush_sigqueue_mask(k, &t->pending, mask);
		t = t->thread_next;
	} while (t != p->group->leader);
}

/* prepare_signal's side effects for the job-control signals: a stop
 * signal discards pending SIGCONTs, and SIGCONT discards pending stop
 * signals and resumes a stopped process. */
static void prepare_stop_or_continue(sl_kernel *k, struct task *p, int sig)
{
	struct signal_group *g = p->group;

	if (sig_kernel_stop(sig)) {
		if ((g->shared_pending.signal | p->pending.signal) & sl_sigmask(SL_SIGCONT))
			emit_note(k, p->tid, sig, RULE_STOP_FLUSH);
		flush_in_every_thread(k, p, sl_sigmask(SL_SIGCONT));
	} else {
		emit_note(k, p->tid, sig, RULE_CONT_FLUSH);
		flush_in_every_thread(k, p, SIGSET_KERNEL_STOP);
		prepare_continue(k, p);
	}
}

/* prepare_signal: the side effects of generation that happen even when
 * the signal itself is then dropped, and the decision to drop it.
 * Returns NULL when the signal is to be queued, else the reason. */
static ALWAYS_INLINE const char *prepare_signal_inline(sl_kernel *k, struct task *p, int sig,
						       bool force)
{
	if (p->group->flags & SIGNAL_GROUP_EXIT)
		return RULE_IGN_EXITING;
	if (sl_sigmask(sig) & (SIGSET_KERNEL_STOP | sl_sigmask(SL_SIGCONT)))
		prepare_stop_or_continue(k, p, sig);
	return sig_ignored(k, p, sig, force);
}

const char *prepare_signal(sl_kernel *k, struct task *p, int sig, bool force)
{
	return prepare_signal_inline(k, p, sig, force);
}

/* legacy_queue: a standard signal already pending is not queued again. */
static ALWAYS_INLINE bool legacy_queue(const struct sigpending *p, int sig)
{
	return sig < SL_SIGRTMIN && (p->signal & sl_sigmask(sig));
}

/* wants_signal: could this thread take the signal now? */
static ALWAYS_INLINE bool wants_signal(const sl_kernel *k, const struct task *t, int sig)
{
	if (t->blocked & sl_sigmask(sig))
		return false;
	if (t->flags & PF_EXITING)
		return false;
	if (sig == SL_SIGKILL)
		return true;
	if (t->state == TASK_STOPPED || t->state == TASK_TRACED)
		return false;
	/* DEVIATION(task_curr: which tasks are on a CPU is the scheduler's
	 * business; the model counts only the caller as running, so a sleeping
	 * or waiting thread that already has TIF_SIGPENDING is passed over
	 * exactly as Linux passes over one that is not running). */
	return t->tid == k->caller || !t->sigpending;
}

/* complete_signal when the target thread cannot take the signal now: a
 * signal for the whole process goes to another thread that wants it,
 * searched from curr_target on, which becomes the next search's start.
 * NULL when there is none: a thread finds the signal when it unblocks it
 * or runs again. */
static struct task *curr_target_search(const sl_kernel *k, struct task *p, int sig,
				       enum pid_type type)
{
	struct signal_group *g = p->group;
	struct task *t = g->curr_target;

	if (type == PIDTYPE_PID || thread_group_empty(p))
		return NULL;
	/* The search ends only because curr_target is on the thread list. */
	SL_ASSERT(t != NULL && t->group == g && !t->released);
	while (!wants_signal(k, t, sig)) {
		t = t->thread_next;
		if (t == g->curr_target)
			return NULL;
	}
	g->curr_target = t;
	return t;
}

/* complete_signal's fatal case: the default action of the signal kills
 * the process (not a core dump, which is left to get_signal), so the
 * whole process dies now: every thread gets SIGKILL and is woken, stopped
 * or not. */
static void start_group_exit(sl_kernel *k, struct task *p, int sig)
{
	struct signal_group *g = p->group;
	struct task *t = g->leader;

	emit_note(k, p->tid, sig, RULE_GROUP_EXIT);
	g->flags = SIGNAL_GROUP_EXIT | (g->flags & SIGNAL_UNKILLABLE);
	g->group_exit_code = sig;
	g->group_stop_count = 0;
	do {
		task_clear_jobctl_pending(t, JOBCTL_PENDING_MASK);
		t->pending.signal |= sl_sigmask(SL_SIGKILL);
		signal_wake_up(k, t, true);
		t = t->thread_next;
	} while (t != g->leader);
}

/* complete_signal: pick the thread to wake — the target thread first,
 * then the group's threads from curr_target on — and turn a fatal signal
 * into a group exit at once. */
inline void complete_signal(sl_kernel *k, int sig, struct task *p, enum pid_type type)
{
	struct task *t = wants_signal(k, p, sig) ? p : curr_target_search(k, p, sig, type);

	if (!t)
		return;
	if (sig_fatal(p, sig) && !(p->group->flags & SIGNAL_GROUP_EXIT) &&
	    !(t->sys->real_blocked & sl_sigmask(sig)) && !sig_kernel_coredump(sig) &&
	    (sig == SL_SIGKILL || !p->ptrace))	/* a tracer sees it first */
		start_group_exit(k, p, sig);
	else
		signal_wake_up(k, t, sig == SL_SIGKILL);
}

/* The special values, and kill()'s SI_USER siginfo, which is never
 * refused a queue slot (si_code >= 0) and is not a user-made siginfo. */
static bool si_special(enum info_kind kind)
{
	return kind != INFO_REAL;
}

static void trace_generate_event(sl_kernel *k, struct task *sender, int sig,
				 enum info_kind kind, const struct sl_siginfo *info,
				 struct task *t, enum pid_type type, int result,
				 const char *rule)
{
	struct sl_event ev = {
		.kind = SL_EV_GENERATE,
		.tid = sender ? sender->tid : 0,
		.target = t->tid,
		.sig = sig,
		.result = result,
		.group = type != PIDTYPE_PID,
		.rule = rule,
	};

	ev.info.signo = sig;
	if (kind == INFO_REAL) {
		ev.info = *info;
	} else if (kind == INFO_PRIV) {
		ev.info.code = SL_SI_KERNEL;
	} else if (kind == INFO_KILL) {
		ev.info.code = SL_SI_USER;
		ev.info.pid = task_visible_in(sender, t->group->ns) ? sender->group->leader->tid : 0;
		ev.info.uid = sender->cred->uid;
	}
	emit(k, &ev);
}

/* The signal_generate tracepoint: nothing to build when nobody listens. */
static inline void trace_generate(sl_kernel *k, struct task *sender, int sig,
				  enum info_kind kind, const struct sl_siginfo *info,
				  struct task *t, enum pid_type type, int result,
				  const char *rule)
{
	if (k->cfg.event)
		trace_generate_event(k, sender, sig, kind, info, t, type, result, rule);
}

/* __send_signal_locked */
static ALWAYS_INLINE int send_signal_locked_force(sl_kernel *k, struct task *sender, int sig,
				    enum info_kind kind, const struct sl_siginfo *info,
				    struct task *t, enum pid_type type, bool force)
{
	struct sigpending *pending;
	struct sigqueue *q;
	const char *why;
	bool override_rlimit;
	int result;

	/* Callers pass a real signal (valid_signal and sig >= 1): it indexes
	 * the dispositions and the queues. */
	SL_ASSERT(sig >= 1 && sig <= SL_NSIG);
	/* A thread that has exited takes nothing of its own any more (its
	 * process, if alive, still takes process-directed signals). */
	why = type == PIDTYPE_PID && t->state == TASK_DEAD ? RULE_IGN_EXITED_THREAD
		: prepare_signal_inline(k, t, sig, force);
	if (why) {
		trace_generate(k, sender, sig, kind, info, t, type, SL_TRACE_IGNORED, why);
		return 0;
	}
	pending = type != PIDTYPE_PID ? &t->group->shared_pending : &t->pending;
	if (legacy_queue(pending, sig)) {
		trace_generate(k, sender, sig, kind, info, t, type,
			       SL_TRACE_ALREADY_PENDING, RULE_ALREADY_PENDING);
		return 0;
	}
	result = SL_TRACE_DELIVERED;
	why = sig >= SL_SIGRTMIN ? RULE_QUEUED_RT : RULE_QUEUED;
	/* SIGKILL and signals to kernel threads carry no siginfo. */
	if (sig == SL_SIGKILL || (t->flags & PF_KTHREAD))
		goto out_set;
	/* A standard signal from kill() or the kernel may exceed the queue
	 * limit; a real-time one never may. */
	if (sig < SL_SIGRTMIN)
		override_rlimit = si_special(kind) || info->code >= 0;
	else
		override_rlimit = false;
	q = sigqueue_alloc(k, t, override_rlimit);
	if (q && !pending->lists) {
		struct sigqueue_lists *l = kalloc(k, sizeof *l);

		if (!l) {
			sigqueue_free(k, q);
			q = NULL;
		} else {
			pending_reserve(pending, l);
		}
	}
	if (q) {
		if (kind == INFO_NOINFO || kind == INFO_KILL) {
			/* SI_USER from the sender, with its pid where the
			 * target's namespace sees it: force is set for these
			 * exactly when the sender is in an ancestor namespace. */
			struct sl_siginfo user = {
				.code = SL_SI_USER,
				.pid = sender && !force ? sender->group->leader->tid : 0,
				.uid = sender ? sender->cred->uid : 0,
			};

			copy_siginfo(&q->info, &user);
		} else if (kind == INFO_PRIV) {
			q->info = (struct sl_siginfo){ .code = SL_SI_KERNEL };
		} else {
			copy_siginfo(&q->info, info);
		}
		q->info.signo = sig;
		pending_enqueue(pending, q);
	} else if (!si_special(kind) && sig >= SL_SIGRTMIN && info->code != SL_SI_USER) {
		trace_generate(k, sender, sig, kind, info, t, type,
			       SL_TRACE_OVERFLOW_FAIL, RULE_OVERFLOW_FAIL);
		return -SL_EAGAIN;
	} else {
		result = SL_TRACE_LOSE_INFO;
		why = RULE_LOSE_INFO;
	}
out_set:
	pending->signal |= sl_sigmask(sig);
	/* fork window: a signal for a process group or more reaches the
	 * children of forks in progress too (task.c). */
	if (type > PIDTYPE_TGID && t->group->nr_multiprocess)
		fork_delay_signal(t->group, sig);
	if (t->group->timers->nsigfds)
		signalfd_notify(k, t);
	/* complete_signal's common case, without the call: the target thread
	 * takes the signal and it is not fatal. */
	if (wants_signal(k, t, sig) && !sig_fatal(t, sig))
		signal_wake_up(k, t, sig == SL_SIGKILL);
	else
		complete_signal(k, sig, t, type);
	trace_generate(k, sender, sig, kind, info, t, type, result, why);
	return 0;
}

/* A siginfo carries a sender pid and uid when its layout is kill, child or
 * rt (siginfo_layout): si_code <= 0 except SI_TIMER and SI_SIGIO, SI_KERNEL,
 * and SIGCHLD's CLD_* codes. */
static bool has_si_pid_and_uid(const struct sl_siginfo *info)
{
	int code = info->code;

	if (code > SL_SI_USER && code < SL_SI_KERNEL)
		return info->signo == SL_SIGCHLD && code <= SL_CLD_CONTINUED;
	return code != SL_SI_TIMER && code != SL_SI_SIGIO;
}

/* send_signal_locked: decide `force` — kernel-generated signals, and
 * signals from an ancestor pid namespace, which also lose their si_pid. */
static ALWAYS_INLINE int send_signal_locked_inline(sl_kernel *k, struct task *sender,
						   int sig, enum info_kind kind,
						   struct sl_siginfo *info, struct task *t,
						   enum pid_type type)
{
	bool force = false;
	bool from_ancestor = sender && sender->group->ns != t->group->ns &&
			     !task_visible_in(sender, t->group->ns);

	if (kind == INFO_NOINFO || kind == INFO_KILL) {
		force = from_ancestor;
	} else if (kind == INFO_PRIV) {
		force = true;
	} else if (has_si_pid_and_uid(info)) {
		force = info->code == SL_SI_KERNEL;
		if (from_ancestor) {
			info->pid = 0;
			force = true;
		}
	}
	return send_signal_locked_force(k, sender, sig, kind, info, t, type, force);
}

int send_signal_locked(sl_kernel *k, struct task *sender, int sig, enum info_kind kind,
		       struct sl_siginfo *info, struct task *t, enum pid_type type)
{
	return send_signal_locked_inline(k, sender, sig, kind, info, t, type);
}

/* group_send_sig_info's delivery half (do_send_sig_info): a released task
 * has no sighand to lock. */
static ALWAYS_INLINE int do_send_sig_info(sl_kernel *k, struct task *sender, int sig,
					  enum info_kind kind, struct sl_siginfo *info,
					  struct task *p, enum pid_type type)
{
	if (p->released)
		return -SL_ESRCH;
	return send_signal_locked_inline(k, sender, sig, kind, info, p, type);
}

/* kill_ok_by_cred: the sender's real or effective uid is the target's
 * real or saved uid (never the target's effective one), or the sender
 * has CAP_KILL. */
static ALWAYS_INLINE bool kill_ok_by_cred(const struct task *sender, const struct task *t)
{
	return sender->cred->euid == t->cred->suid || sender->cred->euid == t->cred->uid ||
	       sender->cred->uid == t->cred->suid || sender->cred->uid == t->cred->uid || cred_capable(sender);
}

/* check_kill_permission: signals from user space need matching
 * credentials, except SIGCONT within a session. */
static ALWAYS_INLINE int check_kill_permission(sl_kernel *k, struct task *sender, int sig,
				 enum info_kind kind, const struct sl_siginfo *info,
				 struct task *t)
{
	(void)k;
	if (!valid_signal(sig))
		return -SL_EINVAL;
	if (!sender || kind == INFO_PRIV || (kind == INFO_REAL && info->code > 0))
		return 0;
	if (sender->group == t->group || kill_ok_by_cred(sender, t))
		return 0;
	if (sig == SL_SIGCONT && sender->group->sid == t->group->sid)
		return 0;
	return -SL_EPERM;
}

static ALWAYS_INLINE int group_send_sig_info_inline(sl_kernel *k, struct task *sender,
						    int sig, enum info_kind kind,
						    struct sl_siginfo *info, struct task *p,
						    enum pid_type type)
{
	int err = check_kill_permission(k, sender, sig, kind, info, p);

	if (!err && sig)
		err = do_send_sig_info(k, sender, sig, kind, info, p, type);
	return err;
}

int group_send_sig_info(sl_kernel *k, struct task *sender, int sig, enum info_kind kind,
			struct sl_siginfo *info, struct task *p, enum pid_type type)
{
	return group_send_sig_info_inline(k, sender, sig, kind, info, p, type);
}

/* ---- the syscalls --------------------------------------------------------- */

static ALWAYS_INLINE struct task *live_caller(sl_kernel *k, int caller)
{
	return syscall_caller(k, caller);
}

/* prepare_kill_siginfo: SI_USER for kill, SI_TKILL for the thread calls. */
static ALWAYS_INLINE struct sl_siginfo kill_siginfo(const struct task *sender, int sig, enum pid_type type)
{
	struct sl_siginfo info = {
		.signo = sig,
		.code = type == PIDTYPE_PID ? SL_SI_TKILL : SL_SI_USER,
		.pid = sender->group->leader->tid,
		.uid = sender->cred->uid,
	};

	return info;
}

/* __kill_pgrp_info: the last error, or 0 once one member got it. */
static int kill_pgrp_info(sl_kernel *k, struct task *sender, int sig,
			  struct sl_siginfo *info, struct pgroup *pg)
{
	int ret = -SL_ESRCH;

	if (!pg)
		return -SL_ESRCH;
	for (struct task *p = pg->members; p; p = p->group->pgrp_next) {
		struct sl_siginfo copy = *info;
		int err;

		if (!task_visible_in(p, sender->group->ns))
			continue;
		err = group_send_sig_info(k, sender, sig, INFO_REAL, &copy, p, PIDTYPE_PGID);
		if (ret)
			ret = err;
	}
	return ret;
}

/* kill(-1): every process the caller's namespace numbers above 1, except
 * the caller's own; EPERM from some targets is not reported. */
static int kill_all(sl_kernel *k, struct task *sender, int sig, struct sl_siginfo *info)
{
	int retval = 0, count = 0;
	const struct pidns *ns = sender->group->ns;

	for (size_t i = 0; i < k->nprocs; i++) {
		struct task *p = k->procs[i];
		struct sl_siginfo copy = *info;
		int err;

		if (!p || p->released || !task_visible_in(p, ns) ||
		    p == ns->reaper || p->group == sender->group)
			continue;
		err = group_send_sig_info(k, sender, sig, INFO_REAL, &copy, p, PIDTYPE_MAX);
		count++;
		if (err != -SL_EPERM)
			retval = err;
	}
	return count ? retval : -SL_ESRCH;
}

/* kill_pid_info: the task with that pid, signalled as a process. */
static ALWAYS_INLINE int kill_proc_info(sl_kernel *k, struct task *sender, int sig,
			  enum info_kind kind, struct sl_siginfo *info, int pid)
{
	/* A caller that names its own pid needs no lookup: it is alive (not
	 * released: release_task only reaps the dead), and a task is visible
	 * in its own namespace. */
	struct task *p = pid == k->caller ? sender : find_task_visible(k, sender, pid);

	if (!p)
		return -SL_ESRCH;
	return group_send_sig_info_inline(k, sender, sig, kind, info, p, PIDTYPE_TGID);
}

long sl_sys_kill(sl_kernel *k, int caller, int pid, int sig)
{
	struct task *cur = live_caller(k, caller);
	struct sl_siginfo info;
	long ret;

	if (!cur)
		return -SL_ESRCH;
	k->caller = caller;
	if (pid > 0) {
		ret = kill_proc_info(k, cur, sig, INFO_KILL, NULL, pid);
	} else if (pid == -2147483647 - 1) {
		ret = -SL_ESRCH;
	} else {
		info = kill_siginfo(cur, sig, PIDTYPE_TGID);
		if (pid == -1)
			ret = kill_all(k, cur, sig, &info);
		else if (pid == 0)
			ret = kill_pgrp_info(k, cur, sig, &info, cur->group->pgrp);
		else
			ret = kill_pgrp_info(k, cur, sig, &info, pgroup_get(k, -pid));
	}
	k->caller = 0;
	return ret;
}

/* do_send_specific: a thread-directed signal; a target whose sighand is
 * gone counts as sent. */
static long do_send_specific(sl_kernel *k, struct task *cur, int tgid, int pid, int sig,
			     struct sl_siginfo *info)
{
	struct task *p = find_task_visible(k, cur, pid);
	long err = -SL_ESRCH;

	if (p && (tgid <= 0 || p->group->leader->tid == tgid)) {
		err = check_kill_permission(k, cur, sig, INFO_REAL, info, p);
		if (!err && sig) {
			k->caller = cur->tid;
			err = do_send_sig_info(k, cur, sig, INFO_REAL, info, p, PIDTYPE_PID);
			k->caller = 0;
			if (err == -SL_ESRCH)
				err = 0;
		}
	}
	return err;
}

long sl_sys_tkill(sl_kernel *k, int caller, int tid, int sig)
{
	struct task *cur = live_caller(k, caller);
	struct sl_siginfo info;

	if (!cur)
		return -SL_ESRCH;
	if (tid <= 0)
		return -SL_EINVAL;
	info = kill_siginfo(cur, sig, PIDTYPE_PID);
	return do_send_specific(k, cur, 0, tid, sig, &info);
}

long sl_sys_tgkill(sl_kernel *k, int caller, int tgid, int tid, int sig)
{
	struct task *cur = live_caller(k, caller);
	struct sl_siginfo info;

	if (!cur)
		return -SL_ESRCH;
	if (tid <= 0 || tgid <= 0)
		return -SL_EINVAL;
	info = kill_siginfo(cur, sig, PIDTYPE_PID);
	return do_send_specific(k, cur, tgid, tid, sig, &info);
}

/* Not even root may forge a kernel siginfo (si_code >= 0) or a tkill one
 * for anyone but itself: the pid compared is the calling thread's. */
static bool forged_info(const struct task *cur, const struct sl_siginfo *info, int pid)
{
	return (info->code >= 0 || info->code == SL_SI_TKILL) && cur->tid != pid;
}

long sl_sys_rt_sigqueueinfo(sl_kernel *k, int caller, int tgid, int sig,
			    const struct sl_siginfo *uinfo)
{
	struct task *cur = live_caller(k, caller);
	struct sl_siginfo info;
	long ret;

	if (!cur)
		return -SL_ESRCH;
	if (!uinfo)
		return -SL_EFAULT;
	info = *uinfo;
	info.signo = sig;
	if (forged_info(cur, &info, tgid))
		return -SL_EPERM;
	if (tgid <= 0)
		return -SL_ESRCH;
	k->caller = caller;
	ret = kill_proc_info(k, cur, sig, INFO_REAL, &info, tgid);
	k->caller = 0;
	return ret;
}

long sl_sys_rt_tgsigqueueinfo(sl_kernel *k, int caller, int tgid, int tid,
			      int sig, const struct sl_siginfo *uinfo)
{
	struct task *cur = live_caller(k, caller);
	struct sl_siginfo info;

	if (!cur)
		return -SL_ESRCH;
	if (!uinfo)
		return -SL_EFAULT;
	if (tid <= 0 || tgid <= 0)
		return -SL_EINVAL;
	info = *uinfo;
	info.signo = sig;
	if (forged_info(cur, &info, tid))
		return -SL_EPERM;
	return do_send_specific(k, cur, tgid, tid, sig, &info);
}

/* ---- signals the kernel raises by itself, for the embedder --------------- */

/* send_sigio_to_task's fallback: an I/O signal is one whose siginfo
 * send_sigio_to_task built (POLL_*, or SI_SIGIO for the signals with
 * codes of their own). */
static bool sigio_siginfo(const struct sl_siginfo *info)
{
	return info->code == SL_SI_SIGIO ||
	       (info->code >= SL_POLL_IN && info->code <= SL_POLL_HUP);
}

/* do_send_sig_info with the kernel as the source, for a device the
 * embedder runs (the tty's kill_pgrp and tty_signal_session_leader,
 * send_sig, send_sigio_to_task, the CPU-time checks): no permission
 * check, since the kernel decided who gets it.  An SI_USER siginfo is
 * send_sig's SEND_SIG_NOINFO on behalf of the task it names. */
long sl_send_sig_info(sl_kernel *k, int tid, int sig, int scope,
		      const struct sl_siginfo *uinfo)
{
	struct task *t = find_task(k, tid), *sender = NULL;
	enum info_kind kind = INFO_PRIV;
	struct sl_siginfo info = { .signo = sig };
	enum pid_type type;
	int ret;

	SL_ASSERT(k != NULL);
	if (!valid_signal(sig) || sig == 0 || scope < SL_SEND_THREAD || scope > SL_SEND_PGRP)
		return -SL_EINVAL;
	if (!t || t->released || (scope == SL_SEND_THREAD && t->state == TASK_DEAD))
		return -SL_ESRCH;
	type = scope == SL_SEND_THREAD ? PIDTYPE_PID
		: scope == SL_SEND_PROCESS ? PIDTYPE_TGID : PIDTYPE_PGID;
	if (type != PIDTYPE_PID && !t->group->leader->released)
		t = t->group->leader;
	if (uinfo) {
		info = *uinfo;
		info.signo = sig;
		kind = INFO_REAL;
		if (info.code == SL_SI_USER && (sender = find_task(k, info.pid)) &&
		    !sender->released)
			kind = INFO_NOINFO;
		else
			sender = NULL;
	}
	ret = send_signal_locked(k, sender, sig, kind, &info, t, type);
	/* send_sigio_to_task: a chosen signal that cannot be queued (a
	 * real-time one over RLIMIT_SIGPENDING) is replaced by SIGIO. */
	if (ret == -SL_EAGAIN && kind == INFO_REAL && sigio_siginfo(&info))
		ret = send_signal_locked(k, NULL, SL_SIGIO, INFO_PRIV, NULL, t, type);
	return ret;
}
