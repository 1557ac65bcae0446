/* nanosleep and clock_nanosleep with restart: a handler interrupts them
 * with EINTR (even with SA_RESTART: a sleep is restarted only through
 * restart_syscall, never after a handler) and nanosleep writes the time
 * left; a signal with no handler that stops and continues the process, or
 * one that is ignored, does not interrupt them (restart_syscall resumes
 * the remaining time); TIMER_ABSTIME; invalid times EINVAL; bad pointers
 * EFAULT; clock_nanosleep returns its error instead of setting errno.
 * (nanosleep is called raw: glibc's nanosleep is clock_nanosleep.) */
#include "t.h"
#include <time.h>

static volatile sig_atomic_t runs;

static void on_usr1(int sig)
{
	(void)sig;
	runs++;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A child that, once the parent sleeps in NR, sends each signal in turn. */
static pid_t sender(long nr, const int *sigs, int n)
{
	pid_t parent = getpid(), p = fork();

	if (p == 0) {
		for (int i = 0; i < n; i++) {
			t_wait_in_syscall(parent, nr);
			kill(parent, sigs[i]);
			usleep(20000);
		}
		_exit(0);
	}
	return p;
}

int main(void)
{
	struct sigaction sa;
	struct timespec req = { 0, 300000000 }, rem = { 0, 0 }, abs;
	double t0, slept;
	int usr1[] = { SIGUSR1 }, stopcont[] = { SIGURG, SIGSTOP, SIGCONT };
	pid_t p;

	t_start("nanosleep and clock_nanosleep", 20);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGURG, SIG_IGN);

	p = sender(SYS_nanosleep, usr1, 1);
	EXPECT(syscall(SYS_nanosleep, &req, &rem), -1, EINTR);
	CHECK(runs == 1, "the handler ran (SA_RESTART does not restart a sleep)");
	CHECK(rem.tv_sec == 0 && rem.tv_nsec > 0 && rem.tv_nsec < 300000000,
	      "rem: the time left, 0 < rem < 300 ms");
	t_reap(p);

	p = sender(SYS_clock_nanosleep, usr1, 1);
	EXPECT_RC(clock_nanosleep(CLOCK_MONOTONIC, 0, &req, &rem), EINTR);
	CHECK(runs == 2, "clock_nanosleep interrupted by the handler");
	t_reap(p);

	/* Ignored SIGURG, then SIGSTOP and SIGCONT: the sleep goes on and
	 * lasts its whole time. */
	t0 = now_s();
	p = sender(SYS_nanosleep, stopcont, 3);
	EXPECT(syscall(SYS_nanosleep, &req, NULL), 0, 0);
	slept = now_s() - t0;
	CHECK(slept >= 0.3, "slept its whole time across stop and continue");
	t_reap(p);

	clock_gettime(CLOCK_MONOTONIC, &abs);
	abs.tv_nsec += 300000000;
	if (abs.tv_nsec >= 1000000000) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000;
	}
	p = sender(SYS_clock_nanosleep, stopcont, 3);
	EXPECT_RC(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL), 0);
	t_reap(p);
	p = sender(SYS_clock_nanosleep, usr1, 1);
	abs.tv_sec += 1;
	EXPECT_RC(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL), EINTR);
	t_reap(p);
	CHECK(runs == 3, "TIMER_ABSTIME interrupted by the handler");

	req.tv_nsec = 1000000000;
	EXPECT(syscall(SYS_nanosleep, &req, NULL), -1, EINVAL);
	req.tv_nsec = -1;
	EXPECT(syscall(SYS_nanosleep, &req, NULL), -1, EINVAL);
	EXPECT(syscall(SYS_nanosleep, T_BAD, NULL), -1, EFAULT);
	req.tv_nsec = 1000;
	EXPECT_RC(clock_nanosleep(12345, 0, &req, NULL), EINVAL);
	EXPECT_RC(clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &req, NULL), EINVAL);
	EXPECT_RC(clock_nanosleep(CLOCK_MONOTONIC, 0, T_BAD, NULL), EFAULT);
	/* A bad rem matters only when the sleep is interrupted. */
	EXPECT(syscall(SYS_nanosleep, &req, T_BAD), 0, 0);
	req.tv_nsec = 300000000;
	p = sender(SYS_nanosleep, usr1, 1);
	EXPECT(syscall(SYS_nanosleep, &req, T_BAD), -1, EFAULT);
	t_reap(p);
	return t_end();
}
