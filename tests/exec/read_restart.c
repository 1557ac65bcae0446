/* A host-owned blocking call (read on a real pipe) interrupted by a
 * model signal: without SA_RESTART read fails with EINTR; with it, read
 * restarts and returns the data a child writes later; an ignored signal
 * restarts it invisibly. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t hits;

static void on_alrm(int sig)
{
	(void)sig;
	hits++;
}

static void arm(int ms)
{
	struct itimerval it = { { 0, 0 }, { 0, ms * 1000 } };

	setitimer(ITIMER_REAL, &it, NULL);
}

int main(void)
{
	struct sigaction sa;
	int fd[2];
	char buf[8];
	ssize_t n;
	pid_t c;

	setvbuf(stdout, NULL, _IONBF, 0);
	pipe(fd);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alrm;
	sigaction(SIGALRM, &sa, NULL);
	arm(30);
	n = read(fd[0], buf, sizeof buf);
	printf("read = %zd errno=%s hits=%d\n", n, strerror(errno), (int)hits);

	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	c = fork();
	if (c == 0) {
		usleep(150 * 1000);
		write(fd[1], "hi", 2);
		_exit(0);
	}
	arm(30);
	n = read(fd[0], buf, sizeof buf);
	printf("restarted read = %zd hits=%d\n", n, (int)hits);
	waitpid(c, NULL, 0);

	signal(SIGALRM, SIG_IGN);
	c = fork();
	if (c == 0) {
		usleep(150 * 1000);
		write(fd[1], "yo", 2);
		_exit(0);
	}
	arm(30);
	n = read(fd[0], buf, sizeof buf);
	printf("ignored: read = %zd hits=%d\n", n, (int)hits);
	waitpid(c, NULL, 0);
	return 0;
}
