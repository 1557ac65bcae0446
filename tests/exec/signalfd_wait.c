/* signalfd beyond one process's non-blocking reads (fs/signalfd.c): a
 * blocking read waits for a child's kill; poll(-1) and epoll_wait wake
 * for SIGCHLD, whose record holds the child's pid and status; a child
 * inherits the descriptor and reads its own signal from it (its parent
 * polls only after it has exited: under exec a shared signalfd is
 * readable to every holder while one of them has a signal for it); alarm's
 * SIGALRM is read as SI_KERNEL; a closed signalfd's number reused by a
 * pipe reads as the pipe. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

static void show(const char *what, const struct signalfd_siginfo *s, ssize_t n, pid_t from)
{
	printf("%s: read %zd, signo %u code %d from-expected %d status %d\n", what, n,
	       s->ssi_signo, s->ssi_code, from ? s->ssi_pid == (unsigned)from : -1,
	       s->ssi_signo == SIGCHLD ? s->ssi_status : -1);
}

int main(void)
{
	struct signalfd_siginfo s;
	struct pollfd pfd;
	struct epoll_event ev = { .events = EPOLLIN }, got;
	sigset_t mask;
	int fd, ep, p[2], status;
	pid_t kid;
	ssize_t n;

	setvbuf(stdout, NULL, _IONBF, 0);
	alarm(20);
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGALRM);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	fd = signalfd(-1, &mask, 0);
	if (fd < 0)
		return 1;

	kid = fork();
	if (kid == 0) {
		usleep(100 * 1000);
		kill(getppid(), SIGUSR1);
		_exit(7);
	}
	n = read(fd, &s, sizeof s);
	show("blocking read", &s, n, kid);
	pfd.fd = fd;
	pfd.events = POLLIN;
	n = poll(&pfd, 1, -1);
	printf("poll(-1) = %zd revents %#x\n", n, pfd.revents);
	n = read(fd, &s, sizeof s);
	show("after poll", &s, n, kid);
	waitpid(kid, &status, 0);
	printf("child status %d\n", WEXITSTATUS(status));

	/* inherited: the child reads its own signal from the parent's fd */
	kid = fork();
	if (kid == 0) {
		kill(getpid(), SIGUSR1);
		n = read(fd, &s, sizeof s);
		show("child's read", &s, n, getpid());
		_exit(0);
	}
	waitpid(kid, &status, 0);
	printf("child status %d\n", WEXITSTATUS(status));
	ep = epoll_create1(0);
	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	printf("epoll_wait = %d\n", epoll_wait(ep, &got, 1, 10000));
	n = read(fd, &s, sizeof s);
	show("after epoll", &s, n, kid);

	alarm(1);
	n = read(fd, &s, sizeof s);
	show("alarm", &s, n, 0);

	close(fd);
	if (pipe(p) < 0)
		return 1;
	printf("pipe reuses the number: %d\n", p[0] == fd);
	write(p[1], "hi", 2);
	n = read(p[0], &s, sizeof s);
	printf("pipe read %zd\n", n);
	return 0;
}
