/*
 * The agents' side of the scenario clock (host/timing.h): durations go to
 * the kernel scaled and corrected for the lateness of real time behind
 * scenario time, and times come back the other way.
 *
 * Everything here is async-signal-safe: it may run inside a handler.
 */
#include <time.h>
#include <sys/time.h>

#include "host/timing.h"

/* How far real time `t` is behind the real time of the scenario time it
 * stands for (0 while an advance runs). */
static int64_t lateness_at(const struct host_time *tm, int64_t t)
{
	return t - (tm->clock->r0 + host_to_real(tm->clock, host_clock_at(tm->clock, t)));
}

/* A scenario duration as the kernel should count it from now, so that
 * it ends at the real time of its scenario end; 0 stays 0. */
int64_t agent_real_duration(const struct host_time *tm, int64_t d)
{
	int64_t r;

	if (d <= 0)
		return d;
	r = host_to_real(tm->clock, d) - lateness_at(tm, (int64_t)xlat_now_ns());
	return r > 0 ? r : 1;
}

int64_t agent_quantize(int64_t v)
{
	return (v + HOST_TIME_QUANTUM / 2) / HOST_TIME_QUANTUM * HOST_TIME_QUANTUM;
}

/* A remaining real time the kernel measured at real time `at`, as
 * scenario time; a timer still running never reads as 0. */
int64_t agent_scenario_remaining(const struct host_time *tm, int64_t rem, int64_t at)
{
	int64_t v;

	if (rem <= 0)
		return 0;
	v = agent_quantize(host_from_real(tm->clock, rem + lateness_at(tm, at)));
	return v > 0 ? v : 1;
}

struct timespec agent_ts_of(int64_t ns)
{
	struct timespec t = { (time_t)(ns / SL_NSEC_PER_SEC), (long)(ns % SL_NSEC_PER_SEC) };

	return t;
}

struct timeval agent_tv_of(int64_t ns)
{
	struct timeval t = { (time_t)(ns / SL_NSEC_PER_SEC),
			     (suseconds_t)(ns % SL_NSEC_PER_SEC / 1000) };

	/* setitimer rounds a value below 1 us that is not 0 up to 1 us */
	if (ns > 0 && t.tv_sec == 0 && t.tv_usec == 0)
		t.tv_usec = 1;
	return t;
}

int64_t agent_ns_of_tv(struct timeval t)
{
	return (int64_t)t.tv_sec * SL_NSEC_PER_SEC + (int64_t)t.tv_usec * 1000;
}
