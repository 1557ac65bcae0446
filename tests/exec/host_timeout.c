/* A host call with a host timeout against a model sleep: the child polls
 * nothing for 100 ms (poll runs on the host, its timeout by the host's
 * clock), the parent sleeps 300 ms in the model; natively the child's
 * line comes first.  Under --virtual-time the model's clock must not jump
 * while a guest waits with a host timeout (its wait ends in real time),
 * or the parent's sleep would end first.  The same for select, epoll_wait
 * and a futex wait with a timeout. */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <poll.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void host_wait(int how)
{
	struct timeval tv = { 0, 100000 };
	struct timespec ts = { 0, 100000000 };
	int word = 0, ep;
	struct epoll_event ev;

	switch (how) {
	case 0:
		poll(NULL, 0, 100);
		break;
	case 1:
		select(0, NULL, NULL, NULL, &tv);
		break;
	case 2:
		ep = epoll_create1(0);
		epoll_wait(ep, &ev, 1, 100);
		close(ep);
		break;
	default:
		syscall(SYS_futex, &word, FUTEX_WAIT, 0, &ts, NULL, 0);
		break;
	}
}

int main(void)
{
	static const char *const names[] = { "poll", "select", "epoll_wait", "futex" };

	setvbuf(stdout, NULL, _IONBF, 0);
	for (int how = 0; how < 4; how++) {
		struct timespec t = { 0, 300000000 };
		pid_t c = fork();

		if (c == 0) {
			host_wait(how);
			printf("child: %s timed out\n", names[how]);
			_exit(0);
		}
		nanosleep(&t, NULL);
		printf("parent: slept\n");
		waitpid(c, NULL, 0);
	}
	return 0;
}
