/*
 * Internals of the host runner shared by its files:
 *   xlat.c     host <-> engine constants, names of si_codes, raw syscalls
 *   agent.c    the agent each scenario task runs, its signal handlers
 *   agent_*.c  the agent's statements by concept, and its exec
 *   procfs.c   /proc readers (task state, masks, exit codes)
 *   tracefs.c  the private trace instance
 *   host*.c    the controller (host/controller.h): spawning, steps,
 *              quiescence, rendering, cleanup
 */
#ifndef SIGLAB_HOST_INTERNAL_H
#define SIGLAB_HOST_INTERNAL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "host/host.h"
#include "scenario/ast.h"

/* Handlers the host can install: each scenario handler gets two real
 * functions (one for SA_SIGINFO, one without), so that the address the
 * kernel shows in signal_deliver names the handler and the flags the
 * scenario asked for. */
#define HOST_MAX_HANDLERS 32
/* Deepest handler nesting an agent follows. */
#define HOST_MAX_DEPTH 48
#define HOST_MAX_TASKS 64

/* ---- agent -> controller reports ---------------------------------------- */

enum rep_kind {
	REP_HELLO,		/* a task is ready: its pids */
	REP_BEGIN,		/* a statement starts (stmt) */
	REP_END,		/* the statement of `ref` returned `result` */
	REP_HANDLER,		/* a handler was entered */
	REP_SIGRETURN,		/* a handler returns */
	REP_LONGJMP,		/* a handler is left by longjmp */
	REP_SIGLONGJMP,		/* a handler is left by siglongjmp */
	REP_DONE,		/* a controller command is finished */
	REP_REAPED,		/* the pid-namespace init reaped an orphan */
	REP_FAIL		/* an agent could not do what it was told */
};

/*
 * One report: fixed size, far below PIPE_BUF, so each write(2) to the shared
 * report pipe is atomic whichever task, thread or handler writes it.
 * Statement pointers are valid in the controller: every agent is a fork of
 * it and the scenario is never freed while agents live.
 */
struct report {
	int32_t kind;		/* enum rep_kind */
	int32_t task;		/* scenario task index, -1 for the helper */
	int32_t seq;		/* per-task sequence number */
	int32_t ref;		/* REP_END: seq of its REP_BEGIN */
	int32_t depth;		/* handler frames the task is in */
	int32_t step;		/* the step the task's command belongs to */
	int64_t result;		/* REP_END: return value or -errno */
	uint64_t ts;		/* CLOCK_MONOTONIC, ns */
	const struct sc_stmt *stmt; /* REP_BEGIN */
	int32_t handler;	/* REP_HANDLER: handler index */
	int32_t sig;		/* REP_HANDLER */
	int32_t code;		/* REP_HANDLER: si_code */
	int32_t pid;		/* REP_HANDLER: si_pid (agent's namespace) */
	uint64_t value;		/* REP_HANDLER: si_value */
	uint32_t info_uid;	/* REP_HANDLER, REP_END (a siginfo): si_uid */
	int32_t info_status;	/* ... si_status */
	int32_t info_timerid;	/* ... si_timerid */
	int64_t info_band;	/* ... si_band (an I/O signal's) */
	int32_t info_fd;	/* ... si_fd, as SC_PIPE_FD numbers a pipe end */
	uint64_t info_addr;	/* REP_HANDLER: si_addr of a SIGSEGV */
	int32_t ns_pid, ns_tid;	/* REP_HELLO, REP_REAPED (ns_pid) */
	int32_t g_pid, g_tid;	/* REP_HELLO: pids in the controller's view */
	int32_t status;		/* REP_REAPED: wait status */
	int32_t err;		/* REP_FAIL: errno */
	int32_t in_pid, in_tid;	/* REP_HELLO: pids in the task's own nested
				 * namespace (an nsinit's), 0 when none */
	/* REP_END: what a call returned beside its value.  sigtimedwait's and a signalfd read's siginfo go in sig,
	 * code, pid, value and overrun; nanosleep's time left, getitimer's
	 * value and interval (scenario ns), sigaltstack's size and flags in
	 * t_value, t_interval and overrun. */
	int64_t t_value, t_interval;
	int32_t overrun;
	/* REP_BEGIN: the statement's number in the scenario (host_stmt_id);
	 * the controller turns it into `stmt`, its own pointer (an exec'd
	 * agent's scenario is a copy parsed again, at other addresses). */
	int32_t stmt_id;
	/* REP_HELLO: where agent_handler_index is in the task's image, so
	 * that the controller can name the handler addresses of an exec'd
	 * image (another load address). */
	uint64_t img;
	/* REP_END of a ptrace PEEKSIGINFO: the siginfo it read (result of
	 * them; si_pid in the agent's namespace). */
	struct report_peek {
		int32_t sig, code, pid, pad;
		uint64_t value;
	} peek[SC_MAX_PEEK];
};

/* ---- controller -> agent commands --------------------------------------- */

enum cmd_kind {
	CMD_STEP,		/* run step `arg` */
	CMD_THREAD,		/* create the thread of task `arg` */
	CMD_FORK,		/* fork the process of task `arg` */
	CMD_TABLE,		/* the pid table follows: 2 * ntasks int32 */
	CMD_CREDS,		/* take the task's own credentials (per thread) */
	CMD_FORK_NEWPID		/* fork task `arg` as the init of a new pid namespace */
};

/* Scenario uid N runs as host uid base + N, so that the per-user counts
 * (RLIMIT_SIGPENDING) are the scenario's alone; uid 0 keeps CAP_KILL and
 * nothing else, which is all "root" means to signals.  Each run takes
 * its own block of HOST_UID_SPAN uids from HOST_UID_BASE (one of
 * HOST_UID_RUNS, chosen by the controller's pid), so that runs on the
 * same machine at the same time do not share those counts either. */
#define HOST_UID_BASE 3000000000u
#define HOST_UID_SPAN 65536u
#define HOST_UID_RUNS 16384u

struct command {
	int32_t kind;
	int32_t arg;
	int32_t pgid;		/* CMD_FORK: the process group to join, or 0 */
};

/* What an agent process needs, set before the first fork and inherited. */
struct agent_env {
	const struct scenario *s;
	int report_fd;		/* write end of the report pipe */
	int marker_fd;		/* trace_marker of the instance, or -1 */
	int *cmd_rd;		/* read end of each task's command pipe */
	int *cmd_wr;		/* write end (closed in agents) */
	int32_t *ns_pid;	/* per task: tgid in the scenario's namespace */
	int32_t *ns_tid;	/* per task: tid in the scenario's namespace */
	bool use_marker;
	int lifeline_rd;	/* the helper's end: EOF when the controller is gone */
	int lifeline_wr;	/* the controller's end (closed in every agent) */
	/* Nested pid namespaces: per task, the nsinit whose
	 * namespace it lives in (-1: the scenario's), and its pids there. */
	int32_t *ns_of;
	int32_t *in_pid;
	int32_t *in_tid;
	/* The scenario's pipes and clock (host/timing.h). */
	struct host_time *time;
	/* execve: the memfd behind the five pid tables above (one
	 * after the other, ntasks + 1 entries each), and the program an agent
	 * execs to stay an agent (the controller's own, opened O_PATH). */
	int shared_fd;
	int exe_fd;
	uint32_t uid_base;	/* the host uid of scenario uid 0 in this run */
	/* The run's private directory (host_limits.c): the agents' working
	 * directory, with the scenario's regular file; "" without one. */
	char dir[64];
};

/* host_rlimit_skip: why the host cannot run a scenario whose root task
 * needs CAP_SYS_RESOURCE (host_limits.c), or NULL.
 * The run's private directory (host_limits.c).  host_core_dumps: the
 * scenario states dumpability or RLIMIT_CORE, so its agents are made
 * dumpable and may write core files; host_core_skip says why the host
 * cannot run such a scenario (a core_pattern that does not write a plain
 * file in the working directory), or NULL. */
bool host_core_dumps(const struct scenario *s);
const char *host_core_skip(const struct scenario *s, char *buf, size_t n);
const char *host_rlimit_skip(const struct scenario *s, char *buf, size_t n);
int host_dir_make(char *dir, size_t n);
void host_dir_remove(const char *dir);
#define HOST_FILE_NAME "file"

/* The statements of a scenario numbered in a fixed order (each step's,
 * with repeat bodies, then each handler's), the same in every parse of
 * the same text: -1 / NULL when out of range. */
int host_stmt_id(const struct scenario *s, const struct sc_stmt *st);
const struct sc_stmt *host_stmt_at(const struct scenario *s, int id);
/* The five pid tables of agent_env in the memfd shared_fd, for `ntasks`
 * tasks: 0 or -errno. */
int host_map_tables(struct agent_env *e, int fd, size_t ntasks);
size_t host_tables_size(size_t ntasks);

/* execve (agent_exec.c): the agent of `task`, in its step `step`, whose
 * BEGIN of the execve had sequence number `begin`, execs the agent
 * program, which becomes that same agent again (agent_resume) with every
 * descriptor and the counters it needs; returns -errno when execve
 * fails. */
long agent_execve(const struct agent_env *e, int task, int seq, int step, int begin);
/* The new image goes on as the agent of `task`: reports its HELLO, the
 * execve's END (= 0) and the end of the step, then waits for commands. */
void agent_resume(const struct agent_env *e, int task, int seq, int step, int begin)
	__attribute__((noreturn));

/* The nsinit whose namespace task `i` lives in, or -1 (the scenario's own
 * namespace), from the declarations and fork steps. */
int host_ns_of(const struct scenario *s, int i);

/* Becomes task `task` in a fresh child of the controller (or of another
 * agent): never returns. */
void agent_main(const struct agent_env *env, int task) __attribute__((noreturn));
/* The pid-namespace init the host puts above the scenario: reaps orphans
 * and reports them; never returns. */
void helper_main(const struct agent_env *env) __attribute__((noreturn));
/* The handler index of a real handler address, or -1; *info tells whether
 * it is the SA_SIGINFO variant. */
int agent_handler_index(uint64_t addr, bool *info);
/* Sends a report; returns its sequence number.  With `mark` and a trace
 * instance, a marker goes into the trace first. */
int agent_report(struct report *r, bool mark);
/* A siginfo's si_uid, si_status, si_overrun and si_timerid into a report,
 * where its layout carries them (agent.c). */
void agent_take_siginfo(struct report *r, const siginfo_t *si);
uint32_t agent_scenario_uid(uint32_t uid);
/* The host uid of scenario uid `uid` in this run. */
uint32_t agent_host_uid(uint32_t uid);
/* The scenario's number of a descriptor (SC_PIPE_FD for a pipe end). */
int32_t agent_scenario_fd(const struct host_time *tm, int fd);

/* Task `task`'s pid (tid) as this agent's namespace numbers it; a task it
 * cannot see, or not forked yet, is SC_NOBODY_PID. */
int32_t agent_seen_pid(int task, bool tid);
/* A pid this agent got back, as the scenario's namespace numbers it. */
int32_t agent_scenario_pid(int32_t pid);
/* The pid a statement's target names, as this agent sees pids; for the
 * first target of tgkill and the process calls, a task's tgid. */
int32_t agent_target_pid(const struct sc_target *t);
int32_t agent_target_tgid(const struct sc_target *t);
/* This thread becomes the agent of `task` (a forked child, or a thread a
 * clone step made): it says HELLO, then "ready" on sync_fd (-1: none),
 * then serves commands. */
void agent_start(int task, int sync_fd) __attribute__((noreturn));

/* ---- the agent's statements ---------------------------------------------- */

/* The real call of each statement, the AGENT column of
 * scenario/stmt_table.def: the value or -errno, and in *end what came with
 * it (a siginfo, a wait status, a time).  All async-signal-safe: they run
 * in handlers too.  By concept: */
/* the signal statements (agent_signal.c), */
int64_t agent_op_sigaction(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_signal(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_sigprocmask(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_sgetmask(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_ssetmask(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_sigpending(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_kill(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_tkill(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_tgkill(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_sigqueue(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_tgsigqueue(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_pidfd_send(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_raise(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_fault(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_exit(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_exit_group(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_sigaltstack(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
/* the process statements (agent_process.c), */
int64_t agent_op_fork(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_wait4(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_waitid(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_setpgid(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_getpgid(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_getsid(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_setsid(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_getppid(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_prctl(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_poll(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
/* agent_cred.c */
int64_t agent_op_setuid(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_setreuid(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_setresuid(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_getresuid(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_ptrace(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
/* those that sleep (agent_sleep.c), */
int64_t agent_op_pause(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_sigsuspend(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_sigtimedwait(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_nanosleep(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
/* the timers (agent_timer.c), */
int64_t agent_op_alarm(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_setitimer(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_getitimer(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_timer_create(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_timer_settime(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_timer_getoverrun(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_timer_delete(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
/* resource limits, the regular file and spin (agent_rlimit.c), */
int64_t agent_op_getrlimit(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_setrlimit(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_prlimit(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_pwrite(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_spin(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
/* pipes and the signalfd (agent_fd.c). */
int64_t agent_op_read(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_write(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
/* the terminal's statements (agent_tty.c) */
int64_t agent_op_tty_open(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_tty_ioctl(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_tty_read(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_tty_write(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_signalfd(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_close(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
int64_t agent_op_fcntl(const struct agent_env *e, const struct sc_stmt *st,
		struct report *end);
/* The descriptor of a pipe end this process holds, or -1 (closed). */
int agent_pipe_fd(const struct host_time *tm, int pipe, int end);
/* A write that will fail with EPIPE (no reader left: poll says POLLERR),
 * told before it runs, for the case where its SIGPIPE kills the writer
 * before it returns. */
int64_t agent_write_foresee(const struct agent_env *e, const struct sc_stmt *st);
/* The handler value of scenario handler h (SC_HANDLER_DFL, _IGN, or an
 * index) as the agent installs it, and an old handler as a scenario
 * result: SIG_DFL, SIG_IGN or SC_HANDLER_VALUE(index) (agent.c). */
uint64_t agent_handler_value(int h, uint64_t flags);
int64_t agent_handler_result(uint64_t addr);
/* CAP_SYS_ADMIN effective or not (a root task keeps it permitted only);
 * 0 or -errno (agent_process.c). */
long agent_admin_effective(bool on);

/* ---- xlat.c ------------------------------------------------------------- */

/* Restores every disposition to SIG_DFL, empties the mask, and drops the
 * alternate stack: the state of a fresh task in the model. */
void xlat_reset_signals(void);
/* Raw syscalls, returning the value or -errno as the kernel does. */
long xlat_rt_sigaction(int sig, uint64_t handler, uint64_t flags, uint64_t mask,
		       uint64_t *old_handler, uint64_t *old_flags);
/* rt_sigaction with a NULL act when !set, and with old (handler, flags,
 * mask) filled when not NULL. */
long xlat_rt_sigaction_old(int sig, bool set, uint64_t handler, uint64_t flags, uint64_t mask,
			   uint64_t old[3]);
/* ... with the SC_PTR_ACT / SC_PTR_OACT of `bad` passed as SC_BAD_ADDR,
 * and sigsetsize `setsize`. */
long xlat_rt_sigaction_bad(int sig, bool set, uint64_t handler, uint64_t flags, uint64_t mask,
			   uint64_t old[3], unsigned bad, unsigned long setsize);
long xlat_rt_sigprocmask(int how, const uint64_t *set, uint64_t *old);
/* The address a statement passes for one of its pointers: SC_BAD_ADDR
 * when `bad=` names it (agent_signal.c). */
long agent_uptr(const struct sc_stmt *st, unsigned ptr, const void *good);
long xlat_syscall(long nr, long a1, long a2, long a3, long a4);
/* ... with six arguments (ppoll, pselect6, epoll_pwait). */
long xlat_syscall6(long nr, long a1, long a2, long a3, long a4, long a5, long a6);
/* The name of si_code `code` for signal `sig` ("FPE_INTDIV", "SI_USER"),
 * or NULL. */
const char *xlat_code_name(int sig, int code);
/* Whether the host can raise the synchronous fault (sig, code) for real;
 * code < 0x10000 means "any natural code" when has_code is false. */
bool xlat_fault_supported(int sig, int code, bool has_code);
/* Raises the fault; returns only when a handler returned (the instruction
 * is then skipped). */
void xlat_raise_fault(int sig, int code, bool has_code, uintptr_t addr);
bool xlat_sig_is_stop(int sig);
/* ptrace(request, pid, 0, data) with the engine's request and option
 * numbers; GETSIGINFO's siginfo goes to *info.  Returns 0 or -errno. */
long xlat_ptrace(long request, int pid, uint64_t data, struct sl_siginfo *info);
/* A read-only page (SEGV_ACCERR), mapped by the controller before it forks. */
extern volatile int *xlat_readonly_page;
uint64_t xlat_now_ns(void);

/* ---- procfs.c ----------------------------------------------------------- */

struct proc_thread {
	bool gone;		/* no such task any more (reaped) */
	char state;		/* R S D T t Z X ... */
	long syscall_nr;	/* -1: not in a syscall; -2: running/unknown */
	long arg0;		/* first syscall argument */
	uint64_t sigpnd, shdpnd, sigblk, sigign, sigcgt;
	int exit_code;		/* stat field 52 (wait status), for zombies */
	int ppid;		/* stat field 4, in the reader's namespace */
	int num_threads;	/* stat field 20 */
};

/* Reads /proc/PID/task/TID/{stat,syscall,status}; a task that vanishes
 * midway reads as gone.  Returns 0 or -1 (unexpected format). */
int proc_read_thread(pid_t pid, pid_t tid, struct proc_thread *out);
/* Whether /proc/PID still names a live or zombie process. */
bool proc_exists(pid_t pid);
/* The wait status of a reaped process, from a pidfd opened before its
 * exit (PIDFD_GET_INFO); false when unknown. */
bool proc_pidfd_exit_status(int pidfd, int *status);

/* ---- tracefs.c ---------------------------------------------------------- */

struct tracefs {
	char root[128];		/* /sys/kernel/tracing */
	char dir[192];		/* root/instances/siglab-PID */
	bool mounted;		/* we mounted root and must unmount it */
	bool made;		/* dir exists and must be removed */
	int pipe_fd;		/* trace_pipe, non-blocking */
	int marker_fd;		/* trace_marker */
	char *buf;		/* partial-line buffer */
	size_t len, cap;
};

/* Sets up the private instance; returns 0, or -1 with a reason in why. */
int tracefs_open(struct tracefs *t, char *why, size_t n);
/* Filters the events on the scenario's global tids and enables them. */
int tracefs_start(struct tracefs *t, const int32_t *tids, size_t n);
/* Enables the signal events and sched_process_fork for every task. */
int tracefs_start_tree(struct tracefs *t);
/* Disables the events. */
void tracefs_stop(struct tracefs *t);
/* Reads what is available, at most `max` bytes; calls fn for each
 * complete line.  True when there may be more. */
bool tracefs_drain(struct tracefs *t, size_t max, void (*fn)(void *ud, const char *line),
		   void *ud);
/* Removes the instance and unmounts what we mounted.  Idempotent and safe
 * from a signal handler's point of view (called by the controller only). */
void tracefs_close(struct tracefs *t);

/* A parsed trace line. */
enum tev_kind { TEV_GENERATE, TEV_DELIVER, TEV_EXIT, TEV_STOP, TEV_MARK, TEV_OTHER };
struct tev {
	enum tev_kind kind;
	int common_pid;
	int sig, err, code;
	int pid, grp, res;	/* generate */
	uint64_t handler, flags; /* deliver */
	int mark_task, mark_seq; /* marker */
};
int tracefs_parse(const char *line, struct tev *ev);

#endif
