/* rt_sigaction, signal(2): do_sigaction's rules (kernel/signal.c). */
#include "helpers.h"

TEST_SUITE_FX(sigaction);

/* checked on Linux 6.18: rt_sigaction(SIGKILL/SIGSTOP, act) -> EINVAL, also
 * with act = SIG_IGN. */
Test(sigaction, sigkill_and_sigstop_with_act_are_einval)
{
	int p = proc(0, 0);

	cr_assert_eq(set_action(p, SL_SIGKILL, H1, 0, 0), -SL_EINVAL);
	cr_assert_eq(set_action(p, SL_SIGSTOP, SL_SIG_IGN, 0, 0), -SL_EINVAL);
	cr_assert_eq(set_action(p, SL_SIGKILL, SL_SIG_DFL, 0, 0), -SL_EINVAL);
	cr_assert_eq(get_action(p, SL_SIGKILL).handler, SL_SIG_DFL);
}

/* checked on Linux 6.18: rt_sigaction(SIGKILL, NULL, &oact) -> 0. */
Test(sigaction, sigkill_query_without_act_succeeds)
{
	int p = proc(0, 0);
	struct sl_sigaction o;

	cr_assert_eq(sl_sys_rt_sigaction(K, p, SL_SIGKILL, NULL, &o), 0);
	CHECK();
	cr_assert_eq(o.handler, SL_SIG_DFL);
	cr_assert_eq(sl_sys_rt_sigaction(K, p, SL_SIGSTOP, NULL, &o), 0);
	CHECK();
	cr_assert_eq(sl_sys_rt_sigaction(K, p, SL_SIGSTOP, NULL, NULL), 0);
	CHECK();
}

/* checked on Linux 6.18: rt_sigaction(0, NULL, &o) and (65, NULL, &o) ->
 * EINVAL; (64, NULL, &o) -> 0. */
Test(sigaction, signal_zero_and_65_are_einval_even_for_a_query)
{
	int p = proc(0, 0);
	struct sl_sigaction o;

	cr_assert_eq(sl_sys_rt_sigaction(K, p, 0, NULL, &o), -SL_EINVAL);
	CHECK();
	cr_assert_eq(sl_sys_rt_sigaction(K, p, 65, NULL, &o), -SL_EINVAL);
	CHECK();
	cr_assert_eq(sl_sys_rt_sigaction(K, p, -1, NULL, &o), -SL_EINVAL);
	CHECK();
	cr_assert_eq(set_action(p, 0, H1, 0, 0), -SL_EINVAL);
	cr_assert_eq(set_action(p, 65, H1, 0, 0), -SL_EINVAL);
	cr_assert_eq(set_action(p, SL_SIGRTMAX, H1, 0, 0), 0);
	cr_assert_eq(get_action(p, SL_SIGRTMAX).handler, H1);
}

Test(sigaction, oact_returns_the_previous_action)
{
	int p = proc(0, 0);
	struct sl_sigaction act = { .handler = H2, .flags = SL_SA_SIGINFO,
				    .mask = SET(SL_SIGINT), .restorer = 0x7000 };
	struct sl_sigaction o;

	cr_assert_eq(set_action(p, SL_SIGUSR1, H1, SL_SA_RESTART, SET(SL_SIGHUP)), 0);
	cr_assert_eq(sl_sys_rt_sigaction(K, p, SL_SIGUSR1, &act, &o), 0);
	CHECK();
	cr_assert_eq(o.handler, H1);
	cr_assert_eq(o.flags, SL_SA_RESTART);
	cr_assert_eq(o.mask, SET(SL_SIGHUP));
	o = get_action(p, SL_SIGUSR1);
	cr_assert_eq(o.handler, H2);
	cr_assert_eq(o.flags, SL_SA_SIGINFO);
	cr_assert_eq(o.mask, SET(SL_SIGINT));
	cr_assert_eq(o.restorer, 0x7000, "the restorer is kept and returned");
}

/* checked on Linux 6.18: setting sa_flags 0x16000d00 (0x100, SA_UNSUPPORTED,
 * SA_EXPOSE_TAGBITS, 0x2000000, SA_RESTORER, SA_RESTART) reads back as
 * 0x14000800: bits outside UAPI_SA_FLAGS are cleared, SA_UNSUPPORTED too. */
Test(sigaction, unknown_flag_bits_are_cleared)
{
	int p = proc(0, 0);
	uint64_t set = 0x100u | SL_SA_UNSUPPORTED | SL_SA_EXPOSE_TAGBITS |
		       0x2000000u | SL_SA_RESTORER | SL_SA_RESTART;

	cr_assert_eq(set_action(p, SL_SIGUSR1, H1, set, 0), 0);
	cr_assert_eq(get_action(p, SL_SIGUSR1).flags,
		     SL_SA_RESTORER | SL_SA_EXPOSE_TAGBITS | SL_SA_RESTART);
	cr_assert_eq(get_action(p, SL_SIGUSR1).flags, 0x14000800u);
}

/* checked on Linux 6.18: sa_mask {SIGINT, SIGKILL, SIGSTOP} reads back as
 * {SIGINT}. */
Test(sigaction, sigkill_and_sigstop_are_removed_from_sa_mask)
{
	int p = proc(0, 0);

	cr_assert_eq(set_action(p, SL_SIGUSR1, H1, 0,
				SET(SL_SIGINT, SL_SIGKILL, SL_SIGSTOP)), 0);
	cr_assert_eq(get_action(p, SL_SIGUSR1).mask, SET(SL_SIGINT));
}

/* checked on Linux 6.18: SIGUSR1 blocked and pending (private and shared);
 * setting SIG_IGN leaves rt_sigpending empty. */
Test(sigaction, setting_sig_ign_discards_pending_private_and_shared)
{
	int p = proc(0, 0);

	cr_assert_eq(set_action(p, SL_SIGUSR1, H1, 0, 0), 0);
	cr_assert_eq(mask_op(p, SL_SIG_BLOCK, SET(SL_SIGUSR1, SL_SIGRTMIN)), 0);
	cr_assert_eq(kill_(p, p, SL_SIGUSR1), 0);
	cr_assert_eq(tkill_(p, p, SL_SIGUSR1), 0);
	cr_assert_eq(sigqueue_(p, p, SL_SIGRTMIN, SL_SI_QUEUE, 1), 0);
	cr_assert_eq(sigqueue_(p, p, SL_SIGRTMIN, SL_SI_QUEUE, 2), 0);
	cr_assert_eq(sigpending_of(p), SET(SL_SIGUSR1, SL_SIGRTMIN));
	cr_assert_eq(set_action(p, SL_SIGUSR1, SL_SIG_IGN, 0, 0), 0);
	cr_assert_eq(set_action(p, SL_SIGRTMIN, SL_SIG_IGN, 0, 0), 0);
	cr_assert_eq(sigpending_of(p), 0);
	cr_assert_eq(info_of(p).pending, 0);
	cr_assert_eq(info_of(p).shared_pending, 0);
}

/* do_sigaction flushes the signal from the shared queue and from every
 * thread's private queue (kernel/signal.c, for_each_thread). */
Test(sigaction, setting_sig_ign_discards_pending_in_other_threads)
{
	int p = proc(0, 0);
	int t;

	cr_assert_eq(mask_op(p, SL_SIG_BLOCK, SET(SL_SIGUSR2)), 0);
	t = thread(p);
	cr_assert_eq(tkill_(p, t, SL_SIGUSR2), 0);
	cr_assert_eq(info_of(t).pending, SET(SL_SIGUSR2));
	cr_assert_eq(set_action(p, SL_SIGUSR2, SL_SIG_IGN, 0, 0), 0);
	cr_assert_eq(info_of(t).pending, 0);
	cr_assert_eq(sigpending_of(t), 0);
}

/* checked on Linux 6.18: SIGWINCH and SIGCONT blocked and pending with a
 * handler; setting SIG_DFL discards them (their default is to ignore).
 * SIGURG pending with SIG_DFL already is discarded by setting SIG_DFL
 * again. */
Test(sigaction, setting_sig_dfl_on_a_default_ignored_signal_discards_pending)
{
	int p = proc(0, 0);

	cr_assert_eq(mask_op(p, SL_SIG_BLOCK, SET(SL_SIGWINCH, SL_SIGCONT, SL_SIGURG,
						 SL_SIGCHLD)), 0);
	cr_assert_eq(set_action(p, SL_SIGWINCH, H1, 0, 0), 0);
	cr_assert_eq(set_action(p, SL_SIGCONT, H1, 0, 0), 0);
	cr_assert_eq(kill_(p, p, SL_SIGWINCH), 0);
	cr_assert_eq(kill_(p, p, SL_SIGCONT), 0);
	cr_assert_eq(kill_(p, p, SL_SIGURG), 0);
	cr_assert_eq(kill_(p, p, SL_SIGCHLD), 0);
	cr_assert_eq(sigpending_of(p), SET(SL_SIGWINCH, SL_SIGCONT, SL_SIGURG, SL_SIGCHLD));
	cr_assert_eq(set_action(p, SL_SIGWINCH, SL_SIG_DFL, 0, 0), 0);
	cr_assert_eq(set_action(p, SL_SIGCONT, SL_SIG_DFL, 0, 0), 0);
	cr_assert_eq(sigpending_of(p), SET(SL_SIGURG, SL_SIGCHLD));
	cr_assert_eq(set_action(p, SL_SIGURG, SL_SIG_DFL, 0, 0), 0);
	cr_assert_eq(sigpending_of(p), SET(SL_SIGCHLD));
}

Test(sigaction, setting_sig_dfl_on_a_terminating_signal_keeps_it_pending)
{
	int p = proc(0, 0);

	cr_assert_eq(set_action(p, SL_SIGTERM, H1, 0, 0), 0);
	cr_assert_eq(mask_op(p, SL_SIG_BLOCK, SET(SL_SIGTERM)), 0);
	cr_assert_eq(kill_(p, p, SL_SIGTERM), 0);
	cr_assert_eq(set_action(p, SL_SIGTERM, SL_SIG_DFL, 0, 0), 0);
	cr_assert_eq(set_action(p, SL_SIGTERM, H2, 0, 0), 0);
	cr_assert_eq(sigpending_of(p), SET(SL_SIGTERM));
}

/* CLONE_SIGHAND: one table of actions for the whole group. */
Test(sigaction, threads_share_dispositions)
{
	int p = proc(0, 0);
	int t = thread(p);

	cr_assert_eq(set_action(t, SL_SIGUSR1, H2, SL_SA_RESTART, 0), 0);
	cr_assert_eq(get_action(p, SL_SIGUSR1).handler, H2);
	cr_assert_eq(get_action(p, SL_SIGUSR1).flags, SL_SA_RESTART);
}

Test(sigaction, fork_inherits_dispositions)
{
	int p = proc(0, 0);
	int c;

	cr_assert_eq(set_action(p, SL_SIGUSR1, H1, SL_SA_SIGINFO, SET(SL_SIGINT)), 0);
	cr_assert_eq(set_action(p, SL_SIGUSR2, SL_SIG_IGN, 0, 0), 0);
	c = (int)sl_sys_fork(K, p);
	CHECK();
	cr_assert_gt(c, 0);
	cr_assert_eq(get_action(c, SL_SIGUSR1).handler, H1);
	cr_assert_eq(get_action(c, SL_SIGUSR1).mask, SET(SL_SIGINT));
	cr_assert_eq(get_action(c, SL_SIGUSR2).handler, SL_SIG_IGN);
	/* and they are copies: the child's change does not reach the parent */
	cr_assert_eq(set_action(c, SL_SIGUSR1, SL_SIG_DFL, 0, 0), 0);
	cr_assert_eq(get_action(p, SL_SIGUSR1).handler, H1);
}

/* signal(2) (kernel/signal.c sys_signal, absent on x86-64 but modelled):
 * SA_ONESHOT|SA_NOMASK, an empty mask, returns the old handler. */
Test(sigaction, raw_signal_sets_oneshot_nomask_and_returns_old_handler)
{
	int p = proc(0, 0);
	struct sl_sigaction o;

	cr_assert_eq(set_action(p, SL_SIGUSR1, H2, SL_SA_RESTART, SET(SL_SIGINT)), 0);
	cr_assert_eq(sl_sys_signal(K, p, SL_SIGUSR1, H1), (long)H2);
	CHECK();
	o = get_action(p, SL_SIGUSR1);
	cr_assert_eq(o.handler, H1);
	cr_assert_eq(o.flags, SL_SA_ONESHOT | SL_SA_NOMASK);
	cr_assert_eq(o.flags, 0xc0000000u);
	cr_assert_eq(o.mask, 0);
	cr_assert_eq(sl_sys_signal(K, p, SL_SIGUSR1, SL_SIG_DFL), (long)H1);
	CHECK();
}

Test(sigaction, raw_signal_refuses_sigkill_and_bad_numbers)
{
	int p = proc(0, 0);

	cr_assert_eq(sl_sys_signal(K, p, SL_SIGKILL, H1), -SL_EINVAL);
	CHECK();
	cr_assert_eq(sl_sys_signal(K, p, SL_SIGSTOP, SL_SIG_IGN), -SL_EINVAL);
	CHECK();
	cr_assert_eq(sl_sys_signal(K, p, 0, H1), -SL_EINVAL);
	CHECK();
	cr_assert_eq(sl_sys_signal(K, p, 65, H1), -SL_EINVAL);
	CHECK();
}
