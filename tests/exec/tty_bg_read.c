/* A background process group that reads from its terminal gets SIGTTIN
 * and stops (drivers/tty/tty_jobctrl.c __tty_check_change, n_tty_read's
 * job_control); its shell sees the stop, gives it the terminal
 * (tcsetpgrp) and continues it, and the read restarts and gets the line.
 * The shell ignores SIGTTOU to take the terminal back from the
 * background; a reader that ignores SIGTTIN gets EIO instead. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pty.h"

/* A background job: reads a line from the terminal. */
static void job(int tty, bool ignore_ttin)
{
	char buf[64];
	ssize_t n;

	if (ignore_ttin)
		signal(SIGTTIN, SIG_IGN);
	n = read(tty, buf, sizeof buf - 1);
	if (n < 0) {
		printf("job: read = -1 (%s)\n", strerror(errno));
		_exit(1);
	}
	buf[n] = 0;
	printf("job: read %zd bytes: %s", n, buf);
	_exit(0);
}

static pid_t start_job(int tty, bool ignore_ttin)
{
	pid_t kid = fork();

	if (kid == 0) {
		setpgid(0, 0);
		job(tty, ignore_ttin);
	}
	setpgid(kid, kid);
	return kid;
}

/* The session leader with the terminal: a small shell. */
static int shell(const char *slave, int master)
{
	int tty, status;
	pid_t kid;

	tty = take_terminal(slave);
	if (tty < 0)
		return 2;
	printf("shell: foreground is mine: %d\n", tcgetpgrp(tty) == getpgrp());
	signal(SIGTTOU, SIG_IGN);

	kid = start_job(tty, false);
	waitpid(kid, &status, WUNTRACED);
	report("job", status);
	printf("shell: tcsetpgrp to the job = %d\n", tcsetpgrp(tty, kid));
	kill(-kid, SIGCONT);
	waitpid(kid, &status, WCONTINUED);
	report("job", status);
	if (write(master, "hello\n", 6) != 6)
		return 2;
	waitpid(kid, &status, 0);
	report("job", status);
	/* back to the shell from the background: SIGTTOU is ignored */
	printf("shell: tcsetpgrp back = %d\n", tcsetpgrp(tty, getpgrp()));
	printf("shell: foreground is mine: %d\n", tcgetpgrp(tty) == getpgrp());

	kid = start_job(tty, true);
	waitpid(kid, &status, WUNTRACED);
	report("job ignoring SIGTTIN", status);
	return 0;
}

int main(void)
{
	return run_shell(shell);
}
