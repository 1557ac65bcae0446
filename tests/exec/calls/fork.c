/* fork, vfork, clone, clone3: a child inherits handlers, the mask and
 * ignored signals but not pending signals; vfork suspends the parent until
 * the child exits; a clone with exit signal SIGUSR1 notifies its parent
 * with SIGUSR1 and is waited for only with __WCLONE or __WALL; exit signal
 * 0 notifies nothing; clone3 with an invalid exit signal is EINVAL. */
#include "t.h"
#include <linux/sched.h>
#include <sched.h>

static volatile sig_atomic_t usr1, chld;

static void on_sig(int sig)
{
	if (sig == SIGUSR1)
		usr1++;
	else
		chld++;
}

/* The child's report, as its exit code: bit 0 handler inherited, bit 1
 * mask inherited, bit 2 ignored inherited, bit 3 pending not inherited. */
static int report(void)
{
	struct sigaction cur;
	sigset_t mask, pend;
	int r = 0;

	sigaction(SIGUSR1, NULL, &cur);
	r |= cur.sa_handler == on_sig;
	sigprocmask(SIG_BLOCK, NULL, &mask);
	r |= sigismember(&mask, SIGUSR2) << 1;
	sigaction(SIGHUP, NULL, &cur);
	r |= (cur.sa_handler == SIG_IGN) << 2;
	sigpending(&pend);
	r |= !sigismember(&pend, SIGUSR2) << 3;
	return r;
}

static pid_t raw_clone(unsigned long flags)
{
	return (pid_t)syscall(SYS_clone, flags, NULL, NULL, NULL, NULL);
}

int main(void)
{
	struct sigaction sa;
	struct clone_args ca;
	sigset_t set;
	volatile int shared = 0;
	pid_t p;
	int st;

	t_start("fork, vfork, clone, clone3", 20);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sig;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	signal(SIGHUP, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	raise(SIGUSR2);                 /* pending in the parent */

	p = fork();
	if (p == 0)
		_exit(report());
	st = t_reap(p);
	printf("fork child: %s\n", t_status(st));
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 15,
	      "fork: handler, mask and SIG_IGN inherited, pending not");

	/* vfork: the parent runs again only once the child has exited. */
	p = vfork();
	if (p == 0) {
		shared = 1;
		_exit(report());
	}
	CHECK(shared == 1, "vfork: the parent resumed after the child ran");
	st = t_reap(p);
	printf("vfork child: %s\n", t_status(st));

	/* clone with SIGUSR1 as the exit signal. */
	chld = usr1 = 0;
	p = raw_clone(SIGUSR1);
	if (p == 0)
		_exit(4);
	EXPECT(waitpid(p, &st, 0), -1, ECHILD);
	EXPECT(waitpid(p, &st, __WCLONE) == p, 1, 0);
	printf("clone(SIGUSR1) child: %s\n", t_status(st));
	CHECK(usr1 == 1 && chld == 0, "its parent got SIGUSR1, not SIGCHLD");
	p = raw_clone(0);
	if (p == 0)
		_exit(5);
	EXPECT(waitpid(p, &st, __WALL) == p, 1, 0);
	CHECK(usr1 == 1 && chld == 0 && WEXITSTATUS(st) == 5, "exit signal 0: no signal");

	memset(&ca, 0, sizeof(ca));
	ca.exit_signal = SIGCHLD;
	p = (pid_t)syscall(SYS_clone3, &ca, sizeof(ca));
	if (p == 0)
		_exit(report());
	st = t_reap(p);
	printf("clone3 child: %s\n", t_status(st));
	CHECK(chld == 1, "clone3 child's exit: SIGCHLD");
	ca.exit_signal = 65;
	EXPECT(syscall(SYS_clone3, &ca, sizeof(ca)), -1, EINVAL);
	EXPECT(syscall(SYS_clone3, T_BAD, sizeof(ca)), -1, EFAULT);
	/* CLONE_SIGHAND needs CLONE_VM; CLONE_THREAD needs CLONE_SIGHAND. */
	EXPECT(raw_clone(CLONE_SIGHAND | SIGCHLD), -1, EINVAL);
	EXPECT(raw_clone(CLONE_THREAD | CLONE_VM | SIGCHLD), -1, EINVAL);
	return t_end();
}
