/*
 * State hashing for explore: a 128-bit hash of a state's canonical bytes,
 * and the table of states seen.  The bytes are hashed in bulk, eight at a
 * time, in two independent lanes (multiply-rotate rounds with different
 * constants and rotations, each finished by a full avalanche), so an
 * accidental collision of two distinct states is astronomically unlikely
 * (about 2^-128 per pair); the table compares the whole 128 bits.
 */
#include <stdlib.h>
#include <string.h>

#include "explore/explore.h"

#define P1 0x9e3779b185ebca87ull
#define P2 0xc2b2ae3d27d4eb4full
#define P3 0x165667b19e3779f9ull
#define P4 0xff51afd7ed558ccdull

static uint64_t rotl(uint64_t v, int r)
{
	return v << r | v >> (64 - r);
}

/* fmix64 (MurmurHash3's finaliser): every input bit reaches every output bit. */
static uint64_t fmix(uint64_t v)
{
	v ^= v >> 33;
	v *= P4;
	v ^= v >> 33;
	v *= 0xc4ceb9fe1a85ec53ull;
	v ^= v >> 33;
	return v;
}

void ex_hash_init(struct ex_hash *h)
{
	h->a = 0xcbf29ce484222325ull;
	h->b = 0x9e3779b97f4a7c15ull;
}

static void round8(struct ex_hash *h, uint64_t w)
{
	h->a = rotl(h->a + w * P2, 31) * P1;
	h->b = rotl(h->b ^ (w * P3), 27) * P4 + P2;
}

/* One call hashes one byte string: a stream fed in pieces hashes as its
 * pieces are cut (for a stream, ex_hasher). */
void ex_hash_bytes(struct ex_hash *h, const void *p, size_t n)
{
	const unsigned char *c = p;
	size_t i = 0;
	uint64_t w;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, c + i, 8);
		round8(h, w);
	}
	if (i < n) {
		w = 0;
		memcpy(&w, c + i, n - i);
		round8(h, w ^ (uint64_t)(n - i) << 56);
	}
	h->a = fmix(h->a ^ n);
	h->b = fmix(h->b + n * P3);
}

/*
 * The stream: the same rounds, but words alternate between two
 * accumulators per lane, so that two chains of multiplications run side
 * by side instead of one twice as long; the finish folds them together.
 * The bytes are the whole stream's, whatever the pieces: a piece ends on
 * a word boundary, but for the last.
 */
void ex_hasher_init(struct ex_hasher *hs)
{
	ex_hash_init(&hs->h[0]);
	hs->h[1].a = 0x84222325cbf29ce4ull;
	hs->h[1].b = 0x7f4a7c159e3779b9ull;
	hs->n = 0;
}

void ex_hasher_words(struct ex_hasher *hs, const void *p, size_t n)
{
	const unsigned char *c = p;
	size_t i = 0;
	uint64_t w, v;

	if (hs->n & 8) {	/* an odd number of words so far */
		if (n < 8)
			goto tail;
		memcpy(&w, c, 8);
		round8(&hs->h[1], w);
		i = 8;
	}
	for (; i + 16 <= n; i += 16) {
		memcpy(&w, c + i, 8);
		memcpy(&v, c + i + 8, 8);
		round8(&hs->h[0], w);
		round8(&hs->h[1], v);
	}
	if (i + 8 <= n) {
		memcpy(&w, c + i, 8);
		round8(&hs->h[0], w);
		i += 8;
	}
tail:
	hs->n += i;
	if (i < n) {		/* the last piece's tail */
		w = 0;
		memcpy(&w, c + i, n - i);
		round8(&hs->h[(hs->n >> 3) & 1], w ^ (uint64_t)(n - i) << 56);
		hs->n += n - i;
	}
}

void ex_hasher_finish(struct ex_hasher *hs, struct ex_hash *out)
{
	out->a = fmix(hs->h[0].a ^ rotl(hs->h[1].a, 17) ^ hs->n);
	out->b = fmix(hs->h[0].b + rotl(hs->h[1].b, 29) + hs->n * P3);
}

void ex_hash_u64(struct ex_hash *h, uint64_t v)
{
	ex_hash_bytes(h, &v, sizeof v);
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
		const struct ex_seen_slot *sl = &t->slot[i];

		if (sl->val < 0)
			return -1;
		if (same(&sl->key, h))
			return sl->val;
	}
}

/* The first table is large enough for most searches not to grow it. */
#define SEEN_FIRST_CAP 16384u

static int seen_grow(struct ex_seen *t)
{
	size_t ncap = t->cap ? t->cap * 2 : SEEN_FIRST_CAP;
	struct ex_seen_slot *slot = malloc(ncap * sizeof *slot);

	if (!slot)
		return -1;
	for (size_t i = 0; i < ncap; i++)
		slot[i].val = -1;
	for (size_t j = 0; j < t->cap; j++) {
		size_t i;

		if (t->slot[j].val < 0)
			continue;
		for (i = (size_t)t->slot[j].key.a & (ncap - 1); slot[i].val >= 0; i = (i + 1) & (ncap - 1))
			;
		slot[i] = t->slot[j];
	}
	free(t->slot);
	t->slot = slot;
	t->cap = ncap;
	return 0;
}

/* The table stays at most half full, so probes stay short. */
int ex_seen_add(struct ex_seen *t, const struct ex_hash *h, long val)
{
	size_t i;

	if ((t->n + 1) * 2 > t->cap && seen_grow(t) < 0)
		return -1;
	for (i = (size_t)h->a & (t->cap - 1); t->slot[i].val >= 0; i = (i + 1) & (t->cap - 1))
		if (same(&t->slot[i].key, h)) {
			t->slot[i].val = val;
			return 0;
		}
	t->slot[i].key = *h;
	t->slot[i].val = val;
	t->n++;
	return 0;
}

void ex_seen_free(struct ex_seen *t)
{
	free(t->slot);
	t->slot = NULL;
	t->cap = t->n = 0;
}
