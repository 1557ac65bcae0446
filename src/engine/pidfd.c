/* Models pidfds for signals: pidfd_open (kernel/pid.c) and
 * pidfd_send_signal (kernel/signal.c) (Linux 6.x).  A pidfd is a small
 * integer in the opening process's table; it names the task by tid, so a
 * reaped target gives ESRCH and no other task is ever hit. */
#include "engine/internal.h"

#define PIDFD_NONBLOCK 04000u	/* O_NONBLOCK */
#define PIDFD_THREAD   0200u	/* O_EXCL */
#define PIDFD_SIGNAL_THREAD        1u
#define PIDFD_SIGNAL_THREAD_GROUP  2u
#define PIDFD_SIGNAL_PROCESS_GROUP 4u
#define PIDFD_FIRST_FD 3

long sl_sys_pidfd_open(sl_kernel *k, int caller, int pid, unsigned flags)
{
	struct task *cur = syscall_caller(k, caller), *p;
	struct signal_group *g;
	struct files *f;
	int *nt;

	if (!cur)
		return -SL_ESRCH;
	if (flags & ~(PIDFD_NONBLOCK | PIDFD_THREAD))
		return -SL_EINVAL;
	if (pid <= 0)
		return -SL_EINVAL;
	p = find_task_visible(k, cur, pid);
	if (!p)
		return -SL_ESRCH;
	/* Without PIDFD_THREAD the pid must name a thread-group leader
	 * (kernel/pid.c pidfd_prepare: no PIDTYPE_TGID task, -ENOENT on
	 * Linux 6.18, as the host shows; older kernels said -EINVAL). */
	if (!(flags & PIDFD_THREAD) && p != p->group->leader)
		return -SL_ENOENT;
	g = cur->group;
	if (files_get(k, g) < 0)
		return -SL_ENOMEM;
	f = g->files;
	nt = krealloc(k, f->pidfds, f->npidfds * sizeof *nt, (f->npidfds + 1) * sizeof *nt);
	if (!nt)
		return -SL_ENOMEM;
	f->pidfds = nt;
	f->pidfds[f->npidfds] = pid * 2 + ((flags & PIDFD_THREAD) ? 1 : 0);
	return (long)(f->npidfds++) + PIDFD_FIRST_FD;
}

/* The signal type a pidfd_send_signal call asks for: the flag if any,
 * else what the pidfd was opened for. */
static int pidfd_type(unsigned flags, bool thread_fd, enum pid_type *type)
{
	switch (flags) {
	case 0:
		*type = thread_fd ? PIDTYPE_PID : PIDTYPE_TGID;
		return 0;
	case PIDFD_SIGNAL_THREAD:
		*type = PIDTYPE_PID;
		return 0;
	case PIDFD_SIGNAL_THREAD_GROUP:
		*type = PIDTYPE_TGID;
		return 0;
	case PIDFD_SIGNAL_PROCESS_GROUP:
		*type = PIDTYPE_PGID;
		return 0;
	default:
		return -SL_EINVAL;
	}
}

long sl_sys_pidfd_send_signal(sl_kernel *k, int caller, int pidfd, int sig,
			      const struct sl_siginfo *uinfo, unsigned flags)
{
	struct task *cur = syscall_caller(k, caller), *p;
	struct sl_siginfo info;
	enum pid_type type;
	size_t idx;
	int pid, ret;
	bool thread_fd;

	if (!cur)
		return -SL_ESRCH;
	if (pidfd < PIDFD_FIRST_FD || (size_t)(pidfd - PIDFD_FIRST_FD) >= cur->group->files->npidfds)
		return -SL_EBADF;
	idx = (size_t)(pidfd - PIDFD_FIRST_FD);
	pid = cur->group->files->pidfds[idx] / 2;
	thread_fd = cur->group->files->pidfds[idx] & 1;
	if (pidfd_type(flags, thread_fd, &type) < 0)
		return -SL_EINVAL;
	p = find_task(k, pid);
	if (!p || p->released)
		return -SL_ESRCH;
	if (uinfo) {
		info = *uinfo;
		if (info.signo != sig)
			return -SL_EINVAL;
		/* Arbitrary siginfo only to oneself, and only process-wide. */
		if ((p != cur || type > PIDTYPE_TGID) &&
		    (info.code >= 0 || info.code == SL_SI_TKILL))
			return -SL_EPERM;
	} else {
		info = (struct sl_siginfo){
			.signo = sig,
			.code = type == PIDTYPE_PID ? SL_SI_TKILL : SL_SI_USER,
			.pid = cur->group->leader->tid,
			.uid = cur->cred->uid,
		};
	}
	k->caller = caller;
	if (type == PIDTYPE_PGID) {
		ret = -SL_ESRCH;
		for (struct task *m = p->group->pgrp ? p->group->pgrp->members : NULL; m;
		     m = m->group->pgrp_next) {
			struct sl_siginfo copy = info;
			int err = group_send_sig_info(k, cur, sig, INFO_REAL, &copy, m, PIDTYPE_PGID);

			if (ret)
				ret = err;
		}
	} else {
		ret = group_send_sig_info(k, cur, sig, INFO_REAL, &info, p, type);
	}
	k->caller = 0;
	return ret;
}

int files_get(sl_kernel *k, struct signal_group *g)
{
	struct files *f;

	if (g->files != &k->files_none)
		return 0;
	f = kalloc(k, sizeof *f);
	if (!f)
		return -SL_ENOMEM;
	*f = (struct files){ 0 };
	g->files = f;
	return 0;
}

void files_put(sl_kernel *k, struct signal_group *g)
{
	struct files *f = g->files;

	if (f == &k->files_none)
		return;
	kfree(k, f->pidfds, f->npidfds * sizeof *f->pidfds);
	kfree(k, f, sizeof *f);
	g->files = &k->files_none;
}
