/*
 * The statements that sleep and wait: pause, sigsuspend, sigtimedwait,
 * sigwaitinfo, nanosleep, wait_event on a named wait queue, and the steps
 * without a task that end sleeps: advance (the clock) and wake_up (a
 * queue's event).  The grammar is in docs/scenario-language.md.
 */
#include <stdlib.h>
#include <string.h>

#include "scenario/parser.h"

/* The longest duration a scenario may name: a day. */
#define SC_MAX_DURATION (86400LL * 1000000000LL)

int p_duration(struct parser *p, int64_t *out)
{
	if (p->tok.kind != TK_DURATION)
		return p_expected(p, "a duration (2s, 500ms, 100us, 10ns)");
	if (p->tok.mag > (uint64_t)SC_MAX_DURATION)
		return p_error(p, "duration too long (max 86400s)");
	*out = (int64_t)p->tok.mag;
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

/* DURATION, or a timespec as written: `{SEC, NSEC}`, any two integers,
 * so that a scenario can pass what the kernel refuses. */
static int p_timeout(struct parser *p, struct sc_stmt *st)
{
	long long n;

	if (p->tok.kind != TK_LBRACE)
		return p_duration(p, &st->dur);
	st->has_ts = true;
	if (p_next(p) < 0 || p_int(p, INT64_MIN, INT64_MAX, "tv_sec", &n) < 0)
		return -1;
	st->ts_sec = n;
	if (p_expect(p, TK_COMMA, "','") < 0 ||
	    p_int(p, INT64_MIN, INT64_MAX, "tv_nsec", &n) < 0)
		return -1;
	st->ts_nsec = n;
	if (st->ts_sec >= 0 && st->ts_nsec >= 0 && st->ts_nsec < SL_NSEC_PER_SEC) {
		if (st->ts_sec >= SC_MAX_DURATION / SL_NSEC_PER_SEC)
			return p_error(p, "timespec too long (max 86400s)");
		st->dur = st->ts_sec * SL_NSEC_PER_SEC + st->ts_nsec;
	}
	return p_expect(p, TK_RBRACE, "'}' to close the timespec");
}

int p_sigtimedwait_args(struct parser *p, struct sc_stmt *st)
{
	if (p_set(p, &st->mask) < 0)
		return -1;
	return p_timeout(p, st);
}

int p_duration_args(struct parser *p, struct sc_stmt *st)
{
	if (st->op == SC_OP_NANOSLEEP)
		return p_timeout(p, st);
	return p_duration(p, &st->dur);
}

int p_wait_event_args(struct parser *p, struct sc_stmt *st)
{
	if (p_waitq(p, &st->waitq) < 0)
		return -1;
	return p_sleep_state(p, &st->sleep);
}

int p_wake_up_args(struct parser *p, struct sc_stmt *st)
{
	return p_waitq(p, &st->waitq);
}

/* poll, select, epoll_wait [ TIMEOUT ]; ppoll, pselect6, epoll_pwait
 * SET [ TIMEOUT ]: no timeout waits for ever (dur -1). */
int p_poll_args(struct parser *p, struct sc_stmt *st)
{
	if ((st->op == SC_OP_PPOLL || st->op == SC_OP_PSELECT6 || st->op == SC_OP_EPOLL_PWAIT) &&
	    p_set(p, &st->mask) < 0)
		return -1;
	if (p->tok.kind != TK_DURATION && p->tok.kind != TK_LBRACE) {
		st->dur = -1;
		return 0;
	}
	return p_timeout(p, st);
}
