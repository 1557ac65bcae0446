/*
 * The expectations that name a call's result or a signal's siginfo:
 *
 *   expect r syscall fork = kid            a pid, as the task it names
 *   expect r syscall sigpending = {SIGUSR1} a signal set (the mask's bits)
 *   expect r syscall sigtimedwait = SIGUSR1 a signal number
 *   expect r handled order SIGUSR2, SIGUSR1 the handlers begun, in order
 *   expect r siginfo SIGUSR1 code=SI_QUEUE pid=w uid=0 value=7
 *
 * The grammar is in docs/scenario-language.md ("Expectations").
 */
#include <limits.h>
#include <string.h>

#include "scenario/parser.h"

/* RESULT = INT | ERRNO | "-" ERRNO | SIG | SET | TASK.  A name is an errno
 * first (the older meaning), then a signal, then a task. */
static int p_syscall_result(struct parser *p, struct sc_expect *e)
{
	char buf[SC_MAX_IDENT + 1];
	long long n;
	int v;

	if (p->tok.kind == TK_INT) {
		if (p_int(p, LONG_MIN, LONG_MAX, "result", &n) < 0)
			return -1;
		e->num = (long)n;
		return 0;
	}
	if (p->tok.kind == TK_LBRACE) {
		sl_sigset set;

		if (p_set(p, &set) < 0)
			return -1;
		e->num = (long)set;
		return 0;
	}
	if (p->tok.kind == TK_MINUS) {
		if (p_next(p) < 0)
			return -1;
		if (p->tok.kind != TK_IDENT)
			return p_expected(p, "an errno name after '-'");
		v = sl_errno_from_name(tok_text(&p->lx, &p->tok, buf, sizeof buf));
		if (v == 0)
			return p_error(p, "unknown errno '%s'", buf);
		e->num = -v;
		return p_next(p);
	}
	if (p->tok.kind != TK_IDENT)
		return p_expected(p, "a result (a number, an errno, a signal, a set or a task)");
	tok_text(&p->lx, &p->tok, buf, sizeof buf);
	if ((v = sl_errno_from_name(buf)) != 0) {
		e->num = -v;
	} else if ((v = sl_signal_from_name(buf)) != 0) {
		e->num = v;
	} else if ((e->result_task = p_find_task(p)) < 0) {
		return p_error(p, "unknown result '%s' (expected a number, an errno, a signal, "
			       "a set or a task)", buf);
	}
	return p_next(p);
}

int p_expect_syscall(struct parser *p, struct sc_expect *e)
{
	char buf[SC_MAX_IDENT + 1];
	int op;

	if (p->tok.kind != TK_IDENT)
		return p_expected(p, "a syscall name");
	op = p_syscall_name(p);
	if (op < 0)
		return p_error(p, "'%s' is not a syscall with a result",
			       tok_text(&p->lx, &p->tok, buf, sizeof buf));
	e->syscall = (enum sc_op)op;
	if (p_next(p) < 0 || p_expect(p, TK_EQ, "'='") < 0)
		return -1;
	return p_syscall_result(p, e);
}

/* SIG { "," SIG }: the signals whose handlers the task began, in order. */
int p_expect_order(struct parser *p, struct sc_expect *e)
{
	for (;;) {
		if (e->norder == SC_MAX_ORDER)
			return p_error(p, "at most %d signals in an order", SC_MAX_ORDER);
		if (p_signal(p, &e->order[e->norder]) < 0)
			return -1;
		e->norder++;
		if (p->tok.kind != TK_COMMA)
			return 0;
		if (p_next(p) < 0)
			return -1;
	}
}

static const struct { const char *word; unsigned bit; } si_fields[] = {
	{ "code", SC_SI_CODE }, { "pid", SC_SI_PID }, { "uid", SC_SI_UID },
	{ "status", SC_SI_STATUS }, { "value", SC_SI_VALUE },
	{ "overrun", SC_SI_OVERRUN }, { "timerid", SC_SI_TIMERID },
	{ "errno", SC_SI_ERRNO }, { "addr", SC_SI_ADDR },
};

static int p_si_value(struct parser *p, struct sc_expect *e, unsigned bit)
{
	long long n;

	switch (bit) {
	case SC_SI_CODE:
		return p_code(p, &e->si.code);
	case SC_SI_PID:
		if (p->tok.kind == TK_IDENT)
			return p_task_ref(p, &e->si_pid_task);
		if (p_int(p, INT_MIN, INT_MAX, "si_pid", &n) < 0)
			return -1;
		e->si.pid = (int)n;
		return 0;
	case SC_SI_UID:
		if (p_int(p, 0, UINT32_MAX, "si_uid", &n) < 0)
			return -1;
		e->si.uid = (uint32_t)n;
		return 0;
	case SC_SI_VALUE:
		return p_uint64(p, "si_value", &e->si.value);
	default:
		if (p_int(p, INT_MIN, INT_MAX, "siginfo field", &n) < 0)
			return -1;
		if (bit == SC_SI_STATUS)
			e->si.status = (int)n;
		else if (bit == SC_SI_OVERRUN)
			e->si.overrun = (int)n;
		else if (bit == SC_SI_TIMERID)
			e->si.timerid = (int)n;
		else
			e->si.errnum = (int)n;
		return 0;
	}
}

/* SIG FIELD=VALUE { FIELD=VALUE }: the last siginfo of SIG the task took
 * (a handler's, sigtimedwait's, sigwaitinfo's or a signalfd read's). */
int p_expect_siginfo(struct parser *p, struct sc_expect *e)
{
	char buf[SC_MAX_IDENT + 1];

	if (p_signal(p, &e->sig) < 0)
		return -1;
	if (p->tok.kind != TK_IDENT)
		return p_expected(p, "a siginfo field (code= pid= uid= status= value= "
				  "overrun= timerid= errno=)");
	while (p->tok.kind == TK_IDENT) {
		unsigned bit = 0;

		tok_text(&p->lx, &p->tok, buf, sizeof buf);
		for (size_t i = 0; i < sizeof si_fields / sizeof si_fields[0]; i++)
			if (!strcmp(buf, si_fields[i].word))
				bit = si_fields[i].bit;
		if (bit == 0)
			return p_error(p, "unknown siginfo field '%s' (expected code, pid, uid, "
				       "status, value, overrun, timerid or errno)", buf);
		if (e->si_fields & bit)
			return p_error(p, "duplicate field '%s'", buf);
		e->si_fields |= bit;
		if (p_next(p) < 0 || p_expect(p, TK_EQ, "'=' after the field name") < 0 ||
		    p_si_value(p, e, bit) < 0)
			return -1;
	}
	return 0;
}
