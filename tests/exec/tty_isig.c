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

static void report(const char *who, int status)
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

/* Waits until the job sleeps in its read (its state in /proc). */
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
			if (p && p[2] == 'S')
				return;
		}
		usleep(1000);
	}
}

static int shell(const char *slave, int master)
{
	int tty, status;
	pid_t kid;

	setsid();
	tty = open(slave, O_RDWR | O_NOCTTY);
	if (tty < 0 || ioctl(tty, TIOCSCTTY, 0) < 0)
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
	wait_asleep(kid);
	type(master, "\003");
	wait_ready();
	wait_asleep(kid);
	type(master, "\034");
	usleep(100000);
	type(master, "line one\n");
	wait_ready();
	wait_asleep(kid);
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
	report("shell", status);
	return 0;
}
