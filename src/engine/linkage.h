/*
 * The linkage of the engine's internal functions: the ones its files share
 * (declared in internal.h, pending.h, sleep.h) are declared SL_PRIVATE.
 * Compiled file by file (the shared library, the unit tests, the fuzzers)
 * they are ordinary external functions, kept out of the shared library by
 * hidden visibility and its version script.  The static library is built
 * from the engine as one translation unit that defines SL_PRIVATE as
 * `static` (Makefile: libsiglab-one.c), so that it defines no global name
 * but the API's sl_* ones, and an embedder that links it with -flto still
 * inlines the API into its own code.
 */
#ifndef SIGLAB_ENGINE_LINKAGE_H
#define SIGLAB_ENGINE_LINKAGE_H

#ifndef SL_PRIVATE
#define SL_PRIVATE
#endif

#endif
