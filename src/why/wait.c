/*
 * What kind of sleep a thread is in, and where, from what /proc says of
 * it: its wait channel (wchan), its kernel stack (/proc/PID/stack, root
 * only) and its system call.  An S thread sleeps TASK_INTERRUPTIBLE: a
 * signal that is neither blocked nor ignored wakes it.  A D thread sleeps
 * TASK_KILLABLE, which a fatal signal ends at once, or
 * TASK_UNINTERRUPTIBLE, which no signal ends; /proc shows both as D
 * (fs/proc/array.c task_state_array: TASK_KILLABLE is TASK_WAKEKILL |
 * TASK_UNINTERRUPTIBLE).  Only waits whose kind is known from the kernel
 * are named; any other D wait stays unknown.
 */
#include <string.h>

#include "why/proc.h"

#include <sys/syscall.h>

static bool is_clone_call(long nr)
{
#ifdef SYS_vfork
	if (nr == SYS_vfork)
		return true;
#endif
	return nr == SYS_clone || nr == SYS_clone3 || nr < 0;
}

/* Whether `name` is the wait channel or a whole name in the stack. */
static bool at(const struct proc_thread *t, const char *name)
{
	size_t n = strlen(name);

	if (!strcmp(t->wchan, name))
		return true;
	for (const char *s = strstr(t->stack, name); s; s = strstr(s + 1, name))
		if ((s == t->stack || s[-1] == ' ') && (s[n] == ' ' || s[n] == '\0'))
			return true;
	return false;
}

static bool at_any(const struct proc_thread *t, const char *const *names)
{
	for (; *names; names++)
		if (at(t, *names))
			return true;
	return false;
}

/* A *_killable function in the wait channel or on the stack. */
static bool killable_frame(const struct proc_thread *t)
{
	return strstr(t->wchan, "_killable") || strstr(t->stack, "_killable");
}

/* One known wait: the functions that show it, its place, and its words. */
struct known_wait {
	const char *const *names;
	long syscall;		/* or -1: any */
	enum proc_wait_place place;
	const char *what, *rule;
};

static const char *const at_futex[] = { "futex_wait_queue", "futex_wait_queue_me",
					"futex_do_wait", "futex_wait", NULL };
static const char *const at_child[] = { "do_wait", "kernel_wait4", "kernel_waitid", NULL };
static const char *const at_sleep[] = { "hrtimer_nanosleep", "do_nanosleep", "common_nsleep",
					NULL };
static const char *const at_sigwait[] = { "do_sigtimedwait", "sigsuspend", "__x64_sys_pause",
					  "__do_sys_pause", "sys_pause", NULL };
static const char *const at_poll[] = { "do_select", "do_sys_poll", "ep_poll", "do_epoll_wait",
				       "poll_schedule_timeout", NULL };
static const char *const at_pipe[] = { "pipe_read", "pipe_write", "anon_pipe_read",
				       "anon_pipe_write", "pipe_wait", NULL };
static const char *const at_tty[] = { "n_tty_read", "tty_read", "n_tty_write", NULL };
static const char *const at_socket[] = { "inet_csk_accept", "sk_wait_data",
					 "unix_stream_read_generic", "__skb_wait_for_more_packets",
					 "sk_stream_wait_memory", "inet_wait_for_connect", NULL };
static const char *const at_lock[] = { "locks_lock_inode_wait", "flock_lock_inode_wait",
				       "posix_lock_inode_wait", NULL };
static const char *const at_io[] = { "io_schedule", "folio_wait_bit_common", "wait_on_page_bit",
				     "__lock_page", "bit_wait_io", "blk_mq_get_tag", NULL };

static const struct known_wait known_waits[] = {
	{ at_futex, SYS_futex, PROC_AT_FUTEX, "a futex wait (a mutex, a condition variable, a "
	  "lock inside malloc or stdio, pthread_join)", "kernel/futex/waitwake.c futex_wait: a "
	  "signal wakes it; after a handler the wait is restarted (-ERESTARTSYS, or the "
	  "restart_block of a timed wait)" },
	{ at_child, SYS_wait4, PROC_AT_CHILD, "waiting for a child to change state (wait4, "
	  "waitid)", "kernel/exit.c do_wait: a signal that is not blocked ends it "
	  "(-ERESTARTSYS: restarted after a handler with SA_RESTART, EINTR without)" },
	{ at_child, SYS_waitid, PROC_AT_CHILD, "waiting for a child to change state (wait4, "
	  "waitid)", "kernel/exit.c do_wait: a signal that is not blocked ends it "
	  "(-ERESTARTSYS: restarted after a handler with SA_RESTART, EINTR without)" },
	{ at_sleep, -1, PROC_AT_SLEEP, "a timed sleep (nanosleep, clock_nanosleep, sleep(1))",
	  "kernel/time/hrtimer.c do_nanosleep: a signal ends it; after a handler it returns EINTR "
	  "with the time left (nanosleep's restart_block restarts it only when no handler ran)" },
	{ at_sigwait, -1, PROC_AT_SIGWAIT, "waiting for a signal (pause, sigsuspend, "
	  "sigtimedwait)", "kernel/signal.c: any signal it does not block ends it" },
	{ at_poll, -1, PROC_AT_POLL, "waiting in select, poll or epoll_wait", "fs/select.c, "
	  "fs/eventpoll.c: a signal ends it (-ERESTARTNOHAND: EINTR after a handler)" },
	{ at_pipe, -1, PROC_AT_PIPE, "waiting on a pipe (read with no data, write with a full "
	  "pipe)", "fs/pipe.c pipe_read/pipe_write: a signal ends it (-ERESTARTSYS)" },
	{ at_tty, -1, PROC_AT_TTY, "waiting on a terminal (read)", "drivers/tty/n_tty.c "
	  "n_tty_read: a signal ends it (-ERESTARTSYS)" },
	{ at_socket, -1, PROC_AT_SOCKET, "waiting on a socket (accept, recv, connect, send)",
	  "net/: a signal ends it (sock_intr_errno: -ERESTARTSYS, or EINTR with a timeout)" },
	{ at_lock, -1, PROC_AT_LOCK, "waiting for a file lock (flock, fcntl F_SETLKW)",
	  "fs/locks.c: a signal ends it (-ERESTARTSYS)" },
	{ at_io, -1, PROC_AT_IO, "waiting for I/O (a page or block request)", NULL },
};

static const char *const at_fuse[] = { "request_wait_answer", "__fuse_request_send",
				       "fuse_simple_request", NULL };

/* fs/fuse/dev.c request_wait_answer waits three times: interruptibly
 * (a signal makes it send FUSE_INTERRUPT to the daemon), then killably,
 * and, once the daemon has read the request, with plain wait_event
 * (TASK_UNINTERRUPTIBLE) until the daemon answers. */
static bool fuse_wait(const struct proc_thread *t, struct proc_wait *w)
{
	if (!at_any(t, at_fuse))
		return false;
	w->place = PROC_AT_FUSE;
	w->what = t->state == 'S' ? "a request to a FUSE file system's daemon"
				  : "a FUSE request the daemon has already read";
	if (t->state == 'S') {
		w->kind = PROC_WAIT_TURNS_UNINTERRUPTIBLE;
		w->rule = "fs/fuse/dev.c request_wait_answer: a signal interrupts only the first, "
			  "interruptible wait (the kernel sends FUSE_INTERRUPT to the daemon); then "
			  "it waits killably, and once the daemon has read the request, "
			  "uninterruptibly (wait_event) until the daemon answers: a fatal signal, "
			  "SIGKILL included, leaves it in D; only the daemon's answer, or aborting "
			  "the connection (/sys/fs/fuse/connections/N/abort), ends it";
	} else {
		w->kind = PROC_WAIT_UNINTERRUPTIBLE;
		w->rule = "fs/fuse/dev.c request_wait_answer: a request the daemon has already read "
			  "is waited out with wait_event (TASK_UNINTERRUPTIBLE); only the daemon's "
			  "answer, or aborting the connection (/sys/fs/fuse/connections/N/abort), "
			  "ends it";
	}
	return true;
}

static bool vfork_wait(const struct proc_thread *t, struct proc_wait *w)
{
	/* kernel/fork.c: the vfork parent waits for its child to exec or
	 * exit in wait_for_vfork_done (inlined into kernel_clone). */
	if (!at(t, "wait_for_vfork_done") &&
	    !(!strcmp(t->wchan, "kernel_clone") && is_clone_call(t->syscall)))
		return false;
	w->place = PROC_AT_VFORK;
	w->kind = PROC_WAIT_KILLABLE;
	w->what = "a vfork parent waiting for its child to exec or exit";
	w->rule = "kernel/fork.c wait_for_vfork_done: wait_for_completion_state(TASK_KILLABLE)";
	return true;
}

void proc_thread_wait(const struct proc_thread *t, struct proc_wait *w)
{
	*w = (struct proc_wait){ .kind = PROC_WAIT_UNKNOWN, .place = PROC_AT_OTHER };
	if (t->state != 'S' && t->state != 'D')
		return;
	if (!vfork_wait(t, w) && !fuse_wait(t, w)) {
		for (size_t i = 0; i < sizeof known_waits / sizeof known_waits[0]; i++) {
			const struct known_wait *k = &known_waits[i];

			if (at_any(t, k->names) || (k->syscall >= 0 && k->syscall == t->syscall &&
						    !t->wchan[0] && !t->stack[0])) {
				w->place = k->place;
				w->what = k->what;
				w->rule = k->rule;
				break;
			}
		}
		if (t->state == 'S')
			w->kind = PROC_WAIT_INTERRUPTIBLE;
		else if (killable_frame(t)) {
			w->kind = PROC_WAIT_KILLABLE;
			w->rule = "a *_killable wait (TASK_KILLABLE: the kernel function's name "
				  "promises it)";
		}
	}
	if (t->state == 'S' && w->kind == PROC_WAIT_UNKNOWN)
		w->kind = PROC_WAIT_INTERRUPTIBLE;
}

enum proc_wait_kind proc_classify_wait(const char *wchan, long syscall, const char **rule)
{
	struct proc_thread t = { .state = 'D', .syscall = syscall };
	struct proc_wait w;

	*rule = NULL;
	if (!wchan || !*wchan)
		return PROC_WAIT_UNKNOWN;
	strncpy(t.wchan, wchan, sizeof t.wchan - 1);
	proc_thread_wait(&t, &w);
	if (w.kind == PROC_WAIT_KILLABLE || w.kind == PROC_WAIT_UNINTERRUPTIBLE)
		*rule = w.rule;
	if (w.kind == PROC_WAIT_KILLABLE && w.place == PROC_AT_VFORK)
		*rule = "a vfork parent waiting for its child to exec or exit (kernel/fork.c "
			"wait_for_vfork_done: wait_for_completion_state(TASK_KILLABLE))";
	return w.kind;
}
