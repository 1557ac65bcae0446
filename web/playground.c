/*
 * The playground's entry points: the scenario language, the model's run
 * and explore, compiled to WebAssembly for web/index.html (make web).
 * Each call takes a scenario's text and returns the text the command
 * line would print (valid until the next call); errors come back as
 * "scenario:LINE:COL: message", as the command line shows them.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "explore/explore.h"
#include "scenario/ast.h"
#include "scenario/strbuf.h"
#include "sim/sim.h"

const char *pg_run(const char *src, int explain, int json);
const char *pg_svg(void);
const char *pg_explore(const char *src, int json);

static struct strbuf out;
static char *last_svg;

static struct scenario *parse(const char *src)
{
	struct scenario *s = NULL;
	struct sc_diag diag;

	if (sc_parse("scenario", src, strlen(src), &s, &diag) < 0) {
		sb_addf(&out, "scenario:%d:%d: %s\n", diag.pos.line, diag.pos.col, diag.message);
		return NULL;
	}
	return s;
}

static void reset(void)
{
	sb_free(&out);
	out = (struct strbuf){ 0 };
}

/* What run says of exists/forall lines, as src/cli/cmd_run.c says it. */
static void conditions(const struct scenario *s, const struct sim_result *r)
{
	for (size_t i = 0; i < s->nchecks && r->atoms; i++)
		sb_addf(&out, "%s %s: %s in this run (siglab explore judges every interleaving)\n",
			s->checks[i].forall ? "forall" : "exists", s->checks[i].source,
			ex_cond_eval(s, s->checks[i].root, r->atoms) ? "true" : "false");
}

/* `siglab run [--explain] [--json] --svg`: the trace and the
 * expectations; the timeline is kept for pg_svg. */
const char *pg_run(const char *src, int explain, int json)
{
	struct sim_options opt = { .explain = explain != 0, .json = json != 0, .svg = true };
	struct sim_result r;
	struct scenario *s;

	reset();
	free(last_svg);
	last_svg = NULL;
	s = parse(src);
	if (!s)
		return sb_str(&out);
	if (sim_run(s, &opt, &r) < 0) {
		if (r.trace)
			sb_add(&out, r.trace);
		if (r.error)
			sb_addf(&out, "scenario:%d:%d: %s\n", r.diag.pos.line, r.diag.pos.col,
				r.diag.message);
		else
			sb_add(&out, "out of memory\n");
	} else {
		sb_add(&out, r.trace);
		if (!json) {
			sb_add(&out, r.report);
			conditions(s, &r);
		}
		if (r.svg)
			last_svg = strdup(r.svg);
	}
	sim_result_free(&r);
	sc_free(s);
	return out.oom ? "out of memory\n" : sb_str(&out);
}

/* The timeline of the last pg_run, or "". */
const char *pg_svg(void)
{
	return last_svg ? last_svg : "";
}

/* `siglab explore [--json]`: every interleaving's outcome (serial). */
const char *pg_explore(const char *src, int json)
{
	struct ex_options opt = { .jobs = 1 };
	struct ex_result r;
	struct scenario *s;

	reset();
	s = parse(src);
	if (!s)
		return sb_str(&out);
	if (ex_explore(s, &opt, &r) < 0) {
		if (r.error)
			sb_addf(&out, "scenario:%d:%d: %s\n  in the interleaving: %s\n",
				r.diag.pos.line, r.diag.pos.col, r.diag.message,
				r.error_witness ? r.error_witness : "?");
		else
			sb_add(&out, "out of memory\n");
	} else {
		ex_report(&out, s, &r, json != 0);
		if (r.bound_hit)
			sb_addf(&out, "search bound of %lu states hit: the outcomes are incomplete\n",
				r.states);
	}
	ex_result_free(&r, s);
	sc_free(s);
	return out.oom ? "out of memory\n" : sb_str(&out);
}
