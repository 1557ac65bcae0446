/* The served system calls: one table, nr -> name and adapter (gVisor's
 * syscalls/linux/linux64.go, strace's syscallent).  Each adapter decodes
 * the registers and the guest memory they point to, calls the engine's
 * sl_sys_*, and encodes the result, in the kernel's order: a bad pointer
 * is -EFAULT where the kernel's copy_from_user / copy_to_user is.  Rules
 * live in the engine, never here. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>

#include "exec/exec.h"

/* The host runs the call itself (after the model has been told). */
#define RUN_ON_HOST SIGFD_RUN_HOST
/* The host runs it, and the model follows if it succeeds. */
#define RUN_ON_HOST_WATCH SIGFD_RUN_REWRITTEN

/* include/uapi: the kernel's struct sigaction on x86-64 */
struct guest_sigaction {
	uint64_t handler, flags, restorer, mask;
};
struct guest_timespec { int64_t sec, nsec; };
struct guest_timeval { int64_t sec, usec; };
struct guest_itimerval { struct guest_timeval interval, value; };
struct guest_itimerspec { struct guest_timespec interval, value; };
struct guest_sigevent {
	uint64_t value;
	int32_t signo, notify;
	int32_t tid;
	int32_t pad[11];
};
struct guest_stack {
	uint64_t sp;
	int32_t flags;
	uint64_t size;
};

#define SIGEV_SIGNAL_ 0
#define TIMER_ABSTIME_ 1
#define NSEC 1000000000LL

typedef long (*adapter_fn)(struct exec *x, struct guest *g, const uint64_t *a);

/* A pid as the model numbers it: kill's 0, -1 and -pgid forms kept. */
static int kill_pid(struct exec *x, long pid)
{
	if (pid == 0 || pid == -1)
		return (int)pid;
	if (pid < -1)
		return -pgid_to_model(x, -pid);
	return pid_to_model(x, pid);
}

static int sig_arg(uint64_t v)
{
	/* the kernel takes an int: a value beyond it is invalid anyway */
	return (int)(int32_t)v;
}

/* Whether the host reaps a process's children by itself (SIGCHLD
 * ignored, SA_NOCLDWAIT) must be what the model says, or the children the
 * model reaps stay zombies on the host: the guest's SIGCHLD action also
 * runs on the host (without its oldact: the model's is the answer).  The
 * host never delivers SIGCHLD to a guest: its delivery stop drops it. */
static void host_mirror_sigchld(struct guest *g, long value)
{
	g->exit_regs = g->regs;
	g->exit_regs.rax = (uint64_t)value;
	g->exit_regs.orig_rax = (uint64_t)-1;
	g->regs.rdx = 0;
	g->regs_dirty = true;
	g->exit_fix = true;
}

static long do_rt_sigaction(struct exec *x, struct guest *g, const uint64_t *a)
{
	struct guest_sigaction ga;
	struct sl_sigaction act, old;
	long r;

	if (a[3] != sizeof(sl_sigset))
		return -SL_EINVAL;
	if (a[1]) {
		if (guest_read(g->tid, a[1], &ga, sizeof ga))
			return -SL_EFAULT;
		act = (struct sl_sigaction){ ga.handler, ga.flags, ga.mask, ga.restorer };
	}
	r = sl_sys_rt_sigaction(x->k, g->mtid, sig_arg(a[0]), a[1] ? &act : NULL,
				a[2] ? &old : NULL);
	if (r == 0 && a[2]) {
		ga = (struct guest_sigaction){ old.handler, old.flags, old.restorer, old.mask };
		if (guest_write(g->tid, a[2], &ga, sizeof ga))
			return -SL_EFAULT;
	}
	/* the host's job-control checks read SIGTTIN's and SIGTTOU's
	 * disposition too (hostsig.c) */
	if (r == 0 && a[1] && (sig_arg(a[0]) == SL_SIGCHLD || sig_arg(a[0]) == SL_SIGTTIN ||
			       sig_arg(a[0]) == SL_SIGTTOU))
		host_mirror_sigchld(g, r);
	return r;
}

static long do_rt_sigprocmask(struct exec *x, struct guest *g, const uint64_t *a)
{
	sl_sigset set, old;
	long r;

	if (a[3] != sizeof(sl_sigset))
		return -SL_EINVAL;
	if (a[1] && guest_read(g->tid, a[1], &set, sizeof set))
		return -SL_EFAULT;
	r = sl_sys_rt_sigprocmask(x->k, g->mtid, (int)a[0], a[1] ? &set : NULL, &old);
	if (r == 0 && a[2] && guest_write(g->tid, a[2], &old, sizeof old))
		return -SL_EFAULT;
	return r;
}

static long do_rt_sigpending(struct exec *x, struct guest *g, const uint64_t *a)
{
	sl_sigset set;
	long r;

	if (a[1] > sizeof(sl_sigset))
		return -SL_EINVAL;
	r = sl_sys_rt_sigpending(x->k, g->mtid, &set);
	if (r == 0 && guest_write(g->tid, a[0], &set, a[1]))
		return -SL_EFAULT;
	return r;
}

static long do_kill(struct exec *x, struct guest *g, const uint64_t *a)
{
	return sl_sys_kill(x->k, g->mtid, kill_pid(x, (int32_t)a[0]), sig_arg(a[1]));
}

static long do_tkill(struct exec *x, struct guest *g, const uint64_t *a)
{
	int tid = (int32_t)a[0];

	return sl_sys_tkill(x->k, g->mtid, tid <= 0 ? tid : pid_to_model(x, tid), sig_arg(a[1]));
}

static long do_tgkill(struct exec *x, struct guest *g, const uint64_t *a)
{
	int tgid = (int32_t)a[0], tid = (int32_t)a[1];

	return sl_sys_tgkill(x->k, g->mtid, tgid <= 0 ? tgid : pid_to_model(x, tgid),
			     tid <= 0 ? tid : pid_to_model(x, tid), sig_arg(a[2]));
}

static int read_siginfo(struct exec *x, struct guest *g, uint64_t at, struct sl_siginfo *info)
{
	unsigned char buf[GUEST_SIGINFO_SIZE];

	if (guest_read(g->tid, at, buf, sizeof buf))
		return -SL_EFAULT;
	siginfo_from_guest(buf, info);
	if (info->pid > 0 && guest_by_tid(x, info->pid))
		info->pid = pid_to_model(x, info->pid);
	return 0;
}

static long do_rt_sigqueueinfo(struct exec *x, struct guest *g, const uint64_t *a)
{
	struct sl_siginfo info;
	int tgid = (int32_t)a[0];

	if (read_siginfo(x, g, a[2], &info))
		return -SL_EFAULT;
	return sl_sys_rt_sigqueueinfo(x->k, g->mtid, tgid <= 0 ? tgid : pid_to_model(x, tgid),
				      sig_arg(a[1]), &info);
}

static long do_rt_tgsigqueueinfo(struct exec *x, struct guest *g, const uint64_t *a)
{
	struct sl_siginfo info;
	int tgid = (int32_t)a[0], tid = (int32_t)a[1];

	if (read_siginfo(x, g, a[3], &info))
		return -SL_EFAULT;
	return sl_sys_rt_tgsigqueueinfo(x->k, g->mtid, tgid <= 0 ? tgid : pid_to_model(x, tgid),
					tid <= 0 ? tid : pid_to_model(x, tid), sig_arg(a[2]), &info);
}

static long do_pause(struct exec *x, struct guest *g, const uint64_t *a)
{
	(void)a;
	return sl_sys_pause(x->k, g->mtid);
}

static long do_rt_sigsuspend(struct exec *x, struct guest *g, const uint64_t *a)
{
	sl_sigset set;

	if (a[1] != sizeof(sl_sigset))
		return -SL_EINVAL;
	if (guest_read(g->tid, a[0], &set, sizeof set))
		return -SL_EFAULT;
	return sl_sys_rt_sigsuspend(x->k, g->mtid, &set);
}

/* timespec64_valid */
static int read_timespec(struct guest *g, uint64_t at, sl_time *out)
{
	struct guest_timespec ts;

	if (guest_read(g->tid, at, &ts, sizeof ts))
		return -SL_EFAULT;
	if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= NSEC)
		return -SL_EINVAL;
	*out = ts.sec > INT64_MAX / NSEC - 1 ? INT64_MAX / 2 : timespec_ns(ts.sec, ts.nsec);
	return 0;
}

static int write_timespec(struct guest *g, uint64_t at, sl_time ns)
{
	struct guest_timespec ts = { ns / NSEC, ns % NSEC };

	return guest_write(g->tid, at, &ts, sizeof ts);
}

static long do_rt_sigtimedwait(struct exec *x, struct guest *g, const uint64_t *a)
{
	sl_sigset set;
	sl_time timeout;
	struct sl_siginfo info;
	unsigned char buf[GUEST_SIGINFO_SIZE];
	long r;
	int e;

	if (a[3] != sizeof(sl_sigset))
		return -SL_EINVAL;
	if (guest_read(g->tid, a[0], &set, sizeof set))
		return -SL_EFAULT;
	if (a[2] && (e = read_timespec(g, a[2], &timeout)))
		return e;
	r = sl_sys_rt_sigtimedwait(x->k, g->mtid, &set, &info, a[2] ? &timeout : NULL);
	if (r > 0 && a[1]) {
		siginfo_to_guest(x, &info, buf);
		if (guest_write(g->tid, a[1], buf, sizeof buf))
			return -SL_EFAULT;
	}
	return r;
}

static long do_nanosleep(struct exec *x, struct guest *g, const uint64_t *a)
{
	sl_time req, rem = 0;
	long r;
	int e;

	if ((e = read_timespec(g, a[0], &req)))
		return e;
	r = sl_sys_nanosleep(x->k, g->mtid, req, &rem);
	if (r == -SL_EINTR && a[1] && write_timespec(g, a[1], rem))
		return -SL_EFAULT;
	return r;
}

static sl_time host_clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return timespec_ns(ts.tv_sec, ts.tv_nsec);
}

/* clock_nanosleep on the model's clock: a relative sleep is nanosleep's;
 * an absolute one sleeps until the host clock reaches the time. */
static long do_clock_nanosleep(struct exec *x, struct guest *g, const uint64_t *a)
{
	clockid_t id = (clockid_t)(int32_t)a[0];
	sl_time req, rem = 0;
	long r;
	int e;

	if (id != CLOCK_REALTIME && id != CLOCK_MONOTONIC && id != CLOCK_BOOTTIME &&
	    id != CLOCK_TAI)
		return RUN_ON_HOST;
	if ((e = read_timespec(g, a[2], &req)))
		return e;
	if (a[1] & TIMER_ABSTIME_) {
		req -= host_clock_ns(id);
		if (req <= 0)
			return 0;
		return sl_sys_nanosleep(x->k, g->mtid, req, NULL);
	}
	r = sl_sys_nanosleep(x->k, g->mtid, req, &rem);
	if (r == -SL_EINTR && a[3] && write_timespec(g, a[3], rem))
		return -SL_EFAULT;
	return r;
}

static long do_alarm(struct exec *x, struct guest *g, const uint64_t *a)
{
	return sl_sys_alarm(x->k, g->mtid, (unsigned)a[0]);
}

static void to_itimerval(const struct sl_itimerspec *in, struct guest_itimerval *out)
{
	out->interval = (struct guest_timeval){ in->interval / NSEC, in->interval % NSEC / 1000 };
	out->value = (struct guest_timeval){ in->value / NSEC, in->value % NSEC / 1000 };
}

/* ITIMER_VIRTUAL and ITIMER_PROF count the process's CPU time, which the
 * model does not have: they are the host's timers, and the signals they
 * raise (SIGVTALRM, SIGPROF, SI_KERNEL) go to the model at their delivery
 * stop (tracer.c raised_by_host_kernel). */
static bool cpu_itimer(uint64_t which)
{
	return (int32_t)which == 1 || (int32_t)which == 2;
}

static long do_setitimer(struct exec *x, struct guest *g, const uint64_t *a)
{
	struct guest_itimerval nv;
	struct sl_itimerspec n, o;
	long r;

	if (cpu_itimer(a[0]))
		return RUN_ON_HOST;
	if (a[1]) {
		if (guest_read(g->tid, a[1], &nv, sizeof nv))
			return -SL_EFAULT;
		if (nv.value.usec < 0 || nv.value.usec >= 1000000 || nv.interval.usec < 0 ||
		    nv.interval.usec >= 1000000 || nv.value.sec < 0 || nv.interval.sec < 0)
			return -SL_EINVAL;
		n.value = timespec_ns(nv.value.sec, nv.value.usec * 1000);
		n.interval = timespec_ns(nv.interval.sec, nv.interval.usec * 1000);
	} else {
		n = (struct sl_itimerspec){ 0, 0 };
	}
	r = sl_sys_setitimer(x->k, g->mtid, (int)a[0], &n, &o);
	if (r == 0 && a[2]) {
		to_itimerval(&o, &nv);
		if (guest_write(g->tid, a[2], &nv, sizeof nv))
			return -SL_EFAULT;
	}
	return r;
}

static long do_getitimer(struct exec *x, struct guest *g, const uint64_t *a)
{
	struct guest_itimerval v;
	struct sl_itimerspec c;
	long r;

	if (cpu_itimer(a[0]))
		return RUN_ON_HOST;
	r = sl_sys_getitimer(x->k, g->mtid, (int)a[0], &c);
	if (r == 0) {
		to_itimerval(&c, &v);
		if (guest_write(g->tid, a[1], &v, sizeof v))
			return -SL_EFAULT;
	}
	return r;
}

static void timer_remember(struct exec *x, pid_t tgid, int id, int clock)
{
	if (x->ntimers == x->timers_cap) {
		size_t ncap = x->timers_cap ? x->timers_cap * 2 : 16;
		struct exec_timer *nt = realloc(x->timers, ncap * sizeof *nt);

		if (!nt)
			return;
		x->timers = nt;
		x->timers_cap = ncap;
	}
	x->timers[x->ntimers++] = (struct exec_timer){ tgid, id, clock };
}

static struct exec_timer *timer_find(struct exec *x, pid_t tgid, int id)
{
	for (size_t i = x->ntimers; i-- > 0;)
		if (x->timers[i].tgid == tgid && x->timers[i].id == id)
			return &x->timers[i];
	return NULL;
}

static uint64_t next_timer_id(struct exec *x, pid_t tgid)
{
	uint64_t next = 0;

	for (size_t i = 0; i < x->ntimers; i++)
		if (x->timers[i].tgid == tgid && (uint64_t)x->timers[i].id + 1 > next)
			next = (uint64_t)x->timers[i].id + 1;
	return next;
}

/* A clock id in the model's numbering: a CPU clock's pid is a real pid
 * (clock_getcpuclockid, pthread_getcpuclockid), the model's tid in the
 * model's (a pid outside the tree names nobody: EINVAL). */
static int model_clock(struct exec *x, clockid_t id)
{
	pid_t pid;

	if (id >= 0 || (id & 7) == 3)
		return id;
	pid = (pid_t)~(id >> 3);
	if (!pid)
		return id;
	return SL_CPUCLOCK_PROCESS(pid_to_model(x, pid), id & 7);
}

static long do_timer_create(struct exec *x, struct guest *g, const uint64_t *a)
{
	struct guest_sigevent ev = { .signo = SL_SIGALRM, .notify = SIGEV_SIGNAL_ };
	struct sl_sigevent mev;
	clockid_t id = (clockid_t)(int32_t)a[0];
	int32_t tid32;
	long r;

	if (a[1] && guest_read(g->tid, a[1], &ev, sizeof ev))
		return -SL_EFAULT;
	/* no sigevent: SIGEV_SIGNAL, SIGALRM, the new timer's id as the value
	 * (do_timer_create); the model numbers a process's timers upward */
	if (!a[1])
		ev.value = next_timer_id(x, g->tgid);
	mev = (struct sl_sigevent){ .notify = ev.notify, .signo = ev.signo, .value = ev.value,
				    .tid = ev.tid > 0 ? pid_to_model(x, ev.tid) : ev.tid };
	if (cpu_clock_id(id))
		cpu_sync(x);
	r = sl_sys_timer_create_clock(x->k, g->mtid, model_clock(x, id), &mev);
	if (r < 0)
		return r;
	if (cpu_clock_id(id) && !x->cpu_clocks) {
		/* from now on the tracer reads CPU clocks: each guest's
		 * time so far is given to the model first */
		x->cpu_clocks = true;
		cpu_sync(x);
	}
	tid32 = (int32_t)r;
	if (guest_write(g->tid, a[2], &tid32, sizeof tid32)) {
		sl_sys_timer_delete(x->k, g->mtid, (int)r);
		return -SL_EFAULT;
	}
	timer_remember(x, g->tgid, (int)r, id);
	return 0;
}

static int read_itimerspec(struct guest *g, uint64_t at, struct sl_itimerspec *out)
{
	struct guest_itimerspec v;

	if (guest_read(g->tid, at, &v, sizeof v))
		return -SL_EFAULT;
	if (v.value.nsec < 0 || v.value.nsec >= NSEC || v.interval.nsec < 0 ||
	    v.interval.nsec >= NSEC || v.value.sec < 0 || v.interval.sec < 0)
		return -SL_EINVAL;
	out->value = timespec_ns(v.value.sec, v.value.nsec);
	out->interval = timespec_ns(v.interval.sec, v.interval.nsec);
	return 0;
}

static int write_itimerspec(struct guest *g, uint64_t at, const struct sl_itimerspec *in)
{
	struct guest_itimerspec v = { { in->interval / NSEC, in->interval % NSEC },
				      { in->value / NSEC, in->value % NSEC } };

	return guest_write(g->tid, at, &v, sizeof v);
}

static long do_timer_settime(struct exec *x, struct guest *g, const uint64_t *a)
{
	struct sl_itimerspec n, o;
	long r;
	int e;

	if ((e = read_itimerspec(g, a[2], &n)))
		return e;
	/* An absolute expiry on the timer's clock becomes a relative one:
	 * the model's clock follows the host's. */
	if ((a[1] & TIMER_ABSTIME_) && n.value) {
		struct exec_timer *t = timer_find(x, g->tgid, (int32_t)a[0]);

		if (t && cpu_clock_id(t->clock))
			n.value -= cpu_clock_ns(g, t->clock);
		else
			n.value -= host_clock_ns(t ? (clockid_t)t->clock : CLOCK_MONOTONIC);
		if (n.value <= 0)
			n.value = 1;
	}
	r = sl_sys_timer_settime(x->k, g->mtid, (int32_t)a[0], &n, &o);
	if (r == 0 && a[3] && write_itimerspec(g, a[3], &o))
		return -SL_EFAULT;
	return r;
}

static long do_timer_gettime(struct exec *x, struct guest *g, const uint64_t *a)
{
	struct sl_itimerspec c;
	long r = sl_sys_timer_gettime(x->k, g->mtid, (int32_t)a[0], &c);

	if (r == 0 && write_itimerspec(g, a[1], &c))
		return -SL_EFAULT;
	return r;
}

static long do_timer_getoverrun(struct exec *x, struct guest *g, const uint64_t *a)
{
	return sl_sys_timer_getoverrun(x->k, g->mtid, (int32_t)a[0]);
}

static long do_timer_delete(struct exec *x, struct guest *g, const uint64_t *a)
{
	return sl_sys_timer_delete(x->k, g->mtid, (int32_t)a[0]);
}

static long do_sigaltstack(struct exec *x, struct guest *g, const uint64_t *a)
{
	struct guest_stack gs;
	struct sl_stack ss, oss;
	long r;

	if (a[0]) {
		if (guest_read(g->tid, a[0], &gs, sizeof gs))
			return -SL_EFAULT;
		ss = (struct sl_stack){ gs.sp, (uint32_t)gs.flags, gs.size };
	}
	r = sl_sys_sigaltstack(x->k, g->mtid, a[0] ? &ss : NULL, &oss);
	if (r == 0 && a[1]) {
		memset(&gs, 0, sizeof gs);
		gs = (struct guest_stack){ oss.sp, (int32_t)oss.flags, oss.size };
		if (guest_write(g->tid, a[1], &gs, sizeof gs))
			return -SL_EFAULT;
	}
	return r;
}

/* exit and exit_group: the model learns first, then the host runs the
 * call (a process the model killed meanwhile dies by its signal). */
static long do_exit(struct exec *x, struct guest *g, const uint64_t *a)
{
	sl_sys_exit(x->k, g->mtid, (int)(a[0] & 0xff));
	return RUN_ON_HOST;
}

static long do_exit_group(struct exec *x, struct guest *g, const uint64_t *a)
{
	sl_sys_exit_group(x->k, g->mtid, (int)(a[0] & 0xff));
	return RUN_ON_HOST;
}

/* The model reaped real child `pid` (a guest's): the guest's call runs on
 * the host as wait4(pid, NULL, __WALL, rusage), which reaps the real
 * zombie and fills rusage, and its syscall-exit stop puts back the
 * registers with the model's value. */
static void reap_on_host(struct guest *g, pid_t pid, uint64_t rusage, long value)
{
	g->exit_regs = g->regs;
	g->exit_regs.rax = (uint64_t)value;
	g->exit_regs.orig_rax = (uint64_t)-1;
	g->regs.orig_rax = SYS_wait4;
	g->regs.rdi = (uint64_t)(unsigned)pid;
	g->regs.rsi = 0;
	g->regs.rdx = SL___WALL;
	g->regs.r10 = rusage;
	g->regs_dirty = true;
	g->exit_fix = true;
	g->exit_reap = true;
}

/* A wait's result: the status word (wait4) or siginfo (waitid) written,
 * and a reaped child reaped on the host too. */
static long wait_result(struct exec *x, struct guest *g, long nr, const uint64_t *a, long r,
			int status, const struct sl_siginfo *info)
{
	unsigned char buf[GUEST_SIGINFO_SIZE];
	bool reaped;
	int mpid;
	long out = r;

	if (nr == SYS_wait4) {
		mpid = (int)r;
		reaped = r > 0 && (status & 0x7f) != 0x7f && status != 0xffff;
		if (r > 0) {
			int32_t st = status;

			out = pid_to_real(x, mpid);
			if (a[1] && guest_write(g->tid, a[1], &st, sizeof st))
				out = -SL_EFAULT;
		}
	} else {
		mpid = info->pid;
		reaped = r == 0 && info->pid > 0 && !(a[3] & SL_WNOWAIT) &&
			 (info->code == SL_CLD_EXITED || info->code == SL_CLD_KILLED ||
			  info->code == SL_CLD_DUMPED);
		if (r == 0 && a[2]) {
			siginfo_to_guest(x, info, buf);
			if (guest_write(g->tid, a[2], buf, sizeof buf))
				out = -SL_EFAULT;
		}
	}
	if (reaped && pid_to_real(x, mpid) > 0)
		reap_on_host(g, pid_to_real(x, mpid), nr == SYS_wait4 ? a[3] : a[4], out);
	return out;
}

/* wait4's pid: -1 any, 0 the caller's group, < -1 a group, > 0 one. */
static long do_wait4(struct exec *x, struct guest *g, const uint64_t *a)
{
	int pid = (int32_t)a[0], status = 0;
	long r;

	r = sl_sys_wait4(x->k, g->mtid, kill_pid(x, pid), &status, (unsigned)a[2]);
	if (r == SL_SYSCALL_BLOCKED)
		return r;
	return wait_result(x, g, SYS_wait4, a, r, status, NULL);
}

static long do_waitid(struct exec *x, struct guest *g, const uint64_t *a)
{
	int idtype = (int32_t)a[0], id = (int32_t)a[1];
	struct sl_siginfo info;
	long r;

	memset(&info, 0, sizeof info);
	if (idtype == SL_P_PID)
		id = id > 0 ? pid_to_model(x, id) : id;
	else if (idtype == SL_P_PGID)
		id = id > 0 ? pgid_to_model(x, id) : id;
	else if (idtype != SL_P_ALL)
		return -SL_EINVAL;	/* UNMODELED(waitid P_PIDFD) */
	r = sl_sys_waitid(x->k, g->mtid, idtype, id, &info, (unsigned)a[3]);
	if (r == SL_SYSCALL_BLOCKED)
		return r;
	return wait_result(x, g, SYS_waitid, a, r, 0, &info);
}

/* pidfds are real file descriptors (the guest polls them, passes them,
 * closes them): the host makes them, once the model has checked the pid
 * (a pid outside the tree is ESRCH). */
static long do_pidfd_open(struct exec *x, struct guest *g, const uint64_t *a)
{
	int pid = (int32_t)a[0];
	long r = sl_sys_pidfd_open(x->k, g->mtid, pid > 0 ? pid_to_model(x, pid) : pid,
				   (unsigned)a[1]);

	return r < 0 ? r : RUN_ON_HOST;
}

/* The process a real pidfd names, from /proc/TID/fdinfo/FD: its pid (-1
 * when it has been reaped), and whether it is a thread pidfd
 * (PIDFD_THREAD is O_EXCL in the file's flags); -SL_EBADF when the fd is
 * not a pidfd. */
static int pidfd_target(pid_t tid, int fd, pid_t *pid, bool *thread)
{
	char path[64], line[128];
	bool found = false;
	unsigned long flags = 0;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/fdinfo/%d", (int)tid, fd);
	f = fopen(path, "r");
	if (!f)
		return -SL_EBADF;
	while (fgets(line, sizeof line, f)) {
		int v;

		if (sscanf(line, "Pid: %d", &v) == 1) {
			*pid = v;
			found = true;
		}
		(void)sscanf(line, "flags: %lo", &flags);
	}
	fclose(f);
	*thread = (flags & 0200) != 0;
	return found ? 0 : -SL_EBADF;
}

static int model_pidfd(struct exec *x, struct guest *g, pid_t target, bool thread)
{
	long mfd;

	for (size_t i = 0; i < x->npidfds; i++) {
		struct exec_pidfd *p = &x->pidfds[i];

		if (p->tgid == g->tgid && p->target == target && p->thread == thread)
			return p->mfd;
	}
	mfd = sl_sys_pidfd_open(x->k, g->mtid, pid_to_model(x, target), thread ? 0200 : 0);
	if (mfd < 0)
		return (int)mfd;
	if (x->npidfds == x->pidfds_cap) {
		size_t ncap = x->pidfds_cap ? x->pidfds_cap * 2 : 8;
		struct exec_pidfd *np = realloc(x->pidfds, ncap * sizeof *np);

		if (!np)
			return (int)mfd;
		x->pidfds = np;
		x->pidfds_cap = ncap;
	}
	x->pidfds[x->npidfds++] = (struct exec_pidfd){ g->tgid, target, thread, (int)mfd };
	return (int)mfd;
}

static long do_pidfd_send_signal(struct exec *x, struct guest *g, const uint64_t *a)
{
	struct sl_siginfo info;
	pid_t target;
	bool thread;
	int mfd, e;

	if ((e = pidfd_target(g->tid, (int32_t)a[0], &target, &thread)))
		return e;
	if (target <= 0)
		return -SL_ESRCH;
	mfd = model_pidfd(x, g, target, thread);
	if (mfd < 0)
		return mfd;
	if (a[2] && read_siginfo(x, g, a[2], &info))
		return -SL_EFAULT;
	return sl_sys_pidfd_send_signal(x->k, g->mtid, mfd, sig_arg(a[1]), a[2] ? &info : NULL,
					(unsigned)a[3]);
}

/* prctl: the parent-death signal is the model's alone (the host's would
 * come as a second, outside signal); being a child subreaper is the
 * model's and the host's too, so that real orphans go where the model's
 * do and their real zombies are reaped by the same wait.  Any other
 * option is the host's. */
static long do_prctl(struct exec *x, struct guest *g, const uint64_t *a)
{
	int opt = (int32_t)a[0], out = 0;
	long r;

	switch (opt) {
	case SL_PR_SET_PDEATHSIG:
		return sl_sys_prctl(x->k, g->mtid, opt, a[1], NULL);
	case SL_PR_SET_CHILD_SUBREAPER:
		r = sl_sys_prctl(x->k, g->mtid, opt, a[1], NULL);
		return r < 0 ? r : RUN_ON_HOST;
	case SL_PR_GET_PDEATHSIG:
	case SL_PR_GET_CHILD_SUBREAPER:
		r = sl_sys_prctl(x->k, g->mtid, opt, 0, &out);
		if (r == 0 && guest_write(g->tid, a[1], &out, sizeof out))
			return -SL_EFAULT;
		return r;
	default:
		return RUN_ON_HOST;
	}
}

/* Process groups and sessions live on the host (the terminal's job
 * control needs them there); the model follows each change the host
 * accepted.  So do the user ids (setuid, setreuid, setresuid: files and
 * everything else outside signals need the real ones), which the model
 * needs for the kill permission, si_uid and the parent-death signal that
 * a new effective uid clears (kernel/sys.c, commit_creds); the host
 * decides, and the model, whose rules are the same, must agree. */
static long do_host_watched(struct exec *x, struct guest *g, const uint64_t *a)
{
	(void)x;
	(void)g;
	(void)a;
	return RUN_ON_HOST_WATCH;
}

void syscall_watched(struct exec *x, struct guest *g)
{
	const uint64_t *a = g->watch_args;
	long r = (long)g->regs.rax;
	int pid, pgid;

	g->exit_watch = false;
	if (r < 0)
		return;
	r = 0;
	switch (g->watch_nr) {
	case SYS_setpgid:
		pid = (int32_t)a[0];
		pgid = (int32_t)a[1];
		pid = pid > 0 ? pid_to_model(x, pid) : pid;
		pgid = pgid > 0 ? pgid_to_model(x, pgid) : pgid;
		sl_sys_setpgid(x->k, g->mtid, pid, pgid);
		break;
	case SYS_setsid:
		sl_sys_setsid(x->k, g->mtid);
		break;
	case SYS_signalfd:
	case SYS_signalfd4:
		sigfd_created(x, g);
		break;
	case SYS_setuid:
		r = sl_sys_setuid(x->k, g->mtid, (uint32_t)a[0]);
		break;
	case SYS_setreuid:
		r = sl_sys_setreuid(x->k, g->mtid, (uint32_t)a[0], (uint32_t)a[1]);
		break;
	case SYS_setresuid:
		r = sl_sys_setresuid(x->k, g->mtid, (uint32_t)a[0], (uint32_t)a[1], (uint32_t)a[2]);
		break;
	default:
		break;
	}
	if (r < 0 && x->opt.verbose)
		fprintf(stderr, "siglab exec: the model refused %s, which the host allowed (%ld)\n",
			syscall_name(g->watch_nr), r);
}

/* getppid is the model's: a reparenting (an orphan's new parent, a
 * subreaper) happens in the model when the parent's exit is served, a
 * moment before the host's own; a child that asks at once, woken by its
 * parent-death signal, must see its new parent.  A parent outside the
 * guest tree (the model's init) is the host's answer. */
static long do_getppid(struct exec *x, struct guest *g, const uint64_t *a)
{
	long r = sl_sys_getppid(x->k, g->mtid);
	pid_t real;

	(void)a;
	if (r <= 0 || (int)r == x->init_mtid || !(real = pid_to_real(x, (int)r)))
		return RUN_ON_HOST;
	return real;
}

/* signalfd, signalfd4 and read: signalfd.c */
static long do_signalfd(struct exec *x, struct guest *g, const uint64_t *a)
{
	return sigfd_signalfd4(x, g, a, 0);
}

static long do_signalfd4(struct exec *x, struct guest *g, const uint64_t *a)
{
	return sigfd_signalfd4(x, g, a, (unsigned)a[3]);
}

static long do_rt_sigreturn(struct exec *x, struct guest *g, const uint64_t *a)
{
	(void)a;
	return frame_sigreturn(x, g);
}

struct served {
	const char *name;
	adapter_fn fn;
};

static const struct served table[] = {
	[SYS_rt_sigaction] = { "rt_sigaction", do_rt_sigaction },
	[SYS_rt_sigprocmask] = { "rt_sigprocmask", do_rt_sigprocmask },
	[SYS_rt_sigreturn] = { "rt_sigreturn", do_rt_sigreturn },
	[SYS_pause] = { "pause", do_pause },
	[SYS_nanosleep] = { "nanosleep", do_nanosleep },
	[SYS_getitimer] = { "getitimer", do_getitimer },
	[SYS_alarm] = { "alarm", do_alarm },
	[SYS_setitimer] = { "setitimer", do_setitimer },
	[SYS_kill] = { "kill", do_kill },
	[SYS_rt_sigpending] = { "rt_sigpending", do_rt_sigpending },
	[SYS_rt_sigtimedwait] = { "rt_sigtimedwait", do_rt_sigtimedwait },
	[SYS_rt_sigqueueinfo] = { "rt_sigqueueinfo", do_rt_sigqueueinfo },
	[SYS_rt_sigsuspend] = { "rt_sigsuspend", do_rt_sigsuspend },
	[SYS_sigaltstack] = { "sigaltstack", do_sigaltstack },
	[SYS_tkill] = { "tkill", do_tkill },
	[SYS_tgkill] = { "tgkill", do_tgkill },
	[SYS_rt_tgsigqueueinfo] = { "rt_tgsigqueueinfo", do_rt_tgsigqueueinfo },
	[SYS_timer_create] = { "timer_create", do_timer_create },
	[SYS_timer_settime] = { "timer_settime", do_timer_settime },
	[SYS_timer_gettime] = { "timer_gettime", do_timer_gettime },
	[SYS_timer_getoverrun] = { "timer_getoverrun", do_timer_getoverrun },
	[SYS_timer_delete] = { "timer_delete", do_timer_delete },
	[SYS_clock_nanosleep] = { "clock_nanosleep", do_clock_nanosleep },
	[SYS_exit] = { "exit", do_exit },
	[SYS_exit_group] = { "exit_group", do_exit_group },
	[SYS_wait4] = { "wait4", do_wait4 },
	[SYS_waitid] = { "waitid", do_waitid },
	[SYS_setpgid] = { "setpgid", do_host_watched },
	[SYS_setsid] = { "setsid", do_host_watched },
	[SYS_pidfd_open] = { "pidfd_open", do_pidfd_open },
	[SYS_pidfd_send_signal] = { "pidfd_send_signal", do_pidfd_send_signal },
	[SYS_prctl] = { "prctl", do_prctl },
	[SYS_getppid] = { "getppid", do_getppid },
	[SYS_ptrace] = { "ptrace", guest_ptrace },
	[SYS_setuid] = { "setuid", do_host_watched },
	[SYS_setreuid] = { "setreuid", do_host_watched },
	[SYS_setresuid] = { "setresuid", do_host_watched },
	[SYS_signalfd] = { "signalfd", do_signalfd },
	[SYS_signalfd4] = { "signalfd4", do_signalfd4 },
	[SYS_read] = { "read", sigfd_read },
};

#define NTABLE (sizeof table / sizeof table[0])

const char *syscall_name(long nr)
{
	if (nr < 0 || (size_t)nr >= NTABLE || !table[nr].name)
		return NULL;
	return table[nr].name;
}

void guest_set_ret(struct guest *g, long ret)
{
	g->regs.rax = (uint64_t)ret;
	g->regs_dirty = true;
}

int syscall_serve(struct exec *x, struct guest *g)
{
	long nr = (long)g->regs.orig_rax;
	uint64_t a[6] = { g->regs.rdi, g->regs.rsi, g->regs.rdx,
			  g->regs.r10, g->regs.r8, g->regs.r9 };
	long r;

	if (nr < 0 || (size_t)nr >= NTABLE || !table[nr].fn)
		return 0;
	r = table[nr].fn(x, g, a);
	if (r == RUN_ON_HOST)
		return 0;
	if (r == RUN_ON_HOST_WATCH) {
		g->exit_watch = true;
		g->watch_nr = nr;
		memcpy(g->watch_args, a, sizeof a);
		return 0;
	}
	/* the host does not run the call: the model answered it (unless
	 * the adapter rewrote it into a host call of its own) */
	if (!g->exit_fix)
		g->regs.orig_rax = (uint64_t)-1;
	g->regs_dirty = true;
	if (r == SL_SYSCALL_BLOCKED) {
		g->in_call = true;
		g->call_nr = nr;
		memcpy(g->call_args, a, sizeof a);
		guest_set_ret(g, -SL_EINTR);
		return 2;
	}
	if (nr != SYS_rt_sigreturn && !g->exit_fix)
		guest_set_ret(g, r);
	return 1;
}

/* The later value of a model-owned call, with what it writes back. */
void syscall_finish(struct exec *x, struct guest *g)
{
	const uint64_t *a = g->call_args;
	unsigned char buf[GUEST_SIGINFO_SIZE];
	long r = g->ret;

	g->ret_ready = false;
	g->in_call = false;
	if (g->call_nr == SYS_rt_sigtimedwait && r > 0 && a[1]) {
		siginfo_to_guest(x, &g->ret_info, buf);
		if (guest_write(g->tid, a[1], buf, sizeof buf))
			r = -SL_EFAULT;
	} else if (g->call_nr == SYS_nanosleep && r == -SL_EINTR && a[1]) {
		if (write_timespec(g, a[1], (sl_time)g->ret_info.value))
			r = -SL_EFAULT;
	} else if (g->call_nr == SYS_clock_nanosleep && r == -SL_EINTR && a[3] &&
		   !(a[1] & TIMER_ABSTIME_)) {
		if (write_timespec(g, a[3], (sl_time)g->ret_info.value))
			r = -SL_EFAULT;
	} else if (g->call_nr == SYS_read) {
		r = sigfd_read_finish(x, g, a, r);
	} else if (g->call_nr == SYS_wait4 || g->call_nr == SYS_waitid) {
		r = wait_result(x, g, g->call_nr, a,
				g->call_nr == SYS_waitid && r > 0 ? 0 : r,
				(int)g->ret_info.value, &g->ret_info);
		if (g->exit_fix)
			return;
	}
	guest_set_ret(g, r);
}
