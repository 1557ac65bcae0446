/*
 * The controller of the real-kernel runner.  It creates the scenario's tasks
 * as real processes and threads in a new pid namespace, drives them one step
 * at a time, waits for quiescence after each step (/proc), collects what the
 * agents report and what the kernel's tracepoints recorded, and renders the
 * trace of docs/trace-format.md.  This file holds the run itself: what the
 * host cannot run, the set-up, the steps and the result; controller.h
 * lists the others.
 *
 * Safety (docs/host-oracle.md): every scenario process lives in a pid
 * namespace whose init is the controller's own helper, so kill -1, kill 0
 * and literal pids inside the scenario can only reach the scenario's tasks;
 * the controller signals nothing but its own children, through pidfds opened
 * while they could not have been reaped; every wait is bounded; and every
 * exit path kills and reaps everything and removes the trace instance.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "host/controller.h"

/* ---- interruption ------------------------------------------------------- */

volatile sig_atomic_t hc_interrupted;

static void on_interrupt(int sig)
{
	hc_interrupted = sig;
}

void host_install_interrupt_handlers(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_interrupt;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

bool host_interrupted(void)
{
	return hc_interrupted != 0;
}

uint64_t hc_now_ms(void)
{
	return xlat_now_ns() / 1000000u;
}

int hc_fail(struct host *h, const char *fmt, ...)
{
	va_list ap;

	if (!h->failed) {
		va_start(ap, fmt);
		vsnprintf(h->r->failure, sizeof h->r->failure, fmt, ap);
		va_end(ap);
	}
	h->failed = true;
	return -1;
}

const char *host_interrupt_message(void)
{
	switch (hc_interrupted) {
	case SIGINT:
		return "interrupted by SIGINT";
	case SIGTERM:
		return "interrupted by SIGTERM";
	case SIGHUP:
		return "interrupted by SIGHUP";
	}
	return "interrupted";
}

int hc_fail_interrupted(struct host *h)
{
	return hc_fail(h, "%s", host_interrupt_message());
}

/* ---- skip reasons ------------------------------------------------------- */

/* Why a wait on a model wait queue has no real counterpart: user space
 * cannot enter these sleeps on demand and have another step end them. */
static const char *waitq_unsupported(const struct sc_stmt *x)
{
	if (x->op == SC_OP_WAKE_UP)
		return "wake_up: a model wait queue has no real device behind it";
	switch (x->sleep) {
	case SL_SLEEP_INTERRUPTIBLE:
		return "wait_event interruptible on a model wait queue: its real "
		       "equivalent is `read` on a pipe (pipe_read's "
		       "wait_event_interruptible_exclusive), which the host runs";
	case SL_SLEEP_KILLABLE:
		return "wait_event killable: no system call sleeps in TASK_KILLABLE "
		       "until another step ends it (a vfork parent does, but only "
		       "until its child execs or exits)";
	default:
		return "wait_event uninterruptible: no system call sleeps in "
		       "TASK_UNINTERRUPTIBLE (D) on demand; the kernel's D sleeps "
		       "wait for disks, filesystems and locks the runner does not "
		       "control";
	}
}

static bool stmts_unsupported(const struct sc_stmt *st, size_t n, char *buf, size_t len)
{
	for (size_t i = 0; i < n; i++) {
		const struct sc_stmt *x = &st[i];

		if (x->op == SC_OP_FAULT && !xlat_fault_supported(x->sig, x->code, x->has_code)) {
			const char *c = x->has_code ? xlat_code_name(x->sig, x->code) : NULL;

			snprintf(buf, len, "the host cannot raise %s%s%s for real on x86-64",
				 sl_signal_name(x->sig), c ? " " : "", c ? c : "");
			return true;
		}
		if (x->op == SC_OP_WAIT_EVENT || x->op == SC_OP_WAKE_UP) {
			snprintf(buf, len, "%s", waitq_unsupported(x));
			return true;
		}
		if (x->op == SC_OP_ALLOW_SIGNAL) {
			snprintf(buf, len, "allow_signal needs a kernel thread");
			return true;
		}
		if (x->op == SC_OP_EXECVE) {
			snprintf(buf, len, "execve inside a handler or a repeat: the host runs it as a step only");
			return true;
		}
		if (x->op == SC_OP_CLONE && (x->flags & SL_CLONE_NEWPID)) {
			snprintf(buf, len, "clone(CLONE_NEWPID) inside a handler or a repeat: the host runs it as a step only");
			return true;
		}
		if ((unsigned)x->op >= SC_OP_COUNT) {
			snprintf(buf, len, "statement not supported by the host runner");
			return true;
		}
		if (x->op == SC_OP_REPEAT && stmts_unsupported(x->body, x->nbody, buf, len))
			return true;
	}
	return false;
}

const char *host_skip_reason(const struct scenario *s, char *buf, size_t n)
{
#if !defined(__x86_64__)
	snprintf(buf, n, "the host runner supports x86-64 only");
	return buf;
#endif
	if (s->model_only) {
		snprintf(buf, n, "model-only: %s", s->model_only);
		return buf;
	}
	if (s->what_if) {
		snprintf(buf, n, "a what-if configuration the real kernel does not have");
		return buf;
	}
	if (s->arch != SL_ARCH_X86) {
		snprintf(buf, n, "arch=%s is not this machine's", sl_arch_name(s->arch));
		return buf;
	}
	if (geteuid() != 0) {
		snprintf(buf, n, "requires root (the host runs scenarios in a new pid namespace)");
		return buf;
	}
	if (s->ntasks > HOST_MAX_TASKS || s->nhandlers > HOST_MAX_HANDLERS) {
		snprintf(buf, n, "more than %d tasks or %d handlers", HOST_MAX_TASKS,
			 HOST_MAX_HANDLERS);
		return buf;
	}
	for (size_t i = 0; i < s->ntasks; i++) {
		switch (s->tasks[i].kind) {
		case SC_KTHREAD:
			snprintf(buf, n, "kthread %s: user space cannot create a kernel thread",
				 s->tasks[i].name);
			return buf;
		case SC_INIT:
			snprintf(buf, n, "init %s: the host cannot run a task as the global init",
				 s->tasks[i].name);
			return buf;
		case SC_NSINIT:
			/* One level of nesting below the scenario's namespace. */
			if (s->tasks[i].parent >= 0 && host_ns_of(s, s->tasks[i].parent) >= 0) {
				snprintf(buf, n, "nsinit %s: a pid namespace inside another is not supported by the host runner yet",
					 s->tasks[i].name);
				return buf;
			}
			break;
		case SC_PROCESS:
			break;
		case SC_THREAD:
			break;
		}
	}
	for (size_t i = 0; i < s->nexpects; i++) {
		if (s->expects[i].kind == SC_EXP_OOPS) {
			snprintf(buf, n, "expects an oops, which the host cannot survive");
			return buf;
		}
	}
	if (host_time_skip(s, buf, n))
		return buf;
	for (size_t i = 0; i < s->nhandlers; i++)
		if (stmts_unsupported(s->handlers[i].body, s->handlers[i].nbody, buf, n))
			return buf;
	if (host_core_skip(s, buf, n) || host_rlimit_skip(s, buf, n))
		return buf;
	for (size_t i = 0; i < s->nsteps; i++) {
		/* par blocks run in file order here, as `run` runs them when
		 * every step's task can run at its turn (docs/explore.md).
		 * DEVIATION(the host does not defer a par step whose task cannot
		 * run at its turn, as run and explore do: such a step fails on
		 * the host). */
		/* clone(CLONE_NEWPID) from a step: one level of nesting below
		 * the scenario's namespace, as for nsinit declarations */
		if (s->steps[i].stmt.op == SC_OP_CLONE && (s->steps[i].stmt.flags & SL_CLONE_NEWPID) &&
		    s->steps[i].task >= 0 && host_ns_of(s, s->steps[i].task) >= 0) {
			snprintf(buf, n, "clone(CLONE_NEWPID) by %s, which is in a nested pid namespace "
				 "already: the host runner nests one level only",
				 s->tasks[s->steps[i].task].name);
			return buf;
		}
		if (s->steps[i].stmt.op == SC_OP_CLONE)
			continue;
		/* execve as a step of its own (agent_exec.c) */
		if (s->steps[i].stmt.op == SC_OP_EXECVE && s->steps[i].task >= 0) {
			if (s->tasks[s->steps[i].task].kind == SC_THREAD) {
				snprintf(buf, n, "execve by a thread: the model does not take over the leader's pid yet");
				return buf;
			}
			continue;
		}
		if (stmts_unsupported(&s->steps[i].stmt, 1, buf, n))
			return buf;
	}
	return NULL;
}

/* ---- the run ------------------------------------------------------------ */

/* The command a warning names: the one the user ran. */
static const char *host_command(const struct host *h)
{
	return h->o->command ? h->o->command : "siglab host";
}

static int prepare(struct host *h)
{
	const struct scenario *s = h->s;
	int fds[2];
	char why[256];
	static int readonly_page_done;

	if (!readonly_page_done) {
		void *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p != MAP_FAILED)
			xlat_readonly_page = p;
		readonly_page_done = 1;
	}
	if (pipe2(fds, O_CLOEXEC) < 0)
		return hc_fail(h, "pipe: %s", strerror(errno));
	h->env.lifeline_rd = fds[0];
	h->env.lifeline_wr = fds[1];
	if (pipe2(fds, O_CLOEXEC) < 0)
		return hc_fail(h, "pipe: %s", strerror(errno));
	h->report_rd = fds[0];
	h->env.report_fd = fds[1];
	(void)fcntl(h->report_rd, F_SETFL, O_NONBLOCK);
	(void)fcntl(h->report_rd, F_SETPIPE_SZ, 1 << 20);
	for (size_t i = 0; i < s->ntasks; i++) {
		if (pipe2(fds, O_CLOEXEC) < 0)
			return hc_fail(h, "pipe: %s", strerror(errno));
		h->env.cmd_rd[i] = fds[0];
		h->env.cmd_wr[i] = fds[1];
	}
	if (host_dir_make(h->env.dir, sizeof h->env.dir) < 0)
		return hc_fail(h, "cannot make the run's private directory: %s", strerror(errno));
	if (host_time_prepare(&h->time, s, h->o->real_ns_per_s) < 0)
		return hc_fail(h, "pipes or clock: %s", strerror(errno));
	h->env.time = &h->time;
	h->env.marker_fd = -1;
	if (!h->o->no_trace) {
		if (tracefs_open(&h->tr, why, sizeof why) == 0) {
			h->traced = true;
			h->env.marker_fd = h->tr.marker_fd;
			h->env.use_marker = true;
		} else {
			static bool said;

			if (!said)
				fprintf(stderr, "%s: no tracefs (%s): comparing what the agents report only\n",
					host_command(h), why);
			said = true;
		}
	}
	return 0;
}

int hc_start_trace(struct host *h)
{
	int32_t *tids;
	size_t n = 0;
	int r;

	if (!h->traced)
		return 0;
	tids = calloc(h->s->ntasks ? h->s->ntasks : 1, sizeof *tids);
	if (!tids)
		return hc_fail(h, "out of memory");
	for (size_t i = 0; i < h->s->ntasks; i++)
		if (h->t[i].spawned)
			tids[n++] = h->t[i].g_tid;
	r = tracefs_start(&h->tr, tids, n);
	free(tids);
	if (r < 0 && h->new_tasks)
		return hc_fail(h, "cannot follow the forked tasks in the trace");
	if (r < 0) {
		fprintf(stderr, "%s: cannot enable the signal tracepoints: comparing what the agents report only\n",
			host_command(h));
		tracefs_close(&h->tr);
		h->traced = false;
		h->env.use_marker = false;
	}
	return 0;
}

size_t host_tables_size(size_t ntasks)
{
	return 5 * (ntasks + 1) * sizeof(int32_t);
}

int host_map_tables(struct agent_env *e, int fd, size_t ntasks)
{
	size_t n = ntasks + 1;
	void *p = mmap(NULL, host_tables_size(ntasks), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	int32_t *v;

	if (p == MAP_FAILED)
		return -errno;
	v = p;
	e->ns_pid = v;
	e->ns_tid = v + n;
	e->ns_of = v + 2 * n;
	e->in_pid = v + 3 * n;
	e->in_tid = v + 4 * n;
	return 0;
}

/* The pid tables are shared by every agent: a forked agent writes its own
 * pids there, and every task can name it from then on.  In a memfd, so
 * that an agent's exec'd image maps them again. */
static int shared_tables(struct host *h)
{
	size_t sz = host_tables_size(h->s->ntasks);
	int fd = (int)syscall(SYS_memfd_create, "siglab-pids", MFD_CLOEXEC);

	if (fd < 0)
		return -1;
	if (ftruncate(fd, (off_t)sz) < 0 || host_map_tables(&h->env, fd, h->s->ntasks) < 0) {
		close(fd);
		return -1;
	}
	h->env.shared_fd = fd;
	return 0;
}

static void free_shared_tables(struct host *h)
{
	if (h->env.ns_pid)
		munmap(h->env.ns_pid, host_tables_size(h->s->ntasks));
	h->env.ns_pid = NULL;
	if (h->env.shared_fd >= 0)
		close(h->env.shared_fd);
	h->env.shared_fd = -1;
	if (h->env.exe_fd >= 0)
		close(h->env.exe_fd);
	h->env.exe_fd = -1;
}

enum host_status host_run(const struct scenario *s, const struct host_options *o,
			  struct host_result *r)
{
	static const struct host_options defaults = { .step_timeout_ms = 0 };
	struct host h;
	struct strbuf b = { 0 };
	uint64_t t0 = xlat_now_ns();
	int rc = 0;

	memset(r, 0, sizeof *r);
	if (host_skip_reason(s, r->skip, sizeof r->skip)) {
		r->status = HOST_SKIPPED;
		return r->status;
	}
	memset(&h, 0, sizeof h);
	h.s = s;
	h.o = o ? o : &defaults;
	h.r = r;
	h.report_rd = h.env.report_fd = h.helper_pidfd = -1;
	h.env.s = s;
	h.cur_step = -1;
	h.t = calloc(s->ntasks + 1, sizeof *h.t);
	h.env.cmd_rd = malloc((s->ntasks + 1) * sizeof(int));
	h.env.cmd_wr = malloc((s->ntasks + 1) * sizeof(int));
	h.env.shared_fd = h.env.exe_fd = -1;
	h.env.uid_base = HOST_UID_BASE + (uint32_t)getpid() % HOST_UID_RUNS * HOST_UID_SPAN;
	(void)shared_tables(&h);
	/* An agent that execs runs this very program again (agent_exec.c). */
	h.env.exe_fd = open("/proc/self/exe", O_PATH | O_CLOEXEC);
	h.step_seq = malloc((s->nsteps + 1) * sizeof(int));
	h.seqidx = calloc(s->ntasks + 1, sizeof *h.seqidx);
	h.nseq = calloc(s->ntasks + 1, sizeof *h.nseq);
	h.capseq = calloc(s->ntasks + 1, sizeof *h.capseq);
	h.env.lifeline_rd = h.env.lifeline_wr = -1;
	if (!h.seqidx || !h.nseq || !h.capseq ||
	    !h.t || !h.env.cmd_rd || !h.env.cmd_wr || !h.env.ns_pid || !h.env.ns_tid ||
	    !h.env.ns_of || !h.env.in_pid || !h.env.in_tid ||
	    !h.step_seq) {
		hc_fail(&h, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < s->ntasks; i++) {
		h.env.cmd_rd[i] = h.env.cmd_wr[i] = -1;
		h.t[i].pidfd = -1;
		h.t[i].holder_pidfd = -1;
	}
	for (size_t i = 0; i < s->nsteps; i++)
		h.step_seq[i] = -1;
	for (size_t i = 0; i < s->ntasks; i++)
		h.env.ns_of[i] = host_ns_of(s, (int)i);
	if (prepare(&h) < 0 || hc_spawn_all(&h) < 0 || hc_start_trace(&h) < 0)
		goto out;
	r->traced = h.traced;
	if (hc_drain_all(&h, hc_now_ms() + 2000) < 0)
		goto out;
	for (size_t i = 0; i < h.ntlines; i++)
		free(h.tlines[i]);
	h.ntlines = 0;
	h.marked_upto = h.nrecs;
	host_time_start(&h.time);
	for (size_t i = 0; i < s->nsteps && rc == 0; i++)
		rc = hc_run_step(&h, (int)i);
out:
	/* An interrupt stops the run wherever it lands, after the last
	 * settle too: the run is not reported as complete. */
	if (hc_interrupted && rc == 0)
		hc_fail_interrupted(&h);
	if (!h.failed && rc == 0 && h.t) {
		hc_render(&h, &b, true);
		r->status = HOST_OK;
	} else if (rc > 0) {
		hc_render(&h, &b, false);
		r->status = HOST_ERROR;
	} else {
		/* Stop a run that went wrong before looking at what it did. */
		if (h.t)
			hc_kill_all(&h);
		if (h.t && h.step_seq && h.seqidx)
			hc_render(&h, &b, false);
		r->status = HOST_FAILED;
	}
	if (h.t)
		hc_cleanup(&h);
	if (h.unreaped) {
		/* Never report a run as complete while part of it lives on. */
		size_t len = strlen(r->failure);

		snprintf(r->failure + len, sizeof r->failure - len,
			 "%sa process of the run was not reaped within %u ms of cleanup",
			 len ? "; " : "", HOST_CLEANUP_MS);
		r->status = HOST_FAILED;
	}
	host_dir_remove(h.env.dir);
	r->trace = sb_take(&b);
	for (size_t i = 0; i < h.ntlines; i++)
		free(h.tlines[i]);
	free(h.tlines);
	free(h.recs);
	free(h.lines);
	free(h.t);
	free(h.env.cmd_rd);
	free(h.env.cmd_wr);
	free_shared_tables(&h);
	free(h.step_seq);
	for (size_t i = 0; h.seqidx && i < s->ntasks; i++)
		free(h.seqidx[i]);
	free(h.seqidx);
	free(h.nseq);
	free(h.capseq);
	r->seconds = (double)(xlat_now_ns() - t0) / 1e9;
	return r->status;
}

void host_result_free(struct host_result *r)
{
	free(r->trace);
	r->trace = NULL;
}
