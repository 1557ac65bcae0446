/*
 * Seed 003, 'The Linux "parent death" signal': a process sets its
 * pdeath_signal with prctl(PR_SET_PDEATHSIG, sig), reads it back with
 * prctl(PR_GET_PDEATHSIG, &sig), and gets the signal when its parent dies.
 *
 * Here: main is a child subreaper (so the orphan is reparented to it and
 * it can report how the orphan died), forks a parent, which forks the
 * child; the child sets SIGHUP as its parent-death signal (the seed's
 * snippet, getppid() check included) and tells the parent, which exits.
 * SIGHUP's default action kills the child.
 *
 * Expected: pdeath_signal read back as 1; the orphan killed by signal 1.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int ready[2], status, sig;
	pid_t parent, w;
	char c;

	alarm(10);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	if (pipe(ready))
		return 1;
	parent = fork();
	if (parent == 0) {
		if (fork() == 0) {
			prctl(PR_SET_PDEATHSIG, SIGHUP);        /* set pdeath sig */
			if (getppid() == 1)                     /* parent died already? */
				kill(getpid(), SIGHUP);
			prctl(PR_GET_PDEATHSIG, &sig);
			printf("child: pdeath_signal = %d\n", sig);
			fflush(stdout);
			write(ready[1], "r", 1);
			for (;;)
				pause();
		}
		read(ready[0], &c, 1);
		_exit(0);                       /* the parent dies */
	}
	while ((w = wait(&status)) > 0) {
		if (w == parent)
			printf("parent exited with status %d\n", WEXITSTATUS(status));
		else if (WIFSIGNALED(status))
			printf("orphan killed by signal %d\n", WTERMSIG(status));
		else
			printf("orphan status %#x\n", status);
	}
	return 0;
}
