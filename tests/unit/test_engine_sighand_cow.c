/*
 * Copy-on-write dispositions (src/engine/sighand.c): processes with
 * default actions share one sighand; the first change gives the changing
 * thread group its own, visible to all its threads and to nobody else.
 */
#include "helpers.h"

TEST_SUITE_FX(sighand_cow);

static uint64_t handler_of(int tid, int sig)
{
	struct sl_sigaction old;

	cr_assert_eq(sl_sys_rt_sigaction(K, tid, sig, NULL, &old), 0);
	return old.handler;
}

#define H 0x401000u

Test(sighand_cow, a_change_is_seen_by_the_group_only)
{
	int a = proc(0, 0), b = proc(0, 0), t = thread(a);

	cr_assert_eq(set_action(t, SL_SIGUSR1, H, 0, 0), 0);
	cr_assert_eq(handler_of(a, SL_SIGUSR1), H, "threads share their sighand");
	cr_assert_eq(handler_of(t, SL_SIGUSR1), H);
	cr_assert_eq(handler_of(b, SL_SIGUSR1), SL_SIG_DFL, "other processes keep the defaults");
	cr_assert_eq(set_action(b, SL_SIGUSR2, SL_SIG_IGN, 0, 0), 0);
	cr_assert_eq(handler_of(a, SL_SIGUSR2), SL_SIG_DFL);
	CHECK();
}

Test(sighand_cow, fork_copies_and_the_copies_are_independent)
{
	int a = proc(0, 0), plain, c;

	plain = (int)sl_sys_fork(K, a);
	cr_assert_gt(plain, 0);
	cr_assert_eq(set_action(a, SL_SIGUSR1, H, 0, 0), 0);
	cr_assert_eq(handler_of(plain, SL_SIGUSR1), SL_SIG_DFL,
		     "a child forked before the change keeps the defaults");
	c = (int)sl_sys_fork(K, a);
	cr_assert_gt(c, 0);
	cr_assert_eq(handler_of(c, SL_SIGUSR1), H, "a child forked after it inherits it");
	cr_assert_eq(set_action(c, SL_SIGUSR1, SL_SIG_DFL, 0, 0), 0);
	cr_assert_eq(handler_of(a, SL_SIGUSR1), H, "and changes it on its own");
	CHECK();
}

Test(sighand_cow, setting_what_is_already_there_changes_nothing_and_delivers_alike)
{
	int a = proc(0, 0), b = proc(0, 0);

	cr_assert_eq(set_action(b, SL_SIGUSR1, SL_SIG_DFL, 0, 0), 0);
	cr_assert_eq(kill_(a, b, SL_SIGUSR1), 0);
	cr_assert_eq(ret_user(b, NULL), SL_DELIVER_EXITED, "SIGUSR1's default kills");
	cr_assert_eq(handler_of(a, SL_SIGUSR1), SL_SIG_DFL);
	CHECK();
}
