/* A new window size set on a pty (TIOCSWINSZ on its master) sends
 * SIGWINCH to the terminal's foreground process group, from the kernel
 * (SI_KERNEL); setting the same size again sends nothing
 * (drivers/tty/tty_io.c tty_do_resize).  The job takes it once asleep in
 * pause and once in a read of the terminal (SA_RESTART: the read goes on
 * and gets the line typed after). */
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

static int sync_fd[2], tty;

static void on_winch(int sig, siginfo_t *si, void *uc)
{
	struct winsize ws;
	char line[96];
	int n;

	(void)uc;
	ioctl(tty, TIOCGWINSZ, &ws);
	n = snprintf(line, sizeof line, "job: signal %d code %d pid %d: %ux%u\n", sig,
		     si->si_code, (int)si->si_pid, ws.ws_row, ws.ws_col);
	(void)!write(1, line, (size_t)n);
	(void)!write(sync_fd[1], "h", 1);
}

static void job(void)
{
	struct sigaction sa;
	char buf[64];
	ssize_t n;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_winch;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigaction(SIGWINCH, &sa, NULL);
	(void)!write(sync_fd[1], "r", 1);
	pause();
	printf("job: pause returned\n");
	(void)!write(sync_fd[1], "r", 1);
	n = read(tty, buf, sizeof buf - 1);
	if (n < 0) {
		printf("job: read = -1 (%s)\n", strerror(errno));
		_exit(1);
	}
	buf[n] = 0;
	printf("job: read %zd bytes: %s", n, buf);
	_exit(0);
}

static void resize(int master, unsigned short rows, unsigned short cols)
{
	struct winsize ws = { .ws_row = rows, .ws_col = cols };

	printf("shell: TIOCSWINSZ %ux%u\n", rows, cols);
	if (ioctl(master, TIOCSWINSZ, &ws))
		printf("shell: TIOCSWINSZ: %s\n", strerror(errno));
}

static void wait_sync(int n)
{
	char c;

	while (n-- > 0)
		(void)!read(sync_fd[0], &c, 1);
}

static int shell(const char *slave, int master)
{
	int status;
	pid_t kid;

	tty = take_terminal(slave);
	if (tty < 0)
		return 2;
	kid = fork();
	if (kid == 0) {
		setpgid(0, 0);
		job();
	}
	setpgid(kid, kid);
	if (tcsetpgrp(tty, kid))
		return 3;
	wait_sync(1);
	wait_state(kid, "St");
	resize(master, 24, 80);
	wait_sync(2);			/* the handler, then the job's read */
	wait_state(kid, "St");
	resize(master, 24, 80);		/* the same size: no signal */
	resize(master, 50, 132);
	wait_sync(1);
	(void)!write(master, "done\n", 5);
	waitpid(kid, &status, 0);
	printf("job exited %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return 0;
}

int main(void)
{
	if (pipe(sync_fd))
		return 2;
	return run_shell(shell);
}
