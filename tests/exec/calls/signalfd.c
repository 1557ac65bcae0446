/* signalfd4: reading signals as struct signalfd_siginfo (signal, code,
 * sender, value); an empty non-blocking read is EAGAIN; a short buffer
 * EINVAL; updating the mask of an existing fd; poll readiness; bad flags
 * EINVAL, bad mask size EINVAL, bad mask pointer EFAULT; several signals
 * in one read. */
#include "t.h"
#include <fcntl.h>
#include <poll.h>
#include <sys/signalfd.h>

int main(void)
{
	struct signalfd_siginfo ssi[4];
	struct pollfd pfd;
	sigset_t mask;
	unsigned long raw = 1UL << (SIGUSR1 - 1);
	ssize_t n;
	int fd;

	t_start("signalfd", 20);
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	sigaddset(&mask, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sigaddset(&mask, SIGUSR2);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sigdelset(&mask, SIGUSR2);

	EXPECT(syscall(SYS_signalfd4, -1, &raw, 8, 0x1234), -1, EINVAL);
	EXPECT(syscall(SYS_signalfd4, -1, &raw, 4, 0), -1, EINVAL);
	EXPECT(syscall(SYS_signalfd4, -1, T_BAD, 8, 0), -1, EFAULT);
	fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	CHECK(fd >= 0, "signalfd created");
	CHECK(fcntl(fd, F_GETFD) == FD_CLOEXEC, "SFD_CLOEXEC");
	EXPECT(read(fd, ssi, sizeof(ssi[0])), -1, EAGAIN);
	pfd.fd = fd;
	pfd.events = POLLIN;
	EXPECT(poll(&pfd, 1, 0), 0, 0);

	kill(getpid(), SIGUSR1);
	EXPECT(poll(&pfd, 1, 0), 1, 0);
	EXPECT(read(fd, ssi, 8), -1, EINVAL);
	n = read(fd, ssi, sizeof(ssi[0]));
	CHECK(n == (ssize_t)sizeof(ssi[0]), "read one signalfd_siginfo");
	CHECK(ssi[0].ssi_signo == SIGUSR1 && ssi[0].ssi_code == SI_USER &&
	      ssi[0].ssi_pid == (unsigned)getpid(), "SIGUSR1, SI_USER, from this process");

	sigqueue(getpid(), SIGRTMIN, (union sigval){ .sival_int = 1 });
	sigqueue(getpid(), SIGRTMIN, (union sigval){ .sival_int = 2 });
	kill(getpid(), SIGUSR1);
	n = read(fd, ssi, sizeof(ssi));
	CHECK(n == 3 * (ssize_t)sizeof(ssi[0]), "three signals in one read");
	CHECK(ssi[0].ssi_signo == SIGUSR1, "standard signals first");
	CHECK(ssi[1].ssi_signo == (unsigned)SIGRTMIN && ssi[1].ssi_int == 1 &&
	      ssi[2].ssi_int == 2 && ssi[1].ssi_code == SI_QUEUE, "then SIGRTMIN, values 1 and 2");

	/* SIGUSR2 is not in the fd's mask until updated. */
	kill(getpid(), SIGUSR2);
	EXPECT(read(fd, ssi, sizeof(ssi[0])), -1, EAGAIN);
	sigaddset(&mask, SIGUSR2);
	EXPECT(signalfd(fd, &mask, 0) == fd, 1, 0);
	n = read(fd, ssi, sizeof(ssi[0]));
	CHECK(n == sizeof(ssi[0]) && ssi[0].ssi_signo == SIGUSR2, "after the update: SIGUSR2");
	EXPECT(signalfd(0, &mask, 0), -1, EINVAL);
	close(fd);
	return t_end();
}
