/* rt_sigaction: install, query with a NULL act, the old action through
 * oldact, the signals that cannot be caught, the sigsetsize check, bad
 * pointers (a bad oldact still installs the new action: the kernel copies
 * oldact out after do_sigaction), SA_RESETHAND, SA_NODEFER, sa_mask and
 * SA_SIGINFO's si_code. */
#include "t.h"

struct k_sigaction {            /* the kernel's struct sigaction (x86-64) */
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	unsigned long mask;
};

static volatile sig_atomic_t runs, usr2_blocked, usr1_blocked, code;

static void on_usr1(int sig)
{
	sigset_t cur;

	(void)sig;
	runs++;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	usr1_blocked = sigismember(&cur, SIGUSR1);
	usr2_blocked = sigismember(&cur, SIGUSR2);
}

static void on_info(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	code = si->si_code;
}

int main(void)
{
	struct sigaction sa, old;
	struct k_sigaction ka;

	t_start("sigaction", 20);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	EXPECT(sigaction(SIGUSR1, NULL, &old), 0, 0);
	CHECK(old.sa_handler == SIG_DFL, "SIGUSR1 starts SIG_DFL");
	EXPECT(sigaction(SIGUSR1, &sa, NULL), 0, 0);
	EXPECT(sigaction(SIGUSR1, NULL, &old), 0, 0);
	CHECK(old.sa_handler == on_usr1, "query with NULL act returns the handler");
	sa.sa_handler = SIG_IGN;
	EXPECT(sigaction(SIGUSR1, &sa, &old), 0, 0);
	CHECK(old.sa_handler == on_usr1, "oldact holds the replaced handler");
	EXPECT(sigaction(SIGUSR1, NULL, NULL), 0, 0);

	EXPECT(sigaction(SIGKILL, &sa, NULL), -1, EINVAL);
	EXPECT(sigaction(SIGSTOP, &sa, NULL), -1, EINVAL);
	EXPECT(sigaction(SIGKILL, NULL, &old), 0, 0);
	EXPECT(sigaction(0, NULL, &old), -1, EINVAL);
	EXPECT(syscall(SYS_rt_sigaction, 65, NULL, &ka, 8), -1, EINVAL);
	EXPECT(syscall(SYS_rt_sigaction, SIGUSR1, NULL, &ka, 4), -1, EINVAL);
	EXPECT(syscall(SYS_rt_sigaction, SIGUSR1, NULL, &ka, 16), -1, EINVAL);
	EXPECT(syscall(SYS_rt_sigaction, SIGUSR1, T_BAD, NULL, 8), -1, EFAULT);
	/* A bad act is read before the signal number is checked. */
	EXPECT(syscall(SYS_rt_sigaction, SIGKILL, T_BAD, NULL, 8), -1, EFAULT);
	EXPECT(syscall(SYS_rt_sigaction, 65, T_BAD, NULL, 8), -1, EFAULT);
	/* A bad oldact: EFAULT, and the new action is installed all the same. */
	memset(&ka, 0, sizeof(ka));
	ka.handler = SIG_DFL;
	EXPECT(syscall(SYS_rt_sigaction, SIGUSR1, &ka, T_BAD, 8), -1, EFAULT);
	EXPECT(sigaction(SIGUSR1, NULL, &old), 0, 0);
	CHECK(old.sa_handler == SIG_DFL, "the action was installed despite EFAULT");

	/* sa_mask and the signal itself are blocked while the handler runs. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaddset(&sa.sa_mask, SIGUSR2);
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	CHECK(runs == 1 && usr1_blocked && usr2_blocked,
	      "handler ran with SIGUSR1 and sa_mask's SIGUSR2 blocked");
	/* SA_NODEFER: the signal itself is not blocked. */
	sa.sa_flags = SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	CHECK(runs == 2 && !usr1_blocked, "SA_NODEFER: SIGUSR1 not blocked in its handler");
	/* SA_RESETHAND: one run, then SIG_DFL. */
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	sigaction(SIGUSR1, NULL, &old);
	CHECK(runs == 3 && old.sa_handler == SIG_DFL, "SA_RESETHAND: reset to SIG_DFL after one run");
	CHECK(old.sa_flags & SA_RESETHAND, "SA_RESETHAND: only the handler is reset, the flag stays");
	/* SA_SIGINFO: si_code tells how the signal was sent. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_info;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR2, &sa, NULL);
	kill(getpid(), SIGUSR2);
	CHECK(code == SI_USER, "kill: si_code SI_USER");
	syscall(SYS_tgkill, getpid(), gettid(), SIGUSR2);
	CHECK(code == SI_TKILL, "tgkill: si_code SI_TKILL");
	sigqueue(getpid(), SIGUSR2, (union sigval){ .sival_int = 1 });
	CHECK(code == SI_QUEUE, "sigqueue: si_code SI_QUEUE");
	return t_end();
}
