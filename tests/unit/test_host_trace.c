/*
 * The host runner's readers: trace_pipe lines and /proc, and what it
 * refuses to run.
 */
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "host/host.h"
#include "host/internal.h"
#include "scenario/ast.h"

Test(host_trace, parses_signal_generate_with_the_sender_from_the_task_column)
{
	struct tev ev;

	cr_assert_eq(tracefs_parse("  my task-1234    [001] d..2.  5.000001: signal_generate: "
				   "sig=10 errno=0 code=-6 comm=a pid=1240 grp=0 res=2", &ev), 0);
	cr_assert_eq(ev.kind, TEV_GENERATE);
	cr_assert_eq(ev.common_pid, 1234);
	cr_assert_eq(ev.sig, 10);
	cr_assert_eq(ev.code, -6);
	cr_assert_eq(ev.pid, 1240);
	cr_assert_eq(ev.grp, 0);
	cr_assert_eq(ev.res, 2);
}

Test(host_trace, parses_signal_deliver_handler_and_flags_in_hex)
{
	struct tev ev;

	cr_assert_eq(tracefs_parse("a-77 [000] ..... 1.5: signal_deliver: sig=34 errno=0 "
				   "code=-1 sa_handler=55d0c0de sa_flags=14000004", &ev), 0);
	cr_assert_eq(ev.kind, TEV_DELIVER);
	cr_assert_eq(ev.common_pid, 77);
	cr_assert_eq(ev.handler, 0x55d0c0deu);
	cr_assert_eq(ev.flags, 0x14000004u);
}

Test(host_trace, parses_markers_and_exits_and_ignores_other_lines)
{
	struct tev ev;

	cr_assert_eq(tracefs_parse("a-7 [000] ..... 1.5: tracing_mark_write: siglab 3 17", &ev), 0);
	cr_assert_eq(ev.kind, TEV_MARK);
	cr_assert_eq(ev.mark_task, 3);
	cr_assert_eq(ev.mark_seq, 17);
	cr_assert_eq(tracefs_parse("a-7 [000] ..... 1.5: sched_process_exit: comm=a pid=7 prio=120",
				   &ev), 0);
	cr_assert_eq(ev.kind, TEV_EXIT);
	cr_assert_eq(ev.pid, 7);
	cr_assert_eq(tracefs_parse("# tracer: nop", &ev), 0);
	cr_assert_eq(ev.kind, TEV_OTHER);
	cr_assert_eq(tracefs_parse("a-7 [000] ..... 1.5: signal_generate: sig=", &ev), -1);
}

Test(host_trace, reads_its_own_thread_from_proc)
{
	struct proc_thread pt;

	cr_assert_eq(proc_read_thread(getpid(), (pid_t)gettid(), &pt), 0);
	cr_assert(!pt.gone);
	cr_assert_eq(pt.state, 'R');
	cr_assert_eq(proc_read_thread(0x3fffffff, 0x3fffffff, &pt), 0);
	cr_assert(pt.gone, "a task that does not exist reads as gone");
}

static struct scenario *parse(const char *text)
{
	struct scenario *s = NULL;
	struct sc_diag d;

	cr_assert_eq(sc_parse("t.scn", text, strlen(text), &s, &d), 0, "%s", d.message);
	return s;
}

Test(host_trace, skips_what_the_host_cannot_run_with_the_reason)
{
	char buf[160];
	struct scenario *s = parse("scenario k\nkthread k\nprocess p\np: kill k SIGTERM\n");

	if (geteuid() == 0) {
		cr_assert_not_null(host_skip_reason(s, buf, sizeof buf));
		cr_assert(strstr(buf, "kthread"), "%s", buf);
	}
	sc_free(s);
	s = parse("scenario f\nprocess p\np: fault SIGFPE FPE_INTOVF\n");
	cr_assert_not_null(host_skip_reason(s, buf, sizeof buf));
	sc_free(s);
	s = parse("scenario ok\nprocess p\np: raise SIGUSR1\n");
	if (geteuid() == 0)
		cr_assert_null(host_skip_reason(s, buf, sizeof buf), "%s", buf);
	sc_free(s);
}
