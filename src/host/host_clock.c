/*
 * The controller's side of sleeping, waiting and time (issue 4): the
 * scenario's pipes and the shared scenario clock (host/timing.h), the
 * `advance` steps, which blocking call each task is in (so that a task
 * asleep in its step's call counts as quiescent), and the results those
 * calls bring back.
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

int host_time_prepare(struct host_time *tm, const struct scenario *s)
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
	v = host_from_real(t - c->r0);
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
	target = c->r0 + host_to_real(to);
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

void host_block_track(struct host_block *b, const struct report *rep,
		      const struct report *begin)
{
	int d = rep->depth;

	if (d < 0 || d > HOST_MAX_DEPTH)
		return;
	switch (rep->kind) {
	case REP_BEGIN:
		if (rep->stmt && sc_op_may_block(rep->stmt->op)) {
			b->stmt[d] = rep->stmt;
			b->seq[d] = rep->seq;
		}
		break;
	case REP_END:
		if (begin && b->stmt[d] && b->seq[d] == rep->ref)
			b->stmt[d] = NULL;
		break;
	case REP_LONGJMP:
	case REP_SIGLONGJMP:
		/* back in the task's own code: every call under the frames
		 * it left is abandoned, the one the first frame interrupted
		 * too (its result went with the frame) */
		if (d == 0)
			memset(b->stmt, 0, sizeof b->stmt);
		break;
	default:
		break;
	}
}

bool host_block_asleep(const struct host_block *b, const struct host_time *tm,
		       long nr, long arg0)
{
	const struct sc_stmt *st = NULL;

	for (int d = HOST_MAX_DEPTH; d >= 0 && !st; d--)
		st = b->stmt[d];
	if (!st)
		return false;
	switch (st->op) {
	case SC_OP_PAUSE:
		return nr == SYS_pause;
	case SC_OP_SIGSUSPEND:
		return nr == SYS_rt_sigsuspend;
	case SC_OP_SIGTIMEDWAIT:
	case SC_OP_SIGWAITINFO:
		return nr == SYS_rt_sigtimedwait;
	case SC_OP_NANOSLEEP:
		/* after a stop, the sleep goes on in restart_syscall */
		return nr == SYS_nanosleep || nr == SYS_restart_syscall;
	case SC_OP_WAIT4:
		return nr == SYS_wait4;
	case SC_OP_WAITID:
		return nr == SYS_waitid;
	case SC_OP_READ:
		if (nr != SYS_read)
			return false;
		if (st->pipe < 0)
			return true;	/* the signalfd */
		return (size_t)st->pipe < tm->npipes && arg0 == tm->pipe_rd[st->pipe];
	default:
		return false;
	}
}

bool host_time_generated_by_timer(int sig, int code)
{
	return code == SL_SI_TIMER || (sig == SL_SIGALRM && code == SL_SI_KERNEL);
}

static void info_from(const struct report *end, struct sc_result *r)
{
	if (end->result <= 0)
		return;
	r->has_info = true;
	r->info.signo = end->sig;
	r->info.code = end->code;
	r->info.pid = end->pid;
	r->info.value = end->value;
	r->info.overrun = end->overrun;
}

void host_time_result(const struct sc_stmt *st, const struct report *end, struct sc_result *r)
{
	switch (st->op) {
	case SC_OP_SIGTIMEDWAIT:
	case SC_OP_SIGWAITINFO:
		info_from(end, r);
		break;
	case SC_OP_READ:
		if (st->pipe < 0)
			info_from(end, r);
		break;
	case SC_OP_NANOSLEEP:
		if (end->result == -SL_EINTR)
			r->rem = end->t_value;
		break;
	case SC_OP_GETITIMER:
		r->it_value = end->t_value;
		r->it_interval = end->t_interval;
		break;
	case SC_OP_SIGALTSTACK:
		r->ss_flags = (uint32_t)end->overrun;
		r->ss_size = (uint64_t)end->t_value;
		break;
	case SC_OP_PTRACE:	/* GETSIGINFO's siginfo (agent.c op_ptrace) */
		if (st->how == SL_PTRACE_GETSIGINFO && end->result == 0) {
			r->has_info = true;
			r->info.signo = end->sig;
			r->info.code = end->code;
			r->info.pid = end->pid;
		}
		break;
	default:
		break;
	}
}
