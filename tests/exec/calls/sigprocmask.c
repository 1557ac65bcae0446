/* rt_sigprocmask: SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK, oldset alone,
 * SIGKILL and SIGSTOP silently never blocked, an invalid how (ignored when
 * set is NULL), the sigsetsize check, bad pointers (a bad oldset still
 * changes the mask: the kernel copies it out afterwards); and
 * rt_sigpending: blocked signals, process- and thread-directed, a short
 * sigsetsize accepted, a long one refused. */
#include "t.h"

static unsigned long mask_now(void)
{
	unsigned long m = 0;

	syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &m, 8);
	return m;
}

#define BIT(s) (1UL << ((s) - 1))

int main(void)
{
	unsigned long set, old, pend;
	unsigned int small;

	t_start("sigprocmask and sigpending", 20);
	set = BIT(SIGUSR1) | BIT(SIGKILL) | BIT(SIGSTOP);
	EXPECT(syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, &old, 8), 0, 0);
	CHECK(old == 0, "the mask starts empty");
	CHECK(mask_now() == BIT(SIGUSR1), "SIGKILL and SIGSTOP are dropped from the mask");
	set = BIT(SIGUSR2);
	EXPECT(syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 8), 0, 0);
	CHECK(mask_now() == (BIT(SIGUSR1) | BIT(SIGUSR2)), "SIG_BLOCK adds");
	set = BIT(SIGUSR1);
	EXPECT(syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, &set, &old, 8), 0, 0);
	CHECK(old == (BIT(SIGUSR1) | BIT(SIGUSR2)), "oldset is the mask before");
	CHECK(mask_now() == BIT(SIGUSR2), "SIG_UNBLOCK removes");
	set = BIT(SIGHUP) | BIT(SIGRTMIN + 1);
	EXPECT(syscall(SYS_rt_sigprocmask, SIG_SETMASK, &set, NULL, 8), 0, 0);
	CHECK(mask_now() == set, "SIG_SETMASK replaces (real-time signals too)");
	EXPECT(syscall(SYS_rt_sigprocmask, 7, &set, NULL, 8), -1, EINVAL);
	EXPECT(syscall(SYS_rt_sigprocmask, 7, NULL, &old, 8), 0, 0);
	EXPECT(syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 4), -1, EINVAL);
	EXPECT(syscall(SYS_rt_sigprocmask, SIG_BLOCK, T_BAD, NULL, 8), -1, EFAULT);
	set = BIT(SIGINT);
	EXPECT(syscall(SYS_rt_sigprocmask, SIG_SETMASK, &set, T_BAD, 8), -1, EFAULT);
	CHECK(mask_now() == BIT(SIGINT), "the mask changed despite the bad oldset");

	/* rt_sigpending: the union of thread and process pending sets, only
	 * blocked ones can be seen. */
	set = BIT(SIGUSR1) | BIT(SIGUSR2) | BIT(SIGRTMIN);
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &set, NULL, 8);
	EXPECT(syscall(SYS_rt_sigpending, &pend, 8), 0, 0);
	CHECK(pend == 0, "nothing pending");
	kill(getpid(), SIGUSR1);                                 /* shared */
	syscall(SYS_tgkill, getpid(), gettid(), SIGUSR2);        /* private */
	sigqueue(getpid(), SIGRTMIN, (union sigval){ 0 });
	sigqueue(getpid(), SIGRTMIN, (union sigval){ 0 });
	EXPECT(syscall(SYS_rt_sigpending, &pend, 8), 0, 0);
	CHECK(pend == set, "SIGUSR1 (process), SIGUSR2 (thread), SIGRTMIN pending");
	small = 0;
	EXPECT(syscall(SYS_rt_sigpending, &small, 4), 0, 0);
	CHECK(small == (unsigned int)set, "a 4-byte sigsetsize gets the low half");
	EXPECT(syscall(SYS_rt_sigpending, &pend, 16), -1, EINVAL);
	EXPECT(syscall(SYS_rt_sigpending, T_BAD, 8), -1, EFAULT);
	/* Unblocking with SIG_IGN: the pending signals are discarded. */
	signal(SIGUSR1, SIG_IGN);
	signal(SIGUSR2, SIG_IGN);
	signal(SIGRTMIN, SIG_IGN);
	EXPECT(syscall(SYS_rt_sigpending, &pend, 8), 0, 0);
	CHECK(pend == 0, "setting SIG_IGN discards pending signals");
	return t_end();
}
