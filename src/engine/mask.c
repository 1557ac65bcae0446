/* Models the blocked mask of kernel/signal.c: sigprocmask,
 * set_current_blocked, __set_task_blocked with retarget_shared_pending,
 * the rt_sigprocmask, sgetmask, ssetmask and rt_sigpending syscalls
 * (Linux 6.x). */
#include "engine/internal.h"

/* retarget_shared_pending: when a thread blocks signals that are pending
 * for the whole process, another thread that does not block them must be
 * woken to take them. */
void retarget_shared_pending(sl_kernel *k, struct task *tsk, sl_sigset which)
{
	sl_sigset retarget = tsk->group->shared_pending.signal & which;

	for (struct task *t = tsk->thread_next; retarget && t != tsk; t = t->thread_next) {
		sl_sigset take;

		if (t->flags & PF_EXITING)
			continue;
		take = retarget & ~t->blocked;
		if (!take)
			continue;
		if (!t->sigpending)
			signal_wake_up(k, t, false);
		retarget &= ~take;
	}
}

/* set_task_blocked_locked and set_current_blocked are inline in
 * internal.h: they run twice per handled signal. */

static long sigprocmask(sl_kernel *k, struct task *t, int how, sl_sigset set)
{
	sl_sigset newset;

	switch (how) {
	case SL_SIG_BLOCK:
		newset = t->blocked | set;
		break;
	case SL_SIG_UNBLOCK:
		newset = t->blocked & ~set;
		break;
	case SL_SIG_SETMASK:
		newset = set;
		break;
	default:
		return -SL_EINVAL;
	}
	set_task_blocked_locked(k, t, newset);
	return 0;
}

long sl_sys_rt_sigprocmask(sl_kernel *k, int caller, int how,
			   const sl_sigset *set, sl_sigset *oset)
{
	struct task *t = syscall_caller(k, caller);
	sl_sigset old;
	long err;

	if (!t)
		return -SL_ESRCH;
	old = t->blocked;
	if (set) {
		sl_sigset newset = *set;

		/* SIGKILL and SIGSTOP are silently dropped from the new set —
		 * unless seed 002's what-if lets them be masked. */
		if (!(k->cfg.what_if & SL_CONFIG_KILL_STOP_HANDLING))
			newset &= ~(sl_sigmask(SL_SIGKILL) | sl_sigmask(SL_SIGSTOP));
		err = sigprocmask(k, t, how, newset);
		if (err)
			return err;
	}
	if (oset)
		*oset = old;
	return 0;
}

/* sgetmask / ssetmask: the pre-POSIX calls on the first word of the mask
 * (the whole mask on 64-bit).  ssetmask takes an int: it is sign-extended
 * into the new mask, SIGKILL and SIGSTOP are dropped, and the old mask
 * comes back truncated to an int. */
long sl_sys_sgetmask(sl_kernel *k, int caller)
{
	struct task *t = syscall_caller(k, caller);

	if (!t)
		return -SL_ESRCH;
	return (long)t->blocked;
}

long sl_sys_ssetmask(sl_kernel *k, int caller, long newmask)
{
	struct task *t = syscall_caller(k, caller);
	int old;

	if (!t)
		return -SL_ESRCH;
	old = (int)(uint32_t)t->blocked;
	set_current_blocked(k, t, (sl_sigset)(int64_t)(int32_t)newmask);
	return old;
}

/* do_sigpending: what is pending for this thread or its process, among
 * the signals it blocks. */
long sl_sys_rt_sigpending(sl_kernel *k, int caller, sl_sigset *out)
{
	struct task *t = syscall_caller(k, caller);

	if (!t)
		return -SL_ESRCH;
	if (!out)
		return -SL_EFAULT;
	*out = (t->pending.signal | t->group->shared_pending.signal) & t->blocked;
	return 0;
}
