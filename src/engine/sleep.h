/*
 * State for tasks that sleep, wait and restart, and for time:
 * the blocking system call a task is in (the model's pt_regs: which call,
 * its arguments, the value it will return), model pipes and wait queues,
 * the virtual clock with its timers, the alternate signal stack and
 * signalfd.  Engine-internal; included by internal.h.
 */
#ifndef SIGLAB_ENGINE_SLEEP_H
#define SIGLAB_ENGINE_SLEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "siglab.h"
#include "engine/linkage.h"

struct task;
struct signal_group;
struct frame;

/*
 * Where a blocking call stands.  The kernel keeps this in the task's
 * registers and on its kernel stack; the model keeps it here.
 *
 *   SYS_NONE       not in a blocking call
 *   SYS_SLEEPING   asleep in the call (task state TASK_SLEEPING)
 *   SYS_WOKEN      woken; the call's code after schedule() has still to
 *                  run, in the task's own context (sys_resume)
 *   SYS_EXITING    the call has its kernel return value (`ret`, maybe a
 *                  restart code); the return to user mode decides
 *   SYS_IN_FRAME   a handler frame holds the call's outcome: the value
 *                  user space sees (or a restart) when the frame returns
 *   SYS_RESTART    the call is to run again (restart, restart_syscall)
 */
enum sys_phase { SYS_NONE, SYS_SLEEPING, SYS_WOKEN, SYS_EXITING, SYS_IN_FRAME,
		 SYS_RESTART };

/* ---- fork window (task.c) ----
 * A fork in progress: copy_process between joining the multiprocess list
 * and attaching the child (sl_sys_clone_begin .. sl_sys_clone_finish).
 * It is call state: a task gets its own syscall_state for it (an idle
 * task has none), and task.in_fork says whether it holds one.
 * Invariant: a group's nr_multiprocess counts its tasks in a fork whose
 * window is on the multiprocess list. */
struct fork_window {
	bool multiprocess;	/* on the multiprocess list (not CLONE_THREAD) */
	unsigned flags;		/* the clone flags */
	int exit_signal;	/* the child's exit signal */
	sl_sigset delayed;	/* group-wide signals sent meanwhile: the child's */
};

/* The fork window and the masks come first: a call's begin and end
 * (sys_begin, sys_done) reset only what follows them, from `nr` on. */
struct syscall_state {
	struct fork_window fork; /* a fork in progress, while task.in_fork */
	sl_sigset real_blocked;	/* the mask before sigtimedwait unblocked
				 * the signals it waits for, while it sleeps;
				 * else 0 (sigwait.c) */
	sl_sigset saved_sigmask; /* the mask sigsuspend, ppoll or pselect
				 * replaced, while task.restore_sigmask: it
				 * outlives the call, until the handler's frame
				 * or the return restores it */
	int nr;			/* enum sl_sysno */
	enum sys_phase phase;
	enum sl_sleep_state sleep; /* how it sleeps while SYS_SLEEPING */
	long ret;		/* the kernel's return value (SYS_EXITING on) */
	sl_sigset set;		/* sigsuspend's mask, sigtimedwait's set */
	sl_time deadline;	/* absolute expiry; -1: none */
	bool timed_out;		/* the deadline passed while asleep, or the
				 * wait_event's event came (sl_wake_up) */
	bool restartblock;	/* nanosleep restarts through restart_syscall */
	int obj;		/* the pipe, signalfd or wait channel */
	size_t count;		/* read(2)'s count */
	bool on_tty;		/* read: obj is a terminal (tty.c), not a pipe */
	unsigned cmd;		/* a terminal's ioctl: the command ... */
	long arg;		/* ... and its argument */
	struct sl_siginfo info;	/* what sigtimedwait / signalfd dequeued */
	size_t frame_depth;	/* frames on the stack when the call began */
};

/* ---- per task ------------------------------------------------------------ */

/* The alternate signal stack (the kernel's sas_ss_sp/size/flags). */
struct altstack {
	uint64_t sp;
	uint64_t size;
	uint32_t flags;		/* SL_SS_AUTODISARM, or SL_SS_DISABLE when off */
};

/* ---- per process --------------------------------------------------------- */

/* A POSIX timer (struct k_itimer) with SIGEV_SIGNAL to the process. */
struct ktimer {
	bool used;
	int sig;
	uint64_t value;		/* sigev_value */
	sl_time expires;	/* -1: disarmed */
	sl_time interval;
	bool requeue_pending;	/* periodic, signal queued: rearm at dequeue */
	bool queued;		/* its siginfo sits in the pending queue */
	bool ignored;		/* on the ignored list: periodic, its signal
				 * was ignored at expiry and is owed */
	int overrun;		/* expiries missed since the signal was queued */
	int overrun_last;	/* what timer_getoverrun returns */
	uint64_t seq;		/* creation order, for ties at one instant */
	uint64_t signal_seq;	/* it_signal_seq: bumped by timer_settime and
				 * timer_delete, which make a queued signal stale */
	uint64_t sigqueue_seq;	/* it_sigqueue_seq: signal_seq when the signal
				 * was last queued (or found queued) */
	bool none;		/* SIGEV_NONE: runs, never signals */
	int target;		/* SIGEV_THREAD_ID: the thread signalled (its
				 * private queue), or 0: the process */
	struct user *charged;	/* whose RLIMIT_SIGPENDING count its
				 * preallocated sigqueue is charged to, while
				 * it lives (NULL once deleted) */
	bool cpu;		/* on a CPU-time clock (cputimer.c): expires
				 * is that clock's time, not the engine's */
	bool cpu_thread;	/* a thread's clock, else a process's */
	int cpu_tid;		/* whose clock: the thread, or the process's
				 * leader */
	int64_t cpu_overrun;	/* it_overrun: -1, plus the periods
				 * bump_cpu_timer skipped since the last
				 * delivery */
};

/* A signalfd's open file (fs/signalfd.c struct signalfd_ctx).  The mask
 * is the file's: every descriptor naming the file sees a change, also a
 * child's that fork copied.  Which queues a read takes from is the
 * reader's, never the file's. */
struct sigfd_file {
	unsigned refs;		/* descriptors naming it, in every process */
	sl_sigset mask;		/* the signals it takes */
	bool nonblock;		/* SFD_NONBLOCK (O_NONBLOCK): a read with
				 * nothing to take is EAGAIN */
};

/* A descriptor of the process's table that names a signalfd. */
struct sigfd {
	int fd;
	struct sigfd_file *file;
	bool cloexec;		/* SFD_CLOEXEC: closed by execve */
};

struct group_timers {
	bool real_armed;	/* ITIMER_REAL runs */
	sl_time real_expires;	/* its expiry (kept for the reload) */
	sl_time real_incr;	/* its interval */
	uint64_t real_seq;
	struct ktimer *timers;	/* indexed by timer id */
	size_t ntimers;
	struct sigfd *sigfds;
	size_t nsigfds;
	size_t sigfds_cap;	/* entries allocated (execve may close some) */
};

/* ---- kernel-wide --------------------------------------------------------- */

/* An open file's owner for I/O signals (struct fown_struct): who gets
 * SIGIO, and the credentials of whoever named it (f_modown). */
struct fown {
	int pid;		/* the owner: a tid or a pgid; 0: nobody */
	int type;		/* enum pid_type: PID (a thread), TGID, PGID */
	uint32_t uid;		/* the setter's real uid */
	uint32_t euid;		/* and effective uid (the model's uid too) */
	int signum;		/* F_SETSIG: 0 sends SIGIO without siginfo */
};

/* One end of a pipe: an open file (struct file).  Every descriptor that
 * names it, in any process, shares its flags and owner (fork copies
 * descriptors, not files).  Invariant: refs == the processes whose
 * pipe_fds mark this end held. */
struct pipe_file {
	unsigned refs;		/* processes holding it (file refcount) */
	unsigned flags;		/* f_flags: O_NONBLOCK, O_ASYNC, ... */
	int fa_fd;		/* the descriptor its fasync entry reports */
	struct fown owner;
};

/* A pipe (struct pipe_inode_info).  Its readers and writers are its two
 * files while anyone holds them: the pipe's own counts, which pipe_read
 * and pipe_write consult, are end[..].refs != 0. */
struct model_pipe {
	size_t bytes;		/* unread bytes */
	struct pipe_file end[2]; /* [SL_PIPE_READ], [SL_PIPE_WRITE] */
};

/* The pipe ends a process holds (its files_struct, for pipes): held[id]
 * has bit 1 << end set.  Threads share it.
 * DEVIATION(the descriptor table belongs to the thread group: a process
 * cloned with CLONE_FILES gets a copy, and one end is one descriptor per
 * process, never dup'ed). */
struct pipe_fds {
	uint8_t *held;
	size_t n;		/* entries in held (pipe ids below n) */
};

/* The most complete lines a terminal's input buffer holds. */
#define TTY_MAX_LINES 16

/*
 * A pseudo-terminal pair (drivers/tty/pty.c): the slave's tty_struct as
 * n_tty and tty_jobctrl.c see it; the master belongs to the embedder.
 * Invariants: session and pgrp are both 0 or both set (an association
 * made by __proc_set_tty, undone by a hang-up or disassociate_ctty);
 * nlines <= TTY_MAX_LINES.
 */
struct model_tty {
	int session;		/* tty->ctrl.session: its session's sid, 0: none */
	int pgrp;		/* tty->ctrl.pgrp: the foreground pgid, 0: none */
	unsigned lflag;		/* termios c_lflag (SL_ISIG, SL_NOFLSH, ...) */
	unsigned rows, cols;	/* tty->winsize */
	bool hung_up;		/* TTY_HUPPED: its open files are hung up */
	bool other_closed;	/* TTY_OTHER_CLOSED: the master is closed */
	size_t lines[TTY_MAX_LINES]; /* the canonical lines typed, unread */
	size_t nlines;
	size_t partial;		/* the line being typed */
};

struct sleep_world {
	sl_time now;
	uint64_t timer_seq;
	struct model_pipe *pipes;
	size_t npipes;
	struct model_tty *ttys;	/* pseudo-terminals, by id (tty.c) */
	size_t nttys;
};

/* ---- shared helpers (sleep.c, sigwait.c, timer.c, altstack.c, ...) ------ */

/* Puts the caller to sleep in its current call. */
SL_PRIVATE void sys_sleep(sl_kernel *k, struct task *t, enum sl_sleep_state how);
/* Wakes a sleeping task whose wait condition may have become true. */
SL_PRIVATE void sys_wake(sl_kernel *k, struct task *t);
/* signal_wake_up's half for a sleeping task: wakes it when the sleep
 * state lets this signal in. */
SL_PRIVATE void sys_signal_wake(sl_kernel *k, struct task *t, bool fatal);
/* The task enters / completes a blocking call at once. */
/* A blocking call begins: 0, or -SL_ENOMEM when the task's first call
 * state cannot be allocated (t->sys is sl_kernel.sys_none, all zero and
 * never written, until then).  sys_free gives it back. */
SL_PRIVATE int sys_begin(sl_kernel *k, struct task *t, int nr);
/* Gives t a call state of its own (a fork's window lives there): 0 or
 * -SL_ENOMEM. */
SL_PRIVATE int sys_own(sl_kernel *k, struct task *t);
SL_PRIVATE void sys_free(sl_kernel *k, struct task *t);
SL_PRIVATE long sys_done(sl_kernel *k, struct task *t, long ret);
SL_PRIVATE long sys_entry_result(sl_kernel *k, struct task *t, long r);
/* rw_verify_area's bound: one read or write moves at most MAX_RW_COUNT
 * bytes (INT_MAX rounded down to a page), so the result always fits. */
SL_PRIVATE size_t rw_verify_count(size_t count);
/* timespec64_valid and timespec64_to_ktime (include/linux/time64.h,
 * ktime.h): a user timespec checked, then a duration (sleep.c). */
SL_PRIVATE bool timespec64_valid(const struct sl_timespec *ts);
SL_PRIVATE sl_time timespec64_to_ktime(const struct sl_timespec *ts);
/* The syscall side of the return to user mode (sleep.c). */
SL_PRIVATE bool sys_has_work(const struct task *t);
SL_PRIVATE void sys_before_signal(sl_kernel *k, struct task *t);
SL_PRIVATE void sys_handler_frame(sl_kernel *k, struct task *t, const struct sl_sigaction *ka,
				  bool *frame_holds_call);
SL_PRIVATE void sys_no_handler(sl_kernel *k, struct task *t);
SL_PRIVATE void sys_frame_return(sl_kernel *k, struct task *t);
SL_PRIVATE sl_sigset sigmask_to_save(const struct task *t);
/* The continuation of each call after it is woken (its code after
 * schedule()); returns the kernel return value. */
SL_PRIVATE long sigtimedwait_resume(sl_kernel *k, struct task *t);
SL_PRIVATE long signalfd_resume(sl_kernel *k, struct task *t);
SL_PRIVATE long pipe_read_resume(sl_kernel *k, struct task *t);
SL_PRIVATE long tty_read_resume(sl_kernel *k, struct task *t);
SL_PRIVATE long nanosleep_resume(sl_kernel *k, struct task *t);
SL_PRIVATE long poll_resume(sl_kernel *k, struct task *t);
/* Runs a call again from its saved arguments (restart); returns its
 * value or SL_SYSCALL_BLOCKED. */
SL_PRIVATE long sigtimedwait_enter(sl_kernel *k, struct task *t);
SL_PRIVATE long signalfd_enter(sl_kernel *k, struct task *t);
SL_PRIVATE long pipe_read_enter(sl_kernel *k, struct task *t);
SL_PRIVATE long tty_read_enter(sl_kernel *k, struct task *t);
SL_PRIVATE long tty_call_enter(sl_kernel *k, struct task *t);
/* pipe.c: a process's pipe ends at fork (dup_fd: the child holds what
 * the parent holds; 0 or -SL_ENOMEM), at the exit of its last thread
 * (exit_files: every end let go), and freed with the process. */
SL_PRIVATE int pipe_fds_fork(sl_kernel *k, const struct signal_group *from,
			     struct signal_group *to);
SL_PRIVATE void pipe_fds_exit(sl_kernel *k, struct task *cur);
SL_PRIVATE void pipe_fds_free(sl_kernel *k, struct signal_group *g);
SL_PRIVATE bool pipe_fds_holds(const struct signal_group *g, int pipe, int end);
SL_PRIVATE const char *check_pipes(const sl_kernel *k);
/* fcntl.c: kill_fasync for one file: its owner learns of `band`
 * (SL_POLL_IN, SL_POLL_OUT) when the file is O_ASYNC. */
SL_PRIVATE void kill_fasync(sl_kernel *k, struct task *cur, struct pipe_file *f, int band);
SL_PRIVATE long poll_enter(sl_kernel *k, struct task *t);
/* restore_saved_sigmask: the mask sigsuspend or ppoll replaced comes
 * back now (sleep.c). */
SL_PRIVATE void restore_saved_sigmask(sl_kernel *k, struct task *t);

/* dequeue_signal with a mask of signals to leave alone, and the timer
 * hooks (itimer reload, POSIX timer rearm). */
SL_PRIVATE int dequeue_signal_mask(sl_kernel *k, struct task *t, sl_sigset blocked,
				   struct sl_siginfo *info);
/* false: the signal was a timer's stale one, dropped; dequeue again. */
SL_PRIVATE bool timer_on_dequeue(sl_kernel *k, struct task *t, int sig, struct sl_siginfo *info);
/* A sigaction replaced SIG_IGN for sig: ignored timers queue their
 * signal again (posixtimer_sig_unignore). */
SL_PRIVATE void timer_sig_unignore(sl_kernel *k, struct task *p, int sig);
SL_PRIVATE void timers_free(sl_kernel *k, struct signal_group *g);
/* Gives g a group_timers of its own before anything in it is written (an
 * idle process shares the kernel's zero one): 0 or -SL_ENOMEM. */
SL_PRIVATE int timers_get(sl_kernel *k, struct signal_group *g);
/* Frees g's own group_timers, once empty (timers_free, signalfd_free). */
SL_PRIVATE void timers_put(sl_kernel *k, struct signal_group *g);
/* execve: the process's POSIX timers are deleted (exit_itimers); its
 * ITIMER_REAL and alarm stay armed. */
SL_PRIVATE void exit_itimers(sl_kernel *k, struct signal_group *g);
/* posix_timer_fire (timer.c): the timer expired; its signal is queued
 * (or owed, or already pending). */
SL_PRIVATE void posix_timer_fire(sl_kernel *k, struct signal_group *g, int id);
/* CPU-clock timers (cputimer.c).  cpu_clock_lookup: the task whose clock
 * clockid names for the caller, or an error; cpu_timer_set, _get and
 * _rearm are posix_cpu_timer_set, __posix_cpu_timer_get and
 * posix_cpu_timer_rearm; cpu_timers_run fires what is due on t's clocks
 * and says whether anything fired; cpu_timers_left is the CPU time t can
 * run before the next one is due, or -1. */
SL_PRIVATE int cpu_clock_lookup(sl_kernel *k, struct task *caller, int clockid,
				struct ktimer *tm);
SL_PRIVATE long cpu_timer_set(sl_kernel *k, struct signal_group *g, int id,
			      const struct sl_itimerspec *nv, struct sl_itimerspec *ov);
SL_PRIVATE void cpu_timer_get(sl_kernel *k, struct ktimer *tm, struct sl_itimerspec *cur);
SL_PRIVATE void cpu_timer_rearm(sl_kernel *k, struct ktimer *tm);
SL_PRIVATE bool cpu_timers_run(sl_kernel *k, struct task *t);
SL_PRIVATE sl_time cpu_timers_left(const sl_kernel *k, const struct task *t);
SL_PRIVATE void signalfd_free(sl_kernel *k, struct signal_group *g);
/* execve closes the descriptors marked close-on-exec (fs/file.c
 * do_close_on_exec). */
SL_PRIVATE void signalfd_exec(sl_kernel *k, struct signal_group *g);
/* fork: the child's descriptor table is a copy of the parent's, naming
 * the same signalfd files (dup_fd).  0 or -SL_ENOMEM. */
SL_PRIVATE int signalfd_fork(sl_kernel *k, const struct signal_group *from, struct signal_group *to);
SL_PRIVATE void signalfd_notify(sl_kernel *k, struct task *t);

/* altstack.c: where the next frame goes; false when it does not fit. */
SL_PRIVATE bool get_sigframe(sl_kernel *k, struct task *t, const struct sl_sigaction *ka,
			     uint64_t *frame_sp, uint64_t *fpstate);
/* sas_ss_flags of the task at sp (uc_stack.ss_flags). */
SL_PRIVATE uint32_t sas_ss_flags(const struct task *t, uint64_t sp);
/* restore_altstack: uc_stack back, unless sp is on the current one. */
SL_PRIVATE void restore_altstack(struct task *t, const struct altstack *ss, uint64_t sp);
/* The frame is one the task's stack has left (sl_task_set_user_sp). */
SL_PRIVATE bool frame_left(const struct frame *f, uint64_t sp);
SL_PRIVATE void altstack_after_frame(struct task *t);
SL_PRIVATE bool on_sig_stack(const struct task *t, uint64_t sp);
SL_PRIVATE uint64_t task_user_sp(const struct task *t);

#endif
