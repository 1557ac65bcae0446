/* How the statements on pipes and the signalfd are written in a trace
 * (docs/trace-format.md). */
#include "scenario/render.h"

static void render_pipe(struct strbuf *b, const struct scenario *s, int pipe)
{
	if (pipe < 0 || (size_t)pipe >= s->npipes)
		sb_add(b, "signalfd");
	else
		sb_add(b, s->pipes[pipe]);
}

bool sc_render_fd_args(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	switch (st->op) {
	case SC_OP_SIGNALFD:
		sb_add(b, "signalfd(");
		sc_render_set(b, st->mask);
		sb_add(b, ")");
		return true;
	case SC_OP_READ:
		sb_add(b, "read(");
		render_pipe(b, s, st->pipe);
		sb_add(b, ")");
		return true;
	case SC_OP_WRITE:
		sb_add(b, "write(");
		render_pipe(b, s, st->pipe);
		sb_addf(b, ", \"%s\")", st->text ? st->text : "");
		return true;
	default:
		return false;
	}
}

bool sc_render_fd_result(struct strbuf *b, const struct sc_stmt *st, const struct sc_result *r)
{
	switch (st->op) {
	case SC_OP_READ:
		sb_addf(b, "%ld", r->ret);
		if (st->pipe < 0 && r->has_info) {
			sb_add(b, " ");
			sc_render_signal(b, r->info.signo);
			sc_render_info(b, r);
		}
		return true;
	case SC_OP_SIGNALFD:
		sb_add(b, "fd");
		return true;
	default:
		return false;
	}
}
