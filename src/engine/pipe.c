/* Models fs/pipe.c (Linux 6.x): pipe_read, pipe_write, pipe_release and
 * pipe_fasync's side of pipes, and the part of fs/file.c that holds a
 * pipe's two ends: dup_fd at fork, close_fd, exit_files.
 *
 * A pipe has a read end and a write end, each an open file that
 * processes hold.  While nobody holds the write end, a read of the empty
 * pipe returns 0 (end of file) instead of sleeping, and the readers
 * asleep in it are woken to find so.  While nobody holds the read end, a
 * write sends SIGPIPE to the writer and fails with EPIPE: the signal
 * first, as pipe_write does, so that a writer that ignores SIGPIPE (or
 * whose handler returns) sees the error.
 *
 * DEVIATION(pipes are named by an id, not by numbers in a descriptor
 * table: a process holds an end or not, and one descriptor of it at most).
 * UNMODELED(a pipe's capacity: writes never block, so a writer never waits
 * for a reader; splice, FIFOs and packet mode). */
#include "engine/internal.h"

static struct model_pipe *get_pipe(sl_kernel *k, int id)
{
	if (id < 0 || (size_t)id >= k->world.npipes)
		return NULL;
	return &k->world.pipes[id];
}

static bool valid_end(int end)
{
	return end == SL_PIPE_READ || end == SL_PIPE_WRITE;
}

bool pipe_fds_holds(const struct signal_group *g, int pipe, int end)
{
	return pipe >= 0 && (size_t)pipe < g->files->pipefds.n && valid_end(end) &&
	       (g->files->pipefds.held[pipe] & (1u << end));
}

bool sl_pipe_held(const sl_kernel *k, int pid, int pipe, int end)
{
	const struct task *t = find_task(k, pid);

	return t && !t->released && pipe_fds_holds(t->group, pipe, end);
}

/* fd_install of an end in a process's table. */
static int pipe_fds_install(sl_kernel *k, struct signal_group *g, int pipe, int end)
{
	struct pipe_fds *f;

	if (files_get(k, g) < 0)
		return -SL_ENOMEM;
	f = &g->files->pipefds;
	if ((size_t)pipe >= f->n) {
		size_t n = (size_t)pipe + 1;
		uint8_t *held = krealloc(k, f->held, f->n, n);

		if (!held)
			return -SL_ENOMEM;
		for (size_t i = f->n; i < n; i++)
			held[i] = 0;
		f->held = held;
		f->n = n;
	}
	f->held[pipe] |= (uint8_t)(1u << end);
	k->world.pipes[pipe].end[end].refs++;
	return 0;
}

/* create_pipe_files: a pipe and its two files, nobody holding them yet. */
static long pipe_new(sl_kernel *k)
{
	struct model_pipe *np;

	np = krealloc(k, k->world.pipes, k->world.npipes * sizeof *np,
		      (k->world.npipes + 1) * sizeof *np);
	if (!np)
		return -SL_ENOMEM;
	k->world.pipes = np;
	np[k->world.npipes] = (struct model_pipe){ 0 };
	/* the files' access modes: O_RDONLY and O_WRONLY */
	np[k->world.npipes].end[SL_PIPE_WRITE].flags = 1;
	return (long)k->world.npipes++;
}

/* A pipe that every live user process holds both ends of.  A failure
 * half way leaves a pipe some processes hold; the embedder sees ENOMEM. */
long sl_pipe_create(sl_kernel *k)
{
	long id;

	SL_ASSERT(k != NULL);
	id = pipe_new(k);
	if (id < 0)
		return id;
	for (size_t i = 0; i < k->nprocs; i++) {
		struct task *l = k->procs[i];

		if (!l || l->group->kthread || !l->group->live)
			continue;
		if (pipe_fds_install(k, l->group, (int)id, SL_PIPE_READ) < 0 ||
		    pipe_fds_install(k, l->group, (int)id, SL_PIPE_WRITE) < 0)
			return -SL_ENOMEM;
	}
	return id;
}

/* pipe(2): the caller's process holds both ends. */
long sl_sys_pipe(sl_kernel *k, int caller)
{
	struct task *t = syscall_caller(k, caller);
	long id;

	if (!t)
		return -SL_ESRCH;
	id = pipe_new(k);
	if (id < 0)
		return id;
	if (pipe_fds_install(k, t->group, (int)id, SL_PIPE_READ) < 0 ||
	    pipe_fds_install(k, t->group, (int)id, SL_PIPE_WRITE) < 0)
		return -SL_ENOMEM;
	return id;
}

/* Wakes every reader asleep in pipe `id` (wake_up_interruptible_all on
 * rd_wait).
 * DEVIATION(a write wakes every sleeping reader, where the kernel wakes
 * one exclusive waiter; the others find the pipe empty and sleep again). */
static void pipe_wake_readers(sl_kernel *k, int id)
{
	for (size_t i = 0; i < k->ntasks_cap; i++) {
		struct task *r = k->tasks[i];

		if (r && r->state == TASK_SLEEPING && r->sys->nr == SL_NR_READ &&
		    r->sys->obj == id)
			sys_wake(k, r);
	}
}

/* __fput of an end's file, then pipe_release: the fasync entry goes
 * first (the file is no longer O_ASYNC), then the pipe loses a reader or
 * a writer.  When that leaves one side without the other, the readers
 * are woken (they see EOF) and the other side's owner hears of it: the
 * readers' as POLL_IN, the writers' as POLL_OUT. */
static void pipe_release(sl_kernel *k, struct task *cur, int id, int end)
{
	struct model_pipe *p = &k->world.pipes[id];
	struct pipe_file *f = &p->end[end];
	bool readers, writers;

	SL_ASSERT(f->refs > 0);
	if (--f->refs)
		return;
	f->flags &= ~(unsigned)SL_O_ASYNC;
	readers = p->end[SL_PIPE_READ].refs != 0;
	writers = p->end[SL_PIPE_WRITE].refs != 0;
	if (readers == writers)
		return;
	pipe_wake_readers(k, id);
	kill_fasync(k, cur, &p->end[SL_PIPE_READ], SL_POLL_IN);
	kill_fasync(k, cur, &p->end[SL_PIPE_WRITE], SL_POLL_OUT);
}

/* close(2) of one end (close_fd, filp_close). */
long sl_sys_close_pipe(sl_kernel *k, int caller, int pipe, int end)
{
	struct task *t = syscall_caller(k, caller);

	if (!t)
		return -SL_ESRCH;
	if (!pipe_fds_holds(t->group, pipe, end))
		return -SL_EBADF;
	t->group->files->pipefds.held[pipe] &= (uint8_t)~(1u << end);
	pipe_release(k, t, pipe, end);
	return 0;
}

/* exit_files: the last thread of a process lets every end go, in pipe
 * order (close_files walks the table by descriptor number). */
void pipe_fds_exit(sl_kernel *k, struct task *cur)
{
	struct signal_group *g = cur->group;

	for (size_t i = 0; i < g->files->pipefds.n; i++) {
		for (int end = SL_PIPE_READ; end <= SL_PIPE_WRITE; end++) {
			if (!(g->files->pipefds.held[i] & (1u << end)))
				continue;
			g->files->pipefds.held[i] &= (uint8_t)~(1u << end);
			pipe_release(k, cur, (int)i, end);
		}
	}
}

/* dup_fd: the child of a fork holds every end its parent holds. */
int pipe_fds_fork(sl_kernel *k, const struct signal_group *from, struct signal_group *to)
{
	size_t n = from->files->pipefds.n;

	if (!n)
		return 0;
	if (files_get(k, to) < 0)
		return -SL_ENOMEM;
	to->files->pipefds.held = kalloc(k, n);
	if (!to->files->pipefds.held)
		return -SL_ENOMEM;
	to->files->pipefds.n = n;
	for (size_t i = 0; i < n; i++) {
		to->files->pipefds.held[i] = from->files->pipefds.held[i];
		for (int end = SL_PIPE_READ; end <= SL_PIPE_WRITE; end++)
			if (to->files->pipefds.held[i] & (1u << end))
				k->world.pipes[i].end[end].refs++;
	}
	return 0;
}

/* Frees the table; the ends were let go at exit (or, for a fork that
 * failed, are let go here without the release's effects). */
void pipe_fds_free(sl_kernel *k, struct signal_group *g)
{
	for (size_t i = 0; i < g->files->pipefds.n; i++)
		for (int end = SL_PIPE_READ; end <= SL_PIPE_WRITE; end++)
			if (g->files->pipefds.held[i] & (1u << end))
				k->world.pipes[i].end[end].refs--;
	if (g->files == &k->files_none)
		return;
	kfree(k, g->files->pipefds.held, g->files->pipefds.n);
	g->files->pipefds.held = NULL;
	g->files->pipefds.n = 0;
}

/* pipe_read: take what is there; an empty pipe with no writer left is
 * the end of the file (0); with O_NONBLOCK it is EAGAIN; else the reader
 * sleeps, giving up with -ERESTARTSYS when a signal is pending.  A read
 * that returns tells the writers' owner there is room (POLL_OUT); one
 * that sleeps does so first only when the pipe was full, which the
 * model's never is (checked on Linux 6.18: no POLL_OUT before the sleep,
 * tests/scenarios/sigio-setsig). */
long pipe_read_enter(sl_kernel *k, struct task *t)
{
	struct model_pipe *p = get_pipe(k, t->sys->obj);
	size_t n;

	if (!p)
		return -SL_EBADF;
	if (t->sys->count == 0)
		return 0;
	if (p->bytes) {
		n = p->bytes < t->sys->count ? p->bytes : t->sys->count;
		p->bytes -= n;
		kill_fasync(k, t, &p->end[SL_PIPE_WRITE], SL_POLL_OUT);
		return (long)n;
	}
	if (!p->end[SL_PIPE_WRITE].refs || (p->end[SL_PIPE_READ].flags & SL_O_NONBLOCK)) {
		kill_fasync(k, t, &p->end[SL_PIPE_WRITE], SL_POLL_OUT);
		return p->end[SL_PIPE_WRITE].refs ? -SL_EAGAIN : 0;
	}
	if (t->sigpending)
		return -SL_ERESTARTSYS;
	sys_sleep(k, t, SL_SLEEP_INTERRUPTIBLE);
	return SL_SYSCALL_BLOCKED;
}

/* Woken: the wait's condition (data, or no writer) is checked again. */
long pipe_read_resume(sl_kernel *k, struct task *t)
{
	struct model_pipe *p = get_pipe(k, t->sys->obj);
	size_t n;

	if (!p)
		return -SL_EBADF;
	if (p->bytes) {
		n = p->bytes < t->sys->count ? p->bytes : t->sys->count;
		p->bytes -= n;
		kill_fasync(k, t, &p->end[SL_PIPE_WRITE], SL_POLL_OUT);
		return (long)n;
	}
	if (!p->end[SL_PIPE_WRITE].refs) {
		kill_fasync(k, t, &p->end[SL_PIPE_WRITE], SL_POLL_OUT);
		return 0;
	}
	if (t->sigpending)
		return -SL_ERESTARTSYS;
	sys_sleep(k, t, SL_SLEEP_INTERRUPTIBLE);
	return SL_SYSCALL_BLOCKED;
}

long sl_sys_read(sl_kernel *k, int caller, int pipe, size_t count)
{
	struct task *t = syscall_caller(k, caller);

	if (!t || t->state != TASK_RUNNING)
		return -SL_ESRCH;
	if (!get_pipe(k, pipe) || !pipe_fds_holds(t->group, pipe, SL_PIPE_READ))
		return -SL_EBADF;
	if (sys_begin(k, t, SL_NR_READ) < 0)
		return -SL_ENOMEM;
	t->sys->obj = pipe;
	t->sys->count = rw_verify_count(count);
	return sys_entry_result(k, t, pipe_read_enter(k, t));
}

/* pipe_write's send_sig(SIGPIPE, current, 0), for a pipe the embedder
 * serves: to the writing thread, SI_USER from the writer itself. */
static void send_sigpipe(sl_kernel *k, struct task *t)
{
	send_signal_locked(k, t, SL_SIGPIPE, INFO_NOINFO, NULL, t, PIDTYPE_PID);
}

int sl_pipe_sigpipe(sl_kernel *k, int tid)
{
	struct task *t = find_task(k, tid);

	if (!t || t->state == TASK_DEAD || t->released)
		return -SL_ESRCH;
	send_sigpipe(k, t);
	return 0;
}

/* pipe_write: an empty write succeeds at once; with no reader left the
 * writer gets SIGPIPE (send_sig: SI_USER from itself, to the thread) and
 * EPIPE; else the data goes in, the readers are woken and the readers'
 * owner hears POLL_IN. */
long sl_sys_write(sl_kernel *k, int caller, int pipe, size_t count)
{
	struct task *t = syscall_caller(k, caller);
	struct model_pipe *p = get_pipe(k, pipe);

	if (!t)
		return -SL_ESRCH;
	if (!p || !pipe_fds_holds(t->group, pipe, SL_PIPE_WRITE))
		return -SL_EBADF;
	count = rw_verify_count(count);
	if (count == 0)
		return 0;
	if (!p->end[SL_PIPE_READ].refs) {
		send_sigpipe(k, t);
		return -SL_EPIPE;
	}
	/* the byte count stops at SIZE_MAX: a write that would pass it is
	 * partial */
	if (count > SIZE_MAX - p->bytes)
		count = SIZE_MAX - p->bytes;
	if (count == 0)
		return 0;
	p->bytes += count;
	pipe_wake_readers(k, pipe);
	kill_fasync(k, t, &p->end[SL_PIPE_READ], SL_POLL_IN);
	return (long)count;
}

/* sl_check's part: an end's refs are the processes holding it, and a
 * process whose threads have all exited holds nothing. */
const char *check_pipes(const sl_kernel *k)
{
	for (size_t i = 0; i < k->world.npipes; i++) {
		for (int end = SL_PIPE_READ; end <= SL_PIPE_WRITE; end++) {
			unsigned holders = 0;

			for (size_t t = 0; t < k->ntasks_cap; t++) {
				const struct task *l = k->tasks[t];

				if (!l || l != l->group->leader ||
				    !pipe_fds_holds(l->group, (int)i, end))
					continue;
				if (!l->group->live)
					return "an exited process still holds a pipe end";
				holders++;
			}
			if (holders != k->world.pipes[i].end[end].refs)
				return "a pipe end's refs do not match the processes holding it";
		}
	}
	return NULL;
}
