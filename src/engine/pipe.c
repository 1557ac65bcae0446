/* Models the blocking half of pipes (fs/pipe.c pipe_read, pipe_write):
 * a read of an empty pipe sleeps interruptibly and gives up with
 * -ERESTARTSYS when a signal is pending — seed 001's tap_do_read does the
 * same — and a write wakes the readers (Linux 6.x).
 *
 * DEVIATION(pipes are kernel-wide objects named by an id, not file
 * descriptors in per-process tables: every task may use every pipe).
 * UNMODELED(pipe capacity: writes never block; EOF and EPIPE/SIGPIPE:
 * every pipe always has a reader and a writer). */
#include "engine/internal.h"

long sl_pipe_create(sl_kernel *k)
{
	struct model_pipe *np;

	SL_ASSERT(k != NULL);
	np = krealloc(k, k->world.pipes, k->world.npipes * sizeof *np,
		      (k->world.npipes + 1) * sizeof *np);

	if (!np)
		return -SL_ENOMEM;
	k->world.pipes = np;
	np[k->world.npipes].bytes = 0;
	return (long)k->world.npipes++;
}

static struct model_pipe *get_pipe(sl_kernel *k, int id)
{
	if (id < 0 || (size_t)id >= k->world.npipes)
		return NULL;
	return &k->world.pipes[id];
}

/* pipe_read: take what is there; an empty pipe means sleep, unless a
 * signal is pending. */
long pipe_read_enter(sl_kernel *k, struct task *t)
{
	struct model_pipe *p = get_pipe(k, t->sys.obj);
	size_t n;

	if (!p)
		return -SL_EBADF;
	if (t->sys.count == 0)
		return 0;
	if (p->bytes) {
		n = p->bytes < t->sys.count ? p->bytes : t->sys.count;
		p->bytes -= n;
		return (long)n;
	}
	if (t->sigpending)
		return -SL_ERESTARTSYS;
	sys_sleep(k, t, SL_SLEEP_INTERRUPTIBLE);
	return SL_SYSCALL_BLOCKED;
}

long pipe_read_resume(sl_kernel *k, struct task *t)
{
	return pipe_read_enter(k, t);
}

/* vfs_read and vfs_write: one call moves at most MAX_RW_COUNT bytes
 * (INT_MAX rounded down to a page), so the result always fits. */
#define MAX_RW_COUNT ((size_t)0x7ffff000)

static size_t rw_verify_count(size_t count)
{
	return count > MAX_RW_COUNT ? MAX_RW_COUNT : count;
}

long sl_sys_read(sl_kernel *k, int caller, int pipe, size_t count)
{
	struct task *t = syscall_caller(k, caller);

	if (!t || t->state != TASK_RUNNING)
		return -SL_ESRCH;
	if (!get_pipe(k, pipe))
		return -SL_EBADF;
	sys_begin(t, SL_NR_READ);
	t->sys.obj = pipe;
	t->sys.count = rw_verify_count(count);
	return sys_entry_result(k, t, pipe_read_enter(k, t));
}

/* pipe_write: the data goes in and the readers are woken.
 * DEVIATION(every sleeping reader is woken, where the kernel wakes one
 * exclusive waiter; the others find the pipe empty and sleep again). */
long sl_sys_write(sl_kernel *k, int caller, int pipe, size_t count)
{
	struct task *t = syscall_caller(k, caller);
	struct model_pipe *p = get_pipe(k, pipe);

	if (!t)
		return -SL_ESRCH;
	if (!p)
		return -SL_EBADF;
	count = rw_verify_count(count);
	/* UNMODELED(a pipe's capacity: writers never block; the byte count
	 * stops at SIZE_MAX and a write that would pass it is partial). */
	if (count > SIZE_MAX - p->bytes)
		count = SIZE_MAX - p->bytes;
	if (count == 0)
		return 0;
	p->bytes += count;
	for (size_t i = 0; i < k->ntasks_cap; i++) {
		struct task *r = k->tasks[i];

		if (r && r->state == TASK_SLEEPING && r->sys.nr == SL_NR_READ &&
		    r->sys.obj == pipe)
			sys_wake(k, r);
	}
	return (long)count;
}
