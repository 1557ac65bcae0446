/*
 * The search: a depth-first walk over the choice points of a scenario.
 * A run of the model follows a prefix of choices; at the first choice
 * point past the prefix it stops and reports how many options there are
 * and the hash of the state it is in.  The walk then tries each option in
 * turn, in index order, so the search, and everything it reports, is
 * deterministic.
 *
 * States, not paths: at a par block's choice point the run is saved
 * (sim/snap.c: the kernel's arena and the runner's record), and each
 * option is taken by restoring that snapshot and making one move, not by
 * replaying the path from a fresh kernel.  A settle choice point, which
 * lies inside a move, is not saved: its options replay from the nearest
 * saved ancestor (at most the rest of one move).  The snapshots on the
 * stack are those of the current path; their buffers are reused, so the
 * walk allocates nothing per state once they have grown.
 *
 * Choice points (docs/explore.md):
 *   - in a par block, which of the remaining steps runs next, among those
 *     whose task can run (a step of a stopped, sleeping, dead or not yet
 *     forked task waits; if every remaining step waits, the interleaving
 *     ends there and its outcome says which steps never ran);
 *   - after a step, while more than one task has work, which of them
 *     returns to user mode next (in `run`: declaration order);
 *   - a fork step in a par block is three moves (the fork window,
 *     sim/par.c): "step N enters", "step N begins", "step N".
 * A point with one option is no choice.  Steps outside par blocks run in
 * file order.
 *
 * Pruning: a state is the engine's whole state (sl_kernel_digest), the
 * runner's record of the run (handler counts, syscall results, facts of
 * the trace that atoms ask about) and where the schedule stands (which
 * steps have run, which block is open); key.c writes it.  The future of two runs in equal
 * states is the same, so a state met again reuses the outcome counts
 * computed the first time: every interleaving is still counted, each
 * state is explored once.  The number of distinct states is bounded
 * (ex_options.max_states); when the bound is hit the search stops and
 * says so.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore/search.h"
#include "scenario/render.h"

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

static int counts_reserve(struct counts *c, size_t n)
{
	size_t ncap = c->cap ? c->cap : 4;
	void *nv;

	if (n <= c->cap)
		return 0;
	while (ncap < n)
		ncap *= 2;
	nv = realloc(c->v, ncap * sizeof *c->v);
	if (!nv)
		return -1;
	c->v = nv;
	c->cap = ncap;
	return 0;
}

/* Counts are kept sorted by outcome, so that a merge is one pass. */
int ex_counts_add(struct counts *c, long outcome, uint64_t n)
{
	size_t lo = 0, hi = c->len;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (c->v[mid].outcome < outcome)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < c->len && c->v[lo].outcome == outcome) {
		c->v[lo].n = sat_add(c->v[lo].n, n);
		return 0;
	}
	if (counts_reserve(c, c->len + 1) < 0)
		return -1;
	memmove(&c->v[lo + 1], &c->v[lo], (c->len - lo) * sizeof *c->v);
	c->v[lo].outcome = outcome;
	c->v[lo].n = n;
	c->len++;
	return 0;
}

/* Merges two sorted lists from their ends into the room after `into`'s,
 * then closes the gap the outcomes they share leave. */
static int counts_merge(struct counts *into, const struct counts *from)
{
	size_t a = into->len, b = from->len, k = a + b, i = a, j = b, tail;

	if (!b)
		return 0;
	if (counts_reserve(into, a + b) < 0)
		return -1;
	while (j > 0) {
		if (i > 0 && into->v[i - 1].outcome > from->v[j - 1].outcome) {
			into->v[--k] = into->v[--i];
		} else if (i > 0 && into->v[i - 1].outcome == from->v[j - 1].outcome) {
			--k;
			into->v[k].outcome = from->v[j - 1].outcome;
			into->v[k].n = sat_add(into->v[i - 1].n, from->v[j - 1].n);
			i--;
			j--;
		} else {
			into->v[--k] = from->v[--j];
		}
	}
	/* v[0, i) stand where they were; the merged run is v[k, a + b). */
	tail = a + b - k;
	if (k > i)
		memmove(&into->v[i], &into->v[k], tail * sizeof *into->v);
	into->len = i + tail;
	return 0;
}

/* ---- witnesses ------------------------------------------------------------------ */

static void log_move(struct search *x, int settle, int idx, const char *suffix)
{
	if (x->nlog == x->log_cap) {
		size_t ncap = x->log_cap ? x->log_cap * 2 : 64;
		struct move *nl = realloc(x->log, ncap * sizeof *nl);

		if (!nl) {
			x->oom = true;
			return;
		}
		x->log = nl;
		x->log_cap = ncap;
	}
	x->log[x->nlog++] = (struct move){ settle, idx, suffix };
}

/* The moves made so far, as the report prints them (malloc'd). */
char *ex_witness(const struct search *x)
{
	struct strbuf b = { 0 };

	for (size_t i = 0; i < x->nlog; i++) {
		const struct move *mv = &x->log[i];

		if (mv->settle)
			sb_addf(&b, "%ssettle %s", i ? ", " : "", x->s->tasks[mv->idx].name);
		else
			sb_addf(&b, "%sstep %d%s", i ? ", " : "", mv->idx + 1, mv->suffix);
	}
	if (!b.len)
		sb_add(&b, "file order");
	return sb_take(&b);
}

/* ---- choices ------------------------------------------------------------------ */

/* Saves the run at the choice point it halts at, in saved[nsaved] (the
 * walk pushes it if it explores the state). */
static void save_here(struct search *x, struct sim *sm)
{
	struct saved *sv;

	if (x->nsaved == x->saved_cap) {
		size_t ncap = x->saved_cap ? x->saved_cap * 2 : 16;
		struct saved *ns = realloc(x->saved, ncap * sizeof *ns);

		if (!ns) {
			x->oom = true;
			return;
		}
		memset(ns + x->saved_cap, 0, (ncap - x->saved_cap) * sizeof *ns);
		x->saved = ns;
		x->saved_cap = ncap;
	}
	sv = &x->saved[x->nsaved];
	if (!sv->done && !(sv->done = calloc(x->s->nsteps + 1, sizeof *sv->done))) {
		x->oom = true;
		return;
	}
	if (sim_snap_save(&sv->sn, sm) < 0) {
		x->oom = true;
		return;
	}
	/* The part hashes of the state just keyed go with its snapshot. */
	{
		sl_digest_memo *m = sv->memo;

		sv->memo = x->memo;
		x->memo = m;
	}
	memcpy(sv->done, x->done, x->s->nsteps * sizeof *x->done);
	sv->depth = x->pos;
	sv->nlog = x->nlog;
	x->just_saved = true;
}

/* The par steps of the choice point the run halts at (the reduction). */
static int keep_steps(struct search *x, int n)
{
	if ((size_t)n > x->stop_steps_cap) {
		int *ns = realloc(x->stop_steps, (size_t)n * sizeof *ns);

		if (!ns) {
			x->oom = true;
			return -1;
		}
		x->stop_steps = ns;
		x->stop_steps_cap = (size_t)n;
	}
	for (int i = 0; i < n; i++)
		x->stop_steps[i] = (int)x->pick_ready[i];
	return 0;
}

/* Follows the prefix; past it, records the new choice point and halts. */
static int choose(struct search *x, struct sim *sm, enum phase ph, int n)
{
	if (x->pos < x->nprefix) {
		int c = x->prefix[x->pos++];

		/* Runs are deterministic: a replay meets the same choice
		 * points with the same options as the run that recorded them. */
		assert(c >= 0 && c < n);
		return c;
	}
	sim_flush(sm);
	ex_state_key(x, sm, ph, &x->stop_key);
	x->stop_n = n;
	x->stop_phase = ph;
	x->just_saved = false;
	if (ph == PHASE_STEP && x->sh->por && keep_steps(x, n) < 0)
		return -1;
	/* A par block's choice point is between moves: save it, unless the
	 * state is known (its counts are reused, nothing is run from it). */
	if (ph == PHASE_STEP) {
		bool known;

		ex_lock(x->sh);
		known = !x->sh->no_prune && ex_seen_find(&x->sh->seen, &x->stop_key) >= 0;
		ex_unlock(x->sh);
		if (!known || x->force_save)
			save_here(x, sm);
	}
	return -1;
}

static int settle_pick(void *ud, struct sim *sm, const int *idx, size_t n)
{
	struct search *x = ud;
	int c = choose(x, sm, PHASE_SETTLE, (int)n);

	if (c >= 0)
		log_move(x, 1, idx[c], NULL);
	return c;
}

static int step_pick(void *ud, struct sim *sm, const size_t *ready, size_t n)
{
	struct search *x = ud;
	int c;

	x->pick_ready = ready;
	c = n > 1 ? choose(x, sm, PHASE_STEP, (int)n) : 0;

	if (c >= 0)
		log_move(x, 0, (int)ready[c], sim_par_move_name(sm, ready[c]));
	return c;
}

/* ---- outcomes ------------------------------------------------------------------ */

static int fill_tasks(struct sim *sm, struct ex_outcome *o)
{
	const struct scenario *s = sm->s;

	for (size_t t = 0; t < s->ntasks; t++) {
		struct ex_task_end *te = &o->tasks[t];
		struct strbuf b = { 0 };
		struct sl_task_info ti;
		int tid = sm->task_tid[t];

		memset(&ti, 0, sizeof ti);
		ti.state = SL_TASK_DEAD;
		if (!tid) {
			sb_add(&b, "not forked");
		} else {
			if (sl_task_info(sm->k, tid, &ti) < 0) {
				memset(&ti, 0, sizeof ti);
				ti.state = SL_TASK_DEAD;
			}
			sc_render_final(&b, &ti);
		}
		/* The sets only count when something asks about them. */
		if (ex_names_set(s, t, SC_EXP_BLOCKED))
			te->blocked = ti.blocked;
		if (ex_names_set(s, t, SC_EXP_PENDING))
			te->pending = ti.pending | ti.shared_pending;
		te->final = sb_take(&b);
		if (!te->final)
			return -1;
		memcpy(te->handled, sm->rec[t].handled, sizeof te->handled);
		for (int op = 0; op < SC_OP_COUNT; op++) {
			te->called[op] = sm->rec[t].called[op];
			te->result[op] = sm->rec[t].called[op] ? sm->rec[t].last_result[op] : 0;
		}
	}
	return 0;
}

/* The outcome of a finished run, interned; its index, or -1. */
static long take_outcome(struct search *x, struct sim *sm, char *stuck)
{
	const struct scenario *s = x->s;
	struct ex_outcome o = { .stuck = stuck };
	long id = -1;

	sim_final(sm);
	o.tasks = calloc(s->ntasks + 1, sizeof *o.tasks);
	o.expect_ok = calloc(s->nexpects + 1, sizeof *o.expect_ok);
	o.atom_ok = calloc(s->natoms + 1, sizeof *o.atom_ok);
	if (!o.tasks || !o.expect_ok || !o.atom_ok || fill_tasks(sm, &o) < 0)
		goto out;
	for (size_t i = 0; i < s->nexpects; i++)
		o.expect_ok[i] = sim_expect_holds(sm, &s->expects[i]);
	for (size_t i = 0; i < s->natoms; i++)
		o.atom_ok[i] = sim_expect_holds(sm, &s->atoms[i]);
	if (ex_outcome_seal(&o, s) < 0)
		goto out;
	ex_lock(x->sh);
	id = ex_outcomes_add(&x->sh->r->outcomes, &o);
	/* A new outcome: its witness is this interleaving. */
	if (id >= 0 && !o.tasks && !(x->sh->r->outcomes.v[id].witness = ex_witness(x)))
		id = -1;
	ex_unlock(x->sh);
out:
	ex_outcome_free(&o, s->ntasks);	/* a no-op when the set took it */
	if (id < 0)
		x->oom = true;
	return id;
}

/* ---- final states ---------------------------------------------------------- */

/* The engine's invariants (sl_check), once per distinct state rather than
 * after every step of every run: states with equal keys are equal. */
int ex_check_state(struct search *x)
{
	const char *what = NULL;

	if (sl_check(x->sm.k, &what) == 0)
		return 0;
	sim_error(&x->sm, x->sm.step > 0 ? x->s->steps[x->sm.step - 1].stmt.pos : (struct sc_pos){ 1, 1 },
		  "internal: engine invariant broken: %s", what ? what : "?");
	return -1;
}

/* The outcome of the final state the run is in, if that state was met
 * before (x->stop_key holds its key either way); -1 when it is new. */
static long known_end(struct search *x, struct sim *sm)
{
	long id;

	sim_flush(sm);
	ex_state_key(x, sm, PHASE_END, &x->stop_key);
	if (x->sh->no_prune)
		return -1;
	ex_lock(x->sh);
	id = ex_seen_find(&x->sh->leaves, &x->stop_key);
	ex_unlock(x->sh);
	return id;
}

/* A new final state: checked, and remembered with its outcome. */
static int new_end(struct search *x, const struct ex_hash *h, long outcome)
{
	int rc;

	if (ex_check_state(x) < 0)
		return -1;
	if (x->sh->no_prune)
		return 0;
	ex_lock(x->sh);
	rc = ex_seen_add(&x->sh->leaves, h, outcome);
	ex_unlock(x->sh);
	if (rc < 0)
		x->oom = true;
	return rc;
}

/* ---- replay ---------------------------------------------------------------- */

/* Starts the one run: a fresh kernel in an arena, saved as the root. */
static int begin(struct search *x)
{
	if (sim_begin(&x->sm, x->s, &x->opt) < 0) {
		x->live = true;
		return -1;
	}
	x->live = true;
	x->sm.settle_pick = settle_pick;
	x->sm.step_pick = step_pick;
	x->sm.pick_ud = x;
	x->pos = 0;
	save_here(x, &x->sm);
	if (x->oom)
		return -1;
	/* The root was not keyed: its memo holds nothing of it. */
	sl_digest_memo_clear(x->saved[0].memo);
	x->nsaved = 1;
	return 0;
}

/* The run met a scenario error (sm->diag) or ran out of memory: the
 * search stops, and the first error is the result's. */
static void run_error(struct search *x)
{
	struct sim *sm = &x->sm;

	ex_lock(x->sh);
	if (!x->oom && !x->sh->r->error) {
		x->sh->r->error = true;
		x->sh->r->diag = sm->diag;
		if (!sm->diag.message[0])
			snprintf(x->sh->r->diag.message, sizeof x->sh->r->diag.message, "out of memory");
		x->sh->r->error_witness = ex_witness(x);
	}
	ex_unlock(x->sh);
	ex_stop(x->sh);
}

/* Runs the model along prefix[0, nprefix), from the deepest saved choice
 * point of the path. */
enum replay_end ex_replay(struct search *x, size_t nprefix, long *outcome)
{
	struct sim *sm = &x->sm;
	const struct saved *from;
	char *stuck = NULL;
	enum replay_end end = R_ERROR;

	x->nprefix = nprefix;
	if (!x->live ? begin(x) < 0 : false)
		goto out;
	from = &x->saved[x->nsaved - 1];
	if (x->at_top) {
		/* Halted right where the snapshot was taken: only the halt
		 * itself is to undo (sim_par_block changes nothing else). */
		sm->halted = sm->failed = false;
	} else if (sim_snap_restore(sm, &from->sn) < 0) {
		x->oom = true;
		goto out;
	}
	x->at_top = false;
	memcpy(x->done, from->done, x->s->nsteps * sizeof *x->done);
	x->pos = from->depth;
	x->nlog = from->nlog;
	x->just_saved = false;
	sim_schedule(sm, x->done);
	x->stop_moves = x->nlog - from->nlog;
	if (sm->halted) {
		end = x->oom ? R_ERROR : R_CHOICE;
	} else if (!sm->failed && !x->oom && (*outcome = known_end(x, sm)) >= 0) {
		end = R_LEAF;
	} else if (!sm->failed && !x->oom) {
		struct ex_hash h = x->stop_key;

		if (sm->not_run.len)
			stuck = strdup(sb_str(&sm->not_run));
		*outcome = sm->not_run.len && !stuck ? -1 : take_outcome(x, sm, stuck);
		stuck = NULL;
		end = *outcome < 0 || new_end(x, &h, *outcome) < 0 ? R_ERROR : R_LEAF;
	}
out:
	ex_lock(x->sh);
	x->sh->r->runs++;
	ex_unlock(x->sh);
	if (end == R_ERROR)
		run_error(x);
	free(stuck);
	return end;
}

/* ---- the walk -------------------------------------------------------------- */

void ex_lock(struct shared *sh)
{
	if (sh->lock)
		pthread_mutex_lock(sh->lock);
}

void ex_unlock(struct shared *sh)
{
	if (sh->lock)
		pthread_mutex_unlock(sh->lock);
}

bool ex_stopped(struct shared *sh)
{
	const volatile int *intr = sh->opt ? sh->opt->interrupt : NULL;

	if (intr && *intr) {
		ex_lock(sh);
		sh->r->interrupted = true;
		sh->r->bound_hit = true;
		ex_unlock(sh);
		ex_stop(sh);
	}
	return __atomic_load_n(&sh->stop, __ATOMIC_RELAXED) != 0;
}

void ex_stop(struct shared *sh)
{
	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELAXED);
}

/* Under the lock. */
static long memo_new(struct shared *sh)
{
	if (sh->nmemo == sh->memo_cap) {
		size_t ncap = sh->memo_cap ? sh->memo_cap * 2 : 256;
		struct memo *nm = realloc(sh->memo, ncap * sizeof *nm);

		if (!nm)
			return -1;
		sh->memo = nm;
		sh->memo_cap = ncap;
	}
	memset(&sh->memo[sh->nmemo], 0, sizeof sh->memo[sh->nmemo]);
	return (long)sh->nmemo++;
}

int ex_push_choice(struct search *x, size_t depth, int c)
{
	if (depth >= x->prefix_cap) {
		size_t ncap = x->prefix_cap ? x->prefix_cap * 2 : 64;
		int *np = realloc(x->prefix, ncap * sizeof *np);
		long *npath = realloc(x->path, ncap * sizeof *npath);

		if (np)
			x->prefix = np;
		if (npath)
			x->path = npath;
		if (!np || !npath)
			return -1;
		x->prefix_cap = ncap;
	}
	x->prefix[depth] = c;
	return 0;
}

static bool on_my_path(const struct search *x, size_t depth, long m)
{
	for (size_t i = 0; i < depth; i++)
		if (x->path[i] == m)
			return true;
	return false;
}

/* Progress, every 4096 visits (under the lock); depth: the path's. */
static void report_progress(struct shared *sh, size_t depth)
{
	struct ex_progress p;

	if (!sh->opt || !sh->opt->progress || (sh->visits & 4095) != 0)
		return;
	p.states = sh->r->states;
	p.visits = sh->visits;
	p.memos_bytes = sh->memo_cap * sizeof *sh->memo + sh->seen.cap * sizeof *sh->seen.slot;
	p.frontier = depth;
	sh->opt->progress(sh->opt->progress_ud, &p);
}

/* The state just reached (x->stop_key): its memo, merged into acc (1
 * returned), or claimed for this worker (*m, *mine), or found on another
 * worker's path (*m = -1: explored again here, unclaimed); -1 on an error
 * or the bound (2). */
static int meet_state(struct search *x, size_t depth, struct counts *acc, bool owned, long *m,
		      bool *mine)
{
	struct shared *sh = x->sh;
	int rc = 0;

	ex_lock(sh);
	if (owned) {
		sh->visits++;
		report_progress(sh, depth);
	}
	*mine = false;
	*m = sh->no_prune ? -1 : ex_seen_find(&sh->seen, &x->stop_key);
	if (*m >= 0) {
		if (sh->memo[*m].done) {
			rc = counts_merge(acc, &sh->memo[*m].c) < 0 ? (x->oom = true, -1) : 1;
		} else if (on_my_path(x, depth, *m)) {
			/* The same state again on its own path: the scenario
			 * can go round forever. */
			if (!sh->r->error) {
				sh->r->error = true;
				sh->r->diag.pos = (struct sc_pos){ 1, 1 };
				snprintf(sh->r->diag.message, sizeof sh->r->diag.message,
					 "the scenario does not settle: an interleaving comes back to a state it was in");
				sh->r->error_witness = ex_witness(x);
			}
			rc = -1;
		} else {
			*m = -1;	/* another worker's, in progress */
		}
	} else if (sh->r->states >= sh->max_states || depth >= EX_MAX_DEPTH) {
		if (owned)
			sh->visits--;	/* not visited: the search stops here */
		sh->r->bound_hit = true;
		sh->r->depth_hit = sh->r->depth_hit || depth >= EX_MAX_DEPTH;
		rc = 2;
	} else if ((*m = memo_new(sh)) < 0 || (!sh->no_prune && ex_seen_add(&sh->seen, &x->stop_key, *m) < 0)) {
		x->oom = true;
		rc = -1;
	} else {
		sh->r->states++;
		*mine = true;
	}
	ex_unlock(sh);
	if (rc == -1 || rc == 2)
		ex_stop(sh);
	return rc;
}

/* ---- partial-order reduction (por.c) ----------------------------------------- */

static long kid_of(const struct shared *sh, long m, int step)
{
	const struct memo *mm = &sh->memo[m];

	for (size_t i = 0; i < mm->nkids; i++)
		if (mm->kids[i].step == step)
			return mm->kids[i].m;
	return -1;
}

static int add_kid(struct shared *sh, long m, int step, long kid)
{
	struct memo *mm = &sh->memo[m];

	if (kid_of(sh, m, step) >= 0)
		return 0;
	if (mm->nkids == mm->kids_cap) {
		size_t ncap = mm->kids_cap ? mm->kids_cap * 2 : 4;
		struct kid *nk = realloc(mm->kids, ncap * sizeof *nk);

		if (!nk)
			return -1;
		mm->kids = nk;
		mm->kids_cap = ncap;
	}
	mm->kids[mm->nkids++] = (struct kid){ step, kid };
	return 0;
}

/* The state that step z->step leads to from here (depth): the one it led
 * to from the state at z->depth, then moved along the path since; -1
 * when one of those states was not met one move apart. */
static long asleep_state(const struct search *x, const struct sleeper *z, size_t depth)
{
	long m = kid_of(x->sh, x->path[z->depth], z->step);

	for (size_t e = z->depth; m >= 0 && e < depth; e++)
		m = kid_of(x->sh, m, x->lvl[e].steps[x->prefix[e]]);
	return m >= 0 && x->sh->memo[m].done ? m : -1;
}

/* This par choice point's steps and their reach, for its options. */
static int keep_level(struct search *x, size_t depth, int n)
{
	struct level *l;

	if (depth >= x->lvl_cap) {
		size_t ncap = depth * 2 + 16;
		struct level *nl = realloc(x->lvl, ncap * sizeof *nl);

		if (!nl)
			return -1;
		memset(nl + x->lvl_cap, 0, (ncap - x->lvl_cap) * sizeof *nl);
		x->lvl = nl;
		x->lvl_cap = ncap;
	}
	l = &x->lvl[depth];
	if ((size_t)n > l->cap) {
		int *ns = realloc(l->steps, (size_t)n * sizeof *ns);
		struct reach *nr = ns ? realloc(l->reach, (size_t)n * sizeof *nr) : NULL;

		if (ns)
			l->steps = ns;
		if (!nr)
			return -1;
		l->reach = nr;
		l->cap = (size_t)n;
	}
	l->n = (size_t)n;
	memcpy(l->steps, x->stop_steps, (size_t)n * sizeof *l->steps);
	ex_por_reach_all(&x->sm, l->steps, l->reach, (size_t)n);
	return 0;
}

static const struct reach *reach_of(const struct level *l, int step)
{
	for (size_t c = 0; c < l->n; c++)
		if (l->steps[c] == step)
			return &l->reach[c];
	return NULL;
}

static bool reach_of_sleeper(const struct sleeper *z, size_t n, int step)
{
	for (size_t i = 0; i < n; i++)
		if (z[i].step == step)
			return true;
	return false;
}

/* The sleep set below option c: the steps asleep here and the options
 * taken before c, those that commute with c's step.  Returns its size. */
static size_t sleep_below(const struct level *l, size_t depth, int c, const struct sleeper *z,
			  size_t nz, struct sleeper *out)
{
	const struct reach *rc = &l->reach[c];
	size_t n = 0;

	for (size_t i = 0; i < nz; i++) {
		const struct reach *r = reach_of(l, z[i].step);

		if (z[i].step != l->steps[c] && r && ex_por_independent(r, rc))
			out[n++] = z[i];
	}
	for (int i = 0; i < c; i++)
		if (ex_por_independent(&l->reach[i], rc) && !reach_of_sleeper(out, n, l->steps[i]))
			out[n++] = (struct sleeper){ l->steps[i], depth };
	return n;
}

/* A step asleep is not run: the state it leads to is known, and counted
 * as reached again, as the walk that ran it would have counted it. */
static int skip_asleep(struct search *x, size_t depth, long m, int step, long to,
		       struct counts *here, bool owned)
{
	struct shared *sh = x->sh;

	if (add_kid(sh, m, step, to) < 0 || counts_merge(here, &sh->memo[to].c) < 0) {
		x->oom = true;
		return -1;
	}
	if (owned) {
		sh->visits++;
		report_progress(sh, depth);
	}
	sh->por_skipped++;
	return 0;
}

static int walk(struct search *x, size_t depth, struct counts *acc, bool owned,
		const struct sleeper *z, size_t nz, long *child);

/* The options of a par choice point, with the reduction (serial). */
static int walk_reduced(struct search *x, size_t depth, long m, int n, struct counts *here,
			const struct sleeper *z, size_t nz)
{
	struct sleeper *below = malloc(((size_t)n + nz + 1) * sizeof *below);
	int rc = 0;

	if (!below || keep_level(x, depth, n) < 0) {
		free(below);
		x->oom = true;
		return -1;
	}
	for (int c = 0; c < n && rc == 0; c++) {
		const struct level *l = &x->lvl[depth];
		int step = l->steps[c];
		long kid = -1, to = -1;
		size_t nb;

		if (ex_push_choice(x, depth, c) < 0) {
			x->oom = true;
			rc = -1;
			break;
		}
		for (size_t i = 0; i < nz && to < 0; i++)
			if (z[i].step == step)
				to = asleep_state(x, &z[i], depth);
		if (to >= 0) {
			rc = skip_asleep(x, depth, m, step, to, here, true);
			continue;
		}
		nb = sleep_below(l, depth, c, z, nz, below);
		rc = walk(x, depth + 1, here, true, below, nb, &kid);
		if (rc == 0 && kid >= 0 && add_kid(x->sh, m, step, kid) < 0) {
			x->oom = true;
			rc = -1;
		}
	}
	free(below);
	return rc;
}

int ex_walk(struct search *x, size_t depth, struct counts *acc, bool owned)
{
	return walk(x, depth, acc, owned, NULL, 0, NULL);
}

/* *child: the state met, when it is a par choice point one move away
 * from the one above (the reduction's map), else -1. */
static int walk(struct search *x, size_t depth, struct counts *acc, bool owned,
		const struct sleeper *z, size_t nz, long *child)
{
	long outcome = -1, m;
	struct counts here = { 0 };
	bool pushed, mine, reduce;
	int n, rc = 0;

	if (child)
		*child = -1;
	if (ex_stopped(x->sh))
		return 1;
	switch (ex_replay(x, depth, &outcome)) {
	case R_ERROR:
		return -1;
	case R_LEAF:
		return ex_counts_add(acc, outcome, 1) < 0 ? (x->oom = true, -1) : 0;
	case R_CHOICE:
		break;
	}
	n = x->stop_n;
	pushed = x->just_saved;
	reduce = x->sh->por && x->stop_phase == PHASE_STEP;
	if (child && reduce && x->stop_moves == 1)
		*child = -2;	/* the state's memo, below */
	switch (meet_state(x, depth, acc, owned, &m, &mine)) {
	case -1:
		return -1;
	case 1:
		if (child && *child == -2)
			*child = m;
		return 0;
	case 2:
		return 1;
	}
	if (child)
		*child = *child == -2 && m >= 0 ? m : -1;
	if (mine && ex_check_state(x) < 0) {
		run_error(x);
		return -1;
	}
	if (depth >= x->prefix_cap && ex_push_choice(x, depth, 0) < 0) {
		x->oom = true;
		return -1;
	}
	x->path[depth] = m;
	/* The options are taken from this state's snapshot, if it has one;
	 * the first from the run itself, which stopped there. */
	if (pushed)
		x->nsaved++;
	x->at_top = pushed;
	if (reduce && mine) {
		rc = walk_reduced(x, depth, m, n, &here, z, nz);
	} else {
		for (int c = 0; c < n && rc == 0; c++) {
			if (ex_push_choice(x, depth, c) < 0) {
				x->oom = true;
				rc = -1;
				break;
			}
			rc = ex_walk(x, depth + 1, &here, mine);
		}
	}
	if (pushed)
		x->nsaved--;
	x->at_top = false;
	if (rc >= 0 && counts_merge(acc, &here) < 0) {
		x->oom = true;
		rc = -1;
	}
	if (rc == 0 && mine) {
		ex_lock(x->sh);
		x->sh->memo[m].c = here;
		x->sh->memo[m].done = true;
		ex_unlock(x->sh);
	} else {
		free(here.v);
	}
	return rc;
}

/* Whether an atom or an expectation looks for text in the trace. */
static bool reads_trace(const struct scenario *s)
{
	for (size_t i = 0; i < s->natoms; i++)
		if (s->atoms[i].kind == SC_EXP_TRACE || s->atoms[i].kind == SC_EXP_NO_TRACE)
			return true;
	for (size_t i = 0; i < s->nexpects; i++)
		if (s->expects[i].kind == SC_EXP_TRACE || s->expects[i].kind == SC_EXP_NO_TRACE)
			return true;
	return false;
}

void ex_worker_init(struct search *x, struct shared *sh)
{
	memset(x, 0, sizeof *x);
	x->sh = sh;
	x->s = sh->s;
	/* No atom reads the trace: no need to write it. */
	x->opt.quiet = !reads_trace(sh->s);
	x->opt.arena = EX_ARENA_BYTES;
	x->opt.check_states = true;
	x->done = calloc(sh->s->nsteps + 1, sizeof *x->done);
	x->order_len = ex_order_lens(sh->s);
	x->rk = calloc((sh->s->ntasks + 1) * EX_RK_WAYS, sizeof *x->rk);
	x->rk_next = calloc(sh->s->ntasks + 1, sizeof *x->rk_next);
	if (!x->done || !x->order_len || !x->rk || !x->rk_next)
		x->oom = true;
}

void ex_worker_free(struct search *x)
{
	free(x->prefix);
	free(x->path);
	free(x->done);
	free(x->order_len);
	free(x->stop_steps);
	for (size_t i = 0; i < x->lvl_cap; i++) {
		free(x->lvl[i].steps);
		free(x->lvl[i].reach);
	}
	free(x->lvl);
	free(x->log);
	for (size_t i = 0; i < x->saved_cap; i++) {
		sim_snap_free(&x->saved[i].sn, x->s->ntasks);
		free(x->saved[i].done);
		sl_digest_memo_free(x->saved[i].memo);
	}
	free(x->saved);
	free(x->key.p);
	free(x->rk);
	free(x->rk_next);
	sl_digest_memo_free(x->memo);
	sl_digest_memo_free(x->memo_check);
	if (x->live)
		sim_destroy(&x->sm);
	memset(x, 0, sizeof *x);
}

/* The serial search: one worker, no lock. */
static int serial(struct shared *sh, struct counts *root)
{
	struct search x;
	int rc;

	ex_worker_init(&x, sh);
	rc = x.oom ? -1 : ex_walk(&x, 0, root, true);
	if (x.oom)
		rc = -1;
	ex_worker_free(&x);
	return rc;
}

static void shared_free(struct shared *sh)
{
	for (size_t i = 0; i < sh->nmemo; i++) {
		free(sh->memo[i].c.v);
		free(sh->memo[i].kids);
	}
	free(sh->memo);
	ex_seen_free(&sh->seen);
	ex_seen_free(&sh->leaves);
}

static void result_reset(struct ex_result *r, const struct scenario *s)
{
	ex_result_free(r, s);
	memset(r, 0, sizeof *r);
}

int ex_explore(const struct scenario *s, const struct ex_options *opt, struct ex_result *r)
{
	struct shared sh = { .s = s, .r = r, .opt = opt };
	struct counts root = { 0 };
	unsigned jobs = opt && opt->jobs > 1 ? opt->jobs : 1;
	bool dist = opt && opt->comm;
	int rc;

	memset(r, 0, sizeof *r);
	sh.max_states = opt && opt->max_states ? opt->max_states : EX_DEFAULT_MAX_STATES;
	sh.no_prune = opt && opt->no_prune;
	sh.por = !sh.no_prune && jobs == 1 && !(opt && opt->no_por) && !dist &&
		 ex_por_scenario(s);
	rc = dist ? ex_dist(&sh, &root) : jobs > 1 ? ex_parallel(&sh, &root) : serial(&sh, &root);
	/* An error in a parallel search: which interleaving meets it first
	 * depends on timing; the serial search names the one it names (in a
	 * distributed one, on rank 0). */
	if ((dist ? opt->comm->rank == 0 : jobs > 1) && r->error && !r->interrupted) {
		free(root.v);
		root = (struct counts){ 0 };
		shared_free(&sh);
		sh = (struct shared){ .s = s, .r = r, .opt = opt, .max_states = sh.max_states,
				      .no_prune = sh.no_prune };
		result_reset(r, s);
		rc = serial(&sh, &root);
	}
	if (rc < 0 && !r->error) {
		r->error = true;
		r->diag.pos = (struct sc_pos){ 1, 1 };
		snprintf(r->diag.message, sizeof r->diag.message, "out of memory");
	}
	for (size_t i = 0; i < root.len; i++) {
		r->outcomes.v[root.v[i].outcome].count = root.v[i].n;
		r->interleavings = sat_add(r->interleavings, root.v[i].n);
	}
	r->merged = sh.visits - r->states;
	r->por_skipped = sh.por_skipped;
	r->hash_mismatches = sh.hash_mismatches;
	if (!r->error)
		ex_outcomes_sort(&r->outcomes, s);
	shared_free(&sh);
	free(root.v);
	return rc < 0 || r->error ? -1 : 0;
}

void ex_result_free(struct ex_result *r, const struct scenario *s)
{
	ex_outcomes_free(&r->outcomes, s->ntasks);
	free(r->error_witness);
	r->error_witness = NULL;
}
