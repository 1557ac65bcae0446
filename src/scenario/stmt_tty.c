/*
 * The statements on terminals: a pseudo-terminal's slave as processes use
 * it (open, the job-control ioctls, stty, read_tty, write_tty) and its
 * master as the terminal emulator does (type, resize, hangup).  The
 * grammar is in docs/scenario-language.md.
 */
#include <string.h>

#include "scenario/parser.h"

/* A terminal is named where it is used; the first use creates it. */
static int p_tty(struct parser *p, int *out)
{
	if (p->tok.kind != TK_IDENT)
		return p_expected(p, "a terminal name");
	return p_first_use_name(p, &p->s->ttys, &p->s->nttys, 8, "terminals", out);
}

int p_tty_args(struct parser *p, struct sc_stmt *st)
{
	return p_tty(p, &st->tty);
}

/* open TTY [ O_NOCTTY ] */
int p_tty_open_args(struct parser *p, struct sc_stmt *st)
{
	if (p_tty(p, &st->tty) < 0)
		return -1;
	if (p->tok.kind == TK_IDENT && tok_is(&p->lx, &p->tok, "O_NOCTTY")) {
		st->flags = SL_O_NOCTTY;
		return p_next(p);
	}
	return 0;
}

int p_tty_target_args(struct parser *p, struct sc_stmt *st)
{
	if (p_tty(p, &st->tty) < 0)
		return -1;
	return p_target(p, &st->target);
}

static const struct {
	const char *name;
	unsigned bit;
} lflags[] = {
	{ "isig", SL_ISIG }, { "icanon", SL_ICANON }, { "echo", SL_ECHO },
	{ "noflsh", SL_NOFLSH }, { "tostop", SL_TOSTOP },
};

/* One c_lflag word of stty: "isig" sets, "-isig" clears. */
static int p_lflag(struct parser *p, struct sc_stmt *st)
{
	char buf[SC_MAX_IDENT + 1];
	bool clear = false;

	if (p->tok.kind == TK_MINUS) {
		clear = true;
		if (p_next(p) < 0)
			return -1;
	}
	if (p->tok.kind != TK_IDENT)
		return p_expected(p, "a termios flag (isig, icanon, echo, noflsh, tostop)");
	tok_text(&p->lx, &p->tok, buf, sizeof buf);
	for (size_t i = 0; i < sizeof lflags / sizeof lflags[0]; i++) {
		if (strcmp(buf, lflags[i].name))
			continue;
		if (clear)
			st->lflag_clear |= lflags[i].bit;
		else
			st->lflag_set |= lflags[i].bit;
		return p_next(p);
	}
	return p_expected(p, "a termios flag (isig, icanon, echo, noflsh, tostop)");
}

/* stty TTY { [-]FLAG } */
int p_stty_args(struct parser *p, struct sc_stmt *st)
{
	if (p_tty(p, &st->tty) < 0)
		return -1;
	while (p->tok.kind == TK_MINUS || p->tok.kind == TK_IDENT)
		if (p_lflag(p, st) < 0)
			return -1;
	if (!st->lflag_set && !st->lflag_clear)
		return p_expected(p, "a termios flag (isig, icanon, echo, noflsh, tostop)");
	return 0;
}

/* write_tty / type TTY STRING */
int p_tty_text_args(struct parser *p, struct sc_stmt *st)
{
	if (p_tty(p, &st->tty) < 0)
		return -1;
	if (p->tok.kind != TK_STRING)
		return p_expected(p, "a string");
	st->text = tok_string(&p->lx, &p->tok);
	if (!st->text)
		return p_oom(p);
	return p_next(p);
}

/* resize / tiocswinsz TTY ROWS COLS */
int p_resize_args(struct parser *p, struct sc_stmt *st)
{
	long long rows, cols;

	if (p_tty(p, &st->tty) < 0)
		return -1;
	if (p_int(p, 0, 65535, "rows", &rows) < 0 || p_int(p, 0, 65535, "columns", &cols) < 0)
		return -1;
	st->rows = (unsigned)rows;
	st->cols = (unsigned)cols;
	return 0;
}

/* The characters `type` sends: the string with caret notation, "^C"
 * for the control character 0x03, "^?" for DEL; a lone '^' stands for
 * itself.  Returns the length written into out (at most n). */
size_t sc_tty_input_bytes(const char *text, char *out, size_t n)
{
	size_t len = 0;

	for (const char *c = text ? text : ""; *c && len < n; c++) {
		if (c[0] == '^' && c[1] == '?') {
			out[len++] = 0x7f;
			c++;
		} else if (c[0] == '^' && c[1] >= '@' && c[1] <= '_') {
			out[len++] = (char)(c[1] & 0x1f);
			c++;
		} else if (c[0] == '^' && c[1] >= 'a' && c[1] <= 'z') {
			out[len++] = (char)(c[1] & 0x1f);
			c++;
		} else {
			out[len++] = *c;
		}
	}
	return len;
}

bool sc_is_master_step(enum sc_op op)
{
	return op == SC_OP_TYPE || op == SC_OP_RESIZE || op == SC_OP_HANGUP;
}
