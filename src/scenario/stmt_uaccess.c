/* The pointer and size arguments of the calls that read or write user
 * memory: `bad=PTR` passes an address nothing is mapped at in place of the
 * named pointer, `sigsetsize=N` the rt_* calls' size of a sigset.  Which
 * error a call then returns, and whether its effect happened first, is the
 * order of the kernel's copy_from_user / copy_to_user around the work
 * (docs/scenario-language.md, "Pointers and sizes"). */
#include <string.h>

#include "scenario/parser.h"
#include "scenario/strbuf.h"

/* The pointers of each call, named as the kernel's parameters are. */
static const struct {
	enum sc_op op;
	unsigned ptr;
	const char *name;
} ptr_names[] = {
	{ SC_OP_SIGACTION, SC_PTR_ACT, "act" },
	{ SC_OP_SIGACTION, SC_PTR_OACT, "oact" },
	{ SC_OP_SIGPROCMASK, SC_PTR_SET, "set" },
	{ SC_OP_SIGPROCMASK, SC_PTR_OSET, "oset" },
	{ SC_OP_SIGPENDING, SC_PTR_SET, "set" },
	{ SC_OP_SIGSUSPEND, SC_PTR_SET, "set" },
	{ SC_OP_SIGTIMEDWAIT, SC_PTR_SET, "set" },
	{ SC_OP_SIGTIMEDWAIT, SC_PTR_INFO, "info" },
	{ SC_OP_SIGTIMEDWAIT, SC_PTR_TIMEOUT, "timeout" },
	{ SC_OP_SIGWAITINFO, SC_PTR_SET, "set" },
	{ SC_OP_SIGWAITINFO, SC_PTR_INFO, "info" },
	{ SC_OP_SIGALTSTACK, SC_PTR_SS, "ss" },
	{ SC_OP_SIGALTSTACK, SC_PTR_OSS, "oss" },
	{ SC_OP_SIGQUEUE, SC_PTR_INFO, "info" },
	{ SC_OP_TGSIGQUEUE, SC_PTR_INFO, "info" },
	{ SC_OP_SIGNALFD, SC_PTR_SET, "mask" },
};

unsigned sc_uaccess_ptrs(enum sc_op op)
{
	unsigned m = 0;

	for (size_t i = 0; i < sizeof ptr_names / sizeof ptr_names[0]; i++)
		if (ptr_names[i].op == op)
			m |= ptr_names[i].ptr;
	return m;
}

const char *sc_ptr_name(enum sc_op op, unsigned ptr)
{
	for (size_t i = 0; i < sizeof ptr_names / sizeof ptr_names[0]; i++)
		if (ptr_names[i].op == op && ptr_names[i].ptr == ptr)
			return ptr_names[i].name;
	return "?";
}

/* The calls with a sigsetsize argument: rt_sigaction, rt_sigprocmask,
 * rt_sigpending, rt_sigsuspend, rt_sigtimedwait, signalfd4, and ppoll,
 * pselect6 and epoll_pwait (set_user_sigmask). */
bool sc_uaccess_setsize(enum sc_op op)
{
	switch (op) {
	case SC_OP_SIGACTION:
	case SC_OP_SIGPROCMASK:
	case SC_OP_SIGPENDING:
	case SC_OP_SIGSUSPEND:
	case SC_OP_SIGTIMEDWAIT:
	case SC_OP_SIGWAITINFO:
	case SC_OP_SIGNALFD:
	case SC_OP_PPOLL:
	case SC_OP_PSELECT6:
	case SC_OP_EPOLL_PWAIT:
		return true;
	default:
		return false;
	}
}

uint64_t sc_sigsetsize(const struct sc_stmt *st)
{
	return st->has_setsize ? st->setsize : SC_SIGSETSIZE;
}

bool p_at_uaccess(const struct parser *p, const struct sc_stmt *st)
{
	if (p->tok.kind != TK_IDENT)
		return false;
	if (sc_uaccess_ptrs(st->op) && tok_is(&p->lx, &p->tok, "bad"))
		return true;
	return sc_uaccess_setsize(st->op) && tok_is(&p->lx, &p->tok, "sigsetsize");
}

static int p_bad_ptrs(struct parser *p, struct sc_stmt *st)
{
	char buf[SC_MAX_IDENT + 1];
	unsigned ptrs = sc_uaccess_ptrs(st->op);

	for (;;) {
		unsigned ptr = 0;

		if (p->tok.kind != TK_IDENT)
			return p_expected(p, "a pointer argument's name");
		tok_text(&p->lx, &p->tok, buf, sizeof buf);
		for (unsigned bit = 1; bit && bit <= ptrs; bit <<= 1)
			if ((ptrs & bit) && !strcmp(buf, sc_ptr_name(st->op, bit)))
				ptr = bit;
		if (!ptr)
			return p_error(p, "'%s' is not a pointer argument of %s", buf,
				       sc_op_name(st->op));
		st->bad |= ptr;
		if (p_next(p) < 0)
			return -1;
		if (p->tok.kind != TK_PIPE)
			return 0;
		if (p_next(p) < 0)
			return -1;
	}
}

/* { "bad=" PTR { "|" PTR } | "sigsetsize=" INT }, each at most once, after
 * a statement's other arguments. */
int p_uaccess(struct parser *p, struct sc_stmt *st)
{
	bool seen_bad = false;

	while (p_at_uaccess(p, st)) {
		bool bad = tok_is(&p->lx, &p->tok, "bad");
		long long n;

		if (bad ? seen_bad : st->has_setsize)
			return p_error(p, "duplicate option '%s'", bad ? "bad" : "sigsetsize");
		if (p_next(p) < 0 || p_expect(p, TK_EQ, "'=' after the option name") < 0)
			return -1;
		if (bad) {
			seen_bad = true;
			if (p_bad_ptrs(p, st) < 0)
				return -1;
			continue;
		}
		if (p_int(p, 0, UINT32_MAX, "sigsetsize", &n) < 0)
			return -1;
		st->has_setsize = true;
		st->setsize = (uint64_t)n;
	}
	if (st->null_set && (st->bad & (SC_PTR_ACT | SC_PTR_SET)))
		return p_error(p, "bad= names the pointer this %s passes as NULL",
			       sc_op_name(st->op));
	/* a bad old-value pointer is a place for the old value */
	if (st->bad & (SC_PTR_OACT | SC_PTR_OSET))
		st->want_old = true;
	return 0;
}

/* ", bad=oset, sigsetsize=4" inside the call's parentheses. */
void sc_render_uaccess(struct strbuf *b, const struct sc_stmt *st)
{
	bool first;

	if (!st->bad && !st->has_setsize)
		return;
	if (b->len == 0 || b->s[b->len - 1] != ')')
		return;
	b->s[--b->len] = '\0';
	first = b->len > 0 && b->s[b->len - 1] == '(';
	if (st->bad) {
		const char *sep = "bad=";

		sb_add(b, first ? "" : ", ");
		for (unsigned bit = 1; bit && bit <= st->bad; bit <<= 1) {
			if (!(st->bad & bit))
				continue;
			sb_addf(b, "%s%s", sep, sc_ptr_name(st->op, bit));
			sep = "|";
		}
		first = false;
	}
	if (st->has_setsize)
		sb_addf(b, "%ssigsetsize=%llu", first ? "" : ", ",
			(unsigned long long)st->setsize);
	sb_add(b, ")");
}

