/* Models time on a virtual clock: the expiry of sleeps (hrtimer sleepers),
 * ITIMER_REAL and alarm (kernel/time/itimer.c do_setitimer,
 * alarm_setitimer, it_real_fn, and the reload when SIGALRM is dequeued),
 * and POSIX timers with SIGEV_SIGNAL (kernel/time/posix-timers.c
 * timer_create, common_timer_set, posix_timer_fn, common_hrtimer_rearm;
 * kernel/signal.c posixtimer_send_sigqueue, posixtimer_deliver_signal):
 * a periodic timer whose signal is still queued does not run; when the
 * signal is dequeued the timer is forwarded past now, and the intervals
 * it skipped are its overrun (hrtimer_forward) (Linux 6.x).
 *
 * A timer re-armed, disarmed or deleted while its signal is queued makes
 * that signal stale: it stays pending (sigpending shows it) and is
 * dropped when it would be dequeued, as if it had never come
 * (posixtimer_deliver_signal's it_signal_seq check; Linux 6.13 on).  If
 * the timer fires again first, the queued siginfo is its own again
 * (already_pending).
 *
 * A periodic timer whose signal is ignored when it expires waits on the
 * process's ignored list, stopped, until a sigaction replaces SIG_IGN:
 * then its signal is queued again, without a signal_generate
 * (posixtimer_sig_ignore, posixtimer_sig_unignore; Linux 6.13 on, as the
 * host showed).
 *
 * UNMODELED(ITIMER_VIRTUAL and ITIMER_PROF: no CPU time in the model;
 * TIMER_ABSTIME; a periodic timer's queued signal flushed by SIG_IGN (the
 * kernel moves it to the ignored list)). */
#include "engine/internal.h"

static const char RULE_TIMER_FIRE[] =
	"a POSIX timer expired: its preallocated siginfo (SI_TIMER) is queued "
	"to the process (kernel/signal.c posixtimer_send_sigqueue)";
static const char RULE_ALARM_FIRE[] =
	"ITIMER_REAL expired: SIGALRM from the kernel (SI_KERNEL) to the "
	"process (kernel/time/itimer.c it_real_fn)";
static const char RULE_REARM[] =
	"the periodic timer's signal was dequeued: the timer is forwarded past "
	"now and the intervals it missed are its overrun "
	"(kernel/time/posix-timers.c common_hrtimer_rearm, hrtimer_forward)";

static const char RULE_CPU_REARM[] =
	"the periodic CPU-clock timer's signal was dequeued: the timer is moved "
	"past its clock's now by whole intervals, each one an overrun "
	"(kernel/time/posix-cpu-timers.c posix_cpu_timer_rearm, bump_cpu_timer)";

static const char RULE_STALE[] =
	"dropped at dequeue: the POSIX timer was re-armed, disarmed or deleted "
	"since its signal was queued, so the signal is stale "
	"(kernel/signal.c dequeue_signal, posixtimer_deliver_signal)";

sl_time sl_clock_now(const sl_kernel *k)
{
	SL_ASSERT(k != NULL);
	return k->world.now;
}

/* hrtimer_forward: moves *expires past now by whole intervals; returns
 * how many. */
static int64_t forward(sl_time *expires, sl_time now, sl_time interval)
{
	sl_time late;

	if (now < *expires || interval <= 0 || *expires == SL_KTIME_MAX)
		return 0;
	late = now - *expires;
	/* The new expiry is the last period boundary at or before now, plus
	 * one interval, saturated (hrtimer_forward uses ktime_add_safe). */
	*expires = ktime_add_safe(now - late % interval, interval);
	return late / interval + 1;
}

static struct task *group_leader_live(struct signal_group *g)
{
	return g->exit_state || (g->flags & SIGNAL_GROUP_EXIT) ? NULL : g->leader;
}

/* ---- ITIMER_REAL and alarm --------------------------------------------- */

static struct group_timers *caller_timers(sl_kernel *k, int caller, struct task **out)
{
	struct task *t = syscall_caller(k, caller);

	if (!t)
		return NULL;
	*out = t;
	return t->group->timers;
}

static sl_time real_remaining(const sl_kernel *k, const struct group_timers *gt)
{
	sl_time rem;

	if (!gt->real_armed)
		return 0;
	rem = gt->real_expires - k->world.now;
	/* An expired timer whose reload waits still reads as running. */
	return rem > 0 ? rem : 1000;
}

long sl_sys_setitimer(sl_kernel *k, int caller, int which,
		      const struct sl_itimerspec *nv, struct sl_itimerspec *ov)
{
	struct task *t;
	struct group_timers *gt = caller_timers(k, caller, &t);

	if (!gt)
		return -SL_ESRCH;
	if (which != SL_ITIMER_REAL)
		return which == SL_ITIMER_VIRTUAL || which == SL_ITIMER_PROF ? -SL_EINVAL
									 : -SL_EINVAL;
	if (nv && (nv->value < 0 || nv->interval < 0))
		return -SL_EINVAL;
	if (ov) {
		ov->value = real_remaining(k, gt);
		ov->interval = gt->real_incr;
	}
	if (!nv)
		return 0;
	if (timers_get(k, t->group) < 0)
		return -SL_ENOMEM;
	gt = t->group->timers;
	gt->real_armed = nv->value > 0;
	gt->real_expires = ktime_add_safe(k->world.now, nv->value);
	gt->real_incr = nv->value > 0 ? nv->interval : 0;
	gt->real_seq = ++k->world.timer_seq;
	return 0;
}

long sl_sys_getitimer(sl_kernel *k, int caller, int which, struct sl_itimerspec *cur)
{
	return which == SL_ITIMER_REAL ? sl_sys_setitimer(k, caller, which, NULL, cur)
				       : -SL_EINVAL;
}

/* alarm_setitimer: the old value is rounded to whole seconds, half a
 * second and more up, and never to 0 while the alarm runs. */
long sl_sys_alarm(sl_kernel *k, int caller, unsigned seconds)
{
	struct sl_itimerspec nv = { .value = (sl_time)seconds * SL_NSEC_PER_SEC }, ov;
	long r = sl_sys_setitimer(k, caller, SL_ITIMER_REAL, &nv, &ov);
	sl_time usec, sec;

	if (r < 0)
		return r;
	usec = ov.value / 1000;
	sec = usec / 1000000;
	usec %= 1000000;
	if ((!sec && usec) || usec >= 500000)
		sec++;
	return (long)sec;
}

/* ---- POSIX timers --------------------------------------------------------- */

static struct ktimer *find_ktimer(struct task *t, int id)
{
	struct group_timers *gt = t->group->timers;

	if (id < 0 || (size_t)id >= gt->ntimers || !gt->timers[id].used)
		return NULL;
	return &gt->timers[id];
}

/* The calling task's timer `id`: 0, -ESRCH for a dead caller, -EINVAL for
 * a timer id it does not own. */
static int caller_ktimer(sl_kernel *k, int caller, int id, struct task **t,
			 struct ktimer **tm)
{
	if (!caller_timers(k, caller, t))
		return -SL_ESRCH;
	*tm = find_ktimer(*t, id);
	return *tm ? 0 : -SL_EINVAL;
}

/* good_sigevent: SIGEV_SIGNAL (and SIGEV_THREAD, which the kernel treats
 * alike) needs a valid signal; SIGEV_THREAD_ID | SIGEV_SIGNAL also a
 * thread of the caller's process; SIGEV_NONE needs nothing; anything
 * else is EINVAL.  The target thread, or 0 for the process. */
static int good_sigevent(sl_kernel *k, const struct task *t, const struct sl_sigevent *ev,
			 int *target)
{
	const struct task *rtn;

	*target = 0;
	switch (ev->notify) {
	case SL_SIGEV_SIGNAL | SL_SIGEV_THREAD_ID:
		rtn = find_task(k, ev->tid);
		if (!rtn || rtn->released || rtn->group != t->group)
			return -SL_EINVAL;
		*target = ev->tid;
		/* fall through */
	case SL_SIGEV_SIGNAL:
	case SL_SIGEV_THREAD:
		if (ev->signo < 1 || ev->signo > SL_NSIG)
			return -SL_EINVAL;
		return 0;
	case SL_SIGEV_NONE:
		return 0;
	default:
		return -SL_EINVAL;
	}
}

long sl_sys_timer_create(sl_kernel *k, int caller, int sig, uint64_t value)
{
	struct sl_sigevent ev = { .notify = SL_SIGEV_SIGNAL, .signo = sig, .value = value };

	return sl_sys_timer_create_sigev(k, caller, &ev);
}

long sl_sys_timer_create_sigev(sl_kernel *k, int caller, const struct sl_sigevent *ev)
{
	return sl_sys_timer_create_clock(k, caller, SL_CLOCK_MONOTONIC, ev);
}

/* clockid_to_kclock: 0 for the engine's clock (the hrtimer clocks), 1 for
 * a CPU-time clock, or the error do_timer_create returns before it looks
 * at anything else: EINVAL for no such clock, EOPNOTSUPP for a clock
 * without timers (MONOTONIC_RAW, the COARSE clocks, a clock fd: a
 * negative id whose low bits are CLOCKFD).  UNMODELED(the alarm clocks:
 * EOPNOTSUPP, as on a machine without an RTC) */
static int timer_clock_kind(int clockid)
{
	if (clockid < 0)
		return (clockid & 7) == 3 ? -SL_EOPNOTSUPP : 1;
	switch (clockid) {
	case SL_CLOCK_REALTIME:
	case SL_CLOCK_MONOTONIC:
	case SL_CLOCK_BOOTTIME:
	case SL_CLOCK_TAI:
		return 0;
	case SL_CLOCK_PROCESS_CPUTIME_ID:
	case SL_CLOCK_THREAD_CPUTIME_ID:
		return 1;
	case 4: case 5: case 6:	/* MONOTONIC_RAW, REALTIME_COARSE, MONOTONIC_COARSE */
	case 8: case 9:		/* REALTIME_ALARM, BOOTTIME_ALARM */
		return -SL_EOPNOTSUPP;
	default:
		return -SL_EINVAL;
	}
}

long sl_sys_timer_create_clock(sl_kernel *k, int caller, int clockid,
			       const struct sl_sigevent *ev)
{
	struct task *t;
	struct group_timers *gt = caller_timers(k, caller, &t);
	struct ktimer *nt, cpu = { 0 };
	int target, err, kind;

	if (!gt)
		return -SL_ESRCH;
	kind = timer_clock_kind(clockid);
	if (kind < 0)
		return kind;
	if (!ev)
		return -SL_EFAULT;
	/* alloc_posix_timer, before the sigevent is looked at: every timer
	 * (SIGEV_NONE too) preallocates its sigqueue, charged to the
	 * creator's user against the creator's RLIMIT_SIGPENDING
	 * (posixtimer_init_sigqueue, sig_get_ucounts). */
	if (t->cred->user->sigpending + 1 > t->group->rlim[SL_RLIMIT_SIGPENDING].cur)
		return -SL_EAGAIN;
	err = good_sigevent(k, t, ev, &target);
	if (err)
		return err;
	/* posix_cpu_timer_create, after the sigevent: whose clock */
	if (kind == 1 && (err = cpu_clock_lookup(k, t, clockid, &cpu)))
		return err;
	if (timers_get(k, t->group) < 0)
		return -SL_ENOMEM;
	gt = t->group->timers;
	nt = krealloc(k, gt->timers, gt->ntimers * sizeof *nt, (gt->ntimers + 1) * sizeof *nt);
	if (!nt)
		return -SL_ENOMEM;
	gt->timers = nt;
	/* Timer ids count up per process and are not reused. */
	nt[gt->ntimers] = (struct ktimer){ .used = true, .sig = ev->notify == SL_SIGEV_NONE ? 0 : ev->signo,
					   .value = ev->value, .expires = -1,
					   .none = ev->notify == SL_SIGEV_NONE, .target = target,
					   .charged = t->cred->user, .cpu = cpu.cpu,
					   .cpu_thread = cpu.cpu_thread, .cpu_tid = cpu.cpu_tid,
					   .cpu_overrun = -1 };
	t->cred->user->sigpending++;
	return (long)gt->ntimers++;
}

/* common_timer_get: a periodic timer whose signal is still queued (or
 * owed, on the ignored list) is forwarded past now first, so it reads the
 * time to its next period, in (0, interval]; the kernel moves the expiry
 * and counts the skipped periods into it_overrun there, which the forward
 * at dequeue would count anyway, so the model only computes the value.
 * A timer that is due but not yet fired reads 1 ns: its signal is still
 * to come. */
static void timer_remaining(const sl_kernel *k, const struct ktimer *tm,
			    struct sl_itimerspec *cur)
{
	sl_time next = tm->expires;

	cur->interval = tm->interval;
	cur->value = 0;
	if (next < 0)
		return;
	if (tm->none) {
		/* common_timer_get: a SIGEV_NONE timer never fires; a periodic
		 * one is forwarded past now, a one-shot one past its expiry
		 * reads 0 */
		if (tm->interval > 0 && next <= k->world.now)
			forward(&next, k->world.now, tm->interval);
		cur->value = next > k->world.now ? next - k->world.now : 0;
		return;
	}
	if (tm->requeue_pending)
		forward(&next, k->world.now, tm->interval);
	cur->value = next > k->world.now ? next - k->world.now : 1;
}

long sl_sys_timer_settime(sl_kernel *k, int caller, int timerid,
			  const struct sl_itimerspec *nv, struct sl_itimerspec *ov)
{
	struct task *t;
	struct ktimer *tm;
	int err;

	err = caller_ktimer(k, caller, timerid, &t, &tm);
	if (err)
		return err;
	if (!nv || nv->value < 0 || nv->interval < 0)
		return -SL_EINVAL;
	if (tm->cpu)
		return cpu_timer_set(k, t->group, timerid, nv, ov);
	if (ov)
		timer_remaining(k, tm, ov);
	tm->requeue_pending = false;
	tm->ignored = false;	/* a signal it still owed is stale now */
	tm->signal_seq++;	/* and so is one still queued */
	tm->overrun = 0;
	/* common_timer_set: the count timer_getoverrun reads starts afresh
	 * with the new setting */
	tm->overrun_last = 0;
	tm->interval = nv->interval;
	tm->expires = nv->value > 0 ? ktime_add_safe(k->world.now, nv->value) : -1;
	tm->seq = ++k->world.timer_seq;
	return 0;
}

long sl_sys_timer_gettime(sl_kernel *k, int caller, int timerid, struct sl_itimerspec *cur)
{
	struct task *t;
	struct ktimer *tm;
	int err;

	err = caller_ktimer(k, caller, timerid, &t, &tm);
	if (err)
		return err;
	if (cur && tm->cpu)
		cpu_timer_get(k, tm, cur);
	else if (cur)
		timer_remaining(k, tm, cur);
	return 0;
}

long sl_sys_timer_getoverrun(sl_kernel *k, int caller, int timerid)
{
	struct task *t;
	struct ktimer *tm;
	int err;

	err = caller_ktimer(k, caller, timerid, &t, &tm);
	return err ? err : tm->overrun_last;
}

static void timer_uncharge(sl_kernel *k, struct signal_group *g, int id);

long sl_sys_timer_delete(sl_kernel *k, int caller, int timerid)
{
	struct task *t;
	struct ktimer *tm;
	int err;

	err = caller_ktimer(k, caller, timerid, &t, &tm);
	if (err)
		return err;
	timer_uncharge(k, t->group, timerid);
	tm->used = false;
	tm->ignored = false;
	tm->signal_seq++;
	tm->expires = -1;
	return 0;
}

/* The queue a timer's signal goes on: the process's, or the target
 * thread's for SIGEV_THREAD_ID (the timer's it_pid_type PIDTYPE_PID). */
static struct sigpending *timer_pending(struct signal_group *g, const struct ktimer *tm,
					struct task *p)
{
	return tm->target ? &p->pending : &g->shared_pending;
}

/* The timer's own siginfo where it sits queued, or NULL. */
static struct sigqueue *timer_sigq(sl_kernel *k, struct signal_group *g, int id)
{
	const struct ktimer *tm = &g->timers->timers[id];
	struct task *p = tm->target ? find_task(k, tm->target) : g->leader;

	/* a timer without a signal (SIGEV_NONE, or one whose creation
	 * failed) has nothing queued */
	if (!p || (tm->target && p->group != g) || tm->sig <= 0)
		return NULL;
	for (struct sigqueue *q = pending_first(timer_pending(g, tm, p), tm->sig); q; q = q->next)
		if (q->info.code == SL_SI_TIMER && q->info.timerid == id && !q->user)
			return q;
	return NULL;
}

/* A timer goes (timer_delete, exit_itimers): its sigqueue's charge goes
 * with it, or, while its siginfo is still queued, when that is freed
 * (posixtimer_sigqueue_putref: the queue holds a reference). */
static void timer_uncharge(sl_kernel *k, struct signal_group *g, int id)
{
	struct ktimer *tm = &g->timers->timers[id];
	struct sigqueue *q;

	if (!tm->charged)
		return;
	q = timer_sigq(k, g, id);
	if (q)
		q->user = tm->charged;
	else
		tm->charged->sigpending--;
	tm->charged = NULL;
}

/* posixtimer_queue_sigqueue: the timer's own siginfo goes on the
 * process's queue (or its thread's), even when a signal of that number is
 * pending already (no legacy_queue). */
static void timer_queue(sl_kernel *k, struct signal_group *g, int id, struct task *p)
{
	struct ktimer *tm = &g->timers->timers[id];
	struct sl_siginfo info = { .signo = tm->sig, .code = SL_SI_TIMER,
				   .value = tm->value, .timerid = id };
	struct sigpending *pend = timer_pending(g, tm, p);
	struct sigqueue_lists *l = NULL;
	struct sigqueue *q = sigqueue_alloc(k, p, true);

	/* the timer's preallocated sigqueue: charged once, at timer_create */
	if (q && tm->charged) {
		q->user->sigpending--;
		q->user = NULL;
	}
	if (q && !pend->lists) {
		l = kalloc(k, sizeof *l);
		if (l)
			pending_reserve(pend, l);
	}
	if (q && pend->lists) {
		q->info = info;
		pending_enqueue(pend, q);
		tm->queued = true;
	} else if (q) {
		sigqueue_free(k, q);
	}
	pend->signal |= sl_sigmask(tm->sig);
	signalfd_notify(k, p);
	complete_signal(k, tm->sig, p, tm->target ? PIDTYPE_PID : PIDTYPE_TGID);
}

/* The timer's own siginfo in its queue, or NULL: the kernel's is
 * preallocated, so it is queued at most once. */
static bool timer_sigq_queued(struct signal_group *g, int id, struct task *p)
{
	const struct ktimer *tm = &g->timers->timers[id];

	for (const struct sigqueue *q = pending_first(timer_pending(g, tm, p), tm->sig); q;
	     q = q->next)
		if (q->info.code == SL_SI_TIMER && q->info.timerid == id)
			return true;
	return false;
}

/* Who a timer signals: the process (through its leader), or its target
 * thread while that lives (posixtimer_send_sigqueue finds no task for a
 * thread that is gone, and sends nothing). */
static struct task *timer_target(sl_kernel *k, struct signal_group *g, const struct ktimer *tm)
{
	struct task *t;

	if (!tm->target)
		return group_leader_live(g);
	t = find_task(k, tm->target);
	if (!t || t->released || t->group != g || t->state == TASK_DEAD ||
	    (g->flags & SIGNAL_GROUP_EXIT))
		return NULL;
	return t;
}

/* posixtimer_send_sigqueue.  An ignored signal is not queued; a periodic
 * timer then goes on the ignored list (it stays stopped, its signal owed)
 * unless its siginfo is queued already.  A siginfo still queued (a stale
 * one: the timer was re-armed) is made current again and not queued
 * twice (already_pending). */
void posix_timer_fire(sl_kernel *k, struct signal_group *g, int id)
{
	struct ktimer *tm = &g->timers->timers[id];
	struct task *p = timer_target(k, g, tm);
	struct sl_siginfo info = { .signo = tm->sig, .code = SL_SI_TIMER,
				   .value = tm->value, .timerid = id };
	int result = SL_TRACE_DELIVERED;

	if (tm->interval > 0)
		tm->requeue_pending = true;
	else
		tm->expires = -1;
	if (!p)
		return;
	tm->sigqueue_seq = tm->signal_seq;
	if (prepare_signal(k, p, tm->sig, false)) {
		result = SL_TRACE_IGNORED;
		tm->ignored = tm->interval > 0 && !timer_sigq_queued(g, id, p);
	} else if (timer_sigq_queued(g, id, p)) {
		result = SL_TRACE_ALREADY_PENDING;
	} else {
		timer_queue(k, g, id, p);
	}
	if (k->cfg.event) {
		struct sl_event ev = { .kind = SL_EV_GENERATE, .tid = 0, .target = p->tid,
				       .sig = tm->sig, .result = result, .group = !tm->target,
				       .info = info, .rule = RULE_TIMER_FIRE };

		emit(k, &ev);
	}
}

/* it_real_fn: SIGALRM to the process, as kill_pid_info(SEND_SIG_PRIV). */
static void itimer_real_fire(sl_kernel *k, struct signal_group *g)
{
	struct task *p = group_leader_live(g);

	g->timers->real_armed = false;
	if (!p)
		return;
	emit_note(k, p->tid, SL_SIGALRM, RULE_ALARM_FIRE);
	send_signal_locked(k, NULL, SL_SIGALRM, INFO_PRIV, NULL, p, PIDTYPE_TGID);
}

void timer_sig_unignore(sl_kernel *k, struct task *p, int sig)
{
	struct group_timers *gt = p->group->timers;

	for (size_t i = 0; i < gt->ntimers; i++) {
		struct ktimer *tm = &gt->timers[i];
		struct task *to;

		if (!tm->used || !tm->ignored || tm->sig != sig)
			continue;
		tm->ignored = false;
		to = timer_target(k, p->group, tm);
		if (to)
			timer_queue(k, p->group, (int)i, to);
	}
}

bool timer_on_dequeue(sl_kernel *k, struct task *t, int sig, struct sl_siginfo *info)
{
	struct group_timers *gt = t->group->timers;
	struct ktimer *tm;

	/* The itimer reloads when its SIGALRM is dequeued (any SIGALRM). */
	if (sig == SL_SIGALRM && !gt->real_armed && gt->real_incr > 0) {
		forward(&gt->real_expires, k->world.now, gt->real_incr);
		gt->real_armed = true;
	}
	if (info->code != SL_SI_TIMER || info->timerid < 0 ||
	    (size_t)info->timerid >= gt->ntimers)
		return true;
	tm = &gt->timers[info->timerid];
	if (!tm->queued || tm->sig != sig)
		return true;
	tm->queued = false;
	/* posixtimer_deliver_signal: the timer was deleted or changed since
	 * the signal was queued; drop it, and rearm nothing. */
	if (!tm->used || tm->signal_seq != tm->sigqueue_seq) {
		emit_note(k, t->tid, sig, RULE_STALE);
		return false;
	}
	if (tm->requeue_pending && tm->cpu) {
		/* posixtimer_deliver_signal: it_overrun_last = it_overrun,
		 * which bump_cpu_timer counted up from -1 */
		cpu_timer_rearm(k, tm);
		tm->requeue_pending = false;
		tm->overrun = tm->cpu_overrun > INT32_MAX ? INT32_MAX : (int)tm->cpu_overrun;
		tm->cpu_overrun = -1;
		emit_note(k, t->tid, sig, RULE_CPU_REARM);
	} else if (tm->requeue_pending) {
		int64_t n = forward(&tm->expires, k->world.now, tm->interval);

		tm->requeue_pending = false;
		/* timer_overrun_to_int: the count saturates at INT_MAX. */
		tm->overrun = n <= 0 ? 0 : n - 1 > INT32_MAX ? INT32_MAX : (int)(n - 1);
		emit_note(k, t->tid, sig, RULE_REARM);
	} else {
		tm->overrun = 0;
	}
	tm->overrun_last = tm->overrun;
	info->overrun = tm->overrun;
	return true;
}

/* exit_itimers, as begin_new_exec calls it: every POSIX timer of the
 * process is deleted, so none fires into the new image; the id counter is
 * kept (it lives in the signal_struct, which exec keeps), and so is
 * ITIMER_REAL, whose SIGALRM a new image may expect (alarm before exec). */
void exit_itimers(sl_kernel *k, struct signal_group *g)
{
	for (size_t i = 0; i < g->timers->ntimers; i++) {
		struct ktimer *tm = &g->timers->timers[i];

		timer_uncharge(k, g, (int)i);
		tm->used = false;
		tm->ignored = false;
		tm->requeue_pending = false;
		tm->expires = -1;
	}
}

void timers_free(sl_kernel *k, struct signal_group *g)
{
	for (size_t i = 0; i < g->timers->ntimers; i++)
		if (g->timers->timers[i].charged) {
			g->timers->timers[i].charged->sigpending--;
			g->timers->timers[i].charged = NULL;
		}
	kfree(k, g->timers->timers, g->timers->ntimers * sizeof *g->timers->timers);
	g->timers->timers = NULL;
	g->timers->ntimers = 0;
	signalfd_free(k, g);
	timers_put(k, g);
}

/* DEVIATION(the model allocates a process's timer state on first use, so
 * an embedder's failing allocator makes setitimer, alarm, timer_create
 * and signalfd fail with ENOMEM; Linux's is part of signal_struct). */
int timers_get(sl_kernel *k, struct signal_group *g)
{
	struct group_timers *gt;

	if (g->timers != &k->timers_none)
		return 0;
	gt = kalloc(k, sizeof *gt);
	if (!gt)
		return -SL_ENOMEM;
	g->timers = gt;
	return 0;
}

void timers_put(sl_kernel *k, struct signal_group *g)
{
	if (g->timers != &k->timers_none)
		kfree(k, g->timers, sizeof *g->timers);
	g->timers = &k->timers_none;
}

/* ---- the clock ------------------------------------------------------------ */

static void consider(sl_time *best, sl_time at)
{
	if (at >= 0 && at != SL_KTIME_MAX && (*best < 0 || at < *best))
		*best = at;
}

sl_time sl_clock_next_event(const sl_kernel *k)
{
	sl_time best = -1;

	SL_ASSERT(k != NULL);
	for (size_t i = 0; i < k->ntasks_cap; i++) {
		const struct task *t = k->tasks[i];
		const struct group_timers *gt;

		if (!t || t->released)
			continue;
		if (t->state == TASK_SLEEPING && t->sys->deadline >= 0)
			consider(&best, t->sys->deadline);
		if (t != t->group->leader || t->group->exit_state)
			continue;
		gt = t->group->timers;
		if (gt->real_armed)
			consider(&best, gt->real_expires);
		for (size_t j = 0; j < gt->ntimers; j++)
			if (gt->timers[j].used && !gt->timers[j].requeue_pending &&
			    !gt->timers[j].none && !gt->timers[j].cpu)
				consider(&best, gt->timers[j].expires);
	}
	return best;
}

/* Everything due at k->world.now, in a fixed order: sleepers by tid, then
 * each process's itimer and POSIX timers. */
static void fire_due(sl_kernel *k)
{
	sl_time now = k->world.now;

	for (size_t i = 0; i < k->ntasks_cap; i++) {
		struct task *t = k->tasks[i];

		if (t && t->state == TASK_SLEEPING && ktime_due(t->sys->deadline, now)) {
			t->sys->timed_out = true;
			sys_wake(k, t);
		}
	}
	for (size_t i = 0; i < k->ntasks_cap; i++) {
		struct task *t = k->tasks[i];
		struct group_timers *gt;

		if (!t || t->released || t != t->group->leader || t->group->exit_state)
			continue;
		gt = t->group->timers;
		if (gt->real_armed && ktime_due(gt->real_expires, now))
			itimer_real_fire(k, t->group);
		for (size_t j = 0; j < gt->ntimers; j++) {
			struct ktimer *tm = &gt->timers[j];

			if (tm->used && !tm->none && !tm->requeue_pending && !tm->cpu &&
			    ktime_due(tm->expires, now))
				posix_timer_fire(k, t->group, (int)j);
		}
	}
}

int sl_clock_advance(sl_kernel *k, sl_time delta)
{
	sl_time target;

	SL_ASSERT(k != NULL);
	if (delta < 0)
		return -SL_EINVAL;
	target = ktime_add_safe(k->world.now, delta);
	if (target == SL_KTIME_MAX)
		target = SL_KTIME_MAX - 1;
	for (;;) {
		sl_time next = sl_clock_next_event(k);

		if (next < 0 || next > target)
			break;
		if (next > k->world.now)
			k->world.now = next;
		fire_due(k);
	}
	k->world.now = target;
	return 0;
}
