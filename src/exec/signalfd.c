/* A guest's signalfd (fs/signalfd.c) is the model's file behind a real
 * descriptor.  signalfd4(-1, ...) makes the model's file, then the host
 * makes the guest's descriptor: the call is rewritten into eventfd2 with
 * the same flags (O_NONBLOCK, O_CLOEXEC), so that the number is the
 * lowest free one and close, dup, fcntl and exec's close-on-exec work on
 * a real file.  A read of it is the model's (signalfd_read, through
 * sl_sys_read_signalfd_count), written to the guest as struct
 * signalfd_siginfo; poll, select and epoll of it are the host's, so the
 * eventfd is kept readable exactly while sl_signalfd_poll says the file
 * is (its count is 1 then, else 0), before any guest runs again.
 *
 * The descriptor is known by (process, number) and checked with kcmp
 * against siglab's own copy of the file (pidfd_getfd) before each use:
 * a number closed and reused for another file is the host's again.
 * DEVIATION(a dup of a guest's signalfd, or one passed over a socket, is
 * the host's eventfd: reads of it block or fail with EAGAIN, writes of
 * any signalfd succeed) DEVIATION(a signalfd's readiness is that of its
 * process's main thread: a signal directed at another thread does not make
 * it readable to poll) DEVIATION(O_NONBLOCK changed by fcntl after
 * signalfd4 does not change how a read of it waits) */
#include <errno.h>
#include <linux/kcmp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "exec/exec.h"

#define SIGNALFD_RECORD 128
_Static_assert(sizeof(struct signalfd_siginfo) == SIGNALFD_RECORD, "signalfd_siginfo");
#define SIGSET_BYTES 8		/* the kernel's sigset_t on x86-64 */

/* Whether the guest's fd still names the file siglab holds as ref. */
static bool same_file(const struct exec_sigfd *e, pid_t tid)
{
	return syscall(SYS_kcmp, (pid_t)getpid(), tid, KCMP_FILE, e->ref, e->fd) == 0;
}

static void sigfd_drop(struct exec *x, size_t i)
{
	close(x->sigfds[i].ref);
	x->sigfds[i] = x->sigfds[--x->nsigfds];
}

/* The guest's signalfd at fd, or NULL when fd is another file. */
static struct exec_sigfd *sigfd_lookup(struct exec *x, const struct guest *g, int fd)
{
	for (size_t i = 0; i < x->nsigfds; i++) {
		struct exec_sigfd *e = &x->sigfds[i];

		if (e->tgid != g->tgid || e->fd != fd)
			continue;
		if (same_file(e, g->tid))
			return e;
		sigfd_drop(x, i);
		return NULL;
	}
	return NULL;
}

static int sigfd_add(struct exec *x, pid_t tgid, int fd, int mfd, int ref, unsigned file,
		     bool ready)
{
	if (x->nsigfds == x->sigfds_cap) {
		size_t ncap = x->sigfds_cap ? x->sigfds_cap * 2 : 8;
		struct exec_sigfd *n = realloc(x->sigfds, ncap * sizeof *n);

		if (!n)
			return -1;
		x->sigfds = n;
		x->sigfds_cap = ncap;
	}
	x->sigfds[x->nsigfds++] = (struct exec_sigfd){ tgid, fd, mfd, ref, file, ready, false };
	return 0;
}

/* do_signalfd4's checks are the model's (sizemask, the mask's copy, the
 * flags); a new file is the model's first, then the host's descriptor;
 * an existing one is the model's, and any other descriptor the host's
 * (EBADF, or EINVAL for a file that is no signalfd). */
long sigfd_signalfd4(struct exec *x, struct guest *g, const uint64_t *a, unsigned flags)
{
	int fd = (int)(int32_t)a[0];
	struct exec_sigfd *e;
	sl_sigset mask;
	long r;

	if (a[2] != SIGSET_BYTES)
		return -SL_EINVAL;
	if (guest_read(g->tid, a[1], &mask, sizeof mask))
		return -SL_EFAULT;
	if (fd == -1) {
		r = sl_sys_signalfd4(x->k, g->mtid, -1, &mask, flags);
		if (r < 0)
			return r;
		g->watch_mfd = (int)r;
		g->regs.orig_rax = SYS_eventfd2;
		g->regs.rdi = 0;
		g->regs.rsi = flags;
		g->regs_dirty = true;
		return SIGFD_RUN_REWRITTEN;
	}
	e = sigfd_lookup(x, g, fd);
	if (!e)
		return SIGFD_RUN_HOST;
	r = sl_sys_signalfd4(x->k, g->mtid, e->mfd, &mask, flags);
	return r < 0 ? r : fd;
}

/* The exit of the rewritten call: the host's descriptor names the
 * model's file from now on. */
void sigfd_created(struct exec *x, struct guest *g)
{
	long fd = (long)g->regs.rax;
	int pidfd, ref = -1;

	if (fd < 0)
		return;		/* UNMODELED(the model's file of a signalfd4 the host refused stays open) */
	pidfd = (int)syscall(SYS_pidfd_open, g->tid, 0);
	if (pidfd >= 0) {
		ref = (int)syscall(SYS_pidfd_getfd, pidfd, (int)fd, 0);
		close(pidfd);
	}
	if (ref < 0 || sigfd_add(x, g->tgid, (int)fd, g->watch_mfd, ref, ++x->sigfd_files, false)) {
		if (ref >= 0)
			close(ref);
		return;
	}
	sigfd_refresh(x);
}

/* signalfd_copyinfo: the fields of the record by the siginfo's layout
 * (siginfo_layout), pids as the guest sees them. */
static void to_record(struct exec *x, const struct sl_siginfo *in, struct signalfd_siginfo *out)
{
	memset(out, 0, sizeof *out);
	out->ssi_signo = (uint32_t)in->signo;
	out->ssi_errno = in->errnum;
	out->ssi_code = in->code;
	switch (siginfo_kind(in->signo, in->code)) {
	case SIGINFO_FAULT:
		out->ssi_addr = in->addr;
		break;
	case SIGINFO_TIMER:
		out->ssi_tid = (uint32_t)in->timerid;
		out->ssi_overrun = (uint32_t)in->overrun;
		out->ssi_ptr = in->value;
		out->ssi_int = (int32_t)in->value;
		break;
	case SIGINFO_POLL:
		out->ssi_band = (uint32_t)in->band;
		out->ssi_fd = in->fd;
		break;
	case SIGINFO_CHLD:
		out->ssi_pid = (uint32_t)pid_to_real(x, in->pid);
		out->ssi_uid = in->uid;
		out->ssi_status = in->status;
		break;
	case SIGINFO_RT:
		out->ssi_ptr = in->value;
		out->ssi_int = (int32_t)in->value;
		/* fall through */
	case SIGINFO_KILL:
		out->ssi_pid = (uint32_t)(in->pid ? pid_to_real(x, in->pid) : 0);
		out->ssi_uid = in->uid;
		break;
	}
}

/* signalfd_read's loop: the first record is the one the model's read
 * took (r = 128) or the error; then more while the file is readable and
 * the buffer has room.  A record that cannot be written is lost
 * (-EFAULT, or the bytes written before it). */
static long sigfd_read_result(struct exec *x, struct guest *g, const struct exec_sigfd *e,
			      const uint64_t *a, long r, const struct sl_siginfo *first)
{
	struct signalfd_siginfo rec;
	struct sl_siginfo info = *first;
	uint64_t total = 0;

	if (r <= 0)
		return r;
	for (;;) {
		to_record(x, &info, &rec);
		if (guest_write(g->tid, a[1] + total, &rec, sizeof rec))
			return total ? (long)total : -SL_EFAULT;
		total += SIGNALFD_RECORD;
		if (total + SIGNALFD_RECORD > a[2] || sl_signalfd_poll(x->k, g->mtid, e->mfd) != 1 ||
		    sl_sys_read_signalfd_count(x->k, g->mtid, e->mfd, SIGNALFD_RECORD, &info) !=
			    SIGNALFD_RECORD)
			return (long)total;
	}
}

long sigfd_read(struct exec *x, struct guest *g, const uint64_t *a)
{
	struct exec_sigfd *e;
	struct sl_siginfo info = { 0 };
	long r;

	if (!x->nsigfds || !(e = sigfd_lookup(x, g, (int)(int32_t)a[0])))
		return SIGFD_RUN_HOST;
	r = sl_sys_read_signalfd_count(x->k, g->mtid, e->mfd,
				       a[2] < SIGNALFD_RECORD ? a[2] : SIGNALFD_RECORD, &info);
	if (r == SL_SYSCALL_BLOCKED)
		return r;
	return sigfd_read_result(x, g, e, a, r, &info);
}

/* A read that slept in the model came back with r and its first record. */
long sigfd_read_finish(struct exec *x, struct guest *g, const uint64_t *a, long r)
{
	struct exec_sigfd *e = sigfd_lookup(x, g, (int)(int32_t)a[0]);

	if (!e)
		return r > 0 ? -SL_EBADF : r;
	return sigfd_read_result(x, g, e, a, r, &g->ret_info);
}

/* fork copies the descriptor table (dup_fd): the child's descriptors
 * name the same files, as the model's do. */
void sigfd_fork(struct exec *x, pid_t parent, pid_t child)
{
	size_t n = x->nsigfds;

	for (size_t i = 0; i < n; i++) {
		int ref;

		if (x->sigfds[i].tgid != parent)
			continue;
		ref = dup(x->sigfds[i].ref);
		if (ref >= 0 && sigfd_add(x, child, x->sigfds[i].fd, x->sigfds[i].mfd, ref,
					  x->sigfds[i].file, x->sigfds[i].ready))
			close(ref);
	}
}

/* Whether the file of entry i is readable for some process that holds
 * it (a file fork shared is one eventfd for all of them). */
static bool file_ready(const struct exec *x, size_t i)
{
	for (size_t j = 0; j < x->nsigfds; j++)
		if (x->sigfds[j].file == x->sigfds[i].file && x->sigfds[j].now)
			return true;
	return false;
}

static bool first_of_file(const struct exec *x, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (x->sigfds[j].file == x->sigfds[i].file)
			return false;
	return true;
}

/* Every guest signalfd's eventfd holds 1 exactly while the model's file
 * is readable (its count is only ever written here: the guest's reads of
 * it are the model's).  Entries of a process gone, or of a file its exec
 * closed, are dropped.
 * DEVIATION(a signalfd shared by fork is readable to poll in every
 * process that holds it while it is readable in one of them) */
void sigfd_refresh(struct exec *x)
{
	for (size_t i = 0; i < x->nsigfds;) {
		struct exec_sigfd *e = &x->sigfds[i];
		struct guest *leader = guest_by_tid(x, e->tgid);
		int r = leader && leader->mtid ? sl_signalfd_poll(x->k, leader->mtid, e->mfd)
					       : -SL_ESRCH;

		if (r < 0) {
			sigfd_drop(x, i);
			continue;
		}
		e->now = r == 1;
		i++;
	}
	for (size_t i = 0; i < x->nsigfds; i++) {
		struct exec_sigfd *e = &x->sigfds[i];
		bool ready;
		uint64_t v = 1;
		ssize_t n;

		if (!first_of_file(x, i) || (ready = file_ready(x, i)) == e->ready)
			continue;
		n = ready ? write(e->ref, &v, sizeof v) : read(e->ref, &v, sizeof v);
		if (n != (ssize_t)sizeof v)
			continue;
		for (size_t j = i; j < x->nsigfds; j++)
			if (x->sigfds[j].file == e->file)
				x->sigfds[j].ready = ready;
	}
}

void sigfd_free(struct exec *x)
{
	while (x->nsigfds)
		sigfd_drop(x, x->nsigfds - 1);
	free(x->sigfds);
	x->sigfds = NULL;
	x->sigfds_cap = 0;
}
