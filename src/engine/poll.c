/* Models what the signal subsystem sees of the waits on file descriptors,
 * fs/select.c (sys_poll and do_restart_poll, sys_ppoll, kern_select,
 * sys_pselect6, do_poll's signal check, poll_select_finish) and
 * fs/eventpoll.c (ep_poll, sys_epoll_wait, sys_epoll_pwait), with
 * kernel/signal.c set_user_sigmask and restore_saved_sigmask_unless
 * (Linux 6.x).
 *
 * UNMODELED(file descriptors: the model's waits watch none, so they end
 * by a signal or by their timeout; a ready descriptor's value is not
 * modelled).
 *
 * The rules: a wait interrupted by a signal fails with -ERESTARTNOHAND
 * (poll: -ERESTART_RESTARTBLOCK through do_restart_poll), so it becomes
 * EINTR when a handler runs and is run again when none does (a stop and
 * SIGCONT, an ignored signal); epoll_wait fails with -EINTR and is never
 * restarted.  poll checks for a signal before its timeout (do_poll),
 * epoll_wait its timeout first (ep_poll: a zero timeout returns 0 even
 * with a signal pending).  A restarted poll keeps its end time
 * (restart_block), a restarted ppoll, select or pselect6 waits for the
 * time that was left when it was interrupted, which poll_select_finish
 * wrote back into the caller's timeout.  ppoll, pselect6 and epoll_pwait
 * replace the mask for the wait, as sigsuspend does: on a timeout the old
 * mask is back at once; when a signal interrupted the wait it is restored
 * after that signal's delivery (its frame saves the old mask), so the
 * handler of a signal only the temporary mask let in runs. */
#include "engine/internal.h"

/* The call, kept in sys.obj; sys.count says whether it took a mask. */
static bool poll_restartblock(int call)
{
	return call == SL_POLL_POLL;
}

static bool poll_is_epoll(int call)
{
	return call == SL_POLL_EPOLL_WAIT || call == SL_POLL_EPOLL_PWAIT;
}

/* set_user_sigmask: the temporary mask, the old one kept for later. */
static void poll_set_mask(sl_kernel *k, struct task *t)
{
	if (!t->sys->count)
		return;
	t->sys->saved_sigmask = t->blocked;
	set_current_blocked(k, t, t->sys->set);
	t->restore_sigmask = true;
}

/* restore_saved_sigmask_unless(interrupted). */
static long poll_finish(sl_kernel *k, struct task *t, long ret, bool interrupted)
{
	if (!interrupted)
		restore_saved_sigmask(k, t);
	return ret;
}

/* The signal check of do_poll / do_select, and ep_poll's. */
static long poll_interrupted(sl_kernel *k, struct task *t)
{
	int call = t->sys->obj;

	if (poll_is_epoll(call))
		return poll_finish(k, t, -SL_EINTR, true);
	/* poll_select_finish: the time left goes back to the caller */
	if (t->sys->deadline >= 0 && !poll_restartblock(call))
		t->sys->info.value = (uint64_t)(t->sys->deadline - k->world.now);
	t->sys->restartblock = poll_restartblock(call);
	return poll_finish(k, t, poll_restartblock(call) ? -SL_ERESTART_RESTARTBLOCK
							 : -SL_ERESTARTNOHAND, true);
}

static long poll_wait(sl_kernel *k, struct task *t)
{
	bool timed_out = t->sys->deadline >= 0 && k->world.now >= t->sys->deadline;

	if (timed_out && poll_is_epoll(t->sys->obj))
		return poll_finish(k, t, 0, false);
	if (t->sigpending)
		return poll_interrupted(k, t);
	if (timed_out)
		return poll_finish(k, t, 0, false);
	sys_sleep(k, t, SL_SLEEP_INTERRUPTIBLE);
	return SL_SYSCALL_BLOCKED;
}

long sl_sys_poll_wait(sl_kernel *k, int caller, enum sl_poll_call call, const sl_sigset *mask,
		      const struct sl_timespec *timeout)
{
	struct task *t = syscall_caller(k, caller);

	if (!t)
		return -SL_ESRCH;
	if ((unsigned)call > SL_POLL_EPOLL_PWAIT)
		return -SL_EINVAL;
	/* poll_select_set_timeout, before the mask is set */
	if (timeout && !timespec64_valid(timeout))
		return -SL_EINVAL;
	if (sys_begin(k, t, SL_NR_POLL) < 0)
		return -SL_ENOMEM;
	t->sys->obj = (int)call;
	t->sys->count = mask != NULL;
	t->sys->set = mask ? *mask : 0;
	t->sys->deadline = timeout ? ktime_add_safe(k->world.now, timespec64_to_ktime(timeout)) : -1;
	poll_set_mask(k, t);
	return sys_entry_result(k, t, poll_wait(k, t));
}

long poll_resume(sl_kernel *k, struct task *t)
{
	return poll_wait(k, t);
}

/* The call again after a signal without a handler: do_restart_poll with
 * the same end time, or the syscall rewound with the time that was left. */
long poll_enter(sl_kernel *k, struct task *t)
{
	if (t->sys->deadline >= 0 && !poll_restartblock(t->sys->obj))
		t->sys->deadline = ktime_add_safe(k->world.now, (sl_time)t->sys->info.value);
	poll_set_mask(k, t);
	return poll_wait(k, t);
}
