/* Models waiting for signals without a handler: rt_sigtimedwait and
 * sigwaitinfo (kernel/signal.c sys_rt_sigtimedwait, do_sigtimedwait), and
 * dequeue_signal with its timer hooks (Linux 6.x). */
#include "engine/internal.h"

/* dequeue_signal(tsk, mask): the thread's own queue first, then the
 * process's, skipping the signals in `blocked`; a dequeued SIGALRM
 * reloads ITIMER_REAL and a POSIX timer's signal rearms its timer. */
int dequeue_signal_mask(sl_kernel *k, struct task *t, sl_sigset blocked,
			struct sl_siginfo *info)
{
	int sig;

	do {
		sig = dequeue_from(k, &t->pending, blocked, info);
		if (!sig)
			sig = dequeue_from(k, &t->group->shared_pending, blocked, info);
		recalc_sigpending(k, t);
	} while (sig && !timer_on_dequeue(k, t, sig, info));
	return sig;
}

/* The first look and the sleep: a waited-for signal already pending is
 * taken at once; otherwise the waited-for signals are unblocked for the
 * sleep (real_blocked keeps the mask, so that they are not dropped as
 * ignored meanwhile), and a zero timeout fails with EAGAIN at once. */
long sigtimedwait_enter(sl_kernel *k, struct task *t)
{
	struct sl_siginfo info = { 0 };
	sl_sigset these = t->sys->set;
	int sig = dequeue_signal_mask(k, t, ~these, &info);

	if (sig) {
		t->sys->info = info;
		return sig;
	}
	if (t->sys->deadline >= 0 && t->sys->deadline <= k->world.now)
		return -SL_EAGAIN;
	t->sys->real_blocked = t->blocked;
	t->blocked &= ~these;
	recalc_sigpending(k, t);
	/* A task with a signal pending does not go to sleep: it is woken
	 * at once (schedule() with signal_pending_state). */
	if (t->sigpending) {
		t->sys->phase = SYS_WOKEN;
		work_mark(k, t);
		return sigtimedwait_resume(k, t);
	}
	sys_sleep(k, t, SL_SLEEP_INTERRUPTIBLE);
	return SL_SYSCALL_BLOCKED;
}

/* After the sleep: the old mask comes back, then a second look.  Woken
 * by the timeout: EAGAIN; by any other signal: EINTR (no restart). */
long sigtimedwait_resume(sl_kernel *k, struct task *t)
{
	struct sl_siginfo info = { 0 };
	int sig;

	set_task_blocked_locked(k, t, t->sys->real_blocked);
	t->sys->real_blocked = 0;
	sig = dequeue_signal_mask(k, t, ~t->sys->set, &info);
	if (sig) {
		t->sys->info = info;
		return sig;
	}
	return t->sys->timed_out ? -SL_EAGAIN : -SL_EINTR;
}

/* rt_sigtimedwait with the user's timespec: do_sigtimedwait refuses an
 * invalid one with EINVAL before it looks at the queues, so a pending
 * signal is not taken. */
long sl_sys_rt_sigtimedwait_ts(sl_kernel *k, int caller, const sl_sigset *these,
			       struct sl_siginfo *info, const struct sl_timespec *timeout)
{
	struct task *t = syscall_caller(k, caller);
	sl_time to;

	if (!t || t->state != TASK_RUNNING)
		return -SL_ESRCH;
	if (!these)
		return -SL_EFAULT;
	if (!timeout)
		return sl_sys_rt_sigtimedwait(k, caller, these, info, NULL);
	if (!timespec64_valid(timeout))
		return -SL_EINVAL;
	to = timespec64_to_ktime(timeout);
	return sl_sys_rt_sigtimedwait(k, caller, these, info, &to);
}

long sl_sys_rt_sigtimedwait(sl_kernel *k, int caller, const sl_sigset *these,
			    struct sl_siginfo *info, const sl_time *timeout)
{
	struct task *t = syscall_caller(k, caller);
	long r;

	if (!t || t->state != TASK_RUNNING)
		return -SL_ESRCH;
	if (!these)
		return -SL_EFAULT;
	if (timeout && *timeout < 0)
		return -SL_EINVAL;
	if (sys_begin(k, t, SL_NR_RT_SIGTIMEDWAIT) < 0)
		return -SL_ENOMEM;
	/* SIGKILL and SIGSTOP cannot be waited for. */
	t->sys->set = *these & ~SIGSET_KERNEL_ONLY;
	if (timeout)
		t->sys->deadline = ktime_add_safe(k->world.now, *timeout);
	r = sigtimedwait_enter(k, t);
	if (r > 0 && info)
		*info = t->sys->info;
	return sys_entry_result(k, t, r);
}
