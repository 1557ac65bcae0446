/* The sim runner's statements that sleep and wait, and the clock's steps:
 * each call is one engine call; a call that blocks prints "..." and its
 * value arrives later as a line of its own (sim_syscall_return).
 * `advance` moves the virtual clock expiry by expiry, the system settling
 * after each, as tasks would run between two timer interrupts.  `wake_up`
 * is a device's interrupt: the condition of every wait_event on the queue
 * becomes true and its sleepers wake. */
#include <string.h>

#include "sim/simstate.h"

static const char *pid_name(const struct sim *sm, int pid)
{
	const char *n = sc_task_name(&sm->names, pid);

	return n ? n : pid == 0 ? "0" : "?";
}

void sim_take_info(const struct sim *sm, struct sc_result *r, const struct sl_siginfo *si)
{
	r->has_info = true;
	r->info = *si;
	r->info_pid_name = pid_name(sm, si->pid);
}

void sim_op_pause(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	(void)st;
	r->ret = sl_sys_pause(sm->k, tid);
}

void sim_op_sigsuspend(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	sl_sigset set = st->mask;

	r->ret = sl_sys_rt_sigsuspend(sm->k, tid, &set);
}

/* sigtimedwait, and sigwaitinfo: the same call without a timeout. */
void sim_op_sigtimedwait(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	struct sl_siginfo si = { 0 };
	sl_sigset set = st->mask;

	struct sl_timespec ts = { st->ts_sec, st->ts_nsec };

	if (st->has_ts)
		r->ret = sl_sys_rt_sigtimedwait_ts(sm->k, tid, &set, &si, &ts);
	else
		r->ret = sl_sys_rt_sigtimedwait(sm->k, tid, &set, &si,
						st->op == SC_OP_SIGTIMEDWAIT ? &st->dur : NULL);
	if (r->ret > 0)
		sim_take_info(sm, r, &si);
}

void sim_op_nanosleep(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	sl_time rem = 0;
	struct sl_timespec ts = { st->ts_sec, st->ts_nsec };

	if (st->has_ts)
		r->ret = sl_sys_nanosleep_ts(sm->k, tid, &ts, &rem);
	else
		r->ret = sl_sys_nanosleep(sm->k, tid, st->dur, &rem);
	r->rem = rem;
}

/* poll, ppoll, select, pselect6, epoll_wait, epoll_pwait: no descriptors,
 * the timeout (its raw timespec as written) and the temporary mask. */
void sim_op_poll(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	static const enum sl_poll_call calls[] = {
		[SC_OP_POLL] = SL_POLL_POLL, [SC_OP_PPOLL] = SL_POLL_PPOLL,
		[SC_OP_SELECT] = SL_POLL_SELECT, [SC_OP_PSELECT6] = SL_POLL_PSELECT6,
		[SC_OP_EPOLL_WAIT] = SL_POLL_EPOLL_WAIT, [SC_OP_EPOLL_PWAIT] = SL_POLL_EPOLL_PWAIT,
	};
	enum sl_poll_call call = calls[st->op];
	bool set = call == SL_POLL_PPOLL || call == SL_POLL_PSELECT6 || call == SL_POLL_EPOLL_PWAIT;
	struct sl_timespec ts = { st->ts_sec, st->ts_nsec };

	if (!st->has_ts && st->dur >= 0) {
		ts.tv_sec = st->dur / SL_NSEC_PER_SEC;
		ts.tv_nsec = st->dur % SL_NSEC_PER_SEC;
	}
	r->ret = sl_sys_poll_wait(sm->k, tid, call, set ? &st->mask : NULL,
				  st->has_ts || st->dur >= 0 ? &ts : NULL);
}

void sim_op_wait_event(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	r->ret = sl_sys_wait_event(sm->k, tid, st->waitq, (enum sl_sleep_state)st->sleep);
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
		sim_take_info(sm, &r, &ev->info);
	if (st->op == SC_OP_NANOSLEEP && ev->ret == -SL_EINTR)
		r.rem = (int64_t)ev->info.value;
	sim_uaccess_exit(st, &r);
	sim_proc_return(sm, st, ev, &r);
	if (!sm->opt.quiet)
		sc_render_call(text, sm->s, st, &r);
	sim_record_result(sm, idx, st, &r);
	sim_rec_w(sm, idx)->blocked = NULL;
}

int sim_op_advance(struct sim *sm, const struct sc_step *step)
{
	sl_time target = sl_clock_now(sm->k) + step->stmt.dur;
	struct strbuf line = { 0 };

	if (!sm->opt.quiet) {
		sc_render_call(&line, sm->s, &step->stmt, NULL);
		sim_emit_clock_line(sm, "clock", sb_str(&line));
	}
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

int sim_op_wake_up(struct sim *sm, const struct sc_step *step)
{
	struct strbuf line = { 0 };

	if (!sm->opt.quiet) {
		sc_render_call(&line, sm->s, &step->stmt, NULL);
		sim_emit_clock_line(sm, "irq", sb_str(&line));
	}
	sb_free(&line);
	sl_wake_up(sm->k, step->stmt.waitq);
	return sim_settle(sm, -1);
}
