/* The edges of the API's arithmetic: times that saturate at KTIME_MAX
 * (kernel/time/hrtimer.c ktime_add_safe, hrtimer_forward), overrun counts
 * that saturate at INT_MAX (posix-timers.c timer_overrun_to_int), read and
 * write counts clamped to MAX_RW_COUNT (fs/read_write.c), and enum
 * arguments checked like flags. */
#include <limits.h>

#include "helpers.h"

TEST_SUITE_FX(limits);

static const sl_time SEC = SL_NSEC_PER_SEC;

Test(limits, the_clock_saturates_and_never_runs_backwards)
{
	cr_assert_eq(sl_clock_advance(K, 10), 0);
	cr_assert_eq(sl_clock_advance(K, INT64_MAX), 0);
	cr_assert_eq(sl_clock_now(K), SL_KTIME_MAX - 1);
	cr_assert_eq(sl_clock_advance(K, INT64_MAX), 0);
	cr_assert_eq(sl_clock_now(K), SL_KTIME_MAX - 1, "still saturated");
	cr_assert_eq(sl_clock_advance(K, -1), -SL_EINVAL);
	CHECK();
}

/* A timer armed for longer than the clock can count stays armed and
 * never fires: ktime_add_safe saturates its expiry at KTIME_MAX. */
Test(limits, a_huge_timer_value_saturates_instead_of_wrapping)
{
	int a = proc(0, 0);
	struct sl_itimerspec nv = { .value = INT64_MAX }, cur;
	long id;

	cr_assert_eq(sl_clock_advance(K, 10 * SEC), 0);
	cr_assert_eq(sl_sys_setitimer(K, a, SL_ITIMER_REAL, &nv, NULL), 0);
	cr_assert_eq(sl_sys_getitimer(K, a, SL_ITIMER_REAL, &cur), 0);
	cr_assert_eq(cur.value, SL_KTIME_MAX - 10 * SEC, "armed, not wrapped: %lld",
		     (long long)cur.value);
	id = sl_sys_timer_create(K, a, SL_SIGUSR1, 0);
	cr_assert_geq(id, 0);
	cr_assert_eq(sl_sys_timer_settime(K, a, (int)id, &nv, NULL), 0);
	cr_assert_eq(sl_sys_timer_gettime(K, a, (int)id, &cur), 0);
	cr_assert_gt(cur.value, 0, "the POSIX timer runs");
	cr_assert_eq(sl_clock_next_event(K), -1, "nothing will ever expire");
	cr_assert_eq(sl_clock_advance(K, INT64_MAX), 0);
	cr_assert_eq(rec_count(&REC, SL_EV_GENERATE, 0), 0, "neither fired");
	CHECK();
}

/* A 1 ns periodic timer and a jump of the clock to its end: the timer is
 * forwarded without overflow and its overrun saturates at INT_MAX. */
Test(limits, a_periodic_timer_forwarded_across_the_whole_clock)
{
	int a = proc(0, 0);
	struct sl_itimerspec nv = { .value = 1, .interval = 1 }, cur;
	sl_sigset set = SET(SL_SIGUSR1);
	struct sl_siginfo si;
	long id;

	cr_assert_eq(mask_op(a, SL_SIG_BLOCK, set), 0);
	id = sl_sys_timer_create(K, a, SL_SIGUSR1, 0);
	cr_assert_geq(id, 0);
	cr_assert_eq(sl_sys_timer_settime(K, a, (int)id, &nv, NULL), 0);
	cr_assert_eq(sl_clock_advance(K, 1), 0);
	cr_assert_eq(sl_clock_advance(K, INT64_MAX / 2), 0);
	cr_assert_eq(sl_sys_rt_sigtimedwait(K, a, &set, &si, NULL), SL_SIGUSR1);
	cr_assert_eq(si.overrun, INT_MAX, "overrun %d", si.overrun);
	cr_assert_eq(sl_sys_timer_getoverrun(K, a, (int)id), INT_MAX);
	cr_assert_eq(sl_sys_timer_gettime(K, a, (int)id, &cur), 0);
	cr_assert(cur.value > 0 && cur.value <= 1, "next period within 1 ns");
	cr_assert_eq(sl_clock_advance(K, INT64_MAX), 0);
	CHECK();
}

/* nanosleep and sigtimedwait with the longest timeouts sleep for ever. */
Test(limits, the_longest_sleeps_never_end)
{
	int a = proc(0, 0), b = proc(0, 0);
	sl_time forever = INT64_MAX;
	sl_sigset set = SET(SL_SIGUSR2);

	cr_assert_eq(sl_clock_advance(K, SEC), 0);
	cr_assert_eq(sl_sys_nanosleep(K, a, forever, NULL), SL_SYSCALL_BLOCKED);
	cr_assert_eq(sl_sys_rt_sigtimedwait(K, b, &set, NULL, &forever), SL_SYSCALL_BLOCKED);
	cr_assert_eq(sl_clock_next_event(K), -1);
	cr_assert_eq(sl_clock_advance(K, INT64_MAX), 0);
	cr_assert_eq(rec_count(&REC, SL_EV_SYSCALL_RETURN, 0), 0, "both still asleep");
	CHECK();
}

/* vfs_write: at most MAX_RW_COUNT bytes per call, never a negative
 * result and never a wrapped byte count. */
Test(limits, a_write_larger_than_max_rw_count_is_clamped)
{
	int a = proc(0, 0);
	long pipe = sl_pipe_create(K);

	cr_assert_geq(pipe, 0);
	cr_assert_eq(sl_sys_write(K, a, (int)pipe, SIZE_MAX), 0x7ffff000L);
	cr_assert_eq(sl_sys_write(K, a, (int)pipe, (size_t)LONG_MAX + 1), 0x7ffff000L);
	cr_assert_eq(sl_sys_read(K, a, (int)pipe, SIZE_MAX), 0x7ffff000L);
	cr_assert_eq(sl_sys_read(K, a, (int)pipe, 10), 10);
	CHECK();
}

Test(limits, an_unknown_spawn_kind_is_einval)
{
	int before = proc(0, 0);

	cr_assert_eq(sl_spawn(K, &(struct sl_spawn){ .kind = (enum sl_spawn_kind)77 }),
		     -SL_EINVAL);
	cr_assert_eq(sl_spawn(K, &(struct sl_spawn){ .kind = (enum sl_spawn_kind)-1 }),
		     -SL_EINVAL);
	cr_assert_eq(proc(0, 0), before + 1, "nothing was created in between");
	CHECK();
}
