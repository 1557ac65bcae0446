/* Models the process-group, session and prctl calls of kernel/sys.c:
 * setpgid, getpgid, setsid (ksys_setsid), getsid, getppid, and prctl's
 * PR_SET/GET_PDEATHSIG, PR_SET/GET_CHILD_SUBREAPER and PR_SET/GET_DUMPABLE
 * (Linux 6.x). */
#include "engine/internal.h"

static struct task *sys_caller(sl_kernel *k, int caller)
{
	return syscall_caller(k, caller);
}

/* A session leader's session id is its own pid. */
static bool session_leader(const struct task *leader)
{
	return leader->group->sid == leader->tid;
}

static int pgid_of(const struct task *p)
{
	return p->group->pgrp ? p->group->pgrp->pgid : 0;
}

/* Moves process `p` (a leader) to the group numbered after `owner`,
 * making that group when `owner` is p itself (change_pid). */
static int move_to_pgrp(sl_kernel *k, struct task *p, struct task *owner)
{
	struct pgroup *pg = task_pgrp_led(owner);

	if (p->group->pgrp && p->group->pgrp == pg)
		return 0;
	if (!pg) {
		pg = pgroup_new(k, owner);
		if (!pg)
			return -SL_ENOMEM;
	}
	pgroup_remove(k, p);
	pgroup_add(pg, p);
	return 0;
}

/* setpgid: only the caller itself or a child of the caller's process
 * that has not exec'd and shares its session; never a session leader; the
 * group joined must exist in the caller's session, or be the process's
 * own new group. */
long sl_sys_setpgid(sl_kernel *k, int caller, int pid, int pgid)
{
	struct task *cur = sys_caller(k, caller), *leader, *p;
	struct pgroup *target;

	if (!cur)
		return -SL_ESRCH;
	leader = cur->group->leader;
	if (!pid)
		pid = leader->tid;
	if (!pgid)
		pgid = pid;
	if (pgid < 0)
		return -SL_EINVAL;
	p = find_task_visible(k, cur, pid);
	if (!p)
		return -SL_ESRCH;
	if (p != p->group->leader)
		return -SL_EINVAL;
	if (p->group->parent && p->group->parent->group == cur->group) {
		if (p->group->sid != cur->group->sid)
			return -SL_EPERM;
		if (!p->group->forknoexec)
			return -SL_EACCES;
	} else if (p != leader) {
		return -SL_ESRCH;
	}
	if (session_leader(p))
		return -SL_EPERM;
	if (pgid == pid)
		return move_to_pgrp(k, p, p);
	target = pgroup_get(k, pgid);
	if (!target || !target->members || !task_visible_in(target->members, cur->group->ns) ||
	    target->members->group->sid != cur->group->sid)
		return -SL_EPERM;
	return move_to_pgrp(k, p, find_task(k, pgid));
}

/* The process getpgid/getsid ask about: pid 0 is the caller. */
static struct task *id_query_target(sl_kernel *k, int caller, int pid)
{
	struct task *cur = sys_caller(k, caller);

	if (!cur)
		return NULL;
	return pid ? find_task_visible(k, cur, pid) : cur;
}

long sl_sys_getpgid(sl_kernel *k, int caller, int pid)
{
	struct task *p = id_query_target(k, caller, pid);

	return p ? pgid_of(p) : -SL_ESRCH;
}

/* setsid: a process that leads no group (and no session) starts a new
 * session and a new group, both numbered after it. */
long sl_sys_setsid(sl_kernel *k, int caller)
{
	struct task *cur = sys_caller(k, caller), *leader;
	struct pgroup *own;
	int err;

	if (!cur)
		return -SL_ESRCH;
	leader = cur->group->leader;
	own = task_pgrp_led(leader);
	if (session_leader(leader) || (own && own->members))
		return -SL_EPERM;
	err = move_to_pgrp(k, leader, leader);
	if (err)
		return err;
	leader->group->sid = leader->tid;
	tty_setsid(leader);
	return leader->tid;
}

long sl_sys_getsid(sl_kernel *k, int caller, int pid)
{
	struct task *p = id_query_target(k, caller, pid);

	return p ? p->group->sid : -SL_ESRCH;
}

long sl_sys_getppid(sl_kernel *k, int caller)
{
	struct task *cur = sys_caller(k, caller), *parent;

	if (!cur)
		return -SL_ESRCH;
	parent = cur->group->parent;
	if (!parent || !task_visible_in(parent, cur->group->ns))
		return 0;
	return parent->group->leader->tid;
}

/* A process that becomes a subreaper marks its descendants, so that their
 * exits look for it (propagate_has_child_subreaper).  Only on the rare
 * prctl, and it stops where the mark is already set. */
static void propagate_has_child_subreaper(struct task *p)
{
	for (struct task *t = p->group->leader;;) {
		for (struct task *c = t->children; c; c = c->group->sib_next) {
			if (c->group->has_child_subreaper)
				continue;
			c->group->has_child_subreaper = true;
			propagate_has_child_subreaper(c);
		}
		t = t->thread_next;
		if (t == p->group->leader)
			break;
	}
}

long sl_sys_prctl(sl_kernel *k, int caller, int option, unsigned long arg2, int *out)
{
	struct task *cur = sys_caller(k, caller);

	if (!cur)
		return -SL_ESRCH;
	switch (option) {
	case SL_PR_SET_PDEATHSIG:
		if (arg2 > SL_NSIG)
			return -SL_EINVAL;
		cur->pdeath_signal = (uint8_t)arg2;
		return 0;
	case SL_PR_GET_PDEATHSIG:
		if (out)
			*out = cur->pdeath_signal;
		return 0;
	case SL_PR_SET_CHILD_SUBREAPER:
		cur->group->is_child_subreaper = arg2 != 0;
		if (arg2)
			propagate_has_child_subreaper(cur);
		return 0;
	case SL_PR_GET_CHILD_SUBREAPER:
		if (out)
			*out = cur->group->is_child_subreaper;
		return 0;
	/* The mm's dumpable flag, shared by the threads: only 0
	 * (SUID_DUMP_DISABLE) and 1 (SUID_DUMP_USER) may be set. */
	case SL_PR_SET_DUMPABLE:
		if (arg2 > 1)
			return -SL_EINVAL;
		cur->group->undumpable = arg2 == 0;
		return 0;
	case SL_PR_GET_DUMPABLE:
		return cur->group->undumpable ? 0 : 1;
	default:
		return -SL_EINVAL;
	}
}
