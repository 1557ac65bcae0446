/* Models task creation as kernel/fork.c does it for signals: copy_sighand,
 * copy_signal, the pid table, process groups and pid namespaces, and the
 * per-user accounting object (kernel/ucount.c) signals are charged to. */
#include <string.h>

#include "engine/internal.h"

struct user *user_get(sl_kernel *k, uint32_t uid)
{
	struct user *u;

	for (u = k->users; u; u = u->next)
		if (u->uid == uid)
			return u;
	u = kalloc(k, sizeof *u);
	if (!u)
		return NULL;
	u->uid = uid;
	u->next = k->users;
	k->users = u;
	return u;
}

/* A process group is found through the pid it is numbered after, as the
 * kernel's struct pid holds its PIDTYPE_PGID list: O(1). */
struct pgroup *pgroup_get(sl_kernel *k, int pgid)
{
	struct task *t = find_task(k, pgid);

	return t ? task_pgrp_led(t) : NULL;
}

/* The group is part of its leading task: making it cannot fail. */
struct pgroup *pgroup_new(sl_kernel *k, struct task *leader)
{
	(void)k;
	leader->pgrp_led.pgid = leader->tid;
	return &leader->pgrp_led;
}

/* attach_pid adds to the head of the pid's hlist: a process group's
 * members are walked newest first. */
void pgroup_add(struct pgroup *pg, struct task *leader)
{
	struct signal_group *g = leader->group;

	g->pgrp = pg;
	g->pgrp_prev = NULL;
	g->pgrp_next = pg->members;
	if (pg->members)
		pg->members->group->pgrp_prev = leader;
	pg->members = leader;
	pg->refs++;
}

void pgroup_remove(sl_kernel *k, struct task *leader)
{
	struct signal_group *g = leader->group;
	struct pgroup *pg = g->pgrp;

	(void)k;
	if (!pg)
		return;
	if (g->pgrp_prev)
		g->pgrp_prev->group->pgrp_next = g->pgrp_next;
	else
		pg->members = g->pgrp_next;
	if (g->pgrp_next)
		g->pgrp_next->group->pgrp_prev = g->pgrp_prev;
	g->pgrp_next = g->pgrp_prev = NULL;
	SL_ASSERT(pg->refs > 0);
	pg->refs--;
	/* The group stays findable by its pgid (for the orphan rules) until
	 * the kernel object is freed; an empty group has no members. */
}

static int grow_tables(sl_kernel *k)
{
	if ((size_t)k->next_tid >= k->ntasks_cap) {
		size_t ncap = k->ntasks_cap ? k->ntasks_cap * 2 : 64;
		struct task **nt = krealloc(k, k->tasks, k->ntasks_cap * sizeof *nt,
					    ncap * sizeof *nt);

		if (!nt)
			return -SL_ENOMEM;
		memset(nt + k->ntasks_cap, 0, (ncap - k->ntasks_cap) * sizeof *nt);
		k->tasks = nt;
		k->ntasks_cap = ncap;
	}
	if (work_grow(k) < 0)
		return -SL_ENOMEM;
	if (k->nprocs >= k->procs_cap) {
		size_t ncap = k->procs_cap ? k->procs_cap * 2 : 64;
		struct task **np = krealloc(k, k->procs, k->procs_cap * sizeof *np,
					    ncap * sizeof *np);

		if (!np)
			return -SL_ENOMEM;
		k->procs = np;
		k->procs_cap = ncap;
	}
	return 0;
}

/* Allocates a task with a tid and the cred `share` or, if NULL, one of
 * its own for uid; the caller links it into a group. */
static struct task *task_alloc(sl_kernel *k, struct cred *share, uint32_t uid)
{
	struct task *t;

	if (grow_tables(k) < 0)
		return NULL;
	t = kalloc(k, sizeof *t);
	if (!t)
		return NULL;
	t->cred = cred_get(k, share, uid);
	if (!t->cred) {
		kfree(k, t, sizeof *t);
		return NULL;
	}
	t->pt = &k->pt_none;
	t->sys = &k->sys_none;
	t->tid = k->next_tid;
	t->thread_next = t->thread_prev = t;
	t->state = TASK_RUNNING;
	t->sp = SL_USER_STACK_TOP;
	return t;
}

static void task_install(sl_kernel *k, struct task *t)
{
	k->tasks[t->tid] = t;
	k->next_tid++;
	/* Whatever it is given during its creation (a pending SIGSTOP, a
	 * process's CLD report it joins) counts as work from here. */
	work_mark(k, t);
}

static struct signal_group *group_alloc(sl_kernel *k, struct task *leader)
{
	struct signal_group *g = kalloc(k, sizeof *g);

	if (!g)
		return NULL;
	g->leader = leader;
	g->curr_target = leader;
	g->nr_threads = 1;
	g->live = 1;
	g->exit_signal = SL_SIGCHLD;
	g->forknoexec = true;
	g->rlim = k->rlim_init;
	g->timers = &k->timers_none;
	g->files = &k->files_none;
	leader->group = g;
	return g;
}

static struct pidns *pidns_new(sl_kernel *k, struct pidns *parent)
{
	struct pidns *ns, **arr;

	/* The namespace first: the array may only grow together with its
	 * count, so that it is always freed with the size it has. */
	ns = kalloc(k, sizeof *ns);
	if (!ns)
		return NULL;
	arr = krealloc(k, k->namespaces, k->nnamespaces * sizeof *arr,
		       (k->nnamespaces + 1) * sizeof *arr);
	if (!arr) {
		kfree(k, ns, sizeof *ns);
		return NULL;
	}
	k->namespaces = arr;
	ns->parent = parent;
	ns->level = parent->level + 1;
	k->namespaces[k->nnamespaces++] = ns;
	return ns;
}

/* alloc_pid: a new task takes the next pid of its namespace and of every
 * namespace above it; a pid is never given twice (pid_max is not
 * modelled, so numbers do not wrap).  0 or -SL_ENOMEM, with nothing
 * taken. */
static int alloc_pid(sl_kernel *k, struct pidns *ns, int tid)
{
	for (struct pidns *n = ns; n && n->level > 0; n = n->parent) {
		size_t cap = n->nrs_cap ? n->nrs_cap * 2 : 8;
		int *nrs;

		if (n->nnrs < n->nrs_cap)
			continue;
		nrs = krealloc(k, n->nrs, n->nrs_cap * sizeof *nrs, cap * sizeof *nrs);
		if (!nrs)
			return -SL_ENOMEM;
		n->nrs = nrs;
		n->nrs_cap = cap;
	}
	for (struct pidns *n = ns; n && n->level > 0; n = n->parent)
		n->nrs[n->nnrs++] = tid;
	return 0;
}

/* A task that was given its pids and then not created gives them back. */
static void free_pid(struct pidns *ns, int tid)
{
	for (struct pidns *n = ns; n && n->level > 0; n = n->parent)
		if (n->nnrs && n->nrs[n->nnrs - 1] == tid)
			n->nnrs--;
}

int sl_find_vpid(const sl_kernel *k, int caller, int nr)
{
	const struct task *c = find_task(k, caller);
	const struct pidns *ns;

	if (!c || nr <= 0)
		return 0;
	ns = c->group->ns;
	if (ns->level == 0)
		return sl_task_exists(k, nr) ? nr : 0;
	if ((size_t)nr > ns->nnrs || !sl_task_exists(k, ns->nrs[nr - 1]))
		return 0;
	return ns->nrs[nr - 1];
}

/* Puts a new process leader in a process group: pgid 0 makes a new group
 * led by the process (setsid/setpgid(0,0) at birth). */
static int join_pgroup(sl_kernel *k, struct task *leader, int pgid)
{
	struct pgroup *pg;

	if (pgid == 0 || pgid == leader->tid) {
		pg = pgroup_new(k, leader);
	} else {
		pg = pgroup_get(k, pgid);
		if (!pg || !pg->members)
			return -SL_EPERM;
	}
	if (!pg)
		return -SL_ENOMEM;
	pgroup_add(pg, leader);
	return 0;
}

static void undo_spawn(sl_kernel *k, struct task *t)
{
	if (t->group) {
		pgroup_remove(k, t);
		timers_put(k, t->group);
		rlimit_put(k, t->group);
		files_put(k, t->group);
		kfree(k, t->group, sizeof *t->group);
	}
	if (t->sighand)
		sighand_put(k, t->sighand);
	ptrace_put(k, t);
	sys_free(k, t);
	put_cred(k, t->cred);
	kfree(k, t, sizeof *t);
}

/* A new process's task and signal group; its sighand is the shared
 * default one (share) or its own, all SIG_DFL. */
static struct task *process_alloc(sl_kernel *k, struct cred *cred, uint32_t uid, bool share)
{
	struct task *t = task_alloc(k, cred, uid);

	if (!t)
		return NULL;
	t->sighand = share ? sighand_default(k) : kalloc(k, sizeof *t->sighand);
	if (t->sighand)
		t->sighand->refs++;
	if (!t->sighand || !group_alloc(k, t)) {
		undo_spawn(k, t);
		return NULL;
	}
	return t;
}

/* A spawned process shares its parent's cred when it has the same uid
 * as its real, effective and saved one. */
static struct cred *spawn_cred(const struct task *parent, uint32_t uid)
{
	struct cred *c = parent ? parent->cred : NULL;

	return c && c->uid == uid && c->euid == uid && c->suid == uid ? c : NULL;
}

/* Whether ns is anc or one of its descendants. */
static bool pidns_below(const struct pidns *ns, const struct pidns *anc)
{
	for (; ns; ns = ns->parent)
		if (ns == anc)
			return true;
	return false;
}

int sl_spawn(sl_kernel *k, const struct sl_spawn *how)
{
	struct task *parent = NULL, *t;
	struct pidns *ns = &k->root_ns;
	int err;

	SL_ASSERT(k != NULL);
	if (!how)
		return -SL_EINVAL;
	/* A non-zero reserved field is a later version's: refused. */
	for (size_t i = 0; i < sizeof how->reserved / sizeof how->reserved[0]; i++)
		if (how->reserved[i])
			return -SL_EINVAL;
	if (how->reserved32)
		return -SL_EINVAL;
	if (how->parent) {
		parent = find_task(k, how->parent);
		if (!parent || parent->state == TASK_DEAD)
			return -SL_ESRCH;
		ns = parent->group->ns;
	}
	if (how->ns) {
		/* setns(CLONE_NEWPID): only into the caller's namespace or a
		 * descendant of it (pidns_install) */
		const struct task *in = find_task(k, how->ns);

		if (!in || in->released)
			return -SL_ESRCH;
		if (!pidns_below(in->group->ns, ns))
			return -SL_EINVAL;
		ns = in->group->ns;
	}
	if (how->kind != SL_SPAWN_PROCESS && how->kind != SL_SPAWN_INIT &&
	    how->kind != SL_SPAWN_NS_INIT && how->kind != SL_SPAWN_KTHREAD)
		return -SL_EINVAL;
	if (how->kind == SL_SPAWN_INIT && (k->init || k->next_tid != 1))
		return -SL_EINVAL;
	/* Inits and kernel threads change their actions from the start
	 * (zap_pid_ns_processes, ignore_signals): their own sighand. */
	t = process_alloc(k, spawn_cred(parent, how->uid), how->uid,
			  how->kind == SL_SPAWN_PROCESS);
	if (!t)
		return -SL_ENOMEM;
	t->group->parent = parent ? parent : k->init;
	t->group->ns = ns;
	t->group->sid = how->sid ? how->sid : parent ? parent->group->sid : 1;
	err = join_pgroup(k, t, how->pgid);
	if (err) {
		t->group->pgrp = NULL;
		undo_spawn(k, t);
		return err;
	}
	switch (how->kind) {
	case SL_SPAWN_INIT:
		t->group->flags |= SIGNAL_UNKILLABLE;
		k->init = t;
		k->root_ns.reaper = t;
		break;
	case SL_SPAWN_NS_INIT:
		ns = pidns_new(k, ns);
		if (!ns) {
			undo_spawn(k, t);
			return -SL_ENOMEM;
		}
		ns->reaper = t;
		t->group->ns = ns;
		t->group->flags |= SIGNAL_UNKILLABLE;
		break;
	case SL_SPAWN_KTHREAD:
		/* kthreadd's ignore_signals(): every action is SIG_IGN, so
		 * user signals are dropped until allow_signal(). */
		t->flags |= PF_KTHREAD;
		t->group->kthread = true;
		for (int i = 0; i < SL_NSIG; i++)
			t->sighand->action[i].handler = SL_SIG_IGN;
		break;
	case SL_SPAWN_PROCESS:
		break;
	}
	err = alloc_pid(k, t->group->ns, t->tid);
	if (err) {
		undo_spawn(k, t);
		return err;
	}
	task_install(k, t);
	t->group->proc_index = (uint32_t)k->nprocs;
	k->procs[k->nprocs++] = t;
	k->nr_processes++;
	if (t->group->parent) {
		struct signal_group *pg = t->group->parent->group;

		t->group->has_child_subreaper = pg->has_child_subreaper || pg->is_child_subreaper;
		link_child(t->group->parent, t);
	}
	return t->tid;
}

/* clone(CLONE_VM|CLONE_THREAD|CLONE_SIGHAND): the new tid or -errno. */
/* A thread born while its process stops joins the stop (the caller may
 * run in a stopping or stopped group only as a tracee): it counts in
 * group_stop_count while one is under way and stops on its first way
 * to user mode, for the caller's stop signal.  (kernel/signal.c
 * task_join_group_stop, called by copy_process.) */
static void task_join_group_stop(sl_kernel *k, struct task *t, const struct task *cur)
{
	struct signal_group *g = t->group;
	unsigned mask = (cur->jobctl & JOBCTL_STOP_SIGMASK) | JOBCTL_STOP_PENDING;

	if (g->group_stop_count) {
		g->group_stop_count++;
		mask |= JOBCTL_STOP_CONSUME;
	} else if (!(g->flags & SIGNAL_STOP_STOPPED)) {
		return;
	}
	t->jobctl = (t->jobctl & ~JOBCTL_STOP_SIGMASK) | mask;
	recalc_sigpending(k, t);
}

static int clone_thread(sl_kernel *k, int caller)
{
	struct task *cur = syscall_caller(k, caller), *t;
	struct signal_group *g;

	if (!cur)
		return -SL_ESRCH;
	g = cur->group;
	/* copy_process refuses new threads in a dying group. */
	if (g->flags & SIGNAL_GROUP_EXIT)
		return -SL_EINTR;
	t = task_alloc(k, cur->cred, 0);	/* copy_creds: the caller's cred */
	if (!t)
		return -SL_ENOMEM;
	if (ptrace_fork_get(k, t, cur) < 0 || alloc_pid(k, g->ns, t->tid) < 0) {
		ptrace_put(k, t);
		put_cred(k, t->cred);
		kfree(k, t, sizeof *t);
		return -SL_ENOMEM;
	}
	t->group = g;
	t->sighand = cur->sighand;
	t->sighand->refs++;
	t->flags = cur->flags & PF_KTHREAD;
	t->blocked = cur->blocked;
	/* Join the circular thread list at its tail (list_add_tail_rcu). */
	t->thread_next = g->leader;
	t->thread_prev = g->leader->thread_prev;
	g->leader->thread_prev->thread_next = t;
	g->leader->thread_prev = t;
	g->nr_threads++;
	g->live++;
	task_install(k, t);
	task_join_group_stop(k, t, cur);
	return t->tid;
}

/* The process half of copy_process: a child with a copy of the caller's
 * actions and mask, empty pending sets and no pdeath signal.  With
 * CLONE_PARENT it is the caller's sibling and reports with the caller's
 * own exit signal; with CLONE_NEWPID it is the init of a new namespace. */
int copy_process(sl_kernel *k, struct task *cur, unsigned flags, int exit_signal)
{
	struct signal_group *cg = cur->group, *g;
	struct task *parent = cur, *t;
	struct pidns *ns = cg->ns;
	int err;

	/* A kernel thread has no user mode to fork from.  UNMODELED(kernel
	 * threads starting user processes: call_usermodehelper). */
	if (cur->flags & PF_KTHREAD)
		return -SL_EINVAL;
	/* Inits may not make siblings: they would have no parent to reap
	 * them (copy_process). */
	if ((flags & SL_CLONE_PARENT) && (cg->flags & SIGNAL_UNKILLABLE))
		return -SL_EINVAL;
	/* A new pid namespace needs CAP_SYS_ADMIN (create_new_namespaces):
	 * root's, in the model. */
	if ((flags & SL_CLONE_NEWPID) && !cred_capable(cur))
		return -SL_EPERM;
	if (cg->flags & SIGNAL_GROUP_EXIT)
		return -SL_EINTR;
	/* A namespace whose init died takes no new pids (zap_pid_ns_processes
	 * disables allocation: alloc_pid fails). */
	if (ns->zapped)
		return -SL_ENOMEM;
	if (flags & SL_CLONE_PARENT) {
		parent = cg->parent;
		exit_signal = cg->exit_signal;
		if (!parent)
			return -SL_EINVAL;
	}
	/* copy_sighand: the child gets its own copy of every action; a
	 * parent with the shared default ones gives it those, except to the
	 * init of a new pid namespace, whose actions its namespace's end
	 * changes (zap_pid_ns_processes), where no allocation may fail. */
	t = process_alloc(k, cur->cred, 0, cur->sighand == k->default_sighand &&
				       !(flags & SL_CLONE_NEWPID));
	if (!t)
		return -SL_ENOMEM;
	/* copy_signal copies the limits (rlimit.c: shared while they are
	 * init's). */
	if (ptrace_fork_get(k, t, cur) < 0 || rlimit_fork(k, t->group, cg) < 0) {
		undo_spawn(k, t);
		return -SL_ENOMEM;
	}
	g = t->group;
	if (t->sighand != cur->sighand)
		memcpy(t->sighand->action, cur->sighand->action, sizeof t->sighand->action);
	t->blocked = cur->blocked;
	g->parent = parent;
	g->ns = ns;
	g->sid = cg->sid;
	g->tty = cg->tty;	/* copy_signal: the controlling terminal */
	g->exit_signal = (uint8_t)exit_signal;
	/* The child's CPU time starts at 0; dup_mm copies the dumpable
	 * flag. */
	g->undumpable = cg->undumpable;
	g->parent_exec_id = (flags & SL_CLONE_PARENT) ? cg->parent_exec_id : cg->self_exec_id;
	g->has_child_subreaper = parent->group->has_child_subreaper ||
				 parent->group->is_child_subreaper;
	if (flags & SL_CLONE_NEWPID) {
		ns = pidns_new(k, ns);
		if (!ns) {
			undo_spawn(k, t);
			return -SL_ENOMEM;
		}
		ns->reaper = t;
		g->ns = ns;
		g->flags |= SIGNAL_UNKILLABLE;
		g->has_child_subreaper = false;
	}
	if (cur->nframes) {
		t->frames = kalloc(k, cur->nframes * sizeof *t->frames);
		if (!t->frames) {
			undo_spawn(k, t);
			return -SL_ENOMEM;
		}
		memcpy(t->frames, cur->frames, cur->nframes * sizeof *t->frames);
		t->nframes = t->frames_cap = cur->nframes;
	}
	/* The child runs on a copy of the parent's stack, and has the
	 * parent's alternate stack too: only a child sharing the memory
	 * (a thread, CLONE_VM without CLONE_VFORK) starts without one
	 * (kernel/fork.c copy_process, sas_ss_reset). */
	t->sp = cur->sp;
	t->sas = cur->sas;
	err = signalfd_fork(k, cg, g);
	if (!err)
		err = pipe_fds_fork(k, cg, g);
	if (!err)
		err = alloc_pid(k, g->ns, t->tid);
	if (!err) {
		err = join_pgroup(k, t, cg->pgrp ? cg->pgrp->pgid : 0);
		if (err)
			free_pid(g->ns, t->tid);
	}
	if (err) {
		signalfd_free(k, g);
		pipe_fds_free(k, g);
		kfree(k, t->frames, t->frames_cap * sizeof *t->frames);
		g->pgrp = NULL;
		undo_spawn(k, t);
		return err;
	}
	task_install(k, t);
	g->proc_index = (uint32_t)k->nprocs;
	k->procs[k->nprocs++] = t;
	k->nr_processes++;
	link_child(parent, t);
	return t->tid;
}

/* kernel_clone's ptrace part (ptrace.c): with PTRACE_O_TRACEFORK/CLONE
 * the new task starts traced by the same tracer, and the caller stops at
 * PTRACE_EVENT_FORK/CLONE once it exists. */
static int traced_clone(sl_kernel *k, struct task *cur, int event, int tid)
{
	struct task *child = tid > 0 ? find_task(k, tid) : NULL;

	if (!event || !child)
		return tid;
	ptrace_init_task(child, cur);
	ptrace_event_pid(k, cur, event, tid);
	return tid;
}

/* ---- the fork window ------------------------------------------------------
 * copy_process in two halves, as a signal sees it.  The first half checks
 * the flags, puts the fork on the process's multiprocess list (not for a
 * thread) and then refuses to go on while a signal is deliverable: the
 * syscall fails with -ERESTARTNOINTR, the signal is taken and fork runs
 * again, so that a signal sent before the fork is the parent's alone.
 * Between the halves, a signal sent to the process group or wider
 * (kill(0), kill(-pgid), kill(-1)) is also recorded for the child, so that
 * it seems sent after the fork: the child starts with it pending, with no
 * siginfo (it reads as SI_USER from pid 0).  A signal for the parent
 * alone waits for it, and the fork goes on.  The second half gives up
 * with -EINTR when SIGKILL is pending (the parent is dying), else makes
 * the child.  (kernel/fork.c copy_process: the `delayed`
 * multiprocess_signals, task_sigpending and fatal_signal_pending checks;
 * kernel/signal.c __send_signal_locked; calculate_sigpending for the
 * child's first run.) */

static void fork_window_end(struct task *cur)
{
	if (cur->in_fork && cur->sys->fork.multiprocess) {
		SL_ASSERT(cur->group->nr_multiprocess > 0);
		cur->group->nr_multiprocess--;
	}
	if (cur->in_fork)
		cur->sys->fork = (struct fork_window){ 0 };
	cur->in_fork = false;
}

/* A stop signal and SIGCONT are never delayed together: the later one
 * discards the earlier, as prepare_signal does for pending ones. */
void fork_delay_signal(struct signal_group *g, int sig)
{
	struct task *t = g->leader;

	do {
		struct fork_window *w = &t->sys->fork;

		if (t->in_fork && w->multiprocess) {
			if (sig == SL_SIGCONT)
				w->delayed &= ~SIGSET_KERNEL_STOP;
			else if (sig_kernel_stop(sig))
				w->delayed &= ~sl_sigmask(SL_SIGCONT);
			w->delayed |= sl_sigmask(sig);
		}
		t = t->thread_next;
	} while (t != g->leader);
}

long sl_sys_clone_thread(sl_kernel *k, int caller)
{
	return clone_thread(k, caller);
}

long sl_sys_clone_begin(sl_kernel *k, int caller, unsigned flags, int exit_signal)
{
	struct task *cur = find_task(k, caller);

	if (cur && cur->in_fork)
		return -SL_EINVAL;
	cur = syscall_caller(k, caller);
	if (!cur)
		return -SL_ESRCH;
	if (exit_signal < 0 || !valid_signal(exit_signal))
		return -SL_EINVAL;
	if ((flags & SL_CLONE_THREAD) &&
	    (!(flags & SL_CLONE_SIGHAND) || (flags & SL_CLONE_NEWPID)))
		return -SL_EINVAL;
	if ((cur->flags & PF_KTHREAD) && !(flags & SL_CLONE_THREAD))
		return -SL_EINVAL;
	if ((flags & SL_CLONE_PARENT) && (cur->group->flags & SIGNAL_UNKILLABLE))
		return -SL_EINVAL;
	recalc_sigpending(k, cur);
	if (cur->sigpending)
		return -SL_ERESTARTNOINTR;
	/* The window is call state: an idle task has none of its own. */
	if (sys_own(k, cur) < 0)
		return -SL_ENOMEM;
	cur->in_fork = true;
	cur->sys->fork = (struct fork_window){
		.multiprocess = !(flags & SL_CLONE_THREAD),
		.flags = flags,
		.exit_signal = exit_signal,
	};
	if (cur->sys->fork.multiprocess)
		cur->group->nr_multiprocess++;
	return 0;
}

/* The child's first run finds what was delayed for it pending
 * (calculate_sigpending). */
static void take_delayed(sl_kernel *k, int tid, sl_sigset delayed)
{
	struct task *child = find_task(k, tid);

	if (!child || !delayed)
		return;
	child->group->shared_pending.signal |= delayed;
	recalc_sigpending(k, child);
}

long sl_sys_clone_finish(sl_kernel *k, int caller)
{
	struct task *cur = find_task(k, caller);
	struct fork_window w;
	int tid;

	if (!cur)
		return -SL_ESRCH;
	if (!cur->in_fork)
		return -SL_EINVAL;
	w = cur->sys->fork;
	fork_window_end(cur);
	/* A dying parent makes no child. */
	if (cur->state == TASK_DEAD || (cur->pending.signal & sl_sigmask(SL_SIGKILL)))
		return -SL_EINTR;
	if (w.flags & SL_CLONE_THREAD)
		return traced_clone(k, cur, ptrace_clone_event(cur, w.flags, 0),
				    clone_thread(k, caller));
	/* DEVIATION(the child's copy of the actions is taken here, when the
	 * fork finishes; the kernel's copy_sighand runs inside the window, so
	 * a sibling thread's sigaction during the window reaches the child in
	 * the kernel only if it came before that point). */
	tid = copy_process(k, cur, w.flags, w.exit_signal);
	if (tid > 0)
		take_delayed(k, tid, w.delayed);
	return traced_clone(k, cur, ptrace_clone_event(cur, w.flags, w.exit_signal), tid);
}

bool sl_task_in_fork(const sl_kernel *k, int tid)
{
	const struct task *t = k ? find_task(k, tid) : NULL;

	return t && t->in_fork;
}

/* fork() and clone() whole: both halves with nothing in between. */
long sl_sys_clone(sl_kernel *k, int caller, unsigned flags, int exit_signal)
{
	long err = sl_sys_clone_begin(k, caller, flags, exit_signal);

	if (err)
		return err;
	return sl_sys_clone_finish(k, caller);
}

long sl_sys_fork(sl_kernel *k, int caller)
{
	return sl_sys_clone(k, caller, 0, SL_SIGCHLD);
}
