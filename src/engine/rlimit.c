/* Models the resource limits that end in signals (Linux 6.x):
 * kernel/sys.c do_prlimit, check_prlimit_permission and the prlimit64 /
 * getrlimit / setrlimit calls; kernel/time/posix-cpu-timers.c
 * check_process_timers and check_rlimit (RLIMIT_CPU: SIGXCPU, SIGKILL);
 * mm/filemap.c generic_write_check_limits (RLIMIT_FSIZE: SIGXFSZ, EFBIG).
 * RLIMIT_SIGPENDING is charged in sigqueue.c, RLIMIT_CORE read in
 * coredump.c. */
#include <string.h>

#include "engine/internal.h"

static const char RULE_XCPU[] =
	"SIGXCPU: the process's CPU time reached its RLIMIT_CPU soft limit; the "
	"soft limit moves up a second, so it comes again every second "
	"(kernel/time/posix-cpu-timers.c check_process_timers, check_rlimit)";
static const char RULE_CPU_KILL[] =
	"SIGKILL: the process's CPU time reached its RLIMIT_CPU hard limit "
	"(kernel/time/posix-cpu-timers.c check_process_timers)";
static const char RULE_XFSZ[] =
	"SIGXFSZ: a write at or past RLIMIT_FSIZE fails with EFBIG and the "
	"writer gets SIGXFSZ (mm/filemap.c generic_write_check_limits, send_sig)";

/* The limits of a process made from nothing: those of the kernel's init
 * task (include/asm-generic/resource.h INIT_RLIMITS), with the
 * embedder's RLIMIT_SIGPENDING.  A fork copies its parent's. */
static void init_rlimits(const sl_kernel *k, struct sl_rlimit *rlim)
{
	for (int i = 0; i < SL_RLIM_NLIMITS; i++)
		rlim[i] = (struct sl_rlimit){ SL_RLIM_INFINITY, SL_RLIM_INFINITY };
	rlim[SL_RLIMIT_STACK].cur = 8u << 20;
	rlim[SL_RLIMIT_CORE].cur = 0;
	rlim[SL_RLIMIT_NPROC] = (struct sl_rlimit){ 0, 0 };
	rlim[SL_RLIMIT_NOFILE] = (struct sl_rlimit){ 1024, 4096 };
	rlim[SL_RLIMIT_MEMLOCK] = (struct sl_rlimit){ 8u << 20, 8u << 20 };
	rlim[SL_RLIMIT_SIGPENDING] = (struct sl_rlimit){ k->cfg.rlimit_sigpending,
							    k->cfg.rlimit_sigpending };
	rlim[SL_RLIMIT_MSGQUEUE] = (struct sl_rlimit){ 819200, 819200 };
	rlim[SL_RLIMIT_NICE] = (struct sl_rlimit){ 0, 0 };
	rlim[SL_RLIMIT_RTPRIO] = (struct sl_rlimit){ 0, 0 };
}

/*
 * Copy-on-write, as the sighand is (sighand.c): a process made from
 * nothing, and every process forked from one that never changed a limit,
 * points at the kernel's one copy of init's limits, so an idle process
 * holds no table of its own.  A process gets its own copy when it first
 * changes a limit, and a fork copies a parent's own.
 */
void rlimit_init(sl_kernel *k)
{
	init_rlimits(k, k->rlim_init);
}

static struct sl_rlimit *rlimit_copy(sl_kernel *k, const struct sl_rlimit *from)
{
	struct sl_rlimit *r = kalloc(k, SL_RLIM_NLIMITS * sizeof *r);

	if (r)
		memcpy(r, from, SL_RLIM_NLIMITS * sizeof *r);
	return r;
}

int rlimit_fork(sl_kernel *k, struct signal_group *g, const struct signal_group *parent)
{
	if (parent->rlim == k->rlim_init) {
		g->rlim = k->rlim_init;
		return 0;
	}
	g->rlim = rlimit_copy(k, parent->rlim);
	return g->rlim ? 0 : -SL_ENOMEM;
}

void rlimit_put(sl_kernel *k, struct signal_group *g)
{
	if (g->rlim && g->rlim != k->rlim_init)
		kfree(k, g->rlim, SL_RLIM_NLIMITS * sizeof *g->rlim);
	g->rlim = k->rlim_init;
}

/* DEVIATION(a process's first change of a resource limit allocates its
 * own copy of the limits, so an embedder's failing allocator makes
 * prlimit64 and setrlimit fail with ENOMEM; Linux's limits are part of
 * signal_struct and never fail for memory). */
static int rlimit_unshare(sl_kernel *k, struct signal_group *g)
{
	struct sl_rlimit *r;

	if (g->rlim != k->rlim_init)
		return 0;
	r = rlimit_copy(k, g->rlim);
	if (!r)
		return -SL_ENOMEM;
	g->rlim = r;
	return 0;
}

/* sl_check's part: the shared limits are still init's. */
const char *check_rlimits(const sl_kernel *k)
{
	struct sl_rlimit want[SL_RLIM_NLIMITS];

	init_rlimits(k, want);
	return memcmp(want, k->rlim_init, sizeof want) ? "the shared resource limits were written"
							: NULL;
}

/* check_prlimit_permission: a task may always name itself; any other
 * task, another thread of its own process included (credentials are per
 * thread), only when the caller's real uid is the target's real,
 * effective and saved uid, or with CAP_SYS_RESOURCE (an effective uid 0
 * in the model, as cred_capable; found by siglab fuzz, seed 704267: a
 * thread naming its leader after the leader's setuid). */
static bool prlimit_permitted(const struct task *cur, const struct task *t)
{
	const struct cred *c = cur->cred, *tc = t->cred;

	return cur == t || (c->uid == tc->uid && c->uid == tc->euid && c->uid == tc->suid) ||
	       c->euid == 0;
}

/* do_prlimit: the resource must exist, the new soft limit may not exceed
 * the new hard one, and only CAP_SYS_RESOURCE raises a hard limit.  The
 * old value is read before the new one is written. */
static long do_prlimit(sl_kernel *k, struct task *cur, struct task *t, unsigned resource,
		       const struct sl_rlimit *new_rlim, struct sl_rlimit *old_rlim)
{
	struct sl_rlimit *rlim;

	if (resource >= SL_RLIM_NLIMITS)
		return -SL_EINVAL;
	if (new_rlim && new_rlim->cur > new_rlim->max)
		return -SL_EINVAL;
	/* UNMODELED(RLIMIT_NOFILE above fs.nr_open is EPERM: the model has no
	 * sysctls). */
	rlim = &t->group->rlim[resource];
	if (new_rlim && new_rlim->max > rlim->max && cur->cred->uid != 0)
		return -SL_EPERM;
	if (old_rlim)
		*old_rlim = *rlim;
	if (!new_rlim)
		return 0;
	if (rlimit_unshare(k, t->group) < 0)
		return -SL_ENOMEM;
	t->group->rlim[resource] = *new_rlim;
	return 0;
}

long sl_sys_prlimit64(sl_kernel *k, int caller, int pid, unsigned resource,
		      const struct sl_rlimit *new_rlim, struct sl_rlimit *old_rlim)
{
	struct task *cur = syscall_caller(k, caller), *t;

	if (!cur)
		return -SL_ESRCH;
	/* find_task_by_vpid: any thread, as the caller's namespace numbers
	 * it; a task that has exited keeps its limits until it is reaped. */
	t = pid ? find_task_visible(k, cur, pid) : cur;
	if (!t || t->released)
		return -SL_ESRCH;
	if (!prlimit_permitted(cur, t))
		return -SL_EPERM;
	return do_prlimit(k, cur, t, resource, new_rlim, old_rlim);
}

/* check_rlimit: the process's CPU time has reached `limit` seconds. */
static bool cpu_reached(sl_time used, uint64_t limit)
{
	return limit < (uint64_t)(SL_KTIME_MAX / SL_NSEC_PER_SEC) &&
	       used >= (sl_time)limit * SL_NSEC_PER_SEC;
}

/* The CPU time at which the next RLIMIT_CPU check fires, or -1. */
static sl_time cpu_next_expiry(const struct signal_group *g)
{
	uint64_t soft = g->rlim[SL_RLIMIT_CPU].cur, hard = g->rlim[SL_RLIMIT_CPU].max;
	uint64_t lim = soft < hard ? soft : hard;

	if (lim >= (uint64_t)(SL_KTIME_MAX / SL_NSEC_PER_SEC))
		return -1;
	return (sl_time)lim * SL_NSEC_PER_SEC;
}

/* check_process_timers, RLIMIT_CPU part: at the hard limit SIGKILL and
 * nothing more; at the soft limit SIGXCPU, and the soft limit goes up a
 * second, so that the next one comes a second later.  Both go to the
 * process (PIDTYPE_TGID) from the kernel (SEND_SIG_PRIV: SI_KERNEL).
 * Returns whether a signal was sent. */
static bool check_process_timers(sl_kernel *k, struct task *t)
{
	struct signal_group *g = t->group;
	struct sl_rlimit *r = &g->rlim[SL_RLIMIT_CPU];

	if (r->cur == SL_RLIM_INFINITY)
		return false;
	if (cpu_reached(g->cputime, r->max)) {
		emit_note(k, t->tid, SL_SIGKILL, RULE_CPU_KILL);
		send_signal_locked(k, t, SL_SIGKILL, INFO_PRIV, NULL, t, PIDTYPE_TGID);
		return true;
	}
	if (!cpu_reached(g->cputime, r->cur))
		return false;
	emit_note(k, t->tid, SL_SIGXCPU, RULE_XCPU);
	send_signal_locked(k, t, SL_SIGXCPU, INFO_PRIV, NULL, t, PIDTYPE_TGID);
	r->cur++;
	return true;
}

/* DEVIATION(the kernel checks RLIMIT_CPU at the tick after the limit is
 * crossed, a few milliseconds late, and at any tick the process runs: a
 * limit lowered below the time already used fires at the next tick that
 * finds the process running; here CPU time is used only in sl_cpu_run,
 * which checks at the exact instant, including at its start).
 *
 * The thread's time and its process's grow together; at each instant a
 * limit or a CPU-clock timer is due (cputimer.c), it fires and the run
 * stops there, so that the embedder lets the task take the signal. */
sl_time sl_cpu_run(sl_kernel *k, int tid, sl_time ns)
{
	struct task *t = find_task(k, tid);
	struct signal_group *g;
	sl_time run = 0;

	if (!t || t->state == TASK_DEAD)
		return -SL_ESRCH;
	if (ns < 0)
		return -SL_EINVAL;
	g = t->group;
	/* DEVIATION(CPU time saturates at KTIME_MAX, 292 years of one
	 * process; the kernel's u64 sum_exec_runtime would wrap after 584). */
	if (ns > SL_KTIME_MAX - g->cputime)
		ns = SL_KTIME_MAX - g->cputime;
	for (;;) {
		sl_time at = cpu_next_expiry(g), left;
		sl_time step = ns - run;

		if (at >= 0 && g->cputime >= at) {
			if (check_process_timers(k, t))
				return run;
		}
		if (cpu_timers_run(k, t))
			return run;
		if (run == ns || (g->flags & SIGNAL_GROUP_EXIT))
			return run;
		at = cpu_next_expiry(g);
		if (at >= 0 && at - g->cputime < step)
			step = at - g->cputime;
		left = cpu_timers_left(k, t);
		if (left >= 0 && left < step)
			step = left;
		g->cputime += step;
		t->cputime += step;
		run += step;
	}
}

sl_time sl_cpu_time(const sl_kernel *k, int tid)
{
	const struct task *t = find_task(k, tid);

	if (!t)
		return -SL_ESRCH;
	return t->group->cputime;
}

sl_time sl_cpu_thread_time(const sl_kernel *k, int tid)
{
	const struct task *t = find_task(k, tid);

	if (!t)
		return -SL_ESRCH;
	return t->cputime;
}

sl_time sl_cpu_timer_next(const sl_kernel *k, int tid)
{
	const struct task *t = find_task(k, tid);
	sl_time at, left;

	if (!t)
		return -SL_ESRCH;
	left = cpu_timers_left(k, t);
	at = t->group->rlim[SL_RLIMIT_CPU].cur == SL_RLIM_INFINITY ? -1
								   : cpu_next_expiry(t->group);
	if (at >= 0) {
		at = at > t->group->cputime ? at - t->group->cputime : 0;
		if (left < 0 || at < left)
			left = at;
	}
	return left;
}

/* generic_write_check_limits: a write starting at or past RLIMIT_FSIZE
 * fails with EFBIG and sends SIGXFSZ to the writer (send_sig: SI_USER
 * from itself, to the thread); one that would cross it is cut short at
 * the limit.  An empty write returns 0 before any check
 * (generic_write_checks_count). */
long sl_sys_pwrite64(sl_kernel *k, int caller, int64_t pos, uint64_t count)
{
	struct task *cur = syscall_caller(k, caller);
	uint64_t limit;

	if (!cur)
		return -SL_ESRCH;
	if (pos < 0)
		return -SL_EINVAL;
	if (count == 0)
		return 0;
	limit = cur->group->rlim[SL_RLIMIT_FSIZE].cur;
	if (limit != SL_RLIM_INFINITY) {
		if ((uint64_t)pos >= limit) {
			emit_note(k, cur->tid, SL_SIGXFSZ, RULE_XFSZ);
			send_signal_locked(k, cur, SL_SIGXFSZ, INFO_NOINFO, NULL, cur,
					   PIDTYPE_PID);
			return -SL_EFBIG;
		}
		if (count > limit - (uint64_t)pos)
			count = limit - (uint64_t)pos;
	}
	/* MAX_RW_COUNT: a single write moves at most INT_MAX & PAGE_MASK. */
	if (count > 0x7ffff000u)
		count = 0x7ffff000u;
	return (long)count;
}
