/*
 * The agent's signal statements: dispositions, masks, sending, faults,
 * exits and the alternate stack, as raw system calls so that glibc adds
 * nothing.  Handlers are the agent's real functions (agent.c).
 *
 * Everything here is async-signal-safe: it may run inside a handler.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "host/internal.h"

long agent_uptr(const struct sc_stmt *st, unsigned ptr, const void *good)
{
	return (st->bad & ptr) ? SC_BAD_ADDR : (long)(uintptr_t)good;
}

static int64_t op_sigqueue(const struct sc_stmt *st, bool tg)
{
	siginfo_t info;

	memset(&info, 0, sizeof info);
	info.si_signo = st->sig;
	info.si_code = st->has_code ? st->code : SL_SI_QUEUE;
	info.si_pid = st->has_spid ? (pid_t)agent_target_pid(&st->spid)
				   : (pid_t)xlat_syscall(SYS_getpid, 0, 0, 0, 0);
	info.si_uid = st->has_suid ? (uid_t)agent_host_uid(st->suid)
				   : (uid_t)xlat_syscall(SYS_getuid, 0, 0, 0, 0);
	info.si_value.sival_ptr = (void *)(uintptr_t)st->value;
	if (tg)
		return xlat_syscall(SYS_rt_tgsigqueueinfo, agent_target_tgid(&st->target),
				    agent_target_pid(&st->target2), st->sig,
				    agent_uptr(st, SC_PTR_INFO, &info));
	return xlat_syscall(SYS_rt_sigqueueinfo, agent_target_pid(&st->target), st->sig,
			    agent_uptr(st, SC_PTR_INFO, &info), 0);
}

static int64_t op_pidfd_send(const struct sc_stmt *st)
{
	long fd = xlat_syscall(SYS_pidfd_open, agent_target_pid(&st->target), 0, 0, 0);
	long r;

	if (fd < 0)
		return fd;
	r = xlat_syscall(SYS_pidfd_send_signal, fd, st->sig, 0, 0);
	(void)xlat_syscall(SYS_close, fd, 0, 0, 0);
	return r;
}

/* sgetmask/ssetmask do not exist on x86-64: emulated as the generic
 * kernel implements them (the first word of the blocked set; ssetmask takes
 * and returns an int), with rt_sigprocmask. */
static int64_t sgetmask(void)
{
	uint64_t old = 0;
	long r = xlat_rt_sigprocmask(SL_SIG_BLOCK, NULL, &old);

	return r < 0 ? r : (int64_t)old;
}

static int64_t ssetmask(uint64_t set)
{
	uint64_t old = 0, new = (uint64_t)(int64_t)(int32_t)(uint32_t)set;
	long r = xlat_rt_sigprocmask(SL_SIG_BLOCK, NULL, &old);

	if (r == 0)
		r = xlat_rt_sigprocmask(SL_SIG_SETMASK, &new, NULL);
	return r < 0 ? r : (int64_t)(int32_t)(uint32_t)old;
}

/* A handler is installed with SA_SIGINFO, to read si_code and si_pid. */
int64_t agent_op_sigaction(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	uint64_t old[3] = { 0, 0, 0 };
	uint64_t flags = st->flags | (st->handler >= 0 ? SL_SA_SIGINFO : 0);
	bool info = false;
	long r;

	(void)e;
	r = xlat_rt_sigaction_bad(st->sig, !st->null_set,
				  agent_handler_value(st->handler, st->flags), flags, st->mask,
				  st->want_old ? old : NULL, st->bad, sc_sigsetsize(st));
	/* the old action in the scenario's words: its handler's index, and
	 * its flags without the SA_SIGINFO the agent adds to a handler the
	 * scenario installed without it (the h_plain_ functions) */
	end->value = (uint64_t)agent_handler_result(old[0]);
	if (agent_handler_index(old[0], &info) >= 0 && !info)
		old[1] &= ~(uint64_t)SL_SA_SIGINFO;
	end->t_value = (int64_t)old[1];
	end->t_interval = (int64_t)old[2];
	return r;
}

/* signal(2) as the raw call sets it: SA_ONESHOT|SA_NOMASK. */
int64_t agent_op_signal(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	uint64_t old = 0;
	long r;

	(void)e;
	(void)end;
	r = xlat_rt_sigaction(st->sig, agent_handler_value(st->handler, 0),
			      SL_SA_ONESHOT | SL_SA_NOMASK |
			      (st->handler >= 0 ? SL_SA_SIGINFO : 0), 0, &old, NULL);
	return r < 0 ? r : agent_handler_result(old);
}

int64_t agent_op_sigprocmask(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	uint64_t old = 0;
	long r;

	(void)e;
	r = xlat_syscall(SYS_rt_sigprocmask, st->how,
			 agent_uptr(st, SC_PTR_SET, st->null_set ? NULL : &st->mask),
			 agent_uptr(st, SC_PTR_OSET, st->want_old ? &old : NULL),
			 (long)sc_sigsetsize(st));
	end->t_value = (int64_t)old;
	return r;
}

int64_t agent_op_sgetmask(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	(void)e;
	(void)end;
	(void)st;
	return sgetmask();
}

int64_t agent_op_ssetmask(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	(void)e;
	(void)end;
	return ssetmask(st->mask);
}

int64_t agent_op_sigpending(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	uint64_t set = 0;
	long r;

	(void)e;
	(void)end;
	r = xlat_syscall(SYS_rt_sigpending, agent_uptr(st, SC_PTR_SET, &set),
			 (long)sc_sigsetsize(st), 0, 0);
	return r < 0 ? r : (int64_t)set;
}

int64_t agent_op_kill(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	(void)e;
	(void)end;
	return xlat_syscall(SYS_kill, agent_target_pid(&st->target), st->sig, 0, 0);
}

int64_t agent_op_tkill(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	(void)e;
	(void)end;
	return xlat_syscall(SYS_tkill, agent_target_pid(&st->target), st->sig, 0, 0);
}

int64_t agent_op_tgkill(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	(void)e;
	(void)end;
	return xlat_syscall(SYS_tgkill, agent_target_tgid(&st->target),
			    agent_target_pid(&st->target2), st->sig, 0);
}

int64_t agent_op_sigqueue(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	(void)e;
	(void)end;
	return op_sigqueue(st, false);
}

int64_t agent_op_tgsigqueue(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	(void)e;
	(void)end;
	return op_sigqueue(st, true);
}

int64_t agent_op_pidfd_send(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	(void)e;
	(void)end;
	return op_pidfd_send(st);
}

/* glibc's raise(): tgkill(getpid(), gettid(), sig). */
int64_t agent_op_raise(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	(void)e;
	(void)end;
	return xlat_syscall(SYS_tgkill, xlat_syscall(SYS_getpid, 0, 0, 0, 0),
			    xlat_syscall(SYS_gettid, 0, 0, 0, 0), st->sig, 0);
}

/* Returns when a handler returned (the instruction is then skipped). */
int64_t agent_op_fault(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	(void)e;
	(void)end;
	xlat_raise_fault(st->sig, st->code, st->has_code,
			 st->has_addr ? (uintptr_t)st->value : SC_FAULT_ADDR);
	return 0;
}

int64_t agent_op_exit(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	(void)e;
	(void)end;
	return xlat_syscall(SYS_exit, st->num, 0, 0, 0);
}

int64_t agent_op_exit_group(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	(void)e;
	(void)end;
	return xlat_syscall(SYS_exit_group, st->num, 0, 0, 0);
}

/* A real stack of the scenario's size (never freed: a handler may still
 * be on it; the process ends with the scenario). */
int64_t agent_op_sigaltstack(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	stack_t ss, old;
	long r;

	(void)e;

	memset(&ss, 0, sizeof ss);
	memset(&old, 0, sizeof old);
	if (st->ss_mode == 0) {
		r = xlat_syscall(SYS_sigaltstack, agent_uptr(st, SC_PTR_SS, NULL),
				 agent_uptr(st, SC_PTR_OSS, &old), 0, 0);
		end->overrun = old.ss_flags;
		end->t_value = (int64_t)old.ss_size;
		return r;
	}
	if (st->ss_mode == 2) {
		ss.ss_flags = SS_DISABLE;
	} else {
		void *p = st->dur > 0 ? mmap(NULL, (size_t)st->dur, PROT_READ | PROT_WRITE,
					     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
				      : MAP_FAILED;

		ss.ss_sp = p == MAP_FAILED ? NULL : p;
		ss.ss_size = (size_t)st->dur;
		ss.ss_flags = (int)(uint32_t)st->flags;
	}
	return xlat_syscall(SYS_sigaltstack, agent_uptr(st, SC_PTR_SS, &ss),
			    agent_uptr(st, SC_PTR_OSS, NULL), 0, 0);
}
