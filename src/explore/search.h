/* The search's internals, shared by search.c (the walk), key.c (the
 * state key) and parallel.c (threads, the frontier, witnesses). */
#ifndef SIGLAB_EXPLORE_SEARCH_H
#define SIGLAB_EXPLORE_SEARCH_H

#include <pthread.h>

#include "explore/explore.h"
#include "sim/simstate.h"

enum phase { PHASE_STEP = 1, PHASE_SETTLE = 2, PHASE_END = 3 };

/* Interleavings per outcome, below a state. */
struct counts {
	struct { long outcome; uint64_t n; } *v;
	size_t len, cap;
};

/* A state reached from another by one move (partial-order reduction). */
struct kid {
	int step;		/* the par step moved */
	long m;			/* the memo of the state it leads to */
};

struct memo {
	struct counts c;
	bool done;		/* fully explored (else: on a worker's path) */
	struct kid *kids;	/* with the reduction: the states one step
				 * away that were met, by step */
	size_t nkids, kids_cap;
};

/* What a par step may touch (por.c): its own process and the one it
 * signals, when `ok`; else it depends on every step. */
struct reach {
	int proc[2];
	sl_sigset sent;		/* the signal it sends */
	bool ok;
};

/* A step asleep (sleep sets): taken already from the state at `depth`,
 * independent of every step since, so its state is known. */
struct sleeper {
	int step;
	size_t depth;
};

/* A par choice point of the path, with the reduction: its steps, by
 * option, and their reach. */
struct level {
	int *steps;
	struct reach *reach;
	size_t n, cap;
};

/* One move of the path, for witnesses (rendered only when printed). */
struct move {
	int settle;		/* 1: `settle TASK`; 0: `step N` */
	int idx;		/* task index, or step index */
	const char *suffix;	/* sim_par_move_name's " enters", ... */
};

/* A task's record hashed (key.c): valid while the record's version and
 * the task's tid are these.  EX_RK_WAYS per task, so that the versions
 * of the states on the path (restored again and again) stay cached. */
#define EX_RK_WAYS 8
struct rec_key {
	uint64_t ver;
	int tid;
	bool valid;
	struct ex_hash h;
};

/* A saved choice point of the current path. */
struct saved {
	struct sim_snap sn;
	sl_digest_memo *memo;	/* the engine's part hashes in this state
				 * (key.c), or empty */
	bool *done;		/* the steps that had run */
	size_t depth;		/* its choice is prefix[depth] */
	size_t nlog;		/* moves made before it */
};

/*
 * What the workers of a search share (one in a serial search): the states
 * seen and their memos, the outcomes, the counters.  With threads, every
 * access holds `lock`.
 *
 * The counters are independent of the order the states are explored in:
 * `states` counts the states claimed (each distinct state once), `visits`
 * the times a choice point is reached from a state its owner explores (the
 * state's own exploration, never a duplicate one by another worker), so
 * that states reached again = visits - states, as in a serial walk.
 */
struct shared {
	const struct scenario *s;
	unsigned long max_states;
	bool no_prune;
	bool por;		/* partial-order reduction (serial only) */
	unsigned long por_skipped; /* moves not run: their state was known */
	unsigned long hash_mismatches; /* check_hash: incremental != full */
	struct ex_result *r;
	struct ex_seen seen;
	struct ex_seen leaves;	/* final states -> their outcome (the
				 * outcome is a function of the state, so a
				 * final state met again is not rendered
				 * again; not with no_prune) */
	struct memo *memo;
	size_t nmemo, memo_cap;
	unsigned long visits;
	pthread_mutex_t *lock;	/* NULL: one worker */
	int stop;		/* the bound, an error or an interrupt: every
				 * worker stops (atomic) */
	const struct ex_options *opt;
};

struct search {
	struct shared *sh;
	const struct scenario *s;
	int *prefix;		/* the choices of the current path */
	size_t prefix_cap;
	/* the run in progress */
	struct sim sm;		/* the one run, restored for each branch */
	bool live;		/* sm has been begun */
	struct sim_options opt;
	size_t nprefix;		/* choices to follow */
	size_t pos;		/* choices followed so far */
	bool *done;		/* per step: it has run */
	int *order_len;		/* per task: the longest `handled order` an
				 * atom or expectation reads, or -1 */
	struct move *log;	/* the moves made, for witnesses */
	size_t nlog, log_cap;
	struct saved *saved;	/* the saved choice points of the path */
	size_t nsaved, saved_cap;
	bool just_saved;	/* the run's halt saved saved[nsaved] */
	struct snap_bytes key;	/* a state's canonical bytes but the engine's */
	sl_digest_memo *memo;	/* the part hashes of the state last keyed
				 * (saved with it: save_here swaps) */
	sl_digest_memo *memo_check; /* scratch, for ex_options.check_hash */
	struct rec_key *rk;	/* per task, EX_RK_WAYS of its record's hashes,
				 * by version */
	unsigned *rk_next;	/* per task, the way replaced next */
	struct ex_hasher hasher; /* the state's hash, as it is fed */
	int stop_n;		/* options at the new choice point */
	enum phase stop_phase;	/* its kind */
	size_t stop_moves;	/* moves made since the snapshot resumed */
	const size_t *pick_ready; /* step_pick's steps, while it asks */
	int *stop_steps;	/* at a par choice point: its steps */
	size_t stop_steps_cap;
	struct level *lvl;	/* per depth, with the reduction */
	size_t lvl_cap;
	struct ex_hash stop_key;
	bool force_save;	/* save every par choice point (witness search) */
	bool at_top;		/* the run stands where saved[nsaved - 1] was
				 * taken, unchanged: no restore needed */
	long *path;		/* memo ids of the states on the path, by depth */
	size_t path_cap;
	bool oom;
};


void ex_lock(struct shared *sh);
void ex_unlock(struct shared *sh);
bool ex_stopped(struct shared *sh);
void ex_stop(struct shared *sh);
int ex_counts_add(struct counts *c, long outcome, uint64_t n);
/* Adds to *acc the interleavings below the path prefix[0, depth); `owned`:
 * the state above is this worker's own (its visits count).  Returns 0, 1
 * when the search stopped early (acc holds what was found), -1 on an error. */
int ex_walk(struct search *x, size_t depth, struct counts *acc, bool owned);
enum replay_end { R_LEAF, R_CHOICE, R_ERROR };
enum replay_end ex_replay(struct search *x, size_t nprefix, long *outcome);
int ex_push_choice(struct search *x, size_t depth, int c);
void ex_worker_init(struct search *x, struct shared *sh);
void ex_worker_free(struct search *x);
/* key.c: the state the run is in, at a choice point of kind ph, hashed
 * into *h; per task, the longest `handled order` list an atom or an
 * expectation reads, or -1 (malloc'd). */
void ex_state_key(struct search *x, struct sim *sm, enum phase ph, struct ex_hash *h);
int *ex_order_lens(const struct scenario *s);
/* sl_check on the state the run is in: 0, or -1 and a scenario error. */
int ex_check_state(struct search *x);
/* The moves made so far, as the report prints them (malloc'd). */
char *ex_witness(const struct search *x);
/* por.c: whether the scenario is reduced at all; the reach of each of n
 * steps in the state the run is in; whether two steps commute. */
bool ex_por_scenario(const struct scenario *s);
void ex_por_reach_all(struct sim *sm, const int *steps, struct reach *r, size_t n);
bool ex_por_independent(const struct reach *a, const struct reach *b);
/* parallel.c: the search with opt->jobs threads; 0, 1 or -1 as ex_walk,
 * the root's counts in *root. */
int ex_parallel(struct shared *sh, struct counts *root);
/* dist.c: the distributed search, this process one rank of
 * sh->opt->comm; 0 or -1, rank 0's result in sh->r and *root. */
int ex_dist(struct shared *sh, struct counts *root);

#endif
