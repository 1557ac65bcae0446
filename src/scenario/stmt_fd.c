/*
 * The statements on file descriptors: read and write on the scenario's
 * pipes, signalfd, and read on the signalfd.  The grammar is in
 * docs/scenario-language.md.
 */

#include "scenario/parser.h"

/* A pipe is named where it is used; the first use creates it. */
static int p_pipe(struct parser *p, int *out)
{
	if (p->tok.kind != TK_IDENT)
		return p_expected(p, "a pipe name or signalfd");
	if (tok_is(&p->lx, &p->tok, "signalfd")) {
		*out = -1;
		return p_next(p);
	}
	return p_first_use_name(p, &p->s->pipes, &p->s->npipes, 64, "pipes", out);
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

/* 'read' | 'write': which end of the pipe. */
static int p_end(struct parser *p, int *end)
{
	if (tok_is(&p->lx, &p->tok, "read"))
		*end = SL_PIPE_READ;
	else if (tok_is(&p->lx, &p->tok, "write"))
		*end = SL_PIPE_WRITE;
	else
		return p_expected(p, "'read' or 'write' (the end of the pipe)");
	return p_next(p);
}

static int p_pipe_end(struct parser *p, struct sc_stmt *st)
{
	if (p_pipe(p, &st->pipe) < 0)
		return -1;
	if (st->pipe < 0)
		return p_error(p, "a signalfd has no ends (expected a pipe)");
	return p_end(p, &st->end);
}

/* close PIPE ( read | write ) */
int p_close_args(struct parser *p, struct sc_stmt *st)
{
	return p_pipe_end(p, st);
}

static const struct { const char *name; int value; } fcntl_cmds[] = {
	{ "F_SETOWN", SL_F_SETOWN }, { "F_SETOWN_EX", SL_F_SETOWN_EX },
	{ "F_SETSIG", SL_F_SETSIG }, { "F_GETSIG", SL_F_GETSIG },
	{ "F_SETFL", SL_F_SETFL }, { "F_GETFL", SL_F_GETFL },
};

static const struct { const char *name; int value; } owner_types[] = {
	{ "F_OWNER_TID", SL_F_OWNER_TID }, { "F_OWNER_PID", SL_F_OWNER_PID },
	{ "F_OWNER_PGRP", SL_F_OWNER_PGRP },
};

static int p_fcntl_cmd(struct parser *p, struct sc_stmt *st)
{
	char buf[SC_MAX_IDENT + 1];

	for (size_t i = 0; i < sizeof fcntl_cmds / sizeof fcntl_cmds[0]; i++) {
		if (tok_is(&p->lx, &p->tok, fcntl_cmds[i].name)) {
			st->cmd = fcntl_cmds[i].value;
			return p_next(p);
		}
	}
	if (p->tok.kind != TK_IDENT)
		return p_expected(p, "an fcntl command (F_SETOWN, F_SETOWN_EX, F_SETSIG, "
				  "F_GETSIG, F_SETFL or F_GETFL)");
	return p_error(p, "unknown fcntl command '%s' (expected F_SETOWN, F_SETOWN_EX, "
		       "F_SETSIG, F_GETSIG, F_SETFL or F_GETFL)",
		       tok_text(&p->lx, &p->tok, buf, sizeof buf));
}

static int p_owner_type(struct parser *p, struct sc_stmt *st)
{
	for (size_t i = 0; i < sizeof owner_types / sizeof owner_types[0]; i++) {
		if (tok_is(&p->lx, &p->tok, owner_types[i].name)) {
			st->owner_type = owner_types[i].value;
			return p_next(p);
		}
	}
	return p_expected(p, "F_OWNER_TID, F_OWNER_PID or F_OWNER_PGRP");
}

/* OFLAGS: O_ASYNC, O_NONBLOCK or numbers, joined by '|'; 0 for none. */
static int p_oflags(struct parser *p, struct sc_stmt *st)
{
	for (;;) {
		long long n;

		if (p->tok.kind == TK_INT) {
			if (p_int(p, 0, UINT32_MAX, "file flags", &n) < 0)
				return -1;
			st->num |= (long)n;
		} else if (tok_is(&p->lx, &p->tok, "O_ASYNC")) {
			st->num |= SL_O_ASYNC;
			if (p_next(p) < 0)
				return -1;
		} else if (tok_is(&p->lx, &p->tok, "O_NONBLOCK")) {
			st->num |= SL_O_NONBLOCK;
			if (p_next(p) < 0)
				return -1;
		} else {
			return p_expected(p, "O_ASYNC, O_NONBLOCK or a number");
		}
		if (p->tok.kind != TK_PIPE)
			return 0;
		if (p_next(p) < 0)
			return -1;
	}
}

/* fcntl PIPE ( read | write ) CMD [ ARG ] */
int p_fcntl_args(struct parser *p, struct sc_stmt *st)
{
	int sig;

	if (p_pipe_end(p, st) < 0 || p_fcntl_cmd(p, st) < 0)
		return -1;
	switch (st->cmd) {
	case SL_F_SETOWN:
		return p_target(p, &st->target);
	case SL_F_SETOWN_EX:
		if (p_owner_type(p, st) < 0)
			return -1;
		return p_target(p, &st->target);
	case SL_F_SETSIG:
		if (p_signal(p, &sig) < 0)
			return -1;
		st->num = sig;
		return 0;
	case SL_F_SETFL:
		return p_oflags(p, st);
	default:
		return 0;
	}
}
