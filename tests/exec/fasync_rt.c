/* I/O signals (fs/fcntl.c): a pipe's read end marked O_ASYNC tells its
 * owner (F_SETOWN) when data arrives.  Without F_SETSIG the owner gets
 * SIGIO with SI_KERNEL; with F_SETSIG a real-time signal with si_code
 * POLL_IN, si_band POLLIN|POLLRDNORM and si_fd the descriptor, queued
 * once per write while blocked; a negative owner is a process group,
 * whose every process gets it.  A TCP socket's owner gets SIGURG
 * (SI_KERNEL) when urgent data arrives (net/core/sock.c sk_send_sigurg,
 * fs/fcntl.c send_sigurg). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static int fds[2];

static void on_io(int sig, siginfo_t *si, void *uc)
{
	char line[128];
	int n;

	(void)uc;
	n = snprintf(line, sizeof line,
		     "handler: signal %s code %d band %#lx fd is the read end %d pid %d\n",
		     sig == SIGIO ? "SIGIO" : sig == SIGRTMIN + 1 ? "SIGRTMIN+1" : "other",
		     si->si_code, sig == SIGIO && si->si_code == SI_KERNEL ? 0L : si->si_band,
		     sig == SIGIO && si->si_code == SI_KERNEL ? -1 : si->si_fd == fds[0],
		     sig == SIGIO && si->si_code == SI_KERNEL ? (int)si->si_pid : 0);
	(void)!write(1, line, (size_t)n);
}

static volatile sig_atomic_t urg_code = -1;

static void on_urg(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	urg_code = si->si_code;
}

/* A loopback TCP connection; urgent data on it. */
static void urgent(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct sigaction sa;
	socklen_t len = sizeof a;
	int l = socket(AF_INET, SOCK_STREAM, 0), c, s;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof a) || listen(l, 1) ||
	    getsockname(l, (struct sockaddr *)&a, &len)) {
		printf("urgent: no loopback TCP here\n");
		return;
	}
	c = socket(AF_INET, SOCK_STREAM, 0);
	if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof a) || (s = accept(l, NULL, NULL)) < 0) {
		printf("urgent: no loopback TCP here\n");
		return;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_urg;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGURG, &sa, NULL);
	fcntl(s, F_SETOWN, getpid());
	(void)!send(c, "!", 1, MSG_OOB);
	for (int i = 0; i < 2000 && urg_code < 0; i++)
		usleep(1000);
	printf("urgent: SIGURG code %d\n", (int)urg_code);
	close(s);
	close(c);
	close(l);
}

static void drain(void)
{
	char buf[64];

	while (read(fds[0], buf, sizeof buf) > 0)
		;
}

static void show(const siginfo_t *si, const char *who)
{
	printf("%s: sigwaitinfo: signal %s code %d band %#lx fd is the read end %d\n", who,
	       si->si_signo == SIGRTMIN + 1 ? "SIGRTMIN+1" : "other", si->si_code,
	       si->si_band, si->si_fd == fds[0]);
}

int main(void)
{
	struct sigaction sa;
	sigset_t rt;
	siginfo_t si;
	int go[2], back[2], status;
	pid_t kid;
	char c;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (pipe(fds) || pipe(go) || pipe(back))
		return 2;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_io;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGIO, &sa, NULL);
	sigaction(SIGRTMIN + 1, &sa, NULL);

	/* SIGIO, no siginfo of its own */
	fcntl(fds[0], F_SETOWN, getpid());
	printf("F_GETOWN is me: %d\n", fcntl(fds[0], F_GETOWN) == getpid());
	fcntl(fds[0], F_SETFL, O_ASYNC | O_NONBLOCK);
	(void)!write(fds[1], "a", 1);
	drain();

	/* F_SETSIG: the chosen signal, with si_band and si_fd */
	fcntl(fds[0], F_SETSIG, SIGRTMIN + 1);
	printf("F_GETSIG = SIGRTMIN+1: %d\n", fcntl(fds[0], F_GETSIG) == SIGRTMIN + 1);
	(void)!write(fds[1], "b", 1);
	drain();

	/* blocked: one queued per write */
	sigemptyset(&rt);
	sigaddset(&rt, SIGRTMIN + 1);
	sigprocmask(SIG_BLOCK, &rt, NULL);
	(void)!write(fds[1], "c", 1);
	(void)!write(fds[1], "d", 1);
	drain();
	for (int i = 0; i < 2; i++) {
		struct timespec zero = { 0, 0 };

		if (sigtimedwait(&rt, &si, &zero) < 0)
			printf("main: sigtimedwait: %s\n", strerror(errno));
		else
			show(&si, "main");
	}

	/* a process group owner: the child gets it too */
	setpgid(0, 0);
	kid = fork();
	if (kid == 0) {
		struct timespec two = { 2, 0 };

		(void)!write(go[1], "r", 1);
		int r = sigtimedwait(&rt, &si, &two);

		(void)!read(back[0], &c, 1);	/* main has spoken */
		if (r < 0)
			printf("child: sigtimedwait: %s\n", strerror(errno));
		else
			show(&si, "child");
		_exit(0);
	}
	(void)!read(go[0], &c, 1);
	fcntl(fds[0], F_SETOWN, -getpgrp());
	printf("F_GETOWN is my group: %d\n", fcntl(fds[0], F_GETOWN) == -getpgrp());
	(void)!write(fds[1], "e", 1);
	drain();
	if (sigtimedwait(&rt, &si, &(struct timespec){ 0, 0 }) < 0)
		printf("main: sigtimedwait: %s\n", strerror(errno));
	else
		show(&si, "main");
	(void)!write(back[1], "g", 1);
	waitpid(kid, &status, 0);
	printf("child exited %d\n", WEXITSTATUS(status));
	urgent();
	return 0;
}
