/* The x86-64 signal frame on the guest's stack, as arch/x86/kernel/
 * signal_64.c builds and reads it (setup_rt_frame, rt_sigreturn,
 * restore_sigcontext) with arch/x86/kernel/fpu/signal.c's xsave area
 * (copy_fpstate_to_sigframe, fpu__restore_sig).  Layout, from the frame's
 * address (the handler's stack pointer) up:
 *
 *   struct rt_sigframe { pretcode; struct ucontext uc; struct siginfo info; }
 *   ... gap to a 64-byte boundary ...
 *   the xsave area (NT_X86_XSTATE's image, fpx_sw_bytes in its reserved
 *   bytes), then FP_XSTATE_MAGIC2
 *
 * The engine chooses the addresses (get_sigframe, from the real stack
 * pointer and the alternate stack); this file writes and reads them. */
#include <cpuid.h>
#include <elf.h>
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/ucontext.h>
#include <sys/uio.h>

#include "exec/exec.h"

/* include/uapi/asm/sigcontext.h: struct sigcontext (64-bit) */
struct guest_sigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate;	/* the xsave area, or 0 */
	uint64_t reserved1[8];
};

/* include/uapi/asm-generic/signal.h: stack_t */
struct guest_stack {
	uint64_t ss_sp;
	int32_t ss_flags;
	uint64_t ss_size;
};

/* include/uapi/asm/ucontext.h with the kernel's 8-byte sigset */
struct guest_ucontext {
	uint64_t uc_flags;
	uint64_t uc_link;
	struct guest_stack uc_stack;
	struct guest_sigcontext uc_mcontext;
	uint64_t uc_sigmask;
};

/* arch/x86/include/asm/sigframe.h: struct rt_sigframe (64-bit) */
struct guest_rt_sigframe {
	uint64_t pretcode;	/* sa_restorer: the handler returns there */
	struct guest_ucontext uc;
	unsigned char info[GUEST_SIGINFO_SIZE];
};

_Static_assert(sizeof(struct guest_sigcontext) == 256, "struct sigcontext");
_Static_assert(sizeof(struct guest_ucontext) == 304, "struct ucontext");
_Static_assert(sizeof(struct guest_rt_sigframe) == 440, "struct rt_sigframe");
_Static_assert(offsetof(ucontext_t, uc_mcontext) == offsetof(struct guest_ucontext, uc_mcontext),
	       "uc_mcontext");
_Static_assert(offsetof(ucontext_t, uc_sigmask) == offsetof(struct guest_ucontext, uc_sigmask),
	       "uc_sigmask");
_Static_assert(offsetof(struct guest_sigcontext, rip) == REG_RIP * 8, "sc.rip");
_Static_assert(offsetof(struct guest_sigcontext, rsp) == REG_RSP * 8, "sc.rsp");
_Static_assert(offsetof(struct guest_sigcontext, eflags) == REG_EFL * 8, "sc.eflags");
_Static_assert(offsetof(struct guest_sigcontext, cr2) == REG_CR2 * 8, "sc.cr2");
_Static_assert(offsetof(struct guest_sigcontext, fpstate) == NGREG * 8, "sc.fpstate");

/* include/uapi/asm/ucontext.h */
#define UC_FP_XSTATE         0x1
#define UC_SIGCONTEXT_SS     0x2
#define UC_STRICT_RESTORE_SS 0x4
/* include/uapi/asm/sigcontext.h: struct _fpx_sw_bytes */
_Static_assert(FP_XSTATE_MAGIC1 == 0x46505853u, "FP_XSTATE_MAGIC1");
_Static_assert(FP_XSTATE_MAGIC2 == 0x46505845u, "FP_XSTATE_MAGIC2");
_Static_assert(FP_XSTATE_MAGIC2_SIZE == 4, "FP_XSTATE_MAGIC2_SIZE");
#define SW_BYTES_OFFSET 464	/* in the fxsave area's sw_reserved */
#define XSAVE_HDR_OFFSET 512	/* xstate_bv */
#define XFEATURE_MASK_FPSSE 0x3u
/* arch/x86/include/asm/sighandling.h FIX_EFLAGS: what sigreturn takes */
#define FIX_EFLAGS 0x254dd5u
#define EFLAGS_DF 0x400u
#define EFLAGS_RF 0x10000u
#define EFLAGS_TF 0x100u

#define XSTATE_MAX 16384

size_t frame_rt_size(void)
{
	return sizeof(struct guest_rt_sigframe);
}

/* The xsave image of this CPU: its size for the features XCR0 enables
 * (CPUID leaf 0xD), which the kernel's user xstate size is, and XCR0. */
void exec_probe_xstate(struct exec *x)
{
	unsigned a, b, c, d, lo, hi;

	__cpuid_count(0xd, 0, a, b, c, d);
	(void)a; (void)c; (void)d;
	x->xstate_size = b < 576 ? 576 : b;
	if (x->xstate_size > XSTATE_MAX)
		x->xstate_size = XSTATE_MAX;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	x->xfeatures = ((uint64_t)hi << 32) | lo;
}

/* fpu__clear_user_states: the handler starts with the FPU in its initial
 * state (x87 control word 0x37f, MXCSR 0x1f80, every register zero), not
 * with the interrupted code's.  MXCSR is loaded with the SSE component,
 * so the image marks SSE present, with zero registers. */
static int fpstate_clear(struct exec *x, struct guest *g, const unsigned char *saved)
{
	static unsigned char buf[XSTATE_MAX];
	struct iovec iov = { buf, x->xstate_size };
	uint16_t fcw = 0x37f;
	uint32_t mxcsr = 0x1f80;
	uint64_t bv = 0x2;

	memset(buf, 0, x->xstate_size);
	memcpy(buf, &fcw, 2);
	memcpy(buf + 24, &mxcsr, 4);
	memcpy(buf + 28, saved + 28, 4);	/* mxcsr_mask */
	memcpy(buf + XSAVE_HDR_OFFSET, &bv, 8);
	return ptrace(PTRACE_SETREGSET, g->tid, (void *)NT_X86_XSTATE, &iov) ? -1 : 0;
}

/* The FPU state the handler's frame saves, with the sw bytes and magic
 * the kernel's save_xstate_epilog adds: the image to write, or NULL. */
static const unsigned char *fpstate_save(struct exec *x, struct guest *g)
{
	static unsigned char buf[XSTATE_MAX + FP_XSTATE_MAGIC2_SIZE];
	struct iovec iov = { buf, x->xstate_size };
	uint32_t sw[2] = { FP_XSTATE_MAGIC1, (uint32_t)(x->xstate_size + FP_XSTATE_MAGIC2_SIZE) };
	uint32_t size = (uint32_t)x->xstate_size, magic2 = FP_XSTATE_MAGIC2;
	uint64_t bv;

	memset(buf, 0, sizeof buf);
	if (ptrace(PTRACE_GETREGSET, g->tid, (void *)NT_X86_XSTATE, &iov))
		return NULL;
	memset(buf + SW_BYTES_OFFSET, 0, 48);
	memcpy(buf + SW_BYTES_OFFSET, sw, 8);
	memcpy(buf + SW_BYTES_OFFSET + 8, &x->xfeatures, 8);
	memcpy(buf + SW_BYTES_OFFSET + 16, &size, 4);
	memcpy(&bv, buf + XSAVE_HDR_OFFSET, 8);
	bv |= XFEATURE_MASK_FPSSE;
	memcpy(buf + XSAVE_HDR_OFFSET, &bv, 8);
	memcpy(buf + x->xstate_size, &magic2, 4);
	return buf;
}

/* fpu__restore_sig: the xsave image back when both magics are there, the
 * legacy fxsave part otherwise. */
/* fpu__restore_sig: the xsave image back when both magics are there, the
 * legacy fxsave part otherwise, a clean FPU without one.  `img` holds
 * the area when the caller read it with the frame (else NULL). */
static int fpstate_restore(struct exec *x, struct guest *g, uint64_t at, const unsigned char *img)
{
	static unsigned char buf[XSTATE_MAX + FP_XSTATE_MAGIC2_SIZE];
	static const unsigned char none[512];
	struct iovec iov = { buf, x->xstate_size };
	size_t full = x->xstate_size + FP_XSTATE_MAGIC2_SIZE;
	uint32_t m1, m2;

	if (!at)
		return fpstate_clear(x, g, none);
	if (img)
		memcpy(buf, img, full);
	else if (guest_read(g->tid, at, buf, full) && guest_read(g->tid, at, buf, 512))
		return -1;
	memcpy(&m1, buf + SW_BYTES_OFFSET, 4);
	memcpy(&m2, buf + x->xstate_size, 4);
	if (m1 == FP_XSTATE_MAGIC1 && m2 == FP_XSTATE_MAGIC2 &&
	    !ptrace(PTRACE_SETREGSET, g->tid, (void *)NT_X86_XSTATE, &iov))
		return 0;
	iov.iov_len = 512;
	return ptrace(PTRACE_SETREGSET, g->tid, (void *)NT_PRFPREG, &iov) ? -1 : 0;
}

/* The trap number and error code the CPU gave with a fault (thread.trap_nr,
 * thread.error_code); ptrace does not show them, so they follow the
 * signal: #DE, #UD, #BP, #PF, #GP. */
static void fault_regs(const struct sl_ksignal *ks, struct guest_sigcontext *sc)
{
	if (ks->info.code <= 0 || ks->info.code >= SL_SI_KERNEL)
		return;
	switch (ks->sig) {
	case SL_SIGFPE: sc->trapno = 0; break;
	case SL_SIGILL: sc->trapno = 6; break;
	case SL_SIGTRAP: sc->trapno = 3; break;
	case SL_SIGSEGV:
		sc->trapno = 14;
		sc->err = 4 | (ks->info.code == SL_SEGV_ACCERR ? 1 : 0);
		sc->cr2 = ks->info.addr;
		break;
	default: break;
	}
}

static void put_sigcontext(const struct user_regs_struct *r, struct guest_sigcontext *sc)
{
	sc->r8 = r->r8; sc->r9 = r->r9; sc->r10 = r->r10; sc->r11 = r->r11;
	sc->r12 = r->r12; sc->r13 = r->r13; sc->r14 = r->r14; sc->r15 = r->r15;
	sc->rdi = r->rdi; sc->rsi = r->rsi; sc->rbp = r->rbp; sc->rbx = r->rbx;
	sc->rdx = r->rdx; sc->rax = r->rax; sc->rcx = r->rcx; sc->rsp = r->rsp;
	sc->rip = r->rip; sc->eflags = r->eflags;
	sc->cs = (uint16_t)r->cs; sc->ss = (uint16_t)r->ss;
}

int frame_setup(struct exec *x, struct guest *g, const struct sl_ksignal *ks)
{
	struct guest_rt_sigframe f;
	struct user_regs_struct *r = &g->regs;
	const unsigned char *img;

	memset(&f, 0, sizeof f);
	/* x86-64 returns through sa_restorer only: without SA_RESTORER the
	 * frame cannot be set up. */
	if (!(ks->ka.flags & SL_SA_RESTORER))
		return -1;
	f.pretcode = ks->ka.restorer;
	f.uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS | UC_FP_XSTATE;
	/* __save_altstack: the settings before an SS_AUTODISARM */
	f.uc.uc_stack.ss_sp = ks->uc_stack_sp;
	f.uc.uc_stack.ss_size = ks->uc_stack_size;
	f.uc.uc_stack.ss_flags = (int32_t)ks->uc_stack_flags;
	put_sigcontext(r, &f.uc.uc_mcontext);
	fault_regs(ks, &f.uc.uc_mcontext);
	f.uc.uc_mcontext.oldmask = ks->saved_mask;
	f.uc.uc_mcontext.fpstate = ks->fpstate;
	f.uc.uc_sigmask = ks->saved_mask;
	if (ks->ka.flags & SL_SA_SIGINFO)
		siginfo_to_guest(x, &ks->info, f.info);
	/* the xsave area and the frame in one process_vm_writev */
	img = fpstate_save(x, g);
	if (!img || guest_write2(g->tid, ks->fpstate, img, x->xstate_size + FP_XSTATE_MAGIC2_SIZE,
				 ks->frame_sp, &f, sizeof f))
		return -1;
	(void)fpstate_clear(x, g, img);
	/* The handler's registers (arch/x86/kernel/signal_64.c). */
	r->rdi = (uint64_t)(unsigned)ks->sig;
	r->rax = 0;
	r->rsi = ks->frame_sp + offsetof(struct guest_rt_sigframe, info);
	r->rdx = ks->frame_sp + offsetof(struct guest_rt_sigframe, uc);
	r->rip = ks->ka.handler;
	r->rsp = ks->frame_sp;
	r->eflags &= ~(uint64_t)(EFLAGS_DF | EFLAGS_RF | EFLAGS_TF);
	g->regs_dirty = true;
	return 0;
}

static void get_sigcontext(const struct guest_sigcontext *sc, struct user_regs_struct *r)
{
	r->r8 = sc->r8; r->r9 = sc->r9; r->r10 = sc->r10; r->r11 = sc->r11;
	r->r12 = sc->r12; r->r13 = sc->r13; r->r14 = sc->r14; r->r15 = sc->r15;
	r->rdi = sc->rdi; r->rsi = sc->rsi; r->rbp = sc->rbp; r->rbx = sc->rbx;
	r->rdx = sc->rdx; r->rax = sc->rax; r->rcx = sc->rcx; r->rsp = sc->rsp;
	r->rip = sc->rip;
	r->eflags = (r->eflags & ~(uint64_t)FIX_EFLAGS) | (sc->eflags & FIX_EFLAGS);
	/* restore_sigcontext: no syscall restart after a sigreturn */
	r->orig_rax = (uint64_t)-1;
}

/* The frame and, where setup_rt_frame put it (at most 64 bytes above the
 * frame's end), the xsave area, in one read. */
#define FRAME_BLOCK (sizeof(struct guest_rt_sigframe) + 64 + XSTATE_MAX + FP_XSTATE_MAGIC2_SIZE)

long frame_sigreturn(struct exec *x, struct guest *g)
{
	static unsigned char block[FRAME_BLOCK];
	struct guest_rt_sigframe f;
	struct sl_ucontext uc;
	struct sl_stack ss;
	uint64_t at = g->regs.rsp - 8, fp;
	size_t span = sizeof f + 64 + x->xstate_size + FP_XSTATE_MAGIC2_SIZE;
	const unsigned char *img = NULL;

	if (!guest_read(g->tid, at, block, span)) {
		memcpy(&f, block, sizeof f);
		fp = f.uc.uc_mcontext.fpstate;
		if (fp >= at + sizeof f && fp + x->xstate_size + FP_XSTATE_MAGIC2_SIZE <= at + span)
			img = block + (fp - at);
	} else if (guest_read(g->tid, at, &f, sizeof f)) {
		/* badframe: signal_fault forces SIGSEGV */
		sl_fault(x->k, g->mtid, SL_SIGSEGV, SL_SI_KERNEL, 0);
		return 0;
	}
	get_sigcontext(&f.uc.uc_mcontext, &g->regs);
	g->regs_dirty = true;
	(void)fpstate_restore(x, g, f.uc.uc_mcontext.fpstate, img);
	ss.sp = f.uc.uc_stack.ss_sp;
	ss.size = f.uc.uc_stack.ss_size;
	ss.flags = (uint32_t)f.uc.uc_stack.ss_flags;
	uc.sigmask = f.uc.uc_sigmask;
	uc.stack = &ss;
	uc.sp = g->regs.rsp;
	sl_sys_rt_sigreturn_user(x->k, g->mtid, &uc);
	return (long)g->regs.rax;
}
