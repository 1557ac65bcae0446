/* Time on the virtual clock: alarm, ITIMER_REAL and POSIX timers with
 * SIGEV_SIGNAL (kernel/time/itimer.c, kernel/time/posix-timers.c,
 * kernel/signal.c posixtimer_*).  "checked on Linux 6.18": run on the real
 * kernel (small C programs, and tests/scenarios/itimer-reload,
 * timer-oneshot, timer-ignored, examples/timer-overrun through `siglab
 * diff`). */
#include "helpers.h"

TEST_SUITE_FX(timer);

static const sl_time SEC = SL_NSEC_PER_SEC;
static const sl_time MS = 1000000;

/* checked on Linux 6.18: alarm returns the seconds left of the previous
 * alarm, half a second and more rounded up (alarm(5), 1.4 s later: 4). */
Test(timer, alarm_returns_the_seconds_left_rounded_half_up)
{
	int a = proc(0, 0);

	cr_assert_eq(sl_sys_alarm(K, a, 5), 0);
	cr_assert_eq(sl_clock_advance(K, 1500 * MS), 0);
	cr_assert_eq(sl_sys_alarm(K, a, 3), 4, "3.5 s left rounds to 4");
	cr_assert_eq(sl_clock_advance(K, 1600 * MS), 0);
	cr_assert_eq(sl_sys_alarm(K, a, 0), 1, "1.4 s left rounds to 1");
	CHECK();
}

/* checked on Linux 6.18: alarm(1), 0.95 s later alarm(0) returns 1, not 0:
 * a running alarm never reads as none. */
Test(timer, alarm_never_returns_zero_while_an_alarm_runs)
{
	int a = proc(0, 0);

	cr_assert_eq(sl_sys_alarm(K, a, 1), 0);
	cr_assert_eq(sl_clock_advance(K, 950 * MS), 0);
	cr_assert_eq(sl_sys_alarm(K, a, 0), 1);
	cr_assert_eq(sl_sys_alarm(K, a, 0), 0, "cancelled: nothing left");
	CHECK();
}

/* checked on Linux 6.18: a periodic ITIMER_REAL sends SIGALRM (SI_KERNEL)
 * once while it stays blocked, reads 0 left while the reload waits, and
 * is forwarded past now when the signal is dequeued. */
Test(timer, itimer_real_waits_for_the_dequeue_to_reload)
{
	int a = proc(0, 0);
	struct sl_itimerspec nv = { .interval = SEC, .value = SEC }, cur;
	sl_sigset set = SET(SL_SIGALRM);
	struct sl_siginfo si;

	cr_assert_eq(mask_op(a, SL_SIG_BLOCK, set), 0);
	cr_assert_eq(sl_sys_setitimer(K, a, SL_ITIMER_REAL, &nv, NULL), 0);
	cr_assert_eq(sl_clock_advance(K, 2500 * MS), 0);
	CHECK();
	cr_assert_eq(rec_count(&REC, SL_EV_GENERATE, SL_SIGALRM), 1);
	cr_assert_eq(rec_last(&REC, SL_EV_GENERATE)->info.code, SL_SI_KERNEL);
	cr_assert_eq(sl_sys_getitimer(K, a, SL_ITIMER_REAL, &cur), 0);
	cr_assert_eq(cur.value, 0);
	cr_assert_eq(cur.interval, SEC);
	cr_assert_eq(sl_sys_rt_sigtimedwait(K, a, &set, &si, NULL), SL_SIGALRM);
	cr_assert_eq(sl_sys_getitimer(K, a, SL_ITIMER_REAL, &cur), 0);
	cr_assert_eq(cur.value, 500 * MS);
	CHECK();
}

/* checked on Linux 6.18: the timer's signal carries SI_TIMER and its
 * sigev_value; ids count from 0 per process. */
Test(timer, a_posix_timer_sends_si_timer_with_its_value)
{
	int a = proc(0, 0);
	struct sl_itimerspec nv = { .value = SEC };
	struct sl_ksignal ks;

	cr_assert_eq(set_action(a, SL_SIGRTMIN + 2, H1, SL_SA_SIGINFO, 0), 0);
	cr_assert_eq(sl_sys_timer_create(K, a, SL_SIGRTMIN + 2, 3), 0);
	cr_assert_eq(sl_sys_timer_create(K, a, SL_SIGUSR2, 4), 1);
	cr_assert_eq(sl_sys_timer_settime(K, a, 0, &nv, NULL), 0);
	cr_assert_eq(sl_clock_advance(K, 1500 * MS), 0);
	CHECK();
	cr_assert_eq(ret_user(a, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(ks.info.code, SL_SI_TIMER);
	cr_assert_eq(ks.info.value, 3);
	cr_assert_eq(ks.info.overrun, 0);
	cr_assert_eq(sl_sys_rt_sigreturn(K, a), 0);
	cr_assert_eq(sl_sys_timer_getoverrun(K, a, 0), 0);
	CHECK();
}

/* checked on Linux 6.18: a periodic timer whose signal stays blocked
 * queues one signal; the dequeue counts the expiries it missed
 * (100 ms period, dequeued at 550 ms: overrun 4, timer_getoverrun 4). */
Test(timer, a_blocked_periodic_timer_counts_overruns_at_dequeue)
{
	int a = proc(0, 0);
	struct sl_itimerspec nv = { .interval = 100 * MS, .value = 100 * MS };
	sl_sigset set = SET(SL_SIGUSR1);
	struct sl_siginfo si;

	cr_assert_eq(mask_op(a, SL_SIG_BLOCK, set), 0);
	cr_assert_eq(sl_sys_timer_create(K, a, SL_SIGUSR1, 7), 0);
	cr_assert_eq(sl_sys_timer_settime(K, a, 0, &nv, NULL), 0);
	cr_assert_eq(sl_clock_advance(K, 550 * MS), 0);
	CHECK();
	cr_assert_eq(rec_count(&REC, SL_EV_GENERATE, SL_SIGUSR1), 1);
	cr_assert_eq(sl_sys_rt_sigtimedwait(K, a, &set, &si, NULL), SL_SIGUSR1);
	cr_assert_eq(si.overrun, 4);
	cr_assert_eq(sl_sys_timer_getoverrun(K, a, 0), 4);
	cr_assert_eq(sl_clock_next_event(K), 600 * MS);
	CHECK();
}

/* checked on Linux 6.18 (/tmp program: 100 ms period, SIGUSR1 blocked):
 * while the periodic timer's signal is still queued, timer_gettime
 * forwards it past now and reads the time to the next period (150 ms:
 * 49.8 ms; 350 ms: 49.5 ms), never 1 ns; timer_getoverrun stays 0 until
 * the dequeue, whose overrun is the same as without the reads (3 at
 * 430 ms); then the rearmed timer reads the time to its expiry (70 ms).
 * A one-shot timer whose signal is pending reads 0. */
Test(timer, timer_gettime_on_a_pending_periodic_timer_reads_the_next_period)
{
	int a = proc(0, 0);
	struct sl_itimerspec nv = { .interval = 100 * MS, .value = 100 * MS }, cur;
	struct sl_itimerspec one = { .value = 100 * MS };
	sl_sigset set = SET(SL_SIGUSR1);
	struct sl_siginfo si;

	cr_assert_eq(mask_op(a, SL_SIG_BLOCK, set), 0);
	cr_assert_eq(sl_sys_timer_create(K, a, SL_SIGUSR1, 7), 0);
	cr_assert_eq(sl_sys_timer_settime(K, a, 0, &nv, NULL), 0);
	cr_assert_eq(sl_clock_advance(K, 150 * MS + 300000), 0);
	cr_assert_eq(sl_sys_timer_gettime(K, a, 0, &cur), 0);
	cr_assert_eq(cur.value, 49700000, "got %lld ns", (long long)cur.value);
	cr_assert_eq(cur.interval, 100 * MS);
	cr_assert_eq(sl_clock_advance(K, 200 * MS), 0);
	cr_assert_eq(sl_sys_timer_gettime(K, a, 0, &cur), 0);
	cr_assert_eq(cur.value, 49700000, "more than a period pending: got %lld ns",
		     (long long)cur.value);
	cr_assert_eq(sl_sys_timer_getoverrun(K, a, 0), 0);
	cr_assert_eq(sl_clock_advance(K, 80 * MS - 300000), 0);	/* 430 ms */
	cr_assert_eq(sl_sys_timer_gettime(K, a, 0, &cur), 0);
	cr_assert_eq(cur.value, 70 * MS);
	cr_assert_eq(sl_sys_rt_sigtimedwait(K, a, &set, &si, NULL), SL_SIGUSR1);
	cr_assert_eq(si.overrun, 3);
	cr_assert_eq(sl_sys_timer_getoverrun(K, a, 0), 3);
	cr_assert_eq(sl_sys_timer_gettime(K, a, 0, &cur), 0);
	cr_assert_eq(cur.value, 70 * MS, "rearmed at 500 ms");
	CHECK();
	cr_assert_eq(sl_sys_timer_create(K, a, SL_SIGUSR1, 8), 1);
	cr_assert_eq(sl_sys_timer_settime(K, a, 1, &one, NULL), 0);
	cr_assert_eq(sl_clock_advance(K, 150 * MS), 0);
	cr_assert_eq(sl_sys_timer_gettime(K, a, 1, &cur), 0);
	cr_assert_eq(cur.value, 0, "fired one-shot: disarmed");
	cr_assert_eq(cur.interval, 0);
	CHECK();
}

/* checked on Linux 6.18 (found by `siglab diff`): a periodic timer whose
 * signal is ignored at expiry stops on the ignored list; replacing SIG_IGN
 * queues its signal again without a signal_generate, and the dequeue
 * counts what it missed. */
Test(timer, an_ignored_periodic_timer_is_requeued_when_sig_ign_is_replaced)
{
	int a = proc(0, 0);
	struct sl_itimerspec nv = { .interval = SEC, .value = SEC };
	sl_sigset set = SET(SL_SIGUSR1);
	struct sl_siginfo si;

	cr_assert_eq(set_action(a, SL_SIGUSR1, SL_SIG_IGN, 0, 0), 0);
	cr_assert_eq(sl_sys_timer_create(K, a, SL_SIGUSR1, 1), 0);
	cr_assert_eq(sl_sys_timer_settime(K, a, 0, &nv, NULL), 0);
	cr_assert_eq(sl_clock_advance(K, 3500 * MS), 0);
	CHECK();
	cr_assert_eq(rec_count(&REC, SL_EV_GENERATE, SL_SIGUSR1), 1);
	cr_assert_eq(rec_last(&REC, SL_EV_GENERATE)->result, SL_TRACE_IGNORED);
	cr_assert_eq(sl_clock_next_event(K), -1, "the timer is stopped");
	cr_assert_eq(mask_op(a, SL_SIG_BLOCK, set), 0);
	cr_assert_eq(set_action(a, SL_SIGUSR1, H1, 0, 0), 0);
	CHECK();
	cr_assert_eq(rec_count(&REC, SL_EV_GENERATE, SL_SIGUSR1), 1, "no new generate");
	cr_assert(sigpending_of(a) & set);
	cr_assert_eq(sl_sys_rt_sigtimedwait(K, a, &set, &si, NULL), SL_SIGUSR1);
	cr_assert_eq(si.code, SL_SI_TIMER);
	cr_assert_eq(si.overrun, 2);
	cr_assert_eq(sl_clock_next_event(K), 4 * SEC);
	CHECK();
}

/* checked on Linux 6.18: an id no timer has, and a deleted one, are
 * EINVAL. */
Test(timer, unknown_and_deleted_timer_ids_are_einval)
{
	int a = proc(0, 0);
	struct sl_itimerspec nv = { .value = SEC };

	cr_assert_eq(sl_sys_timer_settime(K, a, 7, &nv, NULL), -SL_EINVAL);
	cr_assert_eq(sl_sys_timer_create(K, a, SL_SIGUSR1, 0), 0);
	cr_assert_eq(sl_sys_timer_delete(K, a, 0), 0);
	cr_assert_eq(sl_sys_timer_delete(K, a, 0), -SL_EINVAL);
	cr_assert_eq(sl_sys_timer_getoverrun(K, a, 0), -SL_EINVAL);
	CHECK();
}
