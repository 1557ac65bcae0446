/* Sleeping in system calls and coming back: pipe reads, pause,
 * sigsuspend, sigtimedwait, nanosleep, signalfd, and the restart switch of
 * arch/x86/kernel/signal.c (ERESTARTSYS, ERESTARTNOHAND,
 * ERESTART_RESTARTBLOCK).  Each behaviour named "checked on Linux 6.18" was
 * run on the real kernel (small C programs, and the same scenario through
 * `siglab diff`: tests/scenarios/sleep-restart, stop-in-wait,
 * cont-handler, sigwait-ignored, signalfd-rules, examples/read-restart,
 * pause-vs-sigsuspend, sigtimedwait-timeout). */
#include "helpers.h"

TEST_SUITE_FX(sleep);

static const sl_time SEC = SL_NSEC_PER_SEC;

/* checked on Linux 6.18: read(2) on an empty pipe, SIGUSR1 with a handler
 * without SA_RESTART: the handler runs, then read fails with EINTR. */
Test(sleep, a_pipe_read_fails_with_eintr_after_a_handler_without_sa_restart)
{
	int r = proc(0, 0), w = proc(0, 0);
	long p = sl_pipe_create(K);

	cr_assert_eq(set_action(r, SL_SIGUSR1, H1, 0, 0), 0);
	cr_assert_eq(sl_sys_read(K, r, (int)p, 4096), SL_SYSCALL_BLOCKED);
	CHECK();
	cr_assert(asleep(r));
	cr_assert_eq(kill_(w, r, SL_SIGUSR1), 0);
	cr_assert_eq(drain(r, NULL, 0, NULL), 1);
	cr_assert_eq(returned(), -SL_EINTR);
	cr_assert(!asleep(r));
}

/* checked on Linux 6.18: with SA_RESTART the handler runs and the read
 * sleeps again; a write then completes it with the byte count. */
Test(sleep, a_pipe_read_restarts_after_a_handler_with_sa_restart)
{
	int r = proc(0, 0), w = proc(0, 0);
	long p = sl_pipe_create(K);

	cr_assert_eq(set_action(r, SL_SIGUSR1, H1, SL_SA_RESTART, 0), 0);
	cr_assert_eq(sl_sys_read(K, r, (int)p, 4096), SL_SYSCALL_BLOCKED);
	cr_assert_eq(kill_(w, r, SL_SIGUSR1), 0);
	cr_assert_eq(drain(r, NULL, 0, NULL), 1);
	CHECK();
	cr_assert(asleep(r), "the read restarted and sleeps again");
	cr_assert_null(rec_last(&REC, SL_EV_SYSCALL_RETURN));
	cr_assert_eq(sl_sys_write(K, w, (int)p, 1), 1);
	ret_user(r, NULL);
	cr_assert_eq(returned(), 1);
}

/* checked on Linux 6.18: pause returns -ERESTARTNOHAND, which never
 * restarts after a handler, even one with SA_RESTART. */
Test(sleep, pause_fails_with_eintr_after_a_handler_even_with_sa_restart)
{
	int a = proc(0, 0), b = proc(0, 0);

	cr_assert_eq(set_action(a, SL_SIGUSR1, H1, SL_SA_RESTART, 0), 0);
	cr_assert_eq(sl_sys_pause(K, a), SL_SYSCALL_BLOCKED);
	cr_assert_eq(kill_(b, a, SL_SIGUSR1), 0);
	cr_assert_eq(drain(a, NULL, 0, NULL), 1);
	cr_assert_eq(returned(), -SL_EINTR);
}

/* checked on Linux 6.18: a stop and a continue without a handler restart
 * pause transparently: it sleeps on. */
Test(sleep, pause_restarts_after_a_stop_and_continue)
{
	int a = child(), b = proc(0, 0);

	cr_assert_eq(sl_sys_pause(K, a), SL_SYSCALL_BLOCKED);
	cr_assert_eq(kill_(b, a, SL_SIGSTOP), 0);
	cr_assert_eq(ret_user(a, NULL), SL_DELIVER_STOPPED);
	cr_assert_eq(kill_(b, a, SL_SIGCONT), 0);
	drain(a, NULL, 0, NULL);
	CHECK();
	cr_assert(asleep(a));
	cr_assert_null(rec_last(&REC, SL_EV_SYSCALL_RETURN));
}

/* checked on Linux 6.18: inside the handler the mask is sigsuspend's
 * temporary one plus the signal; after it the old mask is back, and the
 * call fails with EINTR. */
Test(sleep, sigsuspend_runs_the_handler_under_the_temporary_mask_then_restores_the_old)
{
	int a = proc(0, 0), b = proc(0, 0);
	sl_sigset tmp = SET(SL_SIGINT);
	struct sl_ksignal ks;

	cr_assert_eq(set_action(a, SL_SIGUSR1, H1, 0, 0), 0);
	cr_assert_eq(mask_op(a, SL_SIG_BLOCK, SET(SL_SIGUSR2)), 0);
	cr_assert_eq(sl_sys_rt_sigsuspend(K, a, &tmp), SL_SYSCALL_BLOCKED);
	cr_assert_eq(blocked_of(a), tmp);
	cr_assert_eq(kill_(b, a, SL_SIGUSR1), 0);
	cr_assert_eq(ret_user(a, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(blocked_of(a), SET(SL_SIGINT, SL_SIGUSR1));
	cr_assert_eq(ks.saved_mask, SET(SL_SIGUSR2), "the frame saves the old mask");
	cr_assert_eq(sl_sys_rt_sigreturn(K, a), 0);
	CHECK();
	cr_assert_eq(blocked_of(a), SET(SL_SIGUSR2));
	cr_assert_eq(returned(), -SL_EINTR);
}

/* checked on Linux 6.18: a signal pending before the call and let in by
 * the temporary mask is taken at once; without a handler its default
 * action applies (here: death). */
Test(sleep, sigsuspend_takes_a_pending_signal_at_once)
{
	int a = proc(0, 0), b = proc(0, 0);
	sl_sigset none = 0;

	cr_assert_eq(mask_op(a, SL_SIG_BLOCK, SET(SL_SIGUSR2)), 0);
	cr_assert_eq(kill_(b, a, SL_SIGUSR2), 0);
	cr_assert_eq(sl_sys_rt_sigsuspend(K, a, &none), SL_SYSCALL_BLOCKED);
	cr_assert(!asleep(a));
	cr_assert_eq(ret_user(a, NULL), SL_DELIVER_EXITED);
	CHECK();
	cr_assert_eq(info_of(a).exit_code, SL_SIGUSR2);
}

/* checked on Linux 6.18: the timeout passes with nothing to take: EAGAIN. */
Test(sleep, sigtimedwait_times_out_with_eagain)
{
	int a = proc(0, 0);
	sl_sigset set = SET(SL_SIGUSR1);
	sl_time to = 2 * SEC;
	struct sl_siginfo si;

	cr_assert_eq(mask_op(a, SL_SIG_BLOCK, set), 0);
	cr_assert_eq(sl_sys_rt_sigtimedwait(K, a, &set, &si, &to), SL_SYSCALL_BLOCKED);
	cr_assert_eq(sl_clock_advance(K, SEC), 0);
	CHECK();
	cr_assert(asleep(a));
	cr_assert_eq(sl_clock_advance(K, SEC), 0);
	ret_user(a, NULL);
	CHECK();
	cr_assert_eq(returned(), -SL_EAGAIN);
}

/* checked on Linux 6.18: a waited-for signal is dequeued and returned with
 * its siginfo; its handler does not run. */
Test(sleep, sigtimedwait_dequeues_without_running_the_handler)
{
	int a = proc(0, 0), b = proc(0, 0);
	sl_sigset set = SET(SL_SIGUSR1);
	struct sl_siginfo si;
	const struct sl_event *e;

	cr_assert_eq(set_action(a, SL_SIGUSR1, H1, 0, 0), 0);
	cr_assert_eq(mask_op(a, SL_SIG_BLOCK, set), 0);
	cr_assert_eq(sl_sys_rt_sigtimedwait(K, a, &set, &si, NULL), SL_SYSCALL_BLOCKED);
	cr_assert_eq(kill_(b, a, SL_SIGUSR1), 0);
	cr_assert_eq(drain(a, NULL, 0, NULL), 0);
	CHECK();
	e = rec_last(&REC, SL_EV_SYSCALL_RETURN);
	cr_assert(e);
	cr_assert_eq(e->ret, SL_SIGUSR1);
	cr_assert_eq(e->info.code, SL_SI_USER);
	cr_assert_eq(e->info.pid, info_of(b).tgid);
	cr_assert_eq(rec_count(&REC, SL_EV_DELIVER, SL_SIGUSR1), 0);
}

/* checked on Linux 6.18: an ignored signal is dropped at generation unless
 * it was blocked before the call (sig_ignored looks at real_blocked). */
Test(sleep, sigtimedwait_gets_an_ignored_signal_only_if_it_was_blocked_before)
{
	int a = proc(0, 0), b = proc(0, 0);
	sl_sigset set = SET(SL_SIGUSR2);
	sl_time to = SEC;
	struct sl_siginfo si;

	cr_assert_eq(set_action(a, SL_SIGUSR2, SL_SIG_IGN, 0, 0), 0);
	cr_assert_eq(sl_sys_rt_sigtimedwait(K, a, &set, &si, &to), SL_SYSCALL_BLOCKED);
	cr_assert_eq(kill_(b, a, SL_SIGUSR2), 0);
	cr_assert_eq(rec_last(&REC, SL_EV_GENERATE)->result, SL_TRACE_IGNORED);
	cr_assert(asleep(a));
	cr_assert_eq(sl_clock_advance(K, 2 * SEC), 0);
	ret_user(a, NULL);
	cr_assert_eq(returned(), -SL_EAGAIN);
	cr_assert_eq(mask_op(a, SL_SIG_BLOCK, set), 0);
	cr_assert_eq(sl_sys_rt_sigtimedwait(K, a, &set, &si, &to), SL_SYSCALL_BLOCKED);
	cr_assert_eq(kill_(b, a, SL_SIGUSR2), 0);
	cr_assert_eq(rec_last(&REC, SL_EV_GENERATE)->result, SL_TRACE_DELIVERED);
	ret_user(a, NULL);
	CHECK();
	cr_assert_eq(returned(), SL_SIGUSR2);
}

/* checked on Linux 6.18: a stop and continue end sigtimedwait with EINTR,
 * no handler involved (do_sigtimedwait returns -EINTR, not a restart
 * code). */
Test(sleep, sigtimedwait_fails_with_eintr_after_a_stop_and_continue)
{
	int a = child(), b = proc(0, 0);
	sl_sigset set = SET(SL_SIGUSR1);
	sl_time to = 5 * SEC;
	struct sl_siginfo si;

	cr_assert_eq(sl_sys_rt_sigtimedwait(K, a, &set, &si, &to), SL_SYSCALL_BLOCKED);
	cr_assert_eq(kill_(b, a, SL_SIGSTOP), 0);
	cr_assert_eq(ret_user(a, NULL), SL_DELIVER_STOPPED);
	cr_assert_eq(kill_(b, a, SL_SIGCONT), 0);
	drain(a, NULL, 0, NULL);
	CHECK();
	cr_assert_eq(returned(), -SL_EINTR);
}

/* checked on Linux 6.18: after a handler nanosleep fails with EINTR and
 * the time left (ERESTART_RESTARTBLOCK never restarts after a handler). */
Test(sleep, nanosleep_fails_with_eintr_and_the_time_left_after_a_handler)
{
	int a = proc(0, 0), b = proc(0, 0);
	sl_time rem = 0;
	const struct sl_event *e;

	cr_assert_eq(set_action(a, SL_SIGUSR1, H1, SL_SA_RESTART, 0), 0);
	cr_assert_eq(sl_sys_nanosleep(K, a, 3 * SEC, &rem), SL_SYSCALL_BLOCKED);
	cr_assert_eq(sl_clock_advance(K, SEC), 0);
	cr_assert_eq(kill_(b, a, SL_SIGUSR1), 0);
	cr_assert_eq(drain(a, NULL, 0, NULL), 1);
	CHECK();
	e = rec_last(&REC, SL_EV_SYSCALL_RETURN);
	cr_assert(e);
	cr_assert_eq(e->ret, -SL_EINTR);
	cr_assert_eq((sl_time)e->info.value, 2 * SEC);
}

/* checked on Linux 6.18 (/proc/PID/syscall shows restart_syscall after
 * the continue): a stop and continue without a handler resume the sleep
 * with the same expiry, so the time stopped counts. */
Test(sleep, nanosleep_resumes_with_the_same_expiry_after_a_stop_and_continue)
{
	int a = child(), b = proc(0, 0);

	cr_assert_eq(sl_sys_nanosleep(K, a, 2 * SEC, NULL), SL_SYSCALL_BLOCKED);
	cr_assert_eq(kill_(b, a, SL_SIGSTOP), 0);
	cr_assert_eq(ret_user(a, NULL), SL_DELIVER_STOPPED);
	cr_assert_eq(sl_clock_advance(K, SEC), 0);
	cr_assert_eq(kill_(b, a, SL_SIGCONT), 0);
	drain(a, NULL, 0, NULL);
	CHECK();
	cr_assert(asleep(a));
	cr_assert_eq(sl_clock_next_event(K), 2 * SEC);
	cr_assert_eq(sl_clock_advance(K, SEC), 0);
	ret_user(a, NULL);
	cr_assert_eq(returned(), 0);
}

/* checked on Linux 6.18: with a SIGCONT handler the stopped sleep fails
 * with EINTR, and the time left is the one measured when the stop cut it
 * short. */
Test(sleep, nanosleep_rem_is_measured_when_the_stop_cuts_the_sleep)
{
	int a = child(), b = proc(0, 0);
	const struct sl_event *e;

	cr_assert_eq(set_action(a, SL_SIGCONT, H1, 0, 0), 0);
	cr_assert_eq(sl_sys_nanosleep(K, a, 3 * SEC, NULL), SL_SYSCALL_BLOCKED);
	cr_assert_eq(sl_clock_advance(K, SEC), 0);
	cr_assert_eq(kill_(b, a, SL_SIGSTOP), 0);
	cr_assert_eq(ret_user(a, NULL), SL_DELIVER_STOPPED);
	cr_assert_eq(sl_clock_advance(K, SEC / 2), 0);
	cr_assert_eq(kill_(b, a, SL_SIGCONT), 0);
	cr_assert_eq(drain(a, NULL, 0, NULL), 1);
	CHECK();
	e = rec_last(&REC, SL_EV_SYSCALL_RETURN);
	cr_assert(e);
	cr_assert_eq(e->ret, -SL_EINTR);
	cr_assert_eq((sl_time)e->info.value, 2 * SEC);
}

/* checked on Linux 6.18 (/proc/PID/fdinfo sigmask): signalfd drops
 * SIGKILL and SIGSTOP from its mask, so SIGSTOP still stops the task;
 * the signals it takes are read with their siginfo and no handler runs. */
Test(sleep, signalfd_takes_its_signals_but_never_sigkill_or_sigstop)
{
	int a = child(), b = proc(0, 0);
	sl_sigset m = SET(SL_SIGUSR1, SL_SIGSTOP, SL_SIGKILL);
	struct sl_siginfo si;
	long fd;

	cr_assert_eq(set_action(a, SL_SIGUSR1, H1, 0, 0), 0);
	cr_assert_eq(mask_op(a, SL_SIG_BLOCK, SET(SL_SIGUSR1)), 0);
	fd = sl_sys_signalfd(K, a, -1, &m);
	cr_assert_geq(fd, 0);
	CHECK();
	cr_assert_eq(kill_(b, a, SL_SIGUSR1), 0);
	cr_assert_eq(sl_sys_read_signalfd(K, a, (int)fd, &si), 128);
	cr_assert_eq(si.signo, SL_SIGUSR1);
	cr_assert_eq(sl_sys_read_signalfd(K, a, (int)fd, &si), SL_SYSCALL_BLOCKED);
	cr_assert_eq(kill_(b, a, SL_SIGSTOP), 0);
	cr_assert_eq(ret_user(a, NULL), SL_DELIVER_STOPPED);
	CHECK();
	cr_assert_eq(info_of(a).state, SL_TASK_STOPPED);
	cr_assert_eq(rec_count(&REC, SL_EV_HANDLER, SL_SIGUSR1), 0);
}

/* Not observable from user space (model-only): an uninterruptible wait is
 * not woken by SIGKILL; the kill waits until the wait ends. */
Test(sleep, an_uninterruptible_wait_keeps_sigkill_pending_until_it_ends)
{
	int a = proc(0, 0), b = proc(0, 0);

	cr_assert_eq(sl_sys_wait_event(K, a, 7, SL_SLEEP_UNINTERRUPTIBLE), SL_SYSCALL_BLOCKED);
	cr_assert_eq(kill_(b, a, SL_SIGKILL), 0);
	CHECK();
	cr_assert(asleep(a));
	cr_assert_eq(sl_wake_up(K, 7), 1);
	cr_assert_eq(ret_user(a, NULL), SL_DELIVER_EXITED);
	CHECK();
	cr_assert_eq(info_of(a).exit_code, SL_SIGKILL);
}

/* A killable wait is woken by SIGKILL only (model-only, as above). */
Test(sleep, a_killable_wait_wakes_for_sigkill_only)
{
	int a = proc(0, 0), b = proc(0, 0);

	cr_assert_eq(set_action(a, SL_SIGUSR1, H1, 0, 0), 0);
	cr_assert_eq(sl_sys_wait_event(K, a, 3, SL_SLEEP_KILLABLE), SL_SYSCALL_BLOCKED);
	cr_assert_eq(kill_(b, a, SL_SIGUSR1), 0);
	CHECK();
	cr_assert(asleep(a));
	cr_assert_eq(kill_(b, a, SL_SIGKILL), 0);
	cr_assert(!asleep(a));
	cr_assert_eq(ret_user(a, NULL), SL_DELIVER_EXITED);
	CHECK();
}

/* docs/api.md: after a call returns SL_SYSCALL_BLOCKED the task is still
 * in the kernel, on its way back from that call, until sl_return_to_user
 * has finished it: any other call for it is refused with -SL_ESRCH and
 * changes nothing, also when it is not asleep (pause with a signal
 * already pending returns BLOCKED with the task running). */
Test(sleep, a_task_whose_call_returned_blocked_makes_no_other_call_until_it_returns)
{
	int a = proc(0, 0), b = proc(0, 0);
	sl_sigset old = 0;

	cr_assert_eq(set_action(a, SL_SIGUSR1, H1, 0, 0), 0);
	cr_assert_eq(mask_op(a, SL_SIG_BLOCK, SET(SL_SIGUSR1)), 0);
	cr_assert_eq(kill_(b, a, SL_SIGUSR1), 0);
	cr_assert_eq(sl_sys_rt_sigsuspend(K, a, &old), SL_SYSCALL_BLOCKED);
	cr_assert(!asleep(a), "a signal was pending: woken at once");
	cr_assert_eq(info_of(a).state, SL_TASK_RUNNING);
	cr_assert(sl_task_has_work(K, a));
	cr_assert_eq(sl_sys_kill(K, a, b, SL_SIGUSR2), -SL_ESRCH);
	cr_assert_eq(sl_sys_rt_sigprocmask(K, a, SL_SIG_SETMASK, &old, NULL), -SL_ESRCH);
	cr_assert_eq(sl_sys_pause(K, a), -SL_ESRCH);
	cr_assert_eq(sl_sys_rt_sigreturn(K, a), -SL_ESRCH);
	cr_assert_eq(sigpending_of(b), 0, "the refused kill sent nothing");
	CHECK();
	/* the handler frame is built over the call: calls from the handler
	 * are the task's own again */
	cr_assert_eq(ret_user(a, NULL), SL_DELIVER_HANDLER);
	cr_assert_eq(sl_sys_kill(K, a, b, 0), 0);
	cr_assert_eq(sl_sys_rt_sigreturn(K, a), 0);
	cr_assert_eq(returned(), -SL_EINTR);
	cr_assert_eq(sl_sys_kill(K, a, b, 0), 0);
	cr_assert_eq(blocked_of(a), SET(SL_SIGUSR1), "sigsuspend's mask is gone");
}

/* checked on Linux 6.18 (tests/scenarios/timespec-invalid): a timespec
 * with tv_nsec >= 10^9 or a negative field is EINVAL before sigtimedwait
 * looks at the queues (the pending signal stays) and before nanosleep
 * sleeps; NULL is EFAULT; a valid one waits like the duration. */
Test(sleep, an_invalid_timespec_is_einval_before_anything_else)
{
	int a = proc(0, 0);
	sl_sigset usr1 = sl_sigmask(SL_SIGUSR1), pend = 0;
	struct sl_siginfo si = { 0 };
	struct sl_timespec big = { 0, SL_NSEC_PER_SEC }, neg = { -1, 0 }, ok = { 0, 999999999 };

	cr_assert_eq(sl_sys_rt_sigprocmask(K, a, SL_SIG_BLOCK, &usr1, NULL), 0);
	cr_assert_eq(kill_(a, a, SL_SIGUSR1), 0);
	cr_assert_eq(sl_sys_rt_sigtimedwait_ts(K, a, &usr1, &si, &big), -SL_EINVAL);
	cr_assert_eq(sl_sys_rt_sigtimedwait_ts(K, a, &usr1, &si, &neg), -SL_EINVAL);
	cr_assert_eq(sl_sys_rt_sigpending(K, a, &pend), 0);
	cr_assert_eq(pend, usr1, "the signal is still pending");
	cr_assert_eq(sl_sys_nanosleep_ts(K, a, &big, NULL), -SL_EINVAL);
	cr_assert_eq(sl_sys_nanosleep_ts(K, a, NULL, NULL), -SL_EFAULT);
	cr_assert_eq(sl_sys_rt_sigtimedwait_ts(K, a, &usr1, &si, &ok), SL_SIGUSR1);
	CHECK();
}

/* checked on Linux 6.18 (tests/scenarios/signalfd-flags): signalfd4
 * refuses unknown flags; SFD_NONBLOCK makes an empty read EAGAIN; a count
 * below one record is EINVAL; a larger one takes the pending records that
 * fit; execve closes an SFD_CLOEXEC descriptor. */
Test(sleep, signalfd_flags_and_read_counts)
{
	int a = proc(0, 0);
	sl_sigset set = sl_sigmask(SL_SIGUSR1) | sl_sigmask(SL_SIGUSR2), pend = 1;
	struct sl_siginfo si = { 0 };
	long fd;

	cr_assert_eq(sl_sys_rt_sigprocmask(K, a, SL_SIG_BLOCK, &set, NULL), 0);
	cr_assert_eq(sl_sys_signalfd4(K, a, -1, &set, 1), -SL_EINVAL);
	fd = sl_sys_signalfd4(K, a, -1, &set, SL_SFD_NONBLOCK | SL_SFD_CLOEXEC);
	cr_assert_geq(fd, 0);
	cr_assert_eq(sl_sys_read_signalfd_count(K, a, (int)fd, 128, &si), -SL_EAGAIN);
	cr_assert_eq(kill_(a, a, SL_SIGUSR1), 0);
	cr_assert_eq(kill_(a, a, SL_SIGUSR2), 0);
	cr_assert_eq(sl_sys_read_signalfd_count(K, a, (int)fd, 127, &si), -SL_EINVAL);
	cr_assert_eq(sl_sys_read_signalfd_count(K, a, (int)fd, 1000, &si), 256);
	cr_assert_eq(si.signo, SL_SIGUSR1);
	cr_assert_eq(sl_sys_rt_sigpending(K, a, &pend), 0);
	cr_assert_eq(pend, 0);
	cr_assert_eq(sl_sys_execve(K, a), 0);
	cr_assert_eq(sl_sys_read_signalfd_count(K, a, (int)fd, 128, &si), -SL_EBADF);
	CHECK();
}

/* signalfd_poll: readable while a signal of the file's mask is pending
 * for the poller, thread-directed or process-wide, whatever its mask; a
 * signal outside the mask does not count (tests/exec/calls/signalfd
 * checks the same on Linux 6.18 with poll(2)). */
Test(sleep, signalfd_poll_follows_the_pending_signals_of_its_mask)
{
	int a = proc(0, 0);
	sl_sigset set = sl_sigmask(SL_SIGUSR1), all = sl_sigmask(SL_SIGUSR1) | sl_sigmask(SL_SIGUSR2);
	struct sl_siginfo si = { 0 };
	long fd;

	cr_assert_eq(sl_sys_rt_sigprocmask(K, a, SL_SIG_BLOCK, &all, NULL), 0);
	fd = sl_sys_signalfd4(K, a, -1, &set, SL_SFD_NONBLOCK);
	cr_assert_geq(fd, 0);
	cr_assert_eq(sl_signalfd_poll(K, a, (int)fd), 0);
	cr_assert_eq(sl_signalfd_poll(K, a, (int)fd + 1), -SL_EBADF);
	cr_assert_eq(sl_signalfd_poll(K, 9999, (int)fd), -SL_ESRCH);
	cr_assert_eq(kill_(a, a, SL_SIGUSR2), 0);
	cr_assert_eq(sl_signalfd_poll(K, a, (int)fd), 0);
	cr_assert_eq(sl_sys_tkill(K, a, a, SL_SIGUSR1), 0);
	cr_assert_eq(sl_signalfd_poll(K, a, (int)fd), 1);
	cr_assert_eq(sl_sys_read_signalfd_count(K, a, (int)fd, 128, &si), 128);
	cr_assert_eq(sl_signalfd_poll(K, a, (int)fd), 0);
	cr_assert_eq(kill_(a, a, SL_SIGUSR1), 0);
	cr_assert_eq(sl_signalfd_poll(K, a, (int)fd), 1);
	CHECK();
}
