/*
 * libFuzzer target: random syscall sequences into the engine.  Each input
 * byte string is decoded into operations on a few tasks; after every
 * operation the invariant checker must hold, and nothing may crash, hang
 * or leak.  A failing allocator (fail the Nth allocation, N from the
 * input) exercises the out-of-memory paths.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "siglab.h"

struct input {
	const uint8_t *p;
	size_t n;
};

/* The next input byte, 0 once they run out.  Every decision takes its
 * bytes in a sequenced order (one take per full expression, or through
 * the helpers below): C leaves the order of function arguments and of
 * initializers unspecified, and gcc and clang differ, so an unsequenced
 * pair would make the corpus mean one thing to the libFuzzer build and
 * another to fuzzcheck's. */
static unsigned take(struct input *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

/* A byte shifted left by another byte mod `mod`: a signal set or flags. */
static uint64_t take_shifted(struct input *in, unsigned mod)
{
	uint64_t v = take(in);

	return v << (take(in) % mod);
}

struct failing {
	long countdown;		/* fail when it reaches 0; < 0 never */
};

static void *fuzz_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct failing *f = ud;

	(void)osize;
	if (nsize == 0) {
		free(ptr);
		return NULL;
	}
	if (f->countdown >= 0 && f->countdown-- == 0)
		return NULL;
	return realloc(ptr, nsize);
}

#define MAX_TIDS 16

/* Mostly a task the input made; now and then a tid no task has (0, a
 * negative one, one past the table, a huge one), for which every call
 * must give Linux's errno (ESRCH) and change nothing. */
static int pick(struct input *in, const int *tids, int n)
{
	static const int bad[] = { 0, -1, -2, 17, 64, 65, 1 << 20, -(1 << 30) };
	unsigned v = take(in);

	if (v >= 248)
		return bad[v - 248];
	return n ? tids[v % (unsigned)n] : 1;
}

static int pick_sig(struct input *in)
{
	unsigned v = take(in);

	return v < 200 ? (int)(v % 65) : (int)v - 200 - 1; /* mostly 0..64, a few odd */
}

/* The digest reads every structure: a dangling or inconsistent pointer
 * shows up under the sanitizers. */
static void count_bytes(void *ud, const void *p, size_t n)
{
	(void)p;
	*(size_t *)ud += n;
}

static void check_digest(sl_kernel *k)
{
	size_t digest_bytes = 0;

	sl_kernel_digest(k, count_bytes, &digest_bytes);
	if (digest_bytes == 0)
		abort();
}

/* The invariants after every operation; the digest (a walk of every
 * structure, a dozen times the cost of an operation) after every 16th
 * and after the last. */
static void check(sl_kernel *k, unsigned nth)
{
	const char *what;
	int w = 0;

	if (sl_check(k, &what) < 0) {
		fprintf(stderr, "invariant broken: %s\n", what);
		abort();
	}
	/* The work set walked as a runner walks it: exactly the tasks with
	 * work, in tid order (the walk drops stale entries, so that the
	 * next operation's sl_check sees a pruned set).  An operation makes
	 * at most one task, so every tid is well below 4 * nth + 64. */
	int last = 4 * (int)nth + 64;

	for (int tid = 1; tid <= last; tid++) {
		if (sl_check_task(k, tid, &what) < 0) {
			fprintf(stderr, "invariant of task %d broken: %s\n", tid, what);
			abort();
		}
		if (sl_task_has_work(k, tid) && (w = sl_next_task_with_work(k, w)) != tid) {
			fprintf(stderr, "work set: next is %d, task %d has work\n", w, tid);
			abort();
		}
	}
	if (sl_next_task_with_work(k, w) > 0) {
		fprintf(stderr, "work set: task %d has no work\n", sl_next_task_with_work(k, w));
		abort();
	}
	if (nth % 16 == 15)
		check_digest(k);
}

/* ptrace: any request, and the syscall boundaries of a traced task. */
static void step_ptrace(sl_kernel *k, struct input *in, int t, int u, int sig)
{
	static const long reqs[] = {
		SL_PTRACE_TRACEME, SL_PTRACE_CONT, SL_PTRACE_KILL, SL_PTRACE_ATTACH,
		SL_PTRACE_DETACH, SL_PTRACE_SYSCALL, SL_PTRACE_SETOPTIONS,
		SL_PTRACE_GETEVENTMSG, SL_PTRACE_GETSIGINFO, SL_PTRACE_SETSIGINFO,
		SL_PTRACE_SEIZE, SL_PTRACE_INTERRUPT, SL_PTRACE_LISTEN, 12345,
	};
	struct sl_siginfo info = { .signo = sig };
	unsigned long msg;
	long req = reqs[take(in) % (sizeof reqs / sizeof reqs[0])];
	uint64_t data;

	switch (take(in) % 4) {
	case 0:
		sl_syscall_enter(k, t);
		return;
	case 1:
		sl_syscall_exit(k, t);
		return;
	default:
		break;
	}
	if (req == SL_PTRACE_GETSIGINFO || req == SL_PTRACE_SETSIGINFO)
		data = (uint64_t)(uintptr_t)&info;
	else if (req == SL_PTRACE_GETEVENTMSG)
		data = (uint64_t)(uintptr_t)&msg;
	else if (req == SL_PTRACE_SEIZE || req == SL_PTRACE_SETOPTIONS)
		data = take_shifted(in, 24);
	else
		data = (uint64_t)(take(in) % 2 ? sig : (int)take(in));
	sl_sys_ptrace(k, t, req, u, take(in) % 8 == 0, data);
}

/* A time in ns: mostly up to `range` ms, else an edge of the time
 * arithmetic (zero, negative, KTIME_MAX and around, INT64_MAX), which
 * must saturate or fail with EINVAL, never overflow. */
static sl_time fuzz_time(struct input *in, unsigned range)
{
	static const sl_time edge[] = {
		0, 1, -1, INT64_MIN, INT64_MAX, INT64_MAX - 1, SL_KTIME_MAX,
		SL_KTIME_MAX - 1, (sl_time)1 << 62, 999999999, 1000000000,
	};
	unsigned c = take(in);

	if (c < 224)
		return (sl_time)(c % range) * 1000000;
	return edge[c % (sizeof edge / sizeof edge[0])];
}

/* timer_create, on a CPU-time clock when the sigev value's low bits say
 * so (so that inputs made before those clocks keep their meaning for
 * every other value): the process's or the thread's, another task's, or
 * a clock the kernel refuses. */
static long fuzz_timer_create(sl_kernel *k, int t, int u, int sig, unsigned value)
{
	static const unsigned kinds = 6;
	struct sl_sigevent ev = { .notify = SL_SIGEV_SIGNAL, .signo = sig, .value = value };
	int clock;

	if (value % 8 != 7)
		return sl_sys_timer_create(k, t, sig, value);
	switch ((value >> 3) % kinds) {
	case 0: clock = SL_CLOCK_PROCESS_CPUTIME_ID; break;
	case 1: clock = SL_CLOCK_THREAD_CPUTIME_ID; break;
	case 2: clock = SL_CPUCLOCK_PROCESS(u, (int)(value >> 6) % 3); break;
	case 3: clock = SL_CPUCLOCK_THREAD(u, (int)(value >> 6) % 3); break;
	case 4: clock = (int)(value >> 6) % 16; break;
	default: clock = -(int)(value >> 3); break;
	}
	if (value & 0x80)
		ev.notify = SL_SIGEV_NONE;
	return sl_sys_timer_create_clock(k, t, clock, &ev);
}

/* Sleeping, waiting, time, processes (issues 4 and 5). */
static void step_more(sl_kernel *k, struct input *in, unsigned op, int t, int u, int sig,
		      int *tids, int *ntids)
{
	sl_sigset set = take_shifted(in, 56);
	struct sl_itimerspec its = { 0 };
	struct sl_stack ss = { .sp = 0x10000 };
	struct sl_siginfo info;
	sl_time timeout, rem;
	int status, pid, pgid;
	long r;

	/* One input byte after the other, in statement order (the order of
	 * an initializer list's expressions is unspecified). */
	its.interval = fuzz_time(in, 4);
	its.value = fuzz_time(in, 8);
	ss.size = (uint64_t)take(in) * 64;
	ss.flags = take(in) % 3 == 0 ? 2u : 0u;
	timeout = fuzz_time(in, 4);
	switch (op) {
	case 20:
		sl_sys_pause(k, t);
		break;
	case 21:
		sl_sys_rt_sigsuspend(k, t, &set);
		break;
	case 22:
		sl_sys_rt_sigtimedwait(k, t, &set, &info, take(in) & 1 ? &timeout : NULL);
		break;
	case 23:
		sl_sys_nanosleep(k, t, timeout, &rem);
		break;
	case 24:
		r = sl_pipe_create(k);
		if (r >= 0)
			sl_sys_read(k, t, (int)r, 1);
		break;
	case 25:
		sl_sys_write(k, t, (int)(take(in) % 3), 1);
		break;
	case 26:
		/* The task runs for the time that passes (CPU-clock timers,
		 * RLIMIT_CPU), and its limit is asked as a runtime would. */
		timeout = fuzz_time(in, 16);
		sl_cpu_run(k, t, timeout);
		sl_cpu_timer_next(k, t);
		sl_clock_advance(k, timeout);
		break;
	case 27:
		sl_sys_alarm(k, t, take(in) < 240 ? take(in) % 3 : UINT32_MAX - take(in) % 2);
		break;
	case 28:
		sl_sys_setitimer(k, t, (int)(take(in) % 4), &its, NULL);
		break;
	case 29:
		r = fuzz_timer_create(k, t, u, sig, take(in));
		if (r >= 0)
			sl_sys_timer_settime(k, t, (int)r, &its, NULL);
		break;
	case 30:
		sl_sys_timer_delete(k, t, (int)(take(in) % 4));
		break;
	case 31:
		sl_sys_sigaltstack(k, t, &ss, NULL);
		break;
	case 32:
		r = sl_sys_signalfd(k, t, -1, &set);
		if (r >= 0)
			sl_sys_read_signalfd(k, t, (int)r, &info);
		break;
	case 33:
		pid = take(in) % 2 ? -1 : u;
		sl_sys_wait4(k, t, pid, &status, take(in) % 16);
		break;
	case 34:
		pid = take(in) % 2 ? 0 : u;
		pgid = take(in) % 2 ? 0 : t;
		sl_sys_setpgid(k, t, pid, pgid);
		break;
	case 35:
		sl_sys_setsid(k, t);
		break;
	case 36:
		if (take(in) % 4 == 0)
			sl_sys_execve(k, t);
		break;
	case 37:
		if (*ntids < MAX_TIDS) {
			r = sl_sys_clone(k, t, (unsigned)take(in) << 8, sig);
			if (r > 0)
				tids[(*ntids)++] = (int)r;
		}
		break;
	case 38:
		sl_sys_wait_event(k, t, (int)(take(in) % 3),
				  (enum sl_sleep_state)(1 + take(in) % 3));
		break;
	case 39:
		sl_wake_up(k, (int)(take(in) % 3));
		break;
	case 40:
		step_ptrace(k, in, t, u, sig);
		break;
	case 41:
		sl_sys_clone_begin(k, t, take(in) % 2 ? 0 : (unsigned)take(in) << 8, sig);
		break;
	case 42:
		if (*ntids < MAX_TIDS) {
			r = sl_sys_clone_finish(k, t);
			if (r > 0)
				tids[(*ntids)++] = (int)r;
		}
		break;
	}
}

static void step(sl_kernel *k, struct input *in, int *tids, int *ntids, unsigned nth)
{
	int t = pick(in, tids, *ntids), u = pick(in, tids, *ntids);
	int sig = pick_sig(in);
	unsigned op = take(in) % 43;
	struct sl_siginfo info = { .signo = sig, .code = (int)(int8_t)take(in) };
	struct sl_sigaction act = { 0 };
	sl_sigset set;
	struct sl_ksignal ks;
	unsigned hi;
	int r;

	act.handler = take(in) % 4 == 0 ? SL_SIG_IGN : 16 + take(in) % 3;
	act.flags = (uint64_t)take(in) << 24;
	act.mask = take_shifted(in, 56);
	set = take_shifted(in, 56);

	if (getenv("FUZZ_TRACE"))
		fprintf(stderr, "op %u t=%d u=%d sig=%d tasks=%d\n", op, t, u, sig, *ntids);
	switch (op) {
	case 0:
		if (*ntids < MAX_TIDS) {
			r = (int)(take(in) & 1 ? sl_sys_clone_thread(k, t) : sl_sys_fork(k, t));
			if (r > 0)
				tids[(*ntids)++] = r;
		}
		break;
	case 1:
		sl_sys_rt_sigaction(k, t, sig, &act, NULL);
		break;
	case 2:
		sl_sys_rt_sigprocmask(k, t, (int)(take(in) % 4), &set, NULL);
		break;
	case 3:
		sl_sys_kill(k, t, take(in) % 4 == 0 ? -(int)(take(in) % 3) : u, sig);
		break;
	case 4:
		sl_sys_tgkill(k, t, u, pick(in, tids, *ntids), sig);
		break;
	case 5:
		sl_sys_tkill(k, t, u, sig);
		break;
	case 6:
		sl_sys_rt_sigqueueinfo(k, t, u, sig, &info);
		break;
	case 7:
		sl_sys_rt_tgsigqueueinfo(k, t, u, u, sig, &info);
		break;
	case 8:
		sl_fault(k, t, sig, 1 + (int)(take(in) % 3), 0);
		break;
	case 9:
	case 10:
	case 11:
		sl_return_to_user(k, t, &ks);
		break;
	case 12:
		sl_sys_rt_sigreturn(k, t);
		break;
	case 13:
		sl_user_longjmp(k, t, take(in) & 1);
		break;
	case 14:
		if (take(in) % 4 == 0)
			sl_sys_exit(k, t, (int)take(in));
		break;
	case 15:
		if (take(in) % 4 == 0)
			sl_sys_exit_group(k, t, (int)take(in));
		break;
	case 16:
		sl_sys_signal(k, t, sig, take(in) & 1 ? SL_SIG_DFL : 17);
		break;
	case 17:
		hi = take(in);
		sl_sys_ssetmask(k, t, (long)(int32_t)(hi << 24 | take(in)));
		break;
	case 18:
		r = (int)sl_sys_pidfd_open(k, t, u, 0);
		if (r >= 0)
			sl_sys_pidfd_send_signal(k, t, r, sig, NULL, take(in) % 5);
		break;
	case 19:
		sl_kthread_allow_signal(k, t, sig);
		break;
	default:
		step_more(k, in, op, t, u, sig, tids, ntids);
		break;
	}
	check(k, nth);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	struct failing fail = { -1 };
	struct sl_config cfg = { .alloc = fuzz_alloc, .alloc_ud = &fail };
	sl_kernel *k;
	int tids[MAX_TIDS] = { 0 }, ntids = 0;
	unsigned flags = take(&in);

	cfg.what_if = flags & 3;
	cfg.rlimit_sigpending = 1 + take(&in) % 8;
	if (flags & 4)
		fail.countdown = take(&in);
	if (sl_kernel_new(&cfg, &k) < 0)
		return 0;
	for (int i = 0; i < 4; i++) {
		struct sl_spawn how = { .kind = i == 0 ? SL_SPAWN_INIT
					     : i == 3 && (flags & 8) ? SL_SPAWN_KTHREAD
					     : i == 2 && (flags & 16) ? SL_SPAWN_NS_INIT
								    : SL_SPAWN_PROCESS,
					.parent = ntids ? tids[0] : 0, .uid = (uint32_t)(take(&in) % 2) * 1000 };
		int tid = sl_spawn(k, &how);

		if (tid > 0)
			tids[ntids++] = tid;
	}
	for (unsigned n = 0; n < 400 && in.n; n++)
		step(k, &in, tids, &ntids, n);
	check_digest(k);
	sl_kernel_free(k);
	return 0;
}
