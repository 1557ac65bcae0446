/* The sim runner's statements on pipes and the signalfd: the model's
 * pipes are made as the scenario first names them. */
#include <string.h>

#include "sim/simstate.h"

/* The scenario's pipes, made before its first step as the host's
 * controller makes them: every process the scenario starts with holds
 * both ends, and the controller (and a hidden init) let theirs go. */
int sim_make_pipes(struct sim *sm, int hidden_init)
{
	for (size_t i = 0; i < sm->s->npipes; i++) {
		long id = sl_pipe_create(sm->k);

		if (id < 0)
			return -1;
		for (int end = SL_PIPE_READ; end <= SL_PIPE_WRITE; end++) {
			(void)sl_sys_close_pipe(sm->k, sm->controller, (int)id, end);
			if (hidden_init)
				(void)sl_sys_close_pipe(sm->k, hidden_init, (int)id, end);
			if (sm->scen_init)
				(void)sl_sys_close_pipe(sm->k, sm->scen_init, (int)id, end);
		}
		sm->npipes_made++;
	}
	return 0;
}

/* A pipe's read end, or the signalfd (fd 100 in the model). */
void sim_op_read(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	struct sl_siginfo si = { 0 };

	if (st->pipe < 0) {
		r->ret = sl_sys_read_signalfd_count(sm->k, tid, 100,
						    st->has_count ? (size_t)st->num : 128, &si);
		if (r->ret > 0)
			sim_take_info(sm, r, &si);
	} else {
		r->ret = sl_sys_read(sm->k, tid, st->pipe, 4096);
	}
}

void sim_op_write(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	r->ret = sl_sys_write(sm->k, tid, st->pipe, st->text ? strlen(st->text) : 0);
}

void sim_op_close(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	r->ret = sl_sys_close_pipe(sm->k, tid, st->pipe, st->end);
}

/* fcntl on a pipe end: the descriptor si_fd names is the scenario's
 * number of the end (SC_PIPE_FD), which the host reports too. */
void sim_op_fcntl(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	struct sl_f_owner_ex ex = { .type = st->owner_type, .pid = 0 };
	long arg = st->num;

	if (st->cmd == SL_F_SETOWN || st->cmd == SL_F_SETOWN_EX) {
		arg = sim_target_pid(sm, &st->target);
		ex.pid = (int)arg;
	}
	r->ret = sl_sys_fcntl_pipe(sm->k, tid, st->pipe, st->end, SC_PIPE_FD(st->pipe, st->end),
				   st->cmd, arg, &ex);
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
