/* The guest tree and its two numberings: guests see and use real pids;
 * the model numbers its own tasks.  Every pid a guest passes is turned
 * into the model's, and every pid the model reports back (si_pid, wait's
 * pid) into the real one.  A pid outside the guest tree is nobody in the
 * model: a guest cannot reach, or even see, a process it did not create.
 * The list is searched linearly: a guest tree has few tasks. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec/exec.h"

/* A model tid the engine never gives out (it numbers from 1 upward). */
#define NOBODY 0x3ffffff0

struct guest *guest_add(struct exec *x, pid_t tid, pid_t tgid, int mtid)
{
	struct guest *g;

	if (x->ng == x->gcap) {
		size_t ncap = x->gcap ? x->gcap * 2 : 16;
		struct guest **ng = realloc(x->g, ncap * sizeof *ng);

		if (!ng)
			return NULL;
		x->g = ng;
		x->gcap = ncap;
	}
	g = calloc(1, sizeof *g);
	if (!g)
		return NULL;
	x->g[x->ng++] = g;
	g->tid = tid;
	g->tgid = tgid;
	g->mtid = mtid;
	g->state = GUEST_NEW;
	g->served_nr = -1;
	return g;
}

struct guest *guest_by_tid(struct exec *x, pid_t tid)
{
	for (size_t i = 0; i < x->ng; i++)
		if (x->g[i]->tid == tid)
			return x->g[i];
	return NULL;
}

struct guest *guest_by_mtid(struct exec *x, int mtid)
{
	for (size_t i = 0; i < x->ng; i++)
		if (x->g[i]->mtid == mtid && mtid)
			return x->g[i];
	return NULL;
}

/* A forgotten guest's pair of numbers stays known: a wait that the model
 * answered already may report it, and its real zombie is reaped through
 * it (reap_on_host), after the tracer saw it exit and the model reaped
 * it.  The model never reuses a tid; the last GONE_KEPT pairs are kept. */
static void remember_gone(struct exec *x, const struct guest *g)
{
	if (!g->mtid)
		return;
	x->gone[x->ngone++ % GONE_KEPT] = (struct exec_gone){ g->mtid, g->tid };
}

static pid_t gone_to_real(const struct exec *x, int mtid)
{
	size_t n = x->ngone < GONE_KEPT ? x->ngone : GONE_KEPT;

	for (size_t i = 0; i < n; i++)
		if (x->gone[i].mtid == mtid)
			return x->gone[i].tid;
	return 0;
}

bool guest_was(struct exec *x, pid_t tid)
{
	size_t n = x->ngone < GONE_KEPT ? x->ngone : GONE_KEPT;

	if (guest_by_tid(x, tid))
		return true;
	for (size_t i = 0; i < n; i++)
		if (x->gone[i].tid == tid)
			return true;
	return false;
}

void guest_forget(struct exec *x, struct guest *g)
{
	for (size_t i = 0; i < x->ng; i++) {
		if (x->g[i] == g) {
			remember_gone(x, g);
			x->g[i] = x->g[--x->ng];
			free(g);
			return;
		}
	}
}

int pid_to_model(struct exec *x, long pid)
{
	struct guest *g;

	if (pid <= 0 || pid > 0x3fffffff)
		return NOBODY;
	g = guest_by_tid(x, (pid_t)pid);
	return g && g->mtid ? g->mtid : NOBODY;
}

/* A process group: the one the first guest inherited from siglab is the
 * model's group of the first guest; any other is named by its leader. */
int pgid_to_model(struct exec *x, long pgid)
{
	if (pgid == x->outer_pgid)
		return x->leader_mtid;
	return pid_to_model(x, pgid);
}

pid_t pid_to_real(struct exec *x, int mtid)
{
	struct guest *g;

	if (mtid == x->init_mtid)
		return getpid();
	g = guest_by_mtid(x, mtid);
	return g ? g->tid : gone_to_real(x, mtid);
}
