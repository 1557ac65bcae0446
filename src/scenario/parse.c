/*
 * The scenario parser: scenario text in, struct scenario out (ast.h).  A
 * scenario is line-oriented: each line is a declaration, a step
 * `TASK: STATEMENT`, a `par { }` block of steps, or an expectation.  Names
 * are declared before use.  The first error stops the parse and is
 * reported as file:line:col; nothing leaks, whatever the input.  The
 * grammar is in docs/scenario-language.md.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/parser.h"

/* Words that cannot name a task or a handler: they would read as syntax. */
static const char *const reserved[] = {
	"scenario", "config", "requires", "model-only", "process", "thread",
	"kthread", "init", "nsinit", "handler", "par", "expect", "nobody",
	"SIG_DFL", "SIG_IGN", "all", "of", "generate", "deliver", "trace", "no",
	"exists", "forall",
};

bool p_is_reserved(const struct parser *p)
{
	for (size_t k = 0; k < sizeof reserved / sizeof reserved[0]; k++)
		if (tok_is(&p->lx, &p->tok, reserved[k]))
			return true;
	return false;
}

static const struct { const char *word; enum sl_task_state state; } states[] = {
	{ "running", SL_TASK_RUNNING }, { "sleeping", SL_TASK_SLEEPING },
	{ "stopped", SL_TASK_STOPPED }, { "zombie", SL_TASK_ZOMBIE },
	{ "dead", SL_TASK_DEAD }, { "traced", SL_TASK_TRACED },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- tokens and errors -------------------------------------------------- */

int p_next(struct parser *p)
{
	p->prev_end = p->tok.end;
	return lex_next(&p->lx, &p->tok);
}

int p_error(struct parser *p, const char *fmt, ...)
{
	va_list ap;
	char msg[sizeof p->lx.diag->message];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return lex_error(&p->lx, p->tok.pos, "%s", msg);
}

int p_expected(struct parser *p, const char *what)
{
	char buf[64];

	return p_error(p, "expected %s, found %s", what,
		       tok_describe(&p->lx, &p->tok, buf, sizeof buf));
}

int p_oom(struct parser *p)
{
	return p_error(p, "out of memory");
}

int p_expect(struct parser *p, enum tok_kind k, const char *what)
{
	if (p->tok.kind != k)
		return p_expected(p, what);
	return p_next(p);
}

int p_int(struct parser *p, long long lo, long long hi, const char *what,
	  long long *out)
{
	char buf[48];
	uint64_t mag = p->tok.mag;
	long long v;

	if (p->tok.kind != TK_INT)
		return p_expected(p, what);
	if (p->tok.neg ? mag > (uint64_t)LLONG_MAX + 1 : mag > (uint64_t)LLONG_MAX)
		goto out_of_range;
	if (!p->tok.neg)
		v = (long long)mag;
	else if (mag == (uint64_t)LLONG_MAX + 1)
		v = LLONG_MIN;
	else
		v = -(long long)mag;
	if (v < lo || v > hi)
		goto out_of_range;
	*out = v;
	return p_next(p);
out_of_range:
	return p_error(p, "%s %s out of range (%lld..%lld)", what,
		       tok_describe(&p->lx, &p->tok, buf, sizeof buf), lo, hi);
}

static int p_eol(struct parser *p)
{
	if (p->tok.kind == TK_EOF)
		return 0;
	if (p->tok.kind != TK_NEWLINE)
		return p_expected(p, "end of line");
	return p_next(p);
}

/* ---- names -------------------------------------------------------------- */

static bool tok_is_name(const struct parser *p, const char *name)
{
	return tok_is(&p->lx, &p->tok, name);
}

/* FNV-1a. */
static uint32_t name_hash(const char *name, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)name[i]) * 16777619u;
	return h;
}

static const char *slot_name(const struct parser *p, const struct name_slot *sl)
{
	return sl->handler ? p->s->handlers[sl->index].name : p->s->tasks[sl->index].name;
}

/* The slot holding `name` (n bytes), or the free slot where it would go;
 * NULL while the index is empty. */
static struct name_slot *find_slot(const struct parser *p, const char *name,
				   size_t n)
{
	uint32_t h = name_hash(name, n);
	size_t mask = p->names_cap - 1;

	if (p->names_cap == 0)
		return NULL;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		struct name_slot *sl = &p->names[i];
		const char *have;

		if (sl->index < 0)
			return sl;
		have = slot_name(p, sl);
		if (sl->hash == h && !strncmp(have, name, n) && have[n] == '\0')
			return sl;
	}
}

/* Looks the current identifier up. */
static int find_name(const struct parser *p, bool handler)
{
	const struct name_slot *sl;

	if (p->tok.kind != TK_IDENT)
		return -1;
	sl = find_slot(p, p->lx.text + p->tok.start, p->tok.end - p->tok.start);

	if (sl == NULL || sl->index < 0 || sl->handler != handler)
		return -1;
	return sl->index;
}

int p_find_task(const struct parser *p)
{
	return find_name(p, false);
}

int p_find_handler(const struct parser *p)
{
	return find_name(p, true);
}

static int grow_names(struct parser *p)
{
	size_t ncap = p->names_cap ? p->names_cap * 2 : 64;
	struct name_slot *old = p->names;
	size_t ocap = p->names_cap;

	if (ncap > SIZE_MAX / sizeof *p->names)
		return p_oom(p);
	p->names = malloc(ncap * sizeof *p->names);
	if (p->names == NULL) {
		p->names = old;
		return p_oom(p);
	}
	for (size_t i = 0; i < ncap; i++)
		p->names[i].index = -1;
	p->names_cap = ncap;
	for (size_t i = 0; i < ocap; i++) {
		size_t j = old[i].hash & (ncap - 1);

		if (old[i].index < 0)
			continue;
		while (p->names[j].index >= 0)
			j = (j + 1) & (ncap - 1);
		p->names[j] = old[i];
	}
	free(old);
	return 0;
}

/* Indexes tasks[index] or handlers[index] by name; the caller has checked
 * that the name is new. */
static int add_name(struct parser *p, bool handler, int index)
{
	const char *name = handler ? p->s->handlers[index].name : p->s->tasks[index].name;
	size_t n = strlen(name);
	struct name_slot *sl;

	if ((p->nnames + 1) * 2 > p->names_cap && grow_names(p) < 0)
		return -1;
	sl = find_slot(p, name, n);
	sl->hash = name_hash(name, n);
	sl->index = index;
	sl->handler = handler;
	p->nnames++;
	return 0;
}

int p_task_ref(struct parser *p, int *task)
{
	char buf[SC_MAX_IDENT + 1];

	if (p->tok.kind != TK_IDENT)
		return p_expected(p, "a task name");
	*task = p_find_task(p);
	if (*task < 0) {
		tok_text(&p->lx, &p->tok, buf, sizeof buf);
		if (p_find_handler(p) >= 0)
			return p_error(p, "'%s' is a handler, not a task", buf);
		return p_error(p, "undeclared task '%s'", buf);
	}
	return p_next(p);
}

/* Checks that the current identifier can name a new task (or handler) and
 * returns a copy of it in *name. */
static int p_new_name(struct parser *p, bool task, char **name)
{
	char buf[SC_MAX_IDENT + 1];
	const struct sc_pos *first = NULL;
	int i;

	if (p->tok.kind != TK_IDENT)
		return p_expected(p, task ? "a task name" : "a handler name");
	tok_text(&p->lx, &p->tok, buf, sizeof buf);
	for (size_t k = 0; k < COUNT(reserved); k++)
		if (!strcmp(buf, reserved[k]))
			return p_error(p, "'%s' is a reserved word and cannot be a name", buf);
	if (p_is_stmt_keyword(p))
		return p_error(p, "'%s' is a statement and cannot be a name", buf);
	if (sl_signal_from_name(buf) != 0)
		return p_error(p, "'%s' is a signal name and cannot be a name", buf);
	if (task && strlen(buf) > SC_MAX_TASK_NAME)
		return p_error(p, "task name '%s' is too long (max %d characters)",
			       buf, SC_MAX_TASK_NAME);
	if ((i = p_find_task(p)) >= 0)
		first = &p->s->tasks[i].pos;
	else if ((i = p_find_handler(p)) >= 0)
		first = &p->s->handlers[i].pos;
	if (first != NULL)
		return p_error(p, "duplicate name '%s' (first declared at %d:%d)",
			       buf, first->line, first->col);
	*name = tok_dup(&p->lx, &p->tok);
	if (*name == NULL)
		return p_oom(p);
	return 0;
}

/* ---- arrays ------------------------------------------------------------- */

/* Makes room for one more element; returns the (maybe moved) array or
 * NULL when memory runs out, leaving arr untouched. */
void *p_grow(void *arr, size_t n, size_t *cap, size_t size)
{
	size_t ncap;
	void *na;

	if (n < *cap)
		return arr;
	ncap = *cap ? *cap * 2 : 8;
	if (ncap > SIZE_MAX / size)
		return NULL;
	na = realloc(arr, ncap * size);
	if (na != NULL)
		*cap = ncap;
	return na;
}

/* Takes ownership of t->name, also on failure. */
static int push_task(struct parser *p, struct sc_task *t)
{
	struct scenario *s = p->s;
	void *a = p_grow(s->tasks, s->ntasks, &p->cap_tasks, sizeof *s->tasks);

	if (a == NULL) {
		free(t->name);
		return p_oom(p);
	}
	s->tasks = a;
	s->tasks[s->ntasks++] = *t;
	return add_name(p, false, (int)s->ntasks - 1);
}

static int push_step(struct parser *p, const struct sc_step *st)
{
	struct scenario *s = p->s;
	void *a = p_grow(s->steps, s->nsteps, &p->cap_steps, sizeof *s->steps);

	if (a == NULL)
		return p_oom(p);
	s->steps = a;
	s->steps[s->nsteps++] = *st;
	return 0;
}

static int push_expect(struct parser *p, const struct sc_expect *e)
{
	struct scenario *s = p->s;
	void *a = p_grow(s->expects, s->nexpects, &p->cap_expects, sizeof *s->expects);

	if (a == NULL)
		return p_oom(p);
	s->expects = a;
	s->expects[s->nexpects++] = *e;
	return 0;
}

/* ---- scenario, config, requires, model-only ---------------------------- */

static int p_scenario_name(struct parser *p)
{
	if (p->s->name != NULL)
		return p_error(p, "duplicate 'scenario' line");
	if (p_next(p) < 0)
		return -1;
	if (p->tok.kind == TK_IDENT)
		p->s->name = tok_dup(&p->lx, &p->tok);
	else if (p->tok.kind == TK_STRING)
		p->s->name = tok_string(&p->lx, &p->tok);
	else
		return p_expected(p, "a scenario name");
	if (p->s->name == NULL)
		return p_oom(p);
	return p_next(p);
}

static int p_config_arch(struct parser *p)
{
	char buf[SC_MAX_IDENT + 1];
	int arch;

	if (p->tok.kind != TK_IDENT)
		return p_expected(p, "an architecture name");
	arch = sl_arch_from_name(tok_text(&p->lx, &p->tok, buf, sizeof buf));
	if (arch < 0)
		return p_error(p, "unknown architecture '%s' (expected x86, arm, alpha, sparc, mips or parisc)",
			       buf);
	p->s->arch = (enum sl_arch)arch;
	return p_next(p);
}

static int p_config(struct parser *p)
{
	char buf[SC_MAX_IDENT + 1];
	long long n;

	if (p_next(p) < 0)
		return -1;
	if (p->tok.kind != TK_IDENT)
		return p_expected(p, "a config setting");
	tok_text(&p->lx, &p->tok, buf, sizeof buf);
	if (!strcmp(buf, "kill_stop_handling")) {
		p->s->what_if |= SL_CONFIG_KILL_STOP_HANDLING;
		return p_next(p);
	}
	if (!strcmp(buf, "sysv_signals")) {
		p->s->what_if |= SL_CONFIG_SYSV_SIGNALS;
		return p_next(p);
	}
	if (strcmp(buf, "rlimit_sigpending") && strcmp(buf, "arch"))
		return p_error(p, "unknown config setting '%s' (expected kill_stop_handling, sysv_signals, rlimit_sigpending=N or arch=NAME)",
			       buf);
	if (p_next(p) < 0 || p_expect(p, TK_EQ, "'='") < 0)
		return -1;
	if (!strcmp(buf, "arch"))
		return p_config_arch(p);
	if (p_int(p, 0, LLONG_MAX, "rlimit_sigpending", &n) < 0)
		return -1;
	p->s->rlimit_sigpending = (uint64_t)n;
	return 0;
}

static int p_requires(struct parser *p)
{
	if (p_next(p) < 0)
		return -1;
	if (tok_is_name(p, "root"))
		p->s->requires_root = true;
	else if (tok_is_name(p, "pidns"))
		p->s->requires_pidns = true;
	else
		return p_expected(p, "root or pidns");
	return p_next(p);
}

static int p_model_only(struct parser *p)
{
	if (p->s->model_only != NULL)
		return p_error(p, "duplicate 'model-only' line");
	if (p_next(p) < 0)
		return -1;
	if (p->tok.kind != TK_STRING)
		return p_expected(p, "a reason in quotes");
	p->s->model_only = tok_string(&p->lx, &p->tok);
	if (p->s->model_only == NULL)
		return p_oom(p);
	return p_next(p);
}

/* ---- task and handler declarations ------------------------------------- */

/* A task reference that must be of one of the kinds in `kinds` (a bit per
 * enum sc_task_kind); `role` names the option in errors. */
static int p_task_of_kind(struct parser *p, unsigned kinds, const char *role,
			  int *task)
{
	struct sc_pos pos = p->tok.pos;
	char buf[SC_MAX_IDENT + 1];

	tok_text(&p->lx, &p->tok, buf, sizeof buf);
	if (p_task_ref(p, task) < 0)
		return -1;
	if (!(kinds & (1u << p->s->tasks[*task].kind)))
		return lex_error(&p->lx, pos, "%s '%s' is not %s", role, buf,
				 kinds == 1u << SC_NSINIT ? "an nsinit" : "a process");
	return 0;
}

#define PROCESS_KINDS ((1u << SC_PROCESS) | (1u << SC_INIT) | (1u << SC_NSINIT))

/* `uid=N parent=P pgrp=P in=NS`, each at most once, as the kind allows. */
static int p_task_options(struct parser *p, struct sc_task *t)
{
	static const char *const names[] = { "uid", "parent", "pgrp", "in" };
	bool seen[COUNT(names)] = { false };
	size_t allowed = t->kind == SC_PROCESS ? 4 : t->kind == SC_NSINIT ? 2 : 0;
	char buf[SC_MAX_IDENT + 1];
	long long n;
	size_t i;

	while (p->tok.kind == TK_IDENT) {
		tok_text(&p->lx, &p->tok, buf, sizeof buf);
		/* `forked`: created by a fork/clone step, with the forker's
		 * uid, group and session; a forked thread by a
		 * `clone` step of its process. */
		if ((t->kind == SC_PROCESS || t->kind == SC_THREAD) && !strcmp(buf, "forked")) {
			if (t->forked)
				return p_error(p, "duplicate option 'forked'");
			t->forked = true;
			if (p_next(p) < 0)
				return -1;
			continue;
		}
		if (t->forked)
			return p_error(p, "a forked process takes no other option: its "
				       "parent, uid, group and namespace are its forker's");
		for (i = 0; i < allowed && strcmp(buf, names[i]); i++)
			;
		if (i == allowed)
			return p_error(p, "unknown option '%s' for %s", buf,
				       t->kind == SC_PROCESS ? "process (expected uid=, parent=, pgrp= or in=)" :
				       t->kind == SC_NSINIT ? "nsinit (expected uid= or parent=)" :
				       "this declaration");
		if (seen[i])
			return p_error(p, "duplicate option '%s'", buf);
		seen[i] = true;
		if (p_next(p) < 0 || p_expect(p, TK_EQ, "'=' after the option name") < 0)
			return -1;
		if (i == 0) {
			if (p_int(p, 0, UINT32_MAX - 1, "uid", &n) < 0)
				return -1;
			t->uid = (uint32_t)n;
		} else if (p_task_of_kind(p, i == 3 ? 1u << SC_NSINIT : PROCESS_KINDS,
					  names[i], i == 1 ? &t->parent :
					  i == 2 ? &t->pgrp : &t->ns) < 0) {
			return -1;
		}
	}
	return 0;
}

static int p_task_decl(struct parser *p, enum sc_task_kind kind)
{
	struct sc_task t = { .kind = kind, .leader = -1, .parent = -1,
			     .pgrp = -1, .ns = -1 };

	if (kind == SC_INIT && p->init >= 0) {
		struct sc_pos first = p->s->tasks[p->init].pos;

		return p_error(p, "only one init (first declared at %d:%d)",
			       first.line, first.col);
	}
	if (p_next(p) < 0)
		return -1;
	t.pos = p->tok.pos;
	if (p_new_name(p, true, &t.name) < 0)
		return -1;
	if (p_next(p) < 0)
		goto out_free;
	if (kind == SC_THREAD) {
		if (!tok_is_name(p, "of")) {
			p_expected(p, "'of PROCESS' after the thread's name");
			goto out_free;
		}
		if (p_next(p) < 0 ||
		    p_task_of_kind(p, PROCESS_KINDS, "thread's 'of'", &t.leader) < 0)
			goto out_free;
	}
	if (p_task_options(p, &t) < 0)
		goto out_free;
	if (push_task(p, &t) < 0)
		return -1;
	if (kind == SC_INIT)
		p->init = (int)p->s->ntasks - 1;
	return 0;
out_free:
	free(t.name);
	return -1;
}

static int p_handler_decl(struct parser *p)
{
	struct scenario *s = p->s;
	struct sc_handler h = { 0 };
	struct sc_stmt *body;
	size_t nbody, idx;
	void *a;

	if (p_next(p) < 0)
		return -1;
	h.pos = p->tok.pos;
	if (p_new_name(p, false, &h.name) < 0)
		return -1;
	a = p_grow(s->handlers, s->nhandlers, &p->cap_handlers, sizeof *s->handlers);
	if (a == NULL) {
		free(h.name);
		return p_oom(p);
	}
	/* Declared before its body, so the body may name it (sigaction SIG h). */
	s->handlers = a;
	idx = s->nhandlers++;
	s->handlers[idx] = h;
	if (add_name(p, true, (int)idx) < 0)
		return -1;
	if (p_next(p) < 0)
		return -1;
	if (p->tok.kind != TK_LBRACE)
		return p_expected(p, "'{' to open the handler body");
	if (p_body(p, &body, &nbody, "handler body") < 0) {
		for (size_t i = 0; i < nbody; i++)
			p_stmt_clear(&body[i]);
		free(body);
		return -1;
	}
	s->handlers[idx].body = body;
	s->handlers[idx].nbody = nbody;
	return 0;
}

/* ---- steps -------------------------------------------------------------- */

/* `TASK: STATEMENT`; the current token is TASK. */
static int p_step(struct parser *p, int par)
{
	struct sc_step step = { .par = par };
	struct token name = p->tok;
	char buf[SC_MAX_IDENT + 1];

	if (p->tok.kind != TK_IDENT)
		return p_expected(p, "a step 'TASK: STATEMENT'");
	tok_text(&p->lx, &p->tok, buf, sizeof buf);
	step.task = p_find_task(p);
	if (p_next(p) < 0)
		return -1;
	if (p->tok.kind != TK_COLON)
		return lex_error(&p->lx, name.pos,
				 "unknown declaration '%s' (a step is written 'TASK: STATEMENT')",
				 buf);
	if (step.task < 0)
		return lex_error(&p->lx, name.pos, "undeclared task '%s'", buf);
	if (p_next(p) < 0)
		return -1;
	if (p_stmt(p, &step.stmt) < 0 || push_step(p, &step) < 0) {
		p_stmt_clear(&step.stmt);
		return -1;
	}
	return 0;
}

/* `advance DURATION`: the clock moves; `wake_up QUEUE`: an interrupt
 * completes what the queue's sleepers wait for.  No task performs them
 * (task -1). */
static int p_clock_step(struct parser *p)
{
	struct sc_step step = { .task = -1 };
	int r;

	p->clock_step = true;
	r = p_stmt(p, &step.stmt);
	p->clock_step = false;
	if (r < 0 || push_step(p, &step) < 0) {
		p_stmt_clear(&step.stmt);
		return -1;
	}
	return 0;
}

static int p_par(struct parser *p)
{
	struct sc_pos open;
	size_t first = p->s->nsteps;
	int par = ++p->npar;

	if (p_next(p) < 0)
		return -1;
	open = p->tok.pos;
	if (p_expect(p, TK_LBRACE, "'{' after par") < 0)
		return -1;
	for (;;) {
		while (p->tok.kind == TK_NEWLINE)
			if (p_next(p) < 0)
				return -1;
		if (p->tok.kind == TK_RBRACE)
			break;
		if (p->tok.kind == TK_EOF)
			return p_error(p, "expected '}' to close the par block opened at %d:%d",
				       open.line, open.col);
		if (tok_is_name(p, "par"))
			return p_error(p, "par blocks cannot nest");
		if (p->s->nsteps - first >= SC_MAX_PAR_STEPS)
			return p_error(p, "par block too long (max %d steps)", SC_MAX_PAR_STEPS);
		if (p_step(p, par) < 0)
			return -1;
		if (p->tok.kind != TK_NEWLINE && p->tok.kind != TK_RBRACE)
			return p_expected(p, "end of line or '}' after the step");
	}
	if (p->s->nsteps == first)
		return p_error(p, "empty par block");
	return p_next(p);
}

/* ---- expectations ------------------------------------------------------- */

static int p_trace_result(struct parser *p, int *result)
{
	long long n;

	if (p->tok.kind == TK_INT) {
		if (p_int(p, 0, SL_TRACE_LOSE_INFO, "result", &n) < 0)
			return -1;
		*result = (int)n;
		return 0;
	}
	for (int i = 0; sl_trace_result_name(i); i++) {
		if (tok_is_name(p, sl_trace_result_name(i))) {
			*result = i;
			return p_next(p);
		}
	}
	return p_expected(p, "delivered, ignored, already_pending, overflow_fail or lose_info");
}

/* A syscall result: a number, or an errno name (with or without '-')
 * standing for its negative value. */
static int p_expect_string(struct parser *p, struct sc_expect *e)
{
	if (p->tok.kind != TK_STRING)
		return p_expected(p, "a string");
	e->text = tok_string(&p->lx, &p->tok);
	if (e->text == NULL)
		return p_oom(p);
	return p_next(p);
}

/* `generate SIG -> TASK RESULT` and `deliver SIG -> TASK`. */
static int p_expect_signal_path(struct parser *p, struct sc_expect *e)
{
	if (p_next(p) < 0 || p_signal(p, &e->sig) < 0 ||
	    p_expect(p, TK_ARROW, "'->'") < 0 || p_task_ref(p, &e->task) < 0)
		return -1;
	if (e->kind == SC_EXP_GENERATE)
		return p_trace_result(p, &e->result);
	return 0;
}

/* `expect TASK WHAT ...`; the current token is WHAT. */
static int p_expect_task(struct parser *p, struct sc_expect *e)
{
	char buf[SC_MAX_IDENT + 1];
	long long n;

	if (p->tok.kind != TK_IDENT)
		return p_expected(p, "what to expect of the task");
	tok_text(&p->lx, &p->tok, buf, sizeof buf);
	for (size_t i = 0; i < COUNT(states); i++) {
		if (!strcmp(buf, states[i].word)) {
			e->kind = SC_EXP_STATE;
			e->state = states[i].state;
			return p_next(p);
		}
	}
	if (p_next(p) < 0)
		return -1;
	if (!strcmp(buf, "exited")) {
		e->kind = SC_EXP_EXITED;
		if (p_int(p, INT_MIN, INT_MAX, "exit code", &n) < 0)
			return -1;
		e->num = (long)n;
		return 0;
	}
	if (!strcmp(buf, "killed") || !strcmp(buf, "dumped")) {
		e->kind = buf[0] == 'k' ? SC_EXP_KILLED : SC_EXP_DUMPED;
		return p_signal(p, &e->sig);
	}
	if (!strcmp(buf, "oops")) {
		e->kind = SC_EXP_OOPS;
		return 0;
	}
	if (!strcmp(buf, "handled") && tok_is_name(p, "order")) {
		e->kind = SC_EXP_ORDER;
		return p_next(p) < 0 ? -1 : p_expect_order(p, e);
	}
	if (!strcmp(buf, "siginfo")) {
		e->kind = SC_EXP_SIGINFO;
		return p_expect_siginfo(p, e);
	}
	if (!strcmp(buf, "handled")) {
		e->kind = SC_EXP_HANDLED;
		if (p_signal(p, &e->sig) < 0 || p_int(p, 0, INT_MAX, "count", &n) < 0)
			return -1;
		e->num = (long)n;
		return 0;
	}
	if (!strcmp(buf, "syscall")) {
		e->kind = SC_EXP_SYSCALL;
		return p_expect_syscall(p, e);
	}
	if (!strcmp(buf, "blocked") || !strcmp(buf, "pending")) {
		e->kind = buf[0] == 'b' ? SC_EXP_BLOCKED : SC_EXP_PENDING;
		return p_set(p, &e->set);
	}
	return lex_error(&p->lx, e->pos,
			 "unknown expectation '%s' (expected a state, exited, killed, dumped, oops, handled, syscall, siginfo, blocked or pending)",
			 buf);
}

int p_expect_body(struct parser *p, struct sc_expect *e)
{
	if (tok_is_name(p, "generate") || tok_is_name(p, "deliver")) {
		e->kind = tok_is_name(p, "generate") ? SC_EXP_GENERATE : SC_EXP_DELIVER;
		return p_expect_signal_path(p, e);
	}
	if (tok_is_name(p, "trace")) {
		e->kind = SC_EXP_TRACE;
		return p_next(p) < 0 ? -1 : p_expect_string(p, e);
	}
	if (tok_is_name(p, "no")) {
		e->kind = SC_EXP_NO_TRACE;
		if (p_next(p) < 0)
			return -1;
		if (!tok_is_name(p, "trace"))
			return p_expected(p, "'trace' after 'no'");
		return p_next(p) < 0 ? -1 : p_expect_string(p, e);
	}
	if (p_task_ref(p, &e->task) < 0)
		return -1;
	e->pos = p->tok.pos;
	return p_expect_task(p, e);
}

char *p_source_since(struct parser *p, size_t start)
{
	size_t n = p->prev_end > start ? p->prev_end - start : 0;
	char *s = malloc(n + 1);

	if (s != NULL) {
		memcpy(s, p->lx.text + start, n);
		s[n] = '\0';
	}
	return s;
}

static int p_expect_line(struct parser *p)
{
	struct sc_expect e = { .task = -1, .result_task = -1, .si_pid_task = -1 };
	struct sc_pos kw = p->tok.pos;
	size_t start;

	if (p_next(p) < 0)
		return -1;
	start = p->tok.start;
	if (p_expect_body(p, &e) < 0)
		goto out_free;
	e.pos = kw;
	e.source = p_source_since(p, start);
	if (e.source == NULL) {
		p_oom(p);
		goto out_free;
	}
	if (push_expect(p, &e) < 0)
		goto out_free;
	return 0;
out_free:
	free(e.text);
	free(e.source);
	return -1;
}

/* ---- the file ----------------------------------------------------------- */

static int p_line(struct parser *p)
{
	static const struct { const char *word; int kind; } decls[] = {
		{ "process", SC_PROCESS }, { "thread", SC_THREAD },
		{ "kthread", SC_KTHREAD }, { "init", SC_INIT },
		{ "nsinit", SC_NSINIT },
	};
	char buf[SC_MAX_IDENT + 1];

	if (p->tok.kind != TK_IDENT)
		return p_expected(p, "a declaration, a step or an expectation");
	for (size_t i = 0; i < COUNT(decls); i++)
		if (tok_is_name(p, decls[i].word))
			return p_task_decl(p, (enum sc_task_kind)decls[i].kind);
	if (tok_is_name(p, "scenario"))
		return p_scenario_name(p);
	if (tok_is_name(p, "config"))
		return p_config(p);
	if (tok_is_name(p, "requires"))
		return p_requires(p);
	if (tok_is_name(p, "model-only"))
		return p_model_only(p);
	if (tok_is_name(p, "handler"))
		return p_handler_decl(p);
	if (tok_is_name(p, "par"))
		return p_par(p);
	if (tok_is_name(p, "expect"))
		return p_expect_line(p);
	if (tok_is_name(p, "exists") || tok_is_name(p, "forall"))
		return p_check_line(p);
	if (p_is_clock_keyword(p))
		return p_clock_step(p);
	if (p_is_stmt_keyword(p))
		return p_error(p, "a '%s' statement needs a task: write 'TASK: %s ...'",
			       tok_text(&p->lx, &p->tok, buf, sizeof buf), buf);
	return p_step(p, 0);
}

static char *dup_range(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d != NULL) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* The file's base name without ".scn": the default scenario name. */
static char *default_name(const char *file)
{
	const char *base = strrchr(file, '/');
	size_t n;

	base = base ? base + 1 : file;
	n = strlen(base);
	if (n > 4 && !strcmp(base + n - 4, ".scn"))
		n -= 4;
	if (n == 0)
		return dup_range("scenario", 8);
	return dup_range(base, n);
}

static int p_file(struct parser *p)
{
	if (lex_check_text(&p->lx) < 0 || p_next(p) < 0)
		return -1;
	for (;;) {
		while (p->tok.kind == TK_NEWLINE)
			if (p_next(p) < 0)
				return -1;
		if (p->tok.kind == TK_EOF)
			break;
		if (p_line(p) < 0 || p_eol(p) < 0)
			return -1;
	}
	if (p_proc_check(p) < 0)
		return -1;
	if (p->s->name == NULL) {
		p->s->name = default_name(p->s->file);
		if (p->s->name == NULL)
			return p_oom(p);
	}
	return 0;
}

int sc_parse(const char *file, const char *text, size_t len,
	     struct scenario **out, struct sc_diag *diag)
{
	struct sc_diag local;
	struct parser p = { .init = -1 };

	if (diag == NULL)
		diag = &local;
	memset(diag, 0, sizeof *diag);
	*out = NULL;
	if (file == NULL)
		file = "<input>";
	if (text == NULL)
		len = 0;
	lex_init(&p.lx, text ? text : "", len, diag);
	p.s = calloc(1, sizeof *p.s);
	if (p.s == NULL || (p.s->file = dup_range(file, strlen(file))) == NULL ||
	    (p.s->source = dup_range(text ? text : "", len)) == NULL) {
		diag->pos.line = 1;
		diag->pos.col = 1;
		snprintf(diag->message, sizeof diag->message, "out of memory");
		sc_free(p.s);
		return -1;
	}
	p.s->source_len = len;
	p.s->arch = SL_ARCH_X86;
	if (p_file(&p) < 0) {
		free(p.names);
		sc_free(p.s);
		return -1;
	}
	free(p.names);
	*out = p.s;
	return 0;
}

static void free_stmts(struct sc_stmt *body, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p_stmt_clear(&body[i]);
	free(body);
}

void sc_free(struct scenario *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->ntasks; i++)
		free(s->tasks[i].name);
	free(s->tasks);
	for (size_t i = 0; i < s->nhandlers; i++) {
		free(s->handlers[i].name);
		free_stmts(s->handlers[i].body, s->handlers[i].nbody);
	}
	free(s->handlers);
	for (size_t i = 0; i < s->nsteps; i++)
		p_stmt_clear(&s->steps[i].stmt);
	free(s->steps);
	for (size_t i = 0; i < s->nexpects; i++) {
		free(s->expects[i].text);
		free(s->expects[i].source);
	}
	free(s->expects);
	for (size_t i = 0; i < s->natoms; i++) {
		free(s->atoms[i].text);
		free(s->atoms[i].source);
	}
	free(s->atoms);
	free(s->conds);
	for (size_t i = 0; i < s->nchecks; i++)
		free(s->checks[i].source);
	free(s->checks);
	for (size_t i = 0; i < s->npipes; i++)
		free(s->pipes[i]);
	free(s->pipes);
	for (size_t i = 0; i < s->nttys; i++)
		free(s->ttys[i]);
	free(s->ttys);
	for (size_t i = 0; i < s->nwaitqs; i++)
		free(s->waitqs[i]);
	free(s->waitqs);
	free(s->file);
	free(s->source);
	free(s->name);
	free(s->model_only);
	free(s);
}
