/* The served calls' errors, in the kernel's order: bad pointers (EFAULT),
 * bad signals and sizes (EINVAL), SIGKILL's action (EINVAL), a pid
 * outside the tree (ESRCH), the old action and mask read back. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static long sys(long nr, long a, long b, long c, long d)
{
	long r = syscall(nr, a, b, c, d);

	return r < 0 ? -errno : r;
}

int main(void)
{
	unsigned long mask = 0, old = 0;
	struct { unsigned long h, f, r, m; } act = { 0 }, oact;

	printf("sigaction bad act: %ld\n", sys(SYS_rt_sigaction, SIGUSR1, 8, 0, 8));
	printf("sigaction bad size: %ld\n", sys(SYS_rt_sigaction, SIGUSR1, 0, 0, 4));
	printf("sigaction SIGKILL: %ld\n", sys(SYS_rt_sigaction, SIGKILL, (long)&act, 0, 8));
	printf("sigaction 0: %ld\n", sys(SYS_rt_sigaction, 0, 0, (long)&oact, 8));
	printf("sigaction 65: %ld\n", sys(SYS_rt_sigaction, 65, 0, (long)&oact, 8));
	printf("sigaction bad oact: %ld\n", sys(SYS_rt_sigaction, SIGUSR1, 0, 8, 8));
	printf("sigprocmask bad how: %ld\n", sys(SYS_rt_sigprocmask, 7, (long)&mask, 0, 8));
	printf("sigprocmask bad how, no set: %ld\n", sys(SYS_rt_sigprocmask, 7, 0, (long)&old, 8));
	printf("sigprocmask bad set: %ld\n", sys(SYS_rt_sigprocmask, SIG_BLOCK, 8, 0, 8));
	mask = ~0ul;
	printf("block all: %ld\n", sys(SYS_rt_sigprocmask, SIG_BLOCK, (long)&mask, 0, 8));
	printf("read back: %ld\n", sys(SYS_rt_sigprocmask, SIG_BLOCK, 0, (long)&old, 8));
	printf("mask %lx\n", old);
	printf("kill 64: %ld\n", sys(SYS_kill, getpid(), 64, 0, 0));
	printf("kill 65: %ld\n", sys(SYS_kill, getpid(), 65, 0, 0));
	printf("kill self 0: %ld\n", sys(SYS_kill, getpid(), 0, 0, 0));
	printf("tgkill bad: %ld\n", sys(SYS_tgkill, 0, getpid(), SIGUSR1, 0));
	printf("tgkill wrong group: %ld\n", sys(SYS_tgkill, getpid() + 100000, getpid(), 0, 0));
	printf("sigpending bad: %ld\n", sys(SYS_rt_sigpending, 8, 8, 0, 0));
	printf("sigpending size: %ld\n", sys(SYS_rt_sigpending, (long)&old, 16, 0, 0));
	printf("sigaltstack bad: %ld\n", sys(SYS_sigaltstack, 8, 0, 0, 0));
	printf("sigsuspend bad: %ld\n", sys(SYS_rt_sigsuspend, 8, 8, 0, 0));
	return 0;
}
