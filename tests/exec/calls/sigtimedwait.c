/* rt_sigtimedwait: a pending blocked signal is taken with its siginfo;
 * real-time signals in order, each with its value; a zero timeout is
 * EAGAIN at once, a short one EAGAIN after it expires; an invalid timeout
 * EINVAL; a signal sent while waiting; a bad info pointer is EFAULT after
 * the signal was taken (it is gone); a bad set or timeout is EFAULT. */
#include "t.h"
#include <time.h>

int main(void)
{
	struct timespec zero = { 0, 0 }, short_ts = { 0, 20000000 }, bad = { 0, 1000000000 };
	siginfo_t si;
	sigset_t set, pend;
	pid_t p, me = getpid();

	t_start("sigtimedwait", 20);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGRTMIN);
	sigaddset(&set, SIGRTMIN + 1);
	sigprocmask(SIG_BLOCK, &set, NULL);

	EXPECT(sigtimedwait(&set, &si, &zero), -1, EAGAIN);
	EXPECT(sigtimedwait(&set, &si, &short_ts), -1, EAGAIN);
	EXPECT(sigtimedwait(&set, &si, &bad), -1, EINVAL);

	kill(me, SIGUSR1);
	EXPECT(sigtimedwait(&set, &si, &zero), SIGUSR1, 0);
	CHECK(si.si_code == SI_USER && si.si_pid == me && si.si_uid == getuid(),
	      "siginfo: SI_USER from this process");

	sigqueue(me, SIGRTMIN + 1, (union sigval){ .sival_int = 30 });
	sigqueue(me, SIGRTMIN, (union sigval){ .sival_int = 10 });
	sigqueue(me, SIGRTMIN, (union sigval){ .sival_int = 20 });
	EXPECT(sigwaitinfo(&set, &si) - SIGRTMIN, 0, 0);
	CHECK(si.si_code == SI_QUEUE && si.si_value.sival_int == 10, "first SIGRTMIN, value 10");
	EXPECT(sigwaitinfo(&set, &si) - SIGRTMIN, 0, 0);
	CHECK(si.si_value.sival_int == 20, "second SIGRTMIN, value 20");
	EXPECT(sigwaitinfo(&set, &si) - SIGRTMIN, 1, 0);
	CHECK(si.si_value.sival_int == 30, "then SIGRTMIN+1, value 30");

	/* Sent by a child while we wait. */
	p = fork();
	if (p == 0) {
		t_wait_in_syscall(me, SYS_rt_sigtimedwait);
		sigqueue(me, SIGRTMIN, (union sigval){ .sival_int = 7 });
		_exit(0);
	}
	EXPECT(sigwaitinfo(&set, &si) - SIGRTMIN, 0, 0);
	CHECK(si.si_pid == p && si.si_value.sival_int == 7, "from the child, value 7");
	t_reap(p);

	/* A bad info pointer: EFAULT, and the signal has been dequeued. */
	kill(me, SIGUSR1);
	EXPECT(syscall(SYS_rt_sigtimedwait, &set, T_BAD, &zero, 8), -1, EFAULT);
	sigpending(&pend);
	CHECK(!sigismember(&pend, SIGUSR1), "the signal was taken despite EFAULT");
	EXPECT(syscall(SYS_rt_sigtimedwait, T_BAD, &si, &zero, 8), -1, EFAULT);
	EXPECT(syscall(SYS_rt_sigtimedwait, &set, &si, T_BAD, 8), -1, EFAULT);
	EXPECT(syscall(SYS_rt_sigtimedwait, &set, &si, &zero, 4), -1, EINVAL);
	/* NULL info is fine. */
	kill(me, SIGUSR1);
	EXPECT(syscall(SYS_rt_sigtimedwait, &set, NULL, &zero, 8), SIGUSR1, 0);
	return t_end();
}
