/* Resource limits and core dumps: prlimit64's rules (kernel/sys.c
 * do_prlimit, check_prlimit_permission), RLIMIT_CPU on CPU time
 * (posix-cpu-timers.c check_process_timers), RLIMIT_FSIZE
 * (mm/filemap.c generic_write_check_limits), RLIMIT_SIGPENDING per
 * receiver, and the Core action (fs/coredump.c).  The scenarios
 * tests/scenarios/rlimit-*.scn and core-dump-*.scn check the same against
 * the kernel. */
#include "helpers.h"

TEST_SUITE_FX(rlimit);

static void run(int tid)
{
	if (sl_task_has_work(K, tid))
		(void)ret_user(tid, NULL);
	CHECK();
}

Test(rlimit, a_process_starts_with_core_0_and_no_cpu_or_file_limit)
{
	int p = proc(0, 1000);
	struct sl_rlimit r;

	cr_assert_eq(sl_sys_prlimit64(K, p, 0, SL_RLIMIT_CORE, NULL, &r), 0);
	cr_assert_eq(r.cur, 0);
	cr_assert_eq(r.max, SL_RLIM_INFINITY);
	cr_assert_eq(sl_sys_prlimit64(K, p, 0, SL_RLIMIT_CPU, NULL, &r), 0);
	cr_assert_eq(r.cur, SL_RLIM_INFINITY);
	cr_assert_eq(sl_sys_prlimit64(K, p, 0, SL_RLIMIT_SIGPENDING, NULL, &r), 0);
	cr_assert_eq(r.cur, SL_DEFAULT_RLIMIT_SIGPENDING);
}

Test(rlimit, prlimit_errors_in_the_kernels_order)
{
	int u = proc(0, 1000), v = proc(0, 1000), w = proc(0, 2000), root = proc(0, 0);
	struct sl_rlimit nl = { 10, 5 }, ok = { 10, 100 }, up = { 10, 200 }, r;

	cr_assert_eq(sl_sys_prlimit64(K, u, 0, SL_RLIM_NLIMITS, NULL, &r), -SL_EINVAL);
	cr_assert_eq(sl_sys_prlimit64(K, u, 0, SL_RLIMIT_FSIZE, &nl, NULL), -SL_EINVAL);
	cr_assert_eq(sl_sys_prlimit64(K, u, 0, SL_RLIMIT_FSIZE, &ok, NULL), 0);
	/* raising the hard limit: root only */
	cr_assert_eq(sl_sys_prlimit64(K, u, 0, SL_RLIMIT_FSIZE, &up, NULL), -SL_EPERM);
	/* another process of the same uid: allowed; another uid: EPERM
	 * before the resource is looked at */
	cr_assert_eq(sl_sys_prlimit64(K, u, v, SL_RLIMIT_FSIZE, &ok, &r), 0);
	cr_assert_eq(r.cur, SL_RLIM_INFINITY);
	cr_assert_eq(sl_sys_prlimit64(K, u, w, SL_RLIM_NLIMITS, NULL, &r), -SL_EPERM);
	cr_assert_eq(sl_sys_prlimit64(K, root, w, SL_RLIM_NLIMITS, NULL, &r), -SL_EINVAL);
	cr_assert_eq(sl_sys_prlimit64(K, u, 99999, SL_RLIMIT_CPU, NULL, &r), -SL_ESRCH);
	CHECK();
}

/* Credentials are per thread: after the leader's own setuid, its thread
 * (still uid 0) is another task with other ids, and the leader, without
 * CAP_SYS_RESOURCE now, may not name it; each may name itself (siglab
 * fuzz seed 704267; tests/scenarios/prlimit-thread-cred). */
Test(rlimit, prlimit_permission_is_per_thread)
{
	int p = proc(0, 0), t = thread(p);
	struct sl_rlimit r;

	cr_assert_eq(sl_sys_setuid(K, p, 1000), 0);
	cr_assert_eq(sl_sys_prlimit64(K, p, 0, SL_RLIMIT_CPU, NULL, &r), 0);
	cr_assert_eq(sl_sys_prlimit64(K, p, p, SL_RLIMIT_CPU, NULL, &r), 0);
	cr_assert_eq(sl_sys_prlimit64(K, t, t, SL_RLIMIT_CPU, NULL, &r), 0);
	cr_assert_eq(sl_sys_prlimit64(K, p, t, SL_RLIMIT_CPU, NULL, &r), -SL_EPERM);
	/* the thread keeps euid 0, so CAP_SYS_RESOURCE */
	cr_assert_eq(sl_sys_prlimit64(K, t, p, SL_RLIMIT_CPU, NULL, &r), 0);
	CHECK();
}

Test(rlimit, fork_copies_the_limits)
{
	int p = proc(0, 0), c;
	struct sl_rlimit nl = { 4096, SL_RLIM_INFINITY }, r;

	cr_assert_eq(sl_sys_prlimit64(K, p, 0, SL_RLIMIT_CORE, &nl, NULL), 0);
	c = (int)sl_sys_fork(K, p);
	cr_assert_gt(c, 0);
	cr_assert_eq(sl_sys_prlimit64(K, c, 0, SL_RLIMIT_CORE, NULL, &r), 0);
	cr_assert_eq(r.cur, 4096);
}

/* Copy-on-write (rlimit.c): processes share init's limits until one
 * changes a limit; a change is its own, and its children's copies are
 * theirs. */
Test(rlimit, a_change_is_the_changers_and_its_later_childrens_only)
{
	int p = proc(0, 0), q = proc(0, 0), before, after;
	struct sl_rlimit nl = { 4096, SL_RLIM_INFINITY }, two = { 2, 2 }, r;

	before = (int)sl_sys_fork(K, p);
	cr_assert_gt(before, 0);
	cr_assert_eq(sl_sys_prlimit64(K, p, 0, SL_RLIMIT_CORE, &nl, NULL), 0);
	after = (int)sl_sys_fork(K, p);
	cr_assert_gt(after, 0);
	cr_assert_eq(sl_sys_prlimit64(K, q, 0, SL_RLIMIT_CORE, NULL, &r), 0);
	cr_assert_eq(r.cur, 0, "another process keeps init's limits");
	cr_assert_eq(sl_sys_prlimit64(K, before, 0, SL_RLIMIT_CORE, NULL, &r), 0);
	cr_assert_eq(r.cur, 0, "a child forked before the change keeps them");
	cr_assert_eq(sl_sys_prlimit64(K, after, 0, SL_RLIMIT_CORE, &two, NULL), 0);
	cr_assert_eq(sl_sys_prlimit64(K, p, 0, SL_RLIMIT_CORE, NULL, &r), 0);
	cr_assert_eq(r.cur, 4096, "the child's change is its own");
	CHECK();
}

Test(rlimit, cpu_soft_limit_sends_sigxcpu_every_second_then_sigkill_at_hard)
{
	int p = proc(0, 0);
	struct sl_rlimit nl = { 1, 3 }, r;
	const struct sl_event *ev;

	cr_assert_eq(sl_sys_prlimit64(K, p, 0, SL_RLIMIT_CPU, &nl, NULL), 0);
	cr_assert_eq(sl_cpu_run(K, p, 5 * SL_NSEC_PER_SEC), SL_NSEC_PER_SEC);
	ev = rec_last(&REC, SL_EV_GENERATE);
	cr_assert(ev && ev->sig == SL_SIGXCPU);
	cr_assert_eq(sl_sys_prlimit64(K, p, 0, SL_RLIMIT_CPU, NULL, &r), 0);
	cr_assert_eq(r.cur, 2, "the soft limit moves up a second");
	/* SIGXCPU ignored: the next one a second later, then SIGKILL */
	cr_assert_eq(sl_sys_signal(K, p, SL_SIGXCPU, SL_SIG_IGN), 0);
	run(p);
	cr_assert_eq(sl_cpu_run(K, p, 5 * SL_NSEC_PER_SEC), SL_NSEC_PER_SEC);
	cr_assert_eq(sl_cpu_run(K, p, 5 * SL_NSEC_PER_SEC), SL_NSEC_PER_SEC);
	ev = rec_last(&REC, SL_EV_GENERATE);
	cr_assert(ev && ev->sig == SL_SIGKILL);
	cr_assert_eq(sl_cpu_time(K, p), 3 * SL_NSEC_PER_SEC);
	run(p);
	cr_assert_eq(info_of(p).state, SL_TASK_ZOMBIE);
}

Test(rlimit, pwrite_past_fsize_is_efbig_with_sigxfsz_to_the_writer)
{
	int p = proc(0, 0);
	struct sl_rlimit nl = { 1000, SL_RLIM_INFINITY };
	const struct sl_event *ev;

	cr_assert_eq(sl_sys_pwrite64(K, p, 0, 2000), 2000);
	cr_assert_eq(sl_sys_prlimit64(K, p, 0, SL_RLIMIT_FSIZE, &nl, NULL), 0);
	cr_assert_eq(sl_sys_pwrite64(K, p, 900, 200), 100);
	cr_assert_eq(sl_sys_pwrite64(K, p, 1000, 0), 0);
	cr_assert_eq(sl_sys_pwrite64(K, p, -1, 1), -SL_EINVAL);
	cr_assert_eq(rec_count(&REC, SL_EV_GENERATE, SL_SIGXFSZ), 0);
	cr_assert_eq(sl_sys_pwrite64(K, p, 1000, 1), -SL_EFBIG);
	ev = rec_last(&REC, SL_EV_GENERATE);
	cr_assert(ev && ev->sig == SL_SIGXFSZ);
	run(p);
	cr_assert_eq(info_of(p).state, SL_TASK_ZOMBIE);
	cr_assert(!info_of(p).core_dumped, "RLIMIT_CORE 0: no core");
}

Test(rlimit, sigpending_is_the_receivers_limit)
{
	int s = proc(0, 0), r = proc(0, 1000);
	struct sl_rlimit zero = { 0, 0 };
	struct sl_siginfo info = { .signo = SL_SIGRTMIN, .code = SL_SI_QUEUE };
	sl_sigset m = sl_sigmask(SL_SIGRTMIN);

	cr_assert_eq(sl_sys_rt_sigprocmask(K, r, SL_SIG_BLOCK, &m, NULL), 0);
	cr_assert_eq(sl_sys_prlimit64(K, r, 0, SL_RLIMIT_SIGPENDING, &zero, NULL), 0);
	cr_assert_eq(sl_sys_rt_sigqueueinfo(K, s, r, SL_SIGRTMIN, &info), -SL_EAGAIN);
	CHECK();
}

Test(rlimit, core_action_dumps_with_a_limit_and_zaps_the_threads)
{
	int p = proc(0, 0), t;
	struct sl_rlimit nl = { SL_RLIM_INFINITY, SL_RLIM_INFINITY };
	int status = 0, parent = proc(0, 0), c;

	(void)p;
	c = (int)sl_sys_fork(K, parent);
	cr_assert_eq(sl_sys_prlimit64(K, c, 0, SL_RLIMIT_CORE, &nl, NULL), 0);
	t = (int)sl_sys_clone_thread(K, c);
	cr_assert_gt(t, 0);
	cr_assert_eq(sl_sys_kill(K, parent, c, SL_SIGQUIT), 0);
	run(c);
	run(t);
	cr_assert(info_of(c).core_dumped);
	cr_assert_eq(sl_sys_wait4(K, parent, c, &status, 0), c);
	cr_assert_eq(status, SL_SIGQUIT | 0x80);
	CHECK();
}

Test(rlimit, undumpable_or_a_limit_below_a_page_dumps_nothing)
{
	int parent = proc(0, 0), a, b, status = 0;
	struct sl_rlimit small = { 4095, SL_RLIM_INFINITY }, big = { 4096, SL_RLIM_INFINITY };

	a = (int)sl_sys_fork(K, parent);
	b = (int)sl_sys_fork(K, parent);
	cr_assert_eq(sl_sys_prlimit64(K, a, 0, SL_RLIMIT_CORE, &small, NULL), 0);
	cr_assert_eq(sl_sys_prlimit64(K, b, 0, SL_RLIMIT_CORE, &big, NULL), 0);
	cr_assert_eq(sl_sys_prctl(K, b, SL_PR_SET_DUMPABLE, 2, NULL), -SL_EINVAL);
	cr_assert_eq(sl_sys_prctl(K, b, SL_PR_SET_DUMPABLE, 0, NULL), 0);
	cr_assert_eq(sl_sys_prctl(K, b, SL_PR_GET_DUMPABLE, 0, NULL), 0);
	cr_assert_eq(sl_fault(K, a, SL_SIGSEGV, SL_SEGV_MAPERR, 0), 0);
	run(a);
	cr_assert_eq(sl_sys_wait4(K, parent, a, &status, 0), a);
	cr_assert_eq(status, SL_SIGSEGV);
	cr_assert_eq(sl_sys_execve(K, b), 0);
	cr_assert_eq(sl_sys_prctl(K, b, SL_PR_GET_DUMPABLE, 0, NULL), 1, "execve: dumpable");
	cr_assert_eq(sl_sys_prctl(K, b, SL_PR_SET_DUMPABLE, 0, NULL), 0);
	cr_assert_eq(sl_sys_kill(K, parent, b, SL_SIGABRT), 0);
	run(b);
	cr_assert_eq(sl_sys_wait4(K, parent, b, &status, 0), b);
	cr_assert_eq(status, SL_SIGABRT);
	CHECK();
}
