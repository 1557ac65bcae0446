/* User ids and signals (kernel/sys.c, kernel/signal.c
 * check_kill_permission): a child that gives up root with setresuid can
 * signal a sibling of its new uid but not its root parent or a root
 * sibling (EPERM); its signals carry its uid as si_uid; a new effective
 * uid clears the parent-death signal; with all three ids gone from 0 it
 * cannot get root back; setreuid swaps real and effective ids so that
 * the saved root lets it back.  Run as root (otherwise it says so). */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t got_uid = -1;

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	got_uid = (sig_atomic_t)si->si_uid;
}

static const char *res(long r)
{
	return r == 0 ? "ok" : strerrorname_np(errno);
}

/* A child that waits for SIGUSR1 under uid `uid` (raw setresuid: this
 * thread only) and exits with the si_uid it saw, or 99 after 10 s. */
static pid_t waiter(uid_t uid, int ready[2])
{
	pid_t p = fork();

	if (p == 0) {
		struct sigaction sa;
		sigset_t usr1;

		memset(&sa, 0, sizeof sa);
		sa.sa_sigaction = on_usr1;
		sa.sa_flags = SA_SIGINFO;
		sigaction(SIGUSR1, &sa, NULL);
		sigemptyset(&usr1);
		sigaddset(&usr1, SIGUSR1);
		sigprocmask(SIG_BLOCK, &usr1, NULL);
		if (uid && syscall(SYS_setresuid, uid, uid, uid))
			_exit(98);
		close(ready[0]);
		write(ready[1], "r", 1);
		close(ready[1]);
		alarm(10);
		sigemptyset(&usr1);
		sigsuspend(&usr1);
		_exit(got_uid == -1 ? 99 : got_uid % 256);
	}
	return p;
}

int main(void)
{
	int ready[2], st, pd = -1;
	pid_t root_kid, user_kid, p;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (getuid() != 0) {
		printf("not root: nothing checked\n");
		return 0;
	}
	pipe(ready);
	root_kid = waiter(0, ready);
	user_kid = waiter(1000, ready);
	close(ready[1]);
	read(ready[0], &st, 1);
	read(ready[0], &st, 1);

	p = fork();
	if (p == 0) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		printf("setresuid(1000, 1000, 1000): %s\n", res(syscall(SYS_setresuid, 1000, 1000, 1000)));
		prctl(PR_GET_PDEATHSIG, &pd);
		printf("parent-death signal after it: %d\n", pd);
		printf("kill(root parent, 0): %s\n", res(kill(getppid(), 0)));
		printf("kill(root sibling, SIGUSR1): %s\n", res(kill(root_kid, SIGUSR1)));
		printf("kill(uid 1000 sibling, SIGUSR1): %s\n", res(kill(user_kid, SIGUSR1)));
		printf("setuid(0): %s\n", res(syscall(SYS_setuid, 0)));
		_exit(0);
	}
	waitpid(p, &st, 0);
	waitpid(user_kid, &st, 0);
	printf("uid 1000 sibling: si_uid %% 256 = %d\n", WEXITSTATUS(st));
	kill(root_kid, SIGUSR1);
	waitpid(root_kid, &st, 0);
	printf("root sibling (signalled by root): si_uid = %d\n", WEXITSTATUS(st));

	p = fork();
	if (p == 0) {
		printf("setreuid(1000, 0): %s\n", res(syscall(SYS_setreuid, 1000, 0)));
		printf("setreuid(-1, 1000): %s\n", res(syscall(SYS_setreuid, -1, 1000)));
		printf("kill(root parent, 0) as euid 1000: %s\n", res(kill(getppid(), 0)));
		printf("setresuid(-1, 0, -1) with saved root: %s\n",
		       res(syscall(SYS_setresuid, -1, 0, -1)));
		printf("kill(root parent, 0) as root again: %s\n", res(kill(getppid(), 0)));
		_exit(0);
	}
	waitpid(p, &st, 0);
	return 0;
}
