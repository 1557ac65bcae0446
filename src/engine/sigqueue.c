/* Models the accounting and collection half of kernel/signal.c:
 * sigqueue_alloc / sig_get_ucounts (RLIMIT_SIGPENDING per user),
 * __sigqueue_free, flush_sigqueue_mask, collect_signal, __dequeue_signal
 * and dequeue_synchronous_signal (Linux 6.x). */
#include "engine/internal.h"

/* Freed entries kept for reuse, as the sigqueue kmem_cache keeps slabs. */
#define SIGQUEUE_CACHE_MAX 1024

/* Every queued siginfo is charged to the target's user; past the target's
 * RLIMIT_SIGPENDING the allocation fails unless the sender may override
 * the limit (standard signals from kill-like senders, see send.c).  The
 * caller writes the whole siginfo. */
ALWAYS_INLINE struct sigqueue *sigqueue_alloc(sl_kernel *k, struct task *t, bool override_rlimit)
{
	struct user *u = t->cred->user;
	struct sigqueue *q;

	/* The limit is the receiving process's own RLIMIT_SIGPENDING,
	 * against its user's count (task_rlimit(t, RLIMIT_SIGPENDING)). */
	if (!override_rlimit && u->sigpending + 1 > t->group->rlim[SL_RLIMIT_SIGPENDING].cur)
		return NULL;
	q = k->free_sigqueues;
	if (q) {
		SL_ASSERT(k->nfree_sigqueues > 0);
		k->free_sigqueues = q->next;
		k->nfree_sigqueues--;
	} else {
		q = kalloc(k, sizeof *q);
		if (!q)
			return NULL;
	}
	u->sigpending++;
	q->user = u;
	q->seq = ++k->seq;
	return q;
}

ALWAYS_INLINE void sigqueue_free(sl_kernel *k, struct sigqueue *q)
{
	/* Every queued entry was charged to its user (sigqueue_alloc), but
	 * a live POSIX timer's, whose timer holds the charge (timer.c). */
	if (q->user) {
		SL_ASSERT(q->user->sigpending > 0);
		q->user->sigpending--;
	}
	if (k->nfree_sigqueues < SIGQUEUE_CACHE_MAX) {
		q->next = k->free_sigqueues;
		k->free_sigqueues = q;
		k->nfree_sigqueues++;
		return;
	}
	kfree(k, q, sizeof *q);
}

/* flush_sigqueue_mask: drop every pending instance of the signals in mask. */
void flush_sigqueue_mask(sl_kernel *k, struct sigpending *p, sl_sigset mask)
{
	sl_sigset hit = p->signal & mask;

	p->signal &= ~mask;
	while (hit) {
		int sig = __builtin_ctzll(hit) + 1;
		struct sigqueue *q = pending_take_all(p, sig);

		hit &= hit - 1;
		while (q) {
			struct sigqueue *next = q->next;

			sigqueue_free(k, q);
			q = next;
		}
	}
}

void flush_sigqueue(sl_kernel *k, struct sigpending *p)
{
	flush_sigqueue_mask(k, p, SIGSET_ALL);
}

/* collect_signal: take the first siginfo of sig; the signal stays pending
 * while another instance is queued.  A signal pending without a queued
 * siginfo (SIGKILL, or info lost to the queue limit) reads as SI_USER from
 * pid 0. */
ALWAYS_INLINE void collect_signal(sl_kernel *k, struct sigpending *p, int sig, struct sl_siginfo *info)
{
	struct sigqueue *q;

	/* Only a pending signal is collected; its queue, if any, is its own. */
	SL_ASSERT(p->signal & sl_sigmask(sig));
	q = pending_pop(p, sig);
	SL_ASSERT(!q || q->info.signo == sig);
	if (!pending_has_queued(p, sig))
		p->signal &= ~sl_sigmask(sig);
	if (q) {
		copy_siginfo(info, &q->info);
		sigqueue_free(k, q);
	} else {
		*info = (struct sl_siginfo){ .signo = sig, .code = SL_SI_USER };
	}
}

/* dequeue_synchronous_signal: the fault raised by the current instruction
 * (a synchronous signal with a positive si_code, i.e. from the kernel)
 * goes first, before any lower-numbered signal, so that the frame points
 * at the faulting instruction.  The first such entry in queue order wins. */
int dequeue_synchronous_signal(sl_kernel *k, struct task *t, struct sl_siginfo *info)
{
	struct sigpending *p = &t->pending;
	struct sigqueue *best = NULL, *best_prev = NULL;
	sl_sigset sync = p->signal & ~t->blocked & SIGSET_SYNCHRONOUS;

	if (!sync)
		return 0;
	for (sl_sigset s = p->signal & SIGSET_SYNCHRONOUS; s; s &= s - 1) {
		int sig = __builtin_ctzll(s) + 1;
		struct sigqueue *prev = NULL;

		for (struct sigqueue *q = pending_first(p, sig); q; prev = q, q = q->next) {
			if (q->info.code <= SL_SI_USER)
				continue;
			if (!best || q->seq < best->seq) {
				best = q;
				best_prev = prev;
			}
			break;
		}
	}
	if (!best)
		return 0;
	pending_unlink(p, best, best_prev);
	if (!pending_has_queued(p, best->info.signo))
		p->signal &= ~sl_sigmask(best->info.signo);
	*info = best->info;
	sigqueue_free(k, best);
	return info->signo;
}
