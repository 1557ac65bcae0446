/*
 * The statements on file descriptors: read and write on the scenario's
 * pipes, signalfd, and read on the signalfd.  The grammar is in
 * docs/scenario-language.md.
 */
#include <stdlib.h>
#include <string.h>

#include "scenario/parser.h"

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

int p_read_args(struct parser *p, struct sc_stmt *st)
{
	return p_pipe(p, &st->pipe);
}

int p_write_args(struct parser *p, struct sc_stmt *st)
{
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
}
