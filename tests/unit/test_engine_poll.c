/* The waits on file descriptors (src/engine/poll.c: fs/select.c,
 * fs/eventpoll.c): their restart rules and temporary masks.  Checked on
 * the machine's kernel with `siglab diff` on tests/scenarios/poll-signals
 * and poll-restart-time. */
#include "helpers.h"

TEST_SUITE_FX(poll);

/* ppoll interrupted by a signal with a handler fails with EINTR, even
 * with SA_RESTART (-ERESTARTNOHAND); the frame saves the old mask. */
Test(poll, ppoll_fails_with_eintr_after_a_handler_and_restores_the_mask)
{
	int a = proc(0, 0), b = proc(0, 0);
	sl_sigset tmp = SET(SL_SIGINT);
	struct sl_ksignal ks;

	cr_assert_eq(set_action(a, SL_SIGUSR1, H1, SL_SA_RESTART, 0), 0);
	cr_assert_eq(mask_op(a, SL_SIG_BLOCK, SET(SL_SIGUSR2)), 0);
	cr_assert_eq(sl_sys_poll_wait(K, a, SL_POLL_PPOLL, &tmp, NULL), SL_SYSCALL_BLOCKED);
	cr_assert_eq(blocked_of(a), tmp);
	cr_assert_eq(kill_(b, a, SL_SIGUSR1), 0);
	cr_assert_eq(ret_user(a, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(ks.saved_mask, SET(SL_SIGUSR2));
	cr_assert_eq(sl_sys_rt_sigreturn(K, a), 0);
	CHECK();
	cr_assert_eq(blocked_of(a), SET(SL_SIGUSR2));
	cr_assert_eq(returned(), -SL_EINTR);
}

/* A stop and SIGCONT restart select, but end epoll_wait with EINTR. */
Test(poll, select_restarts_after_a_stop_and_epoll_wait_does_not)
{
	int a = child(), c = child(), b = proc(0, 0);

	cr_assert_eq(sl_sys_poll_wait(K, a, SL_POLL_SELECT, NULL, NULL), SL_SYSCALL_BLOCKED);
	cr_assert_eq(sl_sys_poll_wait(K, c, SL_POLL_EPOLL_WAIT, NULL, NULL), SL_SYSCALL_BLOCKED);
	cr_assert_eq(kill_(b, a, SL_SIGSTOP), 0);
	cr_assert_eq(ret_user(a, NULL), SL_DELIVER_STOPPED);
	cr_assert_eq(kill_(b, a, SL_SIGCONT), 0);
	drain(a, NULL, 0, NULL);
	CHECK();
	cr_assert(asleep(a));
	cr_assert_eq(kill_(b, c, SL_SIGSTOP), 0);
	cr_assert_eq(ret_user(c, NULL), SL_DELIVER_STOPPED);
	cr_assert_eq(kill_(b, c, SL_SIGCONT), 0);
	drain(c, NULL, 0, NULL);
	CHECK();
	cr_assert(!asleep(c));
	cr_assert_eq(returned(), -SL_EINTR);
}

/* A zero timeout: epoll_pwait returns 0 before it looks for a signal and
 * puts the old mask back at once; an invalid timespec is EINVAL. */
Test(poll, epoll_pwait_with_zero_timeout_returns_before_the_signal)
{
	int a = proc(0, 0), b = proc(0, 0);
	sl_sigset none = 0;
	struct sl_timespec zero = { 0, 0 }, bad = { 0, SL_NSEC_PER_SEC };

	cr_assert_eq(set_action(a, SL_SIGUSR1, H1, 0, 0), 0);
	cr_assert_eq(mask_op(a, SL_SIG_BLOCK, SET(SL_SIGUSR1)), 0);
	cr_assert_eq(kill_(b, a, SL_SIGUSR1), 0);
	cr_assert_eq(sl_sys_poll_wait(K, a, SL_POLL_EPOLL_PWAIT, &none, &zero), 0);
	CHECK();
	cr_assert_eq(blocked_of(a), SET(SL_SIGUSR1));
	cr_assert_eq(sl_sys_poll_wait(K, a, SL_POLL_PPOLL, &none, &bad), -SL_EINVAL);
	cr_assert_eq(blocked_of(a), SET(SL_SIGUSR1));
}
