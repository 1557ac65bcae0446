/* How the statements on terminals are written in a trace
 * (docs/trace-format.md): the slave's calls as strace writes them, the
 * ioctls by their request names; the master's steps as words. */
#include "scenario/render_call.h"

static void render_tty(struct strbuf *b, const struct scenario *s, int tty)
{
	if (tty < 0 || (size_t)tty >= s->nttys)
		sb_add(b, "?");
	else
		sb_add(b, s->ttys[tty]);
}

/* A string as written in the scenario: \n, \" and \\ escaped. */
static void render_text(struct strbuf *b, const char *text)
{
	sb_add(b, "\"");
	for (const char *c = text ? text : ""; *c; c++) {
		if (*c == '\n')
			sb_add(b, "\\n");
		else if (*c == '"' || *c == '\\')
			sb_addf(b, "\\%c", *c);
		else
			sb_addf(b, "%c", *c);
	}
	sb_add(b, "\"");
}

/* "open(t, O_RDWR)", "open(t, O_RDWR|O_NOCTTY)" */
void sc_call_tty_open(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	sb_add(b, "open(");
	render_tty(b, s, st->tty);
	sb_add(b, st->flags & SL_O_NOCTTY ? ", O_RDWR|O_NOCTTY)" : ", O_RDWR)");
}

/* "ioctl(t, TIOCSCTTY, 0)", "ioctl(t, TIOCNOTTY)", "ioctl(t, TIOCGPGRP)" */
void sc_call_tty_ioctl(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	sb_add(b, "ioctl(");
	render_tty(b, s, st->tty);
	switch (st->op) {
	case SC_OP_TIOCSCTTY:
		sb_add(b, ", TIOCSCTTY, 0)");
		break;
	case SC_OP_TIOCNOTTY:
		sb_add(b, ", TIOCNOTTY)");
		break;
	default:
		sb_add(b, ", TIOCGPGRP)");
		break;
	}
}

/* "ioctl(t, TIOCSPGRP, [job])" */
void sc_call_tcsetpgrp(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	sb_add(b, "ioctl(");
	render_tty(b, s, st->tty);
	sb_add(b, ", TIOCSPGRP, [");
	sc_render_target(b, s, &st->target);
	sb_add(b, "])");
}

static const struct {
	const char *name;
	unsigned bit;
} lflag_names[] = {
	{ "isig", SL_ISIG }, { "icanon", SL_ICANON }, { "echo", SL_ECHO },
	{ "noflsh", SL_NOFLSH }, { "tostop", SL_TOSTOP },
};

/* "ioctl(t, TCSETS, -isig tostop)": the flags stty changes */
void sc_call_stty(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	const char *sep = "";

	sb_add(b, "ioctl(");
	render_tty(b, s, st->tty);
	sb_add(b, ", TCSETS, ");
	for (size_t i = 0; i < sizeof lflag_names / sizeof lflag_names[0]; i++) {
		if (st->lflag_clear & lflag_names[i].bit) {
			sb_addf(b, "%s-%s", sep, lflag_names[i].name);
			sep = " ";
		}
		if (st->lflag_set & lflag_names[i].bit) {
			sb_addf(b, "%s%s", sep, lflag_names[i].name);
			sep = " ";
		}
	}
	sb_add(b, ")");
}

void sc_call_tty_read(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	sb_add(b, "read(");
	render_tty(b, s, st->tty);
	sb_add(b, ")");
}

void sc_call_tty_write(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	sb_add(b, "write(");
	render_tty(b, s, st->tty);
	sb_add(b, ", ");
	render_text(b, st->text);
	sb_add(b, ")");
}

/* The master's steps: "type t \"sleep^C\"", "resize t 24 80",
 * "ioctl(t, TIOCSWINSZ, 24x80)" from a task, "hangup t". */
void sc_call_tty_type(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	sb_add(b, "type ");
	render_tty(b, s, st->tty);
	sb_add(b, " ");
	render_text(b, st->text);
}

void sc_call_resize(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	if (st->op == SC_OP_TIOCSWINSZ) {
		sb_add(b, "ioctl(");
		render_tty(b, s, st->tty);
		sb_addf(b, ", TIOCSWINSZ, %ux%u)", st->rows, st->cols);
		return;
	}
	sb_add(b, "resize ");
	render_tty(b, s, st->tty);
	sb_addf(b, " %u %u", st->rows, st->cols);
}

void sc_call_hangup(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	sb_add(b, "hangup ");
	render_tty(b, s, st->tty);
}
