/*
 * libFuzzer target for the scenario parser: any bytes must parse or fail
 * with a located diagnostic, never crash, hang or leak.  A successful parse
 * is walked to check that every index the AST holds is in range.
 * Build and run: see fuzz/README.md.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/ast.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_task_ref(const struct scenario *s, int task)
{
	if (task < -1 || (task >= 0 && (size_t)task >= s->ntasks))
		abort();
}

static void check_target(const struct scenario *s, const struct sc_target *t)
{
	if (t->kind == SC_TGT_TASK || t->kind == SC_TGT_PGRP) {
		if (t->task < 0)
			abort();
		check_task_ref(s, t->task);
	}
}

static void check_stmts(const struct scenario *s, const struct sc_stmt *st,
			size_t n, int depth)
{
	if (depth > 64 || (n > 0 && st == NULL))
		abort();
	for (size_t i = 0; i < n; i++) {
		if ((unsigned)st[i].op >= SC_OP_COUNT || st[i].pos.line < 1 ||
		    st[i].pos.col < 1)
			abort();
		if (st[i].handler != SC_HANDLER_DFL && st[i].handler != SC_HANDLER_IGN &&
		    (st[i].handler < 0 || (size_t)st[i].handler >= s->nhandlers))
			abort();
		if (st[i].op == SC_OP_LOG && st[i].text == NULL)
			abort();
		if (st[i].op == SC_OP_REPEAT && (st[i].num < 1 || st[i].num > 1000000))
			abort();
		if (st[i].op >= SC_OP_TTY_OPEN && st[i].op <= SC_OP_HANGUP &&
		    (st[i].tty < 0 || (size_t)st[i].tty >= s->nttys))
			abort();
		check_target(s, &st[i].target);
		check_target(s, &st[i].target2);
		check_stmts(s, st[i].body, st[i].nbody, depth + 1);
	}
}

static void check(const struct scenario *s)
{
	if (s->name == NULL || s->file == NULL)
		abort();
	for (size_t i = 0; i < s->ntasks; i++) {
		const struct sc_task *t = &s->tasks[i];

		if (t->name == NULL || strlen(t->name) > 15)
			abort();
		check_task_ref(s, t->leader);
		check_task_ref(s, t->parent);
		check_task_ref(s, t->pgrp);
		check_task_ref(s, t->ns);
	}
	for (size_t i = 0; i < s->nhandlers; i++)
		check_stmts(s, s->handlers[i].body, s->handlers[i].nbody, 0);
	for (size_t i = 0; i < s->nsteps; i++) {
		/* Only the clock steps (advance, wake_up, the terminal
		 * master's type, resize and hangup) have no task. */
		if (s->steps[i].task < 0 &&
		    sc_stmt_info(s->steps[i].stmt.op)->kind != SC_KIND_CLOCK)
			abort();
		check_task_ref(s, s->steps[i].task);
		check_stmts(s, &s->steps[i].stmt, 1, 0);
	}
	for (size_t i = 0; i < s->nexpects; i++) {
		if (s->expects[i].source == NULL)
			abort();
		check_task_ref(s, s->expects[i].task);
	}
	/* exists/forall: atoms like expectations, condition trees whose
	 * children come before their parents (so evaluation terminates). */
	for (size_t i = 0; i < s->natoms; i++) {
		if (s->atoms[i].source == NULL)
			abort();
		check_task_ref(s, s->atoms[i].task);
	}
	for (size_t i = 0; i < s->nconds; i++) {
		const struct sc_cond *c = &s->conds[i];

		if (c->op == SC_COND_ATOM && (c->atom < 0 || (size_t)c->atom >= s->natoms))
			abort();
		if (c->op != SC_COND_ATOM && (c->lhs < 0 || (size_t)c->lhs >= i))
			abort();
		if ((c->op == SC_COND_AND || c->op == SC_COND_OR) &&
		    (c->rhs < 0 || (size_t)c->rhs >= i))
			abort();
	}
	for (size_t i = 0; i < s->nchecks; i++)
		if (s->checks[i].source == NULL || s->checks[i].root < 0 ||
		    (size_t)s->checks[i].root >= s->nconds)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scenario *s = NULL;
	struct sc_diag d;

	if (sc_parse("fuzz.scn", (const char *)data, size, &s, &d) == 0) {
		check(s);
		sc_free(s);
	} else {
		if (s != NULL || d.pos.line < 1 || d.pos.col < 1 || d.message[0] == '\0' ||
		    memchr(d.message, '\0', sizeof d.message) == NULL)
			abort();
	}
	return 0;
}
