/* Models fs/signalfd.c: signalfd4 (the mask never holds SIGKILL or
 * SIGSTOP; changing it wakes the caller's readers), signalfd_read /
 * signalfd_dequeue (dequeue_signal from the reader's own queues with the
 * file's mask, whatever the thread blocks; sleep interruptibly while none
 * is pending) and signalfd_notify (every signal queued for the process
 * wakes its signalfd readers), with the descriptor table that fork copies
 * (kernel/fork.c copy_files, fs/file.c dup_fd) (Linux 6.x).
 *
 * DEVIATION(a signalfd is named by a per-process number from 100, not the
 * lowest free file descriptor). */
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

/* A number no descriptor of the process uses (inherited ones included). */
static int next_sigfd(const struct signal_group *g)
{
	int fd = SIGNALFD_FIRST_FD;

	for (size_t i = 0; i < g->timers.nsigfds; i++)
		if (g->timers.sigfds[i].fd >= fd)
			fd = g->timers.sigfds[i].fd + 1;
	return fd;
}

long sl_sys_signalfd(sl_kernel *k, int caller, int fd, const sl_sigset *mask)
{
	struct task *t = syscall_caller(k, caller);
	struct signal_group *g;
	struct sigfd *f, *nf;
	struct sigfd_file *file;

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
		 * current->sighand->signalfd_wqh).  Readers in other
		 * processes sharing the file are not woken. */
		f->file->mask = *mask & ~SIGSET_KERNEL_ONLY;
		signalfd_notify(k, t);
		return fd;
	}
	file = kalloc(k, sizeof *file);
	if (!file)
		return -SL_ENOMEM;
	nf = krealloc(k, g->timers.sigfds, g->timers.nsigfds * sizeof *nf,
		      (g->timers.nsigfds + 1) * sizeof *nf);
	if (!nf) {
		kfree(k, file, sizeof *file);
		return -SL_ENOMEM;
	}
	g->timers.sigfds = nf;
	file->refs = 1;
	file->mask = *mask & ~SIGSET_KERNEL_ONLY;
	f = &nf[g->timers.nsigfds];
	f->fd = next_sigfd(g);
	f->file = file;
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
	sig = dequeue_signal_mask(k, t, ~f->file->mask, &info);
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

int signalfd_fork(sl_kernel *k, const struct signal_group *from, struct signal_group *to)
{
	size_t n = from->timers.nsigfds;

	if (!n)
		return 0;
	to->timers.sigfds = kalloc(k, n * sizeof *to->timers.sigfds);
	if (!to->timers.sigfds)
		return -SL_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		to->timers.sigfds[i] = from->timers.sigfds[i];
		to->timers.sigfds[i].file->refs++;
	}
	to->timers.nsigfds = n;
	return 0;
}

/* The process's descriptors close; a file goes with its last one. */
void signalfd_free(sl_kernel *k, struct signal_group *g)
{
	for (size_t i = 0; i < g->timers.nsigfds; i++) {
		struct sigfd_file *file = g->timers.sigfds[i].file;

		if (--file->refs == 0)
			kfree(k, file, sizeof *file);
	}
	kfree(k, g->timers.sigfds, g->timers.nsigfds * sizeof *g->timers.sigfds);
	g->timers.sigfds = NULL;
	g->timers.nsigfds = 0;
}
