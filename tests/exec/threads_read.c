/* Threads blocked in a host read of a pipe take process-directed signals
 * (SA_RESTART: each read restarts on the host), then read the data; a
 * default SIGTERM kills the whole process while a thread is blocked. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <stdatomic.h>
static atomic_int hits; static int fd[2];
static void h(int s) { (void)s; atomic_fetch_add(&hits, 1); }
static void *w(void *a) { char c; (void)a; if (read(fd[0], &c, 1) != 1) printf("read failed\n"); return NULL; }
int main(void) {
	setvbuf(stdout, NULL, _IONBF, 0);
	struct sigaction sa; memset(&sa, 0, sizeof sa); sa.sa_handler = h; sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	pipe(fd);
	pthread_t t[3];
	for (int i = 0; i < 3; i++) pthread_create(&t[i], NULL, w, NULL);
	sigset_t s; sigemptyset(&s); sigaddset(&s, SIGUSR1); pthread_sigmask(SIG_BLOCK, &s, NULL);
	usleep(20000);
	for (int i = 0; i < 100; i++) { kill(getpid(), SIGUSR1); usleep(200); }
	write(fd[1], "abc", 3);
	for (int i = 0; i < 3; i++) pthread_join(t[i], NULL);
	printf("hits > 0: %d\n", atomic_load(&hits) > 0);
	pthread_create(&t[0], NULL, w, NULL);
	usleep(20000);
	kill(getpid(), SIGTERM);
	pause();
	return 0;
}
