/* ptrace (src/engine/ptrace.c): attach and seize, signal-delivery-stops
 * and the tracer's verdict, group-stop traps, INTERRUPT and LISTEN,
 * syscall-stops, exec, detach, the tracer's exit and the waits of
 * tracees.  The behaviours were checked against Linux 6.x with
 * `siglab diff` on examples/ptrace-*.scn and tests/scenarios/ptrace-*.scn. */
#include "helpers.h"
#include "scenario/ast.h"

TEST_SUITE_FX(ptrace);

static long pt(int caller, long req, int pid, uint64_t data)
{
	long r = sl_sys_ptrace(K, caller, req, pid, 0, data);

	CHECK();
	return r;
}

static void run(int tid)
{
	for (int i = 0; i < 8 && sl_task_has_work(K, tid); i++)
		(void)ret_user(tid, NULL);
	CHECK();
}

static int wait_status(int caller, int pid)
{
	int status = -1;
	long r = sl_sys_wait4(K, caller, pid, &status, SL_WNOHANG);

	CHECK();
	cr_assert_eq(r, pid, "wait4: %ld", r);
	return status;
}

/* A tracer and a tracee it has attached to, stopped for SIGSTOP and
 * collected by wait. */
/* tracer attaches to tracee, which stops for it (attach-stop, collected). */
static void attach(int tracer, int tracee)
{
	cr_assert_eq(pt(tracer, SL_PTRACE_ATTACH, tracee, 0), 0);
	run(tracee);
	cr_assert_eq(wait_status(tracer, tracee), (SL_SIGSTOP << 8) | 0x7f);
}

static void attached(int *tracer, int *tracee)
{
	*tracer = proc(0, 0);
	*tracee = proc(0, 0);
	attach(*tracer, *tracee);
}

Test(ptrace, attach_sends_sigstop_and_the_tracee_stops_for_its_tracer)
{
	int tracer = proc(0, 0), p = proc(0, 0);
	const struct sl_event *gen;

	cr_assert_eq(pt(tracer, SL_PTRACE_ATTACH, p, 0), 0);
	gen = rec_nth(&REC, SL_EV_GENERATE, SL_SIGSTOP, 0);
	cr_assert_not_null(gen);
	cr_assert_eq(gen->info.code, SL_SI_KERNEL);
	cr_assert_eq(gen->group, false);
	run(p);
	cr_assert_eq(info_of(p).state, SL_TASK_TRACED);
	cr_assert_eq(info_of(p).tracer, tracer);
	cr_assert_eq(rec_count(&REC, SL_EV_PTRACE_STOP, SL_SIGSTOP), 1);
	/* no signal_deliver: the signal is only shown to the tracer */
	cr_assert_eq(rec_count(&REC, SL_EV_DELIVER, 0), 0);
	cr_assert_eq(wait_status(tracer, p), (SL_SIGSTOP << 8) | 0x7f);
}

Test(ptrace, seize_does_not_stop_the_tracee)
{
	int tracer = proc(0, 0), p = proc(0, 0);

	cr_assert_eq(pt(tracer, SL_PTRACE_SEIZE, p, SL_PTRACE_O_TRACESYSGOOD), 0);
	cr_assert_eq(rec_count(&REC, SL_EV_GENERATE, 0), 0);
	run(p);
	cr_assert_eq(info_of(p).state, SL_TASK_RUNNING);
}

Test(ptrace, permission_and_state_errors)
{
	int tracer = proc(0, 0), p = proc(0, 0), other = proc(0, 0), user = proc(0, 1000);
	int kt = spawn_kind(SL_SPAWN_KTHREAD, 0, 0, 0, 0);

	cr_assert_eq(pt(tracer, SL_PTRACE_CONT, p, 0), -SL_ESRCH);
	cr_assert_eq(pt(tracer, SL_PTRACE_ATTACH, tracer, 0), -SL_EPERM);
	cr_assert_eq(pt(tracer, SL_PTRACE_ATTACH, kt, 0), -SL_EPERM);
	cr_assert_eq(pt(user, SL_PTRACE_ATTACH, p, 0), -SL_EPERM);
	cr_assert_eq(pt(tracer, SL_PTRACE_SEIZE, p, 0x40000000), -SL_EIO);
	cr_assert_eq(pt(tracer, SL_PTRACE_SEIZE, p, 0), 0);
	cr_assert_eq(pt(other, SL_PTRACE_SEIZE, p, 0), -SL_EPERM);
	/* traced but running: not in a ptrace stop */
	cr_assert_eq(pt(p, SL_PTRACE_TRACEME, 0, 0), -SL_EPERM);
	cr_assert_eq(pt(tracer, SL_PTRACE_CONT, p, 0), -SL_ESRCH);
	cr_assert_eq(pt(other, SL_PTRACE_INTERRUPT, p, 0), -SL_ESRCH);
	cr_assert_eq(pt(tracer, 12345, p, 0), -SL_ESRCH);
	cr_assert_eq(pt(tracer, SL_PTRACE_INTERRUPT, p, 0), 0);
	run(p);
	cr_assert_eq(info_of(p).state, SL_TASK_TRACED);
	cr_assert_eq(pt(tracer, 12345, p, 0), -SL_EIO);
	cr_assert_eq(pt(tracer, SL_PTRACE_CONT, p, 65), -SL_EIO);
	cr_assert_eq(pt(tracer, SL_PTRACE_SETOPTIONS, p, 0x40000000), -SL_EINVAL);
	/* a task in a ptrace stop makes no system call */
	cr_assert_eq(pt(p, SL_PTRACE_TRACEME, 0, 0), -SL_ESRCH);
}

Test(ptrace, the_tracer_suppresses_a_fatal_signal)
{
	int tracer, p;

	attached(&tracer, &p);
	cr_assert_eq(pt(tracer, SL_PTRACE_CONT, p, 0), 0);
	run(p);
	cr_assert_eq(kill_(tracer, p, SL_SIGTERM), 0);
	/* no group exit at generation: the tracer may cancel the signal */
	cr_assert_eq(info_of(p).state, SL_TASK_RUNNING);
	run(p);
	cr_assert_eq(info_of(p).state, SL_TASK_TRACED);
	cr_assert_eq(wait_status(tracer, p), (SL_SIGTERM << 8) | 0x7f);
	cr_assert_eq(pt(tracer, SL_PTRACE_CONT, p, 0), 0);
	run(p);
	cr_assert_eq(info_of(p).state, SL_TASK_RUNNING);
	cr_assert_eq(rec_count(&REC, SL_EV_DELIVER, SL_SIGTERM), 0);
}

Test(ptrace, a_changed_signal_gets_a_new_si_user_siginfo_from_the_tracer)
{
	int tracer, p, sender = proc(0, 0);
	struct sl_ksignal ks;
	struct sl_siginfo si;

	attached(&tracer, &p);
	cr_assert_eq(pt(tracer, SL_PTRACE_CONT, p, 0), 0);
	run(p);
	set_action(p, SL_SIGUSR2, H2, SL_SA_SIGINFO, 0);
	cr_assert_eq(kill_(sender, p, SL_SIGUSR1), 0);
	run(p);
	cr_assert_eq(pt(tracer, SL_PTRACE_GETSIGINFO, p, (uint64_t)(uintptr_t)&si), 0);
	cr_assert_eq(si.signo, SL_SIGUSR1);
	cr_assert_eq(si.pid, sender);
	cr_assert_eq(pt(tracer, SL_PTRACE_CONT, p, SL_SIGUSR2), 0);
	cr_assert_eq(ret_user(p, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(ks.sig, SL_SIGUSR2);
	cr_assert_eq(ks.info.code, SL_SI_USER);
	cr_assert_eq(ks.info.pid, tracer);
}

Test(ptrace, a_blocked_injected_signal_is_queued_again)
{
	int tracer = proc(0, 0), p = proc(0, 0);

	mask_op(p, SL_SIG_BLOCK, SET(SL_SIGUSR2));
	attach(tracer, p);
	cr_assert_eq(pt(tracer, SL_PTRACE_CONT, p, SL_SIGUSR2), 0);
	run(p);
	cr_assert_eq(info_of(p).state, SL_TASK_RUNNING);
	cr_assert(info_of(p).pending & SET(SL_SIGUSR2));
}

Test(ptrace, an_ignored_signal_still_stops_a_tracee)
{
	int tracer, p;

	attached(&tracer, &p);
	cr_assert_eq(pt(tracer, SL_PTRACE_CONT, p, 0), 0);
	run(p);
	set_action(p, SL_SIGUSR1, SL_SIG_IGN, 0, 0);
	cr_assert_eq(kill_(tracer, p, SL_SIGUSR1), 0);
	cr_assert_eq(rec_last(&REC, SL_EV_GENERATE)->result, SL_TRACE_DELIVERED);
	run(p);
	cr_assert_eq(info_of(p).state, SL_TASK_TRACED);
}

Test(ptrace, sigkill_ends_a_ptrace_stop_and_the_tracer_reaps_first)
{
	int parent = proc(0, 0), p = proc(parent, 0), tracer = proc(0, 0), status = 0;

	cr_assert_eq(pt(tracer, SL_PTRACE_SEIZE, p, 0), 0);
	cr_assert_eq(kill_(tracer, p, SL_SIGUSR1), 0);
	run(p);
	cr_assert_eq(info_of(p).state, SL_TASK_TRACED);
	cr_assert_eq(kill_(tracer, p, SL_SIGKILL), 0);
	run(p);
	cr_assert_eq(info_of(p).state, SL_TASK_ZOMBIE);
	/* the real parent sees nothing to reap yet */
	cr_assert_eq(sl_sys_wait4(K, parent, p, &status, SL_WNOHANG), 0);
	cr_assert_eq(wait_status(tracer, p), SL_SIGKILL);
	cr_assert_eq(info_of(p).state, SL_TASK_ZOMBIE);
	cr_assert_eq(wait_status(parent, p), SL_SIGKILL);
	cr_assert_eq(info_of(p).state, SL_TASK_DEAD);
}

Test(ptrace, group_stop_under_seize_reports_event_stop_and_listen_waits_for_sigcont)
{
	int tracer = proc(0, 0), p = child(), shell = proc(0, 0);

	cr_assert_eq(pt(tracer, SL_PTRACE_SEIZE, p, 0), 0);
	cr_assert_eq(kill_(shell, p, SL_SIGSTOP), 0);
	run(p);
	cr_assert_eq(wait_status(tracer, p), (SL_SIGSTOP << 8) | 0x7f);
	cr_assert_eq(pt(tracer, SL_PTRACE_CONT, p, SL_SIGSTOP), 0);
	run(p);
	cr_assert_eq(wait_status(tracer, p),
		     (SL_PTRACE_EVENT_STOP << 16) | (SL_SIGSTOP << 8) | 0x7f);
	cr_assert_eq(pt(tracer, SL_PTRACE_LISTEN, p, 0), 0);
	cr_assert_eq(sl_sys_wait4(K, tracer, p, NULL, SL_WNOHANG), 0);
	cr_assert_eq(pt(tracer, SL_PTRACE_CONT, p, 0), -SL_ESRCH);
	cr_assert_eq(kill_(shell, p, SL_SIGCONT), 0);
	run(p);
	cr_assert_eq(info_of(p).state, SL_TASK_TRACED);
	cr_assert_eq(wait_status(tracer, p),
		     (SL_PTRACE_EVENT_STOP << 16) | (SL_SIGTRAP << 8) | 0x7f);
}

Test(ptrace, listen_needs_an_event_stop_and_interrupt_a_seized_tracee)
{
	int tracer, p;

	attached(&tracer, &p);
	cr_assert_eq(pt(tracer, SL_PTRACE_LISTEN, p, 0), -SL_EIO);
	cr_assert_eq(pt(tracer, SL_PTRACE_INTERRUPT, p, 0), -SL_EIO);
}

Test(ptrace, sigcont_does_not_resume_a_ptrace_stop)
{
	int tracer, p, other = proc(0, 0);

	attached(&tracer, &p);
	cr_assert_eq(kill_(other, p, SL_SIGCONT), 0);
	run(p);
	cr_assert_eq(info_of(p).state, SL_TASK_TRACED);
}

Test(ptrace, syscall_stops_with_tracesysgood)
{
	int tracer, p;
	const struct sl_event *ev;

	attached(&tracer, &p);
	cr_assert_eq(pt(tracer, SL_PTRACE_SETOPTIONS, p, SL_PTRACE_O_TRACESYSGOOD), 0);
	cr_assert_eq(pt(tracer, SL_PTRACE_SYSCALL, p, 0), 0);
	run(p);
	cr_assert_eq(sl_syscall_enter(K, p), 1);
	cr_assert_eq(wait_status(tracer, p), ((SL_SIGTRAP | 0x80) << 8) | 0x7f);
	cr_assert_eq(sl_syscall_enter(K, p), 0, "still stopped: nothing to do");
	cr_assert_eq(pt(tracer, SL_PTRACE_SYSCALL, p, 0), 0);
	cr_assert_eq(sl_syscall_enter(K, p), 0, "resumed: make the call");
	cr_assert_eq(sl_syscall_exit(K, p), 1);
	ev = rec_last(&REC, SL_EV_PTRACE_STOP);
	cr_assert_eq(ev->code, SL_SIGTRAP | 0x80);
	cr_assert_eq(pt(tracer, SL_PTRACE_CONT, p, 0), 0);
	run(p);
	/* PTRACE_CONT turned syscall tracing off */
	cr_assert_eq(sl_syscall_enter(K, p), 0);
	cr_assert_eq(sl_syscall_exit(K, p), 0);
}

Test(ptrace, exec_sends_sigtrap_to_an_attached_tracee_and_an_event_with_traceexec)
{
	int tracer, p, q = proc(0, 0);

	attached(&tracer, &p);
	cr_assert_eq(pt(tracer, SL_PTRACE_CONT, p, 0), 0);
	run(p);
	cr_assert_eq(sl_sys_execve(K, p), 0);
	run(p);
	cr_assert_eq(wait_status(tracer, p), (SL_SIGTRAP << 8) | 0x7f);
	cr_assert_eq(pt(tracer, SL_PTRACE_SEIZE, q, SL_PTRACE_O_TRACEEXEC), 0);
	cr_assert_eq(sl_sys_execve(K, q), 0);
	cr_assert_eq(info_of(q).state, SL_TASK_TRACED);
	cr_assert_eq(wait_status(tracer, q),
		     (SL_PTRACE_EVENT_EXEC << 16) | (SL_SIGTRAP << 8) | 0x7f);
	cr_assert_eq(info_of(q).pending, 0, "no SIGTRAP with TRACEEXEC");
}

Test(ptrace, detach_resumes_with_the_given_signal)
{
	int tracer = proc(0, 0), p = proc(0, 0);
	struct sl_ksignal ks;

	set_action(p, SL_SIGUSR1, H1, 0, 0);
	attach(tracer, p);
	cr_assert_eq(pt(tracer, SL_PTRACE_DETACH, p, SL_SIGUSR1), 0);
	cr_assert_eq(info_of(p).tracer, 0);
	cr_assert_eq(ret_user(p, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(ks.sig, SL_SIGUSR1);
}

Test(ptrace, tracer_exit_releases_a_stopped_tracee_with_its_signal)
{
	int tracer = proc(0, 0), p = proc(0, 0);
	struct sl_ksignal ks;

	set_action(p, SL_SIGUSR1, H1, 0, 0);
	cr_assert_eq(pt(tracer, SL_PTRACE_SEIZE, p, 0), 0);
	cr_assert_eq(kill_(tracer, p, SL_SIGUSR1), 0);
	run(p);
	cr_assert_eq(info_of(p).state, SL_TASK_TRACED);
	cr_assert_eq(sl_sys_exit(K, tracer, 0), 0);
	CHECK();
	cr_assert_eq(info_of(p).state, SL_TASK_RUNNING);
	cr_assert_eq(info_of(p).tracer, 0);
	cr_assert_eq(ret_user(p, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(ks.sig, SL_SIGUSR1);
}

Test(ptrace, exitkill_kills_the_tracee_when_the_tracer_exits)
{
	int tracer = proc(0, 0), p = proc(0, 0);

	cr_assert_eq(pt(tracer, SL_PTRACE_SEIZE, p, SL_PTRACE_O_EXITKILL), 0);
	cr_assert_eq(sl_sys_exit(K, tracer, 0), 0);
	run(p);
	cr_assert_eq(info_of(p).exit_kind, SL_EXIT_SIGNAL);
	cr_assert_eq(info_of(p).exit_code, SL_SIGKILL);
}

Test(ptrace, traceme_makes_the_real_parent_the_tracer)
{
	int parent = proc(0, 0), c = (int)sl_sys_fork(K, parent);

	CHECK();
	cr_assert_eq(pt(c, SL_PTRACE_TRACEME, 0, 0), 0);
	cr_assert_eq(info_of(c).tracer, parent);
	cr_assert_eq(pt(c, SL_PTRACE_TRACEME, 0, 0), -SL_EPERM);
	cr_assert_eq(kill_(parent, c, SL_SIGUSR1), 0);
	run(c);
	cr_assert_eq(wait_status(parent, c), (SL_SIGUSR1 << 8) | 0x7f);
	/* the tracer is the real parent: its death report is the usual one */
	cr_assert_eq(pt(parent, SL_PTRACE_CONT, c, SL_SIGUSR1), 0);
	run(c);
	cr_assert_eq(wait_status(parent, c), SL_SIGUSR1);
	cr_assert_eq(info_of(c).state, SL_TASK_DEAD);
}

Test(ptrace, traceexit_stops_before_the_exit_and_exits_when_resumed)
{
	int tracer = proc(0, 0), p = proc(0, 0);
	unsigned long msg = 0;

	cr_assert_eq(pt(tracer, SL_PTRACE_SEIZE, p, SL_PTRACE_O_TRACEEXIT), 0);
	cr_assert_eq(sl_sys_exit_group(K, p, 3), 0);
	CHECK();
	cr_assert_eq(info_of(p).state, SL_TASK_TRACED);
	cr_assert_eq(wait_status(tracer, p),
		     (SL_PTRACE_EVENT_EXIT << 16) | (SL_SIGTRAP << 8) | 0x7f);
	cr_assert_eq(pt(tracer, SL_PTRACE_GETEVENTMSG, p, (uint64_t)(uintptr_t)&msg), 0);
	cr_assert_eq(msg, 3 << 8);
	cr_assert_eq(pt(tracer, SL_PTRACE_CONT, p, SL_SIGUSR1), 0);
	run(p);
	cr_assert_eq(info_of(p).state, SL_TASK_ZOMBIE);
	cr_assert_eq(wait_status(tracer, p), 3 << 8);
}

Test(ptrace, tracefork_traces_the_child_and_stops_the_parent_at_the_event)
{
	int tracer, p, c;
	unsigned long msg = 0;

	attached(&tracer, &p);
	cr_assert_eq(pt(tracer, SL_PTRACE_SETOPTIONS, p,
			SL_PTRACE_O_TRACEFORK | SL_PTRACE_O_TRACESYSGOOD), 0);
	cr_assert_eq(pt(tracer, SL_PTRACE_CONT, p, 0), 0);
	run(p);
	c = (int)sl_sys_fork(K, p);
	CHECK();
	cr_assert_gt(c, 0);
	cr_assert_eq(info_of(p).state, SL_TASK_TRACED);
	cr_assert_eq(wait_status(tracer, p),
		     (SL_PTRACE_EVENT_FORK << 16) | (SL_SIGTRAP << 8) | 0x7f);
	cr_assert_eq(pt(tracer, SL_PTRACE_GETEVENTMSG, p, (uint64_t)(uintptr_t)&msg), 0);
	cr_assert_eq(msg, (unsigned long)c);
	cr_assert_eq(info_of(c).tracer, tracer);
	run(c);
	cr_assert_eq(wait_status(tracer, c), (SL_SIGSTOP << 8) | 0x7f);
	/* the options are inherited: a fork of the child stops it too */
	cr_assert_eq(pt(tracer, SL_PTRACE_CONT, c, 0), 0);
	run(c);
	cr_assert_gt(sl_sys_fork(K, c), 0);
	CHECK();
	cr_assert_eq(info_of(c).state, SL_TASK_TRACED);
}

Test(ptrace, the_scenario_language_parses_ptrace_requests)
{
	struct scenario *s = parse_ok("scenario s\nprocess a\nprocess b\n"
				      "a: ptrace ATTACH b\n"
				      "a: ptrace PTRACE_CONT b SIGUSR1\n"
				      "a: ptrace SEIZE b PTRACE_O_TRACESYSGOOD|PTRACE_O_EXITKILL\n"
				      "a: ptrace SETSIGINFO b SIGUSR2 code=SI_QUEUE value=3\n"
				      "b: ptrace TRACEME\n"
				      "expect b traced\n");

	cr_assert_not_null(s);
	sc_free(s);
	ASSERT_ERR("scenario s\nprocess a\na: ptrace FOO a\n", "3:11: unknown ptrace request 'FOO'");
	ASSERT_ERR("scenario s\nprocess a\na: ptrace SETOPTIONS a PTRACE_O_NOPE\n",
		   "3:24: unknown ptrace option 'PTRACE_O_NOPE'");
}
