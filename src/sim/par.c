/*
 * par { } blocks: steps whose order is free.
 *
 * Rules (docs/scenario-language.md, "Par blocks"):
 *   - A step of the block can run when its task is running (in user mode
 *     waiting for its next step); a step whose task is stopped, asleep in
 *     a call, dead or not forked yet waits.  A step without a task (a
 *     clock step) can always run.
 *   - Among the steps that can run, `run` takes the first in file order;
 *     explore tries each (sim.step_pick).
 *   - When steps remain but none can run, they never run: they are
 *     reported as not run, and the scenario goes on after the block.
 *   - In explore, a fork step is three moves: the task enters the call,
 *     copy_process begins (or restarts, when a signal came in between),
 *     and it finishes (the fork window, kernel/fork.c copy_process).
 *     Other steps may run between them; the forking task runs nothing
 *     else meanwhile, and does not settle.
 */
#include <stdlib.h>

#include "sim/simstate.h"

static bool step_ready(const struct sim *sm, const struct sc_step *st)
{
	int tid;

	if (st->task < 0)
		return true;
	/* A task in a fork window runs nothing but the fork's finish. */
	if (sm->rec[st->task].fork_step)
		return sm->rec[st->task].fork_step == st;
	tid = sm->task_tid[st->task];
	return tid && sl_task_state_of(sm->k, tid) == SL_TASK_RUNNING;
}

static const char *why_waiting(const struct sim *sm, const struct sc_step *st)
{
	struct sl_task_info ti;
	int tid = sm->task_tid[st->task];

	if (!tid)
		return "not forked";
	if (sl_task_info(sm->k, tid, &ti) < 0)
		return "dead";
	return sim_task_state_name(ti.state);
}

/* The steps left when none can run: a trace line each, and the list. */
static int not_run(struct sim *sm, size_t from, size_t to, const bool *done)
{
	const struct scenario *s = sm->s;

	for (size_t i = from; i < to; i++) {
		struct strbuf line = { 0 };
		const char *who, *why;

		/* A clock step can always run, so it is never left over. */
		if (done[i] || s->steps[i].task < 0)
			continue;
		who = s->tasks[s->steps[i].task].name;
		why = why_waiting(sm, &s->steps[i]);
		sb_addf(&line, "(not run: %s is %s)", who, why);
		sm->step = (int)i + 1;
		sim_step_line(sm, s->steps[i].task, sb_str(&line));
		sb_free(&line);
		sb_addf(&sm->not_run, "%sstep %zu (%s %s)", sm->not_run.len ? ", " : "", i + 1,
			who, why);
	}
	return 0;
}

/* One move of the block: a step, or in explore a third of a fork step
 * (the fork window: sim_par_enters_fork). */
static int par_move(struct sim *sm, size_t i, bool *done)
{
	const struct sc_step *st = &sm->s->steps[i];

	sm->step = (int)i + 1;
	if (st->task >= 0 && sm->rec[st->task].fork_step == st) {
		int b;

		if (sm->rec[st->task].fork_stage == 2) {
			done[i] = true;
			return sim_fork_finish(sm, st);
		}
		b = sim_fork_begin(sm, st);
		if (b == 1)
			done[i] = true;
		return b < 0 ? -1 : 0;
	}
	if (sim_par_enters_fork(sm, i)) {
		sim_fork_enter(sm, st);
		return 0;
	}
	done[i] = true;
	return sim_step(sm, st);
}

int sim_par_block(struct sim *sm, size_t from, size_t to, bool *done)
{
	size_t *ready = malloc((to - from) * sizeof *ready);
	int rc = 0;

	if (!ready)
		return sim_error(sm, sm->s->steps[from].stmt.pos, "out of memory");
	for (;;) {
		size_t n = 0, left = 0;
		int c = 0;

		for (size_t i = from; i < to; i++) {
			if (done[i])
				continue;
			left++;
			if (step_ready(sm, &sm->s->steps[i]))
				ready[n++] = i;
		}
		if (left == 0)
			break;
		if (n == 0) {
			rc = not_run(sm, from, to, done);
			break;
		}
		if (sm->step_pick && (c = sm->step_pick(sm->pick_ud, sm, ready, n)) < 0) {
			sm->halted = true;
			sm->failed = true;
			rc = -1;
			break;
		}
		if ((rc = par_move(sm, ready[c], done)) < 0)
			break;
		sim_flush(sm);
	}
	free(ready);
	return rc;
}

int sim_schedule(struct sim *sm, bool *done)
{
	const struct scenario *s = sm->s;

	/* From the block in progress: 0 on a fresh run, a par block when
	 * explore resumes a snapshot taken at one of its choice points. */
	for (size_t i = sm->block; i < s->nsteps && !sm->failed;) {
		size_t j = i + 1;

		if (!s->steps[i].par) {
			sm->block = i;
			done[i] = true;
			sm->step = (int)i + 1;
			if (sim_step(sm, &s->steps[i]) < 0)
				return -1;
			sim_flush(sm);
			i++;
			continue;
		}
		while (j < s->nsteps && s->steps[j].par == s->steps[i].par)
			j++;
		sm->block = i;
		if (sim_par_block(sm, i, j, done) < 0)
			return -1;
		i = j;
	}
	return sm->failed ? -1 : 0;
}
