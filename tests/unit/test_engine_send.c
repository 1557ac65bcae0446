/* Generation: kill, tkill, tgkill, rt_(tg)sigqueueinfo, pidfd_send_signal;
 * permissions, prepare_signal, legacy_queue, RLIMIT_SIGPENDING and the
 * signal_generate results (kernel/signal.c). */
#include "helpers.h"

TEST_SUITE_FX(send);

static const struct sl_event *last_generate(void)
{
	return rec_last(&REC, SL_EV_GENERATE);
}

static long pidfd_send(int caller, int fd, int sig, const struct sl_siginfo *si,
		       unsigned flags)
{
	long r = sl_sys_pidfd_send_signal(K, caller, fd, sig, si, flags);

	CHECK();
	return r;
}

static long tgsigqueue(int caller, int tgid, int tid, int sig, int code)
{
	struct sl_siginfo si = { .signo = sig, .code = code, .pid = caller };
	long r = sl_sys_rt_tgsigqueueinfo(K, caller, tgid, tid, sig, &si);

	CHECK();
	return r;
}

/* ---- kill: arguments and existence ---------------------------------------- */

/* checked on Linux 6.18: kill(self, 0) -> 0 and no signal_generate. */
Test(send, kill_signal_zero_probes_without_generating)
{
	int a = proc(0, 0), b = proc(0, 0);

	rec_clear(&REC);
	cr_assert_eq(kill_(a, b, 0), 0);
	cr_assert_eq(rec_count(&REC, SL_EV_GENERATE, 0), 0);
	cr_assert_eq(sigpending_of(b), 0);
	cr_assert(!sl_task_has_work(K, b));
}

/* checked on Linux 6.18: kill(999999, 0) and kill(999999, 65) -> ESRCH: the
 * target is looked up before the signal number is checked. */
Test(send, kill_of_a_nonexistent_pid_is_esrch_even_with_a_bad_signal)
{
	int a = proc(0, 0);

	cr_assert_eq(kill_(a, 4242, SL_SIGTERM), -SL_ESRCH);
	cr_assert_eq(kill_(a, 4242, 0), -SL_ESRCH);
	cr_assert_eq(kill_(a, 4242, 65), -SL_ESRCH);
}

/* checked on Linux 6.18: kill(self, 65) and kill(self, -1) -> EINVAL. */
Test(send, kill_with_an_invalid_signal_is_einval)
{
	int a = proc(0, 0);

	cr_assert_eq(kill_(a, a, 65), -SL_EINVAL);
	cr_assert_eq(kill_(a, a, -1), -SL_EINVAL);
	cr_assert_eq(rec_count(&REC, SL_EV_GENERATE, 0), 0);
}

/* checked on Linux 6.18: kill(INT_MIN, 0) -> ESRCH (-INT_MIN is undefined,
 * the kernel refuses it first). */
Test(send, kill_int_min_is_esrch)
{
	int a = proc(0, 0);

	cr_assert_eq(kill_(a, -2147483647 - 1, 0), -SL_ESRCH);
	cr_assert_eq(kill_(a, -2147483647 - 1, SL_SIGKILL), -SL_ESRCH);
}

/* checked on Linux 6.18: a zombie can still be signalled (kill -> 0, and
 * kill(z, 0) -> 0); once reaped, kill -> ESRCH. */
Test(send, kill_of_a_zombie_succeeds)
{
	int p = proc(0, 0);
	int c = proc(p, 0);

	cr_assert_eq(sl_sys_exit(K, c, 0), 0);
	CHECK();
	cr_assert_eq(info_of(c).state, SL_TASK_ZOMBIE);
	cr_assert_eq(kill_(p, c, SL_SIGTERM), 0);
	cr_assert_eq(kill_(p, c, 0), 0);
	cr_assert_eq(info_of(c).state, SL_TASK_ZOMBIE);
}

Test(send, kill_generates_a_process_directed_si_user_signal)
{
	int a = proc(0, 1000), b = proc(0, 1000);
	const struct sl_event *e;

	cr_assert_eq(mask_op(b, SL_SIG_BLOCK, SET(SL_SIGUSR1)), 0);
	rec_clear(&REC);
	cr_assert_eq(kill_(a, b, SL_SIGUSR1), 0);
	cr_assert_eq(rec_count(&REC, SL_EV_GENERATE, 0), 1);
	e = last_generate();
	cr_assert_eq(e->sig, SL_SIGUSR1);
	cr_assert_eq(e->tid, a);
	cr_assert_eq(e->target, b);
	cr_assert(e->group);
	cr_assert_eq(e->result, SL_TRACE_DELIVERED);
	cr_assert_eq(e->info.code, SL_SI_USER);
	cr_assert_eq(e->info.pid, a);
	cr_assert_eq(e->info.uid, 1000);
	cr_assert_eq(info_of(b).shared_pending, SET(SL_SIGUSR1));
	cr_assert_eq(info_of(b).pending, 0);
}

/* checked on Linux 6.18 (tracefs): tkill shows code=-6 (SI_TKILL), grp=0. */
Test(send, tkill_generates_a_thread_directed_si_tkill_signal)
{
	int a = proc(0, 0);
	int t = thread(a);
	const struct sl_event *e;

	cr_assert_eq(mask_op(t, SL_SIG_BLOCK, SET(SL_SIGUSR1)), 0);
	cr_assert_eq(tkill_(a, t, SL_SIGUSR1), 0);
	e = last_generate();
	cr_assert_not_null(e);
	cr_assert_eq(e->target, t);
	cr_assert(!e->group);
	cr_assert_eq(e->info.code, SL_SI_TKILL);
	cr_assert_eq(info_of(t).pending, SET(SL_SIGUSR1));
	cr_assert_eq(info_of(t).shared_pending, 0);
	cr_assert_eq(info_of(a).pending, 0);
}

/* checked on Linux 6.18: tkill(0, 0), tkill(-1, 1) -> EINVAL;
 * tkill(999999, 65) -> ESRCH; tgkill(0, self, 0) -> EINVAL;
 * tgkill(self, self, 65) -> EINVAL; tgkill(1, self, 0) -> ESRCH (the tid
 * is not in that group). */
Test(send, tkill_and_tgkill_argument_errors)
{
	int a = proc(0, 0), b = proc(0, 0);

	cr_assert_eq(tkill_(a, 0, 0), -SL_EINVAL);
	cr_assert_eq(tkill_(a, -1, SL_SIGHUP), -SL_EINVAL);
	cr_assert_eq(tkill_(a, 4242, 65), -SL_ESRCH);
	cr_assert_eq(tkill_(a, b, 65), -SL_EINVAL);
	cr_assert_eq(tgkill_(a, 0, a, 0), -SL_EINVAL);
	cr_assert_eq(tgkill_(a, a, 0, 0), -SL_EINVAL);
	cr_assert_eq(tgkill_(a, a, a, 65), -SL_EINVAL);
	cr_assert_eq(tgkill_(a, b, a, 0), -SL_ESRCH);
	cr_assert_eq(tgkill_(a, b, b, 0), 0);
}

/* ---- kill: pid 0, -1, -pgid ----------------------------------------------- */

/* checked on Linux 6.18 (in a new pid namespace): kill(-1, SIGUSR1) reaches
 * the other processes, including ones in the caller's process group, but
 * neither the caller nor the namespace's init. */
Test(send, kill_minus_one_spares_init_and_the_callers_thread_group)
{
	int init = spawn_kind(SL_SPAWN_INIT, 0, 0, 0, 0);
	int a = proc(init, 0);
	int b = (int)sl_sys_fork(K, a);	/* same process group as a */
	int t;

	CHECK();
	cr_assert_gt(b, 0);
	t = thread(a);
	for (int p = init; p <= t; p++)
		if (sl_task_exists(K, p))
			cr_assert_eq(mask_op(p, SL_SIG_BLOCK, SET(SL_SIGUSR1)), 0);
	cr_assert_eq(kill_(a, -1, SL_SIGUSR1), 0);
	cr_assert_eq(sigpending_of(b), SET(SL_SIGUSR1));
	cr_assert_eq(sigpending_of(a), 0);
	cr_assert_eq(sigpending_of(t), 0);
	cr_assert_eq(sigpending_of(init), 0);
}

/* checked on Linux 6.18: the init of a new pid namespace, alone in it,
 * kill(-1, SIGUSR1) -> ESRCH. */
Test(send, kill_minus_one_with_no_target_is_esrch)
{
	int init = spawn_kind(SL_SPAWN_INIT, 0, 0, 0, 0);
	int a = proc(init, 0);

	(void)init;
	cr_assert_eq(kill_(a, -1, SL_SIGUSR1), -SL_ESRCH);
}

/* checked on Linux 6.18: a uid 1000 process, whose only possible target
 * is a root process, kill(-1, SIGUSR1) -> 0 (EPERM is not reported for
 * kill(-1)) and the root process gets nothing; kill(-1, 65) -> EINVAL. */
Test(send, kill_minus_one_hides_eperm)
{
	int init = spawn_kind(SL_SPAWN_INIT, 0, 0, 0, 0);
	int root = proc(init, 0);
	int user = proc(init, 1000);

	cr_assert_eq(mask_op(root, SL_SIG_BLOCK, SET(SL_SIGUSR1)), 0);
	rec_clear(&REC);
	cr_assert_eq(kill_(user, -1, SL_SIGUSR1), 0);
	cr_assert_eq(sigpending_of(root), 0);
	cr_assert_eq(rec_count(&REC, SL_EV_GENERATE, 0), 0);
	cr_assert_eq(kill_(user, -1, 65), -SL_EINVAL);
}

Test(send, kill_zero_signals_the_callers_process_group)
{
	int a = proc(0, 0);
	int b = (int)sl_sys_fork(K, a);
	int other = proc(0, 0);

	CHECK();
	cr_assert_eq(info_of(b).pgid, info_of(a).pgid);
	cr_assert_neq(info_of(other).pgid, info_of(a).pgid);
	cr_assert_eq(mask_op(a, SL_SIG_BLOCK, SET(SL_SIGUSR1)), 0);
	cr_assert_eq(mask_op(b, SL_SIG_BLOCK, SET(SL_SIGUSR1)), 0);
	cr_assert_eq(mask_op(other, SL_SIG_BLOCK, SET(SL_SIGUSR1)), 0);
	cr_assert_eq(kill_(a, 0, SL_SIGUSR1), 0);
	cr_assert_eq(sigpending_of(a), SET(SL_SIGUSR1));
	cr_assert_eq(sigpending_of(b), SET(SL_SIGUSR1));
	cr_assert_eq(sigpending_of(other), 0);
	cr_assert_eq(kill_(other, -info_of(a).pgid, SL_SIGUSR2), 0);
	cr_assert_eq(kill_(other, -4242, SL_SIGUSR2), -SL_ESRCH);
}

/* ---- permissions ------------------------------------------------------------ */

/* checked on Linux 6.18: uid 1000 -> a root process: kill, kill(pid, 0),
 * tkill, tgkill, rt_sigqueueinfo -> EPERM; kill with signal 65 -> EINVAL
 * (the signal is checked before the credentials). */
Test(send, unprivileged_sender_to_root_is_eperm)
{
	int root = proc(0, 0);
	int user = spawn_kind(SL_SPAWN_PROCESS, 0, 1000, 0, 4000);

	rec_clear(&REC);
	cr_assert_eq(kill_(user, root, SL_SIGUSR1), -SL_EPERM);
	cr_assert_eq(kill_(user, root, 0), -SL_EPERM);
	cr_assert_eq(tkill_(user, root, SL_SIGUSR1), -SL_EPERM);
	cr_assert_eq(tgkill_(user, root, root, SL_SIGUSR1), -SL_EPERM);
	cr_assert_eq(sigqueue_(user, root, SL_SIGUSR1, SL_SI_QUEUE, 1), -SL_EPERM);
	cr_assert_eq(kill_(user, root, 65), -SL_EINVAL);
	cr_assert_eq(rec_count(&REC, SL_EV_GENERATE, 0), 0);
	cr_assert_eq(sigpending_of(root), 0);
}

/* checked on Linux 6.18: root -> uid 1000 -> 0; uid 1000 -> uid 1000 -> 0. */
Test(send, root_and_same_uid_senders_are_allowed)
{
	int root = proc(0, 0);
	int u1 = proc(0, 1000), u2 = proc(0, 1000), u3 = proc(0, 2000);

	cr_assert_eq(kill_(root, u1, 0), 0);
	cr_assert_eq(kill_(u2, u1, 0), 0);
	cr_assert_eq(kill_(u3, u1, 0), -SL_EPERM);
	cr_assert_eq(kill_(root, u3, 0), 0);
}

/* checked on Linux 6.18: uid 1000 -> root in the same session: SIGCONT -> 0,
 * after setsid(): SIGCONT -> EPERM. */
Test(send, sigcont_is_allowed_within_a_session_whatever_the_uid)
{
	int root = spawn_kind(SL_SPAWN_PROCESS, 0, 0, 0, 500);
	int same = spawn_kind(SL_SPAWN_PROCESS, 0, 1000, 0, 500);
	int other = spawn_kind(SL_SPAWN_PROCESS, 0, 1000, 0, 600);

	cr_assert_eq(info_of(root).sid, info_of(same).sid);
	cr_assert_neq(info_of(root).sid, info_of(other).sid);
	cr_assert_eq(kill_(same, root, SL_SIGCONT), 0);
	cr_assert_eq(kill_(same, root, SL_SIGUSR1), -SL_EPERM);
	cr_assert_eq(kill_(other, root, SL_SIGCONT), -SL_EPERM);
}

/* ---- rt_sigqueueinfo / rt_tgsigqueueinfo ------------------------------------- */

/* checked on Linux 6.18, as root: rt_sigqueueinfo to another process with
 * si_code SI_USER, SI_KERNEL, SI_TKILL or 1 -> EPERM; SI_QUEUE, SI_TIMER -> 0.
 * rt_tgsigqueueinfo: SI_USER, SI_TKILL -> EPERM; SI_QUEUE -> 0. */
Test(send, sigqueueinfo_with_kernel_codes_to_another_process_is_eperm)
{
	int a = proc(0, 0), b = proc(0, 0);

	cr_assert_eq(mask_op(b, SL_SIG_BLOCK, SET(SL_SIGUSR1)), 0);
	cr_assert_eq(sigqueue_(a, b, SL_SIGUSR1, SL_SI_USER, 0), -SL_EPERM);
	cr_assert_eq(sigqueue_(a, b, SL_SIGUSR1, SL_SI_KERNEL, 0), -SL_EPERM);
	cr_assert_eq(sigqueue_(a, b, SL_SIGUSR1, SL_SI_TKILL, 0), -SL_EPERM);
	cr_assert_eq(sigqueue_(a, b, SL_SIGUSR1, 1, 0), -SL_EPERM);
	cr_assert_eq(sigpending_of(b), 0);
	cr_assert_eq(sigqueue_(a, b, SL_SIGUSR1, SL_SI_TIMER, 0), 0);
	cr_assert_eq(sigqueue_(a, b, SL_SIGUSR1, SL_SI_QUEUE, 0), 0);
	cr_assert_eq(tgsigqueue(a, b, b, SL_SIGUSR1, SL_SI_USER), -SL_EPERM);
	cr_assert_eq(tgsigqueue(a, b, b, SL_SIGUSR1, SL_SI_TKILL), -SL_EPERM);
	cr_assert_eq(tgsigqueue(a, b, b, SL_SIGUSR1, SL_SI_QUEUE), 0);
}

/* checked on Linux 6.18: rt_sigqueueinfo(999999, SIGUSR1, SI_USER) -> EPERM:
 * the si_code rule comes before the look-up. */
Test(send, sigqueueinfo_code_rule_comes_before_the_lookup)
{
	int a = proc(0, 0);

	cr_assert_eq(sigqueue_(a, 4242, SL_SIGUSR1, SL_SI_USER, 0), -SL_EPERM);
	cr_assert_eq(sigqueue_(a, 4242, SL_SIGUSR1, SL_SI_QUEUE, 0), -SL_ESRCH);
}

/* checked on Linux 6.18: rt_sigqueueinfo to self with SI_USER and SI_TKILL
 * -> 0, and the handler sees the si_code and si_pid that were passed. */
Test(send, sigqueueinfo_to_self_may_use_any_code)
{
	int a = proc(0, 0);
	struct sl_siginfo si = { .signo = SL_SIGUSR1, .code = SL_SI_USER, .pid = 4242 };
	struct sl_ksignal ks;

	cr_assert_eq(set_action(a, SL_SIGUSR1, H1, SL_SA_SIGINFO, 0), 0);
	cr_assert_eq(sl_sys_rt_sigqueueinfo(K, a, a, SL_SIGUSR1, &si), 0);
	CHECK();
	cr_assert_eq(ret_user(a, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(ks.info.code, SL_SI_USER);
	cr_assert_eq(ks.info.pid, 4242);
	cr_assert_eq(sl_sys_rt_sigreturn(K, a), 0);
	CHECK();
	cr_assert_eq(sigqueue_(a, a, SL_SIGUSR1, SL_SI_TKILL, 0), 0);
}

/* checked on Linux 6.18: rt_sigqueueinfo(pid, sig=10, si_signo=12) -> 0 and
 * the handler sees si_signo 10; signal 0 -> 0; 65 -> EINVAL. */
Test(send, sigqueueinfo_uses_the_sig_argument_not_si_signo)
{
	int a = proc(0, 0);
	struct sl_siginfo si = { .signo = SL_SIGUSR2, .code = SL_SI_QUEUE, .value = 5 };
	struct sl_ksignal ks;

	cr_assert_eq(set_action(a, SL_SIGUSR1, H1, SL_SA_SIGINFO, 0), 0);
	cr_assert_eq(sl_sys_rt_sigqueueinfo(K, a, a, SL_SIGUSR1, &si), 0);
	CHECK();
	cr_assert_eq(ret_user(a, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(ks.sig, SL_SIGUSR1);
	cr_assert_eq(ks.info.signo, SL_SIGUSR1);
	cr_assert_eq(ks.info.value, 5);
	cr_assert_eq(sigqueue_(a, a, 0, SL_SI_QUEUE, 0), 0);
	cr_assert_eq(sigqueue_(a, a, 65, SL_SI_QUEUE, 0), -SL_EINVAL);
}

/* ---- pidfd ---------------------------------------------------------------- */

/* checked on Linux 6.18: pidfd_open(pid, 1) -> EINVAL, (999999, 0) -> ESRCH,
 * (0, 0) and (-1, 0) -> EINVAL. */
Test(send, pidfd_open_argument_errors)
{
	int a = proc(0, 0), b = proc(0, 0);

	cr_assert_eq(sl_sys_pidfd_open(K, a, b, 1), -SL_EINVAL);
	CHECK();
	cr_assert_eq(sl_sys_pidfd_open(K, a, 4242, 0), -SL_ESRCH);
	CHECK();
	cr_assert_eq(sl_sys_pidfd_open(K, a, 0, 0), -SL_EINVAL);
	CHECK();
	cr_assert_eq(sl_sys_pidfd_open(K, a, -1, 0), -SL_EINVAL);
	CHECK();
	cr_assert_geq(sl_sys_pidfd_open(K, a, b, 0), 0);
	CHECK();
}

/* checked on Linux 6.18: pidfd_send_signal with NULL info -> 0; with an
 * SI_QUEUE info -> 0; flags 8 -> EINVAL; si_signo != sig -> EINVAL; SI_USER
 * info to another process -> EPERM; fd 999 -> EBADF; sig 65 -> EINVAL;
 * sig 0 -> 0; a zombie -> 0; once reaped -> ESRCH. */
Test(send, pidfd_send_signal_rules)
{
	int a = proc(0, 0), b = proc(a, 0);
	long fd = sl_sys_pidfd_open(K, a, b, 0);
	struct sl_siginfo si = { .signo = SL_SIGUSR1, .code = SL_SI_QUEUE };

	CHECK();
	cr_assert_geq(fd, 0);
	cr_assert_eq(mask_op(b, SL_SIG_BLOCK, SET(SL_SIGUSR1, SL_SIGUSR2)), 0);
	cr_assert_eq(pidfd_send(a, (int)fd, SL_SIGUSR1, NULL, 0), 0);
	cr_assert_eq(pidfd_send(a, (int)fd, SL_SIGUSR1, &si, 0), 0);
	cr_assert_eq(pidfd_send(a, (int)fd, SL_SIGUSR1, NULL, 8), -SL_EINVAL);
	cr_assert_eq(pidfd_send(a, (int)fd, SL_SIGUSR2, &si, 0), -SL_EINVAL);
	si.code = SL_SI_USER;
	cr_assert_eq(pidfd_send(a, (int)fd, SL_SIGUSR1, &si, 0), -SL_EPERM);
	cr_assert_eq(pidfd_send(a, 999, SL_SIGUSR1, NULL, 0), -SL_EBADF);
	cr_assert_eq(pidfd_send(a, (int)fd, 65, NULL, 0), -SL_EINVAL);
	cr_assert_eq(pidfd_send(a, (int)fd, 0, NULL, 0), 0);
	cr_assert_eq(sigpending_of(b), SET(SL_SIGUSR1));
	cr_assert_eq(sl_sys_exit(K, b, 0), 0);
	CHECK();
	cr_assert_eq(pidfd_send(a, (int)fd, 0, NULL, 0), 0, "a zombie");
}

/* A pidfd belongs to the process that opened it. */
Test(send, pidfd_numbers_are_per_process)
{
	int a = proc(0, 0), b = proc(0, 0), c = proc(0, 0);
	long fd = sl_sys_pidfd_open(K, a, c, 0);

	CHECK();
	cr_assert_geq(fd, 0);
	cr_assert_eq(pidfd_send(b, (int)fd, 0, NULL, 0), -SL_EBADF);
}

/* ---- ignored, blocked, already pending ---------------------------------------- */

/* Ignored signals are dropped at generation: SIG_IGN, and SIG_DFL of
 * SIGCHLD/SIGURG/SIGWINCH/SIGCONT (res=1, ignored). */
Test(send, ignored_signals_are_dropped_with_result_ignored)
{
	int a = proc(0, 0), b = proc(0, 0);
	int sigs[] = { SL_SIGCHLD, SL_SIGURG, SL_SIGWINCH, SL_SIGCONT, SL_SIGUSR1 };

	cr_assert_eq(set_action(b, SL_SIGUSR1, SL_SIG_IGN, 0, 0), 0);
	for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
		cr_assert_eq(kill_(a, b, sigs[i]), 0);
		cr_assert_eq(last_generate()->sig, sigs[i]);
		cr_assert_eq(last_generate()->result, SL_TRACE_IGNORED, "signal %d", sigs[i]);
	}
	cr_assert_eq(info_of(b).shared_pending, 0);
	cr_assert_eq(info_of(b).pending, 0);
	cr_assert(!sl_task_has_work(K, b));
}

/* checked on Linux 6.18: SIGUSR1 set to SIG_IGN and blocked, kill(self,
 * SIGUSR1) -> it is pending (blocked signals are never ignored: the handler
 * may change before they are unblocked). */
Test(send, blocked_ignored_signals_are_kept_pending)
{
	int a = proc(0, 0);

	cr_assert_eq(set_action(a, SL_SIGUSR1, SL_SIG_IGN, 0, 0), 0);
	cr_assert_eq(mask_op(a, SL_SIG_BLOCK, SET(SL_SIGUSR1, SL_SIGCHLD)), 0);
	cr_assert_eq(kill_(a, a, SL_SIGUSR1), 0);
	cr_assert_eq(last_generate()->result, SL_TRACE_DELIVERED);
	cr_assert_eq(kill_(a, a, SL_SIGCHLD), 0);
	cr_assert_eq(sigpending_of(a), SET(SL_SIGUSR1, SL_SIGCHLD));
	/* unblocked, it is discarded at delivery */
	cr_assert_eq(mask_op(a, SL_SIG_SETMASK, 0), 0);
	cr_assert_eq(ret_user(a, NULL), SL_DELIVER_NONE);
	cr_assert_eq(sigpending_of(a), 0);
	cr_assert_eq(info_of(a).state, SL_TASK_RUNNING);
}

/* A blocked SIGTERM with SIG_DFL stays pending; the process lives. */
Test(send, blocked_default_sigterm_stays_pending)
{
	int a = proc(0, 0), b = proc(0, 0);

	cr_assert_eq(mask_op(b, SL_SIG_BLOCK, SET(SL_SIGTERM)), 0);
	cr_assert_eq(kill_(a, b, SL_SIGTERM), 0);
	cr_assert_eq(ret_user(b, NULL), SL_DELIVER_NONE);
	cr_assert_eq(info_of(b).state, SL_TASK_RUNNING);
	cr_assert_eq(sigpending_of(b), SET(SL_SIGTERM));
	cr_assert(!sl_task_has_work(K, b));
}

/* checked on Linux 6.18 (tracefs): two kill(self, SIGUSR1) while blocked:
 * res=0 then res=2; one delivery. */
Test(send, a_second_standard_signal_is_already_pending)
{
	int a = proc(0, 0);
	int got[4];

	cr_assert_eq(set_action(a, SL_SIGUSR1, H1, 0, 0), 0);
	cr_assert_eq(mask_op(a, SL_SIG_BLOCK, SET(SL_SIGUSR1)), 0);
	cr_assert_eq(kill_(a, a, SL_SIGUSR1), 0);
	cr_assert_eq(last_generate()->result, SL_TRACE_DELIVERED);
	cr_assert_eq(kill_(a, a, SL_SIGUSR1), 0);
	cr_assert_eq(last_generate()->result, SL_TRACE_ALREADY_PENDING);
	cr_assert_eq(mask_op(a, SL_SIG_SETMASK, 0), 0);
	cr_assert_eq(drain(a, got, 4, NULL), 1);
	cr_assert_eq(got[0], SL_SIGUSR1);
}

/* legacy_queue looks at the queue the signal goes to: a private and a
 * shared instance of the same standard signal are both kept. */
Test(send, private_and_shared_instances_do_not_coalesce)
{
	int a = proc(0, 0);

	cr_assert_eq(mask_op(a, SL_SIG_BLOCK, SET(SL_SIGUSR1)), 0);
	cr_assert_eq(kill_(a, a, SL_SIGUSR1), 0);
	cr_assert_eq(tkill_(a, a, SL_SIGUSR1), 0);
	cr_assert_eq(last_generate()->result, SL_TRACE_DELIVERED);
	cr_assert_eq(info_of(a).pending, SET(SL_SIGUSR1));
	cr_assert_eq(info_of(a).shared_pending, SET(SL_SIGUSR1));
}

/* checked on Linux 6.18 (tracefs): three SIGRTMIN+3 while blocked: three
 * res=0, three deliveries in the order sent (values 1, 2, then SI_USER). */
Test(send, rt_signals_queue_every_instance_in_order)
{
	int a = proc(0, 0);
	int rt = SL_SIGRTMIN + 3;
	struct sl_ksignal ks;

	cr_assert_eq(set_action(a, rt, H1, SL_SA_SIGINFO, 0), 0);
	cr_assert_eq(mask_op(a, SL_SIG_BLOCK, SET(rt)), 0);
	cr_assert_eq(sigqueue_(a, a, rt, SL_SI_QUEUE, 1), 0);
	cr_assert_eq(sigqueue_(a, a, rt, SL_SI_QUEUE, 2), 0);
	cr_assert_eq(kill_(a, a, rt), 0);
	cr_assert_eq(rec_count(&REC, SL_EV_GENERATE, rt), 3);
	for (size_t i = 0; i < 3; i++)
		cr_assert_eq(rec_nth(&REC, SL_EV_GENERATE, rt, i)->result, SL_TRACE_DELIVERED);
	cr_assert_eq(mask_op(a, SL_SIG_SETMASK, 0), 0);
	cr_assert_eq(ret_user(a, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(ks.info.code, SL_SI_QUEUE);
	cr_assert_eq(ks.info.value, 1);
	cr_assert_eq(sl_sys_rt_sigreturn(K, a), 0);
	CHECK();
	cr_assert_eq(ret_user(a, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(ks.info.value, 2);
	cr_assert_eq(sl_sys_rt_sigreturn(K, a), 0);
	CHECK();
	cr_assert_eq(ret_user(a, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(ks.info.code, SL_SI_USER);
	cr_assert_eq(ks.info.pid, a);
	cr_assert_eq(sl_sys_rt_sigreturn(K, a), 0);
	CHECK();
	cr_assert_eq(ret_user(a, NULL), SL_DELIVER_NONE);
}

/* ---- prepare_signal: stop and continue ---------------------------------------- */

/* checked on Linux 6.18: SIGTSTP and SIGTTIN blocked and pending, kill(self,
 * SIGCONT) -> only SIGCONT pending; then SIGTTOU -> only SIGTTOU pending. */
Test(send, sigcont_discards_pending_stop_signals_and_vice_versa)
{
	int a = proc(0, 0);

	cr_assert_eq(mask_op(a, SL_SIG_SETMASK, ~(sl_sigset)0), 0);
	cr_assert_eq(kill_(a, a, SL_SIGTSTP), 0);
	cr_assert_eq(kill_(a, a, SL_SIGTTIN), 0);
	cr_assert_eq(sigpending_of(a), SET(SL_SIGTSTP, SL_SIGTTIN));
	cr_assert_eq(kill_(a, a, SL_SIGCONT), 0);
	cr_assert_eq(sigpending_of(a), SET(SL_SIGCONT));
	cr_assert_eq(kill_(a, a, SL_SIGTTOU), 0);
	cr_assert_eq(sigpending_of(a), SET(SL_SIGTTOU));
}

/* prepare_signal flushes the shared queue and every thread's private one. */
Test(send, sigcont_discards_stop_signals_in_every_thread)
{
	int a = proc(0, 0);
	int t;

	cr_assert_eq(mask_op(a, SL_SIG_SETMASK, ~(sl_sigset)0), 0);
	t = thread(a);
	cr_assert_eq(tkill_(a, t, SL_SIGTSTP), 0);
	cr_assert_eq(tkill_(a, a, SL_SIGTTOU), 0);
	cr_assert_eq(kill_(a, a, SL_SIGSTOP), 0);	/* SIGSTOP cannot be blocked... */
	cr_assert_eq(kill_(a, a, SL_SIGCONT), 0);
	cr_assert_eq(info_of(t).pending, 0);
	cr_assert_eq(info_of(a).pending, 0);
	cr_assert_eq(info_of(a).shared_pending, SET(SL_SIGCONT));
	cr_assert_eq(info_of(a).state, SL_TASK_RUNNING);
}

/* ---- RLIMIT_SIGPENDING ------------------------------------------------------- */

/* checked on Linux 6.18 (uid 4242, RLIMIT_SIGPENDING 3, tracefs):
 * sigqueue RT x3 -> res=0, the fourth -> EAGAIN and res=3; kill of an RT
 * signal -> 0 and res=4 (delivered without its siginfo); kill SIGUSR1 ->
 * res=0 (standard signals with si_code >= 0 override the limit); sigqueue
 * SIGUSR2 (SI_QUEUE) -> 0 and res=4; sigqueue SIGHUP with SI_USER to self
 * -> res=0. */
Test(send, rlimit_sigpending_overflow_results)
{
	int a;

	fx_remake(0, 3);
	a = proc(0, 4242);
	cr_assert_eq(mask_op(a, SL_SIG_SETMASK, ~(sl_sigset)0), 0);
	for (int i = 1; i <= 3; i++) {
		cr_assert_eq(sigqueue_(a, a, SL_SIGRTMIN + 3, SL_SI_QUEUE, (uint64_t)i), 0);
		cr_assert_eq(last_generate()->result, SL_TRACE_DELIVERED);
	}
	cr_assert_eq(sigqueue_(a, a, SL_SIGRTMIN + 3, SL_SI_QUEUE, 4), -SL_EAGAIN);
	cr_assert_eq(last_generate()->result, SL_TRACE_OVERFLOW_FAIL);
	cr_assert_eq(kill_(a, a, SL_SIGRTMIN + 4), 0);
	cr_assert_eq(last_generate()->result, SL_TRACE_LOSE_INFO);
	cr_assert_eq(kill_(a, a, SL_SIGUSR1), 0);
	cr_assert_eq(last_generate()->result, SL_TRACE_DELIVERED);
	cr_assert_eq(sigqueue_(a, a, SL_SIGUSR2, SL_SI_QUEUE, 9), 0);
	cr_assert_eq(last_generate()->result, SL_TRACE_LOSE_INFO);
	cr_assert_eq(sigqueue_(a, a, SL_SIGHUP, SL_SI_USER, 9), 0);
	cr_assert_eq(last_generate()->result, SL_TRACE_DELIVERED);
	cr_assert_eq(sigpending_of(a), SET(SL_SIGRTMIN + 3, SL_SIGRTMIN + 4, SL_SIGUSR1,
					   SL_SIGUSR2, SL_SIGHUP));
}

/* checked on Linux 6.18: the SIGUSR2 whose siginfo was lost arrives with
 * si_code 0 (SI_USER) and si_value 0; two RT kills that both lost their
 * info are one delivery (there is only the pending bit). */
Test(send, lost_info_arrives_as_a_bare_si_user)
{
	int a;
	struct sl_ksignal ks;
	int got[8];

	fx_remake(0, 1);
	a = proc(0, 1000);
	cr_assert_eq(set_action(a, SL_SIGUSR2, H1, SL_SA_SIGINFO, 0), 0);
	cr_assert_eq(set_action(a, SL_SIGRTMIN + 4, H1, SL_SA_SIGINFO, 0), 0);
	cr_assert_eq(set_action(a, SL_SIGRTMIN + 3, H1, SL_SA_SIGINFO, 0), 0);
	cr_assert_eq(mask_op(a, SL_SIG_SETMASK, ~(sl_sigset)0), 0);
	cr_assert_eq(sigqueue_(a, a, SL_SIGRTMIN + 3, SL_SI_QUEUE, 1), 0);
	cr_assert_eq(sigqueue_(a, a, SL_SIGUSR2, SL_SI_QUEUE, 9), 0);
	cr_assert_eq(last_generate()->result, SL_TRACE_LOSE_INFO);
	cr_assert_eq(kill_(a, a, SL_SIGRTMIN + 4), 0);
	cr_assert_eq(kill_(a, a, SL_SIGRTMIN + 4), 0);
	cr_assert_eq(last_generate()->result, SL_TRACE_LOSE_INFO);
	cr_assert_eq(mask_op(a, SL_SIG_SETMASK, 0), 0);
	cr_assert_eq(ret_user(a, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(ks.sig, SL_SIGUSR2);
	cr_assert_eq(ks.info.code, SL_SI_USER);
	cr_assert_eq(ks.info.value, 0);
	cr_assert_eq(ks.info.pid, 0);
	cr_assert_eq(sl_sys_rt_sigreturn(K, a), 0);
	CHECK();
	cr_assert_eq(drain(a, got, 8, NULL), 2);
	cr_assert_eq(got[0], SL_SIGRTMIN + 3);
	cr_assert_eq(got[1], SL_SIGRTMIN + 4);
}

/* checked on Linux 6.18: RLIMIT_SIGPENDING is the target's, and the count
 * is per user: with 2 queued to one uid 4243 process, a sigqueue to another
 * process of uid 4243 -> EAGAIN. */
Test(send, rlimit_sigpending_counts_per_target_user)
{
	int r, a, b, c;

	fx_remake(0, 2);
	r = proc(0, 0);
	a = proc(0, 4243);
	b = proc(0, 4243);
	c = proc(0, 5000);
	cr_assert_eq(mask_op(a, SL_SIG_SETMASK, ~(sl_sigset)0), 0);
	cr_assert_eq(mask_op(b, SL_SIG_SETMASK, ~(sl_sigset)0), 0);
	cr_assert_eq(mask_op(c, SL_SIG_SETMASK, ~(sl_sigset)0), 0);
	cr_assert_eq(sigqueue_(r, a, SL_SIGRTMIN + 8, SL_SI_QUEUE, 1), 0);
	cr_assert_eq(sigqueue_(r, a, SL_SIGRTMIN + 8, SL_SI_QUEUE, 2), 0);
	cr_assert_eq(sigqueue_(r, b, SL_SIGRTMIN + 8, SL_SI_QUEUE, 3), -SL_EAGAIN);
	cr_assert_eq(sigqueue_(r, c, SL_SIGRTMIN + 8, SL_SI_QUEUE, 3), 0);
}

Test(send, default_rlimit_sigpending_is_1024)
{
	int a = proc(0, 1000);

	cr_assert_eq(mask_op(a, SL_SIG_SETMASK, ~(sl_sigset)0), 0);
	for (unsigned i = 0; i < SL_DEFAULT_RLIMIT_SIGPENDING; i++) {
		long r = sl_sys_rt_sigqueueinfo(K, a, a, SL_SIGRTMIN + 1,
			&(struct sl_siginfo){ .signo = SL_SIGRTMIN + 1, .code = SL_SI_QUEUE });

		cr_assert_eq(r, 0, "entry %u", i);
	}
	CHECK();
	cr_assert_eq(sigqueue_(a, a, SL_SIGRTMIN + 1, SL_SI_QUEUE, 0), -SL_EAGAIN);
}

/* Dequeuing gives the slot back. */
Test(send, delivery_returns_the_rlimit_slot)
{
	int a;
	struct sl_ksignal ks;

	fx_remake(0, 1);
	a = proc(0, 1000);
	cr_assert_eq(set_action(a, SL_SIGRTMIN + 2, H1, 0, 0), 0);
	cr_assert_eq(mask_op(a, SL_SIG_BLOCK, SET(SL_SIGRTMIN + 2)), 0);
	cr_assert_eq(sigqueue_(a, a, SL_SIGRTMIN + 2, SL_SI_QUEUE, 1), 0);
	cr_assert_eq(sigqueue_(a, a, SL_SIGRTMIN + 2, SL_SI_QUEUE, 2), -SL_EAGAIN);
	cr_assert_eq(mask_op(a, SL_SIG_UNBLOCK, SET(SL_SIGRTMIN + 2)), 0);
	cr_assert_eq(ret_user(a, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(sl_sys_rt_sigreturn(K, a), 0);
	CHECK();
	cr_assert_eq(mask_op(a, SL_SIG_BLOCK, SET(SL_SIGRTMIN + 2)), 0);
	cr_assert_eq(sigqueue_(a, a, SL_SIGRTMIN + 2, SL_SI_QUEUE, 3), 0);
}

/* Only a task in user mode makes system calls: one that is stopped, asleep
 * in another call or dead gets -ESRCH from any syscall entry point, and
 * nothing changes (docs/api.md). */
Test(send, a_task_not_in_user_mode_makes_no_syscall)
{
	int a = proc(0, 0), b = proc(0, 0), c = proc(0, 0);
	sl_sigset set = SET(SL_SIGUSR1), before;
	struct sl_sigaction act = { .handler = H1 };

	cr_assert_eq(kill_(c, a, SL_SIGSTOP), 0);
	cr_assert_eq(ret_user(a, NULL), SL_DELIVER_STOPPED);
	cr_assert_eq(info_of(a).state, SL_TASK_STOPPED);
	before = info_of(a).blocked;
	cr_assert_eq(sl_sys_rt_sigprocmask(K, a, SL_SIG_BLOCK, &set, NULL), -SL_ESRCH);
	cr_assert_eq(sl_sys_rt_sigaction(K, a, SL_SIGUSR1, &act, NULL), -SL_ESRCH);
	cr_assert_eq(sl_sys_kill(K, a, c, SL_SIGTERM), -SL_ESRCH);
	cr_assert_eq(sl_sys_fork(K, a), -SL_ESRCH);
	cr_assert_eq(info_of(a).blocked, before);
	cr_assert_eq(info_of(c).pending, 0, "a stopped task sent nothing");

	cr_assert_eq(sl_sys_pause(K, b), SL_SYSCALL_BLOCKED);
	cr_assert_eq(info_of(b).state, SL_TASK_SLEEPING);
	cr_assert_eq(sl_sys_rt_sigprocmask(K, b, SL_SIG_BLOCK, &set, NULL), -SL_ESRCH);
	cr_assert_eq(sl_sys_pause(K, b), -SL_ESRCH);

	cr_assert_eq(sl_sys_exit(K, c, 0), 0);
	cr_assert_eq(sl_sys_getppid(K, c), -SL_ESRCH);
	CHECK();
}

/* ---- sl_send_sig_info: the kernel's own signals ---------------------------- */

static long ksend(int tid, int sig, int scope, const struct sl_siginfo *info)
{
	long r = sl_send_sig_info(K, tid, sig, scope, info);

	CHECK();
	return r;
}

/* SEND_SIG_PRIV (the tty's kill_pgrp of a SIGWINCH): SI_KERNEL, no
 * sender, process-directed. */
Test(send, kernel_signal_is_si_kernel_from_nobody)
{
	int a = proc(0, 1000);
	const struct sl_event *ev;
	struct sl_ksignal ks;

	cr_assert_eq(set_action(a, SL_SIGWINCH, H1, SL_SA_SIGINFO, 0), 0);
	rec_clear(&REC);
	cr_assert_eq(ksend(a, SL_SIGWINCH, SL_SEND_PGRP, NULL), 0);
	ev = last_generate();
	cr_assert_not_null(ev);
	cr_assert_eq(ev->tid, 0);
	cr_assert_eq(ev->target, a);
	cr_assert(ev->group);
	cr_assert_eq(ev->info.code, SL_SI_KERNEL);
	cr_assert_eq(info_of(a).shared_pending, SET(SL_SIGWINCH));
	cr_assert_eq(ret_user(a, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(ks.sig, SL_SIGWINCH);
	cr_assert_eq(ks.info.code, SL_SI_KERNEL);
	cr_assert_eq(ks.info.pid, 0);
}

/* The kernel checks no permission: a uid 0 process gets the terminal's
 * SIGINT whatever the uid of the one who typed it. */
Test(send, kernel_signal_needs_no_permission)
{
	int a = proc(0, 0);

	cr_assert_eq(ksend(a, SL_SIGINT, SL_SEND_PGRP, NULL), 0);
	cr_assert_eq(ret_user(a, NULL), SL_DELIVER_EXITED);
	cr_assert_eq(info_of(a).exit_kind, SL_EXIT_SIGNAL);
	cr_assert_eq(info_of(a).exit_code, SL_SIGINT);
}

/* A background read's SIGTTIN with the default action stops the group
 * (its group is not orphaned); SIGCONT from the hang-up continues it. */
Test(send, kernel_stop_signal_stops_and_kernel_sigcont_continues)
{
	int c = child();

	cr_assert_eq(ksend(c, SL_SIGTTIN, SL_SEND_PGRP, NULL), 0);
	cr_assert_eq(ret_user(c, NULL), SL_DELIVER_STOPPED);
	cr_assert_eq(info_of(c).state, SL_TASK_STOPPED);
	cr_assert_eq(ksend(c, SL_SIGCONT, SL_SEND_PROCESS, NULL), 0);
	cr_assert_eq(info_of(c).state, SL_TASK_RUNNING);
}

/* send_sig's SEND_SIG_NOINFO (a write's SIGPIPE): SI_USER from the writer
 * itself, to the thread. */
Test(send, kernel_signal_with_si_user_comes_from_the_task_it_names)
{
	int a = proc(0, 1000), t = thread(a);
	struct sl_siginfo si = { .code = SL_SI_USER, .pid = a, .uid = 1000 };
	const struct sl_event *ev;
	struct sl_ksignal ks;

	cr_assert_eq(set_action(a, SL_SIGPIPE, H1, SL_SA_SIGINFO, 0), 0);
	rec_clear(&REC);
	cr_assert_eq(ksend(t, SL_SIGPIPE, SL_SEND_THREAD, &si), 0);
	ev = last_generate();
	cr_assert_eq(ev->tid, a);
	cr_assert_eq(ev->target, t);
	cr_assert(!ev->group);
	cr_assert_eq(info_of(t).pending, SET(SL_SIGPIPE));
	cr_assert_eq(ret_user(t, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(ks.info.code, SL_SI_USER);
	cr_assert_eq(ks.info.pid, a);
	cr_assert_eq(ks.info.uid, 1000);
}

/* send_sigio_to_task: the F_SETSIG signal carries POLL_IN, si_band and
 * si_fd as given; when a real-time one finds no room (RLIMIT_SIGPENDING
 * 1 here) SIGIO goes instead, with SI_KERNEL. */
Test(send, kernel_io_signal_falls_back_on_sigio_when_it_cannot_queue)
{
	struct sl_siginfo si = { .code = SL_POLL_IN, .band = 0x41, .fd = 5 };
	struct sl_ksignal ks;
	int a;

	fx_remake(0, 1);
	a = proc(0, 1000);
	cr_assert_eq(set_action(a, SL_SIGRTMIN + 3, H1, SL_SA_SIGINFO, 0), 0);
	cr_assert_eq(mask_op(a, SL_SIG_BLOCK, SET(SL_SIGRTMIN + 3, SL_SIGIO)), 0);
	cr_assert_eq(ksend(a, SL_SIGRTMIN + 3, SL_SEND_PROCESS, &si), 0);
	cr_assert_eq(ksend(a, SL_SIGRTMIN + 3, SL_SEND_PROCESS, &si), 0);
	cr_assert_eq(last_generate()->sig, SL_SIGIO);
	cr_assert_eq(last_generate()->info.code, SL_SI_KERNEL);
	cr_assert_eq(info_of(a).shared_pending, SET(SL_SIGRTMIN + 3, SL_SIGIO));
	cr_assert_eq(set_action(a, SL_SIGIO, SL_SIG_IGN, 0, 0), 0);
	cr_assert_eq(mask_op(a, SL_SIG_SETMASK, 0), 0);
	cr_assert_eq(ret_user(a, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(ks.sig, SL_SIGRTMIN + 3);
	cr_assert_eq(ks.info.code, SL_POLL_IN);
	cr_assert_eq(ks.info.band, 0x41);
	cr_assert_eq(ks.info.fd, 5);
}

/* A real-time signal with another siginfo that cannot be queued fails
 * with EAGAIN, and nothing replaces it. */
Test(send, kernel_rt_signal_without_room_is_eagain)
{
	struct sl_siginfo si = { .code = SL_SI_QUEUE };
	int a;

	fx_remake(0, 1);
	a = proc(0, 1000);
	cr_assert_eq(mask_op(a, SL_SIG_BLOCK, SET(SL_SIGRTMIN + 3)), 0);
	cr_assert_eq(ksend(a, SL_SIGRTMIN + 3, SL_SEND_PROCESS, &si), 0);
	cr_assert_eq(ksend(a, SL_SIGRTMIN + 3, SL_SEND_PROCESS, &si), -SL_EAGAIN);
	cr_assert_eq(info_of(a).shared_pending, SET(SL_SIGRTMIN + 3));
}

Test(send, kernel_signal_arguments_are_checked)
{
	int a = proc(0, 1000);

	cr_assert_eq(ksend(a, 0, SL_SEND_PROCESS, NULL), -SL_EINVAL);
	cr_assert_eq(ksend(a, 65, SL_SEND_PROCESS, NULL), -SL_EINVAL);
	cr_assert_eq(ksend(a, SL_SIGHUP, 3, NULL), -SL_EINVAL);
	cr_assert_eq(ksend(a, SL_SIGHUP, -1, NULL), -SL_EINVAL);
	cr_assert_eq(ksend(4242, SL_SIGHUP, SL_SEND_PROCESS, NULL), -SL_ESRCH);
	cr_assert_eq(info_of(a).shared_pending, 0);
}
