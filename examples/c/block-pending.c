/*
 * Seed 003, "Blocking signals": a blocked signal is not delivered but stays
 * pending (sigprocmask, sigpending), even when the process would ignore it;
 * sigsuspend waits with a temporary mask and runs the handler.
 *
 * Expected: SIGUSR1 pending while blocked, the handler not run; sigsuspend
 * returns -1 (EINTR) after the handler ran once; a blocked SIGUSR2 whose
 * action is SIG_IGN stays pending, and is discarded when unblocked.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t handled;

static void handler(int sig)
{
	(void)sig;
	handled++;
}

int main(void)
{
	struct sigaction act;
	sigset_t block, pending, wait_mask;
	int r;

	alarm(10);
	memset(&act, 0, sizeof(act));
	act.sa_handler = handler;
	sigaction(SIGUSR1, &act, NULL);
	signal(SIGUSR2, SIG_IGN);

	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGUSR2);
	sigprocmask(SIG_BLOCK, &block, NULL);
	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR2);
	sigpending(&pending);
	printf("blocked: SIGUSR1 pending=%d SIGUSR2 pending=%d handled=%d\n",
	       sigismember(&pending, SIGUSR1), sigismember(&pending, SIGUSR2),
	       (int)handled);

	sigfillset(&wait_mask);
	sigdelset(&wait_mask, SIGUSR1);
	r = sigsuspend(&wait_mask);
	printf("sigsuspend = %d (%s), handled=%d\n", r,
	       r < 0 && errno == EINTR ? "EINTR" : "?", (int)handled);
	sigpending(&pending);
	printf("after: SIGUSR1 pending=%d SIGUSR2 pending=%d\n",
	       sigismember(&pending, SIGUSR1), sigismember(&pending, SIGUSR2));
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	sigpending(&pending);
	printf("unblocked: SIGUSR2 pending=%d handled=%d\n",
	       sigismember(&pending, SIGUSR2), (int)handled);
	return 0;
}
