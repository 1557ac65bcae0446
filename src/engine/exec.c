/* Models the signal side of a successful execve (fs/exec.c begin_new_exec,
 * de_thread; kernel/signal.c flush_signal_handlers): the other threads of
 * the process die, caught signals go back to SIG_DFL while ignored ones
 * stay ignored, the blocked mask and the pending signals are kept, the
 * alternate signal stack is dropped, the POSIX timers are deleted
 * (exit_itimers; ITIMER_REAL stays), and the process counts as exec'd
 * (setpgid's EACCES, the exit-signal rule of do_notify_parent) (Linux 6.x). */
#include "engine/internal.h"

static const char RULE_EXEC[] =
	"execve: caught signals are reset to SIG_DFL, ignored ones stay "
	"ignored; the mask and pending signals are kept (fs/exec.c "
	"begin_new_exec, kernel/signal.c flush_signal_handlers)";

static const char RULE_EXEC_ZAP[] =
	"execve: de_thread kills every other thread (zap_other_threads queues "
	"SIGKILL, which each takes on its way out, so the tracepoint shows "
	"sig=9) before the new image runs (fs/exec.c de_thread, kernel/signal.c "
	"get_signal)";

/* de_thread: every other thread is killed and gone before the new image
 * runs.
 * UNMODELED(an exec by a thread other than the leader: it takes over the
 * leader's pid; here it is refused with EINVAL). */
static int de_thread(sl_kernel *k, struct task *t)
{
	struct signal_group *g = t->group;

	if (thread_group_empty(t))
		return 0;
	if (t != g->leader)
		return -SL_EINVAL;
	for (struct task *o = t->thread_next; o != t; ) {
		struct task *next = o->thread_next;

		if (o->state != TASK_DEAD) {
			/* zap_other_threads queues SIGKILL; the thread takes
			 * it in get_signal (group_exec_task), which traces it */
			if (k->cfg.event) {
				struct sl_event ev = { .kind = SL_EV_DELIVER, .tid = o->tid,
						       .target = o->tid, .sig = SL_SIGKILL,
						       .ka = o->sighand->action[SL_SIGKILL - 1],
						       .rule = RULE_EXEC_ZAP };

				ev.info.signo = SL_SIGKILL;
				emit(k, &ev);
			}
			/* signal_wake_up: a thread asleep in a call wakes
			 * to die, and its call is over (sl_check) */
			sys_wake(k, o);
			o->flags |= PF_SIGNALED;
			do_exit(k, o, SL_EXIT_SIGNAL, SL_SIGKILL);
		}
		o = next;
	}
	return 0;
}

long sl_sys_execve(sl_kernel *k, int caller)
{
	struct task *t = syscall_caller(k, caller);
	struct signal_group *g;
	int err;

	if (!t)
		return -SL_ESRCH;
	if (t->flags & PF_KTHREAD)
		return -SL_EINVAL;
	g = t->group;
	if (g->flags & SIGNAL_GROUP_EXIT)
		return -SL_EINTR;
	k->caller = caller;
	err = de_thread(k, t);
	k->caller = 0;
	if (err)
		return err;
	emit_note(k, caller, 0, RULE_EXEC);
	flush_signal_handlers(t, false);
	/* The old image's stack is gone, and with it every handler frame
	 * and the alternate stack: begin_new_exec zeroes sas_ss_sp and
	 * sas_ss_size but keeps sas_ss_flags, so an SS_AUTODISARM set
	 * before still shows in a query (found by siglab fuzz). */
	t->nframes = 0;
	t->sp = SL_USER_STACK_TOP;
	t->sas.sp = 0;
	t->sas.size = 0;
	exit_itimers(k, g);
	signalfd_exec(k, g);
	/* de_thread: "we have changed execution domain": the parent is told
	 * of this process's death with SIGCHLD, whatever clone's
	 * exit_signal was (fs/exec.c de_thread, label no_thread_group). */
	g->exit_signal = SL_SIGCHLD;
	g->forknoexec = false;
	/* begin_new_exec: a new image is dumpable again (SUID_DUMP_USER), the
	 * model having no set-user-ID images; limits and CPU time stay. */
	g->undumpable = false;
	g->self_exec_id++;
	k->caller = caller;
	ptrace_event_exec(k, t);
	k->caller = 0;
	return 0;
}
