/* siglab fuzz's generator and shrinker (src/fuzzdiff/), without the host:
 * a seed gives the same scenario every time, every generated scenario
 * parses and runs on the model to the end, every statement of the
 * language has a generator row, and the shrinker keeps exactly what an
 * oracle needs. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzdiff/fuzzdiff.h"
#include "scenario/ast.h"
#include "sim/sim.h"

static char *generate(uint64_t seed)
{
	struct fz_scenario sc;
	char *text;

	cr_assert_eq(fz_generate(seed, &sc), 0, "seed %llu", (unsigned long long)seed);
	text = fz_render(&sc);
	cr_assert_not_null(text);
	fz_free(&sc);
	return text;
}

Test(fuzzdiff, a_seed_gives_the_same_scenario_every_time)
{
	for (uint64_t seed = 1; seed <= 20; seed++) {
		char *a = generate(seed), *b = generate(seed);

		cr_assert_str_eq(a, b);
		free(a);
		free(b);
	}
}

Test(fuzzdiff, generated_scenarios_parse_and_run_on_the_model)
{
	for (uint64_t seed = 100; seed < 160; seed++) {
		char *text = generate(seed);
		struct scenario *s = NULL;
		struct sc_diag d;
		struct sim_options so = { 0 };
		struct sim_result r;

		cr_assert_eq(sc_parse("fuzz.scn", text, strlen(text), &s, &d), 0,
			     "seed %llu: %d:%d: %s", (unsigned long long)seed, d.pos.line,
			     d.pos.col, d.message);
		cr_assert_eq(sim_run(s, &so, &r), 0, "seed %llu", (unsigned long long)seed);
		cr_assert(!s->model_only && !s->what_if);
		sim_result_free(&r);
		sc_free(s);
		free(text);
	}
}

Test(fuzzdiff, every_statement_has_a_generator_row)
{
	cr_assert_eq(fz_coverage(NULL, NULL), 0);
}

/* An oracle that "diverges" while the text has both a kill and p1. */
static bool has_kill_p1(const char *text, void *ud)
{
	(*(int *)ud)++;
	return strstr(text, "kill p1 SIGUSR1") != NULL && strstr(text, "process p1") != NULL;
}

Test(fuzzdiff, the_shrinker_keeps_only_what_the_oracle_needs)
{
	struct fz_scenario sc = { 0 };
	int calls = 0;
	char *text;

	fz_push(&sc.sect[FZ_HEAD], "scenario s");
	fz_push(&sc.sect[FZ_DECL], "process p0");
	fz_push(&sc.sect[FZ_DECL], "process p1");
	fz_push(&sc.sect[FZ_DECL], "process p2");
	fz_push(&sc.sect[FZ_HANDLER], "handler h { log \"a\"; raise SIGUSR2 }");
	fz_push(&sc.sect[FZ_STEP], "p0: sigaction SIGUSR1 h flags=SA_RESTART|SA_NODEFER");
	fz_push(&sc.sect[FZ_STEP], "p2: raise 0");
	fz_push(&sc.sect[FZ_STEP], "p0: kill p1 SIGUSR1");
	fz_push(&sc.sect[FZ_STEP], "p2: log \"x\"");
	cr_assert(fz_shrink(&sc, has_kill_p1, &calls, 500) > 0);
	text = fz_render(&sc);
	cr_assert_str_eq(text, "scenario s\nprocess p1\np0: kill p1 SIGUSR1\n");
	free(text);
	fz_free(&sc);
}

Test(fuzzdiff, the_shrinker_cuts_options_flags_and_body_statements)
{
	struct fz_scenario sc = { 0 };
	int calls = 0;
	char *text;

	fz_push(&sc.sect[FZ_HANDLER], "handler h { log \"a\"; kill p1 SIGUSR1; raise SIGUSR2 }");
	fz_push(&sc.sect[FZ_STEP], "process p1 flags=SA_RESTART|SA_NODEFER mask={SIGINT}");
	fz_shrink(&sc, has_kill_p1, &calls, 500);
	text = fz_render(&sc);
	cr_assert_str_eq(text, "handler h { kill p1 SIGUSR1 }\nprocess p1\n");
	free(text);
	fz_free(&sc);
}

/* An oracle that keeps every line as it is. */
static bool needs_everything(const char *text, void *ud)
{
	(*(int *)ud)++;
	return strstr(text, "repeat 2 { raise SIGTTIN; fault SIGFPE FPE_INTDIV }") != NULL &&
	       strstr(text, "process p1") != NULL;
}

/* A body's first statement that cannot go was found again for ever
 * (siglab fuzz seed 907876 spun in pass_args): each piece is tried once
 * per pass, so the shrinker ends long before its budget. */
Test(fuzzdiff, the_shrinker_ends_when_a_body_cannot_shrink)
{
	struct fz_scenario sc = { 0 };
	int calls = 0;

	fz_push(&sc.sect[FZ_DECL], "process p1");
	fz_push(&sc.sect[FZ_STEP], "p1: repeat 2 { raise SIGTTIN; fault SIGFPE FPE_INTDIV }");
	cr_assert_lt(fz_shrink(&sc, needs_everything, &calls, 100000), 20);
	fz_free(&sc);
}
