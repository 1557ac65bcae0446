/*
 * The set of tasks with work (src/engine/runqueue.c): sl_next_task_with_work
 * walks exactly the tasks sl_task_has_work names, in tid order, whatever
 * the number of tasks; a stale entry is dropped by the walk; every change
 * that gives a task work puts it back (sl_check holds it, CHECK() runs it
 * after each operation); and sl_check_task checks one task.
 */
#include "helpers.h"

TEST_SUITE_FX(runqueue);

/* Every tid the walk gives, into out (at most max); their number. */
static int walk(int *out, int max)
{
	int n = 0;

	for (int tid = sl_next_task_with_work(K, 0); tid > 0; tid = sl_next_task_with_work(K, tid))
		if (n < max)
			out[n++] = tid;
	return n;
}

Test(runqueue, the_walk_gives_exactly_the_tasks_with_work_in_tid_order)
{
	int a = proc(0, 0), b = proc(0, 0), c = proc(0, 0), got[8];

	walk(got, 8);	/* new tasks start marked; the walk drops them */
	cr_assert_eq(walk(got, 8), 0);
	set_action(c, SL_SIGUSR1, H1, 0, 0);
	set_action(a, SL_SIGUSR1, H1, 0, 0);
	kill_(b, c, SL_SIGUSR1);
	kill_(b, a, SL_SIGUSR1);
	cr_assert_eq(walk(got, 8), 2);
	cr_assert_eq(got[0], a);
	cr_assert_eq(got[1], c);
	drain(a, NULL, 0, NULL);
	cr_assert_eq(walk(got, 8), 1);
	cr_assert_eq(got[0], c);
	CHECK();
}

Test(runqueue, a_blocked_signal_is_no_work_until_it_is_unblocked)
{
	int a = proc(0, 0), b = proc(0, 0), got[4];

	set_action(a, SL_SIGUSR1, H1, 0, 0);
	mask_op(a, SL_SIG_BLOCK, SET(SL_SIGUSR1));
	kill_(b, a, SL_SIGUSR1);
	cr_assert_eq(walk(got, 4), 0);
	CHECK();
	mask_op(a, SL_SIG_UNBLOCK, SET(SL_SIGUSR1));
	cr_assert_eq(walk(got, 4), 1);
	cr_assert_eq(got[0], a);
}

Test(runqueue, a_woken_sleeper_and_a_resumed_stop_are_work)
{
	int p = child(), b = proc(0, 0), got[4];

	set_action(p, SL_SIGUSR1, H1, 0, 0);
	cr_assert_eq(sl_sys_pause(K, p), SL_SYSCALL_BLOCKED);
	cr_assert_eq(walk(got, 4), 0);
	kill_(b, p, SL_SIGUSR1);
	cr_assert_eq(walk(got, 4), 1);
	cr_assert_eq(got[0], p);
	drain(p, NULL, 0, NULL);
	walk(got, 4);
	kill_(b, p, SL_SIGSTOP);
	drain(p, NULL, 0, NULL);
	cr_assert_eq(info_of(p).state, SL_TASK_STOPPED);
	walk(got, 4);
	cr_assert_eq(walk(got, 4), 0);
	kill_(b, p, SL_SIGCONT);
	cr_assert_eq(walk(got, 4), 1);
	cr_assert_eq(got[0], p);
	CHECK();
}

/* Past 64 * 64 tids the walk goes through the summary bitmap. */
Test(runqueue, the_walk_skips_empty_words_of_many_tasks)
{
	int first = proc(0, 0), last = first, got[4];

	for (int i = 0; i < 9000; i++)
		last = proc(0, 0);
	walk(got, 4);
	kill_(first, last, SL_SIGTERM);
	cr_assert_eq(walk(got, 4), 1);
	cr_assert_eq(got[0], last);
	cr_assert_eq(sl_next_task_with_work(K, last), 0);
	cr_assert_eq(sl_next_task_with_work(K, -1), 0);
	CHECK();
}

Test(runqueue, check_task_checks_one_task_and_accepts_a_free_tid)
{
	int a = proc(0, 0), t = thread(a);
	const char *what = "x";

	cr_assert_eq(sl_check_task(K, a, &what), 0);
	cr_assert_null(what);
	cr_assert_eq(sl_check_task(K, t, &what), 0);
	cr_assert_eq(sl_check_task(K, 99999, &what), 0);
	cr_assert_eq(sl_check_task(K, -5, NULL), 0);
}
