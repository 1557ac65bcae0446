/*
 * The generator's table: one row per statement of the scenario language
 * (src/scenario/stmt_table.def), with how often it is a step, whether it
 * may stand in a handler or repeat body, and the function that writes its
 * arguments; or, for a statement left out, why.  A statement added to the
 * language without a row here is reported by `siglab fuzz --list` and
 * fails `siglab fuzz` (fz_coverage), so the generator keeps up.
 *
 * What is left out, and timing: everything the host cannot run (kernel
 * threads, model wait queues, PTRACE_SYSCALL, which must be model-only
 * because the agents make system calls of their own), and every timed
 * construct without a safe margin.  Timed statements expire after 3 s
 * (300 ms of real time on the host, src/host/timing.h) and ask for an
 * `advance` right after them that ends 1.5 s (150 ms real) past the
 * expiry; periodic timers reload after 100 s, so no second expiry lands
 * near a later step.  A `repeat` sends nothing to other tasks: the
 * target runs on another CPU between two sends of the loop on the real
 * kernel, while the model runs it after the step.
 */
#include <string.h>

#include "fuzzdiff/gen.h"
#include "scenario/ast.h"

#define SEC 1000000000LL
/* Timed statements expire 3 s after they are made (300 ms of real time
 * on the host: the call's own report comes first even on a loaded
 * machine; 1 s was not enough at a load of 13), and the advance after
 * them ends 1.5 s (150 ms real) past the expiry. */
#define TIMED_ADVANCE (3 * SEC + 3 * SEC / 2)

static bool g_simple(struct strbuf *b, const char *text)
{
	sb_add(b, text);
	return true;
}

/* ---- dispositions and masks ---------------------------------------------- */

static const char *pick_handler(struct fz_gen *g)
{
	static const char *h[] = { "h0", "h1", "h2" };
	unsigned r = fz_below(&g->rng, 10);

	if (r == 0)
		return "SIG_DFL";
	if (r == 1)
		return "SIG_IGN";
	return h[fz_below(&g->rng, (unsigned)g->nhandlers)];
}

static bool g_sigaction(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b, long long *a)
{
	static const char *flag[] = { "SA_RESTART", "SA_NODEFER", "SA_RESETHAND", "SA_SIGINFO",
				      "SA_ONSTACK", "SA_NOCLDSTOP", "SA_NOCLDWAIT" };
	(void)t, (void)w, (void)a;
	sb_addf(b, "sigaction %s %s", fz_pick_catchable(g), pick_handler(g));
	if (fz_chance(g, 50)) {
		unsigned n = 0;

		sb_add(b, " flags=");
		for (size_t i = 0; i < sizeof flag / sizeof flag[0]; i++)
			if (fz_chance(g, 25))
				sb_addf(b, "%s%s", n++ ? "|" : "", flag[i]);
		if (!n)
			sb_add(b, "0");
	}
	if (fz_chance(g, 30)) {
		sb_add(b, " mask=");
		fz_put_set(g, b);
	}
	return true;
}

static bool g_signal(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b, long long *a)
{
	(void)t, (void)w, (void)a;
	sb_addf(b, "signal %s %s", fz_pick_catchable(g), pick_handler(g));
	return true;
}

static bool g_sigprocmask(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b,
			  long long *a)
{
	static const char *how[] = { "block", "unblock", "setmask", "block", "unblock" };
	(void)t, (void)w, (void)a;
	sb_addf(b, "sigprocmask %s ", fz_chance(g, 3) ? "7" : how[fz_below(&g->rng, 5)]);
	fz_put_set(g, b);
	return true;
}

static bool g_ssetmask(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b, long long *a)
{
	static const char *s[] = { "{}", "{SIGUSR1}", "SIGUSR2|SIGINT", "{SIGCHLD,SIGTERM}" };
	(void)t, (void)w, (void)a;
	sb_addf(b, "ssetmask %s", s[fz_below(&g->rng, 4)]);
	return true;
}

static bool g_sgetmask(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b, long long *a)
{
	(void)g, (void)t, (void)w, (void)a;
	return g_simple(b, "sgetmask");
}

static bool g_sigpending(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b,
			 long long *a)
{
	(void)g, (void)t, (void)w, (void)a;
	return g_simple(b, "sigpending");
}

/* ---- sending --------------------------------------------------------------- */

static bool g_kill(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b, long long *a)
{
	(void)t, (void)w, (void)a;
	sb_add(b, "kill ");
	fz_put_target(g, b);
	sb_addf(b, " %s", fz_pick_sig(g));
	return true;
}

static bool g_tkill(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b, long long *a)
{
	int x = fz_pick_task(g, false);

	(void)t, (void)w, (void)a;
	if (x < 0)
		return false;
	sb_addf(b, "tkill %s %s", g->task[x].name, fz_pick_sig(g));
	return true;
}

/* A thread group and a thread: mostly one of it, sometimes not. */
static bool put_tg_pair(struct fz_gen *g, struct strbuf *b)
{
	int x = fz_pick_task(g, false);

	if (x < 0)
		return false;
	if (fz_chance(g, 85))
		sb_addf(b, "%s %s", g->task[g->task[x].leader].name, g->task[x].name);
	else
		sb_addf(b, "%s %s", g->task[fz_pick_task(g, true)].name, g->task[x].name);
	return true;
}

static bool g_tgkill(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b, long long *a)
{
	(void)t, (void)w, (void)a;
	sb_add(b, "tgkill ");
	if (!put_tg_pair(g, b))
		return false;
	sb_addf(b, " %s", fz_pick_sig(g));
	return true;
}

static void put_queue_opts(struct fz_gen *g, struct strbuf *b)
{
	static const char *code[] = { "SI_QUEUE", "SI_USER", "SI_KERNEL", "SI_TKILL", "-7" };

	if (fz_chance(g, 50))
		sb_addf(b, " value=%u", fz_below(&g->rng, 100));
	if (fz_chance(g, 30))
		sb_addf(b, " code=%s", code[fz_below(&g->rng, 5)]);
}

static bool g_sigqueue(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b, long long *a)
{
	(void)t, (void)w, (void)a;
	sb_add(b, "sigqueue ");
	fz_put_target(g, b);
	sb_addf(b, " %s", fz_pick_sig(g));
	put_queue_opts(g, b);
	return true;
}

static bool g_tgsigqueue(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b,
			 long long *a)
{
	(void)t, (void)w, (void)a;
	sb_add(b, "tgsigqueue ");
	if (!put_tg_pair(g, b))
		return false;
	sb_addf(b, " %s", fz_pick_sig(g));
	put_queue_opts(g, b);
	return true;
}

static bool g_pidfd_send(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b,
			 long long *a)
{
	int x = fz_pick_task(g, false);

	(void)t, (void)w, (void)a;
	if (x < 0)
		return false;
	sb_addf(b, "pidfd_send %s %s", g->task[x].name, fz_pick_sig(g));
	return true;
}

static bool g_raise(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b, long long *a)
{
	(void)t, (void)w, (void)a;
	sb_addf(b, "raise %s", fz_pick_sig(g));
	return true;
}

/* The faults the host can raise for real (src/host/xlat.c). */
static bool g_fault(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b, long long *a)
{
	static const char *f[] = { "SIGFPE FPE_INTDIV", "SIGSEGV SEGV_MAPERR",
				   "SIGSEGV SEGV_ACCERR", "SIGILL ILL_ILLOPN", "SIGTRAP SI_KERNEL" };
	(void)t, (void)w, (void)a;
	sb_addf(b, "fault %s", f[fz_below(&g->rng, 5)]);
	return true;
}

static bool g_log(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b, long long *a)
{
	(void)t, (void)w, (void)a;
	sb_addf(b, "log \"l%u\"", fz_below(&g->rng, 10));
	return true;
}

static bool g_longjmp(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b, long long *a)
{
	(void)t, (void)a;
	if (w != FZ_IN_BODY)
		return false;
	return g_simple(b, fz_chance(g, 50) ? "longjmp" : "siglongjmp");
}

/* A handler rewriting the mask its sigreturn restores (handler bodies
 * only: outside a handler the statement is a scenario error). */
static bool g_frame_mask(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b,
			 long long *a)
{
	(void)t, (void)a;
	if (w != FZ_IN_BODY)
		return false;
	sb_add(b, "frame_mask ");
	fz_put_set(g, b);
	return true;
}

static bool g_exit(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b, long long *a)
{
	(void)t, (void)w, (void)a;
	sb_addf(b, "%s %u", fz_chance(g, 50) ? "exit" : "exit_group", fz_below(&g->rng, 4));
	return true;
}

/* A statement of a repeat body: one that wakes no other task. */
static void put_quiet_stmt(struct fz_gen *g, int t, struct strbuf *b)
{
	static const fz_stmt_fn quiet[] = { g_raise, g_sigprocmask, g_sigpending, g_log,
					    g_sgetmask, g_fault };
	long long ignored = 0;

	quiet[fz_below(&g->rng, sizeof quiet / sizeof quiet[0])](g, t, FZ_IN_BODY, b, &ignored);
}

static bool g_repeat(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b, long long *a)
{
	long long ignored = 0;

	(void)a;
	if (w != FZ_IN_STEP)
		return false;
	sb_addf(b, "repeat %u { ", 2 + fz_below(&g->rng, 2));
	put_quiet_stmt(g, t, b);
	if (fz_chance(g, 40)) {
		sb_add(b, "; ");
		put_quiet_stmt(g, t, b);
	}
	sb_add(b, " }");
	(void)ignored;
	return true;
}

/* ---- processes ------------------------------------------------------------- */

/* The first task declared forked and not made yet whose creator may be t:
 * a process by any process, a thread by a task of its process. */
static int unmade_for(struct fz_gen *g, int t, bool thread)
{
	for (int i = 0; i < g->ntasks; i++) {
		struct fz_task *x = &g->task[i];

		if (x->forked && !x->made && x->thread == thread &&
		    (!thread || (g->task[x->leader].made && x->leader == g->task[t].leader)))
			return i;
	}
	return -1;
}

static bool g_fork(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b, long long *a)
{
	int k = unmade_for(g, t, false);

	(void)w, (void)a;
	if (k < 0)
		return false;
	g->task[k].made = true;
	g->task[k].uid = g->task[t].uid;
	sb_addf(b, "fork %s", g->task[k].name);
	return true;
}

static bool g_clone(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b, long long *a)
{
	int k = unmade_for(g, t, true);

	(void)w, (void)a;
	if (k >= 0) {
		g->task[k].made = true;
		sb_addf(b, "clone %s", g->task[k].name);
		return true;
	}
	k = unmade_for(g, t, false);
	if (k < 0)
		return false;
	g->task[k].made = true;
	g->task[k].uid = g->task[t].uid;
	sb_addf(b, "clone %s", g->task[k].name);
	if (fz_chance(g, 40))
		sb_add(b, " flags=CLONE_PARENT");
	if (fz_chance(g, 40))
		sb_addf(b, " exit_signal=%s", fz_chance(g, 50) ? "SIGUSR1" : "0");
	return true;
}

static bool g_execve(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b, long long *a)
{
	(void)w, (void)a;
	if (g->task[t].thread)
		return false;
	g->task[t].ntimers = 0;
	return g_simple(b, "execve");
}

static void put_wopts(struct fz_gen *g, struct strbuf *b, bool waitid)
{
	static const char *o[] = { "WUNTRACED", "WCONTINUED", "WNOWAIT", "__WALL" };
	bool any = false;

	if (waitid) {
		sb_add(b, fz_chance(g, 70) ? "WEXITED" : "WSTOPPED");
		any = true;
	}
	if (fz_chance(g, 60)) {
		sb_addf(b, "%sWNOHANG", any ? "|" : "");
		any = true;
	}
	for (size_t i = 0; i < sizeof o / sizeof o[0]; i++)
		if (fz_chance(g, 20)) {
			sb_addf(b, "%s%s", any ? "|" : "", o[i]);
			any = true;
		}
	if (!any)
		sb_add(b, "0");
}

static bool g_wait4(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b, long long *a)
{
	(void)w, (void)a, (void)t;
	sb_add(b, "wait4 ");
	if (fz_chance(g, 50))
		sb_add(b, "-1");
	else
		sb_addf(b, "%s", g->task[fz_pick_task(g, true)].name);
	sb_add(b, " ");
	put_wopts(g, b, false);
	return true;
}

static bool g_waitid(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b, long long *a)
{
	(void)w, (void)a, (void)t;
	sb_add(b, "waitid ");
	if (fz_chance(g, 50))
		sb_add(b, "P_ALL ");
	else
		sb_addf(b, "P_PID %s ", g->task[fz_pick_task(g, true)].name);
	put_wopts(g, b, true);
	return true;
}

static bool g_setpgid(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b, long long *a)
{
	(void)w, (void)a, (void)t;
	sb_addf(b, "setpgid %s %s", fz_chance(g, 30) ? "0" : g->task[fz_pick_task(g, true)].name,
		fz_chance(g, 30) ? "0" : g->task[fz_pick_task(g, true)].name);
	return true;
}

static bool g_getpgid(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b, long long *a)
{
	(void)w, (void)a, (void)t;
	sb_addf(b, "%s %s", fz_chance(g, 50) ? "getpgid" : "getsid",
		g->task[fz_pick_task(g, true)].name);
	return true;
}

static bool g_setsid(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b, long long *a)
{
	(void)g, (void)w, (void)a, (void)t;
	return g_simple(b, "setsid");
}

static bool g_getppid(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b, long long *a)
{
	(void)g, (void)w, (void)a, (void)t;
	return g_simple(b, "getppid");
}

static bool g_prctl(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b, long long *a)
{
	(void)w, (void)a, (void)t;
	if (fz_chance(g, 50))
		sb_addf(b, "prctl PR_SET_PDEATHSIG %s", fz_pick_catchable(g));
	else if (fz_chance(g, 50))
		sb_add(b, "prctl PR_SET_CHILD_SUBREAPER 1");
	else if (fz_chance(g, 50))
		sb_add(b, "prctl PR_GET_DUMPABLE");
	else
		sb_addf(b, "prctl PR_SET_DUMPABLE %u", fz_below(&g->rng, 2));
	return true;
}

/* The user-id calls, with the uids the world uses (0, 1000) and a third
 * (2000), or -1 for "unchanged"; the model's rules decide which succeed. */
static const char *pick_uid(struct fz_gen *g)
{
	static const char *u[] = { "0", "1000", "2000", "-1" };

	return u[fz_below(&g->rng, 4)];
}

static bool g_setuid(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b, long long *a)
{
	(void)w, (void)a;
	/* whatever the call does, the task may no longer be root: no later
	 * step makes it a tracer (g_ptrace), which the host's agents allow
	 * to root alone */
	g->task[t].uid = 1000;
	switch (fz_below(&g->rng, 4)) {
	case 0:
		sb_addf(b, "setuid %s", pick_uid(g));
		break;
	case 1:
		sb_addf(b, "setreuid %s %s", pick_uid(g), pick_uid(g));
		break;
	case 2:
		sb_addf(b, "setresuid %s %s %s", pick_uid(g), pick_uid(g), pick_uid(g));
		break;
	default:
		sb_add(b, "getresuid");
		break;
	}
	return true;
}

/* A wait on no descriptor, without a timeout: like pause, it ends by a
 * signal (with each call's restart rule and temporary mask). */
static bool g_poll(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b, long long *a)
{
	static const char *call[] = { "poll", "ppoll", "select", "pselect6", "epoll_wait",
				      "epoll_pwait" };
	unsigned i = fz_below(&g->rng, 6);

	(void)t, (void)a;
	if (w != FZ_IN_STEP)
		return false;
	sb_add(b, call[i]);
	if (i % 2) {
		sb_add(b, " ");
		fz_put_set(g, b);
	}
	return true;
}

/* Whether process x has (or will have) a second thread. */
static bool has_threads(const struct fz_gen *g, int x)
{
	for (int i = 0; i < g->ntasks; i++)
		if (g->task[i].thread && g->task[i].leader == x)
			return true;
	return false;
}

/* Every request but SYSCALL (model-only) and TRACEME's rarer cousins. */
static bool g_ptrace(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b, long long *a)
{
	static const char *req[] = { "ATTACH", "SEIZE", "CONT", "CONT", "DETACH", "GETSIGINFO",
				     "SETSIGINFO", "INTERRUPT", "LISTEN", "KILL", "SETOPTIONS",
				     "TRACEME", "GETSIGMASK", "SETSIGMASK", "PEEKSIGINFO" };
	const char *r = req[fz_below(&g->rng, sizeof req / sizeof req[0])];
	int x = fz_pick_task(g, true);

	(void)w, (void)a;
	/* Left out, as UNMODELED in src/engine/ptrace.c: a traced thread
	 * that is not its process's leader (the model releases it at once,
	 * the kernel keeps a zombie for the tracer), and a tracer that is
	 * not root (the host's agents are not dumpable, so only
	 * CAP_SYS_PTRACE may trace them); and a tracee with threads: a
	 * traced leader that exits before its threads notifies its tracer
	 * twice on Linux (exit_notify, then release_task), once here.
	 * TRACEME only under a parent that never dies: a tracee whose
	 * tracer became init has its stops reaped by the host's init. */
	if (g->task[t].uid != 0)
		return false;
	if (!strcmp(r, "TRACEME"))
		return g->task[t].ctl_child && g_simple(b, "ptrace TRACEME");
	if (x < 0 || g->task[x].leader == g->task[t].leader || has_threads(g, x))
		return false;
	sb_addf(b, "ptrace %s %s", r, g->task[x].name);
	if (!strcmp(r, "SEIZE") || !strcmp(r, "SETOPTIONS"))
		sb_add(b, fz_chance(g, 50) ? " PTRACE_O_EXITKILL" : " PTRACE_O_TRACEEXEC");
	else if ((!strcmp(r, "CONT") || !strcmp(r, "DETACH")) && fz_chance(g, 40))
		sb_addf(b, " %s", fz_pick_catchable(g));
	else if (!strcmp(r, "SETSIGINFO"))
		sb_addf(b, " %s code=SI_QUEUE value=5", fz_pick_catchable(g));
	else if (!strcmp(r, "SETSIGMASK")) {
		sb_add(b, " ");
		fz_put_set(g, b);
	} else if (!strcmp(r, "PEEKSIGINFO") && fz_chance(g, 50))
		sb_add(b, " SHARED");
	return true;
}

/* ---- sleeping, time, pipes, stacks, signalfd ------------------------------ */

static bool g_pause(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b, long long *a)
{
	(void)t, (void)a;
	if (w != FZ_IN_STEP)
		return false;
	if (fz_chance(g, 50))
		return g_simple(b, "pause");
	sb_add(b, "sigsuspend ");
	fz_put_set(g, b);
	return true;
}

static bool g_sigwait(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b, long long *a)
{
	(void)t;
	if (w != FZ_IN_STEP)
		return false;
	if (fz_chance(g, 50)) {
		sb_add(b, "sigwaitinfo ");
		fz_put_set(g, b);
		return true;
	}
	sb_add(b, "sigtimedwait ");
	fz_put_set(g, b);
	if (fz_chance(g, 50)) {
		sb_add(b, " 0s");	/* a poll: no timing */
	} else {
		sb_add(b, " 3s");
		*a = TIMED_ADVANCE;
	}
	return true;
}

static bool g_read(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b, long long *a)
{
	(void)t, (void)a;
	if (w != FZ_IN_STEP)
		return false;
	sb_addf(b, "read %s", fz_chance(g, 30) ? "signalfd" : fz_chance(g, 50) ? "p0" : "p1");
	return true;
}

static bool g_write(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b, long long *a)
{
	(void)t, (void)w, (void)a;
	sb_addf(b, "write %s \"x\"", fz_chance(g, 50) ? "p0" : "p1");
	return true;
}

static bool g_close(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b, long long *a)
{
	(void)t, (void)w, (void)a;
	sb_addf(b, "close %s %s", fz_chance(g, 50) ? "p0" : "p1",
		fz_chance(g, 50) ? "read" : "write");
	return true;
}

/* An owner (a task or its group), a signal (or 0: SIGIO) or O_ASYNC on or
 * off, on either end: readiness then signals whoever owns the end. */
static bool g_fcntl(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b, long long *a)
{
	int x = fz_pick_task(g, false);

	(void)t, (void)w, (void)a;
	if (x < 0)
		return false;
	sb_addf(b, "fcntl %s %s ", fz_chance(g, 50) ? "p0" : "p1",
		fz_chance(g, 50) ? "read" : "write");
	if (fz_chance(g, 40)) {
		sb_addf(b, "F_SETOWN %s%s", fz_chance(g, 25) ? "-" : "", g->task[x].name);
	} else if (fz_chance(g, 50)) {
		sb_addf(b, "F_SETSIG %s", fz_chance(g, 30) ? "0" : fz_pick_sig(g));
	} else {
		sb_addf(b, "F_SETFL %s", fz_chance(g, 70) ? "O_ASYNC" : "0");
	}
	return true;
}

static bool g_nanosleep(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b,
			long long *a)
{
	(void)t;
	if (w != FZ_IN_STEP)
		return false;
	/* Either it ends inside the advance after it, or so late (10 s of
	 * real time) that it never ends during the scenario. */
	if (fz_chance(g, 50))
		return g_simple(b, "nanosleep 100s");
	sb_add(b, "nanosleep 3s");
	*a = TIMED_ADVANCE;
	return true;
}

static bool g_alarm(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b, long long *a)
{
	(void)t;
	if (w != FZ_IN_STEP)
		return false;
	if (fz_chance(g, 30))
		return g_simple(b, "alarm 0");
	sb_add(b, "alarm 3");
	*a = TIMED_ADVANCE;
	return true;
}

static bool g_setitimer(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b,
			long long *a)
{
	(void)t;
	if (w != FZ_IN_STEP)
		return false;
	if (fz_chance(g, 30))
		return g_simple(b, "setitimer 0s");
	sb_addf(b, "setitimer 3s%s", fz_chance(g, 50) ? " interval=100s" : "");
	*a = TIMED_ADVANCE;
	return true;
}

static bool g_getitimer(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b,
			long long *a)
{
	(void)g, (void)t, (void)w, (void)a;
	return g_simple(b, "getitimer");
}

static bool g_timer_create(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b,
			   long long *a)
{
	(void)w, (void)a;
	if (w != FZ_IN_STEP)
		return false;
	g->task[g->task[t].leader].ntimers++;
	sb_addf(b, "timer_create %s value=%u", fz_pick_catchable(g), fz_below(&g->rng, 10));
	return true;
}

static int pick_timer(struct fz_gen *g, int t)
{
	int n = g->task[g->task[t].leader].ntimers;

	return n ? (int)fz_below(&g->rng, (unsigned)n + 1) : 0;
}

static bool g_timer_settime(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b,
			    long long *a)
{
	if (w != FZ_IN_STEP)
		return false;
	if (fz_chance(g, 30)) {
		sb_addf(b, "timer_settime %d 0s", pick_timer(g, t));
		return true;
	}
	sb_addf(b, "timer_settime %d 3s%s", pick_timer(g, t),
		fz_chance(g, 40) ? " interval=100s" : "");
	*a = TIMED_ADVANCE;
	return true;
}

static bool g_timer_getoverrun(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b,
			       long long *a)
{
	(void)w, (void)a;
	sb_addf(b, "%s %d", fz_chance(g, 70) ? "timer_getoverrun" : "timer_delete",
		pick_timer(g, t));
	return true;
}

static bool g_sigaltstack(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b,
			  long long *a)
{
	static const char *s[] = { "sigaltstack 16384", "sigaltstack 16384 SS_AUTODISARM",
				   "sigaltstack disable", "sigaltstack", "sigaltstack 1024" };
	(void)t, (void)w, (void)a;
	return g_simple(b, s[fz_below(&g->rng, 5)]);
}

static bool g_signalfd(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b,
		       long long *a)
{
	(void)t, (void)w, (void)a;
	sb_add(b, "signalfd ");
	fz_put_set(g, b);
	return true;
}

/* The resources with signal rules, by name. */
static const char *fz_resource(struct fz_gen *g)
{
	static const char *r[] = { "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_CORE",
				   "RLIMIT_SIGPENDING" };
	return r[fz_below(&g->rng, 4)];
}

static bool g_getrlimit(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b,
			long long *a)
{
	(void)t, (void)w, (void)a;
	sb_addf(b, "getrlimit %s", fz_resource(g));
	return true;
}

/* Soft limits only, under the default hard ones, so that no step needs
 * CAP_SYS_RESOURCE (which some hosts' root lacks): FSIZE for SIGXFSZ and
 * EFBIG, CORE for dumps, SIGPENDING 0 for EAGAIN (no other small value:
 * on the host the per-user count is shared with every process of the
 * uid, other runs' too, as for config rlimit_sigpending); CPU never
 * reached (no spin: see its row). */
static bool g_setrlimit(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b,
			long long *a)
{
	static const char *c[] = { "0", "4096", "unlimited" };

	(void)t, (void)w, (void)a;
	switch (fz_below(&g->rng, 4)) {
	case 0:
		sb_addf(b, "setrlimit RLIMIT_FSIZE %u unlimited", fz_below(&g->rng, 2048));
		break;
	case 1:
		sb_addf(b, "setrlimit RLIMIT_CORE %s unlimited", c[fz_below(&g->rng, 3)]);
		break;
	case 2:
		sb_add(b, "setrlimit RLIMIT_SIGPENDING 0 1024");
		break;
	default:
		sb_add(b, "setrlimit RLIMIT_CPU 100 unlimited");
		break;
	}
	return true;
}

/* A query of the caller's own limits or those of a process of its uid:
 * root reaching another uid's needs CAP_SYS_RESOURCE. */
static bool g_prlimit(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b,
		      long long *a)
{
	int x = fz_pick_task(g, true);

	(void)w, (void)a;
	if (x < 0 || g->task[g->task[x].leader].uid != g->task[g->task[t].leader].uid)
		sb_addf(b, "prlimit 0 %s old", fz_resource(g));
	else
		sb_addf(b, "prlimit %s %s NULL old", g->task[x].name, fz_resource(g));
	return true;
}

static bool g_pwrite(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b, long long *a)
{
	(void)t, (void)w, (void)a;
	sb_addf(b, "pwrite %u %u", fz_below(&g->rng, 4096), fz_below(&g->rng, 512));
	return true;
}

/* ---- the terminal ------------------------------------------------------------ */

/* One terminal, t: a session leader (setsid, the SETSID row) takes it
 * with open or tiocsctty; the rest act on it or are refused.  The
 * master's steps (type, resize, hangup) have no task: left out. */
static bool g_tty_open(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b,
		       long long *a)
{
	(void)t, (void)w, (void)a;
	if (fz_chance(g, 30))
		return g_simple(b, "tiocsctty t");
	return g_simple(b, fz_chance(g, 25) ? "open t O_NOCTTY" : "open t");
}

static bool g_tiocnotty(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b,
			long long *a)
{
	(void)g, (void)t, (void)w, (void)a;
	return g_simple(b, "tiocnotty t");
}

/* tcsetpgrp and stty may stop the caller's group (SIGTTOU): steps only. */
static bool g_tcsetpgrp(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b,
			long long *a)
{
	int x = fz_pick_task(g, true);

	(void)t, (void)a;
	if (w != FZ_IN_STEP || x < 0)
		return false;
	sb_addf(b, "tcsetpgrp t %s", g->task[x].name);
	return true;
}

static bool g_tcgetpgrp(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b,
			long long *a)
{
	(void)g, (void)t, (void)w, (void)a;
	return g_simple(b, "tcgetpgrp t");
}

static bool g_stty(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b, long long *a)
{
	static const char *flag[] = { "isig", "-isig", "tostop", "-tostop", "noflsh", "-noflsh" };

	(void)t, (void)a;
	if (w != FZ_IN_STEP)
		return false;
	sb_addf(b, "stty t %s", flag[fz_below(&g->rng, 6)]);
	return true;
}

static bool g_tiocswinsz(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b,
			 long long *a)
{
	(void)t, (void)w, (void)a;
	sb_addf(b, "tiocswinsz t %u 80", 24 + fz_below(&g->rng, 3));
	return true;
}

/* A read sleeps until a line is typed, which nothing here does: it is
 * the background rule's (SIGTTIN) and a signal's to end it. */
static bool g_tty_read(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b,
		       long long *a)
{
	(void)g, (void)t, (void)a;
	if (w != FZ_IN_STEP)
		return false;
	return g_simple(b, "read_tty t");
}

static bool g_tty_write(struct fz_gen *g, int t, enum fz_where w, struct strbuf *b,
			long long *a)
{
	(void)g, (void)t, (void)a;
	if (w != FZ_IN_STEP)
		return false;
	return g_simple(b, "write_tty t \"x\"");
}

const struct fz_stmt_row fz_stmt_rows[] = {
	{ SC_OP_SIGACTION, 14, true, g_sigaction, NULL },
	{ SC_OP_SIGNAL, 3, true, g_signal, NULL },
	{ SC_OP_SIGPROCMASK, 8, true, g_sigprocmask, NULL },
	{ SC_OP_SGETMASK, 1, true, g_sgetmask, NULL },
	{ SC_OP_SSETMASK, 1, true, g_ssetmask, NULL },
	{ SC_OP_SIGPENDING, 2, true, g_sigpending, NULL },
	{ SC_OP_KILL, 16, true, g_kill, NULL },
	{ SC_OP_TKILL, 4, true, g_tkill, NULL },
	{ SC_OP_TGKILL, 4, true, g_tgkill, NULL },
	{ SC_OP_SIGQUEUE, 6, true, g_sigqueue, NULL },
	{ SC_OP_TGSIGQUEUE, 3, true, g_tgsigqueue, NULL },
	{ SC_OP_PIDFD_SEND, 3, true, g_pidfd_send, NULL },
	{ SC_OP_RAISE, 5, true, g_raise, NULL },
	{ SC_OP_FAULT, 2, true, g_fault, NULL },
	{ SC_OP_LOG, 1, true, g_log, NULL },
	{ SC_OP_LONGJMP, 0, true, g_longjmp, NULL },
	{ SC_OP_SIGLONGJMP, 0, false, NULL, "written by the LONGJMP row" },
	{ SC_OP_FRAME_MASK, 0, true, g_frame_mask, NULL },
	{ SC_OP_EXIT, 2, true, g_exit, NULL },
	{ SC_OP_EXIT_GROUP, 0, false, NULL, "written by the EXIT row" },
	{ SC_OP_ALLOW_SIGNAL, 0, false, NULL, "kernel threads only: the host cannot make one" },
	{ SC_OP_REPEAT, 2, false, g_repeat, NULL },
	{ SC_OP_FORK, 8, false, g_fork, NULL },
	{ SC_OP_CLONE, 5, false, g_clone, NULL },
	{ SC_OP_EXECVE, 2, false, g_execve, NULL },
	{ SC_OP_WAIT4, 4, false, g_wait4, NULL },
	{ SC_OP_WAITID, 2, false, g_waitid, NULL },
	{ SC_OP_SETPGID, 2, true, g_setpgid, NULL },
	{ SC_OP_GETPGID, 1, true, g_getpgid, NULL },
	{ SC_OP_SETSID, 1, true, g_setsid, NULL },
	{ SC_OP_GETSID, 0, false, NULL, "written by the GETPGID row" },
	{ SC_OP_GETPPID, 1, true, g_getppid, NULL },
	{ SC_OP_PRCTL, 2, true, g_prctl, NULL },
	{ SC_OP_PTRACE, 6, false, g_ptrace, NULL },
	{ SC_OP_PAUSE, 4, false, g_pause, NULL },
	{ SC_OP_SIGSUSPEND, 0, false, NULL, "written by the PAUSE row" },
	{ SC_OP_SIGTIMEDWAIT, 3, false, g_sigwait, NULL },
	{ SC_OP_SIGWAITINFO, 0, false, NULL, "written by the SIGTIMEDWAIT row" },
	{ SC_OP_READ, 3, false, g_read, NULL },
	{ SC_OP_WRITE, 2, true, g_write, NULL },
	{ SC_OP_CLOSE, 1, true, g_close, NULL },
	{ SC_OP_FCNTL, 2, true, g_fcntl, NULL },
	{ SC_OP_NANOSLEEP, 2, false, g_nanosleep, NULL },
	{ SC_OP_ALARM, 1, false, g_alarm, NULL },
	{ SC_OP_SETITIMER, 1, false, g_setitimer, NULL },
	{ SC_OP_GETITIMER, 1, true, g_getitimer, NULL },
	{ SC_OP_TIMER_CREATE, 2, false, g_timer_create, NULL },
	{ SC_OP_TIMER_SETTIME, 2, false, g_timer_settime, NULL },
	{ SC_OP_TIMER_GETOVERRUN, 1, true, g_timer_getoverrun, NULL },
	{ SC_OP_TIMER_DELETE, 0, false, NULL, "written by the TIMER_GETOVERRUN row" },
	{ SC_OP_SIGALTSTACK, 2, true, g_sigaltstack, NULL },
	{ SC_OP_SIGNALFD, 2, true, g_signalfd, NULL },
	{ SC_OP_GETRLIMIT, 1, true, g_getrlimit, NULL },
	{ SC_OP_SETRLIMIT, 2, true, g_setrlimit, NULL },
	{ SC_OP_PRLIMIT, 1, true, g_prlimit, NULL },
	{ SC_OP_SPIN, 0, false, NULL,
	  "burns real CPU seconds on the host, and moves the model's clock, which the "
	  "host's scaled scenario clock does not follow (host_limits.c)" },
	{ SC_OP_PWRITE, 2, true, g_pwrite, NULL },
	{ SC_OP_ADVANCE, 0, false, NULL, "written after each timed statement, with a safe margin" },
	{ SC_OP_WAIT_EVENT, 0, false, NULL, "a model wait queue: the host cannot run it" },
	{ SC_OP_WAKE_UP, 0, false, NULL, "a model wait queue: the host cannot run it" },
	{ SC_OP_TTY_OPEN, 2, false, g_tty_open, NULL },
	{ SC_OP_TIOCSCTTY, 0, false, NULL, "written by the TTY_OPEN row" },
	{ SC_OP_TIOCNOTTY, 1, false, g_tiocnotty, NULL },
	{ SC_OP_TCSETPGRP, 2, false, g_tcsetpgrp, NULL },
	{ SC_OP_TCGETPGRP, 1, true, g_tcgetpgrp, NULL },
	{ SC_OP_STTY, 1, false, g_stty, NULL },
	{ SC_OP_TIOCSWINSZ, 1, false, g_tiocswinsz, NULL },
	{ SC_OP_TTY_READ, 1, false, g_tty_read, NULL },
	{ SC_OP_TTY_WRITE, 1, false, g_tty_write, NULL },
	{ SC_OP_TYPE, 0, false, NULL,
	  "the master's step has no task, and the generator's steps are a task's (gen.c steps)" },
	{ SC_OP_RESIZE, 0, false, NULL,
	  "the master's step has no task, and the generator's steps are a task's (gen.c steps)" },
	{ SC_OP_HANGUP, 0, false, NULL,
	  "the master's step has no task, and the generator's steps are a task's (gen.c steps)" },
	{ SC_OP_SETUID, 2, false, g_setuid, NULL },
	{ SC_OP_SETREUID, 0, false, NULL, "written by the SETUID row" },
	{ SC_OP_SETRESUID, 0, false, NULL, "written by the SETUID row" },
	{ SC_OP_GETRESUID, 0, false, NULL, "written by the SETUID row" },
	{ SC_OP_POLL, 3, false, g_poll, NULL },
	{ SC_OP_PPOLL, 0, false, NULL, "written by the POLL row" },
	{ SC_OP_SELECT, 0, false, NULL, "written by the POLL row" },
	{ SC_OP_PSELECT6, 0, false, NULL, "written by the POLL row" },
	{ SC_OP_EPOLL_WAIT, 0, false, NULL, "written by the POLL row" },
	{ SC_OP_EPOLL_PWAIT, 0, false, NULL, "written by the POLL row" },
};
const size_t fz_nstmt_rows = sizeof fz_stmt_rows / sizeof fz_stmt_rows[0];
