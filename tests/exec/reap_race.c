/* A child that exits while its parent waits for it, with a SIGCHLD
 * handler (no SA_RESTART), twenty times by fork and twenty by clone3:
 * waitpid returns the child's pid and status every time.  Under exec the
 * tracer may see the child's real exit, and forget it, before the
 * parent's wait is answered; the pid reported must still be the child's
 * (pidmap.c remember_gone; it was 0 in some runs).  And the SIGCHLD of
 * one child is handled before the next fork: a wait that the host had to
 * restart took the model's pending signal back to user mode undelivered
 * (an interrupt answered by the host's own SIGCHLD stop, tracer.c
 * on_stop), and the next wait failed with EINTR about one run in ten. */
#define _GNU_SOURCE
#include <linux/sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t chld;

static void on_chld(int sig)
{
	(void)sig;
	chld++;
}

int main(void)
{
	struct sigaction sa;
	struct clone_args ca;
	int bad = 0;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_chld;
	sigaction(SIGCHLD, &sa, NULL);
	for (int i = 0; i < 40; i++) {
		pid_t p, r;
		int st = 0;

		memset(&ca, 0, sizeof ca);
		ca.exit_signal = SIGCHLD;
		p = i % 2 ? fork() : (pid_t)syscall(SYS_clone3, &ca, sizeof ca);
		if (p == 0)
			_exit(i);
		r = waitpid(p, &st, 0);
		if (r != p || !WIFEXITED(st) || WEXITSTATUS(st) != i)
			bad++;
	}
	printf("40 children reaped by waitpid: %d wrong, SIGCHLD handled %s\n", bad,
	       chld > 0 ? "yes" : "no");
	return bad != 0;
}
