/* pidfd_open and pidfd_send_signal: a signal through a pidfd to a child
 * (its handler reports si_code SI_USER), with siginfo to oneself
 * (SI_QUEUE and a value), errors: a pid that does not exist (ESRCH), an
 * fd that is not a pidfd (EBADF), bad flags (EINVAL); the pidfd polls
 * readable once the child has exited. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t got, code, value;

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	got = 1;
	code = si->si_code;
	value = si->si_value.sival_int;
}

static long sys(long nr, long a, long b, long c, long d)
{
	long r = syscall(nr, a, b, c, d);

	return r < 0 ? -errno : r;
}

int main(void)
{
	struct sigaction sa;
	struct pollfd p;
	siginfo_t si;
	sigset_t none, usr1;
	int fd, self, st, pr;
	long r;
	pid_t c;

	setvbuf(stdout, NULL, _IONBF, 0);
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_usr1;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	/* the child waits with SIGUSR1 blocked but in sigsuspend, so that
	 * no signal falls between its test and its sleep */
	sigemptyset(&none);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	c = fork();
	if (c == 0) {
		while (!got)
			sigsuspend(&none);
		printf("child: code=%d\n", (int)code);
		_exit(3);
	}
	sigprocmask(SIG_UNBLOCK, &usr1, NULL);
	fd = (int)sys(SYS_pidfd_open, c, 0, 0, 0);
	printf("pidfd_open ok: %d\n", fd >= 0);
	r = sys(SYS_pidfd_send_signal, fd, SIGUSR1, 0, 0);
	p.fd = fd;
	p.events = POLLIN;
	pr = poll(&p, 1, 5000);
	waitpid(c, &st, 0);
	/* printed after the child's line, whoever ran first */
	printf("send = %ld\npoll = %d\n", r, pr);
	printf("child exited %d\n", WEXITSTATUS(st));
	printf("send after reap = %ld\n", sys(SYS_pidfd_send_signal, fd, SIGUSR1, 0, 0));

	self = (int)sys(SYS_pidfd_open, getpid(), 0, 0, 0);
	memset(&si, 0, sizeof si);
	si.si_signo = SIGUSR1;
	si.si_code = SI_QUEUE;
	si.si_pid = getpid();
	si.si_value.sival_int = 42;
	printf("send to self = %ld\n", sys(SYS_pidfd_send_signal, self, SIGUSR1, (long)&si, 0));
	printf("self: code=%d value=%d\n", (int)code, (int)value);
	printf("bad flags = %ld\n", sys(SYS_pidfd_send_signal, self, SIGUSR1, 0, 99));
	printf("not a pidfd = %ld\n", sys(SYS_pidfd_send_signal, 0, SIGUSR1, 0, 0));
	printf("open nobody = %ld\n", sys(SYS_pidfd_open, 999999, 0, 0, 0));
	return 0;
}
