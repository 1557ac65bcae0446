/*
 * The scenario generator: a seed gives a scenario of several processes
 * and threads (some made by fork and clone steps), up to three handlers
 * with bodies, and a list of steps drawn from the statement table
 * (gen_stmt.c).  The generator keeps only a rough picture of the world
 * (which tasks exist); the model decides the rest: a step it refuses
 * with a scenario error (a step for a task asleep, stopped or dead, a
 * fault that keeps coming back) is removed, and the scenario run again,
 * until the model runs it to the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzdiff/gen.h"
#include "scenario/ast.h"
#include "sim/sim.h"

#define MAX_VALIDATE 40

uint64_t fz_next(struct fz_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

unsigned fz_below(struct fz_rng *r, unsigned n)
{
	return (unsigned)(fz_next(r) % n);
}

bool fz_chance(struct fz_gen *g, unsigned percent)
{
	return fz_below(&g->rng, 100) < percent;
}

/* ---- lines ----------------------------------------------------------------- */

int fz_push(struct fz_lines *l, const char *text)
{
	char *c = strdup(text);

	if (!c)
		return -1;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		char **v = realloc(l->v, cap * sizeof *v);

		if (!v) {
			free(c);
			return -1;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = c;
	return 0;
}

void fz_free(struct fz_scenario *s)
{
	for (int k = 0; k < FZ_NSECT; k++) {
		for (size_t i = 0; i < s->sect[k].n; i++)
			free(s->sect[k].v[i]);
		free(s->sect[k].v);
	}
	memset(s, 0, sizeof *s);
}

int fz_copy(struct fz_scenario *dst, const struct fz_scenario *src)
{
	memset(dst, 0, sizeof *dst);
	for (int k = 0; k < FZ_NSECT; k++)
		for (size_t i = 0; i < src->sect[k].n; i++)
			if (fz_push(&dst->sect[k], src->sect[k].v[i]) < 0) {
				fz_free(dst);
				return -1;
			}
	return 0;
}

size_t fz_nlines(const struct fz_scenario *s)
{
	size_t n = 0;

	for (int k = 0; k < FZ_NSECT; k++)
		n += s->sect[k].n;
	return n;
}

char *fz_render(const struct fz_scenario *s)
{
	struct strbuf b = { 0 };

	for (int k = 0; k < FZ_NSECT; k++)
		for (size_t i = 0; i < s->sect[k].n; i++)
			sb_addf(&b, "%s\n", s->sect[k].v[i]);
	if (b.oom) {
		sb_free(&b);
		return NULL;
	}
	return sb_take(&b);
}

void fz_remove_line(struct fz_scenario *s, size_t line)
{
	for (int k = 0; k < FZ_NSECT; k++) {
		struct fz_lines *l = &s->sect[k];

		if (line >= 1 && line <= l->n) {
			free(l->v[line - 1]);
			memmove(&l->v[line - 1], &l->v[line], (l->n - line) * sizeof *l->v);
			l->n--;
			return;
		}
		line -= l->n;
	}
}

/* ---- picks ------------------------------------------------------------------ */

/* Mostly the signals a program uses; the job-control and fatal ones; now
 * and then the probe signal 0 and an invalid number. */
const char *fz_pick_sig(struct fz_gen *g)
{
	static const char *common[] = { "SIGUSR1", "SIGUSR2", "SIGRTMIN", "SIGRTMIN+1",
					"SIGUSR1", "SIGUSR2", "SIGTERM", "SIGINT", "SIGHUP",
					"SIGCHLD", "SIGALRM", "SIGQUIT" };
	static const char *rare[] = { "SIGSTOP", "SIGCONT", "SIGTSTP", "SIGKILL", "SIGTTIN",
				      "SIGPIPE", "SIGWINCH", "SIGRTMAX", "0", "65" };
	unsigned r = fz_below(&g->rng, 100);

	if (r < 80)
		return common[fz_below(&g->rng, sizeof common / sizeof common[0])];
	return rare[fz_below(&g->rng, sizeof rare / sizeof rare[0])];
}

const char *fz_pick_catchable(struct fz_gen *g)
{
	static const char *s[] = { "SIGUSR1", "SIGUSR2", "SIGRTMIN", "SIGRTMIN+1", "SIGTERM",
				   "SIGINT", "SIGHUP", "SIGCHLD", "SIGALRM", "SIGCONT",
				   "SIGTSTP", "SIGSEGV", "SIGFPE", "SIGQUIT" };

	return s[fz_below(&g->rng, sizeof s / sizeof s[0])];
}

void fz_put_set(struct fz_gen *g, struct strbuf *b)
{
	unsigned n = fz_below(&g->rng, 4);

	if (fz_chance(g, 5)) {
		sb_add(b, "all");
		return;
	}
	sb_add(b, "{");
	for (unsigned i = 0; i < n; i++)
		sb_addf(b, "%s%s", i ? "," : "", fz_pick_catchable(g));
	sb_add(b, "}");
}

int fz_pick_task(struct fz_gen *g, bool proc)
{
	int c[FZ_MAX_TASKS], n = 0;

	for (int i = 0; i < g->ntasks; i++)
		if (g->task[i].made && (!proc || !g->task[i].thread))
			c[n++] = i;
	return n ? c[fz_below(&g->rng, (unsigned)n)] : -1;
}

void fz_put_target(struct fz_gen *g, struct strbuf *b)
{
	unsigned r = fz_below(&g->rng, 100);
	int x = fz_pick_task(g, r >= 75 && r < 87);

	if (r < 75 && x >= 0)
		sb_add(b, g->task[x].name);
	else if (r < 87 && x >= 0)
		sb_addf(b, "-%s", g->task[x].name);
	else if (r < 93)
		sb_add(b, "0");
	else if (r < 97)
		sb_add(b, "-1");
	else
		sb_add(b, "nobody");
}

bool fz_put_stmt(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b,
		 long long *advance_ns)
{
	unsigned total = 0;

	for (size_t i = 0; i < fz_nstmt_rows; i++) {
		const struct fz_stmt_row *r = &fz_stmt_rows[i];

		if (r->fn)
			total += w == FZ_IN_STEP ? r->weight : r->in_body ? (r->weight ? r->weight : 3) : 0;
	}
	for (int tries = 0; tries < 8; tries++) {
		unsigned k = fz_below(&g->rng, total);

		for (size_t i = 0; i < fz_nstmt_rows; i++) {
			const struct fz_stmt_row *r = &fz_stmt_rows[i];
			unsigned wt;

			if (!r->fn)
				continue;
			wt = w == FZ_IN_STEP ? r->weight : r->in_body ? (r->weight ? r->weight : 3) : 0;
			if (k >= wt) {
				k -= wt;
				continue;
			}
			if (r->fn(g, t, w, b, advance_ns))
				return true;
			break;
		}
	}
	return false;
}

/* ---- the scenario ------------------------------------------------------------- */

static int push_fmt(struct fz_lines *l, const struct strbuf *b)
{
	return fz_push(l, sb_str(b));
}

/* Declares the tasks: 2 to 4 processes (some uid 1000, some children or
 * group members of another), threads of some, and tasks made by steps. */
static int declare(struct fz_gen *g, struct fz_scenario *s)
{
	int nproc = 2 + (int)fz_below(&g->rng, 3);
	int nthr = (int)fz_below(&g->rng, 3);
	int nfork = (int)fz_below(&g->rng, 3);
	struct strbuf b = { 0 };
	int rc = 0;

	for (int i = 0; i < nproc; i++) {
		struct fz_task *x = &g->task[g->ntasks];

		snprintf(x->name, sizeof x->name, "p%d", i);
		x->leader = g->ntasks;
		x->made = true;
		sb_addf(&b, "process %s", x->name);
		if (i && fz_chance(g, 20)) {
			x->uid = 1000;
			sb_add(&b, " uid=1000");
		}
		x->ctl_child = true;
		if (i && fz_chance(g, 30)) {
			sb_addf(&b, " parent=p%u", fz_below(&g->rng, (unsigned)i));
			x->ctl_child = false;
		}
		if (i && fz_chance(g, 25))
			sb_addf(&b, " pgrp=p%u", fz_below(&g->rng, (unsigned)i));
		rc |= push_fmt(&s->sect[FZ_DECL], &b);
		sb_free(&b);
		g->ntasks++;
	}
	for (int i = 0; i < nfork; i++) {
		struct fz_task *x = &g->task[g->ntasks];

		snprintf(x->name, sizeof x->name, "k%d", i);
		x->leader = g->ntasks;
		x->forked = true;
		sb_addf(&b, "process %s forked", x->name);
		rc |= push_fmt(&s->sect[FZ_DECL], &b);
		sb_free(&b);
		g->ntasks++;
	}
	for (int i = 0; i < nthr && g->ntasks < FZ_MAX_TASKS; i++) {
		struct fz_task *x = &g->task[g->ntasks];
		int of = (int)fz_below(&g->rng, (unsigned)(nproc + nfork));

		snprintf(x->name, sizeof x->name, "t%d", i);
		x->thread = true;
		x->leader = of;
		x->uid = g->task[of].uid;
		x->forked = g->task[of].forked || fz_chance(g, 50);
		x->made = !x->forked;
		sb_addf(&b, "thread %s of %s%s", x->name, g->task[of].name,
			x->forked ? " forked" : "");
		rc |= push_fmt(&s->sect[FZ_DECL], &b);
		sb_free(&b);
		g->ntasks++;
	}
	return rc;
}

static int handlers(struct fz_gen *g, struct fz_scenario *s)
{
	int rc = 0;

	g->nhandlers = 1 + (int)fz_below(&g->rng, FZ_MAX_HANDLERS);
	for (int h = 0; h < g->nhandlers; h++) {
		struct strbuf b = { 0 };
		unsigned n = fz_below(&g->rng, 4);
		long long ignored = 0;

		sb_addf(&b, "handler h%d { log \"h%d\"", h, h);
		for (unsigned i = 0; i < n; i++) {
			struct strbuf st = { 0 };

			/* the task is not known: arguments naming tasks pick any */
			if (fz_put_stmt(g, 0, FZ_IN_BODY, &st, &ignored))
				sb_addf(&b, "; %s", sb_str(&st));
			sb_free(&st);
		}
		sb_add(&b, " }");
		rc |= push_fmt(&s->sect[FZ_HANDLER], &b);
		sb_free(&b);
	}
	return rc;
}

static int steps(struct fz_gen *g, struct fz_scenario *s)
{
	int n = 6 + (int)fz_below(&g->rng, 20);
	int rc = 0;

	for (int i = 0; i < n; i++) {
		struct strbuf b = { 0 };
		long long adv = 0;
		int t = fz_pick_task(g, false);

		sb_addf(&b, "%s: ", g->task[t].name);
		if (fz_put_stmt(g, t, FZ_IN_STEP, &b, &adv))
			rc |= push_fmt(&s->sect[FZ_STEP], &b);
		sb_free(&b);
		if (adv && g->advanced + adv <= 60LL * 1000000000LL) {
			g->advanced += adv;
			sb_addf(&b, "advance %lldms", adv / 1000000);
			rc |= push_fmt(&s->sect[FZ_STEP], &b);
			sb_free(&b);
		}
	}
	return rc;
}

/* Runs the model until it takes the scenario to its end, removing each
 * line it stops at.  0, or -1 when it never does. */
static int validate(struct fz_scenario *s)
{
	for (int round = 0; round < MAX_VALIDATE; round++) {
		char *text = fz_render(s);
		struct scenario *sc = NULL;
		struct sc_diag d;
		struct sim_options so = { 0 };
		struct sim_result r;
		int ret;

		if (!text)
			return -1;
		if (sc_parse("fuzz.scn", text, strlen(text), &sc, &d) < 0) {
			free(text);
			if (d.pos.line < 1 || (size_t)d.pos.line > fz_nlines(s))
				return -1;
			fz_remove_line(s, (size_t)d.pos.line);
			continue;
		}
		free(text);
		ret = sim_run(sc, &so, &r);
		sc_free(sc);
		if (ret == 0) {
			sim_result_free(&r);
			return 0;
		}
		if (!r.error || r.diag.pos.line < 1 || (size_t)r.diag.pos.line > fz_nlines(s)) {
			sim_result_free(&r);
			return -1;
		}
		fz_remove_line(s, (size_t)r.diag.pos.line);
		sim_result_free(&r);
	}
	return -1;
}

int fz_generate(uint64_t seed, struct fz_scenario *out)
{
	struct fz_gen g;
	char head[64];

	memset(&g, 0, sizeof g);
	memset(out, 0, sizeof *out);
	g.rng.s = seed;
	snprintf(head, sizeof head, "scenario fuzz-%llu", (unsigned long long)seed);
	if (fz_push(&out->sect[FZ_HEAD], head) < 0 || declare(&g, out) < 0 ||
	    handlers(&g, out) < 0 || steps(&g, out) < 0 || validate(out) < 0) {
		fz_free(out);
		return -1;
	}
	return 0;
}

/* ---- coverage ------------------------------------------------------------------- */

static const char *const keywords[] = {
#define SC_STMT(op, keyword, ...) [SC_OP_##op] = keyword,
#include "scenario/stmt_table.def"
};

int fz_coverage(void (*fn)(const char *keyword, bool covered, const char *why, void *ud),
		void *ud)
{
	int missing = 0;

	for (int op = 0; op < SC_OP_COUNT; op++) {
		const struct fz_stmt_row *r = NULL;

		for (size_t i = 0; i < fz_nstmt_rows; i++)
			if (fz_stmt_rows[i].op == op)
				r = &fz_stmt_rows[i];
		if (!r)
			missing++;
		if (fn)
			fn(keywords[op], r && (r->fn || !strncmp(r->why, "written", 7)),
			   r ? r->why : "NO ROW in src/fuzzdiff/gen_stmt.c", ud);
	}
	return missing;
}
