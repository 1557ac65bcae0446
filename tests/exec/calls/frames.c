/* Signal frames (arch/x86/kernel/signal.c setup_rt_frame, rt_sigreturn):
 * the handler's ucontext holds the interrupted registers (rip at the
 * faulting ud2, rbx and rax as set); edits the handler makes to the frame
 * take effect at rt_sigreturn: rip (skip the ud2), rax, uc_sigmask (adds
 * SIGUSR2 to the mask restored), and the saved FPU state (xmm0); a live
 * xmm0 the handler clobbers without editing the frame is restored; the
 * mask during the handler is sa_mask + the signal, and the old one is back
 * after; a frame that cannot be written (a read-only alternate stack) is
 * SIGSEGV (in a child). */
#include "t.h"
#include <stdint.h>
#include <sys/mman.h>
#include <ucontext.h>

extern char frame_ud2[];
static volatile long entry_rip, entry_rbx, entry_rax;
static volatile int edit_frame, in_mask_hup, in_mask_ill;

static void on_ill(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	sigset_t cur;

	(void)sig;
	(void)si;
	entry_rip = uc->uc_mcontext.gregs[REG_RIP];
	entry_rbx = uc->uc_mcontext.gregs[REG_RBX];
	entry_rax = uc->uc_mcontext.gregs[REG_RAX];
	sigprocmask(SIG_BLOCK, NULL, &cur);
	in_mask_hup = sigismember(&cur, SIGHUP);
	in_mask_ill = sigismember(&cur, SIGILL);
	uc->uc_mcontext.gregs[REG_RIP] += 2;            /* past the ud2 */
	if (edit_frame) {
		uc->uc_mcontext.gregs[REG_RAX] = 42;
		sigaddset(&uc->uc_sigmask, SIGUSR2);
		uc->uc_mcontext.fpregs->_xmm[0].element[0] = 0x12345678;
	}
	/* Clobber the live xmm0: the frame's copy is what returns. */
	__asm__ volatile("movl $0x5555, %%eax\n\tmovd %%eax, %%xmm0" ::: "rax", "xmm0");
}

/* Sets rbx, rax and xmm0, executes ud2, returns rax and xmm0 after. */
__attribute__((noinline)) static void run_ud2(long *rax_out, unsigned *xmm_out)
{
	long rax;
	unsigned xmm;

	__asm__ volatile(
		"movq $0x1111, %%rbx\n\t"
		"movq $7, %%rax\n\t"
		"movl $0xaaaa, %%ecx\n\t"
		"movd %%ecx, %%xmm0\n\t"
		".globl frame_ud2\n"
		"frame_ud2: ud2\n\t"
		"movq %%rax, %0\n\t"
		"movd %%xmm0, %1"
		: "=r"(rax), "=r"(xmm) : : "rax", "rbx", "rcx", "xmm0", "memory");
	*rax_out = rax;
	*xmm_out = xmm;
}

static void on_usr1(int sig)
{
	(void)sig;
}

int main(void)
{
	struct sigaction sa;
	sigset_t cur;
	long rax;
	unsigned xmm;
	pid_t p;
	int st;

	t_start("signal frames", 20);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_ill;
	sa.sa_flags = SA_SIGINFO;
	sigaddset(&sa.sa_mask, SIGHUP);
	sigaction(SIGILL, &sa, NULL);

	edit_frame = 0;
	run_ud2(&rax, &xmm);
	CHECK(entry_rip == (long)frame_ud2, "uc_mcontext rip: the ud2");
	CHECK(entry_rbx == 0x1111 && entry_rax == 7, "uc_mcontext rbx and rax as set");
	CHECK(in_mask_hup && in_mask_ill, "in the handler: sa_mask's SIGHUP and SIGILL blocked");
	CHECK(rax == 7, "rax unchanged across the handler");
	CHECK(xmm == 0xaaaa, "xmm0 restored from the frame (the handler clobbered it)");
	sigprocmask(SIG_BLOCK, NULL, &cur);
	CHECK(!sigismember(&cur, SIGHUP) && !sigismember(&cur, SIGILL) &&
	      !sigismember(&cur, SIGUSR2), "after rt_sigreturn: the old mask");

	edit_frame = 1;
	run_ud2(&rax, &xmm);
	CHECK(rax == 42, "rax edited in the frame: 42 after rt_sigreturn");
	CHECK(xmm == 0x12345678, "xmm0 edited in the frame's fpstate");
	sigprocmask(SIG_BLOCK, NULL, &cur);
	CHECK(sigismember(&cur, SIGUSR2) && !sigismember(&cur, SIGHUP),
	      "uc_sigmask edited: SIGUSR2 blocked after rt_sigreturn");

	/* A frame that cannot be written. */
	p = fork();
	if (p == 0) {
		stack_t ss;

		ss.ss_size = 65536;
		ss.ss_sp = mmap(NULL, ss.ss_size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ss.ss_flags = 0;
		sigaltstack(&ss, NULL);
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_usr1;
		sa.sa_flags = SA_ONSTACK;
		sigaction(SIGUSR1, &sa, NULL);
		raise(SIGUSR1);
		_exit(0);
	}
	st = t_reap(p);
	printf("child whose frame cannot be written: %s\n", t_status(st));
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "killed by SIGSEGV");
	return t_end();
}
