/* The tracer: one waitpid(-1, __WALL) loop over every guest task
 * (gVisor's ptrace platform, strace -f).  Stops it handles:
 *   seccomp stops      a served call: the model answers it (syscalls.c)
 *   signal-delivery    a CPU fault becomes sl_fault; any other host signal
 *                      is suppressed: one the host kernel raised for the
 *                      guest (its terminal, pipes, files) is generated in
 *                      the model as the kernel would (hostsig.c), one from
 *                      outside the tree is handed to it as a kill, and the
 *                      rest the model sends itself
 *   PTRACE_EVENT_STOP  our PTRACE_INTERRUPT (the model has a signal for a
 *                      running task), or a new task's first stop
 *   fork/clone/exec    mirrored into the model
 * After each, every task the model wants to act is settled: stopped if
 * running, its signals delivered (frame.c) if held, then resumed unless
 * the model keeps it asleep or stopped.  A task the model kills dies for
 * real by the same signal. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "exec/exec.h"

#ifndef PTRACE_EVENT_STOP
#define PTRACE_EVENT_STOP 128
#endif

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * SL_NSEC_PER_SEC + ts.tv_nsec;
}

static void say(struct exec *x, const char *fmt, int a, long b)
{
	if (x->opt.verbose) {
		fprintf(stderr, "siglab exec: ");
		fprintf(stderr, fmt, a, b);
		fputc('\n', stderr);
	}
}

static int getregs(struct guest *g)
{
	if (ptrace(PTRACE_GETREGS, g->tid, 0, &g->regs))
		return -1;
	g->regs_valid = true;
	g->regs_dirty = false;
	return 0;
}

static void resume(struct exec *x, struct guest *g, int sig)
{
	/* a rewritten call stops again at its exit (reap_on_host); a task a
	 * guest traces stops at every call's entry and exit */
	bool sysstops = g->exit_fix || g->exit_watch || guest_traced(x, g);

	sigfd_refresh(x);	/* a poll it makes sees the model's signalfds */
	if (g->regs_dirty && ptrace(PTRACE_SETREGS, g->tid, 0, &g->regs))
		say(x, "SETREGS %d failed (%ld)", g->tid, errno);
	g->regs_dirty = false;
	host_mask_sync(x, g);
	g->regs_valid = false;
	if (ptrace(sysstops ? PTRACE_SYSCALL : PTRACE_CONT, g->tid, 0,
		   (void *)(long)sig) == 0)
		g->state = GUEST_RUNNING;
	else
		say(x, "CONT %d failed (%ld)", g->tid, errno);
}

/* The model says the task died by a signal: the real task dies by the
 * same one, since its real disposition is the default and its real mask
 * empty.  At its signal-delivery-stop the signal is injected; elsewhere
 * it is sent, and let through at that stop. */
static void die_for_real(struct exec *x, struct guest *g)
{
	int sig = g->kill_sig;

	if (!sig) {
		resume(x, g, 0);	/* exit / exit_group runs on the host */
		return;
	}
	if (g->hold == HOLD_SIGNAL && sig != SL_SIGKILL) {
		resume(x, g, sig);
		return;
	}
	if (g->hold == HOLD_SECCOMP && g->regs_valid) {
		g->regs.orig_rax = (uint64_t)-1;
		g->regs_dirty = true;
	}
	syscall(SYS_tgkill, g->tgid, g->tid, sig);
	resume(x, g, 0);
}

/* What the interrupted context holds while the handler runs: the call's
 * value, -EINTR, or the rewound call (arch_do_signal_or_restart). */
static void frame_context(struct guest *g, const struct sl_ksignal *ks)
{
	if (!ks->sys_nr)
		return;
	if (ks->sys_nr == SL_NR_HOST) {
		g->host_call = false;
		if (ks->sys_ret == -SL_ERESTARTNOINTR) {
			g->regs.rax = g->regs.orig_rax;
			g->regs.rip -= 2;
		} else {
			g->regs.rax = (uint64_t)ks->sys_ret;
		}
	} else {
		/* DEVIATION(a model-owned call that restarts after the handler
		 * shows -EINTR, not the rewound call, in the frame's registers:
		 * the model runs it again itself) */
		g->regs.rax = (uint64_t)(ks->sys_ret == -SL_ERESTARTNOINTR ? -SL_EINTR : ks->sys_ret);
	}
	g->regs_dirty = true;
}

static void take_return(struct exec *x, struct guest *g)
{
	if (!g->ret_ready)
		return;
	if (g->host_call) {
		/* the host's own exit path restarts or returns it */
		g->ret_ready = false;
		g->host_call = false;
		return;
	}
	syscall_finish(x, g);
}

/* A task the model stopped at its syscall entry runs again: the model
 * is asked once more (the stop's signal, a fatal signal that skips the
 * call: ptrace_report_syscall_entry), then the host performs the call. */
static void entry_resumed(struct exec *x, struct guest *g)
{
	struct sl_task_info ti;
	int r;

	if (sl_task_info(x->k, g->mtid, &ti) || ti.state != SL_TASK_RUNNING)
		return;
	g->entry_parked = false;
	r = sl_syscall_enter(x->k, g->mtid);
	if (r == 1) {
		g->entry_parked = true;
		return;
	}
	if (r < 0) {
		g->regs.orig_rax = (uint64_t)-1;
		g->regs_dirty = true;
	}
	resume(x, g, 0);
}

/* The return to user mode of a held task (exit_to_user_mode_loop). */
static void settle(struct exec *x, struct guest *g)
{
	struct sl_task_info ti;
	struct sl_ksignal ks;
	bool defer;

	if (g->state != GUEST_HELD || !g->mtid)
		return;
	if (!g->regs_valid && getregs(g))
		return;
	if (g->entry_parked) {
		entry_resumed(x, g);
		return;
	}
	take_return(x, g);
	/* a host wait4 to run first: signals are taken at its exit */
	if (g->exit_fix) {
		resume(x, g, 0);
		return;
	}
	/* a task a guest traces takes its signals after its call's exit
	 * stop, as the kernel's exit_to_user_mode_loop follows
	 * syscall_exit_work */
	defer = guest_traced(x, g) && (g->hold == HOLD_SECCOMP || g->hold == HOLD_EVENT ||
				       g->hold == HOLD_SYSENTER);
	while (!defer && !g->model_dead && sl_task_has_work(x->k, g->mtid)) {
		enum sl_delivery d = sl_return_to_user(x->k, g->mtid, &ks);

		take_return(x, g);
		if (d != SL_DELIVER_HANDLER)
			break;
		frame_context(g, &ks);
		if (frame_setup(x, g, &ks))
			sl_signal_frame_failed(x->k, g->mtid);
		else
			g->in_call = false;
		if (g->hold == HOLD_SECCOMP || g->hold == HOLD_INTERRUPT ||
		    g->hold == HOLD_SIGNAL) {
			g->regs.orig_rax = (uint64_t)-1;
			g->regs_dirty = true;
		}
	}
	if (g->model_dead) {
		die_for_real(x, g);
		return;
	}
	if (sl_task_info(x->k, g->mtid, &ti) == 0 &&
	    (ti.state == SL_TASK_SLEEPING || ti.state == SL_TASK_STOPPED ||
	     ti.state == SL_TASK_TRACED))
		return;
	resume(x, g, 0);
}

/* A held task the model has running (a guest tracer resumed it from a
 * ptrace stop): it goes on. */
static bool runs_again(struct exec *x, const struct guest *g)
{
	struct sl_task_info ti;

	return !g->in_call && sl_task_info(x->k, g->mtid, &ti) == 0 &&
	       ti.state == SL_TASK_RUNNING && ti.tracer != 0;
}

static void settle_all(struct exec *x)
{
	for (size_t i = 0; i < x->ng; i++) {
		struct guest *g = x->g[i];

		if (!g->mtid)
			continue;
		if (g->state == GUEST_HELD) {
			if (g->ret_ready || g->model_dead || sl_task_has_work(x->k, g->mtid) ||
			    runs_again(x, g))
				settle(x, g);
		} else if (g->state == GUEST_RUNNING && !g->interrupted && !g->exit_fix &&
			   (g->model_dead || sl_task_has_work(x->k, g->mtid))) {
			if (ptrace(PTRACE_INTERRUPT, g->tid, 0, 0) == 0)
				g->interrupted = true;
		}
	}
}

static bool restart_code(long r)
{
	return r == -SL_ERESTARTSYS || r == -SL_ERESTARTNOINTR ||
	       r == -SL_ERESTARTNOHAND || r == -SL_ERESTART_RESTARTBLOCK;
}

/* The model's clock at the host's now before a call reads or arms it, so
 * that a timeout or timer starts from the real now (the loop advances it
 * only before it waits). */
static void sync_clock(struct exec *x)
{
	sl_time now = mono_ns() - x->t0;

	if (!x->opt.virtual_time && now > sl_clock_now(x->k))
		sl_clock_advance(x->k, now - sl_clock_now(x->k));
	cpu_sync(x);
}

static void on_seccomp(struct exec *x, struct guest *g)
{
	int r;

	if (getregs(g))
		return;
	if (g->exit_restart) {
		/* our own reaping wait4, restarted by the host: its exit
		 * stop still brings the guest's registers back */
		g->exit_restart = false;
		resume(x, g, 0);
		return;
	}
	sync_clock(x);
	sl_task_set_user_sp(x->k, g->mtid, g->regs.rsp);
	g->served_nr = (long)g->regs.orig_rax;
	/* A new call: a call asleep before was left by a longjmp, and a
	 * host call interrupted before is over. */
	g->in_call = false;
	g->host_call = false;
	r = syscall_serve(x, g);
	if (r == 0 && !g->model_dead) {
		resume(x, g, 0);	/* the host runs it; signals after it */
		return;
	}
	settle(x, g);
}

/* A host call on its way out for a signal (rax a restart code) is the
 * model's to restart or end (sl_syscall_interrupted). */
static void note_host_call(struct exec *x, struct guest *g)
{
	sl_task_set_user_sp(x->k, g->mtid, g->regs.rsp);
	if ((long)g->regs.orig_rax >= 0 && restart_code((long)g->regs.rax) &&
	    sl_syscall_interrupted(x->k, g->mtid, (long)g->regs.rax) == 0)
		g->host_call = true;
}

static void on_interrupt(struct exec *x, struct guest *g)
{
	g->interrupted = false;
	if (getregs(g))
		return;
	note_host_call(x, g);
	settle(x, g);
}

/* The syscall-entry stop of a task a guest traces: the model decides
 * whether its tracer sees it (ptrace_report_syscall_entry). */
static void on_syscall_entry(struct exec *x, struct guest *g)
{
	int r;

	if (!g->mtid || !guest_traced(x, g)) {
		resume(x, g, 0);
		return;
	}
	if (getregs(g))
		return;
	r = sl_syscall_enter(x->k, g->mtid);
	if (r == 1) {
		g->entry_parked = true;
		return;
	}
	if (r < 0) {
		g->regs.orig_rax = (uint64_t)-1;
		g->regs_dirty = true;
	}
	resume(x, g, 0);
}

/* The syscall-exit stop of a task a guest traces: its tracer may see it
 * (ptrace_report_syscall_exit), then the return to user mode. */
static void traced_exit(struct exec *x, struct guest *g)
{
	if (!g->mtid || !guest_traced(x, g)) {
		settle(x, g);
		return;
	}
	if (g->regs_valid && (long)g->regs.orig_rax == -1 && g->served_nr >= 0 &&
	    !restart_code((long)g->regs.rax)) {
		g->regs.orig_rax = (uint64_t)g->served_nr;
		g->regs_dirty = true;
	}
	g->served_nr = -1;
	if (sl_syscall_exit(x->k, g->mtid) == 1)
		return;
	settle(x, g);
}

/* The exit of a call rewritten into a host wait4: the guest's registers
 * come back, with the model's value. */
static void on_syscall_exit(struct exec *x, struct guest *g)
{
	if (g->exit_watch) {
		if (getregs(g))
			return;
		syscall_watched(x, g);
		traced_exit(x, g);
		return;
	}
	if (!g->exit_fix) {
		if (guest_traced(x, g) && !getregs(g))
			traced_exit(x, g);
		else
			resume(x, g, 0);
		return;
	}
	/* the host's wait4 wrote the rusage: a bad pointer is its EFAULT,
	 * after the reap (SYSCALL_DEFINE4(wait4) copies it last) */
	if (g->exit_reap && !getregs(g))
		say(x, "host wait4 of %d = %ld", (int)g->regs.rdi, (long)g->regs.rax);
	if (g->exit_reap && g->regs_valid && restart_code((long)g->regs.rax)) {
		/* the host's wait4 was interrupted (our PTRACE_INTERRUPT)
		 * before it reaped: the host restarts it, and its seccomp
		 * stop lets it run (on_seccomp); until it is over no
		 * interrupt of ours may cut it short again */
		g->exit_restart = true;
		resume(x, g, 0);
		return;
	}
	g->exit_fix = false;
	if (g->exit_reap && g->regs_valid && (long)g->regs.rax == -SL_EFAULT &&
	    (long)g->exit_regs.rax >= 0)
		g->exit_regs.rax = (uint64_t)-SL_EFAULT;
	g->exit_reap = false;
	g->regs = g->exit_regs;
	g->regs_valid = true;
	g->regs_dirty = true;
	traced_exit(x, g);
}

/* A host signal at its delivery stop: a CPU fault is sl_fault; a signal
 * the host kernel raised for the guest (hostsig.c) is generated in the
 * model with its siginfo, after which an interrupted host call is the
 * model's to end or restart; one from outside the tree comes to the
 * model as from init; the rest the model sends itself.  A signal handed
 * over while the task was held (forward_pending) is dropped. */
static void on_signal(struct exec *x, struct guest *g, int sig)
{
	enum host_origin from;
	siginfo_t si;

	if (sig == g->kill_sig) {
		resume(x, g, sig);
		return;
	}
	if (ptrace(PTRACE_GETSIGINFO, g->tid, 0, &si)) {
		resume(x, g, 0);
		return;
	}
	from = host_signal_origin(x, sig, &si);
	if (from == HOST_FAULT) {
		if (getregs(g))
			return;
		sl_task_set_user_sp(x->k, g->mtid, g->regs.rsp);
		sl_fault(x->k, g->mtid, sig, si.si_code, (uint64_t)(uintptr_t)si.si_addr);
		settle(x, g);
		return;
	}
	if (from != HOST_DROP && (g->forwarded & sl_sigmask(sig))) {
		g->forwarded &= ~sl_sigmask(sig);
	} else if (from == HOST_KERNEL && g->mtid) {
		host_kernel_signal(x, g, sig, &si, -1);
		/* our reaping wait4 is restarted by the host: the signal is
		 * taken at its exit */
		if (g->exit_fix) {
			resume(x, g, 0);
			return;
		}
		if (getregs(g))
			return;
		note_host_call(x, g);
		settle(x, g);
		return;
	} else if (from == HOST_OUTSIDE) {
		sl_sys_kill(x->k, x->init_mtid, pid_to_model(x, g->tgid), sig);
	}
	resume(x, g, 0);
}

/* A task the model keeps asleep sits in a ptrace stop, where a host
 * signal from outside (a shell's kill, the terminal) waits unseen until
 * it runs again: the loop looks at its host queue (PTRACE_PEEKSIGINFO,
 * which dequeues nothing) and hands each outside or host-raised signal
 * to the model now; its later delivery stop drops it. */
static void forward_pending(struct exec *x, struct guest *g)
{
	struct __ptrace_peeksiginfo_args arg = { .off = 0, .nr = 1 };
	siginfo_t si;

	for (int shared = 0; shared < 2; shared++) {
		arg.flags = shared ? PTRACE_PEEKSIGINFO_SHARED : 0;
		for (arg.off = 0; arg.off < 64; arg.off++) {
			if (ptrace(PTRACE_PEEKSIGINFO, g->tid, &arg, &si) != 1)
				break;
			enum host_origin from = host_signal_origin(x, si.si_signo, &si);

			if (g->forwarded & sl_sigmask(si.si_signo) ||
			    (from != HOST_OUTSIDE && from != HOST_KERNEL))
				continue;
			g->forwarded |= sl_sigmask(si.si_signo);
			if (from == HOST_KERNEL)
				host_kernel_signal(x, g, si.si_signo, &si, shared);
			else
				sl_sys_kill(x->k, x->init_mtid, pid_to_model(x, g->tgid),
					    si.si_signo);
		}
	}
}

#define HELD_POLL_NS (100 * 1000 * 1000)

static bool any_held(const struct exec *x)
{
	for (size_t i = 0; i < x->ng; i++)
		if (x->g[i]->state == GUEST_HELD && x->g[i]->mtid)
			return true;
	return false;
}

static void forward_all_pending(struct exec *x)
{
	for (size_t i = 0; i < x->ng; i++)
		if (x->g[i]->state == GUEST_HELD && x->g[i]->mtid)
			forward_pending(x, x->g[i]);
}

/* clone3's struct clone_args starts with flags; exit_signal is its fifth
 * field. */
static int clone_flags(struct guest *p, uint64_t *flags, int *exit_signal)
{
	uint64_t args[5];

	switch ((long)p->regs.orig_rax) {
	case SYS_fork:
		*flags = 0;
		*exit_signal = SL_SIGCHLD;
		return 0;
	case SYS_vfork:
		*flags = SL_CLONE_VM;
		*exit_signal = SL_SIGCHLD;
		return 0;
	case SYS_clone:
		*flags = p->regs.rdi & ~0xffull;
		*exit_signal = (int)(p->regs.rdi & 0xff);
		return 0;
	case SYS_clone3:
		if (guest_read(p->tid, p->regs.rdi, args, sizeof args))
			return -1;
		*flags = args[0];
		*exit_signal = (int)args[4];
		return 0;
	default:
		return -1;
	}
}

/* The model's clone of a clone the host has made already.  A signal the
 * model has pending for the parent makes the model refuse it
 * (-ERESTARTNOINTR: copy_process restarts the call once the signal is
 * handled), but the real child exists: the model makes it with every
 * signal blocked in the parent for the moment, and the child gets the
 * parent's mask back.
 * DEVIATION(a clone made while the model had a signal pending for the
 * parent completes, and the signal is taken after it; Linux takes the
 * signal first and makes the clone again: the host made it before the
 * model could say) */
static int mirror_clone(struct exec *x, struct guest *p, unsigned mflags, int exit_signal)
{
	sl_sigset all = ~(sl_sigset)0, old;
	long mt = sl_sys_clone(x->k, p->mtid, mflags, exit_signal);

	if (mt != -SL_ERESTARTNOINTR)
		return (int)mt;
	if (sl_sys_rt_sigprocmask(x->k, p->mtid, SL_SIG_SETMASK, &all, &old))
		return (int)mt;
	mt = sl_sys_clone(x->k, p->mtid, mflags, exit_signal);
	sl_sys_rt_sigprocmask(x->k, p->mtid, SL_SIG_SETMASK, &old, NULL);
	if (mt > 0)
		sl_sys_rt_sigprocmask(x->k, (int)mt, SL_SIG_SETMASK, &old, NULL);
	return (int)mt;
}

static void on_clone(struct exec *x, struct guest *p)
{
	unsigned long msg = 0;
	uint64_t flags;
	int exit_signal, mt;
	unsigned mflags;
	struct guest *c;

	ptrace(PTRACE_GETEVENTMSG, p->tid, 0, &msg);
	if (getregs(p) || clone_flags(p, &flags, &exit_signal)) {
		resume(x, p, 0);
		return;
	}
	mflags = (unsigned)(flags & (SL_CLONE_THREAD | SL_CLONE_SIGHAND | SL_CLONE_PARENT |
				     SL_CLONE_VM));
	mt = mirror_clone(x, p, mflags, (flags & SL_CLONE_THREAD) ? 0 : exit_signal);
	c = guest_by_tid(x, (pid_t)msg);
	if (!c)
		c = guest_add(x, (pid_t)msg, 0, 0);
	if (c) {
		c->tgid = (flags & SL_CLONE_THREAD) ? p->tgid : (pid_t)msg;
		c->mtid = mt > 0 ? mt : 0;
		say(x, "clone: %d -> model %ld", c->tid, mt);
		if (!(flags & SL_CLONE_THREAD))
			sigfd_fork(x, p->tgid, c->tgid);
	}
	resume(x, p, 0);
	if (c && c->state == GUEST_HELD)
		settle(x, c);
}

static void on_exec(struct exec *x, struct guest *g)
{
	sl_sys_execve(x->k, g->mtid);
	g->regs_valid = false;
	if (guest_traced(x, g))
		settle(x, g);	/* an exec event stop of the model's, perhaps */
	else
		resume(x, g, 0);
}

/* Entry or exit: PTRACE_GET_SYSCALL_INFO's op (1 entry, 2 exit). */
static bool at_syscall_entry(pid_t tid)
{
	unsigned char info[88];

	memset(info, 0, sizeof info);
	return ptrace(PTRACE_GET_SYSCALL_INFO, tid, (void *)sizeof info, info) > 0 &&
	       info[0] == 1;
}

static void on_stop(struct exec *x, pid_t pid, int status)
{
	struct guest *g = guest_by_tid(x, pid);
	int sig = WSTOPSIG(status), event = status >> 16;

	if (!g) {
		/* a new task whose parent's clone event has not come yet */
		g = guest_add(x, pid, pid, 0);
		if (!g)
			return;
	}
	g->state = GUEST_HELD;
	g->regs_valid = false;
	switch (event) {
	case PTRACE_EVENT_SECCOMP:
		g->hold = HOLD_SECCOMP;
		on_seccomp(x, g);
		break;
	case PTRACE_EVENT_STOP:
		g->hold = HOLD_INTERRUPT;
		if (g->mtid)
			on_interrupt(x, g);
		break;
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		g->hold = HOLD_EVENT;
		on_clone(x, g);
		break;
	case PTRACE_EVENT_EXEC:
		g->hold = HOLD_EVENT;
		on_exec(x, g);
		break;
	case 0:
		if (sig == (SIGTRAP | 0x80)) {
			if (at_syscall_entry(g->tid)) {
				g->hold = HOLD_SYSENTER;
				on_syscall_entry(x, g);
			} else {
				g->hold = HOLD_SYSEXIT;
				on_syscall_exit(x, g);
			}
			break;
		}
		g->hold = HOLD_SIGNAL;
		/* A signal-delivery-stop answers a PTRACE_INTERRUPT sent
		 * before it: no event stop may follow, and the loop
		 * interrupts again if the model still has work for the task
		 * when it runs. */
		g->interrupted = false;
		on_signal(x, g, sig);
		break;
	default:
		g->hold = HOLD_EVENT;
		resume(x, g, 0);
		break;
	}
}

/* A task gone for real that the model still has alive: a thread that an
 * exit_group or a fatal signal killed before its first stop was seen
 * (the group's SIGKILL is pending for it in the model, which must take
 * it, or the model's process never finishes dying and its parent's wait
 * never returns); or one that died of something the model was not told.
 * The model takes its pending work (the kill), else it exits as the host
 * says. */
static void model_follows_death(struct exec *x, struct guest *g, int status)
{
	struct sl_ksignal ks;
	struct sl_task_info ti;

	if (!g->mtid || g->model_dead)
		return;
	for (int i = 0; i < 64 && !g->model_dead && sl_task_has_work(x->k, g->mtid); i++)
		(void)sl_return_to_user(x->k, g->mtid, &ks);
	if (g->model_dead || sl_task_info(x->k, g->mtid, &ti) ||
	    ti.state == SL_TASK_ZOMBIE || ti.state == SL_TASK_DEAD)
		return;
	say(x, "gone for real, alive in the model: %d (status %#lx)", g->tid, (long)status);
	sl_sys_exit(x->k, g->mtid, WIFEXITED(status) ? WEXITSTATUS(status) : 0);
}

static void on_gone(struct exec *x, pid_t pid, int status)
{
	struct guest *g = guest_by_tid(x, pid);

	if (pid == x->leader) {
		x->leader_status = status;
		x->leader_done = true;
	}
	if (!g)
		return;
	g->state = GUEST_GONE;
	model_follows_death(x, g, status);
}

/* A task gone for real is forgotten once the model has let it go too:
 * until its parent's wait reaps it there, its pid must still map. */
static void reap_gone(struct exec *x)
{
	for (size_t i = 0; i < x->ng;) {
		struct guest *g = x->g[i];
		struct sl_task_info ti;

		if (g->state == GUEST_GONE &&
		    (!g->mtid || sl_task_info(x->k, g->mtid, &ti) || ti.state == SL_TASK_DEAD))
			guest_forget(x, g);
		else
			i++;
	}
}

/* The model's clock follows CLOCK_MONOTONIC: every expiry up to now
 * fires, in order, with the tasks it wakes settled between two. */
static sl_time advance_clock(struct exec *x)
{
	sl_time now = mono_ns() - x->t0, next;

	while ((next = sl_clock_next_event(x->k)) >= 0 && next <= now) {
		if (next > sl_clock_now(x->k))
			sl_clock_advance(x->k, next - sl_clock_now(x->k));
		else
			sl_clock_advance(x->k, 0);
		settle_all(x);
		if (sl_clock_next_event(x->k) == next)
			break;
	}
	if (now > sl_clock_now(x->k))
		sl_clock_advance(x->k, now - sl_clock_now(x->k));
	next = sl_clock_next_event(x->k);
	return next < 0 ? -1 : next - now;
}

/* Whether a guest blocked on the host waits with a host timeout
 * (/proc/TID/syscall: the call and its arguments): such a wait ends by
 * the host's clock, in real time, so the model's clock must not jump
 * past it.  poll, epoll_wait and epoll_pwait with a timeout >= 0;
 * select, pselect6, ppoll, epoll_pwait2, futex waits, futex_waitv,
 * semtimedop, mq_timedsend/receive with a timeout pointer; a host-run
 * nanosleep or clock_nanosleep (a clock the model does not serve). */
static bool host_timed_wait(pid_t tid)
{
	char path[64], buf[512];
	unsigned long long a[7] = { 0 };
	int fd;
	ssize_t n;
	long nr;

	snprintf(path, sizeof path, "/proc/%d/syscall", (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = 0;
	if (sscanf(buf, "%ld %llx %llx %llx %llx %llx %llx", &nr, &a[0], &a[1], &a[2], &a[3],
		   &a[4], &a[5]) < 2)
		return false;
	switch (nr) {
	case SYS_poll:
		return (int)a[2] >= 0;
	case SYS_epoll_wait:
	case SYS_epoll_pwait:
		return (int)a[3] >= 0;
	case SYS_select:
	case SYS_pselect6:
		return a[4] != 0;
	case SYS_ppoll:
	case SYS_semtimedop:
		return a[2] != 0;
	case SYS_epoll_pwait2:
	case SYS_futex:
	case SYS_futex_waitv:
		return a[3] != 0;
	case SYS_mq_timedsend:
	case SYS_mq_timedreceive:
		return a[4] != 0;
	case SYS_nanosleep:
	case SYS_clock_nanosleep:
		return true;
	default:
		return false;
	}
}

/* Whether a guest running on the host is blocked there (/proc's state:
 * S sleeping, D disk sleep) with no host timeout.  A ptrace stop (t) is
 * a stop the loop has not collected yet: the guest is about to make a
 * call, not blocked.  *ran gets its CPU time (schedstat), which moves
 * when it is woken and runs. */
static bool host_blocked(pid_t tid, uint64_t *ran)
{
	char path[64], buf[256], *p;
	FILE *f;
	size_t n;
	bool blocked;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)tid);
	/* gone from /proc: its exit is still to be collected, so something
	 * is about to happen (a thread killed before its first stop) */
	f = fopen(path, "r");
	if (!f)
		return false;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = 0;
	p = strrchr(buf, ')');
	blocked = !p || p[1] != ' ' || p[2] == 'S' || p[2] == 'D';
	if (!blocked || host_timed_wait(tid))
		return false;
	*ran += (uint64_t)cpu_thread_ns(tid);
	return true;
}

/* --virtual-time: every guest is asleep in the model, stopped, or blocked
 * in a host call without a timeout, so nothing but a timer can happen
 * next.  *sig sums what the host-blocked guests have run. */
static bool all_blocked(struct exec *x, uint64_t *sig)
{
	*sig = 0;
	for (size_t i = 0; i < x->ng; i++) {
		struct guest *g = x->g[i];
		struct sl_task_info ti;

		if (g->state == GUEST_GONE || !g->mtid)
			continue;
		if (g->state == GUEST_HELD) {
			if (sl_task_info(x->k, g->mtid, &ti) == 0 && ti.state == SL_TASK_RUNNING)
				return false;
			continue;
		}
		if (g->interrupted || !host_blocked(g->tid, sig))
			return false;
	}
	return true;
}

/* How long every guest must have stayed blocked before the clock jumps. */
#define QUIET_NS (10 * 1000 * 1000)

/* --virtual-time: the model's clock jumps to its next expiry when every
 * guest is blocked, and stands still otherwise.  The wait polls while
 * guests run, since running guests may block at any time.  Blocked must
 * hold for QUIET_NS of real time, with no guest event in between and no
 * host-blocked guest having run: a host call can be about to return
 * although its task still sleeps, when the kernel finishes its work
 * asynchronously (a pty's input goes through a workqueue, n_tty's
 * flush_to_ldisc, before the reader wakes or the terminal's signal is
 * sent), and a jump then would let a model timer overtake it. */
static sl_time advance_virtual(struct exec *x)
{
	sl_time next = sl_clock_next_event(x->k);
	uint64_t sig;
	int64_t now;

	if (next < 0)
		return -1;
	if (!all_blocked(x, &sig)) {
		x->quiet_since = 0;
		return 2 * 1000 * 1000;
	}
	now = mono_ns();
	if (!x->quiet_since || sig != x->quiet_sig || x->events != x->quiet_events) {
		x->quiet_since = now;
		x->quiet_sig = sig;
		x->quiet_events = x->events;
		return QUIET_NS;
	}
	if (now - x->quiet_since < QUIET_NS)
		return QUIET_NS - (now - x->quiet_since);
	x->quiet_since = 0;
	sl_clock_advance(x->k, next - sl_clock_now(x->k));
	settle_all(x);
	return 0;
}

/* Blocks until a guest changes state or the next timer is due. */
static void wait_event(sl_time timeout)
{
	sigset_t chld;
	struct timespec ts;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	if (timeout < 0) {
		sigwaitinfo(&chld, NULL);
		return;
	}
	ts.tv_sec = timeout / SL_NSEC_PER_SEC;
	ts.tv_nsec = timeout % SL_NSEC_PER_SEC;
	sigtimedwait(&chld, NULL, &ts);
}

int exec_run(struct exec *x, char **argv)
{
	struct sl_spawn how = { .kind = SL_SPAWN_INIT };
	sigset_t chld;
	pid_t pid;
	int err, status;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	x->t0 = mono_ns();
	x->init_mtid = sl_spawn(x->k, &how);
	pid = exec_launch(argv, &err);
	if (pid < 0) {
		fprintf(stderr, "siglab exec: cannot start %s: %s\n", argv[0], strerror(err));
		return 127;
	}
	x->leader = pid;
	x->outer_pgid = getpgrp();
	how = (struct sl_spawn){ .kind = SL_SPAWN_PROCESS, .parent = x->init_mtid,
				 .uid = (uint32_t)getuid() };
	x->leader_mtid = sl_spawn(x->k, &how);
	if (!guest_add(x, pid, pid, x->leader_mtid))
		return 127;
	x->g[0]->state = GUEST_RUNNING;
	if (err)
		fprintf(stderr, "siglab exec: %s: %s\n", argv[0], strerror(err));
	while (!x->leader_done) {
		sl_time timeout, cpu_wait;

		while ((pid = waitpid(-1, &status, __WALL | WNOHANG)) > 0) {
			x->events++;
			if (WIFSTOPPED(status))
				on_stop(x, pid, status);
			else
				on_gone(x, pid, status);
			settle_all(x);
		}
		reap_gone(x);
		if (x->leader_done)
			break;
		if (pid < 0 && errno == ECHILD)
			break;
		cpu_sync(x);
		settle_all(x);
		timeout = x->opt.virtual_time ? advance_virtual(x) : advance_clock(x);
		settle_all(x);
		cpu_wait = cpu_timeout(x);
		if (cpu_wait >= 0 && (timeout < 0 || cpu_wait < timeout))
			timeout = cpu_wait;
		sigfd_refresh(x);
		/* held guests are looked at for outside signals every 100 ms */
		if (any_held(x) && (timeout < 0 || timeout > HELD_POLL_NS))
			timeout = HELD_POLL_NS;
		if (!x->leader_done && timeout != 0) {
			wait_event(timeout);
			forward_all_pending(x);
		}
	}
	if (WIFSIGNALED(x->leader_status))
		return 128 + WTERMSIG(x->leader_status);
	return WEXITSTATUS(x->leader_status);
}

void exec_free(struct exec *x)
{
	for (size_t i = 0; i < x->ng; i++)
		free(x->g[i]);
	free(x->g);
	x->g = NULL;
	free(x->timers);
	x->timers = NULL;
	free(x->pidfds);
	x->pidfds = NULL;
	sigfd_free(x);
	x->ng = x->gcap = 0;
}
