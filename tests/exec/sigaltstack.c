/* sigaltstack and SA_ONSTACK: the handler runs on the alternate stack,
 * sees SS_ONSTACK, and the frame's uc_stack holds the settings; a mask
 * edited in the frame's uc_sigmask comes back at sigreturn; SA_RESETHAND
 * and SA_NODEFER. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

static char *alt;
static size_t altsz = 1 << 16;

static void on_usr1(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	stack_t cur;
	char here;

	(void)si;
	sigaltstack(NULL, &cur);
	printf("handler %d on_alt=%d ss_flags=%d uc_stack_ok=%d\n", sig,
	       &here >= alt && &here < alt + altsz, cur.ss_flags,
	       uc->uc_stack.ss_sp == alt && uc->uc_stack.ss_size == altsz);
	/* block SIGUSR2 after the handler returns */
	sigaddset(&uc->uc_sigmask, SIGUSR2);
}

static void on_usr2(int sig)
{
	printf("usr2 %d\n", sig);
}

int main(void)
{
	struct sigaction sa;
	stack_t ss;
	sigset_t cur;

	setvbuf(stdout, NULL, _IONBF, 0);
	alt = malloc(altsz);
	ss.ss_sp = alt;
	ss.ss_size = altsz;
	ss.ss_flags = 0;
	printf("sigaltstack = %d\n", sigaltstack(&ss, NULL));
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_usr1;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	sigprocmask(SIG_BLOCK, NULL, &cur);
	printf("usr2 blocked after sigreturn: %d\n", sigismember(&cur, SIGUSR2));
	sa.sa_handler = on_usr2;
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGUSR2, &sa, NULL);
	sigprocmask(SIG_UNBLOCK, &cur, NULL);
	raise(SIGUSR2);
	sigaction(SIGUSR2, NULL, &sa);
	printf("after resethand: dfl=%d\n", sa.sa_handler == SIG_DFL);
	ss.ss_flags = SS_DISABLE;
	printf("disable = %d\n", sigaltstack(&ss, NULL));
	sigaltstack(NULL, &ss);
	printf("flags now %d\n", ss.ss_flags);
	return 0;
}
