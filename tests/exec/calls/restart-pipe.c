/* SA_RESTART vs EINTR on a read of a real pipe (a host-owned blocking
 * call): without SA_RESTART the handler's run makes read fail with EINTR;
 * with SA_RESTART read restarts and returns the data written later; a
 * stop and continue, or an ignored signal, never interrupts it; poll is
 * never restarted after a handler (EINTR even with SA_RESTART); a write
 * to a pipe with no reader raises SIGPIPE (EPIPE when it is ignored). */
#include "t.h"
#include <poll.h>

static volatile sig_atomic_t runs;

static void on_usr1(int sig)
{
	(void)sig;
	runs++;
}

/* Once the parent blocks in NR, send each signal; then write "x". */
static pid_t sender(int wfd, long nr, const int *sigs, int n, int write_after)
{
	pid_t parent = getpid(), p = fork();

	if (p == 0) {
		for (int i = 0; i < n; i++) {
			t_wait_in_syscall(parent, nr);
			kill(parent, sigs[i]);
			usleep(20000);
		}
		if (write_after) {
			t_wait_in_syscall(parent, nr);
			write(wfd, "x", 1);
		}
		_exit(0);
	}
	return p;
}

static void handler(int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = flags;
	sigaction(SIGUSR1, &sa, NULL);
}

int main(void)
{
	int fds[2], usr1[] = { SIGUSR1 }, others[] = { SIGURG, SIGSTOP, SIGCONT };
	struct pollfd pfd;
	char c = 0;
	pid_t p;
	int st;

	t_start("SA_RESTART and EINTR on a pipe", 20);
	signal(SIGURG, SIG_IGN);
	if (pipe(fds))
		return 1;

	handler(0);
	p = sender(fds[1], SYS_read, usr1, 1, 0);
	EXPECT(read(fds[0], &c, 1), -1, EINTR);
	CHECK(runs == 1, "without SA_RESTART: the handler ran, read failed EINTR");
	t_reap(p);

	handler(SA_RESTART);
	p = sender(fds[1], SYS_read, usr1, 1, 1);
	EXPECT(read(fds[0], &c, 1), 1, 0);
	CHECK(runs == 2 && c == 'x', "with SA_RESTART: the handler ran, read restarted and got x");
	t_reap(p);

	handler(0);
	c = 0;
	p = sender(fds[1], SYS_read, others, 3, 1);
	EXPECT(read(fds[0], &c, 1), 1, 0);
	CHECK(runs == 2 && c == 'x', "ignored SIGURG, SIGSTOP, SIGCONT: read goes on");
	t_reap(p);

	handler(SA_RESTART);
	pfd.fd = fds[0];
	pfd.events = POLLIN;
	p = sender(fds[1], SYS_poll, usr1, 1, 0);
	EXPECT(poll(&pfd, 1, 5000), -1, EINTR);
	CHECK(runs == 3, "poll: EINTR even with SA_RESTART");
	t_reap(p);

	/* SIGPIPE. */
	close(fds[0]);
	p = fork();
	if (p == 0) {
		write(fds[1], "y", 1);
		_exit(0);
	}
	st = t_reap(p);
	printf("child writing to a pipe without reader: %s\n", t_status(st));
	signal(SIGPIPE, SIG_IGN);
	EXPECT(write(fds[1], "y", 1), -1, EPIPE);
	return t_end();
}
