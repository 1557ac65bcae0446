/* Kernel threads and init processes: sig_task_ignored, allow_signal,
 * SIGNAL_UNKILLABLE and signals from an ancestor pid namespace
 * (kernel/signal.c, kernel/kthread.c). */
#include "helpers.h"

TEST_SUITE_FX(kthread_init);

static int last_result(void)
{
	const struct sl_event *e = rec_last(&REC, SL_EV_GENERATE);

	cr_assert_not_null(e);
	return e->result;
}

/* Seed 000: kthreadd's children ignore every signal (ignore_signals), so
 * kill(ksoftirqd, SIGTERM) and SIGKILL return 0 and the signal is dropped
 * (kernel/kthread.c, kernel/signal.c sig_task_ignored; not tried on this
 * machine: it would signal a kernel thread that is not ours). */
Test(kthread_init, kthread_ignores_signals_it_has_not_allowed)
{
	int kt = spawn_kind(SL_SPAWN_KTHREAD, 0, 0, 0, 0);
	int sh = proc(0, 0);

	cr_assert(info_of(kt).kthread);
	cr_assert_eq(kill_(sh, kt, SL_SIGTERM), 0);
	cr_assert_eq(last_result(), SL_TRACE_IGNORED);
	cr_assert_eq(kill_(sh, kt, SL_SIGKILL), 0);
	cr_assert_eq(last_result(), SL_TRACE_IGNORED);
	cr_assert_eq(kill_(sh, kt, SL_SIGSTOP), 0);
	cr_assert_eq(last_result(), SL_TRACE_IGNORED);
	cr_assert_eq(info_of(kt).state, SL_TASK_RUNNING);
	cr_assert_eq(info_of(kt).pending | info_of(kt).shared_pending, 0);
	cr_assert(!sl_task_has_work(K, kt));
}

/* allow_signal() lets user-sent signals be queued for the kthread to
 * dequeue itself; the others stay ignored. */
Test(kthread_init, allow_signal_lets_that_signal_through)
{
	int kt = spawn_kind(SL_SPAWN_KTHREAD, 0, 0, 0, 0);
	int sh = proc(0, 0);

	cr_assert_eq(sl_kthread_allow_signal(K, kt, SL_SIGTERM), 0);
	CHECK();
	cr_assert_eq(kill_(sh, kt, SL_SIGTERM), 0);
	cr_assert_eq(last_result(), SL_TRACE_DELIVERED);
	cr_assert((info_of(kt).pending | info_of(kt).shared_pending) & SET(SL_SIGTERM));
	cr_assert_eq(kill_(sh, kt, SL_SIGHUP), 0);
	cr_assert_eq(last_result(), SL_TRACE_IGNORED);
	cr_assert_eq(info_of(kt).state, SL_TASK_RUNNING, "a kthread takes no default action");
}

Test(kthread_init, allow_signal_on_a_user_process_or_bad_signal_fails)
{
	int kt = spawn_kind(SL_SPAWN_KTHREAD, 0, 0, 0, 0);
	int p = proc(0, 0);

	cr_assert_lt(sl_kthread_allow_signal(K, p, SL_SIGTERM), 0);
	CHECK();
	cr_assert_eq(sl_kthread_allow_signal(K, kt, 0), -SL_EINVAL);
	CHECK();
	cr_assert_eq(sl_kthread_allow_signal(K, kt, 65), -SL_EINVAL);
	CHECK();
}

/* The global init drops signals whose action is SIG_DFL, SIGKILL and
 * SIGSTOP included, even from root (sig_task_ignored: is_global_init,
 * SIGNAL_UNKILLABLE). */
Test(kthread_init, global_init_drops_default_signals_even_sigkill)
{
	int init = spawn_kind(SL_SPAWN_INIT, 0, 0, 0, 0);
	int sh = proc(init, 0);

	cr_assert_eq(init, 1);
	cr_assert(info_of(init).ns_init);
	cr_assert_eq(kill_(sh, init, SL_SIGTERM), 0);
	cr_assert_eq(last_result(), SL_TRACE_IGNORED);
	cr_assert_eq(kill_(sh, init, SL_SIGKILL), 0);
	cr_assert_eq(last_result(), SL_TRACE_IGNORED);
	cr_assert_eq(kill_(sh, init, SL_SIGSTOP), 0);
	cr_assert_eq(last_result(), SL_TRACE_IGNORED);
	cr_assert_eq(ret_user(init, NULL), SL_DELIVER_NONE);
	cr_assert_eq(info_of(init).state, SL_TASK_RUNNING);
}

Test(kthread_init, global_init_takes_signals_it_handles)
{
	int init = spawn_kind(SL_SPAWN_INIT, 0, 0, 0, 0);
	int sh = proc(init, 0);
	struct sl_ksignal ks;

	cr_assert_eq(set_action(init, SL_SIGTERM, H1, 0, 0), 0);
	cr_assert_eq(kill_(sh, init, SL_SIGTERM), 0);
	cr_assert_eq(last_result(), SL_TRACE_DELIVERED);
	cr_assert_eq(ret_user(init, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(ks.sig, SL_SIGTERM);
}

/* checked on Linux 6.18 (unshare(CLONE_NEWPID), tracefs): from the parent
 * namespace, kill(nsinit, SIGTERM) -> 0, res=1, it lives;
 * kill(nsinit, SIGSTOP) -> it stops; kill(nsinit, SIGKILL) -> it dies. */
Test(kthread_init, ns_init_takes_sigkill_and_sigstop_from_an_ancestor_namespace)
{
	int outside = proc(0, 0);
	int ns = spawn_kind(SL_SPAWN_NS_INIT, outside, 0, 0, 0);

	cr_assert(info_of(ns).ns_init);
	cr_assert_eq(kill_(outside, ns, SL_SIGTERM), 0);
	cr_assert_eq(last_result(), SL_TRACE_IGNORED);
	cr_assert_eq(kill_(outside, ns, SL_SIGUSR1), 0);
	cr_assert_eq(last_result(), SL_TRACE_IGNORED);
	cr_assert_eq(ret_user(ns, NULL), SL_DELIVER_NONE);
	cr_assert_eq(kill_(outside, ns, SL_SIGSTOP), 0);
	cr_assert_eq(last_result(), SL_TRACE_DELIVERED);
	cr_assert_eq(ret_user(ns, NULL), SL_DELIVER_STOPPED);
	cr_assert_eq(info_of(ns).state, SL_TASK_STOPPED);
	/* checked: SIGCONT (SIG_DFL) from outside is res=1, yet it resumes */
	cr_assert_eq(kill_(outside, ns, SL_SIGCONT), 0);
	cr_assert_eq(last_result(), SL_TRACE_IGNORED);
	cr_assert_eq(info_of(ns).state, SL_TASK_RUNNING);
	cr_assert_eq(kill_(outside, ns, SL_SIGKILL), 0);
	cr_assert_eq(last_result(), SL_TRACE_DELIVERED);
	cr_assert_eq(ret_user(ns, NULL), SL_DELIVER_EXITED);
	cr_assert_eq(info_of(ns).exit_code, SL_SIGKILL);
}

/* checked on Linux 6.18: inside the namespace, kill(1, SIGKILL) and
 * kill(1, SIGTERM) -> 0 with res=1, and the init's own kill(getpid(),
 * SIGTERM) -> 0, dropped; kill(1, SIGUSR2) with a handler is delivered. */
Test(kthread_init, ns_init_drops_default_signals_from_its_own_namespace)
{
	int outside = proc(0, 0);
	int ns = spawn_kind(SL_SPAWN_NS_INIT, outside, 0, 0, 0);
	int in = proc(ns, 0);
	struct sl_ksignal ks;

	cr_assert_eq(kill_(in, ns, SL_SIGKILL), 0);
	cr_assert_eq(last_result(), SL_TRACE_IGNORED);
	cr_assert_eq(kill_(in, ns, SL_SIGSTOP), 0);
	cr_assert_eq(last_result(), SL_TRACE_IGNORED);
	cr_assert_eq(kill_(in, ns, SL_SIGTERM), 0);
	cr_assert_eq(last_result(), SL_TRACE_IGNORED);
	cr_assert_eq(kill_(ns, ns, SL_SIGTERM), 0);
	cr_assert_eq(last_result(), SL_TRACE_IGNORED);
	cr_assert_eq(ret_user(ns, NULL), SL_DELIVER_NONE);
	cr_assert_eq(info_of(ns).state, SL_TASK_RUNNING);
	cr_assert_eq(set_action(ns, SL_SIGUSR2, H1, SL_SA_SIGINFO, 0), 0);
	cr_assert_eq(kill_(in, ns, SL_SIGUSR2), 0);
	cr_assert_eq(last_result(), SL_TRACE_DELIVERED);
	cr_assert_eq(ret_user(ns, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(ks.info.pid, in);
}

/* A signal from an ancestor namespace arrives with si_pid 0: the sender
 * has no pid there (kernel/signal.c send_signal_locked). */
Test(kthread_init, signal_from_an_ancestor_namespace_has_si_pid_zero)
{
	int outside = proc(0, 0);
	int ns = spawn_kind(SL_SPAWN_NS_INIT, outside, 0, 0, 0);
	struct sl_ksignal ks;

	cr_assert_eq(set_action(ns, SL_SIGUSR1, H1, SL_SA_SIGINFO, 0), 0);
	cr_assert_eq(kill_(outside, ns, SL_SIGUSR1), 0);
	cr_assert_eq(ret_user(ns, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(ks.info.pid, 0);
}

/* A process of the parent namespace has no pid inside the child namespace,
 * so a process inside cannot name it (find_vpid): kill -> ESRCH. */
Test(kthread_init, processes_outside_the_namespace_are_not_visible)
{
	int outside = proc(0, 0);
	int ns = spawn_kind(SL_SPAWN_NS_INIT, outside, 0, 0, 0);
	int in = proc(ns, 0);

	cr_assert_eq(kill_(in, outside, 0), -SL_ESRCH);
	cr_assert_eq(kill_(outside, in, 0), 0);
}

/* checked on Linux 6.18 (tests/scenarios/ns-literal-pid.scn): inside a new
 * namespace its init is pid 1 and every later task, threads included,
 * takes the next pid (alloc_pid); a pid is the caller's namespace's. */
Test(kthread_init, a_pid_written_inside_a_namespace_is_that_namespaces)
{
	int outside = proc(0, 0);
	int ns = spawn_kind(SL_SPAWN_NS_INIT, outside, 0, 0, 0);
	int a = proc(ns, 0);
	int w = thread(a);
	int b = (int)sl_sys_fork(K, a);

	cr_assert_eq(sl_find_vpid(K, a, 1), ns);
	cr_assert_eq(sl_find_vpid(K, a, 2), a);
	cr_assert_eq(sl_find_vpid(K, b, 3), w);
	cr_assert_eq(sl_find_vpid(K, ns, 4), b);
	cr_assert_eq(sl_find_vpid(K, a, 5), 0);
	cr_assert_eq(sl_find_vpid(K, a, 0), 0);
	/* the root namespace's pids are tids */
	cr_assert_eq(sl_find_vpid(K, outside, ns), ns);
	cr_assert_eq(sl_find_vpid(K, outside, 1), 1);
	cr_assert_eq(kill_(a, sl_find_vpid(K, a, 4), SL_SIGKILL), 0);
	cr_assert_eq(ret_user(b, NULL), SL_DELIVER_EXITED);
}
