/* The sim runner's signal statements: dispositions, masks, sending,
 * faults, exits and the alternate stack, each one engine call. */
#include <string.h>

#include "sim/simstate.h"

static uint64_t handler_value(int h)
{
	if (h == SC_HANDLER_DFL)
		return SL_SIG_DFL;
	if (h == SC_HANDLER_IGN)
		return SL_SIG_IGN;
	return SC_HANDLER_VALUE(h);
}

static struct sl_siginfo queue_info(const struct sim *sm, int tid, const struct sc_stmt *st)
{
	struct sl_task_info ti;
	struct sl_siginfo info = { .signo = st->sig, .value = st->value };

	sl_task_info(sm->k, tid, &ti);
	info.code = st->has_code ? st->code : SL_SI_QUEUE;
	info.pid = st->has_spid ? sim_target_pid(sm, &st->spid) : ti.tgid;
	info.uid = st->has_suid ? st->suid : ti.uid;
	return info;
}

static long do_pidfd_send(struct sim *sm, int tid, const struct sc_stmt *st)
{
	long fd = sl_sys_pidfd_open(sm->k, tid, sim_target_pid(sm, &st->target), 0);

	if (fd < 0)
		return fd;
	return sl_sys_pidfd_send_signal(sm->k, tid, (int)fd, st->sig, NULL, 0);
}

/* Where a task's alternate stack lives in the model's address space. */
static uint64_t altstack_base(int tid)
{
	return (uint64_t)tid << 32;
}

void sim_op_sigaltstack(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
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

void sim_op_sigaction(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	struct sl_sigaction act = { .handler = handler_value(st->handler),
				    .flags = st->flags, .mask = st->mask };

	r->ret = sl_sys_rt_sigaction(sm->k, tid, st->sig, st->null_set ? NULL : &act,
				     st->want_old ? &r->old_act : NULL);
}

void sim_op_signal(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	r->ret = sl_sys_signal(sm->k, tid, st->sig, handler_value(st->handler));
}

void sim_op_sigprocmask(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	r->ret = sl_sys_rt_sigprocmask(sm->k, tid, st->how, st->null_set ? NULL : &st->mask,
				       st->want_old ? &r->set : NULL);
}

void sim_op_sgetmask(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	(void)st;
	r->ret = sl_sys_sgetmask(sm->k, tid);
}

void sim_op_ssetmask(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	r->ret = sl_sys_ssetmask(sm->k, tid, (long)(int32_t)(uint32_t)st->mask);
}

void sim_op_sigpending(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	(void)st;
	r->ret = sl_sys_rt_sigpending(sm->k, tid, &r->set);
}

void sim_op_kill(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	r->ret = sl_sys_kill(sm->k, tid, sim_target_pid(sm, &st->target), st->sig);
}

void sim_op_tkill(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	r->ret = sl_sys_tkill(sm->k, tid, sim_target_pid(sm, &st->target), st->sig);
}

void sim_op_tgkill(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	r->ret = sl_sys_tgkill(sm->k, tid, sim_target_pid(sm, &st->target),
			       sim_target_pid(sm, &st->target2), st->sig);
}

void sim_op_sigqueue(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	struct sl_siginfo info = queue_info(sm, tid, st);

	r->ret = sl_sys_rt_sigqueueinfo(sm->k, tid, sim_target_pid(sm, &st->target), st->sig,
					&info);
}

void sim_op_tgsigqueue(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	struct sl_siginfo info = queue_info(sm, tid, st);

	r->ret = sl_sys_rt_tgsigqueueinfo(sm->k, tid, sim_target_pid(sm, &st->target),
					  sim_target_pid(sm, &st->target2), st->sig, &info);
}

void sim_op_pidfd_send(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	r->ret = do_pidfd_send(sm, tid, st);
}

/* glibc's raise(): tgkill(getpid(), gettid(), sig). */
void sim_op_raise(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	struct sl_task_info ti;

	sl_task_info(sm->k, tid, &ti);
	r->ret = sl_sys_tgkill(sm->k, tid, ti.tgid, tid, st->sig);
}

void sim_op_allow_signal(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	r->ret = sl_kthread_allow_signal(sm->k, tid, st->sig);
}

void sim_op_exit(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	r->ret = sl_sys_exit(sm->k, tid, (int)st->num);
}

void sim_op_exit_group(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	r->ret = sl_sys_exit_group(sm->k, tid, (int)st->num);
}
