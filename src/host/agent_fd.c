/*
 * The agent's statements on file descriptors: read and write on the
 * scenario's pipes (made by the controller before the agents were
 * forked), signalfd, and read on the signalfd, as raw system calls.
 *
 * Everything here is async-signal-safe: it may run inside a handler.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>

#include "host/timing.h"

/* Per process (threads share it, as they share the kernel's): the
 * signalfd the scenario made. */
static int sfd = -1;

/* Per process too: the pipe ends it has closed (bit 1 << end of entry
 * pipe), kept across fork by the copy of memory; an exec'd image gets -1
 * for them (agent_exec.c asks agent_pipe_fd). */
static uint8_t closed[HOST_MAX_PIPES];

int agent_pipe_fd(const struct host_time *tm, int pipe, int end)
{
	if (pipe < 0 || (size_t)pipe >= tm->npipes || (closed[pipe] & (1u << end)))
		return -1;
	return end ? tm->pipe_wr[pipe] : tm->pipe_rd[pipe];
}

/* The scenario's number of a pipe end's descriptor (SC_PIPE_FD), so that
 * si_fd reads the same as the model's. */
int32_t agent_scenario_fd(const struct host_time *tm, int fd)
{
	if (tm && fd >= 0)
		for (size_t i = 0; i < tm->npipes; i++) {
			if (fd == tm->pipe_rd[i])
				return SC_PIPE_FD((int32_t)i, 0);
			if (fd == tm->pipe_wr[i])
				return SC_PIPE_FD((int32_t)i, 1);
		}
	return fd;
}

int agent_fd_signalfd(void)
{
	return sfd;
}

void agent_fd_set_signalfd(int fd)
{
	sfd = fd;
}

static int64_t op_read(const struct host_time *tm, const struct sc_stmt *st, struct report *end)
{
	static char sink[4096];	/* what is read is never looked at */
	/* a signalfd read's records: the scenario's count, at most 32 */
	static struct signalfd_siginfo recs[SC_MAX_SIGNALFD_READ / sizeof(struct signalfd_siginfo)];
	struct signalfd_siginfo ssi;
	size_t count = st->has_count ? (size_t)st->num : sizeof ssi;
	long r;

	if (st->pipe >= 0) {
		if ((size_t)st->pipe >= tm->npipes)
			return -EBADF;
		return xlat_syscall(SYS_read, agent_pipe_fd(tm, st->pipe, 0), (long)sink,
				    sizeof sink, 0);
	}
	if (sfd < 0)
		return -EBADF;
	memset(recs, 0, sizeof recs);
	r = xlat_syscall(SYS_read, sfd, (long)recs, (long)count, 0);
	ssi = recs[0];
	if (r > 0) {
		end->sig = (int32_t)ssi.ssi_signo;
		end->code = ssi.ssi_code;
		end->pid = ssi.ssi_code == SI_TIMER ? 0 : (int32_t)ssi.ssi_pid;
		end->value = ssi.ssi_ptr;
		end->overrun = ssi.ssi_code == SI_TIMER ? (int32_t)ssi.ssi_overrun : 0;
		end->info_timerid = ssi.ssi_code == SI_TIMER ? (int32_t)ssi.ssi_tid : 0;
		end->info_uid = ssi.ssi_code == SI_TIMER ? 0 : agent_scenario_uid(ssi.ssi_uid);
		end->info_status = ssi.ssi_signo == SIGCHLD && ssi.ssi_code > SI_USER &&
				 ssi.ssi_code < SI_KERNEL ? ssi.ssi_status : 0;
	}
	return r;
}

static int64_t op_write(const struct host_time *tm, const struct sc_stmt *st)
{
	size_t n = st->text ? strlen(st->text) : 0;

	if (st->pipe < 0 || (size_t)st->pipe >= tm->npipes)
		return -EBADF;
	return xlat_syscall(SYS_write, agent_pipe_fd(tm, st->pipe, 1),
			    (long)(st->text ? st->text : ""), (long)n, 0);
}

int64_t agent_write_foresee(const struct agent_env *e, const struct sc_stmt *st)
{
	struct pollfd p = { .fd = -1, .events = POLLOUT };

	if (st->pipe < 0 || !st->text || !st->text[0])
		return 0;
	p.fd = agent_pipe_fd(e->time, st->pipe, 1);
	if (p.fd < 0 || xlat_syscall(SYS_poll, (long)&p, 1, 0, 0) != 1)
		return 0;
	return (p.revents & POLLERR) ? -EPIPE : 0;
}

static int64_t op_close(const struct host_time *tm, const struct sc_stmt *st)
{
	int fd = agent_pipe_fd(tm, st->pipe, st->end);
	long r = xlat_syscall(SYS_close, fd, 0, 0, 0);

	if (r == 0)
		closed[st->pipe] |= (uint8_t)(1u << st->end);
	return r;
}

/* The owner's pid: a task's (its tid for a thread, as the model's), a
 * group's negated, a literal number. */
static int64_t op_fcntl(const struct agent_env *e, const struct sc_stmt *st)
{
	int fd = agent_pipe_fd(e->time, st->pipe, st->end);
	struct f_owner_ex ex = { .type = st->owner_type, .pid = 0 };
	long arg = st->num;

	if (st->cmd == SL_F_SETOWN || st->cmd == SL_F_SETOWN_EX) {
		arg = agent_target_pid(&st->target);
		ex.pid = (int)arg;
	}
	if (st->cmd == SL_F_SETOWN_EX)
		arg = (long)&ex;
	return xlat_syscall(SYS_fcntl, fd, st->cmd, arg, 0);
}

/* One signalfd per process: the second call changes its mask. */
static int64_t op_signalfd(const struct sc_stmt *st)
{
	uint64_t mask = st->mask;
	long m = agent_uptr(st, SC_PTR_SET, &mask), size = (long)sc_sigsetsize(st);
	long r = xlat_syscall(SYS_signalfd4, sfd, m, size, (long)st->flags);

	/* closed by an exec (SFD_CLOEXEC): the call makes a new one, as the
	 * model's does */
	if (r == -EBADF && sfd >= 0)
		r = xlat_syscall(SYS_signalfd4, -1, m, size, (long)st->flags);

	if (r >= 0)
		sfd = (int)r;
	return r;
}

int64_t agent_op_read(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	return op_read(e->time, st, end);
}

int64_t agent_op_write(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	(void)end;
	return op_write(e->time, st);
}

int64_t agent_op_signalfd(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	(void)end;
	(void)e;
	return op_signalfd(st);
}

int64_t agent_op_close(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	(void)end;
	return op_close(e->time, st);
}

int64_t agent_op_fcntl(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	(void)end;
	return op_fcntl(e, st);
}
