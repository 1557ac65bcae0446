/* The sim runner's statements on pipes and the signalfd: the model's
 * pipes are made as the scenario first names them. */
#include <string.h>

#include "sim/simstate.h"

static int pipe_id(struct sim *sm, int pipe)
{
	while (sm->npipes_made <= (size_t)pipe) {
		if (sl_pipe_create(sm->k) < 0)
			return -1;
		sm->npipes_made++;
	}
	return pipe;
}

bool sim_fd_syscall(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	sl_kernel *k = sm->k;
	struct sl_siginfo si = { 0 };
	sl_sigset set = st->mask;

	switch (st->op) {
	case SC_OP_READ:
		if (st->pipe < 0) {
			r->ret = sl_sys_read_signalfd(k, tid, 100, &si);
			if (r->ret > 0)
				sim_take_info(sm, r, &si);
		} else {
			r->ret = pipe_id(sm, st->pipe) < 0 ? -SL_ENOMEM
				 : sl_sys_read(k, tid, st->pipe, 4096);
		}
		return true;
	case SC_OP_WRITE:
		r->ret = pipe_id(sm, st->pipe) < 0 ? -SL_ENOMEM
			 : sl_sys_write(k, tid, st->pipe, st->text ? strlen(st->text) : 0);
		return true;
	case SC_OP_SIGNALFD: {
		struct sl_task_info ti;
		bool have = sl_task_info(k, tid, &ti) == 0 && sm->rec[sm->tid_task[tid]].called[SC_OP_SIGNALFD];

		r->ret = sl_sys_signalfd(k, tid, have ? 100 : -1, &set);
		return true;
	}
	default:
		return false;
	}
}
