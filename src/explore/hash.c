/*
 * State hashing for explore: a 128-bit hash of a state's canonical bytes,
 * and the table of states seen.  Two lanes (FNV-1a and a multiply-xorshift
 * mix with different constants) make an accidental collision of two
 * distinct states astronomically unlikely (about 2^-128 per pair); the
 * table compares the whole 128 bits.
 */
#include <stdlib.h>

#include "explore/explore.h"

void ex_hash_init(struct ex_hash *h)
{
	h->a = 0xcbf29ce484222325ull;
	h->b = 0x9e3779b97f4a7c15ull;
}

void ex_hash_bytes(struct ex_hash *h, const void *p, size_t n)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < n; i++) {
		h->a = (h->a ^ c[i]) * 0x100000001b3ull;
		h->b = (h->b + c[i] + 1) * 0xff51afd7ed558ccdull;
		h->b ^= h->b >> 29;
	}
}

void ex_hash_u64(struct ex_hash *h, uint64_t v)
{
	unsigned char b[8];

	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	ex_hash_bytes(h, b, sizeof b);
}

static bool same(const struct ex_hash *x, const struct ex_hash *y)
{
	return x->a == y->a && x->b == y->b;
}

long ex_seen_find(const struct ex_seen *t, const struct ex_hash *h)
{
	if (!t->cap)
		return -1;
	for (size_t i = (size_t)h->a & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
		if (t->vals[i] < 0)
			return -1;
		if (same(&t->keys[i], h))
			return t->vals[i];
	}
}

static int seen_grow(struct ex_seen *t)
{
	size_t ncap = t->cap ? t->cap * 2 : 1024;
	struct ex_hash *keys = malloc(ncap * sizeof *keys);
	long *vals = malloc(ncap * sizeof *vals);

	if (!keys || !vals) {
		free(keys);
		free(vals);
		return -1;
	}
	for (size_t i = 0; i < ncap; i++)
		vals[i] = -1;
	for (size_t j = 0; j < t->cap; j++) {
		size_t i;

		if (t->vals[j] < 0)
			continue;
		for (i = (size_t)t->keys[j].a & (ncap - 1); vals[i] >= 0; i = (i + 1) & (ncap - 1))
			;
		keys[i] = t->keys[j];
		vals[i] = t->vals[j];
	}
	free(t->keys);
	free(t->vals);
	t->keys = keys;
	t->vals = vals;
	t->cap = ncap;
	return 0;
}

/* The table stays at most half full, so probes stay short. */
int ex_seen_add(struct ex_seen *t, const struct ex_hash *h, long val)
{
	size_t i;

	if ((t->n + 1) * 2 > t->cap && seen_grow(t) < 0)
		return -1;
	for (i = (size_t)h->a & (t->cap - 1); t->vals[i] >= 0; i = (i + 1) & (t->cap - 1))
		if (same(&t->keys[i], h)) {
			t->vals[i] = val;
			return 0;
		}
	t->keys[i] = *h;
	t->vals[i] = val;
	t->n++;
	return 0;
}

void ex_seen_free(struct ex_seen *t)
{
	free(t->keys);
	free(t->vals);
	t->keys = NULL;
	t->vals = NULL;
	t->cap = t->n = 0;
}
