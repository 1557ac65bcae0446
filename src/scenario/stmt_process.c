/*
 * The process statements of the scenario language: fork and
 * clone of a declared `forked` process, exec, wait4/waitpid, waitid,
 * setpgid, getpgid, setsid, getsid, getppid and prctl.  The grammar is in
 * docs/scenario-language.md.
 */
#include <limits.h>
#include <string.h>

#include "scenario/parser.h"
#include "scenario/render.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct sc_named wait_flags[] = {
	{ "WNOHANG", SL_WNOHANG },	{ "WUNTRACED", SL_WUNTRACED },
	{ "WSTOPPED", SL_WSTOPPED },	{ "WEXITED", SL_WEXITED },
	{ "WCONTINUED", SL_WCONTINUED }, { "WNOWAIT", SL_WNOWAIT },
	{ "__WNOTHREAD", SL___WNOTHREAD }, { "__WALL", SL___WALL },
	{ "__WCLONE", SL___WCLONE },
};

static int p_bits(struct parser *p, const struct sc_named *tab, size_t n, const char *what,
		  uint64_t *out);

/* WOPTS; WSTOPPED is WUNTRACED's other name, and the call's line says
 * the one the scenario wrote (st->wstopped). */
static int p_wait_flags(struct parser *p, struct sc_stmt *st)
{
	size_t start = p->tok.start;

	if (p_bits(p, wait_flags, COUNT(wait_flags), "wait option", &st->flags) < 0)
		return -1;
	for (size_t i = start; i + 8 <= p->prev_end; i++)
		if (!memcmp(p->lx.text + i, "WSTOPPED", 8))
			st->wstopped = true;
	return 0;
}

static const struct sc_named clone_flags[] = {
	{ "CLONE_PARENT", SL_CLONE_PARENT }, { "CLONE_NEWPID", SL_CLONE_NEWPID },
};

static const struct sc_named idtypes[] = {
	{ "P_ALL", SL_P_ALL }, { "P_PID", SL_P_PID }, { "P_PGID", SL_P_PGID },
};

static const struct sc_named prctl_options[] = {
	{ "PR_SET_PDEATHSIG", SL_PR_SET_PDEATHSIG },
	{ "PR_SET_CHILD_SUBREAPER", SL_PR_SET_CHILD_SUBREAPER },
	{ "PR_GET_PDEATHSIG", SL_PR_GET_PDEATHSIG },
	{ "PR_GET_CHILD_SUBREAPER", SL_PR_GET_CHILD_SUBREAPER },
	{ "PR_SET_DUMPABLE", SL_PR_SET_DUMPABLE },
	{ "PR_GET_DUMPABLE", SL_PR_GET_DUMPABLE },
};

/* ptrace requests, with or without their PTRACE_ prefix. */
static const struct sc_named ptrace_requests[] = {
	{ "TRACEME", SL_PTRACE_TRACEME },	{ "CONT", SL_PTRACE_CONT },
	{ "KILL", SL_PTRACE_KILL },		{ "ATTACH", SL_PTRACE_ATTACH },
	{ "DETACH", SL_PTRACE_DETACH },		{ "SYSCALL", SL_PTRACE_SYSCALL },
	{ "SETOPTIONS", SL_PTRACE_SETOPTIONS },	{ "GETSIGINFO", SL_PTRACE_GETSIGINFO },
	{ "SEIZE", SL_PTRACE_SEIZE },		{ "INTERRUPT", SL_PTRACE_INTERRUPT },
	{ "LISTEN", SL_PTRACE_LISTEN },		{ "SETSIGINFO", SL_PTRACE_SETSIGINFO },
	{ "GETSIGMASK", SL_PTRACE_GETSIGMASK },	{ "SETSIGMASK", SL_PTRACE_SETSIGMASK },
	{ "PEEKSIGINFO", SL_PTRACE_PEEKSIGINFO },
};

static int p_peek_args(struct parser *p, struct sc_stmt *st);

static int lookup(struct parser *p, const struct sc_named *tab, size_t n,
		  const char *what, unsigned long *out)
{
	char buf[SC_MAX_IDENT + 1];

	if (p->tok.kind != TK_IDENT)
		return p_expected(p, what);
	for (size_t i = 0; i < n; i++) {
		if (tok_is(&p->lx, &p->tok, tab[i].name)) {
			*out = tab[i].value;
			return p_next(p);
		}
	}
	return p_error(p, "unknown %s '%s'", what, tok_text(&p->lx, &p->tok, buf, sizeof buf));
}

/* NAME|NAME|... or a number (0 for none). */
static int p_bits(struct parser *p, const struct sc_named *tab, size_t n, const char *what,
		  uint64_t *out)
{
	*out = 0;
	for (;;) {
		unsigned long v;
		long long num;

		if (p->tok.kind == TK_INT) {
			if (p_int(p, 0, UINT32_MAX, what, &num) < 0)
				return -1;
			v = (unsigned long)num;
		} else if (lookup(p, tab, n, what, &v) < 0) {
			return -1;
		}
		*out |= v;
		if (p->tok.kind != TK_PIPE)
			return 0;
		if (p_next(p) < 0)
			return -1;
	}
}

static bool at_wait_flag(const struct parser *p)
{
	if (p->tok.kind == TK_INT)
		return true;
	for (size_t i = 0; i < COUNT(wait_flags); i++)
		if (tok_is(&p->lx, &p->tok, wait_flags[i].name))
			return true;
	return false;
}

/* The flags of glibc's pthread_create that the model knows: what
 * `clone THREAD` passes. */
#define THREAD_CLONE_FLAGS (SL_CLONE_VM | SL_CLONE_SIGHAND | SL_CLONE_THREAD)

/* clone THREAD: a thread declared `thread T of P forked` is created by a
 * step of a task of P, as pthread_create does it; it takes no option. */
static int p_clone_thread(struct parser *p, struct sc_stmt *st, struct sc_pos pos)
{
	const char *name = p->s->tasks[st->target.task].name;

	if (st->op == SC_OP_FORK)
		return lex_error(&p->lx, pos, "'%s' is a thread: a thread is created by "
				 "'clone %s', not by fork", name, name);
	if (p->tok.kind == TK_IDENT)
		return p_error(p, "clone of a thread takes no option: it is pthread_create's "
			       "clone(CLONE_VM|CLONE_SIGHAND|CLONE_THREAD)");
	st->flags = THREAD_CLONE_FLAGS;
	st->sig = 0;
	return 0;
}

/* fork CHILD / clone CHILD [flags=...] [exit_signal=SIG] / clone THREAD:
 * only as a step of its own, and only of a task declared `forked`.  Not
 * in a handler or repeat body: a forked task is created exactly once, by
 * one step, and then runs steps of its own; a body may run any number of
 * times (a repeat, a handler taken twice, or never), and a child forked
 * inside a handler would start its life inside that handler's frame,
 * with the handler's mask, where no step can reach it. */
int p_fork_args(struct parser *p, struct sc_stmt *st)
{
	struct sc_pos pos = p->tok.pos;
	char buf[SC_MAX_IDENT + 1];
	bool seen_flags = false, seen_sig = false;

	if (p->depth > 0)
		return p_error(p, "%s is a step of its own, not in a handler or repeat body: "
			       "the task it creates is created exactly once, by one step "
			       "(docs/scenario-language.md, 'Declarations')",
			       sc_op_name(st->op));
	if (p->tok.kind != TK_IDENT)
		return p_expected(p, "the name of a process or thread declared 'forked'");
	st->target.kind = SC_TGT_TASK;
	if (p_task_ref(p, &st->target.task) < 0)
		return -1;
	if (!p->s->tasks[st->target.task].forked)
		return lex_error(&p->lx, pos, "'%s' is not declared 'forked' (%s %s%s forked)",
				 p->s->tasks[st->target.task].name,
				 p->s->tasks[st->target.task].kind == SC_THREAD ? "thread" : "process",
				 p->s->tasks[st->target.task].name,
				 p->s->tasks[st->target.task].kind == SC_THREAD ? " of P" : "");
	if (p->s->tasks[st->target.task].kind == SC_THREAD)
		return p_clone_thread(p, st, pos);
	st->sig = SL_SIGCHLD;
	while (st->op == SC_OP_CLONE && p->tok.kind == TK_IDENT) {
		tok_text(&p->lx, &p->tok, buf, sizeof buf);
		if (!strcmp(buf, "flags") && !seen_flags) {
			seen_flags = true;
			if (p_next(p) < 0 || p_expect(p, TK_EQ, "'='") < 0 ||
			    p_bits(p, clone_flags, COUNT(clone_flags), "clone flag", &st->flags) < 0)
				return -1;
		} else if (!strcmp(buf, "exit_signal") && !seen_sig) {
			seen_sig = true;
			if (p_next(p) < 0 || p_expect(p, TK_EQ, "'='") < 0 ||
			    p_signal(p, &st->sig) < 0)
				return -1;
		} else {
			return p_error(p, "unknown or duplicate option '%s' for clone "
				       "(expected flags= or exit_signal=)", buf);
		}
	}
	return 0;
}

int p_waitid_args(struct parser *p, struct sc_stmt *st)
{
	unsigned long idtype;

	if (lookup(p, idtypes, COUNT(idtypes), "idtype (P_ALL, P_PID or P_PGID)", &idtype) < 0)
		return -1;
	st->how = (int)idtype;
	if (idtype != SL_P_ALL && p_target(p, &st->target) < 0)
		return -1;
	if (p_wait_flags(p, st) < 0)
		return -1;
	if (!tok_is(&p->lx, &p->tok, "prefilled"))
		return 0;
	st->prefill = true;
	return p_next(p);
}

int p_prctl_args(struct parser *p, struct sc_stmt *st)
{
	unsigned long opt;
	long long n;

	if (lookup(p, prctl_options, COUNT(prctl_options), "prctl option", &opt) < 0)
		return -1;
	st->how = (int)opt;
	if (opt == SL_PR_GET_PDEATHSIG || opt == SL_PR_GET_CHILD_SUBREAPER ||
	    opt == SL_PR_GET_DUMPABLE)
		return 0;	/* the value comes back through arg2 */
	if (opt == SL_PR_SET_PDEATHSIG)
		return p_signal(p, &st->sig);
	if (p_int(p, INT_MIN, INT_MAX, "prctl argument", &n) < 0)
		return -1;
	st->num = (long)n;
	return 0;
}

/* ptrace REQUEST [TARGET] [SIG | OPTIONS]: TRACEME takes nothing; CONT,
 * SYSCALL and DETACH an optional signal; SEIZE optional options;
 * SETOPTIONS options. */
int p_ptrace_args(struct parser *p, struct sc_stmt *st)
{
	char buf[SC_MAX_IDENT + 1];
	const char *word;

	if (p->tok.kind != TK_IDENT)
		return p_expected(p, "a ptrace request (ATTACH, SEIZE, CONT, ...)");
	word = tok_text(&p->lx, &p->tok, buf, sizeof buf);
	if (!strncmp(word, "PTRACE_", 7))
		word += 7;
	st->how = -1;
	for (size_t i = 0; i < COUNT(ptrace_requests); i++)
		if (!strcmp(word, ptrace_requests[i].name))
			st->how = (int)ptrace_requests[i].value;
	if (st->how < 0)
		return p_error(p, "unknown ptrace request '%s'", buf);
	if (p_next(p) < 0)
		return -1;
	if (st->how == SL_PTRACE_TRACEME)
		return 0;
	if (p_target(p, &st->target) < 0)
		return -1;
	switch (st->how) {
	case SL_PTRACE_CONT: case SL_PTRACE_SYSCALL: case SL_PTRACE_DETACH:
		if (p->tok.kind == TK_INT || (p->tok.kind == TK_IDENT &&
		    sl_signal_from_name(tok_text(&p->lx, &p->tok, buf, sizeof buf))))
			return p_signal(p, &st->sig);
		return 0;
	case SL_PTRACE_SEIZE:
		if (p->tok.kind != TK_INT && p->tok.kind != TK_IDENT)
			return 0;
		return p_bits(p, sc_ptrace_options, sc_nptrace_options, "ptrace option", &st->flags);
	case SL_PTRACE_SETOPTIONS:
		return p_bits(p, sc_ptrace_options, sc_nptrace_options, "ptrace option", &st->flags);
	case SL_PTRACE_SETSIGINFO:
		if (p_signal(p, &st->sig) < 0)
			return -1;
		return p_options(p, st, "code= or value=");
	case SL_PTRACE_SETSIGMASK:
		return p_set(p, &st->mask);
	case SL_PTRACE_PEEKSIGINFO:
		return p_peek_args(p, st);
	default:
		return 0;
	}
}

/* PEEKSIGINFO TARGET [ "SHARED" | INT ] [ "off=" INT ] [ "nr=" INT ]:
 * the flags (any number, for the kernel's EINVAL), the position and the
 * count (at most SC_MAX_PEEK; -1 for the EINVAL). */
static int p_peek_args(struct parser *p, struct sc_stmt *st)
{
	long long n;

	st->peek_nr = SC_MAX_PEEK;
	if (tok_is(&p->lx, &p->tok, "SHARED") || tok_is(&p->lx, &p->tok, "PTRACE_PEEKSIGINFO_SHARED")) {
		st->flags = SL_PTRACE_PEEKSIGINFO_SHARED;
		if (p_next(p) < 0)
			return -1;
	} else if (p->tok.kind == TK_INT) {
		if (p_int(p, 0, UINT32_MAX, "PEEKSIGINFO flags", &n) < 0)
			return -1;
		st->flags = (uint64_t)n;
	}
	if (tok_is(&p->lx, &p->tok, "off")) {
		if (p_next(p) < 0 || p_expect(p, TK_EQ, "'=' after off") < 0 ||
		    p_int(p, 0, 1000000, "off", &n) < 0)
			return -1;
		st->peek_off = (uint64_t)n;
	}
	if (tok_is(&p->lx, &p->tok, "nr")) {
		if (p_next(p) < 0 || p_expect(p, TK_EQ, "'=' after nr") < 0 ||
		    p_int(p, -1, SC_MAX_PEEK, "nr", &n) < 0)
			return -1;
		st->peek_nr = (int)n;
	}
	return 0;
}

int p_wait4_args(struct parser *p, struct sc_stmt *st)
{
	if (p_target(p, &st->target) < 0)
		return -1;
	if (!at_wait_flag(p))
		return 0;
	return p_wait_flags(p, st);
}

int p_setpgid_args(struct parser *p, struct sc_stmt *st)
{
	if (p_target(p, &st->target) < 0)
		return -1;
	return p_target(p, &st->target2);
}

/* The process a task belongs to: its own index, or a thread's leader. */
static int process_of(const struct scenario *s, int i)
{
	return s->tasks[i].kind == SC_THREAD ? s->tasks[i].leader : i;
}

/* A forked thread is created by a task of its own process. */
static int check_thread_clone(struct parser *p, int i, const struct sc_step *st)
{
	const struct scenario *s = p->s;
	const struct sc_task *t = &s->tasks[i];

	if (process_of(s, st->task) != t->leader)
		return lex_error(&p->lx, st->stmt.pos,
				 "'%s' is a thread of '%s': only a task of '%s' can create it",
				 t->name, s->tasks[t->leader].name, s->tasks[t->leader].name);
	return 0;
}

/* Every `forked` task is forked (a thread: cloned) by exactly one step,
 * before any step of its own.  A forked process is nobody's parent=,
 * pgrp= or in= (those are made before the first step), and its threads
 * are forked too: they are created by steps after its own fork. */
int p_proc_check(struct parser *p)
{
	const struct scenario *s = p->s;

	for (size_t i = 0; i < s->ntasks; i++) {
		const struct sc_task *t = &s->tasks[i];
		int refs[] = { t->leader, t->parent, t->pgrp, t->ns };
		size_t forks = 0, first_fork = 0;

		for (size_t r = 0; r < COUNT(refs); r++) {
			if (refs[r] < 0 || !s->tasks[refs[r]].forked)
				continue;
			if (r == 0 && t->forked)
				continue;	/* a forked thread of a forked process */
			if (r == 0)
				return lex_error(&p->lx, t->pos,
						 "'%s' is a thread of '%s', which does not exist before "
						 "its fork step: declare it 'thread %s of %s forked' and "
						 "create it with a step '%s: clone %s'",
						 t->name, s->tasks[refs[r]].name, t->name,
						 s->tasks[refs[r]].name, s->tasks[refs[r]].name, t->name);
			return lex_error(&p->lx, t->pos,
					 "'%s' refers to '%s', which does not exist before its fork step",
					 t->name, s->tasks[refs[r]].name);
		}
		if (!t->forked)
			continue;
		if (t->uid || t->parent >= 0 || t->pgrp >= 0 || t->ns >= 0)
			return lex_error(&p->lx, t->pos, "a forked process takes no other option: "
					 "its parent, uid, group and namespace are its forker's");
		for (size_t j = 0; j < s->nsteps; j++) {
			const struct sc_step *st = &s->steps[j];

			if ((st->stmt.op == SC_OP_FORK || st->stmt.op == SC_OP_CLONE) &&
			    st->stmt.target.task == (int)i) {
				if (forks++ > 0)
					return lex_error(&p->lx, st->stmt.pos,
							 "'%s' is forked twice", t->name);
				if (t->kind == SC_THREAD && check_thread_clone(p, (int)i, st) < 0)
					return -1;
				first_fork = j;
			} else if (st->task == (int)i && forks == 0) {
				return lex_error(&p->lx, st->stmt.pos,
						 "step for '%s' before the step that forks it", t->name);
			}
		}
		if (forks == 0)
			return lex_error(&p->lx, t->pos,
					 "'%s' is declared forked but no step forks it", t->name);
		if (s->steps[first_fork].task == (int)i)
			return lex_error(&p->lx, s->steps[first_fork].stmt.pos,
					 "'%s' cannot fork itself", t->name);
	}
	return 0;
}

/* The ids of setuid (1), setreuid (2) and setresuid (3): a uid, or -1
 * for "unchanged" ((uid_t)-1, which setuid refuses). */
int p_uid_args(struct parser *p, struct sc_stmt *st)
{
	int n = st->op == SC_OP_SETUID ? 1 : st->op == SC_OP_SETREUID ? 2 : 3;

	for (int i = 0; i < n; i++) {
		long long v;

		if (p_int(p, -1, UINT32_MAX - 1, "uid", &v) < 0)
			return -1;
		st->uids[i] = v < 0 ? UINT32_MAX : (uint32_t)v;
	}
	return 0;
}
