/* The terminal's ISIG characters typed on a pty's master reach the
 * foreground process group (drivers/tty/n_tty.c isig): Ctrl-C is SIGINT
 * to a handler (si_code SI_KERNEL, no sender) that interrupts a read
 * (EINTR without SA_RESTART), Ctrl-\ is SIGQUIT to a SA_RESTART handler
 * whose read goes on, Ctrl-Z is SIGTSTP that stops the job until its
 * shell continues it.  The shell itself, in the background, is not
 * touched. */
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

static int sync_fd[2];

static void on_sig(int sig, siginfo_t *si, void *uc)
{
	char line[96];
	int n;

	(void)uc;
	n = snprintf(line, sizeof line, "job: handler: signal %d code %d pid %d\n", sig,
		     si->si_code, (int)si->si_pid);
	(void)!write(1, line, (size_t)n);
}

static void ready(void)
{
	(void)!write(sync_fd[1], "r", 1);
}

static void wait_ready(void)
{
	char c;

	(void)!read(sync_fd[0], &c, 1);
}

static void job_read(int tty)
{
	char buf[64];
	ssize_t n;

	ready();
	n = read(tty, buf, sizeof buf - 1);
	if (n < 0) {
		printf("job: read = -1 (%s)\n", strerror(errno));
		return;
	}
	buf[n] = 0;
	printf("job: read %zd bytes: %s", n, buf);
}

static void job(int tty)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_sig;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGINT, &sa, NULL);
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigaction(SIGQUIT, &sa, NULL);
	/* the shell makes the job the foreground (tcsetpgrp) while the job
	 * starts: a read before that would be a background read (SIGTTIN) */
	while (tcgetpgrp(tty) != getpgrp())
		usleep(1000);
	job_read(tty);		/* ^C */
	job_read(tty);		/* ^\, then a line */
	job_read(tty);		/* ^Z, continued, then a line */
	_exit(0);
}

static void type(int master, const char *s)
{
	(void)!write(master, s, strlen(s));
}

static int shell(const char *slave, int master)
{
	int tty, status;
	pid_t kid;

	tty = take_terminal(slave);
	if (tty < 0)
		return 2;
	kid = fork();
	if (kid == 0) {
		setpgid(0, 0);
		job(tty);
	}
	setpgid(kid, kid);
	if (tcsetpgrp(tty, kid))
		return 3;
	wait_ready();
	wait_state(kid, "S");
	type(master, "\003");
	wait_ready();
	wait_state(kid, "S");
	type(master, "\034");
	usleep(100000);
	type(master, "line one\n");
	wait_ready();
	wait_state(kid, "S");
	type(master, "\032");
	waitpid(kid, &status, WUNTRACED);
	report("job", status);
	kill(-kid, SIGCONT);
	waitpid(kid, &status, WCONTINUED);
	report("job", status);
	type(master, "line two\n");
	waitpid(kid, &status, 0);
	report("job", status);
	printf("shell: still here\n");
	return 0;
}

int main(void)
{
	if (pipe(sync_fd))
		return 2;
	return run_shell(shell);
}
