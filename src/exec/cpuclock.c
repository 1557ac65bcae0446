/*
 * CPU-time clocks for the model's POSIX timers (docs/exec.md, "CPU-time
 * timers").  The model owns a timer on CLOCK_PROCESS_CPUTIME_ID,
 * CLOCK_THREAD_CPUTIME_ID or a clock of clock_getcpuclockid /
 * pthread_getcpuclockid; its clock is the guest's real CPU time, which the
 * tracer reads and hands to the model (sl_cpu_run) as it grows:
 *
 * - each guest thread's time is its sum_exec_runtime, the CPUCLOCK_SCHED
 *   clock glibc's clock ids name, read from /proc/TID/schedstat (the
 *   tracer may read another process's process clock with clock_gettime,
 *   but not its threads' clocks);
 * - the growth since the last reading goes to the model, which fires each
 *   timer at the instant its clock reaches the expiry, in order;
 * - readings are taken only once a guest has made a CPU-clock timer:
 *   before every served call (so that timer_settime starts from the real
 *   now, timer_gettime reads it, and a dequeue rearms from it) and before
 *   the loop waits, whose timeout is then at most the CPU time left to the
 *   next expiry divided by the threads that can use it (no thread gains
 *   CPU time faster than real time).
 *
 * The cost is one small /proc read per guest thread per served call and
 * per wake, for programs with a CPU-clock timer only; others pay nothing.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "exec/exec.h"

/* The thread's sum_exec_runtime in ns, or -1 (gone). */
int64_t cpu_thread_ns(pid_t tid)
{
	char path[64], buf[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "/proc/%d/schedstat", (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	return strtoll(buf, NULL, 10);
}

/* The CPU clock `clock` as guest g reads it now (for an absolute
 * expiry): its own thread or process for pid 0, else the pid's. */
int64_t cpu_clock_ns(struct guest *g, int clock)
{
	pid_t pid;
	struct timespec ts;

	if (clock == CLOCK_PROCESS_CPUTIME_ID)
		clock = (int)(~0u << 3) | 2;
	else if (clock == CLOCK_THREAD_CPUTIME_ID)
		clock = (int)(~0u << 3) | 6;
	pid = (pid_t)~(clock >> 3);
	if (clock & 4)
		return cpu_thread_ns(pid ? pid : g->tid);
	clock = (int)(~(unsigned)(pid ? pid : g->tgid) << 3) | (clock & 3);
	if (clock_gettime((clockid_t)clock, &ts))
		return -1;
	return (int64_t)ts.tv_sec * SL_NSEC_PER_SEC + ts.tv_nsec;
}

/* Whether clock id c counts CPU time. */
bool cpu_clock_id(int c)
{
	return c < 0 || c == CLOCK_PROCESS_CPUTIME_ID || c == CLOCK_THREAD_CPUTIME_ID;
}

/* Hands the model what one guest thread ran since it was last read. */
static void cpu_sync_one(struct exec *x, struct guest *g)
{
	int64_t now = cpu_thread_ns(g->tid), delta;

	if (now < 0 || now <= g->cpu_seen)
		return;
	delta = now - g->cpu_seen;
	g->cpu_seen = now;
	/* each return short of delta fired a limit or a timer; the rest
	 * runs on from there (a run of them is bounded) */
	for (int i = 0; i < 64 && delta > 0; i++) {
		sl_time r = sl_cpu_run(x->k, g->mtid, delta);

		if (r < 0)
			break;
		delta -= r;
	}
}

void cpu_sync(struct exec *x)
{
	if (!x->cpu_clocks)
		return;
	for (size_t i = 0; i < x->ng; i++) {
		struct guest *g = x->g[i];

		if (g->mtid && g->state != GUEST_GONE && !g->model_dead)
			cpu_sync_one(x, g);
	}
}

/* The guest threads of g's process that can run on the host. */
static int64_t threads_of(struct exec *x, const struct guest *g)
{
	int64_t n = 0;

	for (size_t i = 0; i < x->ng; i++)
		if (x->g[i]->tgid == g->tgid && x->g[i]->state != GUEST_GONE)
			n++;
	return n ? n : 1;
}

/* The real time the loop may wait before a CPU clock can reach an
 * expiry: the least CPU time left on any guest's clocks, over the threads
 * of its process; -1 when no CPU-clock timer is armed. */
sl_time cpu_timeout(struct exec *x)
{
	sl_time best = -1;

	if (!x->cpu_clocks)
		return -1;
	for (size_t i = 0; i < x->ng; i++) {
		struct guest *g = x->g[i];
		sl_time left;

		if (!g->mtid || g->state == GUEST_GONE || g->model_dead)
			continue;
		left = sl_cpu_timer_next(x->k, g->mtid);
		if (left < 0)
			continue;
		left /= threads_of(x, g);
		if (best < 0 || left < best)
			best = left;
	}
	/* not below 0.2 ms: a reading lags the running thread by up to a
	 * tick anyway (schedstat is brought up to date at ticks and
	 * switches) */
	return best >= 0 && best < 200 * 1000 ? 200 * 1000 : best;
}
