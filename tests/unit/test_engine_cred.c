/* User ids: setuid, setreuid, setresuid, getresuid (kernel/sys.c) and
 * what signals read of them, kill_ok_by_cred (kernel/signal.c). */
#include "helpers.h"

TEST_SUITE_FX(cred);

static void ids(int t, uint32_t r, uint32_t e, uint32_t s)
{
	uint32_t ir, ie, is;

	cr_assert_eq(sl_sys_getresuid(K, t, &ir, &ie, &is), 0);
	cr_assert_eq(ir, r);
	cr_assert_eq(ie, e);
	cr_assert_eq(is, s);
}

Test(cred, root_setuid_sets_all_three_and_loses_cap_kill)
{
	int a = proc(0, 0), b = proc(0, 2000);

	cr_assert_eq(sl_sys_setuid(K, a, 1000), 0);
	ids(a, 1000, 1000, 1000);
	cr_assert_eq(kill_(a, b, SL_SIGUSR1), -SL_EPERM);
	cr_assert_eq(sl_sys_setuid(K, a, 0), -SL_EPERM);
	CHECK();
}

Test(cred, unprivileged_setuid_moves_only_the_effective_uid)
{
	int a = proc(0, 0);

	cr_assert_eq(sl_sys_setresuid(K, a, 1000, 2000, 3000), 0);
	cr_assert_eq(sl_sys_setuid(K, a, 3000), 0);
	ids(a, 1000, 3000, 3000);
	cr_assert_eq(sl_sys_setuid(K, a, 2000), -SL_EPERM);
	cr_assert_eq(sl_sys_setuid(K, a, UINT32_MAX), -SL_EINVAL);
	CHECK();
}

Test(cred, kill_needs_target_real_or_saved_uid_never_its_effective)
{
	int w = proc(0, 0), v = proc(0, 2000), u = proc(0, 1000);

	cr_assert_eq(sl_sys_setresuid(K, w, 1000, 2000, 3000), 0);
	cr_assert_eq(kill_(v, w, SL_SIGUSR1), -SL_EPERM);
	cr_assert_eq(kill_(u, w, SL_SIGCONT), 0);
	CHECK();
}

Test(cred, a_new_effective_uid_clears_the_parent_death_signal)
{
	int a = proc(0, 0);
	int v = 0;

	cr_assert_eq(sl_sys_prctl(K, a, SL_PR_SET_PDEATHSIG, SL_SIGHUP, NULL), 0);
	cr_assert_eq(sl_sys_setreuid(K, a, UINT32_MAX, 0), 0);
	cr_assert_eq(sl_sys_prctl(K, a, SL_PR_GET_PDEATHSIG, 0, &v), 0);
	cr_assert_eq(v, SL_SIGHUP);
	cr_assert_eq(sl_sys_setreuid(K, a, UINT32_MAX, 1000), 0);
	ids(a, 0, 1000, 1000);
	cr_assert_eq(sl_sys_prctl(K, a, SL_PR_GET_PDEATHSIG, 0, &v), 0);
	cr_assert_eq(v, 0);
	CHECK();
}
