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
	for (size_t i = 0; i < g->timers->nsigfds; i++)
		if (g->timers->sigfds[i].fd == fd)
			return &g->timers->sigfds[i];
	return NULL;
}

/* A number no descriptor of the process uses (inherited ones included). */
static int next_sigfd(const struct signal_group *g)
{
	int fd = SIGNALFD_FIRST_FD;

	for (size_t i = 0; i < g->timers->nsigfds; i++)
		if (g->timers->sigfds[i].fd >= fd)
			fd = g->timers->sigfds[i].fd + 1;
	return fd;
}

long sl_sys_signalfd(sl_kernel *k, int caller, int fd, const sl_sigset *mask)
{
	return sl_sys_signalfd4(k, caller, fd, mask, 0);
}

/* do_signalfd4: the flags are checked first; they belong to a new file
 * (O_NONBLOCK) and its descriptor (O_CLOEXEC). */
long sl_sys_signalfd4(sl_kernel *k, int caller, int fd, const sl_sigset *mask, unsigned flags)
{
	struct task *t = syscall_caller(k, caller);
	struct signal_group *g;
	struct sigfd *f, *nf;
	struct sigfd_file *file;

	if (!t || t->state != TASK_RUNNING)
		return -SL_ESRCH;
	if (flags & ~(unsigned)(SL_SFD_NONBLOCK | SL_SFD_CLOEXEC))
		return -SL_EINVAL;
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
	if (timers_get(k, g) < 0)
		return -SL_ENOMEM;
	file = kalloc(k, sizeof *file);
	if (!file)
		return -SL_ENOMEM;
	nf = krealloc(k, g->timers->sigfds, g->timers->sigfds_cap * sizeof *nf,
		      (g->timers->nsigfds + 1) * sizeof *nf);
	if (!nf) {
		kfree(k, file, sizeof *file);
		return -SL_ENOMEM;
	}
	g->timers->sigfds = nf;
	file->refs = 1;
	file->mask = *mask & ~SIGSET_KERNEL_ONLY;
	file->nonblock = flags & SL_SFD_NONBLOCK;
	f = &nf[g->timers->nsigfds];
	f->fd = next_sigfd(g);
	f->file = file;
	f->cloexec = flags & SL_SFD_CLOEXEC;
	g->timers->nsigfds++;
	g->timers->sigfds_cap = g->timers->nsigfds;
	return f->fd;
}

static int sigfd_of(const struct task *t)
{
	return -1 - t->sys.obj;
}

/* signalfd_read: one record per 128 bytes of the count; the first is
 * waited for (signalfd_dequeue) unless the file is nonblocking, the
 * others are taken only if pending; the bytes of the records taken. */
long signalfd_enter(sl_kernel *k, struct task *t)
{
	struct sigfd *f = find_sigfd(t->group, sigfd_of(t));
	struct sl_siginfo info = { 0 };
	size_t records = t->sys.count / SIGNALFD_SIGINFO_SIZE, n = 1;

	if (!f)
		return -SL_EBADF;
	if (!dequeue_signal_mask(k, t, ~f->file->mask, &info)) {
		if (f->file->nonblock)
			return -SL_EAGAIN;
		if (t->sigpending)
			return -SL_ERESTARTSYS;
		sys_sleep(k, t, SL_SLEEP_INTERRUPTIBLE);
		return SL_SYSCALL_BLOCKED;
	}
	t->sys.info = info;
	while (n < records && dequeue_signal_mask(k, t, ~f->file->mask, &info))
		n++;
	return (long)(n * SIGNALFD_SIGINFO_SIZE);
}

long signalfd_resume(sl_kernel *k, struct task *t)
{
	return signalfd_enter(k, t);
}

long sl_sys_read_signalfd(sl_kernel *k, int caller, int fd, struct sl_siginfo *info)
{
	return sl_sys_read_signalfd_count(k, caller, fd, SIGNALFD_SIGINFO_SIZE, info);
}

long sl_sys_read_signalfd_count(sl_kernel *k, int caller, int fd, size_t count,
				struct sl_siginfo *info)
{
	struct task *t = syscall_caller(k, caller);
	long r;

	if (!t || t->state != TASK_RUNNING)
		return -SL_ESRCH;
	if (!find_sigfd(t->group, fd))
		return -SL_EBADF;
	/* signalfd_read: not room for one record */
	if (count < SIGNALFD_SIGINFO_SIZE)
		return -SL_EINVAL;
	sys_begin(t, SL_NR_READ);
	t->sys.obj = -1 - fd;
	t->sys.count = count;
	r = signalfd_enter(k, t);
	if (r > 0 && info)
		*info = t->sys.info;
	return sys_entry_result(k, t, r);
}

/* signalfd_notify: a signal was queued for t; its process's readers look
 * again. */
void signalfd_notify(sl_kernel *k, struct task *t)
{
	struct task *o = t->group->leader;

	if (!t->group->timers->nsigfds)
		return;
	do {
		if (o->state == TASK_SLEEPING && o->sys.nr == SL_NR_READ && o->sys.obj < 0)
			sys_wake(k, o);
		o = o->thread_next;
	} while (o != t->group->leader);
}

int signalfd_fork(sl_kernel *k, const struct signal_group *from, struct signal_group *to)
{
	size_t n = from->timers->nsigfds;

	if (!n)
		return 0;
	if (timers_get(k, to) < 0)
		return -SL_ENOMEM;
	to->timers->sigfds = kalloc(k, n * sizeof *to->timers->sigfds);
	if (!to->timers->sigfds)
		return -SL_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		to->timers->sigfds[i] = from->timers->sigfds[i];
		to->timers->sigfds[i].file->refs++;
	}
	to->timers->nsigfds = n;
	to->timers->sigfds_cap = n;
	return 0;
}

void signalfd_exec(sl_kernel *k, struct signal_group *g)
{
	size_t kept = 0;

	for (size_t i = 0; i < g->timers->nsigfds; i++) {
		struct sigfd *f = &g->timers->sigfds[i];

		if (!f->cloexec)
			g->timers->sigfds[kept++] = *f;
		else if (--f->file->refs == 0)
			kfree(k, f->file, sizeof *f->file);
	}
	/* the array keeps its allocation (sigfds_cap) */
	g->timers->nsigfds = kept;
}

/* The process's descriptors close; a file goes with its last one. */
void signalfd_free(sl_kernel *k, struct signal_group *g)
{
	for (size_t i = 0; i < g->timers->nsigfds; i++) {
		struct sigfd_file *file = g->timers->sigfds[i].file;

		if (--file->refs == 0)
			kfree(k, file, sizeof *file);
	}
	kfree(k, g->timers->sigfds, g->timers->sigfds_cap * sizeof *g->timers->sigfds);
	g->timers->sigfds = NULL;
	g->timers->nsigfds = 0;
	g->timers->sigfds_cap = 0;
}
