/* The sim runner's bookkeeping: tables, names, held events, errors. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/simstate.h"

int sim_init(struct sim *sm, const struct scenario *s, const struct sim_options *opt)
{
	memset(sm, 0, sizeof *sm);
	sm->s = s;
	if (opt)
		sm->opt = *opt;
	sm->task_tid = calloc(s->ntasks + 1, sizeof *sm->task_tid);
	sm->rec = calloc(s->ntasks + 1, sizeof *sm->rec);
	sm->rec_ver = calloc(s->ntasks + 1, sizeof *sm->rec_ver);
	sm->held_map = calloc(s->ntasks / 64 + 1, sizeof *sm->held_map);
	sm->touched = malloc(SIM_TOUCHED_MAX * sizeof *sm->touched);
	if (!sm->task_tid || !sm->rec || !sm->rec_ver || !sm->held_map || !sm->touched) {
		free(sm->task_tid);
		free(sm->rec);
		free(sm->rec_ver);
		free(sm->held_map);
		free(sm->touched);
		sm->task_tid = NULL;
		sm->rec = NULL;
		sm->rec_ver = NULL;
		sm->held_map = NULL;
		sm->touched = NULL;
		sm->diag.pos = (struct sc_pos){ 1, 1 };
		snprintf(sm->diag.message, sizeof sm->diag.message, "out of memory");
		return -1;
	}
	return 0;
}

void sim_destroy(struct sim *sm)
{
	for (size_t i = 0; i < sm->nheld; i++)
		free(sm->held[i].text);
	free(sm->held);
	for (size_t i = 0; i < sm->nlines; i++)
		free(sm->lines[i].text);
	free(sm->lines);
	free(sm->generated);
	free(sm->delivered);
	free(sm->task_tid);
	/* Only a held task keeps frames (stash_frames marks it): the other
	 * records, 5 KB each, are not read, so a large run's are not paged
	 * in just to be freed. */
	for (size_t i = 0; sm->rec && sm->held_map && i < sm->s->ntasks; i++)
		if (sm->held_map[i / 64] & ((uint64_t)1 << (i % 64)))
			free(sm->rec[i].rest);
	free(sm->held_map);
	free(sm->touched);
	free(sm->rec);
	free(sm->rec_ver);
	free(sm->tid_task);
	free(sm->name_of);
	sb_free(&sm->out);
	sb_free(&sm->report);
	sb_free(&sm->not_run);
	sl_kernel_free(sm->k);
}

/* Every tid a scenario task holds gets its name; tids beyond them (the
 * hidden init and controller, unless declared) stay nameless. */
int sim_build_names(struct sim *sm)
{
	int max = 0;

	for (size_t i = 0; i < sm->s->ntasks; i++)
		if (sm->task_tid[i] > max)
			max = sm->task_tid[i];
	sm->ntids = (size_t)max + 1;
	sm->tid_task = malloc(sm->ntids * sizeof *sm->tid_task);
	sm->name_of = calloc(sm->ntids, sizeof *sm->name_of);
	if (!sm->tid_task || !sm->name_of)
		return sim_error(sm, (struct sc_pos){ 1, 1 }, "out of memory");
	for (size_t i = 0; i < sm->ntids; i++)
		sm->tid_task[i] = -1;
	for (size_t i = 0; i < sm->s->ntasks; i++) {
		if (!sm->task_tid[i])
			continue;	/* forked later (sim/process.c names it then) */
		sm->tid_task[sm->task_tid[i]] = (int)i;
		sm->name_of[sm->task_tid[i]] = sm->s->tasks[i].name;
	}
	sm->names.names = sm->name_of;
	sm->names.ntids = sm->ntids;
	for (size_t i = 0; i < sm->s->ntasks; i++)
		if (sm->s->tasks[i].kind == SC_INIT)
			sm->has_init = true;
	sim_tids_order(sm);
	return 0;
}

void sim_tids_order(struct sim *sm)
{
	int last = 0;

	sm->tids_ordered = true;
	sm->last_tid_idx = -1;
	for (size_t i = 0; i < sm->s->ntasks; i++) {
		if (!sm->task_tid[i])
			continue;
		if (sm->task_tid[i] <= last)
			sm->tids_ordered = false;
		last = sm->task_tid[i];
		sm->last_tid_idx = (int)i;
	}
}

int sim_error(struct sim *sm, struct sc_pos pos, const char *fmt, ...)
{
	va_list ap;

	if (sm->failed)
		return -1;
	sm->failed = true;
	sm->diag.pos = pos;
	va_start(ap, fmt);
	vsnprintf(sm->diag.message, sizeof sm->diag.message, fmt, ap);
	va_end(ap);
	return -1;
}

/* An event's indentation: the handler frames its task has now. */
int sim_depth(const struct sim *sm, int tid)
{
	struct sl_task_info ti;

	if (!sm->k || sl_task_info(sm->k, tid, &ti) < 0)
		return 0;
	return ti.handler_depth;
}

struct held_event *held_push(struct sim *sm)
{
	if (sm->nheld == sm->held_cap) {
		size_t ncap = sm->held_cap ? sm->held_cap * 2 : 32;
		struct held_event *nh = realloc(sm->held, ncap * sizeof *nh);

		if (!nh)
			return NULL;
		sm->held = nh;
		sm->held_cap = ncap;
	}
	return &sm->held[sm->nheld++];
}

static void seen_push(struct seen_signal **arr, size_t *n, size_t *cap,
		      const struct seen_signal *v)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 32;
		struct seen_signal *na = realloc(*arr, ncap * sizeof *na);

		if (!na)
			return;
		*arr = na;
		*cap = ncap;
	}
	(*arr)[(*n)++] = *v;
}

void record_generate(struct sim *sm, const struct sl_event *ev)
{
	struct seen_signal v = { .sig = ev->sig, .tid = ev->target, .result = ev->result };

	seen_push(&sm->generated, &sm->ngen, &sm->gen_cap, &v);
}

void record_deliver(struct sim *sm, const struct sl_event *ev)
{
	struct seen_signal v = { .sig = ev->sig, .tid = ev->tid };

	seen_push(&sm->delivered, &sm->ndel, &sm->del_cap, &v);
}
