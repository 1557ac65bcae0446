/*
 * Conditions over outcomes, as herd7 judges litmus tests: a condition is
 * evaluated on each distinct outcome (not on each interleaving), and a
 * check is answered Always (every outcome satisfies it), Sometimes (some
 * do), or Never (none).  `exists C` holds when C is Always or Sometimes;
 * `forall C` when C is Always.  Over no outcomes at all (the search found
 * none) exists fails and forall holds vacuously.
 */
#include "explore/explore.h"

bool ex_cond_eval(const struct scenario *s, int root, const bool *atom_ok)
{
	const struct sc_cond *c;

	if (root < 0 || (size_t)root >= s->nconds)
		return false;
	c = &s->conds[root];
	switch (c->op) {
	case SC_COND_ATOM:
		return c->atom >= 0 && (size_t)c->atom < s->natoms && atom_ok[c->atom];
	case SC_COND_NOT:
		return !ex_cond_eval(s, c->lhs, atom_ok);
	case SC_COND_AND:
		return ex_cond_eval(s, c->lhs, atom_ok) && ex_cond_eval(s, c->rhs, atom_ok);
	case SC_COND_OR:
		return ex_cond_eval(s, c->lhs, atom_ok) || ex_cond_eval(s, c->rhs, atom_ok);
	}
	return false;
}

struct ex_judgement ex_judge(const struct scenario *s, const struct sc_check *ck,
			     const bool *const *atom_ok, size_t noutcomes)
{
	struct ex_judgement j = { .total = noutcomes };

	for (size_t i = 0; i < noutcomes; i++)
		if (ex_cond_eval(s, ck->root, atom_ok[i]))
			j.satisfied++;
	if (j.satisfied == 0)
		j.verdict = EX_NEVER;
	else if (j.satisfied == noutcomes)
		j.verdict = EX_ALWAYS;
	else
		j.verdict = EX_SOMETIMES;
	j.holds = ck->forall ? j.satisfied == noutcomes : j.satisfied > 0;
	return j;
}

const char *ex_verdict_name(enum ex_verdict v)
{
	switch (v) {
	case EX_NEVER:
		return "Never";
	case EX_SOMETIMES:
		return "Sometimes";
	case EX_ALWAYS:
		return "Always";
	}
	return "?";
}
