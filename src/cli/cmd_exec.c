/* siglab exec [OPTIONS] -- PROGRAM ARGS...: runs a program with its
 * signals decided by libsiglab (src/exec/, docs/exec.md). */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "cli/commands.h"
#include "exec/exec.h"

static void usage(FILE *to)
{
	fprintf(to,
		"usage: siglab exec [--trace] [--json] [--explain] [--verbose] -- PROGRAM [ARGS...]\n"
		"  runs PROGRAM with every signal-related system call and every CPU-raised\n"
		"  signal decided by the model; everything else runs on the host.\n"
		"  --trace     the model's events on stderr, per real tid\n"
		"  --json      the same, one JSON object per event\n"
		"  --explain   with --trace: the kernel rule behind each event\n"
		"  --verbose   the tracer's own diagnostics\n"
		"exit status: PROGRAM's own (128+N for a death by signal N), 2 for usage errors\n");
}

int cmd_exec(int argc, char **argv)
{
	struct exec x;
	struct sl_config cfg = { 0 };
	struct rlimit rl;
	int i, status;

	memset(&x, 0, sizeof x);
	x.opt.out = stderr;
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
			x.opt.trace = true;
		else if (!strcmp(argv[i], "--json"))
			x.opt.json = true;
		else if (!strcmp(argv[i], "--explain"))
			x.opt.explain = x.opt.trace = true;
		else if (!strcmp(argv[i], "--verbose"))
			x.opt.verbose = true;
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
	status = exec_run(&x, argv + i);
	sl_kernel_free(x.k);
	exec_free(&x);
	return status;
}
