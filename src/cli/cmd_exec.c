/* siglab exec [OPTIONS] -- PROGRAM ARGS...: runs a program with its
 * signals decided by libsiglab (src/exec/, docs/exec.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <sys/personality.h>
#include <sys/resource.h>

#include "cli/commands.h"
#include "exec/exec.h"
#include "host/host.h"

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
		"              output, the exit status and (as root, with tracefs) each\n"
		"              task's signal_generate/signal_deliver trace (0 agree,\n"
		"              1 diverge)\n"
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

/* --diff: one run with stdout and stderr into `fd` (and, under the
 * model, its trace into trace_fd), address randomisation off so that a
 * handler's address is the same in both runs; the status as a shell
 * reports it, and the run's pid.  The kernel's trace is read while it
 * runs. */
static int run_captured(const struct exec_options *opt, char **argv, bool model, int fd,
			int trace_fd, struct host_tree_trace *tt, pid_t *root)
{
	struct exec_options o = *opt;
	pid_t pid, w;
	int st;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		personality(ADDR_NO_RANDOMIZE);
		dup2(fd, 1);
		dup2(fd, 2);
		if (model) {
			o.trace = trace_fd >= 0;
			o.out = trace_fd >= 0 ? fdopen(trace_fd, "w") : NULL;
			if (o.trace && !o.out)
				_exit(2);
			st = run_exec(&o, argv);
			if (o.out)
				fflush(o.out);
			_exit(st);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	*root = pid;
	while ((w = waitpid(pid, &st, tt ? WNOHANG : 0)) == 0) {
		host_tree_trace_poll(tt);
		usleep(5000);
	}
	if (tt)
		host_tree_trace_poll(tt);
	if (w != pid)
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
		if (n + 1 >= cap) {
			char *nb = realloc(buf, cap ? cap * 2 : 4096);

			if (!nb)
				break;
			buf = nb;
			cap = cap ? cap * 2 : 4096;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	if (buf)
		buf[n] = '\0';
	*len = n;
	return buf;
}

/* ---- the traces: the tracepoints' lines of each task of the tree, the
 * tasks named by their place in it (host_tree_trace_tasks), each task's
 * lines in order; the order between tasks is the scheduler's and is not
 * compared. */

struct tree_task {
	int tid;
	char name[64];
};

struct tree_lines {
	struct tree_task *task;
	size_t ntask, tcap;
	struct tline { size_t task; char text[160]; } *line;
	size_t nline, lcap;
};

static void add_task(void *ud, int tid, const char *name)
{
	struct tree_lines *l = ud;

	if (l->ntask == l->tcap) {
		size_t cap = l->tcap ? l->tcap * 2 : 16;
		struct tree_task *n = realloc(l->task, cap * sizeof *n);

		if (!n)
			return;
		l->task = n;
		l->tcap = cap;
	}
	l->task[l->ntask].tid = tid;
	snprintf(l->task[l->ntask].name, sizeof l->task[l->ntask].name, "%s", name);
	l->ntask++;
}

/* The event's line, kept when its task is in the tree. */
static void add_event(void *ud, const struct host_sig_event *ev)
{
	struct tree_lines *l = ud;
	size_t t;

	for (t = 0; t < l->ntask && l->task[t].tid != ev->tid; t++)
		;
	if (t == l->ntask)
		return;
	if (l->nline == l->lcap) {
		size_t cap = l->lcap ? l->lcap * 2 : 64;
		struct tline *n = realloc(l->line, cap * sizeof *n);

		if (!n)
			return;
		l->line = n;
		l->lcap = cap;
	}
	l->line[l->nline].task = t;
	if (ev->kind == 'G')
		snprintf(l->line[l->nline].text, sizeof l->line[0].text,
			 "signal_generate sig=%d errno=%d code=%d grp=%d res=%d", ev->sig, ev->err,
			 ev->code, ev->grp, ev->res);
	else
		snprintf(l->line[l->nline].text, sizeof l->line[0].text,
			 "signal_deliver sig=%d errno=%d code=%d sa_handler=%llx sa_flags=%llx",
			 ev->sig, ev->err, ev->code, ev->handler,
			 ev->flags & ~(unsigned long long)SL_SA_RESTORER);
	l->nline++;
}

/* The model's trace lines ("[tid] signal_generate ... pid=P ..." and
 * "[tid] signal_deliver ...") as the tracepoints' events. */
static void model_events(char *text, struct tree_lines *l)
{
	for (char *p = text; p && *p;) {
		char *nl = strchr(p, '\n'), *h;
		struct host_sig_event ev = { 0 };
		int tid;

		if (nl)
			*nl = '\0';
		if (sscanf(p, "[%d] signal_generate sig=%d errno=%d code=%d pid=%d grp=%d res=%d",
			   &tid, &ev.sig, &ev.err, &ev.code, &ev.tid, &ev.grp, &ev.res) == 7) {
			ev.kind = 'G';
			add_event(l, &ev);
		} else if (sscanf(p, "[%d] signal_deliver sig=%d errno=%d code=%d", &tid, &ev.sig,
				  &ev.err, &ev.code) == 4 && (h = strstr(p, " sa_handler="))) {
			ev.kind = 'D';
			ev.tid = tid;
			h += 12;
			ev.handler = !strncmp(h, "SIG_DFL", 7) ? 0 :
				     !strncmp(h, "SIG_IGN", 7) ? 1 : strtoull(h, NULL, 16);
			if ((h = strstr(h, " sa_flags=")))
				ev.flags = strtoull(h + 10, NULL, 16);
			add_event(l, &ev);
		}
		p = nl ? nl + 1 : NULL;
	}
}

static int cmp_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One task's lines of one kind ('d' deliver, 'g' generate) into out. */
static size_t task_lines(const struct tree_lines *l, size_t t, char kind, const char **v)
{
	size_t n = 0;

	for (size_t i = 0; i < l->nline; i++)
		if (l->line[i].task == t && l->line[i].text[7] == kind)
			v[n++] = l->line[i].text;
	return n;
}

/* The listing: each task, in tree order, with its deliveries in the
 * order they happened, then the signals generated for it, sorted: when
 * another task's (or a timer's) signal was generated between two events of
 * this one is the scheduler's choice, while what was generated, with what
 * result, and what was delivered in which order are the kernel's. */
static char *listing(const struct tree_lines *l, size_t *nevents)
{
	size_t cap = 64 + l->nline * 240, len = 0, n;
	char *out = malloc(cap);
	const char **v = malloc((l->nline + 1) * sizeof *v);

	*nevents = l->nline;
	if (!out || !v) {
		free(out);
		free(v);
		return NULL;
	}
	out[0] = '\0';
	for (size_t t = 0; t < l->ntask; t++) {
		n = task_lines(l, t, 'd', v);
		for (size_t i = 0; i < n; i++)
			len += (size_t)snprintf(out + len, cap - len, "%s %s\n", l->task[t].name, v[i]);
		n = task_lines(l, t, 'g', v);
		qsort(v, n, sizeof *v, cmp_text);
		for (size_t i = 0; i < n; i++)
			len += (size_t)snprintf(out + len, cap - len, "%s %s\n", l->task[t].name, v[i]);
	}
	free(v);
	return out;
}

static void tree_lines_free(struct tree_lines *l)
{
	free(l->task);
	free(l->line);
	memset(l, 0, sizeof *l);
}

/* --diff: the program natively and under the model; the outputs, the exit
 * statuses and, as root with tracefs, the traces must be the same.  0
 * when they agree, 1 when not. */
static int run_diff(const struct exec_options *opt, char **argv)
{
	int fd[3] = { memfd_create("native", 0), memfd_create("exec", 0),
		      memfd_create("trace", 0) };
	struct host_tree_trace *tt = NULL;
	struct tree_lines tl[2] = { { 0 }, { 0 } };
	char why[160], *out[2], *tr[2] = { NULL, NULL }, *model;
	size_t len[2], nev[2] = { 0, 0 }, mlen;
	pid_t root[2];
	int st[2];
	bool same, same_out, same_trace = true;

	if (fd[0] < 0 || fd[1] < 0 || fd[2] < 0) {
		perror("siglab exec: memfd_create");
		return 2;
	}
	if (host_tree_trace_open(&tt, why, sizeof why))
		tt = NULL;
	st[0] = run_captured(opt, argv, false, fd[0], -1, tt, &root[0]);
	if (tt) {
		host_tree_trace_tasks(tt, root[0], false, add_task, &tl[0]);
		host_tree_trace_events(tt, add_event, &tl[0]);
		host_tree_trace_reset(tt);
	}
	st[1] = run_captured(opt, argv, true, fd[1], tt ? fd[2] : -1, tt, &root[1]);
	if (tt) {
		host_tree_trace_tasks(tt, root[1], true, add_task, &tl[1]);
		model = slurp(fd[2], &mlen);
		if (model)
			model_events(model, &tl[1]);
		free(model);
		tr[0] = listing(&tl[0], &nev[0]);
		tr[1] = listing(&tl[1], &nev[1]);
		same_trace = tr[0] && tr[1] && !strcmp(tr[0], tr[1]);
		host_tree_trace_close(tt);
	}
	out[0] = slurp(fd[0], &len[0]);
	out[1] = slurp(fd[1], &len[1]);
	same_out = len[0] == len[1] && (!len[0] || !memcmp(out[0], out[1], len[0]));
	same = st[0] == st[1] && same_out && same_trace;
	printf("status: native %d, exec %d\n", st[0], st[1]);
	printf("output: native %zu bytes, exec %zu bytes, %s\n", len[0], len[1],
	       same_out ? "same" : "differ");
	if (tt)
		printf("trace: native %zu events, exec %zu events, %s\n", nev[0], nev[1],
		       same_trace ? "same" : "differ");
	else
		printf("trace: not compared (%s)\n", why);
	if (!same_out) {
		printf("--- native\n%.*s", (int)len[0], out[0] ? out[0] : "");
		printf("--- exec\n%.*s", (int)len[1], out[1] ? out[1] : "");
	}
	if (!same_trace) {
		printf("--- native trace\n%s", tr[0] ? tr[0] : "");
		printf("--- exec trace\n%s", tr[1] ? tr[1] : "");
	}
	printf("%s\n", same ? "agree" : "DIVERGE");
	for (int i = 0; i < 2; i++) {
		free(out[i]);
		free(tr[i]);
		tree_lines_free(&tl[i]);
	}
	for (int i = 0; i < 3; i++)
		close(fd[i]);
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
