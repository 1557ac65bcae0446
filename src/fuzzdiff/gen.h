/* The generator's world (gen.c) and its table of statement generators
 * (gen_stmt.c). */
#ifndef SIGLAB_FUZZDIFF_GEN_H
#define SIGLAB_FUZZDIFF_GEN_H

#include <stdbool.h>
#include <stddef.h>

#include "fuzzdiff/fuzzdiff.h"
#include "scenario/strbuf.h"

#define FZ_MAX_TASKS 10
#define FZ_MAX_HANDLERS 3

struct fz_task {
	char name[16];
	bool thread;		/* a thread of tasks[leader] */
	int leader;		/* a thread's process; a process: itself */
	bool forked;		/* declared `forked`: made by a step */
	bool made;		/* exists (declared, or its fork step emitted) */
	int uid;
	bool ctl_child;		/* its parent is the runner (never dies) */
	int ntimers;		/* the process's timers created so far */
};

struct fz_gen {
	struct fz_rng rng;
	struct fz_task task[FZ_MAX_TASKS];
	int ntasks;
	int nhandlers;
	bool tracer_seized;	/* some SEIZE emitted: INTERRUPT/LISTEN mean something */
	int64_t advanced;	/* scenario time the clock has advanced, ns */
};

/* Where a statement is written: a step of a task, or a handler's or a
 * repeat's body (no blocking call, no fork, no exec there). */
enum fz_where { FZ_IN_STEP, FZ_IN_BODY };

/* A statement generator writes the statement (without `TASK: `) into
 * `b` for task `t`; false when it does not apply (nothing written).  A
 * timed statement may ask for an `advance` step after it (*advance_ns). */
typedef bool (*fz_stmt_fn)(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b,
			   long long *advance_ns);

struct fz_stmt_row {
	int op;			/* SC_OP_* */
	unsigned weight;	/* relative frequency as a step; 0: never */
	bool in_body;		/* may be written in a handler or repeat body */
	fz_stmt_fn fn;		/* NULL: left out, `why` says why */
	const char *why;
};

extern const struct fz_stmt_row fz_stmt_rows[];
extern const size_t fz_nstmt_rows;

/* Picks for generators (gen.c). */
bool fz_chance(struct fz_gen *g, unsigned percent);
const char *fz_pick_sig(struct fz_gen *g);	/* any signal, sometimes 0 or invalid */
const char *fz_pick_catchable(struct fz_gen *g);	/* one sigaction accepts */
void fz_put_set(struct fz_gen *g, struct strbuf *b);
/* A task index that exists now, or -1; processes only when `proc`. */
int fz_pick_task(struct fz_gen *g, bool proc);
/* A TARGET: a task, -process, 0, -1, nobody. */
void fz_put_target(struct fz_gen *g, struct strbuf *b);
/* Writes one statement for task t at `w` (a random row that applies). */
bool fz_put_stmt(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b,
		 long long *advance_ns);

#endif
