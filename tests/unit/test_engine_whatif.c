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

/* Seed 002 and ptrace: a blocked SIGKILL is pending, so the tracee may not
 * stop for a signal (ptrace_stop), yet no group exit began.  Linux would
 * queue the signal again and dequeue it again forever; the model delivers
 * it untraced (the DEVIATION in ptrace.c's ptrace_signal).  The handler's
 * frame unblocks SIGKILL (set_current_blocked never keeps it blocked),
 * so it is then deliverable: TIF_SIGPENDING (block_more_signals). */
Test(whatif, a_tracee_with_a_blocked_sigkill_gets_its_signals_untraced)
{
	int tracer, c;
	struct sl_ksignal ks;

	fx_remake(SL_CONFIG_KILL_STOP_HANDLING, 0);
	tracer = proc(0, 0);
	c = proc(tracer, 0);
	cr_assert_eq(sl_sys_ptrace(K, tracer, SL_PTRACE_SEIZE, c, 0, 0), 0);
	cr_assert_eq(set_action(c, SL_SIGUSR1, H1, 0, 0), 0);
	cr_assert_eq(mask_op(c, SL_SIG_BLOCK, SET(SL_SIGKILL)), 0);
	cr_assert_eq(tkill_(c, c, SL_SIGKILL), 0);
	cr_assert_eq(tkill_(c, c, SL_SIGUSR1), 0);
	cr_assert_eq(ret_user(c, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(ks.sig, SL_SIGUSR1);
	cr_assert(info_of(c).pending & SET(SL_SIGKILL), "still pending, unblocked by the frame");
	CHECK();
}
