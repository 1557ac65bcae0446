/*
 * The engine's state, split as the kernel splits it
 * (include/linux/sched.h, include/linux/sched/signal.h):
 *
 *   struct task          per thread: private pending, blocked, jobctl
 *   struct signal_group  per thread group (the kernel's signal_struct):
 *                        shared pending, group stop, group exit, curr_target
 *   struct sighand       the dispositions, shared by CLONE_SIGHAND threads
 *   struct sigpending    a set of pending signals and their siginfo queue
 *
 * Engine-internal: nothing here is visible to embedders.
 */
#ifndef SIGLAB_ENGINE_INTERNAL_H
#define SIGLAB_ENGINE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "siglab.h"
#include "engine/assert.h"
#include "engine/linkage.h"
#include "engine/pending.h"
#include "engine/ptrace.h"
#include "engine/sleep.h"

/* For the functions on the kill / deliver / sigreturn path: inlined even
 * where the compiler's size heuristics would call them out of line (the
 * call and its spills cost a tenth of a kill-to-self, bench/). */
#define ALWAYS_INLINE inline __attribute__((always_inline))

/* ---- signal classes (include/linux/signal.h) ----------------------------- */

#define SIGSET_KERNEL_ONLY (sl_sigmask(SL_SIGKILL) | sl_sigmask(SL_SIGSTOP))
#define SIGSET_KERNEL_STOP                                                    \
	(sl_sigmask(SL_SIGSTOP) | sl_sigmask(SL_SIGTSTP) |                     \
	 sl_sigmask(SL_SIGTTIN) | sl_sigmask(SL_SIGTTOU))
#define SIGSET_KERNEL_IGNORE                                                  \
	(sl_sigmask(SL_SIGCONT) | sl_sigmask(SL_SIGCHLD) |                     \
	 sl_sigmask(SL_SIGWINCH) | sl_sigmask(SL_SIGURG))
#define SIGSET_KERNEL_COREDUMP                                                \
	(sl_sigmask(SL_SIGQUIT) | sl_sigmask(SL_SIGILL) |                      \
	 sl_sigmask(SL_SIGTRAP) | sl_sigmask(SL_SIGABRT) |                     \
	 sl_sigmask(SL_SIGFPE) | sl_sigmask(SL_SIGSEGV) |                      \
	 sl_sigmask(SL_SIGBUS) | sl_sigmask(SL_SIGSYS) |                       \
	 sl_sigmask(SL_SIGXCPU) | sl_sigmask(SL_SIGXFSZ))
/* SIGSET_SYNCHRONOUS is in pending.h (next_signal uses it). */
#define SIGSET_ALL (~(sl_sigset)0)

/* Kernel-thread handler values (include/linux/signal_types.h). */
#define SIG_KTHREAD ((uint64_t)2)
#define SIG_KTHREAD_KERNEL ((uint64_t)3)

/* The sa_flags bits do_sigaction keeps (UAPI_SA_FLAGS on x86-64). */
#define UAPI_SA_FLAGS                                                         \
	(SL_SA_NOCLDSTOP | SL_SA_NOCLDWAIT | SL_SA_SIGINFO | SL_SA_ONSTACK |   \
	 SL_SA_RESTART | SL_SA_NODEFER | SL_SA_RESETHAND |                     \
	 SL_SA_EXPOSE_TAGBITS | SL_SA_RESTORER)

/* ---- the rest of the state ---------------------------------------------- */

/* A pid namespace.  Levels count from the root (0). */
struct pidns {
	struct pidns *parent;
	int level;
	struct task *reaper;	/* its init; NULL for the root before init */
	bool zapped;		/* its init died: zap_pid_ns_processes ran */
	int *nrs;		/* alloc_pid's numbers in it (level > 0):
				 * nrs[nr - 1] is the tid of the task that got
				 * pid nr here; the root's numbers are tids */
	size_t nnrs;
	size_t nrs_cap;
};

/* A user: the RLIMIT_SIGPENDING accounting unit (the kernel's ucounts). */
struct user {
	uint32_t uid;
	uint64_t sigpending;	/* queued sigqueue entries charged to it */
	struct user *next;
};

/*
 * Copy-on-write (sighand.c): user processes that never changed a
 * disposition all share the kernel's one default sighand (every action
 * SIG_DFL, no flags, no mask), so an idle process costs no action table.
 * Before a thread changes an action in it, sighand_unshare gives its
 * thread group a copy of its own.  Writing a value an action already has
 * (force_sig's SIG_DFL) needs no copy.
 */
struct sighand {
	unsigned refs;		/* tasks sharing it */
	struct sl_sigaction action[SL_NSIG];
};

/*
 * A process's descriptor table, as far as the model has descriptors (the
 * kernel's files_struct, shared by the process's threads): its pidfds
 * and the pipe ends it holds.  Copy-on-write as the timers: a process
 * that never held a descriptor shares the kernel's all-zero
 * sl_kernel.files_none, never written (sl_check), until it opens a
 * pidfd or a pipe, or a fork copies its parent's ends (files_get).
 */
struct files {
	int *pidfds;		/* pidfd table: index = fd - 3, value = pid */
	size_t npidfds;		/* the table's length */
	struct pipe_fds pipefds; /* the pipe ends it holds (pipe.c) */
};

/*
 * A task's credentials, the uids the model has (include/linux/cred.h
 * struct cred).  Shared and never written, as the kernel's are: a new
 * thread and a fork's child share their creator's (copy_creds), a
 * spawned process its parent's when it has the same uid, so that idle
 * processes cost no cred of their own; a task that changes a uid gets a
 * new one (prepare_creds / commit_creds), and the last task to let go of
 * one frees it (put_cred).
 */
struct cred {
	uint32_t uid;		/* the real uid */
	uint32_t euid;		/* the effective uid (cred.c) */
	uint32_t suid;		/* the saved set-user-id */
	unsigned refs;		/* tasks sharing it */
	struct user *user;	/* the real uid's user: charged for the
				 * siginfo queued to the task */
};

/* signal_struct flags (include/linux/sched/signal.h). */
#define SIGNAL_STOP_STOPPED   0x01u /* the group stop is complete */
#define SIGNAL_STOP_CONTINUED 0x02u /* SIGCONT since the last wait */
#define SIGNAL_GROUP_EXIT     0x04u /* group exit in progress */
#define SIGNAL_CLD_STOPPED    0x10u /* a CLD_STOPPED report is owed */
#define SIGNAL_CLD_CONTINUED  0x20u /* a CLD_CONTINUED report is owed */
#define SIGNAL_UNKILLABLE     0x40u /* init: default-action signals dropped */
#define SIGNAL_CLD_MASK (SIGNAL_CLD_STOPPED | SIGNAL_CLD_CONTINUED)
#define SIGNAL_STOP_MASK (SIGNAL_CLD_MASK | SIGNAL_STOP_STOPPED | SIGNAL_STOP_CONTINUED)

/*
 * A thread group (a process): the kernel's signal_struct plus the parts
 * of the leader's task_struct that belong to the whole process.
 *
 * Invariants (sl_check tests each after every step):
 *   - the thread list (task.thread_next) is circular, starts at `leader`
 *     and holds every thread not yet released, each with group == this;
 *     the leader stays on it until the kernel object is freed;
 *   - nr_threads >= the list's length; live == its threads not TASK_DEAD;
 *   - group_stop_count <= live, and 0 once SIGNAL_STOP_STOPPED is set;
 *   - curr_target is NULL or on the thread list;
 *   - an unreleased leader sits in sl_kernel.procs[proc_index];
 *   - pgrp, when set, lists the leader among its members;
 *   - nr_multiprocess == the threads in a fork (task.in_fork) whose
 *     window is on the multiprocess list;
 *   - every siginfo queued on shared_pending has its signal's bit set and
 *     is charged to a user's sigpending count.
 */
struct signal_group {
	struct task *leader;	/* the thread whose tid is the process's pid */
	struct task *curr_target; /* where complete_signal's search resumes */
	struct sigpending shared_pending; /* signals sent to the process */
	struct task *parent;	/* the parent process's leader (real_parent) */
	struct pgroup *pgrp;	/* the process group, or NULL */
	struct task *pgrp_next;	/* list of the process group's members */
	struct task *pgrp_prev;
	struct pidns *ns;	/* the pid namespace the process lives in */
	struct files *files;	/* pidfds and pipe ends: the kernel's
				 * all-zero sl_kernel.files_none until the
				 * process first holds one (files_get) */
	struct task *sib_next;	/* on the real parent thread's children list */
	struct task *sib_prev;
	struct group_timers *timers; /* itimers, POSIX timers, signalfds: the
				 * kernel's all-zero sl_kernel.timers_none,
				 * never written, until the process first
				 * arms a timer or opens a signalfd
				 * (timers_get) */
	struct sl_rlimit *rlim;	/* resource limits, SL_RLIM_NLIMITS of them
				 * (rlimit.c): sl_kernel.rlim_init, shared and
				 * never written, until the process changes
				 * one (rlimit_unshare) or its parent's are its
				 * own (a fork copies them) */
	sl_time cputime;	/* CPU time used, utime + stime (rlimit.c) */
	unsigned flags;		/* SIGNAL_* */
	int group_exit_code;	/* exit status, or the stop signal */
	unsigned group_stop_count; /* threads still to stop */
	unsigned nr_threads;	/* threads ever made, released ones included
				 * (freed with the kernel object) */
	unsigned live;		/* threads not yet dead (do_exit) */
	int sid;		/* the session id */
	int tty;		/* signal->tty: the controlling terminal's id
				 * plus 1, 0: none (tty_jobctrl.c) */
	int tty_old_pgrp;	/* signal->tty_old_pgrp: the foreground pgid
				 * a hang-up left, 0: none */
	int exit_code;		/* its exit code or signal */
	uint32_t proc_index;	/* our slot in sl_kernel.procs */
	unsigned nr_multiprocess; /* fork window: threads whose fork is on the
				 * multiprocess list (task.c) */
	unsigned self_exec_id;	/* bumped by every execve */
	unsigned parent_exec_id; /* the parent's self_exec_id at fork */
	uint8_t exit_state;	/* 0, or 1: the leader is a zombie */
	uint8_t exit_kind;	/* how the process ended (enum sl_exit_kind) */
	uint8_t exit_signal;	/* what the parent gets at exit: SIGCHLD, clone's
				 * exit_signal, or 0 (none) */
	bool session_leader;	/* signal->leader: made a session by setsid */
	bool kthread;		/* a kernel thread (PF_KTHREAD) */
	bool core_dumped;	/* the fatal signal dumped core */
	bool is_child_subreaper; /* PR_SET_CHILD_SUBREAPER */
	bool has_child_subreaper; /* an ancestor is (or was) a subreaper */
	bool forknoexec;	/* PF_FORKNOEXEC: forked, no execve since */
	bool undumpable;	/* the mm's dumpable is SUID_DUMP_DISABLE
				 * (prctl PR_SET_DUMPABLE 0; coredump.c) */
};

/* A process group: members newest first, as attach_pid's hlist.  It is
 * part of the task it is numbered after (task.pgrp_led), as the kernel's
 * struct pid of that number holds the PIDTYPE_PGID list: a process that
 * leads its own group allocates nothing for it, and the group stays
 * findable by its pgid while the task is (until the kernel is freed). */
struct pgroup {
	int pgid;		/* the leading task's tid; 0: no group here */
	unsigned refs;		/* members */
	struct task *members;	/* group leaders of member processes */
};

/* jobctl bits (include/linux/sched/jobctl.h). */
#define JOBCTL_STOP_SIGMASK   0xffu /* the signal of the pending stop */
#define JOBCTL_STOP_DEQUEUED  0x100u
#define JOBCTL_STOP_PENDING   0x200u
#define JOBCTL_STOP_CONSUME   0x400u
#define JOBCTL_STOPPED        0x800u
/* ptrace's bits (ptrace.c) */
#define JOBCTL_TRAP_STOP      0x1000u /* a STOP trap is to be taken */
#define JOBCTL_TRAP_NOTIFY    0x2000u /* a notify trap (SIGCONT, group stop) */
#define JOBCTL_LISTENING      0x4000u /* PTRACE_LISTEN: stopped, not waitable */
#define JOBCTL_TRACED         0x8000u /* in TASK_TRACED */
#define JOBCTL_TRAP_MASK      (JOBCTL_TRAP_STOP | JOBCTL_TRAP_NOTIFY)
#define JOBCTL_PENDING_MASK   (JOBCTL_STOP_PENDING | JOBCTL_TRAP_MASK)

/* task flags */
#define PF_EXITING   0x1u
#define PF_SIGNALED  0x2u
#define PF_KTHREAD   0x4u

/* A handler frame on the task's user stack (rt_sigframe's uc_sigmask).
 * holds_call sits beside sig so that a frame is 48 bytes, which the
 * deliver and sigreturn paths index with a multiply-free lea and shift. */
struct frame {
	int sig;
	bool holds_call;	/* the interrupted context is a blocking call
				 * (its result or restart waits here) */
	bool on_altstack;	/* the frame is on the alternate stack */
	sl_sigset saved_mask;	/* the mask before the frame (what a
				 * siglongjmp to before it restores) */
	sl_sigset uc_mask;	/* uc_sigmask, what rt_sigreturn restores:
				 * saved_mask unless the handler rewrote it */
	uint64_t sp;		/* the interrupted context's stack pointer */
	struct altstack saved_ss; /* uc_stack: restored by rt_sigreturn */
};

enum __attribute__((packed)) task_run_state {
	TASK_RUNNING,		/* user mode or returning to it */
	TASK_STOPPED,		/* __TASK_STOPPED */
	TASK_DEAD,		/* exit_state set */
	TASK_SLEEPING,		/* asleep in a blocking call (sys.sleep) */
	TASK_TRACED		/* __TASK_TRACED: in a ptrace stop (ptrace.c) */
};

/*
 * A thread (the signal half of task_struct).
 *
 * Invariants (sl_check tests each after every step):
 *   - sl_kernel.tasks[tid] == this until the kernel object is freed;
 *   - a released task is TASK_DEAD, has no pending signals and is off
 *     its group's thread list unless it is the leader;
 *   - SIGKILL and SIGSTOP are never in `blocked` and never caught (unless
 *     the what-if CONFIG_KILL_STOP_HANDLING is on);
 *   - TASK_STOPPED has JOBCTL_STOPPED; TASK_TRACED has JOBCTL_TRACED and
 *     a tracer; TASK_SLEEPING exactly when sys.phase is SYS_SLEEPING;
 *   - a running or sleeping thread with a signal of its own it does not
 *     block has `sigpending` set (unless it is `resumed` or a kthread);
 *   - JOBCTL_STOP_PENDING's low bits name a stop signal;
 *   - nframes <= frames_cap; cred->user->uid == cred->uid, and every siginfo queued
 *     on `pending` has its signal's bit set and is charged to a user.
 */
struct task {
	struct signal_group *group; /* the process */
	struct sighand *sighand; /* the dispositions (shared with CLONE_SIGHAND) */
	struct task *thread_next; /* the group's thread list: circular, leader first */
	struct task *thread_prev;
	struct cred *cred;	/* the uids, shared (cred.c) */
	sl_sigset blocked;	/* the signal mask */
	struct sigpending pending; /* signals sent to this thread */
	struct pgroup pgrp_led;	/* the process group whose pgid is our tid,
				 * if pgrp_led.pgid is set (task.c) */
	struct frame *frames;	/* handler frames, innermost last */
	uint32_t nframes;	/* frames on the stack */
	uint32_t frames_cap;	/* room in `frames` */
	struct task *children;	/* leaders of the processes this thread is the
				 * real parent of, newest first */
	struct task *children_tail; /* the oldest child */
	struct syscall_state *sys; /* the blocking call it is in: the kernel's
				 * all-zero sl_kernel.sys_none, never written,
				 * until its first blocking call (sys_begin) */
	struct altstack sas;	/* sigaltstack */
	uint64_t sp;		/* user stack pointer (frames push it down) */
	struct ptrace_state *pt; /* ptrace links and stop (ptrace.c): the
				 * kernel's all-zero sl_kernel.pt_none, never
				 * written, until the task first traces or is
				 * traced (ptrace_get) */
	sl_time cputime;	/* the thread's own CPU time (rlimit.c) */
	int tid;		/* thread id, the index in sl_kernel.tasks */
	unsigned ptrace;	/* PT_PTRACED, PT_SEIZED; 0: not traced */
	unsigned jobctl;	/* JOBCTL_* */
	int exit_code;		/* its exit code or signal */
	uint8_t exit_kind;	/* how this thread ended (enum sl_exit_kind) */
	enum task_run_state state; /* the scheduler state (one byte) */
	uint8_t flags;		/* PF_* */
	uint8_t pdeath_signal;	/* PR_SET_PDEATHSIG, 0 after fork */
	bool sigpending;	/* TIF_SIGPENDING */
	bool resumed;		/* woken from a group stop, not yet reported */
	bool exit_reported;	/* SL_EV_EXIT sent */
	bool released;		/* reaped or a released thread */
	bool on_work;		/* its bit is set in sl_kernel.work (runqueue.c) */
	bool in_call;		/* sys->nr != 0, kept here so that the signal
				 * paths read no call state outside a call */
	bool restore_sigmask;	/* TIF_RESTORE_SIGMASK */
	bool in_fork;		/* a fork is in progress: its window is
				 * sys->fork (task.c) */
};

struct sl_kernel {
	struct sl_config cfg;
	struct task **tasks;	/* indexed by tid; NULL when free */
	size_t ntasks_cap;
	int next_tid;
	unsigned nr_processes;
	struct user *users;
	struct pidns root_ns;
	struct pidns **namespaces; /* child namespaces, owned */
	size_t nnamespaces;
	struct task *init;	/* the global init, or NULL */
	struct task *process_list; /* leaders, creation order (for kill -1) */
	struct task **procs;	/* leaders in creation order */
	size_t nprocs;
	size_t procs_cap;
	int caller;		/* the tid whose syscall is running (task_curr) */
	uint64_t seq;		/* sigqueue order stamps */
	struct sigqueue *free_sigqueues; /* recycled entries (a kmem_cache) */
	size_t nfree_sigqueues;
	struct sleep_world world; /* clock, pipes, wait queues */
	struct sighand *default_sighand; /* shared by processes with default
				 * dispositions (sighand.c), or NULL */
	uint64_t *work;		/* runqueue.c: a bit per tid, set for every
				 * task that has work (sl_task_has_work) */
	uint64_t *work_sum;	/* a bit per word of `work`: the word is not 0 */
	size_t nwork;		/* words in `work` (64 tids each) */
	struct ptrace_state pt_none; /* what an untraced task's pt points at:
				 * all zero, read-only (sl_check) */
	struct group_timers timers_none; /* the same for a process's timers */
	struct files files_none; /* and for its descriptors */
	struct syscall_state sys_none; /* and for the call state of a task
				 * that never made a blocking call */
	struct sl_rlimit rlim_init[SL_RLIM_NLIMITS]; /* init's limits, which
				 * processes that never changed one share
				 * (rlimit.c), read-only (sl_check) */
};

/* Leaders are kept in `procs`; a released process leaves a NULL hole. */

/* ---- the tasks with work (runqueue.c) -------------------------------------
 * Invariant (sl_check): every task for which sl_task_has_work is true has
 * its bit in k->work.  A bit may stay set after the work is done: the
 * search for the next task with work (sl_next_task_with_work) clears the
 * bits it finds stale.  So every change that can give a task work (a
 * signal becoming deliverable, a wake-up, a call's value to return, a
 * report owed to the parent) marks the task, where it happens. */
SL_PRIVATE void work_add(sl_kernel *k, struct task *t);
/* Mostly marked already (a task keeps its bit until a walk): one test of
 * the task's own copy of its bit. */
static ALWAYS_INLINE void work_mark(sl_kernel *k, struct task *t)
{
	if (__builtin_expect(!t->on_work, 0))
		work_add(k, t);
}
/* Makes room for tids below k->ntasks_cap; 0 or -SL_ENOMEM. */
SL_PRIVATE int work_grow(sl_kernel *k);
SL_PRIVATE void work_free(sl_kernel *k);
SL_PRIVATE bool task_has_work(const struct task *t);
/* sl_check's part: the work set holds every task with work. */
SL_PRIVATE const char *check_work(const sl_kernel *k, const struct task *t);

/* ---- shared helpers ------------------------------------------------------ */

/* realloc and free, for a config without an allocator (kernel.c). */
SL_PRIVATE void *default_alloc(void *ud, void *ptr, size_t osize, size_t nsize);
SL_PRIVATE void *kalloc(sl_kernel *k, size_t size);
SL_PRIVATE void *krealloc(sl_kernel *k, void *ptr, size_t osize, size_t nsize);
SL_PRIVATE void kfree(sl_kernel *k, void *ptr, size_t size);

SL_PRIVATE void emit(sl_kernel *k, const struct sl_event *ev);
SL_PRIVATE void emit_note(sl_kernel *k, int tid, int sig, const char *rule);

SL_PRIVATE struct task *find_task(const sl_kernel *k, int tid);
/* The caller of a system call, or NULL unless it runs in user mode. */
SL_PRIVATE struct task *syscall_caller(sl_kernel *k, int caller);
/* The task `tid` as the caller's pid namespace sees it, or NULL. */
SL_PRIVATE struct task *find_task_visible(const sl_kernel *k, const struct task *caller, int tid);
SL_PRIVATE bool task_visible_in(const struct task *t, const struct pidns *ns);

/* ktime_add_safe: a time plus a non-negative duration, saturated at
 * KTIME_MAX instead of wrapping (kernel/time/hrtimer.c). */
static inline sl_time ktime_add_safe(sl_time at, sl_time delta)
{
	return delta > SL_KTIME_MAX - at ? SL_KTIME_MAX : at + delta;
}

/* An expiry at KTIME_MAX never comes; -1 is no expiry at all. */
static inline bool ktime_due(sl_time at, sl_time now)
{
	return at >= 0 && at != SL_KTIME_MAX && at <= now;
}

/* valid_signal: 0 (the probe) to _NSIG; callers that need a real signal
 * also check sig >= 1. */
static inline bool valid_signal(int sig)
{
	return sig >= 0 && sig <= SL_NSIG;
}

/* sig_kernel_only: SIGKILL and SIGSTOP, unless seed 002's
 * CONFIG_KILL_STOP_HANDLING empties SIG_KERNEL_ONLY_MASK. */
static inline bool sig_kernel_only(const sl_kernel *k, int sig)
{
	if (k->cfg.what_if & SL_CONFIG_KILL_STOP_HANDLING)
		return false;
	return sig == SL_SIGKILL || sig == SL_SIGSTOP;
}

/* The kernel's class macros only apply below SIGRTMIN: real-time signals
 * all default to Term.  The class sets name standard signals only, so a
 * real-time signal's bit is in none of them. */
static inline bool sig_kernel_stop(int sig)
{
	return (sl_sigmask(sig) & SIGSET_KERNEL_STOP) != 0;
}

static inline bool sig_kernel_ignore(int sig)
{
	return (sl_sigmask(sig) & SIGSET_KERNEL_IGNORE) != 0;
}

static inline bool sig_kernel_coredump(int sig)
{
	return (sl_sigmask(sig) & SIGSET_KERNEL_COREDUMP) != 0;
}

/* sig_fatal: the handler is SIG_DFL and the default action of sig would
 * end the process. */
static inline bool sig_fatal(const struct task *t, int sig)
{
	return t->sighand->action[sig - 1].handler == SL_SIG_DFL &&
	       !sig_kernel_ignore(sig) && !sig_kernel_stop(sig);
}

static inline bool sig_handler_ignored(uint64_t handler, int sig)
{
	return handler == SL_SIG_IGN || (handler == SL_SIG_DFL && sig_kernel_ignore(sig));
}

static inline bool thread_group_empty(const struct task *t)
{
	return t->thread_next == t;
}

/* fatal_signal_pending: SIGKILL is pending for the thread. */
static inline bool fatal_signal_pending(const struct task *t)
{
	return (t->pending.signal & sl_sigmask(SL_SIGKILL)) != 0;
}

/* The task is on its way back to user mode from a blocking call: woken,
 * with a value or a restart still to act on (the call returned
 * SL_SYSCALL_BLOCKED and sl_return_to_user has not finished it).  It is
 * still in the kernel and makes no other call meanwhile. */
static inline bool sys_returning(const struct task *t)
{
	return t->in_call && (t->sys->phase == SYS_WOKEN || t->sys->phase == SYS_EXITING ||
			     t->sys->phase == SYS_RESTART);
}

/* sighand.c */
SL_PRIVATE void flush_signal_handlers(struct task *t, bool force_default);
/* The shared default sighand (made on first use), or NULL. */
SL_PRIVATE struct sighand *sighand_default(sl_kernel *k);
/* Gives t's thread group a sighand of its own when it shares the
 * default one; 0 or -SL_ENOMEM. */
SL_PRIVATE int sighand_unshare(sl_kernel *k, struct task *t);
/* Drops one task's reference; frees a sighand nobody shares any more. */
SL_PRIVATE void sighand_put(sl_kernel *k, struct sighand *sh);

/* recalc_sigpending (send.c's rule, inline for the hot paths):
 * TIF_SIGPENDING is set while a signal the thread does not block is
 * pending for it or its process, or a group stop waits. */
static inline bool task_has_deliverable(const struct task *t)
{
	sl_sigset pending = t->pending.signal | t->group->shared_pending.signal;

	return ((pending & ~t->blocked) | (t->jobctl & JOBCTL_PENDING_MASK)) != 0;
}

static inline void recalc_sigpending(sl_kernel *k, struct task *t)
{
	t->sigpending = task_has_deliverable(t);
	if (t->sigpending)
		work_mark(k, t);
}

/* recalc_sigpending inside sl_return_to_user, for the task returning:
 * sl_return_to_user marks it once on its way out when it still has a
 * signal pending (deliver.c), so the delivery path pays for one test. */
static inline void recalc_sigpending_current(struct task *t)
{
	t->sigpending = task_has_deliverable(t);
}

/* task.c: a process-group or wider signal also reaches every fork the
 * process has in progress (__send_signal_locked's multiprocess walk). */
SL_PRIVATE void fork_delay_signal(struct signal_group *g, int sig);

/* mask.c */
SL_PRIVATE void retarget_shared_pending(sl_kernel *k, struct task *tsk, sl_sigset which);

/* __set_task_blocked: a thread with a signal pending that blocks more
 * signals hands the process-wide ones it now blocks to another thread. */
static inline void set_task_blocked_locked(sl_kernel *k, struct task *t, sl_sigset newset)
{
	if (t->sigpending)
		retarget_shared_pending(k, t, newset & ~t->blocked);
	t->blocked = newset;
	recalc_sigpending(k, t);
}

/* set_current_blocked: nobody may block SIGKILL or SIGSTOP. */
static inline void set_current_blocked(sl_kernel *k, struct task *t, sl_sigset newset)
{
	set_task_blocked_locked(k, t, newset & ~(sl_sigmask(SL_SIGKILL) | sl_sigmask(SL_SIGSTOP)));
}

/* set_current_blocked with a superset of the current mask (a handler's
 * mask): blocking more signals can take TIF_SIGPENDING away but never
 * give it, so a thread without it has nothing to recalculate or hand on.
 * The exception: set_current_blocked unblocks SIGKILL and SIGSTOP, which
 * only the what-if CONFIG_KILL_STOP_HANDLING lets a mask hold (sigaction
 * drops them from a handler's mask), and one of them may be pending. */
static inline void block_more_signals(sl_kernel *k, struct task *t, sl_sigset more)
{
	if (__builtin_expect(!t->sigpending, 1) &&
	    __builtin_expect(!(more & SIGSET_KERNEL_ONLY), 1)) {
		t->blocked = more;
		return;
	}
	set_current_blocked(k, t, more);
}

/* pending.c helpers that need the kernel (accounting) */
SL_PRIVATE struct sigqueue *sigqueue_alloc(sl_kernel *k, struct task *t, bool override_rlimit);
SL_PRIVATE void sigqueue_free(sl_kernel *k, struct sigqueue *q);
SL_PRIVATE void flush_sigqueue_mask(sl_kernel *k, struct sigpending *p, sl_sigset mask);
SL_PRIVATE void flush_sigqueue(sl_kernel *k, struct sigpending *p);
SL_PRIVATE void collect_signal(sl_kernel *k, struct sigpending *p, int sig,
			       struct sl_siginfo *info);

/* __dequeue_signal: the next signal of p that `blocked` lets through, with
 * its siginfo; 0 when none. */
static ALWAYS_INLINE int dequeue_from(sl_kernel *k, struct sigpending *p, sl_sigset blocked,
			       struct sl_siginfo *info)
{
	int sig = pending_next_signal(p, blocked);

	if (sig)
		collect_signal(k, p, sig, info);
	return sig;
}
SL_PRIVATE int dequeue_synchronous_signal(sl_kernel *k, struct task *t, struct sl_siginfo *info);

/* send.c */
enum pid_type { PIDTYPE_PID, PIDTYPE_TGID, PIDTYPE_PGID, PIDTYPE_MAX };
/* A siginfo source: a real siginfo, the kernel's special values, or
 * kill()'s SI_USER siginfo (prepare_kill_siginfo), which send.c builds
 * where it is queued rather than copying it from the caller. */
enum info_kind { INFO_REAL, INFO_NOINFO, INFO_PRIV, INFO_KILL };
SL_PRIVATE int send_signal_locked(sl_kernel *k, struct task *sender, int sig,
				  enum info_kind kind, struct sl_siginfo *info,
				  struct task *t, enum pid_type type);
SL_PRIVATE void signal_wake_up(sl_kernel *k, struct task *t, bool fatal);
SL_PRIVATE const char *prepare_signal(sl_kernel *k, struct task *p, int sig, bool force);
SL_PRIVATE void complete_signal(sl_kernel *k, int sig, struct task *p, enum pid_type type);
SL_PRIVATE int group_send_sig_info(sl_kernel *k, struct task *sender, int sig,
				   enum info_kind kind, struct sl_siginfo *info,
				   struct task *p, enum pid_type type);

/* jobctl.c */
SL_PRIVATE bool do_signal_stop(sl_kernel *k, struct task *t, int signr);
SL_PRIVATE void prepare_continue(sl_kernel *k, struct task *p);
SL_PRIVATE void do_notify_parent_cldstop(sl_kernel *k, struct task *t, int why);
SL_PRIVATE bool task_participate_group_stop(struct task *t);
SL_PRIVATE bool is_pgrp_orphaned(const sl_kernel *k, const struct pgroup *pg);
SL_PRIVATE void task_clear_jobctl_pending(struct task *t, unsigned mask);

/* pidfd.c: the descriptor table (struct files) */
/* Gives g a descriptor table of its own when it shares the all-zero
 * one: 0 or -SL_ENOMEM (where Linux allocates a descriptor too). */
SL_PRIVATE int files_get(sl_kernel *k, struct signal_group *g);
/* Frees g's table and its pidfds (pipe_fds_free lets the ends go first). */
SL_PRIVATE void files_put(sl_kernel *k, struct signal_group *g);

/* tty_jobctrl.c: the controlling terminal */
SL_PRIVATE void tty_setsid(struct task *leader);
SL_PRIVATE void disassociate_ctty(sl_kernel *k, struct task *cur, bool on_exit);
SL_PRIVATE int tty_check_change_sig(sl_kernel *k, struct task *cur, int tty, int sig);
SL_PRIVATE bool tty_is_ctty_of(const struct task *cur, int tty);
SL_PRIVATE void proc_set_tty(struct task *cur, struct model_tty *tty, int id);
SL_PRIVATE long tty_jobctrl_ioctl(sl_kernel *k, struct task *cur, int id, unsigned cmd,
				  long arg);
SL_PRIVATE int tty_signal_session_leader(sl_kernel *k, struct model_tty *tty, int id);
SL_PRIVATE void kill_tty_pgrp(sl_kernel *k, struct task *sender, int pgid, int sig,
			      enum info_kind kind);
SL_PRIVATE struct model_tty *tty_get(sl_kernel *k, int id);

/* exit.c */
SL_PRIVATE void do_exit(sl_kernel *k, struct task *t, enum sl_exit_kind kind, int code);
SL_PRIVATE void do_group_exit(sl_kernel *k, struct task *t, enum sl_exit_kind kind, int code);
SL_PRIVATE int zap_other_threads(sl_kernel *k, struct task *t);
/* rlimit.c, coredump.c */
SL_PRIVATE void rlimit_init(sl_kernel *k);
/* A new process's limits: its parent's (shared when they are init's);
 * 0 or -SL_ENOMEM.  rlimit_put frees a process's own. */
SL_PRIVATE int rlimit_fork(sl_kernel *k, struct signal_group *g, const struct signal_group *parent);
SL_PRIVATE void rlimit_put(sl_kernel *k, struct signal_group *g);
SL_PRIVATE const char *check_rlimits(const sl_kernel *k);
SL_PRIVATE void do_coredump(sl_kernel *k, struct task *t, int sig);
SL_PRIVATE bool do_notify_parent(sl_kernel *k, struct task *cur, struct task *leader, int sig);
SL_PRIVATE bool do_notify_parent_to(sl_kernel *k, struct task *cur, struct task *leader, int sig,
				    struct task *parent);
SL_PRIVATE void release_task(sl_kernel *k, struct task *t);

/* reparent.c: the process tree */
SL_PRIVATE void link_child(struct task *parent, struct task *leader);
SL_PRIVATE void unlink_child(struct task *leader);
SL_PRIVATE void forget_original_parent(sl_kernel *k, struct task *father);
SL_PRIVATE void kill_orphaned_pgrp(sl_kernel *k, struct task *sender, struct task *leader,
				   struct task *parent);
/* wait.c: the sleeping half of wait4/waitid, and __wake_up_parent. */
SL_PRIVATE long wait_resume(sl_kernel *k, struct task *t);
SL_PRIVATE void wake_up_parent(sl_kernel *k, struct task *parent);
/* sl_check's part: the children lists and the parents agree. */
SL_PRIVATE const char *check_children(const struct task *t, size_t *listed);

/* ptrace.c: the hooks the signal, exit and wait code call */
SL_PRIVATE int ptrace_signal_resumed(sl_kernel *k, struct task *t, struct sl_siginfo *info);
SL_PRIVATE bool ptrace_signal(sl_kernel *k, struct task *t, int *sig, struct sl_siginfo *info,
			      enum pid_type type);
SL_PRIVATE bool do_jobctl_trap(sl_kernel *k, struct task *t);
SL_PRIVATE void ptrace_trap_notify(sl_kernel *k, struct task *t);
SL_PRIVATE void ptrace_report_continue(sl_kernel *k, struct task *t, int why);
SL_PRIVATE bool ptrace_exit_notify(sl_kernel *k, struct task *cur, struct task *leader);
SL_PRIVATE void exit_ptrace(sl_kernel *k, struct task *tracer);
SL_PRIVATE void ptrace_release(sl_kernel *k, struct task *t);
SL_PRIVATE void ptrace_event_exec(sl_kernel *k, struct task *t);
SL_PRIVATE int ptrace_clone_event(const struct task *cur, unsigned clone_flags, int exit_signal);
SL_PRIVATE void ptrace_init_task(struct task *child, struct task *cur);
/* copy_process's part: a traced creator's child needs its own ptrace
 * state (ptrace_init_task may link it); 0 or -SL_ENOMEM. */
SL_PRIVATE int ptrace_fork_get(sl_kernel *k, struct task *child, const struct task *cur);
SL_PRIVATE void ptrace_event_pid(sl_kernel *k, struct task *cur, int event, int pid);
SL_PRIVATE bool ptrace_event_exit(sl_kernel *k, struct task *t, enum sl_exit_kind kind, int code);
/* ptrace_signal_resumed's answers besides a signal or 0 */
#define PTRACE_RESUMED_STOPPED (-1)
#define PTRACE_RESUMED_EXITED  (-2)
SL_PRIVATE bool ptrace_reparented(const struct task *t);
/* Gives t a ptrace_state of its own before it is linked to a tracer or
 * tracee (an idle task shares the zero one): 0 or -SL_ENOMEM. */
SL_PRIVATE int ptrace_get(sl_kernel *k, struct task *t);
SL_PRIVATE void ptrace_put(sl_kernel *k, struct task *t);
SL_PRIVATE const char *check_ptrace(const struct task *t);

/* task.c */
SL_PRIVATE int copy_process(sl_kernel *k, struct task *cur, unsigned flags, int exit_signal);
SL_PRIVATE struct pgroup *pgroup_new(sl_kernel *k, struct task *leader);
/* The process group numbered after t's tid, or NULL. */
static inline struct pgroup *task_pgrp_led(struct task *t)
{
	return t->pgrp_led.pgid ? &t->pgrp_led : NULL;
}
SL_PRIVATE struct pgroup *pgroup_get(sl_kernel *k, int pgid);
SL_PRIVATE void pgroup_add(struct pgroup *pg, struct task *leader);
SL_PRIVATE void pgroup_remove(sl_kernel *k, struct task *leader);
SL_PRIVATE struct user *user_get(sl_kernel *k, uint32_t uid);
/* cred.c: `share` taken once more (get_cred) or, when it is NULL, a new
 * cred with uid as its real, effective and saved uid; NULL when out of
 * memory. */
SL_PRIVATE struct cred *cred_get(sl_kernel *k, struct cred *share, uint32_t uid);
SL_PRIVATE void put_cred(sl_kernel *k, struct cred *c);
/* Whether t has CAP_SETUID, CAP_KILL, CAP_SYS_ADMIN (cred.c). */
SL_PRIVATE bool cred_capable(const struct task *t);

#endif
