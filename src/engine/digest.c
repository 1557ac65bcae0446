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
#include "engine/arena.h"
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

struct memo_ent;

/* A 128-bit hash of a word stream: two lanes of multiply-rotate rounds,
 * each finished by a full avalanche (the per-task hashes of
 * sl_kernel_digest_memo). */
struct dg_hash {
	uint64_t a, b;
};

struct digest {
	sl_digest_fn put;
	void *ud;
	size_t n;		/* bytes in buf */
	uint64_t words;		/* words written in all */
	struct dg_hash *hs;	/* non-NULL: words go to this hash, not buf */
	struct memo_ent *rd;	/* non-NULL: the arena bytes read are noted */
	const unsigned char *base; /* the arena, for noting */
	size_t cap;		/* its bytes */
	unsigned char buf[DIGEST_CHUNK];
};

static void digest_flush(struct digest *d)
{
	if (d->n)
		d->put(d->ud, d->buf, d->n);
	d->n = 0;
}

#define DG_P1 0x9e3779b185ebca87ull
#define DG_P2 0xc2b2ae3d27d4eb4full
#define DG_P3 0x165667b19e3779f9ull
#define DG_P4 0xff51afd7ed558ccdull

static inline uint64_t dg_rotl(uint64_t v, int r)
{
	return v << r | v >> (64 - r);
}

static inline void dg_round(struct dg_hash *h, uint64_t w)
{
	h->a = dg_rotl(h->a + w * DG_P2, 31) * DG_P1;
	h->b = dg_rotl(h->b ^ (w * DG_P3), 27) * DG_P4 + DG_P2;
}

static inline void emit_u64(struct digest *d, uint64_t v)
{
	if (d->hs) {
		dg_round(d->hs, v);
		return;
	}
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
		if (!d->hs && d->n + 16 > sizeof d->buf)
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

/*
 * The reads of one task's part (sl_kernel_digest_memo): the ranges of
 * the arena its serialisation read, as offsets from the arena's start.
 * A part whose ranges hold the same bytes as when it was serialised
 * serialises the same again: it reads only those bytes, and a pointer
 * among them points where it did.  Memory outside the arena is constant
 * (the engine's tables).
 */
#define MEMO_RANGES 48

struct memo_ent {
	int tid;		/* the task, or -1: no entry */
	bool whole;		/* every read is in the ranges (else the entry
				 * is never reused) */
	uint32_t nr;		/* ranges used */
	struct dg_hash h;	/* the part's hash */
	uint32_t off[MEMO_RANGES];
	uint32_t len[MEMO_RANGES];
};

/*
 * Shared state: the structs that tasks or processes share by pointer
 * until one writes (copy-on-write) live in the arena like the rest, and
 * a part notes the bytes it reads there as any others: the default
 * dispositions (sl_kernel.default_sighand), init's resource limits
 * (rlim_init), the all-zero ptrace, call, timer and descriptor states
 * (pt_none, sys_none, timers_none, files_none), and the credentials
 * (struct cred, shared by a fork's child and its parent until a setuid).
 * Moving to a copy of one's own changes a pointer in the task or group
 * struct, which the part notes whole; a shared struct's own count of
 * sharers is never read, so a fork does not unsettle the parts of the
 * tasks that share it.
 */

/* Notes that the part being serialised read [p, p + n). */
static void note(struct digest *d, const void *p, size_t n)
{
	struct memo_ent *e = d->rd;
	uintptr_t at = (uintptr_t)p, base = (uintptr_t)d->base;
	uint32_t off, last;

	if (!e || at < base || at - base >= d->cap)
		return;
	off = (uint32_t)(at - base);
	if (e->nr) {
		last = e->off[e->nr - 1];
		if (off >= last && off <= last + e->len[e->nr - 1]) {
			if (off + n > last + e->len[e->nr - 1])
				e->len[e->nr - 1] = (uint32_t)(off + n - last);
			return;
		}
	}
	if (e->nr == MEMO_RANGES) {
		e->whole = false;
		return;
	}
	e->off[e->nr] = off;
	e->len[e->nr++] = (uint32_t)n;
}

/* Another task's tid, noted. */
static int tid_noted(struct digest *d, const struct task *t)
{
	if (!t)
		return 0;
	note(d, &t->tid, sizeof t->tid);
	return t->tid;
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
 * dequeue_synchronous_signal takes them in, across signals (by stamp).
 * It reads only heads and entries that put_pending notes. */
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

		note(d, &p->lists->head[sig - 1], sizeof p->lists->head[sig - 1]);
		if (!pending_has_queued(p, sig))
			continue;
		for (const struct sigqueue *q = pending_first(p, sig); q; q = q->next) {
			note(d, q, sizeof *q);
			if (q->user)
				note(d, &q->user->uid, sizeof q->user->uid);
			n++;
		}
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
	note(d, s, sizeof *s);
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
	if (sh != dfl)
		note(d, sh->action, sizeof sh->action);
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

	note(d, pt, sizeof *pt);
	put_u64(d, tsk->ptrace);
	put_u64(d, pt->options);
	put_i(d, tid_noted(d, pt->tracer));
	for (const struct task *t = pt->tracees; t; t = t->pt->next) {
		note(d, &t->pt, sizeof t->pt);
		note(d, &t->pt->next, sizeof t->pt->next);
		put_i(d, tid_noted(d, t));
	}
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
	note(d, t, sizeof *t);
	note(d, &t->group->leader, sizeof t->group->leader);
	put_i(d, t->tid);
	put_i(d, tid_noted(d, t->group->leader));
	put_i(d, tid_noted(d, t->thread_next));
	/* A shared cred's uids, not its count of sharers (which changes
	 * with every fork of a task that shares it). */
	note(d, t->cred, offsetof(struct cred, refs));
	put_u64(d, t->cred->uid);
	put_u64(d, t->cred->euid);
	put_u64(d, t->cred->suid);
	put_u64(d, t->flags);
	put_u64(d, t->jobctl);
	put_i(d, t->state);
	put_i(d, t->sigpending);
	put_i(d, t->resumed);
	put_i(d, t->exit_reported);
	put_i(d, t->released);
	put_i(d, t->exit_kind);
	put_u64(d, (uint64_t)t->cputime);
	put_i(d, t->exit_code);
	put_u64(d, t->blocked);
	put_u64(d, t->sys->real_blocked);
	put_pending(d, &t->pending);
	put_i(d, t->in_fork);
	put_i(d, t->sys->fork.multiprocess);
	put_u64(d, t->sys->fork.flags);
	put_i(d, t->sys->fork.exit_signal);
	put_u64(d, t->sys->fork.delayed);
	put_i(d, t->pgrp_led.pgid);
	put_u64(d, t->nframes);
	if (t->nframes)
		note(d, t->frames, t->nframes * sizeof *t->frames);
	for (size_t i = 0; i < t->nframes; i++) {
		put_i(d, t->frames[i].sig);
		put_u64(d, t->frames[i].saved_mask);
		put_u64(d, t->frames[i].uc_mask);
		put_u64(d, t->frames[i].sp);
		put_altstack(d, &t->frames[i].saved_ss);
		put_i(d, t->frames[i].holds_call);
		put_i(d, t->frames[i].on_altstack);
	}
	for (const struct task *c = t->children; c; c = c->group->sib_next) {
		note(d, &c->group, sizeof c->group);
		note(d, &c->group->sib_next, sizeof c->group->sib_next);
		put_i(d, tid_noted(d, c));
	}
	put_i(d, -1);
	put_i(d, t->pdeath_signal);
	put_syscall(d, t->sys);
	put_altstack(d, &t->sas);
	put_u64(d, t->sys->saved_sigmask);
	put_i(d, t->restore_sigmask);
	put_u64(d, t->sp);
	note(d, &k->default_sighand, sizeof k->default_sighand);
	put_actions(d, t->sighand, k->default_sighand);
	put_ptrace(d, t);
}

static void put_timers(struct digest *d, const struct group_timers *g)
{
	note(d, g, sizeof *g);
	put_i(d, g->real_armed);
	put_i(d, g->real_expires);
	put_i(d, g->real_incr);
	put_u64(d, g->real_seq);
	put_u64(d, g->ntimers);
	if (g->ntimers)
		note(d, g->timers, g->ntimers * sizeof *g->timers);
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
		put_i(d, kt->cpu);
		put_i(d, kt->cpu_thread);
		put_i(d, kt->cpu_tid);
		put_u64(d, (uint64_t)kt->cpu_overrun);
		put_u64(d, kt->seq);	/* breaks ties between expiries */
		put_i(d, kt->signal_seq != kt->sigqueue_seq); /* a queued signal is stale */
	}
	put_u64(d, g->nsigfds);
	if (g->nsigfds)
		note(d, g->sigfds, g->nsigfds * sizeof *g->sigfds);
	for (size_t i = 0; i < g->nsigfds; i++) {
		note(d, g->sigfds[i].file, sizeof *g->sigfds[i].file);
		put_i(d, g->sigfds[i].fd);
		put_u64(d, g->sigfds[i].file->mask);
		put_u64(d, g->sigfds[i].file->refs);
		put_i(d, g->sigfds[i].file->nonblock);
		put_i(d, g->sigfds[i].cloexec);
	}
}

/* The descriptor table: shared all-zero (sl_kernel.files_none) or the
 * process's own, written the same either way. */
static void put_files(struct digest *d, const struct files *f)
{
	note(d, f, sizeof *f);
	put_u64(d, f->pipefds.n);
	if (f->pipefds.n)
		note(d, f->pipefds.held, f->pipefds.n * sizeof *f->pipefds.held);
	for (size_t i = 0; i < f->pipefds.n; i++)
		put_u64(d, f->pipefds.held[i]);
	put_u64(d, f->npidfds);
	if (f->npidfds)
		note(d, f->pidfds, f->npidfds * sizeof *f->pidfds);
	for (size_t i = 0; i < f->npidfds; i++)
		put_i(d, f->pidfds[i]);
}

/* The process-wide state, written once, with its leader. */
static void put_group(struct digest *d, const struct signal_group *g)
{
	note(d, g, sizeof *g);
	put_i(d, tid_noted(d, g->leader));
	put_i(d, tid_noted(d, g->curr_target));
	put_pending(d, &g->shared_pending);
	put_u64(d, g->flags);
	put_i(d, g->group_exit_code);
	put_u64(d, g->group_stop_count);
	put_u64(d, g->nr_threads);
	put_u64(d, g->live);
	put_i(d, tid_noted(d, g->parent));
	if (g->pgrp)
		note(d, &g->pgrp->pgid, sizeof g->pgrp->pgid);
	put_i(d, g->pgrp ? g->pgrp->pgid : 0);
	put_i(d, g->sid);
	put_i(d, g->tty);
	put_i(d, g->tty_old_pgrp);
	put_i(d, g->session_leader);
	if (g->ns)
		note(d, g->ns, sizeof *g->ns);
	put_i(d, g->ns ? g->ns->level : -1);
	put_i(d, g->ns ? tid_noted(d, g->ns->reaper) : 0);
	put_i(d, g->ns ? g->ns->zapped : 0);
	put_i(d, g->kthread);
	put_i(d, g->exit_state);
	put_i(d, g->exit_kind);
	put_i(d, g->exit_code);
	put_i(d, g->core_dumped);
	put_files(d, g->files);
	put_i(d, g->exit_signal);
	put_i(d, g->is_child_subreaper);
	put_i(d, g->has_child_subreaper);
	put_i(d, g->forknoexec);
	put_u64(d, g->self_exec_id);
	put_u64(d, g->parent_exec_id);
	put_timers(d, g->timers);
	note(d, g->rlim, SL_RLIM_NLIMITS * sizeof *g->rlim);
	for (int i = 0; i < SL_RLIM_NLIMITS; i++) {
		put_u64(d, g->rlim[i].cur);
		put_u64(d, g->rlim[i].max);
	}
	put_u64(d, (uint64_t)g->cputime);
	put_i(d, g->undumpable);
}

/* The state outside the tasks, before them: the clock, pipes, terminals,
 * the per-user counts. */
static void put_world(struct digest *d, const sl_kernel *k)
{
	put_i(d, k->next_tid);
	put_u64(d, k->nr_processes);
	put_i(d, tid_of(k->init));
	put_i(d, k->world.now);
	put_u64(d, k->world.timer_seq);
	put_u64(d, k->world.npipes);
	for (size_t i = 0; i < k->world.npipes; i++) {
		const struct model_pipe *p = &k->world.pipes[i];

		put_u64(d, p->bytes);
		for (int e = 0; e < 2; e++) {
			put_u64(d, p->end[e].refs);
			put_u64(d, p->end[e].flags);
			put_i(d, p->end[e].fa_fd);
			put_i(d, p->end[e].owner.pid);
			put_i(d, p->end[e].owner.type);
			put_u64(d, p->end[e].owner.uid);
			put_i(d, p->end[e].owner.signum);
		}
	}
	put_u64(d, k->world.nttys);
	for (size_t i = 0; i < k->world.nttys; i++) {
		const struct model_tty *tty = &k->world.ttys[i];

		put_i(d, tty->session);
		put_i(d, tty->pgrp);
		put_u64(d, tty->lflag | (uint64_t)tty->rows << 16 | (uint64_t)tty->cols << 32 |
			    (uint64_t)tty->hung_up << 48 | (uint64_t)tty->other_closed << 49);
		put_u64(d, tty->nlines);
		put_u64(d, tty->partial);
		for (size_t j = 0; j < tty->nlines; j++)
			put_u64(d, tty->lines[j]);
	}
	for (const struct user *u = k->users; u; u = u->next) {
		put_u64(d, u->uid);
		put_u64(d, u->sigpending);
	}
	put_i(d, -1);
}

/* The lists after the tasks: leaders in creation order (the order
 * kill(-1) visits them), process groups (by pgid) and their members
 * (newest first, the order a group signal visits them). */
static void put_lists(struct digest *d, const sl_kernel *k)
{
	for (size_t i = 0; i < k->nprocs; i++)
		if (k->procs[i])
			put_i(d, k->procs[i]->tid);
	put_i(d, -1);
	for (size_t i = 0; i < k->ntasks_cap; i++) {
		const struct pgroup *pg = k->tasks[i] ? &k->tasks[i]->pgrp_led : NULL;

		if (!pg || !pg->pgid)
			continue;
		put_i(d, pg->pgid);
		for (const struct task *m = pg->members; m; m = m->group->pgrp_next)
			put_i(d, m->tid);
		put_i(d, -1);
	}
}

/* A task's part: the task, and its process's state when it leads it. */
static void put_part(struct digest *d, const sl_kernel *k, const struct task *t)
{
	put_task(d, k, t);
	if (t->group->leader == t)
		put_group(d, t->group);
}

static void digest_end(struct digest *d)
{
	if (d->n + 8 > sizeof d->buf)
		digest_flush(d);
	emit_u64(d, d->words);
	digest_flush(d);
}

void sl_kernel_digest(const sl_kernel *k, sl_digest_fn put, void *ud)
{
	struct digest d = { .put = put, .ud = ud };

	SL_ASSERT(k != NULL && put != NULL);
	put_world(&d, k);
	for (size_t tid = 0; tid < k->ntasks_cap; tid++)
		if (k->tasks[tid])
			put_part(&d, k, k->tasks[tid]);
	put_lists(&d, k);
	digest_end(&d);
}

/* ---- incremental: sl_kernel_digest_memo ------------------------------------ */

/*
 * The same state serialised with each task's part (put_part) replaced by
 * its 128-bit hash: equal states give equal bytes, and distinct states
 * distinct bytes but for a collision of the part hashes (about 2^-128 a
 * pair).  A memo keeps each part's hash with the arena ranges it read;
 * given the memo of the state a snapshot holds, a part whose ranges hold
 * the same bytes in the kernel now as in the snapshot is not serialised
 * again.  A move changes a few tasks' parts: the others cost a compare.
 */
struct sl_digest_memo {
	sl_alloc_fn alloc;	/* where the memo's memory comes from */
	void *alloc_ud;
	const void *arena;	/* the arena its ranges are offsets into */
	size_t n;		/* entries in use (tids below n) */
	size_t cap;		/* entries allocated */
	struct memo_ent *ent;	/* by tid */
};

static uint64_t dg_fmix(uint64_t v)
{
	v ^= v >> 33;
	v *= DG_P4;
	v ^= v >> 33;
	v *= 0xc4ceb9fe1a85ec53ull;
	v ^= v >> 33;
	return v;
}

int sl_digest_memo_new(const sl_kernel *k, sl_digest_memo **out)
{
	sl_alloc_fn fn;
	void *ud;
	sl_digest_memo *m;

	SL_ASSERT(k != NULL && out != NULL);
	arena_outer(k, &fn, &ud);
	m = fn(ud, NULL, 0, sizeof *m);
	*out = m;
	if (!m)
		return -SL_ENOMEM;
	*m = (sl_digest_memo){ .alloc = fn, .alloc_ud = ud };
	return 0;
}

void sl_digest_memo_free(sl_digest_memo *m)
{
	if (!m)
		return;
	if (m->ent)
		m->alloc(m->alloc_ud, m->ent, m->cap * sizeof *m->ent, 0);
	m->alloc(m->alloc_ud, m, sizeof *m, 0);
}

void sl_digest_memo_clear(sl_digest_memo *m)
{
	if (m)
		m->n = 0;
}

/* Whether entry e, made when the arena held the bytes of snap, reads the
 * same bytes in the arena now. */
static bool memo_still(const struct memo_ent *e, const unsigned char *arena,
		       const unsigned char *snap, size_t snap_len)
{
	if (e->tid < 0 || !e->whole)
		return false;
	for (uint32_t i = 0; i < e->nr; i++) {
		size_t off = e->off[i], len = e->len[i];

		if (off + len > snap_len)
			return false;
		if (len == 8) {
			uint64_t x, y;

			__builtin_memcpy(&x, arena + off, 8);
			__builtin_memcpy(&y, snap + off, 8);
			if (x != y)
				return false;
		} else if (len == 4) {
			uint32_t x, y;

			__builtin_memcpy(&x, arena + off, 4);
			__builtin_memcpy(&y, snap + off, 4);
			if (x != y)
				return false;
		} else if (__builtin_memcmp(arena + off, snap + off, len) != 0) {
			return false;
		}
	}
	return true;
}

static void memo_copy(struct memo_ent *to, const struct memo_ent *from)
{
	to->tid = from->tid;
	to->whole = from->whole;
	to->nr = from->nr;
	to->h = from->h;
	__builtin_memcpy(to->off, from->off, from->nr * sizeof *from->off);
	__builtin_memcpy(to->len, from->len, from->nr * sizeof *from->len);
}

/* Serialises task tid's part into e: its hash and the ranges it read. */
static void memo_part(const sl_kernel *k, int tid, struct memo_ent *e, const void *arena,
		      size_t cap)
{
	struct dg_hash h = { 0xcbf29ce484222325ull, 0x9e3779b97f4a7c15ull };
	struct digest d = { .hs = &h, .rd = e, .base = arena, .cap = cap };

	e->tid = tid;
	e->whole = arena != NULL && cap <= UINT32_MAX;
	e->nr = 0;
	note(&d, &k->tasks, sizeof k->tasks);
	note(&d, &k->tasks[tid], sizeof k->tasks[tid]);
	put_part(&d, k, k->tasks[tid]);
	dg_round(&h, d.words);
	e->h.a = dg_fmix(h.a ^ d.words);
	e->h.b = dg_fmix(h.b + d.words * DG_P3);
}

/* Room for n entries in m; false when out of memory. */
static bool memo_room(sl_digest_memo *m, size_t n)
{
	size_t ncap = m->cap ? m->cap : 16;
	struct memo_ent *ne;

	if (n <= m->cap)
		return true;
	while (ncap < n)
		ncap *= 2;
	ne = m->alloc(m->alloc_ud, m->ent, m->cap * sizeof *m->ent, ncap * sizeof *ne);
	if (!ne)
		return false;
	m->ent = ne;
	m->cap = ncap;
	return true;
}

int sl_kernel_digest_memo(const sl_kernel *k, const sl_digest_memo *base, const void *snap,
			  size_t snap_len, sl_digest_memo *out, sl_digest_fn put, void *ud)
{
	struct digest d = { .put = put, .ud = ud };
	struct memo_ent scratch;
	size_t cap;
	const void *arena = arena_block(k, &cap);
	bool room;

	SL_ASSERT(k != NULL && out != NULL && put != NULL);
	room = memo_room(out, k->ntasks_cap);
	out->n = room ? k->ntasks_cap : 0;
	out->arena = arena;
	if (!base || !snap || !arena || base->arena != arena)
		base = NULL;
	put_world(&d, k);
	for (size_t tid = 0; tid < k->ntasks_cap; tid++) {
		struct memo_ent *e = room ? &out->ent[tid] : &scratch;
		const struct memo_ent *b = base && tid < base->n ? &base->ent[tid] : NULL;

		if (!k->tasks[tid]) {
			e->tid = -1;
			continue;
		}
		if (b && memo_still(b, arena, snap, snap_len))
			memo_copy(e, b);
		else
			memo_part(k, (int)tid, e, arena, cap);
		put_i(&d, (long long)tid);
		put_u64(&d, e->h.a);
		put_u64(&d, e->h.b);
	}
	put_lists(&d, k);
	digest_end(&d);
	return room ? 0 : -SL_ENOMEM;
}
