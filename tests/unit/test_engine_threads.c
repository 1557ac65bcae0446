/* complete_signal: which thread takes a process-directed signal, and the
 * group exit a fatal signal becomes (kernel/signal.c, kernel/exit.c). */
#include "helpers.h"

TEST_SUITE_FX(threads);

/* Returns every live thread of the list to user mode once. */
static void run_all(const int *tids, int n)
{
	for (int i = 0; i < n; i++) {
		struct sl_task_info ti = info_of(tids[i]);

		if (ti.state == SL_TASK_RUNNING)
			(void)ret_user(tids[i], NULL);
	}
}

static bool delivered_to(int tid, int sig)
{
	for (size_t i = 0; i < rec_count(&REC, SL_EV_DELIVER, sig); i++)
		if (rec_nth(&REC, SL_EV_DELIVER, sig, i)->tid == tid)
			return true;
	return false;
}

/* wants_signal skips a thread that blocks the signal. */
Test(threads, process_signal_goes_to_a_thread_that_does_not_block_it)
{
	int p = proc(0, 0);
	int t;
	struct sl_ksignal ks;

	cr_assert_eq(set_action(p, SL_SIGUSR1, H1, 0, 0), 0);
	t = thread(p);
	cr_assert_eq(mask_op(p, SL_SIG_BLOCK, SET(SL_SIGUSR1)), 0);
	cr_assert_eq(kill_(p, p, SL_SIGUSR1), 0);
	cr_assert(sl_task_has_work(K, t));
	cr_assert(!sl_task_has_work(K, p));
	cr_assert_eq(ret_user(p, NULL), SL_DELIVER_NONE);
	cr_assert_eq(ret_user(t, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(ks.sig, SL_SIGUSR1);
	cr_assert_eq(info_of(p).shared_pending, 0);
}

Test(threads, process_signal_blocked_everywhere_waits_in_the_shared_queue)
{
	int p = proc(0, 0);
	int t;

	cr_assert_eq(mask_op(p, SL_SIG_BLOCK, SET(SL_SIGUSR1)), 0);
	t = thread(p);
	cr_assert_eq(kill_(p, p, SL_SIGUSR1), 0);
	cr_assert(!sl_task_has_work(K, p));
	cr_assert(!sl_task_has_work(K, t));
	cr_assert_eq(info_of(p).shared_pending, SET(SL_SIGUSR1));
	cr_assert_eq(mask_op(t, SL_SIG_UNBLOCK, SET(SL_SIGUSR1)), 0);
	cr_assert(sl_task_has_work(K, t));
}

/* A thread-directed signal is only for that thread. */
Test(threads, thread_signal_is_only_for_its_thread)
{
	int p = proc(0, 0);
	int t = thread(p);

	cr_assert_eq(set_action(p, SL_SIGUSR1, H1, 0, 0), 0);
	cr_assert_eq(mask_op(t, SL_SIG_BLOCK, SET(SL_SIGUSR1)), 0);
	cr_assert_eq(tkill_(p, t, SL_SIGUSR1), 0);
	cr_assert(!sl_task_has_work(K, p));
	cr_assert_eq(ret_user(p, NULL), SL_DELIVER_NONE);
	cr_assert_eq(info_of(t).pending, SET(SL_SIGUSR1));
}

/* checked on Linux 6.18 (tracefs): kill(pid, SIGTERM) of a three-thread
 * process: one signal_generate sig=15, then signal_deliver sig=9 in each of
 * the three threads; wait status: killed by signal 15. */
Test(threads, fatal_signal_kills_every_thread_with_sigkill_keeping_the_signal)
{
	int parent = proc(0, 0);
	int p = proc(parent, 0);
	int tids[3];
	struct sl_task_info ti;
	const struct sl_event *ex;

	tids[0] = p;
	tids[1] = thread(p);
	tids[2] = thread(p);
	rec_clear(&REC);
	cr_assert_eq(kill_(parent, p, SL_SIGTERM), 0);
	for (int i = 0; i < 3; i++)
		cr_assert(sl_task_has_work(K, tids[i]), "thread %d has SIGKILL to take", i);
	run_all(tids, 3);
	for (int i = 0; i < 3; i++) {
		cr_assert(delivered_to(tids[i], SL_SIGKILL), "signal_deliver sig=9 in thread %d", i);
		cr_assert(!delivered_to(tids[i], SL_SIGTERM));
	}
	ti = info_of(p);
	cr_assert_eq(ti.state, SL_TASK_ZOMBIE);
	cr_assert_eq(ti.exit_kind, SL_EXIT_SIGNAL);
	cr_assert_eq(ti.exit_code, SL_SIGTERM, "the group exit code is the original signal");
	cr_assert(!ti.core_dumped);
	ex = rec_last(&REC, SL_EV_EXIT);
	cr_assert_not_null(ex);
	cr_assert_eq(ex->code, SL_SIGTERM);
}

/* checked on Linux 6.18 (tracefs): a single-threaded process killed by
 * SIGTERM shows signal_deliver sig=9, and exits by signal 15. */
Test(threads, single_thread_fatal_signal_is_delivered_as_sigkill)
{
	int parent = proc(0, 0);
	int p = proc(parent, 0);

	cr_assert_eq(kill_(parent, p, SL_SIGTERM), 0);
	cr_assert_eq(ret_user(p, NULL), SL_DELIVER_EXITED);
	cr_assert(delivered_to(p, SL_SIGKILL));
	cr_assert_eq(info_of(p).exit_code, SL_SIGTERM);
	cr_assert_eq(info_of(p).exit_kind, SL_EXIT_SIGNAL);
}

/* checked on Linux 6.18: pthread_kill(t, SIGUSR1) with SIG_DFL kills the
 * process: wait status killed by 10; tracefs: generate grp=0 code=-6, then
 * signal_deliver sig=9 in both threads. */
Test(threads, thread_directed_fatal_signal_kills_the_whole_group)
{
	int parent = proc(0, 0);
	int p = proc(parent, 0);
	int tids[2];

	tids[0] = p;
	tids[1] = thread(p);
	cr_assert_eq(tkill_(p, tids[1], SL_SIGUSR1), 0);
	run_all(tids, 2);
	cr_assert_eq(info_of(p).state, SL_TASK_ZOMBIE);
	cr_assert_eq(info_of(p).exit_code, SL_SIGUSR1);
	cr_assert(delivered_to(tids[0], SL_SIGKILL));
	cr_assert(delivered_to(tids[1], SL_SIGKILL));
}

/* checked on Linux 6.18 (tracefs): SIGQUIT (Core) is delivered as sig=3,
 * not turned into SIGKILL at generation (coredump signals take the slow
 * path through do_coredump).  The wait status is "killed by 3" with
 * WCOREDUMP 0: this machine has RLIMIT_CORE 0, so no core is written. */
Test(threads, core_signal_is_delivered_as_itself)
{
	int parent = proc(0, 0);
	int p = proc(parent, 0);

	cr_assert_eq(kill_(parent, p, SL_SIGQUIT), 0);
	cr_assert_eq(ret_user(p, NULL), SL_DELIVER_EXITED);
	cr_assert(delivered_to(p, SL_SIGQUIT));
	cr_assert_eq(info_of(p).exit_code, SL_SIGQUIT);
	cr_assert(!info_of(p).core_dumped, "RLIMIT_CORE 0: no core written");
}

/* SIGKILL to one thread (tkill) ends the group too. */
Test(threads, tkill_sigkill_ends_the_group)
{
	int parent = proc(0, 0);
	int p = proc(parent, 0);
	int tids[3];

	tids[0] = p;
	tids[1] = thread(p);
	tids[2] = thread(p);
	cr_assert_eq(tkill_(parent, tids[2], SL_SIGKILL), 0);
	run_all(tids, 3);
	cr_assert_eq(info_of(p).state, SL_TASK_ZOMBIE);
	cr_assert_eq(info_of(p).exit_code, SL_SIGKILL);
	for (int i = 1; i < 3; i++)
		cr_assert(!sl_task_exists(K, tids[i]) ||
			  info_of(tids[i]).state == SL_TASK_DEAD);
}

/* A signal sent after the group exit started is dropped (prepare_signal:
 * the process is in the middle of dying). */
Test(threads, signals_after_group_exit_are_dropped)
{
	int parent = proc(0, 0);
	int p = proc(parent, 0);
	int t = thread(p);

	(void)t;
	cr_assert_eq(kill_(parent, p, SL_SIGTERM), 0);
	cr_assert_eq(kill_(parent, p, SL_SIGUSR2), 0);
	cr_assert_eq(rec_last(&REC, SL_EV_GENERATE)->result, SL_TRACE_IGNORED);
}

Test(threads, exit_group_ends_every_thread_with_the_code)
{
	int parent = proc(0, 0);
	int p = proc(parent, 0);
	int tids[2];

	tids[0] = p;
	tids[1] = thread(p);
	cr_assert_eq(sl_sys_exit_group(K, tids[1], 3), 0);
	CHECK();
	run_all(tids, 2);
	cr_assert_eq(info_of(p).state, SL_TASK_ZOMBIE);
	cr_assert_eq(info_of(p).exit_kind, SL_EXIT_CODE);
	cr_assert_eq(info_of(p).exit_code, 3);
}
