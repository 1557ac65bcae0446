/* The hang-up of a pseudo-terminal: closing its master sends SIGHUP and
 * SIGCONT to the session leader whose controlling terminal it was, from
 * the kernel (drivers/tty/tty_jobctrl.c tty_signal_session_leader), and
 * remembers the foreground group; when that leader exits, the group gets
 * SIGHUP and SIGCONT in turn (disassociate_ctty).  A read of the hung-up
 * terminal then returns 0. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pty.h"

/* job -> shell, and both -> main */
static int to_shell[2], to_main[2], tty;
static const char *who = "shell";
static volatile sig_atomic_t got;

static void on_sig(int sig, siginfo_t *si, void *uc)
{
	char line[96];
	int n;

	(void)uc;
	n = snprintf(line, sizeof line, "%s: signal %d code %d pid %d\n", who, sig,
		     si->si_code, (int)si->si_pid);
	(void)!write(1, line, (size_t)n);
	got |= sig == SIGHUP ? 1 : 2;
}

static void catch_both(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_sig;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGCONT, &sa, NULL);
}

/* Sleeps until both SIGHUP and SIGCONT came. */
static void wait_both(void)
{
	sigset_t all, none;

	sigfillset(&all);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &all, NULL);
	while (got != 3)
		sigsuspend(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

static void job(void)
{
	char c;

	who = "job";
	catch_both();
	(void)!write(to_shell[1], "r", 1);
	wait_both();
	printf("job: read of the hung-up terminal = %zd\n", read(tty, &c, 1));
	(void)!write(to_main[1], "d", 1);
	_exit(0);
}

static int shell(const char *slave)
{
	char c;
	pid_t kid;

	tty = take_terminal(slave);
	if (tty < 0)
		return 2;
	catch_both();
	kid = fork();
	if (kid == 0) {
		setpgid(0, 0);
		job();
	}
	setpgid(kid, kid);
	if (tcsetpgrp(tty, kid))
		return 3;
	(void)!read(to_shell[0], &c, 1);
	(void)!write(to_main[1], "R", 1);
	wait_both();
	printf("shell: read of the hung-up terminal = %zd\n", read(tty, &c, 1));
	return 0;	/* the job's group gets SIGHUP and SIGCONT now */
}

int main(void)
{
	int master, status;
	char c = 0, slave[64];
	pid_t sh;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (pipe(to_shell) || pipe(to_main))
		return 2;
	master = open_master();
	if (master < 0)
		return 2;
	strcpy(slave, ptsname(master));
	sh = fork();
	if (sh == 0) {
		close(master);
		_exit(shell(slave));
	}
	while (c != 'R')
		(void)!read(to_main[0], &c, 1);
	printf("closing the master\n");
	close(master);
	waitpid(sh, &status, 0);
	while (c != 'd')
		(void)!read(to_main[0], &c, 1);
	printf("shell exited %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return 0;
}
