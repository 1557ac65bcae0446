/*
 * The mirror of `siglab why`: a live process, as /proc shows it, rebuilt in
 * a fresh libsiglab kernel — a task of the same kind (process, kernel
 * thread, global init, namespace init) with the same dispositions, masks,
 * pending sets, threads and state, and a sender task placed as the caller
 * is.  Nothing here decides a verdict: verdict.c sends the signal.
 *
 * /proc shows that a signal is caught, not the handler's address or its
 * sa_flags: caught signals get an opaque handler value and no flags.
 */
#include <stdlib.h>

#include "why/mirror.h"

/* An opaque handler value for a caught signal (SigCgt). */
#define OPAQUE_HANDLER(sig) ((uint64_t)0x10000 + (uint64_t)(sig))
/* A session number for targets /proc shows none for (kernel threads). */
#define NO_SESSION 0x7ffffff0

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

bool why_thread_dead(const struct proc_thread *t)
{
	return t->state == 'Z' || t->state == 'X';
}

/* A zombie: every thread has exited. */
bool why_all_threads_dead(const struct proc_process *p)
{
	for (size_t i = 0; i < p->nthreads; i++)
		if (!why_thread_dead(&p->threads[i]))
			return false;
	return true;
}

/* The blocked mask every live thread shares. */
uint64_t why_blocked_everywhere(const struct proc_process *p)
{
	uint64_t all = ~(uint64_t)0;
	bool any = false;

	for (size_t i = 0; i < p->nthreads; i++) {
		if (why_thread_dead(&p->threads[i]))
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

static void log_event(void *ud, const struct sl_event *ev)
{
	struct why_mirror *m = ud;

	if (m->nlog < WHY_LOG_CAP)
		m->log[m->nlog++] = *ev;
}

int why_mirror_real_tid(const struct why_mirror *m, int model_tid)
{
	for (size_t i = 0; i < m->p->nthreads; i++)
		if (m->tids[i] == model_tid)
			return m->p->threads[i].tid;
	return 0;
}

static int spawn(struct why_mirror *m, enum sl_spawn_kind kind, int parent, uint32_t uid, int sid)
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
static int mirror_tasks(struct why_mirror *m, enum why_kind kind, const struct why_sender *s)
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

static int mirror_dispositions(struct why_mirror *m, bool kthread)
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
		if ((bit & WHY_KERNEL_ONLY) || (!kthread && act.handler == SL_SIG_DFL))
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
static int mirror_pending(struct why_mirror *m)
{
	const struct proc_process *p = m->p;
	sl_sigset all = ~(sl_sigset)0, shared = p->status.shdpnd & why_blocked_everywhere(p);

	for (size_t i = 0; i < p->nthreads; i++)
		if (sl_sys_rt_sigprocmask(m->k, m->tids[i], SL_SIG_SETMASK, &all, NULL) < 0)
			return -1;
	for (size_t i = 0; i < p->nthreads; i++) {
		sl_sigset own = p->threads[i].sigpnd & p->threads[i].sigblk & ~WHY_KERNEL_ONLY;

		for (int sig = 1; sig <= SL_NSIG; sig++)
			if ((own & sl_sigmask(sig)) &&
			    sl_sys_tkill(m->k, m->tids[i], m->tids[i], sig) < 0)
				return -1;
	}
	for (int sig = 1; sig <= SL_NSIG; sig++)
		if ((shared & ~WHY_KERNEL_ONLY & sl_sigmask(sig)) &&
		    sl_sys_kill(m->k, m->tgid, m->tgid, sig) < 0)
			return -1;
	for (size_t i = 0; i < p->nthreads; i++) {
		sl_sigset blk = p->threads[i].sigblk;

		if (sl_sys_rt_sigprocmask(m->k, m->tids[i], SL_SIG_SETMASK, &blk, NULL) < 0)
			return -1;
	}
	return 0;
}

bool why_mirror_is_stopped(const struct why_mirror *m)
{
	struct sl_task_info ti;

	return sl_task_info(m->k, m->tgid, &ti) == 0 && ti.state == SL_TASK_STOPPED;
}

int why_model_sleep(const struct proc_thread *t)
{
	struct proc_wait w;

	if (t->state != 'D' && t->state != 'S')
		return -1;
	proc_thread_wait(t, &w);
	if (t->state == 'S')
		return w.kind == PROC_WAIT_TURNS_UNINTERRUPTIBLE ? SL_SLEEP_UNINTERRUPTIBLE : -1;
	return w.kind == PROC_WAIT_KILLABLE ? SL_SLEEP_KILLABLE : SL_SLEEP_UNINTERRUPTIBLE;
}

/* A thread in D sleeps in the model too, on a wait queue of its own
 * (channel WHY_WAIT_CHANNEL(i)), and so does an S thread whose wait a
 * signal turns uninterruptible (why_model_sleep). */
static int mirror_waits(struct why_mirror *m)
{
	for (size_t i = 0; i < m->p->nthreads; i++) {
		int kind = why_model_sleep(&m->p->threads[i]);
		long ret;

		if (kind < 0)
			continue;
		ret = sl_sys_wait_event(m->k, m->tids[i], WHY_WAIT_CHANNEL(i),
					(enum sl_sleep_state)kind);
		if (ret != SL_SYSCALL_BLOCKED)
			return -1;
	}
	return 0;
}

/* Exited threads exit in the model too; a stopped process stops (by its
 * own SIGSTOP, which no handler can intercept). */
static int mirror_state(struct why_mirror *m)
{
	const struct proc_process *p = m->p;
	bool stopped = false;

	for (size_t i = 0; i < p->nthreads; i++)
		stopped |= p->threads[i].state == 'T';
	if (why_all_threads_dead(p))
		return sl_sys_exit_group(m->k, m->tgid, 0) < 0 ? -1 : 0;
	for (size_t i = 0; i < p->nthreads; i++)
		if (why_thread_dead(&p->threads[i]) && sl_sys_exit(m->k, m->tids[i], 0) < 0)
			return -1;
	if (mirror_waits(m) < 0)
		return -1;
	if (!stopped)
		return 0;
	if (sl_sys_kill(m->k, m->tgid, m->tgid, SL_SIGSTOP) < 0)
		return -1;
	for (size_t i = 0; i < p->nthreads; i++)
		if (sl_task_has_work(m->k, m->tids[i]))
			sl_return_to_user(m->k, m->tids[i], NULL);
	m->stopped = why_mirror_is_stopped(m);
	return 0;
}

/* A traced process gets a tracer in the model, which seizes every thread
 * the real tracer traces (TracerPid): then, as in the kernel, a signal
 * other than SIGKILL is not turned into a group exit at generation
 * (complete_signal: sig == SIGKILL || !p->ptrace) nor dropped when
 * ignored (sig_ignored), but stops the thread that takes it in a
 * signal-delivery-stop (get_signal -> ptrace_signal -> ptrace_stop). */
static int mirror_tracer(struct why_mirror *m)
{
	const struct proc_process *p = m->p;

	if (p->status.tracer_pid <= 0)
		return 0;
	m->tracer = spawn(m, SL_SPAWN_PROCESS, m->sender, 0, NO_SESSION);
	if (m->tracer < 0)
		return -1;
	for (size_t i = 0; i < p->nthreads; i++)
		if (p->threads[i].tracer_pid > 0 && !why_thread_dead(&p->threads[i]) &&
		    sl_sys_ptrace(m->k, m->tracer, SL_PTRACE_SEIZE, m->tids[i], 0, 0) < 0)
			return -1;
	return 0;
}

int why_mirror_build(struct why_mirror *m, enum why_kind kind, const struct why_sender *s)
{
	const struct proc_process *p = m->p;

	if (mirror_tasks(m, kind, s) < 0)
		return -1;
	m->tids[0] = m->tgid;
	for (size_t i = 1; i < p->nthreads; i++) {
		m->tids[i] = (int)sl_sys_clone_thread(m->k, m->tgid);
		if (m->tids[i] < 0)
			return -1;
	}
	if (mirror_dispositions(m, kind == WHY_KIND_KTHREAD) < 0 || mirror_pending(m) < 0 ||
	    mirror_state(m) < 0 || mirror_tracer(m) < 0)
		return -1;
	m->nlog = 0;
	return 0;
}

bool why_mirror_has_pending(const struct why_mirror *m, int sig)
{
	for (size_t i = 0; i < m->p->nthreads; i++) {
		struct sl_task_info ti;

		if (sl_task_info(m->k, m->tids[i], &ti) == 0 &&
		    ((ti.pending | ti.shared_pending) & sl_sigmask(sig)))
			return true;
	}
	return false;
}

struct why_mirror *why_mirror_new(const struct proc_process *p)
{
	struct sl_config cfg = { .event = log_event };
	struct why_mirror *m = calloc(1, sizeof *m);

	if (!m)
		return NULL;
	m->p = p;
	m->tids = calloc(p->nthreads, sizeof *m->tids);
	cfg.event_ud = m;
	if (!m->tids || sl_kernel_new(&cfg, &m->k) != 0) {
		free(m->tids);
		free(m);
		return NULL;
	}
	return m;
}

void why_mirror_free(struct why_mirror *m)
{
	sl_kernel_free(m->k);
	free(m->tids);
	free(m);
}
