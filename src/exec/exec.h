/*
 * siglab exec: the runtime that runs an unmodified x86-64 Linux program
 * with every signal matter decided by libsiglab (docs/exec.md).
 *
 * Host code, like src/host/: it talks to the kernel with ptrace and
 * seccomp and depends on nothing of siglab but include/siglab.h.  One
 * tracer thread drives every guest task; a guest runs at native speed
 * until it makes a served system call (a seccomp stop), takes a CPU fault
 * (a signal-delivery-stop) or has a signal the model wants it to act on
 * (PTRACE_INTERRUPT).
 */
#ifndef SIGLAB_EXEC_H
#define SIGLAB_EXEC_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <sys/types.h>
#include <sys/user.h>

#include "siglab.h"

struct exec_options {
	bool trace;		/* --trace: the model's events, per real tid */
	bool json;		/* --json: one JSON object per event */
	bool explain;		/* --explain: the rule behind each event */
	bool virtual_time;	/* --virtual-time */
	bool verbose;		/* --verbose: tracer diagnostics on stderr */
	FILE *out;		/* where the trace goes (stderr) */
};

/* Where a guest task stands, seen from the tracer. */
enum guest_state {
	GUEST_NEW,		/* created by a clone event, not stopped yet */
	GUEST_RUNNING,		/* running on the host (not in a ptrace stop) */
	GUEST_HELD,		/* in a ptrace stop the tracer has not ended */
	GUEST_GONE		/* exited for real */
};

/* Why a held guest is held (what resuming it means). */
enum hold_kind {
	HOLD_SECCOMP,		/* at the seccomp stop of a served call */
	HOLD_INTERRUPT,		/* PTRACE_EVENT_STOP (our interrupt, or the
				 * first stop of a new task) */
	HOLD_SIGNAL,		/* signal-delivery-stop */
	HOLD_EVENT,		/* fork/clone/exec event stop */
	/* Only for a task a guest ptraces (the host resumes it with
	 * PTRACE_SYSCALL, so that its every call stops here): */
	HOLD_SYSENTER,		/* syscall-entry stop */
	HOLD_SYSEXIT		/* syscall-exit stop */
};

/*
 * One guest thread.  Invariant: state == GUEST_HELD iff the real thread is
 * in a ptrace stop the tracer has not resumed; regs are valid (and
 * written back at resume when regs_dirty) only then.
 */
struct guest {
	pid_t tid;		/* real tid */
	pid_t tgid;		/* real tgid */
	int mtid;		/* the model's tid, 0 until mirrored */
	enum guest_state state;
	enum hold_kind hold;
	struct user_regs_struct regs;
	bool regs_valid;
	bool regs_dirty;
	bool interrupted;	/* PTRACE_INTERRUPT sent, stop not seen yet */
	bool in_call;		/* asleep in a model-owned call */
	bool host_call;		/* a host call interrupted for a signal
				 * (sl_syscall_interrupted) */
	long call_nr;		/* its host syscall number */
	uint64_t call_args[6];
	bool ret_ready;		/* SL_EV_SYSCALL_RETURN arrived */
	long ret;
	struct sl_siginfo ret_info;
	int kill_sig;		/* the signal the model killed it with: let
				 * it through at its delivery stop */
	bool model_dead;	/* the model says it died */
	int exit_code;		/* exit_group's code (model) */
	int stop_sig;		/* a signal to resume with (0: none) */
	/* A served wait that reaped a child in the model runs as a host
	 * wait4 of that child, to reap the real zombie too: the registers
	 * to restore at its syscall-exit stop (rax: the model's value). */
	bool exit_fix;
	bool exit_reap;		/* that host call is a reaping wait4 */
	bool exit_restart;	/* which the host restarts */
	struct user_regs_struct exit_regs;
	/* A call the host runs that the model mirrors once it succeeded
	 * (setpgid, setsid): seen again at its syscall-exit stop. */
	bool exit_watch;
	long watch_nr;
	uint64_t watch_args[6];
	/* Host signals from outside the tree that reached this task while
	 * it was held: already handed to the model, dropped at their
	 * delivery stop (bit sig - 1). */
	uint64_t forwarded;
	/* The model stopped it at its syscall entry (a guest tracer's
	 * PTRACE_SYSCALL): sl_syscall_enter is asked again once it runs. */
	bool entry_parked;
	/* The served call its registers say was skipped (orig_rax -1): at
	 * its exit stop a guest tracer sees the call's number, as natively. */
	long served_nr;
	/* The model's SIGTTIN and SIGTTOU bits last written into the real
	 * mask (hostsig.c host_mask_sync), once known. */
	uint64_t host_mask;
	bool host_mask_known;
	/* signalfd4 rewritten into the host's eventfd2: the model's file. */
	int watch_mfd;
	/* Its CPU time (sum_exec_runtime) the model has been given
	 * (cpuclock.c). */
	int64_t cpu_seen;
};

/* A guest forgotten after its exit: its model tid and real tid. */
struct exec_gone {
	int mtid;
	pid_t tid;
};
#define GONE_KEPT 256

struct exec {
	sl_kernel *k;
	struct exec_options opt;
	struct guest **g;	/* owned; stable addresses */
	size_t ng, gcap;
	int init_mtid;		/* the model's init, standing for the world
				 * outside the guest tree (siglab itself) */
	pid_t leader;		/* the first guest's real pid */
	pid_t outer_pgid;	/* siglab's process group, which the first
				 * guest joined: the model's group of it */
	int leader_mtid;
	int leader_status;	/* its wait status, once it exited */
	bool leader_done;
	int64_t t0;		/* CLOCK_MONOTONIC at start, ns */
	size_t xstate_size;	/* bytes of NT_X86_XSTATE */
	uint64_t xfeatures;	/* XCR0's user features */
	bool interrupted_loop;	/* siglab got SIGINT/SIGTERM */
	struct exec_timer *timers; /* each POSIX timer's clock */
	size_t ntimers, timers_cap;
	struct exec_gone gone[GONE_KEPT]; /* pidmap.c remember_gone */
	size_t ngone;
	struct exec_pidfd *pidfds; /* the model's pidfd for a real one */
	size_t npidfds, pidfds_cap;
	struct exec_sigfd *sigfds; /* signalfd.c */
	size_t nsigfds, sigfds_cap;
	unsigned sigfd_files;	/* real signalfd files made so far */
	bool cpu_clocks;	/* a guest made a CPU-clock timer: the tracer
				 * reads CPU clocks (cpuclock.c) */
	/* --virtual-time's quiet period (tracer.c advance_virtual): since
	 * when every guest has been blocked, what the host-blocked ones had
	 * run then, and the loop's event count then. */
	int64_t quiet_since;
	uint64_t quiet_sig;
	uint64_t events, quiet_events;
};

/* A guest's signalfd (signalfd.c): a process's real descriptor (an
 * eventfd) and the model's file behind it. */
struct exec_sigfd {
	pid_t tgid;
	int fd;			/* the guest's descriptor */
	int mfd;		/* the model's signalfd number */
	int ref;		/* siglab's own descriptor of the same file */
	unsigned file;		/* the real file (shared by fork's copies) */
	bool ready;		/* the eventfd's count is 1 */
	bool now;		/* readable for this process (sigfd_refresh) */
};

/* A process's model pidfd for a real target (pid, thread or not). */
struct exec_pidfd {
	pid_t tgid;
	pid_t target;
	bool thread;
	int mfd;
};

/* A POSIX timer's clock: absolute expiries are taken on it. */
struct exec_timer {
	pid_t tgid;
	int id;
	int clock;
};

/* cpuclock.c: the guests' CPU time for the model's CPU-clock timers. */
int64_t cpu_thread_ns(pid_t tid);
int64_t cpu_clock_ns(struct guest *g, int clock);
bool cpu_clock_id(int clock);
/* Every guest thread's CPU time since the last reading goes to the
 * model (sl_cpu_run), once a CPU-clock timer exists. */
void cpu_sync(struct exec *x);
/* How long the loop may wait before a CPU-clock timer can be due, or -1. */
sl_time cpu_timeout(struct exec *x);

/* launch.c */
pid_t exec_launch(char **argv, int *err);

/* seccomp.c: the filter the child installs before execve. */
int exec_install_filter(void);
/* Whether the filter traps system call nr (for tests and docs). */
bool exec_is_served(long nr);

/* guest_mem.c: the one place that reads and writes guest memory.  0 or
 * -SL_EFAULT. */
int guest_read(pid_t tid, uint64_t addr, void *buf, size_t n);
int guest_write(pid_t tid, uint64_t addr, const void *buf, size_t n);
int guest_write2(pid_t tid, uint64_t a1, const void *b1, size_t n1, uint64_t a2,
		 const void *b2, size_t n2);

/* pidmap.c */
struct guest *guest_add(struct exec *x, pid_t tid, pid_t tgid, int mtid);
struct guest *guest_by_tid(struct exec *x, pid_t tid);
struct guest *guest_by_mtid(struct exec *x, int mtid);
/* A guest task now, or one forgotten after its exit (remember_gone). */
bool guest_was(struct exec *x, pid_t tid);
/* A pid argument of the guest in the model's numbering: pid > 0 names a
 * guest task, or nobody (a number the model has not given out). */
int pid_to_model(struct exec *x, long pid);
/* A model tid as the guest sees it: the real tid; siglab's pid for the
 * model's init; 0 for unknown. */
pid_t pid_to_real(struct exec *x, int mtid);
int pgid_to_model(struct exec *x, long pgid);
void guest_forget(struct exec *x, struct guest *g);

/* xlat.c: the guest ABI (include/uapi) and the engine's values. */
#define GUEST_SIGINFO_SIZE 128
/* siginfo_layout: the union member of a (signo, code) pair. */
enum siginfo_kind { SIGINFO_KILL, SIGINFO_RT, SIGINFO_TIMER, SIGINFO_FAULT, SIGINFO_CHLD,
		    SIGINFO_POLL };
enum siginfo_kind siginfo_kind(int sig, int code);
void siginfo_to_guest(struct exec *x, const struct sl_siginfo *in,
		      unsigned char out[GUEST_SIGINFO_SIZE]);
void siginfo_from_guest(const unsigned char in[GUEST_SIGINFO_SIZE],
			struct sl_siginfo *out);
sl_time timespec_ns(int64_t sec, int64_t nsec);

/* frame.c */
size_t frame_rt_size(void);
/* Builds the handler frame for ks on the guest's stack and points its
 * registers at the handler.  0, or -1 when the frame cannot be written
 * (the caller then forces SIGSEGV). */
int frame_setup(struct exec *x, struct guest *g, const struct sl_ksignal *ks);
/* rt_sigreturn: reads the frame at rsp - 8 back, restores registers,
 * FPU state and, through the engine, the mask and alternate stack. */
long frame_sigreturn(struct exec *x, struct guest *g);
void exec_probe_xstate(struct exec *x);

/* syscalls.c: serves the call g is stopped at.  Returns 1 when the call
 * is answered (regs hold the result), 0 when the host is to run it, and
 * 2 when the task sleeps in a model-owned call. */
int syscall_serve(struct exec *x, struct guest *g);
/* The result of a model-owned call that returned later (ret_ready). */
void syscall_finish(struct exec *x, struct guest *g);
const char *syscall_name(long nr);
/* The syscall-exit stop of a watched host call: the model follows. */
void syscall_watched(struct exec *x, struct guest *g);

/* signalfd.c: a guest's signalfds, the model's files behind real
 * descriptors.  The adapters return SIGFD_RUN_HOST (the host runs the
 * call), SIGFD_RUN_REWRITTEN (the host runs the rewritten call, and
 * sigfd_created follows at its exit), or the call's value. */
#define SIGFD_RUN_HOST LONG_MIN
#define SIGFD_RUN_REWRITTEN (LONG_MIN + 1)
long sigfd_signalfd4(struct exec *x, struct guest *g, const uint64_t *a, unsigned flags);
void sigfd_created(struct exec *x, struct guest *g);
long sigfd_read(struct exec *x, struct guest *g, const uint64_t *a);
long sigfd_read_finish(struct exec *x, struct guest *g, const uint64_t *a, long r);
void sigfd_fork(struct exec *x, pid_t parent, pid_t child);
void sigfd_refresh(struct exec *x);
void sigfd_free(struct exec *x);

/* ptrace.c: a guest's own ptrace, served by the model's; the tracee's
 * registers and memory are the real ones, held by siglab. */
long guest_ptrace(struct exec *x, struct guest *g, const uint64_t *a);
/* Whether the model has a tracer for g (a guest's ptrace). */
bool guest_traced(struct exec *x, const struct guest *g);

/* tracer.c */
int exec_run(struct exec *x, char **argv);
void exec_free(struct exec *x);
void guest_set_ret(struct guest *g, long ret);

/* hostsig.c: signals the host kernel raises by itself for a guest.
 * Where a host signal comes from: a CPU fault, the host kernel for the
 * guest (its terminal, pipes, files, CPU limits: the model is to send
 * it), a process outside the guest tree, or something the model sends
 * itself (SIGCHLD, an exit signal: dropped). */
enum host_origin { HOST_FAULT, HOST_KERNEL, HOST_OUTSIDE, HOST_DROP };
enum host_origin host_signal_origin(struct exec *x, int sig, const siginfo_t *si);
/* A HOST_KERNEL signal, generated in the model with the host's siginfo;
 * shared: 1 from the host's shared queue, 0 its thread's, -1 unknown. */
void host_kernel_signal(struct exec *x, struct guest *g, int sig, const siginfo_t *si,
			int shared);
/* Before g runs: the real mask's SIGTTIN/SIGTTOU bits are the model's. */
void host_mask_sync(struct exec *x, struct guest *g);

/* trace.c: the event sink */
void exec_event(void *ud, const struct sl_event *ev);

#endif
