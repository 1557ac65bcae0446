/* wait4/waitid answered by the model: a child stopped by SIGSTOP is
 * reported with WUNTRACED, continued with WCONTINUED, then killed;
 * waitid with WNOWAIT leaves it waitable; WNOHANG with nothing ready;
 * ECHILD; killpg of a group the child made with setpgid. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_usr1(int sig)
{
	(void)sig;
	printf("child got SIGUSR1\n");
	_exit(5);
}

int main(void)
{
	siginfo_t si;
	pid_t c, k;
	int st, r;

	setvbuf(stdout, NULL, _IONBF, 0);
	c = fork();
	if (c == 0) {
		for (;;)
			pause();
	}
	printf("wnohang = %d\n", (int)waitpid(c, &st, WNOHANG));
	kill(c, SIGSTOP);
	r = waitpid(c, &st, WUNTRACED);
	printf("stopped: %d sig=%d\n", r == c && WIFSTOPPED(st), WSTOPSIG(st));
	kill(c, SIGCONT);
	r = waitpid(c, &st, WCONTINUED);
	printf("continued: %d\n", r == c && WIFCONTINUED(st));
	kill(c, SIGKILL);
	memset(&si, 0, sizeof si);
	r = waitid(P_PID, c, &si, WEXITED | WNOWAIT);
	printf("waitid nowait = %d (%s) code=%d status=%d pid_ok=%d\n", r, r ? strerror(errno) : "", si.si_code, si.si_status,
	       si.si_pid == c);
	r = waitpid(c, &st, 0);
	printf("reaped: %d signaled=%d sig=%d\n", r == c, WIFSIGNALED(st), WTERMSIG(st));
	r = waitpid(-1, &st, 0);
	printf("no child: %d %s\n", r, strerror(errno));

	c = fork();
	if (c == 0) {
		signal(SIGUSR1, on_usr1);
		setpgid(0, 0);
		for (;;)
			pause();
	}
	while (getpgid(c) != c)
		usleep(1000);
	/* the child's output comes first: it prints and exits before the
	 * wait returns, whoever runs first after the kill */
	r = killpg(c, SIGUSR1);
	k = waitpid(c, &st, 0);
	printf("killpg = %d\n", r);
	printf("exited: %d code=%d\n", k == c && WIFEXITED(st), WEXITSTATUS(st));
	return 0;
}
