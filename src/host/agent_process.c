/*
 * The agent's process statements: fork and clone make the agent of the
 * child (a process, or a thread as pthread_create makes one), wait4 and
 * waitid report what they reaped, setpgid, getpgid, setsid, getsid,
 * getppid, prctl and ptrace are the raw calls.  The child of a fork is
 * idle at its command pipe before the fork returns in its parent.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host/internal.h"
/* Waits (bounded) for a new agent's HELLO, then closes the pipe. */
static void await_birth(int sync_rd)
{
	struct pollfd pf = { sync_rd, POLLIN, 0 };
	char c = 0;

	(void)poll(&pf, 1, 2000);
	(void)xlat_syscall(SYS_read, sync_rd, (long)&c, 1, 0);
	(void)xlat_syscall(SYS_close, sync_rd, 0, 0, 0);
}

/* A thread created by a clone step: the scenario task (low byte) and its
 * end of the sync pipe, packed into the start argument. */
static void *clone_thread_start(void *arg)
{
	intptr_t v = (intptr_t)arg;

	agent_start((int)(v & 0xff), (int)(v >> 8));
}

/* `clone THREAD` (a thread declared forked): a real thread of this
 * process, made as pthread_create makes it (clone with CLONE_VM|
 * CLONE_SIGHAND|CLONE_THREAD, the creator's mask), becomes the agent of
 * the thread; the result is its tid as this task sees tids. */
static int64_t op_clone_thread(const struct sc_stmt *st)
{
	int child = st->target.task;
	int sync[2];
	pthread_t th;
	int err;

	if (pipe2(sync, O_CLOEXEC) < 0)
		return -errno;
	err = pthread_create(&th, NULL, clone_thread_start,
			     (void *)(intptr_t)(child | (intptr_t)sync[1] << 8));
	if (err) {
		(void)xlat_syscall(SYS_close, sync[0], 0, 0, 0);
		(void)xlat_syscall(SYS_close, sync[1], 0, 0, 0);
		return -err;
	}
	(void)pthread_detach(th);
	await_birth(sync[0]);
	return agent_seen_pid(child, true);
}

/* A root task keeps CAP_SYS_ADMIN permitted but not effective (take_creds):
 * it is raised only around a clone(CLONE_NEWPID) step, which needs it,
 * so that no other call sees it.  Raw capget/capset; 0 or -errno. */
long agent_admin_effective(bool on)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct caps[2];
	uint32_t admin = (uint32_t)1 << CAP_SYS_ADMIN;
	long r = xlat_syscall(SYS_capget, (long)&hdr, (long)caps, 0, 0);

	if (r < 0)
		return r;
	if (on && !(caps[0].permitted & admin))
		return -EPERM;
	caps[0].effective = on ? caps[0].effective | admin : caps[0].effective & ~admin;
	return xlat_syscall(SYS_capset, (long)&hdr, (long)caps, 0, 0);
}

/* The child of a fork step becomes the agent of its scenario task: with
 * the parent's dispositions, mask and credentials, as fork gives them, and
 * idle at its command pipe.  The parent waits (bounded) until the child
 * has said HELLO, so the controller knows it before the fork returns. */
static int64_t op_fork(const struct agent_env *env, const struct sc_stmt *st)
{
	int child = st->target.task;
	int sync[2];
	long pid;
	char c = 0;
	struct pollfd pf;

	if (pipe2(sync, O_CLOEXEC) < 0)
		return -errno;
	if (st->op == SC_OP_FORK) {
		pid = fork();
		if (pid < 0)
			pid = -errno;
	} else {
		unsigned long flags = (unsigned long)(unsigned)st->sig;
		bool newpid = st->flags & SL_CLONE_NEWPID;

		if (st->flags & SL_CLONE_PARENT)
			flags |= CLONE_PARENT;
		if (newpid) {
			flags |= CLONE_NEWPID;
			/* without the capability the clone fails with EPERM,
			 * as the model's does for a task that is not root */
			(void)agent_admin_effective(true);
		}
		pid = xlat_syscall(SYS_clone, (long)flags, 0, 0, 0);
		if (newpid)
			(void)agent_admin_effective(false);
	}
	if (pid == 0) {
		(void)xlat_syscall(SYS_close, sync[0], 0, 0, 0);
		(void)prctl(PR_SET_NAME, env->s->tasks[child].name, 0, 0, 0);
		agent_start(child, sync[1]);
	}
	(void)xlat_syscall(SYS_close, sync[1], 0, 0, 0);
	if (pid > 0) {
		pf.fd = sync[0];
		pf.events = POLLIN;
		pf.revents = 0;
		(void)poll(&pf, 1, 2000);
		(void)xlat_syscall(SYS_read, sync[0], (long)&c, 1, 0);
	}
	(void)xlat_syscall(SYS_close, sync[0], 0, 0, 0);
	return pid;
}

/* The controller learns the status of a child its scenario parent reaped
 * from this report (the child is gone from /proc afterwards). */
static void report_reaped(int32_t pid, int32_t status)
{
	struct report r;

	memset(&r, 0, sizeof r);
	r.kind = REP_REAPED;
	r.ns_pid = agent_scenario_pid(pid);
	r.status = status;
	agent_report(&r, false);
}

static int64_t op_wait4(const struct sc_stmt *st, struct report *end)
{
	int status = 0;
	long r = xlat_syscall(SYS_wait4, agent_target_tgid(&st->target), (long)&status,
			      (long)st->flags, 0);

	end->status = status;
	if (r > 0 && (WIFEXITED(status) || WIFSIGNALED(status)))
		report_reaped((int32_t)r, status);
	return r;
}

static int64_t op_waitid(const struct sc_stmt *st, struct report *end)
{
	siginfo_t si;
	long id = st->how == SL_P_ALL ? 0 : agent_target_tgid(&st->target);
	long r;

	memset(&si, 0, sizeof si);
	if (st->prefill) {
		si.si_signo = SIGUSR1;
		si.si_code = CLD_EXITED;
		si.si_pid = 99999;
		si.si_status = 77;
	}
	/* five arguments (the rusage pointer): glibc's syscall() */
	r = syscall(SYS_waitid, st->how, id, &si, (long)st->flags, NULL);
	if (r < 0) {
		/* whether the failing call wrote the prefilled siginfo */
		end->status = si.si_signo != 0 || si.si_pid != 0;
		return -errno;
	}
	end->code = si.si_pid ? si.si_code : 0;
	end->status = si.si_status;
	end->pid = si.si_pid;
	if (si.si_pid && !(st->flags & SL_WNOWAIT) &&
	    (si.si_code == CLD_EXITED || si.si_code == CLD_KILLED || si.si_code == CLD_DUMPED))
		report_reaped(si.si_pid, si.si_code == CLD_EXITED ? (si.si_status & 0xff) << 8 :
				(si.si_status & 0x7f) | (si.si_code == CLD_DUMPED ? 0x80 : 0));
	return r;
}

/* PTRACE_PEEKSIGINFO into a buffer of nr siginfo (at least one). */
static int64_t op_peeksiginfo(const struct sc_stmt *st, int pid, struct report *end)
{
	struct {
		uint64_t off;
		uint32_t flags;
		int32_t nr;
	} arg = { st->peek_off, (uint32_t)st->flags, st->peek_nr };
	siginfo_t si[SC_MAX_PEEK];
	long r;

	memset(si, 0, sizeof si);
	r = xlat_syscall(SYS_ptrace, SL_PTRACE_PEEKSIGINFO, pid, (long)&arg, (long)si);
	for (long i = 0; i < r && i < SC_MAX_PEEK; i++) {
		end->peek[i].sig = si[i].si_signo;
		end->peek[i].code = si[i].si_code;
		end->peek[i].pid = si[i].si_pid;
		end->peek[i].value = (uint64_t)(uintptr_t)si[i].si_value.sival_ptr;
	}
	return r;
}

/* ptrace: the request as the scenario says it; GETSIGINFO's siginfo goes
 * back in the END report (sig, code, pid). */
static int64_t op_ptrace(const struct sc_stmt *st, struct report *end)
{
	struct sl_siginfo info;
	uint64_t data = st->how == SL_PTRACE_SEIZE || st->how == SL_PTRACE_SETOPTIONS
				? st->flags : (uint64_t)(unsigned)st->sig;
	int pid = st->how == SL_PTRACE_TRACEME ? 0 : agent_target_pid(&st->target);
	long r;

	memset(&info, 0, sizeof info);
	if (st->how == SL_PTRACE_SETSIGINFO) {
		info.signo = st->sig;
		info.code = st->has_code ? st->code : SL_SI_USER;
		info.value = st->value;
		info.pid = (int)xlat_syscall(SYS_getpid, 0, 0, 0, 0);
		info.uid = (uint32_t)xlat_syscall(SYS_getuid, 0, 0, 0, 0);
	}
	if (st->how == SL_PTRACE_GETSIGMASK || st->how == SL_PTRACE_SETSIGMASK) {
		uint64_t set = st->mask;

		r = xlat_syscall(SYS_ptrace, st->how, pid, 8, (long)&set);
		end->t_value = (int64_t)set;
		return r;
	}
	if (st->how == SL_PTRACE_PEEKSIGINFO)
		return op_peeksiginfo(st, pid, end);
	r = xlat_ptrace(st->how, pid, data, &info);

	if (st->how == SL_PTRACE_GETSIGINFO && r == 0) {
		end->sig = info.signo;
		end->code = info.code;
		end->pid = info.pid;
	}
	return r;
}

/* fork and clone: a process, or a thread as pthread_create makes one. */
int64_t agent_op_fork(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	(void)end;
	return st->flags & SL_CLONE_THREAD ? op_clone_thread(st) : op_fork(e, st);
}

int64_t agent_op_wait4(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	(void)e;
	return op_wait4(st, end);
}

int64_t agent_op_waitid(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	(void)e;
	return op_waitid(st, end);
}

int64_t agent_op_setpgid(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	(void)e;
	(void)end;
	return xlat_syscall(SYS_setpgid, agent_target_tgid(&st->target),
			    agent_target_tgid(&st->target2), 0, 0);
}

int64_t agent_op_getpgid(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	(void)e;
	(void)end;
	return xlat_syscall(SYS_getpgid, agent_target_tgid(&st->target), 0, 0, 0);
}

int64_t agent_op_getsid(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	(void)e;
	(void)end;
	return xlat_syscall(SYS_getsid, agent_target_tgid(&st->target), 0, 0, 0);
}

int64_t agent_op_setsid(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	(void)e;
	(void)end;
	(void)st;
	return xlat_syscall(SYS_setsid, 0, 0, 0, 0);
}

int64_t agent_op_getppid(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	(void)e;
	(void)end;
	(void)st;
	return xlat_syscall(SYS_getppid, 0, 0, 0, 0);
}

int64_t agent_op_ptrace(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	(void)e;
	return op_ptrace(st, end);
}

int64_t agent_op_prctl(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	int value = 0;
	long r;

	(void)e;
	if (st->how == SL_PR_GET_PDEATHSIG || st->how == SL_PR_GET_CHILD_SUBREAPER) {
		r = xlat_syscall(SYS_prctl, st->how, (long)&value, 0, 0);
		end->status = value;
		return r;
	}
	return xlat_syscall(SYS_prctl, st->how,
			    st->how == SL_PR_SET_PDEATHSIG ? st->sig : st->num, 0, 0);
}
