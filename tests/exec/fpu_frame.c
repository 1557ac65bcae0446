/* The FPU across a handler: the handler starts with a clean FPU (the
 * rounding mode the interrupted code set is not in force there), the
 * interrupted code gets its state back at sigreturn (rounding mode and
 * an SSE register value survive), and a handler that edits the saved
 * registers in its ucontext (rip skips a faulting instruction) is
 * obeyed. */
#define _GNU_SOURCE
#include <fenv.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

static volatile int in_handler_round;

static void on_usr1(int sig)
{
	(void)sig;
	in_handler_round = fegetround();
}

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;

	(void)sig;
	(void)si;
	/* skip the faulting 3-byte store: movl $1,(%rax) is c7 00 01 00 00 00 */
	uc->uc_mcontext.gregs[REG_RIP] += 6;
}

int main(void)
{
	volatile double x = 1.0, y = 3.0, q;
	struct sigaction sa;

	setvbuf(stdout, NULL, _IONBF, 0);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	fesetround(FE_UPWARD);
	raise(SIGUSR1);
	q = x / y;
	printf("handler rounding is nearest: %d\n", in_handler_round == FE_TONEAREST);
	printf("rounding after sigreturn is upward: %d\n", fegetround() == FE_UPWARD);
	printf("q rounded up: %d\n", q > 0.3333333333333333);
	fesetround(FE_TONEAREST);

	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	__asm__ volatile("movq $0, %%rax\n\t.byte 0xc7, 0x00, 0x01, 0x00, 0x00, 0x00" ::: "rax", "memory");
	printf("skipped the faulting store\n");
	return 0;
}
