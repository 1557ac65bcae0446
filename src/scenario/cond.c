/*
 * explore's conditions: `exists COND` and `forall COND` lines.
 *
 *   check = ("exists" | "forall") cond
 *   cond  = conj { "||" conj }
 *   conj  = unary { "&&" unary }
 *   unary = "!" unary | "(" cond ")" | atom
 *   atom  = what an `expect` line checks (TASK STATE, TASK handled SIG N,
 *           TASK syscall NAME = V, generate ..., deliver ..., trace "...",
 *           no trace "...")
 *
 * `!` binds tighter than `&&`, which binds tighter than `||`; both binary
 * operators group to the left.  Parentheses and `!` nest at most
 * SC_MAX_DEPTH deep, so no input can exhaust the stack.
 */
#include <stdlib.h>
#include <string.h>

#include "scenario/parser.h"

static int p_cond(struct parser *p, int depth, int *out);

static int push_cond(struct parser *p, const struct sc_cond *c, int *out)
{
	struct scenario *s = p->s;
	void *a = p_grow(s->conds, s->nconds, &p->cap_conds, sizeof *s->conds);

	if (a == NULL)
		return p_oom(p);
	s->conds = a;
	s->conds[s->nconds] = *c;
	*out = (int)s->nconds++;
	return 0;
}

/* An atom: an expectation's body, kept with its text. */
static int p_atom(struct parser *p, int *out)
{
	struct scenario *s = p->s;
	struct sc_pos at = p->tok.pos;
	struct sc_expect e = { .task = -1, .pos = at, .result_task = -1, .si_pid_task = -1 };
	size_t start = p->tok.start;
	struct sc_cond c = { .op = SC_COND_ATOM, .lhs = -1, .rhs = -1 };
	void *a;

	if (p->tok.kind != TK_IDENT)
		return p_expected(p, "a condition (an expectation, '!' or '(')");
	if (p_expect_body(p, &e) < 0)
		goto out_free;
	e.pos = at;
	e.source = p_source_since(p, start);
	a = p_grow(s->atoms, s->natoms, &p->cap_atoms, sizeof *s->atoms);
	if (e.source == NULL || a == NULL) {
		p_oom(p);
		goto out_free;
	}
	s->atoms = a;
	s->atoms[s->natoms] = e;
	c.atom = (int)s->natoms++;
	return push_cond(p, &c, out);
out_free:
	free(e.text);
	free(e.source);
	return -1;
}

static int p_unary(struct parser *p, int depth, int *out)
{
	struct sc_cond c = { .op = SC_COND_NOT, .rhs = -1 };

	if (depth > SC_MAX_DEPTH)
		return p_error(p, "condition nested too deeply (max %d)", SC_MAX_DEPTH);
	if (p->tok.kind == TK_NOT) {
		if (p_next(p) < 0 || p_unary(p, depth + 1, &c.lhs) < 0)
			return -1;
		return push_cond(p, &c, out);
	}
	if (p->tok.kind == TK_LPAREN) {
		struct sc_pos open = p->tok.pos;

		if (p_next(p) < 0 || p_cond(p, depth + 1, out) < 0)
			return -1;
		if (p->tok.kind != TK_RPAREN)
			return p_error(p, "expected ')' to close the '(' at %d:%d", open.line,
				       open.col);
		return p_next(p);
	}
	return p_atom(p, out);
}

static int p_binary(struct parser *p, int depth, enum tok_kind op, int *out)
{
	if ((op == TK_OR ? p_binary(p, depth, TK_AND, out) : p_unary(p, depth, out)) < 0)
		return -1;
	while (p->tok.kind == op) {
		struct sc_cond c = { .op = op == TK_OR ? SC_COND_OR : SC_COND_AND, .lhs = *out };

		if (p_next(p) < 0)
			return -1;
		if ((op == TK_OR ? p_binary(p, depth, TK_AND, &c.rhs)
				 : p_unary(p, depth, &c.rhs)) < 0)
			return -1;
		if (push_cond(p, &c, out) < 0)
			return -1;
	}
	return 0;
}

static int p_cond(struct parser *p, int depth, int *out)
{
	return p_binary(p, depth, TK_OR, out);
}

int p_check_line(struct parser *p)
{
	struct scenario *s = p->s;
	struct sc_check ck = { .forall = tok_is(&p->lx, &p->tok, "forall"), .pos = p->tok.pos };
	size_t start;
	void *a;

	if (p_next(p) < 0)
		return -1;
	start = p->tok.start;
	if (p->tok.kind == TK_NEWLINE || p->tok.kind == TK_EOF)
		return p_expected(p, "a condition after exists/forall");
	if (p_cond(p, 0, &ck.root) < 0)
		return -1;
	if (p->tok.kind == TK_RPAREN)
		return p_error(p, "unbalanced ')'");
	ck.source = p_source_since(p, start);
	a = p_grow(s->checks, s->nchecks, &p->cap_checks, sizeof *s->checks);
	if (ck.source == NULL || a == NULL) {
		free(ck.source);
		return p_oom(p);
	}
	s->checks = a;
	s->checks[s->nchecks++] = ck;
	return 0;
}
