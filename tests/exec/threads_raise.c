/* Four threads raise() 2,000 times each while the main thread sends
 * 500 process-directed signals: every handler runs, nothing hangs. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <stdatomic.h>
static atomic_int hits;
static void h(int s) { (void)s; atomic_fetch_add(&hits, 1); }
static void *w(void *a) { (void)a; for (int i = 0; i < 2000; i++) { raise(SIGUSR1); if (i % 100 == 0) usleep(100); } return NULL; }
int main(void) {
	struct sigaction sa; memset(&sa, 0, sizeof sa); sa.sa_handler = h; sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL); sigaction(SIGUSR2, &sa, NULL);
	pthread_t t[4];
	for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, w, NULL);
	for (int i = 0; i < 500; i++) kill(getpid(), SIGUSR2);
	for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
	printf("hits >= 8000: %d\n", atomic_load(&hits) >= 8000);
	return 0;
}
