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

/* read ( PIPE | signalfd [ COUNT ] ): a signalfd read's buffer size, 128
 * (one record) when not given. */
int p_read_args(struct parser *p, struct sc_stmt *st)
{
	long long n;

	if (p_pipe(p, &st->pipe) < 0)
		return -1;
	if (st->pipe >= 0 || p->tok.kind != TK_INT)
		return 0;
	if (p_int(p, 0, SC_MAX_SIGNALFD_READ, "read count", &n) < 0)
		return -1;
	st->has_count = true;
	st->num = (long)n;
	return 0;
}

static const struct { const char *name; uint64_t flag; } sfd_flags[] = {
	{ "SFD_NONBLOCK", SL_SFD_NONBLOCK }, { "SFD_CLOEXEC", SL_SFD_CLOEXEC },
};

/* signalfd SET [ FLAG { | FLAG } ]: SFD_NONBLOCK, SFD_CLOEXEC or numbers. */
int p_signalfd_args(struct parser *p, struct sc_stmt *st)
{
	char buf[SC_MAX_IDENT + 1];

	if (p_set(p, &st->mask) < 0)
		return -1;
	while ((p->tok.kind == TK_IDENT && !p_at_uaccess(p, st)) || p->tok.kind == TK_INT) {
		long long n;
		size_t i;

		if (p->tok.kind == TK_INT) {
			if (p_int(p, 0, UINT32_MAX, "signalfd flags", &n) < 0)
				return -1;
			st->flags |= (uint64_t)n;
		} else {
			for (i = 0; i < sizeof sfd_flags / sizeof sfd_flags[0]; i++)
				if (tok_is(&p->lx, &p->tok, sfd_flags[i].name))
					break;
			if (i == sizeof sfd_flags / sizeof sfd_flags[0])
				return p_error(p, "unknown signalfd flag '%s' (expected SFD_NONBLOCK "
					       "or SFD_CLOEXEC)",
					       tok_text(&p->lx, &p->tok, buf, sizeof buf));
			st->flags |= sfd_flags[i].flag;
			if (p_next(p) < 0)
				return -1;
		}
		if (p->tok.kind != TK_PIPE)
			return 0;
		if (p_next(p) < 0)
			return -1;
	}
	return 0;
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
