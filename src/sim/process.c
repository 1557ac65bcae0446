/* The sim runner's process statements: fork and clone bring a
 * declared `forked` task into existence (its name is known from then on),
 * wait4/waitid report statuses, and pids in results become task names. */
#include <stdlib.h>
#include <string.h>

#include "sim/simstate.h"

/* The scenario task a pid names, for results; the controller is outside
 * the scenario (on the host, outside its pid namespace) and reads as 0. */
static const char *pid_name(struct sim *sm, long *pid)
{
	if (*pid == sm->controller)
		*pid = 0;
	if (*pid <= 0 || *pid > 0x7fffffff)
		return NULL;
	return sc_task_name(&sm->names, (int)*pid);
}

/* A task created during the run gets its name in the tid tables. */
static int register_task(struct sim *sm, int idx, int tid)
{
	if ((size_t)tid >= sm->ntids) {
		size_t n = (size_t)tid + 16;
		int *tt = realloc(sm->tid_task, n * sizeof *tt);
		const char **nm;

		if (!tt)
			return -1;
		sm->tid_task = tt;
		nm = realloc(sm->name_of, n * sizeof *nm);
		if (!nm)
			return -1;
		sm->name_of = nm;
		for (size_t i = sm->ntids; i < n; i++) {
			sm->tid_task[i] = -1;
			sm->name_of[i] = NULL;
		}
		sm->ntids = n;
		sm->names.names = sm->name_of;
		sm->names.ntids = n;
	}
	sm->task_tid[idx] = tid;
	sm->tid_task[tid] = idx;
	/* tids only grow: the order holds while tasks appear in index order */
	if (idx < sm->last_tid_idx)
		sm->tids_ordered = false;
	else
		sm->last_tid_idx = idx;
	sm->name_of[tid] = sm->s->tasks[idx].name;
	return 0;
}

void sim_fork_result(struct sim *sm, const struct sc_stmt *st, struct sc_result *r)
{
	int child = st->target.task;

	if (r->ret > 0 && register_task(sm, child, (int)r->ret) < 0)
		sim_error(sm, st->pos, "out of memory");
	r->pid_name = r->ret > 0 ? sm->s->tasks[child].name : NULL;
}

void sim_op_fork(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	int child = st->target.task;

	if (sm->task_tid[child]) {
		sim_error(sm, st->pos, "task '%s' was already forked", sm->s->tasks[child].name);
		r->ret = -SL_EINVAL;
		return;
	}
	if (st->op == SC_OP_FORK)
		r->ret = sl_sys_fork(sm->k, tid);
	else
		r->ret = sl_sys_clone(sm->k, tid, (unsigned)st->flags, st->sig);
	sim_fork_result(sm, st, r);
}

/* The fork window, in explore only (`run` keeps a fork step whole): a
 * fork step is three moves.  It enters the call; copy_process begins
 * (a signal that came in between makes it restart); other par steps may
 * run before it finishes (kernel/fork.c copy_process).
 * UNMODELED(the fork window of a traced task's fork and of a fork in a
 * handler body: they stay one move). */
bool sim_par_enters_fork(const struct sim *sm, size_t i)
{
	const struct sc_step *step = &sm->s->steps[i];
	struct sl_task_info ti;
	int tid;

	if (!sm->step_pick || step->task < 0 || sm->rec[step->task].fork_step)
		return false;
	if (step->stmt.op != SC_OP_FORK && step->stmt.op != SC_OP_CLONE)
		return false;
	tid = sm->task_tid[step->task];
	if (sm->task_tid[step->stmt.target.task] || sl_task_info(sm->k, tid, &ti) < 0)
		return false;
	return ti.tracer == 0;
}

const char *sim_par_move_name(const struct sim *sm, size_t i)
{
	const struct sc_step *step = &sm->s->steps[i];

	if (step->task >= 0 && sm->rec[step->task].fork_step == step)
		return sm->rec[step->task].fork_stage == 1 ? " begins" : "";
	return sim_par_enters_fork(sm, i) ? " enters" : "";
}

void sim_fork_enter(struct sim *sm, const struct sc_step *step)
{
	struct sc_result r = { .blocked = true };
	struct strbuf line = { 0 };

	sim_rec_w(sm, step->task)->fork_step = step;
	sim_rec_w(sm, step->task)->fork_stage = 1;
	if (!sm->opt.quiet)
		sc_render_call(&line, sm->s, &step->stmt, &r);
	sim_step_line(sm, step->task, sb_str(&line));
	sb_free(&line);
	sim_flush(sm);
}

void sim_op_wait4(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	int status = 0;

	r->ret = sl_sys_wait4(sm->k, tid, sim_target_pid(sm, &st->target), &status,
			      (unsigned)st->flags);
	if (r->ret == SL_SYSCALL_BLOCKED)
		return;		/* asleep: the value comes as an event */
	r->status = status;
	r->pid_name = pid_name(sm, &r->ret);
}

static void take_waitid_info(struct sim *sm, struct sc_result *r, const struct sl_siginfo *info)
{
	long pid = info->pid;

	r->wcode = info->pid ? info->code : 0;
	r->wstatus = info->status;
	r->wpid_name = pid_name(sm, &pid);
}

void sim_op_waitid(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	struct sl_siginfo info;
	int id = st->how == SL_P_ALL ? 0 : sim_target_pid(sm, &st->target);

	memset(&info, 0, sizeof info);
	if (st->prefill)
		info = (struct sl_siginfo){ .signo = SL_SIGUSR1, .code = SL_CLD_EXITED,
					    .pid = 99999, .status = 77 };
	r->ret = sl_sys_waitid(sm->k, tid, st->how, id, &info, (unsigned)st->flags);
	if (r->ret == SL_SYSCALL_BLOCKED)
		return;
	if (r->ret < 0) {
		/* a failure shows whether the prefilled siginfo was written */
		r->wstatus = info.signo != 0 || info.pid != 0;
		return;
	}
	take_waitid_info(sm, r, &info);
}

/* A wait that slept returns: its value and status ride on the event. */
void sim_proc_return(struct sim *sm, const struct sc_stmt *st, const struct sl_event *ev,
		     struct sc_result *r)
{
	if (st->op == SC_OP_WAIT4) {
		r->status = (int)ev->info.value;
		r->pid_name = pid_name(sm, &r->ret);
	} else if (st->op == SC_OP_WAITID && ev->ret >= 0) {
		take_waitid_info(sm, r, &ev->info);
	}
}

/* GETSIGMASK, SETSIGMASK (addr: the size of a sigset) and PEEKSIGINFO
 * (addr: its arguments; data: room for the siginfo). */
static void ptrace_sigmask_peek(struct sim *sm, int tid, int pid, const struct sc_stmt *st,
				struct sc_result *r)
{
	struct sl_peeksiginfo_args arg = { st->peek_off, (uint32_t)st->flags, st->peek_nr };

	if (st->how != SL_PTRACE_PEEKSIGINFO) {
		r->set = st->mask;
		r->ret = sl_sys_ptrace(sm->k, tid, st->how, pid, sizeof(sl_sigset),
				       (uint64_t)(uintptr_t)&r->set);
		return;
	}
	r->ret = sl_sys_ptrace(sm->k, tid, st->how, pid, (uint64_t)(uintptr_t)&arg,
			       (uint64_t)(uintptr_t)r->peek);
	for (long i = 0; i < r->ret && i < SC_MAX_PEEK; i++) {
		long p = r->peek[i].pid;

		r->peek_pid_name[i] = pid_name(sm, &p);
	}
}

void sim_op_ptrace(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	struct sl_siginfo info;
	uint64_t data = st->how == SL_PTRACE_SEIZE || st->how == SL_PTRACE_SETOPTIONS
				? st->flags : (uint64_t)(unsigned)st->sig;
	int pid = st->how == SL_PTRACE_TRACEME ? 0 : sim_target_pid(sm, &st->target);

	memset(&info, 0, sizeof info);
	if (st->how == SL_PTRACE_GETSIGINFO)
		data = (uint64_t)(uintptr_t)&info;
	if (st->how == SL_PTRACE_GETSIGMASK || st->how == SL_PTRACE_SETSIGMASK ||
	    st->how == SL_PTRACE_PEEKSIGINFO) {
		ptrace_sigmask_peek(sm, tid, pid, st, r);
		return;
	}
	if (st->how == SL_PTRACE_SETSIGINFO) {
		struct sl_task_info ti;

		/* the siginfo a tracer writes: the tracer as sender */
		sl_task_info(sm->k, tid, &ti);
		info = (struct sl_siginfo){ .signo = st->sig, .value = st->value,
					    .code = st->has_code ? st->code : SL_SI_USER,
					    .pid = ti.tgid, .uid = ti.uid };
		data = (uint64_t)(uintptr_t)&info;
	}
	r->ret = sl_sys_ptrace(sm->k, tid, st->how, pid, 0, data);
	if (st->how == SL_PTRACE_GETSIGINFO && r->ret == 0) {
		long p = info.pid;

		r->has_info = true;
		r->info = info;
		r->info_pid_name = pid_name(sm, &p);
	}
}

void sim_op_execve(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	(void)st;
	r->ret = sl_sys_execve(sm->k, tid);
}

void sim_op_setpgid(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	r->ret = sl_sys_setpgid(sm->k, tid, sim_target_pid(sm, &st->target),
				sim_target_pid(sm, &st->target2));
}

void sim_op_getpgid(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	r->ret = sl_sys_getpgid(sm->k, tid, sim_target_pid(sm, &st->target));
	r->pid_name = pid_name(sm, &r->ret);
}

void sim_op_getsid(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	r->ret = sl_sys_getsid(sm->k, tid, sim_target_pid(sm, &st->target));
	r->pid_name = pid_name(sm, &r->ret);
}

void sim_op_setsid(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	(void)st;
	r->ret = sl_sys_setsid(sm->k, tid);
	r->pid_name = pid_name(sm, &r->ret);
}

/* The controller, outside the scenario, reads as 0. */
void sim_op_getppid(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	(void)st;
	r->ret = sl_sys_getppid(sm->k, tid);
	r->pid_name = pid_name(sm, &r->ret);
}

void sim_op_prctl(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	r->ret = sl_sys_prctl(sm->k, tid, st->how,
			      st->how == SL_PR_SET_PDEATHSIG ? (unsigned long)st->sig
							     : (unsigned long)st->num, &r->status);
}

void sim_op_setuid(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	r->ret = sl_sys_setuid(sm->k, tid, st->uids[0]);
}

void sim_op_setreuid(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	r->ret = sl_sys_setreuid(sm->k, tid, st->uids[0], st->uids[1]);
}

void sim_op_setresuid(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	r->ret = sl_sys_setresuid(sm->k, tid, st->uids[0], st->uids[1], st->uids[2]);
}

void sim_op_getresuid(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	(void)st;
	r->ret = sl_sys_getresuid(sm->k, tid, &r->uids[0], &r->uids[1], &r->uids[2]);
}
