/*
 * siglab.h — the one public header of libsiglab, the Linux signal subsystem
 * as an embeddable, deterministic library.
 *
 * The embedder owns time, memory and threads.  It creates a kernel object,
 * creates tasks in it, and calls the syscall-shaped entry points on behalf of
 * a task ("the caller").  What happens is reported through the event sink of
 * the config; the engine never calls back into user code in the middle of a
 * kernel path.  Tasks are named by their tid (thread groups by their tgid),
 * never by pointer.
 *
 * Every sl_sys_* function returns 0 or a non-negative value on success and
 * the exact negative errno Linux returns on failure (-SL_EINVAL, ...).
 * Numbers (signals, SA_* flags, si_code values, errno values) are Linux's
 * x86-64 numbers, defined here; the library never includes <signal.h>.
 */
#ifndef SIGLAB_H
#define SIGLAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- version ------------------------------------------------------------ */

/* The version of this header.  The library's own is sl_version(): the two
 * differ when a program built against one library runs with another of
 * the same major version (docs/api.md, "ABI policy"). */
#define SL_VERSION_MAJOR 1
#define SL_VERSION_MINOR 0
#define SL_VERSION_PATCH 0
/* Packs a version into one comparable number (minor and patch < 256). */
#define SL_VERSION_NUM(major, minor, patch) \
	(((major) << 16) | ((minor) << 8) | (patch))
#define SL_VERSION SL_VERSION_NUM(SL_VERSION_MAJOR, SL_VERSION_MINOR, SL_VERSION_PATCH)

/* Everything declared here is the library's interface: the engine is
 * compiled with -fvisibility=hidden, and only these names are exported
 * (the shared library's version script and the static archive's one
 * object, the engine as one translation unit, keep nothing else global). */
#if defined(__GNUC__)
#pragma GCC visibility push(default)
#endif

/* The version of the library the program runs with, as
 * SL_VERSION_NUM(major, minor, patch) and as a string ("1.0.0"). */
unsigned sl_version(void);
const char *sl_version_string(void);

/* ---- signal numbers (x86-64 / generic numbering) ------------------------ */

enum {
	SL_SIGHUP = 1, SL_SIGINT = 2, SL_SIGQUIT = 3, SL_SIGILL = 4,
	SL_SIGTRAP = 5, SL_SIGABRT = 6, SL_SIGBUS = 7, SL_SIGFPE = 8,
	SL_SIGKILL = 9, SL_SIGUSR1 = 10, SL_SIGSEGV = 11, SL_SIGUSR2 = 12,
	SL_SIGPIPE = 13, SL_SIGALRM = 14, SL_SIGTERM = 15, SL_SIGSTKFLT = 16,
	SL_SIGCHLD = 17, SL_SIGCONT = 18, SL_SIGSTOP = 19, SL_SIGTSTP = 20,
	SL_SIGTTIN = 21, SL_SIGTTOU = 22, SL_SIGURG = 23, SL_SIGXCPU = 24,
	SL_SIGXFSZ = 25, SL_SIGVTALRM = 26, SL_SIGPROF = 27, SL_SIGWINCH = 28,
	SL_SIGIO = 29, SL_SIGPWR = 30, SL_SIGSYS = 31,
	SL_SIGRTMIN = 32,	/* the kernel's: 32..64 are real-time */
	SL_SIGRTMIN_GLIBC = 34,	/* glibc's, the name "SIGRTMIN" */
	SL_SIGRTMAX = 64,
	SL_NSIG = 64
};

/* A signal set: bit (sig - 1) stands for signal sig, as the kernel's
 * sigset_t on 64-bit machines. */
typedef uint64_t sl_sigset;

static inline sl_sigset sl_sigmask(int sig)
{
	return (sl_sigset)1 << (sig - 1);
}

/* ---- dispositions ------------------------------------------------------- */

/* Handler values.  Any other value names a user handler; the embedder
 * chooses the values (a code address, an index) and the engine only
 * compares them with these two. */
#define SL_SIG_DFL ((uint64_t)0)
#define SL_SIG_IGN ((uint64_t)1)

#define SL_SA_NOCLDSTOP      0x00000001u
#define SL_SA_NOCLDWAIT      0x00000002u
#define SL_SA_SIGINFO        0x00000004u
#define SL_SA_UNSUPPORTED    0x00000400u
#define SL_SA_EXPOSE_TAGBITS 0x00000800u
#define SL_SA_RESTORER       0x04000000u
#define SL_SA_ONSTACK        0x08000000u
#define SL_SA_RESTART        0x10000000u
#define SL_SA_NODEFER        0x40000000u
#define SL_SA_RESETHAND      0x80000000u
#define SL_SA_NOMASK         SL_SA_NODEFER
#define SL_SA_ONESHOT        SL_SA_RESETHAND

struct sl_sigaction {
	uint64_t handler;	/* SL_SIG_DFL, SL_SIG_IGN or a user handler */
	uint64_t flags;		/* SL_SA_* */
	sl_sigset mask;		/* blocked while the handler runs */
	uint64_t restorer;	/* kept and returned, never called */
};

/* ---- siginfo ------------------------------------------------------------ */

/* si_code values (include/uapi/asm-generic/siginfo.h). */
enum {
	SL_SI_USER = 0, SL_SI_KERNEL = 0x80, SL_SI_QUEUE = -1,
	SL_SI_TIMER = -2, SL_SI_MESGQ = -3, SL_SI_ASYNCIO = -4,
	SL_SI_SIGIO = -5, SL_SI_TKILL = -6,
	SL_ILL_ILLOPC = 1, SL_FPE_INTDIV = 1, SL_FPE_INTOVF = 2,
	SL_SEGV_MAPERR = 1, SL_SEGV_ACCERR = 2, SL_BUS_ADRALN = 1,
	SL_TRAP_BRKPT = 1,
	SL_CLD_EXITED = 1, SL_CLD_KILLED = 2, SL_CLD_DUMPED = 3,
	SL_CLD_TRAPPED = 4, SL_CLD_STOPPED = 5, SL_CLD_CONTINUED = 6,
	/* SIGPOLL's codes: why an I/O signal came (fs/fcntl.c send_sigio) */
	SL_POLL_IN = 1, SL_POLL_OUT = 2, SL_POLL_MSG = 3, SL_POLL_ERR = 4,
	SL_POLL_PRI = 5, SL_POLL_HUP = 6
};

struct sl_siginfo {
	int signo;
	int errnum;		/* si_errno */
	int code;		/* si_code */
	int pid;		/* si_pid, as seen from the receiver's namespace */
	uint32_t uid;		/* si_uid */
	int status;		/* si_status (SIGCHLD) */
	uint64_t value;		/* si_value (sigqueue, timers) */
	uint64_t addr;		/* si_addr (faults) */
	int timerid;		/* si_timerid (SI_TIMER) */
	int overrun;		/* si_overrun (SI_TIMER) */
	int64_t band;		/* si_band (SIGPOLL codes: an I/O signal) */
	int fd;			/* si_fd (SIGPOLL codes): the descriptor */
};

/* ---- errno values ------------------------------------------------------- */

/* Every errno value the library returns (include/uapi/asm-generic/
 * errno-base.h), negated. */
enum {
	SL_EPERM = 1, SL_ENOENT = 2, SL_ESRCH = 3, SL_EINTR = 4, SL_EIO = 5, SL_EBADF = 9,
	SL_ECHILD = 10, SL_EAGAIN = 11, SL_ENOMEM = 12, SL_EACCES = 13,
	SL_EFAULT = 14, SL_EINVAL = 22, SL_ENOTTY = 25, SL_EFBIG = 27, SL_EPIPE = 32,
	SL_EOPNOTSUPP = 95,
	/* Kernel-internal restart codes; they never reach user space. */
	SL_ERESTARTSYS = 512, SL_ERESTARTNOINTR = 513,
	SL_ERESTARTNOHAND = 514, SL_ERESTART_RESTARTBLOCK = 516
};

/* ---- sigprocmask how ---------------------------------------------------- */

enum { SL_SIG_BLOCK = 0, SL_SIG_UNBLOCK = 1, SL_SIG_SETMASK = 2 };

/* ---- the kernel object -------------------------------------------------- */

typedef struct sl_kernel sl_kernel;

/* Allocation function, as Lua's lua_Alloc: nsize == 0 frees ptr and returns
 * NULL; otherwise it (re)allocates to nsize bytes and returns NULL on
 * failure, leaving ptr untouched. */
typedef void *(*sl_alloc_fn)(void *ud, void *ptr, size_t osize, size_t nsize);

struct sl_event;
typedef void (*sl_event_fn)(void *ud, const struct sl_event *ev);

/* What-if switches: departures from Linux that a scenario asks for. */
#define SL_CONFIG_KILL_STOP_HANDLING 0x1u /* seed 002's CONFIG_KILL_STOP_HANDLING */
#define SL_CONFIG_SYSV_SIGNALS       0x2u /* seed 003: sigaction behaves as signal() */

struct sl_config {
	sl_alloc_fn alloc;	/* NULL: the C library's realloc/free */
	void *alloc_ud;
	sl_event_fn event;	/* NULL: events are dropped */
	void *event_ud;
	uint64_t rlimit_sigpending; /* per-user RLIMIT_SIGPENDING; 0 = default */
	unsigned what_if;	/* SL_CONFIG_* */
	uint64_t seed;		/* for any choice the engine must make */
	uint64_t sigframe_size;	/* bytes an x86-64 signal frame takes on the
				 * user stack (rt_sigframe + xsave area);
				 * 0 = SL_DEFAULT_SIGFRAME_SIZE */
	uint64_t fpstate_size;	/* bytes of the FPU/xsave area alone
				 * (xstate_sigframe_size: the xsave image
				 * plus FP_XSTATE_MAGIC2).  0: the frame is
				 * one block of sigframe_size bytes; else
				 * sigframe_size is the rt_sigframe alone and
				 * the area goes first, 64-byte aligned, as
				 * fpu__alloc_mathframe places it */
	uint64_t reserved[7];	/* zero (room for fields of later minor
				 * versions; docs/api.md, ABI policy) */
};

/* The frame of an x86-64 CPU with AVX-512 (AT_MINSIGSTKSZ 3376 less the
 * 128-byte red zone). */
#define SL_DEFAULT_SIGFRAME_SIZE 3248u

/* The default RLIMIT_SIGPENDING the engine uses when the config says 0. */
#define SL_DEFAULT_RLIMIT_SIGPENDING 1024u

/* Creates a kernel object: 0, -SL_ENOMEM, or -SL_EINVAL when out is
 * NULL, cfg->reserved is not zero, or a what_if bit is not an SL_CONFIG_*
 * switch.  cfg may be NULL (all defaults). */
int sl_kernel_new(const struct sl_config *cfg, sl_kernel **out);
void sl_kernel_free(sl_kernel *k);

/* Checks every internal invariant (pending bits match queue contents,
 * SIGKILL/SIGSTOP never blocked or caught, per-user counts match the
 * queues, ...).  Returns 0, or -1 and a static description in *what. */
int sl_check(const sl_kernel *k, const char **what);
/* The invariants of one task, its process and its links, in time that
 * does not grow with the number of tasks (sl_check's cross-task counts
 * are left out): for a runner that checks what a step touched and calls
 * sl_check less often (docs/api.md).  0 also when no task has that tid;
 * or -1 and *what. */
int sl_check_task(const sl_kernel *k, int tid, const char **what);

/* A canonical serialisation of the whole kernel state, handed to `put` in
 * pieces: equal bytes mean kernels that behave alike from here on (siglab
 * explore hashes it to prune equivalent interleavings).  Independent of
 * addresses and of allocation history; reads the kernel only. */
typedef void (*sl_digest_fn)(void *ud, const void *bytes, size_t n);
void sl_kernel_digest(const sl_kernel *k, sl_digest_fn put, void *ud);
/* Incremental digests (src/engine/digest.c).  sl_kernel_digest_memo hands
 * `put` the same state with each task's part (the task, and its process
 * when it leads it) replaced by a 128-bit hash of that part: equal states
 * give equal bytes, distinct states distinct bytes but for a collision of
 * two part hashes (about 2^-128).  It fills `out` with the part hashes
 * and the arena bytes each part read.  `base`, when not NULL, is the memo
 * filled when k was in the state that snapshot `snap` (snap_len bytes,
 * from sl_kernel_snapshot) holds: a part whose bytes are the same now is
 * not serialised again.  Returns 0, or -SL_ENOMEM when `out` could not
 * grow (the bytes are handed over all the same; `out` is then empty). */
typedef struct sl_digest_memo sl_digest_memo;
int sl_digest_memo_new(const sl_kernel *k, sl_digest_memo **out);
void sl_digest_memo_free(sl_digest_memo *m);
/* Empties m: it is then a base that reuses nothing. */
void sl_digest_memo_clear(sl_digest_memo *m);
int sl_kernel_digest_memo(const sl_kernel *k, const sl_digest_memo *base, const void *snap,
			  size_t snap_len, sl_digest_memo *out, sl_digest_fn put, void *ud);

/* Snapshots (src/engine/snapshot.c).  A kernel made by sl_kernel_new_arena
 * keeps its whole state in one block of `capacity` bytes, taken from the
 * config's allocator once (allocations beyond it fail: ENOMEM).  Its
 * snapshot is a copy of the bytes in use; restoring one, into the kernel it
 * was taken from, gives back that state exactly, and the kernel behaves
 * from there as it did then.  The event sink and its data are part of the
 * state (keep them alive).  sl_kernel_free frees an arena kernel. */
int sl_kernel_new_arena(const struct sl_config *cfg, size_t capacity, sl_kernel **out);
/* The bytes a snapshot of k takes now; 0 when k is not an arena kernel. */
size_t sl_kernel_snapshot_size(const sl_kernel *k);
/* The bytes the engine holds in the arena now (allocated, not freed). */
size_t sl_kernel_arena_live(const sl_kernel *k);
/* Copies k's state to buf; returns the bytes written, or -SL_EINVAL when k
 * is not an arena kernel or len is short. */
long sl_kernel_snapshot(const sl_kernel *k, void *buf, size_t len);
/* Puts k back in the state a snapshot of it holds (len: the bytes
 * sl_kernel_snapshot wrote).  Returns 0, or -SL_EINVAL when buf is not a
 * snapshot of this kernel. */
int sl_kernel_restore(sl_kernel *k, const void *buf, size_t len);

/* ---- tasks -------------------------------------------------------------- */

enum sl_spawn_kind {
	SL_SPAWN_PROCESS,	/* a user process */
	SL_SPAWN_INIT,		/* the global init: pid 1, SIGNAL_UNKILLABLE */
	SL_SPAWN_NS_INIT,	/* init of a new pid namespace (CLONE_NEWPID) */
	SL_SPAWN_KTHREAD	/* a kernel thread (PF_KTHREAD, kthreadd's child) */
};

/* A new task lives in its parent's pid namespace, or in the one `ns`
 * names; an SL_SPAWN_NS_INIT task creates a new namespace, child of that
 * one, and the processes spawned with it as parent live in that
 * namespace.  Sessions are plain numbers here: processes with the same
 * sid are in one session. */
struct sl_spawn {
	enum sl_spawn_kind kind;
	int parent;		/* parent tid; 0: a child of the global init */
	uint32_t uid;		/* real and effective uid */
	int pgid;		/* 0: a new process group led by the new task;
				 * else an existing group to join */
	int sid;		/* 0: the parent's session (1 without parent) */
	/* 0: the parent's pid namespace; else the tid of a task whose pid
	 * namespace the new process is born in, the parent's or one below
	 * it (setns(CLONE_NEWPID), then fork: a parent outside the child's
	 * namespace).  In what was reserved[0] of 1.0. */
	int32_t ns;
	uint32_t reserved32;	/* zero */
	uint64_t reserved[3];	/* zero (room for later minor versions) */
};

/* Creates a process (or kernel thread) with default dispositions, an empty
 * mask and nothing pending.  Returns the new tid (> 0) or a negative errno
 * (-SL_EINVAL for an unknown kind, a non-zero how->reserved or an `ns`
 * that is not the parent's namespace or one below it; -SL_ESRCH for an
 * `ns` task that does not exist). */
int sl_spawn(sl_kernel *k, const struct sl_spawn *how);

/* clone(CLONE_VM|CLONE_THREAD|CLONE_SIGHAND) by `caller`: a new thread of
 * the caller's group, inheriting its mask.  Returns the new tid. */
long sl_sys_clone_thread(sl_kernel *k, int caller);

/* fork(): a new process, child of the caller's group, inheriting handlers
 * and mask, with empty pending sets.  Returns the child's tid. */
long sl_sys_fork(sl_kernel *k, int caller);

enum sl_task_state {
	SL_TASK_RUNNING,	/* in user mode, or about to return to it */
	SL_TASK_SLEEPING,	/* blocked in a syscall */
	SL_TASK_STOPPED,	/* group stop */
	SL_TASK_ZOMBIE,		/* exited, not reaped */
	SL_TASK_DEAD,		/* exited and reaped (or a dead thread) */
	SL_TASK_TRACED		/* in a ptrace stop (TASK_TRACED, /proc's "t") */
};

enum sl_exit_kind { SL_EXIT_NONE, SL_EXIT_CODE, SL_EXIT_SIGNAL, SL_EXIT_OOPS };

/* The blocking calls, as SL_EV_SYSCALL_RETURN and sl_task_info name them. */
enum sl_sysno {
	SL_NR_NONE, SL_NR_PAUSE, SL_NR_RT_SIGSUSPEND, SL_NR_RT_SIGTIMEDWAIT,
	SL_NR_NANOSLEEP, SL_NR_READ, SL_NR_WAIT_EVENT,
	SL_NR_WAIT4, SL_NR_WAITID,	/* a wait with no child ready */
	SL_NR_HOST,	/* a call the embedder ran (sl_syscall_interrupted) */
	SL_NR_WRITE, SL_NR_IOCTL, /* a terminal's: restarted after SIGTTOU */
	SL_NR_POLL	/* poll, ppoll, select, pselect6, epoll_wait, epoll_pwait */
};

/* How a task sleeps (TASK_INTERRUPTIBLE, TASK_KILLABLE,
 * TASK_UNINTERRUPTIBLE). */
enum sl_sleep_state { SL_SLEEP_INTERRUPTIBLE = 1, SL_SLEEP_KILLABLE,
		      SL_SLEEP_UNINTERRUPTIBLE };

struct sl_task_info {
	int tid, tgid, ppid, pgid, sid;
	uint32_t uid;
	enum sl_task_state state;
	bool kthread;
	bool ns_init;		/* global init or a pid-namespace init */
	enum sl_exit_kind exit_kind;
	int exit_code;		/* exit(N) code, or the killing signal */
	bool core_dumped;	/* a core was written (WCOREDUMP); the model
				 * has RLIMIT_CORE 0, as shells do, so this
				 * stays false even for Core actions */
	sl_sigset blocked;
	sl_sigset pending;	/* private pending set */
	sl_sigset shared_pending;
	int handler_depth;	/* signal frames currently on the stack */
	enum sl_sysno syscall;	/* the blocking call the task is in (asleep
				 * or on its way out), or SL_NR_NONE */
	enum sl_sleep_state sleep_state; /* while SL_TASK_SLEEPING, else 0 */
	int tracer;		/* the tid of its ptracer, or 0 */
	int ptrace_code;	/* in a ptrace stop: the status the tracer's
				 * wait gets (WSTOPSIG | event << 8), or 0
				 * once it has been collected */
	uint64_t reserved[8];	/* zeroed (room for later minor versions) */
};

int sl_task_info(const sl_kernel *k, int tid, struct sl_task_info *out);
/* sl_task_info's `state` alone (cheaper): an SL_TASK_* value, or -SL_ESRCH. */
int sl_task_state_of(const sl_kernel *k, int tid);
bool sl_task_exists(const sl_kernel *k, int tid);

/* find_vpid: the tid of the task that pid `nr` names in the caller's pid
 * namespace, or 0 when it names none (or nr <= 0).  Every pid argument of
 * the sl_sys_* calls is a tid; a pid a program inside a namespace wrote
 * (kill(1, ...) to its namespace's init) goes through this first.  In the
 * root namespace pids are tids.  Pids are given in creation order at
 * every level, threads included (alloc_pid), and never twice. */
int sl_find_vpid(const sl_kernel *k, int caller, int nr);

/* True when the task has a signal it would act on at its next return to
 * user mode (TIF_SIGPENDING after recalc_sigpending, or a group exit or
 * stop to take part in). */
bool sl_task_has_work(const sl_kernel *k, int tid);
/* The smallest tid above `tid` whose task has work (sl_task_has_work),
 * or 0 when none has: a runner settles a step by visiting these, at a
 * cost that follows the tasks with work, not all tasks (0 starts from
 * the first).  The engine keeps the set as the state changes; the search
 * drops the tasks it finds whose work is done, so it takes k. */
int sl_next_task_with_work(sl_kernel *k, int tid);

/* ---- dispositions and masks --------------------------------------------- */

long sl_sys_rt_sigaction(sl_kernel *k, int caller, int sig,
			 const struct sl_sigaction *act, struct sl_sigaction *oact);
/* The raw signal(2) syscall: SA_ONESHOT|SA_NOMASK; returns the old
 * handler value, or a negative errno.  Like sgetmask/ssetmask below it
 * follows kernel/signal.c; x86-64 has none of the three (32-bit x86 and
 * other architectures do). */
long sl_sys_signal(sl_kernel *k, int caller, int sig, uint64_t handler);
long sl_sys_rt_sigprocmask(sl_kernel *k, int caller, int how,
			   const sl_sigset *set, sl_sigset *oset);
long sl_sys_sgetmask(sl_kernel *k, int caller);
long sl_sys_ssetmask(sl_kernel *k, int caller, long newmask);
long sl_sys_rt_sigpending(sl_kernel *k, int caller, sl_sigset *out);

/* For kernel threads: allow_signal()/disallow_signal(). */
int sl_kthread_allow_signal(sl_kernel *k, int tid, int sig);

/* ---- generation --------------------------------------------------------- */

long sl_sys_kill(sl_kernel *k, int caller, int pid, int sig);
long sl_sys_tkill(sl_kernel *k, int caller, int tid, int sig);
long sl_sys_tgkill(sl_kernel *k, int caller, int tgid, int tid, int sig);
long sl_sys_rt_sigqueueinfo(sl_kernel *k, int caller, int tgid, int sig,
			    const struct sl_siginfo *info);
long sl_sys_rt_tgsigqueueinfo(sl_kernel *k, int caller, int tgid, int tid,
			      int sig, const struct sl_siginfo *info);
/* pidfd_open / pidfd_send_signal: pidfds are per-process small integers
 * (from 3).  pidfd_open takes 0, PIDFD_NONBLOCK (04000) or PIDFD_THREAD
 * (0200); pidfd_send_signal takes 0 or one of PIDFD_SIGNAL_THREAD (1),
 * PIDFD_SIGNAL_THREAD_GROUP (2), PIDFD_SIGNAL_PROCESS_GROUP (4). */
long sl_sys_pidfd_open(sl_kernel *k, int caller, int pid, unsigned flags);
long sl_sys_pidfd_send_signal(sl_kernel *k, int caller, int pidfd, int sig,
			      const struct sl_siginfo *info, unsigned flags);

/* A signal the kernel raises by itself for something the embedder runs
 * outside the model — a real terminal, pipe, socket or file, a CPU-time
 * limit — as the kernel's own senders do (do_send_sig_info): the tty's
 * kill_pgrp and tty_signal_session_leader, send_sig, send_sigio_to_task,
 * the CPU-time checks.  No permission check: the kernel chose the target.
 * `scope` names the queue: SL_SEND_THREAD the task's own (send_sig,
 * F_OWNER_TID), SL_SEND_PROCESS its process's shared one
 * (group_send_sig_info), SL_SEND_PGRP the same for one member of a
 * process group (kill_pgrp, a group owner: the embedder sends to each
 * member).  `info` NULL is SEND_SIG_PRIV (si_code SI_KERNEL, no sender);
 * an SI_USER siginfo is send_sig's SEND_SIG_NOINFO from the task its pid
 * names (a write's SIGPIPE: the writer); any other is queued as given
 * (send_sigio's POLL_* codes with si_band and si_fd).  An I/O signal
 * (POLL_* or SI_SIGIO) that cannot be queued becomes SIGIO, as
 * send_sigio_to_task falls back.  0, -SL_EINVAL (signal or scope),
 * -SL_ESRCH (no such task; a dead thread for SL_SEND_THREAD), or
 * -SL_EAGAIN (a real-time signal the queue had no room for). */
enum { SL_SEND_THREAD = 0, SL_SEND_PROCESS = 1, SL_SEND_PGRP = 2 };
long sl_send_sig_info(sl_kernel *k, int tid, int sig, int scope,
		      const struct sl_siginfo *info);

/* A synchronous fault in user mode (force_sig_fault): the caller's
 * instruction raised `sig` with `code` at `addr`.  In a kernel thread the
 * fault is an oops: the task dies (die()). */
long sl_fault(sl_kernel *k, int caller, int sig, int code, uint64_t addr);

/* ---- delivery ----------------------------------------------------------- */

/* What the return to user mode decided. */
enum sl_delivery {
	SL_DELIVER_NONE,	/* nothing to do: the task runs its own code */
	SL_DELIVER_HANDLER,	/* a frame is set up: run the handler */
	SL_DELIVER_STOPPED,	/* the task stopped (group stop) */
	SL_DELIVER_EXITED	/* the task died */
};

/* The frame handle_signal set up. */
struct sl_ksignal {
	int sig;
	struct sl_siginfo info;
	struct sl_sigaction ka;	/* the action as it was when delivered */
	sl_sigset saved_mask;	/* the mask rt_sigreturn restores */
	/* Where get_sigframe put the frame, from the task's user stack
	 * pointer (sl_task_set_user_sp) and its alternate stack: frame_sp is
	 * the handler's stack pointer (the address of pretcode), fpstate the
	 * FPU/xsave area (0 unless sl_config.fpstate_size is set).  The
	 * task's stack pointer is now frame_sp. */
	uint64_t frame_sp;
	uint64_t fpstate;
	/* uc_stack, as __save_altstack saves it before an SS_AUTODISARM:
	 * the alternate stack and sas_ss_flags at the interrupted sp. */
	uint64_t uc_stack_sp;
	uint64_t uc_stack_size;
	uint32_t uc_stack_flags;
	/* The blocking call the frame was built over (enum sl_sysno), or 0,
	 * and what the handle_signal restart switch made of it: the value
	 * the interrupted context holds while the handler runs (-SL_EINTR,
	 * or the call's value), or -SL_ERESTARTNOINTR when the call runs
	 * again after the handler.  The final value still arrives as
	 * SL_EV_SYSCALL_RETURN after rt_sigreturn. */
	int sys_nr;
	long sys_ret;
};

/* Return to user mode (arch_do_signal_or_restart): runs get_signal, takes
 * every default action, and sets up at most one handler frame. */
enum sl_delivery sl_return_to_user(sl_kernel *k, int tid, struct sl_ksignal *out);

/* rt_sigreturn: pops the innermost frame and restores its mask. */
long sl_sys_rt_sigreturn(sl_kernel *k, int caller);

/* The parts of a signal frame's ucontext rt_sigreturn reads back from the
 * user stack (arch/x86/kernel/signal_64.c): the mask and alternate stack
 * the handler may have edited, and the stack pointer it restores. */
struct sl_ucontext {
	sl_sigset sigmask;	/* uc_sigmask */
	const struct sl_stack *stack; /* uc_stack, or NULL to keep the current one */
	uint64_t sp;		/* uc_mcontext.sp */
};

/* rt_sigreturn for an embedder whose frames live in user memory: the mask
 * comes from the frame's uc_sigmask (SIGKILL and SIGSTOP dropped), the
 * stack pointer from uc_mcontext, the alternate stack from uc_stack
 * (restore_altstack: ignored while the restored stack pointer is on the
 * alternate stack, and when invalid).  The innermost frame the engine
 * knows is popped (the interrupted call it held returns or restarts);
 * without one the mask is restored all the same, as the kernel reads
 * only the user stack. */
long sl_sys_rt_sigreturn_user(sl_kernel *k, int caller, const struct sl_ucontext *uc);

/* The task's user stack pointer (the real rsp at a system call or fault),
 * which get_sigframe, on_sig_stack and sigaltstack use.  Frames the stack
 * has left (the task returned past them without rt_sigreturn: a longjmp
 * out of a handler the embedder never sees) are dropped, innermost first,
 * as by sl_user_longjmp(k, tid, false): the mask stays, and a call a frame
 * held is over.  A frame is left when the stack pointer is above the
 * stack the interrupted context used, or off the alternate stack a frame
 * on it entered.  Returns the frames dropped, or -SL_ESRCH. */
int sl_task_set_user_sp(sl_kernel *k, int tid, uint64_t sp);

/* The embedder could not write the frame sl_return_to_user set up (the
 * stack is not writable): as signal_setup_done's failure, the frame is
 * undone (mask, stack pointer, alternate stack back) and the task gets
 * SIGSEGV (force_sigsegv: with SIGSEGV's own handler failing, SIG_DFL).
 * Returns 0, -SL_EINVAL without a frame, or -SL_ESRCH. */
int sl_signal_frame_failed(sl_kernel *k, int tid);

/* Leaving the innermost handler without sigreturn: longjmp keeps the
 * handler's mask, siglongjmp (savemask) restores the mask saved before the
 * frame. */
int sl_user_longjmp(sl_kernel *k, int caller, bool restore_mask);
/* The running handler rewrites the mask saved in its frame (its
 * ucontext's uc_sigmask), which rt_sigreturn then restores; a siglongjmp
 * still restores the mask from before the frame.  -SL_EINVAL without a
 * frame. */
long sl_user_set_frame_mask(sl_kernel *k, int caller, sl_sigset mask);

/* ---- exit --------------------------------------------------------------- */

long sl_sys_exit(sl_kernel *k, int caller, int code);
long sl_sys_exit_group(sl_kernel *k, int caller, int code);

/* ---- processes: clone, execve, wait, job control, prctl ------------------ */

/* clone flags the engine models (include/uapi/linux/sched.h). */
#define SL_CLONE_VM      0x00000100u /* accepted; memory is not modelled */
#define SL_CLONE_SIGHAND 0x00000800u
#define SL_CLONE_PARENT  0x00008000u
#define SL_CLONE_THREAD  0x00010000u
#define SL_CLONE_NEWPID  0x20000000u

/* clone(): a new process whose parent gets `exit_signal` when it exits
 * (0: none; SIGCHLD is fork's), or with CLONE_PARENT a sibling of the
 * caller, or with CLONE_NEWPID the init of a new pid namespace, or with
 * CLONE_THREAD|CLONE_SIGHAND a thread.  Returns the new tid. */
long sl_sys_clone(sl_kernel *k, int caller, unsigned flags, int exit_signal);

/* The fork window (docs/api.md, "Fork in two halves"): sl_sys_clone is
 * sl_sys_clone_begin then sl_sys_clone_finish with nothing between them;
 * an embedder that lets other calls run between the two models what a
 * signal does to a fork in progress (kernel/fork.c copy_process).
 * begin: 0 (the fork is in progress), the flag errors of sl_sys_clone,
 * -SL_ERESTARTNOINTR when a signal the caller does not block is pending
 * (take it and call again), -SL_EINVAL when a fork is already in progress.
 * Between the halves, signals sent to the caller's process group or
 * wider are recorded for the child.  finish: the new tid, -SL_EINTR when
 * the caller is dying (SIGKILL pending), or clone's other errors;
 * -SL_EINVAL when no fork is in progress. */
long sl_sys_clone_begin(sl_kernel *k, int caller, unsigned flags, int exit_signal);
long sl_sys_clone_finish(sl_kernel *k, int caller);
/* Whether the task is between sl_sys_clone_begin and _finish. */
bool sl_task_in_fork(const sl_kernel *k, int tid);

/* execve() of a new image that succeeds: other threads die, caught
 * signals go back to SIG_DFL (ignored ones stay ignored), the mask and
 * pending signals are kept, handler frames are gone. */
long sl_sys_execve(sl_kernel *k, int caller);

/* wait options (include/uapi/linux/wait.h). */
#define SL_WNOHANG     0x00000001u
#define SL_WUNTRACED   0x00000002u
#define SL_WSTOPPED    SL_WUNTRACED
#define SL_WEXITED     0x00000004u
#define SL_WCONTINUED  0x00000008u
#define SL_WNOWAIT     0x01000000u
#define SL___WNOTHREAD 0x20000000u
#define SL___WALL      0x40000000u
#define SL___WCLONE    0x80000000u

enum { SL_P_ALL = 0, SL_P_PID = 1, SL_P_PGID = 2 };

/* A wait with no WNOHANG that finds nothing waitable yet, but a child that
 * may become so, sleeps (interruptibly): it returns SL_SYSCALL_BLOCKED, and
 * its value comes later as the SL_EV_SYSCALL_RETURN event of the task
 * (code SL_NR_WAIT4 or SL_NR_WAITID), with the wait4 status word in
 * info.value and waitid's siginfo in info.  A signal with a handler
 * interrupts it with -ERESTARTSYS (restarted under SA_RESTART). */

/* wait4(pid, &status, options, NULL): the pid reaped (or reported), 0
 * (WNOHANG, nothing yet), or -errno; *status gets the wait status word. */
long sl_sys_wait4(sl_kernel *k, int caller, int pid, int *status, unsigned options);
/* waitid(idtype, id, &info, options, NULL): 0 or -errno; info->pid is 0
 * when WNOHANG found nothing.  A failing call clears si_signo, si_errno,
 * si_code, si_pid, si_uid and si_status of *info, as the syscall does. */
long sl_sys_waitid(sl_kernel *k, int caller, int idtype, int id,
		   struct sl_siginfo *info, unsigned options);

/* Process groups and sessions (kernel/sys.c). */
long sl_sys_setpgid(sl_kernel *k, int caller, int pid, int pgid);
long sl_sys_getpgid(sl_kernel *k, int caller, int pid);
long sl_sys_setsid(sl_kernel *k, int caller);
long sl_sys_getsid(sl_kernel *k, int caller, int pid);
/* The parent's tgid as the caller's namespace sees it (0 when outside). */
long sl_sys_getppid(sl_kernel *k, int caller);

/* The waits on file descriptors, as the signal subsystem sees them
 * (fs/select.c, fs/eventpoll.c): no descriptor is watched, so the wait
 * ends by a signal or its timeout (NULL: none).  `mask` (ppoll, pselect6,
 * epoll_pwait; NULL: none) replaces the signal mask for the wait.
 * Returns 0 on timeout, -EINVAL for a bad timeout, or SL_SYSCALL_BLOCKED;
 * interrupted, poll, ppoll, select and pselect6 end in EINTR when a
 * handler runs and are restarted when none does, epoll_wait and
 * epoll_pwait end in EINTR always. */
struct sl_timespec;
enum sl_poll_call {
	SL_POLL_POLL, SL_POLL_PPOLL, SL_POLL_SELECT, SL_POLL_PSELECT6,
	SL_POLL_EPOLL_WAIT, SL_POLL_EPOLL_PWAIT
};
long sl_sys_poll_wait(sl_kernel *k, int caller, enum sl_poll_call call, const sl_sigset *mask,
		      const struct sl_timespec *timeout);

/* User ids (kernel/sys.c), the caller's thread only: an id of
 * (uint32_t)-1 leaves that id unchanged (setuid refuses it, EINVAL).  A
 * task whose effective uid is 0 has CAP_SETUID, CAP_KILL and
 * CAP_SYS_ADMIN; a new effective uid clears the parent-death signal. */
long sl_sys_setuid(sl_kernel *k, int caller, uint32_t uid);
long sl_sys_setreuid(sl_kernel *k, int caller, uint32_t ruid, uint32_t euid);
long sl_sys_setresuid(sl_kernel *k, int caller, uint32_t ruid, uint32_t euid, uint32_t suid);
long sl_sys_getresuid(sl_kernel *k, int caller, uint32_t *ruid, uint32_t *euid, uint32_t *suid);

/* prctl options the engine models. */
enum {
	SL_PR_SET_PDEATHSIG = 1, SL_PR_GET_PDEATHSIG = 2,
	SL_PR_SET_CHILD_SUBREAPER = 36, SL_PR_GET_CHILD_SUBREAPER = 37
};
/* prctl(PR_GET_DUMPABLE) returns the value; PR_SET_DUMPABLE takes 0 or 1. */
enum { SL_PR_GET_DUMPABLE = 3, SL_PR_SET_DUMPABLE = 4 };
/* prctl(option, arg2): the GET options store their value in *out. */
long sl_sys_prctl(sl_kernel *k, int caller, int option, unsigned long arg2, int *out);

/* ---- events ------------------------------------------------------------- */

/* Tracepoint results of signal_generate (include/trace/events/signal.h). */
enum sl_trace_result {
	SL_TRACE_DELIVERED = 0,
	SL_TRACE_IGNORED = 1,
	SL_TRACE_ALREADY_PENDING = 2,
	SL_TRACE_OVERFLOW_FAIL = 3,
	SL_TRACE_LOSE_INFO = 4
};

enum sl_event_kind {
	SL_EV_GENERATE,		/* signal_generate tracepoint */
	SL_EV_DELIVER,		/* signal_deliver tracepoint */
	SL_EV_HANDLER,		/* a handler frame was set up (the handler
				 * runs when the task returns to user mode,
				 * innermost frame first) */
	SL_EV_SIGRETURN,	/* rt_sigreturn popped a frame */
	SL_EV_LONGJMP,		/* a frame left by (sig)longjmp */
	SL_EV_STOP,		/* the task entered group stop */
	SL_EV_CONTINUE,		/* the task, resumed by SIGCONT, runs again
				 * (reported at its next return to user mode) */
	SL_EV_EXIT,		/* the task died */
	SL_EV_OOPS,		/* a fault in kernel mode: die() */
	SL_EV_NOTE,		/* a decision with no tracepoint; see rule */
	SL_EV_SYSCALL_RETURN,	/* a blocking call returned to user mode:
				 * code = enum sl_sysno, ret = its value */
	SL_EV_PTRACE_STOP	/* the task entered a ptrace stop: code = the
				 * stop's exit code (the signal, SIGTRAP|0x80,
				 * or SIGTRAP|event<<8), sig = its signal */
};

struct sl_event {
	enum sl_event_kind kind;
	int tid;		/* whose context: sender (generate) or receiver */
	int target;		/* generate: the target tid */
	int sig;
	enum sl_trace_result result; /* generate */
	bool group;		/* generate: process-directed (grp=1) */
	struct sl_siginfo info;	/* generate/deliver/handler: the siginfo */
	struct sl_sigaction ka;	/* deliver/handler: the action */
	int code;		/* exit: exit code or signal */
	enum sl_exit_kind exit_kind;
	bool core_dumped;
	/* The kernel rule behind the event, as a sentence naming the kernel
	 * function it models; NULL when there is nothing to explain. */
	const char *rule;
	long ret;		/* syscall return: the value user space sees */
};

/* ---- architectures (signal(7)'s table) ---------------------------------- */

enum sl_arch { SL_ARCH_X86, SL_ARCH_ARM, SL_ARCH_ALPHA, SL_ARCH_SPARC,
	       SL_ARCH_MIPS, SL_ARCH_PARISC, SL_ARCH_COUNT };

enum sl_default_action { SL_ACT_TERM, SL_ACT_CORE, SL_ACT_IGN,
			 SL_ACT_STOP, SL_ACT_CONT };

struct sl_signal_desc {
	const char *name;	/* "SIGUSR1" */
	enum sl_default_action action;
	const char *comment;	/* signal(7)'s comment */
};

/* The x86 description of a signal number 1..31 (RT signals: NULL). */
const struct sl_signal_desc *sl_signal_describe(int sig);
/* Signal names.  Numbers are the kernel's, names are the C library's:
 * "SIGRTMIN" is glibc's SIGRTMIN, 34 (SL_SIGRTMIN_GLIBC), as in kill -l
 * and in scenarios; "SIGRTMIN+N" is 34 + N and "SIGRTMAX-N" 64 - N.  The
 * two real-time signals below it, the kernel's SIGRTMIN (SL_SIGRTMIN, 32)
 * and 33, which glibc keeps for itself, are "SIG32" and "SIG33", as gdb
 * names them.  Every name sl_signal_name returns parses back to its
 * number. */
/* The number of a signal name ("SIGUSR1", "USR1", "SIGRTMIN+2", "SIG32",
 * "10") on x86, or 0. */
int sl_signal_from_name(const char *name);
/* The name of a signal 1..64 on x86 ("SIGRTMIN+2" for 36, "SIG32" for
 * 32), or "SIG?"; a static string. */
const char *sl_signal_name(int sig);
/* The number of the x86 signal `sig` on `arch`, or 0 when the arch has no
 * such signal. */
int sl_arch_signal_number(enum sl_arch arch, int sig);
const char *sl_arch_name(enum sl_arch arch);
int sl_arch_from_name(const char *name);
const char *sl_default_action_name(enum sl_default_action a);
/* errno value -> "EINVAL"; static string or NULL. */
const char *sl_errno_name(int err);
int sl_errno_from_name(const char *name);
/* enum sl_trace_result -> "already_pending" (the names the scenario
 * language uses); static string or NULL. */
const char *sl_trace_result_name(int result);

/* ---- sleeping, waiting, restarting and time ----------------------------- */

/*
 * Blocking system calls.  A call that can sleep returns its value when it
 * completes at once.  Otherwise it returns SL_SYSCALL_BLOCKED: the task is
 * asleep in it (SL_TASK_SLEEPING), or is about to act on a signal on its
 * way back to user mode.  The value user space sees arrives later as an
 * SL_EV_SYSCALL_RETURN event of that task, when the task gets back to the
 * code that made the call: at once after the wake-up (in
 * sl_return_to_user), or when the handler frame built over the call
 * returns (sl_sys_rt_sigreturn).  A call that restarts (SA_RESTART,
 * ERESTARTNOINTR, no handler ran) sleeps again and reports nothing until
 * it really returns.  A frame left by longjmp takes the result with it.
 * sl_task_has_work() is true while a woken task has a call to finish;
 * until then every other call for the task is refused with -SL_ESRCH.
 */
#define SL_SYSCALL_BLOCKED (-100000L)

/* A system call the engine does not serve (a read of a real pipe) was
 * interrupted for a signal: it is on its way out with the kernel value
 * `ret` (a restart code such as -SL_ERESTARTSYS, or its value).  The next
 * sl_return_to_user decides as arch_do_signal_or_restart does: with a
 * handler, sl_ksignal's sys_nr is SL_NR_HOST and sys_ret the value the
 * handler's saved context gets (-SL_EINTR, or -SL_ERESTARTNOINTR: rewind
 * the call; -SL_ERESTART_RESTARTBLOCK: restart_syscall); the frame does
 * not hold the call.  Without a handler an SL_EV_SYSCALL_RETURN reports
 * `ret` unchanged (a restart code: the call runs again, as the kernel's
 * own exit path does).  Returns 0 or -SL_ESRCH, or -SL_ENOMEM when the
 * task's first blocking call cannot get its call state (the embedder's
 * allocator failed). */
int sl_syscall_interrupted(sl_kernel *k, int tid, long ret);

/* Virtual time in nanoseconds.  The clock starts at 0 and moves only when
 * the embedder advances it.  Times saturate at SL_KTIME_MAX, as the
 * kernel's ktime_add_safe does: an expiry that far away never comes (the
 * clock stops one nanosecond short of it), and a timer armed for it reads
 * as running. */
typedef int64_t sl_time;
#define SL_NSEC_PER_SEC 1000000000LL
#define SL_KTIME_MAX INT64_MAX

long sl_sys_pause(sl_kernel *k, int caller);
long sl_sys_rt_sigsuspend(sl_kernel *k, int caller, const sl_sigset *mask);
/* rt_sigtimedwait: timeout NULL waits forever (sigwaitinfo); *info gets
 * the dequeued signal's siginfo when the call returns at once; a later
 * return carries it in the event's info. */
long sl_sys_rt_sigtimedwait(sl_kernel *k, int caller, const sl_sigset *these,
			    struct sl_siginfo *info, const sl_time *timeout);
/* nanosleep (CLOCK_MONOTONIC, relative).  *rem, when the call fails with
 * EINTR at once, gets the time left; a later EINTR carries it in the
 * event's info.value (ns). */
long sl_sys_nanosleep(sl_kernel *k, int caller, sl_time req, sl_time *rem);
/* A struct timespec as user space writes it.  The calls that take one
 * check it before they use it (timespec64_valid: tv_sec >= 0 and 0 <=
 * tv_nsec < 10^9, else EINVAL); a valid one becomes a duration, clamped
 * at SL_KTIME_MAX as timespec64_to_ktime clamps.  NULL is a bad address
 * (EFAULT). */
struct sl_timespec {
	int64_t tv_sec;
	int64_t tv_nsec;
};
long sl_sys_rt_sigtimedwait_ts(sl_kernel *k, int caller, const sl_sigset *these,
			       struct sl_siginfo *info, const struct sl_timespec *timeout);
long sl_sys_nanosleep_ts(sl_kernel *k, int caller, const struct sl_timespec *req,
			 sl_time *rem);

/* Model pipes (fs/pipe.c).  A pipe is named by its id; its read end
 * (SL_PIPE_READ) and write end (SL_PIPE_WRITE) are two open files that
 * processes hold, as descriptors do: fork gives the child the parent's
 * ends, execve keeps them, the exit of a process's last thread and
 * sl_sys_close_pipe let them go.  A read of an empty pipe with no writer
 * left returns 0 (EOF); a write with no reader left sends the writer
 * SIGPIPE and fails with -SL_EPIPE.
 *
 * sl_pipe_create makes a pipe whose two ends every live user process
 * holds (as if a common ancestor had made it before forking them all);
 * sl_sys_pipe is pipe(2): only the caller's process holds it.  Both
 * return the pipe's id (>= 0). */
enum { SL_PIPE_READ = 0, SL_PIPE_WRITE = 1 };
long sl_pipe_create(sl_kernel *k);
long sl_sys_pipe(sl_kernel *k, int caller);
/* close(2) of one end: -SL_EBADF when the caller's process holds none. */
long sl_sys_close_pipe(sl_kernel *k, int caller, int pipe, int end);
/* Whether the process `pid` holds the end (false for no such process). */
bool sl_pipe_held(const sl_kernel *k, int pid, int pipe, int end);
long sl_sys_read(sl_kernel *k, int caller, int pipe, size_t count);
long sl_sys_write(sl_kernel *k, int caller, int pipe, size_t count);
/* A write the embedder ran on a pipe of its own (a real one) found no
 * reader and is failing with EPIPE: the engine sends the writing thread
 * the SIGPIPE that pipe_write sends (SI_USER from itself), which the next
 * sl_return_to_user delivers.  0, or -SL_ESRCH. */
int sl_pipe_sigpipe(sl_kernel *k, int tid);

/* fcntl(2) on a pipe end, for I/O signals (fs/fcntl.c): F_SETOWN (a
 * process; a negative pid names a process group; 0 none), F_GETOWN,
 * F_SETOWN_EX / F_GETOWN_EX (through *owner; NULL is -SL_EFAULT),
 * F_SETSIG (0: SIGIO with no siginfo; another signal gets si_code
 * POLL_IN.., si_band and si_fd), F_GETSIG, F_SETFL (SL_O_ASYNC: the end
 * announces readiness; other bits are kept as flags only), F_GETFL.
 * `fd` is the number the caller knows the end by: si_fd reports it. */
enum {
	SL_F_GETFL = 3, SL_F_SETFL = 4, SL_F_SETOWN = 8, SL_F_GETOWN = 9,
	SL_F_SETSIG = 10, SL_F_GETSIG = 11, SL_F_SETOWN_EX = 15, SL_F_GETOWN_EX = 16
};
enum { SL_F_OWNER_TID = 0, SL_F_OWNER_PID = 1, SL_F_OWNER_PGRP = 2 };
#define SL_O_NONBLOCK 04000
#define SL_O_ASYNC 020000
struct sl_f_owner_ex {
	int type;		/* SL_F_OWNER_* */
	int pid;
};
long sl_sys_fcntl_pipe(sl_kernel *k, int caller, int pipe, int end, int fd, int cmd,
		       long arg, struct sl_f_owner_ex *owner);

/*
 * Pseudo-terminals (drivers/tty/pty.c, tty_io.c, n_tty.c, tty_jobctrl.c).
 * A pty pair is a kernel-wide object named by its id, like a model pipe;
 * its slave is the terminal processes open, read, write and control, its
 * master belongs to the embedder, which plays the terminal emulator:
 * sl_tty_input types characters into it (with ISIG, the interrupt, quit
 * and suspend characters signal the foreground process group),
 * sl_tty_resize sets the window size (SIGWINCH), sl_tty_hangup closes
 * the master (the hang-up).  sl_sys_tty_ioctl's commands are Linux's
 * numbers; TCGETS returns c_lflag, TCSETS takes it, TIOCGPGRP returns the
 * foreground group, TIOCSWINSZ takes rows << 16 | cols.
 */
#define SL_TCGETS     0x5401u
#define SL_TCSETS     0x5402u
#define SL_TIOCSCTTY  0x540Eu
#define SL_TIOCGPGRP  0x540Fu
#define SL_TIOCSPGRP  0x5410u
#define SL_TIOCSWINSZ 0x5414u
#define SL_TIOCNOTTY  0x5422u
/* termios c_lflag bits (include/uapi/asm-generic/termbits.h) */
#define SL_ISIG   0x001u
#define SL_ICANON 0x002u
#define SL_ECHO   0x008u
#define SL_NOFLSH 0x080u
#define SL_TOSTOP 0x100u
/* open(2) flag */
#define SL_O_NOCTTY 0x100u
long sl_tty_create(sl_kernel *k);
long sl_sys_tty_open(sl_kernel *k, int caller, int tty, unsigned flags);
long sl_sys_tty_read(sl_kernel *k, int caller, int tty, size_t count);
long sl_sys_tty_write(sl_kernel *k, int caller, int tty, size_t count);
long sl_sys_tty_ioctl(sl_kernel *k, int caller, int tty, unsigned cmd, long arg);
int sl_tty_input(sl_kernel *k, int tty, const char *buf, size_t n);
int sl_tty_resize(sl_kernel *k, int tty, unsigned rows, unsigned cols);
int sl_tty_hangup(sl_kernel *k, int tty);

/* A wait on a model wait queue (a disk, a completion) in a given sleep
 * state: wait_event_interruptible (any signal the task takes ends it with
 * -ERESTARTSYS), wait_event_killable (only a fatal signal), wait_event
 * (no signal: they stay pending until it ends).  sl_wake_up(channel) makes
 * the event happen for every wait in progress on the channel (the call
 * then returns 0, also after a restart) and returns the sleepers woken. */
long sl_sys_wait_event(sl_kernel *k, int caller, int channel,
		       enum sl_sleep_state state);
int sl_wake_up(sl_kernel *k, int channel);

/* The clock.  sl_clock_next_event is the time of the next timer expiry
 * (a sleep's end, an itimer, a POSIX timer), or -1.  sl_clock_advance
 * moves the clock by delta and fires, in time order, every expiry up to
 * the new time; run the tasks that have work between two expiries by
 * advancing to each sl_clock_next_event in turn.  A negative delta is
 * -EINVAL; the clock saturates at SL_KTIME_MAX - 1. */
sl_time sl_clock_now(const sl_kernel *k);
sl_time sl_clock_next_event(const sl_kernel *k);
int sl_clock_advance(sl_kernel *k, sl_time delta);

/* alarm(2): returns the seconds left of the previous alarm. */
long sl_sys_alarm(sl_kernel *k, int caller, unsigned seconds);
enum { SL_ITIMER_REAL = 0, SL_ITIMER_VIRTUAL = 1, SL_ITIMER_PROF = 2 };
struct sl_itimerspec {
	sl_time interval;
	sl_time value;
};
long sl_sys_setitimer(sl_kernel *k, int caller, int which,
		      const struct sl_itimerspec *nv, struct sl_itimerspec *ov);
long sl_sys_getitimer(sl_kernel *k, int caller, int which, struct sl_itimerspec *cur);

/* timer_create(CLOCK_MONOTONIC, SIGEV_SIGNAL): returns the timer id (per
 * process, from 0). */
long sl_sys_timer_create(sl_kernel *k, int caller, int sig, uint64_t value);
/* timer_create with a struct sigevent (good_sigevent): SL_SIGEV_SIGNAL
 * (and SL_SIGEV_THREAD, alike in the kernel) with signo; SL_SIGEV_NONE, a
 * timer that runs and never signals (timer_gettime reads it);
 * SL_SIGEV_SIGNAL | SL_SIGEV_THREAD_ID, the signal to thread `tid` of the
 * caller's process, on its private queue.  Any other notify, a bad signal
 * or a tid outside the process: -EINVAL. */
#define SL_SIGEV_SIGNAL 0
#define SL_SIGEV_NONE 1
#define SL_SIGEV_THREAD 2
#define SL_SIGEV_THREAD_ID 4
struct sl_sigevent {
	int notify;
	int signo;
	uint64_t value;		/* sigev_value */
	int tid;		/* SL_SIGEV_THREAD_ID's thread */
};
long sl_sys_timer_create_sigev(sl_kernel *k, int caller, const struct sl_sigevent *ev);
/* timer_create on a clock (include/uapi/linux/time.h): CLOCK_REALTIME,
 * MONOTONIC, BOOTTIME and TAI run on the engine's one clock (as
 * sl_sys_timer_create_sigev); CLOCK_PROCESS_CPUTIME_ID and
 * CLOCK_THREAD_CPUTIME_ID, and the encoded clocks clock_getcpuclockid and
 * pthread_getcpuclockid return (SL_CPUCLOCK_PROCESS / _THREAD, with the
 * engine's tids), count CPU time, which only sl_cpu_run moves
 * (kernel/time/posix-cpu-timers.c).  A thread clock of a thread outside
 * the caller's process, a process clock of a pid that is not a process,
 * an unknown clock: -SL_EINVAL; MONOTONIC_RAW, the COARSE clocks and a
 * clock file descriptor: -SL_EOPNOTSUPP. */
#define SL_CLOCK_REALTIME 0
#define SL_CLOCK_MONOTONIC 1
#define SL_CLOCK_PROCESS_CPUTIME_ID 2
#define SL_CLOCK_THREAD_CPUTIME_ID 3
#define SL_CLOCK_BOOTTIME 7
#define SL_CLOCK_TAI 11
enum { SL_CPUCLOCK_PROF = 0, SL_CPUCLOCK_VIRT = 1, SL_CPUCLOCK_SCHED = 2 };
#define SL_CPUCLOCK_PROCESS(pid, which) ((int)(~(unsigned)(pid) << 3) | (which))
#define SL_CPUCLOCK_THREAD(tid, which) SL_CPUCLOCK_PROCESS(tid, (which) | 4)
long sl_sys_timer_create_clock(sl_kernel *k, int caller, int clockid,
			       const struct sl_sigevent *ev);
long sl_sys_timer_settime(sl_kernel *k, int caller, int timerid,
			  const struct sl_itimerspec *nv, struct sl_itimerspec *ov);
long sl_sys_timer_gettime(sl_kernel *k, int caller, int timerid,
			  struct sl_itimerspec *cur);
long sl_sys_timer_getoverrun(sl_kernel *k, int caller, int timerid);
long sl_sys_timer_delete(sl_kernel *k, int caller, int timerid);

/* sigaltstack.  Stacks live in a model address space: the task's own
 * stack pointer is SL_USER_STACK_TOP minus what its frames use. */
#define SL_SS_ONSTACK 1
#define SL_SS_DISABLE 2
#define SL_SS_AUTODISARM (1u << 31)
#define SL_MINSIGSTKSZ 2048
#define SL_USER_STACK_TOP 0x7ffffff00000ull
struct sl_stack {
	uint64_t sp;		/* ss_sp */
	uint32_t flags;		/* ss_flags */
	uint64_t size;		/* ss_size */
};
long sl_sys_sigaltstack(sl_kernel *k, int caller, const struct sl_stack *ss,
			struct sl_stack *oss);

/* signalfd4(-1, mask, 0): returns a new descriptor (per process, from
 * 100; shared by the process's threads, copied by fork to a child, where
 * it names the same file and mask); with fd >= 0 it changes that file's
 * mask.  sl_sys_read_signalfd reads one signal from the reader's own
 * queues: it returns 128 (sizeof signalfd_siginfo) and the siginfo, or
 * blocks while none of the file's signals is pending. */
long sl_sys_signalfd(sl_kernel *k, int caller, int fd, const sl_sigset *mask);
long sl_sys_read_signalfd(sl_kernel *k, int caller, int fd, struct sl_siginfo *info);
/* signalfd4 with its flags: SL_SFD_NONBLOCK (a read that finds nothing
 * is EAGAIN) and SL_SFD_CLOEXEC (execve closes it); any other bit is
 * EINVAL, before anything else.  For an existing fd the flags change
 * nothing (only the mask).  read(2) of `count` bytes: below one record
 * (128 bytes) EINVAL; else as many records as fit and are pending, the
 * first waited for (unless nonblocking), the others not; *info gets the
 * first. */
#define SL_SFD_NONBLOCK 04000
#define SL_SFD_CLOEXEC  02000000
long sl_sys_signalfd4(sl_kernel *k, int caller, int fd, const sl_sigset *mask, unsigned flags);
long sl_sys_read_signalfd_count(sl_kernel *k, int caller, int fd, size_t count,
				struct sl_siginfo *info);
/* signalfd_poll: 1 when the signalfd `fd` of tid's process is readable
 * for tid (a signal of its mask pending for tid or its process), else 0;
 * -SL_EBADF for no such signalfd, -SL_ESRCH for no such live task.  A
 * runtime keeps a real descriptor's readiness with it, and fills a read
 * of several records with one-record reads while it says 1. */
int sl_signalfd_poll(const sl_kernel *k, int tid, int fd);

/* ---- ptrace (kernel/ptrace.c) ------------------------------------------ */

enum {
	SL_PTRACE_TRACEME = 0, SL_PTRACE_CONT = 7, SL_PTRACE_KILL = 8,
	SL_PTRACE_ATTACH = 16, SL_PTRACE_DETACH = 17, SL_PTRACE_SYSCALL = 24,
	SL_PTRACE_SETOPTIONS = 0x4200, SL_PTRACE_GETEVENTMSG = 0x4201,
	SL_PTRACE_GETSIGINFO = 0x4202, SL_PTRACE_SETSIGINFO = 0x4203,
	SL_PTRACE_SEIZE = 0x4206, SL_PTRACE_INTERRUPT = 0x4207,
	SL_PTRACE_LISTEN = 0x4208, SL_PTRACE_PEEKSIGINFO = 0x4209,
	SL_PTRACE_GETSIGMASK = 0x420a, SL_PTRACE_SETSIGMASK = 0x420b
};

/* PTRACE_O_* options (SETOPTIONS, SEIZE's data). */
#define SL_PTRACE_O_TRACESYSGOOD 0x00000001u
#define SL_PTRACE_O_TRACEFORK    0x00000002u
#define SL_PTRACE_O_TRACEVFORK   0x00000004u
#define SL_PTRACE_O_TRACECLONE   0x00000008u
#define SL_PTRACE_O_TRACEEXEC    0x00000010u
#define SL_PTRACE_O_TRACEVFORKDONE 0x00000020u
#define SL_PTRACE_O_TRACEEXIT    0x00000040u
#define SL_PTRACE_O_TRACESECCOMP 0x00000080u
#define SL_PTRACE_O_EXITKILL     0x00100000u
#define SL_PTRACE_O_SUSPEND_SECCOMP 0x00200000u
#define SL_PTRACE_O_MASK (0x000000ffu | SL_PTRACE_O_EXITKILL | SL_PTRACE_O_SUSPEND_SECCOMP)

/* PTRACE_EVENT_* (status >> 16 of a wait, si_code >> 8 of the stop). */
enum {
	SL_PTRACE_EVENT_FORK = 1, SL_PTRACE_EVENT_VFORK = 2,
	SL_PTRACE_EVENT_CLONE = 3, SL_PTRACE_EVENT_EXEC = 4,
	SL_PTRACE_EVENT_VFORK_DONE = 5, SL_PTRACE_EVENT_EXIT = 6,
	SL_PTRACE_EVENT_STOP = 128
};

/* ptrace(request, pid, addr, data) by `caller` (a thread: the tracer is a
 * thread, as in Linux).  GETSIGINFO and SETSIGINFO take a struct
 * sl_siginfo pointer in data, GETEVENTMSG an unsigned long pointer; CONT,
 * SYSCALL and DETACH take the signal to resume with; SEIZE and SETOPTIONS
 * the PTRACE_O_* options.  Returns 0 or -ESRCH (not a tracee of the
 * caller in a ptrace stop), -EPERM, -EIO (bad request or signal),
 * -EINVAL (bad option, no siginfo). */
long sl_sys_ptrace(sl_kernel *k, int caller, long request, int pid,
		   uint64_t addr, uint64_t data);

/* PTRACE_PEEKSIGINFO's arguments (addr points to one; data to an array
 * of nr struct sl_siginfo): the queued siginfo from position off of the
 * tracee's own pending list, or of its process's with
 * SL_PTRACE_PEEKSIGINFO_SHARED, in the order they were queued.  Returns
 * how many were copied.  GETSIGMASK and SETSIGMASK take addr = 8 (the
 * size of a sigset) and data pointing to an sl_sigset. */
struct sl_peeksiginfo_args {
	uint64_t off;
	uint32_t flags;
	int32_t nr;
};
#define SL_PTRACE_PEEKSIGINFO_SHARED 1u

/* System call entry and exit for a traced task (ptrace_report_syscall_
 * entry/exit): with PTRACE_SYSCALL in force the task stops there
 * (SIGTRAP, or SIGTRAP|0x80 with PTRACE_O_TRACESYSGOOD).  Each returns 1
 * when the task stopped — the embedder then performs the call (enter) or
 * returns to user mode (exit) only once the task runs again — and 0 when
 * it goes on at once.  sl_syscall_enter returns -1 when the call must be
 * skipped because a fatal signal came during the stop. */
int sl_syscall_enter(sl_kernel *k, int tid);
int sl_syscall_exit(sl_kernel *k, int tid);

/* ---- resource limits (kernel/sys.c, kernel/time/posix-cpu-timers.c) ----- */

/* Resources (include/uapi/asm-generic/resource.h).  The engine keeps all
 * of them per process (inherited at fork, kept across execve); the ones
 * with signal rules are CPU (SIGXCPU, then SIGKILL), FSIZE (SIGXFSZ),
 * CORE (core dumps) and SIGPENDING (queued siginfo per user). */
enum {
	SL_RLIMIT_CPU = 0, SL_RLIMIT_FSIZE = 1, SL_RLIMIT_DATA = 2, SL_RLIMIT_STACK = 3,
	SL_RLIMIT_CORE = 4, SL_RLIMIT_RSS = 5, SL_RLIMIT_NPROC = 6, SL_RLIMIT_NOFILE = 7,
	SL_RLIMIT_MEMLOCK = 8, SL_RLIMIT_AS = 9, SL_RLIMIT_LOCKS = 10,
	SL_RLIMIT_SIGPENDING = 11, SL_RLIMIT_MSGQUEUE = 12, SL_RLIMIT_NICE = 13,
	SL_RLIMIT_RTPRIO = 14, SL_RLIMIT_RTTIME = 15,
	SL_RLIM_NLIMITS = 16
};
#define SL_RLIM_INFINITY (~(uint64_t)0)

struct sl_rlimit {
	uint64_t cur;		/* the soft limit */
	uint64_t max;		/* the hard limit */
};

/* prlimit64(pid, resource, new, old) (getrlimit and setrlimit are pid 0):
 * 0, -SL_ESRCH (no such pid), -SL_EPERM (another user's process without
 * root, or a hard limit raised without root), -SL_EINVAL (resource out of
 * range, or cur > max).  Either pointer may be NULL. */
long sl_sys_prlimit64(sl_kernel *k, int caller, int pid, unsigned resource,
		      const struct sl_rlimit *new_rlim, struct sl_rlimit *old_rlim);

/* The task runs in user mode for `ns` nanoseconds of CPU time; its
 * process's CPU time grows by as much.  RLIMIT_CPU is checked as the
 * kernel's tick does (check_process_timers): at the soft limit SIGXCPU,
 * and the soft limit moves up a second; at the hard limit SIGKILL.  Stops
 * at the first limit that fires and returns the nanoseconds run until
 * then (== ns when none fired), or -SL_ESRCH.  The clock is the
 * embedder's: it advances it by what was run. */
sl_time sl_cpu_run(sl_kernel *k, int tid, sl_time ns);
/* The CPU time the task's process has used (utime + stime), or -SL_ESRCH. */
sl_time sl_cpu_time(const sl_kernel *k, int tid);
/* The CPU time the thread itself has used, or -SL_ESRCH. */
sl_time sl_cpu_thread_time(const sl_kernel *k, int tid);
/* How much more CPU time the thread can use before something on its
 * clocks fires (a CPU-clock timer of its thread or of its process, whoever
 * made it; RLIMIT_CPU), counting only its own time; -1 when nothing is
 * armed, -SL_ESRCH.  A runtime that reads the real CPU clocks waits at
 * most that long (divided by the threads that run) before the next
 * sl_cpu_run. */
sl_time sl_cpu_timer_next(const sl_kernel *k, int tid);

/* pwrite64 of `count` bytes at `pos` to a regular file: the bytes written
 * (fewer when RLIMIT_FSIZE cuts the write short), -SL_EINVAL for a
 * negative pos, or -SL_EFBIG with SIGXFSZ to the caller when pos is at or
 * past RLIMIT_FSIZE (mm/filemap.c generic_write_check_limits).  Files
 * themselves are not modelled: only the limit. */
long sl_sys_pwrite64(sl_kernel *k, int caller, int64_t pos, uint64_t count);

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#ifdef __cplusplus
}
#endif
#endif
