/*
 * Kernel snapshots: a kernel kept in one arena, saved and restored by
 * copying the arena's bytes (siglab explore keeps states, not paths, with
 * them: a branch of its search restores the state it branches from
 * instead of replaying the path that led there).  Nothing of Linux is
 * modelled here; this is the embedder's side of the kernel object.
 *
 * Rules:
 *   - Every byte of an arena kernel's state, the sl_kernel object and the
 *     allocator's own bookkeeping included, lies in one block taken from
 *     the config's allocator once; the kernel's pointers point into it, or
 *     at the embedder's callbacks and their data, which a restore keeps.
 *   - A snapshot is the block's bytes in use, header first.  Restoring it
 *     into the same arena gives back the same state, byte for byte: the
 *     pointers in it are valid again because the block has not moved.
 *     A snapshot is restored only into the arena it was taken from.
 *   - The arena's allocator is deterministic (size classes, LIFO free
 *     lists, a bump pointer), so a restored kernel allocates as the
 *     original did and behaves identically from there on.
 *   - The block does not grow: an allocation that does not fit fails,
 *     and the engine reports ENOMEM as for any allocator.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/arena.h"
#include "engine/internal.h"

#define ARENA_ALIGN 16u
/* Classes: every 16 bytes up to 1 KiB, every 256 bytes up to 8 KiB, then
 * one per power of two, so that a block wastes little of its class. */
#define ARENA_SMALL_MAX 1024u
#define ARENA_SMALL_CLASSES (ARENA_SMALL_MAX / ARENA_ALIGN)
#define ARENA_MID_STEP 256u
#define ARENA_MID_MAX 8192u
#define ARENA_MID_CLASSES ((ARENA_MID_MAX - ARENA_SMALL_MAX) / ARENA_MID_STEP)
#define ARENA_CLASSES (ARENA_SMALL_CLASSES + ARENA_MID_CLASSES + 48u)

/* The arena's header: the first bytes of the block, so a snapshot holds it. */
struct arena {
	struct arena *self;	/* where the block is: a snapshot's check */
	sl_alloc_fn outer;	/* the allocator the block came from */
	void *outer_ud;
	size_t cap;		/* bytes in the block */
	size_t top;		/* bytes in use from the block's start */
	size_t live;		/* bytes handed out and not freed (rounded) */
	void *free[ARENA_CLASSES]; /* freed blocks per class, LIFO through
				 * their first word */
};

#define ARENA_HEADER ((sizeof(struct arena) + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1))

/* The class of a request, and the bytes a block of that class holds. */
static unsigned arena_class(size_t size, size_t *rounded)
{
	unsigned c;

	if (size <= ARENA_SMALL_MAX) {
		size_t r = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);

		*rounded = r ? r : ARENA_ALIGN;
		return (unsigned)(*rounded / ARENA_ALIGN) - 1;
	}
	if (size <= ARENA_MID_MAX) {
		*rounded = (size + ARENA_MID_STEP - 1) & ~(size_t)(ARENA_MID_STEP - 1);
		return ARENA_SMALL_CLASSES +
		       (unsigned)((*rounded - ARENA_SMALL_MAX) / ARENA_MID_STEP) - 1;
	}
	c = 0;
	for (*rounded = 2 * ARENA_MID_MAX; *rounded < size; *rounded *= 2)
		c++;
	return ARENA_SMALL_CLASSES + ARENA_MID_CLASSES + c;
}

static void *arena_get(struct arena *a, size_t size)
{
	size_t rounded;
	unsigned c = arena_class(size, &rounded);
	void *p = c < ARENA_CLASSES ? a->free[c] : NULL;

	if (c >= ARENA_CLASSES)
		return NULL;
	if (p) {
		memcpy(&a->free[c], p, sizeof(void *));
	} else {
		if (rounded > a->cap - a->top)
			return NULL;
		p = (unsigned char *)a + a->top;
		a->top += rounded;
	}
	a->live += rounded;
	return p;
}

static void arena_put(struct arena *a, void *p, size_t size)
{
	size_t rounded;
	unsigned c = arena_class(size, &rounded);

	memcpy(p, &a->free[c], sizeof(void *));
	a->free[c] = p;
	a->live -= rounded;
}

/* The sl_alloc_fn of an arena kernel (ud: the arena). */
static void *arena_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct arena *a = ud;
	size_t ro, rn;
	void *p;

	if (nsize == 0) {
		if (ptr)
			arena_put(a, ptr, osize);
		return NULL;
	}
	if (ptr) {
		arena_class(osize, &ro);
		arena_class(nsize, &rn);
		if (ro == rn)
			return ptr;
	}
	p = arena_get(a, nsize);
	if (p && ptr) {
		memcpy(p, ptr, osize < nsize ? osize : nsize);
		arena_put(a, ptr, osize);
	}
	return p;
}

static struct arena *arena_of(const sl_kernel *k)
{
	return k && k->cfg.alloc == arena_alloc ? k->cfg.alloc_ud : NULL;
}

int sl_kernel_new_arena(const struct sl_config *cfg, size_t capacity, sl_kernel **out)
{
	struct sl_config c = { 0 };
	struct arena *a;
	int rc;

	if (!out)
		return -SL_EINVAL;
	*out = NULL;
	if (cfg)
		c = *cfg;
	if (!c.alloc)
		c.alloc = default_alloc;
	if (capacity < ARENA_HEADER + sizeof(sl_kernel))
		return -SL_EINVAL;
	a = c.alloc(c.alloc_ud, NULL, 0, capacity);
	if (!a)
		return -SL_ENOMEM;
	memset(a, 0, ARENA_HEADER);
	a->self = a;
	a->outer = c.alloc;
	a->outer_ud = c.alloc_ud;
	a->cap = capacity;
	a->top = ARENA_HEADER;
	c.alloc = arena_alloc;
	c.alloc_ud = a;
	rc = sl_kernel_new(&c, out);
	if (rc < 0)
		a->outer(a->outer_ud, a, a->cap, 0);
	return rc;
}

bool arena_release(sl_kernel *k)
{
	struct arena *a = arena_of(k);

	if (!a)
		return false;
	a->outer(a->outer_ud, a, a->cap, 0);
	return true;
}

const void *arena_block(const sl_kernel *k, size_t *cap)
{
	const struct arena *a = arena_of(k);

	*cap = a ? a->cap : 0;
	return a;
}

void arena_outer(const sl_kernel *k, sl_alloc_fn *fn, void **ud)
{
	const struct arena *a = arena_of(k);

	*fn = a ? a->outer : k->cfg.alloc;
	*ud = a ? a->outer_ud : k->cfg.alloc_ud;
}

size_t sl_kernel_snapshot_size(const sl_kernel *k)
{
	const struct arena *a = arena_of(k);

	return a ? a->top : 0;
}

size_t sl_kernel_arena_live(const sl_kernel *k)
{
	const struct arena *a = arena_of(k);

	return a ? a->live : 0;
}

long sl_kernel_snapshot(const sl_kernel *k, void *buf, size_t len)
{
	const struct arena *a = arena_of(k);

	if (!a || !buf || len < a->top)
		return -SL_EINVAL;
	memcpy(buf, a, a->top);
	return (long)a->top;
}

int sl_kernel_restore(sl_kernel *k, const void *buf, size_t len)
{
	struct arena *a = arena_of(k);
	struct arena h;

	if (!a || !buf || len < ARENA_HEADER)
		return -SL_EINVAL;
	memcpy(&h, buf, sizeof h);
	/* Only a snapshot of this very arena has pointers that are valid here. */
	if (h.self != a || h.cap != a->cap || h.top != len || h.top > a->cap)
		return -SL_EINVAL;
	memcpy(a, buf, len);
	return 0;
}
