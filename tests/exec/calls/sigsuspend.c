/* rt_sigsuspend and pause: both return -1 EINTR once a handler has run;
 * sigsuspend waits with the given mask and restores the old one (the
 * handler runs with the temporary mask); a signal that is ignored does not
 * end either; the sigsetsize check and a bad pointer. */
#include "t.h"

static volatile sig_atomic_t runs, in_handler_usr2_blocked;

static void on_usr1(int sig)
{
	sigset_t cur;

	(void)sig;
	runs++;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	in_handler_usr2_blocked = sigismember(&cur, SIGUSR2);
}

/* A child that waits until the parent blocks in NR, then sends SIG1 and,
 * after the parent blocks again, SIG2 (0: none). */
static pid_t sender(long nr, int sig1, int sig2)
{
	pid_t parent = getpid(), p = fork();

	if (p == 0) {
		t_wait_in_syscall(parent, nr);
		kill(parent, sig1);
		if (sig2) {
			usleep(50000);
			t_wait_in_syscall(parent, nr);
			kill(parent, sig2);
		}
		_exit(0);
	}
	return p;
}

int main(void)
{
	struct sigaction sa;
	sigset_t block, wait_mask, cur;
	unsigned long m;
	pid_t p;

	t_start("sigsuspend and pause", 20);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGURG, SIG_IGN);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, NULL);

	/* Pending before the call: sigsuspend returns at once. */
	raise(SIGUSR1);
	sigemptyset(&wait_mask);
	sigaddset(&wait_mask, SIGUSR2);
	EXPECT(sigsuspend(&wait_mask), -1, EINTR);
	CHECK(runs == 1, "the handler ran once");
	CHECK(in_handler_usr2_blocked, "the handler ran with sigsuspend's mask");
	sigprocmask(SIG_BLOCK, NULL, &cur);
	CHECK(sigismember(&cur, SIGUSR1) && !sigismember(&cur, SIGUSR2),
	      "the old mask is back after sigsuspend");

	/* Sent while waiting; an ignored SIGURG first does not end the wait. */
	p = sender(SYS_rt_sigsuspend, SIGURG, SIGUSR1);
	sigemptyset(&wait_mask);
	EXPECT(sigsuspend(&wait_mask), -1, EINTR);
	CHECK(runs == 2, "woken by SIGUSR1 only");
	t_reap(p);

	EXPECT(syscall(SYS_rt_sigsuspend, &wait_mask, 4), -1, EINVAL);
	EXPECT(syscall(SYS_rt_sigsuspend, T_BAD, 8), -1, EFAULT);

	/* pause: unblock SIGUSR1 first, the child sends while we pause. */
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	p = sender(SYS_pause, SIGURG, SIGUSR1);
	EXPECT(pause(), -1, EINTR);
	CHECK(runs == 3, "pause ended by the handler's run");
	t_reap(p);
	m = 0;
	syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &m, 8);
	CHECK(m == 0, "mask unchanged by pause");
	return t_end();
}
