/*
 * siglab explore: every order of a scenario's concurrent steps, and every
 * order in which tasks with work settle, run on the model; the distinct
 * final outcomes, how many interleavings reach each, and the verdicts of
 * the scenario's `exists` / `forall` conditions (docs/explore.md).
 *
 * Library code: no I/O, no globals; the result is deterministic, byte for
 * byte, for a given scenario and options.
 */
#ifndef SIGLAB_EXPLORE_EXPLORE_H
#define SIGLAB_EXPLORE_EXPLORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scenario/ast.h"
#include "scenario/strbuf.h"

/* The default bound on distinct states explored. */
#define EX_DEFAULT_MAX_STATES 100000ul
/* The most choices along one interleaving: the walk recurses once per
 * choice, so this bounds its stack; deeper is reported as the bound. */
#define EX_MAX_DEPTH 4096u
/* The arena a run's kernel lives in (sl_kernel_new_arena): address space
 * reserved once, touched only as far as the kernel grows; a scenario whose
 * kernel outgrows it fails with "out of memory". */
#define EX_ARENA_BYTES ((size_t)64 << 20)

/* Where a search stands, for a progress line. */
struct ex_progress {
	unsigned long states;	/* distinct states so far */
	unsigned long visits;	/* states visited (distinct or reached again) */
	size_t memos_bytes;	/* the seen table and the memos */
	unsigned long frontier;	/* states found and not yet explored: the
				 * path's depth (a depth-first walk), the
				 * states queued (the distributed search) */
};

struct ex_comm;

struct ex_options {
	unsigned long max_states; /* 0: EX_DEFAULT_MAX_STATES */
	bool no_prune;		/* explore every interleaving in full, reusing
				 * nothing (the reference the pruned search is
				 * checked against) */
	bool no_por;		/* no partial-order reduction (search.c,
				 * por.c): every order of commuting steps
				 * is run; the report is the same */
	unsigned jobs;		/* threads (0, 1: the serial search); the
				 * result is the serial one, byte for byte,
				 * unless the search is cut short */
	const volatile int *interrupt; /* non-zero: stop now, as at the bound
				 * (ex_result.interrupted) */
	/* Called every 4096 states visited (from any thread, one at a
	 * time); NULL: never. */
	void (*progress)(void *ud, const struct ex_progress *p);
	void *progress_ud;
	bool check_hash;	/* every state's hash is computed twice, from
				 * the memo of the snapshot it came from and
				 * from scratch (ex_result.hash_mismatches
				 * counts the differences: always 0) */
	const struct ex_comm *comm; /* NULL: this process alone; else one
				 * rank of the distributed search (dist.c),
				 * whose rank 0 gets the serial result */
};

/* ---- outcomes (outcome.c) ------------------------------------------------ */

/* What one task looks like at the end of an interleaving. */
struct ex_task_end {
	char *final;		/* "running", "killed SIGUSR1", "not forked", ... */
	unsigned handled[SL_NSIG + 1]; /* handler runs per signal */
	bool called[SC_OP_COUNT];	/* the task made the call */
	long result[SC_OP_COUNT];	/* its last result */
	sl_sigset blocked;	/* its mask, kept when an atom or an
				 * expectation names it (else 0) */
	sl_sigset pending;	/* private | shared pending, likewise */
};

/* Whether a condition atom or an expectation names task t's mask
 * (SC_EXP_BLOCKED) or pending set (SC_EXP_PENDING): outcomes then show it. */
bool ex_names_set(const struct scenario *s, size_t t, enum sc_expect_kind kind);

/*
 * One distinct outcome.  Two interleavings have the same outcome when
 * every field below is equal: the tasks' final states, handler counts and
 * syscall results, the steps that could never run, and the truth of every
 * expectation and condition atom.
 */
struct ex_outcome {
	struct ex_task_end *tasks; /* per scenario task */
	char *stuck;		/* "steps 5, 6 never ran", or NULL */
	bool *expect_ok;	/* per expectation */
	bool *atom_ok;		/* per condition atom */
	uint64_t count;		/* interleavings that reach it (saturating) */
	char *witness;		/* the first interleaving found that reaches it */
	unsigned char *key;	/* the canonical bytes of the fields above */
	size_t keylen;
	uint64_t hash;
};

/* The set of distinct outcomes, interned by key. */
struct ex_outcomes {
	struct ex_outcome *v;
	size_t n, cap;
	size_t *slots;		/* open addressing: index + 1, 0 = free */
	size_t nslots;
};

/* Interns *o: a new outcome's memory goes to the set and *o is zeroed; an
 * outcome equal to one already there is left in *o for the caller to free
 * (ex_outcome_free).  Returns the index, or -1 when memory runs out. */
long ex_outcomes_add(struct ex_outcomes *set, struct ex_outcome *o);
void ex_outcome_free(struct ex_outcome *o, size_t ntasks);
void ex_outcomes_free(struct ex_outcomes *set, size_t ntasks);
/* Fills o->key from the fields (call before ex_outcomes_add). */
int ex_outcome_seal(struct ex_outcome *o, const struct scenario *s);
/* Sorts the outcomes by their rendering (then key): the report's order. */
void ex_outcomes_sort(struct ex_outcomes *set, const struct scenario *s);
/* One outcome's lines, as the text report prints them (show_result[i*ops+op]
 * says which syscall results to print). */
void ex_outcome_render(struct strbuf *b, const struct scenario *s, const struct ex_outcome *o,
		       const bool *show_result);
/* Which syscall results are worth printing: those a condition or an
 * expectation names, and those that differ between outcomes.  Returns a
 * malloc'd array of ntasks * SC_OP_COUNT flags, or NULL. */
bool *ex_results_to_show(const struct ex_outcomes *set, const struct scenario *s);

/* ---- state hashing (hash.c) ---------------------------------------------- */

/* A 128-bit hash of a byte stream: two independent 64-bit lanes. */
struct ex_hash {
	uint64_t a, b;
};

void ex_hash_init(struct ex_hash *h);
void ex_hash_bytes(struct ex_hash *h, const void *p, size_t n);
void ex_hash_u64(struct ex_hash *h, uint64_t v);
/* A stream of bytes fed in pieces, each a whole number of words but the
 * last. */
struct ex_hasher {
	struct ex_hash h[2];	/* even words, odd words */
	uint64_t n;		/* bytes so far */
};
void ex_hasher_init(struct ex_hasher *hs);
void ex_hasher_words(struct ex_hasher *hs, const void *p, size_t n);
void ex_hasher_finish(struct ex_hasher *hs, struct ex_hash *out);

/* The states seen, by hash: each maps to a memo slot. */
/* A slot of the seen table: the key and its value side by side, so that
 * a probe reads one cache line. */
struct ex_seen_slot {
	struct ex_hash key;
	long val;		/* memo index; -1: free slot */
};

struct ex_seen {
	struct ex_seen_slot *slot;
	size_t cap;		/* a power of two, or 0 */
	size_t n;
};

/* The memo index of state h, or -1 when unseen. */
long ex_seen_find(const struct ex_seen *t, const struct ex_hash *h);
/* Records state h -> val; returns 0 or -1 (out of memory). */
int ex_seen_add(struct ex_seen *t, const struct ex_hash *h, long val);
void ex_seen_free(struct ex_seen *t);

/* ---- conditions (cond.c) ------------------------------------------------- */

enum ex_verdict { EX_NEVER, EX_SOMETIMES, EX_ALWAYS };

/* The value of condition `root` given the truth of each atom. */
bool ex_cond_eval(const struct scenario *s, int root, const bool *atom_ok);
/* A check over a set of outcomes: how many satisfy it, the verdict, and
 * whether the check holds as written (exists: some; forall: all). */
struct ex_judgement {
	size_t satisfied;
	size_t total;
	enum ex_verdict verdict;
	bool holds;
};
struct ex_judgement ex_judge(const struct scenario *s, const struct sc_check *ck,
			     const bool *const *atom_ok, size_t noutcomes);
const char *ex_verdict_name(enum ex_verdict v);

/* ---- the search (search.c) ----------------------------------------------- */

struct ex_result {
	struct ex_outcomes outcomes; /* sorted (ex_outcomes_sort) */
	uint64_t interleavings;	/* complete interleavings counted (saturating) */
	unsigned long states;	/* distinct choice states explored */
	unsigned long merged;	/* times a state was reached again and reused */
	unsigned long runs;	/* model runs (replays) made */
	unsigned long por_skipped; /* moves the reduction did not run */
	unsigned long hash_mismatches; /* with check_hash: states whose
				 * incremental hash was not the full one */
	bool bound_hit;		/* max_states reached, or interrupted: the
				 * results are partial */
	bool interrupted;	/* ex_options.interrupt stopped it */
	bool depth_hit;		/* ... because one interleaving has more than
				 * EX_MAX_DEPTH choices */
	bool error;		/* a scenario error in some interleaving */
	struct sc_diag diag;
	char *error_witness;	/* the interleaving that hit it */
};

/* Explores `s`.  Returns 0 (check r->bound_hit), or -1 on a scenario error
 * (r->diag, r->error_witness) or out of memory. */
int ex_explore(const struct scenario *s, const struct ex_options *opt, struct ex_result *r);
void ex_result_free(struct ex_result *r, const struct scenario *s);

/* ---- the distributed search (dist.c) -------------------------------------- */

/*
 * How the ranks of a distributed search talk (an MPI communicator in
 * siglab-mpi, src/mpi/; threads in the unit tests).  Every rank runs the
 * same scenario and calls these collectively, in the same order.
 */
struct ex_comm {
	int rank, size;		/* this rank, of size */
	void *ud;
	/* All to all: n[r] bytes of `out` (laid end to end in rank order)
	 * go to rank r; *in gets what every rank sent to this one, in rank
	 * order (malloc'd, *inlen bytes).  0, or -1 (the search fails). */
	int (*exchange)(void *ud, const unsigned char *out, const size_t *n, unsigned char **in,
			size_t *inlen);
	/* v[0, n) summed over the ranks, on every rank.  0 or -1. */
	int (*sum)(void *ud, uint64_t *v, size_t n);
};

/* ---- reports (report.c) -------------------------------------------------- */

/* The report: outcomes then verdicts, as text or JSON lines.  Returns the
 * number of checks that do not hold. */
size_t ex_report(struct strbuf *b, const struct scenario *s, const struct ex_result *r,
		 bool json);

#endif
