/* Seed 000: a SIGFPE handler that longjmps out of the fault, ten times
 * (SA_NODEFER, so the handler's mask never blocks the next fault). */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static jmp_buf fpe;

static void handler(int signum)
{
	(void)signum;
	printf("inside handler\n");
	longjmp(fpe, 1);
}

int main(void)
{
	volatile int i, j, zero = 0;

	for (i = 0; i < 10; i++) {
		struct sigaction act, oldact;

		memset(&act, 0, sizeof act);
		act.sa_handler = handler;
		act.sa_flags = SA_NODEFER;
		sigaction(SIGFPE, &act, &oldact);
		if (setjmp(fpe) == 0) {
			j = i / zero;
			sigaction(SIGFPE, &oldact, &act);
		} else {
			sigaction(SIGFPE, &oldact, &act);
		}
	}
	(void)j;
	printf("After for loop\n");
	return 0;
}
