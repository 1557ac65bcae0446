/* timer_create, timer_settime, timer_gettime, timer_getoverrun,
 * timer_delete: a SIGEV_SIGNAL timer delivers SI_TIMER with its value; a
 * periodic timer whose signal stays blocked counts overruns; absolute
 * expiry; SIGEV_NONE never signals but runs; SIGEV_THREAD_ID to this
 * thread; invalid clock, timer id, flags, sigev_notify: EINVAL; bad
 * pointers EFAULT; a deleted timer is gone. */
#include "t.h"
#include <time.h>

static volatile sig_atomic_t fired;
static siginfo_t got;

static void on_sig(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	got = *si;
	fired++;
}

#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid
#endif

int main(void)
{
	struct sigaction sa;
	struct sigevent sev;
	struct itimerspec its, cur;
	struct timespec now;
	sigset_t set;
	timer_t t1, t2, t3;
	int sig;

	t_start("POSIX timers", 20);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sig;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGRTMIN, &sa, NULL);

	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGRTMIN;
	sev.sigev_value.sival_int = 1234;
	EXPECT(timer_create(CLOCK_MONOTONIC, &sev, &t1), 0, 0);
	memset(&its, 0, sizeof(its));
	its.it_value.tv_nsec = 20000000;
	EXPECT(timer_settime(t1, 0, &its, NULL), 0, 0);
	EXPECT(timer_gettime(t1, &cur), 0, 0);
	CHECK(cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 &&
	      cur.it_value.tv_nsec <= 20000000, "timer_gettime: 0 < left <= 20 ms");
	while (!fired)
		pause();
	CHECK(got.si_code == SI_TIMER && got.si_value.sival_int == 1234,
	      "SIGRTMIN with SI_TIMER and value 1234");
	EXPECT(timer_gettime(t1, &cur), 0, 0);
	CHECK(cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0, "disarmed after one shot");

	/* Overruns: a 5 ms periodic timer, its signal blocked for 100 ms. */
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &set, NULL);
	its.it_value.tv_nsec = 5000000;
	its.it_interval.tv_nsec = 5000000;
	EXPECT(timer_settime(t1, 0, &its, NULL), 0, 0);
	usleep(100000);
	its.it_value.tv_nsec = 0;
	its.it_interval.tv_nsec = 0;
	EXPECT(sigwait(&set, &sig), 0, 0);
	{
		int ov = timer_getoverrun(t1);

		CHECK(ov >= 5, "overrun counted while blocked (>= 5)");
	}
	EXPECT(timer_settime(t1, 0, &its, NULL), 0, 0);
	EXPECT(timer_getoverrun(t1), 0, 0);     /* reset by timer_settime */
	sigprocmask(SIG_UNBLOCK, &set, NULL);

	/* Absolute expiry on CLOCK_MONOTONIC. */
	fired = 0;
	clock_gettime(CLOCK_MONOTONIC, &now);
	its.it_value = now;
	its.it_value.tv_nsec += 20000000;
	if (its.it_value.tv_nsec >= 1000000000) {
		its.it_value.tv_sec++;
		its.it_value.tv_nsec -= 1000000000;
	}
	EXPECT(timer_settime(t1, TIMER_ABSTIME, &its, NULL), 0, 0);
	while (!fired)
		pause();
	CHECK(fired == 1, "absolute expiry fired");

	/* SIGEV_NONE: runs, never signals. */
	sev.sigev_notify = SIGEV_NONE;
	EXPECT(timer_create(CLOCK_REALTIME, &sev, &t2), 0, 0);
	its.it_value.tv_sec = 0;
	its.it_value.tv_nsec = 10000000;
	fired = 0;
	EXPECT(timer_settime(t2, 0, &its, NULL), 0, 0);
	usleep(30000);
	CHECK(fired == 0, "SIGEV_NONE: no signal");
	EXPECT(timer_delete(t2), 0, 0);

	/* SIGEV_THREAD_ID to this thread. */
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_notify_thread_id = gettid();
	sev.sigev_value.sival_int = 99;
	EXPECT(timer_create(CLOCK_MONOTONIC, &sev, &t3), 0, 0);
	EXPECT(timer_settime(t3, 0, &its, NULL), 0, 0);
	while (!fired)
		pause();
	CHECK(got.si_value.sival_int == 99, "SIGEV_THREAD_ID: value 99");
	EXPECT(timer_delete(t3), 0, 0);

	/* Errors. */
	sev.sigev_notify = SIGEV_SIGNAL;
	EXPECT(timer_create(12345, &sev, &t2), -1, EINVAL);
	sev.sigev_notify = 77;
	EXPECT(timer_create(CLOCK_MONOTONIC, &sev, &t2), -1, EINVAL);
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = 65;
	EXPECT(timer_create(CLOCK_MONOTONIC, &sev, &t2), -1, EINVAL);
	EXPECT(syscall(SYS_timer_create, CLOCK_MONOTONIC, T_BAD, &t2), -1, EFAULT);
	sev.sigev_signo = SIGRTMIN;
	EXPECT(syscall(SYS_timer_create, CLOCK_MONOTONIC, &sev, T_BAD), -1, EFAULT);
	EXPECT(syscall(SYS_timer_settime, 4242, 0, &its, NULL), -1, EINVAL);
	its.it_value.tv_nsec = 0;
	EXPECT(timer_settime(t1, 0x10, &its, NULL), 0, 0);    /* unknown flags ignored */
	its.it_value.tv_nsec = 1000000000;
	EXPECT(timer_settime(t1, 0, &its, NULL), -1, EINVAL);
	EXPECT(syscall(SYS_timer_settime, 0, 0, T_BAD, NULL), -1, EFAULT);
	EXPECT(syscall(SYS_timer_gettime, 0, T_BAD), -1, EFAULT);
	EXPECT(syscall(SYS_timer_getoverrun, 4242), -1, EINVAL);
	EXPECT(timer_delete(t1), 0, 0);
	EXPECT(syscall(SYS_timer_delete, 0), -1, EINVAL);
	EXPECT(syscall(SYS_timer_gettime, 0, &cur), -1, EINVAL);
	return t_end();
}
