/* Which pid namespace each scenario task lives in on the host:
 * the scenario's own (-1), or the nested one of an nsinit.  An nsinit's
 * namespace is its own; a process lives where its parent does (`in=` only
 * names the default parent); a thread where its process does; a forked
 * process where the task that forks it does, unless the fork is a
 * clone(CLONE_NEWPID), whose child is the init of a namespace of its own. */
#include "host/internal.h"

/* The step that forks task i, or NULL. */
static const struct sc_step *fork_step(const struct scenario *s, int i)
{
	for (size_t j = 0; j < s->nsteps; j++) {
		const struct sc_stmt *st = &s->steps[j].stmt;

		if ((st->op == SC_OP_FORK || st->op == SC_OP_CLONE) && st->target.task == i)
			return &s->steps[j];
	}
	return NULL;
}

int host_ns_of(const struct scenario *s, int i)
{
	/* Declarations only refer back, and forks form a tree: bounded. */
	for (size_t guard = 0; guard <= s->ntasks && i >= 0; guard++) {
		const struct sc_task *t = &s->tasks[i];

		if (t->kind == SC_NSINIT)
			return i;
		if (t->kind == SC_THREAD)
			i = t->leader;
		else if (t->forked && fork_step(s, i) &&
			 (fork_step(s, i)->stmt.flags & SL_CLONE_NEWPID))
			return i;	/* clone(CLONE_NEWPID): its own namespace */
		else if (t->forked)
			i = fork_step(s, i) ? fork_step(s, i)->task : -1;
		else if (t->parent >= 0)
			i = t->parent;
		else
			return t->ns;
	}
	return -1;
}
