/*
 * The agent every scenario task runs on the host: it waits for a command
 * from the controller on its own pipe, performs the step's real system call
 * (raw, so that glibc adds nothing), and reports over the shared report
 * pipe.  Its signal handlers are real handlers that carry out the scenario
 * handler's body and report what they saw.
 *
 * Everything an agent does between reading a command and reporting is
 * async-signal-safe: raw system calls, writes of fixed-size records, and
 * siglongjmp to jump points kept per handler depth.  An agent never sends a
 * signal the scenario did not ask for.
 *
 * State is per process (inherited from the controller by fork) and per
 * thread (each scenario thread is a real thread): the only globals of
 * siglab, because a signal handler has no other way to reach them.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include "host/internal.h"
#include "host/timing.h"
#include "scenario/render.h"

static const struct agent_env *env;

/* Per thread: which task this thread is, and where its handlers stand. */
static _Thread_local int my_task = -1;
static _Thread_local int my_depth;
static _Thread_local int my_step = -1;
static _Thread_local int my_seq;
/* A forked agent (or a thread created by a clone step) tells its creator
 * it is ready (after its HELLO) here. */
static _Thread_local int fork_sync_fd = -1;
/* Where a jump out of a handler entered at depth d lands: the statement
 * loop that was running at depth d. */
static _Thread_local sigjmp_buf *jump_point[HOST_MAX_DEPTH + 1];
/* The mask in force before the frame of the handler entered at depth d
 * (what rt_sigreturn would restore), for siglongjmp. */
static _Thread_local uint64_t frame_mask[HOST_MAX_DEPTH + 1];
/* The ucontext of the handler entered at depth d, for frame_mask. */
static _Thread_local ucontext_t *frame_uc[HOST_MAX_DEPTH + 1];

static void run_stmts(const struct sc_stmt *body, size_t n);
static void agent_loop(int task) __attribute__((noreturn));

/* ---- reports ------------------------------------------------------------ */

static size_t fmt_int(char *p, long v)
{
	char tmp[24];
	size_t n = 0, len = 0;
	unsigned long u = v < 0 ? (unsigned long)-v : (unsigned long)v;

	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		p[len++] = '-';
	while (n)
		p[len++] = tmp[--n];
	return len;
}

/* Sends a report; returns its sequence number.  With a trace instance, a
 * marker goes into the trace first, so that the report takes its place
 * among the kernel's own events. */
int agent_report(struct report *r, bool mark)
{
	r->task = my_task;
	r->seq = __atomic_fetch_add(&my_seq, 1, __ATOMIC_RELAXED);
	r->depth = my_depth;
	r->step = my_step;
	r->ts = xlat_now_ns();
	if (mark && env->use_marker && env->marker_fd >= 0) {
		char m[48] = "siglab ";
		size_t n = 7;

		n += fmt_int(m + n, r->task);
		m[n++] = ' ';
		n += fmt_int(m + n, r->seq);
		m[n++] = '\n';
		(void)xlat_syscall(SYS_write, env->marker_fd, (long)m, (long)n, 0);
	}
	(void)xlat_syscall(SYS_write, env->report_fd, (long)r, sizeof *r, 0);
	return r->seq;
}

static void report_kind(enum rep_kind kind)
{
	struct report r;

	memset(&r, 0, sizeof r);
	r.kind = kind;
	agent_report(&r, kind != REP_DONE && kind != REP_END && kind != REP_HELLO);
}

/* ---- handlers ----------------------------------------------------------- */

/* A fault signal's siginfo carries an address where others carry a pid
 * (siginfo_layout: codes between SI_USER and SI_KERNEL are the kernel's
 * own, and only SIGCHLD's carry a pid; SI_KERNEL itself is a kill
 * layout, with whatever pid a sender put there). */
static bool info_has_pid(int sig, int code)
{
	if (code > SL_SI_USER && code < SL_SI_KERNEL)
		return sig == SL_SIGCHLD;
	return true;
}

/* The scenario's uid of a host uid (the run's base + N is N); a uid
 * outside the run's block (the controller's 0, a forged one) is itself. */
uint32_t agent_scenario_uid(uint32_t uid)
{
	return uid - env->uid_base < HOST_UID_SPAN ? uid - env->uid_base : uid;
}

uint32_t agent_host_uid(uint32_t uid)
{
	return env->uid_base + uid;
}

/* si_uid where the layout has a sender, si_status of a child's SIGCHLD,
 * si_overrun and si_timerid of a timer's (the kernel's siginfo_layout). */
void agent_take_siginfo(struct report *r, const siginfo_t *si)
{
	bool fault = si->si_code > SI_USER && si->si_code < SI_KERNEL;

	if (fault ? si->si_signo == SIGCHLD : si->si_code != SI_TIMER)
		r->info_uid = agent_scenario_uid(si->si_uid);
	if (fault && si->si_signo == SIGCHLD)
		r->info_status = si->si_status;
	if (si->si_code == SI_TIMER) {
		r->overrun = si->si_overrun;
		r->info_timerid = si->si_timerid;
	}
	/* SIL_POLL's fields; the renderer shows them for that layout only */
	r->info_band = si->si_band;
	r->info_fd = agent_scenario_fd(env ? env->time : NULL, si->si_fd);
	if (fault && si->si_signo == SIGSEGV)
		r->info_addr = (uint64_t)(uintptr_t)si->si_addr;
}

static void on_signal(int h, int sig, siginfo_t *si, void *ucv)
{
	const struct sc_handler *hd = &env->s->handlers[h];
	ucontext_t *uc = ucv;
	int d = my_depth;
	struct report r;

	memset(&r, 0, sizeof r);
	r.kind = REP_HANDLER;
	r.handler = h;
	r.sig = sig;
	r.code = si->si_code;
	r.pid = info_has_pid(sig, si->si_code) ? si->si_pid : 0;
	r.value = (uint64_t)(uintptr_t)si->si_value.sival_ptr;
	agent_take_siginfo(&r, si);
	agent_report(&r, true);
	if (d >= HOST_MAX_DEPTH) {
		memset(&r, 0, sizeof r);
		r.kind = REP_FAIL;
		r.err = E2BIG;
		agent_report(&r, false);
		(void)xlat_syscall(SYS_exit_group, 125, 0, 0, 0);
	}
	memcpy(&frame_mask[d], &uc->uc_sigmask, sizeof frame_mask[d]);
	frame_uc[d] = uc;
	my_depth = d + 1;
	run_stmts(hd->body, hd->nbody);
	my_depth = d;
	report_kind(REP_SIGRETURN);
}

/* Two real functions per scenario handler: the one installed when the
 * scenario asked for SA_SIGINFO and the one installed when it did not.  Both
 * are installed with SA_SIGINFO (to read si_code and si_pid); the controller
 * removes that flag from signal_deliver lines for the second kind. */
#define HANDLER_PAIR(i)                                                        \
	static void h_info_##i(int sig, siginfo_t *si, void *uc)               \
	{ on_signal(i, sig, si, uc); }                                         \
	static void h_plain_##i(int sig, siginfo_t *si, void *uc)              \
	{ on_signal(i, sig, si, uc); __asm__ volatile("" ::: "memory"); }
HANDLER_PAIR(0) HANDLER_PAIR(1) HANDLER_PAIR(2) HANDLER_PAIR(3)
HANDLER_PAIR(4) HANDLER_PAIR(5) HANDLER_PAIR(6) HANDLER_PAIR(7)
HANDLER_PAIR(8) HANDLER_PAIR(9) HANDLER_PAIR(10) HANDLER_PAIR(11)
HANDLER_PAIR(12) HANDLER_PAIR(13) HANDLER_PAIR(14) HANDLER_PAIR(15)
HANDLER_PAIR(16) HANDLER_PAIR(17) HANDLER_PAIR(18) HANDLER_PAIR(19)
HANDLER_PAIR(20) HANDLER_PAIR(21) HANDLER_PAIR(22) HANDLER_PAIR(23)
HANDLER_PAIR(24) HANDLER_PAIR(25) HANDLER_PAIR(26) HANDLER_PAIR(27)
HANDLER_PAIR(28) HANDLER_PAIR(29) HANDLER_PAIR(30) HANDLER_PAIR(31)
#undef HANDLER_PAIR

typedef void (*handler_fn)(int, siginfo_t *, void *);
#define P(i) { h_info_##i, h_plain_##i }
static const handler_fn handler_fns[HOST_MAX_HANDLERS][2] = {
	P(0), P(1), P(2), P(3), P(4), P(5), P(6), P(7), P(8), P(9), P(10),
	P(11), P(12), P(13), P(14), P(15), P(16), P(17), P(18), P(19), P(20),
	P(21), P(22), P(23), P(24), P(25), P(26), P(27), P(28), P(29), P(30),
	P(31),
};
#undef P

int agent_handler_index(uint64_t addr, bool *info)
{
	for (int i = 0; i < HOST_MAX_HANDLERS; i++)
		for (int k = 0; k < 2; k++)
			if ((uint64_t)(uintptr_t)handler_fns[i][k] == addr) {
				*info = k == 0;
				return i;
			}
	return -1;
}

uint64_t agent_handler_value(int h, uint64_t flags)
{
	if (h == SC_HANDLER_DFL)
		return SL_SIG_DFL;
	if (h == SC_HANDLER_IGN)
		return SL_SIG_IGN;
	return (uint64_t)(uintptr_t)handler_fns[h][(flags & SL_SA_SIGINFO) ? 0 : 1];
}

/* The old handler as a result, in the scenario's handler values
 * (scenario/render.h): SIG_DFL, SIG_IGN or SC_HANDLER_VALUE(index). */
int64_t agent_handler_result(uint64_t addr)
{
	bool info;
	int h;

	if (addr == SL_SIG_DFL || addr == SL_SIG_IGN)
		return (int64_t)addr;
	h = agent_handler_index(addr, &info);
	return h < 0 ? -SL_EFAULT : (int64_t)SC_HANDLER_VALUE(h);
}

/* ---- statements --------------------------------------------------------- */

/* Task `task`'s pid (tid) as this agent's namespace numbers it: its pid
 * in the scenario's namespace, or in the nested namespace both live in;
 * a task this agent cannot see (or not yet forked) is nobody. */
int32_t agent_seen_pid(int task, bool tid)
{
	int32_t mine = env->ns_of ? env->ns_of[my_task] : -1;
	int32_t v;

	if (mine < 0)
		v = tid ? env->ns_tid[task] : env->ns_pid[task];
	else if (env->ns_of[task] == mine)
		v = tid ? env->in_tid[task] : env->in_pid[task];
	else
		v = 0;
	return v ? v : SC_NOBODY_PID;
}

/* The reverse, for a pid this agent got back: the scenario namespace's
 * number for it (what the controller keys tasks on). */
int32_t agent_scenario_pid(int32_t pid)
{
	int32_t mine = env->ns_of ? env->ns_of[my_task] : -1;

	if (mine < 0 || pid <= 0)
		return pid;
	for (size_t i = 0; i < env->s->ntasks; i++)
		if (env->ns_of[i] == mine && env->in_pid[i] == pid)
			return env->ns_pid[i];
	return -1;
}

int32_t agent_target_pid(const struct sc_target *t)
{
	switch (t->kind) {
	case SC_TGT_TASK:
		/* a forked task before its fork names nobody yet */
		return agent_seen_pid(t->task, true);
	case SC_TGT_PGRP:
		return -agent_seen_pid(t->task, false);
	case SC_TGT_NUM:
		return (int32_t)t->num;
	case SC_TGT_NOBODY:
		return SC_NOBODY_PID;
	case SC_TGT_NONE:
	default:
		return 0;
	}
}

int32_t agent_target_tgid(const struct sc_target *t)
{
	if (t->kind == SC_TGT_TASK)
		return agent_seen_pid(t->task, false);
	return agent_target_pid(t);
}

/* (sig)longjmp out of a handler: the jump buffer is in the task's own
 * code, set before the statement the first handler interrupted, so every
 * frame is left (one report each, innermost first) and the task goes on
 * with the statement after that one.  siglongjmp restores the mask saved
 * with the buffer: the one in force before the outermost frame. */
static void op_jump(bool restore_mask)
{
	if (my_depth <= 0 || !jump_point[0])
		return;
	while (my_depth > 0) {
		my_depth--;
		report_kind(restore_mask ? REP_SIGLONGJMP : REP_LONGJMP);
	}
	if (restore_mask)
		(void)xlat_rt_sigprocmask(SL_SIG_SETMASK, &frame_mask[0], NULL);
	siglongjmp(*jump_point[0], 1);
}

/* (sig)longjmp at depth 0 (not in a handler): nothing to leave. */
static int64_t agent_op_jump(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	(void)e;
	(void)end;
	op_jump(st->op == SC_OP_SIGLONGJMP);
	return 0;
}

static int64_t agent_op_repeat(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	(void)e;
	(void)end;
	for (long i = 0; i < st->num; i++)
		run_stmts(st->body, st->nbody);
	return 0;
}

/* Returns only when execve fails: the new image reports the END
 * (agent_resume); end->ref is the BEGIN's sequence number. */
static int64_t agent_op_execve(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	(void)st;
	return agent_execve(e, my_task, my_seq, my_step, end->ref);
}

/* log: the agent only reports it. */
/* frame_mask SET: the first 64 bits of uc_sigmask are the kernel's
 * sigset, which rt_sigreturn reads back. */
static int64_t agent_op_frame_mask(const struct agent_env *e, const struct sc_stmt *st,
				   struct report *end)
{
	uint64_t set = st->mask;

	(void)e;
	(void)end;
	if (my_depth > 0 && frame_uc[my_depth - 1])
		memcpy(&frame_uc[my_depth - 1]->uc_sigmask, &set, sizeof set);
	return 0;
}

static int64_t agent_op_none(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	(void)e;
	(void)st;
	(void)end;
	return 0;
}

/* The real call of each statement, the AGENT column of
 * scenario/stmt_table.def: its value, and in *end what came with it. */
typedef int64_t agent_op_fn(const struct agent_env *e, const struct sc_stmt *st,
			    struct report *end);
static agent_op_fn *const agent_ops[SC_OP_COUNT] = {
#define SC_STMT(op, keyword, name, kind, flags, synopsis, parse, call, result, sim, agent) \
	[SC_OP_##op] = agent,
#include "scenario/stmt_table.def"
};

static void exec_stmt(const struct sc_stmt *st)
{
	struct report r;
	int begin;

	if ((st->op == SC_OP_LONGJMP || st->op == SC_OP_SIGLONGJMP) && my_depth > 0) {
		op_jump(st->op == SC_OP_SIGLONGJMP);
		return;
	}
	memset(&r, 0, sizeof r);
	r.kind = REP_BEGIN;
	r.stmt_id = host_stmt_id(env->s, st);
	/* a write's EPIPE, known before its SIGPIPE may kill the writer */
	if (st->op == SC_OP_WRITE)
		r.result = agent_write_foresee(env, st);
	/* ssetmask's value is the mask before it: known before the call, in
	 * case the call's new mask lets in a signal that kills the task on
	 * its way out (host_render.c) */
	if (st->op == SC_OP_SSETMASK)
		r.value = (uint64_t)agent_op_sgetmask(env, st, &r);
	begin = agent_report(&r, true);
	r.result = 0;
	r.stmt_id = 0;
	r.ref = begin;
	if ((unsigned)st->op < SC_OP_COUNT && agent_ops[st->op])
		r.result = agent_ops[st->op](env, st, &r);
	r.kind = REP_END;
	/* A call that may block returns where the trace says it does. */
	agent_report(&r, sc_op_may_block(st->op));
}

/* Runs statements at the current depth.  A handler left by a jump lands
 * here and the loop goes on with the statement after the interrupted one. */
static void run_stmts(const struct sc_stmt *body, size_t n)
{
	sigjmp_buf buf;
	int d = my_depth;
	sigjmp_buf *volatile saved = jump_point[d];
	volatile size_t i;

	for (i = 0; i < n; i++) {
		if (sigsetjmp(buf, 0) == 0) {
			jump_point[d] = &buf;
			exec_stmt(&body[i]);
		}
	}
	jump_point[d] = saved;
}

/* ---- the command loop --------------------------------------------------- */

static void fail(int err)
{
	struct report r;

	memset(&r, 0, sizeof r);
	r.kind = REP_FAIL;
	r.err = err;
	agent_report(&r, false);
}

/* The pid one level below the controller's namespace (the scenario's) in
 * /proc/thread-self/status's NStgid: or NSpid: line; `dflt` if unreadable. */
static int32_t ns_level_pid(const char *key, int32_t dflt)
{
	char buf[2048], *p, *end;
	long fd = xlat_syscall(SYS_open, (long)"/proc/thread-self/status", O_RDONLY | O_CLOEXEC, 0, 0);
	long n;

	if (fd < 0)
		return dflt;
	n = xlat_syscall(SYS_read, fd, (long)buf, sizeof buf - 1, 0);
	(void)xlat_syscall(SYS_close, fd, 0, 0, 0);
	if (n <= 0)
		return dflt;
	buf[n] = '\0';
	p = strstr(buf, key);
	if (!p)
		return dflt;
	p += strlen(key);
	(void)strtol(p, &end, 10);	/* the controller's view */
	if (end == p)
		return dflt;
	p = end;
	n = strtol(p, &end, 10);	/* the scenario's */
	return end == p ? dflt : (int32_t)n;
}

static void hello(void)
{
	char link[64];
	struct report r;
	ssize_t n;
	char *slash;

	memset(&r, 0, sizeof r);
	r.kind = REP_HELLO;
	r.ns_pid = (int32_t)xlat_syscall(SYS_getpid, 0, 0, 0, 0);
	r.ns_tid = (int32_t)xlat_syscall(SYS_gettid, 0, 0, 0, 0);
	/* In a nested namespace getpid() is the inner pid: the scenario's
	 * namespace numbers the task as /proc's NStgid/NSpid say. */
	if (env->ns_of && env->ns_of[my_task] >= 0) {
		r.in_pid = r.ns_pid;
		r.in_tid = r.ns_tid;
		r.ns_pid = ns_level_pid("NStgid:", r.ns_pid);
		r.ns_tid = ns_level_pid("NSpid:", r.ns_tid);
	}
	env->ns_pid[my_task] = r.ns_pid;
	env->ns_tid[my_task] = r.ns_tid;
	if (env->in_pid) {
		env->in_pid[my_task] = r.in_pid;
		env->in_tid[my_task] = r.in_tid;
	}
	/* /proc belongs to the controller's namespace: its thread-self link
	 * gives our pids as the controller and the tracepoints see them. */
	n = readlink("/proc/thread-self", link, sizeof link - 1);
	if (n > 0) {
		link[n] = '\0';
		r.g_pid = (int32_t)strtol(link, &slash, 10);
		slash = strrchr(link, '/');
		r.g_tid = slash ? (int32_t)strtol(slash + 1, NULL, 10) : 0;
	}
	r.img = (uint64_t)(uintptr_t)agent_handler_index;
	agent_report(&r, false);
}


static void *thread_start(void *arg)
{
	agent_loop((int)(intptr_t)arg);
}

static void setup_process(int task, int pgid)
{
	const struct scenario *s = env->s;

	xlat_reset_signals();
	/* The controller's output and lifeline are not the agent's. */
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		(void)dup2(null, 0);
		(void)dup2(null, 1);
		(void)dup2(null, 2);
		close(null);
	}
	if (env->lifeline_wr >= 0)
		close(env->lifeline_wr);
	if (env->lifeline_rd >= 0)
		close(env->lifeline_rd);
	if (setpgid(0, pgid) < 0)
		fail(errno);
	(void)prctl(PR_SET_NAME, s->tasks[task].name, 0, 0, 0);
	/* Not dumpable, so that no Core action writes a file, unless the
	 * scenario states dumpability or RLIMIT_CORE (host_core_dumps): then
	 * a forked agent keeps its parent's flag, as fork does. */
	if (!host_core_dumps(s))
		(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

/* The limits of a process the scenario declares: the model's defaults
 * (engine/rlimit.c rlimit_init) for the limits scenarios can state; a
 * forked agent inherits its parent's.  Its working directory is the
 * run's private one, where its core files and the scenario's regular
 * file are (host_limits.c). */
static void setup_limits(void)
{
	const struct scenario *s = env->s;
	struct rlimit rl;

	rl.rlim_cur = rl.rlim_max = s->rlimit_sigpending ? s->rlimit_sigpending
							  : SL_DEFAULT_RLIMIT_SIGPENDING;
	(void)setrlimit(RLIMIT_SIGPENDING, &rl);
	rl.rlim_cur = rl.rlim_max = RLIM_INFINITY;
	(void)setrlimit(RLIMIT_CPU, &rl);
	(void)setrlimit(RLIMIT_FSIZE, &rl);
	rl.rlim_cur = 0;
	(void)setrlimit(RLIMIT_CORE, &rl);
	if (env->dir[0] && chdir(env->dir) < 0)
		fail(errno);
}

/* Takes the scenario's credentials for this thread (credentials are per
 * thread; glibc's setuid would signal every thread to do it, and our
 * threads have no handler for that signal).  Raw system calls only. */
static long take_creds(int task)
{
	const struct scenario *s = env->s;
	const struct sc_task *t = &s->tasks[task];
	uint32_t uid = agent_host_uid(s->tasks[t->kind == SC_THREAD ? t->leader : task].uid);
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct caps[2];
	uint32_t kill = (uint32_t)1 << CAP_KILL, admin = (uint32_t)1 << CAP_SYS_ADMIN;
	/* root may ptrace (the agents are not dumpable: without
	 * CAP_SYS_PTRACE even their own uid could not attach) */
	uint32_t ptrace_cap = (uint32_t)1 << CAP_SYS_PTRACE;
	/* and may change its uids (setuid steps: agent_cred.c) */
	uint32_t setuid_cap = (uint32_t)1 << CAP_SETUID;
	long r;

	memset(caps, 0, sizeof caps);
	/* root: CAP_KILL, and CAP_SYS_ADMIN kept for clone(CLONE_NEWPID)
	 * steps only (admin_effective) */
	/* root raises hard limits and changes others' (CAP_SYS_RESOURCE),
	 * where the host's bounding set has it (host_needs_sys_resource) */
	uint32_t resource = xlat_syscall(SYS_prctl, PR_CAPBSET_READ, CAP_SYS_RESOURCE, 0, 0) == 1
				    ? (uint32_t)1 << CAP_SYS_RESOURCE : 0;

	if (s->tasks[t->kind == SC_THREAD ? t->leader : task].uid == 0) {
		caps[0].effective = kill | ptrace_cap | resource | setuid_cap;
		caps[0].permitted = caps[0].inheritable =
			kill | admin | ptrace_cap | resource | setuid_cap;
	}
	r = xlat_syscall(SYS_prctl, PR_SET_KEEPCAPS, 1, 0, 0);
	if (r == 0)
		r = xlat_syscall(SYS_setgroups, 0, 0, 0, 0);
	if (r == 0)
		r = xlat_syscall(SYS_setresgid, uid, uid, uid, 0);
	if (r == 0)
		r = xlat_syscall(SYS_setresuid, uid, uid, uid, 0);
	if (r == 0)
		r = xlat_syscall(SYS_capset, (long)&hdr, (long)caps, 0, 0);
	/* ambient, so that all three survive an exec step (agent_exec.c;
	 * the new image lowers CAP_SYS_ADMIN again in agent_resume); a root
	 * process that had exec'd could not trace a child it forked after
	 * (found by siglab fuzz) */
	if (r == 0 && caps[0].permitted)
		r = xlat_syscall(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_KILL, 0);
	if (r == 0 && caps[0].permitted)
		r = xlat_syscall(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_SYS_PTRACE, 0);
	if (r == 0 && caps[0].permitted)
		r = xlat_syscall(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_SYS_ADMIN, 0);
	if (r == 0 && (caps[0].permitted & resource))
		r = xlat_syscall(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_SYS_RESOURCE, 0);
	if (r == 0 && caps[0].permitted)
		r = xlat_syscall(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_SETUID, 0);
	return r;
}

static void do_fork(int child, int pgid, bool newpid)
{
	pid_t pid = newpid ? (pid_t)xlat_syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, 0, 0)
			   : fork();

	if (newpid && pid < 0) {
		fail(-pid);
		return;
	}

	if (pid < 0) {
		fail(errno);
		return;
	}
	if (pid == 0) {
		my_step = -1;
		setup_process(child, pgid);
		agent_loop(child);
	}
}

static void do_command(const struct command *c)
{
	const struct scenario *s = env->s;
	pthread_t th;
	ssize_t need, got;

	switch (c->kind) {
	case CMD_STEP:
		my_step = c->arg;
		run_stmts(&s->steps[c->arg].stmt, 1);
		break;
	case CMD_THREAD:
		if (pthread_create(&th, NULL, thread_start, (void *)(intptr_t)c->arg))
			fail(EAGAIN);
		else
			(void)pthread_detach(th);
		break;
	case CMD_FORK:
	case CMD_FORK_NEWPID:
		do_fork(c->arg, c->pgid, c->kind == CMD_FORK_NEWPID);
		break;
	case CMD_CREDS:
		if (take_creds(my_task) < 0)
			fail(EPERM);
		/* A change of uid made the process undumpable (commit_creds:
		 * suid_dumpable); the model's processes start dumpable. */
		if (host_core_dumps(s))
			(void)prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
		break;
	case CMD_TABLE:
		need = (ssize_t)(s->ntasks * sizeof(int32_t));
		got = read(env->cmd_rd[my_task], env->ns_pid, (size_t)need);
		got += read(env->cmd_rd[my_task], env->ns_tid, (size_t)need);
		if (got != 2 * need)
			fail(EIO);
		break;
	default:
		fail(EINVAL);
		break;
	}
	report_kind(REP_DONE);
}

static void command_loop(int task) __attribute__((noreturn));

void agent_start(int task, int sync_fd)
{
	fork_sync_fd = sync_fd;
	my_seq = 0;
	my_step = -1;
	my_depth = 0;
	agent_loop(task);
}

static void agent_loop(int task)
{
	my_task = task;
	hello();
	if (fork_sync_fd >= 0) {
		(void)xlat_syscall(SYS_write, fork_sync_fd, (long)"x", 1, 0);
		(void)xlat_syscall(SYS_close, fork_sync_fd, 0, 0, 0);
		fork_sync_fd = -1;
	}
	command_loop(task);
}

void agent_resume(const struct agent_env *e, int task, int seq, int step, int begin)
{
	struct report r;

	env = e;
	my_task = task;
	my_seq = seq;
	my_step = step;
	my_depth = 0;
	(void)agent_admin_effective(false);
	hello();
	memset(&r, 0, sizeof r);
	r.kind = REP_END;
	r.ref = begin;
	agent_report(&r, false);
	report_kind(REP_DONE);
	command_loop(task);
}

static void command_loop(int task)
{
	sigjmp_buf idle;
	struct command c;
	long n;

	for (;;) {
		(void)sigsetjmp(idle, 0);
		my_depth = 0;
		jump_point[0] = &idle;
		n = xlat_syscall(SYS_read, env->cmd_rd[task], (long)&c, sizeof c, 0);
		if (n == -EINTR)
			continue;
		if (n != (long)sizeof c)
			(void)xlat_syscall(SYS_exit_group, 126, 0, 0, 0);
		do_command(&c);
	}
}

void agent_main(const struct agent_env *e, int task)
{
	int pgid = 0;
	const struct sc_task *t = &e->s->tasks[task];

	env = e;
	if (t->pgrp >= 0 && t->pgrp != task)
		pgid = e->ns_pid[t->pgrp];
	(void)prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	host_tty_close_masters(e->time);	/* the controller's alone */
	setup_process(task, pgid);
	setup_limits();
	agent_loop(task);
}

void helper_main(const struct agent_env *e)
{
	uint64_t chld = sl_sigmask(SL_SIGCHLD);
	struct timespec tick = { 0, 50 * 1000 * 1000 };
	struct report r;
	int status;
	pid_t p;

	env = e;
	(void)prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	xlat_reset_signals();
	host_tty_close_masters(e->time);
	(void)prctl(PR_SET_NAME, "siglab-init", 0, 0, 0);
	/* Its own session, as the model's init is outside the scenario's
	 * sessions: a parent there never keeps a process group from being
	 * orphaned (will_become_orphaned_pgrp skips the real global init). */
	(void)setsid();
	(void)xlat_rt_sigprocmask(SL_SIG_BLOCK, &chld, NULL);
	if (e->lifeline_wr >= 0)
		close(e->lifeline_wr);
	if (e->time)
		host_time_drop_pipes(e->time);
	for (;;) {
		struct pollfd life = { e->lifeline_rd, POLLIN, 0 };

		/* The controller is gone (even by SIGKILL): going down takes
		 * the whole namespace, every scenario task, with us. */
		if (e->lifeline_rd >= 0 && poll(&life, 1, 0) > 0)
			(void)xlat_syscall(SYS_exit_group, 0, 0, 0, 0);
		(void)xlat_syscall(SYS_rt_sigtimedwait, (long)&chld, 0, (long)&tick, 8);
		while ((p = waitpid(-1, &status, WNOHANG | __WALL)) > 0) {
			memset(&r, 0, sizeof r);
			r.kind = REP_REAPED;
			r.ns_pid = p;
			r.status = status;
			agent_report(&r, false);
		}
	}
}
