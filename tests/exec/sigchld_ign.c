/* Seed 003: with SIGCHLD ignored, children are not turned into zombies,
 * and wait() returns -1 with ECHILD once they have all exited; the same
 * with SA_NOCLDWAIT and a handler (which still runs).  The children a
 * wait reaped, or the kernel reaped for the parent, are gone (the host's
 * /proc children list). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t calls;

static void on_chld(int sig)
{
	(void)sig;
	calls++;
}

static int zombies(void)
{
	char path[64], buf[512];
	int n = 0;

	snprintf(path, sizeof path, "/proc/%d/task/%d/children", getpid(), getpid());
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	if (fgets(buf, sizeof buf, f))
		for (char *p = buf; *p; p++)
			n += *p == ' ';
	fclose(f);
	return n;
}

int main(void)
{
	struct sigaction sa;
	int r;

	setvbuf(stdout, NULL, _IONBF, 0);
	signal(SIGCHLD, SIG_IGN);
	for (int i = 0; i < 3; i++)
		if (fork() == 0)
			_exit(i);
	r = wait(NULL);
	printf("wait = %d errno=%s\n", r, strerror(errno));
	usleep(50 * 1000);
	printf("children left: %d\n", zombies());

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_chld;
	sa.sa_flags = SA_NOCLDWAIT;
	sigaction(SIGCHLD, &sa, NULL);
	if (fork() == 0)
		_exit(0);
	r = wait(NULL);
	printf("wait = %d errno=%s\n", r, strerror(errno));
	usleep(50 * 1000);
	printf("handler calls: %d, children left: %d\n", (int)calls, zombies());
	return 0;
}
