/*
 * The resource-limit statements on the host: getrlimit, setrlimit and
 * prlimit as the raw prlimit64 (the limits' values are the kernel's own,
 * RLIM_INFINITY included), pwrite64 to the scenario's regular file in the
 * run's private directory (the agent's working directory, host_limits.c),
 * and spin, which burns the thread's CPU time for real.  Raw system calls
 * only: they run in handlers too.
 */
#include <fcntl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "host/internal.h"

_Static_assert(sizeof(struct sl_rlimit) == 16, "struct rlimit64 is two u64");

/* The old limits come back in t_value (cur) and t_interval (max). */
static int64_t prlimit(pid_t pid, const struct sc_stmt *st, bool set, bool get,
		       struct report *end)
{
	struct sl_rlimit nl = { st->rlim_cur, st->rlim_max }, old = { 0, 0 };
	long r = xlat_syscall(SYS_prlimit64, pid, st->how, set ? (long)&nl : 0,
			      get ? (long)&old : 0);

	end->t_value = (int64_t)old.cur;
	end->t_interval = (int64_t)old.max;
	return r;
}

int64_t agent_op_getrlimit(const struct agent_env *e, const struct sc_stmt *st,
			   struct report *end)
{
	(void)e;
	return prlimit(0, st, false, true, end);
}

int64_t agent_op_setrlimit(const struct agent_env *e, const struct sc_stmt *st,
			   struct report *end)
{
	(void)e;
	return prlimit(0, st, true, false, end);
}

int64_t agent_op_prlimit(const struct agent_env *e, const struct sc_stmt *st,
			 struct report *end)
{
	(void)e;
	return prlimit(agent_target_pid(&st->target), st, !st->null_set, st->want_old, end);
}

/* pwrite64(fd, zeros, count, offset) on the file the controller made;
 * opened for each call, so that every process of the scenario, forked or
 * exec'd, reaches it. */
int64_t agent_op_pwrite(const struct agent_env *e, const struct sc_stmt *st,
			struct report *end)
{
	static const char zeros[65536];
	long fd, r;

	(void)e;
	(void)end;
	if ((size_t)st->num > sizeof zeros)
		return -SL_EINVAL;
	fd = xlat_syscall(SYS_openat, AT_FDCWD, (long)HOST_FILE_NAME, O_WRONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return fd;
	r = xlat_syscall(SYS_pwrite64, fd, (long)zeros, st->num, (long)st->offset);
	(void)xlat_syscall(SYS_close, fd, 0, 0, 0);
	return r;
}

/* The calling process's CPUCLOCK_PROF clock (MAKE_PROCESS_CPUCLOCK(0,
 * CPUCLOCK_PROF)): utime + stime, the very sum RLIMIT_CPU is checked
 * against (check_process_timers).  Not CLOCK_THREAD_CPUTIME_ID: that is
 * sum_exec_runtime, which on a virtual machine also counts the time the
 * hypervisor stole, and runs ahead of utime + stime. */
#define PROCESS_PROF_CLOCK ((clockid_t)-8)

static int64_t process_cputime(void)
{
	struct timespec ts;

	if (xlat_syscall(SYS_clock_gettime, PROCESS_PROF_CLOCK, (long)&ts, 0, 0) < 0)
		return -1;
	return (int64_t)ts.tv_sec * SL_NSEC_PER_SEC + ts.tv_nsec;
}

/* Burns `dur` of the process's CPU time in user mode; the handlers that
 * interrupt it run on the same thread, and their time counts. */
int64_t agent_op_spin(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	int64_t start = process_cputime();
	volatile uint64_t x = 0;

	(void)e;
	(void)end;
	if (start < 0)
		return 0;
	while (process_cputime() - start < st->dur)
		for (int i = 0; i < 10000; i++)
			x += (uint64_t)i;
	return 0;
}
