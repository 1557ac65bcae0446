/* How the statements of sleeping, waiting and time (issue 4) are written
 * in a trace (docs/trace-format.md, "Sleeping and time"). */
#include "scenario/render.h"

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

bool sc_op_may_block(enum sc_op op)
{
	switch (op) {
	case SC_OP_PAUSE: case SC_OP_SIGSUSPEND: case SC_OP_SIGTIMEDWAIT:
	case SC_OP_SIGWAITINFO: case SC_OP_READ: case SC_OP_NANOSLEEP:
	case SC_OP_WAIT4: case SC_OP_WAITID: case SC_OP_WAIT_EVENT:
		return true;
	default:
		return false;
	}
}

static void render_pipe(struct strbuf *b, const struct scenario *s, int pipe)
{
	if (pipe < 0 || (size_t)pipe >= s->npipes)
		sb_add(b, "signalfd");
	else
		sb_add(b, s->pipes[pipe]);
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

static void render_interval(struct strbuf *b, int64_t interval)
{
	if (interval) {
		sb_add(b, ", interval=");
		sc_render_duration(b, interval);
	}
}

bool sc_render_time_args(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	switch (st->op) {
	case SC_OP_PAUSE:
		sb_add(b, "pause()");
		return true;
	case SC_OP_SIGSUSPEND: case SC_OP_SIGWAITINFO: case SC_OP_SIGNALFD:
		sb_addf(b, "%s(", sc_op_name(st->op));
		sc_render_set(b, st->mask);
		sb_add(b, ")");
		return true;
	case SC_OP_SIGTIMEDWAIT:
		sb_add(b, "sigtimedwait(");
		sc_render_set(b, st->mask);
		sb_add(b, ", ");
		sc_render_duration(b, st->dur);
		sb_add(b, ")");
		return true;
	case SC_OP_READ:
		sb_add(b, "read(");
		render_pipe(b, s, st->pipe);
		sb_add(b, ")");
		return true;
	case SC_OP_WRITE:
		sb_add(b, "write(");
		render_pipe(b, s, st->pipe);
		sb_addf(b, ", \"%s\")", st->text ? st->text : "");
		return true;
	case SC_OP_NANOSLEEP:
		sb_add(b, "nanosleep(");
		sc_render_duration(b, st->dur);
		sb_add(b, ")");
		return true;
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
	case SC_OP_SIGALTSTACK:
		if (st->ss_mode == 0)
			sb_add(b, "sigaltstack()");
		else if (st->ss_mode == 2)
			sb_add(b, "sigaltstack(SS_DISABLE)");
		else
			sb_addf(b, "sigaltstack(%lld%s)", (long long)st->dur,
				st->flags & SL_SS_AUTODISARM ? ", SS_AUTODISARM" : "");
		return true;
	case SC_OP_ADVANCE:
		sb_add(b, "advance ");
		sc_render_duration(b, st->dur);
		return true;
	case SC_OP_WAIT_EVENT:
		sb_addf(b, "wait_event(%s, %s)", waitq_name(s, st->waitq),
			sleep_state_name(st->sleep));
		return true;
	case SC_OP_WAKE_UP:
		sb_addf(b, "wake_up(%s)", waitq_name(s, st->waitq));
		return true;
	default:
		return false;
	}
}

static void render_info(struct strbuf *b, const struct sc_result *r)
{
	const struct sl_siginfo *si = &r->info;

	sb_addf(b, " (code=%d", si->code);
	if (si->code == SL_SI_TIMER)
		sb_addf(b, " value=%llu overrun=%d", (unsigned long long)si->value, si->overrun);
	else if (si->code <= 0 || si->code == SL_SI_KERNEL)
		sb_addf(b, " pid=%s", r->info_pid_name ? r->info_pid_name : "?");
	if (si->code == SL_SI_QUEUE)
		sb_addf(b, " value=%llu", (unsigned long long)si->value);
	sb_add(b, ")");
}

static void render_ss_flags(struct strbuf *b, uint32_t flags)
{
	const char *mode = (flags & SL_SS_DISABLE) ? "SS_DISABLE"
			 : (flags & SL_SS_ONSTACK) ? "SS_ONSTACK" : "0";

	sb_add(b, mode);
	if (flags & SL_SS_AUTODISARM)
		sb_add(b, "|SS_AUTODISARM");
}

bool sc_render_time_result(struct strbuf *b, const struct sc_stmt *st, const struct sc_result *r)
{
	switch (st->op) {
	case SC_OP_SIGTIMEDWAIT: case SC_OP_SIGWAITINFO:
		sc_render_signal(b, (int)r->ret);
		if (r->has_info)
			render_info(b, r);
		return true;
	case SC_OP_READ:
		sb_addf(b, "%ld", r->ret);
		if (st->pipe < 0 && r->has_info) {
			sb_add(b, " ");
			sc_render_signal(b, r->info.signo);
			render_info(b, r);
		}
		return true;
	case SC_OP_SIGNALFD:
		sb_add(b, "fd");
		return true;
	case SC_OP_GETITIMER:
		sb_addf(b, "%ld (value ", r->ret);
		sc_render_duration(b, r->it_value);
		sb_add(b, ", interval ");
		sc_render_duration(b, r->it_interval);
		sb_add(b, ")");
		return true;
	case SC_OP_SIGALTSTACK:
		sb_addf(b, "%ld", r->ret);
		if (st->ss_mode == 0) {
			sb_add(b, " (ss_flags=");
			render_ss_flags(b, r->ss_flags);
			sb_addf(b, " size=%llu)", (unsigned long long)r->ss_size);
		}
		return true;
	default:
		return false;
	}
}
