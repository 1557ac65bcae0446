/* Models fs/signalfd.c: signalfd4 (the mask never holds SIGKILL or
 * SIGSTOP), signalfd_read / signalfd_dequeue (dequeue_signal with the
 * file's mask, whatever the thread blocks; sleep interruptibly while none
 * is pending; changing the mask wakes the caller's readers) and signalfd_notify (every signal queued for the process
 * wakes its signalfd readers) (Linux 6.x).
 *
 * DEVIATION(a signalfd is named by a per-process number from 100, not a
 * file descriptor; it is shared by the process's threads and not
 * inherited across fork). */
#include "engine/internal.h"

#define SIGNALFD_FIRST_FD 100
#define SIGNALFD_SIGINFO_SIZE 128

static struct sigfd *find_sigfd(struct signal_group *g, int fd)
{
	for (size_t i = 0; i < g->timers.nsigfds; i++)
		if (g->timers.sigfds[i].fd == fd)
			return &g->timers.sigfds[i];
	return NULL;
}

long sl_sys_signalfd(sl_kernel *k, int caller, int fd, const sl_sigset *mask)
{
	struct task *t = syscall_caller(k, caller);
	struct signal_group *g;
	struct sigfd *f, *nf;

	if (!t || t->state != TASK_RUNNING)
		return -SL_ESRCH;
	if (!mask)
		return -SL_EFAULT;
	g = t->group;
	if (fd >= 0) {
		f = find_sigfd(g, fd);
		if (!f)
			return -SL_EBADF;
		/* The new mask may take a signal already pending: the
		 * caller's readers look again (signalfd4's wake_up of
		 * current->sighand->signalfd_wqh). */
		f->mask = *mask & ~SIGSET_KERNEL_ONLY;
		signalfd_notify(k, t);
		return fd;
	}
	nf = krealloc(k, g->timers.sigfds, g->timers.nsigfds * sizeof *nf,
		      (g->timers.nsigfds + 1) * sizeof *nf);
	if (!nf)
		return -SL_ENOMEM;
	g->timers.sigfds = nf;
	f = &nf[g->timers.nsigfds];
	f->fd = SIGNALFD_FIRST_FD + (int)g->timers.nsigfds;
	f->mask = *mask & ~SIGSET_KERNEL_ONLY;
	g->timers.nsigfds++;
	return f->fd;
}

static int sigfd_of(const struct task *t)
{
	return -1 - t->sys.obj;
}

long signalfd_enter(sl_kernel *k, struct task *t)
{
	struct sigfd *f = find_sigfd(t->group, sigfd_of(t));
	struct sl_siginfo info = { 0 };
	int sig;

	if (!f)
		return -SL_EBADF;
	sig = dequeue_signal_mask(k, t, ~f->mask, &info);
	if (sig) {
		t->sys.info = info;
		return SIGNALFD_SIGINFO_SIZE;
	}
	if (t->sigpending)
		return -SL_ERESTARTSYS;
	sys_sleep(k, t, SL_SLEEP_INTERRUPTIBLE);
	return SL_SYSCALL_BLOCKED;
}

long signalfd_resume(sl_kernel *k, struct task *t)
{
	return signalfd_enter(k, t);
}

long sl_sys_read_signalfd(sl_kernel *k, int caller, int fd, struct sl_siginfo *info)
{
	struct task *t = syscall_caller(k, caller);
	long r;

	if (!t || t->state != TASK_RUNNING)
		return -SL_ESRCH;
	if (!find_sigfd(t->group, fd))
		return -SL_EBADF;
	sys_begin(t, SL_NR_READ);
	t->sys.obj = -1 - fd;
	t->sys.count = SIGNALFD_SIGINFO_SIZE;
	r = signalfd_enter(k, t);
	if (r > 0 && info)
		*info = t->sys.info;
	return sys_entry_result(t, r);
}

/* signalfd_notify: a signal was queued for t; its process's readers look
 * again. */
void signalfd_notify(sl_kernel *k, struct task *t)
{
	struct task *o = t->group->leader;

	if (!t->group->timers.nsigfds)
		return;
	do {
		if (o->state == TASK_SLEEPING && o->sys.nr == SL_NR_READ && o->sys.obj < 0)
			sys_wake(k, o);
		o = o->thread_next;
	} while (o != t->group->leader);
}

void signalfd_free(sl_kernel *k, struct signal_group *g)
{
	kfree(k, g->timers.sigfds, g->timers.nsigfds * sizeof *g->timers.sigfds);
	g->timers.sigfds = NULL;
	g->timers.nsigfds = 0;
}
