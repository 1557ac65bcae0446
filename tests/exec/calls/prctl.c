/* prctl PR_SET/GET_PDEATHSIG and PR_SET/GET_CHILD_SUBREAPER: the
 * parent-death signal is delivered when the parent exits and is 0 in a
 * forked child; invalid signal EINVAL; bad pointer EFAULT; an orphan is
 * reparented to the nearest subreaper, which can wait for it. */
#include "t.h"
#include <sys/prctl.h>

int main(void)
{
	pid_t me = getpid(), mid, p;
	int v, st, pipefd[2];
	char c;

	t_start("prctl PDEATHSIG and CHILD_SUBREAPER", 20);
	EXPECT(prctl(PR_GET_PDEATHSIG, &v), 0, 0);
	CHECK(v == 0, "pdeath_signal starts 0");
	EXPECT(prctl(PR_SET_PDEATHSIG, 65), -1, EINVAL);
	EXPECT(prctl(PR_SET_PDEATHSIG, SIGUSR1), 0, 0);
	EXPECT(prctl(PR_GET_PDEATHSIG, &v), 0, 0);
	CHECK(v == SIGUSR1, "read back SIGUSR1");
	EXPECT(prctl(PR_GET_PDEATHSIG, T_BAD), -1, EFAULT);
	p = fork();
	if (p == 0) {
		prctl(PR_GET_PDEATHSIG, &v);
		_exit(v);
	}
	st = t_reap(p);
	CHECK(WEXITSTATUS(st) == 0, "a forked child starts with pdeath_signal 0");
	prctl(PR_SET_PDEATHSIG, 0);

	EXPECT(prctl(PR_GET_CHILD_SUBREAPER, &v), 0, 0);
	CHECK(v == 0, "not a subreaper at first");
	EXPECT(prctl(PR_SET_CHILD_SUBREAPER, 1), 0, 0);
	EXPECT(prctl(PR_GET_CHILD_SUBREAPER, &v), 0, 0);
	CHECK(v == 1, "now a subreaper");

	/* me -> mid -> orphan; the orphan asks for SIGHUP at its parent's
	 * death, checks its new parent is me, and exits with a report. */
	if (pipe(pipefd))
		return 1;
	mid = fork();
	if (mid == 0) {
		p = fork();
		if (p == 0) {
			sigset_t set;
			int sig = 0;

			sigemptyset(&set);
			sigaddset(&set, SIGHUP);
			sigprocmask(SIG_BLOCK, &set, NULL);
			prctl(PR_SET_PDEATHSIG, SIGHUP);
			write(pipefd[1], "r", 1);
			sigwait(&set, &sig);
			_exit(sig == SIGHUP && getppid() == me ? 0 : 1);
		}
		read(pipefd[0], &c, 1);
		_exit(0);
	}
	st = t_reap(mid);
	printf("the middle process: %s\n", t_status(st));
	p = wait(&st);
	CHECK(p > 0 && p != mid, "the orphan was reparented to the subreaper");
	printf("the orphan (SIGHUP received, reparented to us): %s\n", t_status(st));
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "orphan got SIGHUP and saw us as parent");
	EXPECT(wait(&st), -1, ECHILD);
	return t_end();
}
