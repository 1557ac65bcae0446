/* The sim runner's timer statements: alarm, the ITIMER_REAL interval
 * timer and the POSIX timers, each one engine call. */
#include "sim/simstate.h"

bool sim_timer_syscall(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	sl_kernel *k = sm->k;
	struct sl_itimerspec it = { .value = st->dur, .interval = st->interval };

	switch (st->op) {
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
	default:
		return false;
	}
}
