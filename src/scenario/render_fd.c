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
	sb_addf(b, "%ld", r->ret);
	if (st->pipe < 0 && r->has_info) {
		sb_add(b, " ");
		sc_render_signal(b, r->info.signo);
		sc_render_info(b, s, r);
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

/* "close(p[0])" */
void sc_call_close(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	sb_add(b, "close(");
	sc_render_pipe_end(b, s, st->pipe, st->end);
	sb_add(b, ")");
}

static const struct sc_named fcntl_cmds[] = {
	{ "F_GETFL", SL_F_GETFL }, { "F_SETFL", SL_F_SETFL }, { "F_SETOWN", SL_F_SETOWN },
	{ "F_GETOWN", SL_F_GETOWN }, { "F_SETSIG", SL_F_SETSIG }, { "F_GETSIG", SL_F_GETSIG },
	{ "F_SETOWN_EX", SL_F_SETOWN_EX }, { "F_GETOWN_EX", SL_F_GETOWN_EX },
};

static const char *const owner_types[] = {
	[SL_F_OWNER_TID] = "F_OWNER_TID", [SL_F_OWNER_PID] = "F_OWNER_PID",
	[SL_F_OWNER_PGRP] = "F_OWNER_PGRP",
};

static const struct sc_named oflags[] = {
	{ "O_NONBLOCK", SL_O_NONBLOCK }, { "O_ASYNC", SL_O_ASYNC },
};

static void render_cmd(struct strbuf *b, int cmd)
{
	for (size_t i = 0; i < sizeof fcntl_cmds / sizeof fcntl_cmds[0]; i++)
		if (fcntl_cmds[i].value == (uint64_t)cmd) {
			sb_add(b, fcntl_cmds[i].name);
			return;
		}
	sb_addf(b, "%d", cmd);
}

/* "fcntl(p[0], F_SETOWN, a)", "fcntl(p[0], F_SETOWN_EX, {F_OWNER_TID, t})",
 * "fcntl(p[0], F_SETSIG, SIGRTMIN+1)", "fcntl(p[0], F_SETFL, O_ASYNC)" */
void sc_call_fcntl(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	sb_add(b, "fcntl(");
	sc_render_pipe_end(b, s, st->pipe, st->end);
	sb_add(b, ", ");
	render_cmd(b, st->cmd);
	switch (st->cmd) {
	case SL_F_SETOWN:
		sb_add(b, ", ");
		sc_render_target(b, s, &st->target);
		break;
	case SL_F_SETOWN_EX:
		sb_addf(b, ", {%s, ", st->owner_type >= 0 && st->owner_type <= SL_F_OWNER_PGRP
					? owner_types[st->owner_type] : "?");
		sc_render_target(b, s, &st->target);
		sb_add(b, "}");
		break;
	case SL_F_SETSIG:
		sb_add(b, ", ");
		if (st->num)
			sc_render_signal(b, (int)st->num);
		else
			sb_add(b, "0");
		break;
	case SL_F_SETFL:
		sb_add(b, ", ");
		sc_render_bits(b, oflags, sizeof oflags / sizeof oflags[0], (uint64_t)st->num);
		break;
	default:
		break;
	}
	sb_add(b, ")");
}

/* F_GETSIG's signal by name, F_GETFL's flags: "O_WRONLY|O_ASYNC". */
void sc_ret_fcntl(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st,
		  const struct sc_result *r)
{
	(void)s;
	if (st->cmd == SL_F_GETSIG && r->ret > 0) {
		sc_render_signal(b, (int)r->ret);
	} else if (st->cmd == SL_F_GETFL) {
		sb_add(b, r->ret & 1 ? "O_WRONLY" : "O_RDONLY");
		if (r->ret & ~1L) {
			sb_add(b, "|");
			sc_render_bits(b, oflags, sizeof oflags / sizeof oflags[0],
				       (uint64_t)(r->ret & ~1L));
		}
	} else {
		sb_addf(b, "%ld", r->ret);
	}
}
