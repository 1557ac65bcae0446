/*
 * The arguments of the resource-limit statements: getrlimit, setrlimit,
 * prlimit, and the two that run into limits, spin (CPU time) and pwrite
 * (a write to the scenario's regular file).
 */
#include <limits.h>
#include <string.h>

#include "scenario/parser.h"
#include "scenario/render.h"

/* The resources whose limits have signal rules; others are refused,
 * since the model and the host would not start from the same value. */
static const struct { const char *name; int value; } resources[] = {
	{ "RLIMIT_CPU", SL_RLIMIT_CPU }, { "RLIMIT_FSIZE", SL_RLIMIT_FSIZE },
	{ "RLIMIT_CORE", SL_RLIMIT_CORE }, { "RLIMIT_SIGPENDING", SL_RLIMIT_SIGPENDING },
};

/* The largest pwrite count and offset: the host writes from a buffer of
 * that size, into a sparse file. */
#define SC_MAX_PWRITE 65536
#define SC_MAX_PWRITE_OFFSET (1LL << 30)
/* The longest spin: the host burns that much CPU for real. */
#define SC_MAX_SPIN (10 * SL_NSEC_PER_SEC)

const char *sc_resource_name(int resource)
{
	for (size_t i = 0; i < sizeof resources / sizeof resources[0]; i++)
		if (resources[i].value == resource)
			return resources[i].name;
	return NULL;
}

/* RLIMIT_CPU, RLIMIT_FSIZE, RLIMIT_CORE, RLIMIT_SIGPENDING, or a number
 * past the last resource (EINVAL). */
static int p_resource(struct parser *p, int *out)
{
	char buf[SC_MAX_IDENT + 1];
	long long n;

	if (p->tok.kind == TK_INT) {
		if (p_int(p, SL_RLIM_NLIMITS, UINT_MAX, "resource number", &n) < 0)
			return -1;
		*out = (int)(unsigned)n;
		return 0;
	}
	if (p->tok.kind != TK_IDENT)
		return p_expected(p, "a resource (RLIMIT_CPU, RLIMIT_FSIZE, RLIMIT_CORE or "
				     "RLIMIT_SIGPENDING)");
	for (size_t i = 0; i < sizeof resources / sizeof resources[0]; i++)
		if (tok_is(&p->lx, &p->tok, resources[i].name)) {
			*out = resources[i].value;
			return p_next(p);
		}
	return p_error(p, "unknown resource '%s' (expected RLIMIT_CPU, RLIMIT_FSIZE, RLIMIT_CORE, "
			  "RLIMIT_SIGPENDING, or a number from %d)",
		       tok_text(&p->lx, &p->tok, buf, sizeof buf), SL_RLIM_NLIMITS);
}

/* A limit: a number, or unlimited (RLIM_INFINITY). */
static int p_limit(struct parser *p, uint64_t *out)
{
	if (tok_is(&p->lx, &p->tok, "unlimited") || tok_is(&p->lx, &p->tok, "RLIM_INFINITY")) {
		*out = SL_RLIM_INFINITY;
		return p_next(p);
	}
	if (p->tok.kind != TK_INT || p->tok.neg)
		return p_expected(p, "a limit (a number or unlimited)");
	return p_uint64(p, "a limit", out);
}

int p_getrlimit_args(struct parser *p, struct sc_stmt *st)
{
	return p_resource(p, &st->how);
}

/* RESOURCE SOFT HARD */
int p_setrlimit_args(struct parser *p, struct sc_stmt *st)
{
	if (p_resource(p, &st->how) < 0 || p_limit(p, &st->rlim_cur) < 0)
		return -1;
	return p_limit(p, &st->rlim_max);
}

/* TARGET RESOURCE [ SOFT HARD | NULL ] [ old ]: without limits the new
 * limit is NULL, a query. */
int p_prlimit_args(struct parser *p, struct sc_stmt *st)
{
	struct sc_pos at = p->tok.pos;

	if (p_target(p, &st->target) < 0)
		return -1;
	if (st->target.kind != SC_TGT_TASK && st->target.kind != SC_TGT_NUM)
		return lex_error(&p->lx, at, "prlimit names one process or thread (a task or a number)");
	if (p_resource(p, &st->how) < 0)
		return -1;
	if (p->tok.kind == TK_INT || tok_is(&p->lx, &p->tok, "unlimited") ||
	    tok_is(&p->lx, &p->tok, "RLIM_INFINITY")) {
		if (p_limit(p, &st->rlim_cur) < 0 || p_limit(p, &st->rlim_max) < 0)
			return -1;
	} else {
		st->null_set = true;
		if (tok_is(&p->lx, &p->tok, "NULL") && p_next(p) < 0)
			return -1;
	}
	if (!tok_is(&p->lx, &p->tok, "old"))
		return 0;
	st->want_old = true;
	return p_next(p);
}

/* OFFSET COUNT */
int p_pwrite_args(struct parser *p, struct sc_stmt *st)
{
	long long n;

	if (p_int(p, -SC_MAX_PWRITE_OFFSET, SC_MAX_PWRITE_OFFSET, "file offset", &n) < 0)
		return -1;
	st->offset = n;
	if (p_int(p, 0, SC_MAX_PWRITE, "byte count", &n) < 0)
		return -1;
	st->num = (long)n;
	return 0;
}

/* DURATION of CPU time, at most SC_MAX_SPIN: the host really burns it. */
int p_spin_args(struct parser *p, struct sc_stmt *st)
{
	struct sc_pos at = p->tok.pos;

	if (p_duration(p, &st->dur) < 0)
		return -1;
	if (st->dur > SC_MAX_SPIN)
		return lex_error(&p->lx, at, "spin of more than %llds of CPU time",
				 (long long)(SC_MAX_SPIN / SL_NSEC_PER_SEC));
	return 0;
}
