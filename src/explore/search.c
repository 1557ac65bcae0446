/*
 * The search: a depth-first walk over the choice points of a scenario,
 * by replay.  Every run of the model starts from a fresh kernel and
 * follows a prefix of choices; at the first choice point past the prefix
 * it stops and reports how many options there are and the hash of the
 * state it is in.  The walk then tries each option in turn, in index
 * order, so the search, and everything it reports, is deterministic.
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
 * steps have run, which block is open).  The future of two runs in equal
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

#include "explore/explore.h"
#include "scenario/render.h"
#include "sim/simstate.h"

enum phase { PHASE_STEP = 1, PHASE_SETTLE = 2 };

/* Interleavings per outcome, below a state. */
struct counts {
	struct { long outcome; uint64_t n; } *v;
	size_t len, cap;
};

struct memo {
	struct counts c;
	bool done;		/* fully explored (else: on the current path) */
};

struct search {
	const struct scenario *s;
	unsigned long max_states;
	bool no_prune;
	struct ex_result *r;
	struct ex_seen seen;
	struct memo *memo;
	size_t nmemo, memo_cap;
	int *prefix;		/* the choices of the current path */
	size_t prefix_cap;
	/* the replay in progress */
	size_t nprefix;		/* choices to follow */
	size_t pos;		/* choices followed so far */
	bool *done;		/* per step: it has run */
	struct strbuf log;	/* the choices taken, for witnesses */
	int stop_n;		/* options at the new choice point */
	struct ex_hash stop_key;
	bool oom;
};

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

static int counts_add(struct counts *c, long outcome, uint64_t n)
{
	for (size_t i = 0; i < c->len; i++) {
		if (c->v[i].outcome == outcome) {
			c->v[i].n = sat_add(c->v[i].n, n);
			return 0;
		}
	}
	if (c->len == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 4;
		void *nv = realloc(c->v, ncap * sizeof *c->v);

		if (!nv)
			return -1;
		c->v = nv;
		c->cap = ncap;
	}
	c->v[c->len].outcome = outcome;
	c->v[c->len++].n = n;
	return 0;
}

static int counts_merge(struct counts *into, const struct counts *from)
{
	for (size_t i = 0; i < from->len; i++)
		if (counts_add(into, from->v[i].outcome, from->v[i].n) < 0)
			return -1;
	return 0;
}

/* ---- the state key ---------------------------------------------------------- */

static void digest_put(void *ud, const void *p, size_t n)
{
	ex_hash_bytes(ud, p, n);
}

/* Atoms whose truth is a fact of the run so far (once seen, always seen)
 * rather than of the final state: their truth now is part of the state. */
static bool history_atom(const struct sc_expect *e)
{
	return e->kind == SC_EXP_TRACE || e->kind == SC_EXP_NO_TRACE ||
	       e->kind == SC_EXP_GENERATE || e->kind == SC_EXP_DELIVER ||
	       e->kind == SC_EXP_ORDER || e->kind == SC_EXP_SIGINFO;
}

static void hash_record(struct ex_hash *h, struct sim *sm)
{
	const struct scenario *s = sm->s;

	for (size_t t = 0; t < s->ntasks; t++) {
		const struct task_record *rec = &sm->rec[t];

		ex_hash_u64(h, (uint64_t)sm->task_tid[t]);
		for (int sig = 1; sig <= SL_NSIG; sig++)
			ex_hash_u64(h, rec->handled[sig]);
		for (int op = 0; op < SC_OP_COUNT; op++) {
			ex_hash_u64(h, rec->called[op]);
			ex_hash_u64(h, rec->called[op] ? (uint64_t)rec->last_result[op] : 0);
		}
		ex_hash_u64(h, rec->blocked ? (uint64_t)rec->blocked->pos.line << 32 |
						 (uint32_t)rec->blocked->pos.col : 0);
		ex_hash_u64(h, rec->fork_step ? (uint64_t)rec->fork_step->stmt.pos.line << 32 |
						   (uint32_t)rec->fork_step->stmt.pos.col : 0);
		ex_hash_u64(h, (uint64_t)rec->fork_stage);
	}
	ex_hash_u64(h, sm->unwinding);
	ex_hash_u64(h, sm->npipes_made);
	for (size_t i = 0; i < s->natoms; i++)
		if (history_atom(&s->atoms[i]))
			ex_hash_u64(h, sim_expect_holds(sm, &s->atoms[i]));
	for (size_t i = 0; i < s->nexpects; i++)
		if (history_atom(&s->expects[i]))
			ex_hash_u64(h, sim_expect_holds(sm, &s->expects[i]));
}

static void state_key(struct search *x, struct sim *sm, enum phase ph, struct ex_hash *h)
{
	ex_hash_init(h);
	ex_hash_u64(h, ph);
	ex_hash_u64(h, sm->block);
	/* Mid-settle, the step being settled is part of where we are (an
	 * `advance` settles after each expiry, up to its own end time). */
	ex_hash_u64(h, ph == PHASE_SETTLE ? (uint64_t)sm->step : 0);
	for (size_t i = 0; i < x->s->nsteps; i++)
		ex_hash_u64(h, x->done[i]);
	sl_kernel_digest(sm->k, digest_put, h);
	hash_record(h, sm);
}

/* ---- choices ------------------------------------------------------------------ */

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
	state_key(x, sm, ph, &x->stop_key);
	x->stop_n = n;
	return -1;
}

static int settle_pick(void *ud, struct sim *sm, const int *idx, size_t n)
{
	struct search *x = ud;
	int c = choose(x, sm, PHASE_SETTLE, (int)n);

	if (c >= 0)
		sb_addf(&x->log, "%ssettle %s", x->log.len ? ", " : "", sm->s->tasks[idx[c]].name);
	return c;
}

static int step_pick(void *ud, struct sim *sm, const size_t *ready, size_t n)
{
	struct search *x = ud;
	int c = n > 1 ? choose(x, sm, PHASE_STEP, (int)n) : 0;

	if (c >= 0)
		sb_addf(&x->log, "%sstep %zu%s", x->log.len ? ", " : "", ready[c] + 1,
			sim_par_move_name(sm, ready[c]));
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
	o.witness = strdup(x->log.len ? sb_str(&x->log) : "file order");
	if (!o.tasks || !o.expect_ok || !o.atom_ok || !o.witness || fill_tasks(sm, &o) < 0)
		goto out;
	for (size_t i = 0; i < s->nexpects; i++)
		o.expect_ok[i] = sim_expect_holds(sm, &s->expects[i]);
	for (size_t i = 0; i < s->natoms; i++)
		o.atom_ok[i] = sim_expect_holds(sm, &s->atoms[i]);
	if (ex_outcome_seal(&o, s) < 0)
		goto out;
	id = ex_outcomes_add(&x->r->outcomes, &o);
out:
	ex_outcome_free(&o, s->ntasks);	/* a no-op when the set took it */
	if (id < 0)
		x->oom = true;
	return id;
}

/* ---- replay ---------------------------------------------------------------- */

enum replay_end { R_LEAF, R_CHOICE, R_ERROR };

/* Runs the model along prefix[0, nprefix). */
static enum replay_end replay(struct search *x, size_t nprefix, long *outcome)
{
	const struct sim_options opt = { 0 };
	struct sim sm;
	char *stuck = NULL;
	enum replay_end end = R_ERROR;

	x->nprefix = nprefix;
	x->pos = 0;
	memset(x->done, 0, x->s->nsteps * sizeof *x->done);
	sb_free(&x->log);
	x->r->runs++;
	if (sim_begin(&sm, x->s, &opt) < 0)
		goto out;
	sm.settle_pick = settle_pick;
	sm.step_pick = step_pick;
	sm.pick_ud = x;
	sim_schedule(&sm, x->done);
	if (sm.halted) {
		end = R_CHOICE;
	} else if (!sm.failed && !x->oom) {
		if (sm.not_run.len)
			stuck = sb_take(&sm.not_run);
		*outcome = take_outcome(x, &sm, stuck);
		stuck = NULL;
		end = *outcome < 0 ? R_ERROR : R_LEAF;
	}
out:
	if (end == R_ERROR && !x->oom && !x->r->error) {
		x->r->error = true;
		x->r->diag = sm.diag;
		if (!sm.diag.message[0])
			snprintf(x->r->diag.message, sizeof x->r->diag.message, "out of memory");
		x->r->error_witness = strdup(x->log.len ? sb_str(&x->log) : "file order");
	}
	free(stuck);
	sim_destroy(&sm);
	return end;
}

/* ---- the walk -------------------------------------------------------------- */

static long memo_new(struct search *x)
{
	if (x->nmemo == x->memo_cap) {
		size_t ncap = x->memo_cap ? x->memo_cap * 2 : 256;
		struct memo *nm = realloc(x->memo, ncap * sizeof *nm);

		if (!nm)
			return -1;
		x->memo = nm;
		x->memo_cap = ncap;
	}
	memset(&x->memo[x->nmemo], 0, sizeof x->memo[x->nmemo]);
	return (long)x->nmemo++;
}

static int push_choice(struct search *x, size_t depth, int c)
{
	if (depth >= x->prefix_cap) {
		size_t ncap = x->prefix_cap ? x->prefix_cap * 2 : 64;
		int *np = realloc(x->prefix, ncap * sizeof *np);

		if (!np)
			return -1;
		x->prefix = np;
		x->prefix_cap = ncap;
	}
	x->prefix[depth] = c;
	return 0;
}

/*
 * Adds to *acc the interleavings below the path prefix[0, depth), per
 * outcome.  Returns 0, 1 when the bound was hit (acc holds what was found),
 * -1 on an error.
 */
static int walk(struct search *x, size_t depth, struct counts *acc)
{
	long outcome = -1, m;
	struct counts here = { 0 };
	struct ex_hash key;
	int n, rc = 0;

	switch (replay(x, depth, &outcome)) {
	case R_ERROR:
		return -1;
	case R_LEAF:
		return counts_add(acc, outcome, 1) < 0 ? (x->oom = true, -1) : 0;
	case R_CHOICE:
		break;
	}
	key = x->stop_key;
	n = x->stop_n;
	m = x->no_prune ? -1 : ex_seen_find(&x->seen, &key);
	if (m >= 0) {
		if (!x->memo[m].done) {
			/* The same state again on its own path: the scenario
			 * can go round forever. */
			x->r->error = true;
			x->r->diag.pos = (struct sc_pos){ 1, 1 };
			snprintf(x->r->diag.message, sizeof x->r->diag.message,
				 "the scenario does not settle: an interleaving comes back to a state it was in");
			x->r->error_witness = strdup(x->log.len ? sb_str(&x->log) : "file order");
			return -1;
		}
		x->r->merged++;
		return counts_merge(acc, &x->memo[m].c) < 0 ? (x->oom = true, -1) : 0;
	}
	if (x->r->states >= x->max_states || depth >= EX_MAX_DEPTH) {
		x->r->bound_hit = true;
		x->r->depth_hit = depth >= EX_MAX_DEPTH;
		return 1;
	}
	m = memo_new(x);
	if (m < 0 || (!x->no_prune && ex_seen_add(&x->seen, &key, m) < 0)) {
		x->oom = true;
		return -1;
	}
	x->r->states++;
	for (int c = 0; c < n && rc == 0; c++) {
		if (push_choice(x, depth, c) < 0) {
			x->oom = true;
			rc = -1;
			break;
		}
		rc = walk(x, depth + 1, &here);
	}
	if (rc >= 0 && counts_merge(acc, &here) < 0) {
		x->oom = true;
		rc = -1;
	}
	if (rc == 0) {
		x->memo[m].c = here;
		x->memo[m].done = true;
	} else {
		free(here.v);
	}
	return rc;
}

int ex_explore(const struct scenario *s, const struct ex_options *opt, struct ex_result *r)
{
	struct search x = { .s = s, .r = r };
	struct counts root = { 0 };
	int rc;

	memset(r, 0, sizeof *r);
	x.max_states = opt && opt->max_states ? opt->max_states : EX_DEFAULT_MAX_STATES;
	x.no_prune = opt && opt->no_prune;
	x.done = calloc(s->nsteps + 1, sizeof *x.done);
	if (!x.done)
		return -1;
	rc = walk(&x, 0, &root);
	if (x.oom && !r->error) {
		r->error = true;
		r->diag.pos = (struct sc_pos){ 1, 1 };
		snprintf(r->diag.message, sizeof r->diag.message, "out of memory");
	}
	for (size_t i = 0; i < root.len; i++) {
		r->outcomes.v[root.v[i].outcome].count = root.v[i].n;
		r->interleavings = sat_add(r->interleavings, root.v[i].n);
	}
	if (!r->error)
		ex_outcomes_sort(&r->outcomes, s);
	for (size_t i = 0; i < x.nmemo; i++)
		free(x.memo[i].c.v);
	free(x.memo);
	free(root.v);
	free(x.prefix);
	free(x.done);
	sb_free(&x.log);
	ex_seen_free(&x.seen);
	return rc < 0 || r->error ? -1 : 0;
}

void ex_result_free(struct ex_result *r, const struct scenario *s)
{
	ex_outcomes_free(&r->outcomes, s->ntasks);
	free(r->error_witness);
	r->error_witness = NULL;
}
