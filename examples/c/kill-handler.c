/*
 * Seed 003, "Sending signals" and "Receiving signals": one process signals
 * another with kill(2); the receiver has set up a handler with signal(2)
 * and is interrupted to run it; SIGKILL cannot be caught, so kill -9 ends
 * it.  A pipe orders the two processes so the output is deterministic.
 *
 * Expected: the child's handler runs once for SIGUSR1; the parent sees the
 * child killed by signal 9; exit status 0.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static int ready[2], done[2];

void handler(int sig)
{
	char c = 'h';

	printf("child: caught signal %d\n", sig);
	fflush(stdout);
	write(done[1], &c, 1);
}

int main(void)
{
	pid_t p;
	int status;
	char c;

	alarm(10);
	if (pipe(ready) || pipe(done))
		return 1;
	p = fork();
	if (p == 0) {
		if (signal(SIGUSR1, handler) == SIG_ERR)
			_exit(1);
		write(ready[1], "r", 1);
		for (;;)
			pause();
	}
	read(ready[0], &c, 1);
	kill(p, SIGUSR1);          /* the handler runs */
	read(done[0], &c, 1);
	kill(p, SIGKILL);          /* kill -9: cannot be caught */
	waitpid(p, &status, 0);
	if (WIFSIGNALED(status))
		printf("parent: child killed by signal %d\n", WTERMSIG(status));
	else
		printf("parent: child status %#x\n", status);
	return 0;
}
