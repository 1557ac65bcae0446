/* Models the dispositions of kernel/signal.c: do_sigaction, the
 * rt_sigaction and signal syscalls, kernel_sigaction (allow_signal for
 * kernel threads) and flush_signal_handlers (Linux 6.x). */
#include "engine/internal.h"

/* Discard every pending instance of sig in the process: the shared queue
 * and every thread's private queue. */
static void flush_signal_everywhere(sl_kernel *k, struct task *p, int sig)
{
	struct task *t = p->group->leader;

	flush_sigqueue_mask(k, &p->group->shared_pending, sl_sigmask(sig));
	do {
		flush_sigqueue_mask(k, &t->pending, sl_sigmask(sig));
		recalc_sigpending(k, t);
		t = t->thread_next;
	} while (t != p->group->leader);
}

struct sighand *sighand_default(sl_kernel *k)
{
	if (!k->default_sighand)
		k->default_sighand = kalloc(k, sizeof *k->default_sighand);
	return k->default_sighand;
}

int sighand_unshare(sl_kernel *k, struct task *t)
{
	struct sighand *old = t->sighand, *sh;
	struct task *p;

	if (old != k->default_sighand)
		return 0;
	sh = kalloc(k, sizeof *sh);
	if (!sh)
		return -SL_ENOMEM;
	/* Threads share their sighand (CLONE_SIGHAND): the whole group moves. */
	p = t->group->leader;
	do {
		if (p->sighand == old) {
			p->sighand = sh;
			sh->refs++;
			old->refs--;
		}
		p = p->thread_next;
	} while (p != t->group->leader);
	return 0;
}

void sighand_put(sl_kernel *k, struct sighand *sh)
{
	if (--sh->refs == 0 && sh != k->default_sighand)
		kfree(k, sh, sizeof *sh);
}

static bool same_action(const struct sl_sigaction *a, const struct sl_sigaction *b)
{
	return a->handler == b->handler && a->flags == b->flags && a->mask == b->mask &&
	       a->restorer == b->restorer;
}

static long do_sigaction(sl_kernel *k, struct task *p, int sig,
			 const struct sl_sigaction *act, struct sl_sigaction *oact)
{
	struct sl_sigaction *ka, newka;
	bool was_ignored;

	/* SIGKILL and SIGSTOP may be queried but never changed. */
	if (!valid_signal(sig) || sig < 1 || (act && sig_kernel_only(k, sig)))
		return -SL_EINVAL;
	ka = &p->sighand->action[sig - 1];
	if (oact) {
		*oact = *ka;
		oact->flags &= UAPI_SA_FLAGS;
	}
	if (!act)
		return 0;
	/* Unknown flag bits are cleared so that user space can detect which
	 * flags this kernel supports; SIGKILL and SIGSTOP never enter a
	 * handler mask. */
	newka = *act;
	newka.flags &= UAPI_SA_FLAGS;
	newka.mask &= ~(sl_sigmask(SL_SIGKILL) | sl_sigmask(SL_SIGSTOP));
	if (!same_action(ka, &newka)) {
		/* DEVIATION(copy-on-write dispositions: with an embedder's
		 * allocator that fails, changing an action of a process that
		 * still shares the default ones fails with ENOMEM, which
		 * Linux's sigaction never returns) */
		if (sighand_unshare(k, p) < 0)
			return -SL_ENOMEM;
		ka = &p->sighand->action[sig - 1];
	}
	was_ignored = ka->handler == SL_SIG_IGN;
	*ka = newka;
	/* POSIX: setting SIG_IGN, or SIG_DFL for a signal whose default is
	 * to ignore, discards the pending signal even when it is blocked.
	 * Leaving SIG_IGN brings back the signals of ignored timers. */
	if (sig_handler_ignored(ka->handler, sig))
		flush_signal_everywhere(k, p, sig);
	else if (was_ignored)
		timer_sig_unignore(k, p, sig);
	return 0;
}

long sl_sys_rt_sigaction(sl_kernel *k, int caller, int sig,
			 const struct sl_sigaction *act, struct sl_sigaction *oact)
{
	struct task *p = syscall_caller(k, caller);
	struct sl_sigaction sysv;

	if (!p)
		return -SL_ESRCH;
	/* What-if (seed 003): System V semantics for every handler, as the
	 * old signal() gave: reset on delivery, no deferral. */
	if (act && (k->cfg.what_if & SL_CONFIG_SYSV_SIGNALS) &&
	    act->handler != SL_SIG_DFL && act->handler != SL_SIG_IGN) {
		sysv = *act;
		sysv.flags |= SL_SA_RESETHAND | SL_SA_NODEFER;
		act = &sysv;
	}
	return do_sigaction(k, p, sig, act, oact);
}

/* sys_signal: System V semantics, SA_ONESHOT | SA_NOMASK, an empty mask;
 * returns the previous handler. */
long sl_sys_signal(sl_kernel *k, int caller, int sig, uint64_t handler)
{
	struct task *p = syscall_caller(k, caller);
	struct sl_sigaction act = { .handler = handler,
				    .flags = SL_SA_ONESHOT | SL_SA_NOMASK };
	struct sl_sigaction old;
	long err;

	if (!p)
		return -SL_ESRCH;
	err = do_sigaction(k, p, sig, &act, &old);
	return err ? err : (long)old.handler;
}

/* allow_signal / disallow_signal (kernel_sigaction): a kernel thread opts
 * in to a signal with SIG_KTHREAD; going back to SIG_IGN flushes it. */
int sl_kthread_allow_signal(sl_kernel *k, int tid, int sig)
{
	struct task *t = find_task(k, tid);

	if (!t || t->state == TASK_DEAD)
		return -SL_ESRCH;
	if (!(t->flags & PF_KTHREAD) || !valid_signal(sig) || sig < 1)
		return -SL_EINVAL;
	if (sighand_unshare(k, t) < 0)
		return -SL_ENOMEM;
	t->sighand->action[sig - 1].handler = SIG_KTHREAD;
	return 0;
}

/* flush_signal_handlers: exec resets caught signals to SIG_DFL (ignored
 * ones stay ignored unless force_default) and clears flags and masks. */
void flush_signal_handlers(struct task *t, bool force_default)
{
	/* The default actions are what a flush leaves: a shared default
	 * sighand is never written (the check below writes nothing new). */
	for (int i = 0; i < SL_NSIG; i++) {
		struct sl_sigaction *ka = &t->sighand->action[i];

		if (ka->handler == SL_SIG_DFL && !ka->flags && !ka->restorer && !ka->mask)
			continue;
		if (force_default || ka->handler != SL_SIG_IGN)
			ka->handler = SL_SIG_DFL;
		ka->flags = 0;
		ka->restorer = 0;
		ka->mask = 0;
	}
}
