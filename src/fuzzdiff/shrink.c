/*
 * Shrinking a divergent scenario (delta debugging, Zeller's ddmin in its
 * greedy form): remove chunks of steps, halving the chunk down to single
 * steps, and keep every removal after which the oracle still says the
 * scenario diverges; then the same over declarations and handlers; then
 * over arguments: options (`flags=...`, `mask=...`, `value=...`), single
 * flags of a `|` list, and statements of a handler or repeat body.  A
 * removal that makes the scenario invalid (a step for an undeclared task)
 * simply does not diverge, and is not kept.  The passes repeat until one
 * changes nothing, or the oracle budget is spent.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzzdiff/fuzzdiff.h"

struct shrink {
	fz_oracle diverges;
	void *ud;
	size_t calls, budget;
};

static bool still(struct shrink *k, const struct fz_scenario *s)
{
	char *text;
	bool d;

	if (k->calls >= k->budget)
		return false;
	text = fz_render(s);
	if (!text)
		return false;
	k->calls++;
	d = k->diverges(text, k->ud);
	free(text);
	return d;
}

/* Tries removing lines [i, i + n) of section `sec`; keeps it when the
 * scenario still diverges. */
static bool try_remove(struct shrink *k, struct fz_scenario *s, int sec, size_t i, size_t n)
{
	struct fz_scenario c;
	struct fz_lines *l;

	if (fz_copy(&c, s) < 0)
		return false;
	l = &c.sect[sec];
	for (size_t j = i; j < i + n; j++)
		free(l->v[j]);
	memmove(&l->v[i], &l->v[i + n], (l->n - i - n) * sizeof *l->v);
	l->n -= n;
	if (!still(k, &c)) {
		fz_free(&c);
		return false;
	}
	fz_free(s);
	*s = c;
	return true;
}

static bool pass_lines(struct shrink *k, struct fz_scenario *s, int sec)
{
	bool changed = false;

	for (size_t chunk = (s->sect[sec].n + 1) / 2; chunk >= 1; chunk /= 2) {
		for (size_t i = s->sect[sec].n; i > 0;) {
			size_t from = i >= chunk ? i - chunk : 0;

			if (try_remove(k, s, sec, from, i - from))
				changed = true;
			i = from;
			if (i > s->sect[sec].n)
				i = s->sect[sec].n;
		}
		if (chunk == 1)
			break;
	}
	return changed;
}

/* Tries the line with bytes [from, to) cut out. */
static bool try_cut(struct shrink *k, struct fz_scenario *s, int sec, size_t i, size_t from,
		    size_t to)
{
	char *old = s->sect[sec].v[i];
	size_t len = strlen(old);
	char *cut = malloc(len + 1);

	if (!cut)
		return false;
	memcpy(cut, old, from);
	memcpy(cut + from, old + to, len - to + 1);
	s->sect[sec].v[i] = cut;
	if (still(k, s)) {
		free(old);
		return true;
	}
	s->sect[sec].v[i] = old;
	free(cut);
	return false;
}

/* The argument pieces of a line, last first: ` key=value` options,
 * `|FLAG` members, and body statements (`; stmt`, or `stmt; ` first).
 * *at is where the scan found the piece: the next scan starts below it
 * (a body's first statement begins after its `{`, so its own start
 * would find it again for ever). */
static bool next_piece(const char *line, size_t before, size_t *from, size_t *to, size_t *at)
{
	for (size_t p = before; p-- > 0;) {
		const char *c = line + p;

		*at = p;

		if (*c == ' ') {
			size_t e = p + 1;

			while (line[e] && line[e] != ' ')
				e++;
			if (memchr(c + 1, '=', e - p - 1) && !memchr(c + 1, '"', e - p - 1)) {
				*from = p;
				*to = e;
				return true;
			}
			continue;
		}
		/* a body's first statement, when another follows: "{ a; b }" */
		if (*c == '{' && c[1] == ' ') {
			const char *semi = strchr(c, ';'), *close = strchr(c, '}');

			if (semi && close && semi < close && semi[1] == ' ') {
				*from = p + 2;
				*to = (size_t)(semi - line) + 2;
				return true;
			}
			continue;
		}
		if (*c == '|' || (*c == ';' && c[1] == ' ')) {
			size_t e = p + 1;

			while (line[e] && line[e] != '|' && line[e] != ';' && line[e] != ' ' &&
			       line[e] != '}')
				e++;
			if (*c == ';') {
				e = p + 1;
				while (line[e] && line[e] != ';' && line[e] != '}')
					e++;
				while (e > p + 1 && line[e - 1] == ' ')
					e--;
			}
			*from = p;
			*to = e;
			return true;
		}
	}
	return false;
}

static bool pass_args(struct shrink *k, struct fz_scenario *s, int sec)
{
	bool changed = false;

	for (size_t i = 0; i < s->sect[sec].n; i++) {
		size_t before = strlen(s->sect[sec].v[i]), from, to, at;

		while (next_piece(s->sect[sec].v[i], before, &from, &to, &at)) {
			if (try_cut(k, s, sec, i, from, to))
				changed = true;
			before = at;
		}
	}
	return changed;
}

size_t fz_shrink(struct fz_scenario *s, fz_oracle diverges, void *ud, size_t budget)
{
	struct shrink k = { diverges, ud, 0, budget };
	bool changed = true;

	while (changed && k.calls < k.budget) {
		changed = pass_lines(&k, s, FZ_STEP);
		changed |= pass_lines(&k, s, FZ_HANDLER);
		changed |= pass_lines(&k, s, FZ_DECL);
		changed |= pass_args(&k, s, FZ_STEP);
		changed |= pass_args(&k, s, FZ_HANDLER);
		changed |= pass_args(&k, s, FZ_DECL);
	}
	return k.calls;
}
