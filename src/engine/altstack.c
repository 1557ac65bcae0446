/* Models the alternate signal stack: sigaltstack (kernel/signal.c
 * do_sigaltstack, sas_ss_flags, on_sig_stack, the SS_AUTODISARM reset of
 * __save_altstack) and where a signal frame goes (arch/x86/kernel/signal.c
 * get_sigframe: the red zone, the switch to the alternate stack, the
 * alignment, and the overflow check that forces SIGSEGV) (Linux 6.x). */
#include "engine/internal.h"

/* x86-64 leaves 128 bytes below the stack pointer to leaf functions. */
#define RED_ZONE 128u

ALWAYS_INLINE uint64_t task_user_sp(const struct task *t)
{
	return t->sp;
}

/* __on_sig_stack: the stack grows down, so the top address belongs to it
 * and the base does not. */
static bool within_sas(const struct task *t, uint64_t sp)
{
	return sp > t->sas.sp && sp - t->sas.sp <= t->sas.size;
}

/* on_sig_stack: with SS_AUTODISARM the task is never "on" it, by
 * construction (the stack is disarmed while a handler uses it). */
ALWAYS_INLINE bool on_sig_stack(const struct task *t, uint64_t sp)
{
	if (t->sas.flags & SL_SS_AUTODISARM)
		return false;
	return within_sas(t, sp);
}

uint32_t sas_ss_flags(const struct task *t, uint64_t sp)
{
	if (!t->sas.size)
		return SL_SS_DISABLE;
	return on_sig_stack(t, sp) ? SL_SS_ONSTACK : 0;
}

/* align_sigframe: the frame starts 8 bytes below a 16-byte boundary, as
 * if a call had pushed the return address (pretcode). */
static inline uint64_t align_sigframe(uint64_t sp)
{
	return (sp & ~(uint64_t)15) - 8;
}

ALWAYS_INLINE bool get_sigframe(sl_kernel *k, struct task *t, const struct sl_sigaction *ka,
		  uint64_t *frame_sp, uint64_t *fpstate)
{
	uint64_t sp = task_user_sp(t);
	uint64_t size = k->cfg.sigframe_size, math = k->cfg.fpstate_size;
	bool nested = false, entering = false;

	/* Without an alternate stack the frame goes below the red zone. */
	sp -= RED_ZONE;
	if (t->sas.size) {
		nested = on_sig_stack(t, task_user_sp(t));
		if ((ka->flags & SL_SA_ONSTACK) && sas_ss_flags(t, sp) == 0) {
			sp = t->sas.sp + t->sas.size;
			entering = true;
		}
	}
	/* fpu__alloc_mathframe: the xsave area first, 64-byte aligned. */
	if (math) {
		sp = (sp - math) & ~(uint64_t)63;
		*fpstate = sp;
		sp = align_sigframe(sp - size);
	} else {
		sp = align_sigframe(sp - size);
		*fpstate = 0;
	}
	/* A frame that would overflow the alternate stack is not written:
	 * the task gets SIGSEGV instead. */
	if ((nested || entering) && !within_sas(t, sp))
		return false;
	*frame_sp = sp;
	return true;
}

/* SS_AUTODISARM: the frame keeps the settings (uc_stack) and the task
 * runs the handler with the alternate stack disabled. */
ALWAYS_INLINE void altstack_after_frame(struct task *t)
{
	if (t->sas.flags & SL_SS_AUTODISARM)
		t->sas = (struct altstack){ .flags = SL_SS_DISABLE };
}

/* A frame is left when the stack pointer is back above the stack the
 * interrupted context used (the red zone below it belongs to that
 * context), or off the alternate stack that a frame on it entered.
 * While the handler runs, or at its rt_sigreturn, the stack pointer is
 * below the frame, on the frame's stack. */
bool frame_left(const struct frame *f, uint64_t sp)
{
	const struct altstack *ss = &f->saved_ss;
	bool sp_on = ss->size && sp > ss->sp && sp - ss->sp <= ss->size;
	bool from_on = ss->size && f->sp > ss->sp && f->sp - ss->sp <= ss->size;

	if (f->on_altstack && !from_on)
		return !sp_on;
	if (!f->on_altstack && sp_on && !from_on)
		return false;	/* a nested handler on the alternate stack */
	return sp > f->sp - RED_ZONE;
}

/* do_sigaltstack's checks, without the caller's stack test. */
static long set_altstack(struct task *t, const struct sl_stack *ss)
{
	uint32_t mode = ss->flags & ~SL_SS_AUTODISARM;

	if (mode != SL_SS_DISABLE && mode != SL_SS_ONSTACK && mode != 0)
		return -SL_EINVAL;
	if (mode == SL_SS_DISABLE) {
		t->sas = (struct altstack){ .flags = ss->flags };
		return 0;
	}
	/* UNMODELED(strict_sigaltstack_size: stacks smaller than the
	 * largest frame are accepted, as without CONFIG_STRICT_SIGALTSTACK_SIZE). */
	if (ss->size < SL_MINSIGSTKSZ)
		return -SL_ENOMEM;
	t->sas = (struct altstack){ .sp = ss->sp, .size = ss->size, .flags = ss->flags };
	return 0;
}

/* restore_altstack (kernel/signal.c): do_sigaltstack with the frame's
 * uc_stack at the restored stack pointer; its errors are ignored. */
void restore_altstack(struct task *t, const struct altstack *ss, uint64_t sp)
{
	struct sl_stack s = { .sp = ss->sp, .size = ss->size, .flags = ss->flags };

	if (on_sig_stack(t, sp))
		return;
	(void)set_altstack(t, &s);
}

long sl_sys_sigaltstack(sl_kernel *k, int caller, const struct sl_stack *ss,
			struct sl_stack *oss)
{
	struct task *t = syscall_caller(k, caller);
	uint64_t sp;

	if (!t || t->state != TASK_RUNNING)
		return -SL_ESRCH;
	sp = task_user_sp(t);
	if (oss) {
		oss->sp = t->sas.sp;
		oss->size = t->sas.size;
		oss->flags = sas_ss_flags(t, sp) | (t->sas.flags & SL_SS_AUTODISARM);
	}
	if (!ss)
		return 0;
	/* The stack in use cannot be changed under the handler. */
	if (on_sig_stack(t, sp))
		return -SL_EPERM;
	return set_altstack(t, ss);
}
