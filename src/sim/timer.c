/* The sim runner's timer statements: alarm, the ITIMER_REAL interval
 * timer and the POSIX timers, each one engine call. */
#include "sim/simstate.h"

void sim_op_alarm(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	r->ret = sl_sys_alarm(sm->k, tid, (unsigned)st->num);
}

void sim_op_setitimer(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	struct sl_itimerspec it = { .value = st->dur, .interval = st->interval };

	r->ret = sl_sys_setitimer(sm->k, tid, SL_ITIMER_REAL, &it, NULL);
}

void sim_op_getitimer(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	struct sl_itimerspec it = { 0 };

	(void)st;
	r->ret = sl_sys_getitimer(sm->k, tid, SL_ITIMER_REAL, &it);
	r->it_value = it.value;
	r->it_interval = it.interval;
}

void sim_op_timer_create(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	struct sl_sigevent ev = { .notify = st->notify, .signo = st->sig, .value = st->value };

	if (st->notify & SL_SIGEV_THREAD_ID)
		ev.tid = sim_target_pid(sm, &st->target);
	r->ret = sl_sys_timer_create_clock(sm->k, tid, st->clock ? st->clock : SL_CLOCK_MONOTONIC,
					   &ev);
}

void sim_op_timer_settime(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	struct sl_itimerspec it = { .value = st->dur, .interval = st->interval };

	r->ret = sl_sys_timer_settime(sm->k, tid, (int)st->num, &it, NULL);
}

void sim_op_timer_getoverrun(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	r->ret = sl_sys_timer_getoverrun(sm->k, tid, (int)st->num);
}

void sim_op_timer_delete(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	r->ret = sl_sys_timer_delete(sm->k, tid, (int)st->num);
}
