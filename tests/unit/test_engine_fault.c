/* Synchronous faults: force_sig_fault and force_sig_info_to_task
 * (kernel/signal.c), and faults in kernel threads (die()). */
#include "helpers.h"

TEST_SUITE_FX(fault);

Test(fault, a_handled_fault_runs_the_handler_with_code_and_address)
{
	int a = proc(0, 0);
	struct sl_ksignal ks;

	cr_assert_eq(set_action(a, SL_SIGSEGV, H1, SL_SA_SIGINFO, 0), 0);
	cr_assert_eq(sl_fault(K, a, SL_SIGSEGV, SL_SEGV_MAPERR, 0xdead0), 0);
	CHECK();
	cr_assert_eq(ret_user(a, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(ks.sig, SL_SIGSEGV);
	cr_assert_eq(ks.info.code, SL_SEGV_MAPERR);
	cr_assert_eq(ks.info.addr, 0xdead0);
	cr_assert_eq(sl_sys_rt_sigreturn(K, a), 0);
	CHECK();
	cr_assert_eq(info_of(a).state, SL_TASK_RUNNING);
}

/* checked on Linux 6.18: SIGSEGV handler installed but SIGSEGV blocked;
 * a NULL dereference kills the process by SIGSEGV. */
Test(fault, a_blocked_fault_signal_is_unblocked_reset_and_kills)
{
	int c = child();

	cr_assert_eq(set_action(c, SL_SIGSEGV, H1, 0, 0), 0);
	cr_assert_eq(mask_op(c, SL_SIG_BLOCK, SET(SL_SIGSEGV)), 0);
	cr_assert_eq(sl_fault(K, c, SL_SIGSEGV, SL_SEGV_MAPERR, 0), 0);
	CHECK();
	cr_assert(!(blocked_of(c) & SET(SL_SIGSEGV)), "force_sig unblocks");
	cr_assert_eq(get_action(c, SL_SIGSEGV).handler, SL_SIG_DFL, "and resets");
	cr_assert_eq(ret_user(c, NULL), SL_DELIVER_EXITED);
	cr_assert_eq(info_of(c).exit_kind, SL_EXIT_SIGNAL);
	cr_assert_eq(info_of(c).exit_code, SL_SIGSEGV);
}

/* checked on Linux 6.18: signal(SIGSEGV, SIG_IGN), NULL dereference ->
 * killed by SIGSEGV. */
Test(fault, an_ignored_fault_signal_is_reset_and_kills)
{
	int c = child();

	cr_assert_eq(set_action(c, SL_SIGSEGV, SL_SIG_IGN, 0, 0), 0);
	cr_assert_eq(sl_fault(K, c, SL_SIGSEGV, SL_SEGV_MAPERR, 0), 0);
	CHECK();
	cr_assert_eq(ret_user(c, NULL), SL_DELIVER_EXITED);
	cr_assert_eq(info_of(c).exit_code, SL_SIGSEGV);
}

/* checked on Linux 6.18: a SIGSEGV handler (no SA_NODEFER) that faults
 * again -> killed by SIGSEGV: the signal is blocked in its own handler. */
Test(fault, a_fault_inside_its_own_handler_kills)
{
	int c = child();

	cr_assert_eq(set_action(c, SL_SIGSEGV, H1, 0, 0), 0);
	cr_assert_eq(sl_fault(K, c, SL_SIGSEGV, SL_SEGV_MAPERR, 0), 0);
	CHECK();
	cr_assert_eq(ret_user(c, NULL), SL_DELIVER_HANDLER);
	cr_assert_eq(sl_fault(K, c, SL_SIGSEGV, SL_SEGV_MAPERR, 0), 0);
	CHECK();
	cr_assert_eq(ret_user(c, NULL), SL_DELIVER_EXITED);
	cr_assert_eq(info_of(c).exit_code, SL_SIGSEGV);
}

/* checked on Linux 6.18: with SA_NODEFER|SA_RESETHAND the nested fault
 * kills too (the handler was reset at the first delivery). */
Test(fault, a_nested_fault_after_resethand_kills)
{
	int c = child();

	cr_assert_eq(set_action(c, SL_SIGSEGV, H1, SL_SA_NODEFER | SL_SA_RESETHAND, 0), 0);
	cr_assert_eq(sl_fault(K, c, SL_SIGSEGV, SL_SEGV_MAPERR, 0), 0);
	CHECK();
	cr_assert_eq(ret_user(c, NULL), SL_DELIVER_HANDLER);
	cr_assert_eq(sl_fault(K, c, SL_SIGSEGV, SL_SEGV_MAPERR, 0), 0);
	CHECK();
	cr_assert_eq(ret_user(c, NULL), SL_DELIVER_EXITED);
	cr_assert_eq(info_of(c).exit_code, SL_SIGSEGV);
}

/* Seed 000: a SIGFPE handler with SA_NODEFER that longjmps out, ten times:
 * every fault is handled and the process lives. */
Test(fault, nodefer_handler_left_by_longjmp_handles_every_fault)
{
	int c = child();

	cr_assert_eq(set_action(c, SL_SIGFPE, H1, SL_SA_NODEFER, 0), 0);
	for (int i = 0; i < 10; i++) {
		cr_assert_eq(sl_fault(K, c, SL_SIGFPE, SL_FPE_INTDIV, 0x401234), 0);
		CHECK();
		cr_assert_eq(ret_user(c, NULL), SL_DELIVER_HANDLER, "fault %d", i);
		cr_assert_eq(sl_user_longjmp(K, c, false), 0);
		CHECK();
	}
	cr_assert_eq(info_of(c).state, SL_TASK_RUNNING);
	cr_assert_eq(info_of(c).handler_depth, 0);
	cr_assert_eq(blocked_of(c), 0);
	cr_assert_eq(rec_count(&REC, SL_EV_HANDLER, SL_SIGFPE), 10);
}

/* Seed 000's other half: without SA_NODEFER, longjmp leaves SIGFPE
 * blocked, so the second fault is forced to the default action. */
Test(fault, handler_left_by_longjmp_without_nodefer_dies_on_the_second_fault)
{
	int c = child();

	cr_assert_eq(set_action(c, SL_SIGFPE, H1, 0, 0), 0);
	cr_assert_eq(sl_fault(K, c, SL_SIGFPE, SL_FPE_INTDIV, 0), 0);
	CHECK();
	cr_assert_eq(ret_user(c, NULL), SL_DELIVER_HANDLER);
	cr_assert_eq(sl_user_longjmp(K, c, false), 0);
	CHECK();
	cr_assert_eq(blocked_of(c), SET(SL_SIGFPE));
	cr_assert_eq(sl_fault(K, c, SL_SIGFPE, SL_FPE_INTDIV, 0), 0);
	CHECK();
	cr_assert_eq(ret_user(c, NULL), SL_DELIVER_EXITED);
	cr_assert_eq(info_of(c).exit_code, SL_SIGFPE);
}

/* A fault in a kernel thread is an oops (die()), whatever its dispositions. */
Test(fault, a_fault_in_a_kernel_thread_is_an_oops)
{
	int kt = spawn_kind(SL_SPAWN_KTHREAD, 0, 0, 0, 0);

	rec_clear(&REC);
	(void)sl_fault(K, kt, SL_SIGSEGV, SL_SEGV_MAPERR, 0);
	CHECK();
	cr_assert_eq(rec_count(&REC, SL_EV_OOPS, 0), 1);
	cr_assert_eq(info_of(kt).exit_kind, SL_EXIT_OOPS);
	cr_assert_neq(info_of(kt).state, SL_TASK_RUNNING);
}

/* checked on Linux 6.18: the init of a new pid namespace dereferences NULL
 * with SIGSEGV at SIG_DFL -> it dies by SIGSEGV (force_sig_info_to_task
 * clears SIGNAL_UNKILLABLE). */
Test(fault, a_fault_kills_a_namespace_init)
{
	int parent = proc(0, 0);
	int ns = spawn_kind(SL_SPAWN_NS_INIT, parent, 0, 0, 0);

	cr_assert_eq(sl_fault(K, ns, SL_SIGSEGV, SL_SEGV_MAPERR, 0), 0);
	CHECK();
	cr_assert_eq(ret_user(ns, NULL), SL_DELIVER_EXITED);
	cr_assert_eq(info_of(ns).exit_code, SL_SIGSEGV);
}
