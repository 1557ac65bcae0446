/*
 * The controller of the real-kernel runner.  It creates the scenario's tasks
 * as real processes and threads in a new pid namespace, drives them one step
 * at a time, waits for quiescence after each step (/proc), collects what the
 * agents report and what the kernel's tracepoints recorded, and renders the
 * trace of docs/trace-format.md.
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

#include "host/internal.h"
#include "host/timing.h"
#include "scenario/render.h"
#include "scenario/strbuf.h"

/* ---- interruption ------------------------------------------------------- */

static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig)
{
	interrupted = sig;
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
	return interrupted != 0;
}

/* ---- state -------------------------------------------------------------- */

struct htask {
	bool spawned;		/* HELLO received */
	int32_t ns_pid, ns_tid;	/* in the scenario's namespace */
	int32_t g_pid, g_tid;	/* in the controller's namespace */
	int32_t in_pid, in_tid;	/* in its nested namespace, or 0 */
	int pidfd;		/* process tasks: a pidfd, else -1 */
	int holder_pidfd;	/* a top-level nsinit's hidden parent, or -1 */
	bool direct;		/* a child of the controller */
	bool dead;		/* the thread is gone or a zombie */
	bool stopped;		/* last seen in T state */
	bool was_stopped;	/* stopped when the current step began */
	bool stop_line;		/* a "stopped" line was written this step */
	bool death_line;	/* a death line was written */
	bool self_exit;		/* it called exit(N) itself */
	long self_code;
	int status;		/* process wait status, when have_status */
	bool have_status;
	int depth;		/* handler frames, as the agent last reported */
	int frames;		/* handler frames on its stack, from the trace:
				 * one per signal_deliver of a handler, so it
				 * counts frames whose handler has not run yet */
	/* SA_SIGINFO in the action of each signal was added by the host,
	 * not asked for (process tasks only; threads share the leader's) */
	bool added_siginfo[SL_NSIG + 1];
	struct host_block blk;	/* issue 4: its blocking calls in progress */
	bool frame_unsure;	/* a handler's signal_deliver was the task's
				 * last event: its frame may not be written */
};

enum line_kind { L_CALL, L_TEXT, L_DEATH };

struct line {
	int step;
	enum line_kind kind;
	int task;
	int depth;
	int seq;			/* L_CALL: the BEGIN's seq */
	const struct sc_stmt *stmt;	/* L_CALL */
	char text[192];			/* L_TEXT */
	bool ret;			/* L_CALL: a blocking call's return,
					 * on a line of its own */
};

struct host {
	const struct scenario *s;
	const struct host_options *o;
	struct host_result *r;
	struct agent_env env;
	struct htask *t;
	int report_rd;
	int helper_pidfd;
	pid_t helper_pid;
	bool traced;
	struct tracefs tr;
	/* everything the agents reported, in arrival order */
	struct report *recs;
	size_t nrecs, caprecs;
	/* per task: record index of each seq */
	size_t **seqidx;
	size_t *nseq, *capseq;
	size_t marked_upto;	/* no-trace mode: records already placed */
	/* trace lines of the current step, in trace order */
	char **tlines;
	size_t ntlines, captlines;
	struct line *lines;
	size_t nlines, caplines;
	int *step_seq;		/* per step: seq of the step's BEGIN, or -1 */
	size_t step_lines;	/* lines of the current step */
	size_t dropped;		/* lines of the current step over the limit */
	size_t step_first_rec;	/* first record of the current step */
	size_t step_first_line;	/* first line of the current step */
	int cur_step;
	bool failed;
	bool new_tasks;		/* a fork step made tasks the trace must follow */
	struct host_time time;	/* issue 4: pipes and the scenario clock */
};

/* A step that reports more than this does not settle (a fault handler
 * that returns re-runs the faulting instruction forever); the trace of a
 * failed step keeps its first lines only. */
#define HOST_MAX_STEP_REPORTS 200000u
#define HOST_MAX_STEP_LINES 2000u

static uint64_t now_ms(void)
{
	return xlat_now_ns() / 1000000u;
}

static int fail(struct host *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct host *h, const char *fmt, ...)
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

/* ---- skip reasons ------------------------------------------------------- */

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
		if (x->op == SC_OP_ALLOW_SIGNAL) {
			snprintf(buf, len, "allow_signal needs a kernel thread");
			return true;
		}
		if (x->op == SC_OP_EXECVE) {
			snprintf(buf, len, "execve: the host agent cannot survive a new image yet");
			return true;
		}
		if (x->op == SC_OP_CLONE && (x->flags & SL_CLONE_NEWPID)) {
			snprintf(buf, len, "clone(CLONE_NEWPID): nested pid namespaces are not supported by the host runner yet");
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
	for (size_t i = 0; i < s->nsteps; i++) {
		if (s->steps[i].par) {
			snprintf(buf, n, "par blocks: the host runs one order only (use explore)");
			return buf;
		}
		if (stmts_unsupported(&s->steps[i].stmt, 1, buf, n))
			return buf;
	}
	return NULL;
}

/* ---- records and lines -------------------------------------------------- */

static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
	size_t c;
	void *q;

	if (need <= *cap)
		return p;
	c = *cap ? *cap * 2 : 64;
	while (c < need)
		c *= 2;
	q = realloc(p, c * size);
	if (!q)
		return NULL;
	*cap = c;
	return q;
}

/* A task born of a fork step said HELLO: it exists from now on.  Its
 * scenario parent is idle in a step of ours and reaps nothing before a
 * later step, so the pidfd names this child. */
static void take_forked(struct host *h, const struct report *rep)
{
	struct htask *t = &h->t[rep->task];

	t->ns_pid = rep->ns_pid;
	t->ns_tid = rep->ns_tid;
	t->g_pid = rep->g_pid;
	t->g_tid = rep->g_tid;
	t->in_pid = rep->in_pid;
	t->in_tid = rep->in_tid;
	t->spawned = true;
	t->pidfd = (int)syscall(SYS_pidfd_open, t->g_pid, 0);
	h->new_tasks = true;
}

static const struct report *find_record(const struct host *h, int task, int seq);

static void add_record(struct host *h, const struct report *rep)
{
	struct report *v = grow(h->recs, &h->caprecs, h->nrecs + 1, sizeof *v);

	if (!v) {
		fail(h, "out of memory");
		return;
	}
	h->recs = v;
	h->recs[h->nrecs++] = *rep;
	if (rep->task >= 0 && (size_t)rep->task < h->s->ntasks && rep->seq >= 0) {
		size_t t = (size_t)rep->task, q = (size_t)rep->seq;
		size_t *ix = grow(h->seqidx[t], &h->capseq[t], q + 1, sizeof *ix);

		if (!ix) {
			fail(h, "out of memory");
			return;
		}
		h->seqidx[t] = ix;
		while (h->nseq[t] <= q)
			ix[h->nseq[t]++] = (size_t)-1;
		ix[q] = h->nrecs - 1;
	}
	if (rep->task >= 0 && (size_t)rep->task < h->s->ntasks)
		host_block_track(&h->t[rep->task].blk, rep,
				 rep->kind == REP_END ? find_record(h, rep->task, rep->ref) : NULL);
	if (rep->kind == REP_HELLO && rep->task >= 0 && (size_t)rep->task < h->s->ntasks &&
	    h->s->tasks[rep->task].forked && !h->t[rep->task].spawned)
		take_forked(h, rep);
	if (rep->kind == REP_BEGIN && rep->task >= 0 && rep->stmt &&
	    rep->stmt->op == SC_OP_EXIT) {
		h->t[rep->task].self_exit = true;
		h->t[rep->task].self_code = rep->stmt->num;
	}
	if (rep->kind == REP_BEGIN && rep->step >= 0 && rep->depth == 0 &&
	    rep->stmt == &h->s->steps[rep->step].stmt && h->step_seq[rep->step] < 0)
		h->step_seq[rep->step] = rep->seq;
}

static const struct report *find_record(const struct host *h, int task, int seq)
{
	size_t t = (size_t)task, i;

	if (task < 0 || t >= h->s->ntasks || seq < 0 || (size_t)seq >= h->nseq[t])
		return NULL;
	i = h->seqidx[t][seq];
	return i == (size_t)-1 ? NULL : &h->recs[i];
}

/* The END of the statement whose BEGIN is `seq`: the task's next record of
 * its depth that is an END referring to it. */
static const struct report *find_end(const struct host *h, int task, int seq)
{
	const struct report *r;

	if (task < 0 || (size_t)task >= h->s->ntasks || seq < 0)
		return NULL;
	for (size_t q = (size_t)seq + 1; q < h->nseq[task]; q++) {
		r = find_record(h, task, (int)q);
		if (r && r->kind == REP_END && r->ref == seq)
			return r;
	}
	return NULL;
}

static struct line *add_line(struct host *h, enum line_kind kind, int task, int depth)
{
	struct line *v;

	if (++h->step_lines > HOST_MAX_STEP_LINES) {
		h->dropped++;
		return NULL;
	}
	v = grow(h->lines, &h->caplines, h->nlines + 1, sizeof *v);

	if (!v) {
		fail(h, "out of memory");
		return NULL;
	}
	h->lines = v;
	v = &h->lines[h->nlines++];
	memset(v, 0, sizeof *v);
	v->step = h->cur_step;
	v->kind = kind;
	v->task = task;
	v->depth = depth < 0 ? 0 : depth;
	return v;
}

static void drain_reports(struct host *h)
{
	struct report rep;
	ssize_t n;

	for (;;) {
		n = read(h->report_rd, &rep, sizeof rep);
		if (n < 0 && errno == EINTR)
			continue;
		if (n != (ssize_t)sizeof rep)
			break;
		add_record(h, &rep);
	}
}

static void take_trace_line(void *ud, const char *line)
{
	struct host *h = ud;
	char **v = grow(h->tlines, &h->captlines, h->ntlines + 1, sizeof *v);
	char *copy = strdup(line);

	if (!v || !copy) {
		free(copy);
		fail(h, "out of memory");
		return;
	}
	h->tlines = v;
	h->tlines[h->ntlines++] = copy;
}

static void drain_trace(struct host *h)
{
	if (h->traced)
		tracefs_drain(&h->tr, take_trace_line, h);
}

/* ---- names -------------------------------------------------------------- */

static int task_by_gtid(const struct host *h, int tid)
{
	for (size_t i = 0; i < h->s->ntasks; i++)
		if (h->t[i].spawned && h->t[i].g_tid == tid)
			return (int)i;
	return -1;
}

/* The task a pid names as task `observer` sees pids: in the scenario's
 * namespace, or in the nested one it lives in; NULL when none. */
static const char *name_seen(const struct host *h, int observer, int pid)
{
	int ns = observer >= 0 ? h->env.ns_of[observer] : -1;

	for (size_t i = 0; pid > 0 && i < h->s->ntasks; i++) {
		const struct htask *t = &h->t[i];

		if (!t->spawned)
			continue;
		if (ns < 0 ? t->ns_tid == pid
			   : h->env.ns_of[i] == ns && t->in_tid == pid)
			return h->s->tasks[i].name;
	}
	return NULL;
}

/* A pid as a task sees it (si_pid), printed: a name, "0" or "?". */
static const char *name_ns_pid(const struct host *h, int observer, int pid)
{
	const char *n = name_seen(h, observer, pid);

	return n ? n : pid == 0 ? "0" : "?";
}

static const char *task_name(const struct host *h, int task)
{
	return task >= 0 ? h->s->tasks[task].name : "?";
}

/* ---- turning reports and trace events into lines ------------------------ */

/* The handler frames task is in: from the trace when there is one (the
 * kernel may stack several frames before the first handler runs), else as
 * the agent counts them. */
static int depth_of(const struct host *h, int task)
{
	if (task < 0)
		return 0;
	return h->traced ? h->t[task].frames : h->t[task].depth;
}

static struct htask *sighand_of(struct host *h, int task)
{
	const struct sc_task *t = &h->s->tasks[task];

	return &h->t[t->kind == SC_THREAD ? t->leader : task];
}

/* A sigaction or signal call about to change a disposition: remember
 * whether the host adds SA_SIGINFO to it (agent.c installs every handler
 * with SA_SIGINFO); the bit stays when the kernel resets the handler. */
static void note_disposition(struct host *h, int task, const struct sc_stmt *st)
{
	bool added;

	if (st->sig < 1 || st->sig > SL_NSIG || st->sig == SL_SIGKILL || st->sig == SL_SIGSTOP)
		return;
	if (st->op == SC_OP_SIGACTION)
		added = st->handler >= 0 && !(st->flags & SL_SA_SIGINFO);
	else if (st->op == SC_OP_SIGNAL)
		added = st->handler >= 0;
	else
		return;
	sighand_of(h, task)->added_siginfo[st->sig] = added;
}

/* The siginfo layouts that carry a sender pid (the kernel's
 * siginfo_layout: kill, child and rt), as the model prints them. */
static bool info_has_pid(int sig, int code)
{
	if (code > SL_SI_USER && code < SL_SI_KERNEL)
		return sig == SL_SIGCHLD;
	return code != SL_SI_TIMER && code != SL_SI_SIGIO;
}

/* A blocking call returned (issue 4): its value goes on the call's own
 * line when nothing of its task came between, else on a line of its own
 * where it returned (docs/trace-format.md). */
static void place_return(struct host *h, const struct report *rep)
{
	const struct report *begin = find_record(h, rep->task, rep->ref);
	struct line *l;

	if (!begin || !begin->stmt || !sc_op_may_block(begin->stmt->op))
		return;
	for (size_t i = h->nlines; i-- > h->step_first_line;) {
		if (h->lines[i].task != rep->task)
			continue;
		if (h->lines[i].kind == L_CALL && h->lines[i].seq == rep->ref && !h->lines[i].ret)
			return;
		goto own_line;
	}
	if (begin->step == h->cur_step && h->step_seq[h->cur_step] == rep->ref)
		return;
own_line:
	l = add_line(h, L_CALL, rep->task, depth_of(h, rep->task));
	if (l) {
		l->stmt = begin->stmt;
		l->seq = rep->ref;
		l->ret = true;
	}
}

static void place_record(struct host *h, const struct report *rep)
{
	struct htask *t = &h->t[rep->task];
	struct line *l;

	t->frame_unsure = false;
	switch (rep->kind) {
	case REP_BEGIN:
		t->depth = rep->depth;
		if (rep->stmt)
			note_disposition(h, rep->task, rep->stmt);
		if (rep->step == h->cur_step && h->step_seq[h->cur_step] == rep->seq)
			return;	/* the step line itself */
		l = add_line(h, L_CALL, rep->task, depth_of(h, rep->task));
		if (l) {
			l->stmt = rep->stmt;
			l->seq = rep->seq;
		}
		break;
	case REP_HANDLER:
		if (h->traced && t->frames == 0)
			t->frames = 1;	/* its signal_deliver was not recorded */
		l = add_line(h, L_TEXT, rep->task, h->traced ? t->frames - 1 : rep->depth);
		if (l) {
			size_t n = (size_t)snprintf(l->text, sizeof l->text, "handler %s sig=%d code=%d",
						    h->s->handlers[rep->handler].name, rep->sig,
						    rep->code);
			if (info_has_pid(rep->sig, rep->code))
				n += (size_t)snprintf(l->text + n, sizeof l->text - n, " pid=%s",
						      name_ns_pid(h, rep->task, rep->pid));
			if (rep->code == SL_SI_QUEUE || rep->code == SL_SI_TIMER)
				snprintf(l->text + n, sizeof l->text - n, " value=%llu",
					 (unsigned long long)rep->value);
		}
		t->depth = rep->depth + 1;
		break;
	case REP_END:
		place_return(h, rep);
		break;
	case REP_SIGRETURN:
	case REP_LONGJMP:
	case REP_SIGLONGJMP:
		t->depth = rep->depth;
		if (t->frames > 0)
			t->frames--;
		l = add_line(h, L_TEXT, rep->task, depth_of(h, rep->task));
		/* A jump to the task's own code drops every frame, also those
		 * whose handler never ran. */
		if (rep->kind != REP_SIGRETURN && rep->depth == 0)
			t->frames = 0;
		if (l)
			snprintf(l->text, sizeof l->text, "%s",
				 rep->kind == REP_SIGRETURN ? "sigreturn" :
				 rep->kind == REP_LONGJMP ? "longjmp" : "siglongjmp");
		break;
	default:
		break;
	}
}

static void place_death(struct host *h, int task)
{
	if (task < 0 || h->t[task].death_line)
		return;
	h->t[task].death_line = true;
	/* A leader that exit()s while other threads of its process live on
	 * ends as a thread: the process's status is not its. */
	if (h->t[task].self_exit && h->s->tasks[task].kind != SC_THREAD) {
		for (size_t i = 0; i < h->s->ntasks; i++) {
			struct line *l;

			if ((int)i == task || h->t[i].g_pid != h->t[task].g_pid || h->t[i].dead)
				continue;
			l = add_line(h, L_TEXT, task, depth_of(h, task));
			if (l)
				snprintf(l->text, sizeof l->text, "exited %ld", h->t[task].self_code);
			return;
		}
	}
	add_line(h, L_DEATH, task, depth_of(h, task));
}

static void place_trace_event(struct host *h, const struct tev *ev)
{
	int sender = task_by_gtid(h, ev->common_pid);
	int target;
	struct line *l;
	bool info = false;
	int hidx;
	uint64_t flags;
	char hname[64];

	switch (ev->kind) {
	case TEV_GENERATE:
		target = task_by_gtid(h, ev->pid);
		if (host_time_generated_by_timer(ev->sig, ev->code))
			sender = target;
		/* force_sigsegv right after a handler's signal_deliver: the
		 * frame did not fit (an overflowing alternate stack), so no
		 * frame was pushed (issue 4) */
		if (sender >= 0 && sender == target && ev->sig == SL_SIGSEGV &&
		    ev->code == SL_SI_KERNEL && h->t[sender].frame_unsure && h->t[sender].frames > 0)
			h->t[sender].frames--;
		if (sender >= 0)
			h->t[sender].frame_unsure = false;
		l = add_line(h, L_TEXT, sender, depth_of(h, sender));
		if (l)
			snprintf(l->text, sizeof l->text,
				 "signal_generate sig=%d errno=%d code=%d comm=%s pid=%s grp=%d res=%d",
				 ev->sig, ev->err, ev->code, task_name(h, target), task_name(h, target),
				 ev->grp, ev->res);
		if (ev->sig == SL_SIGCONT && target >= 0) {
			for (size_t i = 0; i < h->s->ntasks; i++) {
				struct htask *x = &h->t[i];

				if (x->was_stopped && x->g_pid == h->t[target].g_pid) {
					x->was_stopped = false;
					x->stopped = false;
					l = add_line(h, L_TEXT, (int)i, depth_of(h, (int)i));
					if (l)
						snprintf(l->text, sizeof l->text, "continued");
				}
			}
		}
		break;
	case TEV_DELIVER:
		if (sender < 0)
			break;
		flags = ev->flags & ~(uint64_t)SL_SA_RESTORER;
		if (ev->handler == SL_SIG_DFL || ev->handler == SL_SIG_IGN) {
			snprintf(hname, sizeof hname, "%llu", (unsigned long long)ev->handler);
			if (ev->sig >= 1 && ev->sig <= SL_NSIG &&
			    sighand_of(h, sender)->added_siginfo[ev->sig])
				flags &= ~(uint64_t)SL_SA_SIGINFO;
		} else if ((hidx = agent_handler_index(ev->handler, &info)) >= 0) {
			snprintf(hname, sizeof hname, "%s", h->s->handlers[hidx].name);
			if (!info)
				flags &= ~(uint64_t)SL_SA_SIGINFO;
		} else {
			snprintf(hname, sizeof hname, "?");
		}
		l = add_line(h, L_TEXT, sender, depth_of(h, sender));
		if (l)
			snprintf(l->text, sizeof l->text,
				 "signal_deliver sig=%d errno=%d code=%d sa_handler=%s sa_flags=%llx",
				 ev->sig, ev->err, ev->code, hname, (unsigned long long)flags);
		if (ev->handler != SL_SIG_DFL && ev->handler != SL_SIG_IGN)
			h->t[sender].frames++;
		h->t[sender].frame_unsure = ev->handler != SL_SIG_DFL && ev->handler != SL_SIG_IGN;
		if (xlat_sig_is_stop(ev->sig) && ev->handler == SL_SIG_DFL) {
			l = add_line(h, L_TEXT, sender, depth_of(h, sender));
			if (l) {
				snprintf(l->text, sizeof l->text, "stopped %s", sl_signal_name(ev->sig));
				h->t[sender].stop_line = true;
			}
		}
		break;
	case TEV_EXIT:
		place_death(h, task_by_gtid(h, ev->pid));
		break;
	case TEV_MARK: {
		const struct report *rep;

		if (ev->mark_task < 0 || (size_t)ev->mark_task >= h->s->ntasks)
			break;
		rep = find_record(h, ev->mark_task, ev->mark_seq);
		if (!rep) {
			drain_reports(h);
			rep = find_record(h, ev->mark_task, ev->mark_seq);
		}
		if (rep)
			place_record(h, rep);
		break;
	}
	case TEV_OTHER:
	default:
		break;
	}
}

static int cmp_ts(const void *a, const void *b)
{
	const struct report *x = *(const struct report *const *)a;
	const struct report *y = *(const struct report *const *)b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* Turns what was collected during the current step into lines. */
static void place_step_events(struct host *h)
{
	if (h->traced) {
		struct tev ev;

		for (size_t i = 0; i < h->ntlines; i++) {
			if (tracefs_parse(h->tlines[i], &ev) == 0)
				place_trace_event(h, &ev);
			free(h->tlines[i]);
		}
		h->ntlines = 0;
	} else {
		size_t n = h->nrecs - h->marked_upto, k = 0;
		const struct report **v = calloc(n ? n : 1, sizeof *v);

		if (!v) {
			fail(h, "out of memory");
			return;
		}
		for (size_t i = h->marked_upto; i < h->nrecs; i++) {
			int kind = h->recs[i].kind;

			if (h->recs[i].task >= 0 &&
			    (kind == REP_BEGIN || kind == REP_END || kind == REP_HANDLER ||
			     kind == REP_SIGRETURN ||
			     kind == REP_LONGJMP || kind == REP_SIGLONGJMP))
				v[k++] = &h->recs[i];
		}
		qsort(v, k, sizeof *v, cmp_ts);
		for (size_t i = 0; i < k; i++)
			place_record(h, v[i]);
		free(v);
		h->marked_upto = h->nrecs;
	}
}

/* ---- /proc: quiescence and deaths --------------------------------------- */

/* The wait status of task's process, when it is known to be dead. */
static bool process_status(struct host *h, int task, int *status)
{
	int lead = h->s->tasks[task].kind == SC_THREAD ? h->s->tasks[task].leader : task;
	struct htask *t = &h->t[lead];
	struct proc_thread pt;

	if (t->have_status) {
		*status = t->status;
		return true;
	}
	if (t->direct && t->pidfd >= 0) {
		siginfo_t si;

		memset(&si, 0, sizeof si);
		if (waitid(P_PIDFD, (id_t)t->pidfd, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
		    si.si_pid != 0) {
			t->status = si.si_code == CLD_EXITED ? (si.si_status & 0xff) << 8
				  : (si.si_status & 0x7f) | (si.si_code == CLD_DUMPED ? 0x80 : 0);
			t->have_status = true;
		}
	} else if (proc_read_thread(t->g_pid, t->g_pid, &pt) == 0 && !pt.gone &&
		   pt.state == 'Z') {
		/* a zombie's exit_code is its wait status */
		bool alive = false;

		for (size_t i = 0; i < h->s->ntasks; i++)
			if (h->t[i].g_pid == t->g_pid && !h->t[i].dead)
				alive = true;
		if (!alive) {
			t->status = pt.exit_code;
			t->have_status = true;
		}
	} else {
		for (size_t i = 0; i < h->nrecs; i++)
			if (h->recs[i].kind == REP_REAPED && h->recs[i].ns_pid == t->ns_pid) {
				t->status = h->recs[i].status;
				t->have_status = true;
			}
		/* reaped by someone who did not report it (a namespace init's
		 * zap_pid_ns_processes): the pidfd still knows */
		if (!t->have_status && proc_pidfd_exit_status(t->pidfd, &t->status))
			t->have_status = true;
	}
	*status = t->status;
	return t->have_status;
}

static void death_text(struct host *h, int task, char *buf, size_t n)
{
	int st;
	int sig;

	/* A thread that called exit(N) ended that way; a process (its
	 * leader) ended as wait reports it, once that is known (a leader
	 * that left before its threads takes the last thread's code). */
	if (h->t[task].self_exit &&
	    (h->s->tasks[task].kind == SC_THREAD || !process_status(h, task, &st))) {
		snprintf(buf, n, "exited %ld", h->t[task].self_code);
		return;
	}
	if (!process_status(h, task, &st)) {
		snprintf(buf, n, "zombie");
		return;
	}
	if (WIFEXITED(st)) {
		snprintf(buf, n, "exited %d", WEXITSTATUS(st));
		return;
	}
	sig = WTERMSIG(st);
	snprintf(buf, n, "killed %s%s", sl_signal_name(sig), WCOREDUMP(st) ? " (core dumped)" : "");
}

/* T_ASLEEP: asleep in the blocking call it is making (issue 4). */
enum tstate { T_IDLE, T_BUSY, T_STOPPED, T_DEAD, T_ASLEEP };

static enum tstate poll_task(struct host *h, int i, uint64_t *deliverable)
{
	struct htask *t = &h->t[i];
	struct proc_thread pt;

	*deliverable = 0;
	if (t->dead || !t->spawned)
		return T_DEAD;
	if (proc_read_thread(t->g_pid, t->g_tid, &pt) < 0)
		return T_BUSY;
	if (pt.gone || pt.state == 'Z' || pt.state == 'X') {
		t->dead = true;
		return T_DEAD;
	}
	if (pt.state == 'T' || pt.state == 't') {
		t->stopped = true;
		return T_STOPPED;
	}
	t->stopped = false;
	if (pt.state == 'S' && pt.syscall_nr == SYS_read && pt.arg0 == h->env.cmd_rd[i]) {
		*deliverable = (pt.sigpnd | pt.shdpnd) & ~pt.sigblk;
		return T_IDLE;
	}
	if (pt.state == 'S' && host_block_asleep(&t->blk, &h->time, pt.syscall_nr, pt.arg0)) {
		*deliverable = (pt.sigpnd | pt.shdpnd) & ~pt.sigblk;
		return T_ASLEEP;
	}
	return T_BUSY;
}

static bool have_done(const struct host *h, int task, int step)
{
	for (size_t i = h->nrecs; i-- > 0;)
		if (h->recs[i].kind == REP_DONE && h->recs[i].task == task &&
		    h->recs[i].step == step)
			return true;
	return false;
}

static void describe_states(struct host *h, char *buf, size_t n)
{
	size_t len = 0;
	struct proc_thread pt;

	for (size_t i = 0; i < h->s->ntasks && len < n; i++) {
		struct htask *t = &h->t[i];

		if (!t->spawned || proc_read_thread(t->g_pid, t->g_tid, &pt) < 0 || pt.gone) {
			len += (size_t)snprintf(buf + len, n - len, " %s=gone", h->s->tasks[i].name);
			continue;
		}
		len += (size_t)snprintf(buf + len, n - len, " %s=%c(syscall %ld, pending %llx, blocked %llx)",
					h->s->tasks[i].name, pt.state, pt.syscall_nr,
					(unsigned long long)(pt.sigpnd | pt.shdpnd),
					(unsigned long long)pt.sigblk);
	}
}

/* Waits until every task is idle in its command read with nothing it could
 * take pending, stopped, or dead, and the command `step` of `task` is done
 * (or the task stopped or died).  Bounded. */
static int settle(struct host *h, int task, int step)
{
	int timeout = h->o->step_timeout_ms > 0 ? h->o->step_timeout_ms : 2000;
	uint64_t deadline = now_ms() + (uint64_t)timeout;
	int calm = 0;
	size_t seen = h->nrecs;
	struct timespec nap = { 0, 100000 };

	for (;;) {
		bool quiet = true;
		uint64_t dl;

		drain_reports(h);
		drain_trace(h);
		if (interrupted)
			return fail(h, "interrupted by signal %d", (int)interrupted);
		for (size_t i = 0; i < h->s->ntasks && quiet; i++) {
			enum tstate st = poll_task(h, (int)i, &dl);

			if (st == T_BUSY || ((st == T_IDLE || st == T_ASLEEP) && dl))
				quiet = false;
			if ((int)i == task && st == T_IDLE && step >= 0 && !have_done(h, task, step))
				quiet = false;
		}
		if (quiet && h->nrecs == seen) {
			if (++calm >= 2)
				break;
		} else {
			calm = 0;
			seen = h->nrecs;
		}
		if (h->nrecs - h->step_first_rec > HOST_MAX_STEP_REPORTS)
			return fail(h, "step %d does not settle: more than %u reports "
				    "(a handler for a fault that returns runs again forever)",
				    step + 1, HOST_MAX_STEP_REPORTS);
		if (now_ms() > deadline) {
			char states[400];

			describe_states(h, states, sizeof states);
			return fail(h, "timeout: step %d did not settle within %d ms;%s",
				    step + 1, timeout, states);
		}
		nanosleep(&nap, NULL);
		if (nap.tv_nsec < 2000000)
			nap.tv_nsec *= 2;
	}
	drain_reports(h);
	drain_trace(h);
	return 0;
}

/* ---- spawning ----------------------------------------------------------- */

static int send_cmd(struct host *h, int task, int kind, int arg, int pgid)
{
	struct command c = { kind, arg, pgid };

	if (write(h->env.cmd_wr[task], &c, sizeof c) != (ssize_t)sizeof c)
		return fail(h, "cannot command task %s: %s", task_name(h, task), strerror(errno));
	return 0;
}

/* Waits for the HELLO of `task` (bounded). */
static int await_hello(struct host *h, int task)
{
	uint64_t deadline = now_ms() + 2000;
	struct pollfd p = { h->report_rd, POLLIN, 0 };

	for (;;) {
		drain_reports(h);
		for (size_t i = 0; i < h->nrecs; i++) {
			const struct report *r = &h->recs[i];

			if (r->kind == REP_FAIL)
				return fail(h, "task %s could not be set up: %s",
					    task_name(h, r->task), strerror(r->err));
			if (r->kind == REP_HELLO && r->task == task) {
				struct htask *t = &h->t[task];

				t->ns_pid = r->ns_pid;
				t->ns_tid = r->ns_tid;
				t->g_pid = r->g_pid;
				t->g_tid = r->g_tid;
				t->in_pid = r->in_pid;
				t->in_tid = r->in_tid;
				t->spawned = true;
				h->env.ns_pid[task] = r->ns_pid;
				h->env.ns_tid[task] = r->ns_tid;
				return 0;
			}
		}
		if (interrupted)
			return fail(h, "interrupted by signal %d", (int)interrupted);
		if (now_ms() > deadline)
			return fail(h, "task %s did not start", task_name(h, task));
		(void)poll(&p, 1, 50);
	}
}

static int open_pidfd(struct host *h, int task)
{
	struct htask *t = &h->t[task];

	t->pidfd = (int)syscall(SYS_pidfd_open, t->g_pid, 0);
	if (t->pidfd < 0)
		return fail(h, "pidfd_open(%s): %s", task_name(h, task), strerror(errno));
	return 0;
}

static int spawn_direct(struct host *h, int task)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return fail(h, "fork: %s", strerror(errno));
	if (pid == 0)
		agent_main(&h->env, task);
	h->t[task].direct = true;
	h->t[task].g_pid = pid;
	/* Our own unreaped child: its pid cannot be reused before we wait. */
	h->t[task].pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (h->t[task].pidfd < 0)
		return fail(h, "pidfd_open: %s", strerror(errno));
	return await_hello(h, task);
}

static int await_done(struct host *h, int task)
{
	uint64_t deadline = now_ms() + 2000;
	struct pollfd p = { h->report_rd, POLLIN, 0 };

	for (;;) {
		drain_reports(h);
		for (size_t i = 0; i < h->nrecs; i++)
			if (h->recs[i].kind == REP_DONE && h->recs[i].task == task &&
			    h->recs[i].step == -1) {
				h->recs[i].step = -2;	/* consumed */
				return 0;
			}
		if (interrupted)
			return fail(h, "interrupted by signal %d", (int)interrupted);
		if (now_ms() > deadline)
			return fail(h, "task %s did not answer", task_name(h, task));
		(void)poll(&p, 1, 50);
	}
}

/* A top-level nsinit: the model's is a child of the controller, whose
 * pid namespace is not the scenario's; on the host a hidden holder process
 * in the scenario's namespace clones it with CLONE_NEWPID and stays its
 * parent, never waiting, with every signal blocked.  Seen from the nsinit
 * both parents are outside its namespace. */
static int spawn_nsinit_direct(struct host *h, int task)
{
	pid_t holder;

	fflush(NULL);
	holder = fork();
	if (holder < 0)
		return fail(h, "fork: %s", strerror(errno));
	if (holder == 0) {
		sigset_t all;
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);

		(void)prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		if (null >= 0) {
			(void)dup2(null, 0);
			(void)dup2(null, 1);
			(void)dup2(null, 2);
		}
		if (h->env.lifeline_wr >= 0)
			close(h->env.lifeline_wr);
		if ((pid_t)syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0) == 0)
			agent_main(&h->env, task);
		sigfillset(&all);
		(void)sigprocmask(SIG_BLOCK, &all, NULL);
		for (;;)
			pause();
	}
	h->t[task].holder_pidfd = (int)syscall(SYS_pidfd_open, holder, 0);
	if (h->t[task].holder_pidfd < 0)
		return fail(h, "pidfd_open: %s", strerror(errno));
	if (await_hello(h, task) < 0)
		return -1;
	/* Its parent never waits: the pid is still this nsinit's. */
	return open_pidfd(h, task);
}

static int spawn_one(struct host *h, int i)
{
	const struct sc_task *st = &h->s->tasks[i];

	if (st->forked)
		return 0;	/* born in its fork step (take_forked) */
	if (st->kind == SC_THREAD) {
		if (send_cmd(h, st->leader, CMD_THREAD, i, 0) < 0 || await_hello(h, i) < 0 ||
		    await_done(h, st->leader) < 0)
			return -1;
		h->t[i].pidfd = -1;
		return 0;
	}
	/* `in=NS` without `parent=`: the namespace's init forks it. */
	int parent = st->parent >= 0 ? st->parent : st->kind == SC_PROCESS ? st->ns : -1;

	if (parent < 0)
		return st->kind == SC_NSINIT ? spawn_nsinit_direct(h, i) : spawn_direct(h, i);
	int pgid = 0;

	if (st->pgrp >= 0 && st->pgrp != i)
		pgid = h->env.ns_of[i] >= 0 ? h->t[st->pgrp].in_pid : h->t[st->pgrp].ns_pid;
	if (send_cmd(h, parent, st->kind == SC_NSINIT ? CMD_FORK_NEWPID : CMD_FORK, i, pgid) < 0 ||
	    await_hello(h, i) < 0 || await_done(h, parent) < 0)
		return -1;
	/* Its parent never waits and is idle: the pid is still this child's. */
	return open_pidfd(h, i);
}

static int spawn_all(struct host *h)
{
	int nsfd = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
	int r = 0;

	if (nsfd < 0)
		return fail(h, "cannot open /proc/self/ns/pid: %s", strerror(errno));
	if (unshare(CLONE_NEWPID) < 0) {
		close(nsfd);
		return fail(h, "unshare(CLONE_NEWPID): %s", strerror(errno));
	}
	fflush(NULL);
	h->helper_pid = fork();
	if (h->helper_pid == 0)
		helper_main(&h->env);
	if (h->helper_pid < 0) {
		r = fail(h, "fork: %s", strerror(errno));
	} else {
		h->helper_pidfd = (int)syscall(SYS_pidfd_open, h->helper_pid, 0);
		for (size_t i = 0; i < h->s->ntasks && r == 0; i++)
			r = spawn_one(h, (int)i);
	}
	/* Back to our own namespace for anything we fork later. */
	if (setns(nsfd, CLONE_NEWPID) < 0 && r == 0)
		r = fail(h, "setns: %s", strerror(errno));
	close(nsfd);
	if (r < 0)
		return r;
	/* Every process learns every task's pids. */
	for (size_t i = 0; i < h->s->ntasks; i++) {
		size_t sz = h->s->ntasks * sizeof(int32_t);

		if (h->s->tasks[i].kind == SC_THREAD || h->s->tasks[i].forked)
			continue;
		if (send_cmd(h, (int)i, CMD_TABLE, 0, 0) < 0 ||
		    write(h->env.cmd_wr[i], h->env.ns_pid, sz) != (ssize_t)sz ||
		    write(h->env.cmd_wr[i], h->env.ns_tid, sz) != (ssize_t)sz ||
		    await_done(h, (int)i) < 0)
			return fail(h, "cannot send the pid table to %s", task_name(h, (int)i));
	}
	/* Last, when nothing needs privilege any more: every thread takes the
	 * scenario's credentials. */
	for (size_t i = 0; i < h->s->ntasks; i++)
		if (!h->s->tasks[i].forked &&
		    (send_cmd(h, (int)i, CMD_CREDS, 0, 0) < 0 || await_done(h, (int)i) < 0))
			return -1;
	for (size_t i = 0; i < h->nrecs; i++)
		if (h->recs[i].kind == REP_FAIL)
			return fail(h, "task %s cannot take its credentials",
				    task_name(h, h->recs[i].task));
	return 0;
}

/* ---- cleanup ------------------------------------------------------------ */

/* Sends SIGKILL through a pidfd: it cannot reach a process that reused the
 * pid.  This and nothing else is how the controller signals. */
static void kill_pidfd(int fd)
{
	if (fd >= 0)
		(void)syscall(SYS_pidfd_send_signal, fd, SIGKILL, NULL, 0);
}

static void reap_pidfd(int fd, pid_t pid)
{
	struct pollfd p = { fd, POLLIN, 0 };
	siginfo_t si;

	if (fd < 0)
		return;
	(void)poll(&p, 1, 2000);
	memset(&si, 0, sizeof si);
	(void)waitid(P_PIDFD, (id_t)fd, &si, WEXITED | WNOHANG);
	(void)pid;
}

/* Kills every process of the run (the helper last: the namespace goes
 * down with it) without releasing anything yet. */
static void kill_all(struct host *h)
{
	if (h->traced)
		tracefs_stop(&h->tr);
	for (size_t i = 0; i < h->s->ntasks; i++) {
		kill_pidfd(h->t[i].pidfd);
		kill_pidfd(h->t[i].holder_pidfd);
	}
	kill_pidfd(h->helper_pidfd);
}

static void note_pids(struct host *h)
{
	struct host_result *r = h->r;

	if (h->helper_pid > 0)
		r->pids[r->npids++] = h->helper_pid;
	for (size_t i = 0; i < h->s->ntasks && r->npids < HOST_RESULT_MAX_PIDS; i++)
		if (h->t[i].g_pid > 0 && h->s->tasks[i].kind != SC_THREAD)
			r->pids[r->npids++] = h->t[i].g_pid;
}

static void cleanup(struct host *h)
{
	const struct scenario *s = h->s;

	note_pids(h);
	kill_all(h);
	for (size_t i = 0; i < s->ntasks; i++) {
		if (h->t[i].direct)
			reap_pidfd(h->t[i].pidfd, h->t[i].g_pid);
		if (h->t[i].holder_pidfd >= 0) {
			reap_pidfd(h->t[i].holder_pidfd, 0);
			close(h->t[i].holder_pidfd);
			h->t[i].holder_pidfd = -1;
		}
	}
	if (h->helper_pidfd >= 0)
		reap_pidfd(h->helper_pidfd, h->helper_pid);
	else if (h->helper_pid > 0)
		(void)waitpid(h->helper_pid, NULL, 0);
	for (size_t i = 0; i < s->ntasks; i++) {
		if (h->t[i].pidfd >= 0)
			close(h->t[i].pidfd);
		h->t[i].pidfd = -1;
		if (h->env.cmd_rd[i] >= 0)
			close(h->env.cmd_rd[i]);
		if (h->env.cmd_wr[i] >= 0)
			close(h->env.cmd_wr[i]);
	}
	if (h->helper_pidfd >= 0)
		close(h->helper_pidfd);
	h->helper_pidfd = -1;
	if (h->env.lifeline_wr >= 0)
		close(h->env.lifeline_wr);
	if (h->env.lifeline_rd >= 0)
		close(h->env.lifeline_rd);
	if (h->report_rd >= 0)
		close(h->report_rd);
	if (h->env.report_fd >= 0)
		close(h->env.report_fd);
	host_time_release(&h->time);
	if (h->traced)
		tracefs_close(&h->tr);
}

/* ---- rendering ---------------------------------------------------------- */

/* The result of a call nobody saw return (the task died, stopped or left a
 * handler taken on the way back by a jump): the kernel delivered a signal
 * to it on the way out of this call, so the call succeeded, and these
 * calls return 0 on success. */
static bool assumed_result(const struct sc_stmt *st, int64_t *out)
{
	switch (st->op) {
	case SC_OP_SIGACTION: case SC_OP_SIGPROCMASK: case SC_OP_KILL:
	case SC_OP_TKILL: case SC_OP_TGKILL: case SC_OP_SIGQUEUE:
	case SC_OP_TGSIGQUEUE: case SC_OP_PIDFD_SEND: case SC_OP_RAISE:
		*out = 0;
		return true;
	default:
		return false;
	}
}

/* Whether the return of the blocking call `seq` has a line of its own. */
static bool has_return_line(const struct host *h, int task, int seq)
{
	for (size_t i = 0; i < h->nlines; i++)
		if (h->lines[i].ret && h->lines[i].task == task && h->lines[i].seq == seq)
			return true;
	return false;
}

static void render_line_call(struct host *h, struct strbuf *b, int task, int seq,
			     const struct sc_stmt *st, bool ret_line)
{
	const struct report *end = seq >= 0 ? find_end(h, task, seq) : NULL;
	int64_t res = 0;
	bool known = end != NULL;
	struct sc_result r = { 0 };

	/* A blocking call that did not return at once: "..." here, and its
	 * value on its own line, if it returned at all (issue 4). */
	if (sc_op_may_block(st->op) && !ret_line && (!end || has_return_line(h, task, seq))) {
		r.blocked = true;
		sc_render_call(b, h->s, st, &r);
		return;
	}
	if (end)
		res = end->result;
	else
		known = assumed_result(st, &res);
	if (!known) {
		sc_render_call(b, h->s, st, NULL);
		if (sc_stmt_has_result(st->op))
			sb_add(b, " = ?");
		return;
	}
	r.ret = (long)res;
	if (st->op == SC_OP_SIGPENDING && (res >= 0 || res < -4095)) {
		r.set = (sl_sigset)res;
		r.ret = 0;
	}
	/* process calls (issue 5): pids become task names */
	r.pid_name = res > 0 ? name_seen(h, task, (int)res) : NULL;
	if (end) {
		r.status = end->status;
		r.wcode = end->code;
		r.wstatus = end->status;
		r.wpid_name = name_seen(h, task, end->pid);
		host_time_result(st, end, &r);
		if (r.has_info)
			r.info_pid_name = name_ns_pid(h, task, end->pid);
	}
	sc_render_call(b, h->s, st, &r);
}

static const char *final_state(struct host *h, int i, char *buf, size_t n)
{
	struct htask *t = &h->t[i];
	uint64_t dl;

	if (!t->spawned)
		return h->s->tasks[i].forked ? "not forked" : "?";
	switch (poll_task(h, i, &dl)) {
	case T_DEAD:
		death_text(h, i, buf, n);
		return buf;
	case T_STOPPED:
		return "stopped";
	case T_IDLE:
		return "running";
	case T_BUSY:
	default:
		return "sleeping";
	}
}

static void render(struct host *h, struct strbuf *b, bool final)
{
	const struct scenario *s = h->s;
	size_t li = 0;
	char buf[128];

	sb_addf(b, "# scenario %s\n", s->name ? s->name : "?");
	for (int step = 0; step <= h->cur_step && step < (int)s->nsteps; step++) {
		const struct sc_step *sp = &s->steps[step];
		struct strbuf call = { 0 };

		if (sp->task < 0)	/* advance: the clock's step */
			sc_render_call(&call, s, &sp->stmt, NULL);
		else
			render_line_call(h, &call, sp->task, h->step_seq[step], &sp->stmt, false);
		sb_addf(b, "%3d %-6s %s\n", step + 1, sp->task < 0 ? "clock" : s->tasks[sp->task].name,
			sb_str(&call));
		sb_free(&call);
		for (; li < h->nlines && h->lines[li].step == step; li++) {
			struct line *l = &h->lines[li];
			const char *who = l->task >= 0 ? s->tasks[l->task].name : "?";

			sb_addf(b, "    %-6s %*s", who, 2 * l->depth, "");
			if (l->kind == L_CALL) {
				render_line_call(h, b, l->task, l->seq, l->stmt, l->ret);
				sb_addf(b, "\n");
			} else if (l->kind == L_DEATH) {
				death_text(h, l->task, buf, sizeof buf);
				sb_addf(b, "%s\n", buf);
			} else {
				sb_addf(b, "%s\n", l->text);
			}
		}
	}
	if (h->failed || !final)
		return;
	sb_addf(b, "final\n");
	for (size_t i = 0; i < s->ntasks; i++)
		sb_addf(b, "    %-6s %s\n", s->tasks[i].name,
			  final_state(h, (int)i, buf, sizeof buf));
}

/* ---- steps -------------------------------------------------------------- */

/* The signal that stopped a child of ours, or 0 when it cannot be known
 * without the trace. */
static int stop_signal(struct host *h, int task)
{
	const struct sc_task *st = &h->s->tasks[task];
	struct htask *t = &h->t[st->kind == SC_THREAD ? st->leader : task];
	siginfo_t si;

	if (!t->direct || t->pidfd < 0)
		return 0;
	memset(&si, 0, sizeof si);
	if (waitid(P_PIDFD, (id_t)t->pidfd, &si, WSTOPPED | WNOHANG | WNOWAIT) < 0 ||
	    si.si_code != CLD_STOPPED)
		return 0;
	return si.si_status;
}

/* Without the trace, a task continued by this step did so when the step's
 * call sent SIGCONT: before anything its handlers did. */
static void move_to_step_start(struct host *h)
{
	struct line l = h->lines[h->nlines - 1];

	memmove(&h->lines[h->step_first_line + 1], &h->lines[h->step_first_line],
		(h->nlines - 1 - h->step_first_line) * sizeof l);
	h->lines[h->step_first_line] = l;
}

/* A "stopped" line is written when a stop signal is delivered with its
 * default action, but the stop does not always follow: in an orphaned
 * process group SIGTSTP, SIGTTIN and SIGTTOU are discarded.  At the end of
 * the step /proc says what happened: a task that runs did not stop (a
 * stop and a continue within one step are not told apart), and a stopped
 * one stopped on the last of them. */
static void drop_stops_that_did_not_happen(struct host *h, int task, bool stopped)
{
	size_t keep = (size_t)-1, out = h->step_first_line;

	for (size_t j = h->step_first_line; j < h->nlines; j++)
		if (h->lines[j].task == task && h->lines[j].kind == L_TEXT &&
		    !strncmp(h->lines[j].text, "stopped ", 8))
			keep = stopped ? j : (size_t)-1;
	for (size_t j = h->step_first_line; j < h->nlines; j++) {
		const struct line *l = &h->lines[j];

		if (l->task == task && l->kind == L_TEXT && !strncmp(l->text, "stopped ", 8) &&
		    j != keep)
			continue;
		h->lines[out++] = h->lines[j];
	}
	h->nlines = out;
}

/* Lines the trace cannot give: stops and continues seen in /proc, and
 * deaths without a sched_process_exit event. */
static void place_state_changes(struct host *h)
{
	uint64_t dl;

	for (size_t i = 0; i < h->s->ntasks; i++) {
		struct htask *t = &h->t[i];
		enum tstate st = poll_task(h, (int)i, &dl);
		struct line *l;

		if (!t->spawned)
			continue;
		if (t->stop_line && st != T_DEAD)
			drop_stops_that_did_not_happen(h, (int)i, st == T_STOPPED);
		if (st == T_DEAD) {
			place_death(h, (int)i);
		} else if (st == T_STOPPED && !t->was_stopped && !t->stop_line) {
			int sig = stop_signal(h, (int)i);

			l = add_line(h, L_TEXT, (int)i, depth_of(h, (int)i));
			if (l)
				snprintf(l->text, sizeof l->text, "stopped%s%s", sig ? " " : "",
					 sig ? sl_signal_name(sig) : "");
		} else if (st != T_STOPPED && t->was_stopped) {
			l = add_line(h, L_TEXT, (int)i, depth_of(h, (int)i));
			if (l) {
				snprintf(l->text, sizeof l->text, "continued");
				move_to_step_start(h);
			}
		}
	}
}

static int start_trace(struct host *h);

static int run_step(struct host *h, int step)
{
	const struct sc_step *sp = &h->s->steps[step];
	uint64_t dl;
	enum tstate st;

	h->cur_step = step;
	h->step_lines = h->dropped = 0;
	h->step_first_rec = h->nrecs;
	h->step_first_line = h->nlines;
	for (size_t i = 0; i < h->s->ntasks; i++) {
		h->t[i].was_stopped = h->t[i].stopped;
		h->t[i].stop_line = false;
	}
	/* advance (issue 4): the clock's step sleeps, scaled */
	if (sp->task < 0 && host_time_advance(&h->time, sp->stmt.dur, &interrupted) < 0)
		return fail(h, "interrupted by signal %d", (int)interrupted);
	st = sp->task < 0 ? T_IDLE : poll_task(h, sp->task, &dl);
	if (st == T_DEAD || st == T_STOPPED || st == T_ASLEEP) {
		h->r->diag.pos = sp->stmt.pos;
		snprintf(h->r->diag.message, sizeof h->r->diag.message,
			 "step for task '%s', which is %s", h->s->tasks[sp->task].name,
			 st == T_DEAD ? "dead" : st == T_STOPPED ? "stopped" : "sleeping");
		h->cur_step = step - 1;
		return 1;
	}
	if (sp->task >= 0 && send_cmd(h, sp->task, CMD_STEP, step, 0) < 0)
		return -1;
	if (settle(h, sp->task, step) < 0) {
		place_step_events(h);
		if (h->dropped) {
			size_t dropped = h->dropped;
			struct line *l;

			h->step_lines = 0;
			l = add_line(h, L_TEXT, sp->task, 0);
			if (l)
				snprintf(l->text, sizeof l->text, "... (%zu more lines not shown)", dropped);
		}
		return -1;
	}
	place_step_events(h);
	place_state_changes(h);
	/* Tasks born in this step: the tracepoints follow them from now. */
	if (h->new_tasks && start_trace(h) < 0)
		return -1;
	h->new_tasks = false;
	return 0;
}

/* ---- the run ------------------------------------------------------------ */

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
		return fail(h, "pipe: %s", strerror(errno));
	h->env.lifeline_rd = fds[0];
	h->env.lifeline_wr = fds[1];
	if (pipe2(fds, O_CLOEXEC) < 0)
		return fail(h, "pipe: %s", strerror(errno));
	h->report_rd = fds[0];
	h->env.report_fd = fds[1];
	(void)fcntl(h->report_rd, F_SETFL, O_NONBLOCK);
	(void)fcntl(h->report_rd, F_SETPIPE_SZ, 1 << 20);
	for (size_t i = 0; i < s->ntasks; i++) {
		if (pipe2(fds, O_CLOEXEC) < 0)
			return fail(h, "pipe: %s", strerror(errno));
		h->env.cmd_rd[i] = fds[0];
		h->env.cmd_wr[i] = fds[1];
	}
	if (host_time_prepare(&h->time, s) < 0)
		return fail(h, "pipes or clock: %s", strerror(errno));
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
				fprintf(stderr, "siglab host: no tracefs (%s): comparing what the agents report only\n",
					why);
			said = true;
		}
	}
	return 0;
}

static int start_trace(struct host *h)
{
	int32_t *tids;
	size_t n = 0;
	int r;

	if (!h->traced)
		return 0;
	tids = calloc(h->s->ntasks ? h->s->ntasks : 1, sizeof *tids);
	if (!tids)
		return fail(h, "out of memory");
	for (size_t i = 0; i < h->s->ntasks; i++)
		if (h->t[i].spawned)
			tids[n++] = h->t[i].g_tid;
	r = tracefs_start(&h->tr, tids, n);
	free(tids);
	if (r < 0 && h->new_tasks)
		return fail(h, "cannot follow the forked tasks in the trace");
	if (r < 0) {
		fprintf(stderr, "siglab host: cannot enable the signal tracepoints: comparing what the agents report only\n");
		tracefs_close(&h->tr);
		h->traced = false;
		h->env.use_marker = false;
	}
	return 0;
}

static int32_t *shared_table(size_t n)
{
	void *p = mmap(NULL, n * sizeof(int32_t), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void free_shared_table(int32_t *p, size_t n)
{
	if (p)
		munmap(p, n * sizeof(int32_t));
}

enum host_status host_run(const struct scenario *s, const struct host_options *o,
			  struct host_result *r)
{
	static const struct host_options defaults = { 0, false, false };
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
	/* The pid table is shared by every agent: a forked agent writes its
	 * own pids there, and every task can name it from then on. */
	h.env.ns_pid = shared_table(s->ntasks + 1);
	h.env.ns_tid = shared_table(s->ntasks + 1);
	h.env.ns_of = shared_table(s->ntasks + 1);
	h.env.in_pid = shared_table(s->ntasks + 1);
	h.env.in_tid = shared_table(s->ntasks + 1);
	h.step_seq = malloc((s->nsteps + 1) * sizeof(int));
	h.seqidx = calloc(s->ntasks + 1, sizeof *h.seqidx);
	h.nseq = calloc(s->ntasks + 1, sizeof *h.nseq);
	h.capseq = calloc(s->ntasks + 1, sizeof *h.capseq);
	h.env.lifeline_rd = h.env.lifeline_wr = -1;
	if (!h.seqidx || !h.nseq || !h.capseq ||
	    !h.t || !h.env.cmd_rd || !h.env.cmd_wr || !h.env.ns_pid || !h.env.ns_tid ||
	    !h.env.ns_of || !h.env.in_pid || !h.env.in_tid ||
	    !h.step_seq) {
		fail(&h, "out of memory");
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
	if (prepare(&h) < 0 || spawn_all(&h) < 0 || start_trace(&h) < 0)
		goto out;
	r->traced = h.traced;
	drain_trace(&h);
	for (size_t i = 0; i < h.ntlines; i++)
		free(h.tlines[i]);
	h.ntlines = 0;
	h.marked_upto = h.nrecs;
	host_time_start(&h.time);
	for (size_t i = 0; i < s->nsteps && rc == 0; i++)
		rc = run_step(&h, (int)i);
out:
	if (!h.failed && rc == 0 && h.t) {
		render(&h, &b, true);
		r->status = HOST_OK;
	} else if (rc > 0) {
		render(&h, &b, false);
		r->status = HOST_ERROR;
	} else {
		/* Stop a run that went wrong before looking at what it did. */
		if (h.t)
			kill_all(&h);
		if (h.t && h.step_seq && h.seqidx)
			render(&h, &b, false);
		r->status = HOST_FAILED;
	}
	if (h.t)
		cleanup(&h);
	r->trace = sb_take(&b);
	for (size_t i = 0; i < h.ntlines; i++)
		free(h.tlines[i]);
	free(h.tlines);
	free(h.recs);
	free(h.lines);
	free(h.t);
	free(h.env.cmd_rd);
	free(h.env.cmd_wr);
	free_shared_table(h.env.ns_pid, s->ntasks + 1);
	free_shared_table(h.env.ns_tid, s->ntasks + 1);
	free_shared_table(h.env.ns_of, s->ntasks + 1);
	free_shared_table(h.env.in_pid, s->ntasks + 1);
	free_shared_table(h.env.in_tid, s->ntasks + 1);
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
