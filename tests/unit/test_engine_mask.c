/* rt_sigprocmask, sgetmask/ssetmask, rt_sigpending (kernel/signal.c). */
#include "helpers.h"

TEST_SUITE_FX(mask);

/* checked on Linux 6.18: rt_sigprocmask(3, &set, NULL) -> EINVAL. */
Test(mask, invalid_how_is_einval_and_changes_nothing)
{
	int p = proc(0, 0);
	sl_sigset s = SET(SL_SIGUSR1);

	cr_assert_eq(mask_op(p, SL_SIG_BLOCK, SET(SL_SIGHUP)), 0);
	cr_assert_eq(sl_sys_rt_sigprocmask(K, p, 3, &s, NULL), -SL_EINVAL);
	CHECK();
	cr_assert_eq(sl_sys_rt_sigprocmask(K, p, -1, &s, NULL), -SL_EINVAL);
	CHECK();
	cr_assert_eq(blocked_of(p), SET(SL_SIGHUP));
}

/* checked on Linux 6.18: rt_sigprocmask(3, NULL, &old) and (-1, NULL, &old)
 * -> 0: `how` is only looked at when there is a new set. */
Test(mask, invalid_how_without_a_set_is_a_query)
{
	int p = proc(0, 0);
	sl_sigset old = 0;

	cr_assert_eq(mask_op(p, SL_SIG_BLOCK, SET(SL_SIGHUP)), 0);
	cr_assert_eq(sl_sys_rt_sigprocmask(K, p, 3, NULL, &old), 0);
	CHECK();
	cr_assert_eq(old, SET(SL_SIGHUP));
	cr_assert_eq(sl_sys_rt_sigprocmask(K, p, -1, NULL, &old), 0);
	CHECK();
}

Test(mask, block_unblock_and_setmask_combine_with_the_old_mask)
{
	int p = proc(0, 0);
	sl_sigset s, old = 0;

	cr_assert_eq(mask_op(p, SL_SIG_BLOCK, SET(SL_SIGHUP, SL_SIGINT)), 0);
	cr_assert_eq(mask_op(p, SL_SIG_BLOCK, SET(SL_SIGUSR1)), 0);
	cr_assert_eq(blocked_of(p), SET(SL_SIGHUP, SL_SIGINT, SL_SIGUSR1));
	cr_assert_eq(mask_op(p, SL_SIG_UNBLOCK, SET(SL_SIGINT, SL_SIGTERM)), 0);
	cr_assert_eq(blocked_of(p), SET(SL_SIGHUP, SL_SIGUSR1));
	s = SET(SL_SIGRTMAX);
	cr_assert_eq(sl_sys_rt_sigprocmask(K, p, SL_SIG_SETMASK, &s, &old), 0);
	CHECK();
	cr_assert_eq(old, SET(SL_SIGHUP, SL_SIGUSR1), "oset is the mask before");
	cr_assert_eq(blocked_of(p), SET(SL_SIGRTMAX));
}

/* checked on Linux 6.18: SIG_BLOCK {SIGKILL, SIGSTOP, SIGUSR1} -> 0, and the
 * mask reads back as {SIGUSR1}. */
Test(mask, sigkill_and_sigstop_are_removed_silently)
{
	int p = proc(0, 0);

	cr_assert_eq(mask_op(p, SL_SIG_BLOCK, SET(SL_SIGKILL, SL_SIGSTOP, SL_SIGUSR1)), 0);
	cr_assert_eq(blocked_of(p), SET(SL_SIGUSR1));
	cr_assert_eq(mask_op(p, SL_SIG_SETMASK, ~(sl_sigset)0), 0);
	cr_assert_eq(blocked_of(p), ~SET(SL_SIGKILL, SL_SIGSTOP));
	cr_assert_eq(info_of(p).blocked, ~SET(SL_SIGKILL, SL_SIGSTOP));
}

/* The mask is per thread; a new thread starts with its creator's mask. */
Test(mask, threads_inherit_the_mask_and_then_keep_their_own)
{
	int p = proc(0, 0);
	int t;

	cr_assert_eq(mask_op(p, SL_SIG_BLOCK, SET(SL_SIGUSR1)), 0);
	t = thread(p);
	cr_assert_eq(blocked_of(t), SET(SL_SIGUSR1));
	cr_assert_eq(mask_op(t, SL_SIG_BLOCK, SET(SL_SIGUSR2)), 0);
	cr_assert_eq(blocked_of(p), SET(SL_SIGUSR1));
	cr_assert_eq(blocked_of(t), SET(SL_SIGUSR1, SL_SIGUSR2));
}

Test(mask, fork_inherits_the_mask_with_nothing_pending)
{
	int p = proc(0, 0);
	int c;

	cr_assert_eq(mask_op(p, SL_SIG_BLOCK, SET(SL_SIGUSR1)), 0);
	cr_assert_eq(kill_(p, p, SL_SIGUSR1), 0);
	c = (int)sl_sys_fork(K, p);
	CHECK();
	cr_assert_gt(c, 0);
	cr_assert_eq(blocked_of(c), SET(SL_SIGUSR1));
	cr_assert_eq(sigpending_of(c), 0);
	cr_assert_eq(sigpending_of(p), SET(SL_SIGUSR1));
}

/* rt_sigpending: (private | shared) & blocked, for the calling thread only.
 * checked on Linux 6.18 for the shared part (kill to self while blocked). */
Test(mask, sigpending_is_private_or_shared_and_blocked)
{
	int p = proc(0, 0);
	int t;

	cr_assert_eq(mask_op(p, SL_SIG_BLOCK, SET(SL_SIGUSR1, SL_SIGUSR2, SL_SIGHUP)), 0);
	t = thread(p);
	cr_assert_eq(tkill_(p, p, SL_SIGUSR1), 0);	/* main's private */
	cr_assert_eq(kill_(p, p, SL_SIGUSR2), 0);	/* shared */
	cr_assert_eq(tkill_(p, t, SL_SIGHUP), 0);	/* t's private */
	cr_assert_eq(sigpending_of(p), SET(SL_SIGUSR1, SL_SIGUSR2));
	cr_assert_eq(sigpending_of(t), SET(SL_SIGUSR2, SL_SIGHUP));
	cr_assert_eq(info_of(p).pending, SET(SL_SIGUSR1));
	cr_assert_eq(info_of(p).shared_pending, SET(SL_SIGUSR2));
	cr_assert_eq(info_of(t).pending, SET(SL_SIGHUP));
}

/* A pending signal that the thread does not block is not in its
 * sigpending, even before it is delivered. */
Test(mask, sigpending_leaves_out_unblocked_signals)
{
	int p = proc(0, 0);
	int t;

	cr_assert_eq(mask_op(p, SL_SIG_BLOCK, SET(SL_SIGUSR1)), 0);
	t = thread(p);
	cr_assert_eq(mask_op(t, SL_SIG_UNBLOCK, SET(SL_SIGUSR1)), 0);
	cr_assert_eq(set_action(p, SL_SIGUSR1, H1, 0, 0), 0);
	cr_assert_eq(kill_(p, p, SL_SIGUSR1), 0);
	cr_assert_eq(sigpending_of(p), SET(SL_SIGUSR1));
	cr_assert_eq(sigpending_of(t), 0);
}

Test(mask, unblocking_a_pending_signal_gives_the_thread_work)
{
	int p = proc(0, 0);

	cr_assert_eq(set_action(p, SL_SIGUSR1, H1, 0, 0), 0);
	cr_assert_eq(mask_op(p, SL_SIG_BLOCK, SET(SL_SIGUSR1)), 0);
	cr_assert_eq(kill_(p, p, SL_SIGUSR1), 0);
	cr_assert(!sl_task_has_work(K, p));
	cr_assert_eq(mask_op(p, SL_SIG_UNBLOCK, SET(SL_SIGUSR1)), 0);
	cr_assert(sl_task_has_work(K, p));
}

/* sgetmask/ssetmask (kernel/signal.c; absent on x86-64, modelled as the
 * generic syscalls): ssetmask returns the old mask and drops SIGKILL and
 * SIGSTOP from the new one. */
Test(mask, ssetmask_returns_the_old_mask_and_drops_kill_and_stop)
{
	int p = proc(0, 0);
	long newmask = (long)SET(SL_SIGINT, SL_SIGKILL, SL_SIGSTOP);

	cr_assert_eq(mask_op(p, SL_SIG_BLOCK, SET(SL_SIGHUP)), 0);
	cr_assert_eq(sl_sys_sgetmask(K, p), (long)SET(SL_SIGHUP));
	CHECK();
	cr_assert_eq(sl_sys_ssetmask(K, p, newmask), (long)SET(SL_SIGHUP));
	CHECK();
	cr_assert_eq(blocked_of(p), SET(SL_SIGINT));
	cr_assert_eq(sl_sys_sgetmask(K, p), (long)SET(SL_SIGINT));
	CHECK();
}
