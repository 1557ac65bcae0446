/* Signals the host kernel raises by itself for a guest.  The guest's
 * terminal, pipes, sockets and files are the host's, so the host decides
 * when one of them signals (who is in the foreground, whether a reader is
 * left, who owns a file) and raises the signal as the kernel does; every
 * such signal stops the guest at its signal-delivery-stop (or waits in
 * its host queue while the guest is held), where it is suppressed and
 * handed to the model with the host's siginfo through sl_send_sig_info,
 * as the kernel's own sender would have queued it.  Whether it is caught,
 * ignored, blocked, stops the group, continues it or kills is then the
 * model's.  By si_code and signal:
 *
 *   SI_KERNEL            SEND_SIG_PRIV: the tty's ISIG characters
 *                        (SIGINT, SIGQUIT, SIGTSTP: n_tty.c isig), a
 *                        background read or write (SIGTTIN, SIGTTOU:
 *                        tty_jobctrl.c __tty_check_change) and SIGWINCH
 *                        (tty_io.c tty_do_resize), all kill_pgrp: to each
 *                        member process of the group; the hang-up's SIGHUP
 *                        and SIGCONT (tty_signal_session_leader, and
 *                        disassociate_ctty at the leader's exit); SIGIO
 *                        and SIGURG without F_SETSIG (fs/fcntl.c
 *                        send_sigio_to_task, send_sigurg_to_task);
 *                        SIGXCPU of RLIMIT_CPU and SIGVTALRM / SIGPROF of
 *                        the CPU-time itimers (posix-cpu-timers.c): to
 *                        the process.
 *   POLL_IN..POLL_HUP,   send_sigio_to_task's F_SETSIG signal, with
 *   SI_SIGIO             si_band and si_fd: to the owner's process (or
 *                        its thread, seen in the host's private queue).
 *   SI_USER from a guest send_sig(sig, current, 0): a write's SIGPIPE
 *                        (fs/pipe.c pipe_write, sk_stream_error) and
 *                        SIGXFSZ (generic_write_check_limits), to the
 *                        thread; TIOCNOTTY's SIGHUP and SIGCONT to the
 *                        foreground group (disassociate_ctty), to the
 *                        process.  A guest's own kill() never reaches the
 *                        host (the model serves it), so an SI_USER signal
 *                        from a guest is always one the kernel sent on its
 *                        behalf.
 *
 * Not here: CPU faults (sl_fault, tracer.c), the host's SIGCHLD and a
 * child's exit signal (the model sends its own, from its own exits and
 * stops), and signals from outside the guest tree (a kill from init).
 *
 * The host's job-control checks read the real disposition and mask of
 * SIGTTIN and SIGTTOU (__tty_check_change's is_ignored: EIO instead of
 * SIGTTIN, and a terminal change or TOSTOP write let through instead of
 * SIGTTOU), so the host must see the model's there: a guest's
 * rt_sigaction of either also runs on the host (syscalls.c), and the
 * model's blocked bits of the two are written into the real mask before
 * the guest runs again (host_mask_sync).
 *
 * DEVIATION(a signal the kernel sends to a process group, kill_pgrp,
 * reaches each member's model process when that member stops for it on
 * the host, not to all members at once in the kernel's order: other
 * events may come between two members)
 * DEVIATION(a host-raised signal for a guest the model holds asleep or
 * stopped reaches the model when the loop next looks at its host queue,
 * up to 100 ms later, not at once)
 * DEVIATION(a SIGTTIN or SIGTTOU sent from outside the guest tree while
 * the model blocks it waits in the host queue, blocked there too, until
 * the guest is held or unblocks it: the model's pending set shows it
 * late)
 * DEVIATION(an I/O signal's POLL_* si_code shares its numbers with
 * CLD_*: a siginfo with such a code whose si_pid, the low half of
 * si_band for an I/O signal, names a guest is taken for a child's exit
 * signal) */
#include <errno.h>
#include <signal.h>
#include <sys/ptrace.h>

#include "exec/exec.h"

#ifndef PTRACE_GETSIGMASK
#define PTRACE_GETSIGMASK 0x420a
#define PTRACE_SETSIGMASK 0x420b
#endif

static bool is_cpu_fault(int sig, int code)
{
	return code > 0 && (sig == SL_SIGSEGV || sig == SL_SIGBUS || sig == SL_SIGFPE ||
			    sig == SL_SIGILL || sig == SL_SIGTRAP);
}

/* The signals the terminal sends to a process group (kill_pgrp). */
static bool tty_pgrp_signal(int sig)
{
	return sig == SL_SIGINT || sig == SL_SIGQUIT || sig == SL_SIGTSTP ||
	       sig == SL_SIGTTIN || sig == SL_SIGTTOU || sig == SL_SIGWINCH;
}

/* send_sigio_to_task's siginfo: POLL_* (SIGCHLD's CLD_* codes and an exit
 * signal's share the numbers: a child's siginfo names a guest in si_pid,
 * where an I/O signal's holds the low half of si_band), or SI_SIGIO for
 * the signals with codes of their own. */
static bool io_siginfo(struct exec *x, int sig, const siginfo_t *si)
{
	if (si->si_code == SI_SIGIO)
		return sig != SL_SIGIO;
	if (si->si_code < POLL_IN || si->si_code > POLL_HUP || sig == SL_SIGCHLD ||
	    is_cpu_fault(sig, si->si_code))
		return false;
	return !guest_was(x, si->si_pid);
}

enum host_origin host_signal_origin(struct exec *x, int sig, const siginfo_t *si)
{
	if (sig <= 0 || sig > SL_NSIG)
		return HOST_DROP;
	if (is_cpu_fault(sig, si->si_code))
		return HOST_FAULT;
	if (io_siginfo(x, sig, si))
		return HOST_KERNEL;
	if (sig == SL_SIGCHLD)
		return HOST_DROP;
	if (si->si_code == SI_KERNEL)
		return HOST_KERNEL;
	/* an exit signal other than SIGCHLD (clone's exit_signal,
	 * do_notify_parent), perhaps of a guest already forgotten */
	if (si->si_code > 0 && guest_was(x, si->si_pid))
		return HOST_DROP;
	if (si->si_code == SI_USER && guest_by_tid(x, si->si_pid))
		return HOST_KERNEL;
	return guest_by_tid(x, si->si_pid) ? HOST_DROP : HOST_OUTSIDE;
}

/* Which queue the kernel's sender used: `shared` is 1 for the host's
 * shared queue, 0 for the thread's, -1 when unknown (a delivery stop,
 * where the host has dequeued it already). */
static int send_scope(int sig, const siginfo_t *si, int shared)
{
	if (si->si_code == SI_USER)
		return (sig == SL_SIGPIPE || sig == SL_SIGXFSZ) ? SL_SEND_THREAD
								 : SL_SEND_PGRP;
	if (shared == 0)
		return SL_SEND_THREAD;
	if (si->si_code == SI_KERNEL && tty_pgrp_signal(sig))
		return SL_SEND_PGRP;
	/* DEVIATION(an I/O signal whose owner is one thread, F_OWNER_TID,
	 * reaches the model process-directed when the host has dequeued it
	 * already at the thread's delivery stop: only its host queue, seen
	 * while the guest is held, tells the two apart) */
	return SL_SEND_PROCESS;
}

void host_kernel_signal(struct exec *x, struct guest *g, int sig, const siginfo_t *si,
			int shared)
{
	struct sl_siginfo info = { .signo = sig, .code = si->si_code };
	const struct sl_siginfo *ip = &info;

	if (!g->mtid)
		return;
	if (si->si_code == SI_KERNEL) {
		ip = NULL;
	} else if (si->si_code == SI_USER) {
		info.pid = pid_to_model(x, si->si_pid);
		info.uid = (uint32_t)si->si_uid;
	} else {
		info.band = si->si_band;
		info.fd = si->si_fd;
	}
	sl_send_sig_info(x->k, g->mtid, sig, send_scope(sig, si, shared), ip);
}

/* The real mask's SIGTTIN and SIGTTOU bits follow the model's. */
void host_mask_sync(struct exec *x, struct guest *g)
{
	const uint64_t jc = sl_sigmask(SL_SIGTTIN) | sl_sigmask(SL_SIGTTOU);
	struct sl_task_info ti;
	uint64_t real;

	if (!g->mtid || sl_task_info(x->k, g->mtid, &ti))
		return;
	if (g->host_mask_known && (ti.blocked & jc) == g->host_mask)
		return;
	if (ptrace(PTRACE_GETSIGMASK, g->tid, (void *)sizeof real, &real))
		return;
	real = (real & ~jc) | (ti.blocked & jc);
	if (ptrace(PTRACE_SETSIGMASK, g->tid, (void *)sizeof real, &real))
		return;
	g->host_mask = ti.blocked & jc;
	g->host_mask_known = true;
}
