/*
 * The controller's side of the scenario clock (host/timing.h): the
 * scenario's pipes and the shared clock, made before the agents are
 * forked, the `advance` steps, and what the host cannot run of them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "host/timing.h"

/* The longest stretch of scenario time a host run sleeps through (the
 * real run lasts a tenth of it). */
#define HOST_MAX_ADVANCE (600LL * SL_NSEC_PER_SEC)

const char *host_time_skip(const struct scenario *s, char *buf, size_t n)
{
	int64_t total = 0;
	size_t nadv = 0;

	if (s->npipes > HOST_MAX_PIPES) {
		snprintf(buf, n, "more than %d pipes", HOST_MAX_PIPES);
		return buf;
	}
	for (size_t i = 0; i < s->nsteps; i++)
		if (s->steps[i].stmt.op == SC_OP_ADVANCE && s->steps[i].stmt.dur > 0) {
			total += s->steps[i].stmt.dur;
			nadv++;
		}
	if (nadv > HOST_MAX_ADVANCES) {
		snprintf(buf, n, "more than %d advance steps", HOST_MAX_ADVANCES);
		return buf;
	}
	if (total > HOST_MAX_ADVANCE) {
		snprintf(buf, n, "the clock advances more than %llds, too long to sleep through",
			 HOST_MAX_ADVANCE / SL_NSEC_PER_SEC);
		return buf;
	}
	return NULL;
}

int host_time_prepare(struct host_time *tm, const struct scenario *s, int64_t real_ns_per_s)
{
	void *p;

	memset(tm, 0, sizeof *tm);
	tm->clock_fd = -1;
	for (size_t i = 0; i < HOST_MAX_PIPES; i++)
		tm->pipe_rd[i] = tm->pipe_wr[i] = -1;
	/* In a memfd, so that an agent's exec'd image maps it again. */
	tm->clock_fd = (int)syscall(SYS_memfd_create, "siglab-clock", MFD_CLOEXEC);
	if (tm->clock_fd < 0)
		return -errno;
	if (ftruncate(tm->clock_fd, (off_t)sizeof *tm->clock) < 0 ||
	    (p = mmap(NULL, sizeof *tm->clock, PROT_READ | PROT_WRITE, MAP_SHARED,
		      tm->clock_fd, 0)) == MAP_FAILED) {
		int err = errno;

		close(tm->clock_fd);
		tm->clock_fd = -1;
		return -err;
	}
	tm->clock = p;
	memset(tm->clock, 0, sizeof *tm->clock);
	tm->clock->real_ns_per_s = real_ns_per_s > 0 ? real_ns_per_s : HOST_REAL_NS_PER_S;
	for (size_t i = 0; i < s->npipes && i < HOST_MAX_PIPES; i++) {
		int fds[2];

		if (pipe2(fds, O_CLOEXEC) < 0)
			return -errno;
		tm->pipe_rd[i] = fds[0];
		tm->pipe_wr[i] = fds[1];
		tm->npipes = i + 1;
	}
	return 0;
}

void host_time_release(struct host_time *tm)
{
	if (!tm->clock)
		return;	/* never prepared */
	for (size_t i = 0; i < HOST_MAX_PIPES; i++) {
		if (tm->pipe_rd[i] >= 0)
			close(tm->pipe_rd[i]);
		if (tm->pipe_wr[i] >= 0)
			close(tm->pipe_wr[i]);
		tm->pipe_rd[i] = tm->pipe_wr[i] = -1;
	}
	tm->npipes = 0;
	if (tm->clock)
		munmap(tm->clock, sizeof *tm->clock);
	tm->clock = NULL;
	if (tm->clock_fd >= 0)
		close(tm->clock_fd);
	tm->clock_fd = -1;
}

void host_time_start(struct host_time *tm)
{
	if (!tm->clock)
		return;
	tm->clock->n = 0;
	__atomic_store_n(&tm->clock->r0, (int64_t)xlat_now_ns(), __ATOMIC_RELEASE);
}

int64_t host_clock_at(const struct host_clock *c, int64_t t)
{
	int32_t n = __atomic_load_n(&c->n, __ATOMIC_ACQUIRE);
	int64_t v;

	while (n > 0 && c->adv[n - 1].real_start > t)
		n--;
	if (n == 0)
		return 0;
	v = host_from_real(c, t - c->r0);
	if (v < c->adv[n - 1].v_from)
		return c->adv[n - 1].v_from;
	return v > c->adv[n - 1].v_to ? c->adv[n - 1].v_to : v;
}

int host_time_advance(struct host_time *tm, int64_t d, volatile const sig_atomic_t *stop)
{
	struct host_clock *c = tm->clock;
	int64_t from, to, target, now = (int64_t)xlat_now_ns();
	struct timespec ts;

	if (!c || c->n >= HOST_MAX_ADVANCES)
		return -1;
	from = host_clock_at(c, now);
	to = from + (d > 0 ? d : 0);
	target = c->r0 + host_to_real(c, to);
	ts.tv_sec = (time_t)(target / SL_NSEC_PER_SEC);
	ts.tv_nsec = (long)(target % SL_NSEC_PER_SEC);
	c->adv[c->n].real_start = now;
	c->adv[c->n].v_from = from;
	c->adv[c->n].v_to = to;
	__atomic_store_n(&c->n, c->n + 1, __ATOMIC_RELEASE);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR && !*stop)
		;
	return *stop ? -1 : 0;
}

bool host_time_generated_by_timer(int sig, int code)
{
	return code == SL_SI_TIMER || (sig == SL_SIGALRM && code == SL_SI_KERNEL);
}
