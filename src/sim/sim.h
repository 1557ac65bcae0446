/* The sim runner: executes a scenario on the engine, with a deterministic
 * scheduler, and renders the trace of docs/trace-format.md. */
#ifndef SIGLAB_SIM_SIM_H
#define SIGLAB_SIM_SIM_H

#include <stdbool.h>
#include <stddef.h>

#include "scenario/ast.h"
#include "siglab.h"

struct sim_options {
	bool explain;		/* add "why:" lines under decisions */
	bool json;		/* one JSON object per event instead of text */
	bool svg;		/* also draw the timeline (sim_result.svg) */
	sl_alloc_fn alloc;	/* the engine's allocator; NULL: the default
				 * (tests/fault/sweep.c passes a failing one) */
	void *alloc_ud;
	bool quiet;		/* no trace text (explore, when no atom reads
				 * the trace): events are recorded, not
				 * rendered */
	size_t arena;		/* non-zero: the kernel lives in an arena of
				 * this many bytes (sl_kernel_new_arena), so
				 * that explore can snapshot it */
	bool check_states; /* the caller runs sl_check (explore: once per
				 * distinct state); else after every step */
	/* Non-NULL: every settling round with several tasks with work asks
	 * which returns to user mode next (idx[0..n), scenario task
	 * indexes; the answer an index into idx), as explore's settle
	 * choices do; `diff` replays the orders the model allows. */
	int (*settle_pick)(void *ud, const int *idx, size_t n);
	void *settle_ud;
};

struct sim_result {
	char *trace;		/* the trace text (malloc'd, NUL-terminated),
				 * "# scenario" to the end of the final block */
	char *report;		/* one line per expectation: "expect X: ok" or
				 * "expect X: FAILED (...)" (malloc'd) */
	int failed;		/* number of failed expectations */
	bool error;		/* a scenario error at run time (diag is set),
				 * e.g. a step for a task that is dead */
	struct sc_diag diag;
	char *svg;		/* the timeline picture, when asked for */
	bool *atoms;		/* per scenario atom (exists/forall conditions):
				 * its truth at the end of this run, or NULL */
};

/* Runs `s` on a fresh kernel.  Returns 0 when the run completed (check
 * r->failed), -1 on a run-time scenario error (r->diag) or out of memory.
 * Free with sim_result_free. */
int sim_run(const struct scenario *s, const struct sim_options *opt,
	    struct sim_result *r);
void sim_result_free(struct sim_result *r);

#endif
