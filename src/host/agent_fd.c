/*
 * The agent's statements on file descriptors: read and write on the
 * scenario's pipes (made by the controller before the agents were
 * forked), signalfd, and read on the signalfd, as raw system calls.
 *
 * Everything here is async-signal-safe: it may run inside a handler.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>

#include "host/timing.h"

/* Per process (threads share it, as they share the kernel's): the
 * signalfd the scenario made. */
static int sfd = -1;

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
		return xlat_syscall(SYS_read, tm->pipe_rd[st->pipe], (long)sink, sizeof sink, 0);
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
	return xlat_syscall(SYS_write, tm->pipe_wr[st->pipe], (long)(st->text ? st->text : ""),
			    (long)n, 0);
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
