/* Models wait4 and waitid (kernel/exit.c: do_wait, do_wait_thread,
 * wait_consider_task, eligible_child, wait_task_zombie,
 * wait_task_stopped, wait_task_continued, kernel_wait4, kernel_waitid)
 * (Linux 6.x), and the tracer's side of it (ptrace_do_wait: a tracer waits
 * for its tracees' ptrace stops and exits as for children).
 *
 * The caller's children are found on the children lists of its threads,
 * so a wait costs the number of the caller's children, never the number
 * of tasks. */
#include "engine/internal.h"

static const char RULE_REAP[] =
	"reaped: wait took the zombie's status and released it "
	"(kernel/exit.c wait_task_zombie)";

enum wait_type { WAIT_ANY, WAIT_PID, WAIT_PGID };

/* do_wait found nothing yet, but a child that may change: sleep. */
#define WAIT_WOULD_SLEEP (-1000000L)

struct wait_opts {
	enum wait_type type;
	int id;			/* pid or pgid, per type */
	unsigned flags;		/* SL_W* */
	int notask_error;	/* -ECHILD until an eligible child is seen */
	/* what was found */
	struct task *found;
	int status;		/* wait4's status word */
	struct sl_siginfo info;	/* waitid's siginfo */
};

/* eligible_child: the pid filter, then the clone-child rule: a child that
 * reports with a signal other than SIGCHLD is a "clone" child, seen only
 * with __WCLONE (and then only such children), or with __WALL. */
static bool eligible_child(const struct wait_opts *wo, bool ptrace, const struct task *p)
{
	const struct signal_group *g = p->group;

	switch (wo->type) {
	case WAIT_PID:
		if (p->tid != wo->id)
			return false;
		break;
	case WAIT_PGID:
		if (!g->pgrp || g->pgrp->pgid != wo->id)
			return false;
		break;
	case WAIT_ANY:
		break;
	}
	if (ptrace || (wo->flags & SL___WALL))
		return true;
	if ((g->exit_signal != SL_SIGCHLD) ^ !!(wo->flags & SL___WCLONE))
		return false;
	return true;
}

static int child_pid(const struct task *caller, const struct task *p)
{
	return task_visible_in(p, caller->group->ns) ? p->tid : 0;
}

static void fill_info(struct wait_opts *wo, const struct task *caller,
		      const struct task *p, int code, int status)
{
	wo->info = (struct sl_siginfo){ .signo = SL_SIGCHLD, .code = code,
					.pid = child_pid(caller, p), .uid = p->cred->uid,
					.status = status };
}

/* The zombie's status: the group's exit code (the last thread's, or the
 * group exit's), as wait_task_zombie takes it. */
static int zombie_status(const struct signal_group *g)
{
	if (g->exit_kind == SL_EXIT_CODE)
		return (g->exit_code & 0xff) << 8;
	return (g->exit_code & 0x7f) | (g->core_dumped ? 0x80 : 0);
}

static int wait_task_zombie(sl_kernel *k, struct wait_opts *wo, bool ptrace,
			    struct task *caller, struct task *p)
{
	int status = zombie_status(p->group);

	if (!(wo->flags & SL_WEXITED))
		return 0;
	wo->found = p;
	wo->status = status;
	if (status & 0x7f)
		fill_info(wo, caller, p, (status & 0x80) ? SL_CLD_DUMPED : SL_CLD_KILLED,
			  status & 0x7f);
	else
		fill_info(wo, caller, p, SL_CLD_EXITED, status >> 8);
	if (!(wo->flags & SL_WNOWAIT)) {
		int pid = child_pid(caller, p);

		/* A tracer that is not the real parent collects the status;
		 * then the real parent hears of the death (ptrace.c). */
		if (ptrace && ptrace_reparented(p)) {
			ptrace_release(k, p);
			if (!do_notify_parent(k, caller, p, p->group->exit_signal))
				return pid;
		}
		emit_note(k, p->tid, 0, RULE_REAP);
		release_task(k, p);
		return pid;
	}
	return child_pid(caller, p);
}

/* wait_task_stopped: a completed group stop whose code was not yet
 * collected (WNOWAIT leaves it for the next wait). */
static int wait_task_stopped(struct wait_opts *wo, bool ptrace, struct task *caller,
			     struct task *p)
{
	struct signal_group *g = p->group;
	int code;

	/* task_stopped_code: a tracer sees the ptrace stop (not while
	 * PTRACE_LISTEN), the real parent the group stop. */
	if (ptrace) {
		if (p->state != TASK_TRACED || (p->jobctl & JOBCTL_LISTENING) ||
		    !(code = p->pt->code))
			return 0;
		if (!(wo->flags & SL_WNOWAIT))
			p->pt->code = 0;
		wo->found = p;
		wo->status = (code << 8) | 0x7f;
		fill_info(wo, caller, p, SL_CLD_TRAPPED, code);
		return child_pid(caller, p);
	}
	if (!(wo->flags & SL_WUNTRACED))
		return 0;
	if (!(g->flags & SIGNAL_STOP_STOPPED) || !(code = g->group_exit_code & 0xff))
		return 0;
	if (!(wo->flags & SL_WNOWAIT))
		g->group_exit_code = 0;
	wo->found = p;
	wo->status = (code << 8) | 0x7f;
	fill_info(wo, caller, p, SL_CLD_STOPPED, code);
	return child_pid(caller, p);
}

static int wait_task_continued(struct wait_opts *wo, struct task *caller, struct task *p)
{
	struct signal_group *g = p->group;

	if (!(wo->flags & SL_WCONTINUED) || !(g->flags & SIGNAL_STOP_CONTINUED))
		return 0;
	if (!(wo->flags & SL_WNOWAIT))
		g->flags &= ~SIGNAL_STOP_CONTINUED;
	wo->found = p;
	wo->status = 0xffff;
	fill_info(wo, caller, p, SL_CLD_CONTINUED, SL_SIGCONT);
	return child_pid(caller, p);
}

/* wait_consider_task: a zombie is reaped (or left, when only stops or
 * continues are asked for: then it does not count as something to wait
 * for); a live child always counts, and may report a stop or continue. */
static int wait_consider_task(sl_kernel *k, struct wait_opts *wo, bool ptrace,
			      struct task *caller, struct task *p)
{
	struct signal_group *g = p->group;
	int ret;

	if (p->released || !eligible_child(wo, ptrace, p))
		return 0;
	/* A child traced by its real parent's own process is waited for as
	 * a tracee. */
	if (!ptrace && p->ptrace && !ptrace_reparented(p))
		ptrace = true;
	if (g->exit_state && g->live == 0 && p == g->leader) {
		/* A zombie tracee is the tracer's to collect first. */
		if (ptrace || !p->ptrace) {
			ret = wait_task_zombie(k, wo, ptrace, caller, p);
			if (ret || wo->found)
				return ret ? ret : -1;
			return 0;
		}
		if (!ptrace || (wo->flags & (SL_WCONTINUED | SL_WEXITED)))
			wo->notask_error = 0;
		return 0;
	}
	wo->notask_error = 0;
	ret = wait_task_stopped(wo, ptrace, caller, p);
	if (!ret && !wo->found)
		ret = wait_task_continued(wo, caller, p);
	if (!ret && wo->found)
		ret = -1;	/* found, with a pid the caller cannot see */
	return ret;
}

/* do_wait: every thread's children (only the caller's own with
 * __WNOTHREAD), each list oldest first. */
static int do_wait(sl_kernel *k, struct task *caller, struct wait_opts *wo)
{
	struct task *t = caller;

	wo->notask_error = -SL_ECHILD;
	do {
		for (struct task *p = t->children_tail; p; ) {
			struct task *prev = p->group->sib_prev;
			int ret = wait_consider_task(k, wo, false, caller, p);

			if (wo->found)
				return ret < 0 ? 0 : ret;
			p = prev;
		}
		/* ptrace_do_wait: then the thread's tracees */
		for (struct task *p = t->pt->tracees; p; ) {
			struct task *next = p->pt->next;
			int ret = wait_consider_task(k, wo, true, caller, p);

			if (wo->found)
				return ret < 0 ? 0 : ret;
			p = next;
		}
		if (wo->flags & SL___WNOTHREAD)
			break;
		t = t->thread_next;
	} while (t != caller);
	if (wo->notask_error)
		return wo->notask_error;
	if (wo->flags & SL_WNOHANG)
		return 0;
	return WAIT_WOULD_SLEEP;
}

static struct task *wait_caller(sl_kernel *k, int caller)
{
	return syscall_caller(k, caller);
}

/* What the wait hands back when it returns after a sleep: wait4's status
 * word rides in info.value, waitid's siginfo is the info itself. */
static void keep_result(struct task *t, const struct wait_opts *wo)
{
	t->sys->info = wo->found ? wo->info : (struct sl_siginfo){ 0 };
	t->sys->info.value = (uint64_t)(uint32_t)wo->status;
}

/* The blocking part of do_wait (its wait queue loop): look again; with
 * nothing to report, sleep until a child changes state (wake_up_parent)
 * or a signal comes, which ends the wait with -ERESTARTSYS. */
long wait_resume(sl_kernel *k, struct task *t)
{
	struct wait_opts wo = { .type = (enum wait_type)t->sys->set, .id = t->sys->obj,
				.flags = (unsigned)t->sys->count };
	long r;

	k->caller = t->tid;
	r = do_wait(k, t, &wo);
	k->caller = 0;
	if (r == WAIT_WOULD_SLEEP) {
		if (t->sigpending)
			return -SL_ERESTARTSYS;
		sys_sleep(k, t, SL_SLEEP_INTERRUPTIBLE);
		return SL_SYSCALL_BLOCKED;
	}
	keep_result(t, &wo);
	if (t->sys->nr == SL_NR_WAITID && r >= 0)
		r = 0;
	return r;
}

/* __wake_up_parent: a child of `parent`'s process changed state (exit,
 * stop, continue, or an auto-reap that may leave nothing to wait for):
 * every thread of it asleep in a wait looks again. */
void wake_up_parent(sl_kernel *k, struct task *parent)
{
	struct task *t = parent->group->leader;

	do {
		if ((t->sys->nr == SL_NR_WAIT4 || t->sys->nr == SL_NR_WAITID) &&
		    t->sys->phase == SYS_SLEEPING)
			sys_wake(k, t);
		t = t->thread_next;
	} while (t != parent->group->leader);
}

static long wait_or_sleep(sl_kernel *k, struct task *cur, struct wait_opts *wo, int nr)
{
	long r;

	k->caller = cur->tid;
	r = do_wait(k, cur, wo);
	k->caller = 0;
	if (r != WAIT_WOULD_SLEEP)
		return r;
	if (sys_begin(k, cur, nr) < 0)
		return -SL_ENOMEM;
	cur->sys->set = (sl_sigset)wo->type;
	cur->sys->obj = wo->id;
	cur->sys->count = wo->flags;
	return sys_entry_result(k, cur, wait_resume(k, cur));
}

long sl_sys_wait4(sl_kernel *k, int caller, int pid, int *status, unsigned options)
{
	struct task *cur = wait_caller(k, caller);
	struct wait_opts wo = { .flags = options | SL_WEXITED };
	long ret;

	if (!cur)
		return -SL_ESRCH;
	if (options & ~(SL_WNOHANG | SL_WUNTRACED | SL_WCONTINUED | SL___WNOTHREAD |
			SL___WCLONE | SL___WALL))
		return -SL_EINVAL;
	/* -INT_MIN has no meaning (kernel_wait4). */
	if (pid == -2147483647 - 1)
		return -SL_ESRCH;
	if (pid == -1) {
		wo.type = WAIT_ANY;
	} else if (pid < 0) {
		wo.type = WAIT_PGID;
		wo.id = -pid;
	} else if (pid == 0) {
		wo.type = WAIT_PGID;
		wo.id = cur->group->pgrp ? cur->group->pgrp->pgid : 0;
	} else {
		wo.type = WAIT_PID;
		wo.id = pid;
	}
	ret = wait_or_sleep(k, cur, &wo, SL_NR_WAIT4);
	if (ret > 0 && status)
		*status = wo.status;
	return ret;
}

/* The syscall writes si_signo, si_errno, si_code, si_pid, si_uid and
 * si_status whatever kernel_waitid returned: zeros when it failed, so a
 * siginfo the caller filled in before is cleared (kernel/exit.c,
 * SYSCALL_DEFINE5(waitid)). */
static long waitid_fail(struct sl_siginfo *info, long err)
{
	if (info) {
		info->signo = info->errnum = info->code = info->pid = info->status = 0;
		info->uid = 0;
	}
	return err;
}

long sl_sys_waitid(sl_kernel *k, int caller, int idtype, int id,
		   struct sl_siginfo *info, unsigned options)
{
	struct task *cur = wait_caller(k, caller);
	struct wait_opts wo = { .flags = options };
	long ret;

	if (!cur)
		return -SL_ESRCH;
	if (options & ~(SL_WNOHANG | SL_WNOWAIT | SL_WEXITED | SL_WSTOPPED | SL_WCONTINUED |
			SL___WNOTHREAD | SL___WCLONE | SL___WALL))
		return waitid_fail(info, -SL_EINVAL);
	if (!(options & (SL_WEXITED | SL_WSTOPPED | SL_WCONTINUED)))
		return waitid_fail(info, -SL_EINVAL);
	switch (idtype) {
	case SL_P_ALL:
		wo.type = WAIT_ANY;
		break;
	case SL_P_PID:
		if (id <= 0)
			return waitid_fail(info, -SL_EINVAL);
		wo.type = WAIT_PID;
		wo.id = id;
		break;
	case SL_P_PGID:
		if (id < 0)
			return waitid_fail(info, -SL_EINVAL);
		wo.type = WAIT_PGID;
		wo.id = id ? id : (cur->group->pgrp ? cur->group->pgrp->pgid : 0);
		break;
	default:
		return waitid_fail(info, -SL_EINVAL);
	}
	ret = wait_or_sleep(k, cur, &wo, SL_NR_WAITID);
	if (ret < 0 && ret != SL_SYSCALL_BLOCKED)
		return waitid_fail(info, ret);
	if (ret < 0)
		return ret;
	if (info)
		*info = wo.found ? wo.info : (struct sl_siginfo){ 0 };
	return 0;
}
