/*
 * The agent's statements that sleep: the real blocking calls pause,
 * rt_sigsuspend, rt_sigtimedwait and nanosleep, as raw system calls so
 * that glibc adds nothing, their times scaled to the scenario clock
 * (agent_clock.c).
 *
 * Everything here is async-signal-safe: it may run inside a handler.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <time.h>

#include "host/timing.h"

static void take_info(struct report *end, const siginfo_t *si)
{
	end->sig = si->si_signo;
	end->code = si->si_code;
	end->pid = si->si_code == SI_TIMER ? 0 : si->si_pid;
	end->value = (uint64_t)(uintptr_t)si->si_value.sival_ptr;
	agent_take_siginfo(end, si);
}

/* The timeout the real call gets: the duration scaled to host time, or
 * the scenario's raw {SEC, NSEC} as written when the kernel would refuse
 * it (a valid one is scaled like a duration). */
static struct timespec timeout_of(const struct host_time *tm, const struct sc_stmt *st)
{
	struct timespec ts;

	if (!st->has_ts || (st->ts_sec >= 0 && st->ts_nsec >= 0 &&
			    st->ts_nsec < SL_NSEC_PER_SEC))
		return agent_ts_of(agent_real_duration(tm, st->dur));
	ts.tv_sec = (time_t)st->ts_sec;
	ts.tv_nsec = (long)st->ts_nsec;
	return ts;
}

static int64_t op_sigtimedwait(const struct host_time *tm, const struct sc_stmt *st,
			       struct report *end)
{
	siginfo_t si;
	struct timespec to;
	uint64_t set = st->mask;
	long r;

	memset(&si, 0, sizeof si);
	if (st->op == SC_OP_SIGTIMEDWAIT)
		to = timeout_of(tm, st);
	r = xlat_syscall(SYS_rt_sigtimedwait, agent_uptr(st, SC_PTR_SET, &set),
			 agent_uptr(st, SC_PTR_INFO, &si),
			 agent_uptr(st, SC_PTR_TIMEOUT, st->op == SC_OP_SIGTIMEDWAIT ? &to : NULL),
			 (long)sc_sigsetsize(st));
	if (r > 0)
		take_info(end, &si);
	return r;
}

/* nanosleep: the kernel measures the time left when the sleep is cut
 * short (do_nanosleep), which may be steps before the call returns (a
 * stop, then a SIGCONT handler): that real time is the sleep's end less
 * the time left. */
static int64_t op_nanosleep(const struct host_time *tm, const struct sc_stmt *st,
			    struct report *end)
{
	int64_t real = agent_real_duration(tm, st->dur);
	struct timespec req = timeout_of(tm, st), rem = { 0, 0 };
	int64_t end_at = (int64_t)xlat_now_ns() + real;
	long r;

	r = xlat_syscall(SYS_nanosleep, (long)&req, (long)&rem, 0, 0);
	if (r == -EINTR) {
		int64_t left = (int64_t)rem.tv_sec * SL_NSEC_PER_SEC + rem.tv_nsec;

		end->t_value = agent_scenario_remaining(tm, left, end_at - left);
	}
	return r;
}

int64_t agent_op_pause(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	(void)end;
	(void)e;
	(void)st;
	return xlat_syscall(SYS_pause, 0, 0, 0, 0);
}

int64_t agent_op_sigsuspend(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	uint64_t set = st->mask;

	(void)e;
	(void)end;
	return xlat_syscall(SYS_rt_sigsuspend, agent_uptr(st, SC_PTR_SET, &set),
			    (long)sc_sigsetsize(st), 0, 0);
}

/* sigtimedwait, and sigwaitinfo: the same call without a timeout. */
int64_t agent_op_sigtimedwait(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	return op_sigtimedwait(e->time, st, end);
}

int64_t agent_op_nanosleep(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	return op_nanosleep(e->time, st, end);
}

/* poll, ppoll, select, pselect6, epoll_wait and epoll_pwait on no
 * descriptor (an epoll instance with none registered): the real calls,
 * their timeouts scaled like nanosleep's, -1 or NULL without one. */
static int64_t op_poll(const struct host_time *tm, const struct sc_stmt *st)
{
	struct timespec ts = timeout_of(tm, st), *tsp = st->dur >= 0 || st->has_ts ? &ts : NULL;
	struct timeval tv = { ts.tv_sec, ts.tv_nsec / 1000 };
	long ms = tsp ? (long)(ts.tv_sec * 1000 + ts.tv_nsec / 1000000) : -1;
	uint64_t set = st->mask;
	long size = (long)sc_sigsetsize(st);
	struct { const uint64_t *p; size_t size; } pack = { &set, (size_t)size };
	struct epoll_event ev;
	long r, ep;

	switch (st->op) {
	case SC_OP_POLL:
		return xlat_syscall(SYS_poll, 0, 0, ms, 0);
	case SC_OP_PPOLL:
		return xlat_syscall6(SYS_ppoll, 0, 0, (long)tsp, (long)&set, size, 0);
	case SC_OP_SELECT:
		return xlat_syscall6(SYS_select, 0, 0, 0, 0, tsp ? (long)&tv : 0, 0);
	case SC_OP_PSELECT6:
		return xlat_syscall6(SYS_pselect6, 0, 0, 0, 0, (long)tsp, (long)&pack);
	default:
		break;
	}
	ep = xlat_syscall(SYS_epoll_create1, 0, 0, 0, 0);
	if (ep < 0)
		return ep;
	if (st->op == SC_OP_EPOLL_WAIT)
		r = xlat_syscall(SYS_epoll_wait, ep, (long)&ev, 1, ms);
	else
		r = xlat_syscall6(SYS_epoll_pwait, ep, (long)&ev, 1, ms, (long)&set, size);
	(void)xlat_syscall(SYS_close, ep, 0, 0, 0);
	return r;
}

int64_t agent_op_poll(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	(void)end;
	return op_poll(e->time, st);
}
