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

/* Waits until the job sleeps (S, or t: a task siglab exec holds). */
static void wait_asleep(pid_t pid)
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
			if (p && (p[2] == 'S' || p[2] == 't'))
				return;
		}
		usleep(1000);
	}
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

	setsid();
	tty = open(slave, O_RDWR | O_NOCTTY);
	if (tty < 0 || ioctl(tty, TIOCSCTTY, 0) < 0)
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
	wait_asleep(kid);
	resize(master, 24, 80);
	wait_sync(2);			/* the handler, then the job's read */
	wait_asleep(kid);
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
	int master, status;
	pid_t sh;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (pipe(sync_fd))
		return 2;
	master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0 || grantpt(master) || unlockpt(master))
		return 2;
	sh = fork();
	if (sh == 0)
		_exit(shell(ptsname(master), master));
	waitpid(sh, &status, 0);
	printf("shell exited %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return 0;
}
