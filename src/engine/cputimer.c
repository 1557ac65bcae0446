/* Models POSIX timers on CPU-time clocks (kernel/time/posix-cpu-timers.c,
 * Linux 6.x): the clocks of CLOCK_PROCESS_CPUTIME_ID and
 * CLOCK_THREAD_CPUTIME_ID and the encoded ones clock_getcpuclockid and
 * pthread_getcpuclockid return (pid_for_clock), their timers' expiry in
 * the clock's own time (arm_timer, check_thread_timers,
 * check_process_timers, cpu_timer_fire), the value timer_gettime reads
 * (__posix_cpu_timer_get) and the reload when the signal is dequeued
 * (posix_cpu_timer_rearm, bump_cpu_timer).  The signal itself is the one
 * every POSIX timer queues (timer.c posix_timer_fire: SI_TIMER, its
 * preallocated siginfo, the ignored list, stale signals).
 *
 * CPU time moves only in sl_cpu_run (rlimit.c), which calls
 * cpu_timers_run at every instant something is due, so a timer fires at
 * the exact nanosecond its clock reaches its expiry.
 *
 * DEVIATION(the kernel checks CPU timers at the scheduler tick that finds
 * the clock past the expiry, up to a tick late; the model fires at the
 * exact instant) DEVIATION(the model keeps one CPU time per task: the
 * PROF (utime + stime), VIRT (utime) and SCHED (sum_exec_runtime) clocks
 * read the same time) */
#include "engine/internal.h"

static const char RULE_CPU_TIMER[] =
	"a POSIX timer on a CPU-time clock expired when the clock reached its "
	"expiry (kernel/time/posix-cpu-timers.c check_thread_timers, "
	"check_process_timers, cpu_timer_fire)";

/* The clock id's fields (include/linux/posix-timers.h CPUCLOCK_PID,
 * CPUCLOCK_PERTHREAD, CPUCLOCK_WHICH). */
static int cpuclock_pid(int clockid)
{
	return (int)~(clockid >> 3);
}

/* pid_for_clock(clock, gettime = false): the task whose clock a timer
 * counts.  Pid 0 is the caller's thread or process; a thread clock must
 * be a thread of the caller's process; a process clock must name a
 * process (its leader's pid), any process the caller can see. */
int cpu_clock_lookup(sl_kernel *k, struct task *caller, int clockid, struct ktimer *tm)
{
	bool thread;
	int pid;
	struct task *p;

	if (clockid == SL_CLOCK_PROCESS_CPUTIME_ID)
		clockid = SL_CPUCLOCK_PROCESS(0, SL_CPUCLOCK_SCHED);
	else if (clockid == SL_CLOCK_THREAD_CPUTIME_ID)
		clockid = SL_CPUCLOCK_THREAD(0, SL_CPUCLOCK_SCHED);
	if ((clockid & 3) > SL_CPUCLOCK_SCHED)
		return -SL_EINVAL;
	thread = (clockid & 4) != 0;
	pid = cpuclock_pid(clockid);
	if (pid == 0) {
		p = thread ? caller : caller->group->leader;
	} else {
		p = find_task_visible(k, caller, pid);
		if (!p || p->released)
			return -SL_EINVAL;
		if (thread ? p->group != caller->group : p != p->group->leader)
			return -SL_EINVAL;
	}
	tm->cpu = true;
	tm->cpu_thread = thread;
	tm->cpu_tid = p->tid;
	tm->cpu_overrun = -1;
	return 0;
}

/* cpu_clock_sample / cpu_clock_sample_group: the clock's time now, or -1
 * when its task has been reaped (cpu_timer_task_rcu finds none). */
static sl_time cpu_clock_now(const sl_kernel *k, const struct ktimer *tm)
{
	const struct task *c = find_task(k, tm->cpu_tid);

	if (!c || c->released)
		return -1;
	return tm->cpu_thread ? c->cputime : c->group->cputime;
}

/* bump_cpu_timer: a periodic timer at or past its expiry moves forward by
 * whole intervals (in doubling steps, as the kernel adds them) until the
 * expiry is past now, or reaches now exactly; each interval is an
 * overrun.  Returns the expiry. */
static sl_time bump_cpu_timer(struct ktimer *tm, sl_time now)
{
	uint64_t incr, delta;	/* u64 as in the kernel: now + incr may pass KTIME_MAX */
	int i;

	if (tm->interval <= 0 || now < tm->expires)
		return tm->expires;
	incr = (uint64_t)tm->interval;
	delta = (uint64_t)now + incr - (uint64_t)tm->expires;
	for (i = 0; incr < delta - incr; i++)
		incr <<= 1;
	for (; i >= 0; incr >>= 1, i--) {
		if (delta < incr)
			continue;
		/* incr < 2^63: it doubles only while twice it is below delta */
		tm->expires = ktime_add_safe(tm->expires, (sl_time)incr);
		tm->cpu_overrun += (int64_t)1 << i;
		delta -= incr;
	}
	return tm->expires;
}

/* __posix_cpu_timer_get's value: a periodic timer that is not armed (its
 * signal queued or owed, or SIGEV_NONE, which is never armed) is bumped
 * past now first; a timer due but not fired reads 1 ns, an expired
 * one-shot SIGEV_NONE timer 0. */
static sl_time cpu_timer_value(struct ktimer *tm, sl_time now)
{
	sl_time expires = tm->expires;

	if (tm->interval > 0 && (tm->requeue_pending || tm->ignored || tm->none))
		expires = bump_cpu_timer(tm, now);
	if (now < expires)
		return expires - now;
	return tm->none ? 0 : 1;
}

/* posix_cpu_timer_get: a disarmed timer, or one whose clock's task is
 * gone, reads all zero (its interval too). */
void cpu_timer_get(sl_kernel *k, struct ktimer *tm, struct sl_itimerspec *cur)
{
	sl_time now = cpu_clock_now(k, tm);

	cur->interval = 0;
	cur->value = 0;
	if (now < 0 || tm->expires < 0)
		return;
	cur->interval = tm->interval;
	cur->value = cpu_timer_value(tm, now);
}

/* posix_cpu_timer_set with a relative value: the old value as timer_gettime
 * would read it, then the new expiry on the clock's time now.  A queued
 * signal of the old setting is stale; the overrun count starts afresh.
 * ESRCH when the clock's task has been reaped. */
long cpu_timer_set(sl_kernel *k, struct signal_group *g, int id,
		   const struct sl_itimerspec *nv, struct sl_itimerspec *ov)
{
	struct ktimer *tm = &g->timers->timers[id];
	sl_time now = cpu_clock_now(k, tm);

	if (now < 0)
		return -SL_ESRCH;
	if (ov) {
		ov->interval = tm->interval;
		ov->value = tm->expires >= 0 ? cpu_timer_value(tm, now) : 0;
	}
	tm->requeue_pending = false;
	tm->ignored = false;
	tm->signal_seq++;
	tm->overrun = 0;
	tm->overrun_last = 0;
	tm->cpu_overrun = -1;
	tm->interval = nv->interval;
	tm->expires = nv->value > 0 ? ktime_add_safe(now, nv->value) : -1;
	tm->seq = ++k->world.timer_seq;
	return 0;
}

/* posix_cpu_timer_rearm, when the periodic timer's signal is dequeued:
 * bumped past the clock's now and armed again. */
void cpu_timer_rearm(sl_kernel *k, struct ktimer *tm)
{
	sl_time now = cpu_clock_now(k, tm);

	if (now >= 0)
		bump_cpu_timer(tm, now);
}

/* A timer that can fire: armed, with a signal, not waiting for its
 * signal's dequeue or on the ignored list. */
static bool cpu_timer_armed(const struct ktimer *tm)
{
	return tm->used && tm->cpu && !tm->none && !tm->requeue_pending && !tm->ignored &&
	       tm->expires >= 0;
}

/* Whether the timer counts t's thread clock or t's process clock. */
static bool cpu_timer_on(const sl_kernel *k, const struct ktimer *tm, const struct task *t)
{
	const struct task *c;

	if (tm->cpu_thread)
		return tm->cpu_tid == t->tid;
	c = find_task(k, tm->cpu_tid);
	return c && !c->released && c->group == t->group;
}

/* The owner of a live process's timers, by its leader, or NULL. */
static struct signal_group *timer_owner(const sl_kernel *k, size_t i)
{
	struct task *o = k->tasks[i];

	if (!o || o->released || o != o->group->leader || o->group->exit_state)
		return NULL;
	return o->group;
}

/* The next timer to fire on t's clocks at its time now: thread timers
 * before process timers (run_posix_cpu_timers collects check_thread_timers
 * first), earlier expiry first, then creation order. */
static bool next_due(sl_kernel *k, struct task *t, struct signal_group **og, int *oid)
{
	const struct ktimer *best = NULL;

	for (size_t i = 0; i < k->ntasks_cap; i++) {
		struct signal_group *g = timer_owner(k, i);

		for (size_t j = 0; g && j < g->timers->ntimers; j++) {
			const struct ktimer *tm = &g->timers->timers[j];
			sl_time now;

			if (!cpu_timer_armed(tm) || !cpu_timer_on(k, tm, t))
				continue;
			now = tm->cpu_thread ? t->cputime : t->group->cputime;
			if (tm->expires > now)
				continue;
			if (best && (best->cpu_thread != tm->cpu_thread ? best->cpu_thread
					     : best->expires != tm->expires ? best->expires < tm->expires
					     : best->seq < tm->seq))
				continue;
			best = tm;
			*og = g;
			*oid = (int)j;
		}
	}
	return best != NULL;
}

bool cpu_timers_run(sl_kernel *k, struct task *t)
{
	struct signal_group *g;
	int id;
	bool fired = false;

	while (next_due(k, t, &g, &id)) {
		emit_note(k, t->tid, g->timers->timers[id].sig, RULE_CPU_TIMER);
		posix_timer_fire(k, g, id);
		fired = true;
	}
	return fired;
}

sl_time cpu_timers_left(const sl_kernel *k, const struct task *t)
{
	sl_time best = -1;

	for (size_t i = 0; i < k->ntasks_cap; i++) {
		const struct signal_group *g = timer_owner(k, i);

		for (size_t j = 0; g && j < g->timers->ntimers; j++) {
			const struct ktimer *tm = &g->timers->timers[j];
			sl_time left;

			if (!cpu_timer_armed(tm) || !cpu_timer_on(k, tm, t))
				continue;
			left = tm->expires - (tm->cpu_thread ? t->cputime : t->group->cputime);
			if (left < 0)
				left = 0;
			if (best < 0 || left < best)
				best = left;
		}
	}
	return best;
}
