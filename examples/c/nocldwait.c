/*
 * Seed 003, "Voodoo: wait and SIGCHLD": a SIGCHLD handler installed with
 * SA_NOCLDWAIT: children do not become zombies, wait() returns -1 ECHILD
 * once all have exited, and ("it depends on the Unix flavor") Linux still
 * sends SIGCHLD.  SIGCHLD is blocked around the wait, so the count of
 * handler runs is deterministic: the two exits coalesce into one pending
 * SIGCHLD, handled once at the unblock.
 * SA_NOCLDSTOP: a child that stops sends no SIGCHLD.
 *
 * Expected: wait = -1 ECHILD, SIGCHLD pending, handled once; a stopped
 * child leaves SIGCHLD not pending; exit status 0.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t handled;

void something(int sig)
{
	(void)sig;
	handled++;
}

int main(void)
{
	struct sigaction act;
	sigset_t chld, pending;
	int status, r;
	pid_t p;

	alarm(10);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);

	memset(&act, 0, sizeof(act));
	act.sa_handler = something;
	act.sa_flags = SA_NOCLDWAIT;
	sigaction (SIGCHLD, &act, NULL);
	for (int i = 0; i < 2; i++)
		if (fork() == 0)
			_exit(3);
	r = wait(&status);
	printf("SA_NOCLDWAIT: wait = %d %s\n", r,
	       r < 0 && errno == ECHILD ? "ECHILD" : "?");
	sigpending(&pending);
	printf("SA_NOCLDWAIT: SIGCHLD pending=%d\n", sigismember(&pending, SIGCHLD));
	sigprocmask(SIG_UNBLOCK, &chld, NULL);
	printf("SA_NOCLDWAIT: handled=%d\n", (int)handled);

	sigprocmask(SIG_BLOCK, &chld, NULL);
	act.sa_flags = SA_NOCLDSTOP;
	sigaction(SIGCHLD, &act, NULL);
	handled = 0;
	p = fork();
	if (p == 0) {
		raise(SIGSTOP);
		_exit(0);
	}
	waitpid(p, &status, WUNTRACED);
	printf("SA_NOCLDSTOP: child stopped by signal %d\n", WSTOPSIG(status));
	sigpending(&pending);
	printf("SA_NOCLDSTOP: SIGCHLD pending=%d\n", sigismember(&pending, SIGCHLD));
	kill(p, SIGKILL);
	waitpid(p, &status, 0);
	sigpending(&pending);
	printf("SA_NOCLDSTOP: after exit: SIGCHLD pending=%d\n",
	       sigismember(&pending, SIGCHLD));
	sigprocmask(SIG_UNBLOCK, &chld, NULL);
	printf("SA_NOCLDSTOP: handled=%d\n", (int)handled);
	return 0;
}
