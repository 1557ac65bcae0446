/* pidfd_open and pidfd_send_signal: a signal through a pidfd, with a
 * siginfo (rules of rt_sigqueueinfo: another process needs a negative
 * si_code), whose si_signo must match the signal; invalid flags EINVAL; a pidfd's process reaped: ESRCH; a
 * pidfd polls readable when its process exits; bad pointer EFAULT. */
#include "t.h"
#include <poll.h>

static siginfo_t got;

static void on_sig(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	got = *si;
}

int main(void)
{
	struct sigaction sa;
	siginfo_t si;
	struct pollfd pfd;
	pid_t p;
	int fd, self, st;

	t_start("pidfd_open and pidfd_send_signal", 20);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sig;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);

	self = (int)syscall(SYS_pidfd_open, getpid(), 0);
	CHECK(self >= 0, "pidfd_open(self)");
	EXPECT(syscall(SYS_pidfd_send_signal, self, SIGUSR1, NULL, 0), 0, 0);
	CHECK(got.si_signo == SIGUSR1 && got.si_code == SI_USER, "delivered as SI_USER");
	memset(&si, 0, sizeof(si));
	si.si_signo = SIGUSR1;
	si.si_code = SI_QUEUE;
	si.si_value.sival_int = 77;
	EXPECT(syscall(SYS_pidfd_send_signal, self, SIGUSR1, &si, 0), 0, 0);
	CHECK(got.si_code == SI_QUEUE && got.si_value.sival_int == 77, "with a siginfo: SI_QUEUE, 77");
	EXPECT(syscall(SYS_pidfd_send_signal, self, SIGUSR1, NULL, 0x100), -1, EINVAL);
	EXPECT(syscall(SYS_pidfd_send_signal, self, 65, NULL, 0), -1, EINVAL);
	EXPECT(syscall(SYS_pidfd_send_signal, self, SIGUSR1, T_BAD, 0), -1, EFAULT);
	EXPECT(syscall(SYS_pidfd_send_signal, 0, SIGUSR1, NULL, 0), -1, EBADF);
	EXPECT(syscall(SYS_pidfd_open, getpid(), 0x1234), -1, EINVAL);
	EXPECT(syscall(SYS_pidfd_open, 0, 0), -1, EINVAL);

	p = fork();
	if (p == 0) {
		for (;;)
			pause();
	}
	fd = (int)syscall(SYS_pidfd_open, p, 0);
	CHECK(fd >= 0, "pidfd_open(child)");
	/* Unlike rt_sigqueueinfo, si_signo must be the signal sent. */
	EXPECT(syscall(SYS_pidfd_send_signal, fd, SIGTERM, &si, 0), -1, EINVAL);
	si.si_signo = SIGTERM;
	si.si_code = SI_USER;
	EXPECT(syscall(SYS_pidfd_send_signal, fd, SIGTERM, &si, 0), -1, EPERM);
	pfd.fd = fd;
	pfd.events = POLLIN;
	EXPECT(poll(&pfd, 1, 0), 0, 0);
	EXPECT(syscall(SYS_pidfd_send_signal, fd, SIGTERM, NULL, 0), 0, 0);
	EXPECT(poll(&pfd, 1, 5000), 1, 0);
	CHECK(pfd.revents & POLLIN, "the pidfd is readable once the child exited");
	EXPECT(syscall(SYS_pidfd_send_signal, fd, 0, NULL, 0), 0, 0);
	st = t_reap(p);
	printf("child: %s\n", t_status(st));
	EXPECT(syscall(SYS_pidfd_send_signal, fd, SIGTERM, NULL, 0), -1, ESRCH);
	EXPECT(syscall(SYS_pidfd_open, p, 0), -1, ESRCH);
	close(fd);
	close(self);
	return t_end();
}
