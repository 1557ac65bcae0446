/* Models the queue half of kernel/signal.c: sigqueue lists, next_signal,
 * collect_signal (Linux 6.x).  The accounting half (RLIMIT_SIGPENDING) is
 * in sigqueue.c. */
#include "engine/pending.h"
#include "engine/internal.h"

bool pending_reserve(struct sigpending *p, struct sigqueue_lists *mem)
{
	if (p->lists)
		return true;
	if (!mem)
		return false;
	*mem = (struct sigqueue_lists){ .total = 0 };
	p->lists = mem;
	return true;
}

void pending_enqueue(struct sigpending *p, struct sigqueue *q)
{
	struct sigqueue_lists *l = p->lists;
	int i = q->info.signo - 1;

	q->next = NULL;
	if (l->tail[i])
		l->tail[i]->next = q;
	else
		l->head[i] = q;
	l->tail[i] = q;
	l->count[i]++;
	l->total++;
	p->signal |= sl_sigmask(q->info.signo);
}

struct sigqueue *pending_first(const struct sigpending *p, int sig)
{
	return p->lists ? p->lists->head[sig - 1] : NULL;
}

uint32_t pending_count(const struct sigpending *p, int sig)
{
	return p->lists ? p->lists->count[sig - 1] : 0;
}

struct sigqueue *pending_pop(struct sigpending *p, int sig)
{
	struct sigqueue_lists *l = p->lists;
	struct sigqueue *q;
	int i = sig - 1;

	if (!l || !l->head[i])
		return NULL;
	q = l->head[i];
	l->head[i] = q->next;
	if (!l->head[i])
		l->tail[i] = NULL;
	l->count[i]--;
	l->total--;
	q->next = NULL;
	return q;
}

void pending_unlink(struct sigpending *p, struct sigqueue *q, struct sigqueue *prev)
{
	struct sigqueue_lists *l = p->lists;
	int i = q->info.signo - 1;

	if (prev)
		prev->next = q->next;
	else
		l->head[i] = q->next;
	if (l->tail[i] == q)
		l->tail[i] = prev;
	l->count[i]--;
	l->total--;
	q->next = NULL;
}

struct sigqueue *pending_take_all(struct sigpending *p, int sig)
{
	struct sigqueue_lists *l = p->lists;
	struct sigqueue *q;
	int i = sig - 1;

	if (!l || !l->head[i])
		return NULL;
	q = l->head[i];
	l->total -= l->count[i];
	l->head[i] = l->tail[i] = NULL;
	l->count[i] = 0;
	return q;
}

/* next_signal: the first word's synchronous signals (SIGSEGV, SIGBUS,
 * SIGILL, SIGTRAP, SIGFPE, SIGSYS) go before the others so that a frame
 * for the faulting instruction is built first; otherwise the lowest
 * number wins. */
int pending_next_signal(const struct sigpending *p, sl_sigset blocked)
{
	sl_sigset x = p->signal & ~blocked;

	if (!x)
		return 0;
	if (x & SIGSET_SYNCHRONOUS)
		x &= SIGSET_SYNCHRONOUS;
	return __builtin_ctzll(x) + 1;
}
