/* The guest ABI meets the engine's values here only (blink's xlat.c):
 * the engine's constants are Linux's x86-64 numbers, proved against the
 * host's headers below, and the guest's struct siginfo (include/uapi/
 * asm-generic/siginfo.h) is packed and unpacked by its layout
 * (kernel/signal.c siginfo_layout). */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "exec/exec.h"

#define SAME(a, b) _Static_assert((long long)(a) == (long long)(b), #a " != " #b)
SAME(SL_SIGCHLD, SIGCHLD); SAME(SL_SIGSEGV, SIGSEGV); SAME(SL_SIGFPE, SIGFPE);
SAME(SL_SIGBUS, SIGBUS); SAME(SL_SIGILL, SIGILL); SAME(SL_SIGTRAP, SIGTRAP);
SAME(SL_SIGKILL, SIGKILL); SAME(SL_SIGSTOP, SIGSTOP); SAME(SL_SIGSYS, SIGSYS);
SAME(SL_SIGRTMAX, __SIGRTMAX);
SAME(SL_SA_SIGINFO, SA_SIGINFO); SAME(SL_SA_ONSTACK, SA_ONSTACK);
SAME(SL_SA_RESTART, SA_RESTART); SAME(SL_SA_NODEFER, SA_NODEFER);
SAME(SL_SA_RESETHAND, (unsigned)SA_RESETHAND);
SAME(SL_SI_USER, SI_USER); SAME(SL_SI_KERNEL, SI_KERNEL); SAME(SL_SI_QUEUE, SI_QUEUE);
SAME(SL_SI_TIMER, SI_TIMER); SAME(SL_SI_TKILL, SI_TKILL); SAME(SL_SI_SIGIO, SI_SIGIO);
SAME(SL_EINTR, EINTR); SAME(SL_EFAULT, EFAULT); SAME(SL_EINVAL, EINVAL);
SAME(SL_ESRCH, ESRCH); SAME(SL_EPERM, EPERM); SAME(SL_EAGAIN, EAGAIN);
SAME(SL_ECHILD, ECHILD); SAME(SL_ENOMEM, ENOMEM);
SAME(SL_SS_ONSTACK, SS_ONSTACK); SAME(SL_SS_DISABLE, SS_DISABLE);
SAME(SL_WNOHANG, WNOHANG); SAME(SL_WUNTRACED, WUNTRACED); SAME(SL_WCONTINUED, WCONTINUED);
SAME(SL_WEXITED, WEXITED); SAME(SL_WNOWAIT, WNOWAIT);
SAME(SL_SIG_BLOCK, SIG_BLOCK); SAME(SL_SIG_UNBLOCK, SIG_UNBLOCK);
SAME(SL_SIG_SETMASK, SIG_SETMASK);
_Static_assert(sizeof(siginfo_t) == GUEST_SIGINFO_SIZE, "siginfo is 128 bytes");

/* The union's fields, by offset in the 128-byte siginfo. */
enum { SI_PID = 16, SI_UID = 20, SI_VALUE = 24, SI_STATUS = 24, SI_ADDR = 16,
       SI_TIMERID = 16, SI_OVERRUN = 20, SI_BAND = 16, SI_FD = 24 };
_Static_assert(offsetof(siginfo_t, si_pid) == SI_PID, "si_pid");
_Static_assert(offsetof(siginfo_t, si_uid) == SI_UID, "si_uid");
_Static_assert(offsetof(siginfo_t, si_value) == SI_VALUE, "si_value");
_Static_assert(offsetof(siginfo_t, si_status) == SI_STATUS, "si_status");
_Static_assert(offsetof(siginfo_t, si_addr) == SI_ADDR, "si_addr");
_Static_assert(offsetof(siginfo_t, si_overrun) == SI_OVERRUN, "si_overrun");
_Static_assert(offsetof(siginfo_t, si_band) == SI_BAND, "si_band");
_Static_assert(offsetof(siginfo_t, si_fd) == SI_FD, "si_fd");

/* siginfo_layout (kernel/signal.c): which union member a (signo, code) pair uses. */
enum siginfo_kind siginfo_kind(int sig, int code)
{
	if (code > SI_USER && code < SI_KERNEL) {
		switch (sig) {
		case SIGILL: case SIGFPE: case SIGSEGV: case SIGBUS: case SIGTRAP:
			return SIGINFO_FAULT;
		case SIGCHLD:
			return SIGINFO_CHLD;
		case SIGPOLL:
			return SIGINFO_POLL;
		case SIGSYS:
			return SIGINFO_KILL;
		default:
			/* the POLL_* codes of an F_SETSIG signal */
			return code <= POLL_HUP ? SIGINFO_POLL : SIGINFO_KILL;
		}
	}
	if (code == SI_TIMER)
		return SIGINFO_TIMER;
	if (code == SI_SIGIO)
		return SIGINFO_POLL;
	return code < 0 ? SIGINFO_RT : SIGINFO_KILL;
}

static void put32(unsigned char *b, int off, uint32_t v) { memcpy(b + off, &v, 4); }
static void put64(unsigned char *b, int off, uint64_t v) { memcpy(b + off, &v, 8); }
static uint32_t get32(const unsigned char *b, int off) { uint32_t v; memcpy(&v, b + off, 4); return v; }
static uint64_t get64(const unsigned char *b, int off) { uint64_t v; memcpy(&v, b + off, 8); return v; }

void siginfo_to_guest(struct exec *x, const struct sl_siginfo *in,
		      unsigned char out[GUEST_SIGINFO_SIZE])
{
	memset(out, 0, GUEST_SIGINFO_SIZE);
	put32(out, 0, (uint32_t)in->signo);
	put32(out, 4, (uint32_t)in->errnum);
	put32(out, 8, (uint32_t)in->code);
	switch (siginfo_kind(in->signo, in->code)) {
	case SIGINFO_FAULT:
		put64(out, SI_ADDR, in->addr);
		break;
	case SIGINFO_TIMER:
		put32(out, SI_TIMERID, (uint32_t)in->timerid);
		put32(out, SI_OVERRUN, (uint32_t)in->overrun);
		put64(out, SI_VALUE, in->value);
		break;
	case SIGINFO_CHLD:
		put32(out, SI_PID, (uint32_t)pid_to_real(x, in->pid));
		put32(out, SI_UID, in->uid);
		put32(out, SI_STATUS, (uint32_t)in->status);
		break;
	case SIGINFO_RT:
		put64(out, SI_VALUE, in->value);
		/* fall through */
	case SIGINFO_KILL:
		put32(out, SI_PID, (uint32_t)(in->pid ? pid_to_real(x, in->pid) : 0));
		put32(out, SI_UID, in->uid);
		break;
	case SIGINFO_POLL:
		put64(out, SI_BAND, (uint64_t)in->band);
		put32(out, SI_FD, (uint32_t)in->fd);
		break;
	}
}

/* rt_sigqueueinfo's siginfo from the guest; si_pid is the guest's claim
 * (the engine checks it as the kernel does, for SI_USER / SI_KERNEL). */
void siginfo_from_guest(const unsigned char in[GUEST_SIGINFO_SIZE], struct sl_siginfo *out)
{
	memset(out, 0, sizeof *out);
	out->signo = (int)get32(in, 0);
	out->errnum = (int)get32(in, 4);
	out->code = (int)get32(in, 8);
	out->pid = (int)get32(in, SI_PID);
	out->uid = get32(in, SI_UID);
	out->value = get64(in, SI_VALUE);
	out->addr = get64(in, SI_ADDR);
	if (siginfo_kind(out->signo, out->code) == SIGINFO_POLL) {
		out->band = (int64_t)get64(in, SI_BAND);
		out->fd = (int)get32(in, SI_FD);
	}
}

sl_time timespec_ns(int64_t sec, int64_t nsec)
{
	return sec * SL_NSEC_PER_SEC + nsec;
}
