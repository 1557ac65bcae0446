/* Waits on a model wait queue in the kernel's three sleep states
 * (include/linux/wait.h wait_event_interruptible, wait_event_killable,
 * wait_event; kernel/signal.c signal_wake_up_state, complete_signal,
 * zap_other_threads; kernel/sched/core.c signal_pending_state).  The host
 * cannot enter these waits on demand (docs/host-oracle.md), so these
 * rules are from the kernel's source; the interruptible case is the one
 * pipe_read has, which tests/unit/test_engine_sleep.c checks against the
 * real kernel. */
#include "helpers.h"

TEST_SUITE_FX(waitqueue);

enum { DISK = 1, NFS = 2 };

Test(waitqueue, a_bad_sleep_state_is_einval)
{
	int a = proc(0, 0);

	cr_assert_eq(sl_sys_wait_event(K, a, DISK, (enum sl_sleep_state)0), -SL_EINVAL);
	cr_assert_eq(sl_sys_wait_event(K, a, DISK, (enum sl_sleep_state)4), -SL_EINVAL);
	cr_assert_eq(sl_sys_wait_event(K, 999, DISK, SL_SLEEP_KILLABLE), -SL_ESRCH);
	CHECK();
}

Test(waitqueue, task_info_reports_the_call_and_its_sleep_state)
{
	int a = proc(0, 0);
	struct sl_task_info ti;

	cr_assert_eq(sl_sys_wait_event(K, a, DISK, SL_SLEEP_UNINTERRUPTIBLE), SL_SYSCALL_BLOCKED);
	ti = info_of(a);
	cr_assert_eq(ti.state, SL_TASK_SLEEPING);
	cr_assert_eq(ti.syscall, SL_NR_WAIT_EVENT);
	cr_assert_eq(ti.sleep_state, SL_SLEEP_UNINTERRUPTIBLE);
}

Test(waitqueue, wake_up_wakes_every_sleeper_of_its_queue_only)
{
	int a = proc(0, 0), b = proc(0, 0), c = proc(0, 0);

	cr_assert_eq(sl_sys_wait_event(K, a, DISK, SL_SLEEP_UNINTERRUPTIBLE), SL_SYSCALL_BLOCKED);
	cr_assert_eq(sl_sys_wait_event(K, b, DISK, SL_SLEEP_INTERRUPTIBLE), SL_SYSCALL_BLOCKED);
	cr_assert_eq(sl_sys_wait_event(K, c, NFS, SL_SLEEP_KILLABLE), SL_SYSCALL_BLOCKED);
	cr_assert_eq(sl_wake_up(K, 99), 0);
	cr_assert_eq(sl_wake_up(K, DISK), 2);
	cr_assert(!asleep(a) && !asleep(b));
	cr_assert(asleep(c));
	cr_assert_eq(ret_user(a, NULL), SL_DELIVER_NONE);
	cr_assert_eq(returned(), 0);
	cr_assert_eq(ret_user(b, NULL), SL_DELIVER_NONE);
	cr_assert_eq(returned(), 0);
	cr_assert_eq(sl_wake_up(K, DISK), 0, "nobody waits any more");
	CHECK();
}

/* wait_event_interruptible gives up with -ERESTARTSYS: EINTR after a
 * handler without SA_RESTART. */
Test(waitqueue, an_interruptible_wait_fails_with_eintr_after_a_handler)
{
	int a = proc(0, 0), b = proc(0, 0);

	cr_assert_eq(set_action(a, SL_SIGUSR1, H1, 0, 0), 0);
	cr_assert_eq(sl_sys_wait_event(K, a, DISK, SL_SLEEP_INTERRUPTIBLE), SL_SYSCALL_BLOCKED);
	cr_assert_eq(kill_(b, a, SL_SIGUSR1), 0);
	cr_assert(!asleep(a));
	cr_assert_eq(drain(a, NULL, 0, NULL), 1);
	cr_assert_eq(returned(), -SL_EINTR);
	CHECK();
}

/* With SA_RESTART the wait runs again after the handler and sleeps on. */
Test(waitqueue, an_interruptible_wait_restarts_after_a_handler_with_sa_restart)
{
	int a = proc(0, 0), b = proc(0, 0);

	cr_assert_eq(set_action(a, SL_SIGUSR1, H1, SL_SA_RESTART, 0), 0);
	cr_assert_eq(sl_sys_wait_event(K, a, DISK, SL_SLEEP_INTERRUPTIBLE), SL_SYSCALL_BLOCKED);
	cr_assert_eq(kill_(b, a, SL_SIGUSR1), 0);
	cr_assert_eq(drain(a, NULL, 0, NULL), 1);
	cr_assert(asleep(a), "restarted: asleep again");
	cr_assert_null(rec_last(&REC, SL_EV_SYSCALL_RETURN));
	cr_assert_eq(sl_wake_up(K, DISK), 1);
	ret_user(a, NULL);
	cr_assert_eq(returned(), 0);
	CHECK();
}

/* A signal the task blocks does not wake it (complete_signal finds no
 * thread that wants it). */
Test(waitqueue, a_blocked_signal_does_not_wake_an_interruptible_wait)
{
	int a = proc(0, 0), b = proc(0, 0);

	cr_assert_eq(mask_op(a, SL_SIG_BLOCK, SET(SL_SIGTERM)), 0);
	cr_assert_eq(sl_sys_wait_event(K, a, DISK, SL_SLEEP_INTERRUPTIBLE), SL_SYSCALL_BLOCKED);
	cr_assert_eq(kill_(b, a, SL_SIGTERM), 0);
	cr_assert(asleep(a));
	cr_assert_eq(sigpending_of(a), SET(SL_SIGTERM));
	CHECK();
}

/* The condition is checked before the pending signals: an event that came
 * while the task was stopped on its way out is found when the wait
 * restarts, and the call returns 0. */
Test(waitqueue, an_event_during_a_stop_completes_the_restarted_wait)
{
	int a = child(), b = proc(0, 0);

	cr_assert_eq(sl_sys_wait_event(K, a, DISK, SL_SLEEP_INTERRUPTIBLE), SL_SYSCALL_BLOCKED);
	cr_assert_eq(kill_(b, a, SL_SIGSTOP), 0);
	cr_assert_eq(ret_user(a, NULL), SL_DELIVER_STOPPED);
	cr_assert_eq(sl_wake_up(K, DISK), 0, "stopped, not asleep");
	cr_assert_eq(kill_(b, a, SL_SIGCONT), 0);
	drain(a, NULL, 0, NULL);
	CHECK();
	cr_assert(!asleep(a));
	cr_assert_eq(returned(), 0);
}

/* TASK_KILLABLE: a signal that only runs a handler stays pending; the
 * handler runs after the wait returns 0. */
Test(waitqueue, a_killable_wait_sleeps_through_a_handled_signal)
{
	int a = proc(0, 0), b = proc(0, 0);
	int sigs[2];

	cr_assert_eq(set_action(a, SL_SIGUSR1, H1, 0, 0), 0);
	cr_assert_eq(sl_sys_wait_event(K, a, NFS, SL_SLEEP_KILLABLE), SL_SYSCALL_BLOCKED);
	cr_assert_eq(kill_(b, a, SL_SIGUSR1), 0);
	cr_assert(asleep(a));
	cr_assert_eq(sl_wake_up(K, NFS), 1);
	cr_assert_eq(drain(a, sigs, 2, NULL), 1);
	cr_assert_eq(sigs[0], SL_SIGUSR1);
	cr_assert_eq(returned(), 0, "the event came first: 0, not EINTR");
	CHECK();
}

/* TASK_KILLABLE: a stop signal does not wake it (not fatal); the task
 * stops only when the wait has ended. */
Test(waitqueue, a_killable_wait_sleeps_through_sigstop)
{
	int a = child(), b = proc(0, 0);

	cr_assert_eq(sl_sys_wait_event(K, a, NFS, SL_SLEEP_KILLABLE), SL_SYSCALL_BLOCKED);
	cr_assert_eq(kill_(b, a, SL_SIGSTOP), 0);
	cr_assert(asleep(a));
	cr_assert_eq(sl_wake_up(K, NFS), 1);
	cr_assert_eq(ret_user(a, NULL), SL_DELIVER_STOPPED);
	CHECK();
}

/* TASK_KILLABLE: SIGKILL wakes it (TASK_WAKEKILL) and the task dies. */
Test(waitqueue, a_killable_wait_is_woken_by_sigkill)
{
	int a = proc(0, 0), b = proc(0, 0);

	cr_assert_eq(sl_sys_wait_event(K, a, NFS, SL_SLEEP_KILLABLE), SL_SYSCALL_BLOCKED);
	cr_assert_eq(kill_(b, a, SL_SIGKILL), 0);
	cr_assert(!asleep(a));
	cr_assert_eq(ret_user(a, NULL), SL_DELIVER_EXITED);
	cr_assert_eq(info_of(a).exit_code, SL_SIGKILL);
	cr_assert_null(rec_last(&REC, SL_EV_SYSCALL_RETURN), "never back in user space");
	CHECK();
}

/* TASK_KILLABLE: a signal whose default action kills is fatal too:
 * complete_signal makes it a group exit with SIGKILL and wakes the thread
 * with TASK_WAKEKILL; the process dies of the original signal. */
Test(waitqueue, a_killable_wait_is_woken_by_a_fatal_default_action)
{
	int a = proc(0, 0), b = proc(0, 0);

	cr_assert_eq(sl_sys_wait_event(K, a, NFS, SL_SLEEP_KILLABLE), SL_SYSCALL_BLOCKED);
	cr_assert_eq(kill_(b, a, SL_SIGTERM), 0);
	cr_assert(!asleep(a));
	cr_assert_eq(ret_user(a, NULL), SL_DELIVER_EXITED);
	cr_assert_eq(info_of(a).exit_code, SL_SIGTERM);
	CHECK();
}

/* exit_group in one thread queues SIGKILL to the others with a fatal
 * wake-up (zap_other_threads): a killable sleeper dies at once, an
 * uninterruptible one when its wait ends. */
Test(waitqueue, exit_group_wakes_a_killable_thread_but_not_a_d_state_one)
{
	int a = proc(0, 0), t1 = thread(a), t2 = thread(a);

	cr_assert_eq(sl_sys_wait_event(K, t1, NFS, SL_SLEEP_KILLABLE), SL_SYSCALL_BLOCKED);
	cr_assert_eq(sl_sys_wait_event(K, t2, DISK, SL_SLEEP_UNINTERRUPTIBLE), SL_SYSCALL_BLOCKED);
	sl_sys_exit_group(K, a, 3);
	CHECK();
	cr_assert(!asleep(t1));
	cr_assert(asleep(t2));
	cr_assert_eq(ret_user(t1, NULL), SL_DELIVER_EXITED);
	cr_assert(asleep(t2));
	cr_assert_eq(sl_wake_up(K, DISK), 1);
	cr_assert_eq(ret_user(t2, NULL), SL_DELIVER_EXITED);
	cr_assert_eq(info_of(t2).exit_code, 3);
	CHECK();
}

/* TASK_UNINTERRUPTIBLE (D): no signal wakes it, not even SIGKILL, which
 * stays pending; when the wait ends the task dies before user space sees
 * the call return, and a handled signal sent before never runs. */
Test(waitqueue, a_d_state_wait_keeps_sigkill_pending_until_the_wait_ends)
{
	int a = proc(0, 0), b = proc(0, 0);

	cr_assert_eq(set_action(a, SL_SIGTERM, H1, 0, 0), 0);
	cr_assert_eq(sl_sys_wait_event(K, a, DISK, SL_SLEEP_UNINTERRUPTIBLE), SL_SYSCALL_BLOCKED);
	cr_assert_eq(kill_(b, a, SL_SIGTERM), 0);
	cr_assert_eq(kill_(b, a, SL_SIGKILL), 0);
	CHECK();
	cr_assert(asleep(a));
	cr_assert(info_of(a).pending & sl_sigmask(SL_SIGKILL), "SIGKILL waits in D state");
	cr_assert_eq(sl_wake_up(K, DISK), 1);
	cr_assert_eq(ret_user(a, NULL), SL_DELIVER_EXITED);
	cr_assert_eq(info_of(a).exit_code, SL_SIGKILL);
	cr_assert_eq(rec_count(&REC, SL_EV_HANDLER, SL_SIGTERM), 0);
	cr_assert_null(rec_last(&REC, SL_EV_SYSCALL_RETURN));
	CHECK();
}

/* TASK_UNINTERRUPTIBLE: a handled signal waits too, and runs after the
 * wait has returned 0; the value reaches user space after the handler. */
Test(waitqueue, a_d_state_wait_runs_a_pending_handler_after_it_returns)
{
	int a = proc(0, 0), b = proc(0, 0);
	int sigs[2];

	cr_assert_eq(set_action(a, SL_SIGUSR1, H1, 0, 0), 0);
	cr_assert_eq(sl_sys_wait_event(K, a, DISK, SL_SLEEP_UNINTERRUPTIBLE), SL_SYSCALL_BLOCKED);
	cr_assert_eq(kill_(b, a, SL_SIGUSR1), 0);
	cr_assert(asleep(a));
	cr_assert_null(rec_last(&REC, SL_EV_SYSCALL_RETURN));
	cr_assert_eq(sl_wake_up(K, DISK), 1);
	cr_assert_eq(drain(a, sigs, 2, NULL), 1);
	cr_assert_eq(sigs[0], SL_SIGUSR1);
	cr_assert_eq(returned(), 0);
	CHECK();
}

/* execve's de_thread kills the other threads; one asleep in a wait wakes
 * to die (zap_other_threads' signal_wake_up), so it is no longer on the
 * queue: a later wake_up finds nobody, and no dead task sleeps. */
Test(waitqueue, execve_takes_a_sleeping_thread_off_the_queue)
{
	int a = proc(0, 0), t = thread(a);

	cr_assert_eq(sl_sys_wait_event(K, t, DISK, SL_SLEEP_INTERRUPTIBLE), SL_SYSCALL_BLOCKED);
	cr_assert_eq(sl_sys_execve(K, a), 0);
	cr_assert_eq(info_of(t).state, SL_TASK_DEAD);
	CHECK();
	cr_assert_eq(sl_wake_up(K, DISK), 0, "the dead thread is not woken");
	CHECK();
}
