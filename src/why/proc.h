/*
 * A live process's signal state as /proc shows it, for `siglab why` and
 * `siglab ps`: the status and stat files of the process and of each of its
 * threads, and where a sleeping thread waits (wchan, syscall).  Read-only:
 * nothing here ever sends a signal.
 *
 * Every reader takes the root of a proc file system ("/proc", or a
 * directory of canned files in the tests).  A process can vanish between
 * any two reads; the readers then answer PROC_GONE rather than fail, and
 * content that is cut short or garbled gives PROC_BAD, never a crash.
 */
#ifndef SIGLAB_WHY_PROC_H
#define SIGLAB_WHY_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum proc_err {
	PROC_OK = 0,
	PROC_GONE = -1,		/* ENOENT, ESRCH: no such process (any more) */
	PROC_DENIED = -2,	/* EACCES, EPERM */
	PROC_BAD = -3,		/* malformed or truncated content */
	PROC_NOMEM = -4,
	PROC_IO = -5		/* any other read error */
};

/* A short description of a PROC_* value ("permission denied"). */
const char *proc_strerror(int err);

#define PROC_COMM_MAX 64
#define PROC_NS_MAX 32
#define PROC_WCHAN_MAX 64
#define PROC_STACK_MAX 256
#define PROC_CHILDREN_MAX 16

/* PF_KTHREAD in the flags field of /proc/PID/stat (include/linux/sched.h). */
#define PROC_PF_KTHREAD 0x00200000ul

/* Fields of /proc/PID/status that were present and well formed. */
#define PS_NAME     0x00001u
#define PS_STATE    0x00002u
#define PS_TGID     0x00004u
#define PS_PID      0x00008u
#define PS_PPID     0x00010u
#define PS_TRACER   0x00020u
#define PS_UID      0x00040u
#define PS_NSPID    0x00080u
#define PS_THREADS  0x00100u
#define PS_SIGPND   0x00200u
#define PS_SHDPND   0x00400u
#define PS_SIGBLK   0x00800u
#define PS_SIGIGN   0x01000u
#define PS_SIGCGT   0x02000u
#define PS_KTHREAD  0x04000u
#define PS_NSSID    0x08000u

/* The masks a diagnosis cannot do without. */
#define PS_SIGNAL_FIELDS (PS_STATE | PS_SIGPND | PS_SHDPND | PS_SIGBLK | PS_SIGIGN | PS_SIGCGT)

/* /proc/PID/status (fs/proc/array.c proc_pid_status).  Masks are bit
 * (sig - 1) for signal sig, as sl_sigset. */
struct proc_status {
	unsigned have;		/* PS_* */
	char name[PROC_COMM_MAX];
	char state;		/* R S D T t X Z P I, or 0 */
	int tgid, pid, ppid;
	int tracer_pid;		/* 0: not traced */
	uint32_t uid[4];	/* real, effective, saved, filesystem */
	int nspid[PROC_NS_MAX];	/* the pid in each namespace, outermost first */
	int nspid_count;
	int nssid;		/* the session in the innermost namespace */
	int threads;
	int kthread;		/* the Kthread: line (Linux 6.x), -1 when absent */
	uint64_t sigpnd;	/* this thread's private pending set */
	uint64_t shdpnd;	/* the process's shared pending set */
	uint64_t sigblk, sigign, sigcgt;
};

/* /proc/PID/stat (fs/proc/array.c do_task_stat): the fields a signal
 * diagnosis needs. */
struct proc_stat {
	int pid;
	char comm[PROC_COMM_MAX];
	char state;
	int ppid, pgrp, session, tty_nr, tpgid;
	unsigned long flags;	/* PF_* */
	int exit_signal;	/* field 38; -1 when the line stops before it */
	int nfields;		/* how many fields were read */
};

/* Parse one file's text (NUL-terminated).  PROC_OK when the fields that
 * matter were there: for status, State and the five signal masks; for
 * stat, everything up to the flags field.  Otherwise PROC_BAD, with what
 * could be read still filled in. */
int proc_parse_status(const char *text, struct proc_status *out);
int proc_parse_stat(const char *text, struct proc_stat *out);

/* The system call a thread is in, from /proc/PID/syscall. */
enum { PROC_SYSCALL_UNKNOWN = -3, PROC_SYSCALL_RUNNING = -2, PROC_SYSCALL_NONE = -1 };

/* Parses "NR args... sp pc", "-1 sp pc" or "running": the syscall number,
 * or one of the PROC_SYSCALL_* values. */
long proc_parse_syscall(const char *text);
/* The function names of a /proc/PID/stack text, innermost first,
 * separated by ' ', into out (cut at a whole name). */
void proc_parse_stack(const char *text, char *out, size_t cap);
/* The name of a syscall number on this machine, or NULL. */
const char *proc_syscall_name(long nr);

/* What kind of sleep a thread is in (wait.c).  /proc shows TASK_KILLABLE
 * and TASK_UNINTERRUPTIBLE both as D. */
enum proc_wait_kind {
	PROC_WAIT_UNKNOWN,		/* not known from wchan, stack and syscall */
	PROC_WAIT_KILLABLE,		/* TASK_KILLABLE: a fatal signal ends it */
	PROC_WAIT_UNINTERRUPTIBLE,	/* TASK_UNINTERRUPTIBLE: no signal ends it */
	PROC_WAIT_INTERRUPTIBLE,	/* S, TASK_INTERRUPTIBLE: any signal that is
					 * not blocked or ignored wakes it */
	PROC_WAIT_TURNS_UNINTERRUPTIBLE	/* S now, but a signal moves it into a
					 * wait no signal ends (a FUSE request) */
};

/* Where a sleeping thread waits, as far as wchan, stack and syscall tell. */
enum proc_wait_place {
	PROC_AT_OTHER, PROC_AT_VFORK, PROC_AT_FUSE, PROC_AT_FUTEX, PROC_AT_CHILD,
	PROC_AT_SLEEP, PROC_AT_SIGWAIT, PROC_AT_POLL, PROC_AT_PIPE, PROC_AT_TTY,
	PROC_AT_SOCKET, PROC_AT_LOCK, PROC_AT_IO
};

struct proc_wait {
	enum proc_wait_kind kind;
	enum proc_wait_place place;
	const char *what;	/* the wait in a few words, or NULL when unknown */
	const char *rule;	/* what ends it, and the kernel function behind it,
				 * or NULL */
};

/* The kind of the D-state sleep at `wchan` in system call `syscall` (a
 * number or PROC_SYSCALL_*), and *rule, what it is and the kernel function
 * behind it (NULL when unknown). */
enum proc_wait_kind proc_classify_wait(const char *wchan, long syscall, const char **rule);

struct proc_thread;
/* The sleep of thread t (state S or D) from its wchan, its kernel stack
 * (when readable) and its syscall; kind UNKNOWN and what NULL for a
 * thread that does not sleep or whose wait is not known. */
void proc_thread_wait(const struct proc_thread *t, struct proc_wait *w);

struct proc_thread {
	int tid;
	char comm[PROC_COMM_MAX];
	char state;
	uint64_t sigpnd;	/* private pending */
	uint64_t sigblk;	/* blocked */
	int tracer_pid;		/* TracerPid: ptrace is per thread; 0: none */
	char wchan[PROC_WCHAN_MAX]; /* "" when unknown or not sleeping */
	int wchan_err;		/* PROC_OK or why wchan could not be read */
	long syscall;		/* a syscall number or PROC_SYSCALL_* */
	int syscall_err;	/* PROC_OK or why syscall could not be read */
	char stack[PROC_STACK_MAX]; /* the kernel stack's function names,
				 * innermost first, separated by ' ' ("" when
				 * unread: /proc/PID/stack needs CAP_SYS_ADMIN) */
	int stack_err;		/* PROC_OK or why the stack could not be read */
};

/* The parent's signal state, for what a child inherited and whether an
 * init reaps (read with the threads). */
struct proc_parent {
	bool known;		/* its status could be read */
	uint64_t sigign, sigcgt, sigblk;
	int ns_pid;		/* its pid in its innermost pid namespace */
	int nspid_count;	/* how deep that namespace is (1: the initial) */
};

/* A child of the process (by PPid), for a shell waiting on one. */
struct proc_child {
	int pid;
	char comm[PROC_COMM_MAX];
	char state;
};

/* One process: its leader's status and stat, and its threads (the leader
 * first, then in the order /proc lists them). */
struct proc_process {
	struct proc_status status;
	struct proc_stat stat;
	struct proc_thread *threads;
	size_t nthreads;
	int parent_pid;
	char parent_comm[PROC_COMM_MAX]; /* "" when unknown */
	char tracer_comm[PROC_COMM_MAX]; /* "" when not traced or unknown */
	struct proc_parent parent;	/* read with the threads */
	struct proc_child children[PROC_CHILDREN_MAX]; /* read with the threads */
	size_t nchildren;		/* how many were read */
	size_t nchildren_all;		/* how many there are (may be more) */
};

/* Reads process `pid` under `root`.  With `threads`, every thread's status
 * and where it sleeps, its parent's signal state and its children; without, only the leader (as `ps` needs).  Threads
 * that vanish while being read are left out.  Returns PROC_OK, or the
 * error of the leader's status or stat; free with proc_process_free. */
int proc_read_process(const char *root, int pid, bool threads, struct proc_process *out);
void proc_process_free(struct proc_process *p);

/* The process's number of threads: the Threads: line of its status
 * (fs/proc/array.c task_sig: get_nr_threads), which is right even when
 * only the leader was read; the threads read otherwise. */
int proc_thread_count(const struct proc_process *p);

/* A one-thread process from canned status and stat texts (tests, and
 * files captured on another machine). */
int proc_process_from_text(const char *status, const char *stat, struct proc_process *out);

/* The numeric entries of `root`, sorted.  Returns PROC_OK or an error;
 * free *pids with free(). */
int proc_list_pids(const char *root, int **pids, size_t *n);

/* Whether process group `pgrp` is orphaned (will_become_orphaned_pgrp):
 * no member has a parent in another group of the same session, children
 * of init not counting.  1, 0, or -1 when /proc could not be read. */
int proc_pgrp_orphaned(const char *root, int pgrp);

/* Who is asking: the caller's own credentials and place. */
struct proc_self {
	uint32_t uid, euid;
	bool cap_kill;		/* CAP_KILL in the effective set */
	int sid;		/* session */
	int nspid_count;	/* NSpid fields of the caller: its namespace depth
				 * as the proc file system counts it */
	int root_pidns;		/* 1: in the initial pid namespace, 0: not,
				 * -1: unknown */
};
int proc_read_self(const char *root, struct proc_self *out);

#endif
