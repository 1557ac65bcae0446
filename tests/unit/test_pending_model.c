/*
 * Reference model for the pending queue (src/engine/pending.h): random
 * operations on the optimised per-signal FIFOs, checked after each step
 * against a naive model, one flat array in queue order as Linux keeps its
 * sigqueue list.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "engine/pending.h"

#define MAXQ 512

struct naive {
	struct sigqueue *q[MAXQ];	/* in enqueue order */
	size_t n;
	sl_sigset signal;
};

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(rng_state >> 33) % n;
}

static const int sync_sigs[] = { SL_SIGSEGV, SL_SIGBUS, SL_SIGILL, SL_SIGTRAP,
				 SL_SIGFPE, SL_SIGSYS };

/* Naive next_signal: synchronous signals first, then the lowest number. */
static int naive_next(const struct naive *m, sl_sigset blocked)
{
	sl_sigset x = m->signal & ~blocked;
	int best = 0;

	for (size_t i = 0; i < sizeof sync_sigs / sizeof *sync_sigs; i++) {
		int s = sync_sigs[i];

		if ((x & sl_sigmask(s)) && (!best || s < best))
			best = s;
	}
	if (best)
		return best;
	for (int s = 1; s <= SL_NSIG; s++)
		if (x & sl_sigmask(s))
			return s;
	return 0;
}

static uint32_t naive_count(const struct naive *m, int sig)
{
	uint32_t c = 0;

	for (size_t i = 0; i < m->n; i++)
		c += m->q[i]->info.signo == sig;
	return c;
}

static struct sigqueue *naive_first(const struct naive *m, int sig)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->q[i]->info.signo == sig)
			return m->q[i];
	return NULL;
}

static void naive_remove(struct naive *m, const struct sigqueue *q)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->q[i] == q) {
			memmove(&m->q[i], &m->q[i + 1], (m->n - i - 1) * sizeof *m->q);
			m->n--;
			return;
		}
	cr_assert_fail("entry %p not in the naive model", (const void *)q);
}

/* The length of sig's FIFO, walking it; and its tail must be the last
 * entry walked. */
static uint32_t queue_length(const struct sigpending *p, int sig)
{
	const struct sigqueue *last = NULL;
	uint32_t n = 0;

	for (const struct sigqueue *q = pending_first(p, sig); q; q = q->next) {
		last = q;
		n++;
	}
	if (p->lists)
		cr_assert_eq(p->lists->tail[sig - 1], last, "tail of %d", sig);
	return n;
}

static void compare(const struct sigpending *p, const struct naive *m)
{
	cr_assert_eq(p->signal, m->signal, "pending sets differ");
	for (int s = 1; s <= SL_NSIG; s++) {
		uint32_t c = queue_length(p, s);

		cr_assert_eq(c, naive_count(m, s), "count of %d", s);
		cr_assert_eq(pending_has_queued(p, s), c != 0, "has_queued of %d", s);
		cr_assert_eq(pending_first(p, s), naive_first(m, s), "first of %d", s);
		if (c)
			cr_assert(p->signal & sl_sigmask(s),
				  "queued signal %d without its pending bit", s);
	}
	for (int i = 0; i < 4; i++) {
		sl_sigset blocked = rnd(2) ? 0 : ((uint64_t)rnd(0x7fffffff) << 33) | rnd(0x7fffffff);

		cr_assert_eq(pending_next_signal(p, blocked), naive_next(m, blocked));
	}
}

static int pick_sig(void)
{
	switch (rnd(4)) {
	case 0:
		return sync_sigs[rnd(6)];
	case 1:
		return SL_SIGRTMIN + (int)rnd(3);
	default:
		return 1 + (int)rnd(SL_NSIG);
	}
}

static void run_model(uint64_t seed, int steps)
{
	struct sigpending p = { 0 };
	struct sigqueue_lists lists;
	struct naive m = { .n = 0 };
	uint64_t seq = 0;

	rng_state = seed;
	cr_assert(!pending_reserve(&p, NULL), "no lists and no memory");
	cr_assert(pending_reserve(&p, &lists));
	cr_assert(pending_reserve(&p, NULL), "lists already there");
	for (int i = 0; i < steps; i++) {
		int sig = pick_sig();

		switch (rnd(6)) {
		case 0:
		case 1: { /* enqueue */
			struct sigqueue *q;

			if (m.n == MAXQ)
				break;
			q = calloc(1, sizeof *q);
			cr_assert_not_null(q);
			q->info.signo = sig;
			q->info.value = seq;
			q->seq = seq++;
			pending_enqueue(&p, q);
			m.q[m.n++] = q;
			m.signal |= sl_sigmask(sig);
			break;
		}
		case 2: { /* pop the oldest of sig */
			struct sigqueue *want = naive_first(&m, sig);
			struct sigqueue *got = pending_pop(&p, sig);

			cr_assert_eq(got, want, "pop of %d", sig);
			if (got) {
				naive_remove(&m, got);
				free(got);
			}
			/* collect_signal: the bit stays while another is queued */
			if (!naive_count(&m, sig))
				m.signal &= ~sl_sigmask(sig);
			p.signal = m.signal;
			break;
		}
		case 3: { /* unlink a random entry of sig */
			uint32_t c = naive_count(&m, sig);
			struct sigqueue *q, *prev = NULL;
			uint32_t k;

			if (!c)
				break;
			k = rnd(c);
			q = pending_first(&p, sig);
			for (uint32_t j = 0; j < k; j++) {
				prev = q;
				q = q->next;
			}
			pending_unlink(&p, q, prev);
			naive_remove(&m, q);
			free(q);
			if (!naive_count(&m, sig)) {
				m.signal &= ~sl_sigmask(sig);
				p.signal = m.signal;
			}
			break;
		}
		case 4: { /* take all of sig (flush_sigqueue_mask) */
			struct sigqueue *q = pending_take_all(&p, sig);
			uint32_t n = 0;

			while (q) {
				struct sigqueue *next = q->next;

				cr_assert_eq(q->info.signo, sig);
				naive_remove(&m, q);
				free(q);
				q = next;
				n++;
			}
			cr_assert_eq(naive_count(&m, sig), 0);
			m.signal &= ~sl_sigmask(sig);
			p.signal = m.signal;
			(void)n;
			break;
		}
		default: /* a signal without siginfo: the bit alone */
			m.signal |= sl_sigmask(sig);
			p.signal = m.signal;
			break;
		}
		compare(&p, &m);
	}
	for (size_t i = 0; i < m.n; i++)
		free(m.q[i]);
}

Test(pending_model, random_operations_match_a_naive_queue)
{
	for (uint64_t seed = 1; seed <= 200; seed++)
		run_model(seed, 400);
}

/* FIFO order within one signal is what makes RT signals arrive in the
 * order they were sent. */
Test(pending_model, one_signal_pops_in_enqueue_order)
{
	struct sigpending p = { 0 };
	struct sigqueue_lists lists;
	struct sigqueue q[5];

	cr_assert(pending_reserve(&p, &lists));
	for (int i = 0; i < 5; i++) {
		q[i] = (struct sigqueue){ .info = { .signo = SL_SIGRTMIN + 1, .value = (uint64_t)i } };
		pending_enqueue(&p, &q[i]);
	}
	cr_assert_eq(queue_length(&p, SL_SIGRTMIN + 1), 5);
	for (int i = 0; i < 5; i++)
		cr_assert_eq(pending_pop(&p, SL_SIGRTMIN + 1), &q[i]);
	cr_assert_null(pending_pop(&p, SL_SIGRTMIN + 1));
	cr_assert_not(pending_has_queued(&p, SL_SIGRTMIN + 1));
	cr_assert_null(p.lists->tail[SL_SIGRTMIN + 1 - 1]);
}

/* checked on Linux 6.18: with SIGHUP, SIGTERM, SIGSEGV, SIGBUS and 35
 * pending in the shared queue, delivery order is BUS, SEGV, HUP, TERM, 35. */
Test(pending_model, next_signal_prefers_synchronous_then_lowest)
{
	struct sigpending p = { .signal = sl_sigmask(SL_SIGHUP) | sl_sigmask(SL_SIGTERM) | sl_sigmask(SL_SIGSEGV) | sl_sigmask(SL_SIGBUS) | sl_sigmask(35) };
	cr_assert_eq(pending_next_signal(&p, 0), SL_SIGBUS);
	cr_assert_eq(pending_next_signal(&p, sl_sigmask(SL_SIGBUS)), SL_SIGSEGV);
	cr_assert_eq(pending_next_signal(&p, sl_sigmask(SL_SIGBUS) | sl_sigmask(SL_SIGSEGV)), SL_SIGHUP);
	cr_assert_eq(pending_next_signal(&p, ~sl_sigmask(35)), 35);
	cr_assert_eq(pending_next_signal(&p, ~(sl_sigset)0), 0);
}
