/* How the process statements and their results are written in a
 * trace (docs/trace-format.md): "fork() = child", "wait4(-1, WNOHANG) =
 * child exited 3", "waitid(P_PID, child, WEXITED) = 0 {CLD_EXITED child 3}",
 * "setpgid(child, child) = 0", "prctl(PR_SET_PDEATHSIG, SIGHUP) = 0". */
#include "scenario/render_call.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct sc_named wait_flags[] = {
	{ "WNOHANG", SL_WNOHANG },	{ "WUNTRACED", SL_WUNTRACED },
	{ "WEXITED", SL_WEXITED },	{ "WCONTINUED", SL_WCONTINUED },
	{ "WNOWAIT", SL_WNOWAIT },	{ "__WNOTHREAD", SL___WNOTHREAD },
	{ "__WALL", SL___WALL },	{ "__WCLONE", SL___WCLONE },
};

/* The same, for a call whose scenario wrote WSTOPPED. */
static const struct sc_named wait_flags_stopped[] = {
	{ "WNOHANG", SL_WNOHANG },	{ "WSTOPPED", SL_WSTOPPED },
	{ "WEXITED", SL_WEXITED },	{ "WCONTINUED", SL_WCONTINUED },
	{ "WNOWAIT", SL_WNOWAIT },	{ "__WNOTHREAD", SL___WNOTHREAD },
	{ "__WALL", SL___WALL },	{ "__WCLONE", SL___WCLONE },
};

static void render_wait_flags(struct strbuf *b, const struct sc_stmt *st)
{
	if (st->wstopped)
		sc_render_bits(b, wait_flags_stopped, COUNT(wait_flags_stopped), st->flags);
	else
		sc_render_bits(b, wait_flags, COUNT(wait_flags), st->flags);
}

static const struct sc_named clone_flags[] = {
	{ "CLONE_VM", SL_CLONE_VM },	{ "CLONE_SIGHAND", SL_CLONE_SIGHAND },
	{ "CLONE_PARENT", SL_CLONE_PARENT }, { "CLONE_THREAD", SL_CLONE_THREAD },
	{ "CLONE_NEWPID", SL_CLONE_NEWPID },
};

static const char *const cld_codes[] = {
	[SL_CLD_EXITED] = "CLD_EXITED", [SL_CLD_KILLED] = "CLD_KILLED",
	[SL_CLD_DUMPED] = "CLD_DUMPED", [SL_CLD_TRAPPED] = "CLD_TRAPPED",
	[SL_CLD_STOPPED] = "CLD_STOPPED", [SL_CLD_CONTINUED] = "CLD_CONTINUED",
};

static const struct sc_named ptrace_requests[] = {
	{ "PTRACE_TRACEME", SL_PTRACE_TRACEME },	{ "PTRACE_CONT", SL_PTRACE_CONT },
	{ "PTRACE_KILL", SL_PTRACE_KILL },		{ "PTRACE_ATTACH", SL_PTRACE_ATTACH },
	{ "PTRACE_DETACH", SL_PTRACE_DETACH },		{ "PTRACE_SYSCALL", SL_PTRACE_SYSCALL },
	{ "PTRACE_SETOPTIONS", SL_PTRACE_SETOPTIONS },
	{ "PTRACE_GETSIGINFO", SL_PTRACE_GETSIGINFO },
	{ "PTRACE_SEIZE", SL_PTRACE_SEIZE },		{ "PTRACE_INTERRUPT", SL_PTRACE_INTERRUPT },
	{ "PTRACE_LISTEN", SL_PTRACE_LISTEN },	{ "PTRACE_SETSIGINFO", SL_PTRACE_SETSIGINFO },
	{ "PTRACE_GETSIGMASK", SL_PTRACE_GETSIGMASK },
	{ "PTRACE_SETSIGMASK", SL_PTRACE_SETSIGMASK },
	{ "PTRACE_PEEKSIGINFO", SL_PTRACE_PEEKSIGINFO },
};

const struct sc_named sc_ptrace_options[] = {
	{ "PTRACE_O_TRACESYSGOOD", SL_PTRACE_O_TRACESYSGOOD },
	{ "PTRACE_O_TRACEFORK", SL_PTRACE_O_TRACEFORK },
	{ "PTRACE_O_TRACEVFORK", SL_PTRACE_O_TRACEVFORK },
	{ "PTRACE_O_TRACECLONE", SL_PTRACE_O_TRACECLONE },
	{ "PTRACE_O_TRACEEXEC", SL_PTRACE_O_TRACEEXEC },
	{ "PTRACE_O_TRACEEXIT", SL_PTRACE_O_TRACEEXIT },
	{ "PTRACE_O_EXITKILL", SL_PTRACE_O_EXITKILL },
};
const size_t sc_nptrace_options = sizeof sc_ptrace_options / sizeof sc_ptrace_options[0];

static const char *const ptrace_events[] = {
	[SL_PTRACE_EVENT_FORK] = "PTRACE_EVENT_FORK", [SL_PTRACE_EVENT_VFORK] = "PTRACE_EVENT_VFORK",
	[SL_PTRACE_EVENT_CLONE] = "PTRACE_EVENT_CLONE", [SL_PTRACE_EVENT_EXEC] = "PTRACE_EVENT_EXEC",
	[SL_PTRACE_EVENT_VFORK_DONE] = "PTRACE_EVENT_VFORK_DONE",
	[SL_PTRACE_EVENT_EXIT] = "PTRACE_EVENT_EXIT",
};

void sc_render_ptrace_code(struct strbuf *b, int code)
{
	int event = (code >> 8) & 0xff;

	sc_render_signal(b, code & 0x7f);
	if (code & 0x80)
		sb_add(b, "|0x80");
	if (event == SL_PTRACE_EVENT_STOP)
		sb_add(b, " PTRACE_EVENT_STOP");
	else if (event > 0 && (size_t)event < COUNT(ptrace_events) && ptrace_events[event])
		sb_addf(b, " %s", ptrace_events[event]);
	else if (event)
		sb_addf(b, " event=%d", event);
}

void sc_call_ptrace(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	const char *req = NULL;

	for (size_t i = 0; i < COUNT(ptrace_requests); i++)
		if (ptrace_requests[i].value == (uint64_t)st->how)
			req = ptrace_requests[i].name;
	if (req)
		sb_addf(b, "ptrace(%s", req);
	else
		sb_addf(b, "ptrace(%d", st->how);
	if (st->how == SL_PTRACE_TRACEME) {
		sb_add(b, ")");
		return;
	}
	sb_add(b, ", ");
	sc_render_target(b, s, &st->target);
	switch (st->how) {
	case SL_PTRACE_CONT: case SL_PTRACE_SYSCALL: case SL_PTRACE_DETACH:
		sb_add(b, ", ");
		if (st->sig)
			sc_render_signal(b, st->sig);
		else
			sb_add(b, "0");
		break;
	case SL_PTRACE_SEIZE: case SL_PTRACE_SETOPTIONS:
		sb_add(b, ", ");
		sc_render_bits(b, sc_ptrace_options, sc_nptrace_options, st->flags);
		break;
	case SL_PTRACE_SETSIGINFO:
		sb_add(b, ", {");
		sc_render_signal(b, st->sig);
		sb_addf(b, " code=%d", st->has_code ? st->code : SL_SI_USER);
		if (st->value)
			sb_addf(b, " value=%llu", (unsigned long long)st->value);
		sb_add(b, "})");
		return;
	case SL_PTRACE_SETSIGMASK:
		sb_add(b, ", ");
		sc_render_set(b, st->mask);
		break;
	case SL_PTRACE_PEEKSIGINFO:
		sb_addf(b, ", {off=%llu, flags=", (unsigned long long)st->peek_off);
		if (st->flags == SL_PTRACE_PEEKSIGINFO_SHARED)
			sb_add(b, "SHARED");
		else
			sb_addf(b, "%#llx", (unsigned long long)st->flags);
		sb_addf(b, ", nr=%d}", st->peek_nr);
		break;
	default:
		break;
	}
	sb_add(b, ")");
}

void sc_call_clone(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	(void)s;
	sb_add(b, "clone(");
	sc_render_bits(b, clone_flags, COUNT(clone_flags), st->flags);
	/* a thread reports to nobody: no exit signal */
	if (!(st->flags & SL_CLONE_THREAD)) {
		sb_add(b, ", ");
		sc_render_signal(b, st->sig);
	}
	sb_add(b, ")");
}

void sc_call_wait4(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	sb_add(b, "wait4(");
	sc_render_target(b, s, &st->target);
	sb_add(b, ", ");
	render_wait_flags(b, st);
	sb_add(b, ")");
}

void sc_call_waitid(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	sb_add(b, st->how == SL_P_ALL ? "waitid(P_ALL, " :
		  st->how == SL_P_PID ? "waitid(P_PID, " : "waitid(P_PGID, ");
	if (st->how != SL_P_ALL) {
		sc_render_target(b, s, &st->target);
		sb_add(b, ", ");
	}
	render_wait_flags(b, st);
	sb_add(b, st->prefill ? ", prefilled)" : ")");
}

void sc_call_setpgid(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	sb_add(b, "setpgid(");
	sc_render_target(b, s, &st->target);
	sb_add(b, ", ");
	sc_render_target(b, s, &st->target2);
	sb_add(b, ")");
}

void sc_call_prctl(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	(void)s;
	if (st->how == SL_PR_GET_PDEATHSIG || st->how == SL_PR_GET_CHILD_SUBREAPER) {
		sb_add(b, st->how == SL_PR_GET_PDEATHSIG ? "prctl(PR_GET_PDEATHSIG"
							 : "prctl(PR_GET_CHILD_SUBREAPER");
	} else if (st->how == SL_PR_GET_DUMPABLE) {
		sb_add(b, "prctl(PR_GET_DUMPABLE");
	} else if (st->how == SL_PR_SET_PDEATHSIG) {
		sb_add(b, "prctl(PR_SET_PDEATHSIG, ");
		sc_render_signal(b, st->sig);
	} else {
		sb_addf(b, "prctl(%s, %ld", st->how == SL_PR_SET_DUMPABLE ? "PR_SET_DUMPABLE"
					    : "PR_SET_CHILD_SUBREAPER", st->num);
	}
	sb_add(b, ")");
}

/* "0"; a GET option's value after it: "0 (SIGHUP)", "0 (1)". */
void sc_ret_prctl(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st,
		  const struct sc_result *r)
{
	sc_ret_long(b, s, st, r);
	if (st->how == SL_PR_GET_PDEATHSIG) {
		sb_add(b, " (");
		if (r->status)
			sc_render_signal(b, r->status);
		else
			sb_add(b, "0");
		sb_add(b, ")");
	} else if (st->how == SL_PR_GET_CHILD_SUBREAPER) {
		sb_addf(b, " (%d)", r->status);
	}
}

void sc_render_wait_status(struct strbuf *b, int status)
{
	if ((status & 0x7f) == 0) {
		sb_addf(b, "exited %d", (status >> 8) & 0xff);
	} else if (status == 0xffff) {
		sb_add(b, "continued");
	} else if ((status & 0xff) == 0x7f) {
		sb_add(b, "stopped ");
		sc_render_ptrace_code(b, (status >> 8) & 0xffff);
	} else {
		sb_add(b, "killed ");
		sc_render_signal(b, status & 0x7f);
		if (status & 0x80)
			sb_add(b, " (core dumped)");
	}
}

static void pid_name(struct strbuf *b, long pid, const char *name)
{
	if (name)
		sb_add(b, name);
	else
		sb_add(b, pid == 0 ? "0" : "?");
}

/* A pid as the task it names. */
void sc_ret_pid(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st,
		const struct sc_result *r)
{
	(void)s;
	(void)st;
	pid_name(b, r->ret, r->pid_name);
}

void sc_ret_wait4(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st,
		const struct sc_result *r)
{
	(void)s;
	(void)st;
	pid_name(b, r->ret, r->pid_name);
	if (r->ret > 0) {
		sb_add(b, " ");
		sc_render_wait_status(b, r->status);
	}
}

/* GETSIGINFO shows the siginfo it read. */
void sc_ret_ptrace(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st,
		const struct sc_result *r)
{
	(void)s;
	sb_addf(b, "%ld", r->ret);
	if (st->how == SL_PTRACE_GETSIGINFO && r->ret == 0 && r->has_info) {
		sb_add(b, " {");
		sc_render_signal(b, r->info.signo);
		sb_addf(b, " code=%d", r->info.code);
		if (r->info.code <= 0)
			sb_addf(b, " pid=%s", r->info_pid_name ? r->info_pid_name
					     : r->info.pid ? "?" : "0");
		sb_add(b, "}");
	}
	if (st->how == SL_PTRACE_GETSIGMASK && r->ret == 0) {
		sb_add(b, " (");
		sc_render_set(b, r->set);
		sb_add(b, ")");
	}
	if (st->how == SL_PTRACE_PEEKSIGINFO && r->ret >= 0) {
		sb_add(b, " [");
		for (long i = 0; i < r->ret && i < SC_MAX_PEEK; i++) {
			sb_add(b, i ? ", " : "");
			sc_render_signal(b, r->peek[i].signo);
			sb_addf(b, " code=%d", r->peek[i].code);
			if (r->peek[i].code <= 0)
				sb_addf(b, " pid=%s", r->peek_pid_name[i] ? r->peek_pid_name[i]
						      : r->peek[i].pid ? "?" : "0");
			if (r->peek[i].code == SL_SI_QUEUE)
				sb_addf(b, " value=%llu", (unsigned long long)r->peek[i].value);
		}
		sb_add(b, "]");
	}
}

/* The siginfo waitid filled: "{CLD_EXITED kid 3}", "{}" when none. */
void sc_ret_waitid(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st,
		const struct sc_result *r)
{
	(void)s;
	(void)st;
	sb_addf(b, "%ld {", r->ret);
	if (r->wcode > 0 && (size_t)r->wcode < COUNT(cld_codes) && cld_codes[r->wcode]) {
		sb_addf(b, "%s ", cld_codes[r->wcode]);
		pid_name(b, 1, r->wpid_name);
		sb_add(b, " ");
		if (r->wcode == SL_CLD_EXITED)
			sb_addf(b, "%d", r->wstatus);
		else if (r->wcode == SL_CLD_TRAPPED)
			sc_render_ptrace_code(b, r->wstatus);
		else
			sc_render_signal(b, r->wstatus);
	}
	sb_add(b, "}");
}

/* "setresuid(1000, -1, 0)" */
void sc_call_uids(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st)
{
	int n = st->op == SC_OP_SETUID ? 1 : st->op == SC_OP_SETREUID ? 2 : 3;

	(void)s;
	sb_addf(b, "%s(", sc_op_name(st->op));
	for (int i = 0; i < n; i++) {
		if (i)
			sb_add(b, ", ");
		if (st->uids[i] == UINT32_MAX)
			sb_add(b, "-1");
		else
			sb_addf(b, "%u", st->uids[i]);
	}
	sb_add(b, ")");
}

/* "0 (ruid=1000 euid=0 suid=0)" */
void sc_ret_getresuid(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st,
		      const struct sc_result *r)
{
	sc_ret_long(b, s, st, r);
	sb_addf(b, " (ruid=%u euid=%u suid=%u)", r->uids[0], r->uids[1], r->uids[2]);
}
