/* setpgid, getpgid, setsid, getsid, getppid: a child's parent is the
 * caller; a child makes its own group and session; a session leader
 * cannot setsid again nor setpgid itself, even to its own group (EPERM); setpgid to a group of
 * another session is EPERM; to a process that is not a child ESRCH; after
 * the child exec'd, EACCES; a negative pgid EINVAL; getpgid/getsid of an
 * unknown pid ESRCH. */
#include "t.h"

int main(void)
{
	pid_t me = getpid(), p, q;
	int st, pipefd[2];
	char c;

	t_start("setpgid, getpgid, setsid, getsid, getppid", 20);
	EXPECT(getpgid(0) == getpgrp(), 1, 0);
	EXPECT(getsid(0) == getsid(me), 1, 0);
	EXPECT(setpgid(0, -1), -1, EINVAL);

	p = fork();
	if (p == 0) {
		if (getppid() != me)
			_exit(1);
		if (setpgid(0, 0) || getpgid(0) != getpid())
			_exit(2);
		if (setsid() != -1 || errno != EPERM)     /* a group leader */
			_exit(3);
		_exit(0);
	}
	st = t_reap(p);
	printf("child: getppid, own group, setsid as group leader EPERM: %s\n", t_status(st));
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "all as expected in the child");

	if (pipe(pipefd))
		return 1;
	p = fork();
	if (p == 0) {
		pid_t sid = setsid();

		if (sid != getpid() || getsid(0) != sid || getpgid(0) != sid)
			_exit(1);
		if (setsid() != -1 || errno != EPERM)
			_exit(2);
		if (setpgid(0, 0) != -1 || errno != EPERM)  /* a session leader */
			_exit(3);
		write(pipefd[1], "s", 1);
		pause();
		_exit(0);
	}
	close(pipefd[1]);
	EXPECT(read(pipefd[0], &c, 1), 1, 0);          /* 0: the child failed */
	EXPECT(getsid(p) == p, 1, 0);
	EXPECT(getpgid(p) == p, 1, 0);
	EXPECT(setpgid(p, getpgrp()), -1, EPERM);      /* a session leader */
	q = fork();
	if (q == 0) {
		pause();
		_exit(0);
	}
	EXPECT(setpgid(q, p), -1, EPERM);              /* a group of another session */
	EXPECT(setpgid(q, q), 0, 0);
	EXPECT(getpgid(q) == q, 1, 0);
	EXPECT(setpgid(1, 1), -1, ESRCH);              /* not our child */
	kill(p, SIGKILL);
	kill(q, SIGKILL);
	t_reap(p);
	t_reap(q);
	EXPECT(getpgid(p), -1, ESRCH);
	EXPECT(getsid(p), -1, ESRCH);

	p = fork();
	if (p == 0) {
		execl("/bin/sleep", "sleep", "5", (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 500; i++) {        /* until the child has exec'd */
		char path[64], buf[64] = "";
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/comm", (int)p);
		f = fopen(path, "r");
		if (f) {
			fgets(buf, sizeof(buf), f);
			fclose(f);
		}
		if (!strcmp(buf, "sleep\n"))
			break;
		usleep(2000);
	}
	EXPECT(setpgid(p, p), -1, EACCES);
	kill(p, SIGKILL);
	t_reap(p);
	return t_end();
}
