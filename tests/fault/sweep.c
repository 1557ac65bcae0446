/*
 * Allocation-failure sweep: runs each scenario (as `siglab run` does) with
 * the Nth allocation of the engine failing, for N = 1, 2, ... until a run
 * sees no failure, and checks every run:
 *
 *   - nothing crashes and no sanitizer fires (built with ASan + UBSan and
 *     the engine's SL_ASSERTs);
 *   - the run ends cleanly: it completes (a call got Linux's ENOMEM or
 *     EAGAIN, a frame it could not push became SIGSEGV, or a siginfo was
 *     lost as kill() loses it) or stops with a located scenario error,
 *     never with "internal: engine invariant broken" (sim runs sl_check
 *     after every step);
 *   - freeing the kernel returns every block the engine allocated.
 *
 * Only the engine's allocations fail (the scenario runner's own memory is
 * the C library's).  Each N runs twice: with allocation N alone failing
 * (as in tests/unit/test_engine_alloc.c), and with every allocation from
 * N on failing (memory that stays short, so the error paths run into
 * further failures).
 *
 *   sweep [--at N | --from N] FILE.scn...
 *
 * --at N and --from N run only that one case (to reproduce a failure).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/commands.h"
#include "scenario/ast.h"
#include "sim/sim.h"

struct failing {
	long fail_at;		/* the allocation number that fails; 0: none */
	bool from_on;		/* and every one after it */
	long count;		/* allocations so far */
	long failures;
	long live_blocks;
};

static void *failing_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct failing *f = ud;
	void *p;

	(void)osize;
	if (nsize == 0) {
		if (ptr)
			f->live_blocks--;
		free(ptr);
		return NULL;
	}
	if (++f->count == f->fail_at || (f->from_on && f->fail_at && f->count > f->fail_at)) {
		f->failures++;
		return NULL;
	}
	p = realloc(ptr, nsize);
	if (p && !ptr)
		f->live_blocks++;
	return p;
}

struct tally {
	long runs, completed, errors, oom, skipped;
};

/* One run with allocation n failing (0: none).  Returns false on a
 * broken check, after saying which. */
static bool run_once(const char *file, const struct scenario *s, long n, bool from_on,
		     struct failing *f, struct tally *t)
{
	struct sim_options opt = { .alloc = failing_alloc, .alloc_ud = f };
	struct sim_result r;
	bool ok = true;
	int ret;

	*f = (struct failing){ .fail_at = n, .from_on = from_on };
	ret = sim_run(s, &opt, &r);
	t->runs++;
	if (getenv("SWEEP_TRACE"))
		fprintf(stderr, "%s %s %ld: ret %d error %d allocs %ld failures %ld: %s\n", file,
			from_on ? "--from" : "--at", n, ret, r.error, f->count, f->failures,
			r.error ? r.diag.message : "");
	if (ret == 0)
		t->completed++;
	else if (r.error)
		t->errors++;
	else
		t->oom++;
	if (r.error && (r.diag.message[0] == '\0' || strstr(r.diag.message, "internal:"))) {
		fprintf(stderr, "%s: %s %ld: %d:%d: %s\n", file, from_on ? "--from" : "--at", n, r.diag.pos.line,
			r.diag.pos.col, r.diag.message[0] ? r.diag.message : "(no message)");
		ok = false;
	}
	if (f->live_blocks != 0) {
		fprintf(stderr, "%s: %s %ld: %ld engine blocks not freed\n", file,
			from_on ? "--from" : "--at", n,
			f->live_blocks);
		ok = false;
	}
	sim_result_free(&r);
	return ok;
}

/* The scenario in `file`, or NULL when it cannot be read or does not
 * parse (the parser's own tests cover those; such a file has no run). */
static struct scenario *load(const char *file)
{
	FILE *fp = fopen(file, "rb");
	struct scenario *s = NULL;
	struct sc_diag d;
	char *text = NULL;
	size_t n = 0, cap = 0, got = 1;

	if (!fp)
		return NULL;
	while (got) {
		if (n == cap) {
			char *nt = realloc(text, cap = cap ? 2 * cap : 4096);

			if (!nt)
				break;
			text = nt;
		}
		got = fread(text + n, 1, cap - n, fp);
		n += got;
	}
	fclose(fp);
	if (!got && sc_parse(file, text, n, &s, &d) < 0)
		s = NULL;
	free(text);
	return s;
}

/* Every N from 1 until a run allocates fewer than N times (allocation N
 * never happened, nothing failed), in both modes. */
static bool sweep_file(const char *file, long only, bool only_from, struct tally *t,
		       long *allocs)
{
	struct scenario *s = load(file);
	struct failing f;
	bool ok;

	if (!s) {
		t->skipped++;
		return true;
	}
	ok = run_once(file, s, 0, false, &f, t);
	*allocs += f.count;
	if (only) {
		ok = run_once(file, s, only, only_from, &f, t) && ok;
	} else {
		for (int mode = 0; mode < 2; mode++)
			for (long n = 1; ok; n++) {
				ok = run_once(file, s, n, mode, &f, t);
				if (f.failures == 0)
					break;
			}
	}
	sc_free(s);
	return ok;
}

int main(int argc, char **argv)
{
	struct tally t = { 0 };
	struct timespec t0, t1;
	long only = 0, allocs = 0;
	bool only_from = false;
	int nfiles = 0, bad = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 1; i < argc; i++) {
		if ((!strcmp(argv[i], "--at") || !strcmp(argv[i], "--from")) && i + 1 < argc) {
			only_from = argv[i][2] == 'f';
			only = atol(argv[++i]);
		} else {
			bad += !sweep_file(argv[i], only, only_from, &t, &allocs);
			nfiles++;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("fault-sweep: %d scenarios (%ld do not parse; %ld engine allocations in the "
	       "others' plain runs), %ld runs: %ld completed, %ld stopped with a scenario "
	       "error, %ld out of memory; %d failed; %.1f s\n",
	       nfiles, t.skipped, allocs, t.runs, t.completed, t.errors, t.oom, bad,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return bad || !nfiles ? 1 : 0;
}
