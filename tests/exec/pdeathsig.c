/* prctl: PR_SET_CHILD_SUBREAPER in main, PR_SET_PDEATHSIG in a
 * grandchild: when its parent exits, the grandchild gets its signal, is
 * reparented to main (getppid), and main's wait reaps it. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t got;

static void on_usr1(int sig)
{
	got = sig;
}

int main(void)
{
	int fd[2], st, v = -1;
	pid_t a, r, me = getpid();
	sigset_t usr1, none;
	char c;

	setvbuf(stdout, NULL, _IONBF, 0);
	printf("subreaper = %d\n", prctl(PR_SET_CHILD_SUBREAPER, 1));
	prctl(PR_GET_CHILD_SUBREAPER, &v);
	printf("get subreaper: %d\n", v);
	signal(SIGUSR1, on_usr1);
	sigemptyset(&none);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	pipe(fd);
	a = fork();
	if (a == 0) {
		if (fork() == 0) {
			prctl(PR_SET_PDEATHSIG, SIGUSR1);
			prctl(PR_GET_PDEATHSIG, &v);
			write(fd[1], &v, 1);
			while (!got)
				sigsuspend(&none);
			_exit(getppid() == me ? 7 : 8);
		}
		read(fd[0], &c, 1);
		_exit(0);
	}
	waitpid(a, &st, 0);
	printf("parent exited %d\n", WEXITSTATUS(st));
	r = waitpid(-1, &st, 0);
	printf("reaped the orphan: %d, status %d\n", r > 0, WEXITSTATUS(st));
	return 0;
}
