/*
 * The agent's timer statements: ITIMER_REAL and POSIX timers with
 * SIGEV_SIGNAL, as raw system calls, their times scaled to the scenario
 * clock (agent_clock.c).  `alarm N` is the one emulation: the kernel's
 * alarm counts whole real seconds, which cannot be scaled, so it runs as
 * the setitimer(ITIMER_REAL) that alarm_setitimer is, and its result is
 * the old value rounded as alarm_setitimer rounds it (half a second and
 * more up, never 0 while the alarm runs; checked against the real
 * alarm(2)).
 *
 * Everything here is async-signal-safe: it may run inside a handler.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>

#include "host/timing.h"

/* Per process (threads share them, as they share the kernel's): the
 * kernel's id of each timer, indexed by the scenario's timer id (the
 * order of timer_create calls). */
#define AGENT_MAX_TIMERS HOST_MAX_TIMERS
static int timer_ids[AGENT_MAX_TIMERS];
static int timer_cpu[AGENT_MAX_TIMERS];	/* a CPU-time clock: values unscaled */
static int ntimers;

void agent_timer_save(struct agent_timers *out)
{
	out->ntimers = ntimers;
	for (int i = 0; i < AGENT_MAX_TIMERS; i++)
		out->timer_ids[i] = i < ntimers ? timer_ids[i] : -1;
	for (int i = 0; i < AGENT_MAX_TIMERS; i++)
		out->timer_cpu[i] = i < ntimers ? timer_cpu[i] : 0;
}

void agent_timer_restore(const struct agent_timers *in)
{
	ntimers = in->ntimers >= 0 && in->ntimers <= AGENT_MAX_TIMERS ? in->ntimers : 0;
	for (int i = 0; i < ntimers; i++) {
		timer_ids[i] = in->timer_ids[i];
		timer_cpu[i] = in->timer_cpu[i];
	}
}

static int64_t setitimer_real(const struct host_time *tm, int64_t value, int64_t interval,
			      struct itimerval *old)
{
	struct itimerval nv;

	nv.it_value = agent_tv_of(agent_real_duration(tm, value));
	nv.it_interval = agent_tv_of(host_to_real(tm->clock, interval));
	return xlat_syscall(SYS_setitimer, ITIMER_REAL, (long)&nv, (long)old, 0);
}

/* alarm_setitimer's rounding of the old value. */
static int64_t op_alarm(const struct host_time *tm, const struct sc_stmt *st)
{
	struct itimerval old;
	int64_t left, sec, nsec;
	long r;

	memset(&old, 0, sizeof old);
	r = setitimer_real(tm, (int64_t)st->num * SL_NSEC_PER_SEC, 0, &old);
	if (r < 0)
		return r;
	left = agent_scenario_remaining(tm, agent_ns_of_tv(old.it_value), (int64_t)xlat_now_ns());
	sec = left / SL_NSEC_PER_SEC;
	nsec = left % SL_NSEC_PER_SEC;
	if ((!sec && nsec) || nsec >= SL_NSEC_PER_SEC / 2)
		sec++;
	return sec;
}

static int64_t op_getitimer(const struct host_time *tm, struct report *end)
{
	struct itimerval cur;
	long r;

	memset(&cur, 0, sizeof cur);
	r = xlat_syscall(SYS_getitimer, ITIMER_REAL, (long)&cur, 0, 0);
	end->t_value = agent_scenario_remaining(tm, agent_ns_of_tv(cur.it_value), (int64_t)xlat_now_ns());
	end->t_interval = agent_quantize(host_from_real(tm->clock, agent_ns_of_tv(cur.it_interval)));
	return r;
}

/* The kernel's id of the scenario's timer `id`, or an id no timer has. */
static long kernel_timer(long id)
{
	return id >= 0 && id < ntimers ? timer_ids[id] : -1;
}

static int64_t op_timer_create(const struct sc_stmt *st)
{
	struct sigevent sev;
	int id = -1;
	long r;

	if (ntimers >= AGENT_MAX_TIMERS)
		return -EAGAIN;
	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = st->notify;	/* SL_SIGEV_* are the uapi values */
	sev.sigev_signo = st->sig;
	if (st->notify & SL_SIGEV_THREAD_ID)
		sev._sigev_un._tid = agent_target_pid(&st->target);
	sev.sigev_value.sival_ptr = (void *)(uintptr_t)st->value;
	r = xlat_syscall(SYS_timer_create, st->clock ? st->clock : CLOCK_MONOTONIC, (long)&sev,
			 (long)&id, 0);
	if (r < 0)
		return r;
	timer_cpu[ntimers] = st->clock != 0;
	timer_ids[ntimers++] = id;
	return id;
}

static int64_t op_timer_settime(const struct host_time *tm, const struct sc_stmt *st)
{
	struct itimerspec nv;

	/* CPU time is not scaled: spin burns it as the scenario says */
	if (st->num >= 0 && st->num < ntimers && timer_cpu[st->num]) {
		nv.it_value = agent_ts_of(st->dur);
		nv.it_interval = agent_ts_of(st->interval);
		return xlat_syscall(SYS_timer_settime, kernel_timer(st->num), 0, (long)&nv, 0);
	}
	nv.it_value = agent_ts_of(agent_real_duration(tm, st->dur));
	nv.it_interval = agent_ts_of(host_to_real(tm->clock, st->interval));
	return xlat_syscall(SYS_timer_settime, kernel_timer(st->num), 0, (long)&nv, 0);
}

int64_t agent_op_alarm(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	(void)end;
	return op_alarm(e->time, st);
}

int64_t agent_op_setitimer(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	(void)end;
	return setitimer_real(e->time, st->dur, st->interval, NULL);
}

int64_t agent_op_getitimer(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	(void)st;
	return op_getitimer(e->time, end);
}

int64_t agent_op_timer_create(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	(void)end;
	(void)e;
	return op_timer_create(st);
}

int64_t agent_op_timer_settime(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	(void)end;
	return op_timer_settime(e->time, st);
}

int64_t agent_op_timer_getoverrun(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	(void)end;
	(void)e;
	return xlat_syscall(SYS_timer_getoverrun, kernel_timer(st->num), 0, 0, 0);
}

int64_t agent_op_timer_delete(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	(void)end;
	(void)e;
	return xlat_syscall(SYS_timer_delete, kernel_timer(st->num), 0, 0, 0);
}
