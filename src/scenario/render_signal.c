/* How the signal statements, and the call shapes other statements share
 * ("NAME()", "NAME(SET)", "NAME(TARGET, SIG)", ...), are written in a
 * trace (docs/trace-format.md); the CALL and RESULT columns of
 * stmt_table.def. */
#include "scenario/render_call.h"

static void render_handler_ref(struct strbuf *b, const struct scenario *s, int h)
{
	if (h == SC_HANDLER_DFL)
		sb_add(b, "SIG_DFL");
	else if (h == SC_HANDLER_IGN)
		sb_add(b, "SIG_IGN");
	else
		sb_add(b, s->handlers[h].name);
}
static void render_how(struct strbuf *b, int how)
{
	switch (how) {
	case SL_SIG_BLOCK:
		sb_add(b, "SIG_BLOCK");
		break;
	case SL_SIG_UNBLOCK:
		sb_add(b, "SIG_UNBLOCK");
		break;
	case SL_SIG_SETMASK:
		sb_add(b, "SIG_SETMASK");
		break;
	default:
		sb_addf(b, "%d", how);
	}
}
static void render_ss_flags(struct strbuf *b, uint32_t flags)
{
	const char *mode = (flags & SL_SS_DISABLE) ? "SS_DISABLE"
			 : (flags & SL_SS_ONSTACK) ? "SS_ONSTACK" : "0";

	sb_add(b, mode);
	if (flags & SL_SS_AUTODISARM)
		sb_add(b, "|SS_AUTODISARM");
}
/* ---- shapes ------------------------------------------------------------ */

void sc_call_void(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	(void)s;
	sb_addf(b, "%s()", sc_op_name(st->op));
}

void sc_call_word(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	(void)s;
	sb_add(b, sc_op_name(st->op));
}

void sc_call_set(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	(void)s;
	sb_addf(b, "%s(", sc_op_name(st->op));
	sc_render_set(b, st->mask);
	sb_add(b, ")");
}

void sc_call_sig(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	(void)s;
	sb_addf(b, "%s(", sc_op_name(st->op));
	sc_render_signal(b, st->sig);
	sb_add(b, ")");
}

void sc_call_num(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	(void)s;
	sb_addf(b, "%s(%ld)", sc_op_name(st->op), st->num);
}

void sc_call_target(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	sb_addf(b, "%s(", sc_op_name(st->op));
	sc_render_target(b, s, &st->target);
	sb_add(b, ")");
}

void sc_call_target_sig(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	sb_addf(b, "%s(", sc_op_name(st->op));
	sc_render_target(b, s, &st->target);
	sb_add(b, ", ");
	sc_render_signal(b, st->sig);
	sb_add(b, ")");
}

void sc_ret_long(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st,
		 const struct sc_result *r)
{
	(void)s;
	(void)st;
	sb_addf(b, "%ld", r->ret);
}

/* ---- the signal statements ---------------------------------------------- */

void sc_call_sigaction(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	sb_add(b, "sigaction(");
	sc_render_signal(b, st->sig);
	sb_add(b, ", ");
	if (st->null_set) {
		sb_add(b, "NULL");
	} else {
		render_handler_ref(b, s, st->handler);
		sb_add(b, ", ");
		sc_render_flags(b, st->flags);
		sb_add(b, ", ");
		sc_render_set(b, st->mask);
	}
	sb_add(b, st->want_old ? ", old)" : ")");
}

/* "0", and with `old` the action the call wrote back, its flags without
 * SA_RESTORER (the C library's): "0 (old h, SA_RESTART, {SIGINT})". */
void sc_ret_sigaction(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st,
		      const struct sc_result *r)
{
	sc_ret_long(b, s, st, r);
	if (!st->want_old)
		return;
	sb_add(b, " (old ");
	if (r->old_act.handler == SL_SIG_DFL || r->old_act.handler == SL_SIG_IGN)
		sb_add(b, r->old_act.handler == SL_SIG_DFL ? "SIG_DFL" : "SIG_IGN");
	else
		sc_render_handler_field(b, s, r->old_act.handler);
	sb_add(b, ", ");
	sc_render_flags(b, r->old_act.flags & ~(uint64_t)SL_SA_RESTORER);
	sb_add(b, ", ");
	sc_render_set(b, r->old_act.mask);
	sb_add(b, ")");
}

void sc_call_signal(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	sb_add(b, "signal(");
	sc_render_signal(b, st->sig);
	sb_add(b, ", ");
	render_handler_ref(b, s, st->handler);
	sb_add(b, ")");
}

void sc_ret_handler(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st,
		    const struct sc_result *r)
{
	(void)st;
	sc_render_handler(b, s, (uint64_t)r->ret);
}

void sc_call_sigprocmask(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	(void)s;
	sb_add(b, "sigprocmask(");
	render_how(b, st->how);
	sb_add(b, ", ");
	if (st->null_set)
		sb_add(b, "NULL");
	else
		sc_render_set(b, st->mask);
	sb_add(b, st->want_old ? ", old)" : ")");
}

/* "0", and with `old` the set the call wrote back: "0 (old {SIGINT})". */
void sc_ret_sigprocmask(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st,
			const struct sc_result *r)
{
	sc_ret_long(b, s, st, r);
	if (st->want_old) {
		sb_add(b, " (old ");
		sc_render_set(b, r->set);
		sb_add(b, ")");
	}
}

void sc_ret_sgetmask(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st,
		     const struct sc_result *r)
{
	(void)s;
	(void)st;
	sc_render_set(b, (sl_sigset)r->ret);
}

/* ssetmask returns the old mask as an int. */
void sc_ret_ssetmask(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st,
		     const struct sc_result *r)
{
	(void)s;
	(void)st;
	sc_render_set(b, (sl_sigset)(uint32_t)r->ret);
}

void sc_ret_set(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st,
		const struct sc_result *r)
{
	(void)s;
	(void)st;
	sc_render_set(b, r->set);
}

void sc_call_tgkill(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	sb_add(b, "tgkill(");
	sc_render_target(b, s, &st->target);
	sb_add(b, ", ");
	sc_render_target(b, s, &st->target2);
	sb_add(b, ", ");
	sc_render_signal(b, st->sig);
	sb_add(b, ")");
}

/* sigqueue and tgsigqueue: the value always, the code when the scenario
 * gave one. */
void sc_call_sigqueue(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	sb_addf(b, "%s(", sc_op_name(st->op));
	sc_render_target(b, s, &st->target);
	sb_add(b, ", ");
	if (st->op == SC_OP_TGSIGQUEUE) {
		sc_render_target(b, s, &st->target2);
		sb_add(b, ", ");
	}
	sc_render_signal(b, st->sig);
	sb_addf(b, ", %llu", (unsigned long long)st->value);
	if (st->has_code)
		sb_addf(b, ", code=%d", st->code);
	if (st->has_spid) {
		sb_add(b, ", pid=");
		sc_render_target(b, s, &st->spid);
	}
	if (st->has_suid)
		sb_addf(b, ", uid=%u", st->suid);
	sb_add(b, ")");
}

void sc_call_fault(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	(void)s;
	sb_add(b, "fault(");
	sc_render_signal(b, st->sig);
	sb_addf(b, ", %d", st->code);
	if (st->has_addr)
		sb_addf(b, ", addr=%#llx", (unsigned long long)st->value);
	sb_add(b, ")");
}

void sc_call_log(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	(void)s;
	sb_addf(b, "log \"%s\"", st->text ? st->text : "");
}

void sc_call_repeat(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	(void)s;
	sb_addf(b, "repeat %ld", st->num);
}

void sc_call_sigaltstack(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	(void)s;
	if (st->ss_mode == 0)
		sb_add(b, "sigaltstack()");
	else if (st->ss_mode == 2)
		sb_add(b, "sigaltstack(SS_DISABLE)");
	else if (st->flags == SL_SS_AUTODISARM || st->flags == 0)
		sb_addf(b, "sigaltstack(%lld%s)", (long long)st->dur,
			st->flags ? ", SS_AUTODISARM" : "");
	else
		sb_addf(b, "sigaltstack(%lld, %#llx)", (long long)st->dur,
			(unsigned long long)st->flags);
}

/* A query shows the stack it found. */
void sc_ret_sigaltstack(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st,
			const struct sc_result *r)
{
	(void)s;
	sb_addf(b, "%ld", r->ret);
	if (st->ss_mode == 0) {
		sb_add(b, " (ss_flags=");
		render_ss_flags(b, r->ss_flags);
		sb_addf(b, " size=%llu)", (unsigned long long)r->ss_size);
	}
}
