/* How the timer statements are written in a trace (docs/trace-format.md,
 * "Sleeping and time"). */
#include "scenario/render_call.h"

static void render_interval(struct strbuf *b, int64_t interval)
{
	if (interval) {
		sb_add(b, ", interval=");
		sc_render_duration(b, interval);
	}
}

void sc_call_setitimer(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	(void)s;
	sb_add(b, "setitimer(ITIMER_REAL, ");
	sc_render_duration(b, st->dur);
	render_interval(b, st->interval);
	sb_add(b, ")");
}

void sc_call_getitimer(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	(void)s;
	(void)st;
	sb_add(b, "getitimer(ITIMER_REAL)");
}

void sc_ret_getitimer(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st,
		const struct sc_result *r)
{
	(void)s;
	(void)st;
	sb_addf(b, "%ld (value ", r->ret);
	sc_render_duration(b, r->it_value);
	sb_add(b, ", interval ");
	sc_render_duration(b, r->it_interval);
	sb_add(b, ")");
}

void sc_call_timer_create(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	(void)s;
	sb_add(b, "timer_create(");
	sc_render_signal(b, st->sig);
	sb_addf(b, ", %llu", (unsigned long long)st->value);
	if (st->notify == SL_SIGEV_NONE) {
		sb_add(b, ", notify=none");
	} else if (st->notify & SL_SIGEV_THREAD_ID) {
		sb_add(b, ", thread=");
		sc_render_target(b, s, &st->target);
	}
	if (st->clock == SL_CPUCLOCK_PROCESS(0, SL_CPUCLOCK_PROF))
		sb_add(b, ", clock=process");
	else if (st->clock == SL_CPUCLOCK_THREAD(0, SL_CPUCLOCK_PROF))
		sb_add(b, ", clock=thread");
	sb_add(b, ")");
}

void sc_call_timer_settime(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	(void)s;
	sb_addf(b, "timer_settime(%ld, ", st->num);
	sc_render_duration(b, st->dur);
	render_interval(b, st->interval);
	sb_add(b, ")");
}
