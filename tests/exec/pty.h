/* What the terminal tests (tests/exec/tty_*.c) share: a pty whose slave
 * a small shell, forked for it, takes as its controlling terminal; the
 * report of a wait status; a wait until a job sleeps.  Included by each
 * test, which scripts/exectests.sh compiles alone. */
#ifndef SIGLAB_TESTS_EXEC_PTY_H
#define SIGLAB_TESTS_EXEC_PTY_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

static inline void report(const char *who, int status)
{
	if (WIFSTOPPED(status))
		printf("%s stopped by signal %d\n", who, WSTOPSIG(status));
	else if (WIFSIGNALED(status))
		printf("%s killed by signal %d\n", who, WTERMSIG(status));
	else if (WIFCONTINUED(status))
		printf("%s continued\n", who);
	else
		printf("%s exited %d\n", who, WEXITSTATUS(status));
}

/* Waits (2 s at most) until /proc shows pid in one of `states` (S:
 * asleep; t: also a task siglab exec holds at a stop of its own). */
static inline void wait_state(pid_t pid, const char *states)
{
	char path[64], buf[256], *p;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	for (int i = 0; i < 2000; i++) {
		int fd = open(path, O_RDONLY);
		ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);

		if (fd >= 0)
			close(fd);
		if (n > 0) {
			buf[n] = 0;
			p = strrchr(buf, ')');
			if (p && p[1] && p[2] && strchr(states, p[2]))
				return;
		}
		usleep(1000);
	}
}

/* The caller leads a new session with the slave as its controlling
 * terminal: the slave's descriptor, or -1. */
static inline int take_terminal(const char *slave)
{
	int tty;

	setsid();
	tty = open(slave, O_RDWR | O_NOCTTY);
	if (tty < 0 || ioctl(tty, TIOCSCTTY, 0) < 0)
		return -1;
	return tty;
}

/* A new pty's master, or -1. */
static inline int open_master(void)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY);

	if (master < 0 || grantpt(master) || unlockpt(master) || !ptsname(master))
		return -1;
	return master;
}

/* Runs shell(slave, master) in a child with unbuffered output and
 * reports how it ended: the whole of a test's main. */
static inline int run_shell(int (*shell)(const char *slave, int master))
{
	int master, status;
	pid_t sh;

	setvbuf(stdout, NULL, _IONBF, 0);
	master = open_master();
	if (master < 0)
		return 2;
	sh = fork();
	if (sh == 0)
		_exit(shell(ptsname(master), master));
	waitpid(sh, &status, 0);
	report("shell", status);
	return 0;
}

#endif
