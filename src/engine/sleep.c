/* Models how a task sleeps in a system call and how it comes back:
 * set_current_state / schedule and the wake-ups (signal_wake_up_state,
 * wake_up_process), the restart switch of arch/x86/kernel/signal.c
 * (handle_signal and arch_do_signal_or_restart: ERESTARTSYS,
 * ERESTARTNOINTR, ERESTARTNOHAND, ERESTART_RESTARTBLOCK),
 * restore_saved_sigmask and sigmask_to_save, and the calls sys_pause and
 * sys_rt_sigsuspend (kernel/signal.c), nanosleep (kernel/time/hrtimer.c
 * hrtimer_nanosleep, do_nanosleep, the restart_block) and
 * wait_event_{interruptible,killable} / wait_event on a model wait queue
 * (Linux 6.x). */
#include <string.h>

#include "engine/internal.h"

static const char RULE_RESTART[] =
	"restarted: no handler ran, so the interrupted call runs again as if "
	"nothing happened (arch/x86/kernel/signal.c arch_do_signal_or_restart)";
static const char RULE_RESTART_SA[] =
	"restart: the handler has SA_RESTART, so the call interrupted with "
	"-ERESTARTSYS runs again when the handler returns "
	"(arch/x86/kernel/signal.c handle_signal)";
static const char RULE_EINTR[] =
	"EINTR: a handler ran, so the interrupted call fails with EINTR when it "
	"returns (pause, sigsuspend and nanosleep always; others without "
	"SA_RESTART) (arch/x86/kernel/signal.c handle_signal)";
static const char RULE_NOINTR[] =
	"restart: -ERESTARTNOINTR restarts even after a handler "
	"(arch/x86/kernel/signal.c handle_signal)";

/* The value that marks "run the call again" while a frame holds it. */
#define RET_RESTART (-SL_ERESTARTNOINTR)

/* UNMODELED(a blocking call made inside a handler whose frame holds an
 * interrupted call: a task has one syscall_state, where Linux saves the
 * interrupted call's registers in the signal frame, so the inner call
 * overwrites the outer one's result or restart; the scenario runner
 * refuses blocking calls in handlers). */
#define MAX_RW_COUNT ((size_t)0x7ffff000)

size_t rw_verify_count(size_t count)
{
	return count > MAX_RW_COUNT ? MAX_RW_COUNT : count;
}

/* DEVIATION(a task's first blocking call allocates its call state, so an
 * embedder's failing allocator makes that call fail with ENOMEM before
 * it sleeps; Linux keeps a call's state in the task's registers and
 * never fails for it). */
int sys_own(sl_kernel *k, struct task *t)
{
	struct syscall_state *s;

	if (t->sys != &k->sys_none)
		return 0;
	s = kalloc(k, sizeof *s);
	if (!s)
		return -SL_ENOMEM;
	memset(s, 0, sizeof *s);
	t->sys = s;
	return 0;
}

/* A call's state back to none; a fork window (before `nr`) stays. */
static void sys_reset(struct syscall_state *s)
{
	size_t from = offsetof(struct syscall_state, nr);

	memset((unsigned char *)s + from, 0, sizeof *s - from);
	s->deadline = -1;
}

int sys_begin(sl_kernel *k, struct task *t, int nr)
{
	if (sys_own(k, t) < 0)
		return -SL_ENOMEM;
	sys_reset(t->sys);
	t->sys->nr = nr;
	t->in_call = true;
	t->sys->frame_depth = t->nframes;
	return 0;
}

long sys_done(sl_kernel *k, struct task *t, long ret)
{
	/* A task that never made a blocking call has nothing to end. */
	if (t->sys == &k->sys_none)
		return ret;
	sys_reset(t->sys);
	t->in_call = false;
	return ret;
}

void sys_free(sl_kernel *k, struct task *t)
{
	if (t->sys != &k->sys_none)
		kfree(k, t->sys, sizeof *t->sys);
	t->sys = &k->sys_none;
}

void sys_sleep(sl_kernel *k, struct task *t, enum sl_sleep_state how)
{
	(void)k;
	t->state = TASK_SLEEPING;
	t->sys->phase = SYS_SLEEPING;
	t->sys->sleep = how;
}

void sys_wake(sl_kernel *k, struct task *t)
{
	if (t->state != TASK_SLEEPING)
		return;
	t->state = TASK_RUNNING;
	t->sys->phase = SYS_WOKEN;
	work_mark(k, t);
}

static const char RULE_WAKE_KILLABLE[] =
	"woken: a fatal signal wakes a TASK_KILLABLE sleeper (TASK_WAKEKILL), "
	"and the wait gives up (kernel/signal.c signal_wake_up_state, "
	"kernel/sched/core.c signal_pending_state)";
static const char RULE_NOWAKE_KILLABLE[] =
	"not woken: the task sleeps in TASK_KILLABLE, which only a fatal "
	"signal wakes; this one stays pending until the wait ends "
	"(kernel/signal.c signal_wake_up_state)";
static const char RULE_NOWAKE_D[] =
	"not woken: the task sleeps in TASK_UNINTERRUPTIBLE (D), which no "
	"signal wakes, not even SIGKILL; it stays pending and acts when the "
	"wait ends (kernel/signal.c signal_wake_up_state)";

/* signal_wake_up_state: TASK_INTERRUPTIBLE sleepers wake for any signal
 * they take, TASK_KILLABLE ones only for a fatal one (TASK_WAKEKILL), and
 * TASK_UNINTERRUPTIBLE ones never: their SIGKILL waits until the sleep
 * ends. */
void sys_signal_wake(sl_kernel *k, struct task *t, bool fatal)
{
	switch (t->sys->sleep) {
	case SL_SLEEP_INTERRUPTIBLE:
		sys_wake(k, t);
		break;
	case SL_SLEEP_KILLABLE:
		emit_note(k, t->tid, 0, fatal ? RULE_WAKE_KILLABLE : RULE_NOWAKE_KILLABLE);
		if (fatal)
			sys_wake(k, t);
		break;
	case SL_SLEEP_UNINTERRUPTIBLE:
		emit_note(k, t->tid, 0, RULE_NOWAKE_D);
		break;
	}
}

static bool signal_pending(const struct task *t)
{
	return t->sigpending;
}

/* The call has its kernel return value; what user space sees is decided
 * on the way out (restart switch). */
static long sys_exiting(sl_kernel *k, struct task *t, long ret)
{
	t->sys->phase = SYS_EXITING;
	work_mark(k, t);
	t->sys->ret = ret;
	return SL_SYSCALL_BLOCKED;
}

static bool restart_code(long r)
{
	return r == -SL_ERESTARTSYS || r == -SL_ERESTARTNOINTR ||
	       r == -SL_ERESTARTNOHAND || r == -SL_ERESTART_RESTARTBLOCK;
}

/* What a blocking call's entry point returns: its value when it is done
 * and nothing else is to happen on the way out; SL_SYSCALL_BLOCKED when
 * it sleeps, or when a signal is to be acted on first (the value then
 * reaches user space after the handler, as an event). */
long sys_entry_result(sl_kernel *k, struct task *t, long r)
{
	if (r == SL_SYSCALL_BLOCKED)
		return r;
	if (restart_code(r) || t->sigpending)
		return sys_exiting(k, t, r);
	return sys_done(k, t, r);
}

static void emit_return(sl_kernel *k, struct task *t, long ret)
{
	struct sl_event ev = { .kind = SL_EV_SYSCALL_RETURN, .tid = t->tid, .target = t->tid,
			       .code = t->sys->nr, .ret = ret };

	ev.info = t->sys->info;
	if (t->sys->nr == SL_NR_NANOSLEEP && ret == -SL_EINTR)
		ev.info.value = (uint64_t)t->sys->info.value;
	sys_done(k, t, 0);
	emit(k, &ev);
}

/* ---- pause, sigsuspend ------------------------------------------------- */

/* The loop both calls share: sleep until a signal is pending, then fail
 * with -ERESTARTNOHAND (restarted only when no handler runs). */
static long suspend_wait(sl_kernel *k, struct task *t)
{
	if (!signal_pending(t)) {
		sys_sleep(k, t, SL_SLEEP_INTERRUPTIBLE);
		return SL_SYSCALL_BLOCKED;
	}
	return sys_exiting(k, t, -SL_ERESTARTNOHAND);
}

long sl_sys_pause(sl_kernel *k, int caller)
{
	struct task *t = syscall_caller(k, caller);

	if (!t)
		return -SL_ESRCH;
	if (sys_begin(k, t, SL_NR_PAUSE) < 0)
		return -SL_ENOMEM;
	return suspend_wait(k, t);
}

/* sigsuspend: the mask is replaced for the sleep only; the old one is
 * kept (saved_sigmask, TIF_RESTORE_SIGMASK) so that a handler's frame
 * saves it and rt_sigreturn restores it. */
static long sigsuspend_enter(sl_kernel *k, struct task *t)
{
	t->sys->saved_sigmask = t->blocked;
	set_current_blocked(k, t, t->sys->set);
	t->restore_sigmask = true;
	return suspend_wait(k, t);
}

long sl_sys_rt_sigsuspend(sl_kernel *k, int caller, const sl_sigset *mask)
{
	struct task *t = syscall_caller(k, caller);

	if (!t)
		return -SL_ESRCH;
	if (!mask)
		return -SL_EFAULT;
	if (sys_begin(k, t, SL_NR_RT_SIGSUSPEND) < 0)
		return -SL_ENOMEM;
	t->sys->set = *mask;
	return sigsuspend_enter(k, t);
}

ALWAYS_INLINE sl_sigset sigmask_to_save(const struct task *t)
{
	if (__builtin_expect(t->restore_sigmask, 0))
		return t->sys->saved_sigmask;
	return t->blocked;
}

/* restore_saved_sigmask: no frame will restore the mask sigsuspend
 * replaced, so put it back now. */
void restore_saved_sigmask(sl_kernel *k, struct task *t)
{
	if (!t->restore_sigmask)
		return;
	t->restore_sigmask = false;
	set_current_blocked(k, t, t->sys->saved_sigmask);
}

/* ---- nanosleep ----------------------------------------------------------- */

static long nanosleep_wait(sl_kernel *k, struct task *t)
{
	if (k->world.now >= t->sys->deadline)
		return 0;
	if (signal_pending(t)) {
		/* do_nanosleep: the time left goes to rmtp, and the call
		 * continues through restart_block (hrtimer_nanosleep_restart). */
		t->sys->info.value = (uint64_t)(t->sys->deadline - k->world.now);
		t->sys->restartblock = true;
		return -SL_ERESTART_RESTARTBLOCK;
	}
	sys_sleep(k, t, SL_SLEEP_INTERRUPTIBLE);
	return SL_SYSCALL_BLOCKED;
}

long sl_sys_nanosleep(sl_kernel *k, int caller, sl_time req, sl_time *rem)
{
	struct task *t = syscall_caller(k, caller);
	long r;

	if (!t)
		return -SL_ESRCH;
	if (req < 0)
		return -SL_EINVAL;
	if (req == 0)
		return 0;
	if (sys_begin(k, t, SL_NR_NANOSLEEP) < 0)
		return -SL_ENOMEM;
	t->sys->deadline = ktime_add_safe(k->world.now, req);
	r = nanosleep_wait(k, t);
	if (r == -SL_ERESTART_RESTARTBLOCK && rem)
		*rem = (sl_time)t->sys->info.value;
	return sys_entry_result(k, t, r);
}

bool timespec64_valid(const struct sl_timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < SL_NSEC_PER_SEC;
}

sl_time timespec64_to_ktime(const struct sl_timespec *ts)
{
	if (ts->tv_sec >= SL_KTIME_MAX / SL_NSEC_PER_SEC)
		return SL_KTIME_MAX;
	return ts->tv_sec * SL_NSEC_PER_SEC + ts->tv_nsec;
}

/* hrtimer_nanosleep's syscall (kernel/time/hrtimer.c): get_timespec64,
 * then timespec64_valid, before the caller sleeps at all. */
long sl_sys_nanosleep_ts(sl_kernel *k, int caller, const struct sl_timespec *req,
			 sl_time *rem)
{
	if (!syscall_caller(k, caller))
		return -SL_ESRCH;
	if (!req)
		return -SL_EFAULT;
	if (!timespec64_valid(req))
		return -SL_EINVAL;
	return sl_sys_nanosleep(k, caller, timespec64_to_ktime(req), rem);
}

long nanosleep_resume(sl_kernel *k, struct task *t)
{
	return nanosleep_wait(k, t);
}

/* ---- wait queues: a disk, a completion ----------------------------------- */

/* UNMODELED(exclusive waits (wait_event_*_exclusive: wake_up wakes one of
 * them), wake_up_interruptible (wakes TASK_INTERRUPTIBLE sleepers only),
 * wait_event_*_timeout, TASK_IDLE and TASK_FREEZABLE: every model wait is
 * non-exclusive, without a timeout, and any wake_up ends it). */

/* wait_event_interruptible / wait_event_killable / wait_event: the
 * condition is "sl_wake_up(channel) was called"; the first two give up
 * with -ERESTARTSYS when a signal they let in is pending. */
static long wait_event_check(sl_kernel *k, struct task *t)
{
	if (t->sys->timed_out)
		return 0;
	/* fatal_signal_pending is signal_pending and SIGKILL queued
	 * (include/linux/sched/signal.h): a SIGKILL bit left queued while
	 * TIF_SIGPENDING is clear ends no killable wait.  fuzz_engine found
	 * the raw bit test giving up with -ERESTARTSYS, restarting with no
	 * signal to take and giving up again, without end. */
	if (signal_pending(t) && (t->sys->sleep == SL_SLEEP_INTERRUPTIBLE ||
	    (t->sys->sleep == SL_SLEEP_KILLABLE && fatal_signal_pending(t))))
		return -SL_ERESTARTSYS;
	sys_sleep(k, t, t->sys->sleep);
	return SL_SYSCALL_BLOCKED;
}

long sl_sys_wait_event(sl_kernel *k, int caller, int channel, enum sl_sleep_state state)
{
	struct task *t = syscall_caller(k, caller);
	long r;

	if (!t)
		return -SL_ESRCH;
	if (state < SL_SLEEP_INTERRUPTIBLE || state > SL_SLEEP_UNINTERRUPTIBLE)
		return -SL_EINVAL;
	if (sys_begin(k, t, SL_NR_WAIT_EVENT) < 0)
		return -SL_ENOMEM;
	t->sys->obj = channel;
	t->sys->sleep = state;
	r = wait_event_check(k, t);
	return sys_entry_result(k, t, r);
}

/* wake_up: the event happened, so the condition of every wait in
 * progress on the queue is true from now on, also for a waiter a signal
 * woke that has not checked it yet, or one whose call is to restart (it
 * checks again when it runs: 0).  Only sleepers need waking.  A later
 * wait_event waits for the next event.  Returns the sleepers woken. */
int sl_wake_up(sl_kernel *k, int channel)
{
	int n = 0;

	SL_ASSERT(k != NULL);
	for (size_t i = 0; i < k->ntasks_cap; i++) {
		struct task *t = k->tasks[i];

		if (!t || t->sys->nr != SL_NR_WAIT_EVENT || t->sys->obj != channel)
			continue;
		t->sys->timed_out = true;
		if (t->sys->phase != SYS_SLEEPING)
			continue;
		sys_wake(k, t);
		n++;
	}
	return n;
}

/* ---- the way back to user mode -------------------------------------------- */

bool sys_has_work(const struct task *t)
{
	return sys_returning(t);
}

/* The code after schedule(): each call checks why it woke. */
static long sys_resume(sl_kernel *k, struct task *t)
{
	switch (t->sys->nr) {
	case SL_NR_PAUSE:
	case SL_NR_RT_SIGSUSPEND:
		return suspend_wait(k, t);
	case SL_NR_RT_SIGTIMEDWAIT:
		return sigtimedwait_resume(k, t);
	case SL_NR_NANOSLEEP:
		return nanosleep_resume(k, t);
	case SL_NR_POLL:
		return poll_resume(k, t);
	case SL_NR_READ:
		if (t->sys->on_tty)
			return tty_read_resume(k, t);
		return t->sys->obj < 0 ? signalfd_resume(k, t) : pipe_read_resume(k, t);
	case SL_NR_WRITE:
	case SL_NR_IOCTL:
		return tty_call_enter(k, t);
	case SL_NR_WAIT_EVENT:
		return wait_event_check(k, t);
	case SL_NR_WAIT4:
	case SL_NR_WAITID:
		return wait_resume(k, t);
	default:
		return -SL_EINVAL;
	}
}

int sl_syscall_interrupted(sl_kernel *k, int tid, long ret)
{
	struct task *t = find_task(k, tid);

	if (!t || t->state != TASK_RUNNING)
		return -SL_ESRCH;
	if (sys_begin(k, t, SL_NR_HOST) < 0)
		return -SL_ENOMEM;
	sys_exiting(k, t, ret);
	return 0;
}

/* Runs the call again (the rewound syscall instruction, or
 * restart_syscall for ERESTART_RESTARTBLOCK). */
static long sys_reenter(sl_kernel *k, struct task *t)
{
	t->sys->phase = SYS_NONE;
	switch (t->sys->nr) {
	case SL_NR_PAUSE:
		return suspend_wait(k, t);
	case SL_NR_RT_SIGSUSPEND:
		return sigsuspend_enter(k, t);
	case SL_NR_RT_SIGTIMEDWAIT:
		return sigtimedwait_enter(k, t);
	case SL_NR_NANOSLEEP:
		return nanosleep_wait(k, t);
	case SL_NR_POLL:
		return poll_enter(k, t);
	case SL_NR_READ:
		if (t->sys->on_tty)
			return tty_read_enter(k, t);
		return t->sys->obj < 0 ? signalfd_enter(k, t) : pipe_read_enter(k, t);
	case SL_NR_WRITE:
	case SL_NR_IOCTL:
		return tty_call_enter(k, t);
	case SL_NR_WAIT_EVENT:
		return wait_event_check(k, t);
	case SL_NR_WAIT4:
	case SL_NR_WAITID:
		return wait_resume(k, t);
	default:
		return -SL_EINVAL;
	}
}

/* The call produced a value (not a sleep): keep it for the way out. */
static void settle_value(sl_kernel *k, struct task *t, long r)
{
	if (r != SL_SYSCALL_BLOCKED && t->sys->phase != SYS_EXITING)
		sys_exiting(k, t, r);
}

/* Before get_signal: a woken call finishes in the task's own context. */
ALWAYS_INLINE void sys_before_signal(sl_kernel *k, struct task *t)
{
	if (!t->sys->nr || t->sys->phase != SYS_WOKEN)
		return;
	t->sys->phase = SYS_NONE;
	settle_value(k, t, sys_resume(k, t));
}

/* handle_signal's restart switch, for the frame about to be built over a
 * call that is on its way out: the frame saves what user space will see
 * (-EINTR, the value) or a rewound call. */
void sys_handler_frame(sl_kernel *k, struct task *t, const struct sl_sigaction *ka,
		       bool *frame_holds_call)
{
	*frame_holds_call = false;
	if (!t->sys->nr || (t->sys->phase != SYS_EXITING && t->sys->phase != SYS_RESTART))
		return;
	*frame_holds_call = true;
	if (t->sys->phase == SYS_RESTART) {
		t->sys->ret = RET_RESTART;
	} else {
		switch (t->sys->ret) {
		case -SL_ERESTART_RESTARTBLOCK:
		case -SL_ERESTARTNOHAND:
			emit_note(k, t->tid, 0, RULE_EINTR);
			t->sys->ret = -SL_EINTR;
			break;
		case -SL_ERESTARTSYS:
			if (ka->flags & SL_SA_RESTART) {
				emit_note(k, t->tid, 0, RULE_RESTART_SA);
				t->sys->ret = RET_RESTART;
			} else {
				emit_note(k, t->tid, 0, RULE_EINTR);
				t->sys->ret = -SL_EINTR;
			}
			break;
		case -SL_ERESTARTNOINTR:
			emit_note(k, t->tid, 0, RULE_NOINTR);
			t->sys->ret = RET_RESTART;
			break;
		default:
			break;
		}
	}
	t->sys->phase = SYS_IN_FRAME;
	/* A call the embedder ran restarts in the saved registers: the
	 * frame does not hold it (sl_syscall_interrupted). */
	if (t->sys->nr == SL_NR_HOST)
		*frame_holds_call = false;
}

/* A call whose value is final returns to user space now; one to restart
 * runs again now. */
static void sys_finish(sl_kernel *k, struct task *t)
{
	long r;

	if (t->sys->ret != RET_RESTART) {
		emit_return(k, t, t->sys->ret);
		return;
	}
	r = sys_reenter(k, t);
	if (r == SL_SYSCALL_BLOCKED) {
		if (t->state == TASK_SLEEPING)
			return;
		/* interrupted again at once: the next return decides */
		return;
	}
	sys_exiting(k, t, r);
	if (!t->sigpending)
		sys_no_handler(k, t);
}

/* arch_do_signal_or_restart without a handler: every restart code runs
 * the call again; then the mask sigsuspend replaced comes back.  That
 * mask may let in a signal only the temporary one blocked (a sigsuspend
 * stopped and continued): the return to user mode goes round again and
 * delivers it before the rewound call runs (exit_to_user_mode_loop sees
 * TIF_SIGPENDING again), so the call stays to be restarted. */
void sys_no_handler(sl_kernel *k, struct task *t)
{
	/* The embedder's call: its own exit path restarts it. */
	if (t->sys->nr == SL_NR_HOST && t->sys->phase == SYS_EXITING) {
		restore_saved_sigmask(k, t);
		emit_return(k, t, t->sys->ret);
		return;
	}
	if (t->sys->nr && t->sys->phase == SYS_EXITING) {
		switch (t->sys->ret) {
		case -SL_ERESTARTNOHAND:
		case -SL_ERESTARTSYS:
		case -SL_ERESTARTNOINTR:
		case -SL_ERESTART_RESTARTBLOCK:
			emit_note(k, t->tid, 0, RULE_RESTART);
			t->sys->ret = RET_RESTART;
			break;
		default:
			break;
		}
		restore_saved_sigmask(k, t);
		if (t->sys->ret == RET_RESTART && t->sigpending) {
			t->sys->phase = SYS_RESTART;
			work_mark(k, t);
			return;
		}
		sys_finish(k, t);
		return;
	}
	restore_saved_sigmask(k, t);
	if (t->sys->nr && t->sys->phase == SYS_RESTART) {
		t->sys->ret = RET_RESTART;
		sys_finish(k, t);
	}
}

/* rt_sigreturn of the frame built over the call: user space now sees the
 * saved value, or the rewound call runs again.  Both happen on the way
 * back to user mode, after any signal the restored mask lets in: its
 * frame is built over the restored registers (the value in ax, or the
 * rewound instruction), so user space sees the value only when that
 * handler has returned (arch/x86/kernel/signal_64.c rt_sigreturn, then
 * exit_to_user_mode_loop). */
void sys_frame_return(sl_kernel *k, struct task *t)
{
	if (!t->sys->nr || t->sys->phase != SYS_IN_FRAME)
		return;
	if (t->sys->ret == RET_RESTART) {
		t->sys->phase = SYS_RESTART;
		work_mark(k, t);
		return;
	}
	if (t->sigpending) {
		t->sys->phase = SYS_EXITING;
		work_mark(k, t);
		return;
	}
	emit_return(k, t, t->sys->ret);
}
