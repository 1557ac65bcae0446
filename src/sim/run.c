/*
 * The sim runner: executes a scenario on the engine with a deterministic
 * scheduler and writes the trace of docs/trace-format.md.
 *
 * Scheduling (PRODUCT.md, "Scenarios"): steps run in file order; after
 * each step the system runs to quiescence — the stepping task first, then
 * every task in declaration order, again and again until no task has a
 * signal to act on.  A task acts on signals when it returns to user mode;
 * a handler's body runs right there, each of its statements followed by
 * that task's own return to user mode (so handlers nest).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/render.h"
#include "scenario/trace_json.h"
#include "sim/sim.h"
#include "sim/simstate.h"

static void sim_event(void *ud, const struct sl_event *ev);

/* ---- output ---------------------------------------------------------------- */

static const char *ctx_name(const struct sim *sm, int tid)
{
	const char *n = sc_task_name(&sm->names, tid);

	return n ? n : "?";
}

/* Keeps a line for the timeline picture. */
static void keep_line(struct sim *sm, int step, const char *task, int depth,
		      const char *kind, const char *text)
{
	struct tl_line *l;

	if (sm->nlines == sm->lines_cap) {
		size_t ncap = sm->lines_cap ? sm->lines_cap * 2 : 64;
		struct tl_line *nl = realloc(sm->lines, ncap * sizeof *nl);

		if (!nl)
			return;
		sm->lines = nl;
		sm->lines_cap = ncap;
	}
	l = &sm->lines[sm->nlines];
	l->text = strdup(text);
	if (!l->text)
		return;
	sm->nlines++;
	l->step = step;
	l->depth = depth;
	l->task = -1;
	for (size_t i = 0; i < sm->s->ntasks; i++)
		if (!strcmp(sm->s->tasks[i].name, task))
			l->task = (int)i;
	snprintf(l->kind, sizeof l->kind, "%s", kind);
	l->has_mask = false;
	if (l->task >= 0 && sm->task_tid[l->task] > 0) {
		struct sl_task_info ti;

		if (sl_task_info(sm->k, sm->task_tid[l->task], &ti) == 0) {
			l->has_mask = true;
			l->blocked = ti.blocked;
		}
	}
}

/* One line of output: a step line (step > 0) or an event line. */
static void emit_line(struct sim *sm, int step, const char *task, int depth,
		      const char *kind, const char *text, const char *rule)
{
	struct strbuf *b = &sm->out;

	if (sm->opt.quiet)
		return;
	if (sm->opt.svg && strcmp(kind, "note"))
		keep_line(sm, step, task, depth, kind, text);
	if (sm->opt.json) {
		sb_addf(b, "{\"step\":%d,\"task\":", sm->step);
		sb_add_json_string(b, task);
		sb_addf(b, ",\"depth\":%d,\"kind\":\"%s\"", depth, kind);
		sc_trace_json(b, text);
		sb_add(b, ",\"text\":");
		sb_add_json_string(b, text);
		if (rule) {
			sb_add(b, ",\"why\":");
			sb_add_json_string(b, rule);
		}
		sb_add(b, "}\n");
		return;
	}
	if (step > 0)
		sb_addf(b, "%3d %-6s %s\n", step, task, text);
	else
		sb_addf(b, "    %-6s %*s%s\n", task, 2 * depth, "", text);
	if (rule && sm->opt.explain)
		sb_addf(b, "    %-6s %*s  why: %s\n", "", 2 * depth, "", rule);
}

void sim_emit_clock_line(struct sim *sm, const char *who, const char *text)
{
	/* Not a task's line: the timeline has no lane for it. */
	if (sm->opt.quiet)
		return;
	if (sm->opt.json) {
		sb_addf(&sm->out, "{\"step\":%d,\"task\":", sm->step);
		sb_add_json_string(&sm->out, who);
		sb_add(&sm->out, ",\"depth\":0,\"kind\":\"step\"");
		sc_trace_json(&sm->out, text);
		sb_add(&sm->out, ",\"text\":");
		sb_add_json_string(&sm->out, text);
		sb_add(&sm->out, "}\n");
		return;
	}
	sb_addf(&sm->out, "%3d %-6s %s\n", sm->step, who, text);
}

static const char *event_kind_name(enum sl_event_kind k)
{
	static const char *const names[] = {
		[SL_EV_GENERATE] = "generate", [SL_EV_DELIVER] = "deliver",
		[SL_EV_HANDLER] = "handler",   [SL_EV_SIGRETURN] = "sigreturn",
		[SL_EV_LONGJMP] = "longjmp",   [SL_EV_STOP] = "stop",
		[SL_EV_CONTINUE] = "continue", [SL_EV_EXIT] = "exit",
		[SL_EV_OOPS] = "oops",         [SL_EV_NOTE] = "note",
		[SL_EV_SYSCALL_RETURN] = "return", [SL_EV_PTRACE_STOP] = "traced",
	};

	return names[k];
}

/* Holds a rendered event (text NULL: a note) until its call's line is out;
 * takes the text. */
static void hold(struct sim *sm, int tid, const char *kind, struct strbuf *text,
		 const char *rule)
{
	struct held_event *h = held_push(sm);

	if (!h) {
		if (text)
			sb_free(text);
		return;
	}
	h->tid = tid;
	h->depth = sim_depth(sm, tid);
	h->kind = kind;
	h->text = text ? sb_take(text) : NULL;
	h->rule = rule;
}

/* Events are rendered as they happen, with the depth their task has at
 * that moment, and held until the line of the call that caused them. */
static void sim_event(void *ud, const struct sl_event *ev)
{
	struct sim *sm = ud;
	struct strbuf text = { 0 };
	const char *ctx = sc_task_name(&sm->names, ev->tid);
	struct sl_event tev;

	/* A signal from a timer is generated in interrupt context, on no
	 * task's behalf: its line goes in the target's column. */
	if (ev->kind == SL_EV_GENERATE && ev->tid == 0 && ev->target > 0) {
		tev = *ev;
		tev.tid = ev->target;
		ev = &tev;
		ctx = sc_task_name(&sm->names, ev->tid);
	}
	if (ev->kind == SL_EV_SYSCALL_RETURN) {
		if (!ctx)
			return;
		sim_syscall_return(sm, ev, &text);
		if (!text.len) {
			sb_free(&text);
			return;
		}
		hold(sm, ev->tid, "return", &text, NULL);
		return;
	}
	if (ev->kind == SL_EV_GENERATE) {
		sm->ngenerate++;
		if (ctx && ev->target > 0)
			record_generate(sm, ev);
	}
	if (ev->kind == SL_EV_DELIVER && ctx)
		record_deliver(sm, ev);
	if (ev->kind == SL_EV_HANDLER || sm->opt.quiet)
		return;
	if (ev->kind == SL_EV_NOTE) {
		if (!sm->opt.explain || !ctx)
			return;
	} else if (!ctx || !sc_render_event(&text, sm->s, &sm->names, ev)) {
		sb_free(&text);
		return;
	}
	if (ev->kind == SL_EV_NOTE)
		sb_free(&text);
	hold(sm, ev->tid, event_kind_name(ev->kind), ev->kind == SL_EV_NOTE ? NULL : &text,
	     ev->rule);
}

/* Prints the held events: a note becomes a "why:" line under the line
 * before it. */
static void flush_events(struct sim *sm)
{
	/* A decision is noted before the tracepoint it leads to (Linux
	 * decides, then traces); print the tracepoint first. */
	for (size_t i = 0; i + 1 < sm->nheld; i++) {
		if (!sm->held[i].text && sm->held[i + 1].text &&
		    !strcmp(sm->held[i + 1].kind, "generate")) {
			struct held_event tmp = sm->held[i];

			sm->held[i] = sm->held[i + 1];
			sm->held[i + 1] = tmp;
			i++;
		}
	}
	for (size_t i = 0; i < sm->nheld; i++) {
		struct held_event *h = &sm->held[i];
		const char *task = ctx_name(sm, h->tid);

		if (!h->text) {
			if (sm->opt.json)
				emit_line(sm, 0, task, h->depth, "note", "", h->rule);
			else
				sb_addf(&sm->out, "    %-6s %*s  why: %s\n", "",
					2 * h->depth, "", h->rule);
			continue;
		}
		emit_line(sm, 0, task, h->depth, h->kind, h->text, h->rule);
		free(h->text);
	}
	sm->nheld = 0;
}

/* ---- set-up ---------------------------------------------------------------- */

/* The scenario's own pid namespace, as the host runs it: its init a
 * hidden one (the host's siglab-init, in a session of its own), the
 * controller outside it, parent of the top-level processes (setns, then
 * fork), so that kill -1 and literal pids see the scenario's processes
 * only, numbered from 2 as on the host.  Not for a scenario that
 * declares the global init or kernel threads (model-only: the host
 * cannot run them), which live in the root namespace. */
static int spawn_scenario_ns(struct sim *sm)
{
	struct sl_spawn how = { .kind = SL_SPAWN_NS_INIT, .parent = sm->controller };
	int tid;

	for (size_t i = 0; i < sm->s->ntasks; i++)
		if (sm->s->tasks[i].kind == SC_INIT || sm->s->tasks[i].kind == SC_KTHREAD)
			return 0;
	how.sid = sm->controller + 1;	/* its own session, as setsid() */
	tid = sl_spawn(sm->k, &how);
	if (tid < 0)
		return tid;
	sm->scen_init = tid;
	return 0;
}

static int spawn_tasks(struct sim *sm)
{
	const struct scenario *s = sm->s;
	int init_idx = -1;

	for (size_t i = 0; i < s->ntasks; i++)
		if (s->tasks[i].kind == SC_INIT)
			init_idx = (int)i;
	/* pid 1 is init: the scenario's, or a hidden one; pid 2 is the
	 * controller, the parent of every top-level process (on the host,
	 * the siglab process itself). */
	{
		struct sl_spawn how = { .kind = SL_SPAWN_INIT };
		int tid = sl_spawn(sm->k, &how);

		if (tid < 0)
			return tid;
		if (init_idx >= 0)
			sm->task_tid[init_idx] = tid;
		/* The controller leads its own session (tid 2, after init), as
		 * siglab on the host is in a session outside the scenario's
		 * pid namespace. */
		how = (struct sl_spawn){ .kind = SL_SPAWN_PROCESS, .parent = tid, .sid = tid + 1 };
		sm->controller = sl_spawn(sm->k, &how);
		if (sm->controller < 0)
			return sm->controller;
		tid = spawn_scenario_ns(sm);
		if (tid < 0)
			return tid;
	}
	for (size_t i = 0; i < s->ntasks; i++) {
		const struct sc_task *t = &s->tasks[i];
		struct sl_spawn how = { .uid = t->uid, .parent = sm->controller,
					.ns = sm->scen_init };
		int tid;

		/* A forked task comes into existence at its fork step. */
		if (t->kind == SC_INIT || t->forked)
			continue;
		if (t->parent >= 0 || t->ns >= 0)
			how.ns = 0;	/* the parent's namespace */
		if (t->parent >= 0)
			how.parent = sm->task_tid[t->parent];
		else if (t->ns >= 0)
			how.parent = sm->task_tid[t->ns];
		if (t->pgrp >= 0)
			how.pgid = sm->task_tid[s->tasks[t->pgrp].kind == SC_THREAD
							? s->tasks[t->pgrp].leader : t->pgrp];
		switch (t->kind) {
		case SC_THREAD:
			tid = (int)sl_sys_clone_thread(sm->k, sm->task_tid[t->leader]);
			break;
		case SC_KTHREAD:
			how.kind = SL_SPAWN_KTHREAD;
			how.parent = 0;
			tid = sl_spawn(sm->k, &how);
			break;
		case SC_NSINIT:
			how.kind = SL_SPAWN_NS_INIT;
			tid = sl_spawn(sm->k, &how);
			break;
		default:
			how.kind = SL_SPAWN_PROCESS;
			tid = sl_spawn(sm->k, &how);
			break;
		}
		if (tid < 0)
			return sim_error(sm, t->pos, "cannot create task '%s': %s", t->name,
					 sl_errno_name(-tid) ? sl_errno_name(-tid) : "error");
		sm->task_tid[i] = tid;
	}
	if (sim_make_pipes(sm, init_idx < 0 ? 1 : 0) < 0)
		return sim_error(sm, (struct sc_pos){ 1, 1 }, "out of memory");
	return sim_build_names(sm);
}

/* ---- running ---------------------------------------------------------------- */

/* sim_options' settle_pick, under the runner's own hook. */
static int option_settle_pick(void *ud, struct sim *sm, const int *idx, size_t n)
{
	(void)ud;
	return sm->opt.settle_pick(sm->opt.settle_ud, idx, n);
}

int sim_begin(struct sim *sm, const struct scenario *s, const struct sim_options *opt)
{
	struct sl_config cfg = { 0 };

	if (sim_init(sm, s, opt) < 0)
		return -1;
	if (sm->opt.settle_pick)
		sm->settle_pick = option_settle_pick;
	cfg.event = sim_event;
	cfg.event_ud = sm;
	cfg.alloc = sm->opt.alloc;
	cfg.alloc_ud = sm->opt.alloc_ud;
	cfg.what_if = s->what_if;
	cfg.rlimit_sigpending = s->rlimit_sigpending;
	if ((sm->opt.arena ? sl_kernel_new_arena(&cfg, sm->opt.arena, &sm->k)
			   : sl_kernel_new(&cfg, &sm->k)) < 0) {
		sm->k = NULL;
		return sim_error(sm, (struct sc_pos){ 1, 1 }, "out of memory");
	}
	if (sm->opt.json) {
		sb_addf(&sm->out, "{\"scenario\":");
		sb_add_json_string(&sm->out, s->name ? s->name : "");
		sb_add(&sm->out, "}\n");
	} else {
		sb_addf(&sm->out, "# scenario %s\n", s->name ? s->name : "");
	}
	return spawn_tasks(sm);
}

/* The truth of every condition atom at the end of the run, for the
 * caller to judge exists/forall lines against this one outcome. */
static void eval_atoms(struct sim *sm, struct sim_result *r)
{
	if (!sm->s->natoms)
		return;
	r->atoms = calloc(sm->s->natoms, sizeof *r->atoms);
	if (!r->atoms)
		return;
	for (size_t i = 0; i < sm->s->natoms; i++)
		r->atoms[i] = sim_expect_holds(sm, &sm->s->atoms[i]);
}

int sim_run(const struct scenario *s, const struct sim_options *opt, struct sim_result *r)
{
	struct sim sm;
	bool *done;
	int ret = -1;

	memset(r, 0, sizeof *r);
	if (sim_begin(&sm, s, opt) < 0)
		goto out;
	done = calloc(s->nsteps + 1, sizeof *done);
	if (!done)
		sim_error(&sm, (struct sc_pos){ 1, 1 }, "out of memory");
	else
		sim_schedule(&sm, done);
	free(done);
	/* A large run's checker skips whole-kernel checks between steps
	 * (step.c step_check): the last state gets one. */
	if (!sm.failed && sm.s->ntasks > SIM_CHECK_FULL_TASKS) {
		const char *what = NULL;

		if (sl_check(sm.k, &what) < 0)
			sim_error(&sm, (struct sc_pos){ 1, 1 },
				  "internal: engine invariant broken: %s", what ? what : "?");
	}
	if (!sm.failed) {
		sim_final(&sm);
		sim_check_expectations(&sm, r);
		eval_atoms(&sm, r);
		ret = 0;
	}
	if (sm.opt.svg)
		r->svg = tl_render_svg(s, sm.lines, sm.nlines);
out:
	flush_events(&sm);
	r->error = sm.failed;
	r->diag = sm.diag;
	r->trace = sb_take(&sm.out);
	if (!r->report)
		r->report = sb_take(&sm.report);
	if (sm.out.oom || sm.report.oom)
		ret = -1;
	sim_destroy(&sm);
	return sm.failed ? -1 : ret;
}

void sim_result_free(struct sim_result *r)
{
	free(r->trace);
	free(r->report);
	free(r->svg);
	free(r->atoms);
	r->trace = r->report = r->svg = NULL;
	r->atoms = NULL;
}

/* ---- exported to step.c ------------------------------------------------------ */

void sim_flush(struct sim *sm)
{
	flush_events(sm);
}

void sim_step_line(struct sim *sm, int task_idx, const char *text)
{
	emit_line(sm, sm->step, sm->s->tasks[task_idx].name, 0, "step", text, NULL);
}

void sim_event_line(struct sim *sm, int tid, int depth, const char *kind, const char *text)
{
	emit_line(sm, 0, ctx_name(sm, tid), depth, kind, text, NULL);
}

void sim_call_line(struct sim *sm, int tid, const char *text)
{
	emit_line(sm, 0, ctx_name(sm, tid), sim_depth(sm, tid), "call", text, NULL);
}
