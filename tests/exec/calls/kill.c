/* kill, tkill, tgkill: signal 0 probes; invalid signals EINVAL; a reaped
 * child is ESRCH; kill(0, sig) and kill(-pgrp, sig) reach the whole
 * process group (in a child that made its own group); tgkill checks that
 * the tid belongs to the tgid; tid <= 0 is EINVAL. */
#include "t.h"
#include <pthread.h>

static volatile sig_atomic_t got_usr1;
static volatile pid_t thread_tid;
static volatile int thread_done;

static void on_usr1(int sig)
{
	(void)sig;
	got_usr1++;
}

static void *thread_main(void *arg)
{
	(void)arg;
	thread_tid = gettid();
	while (!thread_done)
		usleep(1000);
	return NULL;
}

int main(void)
{
	pthread_t th;
	pid_t me = getpid(), p;
	int st;

	t_start("kill, tkill, tgkill", 20);
	signal(SIGUSR1, on_usr1);
	EXPECT(kill(me, 0), 0, 0);
	EXPECT(kill(me, -1), -1, EINVAL);
	EXPECT(kill(me, 65), -1, EINVAL);
	EXPECT(kill(me, SIGUSR1), 0, 0);
	CHECK(got_usr1 == 1, "kill to self: the handler ran before kill returned");

	p = fork();
	if (p == 0)
		_exit(0);
	t_reap(p);
	EXPECT(kill(p, 0), -1, ESRCH);
	EXPECT(syscall(SYS_tkill, p, 0), -1, ESRCH);
	EXPECT(syscall(SYS_tgkill, p, p, 0), -1, ESRCH);

	EXPECT(syscall(SYS_tkill, gettid(), SIGUSR1), 0, 0);
	CHECK(got_usr1 == 2, "tkill to self");
	EXPECT(syscall(SYS_tkill, 0, SIGUSR1), -1, EINVAL);
	EXPECT(syscall(SYS_tkill, -5, SIGUSR1), -1, EINVAL);
	EXPECT(syscall(SYS_tgkill, me, 0, SIGUSR1), -1, EINVAL);
	EXPECT(syscall(SYS_tgkill, 0, me, SIGUSR1), -1, EINVAL);
	EXPECT(syscall(SYS_tgkill, me, me, 65), -1, EINVAL);
	EXPECT(syscall(SYS_tgkill, me, me, SIGUSR1), 0, 0);
	CHECK(got_usr1 == 3, "tgkill to self");

	pthread_create(&th, NULL, thread_main, NULL);
	while (!thread_tid)
		usleep(1000);
	EXPECT(syscall(SYS_tgkill, me, thread_tid, 0), 0, 0);
	p = fork();
	if (p == 0) {
		for (;;)
			pause();
	}
	EXPECT(syscall(SYS_tgkill, p, thread_tid, 0), -1, ESRCH);
	thread_done = 1;
	pthread_join(th, NULL);
	EXPECT(kill(p, SIGKILL), 0, 0);
	st = t_reap(p);
	printf("child: %s\n", t_status(st));

	/* Process groups. */
	p = fork();
	if (p == 0) {
		pid_t member;

		setpgid(0, 0);
		member = fork();
		if (member == 0) {
			for (;;)
				pause();
		}
		setpgid(member, getpgrp());
		signal(SIGUSR2, SIG_IGN);      /* after the fork: the member keeps SIG_DFL */
		kill(0, SIGUSR2);
		st = t_reap(member);
		printf("group member after kill(0, SIGUSR2): %s\n", t_status(st));
		if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGUSR2)
			_exit(1);
		member = fork();
		if (member == 0) {
			for (;;)
				pause();
		}
		setpgid(member, getpgrp());
		signal(SIGTERM, SIG_IGN);
		kill(-getpgrp(), SIGTERM);
		st = t_reap(member);
		printf("group member after kill(-pgrp, SIGTERM): %s\n", t_status(st));
		if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGTERM)
			_exit(1);
		_exit(0);
	}
	st = t_reap(p);
	printf("group child: %s\n", t_status(st));
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the group's members died, its leader did not");
	return t_end();
}
