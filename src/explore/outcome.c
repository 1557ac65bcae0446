/*
 * Outcomes: what an interleaving ends with, reduced to canonical bytes so
 * that equal outcomes are counted together, and rendered for the report.
 * The order of the report is the order of the rendered text (then of the
 * bytes), so it never depends on the order of the search.
 */
#include <stdlib.h>
#include <string.h>

#include "explore/explore.h"
#include "scenario/render.h"

struct bytes {
	unsigned char *p;
	size_t n, cap;
	bool oom;
};

static void put(struct bytes *b, const void *src, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n > b->cap) {
		size_t ncap = b->cap ? b->cap : 256;
		unsigned char *np;

		while (ncap < b->n + n)
			ncap *= 2;
		np = realloc(b->p, ncap);
		if (!np) {
			b->oom = true;
			return;
		}
		b->p = np;
		b->cap = ncap;
	}
	memcpy(b->p + b->n, src, n);
	b->n += n;
}

static void put_i(struct bytes *b, long long v)
{
	unsigned char c[8];

	for (int i = 0; i < 8; i++)
		c[i] = (unsigned char)((uint64_t)v >> (8 * i));
	put(b, c, sizeof c);
}

static void put_str(struct bytes *b, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	put_i(b, s ? (long long)n : -1);
	put(b, s ? s : "", n);
}

int ex_outcome_seal(struct ex_outcome *o, const struct scenario *s)
{
	struct bytes b = { 0 };
	struct ex_hash h;

	for (size_t t = 0; t < s->ntasks; t++) {
		const struct ex_task_end *te = &o->tasks[t];

		put_str(&b, te->final);
		for (int sig = 1; sig <= SL_NSIG; sig++)
			put_i(&b, te->handled[sig]);
		for (int op = 0; op < SC_OP_COUNT; op++) {
			put_i(&b, te->called[op]);
			put_i(&b, te->called[op] ? te->result[op] : 0);
		}
		put_i(&b, (long long)te->blocked);
		put_i(&b, (long long)te->pending);
	}
	put_str(&b, o->stuck);
	for (size_t i = 0; i < s->nexpects; i++)
		put_i(&b, o->expect_ok[i]);
	for (size_t i = 0; i < s->natoms; i++)
		put_i(&b, o->atom_ok[i]);
	if (b.oom) {
		free(b.p);
		return -1;
	}
	o->key = b.p;
	o->keylen = b.n;
	ex_hash_init(&h);
	ex_hash_bytes(&h, b.p, b.n);
	o->hash = h.a;
	return 0;
}

void ex_outcome_free(struct ex_outcome *o, size_t ntasks)
{
	if (o->tasks)
		for (size_t t = 0; t < ntasks; t++)
			free(o->tasks[t].final);
	free(o->tasks);
	free(o->stuck);
	free(o->expect_ok);
	free(o->atom_ok);
	free(o->witness);
	free(o->key);
	memset(o, 0, sizeof *o);
}

void ex_outcomes_free(struct ex_outcomes *set, size_t ntasks)
{
	for (size_t i = 0; i < set->n; i++)
		ex_outcome_free(&set->v[i], ntasks);
	free(set->v);
	free(set->slots);
	memset(set, 0, sizeof *set);
}

static bool same_key(const struct ex_outcome *x, const struct ex_outcome *y)
{
	return x->hash == y->hash && x->keylen == y->keylen && !memcmp(x->key, y->key, x->keylen);
}

static int rehash(struct ex_outcomes *set)
{
	size_t ncap = set->nslots ? set->nslots * 2 : 64;
	size_t *slots = calloc(ncap, sizeof *slots);

	if (!slots)
		return -1;
	for (size_t j = 0; j < set->n; j++) {
		size_t i = (size_t)set->v[j].hash & (ncap - 1);

		while (slots[i])
			i = (i + 1) & (ncap - 1);
		slots[i] = j + 1;
	}
	free(set->slots);
	set->slots = slots;
	set->nslots = ncap;
	return 0;
}

long ex_outcomes_add(struct ex_outcomes *set, struct ex_outcome *o)
{
	size_t i;

	if ((set->n + 1) * 2 > set->nslots && rehash(set) < 0)
		return -1;
	for (i = (size_t)o->hash & (set->nslots - 1); set->slots[i];
	     i = (i + 1) & (set->nslots - 1))
		if (same_key(&set->v[set->slots[i] - 1], o))
			return (long)(set->slots[i] - 1);
	if (set->n == set->cap) {
		size_t ncap = set->cap ? set->cap * 2 : 16;
		struct ex_outcome *nv = realloc(set->v, ncap * sizeof *nv);

		if (!nv)
			return -1;
		set->v = nv;
		set->cap = ncap;
	}
	set->v[set->n] = *o;
	memset(o, 0, sizeof *o);
	set->slots[i] = set->n + 1;
	return (long)set->n++;
}

/* ---- rendering ------------------------------------------------------------ */

static void render_result(struct strbuf *b, long v)
{
	const char *e = v < 0 && v > -4096 ? sl_errno_name((int)-v) : NULL;

	if (e)
		sb_addf(b, "%s", e);
	else
		sb_addf(b, "%ld", v);
}

void ex_outcome_render(struct strbuf *b, const struct scenario *s, const struct ex_outcome *o,
		       const bool *show_result)
{
	for (size_t t = 0; t < s->ntasks; t++) {
		const struct ex_task_end *te = &o->tasks[t];

		sb_addf(b, "    %-6s %s", s->tasks[t].name, te->final ? te->final : "?");
		for (int sig = 1; sig <= SL_NSIG; sig++)
			if (te->handled[sig])
				sb_addf(b, "; handled %s %u", sl_signal_name(sig), te->handled[sig]);
		if (ex_names_set(s, t, SC_EXP_BLOCKED)) {
			sb_add(b, "; blocked ");
			sc_render_set(b, te->blocked);
		}
		if (ex_names_set(s, t, SC_EXP_PENDING)) {
			sb_add(b, "; pending ");
			sc_render_set(b, te->pending);
		}
		for (int op = 0; op < SC_OP_COUNT; op++) {
			if (!show_result || !show_result[t * SC_OP_COUNT + (size_t)op])
				continue;
			sb_addf(b, "; syscall %s = ", sc_op_name((enum sc_op)op));
			if (te->called[op])
				render_result(b, te->result[op]);
			else
				sb_add(b, "(not called)");
		}
		sb_add(b, "\n");
	}
	if (o->stuck)
		sb_addf(b, "    not run: %s\n", o->stuck);
	for (size_t i = 0; i < s->natoms; i++) {
		enum sc_expect_kind k = s->atoms[i].kind;

		/* Task states, handler counts, results and the sets asked
		 * about are on the task lines; the other atoms are facts of
		 * the trace. */
		if (k == SC_EXP_GENERATE || k == SC_EXP_DELIVER || k == SC_EXP_TRACE ||
		    k == SC_EXP_NO_TRACE || k == SC_EXP_ORDER || k == SC_EXP_SIGINFO)
			sb_addf(b, "    %s: %s\n", s->atoms[i].source, o->atom_ok[i] ? "yes" : "no");
	}
	for (size_t i = 0; i < s->nexpects; i++)
		if (!o->expect_ok[i])
			sb_addf(b, "    expect %s: fails here\n", s->expects[i].source);
}

bool ex_names_set(const struct scenario *s, size_t t, enum sc_expect_kind kind)
{
	for (size_t i = 0; i < s->natoms; i++)
		if (s->atoms[i].kind == kind && s->atoms[i].task == (int)t)
			return true;
	for (size_t i = 0; i < s->nexpects; i++)
		if (s->expects[i].kind == kind && s->expects[i].task == (int)t)
			return true;
	return false;
}

static bool names_result(const struct sc_expect *e, size_t t, int op)
{
	return e->kind == SC_EXP_SYSCALL && e->task == (int)t && (int)e->syscall == op;
}

bool *ex_results_to_show(const struct ex_outcomes *set, const struct scenario *s)
{
	bool *show = calloc(s->ntasks * SC_OP_COUNT + 1, sizeof *show);

	if (!show)
		return NULL;
	for (size_t t = 0; t < s->ntasks; t++) {
		for (int op = 0; op < SC_OP_COUNT; op++) {
			bool *f = &show[t * SC_OP_COUNT + (size_t)op];

			for (size_t i = 0; i < s->natoms && !*f; i++)
				*f = names_result(&s->atoms[i], t, op);
			for (size_t i = 0; i < s->nexpects && !*f; i++)
				*f = names_result(&s->expects[i], t, op);
			for (size_t i = 1; i < set->n && !*f; i++) {
				const struct ex_task_end *x = &set->v[0].tasks[t], *y = &set->v[i].tasks[t];

				*f = x->called[op] != y->called[op] ||
				     (x->called[op] && x->result[op] != y->result[op]);
			}
		}
	}
	return show;
}

struct sort_item {
	char *text;
	struct ex_outcome o;
};

static int cmp_items(const void *a, const void *b)
{
	const struct sort_item *x = a, *y = b;
	int c = strcmp(x->text, y->text);
	size_t n = x->o.keylen < y->o.keylen ? x->o.keylen : y->o.keylen;

	if (c)
		return c;
	c = memcmp(x->o.key, y->o.key, n);
	if (c)
		return c;
	return x->o.keylen < y->o.keylen ? -1 : x->o.keylen > y->o.keylen;
}

void ex_outcomes_sort(struct ex_outcomes *set, const struct scenario *s)
{
	struct sort_item *items = calloc(set->n + 1, sizeof *items);
	bool *show = ex_results_to_show(set, s);

	if (!items || !show)
		goto out;
	for (size_t i = 0; i < set->n; i++) {
		struct strbuf b = { 0 };

		ex_outcome_render(&b, s, &set->v[i], show);
		items[i].text = sb_take(&b);
		items[i].o = set->v[i];
		if (!items[i].text)
			goto out_free;
	}
	qsort(items, set->n, sizeof *items, cmp_items);
	for (size_t i = 0; i < set->n; i++)
		set->v[i] = items[i].o;
	/* The slots index the new order (a failure leaves them stale, and
	 * nothing is added after sorting). */
	(void)rehash(set);
out_free:
	for (size_t i = 0; i < set->n; i++)
		free(items[i].text);
out:
	free(items);
	free(show);
}
