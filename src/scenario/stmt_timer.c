/*
 * The timer statements: alarm, setitimer and getitimer (ITIMER_REAL), and
 * the POSIX timers timer_create, timer_settime, timer_getoverrun and
 * timer_delete.  The grammar is in docs/scenario-language.md.
 */
#include "scenario/parser.h"

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

/* notify=none (SIGEV_NONE) or thread=TARGET (SIGEV_THREAD_ID), at most
 * one of them. */
static int p_notify_opt(struct parser *p, struct sc_stmt *st, bool *seen_n, bool *seen_t)
{
	int r = p_opt_name(p, "notify", seen_n);

	if (r < 0)
		return -1;
	if (r > 0) {
		if (!tok_is(&p->lx, &p->tok, "none"))
			return p_expected(p, "none");
		st->notify = SL_SIGEV_NONE;
		return p_next(p) < 0 ? -1 : 1;
	}
	r = p_opt_name(p, "thread", seen_t);
	if (r <= 0)
		return r;
	st->notify = SL_SIGEV_SIGNAL | SL_SIGEV_THREAD_ID;
	return p_target(p, &st->target) < 0 ? -1 : 1;
}

/* clock=process or clock=thread: the timer counts the CPU time of the
 * calling process or thread, utime + stime (CPUCLOCK_PROF of pid 0: the
 * clock spin burns and RLIMIT_CPU counts; CLOCK_PROCESS_CPUTIME_ID is
 * sum_exec_runtime, which on a virtual machine runs ahead of it by the
 * time the hypervisor stole). */
static int p_clock_opt(struct parser *p, struct sc_stmt *st, bool *seen)
{
	int r = p_opt_name(p, "clock", seen);

	if (r <= 0)
		return r;
	if (tok_is(&p->lx, &p->tok, "process"))
		st->clock = SL_CPUCLOCK_PROCESS(0, SL_CPUCLOCK_PROF);
	else if (tok_is(&p->lx, &p->tok, "thread"))
		st->clock = SL_CPUCLOCK_THREAD(0, SL_CPUCLOCK_PROF);
	else
		return p_expected(p, "process or thread");
	return p_next(p) < 0 ? -1 : 1;
}

static int p_value_opt(struct parser *p, struct sc_stmt *st)
{
	bool seen = false, seen_n = false, seen_t = false, seen_c = false;
	int r;

	while (p->tok.kind == TK_IDENT) {
		r = p_notify_opt(p, st, &seen_n, &seen_t);
		if (r < 0)
			return -1;
		if (r > 0) {
			if (seen_n && seen_t)
				return p_error(p, "notify= and thread= exclude each other");
			continue;
		}
		r = p_clock_opt(p, st, &seen_c);
		if (r < 0)
			return -1;
		if (r > 0)
			continue;
		r = p_opt_name(p, "value", &seen);
		if (r < 0)
			return -1;
		if (r == 0)
			return p_error(p, "unknown option for timer_create "
					  "(expected value=, notify=, thread= or clock=)");
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

int p_alarm_args(struct parser *p, struct sc_stmt *st)
{
	return p_small(p, "alarm seconds", 86400, &st->num);
}

int p_setitimer_args(struct parser *p, struct sc_stmt *st)
{
	if (p_duration(p, &st->dur) < 0)
		return -1;
	return p_interval(p, st);
}

int p_timer_create_args(struct parser *p, struct sc_stmt *st)
{
	if (p_signal(p, &st->sig) < 0)
		return -1;
	return p_value_opt(p, st);
}

int p_timer_settime_args(struct parser *p, struct sc_stmt *st)
{
	if (p_small(p, "timer id", 1000, &st->num) < 0 || p_duration(p, &st->dur) < 0)
		return -1;
	return p_interval(p, st);
}

int p_timer_id_args(struct parser *p, struct sc_stmt *st)
{
	return p_small(p, "timer id", 1000, &st->num);
}
