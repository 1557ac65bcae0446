/* Random par-block steps for the tests that hold one search against
 * another (pruned against full, distributed against serial): a
 * deterministic xorshift generator, so every run tests the same
 * scenarios. */
#ifndef SIGLAB_TESTS_RANDOM_SCENARIO_H
#define SIGLAB_TESTS_RANDOM_SCENARIO_H

#include <stdint.h>
#include "scenario/strbuf.h"

/* The next number of the sequence whose state is *st (never 0). */
uint32_t rs_next(uint32_t *st);

/* One step of p0, p1 or p2 inside a par block: a kill, a mask change, a
 * disposition (h0, h1, SIG_IGN, SIG_DFL) or a sigqueue, appended to b. */
void rs_step(struct strbuf *b, uint32_t *st);

#endif
