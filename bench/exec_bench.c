/*
 * exec_bench: what `siglab exec` costs a program, in one run.
 *
 *   exec_bench [--siglab PATH] [--seconds S]
 *
 * Two loops, each timed inside the program itself (clock_gettime through
 * the vDSO: no system call, so nothing the tracer sees), run natively and
 * under `PATH exec --` (default ../build/siglab):
 *   kill-self  kill(getpid(), SIGUSR1) with a handler installed: the
 *              generation, the delivery (a frame on the stack), the handler
 *              and rt_sigreturn; two system calls per operation, both
 *              served by the model under exec.
 *   sigprocmask  rt_sigprocmask(SIG_BLOCK, NULL, &old): a call the model
 *              serves that delivers nothing: one stop in the tracer and
 *              back, the fixed cost of every served call.
 *   getpid     syscall(SYS_getpid): a system call siglab does not serve;
 *              under exec it should never stop in the tracer (seccomp lets
 *              it through), so its goal is 1.2x of native or better.
 * kill-self minus two sigprocmask is then what delivery itself costs
 * under exec (the frame, the handler's run, restoring the registers).
 * Each loop runs in batches until S seconds (default 0.5) have passed and
 * prints nanoseconds per operation; the table gives native and exec side
 * by side and the ratio exec/native.  Without `siglab exec` (`PATH exec
 * --help` fails) the exec column is skipped with the reason.
 *
 *   exec_bench --loop NAME S   (internal) run one loop, print ns/op
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t handled;

static void on_usr1(int sig)
{
	(void)sig;
	handled++;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void kill_self_batch(long n)
{
	pid_t me = getpid();

	for (long i = 0; i < n; i++)
		kill(me, SIGUSR1);
}

static void sigprocmask_batch(long n)
{
	unsigned long old;

	for (long i = 0; i < n; i++)
		syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &old, 8);
}

static void getpid_batch(long n)
{
	for (long i = 0; i < n; i++)
		syscall(SYS_getpid);
}

/* Runs one loop for about `seconds`, prints ns per operation. */
static int run_loop(const char *name, double seconds)
{
	void (*batch)(long);
	struct sigaction sa;
	long ops = 0, n = 100;
	double t0, el;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	if (!strcmp(name, "kill-self"))
		batch = kill_self_batch;
	else if (!strcmp(name, "sigprocmask"))
		batch = sigprocmask_batch;
	else if (!strcmp(name, "getpid"))
		batch = getpid_batch;
	else
		return 2;
	batch(n);                       /* warm up */
	handled = 0;
	t0 = now_ns();
	do {
		batch(n);
		ops += n;
		if (n < 100000)
			n *= 2;
		el = now_ns() - t0;
	} while (el < seconds * 1e9);
	if (batch == kill_self_batch && handled != ops) {
		fprintf(stderr, "exec_bench: %ld signals sent, %ld handled\n",
			ops, (long)handled);
		return 1;
	}
	printf("%.1f %ld\n", el / (double)ops, ops);
	return 0;
}

/* Runs `argv` (this program in --loop mode, maybe under siglab exec) and
 * reads its ns/op; returns a negative value when it failed. */
static double measure(char **argv, long *ops)
{
	int fds[2], st;
	char buf[128] = "";
	double ns = -1;
	ssize_t got;
	pid_t p;

	if (pipe(fds))
		return -1;
	p = fork();
	if (p == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	got = read(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	if (waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st) != 0 || got <= 0)
		return -1;
	buf[got] = '\0';
	if (sscanf(buf, "%lf %ld", &ns, ops) != 2)
		return -1;
	return ns;
}

static int exec_available(const char *siglab)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "'%s' exec --help > /dev/null 2>&1", siglab);
	return system(cmd) == 0;
}

int main(int argc, char **argv)
{
	static const char *const loops[] = { "kill-self", "sigprocmask", "getpid" };
	const char *siglab = "../build/siglab";
	char self[4096], secs[32] = "0.5";
	ssize_t n;
	int have_exec;

	if (argc == 4 && !strcmp(argv[1], "--loop"))
		return run_loop(argv[2], atof(argv[3]));
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--siglab") && i + 1 < argc)
			siglab = argv[++i];
		else if (!strcmp(argv[i], "--seconds") && i + 1 < argc)
			snprintf(secs, sizeof(secs), "%s", argv[++i]);
		else {
			fprintf(stderr, "usage: exec_bench [--siglab PATH] [--seconds S]\n");
			return 2;
		}
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return 2;
	self[n] = '\0';
	have_exec = exec_available(siglab);
	printf("exec_bench: each loop %s s, timed inside the program\n", secs);
	if (!have_exec)
		printf("exec_bench: exec skipped: '%s exec --help' fails (siglab exec not built yet)\n",
		       siglab);
	printf("%-12s %14s %14s %12s\n", "loop", "native ns/op", "exec ns/op", "exec/native");
	for (size_t i = 0; i < sizeof(loops) / sizeof(loops[0]); i++) {
		char *nat[] = { self, (char *)"--loop", (char *)loops[i], secs, NULL };
		char *ex[] = { (char *)siglab, (char *)"exec", (char *)"--", self,
			       (char *)"--loop", (char *)loops[i], secs, NULL };
		long nops = 0, eops = 0;
		double nns = measure(nat, &nops), ens = -1;

		if (have_exec)
			ens = measure(ex, &eops);
		printf("%-12s %14.1f", loops[i], nns);
		if (!have_exec)
			printf(" %14s %12s\n", "-", "-");
		else if (ens < 0)
			printf(" %14s %12s\n", "failed", "-");
		else
			printf(" %14.1f %11.2fx\n", ens, ens / nns);
	}
	return 0;
}
