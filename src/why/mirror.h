/*
 * Inside the why layer: the mirror of a /proc process in a libsiglab
 * kernel (mirror.c), which the verdict (verdict.c) runs and the report
 * (report.c) explains.  Not for the CLI: it includes why/why.h.
 */
#ifndef SIGLAB_WHY_MIRROR_H
#define SIGLAB_WHY_MIRROR_H

#include "why/why.h"

/* The signals no task can catch, block or ignore. */
#define WHY_KERNEL_ONLY (sl_sigmask(SL_SIGKILL) | sl_sigmask(SL_SIGSTOP))
#define WHY_STOP_SIGNALS (sl_sigmask(SL_SIGSTOP) | sl_sigmask(SL_SIGTSTP) | \
			  sl_sigmask(SL_SIGTTIN) | sl_sigmask(SL_SIGTTOU))
/* The model wait queue a D-state thread p->threads[i] sleeps on. */
#define WHY_WAIT_CHANNEL(i) ((int)(i) + 1)
/* Events kept of one run; a kill and its deliveries need far fewer. */
#define WHY_LOG_CAP 512

/* A process rebuilt in a model kernel.  tids[i] is the model tid of the
 * real thread p->threads[i]; tids[0] is the target's tgid. */
struct why_mirror {
	sl_kernel *k;
	struct sl_event log[WHY_LOG_CAP]; /* the events since the last reset */
	size_t nlog;
	const struct proc_process *p;	/* the real process, as /proc showed it */
	int sender;			/* the model task that sends */
	int tgid;			/* the target in the model */
	int tracer;			/* the model tracer, or 0 when untraced */
	int *tids;			/* the model tid of each real thread */
	bool stopped;			/* the mirror is in a group stop */
};

/* Threads as /proc shows them. */
bool why_thread_dead(const struct proc_thread *t);
/* How the model keeps thread t asleep (an SL_SLEEP_* value): a D
 * thread killable or uninterruptible as its wait is known (unknown waits
 * uninterruptible, the cautious answer), an S thread whose wait a signal
 * turns uninterruptible (a FUSE request) uninterruptible; -1 for a thread
 * the model does not keep asleep. */
int why_model_sleep(const struct proc_thread *t);
/* A zombie: every thread has exited. */
bool why_all_threads_dead(const struct proc_process *p);
/* The blocked mask every live thread shares. */
uint64_t why_blocked_everywhere(const struct proc_process *p);

/* A fresh model kernel for p, with no task yet; NULL when out of memory. */
struct why_mirror *why_mirror_new(const struct proc_process *p);
/* Builds the tasks, dispositions, pending sets and state of p as `kind`,
 * with the sender placed as s says; 0, or -1 when the model refused a
 * step.  The event log is empty afterwards. */
int why_mirror_build(struct why_mirror *m, enum why_kind kind, const struct why_sender *s);
void why_mirror_free(struct why_mirror *m);

bool why_mirror_is_stopped(const struct why_mirror *m);
/* Whether any thread of the mirror has sig pending (its own or shared). */
bool why_mirror_has_pending(const struct why_mirror *m, int sig);
/* The real tid of a model tid, or 0 for a task that is not the target's. */
int why_mirror_real_tid(const struct why_mirror *m, int model_tid);

/* An outcome with no verdict yet. */
void why_outcome_start(struct why_outcome *o);
/* kill(target, sig) from the sender, run until no thread has work:
 * r->now, and r->then when a second act follows (SIGCONT to a stopped
 * process, or the first blocking thread unblocking it). */
void why_verdict(struct why_mirror *m, int sig, struct why_report *r);

/* ---- the report's pieces (report.c, advice.c) ---- */

/* Adds a note (at most WHY_MAX_NOTES, each cut at WHY_NOTE_MAX). */
void why_note(struct why_report *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Where each sleeping thread waits and what a signal does to that wait. */
void why_wait_notes(const struct proc_process *p, struct why_report *r);
/* A shell (or any process) waiting for its children. */
void why_shell_notes(const struct proc_process *p, struct why_report *r);
/* A namespace init that drops the signal; a zombie under an init. */
void why_init_notes(const struct proc_process *p, const struct why_sender *s,
		    struct why_report *r);
/* Where an ignored disposition of r->sig came from. */
void why_ignored_origin(const struct proc_process *p, struct why_report *r);

#endif
