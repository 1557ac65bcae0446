/* Waits in sigsuspend() for a SIGUSR1 that a process outside the guest tree
 * (the test script) sends: under siglab exec the task sleeps in a
 * ptrace stop, where the host signal waits unseen until the tracer
 * hands it to the model. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static volatile sig_atomic_t got;

static void on_usr1(int sig)
{
	got = sig;
}

int main(void)
{
	sigset_t usr1, none;

	signal(SIGUSR1, on_usr1);
	sigemptyset(&none);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	printf("ready\n");
	fflush(stdout);
	while (!got)
		sigsuspend(&none);
	printf("got %d\n", (int)got);
	return 0;
}
