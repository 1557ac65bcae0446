/* POSIX timers on CPU-time clocks (kernel/time/posix-cpu-timers.c):
 * which clocks timer_create takes, expiry in the clock's own time at the
 * instant sl_cpu_run reaches it, timer_gettime and the overrun of
 * bump_cpu_timer.  "checked on Linux 6.18": tests/exec/cpu_timer.c run
 * natively, and tests/scenarios/timer-cputime through `siglab diff`. */
#include "helpers.h"

TEST_SUITE_FX(cputimer);

static const sl_time MS = 1000000;

static long make(int caller, int clock, int sig)
{
	struct sl_sigevent ev = { .notify = SL_SIGEV_SIGNAL, .signo = sig, .value = 5 };

	return sl_sys_timer_create_clock(K, caller, clock, &ev);
}

/* checked on Linux 6.18: EOPNOTSUPP for CLOCK_MONOTONIC_RAW, EINVAL for
 * clock 10, for a thread clock of another process and for a process
 * clock of a thread that is not a leader; another process's process clock
 * is fine (pid_for_clock with gettime false). */
Test(cputimer, timer_create_takes_the_clocks_the_kernel_takes)
{
	int a = proc(0, 0), b = proc(0, 0), a2 = thread(a);

	cr_assert_eq(make(a, 4, SL_SIGUSR1), -SL_EOPNOTSUPP);
	cr_assert_eq(make(a, 10, SL_SIGUSR1), -SL_EINVAL);
	cr_assert_eq(make(a, SL_CPUCLOCK_THREAD(b, SL_CPUCLOCK_SCHED), SL_SIGUSR1), -SL_EINVAL);
	cr_assert_eq(make(a, SL_CPUCLOCK_PROCESS(a2, SL_CPUCLOCK_SCHED), SL_SIGUSR1),
		     -SL_EINVAL);
	cr_assert_eq(make(a, SL_CPUCLOCK_PROCESS(a, 3), SL_SIGUSR1), -SL_EOPNOTSUPP,
		     "a clock fd");
	/* the sigevent is checked before the clock's task */
	cr_assert_eq(make(a, SL_CPUCLOCK_THREAD(b, SL_CPUCLOCK_SCHED), 99), -SL_EINVAL);
	cr_assert_eq(make(a, SL_CPUCLOCK_PROCESS(b, SL_CPUCLOCK_SCHED), SL_SIGUSR1), 0);
	cr_assert_eq(make(a, SL_CPUCLOCK_THREAD(a2, SL_CPUCLOCK_SCHED), SL_SIGUSR1), 1);
	cr_assert_eq(make(a, SL_CLOCK_PROCESS_CPUTIME_ID, SL_SIGUSR1), 2);
	cr_assert_eq(make(a, SL_CLOCK_THREAD_CPUTIME_ID, SL_SIGUSR1), 3);
	CHECK();
}

/* Only CPU time moves the clock: the wall clock does not fire it, and
 * sl_cpu_run stops at the exact nanosecond of the expiry. */
Test(cputimer, a_process_clock_timer_fires_at_its_cpu_time)
{
	int a = proc(0, 0);
	struct sl_itimerspec nv = { .value = 30 * MS }, cur;
	struct sl_ksignal ks;

	cr_assert_eq(set_action(a, SL_SIGALRM, H1, SL_SA_SIGINFO, 0), 0);
	cr_assert_eq(make(a, SL_CLOCK_PROCESS_CPUTIME_ID, SL_SIGALRM), 0);
	cr_assert_eq(sl_sys_timer_settime(K, a, 0, &nv, NULL), 0);
	cr_assert_eq(sl_cpu_timer_next(K, a), 30 * MS);
	cr_assert_eq(sl_clock_advance(K, 100 * MS), 0);
	cr_assert_eq(rec_count(&REC, SL_EV_GENERATE, SL_SIGALRM), 0, "wall time is not CPU time");
	cr_assert_eq(sl_cpu_run(K, a, 10 * MS), 10 * MS);
	cr_assert_eq(sl_sys_timer_gettime(K, a, 0, &cur), 0);
	cr_assert_eq(cur.value, 20 * MS);
	cr_assert_eq(sl_cpu_run(K, a, 50 * MS), 20 * MS, "stops at the expiry");
	cr_assert_eq(rec_count(&REC, SL_EV_GENERATE, SL_SIGALRM), 1);
	cr_assert_eq(ret_user(a, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(ks.info.code, SL_SI_TIMER);
	cr_assert_eq(ks.info.value, 5);
	cr_assert_eq(sl_sys_rt_sigreturn(K, a), 0);
	/* a fired one-shot timer reads 0, interval too */
	cr_assert_eq(sl_sys_timer_gettime(K, a, 0, &cur), 0);
	cr_assert_eq(cur.value, 0);
	cr_assert_eq(sl_cpu_timer_next(K, a), -1);
	cr_assert_eq(sl_cpu_time(K, a), 30 * MS);
	cr_assert_eq(sl_cpu_thread_time(K, a), 30 * MS);
	CHECK();
}

/* A thread clock counts that thread only; a process clock every thread. */
Test(cputimer, thread_and_process_clocks)
{
	int a = proc(0, 0), a2 = thread(a);
	struct sl_itimerspec nv = { .value = 30 * MS };
	sl_sigset set = SET(SL_SIGUSR1) | SET(SL_SIGUSR2);

	cr_assert_eq(mask_op(a, SL_SIG_BLOCK, set), 0);
	cr_assert_eq(mask_op(a2, SL_SIG_BLOCK, set), 0);
	cr_assert_eq(make(a, SL_CPUCLOCK_THREAD(a2, SL_CPUCLOCK_SCHED), SL_SIGUSR1), 0);
	cr_assert_eq(make(a, SL_CLOCK_PROCESS_CPUTIME_ID, SL_SIGUSR2), 1);
	cr_assert_eq(sl_sys_timer_settime(K, a, 0, &nv, NULL), 0);
	nv.value = 50 * MS;
	cr_assert_eq(sl_sys_timer_settime(K, a, 1, &nv, NULL), 0);
	cr_assert_eq(sl_cpu_run(K, a, 40 * MS), 40 * MS, "a's time is not a2's");
	cr_assert_eq(sl_cpu_timer_next(K, a), 10 * MS);
	cr_assert_eq(sl_cpu_timer_next(K, a2), 10 * MS);
	cr_assert_eq(sl_cpu_run(K, a2, 40 * MS), 10 * MS, "the process clock at 50 ms");
	cr_assert_eq(rec_count(&REC, SL_EV_GENERATE, SL_SIGUSR2), 1);
	cr_assert_eq(sl_cpu_run(K, a2, 40 * MS), 20 * MS, "a2's own clock at 30 ms");
	cr_assert_eq(rec_count(&REC, SL_EV_GENERATE, SL_SIGUSR1), 1);
	cr_assert_eq(sl_cpu_thread_time(K, a2), 30 * MS);
	cr_assert_eq(sl_cpu_time(K, a), 70 * MS);
	CHECK();
}

/* checked on Linux 6.18 (tests/exec/cpu_timer overrun: 30 ms, period
 * 100 ms, dequeued after 280 ms: overrun 2).  bump_cpu_timer counts the
 * periods up to now; at exactly a period boundary the expiry lands on
 * now, and the timer fires again at once. */
Test(cputimer, a_blocked_periodic_timer_counts_overruns)
{
	int a = proc(0, 0);
	struct sl_itimerspec nv = { .interval = 100 * MS, .value = 30 * MS }, cur;
	sl_sigset set = SET(SL_SIGUSR1);
	struct sl_siginfo si;

	cr_assert_eq(mask_op(a, SL_SIG_BLOCK, set), 0);
	cr_assert_eq(make(a, SL_CLOCK_THREAD_CPUTIME_ID, SL_SIGUSR1), 0);
	cr_assert_eq(sl_sys_timer_settime(K, a, 0, &nv, NULL), 0);
	cr_assert_eq(sl_cpu_run(K, a, 280 * MS), 30 * MS);
	cr_assert_eq(sl_cpu_run(K, a, 250 * MS), 250 * MS, "queued: no other expiry");
	cr_assert_eq(sl_sys_timer_gettime(K, a, 0, &cur), 0);
	cr_assert_eq(cur.value, 50 * MS, "bumped past now: 330 ms");
	cr_assert_eq(sl_sys_rt_sigtimedwait(K, a, &set, &si, NULL), SL_SIGUSR1);
	cr_assert_eq(si.overrun, 2);
	cr_assert_eq(sl_sys_timer_getoverrun(K, a, 0), 2);
	/* 330 ms: due at exactly the next boundary */
	cr_assert_eq(sl_cpu_run(K, a, 50 * MS), 50 * MS);
	cr_assert_eq(sl_sys_rt_sigtimedwait(K, a, &set, &si, NULL), SL_SIGUSR1);
	cr_assert_eq(si.overrun, 0);
	CHECK();
}

/* A timer on another process's clock: that process's CPU time fires it,
 * and the signal goes to the timer's owner.  Once the clock's process is
 * reaped, the timer reads 0 and timer_settime is ESRCH. */
Test(cputimer, a_timer_on_another_process_clock)
{
	int a = proc(0, 0), b = proc(a, 0);
	struct sl_itimerspec nv = { .value = 20 * MS }, cur;
	sl_sigset set = SET(SL_SIGUSR1);
	int st;

	cr_assert_eq(mask_op(a, SL_SIG_BLOCK, set), 0);
	cr_assert_eq(make(a, SL_CPUCLOCK_PROCESS(b, SL_CPUCLOCK_SCHED), SL_SIGUSR1), 0);
	cr_assert_eq(sl_sys_timer_settime(K, a, 0, &nv, NULL), 0);
	cr_assert_eq(sl_cpu_run(K, a, 50 * MS), 50 * MS);
	cr_assert_eq(sl_cpu_run(K, b, 50 * MS), 20 * MS);
	cr_assert_eq(rec_count(&REC, SL_EV_GENERATE, SL_SIGUSR1), 1);
	cr_assert(sigpending_of(a) & SET(SL_SIGUSR1));
	nv.value = 100 * MS;
	cr_assert_eq(sl_sys_timer_settime(K, a, 0, &nv, NULL), 0);
	sl_sys_exit_group(K, b, 0);
	cr_assert_eq(sl_sys_wait4(K, a, b, &st, 0), b);
	cr_assert_eq(sl_sys_timer_gettime(K, a, 0, &cur), 0);
	cr_assert_eq(cur.value, 0);
	cr_assert_eq(sl_sys_timer_settime(K, a, 0, &nv, NULL), -SL_ESRCH);
	CHECK();
}

/* CPU time saturates at KTIME_MAX (engine fuzzer: two runs of almost
 * INT64_MAX overflowed the process's sum); a timer armed near the end of
 * time neither overflows nor fires early. */
Test(cputimer, cpu_time_saturates_at_ktime_max)
{
	int a = proc(0, 0);
	struct sl_itimerspec nv = { .value = SL_KTIME_MAX - 1, .interval = 1 };

	cr_assert_eq(mask_op(a, SL_SIG_BLOCK, SET(SL_SIGUSR1)), 0);

	cr_assert_eq(make(a, SL_CLOCK_THREAD_CPUTIME_ID, SL_SIGUSR1), 0);
	cr_assert_eq(sl_sys_timer_settime(K, a, 0, &nv, NULL), 0);
	cr_assert_eq(sl_cpu_run(K, a, 10 * MS), 10 * MS);
	cr_assert_eq(sl_cpu_run(K, a, INT64_MAX - 1), SL_KTIME_MAX - 1 - 10 * MS, "stops at the expiry");
	cr_assert_eq(rec_count(&REC, SL_EV_GENERATE, SL_SIGUSR1), 1);
	cr_assert_eq(sl_cpu_run(K, a, INT64_MAX), 1, "the signal is queued: no expiry");
	cr_assert_eq(sl_cpu_time(K, a), SL_KTIME_MAX);
	cr_assert_eq(sl_cpu_run(K, a, INT64_MAX), 0, "no time is left");
	cr_assert_eq(sl_cpu_time(K, a), SL_KTIME_MAX);
	CHECK();
}
