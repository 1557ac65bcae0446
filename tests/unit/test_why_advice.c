/*
 * `siglab why` on the questions operators ask, each built with real
 * processes and checked against what the real kernel then does: a shell
 * waiting for its foreground child (with and without a trap), a pid
 * namespace's init that drops SIGTERM and never reaps, an ignored
 * disposition inherited across exec or set after the fork, and a handler
 * deadlocked on a lock.  Every test runs in its own process (criterion),
 * is the subreaper of what it starts, bounds its waits and reaps every
 * child; each child has an alarm so that none outlives a broken test.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "helpers.h"
#include "why/why.h"

static void nap(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static struct why_sender me(void)
{
	struct why_sender s = { .from = WHY_FROM_AUTO, .orphaned_pgrp = -1 };

	cr_assert_eq(proc_read_self("/proc", &s.self), PROC_OK);
	return s;
}

static bool has_note(const struct why_report *r, const char *what)
{
	for (size_t i = 0; i < r->nnotes; i++)
		if (strstr(r->notes[i], what))
			return true;
	return false;
}

static void dump_notes(const struct why_report *r)
{
	for (size_t i = 0; i < r->nnotes; i++)
		fprintf(stderr, "note: %s\n", r->notes[i]);
}

/* Waits (at most 5 s) until pid has a child and its leader sleeps at a
 * wait channel containing `wchan`; reads it into *p. */
static bool wait_until(pid_t pid, const char *wchan, bool need_child, struct proc_process *p)
{
	for (int i = 0; i < 500; i++) {
		if (proc_read_process("/proc", pid, true, p) == PROC_OK) {
			if (strstr(p->threads[0].wchan, wchan) && (!need_child || p->nchildren))
				return true;
			proc_process_free(p);
		}
		nap(10);
	}
	return false;
}

/* Reaps every child left (as subreaper: orphaned grandchildren too),
 * killing the ones still alive; bounded. */
static void reap_all(void)
{
	for (int i = 0; i < 500; i++) {
		pid_t w = waitpid(-1, NULL, WNOHANG);

		if (w < 0 && errno == ECHILD)
			return;
		if (w <= 0)
			nap(10);
	}
	cr_assert_fail("children left unreaped");
}

static void subreaper(void)
{
	cr_assert_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
}

/* A process group of its own running `argv`; the caller kills the group. */
static pid_t spawn_group(const char *const argv[])
{
	pid_t c = fork();

	cr_assert(c >= 0);
	if (c == 0) {
		setpgid(0, 0);
		alarm(20);
		execv(argv[0], (char *const *)(uintptr_t)argv);
		_exit(127);
	}
	setpgid(c, c);
	return c;
}

/* sh -c 'sleep 30; true': the shell waits for sleep in wait4.  why says
 * SIGTERM kills the shell (exit status 143) without reaching the child,
 * lists the child and suggests exec; the kernel agrees: the shell dies of
 * SIGTERM and sleep lives on. */
Test(why_advice, shell_without_trap_does_not_forward)
{
	const char *argv[] = { "/bin/sh", "-c", "sleep 30; true", NULL };
	struct why_sender s = me();
	struct proc_process p;
	struct why_report r;
	char line[800];
	pid_t sh, kid;
	int st;

	subreaper();
	sh = spawn_group(argv);
	cr_assert(wait_until(sh, "do_wait", true, &p), "the shell never waited for its child");
	kid = p.children[0].pid;
	cr_assert_eq(why_diagnose(&p, SL_SIGTERM, &s, &r), 0);
	cr_assert_eq(r.now.verdict, WHY_TERM);
	why_headline(&r, &r.now, &p, line, sizeof line);
	cr_assert(strstr(line, "killed by signal 15 (exit status 143 in a shell)"), "%s", line);
	/* the child shows R for a moment after its exec, S once it sleeps */
	snprintf(line, sizeof line, "waits for its foreground child: %d (sleep, ", kid);
	if (!has_note(&r, line) || !has_note(&r, "`exec cmd`") ||
	    !has_note(&r, "the signal is not forwarded"))
		{ dump_notes(&r); cr_assert_fail("no shell note with %s", line); }
	cr_assert(has_note(&r, "wchan do_wait, syscall wait4"));
	why_report_free(&r);
	proc_process_free(&p);
	/* The kernel: the shell dies of SIGTERM, the child does not. */
	cr_assert_eq(kill(sh, SIGTERM), 0);
	cr_assert_eq(waitpid(sh, &st, 0), sh);
	cr_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	nap(50);
	cr_assert_eq(kill(kid, 0), 0, "the child got the shell's SIGTERM");
	kill(-sh, SIGKILL);
	reap_all();
}

/* bash with a TERM trap waiting for its foreground child: why says the
 * trap runs only after the child exits; the kernel agrees: SIGTERM leaves
 * bash waiting, and the trap (exit 3) runs when the child is gone. */
Test(why_advice, shell_trap_waits_for_the_foreground_child)
{
	const char *argv[] = { "/bin/bash", "-c", "trap 'exit 3' TERM; sleep 30; true", NULL };
	struct why_sender s = me();
	struct proc_process p;
	struct why_report r;
	pid_t sh, kid;
	int st;

	if (access(argv[0], X_OK) != 0)
		cr_skip_test("no /bin/bash");
	subreaper();
	sh = spawn_group(argv);
	cr_assert(wait_until(sh, "do_wait", true, &p), "bash never waited for its child");
	kid = p.children[0].pid;
	cr_assert_eq(why_diagnose(&p, SL_SIGTERM, &s, &r), 0);
	cr_assert_eq(r.now.verdict, WHY_HANDLER);
	if (!has_note(&r, "the trap runs after the foreground child exits") ||
	    !has_note(&r, "wait $pid"))
		{ dump_notes(&r); cr_assert_fail("no trap note"); }
	why_report_free(&r);
	proc_process_free(&p);
	cr_assert_eq(kill(sh, SIGTERM), 0);
	nap(300);
	cr_assert_eq(waitpid(sh, &st, WNOHANG), 0, "bash ran its trap before the child exited");
	cr_assert_eq(kill(kid, SIGKILL), 0);
	cr_assert_eq(waitpid(sh, &st, 0), sh);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 3, "status %#x", st);
	reap_all();
}

/* ---- a pid namespace's init ---------------------------------------------- */

/* The namespace's init: a child that exits at once and is never reaped,
 * then pause. */
static void ns_init_main(int ready)
{
	pid_t z = fork();

	if (z == 0)
		_exit(0);
	if (write(ready, "x", 1) != 1)
		_exit(1);
	for (;;)
		pause();
}

/* Forks a process that unshares a pid namespace and forks its init;
 * returns the middle process, the init's pid (here) in *init.  The
 * middle process waits for the init and exits with 128 + the signal that
 * killed it, as a container runtime reports it. */
static pid_t spawn_ns_init(pid_t *init)
{
	int ready[2], pidp[2];
	pid_t mid;
	char c;

	cr_assert_eq(pipe(ready), 0);
	cr_assert_eq(pipe(pidp), 0);
	mid = fork();
	cr_assert(mid >= 0);
	if (mid == 0) {
		pid_t g;
		int st;

		alarm(20);
		if (unshare(CLONE_NEWPID) != 0)
			_exit(99);
		g = fork();
		if (g == 0) {
			alarm(20);
			ns_init_main(ready[1]);
		}
		if (g < 0 || write(pidp[1], &g, sizeof g) != sizeof g)
			_exit(98);
		if (waitpid(g, &st, 0) != g)
			_exit(97);
		_exit(WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st));
	}
	close(ready[1]);
	close(pidp[1]);
	if (read(pidp[0], init, sizeof *init) != sizeof *init) {
		int st;

		waitpid(mid, &st, 0);
		cr_skip_test("no pid namespace here (unshare: status %d)", WEXITSTATUS(st));
	}
	cr_assert_eq(read(ready[0], &c, 1), 1);
	close(ready[0]);
	close(pidp[0]);
	return mid;
}

/* why: the namespace init drops SIGTERM (no handler), the grace period
 * ends in SIGKILL and exit status 137; its zombie child: "this init never
 * reaps".  The kernel: SIGTERM leaves it running, SIGKILL from here kills
 * it, and the runtime-like parent reports 137. */
Test(why_advice, namespace_init_drops_sigterm_and_never_reaps)
{
	struct why_sender s = me();
	struct proc_process p, z;
	struct why_report r;
	pid_t mid, init;
	int st;

	subreaper();
	mid = spawn_ns_init(&init);
	cr_assert(wait_until(init, "", true, &p), "the init has no child");
	cr_assert_eq(why_diagnose(&p, SL_SIGTERM, &s, &r), 0);
	cr_assert_eq(r.kind, WHY_KIND_NS_INIT);
	cr_assert_eq(r.now.verdict, WHY_DROPPED);
	if (!has_note(&r, "exit status is 137 (128+9)") || !has_note(&r, "tini"))
		{ dump_notes(&r); cr_assert_fail("no container note"); }
	why_report_free(&r);
	for (int i = 0; i < 500 && (proc_read_process("/proc", p.children[0].pid, true, &z) !=
				    PROC_OK || z.status.state != 'Z'); i++)
		proc_process_free(&z), nap(10);
	cr_assert_eq(z.status.state, 'Z');
	cr_assert_eq(why_diagnose(&z, SL_SIGKILL, &s, &r), 0);
	cr_assert_eq(r.now.verdict, WHY_ZOMBIE);
	if (!has_note(&r, "this init never reaps") || has_note(&r, "fix or end the parent"))
		{ dump_notes(&r); cr_assert_fail("no never-reaps note"); }
	why_report_free(&r);
	proc_process_free(&z);
	proc_process_free(&p);
	/* The kernel: SIGTERM is dropped, SIGKILL from the parent namespace
	 * kills it, and 137 is what a runtime reports. */
	cr_assert_eq(kill(init, SIGTERM), 0);
	nap(200);
	cr_assert_eq(kill(init, 0), 0);
	cr_assert(wait_until(init, "", false, &p));
	cr_assert_eq(p.status.state, 'S', "the init acted on SIGTERM");
	proc_process_free(&p);
	cr_assert_eq(kill(init, SIGKILL), 0);
	cr_assert_eq(waitpid(mid, &st, 0), mid);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 137, "status %#x", st);
	reap_all();
}

/* ---- where SIG_IGN came from ------------------------------------------------ */

/* The test ignores SIGPIPE and runs sleep: SIG_IGN survives execve.  why
 * says it was inherited (the parent ignores it too); the kernel agrees
 * that SIGPIPE does nothing to it. */
Test(why_advice, ignored_sigpipe_inherited_across_exec)
{
	const char *argv[] = { "/bin/sleep", "30", NULL };
	struct why_sender s = me();
	struct proc_process p;
	struct why_report r;
	pid_t c;

	subreaper();
	signal(SIGPIPE, SIG_IGN);
	c = spawn_group(argv);
	cr_assert(wait_until(c, "nanosleep", false, &p));
	cr_assert_eq(why_diagnose(&p, SL_SIGPIPE, &s, &r), 0);
	cr_assert_eq(r.now.verdict, WHY_DROPPED);
	if (!has_note(&r, "most likely inherited: its parent") ||
	    !has_note(&r, "restore_signals=True"))
		{ dump_notes(&r); cr_assert_fail("no inherited note"); }
	why_report_free(&r);
	proc_process_free(&p);
	cr_assert_eq(kill(c, SIGPIPE), 0);
	nap(100);
	cr_assert_eq(waitpid(c, NULL, WNOHANG), 0, "SIGPIPE killed it");
	kill(c, SIGKILL);
	reap_all();
}

static void ignore_int(void *arg)
{
	(void)arg;
	signal(SIGINT, SIG_IGN);
}

/* A child that ignores SIGINT itself, its parent not: "set after the
 * fork", with the background-job advice (set -m). */
Test(why_advice, ignored_sigint_set_after_fork)
{
	struct why_sender s = me();
	struct proc_process p;
	struct why_report r;
	pid_t c;

	signal(SIGINT, SIG_DFL);
	c = spawn_waiting_child(ignore_int, NULL);
	cr_assert_eq(proc_read_process("/proc", c, true, &p), PROC_OK);
	cr_assert_eq(why_diagnose(&p, SL_SIGINT, &s, &r), 0);
	cr_assert_eq(r.now.verdict, WHY_DROPPED);
	if (!has_note(&r, "was set after the fork") || !has_note(&r, "`set -m`"))
		{ dump_notes(&r); cr_assert_fail("no set-after-fork note"); }
	why_report_free(&r);
	proc_process_free(&p);
	cr_assert_eq(kill(c, SIGINT), 0);
	nap(100);
	cr_assert_eq(waitpid(c, NULL, WNOHANG), 0, "SIGINT killed it");
	kill(c, SIGKILL);
	cr_assert_eq(waitpid(c, NULL, 0), c);
}

/* ---- a handler deadlocked on a lock ------------------------------------------ */

static pthread_mutex_t held = PTHREAD_MUTEX_INITIALIZER;
static int ready_fd = -1;

static void locking_handler(int sig)
{
	(void)sig;
	if (write(ready_fd, "x", 1) != 1)
		_exit(1);
	pthread_mutex_lock(&held);	/* held by the code it interrupted */
}

/* The handler of SIGUSR1 takes a lock the interrupted code holds: the
 * thread sleeps in a futex wait for good, SIGUSR1 blocked (the handler
 * mask).  A second SIGUSR1 stays pending; why says the thread is most
 * likely stuck in its handler, and SIGKILL still kills it. */
Test(why_advice, handler_deadlocked_on_a_futex)
{
	struct why_sender s = me();
	struct proc_process p;
	struct why_report r;
	int ready[2], st;
	pid_t c;
	char x;

	cr_assert_eq(pipe(ready), 0);
	c = fork();
	cr_assert(c >= 0);
	if (c == 0) {
		alarm(20);
		ready_fd = ready[1];
		signal(SIGUSR1, locking_handler);
		pthread_mutex_lock(&held);
		raise(SIGUSR1);
		_exit(0);
	}
	close(ready[1]);
	cr_assert_eq(read(ready[0], &x, 1), 1);
	close(ready[0]);
	cr_assert(wait_until(c, "futex", false, &p), "no futex wait");
	proc_process_free(&p);
	cr_assert_eq(kill(c, SIGUSR1), 0);
	nap(50);
	cr_assert_eq(proc_read_process("/proc", c, true, &p), PROC_OK);
	cr_assert(p.status.sigpnd | p.status.shdpnd, "the second SIGUSR1 is not pending");
	cr_assert_eq(why_diagnose(&p, SL_SIGUSR1, &s, &r), 0);
	cr_assert_eq(r.now.verdict, WHY_ALREADY_PENDING);
	if (!has_note(&r, "probably inside that handler") ||
	    !has_note(&r, "wchan futex") || !has_note(&r, "a futex wait"))
		{ dump_notes(&r); cr_assert_fail("no stuck-handler note"); }
	why_report_free(&r);
	proc_process_free(&p);
	cr_assert_eq(kill(c, SIGKILL), 0);
	cr_assert_eq(waitpid(c, &st, 0), c);
	cr_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
}
