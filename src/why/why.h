/*
 * The diagnosis behind `siglab why`: what `kill PID SIG` would do to a live
 * process, decided by the model.  The process's signal state, as /proc
 * showed it, is mirrored in a fresh libsiglab kernel (the same kind of
 * task, dispositions, masks, pending sets and state), a sender task calls
 * sl_sys_kill, and the events the engine reports give the verdict and the
 * kernel rules behind it.  Nothing is ever sent to the real process.
 */
#ifndef SIGLAB_WHY_WHY_H
#define SIGLAB_WHY_WHY_H

#include <stdbool.h>
#include <stddef.h>

#include "why/proc.h"
#include "siglab.h"

enum why_verdict {
	WHY_UNKNOWN,		/* the model could not mirror the process */
	WHY_EXISTS,		/* signal 0: the process exists and may be signalled */
	WHY_EPERM,		/* kill fails: the sender may not signal it */
	WHY_DROPPED,		/* discarded at generation (ignored) */
	WHY_ALREADY_PENDING,	/* a standard signal already pending: merged */
	WHY_PENDING,		/* queued, blocked in every thread */
	WHY_HANDLER,		/* a handler runs */
	WHY_TERM,		/* the process dies */
	WHY_CORE,		/* the process dies, with a core dump if enabled */
	WHY_STOP,		/* the process stops */
	WHY_CONTINUE,		/* a stopped process continues */
	WHY_NOTHING,		/* queued, then dropped at delivery */
	WHY_FLUSHED,		/* pending, then discarded (SIGCONT flushes stops) */
	WHY_KTHREAD_QUEUED,	/* queued for a kernel thread that allowed it */
	WHY_WAITS,		/* stopped: waits for SIGCONT */
	WHY_ZOMBIE,		/* already dead */
	WHY_TRACER		/* traced: a signal-delivery-stop, the tracer
				 * decides */
};

/* A short name of a verdict ("handler", "dropped", ...). */
const char *why_verdict_name(enum why_verdict v);

/* Who sends, and from where. */
enum why_from {
	WHY_FROM_AUTO,		/* as the caller is placed (proc_self) */
	WHY_FROM_INSIDE,	/* from inside the target's pid namespace */
	WHY_FROM_PARENT_NS	/* from an ancestor pid namespace */
};

struct why_sender {
	struct proc_self self;	/* credentials, session, namespace */
	enum why_from from;
	int orphaned_pgrp;	/* the target's process group is orphaned:
				 * 1, 0, -1 unknown (taken as not orphaned) */
};

/* What the target is, to the kernel. */
enum why_kind {
	WHY_KIND_PROCESS,
	WHY_KIND_KTHREAD,
	WHY_KIND_GLOBAL_INIT,	/* pid 1 of the initial pid namespace */
	WHY_KIND_NS_INIT	/* pid 1 of another pid namespace */
};

/* Whether the sender sits inside the target's pid namespace (for a
 * namespace init: WHY_FROM_AUTO follows the caller's place). */
bool why_sender_inside(const struct proc_process *p, const struct why_sender *s);

enum why_kind why_classify(const struct proc_process *p, const struct proc_self *self);

#define WHY_MAX_STEPS 24
#define WHY_MAX_NOTES 16
#define WHY_NOTE_MAX 800

/* One event of the model's run, with the real tid it concerns. */
struct why_step {
	enum sl_event_kind kind;
	int tid;		/* real tid (0: the sender) */
	int sig;
	int result;		/* generate: enum sl_trace_result */
	const char *rule;	/* the engine's rule, or NULL */
};

struct why_outcome {
	enum why_verdict verdict;
	long kill_ret;		/* what kill() returns: 0 or -SL_EPERM */
	int gen_result;		/* enum sl_trace_result, -1 when no generation */
	const char *gen_rule;	/* the rule of the generation */
	const char *rule;	/* the rule that decided the verdict */
	int taker;		/* real tid that acts on it, or 0 */
	int after_wait;		/* real tid of a D thread the signal did not
				 * wake: the verdict waits for its sleep to
				 * end; 0 when none */
	bool after_killable;	/* that sleep is TASK_KILLABLE */
	char after_state;	/* that thread's state: 'D', or 'S' for a wait
				 * a signal turns uninterruptible */
	struct why_step steps[WHY_MAX_STEPS];
	size_t nsteps;
};

struct why_report {
	int pid, sig;
	enum why_kind kind;
	struct why_outcome now;	/* kill PID SIG, now */
	bool has_then;		/* a second act follows: */
	const char *then_what;	/* "after SIGCONT", "if thread N unblocks it" */
	char then_buf[64];
	struct why_outcome then;
	/* Threads that do not block the signal (could take it) and that do. */
	int *takers, *blockers;
	size_t ntakers, nblockers;
	char notes[WHY_MAX_NOTES][WHY_NOTE_MAX];
	size_t nnotes;
};

/* Diagnoses `kill(pid, sig)` (sig 0..64) for process p from `from`.
 * Returns 0, or -1 when out of memory; free with why_report_free. */
int why_diagnose(const struct proc_process *p, int sig, const struct why_sender *from,
		 struct why_report *out);
void why_report_free(struct why_report *r);

/* The sender as the caller is: its credentials and place under `root`,
 * and, for the job-control stop signals, whether p's group is orphaned. */
void why_sender_read(const char *root, const struct proc_process *p, int sig,
		     struct why_sender *s);

/* The same question from the other side: as root after an EPERM, or from
 * the other side of a namespace init's namespace boundary.  Returns the
 * label ("as root") and fills *ar (free it), or NULL when there is no
 * other side. */
const char *why_alternative(const struct proc_process *p, int sig, const struct why_sender *s,
			    const struct why_report *r, struct why_report *ar);

/* The verdict of outcome o (r->now or r->then) in one plain sentence. */
void why_headline(const struct why_report *r, const struct why_outcome *o,
		  const struct proc_process *p, char *buf, size_t cap);

/* The exit status a shell shows for a process killed by sig (128 + sig:
 * 143 for SIGTERM, 137 for SIGKILL), -1 for no signal. */
int why_exit_status(int sig);

/* "wchan X, syscall Y" for a thread, as far as /proc tells (advice.c). */
void why_wait_place(const struct proc_thread *t, char *buf, size_t cap);

/* A signal set as short names joined by ',' ("HUP,INT,RTMIN+2"), "-" when
 * empty, "all" when full; runs of real-time signals as ranges. */
void why_format_set(uint64_t set, char *buf, size_t cap);

/* `in` made safe to print on a terminal, into out (always terminated):
 * each control character (C0, DEL, C1) and each byte that is not valid
 * UTF-8 becomes '?', as ps(1) shows a command name.  Any user can set
 * its own comm (prctl PR_SET_NAME) to escape sequences or tabs (text.c). */
void why_printable(const char *in, char *out, size_t cap);

#endif
