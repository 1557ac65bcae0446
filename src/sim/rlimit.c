/* The sim runner's resource-limit statements: getrlimit, setrlimit and
 * prlimit (all prlimit64 in the engine), and pwrite to the scenario's
 * regular file; spin, a user-mode action, is in step.c. */
#include "sim/simstate.h"

void sim_op_getrlimit(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	r->ret = sl_sys_prlimit64(sm->k, tid, 0, (unsigned)st->how, NULL, &r->rlim);
}

void sim_op_setrlimit(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	struct sl_rlimit nl = { st->rlim_cur, st->rlim_max };

	r->ret = sl_sys_prlimit64(sm->k, tid, 0, (unsigned)st->how, &nl, NULL);
}

void sim_op_prlimit(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	struct sl_rlimit nl = { st->rlim_cur, st->rlim_max };

	r->ret = sl_sys_prlimit64(sm->k, tid, sim_target_pid(sm, &st->target), (unsigned)st->how,
				  st->null_set ? NULL : &nl, st->want_old ? &r->rlim : NULL);
}

void sim_op_pwrite(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	r->ret = sl_sys_pwrite64(sm->k, tid, st->offset, (uint64_t)st->num);
}
