/* Every enum and flag argument of the API, out of its range, is refused as
 * Linux refuses it (-EINVAL, or the errno Linux gives first), or dropped
 * where Linux drops it (sigaction's unknown sa_flags bits); never taken as
 * some other value.  The spawn kind is in test_engine_limits.c. */
#include "helpers.h"

TEST_SUITE_FX(args);

Test(args, kernel_new_refuses_an_unknown_what_if_switch)
{
	struct sl_config cfg = { .what_if = 0x80 };
	sl_kernel *k = (sl_kernel *)&cfg;

	cr_assert_eq(sl_kernel_new(&cfg, &k), -SL_EINVAL);
	cr_assert_null(k);
	cfg.what_if = SL_CONFIG_KILL_STOP_HANDLING | SL_CONFIG_SYSV_SIGNALS;
	cr_assert_eq(sl_kernel_new(&cfg, &k), 0);
	sl_kernel_free(k);
	/* A NULL out is a misuse of the API: asserted in these debug
	 * builds (test_engine_abi.c says the same). */
}

Test(args, sigprocmask_how)
{
	int a = proc(0, 0);
	sl_sigset set = sl_sigmask(SL_SIGUSR1), old;

	cr_assert_eq(sl_sys_rt_sigprocmask(K, a, 3, &set, &old), -SL_EINVAL);
	cr_assert_eq(sl_sys_rt_sigprocmask(K, a, -1, &set, &old), -SL_EINVAL);
	cr_assert_eq(sl_sys_rt_sigprocmask(K, a, SL_SIG_BLOCK, &set, &old), 0);
	CHECK();
}

Test(args, sigaction_drops_unknown_flag_bits)
{
	int a = proc(0, 0);
	struct sl_sigaction act = { .handler = 100, .flags = 0x00100000u | SL_SA_NODEFER }, old;

	cr_assert_eq(sl_sys_rt_sigaction(K, a, SL_SIGUSR1, &act, NULL), 0);
	cr_assert_eq(sl_sys_rt_sigaction(K, a, SL_SIGUSR1, NULL, &old), 0);
	cr_assert_eq(old.flags, SL_SA_NODEFER, "flags %#llx", (unsigned long long)old.flags);
	cr_assert_eq(sl_sys_rt_sigaction(K, a, 65, &act, NULL), -SL_EINVAL);
	cr_assert_eq(sl_sys_rt_sigaction(K, a, 0, &act, NULL), -SL_EINVAL);
	CHECK();
}

Test(args, pidfd_flags)
{
	int a = proc(0, 0);
	long fd;

	cr_assert_eq(sl_sys_pidfd_open(K, a, a, 0x1234), -SL_EINVAL);
	fd = sl_sys_pidfd_open(K, a, a, 0);
	cr_assert_geq(fd, 0);
	cr_assert_eq(sl_sys_pidfd_send_signal(K, a, (int)fd, 0, NULL, 0x77), -SL_EINVAL);
	cr_assert_eq(sl_sys_pidfd_send_signal(K, a, (int)fd, 0, NULL, 0), 0);
	CHECK();
}

Test(args, wait_options_and_idtype)
{
	int a = proc(0, 0);

	cr_assert_eq(sl_sys_wait4(K, a, -1, NULL, 0x100u), -SL_EINVAL);
	cr_assert_eq(sl_sys_wait4(K, a, -1, NULL, 0), -SL_ECHILD);
	cr_assert_eq(sl_sys_waitid(K, a, 77, 0, NULL, SL_WEXITED), -SL_EINVAL);
	cr_assert_eq(sl_sys_waitid(K, a, SL_P_ALL, 0, NULL, 0), -SL_EINVAL);
	cr_assert_eq(sl_sys_waitid(K, a, SL_P_ALL, 0, NULL, SL_WEXITED | 0x10000000u), -SL_EINVAL);
	cr_assert_eq(sl_sys_waitid(K, a, SL_P_ALL, 0, NULL, SL_WEXITED), -SL_ECHILD);
	CHECK();
}

Test(args, prctl_option)
{
	int a = proc(0, 0), out = 0;

	cr_assert_eq(sl_sys_prctl(K, a, 9999, 0, &out), -SL_EINVAL);
	cr_assert_eq(sl_sys_prctl(K, a, SL_PR_SET_PDEATHSIG, 99, &out), -SL_EINVAL);
	CHECK();
}

Test(args, itimer_which)
{
	int a = proc(0, 0);
	struct sl_itimerspec it = { 0, 0 };

	cr_assert_eq(sl_sys_setitimer(K, a, 7, &it, NULL), -SL_EINVAL);
	cr_assert_eq(sl_sys_setitimer(K, a, -1, &it, NULL), -SL_EINVAL);
	cr_assert_eq(sl_sys_getitimer(K, a, 7, &it), -SL_EINVAL);
	cr_assert_eq(sl_sys_timer_create(K, a, 99, 0), -SL_EINVAL);
	CHECK();
}

Test(args, sigaltstack_flags)
{
	int a = proc(0, 0);
	struct sl_stack ss = { .sp = 0x10000, .flags = 0x77, .size = 65536 };

	cr_assert_eq(sl_sys_sigaltstack(K, a, &ss, NULL), -SL_EINVAL);
	ss.flags = SL_SS_AUTODISARM;
	cr_assert_eq(sl_sys_sigaltstack(K, a, &ss, NULL), 0);
	CHECK();
}

Test(args, wait_event_state)
{
	int a = proc(0, 0);

	cr_assert_eq(sl_sys_wait_event(K, a, 1, (enum sl_sleep_state)77), -SL_EINVAL);
	cr_assert_eq(sl_sys_wait_event(K, a, 1, (enum sl_sleep_state)0), -SL_EINVAL);
	CHECK();
}

Test(args, clone_exit_signal)
{
	int a = proc(0, 0);

	cr_assert_eq(sl_sys_clone(K, a, 0, 200), -SL_EINVAL);
	cr_assert_eq(sl_sys_clone_begin(K, a, 0, 65), -SL_EINVAL);
	CHECK();
}

Test(args, signal_numbers)
{
	int a = proc(0, 0);

	cr_assert_eq(sl_fault(K, a, 99, 1, 0), -SL_EINVAL);
	cr_assert_eq(sl_fault(K, a, 0, 1, 0), -SL_EINVAL);
	cr_assert_eq(sl_sys_kill(K, a, a, 65), -SL_EINVAL);
	cr_assert_eq(sl_sys_kill(K, a, a, -1), -SL_EINVAL);
	cr_assert_eq(sl_kthread_allow_signal(K, a, 99), -SL_EINVAL);
	CHECK();
}

Test(args, arch_lookups_of_an_unknown_arch)
{
	cr_assert_null(sl_arch_name((enum sl_arch)77));
	cr_assert_null(sl_arch_name(SL_ARCH_COUNT));
	cr_assert_eq(sl_arch_signal_number((enum sl_arch)77, SL_SIGUSR1), 0);
	cr_assert_eq(sl_arch_signal_number(SL_ARCH_X86, 99), 0);
	cr_assert_eq(sl_arch_from_name("vax"), -1);
}
