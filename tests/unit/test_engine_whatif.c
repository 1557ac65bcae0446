/* What-if switches: seed 002's CONFIG_KILL_STOP_HANDLING and seed 003's
 * System V signals. */
#include "helpers.h"

TEST_SUITE_FX(whatif);

/* Seed 002: with SIG_KERNEL_ONLY_MASK empty, SIGKILL and SIGSTOP take a
 * handler like any other signal. */
Test(whatif, kill_stop_handling_lets_sigkill_and_sigstop_be_caught)
{
	int c;
	struct sl_ksignal ks;

	fx_remake(SL_CONFIG_KILL_STOP_HANDLING, 0);
	c = child();
	cr_assert_eq(set_action(c, SL_SIGKILL, H1, 0, 0), 0);
	cr_assert_eq(set_action(c, SL_SIGSTOP, H2, 0, 0), 0);
	cr_assert_eq(get_action(c, SL_SIGKILL).handler, H1);
	cr_assert_eq(kill_(c, c, SL_SIGKILL), 0);
	cr_assert_eq(ret_user(c, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(ks.sig, SL_SIGKILL);
	cr_assert_eq(sl_sys_rt_sigreturn(K, c), 0);
	CHECK();
	cr_assert_eq(kill_(c, c, SL_SIGSTOP), 0);
	cr_assert_eq(ret_user(c, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(ks.sig, SL_SIGSTOP);
	cr_assert_eq(info_of(c).state, SL_TASK_RUNNING);
}

/* Seed 002: rt_sigprocmask no longer removes SIGKILL and SIGSTOP. */
Test(whatif, kill_stop_handling_lets_sigkill_be_blocked)
{
	int c;

	fx_remake(SL_CONFIG_KILL_STOP_HANDLING, 0);
	c = child();
	cr_assert_eq(mask_op(c, SL_SIG_BLOCK, SET(SL_SIGKILL, SL_SIGSTOP)), 0);
	cr_assert_eq(blocked_of(c), SET(SL_SIGKILL, SL_SIGSTOP));
	cr_assert_eq(kill_(c, c, SL_SIGKILL), 0);
	cr_assert_eq(ret_user(c, NULL), SL_DELIVER_NONE);
	cr_assert_eq(info_of(c).state, SL_TASK_RUNNING);
	cr_assert_eq(sigpending_of(c), SET(SL_SIGKILL));
	cr_assert_eq(mask_op(c, SL_SIG_UNBLOCK, SET(SL_SIGKILL)), 0);
	cr_assert_eq(ret_user(c, NULL), SL_DELIVER_EXITED);
	cr_assert_eq(info_of(c).exit_code, SL_SIGKILL);
}

Test(whatif, kill_stop_handling_lets_sigkill_be_ignored)
{
	int c;

	fx_remake(SL_CONFIG_KILL_STOP_HANDLING, 0);
	c = child();
	cr_assert_eq(set_action(c, SL_SIGKILL, SL_SIG_IGN, 0, 0), 0);
	cr_assert_eq(kill_(c, c, SL_SIGKILL), 0);
	cr_assert_eq(rec_last(&REC, SL_EV_GENERATE)->result, SL_TRACE_IGNORED);
	cr_assert_eq(ret_user(c, NULL), SL_DELIVER_NONE);
	cr_assert_eq(info_of(c).state, SL_TASK_RUNNING);
}

/* Without the switch, the same calls keep Linux's rules. */
Test(whatif, without_the_switch_sigkill_stays_special)
{
	int c = child();

	cr_assert_eq(set_action(c, SL_SIGKILL, H1, 0, 0), -SL_EINVAL);
	cr_assert_eq(mask_op(c, SL_SIG_BLOCK, SET(SL_SIGKILL)), 0);
	cr_assert_eq(blocked_of(c), 0);
}

/* Seed 003: under System V semantics, sigaction behaves as signal(): the
 * handler is reset at delivery and the signal is not blocked while it
 * runs, so a second signal kills. */
Test(whatif, sysv_signals_reset_the_handler_and_do_not_block)
{
	int c;

	fx_remake(SL_CONFIG_SYSV_SIGNALS, 0);
	c = child();
	cr_assert_eq(set_action(c, SL_SIGUSR1, H1, 0, 0), 0);
	cr_assert_eq(kill_(c, c, SL_SIGUSR1), 0);
	cr_assert_eq(ret_user(c, NULL), SL_DELIVER_HANDLER);
	cr_assert_eq(blocked_of(c) & SET(SL_SIGUSR1), 0);
	cr_assert_eq(get_action(c, SL_SIGUSR1).handler, SL_SIG_DFL);
	cr_assert_eq(kill_(c, c, SL_SIGUSR1), 0);
	cr_assert_eq(ret_user(c, NULL), SL_DELIVER_EXITED);
	cr_assert_eq(info_of(c).exit_code, SL_SIGUSR1);
}

Test(whatif, without_sysv_signals_the_handler_stays)
{
	int c = child();

	cr_assert_eq(set_action(c, SL_SIGUSR1, H1, 0, 0), 0);
	cr_assert_eq(kill_(c, c, SL_SIGUSR1), 0);
	cr_assert_eq(ret_user(c, NULL), SL_DELIVER_HANDLER);
	cr_assert_eq(blocked_of(c), SET(SL_SIGUSR1));
	cr_assert_eq(sl_sys_rt_sigreturn(K, c), 0);
	CHECK();
	cr_assert_eq(kill_(c, c, SL_SIGUSR1), 0);
	cr_assert_eq(ret_user(c, NULL), SL_DELIVER_HANDLER);
	cr_assert_eq(get_action(c, SL_SIGUSR1).handler, H1);
}
