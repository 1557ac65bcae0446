/*
 * The host's side of the numbers: the engine's constants (include/siglab.h)
 * are Linux's x86-64 values, and this file proves it against the C library's
 * headers, so that the rest of src/host passes them through unchanged.  Also
 * the raw system calls the agents make (glibc would add restorers, reserve
 * signals 32 and 33, or touch errno inside handlers), the signal return
 * trampoline, and the real synchronous faults.
 *
 * x86-64 only: the restorer and the syscall instruction are x86-64's, and
 * the host runner refuses to run elsewhere (host_skip_reason).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <termios.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "host/internal.h"
#include "siglab.h"

/* ---- the engine's numbers are the host's -------------------------------- */

#define SAME(a, b) _Static_assert((long long)(a) == (long long)(b), #a " != " #b)
SAME(SL_SIGHUP, SIGHUP); SAME(SL_SIGINT, SIGINT); SAME(SL_SIGQUIT, SIGQUIT);
SAME(SL_SIGILL, SIGILL); SAME(SL_SIGTRAP, SIGTRAP); SAME(SL_SIGABRT, SIGABRT);
SAME(SL_SIGBUS, SIGBUS); SAME(SL_SIGFPE, SIGFPE); SAME(SL_SIGKILL, SIGKILL);
SAME(SL_SIGUSR1, SIGUSR1); SAME(SL_SIGSEGV, SIGSEGV); SAME(SL_SIGUSR2, SIGUSR2);
SAME(SL_SIGPIPE, SIGPIPE); SAME(SL_SIGALRM, SIGALRM); SAME(SL_SIGTERM, SIGTERM);
SAME(SL_SIGSTKFLT, SIGSTKFLT); SAME(SL_SIGCHLD, SIGCHLD); SAME(SL_SIGCONT, SIGCONT);
SAME(SL_SIGSTOP, SIGSTOP); SAME(SL_SIGTSTP, SIGTSTP); SAME(SL_SIGTTIN, SIGTTIN);
SAME(SL_SIGTTOU, SIGTTOU); SAME(SL_SIGURG, SIGURG); SAME(SL_SIGXCPU, SIGXCPU);
SAME(SL_SIGXFSZ, SIGXFSZ); SAME(SL_SIGVTALRM, SIGVTALRM); SAME(SL_SIGPROF, SIGPROF);
SAME(SL_SIGWINCH, SIGWINCH); SAME(SL_SIGIO, SIGIO); SAME(SL_SIGPWR, SIGPWR);
SAME(SL_SIGSYS, SIGSYS);
SAME(SL_SIGRTMIN, __SIGRTMIN); SAME(SL_SIGRTMAX, __SIGRTMAX);

SAME(SL_SA_NOCLDSTOP, SA_NOCLDSTOP); SAME(SL_SA_NOCLDWAIT, SA_NOCLDWAIT);
SAME(SL_SA_SIGINFO, SA_SIGINFO); SAME(SL_SA_ONSTACK, SA_ONSTACK);
SAME(SL_SA_RESTART, SA_RESTART); SAME(SL_SA_NODEFER, SA_NODEFER);
SAME(SL_SA_RESETHAND, (unsigned)SA_RESETHAND);
SAME(SL_SA_RESTORER, 0x04000000u);	/* glibc does not export SA_RESTORER */

SAME(SL_SI_USER, SI_USER); SAME(SL_SI_KERNEL, SI_KERNEL); SAME(SL_SI_QUEUE, SI_QUEUE);
SAME(SL_SI_TIMER, SI_TIMER); SAME(SL_SI_MESGQ, SI_MESGQ);
SAME(SL_SI_ASYNCIO, SI_ASYNCIO); SAME(SL_SI_SIGIO, SI_SIGIO); SAME(SL_SI_TKILL, SI_TKILL);
SAME(SL_ILL_ILLOPC, ILL_ILLOPC); SAME(SL_FPE_INTDIV, FPE_INTDIV);
SAME(SL_FPE_INTOVF, FPE_INTOVF); SAME(SL_SEGV_MAPERR, SEGV_MAPERR);
SAME(SL_SEGV_ACCERR, SEGV_ACCERR); SAME(SL_BUS_ADRALN, BUS_ADRALN);
SAME(SL_TRAP_BRKPT, TRAP_BRKPT);
SAME(SL_CLD_EXITED, CLD_EXITED); SAME(SL_CLD_KILLED, CLD_KILLED);
SAME(SL_CLD_DUMPED, CLD_DUMPED); SAME(SL_CLD_TRAPPED, CLD_TRAPPED);
SAME(SL_CLD_STOPPED, CLD_STOPPED); SAME(SL_CLD_CONTINUED, CLD_CONTINUED);

SAME(SL_EPERM, EPERM); SAME(SL_ENOENT, ENOENT); SAME(SL_ESRCH, ESRCH); SAME(SL_EINTR, EINTR);
SAME(SL_EBADF, EBADF); SAME(SL_ECHILD, ECHILD); SAME(SL_EAGAIN, EAGAIN);
SAME(SL_ENOMEM, ENOMEM); SAME(SL_EFAULT, EFAULT); SAME(SL_EINVAL, EINVAL);
/* the terminal's (asm-generic/ioctls.h, termbits.h, fcntl.h) */
SAME(SL_ENOTTY, ENOTTY); SAME(SL_EIO, EIO);
SAME(SL_TCGETS, TCGETS); SAME(SL_TCSETS, TCSETS); SAME(SL_TIOCSCTTY, TIOCSCTTY);
SAME(SL_TIOCGPGRP, TIOCGPGRP); SAME(SL_TIOCSPGRP, TIOCSPGRP); SAME(SL_TIOCSWINSZ, TIOCSWINSZ);
SAME(SL_TIOCNOTTY, TIOCNOTTY); SAME(SL_ISIG, ISIG); SAME(SL_ICANON, ICANON); SAME(SL_ECHO, ECHO);
SAME(SL_NOFLSH, NOFLSH); SAME(SL_TOSTOP, TOSTOP); SAME(SL_O_NOCTTY, O_NOCTTY);
SAME(SL_EFBIG, EFBIG);
SAME(SL_EPIPE, EPIPE);
SAME(SL_EOPNOTSUPP, EOPNOTSUPP);
SAME(SL_CLOCK_PROCESS_CPUTIME_ID, CLOCK_PROCESS_CPUTIME_ID);
SAME(SL_CLOCK_THREAD_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID);
SAME(SL_CLOCK_MONOTONIC, CLOCK_MONOTONIC); SAME(SL_CLOCK_BOOTTIME, CLOCK_BOOTTIME);
SAME(SL_POLL_IN, POLL_IN); SAME(SL_POLL_OUT, POLL_OUT); SAME(SL_POLL_HUP, POLL_HUP);
SAME(SL_PIPE_READ, 0); SAME(SL_O_ASYNC, O_ASYNC); SAME(SL_O_NONBLOCK, O_NONBLOCK);
SAME(SL_F_GETFL, F_GETFL); SAME(SL_F_SETFL, F_SETFL); SAME(SL_F_SETOWN, F_SETOWN);
SAME(SL_F_GETOWN, F_GETOWN); SAME(SL_F_SETSIG, F_SETSIG); SAME(SL_F_GETSIG, F_GETSIG);
SAME(SL_F_SETOWN_EX, F_SETOWN_EX); SAME(SL_F_GETOWN_EX, F_GETOWN_EX);
SAME(SL_F_OWNER_TID, F_OWNER_TID); SAME(SL_F_OWNER_PID, F_OWNER_PID);
SAME(SL_F_OWNER_PGRP, F_OWNER_PGRP);

SAME(SL_SIG_BLOCK, SIG_BLOCK); SAME(SL_SIG_UNBLOCK, SIG_UNBLOCK);
SAME(SL_SIG_SETMASK, SIG_SETMASK);
SAME((uint64_t)(uintptr_t)SIG_DFL, SL_SIG_DFL); SAME((uint64_t)(uintptr_t)SIG_IGN, SL_SIG_IGN);
#undef SAME

/* ---- raw system calls --------------------------------------------------- */

long xlat_syscall6(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
	long ret;
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

long xlat_syscall(long nr, long a1, long a2, long a3, long a4)
{
	long ret;
	register long r10 __asm__("r10") = a4;
	/* The fifth and sixth arguments are 0, not whatever the registers
	 * held: prctl(PR_CAP_AMBIENT) fails with EINVAL unless arg5 is 0
	 * (found by siglab fuzz, when one more prctl call left r8 dirty). */
	register long r8 __asm__("r8") = 0;
	register long r9 __asm__("r9") = 0;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

/* The kernel's struct sigaction on x86-64 (not glibc's). */
struct ksigaction {
	uint64_t handler;
	uint64_t flags;
	uint64_t restorer;
	uint64_t mask;
};

/* rt_sigreturn's trampoline: x86-64 has no vDSO restorer, so a handler
 * needs SA_RESTORER and this address, as glibc's __restore_rt. */
void siglab_restore_rt(void);
__asm__(".text\n"
	".align 16\n"
	".type siglab_restore_rt,@function\n"
	"siglab_restore_rt:\n"
	"\tmovq $15, %rax\n"
	"\tsyscall\n"
	"\thlt\n"
	".size siglab_restore_rt,.-siglab_restore_rt\n");

long xlat_rt_sigaction(int sig, uint64_t handler, uint64_t flags, uint64_t mask,
		       uint64_t *old_handler, uint64_t *old_flags)
{
	struct ksigaction act = {
		.handler = handler,
		.flags = flags | SL_SA_RESTORER,
		.restorer = (uint64_t)(uintptr_t)siglab_restore_rt,
		.mask = mask,
	};
	struct ksigaction old = { 0, 0, 0, 0 };
	long r = xlat_syscall(SYS_rt_sigaction, sig, (long)&act, (long)&old, 8);

	if (old_handler)
		*old_handler = old.handler;
	if (old_flags)
		*old_flags = old.flags;
	return r;
}

long xlat_rt_sigaction_old(int sig, bool set, uint64_t handler, uint64_t flags, uint64_t mask,
			   uint64_t old[3])
{
	return xlat_rt_sigaction_bad(sig, set, handler, flags, mask, old, 0, 8);
}

long xlat_rt_sigaction_bad(int sig, bool set, uint64_t handler, uint64_t flags, uint64_t mask,
			   uint64_t old[3], unsigned bad, unsigned long setsize)
{
	struct ksigaction act = {
		.handler = handler,
		.flags = flags | SL_SA_RESTORER,
		.restorer = (uint64_t)(uintptr_t)siglab_restore_rt,
		.mask = mask,
	};
	struct ksigaction oact = { 0, 0, 0, 0 };
	long a = (bad & SC_PTR_ACT) ? SC_BAD_ADDR : set ? (long)&act : 0;
	long o = (bad & SC_PTR_OACT) ? SC_BAD_ADDR : old ? (long)&oact : 0;
	long r = xlat_syscall(SYS_rt_sigaction, sig, a, o, (long)setsize);

	if (old) {
		old[0] = oact.handler;
		old[1] = oact.flags;
		old[2] = oact.mask;
	}
	return r;
}

long xlat_rt_sigprocmask(int how, const uint64_t *set, uint64_t *old)
{
	return xlat_syscall(SYS_rt_sigprocmask, how, (long)set, (long)old, 8);
}

void xlat_reset_signals(void)
{
	struct ksigaction dfl = { SL_SIG_DFL, 0, 0, 0 };
	stack_t ss = { .ss_sp = NULL, .ss_flags = SS_DISABLE, .ss_size = 0 };
	uint64_t none = 0;

	for (int sig = 1; sig <= SL_NSIG; sig++)
		if (sig != SL_SIGKILL && sig != SL_SIGSTOP)
			(void)xlat_syscall(SYS_rt_sigaction, sig, (long)&dfl, 0, 8);
	(void)xlat_rt_sigprocmask(SL_SIG_SETMASK, &none, NULL);
	(void)xlat_syscall(SYS_sigaltstack, (long)&ss, 0, 0, 0);
}

uint64_t xlat_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

bool xlat_sig_is_stop(int sig)
{
	return sig == SL_SIGSTOP || sig == SL_SIGTSTP || sig == SL_SIGTTIN ||
	       sig == SL_SIGTTOU;
}

/* ---- si_code names ------------------------------------------------------ */

static const struct { int sig; int code; const char *name; } code_names[] = {
	{ SL_SIGILL, 1, "ILL_ILLOPC" }, { SL_SIGILL, 2, "ILL_ILLOPN" },
	{ SL_SIGILL, 3, "ILL_ILLADR" }, { SL_SIGILL, 4, "ILL_ILLTRP" },
	{ SL_SIGILL, 5, "ILL_PRVOPC" }, { SL_SIGILL, 6, "ILL_PRVREG" },
	{ SL_SIGILL, 7, "ILL_COPROC" }, { SL_SIGILL, 8, "ILL_BADSTK" },
	{ SL_SIGFPE, 1, "FPE_INTDIV" }, { SL_SIGFPE, 2, "FPE_INTOVF" },
	{ SL_SIGFPE, 3, "FPE_FLTDIV" }, { SL_SIGFPE, 4, "FPE_FLTOVF" },
	{ SL_SIGFPE, 5, "FPE_FLTUND" }, { SL_SIGFPE, 6, "FPE_FLTRES" },
	{ SL_SIGFPE, 7, "FPE_FLTINV" }, { SL_SIGFPE, 8, "FPE_FLTSUB" },
	{ SL_SIGSEGV, 1, "SEGV_MAPERR" }, { SL_SIGSEGV, 2, "SEGV_ACCERR" },
	{ SL_SIGSEGV, 3, "SEGV_BNDERR" }, { SL_SIGSEGV, 4, "SEGV_PKUERR" },
	{ SL_SIGBUS, 1, "BUS_ADRALN" }, { SL_SIGBUS, 2, "BUS_ADRERR" },
	{ SL_SIGBUS, 3, "BUS_OBJERR" }, { SL_SIGBUS, 4, "BUS_MCEERR_AR" },
	{ SL_SIGBUS, 5, "BUS_MCEERR_AO" },
	{ SL_SIGTRAP, 1, "TRAP_BRKPT" }, { SL_SIGTRAP, 2, "TRAP_TRACE" },
	{ SL_SIGTRAP, 3, "TRAP_BRANCH" }, { SL_SIGTRAP, 4, "TRAP_HWBKPT" },
	{ SL_SIGCHLD, 1, "CLD_EXITED" }, { SL_SIGCHLD, 2, "CLD_KILLED" },
	{ SL_SIGCHLD, 3, "CLD_DUMPED" }, { SL_SIGCHLD, 4, "CLD_TRAPPED" },
	{ SL_SIGCHLD, 5, "CLD_STOPPED" }, { SL_SIGCHLD, 6, "CLD_CONTINUED" },
};

static const struct { int code; const char *name; } si_names[] = {
	{ SL_SI_USER, "SI_USER" }, { SL_SI_KERNEL, "SI_KERNEL" },
	{ SL_SI_QUEUE, "SI_QUEUE" }, { SL_SI_TIMER, "SI_TIMER" },
	{ SL_SI_MESGQ, "SI_MESGQ" }, { SL_SI_ASYNCIO, "SI_ASYNCIO" },
	{ SL_SI_SIGIO, "SI_SIGIO" }, { SL_SI_TKILL, "SI_TKILL" },
};

const char *xlat_code_name(int sig, int code)
{
	if (code > 0 && code < SL_SI_KERNEL)
		for (size_t i = 0; i < sizeof code_names / sizeof code_names[0]; i++)
			if (code_names[i].sig == sig && code_names[i].code == code)
				return code_names[i].name;
	for (size_t i = 0; i < sizeof si_names / sizeof si_names[0]; i++)
		if (si_names[i].code == code)
			return si_names[i].name;
	return NULL;
}

/* ---- real faults -------------------------------------------------------- */

/*
 * The faults an x86-64 CPU raises for real, with the si_code the kernel
 * gives them.  Those missing cannot be raised from user mode (FPE_INTOVF
 * needs `into`, gone in 64-bit mode; TRAP_BRKPT needs a hardware
 * breakpoint; int3 gives SI_KERNEL), or not safely (BUS_ADRALN needs
 * EFLAGS.AC, which stays set inside the handler and would fault in it).
 */
static const struct { int sig; int code; bool natural; } faults[] = {
	{ SL_SIGFPE, SL_FPE_INTDIV, true },
	{ SL_SIGSEGV, SL_SEGV_MAPERR, true },
	{ SL_SIGSEGV, SL_SEGV_ACCERR, false },
	{ SL_SIGILL, 2 /* ILL_ILLOPN */, true },
	{ SL_SIGTRAP, SL_SI_KERNEL, true },
};

bool xlat_fault_supported(int sig, int code, bool has_code)
{
	for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++)
		if (faults[i].sig == sig &&
		    (has_code ? faults[i].code == code : faults[i].natural))
			return true;
	return false;
}

/* A read-only page for SEGV_ACCERR, mapped by the controller before the
 * first fork (host.c) so that raising the fault makes no system call. */
volatile int *xlat_readonly_page;

void xlat_raise_fault(int sig, int code, bool has_code, uintptr_t addr)
{
	static volatile int zero;
	/* below mmap_min_addr: never mapped (the parser keeps it there) */
	volatile uintptr_t unmapped = addr;
	volatile int r;

	switch (sig) {
	case SL_SIGFPE:
		/* In assembly: C lets the compiler turn 1 / x into a compare. */
		r = zero;
		__asm__ volatile("movl $1, %%eax\n\tcltd\n\tidivl %0"
				 : : "r"((int)r) : "eax", "edx", "cc");
		break;
	case SL_SIGSEGV:
		if (has_code && code == SL_SEGV_ACCERR && xlat_readonly_page)
			*xlat_readonly_page = 1;
		else
			*(volatile char *)unmapped = 1;
		break;
	case SL_SIGILL:
		__asm__ volatile("ud2");
		break;
	case SL_SIGTRAP:
		__asm__ volatile("int3");
		break;
	default:
		break;
	}
}

/* ---- ptrace ------------------------------------------------------------- */

_Static_assert((int)SL_PTRACE_TRACEME == (int)PTRACE_TRACEME, "PTRACE_TRACEME");
_Static_assert((int)SL_PTRACE_CONT == (int)PTRACE_CONT, "PTRACE_CONT");
_Static_assert((int)SL_PTRACE_KILL == (int)PTRACE_KILL, "PTRACE_KILL");
_Static_assert((int)SL_PTRACE_ATTACH == (int)PTRACE_ATTACH, "PTRACE_ATTACH");
_Static_assert((int)SL_PTRACE_DETACH == (int)PTRACE_DETACH, "PTRACE_DETACH");
_Static_assert((int)SL_PTRACE_SYSCALL == (int)PTRACE_SYSCALL, "PTRACE_SYSCALL");
_Static_assert((int)SL_PTRACE_SETOPTIONS == (int)PTRACE_SETOPTIONS, "PTRACE_SETOPTIONS");
_Static_assert((int)SL_PTRACE_GETSIGINFO == (int)PTRACE_GETSIGINFO, "PTRACE_GETSIGINFO");
_Static_assert((int)SL_PTRACE_SETSIGINFO == (int)PTRACE_SETSIGINFO, "PTRACE_SETSIGINFO");
_Static_assert((int)SL_PTRACE_SEIZE == (int)PTRACE_SEIZE, "PTRACE_SEIZE");
_Static_assert((int)SL_PTRACE_INTERRUPT == (int)PTRACE_INTERRUPT, "PTRACE_INTERRUPT");
_Static_assert((int)SL_PTRACE_LISTEN == (int)PTRACE_LISTEN, "PTRACE_LISTEN");
_Static_assert((int)SL_PTRACE_PEEKSIGINFO == (int)PTRACE_PEEKSIGINFO, "PTRACE_PEEKSIGINFO");
_Static_assert((int)SL_PTRACE_GETSIGMASK == (int)PTRACE_GETSIGMASK, "PTRACE_GETSIGMASK");
_Static_assert((int)SL_PTRACE_SETSIGMASK == (int)PTRACE_SETSIGMASK, "PTRACE_SETSIGMASK");
_Static_assert((int)SL_PTRACE_O_TRACESYSGOOD == (int)PTRACE_O_TRACESYSGOOD, "TRACESYSGOOD");
_Static_assert((int)SL_PTRACE_O_TRACEEXEC == (int)PTRACE_O_TRACEEXEC, "TRACEEXEC");
_Static_assert((int)SL_PTRACE_O_TRACEEXIT == (int)PTRACE_O_TRACEEXIT, "TRACEEXIT");
_Static_assert((int)SL_PTRACE_O_EXITKILL == (int)PTRACE_O_EXITKILL, "EXITKILL");
_Static_assert((int)SL_PTRACE_EVENT_EXEC == (int)PTRACE_EVENT_EXEC, "EVENT_EXEC");
_Static_assert((int)SL_PTRACE_EVENT_STOP == (int)PTRACE_EVENT_STOP, "EVENT_STOP");

long xlat_ptrace(long request, int pid, uint64_t data, struct sl_siginfo *info)
{
	siginfo_t si;
	long r;

	if (request == SL_PTRACE_GETSIGINFO) {
		memset(&si, 0, sizeof si);
		r = xlat_syscall(SYS_ptrace, PTRACE_GETSIGINFO, pid, 0, (long)&si);
		if (r == 0 && info) {
			memset(info, 0, sizeof *info);
			info->signo = si.si_signo;
			info->code = si.si_code;
			info->pid = si.si_pid;
			info->uid = si.si_uid;
		}
		return r;
	}
	if (request == SL_PTRACE_SETSIGINFO) {
		memset(&si, 0, sizeof si);
		if (info) {
			si.si_signo = info->signo;
			si.si_code = info->code;
			si.si_pid = info->pid;
			si.si_uid = info->uid;
			si.si_value.sival_ptr = (void *)(uintptr_t)info->value;
		}
		return xlat_syscall(SYS_ptrace, PTRACE_SETSIGINFO, pid, 0, (long)&si);
	}
	return xlat_syscall(SYS_ptrace, request, pid, 0, (long)data);
}
