/* How the resource-limit statements are written in a trace
 * (docs/trace-format.md, "Resource limits"): limits as numbers or
 * RLIM_INFINITY, the old ones after the value. */
#include "scenario/render_call.h"

static void render_limit(struct strbuf *b, uint64_t v)
{
	if (v == SL_RLIM_INFINITY)
		sb_add(b, "RLIM_INFINITY");
	else
		sb_addf(b, "%llu", (unsigned long long)v);
}

static void render_resource(struct strbuf *b, int resource)
{
	const char *name = sc_resource_name(resource);

	if (name)
		sb_add(b, name);
	else
		sb_addf(b, "%u", (unsigned)resource);
}

/* "{cur=0, max=RLIM_INFINITY}" */
static void render_rlimit(struct strbuf *b, uint64_t cur, uint64_t max)
{
	sb_add(b, "{cur=");
	render_limit(b, cur);
	sb_add(b, ", max=");
	render_limit(b, max);
	sb_add(b, "}");
}

void sc_call_getrlimit(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	(void)s;
	sb_add(b, "getrlimit(");
	render_resource(b, st->how);
	sb_add(b, ")");
}

void sc_call_setrlimit(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	(void)s;
	sb_add(b, "setrlimit(");
	render_resource(b, st->how);
	sb_add(b, ", ");
	render_rlimit(b, st->rlim_cur, st->rlim_max);
	sb_add(b, ")");
}

/* "prlimit64(kid, RLIMIT_CORE, NULL, old)" */
void sc_call_prlimit(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	sb_add(b, "prlimit64(");
	sc_render_target(b, s, &st->target);
	sb_add(b, ", ");
	render_resource(b, st->how);
	sb_add(b, ", ");
	if (st->null_set)
		sb_add(b, "NULL");
	else
		render_rlimit(b, st->rlim_cur, st->rlim_max);
	sb_add(b, st->want_old ? ", old)" : ", NULL)");
}

/* "0 (cur 0, max RLIM_INFINITY)" */
void sc_ret_getrlimit(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st,
		      const struct sc_result *r)
{
	sc_ret_long(b, s, st, r);
	if (st->op == SC_OP_PRLIMIT && !st->want_old)
		return;
	sb_add(b, st->op == SC_OP_PRLIMIT ? " (old cur " : " (cur ");
	render_limit(b, r->rlim.cur);
	sb_add(b, ", max ");
	render_limit(b, r->rlim.max);
	sb_add(b, ")");
}

/* "pwrite64(file, 100, 4096)": the count, then the offset, as strace. */
void sc_call_pwrite(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	(void)s;
	sb_addf(b, "pwrite64(file, %ld, %lld)", st->num, (long long)st->offset);
}

/* "spin 1500ms": CPU time burnt in user mode. */
void sc_call_spin(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	(void)s;
	sb_add(b, "spin ");
	sc_render_duration(b, st->dur);
}
