/* Resource limits the kernel enforces with signals: RLIMIT_CPU sends
 * SIGXCPU (SI_KERNEL, to the process) when the process's CPU time
 * reaches the soft limit (kernel/time/posix-cpu-timers.c
 * check_process_timers); RLIMIT_FSIZE fails a write past it with EFBIG
 * after SIGXFSZ (SI_USER from the writer itself: mm/filemap.c
 * generic_write_check_limits), which a handler sees and an ignored one
 * does not prevent.  The CPU limit is 1 s; the program spins for it. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t got, code, self;

static void on_sig(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got = sig;
	code = si->si_code;
	self = si->si_pid == getpid();
}

static void cpu(void)
{
	struct rlimit rl = { 1, 3 };
	volatile unsigned long spin = 0;

	if (setrlimit(RLIMIT_CPU, &rl))
		return;
	while (!got)
		spin++;
	printf("cpu: signal %d code %d\n", (int)got, (int)code);
}

/* In a child, whose report comes back through a pipe: stdout may be a
 * file, which the limit would cut short too. */
static void fsize_child(int out)
{
	struct rlimit rl = { 4, 4 }, nocore = { 0, 0 };
	char path[] = "/tmp/siglab-rlimit-XXXXXX", line[160];
	int fd = mkstemp(path), len;
	ssize_t n;

	if (fd < 0)
		_exit(1);
	unlink(path);
	setrlimit(RLIMIT_CORE, &nocore);
	setrlimit(RLIMIT_FSIZE, &rl);
	got = 0;
	n = write(fd, "abcdef", 6);
	len = snprintf(line, sizeof line, "fsize: first write = %zd\n", n);
	(void)!write(out, line, (size_t)len);
	n = write(fd, "gh", 2);
	len = snprintf(line, sizeof line,
		       "fsize: write past the limit = %zd (%s), signal %d code %d from itself %d\n",
		       n, n < 0 ? strerror(errno) : "ok", (int)got, (int)code, (int)self);
	(void)!write(out, line, (size_t)len);
	signal(SIGXFSZ, SIG_IGN);
	got = 0;
	n = write(fd, "gh", 2);
	len = snprintf(line, sizeof line, "fsize: ignored: write = %zd (%s), handler ran %d\n",
		       n, n < 0 ? strerror(errno) : "ok", got != 0);
	(void)!write(out, line, (size_t)len);
	signal(SIGXFSZ, SIG_DFL);
	n = write(fd, "gh", 2);
	_exit(3);	/* not reached: the default action kills */
}

static void fsize(void)
{
	char buf[512];
	int p[2], status;
	ssize_t n;
	pid_t kid;

	if (pipe(p))
		return;
	kid = fork();
	if (kid == 0) {
		close(p[0]);
		fsize_child(p[1]);
	}
	close(p[1]);
	while ((n = read(p[0], buf, sizeof buf)) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	waitpid(kid, &status, 0);
	printf("fsize: child %s %d%s\n", WIFSIGNALED(status) ? "killed by" : "exited",
	       WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status),
	       WIFSIGNALED(status) && WCOREDUMP(status) ? " (core dumped)" : "");
}

int main(void)
{
	struct sigaction sa;

	setvbuf(stdout, NULL, _IONBF, 0);
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_sig;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGXCPU, &sa, NULL);
	sigaction(SIGXFSZ, &sa, NULL);
	fsize();
	cpu();
	return 0;
}
