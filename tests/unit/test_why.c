/*
 * siglab why / ps: the /proc readers on canned texts (well formed,
 * truncated, garbage) and fake proc trees, and the verdicts the model
 * gives for the cases an operator meets: an ignored, a blocked and a
 * caught signal, a kernel thread, PID 1, a namespace init, a zombie, a
 * stopped process, a D-state sleeper.  Real processes used: pid 1 and
 * pid 2, read only, and children of the test itself, which it stops,
 * kills and reaps.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/redirect.h>

#include "helpers.h"

#include "cli/commands.h"
#include "why/why.h"
#include "why/proc.h"

/* ---- canned texts ------------------------------------------------------------ */

/* A status text with the given state and masks (hex strings). */
static void status_text(char *buf, size_t cap, int pid, const char *nspid, char state,
			const char *pnd, const char *blk, const char *ign, const char *cgt)
{
	snprintf(buf, cap,
		 "Name:\tdaemon\nUmask:\t0022\nState:\t%c (whatever)\nTgid:\t%d\nNgid:\t0\n"
		 "Pid:\t%d\nPPid:\t1\nTracerPid:\t0\nUid:\t1000\t1000\t1000\t1000\n"
		 "Gid:\t1000\t1000\t1000\t1000\nNStgid:\t%s\nNSpid:\t%s\nNSpgid:\t%d\n"
		 "NSsid:\t%d\nKthread:\t0\nThreads:\t1\nSigQ:\t0/63382\nSigPnd:\t%s\n"
		 "ShdPnd:\t0000000000000000\nSigBlk:\t%s\nSigIgn:\t%s\nSigCgt:\t%s\n"
		 "CapInh:\t0000000000000000\n",
		 state, pid, pid, nspid, nspid, pid, pid, pnd, blk, ign, cgt);
}

static void stat_text(char *buf, size_t cap, int pid, char state, unsigned long flags)
{
	snprintf(buf, cap,
		 "%d (dae mon) (x)) %c 1 %d %d 0 -1 %lu 100 0 0 0 1 2 0 0 20 0 1 0 25 1000 "
		 "200 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n",
		 pid, state, pid, pid, flags);
}

#define ZERO "0000000000000000"
#define TERM_BIT "0000000000004000"	/* 1 << (15 - 1) */
#define KILL_BIT "0000000000000100"

static struct why_sender me_as(uint32_t uid, bool cap_kill)
{
	struct why_sender s = { .from = WHY_FROM_AUTO, .orphaned_pgrp = -1 };

	s.self = (struct proc_self){ .uid = uid, .euid = uid, .cap_kill = cap_kill,
				     .sid = 99, .nspid_count = 1, .root_pidns = 1 };
	return s;
}

/* Diagnoses a one-thread process from canned texts. */
static struct why_report diagnose_text(const char *status, const char *stat, int sig,
				       const struct why_sender *s, struct proc_process *p)
{
	struct why_report r;

	cr_assert_eq(proc_process_from_text(status, stat, p), PROC_OK);
	cr_assert_eq(why_diagnose(p, sig, s, &r), 0);
	return r;
}

static void diagnosis_free(struct why_report *r, struct proc_process *p)
{
	why_report_free(r);
	proc_process_free(p);
}

static bool notes_have(const struct why_report *r, const char *what)
{
	for (size_t i = 0; i < r->nnotes; i++)
		if (strstr(r->notes[i], what))
			return true;
	return false;
}

/* ---- parsing ---------------------------------------------------------------- */

Test(why_parse, status_fields_are_read)
{
	char buf[2048];
	struct proc_status st;

	status_text(buf, sizeof buf, 4242, "4242", 'S', "0000000000000002", TERM_BIT, "0000000000001000",
		    "0000000000010002");
	cr_assert_eq(proc_parse_status(buf, &st), PROC_OK);
	cr_assert_str_eq(st.name, "daemon");
	cr_assert_eq(st.state, 'S');
	cr_assert_eq(st.pid, 4242);
	cr_assert_eq(st.uid[0], 1000);
	cr_assert_eq(st.nspid_count, 1);
	cr_assert_eq(st.kthread, 0);
	cr_assert_eq(st.sigpnd, sl_sigmask(SL_SIGINT));
	cr_assert_eq(st.sigblk, sl_sigmask(SL_SIGTERM));
	cr_assert_eq(st.sigign, sl_sigmask(SL_SIGPIPE));
	cr_assert_eq(st.sigcgt, sl_sigmask(SL_SIGINT) | sl_sigmask(SL_SIGCHLD));
}

Test(why_parse, truncated_status_is_bad_not_a_crash)
{
	char buf[2048];
	struct proc_status st;
	size_t full;

	status_text(buf, sizeof buf, 7, "7", 'S', ZERO, ZERO, ZERO, ZERO);
	full = strlen(buf);
	/* Every prefix parses without a crash; only the long ones are whole. */
	for (size_t cut = 0; cut <= full; cut++) {
		char *t = strndup(buf, cut);
		int err = proc_parse_status(t, &st);

		cr_assert(err == PROC_OK || err == PROC_BAD);
		if (cut < (size_t)(strstr(buf, "SigCgt") - buf) + 8)
			cr_assert_eq(err, PROC_BAD, "cut at %zu parsed", cut);
		free(t);
	}
}

Test(why_parse, garbage_status_is_bad)
{
	struct proc_status st;
	char junk[600];
	unsigned seed = 12345;

	cr_assert_eq(proc_parse_status("", &st), PROC_BAD);
	cr_assert_eq(proc_parse_status(":::\n\n:\t\n", &st), PROC_BAD);
	cr_assert_eq(proc_parse_status("State:\nSigPnd:\tzz\nSigBlk:\t-1\nSigIgn:\t"
				       "00000000000000000\nSigCgt:\t0x10\nShdPnd:\t0 0\n", &st),
		     PROC_BAD);
	for (int round = 0; round < 200; round++) {
		for (size_t i = 0; i < sizeof junk - 1; i++) {
			seed = seed * 1103515245u + 12345u;
			junk[i] = (char)(1 + (seed >> 16) % 127);
		}
		junk[sizeof junk - 1] = '\0';
		cr_assert(proc_parse_status(junk, &st) != PROC_OK || st.state);
	}
}

Test(why_parse, stat_comm_with_parentheses_and_spaces)
{
	char buf[512];
	struct proc_stat st;

	stat_text(buf, sizeof buf, 321, 'T', PROC_PF_KTHREAD);
	cr_assert_eq(proc_parse_stat(buf, &st), PROC_OK);
	cr_assert_str_eq(st.comm, "dae mon) (x)");
	cr_assert_eq(st.state, 'T');
	cr_assert_eq(st.ppid, 1);
	cr_assert_eq(st.pgrp, 321);
	cr_assert_eq(st.flags, PROC_PF_KTHREAD);
	cr_assert_eq(st.exit_signal, SL_SIGCHLD);
}

Test(why_parse, truncated_or_garbage_stat_is_bad)
{
	char buf[512];
	struct proc_stat st;

	stat_text(buf, sizeof buf, 321, 'S', 0);
	for (size_t cut = 0; cut < strlen(buf); cut++) {
		char *t = strndup(buf, cut);
		int err = proc_parse_stat(t, &st);

		cr_assert(err == PROC_OK || err == PROC_BAD);
		free(t);
	}
	cr_assert_eq(proc_parse_stat("12 (a S 1 2 3", &st), PROC_BAD);
	cr_assert_eq(proc_parse_stat("12 a) S 1 2 3 4 5 6", &st), PROC_BAD);
	cr_assert_eq(proc_parse_stat("x (a) S 1 2 3 4 5 6", &st), PROC_BAD);
	cr_assert_eq(proc_parse_stat("12 (a) 7 1 2 3 4 5 6", &st), PROC_BAD);
	cr_assert_eq(proc_parse_stat("12 (a) S 1 2 3 4 5 6", &st), PROC_OK);
	cr_assert_eq(st.exit_signal, -1);
}

Test(why_parse, syscall_file)
{
	cr_assert_eq(proc_parse_syscall("0 0x3 0x7ffd 0x1 0x0 0x0 0x0 0x7ffd 0x7f12\n"), 0);
	cr_assert_eq(proc_parse_syscall("-1 0x7ffd 0x7f12\n"), PROC_SYSCALL_NONE);
	cr_assert_eq(proc_parse_syscall("running\n"), PROC_SYSCALL_RUNNING);
	cr_assert_eq(proc_parse_syscall("what"), PROC_SYSCALL_UNKNOWN);
	cr_assert_str_eq(proc_syscall_name(0), "read");
}

Test(why_parse, signal_sets_as_names)
{
	char buf[256];

	why_format_set(0, buf, sizeof buf);
	cr_assert_str_eq(buf, "-");
	why_format_set(~(uint64_t)0, buf, sizeof buf);
	cr_assert_str_eq(buf, "all");
	why_format_set(sl_sigmask(SL_SIGHUP) | sl_sigmask(SL_SIGTERM), buf, sizeof buf);
	cr_assert_str_eq(buf, "HUP,TERM");
	why_format_set(0xfffffffe00000000ull, buf, sizeof buf);
	cr_assert_str_eq(buf, "RTMIN..RTMAX");
	why_format_set(0x0000000180000000ull, buf, sizeof buf);
	cr_assert_str_eq(buf, "SIG32,SIG33");
	why_format_set(0x5555555555555555ull, buf, 12);
	cr_assert_eq(strlen(buf), 11);
}

Test(why_parse, arguments)
{
	cr_assert_eq(cli_parse_signal("term"), SL_SIGTERM);
	cr_assert_eq(cli_parse_signal("SIGKILL"), SL_SIGKILL);
	cr_assert_eq(cli_parse_signal("15"), SL_SIGTERM);
	cr_assert_eq(cli_parse_signal("0"), 0);
	cr_assert_eq(cli_parse_signal("rtmin+2"), 36);
	cr_assert_eq(cli_parse_signal("65"), -1);
	cr_assert_eq(cli_parse_signal("FOO"), -1);
	cr_assert_eq(cli_parse_pid("1"), 1);
	cr_assert_eq(cli_parse_pid("0"), -1);
	cr_assert_eq(cli_parse_pid("-3"), -1);
	cr_assert_eq(cli_parse_pid("99999999999"), -1);
}

/* ---- verdicts on canned processes -------------------------------------------- */

Test(why_verdict, ignored_signal_is_dropped)
{
	char st[2048], sa[512];
	struct proc_process p;
	struct why_sender s = me_as(1000, false);
	struct why_report r;

	status_text(st, sizeof st, 4242, "4242", 'S', ZERO, ZERO, TERM_BIT, ZERO);
	stat_text(sa, sizeof sa, 4242, 'S', 0);
	r = diagnose_text(st, sa, SL_SIGTERM, &s, &p);
	cr_assert_eq(r.kind, WHY_KIND_PROCESS);
	cr_assert_eq(r.now.verdict, WHY_DROPPED);
	cr_assert_eq(r.now.gen_result, SL_TRACE_IGNORED);
	cr_assert(strstr(r.now.gen_rule, "sig_handler_ignored"));
	cr_assert(notes_have(&r, "SIG_IGN"));
	diagnosis_free(&r, &p);
}

Test(why_verdict, blocked_signal_stays_pending_then_kills)
{
	char st[2048], sa[512];
	struct proc_process p;
	struct why_sender s = me_as(1000, false);
	struct why_report r;

	status_text(st, sizeof st, 4242, "4242", 'S', ZERO, TERM_BIT, ZERO, ZERO);
	stat_text(sa, sizeof sa, 4242, 'S', 0);
	r = diagnose_text(st, sa, SL_SIGTERM, &s, &p);
	cr_assert_eq(r.now.verdict, WHY_PENDING);
	cr_assert_eq(r.now.gen_result, SL_TRACE_DELIVERED);
	cr_assert_eq(r.nblockers, 1);
	cr_assert_eq(r.blockers[0], 4242);
	cr_assert(r.has_then);
	cr_assert_eq(r.then.verdict, WHY_TERM);
	diagnosis_free(&r, &p);
}

Test(why_verdict, blocked_and_already_pending_is_merged)
{
	char st[2048], sa[512];
	struct proc_process p;
	struct why_sender s = me_as(1000, false);
	struct why_report r;

	status_text(st, sizeof st, 4242, "4242", 'S', TERM_BIT, TERM_BIT, ZERO, ZERO);
	stat_text(sa, sizeof sa, 4242, 'S', 0);
	r = diagnose_text(st, sa, SL_SIGTERM, &s, &p);
	/* kill() queues process-wide; the pending one is the thread's own. */
	cr_assert(r.now.verdict == WHY_PENDING || r.now.verdict == WHY_ALREADY_PENDING);
	diagnosis_free(&r, &p);
}

Test(why_verdict, caught_signal_runs_the_handler)
{
	char st[2048], sa[512];
	struct proc_process p;
	struct why_sender s = me_as(1000, false);
	struct why_report r;

	status_text(st, sizeof st, 4242, "4242", 'S', ZERO, ZERO, ZERO, TERM_BIT);
	stat_text(sa, sizeof sa, 4242, 'S', 0);
	r = diagnose_text(st, sa, SL_SIGTERM, &s, &p);
	cr_assert_eq(r.now.verdict, WHY_HANDLER);
	cr_assert_eq(r.now.taker, 4242);
	cr_assert(strstr(r.now.rule, "handle_signal"));
	diagnosis_free(&r, &p);
}

Test(why_verdict, default_action_kills_and_cores)
{
	char st[2048], sa[512];
	struct proc_process p;
	struct why_sender s = me_as(1000, false);
	struct why_report r;

	status_text(st, sizeof st, 4242, "4242", 'R', ZERO, ZERO, ZERO, ZERO);
	stat_text(sa, sizeof sa, 4242, 'R', 0);
	r = diagnose_text(st, sa, SL_SIGTERM, &s, &p);
	cr_assert_eq(r.now.verdict, WHY_TERM);
	diagnosis_free(&r, &p);
	r = diagnose_text(st, sa, SL_SIGQUIT, &s, &p);
	cr_assert_eq(r.now.verdict, WHY_CORE);
	diagnosis_free(&r, &p);
	r = diagnose_text(st, sa, SL_SIGCHLD, &s, &p);
	cr_assert_eq(r.now.verdict, WHY_DROPPED);
	diagnosis_free(&r, &p);
	r = diagnose_text(st, sa, SL_SIGTSTP, &s, &p);
	cr_assert_eq(r.now.verdict, WHY_STOP);
	diagnosis_free(&r, &p);
}

Test(why_verdict, another_users_process_is_eperm)
{
	char st[2048], sa[512];
	struct proc_process p;
	struct why_sender s = me_as(2000, false);
	struct why_report r;

	status_text(st, sizeof st, 4242, "4242", 'S', ZERO, ZERO, ZERO, ZERO);
	stat_text(sa, sizeof sa, 4242, 'S', 0);
	r = diagnose_text(st, sa, SL_SIGTERM, &s, &p);
	cr_assert_eq(r.now.verdict, WHY_EPERM);
	cr_assert_eq(r.now.kill_ret, -SL_EPERM);
	cr_assert(notes_have(&r, "check_kill_permission"));
	diagnosis_free(&r, &p);
	s = me_as(2000, true);
	r = diagnose_text(st, sa, SL_SIGTERM, &s, &p);
	cr_assert_eq(r.now.verdict, WHY_TERM);
	diagnosis_free(&r, &p);
}

Test(why_verdict, namespace_init_takes_sigkill_only_from_outside)
{
	char st[2048], sa[512];
	struct proc_process p;
	struct why_sender s = me_as(0, true);
	struct why_report r;

	status_text(st, sizeof st, 4242, "4242\t1", 'S', ZERO, ZERO, ZERO, ZERO);
	stat_text(sa, sizeof sa, 4242, 'S', 0);
	r = diagnose_text(st, sa, SL_SIGKILL, &s, &p);
	cr_assert_eq(r.kind, WHY_KIND_NS_INIT);
	cr_assert_eq(r.now.verdict, WHY_TERM, "from the parent namespace SIGKILL gets through");
	diagnosis_free(&r, &p);
	s.from = WHY_FROM_INSIDE;
	r = diagnose_text(st, sa, SL_SIGKILL, &s, &p);
	cr_assert_eq(r.now.verdict, WHY_DROPPED);
	cr_assert(strstr(r.now.gen_rule, "SIGNAL_UNKILLABLE"));
	diagnosis_free(&r, &p);
	s.from = WHY_FROM_AUTO;
	r = diagnose_text(st, sa, SL_SIGTERM, &s, &p);
	cr_assert_eq(r.now.verdict, WHY_DROPPED, "a default-action SIGTERM is dropped from anywhere");
	diagnosis_free(&r, &p);
}

/* ---- fake proc trees ---------------------------------------------------------- */

static void make_dir(char *out, size_t cap, const char *root, const char *fmt, int a, int b)
{
	char rel[128];

	snprintf(rel, sizeof rel, fmt, a, b);
	snprintf(out, cap, "%s/%s", root, rel);
	cr_assert(mkdir(out, 0755) == 0 || errno == EEXIST);
}

Test(why_tree, d_state_names_wchan_and_syscall)
{
	char root[] = "/tmp/siglab-why-XXXXXX", dir[256], st[2048], sa[512];
	struct proc_process p;
	struct why_sender s = me_as(0, true);
	struct why_report r;
	char line[512];

	cr_assert(mkdtemp(root));
	make_dir(dir, sizeof dir, root, "%d", 4242, 0);
	status_text(st, sizeof st, 4242, "4242", 'D', ZERO, ZERO, ZERO, ZERO);
	stat_text(sa, sizeof sa, 4242, 'D', 0);
	put(dir, "status", st);
	put(dir, "stat", sa);
	put(dir, "wchan", "folio_wait_bit_common");
	put(dir, "syscall", "0 0x3 0x7ffc 0x20000 0x0 0x0 0x0 0x7ffc 0x7f00\n");
	cr_assert_eq(proc_read_process(root, 4242, true, &p), PROC_OK);
	cr_assert_eq(p.nthreads, 1);
	cr_assert_str_eq(p.threads[0].wchan, "folio_wait_bit_common");
	cr_assert_eq(p.threads[0].syscall, 0);
	cr_assert_eq(why_diagnose(&p, SL_SIGKILL, &s, &r), 0);
	cr_assert_eq(r.now.verdict, WHY_TERM);
	cr_assert(notes_have(&r, "uninterruptible sleep (D; wchan folio_wait_bit_common, "
				 "syscall read (0))"));
	cr_assert(notes_have(&r, "SIGKILL too stays pending"));
	why_headline(&r, &r.now, &p, line, sizeof line);
	cr_assert(strstr(line, "leaves its uninterruptible sleep"), "%s", line);
	diagnosis_free(&r, &p);
	rm_tree(root);
}

Test(why_tree, threads_one_blocks_another_takes)
{
	char root[] = "/tmp/siglab-why-XXXXXX", dir[256], tdir[256], st[2048], sa[512];
	struct proc_process p;
	struct why_sender s = me_as(0, true);
	struct why_report r;

	cr_assert(mkdtemp(root));
	make_dir(dir, sizeof dir, root, "%d", 500, 0);
	make_dir(tdir, sizeof tdir, root, "%d/task", 500, 0);
	status_text(st, sizeof st, 500, "500", 'S', ZERO, TERM_BIT, ZERO, TERM_BIT);
	stat_text(sa, sizeof sa, 500, 'S', 0);
	put(dir, "status", st);
	put(dir, "stat", sa);
	make_dir(tdir, sizeof tdir, root, "%d/task/%d", 500, 500);
	put(tdir, "status", st);
	make_dir(tdir, sizeof tdir, root, "%d/task/%d", 500, 501);
	status_text(st, sizeof st, 501, "501", 'S', ZERO, ZERO, ZERO, TERM_BIT);
	put(tdir, "status", st);
	make_dir(tdir, sizeof tdir, root, "%d/task/%d", 500, 502);
	put(tdir, "status", "Name:\tcut sho");	/* a thread caught mid-exit */
	cr_assert_eq(proc_read_process(root, 500, true, &p), PROC_OK);
	cr_assert_eq(p.nthreads, 2);
	cr_assert_eq(why_diagnose(&p, SL_SIGTERM, &s, &r), 0);
	cr_assert_eq(r.now.verdict, WHY_HANDLER);
	cr_assert_eq(r.now.taker, 501, "the main thread blocks it: thread 501 takes it");
	diagnosis_free(&r, &p);
	rm_tree(root);
}

Test(why_tree, vanished_and_broken_processes)
{
	char root[] = "/tmp/siglab-why-XXXXXX", dir[256], st[2048];
	struct proc_process p;
	char *argv_gone[] = { (char[]){"why"}, (char[]){"--proc"}, root, (char[]){"77"}, NULL };
	char *argv_bad[] = { (char[]){"why"}, (char[]){"--proc"}, root, (char[]){"78"}, (char[]){"TERM"}, NULL };
	char *argv_usage[] = { (char[]){"why"}, (char[]){"--proc"}, root, (char[]){"x"}, NULL };
	char *argv_sig[] = { (char[]){"why"}, (char[]){"--proc"}, root, (char[]){"77"}, (char[]){"NOPE"}, NULL };

	cr_assert(mkdtemp(root));
	cr_assert_eq(proc_read_process(root, 77, true, &p), PROC_GONE);
	make_dir(dir, sizeof dir, root, "%d", 77, 0);
	status_text(st, sizeof st, 77, "77", 'S', ZERO, ZERO, ZERO, ZERO);
	put(dir, "status", st);	/* stat is gone: the process exited between reads */
	cr_assert_eq(proc_read_process(root, 77, true, &p), PROC_GONE);
	make_dir(dir, sizeof dir, root, "%d", 78, 0);
	put(dir, "status", "State:\tS\nSigPnd:\t00");	/* truncated */
	put(dir, "stat", "78 (x) S 1 1 1 0 -1 0");
	cr_assert_eq(proc_read_process(root, 78, true, &p), PROC_BAD);
	cr_assert_eq(cmd_why(4, argv_gone), 1);
	cr_assert_eq(cmd_why(5, argv_bad), 1);
	cr_assert_eq(cmd_why(4, argv_usage), 2);
	cr_assert_eq(cmd_why(5, argv_sig), 2);
	if (geteuid() != 0) {
		put(dir, "status", st);
		chmod(dir, 0);
		cr_assert_eq(proc_read_process(root, 78, true, &p), PROC_DENIED);
		chmod(dir, 0755);
	}
	rm_tree(root);
}

/* ---- real processes ------------------------------------------------------------ */

static struct why_sender me(void)
{
	struct why_sender s = { .from = WHY_FROM_AUTO, .orphaned_pgrp = -1 };

	cr_assert_eq(proc_read_self("/proc", &s.self), PROC_OK);
	return s;
}

Test(why_real, kthreadd_drops_sigkill)
{
	struct proc_process p;
	struct why_sender s = me();
	struct why_report r;

	if (proc_read_process("/proc", 2, true, &p) != PROC_OK)
		cr_skip_test("no pid 2 here");
	if (!(p.stat.flags & PROC_PF_KTHREAD)) {
		proc_process_free(&p);
		cr_skip_test("pid 2 is not a kernel thread here (a pid namespace)");
	}
	cr_assert_eq(why_diagnose(&p, SL_SIGKILL, &s, &r), 0);
	cr_assert_eq(r.kind, WHY_KIND_KTHREAD);
	cr_assert_eq(r.now.verdict, WHY_DROPPED);
	cr_assert(strstr(r.now.gen_rule, "kernel threads"));
	diagnosis_free(&r, &p);
}

Test(why_real, pid1_drops_sigkill_from_here)
{
	struct proc_process p;
	struct why_sender s = me();
	struct why_report r;

	cr_assert_eq(proc_read_process("/proc", 1, true, &p), PROC_OK);
	cr_assert_eq(why_diagnose(&p, SL_SIGKILL, &s, &r), 0);
	cr_assert(r.kind == WHY_KIND_GLOBAL_INIT || r.kind == WHY_KIND_NS_INIT);
	cr_assert_eq(r.now.verdict, WHY_DROPPED);
	diagnosis_free(&r, &p);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Waits (at most 5 s) until /proc shows `state` for pid. */
static bool wait_state(pid_t pid, char state)
{
	for (int i = 0; i < 500; i++) {
		struct proc_process p;

		if (proc_read_process("/proc", pid, false, &p) == PROC_OK) {
			char s = p.status.state;

			proc_process_free(&p);
			if (s == state)
				return true;
		}
		sleep_ms(10);
	}
	return false;
}

Test(why_real, own_zombie_child)
{
	struct proc_process p;
	struct why_sender s = me();
	struct why_report r;
	pid_t child = fork();
	bool zombie;

	cr_assert(child >= 0);
	if (child == 0)
		_exit(3);
	zombie = wait_state(child, 'Z');
	if (zombie && proc_read_process("/proc", child, true, &p) == PROC_OK) {
		cr_expect_eq(why_diagnose(&p, SL_SIGKILL, &s, &r), 0);
		cr_expect_eq(r.now.verdict, WHY_ZOMBIE);
		cr_expect(strstr(r.now.gen_rule, "already exiting"));
		cr_expect(notes_have(&r, "zombie"));
		cr_expect_eq(p.parent_pid, getpid());
		diagnosis_free(&r, &p);
	}
	cr_assert_eq(waitpid(child, NULL, 0), child);
	cr_assert(zombie, "the child never showed as a zombie");
}

Test(why_real, own_stopped_child)
{
	struct proc_process p;
	struct why_sender s = me();
	struct why_report r;
	pid_t child = fork();
	bool stopped;

	cr_assert(child >= 0);
	if (child == 0) {
		alarm(20);	/* never outlive a broken test */
		for (;;)
			pause();
	}
	kill(child, SIGSTOP);
	stopped = wait_state(child, 'T');
	if (stopped && proc_read_process("/proc", child, true, &p) == PROC_OK) {
		cr_expect_eq(why_diagnose(&p, SL_SIGTERM, &s, &r), 0);
		cr_expect_eq(r.now.verdict, WHY_WAITS);
		cr_expect(r.has_then);
		cr_expect_eq(r.then.verdict, WHY_TERM);
		why_report_free(&r);
		cr_expect_eq(why_diagnose(&p, SL_SIGCONT, &s, &r), 0);
		cr_expect_eq(r.now.verdict, WHY_CONTINUE);
		why_report_free(&r);
		cr_expect_eq(why_diagnose(&p, SL_SIGKILL, &s, &r), 0);
		cr_expect_eq(r.now.verdict, WHY_TERM);
		why_report_free(&r);
		cr_expect_eq(why_diagnose(&p, SL_SIGTSTP, &s, &r), 0);
		cr_expect_eq(r.now.verdict, WHY_WAITS);
		cr_expect_eq(r.then.verdict, WHY_FLUSHED);
		diagnosis_free(&r, &p);
	}
	kill(child, SIGKILL);
	cr_assert_eq(waitpid(child, NULL, 0), child);
	cr_assert(stopped, "the child never showed as stopped");
}

static void block_usr1_ignore_usr2(void *arg)
{
	sigset_t set;

	(void)arg;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGUSR2, SIG_IGN);
}

Test(why_real, own_process_blocked_and_ignored)
{
	struct proc_process p;
	struct why_sender s = me();
	struct why_report r;
	pid_t child = spawn_waiting_child(block_usr1_ignore_usr2, NULL);

	if (proc_read_process("/proc", child, true, &p) == PROC_OK) {
		cr_expect_eq(why_diagnose(&p, SL_SIGUSR1, &s, &r), 0);
		cr_expect_eq(r.now.verdict, WHY_PENDING);
		why_report_free(&r);
		cr_expect_eq(why_diagnose(&p, SL_SIGUSR2, &s, &r), 0);
		cr_expect_eq(r.now.verdict, WHY_DROPPED);
		why_report_free(&r);
		cr_expect_eq(why_diagnose(&p, SL_SIGALRM, &s, &r), 0);
		cr_expect_eq(r.now.verdict, WHY_TERM);
		diagnosis_free(&r, &p);
	}
	kill(child, SIGKILL);
	cr_assert_eq(waitpid(child, NULL, 0), child);
}

Test(why_real, ps_lists_without_failing)
{
	char *argv[] = { (char[]){"ps"}, (char[]){"1"}, (char[]){"2"}, NULL };
	char *argv_bad[] = { (char[]){"ps"}, (char[]){"nope"}, NULL };
	char *argv_gone[] = { (char[]){"ps"}, (char[]){"--proc"}, (char[]){"/nonexistent-siglab"}, NULL };

	cr_assert_eq(cmd_ps(3, argv), 0);
	cr_assert_eq(cmd_ps(2, argv_bad), 2);
	cr_assert_eq(cmd_ps(3, argv_gone), 1);
}

/* `--` ends the options; `self` names the caller (DIR/self, or getpid()
 * in a canned tree without a self link). */
Test(why_tree, double_dash_and_self, .init = cr_redirect_stdout)
{
	char root[] = "/tmp/siglab-why-XXXXXX", dir[256], st[2048], sa[512];
	int me_pid = (int)getpid();
	char pid_s[16];
	char *argv_dd[] = { (char[]){"why"}, (char[]){"--proc"}, root, (char[]){"--"}, pid_s,
			    (char[]){"TERM"}, NULL };
	char *argv_self[] = { (char[]){"why"}, (char[]){"--proc"}, root, (char[]){"--"},
			      (char[]){"self"}, NULL };
	char *argv_opt_after[] = { (char[]){"why"}, (char[]){"--proc"}, root, (char[]){"--"},
				   (char[]){"--json"}, NULL };
	char *argv_real_self[] = { (char[]){"why"}, (char[]){"self"}, (char[]){"0"}, NULL };

	snprintf(pid_s, sizeof pid_s, "%d", me_pid);
	cr_assert(mkdtemp(root));
	make_dir(dir, sizeof dir, root, "%d", me_pid, 0);
	status_text(st, sizeof st, me_pid, pid_s, 'S', ZERO, ZERO, ZERO, ZERO);
	stat_text(sa, sizeof sa, me_pid, 'S', 0);
	put(dir, "status", st);
	put(dir, "stat", sa);
	cr_assert_eq(cmd_why(6, argv_dd), 0, "why -- PID SIG");
	cr_assert_eq(cmd_why(5, argv_self), 0, "why self, in a tree without a self link");
	cr_assert_eq(cmd_why(5, argv_opt_after), 2, "after --, --json is an operand, not a pid");
	cr_assert_eq(cmd_why(3, argv_real_self), 0, "why self in the real /proc");
	rm_tree(root);
}

/* A standard signal already pending (ShdPnd) and blocked in every thread:
 * merged (legacy_queue), and the report says so, names the threads that
 * block it and what happens when the first one unblocks it. */
Test(why_tree, already_pending_blocked_in_every_thread)
{
	char root[] = "/tmp/siglab-why-XXXXXX", dir[256], tdir[256], st[2048], sa[512];
	struct proc_process p;
	struct why_sender s = me_as(0, true);
	struct why_report r;
	char line[512];

	cr_assert(mkdtemp(root));
	make_dir(dir, sizeof dir, root, "%d", 700, 0);
	make_dir(tdir, sizeof tdir, root, "%d/task", 700, 0);
	/* SIGUSR1 (bit 9) shared-pending, blocked by both threads */
	status_text(st, sizeof st, 700, "700", 'S', ZERO, "0000000000000200", ZERO, ZERO);
	memcpy(strstr(st, "ShdPnd:\t") + 8, "0000000000000200", 16);
	stat_text(sa, sizeof sa, 700, 'S', 0);
	put(dir, "status", st);
	put(dir, "stat", sa);
	make_dir(tdir, sizeof tdir, root, "%d/task/%d", 700, 700);
	put(tdir, "status", st);
	make_dir(tdir, sizeof tdir, root, "%d/task/%d", 700, 701);
	status_text(st, sizeof st, 701, "701", 'S', ZERO, "0000000000000200", ZERO, ZERO);
	memcpy(strstr(st, "ShdPnd:\t") + 8, "0000000000000200", 16);
	put(tdir, "status", st);
	cr_assert_eq(proc_read_process(root, 700, true, &p), PROC_OK);
	cr_assert_eq(p.nthreads, 2);
	cr_assert_eq(why_diagnose(&p, SL_SIGUSR1, &s, &r), 0);
	cr_assert_eq(r.now.verdict, WHY_ALREADY_PENDING);
	why_headline(&r, &r.now, &p, line, sizeof line);
	cr_assert(strstr(line, "blocked in every thread"), "%s", line);
	cr_assert(notes_have(&r, "blocked (SigBlk) in every thread (700, 701)"));
	cr_assert(notes_have(&r, "a real-time signal"));
	cr_assert(r.has_then, "what happens when a thread unblocks it");
	cr_assert_str_eq(r.then_what, "if thread 700 unblocked it");
	cr_assert_eq(r.then.verdict, WHY_TERM, "SIGUSR1's default action");
	diagnosis_free(&r, &p);
	rm_tree(root);
}

/* A one-thread process in `state` at `wchan` in syscall `sc` (a /proc
 * syscall line), with a /proc stack text or NULL, diagnosed for sig. */
static struct why_report sleeper(char state, const char *wchan, const char *sc,
				 const char *stack, int sig, struct proc_process *p)
{
	char root[] = "/tmp/siglab-why-XXXXXX", dir[256], st[2048], sa[512];
	struct why_sender s = me_as(0, true);
	struct why_report r;

	cr_assert(mkdtemp(root));
	make_dir(dir, sizeof dir, root, "%d", 4300, 0);
	status_text(st, sizeof st, 4300, "4300", state, ZERO, ZERO, ZERO, ZERO);
	stat_text(sa, sizeof sa, 4300, state, 0);
	put(dir, "status", st);
	put(dir, "stat", sa);
	put(dir, "wchan", wchan);
	put(dir, "syscall", sc);
	if (stack)
		put(dir, "stack", stack);
	cr_assert_eq(proc_read_process(root, 4300, true, p), PROC_OK);
	cr_assert_eq(why_diagnose(p, sig, &s, &r), 0);
	rm_tree(root);
	return r;
}

static struct why_report d_sleeper(const char *wchan, const char *sc, int sig,
				   struct proc_process *p)
{
	return sleeper('D', wchan, sc, NULL, sig, p);
}

#define VFORK_LINE "58 0x0 0x0 0x0 0x0 0x0 0x0 0x7ffc 0x7f00\n"

/* A vfork parent waits in TASK_KILLABLE (kernel/fork.c
 * wait_for_vfork_done): a default-Term signal becomes a group exit and
 * kills it at once (complete_signal, signal_wake_up with TASK_WAKEKILL);
 * a Core signal is not turned into SIGKILL and waits for the child. */
Test(why_tree, vfork_parent_killable_sleep)
{
	struct proc_process p;
	struct why_report r;
	char line[800];

	r = d_sleeper("kernel_clone", VFORK_LINE, SL_SIGTERM, &p);
	cr_assert_eq(r.now.verdict, WHY_TERM);
	cr_assert_eq(r.now.after_wait, 0, "SIGTERM ends a killable sleep at once");
	why_headline(&r, &r.now, &p, line, sizeof line);
	cr_assert_null(strstr(line, "not before"), "%s", line);
	cr_assert(notes_have(&r, "killable sleep (D, TASK_KILLABLE; wchan kernel_clone, "
				 "syscall vfork (58)): a vfork parent"));
	diagnosis_free(&r, &p);
	r = d_sleeper("kernel_clone", VFORK_LINE, SL_SIGKILL, &p);
	cr_assert_eq(r.now.verdict, WHY_TERM);
	cr_assert_eq(r.now.after_wait, 0);
	diagnosis_free(&r, &p);
	r = d_sleeper("kernel_clone", VFORK_LINE, SL_SIGQUIT, &p);
	cr_assert_eq(r.now.verdict, WHY_CORE);
	cr_assert_eq(r.now.after_wait, 4300, "a Core signal waits for the vfork child");
	why_headline(&r, &r.now, &p, line, sizeof line);
	cr_assert(strstr(line, "not before thread 4300 leaves its killable sleep (D)"), "%s", line);
	diagnosis_free(&r, &p);
}

/* A FUSE request the daemon has read: wait_event, TASK_UNINTERRUPTIBLE
 * (fs/fuse/dev.c request_wait_answer): not even SIGKILL ends it. */
Test(why_tree, fuse_request_uninterruptible)
{
	struct proc_process p;
	struct why_report r;
	char line[800];

	r = d_sleeper("fuse_simple_request", "0 0x3 0x0 0x0 0x0 0x0 0x0 0x7ffc 0x7f00\n",
		      SL_SIGKILL, &p);
	cr_assert_eq(r.now.verdict, WHY_TERM);
	cr_assert_eq(r.now.after_wait, 4300);
	cr_assert_not(r.now.after_killable);
	why_headline(&r, &r.now, &p, line, sizeof line);
	cr_assert(strstr(line, "not before thread 4300 leaves its uninterruptible sleep"), "%s", line);
	cr_assert(notes_have(&r, "a FUSE request the daemon has already read"));
	cr_assert(notes_have(&r, "No signal ends it, SIGKILL included"));
	diagnosis_free(&r, &p);
}

/* A FUSE request still in its interruptible wait (S): the stack names
 * request_wait_answer.  A signal only moves it on to the killable and
 * then the uninterruptible wait (fs/fuse/dev.c), so SIGTERM, and
 * SIGKILL, do not kill it until the daemon answers. */
#define FUSE_STACK "[<0>] request_wait_answer+0x1a0/0x2c0\n[<0>] __fuse_simple_request+0xd4/0x2c0\n" \
		   "[<0>] fuse_lookup_name+0xe6/0x210\n[<0>] do_syscall_64+0x71/0x290\n"

Test(why_tree, fuse_request_in_s_turns_unkillable)
{
	struct proc_process p;
	struct why_report r;
	char line[800];

	r = sleeper('S', "request_wait_answer", "262 0x3 0x0 0x0 0x0 0x0 0x0 0x7ffc 0x7f00\n",
		    FUSE_STACK, SL_SIGTERM, &p);
	cr_assert_str_eq(p.threads[0].stack, "request_wait_answer __fuse_simple_request "
			 "fuse_lookup_name do_syscall_64");
	cr_assert_eq(r.now.verdict, WHY_TERM);
	cr_assert_eq(r.now.after_wait, 4300, "SIGTERM does not end a FUSE wait at once");
	why_headline(&r, &r.now, &p, line, sizeof line);
	cr_assert(strstr(line, "the signal turns its sleep (S) uninterruptible"), "%s", line);
	cr_assert(notes_have(&r, "sleeps interruptibly (S; wchan request_wait_answer, syscall "
				 "newfstatat (262)) in a request to a FUSE file system's daemon"));
	diagnosis_free(&r, &p);
	r = sleeper('S', "request_wait_answer", "0 0x3\n", FUSE_STACK, SL_SIGKILL, &p);
	cr_assert_eq(r.now.after_wait, 4300, "not even SIGKILL");
	diagnosis_free(&r, &p);
	/* An ordinary S wait: SIGTERM kills at once, wchan and syscall named. */
	r = sleeper('S', "do_wait", "61 0x0\n", NULL, SL_SIGTERM, &p);
	cr_assert_eq(r.now.verdict, WHY_TERM);
	cr_assert_eq(r.now.after_wait, 0);
	cr_assert(notes_have(&r, "interruptible sleep (S, TASK_INTERRUPTIBLE; wchan do_wait, "
				 "syscall wait4 (61)), waiting for a child"));
	diagnosis_free(&r, &p);
}

/* The kinds of sleep wchan and the syscall tell. */
Test(why_parse, classify_waits)
{
	const char *rule;

	cr_assert_eq(proc_classify_wait("kernel_clone", 58, &rule), PROC_WAIT_KILLABLE);
	cr_assert_eq(proc_classify_wait("wait_for_vfork_done", 56, &rule), PROC_WAIT_KILLABLE);
	cr_assert_eq(proc_classify_wait("rpc_wait_bit_killable", 0, &rule), PROC_WAIT_KILLABLE);
	cr_assert_eq(proc_classify_wait("request_wait_answer", 0, &rule),
		     PROC_WAIT_UNINTERRUPTIBLE);
	cr_assert_eq(proc_classify_wait("folio_wait_bit_common", 0, &rule), PROC_WAIT_UNKNOWN);
	cr_assert_null(rule);
	cr_assert_eq(proc_classify_wait("kernel_clone", 0, &rule), PROC_WAIT_UNKNOWN,
		     "kernel_clone in read(): not a vfork wait");
	cr_assert_eq(proc_classify_wait("", 58, &rule), PROC_WAIT_UNKNOWN);
}

/* A real vfork parent: D at kernel_clone in vfork(2).  The model says
 * SIGTERM kills it at once, and the real kernel agrees: it dies while its
 * vfork child still sleeps.  The child (a grandchild of the test) is
 * killed and reaped as the test's subreaper. */
Test(why_real, vfork_parent_dies_of_sigterm_at_once)
{
	struct proc_process p = { 0 };
	struct why_sender s = me();
	struct why_report r;
	int ready[2], status = 0;
	pid_t child, grandchild = 0, got = 0;
	bool asleep;

	cr_assert_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	cr_assert_eq(pipe(ready), 0);
	child = fork();
	cr_assert(child >= 0);
	if (child == 0) {
		alarm(20);
		if (vfork() == 0) {
			struct timespec ts = { 5, 0 };
			pid_t me_pid = (pid_t)syscall(SYS_getpid);

			if (syscall(SYS_write, ready[1], &me_pid, sizeof me_pid) != sizeof me_pid)
				_exit(1);
			syscall(SYS_nanosleep, &ts, NULL);
			_exit(0);
		}
		_exit(0);
	}
	close(ready[1]);
	cr_assert_eq(read(ready[0], &grandchild, sizeof grandchild), (ssize_t)sizeof grandchild);
	close(ready[0]);
	asleep = wait_state(child, 'D');
	/* D shows as the task goes to sleep; wchan only once it is off the
	 * CPU (get_wchan of a running task is 0). */
	for (int i = 0; asleep && i < 100; i++) {
		if (proc_read_process("/proc", child, true, &p) != PROC_OK) {
			asleep = false;
			break;
		}
		if (p.threads[0].wchan[0])
			break;
		proc_process_free(&p);
		sleep_ms(10);
	}
	if (asleep && p.threads) {
		cr_expect_eq(why_diagnose(&p, SL_SIGTERM, &s, &r), 0);
		cr_expect_eq(r.now.verdict, WHY_TERM);
		cr_expect_eq(r.now.after_wait, 0, "wchan %s", p.threads[0].wchan);
		cr_expect(notes_have(&r, "killable sleep"));
		diagnosis_free(&r, &p);
	}
	kill(child, SIGTERM);
	for (int i = 0; i < 100 && got == 0; i++) {
		got = waitpid(child, &status, WNOHANG);
		if (got == 0)
			sleep_ms(10);
	}
	kill(grandchild, SIGKILL);
	if (got == 0) {
		kill(child, SIGKILL);
		waitpid(child, &status, 0);
	}
	waitpid(grandchild, NULL, 0);
	cr_assert(asleep, "the vfork parent never showed D");
	cr_assert_eq(got, child, "SIGTERM did not end the killable sleep within 1 s");
	cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
}

/* ---- a traced process ---------------------------------------------------------- */

/* A one-thread sleeper traced by 99 (TracerPid), ignoring `ign`. */
static struct why_report traced_sleeper(const char *ign, int sig, struct proc_process *p)
{
	char st[2048], sa[512];
	struct why_sender s = me_as(0, true);
	struct why_report r;

	status_text(st, sizeof st, 4400, "4400", 'S', ZERO, ZERO, ign, ZERO);
	memcpy(strstr(st, "TracerPid:\t0"), "TracerPid:\t9", 12);	/* traced by 9 */
	stat_text(sa, sizeof sa, 4400, 'S', 0);
	cr_assert_eq(proc_process_from_text(st, sa, p), PROC_OK);
	cr_assert_eq(p->status.tracer_pid, 9);
	cr_assert_eq(why_diagnose(p, sig, &s, &r), 0);
	return r;
}

/* The kernel stops a tracee in a signal-delivery-stop and kills it only
 * when the tracer passes the signal on (complete_signal makes no group
 * exit for a traced process; get_signal -> ptrace_signal); an ignored
 * signal stops it too (sig_ignored); SIGKILL kills at once. */
Test(why_tree, traced_tracer_decides)
{
	struct proc_process p;
	struct why_report r;
	char line[800];

	r = traced_sleeper(ZERO, SL_SIGTERM, &p);
	cr_assert_eq(r.now.verdict, WHY_TRACER);
	cr_assert_eq(r.now.taker, 4400);
	why_headline(&r, &r.now, &p, line, sizeof line);
	cr_assert(strstr(line, "signal-delivery-stop (t) with SIGTERM, and tracer 9 decides"),
		  "%s", line);
	cr_assert(r.has_then);
	cr_assert_str_eq(r.then_what, "if tracer 9 passes it on");
	cr_assert_eq(r.then.verdict, WHY_TERM);
	diagnosis_free(&r, &p);
	r = traced_sleeper("0000000000000002", SL_SIGINT, &p);	/* INT ignored */
	cr_assert_eq(r.now.verdict, WHY_TRACER, "a tracer sees even an ignored signal");
	cr_assert_eq(r.then.verdict, WHY_NOTHING, "passed on, it is dropped at delivery");
	diagnosis_free(&r, &p);
	r = traced_sleeper(ZERO, SL_SIGKILL, &p);
	cr_assert_eq(r.now.verdict, WHY_TERM, "SIGKILL passes no tracer");
	diagnosis_free(&r, &p);
}

/* A real ptrace-attached sleeper (the test is its tracer): the model says
 * SIGTERM stops it for the tracer; the real kernel does that, and the
 * child dies of SIGTERM only once the tracer passes it on. */
Test(why_real, traced_sleeper_stops_for_its_tracer)
{
	struct proc_process p;
	struct why_sender s = me();
	struct why_report r;
	int status = 0;
	pid_t child = fork();
	bool seized;

	cr_assert(child >= 0);
	if (child == 0) {
		alarm(20);
		for (;;)
			pause();
	}
	seized = ptrace(PTRACE_SEIZE, child, 0, PTRACE_O_EXITKILL) == 0;
	if (seized && proc_read_process("/proc", child, true, &p) == PROC_OK) {
		cr_expect_eq(p.status.tracer_pid, getpid());
		cr_expect_eq(why_diagnose(&p, SL_SIGTERM, &s, &r), 0);
		cr_expect_eq(r.now.verdict, WHY_TRACER);
		cr_expect_eq(r.then.verdict, WHY_TERM);
		diagnosis_free(&r, &p);
	}
	kill(child, SIGTERM);
	cr_expect_eq(waitpid(child, &status, 0), child);
	cr_expect(WIFSTOPPED(status) && WSTOPSIG(status) == SIGTERM,
		  "the real kernel stops the tracee (status 0x%x)", status);
	if (seized && WIFSTOPPED(status))
		ptrace(PTRACE_CONT, child, 0, SIGTERM);
	else
		kill(child, SIGKILL);
	cr_assert_eq(waitpid(child, &status, 0), child);
	cr_assert(seized, "PTRACE_SEIZE failed");
	cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
}
