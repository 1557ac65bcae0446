/*
 * A set of pending signals and their queued siginfo: the kernel's struct
 * sigpending (include/linux/signal_types.h).
 *
 * Linux keeps one list of sigqueue entries per sigpending and scans it to
 * collect a signal (collect_signal), which is O(queued).  The model keeps
 * one FIFO per signal number instead, allocated on first use, so that
 * enqueue, dequeue and "is there another one" are O(1) whatever the queue
 * length.  Order across signals is kept by a sequence stamp on each entry.
 *
 * Invariants: a signal's bit in `signal` may be set with an empty FIFO (a
 * signal sent without siginfo: SIGKILL, queue overflow), but a non-empty
 * FIFO always has its bit set; tail[sig-1] is the FIFO's last entry.
 */
#ifndef SIGLAB_ENGINE_PENDING_H
#define SIGLAB_ENGINE_PENDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "siglab.h"
#include "engine/assert.h"
#include "engine/linkage.h"

struct user;

struct sigqueue {
	struct sigqueue *next;
	struct sl_siginfo info;
	struct user *user;	/* charged for RLIMIT_SIGPENDING */
	uint64_t seq;		/* enqueue order across signals */
};

struct sigqueue_lists {
	struct sigqueue *head[SL_NSIG];	/* first entry of each signal, or NULL */
	struct sigqueue *tail[SL_NSIG];	/* last entry of each signal, or NULL */
};

struct sigpending {
	sl_sigset signal;	/* the pending set */
	struct sigqueue_lists *lists; /* NULL until something is queued */
};

/* Signals raised by the current instruction; dequeued first (next_signal). */
#define SIGSET_SYNCHRONOUS                                                    \
	(sl_sigmask(SL_SIGSEGV) | sl_sigmask(SL_SIGBUS) |                      \
	 sl_sigmask(SL_SIGILL) | sl_sigmask(SL_SIGTRAP) |                      \
	 sl_sigmask(SL_SIGFPE) | sl_sigmask(SL_SIGSYS))

/* copy_siginfo: a plain assignment of the whole struct becomes a string
 * copy when the destination is the siginfo inside a struct sl_ksignal,
 * which is only 4-byte aligned; field by field it stays a few moves.
 * Every field is listed; the size check catches a new one. */
_Static_assert(sizeof(struct sl_siginfo) == 64, "copy_siginfo must copy every field");
static inline void copy_siginfo(struct sl_siginfo *to, const struct sl_siginfo *from)
{
	to->signo = from->signo;
	to->errnum = from->errnum;
	to->code = from->code;
	to->pid = from->pid;
	to->uid = from->uid;
	to->status = from->status;
	to->value = from->value;
	to->addr = from->addr;
	to->timerid = from->timerid;
	to->overrun = from->overrun;
	to->band = from->band;
	to->fd = from->fd;
}

/* Makes sure the FIFOs exist; false when `lists` is NULL and `mem` is too. */
SL_PRIVATE bool pending_reserve(struct sigpending *p, struct sigqueue_lists *mem);
/* Unlinks q, which follows prev in its signal's FIFO (prev NULL: q is the
 * head). */
SL_PRIVATE void pending_unlink(struct sigpending *p, struct sigqueue *q, struct sigqueue *prev);
/* Unlinks every entry of sig and returns them as a list through ->next. */
SL_PRIVATE struct sigqueue *pending_take_all(struct sigpending *p, int sig);

/* The O(1) operations below run on every signal sent and delivered, so
 * they are inline. */

/* Appends q to sig's FIFO (q->info.signo names the signal).  The lists
 * must exist (pending_reserve). */
static inline void pending_enqueue(struct sigpending *p, struct sigqueue *q)
{
	struct sigqueue_lists *l = p->lists;
	int i = q->info.signo - 1;

	SL_ASSERT(l != NULL && i >= 0 && i < SL_NSIG);
	q->next = NULL;
	if (l->tail[i])
		l->tail[i]->next = q;
	else
		l->head[i] = q;
	l->tail[i] = q;
	p->signal |= sl_sigmask(q->info.signo);
}

/* The first entry queued for sig, or NULL. */
static inline struct sigqueue *pending_first(const struct sigpending *p, int sig)
{
	return p->lists ? p->lists->head[sig - 1] : NULL;
}

/* Whether an entry is queued for sig. */
static inline bool pending_has_queued(const struct sigpending *p, int sig)
{
	return p->lists && p->lists->head[sig - 1];
}

/* Unlinks and returns the first entry for sig, or NULL. */
static inline struct sigqueue *pending_pop(struct sigpending *p, int sig)
{
	struct sigqueue_lists *l = p->lists;
	struct sigqueue *q;
	int i = sig - 1;

	SL_ASSERT(i >= 0 && i < SL_NSIG);
	if (!l || !l->head[i])
		return NULL;
	q = l->head[i];
	l->head[i] = q->next;
	if (!l->head[i])
		l->tail[i] = NULL;
	return q;
}

/* The signal next_signal() picks from `pending` minus `blocked`: the
 * first word's synchronous signals (SIGSEGV, SIGBUS, SIGILL, SIGTRAP,
 * SIGFPE, SIGSYS) go before the others so that a frame for the faulting
 * instruction is built first; otherwise the lowest number wins; 0 when
 * none. */
static inline int pending_next_signal(const struct sigpending *p, sl_sigset blocked)
{
	sl_sigset x = p->signal & ~blocked;

	if (!x)
		return 0;
	if (x & SIGSET_SYNCHRONOUS)
		x &= SIGSET_SYNCHRONOUS;
	return __builtin_ctzll(x) + 1;
}

#endif
