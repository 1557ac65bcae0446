/* The arena kernel of snapshot.c, as kernel.c sees it. */
#ifndef SIGLAB_ENGINE_ARENA_H
#define SIGLAB_ENGINE_ARENA_H

#include <stdbool.h>

#include "siglab.h"
#include "engine/linkage.h"

/* Frees an arena kernel's whole block at once; false when k is not one. */
SL_PRIVATE bool arena_release(sl_kernel *k);

#endif
