/* The arena kernel of snapshot.c, as kernel.c sees it. */
#ifndef SIGLAB_ENGINE_ARENA_H
#define SIGLAB_ENGINE_ARENA_H

#include <stdbool.h>

#include "siglab.h"
#include "engine/linkage.h"

/* Frees an arena kernel's whole block at once; false when k is not one. */
SL_PRIVATE bool arena_release(sl_kernel *k);

/* The arena's block and its size (*cap); NULL when k is not an arena
 * kernel. */
SL_PRIVATE const void *arena_block(const sl_kernel *k, size_t *cap);
/* The allocator memory outside the kernel's state comes from: the one the
 * arena came from, or the kernel's own. */
SL_PRIVATE void arena_outer(const sl_kernel *k, sl_alloc_fn *fn, void **ud);

#endif
