/*
 * SL_ASSERT(cond): an invariant the engine relies on at that point (where
 * the kernel has a BUG_ON or a WARN_ON).  Checked when SL_DEBUG is
 * defined (the sanitizer build build-san/, the fuzzers, the fault sweep);
 * compiled out of the release build, where cond is type-checked but never
 * evaluated, so it costs nothing and may not have side effects.  A broken
 * invariant is a bug in the engine or a misuse of the embedding API (a
 * NULL kernel), never a result an embedder handles.
 */
#ifndef SIGLAB_ENGINE_ASSERT_H
#define SIGLAB_ENGINE_ASSERT_H

#ifdef SL_DEBUG
#include <assert.h>
#define SL_ASSERT(cond) assert(cond)
#else
#define SL_ASSERT(cond) ((void)sizeof(!(cond)))
#endif

#endif
