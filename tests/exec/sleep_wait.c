/* Model-owned blocking calls: pause woken by alarm's SIGALRM (a handler:
 * EINTR), sigsuspend with a temporary mask, sigtimedwait with a timeout
 * that expires (EAGAIN) and one that finds a pending signal, nanosleep
 * interrupted by an itimer (EINTR, time left) and a plain nanosleep. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t hits;

static void on_sig(int sig)
{
	(void)sig;
	hits++;
}

int main(void)
{
	struct sigaction sa;
	sigset_t set, old, none;
	struct timespec ts = { 0, 30 * 1000 * 1000 }, rem = { 0, 0 };
	struct itimerval it = { { 0, 0 }, { 0, 50 * 1000 } };
	siginfo_t si;
	int r;

	setvbuf(stdout, NULL, _IONBF, 0);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sig;
	sigaction(SIGALRM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);

	alarm(1);
	r = pause();
	printf("pause = %d errno=%s hits=%d\n", r, strerror(errno), (int)hits);

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	kill(getpid(), SIGUSR1);
	printf("blocked: hits=%d\n", (int)hits);
	sigemptyset(&none);
	r = sigsuspend(&none);
	printf("sigsuspend = %d errno=%s hits=%d\n", r, strerror(errno), (int)hits);

	r = sigtimedwait(&set, &si, &ts);
	printf("sigtimedwait = %d errno=%s\n", r, strerror(errno));
	kill(getpid(), SIGUSR1);
	r = sigtimedwait(&set, &si, &ts);
	printf("sigtimedwait = %d si_code=%d pid_ok=%d hits=%d\n", r, si.si_code,
	       si.si_pid == getpid(), (int)hits);

	setitimer(ITIMER_REAL, &it, NULL);
	ts.tv_sec = 5;
	ts.tv_nsec = 0;
	r = nanosleep(&ts, &rem);
	printf("nanosleep = %d errno=%s rem_ok=%d hits=%d\n", r, strerror(errno),
	       rem.tv_sec >= 3 && rem.tv_sec < 5, (int)hits);
	ts.tv_sec = 0;
	ts.tv_nsec = 10 * 1000 * 1000;
	r = nanosleep(&ts, NULL);
	printf("nanosleep = %d\n", r);
	return 0;
}
