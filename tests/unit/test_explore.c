/* siglab explore (src/explore/, and its parts in src/scenario/cond.c and
 * src/engine/digest.c): the exists/forall grammar and its errors, the
 * condition evaluator and the Always/Sometimes/Never judgement, state
 * hashing (the engine digest, the seen-states table) and the search's
 * counts, pruning, bound and determinism. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore/explore.h"
#include "helpers.h"
#include "random_scenario.h"
#include "scenario/ast.h"

/* ---- the grammar ------------------------------------------------------------ */

static const struct sc_cond *root_of(const struct scenario *s, size_t check)
{
	cr_assert_lt(check, s->nchecks);
	return &s->conds[s->checks[check].root];
}

Test(explore_parse, and_binds_tighter_than_or_and_not_tightest)
{
	struct scenario *s = parse_ok("process a\nprocess b\n"
				      "exists a running && !b stopped || b running\n");
	const struct sc_cond *r = root_of(s, 0), *l;

	cr_assert_eq(s->nchecks, 1);
	cr_assert(!s->checks[0].forall);
	cr_assert_str_eq(s->checks[0].source, "a running && !b stopped || b running");
	cr_assert_eq(r->op, SC_COND_OR);
	l = &s->conds[r->lhs];
	cr_assert_eq(l->op, SC_COND_AND);
	cr_assert_eq(s->conds[l->rhs].op, SC_COND_NOT);
	cr_assert_eq(s->conds[r->rhs].op, SC_COND_ATOM);
	cr_assert_eq(s->natoms, 3);
	cr_assert_str_eq(s->atoms[1].source, "b stopped");
	cr_assert_eq(s->atoms[1].kind, SC_EXP_STATE);
	sc_free(s);
}

Test(explore_parse, parentheses_group_and_atoms_are_expectations)
{
	struct scenario *s = parse_ok(
		"process a\nforall (a handled SIGUSR1 2 || a syscall kill = ESRCH) && "
		"(trace \"x\" || no trace \"y\") && generate SIGUSR1 -> a already_pending\n"
		"expect a running\n");
	const struct sc_cond *r = root_of(s, 0);

	cr_assert(s->checks[0].forall);
	cr_assert_eq(r->op, SC_COND_AND);
	cr_assert_eq(s->conds[r->lhs].op, SC_COND_AND);
	cr_assert_eq(s->conds[s->conds[r->lhs].lhs].op, SC_COND_OR);
	cr_assert_eq(s->natoms, 5);
	cr_assert_eq(s->atoms[0].kind, SC_EXP_HANDLED);
	cr_assert_eq(s->atoms[0].num, 2);
	cr_assert_eq(s->atoms[1].kind, SC_EXP_SYSCALL);
	cr_assert_eq(s->atoms[1].num, -SL_ESRCH);
	cr_assert_eq(s->atoms[3].kind, SC_EXP_NO_TRACE);
	cr_assert_eq(s->atoms[4].kind, SC_EXP_GENERATE);
	cr_assert_eq(s->nexpects, 1, "an expect line stays an expectation");
	sc_free(s);
}

Test(explore_parse, a_set_ends_before_or)
{
	struct scenario *s = parse_ok("process a\nexists a blocked SIGINT|SIGTERM || a running\n");

	cr_assert_eq(root_of(s, 0)->op, SC_COND_OR);
	cr_assert_eq(s->atoms[0].set, sl_sigmask(SL_SIGINT) | sl_sigmask(SL_SIGTERM));
	sc_free(s);
}

Test(explore_parse, malformed_conditions_are_located)
{
	ASSERT_ERR("process a\nexists\n", "2:7: expected a condition after exists/forall, found end of line");
	ASSERT_ERR("process a\nexists (a running\n", "2:18: expected ')' to close the '(' at 2:8");
	ASSERT_ERR("process a\nexists a running )\n", "2:18: unbalanced ')'");
	ASSERT_ERR("process a\nexists a running &&\n",
		   "2:20: expected a condition (an expectation, '!' or '('), found end of line");
	ASSERT_ERR("process a\nforall a running & a stopped\n",
		   "2:18: unexpected character '&' (did you mean '&&'?)");
	ASSERT_ERR("process a\nforall !\n",
		   "2:9: expected a condition (an expectation, '!' or '('), found end of line");
	ASSERT_ERR("process a\nexists a flying\n",
		   "2:10: unknown expectation 'flying' (expected a state, exited, killed, dumped, oops, handled, syscall, siginfo, blocked or pending)");
	ASSERT_ERR("process a\nexists b running\n", "2:8: undeclared task 'b'");
	ASSERT_ERR("process a\nexists a running a stopped\n",
		   "2:18: expected end of line, found 'a'");
	ASSERT_ERR("process exists\n", "1:9: 'exists' is a reserved word and cannot be a name");
}

Test(explore_parse, nesting_is_bounded)
{
	char text[256] = "process a\nexists ";
	size_t n = strlen(text);

	for (int i = 0; i < 40; i++)
		text[n++] = '(';
	strcpy(text + n, "a running\n");
	cr_assert_str_eq(parse_err(text), "2:41: condition nested too deeply (max 32)");
}

/* ---- the evaluator and the judgement ------------------------------------------ */

Test(explore_cond, evaluates_the_tree_over_atom_values)
{
	struct scenario *s = parse_ok("process a\nprocess b\n"
				      "exists !(a running && b running) || a stopped\n");
	bool v[3];

	for (int bits = 0; bits < 8; bits++) {
		bool want;

		v[0] = bits & 1;	/* a running */
		v[1] = bits & 2;	/* b running */
		v[2] = bits & 4;	/* a stopped */
		want = !(v[0] && v[1]) || v[2];
		cr_expect_eq(ex_cond_eval(s, s->checks[0].root, v), want, "bits %d", bits);
	}
	cr_assert(!ex_cond_eval(s, -1, v), "an out-of-range root is false");
	sc_free(s);
}

Test(explore_cond, verdicts_always_sometimes_never)
{
	struct scenario *s = parse_ok("process a\nexists a running\nforall a running\n");
	/* Both checks' atoms ("a running", twice) have the same value in
	 * each outcome. */
	bool t[2] = { true, true }, f[2] = { false, false };
	const bool *mixed[] = { t, f, t }, *all[] = { t, t }, *none[] = { f };
	struct ex_judgement j;

	j = ex_judge(s, &s->checks[0], mixed, 3);
	cr_assert_eq(j.verdict, EX_SOMETIMES);
	cr_assert_eq(j.satisfied, 2);
	cr_assert(j.holds, "exists holds when some outcome satisfies it");
	j = ex_judge(s, &s->checks[1], mixed, 3);
	cr_assert(!j.holds, "forall fails when one outcome does not");
	j = ex_judge(s, &s->checks[1], all, 2);
	cr_assert_eq(j.verdict, EX_ALWAYS);
	cr_assert(j.holds);
	j = ex_judge(s, &s->checks[0], none, 1);
	cr_assert_eq(j.verdict, EX_NEVER);
	cr_assert(!j.holds);
	j = ex_judge(s, &s->checks[1], NULL, 0);
	cr_assert(j.holds, "forall over no outcome holds vacuously");
	j = ex_judge(s, &s->checks[0], NULL, 0);
	cr_assert(!j.holds, "exists over no outcome fails");
	cr_assert_str_eq(ex_verdict_name(EX_SOMETIMES), "Sometimes");
	sc_free(s);
}

/* ---- state hashing ------------------------------------------------------------- */

/* The digest gathered into one buffer, then hashed in one call, as the
 * search does. */
struct gather {
	unsigned char b[1 << 16];
	size_t n;
};

static void put_hash(void *ud, const void *p, size_t n)
{
	struct gather *g = ud;

	cr_assert_leq(g->n + n, sizeof g->b);
	memcpy(g->b + g->n, p, n);
	g->n += n;
}

static struct ex_hash digest_of(const sl_kernel *k)
{
	static struct gather g;
	struct ex_hash h;

	g.n = 0;
	sl_kernel_digest(k, put_hash, &g);
	ex_hash_init(&h);
	ex_hash_bytes(&h, g.b, g.n);
	return h;
}

static bool same_hash(struct ex_hash x, struct ex_hash y)
{
	return x.a == y.a && x.b == y.b;
}

TEST_SUITE_FX(explore_hash);

Test(explore_hash, equal_states_by_different_routes_hash_equal)
{
	int a = proc(0, 0), b = proc(0, 0);
	struct ex_hash before, after;

	mask_op(b, SL_SIG_BLOCK, SET(SL_SIGUSR1));
	before = digest_of(K);
	/* Block, send, then discard by SIG_IGN and restore: the queue is empty
	 * and the disposition default again, as before. */
	cr_assert_eq(kill_(a, b, SL_SIGUSR1), 0);
	cr_assert(!same_hash(before, digest_of(K)), "a pending signal changes the state");
	set_action(b, SL_SIGUSR1, SL_SIG_IGN, 0, 0);
	set_action(b, SL_SIGUSR1, SL_SIG_DFL, 0, 0);
	after = digest_of(K);
	cr_assert(same_hash(before, after), "the same state must hash the same");
}

Test(explore_hash, queued_instances_count)
{
	int a = proc(0, 0), b = proc(0, 0);
	struct ex_hash one, two;

	mask_op(b, SL_SIG_BLOCK, SET(SL_SIGRTMIN));
	cr_assert_eq(sigqueue_(a, b, SL_SIGRTMIN, SL_SI_QUEUE, 1), 0);
	one = digest_of(K);
	cr_assert_eq(sigqueue_(a, b, SL_SIGRTMIN, SL_SI_QUEUE, 1), 0);
	two = digest_of(K);
	cr_assert(!same_hash(one, two), "two queued RT instances are not one (same pending set)");
}

Test(explore_hash, a_coalesced_standard_signal_is_the_same_state)
{
	int a = proc(0, 0), b = proc(0, 0);
	struct ex_hash one;

	mask_op(b, SL_SIG_BLOCK, SET(SL_SIGUSR1));
	cr_assert_eq(kill_(a, b, SL_SIGUSR1), 0);
	one = digest_of(K);
	cr_assert_eq(kill_(a, b, SL_SIGUSR1), 0);
	cr_assert(same_hash(one, digest_of(K)), "an already-pending signal changes nothing");
}

Test(explore_hash, seen_table_finds_what_it_holds)
{
	struct ex_seen t = { 0 };

	for (long i = 0; i < 5000; i++) {
		struct ex_hash h = { (uint64_t)i * 0x9e3779b97f4a7c15ull, (uint64_t)i };

		cr_assert_eq(ex_seen_find(&t, &h), -1);
		cr_assert_eq(ex_seen_add(&t, &h, i), 0);
	}
	for (long i = 0; i < 5000; i++) {
		struct ex_hash h = { (uint64_t)i * 0x9e3779b97f4a7c15ull, (uint64_t)i };
		struct ex_hash other = { h.a, h.b + 1 };

		cr_assert_eq(ex_seen_find(&t, &h), i);
		cr_assert_eq(ex_seen_find(&t, &other), -1, "both lanes must match");
	}
	cr_assert_eq(t.n, 5000);
	ex_seen_free(&t);
}

Test(explore_hash, byte_hash_separates_inputs)
{
	struct ex_hash x, y;

	ex_hash_init(&x);
	ex_hash_init(&y);
	ex_hash_bytes(&x, "ab", 2);
	ex_hash_bytes(&y, "ba", 2);
	cr_assert(!same_hash(x, y));
	ex_hash_init(&y);
	ex_hash_bytes(&y, "ab", 2);
	cr_assert(same_hash(x, y), "the same bytes hash the same");
	ex_hash_init(&y);
	ex_hash_bytes(&y, "ab\0", 3);
	cr_assert(!same_hash(x, y), "the length counts");
	ex_hash_init(&x);
	ex_hash_init(&y);
	ex_hash_bytes(&x, "0123456789abcdefX", 17);
	ex_hash_bytes(&y, "0123456789abcdefY", 17);
	cr_assert(!same_hash(x, y), "the tail past the last full word counts");
}

/* ---- the search ----------------------------------------------------------------- */

static char *explore_text(const char *text, unsigned long bound, struct ex_result *r,
			  struct scenario **sp)
{
	struct ex_options opt = { .max_states = bound };
	struct strbuf b = { 0 };
	struct scenario *s = parse_ok(text);

	cr_assert_eq(ex_explore(s, &opt, r), 0, "explore failed: %s", r->diag.message);
	ex_report(&b, s, r, false);
	*sp = s;
	return sb_take(&b);
}

static const char *RACE =
	"process t\nprocess a\nprocess b\n"
	"par {\n a: kill t SIGSTOP\n b: kill t SIGCONT\n}\n"
	"exists t stopped\nforall t running\n";

Test(explore_search, both_orders_of_a_par_block)
{
	struct ex_result r;
	struct scenario *s;
	char *out = explore_text(RACE, 0, &r, &s);

	cr_assert_eq(r.outcomes.n, 2);
	cr_assert_eq(r.interleavings, 2);
	cr_assert_eq(r.outcomes.v[0].count + r.outcomes.v[1].count, 2);
	cr_assert(strstr(out, "exists t stopped : Sometimes (1 of 2 outcomes)\n"), "%s", out);
	cr_assert(strstr(out, "forall t running : Sometimes (1 of 2 outcomes) FAILS\n"), "%s", out);
	free(out);
	ex_result_free(&r, s);
	sc_free(s);
}

Test(explore_search, equal_states_are_explored_once_and_every_order_counted)
{
	struct ex_result r;
	struct scenario *s;
	char *out = explore_text("process t\nprocess a\nprocess b\nprocess c\nprocess d\n"
				 "t: sigaction SIGUSR1 SIG_IGN\n"
				 "par {\n a: kill t SIGUSR1\n b: kill t SIGUSR1\n"
				 " c: kill t SIGUSR1\n d: kill t SIGUSR1\n}\n",
				 0, &r, &s);

	cr_assert_eq(r.outcomes.n, 1);
	cr_assert_eq(r.interleavings, 24, "4! orders");
	/* One state per set of done steps that leaves two or more to pick
	 * from: 16 - 1 (all done) - 4 (one left). */
	cr_assert_eq(r.states, 11);
	cr_assert_gt(r.merged, 0);
	free(out);
	ex_result_free(&r, s);
	sc_free(s);
}

Test(explore_search, the_bound_stops_the_search)
{
	struct ex_result r;
	struct scenario *s;
	char *out = explore_text("process t\nprocess a\nprocess b\nprocess c\n"
				 "handler h { log \"h\" }\nt: sigaction SIGUSR1 h\n"
				 "par {\n a: kill t SIGUSR1\n b: kill t SIGUSR2\n c: kill t SIGUSR1\n}\n",
				 2, &r, &s);

	cr_assert(r.bound_hit);
	cr_assert_eq(r.states, 2);
	cr_assert(strstr(out, "# INCOMPLETE"), "%s", out);
	free(out);
	ex_result_free(&r, s);
	sc_free(s);
}

Test(explore_search, reports_are_byte_identical)
{
	struct ex_result r1, r2;
	struct scenario *s1, *s2;
	char *o1 = explore_text(RACE, 0, &r1, &s1);
	char *o2 = explore_text(RACE, 0, &r2, &s2);

	cr_assert_str_eq(o1, o2);
	free(o1);
	free(o2);
	ex_result_free(&r1, s1);
	ex_result_free(&r2, s2);
	sc_free(s1);
	sc_free(s2);
}

Test(explore_search, a_run_time_error_names_the_interleaving)
{
	struct ex_options opt = { 0 };
	struct ex_result r;
	struct scenario *s = parse_ok("process a\nprocess b\n"
				      "par {\n a: kill b SIGTERM\n b: log \"x\"\n}\nb: log \"y\"\n");

	cr_assert_eq(ex_explore(s, &opt, &r), -1);
	cr_assert(r.error);
	cr_assert_eq(r.diag.pos.line, 7);
	cr_assert_str_eq(r.error_witness, "step 1");
	ex_result_free(&r, s);
	sc_free(s);
}

Test(explore_parse, par_blocks_are_bounded)
{
	size_t cap = 64 + 300 * 16;
	char *text = malloc(cap);
	size_t n;

	cr_assert_not_null(text);
	n = (size_t)snprintf(text, cap, "process a\npar {\n");
	for (int i = 0; i < 257; i++)
		n += (size_t)snprintf(text + n, cap - n, "a: kill a 0\n");
	snprintf(text + n, cap - n, "}\n");
	cr_assert_str_eq(parse_err(text), "259:1: par block too long (max 256 steps)");
	free(text);
}

/* ---- pruning against the full enumeration -------------------------------------- */

/* The report without its summary lines (the state counts differ). */
static char *outcomes_of(const struct scenario *s, bool no_prune, struct ex_result *r)
{
	struct ex_options opt = { .no_prune = no_prune, .check_hash = true };
	struct strbuf b = { 0 };
	char *text, *body;

	if (ex_explore(s, &opt, r) < 0) {
		/* A scenario error (a handler that raises its own signal
		 * forever): both searches must meet it. */
		cr_assert(r->error);
		return strdup(r->diag.message);
	}
	/* Every state's incremental hash is its full hash. */
	cr_assert_eq(r->hash_mismatches, 0);
	cr_assert(!r->bound_hit);
	ex_report(&b, s, r, false);
	text = sb_take(&b);
	body = strstr(text, "\noutcome 1:");
	cr_assert_not_null(body, "%s", text);
	body = strdup(body);
	free(text);
	return body;
}

Test(explore_prune, same_outcomes_and_counts_as_the_full_enumeration)
{
	uint32_t st = 0x5eed1234u;
	int races = 0, reused = 0;

	for (int n = 0; n < 40; n++) {
		struct strbuf b = { 0 };
		struct scenario *s;
		struct ex_result r1, r2;
		char *pruned, *full, *text;

		sb_add(&b, "process p0\nprocess p1 pgrp=p0\nprocess p2\n"
			   "handler h0 { kill p2 SIGUSR2 }\nhandler h1 { log \"h1\" }\n"
			   "p0: sigaction SIGUSR1 h0\np1: sigaction SIGUSR2 h1\n"
			   "p2: sigaction SIGRTMIN h1\npar {\n");
		for (int i = 0; i < 4; i++)
			rs_step(&b, &st);
		/* Both members of p0's group take it: a settle-order choice. */
		sb_add(&b, "    p2: kill -p0 SIGUSR1\n}\nexists p0 running\n");
		text = sb_take(&b);
		s = parse_ok(text);
		pruned = outcomes_of(s, false, &r1);
		full = outcomes_of(s, true, &r2);
		cr_assert_str_eq(pruned, full, "scenario %d:\n%s", n, text);
		cr_assert_eq(r1.interleavings, r2.interleavings, "scenario %d:\n%s", n, text);
		cr_assert_leq(r1.states, r2.states);
		if (r1.outcomes.n > 1)
			races++;
		if (r1.merged > 0)
			reused++;
		free(pruned);
		free(full);
		free(text);
		ex_result_free(&r1, s);
		ex_result_free(&r2, s);
		sc_free(s);
	}
	/* The comparison means something only if the scenarios race and the
	 * pruned search reuses states. */
	cr_assert_geq(races, 10, "only %d scenarios with several outcomes", races);
	cr_assert_geq(reused, 10, "only %d scenarios with reused states", reused);
}

/* What conditions observe of the runner's record beyond handler counts
 * and results: the order handlers began in, the last siginfo per signal.
 * Two states that differ only there must not be merged: the pruned search
 * must still agree with the full enumeration, outcome for outcome and
 * count for count (before the state key held the order, runs that met in
 * the same kernel state with the handlers begun in another order shared
 * one future, and orders were lost). */
Test(explore_prune, handler_order_and_siginfo_conditions_same_as_the_full_enumeration)
{
	static const char *const orders[] = { "SIGUSR1, SIGUSR2, SIGUSR1", "SIGUSR2, SIGUSR1, SIGUSR1",
					      "SIGUSR1, SIGUSR1, SIGUSR2", "SIGUSR2, SIGUSR1",
					      "SIGUSR1, SIGUSR2" };
	uint32_t st = 0x04de1234u;
	int differ = 0;

	for (int n = 0; n < 24; n++) {
		struct strbuf b = { 0 };
		struct scenario *s;
		struct ex_result r1, r2;
		char *pruned, *full, *text;

		sb_add(&b, "process r\nprocess p0\nprocess p1\nprocess p2\n"
			   "handler h { log \"h\" }\nhandler h0 { log \"h0\" }\nhandler h1 { log \"h1\" }\n"
			   "r: sigaction SIGUSR1 h\nr: sigaction SIGUSR2 h\npar {\n"
			   "    p0: kill r SIGUSR1\n    p1: kill r SIGUSR2\n"
			   "    p2: sigqueue r SIGUSR1 value=7\n");
		for (int i = 0; i < 2; i++)
			rs_step(&b, &st);
		sb_addf(&b, "}\np0: kill r SIGUSR1\nexists (r handled order %s)\n"
			    "exists (r siginfo SIGUSR1 code=SI_QUEUE)\n",
			orders[rs_next(&st) % 5]);
		text = sb_take(&b);
		s = parse_ok(text);
		pruned = outcomes_of(s, false, &r1);
		full = outcomes_of(s, true, &r2);
		cr_assert_str_eq(pruned, full, "scenario %d:\n%s", n, text);
		if (r1.outcomes.n > 1 && r1.merged > 0)
			differ++;
		free(pruned);
		free(full);
		free(text);
		ex_result_free(&r1, s);
		ex_result_free(&r2, s);
		sc_free(s);
	}
	cr_assert_geq(differ, 8, "only %d scenarios race and reuse states", differ);
}

TEST_SUITE_FX(explore_por);

/* The whole report, with or without the partial-order reduction. */
static char *report_por(const struct scenario *s, bool no_por, struct ex_result *r)
{
	struct ex_options opt = { .no_por = no_por, .check_hash = true };
	struct strbuf b = { 0 };

	if (ex_explore(s, &opt, r) < 0) {
		cr_assert(r->error);
		return strdup(r->diag.message);
	}
	cr_assert_eq(r->hash_mismatches, 0);
	ex_report(&b, s, r, false);
	return sb_take(&b);
}

/* Partial-order reduction: on random scenarios of two pairs of processes
 * (each pair signals and masks within itself, now and then across), the
 * reduced search prints the report of the full one byte for byte (the
 * same outcomes, counts, states, states reached again and witnesses),
 * and it does skip moves. */
Test(explore_por, same_report_as_without_the_reduction)
{
	static const char *const sigs[] = { "SIGUSR1", "SIGUSR2", "SIGRTMIN", "SIGTERM" };
	uint32_t st = 0x90e1234u;
	int reduced = 0;

	for (int n = 0; n < 30; n++) {
		struct strbuf b = { 0 };
		struct scenario *s;
		struct ex_result r1, r2;
		char *with, *without, *text;

		sb_add(&b, "process p0\nprocess p1\nprocess q0\nprocess q1\n"
			   "handler h { log \"h\" }\n"
			   "p1: sigaction SIGUSR1 h\nq1: sigaction SIGUSR1 h\n"
			   "p1: sigaction SIGRTMIN h\nq1: sigaction SIGUSR2 h\npar {\n");
		for (int i = 0; i < 6; i++) {
			const char *pair = rs_next(&st) % 2 ? "p" : "q";
			const char *other = rs_next(&st) % 8 ? pair : (*pair == 'p' ? "q" : "p");
			const char *sig = sigs[rs_next(&st) % 4];

			switch (rs_next(&st) % 4) {
			case 0:
			case 1:
				sb_addf(&b, "    %s0: kill %s1 %s\n", pair, other, sig);
				break;
			case 2:
				sb_addf(&b, "    %s1: sigprocmask %s {%s}\n", pair,
					rs_next(&st) % 2 ? "block" : "unblock", sig);
				break;
			default:
				sb_addf(&b, "    %s1: sigaction %s %s\n", pair, sig,
					rs_next(&st) % 2 ? "h" : "SIG_IGN");
				break;
			}
		}
		sb_add(&b, "}\nexists p1 running\n");
		text = sb_take(&b);
		s = parse_ok(text);
		with = report_por(s, false, &r1);
		without = report_por(s, true, &r2);
		cr_assert_str_eq(with, without, "scenario %d:\n%s", n, text);
		cr_assert_eq(r2.por_skipped, 0);
		cr_assert_leq(r1.runs, r2.runs);
		if (r1.por_skipped > 0)
			reduced++;
		free(with);
		free(without);
		free(text);
		ex_result_free(&r1, s);
		ex_result_free(&r2, s);
		sc_free(s);
	}
	cr_assert_geq(reduced, 10, "only %d scenarios reduced", reduced);
}

/* The fork window (a par fork step is three moves): the pruned search
 * finds what the full enumeration finds, with the same counts, and the
 * window's outcomes are there: the restart, and the group signal that
 * reaches the child without siginfo. */
Test(explore_prune, fork_windows_same_outcomes_and_counts)
{
	uint32_t st = 0xf04c1234u;
	int delayed = 0;

	for (int n = 0; n < 12; n++) {
		struct strbuf b = { 0 };
		struct scenario *s;
		struct ex_result r1, r2;
		char *pruned, *full, *text;

		sb_add(&b, "process p0\nprocess c forked\nprocess p1 pgrp=p0\nprocess p2\n"
			   "handler h0 { log \"h0\" }\nhandler h1 { log \"h1\" }\n"
			   "p0: sigaction SIGUSR1 h0\np1: sigaction SIGUSR1 h1\n"
			   "p1: sigaction SIGUSR2 h1\np2: sigaction SIGRTMIN h1\npar {\n"
			   "    p0: fork c\n");
		for (int i = 0; i < 2; i++)
			rs_step(&b, &st);
		sb_add(&b, "    p2: kill -p0 SIGUSR1\n}\n"
			   "exists (c handled SIGUSR1 1 && trace \"c      handler h0 sig=10 code=0 pid=0\")\n"
			   "exists (trace \"fork() = ERESTARTNOINTR (restarted)\")\n");
		text = sb_take(&b);
		s = parse_ok(text);
		pruned = outcomes_of(s, false, &r1);
		full = outcomes_of(s, true, &r2);
		cr_assert_str_eq(pruned, full, "scenario %d:\n%s", n, text);
		cr_assert_eq(r1.interleavings, r2.interleavings, "scenario %d:\n%s", n, text);
		if (!r1.error) {
			cr_assert(strstr(pruned, "trace \"fork() = ERESTARTNOINTR (restarted)\": yes"),
				  "scenario %d:\n%s\n%s", n, text, pruned);
			if (strstr(pruned, "code=0 pid=0\": yes"))
				delayed++;
		}
		free(pruned);
		free(full);
		free(text);
		ex_result_free(&r1, s);
		ex_result_free(&r2, s);
		sc_free(s);
	}
	/* where no random step kills the parent or the child first */
	cr_assert_geq(delayed, 3, "only %d scenarios where a delayed signal reached the child",
		      delayed);
}

/* ---- the parallel search -------------------------------------------------------- */

/* The whole report (summary, outcomes with their witnesses, verdicts), or
 * the error and its interleaving. */
static char *report_of(const struct scenario *s, unsigned jobs)
{
	struct ex_options opt = { .jobs = jobs, .check_hash = true };
	struct ex_result r;
	struct strbuf b = { 0 };

	if (ex_explore(s, &opt, &r) < 0) {
		cr_assert(r.error);
		sb_addf(&b, "%d:%d: %s in %s", r.diag.pos.line, r.diag.pos.col, r.diag.message,
			r.error_witness ? r.error_witness : "?");
	} else {
		cr_assert_eq(r.hash_mismatches, 0);
		ex_report(&b, s, &r, false);
	}
	ex_result_free(&r, s);
	return sb_take(&b);
}

Test(explore_parallel, threads_give_the_serial_report_byte_for_byte)
{
	uint32_t st = 0x9a7a11e1u;

	for (int n = 0; n < 24; n++) {
		struct strbuf b = { 0 };
		struct scenario *s;
		char *text, *one, *two, *three;

		sb_add(&b, "process p0\nprocess p1 pgrp=p0\nprocess p2\n"
			   "handler h0 { kill p2 SIGUSR2 }\nhandler h1 { log \"h1\" }\n"
			   "p0: sigaction SIGUSR1 h0\np1: sigaction SIGUSR2 h1\n"
			   "p2: sigaction SIGRTMIN h1\npar {\n");
		for (int i = 0; i < 5; i++)
			rs_step(&b, &st);
		sb_add(&b, "    p2: kill -p0 SIGUSR1\n}\nexists p0 running\n");
		text = sb_take(&b);
		s = parse_ok(text);
		one = report_of(s, 1);
		two = report_of(s, 2);
		three = report_of(s, 3);
		cr_assert_str_eq(one, two, "scenario %d:\n%s", n, text);
		cr_assert_str_eq(one, three, "scenario %d:\n%s", n, text);
		free(one);
		free(two);
		free(three);
		free(text);
		sc_free(s);
	}
}

/* An interrupt stops the search as the bound does, and says so; progress
 * reports come every 4096 states visited. */
static void count_progress(void *ud, const struct ex_progress *p)
{
	unsigned long *calls = ud;

	cr_assert_gt(p->visits, 0);
	cr_assert_leq(p->states, p->visits);
	(*calls)++;
}

Test(explore_parallel, an_interrupt_stops_the_search_with_a_partial_answer)
{
	static const volatile int stop = 1;
	struct scenario *s = parse_ok("process t\nprocess a\nprocess b\nprocess c\n"
				      "handler h { log \"h\" }\nt: sigaction SIGUSR1 h\n"
				      "par {\n a: kill t SIGUSR1\n b: kill t SIGUSR2\n c: kill t SIGUSR1\n}\n");
	struct ex_options opt = { .interrupt = &stop };
	struct ex_result r;

	for (unsigned jobs = 1; jobs <= 2; jobs++) {
		opt.jobs = jobs;
		cr_assert_eq(ex_explore(s, &opt, &r), 0);
		cr_assert(r.interrupted && r.bound_hit, "jobs %u", jobs);
		ex_result_free(&r, s);
	}
	sc_free(s);
}

Test(explore_parallel, progress_is_reported_while_searching)
{
	struct strbuf b = { 0 };
	struct scenario *s;
	struct ex_options opt = { 0 };
	struct ex_result r;
	unsigned long calls = 0;
	char *text;

	/* Eight senders queueing distinct values: no two orders merge
	 * (28,961 states). */
	sb_add(&b, "process t\n");
	for (int i = 0; i < 8; i++)
		sb_addf(&b, "process p%d\n", i);
	sb_add(&b, "t: sigprocmask block {SIGRTMIN}\npar {\n");
	for (int i = 0; i < 8; i++)
		sb_addf(&b, "    p%d: sigqueue t SIGRTMIN value=%d\n", i, i);
	sb_add(&b, "}\n");
	text = sb_take(&b);
	s = parse_ok(text);
	opt.progress = count_progress;
	opt.progress_ud = &calls;
	cr_assert_eq(ex_explore(s, &opt, &r), 0);
	cr_assert_geq(r.states + r.merged, 4096);
	cr_assert_eq(calls, (r.states + r.merged) / 4096, "%lu calls", calls);
	ex_result_free(&r, s);
	sc_free(s);
	free(text);
}
