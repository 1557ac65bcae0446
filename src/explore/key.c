/*
 * The state key: what goes into a state's hash (docs/explore.md, the
 * state key).  A state is the engine's whole state (sl_kernel_digest),
 * the runner's record of the run (handler counts, syscall results, facts
 * of the trace that atoms ask about) and where the schedule stands (which
 * steps have run, which block is open).  Two runs with equal keys have
 * the same future, so the search (search.c) explores each key once.
 */
#include <stdlib.h>
#include <string.h>

#include "explore/search.h"
static bool key_reserve(struct search *x, size_t more)
{
	struct snap_bytes *b = &x->key;
	void *np;

	if (b->len + more <= b->cap)
		return true;
	np = realloc(b->p, (b->len + more) * 2);
	if (!np) {
		x->oom = true;
		return false;
	}
	b->p = np;
	b->cap = (b->len + more) * 2;
	return true;
}

static void key_put(struct search *x, const void *p, size_t n)
{
	if (!key_reserve(x, n))
		return;
	memcpy((unsigned char *)x->key.p + x->key.len, p, n);
	x->key.len += n;
}

static void key_u64(struct search *x, uint64_t v)
{
	key_put(x, &v, sizeof v);
}

/* The engine's digest goes straight into the hash: its pieces are whole
 * words (sl_kernel_digest writes 64-bit words). */
static void digest_put(void *ud, const void *p, size_t n)
{
	struct search *x = ud;

	ex_hasher_words(&x->hasher, p, n);
}

/* Atoms whose truth is a fact of the run so far (once seen, always seen)
 * rather than of the final state: their truth now is part of the state. */
static bool history_atom(const struct sc_expect *e)
{
	return e->kind == SC_EXP_TRACE || e->kind == SC_EXP_NO_TRACE ||
	       e->kind == SC_EXP_GENERATE || e->kind == SC_EXP_DELIVER ||
	       e->kind == SC_EXP_ORDER || e->kind == SC_EXP_SIGINFO;
}

static uint64_t pos_of(const struct sc_pos *p)
{
	return (uint64_t)p->line << 32 | (uint32_t)p->col;
}

/* A name a result or a siginfo gave as a pid: the scenario task's index,
 * or the text's own hash ("0", "?"), never the pointer. */
static uint64_t name_key(const struct scenario *s, const char *name)
{
	uint64_t h = 0xcbf29ce484222325ull;

	if (!name)
		return 0;
	for (size_t t = 0; t < s->ntasks; t++)
		if (s->tasks[t].name == name)
			return t + 1;
	for (const char *c = name; *c; c++)
		h = (h ^ (unsigned char)*c) * 0x100000001b3ull;
	return h | 1ull << 63;
}

/*
 * What a condition or an expectation can still observe of task t's
 * record beyond its counts and results: the task a pid result named
 * (`syscall NAME = TASK`), and the order its handlers began in
 * (`handled order`), which later handlers extend, so its truth at the end
 * is not its truth now.  The order is written only when an atom or an
 * expectation names it, and only as far as the longest of them reads:
 * a list longer than that fails them all, whatever comes after.  (The
 * last siginfo per signal needs no more than the atom's truth, kept with
 * the history atoms: a later siginfo of the signal replaces it whole.)
 */
static void key_observed(struct search *x, const struct sim *sm, size_t t)
{
	const struct task_record *rec = &sm->rec[t];
	int len = x->order_len ? x->order_len[t] : -1;

	for (int op = 0; op < SC_OP_COUNT; op++) {
		uint64_t eight;

		/* Mostly no calls: eight flags skipped at a time. */
		if (op % 8 == 0 && op + 8 <= SC_OP_COUNT) {
			memcpy(&eight, &rec->called[op], sizeof eight);
			if (!eight) {
				op += 7;
				continue;
			}
		}
		if (rec->called[op] && rec->last_pid[op])
			key_u64(x, (uint64_t)op << 56 ^ name_key(sm->s, rec->last_pid[op]));
	}
	key_u64(x, 0);
	if (len < 0)
		return;
	key_u64(x, rec->norder > (unsigned)len ? (uint64_t)len + 1 : rec->norder);
	for (unsigned i = 0; i < rec->norder && i < (unsigned)len && i < SC_MAX_ORDER; i++)
		key_u64(x, (uint64_t)rec->order[i]);
}

static void key_siginfo(struct search *x, const struct sl_siginfo *i)
{
	key_u64(x, (uint64_t)(uint32_t)i->signo << 32 | (uint32_t)i->errnum);
	key_u64(x, (uint64_t)(uint32_t)i->code << 32 | (uint32_t)i->pid);
	key_u64(x, (uint64_t)i->uid << 32 | (uint32_t)i->status);
	key_u64(x, i->value);
	key_u64(x, i->addr);
	key_u64(x, (uint64_t)(uint32_t)i->timerid << 32 | (uint32_t)i->overrun);
}

/* ptrace: what a tracer holds of the task in the runner, not the engine:
 * the stop in a handler's rt_sigreturn, the call whose syscall-enter-stop
 * holds it, and the frames set up whose handlers have not run (each with
 * its siginfo and action, which the handler will see). */
static void key_held(struct search *x, const struct task_record *rec)
{
	key_u64(x, (uint64_t)rec->sigreturn_stop);
	key_u64(x, rec->traced_call ? pos_of(&rec->traced_call->pos) : 0);
	key_u64(x, rec->nrest);
	for (size_t i = 0; i < rec->nrest; i++) {
		const struct sl_ksignal *ks = &rec->rest[i];

		key_u64(x, (uint64_t)ks->sig);
		key_siginfo(x, &ks->info);
		key_u64(x, ks->ka.handler);
		key_u64(x, ks->ka.flags);
		key_u64(x, ks->ka.mask);
		key_u64(x, ks->saved_mask);
		key_u64(x, ks->frame_sp);
		key_u64(x, (uint64_t)ks->sys_nr);
		key_u64(x, (uint64_t)ks->sys_ret);
	}
}

/* Task t's record: sparse, each list ended by a 0 (no signal and no op
 * is 0): the signals handled, with their counts; the calls made, with
 * their last results; then what a condition or the runner can still
 * observe of it. */
static void key_task(struct search *x, struct sim *sm, size_t t)
{
	const struct task_record *rec = &sm->rec[t];

	key_u64(x, (uint64_t)sm->task_tid[t]);
	/* Mostly zeros: skipped two counts (eight flags) at a time. */
	for (int sig = 1; sig + 1 <= SL_NSIG; sig += 2) {
		uint64_t two;

		memcpy(&two, &rec->handled[sig], sizeof two);
		if (!two)
			continue;
		for (int i = sig; i < sig + 2; i++)
			if (rec->handled[i])
				key_u64(x, (uint64_t)i << 32 | rec->handled[i]);
	}
	key_u64(x, 0);
	for (int op = 0; op < SC_OP_COUNT; op++) {
		uint64_t eight = 0;

		if (op % 8 == 0 && op + 8 <= SC_OP_COUNT) {
			memcpy(&eight, &rec->called[op], sizeof eight);
			if (!eight) {
				op += 7;
				continue;
			}
		}
		if (rec->called[op]) {
			key_u64(x, (uint64_t)op + 1);
			key_u64(x, (uint64_t)rec->last_result[op]);
		}
	}
	key_u64(x, 0);
	key_u64(x, rec->blocked ? pos_of(&rec->blocked->pos) : 0);
	key_u64(x, rec->fork_step ? pos_of(&rec->fork_step->stmt.pos) : 0);
	key_u64(x, (uint64_t)rec->fork_stage);
	key_observed(x, sm, t);
	key_held(x, rec);
}

/*
 * Each task's record goes into the key as the 128-bit hash of its bytes
 * (key_task), kept per task while its version and tid stay: a record's
 * version names its content (sim_rec_w), and its bytes are a function of
 * the record, the tid and the scenario.  A move writes one or two
 * records; the others are not serialised again.
 */
/* Task t's record hash cached for its version and tid, or NULL. */
static const struct rec_key *rk_find(const struct search *x, const struct sim *sm, size_t t)
{
	const struct rec_key *rk = x->rk ? &x->rk[t * EX_RK_WAYS] : NULL;

	for (unsigned w = 0; rk && w < EX_RK_WAYS; w++)
		if (rk[w].valid && rk[w].ver == sm->rec_ver[t] && rk[w].tid == sm->task_tid[t])
			return &rk[w];
	return NULL;
}

static void key_record(struct search *x, struct sim *sm)
{
	const struct scenario *s = sm->s;

	for (size_t t = 0; t < s->ntasks; t++) {
		const struct rec_key *found = rk_find(x, sm, t);
		struct ex_hash h;

		if (found) {
			h = found->h;
		} else {
			size_t at = x->key.len;

			key_task(x, sm, t);
			ex_hash_init(&h);
			ex_hash_bytes(&h, (unsigned char *)x->key.p + at, x->key.len - at);
			x->key.len = at;
			if (x->rk && x->rk_next) {
				unsigned w = x->rk_next[t]++ % EX_RK_WAYS;

				x->rk[t * EX_RK_WAYS + w] = (struct rec_key){ sm->rec_ver[t], sm->task_tid[t],
									  !x->oom, h };
			}
		}
		key_u64(x, h.a);
		key_u64(x, h.b);
	}
	key_u64(x, sm->unwinding);
	key_u64(x, sm->npipes_made);
	for (size_t i = 0; i < s->natoms; i++)
		if (history_atom(&s->atoms[i]))
			key_u64(x, sim_expect_holds(sm, &s->atoms[i]));
	for (size_t i = 0; i < s->nexpects; i++)
		if (history_atom(&s->expects[i]))
			key_u64(x, sim_expect_holds(sm, &s->expects[i]));
}

/* The engine's part, streamed into the hash: from the part hashes of the
 * saved state the run was restored from (the top of the path's saved
 * states), into x->memo.  With check_hash, also from scratch, and the two
 * compared. */
static void key_engine(struct search *x, struct sim *sm, const struct ex_hasher *runner,
		       struct ex_hash *h)
{
	const struct saved *top = x->nsaved ? &x->saved[x->nsaved - 1] : NULL;
	const sl_digest_memo *base = top ? top->memo : NULL;
	struct ex_hasher check = *runner;
	struct ex_hash full;

	if (!x->memo && sl_digest_memo_new(sm->k, &x->memo) < 0)
		x->oom = true;
	if (!x->memo) {
		sl_kernel_digest(sm->k, digest_put, x);
		ex_hasher_finish(&x->hasher, h);
		return;
	}
	if (sl_kernel_digest_memo(sm->k, base, base ? top->sn.kbuf : NULL, base ? top->sn.klen : 0,
				  x->memo, digest_put, x) < 0)
		x->oom = true;
	ex_hasher_finish(&x->hasher, h);
	if (!x->sh->opt || !x->sh->opt->check_hash)
		return;
	if (!x->memo_check && sl_digest_memo_new(sm->k, &x->memo_check) < 0) {
		x->oom = true;
		return;
	}
	x->hasher = check;
	sl_kernel_digest_memo(sm->k, NULL, NULL, 0, x->memo_check, digest_put, x);
	ex_hasher_finish(&x->hasher, &full);
	if (full.a != h->a || full.b != h->b) {
		ex_lock(x->sh);
		x->sh->hash_mismatches++;
		ex_unlock(x->sh);
	}
}

/* The state's canonical bytes, hashed as they are written (hash.c): the
 * runner's part, gathered in one reused buffer, then the engine's digest,
 * streamed.  The runner's part is prefix-free (fixed fields, lists with
 * their ends), padded to a whole word, so where it ends and the digest
 * begins is never in doubt. */
void ex_state_key(struct search *x, struct sim *sm, enum phase ph, struct ex_hash *h)
{
	static const unsigned char zeros[8];

	x->key.len = 0;
	key_u64(x, ph);
	key_u64(x, sm->block);
	/* Mid-settle, the step being settled is part of where we are (an
	 * `advance` settles after each expiry, up to its own end time). */
	key_u64(x, ph == PHASE_SETTLE ? (uint64_t)sm->step : 0);
	key_put(x, x->done, x->s->nsteps * sizeof *x->done);
	key_record(x, sm);
	key_put(x, zeros, (8 - x->key.len % 8) % 8);
	ex_hasher_init(&x->hasher);
	ex_hasher_words(&x->hasher, x->key.p, x->key.len);
	key_engine(x, sm, &x->hasher, h);
}

static void longest_order(int *len, const struct sc_expect *e, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (e[i].kind == SC_EXP_ORDER && e[i].task >= 0 && e[i].norder > len[e[i].task])
			len[e[i].task] = e[i].norder;
}

/* Per task, the longest `handled order` list an atom or an expectation
 * checks it against, or -1 (malloc'd). */
int *ex_order_lens(const struct scenario *s)
{
	int *len = malloc((s->ntasks + 1) * sizeof *len);

	if (!len)
		return NULL;
	for (size_t t = 0; t <= s->ntasks; t++)
		len[t] = -1;
	longest_order(len, s->atoms, s->natoms);
	longest_order(len, s->expects, s->nexpects);
	return len;
}

