/*
 * The diagnosis of `siglab why`: a live process, as /proc shows it, is
 * rebuilt in a fresh libsiglab kernel — a task of the same kind (process,
 * kernel thread, global init, namespace init) with the same dispositions,
 * masks, pending sets, threads and state — and a sender task calls
 * sl_sys_kill on it.  The generation result and the rules the engine
 * reports, and what sl_return_to_user then does, are the verdict: the
 * diagnosis follows the same rules as the model, never rules of its own.
 *
 * /proc shows that a signal is caught, not the handler's address or its
 * sa_flags: caught signals get an opaque handler value and no flags.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "why/why.h"

/* An opaque handler value for a caught signal (SigCgt). */
#define OPAQUE_HANDLER(sig) ((uint64_t)0x10000 + (uint64_t)(sig))
#define KERNEL_ONLY (sl_sigmask(SL_SIGKILL) | sl_sigmask(SL_SIGSTOP))
#define STOP_SIGNALS (sl_sigmask(SL_SIGSTOP) | sl_sigmask(SL_SIGTSTP) | \
		      sl_sigmask(SL_SIGTTIN) | sl_sigmask(SL_SIGTTOU))
/* A session number for targets /proc shows none for (kernel threads). */
#define NO_SESSION 0x7ffffff0
#define LOG_CAP 512

const char *why_verdict_name(enum why_verdict v)
{
	static const char *const names[] = {
		[WHY_UNKNOWN] = "unknown", [WHY_EXISTS] = "exists",
		[WHY_EPERM] = "EPERM", [WHY_DROPPED] = "dropped",
		[WHY_ALREADY_PENDING] = "already pending", [WHY_PENDING] = "pending",
		[WHY_HANDLER] = "handler", [WHY_TERM] = "killed (Term)",
		[WHY_CORE] = "killed (Core)", [WHY_STOP] = "stopped",
		[WHY_CONTINUE] = "continued", [WHY_NOTHING] = "no effect",
		[WHY_FLUSHED] = "discarded",
		[WHY_KTHREAD_QUEUED] = "queued for a kernel thread",
		[WHY_WAITS] = "waits for SIGCONT", [WHY_ZOMBIE] = "no effect (zombie)",
	};

	return (unsigned)v < sizeof names / sizeof names[0] && names[v] ? names[v] : "?";
}

/* ---- what the target is ---------------------------------------------------- */

static bool is_kthread(const struct proc_process *p)
{
	return (p->stat.flags & PROC_PF_KTHREAD) || p->status.kthread == 1;
}

/* Pid 1 in the innermost namespace is an init.  Seen from the namespace
 * the proc file system belongs to, an init with one NSpid field more than
 * the caller is the init of a child namespace; one at the caller's level
 * is the caller's own init, global when the caller is in the initial
 * namespace. */
enum why_kind why_classify(const struct proc_process *p, const struct proc_self *self)
{
	const struct proc_status *st = &p->status;
	bool init;

	if (is_kthread(p))
		return WHY_KIND_KTHREAD;
	if (st->have & PS_NSPID)
		init = st->nspid[st->nspid_count - 1] == 1;
	else
		init = p->stat.pid == 1;
	if (!init)
		return WHY_KIND_PROCESS;
	if ((st->have & PS_NSPID) && st->nspid_count > self->nspid_count)
		return WHY_KIND_NS_INIT;
	return self->root_pidns == 0 ? WHY_KIND_NS_INIT : WHY_KIND_GLOBAL_INIT;
}

bool why_sender_inside(const struct proc_process *p, const struct why_sender *s)
{
	if (s->from != WHY_FROM_AUTO)
		return s->from == WHY_FROM_INSIDE;
	return !(p->status.have & PS_NSPID) || p->status.nspid_count <= s->self.nspid_count;
}

static bool thread_dead(const struct proc_thread *t)
{
	return t->state == 'Z' || t->state == 'X';
}

/* A zombie: every thread has exited. */
static bool all_threads_dead(const struct proc_process *p)
{
	for (size_t i = 0; i < p->nthreads; i++)
		if (!thread_dead(&p->threads[i]))
			return false;
	return true;
}

/* The blocked mask every live thread shares. */
static uint64_t blocked_everywhere(const struct proc_process *p)
{
	uint64_t all = ~(uint64_t)0;
	bool any = false;

	for (size_t i = 0; i < p->nthreads; i++) {
		if (thread_dead(&p->threads[i]))
			continue;
		all &= p->threads[i].sigblk;
		any = true;
	}
	return any ? all : p->status.sigblk;
}

/* kill_ok_by_cred: the sender's real or effective uid matches the
 * target's real or saved uid, or the sender has CAP_KILL. */
static bool kill_ok_by_cred(const struct proc_self *me, const struct proc_status *t)
{
	if (me->cap_kill || !(t->have & PS_UID))
		return true;
	return me->euid == t->uid[2] || me->euid == t->uid[0] ||
	       me->uid == t->uid[2] || me->uid == t->uid[0];
}

/* ---- the mirror ------------------------------------------------------------ */

struct mirror {
	sl_kernel *k;
	struct sl_event log[LOG_CAP];
	size_t nlog;
	const struct proc_process *p;
	int sender;
	int tgid;		/* the target in the model */
	int *tids;		/* the model tid of each real thread */
	bool stopped;		/* the mirror is in a group stop */
};

static void log_event(void *ud, const struct sl_event *ev)
{
	struct mirror *m = ud;

	if (m->nlog < LOG_CAP)
		m->log[m->nlog++] = *ev;
}

static int real_tid(const struct mirror *m, int model_tid)
{
	for (size_t i = 0; i < m->p->nthreads; i++)
		if (m->tids[i] == model_tid)
			return m->p->threads[i].tid;
	return 0;
}

static int spawn(struct mirror *m, enum sl_spawn_kind kind, int parent, uint32_t uid, int sid)
{
	struct sl_spawn how = { .kind = kind, .parent = parent, .uid = uid, .sid = sid };

	return sl_spawn(m->k, &how);
}

static uint32_t model_sender_uid(const struct proc_self *me, const struct proc_status *t)
{
	uint32_t tuid = (t->have & PS_UID) ? t->uid[0] : 0;

	if (me->cap_kill)
		return 0;
	if (kill_ok_by_cred(me, t))
		return tuid;
	if (me->euid != tuid && me->euid != 0)
		return me->euid;
	return tuid == 65534 ? 65533 : 65534;
}

/* The tasks: an init, the sender, the target (and the namespaces and
 * parents that put each where the real one is). */
static int mirror_tasks(struct mirror *m, enum why_kind kind, const struct why_sender *s)
{
	const struct proc_status *st = &m->p->status;
	uint32_t tuid = (st->have & PS_UID) ? st->uid[0] : 0;
	uint32_t suid = model_sender_uid(&s->self, st);
	int ssid = s->self.sid > 0 ? s->self.sid : NO_SESSION;
	int tsid = m->p->stat.session > 0 ? m->p->stat.session : NO_SESSION;
	int init, outer, parent;

	if (kind == WHY_KIND_GLOBAL_INIT) {
		m->tgid = spawn(m, SL_SPAWN_INIT, 0, 0, tsid);
		m->sender = spawn(m, SL_SPAWN_PROCESS, m->tgid, suid, ssid);
		return m->tgid < 0 || m->sender < 0 ? -1 : 0;
	}
	init = spawn(m, SL_SPAWN_INIT, 0, 0, 1);
	if (init < 0)
		return -1;
	if (kind == WHY_KIND_NS_INIT) {
		bool inside = why_sender_inside(m->p, s);

		outer = spawn(m, SL_SPAWN_PROCESS, init, inside ? 0 : suid, ssid);
		m->tgid = spawn(m, SL_SPAWN_NS_INIT, outer, tuid, tsid);
		m->sender = inside ? spawn(m, SL_SPAWN_PROCESS, m->tgid, suid, ssid) : outer;
		return outer < 0 || m->tgid < 0 || m->sender < 0 ? -1 : 0;
	}
	m->sender = spawn(m, SL_SPAWN_PROCESS, init, suid, ssid);
	if (kind == WHY_KIND_KTHREAD) {
		m->tgid = spawn(m, SL_SPAWN_KTHREAD, 0, 0, NO_SESSION);
	} else {
		/* A parent in another group of the session keeps the target's
		 * group from being orphaned; a child of init alone is orphaned. */
		parent = s->orphaned_pgrp == 1 ? init : spawn(m, SL_SPAWN_PROCESS, init, tuid, tsid);
		m->tgid = parent < 0 ? -1 : spawn(m, SL_SPAWN_PROCESS, parent, tuid, tsid);
	}
	return m->sender < 0 || m->tgid < 0 ? -1 : 0;
}

static int mirror_dispositions(struct mirror *m, bool kthread)
{
	const struct proc_status *st = &m->p->status;

	for (int sig = 1; sig <= SL_NSIG; sig++) {
		struct sl_sigaction act = { .handler = SL_SIG_DFL };
		sl_sigset bit = sl_sigmask(sig);

		if (st->sigcgt & bit)
			act.handler = OPAQUE_HANDLER(sig);
		else if (st->sigign & bit)
			act.handler = SL_SIG_IGN;
		if (kthread && act.handler != SL_SIG_DFL && act.handler != SL_SIG_IGN) {
			if (sl_kthread_allow_signal(m->k, m->tgid, sig) < 0)
				return -1;
			continue;
		}
		if ((bit & KERNEL_ONLY) || (!kthread && act.handler == SL_SIG_DFL))
			continue;
		if (sl_sys_rt_sigaction(m->k, m->tgid, sig, &act, NULL) < 0)
			return -1;
	}
	return 0;
}

/* Pending signals are queued with every signal blocked, so that none is
 * dropped or acted on; then each thread gets its real mask.  Only signals
 * that stay blocked are mirrored: one that is pending and not blocked is
 * about to be delivered, a moment /proc catches only by chance.  SIGKILL
 * and SIGSTOP cannot be blocked; a pending SIGKILL is the caller's to
 * report. */
static int mirror_pending(struct mirror *m)
{
	const struct proc_process *p = m->p;
	sl_sigset all = ~(sl_sigset)0, shared = p->status.shdpnd & blocked_everywhere(p);

	for (size_t i = 0; i < p->nthreads; i++)
		if (sl_sys_rt_sigprocmask(m->k, m->tids[i], SL_SIG_SETMASK, &all, NULL) < 0)
			return -1;
	for (size_t i = 0; i < p->nthreads; i++) {
		sl_sigset own = p->threads[i].sigpnd & p->threads[i].sigblk & ~KERNEL_ONLY;

		for (int sig = 1; sig <= SL_NSIG; sig++)
			if ((own & sl_sigmask(sig)) &&
			    sl_sys_tkill(m->k, m->tids[i], m->tids[i], sig) < 0)
				return -1;
	}
	for (int sig = 1; sig <= SL_NSIG; sig++)
		if ((shared & ~KERNEL_ONLY & sl_sigmask(sig)) &&
		    sl_sys_kill(m->k, m->tgid, m->tgid, sig) < 0)
			return -1;
	for (size_t i = 0; i < p->nthreads; i++) {
		sl_sigset blk = p->threads[i].sigblk;

		if (sl_sys_rt_sigprocmask(m->k, m->tids[i], SL_SIG_SETMASK, &blk, NULL) < 0)
			return -1;
	}
	return 0;
}

static bool mirror_is_stopped(const struct mirror *m)
{
	struct sl_task_info ti;

	return sl_task_info(m->k, m->tgid, &ti) == 0 && ti.state == SL_TASK_STOPPED;
}

/* Exited threads exit in the model too; a stopped process stops (by its
 * own SIGSTOP, which no handler can intercept). */
static int mirror_state(struct mirror *m)
{
	const struct proc_process *p = m->p;
	bool stopped = false;

	for (size_t i = 0; i < p->nthreads; i++)
		stopped |= p->threads[i].state == 'T';
	if (all_threads_dead(p))
		return sl_sys_exit_group(m->k, m->tgid, 0) < 0 ? -1 : 0;
	for (size_t i = 0; i < p->nthreads; i++)
		if (thread_dead(&p->threads[i]) && sl_sys_exit(m->k, m->tids[i], 0) < 0)
			return -1;
	if (!stopped)
		return 0;
	if (sl_sys_kill(m->k, m->tgid, m->tgid, SL_SIGSTOP) < 0)
		return -1;
	for (size_t i = 0; i < p->nthreads; i++)
		if (sl_task_has_work(m->k, m->tids[i]))
			sl_return_to_user(m->k, m->tids[i], NULL);
	m->stopped = mirror_is_stopped(m);
	return 0;
}

static int mirror_build(struct mirror *m, enum why_kind kind, const struct why_sender *s)
{
	const struct proc_process *p = m->p;

	if (mirror_tasks(m, kind, s) < 0)
		return -1;
	m->tids[0] = m->tgid;
	for (size_t i = 1; i < p->nthreads; i++) {
		m->tids[i] = sl_sys_clone_thread(m->k, m->tgid);
		if (m->tids[i] < 0)
			return -1;
	}
	if (mirror_dispositions(m, kind == WHY_KIND_KTHREAD) < 0 || mirror_pending(m) < 0 ||
	    mirror_state(m) < 0)
		return -1;
	m->nlog = 0;
	return 0;
}

/* ---- running it ------------------------------------------------------------ */

static bool same_step(const struct why_step *a, const struct sl_event *ev)
{
	return a->kind == ev->kind && a->sig == ev->sig && a->rule == ev->rule;
}

/* The events of the run, each kind of decision once (a group exit shows
 * the same SIGKILL in every thread). */
static void collect_steps(const struct mirror *m, struct why_outcome *o)
{
	for (size_t i = 0; i < m->nlog && o->nsteps < WHY_MAX_STEPS; i++) {
		const struct sl_event *ev = &m->log[i];
		bool seen = false;

		/* What happens to others (SIGCHLD to the parent) is not asked. */
		if (ev->kind == SL_EV_SYSCALL_RETURN ||
		    !real_tid(m, ev->kind == SL_EV_GENERATE ? ev->target : ev->tid))
			continue;
		for (size_t j = 0; j < o->nsteps && !seen; j++)
			seen = same_step(&o->steps[j], ev);
		if (seen)
			continue;
		o->steps[o->nsteps++] = (struct why_step){
			.kind = ev->kind,
			.tid = ev->kind == SL_EV_GENERATE ? 0 : real_tid(m, ev->tid),
			.sig = ev->sig, .result = ev->result, .rule = ev->rule };
	}
}

static const struct sl_event *find_event(const struct mirror *m, enum sl_event_kind kind, int sig)
{
	for (size_t i = 0; i < m->nlog; i++)
		if (m->log[i].kind == kind && (sig == 0 || m->log[i].sig == sig))
			return &m->log[i];
	return NULL;
}

static enum why_verdict fatal_verdict(int sig)
{
	const struct sl_signal_desc *d = sig <= SL_SIGSYS ? sl_signal_describe(sig) : NULL;

	return d && d->action == SL_ACT_CORE ? WHY_CORE : WHY_TERM;
}

/* Returns every thread that has work to user mode until none has, as the
 * model's run does; the first thread that acts on `sig` decides.  A
 * handler for another signal is assumed to return. */
static void run_to_quiescence(struct mirror *m, int sig, struct why_outcome *o)
{
	size_t n = m->p->nthreads;

	for (int round = 0; round < 8; round++) {
		bool any = false;

		for (size_t i = 0; i < n; i++) {
			struct sl_ksignal ks;
			enum sl_delivery d;

			if (!sl_task_has_work(m->k, m->tids[i]))
				continue;
			any = true;
			d = sl_return_to_user(m->k, m->tids[i], &ks);
			if (d == SL_DELIVER_HANDLER && ks.sig != sig) {
				sl_sys_rt_sigreturn(m->k, m->tids[i]);
				continue;
			}
			if (d == SL_DELIVER_HANDLER || d == SL_DELIVER_EXITED ||
			    (d == SL_DELIVER_STOPPED && (sl_sigmask(sig) & STOP_SIGNALS))) {
				o->verdict = d == SL_DELIVER_HANDLER ? WHY_HANDLER
					     : d == SL_DELIVER_EXITED ? fatal_verdict(sig) : WHY_STOP;
				o->taker = m->p->threads[i].tid;
				return;
			}
		}
		if (!any)
			return;
	}
}

static bool mirror_has_pending(const struct mirror *m, int sig)
{
	for (size_t i = 0; i < m->p->nthreads; i++) {
		struct sl_task_info ti;

		if (sl_task_info(m->k, m->tids[i], &ti) == 0 &&
		    ((ti.pending | ti.shared_pending) & sl_sigmask(sig)))
			return true;
	}
	return false;
}

/* What happened when no thread acted on the signal. */
static void settle_verdict(const struct mirror *m, int sig, bool was_stopped,
			   enum why_kind kind, struct why_outcome *o)
{
	const struct sl_event *dl = find_event(m, SL_EV_DELIVER, sig);
	const struct proc_process *p = m->p;
	bool zombie = all_threads_dead(p);

	if (o->verdict != WHY_UNKNOWN)
		return;
	if (zombie) {
		o->verdict = WHY_ZOMBIE;
	} else if (was_stopped && !mirror_is_stopped(m)) {
		o->verdict = WHY_CONTINUE;
		o->rule = o->gen_rule;
	} else if (o->gen_result == SL_TRACE_IGNORED) {
		o->verdict = WHY_DROPPED;
	} else if (o->gen_result == SL_TRACE_ALREADY_PENDING) {
		o->verdict = WHY_ALREADY_PENDING;
	} else if (kind == WHY_KIND_KTHREAD) {
		o->verdict = WHY_KTHREAD_QUEUED;
	} else if (mirror_is_stopped(m)) {
		o->verdict = WHY_WAITS;
	} else if (dl && dl->rule) {
		o->verdict = WHY_NOTHING;
		o->rule = dl->rule;
	} else if (blocked_everywhere(p) & sl_sigmask(sig)) {
		o->verdict = WHY_PENDING;
	} else if (!mirror_has_pending(m, sig) && find_event(m, SL_EV_NOTE, 0)) {
		/* Discarded without delivery: SIGCONT flushes stop signals. */
		o->verdict = WHY_FLUSHED;
		o->rule = find_event(m, SL_EV_NOTE, 0)->rule;
	}
}

/* The rule that decided a verdict where a thread acted: the handler frame,
 * the fatal or stopping delivery. */
static void verdict_rule(const struct mirror *m, int sig, struct why_outcome *o)
{
	const struct sl_event *d = find_event(m, SL_EV_DELIVER, 0);
	const struct sl_event *h = find_event(m, SL_EV_HANDLER, sig);
	const struct sl_event *st = find_event(m, SL_EV_STOP, 0);

	switch (o->verdict) {
	case WHY_HANDLER:
		o->rule = h ? h->rule : o->rule;
		break;
	case WHY_TERM:
	case WHY_CORE:
		o->rule = d && d->rule ? d->rule : o->rule;
		break;
	case WHY_STOP:
		o->rule = st && st->rule ? st->rule : o->rule;
		break;
	default:
		break;
	}
}

static void start_outcome(struct why_outcome *o)
{
	*o = (struct why_outcome){ .verdict = WHY_UNKNOWN, .gen_result = -1 };
}

static void send_and_run(struct mirror *m, int sig, enum why_kind kind, struct why_outcome *o)
{
	bool was_stopped = mirror_is_stopped(m);
	const struct sl_event *gen;

	start_outcome(o);
	m->nlog = 0;
	o->kill_ret = sl_sys_kill(m->k, m->sender, m->tgid, sig);
	if (o->kill_ret == -SL_EPERM) {
		o->verdict = WHY_EPERM;
		return;
	}
	if (o->kill_ret < 0)
		return;
	if (sig == 0) {
		o->verdict = WHY_EXISTS;
		return;
	}
	gen = find_event(m, SL_EV_GENERATE, sig);
	if (gen) {
		o->gen_result = gen->result;
		o->gen_rule = gen->rule;
		o->rule = gen->rule;
	}
	run_to_quiescence(m, sig, o);
	settle_verdict(m, sig, was_stopped, kind, o);
	verdict_rule(m, sig, o);
	collect_steps(m, o);
}

/* The second act: a stopped process continued, or a blocked signal
 * unblocked by the first thread that blocks it. */
static void project(struct mirror *m, int sig, enum why_kind kind, struct why_report *r)
{
	struct why_outcome *o = &r->then;

	if (r->now.verdict == WHY_WAITS) {
		r->then_what = "after SIGCONT";
		start_outcome(o);
		m->nlog = 0;
		o->kill_ret = sl_sys_kill(m->k, m->sender, m->tgid, SL_SIGCONT);
		run_to_quiescence(m, sig, o);
		settle_verdict(m, sig, false, kind, o);
		collect_steps(m, o);
	} else if (r->now.verdict == WHY_PENDING && r->nblockers) {
		sl_sigset bit = sl_sigmask(sig);
		size_t i = 0;

		while (i < m->p->nthreads && m->p->threads[i].tid != r->blockers[0])
			i++;
		snprintf(r->then_buf, sizeof r->then_buf, "if thread %d unblocked it", r->blockers[0]);
		r->then_what = r->then_buf;
		start_outcome(o);
		m->nlog = 0;
		sl_sys_rt_sigprocmask(m->k, m->tids[i], SL_SIG_UNBLOCK, &bit, NULL);
		run_to_quiescence(m, sig, o);
		if (o->verdict == WHY_UNKNOWN) {
			const struct sl_event *dl = find_event(m, SL_EV_DELIVER, sig);

			o->verdict = dl ? WHY_NOTHING : WHY_PENDING;
			o->rule = dl ? dl->rule : NULL;
		}
		collect_steps(m, o);
	} else {
		return;
	}
	verdict_rule(m, sig, o);
	r->has_then = o->verdict != WHY_UNKNOWN;
}

/* ---- notes in plain words --------------------------------------------------- */

static void note(struct why_report *r, const char *fmt, ...)
{
	va_list ap;

	if (r->nnotes == WHY_MAX_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(r->notes[r->nnotes++], WHY_NOTE_MAX, fmt, ap);
	va_end(ap);
}

/* "TERM" for SIGTERM; SIG32 and SIG33 keep their prefix. */
static const char *short_name(int sig)
{
	const char *n = sl_signal_name(sig);

	return n[3] >= '0' && n[3] <= '9' ? n : n + 3;
}

void why_format_set(uint64_t set, char *buf, size_t cap)
{
	size_t len = 0;

	if (cap == 0)
		return;
	buf[0] = '\0';
	if (set == 0 || set == ~(uint64_t)0) {
		snprintf(buf, cap, "%s", set ? "all" : "-");
		return;
	}
	for (int sig = 1; sig <= SL_NSIG && len < cap; sig++) {
		int last = sig;
		int n;

		if (!(set & sl_sigmask(sig)))
			continue;
		if (sig > SL_SIGSYS)
			while (last < SL_NSIG && (set & sl_sigmask(last + 1)))
				last++;
		if (last - sig >= 2)
			n = snprintf(buf + len, cap - len, "%s%s..%s", len ? "," : "",
				     short_name(sig), short_name(last));
		else
			n = snprintf(buf + len, cap - len, "%s%s", len ? "," : "", short_name(sig));
		if (n < 0)
			break;
		len += (size_t)n;
		if (last - sig >= 2)
			sig = last;
	}
	if (len >= cap && cap > 4)
		memcpy(buf + cap - 4, "...", 4);
}

static const char *name_or(const char *s, const char *fallback)
{
	return s && *s ? s : fallback;
}

/* "wchan X, syscall Y" for a sleeping thread, as far as /proc tells. */
static void wait_place(const struct proc_thread *t, char *buf, size_t cap)
{
	const char *name = t->syscall >= 0 ? proc_syscall_name(t->syscall) : NULL;
	char sc[48];

	if (t->syscall >= 0)
		snprintf(sc, sizeof sc, "syscall %s%s%ld%s", name ? name : "", name ? " (" : "",
			 t->syscall, name ? ")" : "");
	else if (t->syscall == PROC_SYSCALL_NONE)
		snprintf(sc, sizeof sc, "not in a syscall");
	else if (t->syscall_err == PROC_DENIED)
		snprintf(sc, sizeof sc, "syscall unreadable (permission denied)");
	else
		snprintf(sc, sizeof sc, "syscall unknown");
	if (t->wchan[0])
		snprintf(buf, cap, "wchan %s, %s", t->wchan, sc);
	else
		snprintf(buf, cap, "wchan %s, %s",
			 t->wchan_err == PROC_DENIED ? "unreadable (permission denied)" : "unknown", sc);
}

static void kind_notes(const struct proc_process *p, const struct why_sender *s,
		       enum why_kind kind, struct why_report *r)
{
	char set[256];

	if (kind == WHY_KIND_KTHREAD) {
		why_format_set(p->status.sigcgt, set, sizeof set);
		if (!p->status.sigcgt)
			snprintf(set, sizeof set, "none");
		note(r, "%d is a kernel thread (PF_KTHREAD): it has no user mode, so no handler or "
		     "default action ever runs in it; it drops every signal it has not allowed with "
		     "allow_signal(), SIGKILL included (kernel/signal.c sig_task_ignored). Signals it "
		     "allowed: %s; one of those only sets a flag its own loop may check "
		     "(signal_pending).", r->pid, set);
	} else if (kind == WHY_KIND_GLOBAL_INIT) {
		note(r, "%d is pid 1 of the initial pid namespace, the global init "
		     "(SIGNAL_UNKILLABLE): it gets only the signals it has a handler for; the others "
		     "are dropped, and SIGKILL and SIGSTOP never reach it, not even from root "
		     "(kernel/signal.c sig_task_ignored).%s", r->pid,
		     s->self.root_pidns < 0 ? " (Whether this is the initial namespace could not "
					      "be checked: /proc/self/ns/pid is unreadable.)" : "");
	} else if (kind == WHY_KIND_NS_INIT) {
		note(r, "%d is pid 1 of a pid namespace (SIGNAL_UNKILLABLE): sent from inside the "
		     "namespace, signals whose action is the default are dropped, SIGKILL and "
		     "SIGSTOP included; sent from a parent namespace, SIGKILL and SIGSTOP get through "
		     "(kernel/signal.c sig_task_ignored: force for a sender in an ancestor "
		     "namespace). When it dies, every process of its namespace is killed "
		     "(zap_pid_ns_processes).", r->pid);
	}
}

static void state_notes(const struct proc_process *p, struct why_report *r)
{
	const struct proc_thread *lead = &p->threads[0];
	char where[160];
	size_t nd = 0;

	for (size_t i = 0; i < p->nthreads && nd < 4; i++) {
		const struct proc_thread *t = &p->threads[i];

		if (t->state != 'D')
			continue;
		nd++;
		wait_place(t, where, sizeof where);
		note(r, "thread %d is in uninterruptible sleep (D; %s): it acts on no signal until "
		     "that wait ends, and SIGKILL too stays pending until then (a TASK_UNINTERRUPTIBLE "
		     "sleep is not woken by signal_wake_up). If the sleep is TASK_KILLABLE, also shown "
		     "as D, SIGKILL ends it at once. Look for I/O that does not complete: a hung NFS "
		     "server, a failing disk, a stuck driver.", t->tid, where);
	}
	if (thread_dead(lead) && p->nthreads == 1) {
		note(r, "%d is a zombie: it has exited and runs no code, so no signal, SIGKILL "
		     "included, does anything to it. The entry stays until its parent, %d (%s), "
		     "reaps it with wait(); it was sent %s when it exited. If the parent never waits, "
		     "fix or end the parent: init (or a subreaper) then adopts the zombie and reaps it.",
		     r->pid, p->parent_pid, name_or(p->parent_comm, "?"),
		     p->stat.exit_signal > 0 && p->stat.exit_signal <= SL_NSIG
			     ? sl_signal_name(p->stat.exit_signal)
			     : p->stat.exit_signal == 0 ? "no signal (exit signal 0)" : "its exit signal");
	} else if (thread_dead(lead)) {
		note(r, "the main thread of %d has exited (pthread_exit: Z), but the process lives "
		     "on in its other threads, which take process-directed signals.", r->pid);
	}
	if (lead->state == 'T')
		note(r, "%d is stopped (T, a group stop by a stop signal): only SIGKILL acts at once "
		     "and SIGCONT resumes it; any other signal stays pending until SIGCONT "
		     "(kernel/signal.c wants_signal, do_signal_stop).", r->pid);
	if (lead->state == 't')
		note(r, "%d is in a ptrace stop (t), held by its tracer %d (%s): it runs again only "
		     "when the tracer resumes it, detaches or exits — SIGCONT does not resume it; "
		     "SIGKILL still kills it at once (kernel/ptrace.c ptrace_resume, "
		     "kernel/signal.c ptrace_stop).", r->pid,
		     p->status.tracer_pid, name_or(p->tracer_comm, "?"));
	if (p->status.tracer_pid > 0)
		note(r, "%d is traced by %d (%s): the tracer sees every signal but SIGKILL first, "
		     "even one the process ignores, in a signal-delivery-stop, and may suppress it, "
		     "pass it on or change it (kernel/signal.c sig_ignored, ptrace_signal); this "
		     "verdict assumes it passes it on.",
		     r->pid, p->status.tracer_pid, name_or(p->tracer_comm, "?"));
	if ((p->status.sigpnd | p->status.shdpnd) & sl_sigmask(SL_SIGKILL))
		note(r, "SIGKILL is already pending for %d: it is being killed, and dies as soon as "
		     "its threads leave the kernel.", r->pid);
}

static void list_tids(const int *tids, size_t n, char *buf, size_t cap)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && len + 16 < cap; i++) {
		if (i == 8) {
			snprintf(buf + len, cap - len, " and %zu more", n - i);
			return;
		}
		len += (size_t)snprintf(buf + len, cap - len, "%s%d", i ? ", " : "", tids[i]);
	}
}

static void signal_notes(const struct proc_process *p, const struct why_sender *s,
			 struct why_report *r)
{
	const char *name = r->sig ? sl_signal_name(r->sig) : "signal 0";
	sl_sigset bit = r->sig ? sl_sigmask(r->sig) : 0;
	char list[160];

	if (r->sig == SL_SIGKILL || r->sig == SL_SIGSTOP)
		note(r, "%s cannot be caught, blocked or ignored (do_sigaction refuses it, "
		     "sigprocmask drops it from masks); only inits and kernel threads are spared.", name);
	switch (r->now.verdict) {
	case WHY_EPERM:
		note(r, "you (uid %u, euid %u) may not signal %d (uid %u): kill fails with EPERM "
		     "(kernel/signal.c check_kill_permission, kill_ok_by_cred: a matching uid or "
		     "CAP_KILL is needed; SIGCONT within the session is the exception).",
		     s->self.uid, s->self.euid, r->pid, p->status.uid[0]);
		break;
	case WHY_HANDLER:
		list_tids(r->takers, r->ntakers, list, sizeof list);
		note(r, "%s is caught (SigCgt): /proc shows that a handler is installed, not what it "
		     "does; it may exit, ignore the request or carry on. Threads that do not block it "
		     "and could run it: %s (complete_signal tries the main thread first).", name, list);
		break;
	case WHY_PENDING:
		list_tids(r->blockers, r->nblockers, list, sizeof list);
		note(r, "%s is blocked (SigBlk) in every thread (%s): it stays pending until a thread "
		     "unblocks it or takes it with sigwaitinfo/signalfd.", name, list);
		break;
	case WHY_DROPPED:
		if ((p->status.sigign & bit) && r->kind != WHY_KIND_KTHREAD)
			note(r, "the process set %s to SIG_IGN (SigIgn); a signal that is ignored and not "
			     "blocked is discarded when it is sent.", name);
		if (r->sig == SL_SIGCONT)
			note(r, "SIGCONT resumes a stopped process even when it is ignored; %d is not "
			     "stopped.", r->pid);
		break;
	case WHY_ALREADY_PENDING:
		note(r, "%s is already pending: a standard signal is queued at most once, so the "
		     "pending one stands for both.", name);
		break;
	default:
		break;
	}
	if ((bit & STOP_SIGNALS & ~sl_sigmask(SL_SIGSTOP)) && s->orphaned_pgrp == 1)
		note(r, "the process group of %d is orphaned (no member has a parent in another group "
		     "of its session): the job-control stop signals SIGTSTP, SIGTTIN and SIGTTOU do "
		     "nothing to it; SIGSTOP still stops it.", r->pid);
}

/* ---- the diagnosis ---------------------------------------------------------- */

static int threads_by_mask(const struct proc_process *p, int sig, struct why_report *r)
{
	r->takers = calloc(p->nthreads, sizeof *r->takers);
	r->blockers = calloc(p->nthreads, sizeof *r->blockers);
	if (!r->takers || !r->blockers)
		return -1;
	for (size_t i = 0; sig && i < p->nthreads; i++) {
		const struct proc_thread *t = &p->threads[i];

		if (thread_dead(t))
			continue;
		if (t->sigblk & sl_sigmask(sig) & ~KERNEL_ONLY)
			r->blockers[r->nblockers++] = t->tid;
		else
			r->takers[r->ntakers++] = t->tid;
	}
	return 0;
}

int why_diagnose(const struct proc_process *p, int sig, const struct why_sender *from,
		 struct why_report *out)
{
	struct sl_config cfg = { .event = log_event };
	struct mirror *m;
	int err = -1;

	*out = (struct why_report){ .pid = p->threads[0].tid, .sig = sig,
				    .kind = why_classify(p, &from->self) };
	start_outcome(&out->now);
	if (p->nthreads == 0 || threads_by_mask(p, sig, out) < 0)
		return -1;
	m = calloc(1, sizeof *m);
	if (!m)
		return -1;
	m->p = p;
	m->tids = calloc(p->nthreads, sizeof *m->tids);
	cfg.event_ud = m;
	if (m->tids && sl_kernel_new(&cfg, &m->k) == 0) {
		err = 0;
		if (mirror_build(m, out->kind, from) == 0) {
			send_and_run(m, sig, out->kind, &out->now);
			if (sig)
				project(m, sig, out->kind, out);
		} else {
			note(out, "the model could not rebuild this process's state, so there is no "
			     "verdict; the notes below still hold.");
		}
		sl_kernel_free(m->k);
	}
	free(m->tids);
	free(m);
	if (err == 0) {
		kind_notes(p, from, out->kind, out);
		state_notes(p, out);
		signal_notes(p, from, out);
	}
	return err;
}

void why_report_free(struct why_report *r)
{
	free(r->takers);
	free(r->blockers);
	r->takers = r->blockers = NULL;
}

/* ---- the verdict in one sentence ---------------------------------------------- */

static const struct proc_thread *find_thread(const struct proc_process *p, int tid)
{
	for (size_t i = 0; i < p->nthreads; i++)
		if (p->threads[i].tid == tid)
			return &p->threads[i];
	return NULL;
}

static const char *drop_reason(const struct why_report *r, const struct proc_process *p)
{
	sl_sigset bit = sl_sigmask(r->sig);
	const struct sl_signal_desc *d = r->sig <= SL_SIGSYS ? sl_signal_describe(r->sig) : NULL;
	bool dfl = !((p->status.sigign | p->status.sigcgt) & bit);

	if (r->kind == WHY_KIND_KTHREAD)
		return "a kernel thread drops the signals it has not allowed";
	if ((r->kind == WHY_KIND_GLOBAL_INIT || r->kind == WHY_KIND_NS_INIT) &&
	    (dfl || (bit & KERNEL_ONLY)))
		return r->kind == WHY_KIND_GLOBAL_INIT
			       ? "the global init takes only the signals it has a handler for"
			       : "a namespace init takes only the signals it has a handler for";
	if (p->status.sigign & bit)
		return "the process ignores it (SIG_IGN)";
	if (dfl && d && d->action == SL_ACT_IGN)
		return "its default action is to ignore it";
	if (dfl && r->sig == SL_SIGCONT)
		return "its default action is to continue, and the process is not stopped";
	return "see the rule below";
}

void why_headline(const struct why_report *r, const struct why_outcome *o,
		  const struct proc_process *p, char *buf, size_t cap)
{
	const char *name = r->sig ? sl_signal_name(r->sig) : "signal 0";
	const struct proc_thread *taker = find_thread(p, o->taker);
	size_t len;

	switch (o->verdict) {
	case WHY_EXISTS:
		snprintf(buf, cap, "the process exists and you may signal it (kill -0 succeeds)");
		break;
	case WHY_EPERM:
		snprintf(buf, cap, "kill fails with EPERM: you may not signal this process");
		break;
	case WHY_DROPPED:
		snprintf(buf, cap, "dropped: %s is discarded as it is sent; %s", name,
			 drop_reason(r, p));
		break;
	case WHY_ALREADY_PENDING:
		snprintf(buf, cap, "merged: %s is already pending, and a standard signal is "
			 "queued only once", name);
		break;
	case WHY_PENDING:
		snprintf(buf, cap, "stays pending: %s is blocked in every thread", name);
		break;
	case WHY_HANDLER:
		snprintf(buf, cap, "handled: thread %d runs the process's %s handler", o->taker, name);
		break;
	case WHY_TERM:
		snprintf(buf, cap, "kills it: the default action of %s terminates the process", name);
		break;
	case WHY_CORE:
		snprintf(buf, cap, "kills it: the default action of %s terminates the process with "
			 "a core dump (if RLIMIT_CORE allows one)", name);
		break;
	case WHY_STOP:
		snprintf(buf, cap, "stops it: the default action of %s stops every thread", name);
		break;
	case WHY_CONTINUE:
		snprintf(buf, cap, "continues it: %s resumes the stopped process", name);
		break;
	case WHY_NOTHING:
		snprintf(buf, cap, "no effect: %s is queued, then dropped when it is delivered", name);
		break;
	case WHY_FLUSHED:
		snprintf(buf, cap, "discarded: %s is removed from the pending set before it is "
			 "delivered", name);
		break;
	case WHY_KTHREAD_QUEUED:
		snprintf(buf, cap, "queued: the kernel thread allowed %s; what happens is up to its "
			 "own code", name);
		break;
	case WHY_WAITS:
		snprintf(buf, cap, "waits: the process is stopped, so %s stays pending until SIGCONT",
			 name);
		break;
	case WHY_ZOMBIE:
		snprintf(buf, cap, "no effect: the process is a zombie, already dead");
		break;
	default:
		snprintf(buf, cap, "no verdict: the model could not rebuild this process");
		break;
	}
	len = strlen(buf);
	/* A process dies only when its last thread has left the kernel. */
	for (size_t i = 0; (o->verdict == WHY_TERM || o->verdict == WHY_CORE) && i < p->nthreads; i++)
		if (p->threads[i].state == 'D')
			taker = &p->threads[i];
	if ((o->verdict == WHY_HANDLER || o->verdict == WHY_STOP || o->verdict == WHY_TERM ||
	     o->verdict == WHY_CORE) && taker && taker->state == 'D' && len < cap)
		snprintf(buf + len, cap - len, ", but not before thread %d leaves its "
			 "uninterruptible sleep (D)", taker->tid);
}
