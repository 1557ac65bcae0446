/*
 * libFuzzer target: scenarios through the parser and then the runner
 * (`siglab run`: sim_run on the engine).  A scenario that parses must run
 * to its end or stop with a located scenario error — never crash, leak,
 * break an engine invariant (sim runs sl_check after every step; the
 * engine's SL_ASSERTs are on) — and run the same way twice.  A third run
 * fails one allocation of the engine (which one follows from the input's
 * length), as tests/fault/sweep.c does for the golden scenarios: it too
 * ends cleanly and the engine gets every block back.  Seeded by the
 * parser's corpus.  Build and run: fuzz/README.md.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/ast.h"
#include "sim/sim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Statements a list runs, counting a repeat's body that many times; a
 * scenario too long to run in milliseconds is not run (it is not a bug). */
#define MAX_WORK 4096

static unsigned long work(const struct sc_stmt *st, size_t n, int depth)
{
	unsigned long w = 0;

	for (size_t i = 0; i < n && w <= MAX_WORK && depth < 16; i++) {
		unsigned long body = work(st[i].body, st[i].nbody, depth + 1);

		w += 1 + (st[i].op == SC_OP_REPEAT ? (unsigned long)st[i].num * body : body);
	}
	return w;
}

static bool small_enough(const struct scenario *s)
{
	unsigned long w = 0;

	for (size_t i = 0; i < s->nhandlers && w <= MAX_WORK; i++)
		w += work(s->handlers[i].body, s->handlers[i].nbody, 0) * 4;
	for (size_t i = 0; i < s->nsteps && w <= MAX_WORK; i++)
		w += work(&s->steps[i].stmt, 1, 0);
	return w <= MAX_WORK;
}

struct failing {
	long fail_at;		/* the allocation that fails */
	long count;		/* allocations so far */
	long live;		/* blocks not yet freed */
};

static void *failing_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct failing *f = ud;
	void *p;

	(void)osize;
	if (nsize == 0) {
		f->live -= ptr != NULL;
		free(ptr);
		return NULL;
	}
	if (++f->count == f->fail_at)
		return NULL;
	p = realloc(ptr, nsize);
	f->live += p && !ptr;
	return p;
}

/* A run that ends with a scenario error must say where and why, and an
 * engine invariant never breaks. */
static void check_clean(int ret, const struct sim_result *r)
{
	if (ret < 0 && r->error &&
	    (r->diag.message[0] == '\0' || strstr(r->diag.message, "internal:")))
		abort();
}

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scenario *s = NULL;
	struct sim_options opt = { .explain = size % 3 == 1, .json = size % 3 == 2 };
	struct sim_result r1, r2, r3;
	struct failing fail = { .fail_at = 1 + (long)(size % 64) };
	struct sc_diag d;
	int ret1, ret2, ret3;

	if (sc_parse("fuzz.scn", (const char *)data, size, &s, &d) < 0)
		return 0;
	if (!small_enough(s)) {
		sc_free(s);
		return 0;
	}
	ret1 = sim_run(s, &opt, &r1);
	ret2 = sim_run(s, &opt, &r2);
	check_clean(ret1, &r1);
	if (ret1 != ret2 || r1.failed != r2.failed || !same(r1.trace, r2.trace) ||
	    !same(r1.report, r2.report))
		abort();	/* not deterministic */
	if (ret1 == 0 && (!r1.trace || !r1.report))
		abort();
	sim_result_free(&r1);
	sim_result_free(&r2);
	opt.alloc = failing_alloc;
	opt.alloc_ud = &fail;
	ret3 = sim_run(s, &opt, &r3);
	check_clean(ret3, &r3);
	if (fail.live != 0)
		abort();	/* the engine leaked after a failed allocation */
	sim_result_free(&r3);
	sc_free(s);
	return 0;
}
