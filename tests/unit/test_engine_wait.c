/* Processes: wait4/waitid, SIGCHLD and auto-reap, reparenting,
 * the parent-death signal, orphaned process groups, setpgid/setsid, execve
 * and the death of a pid namespace's init.  Each expectation was checked
 * against Linux 6.18 (siglab diff on the scenarios in examples/ and
 * tests/scenarios/, or a test program). */
#include "helpers.h"

TEST_SUITE_FX(wait);

static int fork_(int caller)
{
	int tid = (int)sl_sys_fork(K, caller);

	CHECK();
	cr_assert_gt(tid, 0, "fork: %d", tid);
	return tid;
}

static long wait4_(int caller, int pid, int *status, unsigned options)
{
	long r = sl_sys_wait4(K, caller, pid, status, options);

	CHECK();
	return r;
}

/* Lets a task act on what is pending (a default action, a stop). */
static void run(int tid)
{
	if (sl_task_has_work(K, tid))
		(void)ret_user(tid, NULL);
	CHECK();
}

Test(wait, wait4_reaps_a_zombie_and_returns_its_exit_status)
{
	int p = proc(0, 0), c = fork_(p), status = -1;

	cr_assert_eq(sl_sys_exit(K, c, 3), 0);
	cr_assert_eq(info_of(c).state, SL_TASK_ZOMBIE);
	cr_assert_eq(wait4_(p, -1, &status, 0), c);
	cr_assert_eq(status, 3 << 8);
	cr_assert_eq(info_of(c).state, SL_TASK_DEAD);
	cr_assert_eq(wait4_(p, -1, &status, SL_WNOHANG), -SL_ECHILD);
}

Test(wait, wnohang_returns_0_while_a_child_runs_and_a_plain_wait_sleeps)
{
	int p = proc(0, 0), c = fork_(p);
	const struct sl_event *ev;

	cr_assert_eq(wait4_(p, -1, NULL, SL_WNOHANG), 0);
	cr_assert_eq(wait4_(p, -1, NULL, 0), SL_SYSCALL_BLOCKED);
	cr_assert_eq(info_of(p).state, SL_TASK_SLEEPING);
	cr_assert_eq(sl_sys_exit(K, c, 2), 0);
	CHECK();
	cr_assert(sl_task_has_work(K, p), "the child's exit wakes the waiter");
	run(p);
	ev = rec_last(&REC, SL_EV_SYSCALL_RETURN);
	cr_assert_not_null(ev);
	cr_assert_eq(ev->ret, c);
	cr_assert_eq(ev->info.value, 2u << 8, "the wait4 status word");
	cr_assert_eq(info_of(c).state, SL_TASK_DEAD);
}

Test(wait, no_children_is_echild_and_bad_options_are_einval)
{
	int p = proc(0, 0);
	struct sl_siginfo si;

	cr_assert_eq(wait4_(p, -1, NULL, SL_WNOHANG), -SL_ECHILD);
	cr_assert_eq(wait4_(p, -1, NULL, SL_WNOWAIT), -SL_EINVAL);
	cr_assert_eq(sl_sys_waitid(K, p, SL_P_ALL, 0, &si, SL_WNOHANG), -SL_EINVAL);
	cr_assert_eq(sl_sys_waitid(K, p, SL_P_PID, 0, &si, SL_WEXITED), -SL_EINVAL);
	cr_assert_eq(sl_sys_waitid(K, p, 7, 0, &si, SL_WEXITED), -SL_EINVAL);
}

Test(wait, waitid_wnowait_leaves_the_zombie_for_the_next_wait)
{
	int p = proc(0, 0), c = fork_(p);
	struct sl_siginfo si;

	cr_assert_eq(sl_sys_exit(K, c, 9), 0);
	cr_assert_eq(sl_sys_waitid(K, p, SL_P_PID, c, &si, SL_WEXITED | SL_WNOWAIT), 0);
	cr_assert_eq(si.code, SL_CLD_EXITED);
	cr_assert_eq(si.status, 9);
	cr_assert_eq(si.pid, c);
	cr_assert_eq(info_of(c).state, SL_TASK_ZOMBIE);
	cr_assert_eq(sl_sys_waitid(K, p, SL_P_ALL, 0, &si, SL_WEXITED), 0);
	cr_assert_eq(info_of(c).state, SL_TASK_DEAD);
}

/* wait_consider_task: a zombie does not count when only stops are asked. */
Test(wait, a_zombie_is_not_waitable_for_stops_only)
{
	int p = proc(0, 0), c = fork_(p);
	struct sl_siginfo si;

	cr_assert_eq(sl_sys_exit(K, c, 0), 0);
	cr_assert_eq(sl_sys_waitid(K, p, SL_P_ALL, 0, &si, SL_WSTOPPED | SL_WNOHANG), -SL_ECHILD);
}

Test(wait, a_stop_is_reported_once_and_a_continue_with_wcontinued)
{
	int p = proc(0, 0), c = fork_(p), status = 0;

	cr_assert_eq(kill_(p, c, SL_SIGSTOP), 0);
	run(c);
	cr_assert_eq(info_of(c).state, SL_TASK_STOPPED);
	cr_assert_eq(wait4_(p, c, &status, SL_WNOHANG), 0);
	cr_assert_eq(wait4_(p, c, &status, SL_WNOHANG | SL_WUNTRACED), c);
	cr_assert_eq(status, (SL_SIGSTOP << 8) | 0x7f);
	cr_assert_eq(wait4_(p, c, &status, SL_WNOHANG | SL_WUNTRACED), 0);
	cr_assert_eq(kill_(p, c, SL_SIGCONT), 0);
	run(c);
	cr_assert_eq(wait4_(p, c, &status, SL_WNOHANG | SL_WCONTINUED), c);
	cr_assert_eq(status, 0xffff);
}

Test(wait, a_child_killed_by_a_signal_reports_the_signal)
{
	int p = proc(0, 0), c = fork_(p), status = 0;
	const struct sl_event *ev;

	cr_assert_eq(kill_(p, c, SL_SIGTERM), 0);
	run(c);
	ev = rec_last(&REC, SL_EV_GENERATE);
	cr_assert_eq(ev->sig, SL_SIGCHLD);
	cr_assert_eq(ev->info.code, SL_CLD_KILLED);
	cr_assert_eq(ev->info.status, SL_SIGTERM);
	cr_assert_eq(ev->tid, c, "sent in the dying child's context");
	cr_assert_eq(wait4_(p, c, &status, 0), c);
	cr_assert_eq(status, SL_SIGTERM);
}

Test(wait, sigchld_ignored_reaps_at_once_and_sends_nothing)
{
	int p = proc(0, 0), c;

	cr_assert_eq(set_action(p, SL_SIGCHLD, SL_SIG_IGN, 0, 0), 0);
	c = fork_(p);
	rec_clear(&REC);
	cr_assert_eq(sl_sys_exit(K, c, 1), 0);
	CHECK();
	cr_assert_eq(rec_count(&REC, SL_EV_GENERATE, SL_SIGCHLD), 0);
	cr_assert_eq(info_of(c).state, SL_TASK_DEAD);
	cr_assert_eq(wait4_(p, -1, NULL, SL_WNOHANG), -SL_ECHILD);
}

Test(wait, sa_nocldwait_reaps_at_once_but_still_sends_sigchld)
{
	int p = proc(0, 0), c;

	cr_assert_eq(set_action(p, SL_SIGCHLD, H1, SL_SA_NOCLDWAIT, 0), 0);
	c = fork_(p);
	cr_assert_eq(sl_sys_exit(K, c, 1), 0);
	CHECK();
	cr_assert_eq(rec_count(&REC, SL_EV_GENERATE, SL_SIGCHLD), 1);
	cr_assert_eq(info_of(c).state, SL_TASK_DEAD);
}

Test(wait, a_clone_child_is_seen_only_with_wclone)
{
	int p = proc(0, 0), c = (int)sl_sys_clone(K, p, 0, SL_SIGUSR1), status;

	cr_assert_gt(c, 0);
	cr_assert_eq(sl_sys_exit(K, c, 4), 0);
	cr_assert_eq(rec_last(&REC, SL_EV_GENERATE)->sig, SL_SIGUSR1);
	cr_assert_eq(wait4_(p, -1, &status, SL_WNOHANG), -SL_ECHILD);
	cr_assert_eq(wait4_(p, -1, &status, SL_WNOHANG | SL___WCLONE), c);
	cr_assert_eq(status, 4 << 8);
}

Test(wait, clone_parent_makes_a_sibling_with_the_callers_exit_signal)
{
	int gp = proc(0, 0), p = fork_(gp);
	int s = (int)sl_sys_clone(K, p, SL_CLONE_PARENT, SL_SIGUSR2);

	cr_assert_gt(s, 0);
	cr_assert_eq(info_of(s).ppid, gp);
	cr_assert_eq(sl_sys_exit(K, s, 0), 0);
	cr_assert_eq(rec_last(&REC, SL_EV_GENERATE)->sig, SL_SIGCHLD);
	cr_assert_eq(wait4_(gp, s, NULL, SL_WNOHANG), s);
}

Test(wait, an_orphan_goes_to_the_nearest_subreaper)
{
	int r = proc(0, 0), mid, orphan;

	cr_assert_eq(sl_sys_prctl(K, r, SL_PR_SET_CHILD_SUBREAPER, 1, NULL), 0);
	mid = fork_(r);
	orphan = fork_(mid);
	cr_assert_eq(sl_sys_getppid(K, orphan), mid);
	cr_assert_eq(sl_sys_exit(K, mid, 0), 0);
	CHECK();
	cr_assert_eq(sl_sys_getppid(K, orphan), r);
	cr_assert_eq(sl_sys_exit(K, orphan, 5), 0);
	cr_assert_eq(wait4_(r, orphan, NULL, SL_WNOHANG), orphan);
}

Test(wait, without_a_subreaper_an_orphan_goes_to_init)
{
	int init = spawn_kind(SL_SPAWN_INIT, 0, 0, 0, 0);
	int p = proc(init, 0), c = fork_(p);

	cr_assert_eq(sl_sys_exit(K, p, 0), 0);
	CHECK();
	cr_assert_eq(info_of(c).ppid, init);
}

/* forget_original_parent sends the pdeath signal when the forking thread
 * exits, even to a child that stays in the same process. */
Test(wait, the_parent_death_signal_follows_the_forking_thread)
{
	int p = proc(0, 0), t = thread(p), c = fork_(t);
	const struct sl_event *ev;

	cr_assert_eq(sl_sys_prctl(K, c, SL_PR_SET_PDEATHSIG, SL_SIGHUP, NULL), 0);
	cr_assert_eq(sl_sys_exit(K, t, 0), 0);
	CHECK();
	ev = rec_last(&REC, SL_EV_GENERATE);
	cr_assert_eq(ev->sig, SL_SIGHUP);
	cr_assert_eq(ev->target, c);
	cr_assert_eq(ev->tid, t);
	cr_assert_eq(ev->info.code, SL_SI_USER);
	cr_assert_eq(info_of(c).ppid, p);
	cr_assert_eq(sl_sys_prctl(K, c, SL_PR_SET_PDEATHSIG, 65, NULL), -SL_EINVAL);
}

Test(wait, an_orphaned_group_with_a_stopped_member_gets_sighup_then_sigcont)
{
	int ctl = proc(0, 0);
	int sh = fork_(ctl), job = fork_(sh);

	cr_assert_eq(sl_sys_setpgid(K, sh, sh, sh), 0);
	cr_assert_eq(sl_sys_setpgid(K, sh, job, job), 0);
	cr_assert_eq(kill_(sh, job, SL_SIGSTOP), 0);
	run(job);
	rec_clear(&REC);
	cr_assert_eq(sl_sys_exit(K, sh, 0), 0);
	CHECK();
	cr_assert_eq(rec_count(&REC, SL_EV_GENERATE, SL_SIGHUP), 1);
	cr_assert_eq(rec_count(&REC, SL_EV_GENERATE, SL_SIGCONT), 1);
	cr_assert_eq(rec_nth(&REC, SL_EV_GENERATE, SL_SIGHUP, 0)->info.code, SL_SI_KERNEL);
	run(job);
	cr_assert_eq(info_of(job).exit_code, SL_SIGHUP);
}

Test(wait, an_orphaned_group_without_a_stopped_member_hears_nothing)
{
	int ctl = proc(0, 0);
	int sh = fork_(ctl), job = fork_(sh);

	cr_assert_eq(sl_sys_setpgid(K, sh, job, job), 0);
	rec_clear(&REC);
	cr_assert_eq(sl_sys_exit(K, sh, 0), 0);
	cr_assert_eq(rec_count(&REC, SL_EV_GENERATE, SL_SIGHUP), 0);
}

Test(wait, setpgid_and_setsid_follow_their_rules)
{
	int sh = proc(0, 0), job = fork_(sh), other = proc(0, 0);

	cr_assert_eq(sl_sys_setpgid(K, sh, job, -1), -SL_EINVAL);
	cr_assert_eq(sl_sys_setpgid(K, sh, other, other), -SL_ESRCH);
	cr_assert_eq(sl_sys_setpgid(K, sh, 0x3fffffff, 0), -SL_ESRCH);
	cr_assert_eq(sl_sys_setsid(K, sh), -SL_EPERM, "a group leader");
	cr_assert_eq(sl_sys_setsid(K, job), job);
	cr_assert_eq(sl_sys_getsid(K, job, 0), job);
	cr_assert_eq(sl_sys_getpgid(K, sh, job), job);
	cr_assert_eq(sl_sys_setpgid(K, sh, job, sh), -SL_EPERM, "a session leader");
	cr_assert_eq(sl_sys_setsid(K, job), -SL_EPERM);
	CHECK();
}

Test(wait, setpgid_on_a_child_that_has_execed_is_eacces)
{
	int sh = proc(0, 0), c = fork_(sh);

	cr_assert_eq(sl_sys_execve(K, c), 0);
	cr_assert_eq(sl_sys_setpgid(K, sh, c, c), -SL_EACCES);
}

Test(wait, execve_resets_caught_keeps_ignored_the_mask_and_pending)
{
	int p = proc(0, 0);

	cr_assert_eq(set_action(p, SL_SIGUSR1, H1, SL_SA_RESTART, SET(SL_SIGINT)), 0);
	cr_assert_eq(set_action(p, SL_SIGPIPE, SL_SIG_IGN, SL_SA_RESTART, 0), 0);
	cr_assert_eq(mask_op(p, SL_SIG_BLOCK, SET(SL_SIGINT)), 0);
	cr_assert_eq(kill_(p, p, SL_SIGINT), 0);
	cr_assert_eq(sl_sys_execve(K, p), 0);
	CHECK();
	cr_assert_eq(get_action(p, SL_SIGUSR1).handler, SL_SIG_DFL);
	cr_assert_eq(get_action(p, SL_SIGUSR1).flags, 0);
	cr_assert_eq(get_action(p, SL_SIGUSR1).mask, 0);
	cr_assert_eq(get_action(p, SL_SIGPIPE).handler, SL_SIG_IGN);
	cr_assert_eq(get_action(p, SL_SIGPIPE).flags, 0);
	cr_assert_eq(blocked_of(p), SET(SL_SIGINT));
	cr_assert_eq(sigpending_of(p), SET(SL_SIGINT));
}

Test(wait, execve_kills_the_other_threads)
{
	int p = proc(0, 0), t = thread(p);

	cr_assert_eq(sl_sys_execve(K, t), -SL_EINVAL, "UNMODELED: a non-leader exec");
	cr_assert_eq(sl_sys_execve(K, p), 0);
	CHECK();
	cr_assert_eq(info_of(t).state, SL_TASK_DEAD);
	cr_assert_eq(info_of(p).state, SL_TASK_RUNNING);
}

/* synchronize_group_exit: a zombie ignores signals (tracepoint res=1). */
Test(wait, a_signal_to_a_zombie_is_accepted_and_ignored)
{
	int p = proc(0, 0), c = fork_(p);

	cr_assert_eq(sl_sys_exit(K, c, 0), 0);
	cr_assert_eq(kill_(p, c, SL_SIGKILL), 0);
	cr_assert_eq(rec_last(&REC, SL_EV_GENERATE)->result, SL_TRACE_IGNORED);
}

Test(wait, the_death_of_a_namespace_init_kills_its_namespace)
{
	int out = proc(0, 0);
	int box = spawn_kind(SL_SPAWN_NS_INIT, out, 0, 0, 0);
	int a = fork_(box), b = fork_(a);

	cr_assert_eq(kill_(out, box, SL_SIGKILL), 0);
	run(box);
	CHECK();
	cr_assert_eq(info_of(box).exit_code, SL_SIGKILL);
	cr_assert(sl_task_has_work(K, a));
	cr_assert(sl_task_has_work(K, b));
	run(a);
	run(b);
	cr_assert_eq(info_of(a).state, SL_TASK_DEAD, "reaped as it dies");
	cr_assert_eq(info_of(b).exit_code, SL_SIGKILL);
	cr_assert_eq(sl_sys_fork(K, b), -SL_ESRCH);
}

Test(wait, a_leader_that_exits_first_is_reaped_with_the_last_threads_code)
{
	int p = proc(0, 0), c = fork_(p), t = thread(c), status = 0;

	cr_assert_eq(sl_sys_exit(K, c, 1), 0);
	cr_assert_eq(wait4_(p, c, &status, SL_WNOHANG), 0);
	cr_assert_eq(sl_sys_exit(K, t, 7), 0);
	/* the SIGCHLD carries the group's code too (release_task, Linux 6.17+;
	 * checked on 6.18: si_status 7, not the leader's 1) */
	cr_assert_eq(rec_last(&REC, SL_EV_GENERATE)->info.status, 7);
	cr_assert_eq(wait4_(p, c, &status, SL_WNOHANG), c);
	cr_assert_eq(status, 7 << 8);
}

/* checked on Linux 6.18 (tests/scenarios/waitid-prefilled): a failing
 * waitid clears the siginfo fields the syscall writes. */
Test(wait, a_failing_waitid_clears_the_siginfo)
{
	int a = proc(0, 0);
	struct sl_siginfo si = { .signo = SL_SIGUSR1, .code = 1, .pid = 99999, .status = 77,
				 .value = 5 };

	cr_assert_eq(sl_sys_waitid(K, a, SL_P_ALL, 0, &si, SL_WEXITED), -SL_ECHILD);
	cr_assert_eq(si.signo, 0);
	cr_assert_eq(si.pid, 0);
	cr_assert_eq(si.status, 0);
	cr_assert_eq(si.value, 5, "only the fields the syscall writes");
	CHECK();
}
