/* Background writes and terminal changes (drivers/tty/tty_jobctrl.c
 * __tty_check_change): with TOSTOP set, a background job that writes to
 * its terminal gets SIGTTOU and stops; one that blocks SIGTTOU writes
 * through; a background tcsetpgrp gets SIGTTOU too, which a handler
 * without SA_RESTART turns into EINTR and a blocked SIGTTOU lets through.
 * The master side reads what came through. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "pty.h"

static int tty;

static void on_ttou(int sig, siginfo_t *si, void *uc)
{
	char line[64];
	int n;

	(void)uc;
	n = snprintf(line, sizeof line, "job: handler: signal %d code %d\n", sig, si->si_code);
	(void)!write(1, line, (size_t)n);
}

static void say(const char *what, long r)
{
	printf("job: %s = %ld%s%s\n", what, r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
}

/* 0: write with the default SIGTTOU; 1: write with it blocked;
 * 2: tcsetpgrp with a handler; 3: tcsetpgrp with it blocked. */
static void job(int how)
{
	struct sigaction sa;
	sigset_t ttou;

	sigemptyset(&ttou);
	sigaddset(&ttou, SIGTTOU);
	if (how == 1 || how == 3)
		sigprocmask(SIG_BLOCK, &ttou, NULL);
	if (how == 2) {
		memset(&sa, 0, sizeof sa);
		sa.sa_sigaction = on_ttou;
		sa.sa_flags = SA_SIGINFO;
		sigaction(SIGTTOU, &sa, NULL);
	}
	if (how < 2)
		say("write", write(tty, "x", 1));
	else
		say("tcsetpgrp", tcsetpgrp(tty, getpgrp()));
	_exit(0);
}

static pid_t start_job(int how)
{
	pid_t kid = fork();

	if (kid == 0) {
		setpgid(0, 0);
		job(how);
	}
	setpgid(kid, kid);
	return kid;
}

static int shell(const char *slave, int master)
{
	struct termios tio;
	int status;
	char buf[16];
	pid_t kid;

	tty = take_terminal(slave);
	if (tty < 0)
		return 2;
	tcgetattr(tty, &tio);
	tio.c_lflag |= TOSTOP;
	tio.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(tty, TCSANOW, &tio);

	kid = start_job(0);
	waitpid(kid, &status, WUNTRACED);
	report("job 0", status);
	kill(kid, SIGKILL);
	waitpid(kid, &status, 0);
	report("job 0", status);
	for (int how = 1; how < 4; how++) {
		char name[8];

		snprintf(name, sizeof name, "job %d", how);
		kid = start_job(how);
		waitpid(kid, &status, WUNTRACED);
		report(name, status);
	}
	printf("shell: the master reads %zd byte(s)\n", read(master, buf, sizeof buf));
	printf("shell: foreground is mine: %d\n", tcgetpgrp(tty) == getpgrp());
	return 0;
}

int main(void)
{
	return run_shell(shell);
}
