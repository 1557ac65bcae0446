/* The sim runner's statements of sleeping, waiting and time (issue 4):
 * each is one engine call; a call that blocks prints "..." and its value
 * arrives later as a line of its own (sim_syscall_return).  `advance`
 * moves the virtual clock expiry by expiry, the system settling after
 * each, as tasks would run between two timer interrupts.  `wake_up` is a
 * device's interrupt: the condition of every wait_event on the queue
 * becomes true and its sleepers wake. */
#include <string.h>

#include "sim/simstate.h"

/* Where a task's alternate stack lives in the model's address space. */
static uint64_t altstack_base(int tid)
{
	return (uint64_t)tid << 32;
}

static int pipe_id(struct sim *sm, int pipe)
{
	while (sm->npipes_made <= (size_t)pipe) {
		if (sl_pipe_create(sm->k) < 0)
			return -1;
		sm->npipes_made++;
	}
	return pipe;
}

static const char *pid_name(const struct sim *sm, int pid)
{
	const char *n = sc_task_name(&sm->names, pid);

	return n ? n : pid == 0 ? "0" : "?";
}

static void take_info(const struct sim *sm, struct sc_result *r, const struct sl_siginfo *si)
{
	r->has_info = true;
	r->info = *si;
	r->info_pid_name = pid_name(sm, si->pid);
}

static void do_altstack(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	struct sl_stack ss = { 0 }, old = { 0 };

	switch (st->ss_mode) {
	case 0:
		r->ret = sl_sys_sigaltstack(sm->k, tid, NULL, &old);
		r->ss_flags = old.flags;
		r->ss_size = old.size;
		return;
	case 2:
		ss.flags = SL_SS_DISABLE;
		break;
	default:
		ss.sp = altstack_base(tid);
		ss.size = (uint64_t)st->dur;
		ss.flags = (uint32_t)st->flags;
		break;
	}
	r->ret = sl_sys_sigaltstack(sm->k, tid, &ss, NULL);
}

bool sim_time_syscall(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	sl_kernel *k = sm->k;
	struct sl_siginfo si = { 0 };
	struct sl_itimerspec it = { .value = st->dur, .interval = st->interval };
	sl_sigset set = st->mask;
	sl_time rem = 0;

	switch (st->op) {
	case SC_OP_PAUSE:
		r->ret = sl_sys_pause(k, tid);
		return true;
	case SC_OP_SIGSUSPEND:
		r->ret = sl_sys_rt_sigsuspend(k, tid, &set);
		return true;
	case SC_OP_SIGTIMEDWAIT: case SC_OP_SIGWAITINFO:
		r->ret = sl_sys_rt_sigtimedwait(k, tid, &set, &si,
						st->op == SC_OP_SIGTIMEDWAIT ? &st->dur : NULL);
		if (r->ret > 0)
			take_info(sm, r, &si);
		return true;
	case SC_OP_READ:
		if (st->pipe < 0) {
			r->ret = sl_sys_read_signalfd(k, tid, 100, &si);
			if (r->ret > 0)
				take_info(sm, r, &si);
		} else {
			r->ret = pipe_id(sm, st->pipe) < 0 ? -SL_ENOMEM
				 : sl_sys_read(k, tid, st->pipe, 4096);
		}
		return true;
	case SC_OP_WRITE:
		r->ret = pipe_id(sm, st->pipe) < 0 ? -SL_ENOMEM
			 : sl_sys_write(k, tid, st->pipe, st->text ? strlen(st->text) : 0);
		return true;
	case SC_OP_NANOSLEEP:
		r->ret = sl_sys_nanosleep(k, tid, st->dur, &rem);
		r->rem = rem;
		return true;
	case SC_OP_ALARM:
		r->ret = sl_sys_alarm(k, tid, (unsigned)st->num);
		return true;
	case SC_OP_SETITIMER:
		r->ret = sl_sys_setitimer(k, tid, SL_ITIMER_REAL, &it, NULL);
		return true;
	case SC_OP_GETITIMER:
		r->ret = sl_sys_getitimer(k, tid, SL_ITIMER_REAL, &it);
		r->it_value = it.value;
		r->it_interval = it.interval;
		return true;
	case SC_OP_TIMER_CREATE:
		r->ret = sl_sys_timer_create(k, tid, st->sig, st->value);
		return true;
	case SC_OP_TIMER_SETTIME:
		r->ret = sl_sys_timer_settime(k, tid, (int)st->num, &it, NULL);
		return true;
	case SC_OP_TIMER_GETOVERRUN:
		r->ret = sl_sys_timer_getoverrun(k, tid, (int)st->num);
		return true;
	case SC_OP_TIMER_DELETE:
		r->ret = sl_sys_timer_delete(k, tid, (int)st->num);
		return true;
	case SC_OP_SIGALTSTACK:
		do_altstack(sm, tid, st, r);
		return true;
	case SC_OP_WAIT_EVENT:
		r->ret = sl_sys_wait_event(k, tid, st->waitq, (enum sl_sleep_state)st->sleep);
		return true;
	case SC_OP_SIGNALFD:
		/* One signalfd per process, maybe inherited: the call changes
		 * its mask, or makes it when the process has none. */
		r->ret = sl_sys_signalfd(k, tid, 100, &set);
		if (r->ret == -SL_EBADF)
			r->ret = sl_sys_signalfd(k, tid, -1, &set);
		return true;
	default:
		return false;
	}
}

void sim_syscall_return(struct sim *sm, const struct sl_event *ev, struct strbuf *text)
{
	int idx = ev->tid > 0 && (size_t)ev->tid < sm->ntids ? sm->tid_task[ev->tid] : -1;
	const struct sc_stmt *st;
	struct sc_result r;

	if (idx < 0 || !sm->rec[idx].blocked)
		return;
	st = sm->rec[idx].blocked;
	memset(&r, 0, sizeof r);
	r.ret = ev->ret;
	if ((st->op == SC_OP_SIGTIMEDWAIT || st->op == SC_OP_SIGWAITINFO ||
	     (st->op == SC_OP_READ && st->pipe < 0)) && ev->ret > 0)
		take_info(sm, &r, &ev->info);
	if (st->op == SC_OP_NANOSLEEP && ev->ret == -SL_EINTR)
		r.rem = (int64_t)ev->info.value;
	sim_proc_return(sm, st, ev, &r);
	sc_render_call(text, sm->s, st, &r);
	sm->rec[idx].last_result[st->op] = ev->ret;
	sm->rec[idx].called[st->op] = true;
	sm->rec[idx].blocked = NULL;
}

int sim_advance(struct sim *sm, const struct sc_step *step)
{
	sl_time target = sl_clock_now(sm->k) + step->stmt.dur;
	struct strbuf line = { 0 };

	sc_render_call(&line, sm->s, &step->stmt, NULL);
	sb_addf(&sm->out, "%3d %-6s %s\n", sm->step, "clock", sb_str(&line));
	sb_free(&line);
	for (;;) {
		sl_time next = sl_clock_next_event(sm->k), now = sl_clock_now(sm->k);

		if (next < 0 || next > target)
			break;
		sl_clock_advance(sm->k, next > now ? next - now : 0);
		if (sim_settle(sm, -1) < 0)
			return -1;
	}
	sl_clock_advance(sm->k, target - sl_clock_now(sm->k));
	return sim_settle(sm, -1);
}

int sim_wake_up(struct sim *sm, const struct sc_step *step)
{
	struct strbuf line = { 0 };

	sc_render_call(&line, sm->s, &step->stmt, NULL);
	sb_addf(&sm->out, "%3d %-6s %s\n", sm->step, "irq", sb_str(&line));
	sb_free(&line);
	sl_wake_up(sm->k, step->stmt.waitq);
	return sim_settle(sm, -1);
}
