/*
 * Seed 003, "Voodoo: wait and SIGCHLD": signal(SIGCHLD, SIG_IGN) keeps
 * children from becoming zombies; a wait() returns only when all children
 * have exited, and then -1 with errno ECHILD.
 *
 * Expected: "wait = -1 ECHILD" after both children exited; exit status 0.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int status, r;

	alarm(10);
	signal(SIGCHLD, SIG_IGN);
	for (int i = 0; i < 2; i++) {
		pid_t p = fork();

		if (p == 0) {
			usleep(20000 * (i + 1));
			_exit(7);
		}
	}
	r = wait(&status);
	printf("wait = %d %s\n", r, r < 0 && errno == ECHILD ? "ECHILD" : "?");
	return 0;
}
