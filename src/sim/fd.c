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

/* A pipe, or the signalfd (fd 100 in the model). */
void sim_op_read(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	struct sl_siginfo si = { 0 };

	if (st->pipe < 0) {
		r->ret = sl_sys_read_signalfd_count(sm->k, tid, 100,
						    st->has_count ? (size_t)st->num : 128, &si);
		if (r->ret > 0)
			sim_take_info(sm, r, &si);
	} else {
		r->ret = pipe_id(sm, st->pipe) < 0 ? -SL_ENOMEM
			 : sl_sys_read(sm->k, tid, st->pipe, 4096);
	}
}

void sim_op_write(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	r->ret = pipe_id(sm, st->pipe) < 0 ? -SL_ENOMEM
		 : sl_sys_write(sm->k, tid, st->pipe, st->text ? strlen(st->text) : 0);
}

/* One signalfd per process, maybe inherited: the call changes its mask,
 * or makes it when the process has none. */
void sim_op_signalfd(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	sl_sigset set = st->mask;

	r->ret = sl_sys_signalfd4(sm->k, tid, 100, &set, (unsigned)st->flags);
	if (r->ret == -SL_EBADF)
		r->ret = sl_sys_signalfd4(sm->k, tid, -1, &set, (unsigned)st->flags);
}
