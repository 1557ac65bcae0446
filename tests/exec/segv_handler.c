/* A SIGSEGV handler that fixes the fault by mprotect and returns: the
 * instruction runs again; si_addr and si_code come from the fault; the
 * ucontext holds the faulting rip; then a fault with the default action
 * kills with SIGSEGV. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

static char *page;
static int faults;

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;

	faults++;
	printf("SIGSEGV %d code=%d addr_ok=%d rip_set=%d trapno=%lld\n", sig, si->si_code,
	       si->si_addr == page, uc->uc_mcontext.gregs[REG_RIP] != 0,
	       (long long)uc->uc_mcontext.gregs[REG_TRAPNO]);
	mprotect(page, 4096, PROT_READ | PROT_WRITE);
}

int main(void)
{
	struct sigaction sa;

	setvbuf(stdout, NULL, _IONBF, 0);
	page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	page[10] = 42;
	printf("wrote %d after %d fault(s)\n", page[10], faults);
	signal(SIGSEGV, SIG_DFL);
	*(volatile int *)8 = 1;
	printf("not reached\n");
	return 0;
}
