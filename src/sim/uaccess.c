/* A call's pointer and size arguments, as the model's embedding passes
 * them: the engine never sees user memory (the embedder owns it, as
 * src/exec's adapters do), so the copies in and out of user memory happen
 * here, in the kernel's order.  Each call checks its sigsetsize first, then
 * copies its inputs in (copy_from_user: a bad pointer is -EFAULT before
 * anything happened), does its work, and copies its outputs out only when
 * the work succeeded (copy_to_user: -EFAULT after the effect, which stays). */
#include "sim/simstate.h"

/* Models the size checks at the top of kernel/signal.c's rt_sigaction,
 * rt_sigprocmask, rt_sigsuspend, rt_sigtimedwait and fs/signalfd.c's
 * signalfd4 (sigsetsize must be sizeof(sigset_t)), and rt_sigpending, which
 * copies out any size up to it. */
static long check_setsize(const struct sc_stmt *st)
{
	uint64_t n = sc_sigsetsize(st);

	if (!sc_uaccess_setsize(st->op))
		return 0;
	if (st->op == SC_OP_SIGPENDING)
		return n > SC_SIGSETSIZE ? -SL_EINVAL : 0;
	return n != SC_SIGSETSIZE ? -SL_EINVAL : 0;
}

/* The inputs the call copies in before its work: rt_sigaction's act,
 * rt_sigprocmask's and rt_sigsuspend's set, rt_sigtimedwait's set then
 * timeout (get_timespec64), sigaltstack's uss, signalfd4's mask, and the
 * siginfo of rt_sigqueueinfo / rt_tgsigqueueinfo
 * (copy_siginfo_from_user, before the target is even looked up). */
static unsigned inputs(enum sc_op op)
{
	if (op == SC_OP_SIGPENDING)
		return 0;	/* its set is an output */
	return SC_PTR_ACT | SC_PTR_SET | SC_PTR_TIMEOUT | SC_PTR_SS |
	       (op == SC_OP_SIGQUEUE || op == SC_OP_TGSIGQUEUE ? SC_PTR_INFO : 0);
}

bool sim_uaccess_enter(const struct sc_stmt *st, struct sc_result *r)
{
	long err = check_setsize(st);

	if (!err && (st->bad & inputs(st->op)))
		err = -SL_EFAULT;
	r->ret = err;
	return err == 0;
}

/* The outputs, copied out after a successful call: rt_sigaction's oact
 * (do_sigaction has installed the new action), rt_sigprocmask's oset (the
 * new mask is in force), rt_sigpending's set (sigsetsize bytes of it: a
 * copy of none cannot fault), sigaltstack's uoss (the new stack is set),
 * and rt_sigtimedwait's info (the signal is already dequeued: it is
 * lost). */
void sim_uaccess_exit(const struct sc_stmt *st, struct sc_result *r)
{
	uint64_t n = sc_sigsetsize(st);
	unsigned outs = SC_PTR_OACT | SC_PTR_OSET | SC_PTR_OSS;

	if (st->op == SC_OP_SIGPENDING && r->ret == 0 && n < SC_SIGSETSIZE)
		r->set &= ((sl_sigset)1 << (8 * n)) - 1;
	if (st->op == SC_OP_SIGPENDING)
		outs = n ? SC_PTR_SET : 0;
	else if (st->op == SC_OP_SIGTIMEDWAIT || st->op == SC_OP_SIGWAITINFO)
		outs = SC_PTR_INFO;
	if (!(st->bad & outs))
		return;
	if (r->ret == 0 || ((outs & SC_PTR_INFO) && r->ret > 0)) {
		r->ret = -SL_EFAULT;
		r->has_info = false;
	}
}
