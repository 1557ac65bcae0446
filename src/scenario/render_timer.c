/* How the timer statements are written in a trace (docs/trace-format.md,
 * "Sleeping and time"). */
#include "scenario/render.h"

static void render_interval(struct strbuf *b, int64_t interval)
{
	if (interval) {
		sb_add(b, ", interval=");
		sc_render_duration(b, interval);
	}
}

bool sc_render_timer_args(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	(void)s;
	switch (st->op) {
	case SC_OP_ALARM:
		sb_addf(b, "alarm(%ld)", st->num);
		return true;
	case SC_OP_SETITIMER:
		sb_add(b, "setitimer(ITIMER_REAL, ");
		sc_render_duration(b, st->dur);
		render_interval(b, st->interval);
		sb_add(b, ")");
		return true;
	case SC_OP_GETITIMER:
		sb_add(b, "getitimer(ITIMER_REAL)");
		return true;
	case SC_OP_TIMER_CREATE:
		sb_add(b, "timer_create(");
		sc_render_signal(b, st->sig);
		sb_addf(b, ", %llu)", (unsigned long long)st->value);
		return true;
	case SC_OP_TIMER_SETTIME:
		sb_addf(b, "timer_settime(%ld, ", st->num);
		sc_render_duration(b, st->dur);
		render_interval(b, st->interval);
		sb_add(b, ")");
		return true;
	case SC_OP_TIMER_GETOVERRUN: case SC_OP_TIMER_DELETE:
		sb_addf(b, "%s(%ld)", sc_op_name(st->op), st->num);
		return true;
	default:
		return false;
	}
}

bool sc_render_timer_result(struct strbuf *b, const struct sc_stmt *st, const struct sc_result *r)
{
	switch (st->op) {
	case SC_OP_GETITIMER:
		sb_addf(b, "%ld (value ", r->ret);
		sc_render_duration(b, r->it_value);
		sb_add(b, ", interval ");
		sc_render_duration(b, r->it_interval);
		sb_add(b, ")");
		return true;
	default:
		return false;
	}
}
