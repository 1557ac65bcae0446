/* siglab exec [OPTIONS] -- PROGRAM ARGS...: runs a program with its
 * signals decided by libsiglab (src/exec/, docs/exec.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <sys/resource.h>

#include "cli/commands.h"
#include "exec/exec.h"

static void usage(FILE *to)
{
	fprintf(to,
		"usage: siglab exec [--trace] [--json] [--explain] [--virtual-time] [--verbose]\n"
		"                   [--diff] -- PROGRAM [ARGS...]\n"
		"  runs PROGRAM with every signal-related system call and every CPU-raised\n"
		"  signal decided by the model; everything else runs on the host.\n"
		"  --trace     the model's events on stderr, per real tid\n"
		"  --json      the same, one JSON object per event\n"
		"  --explain   with --trace: the kernel rule behind each event\n"
		"  --virtual-time  the model's clock jumps to the next timer whenever every\n"
		"              guest is blocked (deterministic and fast), instead of\n"
		"              following CLOCK_MONOTONIC\n"
		"  --verbose   the tracer's own diagnostics\n"
		"  --diff      run PROGRAM natively and under the model and compare the\n"
		"              output and exit status (0 agree, 1 diverge)\n"
		"exit status: PROGRAM's own (128+N for a death by signal N), 2 for usage errors\n");
}

/* One run under the model, with the options parsed. */
static int run_exec(const struct exec_options *opt, char **argv)
{
	struct exec x;
	struct sl_config cfg = { 0 };
	struct rlimit rl;
	int status;

	memset(&x, 0, sizeof x);
	x.opt = *opt;
	cfg.event = exec_event;
	cfg.event_ud = &x;
	exec_probe_xstate(&x);
	/* the host's RLIMIT_SIGPENDING, which the guest inherits */
	if (getrlimit(RLIMIT_SIGPENDING, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		cfg.rlimit_sigpending = rl.rlim_cur;
	cfg.sigframe_size = frame_rt_size();
	cfg.fpstate_size = x.xstate_size + 4;	/* FP_XSTATE_MAGIC2 */
	if (sl_kernel_new(&cfg, &x.k)) {
		fprintf(stderr, "siglab exec: out of memory\n");
		return 2;
	}
	status = exec_run(&x, argv);
	sl_kernel_free(x.k);
	exec_free(&x);
	return status;
}

/* --diff: one run with stdout and stderr into `fd`; the status as a
 * shell reports it. */
static int run_captured(const struct exec_options *opt, char **argv, bool model, int fd)
{
	pid_t pid;
	int st;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(fd, 1);
		dup2(fd, 2);
		if (model)
			_exit(run_exec(opt, argv));
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
}

static char *slurp(int fd, size_t *len)
{
	char *buf = NULL;
	size_t cap = 0, n = 0;
	ssize_t r;

	lseek(fd, 0, SEEK_SET);
	for (;;) {
		if (n == cap) {
			char *nb = realloc(buf, cap ? cap * 2 : 4096);

			if (!nb)
				break;
			buf = nb;
			cap = cap ? cap * 2 : 4096;
		}
		r = read(fd, buf + n, cap - n);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	*len = n;
	return buf;
}

/* --diff: the program natively and under the model; the outputs and the
 * exit statuses must be the same.  0 when they agree, 1 when not. */
static int run_diff(const struct exec_options *opt, char **argv)
{
	int fd[2] = { memfd_create("native", 0), memfd_create("exec", 0) };
	int st[2];
	char *out[2];
	size_t len[2];
	bool same;

	if (fd[0] < 0 || fd[1] < 0) {
		perror("siglab exec: memfd_create");
		return 2;
	}
	st[0] = run_captured(opt, argv, false, fd[0]);
	st[1] = run_captured(opt, argv, true, fd[1]);
	out[0] = slurp(fd[0], &len[0]);
	out[1] = slurp(fd[1], &len[1]);
	same = st[0] == st[1] && len[0] == len[1] && (!len[0] || !memcmp(out[0], out[1], len[0]));
	printf("status: native %d, exec %d\n", st[0], st[1]);
	printf("output: native %zu bytes, exec %zu bytes, %s\n", len[0], len[1],
	       len[0] == len[1] && (!len[0] || !memcmp(out[0], out[1], len[0])) ? "same" : "differ");
	if (!same) {
		printf("--- native\n%.*s", (int)len[0], out[0] ? out[0] : "");
		printf("--- exec\n%.*s", (int)len[1], out[1] ? out[1] : "");
	}
	printf("%s\n", same ? "agree" : "DIVERGE");
	free(out[0]);
	free(out[1]);
	close(fd[0]);
	close(fd[1]);
	return same ? 0 : 1;
}

int cmd_exec(int argc, char **argv)
{
	struct exec_options opt = { .out = stderr };
	bool diff = false;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(argv[i], "--trace"))
			opt.trace = true;
		else if (!strcmp(argv[i], "--json"))
			opt.json = true;
		else if (!strcmp(argv[i], "--explain"))
			opt.explain = opt.trace = true;
		else if (!strcmp(argv[i], "--verbose"))
			opt.verbose = true;
		else if (!strcmp(argv[i], "--virtual-time"))
			opt.virtual_time = true;
		else if (!strcmp(argv[i], "--diff"))
			diff = true;
		else if (argv[i][0] == '-') {
			fprintf(stderr, "siglab exec: unknown option '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		} else {
			break;
		}
	}
	if (i >= argc) {
		fprintf(stderr, "siglab exec: no program\n");
		usage(stderr);
		return 2;
	}
	if (diff) {
		opt.trace = opt.json = false;
		return run_diff(&opt, argv + i);
	}
	return run_exec(&opt, argv + i);
}
