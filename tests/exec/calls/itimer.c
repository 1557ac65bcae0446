/* alarm, setitimer and getitimer: alarm returns the seconds left (rounded
 * to nearest, as alarm_setitimer does) and fires SIGALRM; alarm(0)
 * cancels; ITIMER_REAL periodic fires repeatedly; setitimer's old value
 * and getitimer never exceed what was set; ITIMER_VIRTUAL and ITIMER_PROF
 * fire while the process runs; invalid which EINVAL, tv_usec >= 1e6
 * EINVAL; bad pointers EFAULT. No alarm() bound here (alarm is under
 * test): the periodic timers bound the run, scripts/ bound it too. */
#include "t.h"
#include <sys/time.h>

static volatile sig_atomic_t alrm, vtalrm, prof;

static void on_sig(int sig)
{
	if (sig == SIGALRM)
		alrm++;
	else if (sig == SIGVTALRM)
		vtalrm++;
	else
		prof++;
}

static long usec(struct timeval tv)
{
	return tv.tv_sec * 1000000L + tv.tv_usec;
}

int main(void)
{
	struct itimerval it, old;
	struct sigaction sa;
	volatile unsigned long spin = 0;

	t_start("alarm, setitimer, getitimer", 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sig;
	sigaction(SIGALRM, &sa, NULL);
	sigaction(SIGVTALRM, &sa, NULL);
	sigaction(SIGPROF, &sa, NULL);

	EXPECT(alarm(5), 0, 0);
	EXPECT(alarm(3), 5, 0);
	EXPECT(alarm(0), 3, 0);
	EXPECT(alarm(0), 0, 0);
	EXPECT(alarm(1), 0, 0);
	EXPECT(pause(), -1, EINTR);
	CHECK(alrm == 1, "alarm(1) fired SIGALRM once");

	memset(&it, 0, sizeof(it));
	it.it_value.tv_usec = 20000;
	it.it_interval.tv_usec = 20000;
	EXPECT(setitimer(ITIMER_REAL, &it, &old), 0, 0);
	CHECK(usec(old.it_value) == 0, "old value: disarmed");
	EXPECT(getitimer(ITIMER_REAL, &old), 0, 0);
	CHECK(usec(old.it_value) > 0 && usec(old.it_value) <= 20000 &&
	      usec(old.it_interval) == 20000, "getitimer: 0 < value <= 20 ms, interval 20 ms");
	alrm = 0;
	while (alrm < 3)
		pause();
	CHECK(alrm >= 3, "the periodic ITIMER_REAL fired (at least) three times");
	memset(&it, 0, sizeof(it));
	EXPECT(setitimer(ITIMER_REAL, &it, &old), 0, 0);
	CHECK(usec(old.it_interval) == 20000, "disarmed; the old interval was 20 ms");

	it.it_value.tv_usec = 10000;
	EXPECT(setitimer(ITIMER_VIRTUAL, &it, NULL), 0, 0);
	EXPECT(setitimer(ITIMER_PROF, &it, NULL), 0, 0);
	while (!vtalrm || !prof)
		spin++;
	CHECK(vtalrm == 1 && prof == 1, "ITIMER_VIRTUAL and ITIMER_PROF fired once each");

	EXPECT(setitimer(3, &it, NULL), -1, EINVAL);
	EXPECT(getitimer(3, &old), -1, EINVAL);
	it.it_value.tv_usec = 1000000;
	EXPECT(setitimer(ITIMER_REAL, &it, NULL), -1, EINVAL);
	EXPECT(setitimer(ITIMER_REAL, T_BAD, NULL), -1, EFAULT);
	EXPECT(getitimer(ITIMER_REAL, T_BAD), -1, EFAULT);
	/* NULL new value: Linux treats it as a query that disarms. */
	it.it_value.tv_sec = 100;
	it.it_value.tv_usec = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	EXPECT(syscall(SYS_setitimer, ITIMER_REAL, NULL, &old), 0, 0);
	CHECK(old.it_value.tv_sec >= 99, "the old value of the 100 s timer");
	EXPECT(getitimer(ITIMER_REAL, &old), 0, 0);
	printf("after setitimer(NULL): %s\n", usec(old.it_value) ? "armed" : "disarmed");
	setitimer(ITIMER_REAL, &(struct itimerval){ 0 }, NULL);
	return t_end();
}
