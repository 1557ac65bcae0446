/* rt_sigqueueinfo and rt_tgsigqueueinfo: siginfo delivered as given
 * (si_code, si_value); si_code >= 0 or SI_TKILL to another process is
 * EPERM, but allowed to oneself; si_signo is not checked;
 * wrong tgid/tid is ESRCH; a bad siginfo pointer EFAULT. */
#include "t.h"

static siginfo_t got;

static void on_sig(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	got = *si;
}

static void fill(siginfo_t *si, int sig, int code, int val)
{
	memset(si, 0, sizeof(*si));
	si->si_signo = sig;
	si->si_code = code;
	si->si_pid = getpid();
	si->si_uid = getuid();
	si->si_value.sival_int = val;
}

int main(void)
{
	struct sigaction sa;
	siginfo_t si;
	pid_t me = getpid(), tid = gettid(), child;
	int st;

	t_start("rt_sigqueueinfo and rt_tgsigqueueinfo", 20);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sig;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGRTMIN, &sa, NULL);

	fill(&si, SIGRTMIN, SI_QUEUE, 42);
	EXPECT(syscall(SYS_rt_sigqueueinfo, me, SIGRTMIN, &si), 0, 0);
	CHECK(got.si_signo == SIGRTMIN && got.si_code == SI_QUEUE && got.si_value.sival_int == 42,
	      "delivered with SI_QUEUE and value 42");
	fill(&si, SIGUSR1, -60, 5);     /* any negative code (SI_ASYNCNL) */
	EXPECT(syscall(SYS_rt_tgsigqueueinfo, me, tid, SIGUSR1, &si), 0, 0);
	CHECK(got.si_code == -60 && got.si_value.sival_int == 5, "rt_tgsigqueueinfo: code -60, value 5");
	/* To oneself, a kernel-looking code is allowed. */
	fill(&si, SIGUSR1, SI_KERNEL, 0);
	EXPECT(syscall(SYS_rt_sigqueueinfo, me, SIGUSR1, &si), 0, 0);
	CHECK(got.si_code == SI_KERNEL, "to oneself: SI_KERNEL delivered");
	/* si_signo in the siginfo is not checked against the signal sent. */
	fill(&si, SIGUSR2, SI_QUEUE, 9);
	EXPECT(syscall(SYS_rt_sigqueueinfo, me, SIGUSR1, &si), 0, 0);
	printf("si_signo seen by the handler: %s, value %d\n", sigabbrev_np(got.si_signo),
	       got.si_value.sival_int);
	EXPECT(syscall(SYS_rt_sigqueueinfo, me, SIGUSR1, T_BAD), -1, EFAULT);
	EXPECT(syscall(SYS_rt_tgsigqueueinfo, me, tid, SIGUSR1, T_BAD), -1, EFAULT);
	fill(&si, SIGUSR1, SI_QUEUE, 0);
	EXPECT(syscall(SYS_rt_tgsigqueueinfo, me, 0, SIGUSR1, &si), -1, EINVAL);
	EXPECT(syscall(SYS_rt_sigqueueinfo, me, 65, &si), -1, EINVAL);

	child = fork();
	if (child == 0) {
		for (;;)
			pause();
	}
	fill(&si, SIGTERM, SI_USER, 0);
	EXPECT(syscall(SYS_rt_sigqueueinfo, child, SIGTERM, &si), -1, EPERM);
	fill(&si, SIGTERM, SI_TKILL, 0);
	EXPECT(syscall(SYS_rt_sigqueueinfo, child, SIGTERM, &si), -1, EPERM);
	fill(&si, SIGTERM, SI_QUEUE, 0);
	EXPECT(syscall(SYS_rt_tgsigqueueinfo, me, child, SIGTERM, &si), -1, ESRCH);
	EXPECT(syscall(SYS_rt_tgsigqueueinfo, child, child, SIGTERM, &si), 0, 0);
	st = t_reap(child);
	printf("child: %s\n", t_status(st));
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM, "child killed by SIGTERM");
	return t_end();
}
