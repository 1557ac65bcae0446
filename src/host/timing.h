/*
 * Sleeping, waiting and time on the host: the scenario clock, the agents'
 * statements that use it (agent_clock.c, agent_sleep.c, agent_timer.c)
 * or the scenario's pipes (agent_fd.c), and the controller's side
 * (host_clock.c: the clock, the pipes, `advance`; host_block.c: which
 * tasks are asleep in their step's call, and what calls bring back).
 *
 * The scenario clock.  The model's clock moves only at `advance`; the
 * host's real clock never stops.  Scenario time is mapped onto
 * CLOCK_MONOTONIC at HOST_REAL_NS_PER_S real nanoseconds per scenario
 * second, from r0 (the start of the first step): scenario time V is due
 * at real time R(V) = r0 + V * HOST_REAL_NS_PER_S / 1e9.  Outside an
 * advance, V stands still while real time runs on; the agents correct for
 * that lateness (now - R(V)) in every relative time they give the kernel
 * (a timer armed for scenario duration d expires at R(V + d)) and in
 * every remaining time the kernel gives back, and an advance sleeps until
 * R(V + d), absorbing the lateness.  So every expiry happens at the real
 * time its scenario time maps to, whatever the steps between cost.
 */
#ifndef SIGLAB_HOST_TIMING_H
#define SIGLAB_HOST_TIMING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <signal.h>
#include <sys/time.h>
#include <time.h>

#include "host/internal.h"
#include "scenario/render.h"

/* By default one scenario second lasts 100 ms of real time: a scenario's 500 ms
 * margin between an expiry and the end of an advance is 50 ms real, far
 * above the wake-up latency of a loaded 2-core machine, and the
 * scenarios' clocks still run in a fraction of a second. */
#define HOST_REAL_NS_PER_S 100000000LL
/* Times the kernel returns (nanosleep's rem, getitimer, alarm's old
 * value) are rounded to this much scenario time (1 ms real). */
#define HOST_TIME_QUANTUM 10000000LL
#define HOST_MAX_PIPES 64
#define HOST_MAX_TTYS 8
#define HOST_MAX_ADVANCES 256

/* Shared (MAP_SHARED) by the controller and every agent: the history of
 * the scenario clock, so that the scenario time of any past real time is
 * known (nanosleep's rem is measured when the sleep was cut short, maybe
 * several steps before the call returns).  Scenario time at real time t:
 * that of the last advance begun before t, clamped to [v_from, v_to];
 * 0 before the first. */
struct host_clock {
	int64_t r0;		/* CLOCK_MONOTONIC ns of scenario time 0 */
	int64_t real_ns_per_s;	/* real ns one scenario second lasts */
	int32_t n;		/* advances begun (published last) */
	struct {
		int64_t real_start;	/* when the controller began it */
		int64_t v_from, v_to;	/* scenario time before and after */
	} adv[HOST_MAX_ADVANCES];
};

struct host_time {
	struct host_clock *clock;
	int clock_fd;			/* the memfd behind it (for exec) */
	int pipe_rd[HOST_MAX_PIPES];	/* the scenario's pipes, by index */
	int pipe_wr[HOST_MAX_PIPES];
	size_t npipes;
	/* The scenario's terminals (host_tty.c): each a pty pair made by
	 * the controller, which alone holds the master (agents close it);
	 * every agent inherits the controller's slave descriptor. */
	int tty_master[HOST_MAX_TTYS];
	int tty_slave[HOST_MAX_TTYS];
	size_t nttys;
	bool pipes_dropped;		/* this process closed its copies */
};

/* Per task: the blocking call in progress at each handler depth (a
 * handler may interrupt one and make another). */
struct host_block {
	const struct sc_stmt *stmt[HOST_MAX_DEPTH + 1];
	int32_t seq[HOST_MAX_DEPTH + 1];
};

/* The scenario time at real time t (host_clock.c). */
int64_t host_clock_at(const struct host_clock *c, int64_t t);

/* Scenario time to real time and back. */
static inline int64_t host_to_real(const struct host_clock *c, int64_t v)
{
	return v / 1000000000LL * c->real_ns_per_s +
	       v % 1000000000LL * c->real_ns_per_s / 1000000000LL;
}

static inline int64_t host_from_real(const struct host_clock *c, int64_t r)
{
	return r / c->real_ns_per_s * 1000000000LL +
	       r % c->real_ns_per_s * 1000000000LL / c->real_ns_per_s;
}

/* ---- agent_clock.c, agent_sleep.c, agent_timer.c, agent_fd.c ---------- */

/* A scenario duration as the kernel should count it from now, so that it
 * ends at the real time of its scenario end; 0 stays 0. */
int64_t agent_real_duration(const struct host_time *tm, int64_t d);
/* A remaining real time the kernel measured at real time `at`, as
 * scenario time; a timer still running never reads as 0. */
int64_t agent_scenario_remaining(const struct host_time *tm, int64_t rem, int64_t at);
/* A time rounded to HOST_TIME_QUANTUM. */
int64_t agent_quantize(int64_t v);
struct timespec agent_ts_of(int64_t ns);
struct timeval agent_tv_of(int64_t ns);
int64_t agent_ns_of_tv(struct timeval t);

/* What an agent process keeps of its timers, handed over to the image it
 * execs: the kernel's ids of the scenario's timers (execve deletes the
 * timers; later calls on them fail as the kernel says). */
#define HOST_MAX_TIMERS 64
struct agent_timers {
	int32_t ntimers;
	int32_t timer_ids[HOST_MAX_TIMERS];
	int32_t timer_cpu[HOST_MAX_TIMERS];	/* on a CPU-time clock */
};
void agent_timer_save(struct agent_timers *out);
void agent_timer_restore(const struct agent_timers *in);
/* The signalfd the scenario made (-1: none), kept across an exec too. */
int agent_fd_signalfd(void);
void agent_fd_set_signalfd(int fd);

/* ---- host_clock.c -------------------------------------------------------- */

/* Why the host cannot run these statements of `s`, or NULL. */
const char *host_time_skip(const struct scenario *s, char *buf, size_t n);
/* Pipes and the shared clock, before the agents are forked, with one
 * scenario second lasting `real_ns_per_s` (0: HOST_REAL_NS_PER_S);
 * released at the end of the run (idempotent). */
int host_time_prepare(struct host_time *tm, const struct scenario *s, int64_t real_ns_per_s);
/* host_tty.c: the pty pairs, made with the pipes and released with them;
 * the master's steps (type, resize, hangup); agents drop the masters. */
int host_tty_prepare(struct host_time *tm, const struct scenario *s);
void host_tty_release(struct host_time *tm);
int host_tty_master_step(struct host_time *tm, const struct sc_stmt *st);
void host_tty_close_masters(const struct host_time *tm);
void host_time_release(struct host_time *tm);
/* A process that is none of the scenario's (the controller once the
 * agents are forked, the helper, an nsinit's holder) lets its copies of
 * the pipes go, so that only the scenario's processes hold their ends, as
 * in the model; the numbers stay, to recognise the agents' descriptors. */
void host_time_drop_pipes(struct host_time *tm);
/* Scenario time 0 is now. */
void host_time_start(struct host_time *tm);
/* `advance d`: sleeps until R(V + d); -1 when interrupted (*stop set). */
int host_time_advance(struct host_time *tm, int64_t d, volatile const sig_atomic_t *stop);
/* Keeps track of a task's blocking calls from its reports; `begin` is
 * the BEGIN an END refers to (host_block.c). */
void host_block_track(struct host_block *b, const struct report *rep,
		      const struct report *begin);
/* Whether a task in state S, in syscall `nr` with first argument `arg0`,
 * sleeps in the blocking call it is making. */
bool host_block_asleep(const struct host_block *b, const struct host_time *tm,
		       long nr, long arg0);
/* A signal_generate the kernel made from a timer (interrupt context: the
 * task the tracepoint shows is whoever was running), shown in the
 * target's column as the model does. */
bool host_time_generated_by_timer(int sig, int code);
/* Fills what a call returned beside its value (a siginfo, a time left,
 * a timer's value, an alternate stack), from its END (host_block.c). */
void host_call_result(const struct sc_stmt *st, const struct report *end,
		      struct sc_result *r);

#endif
