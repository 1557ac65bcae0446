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
	info.pid = ti.tgid;
	info.uid = ti.uid;
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

bool sim_signal_syscall(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	sl_kernel *k = sm->k;
	struct sl_siginfo info;
	struct sl_task_info ti;

	switch (st->op) {
	case SC_OP_SIGACTION: {
		struct sl_sigaction act = { .handler = handler_value(st->handler),
					    .flags = st->flags, .mask = st->mask };

		r->ret = sl_sys_rt_sigaction(k, tid, st->sig, &act, NULL);
		break;
	}
	case SC_OP_SIGNAL:
		r->ret = sl_sys_signal(k, tid, st->sig, handler_value(st->handler));
		break;
	case SC_OP_SIGPROCMASK:
		r->ret = sl_sys_rt_sigprocmask(k, tid, st->how, &st->mask, NULL);
		break;
	case SC_OP_SGETMASK:
		r->ret = sl_sys_sgetmask(k, tid);
		break;
	case SC_OP_SSETMASK:
		r->ret = sl_sys_ssetmask(k, tid, (long)(int32_t)(uint32_t)st->mask);
		break;
	case SC_OP_SIGPENDING:
		r->ret = sl_sys_rt_sigpending(k, tid, &r->set);
		break;
	case SC_OP_KILL:
		r->ret = sl_sys_kill(k, tid, sim_target_pid(sm, &st->target), st->sig);
		break;
	case SC_OP_TKILL:
		r->ret = sl_sys_tkill(k, tid, sim_target_pid(sm, &st->target), st->sig);
		break;
	case SC_OP_TGKILL:
		r->ret = sl_sys_tgkill(k, tid, sim_target_pid(sm, &st->target),
				       sim_target_pid(sm, &st->target2), st->sig);
		break;
	case SC_OP_SIGQUEUE:
		info = queue_info(sm, tid, st);
		r->ret = sl_sys_rt_sigqueueinfo(k, tid, sim_target_pid(sm, &st->target), st->sig, &info);
		break;
	case SC_OP_TGSIGQUEUE:
		info = queue_info(sm, tid, st);
		r->ret = sl_sys_rt_tgsigqueueinfo(k, tid, sim_target_pid(sm, &st->target),
						  sim_target_pid(sm, &st->target2), st->sig, &info);
		break;
	case SC_OP_PIDFD_SEND:
		r->ret = do_pidfd_send(sm, tid, st);
		break;
	case SC_OP_RAISE:
		/* glibc's raise(): tgkill(getpid(), gettid(), sig). */
		sl_task_info(k, tid, &ti);
		r->ret = sl_sys_tgkill(k, tid, ti.tgid, tid, st->sig);
		break;
	case SC_OP_ALLOW_SIGNAL:
		r->ret = sl_kthread_allow_signal(k, tid, st->sig);
		break;
	case SC_OP_FAULT:
		r->ret = sl_fault(k, tid, st->sig, st->code, 0);
		break;
	case SC_OP_EXIT:
		r->ret = sl_sys_exit(k, tid, (int)st->num);
		break;
	case SC_OP_EXIT_GROUP:
		r->ret = sl_sys_exit_group(k, tid, (int)st->num);
		break;
	case SC_OP_SIGALTSTACK:
		do_altstack(sm, tid, st, r);
		break;
	default:
		return false;
	}
	return true;
}
