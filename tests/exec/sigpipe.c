/* A write to a pipe nobody reads: SIGPIPE first (a handler sees SI_USER
 * from the writer itself), then EPIPE; with SIGPIPE ignored only EPIPE;
 * with the default action a child dies of it (fs/pipe.c pipe_write). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t got, code, self;

static void on_pipe(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got = sig;
	code = si->si_code;
	self = si->si_pid == getpid();
}

static void try_write(const char *what, int fd)
{
	ssize_t n = write(fd, "x", 1);

	printf("%s: write = %zd (%s), handler saw sig %d code %d from itself %d\n", what, n,
	       n < 0 ? strerror(errno) : "ok", (int)got, (int)code, (int)self);
	got = code = self = 0;
}

int main(void)
{
	struct sigaction sa;
	int fds[2], status;
	pid_t kid;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (pipe(fds) < 0)
		return 1;
	close(fds[0]);
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_pipe;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGPIPE, &sa, NULL);
	try_write("handler", fds[1]);
	signal(SIGPIPE, SIG_IGN);
	try_write("ignored", fds[1]);
	signal(SIGPIPE, SIG_DFL);
	kid = fork();
	if (kid == 0) {
		(void)write(fds[1], "x", 1);
		_exit(0);
	}
	waitpid(kid, &status, 0);
	printf("default: child %s %d\n", WIFSIGNALED(status) ? "killed by" : "exited",
	       WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
	return 0;
}
