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
	SL_SIGRTMIN = 32,	/* the kernel's; glibc reserves 32 and 33 */
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
	SL_CLD_TRAPPED = 4, SL_CLD_STOPPED = 5, SL_CLD_CONTINUED = 6
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
};

/* ---- errno values ------------------------------------------------------- */

enum {
	SL_EPERM = 1, SL_ESRCH = 3, SL_EINTR = 4, SL_EBADF = 9,
	SL_ECHILD = 10, SL_EAGAIN = 11, SL_ENOMEM = 12, SL_EFAULT = 14,
	SL_EINVAL = 22,
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
};

/* The default RLIMIT_SIGPENDING the engine uses when the config says 0. */
#define SL_DEFAULT_RLIMIT_SIGPENDING 1024u

int sl_kernel_new(const struct sl_config *cfg, sl_kernel **out);
void sl_kernel_free(sl_kernel *k);

/* Checks every internal invariant (pending bits match queue contents,
 * SIGKILL/SIGSTOP never blocked or caught, per-user counts match the
 * queues, ...).  Returns 0, or -1 and a static description in *what. */
int sl_check(const sl_kernel *k, const char **what);

/* ---- tasks -------------------------------------------------------------- */

enum sl_spawn_kind {
	SL_SPAWN_PROCESS,	/* a user process */
	SL_SPAWN_INIT,		/* the global init: pid 1, SIGNAL_UNKILLABLE */
	SL_SPAWN_NS_INIT,	/* init of a new pid namespace (CLONE_NEWPID) */
	SL_SPAWN_KTHREAD	/* a kernel thread (PF_KTHREAD, kthreadd's child) */
};

/* A new task lives in its parent's pid namespace; an SL_SPAWN_NS_INIT
 * task creates a new namespace, child of its parent's, and the processes
 * spawned with it as parent live in that namespace.  Sessions are plain
 * numbers here: processes with the same sid are in one session. */
struct sl_spawn {
	enum sl_spawn_kind kind;
	int parent;		/* parent tid; 0: a child of the global init */
	uint32_t uid;		/* real and effective uid */
	int pgid;		/* 0: a new process group led by the new task;
				 * else an existing group to join */
	int sid;		/* 0: the parent's session (1 without parent) */
};

/* Creates a process (or kernel thread) with default dispositions, an empty
 * mask and nothing pending.  Returns the new tid (> 0) or a negative errno. */
int sl_spawn(sl_kernel *k, const struct sl_spawn *how);

/* clone(CLONE_VM|CLONE_THREAD|CLONE_SIGHAND) by `caller`: a new thread of
 * the caller's group, inheriting its mask.  Returns the new tid. */
int sl_sys_clone_thread(sl_kernel *k, int caller);

/* fork(): a new process, child of the caller's group, inheriting handlers
 * and mask, with empty pending sets.  Returns the child's tid. */
int sl_sys_fork(sl_kernel *k, int caller);

enum sl_task_state {
	SL_TASK_RUNNING,	/* in user mode, or about to return to it */
	SL_TASK_SLEEPING,	/* blocked in a syscall */
	SL_TASK_STOPPED,	/* group stop */
	SL_TASK_ZOMBIE,		/* exited, not reaped */
	SL_TASK_DEAD		/* exited and reaped (or a dead thread) */
};

enum sl_exit_kind { SL_EXIT_NONE, SL_EXIT_CODE, SL_EXIT_SIGNAL, SL_EXIT_OOPS };

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
};

int sl_task_info(const sl_kernel *k, int tid, struct sl_task_info *out);
bool sl_task_exists(const sl_kernel *k, int tid);

/* True when the task has a signal it would act on at its next return to
 * user mode (TIF_SIGPENDING after recalc_sigpending, or a group exit or
 * stop to take part in). */
bool sl_task_has_work(const sl_kernel *k, int tid);

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
};

/* Return to user mode (arch_do_signal_or_restart): runs get_signal, takes
 * every default action, and sets up at most one handler frame. */
enum sl_delivery sl_return_to_user(sl_kernel *k, int tid, struct sl_ksignal *out);

/* rt_sigreturn: pops the innermost frame and restores its mask. */
long sl_sys_rt_sigreturn(sl_kernel *k, int caller);

/* Leaving the innermost handler without sigreturn: longjmp keeps the
 * handler's mask, siglongjmp (savemask) restores the mask saved before the
 * frame. */
int sl_user_longjmp(sl_kernel *k, int caller, bool restore_mask);

/* ---- exit --------------------------------------------------------------- */

long sl_sys_exit(sl_kernel *k, int caller, int code);
long sl_sys_exit_group(sl_kernel *k, int caller, int code);

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
	SL_EV_NOTE		/* a decision with no tracepoint; see rule */
};

struct sl_event {
	enum sl_event_kind kind;
	int tid;		/* whose context: sender (generate) or receiver */
	int target;		/* generate: the target tid */
	int sig;
	int result;		/* generate: enum sl_trace_result */
	bool group;		/* generate: process-directed (grp=1) */
	struct sl_siginfo info;	/* generate/deliver/handler: the siginfo */
	struct sl_sigaction ka;	/* deliver/handler: the action */
	int code;		/* exit: exit code or signal */
	enum sl_exit_kind exit_kind;
	bool core_dumped;
	/* The kernel rule behind the event, as a sentence naming the kernel
	 * function it models; NULL when there is nothing to explain. */
	const char *rule;
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
/* The number of a signal name ("SIGUSR1", "USR1", "SIGRTMIN+2") on x86,
 * or 0.  SIGRTMIN means glibc's (34). */
int sl_signal_from_name(const char *name);
/* The name of a signal on x86 ("SIGRTMIN+2" for 36); a static string. */
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

#ifdef __cplusplus
}
#endif
#endif
