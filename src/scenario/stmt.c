/*
 * Scenario statements: one system call or one user-mode action each, as
 * steps write them after `TASK:` and handler and repeat bodies write them
 * between braces.  The grammar is in docs/scenario-language.md.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/parser.h"

/* Every spelling of a statement: its keyword, and its aliases. */
static const struct { const char *word; enum sc_op op; } stmt_words[] = {
#define SC_STMT(op, keyword, ...) { keyword, SC_OP_##op },
#define SC_ALIAS(op, word) { word, SC_OP_##op },
#include "scenario/stmt_table.def"
};

/* The reader of each statement's arguments, after its keyword. */
typedef int args_fn(struct parser *p, struct sc_stmt *st);
static args_fn *const stmt_args[SC_OP_COUNT] = {
#define SC_STMT(op, keyword, name, kind, flags, synopsis, parse, ...) [SC_OP_##op] = parse,
#include "scenario/stmt_table.def"
};

static const struct { const char *name; uint64_t flag; } sa_flags[] = {
	{ "SA_NOCLDSTOP", SL_SA_NOCLDSTOP }, { "SA_NOCLDWAIT", SL_SA_NOCLDWAIT },
	{ "SA_SIGINFO", SL_SA_SIGINFO },     { "SA_ONSTACK", SL_SA_ONSTACK },
	{ "SA_RESTART", SL_SA_RESTART },     { "SA_NODEFER", SL_SA_NODEFER },
	{ "SA_RESETHAND", SL_SA_RESETHAND }, { "SA_NOMASK", SL_SA_NOMASK },
	{ "SA_ONESHOT", SL_SA_ONESHOT },     { "SA_RESTORER", SL_SA_RESTORER },
};

/* si_code names (include/uapi/asm-generic/siginfo.h), Linux's numbers. */
static const struct { const char *name; int code; } si_codes[] = {
	{ "SI_USER", SL_SI_USER },       { "SI_KERNEL", SL_SI_KERNEL },
	{ "SI_QUEUE", SL_SI_QUEUE },     { "SI_TIMER", SL_SI_TIMER },
	{ "SI_MESGQ", SL_SI_MESGQ },     { "SI_ASYNCIO", SL_SI_ASYNCIO },
	{ "SI_SIGIO", SL_SI_SIGIO },     { "SI_TKILL", SL_SI_TKILL },
	{ "ILL_ILLOPC", 1 }, { "ILL_ILLOPN", 2 }, { "ILL_ILLADR", 3 },
	{ "ILL_ILLTRP", 4 }, { "ILL_PRVOPC", 5 }, { "ILL_PRVREG", 6 },
	{ "ILL_COPROC", 7 }, { "ILL_BADSTK", 8 },
	{ "FPE_INTDIV", 1 }, { "FPE_INTOVF", 2 }, { "FPE_FLTDIV", 3 },
	{ "FPE_FLTOVF", 4 }, { "FPE_FLTUND", 5 }, { "FPE_FLTRES", 6 },
	{ "FPE_FLTINV", 7 }, { "FPE_FLTSUB", 8 },
	{ "SEGV_MAPERR", 1 }, { "SEGV_ACCERR", 2 }, { "SEGV_BNDERR", 3 },
	{ "SEGV_PKUERR", 4 },
	{ "BUS_ADRALN", 1 }, { "BUS_ADRERR", 2 }, { "BUS_OBJERR", 3 },
	{ "BUS_MCEERR_AR", 4 }, { "BUS_MCEERR_AO", 5 },
	{ "TRAP_BRKPT", 1 }, { "TRAP_TRACE", 2 }, { "TRAP_BRANCH", 3 },
	{ "TRAP_HWBKPT", 4 },
	{ "CLD_EXITED", 1 }, { "CLD_KILLED", 2 }, { "CLD_DUMPED", 3 },
	{ "CLD_TRAPPED", 4 }, { "CLD_STOPPED", 5 }, { "CLD_CONTINUED", 6 },
};

static const struct { const char *name; int how; } how_words[] = {
	{ "block", SL_SIG_BLOCK },       { "unblock", SL_SIG_UNBLOCK },
	{ "setmask", SL_SIG_SETMASK },   { "SIG_BLOCK", SL_SIG_BLOCK },
	{ "SIG_UNBLOCK", SL_SIG_UNBLOCK }, { "SIG_SETMASK", SL_SIG_SETMASK },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int stmt_op(const struct parser *p)
{
	for (size_t i = 0; i < COUNT(stmt_words); i++)
		if (tok_is(&p->lx, &p->tok, stmt_words[i].word))
			return (int)stmt_words[i].op;
	return -1;
}

bool p_is_stmt_keyword(const struct parser *p)
{
	return stmt_op(p) >= 0;
}

bool p_is_clock_keyword(const struct parser *p)
{
	int op = stmt_op(p);

	return op >= 0 && sc_stmt_info((enum sc_op)op)->kind == SC_KIND_CLOCK;
}

/* An expectation names a call that returns by its keyword or its name. */
int p_syscall_name(const struct parser *p)
{
	for (int op = 0; op < SC_OP_COUNT; op++) {
		const struct sc_stmt_info *in = sc_stmt_info((enum sc_op)op);

		if (sc_stmt_has_result((enum sc_op)op) &&
		    (tok_is(&p->lx, &p->tok, in->name) || tok_is(&p->lx, &p->tok, in->keyword)))
			return op;
	}
	return -1;
}

void p_stmt_clear(struct sc_stmt *st)
{
	free(st->text);
	st->text = NULL;
	for (size_t i = 0; i < st->nbody; i++)
		p_stmt_clear(&st->body[i]);
	free(st->body);
	st->body = NULL;
	st->nbody = 0;
}

int p_signal(struct parser *p, int *sig)
{
	char buf[SC_MAX_IDENT + 1];
	long long n;

	if (p->tok.kind == TK_INT) {
		if (p_int(p, INT_MIN, INT_MAX, "signal number", &n) < 0)
			return -1;
		*sig = (int)n;
		return 0;
	}
	if (p->tok.kind != TK_IDENT)
		return p_expected(p, "a signal");
	*sig = sl_signal_from_name(tok_text(&p->lx, &p->tok, buf, sizeof buf));
	if (*sig == 0) {
		const char *names[SL_SIGSYS];
		const char *near = NULL;

		/* The standard signals' names; a real-time signal's number is
		 * not a typo to guess at. */
		bool pre = !strncmp(buf, "SIG", 3);

		for (int i = 1; i <= SL_SIGSYS; i++)
			names[i - 1] = sl_signal_name(i) + 3;
		/* Near enough by the part after "SIG". */
		if (!strpbrk(buf, "+-"))
			near = sc_suggest(buf + (pre ? 3 : 0), names, COUNT(names));
		if (near)
			return p_error(p, "unknown signal '%s' (did you mean %s%s?)", buf,
				       pre ? "SIG" : "", near);
		return p_error(p, "unknown signal '%s'", buf);
	}
	return p_next(p);
}

/* A signal that goes into a set: it must have a bit there. */
static int set_member(struct parser *p, sl_sigset *set)
{
	struct sc_pos pos = p->tok.pos;
	int sig;

	if (p_signal(p, &sig) < 0)
		return -1;
	if (sig < 1 || sig > SL_NSIG)
		return lex_error(&p->lx, pos, "signal %d cannot be in a set (1..%d)",
				 sig, SL_NSIG);
	*set |= sl_sigmask(sig);
	return 0;
}

int p_set(struct parser *p, sl_sigset *set)
{
	*set = 0;
	if (tok_is(&p->lx, &p->tok, "all")) {
		*set = ~(sl_sigset)0;
		return p_next(p);
	}
	if (p->tok.kind != TK_LBRACE) {
		if (set_member(p, set) < 0)
			return -1;
		while (p->tok.kind == TK_PIPE)
			if (p_next(p) < 0 || set_member(p, set) < 0)
				return -1;
		return 0;
	}
	if (p_next(p) < 0)
		return -1;
	if (p->tok.kind == TK_RBRACE)
		return p_next(p);
	for (;;) {
		if (set_member(p, set) < 0)
			return -1;
		if (p->tok.kind == TK_RBRACE)
			return p_next(p);
		if (p->tok.kind != TK_COMMA)
			return p_expected(p, "',' or '}' in the signal set");
		if (p_next(p) < 0)
			return -1;
	}
}

static int p_handler(struct parser *p, int *h)
{
	char buf[SC_MAX_IDENT + 1];

	if (p->tok.kind != TK_IDENT)
		return p_expected(p, "a handler, SIG_DFL or SIG_IGN");
	if (tok_is(&p->lx, &p->tok, "SIG_DFL")) {
		*h = SC_HANDLER_DFL;
	} else if (tok_is(&p->lx, &p->tok, "SIG_IGN")) {
		*h = SC_HANDLER_IGN;
	} else {
		*h = p_find_handler(p);
		tok_text(&p->lx, &p->tok, buf, sizeof buf);
		if (*h < 0 && p_find_task(p) >= 0)
			return p_error(p, "'%s' is a task, not a handler", buf);
		if (*h < 0)
			return p_error(p, "undeclared handler '%s'", buf);
	}
	return p_next(p);
}

int p_target(struct parser *p, struct sc_target *t)
{
	long long n;

	t->task = -1;
	if (p->tok.kind == TK_INT) {
		if (p_int(p, INT_MIN, INT_MAX, "pid", &n) < 0)
			return -1;
		t->kind = SC_TGT_NUM;
		t->num = (long)n;
		return 0;
	}
	if (tok_is(&p->lx, &p->tok, "nobody")) {
		t->kind = SC_TGT_NOBODY;
		return p_next(p);
	}
	t->kind = SC_TGT_TASK;
	if (p->tok.kind == TK_MINUS) {
		t->kind = SC_TGT_PGRP;
		if (p_next(p) < 0)
			return -1;
		if (p->tok.kind != TK_IDENT)
			return p_expected(p, "a task name after '-'");
		if (tok_is(&p->lx, &p->tok, "nobody"))
			return p_error(p, "'-nobody' is not a process group; use a number");
	} else if (p->tok.kind != TK_IDENT) {
		return p_expected(p, "a target (a task, -TASK, a number or nobody)");
	}
	return p_task_ref(p, &t->task);
}

int p_first_use_name(struct parser *p, char ***names, size_t *n, size_t max,
		     const char *what, int *out)
{
	char buf[SC_MAX_IDENT + 1];
	char **grown;

	tok_text(&p->lx, &p->tok, buf, sizeof buf);
	for (size_t i = 0; i < *n; i++) {
		if (!strcmp((*names)[i], buf)) {
			*out = (int)i;
			return p_next(p);
		}
	}
	if (*n >= max)
		return p_error(p, "too many %s (max %zu)", what, max);
	grown = realloc(*names, (*n + 1) * sizeof *grown);
	if (!grown)
		return p_oom(p);
	*names = grown;
	grown[*n] = strdup(buf);
	if (!grown[*n])
		return p_oom(p);
	*out = (int)(*n)++;
	return p_next(p);
}

int p_uint64(struct parser *p, const char *what, uint64_t *out)
{
	if (p->tok.kind != TK_INT)
		return p_expected(p, what);
	*out = p->tok.neg ? (uint64_t)0 - p->tok.mag : p->tok.mag;
	if (p->tok.neg && p->tok.mag > (uint64_t)1 << 63)
		return p_error(p, "%s out of range", what);
	return p_next(p);
}

static int p_flags(struct parser *p, uint64_t *flags)
{
	*flags = 0;
	for (;;) {
		uint64_t v = 0;
		size_t i;

		if (p->tok.kind == TK_INT) {
			if (p->tok.neg)
				return p_error(p, "flags cannot be negative");
			if (p_uint64(p, "flags", &v) < 0)
				return -1;
		} else if (p->tok.kind == TK_IDENT) {
			char buf[SC_MAX_IDENT + 1];

			for (i = 0; i < COUNT(sa_flags); i++)
				if (tok_is(&p->lx, &p->tok, sa_flags[i].name))
					break;
			if (i == COUNT(sa_flags))
				return p_error(p, "unknown flag '%s'",
					       tok_text(&p->lx, &p->tok, buf, sizeof buf));
			v = sa_flags[i].flag;
			if (p_next(p) < 0)
				return -1;
		} else {
			return p_expected(p, "a flag (SA_...) or a number");
		}
		*flags |= v;
		if (p->tok.kind != TK_PIPE)
			return 0;
		if (p_next(p) < 0)
			return -1;
	}
}

int p_code(struct parser *p, int *code)
{
	char buf[SC_MAX_IDENT + 1];
	long long n;

	if (p->tok.kind == TK_INT) {
		if (p_int(p, INT_MIN, INT_MAX, "si_code", &n) < 0)
			return -1;
		*code = (int)n;
		return 0;
	}
	if (p->tok.kind != TK_IDENT)
		return p_expected(p, "an si_code (SI_..., FPE_..., ...) or a number");
	for (size_t i = 0; i < COUNT(si_codes); i++) {
		if (tok_is(&p->lx, &p->tok, si_codes[i].name)) {
			*code = si_codes[i].code;
			return p_next(p);
		}
	}
	return p_error(p, "unknown si_code '%s'", tok_text(&p->lx, &p->tok, buf, sizeof buf));
}

static int p_how(struct parser *p, int *how)
{
	char buf[SC_MAX_IDENT + 1];
	long long n;

	if (p->tok.kind == TK_INT) {
		if (p_int(p, INT_MIN, INT_MAX, "sigprocmask how", &n) < 0)
			return -1;
		*how = (int)n;
		return 0;
	}
	if (p->tok.kind != TK_IDENT)
		return p_expected(p, "block, unblock or setmask");
	for (size_t i = 0; i < COUNT(how_words); i++) {
		if (tok_is(&p->lx, &p->tok, how_words[i].name)) {
			*how = how_words[i].how;
			return p_next(p);
		}
	}
	return p_error(p, "unknown sigprocmask how '%s' (expected block, unblock or setmask)",
		       tok_text(&p->lx, &p->tok, buf, sizeof buf));
}

/* Options `NAME=VALUE` after a statement's arguments; each at most once.
 * `allowed` lists the names the op takes, for messages ("flags= or mask="). */
static int p_suid(struct parser *p, uint32_t *uid)
{
	long long n;

	if (p_int(p, 0, UINT32_MAX, "uid", &n) < 0)
		return -1;
	*uid = (uint32_t)n;
	return 0;
}

int p_options(struct parser *p, struct sc_stmt *st, const char *allowed)
{
	bool seen_flags = false, seen_mask = false, seen_value = false;
	char buf[SC_MAX_IDENT + 1];

	while (p->tok.kind == TK_IDENT) {
		bool *seen;
		bool sa = st->op == SC_OP_SIGACTION;
		bool queue = st->op == SC_OP_SIGQUEUE || st->op == SC_OP_TGSIGQUEUE;

		if (p_at_uaccess(p, st))
			return 0;	/* p_uaccess, after the arguments */
		tok_text(&p->lx, &p->tok, buf, sizeof buf);
		if (sa && !strcmp(buf, "old"))
			return 0;	/* the last word (p_sigaction_args) */
		if (sa && !strcmp(buf, "flags"))
			seen = &seen_flags;
		else if (sa && !strcmp(buf, "mask"))
			seen = &seen_mask;
		else if (!sa && !strcmp(buf, "value"))
			seen = &seen_value;
		else if (!sa && !strcmp(buf, "code"))
			seen = &st->has_code;
		else if (queue && !strcmp(buf, "pid"))
			seen = &st->has_spid;
		else if (queue && !strcmp(buf, "uid"))
			seen = &st->has_suid;
		else
			return p_error(p, "unknown option '%s' for %s (expected %s)",
				       buf, sc_op_name(st->op), allowed);
		if (*seen)
			return p_error(p, "duplicate option '%s'", buf);
		*seen = true;
		if (p_next(p) < 0 || p_expect(p, TK_EQ, "'=' after the option name") < 0)
			return -1;
		if (seen == &seen_flags && p_flags(p, &st->flags) < 0)
			return -1;
		if (seen == &seen_mask && p_set(p, &st->mask) < 0)
			return -1;
		if (seen == &seen_value && p_uint64(p, "a value", &st->value) < 0)
			return -1;
		if (seen == &st->has_code && p_code(p, &st->code) < 0)
			return -1;
		if (seen == &st->has_spid && p_target(p, &st->spid) < 0)
			return -1;
		if (seen == &st->has_suid && p_suid(p, &st->suid) < 0)
			return -1;
	}
	return 0;
}

static int p_push_stmt(struct parser *p, struct sc_stmt **body, size_t *n,
		       size_t *cap, struct sc_stmt *st)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 4;
		struct sc_stmt *nb = realloc(*body, ncap * sizeof **body);

		if (nb == NULL)
			return p_oom(p);
		*body = nb;
		*cap = ncap;
	}
	(*body)[(*n)++] = *st;
	return 0;
}

int p_body(struct parser *p, struct sc_stmt **body, size_t *nbody,
	   const char *what)
{
	struct sc_pos open = p->tok.pos;
	size_t cap = 0;

	*body = NULL;
	*nbody = 0;
	if (p->tok.kind != TK_LBRACE)
		return p_expected(p, "'{'");
	if (++p->depth > SC_MAX_DEPTH)
		return p_error(p, "blocks nested too deeply (max %d)", SC_MAX_DEPTH);
	if (p_next(p) < 0)
		return -1;
	for (;;) {
		struct sc_stmt st;

		while (p->tok.kind == TK_NEWLINE || p->tok.kind == TK_SEMI)
			if (p_next(p) < 0)
				return -1;
		if (p->tok.kind == TK_RBRACE)
			break;
		if (p->tok.kind == TK_EOF)
			break;
		/* A task's step or a declaration cannot be in a body: the
		 * body was not closed. */
		if (p->tok.kind == TK_IDENT && !p_is_stmt_keyword(p) &&
		    (p_find_task(p) >= 0 || p_is_reserved(p))) {
			char word[SC_MAX_IDENT + 1];

			return p_error(p, "expected '}' to close the %s opened at %d:%d (found "
				       "'%s', which begins a step or a declaration)", what,
				       open.line, open.col,
				       tok_text(&p->lx, &p->tok, word, sizeof word));
		}
		if (p_stmt(p, &st) < 0 || p_push_stmt(p, body, nbody, &cap, &st) < 0) {
			p_stmt_clear(&st);
			return -1;
		}
		if (p->tok.kind != TK_SEMI && p->tok.kind != TK_NEWLINE &&
		    p->tok.kind != TK_RBRACE && p->tok.kind != TK_EOF)
			return p_expected(p, "';', end of line or '}' after the statement");
	}
	if (p->tok.kind == TK_EOF)
		return p_error(p, "expected '}' to close the %s opened at %d:%d",
			       what, open.line, open.col);
	p->depth--;
	return p_next(p);
}

/* ---- the arguments of the signal statements, and shapes others share ---- */

int p_no_args(struct parser *p, struct sc_stmt *st)
{
	(void)p;
	(void)st;
	return 0;
}

int p_set_args(struct parser *p, struct sc_stmt *st)
{
	return p_set(p, &st->mask);
}

int p_sig_args(struct parser *p, struct sc_stmt *st)
{
	return p_signal(p, &st->sig);
}

int p_target_args(struct parser *p, struct sc_stmt *st)
{
	return p_target(p, &st->target);
}

int p_target_sig_args(struct parser *p, struct sc_stmt *st)
{
	if (p_target(p, &st->target) < 0)
		return -1;
	return p_signal(p, &st->sig);
}

/* SIG ( HANDLER { OPTION } | NULL ) [ old ]: a NULL act only asks. */
int p_sigaction_args(struct parser *p, struct sc_stmt *st)
{
	if (p_signal(p, &st->sig) < 0)
		return -1;
	if (tok_is(&p->lx, &p->tok, "NULL")) {
		st->null_set = true;
		if (p_next(p) < 0)
			return -1;
	} else if (p_handler(p, &st->handler) < 0 ||
		   p_options(p, st, "flags=, mask= or old") < 0) {
		return -1;
	}
	if (!tok_is(&p->lx, &p->tok, "old"))
		return 0;
	st->want_old = true;
	return p_next(p);
}

int p_signal_args(struct parser *p, struct sc_stmt *st)
{
	if (p_signal(p, &st->sig) < 0)
		return -1;
	return p_handler(p, &st->handler);
}

int p_sigprocmask_args(struct parser *p, struct sc_stmt *st)
{
	if (p_how(p, &st->how) < 0)
		return -1;
	if (tok_is(&p->lx, &p->tok, "NULL")) {
		st->null_set = true;
		if (p_next(p) < 0)
			return -1;
	} else if (p_set(p, &st->mask) < 0) {
		return -1;
	}
	if (!tok_is(&p->lx, &p->tok, "old"))
		return 0;
	st->want_old = true;
	return p_next(p);
}

int p_tgkill_args(struct parser *p, struct sc_stmt *st)
{
	if (p_target(p, &st->target) < 0 || p_target(p, &st->target2) < 0)
		return -1;
	return p_signal(p, &st->sig);
}

int p_sigqueue_args(struct parser *p, struct sc_stmt *st)
{
	if (p_target(p, &st->target) < 0 || p_signal(p, &st->sig) < 0)
		return -1;
	return p_options(p, st, "value=, code=, pid= or uid=");
}

int p_tgsigqueue_args(struct parser *p, struct sc_stmt *st)
{
	if (p_target(p, &st->target) < 0 || p_target(p, &st->target2) < 0 ||
	    p_signal(p, &st->sig) < 0)
		return -1;
	return p_options(p, st, "value=, code=, pid= or uid=");
}

int p_fault_args(struct parser *p, struct sc_stmt *st)
{
	long long n;

	if (p_signal(p, &st->sig) < 0 || p_code(p, &st->code) < 0)
		return -1;
	st->has_code = true;
	if (!tok_is(&p->lx, &p->tok, "addr"))
		return 0;
	if (st->sig != SL_SIGSEGV || st->code != SL_SEGV_MAPERR)
		return p_error(p, "addr= is for a fault SIGSEGV SEGV_MAPERR only");
	if (p_next(p) < 0 || p_expect(p, TK_EQ, "'=' after addr") < 0 ||
	    p_int(p, 0, SC_MAX_FAULT_ADDR, "addr", &n) < 0)
		return -1;
	st->has_addr = true;
	st->value = (uint64_t)n;
	return 0;
}

int p_log_args(struct parser *p, struct sc_stmt *st)
{
	if (p->tok.kind != TK_STRING)
		return p_expected(p, "a string");
	st->text = tok_string(&p->lx, &p->tok);
	if (st->text == NULL)
		return p_oom(p);
	return p_next(p);
}

int p_exit_args(struct parser *p, struct sc_stmt *st)
{
	long long n;

	if (p_int(p, INT_MIN, INT_MAX, "exit code", &n) < 0)
		return -1;
	st->num = (long)n;
	return 0;
}

int p_repeat_args(struct parser *p, struct sc_stmt *st)
{
	long long n;

	if (p_int(p, 1, SC_MAX_REPEAT, "repeat count", &n) < 0)
		return -1;
	st->num = (long)n;
	return p_body(p, &st->body, &st->nbody, "repeat body");
}

/* sigaltstack [SIZE [SS_AUTODISARM] | disable]: no argument queries. */
int p_sigaltstack_args(struct parser *p, struct sc_stmt *st)
{
	long long n;

	if (p->tok.kind == TK_NEWLINE || p->tok.kind == TK_SEMI ||
	    p->tok.kind == TK_RBRACE || p->tok.kind == TK_EOF || p_at_uaccess(p, st)) {
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
	/* any other ss_flags, as a number: do_sigaltstack refuses a mode
	 * other than 0, SS_ONSTACK and SS_DISABLE */
	if (p->tok.kind == TK_INT) {
		if (p_int(p, 0, UINT32_MAX, "ss_flags", &n) < 0)
			return -1;
		st->flags = (uint64_t)n;
	}
	return 0;
}

/* ---- statements ----------------------------------------------------------- */

int p_stmt(struct parser *p, struct sc_stmt *st)
{
	char buf[SC_MAX_IDENT + 1];
	int op;

	memset(st, 0, sizeof *st);
	st->pos = p->tok.pos;
	st->handler = SC_HANDLER_DFL;
	st->target.task = -1;
	st->target2.task = -1;
	st->spid.task = -1;
	if (p->tok.kind != TK_IDENT)
		return p_expected(p, "a statement");
	op = stmt_op(p);
	if (op < 0) {
		const char *words[COUNT(stmt_words)];
		const char *near;

		for (size_t i = 0; i < COUNT(stmt_words); i++)
			words[i] = stmt_words[i].word;
		near = sc_suggest(tok_text(&p->lx, &p->tok, buf, sizeof buf), words, COUNT(words));
		if (near)
			return p_error(p, "unknown statement '%s' (did you mean '%s'?)", buf, near);
		return p_error(p, "unknown statement '%s'", buf);
	}
	st->op = (enum sc_op)op;
	if (p_next(p) < 0)
		return -1;
	if (sc_stmt_info(st->op)->kind == SC_KIND_CLOCK && !p->clock_step)
		return p_error(p, "'%s' is a step without a task: write it on its own line, "
			       "without 'TASK:'", sc_op_name(st->op));
	if (stmt_args[op](p, st) < 0)
		return -1;
	return p_uaccess(p, st);
}
