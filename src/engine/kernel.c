/* The kernel object: allocation, the event sink, the pid table and the
 * signal classes of include/linux/signal.h. */
#include <stdlib.h>
#include <string.h>

#include "engine/arena.h"
#include "engine/internal.h"

/* The allocator of a config that brings none: realloc and free. */
void *default_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	(void)ud;
	(void)osize;
	if (nsize == 0) {
		free(ptr);
		return NULL;
	}
	return realloc(ptr, nsize);
}

void *kalloc(sl_kernel *k, size_t size)
{
	void *p = k->cfg.alloc(k->cfg.alloc_ud, NULL, 0, size);

	if (p)
		memset(p, 0, size);
	return p;
}

void *krealloc(sl_kernel *k, void *ptr, size_t osize, size_t nsize)
{
	return k->cfg.alloc(k->cfg.alloc_ud, ptr, osize, nsize);
}

void kfree(sl_kernel *k, void *ptr, size_t size)
{
	if (ptr)
		k->cfg.alloc(k->cfg.alloc_ud, ptr, size, 0);
}

void emit(sl_kernel *k, const struct sl_event *ev)
{
	if (k->cfg.event)
		k->cfg.event(k->cfg.event_ud, ev);
}

void emit_note(sl_kernel *k, int tid, int sig, const char *rule)
{
	struct sl_event ev = { .kind = SL_EV_NOTE, .tid = tid, .sig = sig, .rule = rule };

	if (!k->cfg.event)
		return;
	emit(k, &ev);
}

int sl_kernel_new(const struct sl_config *cfg, sl_kernel **out)
{
	struct sl_config c = { 0 };
	sl_kernel *k;

	SL_ASSERT(out != NULL);
	if (!out)
		return -SL_EINVAL;
	*out = NULL;
	if (cfg)
		c = *cfg;
	/* Reserved fields are zero: a caller that sets one asks for a field
	 * of a later version, which this one must refuse, not ignore; the
	 * same for a what_if switch this engine does not know. */
	for (size_t i = 0; i < sizeof c.reserved / sizeof c.reserved[0]; i++)
		if (c.reserved[i])
			return -SL_EINVAL;
	if (c.what_if & ~(SL_CONFIG_KILL_STOP_HANDLING | SL_CONFIG_SYSV_SIGNALS))
		return -SL_EINVAL;
	if (!c.alloc)
		c.alloc = default_alloc;
	if (!c.rlimit_sigpending)
		c.rlimit_sigpending = SL_DEFAULT_RLIMIT_SIGPENDING;
	if (!c.sigframe_size)
		c.sigframe_size = SL_DEFAULT_SIGFRAME_SIZE;
	k = c.alloc(c.alloc_ud, NULL, 0, sizeof *k);
	if (!k)
		return -SL_ENOMEM;
	memset(k, 0, sizeof *k);
	k->cfg = c;
	k->next_tid = 1;
	rlimit_init(k);
	*out = k;
	return 0;
}

static void free_pending(sl_kernel *k, struct sigpending *p)
{
	flush_sigqueue(k, p);
	kfree(k, p->lists, sizeof *p->lists);
	p->lists = NULL;
}

static void free_group(sl_kernel *k, struct signal_group *g)
{
	free_pending(k, &g->shared_pending);
	timers_free(k, g);
	rlimit_put(k, g);
	pipe_fds_free(k, g);
	files_put(k, g);
	kfree(k, g, sizeof *g);
}

void sl_kernel_free(sl_kernel *k)
{
	if (!k || arena_release(k))
		return;
	/* Free threads first, then the groups and handlers they shared. */
	for (size_t i = 0; i < k->ntasks_cap; i++) {
		struct task *t = k->tasks[i];

		if (!t)
			continue;
		free_pending(k, &t->pending);
		kfree(k, t->frames, t->frames_cap * sizeof *t->frames);
		sighand_put(k, t->sighand);
		ptrace_put(k, t);
		sys_free(k, t);
		put_cred(k, t->cred);
		if (--t->group->nr_threads == 0)
			free_group(k, t->group);
		kfree(k, t, sizeof *t);
	}
	kfree(k, k->tasks, k->ntasks_cap * sizeof *k->tasks);
	work_free(k);
	kfree(k, k->default_sighand, sizeof *k->default_sighand);
	while (k->free_sigqueues) {
		struct sigqueue *q = k->free_sigqueues;

		k->free_sigqueues = q->next;
		kfree(k, q, sizeof *q);
	}
	kfree(k, k->procs, k->procs_cap * sizeof *k->procs);
	while (k->users) {
		struct user *u = k->users;

		k->users = u->next;
		kfree(k, u, sizeof *u);
	}
	for (size_t i = 0; i < k->nnamespaces; i++) {
		struct pidns *ns = k->namespaces[i];

		kfree(k, ns->nrs, ns->nrs_cap * sizeof *ns->nrs);
		kfree(k, ns, sizeof *ns);
	}
	kfree(k, k->namespaces, k->nnamespaces * sizeof *k->namespaces);
	kfree(k, k->world.pipes, k->world.npipes * sizeof *k->world.pipes);
	kfree(k, k->world.ttys, k->world.nttys * sizeof *k->world.ttys);
	kfree(k, k, sizeof *k);
}

/* One test covers both bad cases: a negative tid converts to an index
 * past the table, and slot 0 stays NULL because tids start at 1 (sl_check
 * holds it).  Every entry point that names a task comes here first, so
 * this is where a NULL kernel (API misuse) is caught. */
ALWAYS_INLINE struct task *find_task(const sl_kernel *k, int tid)
{
	SL_ASSERT(k != NULL);
	if ((size_t)tid >= k->ntasks_cap)
		return NULL;
	return k->tasks[tid];
}

/* The task making a system call.  Only a task running in user mode can
 * make one: a dead, stopped, traced-stopped or sleeping task cannot, nor
 * one whose blocking call is still on its way back (sys_returning: after
 * SL_SYSCALL_BLOCKED, until sl_return_to_user has finished the call), nor
 * one inside a fork (between sl_sys_clone_begin and _finish: it is in
 * clone), and an embedder that calls for one gets NULL (the syscall:
 * -ESRCH), with nothing changed (docs/api.md). */
ALWAYS_INLINE struct task *syscall_caller(sl_kernel *k, int caller)
{
	struct task *t = find_task(k, caller);

	return t && t->state == TASK_RUNNING && !sys_returning(t) && !t->in_fork ? t : NULL;
}

/* A task is visible in ns when it lives in ns or in one of its
 * descendants (task_pid_nr_ns != 0). */
ALWAYS_INLINE bool task_visible_in(const struct task *t, const struct pidns *ns)
{
	for (const struct pidns *n = t->group->ns; n; n = n->parent)
		if (n == ns)
			return true;
	return false;
}

ALWAYS_INLINE struct task *find_task_visible(const sl_kernel *k, const struct task *caller,
					 int tid)
{
	struct task *t = find_task(k, tid);

	if (!t || t->released)
		return NULL;
	if (caller && !task_visible_in(t, caller->group->ns))
		return NULL;
	return t;
}

bool sl_task_exists(const sl_kernel *k, int tid)
{
	const struct task *t = find_task(k, tid);

	return t && !t->released;
}

/* valid_signal, the signal classes, sig_fatal and thread_group_empty are
 * inline in internal.h. */

int sl_task_state_of(const sl_kernel *k, int tid)
{
	const struct task *t = find_task(k, tid);

	if (!t)
		return -SL_ESRCH;
	switch (t->state) {
	case TASK_RUNNING:
		return SL_TASK_RUNNING;
	case TASK_STOPPED:
		return SL_TASK_STOPPED;
	case TASK_DEAD:
		return t->released ? SL_TASK_DEAD : SL_TASK_ZOMBIE;
	case TASK_SLEEPING:
		return SL_TASK_SLEEPING;
	case TASK_TRACED:
		return SL_TASK_TRACED;
	}
	return -SL_ESRCH;
}

int sl_task_info(const sl_kernel *k, int tid, struct sl_task_info *out)
{
	const struct task *t = find_task(k, tid);
	const struct signal_group *g;

	if (!t || !out)
		return -SL_ESRCH;
	g = t->group;
	memset(out, 0, sizeof *out);
	out->tid = t->tid;
	out->tgid = g->leader->tid;
	out->ppid = g->parent ? g->parent->tid : 0;
	out->pgid = g->pgrp ? g->pgrp->pgid : 0;
	out->sid = g->sid;
	out->uid = t->cred->uid;
	out->kthread = g->kthread;
	out->ns_init = (g->flags & SIGNAL_UNKILLABLE) || (g->ns->reaper == g->leader);
	out->blocked = t->blocked;
	out->pending = t->pending.signal;
	out->shared_pending = g->shared_pending.signal;
	out->handler_depth = (int)t->nframes;
	switch (t->state) {
	case TASK_RUNNING:
		out->state = SL_TASK_RUNNING;
		break;
	case TASK_STOPPED:
		out->state = SL_TASK_STOPPED;
		break;
	case TASK_DEAD:
		out->state = t->released ? SL_TASK_DEAD : SL_TASK_ZOMBIE;
		break;
	case TASK_SLEEPING:
		out->state = SL_TASK_SLEEPING;
		out->sleep_state = t->sys->sleep;
		break;
	case TASK_TRACED:
		out->state = SL_TASK_TRACED;
		out->ptrace_code = t->pt->code;
		break;
	}
	out->tracer = t->pt->tracer ? t->pt->tracer->tid : 0;
	if (t->state != TASK_DEAD)
		out->syscall = t->sys->nr;
	if (t->state == TASK_DEAD) {
		/* A thread reports how its process died, once it has, unless
		 * it is not the leader and called exit(N) itself: it keeps N. */
		bool group_done = g->exit_kind != SL_EXIT_NONE &&
				  (t == g->leader || t->exit_kind != SL_EXIT_CODE);

		out->exit_kind = group_done ? g->exit_kind : t->exit_kind;
		out->exit_code = group_done ? g->exit_code : t->exit_code;
		out->core_dumped = group_done && g->core_dumped;
	}
	return 0;
}
