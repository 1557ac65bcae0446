/*
 * The parallel search (ex_options.jobs threads): the same outcomes, counts
 * and witnesses as the serial one, found by several workers at once.
 *
 *   1. The frontier: the paths of the first few choice levels (enough for
 *      a few tasks per thread), found by a serial walk that stops there.
 *   2. The workers: each takes frontier paths in turn and walks below
 *      them, every worker with its own run, snapshots and key buffer,
 *      all with the shared seen table, memos and outcomes (under one
 *      lock, held only for table operations).  A state claimed by one
 *      worker and met by another before it is done is explored again by
 *      the second, unclaimed and uncounted (its results are the same:
 *      runs are deterministic), so that no worker waits.
 *   3. The root: the serial walk from the start, which finds every state
 *      below the frontier done and merges its counts.
 *   4. The witnesses: an outcome's witness in the serial search is the
 *      first interleaving, in option order, that reaches it (the search
 *      meets leaves in that order, and a state reached again hides no
 *      earlier path); here it is found again by descending from the root
 *      into the first option whose state's memo lists the outcome.
 *
 * The counters are order-independent (search.h, struct shared), so only
 * a search cut short (the bound, an interrupt) may count differently from
 * the serial one; a scenario error makes the serial search run again, so
 * that the error names the interleaving the serial search names.
 */
#include <stdlib.h>
#include <string.h>

#include "explore/search.h"

struct pool {
	struct shared *sh;
	int *paths;		/* ntasks paths of `depth` choices, end to end */
	size_t ntasks, cap;
	size_t depth;
	size_t next;		/* the next task to take (under the lock) */
};

static int add_task(struct pool *p, const int *prefix)
{
	if (p->ntasks == p->cap) {
		size_t ncap = p->cap ? p->cap * 2 : 64;
		int *np = realloc(p->paths, ncap * (p->depth ? p->depth : 1) * sizeof *np);

		if (!np)
			return -1;
		p->paths = np;
		p->cap = ncap;
	}
	memcpy(p->paths + p->ntasks * p->depth, prefix, p->depth * sizeof *prefix);
	p->ntasks++;
	return 0;
}

/* The paths of p->depth choices below prefix[0, depth). */
static int expand(struct search *x, struct pool *p, size_t depth)
{
	long outcome;
	bool pushed;
	int n, rc = 0;

	switch (ex_replay(x, depth, &outcome)) {
	case R_ERROR:
		return -1;
	case R_LEAF:
		return 0;
	case R_CHOICE:
		break;
	}
	if (depth == p->depth)
		return add_task(p, x->prefix);
	n = x->stop_n;
	pushed = x->just_saved;
	if (pushed)
		x->nsaved++;
	for (int c = 0; c < n && rc == 0; c++)
		rc = ex_push_choice(x, depth, c) < 0 ? -1 : expand(x, p, depth + 1);
	if (pushed)
		x->nsaved--;
	return rc;
}

/* A frontier of a few tasks per thread (at most 4 levels deep). */
static int frontier(struct search *x, struct pool *p, unsigned jobs)
{
	for (p->depth = 1;; p->depth++) {
		size_t before = p->ntasks;

		/* Deeper paths: a new buffer. */
		free(p->paths);
		p->paths = NULL;
		p->ntasks = p->cap = 0;
		if (expand(x, p, 0) < 0)
			return -1;
		if (p->ntasks >= 8 * (size_t)jobs || (p->depth > 1 && p->ntasks == before) ||
		    p->depth == 4)
			break;
	}
	return 0;
}

static void *worker(void *arg)
{
	struct pool *p = arg;
	struct search x;

	ex_worker_init(&x, p->sh);
	for (;;) {
		struct counts tmp = { 0 };
		size_t i;
		int rc;

		ex_lock(p->sh);
		i = p->next++;
		ex_unlock(p->sh);
		if (i >= p->ntasks || x.oom || ex_stopped(p->sh))
			break;
		for (size_t d = 0; d < p->depth; d++) {
			if (ex_push_choice(&x, d, p->paths[i * p->depth + d]) < 0) {
				x.oom = true;
				break;
			}
			x.path[d] = -2;	/* above the frontier: no memo of ours */
		}
		rc = x.oom ? -1 : ex_walk(&x, p->depth, &tmp, false);
		free(tmp.v);
		if (rc < 0)
			break;
	}
	if (x.oom)
		ex_stop(p->sh);
	ex_worker_free(&x);
	return NULL;
}

static bool memo_lists(struct shared *sh, const struct ex_hash *key, long outcome)
{
	long m;
	bool yes = false;

	ex_lock(sh);
	m = ex_seen_find(&sh->seen, key);
	if (m >= 0 && sh->memo[m].done)
		for (size_t i = 0; i < sh->memo[m].c.len && !yes; i++)
			yes = sh->memo[m].c.v[i].outcome == outcome;
	ex_unlock(sh);
	return yes;
}

/* The first interleaving in option order that reaches `outcome`, or NULL. */
static char *first_witness(struct search *x, long outcome)
{
	size_t depth = 0, base = x->nsaved;
	char *w = NULL;
	long out = -1;

	x->force_save = true;
	switch (ex_replay(x, 0, &out)) {
	case R_LEAF:
		w = out == outcome ? ex_witness(x) : NULL;
		goto done;
	case R_ERROR:
		goto done;
	case R_CHOICE:
		break;
	}
	for (;;) {
		int n = x->stop_n, c;

		if (x->just_saved)
			x->nsaved++;
		for (c = 0; c < n; c++) {
			enum replay_end e;

			if (ex_push_choice(x, depth, c) < 0)
				goto done;
			e = ex_replay(x, depth + 1, &out);
			if (e == R_ERROR)
				goto done;
			if (e == R_LEAF && out == outcome) {
				w = ex_witness(x);
				goto done;
			}
			if (e == R_CHOICE && memo_lists(x->sh, &x->stop_key, outcome))
				break;
		}
		if (c == n)
			goto done;
		depth++;
	}
done:
	x->nsaved = base;
	x->force_save = false;
	return w;
}

static void witnesses(struct search *x)
{
	struct ex_outcomes *set = &x->sh->r->outcomes;

	for (size_t i = 0; i < set->n; i++) {
		char *w = first_witness(x, (long)i);

		if (w) {
			free(set->v[i].witness);
			set->v[i].witness = w;
		}
	}
}

int ex_parallel(struct shared *sh, struct counts *root)
{
	unsigned jobs = sh->opt->jobs;
	pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	pthread_t *tid = calloc(jobs, sizeof *tid);
	bool *started = calloc(jobs, sizeof *started);
	struct pool p = { .sh = sh };
	struct search x;
	int rc = -1;

	ex_worker_init(&x, sh);
	if (!tid || !started || x.oom)
		goto out;
	sh->lock = &mu;
	if (frontier(&x, &p, jobs) < 0)
		goto out;
	for (unsigned i = 1; i < jobs; i++)
		started[i] = pthread_create(&tid[i], NULL, worker, &p) == 0;
	worker(&p);
	for (unsigned i = 1; i < jobs; i++)
		if (started[i])
			pthread_join(tid[i], NULL);
	sh->lock = NULL;
	rc = ex_walk(&x, 0, root, true);
	if (rc == 0 && !sh->r->error && !sh->r->bound_hit)
		witnesses(&x);
	if (x.oom)
		rc = -1;
out:
	sh->lock = NULL;
	ex_worker_free(&x);
	free(p.paths);
	free(tid);
	free(started);
	return rc;
}
