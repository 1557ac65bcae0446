/*
 * The distributed search (ex_options.comm): the state space split over
 * the ranks of a communicator by hash, as distributed model checkers do
 * (PREACH, DiVinE): rank hash % size owns a state, keeps it in its seen
 * table, expands it and counts what reaches it.  The same outcomes,
 * counts and witnesses as the serial search, on rank 0.
 *
 *   1. Reachability, in rounds (a bulk-synchronous loop: the exchange
 *      and the sum at the end of each round are the termination test):
 *      each rank expands up to ROUND states a round, depth first from
 *      each state's snapshot into the new states it owns itself (the
 *      serial walk, restricted to them), and sends every successor that
 *      another rank owns to its owner as its replayable identity, the
 *      choices that lead to it from the start (runs are deterministic, so
 *      any path to a state rebuilds it; a snapshot is the kernel's arena,
 *      full of this process's addresses).  The owner keeps the new ones
 *      in its queue and rebuilds each by its path before expanding it.
 *      Every arrival is a visit and one more edge into the state; an
 *      expanded state keeps its edges: per option, the state it leads
 *      to, or the outcome it ends in.
 *   2. Counting, in rounds again: the states form a DAG; a state whose
 *      every incoming edge has brought its count (the root: 1) is ready,
 *      and passes its count, with the least path that reaches it, along
 *      each edge (Kahn's order).  A leaf edge adds to its outcome's
 *      count, and keeps the least path: the serial search's witness is
 *      the first interleaving in option order that reaches the outcome
 *      (parallel.c), i.e. the least such path.  States never ready lie
 *      on a cycle: the scenario does not settle.
 *   3. Rank 0 gathers, per outcome, the count and the least path, and
 *      replays each path once to intern the outcome (paths in order, so
 *      an outcome met again keeps the first witness).
 *
 * `states` are the distinct choice states (each counted by its owner),
 * visits the edges into them plus the root, as in the serial walk
 * (search.h, struct shared).  A scenario error anywhere makes rank 0 run
 * the serial search (ex_explore), which names the interleaving the
 * serial search names; the bound and an interrupt stop the rounds and
 * count what was found (partial, as with threads).
 *
 * A state costs its owner its hash, its record, its edges and, while
 * queued, its path; no rank holds the whole seen table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore/search.h"

/* States a rank expands between two exchanges. */
#define ROUND 8192

struct dstate {
	struct ex_hash h;
	int *path;		/* phase 1: a path here, until expanded;
				 * phase 2: the least path found so far */
	uint32_t len;
	uint32_t nedges;	/* options; edges from edge0, by option */
	size_t edge0;
	uint64_t indeg;		/* edges in, found in phase 1 */
	uint64_t got;		/* of those, counted in phase 2 */
	uint64_t count;		/* interleavings reaching it (saturating) */
	bool expanded, done, root;
};

struct dedge {
	struct ex_hash h;	/* the state it leads to, or */
	long outcome;		/* the outcome it ends in (else -1) */
};

/* An outcome of this rank: its count and least path. */
struct tally {
	uint64_t count;
	int *path;
	uint32_t len;
	bool set;
};

struct bytes {
	unsigned char *p;
	size_t len, cap;
};

struct dist {
	struct shared *sh;
	struct search x;
	const struct ex_comm *cm;
	struct dstate *st;
	size_t nst, stcap;
	struct dedge *ed;
	size_t ned, edcap;
	size_t *q;		/* the queue (phase 1), the ready (phase 2) */
	size_t qhead, qlen, qcap;
	struct bytes *out;	/* per rank, this round */
	struct tally *tal;
	size_t ntal;
	uint64_t visits;
	unsigned long others;	/* the other ranks' states, at the last sum */
	long budget;		/* expansions left in this round */
	bool err;		/* out of memory or a scenario error here */
	bool stop;		/* the bound or an interrupt (every rank) */
};

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

static int owner(const struct dist *d, const struct ex_hash *h)
{
	return (int)(h->b % (uint64_t)d->cm->size);
}

static bool grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t ncap;
	void *np;

	if (need <= *cap)
		return true;
	ncap = *cap ? *cap * 2 : 64;
	while (ncap < need)
		ncap *= 2;
	np = realloc(*p, ncap * size);
	if (!np)
		return false;
	*p = np;
	*cap = ncap;
	return true;
}

static void put(struct dist *d, int to, const void *p, size_t n)
{
	struct bytes *b = &d->out[to];

	if (!n)
		return;
	if (!grow((void **)&b->p, &b->cap, b->len + n, 1)) {
		d->err = true;
		return;
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

/* A path and one more choice, after a header. */
static void put_path(struct dist *d, int to, const int *path, uint32_t len, int c)
{
	uint32_t hdr[2] = { len + 1, 0 };

	put(d, to, hdr, sizeof hdr);
	put(d, to, path, len * sizeof *path);
	put(d, to, &c, sizeof c);
}

static int path_cmp(const int *a, uint32_t alen, const int *b, uint32_t blen)
{
	for (uint32_t i = 0; i < alen && i < blen; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return alen < blen ? -1 : alen > blen;
}

/* The messages of this round out, and those for this rank in (*in). */
static int exchange(struct dist *d, unsigned char **in, size_t *inlen)
{
	int size = d->cm->size;
	size_t *n = calloc((size_t)size, sizeof *n), total = 0;
	unsigned char *all = NULL;
	int rc = -1;

	*in = NULL;
	*inlen = 0;
	if (!n)
		goto out;
	for (int r = 0; r < size; r++)
		total += d->out[r].len;
	all = malloc(total + 1);
	if (!all)
		goto out;
	total = 0;
	for (int r = 0; r < size; r++) {
		if (d->out[r].len)
			memcpy(all + total, d->out[r].p, d->out[r].len);
		total += d->out[r].len;
		n[r] = d->out[r].len;
		d->out[r].len = 0;
	}
	rc = d->cm->exchange(d->cm->ud, all, n, in, inlen);
out:
	free(all);
	free(n);
	return rc;
}

static bool enqueue(struct dist *d, size_t i)
{
	if (d->qhead + d->qlen == d->qcap && d->qhead > 0) {
		memmove(d->q, d->q + d->qhead, d->qlen * sizeof *d->q);
		d->qhead = 0;
	}
	if (!grow((void **)&d->q, &d->qcap, d->qhead + d->qlen + 1, sizeof *d->q)) {
		d->err = true;
		return false;
	}
	d->q[d->qhead + d->qlen++] = i;
	return true;
}

/* Outcome o's tally (zeroed when new), or NULL. */
static struct tally *tally_of(struct dist *d, long o)
{
	size_t n = d->ntal;

	if ((size_t)o >= n) {
		if (!grow((void **)&d->tal, &n, (size_t)o + 1, sizeof *d->tal))
			return NULL;
		memset(d->tal + d->ntal, 0, (n - d->ntal) * sizeof *d->tal);
		d->ntal = n;
	}
	return &d->tal[o];
}

/* A new state of this rank, reached by path[0, len); queued when it is
 * to be rebuilt from its path.  Its index, or -1. */
static long add_state(struct dist *d, const struct ex_hash *h, const int *path, uint32_t len,
		      bool queue)
{
	struct dstate *s;

	if (!grow((void **)&d->st, &d->stcap, d->nst + 1, sizeof *d->st) ||
	    ex_seen_add(&d->sh->seen, h, (long)d->nst) < 0) {
		d->err = true;
		return -1;
	}
	s = &d->st[d->nst];
	memset(s, 0, sizeof *s);
	s->h = *h;
	if (queue) {
		s->len = len;
		s->path = malloc((len + 1) * sizeof *path);
		if (!s->path) {
			d->err = true;
			return -1;
		}
		if (len)
			memcpy(s->path, path, len * sizeof *path);
		if (!enqueue(d, d->nst))
			return -1;
	}
	d->sh->r->states++;
	if (d->sh->r->states + d->others >= d->sh->max_states)
		d->stop = d->sh->r->bound_hit = true;
	return (long)d->nst++;
}

/* ---- phase 1: reachability ------------------------------------------------- */

static void expand_here(struct dist *d, size_t i, size_t depth);

/* One more edge into state h, reached by prefix[0, depth] (arrived from
 * another rank, `path`, or met here): a visit; a new state is kept, and
 * expanded at once when it is met here and the round has room. */
static void edge_in(struct dist *d, const struct ex_hash *h, const int *path, size_t len,
		    bool here)
{
	long i = ex_seen_find(&d->sh->seen, h);

	if (i >= 0) {
		d->visits++;
		d->st[i].indeg++;
		return;
	}
	if (len >= EX_MAX_DEPTH)
		d->sh->r->depth_hit = d->sh->r->bound_hit = true;
	if (len >= EX_MAX_DEPTH || d->stop)
		return;		/* not visited: the search stops here */
	d->visits++;
	here = here && d->budget > 0;
	i = add_state(d, h, path, (uint32_t)len, !here);
	if (i < 0)
		return;
	d->st[i].indeg++;
	if (here)
		expand_here(d, (size_t)i, len);
}

/* Expands state i, where the run stands (prefix[0, depth) its path): its
 * edges, depth first into the new states of this rank (from the
 * snapshot the run just took), the others sent to their owners. */
static void expand_here(struct dist *d, size_t i, size_t depth)
{
	struct search *x = &d->x;
	int n = x->stop_n;
	bool pushed = x->just_saved;
	size_t e0 = d->ned;

	if (ex_check_state(x) < 0 || !grow((void **)&d->ed, &d->edcap, d->ned + (size_t)n,
					   sizeof *d->ed)) {
		d->err = true;
		return;
	}
	d->ned += (size_t)n;
	d->st[i].edge0 = e0;
	d->st[i].nedges = (uint32_t)n;
	d->st[i].expanded = true;
	free(d->st[i].path);
	d->st[i].path = NULL;
	d->budget--;
	if (pushed)
		x->nsaved++;
	x->at_top = pushed;
	for (int c = 0; c < n && !d->err; c++) {
		long outcome = -1;
		struct ex_hash h;

		if (ex_push_choice(x, depth, c) < 0) {
			d->err = true;
			break;
		}
		switch (ex_replay(x, depth + 1, &outcome)) {
		case R_ERROR:
			d->err = true;
			break;
		case R_LEAF:
			d->ed[e0 + (size_t)c] = (struct dedge){ .outcome = outcome };
			break;
		case R_CHOICE:
			h = x->stop_key;
			d->ed[e0 + (size_t)c] = (struct dedge){ .h = h, .outcome = -1 };
			if (owner(d, &h) == d->cm->rank) {
				edge_in(d, &h, x->prefix, depth + 1, true);
			} else {
				put(d, owner(d, &h), &h, sizeof h);
				put_path(d, owner(d, &h), x->prefix, (uint32_t)depth, c);
			}
			break;
		}
	}
	if (pushed)
		x->nsaved--;
	x->at_top = false;
}

/* A queued state, rebuilt by its path from the start, then expanded. */
static void expand(struct dist *d, size_t i)
{
	struct search *x = &d->x;
	const struct dstate *s = &d->st[i];
	long outcome;
	enum replay_end e;

	x->nsaved = 1;
	x->at_top = false;
	for (uint32_t k = 0; k < s->len; k++) {
		if (ex_push_choice(x, k, s->path[k]) < 0) {
			d->err = true;
			return;
		}
	}
	x->force_save = true;	/* its options start from its snapshot */
	e = ex_replay(x, s->len, &outcome);
	x->force_save = false;
	if (e != R_CHOICE || x->stop_key.a != s->h.a || x->stop_key.b != s->h.b) {
		d->err = true;	/* an error, or a run not deterministic */
		return;
	}
	expand_here(d, i, s->len);
}

/* A message of phase 1: a state, the path that reached it. */
static const unsigned char *arrive(struct dist *d, const unsigned char *p)
{
	struct ex_hash h;
	uint32_t hdr[2];

	memcpy(&h, p, sizeof h);
	memcpy(hdr, p + sizeof h, sizeof hdr);
	p += sizeof h + sizeof hdr;
	edge_in(d, &h, (const void *)p, hdr[0], false);
	return p + hdr[0] * sizeof(int);
}

/* The start: every rank runs to the first choice point; its owner keeps
 * it (a visit, as the serial walk counts it).  A scenario without one is
 * one interleaving, found by rank 0. */
static void start(struct dist *d)
{
	long outcome = -1, i;

	switch (ex_replay(&d->x, 0, &outcome)) {
	case R_ERROR:
		d->err = true;
		return;
	case R_LEAF:
		if (d->cm->rank == 0) {
			struct tally *t = tally_of(d, outcome);

			if (t)
				*t = (struct tally){ .count = 1, .set = true };
			d->err = !t;
		}
		return;
	case R_CHOICE:
		break;
	}
	if (owner(d, &d->x.stop_key) != d->cm->rank)
		return;
	d->visits++;
	i = add_state(d, &d->x.stop_key, NULL, 0, false);
	if (i >= 0) {
		d->st[i].root = true;
		expand_here(d, (size_t)i, 0);
	}
}

static bool interrupted(const struct dist *d)
{
	const struct ex_options *opt = d->sh->opt;

	return opt->interrupt && *opt->interrupt;
}

/* The memory a rank holds for its states: the seen table, the states'
 * records and their edges. */
static uint64_t dist_bytes(const struct dist *d)
{
	return d->sh->seen.cap * sizeof *d->sh->seen.slot + d->stcap * sizeof *d->st +
	       d->edcap * sizeof *d->ed;
}

/* The progress line, on the rank that shows it (rank 0 on a terminal),
 * after each round: the sums over the ranks (v, as reachability sums
 * them). */
static void progress(const struct dist *d, const uint64_t *v)
{
	const struct ex_options *opt = d->sh->opt;
	struct ex_progress p;

	if (!opt->progress || d->cm->rank != 0)
		return;
	p.states = (unsigned long)v[2];
	p.visits = (unsigned long)v[5];
	p.frontier = (unsigned long)v[0];
	p.memos_bytes = (size_t)v[6];
	opt->progress(opt->progress_ud, &p);
}

static int reachability(struct dist *d)
{
	struct ex_result *r = d->sh->r;

	d->budget = ROUND;
	start(d);
	for (;;) {
		unsigned char *in;
		size_t inlen;
		uint64_t v[7];

		while (d->budget > 0 && d->qlen && !d->err && !d->stop) {
			d->qlen--;
			expand(d, d->q[d->qhead++]);
		}
		if (exchange(d, &in, &inlen) < 0)
			return -1;
		for (const unsigned char *p = in; p < in + inlen && !d->err;)
			p = arrive(d, p);
		free(in);
		v[0] = d->stop ? 0 : d->qlen;
		v[1] = d->err;
		v[2] = r->states;
		v[3] = interrupted(d);
		v[4] = r->bound_hit;
		v[5] = d->visits;
		v[6] = dist_bytes(d);
		if (d->cm->sum(d->cm->ud, v, 7) < 0)
			return -1;
		progress(d, v);
		if (v[1])
			return -1;
		d->others = v[2] - r->states;
		r->interrupted = r->interrupted || v[3];
		if (v[3] || v[4] || v[2] >= d->sh->max_states)
			d->stop = r->bound_hit = true;
		if (v[0] == 0 || d->stop) {
			v[0] = r->depth_hit;
			if (d->cm->sum(d->cm->ud, v, 1) < 0)
				return -1;
			r->depth_hit = v[0] != 0;
			return 0;
		}
		d->budget = ROUND;
	}
}

/* ---- phase 2: counting ------------------------------------------------------- */

/* `count` interleavings, by `path`, reach state i. */
static void receive(struct dist *d, size_t i, uint64_t count, const int *path, uint32_t len)
{
	struct dstate *s = &d->st[i];

	s->count = sat_add(s->count, count);
	if (!s->got++ || path_cmp(path, len, s->path, s->len) < 0) {
		int *np = realloc(s->path, (len + 1) * sizeof *np);

		if (!np) {
			d->err = true;
			return;
		}
		memcpy(np, path, len * sizeof *np);
		s->path = np;
		s->len = len;
	}
	if (s->got == s->indeg)
		enqueue(d, i);
}

/* An edge into outcome o, by s's path and option c. */
static void tally(struct dist *d, long o, const struct dstate *s, int c)
{
	struct tally *t;
	int *np;

	if (!(t = tally_of(d, o)) || !(np = malloc((s->len + 1) * sizeof *np))) {
		d->err = true;
		return;
	}
	t->count = sat_add(t->count, s->count);
	if (s->len)
		memcpy(np, s->path, s->len * sizeof *np);
	np[s->len] = c;
	if (t->set && path_cmp(np, s->len + 1, t->path, t->len) >= 0) {
		free(np);
		return;
	}
	free(t->path);
	t->path = np;
	t->len = s->len + 1;
	t->set = true;
}

/* A ready state passes its count on along each edge. */
static void pass_on(struct dist *d, size_t i)
{
	const struct dstate *s = &d->st[i];

	d->st[i].done = true;
	for (uint32_t c = 0; c < s->nedges && !d->err; c++) {
		const struct dedge *e = &d->ed[s->edge0 + c];

		if (e->outcome >= 0) {
			tally(d, e->outcome, s, (int)c);
		} else {
			put(d, owner(d, &e->h), &e->h, sizeof e->h);
			put(d, owner(d, &e->h), &s->count, sizeof s->count);
			put_path(d, owner(d, &e->h), s->path, s->len, (int)c);
		}
	}
}

static const unsigned char *arrive_count(struct dist *d, const unsigned char *p)
{
	struct ex_hash h;
	uint64_t count;
	uint32_t hdr[2];
	long i;

	memcpy(&h, p, sizeof h);
	memcpy(&count, p + sizeof h, sizeof count);
	memcpy(hdr, p + sizeof h + sizeof count, sizeof hdr);
	p += sizeof h + sizeof count + sizeof hdr;
	i = ex_seen_find(&d->sh->seen, &h);
	if (i >= 0)
		receive(d, (size_t)i, count, (const void *)p, hdr[0]);
	return p + hdr[0] * sizeof(int);
}

static int counting(struct dist *d)
{
	uint64_t v[2];

	d->qhead = d->qlen = 0;
	for (size_t i = 0; i < d->nst; i++) {
		free(d->st[i].path);
		d->st[i].path = NULL;
		d->st[i].len = 0;
		if (d->st[i].root) {
			d->st[i].count = 1;
			enqueue(d, i);
		}
	}
	do {
		unsigned char *in;
		size_t inlen;

		while (d->qlen && !d->err) {
			d->qlen--;
			pass_on(d, d->q[d->qhead++]);
		}
		d->qhead = 0;
		if (exchange(d, &in, &inlen) < 0)
			return -1;
		for (const unsigned char *p = in; p < in + inlen && !d->err;)
			p = arrive_count(d, p);
		free(in);
		v[0] = d->qlen;
		v[1] = d->err;
		if (d->cm->sum(d->cm->ud, v, 2) < 0)
			return -1;
	} while (v[0] && !v[1]);
	/* States never ready: an interleaving comes back to a state. */
	v[0] = 0;
	for (size_t i = 0; i < d->nst; i++)
		v[0] += !d->st[i].done;
	if (d->cm->sum(d->cm->ud, v, 2) < 0)
		return -1;
	return v[0] || v[1] ? -1 : 0;
}

/* ---- phase 3: the outcomes, on rank 0 ---------------------------------------- */

struct found {
	uint64_t count;
	const int *path;
	uint32_t len;
};

static int found_cmp(const void *a, const void *b)
{
	const struct found *x = a, *y = b;

	return path_cmp(x->path, x->len, y->path, y->len);
}

/* Each outcome of this rank: count, length, path. */
static void send_outcomes(struct dist *d)
{
	for (size_t o = 0; o < d->ntal; o++) {
		uint32_t hdr[2] = { d->tal[o].len, 0 };

		if (!d->tal[o].set)
			continue;
		put(d, 0, &d->tal[o].count, sizeof d->tal[o].count);
		put(d, 0, hdr, sizeof hdr);
		put(d, 0, d->tal[o].path, d->tal[o].len * sizeof(int));
	}
}

static size_t parse_found(const unsigned char *in, size_t inlen, struct found *f)
{
	size_t n = 0;

	for (const unsigned char *p = in; p < in + inlen; n++) {
		uint32_t hdr[2];

		if (f)
			memcpy(&f[n].count, p, sizeof f[n].count);
		memcpy(hdr, p + sizeof(uint64_t), sizeof hdr);
		p += sizeof(uint64_t) + sizeof hdr;
		if (f) {
			f[n].path = (const void *)p;
			f[n].len = hdr[0];
		}
		p += hdr[0] * sizeof(int);
	}
	return n;
}

/* The outcomes interned afresh, in path order, by replaying each path:
 * the first path to an outcome is its witness. */
static int intern(struct dist *d, const unsigned char *in, size_t inlen, struct counts *root)
{
	struct ex_result *r = d->sh->r;
	struct shared sh2 = { .s = d->sh->s, .r = r, .max_states = d->sh->max_states };
	size_t n = parse_found(in, inlen, NULL);
	struct found *f = malloc((n + 1) * sizeof *f);
	struct search x;
	int rc = 0;

	ex_outcomes_free(&r->outcomes, d->sh->s->ntasks);
	memset(&r->outcomes, 0, sizeof r->outcomes);
	if (!f)
		return -1;
	parse_found(in, inlen, f);
	qsort(f, n, sizeof *f, found_cmp);
	ex_worker_init(&x, &sh2);
	for (size_t i = 0; i < n && rc == 0 && !x.oom; i++) {
		long outcome = -1;

		for (uint32_t k = 0; k < f[i].len && rc == 0; k++)
			rc = ex_push_choice(&x, k, f[i].path[k]);
		x.nsaved = x.nsaved ? 1 : 0;
		x.at_top = false;
		if (rc == 0 && ex_replay(&x, f[i].len, &outcome) != R_LEAF)
			rc = -1;
		if (rc == 0)
			rc = ex_counts_add(root, outcome, f[i].count);
	}
	if (x.oom)
		rc = -1;
	ex_worker_free(&x);
	ex_seen_free(&sh2.seen);
	ex_seen_free(&sh2.leaves);
	free(f);
	return rc;
}

static int outcomes(struct dist *d, struct counts *root)
{
	unsigned char *in;
	size_t inlen;
	int rc = 0;

	send_outcomes(d);
	if (exchange(d, &in, &inlen) < 0)
		return -1;
	if (d->cm->rank == 0 && !d->err)
		rc = intern(d, in, inlen, root);
	free(in);
	return d->err ? -1 : rc;
}

/* ---- the search ---------------------------------------------------------------- */

static void dist_free(struct dist *d)
{
	for (size_t i = 0; i < d->nst; i++)
		free(d->st[i].path);
	free(d->st);
	free(d->ed);
	free(d->q);
	for (int r = 0; d->out && r < d->cm->size; r++)
		free(d->out[r].p);
	free(d->out);
	for (size_t o = 0; o < d->ntal; o++)
		free(d->tal[o].path);
	free(d->tal);
	ex_worker_free(&d->x);
}

/* The totals, on every rank: states, visits, model runs. */
static int totals(struct dist *d)
{
	uint64_t v[3] = { d->sh->r->states, d->visits, d->sh->r->runs };

	if (d->cm->sum(d->cm->ud, v, 3) < 0)
		return -1;
	d->sh->r->states = (unsigned long)v[0];
	d->sh->visits = (unsigned long)v[1];
	d->sh->r->runs = (unsigned long)v[2];
	return 0;
}

int ex_dist(struct shared *sh, struct counts *root)
{
	struct dist d = { .sh = sh, .cm = sh->opt->comm };
	int rc = -1;

	ex_worker_init(&d.x, sh);
	d.out = calloc((size_t)d.cm->size, sizeof *d.out);
	d.err = d.x.oom || !d.out;
	/* Every rank takes part in every round, even after an error here:
	 * the sums say when all stop. */
	if (reachability(&d) == 0 && counting(&d) == 0 && totals(&d) == 0 &&
	    outcomes(&d, root) == 0)
		rc = 0;
	if (rc < 0 && !sh->r->error) {
		/* Rank 0 then runs the serial search (ex_explore), whose
		 * error names the interleaving; this text is the fallback. */
		sh->r->error = true;
		sh->r->diag.pos = (struct sc_pos){ 1, 1 };
		snprintf(sh->r->diag.message, sizeof sh->r->diag.message,
			 "the distributed search failed (a scenario error, a cycle, or out of memory)");
	}
	dist_free(&d);
	return rc;
}
