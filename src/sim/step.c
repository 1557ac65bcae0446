/* The sim runner's steps: one statement at a time, each followed by
 * the task's return to user mode (where handlers run), and the settling
 * of every task after a step. */
#include <stdlib.h>
#include <string.h>

#include "scenario/trace_json.h"
#include "sim/simstate.h"

enum handler_end { END_RETURNED, END_JUMPED, END_DIED, END_STOPPED };

static int exec_stmt(struct sim *sm, int idx, const struct sc_stmt *st, bool step_level);

static int task_state(const struct sim *sm, int tid, struct sl_task_info *ti)
{
	if (sl_task_info(sm->k, tid, ti) < 0) {
		memset(ti, 0, sizeof *ti);
		ti->state = SL_TASK_DEAD;
	}
	return 0;
}

static bool task_runs(const struct sim *sm, int tid)
{
	return sl_task_state_of(sm->k, tid) == SL_TASK_RUNNING;
}

const char *sim_task_state_name(enum sl_task_state s)
{
	switch (s) {
	case SL_TASK_RUNNING:
		return "running";
	case SL_TASK_SLEEPING:
		return "sleeping";
	case SL_TASK_STOPPED:
		return "stopped";
	case SL_TASK_TRACED:
		return "in a ptrace stop";
	case SL_TASK_ZOMBIE:
		return "a zombie";
	case SL_TASK_DEAD:
		return "dead";
	}
	return "?";
}

static int run_handler(struct sim *sm, int idx, const struct sl_ksignal *ks, enum handler_end *end);

/* ptrace: the task waits for its tracer (a ptrace stop, or a stop in a
 * handler's rt_sigreturn): frames it has set up wait with it. */
static bool held_by_tracer(const struct sim *sm, int idx)
{
	if (sm->rec[idx].sigreturn_stop)
		return true;
	return sl_task_state_of(sm->k, sm->task_tid[idx]) == SL_TASK_TRACED;
}

/* ptrace: frames [0, n) that were set up but whose handlers have not run
 * go under those already kept (which run first) while the task waits in
 * a syscall-stop of a handler's rt_sigreturn. */
static int stash_frames(struct sim *sm, int idx, const struct sl_ksignal *frames, size_t n)
{
	struct task_record *rec = sim_rec_w(sm, idx);
	struct sl_ksignal *v;

	if (!n)
		return 0;
	v = malloc((rec->nrest + n) * sizeof *v);
	if (!v)
		return sim_error(sm, sm->s->tasks[idx].pos, "out of memory");
	memcpy(v, frames, n * sizeof *v);
	if (rec->nrest)
		memcpy(v + n, rec->rest, rec->nrest * sizeof *v);
	free(rec->rest);
	rec->rest = v;
	rec->nrest += n;
	sim_hold_mark(sm, idx);
	return 0;
}

static size_t frames_of(const struct sim *sm, int tid)
{
	struct sl_task_info ti;

	if (sl_task_info(sm->k, tid, &ti) < 0)
		return 0;
	return (size_t)ti.handler_depth;
}

/*
 * Return to user mode for task idx until it has nothing left to act on.
 *
 * Before it goes back to user mode the kernel delivers every signal it can
 * (exit_to_user_mode_loop calls arch_do_signal_or_restart while
 * TIF_SIGPENDING stays set), so several frames may be stacked at once; the
 * one set up last is on top and its handler runs first.  Each handler's
 * rt_sigreturn is again a return to user mode.
 *
 * *handler_returned is set when a handler for `fault_sig` returned with
 * sigreturn (the faulting instruction then runs again).
 */
static int return_to_user_nested(struct sim *sm, int idx, int fault_sig, bool *handler_returned);

/* Where a run-time error of the step running is reported: at the step. */
static struct sc_pos step_pos(const struct sim *sm)
{
	return sm->step > 0 ? sm->s->steps[sm->step - 1].stmt.pos : (struct sc_pos){ 1, 1 };
}

static int limit_error(struct sim *sm, enum sc_limit l)
{
	char msg[200];

	sc_limit_message(l, msg, sizeof msg);
	return sim_error(sm, step_pos(sm), "%s", msg);
}

/* A statement of a repeat or handler body is about to run: the step and
 * the run are bounded in how many they run (ast.h, SC_MAX_STEP_STMTS). */
static int count_body_stmt(struct sim *sm)
{
	if (++sm->step_stmts > SC_MAX_STEP_STMTS)
		return limit_error(sm, SC_LIMIT_STEP_STMTS);
	if (++sm->run_stmts > SC_MAX_RUN_STMTS)
		return limit_error(sm, SC_LIMIT_RUN_STMTS);
	return 0;
}

/* Each handler that returns is again a return to user mode, one level
 * deeper in the runner: a handler that keeps raising its own signal would
 * nest without end, so the depth is bounded. */
static int return_to_user(struct sim *sm, int idx, int fault_sig, bool *handler_returned)
{
	int rc;

	if (sm->rtu_depth >= SIM_MAX_NESTING)
		return sim_error(sm, step_pos(sm),
				 "the scenario does not settle: task '%s' takes more than %d "
				 "signals in a row, each raised by the handler before it",
				 sm->s->tasks[idx].name, SIM_MAX_NESTING);
	sm->rtu_depth++;
	rc = return_to_user_nested(sm, idx, fault_sig, handler_returned);
	sm->rtu_depth--;
	return rc;
}

static int return_to_user_nested(struct sim *sm, int idx, int fault_sig, bool *handler_returned)
{
	int tid = sm->task_tid[idx];

	while (!sm->failed && !sm->unwinding && sl_task_has_work(sm->k, tid)) {
		struct sl_ksignal *frames = NULL;
		size_t n = 0, cap = 0;
		unsigned spins = 0;

		while (sl_task_has_work(sm->k, tid)) {
			struct sl_ksignal ks;
			enum sl_delivery d = sl_return_to_user(sm->k, tid, &ks);

			sim_flush(sm);
			if (d == SL_DELIVER_NONE && ++spins > 4) {
				free(frames);
				return sim_error(sm, sm->s->tasks[idx].pos,
						 "internal: task '%s' never settles",
						 sm->s->tasks[idx].name);
			}
			if (d != SL_DELIVER_HANDLER)
				continue;
			if (n == cap) {
				size_t ncap = cap ? cap * 2 : 4;
				struct sl_ksignal *nf = realloc(frames, ncap * sizeof *nf);

				if (!nf) {
					free(frames);
					return sim_error(sm, sm->s->tasks[idx].pos, "out of memory");
				}
				frames = nf;
				cap = ncap;
			}
			frames[n++] = ks;
		}
		/* ptrace: a signal-delivery-stop after frames were set up:
		 * their handlers run once the tracer resumes the task */
		if (n > 0 && held_by_tracer(sm, idx)) {
			if (stash_frames(sm, idx, frames, n) < 0) {
				free(frames);
				return -1;
			}
			n = 0;
		}
		/* The innermost frame runs first; once it returns, the frame
		 * under it resumes. */
		while (n > 0 && task_runs(sm, tid) && !sm->unwinding && !sm->failed) {
			enum handler_end end;
			const struct sl_ksignal *ks = &frames[--n];

			if (run_handler(sm, idx, ks, &end) < 0)
				break;
			if (end == END_RETURNED && ks->sig == fault_sig && handler_returned)
				*handler_returned = true;
			if (end == END_STOPPED || (end == END_RETURNED && held_by_tracer(sm, idx))) {
				/* ptrace: stopped in the rt_sigreturn of this
				 * handler or of one it let in; the frames
				 * below wait */
				if (stash_frames(sm, idx, frames, n) < 0)
					break;
				n = 0;
				break;
			}
			if (end != END_RETURNED)
				break;
			/* rt_sigreturn returns to user mode: what is deliverable
			 * now is delivered on top of the frame below. */
			if (return_to_user(sm, idx, 0, NULL) < 0)
				break;
			if (held_by_tracer(sm, idx)) {
				if (stash_frames(sm, idx, frames, n) < 0)
					break;
				n = 0;
				break;
			}
		}
		free(frames);
		if (sm->unwinding && frames_of(sm, tid) == 0)
			sm->unwinding = false;
		if (!task_runs(sm, tid))
			break;
	}
	return sm->failed ? -1 : 0;
}

/* The handler's entry line: what the handler saw, at the depth of the
 * frames below its own. */
static void print_handler_entry(struct sim *sm, int idx, int tid, const struct sl_ksignal *ks)
{
	const char *pid_name;
	struct sl_event ev = { .kind = SL_EV_HANDLER, .tid = tid, .target = tid,
			       .sig = ks->sig, .info = ks->info, .ka = ks->ka };
	struct strbuf text = { 0 };
	size_t depth = frames_of(sm, tid);

	if (sm->opt.quiet)
		return;
	/* the controller is outside the scenario's pid namespace */
	if (ev.info.pid == sm->controller && ev.info.code <= 0)
		ev.info.pid = 0;
	pid_name = sc_task_name(&sm->names, ev.info.pid);
	sim_record_info(sm, idx, ks->sig, &ev.info,
			pid_name ? pid_name : ev.info.pid == 0 ? "0" : "?");
	sc_render_event(&text, sm->s, &sm->names, &ev);
	sim_event_line(sm, tid, depth ? (int)depth - 1 : 0, "handler", sb_str(&text));
	sb_free(&text);
}

static int run_handler(struct sim *sm, int idx, const struct sl_ksignal *ks, enum handler_end *end)
{
	const struct scenario *s = sm->s;
	struct task_record *rec = sim_rec_w(sm, idx);
	int tid = sm->task_tid[idx];
	uint64_t h = ks->ka.handler - SC_HANDLER_BASE;

	if (++sm->handler_runs > SC_MAX_STEP_HANDLER_RUNS)
		return limit_error(sm, SC_LIMIT_STEP_HANDLER_RUNS);
	if (ks->ka.handler < SC_HANDLER_BASE || h >= s->nhandlers)
		return sim_error(sm, s->tasks[idx].pos, "internal: unknown handler value");
	rec->handled[ks->sig]++;
	if (rec->norder < SC_MAX_ORDER)
		rec->order[rec->norder] = ks->sig;
	rec->norder++;
	print_handler_entry(sm, idx, tid, ks);
	for (size_t i = 0; i < s->handlers[h].nbody; i++) {
		if (exec_stmt(sm, idx, &s->handlers[h].body[i], false) < 0)
			return -1;
		if (sm->unwinding) {
			*end = END_JUMPED;
			return 0;
		}
		if (!task_runs(sm, tid))
			break;
	}
	if (!task_runs(sm, tid)) {
		struct sl_task_info ti;

		task_state(sm, tid, &ti);
		if (ti.state == SL_TASK_STOPPED || ti.state == SL_TASK_TRACED)
			return sim_error(sm, s->handlers[h].pos,
					 "task '%s' stopped inside handler '%s': resuming a handler "
					 "body after SIGCONT is not modelled",
					 s->tasks[idx].name, s->handlers[h].name);
		*end = END_DIED;
		return 0;
	}
	/* ptrace: rt_sigreturn is a system call: under PTRACE_SYSCALL it
	 * stops at its entry (seed 003's "119: sigreturn") */
	if (sl_syscall_enter(sm->k, tid) > 0) {
		sim_flush(sm);
		sim_rec_w(sm, idx)->sigreturn_stop = 1;
		sim_hold_mark(sm, idx);
		*end = END_STOPPED;
		return 0;
	}
	sl_sys_rt_sigreturn(sm->k, tid);
	sim_flush(sm);
	*end = END_RETURNED;
	if (sl_syscall_exit(sm->k, tid) > 0) {
		sim_flush(sm);
		sim_rec_w(sm, idx)->sigreturn_stop = 2;
		sim_hold_mark(sm, idx);
	}
	return 0;
}

/* ptrace: the tracer resumed a task it held with frames set up, or in a
 * handler's rt_sigreturn: the sigreturn is made (from its entry stop; it
 * may stop at its exit), the task goes back to user mode (new frames go
 * on top), then the frames that waited run, as return_to_user would have
 * run them.  What is still waiting when it stops again goes under the
 * frames that stop kept. */
static int resume_held(struct sim *sm, int idx)
{
	struct task_record *rec = sim_rec_w(sm, idx);
	int tid = sm->task_tid[idx];
	struct sl_ksignal *old = rec->rest;
	size_t nold = rec->nrest;
	int ret = 0;

	if (rec->sigreturn_stop == 1) {
		(void)sl_syscall_enter(sm->k, tid);	/* the stop's continuation */
		sl_sys_rt_sigreturn(sm->k, tid);
		sim_flush(sm);
		if (sl_syscall_exit(sm->k, tid) > 0) {
			sim_flush(sm);
			rec->sigreturn_stop = 2;
			sim_hold_mark(sm, idx);
			return 0;
		}
	}
	rec->sigreturn_stop = 0;
	rec->rest = NULL;
	rec->nrest = 0;
	if (return_to_user(sm, idx, 0, NULL) < 0) {
		ret = -1;
		goto out;
	}
	while (nold > 0 && !held_by_tracer(sm, idx) && task_runs(sm, tid) &&
	       !sm->unwinding && !sm->failed) {
		struct sl_ksignal ks = old[--nold];
		enum handler_end end;

		if (run_handler(sm, idx, &ks, &end) < 0) {
			ret = -1;
			goto out;
		}
		if (end != END_RETURNED || held_by_tracer(sm, idx))
			break;
		if (return_to_user(sm, idx, 0, NULL) < 0) {
			ret = -1;
			goto out;
		}
	}
	if (held_by_tracer(sm, idx))
		ret = stash_frames(sm, idx, old, nold);
out:
	free(old);
	return ret < 0 || sm->failed ? -1 : 0;
}

/* ---- statements ----------------------------------------------------------- */

/* A pid written as a number is one of the caller's pid namespace
 * (find_vpid): 0, -1 and pids naming nobody stay as written. */
static int literal_pid(const struct sim *sm, long num)
{
	int nr = num < -1 ? (int)-num : (int)num, tid;

	if (num == 0 || num == -1 || num < -SC_NOBODY_PID || num > SC_NOBODY_PID)
		return (int)num;
	tid = sl_find_vpid(sm->k, sm->caller, nr);
	if (!tid)
		return num < 0 ? -SC_NOBODY_PID : SC_NOBODY_PID;
	return num < 0 ? -tid : tid;
}

/* The pid a statement's target names; a task not created yet (forked
 * later) or gone is a pid that names nobody. */
int sim_target_pid(const struct sim *sm, const struct sc_target *t)
{
	struct sl_task_info ti;
	int tid;

	switch (t->kind) {
	case SC_TGT_TASK:
		return sm->task_tid[t->task] ? sm->task_tid[t->task] : SC_NOBODY_PID;
	case SC_TGT_PGRP:
		/* -NAME is the process group NAME leads: -(NAME's pid), as
		 * the host passes it, whether or not NAME still leads it. */
		tid = sm->task_tid[t->task];
		if (!tid)
			return -SC_NOBODY_PID;
		return sl_task_info(sm->k, tid, &ti) < 0 ? -tid : -ti.tgid;
	case SC_TGT_NUM:
		return literal_pid(sm, t->num);
	case SC_TGT_NOBODY:
	case SC_TGT_NONE:
		break;
	}
	return SC_NOBODY_PID;
}

/* A call's line: the step's own line, or a line under it (a call made in
 * a handler); `tail` follows the rendered call. */
static void print_call_line(struct sim *sm, int idx, const struct sc_stmt *st,
			    const struct sc_result *r, bool step_level, const char *tail)
{
	struct strbuf line = { 0 };

	if (sm->opt.quiet)
		return;
	sc_render_call(&line, sm->s, st, r);
	sb_add(&line, tail);
	if (step_level)
		sim_step_line(sm, idx, sb_str(&line));
	else
		sim_call_line(sm, sm->task_tid[idx], sb_str(&line));
	sb_free(&line);
	sim_flush(sm);
}

static void print_call(struct sim *sm, int idx, const struct sc_stmt *st,
		       const struct sc_result *r, bool step_level)
{
	print_call_line(sm, idx, st, r, step_level, "");
}

/* longjmp / siglongjmp: leave every handler frame of the task, back to
 * the statement it interrupted (the setjmp point is in the task's own
 * code, before the statement). */
static int sim_op_longjmp(struct sim *sm, int idx, const struct sc_stmt *st, bool step_level)
{
	int tid = sm->task_tid[idx];
	bool restore = st->op == SC_OP_SIGLONGJMP;
	size_t n = frames_of(sm, tid);

	if (n == 0)
		return sim_error(sm, st->pos, "%s outside a handler: there is no frame to leave",
				 restore ? "siglongjmp" : "longjmp");
	(void)step_level;
	while (n-- > 0)
		sl_user_longjmp(sm->k, tid, restore && n == 0);
	sim_flush(sm);
	sm->unwinding = true;
	return 0;
}

/* frame_mask SET: the handler rewrites its ucontext's uc_sigmask. */
static int sim_op_frame_mask(struct sim *sm, int idx, const struct sc_stmt *st, bool step_level)
{
	print_call(sm, idx, st, NULL, step_level);
	if (sl_user_set_frame_mask(sm->k, sm->task_tid[idx], st->mask) < 0)
		return sim_error(sm, st->pos, "frame_mask outside a handler: there is no frame");
	return 0;
}

static int sim_op_repeat(struct sim *sm, int idx, const struct sc_stmt *st, bool step_level)
{
	int tid = sm->task_tid[idx];

	print_call(sm, idx, st, NULL, step_level);
	for (long n = 0; n < st->num; n++) {
		for (size_t i = 0; i < st->nbody; i++) {
			if (exec_stmt(sm, idx, &st->body[i], false) < 0)
				return -1;
			if (sm->unwinding || !task_runs(sm, tid))
				return 0;
		}
	}
	return 0;
}

/* A fault whose handler returns runs the faulting instruction again, as
 * the hardware does; the handler must leave by longjmp (or exit). */
/* The address an access to an unmapped page faults at: addr=, or the
 * one the host's agent touches; other faults carry none here. */
static uint64_t fault_addr(const struct sc_stmt *st)
{
	if (st->sig != SL_SIGSEGV || st->code != SL_SEGV_MAPERR)
		return 0;
	return st->has_addr ? st->value : SC_FAULT_ADDR;
}

static int sim_op_fault(struct sim *sm, int idx, const struct sc_stmt *st, bool step_level)
{
	int tid = sm->task_tid[idx];

	for (int n = 0; n < SIM_MAX_REFAULTS; n++) {
		struct sc_result r;
		bool again = false;

		memset(&r, 0, sizeof r);
		r.ret = sl_fault(sm->k, tid, st->sig, st->code, fault_addr(st));
		print_call(sm, idx, st, &r, step_level && n == 0);
		if (return_to_user(sm, idx, st->sig, &again) < 0)
			return -1;
		if (!again || sm->unwinding || !task_runs(sm, tid))
			return 0;
		step_level = false;
	}
	return sim_error(sm, st->pos,
			 "the fault handler keeps returning, and the faulting instruction runs "
			 "again forever (a handler for a fault must longjmp or exit)");
}

/* spin: the task burns CPU time in user mode, and the clock moves with
 * it.  It runs until the next thing that can happen on the way (a CPU
 * limit, a timer's expiry), lets every task take what came (a handler
 * runs in the middle of the spin, as it interrupts the loop on Linux),
 * and goes on with what is left, until the time is used or the task no
 * longer runs.  A spin stands only as a step: a handler's spin would
 * nest clocks. */
static int sim_op_spin(struct sim *sm, int idx, const struct sc_stmt *st, bool step_level)
{
	int tid = sm->task_tid[idx];
	sl_time left = st->dur;
	unsigned stalls = 0;

	print_call(sm, idx, st, NULL, step_level);
	if (!step_level)
		return sim_error(sm, st->pos, "spin stands only as a step, not in a handler or a repeat");
	while (left > 0 && !sm->failed && task_runs(sm, tid)) {
		sl_time chunk = left, next = sl_clock_next_event(sm->k), now = sl_clock_now(sm->k);
		sl_time ran;

		if (next >= 0 && next - now < chunk)
			chunk = next > now ? next - now : 0;
		ran = sl_cpu_run(sm->k, tid, chunk);
		if (ran < 0)
			break;
		/* each stop without CPU time fires a limit or a timer, which
		 * moves on; a long run of them is a bug */
		if (ran == 0 && ++stalls > 1000)
			return sim_error(sm, st->pos, "internal: spin makes no progress");
		sl_clock_advance(sm->k, ran);
		left -= ran;
		if (sim_settle(sm, idx) < 0)
			return -1;
	}
	return 0;
}

static int sim_op_log(struct sim *sm, int idx, const struct sc_stmt *st, bool step_level)
{
	print_call(sm, idx, st, NULL, step_level);
	return 0;
}

/* The model's semantics of each statement, the SIM column of
 * scenario/stmt_table.def, by its kind: the engine call of a system call
 * or a kernel function, the action of a user-mode statement (here), the
 * step of a clock statement. */
typedef void sim_call_fn(struct sim *sm, int tid, const struct sc_stmt *st,
			 struct sc_result *r);
typedef int sim_action_fn(struct sim *sm, int idx, const struct sc_stmt *st, bool step_level);
typedef int sim_clock_fn(struct sim *sm, const struct sc_step *step);
struct sim_op {
	sim_call_fn *call;
	sim_action_fn *action;
	sim_clock_fn *clock;
};
#define SIM_CALL(fn) { .call = fn }
#define SIM_KERNEL(fn) { .call = fn }
#define SIM_USER(fn) { .action = fn }
#define SIM_CLOCK(fn) { .clock = fn }
static const struct sim_op sim_ops[SC_OP_COUNT] = {
#define SC_STMT(op, keyword, name, kind, flags, synopsis, parse, call, result, sim, ...) \
	[SC_OP_##op] = SIM_##kind(sim),
#include "scenario/stmt_table.def"
};

/* Performs a system call or kernel function statement; the result goes in
 * *r. */
static void do_syscall(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	memset(r, 0, sizeof *r);
	sm->caller = tid;
	if (!sim_uaccess_enter(st, r))
		return;
	sim_ops[st->op].call(sm, tid, st, r);
	if (r->ret != SL_SYSCALL_BLOCKED)
		sim_uaccess_exit(st, r);
}

/* Whether a statement is a system call a tracer's PTRACE_SYSCALL sees:
 * not the user-mode actions, the clock's steps or a kernel thread's call. */
static bool traced_syscall(enum sc_op op)
{
	return sc_stmt_info(op)->kind == SC_KIND_CALL;
}

void sim_record_result(struct sim *sm, int idx, const struct sc_stmt *st,
		       const struct sc_result *r)
{
	struct task_record *rec = sim_rec_w(sm, idx);

	rec->last_result[st->op] = r->ret;
	rec->called[st->op] = true;
	rec->last_pid[st->op] = r->pid_name;
	if (st->op == SC_OP_SIGPENDING)
		rec->last_result[st->op] = (long)r->set;
	if (r->has_info && r->ret > 0)
		sim_record_info(sm, idx, r->info.signo, &r->info, r->info_pid_name);
}

void sim_record_info(struct sim *sm, int idx, int sig, const struct sl_siginfo *si,
		     const char *pid_name)
{
	struct task_record *rec;

	if (sig < 1 || sig > SL_NSIG)
		return;
	rec = sim_rec_w(sm, idx);
	rec->info[sig] = *si;
	rec->info_pid[sig] = pid_name;
	rec->got_info[sig] = true;
}

/* The line of a fork that copy_process refused to begin because a signal
 * was pending (-ERESTARTNOINTR): no result, user space never sees it. */
static void print_fork_restart(struct sim *sm, int idx, const struct sc_stmt *st,
			       bool step_level)
{
	print_call_line(sm, idx, st, NULL, step_level, " = ERESTARTNOINTR (restarted)");
}

static bool fork_restarts(const struct sc_stmt *st, long ret)
{
	return (st->op == SC_OP_FORK || st->op == SC_OP_CLONE) && ret == -SL_ERESTARTNOINTR;
}

/* A traced call (ptrace): the syscall-enter-stop came first; once the
 * tracer resumed the task, the call is made (its line printed then) and
 * the syscall-exit-stop may follow.  Calls made as steps stop, and a
 * handler's rt_sigreturn (run_handler).
 * UNMODELED(syscall-stops of calls in handler bodies and of calls that
 * block: they run without stopping). */
static int run_traced_call(struct sim *sm, int idx, const struct sc_stmt *st)
{
	int tid = sm->task_tid[idx];
	struct sc_result r;
	struct strbuf line = { 0 };

	sim_rec_w(sm, idx)->traced_call = NULL;
	if (sl_syscall_enter(sm->k, tid) < 0)
		return return_to_user(sm, idx, 0, NULL);	/* skipped: a fatal signal */
	do_syscall(sm, tid, st, &r);
	if (fork_restarts(st, r.ret)) {
		print_fork_restart(sm, idx, st, false);
		sl_syscall_exit(sm->k, tid);
		sim_flush(sm);
		return return_to_user(sm, idx, 0, NULL);
	}
	if (r.ret == SL_SYSCALL_BLOCKED) {
		r.blocked = true;
		sim_rec_w(sm, idx)->blocked = st;
	} else {
		sim_record_result(sm, idx, st, &r);
	}
	if (!sm->opt.quiet)
		sc_render_call(&line, sm->s, st, &r);
	sim_call_line(sm, tid, sb_str(&line));
	sb_free(&line);
	sim_flush(sm);
	/* exit and exit_group never come back to a syscall-exit-stop */
	if (!r.blocked && !(sc_stmt_info(st->op)->flags & SC_NORETURN))
		sl_syscall_exit(sm->k, tid);
	sim_flush(sm);
	return return_to_user(sm, idx, 0, NULL);
}

/* The signal is taken, then the fork runs again (kernel/fork.c
 * copy_process's first signal check).  UNMODELED(a restarted fork whose
 * task stops or leaves by longjmp on the way, such as at a ptrace
 * signal-delivery-stop, is not made again). */
static int restart_fork(struct sim *sm, int idx, const struct sc_stmt *st, bool step_level)
{
	print_fork_restart(sm, idx, st, step_level);
	if (return_to_user(sm, idx, 0, NULL) < 0)
		return -1;
	if (sm->unwinding || !task_runs(sm, sm->task_tid[idx]))
		return 0;
	if (++sm->fork_restarts > SIM_MAX_REFAULTS)
		return sim_error(sm, st->pos, "the fork restarts more than %d times",
				 SIM_MAX_REFAULTS);
	return exec_stmt(sm, idx, st, step_level);
}

static int exec_stmt(struct sim *sm, int idx, const struct sc_stmt *st, bool step_level)
{
	struct sc_result r;
	int tid = sm->task_tid[idx];
	struct sl_task_info ti;

	if (!step_level && count_body_stmt(sm) < 0)
		return -1;
	/* ptrace: a traced step stops at its syscall entry first */
	if (step_level && traced_syscall(st->op) && sl_task_info(sm->k, tid, &ti) == 0 &&
	    ti.tracer) {
		int e = sl_syscall_enter(sm->k, tid);

		if (e != 0) {
			memset(&r, 0, sizeof r);
			r.blocked = true;
			print_call(sm, idx, st, &r, step_level);
			if (e > 0) {
				sim_rec_w(sm, idx)->traced_call = st;
				sim_hold_mark(sm, idx);
			}
			return return_to_user(sm, idx, 0, NULL);
		}
	}
	if (sim_ops[st->op].action)
		return sim_ops[st->op].action(sm, idx, st, step_level);
	do_syscall(sm, tid, st, &r);
	if (fork_restarts(st, r.ret))
		return restart_fork(sm, idx, st, step_level);
	if (r.ret == SL_SYSCALL_BLOCKED) {
		/* The value comes later, as its own line (sim_syscall_return). */
		r.blocked = true;
		sim_rec_w(sm, idx)->blocked = st;
		print_call(sm, idx, st, &r, step_level);
		if (!step_level && !task_runs(sm, tid))
			return sim_error(sm, st->pos, "'%s' blocks inside a handler or repeat "
					 "body, which is not modelled: make it a step",
					 sc_op_name(st->op));
		return return_to_user(sm, idx, 0, NULL);
	}
	print_call(sm, idx, st, &r, step_level);
	sim_record_result(sm, idx, st, &r);
	/* ptrace: the syscall-exit-stop of a traced step */
	if (step_level && traced_syscall(st->op) && sl_task_info(sm->k, tid, &ti) == 0 &&
	    ti.tracer) {
		sl_syscall_exit(sm->k, tid);
		sim_flush(sm);
	}
	return return_to_user(sm, idx, 0, NULL);
}

/* ---- steps ------------------------------------------------------------------ */

/* After a step every task acts on its signals: the stepping task first,
 * then all in declaration order, until none has anything left. */
/* The runner holds task idx with something to run (a ptrace stop's
 * frames, a handler's sigreturn stop, a traced call). */
static bool held_task(const struct sim *sm, int idx)
{
	const struct task_record *rec = &sm->rec[idx];

	return rec->sigreturn_stop || rec->nrest || rec->traced_call;
}

/* The first held task after index cur; stale bits are dropped. */
static int next_held(struct sim *sm, int cur)
{
	size_t nwords = sm->s->ntasks / 64 + 1;

	for (size_t i = (size_t)(cur + 1); i / 64 < nwords; i++) {
		uint64_t bits = sm->held_map[i / 64] & (~(uint64_t)0 << (i % 64));

		if (!bits) {
			i = (i / 64 + 1) * 64 - 1;
			continue;
		}
		i = (i / 64) * 64 + (size_t)__builtin_ctzll(bits);
		if (i >= sm->s->ntasks)
			break;
		if (held_task(sm, (int)i))
			return (int)i;
		sm->held_map[i / 64] &= ~((uint64_t)1 << (i % 64));
	}
	return -1;
}

/* The first scenario task after index cur (-1: from the start) that the
 * engine says has work, in declaration order (tids_ordered), or -1. */
static int next_with_work(struct sim *sm, int cur)
{
	int tid = cur < 0 ? 0 : sm->task_tid[cur];

	while ((tid = sl_next_task_with_work(sm->k, tid)) > 0) {
		int idx = (size_t)tid < sm->ntids ? sm->tid_task[tid] : -1;

		if (idx > cur && !sm->rec[idx].fork_step)
			return idx;
	}
	return -1;
}

/* The next task a settling round visits after index cur: one with work or
 * one the runner holds, whichever comes first; -1 when none. */
static int next_to_settle(struct sim *sm, int cur)
{
	int w = next_with_work(sm, cur), h = next_held(sm, cur);

	if (w < 0)
		return h;
	return h < 0 || w < h ? w : h;
}

/* The scenario tasks with work, in declaration order, into idx (room for
 * every task); their number. */
static size_t tasks_with_work(struct sim *sm, int *idx)
{
	size_t n = 0;

	if (sm->tids_ordered) {
		for (int i = next_with_work(sm, -1); i >= 0; i = next_with_work(sm, i))
			idx[n++] = i;
		return n;
	}
	for (size_t i = 0; i < sm->s->ntasks; i++)
		if (sm->task_tid[i] && !sm->rec[i].fork_step &&
		    sl_task_has_work(sm->k, sm->task_tid[i]))
			idx[n++] = (int)i;
	return n;
}

/* A task the step ran, for the invariant checker (step_check). */
static void note_touched(struct sim *sm, int idx)
{
	if (sm->ntouched < SIM_TOUCHED_MAX)
		sm->touched[sm->ntouched] = idx;
	sm->ntouched++;
}

/* explore's settling: while tasks have work, the chooser says which of
 * them returns to user mode next (one with work goes without asking).
 * A task's return to user mode, with every handler it runs, is one move.
 * UNMODELED(interleavings inside handler bodies: two tasks' handlers do
 * not alternate statement by statement in explore). */
static int settle_chosen(struct sim *sm)
{
	int *idx = malloc((sm->s->ntasks + 1) * sizeof *idx);

	if (!idx)
		return sim_error(sm, (struct sc_pos){ 1, 1 }, "out of memory");
	for (unsigned rounds = 0; !sm->failed; rounds++) {
		size_t n = 0;
		int pick = 0;

		if (rounds > 1000000) {
			sim_error(sm, sm->s->steps[sm->step - 1].stmt.pos, "the scenario does not settle");
			break;
		}
		n = tasks_with_work(sm, idx);
		if (n == 0)
			break;
		if (n > 1)
			pick = sm->settle_pick(sm->pick_ud, sm, idx, n);
		if (pick < 0 || (size_t)pick >= n) {
			sm->halted = true;
			sm->failed = true;
			break;
		}
		if (return_to_user(sm, idx[pick], 0, NULL) < 0)
			break;
		sm->unwinding = false;
	}
	free(idx);
	return sm->failed ? -1 : 0;
}

/* One task's turn in a settling round: a task the tracer let go runs
 * what it was held with, a traced call goes on, a task with work returns
 * to user mode.  1 when it ran, 0 when it had nothing to do, -1. */
static int settle_one(struct sim *sm, int idx)
{
	if ((sm->rec[idx].sigreturn_stop || sm->rec[idx].nrest) &&
	    task_runs(sm, sm->task_tid[idx])) {
		note_touched(sm, idx);
		return resume_held(sm, idx) < 0 ? -1 : 1;
	}
	if (sm->rec[idx].traced_call && task_runs(sm, sm->task_tid[idx])) {
		note_touched(sm, idx);
		return run_traced_call(sm, idx, sm->rec[idx].traced_call) < 0 ? -1 : 1;
	}
	if (sm->rec[idx].fork_step || !sl_task_has_work(sm->k, sm->task_tid[idx]))
		return 0;
	note_touched(sm, idx);
	if (return_to_user(sm, idx, 0, NULL) < 0)
		return -1;
	sm->unwinding = false;
	return 1;
}

/* After a step every task acts on its signals: the stepping task first,
 * then all in declaration order, until none has anything left.  While
 * tids follow the declaration order, a round visits only the tasks with
 * work and the held ones (next_to_settle), in that same order: the cost
 * of settling follows them, not the number of tasks. */
int sim_settle(struct sim *sm, int first)
{
	bool progress = true;

	if (sm->settle_pick)
		return settle_chosen(sm);

	for (unsigned rounds = 0; progress && !sm->failed; rounds++) {
		int r = 0;

		progress = false;
		if (rounds > 1000000)
			return sim_error(sm, sm->s->steps[sm->step - 1].stmt.pos,
					 "the scenario does not settle");
		if (first >= 0 && (r = settle_one(sm, first)) < 0)
			return -1;
		progress |= r > 0;
		if (sm->tids_ordered) {
			for (int i = next_to_settle(sm, -1); i >= 0; i = next_to_settle(sm, i)) {
				if ((r = settle_one(sm, i)) < 0)
					return -1;
				progress |= r > 0;
			}
			continue;
		}
		for (int i = 0; i < (int)sm->s->ntasks; i++) {
			if ((r = settle_one(sm, i)) < 0)
				return -1;
			progress |= r > 0;
		}
	}
	return sm->failed ? -1 : 0;
}

/* The hidden init (pid 1 when the scenario declares none) is a real
 * init: it waits for every child it has, as systemd or the host's
 * siglab-init do, so an orphan reparented to it (forget_original_parent)
 * does not stay a zombie: wait4(-1, WNOHANG|__WALL) until none is left. */
static void hidden_init_reaps(struct sim *sm)
{
	int status;

	if (sm->has_init)
		return;
	for (int n = 0; n < 1024; n++)
		if (sl_sys_wait4(sm->k, sm->scen_init ? sm->scen_init : 1, -1, &status,
				 SL_WNOHANG | SL___WALL) <= 0)
			break;
}

/* The invariant checker after a step.  Up to SIM_CHECK_FULL_TASKS tasks
 * (every test scenario) it reads the whole kernel after every step.  A
 * larger run checks, after each step, the stepping task and every task
 * the step ran (sl_check_task: their own invariants, their process, their
 * place on the work set), and the whole kernel every tasks /
 * SIM_CHECK_TASKS_PER_STEP steps, at the end of the run, and after any
 * step that ran more than SIM_TOUCHED_MAX tasks: the whole-kernel check
 * costs about SIM_CHECK_TASKS_PER_STEP tasks' worth per step, whatever
 * the size, and a broken invariant is still found within that many steps. */
static int step_check(struct sim *sm, const struct sc_step *step, const char **what)
{
	size_t n = sm->s->ntasks, period = n / SIM_CHECK_TASKS_PER_STEP;
	size_t touched = sm->ntouched;

	sm->ntouched = 0;
	if (n <= SIM_CHECK_FULL_TASKS || touched > SIM_TOUCHED_MAX ||
	    ++sm->steps_since_full_check >= period) {
		sm->steps_since_full_check = 0;
		return sl_check(sm->k, what);
	}
	if (step->task >= 0 && sl_check_task(sm->k, sm->task_tid[step->task], what) < 0)
		return -1;
	for (size_t i = 0; i < touched; i++)
		if (sl_check_task(sm->k, sm->task_tid[sm->touched[i]], what) < 0)
			return -1;
	return 0;
}

/* After a step's call: the system settles, and the invariant checker
 * runs (step_check). */
static int step_end(struct sim *sm, const struct sc_step *step)
{
	const char *what = NULL;

	sm->unwinding = false;
	if (sim_settle(sm, step->task) < 0)
		return -1;
	hidden_init_reaps(sm);
	if (!sm->opt.check_states && step_check(sm, step, &what) < 0)
		return sim_error(sm, step->stmt.pos, "internal: engine invariant broken: %s",
				 what ? what : "?");
	return 0;
}

int sim_step(struct sim *sm, const struct sc_step *step)
{
	int tid;
	struct sl_task_info ti;

	sm->handler_runs = 0;
	sm->step_stmts = 0;
	sm->fork_restarts = 0;
	if (step->task < 0) {
		/* the clock's step: a timer may kill an orphan of init */
		if (sim_ops[step->stmt.op].clock(sm, step) < 0)
			return -1;
		hidden_init_reaps(sm);
		return 0;
	}
	tid = sm->task_tid[step->task];
	task_state(sm, tid, &ti);
	if (ti.state != SL_TASK_RUNNING)
		return sim_error(sm, step->stmt.pos,
				 "task '%s' is %s: a step needs a task that can run it",
				 sm->s->tasks[step->task].name, sim_task_state_name(ti.state));
	if (exec_stmt(sm, step->task, &step->stmt, true) < 0)
		return -1;
	return step_end(sm, step);
}

int sim_fork_begin(struct sim *sm, const struct sc_step *step)
{
	const struct sc_stmt *st = &step->stmt;
	int idx = step->task, tid = sm->task_tid[idx];
	struct sc_result r;

	memset(&r, 0, sizeof r);
	sm->handler_runs = 0;
	sm->step_stmts = 0;
	sm->fork_restarts = 0;
	if (st->op == SC_OP_FORK)
		r.ret = sl_sys_clone_begin(sm->k, tid, 0, SL_SIGCHLD);
	else
		r.ret = sl_sys_clone_begin(sm->k, tid, (unsigned)st->flags, st->sig);
	if (r.ret == 0) {
		sim_rec_w(sm, idx)->fork_stage = 2;
		return 0;
	}
	sim_rec_w(sm, idx)->fork_step = NULL;
	sim_rec_w(sm, idx)->fork_stage = 0;
	if (r.ret == -SL_ERESTARTNOINTR) {
		print_fork_restart(sm, idx, st, true);
	} else {
		print_call(sm, idx, st, &r, true);
		sim_record_result(sm, idx, st, &r);
	}
	if (return_to_user(sm, idx, 0, NULL) < 0 || step_end(sm, step) < 0)
		return -1;
	return r.ret == -SL_ERESTARTNOINTR ? 2 : 1;
}

int sim_fork_finish(struct sim *sm, const struct sc_step *step)
{
	int idx = step->task;
	struct sc_result r;

	memset(&r, 0, sizeof r);
	sm->handler_runs = 0;
	sm->step_stmts = 0;
	sm->fork_restarts = 0;
	sim_rec_w(sm, idx)->fork_step = NULL;
	sim_rec_w(sm, idx)->fork_stage = 0;
	r.ret = sl_sys_clone_finish(sm->k, sm->task_tid[idx]);
	sim_fork_result(sm, &step->stmt, &r);
	print_call(sm, idx, &step->stmt, &r, true);
	sim_record_result(sm, idx, &step->stmt, &r);
	if (return_to_user(sm, idx, 0, NULL) < 0)
		return -1;
	return step_end(sm, step);
}

void sim_final(struct sim *sm)
{
	if (sm->opt.quiet)
		return;
	if (sm->opt.json)
		sb_add(&sm->out, "{\"final\":true}\n");
	else
		sb_add(&sm->out, "final\n");
	for (size_t i = 0; i < sm->s->ntasks; i++) {
		struct sl_task_info ti;
		struct strbuf st = { 0 };

		task_state(sm, sm->task_tid[i], &ti);
		if (sm->task_tid[i])
			sc_render_final(&st, &ti);
		else
			sb_add(&st, "not forked");
		if (sm->opt.json) {
			sb_add(&sm->out, "{\"task\":");
			sb_add_json_string(&sm->out, sm->s->tasks[i].name);
			sb_add(&sm->out, ",\"final\":");
			sb_add_json_string(&sm->out, sb_str(&st));
			sc_final_json(&sm->out, sb_str(&st));
			sb_add(&sm->out, "}\n");
		} else {
			sb_addf(&sm->out, "    %-6s %s\n", sm->s->tasks[i].name, sb_str(&st));
		}
		sb_free(&st);
	}
}
