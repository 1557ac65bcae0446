/* Threads: pthread_kill to a thread with a handler, a process-directed
 * signal blocked in main and taken by the one thread that does not block
 * it, pthread_sigmask per thread. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t who;	/* 1 main, 2 worker */
static __thread int me;
static pthread_barrier_t bar;

static void on_usr(int sig)
{
	(void)sig;
	who = me;
}

static void *worker(void *arg)
{
	sigset_t s;

	(void)arg;
	me = 2;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	pthread_sigmask(SIG_UNBLOCK, &s, NULL);
	pthread_barrier_wait(&bar);
	while (!who)
		usleep(1000);
	pthread_barrier_wait(&bar);
	/* wait for the directed one */
	pthread_barrier_wait(&bar);
	return NULL;
}

int main(void)
{
	pthread_t t;
	sigset_t s;
	struct sigaction sa;

	setvbuf(stdout, NULL, _IONBF, 0);
	me = 1;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &s, NULL);
	pthread_barrier_init(&bar, NULL, 2);
	pthread_create(&t, NULL, worker, NULL);
	pthread_barrier_wait(&bar);
	kill(getpid(), SIGUSR1);
	pthread_barrier_wait(&bar);
	printf("process-directed SIGUSR1 taken by thread %d\n", (int)who);
	who = 0;
	pthread_kill(t, SIGUSR2);
	while (!who)
		usleep(1000);
	printf("pthread_kill SIGUSR2 taken by thread %d\n", (int)who);
	pthread_barrier_wait(&bar);
	pthread_join(t, NULL);
	printf("joined\n");
	return 0;
}
