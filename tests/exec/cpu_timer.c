/* POSIX timers on CPU-time clocks (kernel/time/posix-cpu-timers.c): a
 * timer on CLOCK_PROCESS_CPUTIME_ID, on CLOCK_THREAD_CPUTIME_ID, on the
 * clocks clock_getcpuclockid and pthread_getcpuclockid return, and on
 * another process's clock, expires when that clock reaches it; its signal
 * is SI_TIMER with sigev_value and the timer's id; a periodic one blocked
 * counts its missed periods as overrun; a SIGEV_NONE one reads 0 once
 * expired; an uncaught one kills.  The clocks' errors: EINVAL for a thread
 * clock of another process, for a process clock of a thread that is not a
 * leader and for an unknown clock, EOPNOTSUPP for CLOCK_MONOTONIC_RAW.
 * Spins are short (under 0.3 s of CPU each) and margins wide (40 ms). */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MS 1000000LL

static volatile sig_atomic_t got, code, value, timerid;

static void on_sig(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got = sig;
	code = si->si_code;
	value = si->si_value.sival_int;
	timerid = si->si_timerid;
}

static long long now_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Burns CPU on clock c until `ns` more of it have passed or a signal came. */
static void spin(clockid_t c, long long ns, int stop_at_signal)
{
	long long end = now_ns(c) + ns;
	volatile unsigned long x = 0;

	while (now_ns(c) < end && !(stop_at_signal && got))
		for (int i = 0; i < 1000; i++)
			x += (unsigned long)i;
}

static int raw_create(clockid_t c, struct sigevent *ev, timer_t *t)
{
	int id = -1;
	long r = syscall(SYS_timer_create, c, ev, &id);

	*t = (timer_t)(long)id;
	return r ? -errno : 0;
}

static void arm(timer_t t, long long value, long long interval)
{
	struct itimerspec its = { { interval / 1000000000, interval % 1000000000 },
				  { value / 1000000000, value % 1000000000 } };

	timer_settime(t, 0, &its, NULL);
}

static void errors(void)
{
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1 };
	timer_t t;
	pid_t c = fork();
	clockid_t cc;

	if (c == 0) {
		pause();
		_exit(0);
	}
	printf("monotonic_raw: %s\n", strerror(-raw_create(CLOCK_MONOTONIC_RAW, &ev, &t)));
	printf("clock 10: %s\n", strerror(-raw_create(10, &ev, &t)));
	/* a thread clock of another process: MAKE_THREAD_CPUCLOCK(c, SCHED) */
	printf("child's thread clock: %s\n",
	       strerror(-raw_create((clockid_t)((~(unsigned)c << 3) | 6), &ev, &t)));
	clock_getcpuclockid(c, &cc);
	printf("child's process clock: %d\n", raw_create(cc, &ev, &t));
	timer_delete(t);
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
}

static void *leader_clock(void *arg)
{
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1 };
	pid_t me = (pid_t)syscall(SYS_gettid);
	timer_t t;

	(void)arg;
	/* a process clock of a thread that is not the leader: EINVAL */
	printf("non-leader's process clock: %s\n",
	       strerror(-raw_create((clockid_t)((~(unsigned)me << 3) | 2), &ev, &t)));
	return NULL;
}

static void process_timer(void)
{
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGALRM,
			       .sigev_value.sival_int = 7 };
	struct itimerspec cur;
	timer_t t;
	long long start;

	timer_create(CLOCK_PROCESS_CPUTIME_ID, &ev, &t);
	arm(t, 50 * MS, 0);
	timer_gettime(t, &cur);
	printf("process: armed, reads %s\n",
	       cur.it_value.tv_nsec > 0 && cur.it_value.tv_nsec <= 50 * MS ? "in (0, 50ms]" : "??");
	start = now_ns(CLOCK_PROCESS_CPUTIME_ID);
	got = 0;
	spin(CLOCK_PROCESS_CPUTIME_ID, 200 * MS, 1);
	printf("process: sig %d code %d value %d timerid %s, after %s\n", (int)got, (int)code,
	       (int)value, timerid == (int)(long)t ? "ok" : "??",
	       now_ns(CLOCK_PROCESS_CPUTIME_ID) - start >= 50 * MS ? ">= 50ms" : "< 50ms");
	timer_gettime(t, &cur);
	printf("process: fired, reads %ld.%09ld / %ld\n", (long)cur.it_value.tv_sec,
	       cur.it_value.tv_nsec, (long)cur.it_interval.tv_sec);
	timer_delete(t);
}

static void *spinner(void *arg)
{
	(void)arg;
	spin(CLOCK_THREAD_CPUTIME_ID, 200 * MS, 1);
	return NULL;
}

static void thread_timer(void)
{
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1,
			       .sigev_value.sival_int = 9 };
	pthread_t th;
	clockid_t tc;
	timer_t t;
	sigset_t s;

	/* the spinner's clock; the signal to the process, whose main thread
	 * waits for it with SIGUSR1 blocked */
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &s, NULL);
	got = 0;
	pthread_create(&th, NULL, spinner, NULL);
	pthread_getcpuclockid(th, &tc);
	timer_create(tc, &ev, &t);
	arm(t, 40 * MS, 0);
	siginfo_t si;
	int sig = sigwaitinfo(&s, &si);
	got = 1;
	pthread_join(th, NULL);
	printf("thread clock: sig %d code %d value %d\n", sig, si.si_code, si.si_value.sival_int);
	timer_delete(t);
	pthread_sigmask(SIG_UNBLOCK, &s, NULL);
}

static void overrun(void)
{
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR2 };
	timer_t t;
	sigset_t s;
	siginfo_t si;

	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	sigprocmask(SIG_BLOCK, &s, NULL);
	timer_create(CLOCK_THREAD_CPUTIME_ID, &ev, &t);
	arm(t, 30 * MS, 100 * MS);
	spin(CLOCK_THREAD_CPUTIME_ID, 280 * MS, 0);	/* 30, 130, 230 passed */
	sigwaitinfo(&s, &si);
	printf("overrun: sig %d code %d overrun %d getoverrun %d\n", si.si_signo, si.si_code,
	       si.si_overrun, timer_getoverrun(t));
	timer_delete(t);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
}

static void sigev_none(void)
{
	struct sigevent ev = { .sigev_notify = SIGEV_NONE };
	struct itimerspec cur;
	timer_t t;

	timer_create(CLOCK_PROCESS_CPUTIME_ID, &ev, &t);
	arm(t, 10 * MS, 0);
	spin(CLOCK_PROCESS_CPUTIME_ID, 50 * MS, 0);
	timer_gettime(t, &cur);
	printf("sigev_none: expired one-shot reads %ld.%09ld\n", (long)cur.it_value.tv_sec,
	       cur.it_value.tv_nsec);
	arm(t, 0, 1000 * MS);
	timer_gettime(t, &cur);
	printf("sigev_none: disarmed reads %ld.%09ld / %ld\n", (long)cur.it_value.tv_sec,
	       cur.it_value.tv_nsec, (long)cur.it_interval.tv_sec);
	timer_delete(t);
}

static void uncaught(void)
{
	pid_t c = fork();
	int st;

	if (c == 0) {
		struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGTERM };
		timer_t t;

		timer_create(CLOCK_THREAD_CPUTIME_ID, &ev, &t);
		arm(t, 40 * MS, 0);
		spin(CLOCK_THREAD_CPUTIME_ID, 1000 * MS, 0);
		_exit(3);
	}
	waitpid(c, &st, 0);
	printf("uncaught: child %s %d\n", WIFSIGNALED(st) ? "killed by" : "exited",
	       WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
}

/* The parent's timer on its child's process clock: the child's CPU time
 * fires it, and the signal comes to the parent. */
static void other_process(void)
{
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1,
			       .sigev_value.sival_int = 11 };
	int go[2];
	pid_t c;
	clockid_t cc;
	timer_t t;
	sigset_t s;
	siginfo_t si;
	char b;

	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, NULL);
	if (pipe(go))
		return;
	c = fork();
	if (c == 0) {
		if (read(go[0], &b, 1) != 1)
			_exit(1);
		spin(CLOCK_PROCESS_CPUTIME_ID, 200 * MS, 0);
		_exit(0);
	}
	clock_getcpuclockid(c, &cc);
	timer_create(cc, &ev, &t);
	arm(t, 40 * MS, 0);
	if (write(go[1], "x", 1) != 1)
		return;
	sigwaitinfo(&s, &si);
	printf("child's clock: sig %d code %d value %d\n", si.si_signo, si.si_code,
	       si.si_value.sival_int);
	waitpid(c, NULL, 0);
	timer_delete(t);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
}

int main(void)
{
	struct sigaction sa = { .sa_sigaction = on_sig, .sa_flags = SA_SIGINFO };
	pthread_t th;

	setvbuf(stdout, NULL, _IOLBF, 0);
	sigaction(SIGALRM, &sa, NULL);
	errors();
	pthread_create(&th, NULL, leader_clock, NULL);
	pthread_join(th, NULL);
	process_timer();
	thread_timer();
	overrun();
	sigev_none();
	uncaught();
	other_process();
	return 0;
}
