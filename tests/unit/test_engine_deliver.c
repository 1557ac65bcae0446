/* Delivery on return to user mode: get_signal's order and default actions,
 * handle_signal's mask, SA_RESETHAND, rt_sigreturn, (sig)longjmp
 * (kernel/signal.c, arch/x86/kernel/signal.c). */
#include "helpers.h"

TEST_SUITE_FX(deliver);

static const sl_sigset ALL = ~(sl_sigset)0;

/* checked on Linux 6.18: handlers with a full sa_mask; shared SIGHUP,
 * SIGTERM, SIGSEGV, 35, SIGBUS (kill) and private SIGUSR2, SIGUSR1 (tkill),
 * all blocked, then unblocked: delivered USR1, USR2, BUS, SEGV, HUP, TERM, 35
 * (private before shared; synchronous signals first; then lowest number). */
Test(deliver, order_private_first_then_synchronous_then_lowest)
{
	int a = proc(0, 0);
	int sigs[] = { SL_SIGHUP, SL_SIGTERM, SL_SIGSEGV, 35, SL_SIGBUS };
	int want[] = { SL_SIGUSR1, SL_SIGUSR2, SL_SIGBUS, SL_SIGSEGV, SL_SIGHUP,
		       SL_SIGTERM, 35 };
	int got[8] = { 0 };

	for (int s = 1; s <= SL_NSIG; s++)
		if (s != SL_SIGKILL && s != SL_SIGSTOP)
			cr_assert_eq(set_action(a, s, H1, SL_SA_SIGINFO, ALL), 0);
	cr_assert_eq(mask_op(a, SL_SIG_SETMASK, ALL), 0);
	for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
		cr_assert_eq(kill_(a, a, sigs[i]), 0);
	cr_assert_eq(tkill_(a, a, SL_SIGUSR2), 0);
	cr_assert_eq(tkill_(a, a, SL_SIGUSR1), 0);
	cr_assert_eq(mask_op(a, SL_SIG_SETMASK, 0), 0);
	cr_assert_eq(drain(a, got, 8, NULL), 7);
	for (int i = 0; i < 7; i++)
		cr_assert_eq(got[i], want[i], "delivery %d: %d, want %d", i, got[i], want[i]);
}

/* A fault (si_code > 0) is dequeued before anything else pending, even a
 * lower-numbered private signal (kernel/signal.c dequeue_synchronous_signal;
 * on the real kernel the two cannot be observed pending together without
 * a race). */
Test(deliver, a_fault_is_taken_before_other_pending_signals)
{
	int a = proc(0, 0);
	int got[4] = { 0 };

	cr_assert_eq(set_action(a, SL_SIGHUP, H1, 0, ALL), 0);
	cr_assert_eq(set_action(a, SL_SIGSEGV, H2, SL_SA_SIGINFO, ALL), 0);
	cr_assert_eq(tkill_(a, a, SL_SIGHUP), 0);
	cr_assert_eq(sl_fault(K, a, SL_SIGSEGV, SL_SEGV_MAPERR, 0x10), 0);
	CHECK();
	cr_assert_eq(drain(a, got, 4, NULL), 2);
	cr_assert_eq(got[0], SL_SIGSEGV);
	cr_assert_eq(got[1], SL_SIGHUP);
}

/* Default actions (signal(7), x86). */
Test(deliver, default_term_kills_without_core)
{
	int sigs[] = { SL_SIGHUP, SL_SIGINT, SL_SIGPIPE, SL_SIGALRM, SL_SIGTERM,
		       SL_SIGUSR1, SL_SIGUSR2, SL_SIGSTKFLT, SL_SIGVTALRM,
		       SL_SIGPROF, SL_SIGIO, SL_SIGPWR, SL_SIGRTMIN, SL_SIGRTMAX };

	for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
		int c = child();

		cr_assert_eq(kill_(c, c, sigs[i]), 0);
		cr_assert_eq(ret_user(c, NULL), SL_DELIVER_EXITED, "signal %d", sigs[i]);
		cr_assert_eq(info_of(c).exit_kind, SL_EXIT_SIGNAL);
		cr_assert_eq(info_of(c).exit_code, sigs[i]);
	}
}

Test(deliver, default_core_kills)
{
	int sigs[] = { SL_SIGQUIT, SL_SIGILL, SL_SIGTRAP, SL_SIGABRT, SL_SIGBUS,
		       SL_SIGFPE, SL_SIGSEGV, SL_SIGXCPU, SL_SIGXFSZ, SL_SIGSYS };

	for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
		int c = child();

		cr_assert_eq(kill_(c, c, sigs[i]), 0);
		cr_assert_eq(ret_user(c, NULL), SL_DELIVER_EXITED, "signal %d", sigs[i]);
		cr_assert_eq(info_of(c).exit_code, sigs[i]);
		cr_assert_eq(sl_signal_describe(sigs[i])->action, SL_ACT_CORE);
	}
}

/* Ign: a blocked SIGCHLD/SIGURG/SIGWINCH stays pending; unblocked, it is
 * dequeued and dropped. */
Test(deliver, default_ign_is_dropped_at_delivery)
{
	int c = child();

	cr_assert_eq(mask_op(c, SL_SIG_SETMASK, SET(SL_SIGCHLD, SL_SIGURG, SL_SIGWINCH)), 0);
	cr_assert_eq(kill_(c, c, SL_SIGCHLD), 0);
	cr_assert_eq(kill_(c, c, SL_SIGURG), 0);
	cr_assert_eq(kill_(c, c, SL_SIGWINCH), 0);
	cr_assert_eq(mask_op(c, SL_SIG_SETMASK, 0), 0);
	cr_assert_eq(ret_user(c, NULL), SL_DELIVER_NONE);
	cr_assert_eq(sigpending_of(c), 0);
	cr_assert_eq(info_of(c).state, SL_TASK_RUNNING);
}

Test(deliver, default_stop_stops_and_sigcont_resumes)
{
	int stops[] = { SL_SIGSTOP, SL_SIGTSTP, SL_SIGTTIN, SL_SIGTTOU };

	for (size_t i = 0; i < sizeof stops / sizeof *stops; i++) {
		int c = child();
		int parent = info_of(c).ppid;

		rec_clear(&REC);
		cr_assert_eq(kill_(parent, c, stops[i]), 0);
		cr_assert_eq(ret_user(c, NULL), SL_DELIVER_STOPPED, "signal %d", stops[i]);
		cr_assert_eq(info_of(c).state, SL_TASK_STOPPED);
		cr_assert_eq(rec_count(&REC, SL_EV_STOP, 0), 1);
		cr_assert_eq(kill_(parent, c, SL_SIGCONT), 0);
		cr_assert_eq(info_of(c).state, SL_TASK_RUNNING);
		cr_assert_eq(ret_user(c, NULL), SL_DELIVER_NONE);
		cr_assert_eq(rec_count(&REC, SL_EV_CONTINUE, 0), 1);
	}
}

/* checked on Linux 6.18 (tracefs, the stopped ns-init case): SIGCONT with
 * SIG_DFL resumes the stopped process at generation and is then ignored
 * (res=1), since its default action is to ignore. */
Test(deliver, sigcont_resumes_at_generation_and_is_then_ignored)
{
	int c = child();
	int parent = info_of(c).ppid;

	cr_assert_eq(kill_(parent, c, SL_SIGSTOP), 0);
	cr_assert_eq(ret_user(c, NULL), SL_DELIVER_STOPPED);
	cr_assert_eq(kill_(parent, c, SL_SIGCONT), 0);
	cr_assert_eq(rec_last(&REC, SL_EV_GENERATE)->result, SL_TRACE_IGNORED);
	cr_assert_eq(info_of(c).state, SL_TASK_RUNNING);
	cr_assert_eq(ret_user(c, NULL), SL_DELIVER_NONE);
}

Test(deliver, sigcont_with_a_handler_resumes_and_runs_it)
{
	int c = child();
	int parent = info_of(c).ppid;
	struct sl_ksignal ks;

	cr_assert_eq(set_action(c, SL_SIGCONT, H1, 0, 0), 0);
	cr_assert_eq(kill_(parent, c, SL_SIGTSTP), 0);
	cr_assert_eq(ret_user(c, NULL), SL_DELIVER_STOPPED);
	cr_assert_eq(kill_(parent, c, SL_SIGCONT), 0);
	cr_assert_eq(info_of(c).state, SL_TASK_RUNNING);
	cr_assert_eq(ret_user(c, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(ks.sig, SL_SIGCONT);
}

Test(deliver, sigkill_kills_whatever_the_mask)
{
	int c = child();

	cr_assert_eq(mask_op(c, SL_SIG_SETMASK, ALL), 0);
	cr_assert_eq(kill_(c, c, SL_SIGKILL), 0);
	cr_assert_eq(ret_user(c, NULL), SL_DELIVER_EXITED);
	cr_assert_eq(info_of(c).exit_code, SL_SIGKILL);
}

/* checked on Linux 6.18: handler for SIGUSR1 with sa_mask {SIGINT}: the mask
 * inside is {SIGINT, SIGUSR1} (0x202), after return it is restored. */
Test(deliver, handler_mask_is_sa_mask_plus_the_signal)
{
	int a = proc(0, 0);
	struct sl_ksignal ks;
	const struct sl_event *e;

	cr_assert_eq(set_action(a, SL_SIGUSR1, H1, SL_SA_SIGINFO, SET(SL_SIGINT)), 0);
	cr_assert_eq(mask_op(a, SL_SIG_SETMASK, SET(SL_SIGHUP)), 0);
	cr_assert_eq(kill_(a, a, SL_SIGUSR1), 0);
	cr_assert_eq(ret_user(a, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(ks.sig, SL_SIGUSR1);
	cr_assert_eq(ks.ka.handler, H1);
	cr_assert_eq(ks.saved_mask, SET(SL_SIGHUP));
	cr_assert_eq(blocked_of(a), SET(SL_SIGHUP, SL_SIGINT, SL_SIGUSR1));
	cr_assert_eq(info_of(a).handler_depth, 1);
	e = rec_last(&REC, SL_EV_DELIVER);
	cr_assert_not_null(e);
	cr_assert_eq(e->sig, SL_SIGUSR1);
	cr_assert_eq(e->ka.handler, H1);
	cr_assert_eq(e->ka.flags, SL_SA_SIGINFO);
	cr_assert_eq(sl_sys_rt_sigreturn(K, a), 0);
	CHECK();
	cr_assert_eq(blocked_of(a), SET(SL_SIGHUP));
	cr_assert_eq(info_of(a).handler_depth, 0);
	cr_assert_eq(rec_count(&REC, SL_EV_SIGRETURN, 0), 1);
}

/* checked on Linux 6.18: with SA_NODEFER the mask inside is {SIGINT} (0x2). */
Test(deliver, sa_nodefer_leaves_the_signal_unblocked)
{
	int a = proc(0, 0);

	cr_assert_eq(set_action(a, SL_SIGUSR1, H1, SL_SA_NODEFER, SET(SL_SIGINT)), 0);
	cr_assert_eq(kill_(a, a, SL_SIGUSR1), 0);
	cr_assert_eq(ret_user(a, NULL), SL_DELIVER_HANDLER);
	cr_assert_eq(blocked_of(a), SET(SL_SIGINT));
	/* the same signal nests */
	cr_assert_eq(kill_(a, a, SL_SIGUSR1), 0);
	cr_assert_eq(ret_user(a, NULL), SL_DELIVER_HANDLER);
	cr_assert_eq(info_of(a).handler_depth, 2);
	cr_assert_eq(sl_sys_rt_sigreturn(K, a), 0);
	CHECK();
	cr_assert_eq(sl_sys_rt_sigreturn(K, a), 0);
	CHECK();
	cr_assert_eq(blocked_of(a), 0);
}

/* checked on Linux 6.18: SA_RESETHAND with sa_mask {SIGINT}: inside the
 * handler the action reads back handler SIG_DFL, flags and mask kept
 * (0x84000000 = SA_RESETHAND|SA_RESTORER, {SIGINT}); the mask inside is
 * {SIGINT, SIGUSR1}: SA_RESETHAND alone does not imply SA_NODEFER. */
Test(deliver, sa_resethand_resets_the_handler_only)
{
	int c = child();
	struct sl_ksignal ks;
	struct sl_sigaction now;

	cr_assert_eq(set_action(c, SL_SIGUSR1, H1, SL_SA_RESETHAND, SET(SL_SIGINT)), 0);
	cr_assert_eq(kill_(c, c, SL_SIGUSR1), 0);
	cr_assert_eq(ret_user(c, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(ks.ka.handler, H1, "the frame keeps the action as delivered");
	now = get_action(c, SL_SIGUSR1);
	cr_assert_eq(now.handler, SL_SIG_DFL);
	cr_assert_eq(now.flags, SL_SA_RESETHAND);
	cr_assert_eq(now.mask, SET(SL_SIGINT));
	cr_assert_eq(blocked_of(c), SET(SL_SIGINT, SL_SIGUSR1));
	cr_assert_eq(sl_sys_rt_sigreturn(K, c), 0);
	CHECK();
	/* the next one takes the default action */
	cr_assert_eq(kill_(c, c, SL_SIGUSR1), 0);
	cr_assert_eq(ret_user(c, NULL), SL_DELIVER_EXITED);
	cr_assert_eq(info_of(c).exit_code, SL_SIGUSR1);
}

/* signal(2): SA_ONESHOT|SA_NOMASK, System V semantics (seed 003): the
 * second signal kills. */
Test(deliver, raw_signal_handler_runs_once_then_default_kills)
{
	int c = child();

	cr_assert_eq(sl_sys_signal(K, c, SL_SIGUSR1, H1), (long)SL_SIG_DFL);
	CHECK();
	cr_assert_eq(kill_(c, c, SL_SIGUSR1), 0);
	cr_assert_eq(ret_user(c, NULL), SL_DELIVER_HANDLER);
	cr_assert_eq(blocked_of(c), 0, "SA_NOMASK: the signal is not blocked");
	cr_assert_eq(sl_sys_rt_sigreturn(K, c), 0);
	CHECK();
	cr_assert_eq(kill_(c, c, SL_SIGUSR1), 0);
	cr_assert_eq(ret_user(c, NULL), SL_DELIVER_EXITED);
	cr_assert_eq(info_of(c).exit_code, SL_SIGUSR1);
}

/* checked on Linux 6.18: leaving a SIGUSR1 handler with siglongjmp
 * (sigsetjmp savemask=1) restores the mask (0); with savemask=0 the
 * handler's mask stays ({SIGUSR1}). */
Test(deliver, longjmp_keeps_the_handler_mask_siglongjmp_restores_it)
{
	int a = proc(0, 0);

	cr_assert_eq(set_action(a, SL_SIGUSR1, H1, 0, 0), 0);
	cr_assert_eq(kill_(a, a, SL_SIGUSR1), 0);
	cr_assert_eq(ret_user(a, NULL), SL_DELIVER_HANDLER);
	cr_assert_eq(sl_user_longjmp(K, a, true), 0);
	CHECK();
	cr_assert_eq(blocked_of(a), 0);
	cr_assert_eq(info_of(a).handler_depth, 0);
	cr_assert_eq(kill_(a, a, SL_SIGUSR1), 0);
	cr_assert_eq(ret_user(a, NULL), SL_DELIVER_HANDLER);
	cr_assert_eq(sl_user_longjmp(K, a, false), 0);
	CHECK();
	cr_assert_eq(blocked_of(a), SET(SL_SIGUSR1));
	cr_assert_eq(info_of(a).handler_depth, 0);
	cr_assert_eq(rec_count(&REC, SL_EV_LONGJMP, 0), 2);
	/* now SIGUSR1 waits */
	cr_assert_eq(kill_(a, a, SL_SIGUSR1), 0);
	cr_assert_eq(ret_user(a, NULL), SL_DELIVER_NONE);
	cr_assert_eq(sigpending_of(a), SET(SL_SIGUSR1));
}

/* A signal pending under the handler's mask is delivered by rt_sigreturn's
 * return to user mode. */
Test(deliver, sigreturn_unblocks_a_signal_that_arrived_in_the_handler)
{
	int a = proc(0, 0);
	struct sl_ksignal ks;

	cr_assert_eq(set_action(a, SL_SIGUSR1, H1, 0, 0), 0);
	cr_assert_eq(kill_(a, a, SL_SIGUSR1), 0);
	cr_assert_eq(ret_user(a, NULL), SL_DELIVER_HANDLER);
	cr_assert_eq(kill_(a, a, SL_SIGUSR1), 0);
	cr_assert_eq(ret_user(a, NULL), SL_DELIVER_NONE, "blocked in its own handler");
	cr_assert_eq(sl_sys_rt_sigreturn(K, a), 0);
	CHECK();
	cr_assert(sl_task_has_work(K, a));
	cr_assert_eq(ret_user(a, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(ks.sig, SL_SIGUSR1);
}

/* checked on Linux 6.18: rt_sigqueueinfo passes the caller's siginfo
 * through (si_pid 4242 arrived as given); kill fills si_pid and si_uid. */
Test(deliver, handler_frame_carries_the_siginfo)
{
	int a = proc(0, 1000), b = proc(0, 1000);
	struct sl_ksignal ks;

	cr_assert_eq(set_action(b, SL_SIGRTMIN + 1, H1, SL_SA_SIGINFO, 0), 0);
	cr_assert_eq(sigqueue_(a, b, SL_SIGRTMIN + 1, SL_SI_QUEUE, 77), 0);
	cr_assert_eq(ret_user(b, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(ks.info.signo, SL_SIGRTMIN + 1);
	cr_assert_eq(ks.info.code, SL_SI_QUEUE);
	cr_assert_eq(ks.info.value, 77);
	cr_assert_eq(ks.info.pid, a, "the helper passes si_pid = caller");
	cr_assert_eq(rec_count(&REC, SL_EV_HANDLER, SL_SIGRTMIN + 1), 1);
	cr_assert_eq(sl_sys_rt_sigreturn(K, b), 0);
	CHECK();
	cr_assert_eq(set_action(b, SL_SIGUSR1, H1, SL_SA_SIGINFO, 0), 0);
	cr_assert_eq(kill_(a, b, SL_SIGUSR1), 0);
	cr_assert_eq(ret_user(b, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(ks.info.code, SL_SI_USER);
	cr_assert_eq(ks.info.pid, a);
	cr_assert_eq(ks.info.uid, 1000);
}

/* checked on Linux 6.18 (tests/scenarios/frame-mask): rt_sigreturn
 * restores the uc_sigmask the handler wrote, without SIGKILL and SIGSTOP;
 * without a frame there is nothing to write. */
Test(deliver, rt_sigreturn_restores_the_mask_the_handler_wrote)
{
	int a = proc(0, 0);
	sl_sigset want = sl_sigmask(SL_SIGUSR2) | sl_sigmask(SL_SIGKILL);
	struct sl_ksignal ks;

	cr_assert_eq(sl_user_set_frame_mask(K, a, want), -SL_EINVAL);
	cr_assert_eq(set_action(a, SL_SIGUSR1, H1, 0, 0), 0);
	cr_assert_eq(kill_(a, a, SL_SIGUSR1), 0);
	cr_assert_eq(sl_return_to_user(K, a, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(sl_user_set_frame_mask(K, a, want), 0);
	cr_assert_eq(sl_sys_rt_sigreturn(K, a), 0);
	cr_assert_eq(blocked_of(a), sl_sigmask(SL_SIGUSR2));
	CHECK();
}
