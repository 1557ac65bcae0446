/* Threads: each thread has its own mask; a process-directed signal goes
 * to a thread that does not block it; pthread_kill/tgkill reaches exactly
 * the named thread; sigwait in a thread takes a process-directed signal
 * that every thread blocks; a fatal signal kills every thread (in a child
 * process); exit_group ends every thread with the group's status. */
#include "t.h"
#include <pthread.h>

static volatile pid_t handler_tid;
static pid_t worker_tid;
static volatile int stop_worker;
static pthread_barrier_t bar;

static void on_usr1(int sig)
{
	(void)sig;
	handler_tid = gettid();
}

static void *worker(void *arg)
{
	sigset_t set;

	(void)arg;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);   /* only this thread takes it */
	worker_tid = gettid();
	pthread_barrier_wait(&bar);
	while (!stop_worker)
		usleep(1000);
	return NULL;
}

static void *waiter(void *arg)
{
	sigset_t set;
	int sig = 0;

	(void)arg;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	pthread_barrier_wait(&bar);
	sigwait(&set, &sig);
	return (void *)(long)sig;
}

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

int main(void)
{
	pthread_t w, s;
	sigset_t set;
	void *ret;
	pid_t p;
	int st;

	t_start("threads", 20);
	signal(SIGUSR1, on_usr1);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &set, NULL);     /* main blocks both */
	pthread_barrier_init(&bar, NULL, 2);

	pthread_create(&w, NULL, worker, NULL);
	pthread_barrier_wait(&bar);
	kill(getpid(), SIGUSR1);
	while (!handler_tid)
		usleep(1000);
	CHECK(handler_tid == worker_tid, "process-directed SIGUSR1 ran on the unblocking thread");
	handler_tid = 0;
	EXPECT_RC(pthread_kill(w, SIGUSR1), 0);
	while (!handler_tid)
		usleep(1000);
	CHECK(handler_tid == worker_tid, "pthread_kill reached the named thread");
	/* To main, which blocks it: pending on main only. */
	handler_tid = 0;
	syscall(SYS_tgkill, getpid(), gettid(), SIGUSR1);
	usleep(20000);
	{
		sigset_t pend;

		sigpending(&pend);
		CHECK(handler_tid == 0 && sigismember(&pend, SIGUSR1),
		      "tgkill to the blocking main thread: stays pending there");
		sigemptyset(&pend);
		sigaddset(&pend, SIGUSR1);
		EXPECT(sigtimedwait(&pend, NULL, &(struct timespec){ 0, 0 }), SIGUSR1, 0);
	}
	stop_worker = 1;
	pthread_join(w, NULL);

	pthread_create(&w, NULL, waiter, NULL);
	pthread_barrier_wait(&bar);
	usleep(20000);
	kill(getpid(), SIGUSR2);
	pthread_join(w, &ret);
	CHECK((long)ret == SIGUSR2, "sigwait in a thread took the process's SIGUSR2");

	/* A fatal signal to one thread kills the whole process. */
	p = fork();
	if (p == 0) {
		pthread_t th;

		signal(SIGTERM, SIG_DFL);
		pthread_create(&th, NULL, sleeper, NULL);
		pthread_kill(th, SIGTERM);
		for (;;)
			pause();
	}
	st = t_reap(p);
	printf("child with a thread killed by SIGTERM: %s\n", t_status(st));
	/* exit_group from a thread. */
	p = fork();
	if (p == 0) {
		pthread_create(&s, NULL, sleeper, NULL);
		syscall(SYS_exit_group, 42);
	}
	st = t_reap(p);
	printf("child whose main called exit_group(42): %s\n", t_status(st));
	/* The main thread exits alone (SYS_exit): the process lives on until
	 * its last thread exits. */
	p = fork();
	if (p == 0) {
		pthread_create(&s, NULL, sleeper, NULL);
		alarm(0);
		pthread_kill(s, 0);
		syscall(SYS_exit, 0);      /* the main thread only */
	}
	usleep(50000);
	EXPECT(waitpid(p, &st, WNOHANG), 0, 0);
	kill(p, SIGKILL);
	st = t_reap(p);
	printf("child after its main thread exited, then SIGKILL: %s\n", t_status(st));
	return t_end();
}
