/* How statements, results and events are written in a trace
 * (docs/trace-format.md).  Library code: it writes into a strbuf. */
#include <string.h>

#include "scenario/render_call.h"

static const struct sc_named sa_names[] = {
	{ "SA_NOCLDSTOP", SL_SA_NOCLDSTOP }, { "SA_NOCLDWAIT", SL_SA_NOCLDWAIT },
	{ "SA_SIGINFO", SL_SA_SIGINFO },     { "SA_UNSUPPORTED", SL_SA_UNSUPPORTED },
	{ "SA_EXPOSE_TAGBITS", SL_SA_EXPOSE_TAGBITS },
	{ "SA_RESTORER", SL_SA_RESTORER },   { "SA_ONSTACK", SL_SA_ONSTACK },
	{ "SA_RESTART", SL_SA_RESTART },     { "SA_NODEFER", SL_SA_NODEFER },
	{ "SA_RESETHAND", SL_SA_RESETHAND },
};

void sc_render_signal(struct strbuf *b, int sig)
{
	if (sig >= 1 && sig <= SL_NSIG)
		sb_add(b, sl_signal_name(sig));
	else
		sb_addf(b, "%d", sig);
}

void sc_render_set(struct strbuf *b, sl_sigset set)
{
	bool first = true;

	sb_add(b, "{");
	for (int sig = 1; sig <= SL_NSIG; sig++) {
		if (!(set & sl_sigmask(sig)))
			continue;
		if (!first)
			sb_add(b, ",");
		sc_render_signal(b, sig);
		first = false;
	}
	sb_add(b, "}");
}

void sc_render_bits(struct strbuf *b, const struct sc_named *tab, size_t n, uint64_t v)
{
	bool first = true;

	if (!v) {
		sb_add(b, "0");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (!(v & tab[i].value))
			continue;
		sb_addf(b, "%s%s", first ? "" : "|", tab[i].name);
		v &= ~tab[i].value;
		first = false;
	}
	if (v)
		sb_addf(b, "%s0x%llx", first ? "" : "|", (unsigned long long)v);
}

void sc_render_flags(struct strbuf *b, uint64_t flags)
{
	sc_render_bits(b, sa_names, sizeof sa_names / sizeof sa_names[0], flags);
}

void sc_render_handler(struct strbuf *b, const struct scenario *s, uint64_t value)
{
	if (value == SL_SIG_DFL)
		sb_add(b, "SIG_DFL");
	else if (value == SL_SIG_IGN)
		sb_add(b, "SIG_IGN");
	else if (value >= SC_HANDLER_BASE && value - SC_HANDLER_BASE < s->nhandlers)
		sb_add(b, s->handlers[value - SC_HANDLER_BASE].name);
	else
		sb_addf(b, "0x%llx", (unsigned long long)value);
}

void sc_render_handler_field(struct strbuf *b, const struct scenario *s, uint64_t value)
{
	if (value >= SC_HANDLER_BASE && value - SC_HANDLER_BASE < s->nhandlers)
		sb_add(b, s->handlers[value - SC_HANDLER_BASE].name);
	else
		sb_addf(b, "%llx", (unsigned long long)value);
}


void sc_render_target(struct strbuf *b, const struct scenario *s, const struct sc_target *t)
{
	switch (t->kind) {
	case SC_TGT_TASK:
		sb_add(b, s->tasks[t->task].name);
		break;
	case SC_TGT_PGRP:
		sb_addf(b, "-%s", s->tasks[t->task].name);
		break;
	case SC_TGT_NUM:
		sb_addf(b, "%ld", t->num);
		break;
	case SC_TGT_NOBODY:
		sb_add(b, "nobody");
		break;
	case SC_TGT_NONE:
		sb_add(b, "?");
		break;
	}
}

/* The renderers of each statement's call and value (stmt_table.def). */
typedef void call_fn(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
typedef void ret_fn(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st,
		    const struct sc_result *r);
static call_fn *const stmt_call[SC_OP_COUNT] = {
#define SC_STMT(op, keyword, name, kind, flags, synopsis, parse, call, ...) [SC_OP_##op] = call,
#include "scenario/stmt_table.def"
};
static ret_fn *const stmt_ret[SC_OP_COUNT] = {
#define SC_STMT(op, keyword, name, kind, flags, synopsis, parse, call, result, ...) \
	[SC_OP_##op] = result,
#include "scenario/stmt_table.def"
};

static void render_errno(struct strbuf *b, long ret)
{
	const char *name = sl_errno_name((int)-ret);

	if (name)
		sb_addf(b, "-1 %s", name);
	else
		sb_addf(b, "-1 E%ld", -ret);
}
static void render_result(struct strbuf *b, const struct scenario *s,
			  const struct sc_stmt *st, const struct sc_result *r)
{
	sb_add(b, " = ");
	if (r->ret < 0 && r->ret > -4096) {
		render_errno(b, r->ret);
		/* waitid's prefilled siginfo: whether the call wrote it */
		if (st->op == SC_OP_WAITID && st->prefill)
			sb_add(b, r->wstatus ? " {untouched}" : " {}");
		/* nanosleep's time left */
		if (r->rem > 0) {
			sb_add(b, " (rem ");
			sc_render_duration(b, r->rem);
			sb_add(b, ")");
		}
		return;
	}
	stmt_ret[st->op](b, s, st, r);
}

void sc_render_call(struct strbuf *b, const struct scenario *s,
		    const struct sc_stmt *st, const struct sc_result *r)
{
	if ((unsigned)st->op >= SC_OP_COUNT)
		return;
	stmt_call[st->op](b, s, st);
	sc_render_uaccess(b, st);
	if (r && r->blocked)
		sb_add(b, " ...");
	else if (r && sc_stmt_has_result(st->op))
		render_result(b, s, st, r);
}

void sc_render_final(struct strbuf *b, const struct sl_task_info *ti)
{
	switch (ti->state) {
	case SL_TASK_RUNNING:
		sb_add(b, "running");
		return;
	case SL_TASK_SLEEPING:
		sb_add(b, "sleeping");
		return;
	case SL_TASK_STOPPED:
		sb_add(b, "stopped");
		return;
	case SL_TASK_TRACED:
		sb_add(b, "traced");
		return;
	case SL_TASK_ZOMBIE:
	case SL_TASK_DEAD:
		break;
	}
	switch (ti->exit_kind) {
	case SL_EXIT_CODE:
		sb_addf(b, "exited %d", ti->exit_code);
		break;
	case SL_EXIT_SIGNAL:
		sb_add(b, "killed ");
		sc_render_signal(b, ti->exit_code);
		if (ti->core_dumped)
			sb_add(b, " (core dumped)");
		break;
	case SL_EXIT_OOPS:
		sb_add(b, "oops");
		break;
	case SL_EXIT_NONE:
		sb_add(b, "dead");
		break;
	}
}

const char *sc_task_name(const struct sc_names *n, int tid)
{
	if (tid <= 0 || (size_t)tid >= n->ntids)
		return NULL;
	return n->names[tid];
}

/* The fields of a handler's siginfo after its code, each where the
 * layout carries it (siginfo_layout): the sender's pid, and its uid when
 * not 0; a child's status (SIGCHLD's CLD_* codes); the value of a queued
 * or timer signal; a timer's overrun and id. */
/* An I/O signal's siginfo (siginfo_layout's SIL_POLL): SI_SIGIO, or a
 * POLL_* code with SIGIO or a real-time signal, the signals F_SETSIG is
 * used with.  The kernel reads any signal's POLL_* codes so, but a
 * standard signal with code 1..6 is as often a child's exit_signal
 * (CLD_EXITED..), whose siginfo is not one: the trace shows those as
 * before, without band and fd. */
static bool sigpoll_layout(int sig, int code)
{
	if (code == SL_SI_SIGIO)
		return true;
	if (code < SL_POLL_IN || code > SL_POLL_HUP)
		return false;
	return sig == SL_SIGIO || sig >= SL_SIGRTMIN;
}

void sc_render_pipe_end(struct strbuf *b, const struct scenario *s, int pipe, int end)
{
	if (pipe >= 0 && (size_t)pipe < s->npipes)
		sb_addf(b, "%s[%d]", s->pipes[pipe], end);
	else
		sb_add(b, "?");
}

static void render_si_fd(struct strbuf *b, const struct scenario *s, int fd)
{
	if (fd >= SC_PIPE_FD(0, 0) && fd < SC_PIPE_FD_MAX)
		sc_render_pipe_end(b, s, (fd - SC_PIPE_FD(0, 0)) / 2, (fd - SC_PIPE_FD(0, 0)) % 2);
	else
		sb_addf(b, "%d", fd);
}

void sc_render_handler_info(struct strbuf *b, const struct scenario *s, int sig,
			    const struct sl_siginfo *si, const char *pid_name)
{
	bool fault = si->code > SL_SI_USER && si->code < SL_SI_KERNEL;
	bool child = fault && sig == SL_SIGCHLD;

	if (sigpoll_layout(sig, si->code)) {
		sb_addf(b, " band=%lld fd=", (long long)si->band);
		render_si_fd(b, s, si->fd);
		return;
	}

	if (child || (!fault && si->code != SL_SI_TIMER && si->code != SL_SI_SIGIO)) {
		sb_addf(b, " pid=%s", pid_name);
		if (si->uid != 0)
			sb_addf(b, " uid=%u", si->uid);
	}
	if (child)
		sb_addf(b, " status=%d", si->status);
	if (si->code == SL_SI_QUEUE || si->code == SL_SI_TIMER)
		sb_addf(b, " value=%llu", (unsigned long long)si->value);
	if (si->code == SL_SI_TIMER)
		sb_addf(b, " overrun=%d timerid=%d", si->overrun, si->timerid);
	/* the faulting address of an access to an unmapped page; the others
	 * (an instruction's address, a page of the host's) are not the
	 * model's to know */
	if (sig == SL_SIGSEGV && si->code == SL_SEGV_MAPERR)
		sb_addf(b, " addr=%#llx", (unsigned long long)si->addr);
}

static void render_pid(struct strbuf *b, const struct sc_names *n, int pid)
{
	const char *name = sc_task_name(n, pid);

	if (name)
		sb_add(b, name);
	else
		sb_add(b, pid == 0 ? "0" : "?");
}

static void render_exit(struct strbuf *b, const struct sl_event *ev)
{
	struct sl_task_info ti = { .state = SL_TASK_ZOMBIE, .exit_kind = ev->exit_kind,
				   .exit_code = ev->code, .core_dumped = ev->core_dumped };

	sc_render_final(b, &ti);
}

bool sc_render_event(struct strbuf *b, const struct scenario *s,
		     const struct sc_names *n, const struct sl_event *ev)
{
	const char *target = sc_task_name(n, ev->target);

	switch (ev->kind) {
	case SL_EV_GENERATE:
		if (!target)
			return false;
		sb_addf(b, "signal_generate sig=%d errno=%d code=%d comm=%s pid=%s grp=%d res=%d",
			ev->sig, ev->info.errnum, ev->info.code, target, target,
			ev->group ? 1 : 0, ev->result);
		return true;
	case SL_EV_DELIVER:
		sb_addf(b, "signal_deliver sig=%d errno=%d code=%d sa_handler=", ev->sig,
			ev->info.errnum, ev->info.code);
		sc_render_handler_field(b, s, ev->ka.handler);
		sb_addf(b, " sa_flags=%llx",
			(unsigned long long)(ev->ka.flags & ~(uint64_t)SL_SA_RESTORER));
		return true;
	case SL_EV_HANDLER: {
		struct strbuf pid = { 0 };

		sb_add(b, "handler ");
		sc_render_handler_field(b, s, ev->ka.handler);
		sb_addf(b, " sig=%d code=%d", ev->sig, ev->info.code);
		render_pid(&pid, n, ev->info.pid);
		sc_render_handler_info(b, s, ev->sig, &ev->info, sb_str(&pid));
		sb_free(&pid);
		return true;
	}
	case SL_EV_SIGRETURN:
		sb_add(b, "sigreturn");
		return true;
	case SL_EV_LONGJMP:
		sb_add(b, ev->code ? "siglongjmp" : "longjmp");
		return true;
	case SL_EV_STOP:
		sb_add(b, "stopped ");
		sc_render_signal(b, ev->sig);
		return true;
	case SL_EV_CONTINUE:
		sb_add(b, "continued");
		return true;
	case SL_EV_PTRACE_STOP:
		sb_add(b, "traced ");
		sc_render_ptrace_code(b, ev->code);
		return true;
	case SL_EV_EXIT:
		render_exit(b, ev);
		return true;
	case SL_EV_OOPS:
		sb_add(b, "oops: ");
		sc_render_signal(b, ev->sig);
		sb_add(b, " in kernel mode, die()");
		return true;
	case SL_EV_NOTE:
	case SL_EV_SYSCALL_RETURN:	/* the runner renders the call */
		return false;
	}
	return false;
}
