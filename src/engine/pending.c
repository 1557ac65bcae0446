/* Models the queue half of kernel/signal.c: the sigqueue lists (Linux
 * 6.x).  The O(1) operations on every send and delivery (enqueue, pop,
 * next_signal) are inline in pending.h; the accounting half
 * (RLIMIT_SIGPENDING) and collect_signal are in sigqueue.c. */
#include "engine/pending.h"
#include "engine/internal.h"

bool pending_reserve(struct sigpending *p, struct sigqueue_lists *mem)
{
	if (p->lists)
		return true;
	if (!mem)
		return false;
	*mem = (struct sigqueue_lists){ .head = { NULL } };
	p->lists = mem;
	return true;
}

void pending_unlink(struct sigpending *p, struct sigqueue *q, struct sigqueue *prev)
{
	struct sigqueue_lists *l = p->lists;
	int i = q->info.signo - 1;

	SL_ASSERT(l != NULL && (prev ? prev->next : l->head[i]) == q);
	if (prev)
		prev->next = q->next;
	else
		l->head[i] = q->next;
	if (l->tail[i] == q)
		l->tail[i] = prev;
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
	l->head[i] = l->tail[i] = NULL;
	return q;
}
