/* Models the process tree of kernel/exit.c: the children lists, what
 * happens to the children of a thread that exits (forget_original_parent,
 * find_child_reaper, find_new_reaper, reparent_leader), the parent-death
 * signal, orphaned process groups (kill_orphaned_pgrp,
 * will_become_orphaned_pgrp, has_stopped_jobs) and the death of a pid
 * namespace's init (kernel/pid_namespace.c zap_pid_ns_processes)
 * (Linux 6.x). */
#include "engine/internal.h"

static const char RULE_PDEATH[] =
	"parent death: the thread that forked this process exited, and the "
	"process asked for a signal then (PR_SET_PDEATHSIG; kernel/exit.c "
	"forget_original_parent)";
static const char RULE_ORPHANED[] =
	"orphaned: this exit left a process group with a stopped member and "
	"no parent in another group of the session: the stopped members get "
	"SIGHUP, then every member SIGCONT (kernel/exit.c kill_orphaned_pgrp, "
	"as Linux 6.18 does it)";
static const char RULE_ZAP[] =
	"the init of a pid namespace died: every other process of the "
	"namespace is killed (kernel/pid_namespace.c zap_pid_ns_processes)";

/* A child process (its leader) joins its real parent thread's children
 * list.  The list is kept newest first with a tail pointer; the kernel's
 * order (oldest first, adopted children after a parent's own) is the walk
 * from the tail, which wait and reparenting use. */
void link_child(struct task *parent, struct task *leader)
{
	struct signal_group *g = leader->group;

	g->parent = parent;
	g->sib_prev = NULL;
	g->sib_next = parent->children;
	if (parent->children)
		parent->children->group->sib_prev = leader;
	else
		parent->children_tail = leader;
	parent->children = leader;
}

void unlink_child(struct task *leader)
{
	struct signal_group *g = leader->group;
	struct task *parent = g->parent;

	if (!parent)
		return;
	if (g->sib_prev)
		g->sib_prev->group->sib_next = g->sib_next;
	else if (parent->children == leader)
		parent->children = g->sib_next;
	else
		return;	/* not on a list */
	if (g->sib_next)
		g->sib_next->group->sib_prev = g->sib_prev;
	else
		parent->children_tail = g->sib_prev;
	g->sib_next = g->sib_prev = NULL;
}

/* find_alive_thread: a thread of p's group that is not exiting. */
static struct task *find_alive_thread(struct task *p)
{
	struct task *t = p->group->leader;

	do {
		if (!(t->flags & PF_EXITING) && t->state != TASK_DEAD)
			return t;
		t = t->thread_next;
	} while (t != p->group->leader);
	return NULL;
}

/* zap_pid_ns_processes: SIGKILL (from the kernel) to every process of the
 * namespace and of the namespaces below it, in pid order, unless it is
 * already dying; the init's SIGCHLD becomes SIG_IGN so that they are
 * reaped as they die.  Rare, so a walk over the processes is fine. */
static void zap_pid_ns_processes(sl_kernel *k, struct task *init, struct pidns *ns)
{
	ns->zapped = true;
	/* Every init has a sighand of its own (sl_spawn, copy_process). */
	SL_ASSERT(init->sighand != k->default_sighand);
	init->sighand->action[SL_SIGCHLD - 1].handler = SL_SIG_IGN;
	emit_note(k, init->tid, SL_SIGKILL, RULE_ZAP);
	for (size_t i = 0; i < k->nprocs; i++) {
		struct task *p = k->procs[i];

		if (!p || p->released || p->group == init->group ||
		    !task_visible_in(p, ns) || p->group->live == 0 ||
		    (p->group->flags & SIGNAL_GROUP_EXIT) ||
		    (p->pending.signal & sl_sigmask(SL_SIGKILL)))
			continue;
		group_send_sig_info(k, init, SL_SIGKILL, INFO_PRIV, NULL, p, PIDTYPE_MAX);
	}
}

/* find_child_reaper: the namespace's init, unless the exiting thread is
 * that init; then another of its threads takes over, or, when it was the
 * last, the whole namespace dies with it. */
static struct task *find_child_reaper(sl_kernel *k, struct task *father)
{
	struct pidns *ns = father->group->ns;
	struct task *reaper = ns->reaper ? ns->reaper : k->init;

	if (!reaper || reaper->group != father->group)
		return reaper;
	reaper = find_alive_thread(father);
	if (reaper) {
		ns->reaper = reaper;
		return reaper;
	}
	if (ns != &k->root_ns && !ns->zapped)
		zap_pid_ns_processes(k, father, ns);
	return father;
}

/* find_new_reaper: another live thread of the same process; else the
 * nearest ancestor in the same namespace that is a child subreaper;
 * else the namespace's init. */
static struct task *find_new_reaper(sl_kernel *k, struct task *father,
				    struct task *child_reaper)
{
	struct task *t = find_alive_thread(father);

	(void)k;
	if (t)
		return t;
	if (father->group->has_child_subreaper) {
		for (struct task *r = father->group->parent;
		     r && r->group->ns == father->group->ns && !(r->group->flags & SIGNAL_UNKILLABLE);
		     r = r->group->parent) {
			if (!r->group->is_child_subreaper)
				continue;
			t = find_alive_thread(r);
			if (t)
				return t;
		}
	}
	return child_reaper;
}

/* will_become_orphaned_pgrp: no member but `ignored` has a parent in
 * another group of the same session; members that are dead, and children
 * of the global init, do not count. */
static bool will_become_orphaned_pgrp(const sl_kernel *k, const struct pgroup *pg,
				      const struct task *ignored)
{
	for (const struct task *p = pg->members; p; p = p->group->pgrp_next) {
		const struct task *parent = p->group->parent;

		if (p == ignored || p->group->live == 0 || !parent ||
		    (k->init && parent->group == k->init->group))
			continue;
		if (parent->group->pgrp != pg && parent->group->sid == p->group->sid)
			return false;
	}
	return true;
}

static bool has_stopped_jobs(const struct pgroup *pg)
{
	for (const struct task *p = pg->members; p; p = p->group->pgrp_next)
		if (p->group->flags & SIGNAL_STOP_STOPPED)
			return true;
	return false;
}

/* __kill_pgrp_info with a kernel siginfo, members newest first; with
 * stopped_only, to the members whose group stop is complete. */
static void kill_pgrp_priv(sl_kernel *k, struct task *sender, struct pgroup *pg, int sig,
			   bool stopped_only)
{
	for (struct task *p = pg->members; p; p = p->group->pgrp_next)
		if (!stopped_only || (p->group->flags & SIGNAL_STOP_STOPPED))
			group_send_sig_info(k, sender, sig, INFO_PRIV, NULL, p, PIDTYPE_PGID);
}

/* kill_orphaned_pgrp: on exit (parent NULL) the exiting process `leader`
 * may have been its group's last link outside; on reparenting, the child
 * `leader` of the exiting `parent` may have been.  `sender` is the
 * exiting thread, in whose context the signals are generated. */
void kill_orphaned_pgrp(sl_kernel *k, struct task *sender, struct task *leader,
			struct task *parent)
{
	struct pgroup *pg = leader->group->pgrp;
	const struct task *ignored = leader;

	if (!parent)
		parent = leader->group->parent;
	else
		ignored = NULL;
	if (!pg || !parent || parent->group->pgrp == pg ||
	    parent->group->sid != leader->group->sid ||
	    !will_become_orphaned_pgrp(k, pg, ignored) || !has_stopped_jobs(pg))
		return;
	/* The SIGHUP goes to the stopped members only, running ones get
	 * just the SIGCONT: so this machine's kernel does it (Linux 6.18,
	 * tests/scenarios/orphan-pgrp-mixed.scn: a running member, its
	 * leader or not, older or newer than the stopped one, takes no
	 * SIGHUP; a stopped process whose leader thread has exited takes
	 * it), where POSIX and the kernel's older text send it to every
	 * member. */
	emit_note(k, sender->tid, SL_SIGHUP, RULE_ORPHANED);
	kill_pgrp_priv(k, sender, pg, SL_SIGHUP, true);
	kill_pgrp_priv(k, sender, pg, SL_SIGCONT, false);
}

/* reparent_leader: a child moved to a thread of another process loses a
 * custom exit signal, is reported at once if it is already a zombie, and
 * its group may now be orphaned. */
static void reparent_leader(sl_kernel *k, struct task *father, struct task *p)
{
	struct signal_group *g = p->group;

	if (p->released)
		return;
	if (g->parent && g->parent->group == father->group)
		return;
	g->exit_signal = SL_SIGCHLD;
	if (g->exit_state && g->live == 0) {
		if (do_notify_parent(k, father, p, g->exit_signal))
			release_task(k, p);
	}
	if (!p->released)
		kill_orphaned_pgrp(k, father, p, father);
}

/* forget_original_parent: every child of the exiting thread gets a new
 * real parent; each of its threads with a parent-death signal gets it
 * now (from the exiting thread, as kill() would send it). */
void forget_original_parent(sl_kernel *k, struct task *father)
{
	struct task *reaper, *p;

	if (!father->children)
		return;
	reaper = find_child_reaper(k, father);
	reaper = find_new_reaper(k, father, reaper);
	/* A dead namespace init keeps the processes it has just SIGKILLed
	 * until they die (see do_notify_parent's DEVIATION). */
	if (reaper == father)
		return;
	while ((p = father->children_tail) != NULL) {
		struct task *t = p;

		unlink_child(p);
		if (reaper)
			link_child(reaper, p);
		else
			p->group->parent = NULL;	/* an embedder with no init */
		do {
			if (t->pdeath_signal && !t->released) {
				emit_note(k, t->tid, t->pdeath_signal, RULE_PDEATH);
				group_send_sig_info(k, father, t->pdeath_signal, INFO_NOINFO,
						    NULL, t, PIDTYPE_TGID);
			}
			t = t->thread_next;
		} while (t != p);
		reparent_leader(k, father, p);
	}
}

/* Invariants: every child on a thread's list names that thread as its
 * parent, is a leader not yet released, and the links and the tail agree.
 * *listed counts the list, so that sl_check can compare the sum over all
 * threads with the number of unreleased leaders that have a parent: each
 * of those is then on its parent's list, in time linear in the tasks. */
const char *check_children(const struct task *t, size_t *listed)
{
	const struct task *prev = NULL;

	for (const struct task *c = t->children; c; c = c->group->sib_next) {
		if (c->group->parent != t)
			return "a child on a thread's children list names another parent";
		if (c != c->group->leader || c->released)
			return "a children list holds a non-leader or a reaped process";
		if (c->group->sib_prev != prev)
			return "a children list's back link is wrong";
		prev = c;
		++*listed;
	}
	if (prev != t->children_tail)
		return "a children list's tail is wrong";
	return NULL;
}
