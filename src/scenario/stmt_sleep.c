/*
 * The statements of sleeping, waiting and time (issue 4): pause,
 * sigsuspend, sigtimedwait, sigwaitinfo, read, write, nanosleep, alarm,
 * setitimer, getitimer, timer_*, sigaltstack, signalfd, advance, and
 * wait_event / wake_up on a named wait queue.  The
 * grammar is in docs/scenario-language.md.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/parser.h"

/* The longest duration a scenario may name: a day. */
#define SC_MAX_DURATION (86400LL * 1000000000LL)

static int p_duration(struct parser *p, int64_t *out)
{
	if (p->tok.kind != TK_DURATION)
		return p_expected(p, "a duration (2s, 500ms, 100us, 10ns)");
	if (p->tok.mag > (uint64_t)SC_MAX_DURATION)
		return p_error(p, "duration too long (max 86400s)");
	*out = (int64_t)p->tok.mag;
	return p_next(p);
}

/* A pipe is named where it is used; the first use creates it. */
static int p_pipe(struct parser *p, int *out)
{
	char buf[SC_MAX_IDENT + 1];
	struct scenario *s = p->s;
	char **np;

	if (p->tok.kind != TK_IDENT)
		return p_expected(p, "a pipe name or signalfd");
	tok_text(&p->lx, &p->tok, buf, sizeof buf);
	if (!strcmp(buf, "signalfd")) {
		*out = -1;
		return p_next(p);
	}
	for (size_t i = 0; i < s->npipes; i++) {
		if (!strcmp(s->pipes[i], buf)) {
			*out = (int)i;
			return p_next(p);
		}
	}
	if (s->npipes >= 64)
		return p_error(p, "too many pipes (max 64)");
	np = realloc(s->pipes, (s->npipes + 1) * sizeof *np);
	if (!np)
		return p_oom(p);
	s->pipes = np;
	s->pipes[s->npipes] = strdup(buf);
	if (!s->pipes[s->npipes])
		return p_oom(p);
	*out = (int)s->npipes++;
	return p_next(p);
}

/* A wait queue is named where it is used, like a pipe; its own names. */
static int p_waitq(struct parser *p, int *out)
{
	char buf[SC_MAX_IDENT + 1];
	struct scenario *s = p->s;
	char **nq;

	if (p->tok.kind != TK_IDENT)
		return p_expected(p, "a wait queue name");
	tok_text(&p->lx, &p->tok, buf, sizeof buf);
	for (size_t i = 0; i < s->nwaitqs; i++) {
		if (!strcmp(s->waitqs[i], buf)) {
			*out = (int)i;
			return p_next(p);
		}
	}
	if (s->nwaitqs >= 64)
		return p_error(p, "too many wait queues (max 64)");
	nq = realloc(s->waitqs, (s->nwaitqs + 1) * sizeof *nq);
	if (!nq)
		return p_oom(p);
	s->waitqs = nq;
	s->waitqs[s->nwaitqs] = strdup(buf);
	if (!s->waitqs[s->nwaitqs])
		return p_oom(p);
	*out = (int)s->nwaitqs++;
	return p_next(p);
}

/* The sleep state of a wait_event: the kernel's wait_event_interruptible,
 * wait_event_killable and wait_event. */
static int p_sleep_state(struct parser *p, int *out)
{
	static const struct { const char *word; int state; } states[] = {
		{ "interruptible", SL_SLEEP_INTERRUPTIBLE },
		{ "killable", SL_SLEEP_KILLABLE },
		{ "uninterruptible", SL_SLEEP_UNINTERRUPTIBLE },
	};

	for (size_t i = 0; i < sizeof states / sizeof states[0]; i++) {
		if (tok_is(&p->lx, &p->tok, states[i].word)) {
			*out = states[i].state;
			return p_next(p);
		}
	}
	return p_expected(p, "interruptible, killable or uninterruptible");
}

/* advance and wake_up are steps of their own, without a task. */
static int p_clock_only(struct parser *p, const struct sc_stmt *st)
{
	if (p->clock_step)
		return 0;
	return p_error(p, "'%s' is a step without a task: write it on its own line, "
		       "without 'TASK:'", sc_op_name(st->op));
}

/* `NAME=` of an option this statement takes, at most once. */
static int p_opt_name(struct parser *p, const char *name, bool *seen)
{
	if (!tok_is(&p->lx, &p->tok, name))
		return 0;
	if (*seen)
		return p_error(p, "duplicate option '%s'", name);
	*seen = true;
	if (p_next(p) < 0 || p_expect(p, TK_EQ, "'=' after the option name") < 0)
		return -1;
	return 1;
}

static int p_interval(struct parser *p, struct sc_stmt *st)
{
	bool seen = false;
	int r;

	while (p->tok.kind == TK_IDENT) {
		r = p_opt_name(p, "interval", &seen);
		if (r < 0)
			return -1;
		if (r == 0)
			return p_error(p, "unknown option for %s (expected interval=)",
				       sc_op_name(st->op));
		if (p_duration(p, &st->interval) < 0)
			return -1;
	}
	return 0;
}

static int p_value_opt(struct parser *p, struct sc_stmt *st)
{
	bool seen = false;
	int r;

	while (p->tok.kind == TK_IDENT) {
		r = p_opt_name(p, "value", &seen);
		if (r < 0)
			return -1;
		if (r == 0)
			return p_error(p, "unknown option for timer_create (expected value=)");
		if (p->tok.kind != TK_INT || p->tok.neg)
			return p_expected(p, "a value");
		st->value = p->tok.mag;
		if (p_next(p) < 0)
			return -1;
	}
	return 0;
}

static int p_small(struct parser *p, const char *what, long hi, long *out)
{
	long long n;

	if (p_int(p, 0, hi, what, &n) < 0)
		return -1;
	*out = (long)n;
	return 0;
}

static int p_altstack(struct parser *p, struct sc_stmt *st)
{
	long long n;

	if (p->tok.kind == TK_NEWLINE || p->tok.kind == TK_SEMI ||
	    p->tok.kind == TK_RBRACE || p->tok.kind == TK_EOF) {
		st->ss_mode = 0;
		return 0;
	}
	if (tok_is(&p->lx, &p->tok, "disable") || tok_is(&p->lx, &p->tok, "SS_DISABLE")) {
		st->ss_mode = 2;
		return p_next(p);
	}
	if (p_int(p, 0, 1 << 30, "stack size", &n) < 0)
		return -1;
	st->ss_mode = 1;
	st->dur = (int64_t)n;
	if (tok_is(&p->lx, &p->tok, "SS_AUTODISARM")) {
		st->flags = SL_SS_AUTODISARM;
		return p_next(p);
	}
	return 0;
}

int p_time_args(struct parser *p, struct sc_stmt *st)
{
	switch (st->op) {
	case SC_OP_PAUSE: case SC_OP_GETITIMER:
		return 0;
	case SC_OP_SIGSUSPEND: case SC_OP_SIGWAITINFO: case SC_OP_SIGNALFD:
		return p_set(p, &st->mask);
	case SC_OP_SIGTIMEDWAIT:
		if (p_set(p, &st->mask) < 0)
			return -1;
		return p_duration(p, &st->dur);
	case SC_OP_READ:
		return p_pipe(p, &st->pipe);
	case SC_OP_WRITE:
		if (p_pipe(p, &st->pipe) < 0)
			return -1;
		if (st->pipe < 0)
			return p_error(p, "a signalfd cannot be written");
		if (p->tok.kind != TK_STRING)
			return p_expected(p, "a string");
		st->text = tok_string(&p->lx, &p->tok);
		if (!st->text)
			return p_oom(p);
		return p_next(p);
	case SC_OP_NANOSLEEP:
		return p_duration(p, &st->dur);
	case SC_OP_ADVANCE:
		if (p_clock_only(p, st) < 0)
			return -1;
		return p_duration(p, &st->dur);
	case SC_OP_WAIT_EVENT:
		if (p_waitq(p, &st->waitq) < 0)
			return -1;
		return p_sleep_state(p, &st->sleep);
	case SC_OP_WAKE_UP:
		if (p_clock_only(p, st) < 0)
			return -1;
		return p_waitq(p, &st->waitq);
	case SC_OP_ALARM:
		return p_small(p, "alarm seconds", 86400, &st->num);
	case SC_OP_SETITIMER:
		if (p_duration(p, &st->dur) < 0)
			return -1;
		return p_interval(p, st);
	case SC_OP_TIMER_CREATE:
		if (p_signal(p, &st->sig) < 0)
			return -1;
		return p_value_opt(p, st);
	case SC_OP_TIMER_SETTIME:
		if (p_small(p, "timer id", 1000, &st->num) < 0 || p_duration(p, &st->dur) < 0)
			return -1;
		return p_interval(p, st);
	case SC_OP_TIMER_GETOVERRUN: case SC_OP_TIMER_DELETE:
		return p_small(p, "timer id", 1000, &st->num);
	case SC_OP_SIGALTSTACK:
		return p_altstack(p, st);
	default:
		break;
	}
	return p_error(p, "internal error: unhandled statement");
}
