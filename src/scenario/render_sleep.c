/* How the statements that sleep and wait, and the clock's steps, are
 * written in a trace (docs/trace-format.md, "Sleeping and time"). */
#include "scenario/render_call.h"

void sc_render_duration(struct strbuf *b, int64_t ns)
{
	if (ns % 1000000000 == 0)
		sb_addf(b, "%llds", (long long)(ns / 1000000000));
	else if (ns % 1000000 == 0)
		sb_addf(b, "%lldms", (long long)(ns / 1000000));
	else if (ns % 1000 == 0)
		sb_addf(b, "%lldus", (long long)(ns / 1000));
	else
		sb_addf(b, "%lldns", (long long)ns);
}

static const char *waitq_name(const struct scenario *s, int q)
{
	return q >= 0 && (size_t)q < s->nwaitqs ? s->waitqs[q] : "?";
}

static const char *sleep_state_name(int state)
{
	switch (state) {
	case SL_SLEEP_INTERRUPTIBLE:
		return "TASK_INTERRUPTIBLE";
	case SL_SLEEP_KILLABLE:
		return "TASK_KILLABLE";
	case SL_SLEEP_UNINTERRUPTIBLE:
		return "TASK_UNINTERRUPTIBLE";
	default:
		return "?";
	}
}

/* A duration, or the raw timespec the scenario wrote. */
static void render_timeout(struct strbuf *b, const struct sc_stmt *st)
{
	if (st->has_ts)
		sb_addf(b, "{%lld, %lld}", (long long)st->ts_sec, (long long)st->ts_nsec);
	else
		sc_render_duration(b, st->dur);
}

void sc_call_sigtimedwait(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	(void)s;
	sb_add(b, "sigtimedwait(");
	sc_render_set(b, st->mask);
	sb_add(b, ", ");
	render_timeout(b, st);
	sb_add(b, ")");
}

/* "ppoll({SIGUSR1}, 5s)", "poll()" without a timeout. */
void sc_call_poll(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	bool set = st->op == SC_OP_PPOLL || st->op == SC_OP_PSELECT6 || st->op == SC_OP_EPOLL_PWAIT;

	(void)s;
	sb_addf(b, "%s(", sc_op_name(st->op));
	if (set)
		sc_render_set(b, st->mask);
	if (st->dur >= 0 || st->has_ts) {
		sb_add(b, set ? ", " : "");
		render_timeout(b, st);
	}
	sb_add(b, ")");
}

void sc_call_nanosleep(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	(void)s;
	sb_add(b, "nanosleep(");
	render_timeout(b, st);
	sb_add(b, ")");
}

void sc_call_advance(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	(void)s;
	sb_add(b, "advance ");
	sc_render_duration(b, st->dur);
}

void sc_call_wait_event(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	sb_addf(b, "wait_event(%s, %s)", waitq_name(s, st->waitq), sleep_state_name(st->sleep));
}

void sc_call_wake_up(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	sb_addf(b, "wake_up(%s)", waitq_name(s, st->waitq));
}

/* The siginfo a call returned: " (code=0 pid=a)". */
void sc_render_info(struct strbuf *b, const struct scenario *s, const struct sc_result *r)
{
	const struct sl_siginfo *si = &r->info;

	sb_addf(b, " (code=%d", si->code);
	sc_render_handler_info(b, s, si->signo, si, r->info_pid_name ? r->info_pid_name : "?");
	sb_add(b, ")");
}

/* sigtimedwait and sigwaitinfo: the signal taken, and its siginfo. */
void sc_ret_siginfo(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st,
		const struct sc_result *r)
{
	(void)st;
	sc_render_signal(b, (int)r->ret);
	if (r->has_info)
		sc_render_info(b, s, r);
}
