/* The invariant checker (Lua's lua_checkmemory): run after every step by
 * tests and fuzzers.  It reads the state only. */
#include "engine/internal.h"

static const char *check_pending(const struct sigpending *p, uint64_t *charged,
				 const struct user *u)
{
	if (!p->lists)
		return NULL;
	for (int sig = 1; sig <= SL_NSIG; sig++) {
		const struct sigqueue *last = NULL;

		for (const struct sigqueue *q = p->lists->head[sig - 1]; q; q = q->next) {
			if (q->info.signo != sig)
				return "a queued siginfo sits in another signal's queue";
			if (q->user == u)
				(*charged)++;
			last = q;
		}
		if (last != p->lists->tail[sig - 1])
			return "a signal's queue tail is wrong";
		if (last && !(p->signal & sl_sigmask(sig)))
			return "a signal has queued siginfo but its pending bit is clear";
	}
	return NULL;
}

/* Where a task sits (its tid, its group, its user) and how its state,
 * job control bits and blocking call agree. */
static const char *check_task_state(const sl_kernel *k, const struct task *t)
{
	if (k->tasks[t->tid] != t || t->group->leader->group != t->group)
		return "a task is not where its tid or its group says";
	if (t->thread_next->thread_prev != t || t->thread_prev->thread_next != t)
		return "the thread list is broken";
	if (t->sighand->refs == 0)
		return "a task's dispositions have no reference";
	if (t->cred->user->uid != t->cred->uid)
		return "a task is charged to another user's RLIMIT_SIGPENDING";
	if (t->frames_cap && !t->frames)
		return "room for handler frames but no frames";
	if (t->released && t->state != TASK_DEAD)
		return "a released task is not dead";
	if (t->state == TASK_STOPPED && !(t->jobctl & JOBCTL_STOPPED))
		return "a stopped task without JOBCTL_STOPPED";
	if ((t->state == TASK_SLEEPING) != (t->sys->phase == SYS_SLEEPING))
		return "a task sleeps outside a blocking call, or the reverse";
	if (t->in_call != (t->sys->nr != 0))
		return "a task's in_call does not say whether it is in a call";
	if (t->state == TASK_TRACED && t->pt->kind == PT_STOP_NONE)
		return "a task in a ptrace stop does not say which";
	if ((t->jobctl & JOBCTL_STOP_PENDING) && (!(t->jobctl & JOBCTL_STOP_SIGMASK) ||
	    !sig_kernel_stop((int)(t->jobctl & JOBCTL_STOP_SIGMASK))))
		return "a pending group stop names no stop signal";
	return NULL;
}

/* The signal rules of one thread. */
static const char *check_task(const sl_kernel *k, const struct task *t)
{
	const char *err = check_task_state(k, t);
	bool what_if = k->cfg.what_if & SL_CONFIG_KILL_STOP_HANDLING;

	if (err)
		return err;
	if (t->nframes > t->frames_cap)
		return "more handler frames than room for them";
	if (!what_if && (t->blocked & SIGSET_KERNEL_ONLY))
		return "SIGKILL or SIGSTOP is blocked";
	if (!what_if && !(t->flags & PF_KTHREAD) &&
	    (t->sighand->action[SL_SIGKILL - 1].handler != SL_SIG_DFL ||
	     t->sighand->action[SL_SIGSTOP - 1].handler != SL_SIG_DFL))
		return "SIGKILL or SIGSTOP has a handler";
	if (t->released && t->pending.signal)
		return "a released task has pending signals";
	/* A signal sent to this thread that it does not block must not be
	 * missed (recalc_sigpending, signal_wake_up).  A stopped thread is
	 * not woken for it, and SIGCONT wakes it without TIF_SIGPENDING
	 * (wake_up_state): it finds the signal when it resumes inside
	 * get_signal. */
	if ((t->state == TASK_RUNNING || t->state == TASK_SLEEPING) && !t->resumed &&
	    !(t->flags & PF_KTHREAD) &&
	    (t->pending.signal & ~t->blocked) && !t->sigpending)
		return "a thread has a deliverable signal of its own but no TIF_SIGPENDING";
	return check_ptrace(t);
}

/* The thread group of `leader`: the thread list starts at the leader and
 * holds its live threads, the counts agree with it, and a group stop in
 * progress waits for no more threads than can still stop. */
static const char *check_group(const sl_kernel *k, const struct task *leader)
{
	const struct signal_group *g = leader->group;
	const struct task *t = leader;
	unsigned n = 0, live = 0;
	bool target_found = g->curr_target == NULL;

	do {
		if (t->group != g)
			return "a thread list runs into another process";
		if (t->released && t != leader)
			return "a released thread is still on the thread list";
		n++;
		live += t->state != TASK_DEAD;
		target_found |= t == g->curr_target;
		t = t->thread_next;
	} while (t != leader && n <= g->nr_threads);
	if (n > g->nr_threads)
		return "a process's thread list is longer than its thread count";
	if (live != g->live)
		return "a process's count of live threads does not match its thread list";
	if (!target_found)
		return "complete_signal's curr_target is not one of the process's threads";
	if (g->group_stop_count > g->live)
		return "a group stop waits for more threads than are alive";
	if ((g->flags & SIGNAL_STOP_STOPPED) && g->group_stop_count)
		return "a process is stopped with threads still to stop";
	if ((g->flags & SIGNAL_GROUP_EXIT) && g->group_stop_count)
		return "a dying process still counts threads to stop";
	if (!g->ns)
		return "a process lives in no pid namespace";
	if (!leader->released && (g->proc_index >= k->nprocs || k->procs[g->proc_index] != leader))
		return "a live process is not in its creation-order slot";
	return NULL;
}

/* The process groups: every member points back at its group, the member
 * list is doubly linked, the group counts its members, and every
 * unreleased leader with a group is one of them. */
static const char *check_pgroups(const sl_kernel *k)
{
	size_t members = 0, grouped = 0;

	for (size_t i = 0; i < k->ntasks_cap; i++) {
		const struct task *t = k->tasks[i];

		if (t && t == t->group->leader && !t->released && t->group->pgrp)
			grouped++;
	}
	for (size_t i = 0; i < k->ntasks_cap; i++) {
		const struct pgroup *pg = k->tasks[i] ? &k->tasks[i]->pgrp_led : NULL;
		const struct task *prev = NULL;
		unsigned n = 0;

		if (!pg || !pg->pgid)
			continue;
		for (const struct task *m = pg->members; m; m = m->group->pgrp_next) {
			if (m->group->pgrp != pg || m->group->pgrp_prev != prev ||
			    m != m->group->leader)
				return "a process group's member list is broken";
			if (++n > pg->refs)
				break;
			prev = m;
		}
		if (n != pg->refs)
			return "a process group's count does not match its members";
		members += n;
	}
	if (members != grouped)
		return "a live process is missing from its process group's members";
	return NULL;
}

/* The pid table's bookkeeping: the creation-order slots and the cache of
 * free sigqueue entries. */
static const char *check_tables(const sl_kernel *k)
{
	unsigned procs = 0;
	size_t cached = 0;

	for (size_t i = 0; i < k->nprocs; i++) {
		const struct task *l = k->procs[i];

		if (!l)
			continue;
		procs++;
		if (l->group->leader != l || l->group->proc_index != i || l->released)
			return "a creation-order slot holds no live process leader";
	}
	if (procs != k->nr_processes)
		return "the process count does not match the creation-order slots";
	for (const struct sigqueue *q = k->free_sigqueues; q && cached <= k->nfree_sigqueues;
	     q = q->next)
		cached++;
	if (cached != k->nfree_sigqueues)
		return "the free sigqueue cache's count is wrong";
	return NULL;
}

/* fork window: the group's count of forks on its multiprocess list. */
static const char *check_multiprocess(const sl_kernel *k, const struct task *leader)
{
	unsigned n = 0;

	for (size_t i = 0; i < k->ntasks_cap; i++) {
		const struct task *t = k->tasks[i];

		if (t && t->group == leader->group && t->in_fork && t->sys->fork.multiprocess)
			n++;
	}
	if (n != leader->group->nr_multiprocess)
		return "a process's count of forks in progress does not match its threads";
	return NULL;
}

/* The shared default dispositions (sighand.c) are never written, and
 * every task that shares them is counted. */
static const char *check_default_sighand(const sl_kernel *k)
{
	const struct sighand *sh = k->default_sighand;
	unsigned users = 0;

	if (!sh)
		return NULL;
	for (int i = 0; i < SL_NSIG; i++)
		if (sh->action[i].handler || sh->action[i].flags || sh->action[i].mask ||
		    sh->action[i].restorer)
			return "the shared default dispositions were changed";
	for (size_t i = 0; i < k->ntasks_cap; i++)
		if (k->tasks[i] && k->tasks[i]->sighand == sh)
			users++;
	return users == sh->refs ? NULL : "the default dispositions' count of sharers is wrong";
}

/* The terminals (tty.c): an association is whole (session and foreground
 * group together), and a process's controlling terminal belongs to its
 * session. */
static const char *check_ttys(const sl_kernel *k)
{
	for (size_t i = 0; i < k->world.nttys; i++) {
		const struct model_tty *tty = &k->world.ttys[i];

		if (!tty->session != !tty->pgrp)
			return "a terminal has a session without a foreground group, or the reverse";
		if (tty->nlines > TTY_MAX_LINES)
			return "a terminal holds more lines than it has room for";
	}
	for (size_t i = 0; i < k->nprocs; i++) {
		const struct task *p = k->procs[i];

		if (!p || !p->group->tty)
			continue;
		if ((size_t)p->group->tty > k->world.nttys ||
		    k->world.ttys[p->group->tty - 1].session != p->group->sid)
			return "a process's controlling terminal is not its session's";
	}
	return NULL;
}

static bool all_zero(const void *p, size_t n)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < n; i++)
		if (c[i])
			return false;
	return true;
}

/* The all-zero states idle tasks share (ptrace, timers, call state) are
 * never written. */
static const char *check_pt_none(const sl_kernel *k)
{
	if (!all_zero(&k->pt_none, sizeof k->pt_none))
		return "the shared ptrace state of untraced tasks was written";
	if (!all_zero(&k->timers_none, sizeof k->timers_none))
		return "the shared timer state of idle processes was written";
	if (!all_zero(&k->files_none, sizeof k->files_none))
		return "the shared descriptor table of idle processes was written";
	if (!all_zero(&k->sys_none, sizeof k->sys_none))
		return "the shared call state of tasks that never blocked was written";
	return NULL;
}

int sl_check(const sl_kernel *k, const char **what)
{
	const char *err = NULL;
	size_t listed = 0, parented = 0;

	SL_ASSERT(k != NULL);
	if (!k)
		return -1;
	for (const struct user *u = k->users; u && !err; u = u->next) {
		uint64_t charged = 0;

		for (size_t i = 0; i < k->ntasks_cap && !err; i++) {
			const struct task *t = k->tasks[i];

			if (!t)
				continue;
			err = check_pending(&t->pending, &charged, u);
			if (!err && t == t->group->leader)
				err = check_pending(&t->group->shared_pending, &charged, u);
			/* a live POSIX timer's preallocated sigqueue */
			for (size_t j = 0; !err && t == t->group->leader &&
			     j < t->group->timers->ntimers; j++)
				charged += t->group->timers->timers[j].charged == u;
		}
		if (!err && charged != u->sigpending)
			err = "a user's RLIMIT_SIGPENDING count does not match its queued signals";
	}
	if (k->ntasks_cap && k->tasks[0])
		err = "tid 0 is in use (find_task relies on slot 0 being empty)";
	for (size_t i = 0; i < k->ntasks_cap && !err; i++)
		if (k->tasks[i]) {
			err = check_task(k, k->tasks[i]);
			if (!err)
				err = check_work(k, k->tasks[i]);
		}
	for (size_t i = 0; i < k->ntasks_cap && !err; i++) {
		const struct task *t = k->tasks[i];

		if (!t)
			continue;
		err = check_children(t, &listed);
		if (t == t->group->leader && !t->released && t->group->parent)
			parented++;
	}
	if (!err && listed != parented)
		err = "a process is missing from its parent's children list";
	for (size_t i = 0; i < k->ntasks_cap && !err; i++)
		if (k->tasks[i] && k->tasks[i] == k->tasks[i]->group->leader)
			err = check_group(k, k->tasks[i]);
	if (!err)
		err = check_pgroups(k);
	if (!err)
		err = check_tables(k);
	for (size_t i = 0; i < k->ntasks_cap && !err; i++)
		if (k->tasks[i] && k->tasks[i] == k->tasks[i]->group->leader &&
		    k->tasks[i]->group->nr_multiprocess)
			err = check_multiprocess(k, k->tasks[i]);
	if (!err)
		err = check_default_sighand(k);
	if (!err)
		err = check_ttys(k);
	if (!err)
		err = check_pipes(k);
	if (!err)
		err = check_pt_none(k);
	if (!err)
		err = check_rlimits(k);
	if (what)
		*what = err;
	return err ? -1 : 0;
}

/* A leader's place on its parent's children list: both neighbours link
 * back to it (check_children walks the whole list). */
static const char *check_sibling_links(const struct task *l)
{
	const struct signal_group *g = l->group;

	if (l->released || !g->parent)
		return NULL;
	if (g->sib_prev ? g->sib_prev->group->sib_next != l : g->parent->children != l)
		return "a children list's forward link misses a process";
	if (g->sib_next ? g->sib_next->group->sib_prev != l : g->parent->children_tail != l)
		return "a children list's back link misses a process";
	return NULL;
}

int sl_check_task(const sl_kernel *k, int tid, const char **what)
{
	const struct task *t;
	const char *err;
	uint64_t charged = 0;

	SL_ASSERT(k != NULL);
	if (!k)
		return -1;
	t = find_task(k, tid);
	if (!t) {
		if (what)
			*what = NULL;
		return 0;
	}
	err = check_task(k, t);
	if (!err)
		err = check_work(k, t);
	if (!err)
		err = check_pending(&t->pending, &charged, t->cred->user);
	if (!err)
		err = check_pending(&t->group->shared_pending, &charged, t->cred->user);
	if (!err)
		err = check_group(k, t->group->leader);
	if (!err && t->group->leader == t)
		err = check_sibling_links(t);
	if (what)
		*what = err;
	return err ? -1 : 0;
}
