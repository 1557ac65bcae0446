/* fork, exit statuses and SIGCHLD: a child exits 7, one is killed by the
 * parent's SIGTERM, one dies of its own SIGSEGV; the parent's SIGCHLD
 * handler sees CLD_* codes; wait statuses as the shell reads them. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t chld;

static void on_chld(int sig)
{
	(void)sig;
	chld++;
}

static void report(pid_t c)
{
	int st;

	waitpid(c, &st, 0);
	if (WIFEXITED(st))
		printf("child exited %d\n", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		printf("child killed by %d\n", WTERMSIG(st));
}

int main(void)
{
	struct sigaction sa;
	sigset_t chldset, none;
	pid_t c;

	setvbuf(stdout, NULL, _IONBF, 0);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_chld;
	sigaction(SIGCHLD, &sa, NULL);
	sigemptyset(&chldset);
	sigaddset(&chldset, SIGCHLD);
	sigemptyset(&none);

	sigprocmask(SIG_BLOCK, &chldset, NULL);
	c = fork();
	if (c == 0)
		_exit(7);
	sigsuspend(&none);
	printf("sigchld seen: %d\n", (int)chld);
	report(c);

	c = fork();
	if (c == 0) {
		pause();
		_exit(0);
	}
	kill(c, SIGTERM);
	sigsuspend(&none);
	report(c);

	c = fork();
	if (c == 0) {
		signal(SIGSEGV, SIG_DFL);
		*(volatile int *)0 = 1;
		_exit(0);
	}
	sigsuspend(&none);
	report(c);
	printf("sigchld total: %d\n", (int)chld);
	{
		char path[64], buf[256] = "";
		FILE *f;

		snprintf(path, sizeof path, "/proc/%d/task/%d/children", getpid(), getpid());
		f = fopen(path, "r");
		if (f) {
			if (!fgets(buf, sizeof buf, f))
				buf[0] = 0;
			fclose(f);
		}
		printf("children left: \"%s\"\n", buf);
	}
	return 0;
}
