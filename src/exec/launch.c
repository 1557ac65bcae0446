/* Starts the first guest (gVisor's ptrace platform, strace's startup): the
 * child waits until the tracer has seized it, installs the seccomp filter
 * with no new privileges, and executes the program.  The host then has
 * default dispositions and an empty mask for it, and keeps them: the
 * guest's own sigaction and sigprocmask never reach the host. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exec/exec.h"

#define SEIZE_OPTIONS (PTRACE_O_EXITKILL | PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACESECCOMP | \
		       PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | \
		       PTRACE_O_TRACEEXEC)

/* The child's side: nothing here may return. */
static _Noreturn void child(char **argv, int go, int report)
{
	sigset_t none;
	struct rlimit nocore = { 0, 0 };
	char c;
	int err;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	/* The model writes no core (RLIMIT_CORE 0, as shells do). */
	setrlimit(RLIMIT_CORE, &nocore);
	if (read(go, &c, 1) != 1)
		_exit(127);
	close(go);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || exec_install_filter()) {
		err = errno;
		(void)!write(report, &err, sizeof err);
		_exit(127);
	}
	execvp(argv[0], argv);
	err = errno;
	(void)!write(report, &err, sizeof err);
	_exit(127);
}

pid_t exec_launch(char **argv, int *err)
{
	int go[2], report[2];
	pid_t pid;
	ssize_t n;

	*err = 0;
	if (pipe2(go, O_CLOEXEC) || pipe2(report, O_CLOEXEC)) {
		*err = errno;
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		*err = errno;
		return -1;
	}
	if (pid == 0) {
		close(go[1]);
		close(report[0]);
		child(argv, go[0], report[1]);
	}
	close(go[0]);
	close(report[1]);
	if (ptrace(PTRACE_SEIZE, pid, 0, (void *)(long)SEIZE_OPTIONS)) {
		*err = errno;
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		close(go[1]);
		close(report[0]);
		return -1;
	}
	(void)!write(go[1], "g", 1);
	close(go[1]);
	/* EOF: execve succeeded (the pipe is close-on-exec). */
	n = read(report[0], err, sizeof *err);
	close(report[0]);
	if (n != (ssize_t)sizeof *err)
		*err = 0;
	return pid;
}
