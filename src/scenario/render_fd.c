/* How the statements on pipes and the signalfd are written in a trace
 * (docs/trace-format.md). */
#include "scenario/render_call.h"

static void render_pipe(struct strbuf *b, const struct scenario *s, int pipe)
{
	if (pipe < 0 || (size_t)pipe >= s->npipes)
		sb_add(b, "signalfd");
	else
		sb_add(b, s->pipes[pipe]);
}

void sc_call_read(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	sb_add(b, "read(");
	render_pipe(b, s, st->pipe);
	if (st->has_count)
		sb_addf(b, ", %ld", st->num);
	sb_add(b, ")");
}

static const struct sc_named sfd_flags[] = {
	{ "SFD_NONBLOCK", SL_SFD_NONBLOCK }, { "SFD_CLOEXEC", SL_SFD_CLOEXEC },
};

/* "signalfd({SIGUSR1})", "signalfd({SIGUSR1}, SFD_NONBLOCK|SFD_CLOEXEC)" */
void sc_call_signalfd(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	(void)s;
	sb_add(b, "signalfd(");
	sc_render_set(b, st->mask);
	if (st->flags) {
		sb_add(b, ", ");
		sc_render_bits(b, sfd_flags, sizeof sfd_flags / sizeof sfd_flags[0], st->flags);
	}
	sb_add(b, ")");
}

/* A read of the signalfd shows the signal and its siginfo. */
void sc_ret_read(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st,
		const struct sc_result *r)
{
	(void)s;
	sb_addf(b, "%ld", r->ret);
	if (st->pipe < 0 && r->has_info) {
		sb_add(b, " ");
		sc_render_signal(b, r->info.signo);
		sc_render_info(b, r);
	}
}

void sc_call_write(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	sb_add(b, "write(");
	render_pipe(b, s, st->pipe);
	sb_addf(b, ", \"%s\")", st->text ? st->text : "");
}

/* signalfd returns a descriptor, whose number the trace does not show. */
void sc_ret_fd(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st,
		const struct sc_result *r)
{
	(void)s;
	(void)st;
	(void)r;
	sb_add(b, "fd");
}
