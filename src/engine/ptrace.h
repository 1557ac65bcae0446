/*
 * ptrace state (kernel/ptrace.c, include/linux/ptrace.h): the link between
 * a tracer thread and its tracees, and where a tracee stands in a ptrace
 * stop.  Engine-internal; included by internal.h.
 *
 * Invariants: a task with task->ptrace set has a tracer, and is on that
 * tracer's list (tracees / next / prev); a task in TASK_TRACED has
 * task->ptrace set; pt.kind says which stop it is in (or, once resumed, which
 * stop's continuation it still has to run).
 */
#ifndef SIGLAB_ENGINE_PTRACE_H
#define SIGLAB_ENGINE_PTRACE_H

#include <stdbool.h>

#include "siglab.h"

struct task;

/* task->ptrace flags (include/linux/ptrace.h), kept in struct task
 * itself (the signal paths test them); the rest of the state is here. */
#define PT_PTRACED 0x1u
#define PT_SEIZED  0x10000u

/* Which ptrace stop a tracee is in, or resumes from. */
enum ptrace_stop_kind {
	PT_STOP_NONE,
	PT_STOP_SIGNAL,		/* signal-delivery-stop (ptrace_signal) */
	PT_STOP_JOBCTL,		/* group-stop or a SEIZE/INTERRUPT trap
				 * (do_jobctl_trap) */
	PT_STOP_SYSCALL_ENTER,	/* ptrace_report_syscall_entry */
	PT_STOP_SYSCALL_EXIT,	/* ptrace_report_syscall_exit */
	PT_STOP_EVENT		/* ptrace_event (PTRACE_EVENT_EXEC, _EXIT) */
};

struct ptrace_state {
	unsigned options;	/* SL_PTRACE_O_* */
	struct task *tracer;	/* the kernel's task->parent while traced */
	struct task *tracees;	/* tasks this one traces, newest first */
	struct task *next;	/* on the tracer's list */
	struct task *prev;
	int code;		/* task->exit_code of the stop: what wait
				 * reports (0 once collected), then what the
				 * tracer resumes with */
	enum ptrace_stop_kind kind;
	bool has_siginfo;	/* last_siginfo is set */
	struct sl_siginfo siginfo; /* last_siginfo of the stop */
	unsigned long message;	/* ptrace_message (GETEVENTMSG) */
	bool syscall_trace;	/* SYSCALL_TRACE work (PTRACE_SYSCALL) */
	bool exit_owed;		/* a syscall-exit-stop waits for the end of
				 * an event stop inside the call */
	bool exit_stopped;	/* stopped (or passed) at PTRACE_EVENT_EXIT: the
				 * exit goes on with exit_kind / exit_code */
	enum sl_exit_kind exit_kind;
	int exit_code;
	bool from_shared;	/* the stopping signal came from the process's
				 * queue (a requeue goes back there) */
};

#endif
