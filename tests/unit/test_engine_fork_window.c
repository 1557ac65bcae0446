/* The fork window: a signal that arrives while a fork is in progress
 * (kernel/fork.c copy_process, the multiprocess list; kernel/signal.c
 * __send_signal_locked).  sl_sys_clone_begin .. sl_sys_clone_finish. */
#include "helpers.h"

TEST_SUITE_FX(fork_window);

static int begin(int tid)
{
	int r = (int)sl_sys_clone_begin(K, tid, 0, SL_SIGCHLD);

	CHECK();
	return r;
}

static int finish(int tid)
{
	int r = (int)sl_sys_clone_finish(K, tid);

	CHECK();
	return r;
}

Test(fork_window, a_fork_with_nothing_between_its_halves_is_a_fork)
{
	int p = proc(0, 0), c;

	cr_assert_eq(set_action(p, SL_SIGUSR1, H1, 0, 0), 0);
	cr_assert_eq(mask_op(p, SL_SIG_BLOCK, SET(SL_SIGUSR2)), 0);
	cr_assert_eq(begin(p), 0);
	cr_assert(sl_task_in_fork(K, p));
	c = finish(p);
	cr_assert_gt(c, 0);
	cr_assert(!sl_task_in_fork(K, p));
	cr_assert_eq(get_action(c, SL_SIGUSR1).handler, H1);
	cr_assert_eq(blocked_of(c), SET(SL_SIGUSR2));
	cr_assert_eq(info_of(c).shared_pending, 0);
}

/* A signal deliverable before copy_process starts is the parent's alone:
 * the fork does not begin, and restarts after the signal is taken. */
Test(fork_window, a_deliverable_signal_at_the_start_restarts_the_fork)
{
	int p = proc(0, 0);
	int other = proc(0, 0);

	cr_assert_eq(set_action(p, SL_SIGUSR1, H1, 0, 0), 0);
	cr_assert_eq(kill_(other, p, SL_SIGUSR1), 0);
	cr_assert_eq(begin(p), -SL_ERESTARTNOINTR);
	cr_assert(!sl_task_in_fork(K, p));
	cr_assert_eq(ret_user(p, NULL), SL_DELIVER_HANDLER);
}

/* A blocked signal does not stop a fork from starting. */
Test(fork_window, a_blocked_pending_signal_does_not_restart_the_fork)
{
	int p = proc(0, 0);
	int other = proc(0, 0);

	cr_assert_eq(mask_op(p, SL_SIG_BLOCK, SET(SL_SIGUSR1)), 0);
	cr_assert_eq(kill_(other, p, SL_SIGUSR1), 0);
	cr_assert_eq(begin(p), 0);
	cr_assert_gt(finish(p), 0);
}

/* A process-group signal sent inside the window reaches the child too,
 * pending in its shared set, and without siginfo. */
Test(fork_window, a_process_group_signal_in_the_window_reaches_the_child)
{
	int p = proc(0, 0), other = proc(0, 0), c;
	struct sl_ksignal ks;

	cr_assert_eq(set_action(p, SL_SIGUSR1, H1, 0, 0), 0);
	cr_assert_eq(begin(p), 0);
	cr_assert_eq(kill_(other, -p, SL_SIGUSR1), 0);
	CHECK();
	c = finish(p);
	cr_assert_gt(c, 0);
	cr_assert_eq(info_of(c).shared_pending, SET(SL_SIGUSR1));
	cr_assert(sl_task_has_work(K, c));
	cr_assert_eq(ret_user(c, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(ks.sig, SL_SIGUSR1);
	cr_assert_eq(ks.info.code, SL_SI_USER);
	cr_assert_eq(ks.info.pid, 0);
	/* the parent has its own instance, with siginfo */
	cr_assert_eq(ret_user(p, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(ks.info.pid, other);
}

/* kill(0) from a member and kill(-1) are as wide as kill(-pgid). */
Test(fork_window, kill_minus_one_in_the_window_reaches_the_child)
{
	int p = proc(0, 0), other = proc(0, 0), c;

	cr_assert_eq(mask_op(p, SL_SIG_BLOCK, SET(SL_SIGUSR2)), 0);
	cr_assert_eq(begin(p), 0);
	cr_assert_eq(kill_(other, -1, SL_SIGUSR2), 0);
	c = finish(p);
	cr_assert_gt(c, 0);
	cr_assert_eq(info_of(c).shared_pending, SET(SL_SIGUSR2));
}

/* A signal for the parent alone waits for the fork to return; the fork
 * is not restarted and the child does not get it. */
Test(fork_window, a_signal_for_the_parent_alone_does_not_restart_the_fork)
{
	int p = proc(0, 0), other = proc(0, 0), c;

	cr_assert_eq(set_action(p, SL_SIGUSR1, H1, 0, 0), 0);
	cr_assert_eq(begin(p), 0);
	cr_assert_eq(kill_(other, p, SL_SIGUSR1), 0);
	c = finish(p);
	cr_assert_gt(c, 0);
	cr_assert_eq(info_of(c).shared_pending, 0);
	cr_assert(!sl_task_has_work(K, c));
	cr_assert_eq(ret_user(p, NULL), SL_DELIVER_HANDLER);
}

/* A fatal signal ends the fork with EINTR: no child. */
Test(fork_window, sigkill_in_the_window_fails_the_fork_with_eintr)
{
	int p = proc(0, 0), other = proc(0, 0);

	cr_assert_eq(begin(p), 0);
	cr_assert_eq(kill_(other, -p, SL_SIGKILL), 0);
	cr_assert_eq(finish(p), -SL_EINTR);
	cr_assert(!sl_task_in_fork(K, p));
	cr_assert_eq(ret_user(p, NULL), SL_DELIVER_EXITED);
	/* no child was made: the next tid is still free */
	cr_assert_eq(info_of(other).state, SL_TASK_RUNNING);
	cr_assert_neq(sl_task_info(K, other + 1, &(struct sl_task_info){ 0 }), 0);
}

/* A signal already pending in the parent's shared set is not queued
 * again, so the child does not get it either (legacy_queue comes first). */
Test(fork_window, an_already_pending_group_signal_is_not_delayed)
{
	int p = proc(0, 0), other = proc(0, 0), c;

	cr_assert_eq(mask_op(p, SL_SIG_BLOCK, SET(SL_SIGUSR1)), 0);
	cr_assert_eq(kill_(other, -p, SL_SIGUSR1), 0);
	cr_assert_eq(begin(p), 0);
	cr_assert_eq(kill_(other, -p, SL_SIGUSR1), 0);
	c = finish(p);
	cr_assert_eq(info_of(c).shared_pending, 0);
}

/* A stop signal and SIGCONT are never delayed together. */
Test(fork_window, sigcont_in_the_window_discards_a_delayed_stop)
{
	int p = proc(0, 0), other = proc(0, 0), c;

	cr_assert_eq(set_action(p, SL_SIGTSTP, H1, 0, 0), 0);
	cr_assert_eq(set_action(p, SL_SIGCONT, H2, 0, 0), 0);
	cr_assert_eq(begin(p), 0);
	cr_assert_eq(kill_(other, -p, SL_SIGTSTP), 0);
	cr_assert_eq(kill_(other, -p, SL_SIGCONT), 0);
	c = finish(p);
	cr_assert_eq(info_of(c).shared_pending, SET(SL_SIGCONT));
}

/* A new thread is not on the multiprocess list: nothing is delayed. */
Test(fork_window, a_thread_clone_delays_nothing)
{
	int p = proc(0, 0), other = proc(0, 0), t;

	cr_assert_eq(mask_op(p, SL_SIG_BLOCK, SET(SL_SIGUSR1)), 0);
	cr_assert_eq(sl_sys_clone_begin(K, p, SL_CLONE_THREAD | SL_CLONE_SIGHAND | SL_CLONE_VM, 0), 0);
	CHECK();
	cr_assert_eq(kill_(other, -p, SL_SIGUSR1), 0);
	t = finish(p);
	cr_assert_gt(t, 0);
	cr_assert_eq(info_of(t).tgid, p);
	cr_assert_eq(info_of(t).pending, 0);
}

Test(fork_window, misuse_is_an_errno)
{
	int p = proc(0, 0);

	cr_assert_eq(finish(p), -SL_EINVAL);
	cr_assert_eq(begin(p), 0);
	cr_assert_eq(begin(p), -SL_EINVAL);
	cr_assert_eq(sl_sys_fork(K, p), -SL_EINVAL);
	cr_assert_eq(sl_sys_clone_begin(K, 999, 0, SL_SIGCHLD), -SL_ESRCH);
	cr_assert_eq(sl_sys_clone_begin(K, p, 0, -1), -SL_EINVAL);
	cr_assert_gt(finish(p), 0);
}

/* A task in the window is inside clone: it cannot also sleep in
 * sigsuspend or send a signal (found by fuzz_engine: a traced parent asleep
 * in sigsuspend then took its fork event stop while still asleep). */
Test(fork_window, the_forking_task_makes_no_other_call)
{
	int p = proc(0, 0), c;
	sl_sigset none = 0;

	cr_assert_eq(begin(p), 0);
	cr_assert_eq(sl_sys_rt_sigsuspend(K, p, &none), -SL_ESRCH);
	cr_assert_eq(sl_sys_kill(K, p, p, SL_SIGUSR1), -SL_ESRCH);
	CHECK();
	cr_assert_eq(info_of(p).shared_pending, 0);
	c = finish(p);
	cr_assert_gt(c, 0);
	cr_assert_eq(sl_sys_kill(K, p, c, 0), 0);
}
