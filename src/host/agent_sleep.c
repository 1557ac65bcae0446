/*
 * The agent's statements of sleeping, waiting and time (issue 4): the real
 * blocking calls (pause, rt_sigsuspend, rt_sigtimedwait, read and write on
 * the scenario's pipes, nanosleep), ITIMER_REAL, POSIX timers with
 * SIGEV_SIGNAL, sigaltstack on a real stack of the scenario's size, and
 * signalfd, all as raw system calls so that glibc adds nothing.
 *
 * Durations go to the kernel scaled and corrected for the lateness of
 * real time behind scenario time, and times come back the other way
 * (host/timing.h).  `alarm N` is the one emulation: the kernel's alarm
 * counts whole real seconds, which cannot be scaled, so it runs as the
 * setitimer(ITIMER_REAL) that alarm_setitimer is, and its result is the
 * old value rounded as alarm_setitimer rounds it (half a second and more
 * up, never 0 while the alarm runs; checked against the real alarm(2)).
 *
 * Everything here is async-signal-safe: it may run inside a handler.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>

#include "host/timing.h"

/* Per process (threads share them, as they share the kernel's): the
 * signalfd the scenario made, and the kernel's id of each timer, indexed
 * by the scenario's timer id (the order of timer_create calls). */
#define AGENT_MAX_TIMERS HOST_MAX_TIMERS
static int sfd = -1;
static int timer_ids[AGENT_MAX_TIMERS];
static int ntimers;

void agent_time_save(struct agent_time_saved *out)
{
	out->sfd = sfd;
	out->ntimers = ntimers;
	for (int i = 0; i < AGENT_MAX_TIMERS; i++)
		out->timer_ids[i] = i < ntimers ? timer_ids[i] : -1;
}

void agent_time_restore(const struct agent_time_saved *in)
{
	sfd = in->sfd;
	ntimers = in->ntimers >= 0 && in->ntimers <= AGENT_MAX_TIMERS ? in->ntimers : 0;
	for (int i = 0; i < ntimers; i++)
		timer_ids[i] = in->timer_ids[i];
}

/* ---- the scenario clock --------------------------------------------------- */

#define to_real host_to_real
#define from_real host_from_real

/* How far real time `t` is behind the real time of the scenario time it
 * stands for (0 while an advance runs). */
static int64_t lateness_at(const struct host_time *tm, int64_t t)
{
	return t - (tm->clock->r0 + to_real(host_clock_at(tm->clock, t)));
}

/* A scenario duration as the kernel should count it from now, so that
 * it ends at the real time of its scenario end; 0 stays 0. */
static int64_t real_duration(const struct host_time *tm, int64_t d)
{
	int64_t r;

	if (d <= 0)
		return d;
	r = to_real(d) - lateness_at(tm, (int64_t)xlat_now_ns());
	return r > 0 ? r : 1;
}

static int64_t quantize(int64_t v)
{
	return (v + HOST_TIME_QUANTUM / 2) / HOST_TIME_QUANTUM * HOST_TIME_QUANTUM;
}

/* A remaining real time the kernel measured at real time `at`, as
 * scenario time; a timer still running never reads as 0. */
static int64_t scenario_remaining(const struct host_time *tm, int64_t rem, int64_t at)
{
	int64_t v;

	if (rem <= 0)
		return 0;
	v = quantize(from_real(rem + lateness_at(tm, at)));
	return v > 0 ? v : 1;
}

static struct timespec ts_of(int64_t ns)
{
	struct timespec t = { (time_t)(ns / SL_NSEC_PER_SEC), (long)(ns % SL_NSEC_PER_SEC) };

	return t;
}

static struct timeval tv_of(int64_t ns)
{
	struct timeval t = { (time_t)(ns / SL_NSEC_PER_SEC),
			     (suseconds_t)(ns % SL_NSEC_PER_SEC / 1000) };

	/* setitimer rounds a value below 1 us that is not 0 up to 1 us */
	if (ns > 0 && t.tv_sec == 0 && t.tv_usec == 0)
		t.tv_usec = 1;
	return t;
}

static int64_t ns_of_tv(struct timeval t)
{
	return (int64_t)t.tv_sec * SL_NSEC_PER_SEC + (int64_t)t.tv_usec * 1000;
}

/* ---- the calls -------------------------------------------------------------- */

static void take_info(struct report *end, const siginfo_t *si)
{
	end->sig = si->si_signo;
	end->code = si->si_code;
	end->pid = si->si_code == SI_TIMER ? 0 : si->si_pid;
	end->value = (uint64_t)(uintptr_t)si->si_value.sival_ptr;
	end->overrun = si->si_code == SI_TIMER ? si->si_overrun : 0;
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
		to = ts_of(real_duration(tm, st->dur));
	r = xlat_syscall(SYS_rt_sigtimedwait, (long)&set, (long)&si,
			 st->op == SC_OP_SIGTIMEDWAIT ? (long)&to : 0, 8);
	if (r > 0)
		take_info(end, &si);
	return r;
}

static int64_t op_read(const struct host_time *tm, const struct sc_stmt *st, struct report *end)
{
	static char sink[4096];	/* what is read is never looked at */
	struct signalfd_siginfo ssi;
	long r;

	if (st->pipe >= 0) {
		if ((size_t)st->pipe >= tm->npipes)
			return -EBADF;
		return xlat_syscall(SYS_read, tm->pipe_rd[st->pipe], (long)sink, sizeof sink, 0);
	}
	if (sfd < 0)
		return -EBADF;
	memset(&ssi, 0, sizeof ssi);
	r = xlat_syscall(SYS_read, sfd, (long)&ssi, sizeof ssi, 0);
	if (r > 0) {
		end->sig = (int32_t)ssi.ssi_signo;
		end->code = ssi.ssi_code;
		end->pid = ssi.ssi_code == SI_TIMER ? 0 : (int32_t)ssi.ssi_pid;
		end->value = ssi.ssi_ptr;
		end->overrun = ssi.ssi_code == SI_TIMER ? (int32_t)ssi.ssi_overrun : 0;
	}
	return r;
}

static int64_t op_write(const struct host_time *tm, const struct sc_stmt *st)
{
	size_t n = st->text ? strlen(st->text) : 0;

	if (st->pipe < 0 || (size_t)st->pipe >= tm->npipes)
		return -EBADF;
	return xlat_syscall(SYS_write, tm->pipe_wr[st->pipe], (long)(st->text ? st->text : ""),
			    (long)n, 0);
}

/* nanosleep: the kernel measures the time left when the sleep is cut
 * short (do_nanosleep), which may be steps before the call returns (a
 * stop, then a SIGCONT handler): that real time is the sleep's end less
 * the time left. */
static int64_t op_nanosleep(const struct host_time *tm, const struct sc_stmt *st,
			    struct report *end)
{
	int64_t real = real_duration(tm, st->dur);
	struct timespec req = ts_of(real), rem = { 0, 0 };
	int64_t end_at = (int64_t)xlat_now_ns() + real;
	long r;

	r = xlat_syscall(SYS_nanosleep, (long)&req, (long)&rem, 0, 0);
	if (r == -EINTR) {
		int64_t left = (int64_t)rem.tv_sec * SL_NSEC_PER_SEC + rem.tv_nsec;

		end->t_value = scenario_remaining(tm, left, end_at - left);
	}
	return r;
}

static int64_t setitimer_real(const struct host_time *tm, int64_t value, int64_t interval,
			      struct itimerval *old)
{
	struct itimerval nv;

	nv.it_value = tv_of(real_duration(tm, value));
	nv.it_interval = tv_of(to_real(interval));
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
	left = scenario_remaining(tm, ns_of_tv(old.it_value), (int64_t)xlat_now_ns());
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
	end->t_value = scenario_remaining(tm, ns_of_tv(cur.it_value), (int64_t)xlat_now_ns());
	end->t_interval = quantize(from_real(ns_of_tv(cur.it_interval)));
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
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = st->sig;
	sev.sigev_value.sival_ptr = (void *)(uintptr_t)st->value;
	r = xlat_syscall(SYS_timer_create, CLOCK_MONOTONIC, (long)&sev, (long)&id, 0);
	if (r < 0)
		return r;
	timer_ids[ntimers++] = id;
	return id;
}

static int64_t op_timer_settime(const struct host_time *tm, const struct sc_stmt *st)
{
	struct itimerspec nv;

	nv.it_value = ts_of(real_duration(tm, st->dur));
	nv.it_interval = ts_of(to_real(st->interval));
	return xlat_syscall(SYS_timer_settime, kernel_timer(st->num), 0, (long)&nv, 0);
}

/* A real stack of the scenario's size (never freed: a handler may still
 * be on it; the process ends with the scenario). */
static int64_t op_sigaltstack(const struct sc_stmt *st, struct report *end)
{
	stack_t ss, old;
	long r;

	memset(&ss, 0, sizeof ss);
	memset(&old, 0, sizeof old);
	if (st->ss_mode == 0) {
		r = xlat_syscall(SYS_sigaltstack, 0, (long)&old, 0, 0);
		end->overrun = old.ss_flags;
		end->t_value = (int64_t)old.ss_size;
		return r;
	}
	if (st->ss_mode == 2) {
		ss.ss_flags = SS_DISABLE;
	} else {
		void *p = st->dur > 0 ? mmap(NULL, (size_t)st->dur, PROT_READ | PROT_WRITE,
					     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
				      : MAP_FAILED;

		ss.ss_sp = p == MAP_FAILED ? NULL : p;
		ss.ss_size = (size_t)st->dur;
		ss.ss_flags = (int)(uint32_t)st->flags;
	}
	return xlat_syscall(SYS_sigaltstack, (long)&ss, 0, 0, 0);
}

/* One signalfd per process: the second call changes its mask. */
static int64_t op_signalfd(const struct sc_stmt *st)
{
	uint64_t mask = st->mask;
	long r = xlat_syscall(SYS_signalfd4, sfd, (long)&mask, 8, 0);

	if (r >= 0)
		sfd = (int)r;
	return r;
}

bool agent_time_op(const struct host_time *tm, const struct sc_stmt *st, struct report *end)
{
	uint64_t set = st->mask;

	switch (st->op) {
	case SC_OP_PAUSE:
		end->result = xlat_syscall(SYS_pause, 0, 0, 0, 0);
		return true;
	case SC_OP_SIGSUSPEND:
		end->result = xlat_syscall(SYS_rt_sigsuspend, (long)&set, 8, 0, 0);
		return true;
	case SC_OP_SIGTIMEDWAIT:
	case SC_OP_SIGWAITINFO:
		end->result = op_sigtimedwait(tm, st, end);
		return true;
	case SC_OP_READ:
		end->result = op_read(tm, st, end);
		return true;
	case SC_OP_WRITE:
		end->result = op_write(tm, st);
		return true;
	case SC_OP_NANOSLEEP:
		end->result = op_nanosleep(tm, st, end);
		return true;
	case SC_OP_ALARM:
		end->result = op_alarm(tm, st);
		return true;
	case SC_OP_SETITIMER:
		end->result = setitimer_real(tm, st->dur, st->interval, NULL);
		return true;
	case SC_OP_GETITIMER:
		end->result = op_getitimer(tm, end);
		return true;
	case SC_OP_TIMER_CREATE:
		end->result = op_timer_create(st);
		return true;
	case SC_OP_TIMER_SETTIME:
		end->result = op_timer_settime(tm, st);
		return true;
	case SC_OP_TIMER_GETOVERRUN:
		end->result = xlat_syscall(SYS_timer_getoverrun, kernel_timer(st->num), 0, 0, 0);
		return true;
	case SC_OP_TIMER_DELETE:
		end->result = xlat_syscall(SYS_timer_delete, kernel_timer(st->num), 0, 0, 0);
		return true;
	case SC_OP_SIGALTSTACK:
		end->result = op_sigaltstack(st, end);
		return true;
	case SC_OP_SIGNALFD:
		end->result = op_signalfd(st);
		return true;
	default:
		return false;
	}
}
