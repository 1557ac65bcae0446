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

static const char *check_task(const sl_kernel *k, const struct task *t)
{
	bool what_if = k->cfg.what_if & SL_CONFIG_KILL_STOP_HANDLING;

	if (t->nframes > t->frames_cap)
		return "more handler frames than room for them";
	if (!what_if && (t->blocked & SIGSET_KERNEL_ONLY))
		return "SIGKILL or SIGSTOP is blocked";
	if (!what_if && !(t->flags & PF_KTHREAD) &&
	    (t->sighand->action[SL_SIGKILL - 1].handler != SL_SIG_DFL ||
	     t->sighand->action[SL_SIGSTOP - 1].handler != SL_SIG_DFL))
		return "SIGKILL or SIGSTOP has a handler";
	if (t->state == TASK_STOPPED && !(t->jobctl & JOBCTL_STOPPED))
		return "a stopped task without JOBCTL_STOPPED";
	if (t->thread_next->thread_prev != t || t->thread_prev->thread_next != t)
		return "the thread list is broken";
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

/* fork window: the group's count of forks on its multiprocess list. */
static const char *check_multiprocess(const sl_kernel *k, const struct task *leader)
{
	unsigned n = 0;

	for (size_t i = 0; i < k->ntasks_cap; i++) {
		const struct task *t = k->tasks[i];

		if (t && t->group == leader->group && t->fork.active && t->fork.multiprocess)
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

int sl_check(const sl_kernel *k, const char **what)
{
	const char *err = NULL;
	size_t listed = 0, parented = 0;

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
		}
		if (!err && charged != u->sigpending)
			err = "a user's RLIMIT_SIGPENDING count does not match its queued signals";
	}
	if (k->ntasks_cap && k->tasks[0])
		err = "tid 0 is in use (find_task relies on slot 0 being empty)";
	for (size_t i = 0; i < k->ntasks_cap && !err; i++)
		if (k->tasks[i])
			err = check_task(k, k->tasks[i]);
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
		if (k->tasks[i] && k->tasks[i] == k->tasks[i]->group->leader &&
		    k->tasks[i]->group->nr_multiprocess)
			err = check_multiprocess(k, k->tasks[i]);
	if (!err)
		err = check_default_sighand(k);
	if (what)
		*what = err;
	return err ? -1 : 0;
}
