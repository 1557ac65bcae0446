/*
 * run1: runs one peer test in its own session with a time limit, and
 * leaves nothing behind.
 *
 *   run1 [-e ERRFILE] SECONDS LOGFILE PROGRAM ARGS...
 *
 * The program runs as the leader of a new session (setsid), with stdout and
 * stderr in LOGFILE (stderr in ERRFILE with -e) and stdin from /dev/null.  run1 is a child subreaper, so
 * every descendant the test leaves (also one that left the session's
 * process group) is reparented here; when the test ends or its time is up,
 * run1 kills its process group and every remaining descendant with SIGKILL
 * and reaps them all.  It signals only its own descendants.
 *
 * Prints one line: RESULT STATUS MILLISECONDS, where RESULT is the peer
 * suite's name for the exit status (PASS FAIL UNRESOLVED UNSUPPORTED
 * UNTESTED), EXIT for any other exit status, SIGNAL for a death by signal
 * (STATUS is the signal number), TIMEOUT when the time limit expired.
 * run1's own exit status is 0, or 3 when it could not start the test.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static const char *result_name(int code)
{
	switch (code) {
	case 0: return "PASS";
	case 1: return "FAIL";
	case 2: return "UNRESOLVED";
	case 4: return "UNSUPPORTED";
	case 5: return "UNTESTED";
	default: return "EXIT";
	}
}

/* SIGKILL every child of run1 still alive (orphans reparented to us). */
static void kill_children(void)
{
	char path[64], buf[4096];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/children", (int)getpid());
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	for (char *p = strtok(buf, " \n"); p; p = strtok(NULL, " \n"))
		kill((pid_t)atoi(p), SIGKILL);
}

/* Kill and reap every descendant; returns when none is left. */
static void reap_all(pid_t pgid)
{
	kill(-pgid, SIGKILL);
	for (;;) {
		kill_children();
		if (waitpid(-1, NULL, 0) < 0 && errno == ECHILD)
			return;
	}
}

static void child(const char *log, const char *err, char **argv)
{
	int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int efd = err ? open(err, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644) : fd;
	int in = open("/dev/null", O_RDONLY | O_CLOEXEC);

	if (fd < 0 || efd < 0 || in < 0 || setsid() < 0)
		_exit(126);
	dup2(in, 0);
	dup2(fd, 1);
	dup2(efd, 2);
	execvp(argv[0], argv);
	_exit(127);
}

static void on_alarm(int sig)
{
	(void)sig;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	int status = 0, timed_out = 0;
	double t0;
	const char *err = NULL;
	pid_t pid, w;

	if (argc > 2 && !strcmp(argv[1], "-e")) {
		err = argv[2];
		argv += 2;
		argc -= 2;
	}
	if (argc < 4) {
		fprintf(stderr, "usage: run1 [-e ERRFILE] SECONDS LOGFILE PROGRAM ARGS...\n");
		return 3;
	}
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	sigaction(SIGALRM, &sa, NULL);
	t0 = now_ms();
	pid = fork();
	if (pid < 0)
		return 3;
	if (pid == 0)
		child(argv[2], err, argv + 3);
	alarm((unsigned)atoi(argv[1]));
	/* Orphans of the test may be reaped here before the test itself. */
	while ((w = waitpid(-1, &status, 0)) != pid) {
		if (w < 0) {
			timed_out = errno == EINTR;
			break;
		}
	}
	alarm(0);
	reap_all(pid);
	if (timed_out)
		printf("TIMEOUT 0 %.0f\n", now_ms() - t0);
	else if (WIFSIGNALED(status))
		printf("SIGNAL %d %.0f\n", WTERMSIG(status), now_ms() - t0);
	else
		printf("%s %d %.0f\n", result_name(WEXITSTATUS(status)),
		       WEXITSTATUS(status), now_ms() - t0);
	return 0;
}
