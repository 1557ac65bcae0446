/* Models fs/fcntl.c (Linux 6.x): the owner of an open file and the I/O
 * signals it gets — f_setown, f_setown_ex, f_getown, F_SETSIG, setfl's
 * O_ASYNC (the file's ->fasync, here pipe_fasync), kill_fasync,
 * send_sigio, send_sigio_to_task and sigio_perm — for the ends of model
 * pipes (pipe.c), the only files the model has.
 *
 * A file marked O_ASYNC tells its owner when it becomes ready: pipe_write
 * sends POLL_IN to the owner of the read end, pipe_read POLL_OUT to the
 * owner of the write end, and pipe_release both when one side is left
 * without the other.  The owner is a process (F_SETOWN with a pid), a
 * process group (a negative pid: every process in it) or one thread
 * (F_SETOWN_EX with F_OWNER_TID).  It gets SIGIO with no siginfo
 * (SI_KERNEL), or, after F_SETSIG, the chosen signal with si_code POLL_IN
 * (POLL_OUT, ...), si_band and si_fd; when that one cannot be queued (a
 * real-time signal over RLIMIT_SIGPENDING) plain SIGIO goes instead.
 * Only an owner the setter could signal gets anything: sigio_perm checks
 * the credentials recorded at F_SETOWN against the receiver's.
 *
 * UNMODELED(O_NOATIME's owner check and O_DIRECT's packet mode: F_SETFL
 * keeps the bits only). */
#include "engine/internal.h"

/* setfl's SETFL_MASK on x86-64: O_APPEND, O_NONBLOCK (= O_NDELAY),
 * O_DIRECT, O_NOATIME. */
#define SETFL_MASK (02000u | 04000u | 040000u | 01000000u)

/* include/uapi/asm-generic/poll.h, the bits band_table combines. */
enum {
	EPOLLIN = 0x1, EPOLLPRI = 0x2, EPOLLOUT = 0x4, EPOLLERR = 0x8, EPOLLHUP = 0x10,
	EPOLLRDNORM = 0x40, EPOLLRDBAND = 0x80, EPOLLWRNORM = 0x100, EPOLLWRBAND = 0x200,
	EPOLLMSG = 0x400
};

/* band_table: si_band for each POLL_* reason. */
static const int64_t band_table[] = {
	[SL_POLL_IN] = EPOLLIN | EPOLLRDNORM,
	[SL_POLL_OUT] = EPOLLOUT | EPOLLWRNORM | EPOLLWRBAND,
	[SL_POLL_MSG] = EPOLLIN | EPOLLRDNORM | EPOLLMSG,
	[SL_POLL_ERR] = EPOLLERR,
	[SL_POLL_PRI] = EPOLLPRI | EPOLLRDBAND,
	[SL_POLL_HUP] = EPOLLHUP | EPOLLERR,
};

/* sig_specific_sicodes: the signals whose positive si_codes mean
 * something of their own, so that POLL_IN would be ambiguous. */
static bool sig_specific_sicodes(int sig)
{
	switch (sig) {
	case SL_SIGILL: case SL_SIGFPE: case SL_SIGSEGV: case SL_SIGBUS:
	case SL_SIGTRAP: case SL_SIGCHLD: case SL_SIGIO: case SL_SIGSYS:
		return true;
	default:
		return false;
	}
}

/* sigio_perm: the setter was root, or its real or effective uid is the
 * receiver's real or saved uid.  The model has one uid per task, which
 * stands for all of them. */
static bool sigio_perm(const struct task *p, const struct fown *fown)
{
	return fown->euid == 0 || fown->euid == p->cred->uid || fown->uid == p->cred->uid;
}

/* do_send_sig_info: a released task has no sighand to lock. */
static int sigio_send(sl_kernel *k, struct task *cur, int sig, enum info_kind kind,
		      struct sl_siginfo *info, struct task *p, enum pid_type type)
{
	if (p->released)
		return -SL_ESRCH;
	return send_signal_locked(k, cur, sig, kind, info, p, type);
}

/* send_sigio_to_task: the chosen signal with its siginfo, falling back
 * on SIGIO when it cannot be queued; SIGIO alone when none was chosen. */
static void send_sigio_to_task(sl_kernel *k, struct task *cur, struct task *p,
			       const struct fown *fown, int fd, int reason,
			       enum pid_type type)
{
	int signum = fown->signum;

	if (!sigio_perm(p, fown))
		return;
	if (signum) {
		struct sl_siginfo si = {
			.signo = signum,
			.code = signum != SL_SIGIO && sig_specific_sicodes(signum)
				? SL_SI_SIGIO : reason,
			.band = band_table[reason],
			.fd = fd,
		};

		if (!sigio_send(k, cur, signum, INFO_REAL, &si, p, type))
			return;
	}
	sigio_send(k, cur, SL_SIGIO, INFO_PRIV, NULL, p, type);
}

/* send_sigio: to the owning thread or process, or to each process of
 * the owning group (newest first, as the pid's task list). */
static void send_sigio(sl_kernel *k, struct task *cur, const struct fown *fown, int fd,
		       int band)
{
	enum pid_type type = (enum pid_type)fown->type;

	if (!fown->pid)
		return;
	if (type <= PIDTYPE_TGID) {
		struct task *p = find_task(k, fown->pid);

		if (p)
			send_sigio_to_task(k, cur, p, fown, fd, band, type);
		return;
	}
	for (struct pgroup *pg = pgroup_get(k, fown->pid); pg; pg = NULL) {
		struct task *m = pg->members;

		while (m) {
			struct task *next = m->group->pgrp_next;

			send_sigio_to_task(k, cur, m, fown, fd, band, type);
			m = next;
		}
	}
}

/* kill_fasync for one file: a file on the fasync list is O_ASYNC. */
void kill_fasync(sl_kernel *k, struct task *cur, struct pipe_file *f, int band)
{
	if (f->refs && (f->flags & SL_O_ASYNC))
		send_sigio(k, cur, &f->owner, f->fa_fd, band);
}

/* f_modown: a new owner, with the setter's credentials when there is
 * one. */
static void f_modown(struct pipe_file *f, const struct task *cur, int pid, enum pid_type type)
{
	f->owner.pid = pid;
	f->owner.type = type;
	if (pid)
		f->owner.uid = f->owner.euid = cur->cred->uid;
}

/* find_vpid: the number as the caller's namespace sees it, as a tid (or
 * a process group's pgid); 0 when nothing has it.  A pid outlives its
 * reaped task only while a process group it names has members (free_pid
 * runs when no task is attached to it any more), one of them visible in
 * the caller's namespace (found by siglab fuzz, seed 805346: F_SETOWN of
 * a reaped process whose group lives on succeeded on the host; the model
 * looked at groups only for a caller in the initial namespace, and the
 * scenario's tasks live in a namespace of their own).
 * UNMODELED(a pid kept only as a session id: a dead session leader whose
 * session's members are all in other groups). */
static int owner_lookup(sl_kernel *k, const struct task *cur, int who)
{
	struct task *t = find_task_visible(k, cur, who);
	struct pgroup *pg;

	if (t)
		return t->tid;
	pg = pgroup_get(k, who);
	if (pg && pg->members && task_visible_in(pg->members, cur->group->ns))
		return who;
	return 0;
}

/* f_setown: a positive pid names a process, a negative one a process
 * group, 0 nobody. */
static long f_setown(sl_kernel *k, struct task *cur, struct pipe_file *f, long arg)
{
	int who = (int)arg;
	enum pid_type type = PIDTYPE_TGID;
	int pid = 0;

	if (who < 0) {
		if (who == INT32_MIN)
			return -SL_EINVAL;
		type = PIDTYPE_PGID;
		who = -who;
	}
	if (who) {
		pid = owner_lookup(k, cur, who);
		if (!pid)
			return -SL_ESRCH;
	}
	f_modown(f, cur, pid, type);
	return 0;
}

static long f_setown_ex(sl_kernel *k, struct task *cur, struct pipe_file *f,
			const struct sl_f_owner_ex *owner)
{
	enum pid_type type;
	int pid = 0;

	if (!owner)
		return -SL_EFAULT;
	switch (owner->type) {
	case SL_F_OWNER_TID: type = PIDTYPE_PID; break;
	case SL_F_OWNER_PID: type = PIDTYPE_TGID; break;
	case SL_F_OWNER_PGRP: type = PIDTYPE_PGID; break;
	default: return -SL_EINVAL;
	}
	if (owner->pid) {
		pid = owner_lookup(k, cur, owner->pid);
		if (!pid)
			return -SL_ESRCH;
	}
	f_modown(f, cur, pid, type);
	return 0;
}

/* f_getown_ex; a file nobody owned reports F_OWNER_PID and pid 0. */
static long f_getown_ex(const struct pipe_file *f, struct sl_f_owner_ex *owner)
{
	if (!owner)
		return -SL_EFAULT;
	owner->pid = f->owner.pid;
	owner->type = f->owner.type == PIDTYPE_PID ? SL_F_OWNER_TID
		      : f->owner.type == PIDTYPE_PGID ? SL_F_OWNER_PGRP : SL_F_OWNER_PID;
	return 0;
}

/* setfl: O_ASYNC goes through ->fasync (pipe_fasync), which records the
 * descriptor si_fd will name, only when the bit changes; the other bits
 * of SETFL_MASK are taken as given. */
static long setfl(struct pipe_file *f, int fd, long arg)
{
	unsigned flags = (unsigned)arg;

	if ((flags ^ f->flags) & SL_O_ASYNC) {
		if (flags & SL_O_ASYNC) {
			f->flags |= SL_O_ASYNC;
			f->fa_fd = fd;
		} else {
			f->flags &= ~(unsigned)SL_O_ASYNC;
		}
	}
	f->flags = (flags & SETFL_MASK) | (f->flags & ~SETFL_MASK);
	return 0;
}

/* do_fcntl for the commands a pipe's I/O signals need. */
long sl_sys_fcntl_pipe(sl_kernel *k, int caller, int pipe, int end, int fd, int cmd,
		       long arg, struct sl_f_owner_ex *owner)
{
	struct task *t = syscall_caller(k, caller);
	struct pipe_file *f;

	if (!t)
		return -SL_ESRCH;
	if (!pipe_fds_holds(t->group, pipe, end))
		return -SL_EBADF;
	f = &k->world.pipes[pipe].end[end];
	switch (cmd) {
	case SL_F_GETFL:
		return (long)f->flags;
	case SL_F_SETFL:
		return setfl(f, fd, arg);
	case SL_F_SETOWN:
		return f_setown(k, t, f, arg);
	case SL_F_GETOWN:
		return f->owner.type == PIDTYPE_PGID ? -(long)f->owner.pid : f->owner.pid;
	case SL_F_SETOWN_EX:
		return f_setown_ex(k, t, f, owner);
	case SL_F_GETOWN_EX:
		return f_getown_ex(f, owner);
	case SL_F_SETSIG:
		/* valid_signal of an unsigned long: 0 restores SIGIO */
		if (arg < 0 || arg > SL_NSIG)
			return -SL_EINVAL;
		f->owner.signum = (int)arg;
		return 0;
	case SL_F_GETSIG:
		return f->owner.signum;
	default:
		return -SL_EINVAL;
	}
}
