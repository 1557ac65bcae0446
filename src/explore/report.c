/*
 * explore's report.  Text: a summary line, each outcome with its count,
 * its task lines and the first interleaving found that reaches it, then
 * one verdict line per exists/forall, herd7 style:
 *
 *   exists (a killed SIGUSR1) : Sometimes (2 of 3 outcomes)
 *
 * JSON: one object per line — the summary, one per outcome, one per
 * condition.  Both are byte-identical for a given scenario.
 */
#include <stdlib.h>
#include <string.h>

#include "explore/explore.h"

static size_t count_par(const struct scenario *s, size_t *nblocks)
{
	size_t n = 0;
	int last = 0;

	*nblocks = 0;
	for (size_t i = 0; i < s->nsteps; i++) {
		if (!s->steps[i].par)
			continue;
		n++;
		if (s->steps[i].par != last)
			(*nblocks)++;
		last = s->steps[i].par;
	}
	return n;
}

static void text_summary(struct strbuf *b, const struct scenario *s, const struct ex_result *r)
{
	size_t nblocks, npar = count_par(s, &nblocks);

	sb_addf(b, "# explore %s: %zu steps, %zu in %zu par block%s\n", s->name ? s->name : "",
		s->nsteps, npar, nblocks, nblocks == 1 ? "" : "s");
	sb_addf(b, "# %llu interleaving%s, %lu state%s (%lu reached again), %zu outcome%s\n",
		(unsigned long long)r->interleavings, r->interleavings == 1 ? "" : "s",
		r->states, r->states == 1 ? "" : "s", r->merged, r->outcomes.n,
		r->outcomes.n == 1 ? "" : "s");
	if (r->interrupted)
		sb_addf(b, "# INCOMPLETE: the search was interrupted after %lu states; "
			   "the outcomes below are some, not all\n", r->states);
	else if (r->depth_hit)
		sb_addf(b, "# INCOMPLETE: an interleaving has more than %u choices, the most "
			   "the search follows; the outcomes below are some, not all\n",
			EX_MAX_DEPTH);
	else if (r->bound_hit)
		sb_addf(b, "# INCOMPLETE: the search stopped at its bound of %lu states "
			   "(--max-states N raises it); the outcomes below are some, not all\n",
			r->states);
}

static void json_outcome(struct strbuf *b, const struct scenario *s, const struct ex_outcome *o,
			 size_t idx, const bool *show)
{
	sb_addf(b, "{\"outcome\":%zu,\"interleavings\":%llu,\"tasks\":[", idx + 1,
		(unsigned long long)o->count);
	for (size_t t = 0; t < s->ntasks; t++) {
		const struct ex_task_end *te = &o->tasks[t];
		bool first = true;

		sb_add(b, t ? ",{\"task\":" : "{\"task\":");
		sb_add_json_string(b, s->tasks[t].name);
		sb_add(b, ",\"final\":");
		sb_add_json_string(b, te->final);
		if (ex_names_set(s, t, SC_EXP_BLOCKED))
			sb_addf(b, ",\"blocked\":\"%#llx\"", (unsigned long long)te->blocked);
		if (ex_names_set(s, t, SC_EXP_PENDING))
			sb_addf(b, ",\"pending\":\"%#llx\"", (unsigned long long)te->pending);
		sb_add(b, ",\"handled\":{");
		for (int sig = 1; sig <= SL_NSIG; sig++) {
			if (!te->handled[sig])
				continue;
			sb_addf(b, "%s\"%s\":%u", first ? "" : ",", sl_signal_name(sig), te->handled[sig]);
			first = false;
		}
		sb_add(b, "},\"syscalls\":{");
		first = true;
		for (int op = 0; op < SC_OP_COUNT; op++) {
			if (!show[t * SC_OP_COUNT + (size_t)op])
				continue;
			sb_addf(b, "%s\"%s\":", first ? "" : ",", sc_op_name((enum sc_op)op));
			if (te->called[op])
				sb_addf(b, "%ld", te->result[op]);
			else
				sb_add(b, "null");
			first = false;
		}
		sb_add(b, "}}");
	}
	sb_add(b, "],\"not_run\":");
	if (o->stuck)
		sb_add_json_string(b, o->stuck);
	else
		sb_add(b, "null");
	sb_add(b, ",\"atoms\":{");
	for (size_t i = 0, n = 0; i < s->natoms; i++) {
		bool again = false;

		/* The same atom in two conditions is one key (its text decides
		 * its truth): a JSON object has no repeated keys. */
		for (size_t j = 0; j < i && !again; j++)
			again = !strcmp(s->atoms[j].source, s->atoms[i].source);
		if (again)
			continue;
		sb_add(b, n++ ? "," : "");
		sb_add_json_string(b, s->atoms[i].source);
		sb_addf(b, ":%s", o->atom_ok[i] ? "true" : "false");
	}
	sb_add(b, "},\"expect_failed\":[");
	for (size_t i = 0, n = 0; i < s->nexpects; i++) {
		if (o->expect_ok[i])
			continue;
		sb_add(b, n++ ? "," : "");
		sb_add_json_string(b, s->expects[i].source);
	}
	sb_add(b, "],\"witness\":");
	sb_add_json_string(b, o->witness);
	sb_add(b, "}\n");
}

size_t ex_report(struct strbuf *b, const struct scenario *s, const struct ex_result *r, bool json)
{
	const bool **atoms = calloc(r->outcomes.n + 1, sizeof *atoms);
	bool *show = ex_results_to_show(&r->outcomes, s);
	size_t failed = 0;

	if (!atoms || !show) {
		free(atoms);
		free(show);
		return s->nchecks + 1;
	}
	for (size_t i = 0; i < r->outcomes.n; i++)
		atoms[i] = r->outcomes.v[i].atom_ok;
	if (json) {
		sb_add(b, "{\"scenario\":");
		sb_add_json_string(b, s->name);
		sb_addf(b, ",\"interleavings\":%llu,\"states\":%lu,\"reached_again\":%lu,"
			   "\"outcomes\":%zu,\"complete\":%s}\n",
			(unsigned long long)r->interleavings, r->states, r->merged, r->outcomes.n,
			r->bound_hit ? "false" : "true");
	} else {
		text_summary(b, s, r);
	}
	for (size_t i = 0; i < r->outcomes.n; i++) {
		const struct ex_outcome *o = &r->outcomes.v[i];

		if (json) {
			json_outcome(b, s, o, i, show);
			continue;
		}
		sb_addf(b, "outcome %zu: %llu interleaving%s\n", i + 1, (unsigned long long)o->count,
			o->count == 1 ? "" : "s");
		ex_outcome_render(b, s, o, show);
		sb_addf(b, "    e.g. %s\n", o->witness ? o->witness : "?");
	}
	for (size_t i = 0; i < s->nchecks; i++) {
		const struct sc_check *ck = &s->checks[i];
		struct ex_judgement j = ex_judge(s, ck, atoms, r->outcomes.n);

		if (!j.holds)
			failed++;
		if (json) {
			sb_addf(b, "{\"condition\":\"%s\",\"text\":", ck->forall ? "forall" : "exists");
			sb_add_json_string(b, ck->source);
			sb_addf(b, ",\"verdict\":\"%s\",\"satisfied\":%zu,\"outcomes\":%zu,"
				   "\"holds\":%s,\"complete\":%s}\n",
				ex_verdict_name(j.verdict), j.satisfied, j.total,
				j.holds ? "true" : "false", r->bound_hit ? "false" : "true");
			continue;
		}
		sb_addf(b, "%s %s : %s (%zu of %zu outcome%s)%s%s\n", ck->forall ? "forall" : "exists",
			ck->source, ex_verdict_name(j.verdict), j.satisfied, j.total,
			j.total == 1 ? "" : "s", j.holds ? "" : " FAILS",
			r->bound_hit ? " (incomplete search)" : "");
	}
	free(atoms);
	free(show);
	return failed;
}
