/*
 * A canonical serialisation of the whole engine state, for state hashing
 * (siglab explore): two kernels that serialise to the same bytes behave the
 * same from here on, whatever the calls that led to them.
 *
 * Rules: every field that can change what a later call or return to user
 * mode does is written, as a fixed-width integer, in an order that depends
 * only on the state (tasks by tid, queue entries in queue order) and never
 * on addresses; tasks and groups are named by tid.  Fields that are only
 * counters of allocation (the sigqueue order stamps, whose order the
 * queues' order already says — but for the synchronous signals, whose
 * order across signals is written as ranks — and the free-entry cache)
 * are left out: they change no decision.  Timer stamps stay in: they break ties between
 * expiries at one instant.  Read-only: the kernel is not touched.
 */
#include "engine/internal.h"

/*
 * The bytes go to `put` in pieces of a buffer's size, not field by field:
 * a state is a few kilobytes, and the embedder hashes them in bulk.
 *
 * Each field is a 64-bit word, but most words of most tasks are zero (no
 * ptrace, no fork in progress, no timers): only the words that are not
 * zero are written, each with its place in the stream of words.  A value
 * below 2^48 at a place below 2^15 shares one word with it (place << 48 |
 * value, the top bit clear); any other is the top bit with the place,
 * then the value.  The number of words ends the digest.  From these and
 * the count the word stream is recovered exactly, so equal digests still
 * mean equal states.  Little-endian, whatever the host.
 */
#define DIGEST_CHUNK 2048

struct digest {
	sl_digest_fn put;
	void *ud;
	size_t n;		/* bytes in buf */
	uint64_t words;		/* words written in all */
	unsigned char buf[DIGEST_CHUNK];
};

static void digest_flush(struct digest *d)
{
	if (d->n)
		d->put(d->ud, d->buf, d->n);
	d->n = 0;
}

static inline void emit_u64(struct digest *d, uint64_t v)
{
	if (__BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__)
		v = __builtin_bswap64(v);
	__builtin_memcpy(d->buf + d->n, &v, 8);
	d->n += 8;
}

#define DIGEST_SHORT ((uint64_t)1 << 48)
#define DIGEST_LONG ((uint64_t)1 << 63)

static inline void put_u64(struct digest *d, uint64_t v)
{
	if (v) {
		if (d->n + 16 > sizeof d->buf)
			digest_flush(d);
		if (v < DIGEST_SHORT && d->words < (DIGEST_LONG >> 48)) {
			emit_u64(d, d->words << 48 | v);
		} else {
			emit_u64(d, DIGEST_LONG | d->words);
			emit_u64(d, v);
		}
	}
	d->words++;
}

static void put_i(struct digest *d, long long v)
{
	put_u64(d, (uint64_t)v);
}

static int tid_of(const struct task *t)
{
	return t ? t->tid : 0;
}

static void put_siginfo(struct digest *d, const struct sl_siginfo *i)
{
	put_i(d, i->signo);
	put_i(d, i->errnum);
	put_i(d, i->code);
	put_i(d, i->pid);
	put_u64(d, i->uid);
	put_i(d, i->status);
	put_u64(d, i->value);
	put_u64(d, i->addr);
	put_i(d, i->timerid);
	put_i(d, i->overrun);
}

/* Where q stands among the queued synchronous signals of p: the order
 * dequeue_synchronous_signal takes them in, across signals (by stamp). */
static uint64_t sync_rank(const struct sigpending *p, const struct sigqueue *q)
{
	uint64_t rank = 0;

	for (sl_sigset s = p->signal & SIGSET_SYNCHRONOUS; s; s &= s - 1) {
		int sig = __builtin_ctzll(s) + 1;

		for (const struct sigqueue *o = pending_first(p, sig); o; o = o->next)
			if (o->seq < q->seq)
				rank++;
	}
	return rank;
}

/* The pending set and, signal by signal, its queue in FIFO order; for the
 * synchronous signals also their order across signals.  Only pending.h's
 * accessors are used, so the queue's layout may change freely. */
static void put_pending(struct digest *d, const struct sigpending *p)
{
	put_u64(d, p->signal);
	/* An entry is queued only for a signal whose bit is set (pending.h). */
	for (sl_sigset set = p->lists ? p->signal : 0; set; set &= set - 1) {
		int sig = __builtin_ctzll(set) + 1;
		uint64_t n = 0;

		if (!pending_has_queued(p, sig))
			continue;
		for (const struct sigqueue *q = pending_first(p, sig); q; q = q->next)
			n++;
		put_i(d, sig);
		put_u64(d, n);
		for (const struct sigqueue *q = pending_first(p, sig); q; q = q->next) {
			put_siginfo(d, &q->info);
			put_u64(d, q->user ? q->user->uid : UINT64_MAX);
			if (sl_sigmask(sig) & SIGSET_SYNCHRONOUS)
				put_u64(d, sync_rank(p, q));
		}
	}
	put_i(d, -1);
}

static void put_altstack(struct digest *d, const struct altstack *a)
{
	put_u64(d, a->sp);
	put_u64(d, a->size);
	put_u64(d, a->flags);
}

static void put_syscall(struct digest *d, const struct syscall_state *s)
{
	put_i(d, s->nr);
	put_i(d, s->phase);
	put_i(d, s->sleep);
	put_i(d, s->ret);
	put_u64(d, s->set);
	put_i(d, s->deadline);
	put_i(d, s->timed_out);
	put_i(d, s->restartblock);
	put_i(d, s->obj);
	put_u64(d, s->count);
	put_siginfo(d, &s->info);
	put_u64(d, s->frame_depth);
}

/* The dispositions that are not all-zero (SIG_DFL, no flags, no mask),
 * each with its number: a process with default dispositions writes a
 * single terminator. */
static void put_actions(struct digest *d, const struct sighand *sh, const struct sighand *dfl)
{
	/* The shared table of default actions is all SIG_DFL (sighand.c). */
	for (int s = 0; sh != dfl && s < SL_NSIG; s++) {
		const struct sl_sigaction *a = &sh->action[s];

		if (!a->handler && !a->flags && !a->mask && !a->restorer)
			continue;
		put_i(d, s);
		put_u64(d, sh->action[s].handler);
		put_u64(d, sh->action[s].flags);
		put_u64(d, sh->action[s].mask);
		put_u64(d, sh->action[s].restorer);
	}
	put_i(d, -1);
}

/* The thread's own state: its pending queue, masks, frames, the call it is
 * in, and its children (the order of the list decides wait's order). */
/* The ptrace links and the stop in progress (ptrace.h). */
static void put_ptrace(struct digest *d, const struct task *tsk)
{
	const struct ptrace_state *pt = tsk->pt;

	put_u64(d, tsk->ptrace);
	put_u64(d, pt->options);
	put_i(d, tid_of(pt->tracer));
	for (const struct task *t = pt->tracees; t; t = t->pt->next)
		put_i(d, t->tid);
	put_i(d, -1);
	put_i(d, pt->code);
	put_i(d, pt->kind);
	put_i(d, pt->has_siginfo);
	if (pt->has_siginfo)
		put_siginfo(d, &pt->siginfo);
	put_u64(d, pt->message);
	put_i(d, pt->syscall_trace);
	put_i(d, pt->exit_owed);
	put_i(d, pt->exit_stopped);
	put_i(d, pt->exit_kind);
	put_i(d, pt->exit_code);
	put_i(d, pt->from_shared);
}

static void put_task(struct digest *d, const sl_kernel *k, const struct task *t)
{
	put_i(d, t->tid);
	put_i(d, tid_of(t->group->leader));
	put_i(d, tid_of(t->thread_next));
	put_u64(d, t->uid);
	put_u64(d, t->euid);
	put_u64(d, t->suid);
	put_u64(d, t->flags);
	put_u64(d, t->jobctl);
	put_i(d, t->state);
	put_i(d, t->sigpending);
	put_i(d, t->resumed);
	put_i(d, t->exit_reported);
	put_i(d, t->released);
	put_i(d, t->exit_kind);
	put_i(d, t->exit_code);
	put_u64(d, t->blocked);
	put_u64(d, t->real_blocked);
	put_pending(d, &t->pending);
	put_i(d, t->fork.active);
	put_i(d, t->fork.multiprocess);
	put_u64(d, t->fork.flags);
	put_i(d, t->fork.exit_signal);
	put_u64(d, t->fork.delayed);
	put_i(d, t->pgrp_led ? t->pgrp_led->pgid : 0);
	put_u64(d, t->nframes);
	for (size_t i = 0; i < t->nframes; i++) {
		put_i(d, t->frames[i].sig);
		put_u64(d, t->frames[i].saved_mask);
		put_u64(d, t->frames[i].uc_mask);
		put_u64(d, t->frames[i].sp);
		put_altstack(d, &t->frames[i].saved_ss);
		put_i(d, t->frames[i].holds_call);
		put_i(d, t->frames[i].on_altstack);
	}
	for (const struct task *c = t->children; c; c = c->group->sib_next)
		put_i(d, c->tid);
	put_i(d, -1);
	put_i(d, t->pdeath_signal);
	put_syscall(d, &t->sys);
	put_altstack(d, &t->sas);
	put_u64(d, t->saved_sigmask);
	put_i(d, t->restore_sigmask);
	put_u64(d, t->sp);
	put_actions(d, t->sighand, k->default_sighand);
	put_ptrace(d, t);
}

static void put_timers(struct digest *d, const struct group_timers *g)
{
	put_i(d, g->real_armed);
	put_i(d, g->real_expires);
	put_i(d, g->real_incr);
	put_u64(d, g->real_seq);
	put_u64(d, g->ntimers);
	for (size_t i = 0; i < g->ntimers; i++) {
		const struct ktimer *kt = &g->timers[i];

		put_i(d, kt->used);
		put_i(d, kt->sig);
		put_u64(d, kt->value);
		put_i(d, kt->expires);
		put_i(d, kt->interval);
		put_i(d, kt->requeue_pending);
		put_i(d, kt->queued);
		put_i(d, kt->ignored);
		put_i(d, kt->overrun);
		put_i(d, kt->overrun_last);
		put_i(d, kt->none);
		put_i(d, kt->target);
		put_u64(d, kt->seq);	/* breaks ties between expiries */
		put_i(d, kt->signal_seq != kt->sigqueue_seq); /* a queued signal is stale */
	}
	put_u64(d, g->nsigfds);
	for (size_t i = 0; i < g->nsigfds; i++) {
		put_i(d, g->sigfds[i].fd);
		put_u64(d, g->sigfds[i].file->mask);
		put_u64(d, g->sigfds[i].file->refs);
		put_i(d, g->sigfds[i].file->nonblock);
		put_i(d, g->sigfds[i].cloexec);
	}
}

/* The process-wide state, written once, with its leader. */
static void put_group(struct digest *d, const struct signal_group *g)
{
	put_i(d, tid_of(g->leader));
	put_i(d, tid_of(g->curr_target));
	put_pending(d, &g->shared_pending);
	put_u64(d, g->flags);
	put_i(d, g->group_exit_code);
	put_u64(d, g->group_stop_count);
	put_u64(d, g->nr_threads);
	put_u64(d, g->live);
	put_i(d, tid_of(g->parent));
	put_i(d, g->pgrp ? g->pgrp->pgid : 0);
	put_i(d, g->sid);
	put_i(d, g->tty);
	put_i(d, g->tty_old_pgrp);
	put_i(d, g->session_leader);
	put_i(d, g->ns ? g->ns->level : -1);
	put_i(d, g->ns ? tid_of(g->ns->reaper) : 0);
	put_i(d, g->ns ? g->ns->zapped : 0);
	put_i(d, g->kthread);
	put_i(d, g->exit_state);
	put_i(d, g->exit_kind);
	put_i(d, g->exit_code);
	put_i(d, g->core_dumped);
	put_u64(d, g->pipefds.n);
	for (size_t i = 0; i < g->pipefds.n; i++)
		put_u64(d, g->pipefds.held[i]);
	put_u64(d, g->npidfds);
	for (size_t i = 0; i < g->npidfds; i++)
		put_i(d, g->pidfds[i]);
	put_i(d, g->exit_signal);
	put_i(d, g->is_child_subreaper);
	put_i(d, g->has_child_subreaper);
	put_i(d, g->forknoexec);
	put_u64(d, g->self_exec_id);
	put_u64(d, g->parent_exec_id);
	put_timers(d, g->timers);
	for (int i = 0; i < SL_RLIM_NLIMITS; i++) {
		put_u64(d, g->rlim[i].cur);
		put_u64(d, g->rlim[i].max);
	}
	put_u64(d, (uint64_t)g->cputime);
	put_i(d, g->undumpable);
}

void sl_kernel_digest(const sl_kernel *k, sl_digest_fn put, void *ud)
{
	struct digest d = { .put = put, .ud = ud };

	SL_ASSERT(k != NULL && put != NULL);
	put_i(&d, k->next_tid);
	put_u64(&d, k->nr_processes);
	put_i(&d, tid_of(k->init));
	put_i(&d, k->world.now);
	put_u64(&d, k->world.timer_seq);
	put_u64(&d, k->world.npipes);
	for (size_t i = 0; i < k->world.npipes; i++) {
		const struct model_pipe *p = &k->world.pipes[i];

		put_u64(&d, p->bytes);
		for (int e = 0; e < 2; e++) {
			put_u64(&d, p->end[e].refs);
			put_u64(&d, p->end[e].flags);
			put_i(&d, p->end[e].fa_fd);
			put_i(&d, p->end[e].owner.pid);
			put_i(&d, p->end[e].owner.type);
			put_u64(&d, p->end[e].owner.uid);
			put_i(&d, p->end[e].owner.signum);
		}
	}
	put_u64(&d, k->world.nttys);
	for (size_t i = 0; i < k->world.nttys; i++) {
		const struct model_tty *tty = &k->world.ttys[i];

		put_i(&d, tty->session);
		put_i(&d, tty->pgrp);
		put_u64(&d, tty->lflag | (uint64_t)tty->rows << 16 | (uint64_t)tty->cols << 32 |
			    (uint64_t)tty->hung_up << 48 | (uint64_t)tty->other_closed << 49);
		put_u64(&d, tty->nlines);
		put_u64(&d, tty->partial);
		for (size_t j = 0; j < tty->nlines; j++)
			put_u64(&d, tty->lines[j]);
	}
	for (const struct user *u = k->users; u; u = u->next) {
		put_u64(&d, u->uid);
		put_u64(&d, u->sigpending);
	}
	put_i(&d, -1);
	for (size_t tid = 0; tid < k->ntasks_cap; tid++) {
		const struct task *t = k->tasks[tid];

		if (!t)
			continue;
		put_task(&d, k, t);
		if (t->group->leader == t)
			put_group(&d, t->group);
	}
	/* Leaders in creation order: the order kill(-1) visits them. */
	for (size_t i = 0; i < k->nprocs; i++)
		if (k->procs[i])
			put_i(&d, k->procs[i]->tid);
	put_i(&d, -1);
	for (const struct pgroup *pg = k->pgroups; pg; pg = pg->next) {
		put_i(&d, pg->pgid);
		for (const struct task *m = pg->members; m; m = m->group->pgrp_next)
			put_i(&d, m->tid);
		put_i(&d, -1);
	}
	if (d.n + 8 > sizeof d.buf)
		digest_flush(&d);
	emit_u64(&d, d.words);
	digest_flush(&d);
}
